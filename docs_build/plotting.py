"""One plotting style for every figure on the site, in a light and a dark palette.

A figure is drawn once, in the light palette, and served as one SVG for both palettes
(``themed``): each color that differs between the palettes is a CSS custom property, set
to its light value, and to its dark one when the image's address ends in ``#only-dark``
(an SVG fragment identifier: the drawing is wrapped in an element of that id, which is
then the ``:target``). The page shows the file twice, ``#only-light`` and ``#only-dark``,
and Material displays the one of the reader's palette; the browser downloads the file
once (tests check that each palette's reading of the file is what drawing in that palette
gives). Lines differ by color *and* by line style and marker, so color is never the only
signal.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager

from cycler import cycler


def _pyplot():
    """matplotlib.pyplot on the Agg backend (files only, no window), imported when a figure
    is first drawn: a build whose figures are cached only reads their size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot

    return matplotlib.pyplot


# Okabe-Ito colors: distinguishable with the common color-vision deficiencies.
LIGHT_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
DARK_COLOURS = ["#56B4E9", "#E69F00", "#50C878", "#F0A0D0", "#F0E442", "#FF8C69"]
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (3, 1, 1, 1, 1, 1))]
MARKERS = ["o", "s", "^", "D", "v", "P"]


def _rc(dark: bool) -> dict:
    fg = "#e6e6e6" if dark else "#222222"
    grid = "#555555" if dark else "#d0d0d0"
    colors = DARK_COLOURS if dark else LIGHT_COLOURS
    return {
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        "savefig.facecolor": "none",
        "text.color": fg,
        "axes.labelcolor": fg,
        "axes.edgecolor": fg,
        "xtick.color": fg,
        "ytick.color": fg,
        "grid.color": grid,
        "axes.grid": True,
        "grid.linewidth": 0.6,
        "legend.frameon": False,
        "font.size": 11,
        "axes.prop_cycle": cycler(color=colors) + cycler(linestyle=LINESTYLES),
        "lines.linewidth": 2.0,
        "lines.markersize": 5,
        "svg.fonttype": "none",  # text stays text: small, searchable, page font
        "svg.hashsalt": "dl-field-guide",  # deterministic ids: same code, same bytes
        "figure.dpi": 100,
    }


@contextmanager
def theme(dark: bool) -> Iterator[None]:
    """Apply the site style for one palette while a figure is drawn."""
    with _pyplot().rc_context(_rc(dark)):
        yield


def to_svg(fig: object) -> str:
    """Serialise a matplotlib figure to deterministic SVG text and close it."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})  # type: ignore[attr-defined]
    _pyplot().close(fig)  # type: ignore[arg-type]
    return buf.getvalue()


def render(draw, dark: bool) -> str:
    """Draw a registered figure in one palette and return its SVG text."""
    with theme(dark):
        return to_svg(draw())


def _style_colors(rc: dict) -> list[str]:
    """The style's colors in a fixed order: each rc color setting, then the line cycle."""
    settings = [v for k, v in sorted(rc.items()) if k.endswith("color") and v != "none"]
    return [c.lower() for c in settings + rc["axes.prop_cycle"].by_key()["color"]]


def dark_colors() -> dict[str, str]:
    """{light color: dark color} as matplotlib writes them in SVG (#rrggbb, lower case)."""
    pairs = set(zip(_style_colors(_rc(False)), _style_colors(_rc(True)), strict=True))
    changed = {(light, dark) for light, dark in pairs if light != dark}
    if len(changed) != len({light for light, _ in changed}):
        raise ValueError(f"a light color has two dark counterparts: {sorted(changed)}")
    return dict(changed)


# Material shows an image whose address ends in #only-light in the light palette only, and
# one ending in #only-dark in the dark one; the SVG draws itself dark at #only-dark.
LIGHT_FRAGMENT, DARK_FRAGMENT = "only-light", "only-dark"
THEMED_ATTRIBUTE = re.compile(r'\s(fill|stroke)="(#[0-9a-fA-F]{6})"')
STYLE_ATTRIBUTE = re.compile(r'(\sstyle=")([^"]*)(")')


