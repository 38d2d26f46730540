"""Training deep networks: each formula against PyTorch in float64 (and sympy where it is a
derivation), the modes of batch norm and dropout against PyTorch's modules, and the page's
numbers against the reader's run and its claims."""

from __future__ import annotations

import inspect
import itertools
import json
import math

import pytest
import sympy as sp
import torch
import torch.nn.functional as F
from architectures import training as tr
from snippet_runs import run_snippet
from torch import nn

from docs_build import api
from docs_build.registry import get_facts


def percent(text: str) -> float:
    return float(text.rstrip("%")) / 100


# --- Initialization gain ------------------------------------------------------------------


@pytest.mark.formula
@pytest.mark.parametrize("slope", [0.0, 0.01, 0.2, 1.0, 3.0])
def test_leaky_gain_formula_is_torchs_calculate_gain(slope: float) -> None:
    gain = api.formula("training_leaky_gain")
    f = sp.lambdify(gain.args, gain.expr)
    assert f(slope) == pytest.approx(
        nn.init.calculate_gain("leaky_relu", slope), rel=1e-15
    )
    if slope == 0.0:
        assert f(slope) == pytest.approx(nn.init.calculate_gain("relu"), rel=1e-15)


@pytest.mark.formula
def test_the_gain_restores_the_mean_square_sympy() -> None:
    """For z ~ N(0, s^2), a leaky ReLU keeps (1 + a^2)/2 of the mean square (ReLU: half);
    the gain is the factor whose square undoes that, which is the printed formula."""
    z = sp.Symbol("z", real=True)
    s = sp.Symbol("s", positive=True)
    pdf = sp.exp(-(z**2) / (2 * s**2)) / (s * sp.sqrt(2 * sp.pi))
    gain = api.formula("training_leaky_gain").expr
    (a,) = api.formula("training_leaky_gain").args
    mean_square = sp.integrate(z**2 * pdf, (z, 0, sp.oo)) + sp.integrate(
        (a * z) ** 2 * pdf, (z, -sp.oo, 0)
    )
    assert sp.simplify(mean_square - (1 + a**2) / 2 * s**2) == 0
    assert sp.simplify(gain**2 * mean_square - s**2) == 0


@pytest.mark.formula
@pytest.mark.parametrize("slope", [0.0, 0.2])
def test_init_std_formula_is_kaimings(slope: float) -> None:
    """kaiming_normal_ draws with std gain/sqrt(fan_in): the sample std of 262,144 draws
    is within 2% (about 14 standard errors) of the formula."""
    torch.manual_seed(0)
    w = torch.empty(512, 512, dtype=torch.float64)
    nn.init.kaiming_normal_(w, a=slope, nonlinearity="leaky_relu")
    gain = nn.init.calculate_gain("leaky_relu", slope)
    init_std = api.formula("training_init_std")  # in g, n_in
    std = init_std.expr.subs(dict(zip(init_std.args, (gain, 512), strict=True)))
    assert w.std().item() == pytest.approx(float(std), rel=0.02)


def test_linear_default_init_is_below_the_relu_gain() -> None:
    """The page: nn.Linear's default weights have std 1/sqrt(3 n_in) (uniform within
    +-1/sqrt(n_in)), smaller than the ReLU gain's sqrt(2)/sqrt(n_in)."""
    torch.manual_seed(0)
    layer = nn.Linear(512, 512)
    bound = 1 / math.sqrt(512)
    assert layer.weight.abs().max().item() <= bound
    assert layer.weight.std().item() == pytest.approx(1 / math.sqrt(3 * 512), rel=0.02)
    assert 1 / math.sqrt(3) < nn.init.calculate_gain("relu")


def test_the_stated_gains_are_torchs() -> None:
    f = get_facts("training")
    assert f["gain_relu"] == r"\sqrt{2}"
    assert f["gain_tanh"] == r"\frac{5}{3}"
    assert nn.init.calculate_gain("tanh") == pytest.approx(5 / 3, rel=1e-15)
    assert f["gain_linear"] == "1" and nn.init.calculate_gain("linear") == 1


