"""KaTeX's fonts cut down, each to the characters KaTeX's HTML on the site draws in it.

KaTeX's 20 vendored WOFF2 fonts hold every glyph TeX's math fonts have; a page's formulas use
a few dozen, yet a math page downloaded ~95 KB of them. The build keeps the vendored fonts
as the source and serves, under the same names (so KaTeX's CSS is unchanged), subsets.

Which font draws a character is what katex.min.css says, read from the vendored file
itself (``FontRules``): its rules that set ``font-family``, ``font-style`` or
``font-weight`` (``.katex .mathnormal`` gives KaTeX_Math italic, ``.katex .mathbf``
KaTeX_Main bold, ``.katex .delimsizing.size2`` KaTeX_Size2...; the ``.katex`` root gives
KaTeX_Main normal 400, which everything else inherits) and its ``@font-face`` rules (which
file is which family, style and weight). For every text node of a formula's ``.katex-html``
part the build works out each of the three properties as the browser's cascade does (the
matching rule of highest specificity, then the last one, else the parent's) and keeps the
character in the file of that face; where katex.min.css has no such face (the browser then
picks the nearest), in every file of the family. Characters that CSS itself writes (the
``(1)`` of an equation number, ``content:`` in a ``:before`` rule) count for the element
the rule is on. A font no formula uses keeps one character, so that its file is still a
font a browser accepts.

A character missing from the face the cascade gives it is not looked up in another KaTeX
font: the browser falls back to a system font. tests/test_katex_fonts.py therefore checks
each character against the file that draws it, with a CSS parser and a selector engine of
its own (tinycss2, soupsieve) on the built site.

The subsets drop the fonts' TrueType hinting (about 2 KB a font, 14 KB on a math page):
Android, iOS and macOS ignore it, and the outlines are the same; only Windows at small
sizes may draw the glyphs a little softer. ``HINTING = True`` brings it back.

The subsets are cached under ``.cache/docs_build/katex-fonts``, keyed by the characters of
each font, the original fonts and fontTools' version: a build whose formulas use no new
character in any font subsets nothing.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterable
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


WEIGHTS = {"normal": "400", "bold": "700"}
Font = tuple[
    str, str, str
]  # (family, style, weight), as an @font-face rule names a file


def _weight(value: str) -> str:
    value = value.strip()
    if not value.isdigit() and value not in WEIGHTS:
        raise ValueError(f"katex.min.css: font-weight {value!r} is not understood")
    return WEIGHTS.get(value, value)


@dataclass(frozen=True)
class FontRules:
    """What katex.min.css says about fonts: which rules set a family, a style or a
    weight, which file each (family, style, weight) is, and which characters its
    ``content:`` rules write."""

    declared: tuple[
        tuple[Selector, str, str], ...
    ]  # (selector, property, value), in order
    faces: dict[Font, str]  # -> font file name
    content: tuple[tuple[Selector, str], ...]

    @classmethod
    def parse(cls, css: str) -> FontRules:
        declared, faces, content = [], {}, []
        for selectors, body in RULE.findall(css):
            declarations = {
                k.strip(): v.strip()
                for k, v in (d.split(":", 1) for d in body.split(";") if ":" in d)
            }
            font = {}
            if (
                "font" in declarations
            ):  # the shorthand: ``normal 1.21em KaTeX_Main,...``
                words = declarations["font"].split(",")[0].split()
                font = {"family": words[-1], "style": "normal", "weight": "400"}
                if set(words[:-2]) - {"normal"}:
                    raise ValueError(f"katex.min.css: font {declarations['font']!r}")
            for name in ("family", "style", "weight"):
                if f"font-{name}" in declarations:
                    font[name] = declarations[f"font-{name}"]
            if "family" in font:
                font["family"] = font["family"].split(",")[0].strip().strip('"')
            if "weight" in font:
                font["weight"] = _weight(font["weight"])
            selectors = selectors.strip()
            if selectors.endswith("@font-face"):
                url = re.search(r"url\(fonts/([^)]+\.woff2)\)", body).group(1)
                faces[(font["family"], font["style"], font["weight"])] = url
                continue
            for selector in selectors.split(","):
                if "content" in declarations:
                    text = "".join(STRING.findall(declarations["content"]))
                    if "counter(" in declarations["content"]:
                        text += "0123456789"
                    if text and PSEUDO.search(selector):
                        content.append((Selector.parse(PSEUDO.sub("", selector)), text))
                if font and not PSEUDO.search(selector):
                    parsed = Selector.parse(selector)
                    declared += [(parsed, k, v) for k, v in font.items()]
        unknown = {v for _, k, v in declared if k == "family"} - {
            f for f, _, _ in faces
        }
        if unknown:
            raise ValueError(f"katex.min.css: no @font-face for {sorted(unknown)}")
        return cls(tuple(declared), faces, tuple(content))

    @property
    def files(self) -> dict[str, tuple[str, ...]]:
        """Each family's font files."""
        files: dict[str, tuple[str, ...]] = {}
        for (family, _, _), name in sorted(self.faces.items()):
            files[family] = (*files.get(family, ()), name)
        return files

    def font(self, chain: list[tuple[str, frozenset[str]]], inherited: Font | None):
        """The (family, style, weight) of the last element of ``chain``: for each, the
        matching rule of highest specificity, the last one among equals, else the
        parent's (``inherited``)."""
        best: dict[str, tuple[tuple, str]] = {}
        for order, (selector, name, value) in enumerate(self.declared):
            if selector.matches(chain):
                rank = (selector.specificity, order)
                if name not in best or rank > best[name][0]:
                    best[name] = (rank, value)
        if not best:
            return inherited
        parent = dict(
            zip(("family", "style", "weight"), inherited or (None,) * 3, strict=True)
        )
        font = tuple(
            best[n][1] if n in best else parent[n]
            for n in ("family", "style", "weight")
        )
        return font

    def files_drawing(self, font: Font) -> tuple[str, ...]:
        """The file that draws ``font``; every file of its family where katex.min.css has
        no face of that style and weight (the browser then picks the nearest one)."""
        if font in self.faces:
            return (self.faces[font],)
        return self.files[font[0]]


