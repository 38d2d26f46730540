"""Language page: the bundled corpus, the character and byte-pair tokenizers, the n-gram
baselines and the small causal transformer, all from snippets/architectures/language.py.

The model is trained once per set of sources (the snippet, this module and the corpus,
named in ``sources=``); the facts and the figure share that one run, and the tests read
the cached facts instead of training again (README: how this chapter's cost is kept down).
"""

from __future__ import annotations

import functools
import math

import sympy as sp

from docs_build.common import LazyModule, default, one_thread
from docs_build.formulas import formula
from docs_build.registry import facts, figure

# Imported on first use: the build imports this chapter without them.
torch = LazyModule("torch")

CORPUS = "snippets/architectures/language_data"

# ------------------------------------------------------------------------------ formulas
n_tokens, t_idx = sp.symbols("N t", integer=True, positive=True)
p_t = sp.IndexedBase("p")
PERPLEXITY = formula(
    "lm_perplexity",
    sp.exp(-sp.Sum(sp.log(p_t[t_idx]), (t_idx, 1, n_tokens)) / n_tokens),
    args=(n_tokens,),
    lhs=r"\mathrm{PPL}",
)
c_b, c_ab, c_a = (sp.Symbol(n, nonnegative=True) for n in ("c(b)", "c(a, b)", "c(a)"))
n_train = sp.Symbol(r"N_{\mathrm{train}}", positive=True)
v_size, alpha = sp.Symbol("V", positive=True), sp.Symbol(r"\alpha", positive=True)
p_b = sp.Symbol("p(b)", positive=True)
UNIGRAM = formula(
    "lm_unigram",
    (c_b + 1) / (n_train + v_size),
    args=(c_b, n_train, v_size),
    lhs=r"p(b)",
)
BIGRAM = formula(
    "lm_bigram",
    sp.Add(c_ab, alpha * p_b, evaluate=False) / sp.Add(c_a, alpha, evaluate=False),
    args=(c_ab, c_a, alpha, p_b),
    lhs=r"p(b \mid a)",
)

# The page's claim: the transformer's held-out perplexity is at most this fraction of the
# best bigram's (asserted by test_transformer_beats_the_baselines_as_stated).
CLAIM_RATIO = 0.8
# The page's claim: the mean cosine between trained and initial embedding rows is above
# this (asserted by test_training_barely_moves_the_embeddings_as_stated).
MOVED_BOUND = 0.9
SHOWN_MERGES = 12  # the first merges the page lists
LINE = "Our revels now are ended."  # the line the page tokenizes both ways
PROMPT = "PROSPERO.\n"


@functools.cache
def trained() -> dict:
    """Tokenize the corpus and train the model once per process (facts and figure)."""
    from architectures import language as L

    with one_thread():
        train_text, test_text = L.load_corpus()
        chars = L.CharTokenizer(train_text)
        bpe = L.BPETokenizer(train_text)
        train_ids, test_ids = bpe.encode(train_text), bpe.encode(test_text)
        vocab = len(bpe.tokens)
        alpha, beta = L.choose_smoothing(train_ids, vocab)  # never sees test_ids
        counted = L.ngram_perplexities(train_ids, test_ids, vocab, alpha, beta)
        run = L.train_language_model(train_ids, vocab)
        # the one extra computation: the untrained model, to see how far training moved
        # the embedding rows (train_language_model seeds 0 before building its model)
        torch.manual_seed(0)
        start = L.TinyLM(vocab, context=run["model"].context).embed.weight.detach()
        moved = torch.nn.functional.cosine_similarity(
            run["model"].embed.weight.detach().cpu(), start, dim=1
        )
        model_ppl = L.perplexity(run["model"], torch.tensor(test_ids))
        sample = bpe.decode(L.generate(run["model"], bpe.encode(PROMPT)))
    return {
        "train_text": train_text,
        "test_text": test_text,
        "chars": chars,
        "bpe": bpe,
        "train_ids": train_ids,
        "test_ids": test_ids,
        "alpha": alpha,
        "beta": beta,
        **counted,
        "embed_cosine": moved.mean().item(),
        "model_ppl": model_ppl,
        "sample": sample,
        **run,
    }


def show(token: str) -> str:
    """A token as a table cell: spaces and newlines made visible."""
    text = token.replace("\n", "↵").replace(" ", "␣").replace("|", "\\|")
    return f"`{text}`"


