"""Recurrent networks: from-scratch cells equal PyTorch's, the page's gate equations and
parameter counts equal PyTorch's, gradients vanish and explode as the page says, and the
gated cells beat the vanilla RNN on the recall task by the stated margin."""

from __future__ import annotations

import pytest
import torch
from architectures import rnn
from torch import nn

from docs_build.chapters import rnn as chapter
from docs_build.matrix_formulas import evaluate
from docs_build.registry import get_facts

TOL = 1e-5  # float32, absolute and relative; stated on the page as rnn.match_tolerance
LAYERS = {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}


def run_both(kind: str, with_state: bool):
    """Outputs, final states, input and weight gradients of ours and PyTorch's layer."""
    torch.manual_seed(0)
    n, steps, inputs, hidden = chapter.MATCH_SHAPE
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
    return results


@pytest.mark.parametrize("kind", LAYERS)
@pytest.mark.parametrize("with_state", [False, True], ids=["zero-state", "given-state"])
def test_scratch_layer_matches_torch(kind: str, with_state: bool) -> None:
    ours, theirs = run_both(kind, with_state)
    assert len(ours) == len(theirs) >= 7
    for a, b in zip(ours, theirs, strict=True):
        torch.testing.assert_close(a, b, atol=TOL, rtol=TOL)


def test_stated_match_is_within_tolerance() -> None:
    facts = get_facts("rnn")
    assert float(facts["match_tolerance"]) == TOL
    for kind in LAYERS:
        assert float(facts[f"match_{kind.lower()}"]) <= TOL, kind


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


@pytest.mark.formula
def test_rnn_equation_equals_rnncell(inputs) -> None:
    x, h = inputs
    cell = nn.RNNCell(5, 4).double()
    got = evaluate(chapter.RNN_H.expr, cell_values(cell, "h", x, h)).T
    torch.testing.assert_close(got, cell(x, h), atol=1e-12, rtol=1e-12)


@pytest.mark.formula
def test_lstm_equations_equal_lstmcell(inputs) -> None:
    x, h = inputs
    c = torch.randn_like(h)
    cell = nn.LSTMCell(5, 4).double()
    values = cell_values(cell, "ifgo", x, h) | {"c_{t-1}": c.T}
    for gate in "ifgo":
        values[f"{gate}_{{t}}"] = evaluate(chapter.LSTM[gate].expr, values)
    values["c_{t}"] = evaluate(chapter.LSTM["c"].expr, values)
    h_new, c_new = cell(x, (h, c))
    torch.testing.assert_close(values["c_{t}"].T, c_new, atol=1e-12, rtol=1e-12)
    got = evaluate(chapter.LSTM["h"].expr, values).T
    torch.testing.assert_close(got, h_new, atol=1e-12, rtol=1e-12)


def gru_step(candidate, inputs) -> tuple[torch.Tensor, torch.Tensor]:
    """One GRU step from the page's equations, with the given candidate equation."""
    x, h = inputs
    cell = nn.GRUCell(5, 4).double()
    values = cell_values(cell, "rzn", x, h)
    for gate in "rz":
        values[f"{gate}_{{t}}"] = evaluate(chapter.GRU[gate].expr, values)
    values["n_{t}"] = evaluate(candidate.expr, values)
    return evaluate(chapter.GRU["h"].expr, values).T, cell(x, h)


@pytest.mark.formula
def test_gru_equations_equal_grucell(inputs) -> None:
    got, expected = gru_step(chapter.GRU["n"], inputs)
    torch.testing.assert_close(got, expected, atol=1e-12, rtol=1e-12)


@pytest.mark.formula
def test_cho_reset_placement_is_not_pytorchs(inputs) -> None:
    """Cho et al.'s candidate, W_hn (r * h), gives a different cell than PyTorch's."""
    got, expected = gru_step(chapter.GRU_N_CHO, inputs)
    assert (got - expected).abs().max() > 1e-3


@pytest.mark.formula
def test_scratch_cho_cell_equals_its_equation(inputs) -> None:
    x, h = inputs
    torch.manual_seed(2)
    ours = rnn.GRUCell(5, 4, reset_after=False).double()
    values = cell_values(ours, "rzn", x, h)
    values["r_{t}"] = evaluate(chapter.GRU["r"].expr, values)
    values["z_{t}"] = evaluate(chapter.GRU["z"].expr, values)
    values["n_{t}"] = evaluate(chapter.GRU_N_CHO.expr, values)
    expected = evaluate(chapter.GRU["h"].expr, values).T
    torch.testing.assert_close(ours(x, h), expected, atol=1e-12, rtol=1e-12)
    torch_gru = nn.GRUCell(5, 4).double()
    torch_gru.load_state_dict(ours.state_dict())
    assert (ours(x, h) - torch_gru(x, h)).abs().max() > 1e-3


