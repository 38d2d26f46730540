"""Every formula on every built page arrives rendered by the KaTeX the site vendors, and a
formula KaTeX cannot parse fails the build, naming the page and the formula.

The build renders the math (docs_build/katex.py, from hooks.on_post_page), so the checks
here are of two kinds: the built pages hold KaTeX's output for every formula and no TeX
left raw; and the build step itself rejects a bad formula, shown on synthetic pages (a
Markdown page, a formula made from a fact, a notebook page converted by mkdocs-jupyter).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
from mkdocs.exceptions import PluginError

from docs_build import hooks, katex, registry
from sitecheck import htmlcheck

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def renderer():
    with katex.Renderer() as r:
        yield r


@pytest.fixture
def post_page():
    """hooks.on_post_page on a synthetic page; the hook's renderer is closed afterwards, as
    the build closes it (an open one keeps the interpreter from exiting)."""

    def run(html: str, src: str = "chapter/page.md") -> str:
        page = SimpleNamespace(file=SimpleNamespace(src_uri=src))
        # A page as Material writes it ends with Material's script, which the hook defers.
        bundle = '<script src="assets/javascripts/bundle.0123abcd.min.js"></script>'
        return hooks.on_post_page(html + bundle, page=page, config=None)

    yield run
    hooks.close_katex()


def site_pages(site: Path) -> dict[str, htmlcheck.Page]:
    return {
        str(p.relative_to(site)): htmlcheck.parse(p.read_text(encoding="utf-8"))
        for p in sorted(site.rglob("*.html"))
    }


# ---------------------------------------------------------------------------------------
# The built site
# ---------------------------------------------------------------------------------------


def test_every_formula_on_every_page_is_rendered(site: Path) -> None:
    pages = site_pages(site)
    formulas = sum(len(p.formulas) for p in pages.values())
    assert formulas >= 500, f"only {formulas} formulas on the site: is math extracted?"
    bad = {
        name: probs
        for name, p in pages.items()
        if (probs := htmlcheck.formula_problems(p))
    }
    assert not bad, f"formulas without proper KaTeX output: {json.dumps(bad, indent=1)}"


def test_no_raw_tex_left_in_any_page(site: Path) -> None:
    bad = {name: p.raw_math for name, p in site_pages(site).items() if p.raw_math}
    assert not bad, f"TeX delimiters in the prose of these pages: {bad}"


def test_no_page_ships_katex_javascript(site: Path) -> None:
    scripts = {
        name: [a for a in p.assets if re.search(r"(katex|auto-render)[^/]*\.js$", a)]
        for name, p in site_pages(site).items()
    }
    assert not {k: v for k, v in scripts.items() if v}
    assert not [
        p.name for p in site.rglob("*.js") if re.match(r"katex|auto-render", p.name)
    ]
    assert (
        site / "assets/vendor/katex/katex.min.css"
    ).is_file()  # its CSS and fonts stay
    assert list((site / "assets/vendor/katex/fonts").glob("*.woff2"))


# ---------------------------------------------------------------------------------------
# The renderer and the build step
# ---------------------------------------------------------------------------------------


def test_renderer_gives_html_and_mathml(renderer: katex.Renderer) -> None:
    page = htmlcheck.parse(
        '<article><span class="arithmatex">'
        + renderer.render(r"\frac{1}{1+e^{-x}}", display=False)
        + '</span><div class="arithmatex">'
        + renderer.render(r"\sigma(x)", display=True)
        + katex.DISPLAY_END  # as the build ends a display formula's element
        + "</div></article>"
    )
    assert [f.tex for f in page.formulas] == [r"\frac{1}{1+e^{-x}}", r"\sigma(x)"]
    assert htmlcheck.formula_problems(page) == []
    assert (
        renderer.version
        == (ROOT / "docs/assets/vendor/katex/VERSION").read_text().strip()
    )


@pytest.mark.parametrize(
    ("tex", "message"),
    [
        (r"\frac{1}{1+e^{-x}", "Unexpected end of input"),  # unbalanced
        (r"\sigmoid(x)", r"Undefined control sequence: \sigmoid"),  # no such command
        (
            "é",
            "strict mode",
        ),  # LaTeX would reject it: strict mode, as the old check had
    ],
)
def test_renderer_rejects_what_katex_cannot_parse(
    renderer: katex.Renderer, tex: str, message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        renderer.render(tex, display=False)


def test_build_step_renders_arithmatex_elements(post_page) -> None:
    html = markdown.markdown(
        r"Inline $x^2 < y$ and display:"
        "\n\n"
        r"$$\begin{aligned} a &= b \end{aligned}$$",
        extensions=["pymdownx.arithmatex"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )
    page = htmlcheck.parse(f"<article>{post_page(html)}</article>")
    assert [(f.tex, f.display) for f in page.formulas] == [
        ("x^2 < y", False),
        (r"\begin{aligned} a &= b \end{aligned}", True),
    ]
    assert htmlcheck.formula_problems(page) == [] and page.raw_math == []


def test_a_display_formula_ends_with_the_marker_site_css_waits_for(post_page) -> None:
    """site.css shows a display formula once its end marker has arrived: the build puts
    one at the end of each display formula's element and none in an inline one, and the
    built-HTML check reports a display formula without it."""
    inline = r'<span class="arithmatex">\(x\)</span>'
    display = r'<div class="arithmatex">\[x\]</div>'
    out = post_page(f"<p>{inline}</p>{display}")
    assert out.count(katex.DISPLAY_END) == 1
    assert out.index(katex.DISPLAY_END) + len(katex.DISPLAY_END) == out.index("</div>")
    assert htmlcheck.formula_problems(htmlcheck.parse(out)) == []
    unmarked = htmlcheck.parse(out.replace(katex.DISPLAY_END, ""))
    assert htmlcheck.formula_problems(unmarked) == [
        "'x': a display formula without its end marker (site.css never shows it)"
    ]


def test_unparsable_formula_fails_the_build_naming_page_and_formula(post_page) -> None:
    html = (
        r'<p><span class="arithmatex">\(x\)</span> and '
        r'<span class="arithmatex">\(\frac{1}{x\)</span></p>'
        r'<div class="arithmatex">\[\sigmoid(x)\]</div>'
    )
    with pytest.raises(PluginError) as info:
        post_page(html, "activations/broken.md")
    message = str(info.value)
    assert "2 formula(s)" in message
    assert r"activations/broken.md: inline formula `\frac{1}{x`:" in message
    assert r"activations/broken.md: display formula `\sigmoid(x)`:" in message


def test_formula_from_a_fact_is_rendered_and_checked(post_page, monkeypatch) -> None:
    """Facts are filled in before Markdown runs, so a formula a fact makes reaches KaTeX
    like any other: a good one is rendered, a bad one fails the build."""
    registry.load_chapters()
    facts = {"good": r"\tanh(x)", "bad": r"\frac{1}{"}
    monkeypatch.setattr(registry, "get_facts", lambda ns: facts)
    page = SimpleNamespace(file=SimpleNamespace(src_uri="chapter/facts.md"), meta={})

    def build(source: str) -> str:
        text = hooks.on_page_markdown(source, page, config=None, files=None)
        html = markdown.markdown(
            text,
            extensions=["pymdownx.arithmatex"],
            extension_configs={"pymdownx.arithmatex": {"generic": True}},
        )
        return post_page(html, "chapter/facts.md")

    done = htmlcheck.parse(
        f"<article>{build('See $f(x) = {{ demo.good }}$.')}</article>"
    )
    assert [f.tex for f in done.formulas] == [r"f(x) = \tanh(x)"]
    assert htmlcheck.formula_problems(done) == []
    with pytest.raises(
        PluginError,
        match=r"chapter/facts.md: inline formula `f\(x\) = \\frac\{1\}\{`:",
    ):
        build("See $f(x) = {{ demo.bad }}$.")


def test_element_without_a_single_formula_fails_the_build(post_page) -> None:
    with pytest.raises(PluginError, match="holds no single"):
        post_page('<span class="arithmatex">x^2</span>')


# ---------------------------------------------------------------------------------------
# Notebook pages: mkdocs-jupyter leaves $...$ in the text of Markdown cells
# ---------------------------------------------------------------------------------------

NOTEBOOK = {
    "cells": [
        {
            "cell_type": "markdown",
            "id": "prose",
            "metadata": {},
            "source": "The sigmoid $\\sigma(x) = 1 / (1 + e^{-x})$ and $a < b$, so:"
            "\n\n$$\\frac{d}{dx}\\sigma(x) = \\sigma(x)(1 - \\sigma(x))$$\n\n"
            "\\begin{align} y &= x \\end{align}\n",
        },
        {
            "cell_type": "code",
            "id": "code",
            "execution_count": 1,
            "metadata": {},
            "outputs": [
                {
                    "name": "stdout",
                    "output_type": "stream",
                    "text": ["cost: $3 and $4\n"],
                }
            ],
            "source": 'print("cost: $3 and $4")',
        },
    ],
    "metadata": {
        "kernelspec": {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


def notebook_html(tmp_path: Path, nb: dict) -> str:
    """The page body mkdocs-jupyter makes from ``nb`` (as in the build: not executed)."""
    from mkdocs_jupyter.nbconvert2 import nb2html

    path = tmp_path / "demo.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return (
        f"<article>{nb2html(str(path), execute=False, custom_mathjax_url='')}</article>"
    )


def test_notebook_math_is_rendered_and_code_left_alone(
    tmp_path: Path, post_page
) -> None:
    before = notebook_html(tmp_path, NOTEBOOK)
    assert "$a &lt; b$" in before  # how nbconvert leaves math: in the text, escaped
    page = htmlcheck.parse(post_page(before, "notebooks/demo.ipynb"))
    assert [(f.tex, f.display) for f in page.formulas] == [
        (r"\sigma(x) = 1 / (1 + e^{-x})", False),
        ("a < b", False),
        (r"\frac{d}{dx}\sigma(x) = \sigma(x)(1 - \sigma(x))", True),
        (r"\begin{align} y &= x \end{align}", True),
    ]
    assert htmlcheck.formula_problems(page) == []
    after = post_page(before, "notebooks/demo.ipynb")
    assert (
        after.count("cost: $3 and $4") == before.count("cost: $3 and $4") >= 1
    )  # code, output


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (r"Bad: $\frac{1}$.", r"notebooks/demo.ipynb: inline formula `\frac{1}`:"),
        (
            r"Bad: $\frac{1}{x$.",
            r"notebooks/demo.ipynb: $ is never closed: '$\\frac{1}{x$.'",
        ),
        (
            r"Bad: $$\sigmoid(x)$$",
            r"notebooks/demo.ipynb: display formula `\sigmoid(x)`:",
        ),
        ("Costs $5 today.", "notebooks/demo.ipynb: $ is never closed"),
    ],
)
def test_notebook_formula_that_cannot_render_fails_the_build(
    tmp_path: Path, post_page, source: str, message: str
) -> None:
    nb = {
        **NOTEBOOK,
        "cells": [
            {"cell_type": "markdown", "id": "bad", "metadata": {}, "source": source}
        ],
    }
    with pytest.raises(PluginError) as info:
        post_page(notebook_html(tmp_path, nb), "notebooks/demo.ipynb")
    assert message in str(info.value)
