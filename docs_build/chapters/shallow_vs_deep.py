"""Shallow versus deep networks: facts, formulas and figures, all from
snippets/architectures/shallow_vs_deep.py."""

from __future__ import annotations

import json
import math
from functools import cache

import sympy as sp

from docs_build.common import Lazy, LazyModule, defaults, one_thread
from docs_build.formulas import formula, x
from docs_build.registry import cached_result, facts, figure, runs

# Imported on first use: the build imports this chapter without them.
torch = LazyModule("torch")

# Parameter counts of fully connected nets, written once: d inputs, o outputs.
d, o, H, h, L = sp.symbols("d o H h L", integer=True, positive=True)
SHALLOW_PARAMS = formula(
    "shallow_params", (d + 1) * H + (H + 1) * o, args=(d, H, o), lhs="P"
)
DEEP_PARAMS = formula(
    "deep_params",
    (d + 1) * h + (L - 1) * (h + 1) * h + (h + 1) * o,
    args=(d, h, L, o),
    lhs="P",
)
n_in, n_out, B = sp.symbols("n_{in} n_{out} B", integer=True, positive=True)
DENSE_FLOPS = formula(
    "dense_flops",
    B * (2 * n_in * n_out + n_out),
    args=(B, n_in, n_out),
    lhs=r"\text{FLOPs}",
)

# The two activations the race below compares, printed from sympy and checked against
# torch.sigmoid and torch.relu (values and derivatives) by tests/test_formulas.py.
SIGMOID = formula(
    "shallow_sigmoid",
    1 / (1 + sp.exp(-x)),
    reference=Lazy("torch", "sigmoid"),
    lhs=r"\sigma(x)",
)
RELU = formula(
    "shallow_relu",
    sp.Max(0, x),
    reference=Lazy("torch", "relu"),
    lhs=r"\mathrm{ReLU}(x)",
)


def sigmoid_slope_peak() -> tuple[sp.Expr, sp.Expr]:
    """Where the sigmoid's slope is largest, and its value there: the slope's only
    stationary point (sympy solves for it)."""
    slope = sp.diff(SIGMOID.expr, x)
    (at,) = sp.solve(sp.diff(slope, x), x)
    return at, sp.nsimplify(slope.subs(x, at))


TARGET_LOSS = 0.3  # the loss the sigmoid and ReLU nets race to
COIN_LOSS = math.log(2)  # logistic loss of predicting 1/2 everywhere
COIN_WITHIN = 0.1  # the sigmoid net ends below COIN_LOSS, by less than this
MATMUL_SIZES = (64, 256, 1024)
SMALL_STD = 0.01  # the too-small initialization the He initialization is compared with
# The page's claims, each asserted by a test in tests/architectures/test_shallow_vs_deep.py:
ACCURACY_AT_LEAST = 0.9  # both nets' test accuracy
DATA_GAIN_AT_LEAST = (
    0.25  # test accuracy each net gains from the smallest to the largest data set
)
DATA_APART_BELOW = 0.05  # the two learning curves' gap at every size
HE_SCALE_RANGE = (
    0.3,
    3.0,
)  # He init keeps the activations' std in this range, every layer
VANISHED_BELOW = 1e-10  # the small init's std after the last layer
INPUTS_ACCURACY_AT_LEAST = 0.9  # features + shallow MLP and pixels + CNN, on new images
INPUTS_GAP_AT_LEAST = 0.2  # the MLP on raw pixels is below both by at least this
INIT_SEEDS = range(10)  # starting weights the first-layer gradient is measured from
DATA_SEEDS = range(10)  # draws of the training spirals the comparison is repeated on
CURVE_SEEDS = (1, 2, 3)  # other draws the learning curves are repeated on (~3 s each)
CURVE_GAIN_AT_LEAST = 0.2  # each net's gain from the smallest to the largest set, there


@runs("shallow")
@cache
def results() -> dict:
    """Every training run the page needs, on one thread (the script's main does the same,
    so the reader's run prints the page's numbers); run once per set of sources, and
    shared by the facts, the figures and the tests that read them (registry.cached_result)."""
    return cached_result(_results)


