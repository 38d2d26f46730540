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
    "randint_like",
}
DRAWS_WHERE_THEIR_INPUT_LIVES = {"rand_like", "randn_like", "randint_like"}


def draws_on_device(source: str) -> list[str]:
    """The calls in ``source`` whose random numbers differ between a CPU and a GPU (each
    has its own generator): torch.<draw>(..., device=...), and torch.<draw>_like(x),
    which draws on x's device. (A draw on a device tensor through torch.bernoulli(p) or
    an in-place nn.init cannot be told apart from a CPU one here; rbm.py and rnn.py
    sample those on the CPU by hand.)"""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in RANDOM_DRAWS
            and (
                any(k.arg == "device" for k in node.keywords)
                or node.func.attr in DRAWS_WHERE_THEIR_INPUT_LIVES
            )
        ):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_draws_on_device_are_found() -> None:
    assert draws_on_device("x = torch.randn(4, 5, device=device)")
    assert draws_on_device("eps = torch.randn_like(mu)")
    assert not draws_on_device("x = torch.randn(4, 5).to(device)")
    assert not draws_on_device("eps = torch.randn(mu.shape).to(mu.device)")


@pytest.mark.parametrize("path", SNIPPETS, ids=ids)
def test_snippets_draw_on_the_cpu(path: Path) -> None:
    """Snippets assert and print results of their random draws (softmax.py's one-hot
    limit, the GAN's mode count, the RNN's accuracies): they draw on the CPU from the
    seeded generator and move the tensor, so a reader with a GPU gets the numbers the
    page was tested on."""
    found = draws_on_device(path.read_text(encoding="utf-8"))
    assert not found, f"{ids(path)} draws on the device: {found}"


def test_there_are_snippets() -> None:
    assert SNIPPETS, "snippets/ is empty"
