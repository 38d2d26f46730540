"""Who may import whom: the build stands on its sources, chapters stand alone, tests go
through fixtures and registries (issue 14's "never" list; snippets: test_codeblocks_policy
and test_snippets check what they import)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from docs_build.registry import ROOT

CHAPTER_DIR = ROOT / "docs_build" / "chapters"
# A chapter is a module, or a package of page modules around its registry (``__init__``).
CHAPTERS = sorted(
    p for p in CHAPTER_DIR.rglob("*.py") if p != CHAPTER_DIR / "__init__.py"
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def allowed(path: Path) -> set[str]:
    """A page module may import its own package's registry, nothing else of the chapters."""
    package = path.parent
    if package == CHAPTER_DIR or path.name == "__init__.py":
        return set()
    return {module_name(package / "__init__.py")}


def imported_modules(path: Path) -> set[str]:
    """Every module the file imports, anywhere in it (functions included)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


def modules_after_loading_the_chapters() -> dict[str, str]:
    """{module name: file} of every module a fresh Python holds once it has imported the
    build's hooks and every chapter, as a build does before it renders a page."""
    code = (
        "import json, sys\n"
        "import docs_build.hooks\n"
        "from docs_build.registry import load_chapters\n"
        "load_chapters()\n"
        "print(json.dumps({name: str(getattr(m, '__file__', '') or '') "
        "for name, m in list(sys.modules.items())}))"
    )
    return json.loads(fresh_python(code).splitlines()[-1])


def fresh_python(code: str) -> str:
    """What ``code`` prints, run in a new Python at the repository's root."""
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def test_importing_the_build_pulls_in_nothing_from_tests() -> None:
    files = [Path(f) for f in modules_after_loading_the_chapters().values() if f]
    assert [f for f in files if f.is_relative_to(ROOT / "tests")] == []
    assert any(f.is_relative_to(ROOT / "docs_build" / "chapters") for f in files)


def test_loading_the_chapters_imports_no_torch_matplotlib_or_snippet() -> None:
    """A build whose caches are warm renders every page without torch, matplotlib or a
    snippet (their imports were two of the three seconds such a rebuild spent loading):
    chapters name PyTorch's and the snippets' functions with ``common.Lazy`` and use
    torch through ``common.LazyModule``."""
    modules = modules_after_loading_the_chapters()
    heavy = sorted(
        name
        for name in modules
        if name.split(".")[0] in ("torch", "matplotlib", "numpy")
    )
    snippets = sorted(
        name
        for name, file in modules.items()
        if file and Path(file).is_relative_to(ROOT / "snippets")
    )
    assert (heavy, snippets) == ([], [])


@pytest.mark.parametrize("threads", ["1", "3"])
def test_the_thread_count_in_cache_keys_is_the_same_before_torch_loads(
    threads: str,
) -> None:
    """``registry.versions()`` (part of every cache key) names torch's thread count without
    importing torch when ``OMP_NUM_THREADS`` is 1, as the build sets it, and asks torch
    otherwise: either way, the count torch reports once loaded."""
    code = (
        "import os, sys\n"
        "from docs_build import registry\n"
        f"os.environ['OMP_NUM_THREADS'] = '{threads}'\n"  # docs_build set 1
        "before = registry.versions()\n"
        "loaded = 'torch' in sys.modules\n"
        "import torch\n"
        "print(before == registry.versions(), loaded)"
    )
    assert fresh_python(code).split() == ["True", str(threads != "1")]


@pytest.mark.parametrize(
    "path",
    CHAPTERS,
    ids=lambda p: p.relative_to(CHAPTER_DIR).with_suffix("").as_posix(),
)
def test_a_chapter_imports_no_other_chapter(path: Path) -> None:
    """Nor a page module another page module: only its package's registry."""
    others = {module_name(p) for p in CHAPTERS if p != path} - allowed(path)
    assert imported_modules(path) & others == set(), (
        f"{path.relative_to(ROOT)} imports another chapter or page module: move what "
        "they share to docs_build/common.py (or the package's registry, __init__.py)"
    )


def test_the_chapter_check_sees_page_modules_and_their_registry() -> None:
    page = CHAPTER_DIR / "activations" / "softmax.py"
    assert page in CHAPTERS and CHAPTER_DIR / "activations" / "__init__.py" in CHAPTERS
    assert allowed(page) == {"docs_build.chapters.activations"}
    assert allowed(CHAPTER_DIR / "activations" / "__init__.py") == set()
    assert "docs_build.chapters.activations.gated" in {
        module_name(p) for p in CHAPTERS if p != page
    } - allowed(page)


def test_no_test_imports_conftest() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in sorted((ROOT / "tests").rglob("*.py"))
        if "conftest" in imported_modules(p)
    ]
    assert offenders == [], "use a fixture instead: " + ", ".join(offenders)


