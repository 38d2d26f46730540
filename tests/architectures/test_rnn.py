"""Recurrent networks: from-scratch cells equal PyTorch's, the page's gate equations and
parameter counts equal PyTorch's, gradients vanish and explode as the page says, and the
gated cells in remember mode solve the recall task in more seeds than the other starts."""

from __future__ import annotations

import math
import re
import statistics
from pathlib import Path

import pytest
import sympy as sp
import torch
from architectures import rnn
from snippet_runs import run_snippet
from torch import nn

from docs_build import api
from docs_build.common import default, one_thread
from docs_build.matrix_formulas import evaluate
from docs_build.registry import get_facts

ROOT = Path(__file__).resolve().parents[2]

TOL = 1e-5  # float32, absolute and relative; the page states it (checked below)
MATCH_SHAPE = (
    5,
    12,
    7,
    16,
)  # batch, steps, inputs, hidden; the page states the first two


# The gradient table's RNN curves (fact name -> spectral radius, as the page states it)
# and its LSTM curves (fact name -> the snippet's start).
RADII = ("rnn_05", "rnn_1", "rnn_15", "rnn_3")
LSTM_STARTS = {"lstm_default": "default", "lstm_remember": "remember"}


def radius(name: str) -> float:
    return float(get_facts("rnn")[f"radius_{name}"])


def radius_matrix(value: float) -> torch.Tensor:
    """The recurrent matrix of the snippet's RNN of this spectral radius, seeded as the
    gradient figure's (the page prints its largest singular value: checked below)."""
    torch.manual_seed(0)
    return rnn.rnn_with_spectral_radius(value).weight_hh_l0.detach().cpu()


def lstm(part: str) -> api.Formula:
    """The page's LSTM equation for ``part`` (a gate, c or h)."""
    return api.formula(f"lstm_{part}")


def gru(part: str) -> api.Formula:
    """The page's GRU equation for ``part`` (r, z, n, h; n_cho, Cho et al.'s candidate)."""
    return api.formula(f"gru_{part}")


def param_count(kind: str, *values: int, stacked: bool = False) -> int:
    """The page's parameter count of ``kind`` with its arguments set to ``values``: I, H
    (and L, D when stacked)."""
    f = api.formula(f"{kind.lower()}_params" + ("_stacked" if stacked else ""))
    return int(f.expr.subs(dict(zip(f.args, values, strict=True))))


LAYERS = {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}


def run_both(kind: str, with_state: bool) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """(ours, PyTorch's) outputs, final states, input and weight gradients, on this file's
    own harness (the page's shares are measured by the snippet's compare_with_torch, which
    test_stated_match_is_within_tolerance checks against this)."""
    torch.manual_seed(0)
    n, steps, inputs, hidden = MATCH_SHAPE
    theirs = LAYERS[kind](inputs, hidden, batch_first=True)
    ours = rnn.Recurrent(kind, inputs, hidden).load_from(theirs)
    x = torch.randn(n, steps, inputs)
    h0 = torch.randn(1, n, hidden)
    c0 = torch.randn(1, n, hidden)
    state = ((h0, c0) if kind == "LSTM" else h0) if with_state else None
    results = []
    for model in (ours, theirs):
        xi = x.clone().requires_grad_()
        out, final = model(xi, state)
        finals = final if isinstance(final, tuple) else (final,)
        (out.square().sum() + sum((f * f.detach()).sum() for f in finals)).backward()
        grads = [p.grad for p in (model.cell if model is ours else model).parameters()]
        results.append([out, *finals, xi.grad, *grads])
    return list(zip(*results, strict=True))


@pytest.mark.claim("rnn-scratch-matches-torch")
@pytest.mark.parametrize("kind", LAYERS)
@pytest.mark.parametrize("with_state", [False, True], ids=["zero-state", "given-state"])
def test_scratch_layer_matches_torch(kind: str, with_state: bool) -> None:
    pairs = run_both(kind, with_state)
    assert len(pairs) >= 7
    for a, b in pairs:
        torch.testing.assert_close(a, b, atol=TOL, rtol=TOL)


def test_stated_match_is_within_tolerance() -> None:
    facts = get_facts("rnn")
    assert TOL == 1e-5  # no quiet loosening
    assert float(facts["match_tolerance"]) == TOL
    assert facts["match_shape"] == "{} sequences of {} steps".format(*MATCH_SHAPE[:2])
    # the share of the tolerance used, rounded up: at most all of it
    for kind in LAYERS:
        for with_state in (False, True):  # the page's run is this file's comparison
            mine = run_both(kind, with_state)
            page = rnn.compare_with_torch(
                kind, with_state, MATCH_SHAPE, torch.device("cpu")
            )
            assert len(page) == len(mine)
            for (a, b), (c, d) in zip(page, mine, strict=True):
                assert torch.equal(a, c) and torch.equal(b, d), (kind, with_state)
        share = max(
            ((a - b).abs() / (TOL + TOL * b.abs())).max().item()
            for with_state in (False, True)
            for a, b in run_both(kind, with_state)
        )
        assert facts[f"match_{kind.lower()}"] == f"{math.ceil(share * 100)}%", kind
        assert 0 < share <= 1, kind


