"""Each snippet script run once per test session, as a reader runs it (``python file.py``).

The run's globals are kept: a chapter's tests read the numbers the reader's run computed (the
trained model, its accuracy) and compare them with the page, instead of training the model
a second time. tests/test_snippets.py makes sure every script runs.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"


class _Tee(io.TextIOBase):
    """Writes to the terminal (or pytest's capture) and keeps a copy."""

    def __init__(self, stream: io.TextIOBase) -> None:
        self.stream, self.copy = stream, io.StringIO()

    def write(self, text: str) -> int:
        self.copy.write(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


@functools.cache
def run_snippet(relative: str) -> dict[str, object]:
    """Run ``snippets/<relative>`` as ``__main__`` and return its globals, with what it
    printed under ``"__printed__"`` (the run is cached, so a test cannot capture it)."""
    path = SNIPPETS / relative
    if not path.is_file():
        raise FileNotFoundError(f"no snippet {path}")
    backend = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "Agg"  # a figure the script draws is not shown
    tee = _Tee(sys.stdout)
    try:
        with contextlib.redirect_stdout(tee):
            run = runpy.run_path(str(path), run_name="__main__")
        run["__printed__"] = tee.copy.getvalue()
        return run
    finally:
        if backend is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = backend


RUNS_SNIPPET = re.compile(r"""run_snippet\(\s*["']([^"']+)["']""")
RUNS_AS_SCRIPT = "tests/test_snippets.py::test_snippet_runs_as_script["


@functools.cache
def snippets_run_by(module: str) -> tuple[str, ...]:
    """The snippets whose reader's run a test module reads (with run_snippet above)."""
    source = (ROOT / module).read_text(encoding="utf-8")
    return tuple(sorted(set(RUNS_SNIPPET.findall(source))))


def worker_share(nodeid: str) -> str:
    """Which tests pytest-xdist keeps on one worker: those that read the same snippet's
    run (it runs once per process: tests/snippet_runs.py), and otherwise a module's
    tests (its module-scoped fixtures, a browser or a built notebook, are set up once)."""
    if nodeid.startswith(RUNS_AS_SCRIPT):
        return "snippet " + nodeid.removeprefix(RUNS_AS_SCRIPT).removesuffix("]")
    module = nodeid.split("::", 1)[0]
    snippets = snippets_run_by(module) if module.endswith(".py") else ()
    return "snippet " + " ".join(snippets) if snippets else module
