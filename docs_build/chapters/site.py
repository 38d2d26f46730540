"""Facts about the site itself: versions and the size of the test suite."""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

from docs_build.registry import ROOT, facts

COUNT_WAIT_S = 300  # how long a build waits for the test command to finish collecting


def count_tests() -> int:
    """Number of tests that ``pytest`` collects, as the test command would run them.

    A build started by the test command itself is told the number it collected: in
    ``DOCS_TEST_COUNT``, or in the file ``DOCS_TEST_COUNT_FILE`` names, which
    tests/conftest.py writes once it has collected (it starts the build before that; the
    file is empty when only part of the suite was collected). Any other build asks
    ``pytest --collect-only``."""
    if os.environ.get("DOCS_TEST_COUNT", "").isdigit():
        return int(os.environ["DOCS_TEST_COUNT"])
    told = os.environ.get("DOCS_TEST_COUNT_FILE")
    if told:
        deadline = time.monotonic() + COUNT_WAIT_S
        while not os.path.exists(told) and time.monotonic() < deadline:
            time.sleep(0.1)
        text = Path(told).read_text() if os.path.exists(told) else ""
        if text.isdigit():
            return int(text)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    match = re.search(r"^(\d+) tests? collected", out.stdout, re.MULTILINE)
    if out.returncode != 0 or not match:
        raise RuntimeError(
            f"pytest --collect-only failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}"
        )
    return int(match.group(1))


@facts(
    "site",
    sources=(
        "snippets",
        "docs_build",
        "tests",
        "docs",
        "notebooks",
        "pyproject.toml",
        "requirements.txt",
    ),
)
def site_facts() -> dict[str, str]:
    import matplotlib
    import mkdocs
    import numpy
    import torch

    katex = (ROOT / "docs/assets/vendor/katex/VERSION").read_text().strip()
    return {
        "torch_version": torch.__version__.split("+")[0],
        "numpy_version": numpy.__version__,
        "matplotlib_version": matplotlib.__version__,
        "mkdocs_version": mkdocs.__version__,
        "python_version": platform.python_version(),
        "katex_version": katex,
        "test_count": str(count_tests()),
    }


@facts("tex")
def tex_facts() -> dict[str, str]:
    """``{{ tex.NAME }}``: the LaTeX of each registered formula; ``{{ tex.NAME.eq }}``
    the whole equation with its left-hand side."""
    from docs_build.formulas import FORMULAS
    from docs_build.registry import load_chapters

    load_chapters()
    out = {}
    for name, f in FORMULAS.items():
        out[name] = f.latex()
        out[f"{name}.eq"] = f.equation()
    return out
