"""Training deep networks: facts, formulas and figures, all from
snippets/architectures/training.py."""

from __future__ import annotations

import json
import math
from functools import cache

import sympy as sp

from docs_build import registry
from docs_build.common import defaults, one_thread
from docs_build.formulas import formula
from docs_build.registry import cached_result, facts, figure

# --- Initialization gain ------------------------------------------------------------------
a = sp.Symbol("a", nonnegative=True)  # leaky ReLU's negative slope
g = sp.Symbol("g", positive=True)  # the gain
n_in = sp.Symbol("n_{in}", integer=True, positive=True)
INIT_STD = formula(
    "training_init_std", g / sp.sqrt(n_in), args=(g, n_in), lhs=r"\sigma_w"
)
LEAKY_GAIN = formula("training_leaky_gain", sp.sqrt(2 / (1 + a**2)), args=(a,), lhs="g")

# --- Normalization ------------------------------------------------------------------------
xs, mu, sigma, eps, gamma, beta = sp.symbols(
    r"x \mu \sigma \epsilon \gamma \beta", real=True
)
i, N = sp.symbols("i N", integer=True, positive=True)
X = sp.IndexedBase("x")
MEAN = formula("training_mean", sp.Sum(X[i], (i, 1, N)) / N, args=(N,), lhs=r"\mu")
VARIANCE = formula(
    "training_variance",
    sp.Sum((X[i] - mu) ** 2, (i, 1, N)) / N,
    args=(N, mu),
    lhs=r"\sigma^2",
    latex_order="rev-lex",
)
NORMALIZE = formula(
    "training_normalize",
    gamma * (xs - mu) / sp.sqrt(sigma**2 + eps) + beta,
    args=(xs, mu, sigma, eps, gamma, beta),
    lhs="y",
    latex_order="rev-lex",
)
r_old, stat, m = sp.symbols(r"r s m", real=True)
RUNNING = formula(
    "training_running",
    (1 - m) * r_old + m * stat,
    args=(r_old, stat, m),
    lhs=r"r_{\text{new}}",
)

# --- Dropout ------------------------------------------------------------------------------
p = sp.Symbol("p", nonnegative=True)
u = sp.Symbol("u", nonnegative=True)  # one uniform draw in [0, 1) per unit
DROPOUT = formula(
    "training_dropout",
    sp.Piecewise((xs / (1 - p), u >= p), (0, True)),
    args=(xs, p, u),
    lhs=r"\tilde{x}",
)

# --- Optimizers ---------------------------------------------------------------------------
theta, grad, lr, b1, b2, t = sp.symbols(
    r"\theta_{t-1} g \eta \beta_1 \beta_2 t", real=True
)
m_prev, v_prev, m_t, v_t = sp.symbols("m_{t-1} v_{t-1} m_t v_t", real=True)
SGD_STEP = formula(
    "training_sgd",
    theta - lr * grad,
    args=(theta, lr, grad),
    lhs=r"\theta_t",
    latex_order="rev-lex",
)
ADAM_M = formula(
    "training_adam_m", b1 * m_prev + (1 - b1) * grad, args=(m_prev, grad, b1), lhs="m_t"
)
ADAM_V = formula(
    "training_adam_v",
    b2 * v_prev + (1 - b2) * grad**2,
    args=(v_prev, grad, b2),
    lhs="v_t",
)
ADAM_STEP = formula(
    "training_adam_step",
    theta - lr * (m_t / (1 - b1**t)) / (sp.sqrt(v_t / (1 - b2**t)) + eps),
    args=(theta, lr, m_t, v_t, b1, b2, t, eps),
    lhs=r"\theta_t",
    latex_order="rev-lex",
)

# The page's claims, each asserted by a test in tests/architectures/test_training.py:
GAINS = (("tanh", 1.0), ("tanh", 5 / 3), ("relu", 1.0), ("relu", math.sqrt(2)))
KEPT_RANGE = (0.6, 0.9)  # with its gain, each stack's std stays in here at every layer
RELU_NO_GAIN_BELOW = 1e-3  # ReLU without its gain, after the last layer
TANH_NO_GAIN_BELOW = 0.2  # tanh without its gain, after the last layer
TARGET_LOSS = 0.3  # the loss the normalization runs race to
COIN_LOSS = math.log(2)  # logistic loss of predicting 1/2 everywhere
STALLED_WITHIN = 0.01  # the net without normalization stays this close to COIN_LOSS
DROPOUT_P = 0.5
ADAM_RATIO_BELOW = 0.1  # Adam's final loss over the best SGD run's


@registry.runs("training")
@cache
def results() -> dict:
    """Every run the page needs, on one thread (the script's main does the same, so the
    reader's run prints the page's numbers); run once per set of sources and shared by the
    facts, the figures and the tests that read them (registry.cached_result)."""
    return cached_result(_results)


