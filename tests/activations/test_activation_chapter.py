"""The chapter's other claims: sigmoid slope bound, softmax formulas, stable forms, naive
failures, linear collapse, vanishing gradients and dying ReLU; stated numbers are this code's."""

from __future__ import annotations

import itertools
import math
import re

import pytest
import sympy as sp
import torch
import torch.nn.functional as F
from activations import dying_relu, linear_collapse, naive, softmax, vanishing
from activations import functions as fx

from docs_build import api
from docs_build.api import BY_KEY
from docs_build.common import NUMBER_WORDS, count_word, defaults
from docs_build.formulas import lambdify_torch, x
from docs_build.registry import ROOT, get_facts
from tests.activations.symbols import (
    autograd_slope,
    eval_indexed,
    slope_vanishes,
    softmax_symbols,
)

sym = softmax_symbols()  # the softmax page's i, j, K, z, p, ...


LOGITS = [[2.0, 1.0, 0.1, -3.0], [50.0, -20.0, 0.0, 7.5]]


@pytest.mark.formula
@pytest.mark.claim(
    "sigmoid-tanh-slope-at-most-a-quarter",
    "vanishing-sigmoid-slope-at-most-a-quarter",
)
def test_sigmoid_slope_peaks_at_one_quarter_at_zero() -> None:
    slope = sp.diff(1 / (1 + sp.exp(-x)), x)  # the sigmoid's, solved exactly by sympy
    (at,) = sp.solve(sp.diff(slope, x), x)
    peak = sp.simplify(slope.subs(x, at))
    assert (at, peak) == (0, sp.Rational(1, 4))
    grid = torch.linspace(-10, 10, 20001, dtype=torch.float64)
    slope = autograd_slope(fx.sigmoid, grid)
    assert abs(slope.max().item() - 0.25) < 1e-12 and grid[slope.argmax()].abs() < 1e-9
    stated = get_facts("act")
    assert stated["sigmoid_dmax"] == r"\frac{1}{4}" and stated["sigmoid_dmax_at"] == "0"
    layers = int(stated["sigmoid_dmax_layers"])  # the depth the page quotes
    assert layers == 10
    assert stated["sigmoid_dmax_10"] == sp.latex(sp.Rational(1, 4) ** layers)


@pytest.mark.formula
def test_derivative_identities() -> None:
    sig = 1 / (1 + sp.exp(-x))
    identity = api.formula("act_sigmoid_prime").expr.subs(sp.Function("sigma")(x), sig)
    assert sp.simplify(identity - sp.diff(sig, x)) == 0
    assert sp.simplify(api.formula("act_tanh_prime").expr - sp.diff(sp.tanh(x), x)) == 0


@pytest.mark.formula
@pytest.mark.parametrize("row", LOGITS)
def test_softmax_formulas_equal_torch(row: list[float]) -> None:
    t = torch.tensor(row, dtype=torch.float64)
    m = max(row)
    for n in range(len(row)):
        i = n + 1  # the formulas index from 1, as printed
        assert math.isclose(
            eval_indexed(api.formula("act_softmax").expr.subs(sym.i, i), row),
            torch.softmax(t, 0)[n].item(),
            rel_tol=1e-12,
            abs_tol=1e-300,
        )
        want = torch.log_softmax(t, 0)[n].item()
        for f in (
            api.formula("act_log_softmax"),
            api.formula("act_log_softmax_stable"),
        ):
            got = eval_indexed(f.expr.subs({sym.i: i, sym.m: m}), row)
            assert math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-12)
        got = eval_indexed(
            api.formula("act_softmax_t").expr.subs({sym.i: i, sym.T: 4.0}), row
        )
        assert math.isclose(
            got, torch.softmax(t / 4.0, 0)[n].item(), rel_tol=1e-12, abs_tol=1e-12
        )
        ce = eval_indexed(api.formula("act_cross_entropy").expr.subs(sym.y, i), row)
        target = torch.tensor([n])
        assert math.isclose(
            ce, F.cross_entropy(t[None], target).item(), rel_tol=1e-12, abs_tol=1e-12
        )


@pytest.mark.formula
def test_stable_log_softmax_is_the_textbook_one_symbolically() -> None:
    row = sp.symbols("a b c", real=True)
    subs = {sym.K: 3, sym.i: 2}
    stable = api.formula("act_log_softmax_stable").expr.subs(subs).doit()
    plain = api.formula("act_log_softmax").expr.subs(subs).doit()
    values = {sym.z[n + 1]: s for n, s in enumerate(row)}
    diff = sp.expand_log(
        sp.simplify(stable.subs(values) - plain.subs(values)), force=True
    )
    assert sp.simplify(diff) == 0


@pytest.mark.formula
@pytest.mark.claim("softmax-two-classes-is-the-sigmoid")
def test_two_class_softmax_is_the_sigmoid() -> None:
    two = api.symbols("act_softmax_two")  # z_1 and z_2, by their printed names
    sig = 1 / (1 + sp.exp(-(two.z_1 - two.z_2)))
    assert sp.simplify(api.formula("act_softmax_two").expr - sig) == 0
    z = torch.randn(
        100, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0)
    )
    got = lambdify_torch(
        api.formula("act_softmax_two").args, api.formula("act_softmax_two").expr
    )(z[:, 0], z[:, 1])
    torch.testing.assert_close(got, torch.sigmoid(z[:, 0] - z[:, 1]))
    assert get_facts("softmax")["two_class_identity"].startswith(
        sp.latex(api.formula("act_softmax_two").expr)
    )


