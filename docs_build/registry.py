"""Registries of facts (numbers, LaTeX) and figures that pages reference by name.

Chapter modules in ``docs_build/chapters/`` register providers with the two decorators
below. Facts and figures are cached on disk, keyed on what can change them: the
provider's module, every module of ours it imports (in ``docs_build/`` or ``snippets/``,
followed through their imports), any extra sources it names, and the versions of the
libraries that compute and draw them. So ``mkdocs serve`` stays fast, editing one snippet
recomputes only the chapters that import it, and a stale value is never served.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib
import importlib.metadata
import importlib.util
import inspect
import json
import os
import pkgutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from filelock import FileLock

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / ".cache" / "docs_build"
SNIPPETS = "snippets"  # on sys.path while building: ``from architectures import cnn``
# Everything, for a provider whose inputs cannot be read off its imports (it loads every
# chapter, or reads pages): name it in ``sources=``.
SOURCE_DIRS = (SNIPPETS, "docs_build")
# The libraries whose version can change a fact or a figure.
VERSIONED = ("torch", "numpy", "sympy", "matplotlib")

Facts = dict[str, str]


@dataclass(frozen=True)
class Figure:
    """A plot drawn at build time: ``draw(ax_factory)`` returns a matplotlib Figure."""

    name: str  # e.g. "activations/relu"; served at figures/<name>.svg
    alt: str  # alt text: what the figure shows, for readers who cannot see it
    caption: str
    draw: Callable[[], object]


FACT_PROVIDERS: dict[str, Callable[[], Facts]] = {}
FIGURES: dict[str, Figure] = {}
RUNS: dict[str, Callable[[], dict]] = {}


def facts(namespace: str, *, sources: tuple[str, ...] = ()) -> Callable:
    """Register ``fn() -> dict[str, str]`` as the provider of ``{{ namespace.* }}``.

    ``sources``: files or folders (relative to the repository) it reads besides the modules
    it imports, which are found by themselves (``provider_key``)."""

    def register(fn: Callable[[], Facts]) -> Callable[[], Facts]:
        if namespace in FACT_PROVIDERS:
            raise ValueError(f"fact namespace {namespace!r} registered twice")
        FACT_PROVIDERS[namespace] = fn
        fn.sources = sources  # type: ignore[attr-defined]
        remember_imported(fn.__module__)
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
        remember_imported(fn.__module__)
        return fn

    return register


def runs(name: str) -> Callable:
    """Register ``fn() -> dict`` as the runs ``name``: what a page's facts and figures are
    computed from (trained models, loss curves, per-seed results, or the rows a page's
    table is declared with), for tests that check more of it than the page prints.
    ``name`` is the page's fact namespace, or that and a part (``"shallow.checks"``)."""

    def register(fn: Callable[[], dict]) -> Callable[[], dict]:
        if name in RUNS:
            raise ValueError(f"runs {name!r} registered twice")
        RUNS[name] = fn
        remember_imported(fn.__module__)
        return fn

    return register


def get_runs(name: str) -> dict:
    """The runs registered as ``name`` (each provider computes them once per set of sources:
    ``cached_result``)."""
    if name not in RUNS:
        load_chapters()
    if name not in RUNS:
        raise KeyError(f"unknown runs {name!r} (known: {', '.join(sorted(RUNS))})")
    return RUNS[name]()


def load_chapters() -> None:
    """Import every module of ``docs_build.chapters`` (packages' modules included) so that
    they register, and remember the code each one imported (``remember_imported``)."""
    from docs_build import chapters

    for info in sorted(
        pkgutil.walk_packages(chapters.__path__, "docs_build.chapters."),
        key=lambda m: m.name,
    ):
        try:
            importlib.import_module(info.name)
        except BaseException:
            # A module that failed half-way may have registered names: forget them, so
            # that its import can be tried again (mkdocs serve, once the error is fixed).
            _forget_registrations(lambda module: module not in sys.modules)
            raise
        remember_imported(info.name)


