"""Screenshots of activation explorers in the built site, at 1280 px (light) and 390 px
(dark), for a reviewer to look at: ``.venv/bin/python scripts/explorer_screenshots.py OUT``
after ``mkdocs build``. Writes OUT/<key>-<palette>-<width>.png."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

from playwright.sync_api import sync_playwright  # noqa: E402

from sitecheck import pagecheck  # noqa: E402

SHOTS = (
    ("elu", "activations/relu-family/#explore=elu&alpha=0.5&range=-4,4"),
    ("relu", "activations/explorer/"),
    ("softmax", "activations/softmax/"),
)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    site = pagecheck.ROOT / "site"
    with (
        pagecheck.serve_site(site) as base,
        sync_playwright() as pw,
        pagecheck.launch(pw) as browser,
    ):
        for scheme, width in (
            ("light", 1280),
            ("dark", 390),
            ("dark", 1280),
            ("light", 390),
        ):
            context = browser.new_context(
                color_scheme=scheme, viewport={"width": width, "height": 900}
            )
            page = context.new_page()
            for key, path in SHOTS:
                page.goto(base + path)
                sel = f'.dlg-explorer[data-explorer="{key}"]'
                page.locator(sel).evaluate(
                    "e => e.previousElementSibling.scrollIntoView()"
                )
                page.wait_for_selector(sel + " canvas", timeout=15_000)
                canvas = page.locator(sel + " canvas")
                canvas.focus()
                for _ in range(5):
                    page.keyboard.press("ArrowRight")
                page.locator(sel).evaluate("e => e.scrollIntoView()")
                page.evaluate("window.scrollBy(0, -80)")
                page.locator(sel).screenshot(
                    path=str(out / f"{key}-{scheme}-{width}.png")
                )
            context.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
