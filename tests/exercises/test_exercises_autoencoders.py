"""Exercises on the autoencoders page: the code answer runs alone and prints what it
states; the KL terms are checked against the closed form and torch's kl_divergence."""

from __future__ import annotations

import math

import pytest
import sympy as sp
import torch
from exercise_answers import check_script
from torch.distributions import Normal, kl_divergence

from docs_build.registry import get_facts


def test_code_answers_stand_alone_and_print_what_they_state() -> None:
    check_script("exercises/autoencoders.py")


def test_shifted_kl_by_the_closed_form() -> None:
    facts = get_facts("ex_autoencoders")
    mu, sigma = float(facts["shifted_mu"]), float(facts["shifted_sigma"])
    closed = 0.5 * (mu**2 + sigma**2 - 1 - math.log(sigma**2))
    assert closed == 2.0  # a whole number of nats: the page prints it as one
    assert facts["shifted_kl"] == "2"


@pytest.mark.parametrize("sigma", [0.2, 0.7, 1.0, 1.5, 3.0])
def test_stated_kl_formula_is_torchs(sigma: float) -> None:
    """The page's one-dimensional formula against torch, and 1 as its minimum."""
    facts = get_facts("ex_autoencoders")
    s = sp.symbols("sigma", positive=True)
    formula = (s**2 - 1 - sp.log(s**2)) / 2
    assert facts["kl_mu0"] == sp.latex(formula)
    prior = Normal(torch.tensor(0.0, dtype=torch.float64), 1.0)
    q = Normal(torch.tensor(0.0, dtype=torch.float64), sigma)
    torch_kl = kl_divergence(q, prior).item()
    assert float(formula.subs(s, sigma)) == pytest.approx(
        torch_kl, rel=1e-12, abs=1e-15
    )
    assert torch_kl >= 0.0
    assert (facts["best_sigma"], facts["kl_at_best"]) == ("1", "0")
    if sigma != 1.0:
        assert torch_kl > 0.0  # the minimum, 0, is reached only at sigma = 1
