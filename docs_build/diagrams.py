"""Architecture diagrams drawn from the model itself: layers and tensor shapes are read off a
real forward pass, so the figure cannot disagree with the code."""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import torch
from matplotlib.patches import FancyBboxPatch
from torch import nn


@dataclass(frozen=True)
class Step:
    """One box of a diagram: a layer's name, what it is, and the shape it outputs."""

    name: str
    label: str
    shape: tuple[int, ...]
    params: int


def describe(module: nn.Module) -> str:
    """A short human label for a layer, e.g. 'Conv2d 1→8, 3×3' or 'Linear 64→10'."""
    if isinstance(module, nn.Conv2d):
        k = "×".join(str(s) for s in module.kernel_size)
        return f"Conv2d {module.in_channels}→{module.out_channels}, {k}"
    if isinstance(module, nn.Linear):
        return f"Linear {module.in_features}→{module.out_features}"
    if isinstance(module, (nn.MaxPool2d, nn.AvgPool2d)):
        return f"{type(module).__name__} {module.kernel_size}"
    if isinstance(module, (nn.RNN, nn.LSTM, nn.GRU)):
        return f"{type(module).__name__} {module.input_size}→{module.hidden_size}"
    return type(module).__name__


def trace(model: nn.Module, *inputs: torch.Tensor) -> list[Step]:
    """Run one forward pass and record each direct child's output shape, in call order."""
    steps: list[Step] = []
    hooks = []

    def record(name: str):
        def hook(module: nn.Module, args, output) -> None:
            out = output[0] if isinstance(output, tuple) else output
            params = sum(p.numel() for p in module.parameters())
            steps.append(Step(name, describe(module), tuple(out.shape), params))

        return hook

    for name, child in model.named_children():
        hooks.append(child.register_forward_hook(record(name)))
    try:
        with torch.no_grad():
            model(*inputs)
    finally:
        for h in hooks:
            h.remove()
    return steps


def shape_text(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ")"


def draw(
    steps: list[Step], input_shape: tuple[int, ...], title: str = ""
) -> plt.Figure:
    """A vertical chain of boxes, one per step, with the output shape beside each arrow."""
    n = len(steps) + 1
    fig, ax = plt.subplots(figsize=(6.4, 0.62 * n + 0.4))
    ax.set_axis_off()
    ax.set_xlim(0, 10)
    ax.set_ylim(-n + 0.4, 0.9)
    fg = plt.rcParams["text.color"]
    accent = plt.rcParams["axes.prop_cycle"].by_key()["color"][0]
    rows = [
        ("input", "", input_shape, 0),
        *[(s.name, s.label, s.shape, s.params) for s in steps],
    ]
    for i, (name, label, shape, params) in enumerate(rows):
        y = -i
        box = FancyBboxPatch(
            (0.2, y - 0.22),
            5.2,
            0.44,
            boxstyle="round,pad=0.04",
            linewidth=1.2,
            edgecolor=accent if i else fg,
            facecolor="none",
            linestyle="-" if i else "--",
        )
        ax.add_patch(box)
        text = f"{name}: {label}" if label else name
        ax.text(0.4, y, text, va="center", ha="left", fontsize=10, color=fg)
        extra = f"  [{params:,} params]" if params else ""
        ax.text(
            5.7,
            y,
            shape_text(shape) + extra,
            va="center",
            ha="left",
            fontsize=9,
            color=fg,
            family="monospace",
        )
        if i < len(rows) - 1:
            ax.annotate(
                "",
                xy=(2.8, y - 0.78),
                xytext=(2.8, y - 0.26),
                arrowprops={"arrowstyle": "->", "color": fg, "lw": 1.0},
            )
    if title:
        ax.set_title(title, loc="left", fontsize=11)
    return fig
