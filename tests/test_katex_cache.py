"""The build reuses a formula's KaTeX output from an earlier build (docs_build/katex_cache.py)
only while nothing that makes it has changed: the cached output and characters are KaTeX's
own, an edit of the formula, of KaTeX's options, of the vendored KaTeX or of the code that
renders it gives the new output, and a formula KaTeX cannot parse still fails every build.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from docs_build import hooks, katex, katex_cache

FORMULAS = [
    (r"\sigma(x) = \frac{1}{1 + e^{-x}}", False),
    (r"\operatorname{GELU}(x) = x\,\Phi(x)", True),
    (r"\mathbf{W} \in \mathbb{R}^{m \times n}", False),
]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder, and no entries in this process's memory."""
    monkeypatch.setattr(katex_cache, "CACHE", tmp_path / "katex")
    monkeypatch.setattr(katex_cache, "_MEMORY", {})
    return tmp_path / "katex"


def render_all(renderer, formulas=FORMULAS) -> list[str]:
    return [renderer.render(tex, display) for tex, display in formulas]


def a_new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a new build process starts with: the disk cache, nothing in memory."""
    monkeypatch.setattr(katex_cache, "_MEMORY", {})


def test_cached_output_and_characters_are_katex_own(cache: Path, monkeypatch) -> None:
    with katex.Renderer() as real:
        expected = render_all(real)
        expected_chars = real.characters
    first = katex_cache.CachedRenderer(use_cache=True)
    assert render_all(first) == expected
    first.close()
    assert first.rendered == len(FORMULAS) and first.characters == expected_chars
    assert katex_cache.cache_path(first.key).is_file()

    for fresh in (False, True):  # the same process's memory, then the disk
        if fresh:
            a_new_process(monkeypatch)
        again = katex_cache.CachedRenderer(use_cache=True)
        assert render_all(again) == expected
        assert again.characters == expected_chars  # the font subsets keep their glyphs
        assert (again.rendered, again.reused) == (0, len(FORMULAS))  # KaTeX never ran
        again.close()


def test_a_formula_from_the_cache_brings_its_own_characters(cache: Path, monkeypatch):
    """A page showing one formula gets the characters of that formula alone, not of the
    formulas rendered before it (the font subsets are made from them)."""
    first = katex_cache.CachedRenderer(use_cache=True)
    render_all(first)
    first.close()
    a_new_process(monkeypatch)
    last = FORMULAS[-1:]
    with katex.Renderer() as real:
        render_all(real, last)
        expected = real.characters
    again = katex_cache.CachedRenderer(use_cache=True)
    render_all(again, last)
    assert again.reused == 1 and again.characters == expected


def test_an_edited_formula_gets_its_own_output(cache: Path, monkeypatch) -> None:
    tex, display = FORMULAS[0]
    edited = tex.replace("1 + e^{-x}", "1 + \\exp(-x)")
    renderer = katex_cache.CachedRenderer(use_cache=True)
    renderer.render(tex, display)
    renderer.close()
    a_new_process(monkeypatch)
    with katex.Renderer() as real:
        expected = real.render(edited, display)
    renderer = katex_cache.CachedRenderer(use_cache=True)
    assert renderer.render(edited, display) == expected
    assert renderer.rendered == 1
    renderer.close()


def test_changed_options_are_not_served_old_output(cache: Path, monkeypatch) -> None:
    """A macro is one of KaTeX's options: redefining it changes every formula using it."""
    monkeypatch.setitem(katex.MACROS, r"\act", r"\operatorname{ReLU}")
    renderer = katex_cache.CachedRenderer(use_cache=True)
    relu = renderer.render(r"\act(x)", False)
    renderer.close()
    assert "ReLU" in relu
    monkeypatch.setitem(katex.MACROS, r"\act", r"\operatorname{GELU}")
    for fresh in (False, True):
        if fresh:
            a_new_process(monkeypatch)
        renderer = katex_cache.CachedRenderer(use_cache=True)
        gelu = renderer.render(r"\act(x)", False)
        renderer.close()
        assert "GELU" in gelu and "ReLU" not in gelu