@cache
def font_rules(css: Path = CSS) -> FontRules:
    return FontRules.parse(css.read_text(encoding="utf-8"))


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
VOID |= {"source", "track", "wbr"}


class _Painted(HTMLParser):
    """For one ``renderToString`` output, the characters each font file draws."""

    def __init__(self, rules: FontRules) -> None:
        super().__init__(convert_charrefs=True)
        self.rules = rules
        self.chain: list[tuple[str, frozenset[str]]] = []
        self.fonts: list[Font | None] = []  # font of each open element
        self.painted: list[bool] = []  # each open element: inside .katex-html?
        self.characters: dict[str, set[str]] = {}

    def handle_starttag(self, tag: str, attrs) -> None:
        classes = frozenset((dict(attrs).get("class") or "").split())
        self.chain.append((tag, classes))
        font = self.rules.font(self.chain, self.fonts[-1] if self.fonts else None)
        painted = bool(self.painted and self.painted[-1]) or "katex-html" in classes
        if tag in VOID:
            self.chain.pop()
            return
        self.fonts.append(font)
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
            for name in self.rules.files_drawing(self.fonts[-1]):
                self.characters.setdefault(name, set()).update(data)


def painted_characters(output: str) -> dict[str, set[str]]:
    """The characters KaTeX's fonts paint in one ``renderToString`` output, by the font
    file katex.min.css draws them in: the text of its ``.katex-html`` part (the MathML beside
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
    """Each vendored font subset to the characters it draws (``characters``: file name
    -> characters), written over its copy under ``site_dir``; returns the files
    written."""
    rules = rules or font_rules()
    target = site_dir / SITE_DIR
    target.mkdir(parents=True, exist_ok=True)
    cache.mkdir(parents=True, exist_ok=True)
    written = []
    for name in sorted(rules.faces.values()):
        chars = frozenset(characters.get(name, ()))
        font = source / name
        cached = cache / f"{font.stem}-{_key(chars, font)}.woff2"
        if not cached.is_file():
            tmp = cached.with_name(cached.name + ".tmp")
            subset_font(font, chars, tmp)
            tmp.rename(cached)
        shutil.copyfile(cached, target / name)
        written.append(target / name)
    return written


CSS_LINK = re.compile(
    r'<link rel="stylesheet" href="([^"]*)assets/vendor/katex/katex.min.css">'
)


def with_preloads(page_html: str, fonts: Iterable[str]) -> str:
    """The page with every KaTeX font its formulas paint in (``fonts``, file names)
    preloaded ahead of KaTeX's stylesheet. Otherwise the browser asks for a font only once
    it lays out the first formula that uses it, and the lines around that formula move
    when it arrives (Lighthouse measured layout shifts of 0.07 on the numerical-stability
    page, and of 0.06 on the activations overview when only KaTeX_Main and KaTeX_Math were
    preloaded: a symbol drawn in KaTeX_AMS arrived later)."""
    link = CSS_LINK.search(page_html)
    if link is None:
        return page_html
    root = link.group(1)
    preloads = "".join(
        f'<link rel="preload" href="{root}{SITE_DIR}/{name}" as="font" '
        'type="font/woff2" crossorigin>\n      '
        for name in sorted(fonts)
    )
    return page_html[: link.start()] + preloads + page_html[link.start() :]
