"""Recurrent networks page: gate equations, parameter counts, facts and figures.

Why the gate equations are sympy expressions here rather than LaTeX strings beside the cell
code: a LaTeX string cannot be run, so nothing would notice if it drifted from the code. A
sympy expression over MatrixSymbols is printed to the page's LaTeX *and* evaluated with
torch (docs_build.matrix_formulas.evaluate), and tests/architectures/test_rnn.py holds it
against nn.RNNCell/LSTMCell/GRUCell with the same weights. The from-scratch cells in
snippets/architectures/rnn.py (which may not import sympy: readers copy that file alone) are
tested against the same PyTorch layers, so page, sympy and snippet are each tied to one
reference and cannot disagree silently.
"""

from __future__ import annotations

import functools
import inspect
from contextlib import contextmanager

import sympy as sp
import torch

from docs_build.formulas import formula
from docs_build.matrix_formulas import Hadamard, Sum, sigma, tanh
from docs_build.registry import facts, figure

# ----------------------------------------------------------------------------- gate equations
i_size, h_size = sp.symbols("i h", integer=True, positive=True)


def _vec(name: str, rows=h_size) -> sp.MatrixSymbol:
    return sp.MatrixSymbol(name, rows, 1)


x_t, h_prev, c_prev = _vec("x_{t}", i_size), _vec("h_{t-1}"), _vec("c_{t-1}")


def _affine(gate: str) -> sp.Expr:
    """W_i{gate} x_t + b_i{gate} + W_h{gate} h_{t-1} + b_h{gate}: PyTorch's two biases."""
    w_i = sp.MatrixSymbol(f"W_{{i{gate}}}", h_size, i_size)
    w_h = sp.MatrixSymbol(f"W_{{h{gate}}}", h_size, h_size)
    b_i, b_h = _vec(f"b_{{i{gate}}}"), _vec(f"b_{{h{gate}}}")
    return Sum(w_i * x_t, b_i, w_h * h_prev, b_h)


def _hidden_part(gate: str) -> sp.Expr:
    return Sum(
        sp.MatrixSymbol(f"W_{{h{gate}}}", h_size, h_size) * h_prev,
        _vec(f"b_{{h{gate}}}"),
    )


def _input_part(gate: str) -> sp.Expr:
    return Sum(
        sp.MatrixSymbol(f"W_{{i{gate}}}", h_size, i_size) * x_t, _vec(f"b_{{i{gate}}}")
    )


# Vanilla (Elman) RNN. PyTorch names its weights W_ih, W_hh; per gate we write W_i?, W_h?.
RNN_H = formula("rnn_h", tanh(_affine("h")), lhs="h_t")

# LSTM (Hochreiter & Schmidhuber 1997, with the forget gate of Gers et al. 2000).
i_t, f_t, g_t, o_t, c_t = (
    _vec("i_{t}"),
    _vec("f_{t}"),
    _vec("g_{t}"),
    _vec("o_{t}"),
    _vec("c_{t}"),
)
LSTM = {
    "i": formula("lstm_i", sigma(_affine("i")), lhs="i_t"),
    "f": formula("lstm_f", sigma(_affine("f")), lhs="f_t"),
    "g": formula("lstm_g", tanh(_affine("g")), lhs="g_t"),
    "o": formula("lstm_o", sigma(_affine("o")), lhs="o_t"),
    "c": formula("lstm_c", Sum(Hadamard(f_t, c_prev), Hadamard(i_t, g_t)), lhs="c_t"),
    "h": formula("lstm_h", Hadamard(o_t, tanh(c_t)), lhs="h_t"),
}

