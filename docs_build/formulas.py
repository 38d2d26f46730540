"""Formulas written once, as sympy expressions: the page's LaTeX is printed from them and
the tests evaluate the same expressions against PyTorch (values) and autograd (derivatives).

Register a formula with :func:`formula`; it then appears on pages as ``{{ tex.NAME }}`` and,
when it names a ``reference`` (the PyTorch function it must equal), it is checked by
``tests/test_formulas.py`` on a grid of points, derivative included, with no more code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp
import torch

x = sp.Symbol("x", real=True)


@dataclass(frozen=True)
class Formula:
    """One formula: a sympy expression in one or more symbols, printed and evaluated."""

    name: str
    expr: sp.Expr
    args: tuple[sp.Symbol, ...] = (x,)
    reference: Callable[..., torch.Tensor] | None = None  # the torch function it must equal
    points: tuple[float, ...] = (-6.0, -2.5, -1.0, -0.5, -1e-3, 1e-3, 0.5, 1.0, 2.5, 6.0)
    tolerance: float = 1e-5
    lhs: str = ""  # LaTeX left-hand side, e.g. r"\sigma(x)"
    notes: dict[str, str] = field(default_factory=dict)

    def latex(self) -> str:
        """The right-hand side as LaTeX, printed from the expression."""
        return sp.latex(self.expr)

    def equation(self) -> str:
        """``lhs = rhs`` as LaTeX."""
        return f"{self.lhs} = {self.latex()}" if self.lhs else self.latex()

    def torch(self) -> Callable[..., torch.Tensor]:
        """The expression as a function of torch tensors (sympy's lambdify)."""
        return sp.lambdify(self.args, self.expr, modules="torch")

    def derivative(self, wrt: sp.Symbol | None = None) -> sp.Expr:
        """Symbolic derivative, simplified."""
        return sp.simplify(sp.diff(self.expr, wrt if wrt is not None else self.args[0]))


FORMULAS: dict[str, Formula] = {}


def formula(name: str, expr: sp.Expr, **kwargs) -> Formula:
    """Create and register a formula; a name can be registered once."""
    if name in FORMULAS:
        raise ValueError(f"formula {name!r} registered twice")
    f = Formula(name=name, expr=expr, **kwargs)
    FORMULAS[name] = f
    return f
