"""Convolutional networks: formulas, facts and figures, all from snippets/architectures/cnn.py."""

from __future__ import annotations

import itertools
from functools import cache

import sympy as sp

from docs_build.common import default
from docs_build.formulas import formula
from docs_build.registry import facts, figure

# Sizes and counts, written once as sympy: the page prints them, the tests evaluate them.
# The sizes are unevaluated sums printed in the order written, which is the order of
# PyTorch's documented formula for nn.Conv2d, floor((n + 2p - d(k - 1) - 1) / s) + 1.
n, k, p, s, dil = sp.symbols("n k p s d", integer=True, positive=True)


def _in_order(*terms: sp.Expr) -> sp.Expr:
    return sp.Add(*terms, evaluate=False)


OUT_SIZE = formula(
    "cnn_out_size",
    _in_order(sp.floor(_in_order(n, 2 * p, -k) / s), 1),
    args=(n, k, p, s),
    lhs="o",
    latex_order="none",
)
OUT_SIZE_DILATED = formula(
    "cnn_out_size_dilated",
    _in_order(sp.floor(_in_order(n, 2 * p, -dil * _in_order(k, -1), -1) / s), 1),
    args=(n, k, p, s, dil),
    lhs="o",
    latex_order="none",
)
POOL_SIZE = formula(
    "cnn_pool_size",
    _in_order(sp.floor(_in_order(n, -k) / s), 1),
    args=(n, k, s),
    lhs="o",
    latex_order="none",
)
c_in, c_out, k_h, k_w = sp.symbols(
    "c_{in} c_{out} k_h k_w", integer=True, positive=True
)
PARAMS = formula(
    "cnn_params",
    c_in * c_out * k_h * k_w + c_out,
    args=(c_in, c_out, k_h, k_w),
    lhs="P",
)

# Cross-correlation (what conv layers compute) and convolution (the kernel flipped), as sums.
# i, j: output position; u, v: offset inside the kernel (n is the input size above).
IMG, KER = sp.IndexedBase("I"), sp.IndexedBase("K")
i, j, m, q = sp.symbols("i j u v", integer=True)
CROSS_CORRELATION = formula(
    "cnn_cross_correlation",
    sp.Sum(IMG[i + m, j + q] * KER[m, q], (m, 0, k_h - 1), (q, 0, k_w - 1)),
    args=(IMG, KER, i, j, k_h, k_w),
    lhs=r"(I \star K)_{i,j}",
)
CONVOLUTION = formula(
    "cnn_convolution",
    sp.Sum(IMG[i - m, j - q] * KER[m, q], (m, 0, k_h - 1), (q, 0, k_w - 1)),
    args=(IMG, KER, i, j, k_h, k_w),
    lhs=r"(I * K)_{i,j}",
)

# The convolution sum reads I at (i - u, j - v), so it needs i >= k_h - 1 and j >= k_w - 1:
# output (i, j) of conv2d with the flipped kernel (indices from 0) is the convolution at
# (i + k_h - 1, j + k_w - 1). The page prints this shift; the tests apply it.
CONV_OFFSET = (k_h - 1, k_w - 1)
CONV_SHIFT = (
    rf"\operatorname{{conv2d}}(I, \operatorname{{flip}} K)_{{i,j}} = (I * K)_{{"
    rf"{sp.latex(i + CONV_OFFSET[0])},\, {sp.latex(j + CONV_OFFSET[1])}}}"
)

# Receptive field of a stack of L windowed layers (kernel k_l, stride s_l), in input pixels.
# l and t count layers (i is an output row above).
K_L, S_L = sp.IndexedBase("k"), sp.IndexedBase("s")
layer_l, layer_i, n_layers = sp.symbols("l t L", integer=True, positive=True)
RECEPTIVE_FIELD = formula(
    "cnn_receptive_field",
    1
    + sp.Sum(
        (K_L[layer_l] - 1) * sp.Product(S_L[layer_i], (layer_i, 1, layer_l - 1)),
        (layer_l, 1, n_layers),
    ),
    args=(K_L, S_L, n_layers),
    lhs="r_L",
)

# float32 tolerances (absolute and relative) of the scratch-vs-PyTorch tests, stated on the
# page: outputs and input gradients; and weight and bias gradients of ScratchConv2d, which
# sum over every image and position of the batch, so their rounding errors add up.
ATOL = 1e-5
ATOL_PARAM_GRAD = 1e-4
CLAIM_ACCURACY = 0.95  # the page's claim about the trained model, asserted by the tests

