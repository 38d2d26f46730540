"""What the explorer's printed JavaScript must agree with: PyTorch in float64.

Shared by tests/activations/test_explorer.py (the script run in an embedded V8) and
tests/browser/test_browser_explorer.py (the same script as the site serves it, run in Chromium).
For every registry entry and every parameter setting a slider reaches at its ends, the
points are a grid of 1,001 over [-10, 10], every kink and its neighbours at +-1e-9, the
parameter values themselves (where a kink moves with a parameter), every 0.01 on [10, 60],
50 points a decade over +-[1e-8, 1e4], 0, and the far ends. The reference is the torch
function with those parameters (PyTorch's own where it takes them, else the formula
evaluated in torch; the formula for softplus, and for CELU's and hardsigmoid's f'), and
its derivative torch's autograd, all in float64. They must agree within RTOL relative
(CANCELS says where torch's own rounding needs a small absolute floor). An entry's form
"as PyTorch computes it" (softplus's threshold) is held to PyTorch's own function at
every combination of its sliders' ends, with points on both sides of each switch.
"""

from __future__ import annotations

import itertools
import math
import sys

import sympy as sp
import torch
import torch.nn.functional as F

from docs_build import explorer
from docs_build.api import ACTIVATIONS, Activation
from docs_build.formulas import torch_function, x
from tests.activations.symbols import autograd_slope

# Relative tolerance. Below the smallest normal float64 (2.2e-308) there is no relative
# precision, so that is the only absolute floor, except in CANCELS.
RTOL = 1e-12
ATOL = sys.float_info.min
EPS = sys.float_info.epsilon
# In CANCELS, the absolute floor is CANCEL_FLOOR * EPS * max(1, |x|) (explorer.md states it).
CANCEL_FLOOR = 4
# Where torch's own float64 formula subtracts nearly equal numbers (1 - tanh^2 near
# |x| = 12, sigmoid's (1 - s) s, GELU's 1 + erf(x) for x << 0, x - tanh(x) near 0,
# hardswish's x/3 + 1/2 near -3/2, squareplus's x + sqrt(x^2 + b) and its slope's
# 1 + x / sqrt(x^2 + b) for x << 0), torch is only within a few units in the last place of
# the terms' size, max(1, |x|), not of the result: there the floor is CANCEL_FLOOR * EPS
# * max(1, |x|).
CANCELS = {
    "tanh": ("f'",),
    "sigmoid": ("f'",),
    "hardswish": ("f'",),
    "tanhshrink": ("f", "f'"),
    "gelu": ("f", "f'"),
    "gelu_tanh": ("f", "f'"),
    "squareplus": ("f", "f'"),
}


def cancel_floor(xv: float) -> float:
    """The absolute floor at x where torch's formula cancels (CANCELS)."""
    return CANCEL_FLOOR * EPS * max(1.0, abs(xv))


FAR = (-1e4, -1e3, -50.0, -20.0, -1e-7, -1e-10, -1e-13, 0.0, 1e-7, 20.0, 50.0, 1e3, 1e4)
GRID = torch.linspace(-10.0, 10.0, 1001, dtype=torch.float64).tolist()
# Where a threshold or a tail lies (softplus switches to x at 20 in torch): every 0.01 on
# [10, 60], and 50 points a decade over +-[1e-8, 1e4], the range box's reach.
DENSE = torch.linspace(10.0, 60.0, 5001, dtype=torch.float64).tolist()
LOG = torch.logspace(-8, 4, 601, dtype=torch.float64).tolist()


def _t(v: float) -> torch.Tensor:
    return torch.tensor([v], dtype=torch.float64)


# PyTorch's own function with the explorer's parameters, where it takes them.
TORCH_WITH_PARAMS = {
    "softshrink": lambda v, p: F.softshrink(v, p["lambda"]),
    "hardshrink": lambda v, p: F.hardshrink(v, p["lambda"]),
    "leaky_relu": lambda v, p: F.leaky_relu(v, p["alpha"]),
    "prelu": lambda v, p: F.prelu(v, _t(p["a"])),
    "elu": lambda v, p: F.elu(v, p["alpha"]),
    # F.selu has fixed constants; with others it is lambda * ELU_alpha
    "selu": lambda v, p: p["lambda"] * F.elu(v, p["alpha"]),
    "celu": lambda v, p: F.celu(v, p["alpha"]),
    "rrelu": lambda v, p: F.rrelu(v, p["l"], p["u"], training=False),
    "threshold": lambda v, p: F.threshold(v, p["theta"], p["v"]),
    "hardtanh": lambda v, p: F.hardtanh(v, p["m"], p["M"]),
    "swish_beta": lambda v, p: v * torch.sigmoid(p["beta"] * v),
}


