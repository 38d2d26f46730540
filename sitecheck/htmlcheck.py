"""Checks over built HTML: third-party assets, internal links and anchors, formulas.

Kept apart from the tests so that the checkers themselves are unit-tested on bad input.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from docs_build.katex import VOID_TAGS  # elements with no end tag, one list for both

ASSET_ATTRS = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "embed": ("src",),
    "object": ("data",),
}
ASSET_LINK_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "icon",
    "preconnect",
    "dns-prefetch",
    "prefetch",
    "manifest",
    "apple-touch-icon",
    "shortcut",
}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")
CSS_IMPORT = re.compile(r"@import\s+['\"]([^'\"]+)")


# TeX delimiters left in the text a reader sees (the browser tests use the same pattern).
RAW_MATH = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$")
# Where TeX-looking text is not math: code, scripts and the like.
NOT_PROSE_TAGS = {
    "pre",
    "code",
    "kbd",
    "samp",
    "script",
    "style",
    "textarea",
    "noscript",
}


@dataclass
class Formula:
    """One ``.arithmatex`` element and the KaTeX output found inside it."""

    display: bool  # a <div class="arithmatex"> or a notebook's display span
    katex: bool = False  # holds a .katex element
    katex_display: bool = False  # KaTeX rendered it in display mode (.katex-display)
    mathml: bool = False  # KaTeX's MathML (for screen readers) is there
    hidden_html: bool = False  # KaTeX's visual HTML is hidden from screen readers
    end_marker: bool = False  # the build's end marker is a child (docs_build/katex.py)
    error: str | None = None  # a .katex-error element's message
    tex: str = ""  # the TeX, from the MathML's annotation
    raw: str = ""  # text outside KaTeX's output: raw TeX when nothing rendered it

    @property
    def problem(self) -> str | None:
        """What is wrong with this formula's output, or None."""
        if self.error is not None:
            return f"KaTeX error: {self.error}"
        if not self.katex:
            return f"no KaTeX output: {self.raw.strip()!r}"
        if self.raw.strip():
            return f"raw text beside KaTeX's output: {self.raw.strip()!r}"
        if not (self.mathml and self.tex):
            return "no MathML with the TeX annotation (screen readers read it)"
        if not self.hidden_html:
            return (
                "KaTeX's HTML is not aria-hidden (screen readers would read it twice)"
            )
        if self.katex_display != self.display:
            mode = "display" if self.katex_display else "inline"
            element = "a display" if self.display else "an inline"
            return f"rendered in {mode} mode in {element} element"
        if self.display and not self.end_marker:
            return "a display formula without its end marker (site.css never shows it)"
        return None


