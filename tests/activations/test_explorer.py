"""The explorer's JavaScript, printed from the registry (docs_build/explorer.py), run in an
embedded V8 (mini-racer) and compared with PyTorch in float64; its erf against mpmath; and a
mutation of the printed code that the comparison must catch. tests/browser/test_browser_explorer.py
runs the same comparison in Chromium, on the script the built site serves."""

from __future__ import annotations

import inspect
import json
import math
import random
import sys

import mpmath
import pytest
import sympy as sp
import torch
import torch.nn.functional as F
from py_mini_racer import MiniRacer

from docs_build import explorer
from docs_build.api import ACTIVATIONS, BY_KEY
from docs_build.chapters import activations as reg
from docs_build.common import defaults
from docs_build.formulas import x
from tests.activations import explorer_check as ec


def _v8(script: str):
    ctx = MiniRacer()
    ctx.eval(script)
    return ctx


@pytest.fixture(scope="module")
def v8():
    ctx = _v8(explorer.functions_js())
    yield ctx
    ctx.close()


def _evaluator(ctx):
    def evaluate(key: str, xs: list[float], params: dict) -> dict:
        args = json.dumps({"key": key, "xs": xs, "params": params})
        return json.loads(ctx.eval(f"({ec.in_json(ec.EVAL_JS)})({json.dumps(args)})"))

    return evaluate


def test_printed_functions_match_torch_float64(v8) -> None:
    """Every function and derivative, every slider's ends, at >= 1,000 points each."""
    fewest, bad = ec.check_all(_evaluator(v8))
    assert fewest >= 1000
    assert not bad, "\n".join(bad[:20])


def _torch_evaluator(ctx):
    def evaluate(key: str, xs: list[float], params: dict) -> dict:
        args = json.dumps({"key": key, "xs": xs, "params": params})
        return json.loads(
            ctx.eval(f"({ec.in_json(ec.EVAL_TORCH_JS)})({json.dumps(args)})")
        )

    return evaluate


def test_printed_torch_forms_match_torch_float64(v8) -> None:
    """Softplus as F.softplus computes it (x itself where beta x > threshold), at every
    combination of its sliders' ends and on both sides of the switch, >= 1,000 points."""
    fewest, bad = ec.check_torch_forms(_torch_evaluator(v8))
    assert fewest >= 1000
    assert not bad, "\n".join(bad[:20])


def test_torch_form_points_straddle_the_switch() -> None:
    """The points include the switch x = threshold / beta and floats on both sides of it,
    where the two pieces differ (so the comparison sees which piece the code takes)."""
    act = BY_KEY["softplus"]
    for params in ec.torch_settings(act):
        (s,) = ec.switches(act, params)
        assert math.isclose(s, params["threshold"] / params["beta"])
        xs = ec.torch_form_points(act, params)
        assert s in xs and math.nextafter(s, math.inf) in xs
        assert any(v > s for v in xs) and any(v < s for v in xs)
    ends = {(p["beta"], p["threshold"]) for p in ec.torch_settings(act)}
    assert {(0.1, 30.0), (5.0, 0.5), (1.0, 20.0)} <= ends


# A slip in the torch form: the switch taken at beta x >= threshold (the point itself on
# the wrong side), or at x > threshold (beta forgotten), or f' left as the formula's.
TORCH_FORM_MUTATIONS = {
    "switch at the threshold itself": ('(p["threshold"] < ', '(p["threshold"] <= '),
    "beta forgotten": ('< p["beta"]*x) ?', "< x) ?"),
    "slope above the switch": ("? ( 1 )", '? ( sigma(p["beta"]*x) )'),
}


@pytest.mark.parametrize("name", sorted(TORCH_FORM_MUTATIONS))
def test_a_mutated_torch_form_fails_the_comparison(name: str) -> None:
    old, new = TORCH_FORM_MUTATIONS[name]
    script = explorer.functions_js()
    line = next(
        ln for ln in script.splitlines() if ln.startswith('Object.assign(F["softplus"]')
    )
    assert line.count(old) >= 1, f"the mutation {old!r} no longer applies"
    ctx = _v8(script.replace(line, line.replace(old, new)))
    try:
        _, bad = ec.check_torch_forms(_torch_evaluator(ctx))
    finally:
        ctx.close()
    assert bad, f"the torch form with {name} still passed"


