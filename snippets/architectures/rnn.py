"""Recurrent networks from scratch: RNN, LSTM and GRU cells checked against PyTorch, the
vanishing gradient measured, and a long-range memory task trained from several starts,
over several seeds."""

# --8<-- [start:imports]
import math
import statistics
import time

import torch
from torch import nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
# --8<-- [end:imports]


# --8<-- [start:cells]
class RecurrentCell(nn.Module):
    """Shared parameters of one recurrent layer, laid out exactly as PyTorch lays them out.

    ``weight_ih`` stacks the input weights of every gate, ``(gates * hidden, input)``, and
    ``weight_hh`` the recurrent ones, ``(gates * hidden, hidden)``. PyTorch keeps two bias
    vectors, ``bias_ih`` and ``bias_hh``; their sum acts as one bias everywhere except in the
    GRU's candidate state, where ``bias_hh`` sits inside the reset gate's product.
    """

    gates = 1

    def __init__(self, input_size: int, hidden_size: int) -> None:
        super().__init__()
        self.input_size, self.hidden_size = input_size, hidden_size
        g = self.gates * hidden_size
        self.weight_ih = nn.Parameter(torch.empty(g, input_size))
        self.weight_hh = nn.Parameter(torch.empty(g, hidden_size))
        self.bias_ih = nn.Parameter(torch.empty(g))
        self.bias_hh = nn.Parameter(torch.empty(g))
        bound = 1.0 / math.sqrt(
            hidden_size
        )  # PyTorch's default: U(-1/sqrt(h), 1/sqrt(h))
        for p in self.parameters():
            nn.init.uniform_(p, -bound, bound)

    def check(self, x: torch.Tensor, h: torch.Tensor) -> None:
        """Raise a clear error when x is not (N, input) or h is not (N, hidden)."""
        if x.ndim != 2 or x.shape[1] != self.input_size:
            raise ValueError(
                f"expected x of shape (N, {self.input_size}), got {tuple(x.shape)}"
            )
        if h.shape != (x.shape[0], self.hidden_size):
            raise ValueError(
                f"expected state of shape ({x.shape[0]}, {self.hidden_size}), got {tuple(h.shape)}"
            )


