"""Architecture diagrams read layers and shapes off a real forward pass."""

import torch
from torch import nn

from docs_build import diagrams


def test_trace_records_every_child_and_its_shape() -> None:
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 8 * 8, 10)
    )
    steps = diagrams.trace(model, torch.zeros(2, 1, 8, 8))
    assert [s.label for s in steps] == [
        "Conv2d 1→4, 3×3",
        "ReLU",
        "Flatten",
        "Linear 256→10",
    ]
    assert [s.shape for s in steps] == [(2, 4, 8, 8), (2, 4, 8, 8), (2, 256), (2, 10)]
    assert sum(s.params for s in steps) == sum(p.numel() for p in model.parameters())
    fig = diagrams.draw(steps, (2, 1, 8, 8), title="demo")
    assert len(fig.axes[0].patches) == len(steps) + 1
