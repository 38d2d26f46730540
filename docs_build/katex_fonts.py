"""KaTeX's fonts cut down to the characters the site's formulas use.

KaTeX's 20 vendored WOFF2 fonts hold every glyph TeX's math fonts have; a page's formulas use
a few dozen, yet a math page downloaded ~95 KB of them. The build keeps the vendored fonts
as the source and serves, under the same names (so KaTeX's CSS is unchanged), subsets that
keep, in every font, every character that KaTeX's HTML on the site shows
(``Renderer.characters``) plus the digits and parentheses that KaTeX's CSS itself writes
(an equation number, ``(1)``). A character is thus kept in every font that
has it, whichever font KaTeX's CSS then picks for it. tests/test_katex_fonts.py checks this
on the built site: no character inside a ``.katex-html`` element is missing from a served
font whose original has it.

The subsets drop the fonts' TrueType hinting (about 2 KB a font, 14 KB on a math page):
Android, iOS and macOS ignore it, and the outlines are the same; only Windows at small
sizes may draw the glyphs a little softer. ``HINTING = True`` brings it back.

The subsets are cached under ``.cache/docs_build/katex-fonts``, keyed by the characters,
the original fonts and fontTools' version: a build whose formulas use no new character
subsets nothing.
"""

from __future__ import annotations

import hashlib
import html
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "docs" / "assets" / "vendor" / "katex" / "fonts"
SITE_DIR = "assets/vendor/katex/fonts"  # under the site root: where katex.min.css looks
CACHE = ROOT / ".cache" / "docs_build" / "katex-fonts"
HINTING = False
EXTRA = frozenset(
    "0123456789()"
)  # katex.min.css: .eqn-num:before{content:"(" counter ")"}


TAG = re.compile(r"<[^>]*>")
HTML_PART = 'class="katex-html"'


def painted_characters(output: str) -> set[str]:
    """The characters KaTeX's fonts paint in one ``renderToString`` output: the text of its
    ``.katex-html`` part (the MathML beside it is clipped to 1 px, for screen readers; its
    TeX annotation is never shown). None in an error message (``throwOnError: false``),
    which is shown outside ``.katex``, in the page's font."""
    start = output.find(HTML_PART)
    if start < 0:
        return set()
    return set(html.unescape(TAG.sub("", output[output.index(">", start) + 1 :])))


def originals(source: Path = SOURCE) -> list[Path]:
    return sorted(source.glob("*.woff2"))


def _key(characters: frozenset[str], fonts: list[Path]) -> str:
    import fontTools

    digest = hashlib.sha256(f"{fontTools.version} hinting={HINTING}".encode())
    digest.update("".join(sorted(characters)).encode("utf-8", "surrogatepass"))
    for font in fonts:
        digest.update(font.name.encode() + b"\0" + font.read_bytes())
    return digest.hexdigest()[:20]


def subset_font(source: Path, characters: frozenset[str], target: Path) -> None:
    """``source`` with only the glyphs of ``characters`` (and what they need: ligatures,
    composites), written as WOFF2 to ``target``."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = HINTING
    options.layout_features = ["*"]  # keep every OpenType feature of the kept glyphs
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in characters))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def write_subsets(
    characters: set[str], site_dir: Path, source: Path = SOURCE, cache: Path = CACHE
) -> list[Path]:
    """Each vendored font subset to ``characters`` (and ``EXTRA``), written over its
    copy under ``site_dir``; returns the files written."""
    chars = frozenset(characters) | EXTRA
    fonts = originals(source)
    cached = cache / _key(chars, fonts)
    if not cached.is_dir():
        tmp = cached.with_name(cached.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for font in fonts:
            subset_font(font, chars, tmp / font.name)
        tmp.rename(cached)
    target = site_dir / SITE_DIR
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for font in fonts:
        shutil.copyfile(cached / font.name, target / font.name)
        written.append(target / font.name)
    return written


# The fonts nearly every formula uses, by a class that shows the page uses them: KaTeX_Main
# (digits, operators, relations: the .katex root's font) and KaTeX_Math (italic variables).
PRELOADS = {
    "KaTeX_Main-Regular.woff2": 'class="katex"',
    "KaTeX_Math-Italic.woff2": "mathnormal",
}
CSS_LINK = re.compile(
    r'<link rel="stylesheet" href="([^"]*)assets/vendor/katex/katex.min.css">'
)


def with_preloads(page_html: str) -> str:
    """The page with its main KaTeX fonts preloaded ahead of KaTeX's stylesheet. Otherwise
    the browser asks for them only once it lays out the first formula, and the lines
    around that formula move when they arrive (Lighthouse measured a layout shift of
    0.07 on the numerical-stability page)."""
    link = CSS_LINK.search(page_html)
    if link is None:
        return page_html
    root = link.group(1)
    preloads = "".join(
        f'<link rel="preload" href="{root}{SITE_DIR}/{name}" as="font" '
        'type="font/woff2" crossorigin>\n      '
        for name, marker in PRELOADS.items()
        if marker in page_html
    )
    return page_html[: link.start()] + preloads + page_html[link.start() :]
