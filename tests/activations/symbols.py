"""What the activation tests share: the symbols of registered formulas by their printed
names, the bounds and axes the pages state, and readings of what the pages show (an
entry's card), so that the tests go through the registries, not a chapter's names."""

from __future__ import annotations

import math
import re
from types import SimpleNamespace

import sympy as sp
import torch

from docs_build import api
from docs_build.formulas import Formula


def symbols_of(*names: str) -> SimpleNamespace:
    """Every symbol of the formulas ``names``, by its printed name (docs_build.api)."""
    return api.symbols(*names)


# The absolute bound within which each entry's code equals PyTorch's function (float64);
# index.md states it (act.match_atol), checked in test_review_act.
MATCH_ATOL = 1e-8


# The axes every function plot of the chapter shares; the figures' captions state them.
X_LIMITS, Y_LIMITS = (-5.0, 5.0), (-2.0, 3.0)


def autograd_slope(fn, v: torch.Tensor) -> torch.Tensor:
    """df/dx at v by autograd; zeros where autograd has nothing to differentiate (the
    step function's output does not depend on its input's gradient)."""
    v = v.detach().clone().requires_grad_(True)
    out = fn(v)
    if not out.requires_grad:
        return torch.zeros_like(v)
    (g,) = torch.autograd.grad(out.sum(), v)
    return g


def stated_calls(key: str) -> int:
    """The exp/log/tanh/erf calls the entry's card states (a property the page shows)."""
    from docs_build.api import facts

    card = facts("act")[f"{key}_card"]
    (count,) = re.findall(r"^\| exp/log/tanh/erf calls \| (\d+) \|$", card, re.M)
    return int(count)


def card_row(key: str, name: str) -> str | None:
    """The value the entry's card (the fact ``act.<key>_card``, as the page shows it)
    gives in its row ``name`` ("Range", "Saturates (slope → 0)", ...); None without one."""
    from docs_build.api import facts

    card = facts("act")[f"{key}_card"]
    rows = re.findall(rf"^\| {re.escape(name)} \| (.*) \|$", card, re.M)
    assert len(rows) <= 1, (key, name)
    return rows[0] if rows else None


def range_parts(key: str) -> list[str]:
    """The entry's card Range as the page shows it, split into its parts: one interval
    ("(0, 1)"), a set ("\\{0, 1\\}"), or each part of a union, left to right."""
    return card_row(key, "Range").strip("$").split(" \\cup ")


def interval_ends(part: str) -> tuple[str, str, str, str]:
    """A printed interval "(lo, hi]" as its bracket, lower end, upper end and bracket."""
    match = re.fullmatch(r"([\[(])(.+?), (.+)([\])])", part)
    assert match, part
    return match.groups()


def printed_range_ends(key: str) -> tuple[sp.Expr, sp.Expr]:
    """The lowest and highest ends of the card's printed Range, read back (a set's least
    and greatest values, an interval's ends), each as ``printed_value`` reads it."""
    parts = range_parts(key)

    def ends(part: str) -> list[sp.Expr]:
        if part.startswith("\\{"):
            return [printed_value(v)[0] for v in part[2:-2].split(", ")]
        _, lo, up, _ = interval_ends(part)
        return [printed_value(lo)[0], printed_value(up)[0]]

    return ends(parts[0])[0], ends(parts[-1])[-1]


def printed_value(text: str) -> tuple[sp.Expr, int | None]:
    """A number as a card prints it, read back by the tests (not by sympy's printer):
    "-\\infty"/"+\\infty", an integer, a fraction ("- \\frac{3}{8}"), or a rounded
    decimal ("\\approx -1.7581", "-0.2785"). Returns its value (a rounded decimal's
    digits, exactly) and, for a rounded decimal, the number of decimals shown, else None."""
    text = text.strip()
    if text in ("-\\infty", "+\\infty"):
        return (-sp.oo if text[0] == "-" else sp.oo), None
    if match := re.fullmatch(r"(?:\\approx )?(-?\d+\.(\d+))", text):
        return sp.Rational(match.group(1)), len(match.group(2))
    assert not text.startswith("\\approx"), text
    if match := re.fullmatch(r"(-)?\s*\\frac\{(\d+)\}\{(\d+)\}", text):
        sign = -1 if match.group(1) else 1
        return sign * sp.Rational(int(match.group(2)), int(match.group(3))), None
    assert re.fullmatch(r"-?\d+", text), text
    return sp.Integer(text), None


def assert_printed(text: str, value, what: object = None) -> None:
    """The card's ``text`` shows ``value``: exactly where the value is exact (a rational
    or an infinity), else as a decimal rounded to the places it shows."""
    shown, decimals = printed_value(text)
    exact = isinstance(value, sp.Basic) and (value.is_Rational or value.is_infinite)
    if exact:
        assert decimals is None and shown == value, (what, text, value)
    else:
        assert decimals is not None, (what, text, value)
        assert abs(float(shown) - float(value)) <= 0.5 * 10.0**-decimals + 1e-12, (
            what,
            text,
            value,
        )


def introduced_by(act) -> tuple:
    """The papers an entry's ``paper`` field names, as a tuple: one, several, or none."""
    if act.paper is None:
        return ()
    return act.paper if isinstance(act.paper, tuple) else (act.paper,)


def later_sources(act) -> tuple:
    """The papers of an entry's later work (its ``later`` field), in order."""
    return tuple(paper for paper, _ in act.later)


