"""Recurrent networks page: gate equations, parameter counts, facts and figures.

Why the gate equations are sympy expressions here rather than LaTeX strings beside the cell
code: a LaTeX string cannot be run, so nothing would notice if it drifted from the code. A
sympy expression over MatrixSymbols is printed to the page's LaTeX *and* evaluated with
torch (docs_build.matrix_formulas.evaluate), and tests/architectures/test_rnn.py holds it
against nn.RNNCell/LSTMCell/GRUCell with the same weights. The from-scratch cells in
snippets/architectures/rnn.py (which may not import sympy: readers copy that file alone) are
tested against the same PyTorch layers, so page, sympy and snippet are each tied to one
reference and cannot disagree silently.
"""

from __future__ import annotations

import functools
import math
import statistics

import sympy as sp

from docs_build.common import LazyModule, default, one_thread
from docs_build.formulas import formula
from docs_build.matrix_formulas import Hadamard, Sum, sigma, tanh
from docs_build.registry import cached_result, facts, figure, runs

# Imported on first use: the build imports this chapter without them.
torch = LazyModule("torch")

# ----------------------------------------------------------------------------- gate equations
# Input size I and hidden size H: capitals, since i_t is the input gate and h_t the state.
i_size, h_size = sp.symbols("I H", integer=True, positive=True)


def _vec(name: str, rows=h_size) -> sp.MatrixSymbol:
    return sp.MatrixSymbol(name, rows, 1)


x_t, h_prev, c_prev = _vec("x_{t}", i_size), _vec("h_{t-1}"), _vec("c_{t-1}")


def _affine(gate: str) -> sp.Expr:
    """W_i{gate} x_t + b_i{gate} + W_h{gate} h_{t-1} + b_h{gate}: PyTorch's two biases."""
    w_i = sp.MatrixSymbol(f"W_{{i{gate}}}", h_size, i_size)
    w_h = sp.MatrixSymbol(f"W_{{h{gate}}}", h_size, h_size)
    b_i, b_h = _vec(f"b_{{i{gate}}}"), _vec(f"b_{{h{gate}}}")
    return Sum(w_i * x_t, b_i, w_h * h_prev, b_h)


def _hidden_part(gate: str) -> sp.Expr:
    return Sum(
        sp.MatrixSymbol(f"W_{{h{gate}}}", h_size, h_size) * h_prev,
        _vec(f"b_{{h{gate}}}"),
    )


def _input_part(gate: str) -> sp.Expr:
    return Sum(
        sp.MatrixSymbol(f"W_{{i{gate}}}", h_size, i_size) * x_t, _vec(f"b_{{i{gate}}}")
    )


# Vanilla (Elman) RNN. PyTorch names its weights W_ih, W_hh; per gate we write W_i?, W_h?.
RNN_H = formula("rnn_h", tanh(_affine("h")), lhs="h_t")

# LSTM (Hochreiter & Schmidhuber 1997, with the forget gate of Gers et al. 2000).
i_t, f_t, g_t, o_t, c_t = (
    _vec("i_{t}"),
    _vec("f_{t}"),
    _vec("g_{t}"),
    _vec("o_{t}"),
    _vec("c_{t}"),
)
LSTM = {
    "i": formula("lstm_i", sigma(_affine("i")), lhs="i_t"),
    "f": formula("lstm_f", sigma(_affine("f")), lhs="f_t"),
    "g": formula("lstm_g", tanh(_affine("g")), lhs="g_t"),
    "o": formula("lstm_o", sigma(_affine("o")), lhs="o_t"),
    "c": formula("lstm_c", Sum(Hadamard(f_t, c_prev), Hadamard(i_t, g_t)), lhs="c_t"),
    "h": formula("lstm_h", Hadamard(o_t, tanh(c_t)), lhs="h_t"),
}