@pytest.mark.parametrize("source", ["katex.min.js", "katex.min.css", "code"])
def test_the_key_follows_katex_and_the_code(source: str, tmp_path: Path, monkeypatch):
    before = katex_cache.key()
    if source == "code":
        edited = (*katex_cache.CODE[:-1], katex_cache.CODE[-1] + b"\n# edited\n")
        monkeypatch.setattr(katex_cache, "CODE", edited)
    else:
        module, name = (
            (katex, "KATEX_JS")
            if source.endswith(".js")
            else (katex_cache.katex_fonts, "CSS")
        )
        copy = tmp_path / source
        shutil.copyfile(getattr(module, name), copy)
        with copy.open("a", encoding="utf-8") as f:
            f.write("\n/* edited */\n")
        monkeypatch.setattr(module, name, copy)
    assert katex_cache.key() != before


def test_a_formula_katex_cannot_parse_is_never_kept(cache: Path, monkeypatch) -> None:
    bad = r"\frac{1}{x"
    for fresh in (False, True):
        if fresh:
            a_new_process(monkeypatch)
        renderer = katex_cache.CachedRenderer(use_cache=True)
        renderer.render(*FORMULAS[0])
        with pytest.raises(ValueError):
            renderer.render(bad, False)
        renderer.close()
    stored = json.loads(
        katex_cache.cache_path(renderer.key).read_text(encoding="utf-8")
    )
    assert [tex for tex, *_ in stored] == [FORMULAS[0][0]]


def test_a_page_edited_to_a_bad_formula_still_fails_the_build(cache: Path) -> None:
    """Through the hook, as mkdocs serve runs it: the page rendered once, then edited."""
    page = SimpleNamespace(file=SimpleNamespace(src_uri="chapter/page.md"))
    good = (
        r'<p><span class="arithmatex">\(\frac{1}{x}\)</span></p>'
        '<script src="assets/javascripts/bundle.0123abcd.min.js"></script>'
    )
    try:
        assert "katex" in hooks.on_post_page(good, page=page, config=None)
        hooks.close_katex()  # the build ends
        with pytest.raises(PluginError, match=r"chapter/page.md: inline formula"):
            hooks.on_post_page(good.replace("{x}", "{x"), page=page, config=None)
    finally:
        hooks.close_katex()


def test_no_cache_renders_afresh_and_stores_nothing(cache: Path) -> None:
    renderer = katex_cache.CachedRenderer(use_cache=False)
    render_all(renderer)
    render_all(renderer)  # within one build, a formula shown twice is rendered once
    renderer.close()
    assert renderer.rendered == len(FORMULAS)
    assert not cache.exists()


def test_a_page_unchanged_since_the_last_build_is_reused_an_edited_one_is_not(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = (
        r'<p>Text <span class="arithmatex">\(\frac{1}{x}\)</span></p>'
        r'<div class="arithmatex">\[\tanh(x)\]</div>'
    )
    first = katex_cache.CachedRenderer(use_cache=True)
    shown = first.render_page(page, "chapter/page.md")
    first.close()
    assert shown.count('class="katex"') == 2

    scan = katex.render_page
    monkeypatch.setattr(katex, "render_page", lambda *a, **k: pytest.fail("scanned"))
    again = katex_cache.CachedRenderer(use_cache=True)
    assert again.render_page(page, "chapter/page.md") == shown
    assert again.characters == first.characters
    monkeypatch.setattr(katex, "render_page", scan)
    edited = again.render_page(page.replace(r"\tanh", r"\cosh"), "chapter/page.md")
    again.close()
    assert r"\cosh" in edited and r"\tanh" not in edited
    assert set(again.characters["KaTeX_Main-Regular.woff2"]) >= set("cosh")
    with pytest.raises(katex.MathError, match=r"chapter/page\.md: inline formula"):
        katex_cache.CachedRenderer(use_cache=True).render_page(
            page.replace(r"{x}", r"{x"), "chapter/page.md"
        )
