"""Every built page: nothing loaded from another host, no internal link or anchor broken."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path, PurePosixPath

import pytest

from docs_build.registry import ROOT
from sitecheck import htmlcheck


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[Path, htmlcheck.Page]:
    return {
        p: htmlcheck.parse(p.read_text(encoding="utf-8"))
        for p in sorted(site.rglob("*.html"))
    }


def test_site_has_pages(pages: dict[Path, htmlcheck.Page]) -> None:
    assert len(pages) >= 3


def test_no_third_party_assets(site: Path, pages: dict[Path, htmlcheck.Page]) -> None:
    offenders = {
        str(p.relative_to(site)): bad
        for p, page in pages.items()
        if (bad := htmlcheck.third_party_assets(page))
    }
    assert not offenders, f"pages load assets from another host: {offenders}"


def test_no_third_party_assets_in_css(site: Path) -> None:
    offenders = {}
    for css in site.rglob("*.css"):
        bad = [
            u
            for u in htmlcheck.css_assets(css.read_text(encoding="utf-8"))
            if htmlcheck.is_external(u)
        ]
        if bad:
            offenders[str(css.relative_to(site))] = bad
    assert not offenders, f"style sheets load from another host: {offenders}"


def test_css_assets_exist(site: Path) -> None:
    missing = []
    for css in site.rglob("*.css"):
        for url in htmlcheck.css_assets(css.read_text(encoding="utf-8")):
            if (
                htmlcheck.is_external(url)
                or url.startswith("data:")
                or url.startswith("#")
            ):
                continue
            if not (css.parent / url.split("?")[0].split("#")[0]).exists():
                missing.append(f"{css.relative_to(site)} -> {url}")
    assert not missing, f"style sheets reference missing files: {missing}"


def test_internal_links_and_anchors_resolve(
    site: Path, pages: dict[Path, htmlcheck.Page]
) -> None:
    offenders = {}
    for path, page in pages.items():
        if path.name == "404.html":
            continue  # served at any depth; its relative links are rewritten by the host
        bad = htmlcheck.broken_links(site, path, page, pages)
        if bad:
            offenders[str(path.relative_to(site))] = bad
    assert not offenders, f"broken internal links: {offenders}"


def test_local_assets_exist(site: Path, pages: dict[Path, htmlcheck.Page]) -> None:
    missing = []
    for path, page in pages.items():
        if path.name == "404.html":
            continue
        for url in page.assets:
            if htmlcheck.is_external(url) or url.startswith("data:") or not url:
                continue
            target, _ = htmlcheck.resolve(site, path, url)
            if target is None:
                missing.append(f"{path.relative_to(site)} -> {url}")
    assert not missing, f"pages reference missing files: {missing}"


def test_content_pages_say_when_and_with_what_they_were_tested(
    site: Path, pages: dict[Path, htmlcheck.Page]
) -> None:
    import torch

    version = torch.__version__.split("+")[0]
    content = [p for p in pages if p.name == "index.html" and "search" not in p.parts]
    missing = [
        str(p.relative_to(site))
        for p in content
        if f"Code tested with PyTorch {version}"
        not in (text := p.read_text(encoding="utf-8"))
        or "Last updated 20" not in text
    ]
    assert content and not missing, f"pages without the tested-with footer: {missing}"


def built_page_of(source: str) -> str:
    """Where the page made from a tracked source file is built (use_directory_urls)."""
    path = PurePosixPath(source)
    if (
        path.parts[0] == "notebooks"
    ):  # notebooks/<name>.md -> executed notebooks/<name>.ipynb
        return f"notebooks/{path.stem}/index.html"
    rel = path.relative_to("docs").with_suffix("")
    return (
        str(rel.parent / "index.html") if rel.name == "index" else f"{rel}/index.html"
    )


def edited_source(source: Path) -> str:
    """The file a page's edit link must open: its own, or its ``literal_include``."""
    front = re.search(
        r"^literal_include:\s*(\S+)$", source.read_text(encoding="utf-8"), re.M
    )
    return front.group(1) if front else str(source.relative_to(ROOT))


