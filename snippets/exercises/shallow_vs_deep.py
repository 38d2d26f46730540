"""Answers to the exercises of the "Shallow vs deep networks" page, one section each."""

# --8<-- [start:count]
import itertools

import torch
from torch import nn

# nn.Linear draws its starting weights; only their count matters here
torch.manual_seed(0)


def mlp(widths: list[int]) -> nn.Sequential:
    """A fully connected ReLU network with the given layer sizes, input to output."""
    if len(widths) < 3:
        raise ValueError(
            f"expected an input, hidden layers and an output, got {widths}"
        )
    layers = []
    for fan_in, fan_out in itertools.pairwise(widths):
        layers += [nn.Linear(fan_in, fan_out), nn.ReLU()]
    return nn.Sequential(*layers[:-1])  # no activation after the output


def count(model: nn.Module) -> int:
    """Number of parameters: weights and biases."""
    return sum(p.numel() for p in model.parameters())


def shallow_width(budget: int, d: int = 2, o: int = 1) -> int:
    """The hidden width H with (d + 1) H + (H + 1) o = budget."""
    return (budget - o) // (d + 1 + o)


def compare(h: int) -> tuple[int, int, int]:
    """The deep net's count for width h, the matching shallow width, and its count."""
    deep = count(mlp([2, h, h, h, 1]))
    width = shallow_width(deep)
    return deep, width, count(mlp([2, width, 1]))


print(compare(32))  # (2241, 560, 2241)
print(compare(64))  # (8577, 2144, 8577)
# --8<-- [end:count]
