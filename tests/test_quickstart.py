"""The home page's quick-start network learns XOR; its stated numbers are this run's."""

import pytest
import quickstart
import torch

from docs_build.registry import get_facts


@pytest.mark.claim("home-xor-learned")
def test_xor_is_learned() -> None:
    """The home page: the script reaches 100% accuracy on XOR's four points."""
    model, accuracy = quickstart.train_xor()
    assert accuracy == 1.0
    assert sum(p.numel() for p in model.parameters()) == 2 * 8 + 8 + 8 + 1


def best_linear_accuracy(targets: torch.Tensor, trials: int = 200_000) -> float:
    """The best accuracy any of ``trials`` random linear classifiers reaches on the four
    corners of the unit square."""
    corners = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    g = torch.Generator().manual_seed(0)
    w, b = torch.randn(trials, 2, generator=g), torch.randn(trials, 1, generator=g)
    predicted = (w @ corners.T + b > 0).float()  # (trials, 4)
    return (predicted == targets).float().mean(dim=1).max().item()


@pytest.mark.claim("xor-not-linear")
def test_no_linear_model_fits_xor() -> None:
    """XOR's four corners cannot all be classified by one line: a linear classifier
    gets at most 3 of 4 (the same search separates AND, so it would find one)."""
    assert best_linear_accuracy(torch.tensor([0.0, 1.0, 1.0, 0.0])) == 0.75
    assert best_linear_accuracy(torch.tensor([0.0, 0.0, 0.0, 1.0])) == 1.0
    xor = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    linear = torch.nn.Linear(2, 1)
    optimizer = torch.optim.Adam(linear.parameters(), lr=0.1)
    targets = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    for _ in range(500):
        optimizer.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(
            linear(xor), targets
        )
        loss.backward()
        optimizer.step()
    assert ((linear(xor) > 0).float() == targets).float().mean().item() <= 0.75


def test_page_facts_are_this_code() -> None:
    model, accuracy = quickstart.train_xor()
    stated = get_facts("quickstart")
    assert stated["accuracy"] == f"{accuracy:.0%}"
    assert stated["parameters"] == str(sum(p.numel() for p in model.parameters()))


def test_bad_shape_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"shape \(N, 2\), got \(4, 3\)"):
        quickstart.TinyMLP()(torch.zeros(4, 3))