def test_each_page_edit_link_opens_the_file_it_is_made_from(site: Path) -> None:
    """Markdown pages edit docs/<src>; notebook pages their notebooks/<name>.md source (the
    executed .ipynb is generated outside the repository's files); the contributing page edits
    CONTRIBUTING.md, which it shows."""
    sources = [p for p in (ROOT / "docs").rglob("*.md") if "vendor" not in p.parts]
    expected = {
        built_page_of(str(p.relative_to(ROOT))): edited_source(p)
        for p in [*sources, *(ROOT / "notebooks").glob("*.md")]
    }
    edit = re.compile(
        r'href="https://github\.com/dl-checked/field-guide/edit/main/([^"]+)"'
    )
    bad = []
    for page, want in sorted(expected.items()):
        links = edit.findall((site / page).read_text(encoding="utf-8"))
        if links != [want]:
            bad.append(f"{page}: {links}, want [{want!r}]")
    ignored = subprocess.run(
        ["git", "check-ignore", *sorted(set(expected.values()))],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
    )
    assert len(expected) >= 10 and not bad, (
        "edit links that miss their page:\n" + "\n".join(bad)
    )
    assert ignored.returncode == 1, (
        f"edit links open files git ignores: {ignored.stdout}"
    )


def test_each_included_code_file_is_linked_from_its_page(site: Path) -> None:
    """A page that includes snippets/x.py (or a notebook whose source does) links that file
    in its footer, at blob/main/snippets/x.py."""
    from docs_build.includes import BASES, INCLUDE

    sources = [
        *sorted((ROOT / "docs").rglob("*.md")),
        *sorted((ROOT / "notebooks").glob("*.md")),
    ]
    missing = []
    for src in sources:
        if "vendor" in src.parts:
            continue
        rel = str(src.relative_to(ROOT))
        html = (site / built_page_of(rel)).read_text(encoding="utf-8")
        for ref in INCLUDE.findall(src.read_text(encoding="utf-8")):
            name = ref.partition(":")[0]
            found = next(b / name for b in BASES if (b / name).is_file())
            url = f"/blob/main/{found.relative_to(ROOT)}"
            if f'href="https://github.com/dl-checked/field-guide{url}"' not in html:
                missing.append(f"{rel} -> {url}")
    assert not missing, "pages that do not link the code they include:\n" + "\n".join(
        missing
    )


def test_testing_page_states_what_the_suite_checks(site: Path) -> None:
    """The sizes the testing page states, against the built site and the registries the
    tests run over (the build never asks the tests)."""
    from docs_build.claims import CLAIMS
    from docs_build.formulas import checked

    text = (site / "about" / "testing" / "index.html").read_text(encoding="utf-8")
    stated = re.search(
        r"compares <strong>(\d+) formulas</strong> with PyTorch.*?asserts "
        r"<strong>(\d+) claims</strong>.*?of the\s+(\d+) pages and (\d+) notebooks",
        text,
        re.DOTALL,
    )
    assert stated, "the testing page no longer states what the suite checks"
    formulas, claims, pages, notebooks = map(int, stated.groups())
    assert formulas == len(checked())  # each one is a test_formulas.py case
    assert (
        claims == len(CLAIMS) == len(re.findall(r'<span id="claim-[a-z0-9-]+">', text))
    )
    built = [
        p.parent
        for p in site.rglob("index.html")
        if p.parent != site / "search" and "notebooks" not in p.relative_to(site).parts
    ]
    assert pages == len(built)
    assert notebooks == len(list((site / "notebooks").glob("*/index.html")))


