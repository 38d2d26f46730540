"""The browser checks themselves, on tiny synthetic pages served the same way as the site.

Each failure mode the site tests guard against is produced here on purpose (a formula left
raw, a KaTeX error, a KaTeX script requested, a request to another host, a broken image, a
console error, an image without alt text, a figure in the wrong palette, low contrast), and
the report must name it;
a clean page must give a clean report, so the checks do not pass by reporting nothing.
"""

from __future__ import annotations

import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from docs_build import katex
from sitecheck import pagecheck

pytestmark = pytest.mark.browser

# The site's pages carry KaTeX's CSS only: their formulas are rendered at build time, the
# way the fixture renders these pages (docs_build/katex.py). No KaTeX script.
KATEX = '<link rel="stylesheet" href="assets/vendor/katex/katex.min.css">'
KATEX_SCRIPT = '<script src="assets/vendor/katex/katex.min.js"></script>'

FORMULAS = r"""
<p>Inline <span class="arithmatex">\(x^2\)</span> and display:</p>
<div class="arithmatex">\[\sigma(x) = \frac{1}{1 + e^{-x}}\]</div>
"""
WIDE = (
    r'<div class="md-typeset"><div class="arithmatex">\['
    + "+".join(f"x_{{{i}}}" for i in range(80))
    + r"\]</div></div>"
)
PUBLISHED = "https://example.org/prefix/"  # the synthetic site's "site_url"
FIGURE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    '<rect width="40" height="20" fill="#0072B2"/></svg>'
)


def figure(attrs: str = 'width="40" height="20"', src: str = "figure.svg") -> str:
    """A figure as the build writes it: one file shown twice, once per palette."""
    return (
        f'<figure class="dlg-figure"><img src="{src}#only-light" alt="A bar" {attrs}>'
        f'<img src="{src}#only-dark" alt="A bar" {attrs}></figure>'
    )


# Material hides the image of the other palette; so do these pages.
HIDE_DARK = '<style>img[src$="#only-dark"]{display:none}</style>'


def html(title: str, body: str, head: str = "", body_attrs: str = "") -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        '<link rel="icon" href="data:,">'
        f"{head}</head><body {body_attrs}><main><article><h1>{title}</h1>{body}"
        "</article></main></body></html>"
    )


# Pages whose formulas the fixture renders as the build does.
RENDERED = {
    "good.html",
    "katex-script.html",
    "wide-formula.html",
    "wide-formula-unboxed.html",
}
# Formulas KaTeX rejects, rendered the way a page would show them had it not thrown
# (throwOnError false: the build never does this, it fails instead).
BAD_FORMULAS = (r"\sigmoid(x)", r"\frac{1}{x")

PAGES = {
    "good.html": html("Good", FORMULAS + figure(), KATEX + HIDE_DARK),
    "raw-math.html": html("Raw", FORMULAS, KATEX),  # nothing rendered the formulas
    "katex-error.html": html(  # filled in by the fixture from BAD_FORMULAS
        "Bad TeX",
        '<p><span class="arithmatex">@BAD0@</span></p>'  # no such command
        '<p><span class="arithmatex">@BAD1@</span></p>'  # unbalanced
        r'<p><span class="arithmatex">\(\frac{1}{x\)</span></p>',  # left raw
        KATEX,
    ),
    "katex-script.html": html("Script", FORMULAS, KATEX + KATEX_SCRIPT),
    "third-party.html": html(
        "Third party",
        '<img src="https://cdn.example.com/logo.png" alt="A logo">'
        '<script src="https://cdn.example.com/lib.js"></script>',
    ),
    "broken-image.html": html(
        "Broken", '<img src="missing.svg" alt="A missing figure">'
    ),
    "no-alt.html": html("No alt", '<img src="figure.svg">'),
    "console-error.html": html(
        "Console", '<script>console.error("boom"); undefinedFunction();</script>'
    ),
    # The slate palette, but the light image is the one displayed.
    "wrong-palette.html": html(
        "Palette", figure(), HIDE_DARK, body_attrs='data-md-color-scheme="slate"'
    ),
    "unsized.html": html("Unsized", figure(attrs=""), HIDE_DARK),
    # Sized, but the CSS scales the image to a shrink-to-fit box (a lazy one, below a tall
    # first screen, has no size of its own until it loads: resizing.svg is 40 x 20; a file
    # no other page shows, which the browser has not cached).
    "resizing.html": html(
        "Resizing",
        '<div style="height:8000px"></div>'
        + figure('width="80" height="40" loading="lazy"', src="resizing.svg"),
        HIDE_DARK
        + "<style>figure{width:fit-content;margin:0}figure img{width:100%;height:auto}</style>",
    ),
    "wide-formula.html": html(
        "Wide", WIDE, KATEX + '<link rel="stylesheet" href="assets/css/site.css">'
    ),
    "wide-formula-unboxed.html": html("Wide", WIDE, KATEX),
    # As wide as a phone's screen (the site's viewport tag), plus a box 600 px wide.
    "wide-box-phone.html": html(
        "Wide",
        '<div style="width:600px">wide</div>',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
    ),
    # One pixel wider than the screen, by a box no element check names (it sticks out
    # by 1 px only).
    "one-pixel-wide.html": html(
        "Wide",
        '<div style="position:absolute;left:0;width:calc(100vw + 1px)">wide</div>',
    ),
    "low-contrast.html": html(
        "Contrast", '<p style="color:#aaa;background:#fff">faint</p>'
    ),
    # Faint text over a pseudo-element as large as itself: axe's default leaves it
    # "incomplete" (needs review); pagecheck.AXE_CHECK_OPTIONS has it judged.
    "low-contrast-pseudo.html": html(
        "Contrast",
        '<p class="boxed" style="color:#aaa">faint</p>',
        "<style>.boxed{position:relative}.boxed::before{content:'';position:absolute;"
        "inset:0;background:#fff;z-index:-1}</style>",
    ),
}


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("synthetic")
    (root / "assets").symlink_to(pagecheck.ROOT / "docs" / "assets")
    (root / "figure.svg").write_text(FIGURE_SVG)
    (root / "resizing.svg").write_text(FIGURE_SVG)
    (root / "404.html").write_text(html("Not found", "<p>No such page.</p>"))
    (root / "sitemap.xml").write_text(
        f"<urlset><url><loc>{PUBLISHED}good.html</loc></url></urlset>"
    )
    with katex.Renderer() as renderer:
        for name, text in PAGES.items():
            if name in RENDERED:
                text = katex.render_page(text, renderer, name)
            for i, tex in enumerate(BAD_FORMULAS if name == "katex-error.html" else ()):
                shown = renderer.render_to_string(tex, throwOnError=False)
                text = text.replace(f"@BAD{i}@", shown)
            (root / name).write_text(text)
    return root