def _results() -> dict:
    from architectures import shallow_vs_deep as sd
    from torch import nn

    with one_thread():
        inputs = sd.classify_shapes()
        compared = sd.compare()
        race = {
            act.__name__: sd.steps_to_loss(act, TARGET_LOSS)
            for act in (nn.Sigmoid, nn.ReLU)
        }
        return {
            "inputs": inputs,
            "compare": compared,
            "race": race,
            "first_gradient": {
                seed: {
                    act.__name__: sd.first_layer_gradient(act, seed=seed)
                    for act in (nn.Sigmoid, nn.ReLU)
                }
                for seed in INIT_SEEDS
            },
            "data": {
                "shallow": sd.accuracy_vs_data(
                    widths=[2, sd.shallow_width_matching(sd.DEEP_WIDTHS), 1]
                ),
                "deep": sd.accuracy_vs_data(),
            },
            "init": {
                "small": sd.activation_scale(SMALL_STD),
                "he": sd.activation_scale(None),
            },
        }


@runs("shallow.checks")
@cache
def checks() -> dict:
    """Runs only the facts need: the race at the comparison's learning rate, and the
    comparison on other draws of the training spirals; once per set of sources, as
    ``results``."""
    return cached_result(_checks)


def _checks() -> dict:
    from architectures import shallow_vs_deep as sd
    from torch import nn

    with one_thread():
        # The race's lower learning rate, and why: at the comparison's own rate ReLU's
        # loss reaches the target and then climbs back above it.
        relu_at_train_lr = sd.steps_to_loss(
            nn.ReLU, TARGET_LOSS, lr=defaults(sd.train)["lr"]
        )
        compared = results()["compare"]
        draws = {
            seed: {
                name: r["losses"][-1]
                for name, r in (
                    compared if seed == 0 else sd.compare(data_seed=seed)
                ).items()
            }
            for seed in DATA_SEEDS
        }
        shallow_widths = [2, sd.shallow_width_matching(sd.DEEP_WIDTHS), 1]
        curves = {
            seed: {
                "shallow": sd.accuracy_vs_data(widths=shallow_widths, data_seed=seed),
                "deep": sd.accuracy_vs_data(data_seed=seed),
            }
            for seed in CURVE_SEEDS
        }
        moved = {
            act.__name__: race_first_layer_change(act) for act in (nn.Sigmoid, nn.ReLU)
        }
    return {
        "relu_at_train_lr": relu_at_train_lr,
        "draws": draws,
        "curves": curves,
        "first_layer_change": moved,
    }


def race_first_layer_change(activation) -> tuple[float, list[float]]:
    """The race again (steps_to_loss's net, data, seeds and optimizer), keeping the model:
    how far the first layer's weights moved, ||W - W0|| / ||W0||, and the losses (a test
    checks that they are the race's, step for step)."""
    from architectures import shallow_vs_deep as sd

    race = defaults(sd.steps_to_loss)
    x, y = sd.make_spirals(race["n_train"], seed=0)
    torch.manual_seed(0)
    model = sd.MLP([2] + [race["width"]] * race["depth"] + [1], activation)
    start = model.net[0].weight.detach().cpu().clone()
    losses = sd.train(model, x, y, steps=race["max_steps"], lr=race["lr"])
    moved = (model.net[0].weight.detach().cpu() - start).norm() / start.norm()
    return moved.item(), losses


def gradient_ratios() -> dict[int, float]:
    """Init seed -> ReLU's first-layer gradient norm over the sigmoid's, before training."""
    return {
        seed: g["ReLU"] / g["Sigmoid"]
        for seed, g in results()["first_gradient"].items()
    }


def curve_gaps() -> dict[int, float]:
    """Data seed -> the largest gap between the two learning curves, over the sizes."""
    out = {0: results()["data"]} | checks()["curves"]
    return {
        seed: max(abs(c["shallow"][n] - c["deep"][n]) for n in c["deep"])
        for seed, c in out.items()
    }


def pct(v: float) -> str:
    """A fraction as a percentage with one decimal, the form every page uses."""
    return f"{v:.1%}"