# GRU: PyTorch's form puts the reset gate around (W_hn h + b_hn); Cho et al. (2014) put it
# on h_{t-1} before the matrix product.
r_t, z_t, n_t = _vec("r_{t}"), _vec("z_{t}"), _vec("n_{t}")
ones = sp.OneMatrix(h_size, 1)
GRU = {
    "r": formula("gru_r", sigma(_affine("r")), lhs="r_t"),
    "z": formula("gru_z", sigma(_affine("z")), lhs="z_t"),
    "n": formula(
        "gru_n",
        tanh(Sum(_input_part("n"), Hadamard(r_t, _hidden_part("n")))),
        lhs="n_t",
    ),
    "h": formula(
        "gru_h",
        Sum(Hadamard(Sum(ones, -z_t), n_t), Hadamard(z_t, h_prev)),
        lhs="h_t",
    ),
}
GRU_N_CHO = formula(
    "gru_n_cho",
    tanh(
        Sum(
            _input_part("n"),
            sp.MatMul(
                sp.MatrixSymbol("W_{hn}", h_size, h_size),
                Hadamard(r_t, h_prev),
                evaluate=False,
            ),
            _vec("b_{hn}"),
        )
    ),
    lhs=r"\tilde n_t",
)


# ---------------------------------------------------------------- backpropagation through time
# A product of matrices of varying length is not a sympy expression, so its LaTeX lives here,
# beside the function that computes it; the tests hold that function against autograd.
BPTT_JACOBIAN = (
    r"\frac{\partial h_T}{\partial h_t} = J_T\, J_{T-1} \cdots J_{t+1}, \qquad "
    r"J_k = \frac{\partial h_k}{\partial h_{k-1}} = "
    r"\operatorname{diag}\left(1 - h_k^2\right) W_{hh}"
)


def bptt_jacobian(
    weight_hh: torch.Tensor, later_states: list[torch.Tensor]
) -> torch.Tensor:
    """dh_T/dh_t of a tanh RNN from the states h_{t+1}, ..., h_T of one sequence (the
    equation above): each step multiplies by diag(1 - h_k^2) W_hh."""
    jacobian = torch.eye(weight_hh.shape[0], dtype=weight_hh.dtype)
    for h_k in later_states:
        jacobian = torch.diag(1 - h_k**2) @ weight_hh @ jacobian
    return jacobian


# ------------------------------------------------------------------------- parameter counts
layers, directions = sp.symbols("L D", integer=True, positive=True)
GATES = {"RNN": 1, "LSTM": 4, "GRU": 3}


def _one_layer(gates: int, inputs: sp.Expr) -> sp.Expr:
    return gates * (h_size * (inputs + h_size) + 2 * h_size)


PARAMS = {
    kind: formula(
        f"{kind.lower()}_params", _one_layer(g, i_size), args=(i_size, h_size)
    )
    for kind, g in GATES.items()
}
# Stacked and bidirectional: layer 1 reads i inputs, each later layer reads D*h of them.
PARAMS_STACKED = {
    kind: formula(
        f"{kind.lower()}_params_stacked",
        directions
        * (_one_layer(g, i_size) + (layers - 1) * _one_layer(g, directions * h_size)),
        args=(i_size, h_size, layers, directions),
    )
    for kind, g in GATES.items()
}


# ------------------------------------------------------------------------------ the numbers
# The page's claim about the recall task, asserted by tests/architectures/test_rnn.py.
CLAIM = {"gated_min": 0.95, "rnn_max": 0.60, "margin": 0.40}
MATCH_SHAPE = (
    5,
    12,
    7,
    16,
)  # batch, steps, inputs, hidden of the scratch-vs-torch check


def default(fn, name: str):
    """The default value of one parameter of a snippet function (so the page quotes it)."""
    return inspect.signature(fn).parameters[name].default


@contextmanager
def one_thread():
    """Tiny sequential models run fastest on one thread (no synchronisation per time step)."""
    saved = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(saved)


@functools.cache
def trained() -> dict:
    """Train the three classifiers once per process (shared by the facts and the figures)."""
    from architectures import rnn

    with one_thread():
        return {kind: rnn.train_first_token(kind) for kind in ("RNN", "LSTM", "GRU")}


GRADIENT_CURVES = (
    ("RNN, spectral radius 0.5", "RNN", 0.5, None),
    ("RNN, spectral radius 1", "RNN", 1.0, None),
    ("RNN, spectral radius 3", "RNN", 3.0, None),
    ("LSTM, PyTorch's initialization", "LSTM", None, 0.0),
    ("LSTM, remember mode (gate biases ±3)", "LSTM", None, 3.0),
)