@facts("lang", sources=(CORPUS,))
def language_facts() -> dict[str, str]:
    from architectures import language as L

    run = trained()
    bpe, chars = run["bpe"], run["chars"]
    out: dict[str, str] = {}
    train_text, test_text = run["train_text"], run["test_text"]
    out["corpus_chars"] = f"{len(train_text) + len(test_text):,}"
    out["train_chars"] = f"{len(train_text):,}"
    out["test_chars"] = f"{len(test_text):,}"
    out["held_out"] = f"{default(L.load_corpus, 'held_out'):.0%}"
    out["char_vocab"] = str(len(chars.chars))
    out["merges"] = str(len(bpe.merges))
    out["bpe_vocab"] = str(len(bpe.tokens))
    out["train_tokens"] = f"{len(run['train_ids']):,}"
    out["test_tokens"] = f"{len(run['test_ids']):,}"
    out["chars_per_token"] = f"{len(test_text) / len(run['test_ids']):.2f}"
    rows = ["| merge | pair | new token |", "|---|---|---|"]
    for n, (a, b) in enumerate(bpe.merges[:SHOWN_MERGES], 1):
        rows.append(f"| {n} | {show(a)} + {show(b)} | {show(a + b)} |")
    out["merges_table"] = "\n".join(rows)
    out["shown_merges"] = str(SHOWN_MERGES)
    out["line"] = LINE
    out["line_chars"] = str(len(chars.encode(LINE)))
    line_tokens = [bpe.tokens[i] for i in bpe.encode(LINE)]
    out["line_tokens"] = str(len(line_tokens))
    out["line_split"] = " ".join(show(t) for t in line_tokens)

    out["alphas"] = ", ".join(f"{a:g}" for a in L.ALPHAS)
    out["bigram_alpha"] = f"{run['alpha']:g}"
    out["trigram_beta"] = f"{run['beta']:g}"
    out["valid"] = f"{default(L.choose_smoothing, 'valid'):.0%}"
    test_chars = len(test_text)
    scored = len(run["test_ids"]) - 1  # the n-grams score every token after the first
    context = default(L.train_language_model, "context")
    model_scored = scored // context * context  # whole windows of the context
    out["ngram_scored"] = f"{scored:,}"
    out["model_scored"] = f"{model_scored:,}"
    for name, n in (
        ("unigram", scored),
        ("bigram", scored),
        ("trigram", scored),
        ("model_ppl", model_scored),
    ):
        out[name] = f"{run[name]:.1f}"
        # bits per character: the total cross-entropy in bits over the held-out characters
        out[f"{name}_bpc"] = f"{n * math.log2(run[name]) / test_chars:.2f}"
    out["context_before"] = str(context - 1)
    out["warmup"] = f"{default(L.train_language_model, 'warmup'):.0%}"
    one_cycle = torch.optim.lr_scheduler.OneCycleLR
    out["beta1_high"] = f"{default(one_cycle, 'max_momentum'):g}"
    out["beta1_low"] = f"{default(one_cycle, 'base_momentum'):g}"
    out["ratio"] = f"{run['model_ppl'] / run['bigram']:.2f}"
    out["trigram_ratio"] = f"{run['model_ppl'] / run['trigram']:.2f}"
    out["embed_cosine"] = f"{run['embed_cosine']:.2f}"
    out["moved_bound"] = f"{MOVED_BOUND:g}"
    out["claim_ratio"] = f"{CLAIM_RATIO:g}"
    out["seconds"] = f"{run['seconds']:.1f}"
    out["cpu_seconds"] = f"{run['cpu_seconds']:.1f}"
    for name in ("steps", "batch", "lr", "context"):
        out[name] = f"{default(L.train_language_model, name):g}"
    model = run["model"]
    for name in ("d_model", "heads", "layers"):
        out[name] = str(default(L.TinyLM, name))
    out["d_ff"] = str(model.blocks[0].linear1.out_features)
    out["parameters"] = f"{sum(p.numel() for p in model.parameters()):,}"
    out["embedding_parameters"] = f"{model.embed.weight.numel():,}"
    out["temperature"] = f"{default(L.generate, 'temperature'):g}"
    out["sample_tokens"] = str(default(L.generate, "tokens"))
    out["sample"] = "```text\n" + run["sample"] + "\n```"
    out["prompt"] = show(PROMPT)

    return out


# ------------------------------------------------------------------------------- figures
# What the alt text says of the curves (the held-out marker below the bigram line) is the
# claim language-model-beats-bigram, asserted by test_transformer_beats_the_baselines_as_stated.
@figure(
    "architectures/language-loss",
    alt="Line plot of the transformer's training loss (cross-entropy in nats per token, "
    "averaged over 25 steps) against the training step. Two horizontal reference lines "
    "mark the held-out cross-entropy of the unigram model (dashed, highest) and of the "
    "bigram model (dotted). A square marker at the last step shows the trained model's "
    "held-out cross-entropy, below the bigram line.",
    caption="Training loss of the small transformer, with the held-out cross-entropy of "
    "the unigram and bigram baselines and of the trained model (the logarithm of each "
    "perplexity).",
)
def draw_loss():
    import matplotlib.pyplot as plt

    run = trained()
    losses = torch.tensor(run["losses"])
    window = 25
    smooth = losses.unfold(0, window, 1).mean(1)
    steps = torch.arange(window, len(losses) + 1)
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    ax.plot(steps, smooth, label="transformer, training batches", marker="")
    best = run["bigram"]
    ax.axhline(math.log(run["unigram"]), ls="--", color="C1", label="unigram, held out")
    ax.axhline(math.log(best), ls=":", color="C2", label="bigram, held out")
    ax.plot(
        [len(losses)],
        [math.log(run["model_ppl"])],
        marker="s",
        ls="",
        color="C3",
        label="transformer, held out",
    )
    ax.set_xlabel("training step")
    ax.set_ylabel("cross-entropy (nats per token)")
    ax.set_ylim(0, math.log(run["unigram"]) + 0.5)
    ax.legend()
    return fig
