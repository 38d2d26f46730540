"""Training deep networks: initialization gain, normalization, dropout, Adam vs SGD."""

# --8<-- [start:data]
import math
import time

import torch
from torch import nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def make_spirals(
    n: int, noise: float = 0.05, flip: float = 0.0, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """Two interleaved spirals: points (n, 2) and labels (n,) in {0, 1}, a share flipped."""
    if n < 2:
        raise ValueError(f"need at least 2 points, got n={n}")
    if not 0.0 <= flip < 0.5:
        raise ValueError(f"flip must be in [0, 0.5), got {flip}")
    g = torch.Generator().manual_seed(seed)
    radius = torch.rand(n, generator=g).sqrt()  # sqrt: even spread over the disc
    label = torch.randint(0, 2, (n,), generator=g)
    angle = radius * 4 * math.pi + label * math.pi  # two turns; arm 1 is arm 0 + 180°
    x = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], dim=1)
    x = x + noise * torch.randn(n, 2, generator=g)
    flipped = (
        torch.rand(n, generator=g) < flip
    )  # label noise: these lie about their arm
    label = torch.where(flipped, 1 - label, label)
    return x.to(device), label.float().to(device)


# --8<-- [end:data]


# --8<-- [start:gain]
@torch.no_grad()
def activation_scale(
    nonlinearity: str, gain: float, depth: int = 20, width: int = 256, n: int = 1000
) -> list[float]:
    """Std of the activations after each layer, weights drawn with std gain/sqrt(width)."""
    act = {"tanh": torch.tanh, "relu": torch.relu}.get(nonlinearity)
    if act is None:
        raise ValueError(f"nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
    torch.manual_seed(0)
    h = torch.randn(n, width).to(device)  # drawn on the CPU: the same on any device
    scales = []
    for _ in range(depth):
        w = torch.empty(width, width)
        nn.init.normal_(w, std=gain / math.sqrt(width))  # fan_in = width
        h = act(h @ w.to(device).T)
        scales.append(h.std().item())
    return scales


# --8<-- [end:gain]


# --8<-- [start:model]
class MLP(nn.Module):
    """depth hidden ReLU layers of width units, each optionally normalized, one logit out."""

    def __init__(
        self, depth: int = 8, width: int = 32, norm: str = "none", p: float = 0.0
    ) -> None:
        super().__init__()
        makers = {
            "none": lambda: nn.Identity(),
            "batch": lambda: nn.BatchNorm1d(width),
            "layer": lambda: nn.LayerNorm(width),
        }
        if norm not in makers:
            raise ValueError(f"norm must be one of {sorted(makers)}, got {norm!r}")
        if depth < 1 or not 0.0 <= p < 1.0:
            raise ValueError(f"need depth >= 1 and 0 <= p < 1, got {depth=}, {p=}")
        layers: list[nn.Module] = []
        for i in range(depth):
            layers += [nn.Linear(2 if i == 0 else width, width), makers[norm]()]
            layers += [nn.ReLU(), nn.Dropout(p)]
        self.net = nn.Sequential(*layers, nn.Linear(width, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 2 or x.shape[1] != 2:
            raise ValueError(f"expected points of shape (N, 2), got {tuple(x.shape)}")
        return self.net(x).squeeze(1)


# --8<-- [end:model]


# --8<-- [start:train]
def train(
    model: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    steps: int = 300,
    optimizer: str = "adam",
    lr: float = 0.01,
) -> list[float]:
    """Full-batch training on the logistic loss; returns the loss at every step."""
    makers = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD}
    if optimizer not in makers:
        raise ValueError(f"optimizer must be 'adam' or 'sgd', got {optimizer!r}")
    model.to(device).train()  # train mode: batch statistics, dropout on
    opt = makers[optimizer](model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.functional.binary_cross_entropy_with_logits(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


@torch.no_grad()
def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of points classified right, in eval mode (running statistics, no dropout)."""
    model.eval()
    return ((model(x) > 0).float() == y).sum().item() / len(y)


# --8<-- [end:train]


# --8<-- [start:norm]
def compare_norms(
    steps: int = 200, depth: int = 8, lr: float = 0.1, n_train: int = 400
) -> dict:
    """The same deep net without and with a normalization layer, trained by plain SGD."""
    x, y = make_spirals(n_train, seed=0)
    train(MLP(depth, norm="batch"), x, y, steps=1, optimizer="sgd")  # warm-up, untimed
    out = {}
    for norm in ("none", "batch", "layer"):
        torch.manual_seed(0)
        model = MLP(depth, norm=norm)
        start = time.perf_counter()
        losses = train(model, x, y, steps, optimizer="sgd", lr=lr)
        out[norm] = {"losses": losses, "seconds": time.perf_counter() - start}
    return out


# --8<-- [end:norm]


# --8<-- [start:dropout]
def dropout_gap(
    p: float,
    seeds: tuple[int, ...] = (0, 1, 2),
    steps: int = 200,
    width: int = 64,
    n_train: int = 100,
    flip: float = 0.1,
    n_test: int = 2000,
) -> list[dict]:
    """Train and test accuracy of a net on few points with noisy labels, one run a seed."""
    x_test, y_test = make_spirals(n_test, flip=flip, seed=100)
    runs = []
    for seed in seeds:
        x, y = make_spirals(n_train, flip=flip, seed=seed)
        torch.manual_seed(seed)
        model = MLP(depth=2, width=width, p=p)
        train(model, x, y, steps)
        runs.append(
            {"train": accuracy(model, x, y), "test": accuracy(model, x_test, y_test)}
        )
    return runs


# --8<-- [end:dropout]


# --8<-- [start:optim]
def compare_optimizers(
    steps: int = 200,
    settings: tuple[tuple[str, float], ...] = (
        ("sgd", 0.1),
        ("sgd", 1.0),
        ("adam", 0.01),
    ),
    depth: int = 3,
) -> dict:
    """The same net from the same start, trained by each (optimizer, learning rate)."""
    x, y = make_spirals(400, seed=0)
    out = {}
    for name, lr in settings:
        torch.manual_seed(0)
        model = MLP(depth)
        out[f"{name} lr={lr}"] = train(model, x, y, steps, optimizer=name, lr=lr)
    return out


# --8<-- [end:optim]


if __name__ == "__main__":
    # --8<-- [start:main]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny nets: one thread gives the page's numbers exactly
    for act, gain in (("tanh", 1.0), ("tanh", 5 / 3), ("relu", 1.0), ("relu", 2**0.5)):
        last = activation_scale(act, gain)[-1]
        print(f"{act}, gain {gain:.3f}: std after 20 layers {last:.2e}")
    for norm, r in compare_norms().items():
        print(f"norm={norm}: loss after {len(r['losses'])} steps {r['losses'][-1]:.3f}")
    for p in (0.0, 0.5):
        runs = dropout_gap(p)
        print(f"dropout p={p}:", [f"{r['train']:.1%} / {r['test']:.1%}" for r in runs])
    for name, losses in compare_optimizers().items():
        print(f"{name}: loss after {len(losses)} steps {losses[-1]:.3f}")
    torch.set_num_threads(threads)
    # --8<-- [end:main]