def test_printed_softmax_matches_torch_float64(v8) -> None:
    def evaluate(z: list[float], t: float) -> list:
        args = json.dumps({"z": z, "T": t})
        return json.loads(v8.eval(f"({ec.in_json(ec.SOFTMAX_JS)})({json.dumps(args)})"))

    n, bad = ec.check_softmax(evaluate)
    assert n >= 1000
    assert not bad, "\n".join(bad[:20])


# Mutations a slip in a formula or in the printer would make: a sign, a constant, a piece.
MUTATIONS = {
    "gelu_tanh": (
        "8943/200000",
        "8943/200001",
    ),  # GELU's 0.044715, off by 5e-6 relative
    "silu": ("1 - sigma(x)", "1 + sigma(x)"),
    "elu": ('( p["alpha"]*Math.exp(x) )', '( -p["alpha"]*Math.exp(x) )'),
    "relu": ("(x <= 0)", "(x < 0)"),  # the kink's convention: 1 instead of 0 at x = 0
    # small slips an absolute floor would hide: a tail cut to 0, 1e-15 added near 0,
    # 1e-9 relative in a tail
    "sigmoid": ("{ return sigma(x); }", "{ return x < -32 ? 0 : sigma(x); }"),
    "selu": ("Math.expm1(x)", "(Math.expm1(x) + 1e-15)"),
    "softplus": (
        '{ return softplus(p["beta"]*x)/p["beta"]; }',
        '{ return softplus(p["beta"]*x)/p["beta"] * (1 + 1e-9); }',
    ),
    # (below -5 torch's own 1 + erf cancels: test_gelu_tail_matches_mpmath holds it there)
    "gelu": (
        "{ return (1/2)*x*erfc(",
        "{ return (x < -3 ? 1 + 1e-9 : 1)*(1/2)*x*erfc(",
    ),
}


@pytest.mark.parametrize("key", sorted(MUTATIONS))
def test_a_mutated_function_fails_the_comparison(key: str) -> None:
    """Change one sign or constant in the printed script: the comparison must fail, for
    that function only."""
    old, new = MUTATIONS[key]
    script = explorer.functions_js()
    line = next(ln for ln in script.splitlines() if ln.startswith(f'F["{key}"]'))
    assert line.count(old) >= 1, f"the mutation {old!r} no longer applies to {key}"
    ctx = _v8(script.replace(line, line.replace(old, new)))
    try:
        evaluate = _evaluator(ctx)
        act = BY_KEY[key]
        params = ec.settings(act)[0]
        xs = ec.points(act, params)
        got = evaluate(key, xs, params)
        want_f, want_df = ec.expected(act, params, xs)
        c = ec.CANCELS.get(key, ())
        bad = ec.mismatches(xs, ec.decode(got["f"]), want_f, "f", "f" in c)
        bad += ec.mismatches(xs, ec.decode(got["df"]), want_df, "f'", "f'" in c)
    finally:
        ctx.close()
    assert bad, f"the mutated {key} still passed"


def test_elu_near_zero_is_expm1() -> None:
    """e^x - 1 is printed as Math.expm1: ELU at -1e-7, -1e-10, -1e-13 and -1e-300 within
    1e-12 relative of torch (which uses expm1), where e^x - 1 loses up to every digit."""
    ctx = _v8(explorer.functions_js())
    try:
        xs = [-1e-7, -1e-10, -1e-13, -1e-300]
        got = _evaluator(ctx)("elu", xs, {"alpha": 1.0})["f"]
    finally:
        ctx.close()
    want = F.elu(torch.tensor(xs, dtype=torch.float64)).tolist()
    for v, g, w in zip(xs, got, want, strict=True):
        assert abs(g - w) <= 1e-12 * abs(w), (v, g, w)


