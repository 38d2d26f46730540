"""What keeps the main thread busy while a page loads (issue 13's blocking time), by page.

    python scripts/mainthread.py [--runs 5] [--throttle 4] [site] [page ...]

Not a test: a measurement. Serves the built site gzip-compressed (scripts/benchmark.py's
``serve_gzip``) and, in the same run, the one-page plain Material floor site
(``benchmark.floor_site``), opens each page in headless Chromium with a phone's viewport
(412 x 823, as Lighthouse's mobile profile) and the CPU slowed ``--throttle`` times (as
Lighthouse slows it 4 times), waits for the load event and 1 s more, and prints Chromium's
own counters (the DevTools protocol's ``Performance.getMetrics``): the page's element
count, and the main thread's time in style recalculation, layout, script and all tasks, in
milliseconds, the median of ``--runs`` runs. The element count is deterministic; the
times move with the machine's load, so compare a page with the floor measured beside it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchmark import floor_site, serve_gzip  # noqa: E402

from sitecheck import pagecheck  # noqa: E402

PAGES = [
    "",
    "activations/sigmoid-tanh/",
    "activations/smooth-modern/",
    "architectures/autoencoders/",
    "architectures/cnn/",
]
METRICS = {
    "RecalcStyleDuration": "style",
    "LayoutDuration": "layout",
    "ScriptDuration": "script",
    "TaskDuration": "tasks",
}


def measure(url: str, browser, throttle: float) -> dict[str, float]:
    """One load of ``url``: element count and main-thread milliseconds by kind."""
    context = browser.new_context(
        viewport={"width": 412, "height": 823},
        device_scale_factor=1.75,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    page.goto(url, wait_until="load")
    page.wait_for_timeout(1000)
    metrics = {
        m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]
    }
    row = {name: 1000 * metrics[key] for key, name in METRICS.items()}
    row["elements"] = page.evaluate("document.getElementsByTagName('*').length")
    row["katex elements"] = page.evaluate(
        "Array.from(document.querySelectorAll('.katex'))"
        ".reduce((n, k) => n + k.getElementsByTagName('*').length + 1, 0)"
    )
    context.close()
    return row


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--throttle", type=float, default=4)
    parser.add_argument("site", nargs="?", default=str(ROOT / "site"))
    parser.add_argument("pages", nargs="*")
    args = parser.parse_args()
    pages = args.pages or PAGES
    with tempfile.TemporaryDirectory() as tmp:
        floor = floor_site(Path(tmp))
        servers = [serve_gzip(floor), serve_gzip(Path(args.site))]
        targets = [("floor", servers[0][1])] + [
            ("/" + p, servers[1][1] + p) for p in pages
        ]
        try:
            with (
                sync_playwright() as p,
                pagecheck.launch(p, pagecheck.FULL_CHROMIUM) as browser,
            ):
                runs: dict[str, list[dict[str, float]]] = {t: [] for t, _ in targets}
                for _ in range(args.runs):  # in turn, so load changes hit every page
                    for name, url in targets:
                        runs[name].append(measure(url, browser, args.throttle))
        finally:
            for server, _ in servers:
                server.shutdown()
    columns = ["elements", "katex elements", *METRICS.values()]
    print(f"CPU slowed {args.throttle:g}x, median of {args.runs} runs (ms)")
    print("| page | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for name, rows in runs.items():
        cells = [f"{statistics.median(r[c] for r in rows):,.0f}" for c in columns]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