# torch's backward of these multiplies by a float32 constant even in float64 (hardsigmoid's
# 1/6; CELU's alpha, inside the exponent too, so the gap grows with |x|/alpha: 1e-5
# relative at x = -5, alpha = 0.01). There the printed f' is held to the formula evaluated in torch
# (float64 throughout), and torch's own f' to the formula with that constant rounded to
# float32: the gap is the constant's, not the formula's.
def _f32(value: float) -> float:
    return float(torch.tensor(value, dtype=torch.float32))


FLOAT32_CONSTANT_IN_BACKWARD = {
    "hardsigmoid": lambda v, p: torch.where(v.abs() < 3, _f32(1 / 6), 0.0),
    "celu": lambda v, p: torch.where(
        v > 0, 1.0, p["alpha"] / _f32(p["alpha"]) * torch.exp(v / _f32(p["alpha"]))
    ),
}


def settings(act: Activation) -> list[dict[str, float]]:
    """The parameter settings checked: the defaults, then each slider at either end."""
    e = explorer.entry(act)
    default = {p["name"]: p["value"] for p in e["params"]}
    out = [default]
    for p in e["params"]:
        for end in (p["min"], p["max"]):
            out.append({**default, p["name"]: end})
    return out


def points(act: Activation, params: dict[str, float]) -> list[float]:
    extra = set(FAR) | set(DENSE) | set(LOG) | {-v for v in LOG}
    for k in (*act.kinks, *params.values(), *(-v for v in params.values())):
        extra |= {k, k - 1e-9, k + 1e-9}
    return sorted(set(GRID) | extra)


# torch's F.softplus returns x where beta x > 20 (its threshold), and f' = 1 there: the
# page's formula (1/beta) log(1 + e^(beta x)) differs from x by e^-20/beta there, as
# smooth-modern.md states. The explorer's f prints the formula, so it is held to the
# formula evaluated in torch, log(e^(beta x) + e^0)/beta as torch.logaddexp (which does
# not overflow); test_softplus_reference_is_torch_below_its_threshold checks that this is
# F.softplus(x, beta) up to the threshold. The explorer's "as F.softplus computes it"
# form is held to F.softplus itself (TORCH_FORM_REFERENCE).
FORMULA_REFERENCE = {
    "softplus": lambda v, p: (
        torch.logaddexp(p["beta"] * v, torch.zeros_like(v)) / p["beta"]
    )
}

# PyTorch's own function, with every parameter of an entry's `torch_form`.
TORCH_FORM_REFERENCE = {
    "softplus": lambda v, p: F.softplus(v, p["beta"], p["threshold"]),
}


def reference(act: Activation, params: dict[str, float]):
    """torch's f with these parameters (float64 tensor -> tensor)."""
    if act.key in FORMULA_REFERENCE:
        return lambda v: FORMULA_REFERENCE[act.key](v, params)
    if act.key in TORCH_WITH_PARAMS:
        return lambda v: TORCH_WITH_PARAMS[act.key](v, params)
    if not act.params:
        return act.reference
    subs = {s: params[s.name] for s in act.params}
    return torch_function(act.expr.subs(subs).subs(act.constants))


def torch_settings(act: Activation) -> list[dict[str, float]]:
    """The settings of an entry's torch form: every parameter at its default, each slider
    (the formula's and the torch form's own) at either end with the others at their
    defaults, and every combination of ends (softplus: the switch x = threshold / beta
    from its nearest, 0.1, to its farthest, 300)."""
    e = explorer.entry(act)
    sliders = e["params"] + e["torch"]["params"]
    default = {p["name"]: p["value"] for p in sliders}
    out = [default]
    for p in sliders:
        for end in (p["min"], p["max"]):
            out.append({**default, p["name"]: end})
    for ends in itertools.product(*((p["min"], p["max"]) for p in sliders)):
        out.append({p["name"]: v for p, v in zip(sliders, ends, strict=True)})
    return out