@pytest.mark.formula
def test_stable_sigmoid_and_softplus_equal_the_textbook_forms() -> None:
    assert (
        sp.simplify(
            api.formula("act_sigmoid_stable").expr.args[1][0] - 1 / (1 + sp.exp(-x))
        )
        == 0
    )
    grid = torch.linspace(-20, 20, 401, dtype=torch.float64)
    textbook = lambdify_torch((x,), sp.log(1 + sp.exp(x)))(grid)
    torch.testing.assert_close(
        api.formula("act_softplus_stable").torch()(grid), textbook
    )


@pytest.mark.claim(
    "numerical-stability-naive-forms-fail",
    "smooth-modern-softplus-formula-overflows",
    "numerical-stability-ours-finite-where-naive-fails",
)
def test_naive_forms_fail_and_torch_and_ours_do_not() -> None:
    cases = naive.failures()
    assert math.isnan(cases["sigmoid_grad_at_-100"][0])
    assert math.isnan(cases["sigmoid_positive_form_at_100"][0])
    assert math.isinf(cases["softplus_at_100"][0])
    assert cases["softplus_at_-20"][0] == 0.0 and cases["softplus_at_-20"][1] > 0
    assert math.isnan(cases["softmax_of_[1000,0]"][0])
    assert cases["log_softmax_of_[0,-200]"][0] == -math.inf
    for _naive, good in cases.values():
        assert math.isfinite(good)
    big = torch.tensor([-100.0, 100.0], requires_grad=True)
    (g,) = torch.autograd.grad(fx.sigmoid(big).sum(), big)
    assert torch.isfinite(g).all()
    assert fx.softplus(torch.tensor(100.0)).item() == 100.0
    assert fx.softplus(torch.tensor(-20.0)).item() > 0
    logits = torch.tensor([[1000.0, 0.0], [0.0, -200.0]])
    torch.testing.assert_close(fx.softmax(logits), torch.softmax(logits, -1))
    torch.testing.assert_close(fx.log_softmax(logits), torch.log_softmax(logits, -1))
    stated = get_facts("stable")
    assert stated["softplus_naive"] == "inf" and stated["softmax_naive"] == "nan"
    # the gradient at -100: exact value against float64 autograd; float32's is finite,
    # and either the subnormal value or 0 (a CPU's kernel may flush it), never asserted
    at = api.number("stable", "sigmoid_grad_at")
    assert at == -100  # the table's row, "at $x = -100$"
    exact = math.exp(at) / (1 + math.exp(at)) ** 2  # sigma'(x), its form safe for x < 0
    assert cases[f"sigmoid_grad_at_{at:g}"][1] in (0.0, pytest.approx(exact, rel=0.05))
    v64 = torch.tensor(at, dtype=torch.float64, requires_grad=True)
    (g64,) = torch.autograd.grad(torch.sigmoid(v64), v64)
    assert g64.item() == pytest.approx(exact, rel=1e-12)
    assert exact == pytest.approx(math.exp(-100), rel=1e-12)
    f32 = torch.finfo(torch.float32)
    assert 0 < exact < f32.tiny  # a subnormal float32 number
    assert stated["sigmoid_grad_exact"] == r"3.7 \times 10^{-44}"
    assert f"{exact:.1e}" == "3.7e-44"
    printed = re.fullmatch(r"(\d\.\d) \\times 10\^\{(-\d+)\}", stated["f32_tiny"])
    assert printed, stated["f32_tiny"]  # two significant digits, as LaTeX
    assert float(f"{printed[1]}e{printed[2]}") == float(f"{f32.tiny:.1e}")


@pytest.mark.claim("numerical-stability-exp-overflow")
def test_float32_exp_overflow_point_is_stated_on_the_safe_side() -> None:
    """e^x in float32 is finite up to the first stated value and infinite from the second,
    by the mathematics (math.exp in double precision against float32's largest value and
    the rounding threshold above it) and by torch.exp in float32: the exact results are
    more than 1e-5 (about 100 float32 steps) from the threshold, beyond a kernel's error."""
    stated = get_facts("stable")
    f32 = torch.finfo(torch.float32)
    ln_max = math.log(f32.max)
    low, high = float(stated["exp_finite_to"]), float(stated["exp_overflow"])
    assert low <= ln_max <= high and high - low <= 1e-4 + 1e-12
    # float32 rounds to inf at and above max + half a step: max * (1 + 2^-24)
    overflow_at = f32.max * (1 + 2.0**-24)
    low32 = torch.tensor(low, dtype=torch.float32)
    high32 = torch.tensor(high, dtype=torch.float32)
    assert low32.item() < ln_max < high32.item()  # float32 rounding kept the sides
    assert math.exp(low32.item()) < f32.max * (1 - 1e-5)
    assert math.exp(high32.item()) > overflow_at * (1 + 1e-5)
    assert torch.isfinite(torch.exp(low32)) and torch.exp(high32).item() == math.inf
    above = torch.nextafter(high32, torch.tensor(math.inf))  # and every float32 beyond
    assert torch.exp(above).item() == math.inf
    assert stated["exp_overflow"] != f"{ln_max:.2f}"  # not 88.72, below ln(max)


