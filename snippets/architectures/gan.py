"""A generative adversarial network that learns a ring of eight Gaussians in the plane."""

# --8<-- [start:imports]
import math
import time

import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
# --8<-- [end:imports]


# --8<-- [start:data]
MODES = 8
RADIUS = 2.0
STD = 0.1


def ring_centers() -> torch.Tensor:
    """The eight mode centers, evenly spaced on a circle: shape (8, 2)."""
    angles = torch.arange(MODES) * (2 * math.pi / MODES)
    return RADIUS * torch.stack([torch.cos(angles), torch.sin(angles)], dim=1)


def sample_ring(n: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """`n` points from an equal mixture of eight Gaussians (std STD) on a ring."""
    which = torch.randint(MODES, (n,), generator=generator)
    return ring_centers()[which] + STD * torch.randn(n, 2, generator=generator)


# --8<-- [end:data]


# --8<-- [start:model]
class Generator(nn.Module):
    """Maps noise z ~ N(0, I) of size `noise` to a point in the plane."""

    def __init__(self, noise: int = 8, hidden: int = 64) -> None:
        super().__init__()
        self.noise = noise
        self.net = nn.Sequential(
            nn.Linear(noise, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
            nn.Linear(hidden, 2),
        )  # fmt: skip

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if z.ndim != 2 or z.shape[1] != self.noise:
            raise ValueError(
                f"expected noise of shape (N, {self.noise}), got {tuple(z.shape)}"
            )
        return self.net(z)


class Discriminator(nn.Module):
    """Maps a point in the plane to one logit: positive means 'looks real'."""

    def __init__(self, hidden: int = 64) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(2, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, hidden), nn.LeakyReLU(0.2),
            nn.Linear(hidden, 1),
        )  # fmt: skip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 2 or x.shape[1] != 2:
            raise ValueError(f"expected points of shape (N, 2), got {tuple(x.shape)}")
        return self.net(x).squeeze(1)


# --8<-- [end:model]


# --8<-- [start:losses]
def discriminator_loss(
    real_logits: torch.Tensor, fake_logits: torch.Tensor
) -> torch.Tensor:
    """-[log D(x) + log(1 - D(G(z)))]: the discriminator's side of the minimax game."""
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def generator_loss(fake_logits: torch.Tensor) -> torch.Tensor:
    """Non-saturating generator loss -log D(G(z)) (Goodfellow et al., 2014, section 3)."""
    return F.softplus(-fake_logits).mean()


# --8<-- [end:losses]


def fit_logistic_discriminator(
    n: int = 20000, max_iter: int = 300, seed: int = 0
) -> tuple[float, float]:
    """(w, c) of D(x) = sigmoid(w x + c), trained with discriminator_loss (L-BFGS, at most
    max_iter iterations) on n samples each of N(0, 1), the data, and N(1, 1), the
    generator: the page compares it with D*."""
    if n < 1 or max_iter < 1:
        raise ValueError(f"n and max_iter must be at least 1, got {n} and {max_iter}")
    g = torch.Generator().manual_seed(seed)  # drawn on the CPU: the same on any device
    real = torch.randn(n, generator=g).to(device)
    fake = (1.0 + torch.randn(n, generator=g)).to(device)
    wc = torch.zeros(2, device=device, requires_grad=True)
    optimizer = torch.optim.LBFGS(
        [wc], lr=0.5, max_iter=max_iter, line_search_fn="strong_wolfe"
    )

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = discriminator_loss(wc[0] * real + wc[1], wc[0] * fake + wc[1])
        loss.backward()
        return loss

    optimizer.step(closure)
    return wc[0].item(), wc[1].item()


# --8<-- [start:train]
def train_gan(
    steps: int = 1200, batch: int = 128, seed: int = 0
) -> tuple[Generator, Discriminator, dict[str, list[float]]]:
    """Alternate one discriminator step and one generator step, both with Adam."""
    torch.manual_seed(seed)
    data = torch.Generator().manual_seed(seed)
    G, D = Generator().to(device), Discriminator().to(device)
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))
    history: dict[str, list[float]] = {"d_loss": [], "g_loss": []}
    for _ in range(steps):
        real = sample_ring(batch, data).to(device)
        # drawn on the CPU: the same numbers on any device
        fake = G(torch.randn(batch, G.noise).to(device))
        d_loss = discriminator_loss(
            D(real), D(fake.detach())
        )  # detach: G is fixed here
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        g_loss = generator_loss(D(fake))  # D is fixed here: only opt_g steps
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
        history["d_loss"].append(d_loss.item())
        history["g_loss"].append(g_loss.item())
    return G, D, history


# --8<-- [end:train]


# --8<-- [start:quality]
def mode_quality(
    points: torch.Tensor, within: float = 3.0, min_share: float = 0.02
) -> tuple[float, int]:
    """Share of points within `within` std of their nearest mode, and how many modes hold
    at least `min_share` of all points that way."""
    distances = torch.cdist(points, ring_centers().to(points.device))  # (N, 8)
    nearest, which = distances.min(dim=1)
    good = nearest < within * STD
    counts = torch.bincount(which[good], minlength=MODES)
    return good.float().mean().item(), int((counts >= min_share * len(points)).sum())


def energy_distance(x: torch.Tensor, y: torch.Tensor) -> float:
    """2E|X-Y| - E|X-X'| - E|Y-Y'|: zero exactly when the two distributions are equal."""
    return (
        2 * torch.cdist(x, y).mean()
        - torch.cdist(x, x).mean()
        - torch.cdist(y, y).mean()
    ).item()


@torch.no_grad()
def evaluate(G: Generator, n: int = 2000, seed: int = 1) -> dict[str, float]:
    """Quality of `n` generated points, with two real samples as the reference."""
    g = torch.Generator().manual_seed(seed)
    fake = G(torch.randn(n, G.noise, generator=g).to(device)).cpu()
    real, real_again = sample_ring(n, g), sample_ring(n, g)
    share, modes = mode_quality(fake)
    return {
        "share_near_mode": share,
        "modes_covered": modes,
        "energy_fake_real": energy_distance(fake, real),
        "energy_real_real": energy_distance(real_again, real),
    }


if __name__ == "__main__":
    train_gan(steps=1)  # warm-up: start-up costs are not training
    start = time.perf_counter()
    G, D, history = train_gan()
    print(f"trained in {time.perf_counter() - start:.1f} s")
    for name, value in evaluate(G).items():
        print(
            f"{name}: {value:.4f}" if isinstance(value, float) else f"{name}: {value}"
        )
# --8<-- [end:quality]
