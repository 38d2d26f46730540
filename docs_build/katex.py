"""Math rendered at build time: pages ship KaTeX's HTML and MathML, and no KaTeX script.

The KaTeX the site vendors (``docs/assets/vendor/katex/katex.min.js``) runs inside this
Python process, in the V8 engine that the ``mini-racer`` package embeds, so the build needs
no Node.js. ``hooks.on_post_page`` hands each finished page to one ``Renderer`` per build:

- on every page, each ``.arithmatex`` element (``\\(...\\)`` inline, ``\\[...\\]``
  display, as pymdownx.arithmatex writes them in generic mode) gets KaTeX's output;
- on a notebook page, the math that nbconvert leaves in the text of Markdown cells
  (``$...$``, ``$$...$$``, ``\\(...\\)``, ``\\[...\\]``, ``\\begin{env}...\\end{env}``)
  first becomes such an element, outside code, outputs and scripts.

A formula KaTeX cannot parse raises ``MathError`` naming the page and the formula, so the
build fails; the page does not ship with a red error in place of the formula.
"""

from __future__ import annotations

import atexit
import html
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from docs_build import katex_fonts

ROOT = Path(__file__).resolve().parent.parent
KATEX_JS = ROOT / "docs" / "assets" / "vendor" / "katex" / "katex.min.js"

# What the site's old client-side set-up (katex-init.js) used, with errors that throw
# instead of rendering in red, and strict mode as the formula test used: KaTeX's default
# output, "htmlAndMathml", keeps the MathML that screen readers read.
MACROS: dict[str, str] = {}
OPTIONS = {
    "throwOnError": True,
    "strict": "error",
    "output": "htmlAndMathml",
    "macros": MACROS,
}

# Notebook pages: where math is rendered (katex-init.js rendered inside .jupyter-wrapper,
# skipping these classes and auto-render's ignored tags).
NOTEBOOK_ROOT_CLASS = "jupyter-wrapper"
NOTEBOOK_IGNORED_CLASSES = {"highlight", "jp-InputArea-editor", "jp-OutputArea-output"}
IGNORED_TAGS = {"script", "noscript", "style", "textarea", "pre", "code", "option"}
VOID_TAGS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
# The class a display formula in a notebook gets: it sits inside a <p>, so it is a <span>,
# which site.css makes a block that scrolls, as div.arithmatex does.
DISPLAY_SPAN_CLASS = "arithmatex arithmatex--display"

# An element that pymdownx.arithmatex wrote; its content is escaped TeX, no markup.
ELEMENT_OPEN = re.compile(
    r'<(span|div)\s[^>]*?\bclass="(?:[^"]*\s)?arithmatex(?:\s[^"]*)?"[^>]*>'
)


class MathError(Exception):
    """One or more formulas on a page that KaTeX cannot render."""


@dataclass
class Formula:
    tex: str
    display: bool


class Renderer:
    """The vendored KaTeX in an embedded V8. One per build; ``close`` it at the end (an
    open context keeps the interpreter from exiting)."""

    def __init__(self, source: Path = KATEX_JS) -> None:
        from py_mini_racer import MiniRacer

        self._ctx = MiniRacer()
        self._ctx.eval(source.read_text(encoding="utf-8"))
        self._ctx.eval(
            "var __render = function (tex, options) {"
            "  try {"
            "    var html = katex.renderToString(tex, JSON.parse(options));"
            "    return JSON.stringify({html: html});"
            "  } catch (e) {"
            "    return JSON.stringify({error: String((e && e.message) || e)});"
            "  }"
            "};"
        )
        self.version = self._ctx.eval("katex.version")
        # Every character the outputs so far show, by the font family that draws it:
        # what each served font must keep (docs_build/katex_fonts.py).
        self.characters: dict[str, set[str]] = {}
        atexit.register(self.close)

    def render_to_string(self, tex: str, **options) -> str:
        """KaTeX's HTML for ``tex``; raises ValueError with KaTeX's message."""
        if self._ctx is None:
            raise RuntimeError("the KaTeX renderer is closed")
        result = json.loads(self._ctx.call("__render", tex, json.dumps(options)))
        if "error" in result:
            raise ValueError(result["error"])
        for family, chars in katex_fonts.painted_characters(result["html"]).items():
            self.characters.setdefault(family, set()).update(chars)
        return result["html"]

    def render(self, tex: str, display: bool) -> str:
        """``tex`` rendered with the site's options."""
        return self.render_to_string(tex, **OPTIONS, displayMode=display)

    def close(self) -> None:
        if self._ctx is not None:
            self._ctx.close()
            self._ctx = None

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _formula(content: str) -> Formula | None:
    r"""The formula in an arithmatex element's text (``\(..\)`` or ``\[..\]``), or None."""
    text = html.unescape(content).strip()
    for left, right, display in (("\\(", "\\)", False), ("\\[", "\\]", True)):
        if text.startswith(left) and text.endswith(right) and len(text) >= 4:
            return Formula(text[2:-2].strip(), display)
    return None


