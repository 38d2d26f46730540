"""The shape table an architecture page shows (a fact), read back into numbers."""

from __future__ import annotations

import re


def shape_rows(table: str) -> list[tuple[str, tuple[int, ...], int]]:
    """(layer, output shape, parameters) of each row after the header and the rule."""
    rows = []
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        shape = tuple(int(v) for v in re.findall(r"\d+", cells[-2]))
        rows.append((cells[0], shape, int(cells[-1].replace(",", ""))))
    return rows
