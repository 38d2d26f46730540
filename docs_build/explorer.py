"""The activation explorer's functions: JavaScript printed from the registry's formulas.

Every entry of ``ACTIVATIONS`` (docs_build/chapters/activations/__init__.py) gets f and f' as
JavaScript, printed by sympy's JavaScript code printer from the same expression the page
prints as LaTeX, plots and tests, with its parameters as arguments. So a new entry gets an
explorer with no other change, and an edited formula changes the explorer too.

Before printing, rewrites keep the JavaScript as accurate as PyTorch's float64 over
the whole range a reader can reach (tests/activations/test_explorer.py and
tests/browser/test_browser_explorer.py compare the two at +-1e4): ``1/(1 + e^w)`` becomes
``sigma(-w)``, ``e^w/(1 + e^w)`` becomes ``sigma(w)`` and ``log(1 + e^w)`` becomes
``softplus(w)``; the values are equal, only the overflow goes. ``e^w - 1`` becomes
``expm1(w)`` and ``1 + erf(w)`` becomes ``erfc(-w)``: no digits lost to cancellation.
``sigma``, ``softplus``, ``erf`` and ``erfc`` (JavaScript has none) are small functions in
docs_build/explorer_math.js, tested
against mpmath. A Piecewise takes its pieces in order, as sympy's printer writes them, so
the value at a kink is that of the first piece whose condition holds there: the registry's
formulas are written so that this is the value PyTorch's autograd returns (the page states
it; the tests check it at every kink).

The build writes everything as one script, ``assets/js/explorer-functions.js``, which
docs/assets/js/explorer.js loads only on a page that has an explorer.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import sympy as sp
from sympy.printing.jscode import JavascriptCodePrinter

from docs_build.formulas import x

HERE = Path(__file__).resolve().parent
MATH_JS = HERE / "explorer_math.js"
FUNCTIONS_JS = (
    "assets/js/explorer-functions.js"  # where the build writes it, in the site
)

# x's range a reader starts from and the widest the range box accepts.
X_RANGE = (-5.0, 5.0)
X_LIMIT = 1e4


@dataclass(frozen=True)
class Slider:
    """How a parameter's slider moves: its bounds and step (the default sits on the grid)."""

    low: float
    high: float
    step: float


# A slider per parameter symbol, by the symbol's name. The default value (the entry's
# `params`) always lies on the slider: the bounds are widened to it where needed, and
# the low end is moved so that the default is a whole number of steps from it.
SLIDERS = {
    "alpha": Slider(0.01, 3.0, 0.01),  # leaky slope; ELU, CELU and SELU alpha
    "lambda": Slider(0.05, 3.0, 0.05),  # shrink threshold; SELU scale
    "a": Slider(0.0, 1.0, 0.01),  # PReLU slope
    "beta": Slider(0.1, 5.0, 0.1),  # Swish-beta
    "theta": Slider(-3.0, 3.0, 0.1),  # Threshold's threshold
    "v": Slider(-3.0, 3.0, 0.1),  # Threshold's value
    # RReLU's slope bounds: torch requires l <= u, so their ranges do not overlap
    "l": Slider(0.0, 0.3, 0.01),
    "u": Slider(0.34, 1.0, 0.01),
    # Hardtanh's bounds: torch needs min_val < max_val, so their ranges do not overlap
    "m": Slider(-3.0, -0.1, 0.1),
    "M": Slider(0.1, 3.0, 0.1),
    "T": Slider(0.05, 5.0, 0.05),  # softmax temperature
    # F.softplus's threshold (its default 20 on the grid): low enough to see the switch
    "threshold": Slider(0.5, 30.0, 0.5),
}


def slider_for(symbol: sp.Symbol, default: float) -> Slider:
    """The slider of one parameter: from SLIDERS by name, else from its default (0 to three
    times it for a positive parameter, +-3 times it otherwise), with the default on it."""
    s = SLIDERS.get(symbol.name)
    if s is None:
        span = 3 * max(abs(default), 1.0)
        s = Slider(0.0 if symbol.is_positive else -span, span, span / 300)
    low = min(s.low, default)
    high = max(s.high, default)
    steps = math.floor((default - low) / s.step + 1e-9)
    low = default - steps * s.step
    if symbol.is_positive and low <= 0:
        low += s.step  # a positive parameter never reaches 0 (CELU divides by alpha)
    return Slider(round(low, 12), high, s.step)


