"""Notebook pages link one pruned stylesheet instead of inlining JupyterLab's: the pruning
is proven on small cases, and in Chromium every element of every notebook is styled
exactly as with the styles nbconvert inlined."""

from __future__ import annotations

from pathlib import Path

import pytest

from docs_build import notebook_css, notebooks
from sitecheck import pagecheck


def test_a_rule_for_a_class_no_page_uses_is_dropped() -> None:
    css = ".a{color:red}.b{color:blue}.a .b{margin:0}div{padding:0}"
    assert notebook_css.prune(css, {"a"}) == ".a{color:red}\ndiv{padding:0}"


def test_a_selector_list_keeps_the_selectors_that_can_match() -> None:
    assert notebook_css.prune(".a,.b>.c,p{x:1}", {"a", "b"}) == ".a,p{x:1}"


def test_classes_in_parentheses_and_attributes_are_not_required() -> None:
    css = '.a:not(.gone){x:1}:is(.gone,.a) p{y:2}[class*=".gone"]{z:3}'
    assert notebook_css.prune(css, {"a"}) == (
        '.a:not(.gone){x:1}\n:is(.gone,.a) p{y:2}\n[class*=".gone"]{z:3}'
    )


def test_nested_blocks_are_pruned_and_dropped_when_empty() -> None:
    css = "@media (max-width:9px){.a{x:1}.gone{y:2}}@media print{.gone{z:3}}"
    assert notebook_css.prune(css, {"a"}) == "@media (max-width:9px){.a{x:1}}"


def test_other_at_rules_strings_and_comments_are_kept_whole() -> None:
    css = (
        '@charset "UTF-8";/* a comment { */@font-face{font-family:"x}y"}'
        "@keyframes spin{from{a:0}to{a:1}}.gone{content:'}'}"
    )
    assert notebook_css.prune(css, set()) == (
        '@font-face{font-family:"x}y"}\n@keyframes spin{from{a:0}to{a:1}}'
    )


def test_custom_properties_nothing_uses_are_dropped() -> None:
    """Kept: one a real property uses, one used only through another, one an at-rule
    uses; dropped: the rest, and a rule left with nothing in it. A value holding a
    semicolon (a data URI) is read as one declaration."""
    css = (
        ":root{--a:1px;--b:var(--a);--icon:url(data:image/svg+xml;utf8,<svg/>);--c:red}"
        ".x{margin:var(--b) !important;--d:var(--c)}.y{--e:0}"
        "@media print{.z{--f:1;padding:var(--g)}}@font-face{src:var(--h)}"
    )
    assert notebook_css.drop_unused_properties(css) == (
        ":root{--a:1px;--b:var(--a)}\n.x{margin:var(--b) !important}\n"
        "@media print{.z{padding:var(--g)}}\n@font-face{src:var(--h)}"
    )
    icon = ".i{--icon:url(data:image/svg+xml;utf8,<svg/>);background:var(--icon)}"
    assert notebook_css.drop_unused_properties(icon) == icon


def test_a_custom_property_only_a_pages_markup_uses_is_kept() -> None:
    collected = notebook_css.Collected()
    collected.extract(
        "<style>:root{--used:1px;--unused:2px}</style>"
        '<div style="margin: var(--used)">x</div>',
        "x.css",
    )
    assert collected.variables == {"--used"}
    assert collected.stylesheet() == ":root{--used:1px}\n"


def test_extract_links_the_shared_file_once_and_keeps_each_block_once() -> None:
    collected = notebook_css.Collected()
    page = '<style>.a{x:1}</style><div class="a b">x</div><style>.b{y:2}</style>'
    out = collected.extract(page, "../../assets/notebook.css")
    assert out == (
        '<link rel="stylesheet" href="../../assets/notebook.css">'
        '<div class="a b">x</div>'
    )
    collected.extract('<style>.a{x:1}</style><p class="c">y</p>', "x.css")
    assert collected.blocks == [".a{x:1}", ".b{y:2}"]
    assert collected.classes == {"a", "b", "c"}


