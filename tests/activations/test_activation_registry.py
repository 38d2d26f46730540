"""Every registered activation: code equals torch, derivative conventions at kinks, and each
property shown in the table is checked here, so the table cannot claim what the code lacks.

``act.fn`` is what the site plots and measures: the from-scratch code where there is one,
else the registered formula evaluated in torch; both are held to the same checks."""

from __future__ import annotations

import inspect
import itertools
import math
import re
from pathlib import Path

import mpmath
import pytest
import sympy as sp
import torch
import torch.nn.functional as F
from activations import functions as fx
from sympy.calculus.util import function_range
from sympy.functions.elementary.piecewise import ExprCondPair

from docs_build import api, bibliography
from docs_build.api import ACTIVATIONS, BY_KEY, Activation
from docs_build.common import defaults
from docs_build.formulas import FORMULAS, lambdify_torch, x
from docs_build.registry import get_facts
from tests.activations.symbols import (
    MATCH_ATOL,
    assert_printed,
    autograd_slope,
    card_row,
    interval_ends,
    introduced_by,
    later_sources,
    normal_mean,
    param,
    printed_range_ends,
    printed_value,
    range_parts,
    slope_vanishes,
    stated_calls,
)

# the registry entries' parameter symbols
BETA = param("softplus", "beta")
THRESHOLD_S = param("softplus", "threshold")
LOWER_S = param("rrelu", "l")
UPPER_S = param("rrelu", "u")
THETA = param("threshold", "theta")
VALUE_S = param("threshold", "v")
LAMBDA = param("softshrink", "lambda")
alpha = param("elu", "alpha")


ROOT = Path(__file__).resolve().parents[2]
ACTS = ACTIVATIONS
IDS = [a.key for a in ACTS]
SCRATCH = [a for a in ACTS if a.scratch is not None]  # code in snippets/activations/
GRID = torch.linspace(-30.0, 30.0, 12001, dtype=torch.float64)
EPS = 1e-6  # distance from a kink at which one-sided values are probed (float64)


def titles(acts: list[Activation]) -> str:
    """Entries' titles as a sentence names them: "A, B and C"."""
    names = [a.title for a in acts]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def around(act: Activation) -> torch.Tensor:
    pts = [p for k in act.kinks for p in (k - EPS, k, k + EPS)]
    return torch.tensor(sorted({*pts, *GRID[::100].tolist()}), dtype=torch.float64)


def f_sym(act: Activation):
    return lambdify_torch((x,), act.checked_expr)


def d_sym(act: Activation, order: int = 1):
    """The order-th derivative; DiracDelta (from d/dx sign(x)) is 0 away from its point."""
    d = sp.diff(act.checked_expr, x, order).replace(sp.DiracDelta, lambda *_: 0)
    return lambdify_torch((x,), d)


@pytest.mark.parametrize("act", ACTS, ids=IDS)
@pytest.mark.claim("index-code-equals-torch")
def test_code_equals_torch_everywhere_including_kinks(act: Activation) -> None:
    v = around(act)
    # MATCH_ATOL, the bound index.md states (1e-8): torch's softplus (and mish through it)
    # returns x itself for x > 20, off by log1p(exp(-20)) = 2.1e-9 from the exact value ours
    # computes; everything else is ~1e-15. rtol=0: the page states an absolute bound.
    torch.testing.assert_close(act.fn(v), act.reference(v), atol=MATCH_ATOL, rtol=0)


@pytest.mark.formula
@pytest.mark.parametrize("act", ACTS, ids=IDS)
@pytest.mark.claim(
    "index-gradient-equals-torch",
    "relu-family-kink-derivatives-follow-torch",
)
def test_derivative_at_and_around_kinks_follows_torch(act: Activation) -> None:
    """autograd(ours) == autograd(torch) == the printed derivative, at and beside each kink."""
    v = around(act)
    ours = autograd_slope(act.fn, v)
    if (
        act.key == "binary_step"
    ):  # torch.heaviside has no derivative: the printed one is 0
        with pytest.raises(RuntimeError, match="not implemented"):
            autograd_slope(act.reference, v)
        theirs = torch.zeros_like(v)
    else:
        theirs = autograd_slope(act.reference, v)
    printed = d_sym(act)(v) * torch.ones_like(v)
    # 1e-8: torch's hardsigmoid backward multiplies by a float32 1/6 even for float64 input
    # (off by 5e-9); every other function agrees to ~1e-15.
    torch.testing.assert_close(ours, theirs, atol=MATCH_ATOL, rtol=0)
    torch.testing.assert_close(printed, theirs, atol=MATCH_ATOL, rtol=0)


def test_registered_formula_is_the_displayed_one_with_torch_defaults() -> None:
    for act in ACTS:
        if act.key == "binary_step":
            assert "act_binary_step" not in FORMULAS
            continue
        assert FORMULAS[f"act_{act.key}"].expr == act.checked_expr, act.key
        assert act.checked_expr.free_symbols == {x}, (
            f"{act.key}: a parameter has no default"
        )


@pytest.mark.formula
def test_binary_step_formula_equals_heaviside() -> None:
    """torch.heaviside has no autograd, so test_formulas.py cannot take it: checked here."""
    act = BY_KEY["binary_step"]
    v = around(act)
    torch.testing.assert_close(f_sym(act)(v) * torch.ones_like(v), act.reference(v))
    assert sp.simplify(act.derivative()) == 0


@pytest.mark.parametrize("act", ACTS, ids=IDS)
def test_range_is_tight_and_closedness_is_right(act: Activation) -> None:
    lo, x_min = act.infimum()
    values = act.fn(GRID)
    near = act.fn(GRID[(GRID > -15) & (GRID < 15)])  # float64 resolves open bounds here
    far = act.fn(torch.tensor([-1e9, 1e9], dtype=torch.float64))
    tol = 1e-9
    if lo != -sp.oo:
        assert values.min() >= float(lo) - tol
        if act.lower_closed and x_min is not None:  # interior minimum solved by sympy
            at = torch.tensor([float(x_min)], dtype=torch.float64)
            assert abs(act.fn(at).item() - float(lo)) < tol, "minimum not attained"
        elif act.lower_closed:
            assert ((values - float(lo)).abs() < tol).any(), "infimum not attained"
        else:
            assert (near > float(lo)).all(), "open bound reached on (-15, 15)"
            assert (far - float(lo)).abs().min() < 1e-6, "infimum not approached"
    else:
        assert act.fn(torch.tensor([-1e6], dtype=torch.float64)).item() < -1e3
    if act.upper != sp.oo:
        up = float(act.upper)
        assert values.max() <= up + tol
        if act.upper_closed:
            assert ((values - up).abs() < tol).any(), "supremum not attained"
        else:
            assert (near < up).all(), "open bound reached on (-15, 15)"
            assert (far - up).abs().min() < 1e-6, "supremum not approached"
    else:
        assert act.fn(torch.tensor([1e6], dtype=torch.float64)).item() > 1e3
    # the card's Range, an interval (a set or a union: the tests below), shows them:
    # its brackets, and its ends read back from the page (exact, or to the decimals shown)
    parts = range_parts(act.key)
    if len(parts) == 1 and not parts[0].startswith("\\{"):
        left, lo_text, up_text, right = interval_ends(parts[0])
        assert left == ("[" if act.lower_closed else "("), (act.key, parts)
        assert right == ("]" if act.upper_closed else ")"), (act.key, parts)
        assert_printed(lo_text, lo, act.key)
        assert_printed(up_text, act.upper, act.key)


@pytest.mark.parametrize("act", ACTS, ids=IDS)
def test_monotonic_odd_and_zero_centred_as_declared(act: Activation) -> None:
    slope = autograd_slope(act.fn, GRID)
    # Values too, on a sorted grid through every kink: a jump down has slope 0 on each side.
    around = [k + d for k in act.kinks for d in (-1e-9, 0.0, 1e-9)]
    points = torch.sort(
        torch.cat([GRID, torch.tensor(around, dtype=GRID.dtype)])
    ).values
    falls = torch.cat([GRID[slope < 0], points[1:][act.fn(points).diff() < 0]])
    found = not len(falls)
    where = f"; f falls at x = {falls[0].item():.6g}" if len(falls) else ""
    assert found == act.monotonic, (
        f"{act.key}: declared monotonic={act.monotonic}, found {found}{where}"
    )
    gap = (act.fn(-GRID) + act.fn(GRID)).abs()
    found = bool((gap <= 1e-12 + 1e-5 * act.fn(GRID).abs()).all())  # torch.allclose's
    assert found == act.odd, (
        f"{act.key}: declared odd={act.odd}, found {found}; largest |f(-x) + f(x)| = "
        f"{gap.max().item():.3g} at x = {GRID[gap.argmax()].item():.6g}"
    )
    mean = normal_mean(act.fn)
    found = abs(mean) < 1e-6
    assert found == act.zero_centred, (
        f"{act.key}: declared zero_centred={act.zero_centred}, found {found}; "
        f"E[f(Z)] = {mean:.3g} for Z ~ N(0, 1)"
    )


def kinks_in_formula(expr: sp.Expr) -> set[float]:
    """Boundaries of Piecewise pieces and zeros of |.| arguments: where f may be non-smooth."""
    found = set()
    for pw in expr.atoms(sp.Piecewise):
        for _, cond in pw.args:
            for rel in cond.atoms(sp.core.relational.Relational):
                found |= {float(r) for r in sp.solve(sp.Eq(rel.lhs, rel.rhs), x)}
    for ab in expr.atoms(sp.Abs):
        found |= {float(r) for r in sp.solve(ab.args[0], x)}
    return found


@pytest.mark.parametrize("act", ACTS, ids=IDS)
@pytest.mark.claim("relu-family-c1-functions")
def test_smoothness_and_kinks_as_declared(act: Activation) -> None:
    found = kinks_in_formula(act.checked_expr)
    assert found == set(act.kinks), (
        f"{act.key}: declared kinks {sorted(act.kinks)}, the formula has {sorted(found)}"
    )
    if act.smoothness == "Cinf":
        assert not act.kinks, f"{act.key}: declared C-infinity but has kinks"
        return
    f, d1, d2 = f_sym(act), d_sym(act), d_sym(act, 2)
    for k in act.kinks:
        left = torch.tensor([k - EPS], dtype=torch.float64)
        right = torch.tensor([k + EPS], dtype=torch.float64)

        def jump(g, left=left, right=right) -> float:
            return abs((g(right) - g(left)) * torch.ones(1)).item()

        said = f"{act.key}: declared {act.smoothness}"
        assert (jump(f) > 1e-3) == (act.smoothness == "discontinuous"), (
            f"{said}, but f jumps by {jump(f):.3g} at x = {k}"
        )
        if act.smoothness == "C0":
            assert jump(d1) > 1e-3, f"{said}, but f' does not jump at x = {k}"
        if act.smoothness == "C1":
            assert jump(d1) < 1e-4 and jump(d2) > 1e-3, (
                f"{said}: f' should be continuous and f'' jump at x = {k}; "
                f"f' jumps by {jump(d1):.3g}, f'' by {jump(d2):.3g}"
            )


@pytest.mark.parametrize("act", ACTS, ids=IDS)
@pytest.mark.claim("sigmoid-tanh-tanh-saturates")
def test_saturation_as_declared(act: Activation) -> None:
    found = slope_vanishes(act.fn)
    assert found == act.saturates, (
        f"{act.key}: declared saturates={act.saturates!r}, found {found!r}"
    )
    found = slope_vanishes(act.reference)
    assert found == act.saturates, (
        f"{act.key}: declared saturates={act.saturates!r}, torch's is {found!r}"
    )
    # ... and the card says so
    assert card_row(act.key, "Saturates (slope → 0)") == SATURATES[act.saturates]


