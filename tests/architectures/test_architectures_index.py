"""The architectures index: its two tables (the families at a glance, and what each chapter
has) are checked, cell by cell, against the chapter's page, snippets and tests
(docs_build/chapters/architectures.py)."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path
from typing import Any

import pytest

from docs_build import api
from docs_build.registry import FIGURES, get_facts, load_chapters

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "docs" / "architectures"
TABLES = api.runs("arch")  # both tables' rows, as the chapter declares them
FAMILIES = TABLES["families"]
CHAPTERS = {c.page: c for c in TABLES["chapters"]}


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def plain(markdown: str) -> str:
    """A page's text as the families table's evidence is matched: no emphasis or code
    marks, one space between words, lower case."""
    return re.sub(r"\s+", " ", re.sub(r"[*`]", "", markdown)).lower()


def slug(heading: str) -> str:
    """The anchor MkDocs gives a heading (lower case, words joined by hyphens)."""
    return re.sub(r"[^\w\s-]", "", heading).strip().lower().replace(" ", "-")


def test_the_index_prints_the_families_table_from_the_registry() -> None:
    """No hand-typed rows: the page holds the placeholder, and every family and chapter is
    in the table once."""
    index = read(PAGES / "index.md")
    assert "{{ arch.families_table }}" in index
    assert not re.search(r"^\|", index, re.MULTILINE), "a table typed into index.md"
    table = get_facts("arch")["families_table"]
    assert len(table.splitlines()) == 2 + len(FAMILIES)
    linked = {f.link.partition("#")[0].removesuffix(".md") for f in FAMILIES}
    families = {page for page, c in CHAPTERS.items() if c.family}
    assert linked == families  # every family chapter has a row, every row a chapter


def section(text: str, anchor: str) -> str:
    """The section of a page under the heading with this anchor, up to the next heading of
    the same or a higher level."""
    lines, out, level = text.splitlines(), [], 0
    for line in lines:
        heading = re.match(r"^(#{1,6}) (.+)$", line)
        if heading and level and len(heading.group(1)) <= level:
            break
        if heading and not level and slug(heading.group(2)) == anchor:
            level = len(heading.group(1))
        if level:
            out.append(line)
    assert out, f"no heading with anchor #{anchor}"
    return "\n".join(out)


@pytest.mark.claim("architectures-families-table-on-the-pages")
@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_each_family_row_is_what_its_chapter_says(family: Any) -> None:
    """Each entry of the row (inputs, what it learns from, tasks) is said on the page the
    row links to, within the linked section if the link has an anchor; the link's text is
    the chapter's name in the other table."""
    page, _, anchor = family.link.partition("#")
    text = read(PAGES / page)
    body = plain(section(text, anchor) if anchor else text)
    for item in (*family.takes, family.learns_from, *family.tasks):
        assert re.search(item.evidence, body), (family.name, item.text, item.evidence)
    assert family.link_text == CHAPTERS[page.removesuffix(".md")].title


def test_fully_connected_row_cites_the_spiral_experiment() -> None:
    """ "Learns from labeled examples" and "classification" are said of the spiral nets,
    in the section that trains them: not matched by a sentence about something else
    (ImageNet's "large labeled sets", once, was the evidence for the first)."""
    (family,) = [f for f in FAMILIES if f.link == "shallow-vs-deep.md"]
    spirals = plain(
        section(read(PAGES / family.link), "a-fair-comparison-on-two-spirals")
    )
    classification = [i for i in family.tasks if i.text == "classification"]
    for item in (family.learns_from, *classification):
        assert re.search(item.evidence, spirals), (item.text, item.evidence)
    sentence = re.search(r"[^.]*" + family.learns_from.evidence + r"[^.]*", spirals)
    assert "network" in sentence.group() and "classification" in sentence.group()


def bodies_of_tests(path: Path) -> list[str]:
    """The source of each test function in a file, with the source of the file's own
    functions and constants that it names, directly or through them (its helpers,
    fixtures and tables), one string per test."""
    tree = ast.parse(read(path))
    source = read(path)
    named = {}  # module-level functions and constants, by name
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            named[node.name] = ast.get_source_segment(source, node)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    named[target.id] = ast.get_source_segment(source, node)
    bodies = []
    for name in [n for n in named if n.startswith("test_")]:
        seen, todo = {name}, [name]
        while todo:  # what it names, what those name, and so on
            text = named[todo.pop()]
            for other in named:
                if other not in seen and re.search(rf"\b{other}\b", text):
                    seen.add(other)
                    todo.append(other)
        bodies.append("\n".join(named[n] for n in sorted(seen)))
    return bodies


def test_every_chapter_is_in_the_table() -> None:
    pages = {p.stem for p in PAGES.glob("*.md")} - {"index"}
    assert set(CHAPTERS) == pages
    index = read(PAGES / "index.md")
    assert "{{ arch.plan_table }}" in index
    table = get_facts("arch")["plan_table"]
    for c in TABLES["chapters"]:
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
    timed = re.search(r"\{\{ (\w+)\.(\w*seconds) \}\}", text)
    assert timed, "no training time on the page"
    assert float(get_facts(timed.group(1))[timed.group(2)]) > 0  # measured, filled in
    assert any(
        "time.perf_counter()" in read(ROOT / "snippets" / "architectures" / f"{n}.py")
        for n in c.snippets
    ), "the script does not time its training"


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
        # One test loads this layer's weights into ours and compares outputs and gradients.
        assert any(
            re.search(rf"{re.escape(layer)}\b", body)
            and re.search(r"load_from\(|load_state_dict\(", body)
            and "backward()" in body
            and ".grad" in body
            and "assert_close(" in body
            for t in c.tests
            for body in bodies_of_tests(
                ROOT / "tests" / "architectures" / f"test_{t}.py"
            )
        ), layer
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


# The chapters whose pages say their times start after a one-step run (the first step of a
# fresh Python pays PyTorch's one-off start-up costs, several times a short run's length).
WARMED_UP = {"autoencoders": "autoencoders", "gan": "gan"}  # page: its chapter module


@pytest.mark.parametrize("page", WARMED_UP)
def test_stated_times_start_after_a_one_step_run(page: str) -> None:
    """Every timer that the page's scripts or its chapter's facts start comes right after a
    one-step (or one-epoch) call of the training function that it then times, and the page
    says so."""
    sources = [
        ROOT / "snippets" / "architectures" / f"{n}.py" for n in CHAPTERS[page].snippets
    ]
    sources.append(ROOT / "docs_build" / "chapters" / f"{WARMED_UP[page]}.py")
    timers = 0
    for path in sources:
        lines = [line.strip() for line in read(path).splitlines() if line.strip()]
        for i, line in enumerate(lines):
            if line != "start = time.perf_counter()":
                continue
            timers += 1
            warm = re.match(
                r"(?:\w+\.)?(train_\w+)\((?:.*, )?(?:steps|epochs)=1\)", lines[i - 1]
            )
            assert warm, (
                f"{path.name}: no one-step run before the timer: {lines[i - 1]}"
            )
            timed = re.search(r"(train_\w+)\(", lines[i + 1])
            assert timed and timed.group(1) == warm.group(1), (path.name, lines[i + 1])
    assert timers >= 2
    assert "one-step run" in read(PAGES / f"{page}.md")
