"""Formulas written once, as sympy expressions: the page's LaTeX is printed from them and
the tests evaluate the same expressions against PyTorch (values) and autograd (derivatives).

Register a formula with :func:`formula`; it then appears on pages as ``{{ tex.NAME }}`` and,
when it names a ``reference`` (the PyTorch function it must equal), it is checked by
``tests/test_formulas.py`` on a grid of points, derivative included, with no more code.
"""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp

from docs_build.common import LazyModule

torch = LazyModule("torch")  # imported on first use: chapters load without it
x = sp.Symbol("x", real=True)


def _sqrt(v):
    """``sqrt`` for lambdified code: sympy prints constants such as sqrt(2) as ``sqrt(2)``,
    which ``torch.sqrt`` rejects (it takes tensors only)."""
    return torch.sqrt(v) if isinstance(v, torch.Tensor) else math.sqrt(v)


def _max(*values):
    """``Max(x, 0)`` for lambdified code: sympy prints it as Python's ``max(0, x)``."""
    tensors = [v for v in values if isinstance(v, torch.Tensor)]
    out = tensors[0]
    for v in values:
        out = torch.maximum(out, torch.as_tensor(v, dtype=out.dtype))
    return out


def _heaviside(v, at_zero=0.5):
    """``Heaviside`` (the derivative of ``Max``): torch.heaviside wants a tensor value at 0."""
    return torch.heaviside(v, torch.as_tensor(at_zero, dtype=v.dtype))


def _where(cond, a, b):
    """``torch.where`` for a Piecewise: a piece that is a plain number (the slope 11/48 of a
    piecewise-linear derivative) is made a float64 tensor, where torch would make it
    float32 and round it; callers cast the result back to their input's dtype."""
    if not isinstance(a, torch.Tensor) and not isinstance(b, torch.Tensor):
        a, b = (torch.tensor(c, dtype=torch.float64) for c in (a, b))
    return torch.where(cond, a, b)


def lambdify_torch(args, expr: sp.Expr) -> Callable[..., torch.Tensor]:
    """``sympy.lambdify`` to torch, with constant square roots (sqrt(2), sqrt(pi)), ``Max``,
    ``Heaviside`` and constant Piecewise pieces (kept in float64) handled."""
    return sp.lambdify(
        args,
        expr,
        modules=[
            {"sqrt": _sqrt, "max": _max, "heaviside": _heaviside, "where": _where},
            "torch",
        ],
    )


def _like(out: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """``out`` broadcast to ``v``'s shape, in ``v``'s floating dtype."""
    out = out * torch.ones_like(v)
    return out.to(v.dtype) if v.is_floating_point() else out


@functools.cache
def _with_printed_derivative() -> type:
    """The autograd Function below, defined on first use (it subclasses a torch class)."""

    class _WithPrintedDerivative(torch.autograd.Function):
        """f(v) forward; backward multiplies by f'(v) evaluated from its own formula."""

        @staticmethod
        def forward(ctx, v: torch.Tensor, f: Callable, df: Callable) -> torch.Tensor:
            ctx.save_for_backward(v)
            ctx.df = df
            return _like(f(v), v)  # constants broadcast to v

        @staticmethod
        def backward(ctx, grad: torch.Tensor):
            (v,) = ctx.saved_tensors
            return _like(grad * ctx.df(v), v), None, None

    return _WithPrintedDerivative


def torch_function(expr: sp.Expr) -> Callable[[torch.Tensor], torch.Tensor]:
    """A formula in ``x`` as a differentiable torch function whose autograd derivative is the
    sympy derivative, evaluated directly (DiracDelta, from d/dx |x|, taken as 0 away from its
    point). Autograd through the lambdified formula would differentiate every Piecewise branch,
    and an overflowing branch that is not selected (e^x at x = 1e4) would turn the
    gradient into NaN."""
    f = lambdify_torch((x,), expr)
    df = lambdify_torch((x,), sp.diff(expr, x).replace(sp.DiracDelta, lambda *_: 0))
    return lambda v: _with_printed_derivative().apply(v, f, df)


@dataclass(frozen=True)
class Formula:
    """One formula: a sympy expression in one or more symbols, printed and evaluated."""

    name: str
    expr: sp.Expr
    args: tuple[sp.Symbol, ...] = (x,)
    reference: Callable[..., torch.Tensor] | None = (
        None  # the torch function it must equal
    )
    points: tuple[float, ...] = (
        -6.0,
        -2.5,
        -1.0,
        -0.5,
        -1e-3,
        1e-3,
        0.5,
        1.0,
        2.5,
        6.0,
    )
    tolerance: float = 1e-5
    lhs: str = ""  # LaTeX left-hand side, e.g. r"\sigma(x)"
    notes: dict[str, str] = field(default_factory=dict)
    # sympy's LaTeX term order: None sorts the terms (sympy's default); "none" prints an
    # unevaluated sum (sp.Add(..., evaluate=False)) in the order it was written.
    latex_order: str | None = None
    # What sympy prints between factors: None for a plain space, or LaTeX such as r"\,"
    # (a thin space) where a number meets a named function (2 JSD, not 2JSD).
    mul_symbol: str | None = None
    # The module whose import registered it: registry.reload_changed drops its formulas
    # when it imports that module again (mkdocs serve after an edit).
    module: str = field(default="", compare=False, repr=False)

    def latex(self) -> str:
        """The right-hand side as LaTeX, printed from the expression."""
        return sp.latex(self.expr, order=self.latex_order, mul_symbol=self.mul_symbol)

    def equation(self) -> str:
        """``lhs = rhs`` as LaTeX."""
        return f"{self.lhs} = {self.latex()}" if self.lhs else self.latex()

    def torch(self) -> Callable[..., torch.Tensor]:
        """The expression as a function of torch tensors (sympy's lambdify)."""
        return lambdify_torch(self.args, self.expr)

    def derivative(self, wrt: sp.Symbol | None = None) -> sp.Expr:
        """Symbolic derivative, as sympy's diff gives it: the tests evaluate it against
        autograd, and simplifying first (seconds for GELU's tanh form) would check nothing more."""
        return sp.diff(self.expr, wrt if wrt is not None else self.args[0])


FORMULAS: dict[str, Formula] = {}


def formula(name: str, expr: sp.Expr, **kwargs) -> Formula:
    """Create and register a formula; a name can be registered once."""
    if name in FORMULAS:
        raise ValueError(f"formula {name!r} registered twice")
    f = Formula(name=name, expr=expr, module=_importing_module(), **kwargs)
    FORMULAS[name] = f
    return f


def _importing_module() -> str:
    """The module whose body is running (the innermost one on the stack: the module being
    imported, even where a helper of another module registers for it), else the caller's."""
    caller = frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_name != "<module>":
        frame = frame.f_back
    return (frame or caller).f_globals.get("__name__", "")


def checked() -> list[str]:
    """Names of the registered formulas (every chapter loaded) that have a PyTorch
    reference: tests/test_formulas.py compares each with it, and its derivative with
    autograd."""
    from docs_build.registry import load_chapters

    load_chapters()
    return sorted(name for name, f in FORMULAS.items() if f.reference is not None)
