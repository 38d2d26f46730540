"""The cache of facts and figures: what its keys follow, and its lock."""

from __future__ import annotations

import importlib
import multiprocessing
import os
import sys
import time
from pathlib import Path

import pytest

from docs_build import hooks, registry

CHAPTER = "docs_build.chapters.demo"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository of our own: one chapter, two snippets, a helper module."""
    monkeypatch.setattr(registry, "ROOT", tmp_path)
    registry.forget_source_hashes()
    files = {
        "docs_build/__init__.py": "",
        "docs_build/chapters/__init__.py": "",
        "docs_build/helpers.py": "WIDTH = 1\n",
        "docs_build/chapters/demo.py": (
            "from docs_build import helpers\n\n"
            "def provider():\n"
            "    from architectures import cnn  # imported where it is used\n"
            "    return {}\n"
        ),
        "snippets/architectures/cnn.py": "import torch\nLAYERS = 2\n",
        "snippets/architectures/gan.py": "LAYERS = 3\n",
        "snippets/activations/relu.py": "",
        "snippets/activations/gelu.py": "",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    yield tmp_path
    registry.forget_source_hashes()


def key(*sources: str) -> str:
    registry.forget_source_hashes()  # a new build
    return registry.key_of((CHAPTER,), sources)


def test_a_chapter_depends_on_what_it_imports_and_nothing_else(tree: Path) -> None:
    deps = {p.relative_to(tree).as_posix() for p in registry.dependencies(CHAPTER)}
    assert deps == {
        "docs_build/__init__.py",
        "docs_build/chapters/__init__.py",
        "docs_build/chapters/demo.py",
        "docs_build/helpers.py",
        "snippets/architectures/cnn.py",
    }


def test_editing_an_imported_snippet_changes_the_key_and_another_does_not(
    tree: Path,
) -> None:
    first = key()
    (tree / "snippets/architectures/gan.py").write_text("LAYERS = 4\n")
    assert key() == first
    (tree / "snippets/architectures/cnn.py").write_text("import torch\nLAYERS = 3\n")
    assert key() != first


def test_editing_a_helper_the_chapter_imports_changes_the_key(tree: Path) -> None:
    first = key()
    (tree / "docs_build/helpers.py").write_text("WIDTH = 2\n")
    assert key() != first


def test_imports_are_followed_through_our_modules(tree: Path) -> None:
    (tree / "docs_build/helpers.py").write_text("from .tables import ROWS\n")
    (tree / "docs_build/tables.py").write_text("ROWS = 3\n")
    first = key()
    (tree / "docs_build/tables.py").write_text("ROWS = 4\n")
    assert key() != first


def test_a_runs_key_covers_its_snippet_and_its_own_source_only(tree: Path) -> None:
    """run_key: the snippet a run calls and the run's own source count; the rest of its
    chapter and what the chapter imports do not (an edit to the activation registry leaves
    the gated block's training cached)."""
    demo = tree / "docs_build/chapters/demo.py"
    # a snippet no other test imports: a module this process has imported counts as the
    # code it imported (registry._code), which an edit on disk does not change
    snippet = tree / "snippets/architectures/run_key_demo.py"
    snippet.write_text("LAYERS = 2\n")

    def run_key() -> str:
        namespace = {"__name__": CHAPTER}
        exec(compile(demo.read_text(), str(demo), "exec"), namespace)
        registry.forget_source_hashes()  # a new build
        return registry.run_key(namespace["run"], "architectures.run_key_demo")

    demo.write_text(
        "def run():\n"
        "    from architectures import run_key_demo\n\n"
        "    return run_key_demo.LAYERS\n\n\n"
        "def other():\n"
        "    from docs_build import helpers\n\n"
        "    return helpers.WIDTH\n"
    )
    first, chapter = run_key(), key()
    (tree / "docs_build/helpers.py").write_text("WIDTH = 2\n")
    demo.write_text(demo.read_text().replace("helpers.WIDTH", "helpers.WIDTH + 1"))
    assert key() != chapter  # the chapter's own key moves: its providers run again
    assert run_key() == first
    snippet.write_text("LAYERS = 3\n")
    second = run_key()
    assert second != first
    demo.write_text(
        demo.read_text().replace(
            "return run_key_demo.LAYERS", "return run_key_demo.LAYERS * 2"
        )
    )
    assert run_key() != second


def test_a_dynamic_import_of_a_snippet_package_counts_all_of_it(tree: Path) -> None:
    (tree / "docs_build/chapters/demo.py").write_text(
        "import importlib\n\n"
        "def provider(name):\n"
        '    return importlib.import_module(f"activations.{name}")\n'
    )
    deps = {p.relative_to(tree).as_posix() for p in registry.dependencies(CHAPTER)}
    assert {"snippets/activations/relu.py", "snippets/activations/gelu.py"} <= deps


def test_named_sources_count(tree: Path) -> None:
    page = tree / "docs" / "page.md"
    page.parent.mkdir()
    page.write_text("one")
    first = key("docs")
    page.write_text("two")
    assert key("docs") != first
    assert key() == key()  # without the source, the page does not count


def test_library_versions_are_part_of_the_key(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = key()
    assert "sympy=" in registry.versions() and "matplotlib=" in registry.versions()
    monkeypatch.setattr(registry, "versions", lambda: "torch=0 threads=1")
    assert key() != first


def test_keys_are_computed_once_per_build(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within one build the tree is hashed once; on_pre_build starts the next build."""

    def provider() -> dict[str, str]:
        return {}

    provider.__module__ = CHAPTER
    first = registry.provider_key(provider)
    (tree / "snippets/architectures/cnn.py").write_text("LAYERS = 9\n")
    assert registry.provider_key(provider) == first  # the same build: not read again
    monkeypatch.setattr("docs_build.prepare.warm_caches", lambda: None)
    monkeypatch.setattr("docs_build.notebooks.generate", lambda: [])
    hooks.on_pre_build(config=None)
    assert registry.provider_key(provider) != first


def _make_slowly(path: str, log: str) -> None:
    def make() -> str:
        with open(log, "a") as f:
            f.write("made\n")
        time.sleep(0.5)
        return "value"

    assert registry.cached_text(Path(path), make) == "value"


def test_two_processes_asking_for_one_entry_compute_it_once(tmp_path: Path) -> None:
    entry, log = tmp_path / "cache" / "entry.json", tmp_path / "log"
    ctx = multiprocessing.get_context("spawn")
    procs = [
        ctx.Process(target=_make_slowly, args=(str(entry), str(log))) for _ in range(2)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    assert log.read_text() == "made\n"
    assert entry.read_text() == "value"


def test_on_this_tree_editing_the_gan_snippet_recomputes_the_gan_chapter_only() -> None:
    """What CONTRIBUTING.md says of snippets/architectures/gan.py: the GAN chapter, and the
    compute table, which times one training step of every architecture snippet's model
    (seconds of work, no training)."""
    registry.load_chapters()
    gan = registry.ROOT / "snippets" / "architectures" / "gan.py"
    modules = {fn.__module__ for fn in registry.FACT_PROVIDERS.values()} | {
        f.draw.__module__ for f in registry.FIGURES.values()
    }
    assert {m for m in modules if gan in registry.dependencies(m)} == {
        "docs_build.chapters.gan",
        "docs_build.chapters.compute",
    }


def test_an_imported_module_keeps_the_key_of_the_code_it_imported(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file edited after the import (a merge while the tests run) must not give the old
    code's results the new code's key; a new process (a new import) gets the new key."""
    monkeypatch.syspath_prepend(str(tree))
    for name in ("docs_build", "docs_build.chapters", "docs_build.helpers", CHAPTER):
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.setattr(registry, "_IMPORTED", {})
    monkeypatch.setattr(registry, "_CODE", {})
    on_disk_first = key()
    importlib.import_module(CHAPTER)
    registry.remember_imported(CHAPTER)  # what load_chapters does after the import
    assert key() == on_disk_first
    named_first = key("docs_build")  # a provider that names the folder as its source
    (tree / "docs_build/chapters/demo.py").write_text(
        "def provider():\n    return {}\n"
    )
    (tree / "docs_build/helpers.py").write_text("WIDTH = 2\n")
    assert key() == on_disk_first  # the imported code's key, not the files'
    assert key("docs_build") == named_first
    assert registry.changed_since_import() == [
        tree / "docs_build/chapters/demo.py",
        tree / "docs_build/helpers.py",
    ]
    monkeypatch.setattr(registry, "_IMPORTED", {})  # a new process
    monkeypatch.setattr(registry, "_CODE", {})
    monkeypatch.delitem(sys.modules, CHAPTER)
    assert key() != on_disk_first


def test_on_this_tree_editing_one_activation_page_recomputes_that_page_only() -> None:
    """Each page of the activation chapter is its own module: editing gated.py leaves the
    softmax facts' key alone, while the registry core (``__init__``) reaches every page."""
    registry.load_chapters()
    pages = registry.ROOT / "docs_build" / "chapters" / "activations"
    modules = {fn.__module__ for fn in registry.FACT_PROVIDERS.values()} | {
        f.draw.__module__ for f in registry.FIGURES.values()
    }
    gated = pages / "gated.py"
    assert {m for m in modules if gated in registry.dependencies(m)} == {
        "docs_build.chapters.activations.gated"
    }
    assert registry.FACT_PROVIDERS["softmax"].__module__.endswith(".softmax")
    assert gated not in registry.dependencies(
        registry.FACT_PROVIDERS["softmax"].__module__
    )
    core = pages / "__init__.py"
    assert {m for m in modules if core in registry.dependencies(m)} >= {
        f"docs_build.chapters.activations{page}"
        for page in (
            "",
            ".softmax",
            ".numerical_stability",
            ".vanishing_gradients",
            ".gated",
        )
    }


@pytest.fixture
def served(tree: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tree's chapter imported as ``mkdocs serve`` imports it: a fact, a figure and a
    formula from a snippet's constant, registered into registries of the test's own."""
    from docs_build import formulas

    (tree / "docs_build/chapters/demo.py").write_text(
        "from architectures import cnn\n"
        "from docs_build import helpers\n"
        "from docs_build.formulas import formula, x\n"
        "from docs_build.registry import facts, figure\n\n"
        "LINE = formula('demo_line', cnn.LAYERS * x)\n\n"
        "@facts('demo')\n"
        "def provider():\n"
        "    return {'layers': str(cnn.LAYERS), 'width': str(helpers.WIDTH)}\n\n"
        "@figure('demo/plot', alt='A plot.')\n"
        "def plot():\n"
        "    return None\n"
    )
    monkeypatch.syspath_prepend(str(tree / "snippets"))
    monkeypatch.syspath_prepend(str(tree))
    for name in (
        "docs_build",
        "docs_build.chapters",
        "docs_build.helpers",
        CHAPTER,
        "architectures",
        "architectures.cnn",
    ):
        monkeypatch.delitem(sys.modules, name, raising=False)
    for name in ("FACT_PROVIDERS", "FIGURES", "_IMPORTED", "_CODE", "_MEMO"):
        monkeypatch.setattr(registry, name, {})
    monkeypatch.setattr(formulas, "FORMULAS", {})
    monkeypatch.setattr(registry, "CACHE_DIR", tree / ".cache")
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as Python runs by default
    registry.load_chapters()
    return tree


def test_serve_runs_an_edited_snippet_under_the_new_codes_key(served: Path) -> None:
    """After an edit, the next build's pre-build step imports the edited snippet and the
    chapter that imports it again: the new value, under the key of the new code; the old
    code's value stays under the old key."""
    from docs_build import formulas

    first_path = registry.facts_path("demo")
    assert registry.get_facts("demo")["layers"] == "2"
    snippet = served / "snippets/architectures/cnn.py"
    before = snippet.stat()
    # The same size and mtime as before: its .pyc looks up to date.
    snippet.write_text("import torch\nLAYERS = 7\n")
    os.utime(snippet, ns=(before.st_atime_ns, before.st_mtime_ns))
    registry.forget_source_hashes()  # what on_pre_build does first, then:
    hooks.reload_code()
    assert registry.changed_since_import() == []
    assert registry.get_facts("demo")["layers"] == "7"
    assert formulas.FORMULAS["demo_line"].expr == 7 * formulas.x
    assert sys.modules["architectures.cnn"].LAYERS == 7
    assert set(registry.FIGURES) == {"demo/plot"}
    new_path = registry.facts_path("demo")
    assert new_path != first_path
    assert '"2"' in first_path.read_text()  # the old code's value, under its own key
    registry._IMPORTED.clear()  # what a new process would compute from the files
    registry._CODE.clear()
    registry.forget_source_hashes()
    assert registry.facts_path("demo") == new_path


def test_serve_keeps_running_a_module_it_cannot_import_again(
    served: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A changed module that the hooks hold (here: the helper) keeps its old code, counted
    as imported, and the log asks for a restart; the chapter is not imported again."""
    first_path = registry.facts_path("demo")
    (served / "docs_build/helpers.py").write_text("WIDTH = 22\n")
    held = sys.modules["docs_build.helpers"]
    reload_changed = registry.reload_changed
    monkeypatch.setattr(  # the tree's hooks are the real ones: let them hold the helper
        registry, "reload_changed", lambda keep: reload_changed(keep=(*keep, held))
    )
    caplog.set_level("INFO")
    registry.forget_source_hashes()
    hooks.reload_code()
    assert "Restart mkdocs serve to run the edited docs_build/helpers.py" in caplog.text
    assert "imported again" not in caplog.text
    assert sys.modules["docs_build.helpers"] is held
    assert registry.get_facts("demo")["width"] == "1"
    assert registry.facts_path("demo") == first_path
    assert registry.changed_since_import() == [served / "docs_build/helpers.py"]


def test_a_chapter_that_failed_to_import_can_be_imported_again(served: Path) -> None:
    """An edit that fails to import (a syntax error, an error after the registrations)
    leaves no registration behind: once it is fixed, the next build imports the chapter
    (no 'registered twice')."""
    chapter_file = served / "docs_build/chapters/demo.py"
    good = chapter_file.read_text()
    chapter_file.write_text(good + "\n1 +\n")
    registry.forget_source_hashes()
    with pytest.raises(SyntaxError):
        hooks.reload_code()
    chapter_file.write_text(good + "\nBROKEN = 1 / 0\n")
    with pytest.raises(ZeroDivisionError):
        registry.load_chapters()  # what on_config does at the next build
    assert "demo" not in registry.FACT_PROVIDERS
    chapter_file.write_text(good + "\n# fixed\n")
    registry.load_chapters()
    assert registry.get_facts("demo")["layers"] == "2"


def test_a_cached_result_is_computed_once_per_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """cached_result runs its function once for a key and reads the saved result after
    (a fresh process, as a test worker is, sees the build's run); another key, or
    DOCS_FACTS_CACHE=0, runs it again."""
    monkeypatch.setattr(registry, "CACHE_DIR", tmp_path)
    calls = []

    def study() -> dict:
        calls.append(1)
        return {"losses": [0.5, 0.25], "accuracy": 1.0}

    key = ["k1"]
    monkeypatch.setattr(registry, "provider_key", lambda fn, *also: key[0])
    assert registry.cached_result(study) == {"losses": [0.5, 0.25], "accuracy": 1.0}
    assert registry.cached_result(study) == {"losses": [0.5, 0.25], "accuracy": 1.0}
    assert len(calls) == 1
    assert [p.suffix for p in tmp_path.glob("results/*k1.pt")] == [".pt"]
    key[0] = "k2"  # a source changed
    registry.cached_result(study)
    assert len(calls) == 2
    monkeypatch.setenv("DOCS_FACTS_CACHE", "0")
    registry.cached_result(study)
    assert len(calls) == 3
