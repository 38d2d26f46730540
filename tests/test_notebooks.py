"""Every notebook runs top to bottom on a fresh kernel, holds the tested snippet code, and is
downloadable from the built site with an Open-in-Colab link."""

from __future__ import annotations

import ast
import base64
import json
import struct
import sys
from pathlib import Path

import nbformat
import pytest

from docs_build import includes, notebooks

SOURCES = notebooks.sources()
ALLOWED = {"torch", "numpy", "matplotlib", "__future__"} | set(sys.stdlib_module_names)


@pytest.fixture(scope="module", params=SOURCES, ids=lambda p: p.name)
def executed(
    request: pytest.FixtureRequest, timings: dict[str, float]
) -> notebooks.Executed:
    """Each notebook as executed on a fresh kernel in an empty folder: by this run's
    build when it came first (the result is keyed by a hash of every source it ran), or
    now."""
    result = notebooks.executed(request.param)
    timings[f"notebook {request.param.name}"] = result.seconds
    return result


def test_there_are_notebooks() -> None:
    assert SOURCES


def test_notebook_runs_without_error(executed: notebooks.Executed) -> None:
    errors = [
        (i, o.get("ename"))
        for i, c in enumerate(executed.notebook.cells)
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors
    assert any(
        c.get("outputs") for c in executed.notebook.cells if c.cell_type == "code"
    ), f"{executed.name}: no cell printed anything; a reader sees no result"


def test_notebook_needs_nothing_but_what_colab_has(
    executed: notebooks.Executed,
) -> None:
    for code in notebooks.code_cells(executed.notebook):
        assert "pip install" not in code and not code.lstrip().startswith("!")
        tree = ast.parse(code)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = {node.module.split(".")[0]}
            else:
                continue
            assert names <= ALLOWED, f"{executed.name} imports {names - ALLOWED}"


def test_include_is_the_snippet_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Editing a snippet changes the notebook: cells are the snippet's current sections."""
    (tmp_path / "demo.py").write_text(
        '"""Demo."""\n# --8<-- [start:part]\nif True:\n    x = 1\n# --8<-- [end:part]\n'
    )
    monkeypatch.setattr(notebooks, "SNIPPETS", tmp_path)
    assert notebooks.expand('--8<-- "demo.py:part"') == "if True:\n    x = 1"
    (tmp_path / "demo.py").write_text(
        '"""Demo."""\n# --8<-- [start:part]\nx = 2\n# --8<-- [end:part]\n'
    )
    assert notebooks.expand('--8<-- "demo.py:part"') == "x = 2"
    with pytest.raises(
        notebooks.NotebookError,
        match=r"no section '# --8<-- \[start:gone\]'; demo.py has the sections part",
    ):
        notebooks.expand('--8<-- "demo.py:gone"')


def test_failing_cell_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "broken.md"
    source.write_text(
        "# Broken\n\n```python\nx = 1\n```\n\n```python\nraise ValueError('boom')\n```\n"
    )
    with pytest.raises(
        notebooks.NotebookError, match=r"notebooks/broken.md: cell \d+ .*boom"
    ):
        notebooks.execute(source)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_site_serves_notebook_with_download_and_colab(site: Path, source: Path) -> None:
    page = site / "notebooks" / source.stem / "index.html"
    download = page.parent / f"{source.stem}.ipynb"
    assert page.is_file() and download.is_file()
    nb = nbformat.read(download, as_version=4)
    nbformat.validate(nb)
    assert json.loads(notebooks.outputs_json(nb)) != [[]] * len(
        notebooks.code_cells(nb)
    )
    html = page.read_text(encoding="utf-8")
    assert notebooks.colab_url(source.stem) in html
    assert f'href="{source.stem}.ipynb"' in html


def test_figure_without_alt_text_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "plot.md"
    source.write_text(
        "# Plot\n\n```python\nimport matplotlib.pyplot as plt\n\n"
        "plt.plot([0, 1])\nplt.show()\n```\n"
    )
    with pytest.raises(
        notebooks.NotebookError, match=r"cell \d+ draws 1 figure\(s\) but has 0"
    ):
        notebooks.execute(source)


def test_a_cell_figure_gets_the_width_and_height_its_png_states() -> None:
    header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + struct.pack(">II", 825, 334)
    data = base64.b64encode(header + bytes(16)).decode()
    html = f'<p><img alt="A plot" class="" src="data:image/png;base64,{data}"/></p>'
    assert notebooks.with_image_sizes(html) == (
        f'<p><img width="825" height="334" alt="A plot" class="" '
        f'src="data:image/png;base64,{data}"/></p>'
    )
    sized = html.replace("<img ", '<img width="10" ')  # one that has a size keeps it
    assert notebooks.with_image_sizes(sized) == sized


def test_notebook_figures_have_alt_text(executed: notebooks.Executed) -> None:
    assert all(alt.strip() for alt in notebooks.image_alts(executed.notebook))


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_notebook_is_made_of_snippet_files_the_pages_show(source: Path) -> None:
    """About > How this site is tested: a notebook is made from snippet files whose
    sections the pages show, and from no other."""
    include = includes.INCLUDE
    docs = Path(__file__).resolve().parent.parent / "docs"
    shown = {
        r.partition(":")[0]
        for page in docs.rglob("*.md")
        for r in include.findall(page.read_text("utf-8"))
    }
    used = {r.partition(":")[0] for r in include.findall(source.read_text("utf-8"))}
    assert used and used <= shown, f"{source.name}: {sorted(used - shown)}"


def test_executed_notebooks_are_written_where_serve_does_not_watch() -> None:
    """`mkdocs serve` rebuilds when a watched file changes: were the build's own executed
    notebooks written under docs/ or a watched folder, an edit to a snippet a notebook
    includes would build the site twice. Their sources are watched."""
    from mkdocs.config import load_config

    config = load_config(str(notebooks.ROOT / "mkdocs.yml"))
    watched = [Path(config["docs_dir"]), *(Path(p) for p in config["watch"])]
    assert [w for w in watched if notebooks.OUTPUT.is_relative_to(w.resolve())] == []
    assert notebooks.SOURCES in [w.resolve() for w in watched]


def top_level_definitions(code: str) -> dict[str, str]:
    """Name -> its statement (ast.dump) for each function, class and plain assignment at
    the top level of a code cell."""
    defined: dict[str, str] = {}
    for node in ast.parse(code).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defined[node.name] = ast.dump(node)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    defined[target.id] = ast.dump(node.value)
    return defined


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_a_later_cell_never_redefines_an_earlier_name_differently(source: Path) -> None:
    """A notebook runs its scripts in one namespace: a reader who calls an earlier
    script's function after a later cell must get that function, working. (The activations
    notebook's vanishing-gradient functions broke after the dying-ReLU script, which had
    its own ACTIVATIONS.) So no later cell defines a function, class or module-level name
    differently; defining one again the same way, like `device`, is fine. What a script's
    `__main__` block assigns (x, model, results) is that run's data, which a later run may
    replace, as in any notebook: this test does not look there."""
    seen: dict[str, tuple[int, str]] = {}
    clashes = []
    for index, code in enumerate(notebooks.code_cells(notebooks.build(source))):
        for name, statement in top_level_definitions(code).items():
            first = seen.setdefault(name, (index, statement))
            if first[0] != index and first[1] != statement:
                clashes.append(f"{name} (cells {first[0]} and {index})")
    assert not clashes, f"notebooks/{source.name} redefines {clashes}"


def test_the_redefinition_check_sees_a_clash() -> None:
    first = top_level_definitions(
        "A = {'x': 1}\ndef f():\n    return A\ndevice = 'cpu'"
    )
    second = top_level_definitions("A = {'y': 2}\ndevice = 'cpu'")
    assert first["A"] != second["A"] and first["device"] == second["device"]
    assert set(first) == {"A", "f", "device"}
