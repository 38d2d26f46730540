"""Answers to the exercises of the "Gated linear units" page, one section each."""

# --8<-- [start:split]
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)


class SwiGLUFFN(nn.Module):
    """The page's gated block: one up-projection holds W (value) and V (gate)."""

    def __init__(self, d: int, hidden: int) -> None:
        super().__init__()
        self.up = nn.Linear(d, 2 * hidden, bias=False)
        self.down = nn.Linear(hidden, d, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """down(a * silu(b)), a and b the two halves of up(x)."""
        a, b = self.up(x).chunk(2, dim=-1)
        return self.down(a * F.silu(b))


class SplitSwiGLUFFN(nn.Module):
    """The same block with the value and gate projections as two layers."""

    def __init__(self, d: int, hidden: int) -> None:
        super().__init__()
        self.value = nn.Linear(d, hidden, bias=False)
        self.gate = nn.Linear(d, hidden, bias=False)
        self.down = nn.Linear(hidden, d, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """down(value(x) * silu(gate(x)))."""
        return self.down(self.value(x) * F.silu(self.gate(x)))


fused, split = SwiGLUFFN(8, 12), SplitSwiGLUFFN(8, 12)
with torch.no_grad():
    w, v = fused.up.weight.chunk(2, dim=0)  # rows 0-11 make a, rows 12-23 make b
    split.value.weight.copy_(w)
    split.gate.weight.copy_(v)
    split.down.weight.copy_(fused.down.weight)
x = torch.randn(5, 8)
print(torch.allclose(fused(x), split(x)))  # True
print(sum(p.numel() for p in fused.parameters()))  # 288
print(sum(p.numel() for p in split.parameters()))  # 288
# --8<-- [end:split]
