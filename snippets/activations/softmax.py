"""Softmax for outputs: shift invariance, temperature, the two-class case and cross-entropy."""

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
