"""gated.md: GLU and its variants, a * g(b) with g a function of the registry; their
formulas, facts ``gated`` and figures ``activations/gated`` and ``activations/gated-curves``.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from docs_build.chapters.activations import BY_KEY, Papers, cite
from docs_build.common import Lazy, LazyModule
from docs_build.formulas import formula, x
from docs_build.registry import cached_result, facts, figure

# Imported on first use: the build imports this chapter without them.
F = LazyModule("torch.nn.functional")
torch = LazyModule("torch")

# GLU and its variants (docs/activations/gated.md): a * g(b), where a and b are the two
# halves of the input's last dimension and the gate g is one of the scalar functions above
# (its registry formula, with PyTorch's defaults). Like torch.nn.functional.glu, the second
# half b goes through the gate. tests/activations/test_gated.py checks each expression
# against PyTorch (F.glu, or torch's own functions composed) and both partial derivatives
# against autograd; the page's LaTeX is printed from the same expressions.
glu_a, glu_b = sp.symbols("a b", real=True)


def _halves(z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    a_half, b_half = z.chunk(2, dim=-1)
    return a_half, b_half


def _glu(z: torch.Tensor) -> torch.Tensor:
    return F.glu(z, dim=-1)


def _reglu(z: torch.Tensor) -> torch.Tensor:
    a_half, b_half = _halves(z)
    return a_half * F.relu(b_half)


def _geglu(z: torch.Tensor) -> torch.Tensor:
    a_half, b_half = _halves(z)
    return a_half * F.gelu(b_half)


def _swiglu(z: torch.Tensor) -> torch.Tensor:
    a_half, b_half = _halves(z)
    return a_half * F.silu(b_half)


@dataclass(frozen=True)
class Gated:
    """One gated linear unit: a * g(b), g the registry's function ``gate``."""

    key: str  # formula gated_<key>, anchor #<key>
    title: str
    gate: str  # key in BY_KEY of the scalar function applied to b
    gate_name: str  # its name in the short form a * g(b): sigma, ReLU, GELU, SiLU
    reference: Callable[[torch.Tensor], torch.Tensor]  # PyTorch, on the whole input
    scratch: Callable[
        [torch.Tensor], torch.Tensor
    ]  # ours, snippets/activations/gated.py
    paper: Papers

    @property
    def expr(self) -> sp.Expr:
        """a * g(b), with g's registry formula written out."""
        return glu_a * BY_KEY[self.gate].checked_expr.subs(x, glu_b)

    @property
    def short(self) -> sp.Expr:
        """a * g(b), with g by name."""
        return glu_a * sp.Function(self.gate_name)(glu_b)


def _gated_snippet():
    """snippets/activations/gated.py (imported on first use)."""
    from activations import gated as gt

    return gt


def _gated_fx(name: str) -> Lazy:
    return Lazy(_gated_snippet, name)


GATED: tuple[Gated, ...] = (
    Gated("glu", "GLU", "sigmoid", "sigma", _glu, _gated_fx("glu"), "dauphin2017"),
    Gated("reglu", "ReGLU", "relu", "ReLU", _reglu, _gated_fx("reglu"), "shazeer2020"),
    Gated("geglu", "GEGLU", "gelu", "GELU", _geglu, _gated_fx("geglu"), "shazeer2020"),
    Gated(
        "swiglu", "SwiGLU", "silu", "SiLU", _swiglu, _gated_fx("swiglu"), "shazeer2020"
    ),
)
GATED_BY_KEY = {g.key: g for g in GATED}
for _g in GATED:
    formula(
        f"gated_{_g.key}",
        _g.expr,
        args=(glu_a, glu_b),
        lhs=rf"\operatorname{{{_g.title}}}(a, b) = {sp.latex(_g.short)}",
    )

GATED_FIGURE_LIMIT = 3.0  # the heat maps cover a, b in [-limit, limit]
GATED_LEVELS = (-6.0, -4.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 4.0, 6.0)  # labeled
GATED_BAND = 1.0  # the heat maps' color bands: this wide, one of them centred on 0
GATED_EARLY_STEP = 100  # the page's first table: the losses after this many steps


@functools.cache
def gated_runs() -> dict[str, dict[str, list]]:
    """The reader's comparison (snippets/activations/gated.py), on one thread, kept under
    the snippet's key alone (``registry.run_key``): an edit to the activation registry,
    which this module imports, does not train its models again."""
    return cached_result(_compare, snippet="activations.gated")


def _compare() -> dict[str, dict[str, list]]:
    from activations import gated as gt

    from docs_build.common import one_thread

    with one_thread():
        return gt.compare()