# GRU: PyTorch's form puts the reset gate around (W_hn h + b_hn); Cho et al. (2014) put it
# on h_{t-1} before the matrix product.
r_t, z_t, n_t = _vec("r_{t}"), _vec("z_{t}"), _vec("n_{t}")
ones = sp.OneMatrix(h_size, 1)
GRU = {
    "r": formula("gru_r", sigma(_affine("r")), lhs="r_t"),
    "z": formula("gru_z", sigma(_affine("z")), lhs="z_t"),
    "n": formula(
        "gru_n",
        tanh(Sum(_input_part("n"), Hadamard(r_t, _hidden_part("n")))),
        lhs="n_t",
    ),
    "h": formula(
        "gru_h",
        Sum(Hadamard(Sum(ones, -z_t), n_t), Hadamard(z_t, h_prev)),
        lhs="h_t",
    ),
}
GRU_N_CHO = formula(
    "gru_n_cho",
    tanh(
        Sum(
            _input_part("n"),
            sp.MatMul(
                sp.MatrixSymbol("W_{hn}", h_size, h_size),
                Hadamard(r_t, h_prev),
                evaluate=False,
            ),
            _vec("b_{hn}"),
        )
    ),
    lhs=r"\tilde n_t",
)


# ---------------------------------------------------------------- backpropagation through time
# A product of matrices of varying length is not a sympy expression, so its LaTeX lives here,
# beside the function that computes it; the tests hold that function against autograd.
BPTT_JACOBIAN = (
    r"\frac{\partial h_T}{\partial h_t} = J_T\, J_{T-1} \cdots J_{t+1}, \qquad "
    r"J_k = \frac{\partial h_k}{\partial h_{k-1}} = "
    r"\operatorname{diag}\left(1 - h_k^2\right) W_{hh}"
)


# ------------------------------------------------------------------------- parameter counts
layers, directions = sp.symbols("L D", integer=True, positive=True)
GATES = {"RNN": 1, "LSTM": 4, "GRU": 3}


def _one_layer(gates: int, inputs: sp.Expr) -> sp.Expr:
    return gates * (h_size * (inputs + h_size) + 2 * h_size)


PARAMS = {
    kind: formula(
        f"{kind.lower()}_params", _one_layer(g, i_size), args=(i_size, h_size)
    )
    for kind, g in GATES.items()
}
# Stacked and bidirectional: layer 1 reads i inputs, each later layer reads D*h of them.
PARAMS_STACKED = {
    kind: formula(
        f"{kind.lower()}_params_stacked",
        directions
        * (_one_layer(g, i_size) + (layers - 1) * _one_layer(g, directions * h_size)),
        args=(i_size, h_size, layers, directions),
        lhs=rf"P_{{\text{{{kind}}}}}",
    )
    for kind, g in GATES.items()
}


# ------------------------------------------------------------------------------ the numbers
# The page's claims about the recall task, asserted by tests/architectures/test_rnn.py on
# recall_experiments()'s runs of every (cell, start) over rnn.SEEDS seeds. One run is
# chaotic (another CPU's rounding can flip it), so each claim counts seeds that solve the
# task (held-out accuracy >= rnn.SOLVED) or takes the median over seeds, and is stated
# only where the effect is decisive. The gated cells in remember mode solve it in at least
# remember_min_solved seeds, with a median of at least remember_median_min; every other cell
# and start solves it in at most unreliable_max_solved seeds, with a median below
# unreliable_median_max; the LSTM at its default and forget-only starts and the
# identity-start RNN solve it in no seed, with a median at or below near_chance_max.
CLAIM = {
    "remember_min_solved": 4,
    "remember_median_min": 0.95,
    "unreliable_max_solved": 3,
    "unreliable_median_max": 0.80,
    "near_chance_max": 0.30,
}
# The robustness check the page states: every starting weight gets N(0, 1) noise times
# JITTER added (a fixed generator), and the recall claims must hold again.
JITTER = 1e-6
DIAGRAM_BATCH = (
    2  # sequences in the forward pass that the shapes table and diagram read
)
MATCH_TOLERANCE = 1e-5  # float32, absolute and relative, of the scratch-vs-torch tests
MATCH_SHAPE = (
    5,
    12,
    7,
    16,
)  # batch, steps, inputs, hidden of the scratch-vs-torch check


@runs("rnn.recall")
@functools.cache
def trained() -> dict:
    """The snippet's recall experiments, run once per set of sources (facts, figures and
    the tests that read the study share that run: registry.cached_result)."""
    return cached_result(_recall_experiments)


def _recall_experiments() -> dict:
    from architectures import rnn

    with one_thread():
        return rnn.recall_experiments()


def start_label(kind: str, start: str) -> str:
    """The page's words for one starting point, with the snippet's numbers."""
    from architectures import rnn

    bias = default(rnn.set_start_, "gate_bias")
    return {
        "default": "PyTorch's default",
        "orthogonal": "orthogonal $W_{hh}$",
        "identity": "ReLU, identity $W_{hh}$, zero biases",
        "forget": f"forget-gate bias +{rnn.FORGET_BIAS:g}",
        "remember": (
            f"remember: input-gate bias −{bias:g}, forget-gate bias +{bias:g}"
            if kind == "LSTM"
            else f"remember: update-gate bias +{bias:g}"
        ),
    }[start]