@facts("shallow")
def shallow_facts() -> dict[str, str]:
    from architectures import shallow_vs_deep as sd

    r = results()
    c = r["compare"]
    shallow, deep = c["shallow"], c["deep"]
    out = {
        "shallow_width": str(shallow["widths"][1]),
        "deep_widths": " → ".join(str(w) for w in deep["widths"]),
        "shallow_widths": " → ".join(str(w) for w in shallow["widths"]),
        "deep_hidden_layers": str(len(deep["widths"]) - 2),
        "deep_width": str(deep["widths"][1]),
        "shallow_parameters": f"{shallow['parameters']:,}",
        "deep_parameters": f"{deep['parameters']:,}",
        "parameter_match": (
            "are equal"
            if shallow["parameters"] == deep["parameters"]
            else "differ by " + pct(abs(shallow["parameters"] / deep["parameters"] - 1))
        ),
        "steps": str(len(deep["losses"])),
        "shallow_test_accuracy": pct(shallow["test_accuracy"]),
        "deep_test_accuracy": pct(deep["test_accuracy"]),
        "shallow_train_accuracy": pct(shallow["train_accuracy"]),
        "deep_train_accuracy": pct(deep["train_accuracy"]),
        "shallow_final_loss": f"{shallow['losses'][-1]:.3f}",
        "deep_final_loss": f"{deep['losses'][-1]:.3f}",
        "shallow_seconds": f"{shallow['seconds']:.1f}",
        "deep_seconds": f"{deep['seconds']:.1f}",
        "target_loss": f"{TARGET_LOSS}",
        "sigmoid_slope_max": sp.latex(sigmoid_slope_peak()[1]),
    }
    for name, (reached, losses) in r["race"].items():
        key = name.lower()
        out[f"{key}_steps"] = str(reached) if reached else f"more than {len(losses)}"
        out[f"{key}_final_loss"] = f"{losses[-1]:.3f}"
    out["race_steps"] = str(len(r["race"]["ReLU"][1]))
    for name, run in r["inputs"].items():
        out[f"{name}_parameters"] = f"{run['parameters']:,}"
        out[f"{name}_train_accuracy"] = pct(run["train_accuracy"])
        out[f"{name}_test_accuracy"] = pct(run["test_accuracy"])
        out[f"{name}_cpu_seconds"] = f"{run['cpu_seconds']:.1f}"
    shapes = defaults(sd.classify_shapes)
    out["inputs_n_train"] = f"{shapes['n_train']:,}"
    out["inputs_n_test"] = f"{shapes['n_test']:,}"
    out["inputs_steps"] = str(shapes["steps"])
    out["inputs_size"] = str(defaults(sd.make_shapes)["size"])
    out["inputs_noise"] = str(defaults(sd.make_shapes)["noise"])
    out["inputs_pixels"] = str(defaults(sd.make_shapes)["size"] ** 2)
    out["inputs_features"] = str(r["inputs"]["features"]["model"][1].in_features)
    out["inputs_apart"] = str(defaults(sd.hand_features)["apart"])
    out["inputs_hidden"] = str(defaults(sd.shallow_mlp)["hidden"])
    out["inputs_accuracy_at_least"] = f"{INPUTS_ACCURACY_AT_LEAST:.0%}"
    out["inputs_gap_at_least"] = f"{INPUTS_GAP_AT_LEAST * 100:.0f}"
    grads = r["first_gradient"][0]
    out["sigmoid_first_gradient"] = f"{grads['Sigmoid']:.1e}"
    out["relu_first_gradient"] = f"{grads['ReLU']:.1e}"
    ratios = gradient_ratios().values()
    out["gradient_ratio_from"] = f"{math.floor(min(ratios)):,}"
    out["gradient_ratio_to"] = f"{math.ceil(max(ratios)):,}"
    out["init_seeds"] = f"{min(INIT_SEEDS)}–{max(INIT_SEEDS)}"
    out["init_seed_count"] = str(len(INIT_SEEDS))
    for name, (moved, _) in checks()["first_layer_change"].items():
        out[f"{name.lower()}_first_change"] = f"{moved:.2f}"
    out["race_lr"] = str(defaults(sd.steps_to_loss)["lr"])
    out["train_lr"] = str(defaults(sd.train)["lr"])
    reached, losses = checks()["relu_at_train_lr"]
    out["relu_train_lr_steps"] = str(reached) if reached else f"more than {len(losses)}"
    out["relu_train_lr_final_loss"] = f"{losses[-1]:.3f}"
    draws = checks()["draws"]
    out["draws"] = str(len(draws))
    out["draw_seeds"] = f"{min(draws)}–{max(draws)}"
    out["draws_deep_lower"] = str(sum(d["deep"] < d["shallow"] for d in draws.values()))
    # Every draw's two final losses, for the test of the count above (not on the page).
    out["draw_losses"] = json.dumps(
        {
            str(k): [round(d["shallow"], 6), round(d["deep"], 6)]
            for k, d in draws.items()
        }
    )
    out["coin_loss"] = f"{COIN_LOSS:.3f}"
    out["coin_within"] = f"{COIN_WITHIN}"
    out["sigmoid_below_coin"] = f"{COIN_LOSS - r['race']['Sigmoid'][1][-1]:.3f}"
    data = r["data"]
    sizes = sorted(data["deep"])
    out["data_sizes"] = ", ".join(str(n) for n in sizes)
    out["data_smallest"], out["data_largest"] = str(sizes[0]), str(sizes[-1])
    for name, curve in data.items():
        out[f"data_{name}_smallest"] = pct(curve[sizes[0]])
        out[f"data_{name}_largest"] = pct(curve[sizes[-1]])
    out["data_table"] = "\n".join(
        [
            "| Training points | Shallow: test accuracy | Deep: test accuracy |",
            "|---:|---:|---:|",
        ]
        + [
            f"| {n} | {pct(data['shallow'][n])} | {pct(data['deep'][n])} |"
            for n in sizes
        ]
    )
    ahead = [n for n in sizes if data["shallow"][n] > data["deep"][n]]
    out["data_shallow_ahead"] = ", ".join(str(n) for n in ahead) or "none"
    out["data_apart_below"] = f"{DATA_APART_BELOW * 100:.0f}"
    gaps = {k: v for k, v in curve_gaps().items() if k in CURVE_SEEDS}
    widest = max(gaps, key=gaps.get)
    out["curve_seeds"] = f"{min(CURVE_SEEDS)}–{max(CURVE_SEEDS)}"
    out["curve_seed_count"] = str(len(CURVE_SEEDS))
    out["curve_widest_gap"] = f"{gaps[widest] * 100:.1f}"
    out["curve_widest_seed"] = str(widest)
    out["curve_gain_at_least"] = f"{CURVE_GAIN_AT_LEAST * 100:.0f}"
    small, he = r["init"]["small"], r["init"]["he"]
    out["init_depth"] = str(len(small))
    out["init_small_last"] = f"{small[-1]:.1e}"
    out["init_he_last"] = f"{he[-1]:.2f}"
    deep_model, shallow_model = deep["model"], shallow["model"]
    out["deep_flops_per_point"] = f"{sd.forward_flops(deep_model, 1):,}"
    out["shallow_flops_per_point"] = f"{sd.forward_flops(shallow_model, 1):,}"
    setup = defaults(sd.compare)
    n_train = setup["n_train"]
    out["n_train"] = f"{n_train:,}"
    out["n_test"] = f"{setup['n_test']:,}"
    race = defaults(sd.steps_to_loss)
    out["race_depth"] = str(race["depth"])
    out["race_width"] = str(race["width"])
    out["data_steps"] = str(defaults(sd.accuracy_vs_data)["steps"])
    out["data_n_test"] = f"{defaults(sd.accuracy_vs_data)['n_test']:,}"
    scale = defaults(sd.activation_scale)
    out["init_points"] = f"{scale['n']:,}"
    out["init_width"] = str(scale["width"])
    out["init_small_std"] = str(SMALL_STD)
    out["accuracy_at_least"] = f"{ACCURACY_AT_LEAST:.0%}"
    out["data_gain_at_least"] = f"{DATA_GAIN_AT_LEAST * 100:.0f}"
    out["he_scale_from"], out["he_scale_to"] = (str(v) for v in HE_SCALE_RANGE)
    out["vanished_below"] = rf"$10^{{{round(math.log10(VANISHED_BELOW))}}}$"
    for name, net in (("shallow", shallow), ("deep", deep)):
        forward, step = sd.step_flops(net["widths"], n_train)
        out[f"{name}_backward_over_forward"] = f"{(step - forward) / forward:.2f}"
    train_flops = sd.step_flops(deep["widths"], n_train)[1] * len(deep["losses"])
    mantissa, exponent = f"{train_flops:.2e}".split("e")
    out["deep_training_flops"] = rf"${mantissa} \times 10^{{{int(exponent)}}}$"
    for n in MATMUL_SIZES:
        out[f"matmul_gflops_{n}"] = f"{sd.matmul_gflops(n):.1f}"
    out["matmul_repeats"] = str(defaults(sd.matmul_gflops)["repeats"])
    return out


