"""The architectures index: its table of what each chapter has is checked, cell by cell,
against the chapter's page, snippets and tests (docs_build/chapters/architectures.py)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from docs_build.chapters import architectures as overview
from docs_build.registry import FIGURES, load_chapters

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "docs" / "architectures"
CHAPTERS = {c.page: c for c in overview.CHAPTERS}


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_every_chapter_is_in_the_table() -> None:
    pages = {p.stem for p in PAGES.glob("*.md")} - {"index"}
    assert set(CHAPTERS) == pages
    index = read(PAGES / "index.md")
    assert "{{ arch.plan_table }}" in index
    table = overview.arch_facts()["plan_table"]
    for c in overview.CHAPTERS:
        assert f"[{c.title}]({c.page}.md)" in table


@pytest.mark.claim("architectures-chapters-train-their-scripts")
@pytest.mark.parametrize("page", CHAPTERS)
def test_every_chapter_trains_its_script_and_states_the_time(page: str) -> None:
    """What the index says of every chapter: code included from snippets/, a training
    function on data the script makes (no download), and a measured time on the page."""
    c, text = CHAPTERS[page], read(PAGES / f"{page}.md")
    trains = False
    for name in c.snippets:
        assert f'--8<-- "architectures/{name}.py' in text, name
        source = read(ROOT / "snippets" / "architectures" / f"{name}.py")
        assert not re.search(r"download|torchvision|urllib|requests", source), name
        trains |= bool(re.search(r"^def train", source, re.MULTILINE))
    assert trains
    assert re.search(r"\{\{ \w+\.\w*seconds \}\}", text), "no training time on the page"


@pytest.mark.claim("architectures-plan-table-true")
@pytest.mark.parametrize("page", CHAPTERS)
def test_the_table_cells_are_true(page: str) -> None:
    c, text = CHAPTERS[page], read(PAGES / f"{page}.md")
    assert ("{{ tex." in text) == c.equations
    tests = "".join(
        read(ROOT / "tests" / "architectures" / f"test_{t}.py") for t in c.tests
    )
    # A from-scratch version loaded with PyTorch's weights, compared including gradients.
    loads = bool(re.search(r"load_from\(|load_state_dict\(", tests))
    assert loads == bool(c.reference)
    for layer in c.reference:
        assert re.search(rf"{re.escape(layer)}\b", tests), layer
    if c.reference:
        assert "backward()" in tests and ".grad" in tests
    diagrams = re.findall(r"\{\{ figure (architectures/[\w-]+-diagram) \}\}", text)
    assert bool(diagrams) == c.diagram
    load_chapters()
    for name in diagrams:  # traced: drawn from a forward pass of the model
        draw = FIGURES[name].draw
        source = inspect.getsource(draw)
        assert "diagrams.draw(" in source, name
        module = inspect.getmodule(draw)
        helpers = [  # the chapter's own functions that the drawing calls
            inspect.getsource(f)
            for n, f in vars(module).items()
            if inspect.isfunction(f)
            and f.__module__ == module.__name__
            and f"{n}(" in source
        ]
        traced = (source, *helpers)
        assert any(
            "diagrams.trace(" in t or "register_forward_hook(" in t for t in traced
        ), name
