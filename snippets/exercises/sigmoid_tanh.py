"""Answers to the exercises of the "Step, sigmoid and tanh" page, one section each."""

# --8<-- [start:chain]
import torch

x = torch.zeros((), dtype=torch.float64, requires_grad=True)
y = x
for _ in range(5):  # five sigmoid layers, weight 1, bias 0
    y = torch.sigmoid(y)
y.backward()
bound = 0.25**5  # the largest slope, 1/4, five times
print(f"{x.grad.item():.3e} < {bound:.3e}")  # 6.763e-04 < 9.766e-04
# --8<-- [end:chain]

# --8<-- [start:hardsigmoid]
import torch
import torch.nn.functional as F


def hardsigmoid(x: torch.Tensor) -> torch.Tensor:
    """PyTorch's hardsigmoid, built from hardtanh: a line from (-3, 0) to (3, 1)."""
    return (F.hardtanh(x / 3) + 1) / 2


x = torch.linspace(-6, 6, 1001, dtype=torch.float64)
print(torch.allclose(hardsigmoid(x), F.hardsigmoid(x)))  # True
# --8<-- [end:hardsigmoid]
