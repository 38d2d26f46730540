"""Gated linear units (GLU, ReGLU, GEGLU, SwiGLU) and the gated feed-forward comparison of
docs/activations/gated.md: formulas against PyTorch and autograd, our code, shape checks
and the page's claims about the reader's run of snippets/activations/gated.py."""

from __future__ import annotations

import pytest
import sympy as sp
import torch
import torch.nn.functional as F
from activations import gated as gt
from snippet_runs import run_snippet

from docs_build.chapters import activations as reg
from docs_build.common import defaults
from docs_build.formulas import FORMULAS, lambdify_torch

TOL = 1e-12  # float64: the formula and PyTorch differ by rounding only
GATED = [pytest.param(g, id=g.key) for g in reg.GATED]


def _grid() -> tuple[torch.Tensor, torch.Tensor]:
    """The two halves: every pair of a few values, 0 and kinks included, and random ones."""
    values = torch.tensor(
        [-6.0, -2.5, -1.0, -1e-3, 0.0, 1e-3, 0.5, 1.0, 2.5, 6.0], dtype=torch.float64
    )
    a, b = torch.meshgrid(values, values, indexing="ij")
    g = torch.Generator().manual_seed(0)
    ra, rb = (4 * torch.randn(500, generator=g, dtype=torch.float64) for _ in range(2))
    return torch.cat([a.flatten(), ra]), torch.cat([b.flatten(), rb])


@pytest.mark.parametrize("unit", GATED)
def test_gated_formula_equals_torch(unit: reg.Gated) -> None:
    a, b = _grid()
    # last dimension 2: a is the first half, b the second
    z = torch.stack([a, b], dim=-1)
    expected = unit.reference(z).squeeze(-1)
    got = reg.lambdify_gated(unit)(a, b)
    torch.testing.assert_close(got, expected, atol=TOL, rtol=TOL)
    assert FORMULAS[f"gated_{unit.key}"].expr == unit.expr


@pytest.mark.parametrize("unit", GATED)
def test_gated_partial_derivatives_equal_autograd(unit: reg.Gated) -> None:
    a, b = _grid()
    z = torch.stack([a, b], dim=-1).requires_grad_(True)
    (grad,) = torch.autograd.grad(unit.reference(z).sum(), z)
    for i, symbol in enumerate((reg.glu_a, reg.glu_b)):
        d = lambdify_torch((reg.glu_a, reg.glu_b), sp.diff(unit.expr, symbol))
        got = d(a, b) * torch.ones_like(a)
        torch.testing.assert_close(got, grad[:, i], atol=TOL, rtol=TOL)


@pytest.mark.parametrize("unit", GATED)
def test_gated_gate_is_the_registry_function(unit: reg.Gated) -> None:
    """The printed short form a * g(b), with g's registry formula, is the checked one."""
    g = unit.short.atoms(sp.Function).pop()
    written = unit.short.subs(
        g, reg.BY_KEY[unit.gate].checked_expr.subs(reg.x, reg.glu_b)
    )
    assert sp.simplify(written - unit.expr) == 0


@pytest.mark.claim("gated-glu-gates-second-half")
def test_glu_gates_the_second_half() -> None:
    """F.glu computes a * sigma(b) with b the second half, not sigma(a) * b."""
    z = torch.tensor([[2.0, -1.0, 0.5, 3.0]], dtype=torch.float64)
    a, b = z[:, :2], z[:, 2:]
    torch.testing.assert_close(F.glu(z, dim=-1), a * torch.sigmoid(b), atol=0, rtol=0)
    assert not torch.allclose(F.glu(z, dim=-1), torch.sigmoid(a) * b)


@pytest.mark.parametrize("unit", GATED)
def test_our_gated_code_equals_torch_with_gradients(unit: reg.Gated) -> None:
    g = torch.Generator().manual_seed(1)
    z = (3 * torch.randn(7, 3, 10, generator=g, dtype=torch.float64)).requires_grad_()
    ours, theirs = unit.scratch(z), unit.reference(z)
    assert ours.shape == theirs.shape == (7, 3, 5)
    torch.testing.assert_close(ours, theirs, atol=TOL, rtol=TOL)
    (g_ours,) = torch.autograd.grad(ours.sum(), z)
    (g_theirs,) = torch.autograd.grad(theirs.sum(), z)
    torch.testing.assert_close(g_ours, g_theirs, atol=TOL, rtol=TOL)


@pytest.mark.parametrize("unit", GATED)
def test_gated_code_rejects_bad_input(unit: reg.Gated) -> None:
    with pytest.raises(ValueError, match=r"even.*\(2, 5\)"):
        unit.scratch(torch.zeros(2, 5))
    with pytest.raises(ValueError, match="even"):
        unit.scratch(torch.tensor(1.0))
    with pytest.raises(TypeError, match="floating"):
        unit.scratch(torch.zeros(2, 4, dtype=torch.int64))


def test_make_models_rejects_a_width_not_divisible_by_three() -> None:
    with pytest.raises(ValueError, match="divisible by 3"):
        gt.make_models(8, 50)


@pytest.mark.claim("gated-ffn-equal-parameters")
def test_gated_block_has_the_plain_blocks_parameter_count() -> None:
    """2 d h (two matrices of width h) equals 3 d (2h/3) (three of width 2h/3)."""
    results = run_snippet("activations/gated.py")["results"]
    d, h = defaults(gt.compare)["d"], defaults(gt.compare)["hidden"]
    for row in results.values():
        assert set(row["params"]) == {2 * d * h}
    # at other sizes too, from the models themselves
    for d, h in ((4, 12), (16, 96)):
        counts = {gt.n_params(m) for m in gt.make_models(d, h).values()}
        assert counts == {2 * d * h}


@pytest.mark.claim("gated-ffn-swiglu-not-better")
def test_swiglu_block_ends_above_both_plain_blocks_in_every_seed() -> None:
    """The page: in every seed, the SwiGLU block's training and held-out losses are
    higher than both plain blocks'."""
    results = run_snippet("activations/gated.py")["results"]
    seeds = defaults(gt.compare)["seeds"]
    for split in ("train", "test"):
        swiglu = results["SwiGLU"][split]
        assert len(swiglu) == seeds
        for plain in ("ReLU", "GELU"):
            other = results[plain][split]
            above = [s > o for s, o in zip(swiglu, other, strict=True)]
            assert all(above), (split, plain, swiglu, other)
