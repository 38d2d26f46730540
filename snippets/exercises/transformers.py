"""Answers to the exercises of the "Transformers" page, one section each."""

# --8<-- [start:causal]
import torch
import torch.nn.functional as F

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
x = torch.randn(1, 6, 8).to(device)  # batch 1, 6 tokens, width 8
changed = x.clone()
changed[0, -1] = torch.randn(8).to(device)  # a different last token


def attend(tokens: torch.Tensor, causal: bool) -> torch.Tensor:
    """Self-attention of ``tokens`` on themselves, optionally blind to later tokens."""
    return F.scaled_dot_product_attention(tokens, tokens, tokens, is_causal=causal)


def unchanged(causal: bool) -> list[bool]:
    """For each token, whether its output stays the same when the last token changes."""
    before, after = attend(x, causal)[0], attend(changed, causal)[0]
    return [torch.allclose(b, a) for b, a in zip(before, after, strict=True)]


print(unchanged(causal=False))  # [False, False, False, False, False, False]
print(unchanged(causal=True))  # [True, True, True, True, True, False]
# --8<-- [end:causal]
