"""One plotting style for every figure on the site, in a light and a dark variant.

Figures are drawn twice, once per palette, and served as ``name.svg`` and
``name-dark.svg``; Material shows the one that matches the reader's palette. Lines
differ by colour *and* by line style and marker, so colour is never the only signal.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from cycler import cycler

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
LIGHT_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
DARK_COLOURS = ["#56B4E9", "#E69F00", "#50C878", "#F0A0D0", "#F0E442", "#FF8C69"]
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (3, 1, 1, 1, 1, 1))]
MARKERS = ["o", "s", "^", "D", "v", "P"]


def _rc(dark: bool) -> dict:
    fg = "#e6e6e6" if dark else "#222222"
    grid = "#555555" if dark else "#d0d0d0"
    colours = DARK_COLOURS if dark else LIGHT_COLOURS
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
        "axes.prop_cycle": cycler(color=colours) + cycler(linestyle=LINESTYLES),
        "lines.linewidth": 2.0,
        "lines.markersize": 5,
        "svg.fonttype": "none",  # text stays text: small, searchable, page font
        "svg.hashsalt": "dl-field-guide",  # deterministic ids: same code, same bytes
        "figure.dpi": 100,
    }


@contextmanager
def theme(dark: bool) -> Iterator[None]:
    """Apply the site style for one palette while a figure is drawn."""
    with plt.rc_context(_rc(dark)):
        yield


def to_svg(fig: object) -> str:
    """Serialise a matplotlib figure to deterministic SVG text and close it."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})  # type: ignore[attr-defined]
    plt.close(fig)  # type: ignore[arg-type]
    return buf.getvalue()


def render(draw, dark: bool) -> str:
    """Draw a registered figure in one palette and return its SVG text."""
    with theme(dark):
        return to_svg(draw())