def _results() -> dict:
    from architectures import training as tr

    with one_thread():
        return {
            "gain": {
                f"{act} {gain:.3f}": tr.activation_scale(act, gain)
                for act, gain in GAINS
            },
            "norms": tr.compare_norms(),
            "dropout": {q: tr.dropout_gap(q) for q in (0.0, DROPOUT_P)},
            "optim": tr.compare_optimizers(),
        }


def pct(v: float) -> str:
    """A fraction as a percentage with one decimal, the form every page uses."""
    return f"{v:.1%}"


def steps_below(losses: list[float], target: float) -> str:
    """The first step whose loss is below target, or "more than N"."""
    reached = next((k + 1 for k, v in enumerate(losses) if v < target), None)
    return str(reached) if reached else f"more than {len(losses)}"


@facts("training")
def training_facts() -> dict[str, str]:
    import torch
    from architectures import training as tr

    r = results()
    out: dict[str, str] = {
        "gain_tanh": sp.latex(sp.nsimplify(torch.nn.init.calculate_gain("tanh"))),
        "gain_relu": sp.latex(sp.nsimplify(torch.nn.init.calculate_gain("relu"))),
        "gain_linear": str(torch.nn.init.calculate_gain("linear")),
        "gain_sigmoid": str(torch.nn.init.calculate_gain("sigmoid")),
    }
    scale = defaults(tr.activation_scale)
    out["gain_depth"], out["gain_width"] = str(scale["depth"]), str(scale["width"])
    out["gain_points"] = f"{scale['n']:,}"
    for key, scales in r["gain"].items():
        name = key.replace(" ", "_").replace(".", "_")
        out[f"std_{name}"] = (
            f"{scales[-1]:.2g}" if scales[-1] > 0.01 else f"{scales[-1]:.1e}"
        )
    out["kept_from"], out["kept_to"] = (str(v) for v in KEPT_RANGE)
    out["relu_no_gain_below"] = f"{RELU_NO_GAIN_BELOW:g}"
    out["tanh_no_gain_below"] = f"{TANH_NO_GAIN_BELOW:g}"

    norms = defaults(tr.compare_norms)
    out["norm_depth"], out["norm_lr"] = str(norms["depth"]), str(norms["lr"])
    out["norm_n_train"] = f"{norms['n_train']:,}"
    out["norm_width"] = str(defaults(tr.MLP.__init__)["width"])
    out["target_loss"] = str(TARGET_LOSS)
    out["coin_loss"] = f"{COIN_LOSS:.3f}"
    out["stalled_within"] = str(STALLED_WITHIN)
    for norm, run in r["norms"].items():
        out[f"norm_{norm}_final"] = f"{run['losses'][-1]:.3f}"
        out[f"norm_{norm}_steps"] = steps_below(run["losses"], TARGET_LOSS)
        out[f"norm_{norm}_seconds"] = f"{run['seconds']:.2f}"
    out["norm_steps"] = str(len(r["norms"]["none"]["losses"]))

    drop = defaults(tr.dropout_gap)
    out["dropout_p"] = str(DROPOUT_P)
    out["dropout_steps"], out["dropout_width"] = str(drop["steps"]), str(drop["width"])
    out["dropout_n_train"] = str(drop["n_train"])
    out["dropout_seeds"] = str(len(drop["seeds"]))
    out["dropout_flip"] = f"{drop['flip']:.0%}"
    out["dropout_n_test"] = f"{drop['n_test']:,}"
    out["dropout_lr"] = str(defaults(tr.train)["lr"])
    bn = torch.nn.BatchNorm1d(1)
    out["bn_eps"] = f"$10^{{{round(math.log10(bn.eps))}}}$"
    out["bn_momentum"] = str(bn.momentum)
    adam = torch.optim.Adam([torch.zeros(1, requires_grad=True)]).defaults
    out["adam_beta1"], out["adam_beta2"] = (str(b) for b in adam["betas"])
    out["adam_eps"] = f"10^{{{round(math.log10(adam['eps']))}}}"  # page: $...$
    out["optim_depth"] = str(defaults(tr.compare_optimizers)["depth"])
    rows = [
        "| Seed | Dropout | Training accuracy | Test accuracy | Gap |",
        "|---:|---:|---:|---:|---:|",
    ]
    for seed_index, seed in enumerate(drop["seeds"]):
        for q, runs in r["dropout"].items():
            run = runs[seed_index]
            rows.append(
                f"| {seed} | {q} | {pct(run['train'])} | {pct(run['test'])} "
                f"| {pct(run['train'] - run['test'])} |"
            )
    out["dropout_table"] = "\n".join(rows)
    # Every run's (train, test) accuracy, for the claims' tests (not on the page).
    out["dropout_runs"] = json.dumps(
        {
            str(q): [[v["train"], v["test"]] for v in runs]
            for q, runs in r["dropout"].items()
        }
    )

    opt = r["optim"]
    out["optim_steps"] = str(defaults(tr.compare_optimizers)["steps"])
    for name, losses in opt.items():
        out["final_" + name.replace(" lr=", "_").replace(".", "_")] = (
            f"{losses[-1]:.3f}"
        )
    sgd = sorted((v[-1], k) for k, v in opt.items() if k.startswith("sgd"))
    (best, best_name), (other, _) = sgd
    out["sgd_best_final"], out["sgd_other_final"] = f"{best:.3f}", f"{other:.3f}"
    out["sgd_best_lr"] = best_name.split("=")[1]
    (out["adam_lr"],) = (k.split("=")[1] for k in opt if k.startswith("adam"))
    out["adam_ratio_below"] = str(ADAM_RATIO_BELOW)
    out["optim_lrs"] = " and ".join(k.split("=")[1] for k in opt if k.startswith("sgd"))
    return out


