"""Language from scratch: character and byte-pair tokenizers, embeddings as lookup tables,
and a small causal transformer language model trained on two Shakespeare plays, measured
against unigram, bigram and trigram baselines."""

# --8<-- [start:chars]
import itertools
import math
import re
import time
from collections import Counter
from pathlib import Path

import torch
from torch import nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class CharTokenizer:
    """One token per character: the vocabulary is every character of the training text."""

    def __init__(self, text: str) -> None:
        self.chars = sorted(set(text))
        self.index = {c: i for i, c in enumerate(self.chars)}

    def encode(self, text: str) -> list[int]:
        """Text -> token ids; a character never seen in training is an error."""
        unknown = sorted(set(text) - self.index.keys())
        if unknown:
            raise ValueError(f"characters not in the vocabulary: {unknown}")
        return [self.index[c] for c in text]

    def decode(self, ids: list[int]) -> str:
        return "".join(self.chars[i] for i in ids)


# --8<-- [end:chars]


# --8<-- [start:bpe]
# Text is first cut into chunks: a word with the space before it, a run of punctuation
# with its space, or a run of whitespace. Merges never cross a chunk boundary.
CHUNK = re.compile(r" ?\w+| ?[^\w\s]+|\s+")


class BPETokenizer:
    """Byte-pair encoding over characters: start from single characters and repeatedly
    merge the most frequent adjacent pair into a new token (Sennrich et al., 2016)."""

    def __init__(self, text: str, merges: int = 200) -> None:
        self.base = CharTokenizer(text)
        self.tokens = list(self.base.chars)  # id -> string; merged tokens are appended
        self.merges: list[tuple[str, str]] = []
        words = Counter(CHUNK.findall(text))  # chunk -> how often it occurs
        split = {w: list(w) for w in words}  # each chunk as its current tokens
        pairs: Counter = Counter()  # adjacent pair -> how often it occurs in the text
        where: dict[tuple[str, str], set[str]] = {}  # pair -> the chunks that hold it
        for w, n in words.items():
            for pair in itertools.pairwise(w):
                pairs[pair] += n
                where.setdefault(pair, set()).add(w)
        for _ in range(merges):
            if not pairs:
                break  # every chunk is already one token
            a, b = min(pairs, key=lambda p: (-pairs[p], p))  # ties: the smaller pair
            self.merges.append((a, b))
            self.tokens.append(a + b)
            for w in where.pop((a, b)):  # recount only the chunks that change
                old, new = split[w], merge_pair(split[w], a, b)
                for pair in itertools.pairwise(old):
                    pairs[pair] -= words[w]
                for pair in itertools.pairwise(new):
                    pairs[pair] += words[w]
                    where.setdefault(pair, set()).add(w)
                split[w] = new
            pairs = +pairs  # drop the pairs that no longer occur
        self.index = {t: i for i, t in enumerate(self.tokens)}
        self.rank = {pair: r for r, pair in enumerate(self.merges)}
        self.cache: dict[str, list[int]] = {}

    def encode_chunk(self, chunk: str) -> list[int]:
        """Apply the learned merges to one chunk, earliest learned first."""
        if chunk not in self.cache:
            parts = [self.base.chars[i] for i in self.base.encode(chunk)]
            while len(parts) > 1:
                ranked = [
                    (self.rank.get(p, math.inf), p) for p in itertools.pairwise(parts)
                ]
                best, pair = min(ranked)
                if best == math.inf:
                    break
                parts = merge_pair(parts, *pair)
            self.cache[chunk] = [self.index[p] for p in parts]
        return self.cache[chunk]

    def encode(self, text: str) -> list[int]:
        return [i for chunk in CHUNK.findall(text) for i in self.encode_chunk(chunk)]

    def decode(self, ids: list[int]) -> str:
        return "".join(self.tokens[i] for i in ids)