def _boundary(ax, model, x, y, title: str) -> None:
    import torch

    grid = torch.linspace(-1.3, 1.3, 200)
    gx, gy = torch.meshgrid(grid, grid, indexing="xy")
    points = torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1).to(x.device)
    with torch.no_grad():
        z = (model(points) > 0).float().reshape(gx.shape).cpu()
    import matplotlib.pyplot as plt

    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"][:2]
    ax.contourf(gx, gy, z, levels=[-0.5, 0.5, 1.5], colors=colors, alpha=0.18)
    ax.contourf(gx, gy, z, levels=[0.5, 1.5], colors="none", hatches=["///"])
    ax.contour(
        gx, gy, z, levels=[0.5], colors=[ax.xaxis.label.get_color()], linewidths=1.2
    )
    xs, ys = x.cpu(), y.cpu()
    for label, marker, color in ((0, "o", colors[0]), (1, "^", colors[1])):
        pts = xs[ys == label]
        ax.scatter(
            pts[:, 0], pts[:, 1], s=9, marker=marker, color=color, label=f"arm {label}"
        )
    ax.set_xlim(-1.3, 1.3)
    ax.set_ylim(-1.3, 1.3)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_title(title, fontsize=10)


@figure(
    "architectures/spiral-boundaries",
    alt=(
        "Two panels, the shallow net on the left and the deep net on the right, each showing "
        "the two spirals (circles for arm 0, triangles for arm 1) over the plane from -1.3 to "
        "1.3, with the region the net assigns to arm 1 hatched and the boundary drawn as a line."
    ),
    caption=(
        "Decision regions of the two nets, whose parameter counts "
        "{{ shallow.parameter_match }}. Hatched: predicted arm 1. "
        "Circles: arm 0; triangles: arm 1 (training points)."
    ),
)
def spiral_boundaries():
    import matplotlib.pyplot as plt
    from architectures import shallow_vs_deep as sd

    c = results()["compare"]
    x, y = sd.make_spirals(defaults(sd.compare)["n_train"], seed=0)
    fig, axes = plt.subplots(1, 2, figsize=(9, 4.6), sharey=True)
    for ax, name in zip(axes, ("shallow", "deep"), strict=True):
        r = c[name]
        widths = " → ".join(str(w) for w in r["widths"])
        _boundary(
            ax,
            r["model"],
            x,
            y,
            f"{name}: {widths}\n{r['parameters']:,} parameters, test {r['test_accuracy']:.1%}",
        )
    axes[0].set_ylabel("$x_2$")
    axes[1].legend(loc="lower right", fontsize=9)
    return fig


