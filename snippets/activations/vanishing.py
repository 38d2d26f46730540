"""Vanishing gradients: per-layer gradient norms of a deep plain MLP at initialization."""

# --8<-- [start:experiment]
import math

import torch
from torch import nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

# Each activation with the weight gain nn.init.calculate_gain recommends for it
# (GELU has no entry there; it is ReLU-like for x > 0, so it gets ReLU's gain).
ACTIVATIONS = {
    "sigmoid": (nn.Sigmoid, nn.init.calculate_gain("sigmoid")),
    "tanh": (nn.Tanh, nn.init.calculate_gain("tanh")),
    "relu": (nn.ReLU, nn.init.calculate_gain("relu")),
    "gelu": (nn.GELU, nn.init.calculate_gain("relu")),
}


def deep_mlp(
    activation: str, depth: int = 12, width: int = 64, init: str = "gain"
) -> nn.Sequential:
    """``depth`` hidden Linear+activation layers, then a linear output.

    init="gain": weights N(0, gain^2 / fan_in), zero biases; init="default": nn.Linear's own.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(
            f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}"
        )
    if init not in ("gain", "default"):
        raise ValueError(f"init must be 'gain' or 'default', got {init!r}")
    act, gain = ACTIVATIONS[activation]
    layers: list[nn.Module] = []
    for _ in range(depth):
        linear = nn.Linear(width, width)
        if init == "gain":
            nn.init.normal_(linear.weight, std=gain / math.sqrt(width))
            nn.init.zeros_(linear.bias)
        layers += [linear, act()]
    return nn.Sequential(*layers, nn.Linear(width, 1)).to(device)


def gradient_norms(
    activation: str, init: str = "gain", depth: int = 12, seed: int = 0
) -> list[float]:
    """||dL/dW|| of each hidden layer, input side first, for one batch of random data."""
    torch.manual_seed(seed)
    model = deep_mlp(activation, depth=depth, init=init)
    x = torch.randn(256, 64, device=device)
    y = torch.randn(256, 1, device=device)
    nn.functional.mse_loss(model(x), y).backward()
    return [m.weight.grad.norm().item() for m in model if isinstance(m, nn.Linear)][
        :depth
    ]


# --8<-- [end:experiment]


if __name__ == "__main__":
    # --8<-- [start:run]
    for init in ("gain", "default"):
        for name in ACTIVATIONS:
            norms = gradient_norms(name, init=init)
            print(
                f"{init:>7} {name:>8}: layer 1 {norms[0]:.1e}, layer {len(norms)} "
                f"{norms[-1]:.1e}, ratio {norms[0] / norms[-1]:.1e}"
            )
    # --8<-- [end:run]
