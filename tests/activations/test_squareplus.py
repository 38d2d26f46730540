"""Squareplus (docs/activations/smooth-modern.md): PyTorch has no function for it, so its
reference cannot be checked against PyTorch. These tests check the registry's formula and
the reference against identities that follow from the mathematics, in float64, and the
reason the page gives for b = 4."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp
import torch

from docs_build import api
from docs_build.api import BY_KEY
from docs_build.formulas import lambdify_torch, x
from docs_build.registry import ROOT
from tests.activations.symbols import param

# the registry entries' parameter symbols
B_SQ = param("squareplus", "b")


ACT = BY_KEY["squareplus"]
B = int(ACT.params[B_SQ])


def _grid() -> torch.Tensor:
    """Both signs, near 0 and far out (where the direct formula cancels on the left)."""
    mags = torch.logspace(-8, 8, 161, dtype=torch.float64)
    return torch.cat([-mags.flip(0), torch.zeros(1, dtype=torch.float64), mags])


def _true(v: float) -> float:
    """Squareplus at ``v`` with 50 significant digits (mpmath), rounded to float64."""
    with mpmath.workdps(50):
        return float((mpmath.mpf(v) + mpmath.sqrt(mpmath.mpf(v) ** 2 + int(B))) / 2)


@pytest.mark.claim("smooth-modern-squareplus-b-matches-softplus")
def test_b_4_gives_softplus_curvature_at_0() -> None:
    """The page: f''(0) = 1/(2 sqrt(b)), which is 1/4 at b = 4, softplus's f''(0)."""
    second = sp.diff(ACT.expr, x, 2).subs(x, 0)
    assert sp.simplify(second - 1 / (2 * sp.sqrt(B_SQ))) == 0
    softplus = sp.diff(sp.log(1 + sp.exp(x)), x, 2).subs(x, 0)
    assert sp.simplify(softplus - sp.Rational(1, 4)) == 0
    assert B == 4  # the entry's b, which the page plots
    assert sp.simplify(second.subs(B_SQ, B) - softplus) == 0
    # the only b that matches: 1/(2 sqrt(b)) = 1/4
    assert sp.solve(sp.Eq(second, softplus), B_SQ) == [4]


@pytest.mark.claim("smooth-modern-squareplus-identities")
def test_squareplus_identities_in_float64() -> None:
    """The page: f(x) - f(-x) = x, f(x) f(-x) = b/4, f(0) = sqrt(b)/2 and
    f''(0) = 1/(2 sqrt(b)), for the formula (exactly, in sympy) and for the reference
    and the formula evaluated in float64."""
    f = ACT.expr
    assert sp.simplify(f - f.subs(x, -x) - x) == 0
    assert sp.simplify(sp.expand(f * f.subs(x, -x)) - B_SQ / 4) == 0
    assert sp.simplify(f.subs(x, 0) - sp.sqrt(B_SQ) / 2) == 0
    v = _grid()
    ref = ACT.reference
    # f(x) - f(-x) = x: both are at most |x| + sqrt(b), so rounding is relative to that
    scale = v.abs() + 2
    torch.testing.assert_close(
        (ref(v) - ref(-v)) / scale, v / scale, atol=4e-16, rtol=0
    )
    # f(x) f(-x) = b/4: a product of two correctly computed numbers, relative error ~eps
    torch.testing.assert_close(
        ref(v) * ref(-v), torch.full_like(v, B / 4), atol=0, rtol=1e-15
    )
    zero = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    torch.testing.assert_close(ref(zero.detach()).item(), B**0.5 / 2)
    (slope,) = torch.autograd.grad(ref(zero).sum(), zero, create_graph=True)
    (curvature,) = torch.autograd.grad(slope.sum(), zero)
    assert curvature.item() == pytest.approx(1 / (2 * B**0.5), rel=1e-15)
    # the formula as the checks evaluate it: it cancels for x << 0, so it is within a few
    # units in the last place of the terms' size, max(1, |x|), not of the result
    small = v[v.abs() <= 1e4]
    formula = lambdify_torch((x,), ACT.checked_expr)
    terms = small.abs().clamp(min=1)
    torch.testing.assert_close(
        formula(small) / terms, ref(small) / terms, atol=4 * 2.0**-52, rtol=0
    )


@pytest.mark.claim("smooth-modern-squareplus-far-left")
def test_reference_is_accurate_far_left_where_the_formula_is_not() -> None:
    """The page: at x = -1e8 the direct formula's float64 result is off by more than 20%;
    the reference's form for x < 0 is right there, and everywhere on the grid, to within
    a few units in the last place (mpmath at 50 digits as the truth)."""
    v = _grid()
    truth = torch.tensor([_true(t) for t in v.tolist()], dtype=torch.float64)
    torch.testing.assert_close(ACT.reference(v), truth, atol=0, rtol=4e-16)
    far = torch.tensor([-1e8], dtype=torch.float64)
    direct = lambdify_torch((x,), ACT.checked_expr)(far)
    assert abs(direct.item() - _true(-1e8)) / _true(-1e8) > 0.20
    # and the reference's gradient there: f'(x) = f(x) / sqrt(x^2 + b), from mpmath
    far.requires_grad_(True)
    (grad,) = torch.autograd.grad(ACT.reference(far).sum(), far)
    with mpmath.workdps(50):
        s = mpmath.sqrt(mpmath.mpf(-1e8) ** 2 + int(B))
        want = float(((mpmath.mpf(-1e8) + s) / 2) / s)
    assert grad.item() == pytest.approx(want, rel=1e-14)


def test_notes_without_a_torch_function_name_no_such_function() -> None:
    """The generated note once told readers to "compare it with PyTorch's function" for a
    function PyTorch does not have (Squareplus, before its section was written by hand);
    now Squareplus's section says PyTorch has none, and so does the generated note of any
    function PyTorch lacks (squared ReLU), while one PyTorch has is named."""
    page = (ROOT / "docs" / "activations" / "smooth-modern.md").read_text("utf-8")
    assert "PyTorch has no Squareplus" in page and "PyTorch's function" not in page
    generated = api.facts("act_pages")
    lacking = generated[BY_KEY["relu_squared"].page]
    assert f"as PyTorch has no {BY_KEY['relu_squared'].title}." in lacking
    assert "PyTorch's function" not in "".join(generated.values())
    logsigmoid = generated[BY_KEY["logsigmoid"].page]
    assert "derivative with `torch.nn.functional.logsigmoid`." in logsigmoid
