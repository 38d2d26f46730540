"""Answers to the exercises of the "Language models" page, one section each."""

# --8<-- [start:perplexity]
import math

import torch
import torch.nn.functional as F

torch.manual_seed(0)
vocab, n_tokens = 50, 1000
targets = torch.randint(vocab, (n_tokens,))  # the tokens that actually came


def perplexity(logits: torch.Tensor, targets: torch.Tensor) -> float:
    """exp of the mean cross-entropy (in nats) of ``logits`` for ``targets``."""
    if logits.ndim != 2 or logits.shape[0] != targets.shape[0]:
        raise ValueError(f"expected (tokens, vocab) logits, got {tuple(logits.shape)}")
    return math.exp(F.cross_entropy(logits, targets).item())


uniform = torch.zeros(n_tokens, vocab)  # equal logits: probability 1/50 each
print(f"{perplexity(uniform, targets):.2f}")  # 50.00

# probability 1/2 on the right token, the other half shared by the 49 others
probs = torch.full((n_tokens, vocab), 0.5 / (vocab - 1))
probs[torch.arange(n_tokens), targets] = 0.5
print(f"{perplexity(probs.log(), targets):.2f}")  # 2.00
# --8<-- [end:perplexity]