@pytest.mark.parametrize("beta", [0.1, 0.5, 1.0, 2.5, 5.0])
def test_softplus_reference_is_torch_below_its_threshold(beta: float) -> None:
    """The explorer's softplus reference is the formula; it is F.softplus(x, beta) up to
    torch's threshold (beta x <= 20), and differs from it above (where torch returns x)."""
    ref = ec.FORMULA_REFERENCE["softplus"]
    p = {"beta": beta}
    below = torch.linspace(-60.0, 20.0, 8001, dtype=torch.float64) / beta
    torch.testing.assert_close(
        ref(below, p), F.softplus(below, beta), rtol=1e-15, atol=0
    )
    above = torch.tensor([21.0, 30.0], dtype=torch.float64) / beta
    assert (F.softplus(above, beta) == above).all() and (ref(above, p) > above).all()


def test_gelu_tail_matches_mpmath() -> None:
    """GELU f and f' for x in [-37.5, -5] within 1e-13 relative of mpmath, or x^2 ulp
    beyond |x| = 21: 1 + erf(x/sqrt 2) is printed as erfc(-x/sqrt 2), which keeps the
    tail's digits (1 + erf lost all of them by x = -8.5). The x^2 ulp are the rounding
    of x/sqrt 2 itself (relative eps), which e^(-x^2/2) multiplies by x^2. Below -37.6
    the values are subnormal and have no relative precision."""
    xs = [-5.0 - 32.5 * k / 2000 for k in range(2001)]
    ctx = _v8(explorer.functions_js())
    try:
        got = _evaluator(ctx)("gelu", xs, {})
    finally:
        ctx.close()
    mpmath.mp.dps = 40
    for v, g, gd in zip(xs, got["f"], got["df"], strict=True):
        m = mpmath.mpf(v)
        cdf = mpmath.erfc(-m / mpmath.sqrt(2)) / 2
        f = float(m * cdf)
        df = float(cdf + m * mpmath.npdf(m))
        tol = max(1e-13, v * v * sys.float_info.epsilon)
        assert abs(g - f) <= tol * abs(f), (v, g, f)
        assert abs(gd - df) <= tol * abs(df), (v, gd, df)


def test_erfc_matches_mpmath() -> None:
    """erfc in explorer_math.js within 1e-14 relative of mpmath on [-6, 26.5]."""
    xs = [-6.0 + 32.5 * k / 5000 for k in range(5001)]
    ctx = _v8(explorer.functions_js())
    try:
        got = json.loads(
            ctx.eval(f"JSON.stringify({json.dumps(xs)}.map(dlgExplorer.erfc))")
        )
    finally:
        ctx.close()
    mpmath.mp.dps = 40
    for v, g in zip(xs, got, strict=True):
        want = float(mpmath.erfc(mpmath.mpf(v)))
        assert abs(g - want) <= 1e-14 * abs(want), (v, g, want)


ERF_POINTS = sorted(
    {0.0, 1e-300, 1e-7, 1e-3, 0.9999999, 1.0, 1.0000001, 5.0, 26.9, 27.0, 30.0, 1e4}
    | {i / 100 for i in range(1, 700)}
    | {10.0 ** (k / 50) for k in range(-400, 101)}  # log-spaced, 1e-8 to 100
    | {random.Random(0).uniform(0.0, 6.0) for _ in range(100_000)}
)


def test_erf_matches_mpmath_to_1e_15() -> None:
    """erf in explorer_math.js, against mpmath: within 1e-15 relative at 1e5 random
    points in [0, 6], log-spaced ones and both sides of the switch to the continued
    fraction, both signs."""
    ctx = _v8(explorer.functions_js())
    try:
        pts = [s * v for v in ERF_POINTS for s in (1, -1)]
        got = json.loads(
            ctx.eval(f"JSON.stringify({json.dumps(pts)}.map(dlgExplorer.erf))")
        )
        assert ctx.eval("Number.isNaN(dlgExplorer.erf(NaN))")
    finally:
        ctx.close()
    mpmath.mp.dps = 30
    for v, g in zip(pts, got, strict=True):
        want = float(mpmath.erf(mpmath.mpf(v)))
        assert abs(g - want) <= 1e-15 * abs(want), (v, g, want)


