"""Shallow versus deep: hand-made features or raw pixels, and two networks with the same
number of parameters learning two spirals."""

# --8<-- [start:inputs]
import itertools
import math
import time

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

SHAPES = ("bar", "cross", "ring")


def make_shapes(
    n: int, size: int = 12, noise: float = 0.3, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """n noisy images (n, 1, size, size), each a bar, a cross or a ring (a square outline)
    of random size and place; labels (n,) index SHAPES."""
    if n < 1 or size < 9:
        raise ValueError(f"need n >= 1 and size >= 9, got n={n}, size={size}")
    g = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, len(SHAPES), (n,), generator=g)
    images = torch.zeros(n, size, size)
    for image, label in zip(images, labels.tolist(), strict=True):
        half = int(torch.randint(2, 5, (1,), generator=g))  # half the shape's width
        r, c = (int(v) for v in torch.randint(half, size - half, (2,), generator=g))
        across, down = slice(c - half, c + half + 1), slice(r - half, r + half + 1)
        if SHAPES[label] == "bar":  # horizontal or vertical, at random
            if torch.rand(1, generator=g).item() < 0.5:
                image[r, across] = 1.0
            else:
                image[down, c] = 1.0
        elif SHAPES[label] == "cross":
            image[r, across] = image[down, c] = 1.0
        else:
            image[r - half, across] = image[r + half, across] = 1.0
            image[down, c - half] = image[down, c + half] = 1.0
    images = images + noise * torch.randn(n, size, size, generator=g)
    return images.unsqueeze(1).to(device), labels.to(device)


def hand_features(images: torch.Tensor, apart: int = 2) -> torch.Tensor:
    """Four numbers per image, chosen by hand: the mean brightness, the brightest line
    (row or column), the brightest line the other way, and the brightest line parallel to
    the first and at least `apart` pixels from it (a ring has two such lines, a cross one)."""
    if images.ndim != 4 or images.shape[1] != 1:
        raise ValueError(f"expected images (N, 1, H, W), got {tuple(images.shape)}")
    x = images[:, 0]
    rows, cols = x.mean(dim=2), x.mean(dim=1)
    row_peak, col_peak = rows.max(dim=1), cols.max(dim=1)
    lines = torch.where((row_peak.values >= col_peak.values)[:, None], rows, cols)
    first = torch.maximum(row_peak.values, col_peak.values)
    where = torch.where(
        row_peak.values >= col_peak.values, row_peak.indices, col_peak.indices
    )
    far = (
        torch.arange(lines.shape[1], device=x.device) - where[:, None]
    ).abs() >= apart
    return torch.stack(
        [
            x.mean(dim=(1, 2)),
            first,
            torch.minimum(row_peak.values, col_peak.values),
            lines.masked_fill(~far, -math.inf).max(dim=1).values,
        ],
        dim=1,
    )


class ShapeCNN(nn.Module):
    """Two 3x3 convolutions on the raw pixels, the strongest response anywhere per
    channel, and a linear layer: (N, 1, H, W) -> (N, 3) logits."""

    def __init__(self, channels: tuple[int, int] = (4, 8)) -> None:
        super().__init__()
        c1, c2 = channels
        self.net = nn.Sequential(
            nn.Conv2d(1, c1, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(c1, c2, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.AdaptiveMaxPool2d(1),  # where the shape is does not matter
            nn.Flatten(),
            nn.Linear(c2, len(SHAPES)),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 4 or x.shape[1] != 1:
            raise ValueError(f"expected images (N, 1, H, W), got {tuple(x.shape)}")
        return self.net(x)


def shallow_mlp(inputs: int, hidden: int = 16) -> nn.Sequential:
    """One hidden layer: (N, inputs) or (N, 1, H, W) flattened -> (N, 3) logits."""
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(inputs, hidden),
        nn.ReLU(),
        nn.Linear(hidden, len(SHAPES)),
    )


def classify_shapes(
    n_train: int = 600, n_test: int = 2000, steps: int = 200, lr: float = 0.01
) -> dict:
    """One task three ways: hand-made features + a shallow MLP, raw pixels + the same
    kind of MLP, raw pixels + a small CNN; full-batch Adam, the same steps for each."""
    x, y = make_shapes(n_train, seed=0)
    x_test, y_test = make_shapes(n_test, seed=1)
    f, f_test = hand_features(x), hand_features(x_test)
    mean, std = f.mean(dim=0), f.std(dim=0)  # the training set's, used for both sets
    pixels = x[0].numel()
    setups = {  # name: (the model, its training inputs, its test inputs)
        "features": (
            lambda: shallow_mlp(f.shape[1]),
            (f - mean) / std,
            (f_test - mean) / std,
        ),
        "pixels_mlp": (lambda: shallow_mlp(pixels), x, x_test),
        "cnn": (ShapeCNN, x, x_test),
    }
    results = {}
    for name, (make, inputs, test_inputs) in setups.items():
        torch.manual_seed(0)
        model = make().to(device)
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
        start = time.process_time()
        for _ in range(steps):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(inputs), y).backward()
            optimizer.step()
        seconds = time.process_time() - start
        with torch.no_grad():
            right = (model(inputs).argmax(1) == y).sum().item()
            test = model(test_inputs).argmax(1) == y_test
        results[name] = {
            "model": model,
            "parameters": sum(p.numel() for p in model.parameters()),
            "train_accuracy": right / n_train,
            "test_accuracy": test.sum().item() / n_test,
            "cpu_seconds": seconds,
        }
    return results


# --8<-- [end:inputs]


# --8<-- [start:data]
def make_spirals(
    n: int, turns: float = 2.0, noise: float = 0.05, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """Two interleaved spirals: points (n, 2) in about [-1, 1]^2 and labels (n,) in {0, 1}."""
    if n < 2:
        raise ValueError(f"need at least 2 points, got n={n}")
    g = torch.Generator().manual_seed(seed)
    radius = torch.rand(
        n, generator=g
    ).sqrt()  # sqrt: points spread evenly over the disc
    label = torch.randint(0, 2, (n,), generator=g)
    angle = (
        radius * turns * 2 * math.pi + label * math.pi
    )  # arm 1 is arm 0 turned by 180°
    x = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], dim=1)
    x = x + noise * torch.randn(n, 2, generator=g)
    return x.to(device), label.float().to(device)