# The code this process runs. A module's cache key covers its dependency files as they were
# when the module was imported, for the life of the process or until reload_changed imports
# it again: a file edited on disk later (a `git merge` while the tests run) must not give
# the old code's results the new code's key. _CODE: each file's bytes when first
# remembered; _IMPORTED: (ROOT, module) -> files.
_CODE: dict[Path, bytes] = {}
_IMPORTED: dict[tuple[Path, str], tuple[Path, ...]] = {}


def remember_imported(module: str) -> None:
    """Hash from now on ``module``'s dependency files as they are now: call it when the
    module is imported (``load_chapters`` and the ``facts``/``figure`` decorators do)."""
    if (ROOT, module) in _IMPORTED or module_file(module) is None:
        return
    forget = (
        "deps",
        ROOT,
        module,
    )  # its import graph as of now, not of this build's start
    _HASHES.pop(forget, None)
    files = tuple(dependencies(module))
    for path in files:
        _CODE.setdefault(path, path.read_bytes())
    _IMPORTED[(ROOT, module)] = files


def _code(module: str) -> dict[Path, bytes]:
    """The files a provider in ``module`` runs, with their contents: as imported when the
    module was (``remember_imported``); read now for a module this process never imported."""
    if (ROOT, module) not in _IMPORTED and module in sys.modules:
        remember_imported(module)
    if (ROOT, module) in _IMPORTED:
        return {p: _CODE[p] for p in _IMPORTED[(ROOT, module)]}
    return {p: p.read_bytes() for p in dependencies(module)}


def changed_since_import() -> list[Path]:
    """Files of imported modules that differ on disk from the code this process runs
    (``mkdocs serve`` keeps running the code it started with)."""
    return sorted(
        path
        for path, text in _CODE.items()
        if path.is_relative_to(ROOT)
        and (not path.is_file() or path.read_bytes() != text)
    )


def reload_changed(keep: tuple[ModuleType, ...] = ()) -> tuple[list[str], list[Path]]:
    """Run the code on disk where it changed since this process imported it (``mkdocs
    serve`` after an edit: ``changed_since_import``), so that new code computes under its
    own key: each changed module of ours and every module that imports it leave
    ``sys.modules``, with what they registered (facts, figures, formulas), and the chapters
    are imported again. This registry, ``keep`` (the MkDocs hooks module) and the modules
    they hold by name cannot be imported again in a running process: a changed file of
    theirs stays counted as imported (its old code is what runs) and needs a restart.

    Returns (the modules dropped, to be imported again; changed files needing a restart)."""
    changed = set(changed_since_import())
    if not changed:
        return [], []
    kept = _held_files((sys.modules[__name__], *keep))
    fresh = changed - kept
    imported = {m: set(files) for (root, m), files in _IMPORTED.items() if root == ROOT}
    stale = sorted(
        name
        for name, path in _our_modules().items()
        if path not in kept
        and (
            path in fresh
            or fresh & imported.get(name, set())
            or (module_file(name) == path and fresh & set(dependencies(name)))
        )
    )
    for name in stale:
        del sys.modules[name]
        parent, _, child = name.rpartition(".")
        if parent in sys.modules:  # else ``from parent import child`` finds the old one
            vars(sys.modules[parent]).pop(child, None)
    _forget_registrations(lambda module: module in stale)
    for path in fresh:
        _CODE.pop(path, None)
        # A stale .pyc would run the old code: Python checks a source's size and its
        # mtime in whole seconds, which two quick edits can share.
        Path(importlib.util.cache_from_source(str(path))).unlink(missing_ok=True)
    for name in stale:
        _IMPORTED.pop((ROOT, name), None)
    importlib.invalidate_caches()
    load_chapters()
    return stale, sorted(changed & kept)


def _forget_registrations(gone: Callable[[str], bool]) -> None:
    """Drop the facts, figures and formulas registered by modules for which ``gone``."""
    for namespace in [n for n, fn in FACT_PROVIDERS.items() if gone(fn.__module__)]:
        del FACT_PROVIDERS[namespace]
    for name in [n for n, fig in FIGURES.items() if gone(fig.draw.__module__)]:
        del FIGURES[name]
    for name in [n for n, fn in RUNS.items() if gone(fn.__module__)]:
        del RUNS[name]
    # (If docs_build.formulas itself was dropped, its new import starts an empty registry.)
    formulas = sys.modules.get("docs_build.formulas")
    if formulas is not None:
        for name in [n for n, f in formulas.FORMULAS.items() if gone(f.module)]:
            del formulas.FORMULAS[name]


