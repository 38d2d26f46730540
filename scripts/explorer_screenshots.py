"""Screenshots of the activation explorer in the built site, at 1280 and 390 px in both
palettes: ELU with one function overlaid, and softmax. README.md shows them from
.github/screenshots/explorer/ (not under docs/, so the site does not ship them).

    .venv/bin/mkdocs build && .venv/bin/python scripts/explorer_screenshots.py [OUT]

writes OUT/<name>-<palette>-<width>.png (OUT defaults to .github/screenshots/explorer).
Each page is put in its palette as a reader would: the browser states the preference
(as tests/browser does), and if Material shows the other scheme (a palette stored from
an earlier choice) the header's palette toggle is clicked until it shows this one; the
script fails if it cannot.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

from playwright.sync_api import sync_playwright  # noqa: E402

from sitecheck import pagecheck  # noqa: E402

OUT = pagecheck.ROOT / ".github" / "screenshots" / "explorer"
SHOTS = (
    (
        "elu",
        "elu",
        "activations/relu-family/#explore=elu&alpha=0.5&range=-4,4&compare=gelu",
    ),
    (
        "softmax",
        "softmax",
        "activations/softmax/#explore=softmax&T=1.5&logits=2,1,0.1,-1",
    ),
)
SCHEMES = {"light": "default", "dark": "slate"}  # palette -> Material's scheme


def put_in_palette(page, palette: str) -> None:
    """Click Material's palette toggle until the page shows ``palette``'s scheme."""
    want = SCHEMES[palette]
    for _ in range(3):
        if page.evaluate("document.body.dataset.mdColorScheme") == want:
            return
        page.locator("form[data-md-component=palette] label:visible").first.click()
    scheme = page.evaluate("document.body.dataset.mdColorScheme")
    if scheme != want:
        raise SystemExit(f"could not put the page in the {palette} palette ({scheme})")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    site = pagecheck.ROOT / "site"
    with (
        pagecheck.serve_site(site) as base,
        sync_playwright() as pw,
        pagecheck.launch(pw) as browser,
    ):
        for palette in SCHEMES:
            for width in (1280, 390):
                context = browser.new_context(
                    color_scheme=palette, viewport={"width": width, "height": 900}
                )
                page = context.new_page()
                for name, key, path in SHOTS:
                    page.goto(base + path)
                    put_in_palette(page, palette)
                    # the "back to top" button would cover the explorer's title
                    page.add_style_tag(content=".md-top { display: none !important; }")
                    sel = f'.dlg-explorer[data-explorer="{key}"]'
                    page.locator(sel).evaluate(
                        "e => e.previousElementSibling.scrollIntoView()"
                    )
                    page.wait_for_selector(sel + " canvas", timeout=15_000)
                    if key != "softmax":  # a point under the keyboard cursor
                        page.locator(sel + " canvas").focus()
                        for _ in range(15):
                            page.keyboard.press("ArrowLeft")
                        page.locator(sel + " canvas").blur()
                    page.locator(sel).scroll_into_view_if_needed()
                    page.locator(sel).screenshot(
                        path=str(out / f"{name}-{palette}-{width}.png")
                    )
                context.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