def test_built_notebook_pages_inline_no_styles_and_link_the_shared_file(
    site: Path,
) -> None:
    pages = sorted((site / "notebooks").glob("*/index.html"))
    assert len(pages) == len(notebooks.sources())
    shared = site / notebook_css.HREF
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<style" not in html, page
        assert 'href="../../assets/notebook.css"' in html, page
    css = shared.read_text(encoding="utf-8")
    assert 10_000 < len(css.encode()) < 300_000  # pruned, but not empty


# The longhand properties any rule of the page's author stylesheets declares (custom
# properties left out: they change nothing on screen except through a real property that
# uses them). Only these can differ between two renders that differ only in author styles:
# every other property comes from the same browser defaults, inherited from an ancestor
# where it is also undeclared, or computed from a declared one on the same element (as
# `currentcolor` from `color`), which is compared. Reading these ~160 properties instead of
# all ~900 Chromium computes makes the comparison about seven times faster.
_DECLARED_JS = """
() => {
  const names = new Set();
  const walk = (rules) => {
    for (const rule of rules) {
      if (rule.style) for (const p of rule.style) if (!p.startsWith("--")) names.add(p);
      if (rule.cssRules) walk(rule.cssRules);
    }
  };
  for (const sheet of document.styleSheets) walk(sheet.cssRules);
  return [...names];
}
"""

_STYLES_JS = """
(names) => [...document.querySelectorAll("body *")].map((el) => {
  const s = getComputedStyle(el);
  return el.tagName + " " + names.map((p) => p + ":" + s.getPropertyValue(p)).join(";");
})
"""


def styled_differently(
    pages: tuple, heads: tuple[str, str], body: str
) -> tuple[int, list[str]]:
    """Render `body` under each head, one head per page (both stay loaded, so each is
    rendered once); return how many elements there are and a description of each element
    whose computed style differs between the two."""
    names: set[str] = set()
    for page, head in zip(pages, heads, strict=True):
        page.set_content(f"<!doctype html><html><head>{head}</head><body>{body}")
        names |= set(page.evaluate(_DECLARED_JS))
    styles = [page.evaluate(_STYLES_JS, sorted(names)) for page in pages]
    return len(styles[0]), [
        f"{a[:300]} vs {b[:300]}" for a, b in zip(*styles, strict=True) if a != b
    ]


@pytest.fixture(scope="module")
def pages():
    """Two pages of one browser, with the same default viewport."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, pagecheck.launch(playwright) as browser:
        yield browser.new_page(), browser.new_page()


def test_a_style_the_shared_file_lacks_is_found(pages) -> None:
    """The comparison sees a rule that is missing, one inherited from an ancestor, and one
    that only changes a property computed from another (border colour from `color`)."""
    body = '<div class="a"><p>text</p></div><hr class="b">'
    full = "<style>.a { color: rgb(1, 2, 3); } .b { border-style: solid; }</style>"
    missing = "<style>.b { border-style: solid; }</style>"
    count, differ = styled_differently(pages, (full, missing), body)
    assert count == 3
    assert len(differ) == 2  # the div and, by inheritance, its paragraph
    assert styled_differently(pages, (full, full), body) == (3, [])


@pytest.mark.parametrize("source", notebooks.sources(), ids=lambda p: p.stem)
def test_pruned_styles_render_every_element_as_the_inlined_ones(
    source: Path, site: Path, pages
) -> None:
    """The notebook as mkdocs-jupyter renders it (this build executed it), once with
    nbconvert's inlined styles and once with the shared stylesheet: the computed style of
    every element is the same."""
    from mkdocs_jupyter.nbconvert2 import nb2html

    executed = notebooks.OUTPUT / f"{source.stem}.ipynb"
    original = nb2html(str(executed), execute=False)
    collected = notebook_css.Collected()
    body = collected.extract(original, "shared.css").replace(
        '<link rel="stylesheet" href="shared.css">', ""
    )
    inlined = "".join(f"<style>{b}</style>" for b in collected.blocks)
    shared = f"<style>{(site / notebook_css.HREF).read_text(encoding='utf-8')}</style>"
    count, differ = styled_differently(pages, (inlined, shared), body)
    assert count > 50
    assert not differ, f"{len(differ)} elements styled differently, first: {differ[0]}"
