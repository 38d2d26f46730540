"""Check built pages in headless Chromium: what a reader's browser sees.

One call of ``inspect`` loads a page once and gathers everything the browser tests assert:
console errors, requests to other hosts or for a KaTeX script, formulas left unrendered,
broken images, figures shown in the wrong palette, missing alt text, content wider than the
screen, and optionally
axe-core's accessibility violations and what each copy button copies. The tests in this
folder assert on the returned ``Report``; the checks themselves are tested on small
synthetic pages in test_browser_checks.py.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from docs_build import includes

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"  # a test asset
# The browser the tests drive: Debian's chromium-headless-shell, Chromium's headless mode
# built on its own (the same Blink and V8 as the chromium package, without the desktop
# browser's window layer). The same tests pass in both; the two largest browser modules took
# 18 % and 27 % less CPU in it (README, "In a real browser"). Lighthouse and the main-thread
# traces measure what readers run, the full browser: FULL_CHROMIUM. $CHROMIUM names one
# binary for both (CI on GitHub's runners: Google Chrome).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium-headless-shell")
FULL_CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LOCAL_HOSTS = {"127.0.0.1"}
# A path no page has: the host answers it with 404.html, which is how readers meet that page.
MISSING = "this-page-does-not-exist/"

# Flags for Debian's Chromium in a container; the resolver rule makes every request to
# another host fail at once (no time-out to wait for) while the browser still reports it.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]

# axe-core rule sets: WCAG 2.0/2.1/2.2 A and AA, plus Deque's best practices (landmarks,
# heading order, one H1, unique landmark names, ...). Nothing is disabled.
AXE_ALL = {
    "resultTypes": [
        "violations"
    ],  # axe then skips detail for passes: faster on big pages
    "runOnly": {
        "type": "tag",
        "values": [
            "wcag2a",
            "wcag2aa",
            "wcag21a",
            "wcag21aa",
            "wcag22aa",
            "best-practice",
        ],
    },
}
# The rules whose outcome depends on colours. A second palette changes CSS variables only,
# not the DOM, so the other rules cannot give another answer there; running just these keeps
# the second palette's pass cheap.
AXE_COLOUR = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
}

# The colour KaTeX gives a formula it cannot parse when throwOnError is false (its default
# errorColor). The build renders with throwOnError true, so a bad formula fails the build
# instead (docs_build/katex.py); the check stays for a page that renders any other way.
KATEX_ERROR_COLOR = "#cc0000"
# KaTeX's scripts (katex.min.js, its contrib scripts such as auto-render, the site's old
# katex-init.js): formulas arrive rendered, so a page must request none of them.
KATEX_SCRIPT = re.compile(r"(?:^|/)(?:katex|auto-render)[^/]*\.js$", re.IGNORECASE)
RAW_MATH = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$")


# ---------------------------------------------------------------------------------------
# Serving and launching
# ---------------------------------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files under a path prefix (like GitHub Pages' /<repo>/), 404.html for misses.

    ``site_url`` (mkdocs.yml's) is rewritten to this server's URL in sitemap.xml, as if the
    site were served from its real host: Material's instant loading reads the sitemap and, on
    another port, would otherwise never match a link (it copies only protocol and hostname)."""

    prefix = "/"
    site_url = ""
    pause: tuple[str, int, float] | None = None

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: pytest shows failures, not access logs

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_prefix__")
        return super().translate_path("/" + path[len(self.prefix) :])

    def do_GET(self) -> None:
        local = Path(self.translate_path(self.path))
        if self.pause and urlsplit(self.path).path == self.prefix + self.pause[0]:
            # The page's HTML in two parts, as a slow connection delivers it: the browser
            # may draw a frame of the first part before the rest arrives.
            _, cut, seconds = self.pause
            body = (local / "index.html").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:cut])
            self.wfile.flush()
            time.sleep(seconds)
            self.wfile.write(body[cut:])
            return
        if self.site_url and local.name == "sitemap.xml" and local.is_file():
            here = f"http://{self.headers.get('Host', '127.0.0.1')}{self.prefix}"
            body = (
                local.read_text(encoding="utf-8").replace(self.site_url, here).encode()
            )
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def send_error(
        self, code: int, message: str | None = None, explain: str | None = None
    ) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve(
    directory: Path,
    prefix: str = "/",
    site_url: str = "",
    pause: tuple[str, int, float] | None = None,
) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) under ``prefix``; yield the base URL.
    ``site_url``: the published URL, rewritten to the local one in sitemap.xml.
    ``pause``: (a page's path under the prefix, e.g. "notebooks/gan/", a byte offset,
    seconds): that page's HTML stops at the offset for that long."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    attrs = {"prefix": prefix, "site_url": site_url, "pause": pause}
    handler = functools.partial(
        type("Handler", (_Handler,), attrs), directory=str(directory)
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


@functools.cache
def site_url() -> str:
    """mkdocs.yml's site_url, e.g. https://dl-checked.github.io/field-guide/, as MkDocs
    itself reads and validates it."""
    from mkdocs.config import load_config

    return load_config(str(ROOT / "mkdocs.yml"))["site_url"] or "/"


def site_prefix() -> str:
    """The path the site is published under (from site_url), e.g. /field-guide/."""
    return urlsplit(site_url()).path or "/"


@contextmanager
def serve_site(
    site: Path, pause: tuple[str, int, float] | None = None
) -> Iterator[str]:
    """Serve a built site the way its host will: under its path prefix, 404.html for misses
    (``pause``: as for ``serve``)."""
    with serve(site, site_prefix(), site_url(), pause) as base:
        yield base


@contextmanager
def launch(playwright, executable: str = CHROMIUM) -> Iterator[object]:
    """Debian's Chromium, headless (``executable``: the headless shell unless a measurement
    asks for FULL_CHROMIUM). Playwright gives every launch a fresh, temporary profile (its
    own --user-data-dir, removed on close); it refuses one passed in ``args``."""
    if not Path(executable).is_file():
        install = (
            "scripts/ensure-browser.sh (make test does)"
            if executable == CHROMIUM
            else "scripts/ensure-browser.sh --full"
        )
        raise RuntimeError(f"{executable} not found; run {install}")
    browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


def built_pages(site: Path) -> list[str]:
    """Every HTML page of the built site as a URL path relative to the site root."""
    paths = []
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        if rel == "404.html":
            rel = MISSING  # the host serves 404.html for any miss
        elif rel.endswith("index.html"):
            rel = rel[: -len("index.html")]
        paths.append(rel)
    return paths


# ---------------------------------------------------------------------------------------
# What one page load shows
# ---------------------------------------------------------------------------------------


@dataclass
class Report:
    """Everything one page load showed; empty lists mean the check passed."""

    url: str
    scheme: str = ""
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    raw_math: list[str] = field(default_factory=list)
    katex_errors: list[str] = field(default_factory=list)
    katex_scripts: list[str] = field(default_factory=list)
    arithmatex: int = 0
    katex: int = 0
    broken_images: list[str] = field(default_factory=list)
    missing_alt: list[str] = field(default_factory=list)
    wrong_palette_images: list[str] = field(default_factory=list)
    unsized_figures: list[str] = field(default_factory=list)
    resized_figures: list[str] = field(default_factory=list)
    figures: int = 0
    overflow: list[str] = field(default_factory=list)
    axe: list[str] = field(default_factory=list)
    code_blocks: int = 0
    copies: list[dict] = field(default_factory=list)
    explorers: int = 0  # started before the second overflow check and axe-core
    unstarted_explorers: list[str] = field(default_factory=list)

    @property
    def unrendered(self) -> int:
        """Formula elements without KaTeX output."""
        return self.arithmatex - self.katex


# The page scrolls sideways (a phone reader's nightmare): name the outermost elements that
# stick out and are not inside a box that scrolls or clips them; if none can be named (a
# pseudo-element, a margin), the page itself. Not even 1 px more than the screen is allowed.
# The screen is the layout viewport (clientWidth): on a phone (is_mobile) the browser zooms
# out to fit a page that is too wide, and innerWidth grows with it, which would hide this.
_OVERFLOW_JS = r"""
() => {
  const wide = document.documentElement.scrollWidth;
  const screen = document.documentElement.clientWidth;
  if (wide <= screen) return [];
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const named = [...document.body.querySelectorAll("*")]
    .filter((el) => el.getBoundingClientRect().right > screen + 1 && !clipped(el))
    .filter((el) => !(el.parentElement.getBoundingClientRect().right > screen + 1))
    .slice(0, 5)
    .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} ` +
         `(${Math.round(el.getBoundingClientRect().right)} px > ${screen} px)`);
  return named.length ? named : [`the page (${wide} px wide > ${screen} px)`];
}
"""

_GATHER_JS = r"""
async (errorColor) => {
  const skip = "pre, code, kbd, script, style, .katex, .katex-error, .md-search, .md-code__nav";
  const root = document.querySelector("article") || document.body;
  const raw = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const re = new RegExp(%s);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest(skip)) continue;
    if (re.test(n.data)) raw.push(n.data.trim().slice(0, 80));
  }
  const math = [...document.querySelectorAll(".arithmatex")];
  const displayed = (el) => el.getClientRects().length > 0
      && getComputedStyle(el).visibility !== "hidden";
  const imgs = [...document.images];
  const scheme = document.body.getAttribute("data-md-color-scheme") || "";
  // Each displayed figure's box before it is forced to load (a lazy one below the screen
  // has not loaded yet): loading must not change it, or the text below it jumps.
  // A chapter's figure (one SVG, shown per palette) or a figure a notebook cell drew.
  const isFigure = (img) => /#only-(light|dark)$/.test(img.getAttribute("src") || "") ||
      img.closest(".jp-RenderedImage") !== null;
  const boxBefore = new Map(imgs.filter((i) => isFigure(i) && displayed(i)).map((i) => {
    const r = i.getBoundingClientRect();
    return [i, [r.width, r.height]];
  }));
  for (const img of imgs) img.loading = "eager";
  // Each displayed image until it loads or fails (a missing or broken one fails at once and
  // is reported below). The 30 s bound only keeps a hung request from hanging the check: how
  // fast images load is the benchmark's business, not this check's (3 s was too short for
  // the large VAE figures on a busy 2-core machine).
  await Promise.all(imgs.filter(displayed).map((img) => img.complete ? null :
      new Promise((ok) => { img.onload = img.onerror = ok; setTimeout(ok, 30000); })));
  // A figure is one SVG shown twice: name.svg#only-light and name.svg#only-dark (which
  // draws itself in the dark palette); the palette must display the one that is its own.
  const wrongPalette = [];
  for (const img of imgs) {
    const src = img.getAttribute("src") || "";
    const light = src.endsWith("#only-light"), dark = src.endsWith("#only-dark");
    if (!light && !dark) continue;
    const shouldShow = (scheme === "slate") === dark;
    if (displayed(img) !== shouldShow) wrongPalette.push(`${src} (${scheme})`);
  }
  return {
    scheme,
    raw,
    arithmatex: math.length,
    katex: math.filter((el) => el.querySelector(".katex")).length,
    katexErrors: [
      // a formula KaTeX could not parse: its source in errorColor, the message as title
      ...[...document.querySelectorAll(".katex-error")].map(
          (el) => (el.getAttribute("title") || el.textContent).slice(0, 120)),
      // a command KaTeX does not know: rendered as text in errorColor inside the formula
      ...[...document.querySelectorAll(`.katex mstyle[mathcolor="${errorColor}"]`)].map(
          (el) => "unsupported command " + el.textContent),
    ],
    broken: imgs.filter(displayed).filter((i) => !i.complete || i.naturalWidth === 0)
        .map((i) => i.getAttribute("src")),
    missingAlt: imgs.filter((i) => !(i.getAttribute("alt") || "").trim())
        .map((i) => i.getAttribute("src")),
    wrongPalette,
    resized: [...boxBefore].filter(([img, [w, h]]) => {
      const r = img.getBoundingClientRect();
      return Math.abs(r.width - w) > 1 || Math.abs(r.height - h) > 1;
    }).map(([img, [w, h]]) => {
      const r = img.getBoundingClientRect();
      return `${img.getAttribute("src")} ${Math.round(w)}x${Math.round(h)} -> ` +
          `${Math.round(r.width)}x${Math.round(r.height)}`;
    }),
    unsized: imgs.filter(isFigure)
        .filter((i) => !i.getAttribute("width") || !i.getAttribute("height"))
        .map((i) => i.getAttribute("src")),
    overflow: (%s)(),
    figures: imgs.filter((i) => (i.getAttribute("src") || "").endsWith("#only-dark")).length,
    codeBlocks: document.querySelectorAll("article pre > code").length,
  };
}
""" % (repr(RAW_MATH.pattern), _OVERFLOW_JS)  # noqa: UP031 (JS: braces everywhere)

_AXE_JS = """
async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} -- ` +
      v.nodes.slice(0, 4).map((n) => n.target.join(" ") +
          (n.any.length ? " [" + n.any[0].message + "]" : "")).join("; ") +
      (v.nodes.length > 4 ? ` ... ${v.nodes.length} nodes` : ""));
}
"""


def inspect(
    page,
    url: str,
    *,
    axe: dict | None = None,
    copy: bool = False,
    settle_ms: int = 3000,
) -> Report:
    """Load ``url`` in ``page`` and report what a reader's browser saw.

    Then every activation explorer on the page is started, as a reader starts one by
    scrolling to it, and the overflow check runs again with them shown. ``axe`` (AXE_ALL,
    AXE_COLOUR or other axe.run options) also runs axe-core, on the page with its
    explorers started; ``copy`` also clicks every code block's copy button (after axe,
    since each click shows a toast) and records what reached the clipboard."""
    report = Report(url=url)
    listeners = _listen(page, report)
    try:
        response = page.goto(url, wait_until="load")
        if (
            response is not None
            and response.status >= 400
            and not url.endswith(MISSING)
        ):
            report.failed_requests.append(f"{url} -> HTTP {response.status}")
        gather(page, report, settle_ms)
        # After gather, which measured every figure's box before it loaded: scrolling to
        # an explorer loads the figures near it. Then back to the top, where axe-core
        # runs on every page: what sits under the sticky header (target-size judges the
        # space around a control) depends on where the page is scrolled.
        report.explorers, report.unstarted_explorers = start_explorers(page)
        if report.explorers:
            page.evaluate("window.scrollTo(0, 0)")
            more = page.evaluate(_OVERFLOW_JS)
            report.overflow += [f"{o}, explorers started" for o in more]
        if axe is not None:
            report.axe = run_axe(page, axe)
        if copy and report.code_blocks:
            report.copies = copy_every_code_block(page)
    finally:
        _unlisten(page, listeners)
    return report


# The activation explorers (docs/assets/js/explorer-boot.js): each is hidden until its
# figure, the element before it, comes near the screen; then it starts and draws a canvas.
EXPLORER = ".dlg-explorer[data-explorer]"


def open_explorer(page, selector: str) -> None:
    """Scroll an explorer's figure into view and wait until it has started."""
    page.locator(selector).evaluate("e => e.previousElementSibling.scrollIntoView()")
    page.wait_for_selector(selector + " canvas", timeout=15_000)


def start_explorers(page) -> tuple[int, list[str]]:
    """Start every explorer on the page, one after the other: how many started, and the
    selectors of those that did not within 15 s."""
    selectors = page.evaluate(
        "(all) => [...document.querySelectorAll(all)].map((e) =>"
        ' `.dlg-explorer[data-explorer="${e.dataset.explorer}"]`)',
        EXPLORER,
    )
    started, unstarted = 0, []
    for selector in selectors:
        try:
            open_explorer(page, selector)
            started += 1
        except PlaywrightTimeoutError:
            unstarted.append(selector)
    return started, unstarted


def gather(page, report: Report, settle_ms: int = 3000) -> Report:
    """Fill ``report`` from the page as it is now (after a load or an instant navigation)."""
    _wait_for_math(page, settle_ms)
    gathered = page.evaluate(_GATHER_JS, KATEX_ERROR_COLOR)
    report.scheme = gathered["scheme"]
    report.raw_math = gathered["raw"]
    report.arithmatex = gathered["arithmatex"]
    report.katex = gathered["katex"]
    report.katex_errors = gathered["katexErrors"]
    report.broken_images = gathered["broken"]
    report.missing_alt = gathered["missingAlt"]
    report.wrong_palette_images = gathered["wrongPalette"]
    report.unsized_figures = gathered["unsized"]
    report.resized_figures = gathered["resized"]
    report.figures = gathered["figures"]
    report.overflow = gathered["overflow"]
    report.code_blocks = gathered["codeBlocks"]
    return report


# color-contrast then judges text over a large ::before/::after box too, against the
# background behind that box, instead of setting it aside as "incomplete" (needs review),
# which this suite does not look at. So it can only add violations, never hide one, and
# the rule takes half the time: by default it asks for every element's pseudo-elements'
# styles. (axe.configure replaces a check's options: the defaults are kept by merging.)
AXE_CHECK_OPTIONS = {"color-contrast": {"ignorePseudo": True}}
_AXE_CONFIGURE_JS = """
(changes) => axe.configure({checks: Object.entries(changes).map(([id, options]) =>
    ({id, options: {...axe._audit.checks[id].options, ...options}}))})
"""


def run_axe(page, options: dict = AXE_ALL) -> list[str]:
    """axe-core's violations on the current page, one line each (empty: none)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=_axe_source())
        page.evaluate(_AXE_CONFIGURE_JS, AXE_CHECK_OPTIONS)
    return page.evaluate(_AXE_JS, options)


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def _wait_for_math(page, settle_ms: int) -> None:
    """Formulas arrive rendered, so this returns at once on the site's pages; a page that
    renders them by script gets up to ``settle_ms`` (then the report says which did not)."""
    with contextlib.suppress(
        PlaywrightTimeoutError
    ):  # a time-out is a finding, reported
        page.wait_for_function(
            "[...document.querySelectorAll('.arithmatex')].every(e => e.querySelector('.katex'))",
            timeout=settle_ms,
        )


def _listen(page, report: Report) -> list[tuple[str, object]]:
    def on_console(msg) -> None:
        expected_404 = (
            report.url.endswith(MISSING) and msg.location.get("url") == report.url
        )
        if msg.type == "error" and not expected_404:
            report.console_errors.append(msg.text)

    def on_pageerror(exc) -> None:
        report.console_errors.append(f"uncaught: {exc}")

    def on_request(request) -> None:
        parts = urlsplit(request.url)
        if KATEX_SCRIPT.search(parts.path):
            report.katex_scripts.append(request.url)
        if (
            parts.scheme in {"http", "https", "ws", "wss"}
            and parts.hostname not in LOCAL_HOSTS
        ):
            report.foreign_requests.append(request.url)

    def on_response(response) -> None:
        if response.status >= 400 and not response.url.endswith(MISSING):
            report.failed_requests.append(f"{response.url} -> HTTP {response.status}")

    def on_requestfailed(request) -> None:
        # ERR_ABORTED: the browser itself dropped a request still in flight when the page
        # navigated on (a lazy favicon or search worker, on a busy machine); the server
        # never failed. A missing file is a 404, which on_response reports.
        if (
            urlsplit(request.url).hostname in LOCAL_HOSTS
            and request.failure != "net::ERR_ABORTED"
        ):
            report.failed_requests.append(f"{request.url} -> {request.failure}")

    listeners = [
        ("console", on_console),
        ("pageerror", on_pageerror),
        ("request", on_request),
        ("response", on_response),
        ("requestfailed", on_requestfailed),
    ]
    for event, fn in listeners:
        page.on(event, fn)
    return listeners


def _unlisten(page, listeners: list[tuple[str, object]]) -> None:
    for event, fn in listeners:
        page.remove_listener(event, fn)


# ---------------------------------------------------------------------------------------
# Code blocks: what the copy button copies, and what the snippet files say
# ---------------------------------------------------------------------------------------

_COPY_JS = """
async () => {
  const out = [];
  const buttons = [...document.querySelectorAll("button.md-code__button[data-md-type=copy]")];
  for (const button of buttons) {
    const target = document.querySelector(button.getAttribute("data-clipboard-target"));
    // A block inside a collapsed answer (<details>) is copied as a reader copies it: after
    // opening the answer, which shows the block and its button.
    const answer = target.closest("details");
    if (answer) answer.open = true;
    await navigator.clipboard.writeText("");
    button.click();
    let copied = "";
    for (let i = 0; i < 40 && !copied; i++) {
      await new Promise((ok) => setTimeout(ok, 25));
      copied = await navigator.clipboard.readText();
    }
    out.push({id: button.getAttribute("data-clipboard-target"), shown: target.innerText,
              copied});
  }
  return out;
}
"""


def copy_every_code_block(page) -> list[dict]:
    """Click every code block's copy button on the loaded page; return shown and copied text.

    The page's context needs the clipboard-read and clipboard-write permissions."""
    page.wait_for_selector(
        "button.md-code__button[data-md-type=copy]", state="attached", timeout=3000
    )
    return page.evaluate(_COPY_JS)


def snippet_text(ref: str, bases: tuple[Path, ...] = includes.BASES) -> str:
    """The text pymdownx.snippets includes for ``file``, ``file:section`` or ``file:a:b``
    (docs_build/includes.py runs pymdownx.snippets itself, configured as mkdocs.yml is)."""
    return includes.text(ref, bases)


def page_includes(markdown: str) -> list[str]:
    """The ``--8<--`` references inside fenced code blocks of a Markdown page, in order."""
    return includes.in_code_blocks(markdown)