# Ends each display formula's element. A display formula is centred, so a frame drawn while
# only its start had arrived (HTML in pieces, as on a slow connection) showed it narrower,
# and it moved as the rest came; site.css shows a display formula only once this follows it.
DISPLAY_END = '<span class="katex-end" hidden></span>'


def render_arithmatex(page_html: str, renderer: Renderer, page: str) -> str:
    """Every ``.arithmatex`` element of ``page_html`` with KaTeX's output inside."""
    out, errors, pos = [], [], 0
    for match in ELEMENT_OPEN.finditer(page_html):
        if match.start() < pos:
            continue
        tag = match.group(1)
        close = page_html.find(f"</{tag}>", match.end())
        content = page_html[match.end() : close] if close >= 0 else ""
        formula = _formula(content) if close >= 0 and "<" not in content else None
        if formula is None:
            errors.append(
                f"{page}: a formula element holds no single \\(...\\) or \\[...\\]: "
                f"{page_html[match.start() : match.start() + 120]!r}"
            )
            continue
        try:
            rendered = renderer.render(formula.tex, formula.display)
        except ValueError as exc:
            kind = "display" if formula.display else "inline"
            errors.append(f"{page}: {kind} formula `{formula.tex}`: {exc}")
            continue
        if formula.display:
            rendered += DISPLAY_END
        out += [page_html[pos : match.end()], rendered, f"</{tag}>"]
        pos = close + len(f"</{tag}>")
    if errors:
        raise MathError(_message(errors))
    return "".join(out) + page_html[pos:]


def _message(errors: list[str]) -> str:
    return f"{len(errors)} formula(s) KaTeX cannot render:\n" + "\n".join(errors)


# ---------------------------------------------------------------------------------------
# Notebook pages: math in the text of Markdown cells
# ---------------------------------------------------------------------------------------


class _Texts(HTMLParser):
    """Start offsets of the text runs where notebook math is rendered, and of every event
    (a text run ends where the next event starts)."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self._lines = [0] + [m.end() for m in re.finditer("\n", source)]
        self._stack: list[tuple[str, str]] = []  # (tag, "out" | "in" | "skip")
        self.starts: list[int] = []
        self.eligible: set[int] = set()

    def _here(self) -> int:
        line, col = self.getpos()
        offset = self._lines[line - 1] + col
        self.starts.append(offset)
        return offset

    def _state(self) -> str:
        return self._stack[-1][1] if self._stack else "out"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._here()
        if tag in VOID_TAGS:
            return
        classes = set((dict(attrs).get("class") or "").split())
        state = self._state()
        if state == "out" and NOTEBOOK_ROOT_CLASS in classes:
            state = "in"
        if state == "in" and (
            tag in IGNORED_TAGS or classes & NOTEBOOK_IGNORED_CLASSES
        ):
            state = "skip"
        self._stack.append((tag, state))

    def handle_startendtag(self, tag: str, attrs) -> None:
        self._here()

    def handle_endtag(self, tag: str) -> None:
        self._here()
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data: str) -> None:
        offset = self._here()
        if self._state() == "in":
            self.eligible.add(offset)

    def handle_comment(self, data: str) -> None:
        self._here()

    def handle_decl(self, decl: str) -> None:
        self._here()

    def handle_pi(self, data: str) -> None:
        self._here()

    def unknown_decl(self, data: str) -> None:
        self._here()


DELIMITERS = (  # auto-render's order: $$ before $
    ("$$", "$$", True),
    ("$", "$", False),
    ("\\(", "\\)", False),
    ("\\[", "\\]", True),
)
ENVIRONMENT = re.compile(r"\\begin\{([a-zA-Z]+\*?)\}")


def _end_of_math(text: str, start: int, right: str) -> int:
    """Where ``right`` closes the formula opened before ``start`` (-1: never), outside
    braces and escapes: KaTeX auto-render's rule."""
    depth, i = 0, start
    while i < len(text):
        if depth <= 0 and text.startswith(right, i):
            return i
        if text[i] == "\\":
            i += 1
        elif text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
        i += 1
    return -1


