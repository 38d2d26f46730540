"""Convolutional networks: formulas, facts and figures, all from snippets/architectures/cnn.py."""

from __future__ import annotations

from functools import cache

import sympy as sp

from docs_build.formulas import formula
from docs_build.registry import facts, figure

# Sizes and counts, written once as sympy: the page prints them, the tests evaluate them.
n, k, p, s, dil = sp.symbols("n k p s d", integer=True, positive=True)
OUT_SIZE = formula(
    "cnn_out_size", sp.floor((n + 2 * p - k) / s) + 1, args=(n, k, p, s), lhs="o"
)
OUT_SIZE_DILATED = formula(
    "cnn_out_size_dilated",
    sp.floor((n + 2 * p - dil * (k - 1) - 1) / s) + 1,
    args=(n, k, p, s, dil),
    lhs="o",
)
POOL_SIZE = formula("cnn_pool_size", sp.floor((n - k) / s) + 1, args=(n, k, s), lhs="o")
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
IMG, KER = sp.IndexedBase("I"), sp.IndexedBase("K")
i, j, m, q = sp.symbols("i j m n", integer=True)
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

# Receptive field of a stack of L windowed layers (kernel k_l, stride s_l), in input pixels.
K_L, S_L = sp.IndexedBase("k"), sp.IndexedBase("s")
layer_l, layer_i, n_layers = sp.symbols("l i L", integer=True, positive=True)
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

ATOL = 1e-5  # float32 tolerance for scratch-vs-PyTorch comparisons, stated on the page


@cache
def trained() -> dict:
    """The one training run behind every number and figure of the page."""
    from architectures import cnn

    return cnn.train_cnn()


def shape_rows() -> list[tuple[str, str, str, int]]:
    """(layer, what it is, output shape with N for the batch, parameters) off a real forward."""
    import torch

    from docs_build import diagrams

    steps = diagrams.trace(trained()["model"].cpu(), torch.zeros(1, 1, 16, 16))
    rows = [("input", "", "(N, 1, 16, 16)", 0)]
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
    return {
        "receptive_field": str(cnn.receptive_field(features)),
        "final_grid": str(
            torch.nn.Sequential(*features).cpu()(torch.zeros(1, 1, 16, 16)).shape[-1]
        ),
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
        "scratch_error": f"{error:.1e}",
    }


@figure(
    "architectures/cnn-diagram",
    alt=(
        "The small CNN as a vertical chain of boxes: input (1, 1, 16, 16), conv1 3×3 to 8 "
        "channels, ReLU, 2×2 max pool to 8×8, conv2 to 16 channels, ReLU, pool to 4×4, "
        "flatten to 256 numbers, and a linear layer to 4 class scores, each with its shape."
    ),
    caption="SmallCNN traced on one image: every shape is read off a real forward pass.",
)
def cnn_diagram():
    import torch

    from docs_build import diagrams

    model = trained()["model"].cpu()
    steps = diagrams.trace(model, torch.zeros(1, 1, 16, 16))
    return diagrams.draw(steps, (1, 1, 16, 16))


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
        "The eight learned 3×3 kernels of the first convolution layer drawn as grey squares, "
        "light for positive and dark for negative weights, with each weight written in its cell."
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
