"""Performance budget: Lighthouse scores, page weight, build time and test time, as Markdown.

    python scripts/benchmark.py [--runs 3] [--every-page] [--skip-tests | --tests-only]
    (make benchmark)

Not a test: timings depend on the machine. It works on a fresh clone of the committed HEAD (no
caches, no built site, no executed notebooks: what CI starts from) and measures

- the cold ``mkdocs build --strict`` time, then a contributor's loop on that clone (issue
  14; ``--rebuilds-only`` measures just this): the same command again with no change, after
  a prose edit, after editing one architecture snippet and after editing one activation
  entry; and a prose edit under ``mkdocs serve`` (``make serve``), from saving the file to
  the served page showing it;
- Lighthouse 12.8.2 (mobile profile, the default) on one page of each type (home, the
  activations overview, an activation page, an architecture page, a notebook page, an about
  page; ``--every-page``: every built page) beside a plain Material floor page built in the
  same run: performance, accessibility, best-practices and SEO, median of
  ``--runs`` runs, with the bytes transferred and the request count of the median run, served
  gzip-compressed as GitHub Pages serves (a small static server below); and each run's
  score, marked where its first paint came after the load event, beside its longest
  main-thread task before the first paint (what decides that delay; see the README);
- a reader's copy of each page: its Python blocks from the built HTML, run in page order in
  one fresh interpreter on one CPU thread (sitecheck/pagecode.py; the tests check that it runs,
  this says how long it takes: wall time, and CPU time, target under 10 s a page);
  ``--copies-only`` measures just this, on a build of the working tree;
- each architecture script (snippets/architectures/*.py) run as a reader runs it,
  ``python <script>`` in a fresh interpreter on one CPU thread: wall and CPU time, and the
  CPU time beyond a bare start-up (Python importing torch), target under 5 s (the
  contributing guide's rule); ``--snippets-only`` measures just this;
- what blocks the main thread (issue 13): each of those pages loaded in headless Chromium
  at Lighthouse's mobile CPU slowdown (4x) in a phone's viewport, traced: milliseconds of
  style and layout, blocking time (each task's time beyond 50 ms, from the start of the load
  to 3 s after it), and the script functions that forced the most style and layout, median
  of ``--runs`` interleaved loads. Lighthouse's own blocking time is simulated from a single
  load and moves more between runs; ``--main-thread-only`` measures just this, on a build of
  the working tree (for an A/B: ``--site DIR`` measures a built site instead);
- the whole test command (``make test``) on the same clone, cold again (the build's caches
  and executed notebooks removed first, as on CI; the virtual environment is installed),
  unless ``--skip-tests``; ``--tests-only`` measures just this.

Lighthouse is installed on first use into .cache/lighthouse (gitignored) with npm, pinned;
Lighthouse 13 needs Node 22. It runs in the full browser, /usr/bin/chromium (or $CHROMIUM:
``pagecheck.FULL_CHROMIUM``), as do the main-thread traces.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the repository's packages: sitecheck

from sitecheck import pagecheck, pagecode  # noqa: E402

LIGHTHOUSE_VERSION = "12.8.2"
LIGHTHOUSE_DIR = ROOT / ".cache" / "lighthouse"
LIGHTHOUSE_BIN = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
LATE_PAINT = "†"  # marks a Lighthouse run whose first paint came after the load event
BYTES_BUDGET = 1_000_000  # per page, before the search index
# Issue 13's tighter budgets (bytes before the search index) by the page's first folder:
# the activation pages, the architecture pages and the notebook pages, in both the page
# types' run and --every-page.
FOLDER_BUDGETS = {
    "activations/": 150_000,
    "architectures/": 200_000,
    "notebooks/": 200_000,
}
BUILD_BUDGET_S = 60  # issue 14: cold build on 2 cores
TEST_BUDGET_S = 300
COPY_BUDGET_S = 10  # a reader's copy of one page, one CPU thread
# CONTRIBUTING.md: an architecture snippet's `__main__` demo runs in under this on one CPU
# core, in a fresh Python as a reader runs it (tests/test_contributing.py keeps them equal).
SNIPPET_BUDGET_S = 5
SNIPPET_BUDGETS_S = {"language.py": 30}  # the guide's one exception, by script name
SEARCH_INDEX = "search/search_index.json"
GZIP_TYPES = (
    "text/",
    "application/javascript",
    "application/json",
    "application/xml",
    "image/svg+xml",
)


# ---------------------------------------------------------------------------------------
# A cold copy, its build and its tests
# ---------------------------------------------------------------------------------------


def cold_copy(target: Path) -> Path:
    """A fresh clone of the committed HEAD in ``target`` (no .cache, no site/, no executed
    notebooks), with the virtual environment linked in. Commit before benchmarking."""
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run(["git", "checkout", "--quiet", head], cwd=target, check=True)
    # Keep requirements.txt's time, so make does not reinstall into the (shared) venv.
    stat = (ROOT / "requirements.txt").stat()
    os.utime(target / "requirements.txt", (stat.st_atime, stat.st_mtime))
    (target / ".venv").symlink_to((ROOT / ".venv").resolve())
    return target


# A contributor's loop (issue 14): rebuilds of a warm clone after one kind of edit each.
# (label, file edited or None, target in seconds)
REBUILDS = (
    ("no change", None, 8),
    ("prose edit (`docs/architectures/gan.md`)", "docs/architectures/gan.md", 3),
    (
        "one architecture snippet (`snippets/architectures/gan.py`)",
        "snippets/architectures/gan.py",
        20,
    ),
    (
        "one activation entry (`docs_build/chapters/activations/__init__.py`)",
        "docs_build/chapters/activations/__init__.py",
        20,
    ),
)


def rebuild_rows(copy: Path) -> list[str]:
    """Time ``mkdocs build --strict`` on a clone whose caches a build has filled, after
    each edit in ``REBUILDS`` (a comment appended, which changes the file's hash)."""
    rows = []
    for label, edited, target in REBUILDS:
        if edited:
            path = copy / edited
            comment = (
                "<!-- benchmark -->\n" if path.suffix == ".md" else "# benchmark\n"
            )
            path.write_text(
                path.read_text(encoding="utf-8") + comment, encoding="utf-8"
            )
        print(f"rebuild after {label} ...", file=sys.stderr)
        seconds, ok = timed([str(copy / ".venv/bin/mkdocs"), "build", "--strict"], copy)
        rows.append(
            f"| rebuild after {label} | {seconds:.1f} s{mark(ok and seconds < target)} "
            f"| < {target} s |"
        )
    return rows


# A prose edit under `mkdocs serve` (`make serve`): from saving the file to the served page
# showing the edit. (file edited, its page's path under the site, target in seconds, edits)
SERVE_EDIT = ("docs/architectures/gan.md", "architectures/gan/", 3, 3)


def serve_row(copy: Path) -> str:
    """Start ``mkdocs serve`` on the clone (its first build is warm), then append a new
    paragraph to a page ``SERVE_EDIT[3]`` times, one after the other, and time each from
    the write to the served page holding the paragraph: the median, and every run."""
    edited, url_path, target, edits = SERVE_EDIT
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen(
        [str(copy / ".venv/bin/mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=copy,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    threading.Thread(
        target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True
    ).start()
    url = f"http://127.0.0.1:{port}{pagecheck.site_prefix()}{url_path}"
    times: list[float] = []
    failed = (
        f"| prose edit under `mkdocs serve` (`{edited}`) | failed ✗ | < {target} s |"
    )
    try:
        deadline = time.monotonic() + 600
        while not any("Serving on" in line for line in lines):
            if proc.poll() is not None or time.monotonic() > deadline:
                print(
                    "mkdocs serve did not start:\n" + "".join(lines[-40:]),
                    file=sys.stderr,
                )
                return failed
            time.sleep(0.2)
        path = copy / edited
        for i in range(edits):
            marker = f"benchmark-edit-{i}-{time.time_ns()}"
            print(f"prose edit under serve, {i + 1} of {edits} ...", file=sys.stderr)
            start = time.perf_counter()
            path.write_text(
                path.read_text(encoding="utf-8") + f"\n\n{marker}\n", encoding="utf-8"
            )
            while marker not in _fetch(url):
                if proc.poll() is not None or time.perf_counter() - start > 300:
                    print("".join(lines[-40:]), file=sys.stderr)
                    return failed
                time.sleep(0.05)
            times.append(time.perf_counter() - start)
            # Let the server settle (a second file event, the browsers' reload).
            time.sleep(2)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    median = statistics.median(times)
    runs = ", ".join(f"{t:.1f}" for t in times)
    return (
        f"| prose edit under `mkdocs serve` (`{edited}`), save to page shown, median of "
        f"{edits} ({runs} s) | {median:.1f} s{mark(median < target)} | < {target} s |"
    )


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:  # not served yet, or the server is busy rebuilding
        return ""


def timed(
    command: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, bool]:
    """Run ``command``; return its wall time in seconds and whether it passed (its output's
    tail goes to stderr when it failed)."""
    env = {**(os.environ if env is None else env), "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    proc = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        print(
            f"{' '.join(command)} failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}",
            file=sys.stderr,
        )
    return seconds, proc.returncode == 0


# ---------------------------------------------------------------------------------------
# A gzip-capable static server (GitHub Pages compresses text responses)
# ---------------------------------------------------------------------------------------


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_prefix__")
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the base class redirects to the slash form
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not path.is_file() or not wants_gzip or not ctype.startswith(GZIP_TYPES):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        self.end_headers()
        return _BytesFile(body)


class _BytesFile:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *_: object) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def serve_gzip(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    prefix = pagecheck.site_prefix()
    handler = type("Handler", (GzipHandler,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a: handler(*a, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix}"


# ---------------------------------------------------------------------------------------
# The main thread, traced
# ---------------------------------------------------------------------------------------

SLOWDOWN = 4  # Lighthouse's mobile CPU throttling
PHONE = {  # Lighthouse's mobile viewport (a Moto G Power)
    "viewport": {"width": 412, "height": 823},
    "device_scale_factor": 1.75,
    "is_mobile": True,
    "has_touch": True,
}
TRACE_CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "disabled-by-default-devtools.timeline.stack",
]
STYLE_AND_LAYOUT = ("UpdateLayoutTree", "Layout")
LONG_TASK_MS = 50


def main_thread(browser, url: str) -> dict:
    """One load of ``url`` at SLOWDOWN in a phone's viewport, traced until 3 s after its
    load event: {"style_layout": ms, "blocking": ms, "forced": {function: ms}}."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    context.new_cdp_session(page).send(
        "Emulation.setCPUThrottlingRate", {"rate": SLOWDOWN}
    )
    browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(3000)
    trace = json.loads(browser.stop_tracing())
    context.close()
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    # The page's main thread: the one that laid it out.
    threads: dict[tuple[int, int], int] = {}
    for e in events:
        if e.get("name") == "Layout":
            key = (e["pid"], e["tid"])
            threads[key] = threads.get(key, 0) + 1
    if not threads:
        raise RuntimeError(f"{url}: the trace holds no layout (did the page load?)")
    main = max(threads, key=threads.get)
    style_layout = blocking = 0.0
    forced: dict[str, float] = {}
    for e in events:
        if (e.get("pid"), e.get("tid")) != main or "dur" not in e:
            continue
        ms = e["dur"] / 1000
        if e["name"] == "RunTask":
            blocking += max(0.0, ms - LONG_TASK_MS)
        elif e["name"] in STYLE_AND_LAYOUT:
            style_layout += ms
            args = e.get("args", {})
            stack = (args.get("beginData") or {}).get("stackTrace") or (
                args.get("data") or {}
            ).get("stackTrace")
            if stack:
                top = stack[0]
                where = f"{top.get('functionName') or '(anonymous)'} in "
                where += top.get("url", "").rsplit("/", 1)[-1] or "?"
                forced[where] = forced.get(where, 0.0) + ms
    return {"style_layout": style_layout, "blocking": blocking, "forced": forced}


def main_thread_rows(targets: dict[str, str], runs: int) -> list[str]:
    """A Markdown table: each page's main-thread work at SLOWDOWN, median of ``runs``
    loads taken in turn (a busy minute on a shared machine hits every page)."""
    from playwright.sync_api import sync_playwright

    loads: dict[str, list[dict]] = {name: [] for name in targets}
    with (
        sync_playwright() as playwright,
        pagecheck.launch(playwright, pagecheck.FULL_CHROMIUM) as browser,
    ):
        for i in range(runs):
            for name, url in targets.items():
                print(f"trace {name} run {i + 1} ...", file=sys.stderr)
                loads[name].append(main_thread(browser, url))
    rows = [
        f"Main thread at {SLOWDOWN}x CPU slowdown in a phone's viewport, median of {runs} "
        "loads (headless Chromium):\n",
        "| page | style and layout | blocking (beyond 50 ms a task) | "
        "most style and layout forced by |",
        "|---|---|---|---|",
    ]
    for name, traced in loads.items():
        forced: dict[str, list[float]] = {}
        for t in traced:
            for where, ms in t["forced"].items():
                forced.setdefault(where, []).append(ms)
        top = sorted(forced, key=lambda w: -sum(forced[w]))[:3]
        rows.append(
            f"| {name} | {statistics.median(t['style_layout'] for t in traced):,.0f} ms"
            f" | {statistics.median(t['blocking'] for t in traced):,.0f} ms | "
            + ", ".join(f"{w} ({sum(forced[w]) / runs:,.0f} ms)" for w in top)
            + " |"
        )
    return rows


# ---------------------------------------------------------------------------------------
# Lighthouse
# ---------------------------------------------------------------------------------------


def ensure_lighthouse() -> Path:
    if not LIGHTHOUSE_BIN.exists():
        print(
            f"installing lighthouse@{LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR}",
            file=sys.stderr,
        )
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(LIGHTHOUSE_DIR),
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ],
            check=True,
        )
    return LIGHTHOUSE_BIN


def lighthouse(url: str, out: Path) -> dict:
    """One Lighthouse run (mobile); returns scores, bytes and requests."""
    # Lighthouse splits --chrome-flags before each "--", so the resolver rule's spaces are fine.
    flags = " ".join(pagecheck.CHROMIUM_ARGS)
    env = {**os.environ, "CHROME_PATH": pagecheck.FULL_CHROMIUM}
    subprocess.run(
        [
            str(LIGHTHOUSE_BIN),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={flags}",
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    report = json.loads(out.read_text())
    items = report["audits"]["network-requests"]["details"]["items"]
    search = sum(
        i.get("transferSize", 0) for i in items if i["url"].endswith(SEARCH_INDEX)
    )
    total = sum(i.get("transferSize", 0) for i in items)
    hosts = {urlsplit(i["url"]).hostname for i in items if i["url"].startswith("http")}
    return {
        **{c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES},
        **first_paint(report),
        "layout_shift": report["audits"]["cumulative-layout-shift"]["numericValue"],
        "shifted": layout_shifts(report),
        "bytes": total,
        "bytes_before_search": total - search,
        "requests": len(items),
        "foreign_hosts": sorted(h for h in hosts if h not in pagecheck.LOCAL_HOSTS),
        "failed": [a for c in CATEGORIES[1:] for a in _failed_audits(report, c)],
    }


def layout_shifts(report: dict) -> list[str]:
    """What moved in a Lighthouse run, one line per shift it scored: the element's CSS
    selector, its text as Lighthouse quotes it, and the shift's score (a CLS above 0 on a
    page is then something to look up, not to reproduce: the shifts seen so far were rare,
    2 or 3 runs in 100)."""
    items = (
        report["audits"].get("layout-shifts", {}).get("details", {}).get("items", [])
    )
    out = []
    for item in items:
        node = item.get("node") or {}
        label = (node.get("nodeLabel") or "").replace("\n", " ")[:60]
        out.append(f"{node.get('selector', '?')} [{label}] {item.get('score', 0):.2g}")
    return out


def bytes_budget(path: str) -> int:
    """Bytes the page at ``path`` may transfer before the search index: its folder's
    budget, or the budget of every page."""
    return FOLDER_BUDGETS.get(path.split("/", 1)[0] + "/", BYTES_BUDGET)


def report_name(page: str, run: int) -> str:
    """A file name for one Lighthouse report: with ``--every-page`` a page's name is its
    path (``/about/changelog/``), whose slashes would name folders that do not exist."""
    slug = "".join(c if c.isalnum() else "-" for c in page).strip("-") or "home"
    return f"{run}-{slug}.json"


def first_paint(report: dict) -> dict:
    """When the page was first drawn in this run, from a Lighthouse report: whether the
    observed first paint came after the load event (Chromium's compositor then waited
    about a second to draw; see the README) and the longest main-thread task that began
    before that paint, in ms (in the README's runs, no run with a task under 100 ms was
    delayed)."""
    metrics = report["audits"]["metrics"]["details"]["items"][0]
    painted = metrics["observedFirstContentfulPaint"]
    tasks = report["audits"]["main-thread-tasks"]["details"]["items"]
    return {
        "paint_after_load": painted > metrics["observedLoad"],
        "task_before_paint": max(
            (t["duration"] for t in tasks if t["startTime"] < painted), default=0.0
        ),
    }


def _failed_audits(report: dict, category: str) -> list[str]:
    refs = report["categories"][category]["auditRefs"]
    return [
        f"{category}:{r['id']}"
        for r in refs
        if r.get("weight", 0) > 0 and (report["audits"][r["id"]].get("score") or 0) < 1
    ]


def median_run(runs: list[dict]) -> dict:
    """Median of each score; bytes and requests of the run with the median performance."""
    ordered = sorted(runs, key=lambda r: r["performance"])
    middle = dict(ordered[len(ordered) // 2])
    for c in CATEGORIES:
        middle[c] = statistics.median(r[c] for r in runs)
    middle["all_performance"] = [
        f"{r['performance']}{LATE_PAINT if r['paint_after_load'] else ''}" for r in runs
    ]
    middle["all_task_before_paint"] = [round(r["task_before_paint"]) for r in runs]
    middle["worst_layout_shift"] = max(r["layout_shift"] for r in runs)
    return middle


def pick_pages(site: Path, every_page: bool = False) -> dict[str, str]:
    """One page of each type (when the site has it): the slowest kinds first; with
    ``every_page``, every page of the built site (the issue's target is on every page),
    named by its path."""
    if every_page:
        pages = pagecheck.built_pages(site)
        return {f"/{path}": path for path in pages if path != pagecheck.MISSING}
    candidates = {
        "home": "",
        "activations overview": "activations/",
        "activation page (math)": "activations/sigmoid-tanh/",
        "architecture page": "architectures/autoencoders/",
        "notebook page": "notebooks/cnn/",
        "about page": "about/testing/",
    }
    return {
        name: path
        for name, path in candidates.items()
        if (site / path / "index.html").is_file()
    }


FLOOR_PAGE = """# A plain page

Material for MkDocs with this site's theme settings and nothing else: no formulas, no
figures, no code, no scripts of ours. It is the floor the real pages are measured against.

## A second heading

Some more text, so that the page has a body to paint.
"""


def floor_site(tmp: Path) -> Path:
    """A one-page Material site with the same theme settings (palette, features, font)
    and site_url as ours, built now: what any page of ours costs at least."""
    from mkdocs.utils import yaml_load

    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as f:
        ours = yaml_load(f)
    theme = {k: v for k, v in ours["theme"].items() if k != "custom_dir"}
    root = tmp / "floor"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text(FLOOR_PAGE, encoding="utf-8")
    config = {
        "site_name": ours["site_name"],
        "site_url": ours["site_url"],
        "theme": theme,
        "plugins": ["search"],
    }
    (root / "mkdocs.yml").write_text(
        json.dumps(config), encoding="utf-8"
    )  # JSON is YAML
    subprocess.run(
        [str(ROOT / ".venv/bin/mkdocs"), "build", "-q"], cwd=root, check=True
    )
    return root / "site"


def site_bytes(site: Path) -> tuple[int, int]:
    """The built site's size on disk and gzip-compressed as a host would serve it."""
    raw = packed = 0
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            raw += len(data)
            packed += len(gzip.compress(data, compresslevel=6))
    return raw, packed


# ---------------------------------------------------------------------------------------


def mark(ok: bool) -> str:
    return "" if ok else " ✗"


def test_row(seconds: float, passed: bool) -> str:
    outcome = "" if passed else " (FAILED)"
    return (
        f"| `make test` (fresh clone, cold, installed) | {seconds:.0f} s{outcome}"
        f"{mark(seconds < TEST_BUDGET_S)} | < {TEST_BUDGET_S} s on {os.cpu_count()} cores |"
    )


def copy_rows(site: Path) -> list[str]:
    """How long a reader's copy of each page runs, one page at a time, one CPU thread: wall
    time, and the CPU time (user + system) the budget is for, since the machine may be
    shared and a busy one inflates wall time."""
    rows = []
    for html in sorted(site.rglob("index.html")):
        blocks = pagecode.python_blocks(html.read_text(encoding="utf-8"))
        if not blocks or "notebooks" in html.relative_to(site).parts:
            continue
        print(f"copy of /{html.parent.relative_to(site)} ...", file=sys.stderr)
        run = pagecode.run_copied(blocks)
        path = html.parent.relative_to(site).as_posix()
        outcome = "" if run.ok else " (FAILED)"
        rows.append(
            f"| `/{'' if path == '.' else path + '/'}` | {run.blocks} | "
            f"{run.seconds:.1f} s{outcome} | "
            f"{run.cpu_seconds:.1f} s{mark(run.ok and run.cpu_seconds < COPY_BUDGET_S)} |"
        )
    return [
        f"\n| a reader's copy of the page | Python blocks | wall time | CPU time (target < "
        f"{COPY_BUDGET_S} s) |",
        "|---|---|---|---|",
        *rows,
    ]


def timed_cpu(
    command: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, float, bool]:
    """Wall and CPU time (user + system, with every process it waited for: a build's
    workers and notebook kernels) of ``command``, and whether it passed. On a shared
    machine the CPU time is the steadier number."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds, ok = timed(command, cwd, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return seconds, cpu, ok


def timed_python(args: list[str], cwd: Path) -> tuple[float, float, bool]:
    """Wall and CPU time (user + system) of ``python *args`` in a fresh interpreter on one
    CPU thread, and whether it passed."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
    return timed_cpu([sys.executable, *args], cwd, env=env)


def snippet_rows(root: Path = ROOT) -> list[str]:
    """Each architecture script's ``__main__`` as a reader runs it, ``python <script>`` in a
    fresh interpreter on one CPU thread: its wall time, its CPU time, and its CPU time beyond
    a bare start-up (a fresh Python that imports torch, numpy and matplotlib), which the
    guide's budget is for. On one thread, CPU time is the time on one core that the guide
    means, and a busy shared machine inflates it far less than wall time."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="benchmark-snippet-") as scratch:
        bare = ["-c", "import matplotlib.pyplot, numpy, torch"]
        start_up, start_up_cpu, _ = timed_python(bare, Path(scratch))
        for script in sorted((root / "snippets" / "architectures").glob("*.py")):
            print(f"python {script.relative_to(root)} ...", file=sys.stderr)
            seconds, cpu, ok = timed_python([str(script)], Path(scratch))
            beyond = cpu - start_up_cpu
            budget = SNIPPET_BUDGETS_S.get(script.name, SNIPPET_BUDGET_S)
            outcome = "" if ok else " (FAILED)"
            rows.append(
                f"| `{script.relative_to(root).as_posix()}` | {seconds:.1f} s{outcome} | "
                f"{cpu:.1f} s | {beyond:.1f} s{mark(ok and beyond < budget)}"
                + (f" (target < {budget} s)" if budget != SNIPPET_BUDGET_S else "")
                + " |"
            )
    return [
        f"\n| `python <script>`, fresh, one CPU thread | wall time | CPU time | CPU time "
        f"beyond start-up (target < {SNIPPET_BUDGET_S} s) |",
        "|---|---|---|---|",
        f"| start-up alone: `python {' '.join(bare)}` | {start_up:.1f} s | "
        f"{start_up_cpu:.1f} s | |",
        *rows,
    ]


def build_working_tree(site: Path) -> Path:
    """``mkdocs build --strict`` of the working tree (its caches warm) into ``site``."""
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "-q",
        "-d",
        str(site),
    ]
    subprocess.run(command, cwd=ROOT, check=True)
    return site


def main() -> None:
    # What it times runs as `make` runs it, with Python allowed to write bytecode: run
    # directly with PYTHONDONTWRITEBYTECODE set (as on this machine), every process of a
    # build compiled again what no earlier process had written (2026-12-07, one clone, a
    # new virtual environment, two cold builds in turn: 91.5 s and 167 CPU-s with the
    # variable set, 81.3 s and 148 CPU-s without it).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--every-page",
        action="store_true",
        help="Lighthouse on every built page, not one page of each type (slow)",
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--skip-tests", action="store_true", help="do not time make test"
    )
    which.add_argument(
        "--tests-only", action="store_true", help="time make test, nothing else"
    )
    which.add_argument(
        "--rebuilds-only",
        action="store_true",
        help="time a cold build and the rebuilds after one edit each, nothing else",
    )
    which.add_argument(
        "--snippets-only",
        action="store_true",
        help="time each architecture script's demo in a fresh Python, nothing else",
    )
    which.add_argument(
        "--main-thread-only",
        action="store_true",
        help="trace each page type's main thread at 4x CPU slowdown, nothing else",
    )
    parser.add_argument(
        "--site",
        type=Path,
        action="append",
        help="with --main-thread-only: a built site to measure, instead of a build of "
        "the working tree; given twice or more, the sites' pages are loaded in turn (an "
        "A/B of a change)",
    )
    which.add_argument(
        "--copies-only",
        action="store_true",
        help="time each page's copied code blocks on a build of the working tree",
    )
    args = parser.parse_args()
    if args.snippets_only:
        print("\n".join(snippet_rows()))
        return
    if args.copies_only:
        with tempfile.TemporaryDirectory(prefix="benchmark-") as tmp:
            print("\n".join(copy_rows(build_working_tree(Path(tmp) / "site"))))
        return
    if args.main_thread_only:
        with tempfile.TemporaryDirectory(prefix="benchmark-") as tmp:
            sites = args.site or [build_working_tree(Path(tmp) / "site")]
            servers = [serve_gzip(floor_site(Path(tmp)))]
            targets = {"floor (plain Material page)": servers[0][1]}
            try:
                for site in sites:
                    servers.append(serve_gzip(site))
                    pages = pick_pages(site, args.every_page).items()
                    label = f" ({site})" if len(sites) > 1 else ""
                    targets |= {n + label: servers[-1][1] + p for n, p in pages}
                if len(sites) > 1:  # each page of every site in turn
                    targets = dict(sorted(targets.items(), key=lambda t: t[0]))
                print("\n".join(main_thread_rows(targets, args.runs)))
            finally:
                for server, _ in servers:
                    server.shutdown()
        return
    if args.rebuilds_only:
        with tempfile.TemporaryDirectory(prefix="benchmark-") as tmp:
            copy = cold_copy(Path(tmp) / "clone")
            build_s, build_cpu, built = timed_cpu(
                [str(copy / ".venv/bin/mkdocs"), "build", "--strict"], copy
            )
            print("| measure | value | target |\n|---|---|---|")
            print(
                f"| cold `mkdocs build --strict` | {build_s:.1f} s"
                f"{mark(built and build_s < BUILD_BUDGET_S)} ({build_cpu:.0f} CPU-s) "
                f"| < {BUILD_BUDGET_S} s |"
            )
            print("\n".join(rebuild_rows(copy)))
            print(serve_row(copy))
        return
    if args.tests_only:
        with tempfile.TemporaryDirectory(prefix="benchmark-") as tmp:
            test_s, passed = timed(["make", "test"], cold_copy(Path(tmp) / "clone"))
        print("| measure | value | target |\n|---|---|---|")
        print(test_row(test_s, passed))
        return
    ensure_lighthouse()
    with tempfile.TemporaryDirectory(prefix="benchmark-") as tmp:
        copy = cold_copy(Path(tmp) / "clone")
        site = copy / "site"
        print("cold build ...", file=sys.stderr)
        build_s, build_cpu, built = timed_cpu(
            [str(copy / ".venv/bin/mkdocs"), "build", "--strict"], copy
        )
        if not built:
            sys.exit("the cold build failed; nothing to measure")
        copies = copy_rows(site)
        snippets = snippet_rows(copy)
        rebuilds = rebuild_rows(copy)  # ends with the site of the last edit: same pages
        rebuilds.append(serve_row(copy))  # serve builds into a folder of its own
        floor = floor_site(Path(tmp))
        server, base = serve_gzip(site)
        floor_server, floor_base = serve_gzip(floor)
        targets = {"floor (plain Material page)": (floor_base, "")} | {
            name: (base, path)
            for name, path in pick_pages(site, args.every_page).items()
        }
        runs: dict[str, list[dict]] = {name: [] for name in targets}
        try:
            # Round-robin, so that a busy minute on a shared machine hits every page.
            for i in range(args.runs):
                for name, (url, path) in targets.items():
                    print(f"lighthouse {name} run {i + 1} ...", file=sys.stderr)
                    out = Path(tmp) / report_name(name, len(runs[name]))
                    runs[name].append(lighthouse(url + path, out))
            traced = main_thread_rows(
                {name: url + path for name, (url, path) in targets.items()}, args.runs
            )
        finally:
            server.shutdown()
            floor_server.shutdown()
        results = {name: (targets[name][1], median_run(r)) for name, r in runs.items()}
        total_raw, total_gzip = site_bytes(site)
        test_s, tests_passed = None, False
        if not args.skip_tests:
            print("make test on the fresh clone, cold again ...", file=sys.stderr)
            for made in (
                copy / ".cache" / "docs_build",
                copy / ".cache" / "notebook-pages",
                site,
            ):
                shutil.rmtree(made, ignore_errors=True)
            test_s, tests_passed = timed(["make", "test"], copy)

    print(
        f"Lighthouse {LIGHTHOUSE_VERSION}, mobile, median of {args.runs} runs; served with "
        f"gzip from 127.0.0.1; {os.cpu_count()} CPU cores.\n"
    )
    print(
        "| page | performance (floor ratio; runs) | accessibility | best practices | SEO | "
        "transferred (before search index) | requests | layout shift (CLS, worst run) | "
        "longest task before the first paint (runs) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    floor_score = next(iter(results.values()))[1]["performance"] or 1
    for name, (path, r) in results.items():
        scores = [f"{r[c]:g}{mark(r[c] >= TARGETS[c])}" for c in CATEGORIES]
        scores[0] += (
            f" ({r['performance'] / floor_score:.2f}; {', '.join(r['all_performance'])})"
        )
        kb = f"{r['bytes'] / 1000:.0f} KB ({r['bytes_before_search'] / 1000:.0f} KB)"
        kb += mark(r["bytes_before_search"] <= bytes_budget(path))
        print(
            f"| {name} (`/{path}`) | "
            + " | ".join(scores)
            + f" | {kb} | {r['requests']} | {r['worst_layout_shift']:.3g}"
            + f"{mark(r['worst_layout_shift'] == 0)} | "
            + ", ".join(f"{ms} ms" for ms in r["all_task_before_paint"])
            + " |"
        )
    print(
        f"\n{LATE_PAINT}: a run whose first paint came after the load event (Chromium's "
        "compositor held the frame; the README's performance section says why)."
    )
    shifts = [
        f"- {name}, run {i + 1}: " + "; ".join(run["shifted"])
        for name, page_runs in runs.items()
        for i, run in enumerate(page_runs)
        if run["shifted"]
    ]
    if shifts:
        print("\nWhat moved in each run with a layout shift:\n" + "\n".join(shifts))
    print("\n" + "\n".join(traced))
    ours = {n: r for n, (_, r) in list(results.items())[1:]}
    slowest = min(ours, key=lambda n: ours[n]["performance"])
    print(
        f"\nSlowest page: {slowest} ({ours[slowest]['performance']:g}). The whole site: "
        f"{total_raw / 1e6:.1f} MB on disk, {total_gzip / 1e6:.1f} MB gzip-compressed."
    )
    print("\n| measure | value | target |\n|---|---|---|")
    print(
        f"| cold `mkdocs build --strict` | {build_s:.1f} s{mark(build_s < BUILD_BUDGET_S)} "
        f"({build_cpu:.0f} CPU-s) | < {BUILD_BUDGET_S} s |"
    )
    print("\n".join(rebuilds))
    if test_s is not None:
        print(test_row(test_s, tests_passed))
    print("\n".join(copies))
    print("\n".join(snippets))
    notes = {n: r for n, (_, r) in results.items() if r["failed"] or r["foreign_hosts"]}
    for name, r in notes.items():
        print(
            f"\n{name}: failing audits {r['failed']}; other hosts {r['foreign_hosts']}"
        )


if __name__ == "__main__":
    main()
