"""CONTRIBUTING.md stays true: its worked example is the registry's own entry, the commands
and paths it names exist, and the site includes it."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def registry_entries(text: str) -> list[str]:
    """The body of every fenced block that shows a registry entry (whatever its language)."""
    return re.findall(
        r"^```[^`\n]*\n(Activation\(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL
    )


def test_worked_example_is_the_registry_entry_verbatim() -> None:
    from docs_build.chapters import activations as reg

    (example,) = registry_entries(GUIDE)
    source = (ROOT / "docs_build" / "chapters" / "activations.py").read_text(
        encoding="utf-8"
    )
    assert textwrap.indent(example, "    ") in source, (
        "update the example in CONTRIBUTING.md"
    )
    key = re.search(r'key="(\w+)"', example).group(1)
    assert reg.BY_KEY[key].scratch is None, (
        "the example shows an entry with no scratch code"
    )


def test_the_registry_entry_is_not_shown_as_a_runnable_python_block() -> None:
    """A fragment of a list is no script: a reader's copy of it could not run alone, and
    the copy-and-run test (tests/test_pagecode.py) runs every Python block."""
    (fence,) = re.findall(r"^(```[^`\n]*)\nActivation\(", GUIDE, flags=re.MULTILINE)
    assert fence.startswith("```text ") and "title=" in fence


def test_named_paths_and_make_targets_exist() -> None:
    paths = set(
        re.findall(
            r"`((?:docs|snippets|docs_build|tests|notebooks|\.github)/[\w./-]+)`", GUIDE
        )
    )
    concrete = {p for p in paths if "<" not in p and not p.startswith(("snippets/x/",))}
    missing = [p for p in sorted(concrete) if not (ROOT / p).exists()]
    assert not missing, f"CONTRIBUTING.md names paths that do not exist: {missing}"
    targets = set(
        re.findall(r"^(\w+):", (ROOT / "Makefile").read_text(), flags=re.MULTILINE)
    )
    named = set(re.findall(r"`make (\w+)`", GUIDE)) | set(
        re.findall(r"\$ make (\w+)", GUIDE)
    )
    assert named and named <= targets, (
        f"unknown make targets: {sorted(named - targets)}"
    )


def test_site_page_shows_the_guide_as_written() -> None:
    from types import SimpleNamespace

    from docs_build import hooks

    page = SimpleNamespace(
        file=SimpleNamespace(src_uri="about/contributing.md"),
        meta={"literal_include": "CONTRIBUTING.md"},
    )
    shown = hooks.on_page_markdown("", page, config=None, files=None)
    assert "{{ act_pages.<page> }}" in shown  # placeholders in the guide stay text
    assert (
        ';--8<-- "x/y.py:section"' in shown
    )  # pymdownx.snippets prints it without ";"
    assert shown.replace(";--8<--", "--8<--") == GUIDE
    front = (ROOT / "docs" / "about" / "contributing.md").read_text(encoding="utf-8")
    assert "\nliteral_include: CONTRIBUTING.md\n" in front


def test_built_page_keeps_the_snippet_syntax_it_explains(site: Path) -> None:
    """pymdownx.snippets would include x/y.py and drop the section-marker table row."""
    html = (site / "about" / "contributing" / "index.html").read_text(encoding="utf-8")
    assert "# --8&lt;-- [start:section]" in html
    assert '<span class="s2">"x/y.py:section"</span>' in html  # the fenced example
    assert ";--8&lt;--" not in html
