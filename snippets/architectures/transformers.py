"""Attention from scratch: scaled dot-product and multi-head attention checked against
PyTorch, sinusoidal positional encoding, and a tiny transformer encoder that learns to
reverse a sequence of digits."""

# --8<-- [start:attention]
import math
import time

import torch
from torch import nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def scaled_dot_product_attention(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    mask: torch.Tensor | None = None,
    causal: bool = False,
) -> tuple[torch.Tensor, torch.Tensor]:
    """softmax(q k^T / sqrt(d_k)) v over the last two dimensions; returns (output, weights).

    q: (..., L, d_k), k: (..., S, d_k), v: (..., S, d_v). ``mask`` is boolean and broadcasts
    to (..., L, S): True means "may attend", as in F.scaled_dot_product_attention.
    ``causal=True`` lets position i attend only to positions j <= i.
    """
    if q.shape[-1] != k.shape[-1] or k.shape[-2] != v.shape[-2]:
        raise ValueError(
            f"need q (..., L, d), k (..., S, d), v (..., S, d_v); "
            f"got {tuple(q.shape)}, {tuple(k.shape)}, {tuple(v.shape)}"
        )
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])  # (..., L, S)
    if causal:
        length, source = scores.shape[-2:]
        mask_c = torch.ones(length, source, dtype=torch.bool, device=q.device).tril()
        mask = mask_c if mask is None else mask & mask_c
    if mask is not None:
        if mask.dtype != torch.bool:
            raise TypeError(f"mask must be boolean (True = attend), got {mask.dtype}")
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)  # each row sums to 1 over the keys
    return weights @ v, weights


# --8<-- [end:attention]


# --8<-- [start:scaling]
def dot_product_variance(
    d_k: int, samples: int = 20_000, scaled: bool = False
) -> float:
    """Variance of q . k for q, k with independent N(0, 1) entries (optionally / sqrt(d_k))."""
    gen = torch.Generator().manual_seed(d_k)
    q = torch.randn(samples, d_k, generator=gen)
    k = torch.randn(samples, d_k, generator=gen)
    dots = (q * k).sum(dim=1)
    return (dots / math.sqrt(d_k) if scaled else dots).var().item()


def softmax_peak(d_k: int, keys: int = 16, scaled: bool = False) -> float:
    """Average largest attention weight in a row of ``keys`` random scores: near 1 means
    the softmax has saturated into a one-hot choice, and its gradient is near zero."""
    gen = torch.Generator().manual_seed(d_k)
    q, k = (
        torch.randn(2000, 1, d_k, generator=gen),
        torch.randn(2000, keys, d_k, generator=gen),
    )
    scores = (q @ k.transpose(1, 2)).squeeze(1) / (math.sqrt(d_k) if scaled else 1.0)
    return torch.softmax(scores, dim=-1).max(dim=-1).values.mean().item()


# --8<-- [end:scaling]