# The grids over which the tests compare the size formulas with PyTorch (every combination
# PyTorch accepts; the page states the ranges and counts).
SIZE_GRID = {"n": range(4, 13), "k": range(1, 6), "p": range(3), "s": range(1, 4)}
DILATIONS = (1, 2, 3)
POOL_GRID = {"n": range(2, 13), "k": range(1, 5), "s": range(1, 5)}
# Random nn.Conv2d layers (height and width each with its own size, kernel, padding, stride
# and dilation) on which the tests check the dilated formula per dimension.
CONV2D_LAYERS = 400


def grid(ranges: dict[str, range]) -> list[dict[str, int]]:
    """Every combination of the ranges, as dicts of symbol name to value."""
    return [
        dict(zip(ranges, c, strict=True)) for c in itertools.product(*ranges.values())
    ]


def range_text(ranges: dict[str, range]) -> str:
    """'$4 \\le n \\le 12$, ... and $1 \\le s \\le 3$' for the page."""
    parts = [f"${r.start} \\le {name} \\le {r.stop - 1}$" for name, r in ranges.items()]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def conv_accepts(n: int, k: int, p: int, s: int, d: int = 1) -> bool:
    """Whether F.conv2d runs on an n x n input with this kernel, padding, stride, dilation."""
    import torch
    import torch.nn.functional as F

    try:
        F.conv2d(torch.zeros(1, 1, n, n), torch.zeros(1, 1, k, k), None, s, p, d)
    except RuntimeError:
        return False
    return True


def pool_accepts(n: int, k: int, s: int) -> bool:
    """Whether F.max_pool2d runs on an n x n input with this window and stride."""
    import torch
    import torch.nn.functional as F

    try:
        F.max_pool2d(torch.zeros(1, 1, n, n), k, s)
    except RuntimeError:
        return False
    return True


def image_shape() -> tuple[int, int, int, int]:
    """One image as SmallCNN takes it: (1, 1, size, size), size from the data generator."""
    from architectures import cnn

    size = default(cnn.make_shapes, "size")
    return (1, 1, size, size)


@cache
def trained() -> dict:
    """The one training run behind every number and figure of the page."""
    from architectures import cnn

    return cnn.train_cnn()


def shape_rows() -> list[tuple[str, str, str, int]]:
    """(layer, what it is, output shape with N for the batch, parameters) off a real forward."""
    import torch

    from docs_build import diagrams

    shape = image_shape()
    steps = diagrams.trace(trained()["model"].cpu(), torch.zeros(shape))
    rows = [("input", "", "(N, " + ", ".join(map(str, shape[1:])) + ")", 0)]
    for st in steps:
        rows.append(
            (
                st.name,
                st.label,
                "(N, " + ", ".join(map(str, st.shape[1:])) + ")",
                st.params,
            )
        )
    return rows


def feature_layers(model) -> list:
    """SmallCNN's convolutional part: everything before Flatten."""
    import torch

    children = list(model.children())
    return children[
        : next(i for i, c in enumerate(children) if isinstance(c, torch.nn.Flatten))
    ]


