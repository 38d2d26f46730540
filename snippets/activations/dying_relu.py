"""Dying ReLU: units whose input is negative for every example get no gradient at all."""

# --8<-- [start:experiment]
import math

import torch
from torch import nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def dead_fraction(pre_activation: torch.Tensor) -> float:
    """Share of units whose pre-activation is <= 0 on every example (a dead ReLU unit);
    NaN once the pre-activations are no longer finite (a run that diverged)."""
    if pre_activation.ndim != 2:
        raise ValueError(
            f"expected (examples, units), got shape {tuple(pre_activation.shape)}"
        )
    if not torch.isfinite(pre_activation).all():
        return math.nan
    return (pre_activation <= 0).all(dim=0).float().mean().item()


def build(
    activation: nn.Module, bias: float = -2.5, width: int = 64, seed: int = 0
) -> nn.Sequential:
    """One hidden layer of ``width`` units whose biases start at ``bias``, then a linear output.

    A large negative bias puts most units in ReLU's flat region for every input: a bad
    initialization (or a large update) that kills them.
    """
    torch.manual_seed(seed)
    hidden = nn.Linear(1, width)
    with torch.no_grad():
        hidden.bias.fill_(bias)
    return nn.Sequential(hidden, activation, nn.Linear(width, 1)).to(device)


def data() -> tuple[torch.Tensor, torch.Tensor]:
    """128 points of y = sin(2x) on [-3, 3]."""
    x = torch.linspace(-3, 3, 128, device=device).unsqueeze(1)
    return x, torch.sin(2 * x)


def train(
    activation: nn.Module,
    optimizer: type[torch.optim.Optimizer] = torch.optim.Adam,
    lr: float = 1e-2,
    bias: float = -2.5,
    steps: int = 200,
    width: int = 64,
    seed: int = 0,
) -> tuple[nn.Sequential, dict[str, list[float]]]:
    """Fit y = sin(2x) with ``build(activation, bias, width, seed)`` for ``steps`` steps.

    Returns the trained model and the dead fraction and loss before every step (and after
    the last one).
    """
    model = build(activation, bias, width, seed)
    hidden = model[0]
    x, y = data()
    opt = optimizer(model.parameters(), lr=lr)
    history = {"dead": [], "loss": []}
    for _ in range(steps + 1):
        with torch.no_grad():
            history["dead"].append(dead_fraction(hidden(x)))
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        history["loss"].append(loss.item())
        loss.backward()
        opt.step()
    return model, history


# --8<-- [end:experiment]


# Names differ from vanishing.py's ACTIVATIONS and OPTIMIZERS: the activations notebook
# runs both scripts in one namespace.
RELU_FAMILY = {"ReLU": nn.ReLU, "leaky ReLU (0.01)": nn.LeakyReLU, "ELU": nn.ELU}
# Adam divides each step by the gradient's running size plus eps (1e-8), so a small
# gradient that is still much larger than eps moves a parameter by about lr; plain SGD
# moves it by lr times the gradient.
OPTIMIZER_LRS = {"Adam": (torch.optim.Adam, 1e-2), "SGD": (torch.optim.SGD, 0.1)}


def _initial(
    activation: nn.Module, bias: float, width: int, seed: int
) -> tuple[nn.Sequential, torch.Tensor, torch.Tensor, torch.Tensor]:
    """The untrained network, the data, and which units are inactive on every input."""
    if not isinstance(activation, nn.Module):
        raise TypeError(
            f"activation must be an nn.Module instance such as nn.ELU(), got {activation!r}"
        )
    if width < 1:
        raise ValueError(f"width must be at least 1, got {width}")
    model = build(activation, bias, width, seed)
    x, y = data()
    with torch.no_grad():
        inactive = (model[0](x) <= 0).all(dim=0)
    return model, x, y, inactive


def _inactive(
    activation: nn.Module, bias: float, width: int, seed: int
) -> tuple[nn.Sequential, torch.Tensor, torch.Tensor, torch.Tensor]:
    """As _initial, for a measure of the inactive units: there must be some."""
    model, x, y, inactive = _initial(activation, bias, width, seed)
    if not inactive.any():
        raise ValueError(f"no hidden unit is inactive on every input at bias={bias}")
    return model, x, y, inactive


def inactive_bias_gradients(
    activation: nn.Module, bias: float = -2.5, width: int = 64, seed: int = 0
) -> torch.Tensor:
    """|dL/db| at initialization of each hidden unit inactive on every input."""
    model, x, y, inactive = _inactive(activation, bias, width, seed)
    nn.functional.mse_loss(model(x), y).backward()
    return model[0].bias.grad[inactive].abs()


def inactive_outputs(
    activation: nn.Module, bias: float = -2.5, width: int = 64, seed: int = 0
) -> torch.Tensor:
    """Hidden outputs (examples, units) at initialization of the units inactive on every
    input: all 0 for ReLU, e^x - 1 (below 0 where x < 0) for ELU."""
    model, x, _, inactive = _inactive(activation, bias, width, seed)
    with torch.no_grad():
        return model[1](model[0](x))[:, inactive]


def output_curvature(
    activation: nn.Module, bias: float = -2.5, width: int = 64, seed: int = 0
) -> float:
    """Largest eigenvalue of the loss's Hessian in the output layer's weight and bias, at
    initialization; plain gradient descent on them diverges for lr > 2 / curvature.

    The MSE loss is quadratic in them, so the Hessian is exact: (2 / N) [h, 1]^T [h, 1],
    with h the hidden layer's outputs. The whole network's Hessian has an eigenvalue at
    least this large (a principal block's largest eigenvalue is at most the matrix's).
    """
    model, x, _, _ = _initial(activation, bias, width, seed)
    with torch.no_grad():
        h = model[1](model[0](x)).double()
    features = torch.cat([h, torch.ones_like(h[:, :1])], dim=1)
    hessian = 2 * features.T @ features / len(h)
    return torch.linalg.eigvalsh(hessian).max().item()


if __name__ == "__main__":
    for label, (opt, lr) in OPTIMIZER_LRS.items():
        for name, act in RELU_FAMILY.items():
            _, h = train(act(), opt, lr)
            print(
                f"{label:>4} {name:>18}: dead {h['dead'][0]:.0%} -> {h['dead'][-1]:.0%}, "
                f"loss {h['loss'][0]:.3f} -> {h['loss'][-1]:.4f}"
            )