# (fact name, spectral radius) of the RNN curves; then the LSTM at two starts.
GRADIENT_RADII = (("rnn_05", 0.5), ("rnn_1", 1.0), ("rnn_15", 1.5), ("rnn_3", 3.0))
GRADIENT_LSTM_STARTS = (("lstm_default", "default"), ("lstm_remember", "remember"))


@runs("rnn.gradients")
@functools.cache
def gradient_curves() -> dict[str, tuple[str, torch.Tensor]]:
    """Fact name -> (legend label, |dL/dx_t| indexed by distance T - t) for the figure."""
    from architectures import rnn

    radii = tuple(radius for _, radius in GRADIENT_RADII)
    starts = tuple(start for _, start in GRADIENT_LSTM_STARTS)
    with one_thread():
        curves = rnn.gradient_experiments(radii, starts)
    out = {}
    for name, radius in GRADIENT_RADII:
        out[name] = (f"RNN, spectral radius {radius:g}", curves["RNN", radius].cpu())
    for name, start in GRADIENT_LSTM_STARTS:
        out[name] = (f"LSTM, {start_label('LSTM', start)}", curves["LSTM", start].cpu())
    return out


def default_lstm_forget_gates() -> torch.Tensor:
    """Every forget gate (T, N, hidden) of the gradient measurement's LSTM from PyTorch's
    start, on that measurement's inputs: the same experiment as its gradient ratio."""
    from architectures import rnn

    layer = rnn.gradient_lstm("default")
    x, _ = rnn.gradient_inputs(layer)
    return rnn.forget_gates(layer, x).cpu()


def rnn_with_radius_matrix(radius: float) -> torch.Tensor:
    """The recurrent matrix of the gradient figure's RNN of this spectral radius."""
    from architectures import rnn

    torch.manual_seed(0)
    return rnn.rnn_with_spectral_radius(radius).weight_hh_l0.detach().cpu()


CPU = "cpu"  # the page states the CPU's numbers, also where a GPU exists


def scratch_vs_torch() -> dict[str, float]:
    """Per kind, the largest |ours - torch| over outputs, final states and gradients
    (float32), from a zero and from a given initial state (the snippet's
    compare_with_torch on the CPU, which the tests compare), as a share of what the stated tolerance
    allows there: atol + rtol * |torch|, as torch.testing.assert_close measures it (so at
    most 1 when the claim holds)."""
    from architectures import rnn

    return {
        kind: max(
            ((a - b).abs() / (MATCH_TOLERANCE * (1 + b.abs()))).max().item()
            for with_state in (False, True)
            for a, b in rnn.compare_with_torch(kind, with_state, MATCH_SHAPE, CPU)
        )
        for kind in ("RNN", "LSTM", "GRU")
    }


