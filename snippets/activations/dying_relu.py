"""Dying ReLU: units whose input is negative for every example stop learning; leaky ones don't."""

# --8<-- [start:experiment]
import torch
from torch import nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def dead_fraction(pre_activation: torch.Tensor) -> float:
    """Share of units whose pre-activation is <= 0 on every example (a dead ReLU unit)."""
    if pre_activation.ndim != 2:
        raise ValueError(
            f"expected (examples, units), got shape {tuple(pre_activation.shape)}"
        )
    return (pre_activation <= 0).all(dim=0).float().mean().item()


def train(
    activation: nn.Module,
    bias: float = -2.5,
    steps: int = 200,
    width: int = 64,
    seed: int = 0,
) -> dict[str, list[float]]:
    """Fit y = sin(2x) on [-3, 3] with one hidden layer whose biases start at ``bias``.

    A large negative bias puts most units in ReLU's flat region for every input: a bad
    initialization (or a large update) that kills them. Returns the dead fraction and the
    loss after every step.
    """
    torch.manual_seed(seed)
    x = torch.linspace(-3, 3, 128, device=device).unsqueeze(1)
    y = torch.sin(2 * x)
    hidden = nn.Linear(1, width)
    with torch.no_grad():
        hidden.bias.fill_(bias)
    model = nn.Sequential(hidden, activation, nn.Linear(width, 1)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    history = {"dead": [], "loss": []}
    for _ in range(steps + 1):
        with torch.no_grad():
            history["dead"].append(dead_fraction(hidden(x)))
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        history["loss"].append(loss.item())
        loss.backward()
        optimizer.step()
    return history


# --8<-- [end:experiment]


ACTIVATIONS = {"ReLU": nn.ReLU, "leaky ReLU (0.01)": nn.LeakyReLU, "ELU": nn.ELU}

if __name__ == "__main__":
    for name, act in ACTIVATIONS.items():
        h = train(act())
        print(
            f"{name:>18}: dead {h['dead'][0]:.0%} -> {h['dead'][-1]:.0%}, "
            f"loss {h['loss'][0]:.3f} -> {h['loss'][-1]:.4f}"
        )
