"""Language: the bundled corpus is what its README says, the tokenizers round-trip, an
embedding is a one-hot times a matrix, the n-gram formulas equal the code, the causal block
equals PyTorch's and never sees the future, and the trained model beats the baselines as
the page states.

Cheap by design: no test trains a model. The claim about the trained model reads the run
of language.py that tests/test_snippets.py makes once per session (tests/snippet_runs.py)
and the page's facts, which the build computed once for these sources."""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections import Counter
from pathlib import Path

import pytest
import sympy as sp
import torch
from architectures import language as L
from snippet_runs import run_snippet
from torch import nn

from docs_build import api
from docs_build.registry import get_facts

ROOT = Path(__file__).resolve().parents[2]
DATA = L.DATA  # the corpus that ships with the snippet


def show(token: str) -> str:
    """A token as the page's merges table shows it: spaces and newlines made visible."""
    text = token.replace("\n", "↵").replace(" ", "␣").replace("|", "\\|")
    return f"`{text}`"


@pytest.fixture(scope="module")
def corpus() -> tuple[str, str]:
    return L.load_corpus()


@pytest.fixture(scope="module")
def bpe(corpus) -> L.BPETokenizer:
    return L.BPETokenizer(corpus[0])


def test_corpus_is_what_its_readme_says() -> None:
    """Every play the snippet reads is listed in the README with its size and SHA-256, and
    the whole corpus stays under 1 MB."""
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([\w-]+\.txt)` \| .+? \| ([\d,]+) \| `([0-9a-f]{64})` \|$",
                      readme, re.MULTILINE)  # fmt: skip
    assert sorted(name for name, _, _ in rows) == sorted(L.PLAYS)
    for name, size, digest in rows:
        data = (DATA / name).read_bytes()
        assert len(data) == int(size.replace(",", ""))
        assert hashlib.sha256(data).hexdigest() == digest
        data.decode("ascii")  # plain ASCII text
    assert sum((DATA / n).stat().st_size for n in L.PLAYS) <= 1_000_000
    assert "public domain" in readme and "License" in readme


def test_corpus_split_holds_out_the_end_of_each_play(corpus) -> None:
    train, test = corpus
    plays = [(DATA / n).read_text(encoding="utf-8") for n in L.PLAYS]
    assert len(train) + len(test) == sum(len(p) for p in plays)
    assert test.endswith(plays[-1][-1000:]) and train.startswith(plays[0][:1000])
    assert abs(len(test) / (len(train) + len(test)) - 0.1) < 0.001


def test_char_tokenizer_round_trips_and_refuses_unknown_characters(corpus) -> None:
    chars = L.CharTokenizer(corpus[0])
    assert chars.decode(chars.encode(corpus[1])) == corpus[1]
    assert len(chars.encode("Ariel")) == 5
    with pytest.raises(ValueError, match="not in the vocabulary"):
        chars.encode("na\u00efve")


@pytest.mark.claim("language-bpe-round-trip")
def test_bpe_round_trips_exactly(corpus, bpe) -> None:
    """decode(encode(text)) == text on the held-out text, the training text and words the
    training text never had; chunks never lose or add a character."""
    train, test = corpus
    for text in (test, train, "Zounds, qwxz!  \n\n  Ariel's  spiriting"):
        assert "".join(L.CHUNK.findall(text)) == text
        assert bpe.decode(bpe.encode(text)) == text
    with pytest.raises(ValueError, match="not in the vocabulary"):
        bpe.encode("\u00e9")


def naive_merges(text: str, merges: int) -> list[tuple[str, str]]:
    """BPE as the definition says: recount every pair of the whole text for each merge."""
    words = Counter(L.CHUNK.findall(text))
    split = {w: list(w) for w in words}
    out = []
    for _ in range(merges):
        pairs: Counter = Counter()
        for w, n in words.items():
            for pair in itertools.pairwise(split[w]):
                pairs[pair] += n
        a, b = min(pairs, key=lambda p: (-pairs[p], p))
        out.append((a, b))
        split = {w: L.merge_pair(s, a, b) for w, s in split.items()}
    return out


def test_bpe_incremental_counts_equal_a_full_recount(corpus) -> None:
    text = corpus[0][:30_000]
    assert L.BPETokenizer(text, merges=60).merges == naive_merges(text, 60)


def test_bpe_tokens_are_their_merges_and_compress_as_stated(corpus, bpe) -> None:
    """Each new token is the concatenation of its pair; the page's tables and its
    characters-per-token ratio are this tokenizer's."""
    facts = get_facts("lang")
    base = len(bpe.base.chars)
    assert len(bpe.tokens) == base + len(bpe.merges) == int(facts["bpe_vocab"])
    for (a, b), token in zip(bpe.merges, bpe.tokens[base:], strict=True):
        assert token == a + b
    ids = bpe.encode(corpus[1])
    assert facts["chars_per_token"] == f"{len(corpus[1]) / len(ids):.2f}"
    assert len(ids) < len(corpus[1])
    assert facts["line_tokens"] == str(len(bpe.encode(facts["line"])))
    shown = int(facts["shown_merges"])
    assert len(facts["merges_table"].splitlines()) == 2 + shown  # header, rule, rows
    for n, (a, b) in enumerate(bpe.merges[:shown], 1):
        assert (
            f"| {n} | {show(a)} + {show(b)} | {show(a + b)} |" in facts["merges_table"]
        )
    assert (
        " ".join(show(bpe.tokens[i]) for i in bpe.encode(facts["line"]))
        == (facts["line_split"])
    )


@pytest.mark.claim("language-embedding-is-one-hot")
def test_embedding_is_a_one_hot_row_times_the_matrix() -> None:
    """nn.Embedding(ids) equals one_hot(ids) @ weight, and so do the weight's gradients
    (only the rows of the ids used receive any)."""
    torch.manual_seed(0)
    embed = nn.Embedding(11, 5)
    ids = torch.tensor([[3, 0, 3], [10, 7, 1]])
    looked_up = embed(ids)
    one_hot = nn.functional.one_hot(ids, 11).to(embed.weight.dtype)
    product = one_hot @ embed.weight
    torch.testing.assert_close(looked_up, product, rtol=0, atol=0)
    upstream = torch.randn(looked_up.shape)
    (grad_lookup,) = torch.autograd.grad(looked_up, embed.weight, upstream)
    (grad_product,) = torch.autograd.grad(product, embed.weight, upstream)
    torch.testing.assert_close(grad_lookup, grad_product)
    unused = [i for i in range(11) if i not in ids.tolist()[0] + ids.tolist()[1]]
    assert torch.all(grad_lookup[unused] == 0)


@pytest.mark.formula
def test_ngram_formulas_equal_the_code() -> None:
    """The page's unigram and bigram formulas, evaluated on counts made by hand, give the
    snippet's perplexities; the perplexity formula is exp of PyTorch's cross-entropy."""
    train, test, vocab = [0, 1, 1, 2, 0, 1, 2, 2], [1, 2, 0, 0, 1], 4
    uni, bi = api.formula("lm_unigram").torch(), api.formula("lm_bigram").torch()
    counts = Counter(train)
    pair_counts = Counter(itertools.pairwise(train))
    alpha = 3.0
    p_uni = {b: uni(counts[b], len(train), vocab) for b in range(vocab)}
    left = Counter(train[:-1])
    nll_uni = [-math.log(p_uni[b]) for b in test[1:]]
    nll_bi = [
        -math.log(bi(pair_counts[a, b], left[a], alpha, p_uni[b]))
        for a, b in itertools.pairwise(test)
    ]
    got = L.ngram_perplexities(train, test, vocab, alpha)
    assert got["unigram"] == pytest.approx(math.exp(sum(nll_uni) / len(nll_uni)))
    assert got["bigram"] == pytest.approx(math.exp(sum(nll_bi) / len(nll_bi)))

    torch.manual_seed(0)
    logits, targets = torch.randn(7, 5, dtype=torch.float64), torch.randint(5, (7,))
    p = torch.softmax(logits, -1)[torch.arange(7), targets]
    perplexity = api.formula("lm_perplexity")
    ppl = perplexity.expr.subs(perplexity.args[0], 7).doit()  # N = 7
    (p_t,) = perplexity.expr.atoms(sp.IndexedBase)
    ppl = ppl.subs({p_t[t]: p[t - 1].item() for t in range(1, 8)})
    expected = math.exp(nn.functional.cross_entropy(logits, targets).item())
    assert float(ppl) == pytest.approx(expected, rel=1e-12)


@pytest.mark.claim("language-block-matches-torch")
def test_decoder_block_equals_torch_encoder_layer_with_causal_mask() -> None:
    """Our DecoderBlock with nn.TransformerEncoderLayer's weights (no dropout, causal
    mask): same outputs and same gradients, within float32 rounding."""
    torch.manual_seed(0)
    d, heads, d_ff, length = 16, 4, 32, 9
    theirs = nn.TransformerEncoderLayer(d, heads, d_ff, dropout=0.0, batch_first=True)
    ours = L.DecoderBlock(d, heads, d_ff)
    ours.load_state_dict(theirs.state_dict())
    x = torch.randn(3, length, d)
    mask = nn.Transformer.generate_square_subsequent_mask(length)
    upstream = torch.randn(3, length, d)
    outputs, grads = [], []
    for module, run in (
        (ours, lambda x: ours(x)),
        (theirs, lambda x: theirs(x, src_mask=mask, is_causal=True)),
    ):
        x_in = x.clone().requires_grad_()
        out = run(x_in)
        (out * upstream).sum().backward()
        outputs.append(out.detach())
        grads.append([x_in.grad, *(p.grad for p in module.parameters())])
    torch.testing.assert_close(outputs[0], outputs[1], atol=1e-5, rtol=1e-5)
    for a, b in zip(*grads, strict=True):
        torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-5)


def future_leaks(model: L.TinyLM, length: int = 12) -> list[int]:
    """Positions t whose logits change when token t + 1 is changed."""
    torch.manual_seed(1)
    tokens = torch.randint(model.head.out_features, (2, length))
    with torch.no_grad():
        base = model(tokens)
        leaks = []
        for t in range(length - 1):
            changed = tokens.clone()
            changed[:, t + 1] = (changed[:, t + 1] + 1) % model.head.out_features
            out = model(changed)
            # the changed position's own logits must move: the model reads its input
            assert not torch.allclose(out[:, t + 1], base[:, t + 1])
            if not torch.allclose(out[:, : t + 1], base[:, : t + 1], atol=1e-6, rtol=0):
                leaks.append(t)
    return leaks


@pytest.mark.claim("language-causal-no-future")
def test_changing_a_later_token_leaves_earlier_logits_unchanged(monkeypatch) -> None:
    """For every t, changing token t + 1 leaves the logits at positions 0..t unchanged;
    with the mask taken out, the same check finds the leak."""
    torch.manual_seed(0)
    model = L.TinyLM(vocab=20, d_model=16, heads=2, layers=2, context=12).eval()
    assert future_leaks(model) == []

    def unmasked(q, k, v):
        scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
        return torch.softmax(scores, dim=-1) @ v

    monkeypatch.setattr(L, "causal_attention", unmasked)
    assert len(future_leaks(model)) == 11


@pytest.mark.claim("language-teacher-forcing")
def test_one_teacher_forced_pass_equals_predicting_each_prefix() -> None:
    """Training feeds the true text and scores all L next-token predictions in one pass;
    with the causal mask, position t's logits equal those of the prefix 0..t run alone."""
    torch.manual_seed(0)
    model = L.TinyLM(vocab=20, d_model=16, heads=2, layers=2, context=10).eval()
    ids = torch.randint(20, (300,))
    x, y = L.batches(ids, 10, 4, torch.Generator().manual_seed(0))
    torch.testing.assert_close(x[:, 1:], y[:, :-1], rtol=0, atol=0)  # shifted by one
    with torch.no_grad():
        full = model(x)
        for t in range(10):
            torch.testing.assert_close(
                model(x[:, : t + 1])[:, -1], full[:, t], atol=1e-5, rtol=1e-5
            )


def test_model_rejects_bad_input() -> None:
    model = L.TinyLM(vocab=20, d_model=16, heads=2, layers=1, context=8)
    with pytest.raises(TypeError, match="long tokens"):
        model(torch.zeros(2, 4))
    with pytest.raises(ValueError, match="context 8"):
        model(torch.zeros(2, 9, dtype=torch.long))
    with pytest.raises(ValueError, match="not divisible"):
        L.CausalSelfAttention(10, 3)


def test_parameter_count_is_as_stated() -> None:
    facts = get_facts("lang")
    vocab, d, d_ff = int(facts["bpe_vocab"]), int(facts["d_model"]), int(facts["d_ff"])
    context, layers = int(facts["context"]), int(facts["layers"])
    block = (
        (3 * d * d + 3 * d) + (d * d + d) + (d * d_ff + d_ff) + (d_ff * d + d) + 4 * d
    )
    expected = vocab * d + context * d + layers * block + d * vocab + vocab
    model = L.TinyLM(vocab, d, int(facts["heads"]), layers, context)
    assert sum(p.numel() for p in model.parameters()) == expected
    assert facts["parameters"] == f"{expected:,}"


@pytest.mark.claim("language-model-beats-bigram")
def test_transformer_beats_the_baselines_as_stated() -> None:
    """The reader's run of language.py gives the page's perplexities; the transformer's is
    at most the stated fraction of the best bigram's, which is below the unigram's."""
    run = run_snippet("architectures/language.py")
    facts = get_facts("lang")
    assert facts["model_ppl"] == f"{run['model_ppl']:.1f}"
    assert facts["bigram"] == f"{run['bigram']:.1f}"
    assert facts["unigram"] == f"{run['unigram']:.1f}"
    ratio = float(facts["claim_ratio"])
    assert ratio == 0.8  # no quiet loosening
    assert run["model_ppl"] <= ratio * run["bigram"]
    assert run["bigram"] < run["unigram"]
    text = run["bpe"].decode(run["sample"])
    assert facts["sample"] == f"```text\n{text}\n```"


@pytest.mark.claim("language-trigram-beats-model")
def test_trigram_beats_the_model_as_stated() -> None:
    """The reader's run gives the page's trigram perplexity, which is below the
    transformer's (the page says the transformer does not beat it), and the bits per
    character are the total bits over the held-out characters."""
    run = run_snippet("architectures/language.py")
    facts = get_facts("lang")
    assert facts["trigram"] == f"{run['trigram']:.1f}"
    assert run["trigram"] < run["model_ppl"]
    assert facts["trigram_ratio"] == f"{run['model_ppl'] / run['trigram']:.2f}"
    assert float(facts["trigram_ratio"]) > 1
    chars, n = len(run["test_text"]), len(run["test_ids"]) - 1
    context = run["run"]["model"].context
    scored_by = {"unigram": n, "bigram": n, "trigram": n}
    scored_by["model_ppl"] = n // context * context
    for name, scored in scored_by.items():
        bits = scored * math.log2(run[name]) / chars
        assert facts[f"{name}_bpc"] == f"{bits:.2f}"


@pytest.mark.claim("language-embeddings-barely-move")
def test_training_barely_moves_the_embeddings_as_stated() -> None:
    """Each trained embedding row keeps, on average, a cosine above the stated bound with
    the same row of the untrained model (train_language_model seeds 0 and then builds it),
    so a nearest-token table would show the initialization; training did move them."""
    run = run_snippet("architectures/language.py")
    model = run["run"]["model"]
    torch.manual_seed(0)
    start = L.TinyLM(model.head.out_features, context=model.context).embed.weight
    cosine = nn.functional.cosine_similarity(
        model.embed.weight.detach().cpu(), start.detach(), dim=1
    )
    facts = get_facts("lang")
    bound = float(facts["moved_bound"])
    assert bound == 0.9  # no quiet loosening
    assert facts["embed_cosine"] == f"{cosine.mean().item():.2f}"
    assert cosine.mean().item() > bound
    assert cosine.min().item() < 0.999  # the rows did change


def test_smoothing_is_chosen_on_training_ids_only(monkeypatch) -> None:
    """choose_smoothing scores only the last tenth of the ids it is given, counting on
    the rest, and the script gives it the training ids alone: the test ids never reach
    the selection."""
    calls = []
    real = L.ngram_perplexities

    def spy(train, test, vocab, *args):
        calls.append((list(train), list(test)))
        return real(train, test, vocab, *args)

    monkeypatch.setattr(L, "ngram_perplexities", spy)
    torch.manual_seed(0)
    ids = torch.randint(5, (200,)).tolist()
    alpha, beta = L.choose_smoothing(ids, 5)
    assert calls and all(
        fit == ids[:180] and check == ids[180:] for fit, check in calls
    )
    scores = {a: real(ids[:180], ids[180:], 5, a)["bigram"] for a in L.ALPHAS}
    assert alpha == min(scores, key=scores.get)
    scores = {b: real(ids[:180], ids[180:], 5, alpha, b)["trigram"] for b in L.ALPHAS}
    assert beta == min(scores, key=scores.get)
    source = (ROOT / "snippets/architectures/language.py").read_text()
    main = source[source.index('if __name__ == "__main__":') :]
    chosen = [line for line in main.splitlines() if "choose_smoothing(" in line]
    assert chosen and all("test_ids" not in line for line in chosen)
    assert "choose_smoothing(train_ids," in chosen[0]
    assert "ALPHAS" not in main  # no other selection in the script


def test_bigram_and_trigram_probabilities_sum_to_one() -> None:
    """For every a, the code's p(b | a) sums to 1 over b, which needs c(a) to count a's
    occurrences followed by a token (not a's plain count, which includes the last token);
    the same holds for the trigram's p(z | x, y). Read off the code's perplexities of
    two- and three-token texts."""
    train, vocab, alpha, beta = [0, 1, 1, 2, 0, 1, 2, 2, 3], 5, 3.0, 2.0
    for a in range(vocab):
        p = [
            1 / L.ngram_perplexities(train, [a, b], vocab, alpha)["bigram"]
            for b in range(vocab)
        ]
        assert sum(p) == pytest.approx(1, abs=1e-12)
    counts = Counter(train)  # the plain count of 3 (last token) breaks the sum
    uni = [(counts[b] + 1) / (len(train) + vocab) for b in range(vocab)]
    assert sum(uni[b] * alpha / (counts[3] + alpha) for b in range(vocab)) != (
        pytest.approx(1)
    )
    for x, y in itertools.product(range(vocab), repeat=2):
        p_y = 1 / L.ngram_perplexities(train, [x, y], vocab, alpha)["bigram"]
        p = []
        for z in range(vocab):
            got = L.ngram_perplexities(train, [x, y, z], vocab, alpha, beta)
            p.append(got["trigram"] ** -2 / p_y)
        assert sum(p) == pytest.approx(1, abs=1e-12)


def test_perplexity_is_token_by_token_within_windows() -> None:
    """perplexity() is exp of the mean negative log-probability, each token predicted from
    the earlier tokens of its own window of the model's context, over whole windows only;
    the page's counts of scored tokens are these."""
    torch.manual_seed(0)
    model = L.TinyLM(11, context=8).double().eval()
    ids = torch.randint(11, (30,))
    nll = []
    for start in range(0, (len(ids) - 1) // 8 * 8, 8):
        for j in range(8):
            logits = model(ids[start : start + j + 1][None])[0, -1]
            nll.append(-torch.log_softmax(logits, -1)[ids[start + j + 1]].item())
    assert len(nll) == 24
    assert L.perplexity(model, ids) == pytest.approx(math.exp(sum(nll) / 24), rel=1e-9)
    facts, run = get_facts("lang"), run_snippet("architectures/language.py")
    n = len(run["test_ids"]) - 1
    assert facts["ngram_scored"] == f"{n:,}"
    assert facts["model_scored"] == f"{n // 32 * 32:,}"
    assert facts["context"] == "32"
    assert facts["context_before"] == "31"