def themed(svg: str) -> str:
    """One SVG for both palettes, from a figure drawn in the light one: each color that
    differs between them becomes ``var(--dlg-N)``, set to its light value, and to its dark
    one when the address ends in ``#only-dark`` (the SVG's ``:target``: its drawing is
    wrapped in an element of that id). The page shows ``name.svg#only-light`` in the light
    palette and ``name.svg#only-dark`` in the dark one: one file, downloaded once. Colors
    that are the same in both palettes stay as they are; a palette color anywhere but in
    a ``style`` attribute (or a fill or stroke attribute, made a style here) is refused."""
    swap = dark_colors()
    names = {light: f"--dlg-{i}" for i, light in enumerate(sorted(swap))}
    pattern = re.compile(
        r"#(?:%s)(?![0-9a-fA-F])" % "|".join(c[1:] for c in swap),  # noqa: UP031
        re.IGNORECASE,
    )

    def to_style(
        tag: re.Match,
    ) -> str:  # fill="#..." cannot hold var(): make it a style
        text = tag.group(0)
        moved = [
            f"{m.group(1)}: {m.group(2)}"
            for m in THEMED_ATTRIBUTE.finditer(text)
            if m.group(2).lower() in swap
        ]
        if not moved:
            return text
        if " style=" in text:
            raise ValueError(
                f"a palette color as an attribute beside a style: {text[:80]}"
            )
        text = THEMED_ATTRIBUTE.sub(
            lambda m: "" if m.group(2).lower() in swap else m.group(0), text
        )
        end = -2 if text.endswith("/>") else -1
        return f'{text[:end]} style="{"; ".join(moved)}"{text[end:]}'

    svg = re.sub(r"<[a-zA-Z][^>]*>", to_style, svg)
    svg = STYLE_ATTRIBUTE.sub(
        lambda m: (
            m.group(1)
            + pattern.sub(lambda c: f"var({names[c.group(0).lower()]})", m.group(2))
            + m.group(3)
        ),
        svg,
    )
    if left := pattern.search(svg):
        where = svg[max(0, left.start() - 60) : left.end()]
        raise ValueError(f"a palette color outside a style attribute: ...{where}")
    if f'id="{DARK_FRAGMENT}"' in svg:
        raise ValueError(f"the figure already has an element with id {DARK_FRAGMENT!r}")
    light = ";".join(f"{names[c]}:{c}" for c in sorted(swap))
    dark = ";".join(f"{names[c]}:{swap[c]}" for c in sorted(swap))
    style = (
        f'<style type="text/css">:root{{{light}}}'
        f"#{DARK_FRAGMENT}:target{{{dark}}}</style>"
    )
    opening = re.search(r"<svg\b[^>]*>", svg)
    closing = svg.rfind("</svg>")
    if opening is None or closing < opening.end():
        raise ValueError("no <svg> element")
    # Everything in the wrapper, definitions (hatch patterns, markers) included: a
    # pattern's content inherits the colors from where it is defined.
    return (
        f'{svg[: opening.end()]}\n {style}\n <g id="{DARK_FRAGMENT}">'
        f"{svg[opening.end() : closing]}</g>\n{svg[closing:]}"
    )


SVG_SIZE = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)pt"[^>]*?\sheight="([\d.]+)pt"')


def size_px(svg: str) -> tuple[int, int]:
    """The CSS pixel size matplotlib gave a figure (it writes points: 1 pt = 4/3 px), for
    the ``width`` and ``height`` that keep its box from jumping as it loads."""
    match = SVG_SIZE.search(svg)
    if match is None:
        raise ValueError("no width and height in points on the <svg> element")
    return tuple(round(float(v) * 4 / 3) for v in match.groups())  # type: ignore[return-value]
