"""Every snippet script runs from top to bottom, as a reader would run it."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
from snippet_runs import run_snippet

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = sorted(
    p for p in (ROOT / "snippets").rglob("*.py") if "__pycache__" not in p.parts
)
ALLOWED_IMPORTS = {"torch", "numpy", "matplotlib", "__future__"} | set(
    sys.stdlib_module_names
)


def ids(path: Path) -> str:
    return str(path.relative_to(ROOT / "snippets"))


@pytest.mark.parametrize("path", SNIPPETS, ids=ids)
def test_snippet_runs_as_script(path: Path) -> None:
    """The chapters' tests compare this run's results with the page (tests/snippet_runs.py)."""
    assert run_snippet(ids(path))["__name__"] == "__main__"


@pytest.mark.parametrize("path", SNIPPETS, ids=ids)
def test_snippet_imports_only_what_readers_have(path: Path) -> None:
    """Snippets are copied into readers' projects: torch, numpy, matplotlib, stdlib only."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    assert names <= ALLOWED_IMPORTS, (
        f"{ids(path)} imports {sorted(names - ALLOWED_IMPORTS)}"
    )


@pytest.mark.parametrize("path", SNIPPETS, ids=ids)
def test_snippet_has_docstring_and_seed(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert ast.get_docstring(ast.parse(source)), f"{ids(path)} needs a module docstring"
    if "torch.randn" in source or "torch.rand(" in source or "nn.Linear" in source:
        assert "manual_seed" in source, (
            f"{ids(path)} draws random numbers without a seed"
        )


def test_there_are_snippets() -> None:
    assert SNIPPETS, "snippets/ is empty"