@facts("rnn")
def rnn_facts() -> dict[str, str]:
    from architectures import rnn

    from docs_build import diagrams

    runs = trained()
    out: dict[str, str] = {}
    table = [
        "| cell | start | seeds that solve it | median accuracy | training time |",
        "|---|---|---|---|---|",
    ]
    for (kind, start), seeds in runs.items():
        k, summary = kind.lower(), rnn.summarize(seeds)
        out[f"{k}_{start}_solved"] = f"{summary['solved']} of {summary['seeds']}"
        out[f"{k}_{start}_median"] = f"{summary['median']:.1%}"
        out[f"{k}_{start}_seconds"] = f"{sum(r['seconds'] for r in seeds):.1f}"
        table.append(
            f"| {kind} | {start_label(kind, start)} | {out[f'{k}_{start}_solved']} "
            f"| {out[f'{k}_{start}_median']} | {out[f'{k}_{start}_seconds']} s |"
        )
        if start == "default":
            model = seeds[0]["model"]
            out[f"{k}_parameters"] = f"{rnn.count_parameters(model):,}"
            out[f"{k}_layer_parameters"] = f"{rnn.count_parameters(model.rnn):,}"
    out["recall_table"] = "\n".join(table)
    for name in ("length", "steps", "batch", "lr", "clip"):
        out[name] = f"{default(rnn.train_first_token, name):g}"
    # The signal is x_1 and the answer is read from h_T: T - 1 distractors, and T - 1
    # recurrent steps (h_1 -> h_T) between them, as in the gradient section (T - t).
    length = default(rnn.train_first_token, "length")
    out["distractors"] = str(length - 1)
    out["memory_distance"] = str(length - 1)
    out["seeds"] = str(rnn.SEEDS)
    out["jitter"] = f"$10^{{{math.log10(JITTER):.0f}}}$"
    out["solved_at"] = f"{rnn.SOLVED:.0%}"
    out["held_out"] = f"{rnn.HELD_OUT:,}"
    out["grad_hidden"] = str(default(rnn.rnn_with_spectral_radius, "hidden"))
    out["grad_steps"] = str(default(rnn.input_gradient_norms, "steps"))
    for name, value in CLAIM.items():
        out[f"claim_{name}"] = str(value) if isinstance(value, int) else f"{value:.0%}"
    out["match_shape"] = "{} sequences of {} steps".format(*MATCH_SHAPE[:2])
    out["signals"], out["vocab"] = str(rnn.SIGNALS), str(rnn.VOCAB)
    out["chance"] = f"{1 / rnn.SIGNALS:.0%}"
    out["hidden"] = str(runs["RNN", "default"][0]["model"].rnn.hidden_size)
    bias = default(rnn.set_start_, "gate_bias")
    out["gate_bias"] = f"{bias:g}"
    out["forget_bias"] = f"{rnn.FORGET_BIAS:g}"
    out["sigmoid_gate_bias"] = f"{torch.sigmoid(torch.tensor(bias)).item():.3f}"
    out["sigmoid_forget_bias"] = (
        f"{torch.sigmoid(torch.tensor(rnn.FORGET_BIAS)).item():.2f}"
    )
    out["total_seconds"] = (
        f"{sum(r['seconds'] for seeds in runs.values() for r in seeds):.1f}"
    )
    out["runs"] = str(len(runs))
    out["trainings"] = str(sum(len(seeds) for seeds in runs.values()))
    gates = default_lstm_forget_gates()  # the gradient measurement's LSTM and inputs
    out["forget_low"] = (
        f"{math.floor(gates.min().item() * 100) / 100:.2f}"  # rounded out
    )
    out["forget_high"] = f"{math.ceil(gates.max().item() * 100) / 100:.2f}"
    out["forget_mean"] = f"{gates.mean().item():.2f}"
    out["torch_threads"] = "1"

    curves = gradient_curves()
    for name, (label, g) in curves.items():
        out[f"grad_{name}"] = f"{(g[-1] / g[0]).item():.1e}"
        out[f"grad_{name}_label"] = label
    out["grad_distance"] = str(len(curves["rnn_05"][1]) - 1)
    for name, radius in GRADIENT_RADII:
        out[f"radius_{name}"] = f"{radius:g}"
    w_small = rnn_with_radius_matrix(dict(GRADIENT_RADII)["rnn_05"])
    out["grad_sigma_05"] = f"{torch.linalg.matrix_norm(w_small, 2).item():.2f}"

    worst = scratch_vs_torch()
    for kind, w in worst.items():
        out[f"match_{kind.lower()}"] = f"{math.ceil(w * 100)}%"  # rounded up
    out["match_tolerance"] = f"{MATCH_TOLERANCE:.0e}"
    out["bptt_jacobian"] = BPTT_JACOBIAN

    model = runs["LSTM", "remember"][0]["model"]
    example = torch.zeros(DIAGRAM_BATCH, int(out["length"]), rnn.VOCAB)
    steps = diagrams.trace(model, example)
    rows = ["| step | what it is | output shape | parameters |", "|---|---|---|---|"]
    rows.append(
        f"| input | one-hot tokens | `{diagrams.shape_text(tuple(example.shape))}` | 0 |"
    )
    for s in steps:
        rows.append(
            f"| `{s.name}` | {s.label} | `{diagrams.shape_text(s.shape)}` | {s.params:,} |"
        )
    out["shapes_table"] = "\n".join(rows)
    for kind in GATES:
        out[f"formula_{kind.lower()}"] = f"{PARAMS[kind].latex()}"
    return out