# --8<-- [end:data]


# --8<-- [start:model]
class MLP(nn.Module):
    """A fully connected network: widths [2, ..., 1] give the layer sizes, one logit out."""

    def __init__(
        self, widths: list[int], activation: type[nn.Module] = nn.ReLU
    ) -> None:
        super().__init__()
        if len(widths) < 3 or widths[0] != 2 or widths[-1] != 1:
            raise ValueError(f"widths must look like [2, hidden..., 1], got {widths}")
        layers: list[nn.Module] = []
        for fan_in, fan_out in itertools.pairwise(widths):
            layers += [nn.Linear(fan_in, fan_out), activation()]
        self.net = nn.Sequential(*layers[:-1])  # no activation after the output layer

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 2 or x.shape[1] != 2:
            raise ValueError(f"expected points of shape (N, 2), got {tuple(x.shape)}")
        return self.net(x).squeeze(1)


def count_parameters(model: nn.Module) -> int:
    """Number of trainable numbers in the model."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def shallow_width_matching(deep_widths: list[int]) -> int:
    """Hidden width of a one-hidden-layer net with (about) as many parameters as deep_widths."""
    target = count_parameters(MLP(deep_widths))
    return round(
        (target - 1) / 4
    )  # one hidden layer of width H has 2H + H + H + 1 parameters


# --8<-- [end:model]


# --8<-- [start:train]
def train(
    model: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    steps: int = 600,
    lr: float = 0.01,
) -> list[float]:
    """Full-batch Adam on the logistic loss; returns the loss at every step."""
    model.to(device).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = nn.functional.binary_cross_entropy_with_logits(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


@torch.no_grad()
def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of points on the right side of the decision boundary (counted exactly: a
    float32 mean of 2,000 hits can land just below a rounding edge, 97.65% as 97.6%)."""
    model.eval()
    correct = ((model(x) > 0).float() == y).sum().item()
    return correct / len(y)


# --8<-- [end:train]


# --8<-- [start:compare]
DEEP_WIDTHS = [2, 32, 32, 32, 1]  # three hidden layers


def compare(
    steps: int = 600, n_train: int = 400, n_test: int = 2000, data_seed: int = 0
) -> dict:
    """Train a deep net and a shallow net of equal size on the same spirals."""
    x, y = make_spirals(n_train, seed=data_seed)
    x_test, y_test = make_spirals(n_test, seed=1)
    results = {}
    for name, widths in {
        "shallow": [2, shallow_width_matching(DEEP_WIDTHS), 1],
        "deep": DEEP_WIDTHS,
    }.items():
        torch.manual_seed(0)
        model = MLP(widths)
        start = time.perf_counter()
        losses = train(model, x, y, steps)
        results[name] = {
            "model": model,
            "widths": widths,
            "parameters": count_parameters(model),
            "losses": losses,
            "seconds": time.perf_counter() - start,
            "train_accuracy": accuracy(model, x, y),
            "test_accuracy": accuracy(model, x_test, y_test),
        }
    return results


# --8<-- [end:compare]


# --8<-- [start:activations]
def steps_to_loss(
    activation: type[nn.Module],
    target: float = 0.3,
    max_steps: int = 600,
    depth: int = 6,
    width: int = 16,
    lr: float = 0.003,
    n_train: int = 400,
) -> tuple[int | None, list[float]]:
    """Steps a deep net (depth hidden layers of width) needs to bring the loss below target."""
    x, y = make_spirals(n_train, seed=0)
    torch.manual_seed(0)
    model = MLP([2] + [width] * depth + [1], activation)
    losses = train(model, x, y, steps=max_steps, lr=lr)
    reached = next((i + 1 for i, loss in enumerate(losses) if loss < target), None)
    return reached, losses


