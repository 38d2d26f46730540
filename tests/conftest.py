"""Shared fixtures: the site is built once per test session, strictly, into a temp folder.

The build starts in the background before the tests are collected (for a chosen subset
that needs it: once they are), and the tests that need the built site run last: the build
(which trains models, draws figures and runs the notebooks in worker processes) and the
other tests share the CPUs instead of taking turns. Both sides read and fill the same
on-disk caches under a lock per entry, so a model that a test needs while the build is
training it is trained once (see docs_build/registry.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
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


class BackgroundBuild:
    """``mkdocs build --strict`` running in a child process while the tests run. It
    needs nothing from the tests, so it can start before they are collected."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="dlg-build-"))
        self.site = self.folder / "site"
        self.log_path = self.folder / "build.log"
        self.started = time.perf_counter()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        with self.log_path.open("w") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "mkdocs",
                    "build",
                    "--strict",
                    "--site-dir",
                    str(self.site),
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its workers and kernels: one group to stop
            )

    def result(self) -> Build:
        waited = time.perf_counter()
        returncode = self.proc.wait()
        TIMINGS["build (background)"] = time.perf_counter() - self.started
        TIMINGS["waiting for the build"] = time.perf_counter() - waited
        log = self.log_path.read_text(encoding="utf-8", errors="replace")
        return Build(site=self.site, returncode=returncode, log=log)

    def close(self) -> None:
        """Stop the build if the run ended first (-x, Ctrl-C), with its worker processes
        and notebook kernels."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


BACKGROUND = pytest.StashKey[BackgroundBuild]()
SITE_FIXTURES = {"build", "site"}


def _needs_site(item: pytest.Item) -> bool:
    return bool(SITE_FIXTURES & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Modules with a test that needs the built site run last, whole (their module
    fixtures are then set up once), in their usual order."""
    late = {item.path for item in items if _needs_site(item)}
    items[:] = [i for i in items if i.path not in late] + [
        i for i in items if i.path in late
    ]


def pytest_configure(config: pytest.Config) -> None:
    """A run of the whole suite (no paths given: the test command) starts the build at
    once, so that it imports and trains while the tests are being collected."""
    if (
        config.args_source is pytest.Config.ArgsSource.TESTPATHS
        and not config.option.collectonly
    ):
        config.stash[BACKGROUND] = BackgroundBuild()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the build now if a selected test needs it and it is not running yet; stop it
    if none does (-k, -m or --lf chose other tests)."""
    config = session.config
    background = config.stash.get(BACKGROUND, None)
    if config.option.collectonly or not any(_needs_site(i) for i in session.items):
        if background is not None:
            background.close()
            del config.stash[BACKGROUND]
        return
    if background is None:
        config.stash[BACKGROUND] = BackgroundBuild()


def pytest_unconfigure(config: pytest.Config) -> None:
    background = config.stash.get(BACKGROUND, None)
    if background is not None:
        background.close()


@pytest.fixture(scope="session")
def build(request: pytest.FixtureRequest) -> Build:
    """The whole site, built once, strictly, as the README's test command does."""
    background = request.config.stash.get(BACKGROUND, None)
    if background is None:  # a test asked for it without the hook seeing it: build now
        background = request.config.stash[BACKGROUND] = BackgroundBuild()
    return background.result()


@pytest.fixture(scope="session")
def timings() -> dict[str, float]:
    """Stage name -> seconds: what a test records here is printed at the end of the run."""
    return TIMINGS


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
    if TIMINGS:  # stages overlap (the build runs beside the tests): no total
        detail = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(TIMINGS.items()))
        terminalreporter.write_sep("-", f"timed stages: {detail}")
