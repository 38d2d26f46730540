"""Warm the build's caches in parallel: each chapter's facts and figures, and each notebook.

A cold build does three kinds of slow work: fact providers train the chapters' models,
figure functions draw from them, and every notebook runs on a fresh kernel. They are
independent, so worker processes (one per CPU) do them side by side and leave the results
in the on-disk caches (``.cache/docs_build``, keyed by the hash of their sources; a spawned
worker gets the build's ``sys.path``, so ``snippets/`` imports there too). The build
then reads them as usual. A chapter's facts and figures run in one job because they share
the chapter's trained models (``functools.cache``).

This is only a speed-up: a job that fails is left to the build's ordinary, serial path,
which runs it again and reports the error with the page, figure or notebook cell at fault.
``DOCS_BUILD_JOBS`` sets the number of workers (``1`` turns the warm-up off).

Notebooks need none of the chapters: ``start_notebooks`` hands one to each worker before
the build imports its chapters (2-3 s of torch, sympy and matplotlib), so that no worker
idles while the build loads. ``warm_caches`` then adds the chapters' jobs and the other
notebooks, longest first (``TYPICAL_SECONDS``, measured on a cold build), so that the
slowest chapter does not start last and keep one worker busy while the others idle, and
waits for every job. The order is only a hint: it never changes a result.
"""

from __future__ import annotations

import concurrent.futures
import logging
import multiprocessing
import os
import time
from pathlib import Path

from docs_build import notebooks, registry

log = logging.getLogger("mkdocs.hooks.docs_build.prepare")

# Seconds of the slowest jobs in a cold build (main 11bbf8b, 2 cores), to start them
# first; jobs not listed keep their order after these. Only an ordering hint.
TYPICAL_SECONDS = {
    "facts and figures of shallow_vs_deep": 35.7,
    "facts and figures of rnn": 25.3,
    "facts and figures of activations": 11.4,
    "facts and figures of gated": 8.9,
    "facts and figures of autoencoders": 8.9,
    "facts and figures of language": 8.3,
}


def chapter_label(module: str) -> str:
    """How the warm-up names a chapter's job (in its log and in TYPICAL_SECONDS)."""
    return "facts and figures of " + module.rsplit(".", 1)[-1]


def longest_first(labels: list[str]) -> list[str]:
    """Job labels, the longest expected first (a stable sort: jobs not in
    TYPICAL_SECONDS keep their order, after those)."""
    return sorted(labels, key=lambda label: -TYPICAL_SECONDS.get(label, 0.0))


def chapter_jobs() -> dict[str, tuple[list[str], list[str]]]:
    """{chapter module: (fact namespaces, figure names)} whose cache entries are missing."""
    registry.load_chapters()
    jobs: dict[str, tuple[list[str], list[str]]] = {}
    for namespace, provider in registry.FACT_PROVIDERS.items():
        if not registry.facts_path(namespace).exists():
            jobs.setdefault(provider.__module__, ([], []))[0].append(namespace)
    for name, fig in registry.FIGURES.items():
        if not registry.figure_path(fig).exists():
            jobs.setdefault(fig.draw.__module__, ([], []))[1].append(name)
    return jobs


def notebook_jobs() -> list[Path]:
    """Notebook sources whose executed copy is missing from the cache."""
    return [s for s in notebooks.sources() if not notebooks.cache_path(s).exists()]


def run_chapter(module: str, namespaces: list[str], figures: list[str]) -> float:
    """One chapter's facts, then its figures (which reuse the models the facts trained)."""
    started = time.perf_counter()
    registry.load_chapters()
    for namespace in namespaces:
        registry.get_facts(namespace)
    for name in figures:
        registry.figure_svg(registry.FIGURES[name])
    return time.perf_counter() - started


def explorer_job() -> bool:
    """Whether the activation explorer's script is missing from the cache (an edit to the
    registry: printing it takes seconds and imports torch)."""
    from docs_build import explorer

    return not explorer.cache_path().exists()


def run_explorer() -> float:
    from docs_build import explorer

    started = time.perf_counter()
    registry.load_chapters()
    explorer.functions_js()
    return time.perf_counter() - started


def run_notebook(source: Path) -> float:
    return notebooks.executed(source).seconds