@functools.cache
def gradient_curves() -> dict[str, torch.Tensor]:
    """|dL/dx_t| for each curve of the gradient figure, indexed by distance T - t."""
    from architectures import rnn

    out = {}
    with one_thread():
        for label, kind, radius, bias in GRADIENT_CURVES:
            torch.manual_seed(0)
            if kind == "RNN":
                layer = rnn.rnn_with_spectral_radius(radius)
            else:
                layer = torch.nn.LSTM(8, 64, batch_first=True).to(rnn.device)
                with torch.no_grad():
                    layer.bias_ih_l0.view(4, -1)[0] -= bias
                    layer.bias_ih_l0.view(4, -1)[1] += bias
            out[label] = rnn.input_gradient_norms(layer).flip(
                0
            )  # index = distance T - t
    return out


def scratch_vs_torch() -> dict[str, float]:
    """Largest |ours - torch| over outputs, final states and gradients, per kind (float32)."""
    from architectures import rnn

    torch.manual_seed(0)
    worst = {}
    n, steps, inputs, hidden = MATCH_SHAPE
    x = torch.randn(n, steps, inputs)
    for kind, layer_cls in (
        ("RNN", torch.nn.RNN),
        ("LSTM", torch.nn.LSTM),
        ("GRU", torch.nn.GRU),
    ):
        theirs = layer_cls(inputs, hidden, batch_first=True)
        ours = rnn.Recurrent(kind, inputs, hidden).load_from(theirs)
        results = []
        for model in (ours, theirs):
            xi = x.clone().requires_grad_()
            out, final = model(xi)
            finals = final if isinstance(final, tuple) else (final,)
            (out.sum() + sum(f.sum() for f in finals)).backward()
            results.append((out, *finals, xi.grad))
        diffs = [(a - b).abs().max().item() for a, b in zip(*results, strict=True)]
        grads = zip(ours.cell.parameters(), theirs.parameters(), strict=True)
        diffs += [(a.grad - b.grad).abs().max().item() for a, b in grads]
        worst[kind] = max(diffs)
    return worst