@pytest.fixture(scope="module")
def base_url(synthetic_site: Path):
    with pagecheck.serve(synthetic_site, "/prefix/", site_url=PUBLISHED) as url:
        yield url


@pytest.fixture(scope="module")
def page():
    with sync_playwright() as playwright, pagecheck.launch(playwright) as browser:
        context = browser.new_context()
        yield context.new_page()
        context.close()


def check(page, base_url: str, name: str, **kwargs) -> pagecheck.Report:
    return pagecheck.inspect(page, base_url + name, settle_ms=1000, **kwargs)


def test_clean_page_gives_clean_report(page, base_url: str) -> None:
    report = check(page, base_url, "good.html", axe=pagecheck.AXE_ALL)
    assert (report.arithmatex, report.katex) == (2, 2)
    for attribute in (
        "console_errors",
        "foreign_requests",
        "failed_requests",
        "raw_math",
        "katex_errors",
        "katex_scripts",
        "broken_images",
        "missing_alt",
        "wrong_palette_images",
        "unsized_figures",
        "resized_figures",
        "axe",
    ):
        assert getattr(report, attribute) == [], attribute


def test_formula_left_raw_is_caught(page, base_url: str) -> None:
    report = check(page, base_url, "raw-math.html")
    assert (report.arithmatex, report.katex, report.unrendered) == (2, 0, 2)
    assert any("\\(" in text for text in report.raw_math)
    assert any("\\[" in text for text in report.raw_math)


def test_katex_error_is_caught(page, base_url: str) -> None:
    report = check(page, base_url, "katex-error.html")
    assert report.katex_errors[0].startswith(
        "ParseError: KaTeX parse error: Unexpected end"
    )
    assert report.katex_errors[1:] == ["unsupported command \\sigmoid"]
    assert (report.arithmatex, report.katex, report.unrendered) == (3, 1, 2)
    assert any("\\frac{1}{x" in text for text in report.raw_math)


def test_katex_script_is_caught(page, base_url: str) -> None:
    report = check(page, base_url, "katex-script.html")
    assert report.katex_scripts == [base_url + "assets/vendor/katex/katex.min.js"]
    assert (report.arithmatex, report.katex) == (2, 2)  # rendered without it


def test_request_to_another_host_is_caught_at_once(page, base_url: str) -> None:
    start = time.monotonic()
    report = check(page, base_url, "third-party.html")
    assert time.monotonic() - start < 10, (
        "the resolver rule should fail foreign hosts at once"
    )
    assert sorted(report.foreign_requests) == [
        "https://cdn.example.com/lib.js",
        "https://cdn.example.com/logo.png",
    ]


def test_broken_image_is_caught(page, base_url: str) -> None:
    report = check(page, base_url, "broken-image.html")
    assert report.broken_images == ["missing.svg"]
    assert any("missing.svg -> HTTP 404" in f for f in report.failed_requests)


def test_image_without_alt_is_caught(page, base_url: str) -> None:
    report = check(page, base_url, "no-alt.html")
    assert report.missing_alt == ["figure.svg"] and report.broken_images == []