@pytest.mark.claim("training-gain-keeps-scale")
def test_the_gain_keeps_the_scale_and_its_absence_loses_it() -> None:
    """With its gain, each stack's std stays in the stated range at every layer; with
    g = 1 ReLU shrinks at every layer, by about 1/sqrt(2) a layer, to below the stated
    bound, and tanh ends below its own bound."""
    scales = api.runs("training")["gain"]
    f = get_facts("training")
    low, high = float(f["kept_from"]), float(f["kept_to"])
    relu_below = float(f["relu_no_gain_below"])
    tanh_below = float(f["tanh_no_gain_below"])
    assert (low, high, relu_below, tanh_below) == (0.6, 0.9, 1e-3, 0.2)  # as stated
    for key in ("tanh 1.667", "relu 1.414"):
        assert all(low < s < high for s in scales[key]), (key, scales[key])
    relu = scales["relu 1.000"]
    assert all(b < a for a, b in itertools.pairwise(relu)), relu
    per_layer = (relu[-1] / relu[0]) ** (1 / (len(relu) - 1))
    assert 0.65 < per_layer < 0.75  # about 1/sqrt(2) = 0.707
    assert relu[-1] < relu_below
    assert scales["tanh 1.000"][-1] < tanh_below
    assert scales["tanh 1.000"][-1] < scales["tanh 1.667"][-1]
    assert float(f["std_relu_1_000"]) < relu_below
    assert float(f["std_tanh_1_000"]) < tanh_below
    assert low < float(f["std_relu_1_414"]) < high
    assert low < float(f["std_tanh_1_667"]) < high
    assert f["gain_depth"] == str(len(relu))


# --- Normalization ------------------------------------------------------------------------


def stats_by_formula(column: torch.Tensor) -> tuple[float, float]:
    """Mean and variance of a 1-D float64 tensor, from the printed formulas."""
    n = len(column)
    mean_f, var_f = api.formula("training_mean"), api.formula("training_variance")
    (big_n,), (_, mu) = mean_f.args, var_f.args
    (x,) = mean_f.expr.atoms(sp.IndexedBase)
    values = {x[k + 1]: sp.Float(column[k].item(), 30) for k in range(n)}
    mean = mean_f.expr.subs(big_n, n).doit().subs(values)
    var = var_f.expr.subs({big_n: n, mu: mean}).doit().subs(values)
    as_tensor = lambda v: torch.tensor(float(v), dtype=torch.float64)  # noqa: E731
    return as_tensor(mean), as_tensor(var)


@pytest.mark.formula
def test_batch_and_layer_norm_formulas_match_torch_float64() -> None:
    """The same formula, statistics over the batch (per feature) or over the features (per
    example), equals F.batch_norm in training mode and F.layer_norm."""
    torch.manual_seed(0)
    x = torch.randn(6, 4, dtype=torch.float64) * 3 + 1
    gamma = torch.randn(4, dtype=torch.float64)
    beta = torch.randn(4, dtype=torch.float64)
    eps = 1e-5
    y = api.formula("training_normalize").torch()
    by_feature = []
    for j in range(4):
        mean, var = stats_by_formula(x[:, j])
        by_feature.append(y(x[:, j], mean, var.sqrt(), eps, gamma[j], beta[j]))
    by_feature = torch.stack(by_feature, dim=1)
    expected = F.batch_norm(x, None, None, gamma, beta, training=True, eps=eps)
    torch.testing.assert_close(by_feature, expected, rtol=1e-12, atol=1e-12)
    by_example = []
    for row in x:
        mean, var = stats_by_formula(row)
        by_example.append(y(row, mean, var.sqrt(), eps, gamma, beta))
    by_example = torch.stack(by_example)
    expected = F.layer_norm(x, (4,), gamma, beta, eps=eps)
    torch.testing.assert_close(by_example, expected, rtol=1e-12, atol=1e-12)
    # The page: in both, gamma and beta hold one value per feature.
    for layer in (nn.BatchNorm1d(4), nn.LayerNorm(4)):
        assert layer.weight.shape == layer.bias.shape == (4,)