def first_layer_gradient(
    activation: type[nn.Module],
    depth: int = 6,
    width: int = 16,
    n_train: int = 400,
    seed: int = 0,
) -> float:
    """Norm of the loss gradient for the first layer's weights, before any training step
    (the race's net and data; seed 0 is the race's initialization)."""
    x, y = make_spirals(n_train, seed=0)
    torch.manual_seed(seed)
    model = MLP([2] + [width] * depth + [1], activation).to(device)
    nn.functional.binary_cross_entropy_with_logits(model(x), y).backward()
    return model.net[0].weight.grad.norm().item()


# --8<-- [end:activations]


# --8<-- [start:data_size]
def accuracy_vs_data(
    sizes: tuple[int, ...] = (25, 50, 100, 200, 400),
    steps: int = 400,
    n_test: int = 2000,
    widths: list[int] = DEEP_WIDTHS,
    data_seed: int = 0,
) -> dict:
    """Test accuracy of one net (its layer widths) trained on more and more points."""
    x_test, y_test = make_spirals(n_test, seed=1)
    out = {}
    for n in sizes:
        x, y = make_spirals(n, seed=data_seed)
        torch.manual_seed(0)
        model = MLP(widths)
        train(model, x, y, steps)
        out[n] = accuracy(model, x_test, y_test)
    return out


# --8<-- [end:data_size]


# --8<-- [start:init]
@torch.no_grad()
def activation_scale(
    init_std: float | None, depth: int = 20, width: int = 256, n: int = 1000
) -> list[float]:
    """Std of n random inputs' activations after each ReLU layer; None means He init."""
    torch.manual_seed(0)
    # drawn on the CPU: the same numbers on any device
    h = torch.randn(n, width).to(device)
    scales = []
    for _ in range(depth):
        w = torch.empty(width, width)
        if init_std is None:
            nn.init.kaiming_normal_(w, nonlinearity="relu")  # std = sqrt(2 / fan_in)
        else:
            nn.init.normal_(w, std=init_std)
        h = torch.relu(h @ w.to(device).T)
        scales.append(h.std().item())
    return scales


# --8<-- [end:init]


# --8<-- [start:flops]
def forward_flops(model: nn.Module, batch: int) -> int:
    """Floating-point operations of one forward pass: 2 per multiply-add, plus bias adds."""
    total = 0
    for layer in model.modules():
        if isinstance(layer, nn.Linear):
            total += batch * (2 * layer.in_features * layer.out_features)
            total += batch * layer.out_features if layer.bias is not None else 0
    return total


def step_flops(widths: list[int], batch: int) -> tuple[int, int]:
    """PyTorch's count (matrix products only) of an MLP's forward pass, and of one training
    step on a batch: forward, loss and backward."""
    if batch < 1:
        raise ValueError(f"batch must be at least 1, got {batch}")
    # On the meta device: shapes only, no memory, no draw from the random generator.
    with torch.device("meta"):
        model = MLP(widths)
        x, y = torch.zeros(batch, widths[0]), torch.zeros(batch)
    with FlopCounterMode(display=False) as forward:
        logits = model(x)
    with FlopCounterMode(display=False) as backward:
        nn.functional.binary_cross_entropy_with_logits(logits, y).backward()
    flops = forward.get_total_flops()
    return flops, flops + backward.get_total_flops()


def matmul_gflops(n: int, repeats: int = 5) -> float:
    """Measured speed of an (n x n) @ (n x n) float32 product here, in GFLOP/s (best of repeats)."""
    a = torch.randn(n, n).to(device)
    b = torch.randn(n, n).to(device)
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        if device.type == "cuda":
            torch.cuda.synchronize()
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e9


# --8<-- [end:flops]


if __name__ == "__main__":
    # --8<-- [start:main]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny nets: one thread, and the page's numbers exactly
    results = compare()
    for name, r in results.items():
        print(
            f"{name:8s} widths={r['widths']} parameters={r['parameters']} "
            f"final loss={r['losses'][-1]:.3f} test accuracy={r['test_accuracy']:.1%}"
        )
    for act in (nn.Sigmoid, nn.ReLU):
        reached, losses = steps_to_loss(act)
        when = (
            f"after {reached} steps" if reached else f"not within {len(losses)} steps"
        )
        print(f"{act.__name__}: loss < 0.3 {when}, final loss {losses[-1]:.3f}")
    flops = forward_flops(results["deep"]["model"], 400)
    print(f"deep net, forward pass FLOPs for 400 points: {flops:,}")
    torch.set_num_threads(threads)
    # --8<-- [end:main]