# ------------------------------------------------------------------------------ the figures
@figure(
    "architectures/rnn-unrolled",
    alt="An RNN cell drawn once with a loop, then unrolled into four copies for time steps 1 "
    "to 4; each copy takes an input x_t from below, passes its hidden state h_t to the right "
    "and emits an output above. Backpropagation through time follows the arrows right to left.",
    caption="One cell, unrolled: the same weights at every step; gradients flow back along "
    "the horizontal arrows.",
)
def draw_unrolled():
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    fig, ax = plt.subplots(figsize=(8.0, 2.8))
    ax.set_axis_off()
    ax.set_xlim(-0.4, 9.6)
    ax.set_ylim(-1.5, 1.6)
    fg = plt.rcParams["text.color"]
    accent = plt.rcParams["axes.prop_cycle"].by_key()["color"][0]
    second = plt.rcParams["axes.prop_cycle"].by_key()["color"][1]

    def cell(x: float, label: str) -> None:
        ax.add_patch(
            FancyBboxPatch(
                (x - 0.45, -0.3),
                0.9,
                0.6,
                boxstyle="round,pad=0.05",
                ec=accent,
                fc="none",
                lw=1.5,
            )
        )
        ax.text(x, 0, label, ha="center", va="center", color=fg, fontsize=11)

    def arrow(xy_from, xy_to, color=fg, style="-|>", ls="-") -> None:
        ax.annotate(
            "",
            xy=xy_to,
            xytext=xy_from,
            arrowprops={
                "arrowstyle": style,
                "color": color,
                "lw": 1.2,
                "linestyle": ls,
            },
        )

    cell(0.5, "A")  # the folded view
    arrow((0.5, -1.05), (0.5, -0.38))
    arrow((0.5, 0.38), (0.5, 1.05))
    ax.text(0.5, -1.25, "$x_t$", ha="center", color=fg)
    ax.text(0.5, 1.25, "$h_t$", ha="center", color=fg)
    ax.annotate(  # the recurrence: the state goes back into the same cell
        "",
        xy=(0.95, -0.15),
        xytext=(0.95, 0.15),
        arrowprops={
            "arrowstyle": "-|>",
            "color": fg,
            "connectionstyle": "arc3,rad=-2.2",
        },
    )
    ax.text(2.0, 0, "=", ha="center", va="center", fontsize=18, color=fg)
    xs = [3.4, 5.2, 7.0, 8.8]
    ax.text(2.5, 0.0, "$h_0$", ha="center", va="center", color=fg, fontsize=10)
    arrow((2.7, 0.07), (2.9, 0.07))
    for t, x in enumerate(xs, start=1):
        cell(x, "A")
        arrow((x, -1.05), (x, -0.38))
        arrow((x, 0.38), (x, 1.05))
        ax.text(x, -1.3, f"$x_{t}$", ha="center", color=fg)
        ax.text(x, 1.2, f"$h_{t}$", ha="center", color=fg)
        if t < len(xs):
            arrow((x + 0.5, 0.07), (xs[t] - 0.5, 0.07))
            arrow((xs[t] - 0.5, -0.12), (x + 0.5, -0.12), color=second, ls="--")
    ax.text(
        6.1,
        -0.62,
        r"$\partial L / \partial h_t$ (dashed)",
        ha="center",
        color=second,
        fontsize=9,
    )
    return fig


# Orders of magnitude the gradient figure's alt text states, asserted by
# test_gradients_vanish_and_explode_as_stated (tests/architectures/test_rnn.py): the ratio
# at the longest distance is below 10**-falls or above 10**grows.
GRADIENT_ORDERS = {"rnn_05": 10, "rnn_3": 3, "lstm_default": 6, "lstm_remember": 2}
_RADIUS = dict(GRADIENT_RADII)


@figure(
    "architectures/rnn-gradients",
    alt="Log-scale line plot of the gradient norm reaching input x_t against the distance T "
    f"minus t. The RNN with spectral radius {_RADIUS['rnn_05']:g} falls by more than "
    f"{GRADIENT_ORDERS['rnn_05']} orders of magnitude, radius {_RADIUS['rnn_1']:g} falls "
    f"more slowly, radius {_RADIUS['rnn_15']:g} (above 1) still falls, and radius "
    f"{_RADIUS['rnn_3']:g} grows by more than {GRADIENT_ORDERS['rnn_3']} orders; an LSTM "
    f"with PyTorch's initialization falls by more than {GRADIENT_ORDERS['lstm_default']} "
    "orders, and an LSTM whose gates start in remember mode falls by less than "
    f"{GRADIENT_ORDERS['lstm_remember']}.",
    caption="Measured: how much of the loss gradient at the last step reaches an input T - t "
    "steps earlier, normalized by its value at distance 0.",
)
def draw_gradients():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.0, 4.2))
    for (label, g), marker in zip(gradient_curves().values(), "osPD^v", strict=True):
        d = torch.arange(len(g))
        ax.plot(d, g / g[0], label=label, marker=marker, markevery=10)
    ax.set_yscale("log")
    ax.set_xlabel("distance T − t (time steps)")
    ax.set_ylabel(r"$\|\partial L/\partial x_t\|$ relative to distance 0")
    ax.set_xlim(0, len(g) - 1)
    ax.legend(fontsize=9, loc="lower left")
    return fig


