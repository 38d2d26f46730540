"""Without an activation, three linear layers are one linear layer: the stack collapses."""

# --8<-- [start:collapse]
import torch
from torch import nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def collapse(layers: nn.Sequential) -> nn.Linear:
    """The single nn.Linear equal to a stack of nn.Linear layers with nothing in between."""
    if not all(isinstance(m, nn.Linear) for m in layers):
        kinds = sorted(
            {type(m).__name__ for m in layers if not isinstance(m, nn.Linear)}
        )
        raise TypeError(f"only a stack of nn.Linear collapses; found {kinds}")
    first = layers[0]
    weight = torch.eye(first.in_features, device=first.weight.device)
    bias = torch.zeros(first.in_features, device=first.weight.device)
    # y = W (W_prev x + b_prev) + b  =  (W W_prev) x + (W b_prev + b)
    for layer in layers:
        weight = layer.weight @ weight
        bias = layer.weight @ bias + layer.bias
    # built on the CPU, so its (overwritten) initial draw uses the CPU generator
    merged = nn.Linear(first.in_features, layers[-1].out_features).to(
        first.weight.device
    )
    with torch.no_grad():
        merged.weight.copy_(weight)
        merged.bias.copy_(bias)
    return merged


deep_linear = nn.Sequential(nn.Linear(4, 16), nn.Linear(16, 16), nn.Linear(16, 3)).to(
    device
)
one_layer = collapse(deep_linear)
x = torch.randn(8, 4).to(device)  # drawn on the CPU: the same numbers on any machine
assert torch.allclose(deep_linear(x), one_layer(x), atol=1e-5)
# --8<-- [end:collapse]

if __name__ == "__main__":
    gap = (deep_linear(x) - one_layer(x)).abs().max().item()
    print(f"3 linear layers vs 1 merged layer: largest difference {gap:.1e}")
    print(
        f"parameters: {sum(p.numel() for p in deep_linear.parameters())} vs "
        f"{sum(p.numel() for p in one_layer.parameters())}"
    )
