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
from filelock import FileLock
from snippet_runs import worker_share

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
    needs nothing from the tests, so it can start before they are collected.

    One build serves every process of the run: under pytest-xdist the controller owns
    the folder and each worker gets its path (``pytest_configure_node``). Whoever needs
    the site first starts the build (under a file lock); the build's wrapper writes its
    exit status to a file, which every process waits for."""

    def __init__(self, folder: Path | None = None) -> None:
        self.owner = folder is None  # the process that removes the folder at the end
        self.folder = folder or Path(tempfile.mkdtemp(prefix="dlg-build-"))
        self.site = self.folder / "site"
        self.log_path = self.folder / "build.log"
        self.status_path = self.folder / "returncode"
        self.pid_path = self.folder / "pid"
        self.proc: subprocess.Popen | None = None  # set in the process that started it

    def start(self) -> None:
        """Start the build unless a process of this run already has."""
        with FileLock(self.folder / "start.lock"):
            if self.pid_path.exists():
                return
            env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
            command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
            command += ["--site-dir", str(self.site)]
            with self.log_path.open("w") as log:
                proc = self.proc = subprocess.Popen(
                    [sys.executable, "-c", _RECORD_STATUS, self.status_path, *command],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its workers and kernels: one group to stop
                )
            self.pid_path.write_text(f"{proc.pid} {time.time()}")

    def result(self) -> Build:
        self.start()
        waited = time.perf_counter()
        while not self.status_path.exists():
            if not self._running() and not self.status_path.exists():
                raise RuntimeError(
                    f"the build ended without an exit status:\n{self._log()[-4000:]}"
                )
            time.sleep(0.2)
        TIMINGS["waiting for the build"] = time.perf_counter() - waited
        started = float(self.pid_path.read_text().split()[1])
        TIMINGS["build (background)"] = self.status_path.stat().st_mtime - started
        returncode = int(self.status_path.read_text())
        return Build(site=self.site, returncode=returncode, log=self._log())

    def _log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def _running(self) -> bool:
        """Whether the build's wrapper is still alive (killed, it writes no status)."""
        if self.proc is not None:
            return self.proc.poll() is None
        pid = int(self.pid_path.read_text().split()[0])
        if Path("/proc/self/stat").exists():  # Linux: a dead, unreaped wrapper is "Z"
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except FileNotFoundError:
                return False
            return stat.rsplit(")", 1)[1].split()[0] != "Z"
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    def stop(self) -> None:
        """Stop the build if it is running, with its worker processes and notebook
        kernels."""
        with FileLock(self.folder / "start.lock"):  # not while a process starts it
            if not self.pid_path.exists() or self.status_path.exists():
                return
            pid = int(self.pid_path.read_text().split()[0])
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            if self.proc is not None:
                self.proc.wait()

    def close(self) -> None:
        """Stop the build if the run ended first (-x, Ctrl-C), with its worker processes
        and notebook kernels (only the process that owns the folder does this)."""
        if self.owner:
            self.stop()
            shutil.rmtree(self.folder, ignore_errors=True)


# Runs the build and writes its exit status (atomically: a reader never sees half a file).
_RECORD_STATUS = """\
import os, subprocess, sys
status = 1
try:
    status = subprocess.call(sys.argv[2:])
finally:
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(status))
    os.replace(sys.argv[1] + ".tmp", sys.argv[1])
"""

BACKGROUND = pytest.StashKey[BackgroundBuild]()
SITE_FIXTURES = {"build", "site"}
WORKER_KEY = "dlg_build_folder"  # how a pytest-xdist worker learns the build's folder


def _needs_site(item: pytest.Item) -> bool:
    return bool(SITE_FIXTURES & set(getattr(item, "fixturenames", ())))


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


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


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: one worker per CPU this process may run on. pytest-xdist would count
    the host's physical cores, which on a shared CI host can be many more than the
    job's share (and every worker imports torch). PYTEST_XDIST_AUTO_NUM_WORKERS, when
    set, still decides."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS", "").isdigit():
        return int(os.environ["PYTEST_XDIST_AUTO_NUM_WORKERS"])
    return (
        len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else (os.cpu_count() or 1)
    )


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """``--dist loadscope`` (the test command's setting) with our shares as its scopes.
    The shares go out in the order collected, which puts the built site's tests last.
    (pytest-xdist's own xdist_group marks do not group under pytest 9: it renames a
    test by a private attribute that pytest 9 no longer reads.)"""
    if config.getoption("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Shares(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return worker_share(nodeid)

    return Shares(config, log)


def pytest_configure(config: pytest.Config) -> None:
    """A run of the whole suite (no paths given: the test command) starts the build at
    once, so that it imports and trains while the tests are being collected. A
    pytest-xdist worker uses the build of the process that started it."""
    if _is_worker(config):
        config.stash[BACKGROUND] = BackgroundBuild(Path(config.workerinput[WORKER_KEY]))
        return
    config.stash[BACKGROUND] = BackgroundBuild()
    if (
        config.args_source is pytest.Config.ArgsSource.TESTPATHS
        and not config.option.collectonly
    ):
        config.stash[BACKGROUND].start()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """pytest-xdist: tell each worker where the shared build lives."""
    node.workerinput[WORKER_KEY] = str(node.config.stash[BACKGROUND].folder)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the build now if a selected test needs it and it is not running yet; stop it
    if none does (-k or -m chose other tests)."""
    background = session.config.stash[BACKGROUND]
    if session.config.option.collectonly:
        return
    if any(_needs_site(i) for i in session.items):
        background.start()
    else:
        background.stop()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A pytest-xdist worker hands its timed stages to the controller, which prints them."""
    if _is_worker(session.config):
        session.config.workeroutput["dlg_timings"] = dict(TIMINGS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    for stage, seconds in (
        getattr(node, "workeroutput", {}).get("dlg_timings", {}).items()
    ):
        TIMINGS[stage] = max(seconds, TIMINGS.get(stage, 0.0))


def pytest_unconfigure(config: pytest.Config) -> None:
    background = config.stash.get(BACKGROUND, None)
    if background is not None:
        background.close()


@pytest.fixture(scope="session")
def build(request: pytest.FixtureRequest) -> Build:
    """The whole site, built once, strictly, as the README's test command does."""
    return request.config.stash[BACKGROUND].result()


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
