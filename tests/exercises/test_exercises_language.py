"""Exercises on the language page: the code answer runs alone and prints what it states;
a uniform model's perplexity is checked with F.cross_entropy in float64, and the unseen
tokens' probability with the page's own n-gram code on a corpus small enough to count."""

from __future__ import annotations

import math
import re
from fractions import Fraction

import pytest
import torch
import torch.nn.functional as F
from architectures import language
from exercise_answers import check_script, page, sections

from docs_build.registry import get_facts

FACTS = "ex_language"


def test_code_answers_stand_alone_and_print_what_they_state() -> None:
    check_script("exercises/language.py")


@pytest.mark.parametrize("vocab", [2, 7, 50, 4096])
def test_uniform_perplexity_is_the_vocabulary_size(vocab: int) -> None:
    assert get_facts(FACTS)["uniform_ppl"] == "V"
    torch.manual_seed(0)
    targets = torch.randint(vocab, (300,))
    logits = torch.zeros(300, vocab, dtype=torch.float64)
    assert math.exp(F.cross_entropy(logits, targets).item()) == pytest.approx(
        vocab, rel=1e-12
    )


def test_unseen_tokens_probability_by_the_pages_code() -> None:
    """Six training tokens over a vocabulary of six, three never seen: the page's unigram
    scores each unseen token 1 / (6 + 6), so held-out text of unseen tokens has
    perplexity 12; with k = 3 unseen tokens their total is 3 / 12."""
    facts = get_facts(FACTS)
    assert facts["unseen"] == r"\frac{1}{N_{\mathrm{train}} + V}"
    assert facts["unseen_total"] == r"\frac{k}{N_{\mathrm{train}} + V}"
    train, vocab = [0, 1, 2, 0, 1, 0], 6
    ppl = language.ngram_perplexities(train, [3, 4, 5, 3], vocab)["unigram"]
    assert ppl == pytest.approx(len(train) + vocab, rel=1e-12)
    # the seen tokens keep the rest: (3 + 2 + 1 + 3) / 12 with the added ones
    seen = language.ngram_perplexities(train, [0, 0], vocab)["unigram"]
    assert 1 / seen + 3 / ppl == pytest.approx((3 + 1) / 12 + 3 / 12)


def test_question_and_answer_numbers_are_the_codes() -> None:
    text = " ".join(page("architectures/language.md").split())
    (code,) = sections("exercises/language.py")
    assert "for 1000 random targets over 50 tokens" in text
    assert "vocab, n_tokens = 50, 1000" in code
    assert "the code prints 50.00" in text and "# 50.00" in code
    # the question's probability on the right token is the code's, the rest is "the
    # other half", and a model that sure of every token has perplexity 1 / p
    said = re.search(
        r"the right token probability (\d+)/(\d+) and shares the other", text
    )
    assert said, "Question 3 no longer states the right token's probability"
    p = Fraction(int(said[1]), int(said[2]))
    assert 1 - p == p  # "the other half"
    assert f"probs[torch.arange(n_tokens), targets] = {float(p)}" in code
    assert f"torch.full((n_tokens, vocab), {float(1 - p)} / (vocab - 1))" in code
    assert f"its perplexity is {float(1 / p):.2f}" in text
    assert f"# {float(1 / p):.2f}" in code