class Printer(JavascriptCodePrinter):
    """sympy's JavaScript printer, with erf, sigma and softplus as the helpers of
    explorer_math.js, parameters read from ``p``, and a Piecewise with no default piece
    given NaN there (a derivative that does not exist at a jump)."""

    def _print_erf(self, expr):
        return f"erf({self._print(expr.args[0])})"

    def _print_Function(self, expr):  # noqa: N802 (sympy's printer API)
        name = expr.func.__name__
        if name in ("sigma", "softplus", "erfc"):
            return f"{name}({self._print(expr.args[0])})"
        if name == "expm1":
            return f"Math.expm1({self._print(expr.args[0])})"
        return super()._print_Function(expr)

    def _print_Piecewise(self, expr):  # noqa: N802 (sympy's printer API)
        if expr.args[-1].cond != True:  # noqa: E712 (sympy's true)
            expr = sp.Piecewise(*expr.args, (sp.nan, True))
        return super()._print_Piecewise(expr)

    def _print_NaN(self, expr):  # noqa: N802 (sympy's printer API)
        return "NaN"

    def _print_Symbol(self, expr):  # noqa: N802 (sympy's printer API)
        if expr == x or expr.name in self.loose:
            return expr.name
        return f"p[{json.dumps(expr.name)}]"

    # softmax's logits, indices and length: variables of the printed function
    loose = ("z", "i", "j", "K")

    def _print_Indexed(self, expr):  # noqa: N802 (sympy's printer API)
        # 1-based as printed on the page; JavaScript arrays start at 0
        index = self._print(expr.indices[0])
        return f"{self._print(expr.base.label)}[{index} - 1]"

    def _print_Sum(self, expr):  # noqa: N802 (sympy's printer API)
        (var, lo, hi), *more = expr.limits
        assert not more, "one index per sum"
        term = self._print(expr.function)
        return (
            f"sumOver(function ({self._print(var)}) {{ return {term}; }}, "
            f"{self._print(lo)}, {self._print(hi)})"
        )


_sigma = sp.Function("sigma")
_softplus = sp.Function("softplus")
# Unevaluated names (sympy's own erfc(-w) turns itself into 2 - erfc(w), which is what
# must not be printed): Math.expm1 and explorer_math.js's erfc.
_expm1 = sp.Function("expm1")
_erfc = sp.Function("erfc")


def _one_plus_exp(expr: sp.Expr) -> sp.Expr | None:
    """w where expr is 1 + e^w, else None."""
    if isinstance(expr, sp.Add) and len(expr.args) == 2 and sp.S.One in expr.args:
        other = expr.args[1] if expr.args[0] == 1 else expr.args[0]
        if isinstance(other, sp.exp):
            return other.args[0]
    return None