@figure(
    "architectures/input-shapes",
    alt=(
        "A grid of example images, one row per shape: bars (horizontal or vertical), "
        "crosses and rings (square outlines), each drawn in gray levels at a random size "
        "and place, with noise on every pixel."
    ),
    caption=(
        "Examples of the three shapes, {{ shallow.inputs_size }} × "
        "{{ shallow.inputs_size }} pixels, the first of each from the training set "
        "(seed 0)."
    ),
)
def input_shapes():
    import matplotlib.pyplot as plt
    from architectures import shallow_vs_deep as sd

    images, labels = sd.make_shapes(defaults(sd.classify_shapes)["n_train"], seed=0)
    images, labels = images.cpu(), labels.cpu()
    per_row = 6
    fig, axes = plt.subplots(len(sd.SHAPES), per_row, figsize=(7.2, 3.8))
    for row, name in enumerate(sd.SHAPES):
        picked = images[labels == row][:per_row]
        for ax, image in zip(axes[row], picked, strict=True):
            ax.imshow(image[0].numpy(), cmap="gray", vmin=-0.5, vmax=1.5)
            ax.set_xticks([])
            ax.set_yticks([])
        axes[row][0].set_ylabel(name, rotation=0, ha="right", va="center")
    return fig


@figure(
    "architectures/sigmoid-vs-relu",
    # What this alt text states is asserted by
    # tests/architectures/test_shallow_vs_deep.py::test_relu_reaches_the_target_and_sigmoid_stalls
    alt=(
        "Training loss (log scale) against step for the same net of {{ shallow.race_depth }} "
        "hidden layers with sigmoid and with ReLU activations; the ReLU curve falls below the "
        "dotted target line and the sigmoid curve does not: it ends at "
        "{{ shallow.sigmoid_final_loss }}, {{ shallow.sigmoid_below_coin }} below ln 2, the "
        "loss of guessing."
    ),
    caption="Same architecture, same data, same optimizer: only the activation differs.",
)
def sigmoid_vs_relu():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for name, (_, losses) in results()["race"].items():
        ax.plot(range(1, len(losses) + 1), losses, label=name)
    ax.axhline(
        TARGET_LOSS, color=ax.xaxis.label.get_color(), linestyle=":", linewidth=1
    )
    ax.text(5, TARGET_LOSS * 1.06, f"target loss {TARGET_LOSS}", fontsize=9)
    ax.set_yscale("log")
    ax.set_xlabel("training step (full batch)")
    ax.set_ylabel("training loss (log scale)")
    ax.legend()
    return fig


