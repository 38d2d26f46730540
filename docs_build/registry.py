"""Registries of facts (numbers, LaTeX) and figures that pages reference by name.

Chapter modules in ``docs_build/chapters/`` register providers with the two decorators
below. Facts are cached on disk, keyed on a hash of every source file that can change
them, so ``mkdocs serve`` stays fast and a stale value can never be served.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / ".cache" / "docs_build"
SOURCE_DIRS = ("snippets", "docs_build")

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


def source_hash(dirs: tuple[str, ...]) -> str:
    """Hash of every tracked-looking source file under ``dirs`` plus the torch version."""
    import torch

    # Results can depend on the thread count (float reductions), so it is part of the key.
    digest = hashlib.sha256(
        f"{torch.__version__} threads={torch.get_num_threads()}".encode()
    )
    for d in dirs:
        base = ROOT / d
        paths = [base] if base.is_file() else sorted(base.rglob("*"))
        for path in paths:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_MEMO: dict[str, Facts] = {}


def get_facts(namespace: str) -> Facts:
    """Values of one namespace: memoised in-process and cached on disk by source hash.

    Set ``DOCS_FACTS_CACHE=0`` to recompute everything (the cache is only a speed-up:
    its key covers every file the provider can read).
    """
    if not FACT_PROVIDERS:
        load_chapters()
    if namespace not in FACT_PROVIDERS:
        known = ", ".join(sorted(FACT_PROVIDERS))
        raise KeyError(f"unknown fact namespace {namespace!r} (known: {known})")
    provider = FACT_PROVIDERS[namespace]
    key = f"{namespace}-{source_hash(provider.sources)}"  # type: ignore[attr-defined]
    if key in _MEMO:
        return _MEMO[key]
    use_cache = os.environ.get("DOCS_FACTS_CACHE", "1") != "0"
    path = CACHE_DIR / f"{key}.json"
    if use_cache and path.exists():
        values = json.loads(path.read_text())
    else:
        values = provider()
        bad = {k: type(v).__name__ for k, v in values.items() if not isinstance(v, str)}
        if bad:
            raise TypeError(
                f"facts {namespace}: values must be formatted strings, got {bad}"
            )
        if use_cache:
            CACHE_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values, indent=1, sort_keys=True))
    _MEMO[key] = values
    return values