def stable(expr: sp.Expr) -> sp.Expr:
    """The same function, with 1/(1 + e^w), e^w/(1 + e^w) and log(1 + e^w) written as sigma
    and softplus, which do not overflow."""

    def mul(m: sp.Expr) -> sp.Expr:
        if not isinstance(m, sp.Mul):
            return m
        factors = list(m.args)
        for i, f in enumerate(factors):
            if isinstance(f, sp.Pow) and f.exp.is_Integer and f.exp < 0:
                w = _one_plus_exp(f.base)
                if w is None:
                    continue
                # e^(k w) * (1 + e^w)^-n -> sigma(w)^k sigma(-w)^(n-k), for 0 < k <= n
                for j, g in enumerate(factors):
                    if j != i and isinstance(g, sp.exp):
                        k = sp.simplify(g.args[0] / w)
                        if k.is_Integer and 0 < k <= -f.exp:
                            rest = [h for n, h in enumerate(factors) if n not in (i, j)]
                            return sp.Mul(
                                *rest, _sigma(w) ** k, _sigma(-w) ** (-f.exp - k)
                            )
        return m

    def power(p: sp.Expr) -> sp.Expr:
        if isinstance(p, sp.Pow) and p.exp.is_Integer and p.exp < 0:
            w = _one_plus_exp(p.base)
            if w is not None:
                return _sigma(-w) ** (-p.exp)
        return p

    def log(e: sp.Expr) -> sp.Expr:
        if isinstance(e, sp.log):
            w = _one_plus_exp(e.args[0])
            if w is not None:
                return _softplus(w)
        return e

    def add(a: sp.Expr) -> sp.Expr:
        # e^w - 1 -> expm1(w): no cancellation near w = 0 (torch's ELU uses expm1 too).
        # c erf(w) + c -> c erfc(-w): 1 + erf(w) cancels for w << 0 (GELU's tail), erfc
        # keeps the tail's digits.
        terms = list(a.args)
        for t in terms:
            c, e = t.as_coeff_Mul()
            if isinstance(e, sp.exp) and -c in terms:
                rest = list(terms)
                rest.remove(t)
                rest.remove(-c)
                return sp.Add(*rest, c * _expm1(e.args[0]))
            if isinstance(e, sp.erf) and c in terms:
                rest = list(terms)
                rest.remove(t)
                rest.remove(c)
                return sp.Add(*rest, c * _erfc(-e.args[0]))
        return a

    out = expr.replace(lambda e: isinstance(e, sp.Mul), mul)
    out = out.replace(lambda e: isinstance(e, sp.Pow), power)
    out = out.replace(lambda e: isinstance(e, sp.Add), add)
    return out.replace(lambda e: isinstance(e, sp.log), log)


def js(expr: sp.Expr) -> str:
    """One expression as a JavaScript expression in x and p, on one line."""
    return " ".join(Printer().doprint(stable(expr)).split())


def printed(act) -> tuple[sp.Expr, sp.Expr]:
    """(f, f') as printed into JavaScript: the registry's formula and its printed derivative
    (the textbook form where the entry gives one), names like sigma(x) kept as helper calls,
    constants (GELU's 0.044715) replaced by their exact values."""
    from docs_build.chapters.activations import autograd_at_kinks

    helpers = {k: v for k, v in act.constants.items() if isinstance(k, sp.Function)}
    constants = {k: v for k, v in act.constants.items() if k not in helpers}
    f = act.expr.subs(constants)
    # sympy's derivative as it comes, before tidying: simplify can fold e^w/(1 + e^w)^2
    # into a cosh that overflows where the sigmoid form does not.
    d = (
        act.textbook_derivative
        if act.textbook_derivative is not None
        else sp.diff(act.expr, x)
    )
    if (
        isinstance(d, sp.Piecewise)
        and d.args[-1].cond != sp.true
        and autograd_at_kinks(act) is not None
    ):
        # The printed form leaves f' undefined where f jumps (Hardshrink at +-lambda), but
        # autograd returns a value there, the derivative of the formula's piece: show that.
        # (Where autograd has none, torch.heaviside's step, f' stays undefined.)
        d = sp.Piecewise(*d.args, (sp.diff(act.expr, x), True))
    df = d.replace(sp.DiracDelta, lambda *_: sp.S.Zero).subs(constants)
    names = {k: k.func(*k.args) for k in helpers}  # sigma(x) stays a call to the helper
    return f.subs(names), df.subs(names)


def torch_printed(act) -> tuple[sp.Expr, sp.Expr]:
    """(f, f') of the entry's ``torch_form`` (f as PyTorch computes it), as printed: f' is
    sympy's derivative piece by piece, which is autograd's (each piece's own slope)."""
    f = act.torch_form.subs(act.constants)
    return f, sp.diff(f, x)


def torch_switches(key: str) -> list[str]:
    """Where an entry's torch form changes piece, as JavaScript expressions in p: each
    condition's boundary solved for x (softplus: threshold/beta), for the note to give
    the switch at the settings shown."""
    from docs_build.chapters.activations import BY_KEY

    act = BY_KEY[key]
    out = []
    for _, cond in act.torch_form.subs(act.constants).args:
        if isinstance(cond, sp.core.relational.Relational):
            out += [js(r) for r in sp.solve(cond.lhs - cond.rhs, x)]
    return out