# The card's Saturates cell for each declared side
SATURATES = {"both": "both sides", "left": "x → −∞", "right": "x → +∞", "no": "no"}


SPECIAL = [math.nan, math.inf, -math.inf, 0.0, -0.0, 1e30, -1e30]
LOW_PRECISION = (torch.float16, torch.bfloat16, torch.float32)
# The page's bound, in epsilons of the dtype, relative to max(|f|, 1), as it states it.
ULPS = api.number("stable", "low_precision_eps")
INFINITIES = torch.tensor([math.inf, -math.inf], dtype=torch.float64)


def stated_entries(key: str) -> list[Activation]:
    """The entries a fact of numerical-stability.md lists by title ("Softsign, Mish")."""
    by_title = {a.title: a for a in ACTS}
    text = get_facts("stable")[key]
    return [by_title[t] for t in text.split(", ")] if text else []


def nan_at_infinity() -> list[Activation]:
    """The entries whose code (float64) returns NaN at +inf or -inf: asks the code
    directly, as the chapter does; not an independent derivation (the limits it is held
    to are sympy's, in test_at_infinity_ours_is_the_limit_or_a_stated_nan)."""
    return [a for a in ACTS if a.fn(INFINITIES).isnan().any().item()]


def limit_at(act: Activation, side: sp.Expr) -> float:
    """lim f(x) as x -> side, by sympy (of the outermost piece, for a Piecewise formula)."""
    return float(sp.limit(outer_piece(act.checked_expr, side), x, side))


def outer_piece(f: sp.Expr, side: sp.Expr) -> sp.Expr:
    """The piece of a Piecewise that holds for all x beyond +-10^9 (sympy's sp.limit does
    not take Piecewise); f itself otherwise."""
    f = sp.piecewise_fold(f)
    if not isinstance(f, sp.Piecewise):
        return f
    far = sp.sign(side) * sp.Integer(10) ** 9
    for piece, cond in f.args:
        if bool(cond.subs(x, far)) and bool(cond.subs(x, 10 * far)):
            return piece
    raise AssertionError(f"no piece of {f} holds at {far}")


@pytest.mark.parametrize("act", SCRATCH, ids=[a.key for a in SCRATCH])
@pytest.mark.claim("index-integers-raise", "numerical-stability-bad-input")
def test_bad_input_raises_clearly_or_behaves_like_torch(act: Activation) -> None:
    with pytest.raises(
        TypeError,
        match=r"floating-point tensor, got torch\.int64; convert with x\.float\(\)",
    ):
        act.scratch(torch.tensor([-1, 0, 2]))
    with pytest.raises(TypeError, match=r"expected a torch\.Tensor, got list"):
        act.scratch([0.5])
    empty = torch.empty(0, 3)
    assert act.scratch(empty).shape == act.reference(empty).shape == (0, 3)


@pytest.mark.parametrize("act", SCRATCH, ids=[a.key for a in SCRATCH])
@pytest.mark.claim("index-special-values-float64", "numerical-stability-special-values")
def test_special_values_give_torch_float64_result_in_every_dtype(
    act: Activation,
) -> None:
    """NaN, +-inf, -0 and huge inputs: ours equals PyTorch's float64 result, in float64 and,
    rounded to the dtype, in float32, bfloat16 and float16. PyTorch's own float32/bf16/fp16
    results at these values depend on the CPU's vectorized kernel (F.gelu(inf) is NaN in
    float32 on some AVX-512 machines), so they are not the reference."""
    special = torch.tensor(SPECIAL, dtype=torch.float64)
    want = act.reference(special)
    torch.testing.assert_close(
        act.scratch(special), want, equal_nan=True, atol=0, rtol=1e-15
    )
    for dtype in LOW_PRECISION:
        got = act.scratch(special.to(dtype))
        assert got.dtype == dtype
        rounded = act.reference(special.to(dtype).double()).to(dtype)
        # infinities, NaN and zeros exactly; finite results (f(-1e30)) to ULPS epsilons
        rtol = ULPS * torch.finfo(dtype).eps
        torch.testing.assert_close(got, rounded, equal_nan=True, atol=0, rtol=rtol)


@pytest.mark.parametrize("act", SCRATCH, ids=[a.key for a in SCRATCH])
@pytest.mark.claim("numerical-stability-nan-at-infinity")
def test_at_infinity_ours_is_the_limit_or_a_stated_nan(act: Activation) -> None:
    """The page: the result at +-inf is the mathematical limit, except for the functions it
    names, which return NaN although the limit is finite."""
    named = {a.key for a in stated_entries("nan_at_inf_div")}
    named |= {a.key for a in stated_entries("nan_at_inf_mul")}
    got = act.scratch(INFINITIES)
    for value, side in zip(got.tolist(), (sp.oo, -sp.oo), strict=True):
        limit = limit_at(act, side)
        if math.isnan(value):
            assert act.key in named and math.isfinite(limit), (act.key, side)
        else:
            # float64 rounding of a finite limit (SELU's -lambda * alpha): 1e-15 relative
            assert math.isclose(value, limit, rel_tol=1e-15), (
                act.key,
                side,
                value,
                limit,
            )
    assert (act.key in named) == bool(got.isnan().any())


@pytest.mark.claim("numerical-stability-nan-causes")
def test_stated_causes_of_nan_at_infinity() -> None:
    """Softsign divides inf by inf; each other named function is x times a factor whose
    limit is 0 where the NaN appears, and its code multiplies x by that factor."""
    nan_div, nan_mul = (
        stated_entries("nan_at_inf_div"),
        stated_entries("nan_at_inf_mul"),
    )
    assert [a.key for a in nan_div] == ["softsign"]
    # the two lists are every entry that gives NaN there, each once, each in registry order
    measured = nan_at_infinity()
    assert nan_div == [a for a in measured if a in nan_div]
    assert nan_mul == [a for a in measured if a not in nan_div]
    inf = torch.tensor(math.inf, dtype=torch.float64)
    assert inf.isinf() and (1 + inf.abs()).isinf() and fx.softsign(inf).isnan()
    assert nan_mul == [a for a in nan_mul if a.key != "softsign"] != []
    for act in nan_mul:
        for value, side in zip(
            act.fn(INFINITIES).tolist(), (sp.oo, -sp.oo), strict=True
        ):
            if math.isnan(value):
                gate = outer_piece(act.checked_expr, side) / x
                assert sp.limit(gate, x, side) == 0, (act.key, side)


@pytest.mark.parametrize("act", SCRATCH, ids=[a.key for a in SCRATCH])
@pytest.mark.claim("numerical-stability-low-precision-within-eps")
def test_low_precision_close_to_the_float64_result(act: Activation) -> None:
    """float16, bfloat16 and float32 output within ULPS machine epsilons of PyTorch's
    float64 result on the same (rounded) input: relative where |f| > 1, else absolute."""
    v = torch.linspace(-8, 8, 161)
    for dtype in LOW_PRECISION:
        inp = v.to(dtype)
        got = act.scratch(inp)
        assert got.dtype == dtype
        want = act.reference(inp.double())
        scale = want.abs().clamp(min=1.0) * torch.finfo(dtype).eps
        worst = ((got.double() - want).abs() / scale).max().item()
        assert worst <= ULPS, f"{act.key} {dtype}: {worst:.2f} epsilons"


@pytest.mark.claim("numerical-stability-torch-on-integers")
def test_integer_behaviour_stated_is_torch() -> None:
    """The page's lists of PyTorch functions that keep, promote or reject integer input,
    against PyTorch called here on an integer tensor."""
    ints = torch.tensor([-1, 0, 2])
    # only PyTorch's own functions and modules count, each found in torch,
    # torch.nn.functional or torch.nn; our compositions (QuickGELU is
    # v * torch.sigmoid(1.702 * v)) say nothing about PyTorch
    native = [a for a in ACTS if torchs_own(a.reference)]
    composed = {"quick_gelu", "swish_beta", "relu_squared", "binary_step"}
    assert composed <= set(IDS) and not composed & {a.key for a in native}
    assert "relu" in {a.key for a in native}
    kept, promoted, rejected = [], [], []
    for act in native:
        try:
            out = act.reference(ints)
        except RuntimeError:
            rejected.append(act)
            continue
        if out.is_floating_point():
            assert out.dtype == torch.get_default_dtype(), act.key
            promoted.append(act)
        else:
            kept.append(act)
    assert "softsign" in {
        a.key for a in promoted
    }  # the page once named only sigmoid, tanh
    stated = get_facts("stable")
    assert stated_entries("int_kept") == kept
    assert stated_entries("int_promoted") == promoted
    assert stated["int_rejected_count"] == str(len(rejected))
    assert stated["int_accepted_count"] == str(len(kept) + len(promoted))
    assert stated["int_checked_count"] == str(len(native))


def torchs_own(reference) -> bool:
    """Whether an entry's reference is PyTorch's own: a function of torch or
    torch.nn.functional, or an instance of a torch.nn module of that name. Asks torch's
    modules for the function itself (the entry names it, ``common.Lazy``), where the
    chapter reads the name the entry gives."""
    reference = inspect.unwrap(reference)
    if isinstance(reference, torch.nn.Module):
        return type(reference) is getattr(torch.nn, type(reference).__name__, None)
    return any(reference is v for m in (torch, F) for v in vars(m).values())


@pytest.mark.parametrize("act", ACTS, ids=IDS)
def test_printed_range_is_the_set_of_values_for_a_discrete_function(
    act: Activation,
) -> None:
    """A function that takes finitely many values has a set as its range, not an interval."""
    taken = set(torch.unique(act.fn(GRID)).tolist())
    printed = card_row(act.key, "Range")
    pieces = act.checked_expr.args if isinstance(act.checked_expr, sp.Piecewise) else ()
    if len(taken) <= 10:  # finitely many values on a fine grid out to +-30
        values = sorted({piece for piece, _ in pieces})
        assert values and all(v.is_number for v in values), act.key
        assert {float(v) for v in values} == taken
        assert printed == "$\\{" + ", ".join(sp.latex(v) for v in values) + "\\}$"
        assert set(torch.unique(act.reference(GRID)).tolist()) == taken
    else:
        assert not pieces or not all(p.is_number for p, _ in pieces), act.key
        # an interval, or a union of intervals and single values where the values have gaps
        parts = printed.strip("$").split(" \\cup ")
        intervals = [p for p in parts if p[0] in "([" and p[-1] in ")]"]
        assert intervals and all(p in intervals or p.startswith("\\{") for p in parts)


