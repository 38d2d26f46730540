"""What a reader copies runs: every page's Python blocks, copied from the built HTML in page
order into one fresh interpreter in an empty folder, run without error and print what the
page says they print. The checker is first proven on pages that break it on purpose."""

from __future__ import annotations

import concurrent.futures
import os
from pathlib import Path

import pytest

from sitecheck import (
    pagecheck,  # the snippet-section reader the browser tests use
    pagecode,
)

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))


def page(*blocks: tuple[str, str]) -> str:
    """A built page as Material writes its code blocks."""
    body = "".join(
        f'<div class="language-{lang} highlight"><pre><span></span>'
        f'<code id="__code_{i}">{code}</code></pre></div><p>prose</p>'
        for i, (lang, code) in enumerate(blocks)
    )
    return f"<html><body><article>{body}</article></body></html>"


# ---------------------------------------------------------------------------------------
# The checker, on synthetic pages
# ---------------------------------------------------------------------------------------


def test_blocks_are_read_in_page_order_as_copied() -> None:
    html = page(
        ("python", '<span class="kn">import</span> math'),
        ("console", "$ make test"),
        ("python", "print(math.pi)  # 3.14"),
    )
    assert pagecode.python_blocks(html) == ["import math", "print(math.pi)  # 3.14"]
    assert [b.language for b in pagecode.code_blocks(html)] == [
        "python",
        "console",
        "python",
    ]


def test_a_page_whose_blocks_run_passes() -> None:
    run = pagecode.run_copied(["import math\nx = 2", "print(math.sqrt(x * 8))  # 4.0"])
    assert run.ok, run.explain()
    assert run.blocks == 2


def test_a_name_used_before_the_block_that_defines_it_fails_at_that_block() -> None:
    run = pagecode.run_copied(["x = 1", "print(math.pi)", "import math"])
    assert not run.ok
    assert run.failed_block == 2
    assert "NameError" in run.stderr and "code block 2" in run.explain()


def test_a_function_that_uses_a_name_no_block_defines_fails() -> None:
    """Running the blocks only defines the function; a reader who calls it gets a
    NameError. The relu-family page once showed ``relu6`` calling ``hardtanh``, which only
    the sigmoid-tanh page showed."""
    # (The page's blocks imported torch; a standard-library import shows the same, and a
    # fresh Python starts it in milliseconds instead of seconds.)
    blocks = ["import math", "def relu6(x):\n    return hardtanh(x, 0.0, 6.0)"]
    run = pagecode.run_copied(blocks)
    assert run.returncode == 0 and not run.ok
    assert run.undefined == [(2, "hardtanh")]
    assert "'hardtanh' in block 2" in run.explain()
    defined = ["import math", "def hardtanh(x, lo, hi):\n    return x", blocks[1]]
    assert pagecode.run_copied(defined).ok


def test_output_other_than_the_page_states_fails() -> None:
    run = pagecode.run_copied(["print(2 + 2)  # 5"])
    assert run.returncode == 0 and not run.ok
    assert run.missing_output == ["5"]


def test_each_stated_output_is_matched_in_order_by_its_own_block() -> None:
    """Two prints that state the same line need two such lines: the first prints False.
    A stated line must come after the previous one, and from the block that states it."""
    run = pagecode.run_copied(["print(1 > 2)  # True", "print(2 > 1)  # True"])
    assert run.returncode == 0 and not run.ok
    assert run.missing_output == ["True"]
    swapped = pagecode.run_copied(["print(1)  # 2\nprint(2)  # 1"])
    assert not swapped.ok and swapped.missing_output == ["1"]
    elsewhere = pagecode.run_copied(["print(1)", "print(2)  # 1"])
    assert not elsewhere.ok and elsewhere.missing_output == ["1"]
    assert pagecode.run_copied(["print(1)  # 1\nprint(3)", "print(2)  # 2"]).ok


def test_the_copy_runs_in_an_empty_folder_without_the_repository() -> None:
    run = pagecode.run_copied(
        ["import os, sys\nprint(sorted(os.listdir('.')))", "import quickstart"]
    )
    assert "['.blocks.json']" in run.stdout
    assert run.failed_block == 2 and "ModuleNotFoundError" in run.stderr