@facts("rnn")
def rnn_facts() -> dict[str, str]:
    from architectures import rnn

    from docs_build import diagrams

    runs = trained()
    out: dict[str, str] = {}
    for kind, r in runs.items():
        k = kind.lower()
        out[f"{k}_accuracy"] = f"{r['accuracy']:.1%}"
        out[f"{k}_seconds"] = f"{r['seconds']:.1f}"
        out[f"{k}_parameters"] = f"{rnn.count_parameters(r['model']):,}"
        out[f"{k}_layer_parameters"] = f"{rnn.count_parameters(r['model'].rnn):,}"
    for name in ("length", "steps", "batch", "lr", "clip"):
        out[name] = f"{default(rnn.train_first_token, name):g}"
    out["held_out"] = f"{rnn.HELD_OUT:,}"
    out["grad_hidden"] = str(default(rnn.rnn_with_spectral_radius, "hidden"))
    out["grad_steps"] = str(default(rnn.input_gradient_norms, "steps"))
    out["claim_gated"] = f"{CLAIM['gated_min']:.0%}"
    out["claim_rnn"] = f"{CLAIM['rnn_max']:.0%}"
    out["claim_margin"] = f"{CLAIM['margin'] * 100:.0f}"
    out["match_shape"] = "{} sequences of {} steps".format(*MATCH_SHAPE[:2])
    out["signals"], out["vocab"] = str(rnn.SIGNALS), str(rnn.VOCAB)
    out["chance"] = f"{1 / rnn.SIGNALS:.0%}"
    out["hidden"] = str(runs["RNN"]["model"].rnn.hidden_size)
    bias = default(rnn.SequenceClassifier, "gate_bias")
    out["gate_bias"] = f"{bias:g}"
    out["sigmoid_gate_bias"] = f"{torch.sigmoid(torch.tensor(bias)).item():.3f}"
    gated = min(runs["LSTM"]["accuracy"], runs["GRU"]["accuracy"])
    out["margin"] = f"{(gated - runs['RNN']['accuracy']) * 100:.0f}"
    out["total_seconds"] = f"{sum(r['seconds'] for r in runs.values()):.1f}"
    out["torch_threads"] = "1"

    curves = gradient_curves()
    names = ("rnn_05", "rnn_1", "rnn_3", "lstm_default", "lstm_remember")
    for name, g in zip(names, curves.values(), strict=True):
        out[f"grad_{name}"] = f"{(g[-1] / g[0]).item():.1e}"
    out["grad_distance"] = str(len(next(iter(curves.values()))) - 1)

    worst = scratch_vs_torch()
    for kind, w in worst.items():
        out[f"match_{kind.lower()}"] = f"{w:.0e}"
    out["match_tolerance"] = "1e-5"
    out["bptt_jacobian"] = BPTT_JACOBIAN

    model = runs["LSTM"]["model"]
    example = torch.zeros(2, int(out["length"]), rnn.VOCAB)
    steps = diagrams.trace(model, example)
    rows = ["| step | what it is | output shape | parameters |", "|---|---|---|---|"]
    rows.append(
        f"| input | one-hot tokens | `{diagrams.shape_text(tuple(example.shape))}` | 0 |"
    )
    for s in steps:
        rows.append(
            f"| `{s.name}` | {s.label} | `{diagrams.shape_text(s.shape)}` | {s.params:,} |"
        )
    out["shapes_table"] = "\n".join(rows)
    for kind in GATES:
        out[f"formula_{kind.lower()}"] = f"{PARAMS[kind].latex()}"
    return out


# ------------------------------------------------------------------------------ the figures
@figure(
    "architectures/rnn-unrolled",
    alt="An RNN cell drawn once with a loop, then unrolled into four copies for time steps 1 "
    "to 4; each copy takes an input x_t from below, passes its hidden state h_t to the right "
    "and emits an output above. Backpropagation through time follows the arrows right to left.",
    caption="One cell, unrolled: the same weights at every step; gradients flow back along "
    "the horizontal arrows.",
)
def draw_unrolled():
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    fig, ax = plt.subplots(figsize=(8.0, 2.8))
    ax.set_axis_off()
    ax.set_xlim(-0.4, 9.6)
    ax.set_ylim(-1.5, 1.6)
    fg = plt.rcParams["text.color"]
    accent = plt.rcParams["axes.prop_cycle"].by_key()["color"][0]
    second = plt.rcParams["axes.prop_cycle"].by_key()["color"][1]

    def cell(x: float, label: str) -> None:
        ax.add_patch(
            FancyBboxPatch(
                (x - 0.45, -0.3),
                0.9,
                0.6,
                boxstyle="round,pad=0.05",
                ec=accent,
                fc="none",
                lw=1.5,
            )
        )
        ax.text(x, 0, label, ha="center", va="center", color=fg, fontsize=11)

    def arrow(xy_from, xy_to, color=fg, style="-|>", ls="-") -> None:
        ax.annotate(
            "",
            xy=xy_to,
            xytext=xy_from,
            arrowprops={
                "arrowstyle": style,
                "color": color,
                "lw": 1.2,
                "linestyle": ls,
            },
        )

    cell(0.5, "A")  # the folded view
    arrow((0.5, -1.05), (0.5, -0.38))
    arrow((0.5, 0.38), (0.5, 1.05))
    ax.text(0.5, -1.25, "$x_t$", ha="center", color=fg)
    ax.text(0.5, 1.25, "$h_t$", ha="center", color=fg)
    ax.annotate(  # the recurrence: the state goes back into the same cell
        "",
        xy=(0.95, -0.15),
        xytext=(0.95, 0.15),
        arrowprops={
            "arrowstyle": "-|>",
            "color": fg,
            "connectionstyle": "arc3,rad=-2.2",
        },
    )
    ax.text(2.0, 0, "=", ha="center", va="center", fontsize=18, color=fg)
    xs = [3.4, 5.2, 7.0, 8.8]
    ax.text(2.5, 0.0, "$h_0$", ha="center", va="center", color=fg, fontsize=10)
    arrow((2.7, 0.07), (2.9, 0.07))
    for t, x in enumerate(xs, start=1):
        cell(x, "A")
        arrow((x, -1.05), (x, -0.38))
        arrow((x, 0.38), (x, 1.05))
        ax.text(x, -1.3, f"$x_{t}$", ha="center", color=fg)
        ax.text(x, 1.2, f"$h_{t}$", ha="center", color=fg)
        if t < len(xs):
            arrow((x + 0.5, 0.07), (xs[t] - 0.5, 0.07))
            arrow((xs[t] - 0.5, -0.12), (x + 0.5, -0.12), color=second, ls="--")
    ax.text(
        6.1,
        -0.62,
        r"$\partial L / \partial h_t$ (dashed)",
        ha="center",
        color=second,
        fontsize=9,
    )
    return fig


