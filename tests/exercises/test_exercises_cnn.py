"""Exercises on the cnn page: the code answer runs alone and prints what it states; the
output shape and the parameter counts are checked against closed forms."""

from __future__ import annotations

import math

from exercise_answers import check_script

from docs_build.registry import get_facts


def test_code_answers_stand_alone_and_print_what_they_state() -> None:
    check_script("exercises/cnn.py")


def test_output_shape_by_the_size_formula() -> None:
    facts = get_facts("ex_cnn")
    assert facts["shape_in"] == "(8, 3, 32, 32)"  # what the exercise asks about
    side = math.floor((32 + 2 * 1 - 5) / 2) + 1
    assert facts["shape_out"] == f"(8, 16, {side}, {side})"


def test_parameter_counts_by_hand() -> None:
    facts = get_facts("ex_cnn")
    conv = 3 * 16 * 3 * 3 + 16
    n_in, n_out = 3 * 32 * 32, 16 * 32 * 32
    dense = n_in * n_out + n_out
    assert facts["conv_params"] == f"{conv:,}"
    assert facts["dense_params"] == f"{dense:,}"
    assert (facts["dense_in"], facts["dense_out"]) == (f"{n_in:,}", f"{n_out:,}")
    assert facts["ratio"] == f"{dense / conv:,.0f}"


def test_two_threes_counts_by_hand() -> None:
    """The counts the code answer prints, from c_in c_out k^2 + c_out."""
    from exercise_answers import sections

    (code,) = sections("exercises/cnn.py")
    five = 64 * 64 * 25 + 64
    two = 2 * (64 * 64 * 9 + 64)
    assert f"# {five} {two}" in code
