"""The KaTeX fonts the site serves are subsets (docs_build/katex_fonts.py): no character a
formula shows may be missing from them.

For every built page, every character inside a ``.katex-html`` element (what KaTeX's fonts
paint) must be in every served font whose vendored original has it: whichever font KaTeX's
CSS assigns to the character, its glyph is there. The characters are read from the built
HTML with a parser of this test's own, so a formula a fact produces, a notebook's formula
or a page added later is covered as soon as it is built.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from docs_build import katex_fonts

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
VOID |= {"source", "track", "wbr", "path", "line", "rect", "circle", "use"}


class PaintedText(HTMLParser):
    """The characters inside elements whose class list has ``katex-html``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # for each open element: inside .katex-html?
        self.characters: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        inside = bool(self.stack and self.stack[-1]) or "katex-html" in classes
        self.stack.append(inside)

    def handle_startendtag(self, tag: str, attrs) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1]:
            self.characters |= set(data)


def painted(html: str) -> set[str]:
    parser = PaintedText()
    parser.feed(html)
    parser.close()
    return parser.characters


def cmap(path: Path) -> set[int]:
    return set(TTFont(path).getBestCmap() or {})


def test_parser_reads_only_the_painted_part() -> None:
    html = (
        '<p>prose é</p><span class="katex"><span class="katex-mathml"><math>'
        "<semantics><mi>q</mi><annotation>\\zeta</annotation></semantics></math></span>"
        '<span class="katex-html" aria-hidden="true"><span class="base">'
        '<span class="mord mathnormal">x</span><br><span>&#x2211;</span></span>'
        "</span></span><p>after ü</p>"
    )
    assert painted(html) == {"x", "\u2211"}


def test_subset_keeps_exactly_the_characters_asked_for(tmp_path: Path) -> None:
    """A character a new formula brings (here ℵ, in Main-Regular) is kept; one that no
    formula uses (ℶ, in AMS) is dropped."""
    written = katex_fonts.write_subsets({"ℵ", "x"}, tmp_path, cache=tmp_path / "c")
    served = {p.name: cmap(p) for p in written}
    assert ord("ℵ") in cmap(katex_fonts.SOURCE / "KaTeX_Main-Regular.woff2")
    assert ord("ℵ") in served["KaTeX_Main-Regular.woff2"]
    assert ord("ℶ") in cmap(katex_fonts.SOURCE / "KaTeX_AMS-Regular.woff2")
    assert ord("ℶ") not in served["KaTeX_AMS-Regular.woff2"]


@pytest.fixture(scope="module")
def site_characters(site: Path) -> set[str]:
    chars: set[str] = set()
    for page in site.rglob("*.html"):
        chars |= painted(page.read_text(encoding="utf-8"))
    return chars


def test_site_shows_formulas(site_characters: set[str]) -> None:
    assert {"x", "σ", "∑"} <= site_characters  # the check below sees the formulas


def test_no_glyph_missing_from_the_served_fonts(
    site: Path, site_characters: set[str]
) -> None:
    served_dir = site / katex_fonts.SITE_DIR
    missing = []
    for original in katex_fonts.originals():
        had, kept = cmap(original), cmap(served_dir / original.name)
        missing += [
            f"{original.name}: {c!r} (U+{ord(c):04X})"
            for c in sorted(site_characters)
            if ord(c) in had and ord(c) not in kept
        ]
    assert not missing, "\n".join(missing)


def test_served_fonts_are_subsets(site: Path) -> None:
    """The site serves the cut-down fonts, not copies of the vendored originals."""
    served_dir = site / katex_fonts.SITE_DIR
    main = "KaTeX_Main-Regular.woff2"
    assert cmap(served_dir / main) < cmap(katex_fonts.SOURCE / main)
    # A font with an empty character map is one a browser's font sanitiser may refuse.
    assert all(cmap(served_dir / f.name) for f in katex_fonts.originals())