def test_console_error_and_uncaught_exception_are_caught(page, base_url: str) -> None:
    report = check(page, base_url, "console-error.html")
    assert report.console_errors[0] == "boom"
    assert "undefinedFunction" in report.console_errors[1]


def test_figure_in_the_wrong_palette_is_caught(page, base_url: str) -> None:
    report = check(page, base_url, "wrong-palette.html")
    assert report.scheme == "slate" and report.figures == 1
    assert report.wrong_palette_images == [
        "figure.svg#only-light (slate)",
        "figure.svg#only-dark (slate)",
    ]
    right = check(page, base_url, "good.html")
    assert right.figures == 1 and right.wrong_palette_images == []


def test_figure_whose_box_changes_as_it_loads_is_caught(page, base_url: str) -> None:
    report = check(page, base_url, "resizing.html")
    assert len(report.resized_figures) == 1, report.resized_figures
    assert report.resized_figures[0].startswith("resizing.svg#only-light ")
    assert report.resized_figures[0].endswith(" -> 40x20")
    assert check(page, base_url, "good.html").resized_figures == []


def test_figure_without_width_and_height_is_caught(page, base_url: str) -> None:
    report = check(page, base_url, "unsized.html")
    assert report.unsized_figures == ["figure.svg#only-light", "figure.svg#only-dark"]


def test_wide_formula_scrolls_in_its_box_on_a_phone(page, base_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        boxed = check(page, base_url, "wide-formula.html")  # with the site's CSS
        unboxed = check(page, base_url, "wide-formula-unboxed.html")
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})
    assert boxed.katex == 1 and boxed.overflow == []
    assert unboxed.katex == 1 and len(unboxed.overflow) >= 1, unboxed.overflow


def test_page_wider_than_a_phone_is_caught_on_a_phone(page, base_url: str) -> None:
    """On a phone (is_mobile, as the page check's dark pass loads pages) the browser zooms
    out to fit a page that is too wide, so innerWidth grows with it: the check compares
    with the layout viewport instead."""
    phone = page.context.browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        report = check(phone.new_page(), base_url, "wide-box-phone.html")
    finally:
        phone.close()
    assert report.overflow == ["div. (608 px > 390 px)"], report.overflow


def test_page_one_pixel_too_wide_is_caught(page, base_url: str) -> None:
    """Not even 1 px of sideways scroll, and the page is named when no element is."""
    report = check(page, base_url, "one-pixel-wide.html")
    width = page.viewport_size["width"]
    assert report.overflow == [f"the page ({width + 1} px wide > {width} px)"]


def test_low_contrast_is_caught_by_axe(page, base_url: str) -> None:
    for options in (pagecheck.AXE_ALL, pagecheck.AXE_COLOUR):
        report = check(page, base_url, "low-contrast.html", axe=options)
        assert [v.split(" ")[0] for v in report.axe] == ["color-contrast"]


def test_low_contrast_over_a_pseudo_element_is_caught(page, base_url: str) -> None:
    report = check(page, base_url, "low-contrast-pseudo.html", axe=pagecheck.AXE_COLOUR)
    assert [v.split(" ")[0] for v in report.axe] == ["color-contrast"]


def test_server_acts_like_the_host(base_url: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(base_url + pagecheck.MISSING, timeout=5)
    assert info.value.code == 404 and b"No such page." in info.value.read()
    with urllib.request.urlopen(base_url + "sitemap.xml", timeout=5) as response:
        assert (
            f"<loc>{base_url}good.html</loc>" in response.read().decode()
        )  # as if published
    outside = base_url.replace("/prefix/", "/good.html")  # only the prefix is served
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(outside, timeout=5)


def test_snippet_text_matches_what_pymdownx_snippets_includes(tmp_path: Path) -> None:
    source = textwrap.dedent(
        """\
        import torch
        # --8<-- [start:model]
        class Net:
            pass
        # --8<-- [end:model]
        if __name__ == "__main__":
            # --8<-- [start:run]
            net = Net()
            # --8<-- [start:inner]
            print(net)
            # --8<-- [end:inner]
            # --8<-- [end:run]
        """
    )
    (tmp_path / "demo.py").write_text(source)
    text = lambda ref: pagecheck.snippet_text(ref, bases=(tmp_path,))  # noqa: E731
    assert text("demo.py:model") == "class Net:\n    pass"
    assert (
        text("demo.py:run") == "net = Net()\nprint(net)"
    )  # dedented, nested markers dropped
    assert text("demo.py:1:1") == "import torch"
    assert "--8<--" not in text("demo.py") and text("demo.py").startswith(
        "import torch"
    )
    page = '--8<-- "NOTES.md"\n\n```python\n--8<-- "demo.py:model"\n```\n'
    assert pagecheck.page_includes(page) == ["demo.py:model"]  # code includes only
