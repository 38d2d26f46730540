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

Jobs start longest first, so that the last one to finish is short and both workers stay
busy to the end: each job's seconds in the last build that ran it are kept in
``.cache/docs_build/job-seconds.json`` (only an ordering hint, never a result); a job
never timed here takes its time from ``TYPICAL_SECONDS`` (a cold build on an idle
2-core machine), or else goes after the timed ones.
"""

from __future__ import annotations

import concurrent.futures
import json
import logging
import multiprocessing
import os
import time
from pathlib import Path

from docs_build import notebooks, registry

log = logging.getLogger("mkdocs.hooks.docs_build.prepare")

SECONDS = registry.CACHE_DIR / "job-seconds.json"
# Seconds of the slowest jobs in a cold build (main 11bbf8b, idle 2 cores), to start them
# first on a fresh clone; SECONDS overrides them once this machine has timed a job.
TYPICAL_SECONDS = {
    "facts and figures of shallow_vs_deep": 35.7,
    "facts and figures of rnn": 25.3,
    "facts and figures of activations": 11.4,
    "facts and figures of gated": 8.9,
    "facts and figures of autoencoders": 8.9,
    "facts and figures of language": 8.3,
}


def expected_seconds() -> dict[str, float]:
    """Job label -> how long it is expected to take (the last timing, else typical)."""
    try:
        timed = json.loads(SECONDS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        timed = {}
    return TYPICAL_SECONDS | {k: float(v) for k, v in timed.items()}


def longest_first(labels: list[str]) -> list[str]:
    """Job labels, the longest expected first (a stable sort: untimed jobs keep their
    order, after the timed ones)."""
    expected = expected_seconds()
    return sorted(labels, key=lambda label: -expected.get(label, 0.0))


def record_seconds(seconds: dict[str, float]) -> None:
    """Keep the jobs' timings for the next build's ordering (best effort)."""
    try:
        kept = json.loads(SECONDS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = {}
    try:
        SECONDS.parent.mkdir(parents=True, exist_ok=True)
        SECONDS.write_text(
            json.dumps(kept | seconds, indent=0, sort_keys=True), encoding="utf-8"
        )
    except OSError:
        pass


def chapter_jobs() -> dict[str, tuple[list[str], list[str]]]:
    """{chapter module: (fact namespaces, figure names)} whose cache entries are missing."""
    registry.load_chapters()
    jobs: dict[str, tuple[list[str], list[str]]] = {}
    for namespace, provider in registry.FACT_PROVIDERS.items():
        if not registry.facts_path(namespace).exists():
            jobs.setdefault(provider.__module__, ([], []))[0].append(namespace)
    for name, fig in registry.FIGURES.items():
        if not all(registry.figure_path(fig, dark).exists() for dark in (False, True)):
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
        for dark in (False, True):
            registry.figure_svg(registry.FIGURES[name], dark)
    return time.perf_counter() - started


def run_notebook(source: Path) -> float:
    return notebooks.executed(source).seconds


def workers() -> int:
    return int(os.environ.get("DOCS_BUILD_JOBS", "0")) or os.cpu_count() or 1


def warm_caches() -> None:
    """Fill the missing cache entries with one worker process per CPU."""
    if not registry.use_cache() or workers() < 2:
        return
    chapters, sources = chapter_jobs(), notebook_jobs()
    if len(chapters) + len(sources) < 2:
        return  # nothing to share out: the serial build is as fast
    started = time.perf_counter()
    context = multiprocessing.get_context(
        "spawn"
    )  # no fork: torch's threads do not survive it
    jobs = [(run_notebook, (s,), f"notebook {s.name}") for s in sources] + [
        (
            run_chapter,
            (module, *work),
            "facts and figures of " + module.rsplit(".", 1)[-1],
        )
        for module, work in chapters.items()
    ]
    rank = {label: i for i, label in enumerate(longest_first([j[2] for j in jobs]))}
    jobs.sort(key=lambda job: rank[job[2]])
    timings: dict[str, float] = {}
    with concurrent.futures.ProcessPoolExecutor(workers(), mp_context=context) as pool:
        futures = {pool.submit(run, *args): label for run, args, label in jobs}
        log.info(
            "Computing %d chapters' facts and figures and %d notebooks with %d workers",
            len(chapters),
            len(sources),
            workers(),
        )
        for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
            try:  # a cold build takes minutes: say what finished, and how much is left
                timings[futures[future]] = future.result()
                log.info(
                    "  %s: %.1f s (%d of %d)",
                    futures[future],
                    timings[futures[future]],
                    done,
                    len(futures),
                )
            except Exception as exc:  # the serial build runs it again and reports it
                log.info(
                    "  %s failed in a worker (the build runs it again): %r",
                    futures[future],
                    exc,
                )
    record_seconds(timings)
    log.info(
        "Computed %d chapters' facts and figures and %d notebooks in %.1f s with %d workers",
        len(chapters),
        len(sources),
        time.perf_counter() - started,
        workers(),
    )
