"""The HTML checkers find what they are meant to find (so a green run means something)."""

from __future__ import annotations

from pathlib import Path

from sitecheck import htmlcheck


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


def test_rendered_formulas_pass_and_every_bad_one_is_named() -> None:
    from docs_build import katex

    with katex.Renderer() as r:
        inline = r.render("x^2", display=False)
        display = r.render(r"\frac{1}{2}", display=True) + katex.DISPLAY_END
        error = r.render_to_string(r"\frac{1}{x", throwOnError=False)
    no_mathml = inline.replace(
        '<span class="katex-mathml">', '<span class="katex-gone">'
    )
    page = htmlcheck.parse(
        "<article>"
        f'<p>Inline <span class="arithmatex">{inline}</span> and</p>'
        f'<div class="arithmatex">{display}</div>'
        '<div class="arithmatex">\\[\\frac{1}{3}\\]</div>'  # left raw
        f'<div class="arithmatex">{inline}</div>'  # display element, inline mode
        f'<span class="arithmatex">{error}</span>'  # rendered with throwOnError false
        f'<span class="arithmatex">\\(y\\) {inline}</span>'  # raw TeX beside output
        f'<span class="arithmatex">{no_mathml}</span>'
        "</article>"
    )
    assert [f.tex for f in page.formulas[:2]] == ["x^2", "\\frac{1}{2}"]
    problems = htmlcheck.formula_problems(page)
    assert len(problems) == 5, problems
    assert "no KaTeX output" in problems[0] and "frac{1}{3}" in problems[0]
    assert "inline mode in a display element" in problems[1]
    assert "KaTeX error: ParseError" in problems[2]
    assert "raw text beside" in problems[3]
    assert "no MathML" in problems[4]


def test_raw_tex_in_prose_is_found_but_not_in_code() -> None:
    page = htmlcheck.parse(
        "<header><p>$ outside the article</p></header><article>"
        "<p>Left raw: \\(x\\) and $y$.</p><pre><code>print('$5', r'\\(')</code></pre>"
        "<p>Inline <code>$HOME</code></p><script>var a = '$';</script></article>"
    )
    assert page.raw_math == ["Left raw: \\(x\\) and $y$."]


def test_a_data_url_in_src_stays_one_asset() -> None:
    """Notebook figures are inline PNGs: the comma after ;base64 does not split the URL."""
    page = htmlcheck.parse('<img src="data:\nimage/png;base64,iVBORw0KGgo=">')
    assert page.assets == ["data:\nimage/png;base64,iVBORw0KGgo="]
