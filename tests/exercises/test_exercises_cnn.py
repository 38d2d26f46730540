"""Exercises on the cnn page: the code answer runs alone and prints what it states; the
output shape and the parameter counts are checked against closed forms."""

from __future__ import annotations

import math

from exercise_answers import check_script, page

from docs_build.registry import get_facts


def test_code_answers_stand_alone_and_print_what_they_state() -> None:
    check_script("exercises/cnn.py")


def test_output_shape_by_the_size_formula() -> None:
    facts = get_facts("ex_cnn")
    assert facts["shape_in"] == "(8, 3, 32, 32)"  # what the exercise asks about
    assert facts["conv_call"] == "nn.Conv2d(3, 16, kernel_size=5, stride=2, padding=1)"
    assert "`{{ ex_cnn.conv_call }}`" in page("architectures/cnn.md")
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
    assert dense % conv == 0  # the page says "exactly"
    assert facts["ratio"] == f"{dense // conv:,}"
    assert facts["same_call"] == "nn.Conv2d(3, 16, kernel_size=3, padding=1)"
    assert (facts["image"], facts["out_image"]) == (
        r"3 \times 32 \times 32",
        r"16 \times 32 \times 32",
    )
    text = page("architectures/cnn.md")
    for name in ("same_call", "image", "out_image", "dense_out", "ratio"):
        assert f"{{{{ ex_cnn.{name} }}}}" in text, name
    assert "exactly {{ ex_cnn.ratio }} times" in text


def test_two_threes_counts_by_hand() -> None:
    """The counts the code answer prints, from c_in c_out k^2 + c_out."""
    from exercise_answers import sections

    (code,) = sections("exercises/cnn.py")
    assert "channels = 64" in code
    assert "with 64 channels in and out" in page("architectures/cnn.md")
    five = 64 * 64 * 25 + 64
    two = 2 * (64 * 64 * 9 + 64)
    assert f"# {five} {two}" in code
    # both windows: 5 x 5 = 25 input pixels around the output pixel at (14, 14)
    assert "[0, :, 14, 14]" in code and "seen[12:17, 12:17].all()" in code
    assert f"# ({5 * 5}, True) ({5 * 5}, True)" in code
