"""Exercises on the smooth-modern page: the code answer runs alone and prints what it
states; the slopes at 0 come from autograd, SiLU's minimum from bisection on autograd's
slope and from mpmath's Lambert W, all in float64."""

from __future__ import annotations

import re

import mpmath
import pytest
import torch
import torch.nn.functional as F
from exercise_answers import check_script, page, sections

from docs_build.registry import get_facts

FACTS = "ex_smooth_modern"


def test_code_answers_stand_alone_and_print_what_they_state() -> None:
    check_script("exercises/smooth_modern.py")


def slope(fn, at: float) -> float:
    """The slope of ``fn`` at ``at`` by autograd, in float64."""
    t = torch.tensor(at, dtype=torch.float64, requires_grad=True)
    fn(t).backward()
    return t.grad.item()


@pytest.mark.parametrize(("name", "fn"), [("gelu", F.gelu), ("silu", F.silu)])
def test_slopes_at_zero_by_autograd(name: str, fn) -> None:
    assert slope(fn, 0.0) == 0.5
    assert get_facts(FACTS)[f"{name}_slope0"] == r"\frac{1}{2}"


def silu_argmin() -> float:
    """Where F.silu's autograd slope changes sign, by bisection on [-5, 0]."""
    lo, hi = -5.0, 0.0
    assert slope(F.silu, lo) < 0 < slope(F.silu, hi)
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if slope(F.silu, mid) < 0 else (lo, mid)
    return (lo + hi) / 2


def test_silu_minimum() -> None:
    facts = get_facts(FACTS)
    at = silu_argmin()
    value = F.silu(torch.tensor(at, dtype=torch.float64)).item()
    assert value == pytest.approx(at + 1, abs=1e-12)  # the value is the location plus 1
    assert facts["silu_argmin_value"] == f"{at:.4f}"
    assert facts["silu_min_value"] == f"{value:.4f}"
    # the closed forms, evaluated by mpmath's Lambert W
    w = float(mpmath.lambertw(mpmath.e**-1))
    assert facts["silu_argmin"] == r"-1 - W\left(e^{-1}\right)"
    assert facts["silu_min"] == r"- W\left(e^{-1}\right)"
    assert -1 - w == pytest.approx(at, abs=1e-12) and -w == pytest.approx(
        value, abs=1e-12
    )


def test_swish_beta_gap_is_the_minimum_over_beta() -> None:
    """The stated gap is SiLU's minimum over beta, and the code prints it for that beta."""
    facts = get_facts(FACTS)
    beta = int(facts["beta"])
    value = F.silu(torch.tensor(silu_argmin(), dtype=torch.float64)).item()
    assert facts["gap"] == f"{-value / beta:.4f}"
    (code,) = sections("exercises/smooth_modern.py")
    # the betas the answer says the code prints for are the ones the code uses
    text = " ".join(page("activations/smooth-modern.md").split())
    said = re.search(r"the largest gap for β = (\d+), (\d+) and (\d+)\.", text)
    assert said, "Answer 3 no longer names the betas the code prints"
    betas = [int(b) for b in said.groups()]
    assert f"for beta in ({', '.join(f'{b:.1f}' for b in betas)})" in code
    stated = code.split("print(gaps)  # ")[1].splitlines()[0]
    gaps = [float(v) for v in stated.strip("[]").split(", ")]
    assert gaps == [round(-value / b, 4) for b in betas]
    assert f"{gaps[betas.index(beta)]:.4f}" == facts["gap"]
