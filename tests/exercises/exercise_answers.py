"""The check every exercise script gets: each section stands alone. Each defines every
name it uses and, run by itself in a fresh interpreter in an empty folder (as a reader who
copies only that answer runs it), prints what its ``print(...)  # shown`` lines state, in
order. (tests/test_pagecode.py runs a page's sections together, as copied in page order.)"""

from __future__ import annotations

import re
from pathlib import Path

from sitecheck import pagecheck, pagecode

SNIPPETS = Path(__file__).resolve().parents[2] / "snippets"
START = re.compile(r"^# --8<-- \[start:(\w+)\]$", re.MULTILINE)


def sections(script: str) -> list[str]:
    """The text of every section of ``snippets/<script>``, in file order."""
    names = START.findall((SNIPPETS / script).read_text(encoding="utf-8"))
    return [pagecheck.snippet_text(f"{script}:{name}") for name in names]


def check_script(script: str) -> None:
    """Assert that each section of ``script`` runs alone and prints what it states."""
    texts = sections(script)
    assert texts, f"{script} has no sections"
    for number, text in enumerate(texts, 1):
        lacking = pagecode.names_sections_lack([text])
        assert not lacking, (
            f"{script} section {number} uses names it does not define: {lacking}"
        )
        assert pagecode.stated_outputs([text]), (
            f"{script} section {number} states no output"
        )
        unstated = [
            line
            for line in text.splitlines()
            if line.startswith("print(") and not pagecode.STATED_OUTPUT.match(line)
        ]
        assert not unstated, (
            f"{script} section {number} prints without stating: {unstated}"
        )
    for number, text in enumerate(texts, 1):
        run = pagecode.run_copied([text], timeout=120)
        assert run.ok, f"{script} section {number}, run alone: {run.explain()}"


def page(source: str) -> str:
    """The Markdown of ``docs/<source>``, whose questions the tests hold to the code."""
    return (SNIPPETS.parent / "docs" / source).read_text(encoding="utf-8")