@pytest.mark.parametrize("act", ACTS, ids=IDS)
def test_printed_range_is_the_set_of_values_with_its_gaps(act: Activation) -> None:
    """Where sympy computes a Piecewise formula's set of values, its bounds and closedness
    are the declared ones, every value taken lies in it, no value falls in one of its gaps,
    and the card prints a union exactly when there are gaps (hardshrink, threshold)."""
    image = value_set(act)
    if image is None:
        assert not isinstance(act.checked_expr, sp.Piecewise), act.key
        return
    lo, _ = act.infimum()
    assert image.inf == lo and image.sup == act.upper
    assert (
        image.contains(lo) == sp.true
        if act.lower_closed
        else image.contains(lo) != sp.true
    )
    for v in act.fn(GRID[::40]).tolist():
        assert image.contains(sp.Rational(v)) == sp.true, (
            act.key,
            v,
        )  # exact binary value
    if all(piece.is_number for piece, _ in act.checked_expr.args):
        return  # printed as its set of values: the test above
    gaps = sp.Interval(image.inf, image.sup) - image
    values = act.fn(torch.linspace(-10, 10, 200001, dtype=torch.float64))
    for gap in gaps.args if isinstance(gaps, sp.Union) else (gaps,):
        if isinstance(gap, sp.Interval) and gap.measure > 0:
            inside = (values > float(gap.start)) & (values < float(gap.end))
            assert not inside.any(), (act.key, gap)
    has_gaps = gaps != sp.EmptySet and gaps.measure > 0
    printed = card_row(act.key, "Range")
    assert ("\\cup" in printed) == has_gaps
    if has_gaps:  # each part as sympy has it, open or closed, in order
        parts = sorted(image.args, key=lambda p: (p.inf, p.sup))
        shown = range_parts(act.key)
        assert len(shown) == len(parts), (act.key, printed)
        for part, text in zip(parts, shown, strict=True):
            if isinstance(part, sp.FiniteSet):
                assert text == "\\{" + ", ".join(sp.latex(v) for v in part) + "\\}"
            else:
                left, lo_text, up_text, right = interval_ends(text)
                assert left == ("(" if part.left_open else "["), (act.key, text)
                assert right == (")" if part.right_open else "]"), (act.key, text)
                assert_printed(lo_text, part.inf, (act.key, text))
                assert_printed(up_text, part.sup, (act.key, text))
    assert has_gaps == (act.key in ("hardshrink", "threshold"))


def value_set(act: Activation) -> sp.Set | None:
    """The set of values of a Piecewise formula: the union of the range of each piece over
    its condition, by sympy's function_range; None for any other formula."""
    f = act.checked_expr
    if not isinstance(f, sp.Piecewise):
        return None
    return sp.Union(
        *(
            function_range(piece, x, where)
            for piece, where in f.as_expr_set_pairs(sp.Reals)
        )
    )


@pytest.mark.parametrize("act", ACTS, ids=IDS)
def test_non_monotonic_functions_have_their_minimum_solved_and_shown(
    act: Activation,
) -> None:
    """A function that dips has an interior minimum: sympy solves it (none is typed into
    the registry) and its card shows it; a monotonic one has none."""
    assert (act.lower is None) == (not act.monotonic), act.key
    shown = card_row(act.key, "Minimum")
    assert (shown is not None) == (not act.monotonic)
    if not act.monotonic:
        lo, x_min = act.infimum()
        slope = autograd_slope(
            act.fn, torch.tensor([float(x_min)], dtype=torch.float64)
        )
        assert abs(slope.item()) < 1e-9, "not a critical point"
        # the card shows it, read back: exactly where sympy found it exactly, else to
        # the decimals it prints
        match = re.fullmatch(r"\$f\((.+)\) = (.+)\$", shown)
        assert match, (act.key, shown)
        x_text, lo_text = match.groups()
        exact = isinstance(x_min, sp.Expr) and x_min.is_Rational and lo.is_Rational
        assert_printed(x_text, x_min if exact else float(x_min), act.key)
        assert_printed(lo_text, lo if exact else float(lo), act.key)
        at = torch.tensor(float(x_min), dtype=torch.float64)
        assert float(act.fn(at)) == pytest.approx(float(lo), abs=1e-12)
        # the printed minimum value is the code's value at the printed x. It checks the
        # printed value only: f is flat at its minimum, so a wrong x moves f(x) too
        # little to tell; assert_printed above checks the printed x against sympy's.
        x_shown, lo_shown = printed_value(x_text)[0], printed_value(lo_text)[0]
        at = torch.tensor(float(x_shown), dtype=torch.float64)
        assert float(act.fn(at)) == pytest.approx(float(lo_shown), abs=5e-5), act.key


def test_hard_swish_minimum_is_exact() -> None:
    """Hard swish's minimum lies on its quadratic piece: sympy finds it exactly."""
    lo, x_min = BY_KEY["hardswish"].infimum()
    quadratic = x * (x + 3) / 6
    assert x_min == sp.solve(sp.diff(quadratic, x), x)[0] and lo == quadratic.subs(
        x, x_min
    )
    assert card_row("hardswish", "Minimum") == (
        f"$f({sp.latex(x_min)}) = {sp.latex(lo)}$"
    )


def test_pieces_kind_stated_for_the_hard_functions() -> None:
    """smooth-modern: hard sigmoid is piecewise linear, hard swish piecewise quadratic."""
    stated = get_facts("act")
    for key, degree in (("hardsigmoid", 1), ("hardswish", 2)):
        act = BY_KEY[key]
        degrees = [sp.degree(p, x) for p, _ in act.checked_expr.args]
        assert max(degrees) == degree
        word = {1: "linear", 2: "quadratic"}[degree]
        assert stated[f"{key}_pieces"] == f"piecewise {word}"
    assert stated["hardswish_pieces"] == "piecewise quadratic"
    page = (ROOT / "docs" / "activations" / "smooth-modern.md").read_text(
        encoding="utf-8"
    )
    assert "piecewise-linear imitations" not in page
    assert "{{ act.hardswish_pieces }}" in page


@pytest.mark.formula
@pytest.mark.parametrize("act", ACTS, ids=IDS)
def test_printed_derivative_equals_sympys_and_autograd(act: Activation) -> None:
    """The derivative on the page (a textbook form where one is given) equals d/dx of the
    formula: exactly by sympy (each sign of x separately where |x| appears), and at points
    against autograd, away from the kinks."""
    printed = act.derivative().subs(act.params).subs(act.constants)
    derived = sp.diff(act.checked_expr, x)
    if act.textbook_derivative is not None:
        assert act.derivative() == act.textbook_derivative
        p = sp.Symbol("p", positive=True)
        # Symbolically on the rays beyond the outermost kinks (x > 0 and x < 0 for a
        # function without kinks), where Abs and the Piecewise conditions resolve ...
        right = sp.nsimplify(max(act.kinks, default=0.0))
        left = sp.nsimplify(min(act.kinks, default=0.0))
        for side in (right + p, left - p):
            diff = sp.nsimplify(
                printed.subs(x, side) - derived.subs(x, side), rational=True
            )
            assert sp.simplify(diff) == 0, (act.key, side)
        # ... and exactly at rational points between the kinks (none are jumps).
        kinks = sorted(sp.nsimplify(k) for k in act.kinks)
        for a, b in itertools.pairwise(kinks):
            for t in (a + (b - a) / 4, (a + b) / 2, b - (b - a) / 4):
                assert sp.simplify(printed.subs(x, t) - derived.subs(x, t)) == 0
    else:
        assert act.derivative() == act.derived_derivative()
    points = [
        t
        for t in GRID[::200].tolist()
        if min((abs(t - k) for k in act.kinks), default=1.0) > 1e-3
    ]
    # evaluated by sympy at each point (lambdify would make a Piecewise's constants float32)
    got = torch.tensor([float(printed.subs(x, t)) for t in points], dtype=torch.float64)
    want = autograd_slope(act.fn, torch.tensor(points, dtype=torch.float64))
    torch.testing.assert_close(got, want, atol=1e-12, rtol=1e-12)


