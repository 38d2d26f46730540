"""Exercises on the gan page: the code answer runs alone and prints what it states; the
equilibrium loss is checked against 2 ln 2 and the slopes against autograd."""

from __future__ import annotations

import math

import pytest
import torch
from exercise_answers import check_script

from docs_build.registry import get_facts


def test_code_answers_stand_alone_and_print_what_they_state() -> None:
    check_script("exercises/gan.py")


def test_equilibrium_loss_is_two_log_two() -> None:
    facts = get_facts("ex_gan")
    assert facts["loss"] == f"{2 * math.log(2):.4f}"
    assert facts["loss_exact"] == r"2 \log{\left(2 \right)}"


@pytest.mark.parametrize("ell", [-8.0, -1.5, 0.0, 2.0])
def test_generator_loss_slopes_by_autograd(ell: float) -> None:
    facts = get_facts("ex_gan")
    assert facts["saturating"] == r"- \sigma{\left(\ell \right)}"
    assert facts["non_saturating"] == r"\sigma{\left(\ell \right)} - 1"
    t = torch.tensor(ell, dtype=torch.float64, requires_grad=True)
    (saturating,) = torch.autograd.grad(torch.log1p(-torch.sigmoid(t)), t)
    (non_saturating,) = torch.autograd.grad(-torch.nn.functional.logsigmoid(t), t)
    s = 1 / (1 + math.exp(-ell))
    assert saturating.item() == pytest.approx(-s, rel=1e-12)
    assert non_saturating.item() == pytest.approx(s - 1, rel=1e-12)


def test_crossing_is_halfway_between_the_means() -> None:
    from exercise_answers import sections

    (code,) = sections("exercises/gan.py")
    assert f"# {(0.0 + 1.0) / 2:.2f}" in code  # N(0, 1) and N(1, 1), as below


def test_questions_distributions_are_the_codes() -> None:
    from exercise_answers import page, sections

    text = page("architectures/gan.md")
    (code,) = sections("exercises/gan.py")
    assert (
        r"$p_{\mathrm{data}} = \mathcal{N}(0, 1)$ and $p_g = \mathcal{N}(1, 1)$" in text
    )
    assert "data, fake = Normal(0.0, 1.0), Normal(1.0, 1.0)" in code