# --8<-- [start:mha]
class MultiHeadAttention(nn.Module):
    """Multi-head attention with nn.MultiheadAttention's parameter layout (batch_first).

    Masks follow nn.MultiheadAttention: ``key_padding_mask`` (N, S) and a boolean
    ``attn_mask`` (L, S) are True where attention is *not* allowed, the opposite of
    scaled_dot_product_attention's ``mask`` above.
    """

    def __init__(self, embed_dim: int, num_heads: int) -> None:
        super().__init__()
        if embed_dim % num_heads:
            raise ValueError(
                f"embed_dim {embed_dim} is not divisible by num_heads {num_heads}"
            )
        self.embed_dim, self.num_heads = embed_dim, num_heads
        self.in_proj_weight = nn.Parameter(
            torch.empty(3 * embed_dim, embed_dim)
        )  # W_Q; W_K; W_V
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * embed_dim))
        self.out_proj_weight = nn.Parameter(torch.empty(embed_dim, embed_dim))  # W_O
        self.out_proj_bias = nn.Parameter(torch.zeros(embed_dim))
        nn.init.xavier_uniform_(self.in_proj_weight)
        nn.init.xavier_uniform_(self.out_proj_weight)

    def split_heads(self, x: torch.Tensor) -> torch.Tensor:
        """(N, L, E) -> (N, heads, L, E / heads)."""
        n, length, _ = x.shape
        return x.view(n, length, self.num_heads, -1).transpose(1, 2)

    def forward(
        self,
        query: torch.Tensor,
        key: torch.Tensor,
        value: torch.Tensor,
        key_padding_mask: torch.Tensor | None = None,
        attn_mask: torch.Tensor | None = None,
        average_attn_weights: bool = True,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Returns the output (N, L, E) and the attention weights, averaged over the heads
        (N, L, S) or one map per head (N, heads, L, S)."""
        if query.ndim != 3 or query.shape[-1] != self.embed_dim:
            raise ValueError(
                f"expected query (N, L, {self.embed_dim}), got {tuple(query.shape)}"
            )
        w_q, w_k, w_v = self.in_proj_weight.chunk(3)
        b_q, b_k, b_v = self.in_proj_bias.chunk(3)
        q = self.split_heads(query @ w_q.T + b_q)
        k = self.split_heads(key @ w_k.T + b_k)
        v = self.split_heads(value @ w_v.T + b_v)
        allowed = None
        if key_padding_mask is not None:
            allowed = ~key_padding_mask[:, None, None, :]  # (N, 1, 1, S)
        if attn_mask is not None:
            allowed = ~attn_mask if allowed is None else allowed & ~attn_mask
        out, weights = scaled_dot_product_attention(q, k, v, mask=allowed)
        out = out.transpose(1, 2).reshape(query.shape)  # concatenate the heads
        out = out @ self.out_proj_weight.T + self.out_proj_bias
        return out, weights.mean(dim=1) if average_attn_weights else weights

    @torch.no_grad()
    def load_from(self, mha: nn.MultiheadAttention) -> "MultiHeadAttention":
        """Copy the weights of an nn.MultiheadAttention with the same sizes."""
        self.in_proj_weight.copy_(mha.in_proj_weight)
        self.in_proj_bias.copy_(mha.in_proj_bias)
        self.out_proj_weight.copy_(mha.out_proj.weight)
        self.out_proj_bias.copy_(mha.out_proj.bias)
        return self


# --8<-- [end:mha]


# --8<-- [start:positional]
def sinusoidal_encoding(length: int, d_model: int) -> torch.Tensor:
    """PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(same); shape (length, d)."""
    if d_model % 2:
        raise ValueError(f"d_model must be even, got {d_model}")
    pos = torch.arange(length, dtype=torch.float32)[:, None]
    freq = 10000.0 ** (
        -torch.arange(0, d_model, 2, dtype=torch.float32) / d_model
    )  # omega_i
    pe = torch.zeros(length, d_model)
    pe[:, 0::2] = torch.sin(pos * freq)
    pe[:, 1::2] = torch.cos(pos * freq)
    return pe


class PositionalEncoding(nn.Module):
    """Adds the sinusoidal encoding to a batch of embeddings (N, L, d_model)."""

    def __init__(self, d_model: int, max_len: int = 64) -> None:
        super().__init__()
        self.register_buffer("pe", sinusoidal_encoding(max_len, d_model))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 3 or x.shape[1] > len(self.pe) or x.shape[2] != self.pe.shape[1]:
            raise ValueError(
                f"expected (N, L <= {len(self.pe)}, {self.pe.shape[1]}), got {tuple(x.shape)}"
            )
        return x + self.pe[: x.shape[1]]


# --8<-- [end:positional]


# --8<-- [start:model]
class EncoderBlock(nn.Module):
    """Self-attention and a feed-forward network, each wrapped in a residual connection
    followed by LayerNorm (the "post-norm" block of Vaswani et al.; parameter names match
    nn.TransformerEncoderLayer(batch_first=True, dropout=0))."""

    def __init__(self, d_model: int, num_heads: int, d_ff: int) -> None:
        super().__init__()
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x (N, L, d_model) -> same shape, and the attention maps (N, heads, L, L)."""
        attended, weights = self.self_attn(x, x, x, average_attn_weights=False)
        x = self.norm1(x + attended)
        x = self.norm2(x + self.linear2(torch.relu(self.linear1(x))))
        return x, weights


class TinyTransformer(nn.Module):
    """Token embedding + sinusoidal positions, a stack of encoder blocks, a per-token head."""

    def __init__(
        self, vocab: int = 10, d_model: int = 32, heads: int = 2, layers: int = 1
    ) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.position = PositionalEncoding(d_model)
        self.blocks = nn.ModuleList(
            EncoderBlock(d_model, heads, 4 * d_model) for _ in range(layers)
        )
        self.head = nn.Linear(d_model, vocab)

    def forward(self, tokens: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """tokens (N, L) -> logits (N, L, vocab) and each block's attention weights."""
        if tokens.ndim != 2 or tokens.dtype != torch.long:
            raise ValueError(
                f"expected long tokens (N, L), got {tokens.dtype} {tuple(tokens.shape)}"
            )
        x = self.position(self.embed(tokens))
        maps = []
        for block in self.blocks:
            x, weights = block(x)
            maps.append(weights)
        return self.head(x), maps


# --8<-- [end:model]


# --8<-- [start:task]
def reverse_batch(
    n: int, length: int, generator: torch.Generator
) -> tuple[torch.Tensor, ...]:
    """Random digit sequences (n, length) and their reversals, the targets."""
    tokens = torch.randint(0, 10, (n, length), generator=generator)
    return tokens, tokens.flip(1)


HELD_OUT = 1000  # sequences in the test set


def train_reverse(
    length: int = 8, steps: int = 120, batch: int = 64, lr: float = 1e-2
) -> dict:
    """Train a TinyTransformer to reverse digit sequences; report held-out accuracies."""
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)
    model = TinyTransformer().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses, start = [], time.perf_counter()
    for _ in range(steps):
        x, y = reverse_batch(batch, length, gen)
        logits, _ = model(x.to(device))
        loss = nn.functional.cross_entropy(logits.flatten(0, 1), y.to(device).flatten())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    seconds = time.perf_counter() - start
    x, y = reverse_batch(HELD_OUT, length, torch.Generator().manual_seed(2))
    with torch.no_grad():
        correct = model(x.to(device))[0].argmax(-1).cpu() == y
    return {
        "model": model,
        "token_accuracy": correct.float().mean().item(),
        "sequence_accuracy": correct.all(dim=1).float().mean().item(),
        "losses": losses,
        "seconds": seconds,
    }


# --8<-- [end:task]


if __name__ == "__main__":
    # --8<-- [start:main]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a tiny model: one thread avoids synchronization overhead
    q, k, v = torch.randn(2, 4, 5, 8), torch.randn(2, 4, 7, 8), torch.randn(2, 4, 7, 8)
    ours, _ = scaled_dot_product_attention(q, k, v)
    theirs = nn.functional.scaled_dot_product_attention(q, k, v)
    print(f"attention: max |ours - torch| = {(ours - theirs).abs().max():.1e}")
    for d_k in (4, 64, 1024):
        print(
            f"d_k = {d_k:4}: var(q.k) = {dot_product_variance(d_k):7.1f}, "
            f"after / sqrt(d_k): {dot_product_variance(d_k, scaled=True):.2f}"
        )
    result = train_reverse()
    print(
        f"reversal: {result['token_accuracy']:.1%} of digits, "
        f"{result['sequence_accuracy']:.1%} of whole sequences, in {result['seconds']:.1f} s"
    )
    torch.set_num_threads(threads)
    # --8<-- [end:main]
