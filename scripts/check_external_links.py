"""Check every external link on the built site: does it still answer?

    python scripts/check_external_links.py [SITE_DIR]      (or: make linkcheck)

Needs the internet, so it is NOT part of `make test` (the test machines reach only package
registries); CI runs it weekly (.github/workflows/linkcheck.yml). Internal links and anchors
are checked on every test run by tests/test_site_html.py.

Each URL is asked once, HEAD first and GET when HEAD is refused (some servers answer HEAD
with 403/405), with a time-out, a few requests at a time and at most one at a time per host,
and a User-Agent that says who is asking. Exit status 1 when a link is broken.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the repository's packages: sitecheck

from sitebuild import build_site  # noqa: E402

from sitecheck import htmlcheck, pagecheck  # noqa: E402

USER_AGENT = (
    "dl-checked-linkcheck/1.0 "
    "(+https://github.com/dl-checked/field-guide; weekly link check)"
)
TIMEOUT_S = 20
WORKERS = 4
PAUSE_PER_HOST_S = 1.0
# Answers that mean "the page is there, but not for robots": not counted as broken.
SOFT = {401, 403, 429}
LOCAL = {"127.0.0.1", "localhost", "0.0.0.0"}

_host_locks: dict[str, threading.Lock] = collections.defaultdict(threading.Lock)


def external_links(site: Path, own_url: str) -> dict[str, set[str]]:
    """{url without fragment: pages that link to it} over every built HTML page. Links to
    the site itself (canonical URLs; checked as internal links by the tests) and to a local
    server (``make serve``'s address in the docs) are left out."""
    found: dict[str, set[str]] = collections.defaultdict(set)
    for path in sorted(site.rglob("*.html")):
        page = htmlcheck.parse(path.read_text(encoding="utf-8"))
        for href in page.links:
            if not htmlcheck.is_external(href) or urlsplit(href).scheme not in {
                "http",
                "https",
                "",
            }:
                continue
            url = urldefrag(href if urlsplit(href).scheme else "https:" + href).url
            if url.startswith(own_url) or urlsplit(url).hostname in LOCAL:
                continue
            found[url].add(path.relative_to(site).as_posix())
    return found


def _request(url: str, method: str) -> int:
    request = urllib.request.Request(
        url, method=method, headers={"User-Agent": USER_AGENT}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            if method == "GET":
                response.read(1024)
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def check(url: str) -> tuple[str, str]:
    """(verdict, detail): verdict is "ok", "soft" (exists, refuses robots) or "broken"."""
    with _host_locks[urlsplit(url).hostname or ""]:
        try:
            status = _request(url, "HEAD")
            if status >= 400:
                status = _request(url, "GET")
        except Exception as exc:
            return "broken", f"{type(exc).__name__}: {exc}"
        finally:
            time.sleep(PAUSE_PER_HOST_S)
    if status < 400:
        return "ok", str(status)
    return ("soft" if status in SOFT else "broken"), f"HTTP {status}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "site", nargs="?", type=Path, help="built site (default: build one)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="site-") as tmp:
        site = args.site or build_site(Path(tmp) / "site")
        links = external_links(site, pagecheck.site_url())
    print(f"checking {len(links)} external links ({WORKERS} at a time, one per host)")
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = dict(zip(links, pool.map(check, links), strict=True))
    broken = 0
    for url, (verdict, detail) in sorted(results.items()):
        if verdict != "ok":
            broken += verdict == "broken"
            pages = ", ".join(sorted(links[url]))
            print(f"{verdict.upper():6} {url}: {detail} (on {pages})")
    print(
        f"{len(links) - broken} of {len(links)} external links answer; {broken} broken"
    )
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
