"""Every code block in docs/ is either executed by pytest-codeblocks or skipped with a reason.

pytest-codeblocks only collects fences tagged exactly ``python`` (and it *runs* ``bash`` and
``sh``). A ``py`` or ``python title=...`` fence would be silently untested, and an include
line (``--8<--``) is not Python, so such blocks must carry a skip marker with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\n]*)$")
SKIP_WITH_REASON = re.compile(
    r"<!--\s*pytest\.mark\.skip(if)?\(.*reason\s*=\s*['\"][^'\"]{8,}['\"].*\)\s*-->"
)
SKIP_ANY = re.compile(r"<!--\s*pytest(\.mark\.skip|-codeblocks:skip)")
PYTHONISH = re.compile(r"^\{?\s*\.?(python|py|python3|py3)\b")
SHELL = re.compile(r"^(bash|sh|shell)\b")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int
    info: str
    marker: str
    body: str

    @property
    def where(self) -> str:
        return (
            f"{self.path.relative_to(ROOT)}:{self.line} ({self.info or 'no language'})"
        )


def blocks(path: Path) -> list[Block]:
    """All fenced blocks of one Markdown file, with the marker line above each."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, start = m.group("fence"), i
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence):
            j += 1
        k = start - 1
        while k >= 0 and not lines[k].strip():
            k -= 1
        marker = (
            lines[k].strip() if k >= 0 and lines[k].strip().startswith("<!--") else ""
        )
        found.append(
            Block(
                path,
                start + 1,
                m.group("info").strip(),
                marker,
                "\n".join(lines[start + 1 : j]),
            )
        )
        i = j + 1
    return found


def classify(block: Block) -> str:
    """'executed', 'skipped' or a string naming the violation."""
    code_like = (
        PYTHONISH.match(block.info) or SHELL.match(block.info) or "--8<--" in block.body
    )
    if not code_like:
        return "not code"
    if SKIP_ANY.search(block.marker):
        return (
            "skipped"
            if SKIP_WITH_REASON.search(block.marker)
            else "skip without a reason"
        )
    if "--8<--" in block.body:
        return "include line in a block pytest-codeblocks would execute"
    if SHELL.match(block.info):
        return "shell block would be executed by pytest-codeblocks; use ```console"
    if block.info != "python":
        return "silently untested: tag it exactly ```python or skip it with a reason"
    return "executed"


def all_blocks() -> list[Block]:
    return [b for p in sorted((ROOT / "docs").rglob("*.md")) for b in blocks(p)]


def test_every_code_block_is_executed_or_skipped_with_reason() -> None:
    counts: dict[str, int] = {}
    bad = []
    for block in all_blocks():
        verdict = classify(block)
        counts[verdict] = counts.get(verdict, 0) + 1
        if verdict not in {"executed", "skipped", "not code"}:
            bad.append(f"{block.where}: {verdict}")
    print(f"code blocks in docs/: {counts}")
    assert not bad, "\n".join(bad)
    assert counts.get("executed", 0) >= 1


def test_classify_catches_each_violation(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "```python\nprint(1)\n```\n\n"
        "```py\nprint(2)\n```\n\n"
        '```python title="x.py"\nprint(3)\n```\n\n'
        "<!--pytest.mark.skip-->\n```python\nprint(4)\n```\n\n"
        '<!--pytest.mark.skip(reason="included from snippets; tested in tests/")-->\n'
        '```python\n--8<-- "a.py:x"\n```\n\n'
        '```python\n--8<-- "a.py:x"\n```\n\n'
        "```bash\nrm -rf /\n```\n\n"
        "```console\n$ make test\n```\n"
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        verdicts = [classify(b) for b in blocks(page)]
    finally:
        ROOT = saved
    assert verdicts == [
        "executed",
        "silently untested: tag it exactly ```python or skip it with a reason",
        "silently untested: tag it exactly ```python or skip it with a reason",
        "skip without a reason",
        "skipped",
        "include line in a block pytest-codeblocks would execute",
        "shell block would be executed by pytest-codeblocks; use ```console",
        "not code",
    ]
