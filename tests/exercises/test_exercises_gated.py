"""Exercises on the gated page: the code answer runs alone and prints what it states;
GLU's partial derivatives are checked against autograd of F.glu in float64, and the
feed-forward blocks' sizes against the closed forms 2dh and 3dw."""

from __future__ import annotations

import contextlib
import io

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
    assert abs(shut.grad[0].item()) < 1e-17
    assert abs(shut.grad[1].item()) < 1e-17  # and the gate's own


def test_equal_budget_width_and_count() -> None:
    facts = get_facts(FACTS)
    d, h, w = (int(facts[k]) for k in ("d", "h", "width"))
    assert 3 * w == 2 * h and h == int(facts["ratio"]) * d
    assert facts["params"] == f"{2 * d * h:,}" == f"{3 * d * w:,}"


def test_split_code_matches_the_pages_block() -> None:
    """The answer's split, applied to the page's SwiGLUFFN (snippets/activations/
    gated.py), computes the page's forward; its own fused block is the page's; the
    first `hidden` rows are the value (the output is linear in them) and the last the
    gate; and its stated counts are 3 d hidden."""
    from activations import gated

    (code,) = sections("exercises/gated.py")
    made = "fused, split = SwiGLUFFN(8, 12), SplitSwiGLUFFN(8, 12)"
    assert code.count(made) == 1
    assert code.count("# 288") == 2 and 3 * 8 * 12 == 288
    torch.manual_seed(1)
    ours = gated.SwiGLUFFN(8, 12)
    assert ours.up.out_features == 2 * 12 and ours.up.bias is None
    namespace: dict = {"PAGE_BLOCK": ours}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(
            code.replace(made, "fused, split = PAGE_BLOCK, SplitSwiGLUFFN(8, 12)"),
            namespace,
        )
    split = namespace["split"]
    x = torch.randn(7, 8)
    with torch.no_grad():
        torch.testing.assert_close(split(x), ours(x))
        # the answer's fused block computes the page's forward from the same weights
        theirs = namespace["SwiGLUFFN"](8, 12)
        theirs.load_state_dict(ours.state_dict())
        torch.testing.assert_close(theirs(x), ours(x))
        # "the first `hidden` rows make a": the split's value is those rows, and the
        # page's output is linear in them (scaling them by 2 doubles it) but not in
        # the last rows, which the gate's SiLU acts on
        assert torch.equal(split.value.weight, ours.up.weight[:12])
        assert torch.equal(split.gate.weight, ours.up.weight[12:])
        base = ours(x)
        for rows, linear in ((slice(0, 12), True), (slice(12, 24), False)):
            scaled = gated.SwiGLUFFN(8, 12)
            scaled.load_state_dict(ours.state_dict())
            scaled.up.weight[rows] *= 2
            assert torch.allclose(scaled(x), 2 * base) is linear
    text = page("activations/gated.md")
    assert "`nn.Linear(d, 2 * hidden)`" in text
    assert "first `hidden` output rows make $a$" in text
