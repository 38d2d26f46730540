"""Exercises on the rnn page: the code answer runs alone and prints what it states; the
GRU's shapes and the linear RNN's gradient are checked by hand and by autograd."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from exercise_answers import check_script

from docs_build.registry import get_facts

PAGE = Path(__file__).resolve().parents[2] / "docs" / "architectures" / "rnn.md"


def test_code_answers_stand_alone_and_print_what_they_state() -> None:
    check_script("exercises/rnn.py")


def test_gru_shapes_by_hand() -> None:
    """The layer the page's question builds, and the shapes PyTorch documents for it."""
    facts = get_facts("ex_rnn")
    steps, batch, n_in = (int(d) for d in facts["shape_in"].strip("()").split(", "))
    hidden, layers = int(facts["hidden"]), int(facts["layers"])
    question = f"nn.GRU({n_in}, {hidden}, num_layers={layers}, bidirectional=True)"
    assert question in PAGE.read_text(encoding="utf-8")
    assert facts["output"] == f"({steps}, {batch}, {2 * hidden})"
    assert facts["h_n"] == f"({2 * layers}, {batch}, {hidden})"


def test_linear_rnn_gradient_by_autograd() -> None:
    facts = get_facts("ex_rnn")
    length, w = int(facts["length"]), float(facts["weight"])
    assert facts["gradient"] == f"w^{{{length}}}"
    torch.manual_seed(0)
    h0 = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
    h = h0
    for x in torch.randn(length, dtype=torch.float64):
        h = w * h + x
    h.backward()
    assert h0.grad.item() == pytest.approx(w**length, rel=1e-12)
    assert facts["gradient_value"] == f"{h0.grad.item():.3g}"


def test_questions_numbers_are_the_codes() -> None:
    """The GRU of question 1 and the 1.1 I, 50 steps and norm 1 of question 3 are the
    ones the code answers build; the shapes they print are the facts'."""
    from exercise_answers import sections

    directions, clip = sections("exercises/rnn.py")
    facts = get_facts("ex_rnn")
    steps, batch, n_in = (int(d) for d in facts["shape_in"].strip("()").split(", "))
    hidden = int(facts["hidden"])
    assert f"nn.GRU({n_in}, {hidden}, num_layers={facts['layers']}, " in directions
    assert f"torch.randn({steps}, {batch}, {n_in})" in directions
    assert f"# {facts['output']} {facts['h_n']}" in directions
    assert f"h_n[-1], output[0, :, {hidden}:]" in directions
    text = PAGE.read_text(encoding="utf-8")
    assert f"`h_n[-1]` equals `output[0, :, {hidden}:]`" in text
    assert "recurrent matrix $1.1 I$, backpropagate from the last of 50 steps" in text
    assert "clip the gradient to norm 1 with" in text
    assert "1.1 * torch.eye(16)" in clip and "torch.randn(50, 1, 4)" in clip
    assert "max_norm=1.0" in clip and "# cosine 1.0000" in clip
