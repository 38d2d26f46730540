"""Every built page: nothing loaded from another host, no internal link or anchor broken."""

from __future__ import annotations

from pathlib import Path

import htmlcheck
import pytest


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[Path, htmlcheck.Page]:
    return {p: htmlcheck.parse(p.read_text(encoding="utf-8")) for p in sorted(site.rglob("*.html"))}


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
            if htmlcheck.is_external(url) or url.startswith("data:") or url.startswith("#"):
                continue
            if not (css.parent / url.split("?")[0].split("#")[0]).exists():
                missing.append(f"{css.relative_to(site)} -> {url}")
    assert not missing, f"style sheets reference missing files: {missing}"


def test_internal_links_and_anchors_resolve(site: Path, pages: dict[Path, htmlcheck.Page]) -> None:
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
        if f"Code tested with PyTorch {version}" not in (text := p.read_text(encoding="utf-8"))
        or "Last updated 20" not in text
    ]
    assert content and not missing, f"pages without the tested-with footer: {missing}"
