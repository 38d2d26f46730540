"""Exercises on the softmax page: the code answer runs alone and prints what it states;
the tied logits' temperature limits are checked against torch.softmax in float64."""

from __future__ import annotations

import math
import re

import pytest
import torch
from exercise_answers import check_script, page, sections

from docs_build.registry import get_facts

FACTS = "ex_softmax"


def test_code_answers_stand_alone_and_print_what_they_state() -> None:
    check_script("exercises/softmax.py")


def stated_row(latex: str) -> list[float]:
    """The numbers of a row of LaTeX fractions and integers: 0.5 for \\frac{1}{2}."""
    entries = []
    for entry in latex.split(", "):
        frac = re.fullmatch(r"\\frac\{(\d+)\}\{(\d+)\}", entry)
        entries.append(int(frac[1]) / int(frac[2]) if frac else float(int(entry)))
    return entries


@pytest.mark.parametrize(
    ("temperature", "limit"), [(1e-2, "tie_cold"), (1e6, "tie_hot")]
)
def test_tied_logits_limits_by_torch(temperature: float, limit: str) -> None:
    """softmax_T of the stated row, in float64, at a very low T (error about exp(-200))
    and a very high one (error about the logits' spread over T, 2e-6), is the limit."""
    facts = get_facts(FACTS)
    row = torch.tensor(stated_row(facts["tie_row"]), dtype=torch.float64)
    assert row[0] == row[1] == row.max() and (row < row.max()).sum() == 1
    probs = torch.softmax(row / temperature, dim=0)
    expected = torch.tensor(stated_row(facts[limit]), dtype=torch.float64)
    torch.testing.assert_close(probs, expected, rtol=0, atol=1e-5)


def test_logsumexp_numbers_are_the_codes() -> None:
    """The question's logits are the code's; the stated value is log(sum exp) by math.fsum
    after the shift, independent of torch."""
    text = page("activations/softmax.md")
    (code,) = sections("exercises/softmax.py")
    assert "for the logits (1000, 999, 998) in `float64`" in text
    assert "torch.tensor([1000.0, 999.0, 998.0], dtype=torch.float64)" in code
    value = 1000 + math.log(math.fsum(math.exp(-k) for k in range(3)))
    assert f"# {value:.4f}" in code
    # exp(1000) is beyond float64's largest number, so the naive sum must overflow
    assert math.log(torch.finfo(torch.float64).max) < 1000