def test_sigma_and_softplus_helpers_do_not_overflow() -> None:
    ctx = _v8(explorer.functions_js())
    try:
        out = json.loads(
            ctx.eval(
                "JSON.stringify([-1e4, -30, 0, 30, 1e4].map((v) => "
                "[dlgExplorer.sigma(v), dlgExplorer.softplus(v)]))"
            )
        )
    finally:
        ctx.close()
    mpmath.mp.dps = 50
    for v, (s, sp_) in zip([-1e4, -30, 0, 30, 1e4], out, strict=True):
        want_s = float(1 / (1 + mpmath.exp(-v)))
        want_sp = float(mpmath.log(1 + mpmath.exp(v)))
        assert abs(s - want_s) <= 1e-15 * abs(want_s) + 1e-300
        assert abs(sp_ - want_sp) <= 1e-15 * abs(want_sp)


def test_stable_rewrites_keep_the_value() -> None:
    """The rewrites before printing change how, not what: sympy proves them equal."""
    w = sp.Symbol("w", real=True)
    for expr in (
        1 / (1 + sp.exp(-w)),
        sp.exp(-w) / (1 + sp.exp(-w)) ** 2,
        sp.log(1 + sp.exp(w)),
        3 * (sp.exp(w) - 1),
        w * (1 + sp.erf(w)) / 2,
        sp.erf(w) / 2 + sp.S.Half + w,
    ):
        rewritten = explorer.stable(expr)
        assert rewritten != expr
        back = rewritten.replace(
            sp.Function("sigma"), lambda u: 1 / (1 + sp.exp(-u))
        ).replace(sp.Function("softplus"), lambda u: sp.log(1 + sp.exp(u)))
        back = back.replace(sp.Function("expm1"), lambda u: sp.exp(u) - 1)
        back = back.replace(sp.Function("erfc"), lambda u: 1 - sp.erf(u))
        assert sp.simplify(back - expr) == 0, expr


def test_every_entry_has_printed_code_and_a_slider_per_parameter() -> None:
    """A new registry entry gets an explorer with no other change: every entry is in the
    script, with one slider per parameter, its default on the slider's grid."""
    entries = explorer.entries()
    assert list(entries) == [a.key for a in ACTIVATIONS]
    for act in ACTIVATIONS:
        e = entries[act.key]
        assert [p["name"] for p in e["params"]] == [s.name for s in act.params]
        for p in e["params"]:
            assert p["min"] <= p["value"] <= p["max"]
            steps = (p["value"] - p["min"]) / p["step"]
            assert math.isclose(steps, round(steps), abs_tol=1e-6), (act.key, p)
        assert "//" not in e["f"] + e["df"], "the printer could not print something"


def test_a_parameter_not_in_the_table_gets_a_slider_around_its_default() -> None:
    s = explorer.slider_for(sp.Symbol("kappa", positive=True), 0.7)
    assert 0 < s.low <= 0.7 <= s.high
    s = explorer.slider_for(sp.Symbol("kappa"), -2.0)
    assert s.low <= -2.0 <= s.high and s.low < 0 < s.high


def test_printed_derivative_is_the_registry_formulas() -> None:
    """The printed f' is d/dx of the registry's f (or its textbook form): sympy agrees."""
    for act in ACTIVATIONS:
        _, df = explorer.printed(act)
        if act.key == "binary_step":
            continue  # no derivative at the jump: tests/activations checks its form
        subs = {**act.params, **act.constants}
        diff = (sp.diff(act.expr, x) - df).subs(subs).subs(act.constants)
        for v in (-2.3, -0.7, 0.4, 1.9):
            if all(abs(v - k) > 1e-9 for k in act.kinks):
                at = sp.Rational(str(v))
                assert abs(float(diff.subs(x, at).evalf(30))) < 1e-20, act.key


def test_reference_notes_name_every_formula_reference() -> None:
    """The explorer's note says where the test's reference is the formula in torch, not
    torch's function: exactly those functions have one."""
    entries = explorer.entries()
    noted = {k for k, e in entries.items() if e["reference_note"]}
    assert noted == set(ec.FORMULA_REFERENCE) | set(ec.FLOAT32_CONSTANT_IN_BACKWARD)
    assert "threshold" in entries["softplus"]["reference_note"]