def split_math(text: str) -> list[str | Formula]:
    """Raw (HTML-escaped) text split into plain runs and formulas, the way KaTeX's
    auto-render split it in the browser. nbconvert has already turned a Markdown ``\\$``
    into a bare ``$``, so a dollar that opens no formula cannot be told from one that does:
    a delimiter that is never closed raises ValueError (in the browser it stayed raw)."""
    parts: list[str | Formula] = []
    plain, i = [], 0
    while i < len(text):
        found = None
        for left, right, display in DELIMITERS:
            if text.startswith(left, i):
                found = (left, right, display, i + len(left))
                break
        env = ENVIRONMENT.match(text, i) if found is None else None
        if env:
            found = ("", f"\\end{{{env.group(1)}}}", True, i)
        if found is None:
            plain.append(text[i])
            i += 1
            continue
        left, right, display, start = found
        end = _end_of_math(text, start + (len(env.group(0)) if env else 0), right)
        if end < 0:
            snippet = text[i : i + 60]
            raise ValueError(
                f"{left or env.group(0)} is never closed: {snippet!r} (a notebook's "
                "Markdown cell cannot show a lone dollar sign; math needs its closing one)"
            )
        body = text[start : end + (len(right) if env else 0)]
        if plain:
            parts.append("".join(plain))
            plain = []
        parts.append(Formula(html.unescape(body).strip(), display))
        i = end + len(right)
    if plain:
        parts.append("".join(plain))
    return parts


def _element(formula: Formula) -> str:
    tex = html.escape(formula.tex, quote=False)
    if formula.display:
        return f'<span class="{DISPLAY_SPAN_CLASS}">\\[{tex}\\]</span>'
    return f'<span class="arithmatex">\\({tex}\\)</span>'


def mark_notebook_math(page_html: str, page: str) -> str:
    """Notebook math in Markdown cells wrapped the way arithmatex wraps it, ready for
    ``render_arithmatex``."""
    finder = _Texts(page_html)
    finder.feed(page_html)
    finder.close()
    ends = dict(zip(finder.starts, [*finder.starts[1:], len(page_html)], strict=True))
    out, errors, pos = [], [], 0
    for start in sorted(finder.eligible):
        end = ends[start]
        try:
            parts = split_math(page_html[start:end])
        except ValueError as exc:
            errors.append(f"{page}: {exc}")
            continue
        if any(isinstance(p, Formula) for p in parts):
            out.append(page_html[pos:start])
            out += [p if isinstance(p, str) else _element(p) for p in parts]
            pos = end
    if errors:
        raise MathError(_message(errors))
    return "".join(out) + page_html[pos:]


def render_page(
    page_html: str, renderer: Renderer, page: str, notebook: bool = False
) -> str:
    """A finished page with every formula rendered; raises MathError naming the page and
    each formula KaTeX cannot render."""
    if notebook:
        page_html = mark_notebook_math(page_html, page)
    return render_arithmatex(page_html, renderer, page)