@pytest.mark.claim("sigmoid-tanh-heaviside-has-no-gradient")
def test_binary_step_derivative_is_undefined_at_the_jump() -> None:
    """f'(x) = 0 for x != 0 only: at 0 the printed derivative has no value."""
    d = BY_KEY["binary_step"].derivative()
    assert d.subs(x, 0) is sp.nan and d.subs(x, 1) == 0 and d.subs(x, -1) == 0
    v = torch.tensor([-1.0, 0.0, 1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="not implemented"):
        torch.heaviside(v, torch.ones_like(v)).sum().backward()
    assert "x \\neq 0" in sp.latex(d)
    assert autograd_at_kinks(BY_KEY["binary_step"]) is None
    # ... and its card says so, where another function's gives autograd's values
    shown = card_row("binary_step", "Derivative at kinks (autograd)")
    assert shown.startswith("none: autograd cannot differentiate torch.heaviside;")
    assert card_row("relu", "Derivative at kinks (autograd)").startswith("$f'(0) = 0$")


def autograd_at_kinks(act: Activation) -> torch.Tensor | None:
    """f' at the entry's kinks by autograd of PyTorch's function; None where autograd has
    no derivative for it (torch.heaviside raises). Asks torch directly, as the chapter
    does; not an independent derivation (the printed derivative beside each kink is held
    to autograd in test_derivative_at_and_around_kinks_follows_torch)."""
    k = torch.tensor(act.kinks, dtype=torch.float64, requires_grad=True)
    try:
        (g,) = torch.autograd.grad(act.reference(k).sum(), k)
    except RuntimeError:
        return None
    return g


@pytest.mark.parametrize(
    "act", [a for a in ACTS if a.smoothness == "discontinuous"], ids=lambda a: a.key
)
def test_printed_derivative_has_no_value_at_a_jump(act: Activation) -> None:
    """Where f jumps it has no derivative, so the printed f' is undefined there (as the
    binary step's "x != 0"), and the page prints no value for it."""
    printed = act.derivative().subs(act.params).subs(act.constants)
    for k in act.kinks:
        assert printed.subs(x, sp.nsimplify(k)) is sp.nan, (act.key, k)
    assert "otherwise" not in sp.latex(act.derivative())


def test_printed_forms_use_the_textbook_constants() -> None:
    """Softsign's derivative is 1/(1 + |x|)^2; GELU-tanh prints 0.044715 and sqrt(2/pi)."""
    stated = get_facts("act")
    assert stated["softsign_deriv"] == sp.latex(1 / (1 + sp.Abs(x)) ** 2)
    for key in ("gelu_tanh_def", "gelu_tanh_deriv"):
        assert "0.044715" in stated[key] and "\\sqrt{2/\\pi}" in stated[key], key
        assert "8943" not in stated[key] and "200000" not in stated[key], key
    # SiLU's and Mish's in terms of sigma and softplus, which their sections define
    assert "\\sigma" in stated["silu_deriv"] and "cosh" not in stated["silu_deriv"]
    assert "softplus" in stated["mish_deriv"] and "cosh" not in stated["mish_deriv"]
    act = BY_KEY["gelu_tanh"]
    constants = {str(name): value for name, value in act.constants.items()}
    assert constants["0.044715"] == sp.Rational(44715, 10**6)
    assert constants[r"\sqrt{2/\pi}"] == sp.sqrt(2 / sp.pi)


def test_step_figure_claims_no_autograd_value_at_the_jump() -> None:
    """The step's figure marks no derivative at the jump and its caption says why; every
    other function with kinks has autograd values there, marked as such."""
    import matplotlib.pyplot as plt

    from docs_build.registry import FIGURES, get_facts

    for act in ACTS:
        key = f"{act.key}_plotted_derivative"
        assert f"{{{{ act.{key} }}}}" in FIGURES[f"activations/{act.key}"].caption
        caption = get_facts("act")[key]  # what the caption says of the derivative
        fig = api.figure(f"activations/{act.key}").draw()
        labels = fig.axes[0].get_legend_handles_labels()[1]
        marked = any("at a kink" in label for label in labels)
        plt.close(fig)
        if act.kinks and autograd_at_kinks(act) is None:
            assert not marked and "autograd has no derivative" in caption, act.key
        else:
            assert marked == bool(act.kinks), act.key
            assert "autograd has no derivative" not in caption


@pytest.mark.claim("smooth-modern-softplus-threshold-gap")
def test_softplus_threshold_stated_is_torchs() -> None:
    """F.softplus returns x itself above beta * x > threshold, and the formula below it; the
    card states the defaults and a bound on the gap that holds."""
    act = BY_KEY["softplus"]
    t = {k: get_facts("act")[f"softplus_{k}"] for k in ("beta", "threshold", "gap")}
    t["gap_general"] = get_facts("act")["softplus_gap_general"]
    threshold, beta = float(t["threshold"]), float(t["beta"])
    # the page states PyTorch's defaults, which the entry's parameters hold
    assert threshold == defaults(torch.nn.Softplus)["threshold"]
    assert beta == defaults(torch.nn.Softplus)["beta"]
    assert {k: float(v) for k, v in act.params.items()} == {BETA: beta}
    assert {k: float(v) for k, v in act.torch_params.items()} == {
        THRESHOLD_S: threshold
    }
    above = torch.tensor(
        [threshold + 1e-9, threshold + 0.5, 30.0, 1e3], dtype=torch.float64
    )
    assert torch.equal(act.reference(above), above)
    below = torch.tensor([threshold - 0.5, 10.0, 0.0, -5.0], dtype=torch.float64)
    torch.testing.assert_close(
        act.reference(below), torch.log1p(torch.exp(below)), rtol=1e-15, atol=0
    )
    # the gap derived from the entry's formula: log(1 + e^(b x))/b - x falls as x grows,
    # so where torch returns x (b x > tau) it is largest at x = tau/b, and the page
    # prints it there
    b, tau = BETA, THRESHOLD_S
    assert act.torch_form.args[0] == (x, tau < b * x)  # torch's x above the threshold
    gap_at = act.expr - x
    assert sp.simplify(sp.diff(gap_at, x) + 1 / (1 + sp.exp(b * x))) == 0  # < 0
    general = sp.log(1 + sp.exp(-tau)) / b
    assert sp.simplify(gap_at.subs(x, tau / b) - general) == 0

    def softplus_gap(bv: float, tv: float) -> float:
        """The gap at slope bv and threshold tv to 30 digits (exact rationals: a Float
        1 + e^-threshold would round off the digits the log keeps)."""
        exact = {b: sp.Rational(bv), tau: sp.Rational(tv)}
        return float(general.subs(exact).evalf(30))

    # ... and on torch: at beta != 1 as well, the formula (30 digits) minus F.softplus
    # just past the switch is the code's gap (which is log1p(exp(-tau))/beta, not
    # log1p(exp(-tau/beta)): the two agree only at beta = 1)
    mpmath.mp.dps = 30
    for bv, tv in ((beta, threshold), (0.5, threshold), (2.0, threshold), (3.0, 5.0)):
        at = (tv / bv) * (1 + 1e-15)
        assert bv * at > tv
        assert F.softplus(torch.tensor(at, dtype=torch.float64), bv, tv).item() == at
        exact = mpmath.log1p(mpmath.exp(bv * mpmath.mpf(at))) / bv - mpmath.mpf(at)
        gap = softplus_gap(bv, tv)
        assert math.isclose(float(exact), gap, rel_tol=1e-12), (bv, tv)
        if bv != 1:
            assert not math.isclose(
                math.log1p(math.exp(-tv / bv)), gap, rel_tol=1e-3
            ), (bv, tv)
    exact_gap = softplus_gap(beta, threshold)
    assert math.isclose(
        exact_gap, math.log1p(math.exp(-threshold)) / beta, rel_tol=1e-15
    )
    mantissa, exponent = t["gap"].split(" \\times 10^")
    assert (
        exact_gap <= float(mantissa) * 10 ** int(exponent.strip("{}")) < 1.1 * exact_gap
    )
    assert t["gap_general"] == (
        r"\frac{\log{\left(1 + e^{- \mathrm{threshold}} \right)}}{\beta}"
    )
    assert t["gap_general"] == sp.latex(
        general, symbol_names={tau: r"\mathrm{threshold}"}
    )
    card = get_facts("act")["softplus_card"]
    assert "threshold" in card and t["threshold"] in card
    # the bound on the gap is the prose's claim, with its mark; the card carries none
    assert t["gap"] not in card
    page = (ROOT / "docs" / "activations" / "smooth-modern.md").read_text(
        encoding="utf-8"
    )
    assert (
        "${{ act.softplus_gap_general }}$, their gap at the switch "
        "$x = \\mathrm{threshold}/\\beta$;\nat the defaults, by less than "
        "${{ act.softplus_gap }}$.\n{{ claim smooth-modern-softplus-threshold-gap }}"
        in page
    )


def test_softplus_note_states_torchs_defaults() -> None:
    """The softplus card's Note gives F.softplus's default beta and threshold: read back
    from the page, they are torch.nn.Softplus's signature defaults, and F.softplus called
    without them behaves so (beta as stated, x itself just past threshold/beta). It is the
    only card with a Note: a new one needs a check of its own here."""
    assert [a.key for a in ACTS if card_row(a.key, "Note") is not None] == ["softplus"]
    note = card_row("softplus", "Note")
    match = re.fullmatch(
        r"`F\.softplus` returns \$x\$ itself where \$\\beta x\$ > `threshold` "
        r"\(defaults \$\\beta = (\S+)\$, `threshold` \$= (\S+)\$\)",
        note,
    )
    assert match, note
    beta, threshold = (float(v) for v in match.groups())
    signature = inspect.signature(torch.nn.Softplus).parameters
    assert beta == signature["beta"].default
    assert threshold == signature["threshold"].default
    v = torch.linspace(-5.0, 5.0, 11, dtype=torch.float64)
    assert torch.equal(F.softplus(v), F.softplus(v, beta, threshold))
    past = torch.tensor(threshold / beta * (1 + 1e-15), dtype=torch.float64)
    before = torch.tensor(threshold / beta - 1e-3, dtype=torch.float64)
    assert F.softplus(past).item() == past.item()
    assert F.softplus(before).item() > before.item()  # the formula: x + 2e-9 there


@pytest.mark.claim("smooth-modern-softplus-beta-unchecked")
def test_softplus_beta_is_not_checked() -> None:
    """The formula needs beta > 0, and F.softplus does not check it (float64, ordinary
    inputs): beta = -1 gives negative values, beta = 0 gives inf."""
    v = torch.linspace(-30, 30, 61, dtype=torch.float64)
    neg = F.softplus(v, beta=-1)
    assert (neg < 0).all()
    # what it computes: the formula with beta = -1, or x where -x > threshold
    threshold = defaults(torch.nn.Softplus)["threshold"]
    expected = torch.where(-v > threshold, v, -torch.log1p(torch.exp(-v)))
    torch.testing.assert_close(neg, expected, rtol=1e-15, atol=0)
    assert torch.isinf(F.softplus(v, beta=0)).all()
    assert (F.softplus(v, beta=0) > 0).all()


@pytest.mark.claim("relu-family-selu-moments")
def test_selu_mean_and_variance_are_exact() -> None:
    """sympy integrates SELU's moments exactly: mean 0 and variance 1 to 30 digits, so the
    page's six decimals are 0.000000 and 1.000000; the tests' own quadrature agrees."""
    act = BY_KEY["selu"]
    density = sp.exp(-(x**2) / 2) / sp.sqrt(2 * sp.pi)
    (pos, right), (neg, _) = sp.piecewise_fold(act.expr).args  # x > 0, else
    assert right == (x > 0)
    mean, second = (
        (
            sp.integrate(pos**power * density, (x, 0, sp.oo))
            + sp.integrate(neg**power * density, (x, -sp.oo, 0))
        )
        .subs(act.params)
        .evalf(30)
        for power in (1, 2)
    )
    assert abs(mean) < 1e-25 and abs(second - 1) < 1e-25
    stated = get_facts("act")
    assert stated["selu_digits"] == "6"
    assert stated["selu_exact_mean"] == "0." + "0" * 6
    assert stated["selu_var"] == "1." + "0" * 6
    assert abs(normal_mean(fx.selu)) < 1e-6


@pytest.mark.claim("relu-family-elu-c1-only-for-alpha-1")
def test_relu_family_prose_follows_the_smoothness_property() -> None:
    """relu-family.md names the functions with a kink (slope jumps) and the C1 ones from
    the registry; ELU's slope is continuous at 0 only for alpha = 1, and even then f'' jumps."""
    stated = get_facts("act")
    page = [a for a in ACTS if a.page == "relu-family"]
    kinked = [a for a in page if a.smoothness == "C0"]
    c1 = [a for a in page if a.smoothness == "C1"]
    assert stated["relu_family_kinked"] == titles(kinked)
    assert stated["relu_family_c1"] == titles(c1)
    assert {"elu", "celu"} <= {a.key for a in c1}
    # a function that jumps (Threshold) is in neither list, so it is named on its own
    jumps = [a for a in page if a.smoothness == "discontinuous"]
    assert jumps and stated["relu_family_jumps"] == titles(jumps)
    assert {a.smoothness for a in page} <= {"C0", "C1", "discontinuous"}
    text = (ROOT / "docs" / "activations" / "relu-family.md").read_text(
        encoding="utf-8"
    )
    assert "{{ act.relu_family_jumps }}" in text
    # the overview's legend defines each word the Smooth column prints
    legend = re.sub(
        r"\s+",
        " ",
        (ROOT / "docs" / "activations" / "index.md")
        .read_text(encoding="utf-8")
        .split("- **Smooth**:")[1]
        .split("\n- **")[0],
    )
    printed_words = {card_row(a.key, "Smooth") for a in ACTS}
    assert len(printed_words) == len({a.smoothness for a in ACTS}) == 4
    for printed in printed_words:
        word = re.sub(r"^no \((.*)\)$", r"\1", printed)
        assert printed == "yes" or f'"{word}" means' in legend, printed
    assert "All of them have a" not in text and "smooth at 0" not in text
    assert "{{ act.relu_family_kinked }}" in text and "{{ act.relu_family_c1 }}" in text
    elu = BY_KEY["elu"].expr
    left, right = (sp.diff(p, x).subs(x, 0) for p, _ in reversed(elu.args))
    assert sp.solve(sp.Eq(left, right), alpha) == [
        1
    ]  # slope continuous only for alpha = 1
    left2, right2 = (
        sp.diff(p, x, 2).subs({x: 0, alpha: 1}) for p, _ in reversed(elu.args)
    )
    assert left2 != right2


def introduced(act: Activation) -> str:
    """The card's Introduced in cell as the reader sees it: bibliography keys rendered."""
    return bibliography.render(card_row(act.key, "Introduced in"))


def later_work(act: Activation) -> str:
    """The card's Later work cell as the reader sees it ("" where it has none)."""
    return bibliography.render(card_row(act.key, "Later work") or "")


def test_citations_separate_introduced_from_later_work() -> None:
    """No paper is listed both as introducing a function and as later work on it; the
    usage table has a column for each. Later work says what the paper reports, never that
    it popularized the function (a paper cannot say that of itself)."""
    for act in ACTS:
        assert not set(introduced_by(act)) & set(later_sources(act)), act.key
        for _, what in act.later:
            assert what and "populari" not in what.lower(), act.key
    head = get_facts("act")["usage_table"].splitlines()[0]
    assert "Introduced in" in head and "Later work" in head
    assert "opulari" not in get_facts("act")["usage_table"]
    relu = BY_KEY["relu"]
    assert "Nair & Hinton" not in introduced(relu)
    assert "Nair & Hinton" in later_work(relu)
    card = get_facts("act")["relu_card"]
    assert "Later work" in card and "opulari" not in card


def test_registry_cites_by_bibliography_key() -> None:
    """Every paper the registry names is a bibliography entry (cited by key, so the card,
    the usage table and the page's references link it), or an unlinked source; no
    hand-typed links remain in the registry's citations or summaries."""
    for act in ACTS:
        for source in introduced_by(act) + later_sources(act):
            if isinstance(source, api.Unlinked):
                assert "](" not in source.text and "http" not in source.text, act.key
            else:
                assert source in bibliography.REFERENCES, (act.key, source)
        assert "http" not in act.summary, f"{act.key}: cite by key in the summary"
        for key in bibliography.cited_keys(act.summary):
            assert key in bibliography.REFERENCES, (act.key, key)
    # each card cites them so: keys as placeholders the build links, an unlinked source
    # as its text, one after another; "—" where none is confirmed
    kinds = set()
    for act in ACTS:
        cell = card_row(act.key, "Introduced in")
        sources = introduced_by(act)
        kinds |= {type(s) for s in sources} | ({None} if not sources else set())
        rendered = [
            s.text
            if isinstance(s, api.Unlinked)
            else bibliography.REFERENCES[s].citation()
            for s in sources
        ]
        assert cell == ("; ".join(placeholder(s) for s in sources) or "—"), act.key
        assert introduced(act) == ("; ".join(rendered) or "—"), act.key
        later = card_row(act.key, "Later work")
        assert (later is None) == (not act.later), act.key
        if act.later:
            assert later == "; ".join(f"{placeholder(p)}: {w}" for p, w in act.later)
    assert kinds == {str, api.Unlinked, None}  # the cards show each way
    assert any(len(introduced_by(a)) > 1 for a in ACTS)


def placeholder(source: api.Source) -> str:
    """How a card writes a source: ``{{ cite key }}`` for a key, an unlinked one's text."""
    return (
        source.text if isinstance(source, api.Unlinked) else f"{{{{ cite {source} }}}}"
    )


def test_corrected_citations_stay_corrected() -> None:
    """What the review found: unconfirmed citations removed, origins and popularisers
    separated, and usage claims that the papers' code contradicts."""
    cited = " ".join(introduced(a) + later_work(a) for a in ACTS)
    for unconfirmed in ("Widrow", "Collobert", "Bergstra"):
        assert unconfirmed not in cited
    assert "Rumelhart" in later_work(BY_KEY["sigmoid"])
    assert "Rumelhart" not in introduced(BY_KEY["sigmoid"])
    silu = BY_KEY["silu"]
    assert "Hendrycks & Gimpel" in introduced(silu)
    assert "Ramachandran et al." in later_work(silu)
    # MobileNetV3 uses the ReLU6 form of the hard sigmoid; it does not claim to introduce it
    assert BY_KEY["hardsigmoid"].paper is None
    assert BY_KEY["hardswish"].paper == "howard2019"
    # GPT and GPT-2 compute GELU with the tanh approximation
    assert "GPT" not in BY_KEY["gelu"].use and "GPT-2" in BY_KEY["gelu_tanh"].use
    pages = {
        p: (ROOT / "docs" / "activations" / f"{p}.md").read_text(encoding="utf-8")
        for p in ("relu-family", "smooth-modern")
    }
    assert "8-bit" not in pages["relu-family"]  # not a reason MobileNets gave
    # the MobileNets paper describes ReLU, not ReLU6: MobileNetV2's is the source
    assert (
        "howard2017" not in pages["relu-family"]
        and "sandler2018" in pages["relu-family"]
    )
    assert "proposed by Elfwing" not in pages["smooth-modern"]
    assert "activation of BERT, GPT and" not in pages["smooth-modern"]


def test_table_has_one_row_per_activation() -> None:
    table = get_facts("act")["table"].splitlines()
    assert len(table) == 2 + len(ACTS)
    for act, row in zip(ACTS, table[2:], strict=True):
        assert row.startswith(f"| [{act.title}]({act.page}.md#")


def test_table_rows_show_the_parameter_values_they_hold_for() -> None:
    """A row of a parameterized function (Swish-beta at beta = 2, Threshold at theta = 1,
    v = 0, leaky ReLU at alpha = 0.01, ...) holds for those values only, so the row shows
    each one, and says whether it is PyTorch's default or our choice."""
    table = get_facts("act")["table"].splitlines()
    assert table[0].split("|")[2].strip() == "Parameters"
    for act, row in zip(ACTS, table[2:], strict=True):
        cell = row.split(" | ")[1]
        if not act.params:
            assert cell == "—", act.key
            continue
        assert_params_shown(act, cell.rsplit(" (", 1)[0])
        ours = not card_params_line(act)[0].startswith("PyTorch's")
        assert cell.endswith("(ours)" if ours else "(PyTorch)"), (act.key, cell)
    assert "(ours)" in "".join(r for r in table if "Swish-β" in r and "\\beta = 2" in r)


def assert_params_shown(act: Activation, text: str) -> None:
    """``text`` ("$\\alpha = 0.01$, ...") shows each of the entry's parameter values and
    nothing else: exact, or its first four decimals followed by an ellipsis. An ellipsis
    says the digits go on, so those shown are the value's own leading digits (cut, not
    rounded: SELU's 1.673263... shows as 1.6732...), and an exact value carries none."""
    shown = re.findall(r"\$([^$=]+) = (-?[0-9.]+)(\\ldots)?\$", text)
    assert len(shown) == len(act.params) == len(re.findall(r"\$", text)) // 2, (
        act.key,
        text,
    )
    for (symbol, value), (name, printed, cut) in zip(
        act.params.items(), shown, strict=True
    ):
        assert name == sp.latex(symbol), (act.key, text)
        if cut:
            decimals = printed.partition(".")[2]
            assert len(decimals) == 4, (act.key, text)
            short = sp.Rational(printed)
            assert short != 0, (
                act.key,
                text,
                "no digit shown",
            )  # "0.0000…" says nothing
            assert (short < 0) == (value < 0), (act.key, text)
            assert 0 <= abs(value) - abs(short) < sp.Rational(1, 10**4), (
                act.key,
                text,
            )
            assert float(short) != float(value), (act.key, text, "exact, yet cut")
        else:
            assert float(printed) == float(value), (act.key, text)