def cell_values(cell: nn.Module, gates: str, x: torch.Tensor, h: torch.Tensor) -> dict:
    """The weights of a torch cell under the LaTeX names the page's equations use."""
    values = {"x_{t}": x.T, "h_{t-1}": h.T}
    chunks = len(gates)
    for name, tensor in (("W_{i", cell.weight_ih), ("W_{h", cell.weight_hh)):
        for g, w in zip(gates, tensor.chunk(chunks), strict=True):
            values[f"{name}{g}}}"] = w
    for name, tensor in (("b_{i", cell.bias_ih), ("b_{h", cell.bias_hh)):
        for g, b in zip(gates, tensor.chunk(chunks), strict=True):
            values[f"{name}{g}}}"] = b[:, None]
    return values


@pytest.fixture
def inputs():
    torch.manual_seed(1)
    return torch.randn(6, 5, dtype=torch.float64), torch.randn(
        6, 4, dtype=torch.float64
    )


def rnn_step(inputs) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """(from the page's equation, from nn.RNNCell) for h_t."""
    x, h = inputs
    cell = nn.RNNCell(5, 4).double()
    got = evaluate(api.formula("rnn_h").expr, cell_values(cell, "h", x, h)).T
    return [(got, cell(x, h))]


def lstm_step(inputs) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """(from the page's equations, from nn.LSTMCell) for c_t and h_t."""
    x, h = inputs
    c = torch.randn_like(h)
    cell = nn.LSTMCell(5, 4).double()
    values = cell_values(cell, "ifgo", x, h) | {"c_{t-1}": c.T}
    for gate in "ifgo":
        values[f"{gate}_{{t}}"] = evaluate(lstm(gate).expr, values)
    values["c_{t}"] = evaluate(lstm("c").expr, values)
    h_new, c_new = cell(x, (h, c))
    got = evaluate(lstm("h").expr, values).T
    return [(values["c_{t}"].T, c_new), (got, h_new)]


def gru_step(candidate, inputs) -> tuple[torch.Tensor, torch.Tensor]:
    """One GRU step from the page's equations, with the given candidate equation."""
    x, h = inputs
    cell = nn.GRUCell(5, 4).double()
    values = cell_values(cell, "rzn", x, h)
    for gate in "rz":
        values[f"{gate}_{{t}}"] = evaluate(gru(gate).expr, values)
    values["n_{t}"] = evaluate(candidate.expr, values)
    return evaluate(gru("h").expr, values).T, cell(x, h)


@pytest.mark.formula
@pytest.mark.claim("rnn-equations-match-cells")
@pytest.mark.parametrize("kind", LAYERS)
def test_gate_equations_equal_torch_cells(kind: str, inputs) -> None:
    """The page's equations of each cell, evaluated with a torch cell's weights, equal
    that cell's output (float64)."""
    steps = {
        "RNN": rnn_step,
        "LSTM": lstm_step,
        "GRU": lambda v: [gru_step(gru("n"), v)],
    }
    for got, expected in steps[kind](inputs):
        torch.testing.assert_close(got, expected, atol=1e-12, rtol=1e-12)


@pytest.mark.formula
def test_cho_reset_placement_is_not_pytorchs(inputs) -> None:
    """Cho et al.'s candidate, W_hn (r * h), gives a different cell than PyTorch's."""
    got, expected = gru_step(gru("n_cho"), inputs)
    assert (got - expected).abs().max() > 1e-3


@pytest.mark.formula
@pytest.mark.claim("rnn-cho-cell-differs")
def test_scratch_cho_cell_equals_its_equation(inputs) -> None:
    x, h = inputs
    torch.manual_seed(2)
    ours = rnn.GRUCell(5, 4, reset_after=False).double()
    values = cell_values(ours, "rzn", x, h)
    values["r_{t}"] = evaluate(gru("r").expr, values)
    values["z_{t}"] = evaluate(gru("z").expr, values)
    values["n_{t}"] = evaluate(gru("n_cho").expr, values)
    expected = evaluate(gru("h").expr, values).T
    torch.testing.assert_close(ours(x, h), expected, atol=1e-12, rtol=1e-12)
    torch_gru = nn.GRUCell(5, 4).double()
    torch_gru.load_state_dict(ours.state_dict())
    assert (ours(x, h) - torch_gru(x, h)).abs().max() > 1e-3


@pytest.mark.formula
@pytest.mark.claim("rnn-param-formulas")
@pytest.mark.parametrize("kind", LAYERS)
@pytest.mark.parametrize("i,h", [(1, 1), (8, 64), (13, 7), (100, 3)])
def test_parameter_count_formula(kind: str, i: int, h: int) -> None:
    expected = param_count(kind, i, h)
    assert rnn.count_parameters(LAYERS[kind](i, h)) == expected
    assert rnn.count_parameters(rnn.Recurrent(kind, i, h)) == expected


@pytest.mark.formula
@pytest.mark.claim("rnn-stacked-param-formula")
@pytest.mark.parametrize("kind", LAYERS)
@pytest.mark.parametrize("layers,bidirectional", [(1, True), (2, False), (3, True)])
@pytest.mark.parametrize("i,h", [(9, 5), (8, 32), (1, 7)])
def test_stacked_parameter_count_formula(
    kind: str, layers: int, bidirectional: bool, i: int, h: int
) -> None:
    """The stacked formulas at the page's sizes (8 inputs, 32 units) and others, with
    PyTorch's defaults (biases on, no proj_size)."""
    d = 2 if bidirectional else 1
    expected = param_count(kind, i, h, layers, d, stacked=True)
    layer = LAYERS[kind](i, h, num_layers=layers, bidirectional=bidirectional)
    assert rnn.count_parameters(layer) == expected


