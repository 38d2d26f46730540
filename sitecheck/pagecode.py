"""A reader's copy of a page: its Python code blocks, in page order, run in one interpreter.

A reader who presses each code block's copy button and pastes the blocks, one after the
other, into a fresh Python in an empty folder must get no error and the output the page
states. This module takes the blocks from the built HTML (the text a copy button copies:
the browser tests check that the two are equal), runs them that way and reports the first
block that failed. Kept apart from the tests so that the checker itself is unit-tested on
pages that break it on purpose (tests/test_pagecode.py).
"""

from __future__ import annotations

import builtins
import json
import os
import re
import resource
import subprocess
import symtable
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup

# Pygments' aliases for Python source: a block in any of them is Python to a reader.
PYTHON = {"python", "py", "python3", "py3", "pyi"}
# `print(...)  # expected`: a page states what a top-level print shows.
STATED_OUTPUT = re.compile(r"^print\(.*\)\s+#\s+(?P<expected>\S.*?)\s*$")

# Each block is compiled and run on its own in one namespace, as pasting it into the
# interpreter would, so that a failure names the block it came from.
_DRIVER = r"""
import json, sys, traceback
blocks = json.load(open(sys.argv[1], encoding="utf-8"))
namespace = {"__name__": "__main__"}
for number, code in enumerate(blocks, 1):
    print(f"\x00block {number}", flush=True)
    try:
        exec(compile(code, f"<code block {number}>", "exec"), namespace)
    except BaseException:
        print(f"\x00failed {number}", flush=True)
        traceback.print_exc()
        sys.exit(1)
"""


@dataclass(frozen=True)
class CodeBlock:
    """One highlighted code block of a built page: its language and the copied text."""

    language: str
    text: str


@dataclass
class CopyRun:
    """What running a page's Python blocks in one interpreter gave."""

    blocks: int
    returncode: int
    seconds: float
    stdout: str
    stderr: str
    stated: int = 0  # how many printed lines the page states
    # user + system CPU time of the interpreter: on one thread, what a busy shared machine
    # inflates far less than the wall time in ``seconds``
    cpu_seconds: float = 0.0
    failed_block: int | None = None
    missing_output: list[str] = field(default_factory=list)
    # (block, name): names a block uses that no block defines in time (names_sections_lack)
    undefined: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.missing_output and not self.undefined

    def explain(self) -> str:
        if self.failed_block is not None:
            head = f"code block {self.failed_block} of {self.blocks} raised:\n"
            return head + self.stderr[-3000:]
        if self.undefined:
            return (
                "names used but never defined by the page's blocks (a function that uses"
                " one fails only when a reader calls it): "
                + ", ".join(f"{name!r} in block {k}" for k, name in self.undefined)
            )
        if self.returncode != 0:
            return f"exit status {self.returncode}:\n{self.stderr[-3000:]}"
        return (
            "stated output not printed, in the order stated, by the block that states"
            " it:\n"
            + "\n".join(f"  expected a line {line!r}" for line in self.missing_output)
        )


