"""Answers to the exercises of "The ReLU family" page, one section each."""

# --8<-- [start:leaky]
import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(1000, 1)  # standard-normal inputs
layer = nn.Linear(1, 1)
with torch.no_grad():
    layer.weight.fill_(1.0)
    layer.bias.fill_(-10.0)  # every pre-activation is negative: the unit is dead

layer.zero_grad()
nn.ReLU()(layer(x)).sum().backward()
print(f"ReLU: {layer.bias.grad.item():.2f}")  # ReLU: 0.00

layer.zero_grad()
nn.LeakyReLU(negative_slope=0.01)(layer(x)).sum().backward()
print(f"LeakyReLU: {layer.bias.grad.item():.2f}")  # LeakyReLU: 10.00
# --8<-- [end:leaky]
