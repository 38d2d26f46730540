"""Shared fixtures: the site is built once per test session, strictly, into a temp folder."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TIMINGS: dict[str, float] = {}  # stage name -> seconds, printed at the end of the run


@dataclass(frozen=True)
class Build:
    """Result of one ``mkdocs build --strict``."""

    site: Path
    returncode: int
    log: str


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Build the whole site once, strictly, as the README's test command does."""
    site = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return Build(site=site, returncode=proc.returncode, log=proc.stdout + proc.stderr)


@pytest.fixture(scope="session")
def site(build: Build) -> Path:
    """The built site folder; fails (not skips) when the build failed."""
    if build.returncode != 0:
        pytest.fail(
            f"mkdocs build --strict failed:\n{build.log[-4000:]}", pytrace=False
        )
    return build.site


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Say how many formula checks ran: each ties a formula on a page to the code."""
    passed = [
        r for r in terminalreporter.stats.get("passed", []) if "formula" in r.keywords
    ]
    failed = [
        r for r in terminalreporter.stats.get("failed", []) if "formula" in r.keywords
    ]
    terminalreporter.write_sep(
        "-", f"formula checks: {len(passed)} passed, {len(failed)} failed"
    )
    if TIMINGS:
        total = sum(TIMINGS.values())
        detail = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(TIMINGS.items()))
        terminalreporter.write_sep("-", f"timed stages: {total:.1f} s ({detail})")