@figure(
    "architectures/rnn-gradients",
    alt="Log-scale line plot of the gradient norm reaching input x_t against the distance T "
    "minus t. The RNN with spectral radius 0.5 falls by more than ten orders of magnitude, "
    "radius 1 falls more slowly, radius 3 grows by more than three orders; an LSTM with "
    "PyTorch's initialization falls by more than six orders, and an LSTM whose gates start "
    "in remember mode falls by less than two.",
    caption="Measured: how much of the loss gradient at the last step reaches an input T - t "
    "steps earlier, normalized by its value at distance 0.",
)
def draw_gradients():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.0, 4.2))
    for (label, g), marker in zip(gradient_curves().items(), "osD^v", strict=True):
        d = torch.arange(len(g))
        ax.plot(d, g / g[0], label=label, marker=marker, markevery=10)
    ax.set_yscale("log")
    ax.set_xlabel("distance T − t (time steps)")
    ax.set_ylabel(r"$\|\partial L/\partial x_t\|$ relative to distance 0")
    ax.set_xlim(0, len(g) - 1)
    ax.legend(fontsize=9, loc="lower left")
    return fig


@figure(
    "architectures/rnn-training",
    alt="Training loss against step, on a log scale, for the RNN, LSTM and GRU on the "
    "first-token recall task. All three start at ln 4, the loss of guessing. The LSTM and GRU "
    "losses fall by orders of magnitude; the RNN loss stays far above them, with spikes.",
    caption="Cross-entropy during training on the recall task (same data, same steps).",
)
def draw_training():
    import math

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.0, 3.8))
    for kind, r in trained().items():
        ax.plot(
            range(1, len(r["losses"]) + 1),
            r["losses"],
            label=kind,
            markevery=10,
            marker="o",
        )
    ax.axhline(math.log(4), color=plt.rcParams["text.color"], lw=0.8, ls=":")
    ax.text(1, math.log(4) * 1.5, "guessing: ln 4", fontsize=9)
    ax.set_xlabel("training step")
    ax.set_ylabel("cross-entropy loss (log scale)")
    ax.set_yscale("log")
    ax.legend(loc="lower left")
    return fig


@figure(
    "architectures/rnn-diagram",
    alt="Diagram of the recall classifier: a one-hot input of shape (batch, steps, symbols) "
    "goes into an LSTM layer, whose outputs have shape (batch, steps, hidden units); the last "
    "step goes into a linear layer with one output per signal symbol. Each box lists its "
    "output shape and parameter count.",
    caption="The LSTM classifier, read off a forward pass on a batch of two sequences.",
)
def draw_diagram():
    from architectures import rnn

    from docs_build import diagrams

    torch.manual_seed(0)
    model = rnn.SequenceClassifier("LSTM")
    example = torch.zeros(2, default(rnn.train_first_token, "length"), rnn.VOCAB)
    return diagrams.draw(diagrams.trace(model, example), tuple(example.shape))