@pytest.mark.parametrize("fn", [fx.softmax, fx.log_softmax])
def test_scratch_softmax_matches_torch_on_edge_cases(fn) -> None:
    """Finite float32 logits against torch in float32; infinities and NaN against torch's
    float64 result (its float32 result there depends on the CPU's vectorized kernel), in
    float64 and, rounded, in float32; float16 and bfloat16 against the float64 result."""
    ref = torch.softmax if fn is fx.softmax else torch.log_softmax
    finite = [
        torch.randn(3, 5, generator=torch.Generator().manual_seed(0)) * 30,
        torch.empty(0, 4),
        torch.empty(2, 0),
        torch.tensor(3.0),
    ]
    for case in finite:
        for dim in (-1, 0) if case.ndim else (-1,):
            torch.testing.assert_close(fn(case, dim), ref(case, dim), equal_nan=True)
    special = torch.tensor(
        [[math.inf, 0.0], [-math.inf, 0.0], [math.nan, 1.0]], dtype=torch.float64
    )
    for dim in (-1, 0):
        want = ref(special, dim)
        torch.testing.assert_close(fn(special, dim), want, equal_nan=True)
        got32 = fn(special.float(), dim)
        torch.testing.assert_close(got32, want.float(), equal_nan=True)
    for dtype in (torch.float16, torch.bfloat16):
        v = torch.randn(4, 6, generator=torch.Generator().manual_seed(1)).to(dtype)
        got = fn(v)
        assert got.dtype == dtype
        want = ref(v.double(), -1)
        eps = torch.finfo(dtype).eps
        # 4 epsilons, relative to max(|value|, 1): log-softmax values reach about -5 here
        scale = want.abs().clamp(min=1.0) * eps
        assert ((got.double() - want).abs() / scale).max().item() <= 4, dtype
    with pytest.raises(TypeError, match="floating-point"):
        fn(torch.tensor([1, 2]))


def test_softmax_snippet_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="temperature must be > 0"):
        softmax.softmax_t(torch.zeros(3), 0.0)
    with pytest.raises(ValueError, match=r"logits \(N, C\) and target \(N,\)"):
        softmax.cross_entropy(torch.zeros(3), torch.zeros(3, dtype=torch.long))
    with pytest.raises(TypeError, match=r"torch\.long"):
        softmax.cross_entropy(torch.zeros(2, 3), torch.zeros(2))


def _softmax_closed_form(row: tuple[float, ...], t: float) -> list[float]:
    """softmax(row / t) with math.exp, the largest logit subtracted first."""
    top = max(row)
    e = [math.exp((v - top) / t) for v in row]
    return [v / sum(e) for v in e]


def _one_hot_bound(row: tuple[float, ...], t: float) -> float:
    """The page's printed bound (K - 1) exp(-Delta / T) on 1 - max softmax_T, evaluated
    from its registered formula at these logits (Delta: largest minus the runner-up)."""
    s = api.symbols("act_softmax_one_hot_bound")
    top, second = sorted(row, reverse=True)[:2]
    subs = {s.K: len(row), s.Delta: top - second, s.T: t}
    return float(api.formula("act_softmax_one_hot_bound").expr.subs(subs).evalf(30))


# The softmax-temperature figure's alt text, as the page shows it: the logits, the
# temperatures and the two bounds it states.
TEMPERATURE_ALT = re.compile(
    r"Grouped bar chart of softmax probabilities of the logits (?P<row>[-\d., ]+?) "
    r"at temperatures (?P<temps>[\d., ]+?): at (?P<cold>[\d.]+) the first class takes "
    r"more than (?P<peaked>\d+)% of the mass, at (?P<hot>[\d.]+) each of the "
    r"(?P<k>\d+) bars is within (?P<flat>[\d.]+) of 1/(?P<k_denominator>\d+)\."
)


def _floats(text: str) -> tuple[float, ...]:
    """A row as the page prints it ("2, 1, 0.1") read back."""
    return tuple(float(v) for v in text.split(", "))