def workers() -> int:
    return int(os.environ.get("DOCS_BUILD_JOBS", "0")) or os.cpu_count() or 1


class _Jobs:
    """One build's worker processes and the jobs handed to them (label per future)."""

    def __init__(self) -> None:
        self.pool: concurrent.futures.ProcessPoolExecutor | None = None
        self.futures: dict[concurrent.futures.Future, str] = {}
        self.started = 0.0
        self.notebooks = 0  # notebooks handed out, or left for warm_caches to hand out
        self.waiting: list[Path] = []  # the notebooks left for warm_caches

    def submit(self, run, args: tuple, label: str) -> None:
        if self.pool is None:
            self.started = time.perf_counter()
            # no fork: torch's threads do not survive it
            context = multiprocessing.get_context("spawn")
            self.pool = concurrent.futures.ProcessPoolExecutor(
                workers(), mp_context=context
            )
        self.futures[self.pool.submit(run, *args)] = label

    def wait(self) -> None:
        """Log each job as it finishes (a cold build takes minutes: say what finished and
        how much is left); leave a failed one to the serial build, which runs it again
        and reports it."""
        for done, future in enumerate(concurrent.futures.as_completed(self.futures), 1):
            try:
                seconds = future.result()
                log.info(
                    "  %s: %.1f s (%d of %d)",
                    self.futures[future],
                    seconds,
                    done,
                    len(self.futures),
                )
            except Exception as exc:
                log.info(
                    "  %s failed in a worker (the build runs it again): %r",
                    self.futures[future],
                    exc,
                )

    def close(self) -> None:
        """Let the workers exit on their own (a second of torch's clean-up each) while
        the build renders the pages."""
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
        self.__init__()


_JOBS = _Jobs()


def close() -> None:
    """Drop this build's jobs (a failed build: ``on_build_error``)."""
    _JOBS.close()


def notebook_label(source: Path) -> str:
    return f"notebook {source.name}"


def start_notebooks() -> None:
    """Hand one notebook whose executed copy is missing to each worker, before the build
    imports its chapters (``on_config``): a notebook runs on its own kernel and needs
    none of them. The others wait for ``warm_caches``, which queues them with the
    chapters' jobs, behind the slowest chapters (queued here, all ten notebooks went
    first and the two slowest chapters last)."""
    _JOBS.close()  # a build that failed before its warm-up (mkdocs serve) left its jobs
    if not registry.use_cache() or workers() < 2:
        return
    sources = notebook_jobs()
    for source in sources[: workers()]:
        _JOBS.submit(run_notebook, (source,), notebook_label(source))
    _JOBS.waiting = sources[workers() :]
    _JOBS.notebooks = len(sources)


def warm_caches() -> None:
    """Fill the missing cache entries with one worker process per CPU: the notebooks
    (``start_notebooks`` handed out the first), the chapters' facts and figures and the
    explorer's script."""
    try:
        if not registry.use_cache() or workers() < 2:
            return
        chapters, explorer = chapter_jobs(), explorer_job()
        # One job alone runs as fast in the build itself, which has imported the
        # chapters already (a worker would import them again first).
        if len(chapters) + explorer < 2:
            chapters, explorer = {}, False
        jobs = {
            chapter_label(module): (run_chapter, (module, *work))
            for module, work in chapters.items()
        }
        jobs |= {notebook_label(s): (run_notebook, (s,)) for s in _JOBS.waiting}
        if explorer:
            jobs["the activation explorer's script"] = (run_explorer, ())
        for label in longest_first(list(jobs)):
            _JOBS.submit(*jobs[label], label)
        _JOBS.waiting = []
        if not _JOBS.futures:
            return
        log.info(
            "Computing %d jobs with %d workers: %d chapters' facts and figures, "
            "%d notebooks%s",
            len(_JOBS.futures),
            workers(),
            len(chapters),
            _JOBS.notebooks,
            " and the activation explorer's script" if explorer else "",
        )
        _JOBS.wait()
        log.info(
            "Computed %d jobs in %.1f s with %d workers",
            len(_JOBS.futures),
            time.perf_counter() - _JOBS.started,
            workers(),
        )
    finally:
        _JOBS.close()
