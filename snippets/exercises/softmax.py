"""Answers to the exercises of the "Softmax" page, one section each."""

# --8<-- [start:logsumexp]
import torch


def logsumexp(z: torch.Tensor) -> torch.Tensor:
    """log(sum(exp(z))) over the last dimension, shifted by the largest entry first."""
    if not z.is_floating_point() or z.ndim == 0:
        raise ValueError(f"expected a float tensor of logits, got {z.dtype} {z.shape}")
    m = z.max(dim=-1, keepdim=True).values
    return (m + torch.log(torch.exp(z - m).sum(dim=-1, keepdim=True))).squeeze(-1)


z = torch.tensor([1000.0, 999.0, 998.0], dtype=torch.float64)
print(torch.log(torch.exp(z).sum()).item())  # inf
print(f"{logsumexp(z).item():.4f}")  # 1000.4076
print(torch.allclose(logsumexp(z), torch.logsumexp(z, dim=-1)))  # True
# --8<-- [end:logsumexp]
