"""Answers to the exercises of the "Recurrent networks" page, one section each."""

# --8<-- [start:directions]
import torch
from torch import nn

torch.manual_seed(0)
gru = nn.GRU(5, 8, num_layers=2, bidirectional=True)
output, h_n = gru(torch.randn(7, 3, 5))  # 7 steps, batch of 3, 5 features
print(tuple(output.shape), tuple(h_n.shape))  # (7, 3, 16) (4, 3, 8)
# the last layer's forward direction ends at the last step, its backward one at step 0
print(torch.equal(h_n[-2], output[-1, :, :8]))  # True
print(torch.equal(h_n[-1], output[0, :, 8:]))  # True
# --8<-- [end:directions]

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


def flat_grad(module: nn.Module) -> torch.Tensor:
    """Every parameter's gradient, flattened into one vector."""
    return torch.cat([p.grad.flatten() for p in module.parameters()])


unclipped = flat_grad(rnn).clone()
# clip_grad_norm_ returns the norm before clipping, then rescales the gradients in place
before = nn.utils.clip_grad_norm_(rnn.parameters(), max_norm=1.0)
after = flat_grad(rnn)
print(f"{before.item():.2g} -> {after.norm().item():.2g}")  # 1.2e+05 -> 1
cosine = torch.nn.functional.cosine_similarity(unclipped, after, dim=0)
print(f"cosine {cosine.item():.4f}")  # cosine 1.0000
# --8<-- [end:clip]