def card_params_line(act: Activation) -> tuple[str, str]:
    """(whose values, the values) from the line under the card's formulas: "PyTorch's
    defaults, used in every check and plot: $\\alpha = 1$." read back from the page."""
    card = get_facts("act")[f"{act.key}_card"]
    lines = re.findall(r"^(.*), used in every check and plot: (.*)\.$", card, re.M)
    assert len(lines) == (1 if act.params else 0), act.key
    return lines[0] if lines else ("", "")


@pytest.mark.parametrize("act", ACTS, ids=IDS)
def test_card_states_the_parameter_values_every_check_uses(act: Activation) -> None:
    """The line under a card's formulas gives the values of its parameters (whose choice
    they are, and each value, read back from the page); an entry without parameters has
    no such line. The values are the ones test_code_equals_torch_everywhere_including_kinks
    holds to PyTorch's function; whether they are PyTorch's is
    test_cards_say_pytorchs_values_exactly_where_torch_has_them's to check."""
    source, values = card_params_line(act)
    if not act.params:
        return
    assert source == act.params_source, (act.key, source)
    assert_params_shown(act, values)


# For each entry with parameters whose PyTorch counterpart has them: the class whose
# signature (or, for SELU, whose docstring) holds their values, and each parameter's
# printed symbol with torch's name for it. The tests' own knowledge of torch, written out
# here, not read from the registry. Swish-beta and Squareplus have no counterpart.
TORCH_COUNTERPARTS: dict[str, tuple[type[torch.nn.Module], dict[str, str]]] = {
    "hardtanh": (torch.nn.Hardtanh, {"m": "min_val", "M": "max_val"}),
    "softshrink": (torch.nn.Softshrink, {"lambda": "lambd"}),
    "hardshrink": (torch.nn.Hardshrink, {"lambda": "lambd"}),
    "leaky_relu": (torch.nn.LeakyReLU, {"alpha": "negative_slope"}),
    "prelu": (torch.nn.PReLU, {"a": "init"}),
    "elu": (torch.nn.ELU, {"alpha": "alpha"}),
    "celu": (torch.nn.CELU, {"alpha": "alpha"}),
    "rrelu": (torch.nn.RReLU, {"l": "lower", "u": "upper"}),
    "softplus": (torch.nn.Softplus, {"beta": "beta"}),
    "threshold": (torch.nn.Threshold, {"theta": "threshold", "v": "value"}),
    # fixed, not arguments: its docstring states them, as alpha and scale
    "selu": (torch.nn.SELU, {"alpha": "\\alpha", "lambda": "\\text{scale}"}),
}


def test_cards_say_pytorchs_values_exactly_where_torch_has_them() -> None:
    """A card says its parameter values are "PyTorch's defaults" exactly when torch's
    counterpart takes each of them as an argument with that very default (nn.PReLU's
    init = 0.25, ...); "PyTorch's fixed values" exactly when torch takes none of them and
    its docstring states those values to every digit (SELU); else "Our choice" (Threshold,
    whose arguments have no defaults, and functions torch lacks)."""
    with_params = [a for a in ACTS if a.params]
    assert set(TORCH_COUNTERPARTS) <= {a.key for a in with_params}
    for act in with_params:
        source = card_params_line(act)[0]
        module, names = TORCH_COUNTERPARTS.get(act.key, (None, {}))
        values = {s.name: v for s, v in act.params.items()}
        if module is None:
            assert source.startswith("Our choice"), (act.key, source)
            continue
        assert set(names) == set(values), act.key
        signature = inspect.signature(module).parameters
        torch_defaults = {
            s: signature[arg].default if arg in signature else None
            for s, arg in names.items()
        }
        if all(
            d not in (None, inspect.Parameter.empty) for d in torch_defaults.values()
        ):
            assert source.startswith("PyTorch's defaults"), (act.key, source)
            for s, default in torch_defaults.items():
                assert float(values[s]) == default, (act.key, s, values[s], default)
        elif all(d is None for d in torch_defaults.values()):
            assert source.startswith("PyTorch's fixed values"), (act.key, source)
            # ... nor does the function the entry is checked against (F.selu)
            taken = inspect.signature(act.reference).parameters
            assert not set(names.values()) & set(taken), (act.key, list(taken))
            doc = module.__doc__ or ""
            for s, tex in names.items():
                (digits,) = re.findall(rf":math:`{re.escape(tex)} = ([0-9.]+)`", doc)
                assert values[s] == sp.Float(digits, 30), (act.key, s, digits)
        else:
            assert source.startswith("Our choice"), (act.key, source)


@pytest.mark.parametrize("act", ACTS, ids=IDS)
def test_each_activation_has_its_card_and_figure_on_its_page(
    act: Activation,
) -> None:
    """Placed by hand (card, figure and heading all in the page), or else generated whole
    by the page's {{ act_pages.<page> }} placeholder."""
    text = (ROOT / "docs" / "activations" / f"{act.page}.md").read_text(
        encoding="utf-8"
    )
    fig = f"{{{{ figure activations/{act.key} }}}}"
    heading = f"## {act.title} {{ #{act.anchor} }}"
    generated = get_facts("act_pages")[act.page]
    card = get_facts("act")[f"{act.key}_card"]
    if placed_by_hand(act, text):
        assert fig in text and heading in text
        assert heading not in generated and card not in generated
    else:
        assert fig not in text and heading not in text, (
            "place all three by hand, or none"
        )
        assert heading in generated and fig in generated and card in generated


def placed_by_hand(act: Activation, page_text: str) -> bool:
    """Whether its page writes the card itself: the page's text places the card's fact.
    Reads the page's text, as the chapter does; not an independent derivation."""
    return f"{{{{ act.{act.key}_card }}}}" in page_text