def merge_pair(parts: list[str], a: str, b: str) -> list[str]:
    """Replace every adjacent (a, b) in parts, left to right, by a + b."""
    out, i = [], 0
    while i < len(parts):
        if i + 1 < len(parts) and parts[i] == a and parts[i + 1] == b:
            out.append(a + b)
            i += 2
        else:
            out.append(parts[i])
            i += 1
    return out


# --8<-- [end:bpe]


# --8<-- [start:baselines]
def ngram_perplexities(
    train: list[int],
    test: list[int],
    vocab: int,
    alpha: float = 1.0,
    beta: float = 1.0,
) -> dict[str, float]:
    """Held-out perplexity per token of unigram, bigram and trigram models counted on
    ``train``; each scores every token of ``test`` after its first.

    Unigram: p(b) = (c(b) + 1) / (N + V), add-one smoothed. Bigram:
    p(b | a) = (c(a, b) + alpha p(b)) / (c(a) + alpha), with c(a) = sum_b c(a, b): alpha
    is a pseudo-count, alpha extra occurrences of a spread by the unigram. Trigram:
    p(z | x, y) = (c(x, y, z) + beta p(z | y)) / (c(x, y) + beta), backed off to the
    bigram in the same way (and for the second token, which has one token before it).
    """
    t = torch.tensor(train)
    uni = torch.bincount(t, minlength=vocab).double()
    p_uni = (uni + 1) / (uni.sum() + vocab)
    bi = torch.bincount(t[:-1] * vocab + t[1:], minlength=vocab * vocab)
    bi = bi.double().view(vocab, vocab)
    left = bi.sum(1)  # c(a): how often a is followed by any token

    def p_bigram(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return (bi[a, b] + alpha * p_uni[b]) / (left[a] + alpha)

    # trigram counts, kept sparse: V^3 entries would not fit comfortably in memory
    keys, counts = torch.unique(
        (t[:-2] * vocab + t[1:-1]) * vocab + t[2:], return_counts=True
    )
    pair_left = torch.bincount(t[:-2] * vocab + t[1:-1], minlength=vocab * vocab)
    x, y, z = (
        torch.tensor(test[i : len(test) - 2 + i], dtype=torch.long) for i in range(3)
    )
    query = (x * vocab + y) * vocab + z
    at = torch.searchsorted(keys, query).clamp(max=len(keys) - 1)
    c3 = torch.where(keys[at] == query, counts[at], 0).double()
    c2 = pair_left[x * vocab + y].double()
    p_tri = (c3 + beta * p_bigram(y, z)) / (c2 + beta)
    prev, nxt = torch.tensor(test[:-1]), torch.tensor(test[1:])
    p_bi = p_bigram(prev, nxt)
    p_tri = torch.cat([p_bi[:1], p_tri])  # the second token: bigram only
    return {
        "unigram": math.exp(-p_uni[nxt].log().mean().item()),
        "bigram": math.exp(-p_bi.log().mean().item()),
        "trigram": math.exp(-p_tri.log().mean().item()),
    }


ALPHAS = (1.0, 3.0, 10.0, 30.0, 100.0)  # the smoothings tried, for alpha and for beta


def choose_smoothing(
    train: list[int], vocab: int, valid: float = 0.1
) -> tuple[float, float]:
    """Pick alpha, then beta, from ALPHAS by perplexity on the last ``valid`` of the
    training ids, counting on the rest: the held-out test text is never seen."""
    cut = int(len(train) * (1 - valid))
    fit, check = train[:cut], train[cut:]
    alpha = min(
        ALPHAS, key=lambda a: ngram_perplexities(fit, check, vocab, a)["bigram"]
    )
    beta = min(
        ALPHAS,
        key=lambda b: ngram_perplexities(fit, check, vocab, alpha, b)["trigram"],
    )
    return alpha, beta


# --8<-- [end:baselines]


# --8<-- [start:model]
def causal_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """softmax(q k^T / sqrt(d) + M) v with M = -inf above the diagonal: position i sees
    positions 0..i only. q, k, v: (..., L, d)."""
    length = q.shape[-2]
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    future = torch.ones(length, length, dtype=torch.bool, device=q.device).triu(1)
    return torch.softmax(scores.masked_fill(future, float("-inf")), dim=-1) @ v


class CausalSelfAttention(nn.Module):
    """Multi-head self-attention with a causal mask; the parameter names and layout of
    nn.MultiheadAttention (in_proj_weight stacks W_Q; W_K; W_V)."""

    def __init__(self, d_model: int, heads: int) -> None:
        super().__init__()
        if d_model % heads:
            raise ValueError(f"d_model {d_model} is not divisible by heads {heads}")
        self.heads = heads
        self.in_proj_weight = nn.Parameter(torch.empty(3 * d_model, d_model))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * d_model))
        self.out_proj = nn.Linear(d_model, d_model)
        nn.init.xavier_uniform_(self.in_proj_weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, length, d = x.shape
        q, k, v = (x @ self.in_proj_weight.T + self.in_proj_bias).chunk(3, dim=-1)
        q, k, v = (t.view(n, length, self.heads, -1).transpose(1, 2) for t in (q, k, v))
        out = causal_attention(q, k, v).transpose(1, 2).reshape(n, length, d)
        return self.out_proj(out)


class DecoderBlock(nn.Module):
    """The transformer chapter's block with a causal mask: x <- LayerNorm(x + attention(x)),
    then x <- LayerNorm(x + FFN(x)); parameter names of nn.TransformerEncoderLayer."""

    def __init__(self, d_model: int, heads: int, d_ff: int) -> None:
        super().__init__()
        self.self_attn = CausalSelfAttention(d_model, heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.norm1(x + self.self_attn(x))
        return self.norm2(x + self.linear2(torch.relu(self.linear1(x))))


class TinyLM(nn.Module):
    """Token and position embeddings, causal blocks, and a linear head: logits for the
    next token at every position."""

    def __init__(
        self,
        vocab: int,
        d_model: int = 64,
        heads: int = 4,
        layers: int = 2,
        context: int = 64,
    ) -> None:
        super().__init__()
        self.context = context
        self.embed = nn.Embedding(vocab, d_model)
        self.position = nn.Embedding(context, d_model)
        self.blocks = nn.Sequential(
            *(DecoderBlock(d_model, heads, 2 * d_model) for _ in range(layers))
        )
        self.head = nn.Linear(d_model, vocab)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """tokens (N, L) with L <= context -> logits (N, L, vocab)."""
        if tokens.ndim != 2 or tokens.dtype != torch.long:
            raise TypeError(
                f"expected long tokens (N, L), got {tokens.dtype} {tokens.shape}"
            )
        if tokens.shape[1] > self.context:
            raise ValueError(f"sequence of {tokens.shape[1]} > context {self.context}")
        positions = torch.arange(tokens.shape[1], device=tokens.device)
        return self.head(self.blocks(self.embed(tokens) + self.position(positions)))


# --8<-- [end:model]


# --8<-- [start:train]
def batches(
    ids: torch.Tensor, context: int, batch: int, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """Random windows: inputs ids[i : i + L] and targets ids[i + 1 : i + L + 1], the same
    text shifted by one token (teacher forcing: the input is the true text)."""
    start = torch.randint(len(ids) - context - 1, (batch,), generator=generator)
    window = torch.stack([ids[s : s + context + 1] for s in start.tolist()])
    return window[:, :-1], window[:, 1:]


@torch.no_grad()
def perplexity(model: TinyLM, ids: torch.Tensor) -> float:
    """exp(mean cross-entropy) over held-out text cut into windows of the model's
    context; each window's first token is only an input."""
    model.eval()
    context = model.context
    n = (len(ids) - 1) // context
    x = ids[: n * context].view(n, context).to(device)
    y = ids[1 : n * context + 1].view(n, context).to(device)
    loss = nn.functional.cross_entropy(model(x).flatten(0, 1), y.flatten())
    return math.exp(loss.item())


def train_language_model(
    train_ids: list[int],
    vocab: int,
    steps: int = 500,
    batch: int = 32,
    lr: float = 1e-2,
    context: int = 32,
    warmup: float = 0.1,
) -> dict:
    """Train a TinyLM with Adam on random windows of the training text; the learning
    rate warms up over the first ``warmup`` of the steps and then decays (one-cycle)."""
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(1)
    model = TinyLM(vocab, context=context).to(device)
    ids = torch.tensor(train_ids)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, lr, total_steps=steps, pct_start=warmup
    )
    losses, start, cpu = [], time.perf_counter(), time.process_time()
    for _ in range(steps):
        x, y = batches(ids, model.context, batch, generator)
        logits = model(x.to(device))
        loss = nn.functional.cross_entropy(logits.flatten(0, 1), y.to(device).flatten())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        losses.append(loss.item())
    return {
        "model": model,
        "losses": losses,
        "seconds": time.perf_counter() - start,  # wall clock: longer on a busy machine
        "cpu_seconds": time.process_time() - cpu,  # the CPU time this process used
    }


@torch.no_grad()
def generate(
    model: TinyLM, prompt: list[int], tokens: int = 60, temperature: float = 0.8
) -> list[int]:
    """Sample one token at a time, each fed back as the next input (no teacher here)."""
    model.eval()
    generator = torch.Generator().manual_seed(0)
    ids = list(prompt)
    for _ in range(tokens):
        x = torch.tensor([ids[-model.context :]], device=device)
        probs = torch.softmax(model(x)[0, -1] / temperature, dim=-1).cpu()
        ids.append(torch.multinomial(probs, 1, generator=generator).item())
    return ids


# --8<-- [end:train]


# --8<-- [start:corpus]
DATA = Path(__file__).resolve().parent / "language_data"  # ships with the repository
PLAYS = ("the-tempest.txt", "a-midsummer-nights-dream.txt")


def load_corpus(held_out: float = 0.1) -> tuple[str, str]:
    """The two plays, each cut into its first 90% (training) and its last 10% (held out)."""
    train, test = [], []
    for name in PLAYS:
        text = (DATA / name).read_text(encoding="utf-8")
        cut = int(len(text) * (1 - held_out))
        train.append(text[:cut])
        test.append(text[cut:])
    return "".join(train), "".join(test)


# --8<-- [end:corpus]


if __name__ == "__main__":
    # --8<-- [start:main]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a tiny model: one thread avoids synchronization overhead
    train_text, test_text = load_corpus()
    chars = CharTokenizer(train_text)
    bpe = BPETokenizer(train_text)
    train_ids, test_ids = bpe.encode(train_text), bpe.encode(test_text)
    assert bpe.decode(test_ids) == test_text  # the round trip is exact
    print(
        f"{len(chars.chars)} characters, {len(bpe.tokens)} BPE tokens; "
        f"{len(test_text) / len(test_ids):.2f} characters per token on held-out text"
    )
    alpha, beta = choose_smoothing(train_ids, len(bpe.tokens))  # no test text here
    counted = ngram_perplexities(train_ids, test_ids, len(bpe.tokens), alpha, beta)
    unigram, bigram, trigram = counted["unigram"], counted["bigram"], counted["trigram"]
    run = train_language_model(train_ids, len(bpe.tokens))
    model_ppl = perplexity(run["model"], torch.tensor(test_ids))
    print(
        f"held-out perplexity per BPE token: unigram {unigram:.1f}, "
        f"bigram {bigram:.1f}, trigram {trigram:.1f}, transformer {model_ppl:.1f} "
        f"(trained in {run['cpu_seconds']:.1f} s of CPU time)"
    )
    sample = generate(run["model"], bpe.encode("PROSPERO.\n"))
    print(bpe.decode(sample))
    torch.set_num_threads(threads)
    # --8<-- [end:main]