def slider_params(params: dict) -> list[dict]:
    """One slider's description per parameter symbol, with its default."""
    out = []
    for symbol, value in params.items():
        default = float(value)
        s = slider_for(symbol, default)
        out.append(
            {
                "name": symbol.name,
                "label": sp.pretty(symbol, use_unicode=True),  # alpha -> α
                "value": default,
                "min": s.low,
                "max": s.high,
                "step": s.step,
            }
        )
    return out


def reference_notes() -> dict[str, str]:
    """Where the explorer's code is the formula but PyTorch's function is not quite: the
    note under that explorer says so (the tests compare these with the formula evaluated
    in torch, tests/activations/explorer_check.py)."""
    from docs_build.chapters.activations import softplus_threshold

    t = softplus_threshold()["threshold"]
    return {
        "softplus": "This is the formula (1/β) log(1 + e^(βx)). PyTorch's F.softplus "
        f"returns x itself where βx > threshold (default {t}), and f′ = 1 there: tick "
        "“As F.softplus computes it” to see that form and move its threshold.",
        "celu": "f′ is the formula's. PyTorch's backward uses α rounded to float32, so "
        "its f′ differs in the last digits.",
        "hardsigmoid": "f′ is the formula's. PyTorch's backward uses 1/6 rounded to "
        "float32, so its f′ differs in the last digits.",
    }


def torch_notes() -> dict[str, str]:
    """The note under an explorer while it shows f as PyTorch computes it (an entry's
    ``torch_form``): what that form is and where it leaves the formula."""
    from docs_build.chapters.activations import softplus_threshold

    t = softplus_threshold()
    return {
        "softplus": "This is what F.softplus computes: the formula (1/β) log(1 + e^(βx)) "
        "where βx ≤ threshold, and x itself (f′ = 1) where βx > threshold. The switch "
        f"is at x = threshold/β: x = {float(t['threshold']) / float(t['beta']):g} with "
        f"the defaults (β = {t['beta']}, threshold {t['threshold']}), right of the "
        "default plot; lower the threshold or widen the range to see it.",
    }


def entry(act) -> dict:
    """What the explorer needs of one function: its title, parameters with their sliders,
    kinks, the convention at them, f and f' as JavaScript function bodies, and the same
    (with its extra sliders) for f as PyTorch computes it where the entry has a
    ``torch_form``."""
    f, df = printed(act)
    out = {
        "title": act.title,
        "page": act.page,
        "anchor": act.anchor,
        "kinks": list(act.kinks),
        "convention": act.convention,
        "reference_note": reference_notes().get(act.key, ""),
        "params": slider_params(act.params),
        "f": js(f),
        "df": js(df),
    }
    if act.torch_form is not None:
        # f as PyTorch computes it, with its own extra sliders (softplus's threshold)
        tf, tdf = torch_printed(act)
        out["torch"] = {
            "name": f"F.{act.reference.__name__}",
            "note": torch_notes()[act.key],
            "params": slider_params(act.torch_params),
            "f": js(tf),
            "df": js(tdf),
        }
    return out


def softmax_entry() -> dict:
    """Softmax with temperature, printed from the page's formula softmax_T(z)_i. It is not
    element-wise: its function takes the logit vector and returns the probabilities. The
    logits are shifted by their maximum first, which softmax.md shows changes nothing
    (a checked formula) and which keeps exp from overflowing."""
    from docs_build.chapters.activations.softmax import SOFTMAX_T, TEMPERATURE_ROW, T

    s = slider_for(T, 1.0)
    return {
        "title": "Softmax",
        "page": "softmax",
        "anchor": "",
        "vector": True,
        "logits": list(TEMPERATURE_ROW),
        "kinks": [],
        "convention": "",
        "params": [
            {
                "name": T.name,
                "label": T.name,
                "value": 1.0,
                "min": s.low,
                "max": s.high,
                "step": s.step,
            }
        ],
        "f": js(SOFTMAX_T.expr),
    }