@pytest.mark.claim("rnn-gru-quarter-fewer")
@pytest.mark.parametrize("i,h", [(1, 1), (8, 64), (13, 7), (100, 3)])
def test_gru_has_a_quarter_fewer_parameters_than_lstm(i: int, h: int) -> None:
    """The GRU section: one gate fewer, a quarter fewer parameters than an LSTM of the same
    input and hidden sizes, counted on PyTorch's layers."""
    lstm, gru = rnn.count_parameters(nn.LSTM(i, h)), rnn.count_parameters(nn.GRU(i, h))
    assert 4 * gru == 3 * lstm, (lstm, gru)


@pytest.mark.formula
@pytest.mark.claim("rnn-bptt-jacobian-autograd")
@pytest.mark.parametrize("radius", [0.5, 3.0])
def test_bptt_jacobian_is_the_product_of_step_jacobians(radius: float) -> None:
    """The page's dh_T/dh_t = J_T ... J_{t+1} equals autograd's Jacobian (float64)."""
    torch.manual_seed(0)
    layer = rnn.rnn_with_spectral_radius(radius, input_size=3, hidden=6).double()
    cell = rnn.Recurrent("RNN", 3, 6).double().load_from(layer).cell
    x = torch.randn(1, 9, 3, dtype=torch.float64)
    t = 2

    def run_from(h_t: torch.Tensor) -> torch.Tensor:
        h = h_t[None]
        for step in range(t + 1, x.shape[1]):
            h = cell(x[:, step], h)
        return h[0]

    h = torch.zeros(1, 6, dtype=torch.float64)
    states = []
    for step in range(x.shape[1]):
        h = cell(x[:, step], h)
        states.append(h[0].detach())
    expected = torch.autograd.functional.jacobian(run_from, states[t])
    got = rnn.bptt_jacobian(cell.weight_hh.detach(), states[t + 1 :])
    torch.testing.assert_close(got, expected, atol=1e-12, rtol=1e-10)
    shown = get_facts("rnn")["bptt_jacobian"]
    assert r"\operatorname{diag}\left(1 - h_k^2\right) W_{hh}" in shown


def test_bptt_jacobian_names_a_wrong_shape() -> None:
    """A reader's likeliest slips: a batch of states instead of one, a matrix that is not
    square, float32 states with a float64 matrix."""
    w = torch.zeros(4, 4)
    with pytest.raises(
        ValueError, match=r"each state must have shape \(4,\), got \(2, 4\)"
    ):
        rnn.bptt_jacobian(w, [torch.zeros(2, 4)])
    with pytest.raises(ValueError, match=r"W_hh must be square, got shape \(4, 3\)"):
        rnn.bptt_jacobian(torch.zeros(4, 3), [])
    with pytest.raises(ValueError, match=r"W_hh must be square, got shape \(\)"):
        rnn.bptt_jacobian(torch.tensor(1.0), [])
    with pytest.raises(
        ValueError, match=r"states must be torch\.float64 on cpu like W_hh"
    ):
        rnn.bptt_jacobian(w.double(), [torch.zeros(4)])


@pytest.mark.claim(
    "rnn-sigma-half-vanishes",
    "rnn-radius-above-one-shrinks",
    "rnn-only-radius-3-explodes",
    "rnn-default-lstm-gradient-shrinks",
)
def test_gradients_vanish_and_explode_as_stated() -> None:
    """The gradient table, its sentences and the figure's alt text: each curve's ratio at
    the longest distance against the bound stated (orders of magnitude, or below 1), and
    the radius-0.5 matrix's largest singular value below 1 as printed."""
    curves = api.runs("rnn.gradients")
    ratio = {name: (g[-1] / g[0]).item() for name, (_, g) in curves.items()}
    orders = {"rnn_05": 10, "rnn_3": 3, "lstm_default": 6, "lstm_remember": 2}
    alt = api.figure("architectures/rnn-gradients").alt
    assert f"falls by more than {orders['rnn_05']} orders of magnitude" in alt
    assert f"grows by more than {orders['rnn_3']} orders" in alt
    assert f"falls by more than {orders['lstm_default']} orders" in alt
    assert f"falls by less than {orders['lstm_remember']}." in alt
    assert ratio["rnn_05"] < 10.0 ** -orders["rnn_05"]
    assert (
        ratio["rnn_05"] < ratio["rnn_1"] < 1.0
    )  # radius 1: still shrinks, more slowly
    assert ratio["rnn_15"] < 1.0  # radius above 1, and the gradient still shrinks
    assert radius("rnn_15") > 1.0
    assert ratio["rnn_3"] > 10.0 ** orders["rnn_3"]  # radius 3: the gradient explodes
    assert ratio["lstm_default"] < 10.0 ** -orders["lstm_default"]
    assert ratio["lstm_remember"] > 10.0 ** -orders["lstm_remember"]
    facts = get_facts("rnn")
    for name, value in ratio.items():
        assert facts[f"grad_{name}"] == f"{value:.1e}"
    w = radius_matrix(radius("rnn_05"))
    sigma = torch.linalg.matrix_norm(w.double(), 2).item()
    assert sigma < 1.0 and float(facts["grad_sigma_05"]) < 1.0  # "sigma = ... < 1"


