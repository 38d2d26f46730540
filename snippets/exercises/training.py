"""Answers to the exercises of the "Training deep networks" page, one section each."""

# --8<-- [start:dropout_mean]
import torch
from torch import nn

torch.manual_seed(0)
drop = nn.Dropout(p=0.5)  # a new module is in training mode
y = drop(torch.ones(100_000))
print(sorted(y.unique().tolist()))  # [0.0, 2.0]
print(f"{y.mean().item():.2f}")  # 1.00
drop.eval()
print(torch.equal(drop(torch.ones(5)), torch.ones(5)))  # True
# --8<-- [end:dropout_mean]
