"""What the review of the softmax, numerical-stability and vanishing-gradients pages
(branch fixactb) found in their prose: each test fails if the defect it names comes back.
The measured results are asserted in test_activation_chapter.py."""

from __future__ import annotations

import re

import torch
from activations import softmax

from docs_build import bibliography
from docs_build.api import BY_KEY
from docs_build.registry import ROOT, get_facts, load_chapters
from tests.activations.symbols import autograd_slope

load_chapters()


def prose(page: str) -> str:
    """A page's Markdown with its line breaks joined, so a phrase split over lines matches."""
    text = (ROOT / "docs" / "activations" / f"{page}.md").read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", text)


def test_cross_entropy_gap_names_the_logits_it_was_measured_on() -> None:
    """The gap is measured on the claims section's random logits, not on the (2, 1, 0.1)
    example of the temperature table; and passing probabilities does not apply
    log-softmax twice, it applies softmax to probabilities."""
    text = prose("softmax")
    assert (
        "{{ softmax.ce_gap }} on the claims' random ${{ softmax.ce_shape }}$ logits"
        in text
    )
    assert "on the example above" not in text
    assert "log-softmax a second time" not in text
    assert "softmax of a softmax" in text
    shape = r" \times ".join(str(n) for n in softmax.logits.shape)
    assert get_facts("softmax")["ce_shape"] == shape
    claims = (ROOT / "snippets" / "activations" / "softmax.py").read_text(
        encoding="utf-8"
    )
    claims = claims.split("[start:claims]")[1].split("[end:claims]")[0]
    assert "# 4. Cross-entropy" in claims and "logits = torch.randn(" in claims


def test_sigmoid_heading_names_the_functions_it_beats() -> None:
    """The sigmoid's slope, at most 1/4, is the smallest of the functions the heading
    names (tanh and ReLU reach 1) but not of the chapter: hardsigmoid's is at most 1/6,
    so "the worst case" was false."""
    text = prose("vanishing-gradients")
    assert "## Why the sigmoid is worse than tanh and ReLU" in text
    assert "worst case" not in text
    grid = torch.linspace(-10, 10, 200001, dtype=torch.float64)

    def max_slope(key: str) -> float:
        return autograd_slope(BY_KEY[key].fn, grid).abs().max().item()

    sigmoid = max_slope("sigmoid")
    assert abs(sigmoid - 0.25) < 1e-9
    for key in ("tanh", "relu"):
        assert max_slope(key) > 3.9 * sigmoid, key
    assert max_slope("hardsigmoid") < sigmoid  # why the heading names its set


def test_hochreiter_thesis_is_cited_by_key() -> None:
    """The 1991 thesis was named in prose with no reference-list entry."""
    text = prose("vanishing-gradients")
    assert "{{ citet hochreiter1991 }}, a diploma thesis in German" in text
    assert "Hochreiter's 1991" not in text
    # what the thesis showed is told as the LSTM paper's abstract tells it (its "brief
    # review of Hochreiter's (1991) analysis"), not from the German text nobody here read
    assert "as {{ citet hochreiter1997 }} recount it in their abstract:" in text
    assert "vanish or blow up" not in text
    ref = bibliography.REFERENCES["hochreiter1991"]
    assert ref.title == "Untersuchungen zu dynamischen neuronalen Netzen"
    assert "Technische Universität München" in ref.venue and ref.year == 1991