def switches(act: Activation, params: dict[str, float]) -> list[float]:
    """Where a torch form changes piece: each condition's boundary solved for x, with
    these parameters."""
    subs = {s: params[s.name] for s in (*act.params, *act.torch_params)}
    out = []
    for _, cond in act.torch_form.args:
        if isinstance(cond, sp.core.relational.Relational):
            out += [float(r) for r in sp.solve((cond.lhs - cond.rhs).subs(subs), x)]
    return out


def torch_form_points(act: Activation, params: dict[str, float]) -> list[float]:
    """``points``, plus each switch, its neighbouring floats and +-1e-9 relative."""
    extra = set()
    for s in switches(act, params):
        extra |= {
            s,
            math.nextafter(s, -math.inf),
            math.nextafter(s, math.inf),
            s * (1 - 1e-9),
            s * (1 + 1e-9),
        }
    return sorted(set(points(act, params)) | extra)


def expected_torch_form(
    act: Activation, params: dict[str, float], xs: list[float]
) -> tuple[list[float], list[float]]:
    """(f, f') of PyTorch's own function at xs, float64, f' by autograd."""
    fn = lambda v: TORCH_FORM_REFERENCE[act.key](v, params)  # noqa: E731
    v = torch.tensor(xs, dtype=torch.float64)
    with torch.no_grad():
        f = fn(v)
    return f.tolist(), autograd_slope(fn, v).tolist()


def check_torch_forms(evaluate) -> tuple[int, list[str]]:
    """Every entry's torch form at every setting, through ``evaluate(key, xs, params)
    -> {f, df}`` (the torch form's functions); (points per setting at least,
    mismatches)."""
    bad, fewest = [], math.inf
    for act in ACTIVATIONS:
        if act.torch_form is None:
            continue
        for params in torch_settings(act):
            xs = torch_form_points(act, params)
            got = evaluate(act.key, xs, params)
            want_f, want_df = expected_torch_form(act, params, xs)
            what = f"{act.key} (as torch computes it) {params}"
            bad += mismatches(xs, decode(got["f"]), want_f, f"f {what}")
            bad += mismatches(xs, decode(got["df"]), want_df, f"f' {what}")
            fewest = min(fewest, len(xs))
    return fewest, bad


def expected(
    act: Activation, params: dict[str, float], xs: list[float]
) -> tuple[list[float], list[float]]:
    """(f, f') at xs from torch in float64; f' by autograd (for the step, which torch cannot
    differentiate, 0 off the jump and NaN at it: no derivative exists there)."""
    fn = reference(act, params)
    v = torch.tensor(xs, dtype=torch.float64)
    with torch.no_grad():
        f = fn(v)
    if act.key == "binary_step":
        df = torch.where(v == 0, torch.nan, 0.0).to(torch.float64)
    else:
        df = autograd_slope(fn, v)
    if act.key in FLOAT32_CONSTANT_IN_BACKWARD:
        subs = {s: params[s.name] for s in act.params}
        formula = torch_function(act.expr.subs(subs).subs(act.constants))
        rounded = FLOAT32_CONSTANT_IN_BACKWARD[act.key](v, params).to(torch.float64)
        gap = (df - rounded).abs() - RTOL * rounded.abs()
        assert (gap <= ATOL).all(), f"{act.key}: torch's f' is not the float32 one"
        df = autograd_slope(formula, v)
    return f.tolist(), df.tolist()


def mismatches(
    xs: list[float],
    got: list[float | None],
    want: list[float],
    what: str,
    cancels: bool = False,
) -> list[str]:
    """Where |got - want| > RTOL |want| + ATOL (NaN only matches NaN, inf only itself);
    with ``cancels``, the floor is CANCEL_FLOOR * EPS * max(1, |x|) (CANCELS): 4 to 8
    units in the last place of max(1, |x|). Evaluated elementwise in float64 tensors, the
    same operations in the same order as ``abs(g - w) <= RTOL * abs(w) + floor`` on Python
    floats (IEEE 754 rounds each one identically), over thousands of points at once."""
    if not len(xs) == len(got) == len(want):
        raise ValueError(
            f"{what}: {len(xs)} points, {len(got)} got, {len(want)} wanted"
        )
    # JSON has no NaN: it arrives as null
    g = torch.tensor([_or_nan(v) for v in got], dtype=torch.float64)
    w = torch.tensor(want, dtype=torch.float64)
    x = torch.tensor(xs, dtype=torch.float64)
    special = g.isnan() | w.isnan() | g.isinf() | w.isinf()
    ok_special = (g.isnan() & w.isnan()) | (g == w)
    floor = CANCEL_FLOOR * EPS * x.abs().clamp(min=1.0) if cancels else ATOL
    ok_finite = (g - w).abs() <= RTOL * w.abs() + floor
    ok = torch.where(special, ok_special, ok_finite)
    return [
        f"{what} at x={xs[i]!r}: printed JS {_or_nan(got[i])!r}, torch {want[i]!r}"
        for i in (~ok).nonzero().flatten().tolist()
    ]