def test_page_gradient_table_is_the_readers_run() -> None:
    """The reader's run of rnn.py prints the gradient table's rows: same settings, same
    ratios as the page."""
    radii = default(rnn.gradient_experiments, "radii")
    starts = default(rnn.gradient_experiments, "starts")
    assert radii == tuple(radius(name) for name in RADII)
    assert starts == tuple(LSTM_STARTS.values())
    gradients = run_snippet("architectures/rnn.py")["gradients"]
    facts = get_facts("rnn")
    names = {name: radius(name) for name in RADII} | LSTM_STARTS
    for name, setting in names.items():
        kind = "RNN" if name.startswith("rnn") else "LSTM"
        g = gradients[kind, setting]
        assert facts[f"grad_{name}"] == f"{(g[-1] / g[0]).item():.1e}", name


@pytest.mark.claim("rnn-sigma-bounds-jacobians")
def test_singular_value_below_one_bounds_the_product_of_jacobians() -> None:
    """The page: each J_k stretches a vector by at most sigma, so with sigma < 1 the product
    shrinks at least like sigma^(T - t). Checked on the radius-0.5 matrix of the table,
    along a real sequence, with sigma computed by torch."""
    rho = radius("rnn_05")
    w = radius_matrix(rho).double()
    sigma = torch.linalg.matrix_norm(w, 2).item()
    assert sigma < 1.0
    assert get_facts("rnn")["grad_sigma_05"] == f"{sigma:.2f}"
    assert torch.linalg.eigvals(w).abs().max().item() == pytest.approx(
        rho, rel=1e-5
    )  # float32
    torch.manual_seed(3)
    cell = rnn.RNNCell(8, w.shape[0]).double()
    with torch.no_grad():
        cell.weight_hh.copy_(w)
    h, states = torch.zeros(1, w.shape[0], dtype=torch.float64), []
    with torch.no_grad():
        for _ in range(30):
            h = cell(torch.randn(1, 8, dtype=torch.float64), h)
            states.append(h[0])
    product = rnn.bptt_jacobian(w, states)
    assert torch.linalg.matrix_norm(product, 2).item() <= sigma ** len(states) * (
        1 + 1e-9
    )


def test_starts_change_exactly_what_the_page_says() -> None:
    """Each start against PyTorch's layer drawn with the same seed: only the stated biases
    move, by the stated amounts; the orthogonal and identity starts are what they say."""
    h = 64
    bias, forget = default(rnn.set_start_, "gate_bias"), rnn.FORGET_BIAS
    expected_rows = {
        ("LSTM", "remember"): [-bias, bias, 0.0, 0.0],  # input, forget, cell, output
        ("LSTM", "forget"): [0.0, forget, 0.0, 0.0],
        ("GRU", "remember"): [0.0, bias, 0.0],  # reset, update, candidate
    }
    layers = {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}
    for kind, starts in rnn.STARTS.items():
        for start in starts:
            options = {"nonlinearity": "relu"} if start == "identity" else {}
            torch.manual_seed(0)
            reference = layers[kind](rnn.VOCAB, h, batch_first=True, **options)
            torch.manual_seed(0)
            model = rnn.SequenceClassifier(kind, hidden=h, start=start)
            layer = model.rnn
            shift = (layer.bias_ih_l0 - reference.bias_ih_l0).detach().view(-1, h)
            if start == "default":
                for p in layer.parameters():
                    assert p.abs().max() <= 1 / math.sqrt(h)  # U(-1/sqrt(h), 1/sqrt(h))
                assert torch.equal(layer.weight_hh_l0, reference.weight_hh_l0)
            if (kind, start) in expected_rows:
                rows = torch.tensor(expected_rows[kind, start])[:, None].expand_as(
                    shift
                )
                torch.testing.assert_close(shift, rows, atol=1e-6, rtol=0)
                assert torch.equal(layer.weight_hh_l0, reference.weight_hh_l0)
            if start == "orthogonal":
                singular = torch.linalg.svdvals(layer.weight_hh_l0.detach())
                torch.testing.assert_close(singular, torch.ones(h), atol=1e-5, rtol=0)
                assert torch.equal(layer.bias_ih_l0, reference.bias_ih_l0)
            if start == "identity":
                assert layer.nonlinearity == "relu"
                assert torch.equal(layer.weight_hh_l0.detach(), torch.eye(h))
                assert not layer.bias_ih_l0.any() and not layer.bias_hh_l0.any()
    with pytest.raises(ValueError, match="does not apply to GRU"):
        rnn.SequenceClassifier("GRU", start="forget")
    with pytest.raises(ValueError, match="ReLU RNN"):
        rnn.set_start_(nn.RNN(3, 4), "identity")


