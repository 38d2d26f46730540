"""Each formula's KaTeX output, kept from one build to the next.

``mkdocs serve`` rebuilds every page after any edit, and a page's formulas rarely change:
without this, a prose edit ran KaTeX again on some 1,700 formulas and read which
characters each font draws in every output (``katex_fonts.painted_characters``), over
half of the rebuild. A ``CachedRenderer`` stands in for ``katex.Renderer`` in the hooks:
for a formula (its TeX and display mode) it has rendered before under the same ``key()``
it returns that output and its characters; else it asks a real renderer (started on the
first such formula) and keeps the result, in memory for the life of the process and on
disk (``.cache/docs_build/katex/<key>.json``) for the next one.

``key()`` covers everything that can change an output or its characters: the vendored
``katex.min.js`` and ``katex.min.css``, the code of ``docs_build/katex.py`` and
``katex_fonts.py`` (as imported), and KaTeX's options (macros included). A formula KaTeX
cannot parse is never kept, so it fails every build that shows it, naming the page and
the formula. ``DOCS_FACTS_CACHE=0`` renders everything afresh.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from docs_build import katex, katex_fonts, registry

CACHE = registry.CACHE_DIR / "katex"

# (TeX, display) -> (KaTeX's HTML, {font file: the characters it draws in that HTML})
Entry = tuple[str, dict[str, str]]
# key() -> this process's entries
_MEMORY: dict[str, dict[tuple[str, bool], Entry]] = {}
# key() -> {hash of a page as given: (the page rendered, its characters)}: the pages of
# the last build, in memory only (a notebook page is megabytes).
_PAGES: dict[str, dict[str, Entry]] = {}


# The code that makes an output and reads its characters, as this process imported it: an
# edit of either under ``mkdocs serve`` runs only after a restart, and until then the old
# code must not store its outputs under the new code's key.
CODE = tuple(Path(m.__file__).read_bytes() for m in (katex, katex_fonts))


def key() -> str:
    """Hash of the KaTeX and the code that make an output and its characters, and of the
    options they are made with."""
    digest = hashlib.sha256(b"\0".join(CODE))
    for path in (katex.KATEX_JS, katex_fonts.CSS):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(json.dumps(katex.OPTIONS, sort_keys=True).encode())
    return digest.hexdigest()[:16]


def cache_path(engine: str) -> Path:
    return CACHE / f"{engine}.json"


def _load(engine: str) -> dict[tuple[str, bool], Entry]:
    """The entries of ``engine``: this process's, else the disk's, else none."""
    if engine not in _MEMORY:
        _MEMORY.clear()  # another KaTeX or other code: the old entries are of no use
        _PAGES.clear()
        entries: dict[tuple[str, bool], Entry] = {}
        path = cache_path(engine)
        if path.is_file():
            try:
                stored = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):  # unreadable: render again, and overwrite it
                stored = []
            for tex, display, html, characters in stored:
                entries[(tex, bool(display))] = (html, characters)
        _MEMORY[engine] = entries
    return _MEMORY[engine]


class CachedRenderer:
    """What ``katex.render_page`` and the hooks use of a ``katex.Renderer``: ``render``,
    ``characters`` (every character this renderer's outputs show, by font file) and
    ``close`` (which also stores what was rendered anew)."""

    def __init__(self, use_cache: bool | None = None) -> None:
        self.use_cache = registry.use_cache() if use_cache is None else use_cache
        self.key = key()
        self._entries = _load(self.key) if self.use_cache else {}
        self._pages = _PAGES.setdefault(self.key, {}) if self.use_cache else {}
        self._pages_shown: dict[str, Entry] = {}
        self._renderer: katex.Renderer | None = None
        self.characters: dict[str, set[str]] = {}
        self.page_fonts: list[str] = []  # the font files the last page's formulas use
        self.rendered = 0  # formulas KaTeX ran on (the others came from the cache)
        self.reused = 0

    def render(self, tex: str, display: bool) -> str:
        """``tex`` rendered with the site's options; ValueError with KaTeX's message when
        KaTeX cannot render it (nothing is kept then)."""
        found = self._entries.get((tex, display))
        if found is None:
            found = self._render(tex, display)
            self._entries[(tex, display)] = found
            self.rendered += 1
        else:
            self.reused += 1
        html, characters = found
        for name, chars in characters.items():
            self.characters.setdefault(name, set()).update(chars)
        return html

    def render_page(self, page_html: str, page: str, notebook: bool = False) -> str:
        """``katex.render_page`` with this renderer; a page given exactly as in the last
        build (a notebook page, any page a prose edit left alone) is not scanned again:
        its rendered HTML and characters are reused. A page that fails is never kept."""
        digest = hashlib.sha256(f"{page}\0{notebook}\0".encode())
        digest.update(page_html.encode("utf-8", "surrogatepass"))
        name = digest.hexdigest()
        found = self._pages.get(name)
        if found is None:
            outer, self.characters = self.characters, {}
            try:
                out = katex.render_page(page_html, self, page, notebook=notebook)
                chars = {n: "".join(sorted(c)) for n, c in self.characters.items()}
            finally:
                self.characters = outer
            found = (out, chars)
        self._pages_shown[name] = found
        html, characters = found
        for font, chars in characters.items():
            self.characters.setdefault(font, set()).update(chars)
        self.page_fonts = sorted(font for font, chars in characters.items() if chars)
        return html

    def _render(self, tex: str, display: bool) -> Entry:
        if self._renderer is None:
            self._renderer = katex.Renderer(katex.KATEX_JS)
        # The renderer adds each output's characters to its own ``characters``: start
        # that afresh, to read this formula's alone.
        self._renderer.characters = {}
        html = self._renderer.render(tex, display)
        chars = {n: "".join(sorted(c)) for n, c in self._renderer.characters.items()}
        return html, chars

    def close(self) -> None:
        """Stop KaTeX (if it ran) and store the entries, when there are new ones. The
        pages kept in memory are this build's from now on."""
        if self._pages_shown:
            self._pages.clear()
            self._pages.update(self._pages_shown)
            self._pages_shown = {}
        if self._renderer is None:
            return
        self._renderer.close()
        self._renderer = None
        if self.use_cache and self.rendered:
            stored = [
                [tex, display, html, chars]
                for (tex, display), (html, chars) in sorted(self._entries.items())
            ]
            path = cache_path(self.key)
            path.parent.mkdir(parents=True, exist_ok=True)
            registry.write_atomic(path, json.dumps(stored, ensure_ascii=False))