@pytest.mark.formula
def test_batch_norm_running_statistics_and_eval_mode() -> None:
    """Training mode updates the running estimates by the printed formula (momentum 0.1,
    the variance's N - 1 form); eval mode normalizes with them, so one example's output
    does not depend on its batch. gamma and beta start at 1 and 0."""
    torch.manual_seed(0)
    bn = nn.BatchNorm1d(3, dtype=torch.float64)
    assert torch.equal(bn.weight, torch.ones(3, dtype=torch.float64))
    assert torch.equal(bn.bias, torch.zeros(3, dtype=torch.float64))
    x = torch.randn(8, 3, dtype=torch.float64) * 2 + 0.5
    bn.train()
    bn(x)
    running = api.formula("training_running").torch()
    m = bn.momentum
    torch.testing.assert_close(
        bn.running_mean, running(torch.zeros(3, dtype=torch.float64), x.mean(0), m)
    )
    torch.testing.assert_close(
        bn.running_var,
        running(torch.ones(3, dtype=torch.float64), x.var(0, unbiased=True), m),
    )
    with torch.no_grad():
        bn.weight.copy_(torch.tensor([0.5, 2.0, -1.0]))
        bn.bias.copy_(torch.tensor([0.1, 0.0, 3.0]))
    bn.eval()
    out = bn(x).detach()
    by_formula = api.formula("training_normalize").torch()(
        x,
        bn.running_mean,
        bn.running_var.sqrt(),
        bn.eps,
        bn.weight.detach(),
        bn.bias.detach(),
    )
    torch.testing.assert_close(out, by_formula, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(bn(x[:1]).detach(), out[:1])  # a batch of one works
    bn.train()
    assert not torch.allclose(bn(x[:4]).detach()[:1], bn(x[:2]).detach()[:1])
    f = get_facts("training")
    assert f["bn_momentum"] == str(m) == "0.1"
    assert f["bn_eps"] == "$10^{-5}$" and bn.eps == 1e-5


def test_layer_norm_is_the_same_in_both_modes() -> None:
    torch.manual_seed(0)
    ln = nn.LayerNorm(5)
    x = torch.randn(4, 5)
    ln.train()
    a = ln(x)
    ln.eval()
    torch.testing.assert_close(ln(x), a, rtol=0, atol=0)
    torch.testing.assert_close(ln(x[:1]), a[:1], rtol=0, atol=0)
    assert not list(ln.buffers())  # no running estimates


@pytest.mark.claim("training-batch-norm-fastest")
def test_batch_norm_trains_fastest_and_plain_sgd_stalls() -> None:
    """Without normalization the loss stays within the stated distance of ln 2 at every
    step; batch norm's loss is the lowest of the three at every step after the first,
    gets below the target at the stated step and ends lowest; layer norm ends between."""
    f = get_facts("training")
    runs = api.runs("training")["norms"]
    final = {k: v["losses"][-1] for k, v in runs.items()}
    losses = {k: v["losses"] for k, v in runs.items()}
    stalled, target = float(f["stalled_within"]), float(f["target_loss"])
    assert (stalled, target) == (0.01, 0.3)  # as the page states them
    assert max(abs(v - math.log(2)) for v in losses["none"]) < stalled
    assert f["coin_loss"] == f"{math.log(2):.3f}"
    for step, (b, lay, none) in enumerate(
        zip(losses["batch"], losses["layer"], losses["none"], strict=True)
    ):
        if step > 0:  # the first loss is measured before any update
            assert b < lay and b < none, (step, b, lay, none)
    assert final["batch"] < target
    assert final["batch"] < final["layer"] < final["none"]
    reached = next(k + 1 for k, v in enumerate(runs["batch"]["losses"]) if v < 0.3)
    assert f["norm_batch_steps"] == str(reached)
    assert reached < len(runs["batch"]["losses"])
    for k in final:
        assert f[f"norm_{k}_final"] == f"{final[k]:.3f}"
    assert f["norm_steps"] == str(len(runs["none"]["losses"]))


# --- Dropout ------------------------------------------------------------------------------


@pytest.mark.formula
def test_dropout_scaling_and_modes_match_torch_float64() -> None:
    """F.dropout in training mode returns 0 or x/(1-p), keeps a share 1 - p of the inputs
    (within 6 standard errors), so the mean is kept (sympy); in eval mode it is the
    identity."""
    p_value, n = 0.3, 200_000
    torch.manual_seed(0)
    x = torch.rand(n, dtype=torch.float64) + 0.5
    y = F.dropout(x, p=p_value, training=True)
    kept = y != 0
    dropout = api.formula("training_dropout")
    xs, p, u = dropout.args
    (kept_value, kept_if), (dropped_value, dropped_if) = dropout.expr.args
    assert dropped_if == sp.true
    for draw, is_kept in ((0.0, False), (0.29, False), (0.3, True), (0.99, True)):
        assert bool(kept_if.subs({u: draw, p: p_value})) is is_kept
    assert dropped_value == 0 and torch.all(y[~kept] == 0)
    scaled = sp.lambdify((xs, p), kept_value)(x, p_value)
    torch.testing.assert_close(y[kept], scaled[kept], rtol=1e-15, atol=0)
    share = kept.double().mean().item()
    assert abs(share - (1 - p_value)) < 6 * math.sqrt(p_value * (1 - p_value) / n)
    # With u uniform on [0, 1), the mean over u of the piecewise formula is x.
    for q in (sp.Rational(3, 10), sp.Rational(1, 2)):
        mean = sp.integrate(dropout.expr.subs(p, q), (u, 0, 1))
        assert sp.simplify(mean - xs) == 0
    expectation = (1 - p) * kept_value + p * dropped_value
    assert sp.simplify(expectation - xs) == 0
    assert torch.equal(F.dropout(x, p=p_value, training=False), x)
    layer = nn.Dropout(p_value).eval()
    assert torch.equal(layer(x), x)


def test_the_model_is_deterministic_in_eval_mode_only() -> None:
    torch.manual_seed(0)
    model = tr.MLP(depth=2, width=16, p=0.5).to(tr.device)
    x = torch.randn(10, 2, device=tr.device)
    model.train()
    assert not torch.equal(model(x), model(x))
    model.eval()
    assert torch.equal(model(x), model(x))


@pytest.mark.claim("training-dropout-narrows-gap-not-test")
def test_dropout_narrows_the_gap_and_lowers_test_accuracy() -> None:
    """For every seed: the train-test gap is smaller with dropout, and so is the test
    accuracy; the table on the page holds these runs."""
    f = get_facts("training")
    runs = {float(k): v for k, v in json.loads(f["dropout_runs"]).items()}
    dropout_p = float(f["dropout_p"])
    plain, dropped = runs[0.0], runs[dropout_p]
    seeds = inspect.signature(tr.dropout_gap).parameters["seeds"].default
    assert len(plain) == len(dropped) == len(seeds) > 1
    assert f["dropout_seeds"] == str(len(seeds))
    for (train0, test0), (train1, test1) in zip(plain, dropped, strict=True):
        assert train1 - test1 < train0 - test0
        assert test1 < test0
    table = f["dropout_table"].splitlines()[2:]
    for row, (seed, q) in zip(
        table, itertools.product(seeds, (0.0, dropout_p)), strict=True
    ):
        cells = [c.strip() for c in row.strip("|").split("|")]
        train, test = runs[q][seeds.index(seed)]
        assert cells[:4] == [str(seed), str(q), f"{train:.1%}", f"{test:.1%}"]


# --- Optimizers ---------------------------------------------------------------------------


@pytest.mark.formula
def test_sgd_and_adam_formulas_match_torch_float64() -> None:
    """Six steps on a loss whose gradient changes scale between parameters: the printed
    updates, run in float64, equal torch.optim.SGD and torch.optim.Adam after each."""
    target = torch.tensor([1.0, -2.0, 0.5, 30.0], dtype=torch.float64)
    scale = torch.tensor([1.0, 10.0, 0.01, 100.0], dtype=torch.float64)

    def gradient(theta: torch.Tensor) -> torch.Tensor:
        return 2 * scale * (theta - target)

    lr_value = 0.05
    sgd_f, m_f, v_f = (
        api.formula(f"training_{name}") for name in ("sgd", "adam_m", "adam_v")
    )
    sgd = sp.lambdify(sgd_f.args, sgd_f.expr)
    m_of = sp.lambdify(m_f.args, m_f.expr)
    v_of = sp.lambdify(v_f.args, v_f.expr)
    step_of = api.formula("training_adam_step").torch()
    for name in ("sgd", "adam"):
        param = torch.zeros(4, dtype=torch.float64, requires_grad=True)
        maker = torch.optim.SGD if name == "sgd" else torch.optim.Adam
        opt = maker([param], lr=lr_value)
        theta = torch.zeros(4, dtype=torch.float64)
        m = v = torch.zeros(4, dtype=torch.float64)
        b1, b2 = opt.defaults.get("betas", (0.9, 0.999))
        eps = opt.defaults.get("eps", 1e-8)
        for step in range(1, 7):
            opt.zero_grad()
            (scale * (param - target) ** 2).sum().backward()
            opt.step()
            g = gradient(theta)
            if name == "sgd":
                theta = sgd(theta, lr_value, g)
            else:
                m, v = m_of(m, g, b1), v_of(v, g, b2)
                betas = (torch.tensor(b, dtype=torch.float64) for b in (b1, b2))
                theta = step_of(theta, lr_value, m, v, *betas, step, eps)
            torch.testing.assert_close(param.detach(), theta, rtol=1e-12, atol=1e-14)
    f = get_facts("training")
    assert (float(f["adam_beta1"]), float(f["adam_beta2"])) == (b1, b2)
    assert f["adam_eps"] == "10^{-8}" and eps == 1e-8


@pytest.mark.claim("training-adam-below-sgd")
def test_adam_ends_far_below_sgd() -> None:
    """Adam's final loss is below the stated fraction of the better SGD run's, and the
    stated numbers are the runs'."""
    f = get_facts("training")
    runs = api.runs("training")["optim"]
    sgd = {k: v[-1] for k, v in runs.items() if k.startswith("sgd")}
    adam = [v[-1] for k, v in runs.items() if k.startswith("adam")]
    assert len(sgd) == 2 and len(adam) == 1
    best = min(sgd.values())
    ratio = float(f["adam_ratio_below"])
    assert ratio == 0.1  # as the page states it
    assert adam[0] < ratio * best
    assert f["sgd_best_final"] == f"{best:.3f}"
    assert f["final_adam_0_01"] == f"{adam[0]:.3f}"
    assert float(f["final_adam_0_01"]) < float(f["adam_ratio_below"]) * float(
        f["sgd_best_final"]
    )
    assert f["optim_steps"] == str(len(runs["adam lr=0.01"]))


# --- The script ---------------------------------------------------------------------------


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"shape \(N, 2\), got \(4, 3\)"):
        tr.MLP(depth=2)(torch.zeros(4, 3, device=tr.device))
    with pytest.raises(ValueError, match="norm must be one of"):
        tr.MLP(norm="group")
    with pytest.raises(ValueError, match="0 <= p < 1"):
        tr.MLP(p=1.0)
    with pytest.raises(ValueError, match="optimizer must be"):
        tr.train(tr.MLP(depth=1), *tr.make_spirals(4), steps=1, optimizer="rmsprop")
    with pytest.raises(ValueError, match="nonlinearity must be"):
        tr.activation_scale("gelu", 1.0)
    with pytest.raises(ValueError, match="at least 2 points"):
        tr.make_spirals(1)
    with pytest.raises(ValueError, match="flip must be"):
        tr.make_spirals(10, flip=0.5)