@pytest.mark.claim("rnn-forget-gates-near-half")
def test_default_lstm_forget_gates_stay_near_one_half() -> None:
    """The LSTM section: the forget gates of the gradient measurement's LSTM (PyTorch's
    start), on that measurement's own inputs, average about one half and stay within the
    stated range. They are computed here from nn.LSTM's own output (h_t) and its weights, not
    from the snippet's helper; and the same layer and inputs give the gradient ratio that the
    next sentence states, so the comparison is one experiment."""
    facts = get_facts("rnn")
    low, high, mean = (float(facts[f"forget_{k}"]) for k in ("low", "high", "mean"))
    assert 0.45 <= mean <= 0.55  # "about half"
    assert low < mean < high
    layer = rnn.gradient_lstm("default")
    x, u = rnn.gradient_inputs(layer)
    with torch.no_grad():
        outputs, _ = layer(x)
        h_prev = torch.cat([torch.zeros_like(outputs[:, :1]), outputs[:, :-1]], dim=1)
        w_i, w_h = layer.weight_ih_l0.chunk(4)[1], layer.weight_hh_l0.chunk(4)[1]
        b = layer.bias_ih_l0.chunk(4)[1] + layer.bias_hh_l0.chunk(4)[1]
        f = torch.sigmoid(x @ w_i.T + h_prev @ w_h.T + b)
    assert low <= f.min().item() and f.max().item() <= high
    assert facts["forget_mean"] == f"{f.mean().item():.2f}"
    torch.testing.assert_close(
        rnn.forget_gates(layer, x), f.transpose(0, 1), atol=1e-6, rtol=0
    )
    # The same experiment's gradient: L = u . h_T on these inputs, back to every input.
    x = x.clone().requires_grad_()
    outputs, _ = layer(x)
    (outputs[:, -1] @ u).sum().backward()
    norms = x.grad.norm(dim=2).mean(dim=0).flip(0)
    torch.testing.assert_close(norms, api.runs("rnn.gradients")["lstm_default"][1])
    assert facts["grad_lstm_default"] == f"{(norms[-1] / norms[0]).item():.1e}"


def study_results() -> dict:
    """The recall study the table reports: recall_experiments() with its defaults, every
    (cell, start) over rnn.SEEDS seeds, on one thread: the chapter's one run for these
    sources, saved by registry.cached_result and shared with the build."""
    return api.runs("rnn.recall")


def test_readers_run_is_seed_0_of_two_table_rows() -> None:
    """python rnn.py trains only rnn.DEMO at seed 0 (a reader's copy stays short); the page
    says which rows, and each of those runs is the table's seed-0 run of that row. It
    prints one line per run (not a one-seed "solved in 1 of 1 seeds"), and stops with an
    error if a layer differs from PyTorch's by more than the page's tolerance."""
    run = run_snippet("architectures/rnn.py")
    demo, study, printed = run["results"], study_results(), run["__printed__"]
    for kind, start in rnn.DEMO:
        accuracy = demo[kind, start][0]["accuracy"]
        solved = "solved" if accuracy >= rnn.SOLVED else "not solved"
        line = (
            f"{kind:4} {start:10}: seed 0, held-out accuracy {accuracy:6.1%} ({solved})"
        )
        assert line in printed, (line, printed)
    assert "of 1 seeds" not in printed
    source = (ROOT / "snippets" / "architectures" / "rnn.py").read_text()
    tol = f"{TOL:.0e}".replace("e-0", "e-")
    assert f"torch.allclose(out_a, out_b, rtol={tol}, atol={tol})" in source
    assert rnn.DEMO == (("LSTM", "default"), ("LSTM", "remember"))
    assert set(demo) == set(rnn.DEMO) and set(rnn.DEMO) <= set(rnn.RUNS)
    for run in rnn.DEMO:
        assert len(demo[run]) == 1
        assert demo[run][0]["losses"] == study[run][0]["losses"], run
        assert demo[run][0]["accuracy"] == study[run][0]["accuracy"], run
    text = re.sub(r"\s+", " ", (ROOT / "docs" / "architectures" / "rnn.md").read_text())
    assert (
        "trains seed 0 of the LSTM from PyTorch's default start and in remember mode, "
        "two rows of the accuracy table" in text
    )
    assert "`recall_experiments()` with its defaults trains the whole table" in text
    assert "The build trains it on one thread; call `torch.set_num_threads(1)`" in text
    assert (
        "it stops with an error if an output differs by more than the tolerance" in text
    )
    assert "For each of the two runs it prints the held-out accuracy" in text
    assert "ends in seconds" not in text  # no test measures that


