"""The compute table on the shallow vs deep page: a row for every architecture snippet,
FLOP counts that agree with the dense-layer formula where one applies, and the stated
ratio between the costliest and the cheapest step. Timings are measured, never tested."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from architectures import shallow_vs_deep as sd

from docs_build import api
from docs_build.common import default
from docs_build.registry import get_facts

SNIPPETS = Path(__file__).resolve().parents[2] / "snippets" / "architectures"


def counts() -> dict[str, int]:
    """Chapter -> FLOPs per step, as the facts hold them."""
    pairs = (item.split("=") for item in get_facts("compute")["flops"].split(";"))
    return {name: int(value) for name, value in pairs}


def test_every_architecture_snippet_has_a_row() -> None:
    """Each model-defining module of snippets/architectures/ is in the table once: the
    steps the table's rows are measured on (the chapter's registered runs), in order."""
    steps = api.runs("compute")["steps"]
    modules = {p.stem for p in SNIPPETS.glob("*.py")}
    assert sorted({s["snippet"] for s in steps}) == sorted(modules)
    table = get_facts("compute")["table"].splitlines()[2:]
    assert len(table) == len(steps) == int(get_facts("compute")["models"])
    assert list(counts()) == [s["chapter"] for s in steps]
    for row, s in zip(table, steps, strict=True):
        assert row.startswith(f"| [{s['chapter']}]({s['page']}) | {s['model']} |"), row


def mlp_training_flops(widths: list[int], batch: int) -> int:
    """Forward + backward matrix-product FLOPs of an MLP, from the page's dense formula:
    forward, the weights' gradients and the inputs' gradients cost one product each per
    layer, except that no gradient flows into the data (the first layer's input); the
    counter leaves out the bias additions (the formula's last term)."""
    total = 0
    for i, (n_in, n_out) in enumerate(itertools.pairwise(widths)):
        dense = api.formula("dense_flops")  # in B, n_in, n_out
        values = dict(zip(dense.args, (batch, n_in, n_out), strict=True))
        products = int(dense.expr.subs(values)) - batch * n_out
        total += products * (2 if i == 0 else 3)
    return total


def test_mlp_counts_match_the_dense_formula() -> None:
    """The two spiral MLPs' counted FLOPs equal the page's formula, independently."""
    n = default(sd.compare, "n_train")
    found = counts()
    shallow = [2, sd.shallow_width_matching(sd.DEEP_WIDTHS), 1]
    assert found["Shallow vs deep (shallow)"] == mlp_training_flops(shallow, n)
    assert found["Shallow vs deep (deep)"] == mlp_training_flops(sd.DEEP_WIDTHS, n)


def test_lstm_count_matches_the_products_by_hand() -> None:
    """The recurrent row, by hand from the chapter's sizes: at each of T steps the LSTM
    multiplies (B, V) inputs and (B, H) states by 4H gate columns. Forward and the
    weights' gradients cost one product each per step; the gradient into the state one
    more per step except the first (the starting state is zeros, needing none), none into
    the inputs; the head (H -> S) costs forward, weight and input gradients."""
    from architectures import rnn

    b = default(rnn.train_first_token, "batch")
    t = default(rnn.train_first_token, "length")
    h = default(rnn.train_first_token, "hidden")
    v, s = rnn.VOCAB, rnn.SIGNALS
    gates = 2 * b * 4 * h * (v + h)  # one step's two gate products, forward
    by_hand = 2 * gates * t + (t - 1) * 2 * b * h * 4 * h + 3 * 2 * b * h * s
    assert counts()["Recurrent networks"] == by_hand


@pytest.mark.claim("compute-largest-over-smallest")
def test_largest_step_over_smallest() -> None:
    """The page names the costliest and the cheapest step, and their ratio exceeds the
    stated bound."""
    f = get_facts("compute")
    found = counts()
    largest = max(found, key=found.get)
    smallest = min(found, key=found.get)
    assert (f["largest"], f["smallest"]) == (largest, smallest)
    bound = api.number("compute", "largest_over_smallest")
    assert bound == 5000  # no quiet loosening
    assert found[largest] > bound * found[smallest]


def test_language_row_uses_the_chapters_vocabulary() -> None:
    """The language model is counted with the vocabulary the language chapter trains
    (characters + BPE merges, computed here without training the tokenizer)."""
    rows = get_facts("compute")["table"].splitlines()[2:]
    (row,) = [r for r in rows if r.startswith("| [Language](language.md) |")]
    model = row.split(" | ")[1]
    assert model.startswith(f"TinyLM, {get_facts('lang')['bpe_vocab']} tokens,")