def normal_mean(fn) -> float:
    """E[f(Z)] for Z ~ N(0, 1): the tests' own quadrature, Simpson's rule on [-13, 13]
    (tail mass < 1e-37), float64."""
    n = 52_000  # even: intervals of width 5e-4
    z = torch.linspace(-13.0, 13.0, n + 1, dtype=torch.float64)
    g = fn(z) * torch.exp(-(z**2) / 2) / math.sqrt(2 * math.pi)
    weights = torch.ones_like(z)
    weights[1:-1:2], weights[2:-1:2] = 4.0, 2.0
    return ((z[1] - z[0]) / 3 * (weights * g).sum()).item()


def slope_vanishes(fn) -> str:
    """Where the slope of ``fn`` tends to 0, the tests' own reading: the secant of its
    values over [x - 1, x + 1] below 1e-6 in size at x = -1e4 and/or x = +1e4 (float64,
    no autograd, so torch.heaviside and formulas whose autograd overflows there count too):
    "both", "left" (x -> -inf), "right" or "no"."""
    at = torch.tensor([-1e4, 1e4], dtype=torch.float64)
    with torch.no_grad():
        left, right = (((fn(at + 1) - fn(at - 1)) / 2).abs() < 1e-6).tolist()
    return {(True, True): "both", (True, False): "left", (False, True): "right"}.get(
        (left, right), "no"
    )


def param(key: str, name: str) -> sp.Symbol:
    """The parameter symbol ``name`` of the registry entry ``key``: one of its ``params``
    or ``torch_params`` (softplus's ``threshold``), as its formulas use it."""
    from docs_build.api import BY_KEY

    act = BY_KEY[key]
    (symbol,) = [s for s in (*act.params, *act.torch_params) if s.name == name]
    return symbol


# the formulas of the softmax page, whose symbols two test files substitute into
SOFTMAX_FORMULAS = (
    "act_softmax",
    "act_log_softmax",
    "act_log_softmax_stable",
    "act_softmax_t",
    "act_cross_entropy",
    "act_softmax_jacobian",
    "act_softmax_jacobian_matrix",
    "act_softmin",
    "act_cross_entropy_smooth",
    "act_smooth_target",
    "act_cross_entropy_gradient",
)


def softmax_symbols() -> SimpleNamespace:
    """The softmax page's symbols (i, j, K, z, p, ...), read off its registered formulas."""
    return symbols_of(*SOFTMAX_FORMULAS)


def eval_indexed(expr: sp.Expr, logits: list[float], subs: dict | None = None) -> float:
    """A softmax-page formula over z_1..z_K (1-based, as printed) evaluated at these
    logits to 30 digits, K set to their number: the tests' own evaluation, by sympy."""
    s = softmax_symbols()
    expr = expr.subs({s.K: len(logits), **(subs or {})}).doit()
    return float(expr.subs({s.z[n + 1]: v for n, v in enumerate(logits)}).evalf(30))


# The softmax page's derivations, the tests' own (test_softmax_gradients.py), not the
# chapter's: sympy differentiates the registered formulas written out for z_1..z_n, and
# the printed formulas in p_i, p_j are written out in the same logits, p_k the page's
# softmax of them.


def logit_symbols(n: int) -> list[sp.Indexed]:
    """z_1, ..., z_n: the logits of the softmax page's formulas, as they print them."""
    s = softmax_symbols()
    return [s.z[k] for k in range(1, n + 1)]


def formula_column(name: str, n: int) -> sp.Matrix:
    """The registered formula ``name`` of one output i over z_1..z_K (act_softmax,
    act_log_softmax, act_softmin) for n symbolic logits: outputs 1..n, as a column."""
    s = softmax_symbols()
    expr = api.formula(name).expr
    return sp.Matrix([expr.subs({s.K: n, s.i: k}).doit() for k in range(1, n + 1)])


def derived_jacobian(name: str, n: int) -> sp.Matrix:
    """sympy's Jacobian of the formula ``name`` for n symbolic logits."""
    return formula_column(name, n).jacobian(logit_symbols(n))


def derived_gradient(loss: sp.Expr, n: int) -> sp.Matrix:
    """sympy's gradient of a scalar in z_1..z_n, as a column."""
    return sp.Matrix([sp.diff(loss, v) for v in logit_symbols(n)])


def derived_cross_entropy_gradient(n: int, target: int) -> sp.Matrix:
    """sympy's gradient of the page's cross-entropy formula, n logits, true class
    ``target`` (from 1, as printed)."""
    s = softmax_symbols()
    loss = api.formula("act_cross_entropy").expr.subs({s.K: n, s.y: target}).doit()
    return derived_gradient(loss, n)


def printed_matrix(f: Formula, n: int) -> sp.Matrix:
    """An element-wise formula in p_i, p_j (p_i (delta_ij - p_j), ...) as an n x n
    matrix in z_1..z_n: p_k replaced by the page's softmax of them."""
    s = softmax_symbols()
    column = formula_column("act_softmax", n)
    values = {s.p[k + 1]: column[k] for k in range(n)}
    return sp.Matrix(
        n, n, lambda a, b: f.expr.subs({s.i: a + 1, s.j: b + 1}).subs(values)
    )


def printed_gradient(f: Formula, n: int, target: int) -> sp.Matrix:
    """A gradient formula in p_j, delta_jy (p_j - delta_jy, ...) as a column in
    z_1..z_n, true class ``target`` (from 1): p_k replaced by the page's softmax."""
    s = softmax_symbols()
    column = formula_column("act_softmax", n)
    values = {s.p[k + 1]: column[k] for k in range(n)}
    return sp.Matrix(
        [f.expr.subs({s.j: b + 1, s.y: target, s.K: n}).subs(values) for b in range(n)]
    )