def gated_order(runs: dict[str, dict[str, list]], step: int) -> str:
    """Where the SwiGLU block's train and test losses stand after ``step`` steps against
    both plain blocks': "above" or "below" in every seed and split, else "mixed"."""
    i = runs["SwiGLU"]["step"].index(step)
    signs = {
        swiglu[i] > other[i]
        for split in ("train", "test")
        for plain in (name for name in runs if name != "SwiGLU")
        for swiglu, other in zip(runs["SwiGLU"][split], runs[plain][split], strict=True)
    }
    return {frozenset({True}): "above", frozenset({False}): "below"}.get(
        frozenset(signs), "mixed"
    )


def gated_bias_counts(d: int, hidden: int) -> dict[str, int]:
    """Parameters of the plain and the SwiGLU block (width 2/3 of ``hidden``) if every
    nn.Linear had its bias: the page's blocks have none."""
    from torch import nn

    gated = 2 * hidden // 3
    layers = {
        "plain": (nn.Linear(d, hidden), nn.Linear(hidden, d)),
        "swiglu": (nn.Linear(d, 2 * gated), nn.Linear(gated, d)),
    }
    return {
        k: sum(p.numel() for m in v for p in m.parameters()) for k, v in layers.items()
    }


@facts("gated")
def gated_facts() -> dict[str, str]:
    """Settings and results of the feed-forward comparison, and the units' table."""
    from activations import gated as gt

    from docs_build.common import defaults

    runs = gated_runs()
    settings = defaults(gt.compare)
    train = defaults(gt.train)
    out = {k: str(v) for k, v in settings.items()}
    out["gated_hidden"] = str(2 * settings["hidden"] // 3)
    out["steps"] = str(train["steps"])
    out["every"] = str(train["every"])
    out["early"] = str(GATED_EARLY_STEP)
    out["lr"] = f"{train['lr']:g}"
    for name, row in runs.items():
        tag = name.lower()
        out[f"{tag}_params"] = str(row["params"][0])
    with_bias = gated_bias_counts(settings["d"], settings["hidden"])
    out["plain_params_bias"] = str(with_bias["plain"])
    out["swiglu_params_bias"] = str(with_bias["swiglu"])
    out["table_early"] = gt.loss_table(runs, GATED_EARLY_STEP)
    out["table_final"] = gt.loss_table(runs, train["steps"])
    out["plain_best_wins"] = str(
        sum(
            min(
                min(row["test"][seed]) for name, row in runs.items() if name != "SwiGLU"
            )
            < runs["SwiGLU"]["test"][seed][-1]
            for seed in range(settings["seeds"])
        )
    )
    early, final = (gated_order(runs, s) for s in (GATED_EARLY_STEP, train["steps"]))
    out["curves_summary"] = (
        f"After {GATED_EARLY_STEP} steps the SwiGLU block's losses are {early} both "
        f"plain blocks' in every seed; after {train['steps']} steps they are {final} them."
        if "mixed" not in (early, final)
        else "The order of the blocks differs between seeds; the tables give the values."
    )
    steps = runs["SwiGLU"]["step"]
    overfit = all(
        steps[best] <= GATED_EARLY_STEP
        and test[-1] > test[best]
        and train[-1] < train[best]
        for name, row in runs.items()
        if name != "SwiGLU"
        for train, test in zip(row["train"], row["test"], strict=True)
        for best in [test.index(min(test))]
    )
    falls = all(
        all(b < a for a, b in itertools.pairwise(curve))
        for curve in runs["SwiGLU"]["test"]
    )
    if overfit and falls:
        out["curves_summary"] += (
            f" Each plain block's test loss is lowest by step {GATED_EARLY_STEP}; at the "
            "end its training loss is lower than there and its test loss higher. The "
            "SwiGLU block's test loss falls at every recorded step."
        )
    out["units"] = "\n".join(
        [
            "| Unit | Gate $g$ | Introduced by |",
            "|---|---|---|",
            *(
                f"| {g.title} | {BY_KEY[g.gate].title} | {cite(g.paper)} |"
                for g in GATED
            ),
        ]
    )
    return out


@figure(
    "activations/gated-curves",
    alt="Two line plots of mean squared error, on a logarithmic axis, against the number "
    "of full-batch Adam steps: training loss on the left, test loss on the right. Each "
    "plot has one line per block and seed; the SwiGLU block is drawn solid, the ReLU "
    "block dashed and the GELU block dotted, and a gray vertical line marks step "
    "{{ gated.early }}. {{ gated.curves_summary }}",
    caption="Loss curves of the three feed-forward blocks, recorded every "
    "{{ gated.every }} steps of the runs in the tables below (one line per seed).",
)
def gated_curves_figure():
    import matplotlib.pyplot as plt

    runs = gated_runs()
    styles = {"SwiGLU": "-", "ReLU": "--", "GELU": ":"}
    fig, axes = plt.subplots(1, 2, figsize=(7.6, 3.4), sharey=True)
    for ax, split in zip(axes, ("train", "test"), strict=True):
        for n, (name, row) in enumerate(runs.items()):
            for seed, curve in enumerate(row[split]):
                ax.plot(
                    row["step"],
                    curve,
                    color=f"C{n}",
                    linestyle=styles[name],
                    linewidth=1.4,
                    label=name if seed == 0 else None,
                )
        ax.axvline(GATED_EARLY_STEP, color="grey", linewidth=0.8)
        ax.set(
            yscale="log",
            xlabel="Adam steps",
            title="training loss" if split == "train" else "test loss",
        )
    axes[0].set_ylabel("mean squared error")
    axes[0].legend()
    return fig


@figure(
    "activations/gated",
    alt="Four heat maps, one for each of GLU, ReGLU, GEGLU and SwiGLU, of the output "
    f"a times g(b) over a (horizontal axis) and b (vertical axis), both from "
    f"{-GATED_FIGURE_LIMIT:g} to {GATED_FIGURE_LIMIT:g}. A shared color bar, in bands "
    f"of width {GATED_BAND:g}, maps blue to negative and red to positive values, and labeled "
    "contour lines mark the levels "
    + ", ".join(f"{v:g}" for v in GATED_LEVELS)
    + f" (negative levels dashed), so values from {min(GATED_LEVELS):g} to "
    f"{max(GATED_LEVELS):g} can be read without color. The band around 0 spans "
    f"{-GATED_BAND / 2:g} to {GATED_BAND / 2:g}, so it does not tell GLU's small values at "
    "negative b, never exactly 0 where a is not 0, from ReGLU's zeros. ReGLU is exactly 0 "
    "wherever b is at most 0; its 0 line marks that edge only where a is positive.",
    caption="Output of each gated unit over the value half $a$ and the gate's input $b$, "
    "computed from the formulas above (contour lines labeled with their value; color "
    f"bands of width {GATED_BAND:g}, the middle one from {-GATED_BAND / 2:g} to "
    f"{GATED_BAND / 2:g}).",
)
def gated_figure():
    import matplotlib.pyplot as plt

    grid = torch.linspace(
        -GATED_FIGURE_LIMIT, GATED_FIGURE_LIMIT, 121, dtype=torch.float64
    )
    bb, aa = torch.meshgrid(grid, grid, indexing="ij")  # rows: b, columns: a
    fig, axes = plt.subplots(2, 2, figsize=(7.6, 6.6), sharex=True, sharey=True)
    top = round(GATED_FIGURE_LIMIT * GATED_FIGURE_LIMIT / GATED_BAND)
    # One color band per integer (0 is a band of its own, from -0.5 to 0.5), and the grid
    # written as it is (interpolation="none"): resampled to the SVG's resolution, the four
    # smooth images took 62 of the file's 91 KB (gzipped); banded, with the contour lines
    # traced on every second point, the whole file is 25 KB gzipped (116 KB as it is).
    bands = plt.get_cmap("RdBu_r", 2 * top + 1)
    for ax, g in zip(axes.flat, GATED, strict=True):
        z = lambdify_gated(g)(aa, bb).numpy()
        image = ax.imshow(
            z,
            origin="lower",
            extent=(-GATED_FIGURE_LIMIT, GATED_FIGURE_LIMIT) * 2,
            cmap=bands,
            vmin=(-top - 0.5) * GATED_BAND,
            vmax=(top + 0.5) * GATED_BAND,
            interpolation="none",
        )
        lines = ax.contour(  # every second point: as smooth at this size, fewer bytes
            aa[::2, ::2].numpy(),
            bb[::2, ::2].numpy(),
            z[::2, ::2],
            levels=GATED_LEVELS,
            colors="black",  # not a palette color: stays black on the dark page too
            linewidths=0.8,
        )
        ax.clabel(lines, fontsize="x-small", fmt="%g")
        ax.set_title(g.title)
        ax.grid(False)
    for ax in axes[1]:
        ax.set_xlabel("value half $a$")
    for ax in axes[:, 0]:
        ax.set_ylabel("gate input $b$")
    # A tick in the middle of every second band: the even values, 0 among them.
    ticks = [k * GATED_BAND for k in range(-top + 1, top, 2)]
    fig.colorbar(image, ax=axes, label="$a\\,g(b)$", shrink=0.8, ticks=ticks)
    return fig


def lambdify_gated(g: Gated) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    """The unit's formula as a function of the two halves (torch tensors)."""
    from docs_build.formulas import lambdify_torch

    return lambdify_torch((glu_a, glu_b), g.expr)
