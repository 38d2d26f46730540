"""A figure is drawn once and served as one SVG whose colors follow the palette.

Figures are drawn in the light palette (docs_build/plotting.py). These tests pin that
swapping the style's colors gives the SVG a real drawing in the dark palette would give,
for a figure that uses every color of the style and for a chapter's figure; that the served
SVG, read in either palette (its own CSS custom properties resolved as a browser resolves
them), is that palette's drawing; and that no figure computes colors of its own, which the
swap could not follow.
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


ROOT_RULE = re.compile(r":root\{([^}]*)\}")


def in_palette(svg: str, dark: bool) -> str:
    """The themed SVG as a browser reads it in one palette: its ``var(--dlg-N)`` resolved
    from its own style (the ``prefers-color-scheme: dark`` rule for the dark palette), and
    that style taken out."""
    style = re.search(r"\n <style[^>]*>(.*?)</style>", svg)
    assert style is not None, "no palette style in the SVG"
    rules = ROOT_RULE.findall(style.group(1))
    assert len(rules) == 2 and "prefers-color-scheme: dark" in style.group(1)
    values = dict(d.split(":") for d in rules[1 if dark else 0].split(";"))
    svg = svg[: style.start()] + svg[style.end() :]
    return re.sub(r"var\((--dlg-\d+)\)", lambda m: values[m.group(1)], svg)


def as_styles(svg: str) -> str:
    """A color given as a fill or stroke attribute written as the style it is the same as
    (themed moves them: an attribute cannot hold var())."""
    return re.sub(r' (fill|stroke)="(#[0-9a-fA-F]{6})"', r' style="\1: \2"', svg)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_one_svg_reads_as_each_palettes_drawing(dark: bool) -> None:
    """Every style color, and a hatch (matplotlib writes its fill as an attribute)."""

    def draw() -> plt.Figure:
        fig = every_style_color()
        fig.axes[0].bar([1], [2], hatch="//", color="C0", edgecolor="C1")
        return fig

    served = plotting.themed(plotting.render(draw, dark=False))
    drawn = as_styles(plotting.render(draw, dark=dark))
    assert same_drawing(in_palette(served, dark), drawn)
    left = {
        c.lower()
        for c in re.findall(r"#[0-9a-fA-F]{6}\b", served.split("</style>", 1)[1])
    }
    assert left.isdisjoint(plotting.dark_colors()), "a palette color was not themed"


def test_a_themed_color_beside_a_style_is_refused() -> None:
    with pytest.raises(ValueError, match="beside a style"):
        plotting.themed('<svg><rect fill="#0072b2" style="opacity: 1"/></svg>')


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
