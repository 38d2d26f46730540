"""Vanishing gradients: per-layer gradient norms of a deep plain MLP at initialization."""

# --8<-- [start:experiment]
import math

import torch
from torch import nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

# Each activation with the weight gain nn.init.calculate_gain recommends for it. GELU has
# no entry there (calculate_gain("gelu") raises ValueError), so it borrows ReLU's gain:
# GELU(x) - ReLU(x) tends to 0 as |x| grows.
ACTIVATIONS = {
    "sigmoid": (nn.Sigmoid, nn.init.calculate_gain("sigmoid")),
    "tanh": (nn.Tanh, nn.init.calculate_gain("tanh")),
    "relu": (nn.ReLU, nn.init.calculate_gain("relu")),
    "gelu": (nn.GELU, nn.init.calculate_gain("relu")),
}


def deep_mlp(
    activation: str,
    depth: int = 12,
    width: int = 64,
    init: str = "gain",
    gain: float | None = None,
) -> nn.Sequential:
    """``depth`` hidden Linear+activation layers, then a linear output.

    init="gain": weights N(0, gain^2 / fan_in), zero biases, with the gain from ACTIVATIONS
    unless ``gain`` is given; init="default": nn.Linear's own.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(
            f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}"
        )
    if init not in ("gain", "default"):
        raise ValueError(f"init must be 'gain' or 'default', got {init!r}")
    act, recommended = ACTIVATIONS[activation]
    gain = recommended if gain is None else gain
    layers: list[nn.Module] = []
    for _ in range(depth):
        linear = nn.Linear(width, width)
        if init == "gain":
            nn.init.normal_(linear.weight, std=gain / math.sqrt(width))
            nn.init.zeros_(linear.bias)
        layers += [linear, act()]
    return nn.Sequential(*layers, nn.Linear(width, 1)).to(device)


def batch(width: int = 64, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """One batch of 256 random inputs and random regression targets."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(256, width, generator=generator)
    y = torch.randn(256, 1, generator=generator)
    return x.to(device), y.to(device)


def gradient_norms(
    activation: str,
    init: str = "gain",
    depth: int = 12,
    width: int = 64,
    gain: float | None = None,
    seed: int = 0,
) -> list[float]:
    """||dL/dW|| of each hidden layer, input side first, for one batch of random data."""
    torch.manual_seed(seed)
    model = deep_mlp(activation, depth=depth, width=width, init=init, gain=gain)
    x, y = batch(width, seed)
    nn.functional.mse_loss(model(x), y).backward()
    return [m.weight.grad.norm().item() for m in model if isinstance(m, nn.Linear)][
        :depth
    ]


# --8<-- [end:experiment]


# --8<-- [start:training]
def weight_changes(
    activation: str,
    optimizer: type[torch.optim.Optimizer],
    lr: float,
    steps: int = 100,
    depth: int = 12,
    seed: int = 0,
) -> list[float]:
    """||W_after - W_before|| / ||W_before|| of each hidden layer after ``steps`` steps
    on one batch, input side first (init="gain")."""
    if steps < 1:
        raise ValueError(f"steps must be >= 1, got {steps}")
    torch.manual_seed(seed)
    model = deep_mlp(activation, depth=depth)
    x, y = batch(model[0].in_features, seed)
    hidden = [m for m in model if isinstance(m, nn.Linear)][:depth]
    before = [m.weight.detach().clone() for m in hidden]
    opt = optimizer(model.parameters(), lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()
        opt.step()
    return [
        ((m.weight.detach() - w).norm() / w.norm()).item()
        for m, w in zip(hidden, before, strict=True)
    ]


# Plain SGD steps by lr * gradient; Adam by lr * (running mean of the gradient) /
# (running size of the gradient + eps), eps = 1e-8 by default: about lr * g / eps for
# a gradient g far below eps.
OPTIMIZERS = {"SGD": (torch.optim.SGD, 0.1), "Adam": (torch.optim.Adam, 1e-3)}
# --8<-- [end:training]


def first_layer_gradient(
    activation: str,
    init: str = "gain",
    depth: int = 12,
    width: int = 64,
    gain: float | None = None,
    seed: int = 0,
) -> torch.Tensor:
    """|dL/dW| of every weight of the first layer, on the same batch as gradient_norms."""
    if depth < 1:
        raise ValueError(
            f"depth must be at least 1 (a first hidden layer), got {depth}"
        )
    if width < 1:
        raise ValueError(f"width must be at least 1, got {width}")
    torch.manual_seed(seed)
    model = deep_mlp(activation, depth=depth, width=width, init=init, gain=gain)
    x, y = batch(width, seed)
    nn.functional.mse_loss(model(x), y).backward()
    return model[0].weight.grad.abs()


if __name__ == "__main__":
    # --8<-- [start:run]
    for init in ("gain", "default"):
        for name in ACTIVATIONS:
            norms = gradient_norms(name, init=init)
            print(
                f"{init:>7} {name:>8}: layer 1 {norms[0]:.1e}, layer {len(norms)} "
                f"{norms[-1]:.1e}, ratio {norms[0] / norms[-1]:.1e}"
            )
    for label, (opt, lr) in OPTIMIZERS.items():
        change = weight_changes("sigmoid", opt, lr)
        print(
            f"sigmoid, {label} lr {lr:g}: layer 1 moved {change[0]:.1e} of its norm, "
            f"layer {len(change)} {change[-1]:.1e}"
        )
    # --8<-- [end:run]