def test_removing_an_import_from_an_included_section_fails() -> None:
    """The home page's two included sections run as copied; without the first section's
    ``import torch`` the copy fails at that block."""
    sections = [
        pagecheck.snippet_text(f"quickstart.py:{s}") for s in ("model", "train")
    ]
    assert "import torch\n" in sections[0]
    broken = [sections[0].replace("import torch\n", "", 1), sections[1]]
    run = pagecode.run_copied(broken)
    assert run.failed_block == 1 and "NameError: name 'torch'" in run.stderr


# ---------------------------------------------------------------------------------------
# Every page of the built site
# ---------------------------------------------------------------------------------------


def built_html(site: Path, source: str) -> Path:
    stem = source.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return site / f"{stem}.html"
    return site / stem / "index.html"


@pytest.fixture(scope="module")
def copies(site: Path) -> dict[str, pagecode.CopyRun]:
    """Each page's copy, run two at a time."""
    blocks = {
        source: pagecode.python_blocks(built_html(site, source).read_text("utf-8"))
        for source in PAGES
    }
    with concurrent.futures.ThreadPoolExecutor(min(2, os.cpu_count() or 1)) as pool:
        runs = {
            source: pool.submit(pagecode.run_copied, code)
            for source, code in blocks.items()
            if code
        }
        return {source: future.result() for source, future in runs.items()}


def test_every_built_page_is_a_page_source_or_a_notebook(site: Path) -> None:
    """The copy test covers every page; notebook pages are run on a fresh kernel in an
    empty folder by the build itself (tests/test_notebooks.py reads that run)."""
    expected = {built_html(site, s) for s in PAGES}
    other = {
        p
        for p in site.rglob("*.html")
        if p not in expected and p.name != "404.html" and "notebooks" not in p.parts
    }
    assert not other, f"built pages without a Markdown source: {sorted(other)}"


@pytest.mark.parametrize("source", PAGES)
def test_a_readers_copy_of_the_page_runs(
    source: str, copies: dict[str, pagecode.CopyRun]
) -> None:
    if source not in copies:
        pytest.skip(f"docs/{source} shows no Python block")
    run = copies[source]
    assert run.ok, f"docs/{source}, its Python blocks copied in order: {run.explain()}"


def test_some_pages_have_blocks_and_state_output(
    copies: dict[str, pagecode.CopyRun],
) -> None:
    """The test above would prove nothing if no page had a block or stated an output."""
    assert len(copies) >= 10
    assert sum(r.stated for r in copies.values()) >= 1


# ---------------------------------------------------------------------------------------
# Each included script stands on its own: its sections, in the order a page shows them,
# define every name they use. The copy test above runs a page's blocks in one interpreter,
# so a script whose imports are never shown could borrow them from another script's block
# higher on the page (the RBM on the autoencoder page once did) and still pass there.

# The scripts that pages show section by section. (Pages of activations/functions.py show
# single sections; the copy test's undefined-name check covers them as shown.)
WHOLE_SCRIPTS = ("architectures/", "quickstart.py")


def test_a_script_shown_without_its_imports_is_caught() -> None:
    """The RBM's old page order: the model's section first, the imports inside a later one."""
    model = (
        "class RBM(nn.Module):\n    def f(self, v):\n        return torch.sigmoid(v)"
    )
    imports = "import torch\nfrom torch import nn"
    assert pagecode.names_sections_lack([model, imports]) == [(1, "nn")]
    assert pagecode.names_sections_lack([imports, model]) == []
    assert pagecode.names_sections_lack(["def f():\n    return math.pi"]) == [
        (1, "math")
    ]


@pytest.mark.parametrize("source", PAGES)
def test_each_included_script_defines_the_names_its_shown_sections_use(
    source: str,
) -> None:
    refs = pagecheck.page_includes((DOCS / source).read_text("utf-8"))
    by_file: dict[str, list[str]] = {}
    for ref in refs:
        path = ref.partition(":")[0]
        if path.startswith(WHOLE_SCRIPTS):
            by_file.setdefault(path, []).append(pagecheck.snippet_text(ref))
    if not by_file:
        pytest.skip(f"docs/{source} shows no section of a script in {WHOLE_SCRIPTS}")
    lacking = {
        path: pagecode.names_sections_lack(sections)
        for path, sections in by_file.items()
        if pagecode.names_sections_lack(sections)
    }
    assert not lacking, f"docs/{source}: (section, name) used before shown: {lacking}"
