"""What each page transfers before the search index, by resource (issue 13's budget).

    python scripts/page_bytes.py [site] [page ...]

Not a test: a measurement. Serves the built site gzip-compressed (scripts/benchmark.py's
``serve_gzip``), opens each page in headless Chromium with a phone's viewport (412 x 823,
as Lighthouse's mobile profile), waits until the network is idle (and 2 s more, for
Material's late sitemap and favicon) and prints, per page, the bytes on the wire (headers
and gzip-compressed body) of every response but the search index, grouped by kind. Unlike
Lighthouse's scores on a shared machine, these bytes are the same from run to run; unlike
Lighthouse, it does not throttle, so a lazy figure near the screen may stay unloaded.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchmark import SEARCH_INDEX, serve_gzip  # noqa: E402

from sitecheck import pagecheck  # noqa: E402

PAGES = [
    "",
    "activations/sigmoid-tanh/",
    "activations/smooth-modern/",
    "activations/softmax/",
    "architectures/autoencoders/",
    "architectures/cnn/",
    "notebooks/cnn/",
    "about/testing/",
]


def kind(url: str) -> str:
    """The resource group a URL is counted in."""
    path = url.split("?")[0]
    name = path.rsplit("/", 1)[-1]
    if "/assets/vendor/katex/fonts/" in path or "/assets/katex-fonts/" in path:
        return "font " + name.removeprefix("KaTeX_").split(".")[0]
    if path.endswith((".woff2", ".woff", ".ttf")):
        return "font " + name
    if "/assets/javascripts/" in path:
        return "Material JS" if "workers" not in path else "Material search worker"
    if path.endswith(".js"):
        return "our JS"
    if path.endswith(".css"):
        if "/assets/stylesheets/" in path:
            return "Material CSS"
        return "KaTeX CSS" if "katex" in path else "our CSS"
    if path.endswith((".svg", ".png", ".jpg", ".webp", ".ico")):
        return "images"
    return "HTML" if path.endswith(("/", ".html")) else "other: " + name


def measure(url: str, browser) -> dict[str, int]:
    context = browser.new_context(
        viewport={"width": 412, "height": 823},
        device_scale_factor=1.75,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    sizes: dict[str, int] = defaultdict(int)

    def finished(request) -> None:
        if request.url.endswith(SEARCH_INDEX):
            return
        s = request.sizes()
        sizes[kind(request.url)] += s["responseBodySize"] + s["responseHeadersSize"]

    page.on("requestfinished", finished)
    page.goto(url, wait_until="networkidle")
    # Material asks for the sitemap (instant navigation) and the favicon late: wait for them.
    page.wait_for_timeout(2000)
    context.close()
    return dict(sizes)


def main() -> None:
    from playwright.sync_api import sync_playwright

    site = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"
    pages = sys.argv[2:] or PAGES
    server, base = serve_gzip(site)
    try:
        with sync_playwright() as p, pagecheck.launch(p) as browser:
            for path in pages:
                sizes = measure(base + path, browser)
                total = sum(sizes.values())
                print(f"\n/{path}: {total / 1000:.1f} KB before the search index")
                for name, n in sorted(sizes.items(), key=lambda kv: -kv[1]):
                    print(f"  {name:32} {n / 1000:7.1f} KB")
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
