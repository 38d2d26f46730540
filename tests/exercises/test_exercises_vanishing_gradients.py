"""Exercises on the vanishing-gradients page: the code answer runs alone and prints what it
states; the layer count and tanh's band are checked with math and autograd."""

from __future__ import annotations

import math

import pytest
import sympy as sp
import torch
from exercise_answers import check_script

from docs_build.registry import get_facts

FACTS = "ex_vanishing_gradients"


def test_code_answers_stand_alone_and_print_what_they_state() -> None:
    check_script("exercises/vanishing_gradients.py")


def test_layer_count_by_logarithms() -> None:
    facts = get_facts(FACTS)
    assert (facts["best"], facts["target"]) == (r"\frac{1}{4}", "10^{-6}")
    slope = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    torch.sigmoid(slope).backward()
    best = slope.grad.item()  # the sigmoid's slope at 0, its largest
    layers = math.ceil(math.log(1e-6) / math.log(best))
    assert facts["layers"] == str(layers)
    assert best**layers < 1e-6 < best ** (layers - 1)
    # printed as LaTeX, m \times 10^{e}, to two significant digits
    for name, value in (
        ("factor", best**layers),
        ("factor_before", best ** (layers - 1)),
    ):
        exponent = math.floor(math.log10(value))
        mantissa = value / 10**exponent
        assert facts[name] == rf"{mantissa:.1f} \times 10^{{{exponent}}}"


def tanh_slope(x: float) -> float:
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    torch.tanh(t).backward()
    return t.grad.item()


def test_tanh_band_by_autograd() -> None:
    facts = get_facts(FACTS)
    edge = math.log(math.sqrt(3) + 2)  # atanh(sqrt(3) / 2), by hand
    assert math.tanh(edge) == pytest.approx(math.sqrt(3) / 2, rel=1e-12)
    assert float(facts["tanh_edge_value"]) == pytest.approx(edge, abs=5e-4)
    assert tanh_slope(edge) == pytest.approx(0.25, rel=1e-12)
    assert tanh_slope(0.99 * edge) > 0.25 > tanh_slope(1.01 * edge)


def test_tanh_band_formulas_against_sympy() -> None:
    """The printed bound on tanh and the band's edge, rebuilt by hand."""
    facts = get_facts(FACTS)
    at, edge = sp.sqrt(3) / 2, sp.log(sp.sqrt(3) + 2)
    assert (facts["tanh_at"], facts["tanh_edge"]) == (sp.latex(at), sp.latex(edge))
    assert 1 - at**2 == sp.Rational(1, 4)
    assert sp.simplify(sp.tanh(edge).rewrite(sp.exp) - at) == 0


def test_questions_numbers_are_the_codes() -> None:
    """The 20 layers of width 32 with default initialization that question 3 asks for
    are the code answer's."""
    from exercise_answers import page, sections

    text = page("activations/vanishing-gradients.md")
    (code,) = sections("exercises/vanishing_gradients.py")
    assert "an MLP of 20 Linear + sigmoid layers of width 32" in text
    assert "PyTorch's default initialization" in text
    assert "SigmoidMLP(width=32, depth=20, residual=residual)" in code
    assert "nn.Linear(width, width)" in code and "nn.init" not in code
