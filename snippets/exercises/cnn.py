"""Answers to the exercises of the "Convolutional networks" page, one section each."""

# --8<-- [start:two_threes]
import torch
from torch import nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
channels = 64
five = nn.Conv2d(channels, channels, kernel_size=5, padding=2).to(device)
two_threes = nn.Sequential(
    nn.Conv2d(channels, channels, kernel_size=3, padding=1),
    nn.ReLU(),  # a non-linearity between them, which one 5x5 layer lacks
    nn.Conv2d(channels, channels, kernel_size=3, padding=1),
).to(device)


def n_params(module: nn.Module) -> int:
    """The number of trainable numbers in ``module``."""
    return sum(p.numel() for p in module.parameters())


def window(module: nn.Module) -> tuple[int, bool]:
    """How many input pixels one output pixel's gradient reaches, and whether they fill
    the 5x5 square around it."""
    x = torch.randn(1, channels, 28, 28).to(device).requires_grad_()
    module(x)[0, :, 14, 14].sum().backward()
    seen = x.grad[0].abs().sum(dim=0) > 0  # (28, 28): pixels with a nonzero gradient
    return int(seen.sum()), bool(seen[12:17, 12:17].all())


x = torch.randn(1, channels, 28, 28).to(device)
print(five(x).shape == two_threes(x).shape)  # True
print(n_params(five), n_params(two_threes))  # 102464 73856
print(window(five), window(two_threes))  # (25, True) (25, True)
# --8<-- [end:two_threes]
