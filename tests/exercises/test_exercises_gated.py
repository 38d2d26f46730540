"""Exercises on the gated page: the code answer runs alone and prints what it states;
GLU's partial derivatives are checked against autograd of F.glu in float64, and the
feed-forward blocks' sizes against the closed forms 2dh and 3dw."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from exercise_answers import check_script, page, sections

from docs_build.registry import get_facts

FACTS = "ex_gated"


def test_code_answers_stand_alone_and_print_what_they_state() -> None:
    check_script("exercises/gated.py")


def test_glu_partials_match_autograd() -> None:
    """The stated partials, sigma(b) and a sigma(b) (1 - sigma(b)), are autograd's."""
    facts = get_facts(FACTS)
    sigma = r"\sigma{\left(b \right)}"
    assert facts["d_a"] == rf"\frac{{\partial f}}{{\partial a}} = {sigma}"
    assert facts["d_b"] == (
        rf"\frac{{\partial f}}{{\partial b}} = a \left(1 - {sigma}\right) {sigma}"
    )
    torch.manual_seed(0)
    a = torch.randn(50, dtype=torch.float64, requires_grad=True)
    b = (4 * torch.randn(50, dtype=torch.float64)).requires_grad_()
    F.glu(torch.cat([a, b]), dim=0).sum().backward()
    s = torch.sigmoid(b.detach())
    torch.testing.assert_close(a.grad, s, rtol=1e-12, atol=0)
    torch.testing.assert_close(b.grad, a.detach() * s * (1 - s), rtol=1e-12, atol=1e-15)
    # the shut gate: the value's gradient vanishes
    shut = torch.tensor([1.0, -40.0], dtype=torch.float64, requires_grad=True)
    F.glu(shut, dim=0).backward()
    assert shut.grad[0].item() < 1e-17


def test_equal_budget_width_and_count() -> None:
    facts = get_facts(FACTS)
    d, h, w = (int(facts[k]) for k in ("d", "h", "width"))
    assert 3 * w == 2 * h and h == int(facts["ratio"]) * d
    assert facts["params"] == f"{2 * d * h:,}" == f"{3 * d * w:,}"


def test_split_code_matches_the_pages_block() -> None:
    """The answer's fused block is the page's SwiGLUFFN (one up-layer of 2 * hidden
    outputs, split by chunk into value then gate), and its stated counts are 3 d hidden."""
    from activations import gated

    (code,) = sections("exercises/gated.py")
    assert "nn.Linear(d, 2 * hidden, bias=False)" in code
    assert "fused, split = SwiGLUFFN(8, 12), SplitSwiGLUFFN(8, 12)" in code
    assert code.count("# 288") == 2 and 3 * 8 * 12 == 288
    ours = gated.SwiGLUFFN(8, 12)
    assert ours.up.out_features == 2 * 12 and ours.up.bias is None
    assert "`nn.Linear(d, 2 * hidden)`" in page("activations/gated.md")
