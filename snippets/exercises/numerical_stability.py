"""Answers to the exercises of the "Numerical stability" page, one section each."""

# --8<-- [start:log_one_minus_sigmoid]
import torch
import torch.nn.functional as F

x = torch.tensor(40.0, dtype=torch.float64)
print(torch.sigmoid(x).item())  # 1.0
print(torch.log(1 - torch.sigmoid(x)).item())  # -inf
print(F.logsigmoid(-x).item())  # -40.0
print(torch.allclose(F.logsigmoid(-x), -F.softplus(x)))  # True
# --8<-- [end:log_one_minus_sigmoid]
