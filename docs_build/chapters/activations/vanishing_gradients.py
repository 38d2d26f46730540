"""vanishing-gradients.md: measured gradient norms through a deep MLP per activation,
SGD against Adam on its first layer (facts ``vanish``, figure ``activations/vanishing``),
and the dying-ReLU experiment (facts ``dying``, figure ``activations/dying-relu``).
"""

from __future__ import annotations

import functools
import inspect
import math

import sympy as sp

from docs_build import registry
from docs_build.chapters.activations import round_up, sigmoid_derivative_peak
from docs_build.common import LazyModule, count_word
from docs_build.registry import facts, figure

# Imported on first use: the build imports this chapter without them.
torch = LazyModule("torch")


def _defaults(module: str, function: str) -> dict[str, object]:
    """The default arguments of ``function`` in snippets/activations/<module>.py."""
    import importlib

    fn = getattr(importlib.import_module(f"activations.{module}"), function)
    return {k: p.default for k, p in inspect.signature(fn).parameters.items()}


# The bounds the vanishing-gradient prose and alt text state; the tests hold the measured
# values to them.
NEAR_ONE = (
    10  # tanh, ReLU, GELU with their gains: every layer within this factor (seed 0)
)
SEEDS = range(8)  # the draws the prose's "over seeds" sentences hold for
NEAR_ONE_RELU_SEEDS = 20  # over SEEDS: tanh and GELU within NEAR_ONE, ReLU within this
SIGMOID_BELOW = -6  # the sigmoid's first/last ratio is below 10**SIGMOID_BELOW
BOOST_FACTOR = 1000  # gain 1/sigma'(0) raises the sigmoid's ratio by more than this ...
BOOST_BELOW = -2  # ... and leaves it below 10**BOOST_BELOW
SGD_STILL = -6  # plain SGD moves the sigmoid's first layer by less than 10**SGD_STILL
ADAM_MOVES = -3  # Adam moves it by more than 10**ADAM_MOVES


def adam_eps() -> float:
    """Adam's eps, PyTorch's default (read from its signature)."""
    return inspect.signature(torch.optim.Adam).parameters["eps"].default


# A larger eps than Adam's, under which the first layer moves by less than 10**ADAM_MOVES:
# the move comes from eps, because the first layer's gradient is smaller than eps.
ADAM_EPS_LARGER = 1e-6
GELU_FROM = 5  # GELU borrows ReLU's gain: for |x| >= GELU_FROM they differ by less than
GELU_GAP = -5  # 10**GELU_GAP
VANISH_YLIM = (1e-12, 1e1)
WEIGHT_EXAMPLE = 8  # sigma(w z) with this weight w has slope w/4 > 1 at z = 0


def weighted_sigmoid_slope(w: sp.Expr) -> sp.Expr:
    """d/dz sigma(w z) at z = 0, by sympy."""
    zz = sp.Symbol("z", real=True)
    return sp.diff(1 / (1 + sp.exp(-w * zz)), zz).subs(zz, 0).simplify()


def sigmoid_boost_gain() -> float:
    """The gain that undoes the sigmoid's slope at 0: 1 / sigma'(0)."""
    _, peak = sigmoid_derivative_peak()
    return float(1 / peak)


@registry.runs("vanish")
@functools.cache
def vanishing_training() -> dict[str, object]:
    """The per-layer relative weight changes of the sigmoid network under each optimizer
    ("changes"), and under Adam with a larger eps ("Adam, larger eps"; its eps:
    "larger_eps")."""
    from activations import vanishing as v

    changes = {
        label: v.weight_changes("sigmoid", opt, lr)
        for label, (opt, lr) in v.OPTIMIZERS.items()
    }
    adam, lr = v.OPTIMIZERS["Adam"]
    larger = functools.partial(adam, eps=ADAM_EPS_LARGER)
    changes["Adam, larger eps"] = v.weight_changes("sigmoid", larger, lr)
    return {"changes": changes, "larger_eps": ADAM_EPS_LARGER}