def test_the_checker_sees_imports_inside_functions(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from conftest import ROOT\n")
    assert "conftest" in imported_modules(source)


def test_scripts_use_the_shared_checks_not_the_tests() -> None:
    """scripts/ import the checkers from sitecheck/, never from tests/."""
    for path in sorted((ROOT / "scripts").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert '"tests"' not in text and "'tests'" not in text, path.name
        test_modules = {p.stem for p in (ROOT / "tests").rglob("*.py")}
        assert imported_modules(path) & test_modules == set(), path.name


# A page that covers several models has one snippet and one test file per model.
MODELS = {"autoencoders": ("autoencoder", "vae", "rbm")}


@pytest.mark.parametrize(
    "page",
    sorted(
        p.stem
        for p in (ROOT / "docs" / "architectures").glob("*.md")
        if p.stem != "index"
    ),
)
def test_an_architecture_topic_has_one_name_in_every_layer(page: str) -> None:
    """docs/architectures/<topic>.md, docs_build/chapters/<topic>.py,
    snippets/architectures/<topic>.py, tests/architectures/test_<topic>.py and
    notebooks/<topic>.md: `git ls-files | grep <topic>` shows the whole topic."""
    module = page.replace("-", "_")
    expected = [f"docs_build/chapters/{module}.py", f"notebooks/{page}.md"]
    for model in MODELS.get(page, (module,)):
        expected += [
            f"snippets/architectures/{model}.py",
            f"tests/architectures/test_{model}.py",
        ]
    assert [f for f in expected if not (ROOT / f).is_file()] == []


# --------------------------------------------------------------------------------------
# Tests go through the public surface (CONTRIBUTING, "What tests may use"): the registries
# in docs_build/api.py and the snippets, never a chapter module's names. What is left is
# listed here, by file, with why; the list may only shrink (a use that ends must leave it).
CHAPTERS_PACKAGE = "docs_build.chapters"
PRIVATE_USES_LEFT: dict[str, set[str]] = {
    # adds CONTRIBUTING's worked example where the guide says: evaluated among the registry
    # module's names and appended to its ACTIVATIONS, which the explorer reads (no public
    # way adds an entry, and one would not show "no other change")
    "tests/activations/test_explorer.py": {"activations.*"},
    # the alt text's "mixed" verdict (seeds disagree), which the page's runs never show,
    # is reached only with made-up runs (its verdict on the real runs is checked via facts)
    "tests/activations/test_gated.py": {"activations.gated.gated_order"},
}


def is_chapter_module(name: str | None) -> bool:
    return bool(name) and (
        name == CHAPTERS_PACKAGE or name.startswith(CHAPTERS_PACKAGE + ".")
    )


def module_file_exists(name: str) -> bool:
    base = ROOT.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def chapter_names_used(path: Path) -> set[str]:
    """``module.name`` for each name of a chapter module the file uses: imported from it,
    read as an attribute of it, or (``module.*``) the module handed on whole."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}  # local name -> chapter module
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if is_chapter_module(a.name) and a.asname:
                    aliases[a.asname] = a.name
                elif is_chapter_module(a.name):
                    used.add(f"{a.name}.*")
        elif isinstance(node, ast.ImportFrom) and is_chapter_module(node.module):
            for a in node.names:
                full = f"{node.module}.{a.name}"
                if module_file_exists(full):  # a chapter module: its uses count below
                    aliases[a.asname or a.name] = full
                else:  # a name imported from one
                    used.add(full)
    read = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id in aliases:
                used.add(f"{aliases[node.value.id]}.{node.attr}")
        elif isinstance(node, ast.Name) and node.id in aliases and id(node) not in read:
            used.add(f"{aliases[node.id]}.*")
    return used


def short(name: str) -> str:
    return name.removeprefix(CHAPTERS_PACKAGE + ".")


def test_tests_use_only_the_public_surface() -> None:
    found = {
        p.relative_to(ROOT).as_posix(): {short(n) for n in chapter_names_used(p)}
        for p in sorted((ROOT / "tests").rglob("*.py"))
    }
    found = {path: names for path, names in found.items() if names}
    new = {p: sorted(n - PRIVATE_USES_LEFT.get(p, set())) for p, n in found.items()}
    new = {p: n for p, n in new.items() if n}
    assert new == {}, (
        "tests read a chapter module's names: use docs_build/api.py (facts, formulas, "
        "figures, claims, runs, the activation registry) or the snippet instead"
    )
    gone = {p: sorted(n - found.get(p, set())) for p, n in PRIVATE_USES_LEFT.items()}
    gone = {p: n for p, n in gone.items() if n}
    assert gone == {}, "no longer used: remove them from PRIVATE_USES_LEFT"


def test_the_surface_check_sees_every_way_in(tmp_path: Path) -> None:
    source = tmp_path / "test_x.py"
    source.write_text(
        "from docs_build.chapters import gan as g\n"
        "from docs_build.chapters.rnn import CLAIM\n"
        "import docs_build.chapters.cnn as cnn\n"
        "def f(monkeypatch):\n"
        "    monkeypatch.setattr(g, 'x', 1)\n"
        "    return g.GAN_CLAIMS, cnn.ATOL, CLAIM\n"
    )
    assert {short(n) for n in chapter_names_used(source)} == {
        "gan.*",
        "gan.GAN_CLAIMS",
        "rnn.CLAIM",
        "cnn.ATOL",
    }


def test_the_guide_counts_the_uses_left() -> None:
    """CONTRIBUTING ("What tests may use") says how many private uses are left."""
    from docs_build.common import NUMBER_WORDS

    guide = " ".join((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").split())
    left = sum(len(names) for names in PRIVATE_USES_LEFT.values())
    assert f"the {NUMBER_WORDS[left]} uses that are left" in guide
