"""Quick start: a two-layer network learns XOR, which no linear model can fit."""

# --8<-- [start:model]
import torch
from torch import nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class TinyMLP(nn.Module):
    """Two inputs, one hidden ReLU layer, one logit out."""

    def __init__(self, hidden: int = 8) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 2 or x.shape[1] != 2:
            raise ValueError(f"expected a batch of shape (N, 2), got {tuple(x.shape)}")
        return self.net(x).squeeze(1)


# --8<-- [end:model]


# --8<-- [start:train]
def train_xor(steps: int = 500) -> tuple[TinyMLP, float]:
    """Fit XOR with Adam; return the model and its accuracy on the four points."""
    x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], device=device)
    y = torch.tensor([0.0, 1.0, 1.0, 0.0], device=device)
    model = TinyMLP().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = nn.functional.binary_cross_entropy_with_logits(model(x), y)
        loss.backward()
        optimizer.step()
    accuracy = ((model(x) > 0).float() == y).float().mean().item()
    return model, accuracy


if __name__ == "__main__":
    model, accuracy = train_xor()
    print(f"XOR accuracy: {accuracy:.0%}")
# --8<-- [end:train]
