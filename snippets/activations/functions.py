"""Every common activation function written from scratch in plain PyTorch, numerically stable."""

# --8<-- [start:check]
import math

import torch
from torch import nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def _check(x: torch.Tensor) -> torch.Tensor:
    """Reject what is not a floating-point tensor, with a message that says what was seen."""
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"expected a torch.Tensor, got {type(x).__name__}")
    if not x.is_floating_point():
        raise TypeError(
            f"expected a floating-point tensor, got {x.dtype}; convert with x.float()"
        )
    return x


# --8<-- [end:check]


# --8<-- [start:classic]
def binary_step(x: torch.Tensor) -> torch.Tensor:
    """1 where x >= 0, else 0 (NaN gives 0, as torch.heaviside(x, 1) does)."""
    return (_check(x) >= 0).to(x.dtype)


def identity(x: torch.Tensor) -> torch.Tensor:
    """The linear activation: f(x) = x."""
    return _check(x).clone()


# --8<-- [start:stable]
def _abs(x: torch.Tensor) -> torch.Tensor:
    """|x| whose gradient at 0 is 1 (torch.abs gives 0 there, which would zero the
    gradient of the stable formulas below exactly at x = 0)."""
    return torch.where(_check(x) >= 0, x, -x)


def sigmoid(x: torch.Tensor) -> torch.Tensor:
    """Logistic function 1 / (1 + e^-x), computed without overflow for any x."""
    z = torch.exp(-_abs(x))  # in (0, 1]: never overflows
    return torch.where(x >= 0, 1 / (1 + z), z / (1 + z))


def tanh(x: torch.Tensor) -> torch.Tensor:
    """Hyperbolic tangent (1 - e^-2|x|) / (1 + e^-2|x|) with the sign of x; expm1 keeps
    tiny x accurate."""
    a = _abs(x)
    t = -torch.expm1(-2 * a) / (1 + torch.exp(-2 * a))
    return torch.where(x >= 0, t, -t)


# --8<-- [end:stable]
def softsign(x: torch.Tensor) -> torch.Tensor:
    """x / (1 + |x|): a tanh-like curve that approaches +-1 polynomially, not exponentially."""
    return _check(x) / (1 + x.abs())


# --8<-- [start:hardtanh]
def hardtanh(
    x: torch.Tensor, min_val: float = -1.0, max_val: float = 1.0
) -> torch.Tensor:
    """tanh's piecewise-linear stand-in: x clipped to [min_val, max_val].

    Written with torch.where, not clamp: clamp's gradient at the edges is 1, torch's
    hardtanh passes the gradient only strictly inside, so f'(+-1) = 0.
    """
    inside = torch.where(_check(x) >= max_val, max_val, x)
    return torch.where(x <= min_val, min_val, inside)


# --8<-- [end:hardtanh]
# --8<-- [end:classic]


# --8<-- [start:relu]
def relu(x: torch.Tensor) -> torch.Tensor:
    """Rectified linear unit max(0, x), with ReLU'(0) = 0 and NaN kept, as in torch.relu."""
    return torch.where(_check(x) <= 0, 0, x)  # x.clamp(min=0) would give ReLU'(0) = 1


def leaky_relu(x: torch.Tensor, negative_slope: float = 0.01) -> torch.Tensor:
    """x for x > 0, negative_slope * x otherwise."""
    return torch.where(_check(x) > 0, x, negative_slope * x)