@facts("cnn")
def cnn_facts() -> dict[str, str]:
    import torch
    from architectures import cnn

    r = trained()
    model = r["model"]
    rows = shape_rows()
    table = ["| Layer | What it is | Output shape | Parameters |", "|---|---|---|---:|"]
    table += [f"| `{a}` | {b} | `{c}` | {d:,} |" for a, b, c, d in rows]
    # One check of the scratch layer, so the page can state the error it measured.
    torch.manual_seed(0)
    layer = torch.nn.Conv2d(3, 5, 3, stride=2, padding=1)
    scratch = cnn.ScratchConv2d(3, 5, 3, stride=2, padding=1)
    scratch.load_state_dict(layer.state_dict())
    x = torch.randn(4, 3, 11, 11)
    error = (scratch(x) - layer(x)).abs().max().item()
    features = feature_layers(model)
    size = image_shape()[-1]
    windows = cnn.windows_on_image(
        features, size
    )  # (rows, cols) of image pixels per unit
    sides = windows.prod(dim=-1)
    corner = windows[0, 0].tolist()
    center = windows[windows.shape[0] // 2, windows.shape[1] // 2].tolist()
    grid_conv = [c for c in grid(SIZE_GRID) if conv_accepts(**c)]
    dilated = {
        d: [c for c in grid(SIZE_GRID) if conv_accepts(**c, d=d)] for d in DILATIONS
    }
    grid_pool = [c for c in grid(POOL_GRID) if pool_accepts(**c)]
    return {
        "conv_shift": CONV_SHIFT,
        "receptive_field": str(cnn.receptive_field(features)),
        "final_grid": str(windows.shape[0]),
        "image_size": str(size),
        "window_corner": "{} \\times {}".format(*corner),
        "window_center": "{} \\times {}".format(*center),
        "window_full_units": str(int((sides == sides.max()).sum())),
        "size_grid": range_text(SIZE_GRID),
        "size_grid_accepted": str(len(grid_conv)),
        "size_grid_total": str(len(grid(SIZE_GRID))),
        "dilations": ", ".join(map(str, DILATIONS[:-1])) + f" and {DILATIONS[-1]}",
        "dilated_accepted": ", ".join(str(len(dilated[d])) for d in DILATIONS[:-1])
        + f" and {len(dilated[DILATIONS[-1]])}",
        "conv2d_layers": str(CONV2D_LAYERS),
        "pool_grid": range_text(POOL_GRID),
        "pool_grid_accepted": str(len(grid_pool)),
        "pool_grid_total": str(len(grid(POOL_GRID))),
        "parameters": f"{sum(t.numel() for t in model.parameters()):,}",
        "test_accuracy": f"{r['test_accuracy']:.1%}",
        "seconds": f"{r['seconds']:.1f}",
        "n_train": f"{r['n_train']:,}",
        "n_test": f"{r['n_test']:,}",
        "epochs": str(r["epochs"]),
        "classes": ", ".join(cnn.CLASSES),
        "n_classes": str(len(cnn.CLASSES)),
        "shape_table": "\n".join(table),
        "errors": str(int((r["predictions"] != r["y_test"]).sum())),
        "atol": f"{ATOL:.0e}",
        "atol_param_grad": f"{ATOL_PARAM_GRAD:.0e}",
        "claim_accuracy": f"{CLAIM_ACCURACY:.0%}",
        "scratch_error": f"{error:.1e}",
    }


@figure(
    "architectures/cnn-diagram",
    alt=(
        "The small CNN as a vertical chain of boxes: the input image, two blocks of "
        "convolution, ReLU and max pooling, a flatten step and a linear layer with one score "
        "per class. Each box gives its output shape, read off a forward pass."
    ),
    caption="SmallCNN traced on one image: every shape is read off a real forward pass.",
)
def cnn_diagram():
    import torch

    from docs_build import diagrams

    model = trained()["model"].cpu()
    steps = diagrams.trace(model, torch.zeros(image_shape()))
    return diagrams.draw(steps, image_shape())


@figure(
    "architectures/cnn-samples",
    alt=(
        "A grid of 16 test images in grey, each a noisy horizontal stroke, vertical stroke, "
        "diagonal stroke or square box, titled with its true class and the class the network "
        "predicted."
    ),
    caption="Test images with their true and predicted classes (grey level = pixel value).",
)
def cnn_samples():
    import matplotlib.pyplot as plt
    from architectures import cnn

    r = trained()
    x, y, pred = r["x_test"].cpu(), r["y_test"].cpu(), r["predictions"].cpu()
    wrong = (pred != y).nonzero().flatten().tolist()
    picks = (wrong[:4] + [t for t in range(len(y)) if t not in wrong])[:16]
    fig, axes = plt.subplots(4, 4, figsize=(7.2, 8.0))
    for ax, t in zip(axes.flat, sorted(picks), strict=True):
        ax.imshow(x[t, 0].numpy(), cmap="gray", vmin=-0.5, vmax=1.5)
        mark = "" if pred[t] == y[t] else "  ✗ wrong"
        ax.set_title(
            f"true: {cnn.CLASSES[y[t]]}\npred: {cnn.CLASSES[pred[t]]}{mark}",
            fontsize=8.5,
        )
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    fig.tight_layout()
    return fig


@figure(
    "architectures/cnn-filters",
    alt=(
        "The learned kernels of the first convolution layer, one small grid of grey squares "
        "each, light for positive and dark for negative weights, with each weight written in "
        "its cell."
    ),
    caption="First-layer kernels after training (the weight is printed in each cell).",
)
def cnn_filters():
    import matplotlib.pyplot as plt
    import numpy as np

    weight = trained()["model"].conv1.weight.detach().cpu()[:, 0]
    limit = weight.abs().max().item()
    fig, axes = plt.subplots(1, len(weight), figsize=(1.15 * len(weight), 1.6))
    for idx, (ax, kernel) in enumerate(zip(axes, weight, strict=True)):
        ax.imshow(kernel.numpy(), cmap="gray", vmin=-limit, vmax=limit)
        for (a, b), v in np.ndenumerate(kernel.numpy()):
            ink = (
                "black" if v > 0 else "white"
            )  # readable on the light and the dark cells
            ax.text(b, a, f"{v:.1f}", ha="center", va="center", fontsize=6.5, color=ink)
        ax.set_title(f"kernel {idx}", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    return fig