@pytest.mark.formula
@pytest.mark.parametrize("kind", LAYERS)
@pytest.mark.parametrize("i,h", [(1, 1), (8, 64), (13, 7), (100, 3)])
def test_parameter_count_formula(kind: str, i: int, h: int) -> None:
    expected = chapter.PARAMS[kind].expr.subs({chapter.i_size: i, chapter.h_size: h})
    assert rnn.count_parameters(LAYERS[kind](i, h)) == expected
    assert rnn.count_parameters(rnn.Recurrent(kind, i, h)) == expected


@pytest.mark.formula
@pytest.mark.parametrize("kind", LAYERS)
@pytest.mark.parametrize("layers,bidirectional", [(1, True), (2, False), (3, True)])
def test_stacked_parameter_count_formula(
    kind: str, layers: int, bidirectional: bool
) -> None:
    f = chapter.PARAMS_STACKED[kind]
    d = 2 if bidirectional else 1
    expected = f.expr.subs(
        {
            chapter.i_size: 9,
            chapter.h_size: 5,
            chapter.layers: layers,
            chapter.directions: d,
        }
    )
    layer = LAYERS[kind](9, 5, num_layers=layers, bidirectional=bidirectional)
    assert rnn.count_parameters(layer) == expected


@pytest.mark.formula
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
    got = chapter.bptt_jacobian(cell.weight_hh.detach(), states[t + 1 :])
    torch.testing.assert_close(got, expected, atol=1e-12, rtol=1e-10)
    assert r"\operatorname{diag}\left(1 - h_k^2\right) W_{hh}" in chapter.BPTT_JACOBIAN


def test_gradients_vanish_and_explode_as_stated() -> None:
    curves = chapter.gradient_curves()
    ratio = {label: (g[-1] / g[0]).item() for label, g in curves.items()}
    small, one, large, lstm_default, lstm_remember = ratio.values()
    assert small < 1e-10  # radius 0.5: twenty orders of magnitude in 59 steps
    assert small < one < 1.0  # radius 1: still shrinks, more slowly
    assert large > 1e3  # radius 3: the gradient explodes
    assert lstm_default < 1e-6  # an LSTM at PyTorch's initialization forgets too
    assert lstm_remember > 1e-2  # remember mode keeps the gradient alive
    facts = get_facts("rnn")
    names = ("rnn_05", "rnn_1", "rnn_3", "lstm_default", "lstm_remember")
    for name, value in zip(names, ratio.values(), strict=True):
        assert facts[f"grad_{name}"] == f"{value:.1e}"


def test_gated_cells_beat_the_vanilla_rnn_at_long_range() -> None:
    """The page's claim (chapter.CLAIM): both gated cells above a threshold, the RNN below
    one, and the gap at least a stated margin. The facts are the training run's values."""
    facts = get_facts("rnn")
    accuracy = {
        k: float(facts[f"{k}_accuracy"].rstrip("%")) / 100
        for k in ("rnn", "lstm", "gru")
    }
    claim = chapter.CLAIM
    assert claim == {
        "gated_min": 0.95,
        "rnn_max": 0.60,
        "margin": 0.40,
    }  # no quiet loosening
    assert (
        accuracy["lstm"] >= claim["gated_min"] and accuracy["gru"] >= claim["gated_min"]
    )
    assert accuracy["rnn"] <= claim["rnn_max"]
    assert min(accuracy["lstm"], accuracy["gru"]) - accuracy["rnn"] >= claim["margin"]
    assert int(facts["margin"]) >= 100 * claim["margin"]


def test_parameter_facts_match_the_formulas() -> None:
    facts = get_facts("rnn")
    hidden, vocab = int(facts["hidden"]), int(facts["vocab"])
    for kind, f in chapter.PARAMS.items():
        expected = f.expr.subs({chapter.i_size: vocab, chapter.h_size: hidden})
        assert facts[f"{kind.lower()}_layer_parameters"] == f"{int(expected):,}"


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