@figure(
    "architectures/accuracy-vs-data",
    # What this alt text states is asserted by
    # tests/architectures/test_shallow_vs_deep.py::test_more_data_gives_higher_test_accuracy
    alt=(
        "Test accuracy against the number of training points on a log axis, for the "
        "shallow net (squares, dashed line) and the deep net (circles, solid line). Both "
        "rise: the shallow net from {{ shallow.data_shallow_smallest }} to "
        "{{ shallow.data_shallow_largest }}, the deep net from "
        "{{ shallow.data_deep_smallest }} to {{ shallow.data_deep_largest }}; the two lines "
        "stay less than {{ shallow.data_apart_below }} percentage points apart."
    ),
    caption=(
        "The shallow and the deep net of equal size, each trained for the same number of "
        "steps on more and more points."
    ),
)
def accuracy_vs_data():
    import matplotlib.pyplot as plt

    data = results()["data"]
    sizes = sorted(data["deep"])
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    for name, marker, style in (("shallow", "s", "--"), ("deep", "o", "-")):
        curve = [100 * data[name][n] for n in sizes]
        ax.plot(sizes, curve, marker=marker, linestyle=style, label=f"{name} net")
    ax.set_xscale("log")
    ax.minorticks_off()  # the log axis would label minor ticks too, over the sizes
    ax.set_xticks(sizes, [str(n) for n in sizes])
    ax.set_ylim(40, 100)
    ax.set_xlabel("training points (log scale)")
    ax.set_ylabel("test accuracy (%)")
    ax.legend(loc="lower right")
    return fig


@figure(
    "architectures/init-scale",
    # What this alt text states is asserted by tests/architectures/test_shallow_vs_deep.py::
    # test_he_init_keeps_the_scale_and_small_weights_lose_it
    alt=(
        "Standard deviation of the activations (log scale) after each of "
        "{{ shallow.init_depth }} ReLU layers: with He initialization it stays between "
        "{{ shallow.he_scale_from }} and {{ shallow.he_scale_to }} at every layer; with weights "
        "drawn at standard deviation {{ shallow.init_small_std }} it shrinks at every layer, "
        "to {{ shallow.init_small_last }}."
    ),
    caption="Activation scale through a deep ReLU stack under two initializations.",
)
def init_scale():
    import matplotlib.pyplot as plt

    init = results()["init"]
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    for key, label in (
        ("he", "He init, std = sqrt(2 / fan_in)"),
        ("small", f"std = {SMALL_STD}"),
    ):
        ax.plot(range(1, len(init[key]) + 1), init[key], marker="o", label=label)
    ax.set_yscale("log")
    ax.set_xlabel("layer")
    ax.set_ylabel("activation std (log scale)")
    ax.legend()
    return fig
