"""Exercises on the sigmoid-tanh page: each code answer runs alone and prints what the page
states; each number or formula in an answer is checked against torch in float64."""

from __future__ import annotations

import math

import pytest
import sympy as sp
import torch
import torch.nn.functional as F
from exercise_answers import check_script

from docs_build.registry import get_facts
from sitecheck import pagecheck, pagecode

SCRIPT = "exercises/sigmoid_tanh.py"


def test_code_answers_stand_alone_and_print_what_they_state() -> None:
    check_script(SCRIPT)


def slope(x: float) -> float:
    """The sigmoid's slope at ``x`` by autograd, in float64."""
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    torch.sigmoid(t).backward()
    return t.grad.item()


def test_half_slope_answer_against_autograd() -> None:
    facts = get_facts("ex_sigmoid_tanh")
    # the peak by autograd on a grid, written as an exact number for comparison
    grid = [k / 100 for k in range(-300, 301)]
    at = max(grid, key=slope)
    peak = sp.nsimplify(slope(at))
    assert facts["peak_at"] == sp.latex(sp.nsimplify(at))
    assert facts["peak"] == sp.latex(peak)
    assert facts["half"] == sp.latex(peak / 2)
    assert facts["sigma_at_peak"] == sp.latex(
        sp.nsimplify(torch.sigmoid(torch.tensor(at)).item())
    )
    # the closed form, independently: sigma(x) = (2 + sqrt 2) / 4, x = logit of that
    s = (2 + math.sqrt(2)) / 4
    x = math.log(s / (1 - s))
    assert float(facts["half_x_value"]) == pytest.approx(x, abs=5e-4)
    for point in (x, -x):
        assert slope(point) == pytest.approx(1 / 8, rel=1e-12)
    # the slope is above half inside the band and below outside it
    assert slope(0.99 * x) > 1 / 8 > slope(1.01 * x)


def test_chain_answer_is_below_the_bound_by_the_chain_rule() -> None:
    """The product of the five slopes along the chain, by hand, is the autograd answer."""
    a, product = 0.0, 1.0
    for _ in range(5):
        s = 1 / (1 + math.exp(-a))
        product *= s * (1 - s)
        a = s
    code = pagecheck.snippet_text(f"{SCRIPT}:chain")
    (stated,) = pagecode.stated_outputs([code])
    assert stated == f"{product:.3e} < {0.25**5:.3e}"
    assert product < 0.25**5


def test_half_slope_formulas_against_sympy() -> None:
    """The printed s and x, rebuilt by hand: s(1 - s) is 1/8 and x is the logit of s."""
    facts = get_facts("ex_sigmoid_tanh")
    root2 = sp.sqrt(2)
    low, high = sp.Rational(1, 2) - root2 / 4, sp.Rational(1, 2) + root2 / 4
    assert (facts["half_s_low"], facts["half_s_high"]) == (
        sp.latex(low),
        sp.latex(high),
    )
    for s in (low, high):
        assert sp.expand(s * (1 - s)) == sp.Rational(1, 8)
    x = sp.log(2 * root2 + 3)
    assert facts["half_x"] == sp.latex(x)
    assert sp.simplify(sp.log(high / (1 - high)) - x) == 0
    t = sp.symbols("t", real=True)
    sigmoid = 1 / (1 + sp.exp(-t))
    assert sp.simplify(sp.diff(sigmoid, t).subs(t, x) - sp.Rational(1, 8)) == 0


def test_questions_numbers_are_the_codes() -> None:
    """The five sigmoids and the exponent 5, and hardsigmoid's corners at -3 and 3, as
    the questions type them, are the constants the code answers use."""
    page = (pagecheck.ROOT / "docs" / "activations" / "sigmoid-tanh.md").read_text(
        "utf-8"
    )
    chain = pagecheck.snippet_text(f"{SCRIPT}:chain")
    assert "Stack five sigmoids" in page and r"\right)^5$" in page
    assert "y = \\sigma(\\sigma(\\sigma(\\sigma(\\sigma(x)))))" in page
    assert "for _ in range(5):" in chain and "bound = 0.25**5" in chain
    hard = pagecheck.snippet_text(f"{SCRIPT}:hardsigmoid")
    assert "is 0 below $-3$, 1 above $3$" in page
    assert "F.hardtanh(x / 3)" in hard and "from (-3, 0) to (3, 1)" in hard
    corners = F.hardsigmoid(torch.tensor([-3.0, 3.0], dtype=torch.float64))
    assert corners.tolist() == [0.0, 1.0]
