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


RANDOM_DRAWS = {
    "randn",
    "rand",
    "randint",
    "randperm",
    "normal",
    "rand_like",
    "randn_like",
}


def draws_on_device(source: str) -> list[str]:
    """The calls torch.<random draw>(..., device=...) in ``source``: a draw whose numbers
    differ between a CPU and a GPU (each has its own generator)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in RANDOM_DRAWS
            and any(k.arg == "device" for k in node.keywords)
        ):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_draws_on_device_are_found() -> None:
    assert draws_on_device("x = torch.randn(4, 5, device=device)")
    assert not draws_on_device("x = torch.randn(4, 5).to(device)")


@pytest.mark.parametrize(
    "path",
    [p for p in SNIPPETS if p.parent.name == "activations"],
    ids=ids,
)
def test_activation_snippets_draw_on_the_cpu(path: Path) -> None:
    """The activation chapter's snippets assert and print results of their random draws
    (softmax.py's one-hot limit, the collapse gap): they draw on the CPU and move the
    tensor, so a reader with a GPU gets the numbers the page was tested on."""
    found = draws_on_device(path.read_text(encoding="utf-8"))
    assert not found, f"{ids(path)} draws on the device: {found}"


def test_there_are_snippets() -> None:
    assert SNIPPETS, "snippets/ is empty"
