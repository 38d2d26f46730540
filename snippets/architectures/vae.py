"""A variational autoencoder with a 2-D latent space, trained on small images of blobs."""

# --8<-- [start:data]
import time

import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def blob_probabilities(centers: torch.Tensor, size: int = 12) -> torch.Tensor:
    """Flattened size×size gray-level images of a Gaussian blob at each (x, y) center."""
    if centers.ndim != 2 or centers.shape[1] != 2:
        raise ValueError(
            f"expected centers of shape (N, 2), got {tuple(centers.shape)}"
        )
    grid = torch.arange(size, dtype=torch.float32)
    dx = grid[None, None, :] - centers[:, 0, None, None]  # (n, 1, size): columns
    dy = grid[None, :, None] - centers[:, 1, None, None]  # (n, size, 1): rows
    images = torch.exp(-(dx**2 + dy**2) / (2 * 1.3**2))  # values in (0, 1]
    return images.reshape(len(centers), size * size)


def make_blobs(
    n: int, size: int = 12, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """`n` flattened binary size×size images of a blob, and each blob's (x, y) center.

    Each pixel is on with probability equal to the blob's gray level there: a Bernoulli
    likelihood is a distribution over 0/1 pixels, so the data must be 0/1 for it to be one.
    """
    g = torch.Generator().manual_seed(seed)
    centers = 2 + torch.rand(n, 2, generator=g) * (
        size - 5
    )  # keep the blob in the frame
    return torch.bernoulli(blob_probabilities(centers, size), generator=g), centers


# --8<-- [end:data]


# --8<-- [start:model]
class VAE(nn.Module):
    """Encoder outputs q(z|x) = N(mu, diag(sigma^2)); decoder outputs Bernoulli logits."""

    def __init__(self, dim: int = 144, latent: int = 2, hidden: int = 128) -> None:
        super().__init__()
        self.dim = dim
        self.encoder = nn.Sequential(nn.Linear(dim, hidden), nn.SiLU())
        self.to_mu = nn.Linear(hidden, latent)
        self.to_logvar = nn.Linear(hidden, latent)
        self.decoder = nn.Sequential(
            nn.Linear(latent, hidden), nn.SiLU(), nn.Linear(hidden, hidden), nn.SiLU(),
            nn.Linear(hidden, dim),
        )  # fmt: skip

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Mean and log-variance of q(z|x) for a batch of shape (N, dim)."""
        if x.ndim != 2 or x.shape[1] != self.dim:
            raise ValueError(
                f"expected a batch of shape (N, {self.dim}), got {tuple(x.shape)}"
            )
        h = self.encoder(x)
        return self.to_mu(h), self.to_logvar(h)

    def forward(
        self, x: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Decoder logits for one reparameterized sample z, with mu and logvar."""
        mu, logvar = self.encode(x)
        z = reparameterize(mu, logvar)
        return self.decoder(z), mu, logvar


def reparameterize(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """z = mu + sigma * eps with eps ~ N(0, I): the noise is an input, so gradients reach mu."""
    # drawn on the CPU: the same numbers on any device
    eps = torch.randn(mu.shape, dtype=mu.dtype).to(mu.device)
    return mu + torch.exp(0.5 * logvar) * eps


def kl_to_standard_normal(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, sigma^2) || N(0, 1)) in closed form, per latent dimension."""
    return 0.5 * (mu**2 + torch.exp(logvar) - 1 - logvar)


def negative_elbo(
    logits: torch.Tensor, x: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor
) -> torch.Tensor:
    """-ELBO per image in nats: reconstruction cross-entropy plus KL, averaged over the batch."""
    reconstruction = F.binary_cross_entropy_with_logits(
        logits, x, reduction="none"
    ).sum(dim=1)
    return (reconstruction + kl_to_standard_normal(mu, logvar).sum(dim=1)).mean()


# --8<-- [end:model]


# --8<-- [start:train]
def train_vae(
    x: torch.Tensor, steps: int = 400, batch: int = 256, seed: int = 0
) -> tuple[VAE, list[float]]:
    """Maximize the ELBO (minimize its negative) with Adam on random mini-batches."""
    torch.manual_seed(seed)
    model = VAE(dim=x.shape[1]).to(device)
    x = x.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=4e-3)
    losses = []
    for _ in range(steps):
        xb = x[torch.randint(len(x), (batch,)).to(device)]
        logits, mu, logvar = model(xb)
        loss = negative_elbo(logits, xb, mu, logvar)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses


@torch.no_grad()
def sample(model: VAE, n: int, seed: int = 0) -> torch.Tensor:
    """Decode `n` draws from the prior N(0, I) into images (pixel probabilities)."""
    g = torch.Generator().manual_seed(seed)
    z = torch.randn(n, model.to_mu.out_features, generator=g).to(device)
    return torch.sigmoid(model.decoder(z))


# --8<-- [end:train]


# --8<-- [start:experiment]
@torch.no_grad()
def held_out_elbo(
    model: VAE, x: torch.Tensor, draws: int = 100, seed: int = 1
) -> float:
    """Negative ELBO per held-out image (nats): the KL in closed form, the reconstruction
    term averaged over `draws` reparameterized samples of z per image (one sample is noisy)."""
    if draws < 1:
        raise ValueError(f"expected at least one draw, got {draws}")
    torch.manual_seed(seed)
    x = x.to(device)
    mu, logvar = model.encode(x)
    total = 0.0
    for _ in range(draws):
        logits = model.decoder(reparameterize(mu, logvar))
        total += negative_elbo(logits, x, mu, logvar).item()
    return total / draws


def vae_experiment(
    n_train: int = 3000, n_test: int = 1000
) -> tuple[dict[str, float], VAE]:
    """Train the VAE; return its held-out -ELBO before and after training, and the model."""
    x_train, _ = make_blobs(n_train, seed=0)
    x_test, _ = make_blobs(n_test, seed=1)
    train_vae(x_train, steps=1)  # warm-up: start-up costs are not training
    start = time.perf_counter()
    model, _ = train_vae(x_train)
    seconds = time.perf_counter() - start
    untrained, _ = train_vae(x_train, steps=0)
    results = {
        "test_neg_elbo_untrained": held_out_elbo(untrained, x_test),
        "test_neg_elbo": held_out_elbo(model, x_test),
        "train_seconds": seconds,
    }
    return results, model


if __name__ == "__main__":
    results, model = vae_experiment()
    for name, value in results.items():
        print(f"{name}: {value:.3f}")
# --8<-- [end:experiment]