def code_blocks(html: str) -> list[CodeBlock]:
    """Every highlighted code block of a built page, in page order, as its copy button
    copies it (the text of the block's ``code`` element)."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for block in soup.select("div.highlight"):
        code = block.select_one("pre > code")
        if code is None:
            continue
        language = next(
            (
                c.removeprefix("language-")
                for c in block.get("class", [])
                if c.startswith("language-")
            ),
            "",
        )
        found.append(CodeBlock(language, code.get_text()))
    return found


def python_blocks(html: str) -> list[str]:
    """The blocks a reader would paste into Python."""
    return [b.text for b in code_blocks(html) if b.language in PYTHON]


def stated_outputs(blocks: list[str]) -> list[str]:
    """What the page says its top-level ``print`` lines show (``print(x)  # shown``)."""
    return [
        m.group("expected")
        for code in blocks
        for line in code.splitlines()
        if (m := STATED_OUTPUT.match(line))
    ]


def run_copied(blocks: list[str], timeout: float = 600) -> CopyRun:
    """Run ``blocks`` one after the other in one fresh interpreter, in an empty folder,
    with one CPU thread and no access to this repository's modules."""
    with tempfile.TemporaryDirectory(prefix="dlg-copy-") as folder:
        source = Path(folder) / ".blocks.json"
        source.write_text(json.dumps(blocks), encoding="utf-8")
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME"}
        }
        env |= {"OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.run(
            [sys.executable, "-I", "-c", _DRIVER, str(source)],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    failed = re.search(r"^\x00failed (\d+)$", proc.stdout, re.MULTILINE)
    return CopyRun(
        blocks=len(blocks),
        returncode=proc.returncode,
        seconds=seconds,
        cpu_seconds=cpu,
        stdout=proc.stdout,
        stderr=proc.stderr,
        stated=len(stated_outputs(blocks)),
        failed_block=int(failed.group(1)) if failed else None,
        missing_output=_missing_in_order(blocks, proc.stdout),
        undefined=_undefined(blocks),
    )


def _printed_by_block(stdout: str) -> dict[int, list[str]]:
    """The lines each block printed, split at the driver's ``\\x00block N`` markers."""
    printed: dict[int, list[str]] = {}
    current: list[str] = []
    for line in stdout.splitlines():
        if m := re.match(r"^\x00block (\d+)$", line):
            current = printed.setdefault(int(m.group(1)), [])
        elif not line.startswith("\x00"):
            current.append(line.strip())
    return printed


def _missing_in_order(blocks: list[str], stdout: str) -> list[str]:
    """The stated outputs not printed in the order stated, by the block that states
    them: each must match a line of that block's output after the previous one's."""
    printed = _printed_by_block(stdout)
    missing = []
    for number, code in enumerate(blocks, 1):
        lines, at = printed.get(number, []), 0
        for expected in stated_outputs([code]):
            try:
                at = lines.index(expected, at) + 1
            except ValueError:
                missing.append(expected)
    return missing


def _undefined(blocks: list[str]) -> list[tuple[int, str]]:
    """``names_sections_lack`` of a page's blocks; a block that is not valid Python has
    already failed the run, which names it."""
    try:
        return names_sections_lack(blocks)
    except SyntaxError:
        return []


MODULE_NAMES = {"__name__", "__file__", "__doc__"}


def _bound(table: symtable.SymbolTable) -> set[str]:
    return {
        s.get_name()
        for s in table.get_symbols()
        if s.is_assigned() or s.is_imported() or s.is_namespace()
    }


def _globals_used_inside(table: symtable.SymbolTable) -> set[str]:
    """Global names referenced inside the functions and classes of a module's table."""
    used: set[str] = set()
    for child in table.get_children():
        used |= {
            s.get_name()
            for s in child.get_symbols()
            if s.is_referenced() and s.is_global()
        }
        used |= _globals_used_inside(child)
    return used


def names_sections_lack(sections: list[str]) -> list[tuple[int, str]]:
    """(section number, name) for each name the sections use but do not define: at module
    level, before the section that defines it; inside a function or class, anywhere."""
    known = set(dir(builtins)) | MODULE_NAMES
    tables = [
        symtable.symtable(s, f"<section {k}>", "exec")
        for k, s in enumerate(sections, 1)
    ]
    everywhere = set().union(*(_bound(t) for t in tables))
    lacking, so_far = [], set()
    for k, table in enumerate(tables, 1):
        here = _bound(table)
        top = {s.get_name() for s in table.get_symbols() if s.is_referenced()}
        lacking += [(k, n) for n in sorted(top - here - so_far - known)]
        lacking += [
            (k, n) for n in sorted(_globals_used_inside(table) - everywhere - known)
        ]
        so_far |= here
    return lacking