def _or_nan(v: float | None) -> float:
    return math.nan if v is None else v


def in_json(js: str) -> str:
    """``js`` (a function of one argument) as a function of its argument's JSON text that
    returns JSON text: a page or an embedded V8 then exchanges one string each way, which
    parses to the same doubles (JSON numbers round-trip; only -0 arrives as 0, which the
    comparison never told apart) and is far faster to pass than thousands of numbers one
    by one."""
    return f"(text) => JSON.stringify(({js})(JSON.parse(text)))"


# The script that evaluates a function of the printed JavaScript at many points: the same
# in V8 (mini-racer) and in Chromium. NaN and infinities are passed back as strings.
EVAL_JS = """
(args) => {
  const fn = dlgExplorer.functions[args.key];
  const enc = (y) => (Number.isFinite(y) ? y : String(y));
  return {
    f: args.xs.map((x) => enc(fn.f(x, args.params))),
    df: args.xs.map((x) => enc(fn.df(x, args.params))),
  };
}
"""


def decode(values: list) -> list[float]:
    return [float(v) if isinstance(v, str) else v for v in values]


def check_all(evaluate) -> tuple[int, list[str]]:
    """Run every function at every setting through ``evaluate(key, xs, params) -> {f, df}``;
    (points checked per function at least, mismatches)."""
    bad, fewest = [], math.inf
    for act in ACTIVATIONS:
        n = 0
        for params in settings(act):
            xs = points(act, params)
            got = evaluate(act.key, xs, params)
            want_f, want_df = expected(act, params, xs)
            c = CANCELS.get(act.key, ())
            bad += mismatches(
                xs, decode(got["f"]), want_f, f"{act.key} f {params}", "f" in c
            )
            bad += mismatches(
                xs, decode(got["df"]), want_df, f"{act.key} f' {params}", "f'" in c
            )
            n += len(xs)
        fewest = min(fewest, n)
    return fewest, bad


# Softmax: logit vectors (ordinary, with ties, far apart, large, tiny) at every temperature
# the slider reaches, against torch.softmax(z / T) in float64.
SOFTMAX_LOGITS = (
    [2.0, 1.0, 0.1],
    [0.0, 0.0],
    [1e4, -1e4, 0.0],
    [-3.0, 5.0, 1e-7, -1e-7, 2.5, 2.5, 0.0, 8.0],
    [1e3, 999.0, 998.5],
)


def softmax_temperatures() -> list[float]:
    p = explorer.softmax_entry()["params"][0]
    n = round((p["max"] - p["min"]) / p["step"])
    return [p["min"] + k * p["step"] for k in range(n + 1)]


def check_softmax(evaluate) -> tuple[int, list[str]]:
    """``evaluate(logits, T) -> probabilities``; (numbers checked, mismatches)."""
    bad, n = [], 0
    for logits in SOFTMAX_LOGITS:
        z = torch.tensor(logits, dtype=torch.float64)
        for t in softmax_temperatures():
            want = torch.softmax(z / t, dim=0).tolist()
            got = decode(evaluate(logits, t))
            bad += mismatches(logits, got, want, f"softmax T={t}")  # no floor
            n += len(logits)
    return n, bad


# The same for an entry's torch form (dlgExplorer.functions[key].torch).
EVAL_TORCH_JS = EVAL_JS.replace(
    "dlgExplorer.functions[args.key]", "dlgExplorer.functions[args.key].torch"
)

SOFTMAX_JS = """
(args) => dlgExplorer.softmax.f(args.z, {T: args.T}).map(
  (y) => (Number.isFinite(y) ? y : String(y)))
"""
