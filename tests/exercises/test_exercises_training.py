"""Exercises on the training page: the code answer runs alone and prints what it states; a
fresh batch norm layer's eval output against its closed form, and Adam's first step
against torch.optim.Adam."""

from __future__ import annotations

import math

import pytest
import sympy as sp
import torch
from exercise_answers import check_script, page, sections

from docs_build.registry import get_facts


def test_code_answers_stand_alone_and_print_what_they_state() -> None:
    check_script("exercises/training.py")


def test_the_question_is_the_codes() -> None:
    text = page("architectures/training.md")
    (code,) = sections("exercises/training.py")
    assert "`nn.Dropout(p=0.5)`" in text and "nn.Dropout(p=0.5)" in code
    assert "100,000" in text and "torch.ones(100_000)" in code


def test_a_fresh_batch_norm_in_eval_mode_divides_by_sqrt_one_plus_eps() -> None:
    """Running estimates start at mean 0 and variance 1, so eval mode divides by
    sqrt(1 + eps); a training-mode forward pass under no_grad, with no optimizer, already
    moves them, and eval mode then normalizes."""
    bn = torch.nn.BatchNorm1d(2, dtype=torch.float64)
    zeros, ones = (
        torch.zeros(2, dtype=torch.float64),
        torch.ones(2, dtype=torch.float64),
    )
    assert torch.equal(bn.running_mean, zeros) and torch.equal(bn.running_var, ones)
    x = torch.tensor([[1.0, 5.0], [3.0, 9.0]], dtype=torch.float64)
    bn.eval()
    with torch.no_grad():
        out = bn(x)
    torch.testing.assert_close(out, x / math.sqrt(1 + bn.eps), rtol=1e-15, atol=0)
    assert torch.equal(bn.running_mean, zeros) and torch.equal(bn.running_var, ones)
    bn.train()
    with torch.no_grad():
        bn(x)
    m = bn.momentum
    torch.testing.assert_close(bn.running_mean, m * x.mean(0))
    torch.testing.assert_close(bn.running_var, (1 - m) * ones + m * x.var(0))
    bn.eval()
    with torch.no_grad():
        assert not torch.allclose(bn(x), out)
    facts = get_facts("ex_training")
    assert facts["fresh_eps"] == "10^{-5}"
    assert facts["fresh_factor"] == f"{1 / math.sqrt(1 + 1e-5):.6f}"


def test_adams_first_step_is_the_pages_formula_at_t_1() -> None:
    """The answer's step equals the chapter's Adam update at t = 1 from m_0 = v_0 = 0
    (the same symbols: sympy compares the expressions)."""
    from docs_build import api

    stated = sp.sympify(get_facts("ex_training")["adam_first_step_srepr"])
    adam_m, adam_v = api.formula("training_adam_m"), api.formula("training_adam_v")
    step = api.formula("training_adam_step")
    theta, _, m_t, v_t, _, _, t, _ = step.args  # theta, eta, m_t, v_t, b1, b2, t, eps
    m1 = adam_m.expr.subs(adam_m.args[0], 0)  # m_{t-1} = 0
    v1 = adam_v.expr.subs(adam_v.args[0], 0)  # v_{t-1} = 0
    first = step.expr.subs({m_t: m1, v_t: v1, t: 1}) - theta
    assert sp.simplify(first - stated) == 0


@pytest.mark.parametrize("g", [-3.0, 1e-3, 0.5, 200.0])
def test_adams_first_step_is_the_stated_one(g: float) -> None:
    """The stated step, -eta g / (eps + |g|), is what torch.optim.Adam does first."""
    assert get_facts("ex_training")["adam_first_step"] == (
        r"- \frac{\eta g}{\epsilon + \left|{g}\right|}"
    )
    param = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([param], lr=0.01)
    (g * param).sum().backward()
    opt.step()
    eps = opt.defaults["eps"]
    assert param.item() == pytest.approx(-0.01 * g / (eps + abs(g)), rel=1e-12)
