"""The explorer's JavaScript, printed from the registry (docs_build/explorer.py), run in an
embedded V8 (mini-racer) and compared with PyTorch in float64; its erf against mpmath; and a
mutation of the printed code that the comparison must catch. tests/browser/test_browser_explorer.py
runs the same comparison in Chromium, on the script the built site serves."""

from __future__ import annotations

import json
import math

import mpmath
import pytest
import sympy as sp
from py_mini_racer import MiniRacer

from docs_build import explorer
from docs_build.chapters import activations as reg
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
        return json.loads(ctx.eval(f"JSON.stringify(({ec.EVAL_JS})({args}))"))

    return evaluate


def test_printed_functions_match_torch_float64(v8) -> None:
    """Every function and derivative, every slider's ends, at >= 1,000 points each."""
    fewest, bad = ec.check_all(_evaluator(v8))
    assert fewest >= 1000
    assert not bad, "\n".join(bad[:20])


def test_printed_softmax_matches_torch_float64(v8) -> None:
    def evaluate(z: list[float], t: float) -> list:
        args = json.dumps({"z": z, "T": t})
        return json.loads(v8.eval(f"JSON.stringify(({ec.SOFTMAX_JS})({args}))"))

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
        act = reg.BY_KEY[key]
        params = ec.settings(act)[0]
        xs = ec.points(act, params)
        got = evaluate(key, xs, params)
        want_f, want_df = ec.expected(act, params, xs)
        bad = ec.mismatches(xs, ec.decode(got["f"]), want_f, "f")
        bad += ec.mismatches(xs, ec.decode(got["df"]), want_df, "f'")
    finally:
        ctx.close()
    assert bad, f"the mutated {key} still passed"


ERF_POINTS = sorted(
    {0.0, 1e-300, 1e-7, 1e-3, 2.4999999, 2.5, 2.5000001, 5.0, 26.9, 27.0, 30.0, 1e4}
    | {i / 100 for i in range(1, 700)}
)


def test_erf_matches_mpmath_to_1e_15() -> None:
    """erf in explorer_math.js, against mpmath at 50 digits: within 1e-15 relative (erf
    near 0) or 2e-16 absolute, on both sides of the switch to the continued fraction."""
    ctx = _v8(explorer.functions_js())
    try:
        pts = [s * v for v in ERF_POINTS for s in (1, -1)]
        got = json.loads(
            ctx.eval(f"JSON.stringify({json.dumps(pts)}.map(dlgExplorer.erf))")
        )
        assert ctx.eval("Number.isNaN(dlgExplorer.erf(NaN))")
    finally:
        ctx.close()
    mpmath.mp.dps = 50
    for v, g in zip(pts, got, strict=True):
        want = float(mpmath.erf(mpmath.mpf(v)))
        assert abs(g - want) <= max(1e-15 * abs(want), 2e-16), (v, g, want)


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
    ):
        rewritten = explorer.stable(expr)
        assert rewritten != expr
        back = rewritten.replace(
            sp.Function("sigma"), lambda u: 1 / (1 + sp.exp(-u))
        ).replace(sp.Function("softplus"), lambda u: sp.log(1 + sp.exp(u)))
        assert sp.simplify(back - expr) == 0, expr


def test_every_entry_has_printed_code_and_a_slider_per_parameter() -> None:
    """A new registry entry gets an explorer with no other change: every entry is in the
    script, with one slider per parameter, its default on the slider's grid."""
    entries = explorer.entries()
    assert list(entries) == [a.key for a in reg.ACTIVATIONS]
    for act in reg.ACTIVATIONS:
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
    for act in reg.ACTIVATIONS:
        _, df = explorer.printed(act)
        if act.key == "binary_step":
            continue  # no derivative at the jump: tests/activations checks its form
        subs = {**act.params, **act.constants}
        diff = (sp.diff(act.expr, x) - df).subs(subs).subs(act.constants)
        for v in (-2.3, -0.7, 0.4, 1.9):
            if all(abs(v - k) > 1e-9 for k in act.kinks):
                at = sp.Rational(str(v))
                assert abs(float(diff.subs(x, at).evalf(30))) < 1e-20, act.key
