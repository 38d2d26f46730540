"""Notebook pages share one cached stylesheet instead of ~580 KB of inlined CSS each.

nbconvert's lab template puts JupyterLab's whole stylesheet (and Pygments') into every
notebook page as ``<style>`` blocks. The build takes them out of each page
(``extract``), links one file instead, and writes that file once (``stylesheet``): the
blocks of all notebook pages, each once, keeping only the rules whose class names occur
on some notebook page, and only the custom properties (``--jp-*``) that a kept rule or a
page uses, directly or through another (JupyterLab declares 560 and these pages use 62:
a fifth of the gzipped file). tests/test_notebook_css.py checks in Chromium that every
element of every notebook page is styled exactly as with the inlined original.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import tinycss2

HREF = "assets/notebook.css"  # under the site root
STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)
CLASS_ATTR = re.compile(r'\bclass="([^"]*)"')
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
CLASS_NAME = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
PAREN = re.compile(r"\([^()]*\)")
VAR = re.compile(r"var\(\s*(--[\w-]+)")  # a use of a custom property
# At-rules whose block holds rules to prune; any other (@font-face, @keyframes, @page)
# is kept whole.
NESTED = ("@media", "@supports", "@layer", "@container", "@document")


@dataclass
class Collected:
    """What the notebook pages of one build had inlined."""

    blocks: list[str] = field(
        default_factory=list
    )  # each distinct block, in order seen
    classes: set[str] = field(default_factory=set)  # every class used on those pages
    # custom properties the pages' own markup uses (in a style attribute)
    variables: set[str] = field(default_factory=set)

    def reset(self) -> None:
        self.blocks.clear()
        self.classes.clear()
        self.variables.clear()

    def extract(self, html: str, href: str) -> str:
        """``html`` (a notebook page's content) without its style blocks, which are kept
        here, and with a link to the shared stylesheet at ``href`` in their place."""
        blocks = STYLE.findall(html)
        if not blocks:
            return html
        for block in blocks:
            if block not in self.blocks:
                self.blocks.append(block)
        self.classes |= classes_used(html)
        first = True

        def replace(_: re.Match) -> str:
            nonlocal first
            link, first = (
                (f'<link rel="stylesheet" href="{href}">' if first else ""),
                False,
            )
            return link

        html = STYLE.sub(replace, html)
        self.variables |= set(VAR.findall(html))
        return html

    def stylesheet(self) -> str:
        """One stylesheet: every distinct block, pruned to the classes used, then to the
        custom properties used."""
        css = "\n".join(prune(block, self.classes) for block in self.blocks)
        return drop_unused_properties(css, self.variables) + "\n"


def classes_used(html: str) -> set[str]:
    return {c for attr in CLASS_ATTR.findall(html) for c in attr.split()}


def statements(css: str) -> list[str]:
    """The top-level statements of ``css``: rules (``sel { ... }``), blocks of nested
    at-rules, and at-statements ending in ``;``. Strings and comments are respected."""
    css = COMMENT.sub("", css)
    out, depth, start, i, quote = [], 0, 0, 0, ""
    while i < len(css):
        c = css[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                out.append(css[start : i + 1].strip())
                start = i + 1
        elif c == ";" and depth == 0:
            out.append(css[start : i + 1].strip())
            start = i + 1
        i += 1
    if css[start:].strip():
        out.append(css[start:].strip())
    return [s for s in out if s]


def split_selectors(selectors: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside ``:is(a, b)``)."""
    out, depth, start = [], 0, 0
    for i, c in enumerate(selectors):
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == "," and depth == 0:
            out.append(selectors[start:i].strip())
            start = i + 1
    out.append(selectors[start:].strip())
    return [s for s in out if s]


def can_match(selector: str, classes: set[str]) -> bool:
    """False only when the selector needs a class that no notebook page has. Classes
    inside parentheses (``:not(.x)``, ``:is(.a, .b)``) are not required, so a rule is
    only ever kept that might not be needed, never dropped that is."""
    while PAREN.search(selector):
        selector = PAREN.sub("", selector)
    selector = re.sub(r"\[[^\]]*\]", "", selector)  # attribute selectors' values
    return all(name in classes for name in CLASS_NAME.findall(selector))


def prune(css: str, classes: set[str]) -> str:
    """``css`` without the rules none of whose selectors can match."""
    kept = []
    for statement in statements(css):
        if statement.lower().startswith("@charset"):
            continue  # only allowed first in a file; the shared file is UTF-8 anyway
        if not statement.endswith("}") or (
            statement.startswith("@") and not statement.startswith(NESTED)
        ):
            kept.append(statement)
            continue
        head, _, body = statement.partition("{")
        if statement.startswith(NESTED):
            inner = prune(body[:-1], classes)
            if inner.strip():
                kept.append(f"{head.strip()}{{{inner}}}")
            continue
        selectors = [s for s in split_selectors(head) if can_match(s, classes)]
        if selectors:
            kept.append(f"{','.join(selectors)}{{{body}")
    return "\n".join(kept)


def map_rules(css: str, change: Callable[[str], str]) -> str:
    """``css`` with each style rule's body, in nested at-rules too, replaced by
    ``change(body)``; a rule or a nested block left empty is dropped, and every other
    statement (``@font-face``, ``@keyframes``, ...) is kept as it is."""
    out = []
    for statement in statements(css):
        head, _, body = statement.partition("{")
        if statement.startswith(NESTED) and statement.endswith("}"):
            inner = map_rules(body[:-1], change)
            if inner.strip():
                out.append(f"{head.strip()}{{{inner}}}")
        elif statement.startswith("@") or not statement.endswith("}"):
            out.append(statement)
        else:
            inner = change(body[:-1])
            if inner.strip():
                out.append(f"{head}{{{inner}}}")
    return "\n".join(out)


def drop_unused_properties(css: str, used: set[str] = frozenset()) -> str:
    """``css`` without the custom property declarations that nothing uses: a property is
    used when anything but a custom property's own declaration refers to it with
    ``var()`` (a real property, an at-rule, ``used``: the pages' markup), or the value of
    a used custom property does. Declarations are parsed by tinycss2; a body it reads as
    anything but declarations is kept whole."""
    values: dict[str, list[str]] = {}  # each custom property's declared values

    def custom(declaration) -> bool:
        return declaration.name.startswith("--")

    def parsed(body: str) -> list | None:
        nodes = tinycss2.parse_blocks_contents(
            body, skip_comments=True, skip_whitespace=True
        )
        if all(isinstance(n, tinycss2.ast.Declaration) for n in nodes):
            return nodes
        return None

    def without_custom(body: str) -> str:
        declarations = parsed(body)
        if declarations is None:
            return body
        for d in filter(custom, declarations):
            values.setdefault(d.name, []).append(tinycss2.serialize(d.value))
        return ";".join(d.serialize() for d in declarations if not custom(d))

    used = set(used) | set(VAR.findall(map_rules(css, without_custom)))
    todo = list(used)
    while todo:  # through the values of the used ones, to every property they use
        for value in values.get(todo.pop(), []):
            for name in set(VAR.findall(value)) - used:
                used.add(name)
                todo.append(name)

    def drop(body: str) -> str:
        declarations = parsed(body)
        if declarations is None:
            return body
        return ";".join(
            d.serialize() for d in declarations if not custom(d) or d.name in used
        )

    return map_rules(css, drop)
