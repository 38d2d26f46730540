"""The ``--8<--`` includes of pages and notebooks, read the way pymdownx.snippets reads them.

One place for what the build, the notebooks, the browser checks and the tests need to know
about an include: the include line (``INCLUDE``), whether a reference can be included
(``problem``: pymdownx.snippets would silently include the rest of a file whose section has
no end marker), the text it includes (``text``: pymdownx.snippets itself, configured as in
mkdocs.yml), and which includes of a page sit inside code blocks (``in_code_blocks``).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASES = (ROOT / "snippets", ROOT)  # mkdocs.yml: pymdownx.snippets base_path
INCLUDE = re.compile(r"^[ \t]*-{2}8<-{2}[ \t]+[\"']([^\"']+)[\"'][ \t]*$", re.MULTILINE)
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


class IncludeError(ValueError):
    """A reference that cannot be included; the message says why and what exists."""


def problem(ref: str, bases: tuple[Path, ...] = BASES) -> str | None:
    """Why ``ref`` (``file``, ``file:section`` or ``file:start:end``) cannot be included,
    or None when it can."""
    path, _, section = ref.partition(":")
    if section and section.split(":")[0].isdigit():
        section = ""  # a line range, not a named section
    found = next((b / path for b in bases if (b / path).is_file()), None)
    if found is None:
        where = [
            "the repository root" if b == ROOT
            else f"{b.relative_to(ROOT).as_posix()}/" if b.is_relative_to(ROOT)
            else str(b)
            for b in bases
        ]  # fmt: skip
        return f"no file {path!r} under {' or '.join(where)}"
    if not section:
        return None
    text = found.read_text(encoding="utf-8")
    starts = re.findall(r"\[start:([\w-]+)\]", text)
    ends = re.findall(r"\[end:([\w-]+)\]", text)
    has = f"; {path} has the sections {', '.join(starts) or '(none)'}"
    if section not in starts:
        return f"{path} has no section '# --8<-- [start:{section}]'{has}"
    if section not in ends or text.index(f"[end:{section}]") < text.index(
        f"[start:{section}]"
    ):
        # pymdownx.snippets would include the rest of the file without a word
        return f"{path}: section {section!r} has no '# --8<-- [end:{section}]' after its start{has}"
    unmatched = sorted(set(starts) ^ set(ends))
    if unmatched:
        return f"{path}: markers without their pair: {', '.join(unmatched)}{has}"
    return None


@functools.cache
def _preprocessor(bases: tuple[Path, ...]):
    import markdown

    md = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={
            "pymdownx.snippets": {
                "base_path": [str(b) for b in bases],
                "check_paths": True,
                "dedent_subsections": True,  # as mkdocs.yml sets it
            }
        },
    )
    return md.preprocessors["snippet"]


def text(ref: str, bases: tuple[Path, ...] = BASES) -> str:
    """The text pymdownx.snippets includes for ``ref``, without leading or trailing blank
    lines. Raises IncludeError, naming what exists, when it cannot be included."""
    why = problem(ref, bases)
    if why is not None:
        raise IncludeError(why)
    preprocessor = _preprocessor(tuple(bases))
    return "\n".join(preprocessor.run([f'--8<-- "{ref}"'])).strip("\n")


def expand(code: str, bases: tuple[Path, ...] = BASES) -> str:
    """``code`` with each include line replaced by the text it includes."""
    return INCLUDE.sub(lambda m: text(m.group(1), bases), code)


def in_code_blocks(markdown_text: str) -> list[str]:
    """The references of the include lines inside fenced code blocks of a Markdown page, in
    order (an include outside a fence inserts Markdown, e.g. a changelog, not code)."""
    refs, fence = [], None
    for line in markdown_text.splitlines():
        marker = FENCE.match(line)
        if marker and fence is None:
            fence = marker.group(1)
        elif marker and fence is not None and marker.group(1).startswith(fence):
            fence = None
        elif fence is not None and (ref := INCLUDE.match(line)):
            refs.append(ref.group(1))
    return refs