# What the training figure's alt text states, asserted by
# test_training_figure_states_what_the_losses_do: for each run, the mean loss of its last
# `tail` steps; the median of that over the seeds is below guessing / remember_below for the
# remember-mode cells, and within default_lstm_within of guessing for the default-start LSTM.
LOSS_CLAIM = {"tail": 10, "remember_below": 10, "default_lstm_within": 0.2}


def median_losses(seeds: list[dict]) -> list[float]:
    """The median over seeds of the training loss, step by step."""
    # Every run has as many steps; strict=True says so.
    steps = zip(*(r["losses"] for r in seeds), strict=True)
    return [statistics.median(step) for step in steps]


@figure(
    "architectures/rnn-training",
    alt="Training loss against step, on a log scale, for every configuration of the "
    "recall-task table, each line the median over its seeds: one color per cell, one line "
    "style per start. A dotted line marks the loss of guessing among the signal symbols (the "
    f"natural log of their number). Averaged over the last {LOSS_CLAIM['tail']} steps and "
    "then taking the median over seeds, the two remember-mode cells are below a "
    f"{LOSS_CLAIM['remember_below']}th of it, and the LSTM from PyTorch's default start is "
    f"within {LOSS_CLAIM['default_lstm_within']:g} of it.",
    caption="Cross-entropy during training on the recall task, the median over the "
    "seeds of each configuration (same batches for every configuration at a given seed).",
)
def draw_training():
    import matplotlib.pyplot as plt
    from architectures import rnn

    fig, ax = plt.subplots(figsize=(7.0, 4.2))
    colors = {kind: f"C{j}" for j, kind in enumerate(rnn.STARTS)}
    styles = {"default": "-", "remember": "--", "forget": ":", "orthogonal": "-."}
    styles["identity"] = (0, (1, 1))
    markers = {"default": "o", "remember": "s", "forget": "^", "orthogonal": "D"}
    markers["identity"] = "v"
    for (kind, start), seeds in trained().items():
        losses = median_losses(seeds)
        ax.plot(
            range(1, len(losses) + 1),
            losses,
            label=f"{kind}, {start}",
            color=colors[kind],
            ls=styles[start],
            marker=markers[start],
            markevery=10,
            lw=1.2,
        )
    guess = math.log(rnn.SIGNALS)
    ax.axhline(guess, color=plt.rcParams["text.color"], lw=0.8, ls=":")
    ax.text(1, guess * 1.5, f"guessing: ln {rnn.SIGNALS}", fontsize=9)
    ax.set_xlabel("training step")
    ax.set_ylabel("cross-entropy loss (log scale)")
    ax.set_yscale("log")
    ax.legend(loc="lower left", fontsize=8, ncol=2)
    return fig


@figure(
    "architectures/rnn-diagram",
    alt="Diagram of the recall classifier: a one-hot input of shape (batch, steps, symbols) "
    "goes into an LSTM layer, whose outputs have shape (batch, steps, hidden units); the last "
    "step goes into a linear layer with one output per signal symbol. Each box lists its "
    "output shape and parameter count.",
    caption="The LSTM classifier, read off a forward pass on a batch of "
    f"{DIAGRAM_BATCH} sequences.",
)
def draw_diagram():
    from architectures import rnn

    from docs_build import diagrams

    torch.manual_seed(0)
    model = rnn.SequenceClassifier(
        "LSTM", hidden=default(rnn.train_first_token, "hidden"), start="remember"
    )
    example = torch.zeros(
        DIAGRAM_BATCH, default(rnn.train_first_token, "length"), rnn.VOCAB
    )
    return diagrams.draw(diagrams.trace(model, example), tuple(example.shape))
