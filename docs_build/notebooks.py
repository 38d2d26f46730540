"""Notebooks made from the tested snippets, executed on a fresh kernel at build time.

A notebook's source is a plain Markdown file in ``notebooks/`` (jupytext's Markdown format:
prose becomes Markdown cells, each ```python fence a code cell). A code cell may hold one
``--8<-- "path.py:section"`` line per section, which is replaced by that section of the
snippet file, so editing a snippet changes the notebook readers download. The build writes
the executed ``.ipynb`` outside the docs folder (``.cache/notebook-pages/notebooks/``, so that
``mkdocs serve`` does not take the build's own output for an edit and build twice); the
build's ``on_files`` adds each as ``notebooks/<name>.ipynb``, which mkdocs-jupyter renders and
copies beside the page for download.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
import struct
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat
from jupyter_client import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from docs_build import includes, registry

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "notebooks"
# A second docs folder, holding notebooks/ only (mkdocs serve does not watch it).
PAGES = ROOT / ".cache" / "notebook-pages"
OUTPUT = PAGES / "notebooks"
OLD_OUTPUT = ROOT / "docs" / "notebooks"  # where builds wrote them until 2026-12-06
CACHE = ROOT / ".cache" / "docs_build" / "notebooks"
SNIPPETS = ROOT / "snippets"
REPO = "dl-checked/field-guide"
NOTEBOOK_BRANCH = "notebooks"  # the deploy workflow publishes executed notebooks there
TIMEOUT_S = 120
ALT = re.compile(r"^\s*# alt: (.+)$", re.MULTILINE)
GENERIC_ALT = "No description has been provided for this image"
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")


class NotebookError(RuntimeError):
    """A notebook failed to build or run; the message names the notebook and the cell."""


@dataclass(frozen=True)
class Executed:
    name: str
    notebook: nbformat.NotebookNode
    seconds: float


def expand(code: str) -> str:
    """Replace each include line in a code cell by the snippet text it names, as
    pymdownx.snippets includes it on the pages (docs_build/includes.py)."""
    try:
        return includes.expand(code, (SNIPPETS,))
    except includes.IncludeError as exc:
        raise NotebookError(str(exc)) from None


def colab_url(name: str) -> str:
    return f"https://colab.research.google.com/github/{REPO}/blob/{NOTEBOOK_BRANCH}/{name}.ipynb"


def build(source: Path) -> nbformat.NotebookNode:
    """The notebook for one source file, not yet executed."""
    nb = jupytext.read(source, fmt="md")
    name = source.stem
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = expand(cell.source)
    links = nbformat.v4.new_markdown_cell(
        f"[Open in Colab]({colab_url(name)}) · [Download this notebook]({name}.ipynb) · "
        "Runs on a fresh kernel with PyTorch, NumPy and Matplotlib, as Colab has them; "
        "nothing else to install. The code is the site's tested snippets."
    )
    first_heading = next(
        (i for i, c in enumerate(nb.cells) if c.source.startswith("# ")), -1
    )
    nb.cells.insert(first_heading + 1, links)
    nb.metadata = {
        "kernelspec": {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        },
        "language_info": {"name": "python"},
        "colab": {"provenance": []},
    }
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{name}-{i}"
    nbformat.validate(nb)
    return nb


def execute(source: Path) -> Executed:
    """Build and run one notebook on a fresh kernel in an empty folder."""
    nb = build(source)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as cwd:
        # Local IPC sockets, not TCP: nothing listens on a port, and ipykernel has no
        # reason to print its unencrypted-TCP warning into the build log.
        km = KernelManager(
            kernel_name="python3", transport="ipc", ip=str(Path(cwd) / "kernel")
        )
        client = NotebookClient(
            nb,
            km=km,
            timeout=TIMEOUT_S,
            kernel_name="python3",
            resources={"metadata": {"path": cwd}},
            allow_errors=False,
        )
        try:
            client.execute()
        except CellExecutionError as exc:
            index = next(
                (
                    i
                    for i, c in enumerate(nb.cells)
                    if c.cell_type == "code"
                    and any(
                        o.get("output_type") == "error" for o in c.get("outputs", [])
                    )
                ),
                None,
            )
            head = nb.cells[index].source.splitlines()[0] if index is not None else "?"
            raise NotebookError(
                f"notebooks/{source.name}: cell {index} ({head!r}) failed:\n{exc}"
            ) from None
        finally:
            if km.has_kernel:
                km.shutdown_kernel(now=False)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        alts = ALT.findall(cell.source)
        images = [
            o for o in cell.outputs if any(t in o.get("data", {}) for t in IMAGE_TYPES)
        ]
        if len(images) != len(alts):
            raise NotebookError(
                f"notebooks/{source.name}: cell {index} draws {len(images)} figure(s) but has "
                f"{len(alts)} '# alt: ...' line(s); each figure needs alt text"
            )
        for output, alt in zip(images, alts, strict=True):
            output.metadata["alt"] = alt.strip()
    return Executed(source.stem, nb, time.perf_counter() - started)


def image_alts(nb: nbformat.NotebookNode) -> list[str]:
    """Alt texts of the notebook's figures, in page order."""
    return [
        o.metadata["alt"]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if any(t in o.get("data", {}) for t in IMAGE_TYPES)
    ]


