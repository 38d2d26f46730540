"""Undercomplete and denoising autoencoders on a curved 2-D sheet in 16-D, compared with PCA."""

# --8<-- [start:data]
import math
import time

import torch
from torch import nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def make_sheet(
    n: int, dim: int = 16, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """Points on a curved 2-D sheet embedded in `dim` dimensions, and their (u, v) coordinates.

    Each point is a fixed linear mix of seven smooth features of (u, v), so the data has two
    degrees of freedom but does not lie in any 2-D plane.
    """
    g = torch.Generator().manual_seed(seed)
    uv = torch.rand(n, 2, generator=g) * 2 - 1
    u, v = uv[:, 0], uv[:, 1]
    pi = math.pi
    features = torch.stack(
        [
            u,
            v,
            torch.sin(pi * u),
            torch.sin(pi * v),
            torch.cos(pi * u),
            torch.cos(pi * v),
            u * v,
        ],
        dim=1,
    )
    mix = torch.randn(
        7, dim, generator=torch.Generator().manual_seed(1234)
    ) / math.sqrt(7)
    return features @ mix, uv


# --8<-- [end:data]


# --8<-- [start:model]
class Autoencoder(nn.Module):
    """Encoder squeezes `dim` inputs into a `code`-sized bottleneck; decoder maps back."""

    def __init__(self, dim: int = 16, code: int = 2, hidden: int = 32) -> None:
        super().__init__()
        self.dim = dim
        self.encoder = nn.Sequential(
            nn.Linear(dim, hidden), nn.SiLU(), nn.Linear(hidden, hidden), nn.SiLU(),
            nn.Linear(hidden, code),
        )  # fmt: skip
        self.decoder = nn.Sequential(
            nn.Linear(code, hidden), nn.SiLU(), nn.Linear(hidden, hidden), nn.SiLU(),
            nn.Linear(hidden, dim),
        )  # fmt: skip

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """The code (bottleneck activation) of a batch of shape (N, dim)."""
        if x.ndim != 2 or x.shape[1] != self.dim:
            raise ValueError(
                f"expected a batch of shape (N, {self.dim}), got {tuple(x.shape)}"
            )
        if not x.is_floating_point():
            raise TypeError(f"expected a floating-point tensor, got {x.dtype}")
        return self.encoder(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.encode(x))


def reconstruction_mse(x_hat: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Mean squared reconstruction error over every entry of the batch."""
    return ((x_hat - x) ** 2).mean()


# --8<-- [end:model]


# --8<-- [start:train]
def corrupt(x: torch.Tensor, noise_std: float) -> torch.Tensor:
    """The denoising corruption: add Gaussian noise of standard deviation `noise_std`."""
    # drawn on the CPU: the same numbers on any device
    return x + noise_std * torch.randn(x.shape, dtype=x.dtype).to(x.device)


def train_autoencoder(
    x: torch.Tensor,
    noise_std: float = 0.0,
    steps: int = 300,
    batch: int = 128,
    seed: int = 0,
) -> tuple[Autoencoder, list[float]]:
    """Fit an autoencoder with Adam on random mini-batches; with noise_std > 0 it is a
    denoising autoencoder.

    The loss always compares the output with the *clean* input.
    """
    torch.manual_seed(seed)
    model = Autoencoder(dim=x.shape[1]).to(device)
    x = x.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(steps):
        xb = x[torch.randint(len(x), (batch,)).to(device)]
        x_in = corrupt(xb, noise_std) if noise_std > 0 else xb
        loss = reconstruction_mse(model(x_in), xb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses


# --8<-- [end:train]


# --8<-- [start:pca]
def pca_reconstruct(train: torch.Tensor, test: torch.Tensor, k: int) -> torch.Tensor:
    """Project `test` onto the top-k principal directions of `train` and map it back."""
    mean = train.mean(dim=0)
    _, _, vh = torch.linalg.svd(train - mean, full_matrices=False)
    basis = vh[:k]  # (k, dim): orthonormal rows
    return (test - mean) @ basis.T @ basis + mean


# --8<-- [end:pca]


# --8<-- [start:experiment]
def experiment(
    noise_std: float = 0.3, n_train: int = 2000, n_test: int = 1000
) -> tuple[dict[str, float], Autoencoder]:
    """Train both autoencoders, measure them on held-out points against PCA, and return the
    measurements with the (undercomplete) autoencoder."""
    x_train, _ = make_sheet(n_train, seed=0)
    x_test, _ = make_sheet(n_test, seed=1)
    train_autoencoder(x_train, steps=1)  # warm-up: start-up costs are not training
    start = time.perf_counter()
    ae, _ = train_autoencoder(x_train)
    seconds = time.perf_counter() - start
    dae, _ = train_autoencoder(x_train, noise_std=noise_std)
    x_test = x_test.to(device)
    torch.manual_seed(1)
    noisy = corrupt(x_test, noise_std)
    with torch.no_grad():
        results = {
            "ae_test_mse": reconstruction_mse(ae(x_test), x_test).item(),
            "pca_test_mse": reconstruction_mse(
                pca_reconstruct(x_train.to(device), x_test, k=2), x_test
            ).item(),
            "noisy_mse": reconstruction_mse(noisy, x_test).item(),
            "dae_mse": reconstruction_mse(dae(noisy), x_test).item(),
            "train_seconds": seconds,
        }
    return results, ae


if __name__ == "__main__":
    results, model = experiment()
    for name, value in results.items():
        print(f"{name}: {value:.4f}")
# --8<-- [end:experiment]