@dataclass
class Page:
    """What one HTML page references, and the ids it defines."""

    assets: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    formulas: list[Formula] = field(default_factory=list)
    raw_math: list[str] = field(
        default_factory=list
    )  # prose in <article> with TeX delimiters


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        # open elements: (tag, classes, attributes); ends pop back to the matching tag
        self._stack: list[tuple[str, set[str], dict[str, str]]] = []
        self._formula: Formula | None = None
        self._formula_depth = 0  # stack depth of the open .arithmatex element
        self._in_style = False

    def _inside(self, test) -> bool:
        return any(test(tag, classes, a) for tag, classes, a in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if "id" in a:
            self.page.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.page.ids.add(a["name"])
        for attr in ASSET_ATTRS.get(tag, ()):
            if a.get(attr):  # only srcset lists URLs; a data: URL in src has a comma
                for part in a[attr].split(",") if attr == "srcset" else [a[attr]]:
                    self.page.assets.append(part.strip().split(" ")[0])
        if tag == "link":
            rels = set(a.get("rel", "").lower().split())
            if rels & ASSET_LINK_RELS and a.get("href"):
                self.page.assets.append(a["href"])
            elif a.get("href"):
                self.page.links.append(a["href"])
        if tag == "a" and a.get("href"):
            self.page.links.append(a["href"])
        if "style" in a:
            self.page.assets.extend(CSS_URL.findall(a["style"]))
        if tag == "style":
            self._in_style = True
        if tag in VOID_TAGS:
            return
        classes = set(a.get("class", "").split())
        self._stack.append((tag, classes, a))
        formula = self._formula
        if formula is None and "arithmatex" in classes:
            self._formula = Formula(
                display=tag == "div" or "arithmatex--display" in classes
            )
            self._formula_depth = len(self._stack)
        elif formula is not None:
            formula.katex |= "katex" in classes
            formula.katex_display |= "katex-display" in classes
            if "katex-error" in classes:
                formula.error = a.get("title") or "(no message)"
            if tag == "math" and self._inside(lambda t, c, _: "katex-mathml" in c):
                formula.mathml = True
            if "katex-html" in classes and a.get("aria-hidden") == "true":
                formula.hidden_html = True
            if "katex-end" in classes and len(self._stack) == self._formula_depth + 1:
                formula.end_marker = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break
        if self._formula is not None and len(self._stack) < self._formula_depth:
            self.page.formulas.append(self._formula)
            self._formula = None

    def handle_data(self, data: str) -> None:
        if self._formula is not None:
            in_katex = self._inside(lambda t, c, _: bool(c & {"katex", "katex-error"}))
            if not in_katex:
                self._formula.raw += data
            elif self._inside(
                lambda t, c, a: (
                    t == "annotation" and a.get("encoding") == "application/x-tex"
                )
            ):
                self._formula.tex += data
        elif (
            RAW_MATH.search(data)
            and self._inside(lambda t, c, _: t == "article")
            and not self._inside(lambda t, c, _: t in NOT_PROSE_TAGS)
        ):
            self.page.raw_math.append(data.strip()[:80])
        if self._in_style:
            self.page.assets.extend(CSS_URL.findall(data))
            self.page.assets.extend(CSS_IMPORT.findall(data))


def parse(html: str) -> Page:
    """Parse one page."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.page


def is_external(url: str) -> bool:
    """True for a URL that names another host (http:, https:, or protocol-relative //)."""
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme in {"http", "https", "ftp"}


def formula_problems(page: Page) -> list[str]:
    """What is wrong with each formula's rendered output on the page (empty: nothing)."""
    return [
        f"{f.tex or f.raw.strip()!r}: {f.problem}" for f in page.formulas if f.problem
    ]


def third_party_assets(page: Page) -> list[str]:
    """Assets on the page that would be fetched from another host."""
    return [u for u in page.assets if is_external(u) and not u.startswith("data:")]


def resolve(site: Path, page_path: Path, href: str) -> tuple[Path | None, str]:
    """Map an internal href to (file in the site or None, fragment)."""
    parts = urlsplit(href)
    target = unquote(parts.path)
    if not target:
        return page_path, parts.fragment
    base = page_path.parent.relative_to(site).as_posix()
    rel = (
        posixpath.normpath(posixpath.join(base, target))
        if not target.startswith("/")
        else target
    )
    candidate = site / rel.lstrip("/")
    if candidate.is_dir():
        candidate = candidate / "index.html"
    if not candidate.exists():
        return None, parts.fragment
    return candidate, parts.fragment


def broken_links(
    site: Path, page_path: Path, page: Page, pages: dict[Path, Page]
) -> list[str]:
    """Internal links or #anchors on the page that lead nowhere."""
    broken = []
    for href in page.links:
        if is_external(href) or href.startswith(("mailto:", "data:", "javascript:")):
            continue
        target, fragment = resolve(site, page_path, href)
        if target is None:
            broken.append(f"{href} (no such file)")
        elif fragment and target.suffix == ".html":
            ids = (
                pages[target].ids if target in pages else parse(target.read_text()).ids
            )
            if unquote(fragment) not in ids:
                broken.append(f"{href} (no #{fragment} on {target.relative_to(site)})")
    return broken


def css_assets(css: str) -> list[str]:
    """URLs a style sheet loads (url(...) and @import)."""
    return CSS_URL.findall(css) + CSS_IMPORT.findall(css)