def _power10(value: float) -> str:
    """A power of ten as LaTeX: 1e-08 -> 10^{-8}."""
    exponent = round(math.log10(value))
    if not math.isclose(value, 10.0**exponent, rel_tol=1e-12):
        raise ValueError(f"{value} is not a power of 10")
    return f"10^{{{exponent}}}"


@facts("vanish")
def vanishing_facts() -> dict[str, str]:
    from activations import vanishing as v

    out = {"width": str(_defaults("vanishing", "gradient_norms")["width"])}
    for init in ("gain", "default"):
        for name in v.ACTIVATIONS:
            norms = v.gradient_norms(name, init=init)
            out[f"{init}_{name}_first"] = f"{norms[0]:.1e}"
            out[f"{init}_{name}_last"] = f"{norms[-1]:.1e}"
            out[f"{init}_{name}_ratio"] = f"{norms[0] / norms[-1]:.1e}"
    out["depth"] = str(len(v.gradient_norms("relu")))
    for name, (_, gain) in v.ACTIVATIONS.items():
        out[f"{name}_gain"] = f"{gain:.4g}"
    boost = sigmoid_boost_gain()
    norms = v.gradient_norms("sigmoid", gain=boost)
    out["boost_gain"] = f"{boost:g}"
    out["boost_ratio"] = f"{norms[0] / norms[-1]:.1e}"
    out["near_one"] = str(NEAR_ONE)
    out["near_one_relu_seeds"] = str(NEAR_ONE_RELU_SEEDS)
    out["seeds"] = f"{SEEDS[0]} to {SEEDS[-1]}"
    out["seed_count"] = count_word(len(SEEDS)).lower()
    out["weight_example"] = str(WEIGHT_EXAMPLE)
    out["weight_example_slope"] = sp.latex(
        weighted_sigmoid_slope(sp.Integer(WEIGHT_EXAMPLE))
    )
    out["gelu_relu_from"] = str(GELU_FROM)
    out["boost_factor"] = str(BOOST_FACTOR)
    for key, exponent in (
        ("sigmoid_below", SIGMOID_BELOW),
        ("boost_below", BOOST_BELOW),
        ("sgd_still", SGD_STILL),
        ("adam_moves", ADAM_MOVES),
        ("gelu_relu_gap", GELU_GAP),
    ):
        out[key] = f"10^{{{exponent}}}"
    steps = _defaults("vanishing", "weight_changes")["steps"]
    out["train_steps"] = str(steps)
    training = vanishing_training()
    runs = training["changes"]
    for label in v.OPTIMIZERS:
        key, change = label.lower(), runs[label]
        out[f"{key}_lr"] = f"{v.OPTIMIZERS[label][1]:g}"
        out[f"{key}_first_change"] = f"{change[0]:.1e}"
        out[f"{key}_last_change"] = f"{change[-1]:.1e}"
    out["adam_eps"] = _power10(adam_eps())
    out["adam_eps_larger"] = _power10(training["larger_eps"])
    out["adam_larger_eps_first_change"] = f"{runs['Adam, larger eps'][0]:.1e}"
    first_grad = v.first_layer_gradient("sigmoid")
    out["first_grad_median"] = f"{first_grad.median().item():.1e}"
    # Adam's step on a gradient g far below eps is about lr * g / eps; SGD's is lr * g
    sgd_lr, adam_lr = v.OPTIMIZERS["SGD"][1], v.OPTIMIZERS["Adam"][1]
    out["adam_over_sgd"] = _power10(adam_lr / adam_eps() / sgd_lr)
    return out


