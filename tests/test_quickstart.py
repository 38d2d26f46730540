"""The home page's quick-start network learns XOR; its stated numbers are this run's."""

import pytest
import quickstart
import torch

from docs_build.registry import get_facts


def test_xor_is_learned() -> None:
    model, accuracy = quickstart.train_xor()
    assert accuracy == 1.0
    assert sum(p.numel() for p in model.parameters()) == 2 * 8 + 8 + 8 + 1


def test_page_facts_are_this_code() -> None:
    model, accuracy = quickstart.train_xor()
    stated = get_facts("quickstart")
    assert stated["accuracy"] == f"{accuracy:.0%}"
    assert stated["parameters"] == str(sum(p.numel() for p in model.parameters()))


def test_bad_shape_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"shape \(N, 2\), got \(4, 3\)"):
        quickstart.TinyMLP()(torch.zeros(4, 3))
