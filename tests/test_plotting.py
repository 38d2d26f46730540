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
    swapped = in_palette(plotting.themed(light), dark=True)
    assert all(color in light for color in plotting.dark_colors())
    assert same_drawing(swapped, plotting.render(every_style_color, dark=True))
    assert not same_drawing(swapped, light)


def test_dark_variant_of_a_chapter_figure_equals_its_dark_drawing() -> None:
    registry.load_chapters()
    draw = registry.FIGURES["activations/overview"].draw
    light = plotting.render(draw, dark=False)
    dark = in_palette(plotting.themed(light), dark=True)
    assert same_drawing(dark, as_styles(plotting.render(draw, dark=True)))


PALETTE_STYLE = re.compile(
    r'\n <style[^>]*>:root\{([^}]*)\}#only-dark:target\{([^}]*)\}</style>\n <g id="only-dark">'
)


def in_palette(svg: str, dark: bool) -> str:
    """The served SVG as a browser draws it at ``#only-light`` or ``#only-dark``: each
    ``var(--dlg-N)`` resolved from the SVG's own style (the ``:target`` rule when the
    wrapper is the target), and the style and the wrapper taken out."""
    style = PALETTE_STYLE.search(svg)
    assert style is not None, "no palette style and wrapper at the start of the SVG"
    values = dict(d.split(":") for d in style.group(2 if dark else 1).split(";"))
    assert svg.endswith("</g>\n</svg>\n"), svg[-40:]
    svg = svg[: style.start()] + svg[style.end() : -len("</g>\n</svg>\n")] + "</svg>\n"
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


@pytest.mark.parametrize(
    ("svg", "why"),
    [
        ('<svg><rect fill="#0072b2" style="opacity: 1"/></svg>', "beside a style"),
        ('<svg><stop stop-color="#0072b2"/></svg>', "outside a style"),
        ("<svg><text>#0072B2</text></svg>", "outside a style"),
        ("<svg><style>rect{fill:#0072b2}</style></svg>", "outside a style"),
        ('<svg><g id="only-dark"/></svg>', "already has"),
    ],
)
def test_a_palette_color_it_cannot_theme_is_refused(svg: str, why: str) -> None:
    """Only style attributes are themed (matplotlib writes colors there, or as fill and
    stroke attributes, which become styles): a palette color anywhere else would stay
    light in the dark palette, so the build stops instead."""
    with pytest.raises(ValueError, match=why):
        plotting.themed(svg)


def test_swap_is_one_pass() -> None:
    """#56b4e9 is the light cycle's sixth color and the dark cycle's first: a light
    #0072b2 must end as #56b4e9, not be swapped a second time."""
    swap = plotting.dark_colors()
    assert swap["#0072b2"] == "#56b4e9" and swap["#56b4e9"] != "#56b4e9"
    served = plotting.themed('<svg><path style="stroke: #0072B2"/></svg>\n')
    assert '<path style="stroke: #56b4e9"/>' in in_palette(served, dark=True)
    # not a color of the style: left as it is
    assert "#2222223" in plotting.themed('<svg><path style="fill: #2222223"/></svg>\n')


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