def test_an_entry_with_parameters_and_an_f_function_is_compared_with_it() -> None:
    """An entry with parameters whose reference is a public F.<name> needs a
    TORCH_WITH_PARAMS row (or a FORMULA_REFERENCE row where its explorer shows the
    formula): without one its explorer is held only to its own formula in torch."""
    missing = [
        act.key
        for act in ACTIVATIONS
        if act.params
        and getattr(F, getattr(act.reference, "__name__", ""), None)
        is inspect.unwrap(act.reference)
        and act.key not in ec.TORCH_WITH_PARAMS
        and act.key not in ec.FORMULA_REFERENCE
    ]
    assert not missing, missing


def test_every_torch_form_has_a_reference_and_its_sliders() -> None:
    """An entry with a torch form (and only such) gets that form in the script, a slider
    per extra parameter, and a PyTorch function the tests compare it with."""
    entries = explorer.entries()
    with_form = {a.key for a in ACTIVATIONS if a.torch_form is not None}
    assert with_form == {k for k, e in entries.items() if "torch" in e}
    assert with_form == set(ec.TORCH_FORM_REFERENCE)
    # its plain f is the formula, not PyTorch's function: held to the formula, with a note
    assert with_form <= set(ec.FORMULA_REFERENCE)
    assert with_form <= set(explorer.reference_notes())
    assert with_form <= set(explorer.torch_notes())
    for key in with_form:
        act, t = BY_KEY[key], entries[key]["torch"]
        assert [p["name"] for p in t["params"]] == [s.name for s in act.torch_params]
        assert t["name"] == "F." + act.reference.__name__
        assert callable(getattr(F, act.reference.__name__))
        # its own note, shown while that form is: where it leaves the formula
        assert t["note"] == explorer.torch_notes()[key]
        assert t["note"] != entries[key]["reference_note"]
    note = entries["softplus"]["torch"]["note"]
    d = defaults(torch.nn.Softplus)
    assert "x = threshold/β" in note
    assert f"x = {d['threshold'] / d['beta']:g} with the defaults" in note
    # softplus's threshold slider starts at torch's default
    (tau,) = entries["softplus"]["torch"]["params"]
    assert tau["value"] == defaults(torch.nn.Softplus)["threshold"]


def test_the_contributing_guides_example_gets_an_explorer(monkeypatch) -> None:
    """CONTRIBUTING.md's worked example, taken from the guide and added to the registry
    under a new key with no other change, gets an explorer: its printed code, a slider
    per parameter, a place after its figure, and values that match CELU's expectations
    in float64 (f: F.celu; f': the formula in torch, since F.celu's backward rounds alpha
    to float32), as the guide says."""
    import dataclasses

    from tests.test_contributing import GUIDE, registry_entries

    (example,) = registry_entries(GUIDE)
    act = eval(example.strip().rstrip(","), dict(vars(reg)))
    original = BY_KEY[act.key]  # what the example adds (CELU): its PyTorch reference
    act = dataclasses.replace(act, key="guide_example", title="The guide's example")
    monkeypatch.setattr(reg, "ACTIVATIONS", (*ACTIVATIONS, act))
    monkeypatch.setitem(BY_KEY, act.key, act)
    try:
        e = explorer.entries()[act.key]
        assert [p["name"] for p in e["params"]] == [s.name for s in act.params]
        placeholder = explorer.placeholder(f"activations/{act.key}")
        assert f'data-explorer="{act.key}"' in placeholder
        ctx = _v8(explorer.build_functions_js())  # not the cached script: a new entry
        try:
            evaluate = _evaluator(ctx)
            for params in ec.settings(act):
                xs = ec.points(act, params)
                got = evaluate(act.key, xs, params)
                want_f, want_df = ec.expected(original, params, xs)
                bad = ec.mismatches(xs, ec.decode(got["f"]), want_f, "f")
                bad += ec.mismatches(xs, ec.decode(got["df"]), want_df, "f'")
                assert len(xs) >= 1000 and not bad, bad[:5]
        finally:
            ctx.close()
    finally:
        monkeypatch.undo()
