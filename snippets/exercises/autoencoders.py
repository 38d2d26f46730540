"""Answers to the exercises of the "Autoencoders" page, one section each."""

# --8<-- [start:reparam]
import torch
from torch.distributions import Normal

torch.manual_seed(0)
mu = torch.zeros(3, requires_grad=True)
log_var = torch.zeros(3, requires_grad=True)
q = Normal(mu, torch.exp(0.5 * log_var))

z = q.sample()  # a draw: no path back to mu and log_var
print(z.requires_grad)  # False

z = q.rsample()  # mu + sigma * eps, eps ~ N(0, I): differentiable in mu and sigma
z.sum().backward()
print(mu.grad.tolist())  # [1.0, 1.0, 1.0]
# --8<-- [end:reparam]
