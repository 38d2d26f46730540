"""The chapter's other claims: sigmoid slope bound, softmax formulas, stable forms, naive
failures, linear collapse, vanishing gradients and dying ReLU; stated numbers are this code's."""

from __future__ import annotations

import math

import pytest
import sympy as sp
import torch
import torch.nn.functional as F
from activations import dying_relu, linear_collapse, naive, softmax, vanishing
from activations import functions as fx

from docs_build.chapters import activations as reg
from docs_build.formulas import lambdify_torch, x
from docs_build.registry import get_facts

LOGITS = [[2.0, 1.0, 0.1, -3.0], [50.0, -20.0, 0.0, 7.5]]


@pytest.mark.formula
def test_sigmoid_slope_peaks_at_one_quarter_at_zero() -> None:
    at, peak = reg.sigmoid_derivative_peak()
    assert (at, peak) == (0, sp.Rational(1, 4))
    grid = torch.linspace(-10, 10, 20001, dtype=torch.float64)
    slope = reg.derivative_autograd(fx.sigmoid, grid)
    assert abs(slope.max().item() - 0.25) < 1e-12 and grid[slope.argmax()].abs() < 1e-9
    stated = get_facts("act")
    assert stated["sigmoid_dmax"] == r"\frac{1}{4}" and stated["sigmoid_dmax_at"] == "0"
    assert stated["sigmoid_dmax_10"] == sp.latex(
        sp.Rational(1, 4) ** reg.SIGMOID_LAYERS
    )


@pytest.mark.formula
def test_derivative_identities() -> None:
    sig = 1 / (1 + sp.exp(-x))
    identity = reg.SIGMOID_DERIVATIVE.expr.subs(reg.sigma(x), sig)
    assert sp.simplify(identity - sp.diff(sig, x)) == 0
    assert sp.simplify(reg.TANH_DERIVATIVE.expr - sp.diff(sp.tanh(x), x)) == 0


@pytest.mark.formula
@pytest.mark.parametrize("row", LOGITS)
def test_softmax_formulas_equal_torch(row: list[float]) -> None:
    t = torch.tensor(row, dtype=torch.float64)
    m = max(row)
    for n in range(len(row)):
        i = n + 1  # the formulas index from 1, as printed
        assert math.isclose(
            reg.eval_indexed(reg.SOFTMAX.expr.subs(reg.i, i), row),
            torch.softmax(t, 0)[n].item(),
            rel_tol=1e-12,
            abs_tol=1e-300,
        )
        want = torch.log_softmax(t, 0)[n].item()
        for f in (reg.LOG_SOFTMAX, reg.LOG_SOFTMAX_STABLE):
            got = reg.eval_indexed(f.expr.subs({reg.i: i, reg.m: m}), row)
            assert math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-12)
        got = reg.eval_indexed(reg.SOFTMAX_T.expr.subs({reg.i: i, reg.T: 4.0}), row)
        assert math.isclose(
            got, torch.softmax(t / 4.0, 0)[n].item(), rel_tol=1e-12, abs_tol=1e-12
        )
        ce = reg.eval_indexed(reg.CROSS_ENTROPY.expr.subs(reg.y, i), row)
        target = torch.tensor([n])
        assert math.isclose(
            ce, F.cross_entropy(t[None], target).item(), rel_tol=1e-12, abs_tol=1e-12
        )


@pytest.mark.formula
def test_stable_log_softmax_is_the_textbook_one_symbolically() -> None:
    row = sp.symbols("a b c", real=True)
    subs = {reg.K: 3, reg.i: 2}
    stable = reg.LOG_SOFTMAX_STABLE.expr.subs(subs).doit()
    plain = reg.LOG_SOFTMAX.expr.subs(subs).doit()
    values = {reg.z[n + 1]: s for n, s in enumerate(row)}
    diff = sp.expand_log(
        sp.simplify(stable.subs(values) - plain.subs(values)), force=True
    )
    assert sp.simplify(diff) == 0


@pytest.mark.formula
def test_two_class_softmax_is_the_sigmoid() -> None:
    sig = 1 / (1 + sp.exp(-(reg.z1 - reg.z2)))
    assert sp.simplify(reg.SOFTMAX_2.expr - sig) == 0
    z = torch.randn(
        100, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0)
    )
    got = lambdify_torch(reg.SOFTMAX_2.args, reg.SOFTMAX_2.expr)(z[:, 0], z[:, 1])
    torch.testing.assert_close(got, torch.sigmoid(z[:, 0] - z[:, 1]))
    assert get_facts("softmax")["two_class_identity"].startswith(
        sp.latex(reg.SOFTMAX_2.expr)
    )


@pytest.mark.formula
def test_stable_sigmoid_and_softplus_equal_the_textbook_forms() -> None:
    assert sp.simplify(reg.SIGMOID_STABLE.expr.args[1][0] - 1 / (1 + sp.exp(-x))) == 0
    grid = torch.linspace(-20, 20, 401, dtype=torch.float64)
    textbook = lambdify_torch((x,), sp.log(1 + sp.exp(x)))(grid)
    torch.testing.assert_close(reg.SOFTPLUS_STABLE.torch()(grid), textbook)


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
    stated = get_facts("softmax")
    p = softmax.softmax_t(torch.tensor(reg.TEMPERATURE_ROW, dtype=torch.float64), 0.25)
    assert stated["p_0_25"] == ", ".join(f"{v:.3f}" for v in p.tolist())


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
    assert float(stated["gap"]) < 1e-5


def test_vanishing_gradients_measured() -> None:
    norms = {n: vanishing.gradient_norms(n) for n in vanishing.ACTIVATIONS}
    ratio = {n: v[0] / v[-1] for n, v in norms.items()}
    assert ratio["sigmoid"] < 1e-6  # vanishes by orders of magnitude
    for name in ("tanh", "relu", "gelu"):
        assert 0.1 < ratio[name] < 10, name  # with the recommended gain it does not
    stated = get_facts("vanish")
    for name, r in ratio.items():
        assert stated[f"gain_{name}_ratio"] == f"{r:.1e}"
    with pytest.raises(ValueError, match="activation must be one of"):
        vanishing.deep_mlp("swish")


def test_dying_relu_measured() -> None:
    runs = reg.dying_runs()
    relu, leaky, elu = (runs[k] for k in dying_relu.ACTIVATIONS)
    assert relu["dead"][0] > 0.5  # the bad init kills most units
    assert relu["dead"][-1] >= relu["dead"][0]  # and ReLU never revives one
    for h in (leaky, elu):
        assert h["dead"][-1] < h["dead"][0] - 0.2  # leaky variants recover units
        assert h["loss"][-1] < relu["loss"][-1] / 3
    stated = get_facts("dying")
    assert stated["relu_dead_end"] == f"{relu['dead'][-1]:.0%}"
    assert stated["elu_loss_end"] == f"{elu['loss'][-1]:.3f}"
    with pytest.raises(ValueError, match="expected \\(examples, units\\)"):
        dying_relu.dead_fraction(torch.zeros(3))
