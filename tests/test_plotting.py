"""The dark variant of a figure is its light SVG with the style's colors swapped.

Figures are drawn once (docs_build/plotting.py). These tests pin that the swap gives the
SVG a real drawing in the dark palette would give, for a figure that uses every color of
the style and for a chapter's figure, and that no figure computes colors of its own, which
the swap could not follow.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from docs_build import plotting, registry

# SVG ids are hashes of the drawing (color included); they only link within one file.
IDS = re.compile(r'(id="|xlink:href="#|url\(#)[^"\)]+')


def same_drawing(a: str, b: str) -> bool:
    return IDS.sub(r"\1", a) == IDS.sub(r"\1", b)


def every_style_color() -> plt.Figure:
    """Text, labels, ticks, grid, legend and one line per color of the cycle."""
    fig, ax = plt.subplots(figsize=(4, 3))
    for i, marker in enumerate(plotting.MARKERS):
        ax.plot([0, 1, 2], [i, i + 1, i], marker=marker, label=f"line {i}")
    ax.set(title="title", xlabel="x", ylabel="y")
    ax.text(1, 3, "note")
    ax.legend()
    return fig


def test_dark_variant_equals_a_dark_drawing() -> None:
    light = plotting.render(every_style_color, dark=False)
    swapped = plotting.to_dark(light)
    assert all(color in light for color in plotting.dark_colors())
    assert same_drawing(swapped, plotting.render(every_style_color, dark=True))
    assert not same_drawing(swapped, light)


def test_dark_variant_of_a_chapter_figure_equals_its_dark_drawing() -> None:
    registry.load_chapters()
    draw = registry.FIGURES["activations/overview"].draw
    light = plotting.render(draw, dark=False)
    assert same_drawing(plotting.to_dark(light), plotting.render(draw, dark=True))


def test_swap_is_one_pass() -> None:
    """#56b4e9 is the light cycle's sixth color and the dark cycle's first: a light
    #0072b2 must end as #56b4e9, not be swapped a second time."""
    swap = plotting.dark_colors()
    assert swap["#0072b2"] == "#56b4e9" and swap["#56b4e9"] != "#56b4e9"
    assert plotting.to_dark('<path style="stroke: #0072B2"/>') == (
        '<path style="stroke: #56b4e9"/>'
    )
    assert plotting.to_dark("#2222223") == "#2222223"  # not a color of the style


@pytest.mark.parametrize(
    "source",
    sorted(
        str(p.relative_to(registry.ROOT))
        for p in [
            *(registry.ROOT / "docs_build" / "chapters").glob("*.py"),
            registry.ROOT / "docs_build" / "diagrams.py",
        ]
    ),
)
def test_figures_take_colors_from_the_style(source: str) -> None:
    """A color computed from the style's (blended, lightened) is not one the swap knows:
    figures use rcParams, "C0".."C5" or fixed neutral colors only."""
    text = Path(registry.ROOT / source).read_text(encoding="utf-8")
    found = re.findall(
        r"matplotlib\.colors|mcolors|to_rgba?\(|to_hex\(|from_list\(", text
    )
    assert not found, f"{source} computes colors: {found}"