# Every statement of this alt text is asserted, at these bounds, by
# tests/activations/test_activation_chapter.py::test_vanishing_gradients_measured.
@figure(
    "activations/vanishing",
    alt="Two log-scale line plots of the gradient norm of each of {{ vanish.depth }} hidden "
    "layers at initialization, for sigmoid, tanh, ReLU and GELU networks. With the "
    "recommended gains (left), the sigmoid network's gradient falls at every layer toward "
    f"the input, to less than 10^{SIGMOID_BELOW} of the last hidden layer's, while the "
    f"others stay within a factor of {NEAR_ONE} across all layers in this draw (seed 0); "
    "with nn.Linear's default init (right) every network's gradient is smaller at the "
    "first layer than at the last.",
    caption="Gradient norm per hidden layer (1 = next to the input) of a "
    "{{ vanish.depth }}-layer MLP at initialization, one random draw (seed 0). y axis "
    "logarithmic, fixed to "
    f"[{VANISH_YLIM[0]:g}, {VANISH_YLIM[1]:g}].",
)
def vanishing_figure():
    import matplotlib.pyplot as plt
    from activations import vanishing as v

    fig, axes = plt.subplots(1, 2, figsize=(8.8, 3.6), sharey=True)
    for ax, init, title in zip(
        axes,
        ("gain", "default"),
        ("recommended gain", "nn.Linear default init"),
        strict=True,
    ):
        for n, name in enumerate(v.ACTIVATIONS):
            norms = v.gradient_norms(name, init=init)
            ax.semilogy(
                range(1, len(norms) + 1), norms, marker=f"{'os^D'[n]}", label=name
            )
        ax.set(title=title, xlabel="hidden layer", ylim=VANISH_YLIM)
    axes[0].set_ylabel(r"$\|\partial L / \partial W\|$")
    axes[0].legend(loc="lower right")
    return fig


# ---------------------------------------------------------------------------- dying ReLU
LOSS_FACTOR = 3  # with Adam, leaky ReLU and ELU end with less than 1/3 of ReLU's loss
DYING_LOSS_YLIM = (1e-2, 1e1)


def _dying() -> dict[str, object]:
    """The defaults of snippets/activations/dying_relu.py's train()."""
    return _defaults("dying_relu", "train")


LEAKY_NAMES = (
    "leaky ReLU (0.01)",
    "ELU",
)  # the activations with a gradient when inactive


@registry.runs("dying")
@functools.cache
def dying_runs() -> dict[
    tuple[str, str], tuple[torch.nn.Module, dict[str, list[float]]]
]:
    """{(optimizer, activation): (trained model, history)} for every pair."""
    from activations import dying_relu as d

    return {
        (label, name): d.train(act(), opt, lr)
        for label, (opt, lr) in d.OPTIMIZER_LRS.items()
        for name, act in d.RELU_FAMILY.items()
    }


ELU_SGD_SMALL_LR = 0.01  # below 2 / curvature: the ELU network trains with SGD


@registry.runs("dying.elu_sgd_small_lr")
@functools.cache
def elu_sgd_small_lr() -> dict[str, object]:
    """The ELU network trained with SGD at learning rate "lr": its "history"."""
    from activations import dying_relu as d

    history = d.train(d.RELU_FAMILY["ELU"](), torch.optim.SGD, ELU_SGD_SMALL_LR)[1]
    return {"lr": ELU_SGD_SMALL_LR, "history": history}


def diverged_after(loss: list[float]) -> int | None:
    """The number of steps after which the loss was first not finite; None if never."""
    return next((n for n, v in enumerate(loss) if not math.isfinite(v)), None)


