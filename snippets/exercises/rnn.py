"""Answers to the exercises of the "Recurrent networks" page, one section each."""

# --8<-- [start:clip]
import torch
from torch import nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
rnn = nn.RNN(input_size=4, hidden_size=16, nonlinearity="relu").to(device)
with torch.no_grad():
    rnn.weight_hh_l0.copy_(1.1 * torch.eye(16))  # every step stretches the state
x = torch.randn(50, 1, 4).to(device)  # 50 steps, batch of 1
output, _ = rnn(x)
output[-1].sum().backward()

# clip_grad_norm_ returns the norm before clipping, then rescales the gradients in place
before = nn.utils.clip_grad_norm_(rnn.parameters(), max_norm=1.0)
after = torch.cat([p.grad.flatten() for p in rnn.parameters()]).norm()
print(f"{before.item():.2g} -> {after.item():.2g}")  # 1.2e+05 -> 1
# --8<-- [end:clip]
