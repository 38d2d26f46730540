"""Textbook activation formulas typed in directly, and the inputs on which they break."""

# --8<-- [start:naive]
import torch

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def sigmoid_naive(x: torch.Tensor) -> torch.Tensor:
    """1 / (1 + e^-x): e^-x overflows for very negative x, and the gradient becomes NaN."""
    return 1 / (1 + torch.exp(-x))


def sigmoid_naive_positive(x: torch.Tensor) -> torch.Tensor:
    """e^x / (1 + e^x): the other textbook form; overflows for large positive x."""
    return torch.exp(x) / (1 + torch.exp(x))


def softplus_naive(x: torch.Tensor) -> torch.Tensor:
    """log(1 + e^x): e^x overflows for large x, and 1 + e^x rounds to 1 for very negative x."""
    return torch.log(1 + torch.exp(x))


def softmax_naive(x: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """exp(x_i) / sum_j exp(x_j) without the max shift: large logits give inf / inf = NaN."""
    e = torch.exp(x)
    return e / e.sum(dim=dim, keepdim=True)


def log_softmax_naive(x: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """log of the (even stable) softmax: an underflowed probability becomes log(0) = -inf."""
    return torch.log(torch.softmax(x, dim=dim))


# --8<-- [end:naive]


def failures() -> dict[str, tuple[float, float]]:
    """(naive result, PyTorch's result) on the inputs that break each naive form (float32)."""
    out = {}
    x = torch.tensor(-100.0, device=device, requires_grad=True)
    (naive_grad,) = torch.autograd.grad(sigmoid_naive(x), x)
    (torch_grad,) = torch.autograd.grad(torch.sigmoid(x), x)
    out["sigmoid_grad_at_-100"] = (naive_grad.item(), torch_grad.item())
    big = torch.tensor(100.0, device=device)
    out["sigmoid_positive_form_at_100"] = (
        sigmoid_naive_positive(big).item(),
        torch.sigmoid(big).item(),
    )
    out["softplus_at_100"] = (
        softplus_naive(big).item(),
        torch.nn.functional.softplus(big).item(),
    )
    small = torch.tensor(-20.0, device=device)
    out["softplus_at_-20"] = (
        softplus_naive(small).item(),
        torch.nn.functional.softplus(small).item(),
    )
    logits = torch.tensor([1000.0, 0.0], device=device)
    out["softmax_of_[1000,0]"] = (
        softmax_naive(logits)[0].item(),
        torch.softmax(logits, -1)[0].item(),
    )
    logits = torch.tensor([0.0, -200.0], device=device)
    out["log_softmax_of_[0,-200]"] = (
        log_softmax_naive(logits)[1].item(),
        torch.log_softmax(logits, -1)[1].item(),
    )
    return out


if __name__ == "__main__":
    for case, (naive, builtin) in failures().items():
        print(f"{case:>28}: naive {naive!r:>24}   torch {builtin!r}")