class RNNCell(RecurrentCell):
    """Elman cell: h' = tanh(W_ih x + b_ih + W_hh h + b_hh)."""

    def forward(self, x: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        self.check(x, h)
        return torch.tanh(
            x @ self.weight_ih.T + self.bias_ih + h @ self.weight_hh.T + self.bias_hh
        )


class LSTMCell(RecurrentCell):
    """Long short-term memory cell; gate order in the weights: input, forget, cell, output."""

    gates = 4

    def forward(
        self, x: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor]:
        h, c = state
        self.check(x, h)
        pre = x @ self.weight_ih.T + self.bias_ih + h @ self.weight_hh.T + self.bias_hh
        i, f, g, o = pre.chunk(4, dim=1)
        i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
        c = (
            f * c + i * g
        )  # the cell state: updated by addition, not by a matrix product
        return o * torch.tanh(c), c


class GRUCell(RecurrentCell):
    """Gated recurrent unit; gate order in the weights: reset, update, candidate.

    ``reset_after=True`` is PyTorch's form, r * (W_hn h + b_hn); ``False`` is Cho et al.'s
    original, W_hn (r * h), which PyTorch does not implement.
    """

    gates = 3

    def __init__(
        self, input_size: int, hidden_size: int, reset_after: bool = True
    ) -> None:
        super().__init__(input_size, hidden_size)
        self.reset_after = reset_after

    def forward(self, x: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        self.check(x, h)
        xr, xz, xn = (x @ self.weight_ih.T + self.bias_ih).chunk(3, dim=1)
        w_hr, w_hz, w_hn = self.weight_hh.chunk(3, dim=0)
        b_hr, b_hz, b_hn = self.bias_hh.chunk(3)
        r = torch.sigmoid(xr + h @ w_hr.T + b_hr)
        z = torch.sigmoid(xz + h @ w_hz.T + b_hz)
        if self.reset_after:
            n = torch.tanh(xn + r * (h @ w_hn.T + b_hn))
        else:
            n = torch.tanh(xn + (r * h) @ w_hn.T + b_hn)
        return (1 - z) * n + z * h


# --8<-- [end:cells]


# --8<-- [start:sequence]
CELLS = {"RNN": RNNCell, "LSTM": LSTMCell, "GRU": GRUCell}


class Recurrent(nn.Module):
    """One recurrent layer over a batch-first sequence, like nn.RNN/LSTM/GRU(batch_first=True)."""

    def __init__(self, kind: str, input_size: int, hidden_size: int) -> None:
        super().__init__()
        if kind not in CELLS:
            raise ValueError(f"kind must be one of {sorted(CELLS)}, got {kind!r}")
        self.kind = kind
        self.cell = CELLS[kind](input_size, hidden_size)

    def forward(self, x: torch.Tensor, state=None):
        """x: (N, T, input). Returns the outputs (N, T, hidden) and the final state, each state
        shaped (1, N, hidden) as PyTorch returns it ((h, c) for the LSTM)."""
        if x.ndim != 3:
            raise ValueError(f"expected x of shape (N, T, input), got {tuple(x.shape)}")
        n, hidden = x.shape[0], self.cell.hidden_size
        if state is None:
            zeros = x.new_zeros(n, hidden)
            state = (zeros, zeros) if self.kind == "LSTM" else zeros
        elif self.kind == "LSTM":
            state = (state[0][0], state[1][0])
        else:
            state = state[0]
        outputs = []
        for t in range(
            x.shape[1]
        ):  # backpropagation through time walks this loop backwards
            state = self.cell(x[:, t], state)
            outputs.append(state[0] if self.kind == "LSTM" else state)
        final = (state[0][None], state[1][None]) if self.kind == "LSTM" else state[None]
        return torch.stack(outputs, dim=1), final

    @torch.no_grad()
    def load_from(self, layer: nn.RNNBase) -> "Recurrent":
        """Copy the weights of a one-layer nn.RNN/LSTM/GRU into this module."""
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(self.cell, name).copy_(getattr(layer, f"{name}_l0"))
        return self


def count_parameters(model: nn.Module) -> int:
    """Number of trainable numbers in a model."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


# --8<-- [end:sequence]


# --8<-- [start:gradients]
def gradient_inputs(
    layer: nn.RNNBase, steps: int = 60, batch: int = 128
) -> tuple[torch.Tensor, torch.Tensor]:
    """The gradient measurement's inputs x (batch, steps, input) and loss vector u, seeded."""
    gen = torch.Generator().manual_seed(1)
    # drawn on the CPU: the same numbers on any device
    x = torch.randn(batch, steps, layer.input_size, generator=gen).to(device)
    u = torch.randn(layer.hidden_size, generator=gen).to(device)
    return x, u


def input_gradient_norms(
    layer: nn.RNNBase, steps: int = 60, batch: int = 128
) -> torch.Tensor:
    """Norm of dL/dx_t for L = u . h_T, one value per time step t, averaged over a batch.

    The gradient reaching x_t has passed back through T - t recurrent steps, so this curve
    shows how much of a late error signal reaches an early input.
    """
    x, u = gradient_inputs(layer, steps, batch)
    x.requires_grad_()
    outputs, _ = layer(x)
    (outputs[:, -1] @ u).sum().backward()
    return (
        x.grad.norm(dim=2).mean(dim=0).cpu()
    )  # index t; distance to the end is T - 1 - t


def rnn_with_spectral_radius(
    radius: float, input_size: int = 8, hidden: int = 64
) -> nn.RNN:
    """A tanh RNN whose recurrent matrix is Gaussian, rescaled to the given spectral radius."""
    layer = nn.RNN(input_size, hidden, batch_first=True).to(device)
    with torch.no_grad():
        w = torch.randn(hidden, hidden).to(device)
        w *= radius / torch.linalg.eigvals(w).abs().max()
        layer.weight_hh_l0.copy_(w)
    return layer


def bptt_jacobian(
    weight_hh: torch.Tensor, later_states: list[torch.Tensor]
) -> torch.Tensor:
    """dh_T/dh_t of a tanh RNN cell from its later states h_{t+1}, ..., h_T (each of shape
    (H,)): the product of the step Jacobians diag(1 - h_k^2) W_hh, the latest on the left."""
    if weight_hh.ndim != 2 or weight_hh.shape[0] != weight_hh.shape[1]:
        raise ValueError(f"W_hh must be square, got shape {tuple(weight_hh.shape)}")
    hidden = weight_hh.shape[0]
    jacobian = torch.eye(hidden, dtype=weight_hh.dtype, device=weight_hh.device)
    for h_k in later_states:
        if h_k.shape != (hidden,):
            raise ValueError(
                f"each state must have shape ({hidden},), got {tuple(h_k.shape)}"
            )
        if (h_k.dtype, h_k.device) != (weight_hh.dtype, weight_hh.device):
            raise ValueError(
                f"states must be {weight_hh.dtype} on {weight_hh.device} like W_hh, "
                f"got {h_k.dtype} on {h_k.device}"
            )
        # diag(1 - h_k^2) @ W_hh, without building the diagonal matrix: scale W_hh's rows
        jacobian = ((1 - h_k**2)[:, None] * weight_hh) @ jacobian
    return jacobian


# --8<-- [end:gradients]


# --8<-- [start:task]
SIGNALS, VOCAB = 4, 8  # tokens 0-3 carry the answer; 4-7 are distractors


def first_token_batch(
    n: int, length: int, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """Sequences whose first token (one of SIGNALS) must be recalled after length-1 distractors.

    Returns one-hot inputs (n, length, VOCAB) and the class of the first token (n,).
    """
    if length < 2:
        raise ValueError(f"length must be at least 2, got {length}")
    first = torch.randint(0, SIGNALS, (n,), generator=generator)
    rest = torch.randint(SIGNALS, VOCAB, (n, length - 1), generator=generator)
    tokens = torch.cat([first[:, None], rest], dim=1)
    return nn.functional.one_hot(tokens, VOCAB).float(), first


# Where training starts. "default" is PyTorch's initialization; the others change it.
STARTS = {
    "RNN": ("default", "orthogonal", "identity"),
    "LSTM": ("default", "forget", "remember"),
    "GRU": ("default", "remember"),
}
FORGET_BIAS = 1.0  # the forget-gate bias Jozefowicz et al. (2015) recommend adding


@torch.no_grad()
def set_start_(layer: nn.RNNBase, start: str, gate_bias: float = 3.0) -> nn.RNNBase:
    """Move a freshly initialized one-layer nn.RNN/LSTM/GRU to another starting point.

    "remember": LSTM input-gate bias - gate_bias and forget-gate bias + gate_bias; GRU
    update-gate bias + gate_bias. "forget": LSTM forget-gate bias + FORGET_BIAS only.
    "orthogonal": a random orthogonal recurrent matrix. "identity": the identity recurrent
    matrix and zero biases, for a ReLU RNN (Le et al., 2015).
    """
    kind = {nn.RNN: "RNN", nn.LSTM: "LSTM", nn.GRU: "GRU"}.get(type(layer))
    if kind is None or start not in STARTS[kind]:
        raise ValueError(
            f"start {start!r} does not apply to {type(layer).__name__}; "
            f"starts: {STARTS}"
        )
    gates = layer.bias_ih_l0.view(-1, layer.hidden_size)  # one row of biases per gate
    if start == "remember" and kind == "LSTM":  # rows: input, forget, cell, output
        gates[0] -= gate_bias  # write little ...
        gates[1] += gate_bias  # ... and forget little
    elif start == "remember":  # GRU rows: reset, update, candidate
        gates[1] += gate_bias  # update gate z near 1 keeps the old state
    elif start == "forget":
        gates[1] += FORGET_BIAS
    elif start == "orthogonal":
        w = nn.init.orthogonal_(torch.empty(layer.weight_hh_l0.shape))  # on the CPU
        layer.weight_hh_l0.copy_(w)
    elif start == "identity":
        if layer.nonlinearity != "relu":
            raise ValueError(
                f"the identity start is for a ReLU RNN, got {layer.nonlinearity}"
            )
        layer.weight_hh_l0.copy_(torch.eye(layer.hidden_size))
        layer.bias_ih_l0.zero_()
        layer.bias_hh_l0.zero_()
    return layer


class SequenceClassifier(nn.Module):
    """A recurrent layer reads the sequence; a linear head classifies its last hidden state."""

    def __init__(
        self,
        kind: str,
        hidden: int = 64,
        start: str = "default",
        gate_bias: float = 3.0,
    ) -> None:
        super().__init__()
        if kind not in STARTS:
            raise ValueError(f"kind must be one of {sorted(STARTS)}, got {kind!r}")
        layer = {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}[kind]
        options = {"nonlinearity": "relu"} if start == "identity" else {}
        self.rnn = layer(VOCAB, hidden, batch_first=True, **options)
        self.head = nn.Linear(hidden, SIGNALS)
        set_start_(self.rnn, start, gate_bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 3 or x.shape[2] != VOCAB:
            raise ValueError(
                f"expected one-hot input (N, T, {VOCAB}), got {tuple(x.shape)}"
            )
        outputs, _ = self.rnn(x)
        return self.head(outputs[:, -1])


HELD_OUT = 1000  # sequences in the test set, the same for every run
SEEDS = 5  # runs per (cell, start); seed s draws its own weights and batches
SOLVED = 0.9  # held-out accuracy at which a run counts as having solved the task


def train_first_token(
    kind: str,
    start: str = "default",
    seed: int = 0,
    length: int = 40,
    steps: int = 100,
    batch: int = 128,
    lr: float = 3e-2,
    clip: float = 1.0,
    hidden: int = 32,
) -> dict:
    """Train one model on the memory task; return accuracy, losses, seconds and the model.

    The seed sets the initial weights and the training batches; the held-out set is fixed.
    """
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(1000 + seed)
    model = SequenceClassifier(kind, hidden=hidden, start=start).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses, start = [], time.perf_counter()
    for _ in range(steps):
        x, y = first_token_batch(batch, length, gen)
        loss = nn.functional.cross_entropy(model(x.to(device)), y.to(device))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(
            model.parameters(), max_norm=clip
        )  # tame exploding gradients
        optimizer.step()
        losses.append(loss.item())
    seconds = time.perf_counter() - start
    x, y = first_token_batch(HELD_OUT, length, torch.Generator().manual_seed(2))
    with torch.no_grad():
        accuracy = (model(x.to(device)).argmax(1).cpu() == y).float().mean().item()
    return {"model": model, "accuracy": accuracy, "losses": losses, "seconds": seconds}


# Every configuration the page reports: each cell from PyTorch's start, and the others.
RUNS = tuple((kind, start) for kind, starts in STARTS.items() for start in starts)
# What running this file trains: one seed of the clearest contrast, on one CPU thread;
# recall_experiments() with its defaults trains the page's whole table.
DEMO = (("LSTM", "default"), ("LSTM", "remember"))


def recall_experiments(
    seeds: int = SEEDS, runs: tuple[tuple[str, str], ...] = RUNS, **options
) -> dict[tuple[str, str], list[dict]]:
    """Train every (cell, start) in runs once per seed 0 .. seeds-1; keyed by the pair.

    One training run of this task is chaotic: a change in the last bit of one weight (a
    different CPU's rounding) can flip it between solved and not. So the page reports, per
    configuration, how many seeds solve the task and the median accuracy, not one run.
    """
    return {
        (kind, start): [
            train_first_token(kind, start, seed, **options) for seed in range(seeds)
        ]
        for kind, start in runs
    }


def summarize(runs: list[dict], solved: float = SOLVED) -> dict:
    """How many runs solve the task (held-out accuracy >= solved), and the median accuracy."""
    accuracies = [r["accuracy"] for r in runs]
    return {
        "solved": sum(a >= solved for a in accuracies),
        "median": statistics.median(accuracies),
        "seeds": len(accuracies),
    }


def gradient_experiments(
    radii: tuple[float, ...] = (0.5, 1.0, 1.5, 3.0),
    starts: tuple[str, ...] = ("default", "remember"),
) -> dict[tuple[str, object], torch.Tensor]:
    """|dL/dx_t| indexed by the distance T - t: a tanh RNN of each spectral radius, keyed
    ("RNN", radius), and an LSTM from each start, keyed ("LSTM", start)."""
    out = {}
    for radius in radii:
        torch.manual_seed(0)
        layer = rnn_with_spectral_radius(radius)
        out["RNN", radius] = input_gradient_norms(layer).flip(0)
    for start in starts:
        out["LSTM", start] = input_gradient_norms(gradient_lstm(start)).flip(0)
    return out


def gradient_lstm(start: str) -> nn.LSTM:
    """The LSTM of the gradient measurement, from one start (seeded, 8 inputs, 64 units)."""
    torch.manual_seed(0)
    return set_start_(nn.LSTM(8, 64, batch_first=True).to(device), start)


# --8<-- [end:task]


@torch.no_grad()
def forget_gates(layer: nn.LSTM, x: torch.Tensor) -> torch.Tensor:
    """The forget gate f_t of a one-layer nn.LSTM at every step of x (N, T, input): (T, N, h)."""
    w_f = layer.weight_ih_l0.chunk(4)[1], layer.weight_hh_l0.chunk(4)[1]
    b_f = layer.bias_ih_l0.chunk(4)[1] + layer.bias_hh_l0.chunk(4)[1]
    h = c = x.new_zeros(x.shape[0], layer.hidden_size)
    cell = nn.LSTMCell(layer.input_size, layer.hidden_size).to(x.device)
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        getattr(cell, name).copy_(getattr(layer, f"{name}_l0"))
    gates = []
    for t in range(x.shape[1]):
        gates.append(torch.sigmoid(x[:, t] @ w_f[0].T + h @ w_f[1].T + b_f))
        h, c = cell(x[:, t], (h, c))
    return torch.stack(gates)


def compare_with_torch(
    kind: str,
    with_state: bool,
    shape: tuple[int, int, int, int] = (5, 12, 7, 16),
    on: torch.device = device,
) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Our layer and PyTorch's, with the same weights, on one seeded batch of shape (batch,
    steps, inputs, hidden), from a zero or a given initial state, on the device ``on``:
    (ours, theirs) for the outputs, the final states, the input's gradient and every
    weight's gradient."""
    layers = {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}
    if kind not in layers:
        raise ValueError(f"kind must be one of {sorted(layers)}, got {kind!r}")
    torch.manual_seed(0)
    n, steps, inputs, hidden = shape
    theirs = layers[kind](inputs, hidden, batch_first=True).to(on)
    ours = Recurrent(kind, inputs, hidden).to(on).load_from(theirs)
    # drawn on the CPU: the same numbers on any device
    x = torch.randn(n, steps, inputs).to(on)
    h0, c0 = torch.randn(1, n, hidden).to(on), torch.randn(1, n, hidden).to(on)
    state = ((h0, c0) if kind == "LSTM" else h0) if with_state else None
    results = []
    for model in (ours, theirs):
        xi = x.clone().requires_grad_()
        out, final = model(xi, state)
        finals = final if isinstance(final, tuple) else (final,)
        (out.square().sum() + sum((f * f.detach()).sum() for f in finals)).backward()
        weights = (model.cell if model is ours else model).parameters()
        results.append([out, *finals, xi.grad, *(w.grad for w in weights)])
    return list(zip(*results, strict=True))


if __name__ == "__main__":
    # --8<-- [start:main]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny models stepping through time: one thread is fastest
    x = torch.randn(3, 5, 4).to(device)  # batch 3, 5 steps, 4 features
    for kind, layer in [("RNN", nn.RNN), ("LSTM", nn.LSTM), ("GRU", nn.GRU)]:
        theirs = layer(4, 6, batch_first=True).to(device)
        ours = Recurrent(kind, 4, 6).to(device).load_from(theirs)
        (out_a, _), (out_b, _) = ours(x), theirs(x)
        assert torch.allclose(out_a, out_b, rtol=1e-5, atol=1e-5), kind  # the page's
        print(
            f"{kind}: max |ours - torch| = {(out_a - out_b).abs().max():.1e}, "
            f"{count_parameters(ours)} parameters"
        )
    gradients = gradient_experiments()
    for (kind, setting), g in gradients.items():
        print(f"{kind} {setting}: |dL/dx_0| / |dL/dx_T-1| = {g[-1] / g[0]:.1e}")
    # seed 0 of two rows of the accuracy table; recall_experiments() trains all of it
    results = recall_experiments(seeds=1, runs=DEMO)
    for (kind, start), (run,) in results.items():
        solved = "solved" if run["accuracy"] >= SOLVED else "not solved"
        print(
            f"{kind:4} {start:10}: seed 0, held-out accuracy {run['accuracy']:6.1%} "
            f"({solved}), {run['seconds']:.1f} s"
        )
    torch.set_num_threads(threads)
    # --8<-- [end:main]