def prelu(x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Leaky ReLU whose negative slope ``weight`` is learned (one per channel, dim 1)."""
    channels = x.shape[1] if _check(x).ndim > 1 else 1
    if weight.ndim != 1 or weight.numel() not in (1, channels):
        raise ValueError(
            f"weight must have shape (1,) or ({channels},), got {tuple(weight.shape)}"
        )
    w = weight.to(x.dtype)
    w = w.view(-1, *([1] * (x.ndim - 2))) if x.ndim > 1 else w
    return torch.where(x > 0, x, w * x)


def elu(x: torch.Tensor, alpha: float = 1.0) -> torch.Tensor:
    """x for x > 0, alpha * (e^x - 1) otherwise; expm1 keeps small negative x accurate."""
    return torch.where(_check(x) > 0, x, alpha * torch.expm1(x.clamp(max=0)))


SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def selu(x: torch.Tensor) -> torch.Tensor:
    """Scaled ELU with the constants that make mean 0, variance 1 a fixed point."""
    return SELU_SCALE * elu(x, SELU_ALPHA)


def relu6(x: torch.Tensor) -> torch.Tensor:
    """ReLU capped at 6: min(max(0, x), 6), zero gradient at 0 and 6 as in torch."""
    return hardtanh(x, 0.0, 6.0)


# --8<-- [end:relu]


# --8<-- [start:smooth]
def softplus(x: torch.Tensor) -> torch.Tensor:
    """log(1 + e^x) as max(x, 0) + log1p(e^-|x|): no overflow for large x."""
    return torch.where(_check(x) >= 0, x, 0) + torch.log1p(torch.exp(-_abs(x)))


def gelu(x: torch.Tensor) -> torch.Tensor:
    """Gaussian error linear unit x * Phi(x), Phi the standard normal CDF."""
    return _check(x) * 0.5 * (1 + torch.erf(x / math.sqrt(2)))


def gelu_tanh(x: torch.Tensor) -> torch.Tensor:
    """GELU's tanh approximation (torch: F.gelu(x, approximate="tanh"))."""
    inner = math.sqrt(2 / math.pi) * (_check(x) + 0.044715 * x**3)
    return 0.5 * x * (1 + tanh(inner))


def silu(x: torch.Tensor) -> torch.Tensor:
    """SiLU, also called Swish with beta = 1: x * sigmoid(x)."""
    return x * sigmoid(x)


def mish(x: torch.Tensor) -> torch.Tensor:
    """x * tanh(softplus(x))."""
    return x * tanh(softplus(x))


def hardsigmoid(x: torch.Tensor) -> torch.Tensor:
    """PyTorch's hard sigmoid relu6(x + 3) / 6 (slope 1/6, not the 0.2x + 0.5 variant).

    The edges are tested on x itself, as torch does: relu6(x + 3) would round x + 3 to 6
    for x just below 3 and zero the gradient there.
    """
    inside = torch.where(_check(x) >= 3, 1.0, x / 6 + 0.5)
    return torch.where(x <= -3, 0.0, inside)


def hardswish(x: torch.Tensor) -> torch.Tensor:
    """x * relu6(x + 3) / 6: SiLU's piecewise stand-in from MobileNetV3."""
    return x * hardsigmoid(x)


# --8<-- [end:smooth]


# --8<-- [start:softmax]
def softmax(x: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """exp(x_i) / sum_j exp(x_j) along ``dim``; the max is subtracted first (same result)."""
    if _check(x).numel() == 0:
        return torch.empty_like(x)  # nothing to normalize, as torch.softmax
    shifted = x - x.amax(dim=dim, keepdim=True)  # largest logit becomes 0: exp <= 1
    e = torch.exp(shifted)
    return e / e.sum(dim=dim, keepdim=True)


def log_softmax(x: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """log(softmax(x)) as (x - m) - log(sum exp(x - m)): finite even when softmax underflows."""
    if _check(x).numel() == 0:
        return torch.empty_like(x)
    shifted = x - x.amax(dim=dim, keepdim=True)
    return shifted - torch.log(torch.exp(shifted).sum(dim=dim, keepdim=True))


# --8<-- [end:softmax]


# --8<-- [start:modules]
class Elementwise(nn.Module):
    """Any function above as a layer, e.g. Elementwise(leaky_relu, negative_slope=0.1)."""

    def __init__(self, fn, **kwargs: float) -> None:
        super().__init__()
        self.fn, self.kwargs = fn, kwargs

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fn(x, **self.kwargs)

    def extra_repr(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in self.kwargs.items())
        return f"{self.fn.__name__}{', ' if args else ''}{args}"


class PReLU(nn.Module):
    """Parametric ReLU: one learned negative slope per channel (or one shared)."""

    def __init__(self, num_parameters: int = 1, init: float = 0.25) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.full((num_parameters,), init))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return prelu(x, self.weight)


# --8<-- [end:modules]


if __name__ == "__main__":
    # --8<-- [start:demo]
    x = torch.linspace(-3, 3, steps=7, device=device)
    for fn in (sigmoid, tanh, relu, leaky_relu, elu, selu, gelu, silu, mish, softplus):
        print(f"{fn.__name__:>10}: {[round(v, 3) for v in fn(x).tolist()]}")
    model = nn.Sequential(nn.Linear(4, 8), PReLU(8), nn.Linear(8, 3)).to(device)
    probs = softmax(model(torch.randn(2, 4).to(device)))
    print("PReLU net, softmax rows sum to", probs.sum(dim=1).tolist())
    # --8<-- [end:demo]