def test_search_lists_every_page_but_the_notebooks(site: Path) -> None:
    """Each page's text is in the search index once: the notebooks, which repeat their
    chapters, are left out (docs_build/hooks.py); every other page is in."""
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    indexed = {doc["location"].split("#")[0] for doc in index["docs"]}
    pages = {
        "" if p.parent == site else p.parent.relative_to(site).as_posix() + "/"
        for p in site.rglob("index.html")
    }
    notebooks = {p for p in pages if p.startswith("notebooks/")}
    assert len(notebooks) >= 5
    assert indexed == pages - notebooks


def test_palette_stylesheet_is_materials_without_its_switching_rule(site: Path) -> None:
    """The built palette stylesheet is Material's, less the one rule that made every page
    load restyle the whole page twice (docs_build/hooks.py says why)."""
    import material

    from docs_build import hooks

    built = sorted((site / "assets" / "stylesheets").glob("palette.*.min.css"))
    assert len(built) == 1, built
    theirs = Path(material.__file__).parent / "templates" / built[0].relative_to(site)
    original = theirs.read_text(encoding="utf-8")
    served = built[0].read_text(encoding="utf-8")
    assert "data-md-color-switching" in original
    assert "data-md-color-switching" not in served
    assert served == original.replace(hooks.SWITCHING_RULE, "")


def test_bundle_is_materials_with_the_stated_replacements(site: Path) -> None:
    """The built script is Material's with exactly the replacements docs_build/hooks.py
    states (the page's colour-scheme element, tables already in their box), each made
    once."""
    import material

    from docs_build import hooks

    built = sorted((site / "assets" / "javascripts").glob("bundle.*.min.js"))
    assert len(built) == 1, built
    theirs = Path(material.__file__).parent / "templates" / built[0].relative_to(site)
    original = theirs.read_text(encoding="utf-8")
    served = built[0].read_text(encoding="utf-8")
    replacements = hooks.BUNDLE_PATCHES
    assert len(replacements) == 4
    expected = original
    for old, new in replacements:
        assert original.count(old) == 1 and old not in served and new in served, old
        expected = expected.replace(old, new)
    assert served == expected


def test_every_classless_table_arrives_in_materials_box(
    pages: dict[Path, htmlcheck.Page],
) -> None:
    """Material's script moves each table without a class into a scrolling box; the build
    puts it there (docs_build/hooks.py), so the script moves none: every such table in an
    article is the only child of a `.md-typeset__table` inside a `.md-typeset__scrollwrap`
    that holds nothing else."""
    from bs4 import BeautifulSoup

    tables = 0
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for table in soup.select("article table:not([class])"):
            if table.find_parent("table") is not None:
                continue  # a table in a cell moves with its table
            tables += 1
            box, wrap = table.parent, table.parent.parent
            assert box.name == "div" and box.get("class") == ["md-typeset__table"], path
            assert wrap.get("class") == ["md-typeset__scrollwrap"], path
            assert [c for c in box.children if c.name] == [table], path
            assert [c for c in wrap.children if c.name] == [box], path
    assert tables >= 20, tables  # the chapters' tables are there to be checked


def test_the_heads_script_comes_after_every_link(
    pages: dict[Path, htmlcheck.Page],
) -> None:
    """overrides/main.html: the head's script (the root's class, the colour-scheme element,
    absolute addresses) comes after every `<link>` of the head on every page (a link after
    it would keep its relative address, and Material's script would reload it), and the
    page itself holds no colour-scheme element (the script adds it: a page fetched by
    instant navigation must bring none of its own). No stylesheet is linked from the body
    (a notebook page's is moved to the head), where the script cannot reach it."""
    for path in pages:
        html = path.read_text(encoding="utf-8")
        head = html[: html.index("</head>")]
        script = head.find('document.querySelectorAll("head link[href]")')
        assert head.rfind("<link") < script, path
        assert head.count('h.replace("no-js","js")') == 1, path
        assert '<meta name="color-scheme"' not in html, path
        body = html[html.index("<body") :]
        assert '<link rel="stylesheet"' not in body, path  # docs_build/hooks.py
