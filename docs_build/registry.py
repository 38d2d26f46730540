"""Registries of facts (numbers, LaTeX) and figures that pages reference by name.

Chapter modules in ``docs_build/chapters/`` register providers with the two decorators
below. Facts are cached on disk, keyed on a hash of every source file that can change
them, so ``mkdocs serve`` stays fast and a stale value can never be served.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no lock, so two processes may compute one entry twice
    fcntl = None

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / ".cache" / "docs_build"
SOURCE_DIRS = ("snippets", "docs_build")
# Written by the build itself (executed notebooks, git-ignored): never part of a source key.
GENERATED = ROOT / "docs" / "notebooks"

Facts = dict[str, str]


@dataclass(frozen=True)
class Figure:
    """A plot drawn at build time: ``draw(ax_factory)`` returns a matplotlib Figure."""

    name: str  # e.g. "activations/relu"; served at figures/<name>.svg and -dark.svg
    alt: str  # alt text: what the figure shows, for readers who cannot see it
    caption: str
    draw: Callable[[], object]


FACT_PROVIDERS: dict[str, Callable[[], Facts]] = {}
FIGURES: dict[str, Figure] = {}


def facts(namespace: str, *, sources: tuple[str, ...] = SOURCE_DIRS) -> Callable:
    """Register ``fn() -> dict[str, str]`` as the provider of ``{{ namespace.* }}``."""

    def register(fn: Callable[[], Facts]) -> Callable[[], Facts]:
        if namespace in FACT_PROVIDERS:
            raise ValueError(f"fact namespace {namespace!r} registered twice")
        FACT_PROVIDERS[namespace] = fn
        fn.sources = sources  # type: ignore[attr-defined]
        return fn

    return register


def figure(name: str, *, alt: str, caption: str = "") -> Callable:
    """Register ``fn() -> matplotlib.figure.Figure`` as the figure ``name``."""

    def register(fn: Callable[[], object]) -> Callable[[], object]:
        if name in FIGURES:
            raise ValueError(f"figure {name!r} registered twice")
        if not alt.strip():
            raise ValueError(f"figure {name!r} needs alt text")
        FIGURES[name] = Figure(name=name, alt=alt, caption=caption, draw=fn)
        return fn

    return register


def load_chapters() -> None:
    """Import every module of ``docs_build.chapters`` so that they register."""
    from docs_build import chapters

    for info in sorted(pkgutil.iter_modules(chapters.__path__), key=lambda m: m.name):
        importlib.import_module(f"docs_build.chapters.{info.name}")


_HASHES: dict[tuple[Path, tuple[str, ...]], str] = {}


def source_hash(dirs: tuple[str, ...]) -> str:
    """Hash of every tracked-looking source file under ``dirs`` plus the torch version.

    Computed once per build (a page asks for a namespace's key with each of its facts:
    hundreds of walks over the tree); ``forget_source_hashes`` starts the next build afresh."""
    key = (ROOT, tuple(dirs))
    if key not in _HASHES:
        _HASHES[key] = _hash_sources(dirs)
    return _HASHES[key]


def forget_source_hashes() -> None:
    """Sources may have changed since the last build (``mkdocs serve``): hash them again."""
    _HASHES.clear()


def _hash_sources(dirs: tuple[str, ...]) -> str:
    import torch

    # Results can depend on the thread count (float reductions), so it is part of the key.
    digest = hashlib.sha256(
        f"{torch.__version__} threads={torch.get_num_threads()}".encode()
    )
    for d in dirs:
        base = ROOT / d
        paths = [base] if base.is_file() else sorted(base.rglob("*"))
        for path in paths:
            if (
                path.is_file()
                and "__pycache__" not in path.parts
                and not path.is_relative_to(GENERATED)
            ):
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock for the cache entry ``path`` while it is read or made.

    The build's workers and the tests run at the same time: whichever asks for an entry
    first computes it, and the others wait for it instead of computing it again."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield  # closing the file releases the lock


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` so that no reader ever sees half a file."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def cached_text(path: Path, make: Callable[[], str], use_cache: bool = True) -> str:
    """The text at ``path``, made by ``make()`` (under the entry's lock) when missing."""
    if not use_cache:
        return make()
    with locked(path):
        if path.exists():
            return path.read_text(encoding="utf-8")
        text = make()
        write_atomic(path, text)
        return text


def facts_path(namespace: str) -> Path:
    """Where the facts of ``namespace`` are cached for the current sources."""
    provider = FACT_PROVIDERS[namespace]
    key = f"{namespace}-{source_hash(provider.sources)}"  # type: ignore[attr-defined]
    return CACHE_DIR / f"{key}.json"


def use_cache() -> bool:
    """False when ``DOCS_FACTS_CACHE=0`` asks for everything to be computed afresh."""
    return os.environ.get("DOCS_FACTS_CACHE", "1") != "0"


_MEMO: dict[str, Facts] = {}


def get_facts(namespace: str) -> Facts:
    """Values of one namespace: memoised in-process and cached on disk by source hash.

    Set ``DOCS_FACTS_CACHE=0`` to recompute everything (the cache is only a speed-up:
    its key covers every file the provider can read).
    """
    if namespace not in FACT_PROVIDERS:
        # A test may have imported some chapters only: import the rest (a no-op for those
        # already imported).
        load_chapters()
    if namespace not in FACT_PROVIDERS:
        known = ", ".join(sorted(FACT_PROVIDERS))
        raise KeyError(f"unknown fact namespace {namespace!r} (known: {known})")
    path = facts_path(namespace)
    if path.name in _MEMO:
        return _MEMO[path.name]

    def compute() -> str:
        values = FACT_PROVIDERS[namespace]()
        bad = {k: type(v).__name__ for k, v in values.items() if not isinstance(v, str)}
        if bad:
            raise TypeError(
                f"facts {namespace}: values must be formatted strings, got {bad}"
            )
        return json.dumps(values, indent=1, sort_keys=True)

    values = json.loads(cached_text(path, compute, use_cache()))
    _MEMO[path.name] = values
    return values


def figure_path(fig: Figure, dark: bool) -> Path:
    """Where one palette of ``fig`` is cached for the current sources."""
    name = hashlib.sha256(fig.name.encode()).hexdigest()[:12]
    folder = CACHE_DIR / "figures" / source_hash(SOURCE_DIRS)
    return folder / f"{name}{'-dark' if dark else ''}.svg"


def figure_svg(fig: Figure, dark: bool) -> str:
    """The SVG of ``fig`` in one palette, drawn now by its (tested) function or cached; the
    dark one is the light one recoloured (plotting.to_dark)."""
    from docs_build import plotting

    def make() -> str:
        if dark:
            return plotting.to_dark(figure_svg(fig, dark=False))
        return plotting.render(fig.draw, dark=False)

    return cached_text(figure_path(fig, dark), make, use_cache())