def _our_modules() -> dict[str, Path]:
    """{name: file} of the imported modules of ours (in docs_build/ or snippets/)."""
    folders = tuple(f"{ROOT / d}{os.sep}" for d in SOURCE_DIRS)
    out = {}
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        # sys.modules holds thousands of modules: a quick test
        if isinstance(file, str) and file.startswith(folders):
            out[name] = Path(file)
    return out


def _ours(path: Path) -> bool:
    return any(path.is_relative_to(ROOT / d) for d in SOURCE_DIRS)


def _held_files(modules: tuple[ModuleType, ...]) -> set[Path]:
    """The files of ``modules``, of the modules of ours they hold by name (``from x import
    y`` binds y, whose module then runs on), followed through those, and their packages."""
    seen: dict[str, Path] = {}
    todo = list(modules)
    while todo:
        module = todo.pop()
        file = getattr(module, "__file__", None)
        if module.__name__ in seen or not file or not _ours(Path(file)):
            continue
        seen[module.__name__] = Path(file)
        for name, value in list(vars(module).items()):
            if getattr(value, "__name__", None) == f"{module.__name__}.{name}":
                continue  # a package's submodule, set by its import: not held by it
            owner = (
                value
                if isinstance(value, ModuleType)
                else sys.modules.get(getattr(value, "__module__", None) or "")
            )
            if owner is not None:
                todo.append(owner)
    files = set(seen.values())
    return files | {init for p in files for init in _imported_packages(p)}


_HASHES: dict[tuple, str] = {}  # one build's keys: see forget_source_hashes


def source_hash(dirs: tuple[str, ...]) -> str:
    """Hash of every file under ``dirs`` (files or folders relative to ROOT).

    Computed once per build (a page asks for a namespace's key with each of its facts:
    hundreds of walks over the tree); ``forget_source_hashes`` starts the next build afresh."""
    key = ("dirs", ROOT, tuple(dirs))
    if key not in _HASHES:
        digest = hashlib.sha256()
        for path in _files(dirs):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
        _HASHES[key] = digest.hexdigest()[:16]
    return _HASHES[key]


def forget_source_hashes() -> None:
    """Sources may have changed since the last build (``mkdocs serve``): hash them again."""
    _HASHES.clear()


