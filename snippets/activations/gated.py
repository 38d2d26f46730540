"""Gated linear units (GLU, ReGLU, GEGLU, SwiGLU) and a gated feed-forward block compared
with a plain one at the same parameter count."""

# --8<-- [start:glu]
import math

import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def halves(z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Split the last dimension in two: the value half a and the gate's input b."""
    if not isinstance(z, torch.Tensor) or not z.is_floating_point():
        raise TypeError(
            f"expected a floating-point tensor, got {getattr(z, 'dtype', z)}"
        )
    if z.ndim == 0 or z.shape[-1] % 2:
        raise ValueError(
            f"the last dimension must be even (two halves), got shape {tuple(z.shape)}"
        )
    a, b = z.chunk(2, dim=-1)
    return a, b


def glu(z: torch.Tensor) -> torch.Tensor:
    """GLU: a * sigmoid(b), as F.glu(z, dim=-1)."""
    a, b = halves(z)
    return a * torch.sigmoid(b)


def reglu(z: torch.Tensor) -> torch.Tensor:
    """ReGLU: a * relu(b)."""
    a, b = halves(z)
    return a * F.relu(b)


def geglu(z: torch.Tensor) -> torch.Tensor:
    """GEGLU: a * gelu(b), with the exact (erf) GELU."""
    a, b = halves(z)
    return a * F.gelu(b)


def swiglu(z: torch.Tensor) -> torch.Tensor:
    """SwiGLU: a * silu(b), Swish with beta = 1."""
    a, b = halves(z)
    return a * F.silu(b)


# --8<-- [end:glu]


# --8<-- [start:ffn]
class PlainFFN(nn.Module):
    """The transformer feed-forward block: d -> hidden -> d with one activation."""

    def __init__(self, d: int, hidden: int, activation: nn.Module) -> None:
        super().__init__()
        self.up = nn.Linear(d, hidden, bias=False)
        self.act = activation
        self.down = nn.Linear(hidden, d, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """down(act(up(x)))."""
        return self.down(self.act(self.up(x)))


class SwiGLUFFN(nn.Module):
    """The gated block: d -> 2 * hidden (value and gate) -> SwiGLU -> hidden -> d."""

    def __init__(self, d: int, hidden: int) -> None:
        super().__init__()
        self.up = nn.Linear(
            d, 2 * hidden, bias=False
        )  # W (value) and V (gate) together
        self.down = nn.Linear(hidden, d, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """down(swiglu(up(x)))."""
        return self.down(swiglu(self.up(x)))


def n_params(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def make_models(d: int, hidden: int, seed: int = 0) -> dict[str, nn.Module]:
    """ReLU and GELU blocks of width ``hidden``, and a SwiGLU block of width 2/3 of it."""
    if hidden % 3:
        raise ValueError(
            f"hidden must be divisible by 3 to match parameters, got {hidden}"
        )
    blocks = {
        "ReLU": lambda: PlainFFN(d, hidden, nn.ReLU()),
        "GELU": lambda: PlainFFN(d, hidden, nn.GELU()),
        "SwiGLU": lambda: SwiGLUFFN(d, 2 * hidden // 3),
    }
    models = {}
    for name, build in blocks.items():
        torch.manual_seed(seed)  # each block's initial weights from the same seed
        models[name] = build()
    return models


# --8<-- [end:ffn]


# --8<-- [start:train]
def make_data(
    n: int, d: int, seed: int
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """A regression task: y = sin(x A) C + noise, with a train and a test split."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(2 * n, d, generator=g)
    a = torch.randn(d, 4 * d, generator=g) / math.sqrt(d)
    c = torch.randn(4 * d, d, generator=g) / math.sqrt(4 * d)
    y = torch.sin(x @ a) @ c + 0.05 * torch.randn(2 * n, d, generator=g)
    x, y = x.to(device), y.to(device)
    return x[:n], y[:n], x[n:], y[n:]


def train(
    model: nn.Module,
    data: tuple[torch.Tensor, ...],
    steps: int = 900,
    lr: float = 1e-2,
    every: int = 50,
) -> dict[str, list[float]]:
    """Full-batch Adam on mean squared error; the train and test loss every few steps."""
    x, y, x_test, y_test = data
    model.to(device)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    curve: dict[str, list[float]] = {"step": [], "train": [], "test": []}
    for step in range(steps + 1):
        if step % every == 0 or step == steps:
            with torch.no_grad():
                curve["step"].append(step)
                curve["train"].append(F.mse_loss(model(x), y).item())
                curve["test"].append(F.mse_loss(model(x_test), y_test).item())
        if step < steps:
            opt.zero_grad()
            F.mse_loss(model(x), y).backward()
            opt.step()
    return curve


def compare(
    seeds: int = 3, n: int = 512, d: int = 8, hidden: int = 48
) -> dict[str, dict[str, list]]:
    """Train each block on the same data for each seed: parameter counts and loss curves
    (one list per seed under "train" and "test", at the steps under "step")."""
    out: dict[str, dict[str, list]] = {}
    for seed in range(seeds):
        data = make_data(n, d, seed)
        for name, model in make_models(d, hidden, seed).items():
            curve = train(model, data)
            row = out.setdefault(
                name, {"params": [], "step": curve["step"], "train": [], "test": []}
            )
            row["params"].append(n_params(model))
            row["train"].append(curve["train"])
            row["test"].append(curve["test"])
    return out


def loss_table(results: dict[str, dict[str, list]], step: int) -> str:
    """A Markdown table of each seed's train and test loss after ``step`` steps."""
    names = list(results)
    i = results[names[0]]["step"].index(step)
    lines = [
        "| Seed | " + " | ".join(f"{n} train | {n} test" for n in names) + " |",
        "|---:|" + "---:|---:|" * len(names),
    ]
    for seed in range(len(results[names[0]]["train"])):
        cells = [
            f"{results[n]['train'][seed][i]:.3f} | {results[n]['test'][seed][i]:.3f}"
            for n in names
        ]
        lines.append(f"| {seed} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# --8<-- [end:train]

if __name__ == "__main__":
    # --8<-- [start:run]
    # tiny models: one thread is fastest, and gives our numbers
    torch.set_num_threads(1)
    results = compare()
    for step in (100, results["SwiGLU"]["step"][-1]):
        print(f"After {step} steps:")
        print(loss_table(results, step))
    # --8<-- [end:run]
