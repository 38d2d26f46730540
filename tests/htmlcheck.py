"""Checks over built HTML: third-party assets, internal links and anchors, math fragments.

Kept apart from the tests so that the checkers themselves are unit-tested on bad input.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

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


@dataclass
class Page:
    """What one HTML page references, and the ids it defines."""

    assets: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    math: list[tuple[str, bool]] = field(default_factory=list)  # (tex, display)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._math_depth = 0
        self._math_tag: str | None = None
        self._math_display = False
        self._math_text: list[str] = []
        self._in_style = False

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
        classes = a.get("class", "").split()
        if self._math_tag is None and "arithmatex" in classes:
            self._math_tag, self._math_depth, self._math_text = tag, 0, []
            self._math_display = tag == "div"
        if self._math_tag == tag:
            self._math_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False
        if self._math_tag == tag:
            self._math_depth -= 1
            if self._math_depth == 0:
                self.page.math.append(("".join(self._math_text), self._math_display))
                self._math_tag = None

    def handle_data(self, data: str) -> None:
        if self._math_tag is not None:
            self._math_text.append(data)
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


def strip_math_delimiters(tex: str) -> str:
    r"""Remove arithmatex's \( \) or \[ \] around one formula."""
    tex = tex.strip()
    for left, right in (("\\(", "\\)"), ("\\[", "\\]"), ("$$", "$$")):
        if tex.startswith(left) and tex.endswith(right):
            return tex[len(left) : -len(right)].strip()
    return tex


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
