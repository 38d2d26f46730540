"""Every registered formula with a reference equals it, and its derivative equals autograd's."""

from __future__ import annotations

import pytest
import torch

from docs_build.formulas import FORMULAS, checked, lambdify_torch

CHECKED = checked()


@pytest.mark.formula
@pytest.mark.parametrize("name", CHECKED)
def test_formula_equals_reference(name: str) -> None:
    f = FORMULAS[name]
    x = torch.tensor(f.points, dtype=torch.float64)
    expected = f.reference(x)
    got = f.torch()(x) * torch.ones_like(x)  # constants broadcast to the grid
    torch.testing.assert_close(got, expected, atol=f.tolerance, rtol=f.tolerance)


@pytest.mark.formula
@pytest.mark.parametrize("name", [n for n in CHECKED if len(FORMULAS[n].args) == 1])
def test_formula_derivative_equals_autograd(name: str) -> None:

    f = FORMULAS[name]
    x = torch.tensor(f.points, dtype=torch.float64, requires_grad=True)
    (autograd,) = torch.autograd.grad(f.reference(x).sum(), x)
    d = lambdify_torch(f.args, f.derivative())
    got = d(x.detach()) * torch.ones_like(x)
    torch.testing.assert_close(got, autograd, atol=f.tolerance, rtol=f.tolerance)