def with_alt_text(html: str, nb: nbformat.NotebookNode) -> str:
    """Put each figure's alt text (from its cell's '# alt:' line) on the rendered page,
    in place of the generic text nbconvert writes."""
    for alt in image_alts(nb):
        escaped = alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        html = html.replace(f'alt="{GENERIC_ALT}"', f'alt="{escaped}"', 1)
    return html


PNG_DATA_IMAGE = re.compile(
    r'<img(?![^>]*\swidth=)([^>]*?\ssrc="data:image/png;base64,([^"]+)")'
)


def with_image_sizes(html: str) -> str:
    """Give each figure a cell drew (a PNG in the page) the width and height its file
    states, as the chapters' figures have, so that the browser reserves its box before
    the image is decoded and nothing below it moves."""

    def sized(match: re.Match) -> str:
        header = base64.b64decode(match.group(2)[:32])  # the signature and IHDR chunk
        width, height = struct.unpack(">II", header[16:24])
        return f'<img width="{width}" height="{height}"{match.group(1)}'

    return PNG_DATA_IMAGE.sub(sized, html)


def sources() -> list[Path]:
    return sorted(SOURCES.glob("*.md"))


def source_key(source: Path) -> str:
    """Hash of the notebook source, every snippet it includes and the versions of the
    libraries that compute and draw its outputs (``registry.versions``)."""
    digest = hashlib.sha256(registry.versions().encode() + source.read_bytes())
    for ref in includes.INCLUDE.findall(source.read_text(encoding="utf-8")):
        file = SNIPPETS / ref.partition(":")[0]
        digest.update(file.read_bytes() if file.is_file() else b"missing")
    return digest.hexdigest()[:16]


def cache_path(source: Path) -> Path:
    """Where the executed notebook of ``source`` is cached for the current sources."""
    return CACHE / f"{source.stem}-{source_key(source)}.ipynb"


def executed(source: Path, use_cache: bool | None = None) -> Executed:
    """One notebook, executed on a fresh kernel, or the result of the run that already
    executed these exact sources (the key hashes the notebook, every snippet it includes,
    the library versions and the thread count). The build and the tests share it, so a
    test run executes each notebook once. ``DOCS_FACTS_CACHE=0`` forces a new run."""
    if use_cache is None:
        use_cache = registry.use_cache()
    cached = cache_path(source)
    fresh: list[Executed] = []

    def run() -> str:
        result = execute(source)
        result.notebook.metadata["dlg_seconds"] = round(result.seconds, 2)
        fresh.append(result)
        return nbformat.writes(result.notebook)

    text = registry.cached_text(cached, run, use_cache)
    if fresh:
        return fresh[0]
    nb = nbformat.reads(text, as_version=4)
    return Executed(source.stem, nb, float(nb.metadata.get("dlg_seconds", 0.0)))


def generate(use_cache: bool | None = None) -> list[Path]:
    """Write every executed notebook to ``OUTPUT`` (unchanged files are not rewritten), and
    remove notebooks whose source is gone."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sources():
        nb = copy.deepcopy(executed(source, use_cache).notebook)
        nb.metadata = {k: v for k, v in nb.metadata.items() if k != "dlg_seconds"}
        text = nbformat.writes(nb)
        target = OUTPUT / f"{source.stem}.ipynb"
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        written.append(target)
    for stale in set(OUTPUT.glob("*.ipynb")) - set(written):
        stale.unlink()
    # A checkout built before the move keeps its generated copies under docs/, which
    # MkDocs would collect as second copies of these pages: remove them.
    for old in OLD_OUTPUT.glob("*.ipynb"):
        old.unlink()
    if OLD_OUTPUT.is_dir() and not any(OLD_OUTPUT.iterdir()):
        OLD_OUTPUT.rmdir()
    return written


def code_cells(nb: nbformat.NotebookNode) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"]


def outputs_json(nb: nbformat.NotebookNode) -> str:
    return json.dumps([c.get("outputs", []) for c in nb.cells if c.cell_type == "code"])
