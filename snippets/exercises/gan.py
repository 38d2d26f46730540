"""Answers to the exercises of the "Generative adversarial networks" page, one section each."""

# --8<-- [start:d_star]
import torch
from torch.distributions import Normal

data, fake = Normal(0.0, 1.0), Normal(1.0, 1.0)  # p_data and p_g


def d_star(x: torch.Tensor) -> torch.Tensor:
    """The best discriminator p_data / (p_data + p_g), from log densities."""
    return torch.sigmoid(data.log_prob(x) - fake.log_prob(x))


x = torch.linspace(-3, 4, 701, dtype=torch.float64)
crossing = x[(d_star(x) - 0.5).abs().argmin()]
print(f"{crossing.item():.2f}")  # 0.50
print(d_star(torch.tensor(-3.0)).item() > 0.9)  # True
print(d_star(torch.tensor(4.0)).item() < 0.1)  # True
# --8<-- [end:d_star]
