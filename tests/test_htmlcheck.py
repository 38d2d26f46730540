"""The HTML checkers find what they are meant to find (so a green run means something)."""

from __future__ import annotations

from pathlib import Path

import htmlcheck


def test_third_party_assets_are_found() -> None:
    page = htmlcheck.parse(
        '<script src="https://cdn.example.org/x.js"></script>'
        '<link rel="stylesheet" href="//fonts.example.com/css">'
        '<img src="img/local.svg"><img srcset="a.png 1x, https://img.example.net/b.png 2x">'
        '<div style="background:url(https://x.example/y.png)"></div>'
        '<a href="https://arxiv.org/abs/1502.01852">a paper is fine</a>'
    )
    assert htmlcheck.third_party_assets(page) == [
        "https://cdn.example.org/x.js",
        "//fonts.example.com/css",
        "https://img.example.net/b.png",
        "https://x.example/y.png",
    ]


def test_broken_links_and_anchors_are_found(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">Here</h2>')
    index = tmp_path / "index.html"
    index.write_text(
        '<a href="a/#here">ok</a><a href="a/#gone">bad anchor</a><a href="b/">bad page</a>'
        '<a href="#top">bad local</a><p id="local"></p><a href="#local">ok</a>'
    )
    pages = {p: htmlcheck.parse(p.read_text()) for p in tmp_path.rglob("*.html")}
    broken = htmlcheck.broken_links(tmp_path, index, pages[index], pages)
    assert broken == [
        "a/#gone (no #gone on a/index.html)",
        "b/ (no such file)",
        "#top (no #top on index.html)",
    ]


def test_math_fragments_are_extracted() -> None:
    page = htmlcheck.parse(
        '<p>Inline <span class="arithmatex">\\(x^2\\)</span> and</p>'
        '<div class="arithmatex">\\[\\frac{1}{2}\\]</div>'
    )
    assert [(htmlcheck.strip_math_delimiters(t), d) for t, d in page.math] == [
        ("x^2", False),
        ("\\frac{1}{2}", True),
    ]


def test_a_data_url_in_src_stays_one_asset() -> None:
    """Notebook figures are inline PNGs: the comma after ;base64 does not split the URL."""
    page = htmlcheck.parse('<img src="data:\nimage/png;base64,iVBORw0KGgo=">')
    assert page.assets == ["data:\nimage/png;base64,iVBORw0KGgo="]
