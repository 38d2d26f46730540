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
print(bool(d_star(torch.tensor(-3.0)) > 0.9 > 0.1 > d_star(torch.tensor(4.0))))  # True
# --8<-- [end:d_star]