@pytest.mark.parametrize("page", api.PAGES)
def test_each_family_page_ends_with_its_generated_sections(page: str) -> None:
    text = (ROOT / "docs" / "activations" / f"{page}.md").read_text(encoding="utf-8")
    # only the page's exercises and its list of references may follow them
    body = text.rstrip().removesuffix("{{ references }}").rstrip()
    body = body.removesuffix("## References").rstrip()
    body = body.split("\n## Exercises\n")[0].rstrip()
    assert body.endswith(f"{{{{ act_pages.{page} }}}}"), (
        f"{page}.md: only ## Exercises and ## References may follow the generated sections"
    )
    assert {a.page for a in ACTS} == set(api.PAGES)


def test_generated_sections_are_the_rest_in_registry_order() -> None:
    """Each family page's generated text is one section per function it does not place
    by hand, in registry order: its heading, summary, card and figure, then, without
    from-scratch code, a note saying what the plot and checks use instead."""
    generated = get_facts("act_pages")
    stated = get_facts("act")
    for page in api.PAGES:
        text = (ROOT / "docs" / "activations" / f"{page}.md").read_text(
            encoding="utf-8"
        )
        extra = [a for a in ACTS if a.page == page and not placed_by_hand(a, text)]
        sections = generated_sections(generated[page])
        assert [heading for heading, _ in sections] == [
            f"## {a.title} {{ #{a.anchor} }}" for a in extra
        ], page
        for a, (_, body) in zip(extra, sections, strict=True):
            parts = [a.summary] if a.summary else []
            parts += [
                stated[f"{a.key}_card"].rstrip(),
                f"{{{{ figure activations/{a.key} }}}}",
            ]
            assert body.startswith("\n\n".join(parts)), a.key
            rest = body.removeprefix("\n\n".join(parts))
            if a.scratch is None:
                assert rest.startswith(
                    "\n\n`snippets/activations/functions.py` has no "
                    f"from-scratch {a.title} yet. The plot and every check use the formula "
                    "above, evaluated in PyTorch, and compare it"
                ), a.key
                assert "[welcome contribution](../about/contributing.md#" in rest
            else:
                assert rest == "", a.key


def generated_sections(text: str) -> list[tuple[str, str]]:
    """A family page's generated text as (heading, the rest) per ``## `` section."""
    if not text:
        return []
    assert text.startswith("## "), text[:80]
    chunks = re.split(r"(?m)^(?=## )", text)
    return [
        (c.split("\n", 1)[0], c.split("\n\n", 1)[1].removesuffix("\n\n"))
        for c in chunks
        if c
    ]


MEAN = "Mean output $\\mathbb{E}[f(Z)]$, $Z \\sim \\mathcal{N}(0, 1)$"


@pytest.mark.parametrize("act", ACTS, ids=IDS)
def test_card_and_table_state_the_mean_without_a_negative_zero(act: Activation) -> None:
    """The mean for standard-normal input, to 3 decimals, is the tests' own quadrature's.
    An odd function's mean is exactly 0 (f(-z) = -f(z) against an even density; oddness
    is checked above), but a quadrature leaves it at +-1e-17, its sign set by the CPU's
    kernels: so each odd function's card and table row must read exactly 0.000, whatever
    the sign, never -0.000. (Whether the chapter's own quadrature comes out negative here
    is up to the machine; this states what must hold on any.)"""
    mean = normal_mean(act.fn)
    stated = [
        card_row(act.key, MEAN),
        table_row(act)["Mean $\\mathbb{E}[f(Z)]$"],
        get_facts("act")[f"{act.key}_mean"],
    ]
    if act.odd:
        assert abs(mean) < 1e-12, (act.key, mean)
        assert stated == ["0.000"] * len(stated), act.key
        return
    # SELU's mean is exactly 0 too (its own test), and may round to -0.000 as well
    want = f"{mean:.3f}"
    want = "0.000" if want == "-0.000" else want
    assert stated == [want] * len(stated), (act.key, mean)


def test_no_negative_zero_in_the_chapters_facts() -> None:
    """No card, table or stated number of the chapter prints -0.000 (at any precision)."""
    for namespace in ("act", "act_pages", "stable"):
        for key, text in get_facts(namespace).items():
            assert not re.search(r"-0\.0+(?![0-9])", text), (namespace, key)


def table_row(act: Activation) -> dict[str, str]:
    """The overview table's row for the entry, by column header."""
    head, _, *rows = get_facts("act")["table"].splitlines()
    names = [c.strip() for c in head.strip("|").split(" | ")]
    (row,) = [r for r in rows if r.startswith(f"| [{act.title}]({act.page}.md#")]
    cells = [c.strip() for c in row.strip("|").split(" | ")]
    return dict(zip(names, cells, strict=True))


# the card's words for the entry's flags and its smoothness class
YES = {True: "yes", False: "no"}
SMOOTH = {
    "discontinuous": "no (jump)",
    "C0": "no (kinks)",
    "C1": "C¹ only",
    "Cinf": "yes",
}


@pytest.mark.parametrize("act", ACTS, ids=IDS)
def test_card_and_table_state_the_entrys_properties(act: Activation) -> None:
    """Each card shows its entry's formula, derivative and declared properties (which the
    tests above check), the values autograd returns at its kinks, and its use; its row of
    the overview table repeats them."""
    stated = get_facts("act")
    card = stated[f"{act.key}_card"]
    assert card.startswith(
        f"$$\nf(x) = {stated[f'{act.key}_def']}\n$$\n\n"
        f"$$\nf'(x) = {stated[f'{act.key}_deriv']}\n$$\n"
    )
    assert stated[f"{act.key}_def"] == sp.latex(act.expr)
    assert stated[f"{act.key}_deriv"] == sp.latex(act.derivative())
    # f(0): sympy's exact value, printed as sympy prints it (as the chapter does: not an
    # independent derivation), and that value is the code's at 0 (the tests' own check)
    exact_at_zero = act.checked_expr.subs(x, 0)
    at_zero = f"${sp.latex(exact_at_zero)}$"
    zero = torch.zeros(1, dtype=torch.float64)
    assert abs(float(exact_at_zero) - act.fn(zero).item()) < 1e-12, act.key
    # Bounded: read off the card's own printed Range (its ends, checked against the
    # entry's bounds in test_range_is_tight_and_closedness_is_right)
    lowest, highest = printed_range_ends(act.key)
    bounded = {
        (True, True): "yes",
        (True, False): "below only",
        (False, True): "above only",
        (False, False): "no",
    }[(lowest != -sp.oo, highest != sp.oo)]
    rows = {
        "Monotonic": YES[act.monotonic],
        "Bounded": bounded,
        "$f(0)$": at_zero,
        "Odd, $f(-x) = -f(x)$": YES[act.odd],
        "Smooth": SMOOTH[act.smoothness],
        "Used for": act.use,
    }
    for name, value in rows.items():
        assert card_row(act.key, name) == value, (act.key, name)
    kinks = card_row(act.key, "Derivative at kinks (autograd)")
    slopes = autograd_at_kinks(act) if act.kinks else None
    if not act.kinks:
        assert kinks == "no kinks"
    elif slopes is not None:
        # read back: "= v" only where autograd's value is v exactly, else "\\approx v"
        # within half a unit of v's last printed digit
        shown = re.findall(r"\$f'\((-?[\d.]+)\) (=|\\approx) (-?[\d.]+)\$", kinks)
        assert [float(k) for k, _, _ in shown] == list(act.kinks), (act.key, kinks)
        for (_, sign, text), g in zip(shown, slopes.tolist(), strict=True):
            if sign == "=":
                assert float(text) == g, (act.key, text, g)
            else:
                decimals = len(text.partition(".")[2])
                assert float(text) != g, (act.key, text, g)
                assert abs(float(text) - g) <= 0.5 * 10**-decimals + 1e-12, (act.key, g)
        if act.convention:
            assert kinks.endswith(f"; {act.convention}"), act.key
    row = table_row(act)
    assert row["Range"] == card_row(act.key, "Range")
    assert row["Monotonic"] == YES[act.monotonic] and row["Odd"] == YES[act.odd]
    assert row["Value $f(0)$"] == at_zero and row["Smooth"] == SMOOTH[act.smoothness]
    assert row["Saturates"] == card_row(act.key, "Saturates (slope → 0)")
    assert int(row["exp/log/tanh/erf calls"]) == stated_calls(act.key)
    assert stated_calls(act.key) == calls_counted_by_sympy(act.expr), act.key


def calls_counted_by_sympy(expr: sp.Expr) -> int:
    """exp, log, tanh and erf calls in a formula, by sympy's operation count (count_ops).
    Not an independent reading: like the chapter's walk over the formula's tree, it counts
    each call where it occurs in sympy's form of the formula, so the two agree on every
    formula; it guards the walk's code, not what counts as a call. sympy's form has
    already merged equal terms: exp(x) + exp(x) is stored as 2 exp(x), one call, while
    exp(x) / (exp(x) + 1) writes the same call twice and counts two."""
    ops = sp.count_ops(expr, visual=True)
    return int(
        sum(ops.coeff(sp.Symbol(name)) for name in ("EXP", "LOG", "TANH", "ERF"))
    )


def test_operation_count_sees_each_call() -> None:
    """The count finds a call inside a Piecewise piece (ELU's one exp), counts distinct
    calls (exp(x) + exp(-x): two), a call written twice in a product twice, and a sum of
    equal calls once, as sympy stores it: 2 exp(x)."""
    assert calls_counted_by_sympy(BY_KEY["elu"].expr) == 1
    assert calls_counted_by_sympy(sp.exp(x) + sp.exp(-x)) == 2
    assert calls_counted_by_sympy(sp.exp(x) / (sp.exp(x) + 1)) == 2
    assert calls_counted_by_sympy(sp.exp(x) + sp.exp(x)) == 1
    assert calls_counted_by_sympy(sp.erf(x) * sp.log(x) + sp.tanh(x)) == 3


# Every kind of node the registry's formulas are built from (sympy's classes): the four
# counted calls, and what costs no call (arithmetic, powers with constant exponents, |x|,
# pieces and their conditions). sinh, 2**x, erfc or log1p would count 0 unseen.
FORMULA_NODES = (
    *(sp.exp, sp.log, sp.tanh, sp.erf),
    *(sp.Add, sp.Mul, sp.Pow, sp.Abs, sp.Piecewise, ExprCondPair, sp.Or),
    *(sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan),
)


def test_formulas_call_only_the_functions_the_count_knows() -> None:
    """The exp/log/tanh/erf count is a proxy for cost only if nothing else is called: each
    entry's formula is built from FORMULA_NODES, and its powers have exponents free of x
    (2**x is an exp in disguise)."""
    for act in ACTS:
        for node in sp.preorder_traversal(act.expr):
            if node.is_Atom:
                continue
            assert type(node) in FORMULA_NODES, (act.key, type(node).__name__, node)
            if isinstance(node, sp.Pow):
                assert not node.exp.has(x), (act.key, node)


# The transcendental functions the pages say a function's code does without.
TRANSCENDENTAL = re.compile(r"\b(exp|expm1|log|log1p|tanh|erf|sigmoid|softplus)\(")