def test_page_reports_the_readers_run() -> None:
    """The accuracy table is recall_experiments()'s: every (cell, start) of the script,
    each over the stated number of seeds, with the solved count and median of those runs."""
    facts, results = get_facts("rnn"), study_results()
    assert set(results) == set(rnn.RUNS) and len(rnn.RUNS) == int(facts["runs"])
    assert set(rnn.STARTS["RNN"]) >= {"default", "orthogonal", "identity"}
    assert set(rnn.STARTS["LSTM"]) >= {"default", "forget", "remember"}
    assert set(rnn.STARTS["GRU"]) >= {"default", "remember"}
    assert facts["seeds"] == str(rnn.SEEDS) and rnn.SEEDS >= 5
    assert facts["solved_at"] == f"{rnn.SOLVED:.0%}"
    assert int(facts["trainings"]) == rnn.SEEDS * len(rnn.RUNS)
    # The table's rows, cell by cell; a row's start is told by how its words open (with
    # the snippet's gate biases), as the page words it.
    rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in facts["recall_table"].splitlines()[2:]
    ]
    bias = default(rnn.set_start_, "gate_bias")
    opens = {
        "default": "PyTorch's default",
        "orthogonal": "orthogonal $W_{hh}$",
        "identity": "ReLU, identity $W_{hh}$",
        "forget": f"forget-gate bias +{rnn.FORGET_BIAS:g}",
        "remember": "remember: ",
    }
    assert all(f"bias +{bias:g}" in r[1] for r in rows if r[1].startswith("remember"))
    for (kind, start), runs in results.items():
        assert len(runs) == rnn.SEEDS
        accuracies = sorted(r["accuracy"] for r in runs)
        solved = sum(a >= rnn.SOLVED for a in accuracies)
        median = accuracies[len(accuracies) // 2]  # an odd number of seeds
        k = kind.lower()
        assert facts[f"{k}_{start}_solved"] == f"{solved} of {rnn.SEEDS}"
        assert facts[f"{k}_{start}_median"] == f"{median:.1%}"
        row = [r for r in rows if r[0] == kind and r[1].startswith(opens[start])]
        assert len(row) == 1, (kind, start, rows)  # one row per run, told apart
        assert row[0][2:4] == [f"{solved} of {rnn.SEEDS}", f"{median:.1%}"], row
    assert len(rows) == len(results)


def test_seeds_draw_different_runs() -> None:
    """Each seed is its own run: different starting weights and different batches."""
    a = rnn.train_first_token("RNN", seed=0, steps=1)
    b = rnn.train_first_token("RNN", seed=1, steps=1)
    assert a["losses"] != b["losses"]
    assert not torch.equal(a["model"].rnn.weight_hh_l0, b["model"].rnn.weight_hh_l0)


@pytest.mark.claim(
    "rnn-default-none-solves",
    "rnn-forget-bias-alone-fails",
    "rnn-remember-solves",
    "rnn-gated-beat-vanilla",
    "rnn-orthogonal-no-fix",
    "rnn-identity-near-chance",
)
def test_recall_claims_hold_at_the_stated_bounds() -> None:
    """Each sentence under the accuracy table, at the bound the page prints, on the
    study's runs over every seed: counts of solving seeds and medians, as the page states.
    The accuracies here come from the runs, not from the page's facts."""
    facts = get_facts("rnn")
    claim = stated_claim()
    assert claim == {  # no quiet loosening
        "remember_min_solved": 4,
        "remember_median_min": 0.95,
        "unreliable_max_solved": 3,
        "unreliable_median_max": 0.80,
        "near_chance_max": 0.30,
    }
    assert rnn.SEEDS == 5 and rnn.SOLVED == 0.9
    assert facts["chance"] == f"{1 / rnn.SIGNALS:.0%}"
    # Decisive: every "reliable" bound is above every "unreliable" one.
    assert claim["unreliable_max_solved"] < claim["remember_min_solved"]
    assert claim["unreliable_median_max"] < claim["remember_median_min"]
    assert_recall_claims(study_results())


def stated_claim() -> dict[str, float]:
    """The recall claims' bounds as the page states them: counts of seeds, and medians
    as percentages."""
    facts = get_facts("rnn")
    names = ("remember_min_solved", "unreliable_max_solved")
    names += ("remember_median_min", "unreliable_median_max", "near_chance_max")
    return {
        name: int(facts[f"claim_{name}"])
        if name.endswith("solved")
        else api.number("rnn", f"claim_{name}")
        for name in names
    }


def assert_recall_claims(results: dict) -> None:
    """The page's recall claims, at the bounds it states, on one set of runs."""
    claim = stated_claim()

    def solved(run: tuple[str, str]) -> int:
        return sum(r["accuracy"] >= rnn.SOLVED for r in results[run])

    def median(run: tuple[str, str]) -> float:
        return sorted(r["accuracy"] for r in results[run])[rnn.SEEDS // 2]

    remember = (("LSTM", "remember"), ("GRU", "remember"))
    for run in remember:  # "at least 4 of 5 seeds, median at least 95%"
        assert solved(run) >= claim["remember_min_solved"], run
        assert median(run) >= claim["remember_median_min"], run
    unreliable = [(kind, "default") for kind in rnn.STARTS] + [("RNN", "orthogonal")]
    for run in unreliable:  # "at most 3 of 5 seeds, median below 80%"
        assert solved(run) <= claim["unreliable_max_solved"], run
        assert median(run) < claim["unreliable_median_max"], run
    for run in (("LSTM", "default"), ("LSTM", "forget"), ("RNN", "identity")):
        assert solved(run) == 0, run  # "in no seed"
        assert median(run) <= claim["near_chance_max"], run  # "near chance"
    assert median(("RNN", "identity")) <= median(("RNN", "default"))  # "does not help"
    for run in remember:  # "more seeds than the vanilla RNN from its default start"
        assert solved(run) > solved(("RNN", "default")), run
        assert median(run) > median(("RNN", "default")), run


@pytest.mark.claim("rnn-recall-claims-survive-noise")
def test_recall_claims_survive_noise_in_the_start(monkeypatch) -> None:
    """Another machine's rounding changes a starting weight by less than the noise added
    here; the page's recall claims must hold on these perturbed runs too."""
    jitter = 1e-6
    assert get_facts("rnn")["jitter"] == "$10^{-6}$"
    # "more than the float32 rounding step of any starting weight": a float32 x is
    # rounded in steps of at most eps * |x|, and no starting weight is larger than biggest.
    hidden = default(rnn.train_first_token, "hidden")
    biggest = max(
        p.abs().max().item()
        for kind, start in rnn.RUNS
        for p in rnn.SequenceClassifier(kind, hidden=hidden, start=start).parameters()
    )
    assert jitter > torch.finfo(torch.float32).eps * biggest
    set_start = rnn.set_start_

    def noisy_start(layer: nn.RNNBase, start: str, gate_bias: float = 3.0):
        set_start(layer, start, gate_bias)
        gen = torch.Generator().manual_seed(777)
        with torch.no_grad():
            for p in layer.parameters():
                p.add_(jitter * torch.randn(p.shape, generator=gen).to(p.device))
        return layer

    # The page's study first: read (or trained) before the start is patched, so that the
    # patched start can never reach the study the build and the other tests read.
    plain = study_results()
    monkeypatch.setattr(rnn, "set_start_", noisy_start)
    with one_thread():
        perturbed = rnn.recall_experiments()
    # The noise does reach the runs: some final accuracy or loss differs.
    assert any(
        p["losses"] != q["losses"]
        for run in rnn.RUNS
        for p, q in zip(perturbed[run], plain[run], strict=True)
    )
    assert_recall_claims(perturbed)


def test_training_figure_states_what_the_losses_do() -> None:
    """The training figure's alt text, on the study's runs: the median over seeds of each
    run's last-steps loss is below a stated fraction of ln(signals) for the remember-mode
    cells and within a stated distance of it for the default-start LSTM."""
    claim, results = (
        {"tail": 10, "remember_below": 10, "default_lstm_within": 0.2},
        study_results(),
    )
    alt = " ".join(api.figure("architectures/rnn-training").alt.split())
    assert f"Averaged over the last {claim['tail']} steps" in alt
    assert f"below a {claim['remember_below']}th of it" in alt
    assert f"within {claim['default_lstm_within']:g} of it." in alt
    guess = math.log(rnn.SIGNALS)

    def tail(run: tuple[str, str]) -> float:
        ends = sorted(
            sum(r["losses"][-claim["tail"] :]) / claim["tail"] for r in results[run]
        )
        return ends[len(ends) // 2]  # the median over an odd number of seeds

    for run in (("LSTM", "remember"), ("GRU", "remember")):
        assert tail(run) < guess / claim["remember_below"], run
    assert abs(tail(("LSTM", "default")) - guess) <= claim["default_lstm_within"]


def test_figure_draws_the_median_over_seeds() -> None:
    """The training figure's lines are, step by step, the median loss over the seeds of
    the study's runs: one line per row of the table, read off the drawn figure."""
    import matplotlib.pyplot as plt

    results = study_results()
    fig = api.figure("architectures/rnn-training").draw()
    try:
        lines = {ln.get_label(): ln for ln in fig.axes[0].get_lines()}
        for (kind, start), seeds in results.items():
            drawn = lines.pop(f"{kind}, {start}")
            steps = zip(*(r["losses"] for r in seeds), strict=True)
            median = [statistics.median(step) for step in steps]
            assert list(drawn.get_ydata()) == median, (kind, start)
            assert list(drawn.get_xdata()) == list(range(1, len(median) + 1))
        (guess,) = lines.values()  # and the dotted line of guessing
        assert set(guess.get_ydata()) == {math.log(rnn.SIGNALS)}
    finally:
        plt.close(fig)


def test_parameter_facts_match_the_formulas() -> None:
    facts = get_facts("rnn")
    hidden, vocab = int(facts["hidden"]), int(facts["vocab"])
    for kind in LAYERS:
        expected = param_count(kind, vocab, hidden)
        assert facts[f"{kind.lower()}_layer_parameters"] == f"{expected:,}"


def test_bad_shapes_raise_clear_errors() -> None:
    cell = rnn.RNNCell(3, 4)
    with pytest.raises(ValueError, match=r"\(N, 3\)"):
        cell(torch.zeros(2, 5), torch.zeros(2, 4))
    with pytest.raises(ValueError, match=r"state of shape \(2, 4\)"):
        cell(torch.zeros(2, 3), torch.zeros(2, 5))
    with pytest.raises(ValueError, match="kind must be one of"):
        rnn.Recurrent("Transformer", 3, 4)
    with pytest.raises(ValueError, match=r"\(N, T, input\)"):
        rnn.Recurrent("GRU", 3, 4)(torch.zeros(2, 3))
    with pytest.raises(ValueError, match="length must be at least 2"):
        rnn.first_token_batch(4, 1, torch.Generator())


@pytest.mark.claim("rnn-two-biases-only-sum-matters")
@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
@torch.no_grad()
def test_only_the_bias_sum_matters_except_in_the_grus_candidate(kind: str) -> None:
    """The vanilla RNN section: moving part of b_hh into b_ih (same sum) leaves the RNN and
    LSTM cells unchanged; in the GRU it leaves the reset and update gates unchanged, and
    changes the candidate n_t, where b_hn sits inside r_t * (W_hn h + b_hn)."""
    torch.manual_seed(0)
    cell = {"RNN": nn.RNNCell, "LSTM": nn.LSTMCell, "GRU": nn.GRUCell}[kind](
        4, 6
    ).double()
    x, h = (
        torch.randn(5, 4, dtype=torch.float64),
        torch.randn(5, 6, dtype=torch.float64),
    )
    state = (h, torch.randn(5, 6, dtype=torch.float64)) if kind == "LSTM" else h

    def output(shift_gates: slice) -> torch.Tensor:
        moved = type(cell)(4, 6).double()
        moved.load_state_dict(cell.state_dict())
        shift = torch.zeros_like(moved.bias_hh)
        shift[shift_gates] = torch.randn(shift[shift_gates].shape, dtype=torch.float64)
        moved.bias_ih += shift
        moved.bias_hh -= shift
        out = moved(x, state)
        return torch.cat(out, dim=1) if isinstance(out, tuple) else out

    every = slice(None)
    before = output(slice(0, 0))
    if kind == "GRU":
        torch.testing.assert_close(output(slice(0, 12)), before, atol=1e-12, rtol=0)
        assert (
            output(slice(12, 18)) - before
        ).abs().max() > 1e-2  # n_t: the split counts
        assert (output(every) - before).abs().max() > 1e-2
    else:
        torch.testing.assert_close(output(every), before, atol=1e-12, rtol=0)


@pytest.mark.claim("rnn-cell-path-jacobian-is-forget-gate")
def test_cell_path_jacobian_is_the_forget_gate() -> None:
    """The LSTM section: with h_{t-1} held fixed, dc_t/dc_{t-1} of nn.LSTMCell is
    diag(f_t), f_t computed from the cell's own weights (PyTorch's gate order i, f, g, o)."""
    torch.manual_seed(0)
    cell = nn.LSTMCell(3, 5).double()
    x, h = (
        torch.randn(1, 3, dtype=torch.float64),
        torch.randn(1, 5, dtype=torch.float64),
    )
    c = torch.randn(1, 5, dtype=torch.float64)
    jacobian = torch.autograd.functional.jacobian(lambda c_: cell(x, (h, c_))[1], c)
    with torch.no_grad():
        gates = (
            x @ cell.weight_ih.T + cell.bias_ih + h @ cell.weight_hh.T + cell.bias_hh
        )
        forget = torch.sigmoid(gates.chunk(4, dim=1)[1])[0]
    torch.testing.assert_close(
        jacobian[0, :, 0, :], torch.diag(forget), atol=1e-12, rtol=0
    )
    assert (
        forget.min() > 0 and forget.max() < 1 and (forget.max() - forget.min()) > 1e-3
    )


def test_formula_letters_have_one_meaning() -> None:
    """The sizes are I (inputs) and H (hidden units): capitals, so that no size shares its
    letter with a vector or matrix of the gate equations (i_t is the input gate, h_t the
    state), and the stacked count's L and D are neither."""
    sizes = {str(s) for s in api.formula("lstm_params").expr.free_symbols}
    assert sizes == {"I", "H"}, sizes
    stacked = {str(s) for s in api.formula("lstm_params_stacked").expr.free_symbols}
    assert stacked - sizes == {"L", "D"}, stacked
    equations = [
        api.formula("rnn_h"),
        *(lstm(part) for part in "ifgoch"),
        *(gru(part) for part in "rznh"),
    ]
    names = set()
    for f in [*equations, gru("n_cho")]:
        names |= {str(m.name) for m in f.expr.atoms(sp.MatrixSymbol)}
        names.add(f.lhs)
    letters = {re.split(r"[_{\\ ]", n.lstrip("\\"))[0] for n in names}
    assert {"i", "h", "x", "W", "b"} <= letters, letters
    assert not letters & stacked, letters & stacked
    shapes = {
        str(d)
        for f in equations
        for m in f.expr.atoms(sp.MatrixSymbol)
        for d in m.shape
    }
    assert shapes <= {"1", "I", "H"}, shapes


def test_memory_distance_is_length_minus_one() -> None:
    """The task section: the signal is the first of T tokens and the answer is read from
    the state after the last, so there are T - 1 distractors and T - 1 recurrent steps
    between signal and answer (the gradient section's distance T - t), not T."""
    f = get_facts("rnn")
    length = int(f["length"])
    x, first = rnn.first_token_batch(32, length, torch.Generator().manual_seed(0))
    tokens = x.argmax(dim=-1)
    assert torch.equal(tokens[:, 0], first)
    assert (tokens[:, 1:] >= rnn.SIGNALS).all()  # every later token is a distractor
    assert f["distractors"] == str(tokens.shape[1] - 1)
    torch.manual_seed(0)
    model = rnn.SequenceClassifier("RNN", hidden=8)
    with torch.no_grad():
        states, _ = model.rnn(x)
        torch.testing.assert_close(model(x), model.head(states[:, -1]))
    # from h_1 (which reads the signal) to h_T (which the head reads): T - 1 steps
    assert f["memory_distance"] == str((length - 1) - 0)
    page = " ".join((ROOT / "docs/architectures/rnn.md").read_text().split())
    (sentence,) = [s for s in re.split(r"(?<=[.:]) ", page) if "steps of BPTT" in s]
    assert "{{ rnn.memory_distance }}" in sentence and "rnn.length" not in sentence
