"""Screenshots of every built page, light and dark, at desktop (1280 px) and phone (390 px) width.

    python scripts/screenshots.py [--site DIR] [--out screenshots]

Builds the site strictly into a temporary folder (unless --site names a built one), serves it
on 127.0.0.1 the way the browser tests do, and writes full-page PNGs named
``<page>--<light|dark>--<desktop|phone>.png`` into ``screenshots/`` (gitignored). CI uploads
the folder as an artifact on pull requests, so a reviewer can look at a change.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the repository's packages: sitecheck

from playwright.sync_api import sync_playwright  # noqa: E402
from sitebuild import build_site  # noqa: E402

from sitecheck import pagecheck  # noqa: E402

WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
PALETTES = ("light", "dark")


def file_stem(path: str) -> str:
    return path.strip("/").replace("/", "_") or "home"


def take(site: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    paths = pagecheck.built_pages(site)
    with (
        sync_playwright() as playwright,
        pagecheck.launch(playwright) as browser,
        pagecheck.serve_site(site) as base,
    ):
        for palette in PALETTES:
            for device, (width, height) in WIDTHS.items():
                context = browser.new_context(
                    color_scheme=palette,
                    viewport={"width": width, "height": height},
                    device_scale_factor=1,
                    is_mobile=device == "phone",
                    has_touch=device == "phone",
                )
                page = context.new_page()
                for path in paths:
                    report = pagecheck.inspect(page, base + path)
                    if report.unrendered or report.broken_images:
                        print(
                            f"warning: /{path} {palette} {device}: {report}",
                            file=sys.stderr,
                        )
                    target = out / f"{file_stem(path)}--{palette}--{device}.png"
                    page.screenshot(path=str(target), full_page=True)
                    written.append(target)
                context.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--site", type=Path, help="an already built site (default: build one)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="site-") as tmp:
        site = args.site or build_site(Path(tmp) / "site")
        written = take(site, args.out)
    print(f"{len(written)} screenshots in {args.out}")


if __name__ == "__main__":
    main()
