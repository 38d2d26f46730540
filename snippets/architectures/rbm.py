"""A restricted Boltzmann machine trained with CD-1 on 4×4 bars-and-stripes patterns."""

# --8<-- [start:imports]
import itertools
import math
import time

import torch
from torch import nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
# --8<-- [end:imports]


# --8<-- [start:data]
def bars_and_stripes(size: int = 4) -> torch.Tensor:
    """Every distinct size×size image whose rows are all equal or whose columns are all equal."""
    patterns = set()
    for bits in itertools.product((0.0, 1.0), repeat=size):
        row = torch.tensor(bits)
        patterns.add(
            tuple(row.repeat(size).tolist())
        )  # vertical bars: every row the same
        patterns.add(tuple(row.repeat_interleave(size).tolist()))  # horizontal stripes
    return torch.tensor(sorted(patterns))  # (2 * 2**size - 2, size * size)


# --8<-- [end:data]


# --8<-- [start:model]
class RBM(nn.Module):
    """Binary visible units v, binary hidden units h, energy E(v, h) = -a·v - b·h - vᵀWh."""

    def __init__(self, visible: int = 16, hidden: int = 8) -> None:
        super().__init__()
        self.W = nn.Parameter(0.1 * torch.randn(visible, hidden))
        self.a = nn.Parameter(torch.zeros(visible))  # visible biases
        self.b = nn.Parameter(torch.zeros(hidden))  # hidden biases

    def _check(self, v: torch.Tensor) -> None:
        if v.ndim != 2 or v.shape[1] != self.W.shape[0]:
            raise ValueError(
                f"expected v of shape (N, {self.W.shape[0]}), got {tuple(v.shape)}"
            )

    def energy(self, v: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        """E(v, h) for each row of a batch."""
        self._check(v)
        return -(v @ self.a) - (h @ self.b) - ((v @ self.W) * h).sum(dim=1)

    def p_h_given_v(self, v: torch.Tensor) -> torch.Tensor:
        """p(h_j = 1 | v) = sigmoid(b_j + (vᵀW)_j): the hidden units are independent given v."""
        self._check(v)
        return torch.sigmoid(self.b + v @ self.W)

    def p_v_given_h(self, h: torch.Tensor) -> torch.Tensor:
        """p(v_i = 1 | h) = sigmoid(a_i + (W h)_i)."""
        return torch.sigmoid(self.a + h @ self.W.T)

    def free_energy(self, v: torch.Tensor) -> torch.Tensor:
        """F(v) = -log sum_h exp(-E(v, h)), summed over h in closed form."""
        self._check(v)
        return -(v @ self.a) - nn.functional.softplus(self.b + v @ self.W).sum(dim=1)


# --8<-- [end:model]


# --8<-- [start:cd]
@torch.no_grad()
def cd1_step(rbm: RBM, v0: torch.Tensor, lr: float) -> float:
    """One contrastive-divergence (CD-1) update; returns the batch's reconstruction error."""
    ph0 = rbm.p_h_given_v(v0)
    # sampled on the CPU: the same numbers on any device
    h0 = torch.bernoulli(ph0.cpu()).to(ph0.device)
    pv1 = rbm.p_v_given_h(h0)  # one Gibbs step down ...
    v1 = torch.bernoulli(pv1.cpu()).to(pv1.device)
    ph1 = rbm.p_h_given_v(v1)  # ... and up again
    n = len(v0)
    rbm.W += lr * (v0.T @ ph0 - v1.T @ ph1) / n  # <v h>_data - <v h>_reconstruction
    rbm.a += lr * (v0 - v1).mean(dim=0)
    rbm.b += lr * (ph0 - ph1).mean(dim=0)
    return ((v0 - pv1) ** 2).mean().item()


# --8<-- [end:cd]


# --8<-- [start:likelihood]
@torch.no_grad()
def log_likelihood(rbm: RBM, v: torch.Tensor) -> float:
    """Exact mean log p(v) in nats: log Z is summed over all 2**visible visible states."""
    n_visible = rbm.W.shape[0]
    if n_visible > 20:
        raise ValueError(
            f"exact log Z enumerates 2**{n_visible} states; use at most 20 units"
        )
    # Every visible state, as the binary digits of 0, 1, ..., 2**n_visible - 1.
    codes = torch.arange(2**n_visible, device=v.device)
    bits = torch.arange(n_visible - 1, -1, -1, device=v.device)
    states = ((codes[:, None] >> bits) & 1).to(v.dtype)  # (2**n_visible, n_visible)
    log_z = torch.logsumexp(-rbm.free_energy(states), dim=0)
    return (-rbm.free_energy(v) - log_z).mean().item()


# --8<-- [end:likelihood]


# --8<-- [start:train]
def train_rbm(
    epochs: int = 600, hidden: int = 16, lr: float = 0.5, every: int = 50, seed: int = 0
) -> tuple[RBM, dict[str, list[float]]]:
    """Train on all bars-and-stripes patterns with CD-1, logging the exact log-likelihood."""
    torch.manual_seed(seed)
    data = bars_and_stripes().to(device)
    rbm = RBM(visible=data.shape[1], hidden=hidden).to(device)
    history: dict[str, list[float]] = {
        "epoch": [],
        "recon_error": [],
        "log_likelihood": [],
    }
    for epoch in range(epochs + 1):
        error = cd1_step(rbm, data, lr) if epoch else cd1_step(rbm, data, 0.0)
        if epoch % every == 0:
            history["epoch"].append(epoch)
            history["recon_error"].append(error)
            history["log_likelihood"].append(log_likelihood(rbm, data))
    return rbm, history


if __name__ == "__main__":
    train_rbm(epochs=1)  # warm-up: start-up costs are not training
    start = time.perf_counter()
    rbm, history = train_rbm()
    print(f"trained in {time.perf_counter() - start:.1f} s")
    print(
        f"uniform model: {-math.log(2) * rbm.W.shape[0]:.2f} nats, "
        f"best possible: {-math.log(len(bars_and_stripes())):.2f}"
    )
    for row in zip(*history.values(), strict=True):
        print(
            "epoch {:5d}  reconstruction error {:.3f}  log-likelihood {:.2f}".format(
                *row
            )
        )
# --8<-- [end:train]