@pytest.mark.claim(
    "index-mobile-functions-need-no-exp",
    "sigmoid-tanh-softsign-needs-no-exp",
    "smooth-modern-hard-functions-need-no-exp",
    "smooth-modern-mish-most-transcendental-calls",
)
def test_transcendental_calls_stated_on_the_pages() -> None:
    """Softsign, ReLU6, hard sigmoid and hard swish need no exp (nor log, tanh, erf): their
    formulas call none and neither does their code; Mish's formula calls the most."""
    for key in ("softsign", "relu6", "hardsigmoid", "hardswish"):
        act = BY_KEY[key]
        assert stated_calls(key) == 0, key
        code = inspect.getsource(act.scratch)
        assert not TRANSCENDENTAL.search(code), (key, TRANSCENDENTAL.search(code))
    calls = {a.key: stated_calls(a.key) for a in ACTS}
    assert calls["mish"] == max(calls.values()) == 3
    assert [k for k, n in calls.items() if n == calls["mish"]] == ["mish"]
    assert get_facts("act")["mish_calls"] == str(calls["mish"])
    # the check can fail: SiLU's code calls the sigmoid
    assert TRANSCENDENTAL.search(inspect.getsource(fx.silu))


@pytest.mark.claim("relu-family-elu-mean-closer-to-zero")
def test_elu_mean_is_closer_to_zero_than_relus() -> None:
    """ELU's negative outputs pull its mean for standard-normal input toward 0: below
    ReLU's and still positive, as the page's two numbers show."""
    elu, relu = (normal_mean(BY_KEY[k].fn) for k in ("elu", "relu"))
    assert 0 < elu < relu
    stated = get_facts("act")
    assert 0 < float(stated["elu_mean"]) < float(stated["relu_mean"])


@pytest.mark.claim("sigmoid-tanh-hardtanh-zero-gradient")
def test_hardtanh_gradient_is_zero_outside_and_at_the_corners() -> None:
    """Hardtanh's gradient is exactly 0 outside [-1, 1] and, in PyTorch and ours, at -1 and
    1 themselves; inside, it is exactly 1."""
    act = BY_KEY["hardtanh"]
    outside = torch.tensor(
        [-1e3, -2.0, -1.0 - 1e-9, 1.0 + 1e-9, 2.0, 1e3], dtype=torch.float64
    )
    corners = torch.tensor([-1.0, 1.0], dtype=torch.float64)
    inside = torch.tensor([-1.0 + 1e-9, 0.0, 0.5, 1.0 - 1e-9], dtype=torch.float64)
    for fn in (act.reference, act.scratch):
        for v in (outside, corners):
            assert (autograd_slope(fn, v) == 0).all()
        assert (autograd_slope(fn, inside) == 1).all()


@pytest.mark.claim("smooth-modern-mish-dips-deeper-than-silu")
def test_mish_dips_slightly_deeper_than_silu() -> None:
    """Mish's minimum lies below SiLU's, by less than 0.05 ("slightly"), and both are the
    grid's minima of the code the site plots."""
    mish, silu = (float(BY_KEY[k].infimum()[0]) for k in ("mish", "silu"))
    assert silu - 0.05 < mish < silu
    for key, lo in (("mish", mish), ("silu", silu)):
        grid_min = BY_KEY[key].fn(GRID).min().item()
        assert abs(grid_min - lo) < 1e-6, key
    stated = get_facts("act")
    assert float(stated["mish_min"]) < float(stated["silu_min"])
    assert stated["mish_min"] == f"{mish:.4f}" and stated["silu_min"] == f"{silu:.4f}"


@pytest.mark.claim(
    "sigmoid-tanh-bounded-but-the-identity", "smooth-modern-most-dip-below-zero"
)
def test_family_page_intros_hold() -> None:
    """sigmoid-tanh: every function but the identity is bounded on both sides.
    smooth-modern: most of its functions dip below 0 and come back up (not monotonic, with
    a negative interior minimum)."""
    classic = [a for a in ACTS if a.page == "sigmoid-tanh"]
    unbounded = []
    for act in classic:
        lo, _ = act.infimum()
        f = act.fn(torch.tensor([-1e6, 1e6], dtype=torch.float64))
        bounded = lo != -sp.oo and act.upper != sp.oo
        assert bounded == bool(f.abs().max() < 1e3), act.key  # the fields are right
        if not bounded:
            unbounded.append(act)
    assert unbounded[0].key == "identity"
    assert get_facts("act")["sigmoid_tanh_unbounded"] == titles(unbounded)
    page = (ROOT / "docs" / "activations" / "sigmoid-tanh.md").read_text(
        encoding="utf-8"
    )
    assert "All but {{ act.sigmoid_tanh_unbounded }} are\nbounded" in page
    modern = [a for a in ACTS if a.page == "smooth-modern"]
    dips = [a for a in modern if not a.monotonic]
    assert len(dips) > len(modern) / 2
    for act in dips:
        lo, x_min = act.infimum()
        assert float(lo) < 0 and float(x_min) < 0, act.key
        far = torch.tensor([-1e3], dtype=torch.float64)
        assert abs(act.fn(far).item()) < 1e-6, act.key  # and come back up to 0


@pytest.mark.claim("smooth-modern-softplus-derivative-is-the-sigmoid")
def test_softplus_derivative_is_the_sigmoid() -> None:
    """d/dx log(1 + e^(beta x))/beta = sigma(beta x): exactly by sympy for every beta, and
    by autograd of F.softplus(x, beta) for several."""
    act = BY_KEY["softplus"]
    sigmoid = BY_KEY["sigmoid"].expr
    assert sp.simplify(sp.diff(act.expr, x) - sigmoid.subs(x, BETA * x)) == 0
    assert sp.simplify(act.derivative() - sigmoid.subs(x, BETA * x)) == 0
    v = torch.linspace(-15, 15, 301, dtype=torch.float64)
    torch.testing.assert_close(autograd_slope(act.fn, v), torch.sigmoid(v))
    for b in (0.1, 0.5, 2.0, 5.0):
        got = autograd_slope(lambda t, b=b: F.softplus(t, beta=b), v)
        # above beta x > threshold torch's slope is 1, not the sigmoid (the other claim)
        below = b * v <= defaults(torch.nn.Softplus)["threshold"]
        torch.testing.assert_close(got[below], torch.sigmoid(b * v)[below])


@pytest.mark.parametrize("b", [0.1, 0.25, 0.5, 1.0, 2.0, 3.7, 5.0])
def test_softplus_with_beta_matches_torch(b: float) -> None:
    """The registry's softplus with slope beta, evaluated exactly (mpmath, 30 digits), is
    F.softplus(x, beta=beta) in float64 where torch computes the formula (beta x <=
    threshold), and its printed derivative is torch's autograd there; above, torch
    returns x (the card's note)."""
    act = BY_KEY["softplus"]
    threshold = defaults(torch.nn.Softplus)["threshold"]
    beta = sp.Rational(str(b))  # exactly the float64 b's decimal
    f = sp.lambdify(x, act.expr.subs(BETA, beta), "mpmath")
    df = sp.lambdify(x, act.derivative().subs(BETA, beta), "mpmath")
    v = torch.linspace(-40.0, threshold, 2001, dtype=torch.float64) / b
    mpmath.mp.dps = 30
    exact_f = torch.tensor([float(f(mpmath.mpf(t))) for t in v.tolist()], dtype=v.dtype)
    exact_df = torch.tensor(
        [float(df(mpmath.mpf(t))) for t in v.tolist()], dtype=v.dtype
    )
    # 1e-12 relative, the explorer's bar: torch rounds beta x, which e^(beta x) turns
    # into |beta x| ulp (2e-14 relative at beta x = -40)
    torch.testing.assert_close(F.softplus(v, beta=b), exact_f, rtol=1e-12, atol=0)
    auto = autograd_slope(lambda t: F.softplus(t, beta=b), v)
    torch.testing.assert_close(auto, exact_df, rtol=1e-12, atol=0)
    above = torch.tensor([threshold + 0.5, 2 * threshold], dtype=torch.float64) / b
    assert torch.equal(F.softplus(above, beta=b), above)


def test_celu_slope_is_continuous_for_every_alpha() -> None:
    """CELU's summary: its negative piece has slope 1 at 0 for every alpha; ELU's has
    slope alpha there."""
    for key, slope_at_0 in (("celu", 1), ("elu", alpha)):
        (pos, _), (neg, _) = BY_KEY[key].expr.args
        assert sp.diff(pos, x).subs(x, 0) == 1
        assert sp.simplify(sp.diff(neg, x).subs(x, 0) - slope_at_0) == 0, key


# the functions with no from-scratch code whose sections the pages generate (a page that
# places a section by hand writes its note itself)
FORMULA_ONLY = [
    a
    for a in ACTS
    if a.scratch is None
    and not placed_by_hand(
        a, (ROOT / "docs" / "activations" / f"{a.page}.md").read_text(encoding="utf-8")
    )
]


@pytest.mark.parametrize("act", FORMULA_ONLY, ids=[a.key for a in FORMULA_ONLY])
def test_generated_text_names_torchs_public_function(act: Activation) -> None:
    """A reader can call the name the page gives a function with no from-scratch code:
    ``torch.nn.functional.logsigmoid``, not the private ``torch._C._nn.log_sigmoid`` the
    function is defined in; where PyTorch has none, the page says so."""
    named = compared_with(act)
    if not named.startswith("`"):  # only when torch.nn.functional has no such name
        assert named == (
            "a reference written with torch operations, as PyTorch has no " + act.title
        )
        function = inspect.unwrap(act.reference)
        for module in (F, torch):
            assert not any(getattr(module, a) is function for a in dir(module))
        return
    path = named.strip("`")
    assert "._" not in path and path.startswith(("torch.nn.functional.", "torch."))
    target = __import__("torch")
    for part in path.split(".")[1:]:
        target = getattr(target, part)
    assert target is inspect.unwrap(act.reference)


def compared_with(act: Activation) -> str:
    """What the generated section of a function with no from-scratch code says its plot
    and checks are compared with: PyTorch's function by name, or a reference."""
    section = dict(generated_sections(get_facts("act_pages")[act.page]))
    body = section[f"## {act.title} {{ #{act.anchor} }}"]
    (found,) = re.findall(r"compare it and its derivative with (.*?)\. Writing", body)
    return found


@pytest.mark.claim("relu-family-rrelu-random-in-training")
def test_rrelu_is_random_in_training_and_leaky_relu_in_eval() -> None:
    """RReLU's section: in training two calls on the same negative input differ and the
    slope is drawn uniformly from [l, u]; in evaluation mode it is leaky ReLU with slope
    (l + u)/2, PyTorch's own defaults."""
    act = BY_KEY["rrelu"]
    defaults = inspect.signature(torch.nn.functional.rrelu).parameters
    lower, upper = defaults["lower"].default, defaults["upper"].default
    assert act.params == {
        LOWER_S: sp.Rational(1, 8),
        UPPER_S: sp.Rational(1, 3),
    }
    assert math.isclose(float(act.params[LOWER_S]), lower)
    assert math.isclose(float(act.params[UPPER_S]), upper)
    assert defaults["training"].default is False  # the function's default is eval mode
    v = -torch.linspace(0.1, 5.0, 1000, dtype=torch.float64)
    torch.manual_seed(0)
    first = torch.nn.functional.rrelu(v, training=True)
    second = torch.nn.functional.rrelu(v, training=True)
    assert not torch.equal(first, second)
    slopes = torch.cat([first, second]) / torch.cat([v, v])
    assert bool(((slopes >= lower) & (slopes <= upper)).all())
    # "drawn uniformly": the empirical distribution of 20 000 slopes against U(l, u), by
    # the Kolmogorov-Smirnov distance D. For n uniform draws P(D > e) <= 2 exp(-2 n e^2)
    # (Dvoretzky-Kiefer-Wolfowitz, with Massart's constant), so a uniform sampler exceeds
    # e = 0.02 with probability below 1e-6; the seed is fixed, so the run is reproducible.
    n = 20_000
    torch.manual_seed(1)
    module = torch.nn.RReLU().train()
    drawn = module(-torch.ones(n, dtype=torch.float64)) / -1.0
    assert bool(((drawn >= lower) & (drawn <= upper)).all())
    u = ((drawn - lower) / (upper - lower)).sort()[0]
    i = torch.arange(1, n + 1, dtype=torch.float64)
    ks = max((i / n - u).max().item(), (u - (i - 1) / n).max().item())
    assert 2 * math.exp(-2 * n * 0.02**2) < 1e-6
    assert ks < 0.02, ks
    # ... and it is not just in range: a draw from half the range fails the same bound
    half = ((drawn - lower) / 2 / (upper - lower)).sort()[0]
    assert max((i / n - half).max().item(), (half - (i - 1) / n).max().item()) > 0.02
    module.eval()
    torch.testing.assert_close(
        module(-torch.ones(3, dtype=torch.float64)),
        -torch.full((3,), (lower + upper) / 2, dtype=torch.float64),
        atol=0,
        rtol=0,
    )
    grid = torch.linspace(-5, 5, 1001, dtype=torch.float64)
    want = torch.nn.functional.leaky_relu(grid, (lower + upper) / 2)
    for _ in range(2):
        torch.testing.assert_close(
            torch.nn.functional.rrelu(grid, training=False), want, atol=0, rtol=0
        )
    torch.testing.assert_close(act.fn(grid), want, atol=1e-15, rtol=0)
    slope = sp.Rational(1, 8) / 2 + sp.Rational(1, 3) / 2
    assert get_facts("act")["rrelu_slope"] == sp.latex(slope) == r"\frac{11}{48}"


