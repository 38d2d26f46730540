"""KaTeX's fonts cut down, each to the characters KaTeX's HTML on the site draws in it.

KaTeX's 20 vendored WOFF2 fonts hold every glyph TeX's math fonts have; a page's formulas use
a few dozen, yet a math page downloaded ~95 KB of them. The build keeps the vendored fonts
as the source and serves, under the same names (so KaTeX's CSS is unchanged), subsets.

Which font draws a character is what katex.min.css says, read from the vendored file
itself (``FontRules``): its rules that set ``font-family`` (``.katex .mathnormal`` gives
KaTeX_Math, ``.katex .delimsizing.size2`` KaTeX_Size2...; the ``.katex`` root gives
KaTeX_Main, which everything else inherits) and its ``@font-face`` rules (which files make
up a family). For every text node of a formula's ``.katex-html`` part the build takes the
family its nearest ancestor with a matching rule gives it (the rule of highest
specificity, then the last one), as the browser's cascade does, and keeps the character in
every file of that family (its bold and italic faces too: their characters are few, and a
face is downloaded only if a page uses it). Characters that CSS itself writes (the
``(1)`` of an equation number, ``content:`` in a ``:before`` rule) count for the element
the rule is on. A family no formula uses keeps one character, so that its file is still a
font a browser accepts.

A character missing from the family the cascade gives it is not looked up in another KaTeX
font: the browser falls back to a system font. tests/test_katex_fonts.py therefore checks
each character against the family that draws it, with a CSS parser and a selector engine of
its own (tinycss2, soupsieve) on the built site.

The subsets drop the fonts' TrueType hinting (about 2 KB a font, 14 KB on a math page):
Android, iOS and macOS ignore it, and the outlines are the same; only Windows at small
sizes may draw the glyphs a little softer. ``HINTING = True`` brings it back.

The subsets are cached under ``.cache/docs_build/katex-fonts``, keyed by the characters of
each family, the original fonts and fontTools' version: a build whose formulas use no new
character in any font subsets nothing.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "docs" / "assets" / "vendor" / "katex" / "fonts"
CSS = SOURCE.parent / "katex.min.css"
SITE_DIR = "assets/vendor/katex/fonts"  # under the site root: where katex.min.css looks
CACHE = ROOT / ".cache" / "docs_build" / "katex-fonts"
HINTING = False

RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
COMPOUND = re.compile(r"^([a-z][a-z0-9-]*)?((?:\.[A-Za-z_][\w-]*)*)$")
PSEUDO = re.compile(r"::?(?:before|after)$")
STRING = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class Selector:
    """A selector of compounds (tag, classes) joined by " " or ">", as katex.min.css writes
    those that set a font; ``steps[-1]`` is the element the rule applies to."""

    steps: tuple[
        tuple[str, str | None, frozenset[str]], ...
    ]  # (combinator, tag, classes)

    @classmethod
    def parse(cls, text: str) -> Selector:
        tokens = text.replace(">", " > ").split()
        steps, combinator = [], " "
        for token in tokens:
            if token == ">":
                combinator = ">"
                continue
            match = COMPOUND.match(token)
            if match is None:
                raise ValueError(f"katex.min.css: selector {text!r} is not understood")
            classes = frozenset(c for c in match.group(2).split(".") if c)
            steps.append((combinator, match.group(1), classes))
            combinator = " "
        return cls(tuple(steps))

    @property
    def specificity(self) -> tuple[int, int]:
        return (
            sum(len(c) for _, _, c in self.steps),
            sum(bool(t) for _, t, _ in self.steps),
        )

    def matches(self, chain: list[tuple[str, frozenset[str]]]) -> bool:
        """Whether the last element of ``chain`` (root first: (tag, classes)) matches."""
        return self._match(len(self.steps) - 1, chain, len(chain) - 1)

    def _match(self, step: int, chain, at: int) -> bool:
        _, tag, classes = self.steps[step]
        element_tag, element_classes = chain[at]
        if (tag and tag != element_tag) or not classes <= element_classes:
            return False
        if step == 0:
            return True
        if self.steps[step][0] == ">":
            return at > 0 and self._match(step - 1, chain, at - 1)
        return any(self._match(step - 1, chain, up) for up in range(at - 1, -1, -1))


@dataclass(frozen=True)
class FontRules:
    """What katex.min.css says about fonts: which rules set a family, which files each
    family has, and which characters its ``content:`` rules write."""

    families: tuple[tuple[Selector, str], ...]  # in the file's order
    files: dict[str, tuple[str, ...]]  # family -> font file names
    content: tuple[tuple[Selector, str], ...]

    @classmethod
    def parse(cls, css: str) -> FontRules:
        families, files, content = [], {}, []
        for selectors, body in RULE.findall(css):
            declarations = dict(
                d.split(":", 1) for d in body.split(";") if ":" in d.strip()
            )
            family = declarations.get("font-family") or declarations.get("font")
            selectors = selectors.strip()
            if selectors.endswith("@font-face"):
                name = family.strip().strip('"')
                url = re.search(r"url\(fonts/([^)]+\.woff2)\)", body).group(1)
                files.setdefault(name, ())
                files[name] += (url,)
                continue
            for selector in selectors.split(","):
                if "content" in declarations:
                    text = "".join(STRING.findall(declarations["content"]))
                    if "counter(" in declarations["content"]:
                        text += "0123456789"
                    if text and PSEUDO.search(selector):
                        content.append((Selector.parse(PSEUDO.sub("", selector)), text))
                if family is not None and not PSEUDO.search(selector):
                    first = family.split(",")[0].split()[-1].strip('"')
                    families.append((Selector.parse(selector), first))
        unknown = {f for _, f in families} - set(files)
        if unknown:
            raise ValueError(f"katex.min.css: no @font-face for {sorted(unknown)}")
        return cls(tuple(families), files, tuple(content))

    def family(self, chain: list[tuple[str, frozenset[str]]], inherited: str | None):
        """The family of the last element of ``chain``: the matching rule of highest
        specificity, the last one among equals, else the parent's (``inherited``)."""
        best = None
        for order, (selector, family) in enumerate(self.families):
            if selector.matches(chain):
                rank = (selector.specificity, order)
                if best is None or rank > best[0]:
                    best = (rank, family)
        return best[1] if best else inherited


