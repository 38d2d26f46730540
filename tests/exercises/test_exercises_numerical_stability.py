"""Exercises on the numerical-stability page: the code answer runs alone and prints what
it states; the overflow and rounding edges are checked against the IEEE formats' own
definitions (Python's float and struct), not torch.finfo, which the facts use."""

from __future__ import annotations

import math
import re
import struct
import sys

import pytest
import torch
from activations import naive
from exercise_answers import check_script, page, sections

from docs_build.registry import get_facts

FACTS = "ex_numerical_stability"


def test_code_answers_stand_alone_and_print_what_they_state() -> None:
    check_script("exercises/numerical_stability.py")


def f32(value: float) -> float:
    """``value`` rounded to the nearest float32 (IEEE round to nearest, ties to even)."""
    return struct.unpack("f", struct.pack("f", value))[0]


def test_overflow_edges() -> None:
    facts = get_facts(FACTS)
    f32_max = (2 - 2**-23) * 2.0**127  # 8 exponent bits, 24 significant bits
    assert facts["f32_emax"] == "128" and f32_max < 2.0**128
    edge = math.log(sys.float_info.max)
    assert facts["f64_emax"] == "1024" and math.frexp(sys.float_info.max)[1] == 1024
    # "about emax log 2": the log of the largest float64 is emax log 2, less a tiny bit
    emax = int(facts["f64_emax"])
    assert facts["f64_log_edge"] == rf"{emax} \log 2"
    assert abs(emax * math.log(2) - math.log(sys.float_info.max)) < 1e-12
    finite_to, overflow = float(facts["f64_finite_to"]), float(facts["f64_overflow"])
    assert finite_to < edge < overflow and overflow - finite_to < 0.0101
    assert finite_to < emax * math.log(2) < overflow
    # in float64 e^x is finite at the first and infinite at the second (math.exp raises)
    assert math.isfinite(math.exp(finite_to))
    with pytest.raises(OverflowError):
        math.exp(overflow)
    # the float32 edges the question quotes bracket float32's log(max)
    stable = get_facts("stable")
    assert float(stable["exp_finite_to"]) < math.log(f32_max)
    assert math.log(f32_max) < float(stable["exp_overflow"])


def test_one_plus_tiny_rounds_to_one() -> None:
    """In float32, 1 + 2^-24 rounds to 1 (a tie, to even) and 1 + 2^-23 does not: the
    gap and its half are the stated ones; the edge is log(2^-24)."""
    facts = get_facts(FACTS)
    gap, half = 2.0 ** int(facts["gap_exp"]), 2.0 ** int(facts["half_exp"])
    assert half == gap / 2
    assert f32(1 + half) == 1.0 and f32(1 + gap) == 1 + gap
    assert f32(1 + half * (1 + 2**-20)) > 1.0  # just above half the gap: rounds up
    bits = -int(facts["half_exp"])
    assert facts["edge"] == rf"x \le -{bits} \log 2 \approx {math.log(half):.2f}"
    # "which includes the table's x = -20": the x the answer names is the table's
    # softplus row (the failure snippets/activations/naive.py shows) and past the edge
    text = " ".join(page("activations/numerical-stability.md").split())
    said = re.search(r"which includes the table's \$x = (-\d+)\$", text)
    assert said, "Answer 2 no longer names the table's x"
    x = int(said[1])
    assert f"| $\\log(1+e^x)$ at $x = {x}$ |" in text
    assert f"softplus_at_{x}" in naive.failures()
    assert x < math.log(half)
    assert f32(1 + math.exp(x)) == 1.0


def test_question_and_code_use_the_same_input() -> None:
    (code,) = sections("exercises/numerical_stability.py")
    assert "torch.tensor(40.0, dtype=torch.float64)" in code
    assert "Compute it at 40 in `float64`" in page("activations/numerical-stability.md")
    # sigma(40) is within the stated power of ten of 1, which is less than half the
    # spacing of float64 numbers just below 1 (that spacing is 2^-53), so it rounds to 1
    facts = get_facts(FACTS)
    tail = torch.sigmoid(torch.tensor(-40.0, dtype=torch.float64)).item()
    bound = re.fullmatch(r"10\^\{(-\d+)\}", facts["tail_bound"])
    assert bound and 0 < tail < 10.0 ** int(bound[1])
    assert tail > 10.0 ** (int(bound[1]) - 1)  # and the power is the tightest
    below_one = 1 - math.nextafter(1.0, 0.0)
    assert below_one == 2.0**-53
    assert facts["half_spacing"] == rf"2^{{-54}} \approx {2.0**-54:.1e}".replace(
        "e-17", r" \times 10^{-17}"
    )
    assert 10.0 ** int(bound[1]) < below_one / 2
    assert 1 - tail == 1.0  # so sigma(40), computed as 1 - sigma(-40), rounds to 1
