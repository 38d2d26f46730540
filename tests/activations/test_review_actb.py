"""What the review of the softmax, numerical-stability and vanishing-gradients pages
(branch fixactb) found in their prose: each test fails if the defect it names comes back.
The measured results are asserted in test_activation_chapter.py."""

from __future__ import annotations

import re

from activations import softmax

from docs_build.registry import ROOT, get_facts, load_chapters

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