def _styles() -> list[dict]:
    """Line style and marker per curve, so that color is not the only signal."""
    return [
        {"linestyle": "-", "marker": "o"},
        {"linestyle": "--", "marker": "s"},
        {"linestyle": ":", "marker": "^"},
        {"linestyle": "-.", "marker": "D"},
    ]


@figure(
    "architectures/training-gain",
    # What this alt text states is asserted by
    # tests/architectures/test_training.py::test_the_gain_keeps_the_scale_and_its_absence_loses_it
    alt=(
        "Standard deviation of the activations (log scale) after each of "
        "{{ training.gain_depth }} layers, for tanh and ReLU stacks with and without their "
        "gain: with the gain both stay between {{ training.kept_from }} and "
        "{{ training.kept_to }}; without it ReLU falls to {{ training.std_relu_1_000 }} "
        "and tanh drifts down to {{ training.std_tanh_1_000 }}."
    ),
    caption="Activation scale through deep stacks, weights drawn with std gain / sqrt(fan_in).",
)
def gain_scale():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for (key, scales), style in zip(results()["gain"].items(), _styles(), strict=True):
        act, gain = key.split()
        ax.plot(
            range(1, len(scales) + 1),
            scales,
            markersize=4,
            label=f"{act}, gain {gain}",
            **style,
        )
    ax.set_yscale("log")
    ax.set_ylim(1e-4, 3)
    ax.set_xlabel("layer")
    ax.set_ylabel("activation std (log scale)")
    ax.legend(fontsize=9)
    return fig


def _curves(ax, curves: dict[str, list[float]]) -> None:
    for (name, losses), style in zip(
        curves.items(), _styles()[: len(curves)], strict=True
    ):
        ax.plot(
            range(1, len(losses) + 1),
            losses,
            markevery=max(1, len(losses) // 10),
            markersize=5,
            label=name,
            **style,
        )
    ax.set_yscale("log")
    ax.set_ylim(3e-3, 1.5)
    ax.set_xlabel("training step (full batch)")
    ax.set_ylabel("training loss (log scale)")
    ax.legend(fontsize=9)


@figure(
    "architectures/training-norms",
    # What this alt text states is asserted by
    # tests/architectures/test_training.py::test_batch_norm_trains_fastest_and_plain_sgd_stalls
    alt=(
        "Training loss (log scale) against step for the same {{ training.norm_depth }}-layer "
        "net trained by plain SGD without normalization, with batch norm and with layer "
        "norm: batch norm's loss is the lowest of the three after the first step and ends at "
        "{{ training.norm_batch_final }}; layer norm ends at "
        "{{ training.norm_layer_final }}; without normalization the loss stays within "
        "{{ training.stalled_within }} of {{ training.coin_loss }}, the loss of guessing, "
        "at every step."
    ),
    caption="Same net, same start, same optimizer: only the normalization layer differs.",
)
def norm_curves():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    names = {"none": "no normalization", "batch": "batch norm", "layer": "layer norm"}
    _curves(ax, {names[k]: v["losses"] for k, v in results()["norms"].items()})
    return fig


@figure(
    "architectures/training-optimizers",
    # What this alt text states is asserted by
    # tests/architectures/test_training.py::test_adam_ends_far_below_sgd
    alt=(
        "Training loss (log scale) against step for the same net trained from the same "
        "start by SGD at learning rates {{ training.optim_lrs }} and by Adam: Adam ends at "
        "{{ training.final_adam_0_01 }}, the better SGD run at "
        "{{ training.sgd_best_final }}."
    ),
    caption="Same net, same start, same number of full-batch steps: only the optimizer differs.",
)
def optimizer_curves():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    _curves(ax, results()["optim"])
    return fig
