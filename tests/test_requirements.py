"""requirements.txt is the whole environment: every line an exact pin, every package that a
pinned package needs pinned too, at the version installed. `pip freeze` leaves out the
packages pip counts as its own tools (setuptools), so a file regenerated from it alone
would let one float."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[([^\]]*)\])?==(\S+)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(text: str) -> dict[str, tuple[str, set[str]]]:
    """{package: (version, extras)} from a requirements file's text."""
    out = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = PIN.fullmatch(line)
        assert match, f"requirements.txt: not an exact pin: {line!r}"
        name, extras, version = match.groups()
        extras_set = {canonical(e) for e in (extras or "").split(",") if e.strip()}
        out[canonical(name)] = (version, extras_set)
    return out


def unpinned_needs(pinned: dict[str, tuple[str, set[str]]]) -> dict[str, set[str]]:
    """{package: pinned packages that need it} for each installed need left unpinned."""
    missing: dict[str, set[str]] = {}
    for name, (_, extras) in pinned.items():
        for line in metadata.requires(name) or []:
            need = Requirement(line)
            if need.marker is not None and not any(
                need.marker.evaluate({"extra": extra}) for extra in extras | {""}
            ):
                continue
            if canonical(need.name) not in pinned:
                missing.setdefault(canonical(need.name), set()).add(name)
    return missing


PINNED = pins((ROOT / "requirements.txt").read_text(encoding="utf-8"))


def test_every_pinned_package_is_installed_at_its_pin() -> None:
    wrong = {
        name: (version, metadata.version(name))
        for name, (version, _) in PINNED.items()
        if metadata.version(name).split("+")[0] != version  # torch's "+cpu" aside
    }
    assert not wrong, f"pinned vs installed: {wrong}"


def test_every_need_of_a_pinned_package_is_pinned() -> None:
    assert not unpinned_needs(PINNED), (
        f"needed but not in requirements.txt: {unpinned_needs(PINNED)}"
    )


def test_an_unpinned_need_is_found() -> None:
    """torch needs sympy; a file without sympy's line is caught, naming torch."""
    without_sympy = {n: v for n, v in PINNED.items() if n != "sympy"}
    assert "torch" in unpinned_needs(without_sympy)["sympy"]
