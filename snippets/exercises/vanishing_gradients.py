"""Answers to the exercises of the "Vanishing gradients" page, one section each."""

# --8<-- [start:residual]
import torch
from torch import nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class SigmoidMLP(nn.Module):
    """``depth`` Linear+sigmoid layers of one width, with or without skip connections."""

    def __init__(self, width: int, depth: int, residual: bool) -> None:
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(width, width) for _ in range(depth))
        self.residual = residual

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Each layer adds its output to its input when ``residual`` is set."""
        for layer in self.layers:
            out = torch.sigmoid(layer(x))
            x = x + out if self.residual else out
        return x


x = torch.randn(64, 32)
norms = {}
for residual in (False, True):
    torch.manual_seed(1)  # the same weights for both networks
    model = SigmoidMLP(width=32, depth=20, residual=residual).to(device)
    model(x.to(device)).pow(2).mean().backward()
    norms[residual] = model.layers[0].weight.grad.norm().item()
plain, skip = norms[False], norms[True]
print(f"plain {plain:.0e}, skip {skip:.1f}")  # plain 3e-18, skip 0.5
print(skip > 1000 * plain)  # True
# --8<-- [end:residual]
