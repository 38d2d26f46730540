"""The build hooks fail loudly, naming the page, on anything a page cannot resolve."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from docs_build import hooks, registry


def page(src: str = "chapter/page.md") -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(src_uri=src))


def render(markdown: str) -> str:
    return hooks.on_page_markdown(markdown, page(), config=None, files=None)


def test_known_fact_is_substituted() -> None:
    registry.load_chapters()
    out = render("PyTorch {{ site.torch_version }} here.")
    assert out == f"PyTorch {registry.get_facts('site')['torch_version']} here."


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("{{ site.no_such_fact }}", "chapter/page.md: unknown fact"),
        ("{{ nowhere.key }}", "unknown fact namespace 'nowhere'"),
        (
            "{{ figure nowhere/nothing }}",
            "chapter/page.md: unknown figure 'nowhere/nothing'",
        ),
        ("{{ something odd }}", "chapter/page.md: unrecognised placeholder"),
        (
            '--8<-- "no/such/file.py"',
            "chapter/page.md: cannot include 'no/such/file.py'",
        ),
    ],
)
def test_unresolvable_reference_fails_with_page_named(
    markdown: str, message: str
) -> None:
    with pytest.raises(PluginError, match=message.replace("(", r"\(")):
        render(markdown)


def test_missing_section_is_named(tmp_path, monkeypatch) -> None:
    (tmp_path / "demo.py").write_text(
        "# --8<-- [start:real]\nx = 1\n# --8<-- [end:real]\n"
    )
    monkeypatch.setattr(hooks, "SNIPPET_BASES", (tmp_path,))
    assert hooks.check_snippet("demo.py:real") is None
    assert "no section" in hooks.check_snippet("demo.py:imaginary")


def test_figure_markdown_links_both_palettes() -> None:
    fig = registry.Figure(
        name="demo/curve",
        alt="A rising curve [demo]",
        caption="Demo.",
        draw=lambda: None,
    )
    md = hooks.figure_markdown(fig, "chapter/page.md")
    assert "](../figures/demo/curve.svg#only-light)" in md
    assert "](../figures/demo/curve-dark.svg#only-dark)" in md
    assert "![A rising curve (demo)]" in md