@facts("dying")
def dying_facts() -> dict[str, str]:
    from activations import dying_relu as d

    runs = dying_runs()
    settings = _dying()
    out = {"steps": str(settings["steps"])}
    lines = [
        "| optimizer | activation | inactive at start | inactive at end | final loss |",
        "|---|---|---|---|---|",
    ]
    for (label, name), (_, h) in runs.items():
        key = f"{name.split()[0].lower()}_{label.lower()}"
        out[f"{key}_dead_start"] = f"{h['dead'][0]:.0%}"
        stop = diverged_after(h["loss"])
        if stop is None:
            out[f"{key}_dead_end"] = f"{h['dead'][-1]:.0%}"
            out[f"{key}_loss_end"] = f"{h['loss'][-1]:.3f}"
        else:
            out[f"{key}_diverged_after"] = str(stop)
            out[f"{key}_dead_end"] = "n/a"
            out[f"{key}_loss_end"] = f"diverged (not finite after {stop} steps)"
        lines.append(
            f"| {label} | {name} | {out[f'{key}_dead_start']} | {out[f'{key}_dead_end']} "
            f"| {out[f'{key}_loss_end']} |"
        )
    out["table"] = "\n".join(lines)
    for label, (_, lr) in d.OPTIMIZER_LRS.items():
        out[f"{label.lower()}_lr"] = f"{lr:g}"
    out["bias"], out["width"] = f"{settings['bias']:g}", str(settings["width"])
    out["loss_factor"] = str(LOSS_FACTOR)
    out["seeds"] = f"{SEEDS[0]} to {SEEDS[-1]}"
    for name, act in d.RELU_FAMILY.items():
        out[f"{name.split()[0].lower()}_curvature"] = f"{d.output_curvature(act()):.1f}"
    # SGD is stable on a quadratic only for lr < 2 / curvature; rounded up, so that a
    # learning rate at or above the printed limit is above the true one
    elu = d.RELU_FAMILY["ELU"]
    out["elu_sgd_limit"] = f"{round_up(2 / d.output_curvature(elu())):g}"
    out["elu_inactive_mean"] = f"{d.inactive_outputs(elu()).mean().item():.2f}"
    run = elu_sgd_small_lr()
    small = run["history"]
    out["elu_sgd_small_lr"] = f"{run['lr']:g}"
    out["elu_sgd_small_loss_start"] = f"{small['loss'][0]:.3f}"
    out["elu_sgd_small_loss_end"] = f"{small['loss'][-1]:.3f}"
    smallest = min(
        d.inactive_bias_gradients(d.RELU_FAMILY[name]()).min().item()
        for name in LEAKY_NAMES
    )
    out["grad_min_bound"] = _power10(10.0 ** math.floor(math.log10(smallest)))
    out["leaky_slope"] = f"{d.RELU_FAMILY['leaky ReLU (0.01)']().negative_slope:g}"
    return out


# Every statement of this alt text is asserted by
# tests/activations/test_activation_chapter.py::test_dying_relu_measured.
@figure(
    "activations/dying-relu",
    alt="Two line plots over training steps, solid lines for Adam and dashed for plain SGD. "
    "Left: the share of hidden units inactive on every input. With Adam it ends higher than "
    "it started for ReLU and lower for leaky ReLU and ELU; with SGD it ends no lower for "
    "ReLU and leaky ReLU, and the ELU run diverges and its lines end. Right: training loss "
    f"on a log scale; with Adam, in this run (seed 0), leaky ReLU and ELU end below "
    f"1/{LOSS_FACTOR} of ReLU's loss.",
    caption="One hidden layer of {{ dying.width }} units whose biases start at "
    "{{ dying.bias }}, one random initialization (seed 0). Left: share of units "
    "inactive on all inputs (y fixed to [0, 1]); "
    f"right: loss (log scale, fixed to [{DYING_LOSS_YLIM[0]:g}, {DYING_LOSS_YLIM[1]:g}]).",
)
def dying_figure():
    import matplotlib.pyplot as plt
    from activations import dying_relu as d

    fig, (left, right) = plt.subplots(1, 2, figsize=(8.8, 3.4))
    styles = dict(zip(d.OPTIMIZER_LRS, ("-", "--"), strict=True))
    for (label, name), (_, h) in dying_runs().items():
        n = list(d.RELU_FAMILY).index(name)
        kw = dict(color=f"C{n}", linestyle=styles[label], marker="os^"[n], markevery=25)
        left.plot(h["dead"], label=f"{name}, {label}", **kw)
        right.semilogy(h["loss"], **kw)
    left.set(xlabel="step", ylabel="inactive on every input", ylim=(0, 1))
    right.set(xlabel="step", ylabel="MSE loss", ylim=DYING_LOSS_YLIM)
    left.legend(loc="lower left", fontsize="small")
    return fig