@pytest.mark.claim(
    "softmax-cold-temperature-bound",
    "softmax-cross-entropy-float32-rounding",
    "softmax-one-hot-bound",
)
def test_softmax_temperature_table_and_one_hot_limit() -> None:
    """The table's probabilities and entropies, the alt text's bounds, and the one-hot limit
    (1 - max p <= (K - 1) exp(-gap / T)) against math.exp, not the snippet run again. The
    logits, temperatures and bounds are the ones the page states."""
    stated = get_facts("softmax")
    row = _floats(stated["row"])
    # the table, row by row: temperature | probabilities | entropy
    header, rule, *lines = stated["temperature_table"].splitlines()
    assert header == "| Temperature $T$ | probabilities | entropy (nats) |"
    assert rule == "|---|---|---|"
    temps = []
    for line in lines:
        t_cell, p_cell, h_cell = (c.strip() for c in line.strip("|").split("|"))
        t = float(t_cell)
        temps.append(t)
        p = _softmax_closed_form(row, t)
        assert p_cell == ", ".join(f"{v:.3f}" for v in p)
        h = -sum(v * math.log(v) for v in p if v > 0)
        assert abs(float(h_cell) - h) <= 5e-4
        assert h <= math.log(len(row))
        key = f"{t:g}".replace(".", "_")
        assert (stated[f"p_{key}"], stated[f"entropy_{key}"]) == (p_cell, h_cell)
    assert len(temps) >= 2 and temps == sorted(temps)
    # the figure: the same logits and temperatures, and the bounds its alt text states
    figure = api.figure("activations/softmax-temperature")
    assert figure.caption.startswith(
        f"Softmax of the logits ({stated['row']}) at {len(temps)} temperatures."
    )
    alt = TEMPERATURE_ALT.fullmatch(figure.alt)
    assert alt, figure.alt
    assert _floats(alt["row"]) == row and list(_floats(alt["temps"])) == temps
    cold, hot = min(temps), max(temps)
    assert (float(alt["cold"]), float(alt["hot"])) == (cold, hot)
    assert int(alt["k"]) == int(alt["k_denominator"]) == len(row)
    p_cold = _softmax_closed_form(row, cold)  # "the first class takes more than 95%"
    assert max(p_cold) == p_cold[0] > int(alt["peaked"]) / 100
    for v in _softmax_closed_form(row, hot):  # "each bar is within 0.1 of 1/3"
        assert abs(v - 1 / len(row)) < float(alt["flat"])
    # the one-hot limit: max p rises toward 1 as T falls, within the printed bound
    limit_temps = [4.0, 1.0, 0.25, 0.1, 0.01]
    peaks = [max(_softmax_closed_form(row, t)) for t in limit_temps]
    assert peaks == sorted(peaks) and 1 - peaks[-1] < 1e-12
    for t, peak in zip(limit_temps, peaks, strict=True):
        assert 1 - peak <= _one_hot_bound(row, t) * (1 + 1e-12)
    # the page's numbers at its T: the rounded bound is on the safe side
    bound = float(stated["one_hot_bound_cold"])
    assert bound >= _one_hot_bound(row, cold)
    assert 1 - float(stated["p_max_cold"]) <= bound
    assert stated["t_cold"] == f"{cold:g}"
    assert stated["k"] == str(len(row))
    # cross-entropy: ours and F.cross_entropy differ by float32 rounding only, at most
    # the page's number of ulps at the loss's value (float32 numbers near 2.38 are 2^-22
    # apart), measured anew, not read from the page
    ours = softmax.cross_entropy(softmax.logits, softmax.target)
    theirs = F.cross_entropy(softmax.logits, softmax.target)
    value = torch.tensor(theirs.item(), dtype=torch.float32)
    ulp = (torch.nextafter(value, torch.tensor(math.inf)) - value).item()
    assert ulp == 2.0 ** math.floor(math.log2(theirs.item())) * 2.0**-23
    ce_ulps = NUMBER_WORDS.index(stated["ce_ulps"])  # "at most four ulps"
    assert 1 <= ce_ulps <= 4  # a few: a wrong formula is off by far more
    assert (ours - theirs).abs().item() <= ce_ulps * ulp
    # the printed gap is this gap, to two digits
    assert stated["ce_gap"] == f"{(ours - theirs).abs().item():.1e}"
    assert stated["ce_value"] == f"{theirs.item():.3f}"
    assert stated["ce_ulp"] == f"2^{{{round(math.log2(ulp))}}}"
    # the snippet's softmax_t follows the same limit on random logits
    gen = torch.Generator().manual_seed(1)
    logits = torch.randn(8, 5, dtype=torch.float64, generator=gen)
    top2 = logits.topk(2, dim=-1).values
    for t in limit_temps:
        p = softmax.softmax_t(logits, t)
        bound_t = 4 * torch.exp(-(top2[:, 0] - top2[:, 1]) / t)
        assert (1 - p.amax(-1) <= bound_t + 1e-12).all()


def test_one_logit_is_enough_for_two_classes() -> None:
    """sigmoid(z) = softmax([z, 0])_1, and the page says 'one is enough', not 'needs one'."""
    z = torch.linspace(-30, 30, 601, dtype=torch.float64)
    pair = torch.stack([z, torch.zeros_like(z)], dim=-1)
    torch.testing.assert_close(
        torch.sigmoid(z), torch.softmax(pair, -1)[:, 0], rtol=1e-12, atol=1e-300
    )
    page = (ROOT / "docs" / "activations" / "softmax.md").read_text(encoding="utf-8")
    assert "one logit is therefore enough" in page and "needs one logit" not in page


@pytest.mark.claim("index-collapse-float32-rounding")
def test_linear_stack_collapses_and_facts_are_this_run() -> None:
    lc = linear_collapse
    torch.testing.assert_close(
        lc.deep_linear(lc.x), lc.one_layer(lc.x), atol=1e-5, rtol=0
    )
    with pytest.raises(
        TypeError, match=r"only a stack of nn.Linear collapses; found \['ReLU'\]"
    ):
        lc.collapse(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU()))
    stated = get_facts("collapse")
    assert stated["merged_params"] == str(4 * 3 + 3)
    assert stated["deep_params"] == str((4 * 16 + 16) + (16 * 16 + 16) + (16 * 3 + 3))
    # "float32 rounding": less than COLLAPSE_EPS epsilons times max(1, largest output)
    scale = max(lc.deep_linear(lc.x).abs().max().item(), 1.0)
    epsilons = int(stated["rounding_eps"])  # as the page states it
    assert epsilons == 256
    bound = epsilons * torch.finfo(torch.float32).eps * scale
    gap = (lc.deep_linear(lc.x) - lc.one_layer(lc.x)).abs().max().item()
    assert gap < bound and float(stated["gap"]) < bound


def _exp10(fact: str) -> int:
    """The exponent of a '10^{-6}' fact."""
    return int(fact.removeprefix("10^{").removesuffix("}"))


