"""Answers to the exercises of the "Smooth and hard modern functions" page."""

# --8<-- [start:swish_beta]
import torch
import torch.nn.functional as F

x = torch.linspace(-10.0, 10.0, 200_001, dtype=torch.float64)  # steps of 1e-4


def gap_to_relu(beta: float) -> float:
    """The largest distance between Swish-beta, x * sigmoid(beta x), and ReLU."""
    return (x * torch.sigmoid(beta * x) - F.relu(x)).abs().max().item()


silu_min = F.silu(x).min().item()
print(f"{silu_min:.4f}")  # -0.2785
gaps = [round(gap_to_relu(beta), 4) for beta in (1.0, 10.0, 100.0)]
print(gaps)  # [0.2785, 0.0278, 0.0028]
# --8<-- [end:swish_beta]