def entries() -> dict[str, dict]:
    from docs_build.chapters.activations import ACTIVATIONS

    return {act.key: entry(act) for act in ACTIVATIONS}


def functions_js() -> str:
    """The script (``build_functions_js``), kept in the build's cache under the key of this
    module, what it imports (the activation registry) and the math helpers' file: printing
    it takes a second and a half, and deciding where autograd has a derivative imports
    torch, which a build whose caches are warm otherwise never does."""
    from docs_build import registry

    return registry.cached_text(cache_path(), build_functions_js, registry.use_cache())


def cache_path() -> Path:
    """Where the script is cached for the current sources (the build's warm-up makes it
    in a worker when it is missing: docs_build/prepare.py)."""
    from docs_build import registry

    key = registry.provider_key(build_functions_js)
    return registry.CACHE_DIR / "explorer" / f"functions-{key}.js"


def build_functions_js() -> str:
    """The script: the helpers, then every function as
    ``dlgExplorer.functions[key] = {..., f(x, p), df(x, p)}``."""
    lines = [
        "// Generated by docs_build/explorer.py from the activation registry: do not edit.",
        "(function () {",
        '"use strict";',
        MATH_JS.read_text(encoding="utf-8"),
        "var F = {};",
    ]
    for key, e in entries().items():
        meta = {k: v for k, v in e.items() if k not in ("f", "df")}
        if "torch" in e:
            meta["torch"] = {
                k: v for k, v in e["torch"].items() if k not in ("f", "df")
            }
        lines.append(
            f"F[{json.dumps(key)}] = Object.assign({json.dumps(meta, ensure_ascii=False)}, "
            f"{{f: function (x, p) {{ return {e['f']}; }}, "
            f"df: function (x, p) {{ return {e['df']}; }}}});"
        )
        if "torch" in e:
            t = e["torch"]
            at = ", ".join(torch_switches(key))
            lines.append(
                f"Object.assign(F[{json.dumps(key)}].torch, "
                f"{{f: function (x, p) {{ return {t['f']}; }}, "
                f"df: function (x, p) {{ return {t['df']}; }}, "
                f"switches: function (p) {{ return [{at}]; }}}});"
            )
    sm = softmax_entry()
    meta = {k: v for k, v in sm.items() if k != "f"}
    lines.append(
        f"var SOFTMAX = Object.assign({json.dumps(meta, ensure_ascii=False)}, "
        "{f: function (logits, p) { var m = Math.max.apply(null, logits); "
        "var z = logits.map(function (v) { return v - m; }); var K = z.length; "
        "var out = []; for (var i = 1; i <= K; i++) out.push("
        f"{sm['f']}); return out; }}}});"
    )
    lines += [
        "var root = typeof window !== 'undefined' ? window : globalThis;",
        "root.dlgExplorer = root.dlgExplorer || {};",
        "root.dlgExplorer.functions = F;",
        "root.dlgExplorer.softmax = SOFTMAX;",
        "root.dlgExplorer.erf = erf;",
        "root.dlgExplorer.erfc = erfc;",
        "root.dlgExplorer.sigma = sigma;",
        "root.dlgExplorer.softplus = softplus;",
        "})();",
        "",
    ]
    return "\n".join(lines)


# The file the script embeds counts in its cache key too (registry.key_of's ``sources``).
build_functions_js.sources = ("docs_build/explorer_math.js",)  # type: ignore[attr-defined]


def placeholder(figure_name: str) -> str:
    """After an activation's figure (``activations/<key>``), the element its explorer fills:
    hidden, so that without JavaScript the static figure is all there is."""
    from docs_build.chapters.activations import BY_KEY

    key = figure_name.removeprefix("activations/")
    if figure_name == "activations/softmax-temperature":
        key = "softmax"
    elif not figure_name.startswith("activations/") or key not in BY_KEY:
        return ""
    return f'\n\n<div class="dlg-explorer" data-explorer="{key}" hidden></div>'
