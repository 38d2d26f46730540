"""Softmax for outputs: shift invariance, temperature, the two-class case, cross-entropy,
the Jacobian, the gradient p - y and softmin."""

# --8<-- [start:softmax]
import torch
import torch.nn.functional as F

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def softmax_t(logits: torch.Tensor, temperature: float = 1.0) -> torch.Tensor:
    """softmax(logits / T) over the last dim: T < 1 sharpens, T > 1 flattens toward uniform."""
    if temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    return torch.softmax(logits / temperature, dim=-1)


def cross_entropy(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean of -log softmax(logits)[target]: F.cross_entropy written out."""
    if logits.ndim != 2 or target.shape != logits.shape[:1]:
        raise ValueError(
            f"expected logits (N, C) and target (N,), got {tuple(logits.shape)} "
            f"and {tuple(target.shape)}"
        )
    if target.dtype != torch.long:
        raise TypeError(
            f"target must hold class indices (torch.long), got {target.dtype}"
        )
    log_p = torch.log_softmax(logits, dim=-1)
    return -log_p.gather(1, target.unsqueeze(1)).squeeze(1).mean()


# --8<-- [end:softmax]


# --8<-- [start:claims]
# Drawn on the CPU, then moved: the same numbers on every machine (a GPU's generator
# draws different ones).
logits = torch.randn(4, 5).to(device)
target = torch.tensor([0, 3, 1, 4], device=device)

# 1. Adding the same constant to every logit changes nothing.
shifted = torch.softmax(logits + 100.0, dim=-1)
assert torch.allclose(shifted, torch.softmax(logits, dim=-1), atol=1e-6)

# 2. Temperature: as T -> 0 the distribution tends to one-hot at the arg max, because
#    1 - max p <= (K - 1) exp(-gap / T), gap = largest logit minus the runner-up;
#    as T -> infinity it tends to uniform.
top2 = logits.topk(2, dim=-1).values
gap = top2[:, 0] - top2[:, 1]
for t in (1.0, 0.1, 0.01):
    bound = (logits.shape[-1] - 1) * torch.exp(-gap / t)
    assert (1 - softmax_t(logits, t).amax(-1) <= bound + 1e-6).all()
# So at T = 0.01 each row is one-hot up to that bound: no entry is off by more than
# 1 - max p. It holds for any logits; it is small when the gap is not.
one_hot = F.one_hot(logits.argmax(-1), logits.shape[-1]).to(logits.dtype)
off = (softmax_t(logits, 0.01) - one_hot).abs().amax(-1)
assert (off <= bound + 1e-6).all()
assert torch.allclose(softmax_t(logits, 1e4), torch.full_like(logits, 1 / 5), atol=1e-3)

# 3. With two classes, softmax is the sigmoid of the logit difference, so one logit is
#    enough: sigmoid(z) is softmax([z, 0]) for the first class.
pair = logits[:, :2]
assert torch.allclose(
    torch.softmax(pair, -1)[:, 0], torch.sigmoid(pair[:, 0] - pair[:, 1])
)
one = logits[:, 0]
with_zero = torch.stack([one, torch.zeros_like(one)], dim=-1)
assert torch.allclose(torch.sigmoid(one), torch.softmax(with_zero, -1)[:, 0])

# 4. Cross-entropy on logits is -log_softmax picked at the target.
assert torch.allclose(cross_entropy(logits, target), F.cross_entropy(logits, target))
# --8<-- [end:claims]


# --8<-- [start:jacobian]
def softmax_jacobian(p: torch.Tensor) -> torch.Tensor:
    """diag(p) - p p^T, the Jacobian of softmax at probabilities p (over the last dim)."""
    if p.ndim < 1 or not p.is_floating_point():
        raise ValueError(
            f"expected floating-point probabilities with a class dim, got shape "
            f"{tuple(p.shape)} and dtype {p.dtype}"
        )
    return torch.diag_embed(p) - p.unsqueeze(-1) * p.unsqueeze(-2)


# float64, so that autograd and the formula agree to rounding (about 1e-16); the page's
# bound is 1e-15
tol = 1e-15
z = torch.randn(5, dtype=torch.float64).to(device)
p = torch.softmax(z, dim=-1)
jac = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, dim=-1), z)
assert torch.allclose(jac, softmax_jacobian(p), rtol=0, atol=tol)

# Every row sums to 0: adding the same number to every logit changes nothing, so the
# Jacobian sends the all-ones vector to 0. It is singular, of rank K - 1, and symmetric.
assert torch.allclose(jac.sum(dim=-1), torch.zeros_like(z), rtol=0, atol=tol)
assert torch.linalg.matrix_rank(jac).item() == z.numel() - 1
assert torch.allclose(jac, jac.T, rtol=0, atol=tol)
# --8<-- [end:jacobian]


# --8<-- [start:log_softmax]
# Log-softmax: d log p_i / d z_j = delta_ij - p_j (the identity minus p in every row).
jac_log = torch.autograd.functional.jacobian(lambda v: torch.log_softmax(v, dim=-1), z)
eye = torch.eye(z.numel(), dtype=z.dtype, device=device)
assert torch.allclose(jac_log, eye - p, rtol=0, atol=tol)
# --8<-- [end:log_softmax]


# --8<-- [start:cross_entropy]
# Cross-entropy: the gradient with respect to the logits is p - y, y one-hot. The default
# reduction="mean" averages over the batch, so its gradient is (p - y) / N.
logits64 = logits.double().requires_grad_()
p64 = torch.softmax(logits64.detach(), dim=-1)
y = F.one_hot(target, logits64.shape[-1]).to(logits64.dtype)
(grad_sum,) = torch.autograd.grad(
    F.cross_entropy(logits64, target, reduction="sum"), logits64
)
assert torch.allclose(grad_sum, p64 - y, rtol=0, atol=tol)
(grad_mean,) = torch.autograd.grad(F.cross_entropy(logits64, target), logits64)
assert torch.allclose(grad_mean, (p64 - y) / len(target), rtol=0, atol=tol)
# --8<-- [end:cross_entropy]


# --8<-- [start:label_smoothing]
# Label smoothing eps replaces y by q = (1 - eps) y + eps / K, K classes, and the gradient
# is p - q.
eps = 0.1
K = logits64.shape[-1]
smooth = F.cross_entropy(logits64, target, reduction="sum", label_smoothing=eps)
(grad_smooth,) = torch.autograd.grad(smooth, logits64)
q = (1 - eps) * y + eps / K
assert torch.allclose(grad_smooth, p64 - q, rtol=0, atol=tol)
# --8<-- [end:label_smoothing]


# --8<-- [start:softmin]
# Softmin is softmax of minus the input: the smallest cost or distance gets the most weight.
distances = torch.tensor([2.0, 1.0, 0.1], dtype=torch.float64, device=device)
weights = F.softmin(distances, dim=-1)
assert torch.allclose(weights, torch.softmax(-distances, dim=-1), rtol=0, atol=1e-15)
assert weights.argmax() == distances.argmin()
# --8<-- [end:softmin]


def entropy(p: torch.Tensor) -> torch.Tensor:
    """Shannon entropy in nats along the last dim (0 log 0 counted as 0)."""
    return -(p * torch.log(p.clamp_min(1e-30))).sum(-1)


if __name__ == "__main__":
    row = torch.tensor([2.0, 1.0, 0.1], device=device)
    for t in (0.25, 1.0, 4.0):
        p = softmax_t(row, t)
        print(
            f"T = {t:<4}: p = {[round(v, 3) for v in p.tolist()]}, entropy {entropy(p):.3f}"
        )
    print(
        "cross-entropy:",
        cross_entropy(logits, target).item(),
        F.cross_entropy(logits, target).item(),
    )
    print(
        "softmin of", distances.tolist(), "=", [round(w, 3) for w in weights.tolist()]
    )