def test_the_readers_run_prints_the_pages_numbers() -> None:
    """The script's main, on one thread, prints the losses and accuracies the page
    states (the chapter also trains on one thread)."""
    printed = run_snippet("architectures/training.py")["__printed__"]
    f = get_facts("training")
    for norm in ("none", "batch", "layer"):
        assert f"norm={norm}: loss after 200 steps {f[f'norm_{norm}_final']}" in printed
    assert f"adam lr=0.01: loss after 200 steps {f['final_adam_0_01']}" in printed
    for lr in ("0_1", "1_0"):
        rate = lr.replace("_", ".")
        assert f"sgd lr={rate}: loss after 200 steps {f[f'final_sgd_{lr}']}" in printed
    gains = api.runs("training")["gain"]
    for key in ("relu 1.000", "tanh 1.000", "tanh 1.667", "relu 1.414"):
        act, gain = key.split()
        std = gains[key][-1]
        assert f"{act}, gain {gain}: std after 20 layers {std:.2e}" in printed, key
    runs = json.loads(f["dropout_runs"])
    for q, key in ((0.0, "0.0"), (float(f["dropout_p"]), f["dropout_p"])):
        shown = [f"{a:.1%} / {b:.1%}" for a, b in runs[key]]
        assert f"dropout p={q}: {shown}" in printed, printed