@cache
def font_rules(css: Path = CSS) -> FontRules:
    return FontRules.parse(css.read_text(encoding="utf-8"))


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
VOID |= {"source", "track", "wbr"}


class _Painted(HTMLParser):
    """For one ``renderToString`` output, the characters each family draws."""

    def __init__(self, rules: FontRules) -> None:
        super().__init__(convert_charrefs=True)
        self.rules = rules
        self.chain: list[tuple[str, frozenset[str]]] = []
        self.fonts: list[str | None] = []  # family of each open element
        self.painted: list[bool] = []  # each open element: inside .katex-html?
        self.characters: dict[str, set[str]] = {}

    def handle_starttag(self, tag: str, attrs) -> None:
        classes = frozenset((dict(attrs).get("class") or "").split())
        self.chain.append((tag, classes))
        family = self.rules.family(self.chain, self.fonts[-1] if self.fonts else None)
        painted = bool(self.painted and self.painted[-1]) or "katex-html" in classes
        if tag in VOID:
            self.chain.pop()
            return
        self.fonts.append(family)
        self.painted.append(painted)
        if painted:
            for selector, text in self.rules.content:
                if selector.matches(self.chain):
                    self.handle_data(text)

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.chain:
            self.chain.pop()
            self.fonts.pop()
            self.painted.pop()

    def handle_data(self, data: str) -> None:
        if self.painted and self.painted[-1] and self.fonts[-1] and data:
            self.characters.setdefault(self.fonts[-1], set()).update(data)


def painted_characters(output: str) -> dict[str, set[str]]:
    """The characters KaTeX's fonts paint in one ``renderToString`` output, by the family
    katex.min.css draws them in: the text of its ``.katex-html`` part (the MathML beside
    it is clipped to 1 px, for screen readers; its TeX annotation is never shown). None in
    an error message (``throwOnError: false``), which is shown outside ``.katex``, in the
    page's font."""
    parser = _Painted(font_rules())
    parser.feed(output)
    parser.close()
    return parser.characters


def originals(source: Path = SOURCE) -> list[Path]:
    return sorted(source.glob("*.woff2"))


def _key(characters: frozenset[str], font: Path) -> str:
    import fontTools

    digest = hashlib.sha256(f"{fontTools.version} hinting={HINTING}".encode())
    digest.update("".join(sorted(characters)).encode("utf-8", "surrogatepass"))
    digest.update(font.name.encode() + b"\0" + font.read_bytes())
    return digest.hexdigest()[:20]


def _cmap(font: Path) -> set[int]:
    from fontTools.ttLib import TTFont

    return set(TTFont(font).getBestCmap() or {})


def subset_font(source: Path, characters: frozenset[str], target: Path) -> None:
    """``source`` with only the glyphs of ``characters`` (and what they need: ligatures,
    composites), written as WOFF2 to ``target``. With none of ``characters`` in the font,
    it keeps its first character: a font with an empty character map is one a browser's
    font sanitiser may refuse."""
    from fontTools import subset

    unicodes = {ord(c) for c in characters}
    has = _cmap(source)
    if not unicodes & has:
        unicodes = {min(has)}
    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = HINTING
    options.layout_features = ["*"]  # keep every OpenType feature of the kept glyphs
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(unicodes))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def write_subsets(
    characters: dict[str, set[str]],
    site_dir: Path,
    source: Path = SOURCE,
    cache: Path = CACHE,
    rules: FontRules | None = None,
) -> list[Path]:
    """Each vendored font subset to the characters its family draws (``characters``:
    family -> characters), written over its copy under ``site_dir``; returns the files
    written."""
    rules = rules or font_rules()
    target = site_dir / SITE_DIR
    target.mkdir(parents=True, exist_ok=True)
    cache.mkdir(parents=True, exist_ok=True)
    written = []
    for family, names in sorted(rules.files.items()):
        chars = frozenset(characters.get(family, ()))
        for name in names:
            font = source / name
            cached = cache / f"{font.stem}-{_key(chars, font)}.woff2"
            if not cached.is_file():
                tmp = cached.with_name(cached.name + ".tmp")
                subset_font(font, chars, tmp)
                tmp.rename(cached)
            shutil.copyfile(cached, target / name)
            written.append(target / name)
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