@pytest.mark.claim("smooth-modern-quick-gelu-error")
def test_quick_gelu_error_against_gelu_is_below_the_stated_bound() -> None:
    """QuickGELU's summary: |x sigma(1.702 x) - GELU(x)| < the stated bound everywhere,
    and the bound is tight (the gap comes within one unit of its last digit)."""
    stated = float(get_facts("act")["quick_gelu_bound"])
    page = (ROOT / "docs" / "activations" / "smooth-modern.md").read_text(
        encoding="utf-8"
    )
    assert "by less than {{ act.quick_gelu_bound }} for every input" in page
    # |x| <= 10 on a grid of step 1e-5, refined near the worst point to step 1e-8
    grid = torch.linspace(-10.0, 10.0, 2_000_001, dtype=torch.float64)
    gaps = (grid * torch.sigmoid(1.702 * grid) - F.gelu(grid)).abs()
    gap, at = gaps.max().item(), grid[gaps.argmax()].item()
    fine = torch.linspace(at - 1e-4, at + 1e-4, 20001, dtype=torch.float64)
    exact = fine / 2 * (1 + torch.erf(fine / math.sqrt(2)))
    worst = (fine * torch.sigmoid(1.702 * fine) - exact).abs().max().item()
    assert worst < stated and gap < stated
    assert worst > stated - 0.001  # the stated bound rounds the gap up by < 1e-3
    # beyond |x| = 10: QuickGELU within 1e-6 of ReLU, GELU within 1e-20
    far = torch.tensor([-1e6, -10.0, 10.0, 1e6], dtype=torch.float64)
    relu = torch.relu(far)
    assert (BY_KEY["quick_gelu"].fn(far) - relu).abs().max() < 1e-6
    assert (torch.nn.functional.gelu(far) - relu).abs().max() < 1e-20


@pytest.mark.claim("smooth-modern-swish-beta-special-cases")
def test_swish_beta_is_silu_and_quick_gelu_at_their_betas() -> None:
    """Swish-beta's summary: beta = 1 gives SiLU and beta = 1.702 QuickGELU, exactly."""
    swish = BY_KEY["swish_beta"].expr
    silu = BY_KEY["silu"].checked_expr
    quick = BY_KEY["quick_gelu"].checked_expr
    assert sp.simplify(swish.subs(BETA, 1) - silu) == 0
    assert sp.simplify(swish.subs(BETA, sp.Rational(1702, 1000)) - quick) == 0
    plotted = int(get_facts("act")["swish_beta"])  # the beta the page plots
    assert BY_KEY["swish_beta"].params[BETA] == plotted != 1


THRESHOLD_CASES = [
    (theta, v)
    for theta in (-1.5, 0.0, 1.0, 2.5)
    for v in (theta - 2.0, theta - 0.25, theta, theta + 0.25, theta + 3.0, 0.0)
]


@pytest.mark.claim("relu-family-threshold-conditions")
def test_threshold_is_monotonic_iff_v_le_theta_and_continuous_iff_equal() -> None:
    """Threshold's section: monotonic only when v <= theta, continuous only when
    v = theta (then max(x, theta)); the card's properties follow from our theta = 1,
    v = 0, which the page states."""
    theta_s, v_s = sp.symbols("theta v", real=True)
    f = BY_KEY["threshold"].expr.subs({THETA: theta_s, VALUE_S: v_s})
    # by sympy: the limit from above at theta is theta, the value there is v
    p = sp.Symbol("p", positive=True)
    assert sp.limit(f.subs(x, theta_s + p), p, 0, "+") == theta_s
    assert f.subs(x, theta_s) == v_s
    assert f.subs(x, theta_s - p) == v_s
    # with v = theta: max(x, theta) on either side
    assert f.subs(v_s, theta_s).subs(x, theta_s + p) == theta_s + p
    assert f.subs(v_s, theta_s).subs(x, theta_s - p) == theta_s
    # on a grid, in PyTorch, for several (theta, v)
    for theta, v in THRESHOLD_CASES:
        grid = torch.linspace(-6.0, 6.0, 24_001, dtype=torch.float64)  # step 5e-4
        grid = torch.cat([grid, torch.tensor([theta], dtype=torch.float64)]).sort()[0]
        y = torch.nn.functional.threshold(grid, theta, v)
        steps = y.diff()
        monotonic = bool((steps >= 0).all())
        continuous = steps.abs().max().item() < 1e-2  # the slope is at most 1
        assert monotonic == (v <= theta), (theta, v)
        assert continuous == (v == theta), (theta, v)
        if v == theta:
            torch.testing.assert_close(y, grid.clamp(min=theta), atol=0, rtol=0)
    # our choice, as the page states it, gives the card's properties
    act = BY_KEY["threshold"]
    assert act.params == {THETA: 1, VALUE_S: 0}
    at = torch.tensor([0.5, 1.0, 1.0 + 1e-9, 3.0], dtype=torch.float64)
    expected = torch.tensor([0.0, 0.0, 1.0 + 1e-9, 3.0], dtype=torch.float64)
    assert torch.equal(act.reference(at), expected)  # threshold 1, value 0 in torch too
    assert act.monotonic and act.smoothness == "discontinuous"
    page = (Path(__file__).parents[2] / "docs/activations/relu-family.md").read_text(
        encoding="utf-8"
    )
    assert "use $\\theta = 1$ and $v = 0$" in page
    assert "monotonic\nonly when $v \\le \\theta$" in page
    assert "continuous only when $v = \\theta$" in page


def test_use_cells_cite_a_source_or_say_what_the_formula_does() -> None:
    """A "Used for" cell that names where a function is used cites a source for it; the
    shrink functions' cells, which cite none, say only what the formula does (checked
    here against PyTorch), not where it is used."""
    for key in ("quick_gelu", "swish_beta"):
        keys = bibliography.cited_keys(BY_KEY[key].use)
        assert keys and all(k in bibliography.REFERENCES for k in keys), key
    assert "openai2021" in bibliography.cited_keys(BY_KEY["quick_gelu"].use)
    grid = torch.linspace(-3, 3, 6001, dtype=torch.float64)
    lam = 0.5
    inside = grid.abs() <= lam
    for key, rest in (
        ("softshrink", grid - lam * grid.sign()),
        ("hardshrink", grid),
    ):
        act = BY_KEY[key]
        assert act.paper is None and not bibliography.cited_keys(act.use)
        assert act.use.startswith("Setting inputs within λ of 0 to 0"), act.use
        assert float(act.params[LAMBDA]) == lam
        y = act.reference(grid)
        assert bool((y[inside] == 0).all())
        torch.testing.assert_close(y[~inside], rest[~inside], atol=1e-15, rtol=0)
    assert "shrinking the rest by λ" in BY_KEY["softshrink"].use
    assert "keeping the rest" in BY_KEY["hardshrink"].use
    for act in ACTIVATIONS:
        assert "sparse coding" not in act.use.lower()
        assert "studies of" not in act.use.lower()


# How each relative on the ReLU page differs from ReLU, as the page's intro sorts them:
# below the cut-off at 0, above it, and whether it moves the cut-off.
RELU_RELATIVES = {
    "leaky_relu": ("below",),
    "prelu": ("below",),
    "elu": ("below",),
    "selu": ("below", "above"),
    "relu6": ("above",),
    "celu": ("below",),
    "relu_squared": ("above",),
    "rrelu": ("below",),
    "threshold": ("above", "moves"),
}


@pytest.mark.claim("relu-family-relatives-change")
def test_relu_relatives_change_below_above_or_the_cut_off() -> None:
    """The ReLU page's intro: each relative changes what ReLU does below 0, above 0, or
    both, or moves the cut-off; not every one changes the negative inputs (squared ReLU,
    ReLU6 and Threshold keep ReLU's 0 there)."""
    on_page = {a.key for a in ACTS if a.page == "relu-family" and a.key != "relu"}
    assert on_page == set(RELU_RELATIVES)
    grid = torch.linspace(-6, 8, 14_001, dtype=torch.float64)
    relu = torch.relu(grid)
    for key, ways in RELU_RELATIVES.items():
        act = BY_KEY[key]
        differs = (act.fn(grid) - relu).abs() > 1e-12
        got = {
            "below": bool(differs[grid < 0].any()),
            "above": bool(differs[grid > 0].any()),
            # ReLU's cut-off is its kink at 0
            "moves": 0.0 not in act.kinks,
        }
        assert {w for w, yes in got.items() if yes} == set(ways), (key, got)
    assert not all("below" in w for w in RELU_RELATIVES.values())
    page = (ROOT / "docs" / "activations" / "relu-family.md").read_text(
        encoding="utf-8"
    )
    intro = page.split("{{ claim relu-family-relatives-change }}")[0]
    assert (
        "changes what ReLU does below its cut-off at 0, above it, or both, or moves the "
        "cut-off" in " ".join(intro.split())
    )
    assert "happens for negative inputs" not in page


def test_softplus_defaults_as_the_registry_states_them_are_torchs() -> None:
    """The registry writes Softplus's beta and threshold out (it loads without torch); they
    are torch.nn.Softplus's defaults."""
    entry = BY_KEY["softplus"]
    stated = {
        str(s): float(v) for s, v in {**entry.params, **entry.torch_params}.items()
    }
    signature = inspect.signature(torch.nn.Softplus).parameters
    assert stated == {
        "beta": signature["beta"].default,
        "threshold": signature["threshold"].default,
    }


@pytest.mark.parametrize("act", ACTS, ids=IDS)
def test_a_reference_is_named_or_composed_in_the_chapter(act: Activation) -> None:
    """Each entry's reference is PyTorch's function named by its public path (``Lazy``,
    which the card prints and the integer check trusts) or a composition of torch
    functions written in the chapter: never a bare torch function, which the chapter
    would take for one of ours."""
    from docs_build.common import Lazy

    ref = act.reference
    if isinstance(ref, Lazy):
        assert ref.module in ("torch", "torch.nn", "torch.nn.functional"), act.key
    else:
        assert ref.__module__ == "docs_build.chapters.activations", act.key