def _files(dirs: tuple[str, ...]) -> list[Path]:
    out = []
    for d in dirs:
        base = ROOT / d
        for path in [base] if base.is_file() else sorted(base.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                out.append(path)
    return out


def module_file(name: str) -> Path | None:
    """The file of module ``name`` when it is ours: ``docs_build.x`` under the repository,
    a snippet (``architectures.cnn``) under snippets/. None for a library."""
    parts = name.split(".")
    for base in (ROOT, ROOT / SNIPPETS):
        stem = base.joinpath(*parts)
        for path in (stem.with_suffix(".py"), stem / "__init__.py"):
            if path.is_file():
                return path
    return None


def _package(path: Path) -> str:
    """The dotted package a module file of ours belongs to ('' at the top)."""
    base = ROOT / SNIPPETS if path.is_relative_to(ROOT / SNIPPETS) else ROOT
    parts = list(path.relative_to(base).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts[:-1]) if path.name != "__init__.py" else ".".join(parts)


def _imported(path: Path) -> set[Path]:
    """Files of ours that the module at ``path`` imports anywhere (in functions too),
    with their packages' ``__init__.py``. A dynamic ``import_module("pkg." + name)`` of a
    snippet package counts every module of that package."""
    found: set[Path] = set()

    def add(name: str) -> bool:
        file = module_file(name)
        if file is None:
            return False
        found.add(file)
        parts = name.split(".")
        for i in range(1, len(parts)):  # its packages run first
            init = module_file(".".join(parts[:i]))
            if init is not None and init.name == "__init__.py":
                found.add(init)
        return True

    stat = path.stat()
    version = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    for kind, name, fallback in _import_names(path, version):
        if kind == "name":
            if not add(name) and fallback:
                add(fallback)
        else:  # a snippet package imported by a computed name: all its modules
            folder = ROOT / SNIPPETS / name.replace(".", "/")
            if folder.is_dir():
                found.update(p for p in folder.glob("*.py"))
    return found


@functools.cache
def _import_names(
    path: Path, version: tuple[int, int, int]
) -> tuple[tuple[str, str, str], ...]:
    """What the module at ``path`` imports, as written: ("name", module, fallback) or
    ("package", prefix, ""). Parsed once per version of the file (``version``, its mtime, size
    and inode, is part of the key), so ``mkdocs serve`` reparses only what was edited."""
    out: list[tuple[str, str, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.extend(("name", alias.name, "") for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                package = _package(path).split(".") if _package(path) else []
                package = package[: len(package) - node.level + 1]
                module = ".".join([*package, module] if module else package)
            for alias in node.names:
                name = f"{module}.{alias.name}" if module else alias.name
                out.append(("name", name, module))
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", ""))
            == "import_module"
            and node.args
        ):
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                out.append(("name", arg.value, ""))
            elif isinstance(arg, ast.JoinedStr) and isinstance(
                getattr(arg.values[0], "value", None), str
            ):
                prefix = arg.values[0].value.rstrip(".")
                if prefix:
                    out.append(("package", prefix, ""))
    return tuple(out)


def dependencies(module: str) -> list[Path]:
    """``module``'s file and every file of ours it imports, followed through their
    imports: what a provider defined in ``module`` can run."""
    key = ("deps", ROOT, module)
    if key not in _HASHES:
        start = module_file(module)
        if start is None:
            raise ValueError(f"{module!r} is not a module under {ROOT}")
        seen: set[Path] = set()
        todo = [start, *_imported_packages(start)]
        while todo:
            path = todo.pop()
            if path not in seen:
                seen.add(path)
                todo.extend(_imported(path) - seen)
        _HASHES[key] = json.dumps(sorted(str(p.relative_to(ROOT)) for p in seen))
    return [ROOT / p for p in json.loads(_HASHES[key])]


def _imported_packages(path: Path) -> list[Path]:
    """The ``__init__.py`` files that run before the module at ``path``."""
    name = _package(path)
    parts = name.split(".") if name else []
    inits = [module_file(".".join(parts[: i + 1])) for i in range(len(parts))]
    return [p for p in inits if p is not None and p.name == "__init__.py"]


def versions() -> str:
    """The versions that can change a result or a drawing, and the thread count (float
    reductions can depend on it)."""
    return f"{_library_versions()} threads={torch_threads()}"


def torch_threads() -> int:
    """The number of threads torch runs on: asked of torch once it is imported; before, 1
    when ``OMP_NUM_THREADS`` is 1, as docs_build/__init__.py sets it (torch then starts on
    one thread), so that a build whose caches are warm never imports torch (2 s). Any other
    setting asks torch, which may start on fewer threads than it says (the CPU's count)."""
    if "torch" not in sys.modules and os.environ.get("OMP_NUM_THREADS") == "1":
        return 1
    import torch

    return torch.get_num_threads()


@functools.cache
def _library_versions() -> str:
    """The installed versions of VERSIONED, read once per process (each read of package
    metadata costs milliseconds, and a build asks for every cache key)."""
    return " ".join(f"{lib}={importlib.metadata.version(lib)}" for lib in VERSIONED)


def key_of(modules: tuple[str, ...], sources: tuple[str, ...] = ()) -> str:
    """Cache key over ``modules`` (with what they import, as imported: ``_code``),
    ``sources`` (as they are now, except a file of code this process imported, which counts
    as imported) and ``versions()``."""
    digest = hashlib.sha256(versions().encode())
    contents = {path: text for m in modules for path, text in _code(m).items()}
    for path in _files(sources):  # code among them as imported, like the modules
        contents.setdefault(path, _CODE[path] if path in _CODE else path.read_bytes())
    for path in sorted(contents):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(contents[path])
    return digest.hexdigest()[:16]


def provider_key(fn: Callable, *also: str) -> str:
    """The cache key of a fact provider or a figure's drawing function (``also``: modules
    that turn its result into the cached text, such as docs_build.plotting)."""
    key = ("key", ROOT, fn.__module__, getattr(fn, "__qualname__", ""), also)
    if key not in _HASHES:
        _HASHES[key] = key_of((fn.__module__, *also), getattr(fn, "sources", ()))
    return _HASHES[key]


def locked(path: Path) -> FileLock:
    """An exclusive lock for the cache entry ``path`` while it is read or made.

    The build's workers and the tests run at the same time: whichever asks for an entry
    first computes it, and the others wait for it instead of computing it again."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(path.with_name(path.name + ".lock"))


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


def run_key(fn: Callable, snippet: str) -> str:
    """The cache key of a run that calls one snippet module and nothing else of its chapter:
    that snippet (with what it imports, as imported), ``fn``'s own source and the versions.
    Narrower than ``provider_key`` (the chapter's whole module and what it imports), so
    that an edit elsewhere in the chapter, or in a module it imports (the activation
    registry), does not train the snippet's models again. ``fn`` must take all it runs
    from the snippet: a constant or helper of its chapter that it used would not count."""
    key = ("run", ROOT, fn.__module__, fn.__qualname__, snippet)
    if key not in _HASHES:
        lines = _code(fn.__module__)[module_file(fn.__module__)].decode("utf-8")
        block = inspect.getblock(
            lines.splitlines(keepends=True)[fn.__code__.co_firstlineno - 1 :]
        )
        digest = hashlib.sha256(key_of((snippet,)).encode())
        digest.update("".join(block).encode())
        _HASHES[key] = digest.hexdigest()[:16]
    return _HASHES[key]


def cached_result(fn: Callable[[], object], snippet: str | None = None) -> object:
    """``fn()``, a result too rich for text (trained models, loss curves), computed once per
    set of sources: kept with ``torch.save`` under ``fn``'s cache key (its module, what
    that imports, the versions: ``provider_key``; with ``snippet``, that snippet and
    ``fn``'s source: ``run_key``), under the entry's lock, so the build and the tests read
    one run instead of training twice. ``DOCS_FACTS_CACHE=0`` recomputes. Never call it
    while a test has patched what ``fn`` runs: whatever it computes then is saved under
    the unpatched sources' key."""
    import torch

    if not use_cache():
        return fn()
    key = provider_key(fn) if snippet is None else run_key(fn, snippet)
    name = f"{fn.__module__}.{fn.__qualname__}-{key}.pt"
    path = CACHE_DIR / "results" / name
    with locked(path):
        if path.exists():
            return torch.load(path, weights_only=False)  # written by this code, above
        result = fn()
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        torch.save(result, tmp)
        os.replace(tmp, path)
        return result


def facts_path(namespace: str) -> Path:
    """Where the facts of ``namespace`` are cached for the current sources."""
    provider = FACT_PROVIDERS[namespace]
    key = f"{namespace}-{provider_key(provider)}"
    return CACHE_DIR / f"{key}.json"


def use_cache() -> bool:
    """False when ``DOCS_FACTS_CACHE=0`` asks for everything to be computed afresh."""
    return os.environ.get("DOCS_FACTS_CACHE", "1") != "0"


_MEMO: dict[str, Facts] = {}


def get_facts(namespace: str) -> Facts:
    """Values of one namespace: memoised in-process and cached on disk by source hash.

    Set ``DOCS_FACTS_CACHE=0`` to recompute everything (the cache is only a speed-up:
    its key covers every file the provider can read: ``provider_key``).
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


def figure_path(fig: Figure) -> Path:
    """Where ``fig`` is cached for the current sources."""
    name = hashlib.sha256(fig.name.encode()).hexdigest()[:12]
    folder = CACHE_DIR / "figures" / provider_key(fig.draw, "docs_build.plotting")
    return folder / f"{name}.svg"


def figure_svg(fig: Figure) -> str:
    """The SVG of ``fig``, drawn now by its (tested) function or cached: drawn in the light
    palette and served as one image that follows the reader's (plotting.themed)."""
    from docs_build import plotting

    def make() -> str:
        return plotting.themed(plotting.render(fig.draw, dark=False))

    return cached_text(figure_path(fig), make, use_cache())
