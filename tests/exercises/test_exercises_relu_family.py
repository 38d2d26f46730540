"""Exercises on the relu-family page: the code answer runs alone and prints what it states;
the second moment and the dead share are checked by integration and by erf."""

from __future__ import annotations

import math

import pytest
import sympy as sp
import torch
from exercise_answers import check_script

from docs_build.registry import get_facts

FACTS = "ex_relu_family"


def test_code_answers_stand_alone_and_print_what_they_state() -> None:
    check_script("exercises/relu_family.py")


@pytest.mark.parametrize("sigma", [0.5, 1.0, 2.0])
def test_relu_second_moment_by_quadrature(sigma: float) -> None:
    """E[ReLU(z)^2] by the trapezoid rule in float64 equals the stated sigma^2 / 2."""
    assert get_facts(FACTS)["second_moment"] == sp.latex(sp.Symbol("sigma") ** 2 / 2)
    z = torch.linspace(-12 * sigma, 12 * sigma, 200_001, dtype=torch.float64)
    density = torch.exp(-(z**2) / (2 * sigma**2)) / (sigma * math.sqrt(2 * math.pi))
    moment = torch.trapezoid(torch.relu(z) ** 2 * density, z).item()
    assert moment == pytest.approx(sigma**2 / 2, rel=1e-8)


def test_he_variance_keeps_the_second_moment() -> None:
    """A wide ReLU layer with weight variance 2/n keeps E[z^2] of its input (sampled)."""
    assert get_facts(FACTS)["he_variance"] == sp.latex(2 / sp.Symbol("n"))
    torch.manual_seed(0)
    n, samples = 512, 4096
    z = torch.randn(samples, n, dtype=torch.float64)
    w = torch.randn(n, n, dtype=torch.float64) * math.sqrt(2 / n)
    out = torch.relu(z) @ w
    # mean of 2M squared normals: relative standard error about 0.1 %, tolerance 5 %
    assert out.pow(2).mean().item() == pytest.approx(1.0, rel=0.05)


def test_dead_share_by_erf() -> None:
    facts = get_facts(FACTS)
    threshold = -float(facts["bias"])
    assert float(facts["threshold"]) == threshold
    share = 0.5 * (1 + math.erf(threshold / math.sqrt(2)))
    assert facts["dead_share"] == f"{100 * share:.2f}"


def test_questions_numbers_are_the_codes() -> None:
    """The slope 0.01 and the 1000 inputs the question types are the code's; its answer,
    1000 times 0.01, is what the code prints for the sum."""
    from exercise_answers import page, sections

    text = page("activations/relu-family.md")
    (code,) = sections("exercises/relu_family.py")
    assert "slope 0.01, feed the unit 1000 inputs" in text
    assert "of the sum of the 1000 outputs" in text
    assert "negative_slope=0.01" in code and "torch.randn(1000, 1)" in code
    assert ".sum().backward()" in code
    assert f"# LeakyReLU: {1000 * 0.01:.2f}" in code
