"""Exercises on the transformers page: the code answer runs alone and prints what it
states; the parameter count is checked by hand and the dot product numerically."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch
from exercise_answers import check_script

from docs_build.registry import get_facts

PAGE = (
    Path(__file__).resolve().parents[2] / "docs" / "architectures" / "transformers.md"
)


def test_code_answers_stand_alone_and_print_what_they_state() -> None:
    check_script("exercises/transformers.py")


def test_encoder_layer_parameters_by_hand() -> None:
    facts = get_facts("ex_transformers")
    e, heads, hidden = (int(facts[k]) for k in ("width", "heads", "hidden"))
    question = f"nn.TransformerEncoderLayer(d_model={e}, nhead={heads}, dim_feedforward={hidden})"
    assert question in PAGE.read_text(encoding="utf-8")
    attention = 4 * (e * e + e)
    feed_forward = (e * hidden + hidden) + (hidden * e + e)
    norms = 2 * (2 * e)
    assert facts["params"] == f"{attention + feed_forward + norms:,}"


def encoding(position: int, width: int) -> torch.Tensor:
    """The sinusoidal encoding, written out here in float64 (sin even, cos odd)."""
    out = torch.empty(width, dtype=torch.float64)
    for i in range(width // 2):
        omega = 10000 ** (-2 * i / width)
        out[2 * i] = math.sin(position * omega)
        out[2 * i + 1] = math.cos(position * omega)
    return out


@pytest.mark.parametrize("k", [1, 5, 17])
def test_dot_product_depends_only_on_the_offset(k: int) -> None:
    facts = get_facts("ex_transformers")
    assert facts["pair_simplified"] == r"\cos{\left(k \omega_{i} \right)}"
    width = 16
    expected = sum(math.cos(k * 10000 ** (-2 * i / width)) for i in range(width // 2))
    for p in (0, 3, 40, 999):
        dot = encoding(p, width) @ encoding(p + k, width)
        assert dot.item() == pytest.approx(expected, abs=1e-9)