@pytest.mark.claim("sigmoid-tanh-weights-can-make-up")
def test_sigmoid_bound_is_on_the_activation_factor_not_the_layer() -> None:
    """sigma' <= 1/4 at every unit of the sigmoid network, but a layer with weights can pass
    more: so the pages state the bound of the activation's factor, not of a layer's."""
    model = vanishing.deep_mlp("sigmoid")
    x, _ = vanishing.batch()
    pre: list[torch.Tensor] = []
    for m in model:
        if isinstance(m, torch.nn.Sigmoid):
            m.register_forward_hook(lambda _m, inp, _out: pre.append(inp[0].detach()))
    model(x)
    assert len(pre) == defaults(vanishing.gradient_norms)["depth"]
    for z in pre:
        z = z.clone().requires_grad_(True)
        (slope,) = torch.autograd.grad(torch.sigmoid(z).sum(), z)
        assert slope.max().item() <= 0.25
    stated = get_facts("vanish")
    w = int(stated["weight_example"])
    z0 = torch.zeros((), dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(torch.sigmoid(w * z0), z0)
    assert g.item() == pytest.approx(w / 4, rel=1e-12) and g.item() > 0.25
    z = sp.Symbol("z", real=True)
    exact = sp.diff(1 / (1 + sp.exp(-w * z)), z).subs(z, 0).simplify()
    assert exact == sp.Rational(w, 4)
    assert stated["weight_example_slope"] == sp.latex(exact)
    for page in ("sigmoid-tanh.md", "vanishing-gradients.md"):
        text = (ROOT / "docs" / "activations" / page).read_text(encoding="utf-8")
        assert (
            "every sigmoid layer multiplies the backward signal by at most" not in text
        )
    text = (ROOT / "docs" / "activations" / "sigmoid-tanh.md").read_text(
        encoding="utf-8"
    )
    paragraph = next(p for p in text.split("\n\n") if "act.sigmoid_dmax_10" in p)
    assert "activation's factor" in paragraph and "weights multiply in" in paragraph


@pytest.mark.claim(
    "index-sigmoid-vanishes",
    "index-tanh-needs-its-gain",
    "vanishing-default-init-first-layer-smaller",
    "vanishing-sigmoid-below-bound",
    "vanishing-tanh-relu-gelu-within-10x",
)
def test_vanishing_gradients_measured() -> None:
    """The table's and alt text's claims at the bounds the page states."""
    norms = {n: vanishing.gradient_norms(n) for n in vanishing.ACTIVATIONS}
    ratio = {n: v[0] / v[-1] for n, v in norms.items()}
    stated = get_facts("vanish")
    below = _exp10(stated["sigmoid_below"])
    near_one = float(stated["near_one"])
    assert (below, near_one) == (-6, 10)  # as stated; no quiet loosening
    assert ratio["sigmoid"] < 10.0**below
    assert float(stated["gain_sigmoid_ratio"]) < 10.0**below  # the number shown, too
    sig = norms["sigmoid"]
    assert all(a < b for a, b in itertools.pairwise(sig)), (
        "falls at every layer toward the input"
    )
    for name in ("tanh", "relu", "gelu"):
        spread = max(norms[name]) / min(norms[name])
        assert spread < near_one, name  # every layer within the factor
        assert 1 / near_one < float(stated[f"gain_{name}_ratio"]) < near_one
    for name in vanishing.ACTIVATIONS:  # default init: the first layer gets less
        default = vanishing.gradient_norms(name, init="default")
        assert default[0] < default[-1], name
        assert float(stated[f"default_{name}_ratio"]) < 1
    # index.md: tanh needs its gain; with the default init its ratio leaves the band
    assert float(stated["default_tanh_ratio"]) < 1 / near_one
    # "the sigmoid's ratio falls to": lower with the default init than with its gain
    default_sigmoid = vanishing.gradient_norms("sigmoid", init="default")
    assert default_sigmoid[0] / default_sigmoid[-1] < ratio["sigmoid"]
    assert (
        stated["depth"]
        == str(len(norms["relu"]))
        == str(defaults(vanishing.gradient_norms)["depth"])
    )
    assert stated["width"] == str(vanishing.deep_mlp("relu")[0].in_features)
    with pytest.raises(ValueError, match="activation must be one of"):
        vanishing.deep_mlp("swish")


def _stated_seeds(namespace: str) -> range:
    """The seeds a page states as "first to last"."""
    first, last = get_facts(namespace)["seeds"].split(" to ")
    return range(int(first), int(last) + 1)


@pytest.mark.claim("index-tanh-gain-within-10x", "vanishing-spread-over-seeds")
def test_vanishing_spread_over_seeds() -> None:
    """Over each stated seed, with the recommended gains: tanh and GELU keep every layer
    within NEAR_ONE of every other, ReLU within NEAR_ONE_RELU_SEEDS."""
    stated, seeds = get_facts("vanish"), _stated_seeds("vanish")
    assert stated["seed_count"] == count_word(len(seeds)).lower()
    near_one = float(stated["near_one"])
    bound = {
        "tanh": near_one,
        "gelu": near_one,
        "relu": float(stated["near_one_relu_seeds"]),
    }
    worst = dict.fromkeys(bound, 0.0)
    for seed in seeds:
        for name, factor in bound.items():
            norms = vanishing.gradient_norms(name, seed=seed)
            spread = max(norms) / min(norms)
            assert spread < factor, (name, seed, spread)
            worst[name] = max(worst[name], spread)
    # the sentence says "depends on the draw": ReLU leaves the seed-0 band on some seed
    assert worst["relu"] > near_one


@pytest.mark.claim("vanishing-gelu-close-to-relu-far-from-0")
def test_vanishing_gains_are_the_stated_ones() -> None:
    """Gains against their closed forms; GELU borrows ReLU's, for the reason stated."""
    stated = get_facts("vanish")
    expected = {
        "sigmoid": 1.0,
        "tanh": 5 / 3,
        "relu": math.sqrt(2),
        "gelu": math.sqrt(2),
    }
    for name, gain in expected.items():
        assert vanishing.ACTIVATIONS[name][1] == pytest.approx(gain, rel=1e-12)
        assert stated[f"{name}_gain"] == f"{gain:.4g}"
    with pytest.raises(ValueError):
        torch.nn.init.calculate_gain("gelu")
    gap_bound = 10.0 ** _exp10(stated["gelu_relu_gap"])
    start = float(stated["gelu_relu_from"])
    near = torch.linspace(-1, 1, 201, dtype=torch.float64)  # "though not near 0"
    assert (F.gelu(near) - F.relu(near)).abs().max().item() > gap_bound
    # |GELU(x) - ReLU(x)| = |x| Phi(-|x|), below the stated gap for |x| >= the stated x
    far = torch.linspace(start, 1e3, 100001, dtype=torch.float64)
    for v in (far, -far):
        gap = (F.gelu(v) - F.relu(v)).abs()
        assert gap.max().item() < gap_bound
    assert start * 0.5 * math.erfc(start / math.sqrt(2)) < gap_bound


@pytest.mark.claim("vanishing-sigmoid-gain-4")
def test_sigmoid_gain_accounts_for_part_of_the_vanishing() -> None:
    """Gain 1/sigma'(0) = 4 lifts the ratio by more than the stated factor, and it stays
    below the stated bound."""
    z0 = torch.zeros((), dtype=torch.float64, requires_grad=True)
    (slope,) = torch.autograd.grad(torch.sigmoid(z0), z0)
    stated = get_facts("vanish")
    gain = api.number("vanish", "boost_gain")  # the gain the page's ratio is run with
    assert gain == 1 / slope.item() == 4.0
    plain = vanishing.gradient_norms("sigmoid")
    boosted = vanishing.gradient_norms("sigmoid", gain=gain)
    r1, r4 = plain[0] / plain[-1], boosted[0] / boosted[-1]
    factor = float(stated["boost_factor"])
    assert r4 > factor * r1 and r4 < 10.0 ** _exp10(stated["boost_below"])
    assert float(stated["boost_ratio"]) > factor * float(stated["gain_sigmoid_ratio"])
    assert stated["boost_gain"] == "4"


@pytest.mark.claim(
    "vanishing-adam-first-layer-moves",
    "vanishing-sgd-first-layer-still",
)
def test_first_layer_barely_moves_under_sgd_and_moves_under_adam() -> None:
    """The 'does the first layer learn' section, at its stated bounds."""
    runs = api.runs("vanish")["changes"]
    stated = get_facts("vanish")
    still, moves = _exp10(stated["sgd_still"]), _exp10(stated["adam_moves"])
    assert (still, moves) == (-6, -3)  # as stated; no quiet loosening
    assert (
        runs["SGD"][0] < 10.0**still and float(stated["sgd_first_change"]) < 10.0**still
    )
    assert (
        runs["Adam"][0] > 10.0**moves
        and float(stated["adam_first_change"]) > 10.0**moves
    )
    assert runs["SGD"][-1] > runs["SGD"][0]  # the last layer does move under SGD
    assert stated["adam_lr"] == f"{vanishing.OPTIMIZERS['Adam'][1]:g}"
    # Adam's lr * g / eps against SGD's lr * g: 1e-3 / 1e-8 / 0.1
    lrs = {k: lr for k, (_, lr) in vanishing.OPTIMIZERS.items()}
    eps = 10.0 ** _exp10(stated["adam_eps"])
    assert math.isclose(lrs["Adam"] / eps / lrs["SGD"], 1e6)
    assert stated["adam_over_sgd"] == "10^{6}"


@pytest.mark.claim(
    "vanishing-first-layer-gradient-below-adam-eps",
    "vanishing-adam-first-layer-depends-on-eps",
)
def test_adam_moves_the_first_layer_through_its_eps() -> None:
    """The first layer's gradient is below Adam's eps, so eps sets Adam's step there: a
    larger eps moves the first layer by less than the stated bound."""
    eps = torch.optim.Adam([torch.zeros(1, requires_grad=True)]).defaults["eps"]
    stated = get_facts("vanish")
    assert stated["adam_eps"] == "10^{-8}" and 10.0 ** _exp10(stated["adam_eps"]) == eps
    grad = vanishing.first_layer_gradient("sigmoid")
    assert grad.shape == vanishing.deep_mlp("sigmoid")[0].weight.shape
    # "The first layer's gradient is smaller than eps": every entry, not only the median
    assert grad.max().item() < eps and float(stated["first_grad_median"]) < eps
    with pytest.raises(ValueError, match="depth must be at least 1"):
        vanishing.first_layer_gradient("sigmoid", depth=0)
    with pytest.raises(ValueError, match="width must be at least 1"):
        vanishing.first_layer_gradient("sigmoid", width=0)
    moves = _exp10(stated["adam_moves"])
    training = api.runs("vanish")
    assert stated["adam_eps_larger"] == "10^{-6}"
    assert 10.0 ** _exp10(stated["adam_eps_larger"]) == training["larger_eps"]
    larger = training["changes"]["Adam, larger eps"][0]
    assert larger < 10.0**moves < training["changes"]["Adam"][0]
    assert float(stated["adam_larger_eps_first_change"]) < 10.0**moves
    # Adam's first step is lr * g / (|g| + eps): about lr * g / eps for |g| << eps
    for g in (1e-10, 1e-11):
        w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.Adam([w], lr=1e-3)
        w.grad = torch.full_like(w, g)
        opt.step()
        assert abs(w.item()) == pytest.approx(1e-3 * g / eps, rel=2e-2)
        assert abs(w.item()) < 1e-3 / 50  # not "about the learning rate"
    assert stated["sgd_lr"] == f"{vanishing.OPTIMIZERS['SGD'][1]:g}"
    with pytest.raises(ValueError, match="steps must be >= 1"):
        vanishing.weight_changes("sigmoid", torch.optim.SGD, 0.1, steps=0)


# the page's "leaky ReLU and ELU": the activations that pass a gradient when inactive
LEAKY = ("leaky ReLU (0.01)", "ELU")


def _dead_units(model: torch.nn.Sequential) -> torch.Tensor:
    x, _ = dying_relu.data()
    with torch.no_grad():
        return (model[0](x) <= 0).all(dim=0)


@pytest.mark.claim(
    "relu-family-dead-unit-gets-no-gradient",
    "vanishing-dead-unit-gets-no-gradient",
)
def test_a_dead_relu_unit_gets_exactly_zero_gradient() -> None:
    """Per unit: dead on every input means its weight and bias gradients are exactly 0."""
    model = dying_relu.build(torch.nn.ReLU())
    dead = _dead_units(model)
    assert dead.any() and not dead.all()
    x, y = dying_relu.data()
    F.mse_loss(model(x), y).backward()
    hidden = model[0]
    assert (hidden.weight.grad[dead] == 0).all() and (hidden.bias.grad[dead] == 0).all()
    assert (hidden.bias.grad[~dead] != 0).any()


@pytest.mark.claim(
    "index-dying-relu-optimizers",
    "vanishing-adam-leaves-dead-units-unchanged",
    "vanishing-dying-adam-revives",
    "vanishing-dying-dead-relu-units-stay-dead",
    "vanishing-dying-elu-sgd-diverges",
    "vanishing-dying-leaky-sgd-stays-inactive",
    "vanishing-dying-most-units-start-inactive",
    "vanishing-dying-relu-loss-3x",
)
def test_dying_relu_measured() -> None:
    """Each sentence of the dying-ReLU section, for each optimizer, at the stated bound."""
    runs = api.runs("dying")
    relu_start = dying_relu.build(torch.nn.ReLU())
    dead0 = _dead_units(relu_start)
    for label in dying_relu.OPTIMIZER_LRS:
        model, h = runs[(label, "ReLU")]
        assert h["dead"][0] > 0.5  # "most units are inactive on every input"
        # the units dead at the start never move and are still dead at the end
        for name in ("weight", "bias"):
            before, after = getattr(relu_start[0], name), getattr(model[0], name)
            assert torch.equal(before[dead0], after[dead0]), (label, name)
        assert _dead_units(model)[dead0].all()
        assert h["dead"][-1] > h["dead"][0], label  # "a few more units die"
    relu_adam = runs[("Adam", "ReLU")][1]
    loss_factor = float(get_facts("dying")["loss_factor"])
    for name in LEAKY:
        model, h = runs[("Adam", name)]
        assert h["dead"][-1] < h["dead"][0], name
        start = _dead_units(dying_relu.build(dying_relu.RELU_FAMILY[name]()))
        assert (start & ~_dead_units(model)).any(), name  # the same units, active again
        assert h["loss"][-1] < h["loss"][0]  # "the loss falls"
        assert h["loss"][-1] < relu_adam["loss"][-1] / loss_factor, name
    _, leaky_sgd = runs[("SGD", "leaky ReLU (0.01)")]
    assert leaky_sgd["dead"][-1] >= leaky_sgd["dead"][0]  # "ends no lower"
    _, elu_sgd = runs[("SGD", "ELU")]
    stated = get_facts("dying")
    stop = int(stated["elu_sgd_diverged_after"])  # "no longer finite after N steps"
    assert all(math.isfinite(v) for v in elu_sgd["loss"][:stop])
    assert not math.isfinite(elu_sgd["loss"][stop])
    assert math.isnan(elu_sgd["dead"][-1])  # no inactive share of a diverged run
    # index.md: "because that learning rate was too large for it" (2 / curvature < lr)
    sgd_lr = dying_relu.OPTIMIZER_LRS["SGD"][1]
    assert 2 / dying_relu.output_curvature(torch.nn.ELU()) < sgd_lr
    assert stated["leaky_slope"] == f"{torch.nn.LeakyReLU().negative_slope:g}"
    with pytest.raises(ValueError, match="expected \\(examples, units\\)"):
        dying_relu.dead_fraction(torch.zeros(3))
    assert math.isnan(dying_relu.dead_fraction(torch.tensor([[math.inf, 0.0]])))


@pytest.mark.claim(
    "vanishing-dying-elu-sgd-small-lr-trains",
    "vanishing-dying-elu-sgd-step-too-large",
)
def test_elu_diverges_under_sgd_because_its_step_is_too_large() -> None:
    """The output layer's curvature at initialization, from its exact Hessian checked
    against autograd's; 2 / curvature against SGD's learning rate; and an ELU run at a
    learning rate below the limit that does not diverge."""
    stated = get_facts("dying")
    sgd_lr = dying_relu.OPTIMIZER_LRS["SGD"][1]
    assert stated["sgd_lr"] == f"{sgd_lr:g}"
    # the closed-form Hessian equals autograd's Hessian of the loss in (W, b), for each
    x, y = dying_relu.data()
    for name, act in dying_relu.RELU_FAMILY.items():
        model = dying_relu.build(act())
        with torch.no_grad():
            h = model[1](model[0](x)).double()
        out = model[2]
        params = torch.cat([out.weight.flatten(), out.bias]).double()

        def loss(p: torch.Tensor, h: torch.Tensor = h) -> torch.Tensor:
            return F.mse_loss(h @ p[:-1].unsqueeze(1) + p[-1], y.double())

        hessian = torch.autograd.functional.hessian(loss, params)
        lam = torch.linalg.eigvalsh(hessian).max().item()
        got = dying_relu.output_curvature(act())
        assert got == pytest.approx(lam, rel=1e-9), name
    curvature = {
        name: dying_relu.output_curvature(act())
        for name, act in dying_relu.RELU_FAMILY.items()
    }
    for name, c in curvature.items():
        assert stated[f"{name.split()[0].lower()}_curvature"] == f"{c:.1f}"
    limit = float(stated["elu_sgd_limit"])
    assert 2 / curvature["ELU"] < limit < sgd_lr  # "below the limit, far under lr"
    for name in ("ReLU", "leaky ReLU (0.01)"):
        assert 2 / curvature[name] > sgd_lr, name
    inactive = dying_relu.inactive_outputs(torch.nn.ELU())
    assert inactive.numel() > 0 and (inactive < 0).all()
    assert (dying_relu.inactive_outputs(torch.nn.ReLU()) == 0).all()  # "not 0"
    assert float(stated["elu_inactive_mean"]) == pytest.approx(
        inactive.mean().item(), abs=5e-3
    )
    # below the limit, the same network trains with SGD
    run = api.runs("dying.elu_sgd_small_lr")
    small_lr, small = api.number("dying", "elu_sgd_small_lr"), run["history"]
    assert small_lr == run["lr"]  # the page states the rate the run used
    assert 2 / curvature["ELU"] > small_lr
    assert all(math.isfinite(v) for v in small["loss"])  # never diverged
    assert small["loss"][-1] < small["loss"][0]
    assert stated["elu_sgd_small_lr"] == f"{run['lr']:g}"
    assert float(stated["elu_sgd_small_loss_end"]) < float(
        stated["elu_sgd_small_loss_start"]
    )


@pytest.mark.claim("vanishing-dying-relu-loss-over-seeds")
def test_dying_relu_loss_over_seeds() -> None:
    """Over each stated seed, with Adam, ReLU's final loss is above both leaky ReLU's and
    ELU's; the seed-0 factor does not hold on every seed (so the page ties it to seed 0)."""
    opt, lr = dying_relu.OPTIMIZER_LRS["Adam"]
    factors = []
    for seed in _stated_seeds("dying"):
        final = {
            name: dying_relu.train(act(), opt, lr, seed=seed)[1]["loss"][-1]
            for name, act in dying_relu.RELU_FAMILY.items()
        }
        worse_other = max(final[name] for name in LEAKY)
        assert final["ReLU"] > worse_other, (seed, final)
        factors.append(final["ReLU"] / worse_other)
    # why the 3x sentence says "in this run"
    assert min(factors) < float(get_facts("dying")["loss_factor"])


@pytest.mark.claim("vanishing-adam-step-about-the-learning-rate")
def test_adam_steps_a_small_gradient_by_about_the_learning_rate() -> None:
    """Why leaky units recover under Adam: its first step moves each inactive unit's bias
    by about lr, because every such gradient is much larger than eps (the stated bound);
    SGD's moves it by lr times the gradient."""
    stated = get_facts("dying")
    eps = 10.0 ** _exp10(get_facts("vanish")["adam_eps"])  # the page's "eps = 10^-8"
    assert eps == 1e-8
    floor = 10.0 ** _exp10(stated["grad_min_bound"])
    assert floor >= 100 * eps  # "much larger than eps"
    for name in LEAKY:
        gradients = dying_relu.inactive_bias_gradients(dying_relu.RELU_FAMILY[name]())
        assert gradients.numel() > 0 and gradients.min() > floor, name
    with pytest.raises(TypeError, match=r"an nn\.Module instance"):
        dying_relu.inactive_bias_gradients(torch.nn.ELU)  # the class, not a module
    with pytest.raises(ValueError, match="no hidden unit is inactive"):
        dying_relu.inactive_outputs(torch.nn.ELU(), bias=50.0)
    with pytest.raises(ValueError, match="width must be at least 1"):
        dying_relu.output_curvature(torch.nn.ELU(), width=0)
    # the curvature needs no inactive unit: any bias works
    assert dying_relu.output_curvature(torch.nn.ELU(), bias=1.0) > 0
    for (label, (opt, lr)), name in itertools.product(
        dying_relu.OPTIMIZER_LRS.items(), LEAKY
    ):
        model = dying_relu.build(dying_relu.RELU_FAMILY[name]())
        dead = _dead_units(model)
        before = model[0].bias.detach().clone()
        x, y = dying_relu.data()
        optimizer = opt(model.parameters(), lr=lr)
        F.mse_loss(model(x), y).backward()
        grad = model[0].bias.grad[dead].clone()
        optimizer.step()
        step = (model[0].bias.detach() - before)[dead].abs()
        if label == "Adam":
            torch.testing.assert_close(
                step, torch.full_like(step, lr), rtol=1e-2, atol=0
            )
        else:  # lr * gradient, of which float32 keeps, next to a bias of -2.5, even less
            ulp = torch.finfo(torch.float32).eps * 4
            if (
                name == "leaky ReLU (0.01)"
            ):  # "with leaky ReLU's slope that step is tiny"
                assert (lr * grad.abs()).max().item() < lr / 100
            assert (step <= lr * grad.abs() + ulp).all()


@pytest.mark.claim("relu-family-clamp-gradient-differs")
def test_clamp_gradient_at_zero_differs_from_relus() -> None:
    """x.clamp(min=0) equals ReLU in value, but its gradient at 0 is 1 where torch.relu's
    (and ours) is 0; on either side they agree."""
    v = torch.tensor([-1.0, 0.0, 1.0], dtype=torch.float64)
    torch.testing.assert_close(v.clamp(min=0), torch.relu(v))
    clamp = autograd_slope(lambda t: t.clamp(min=0), v)
    relu = autograd_slope(torch.relu, v)
    assert clamp.tolist() == [0.0, 1.0, 1.0] and relu.tolist() == [0.0, 0.0, 1.0]
    torch.testing.assert_close(autograd_slope(fx.relu, v), relu)


def test_overview_alt_text() -> None:
    """The overview figure's alt text: sigmoid and tanh flatten out (their slope tends to 0
    on both sides), the others grow like x for x > 0 (slope 1 far right)."""
    far = torch.tensor([1e4], dtype=torch.float64)
    for key in ("sigmoid", "tanh"):
        assert slope_vanishes(BY_KEY[key].fn) == "both", key
    for key in ("relu", "leaky_relu", "gelu", "silu"):
        slope = autograd_slope(BY_KEY[key].fn, far).item()
        assert abs(slope - 1) < 1e-9, key
