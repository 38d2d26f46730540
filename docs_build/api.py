"""What tests may use of the build: its registries, by the names the pages use.

A page names a fact (``{{ ns.key }}``), a formula (``{{ tex.NAME }}``), a figure
(``{{ figure ns/name }}``) and a claim (``{{ claim id }}``), all computed from a chapter's
registered runs (``runs("ns")``); the tests read the same entries here, never a chapter
module's private names, so that a chapter's internals can
change without touching the tests. Snippets (``snippets/``), which readers copy, are public
too: tests import them directly. ``tests/test_imports.py`` checks that tests import nothing
else of ``docs_build.chapters``.
"""

from __future__ import annotations

from types import SimpleNamespace

import sympy as sp

from docs_build.chapters.activations import (
    ACTIVATIONS,
    BY_KEY,
    PAGES,
    Activation,
    Papers,
    Source,
    Unlinked,
)
from docs_build.chapters.activations.gated import GATED, Gated
from docs_build.claims import CLAIMS, Claim
from docs_build.formulas import FORMULAS, Formula
from docs_build.registry import FIGURES, Figure, get_facts, get_runs, load_chapters

__all__ = [
    "ACTIVATIONS",
    "BY_KEY",
    "GATED",
    "PAGES",
    "Activation",
    "Formula",
    "Gated",
    "Papers",
    "Source",
    "Unlinked",
    "claim",
    "facts",
    "figure",
    "formula",
    "number",
    "runs",
    "symbols",
]

facts = get_facts  # facts("gan") -> {"share_above": "70%", ...}: the page's strings
# runs("training") -> {"gain": ..., "norms": ...}: the experiments behind a page's facts and
# figures, for tests that check more of a run than the page prints (registry.runs)
runs = get_runs


def number(namespace: str, key: str) -> float:
    """The fact ``namespace.key`` read back as the number the page shows: ``"70%"`` is
    0.7, ``"12,345"`` is 12345.0. A bound a test checks is the one the page states."""
    text = get_facts(namespace)[key].replace(",", "").replace("\u2009", "").strip()
    if text.endswith("%"):
        return float(text[:-1]) / 100
    return float(text)


def formula(name: str) -> Formula:
    """The formula a page prints as ``{{ tex.NAME }}``."""
    load_chapters()
    if name not in FORMULAS:
        raise KeyError(f"unknown formula {name!r}")
    return FORMULAS[name]


def figure(name: str) -> Figure:
    """The figure a page shows as ``{{ figure name }}``; ``figure(name).draw()`` draws it."""
    load_chapters()
    if name not in FIGURES:
        raise KeyError(f"unknown figure {name!r}")
    return FIGURES[name]


def claim(claim_id: str) -> Claim:
    """The claim a page makes with ``{{ claim ID }}``."""
    return CLAIMS[claim_id]


_KINDS = (
    sp.IndexedBase,
    sp.MatrixSymbol,
    sp.Symbol,
)  # an IndexedBase z wins over z's label


def symbols(*names: str) -> SimpleNamespace:
    """Every symbol, indexed base and matrix symbol of the formulas ``names``, as attributes
    named as sympy prints them (``\\varepsilon`` as ``varepsilon``, ``d_{model}`` as
    ``d_model``). A name that stands for two different symbols in these formulas is an
    error, not a guess."""
    found: dict[str, sp.Basic] = {}
    for name in names:
        for kind in _KINDS:
            for atom in formula(name).expr.atoms(kind):
                label = str(atom.name if kind is sp.MatrixSymbol else atom)
                label = label.lstrip("\\").replace("{", "").replace("}", "")
                if not label.isidentifier():
                    continue  # R(k \omega_{i}): a test takes it from the formula
                if label in found and found[label] != atom:
                    if isinstance(found[label], sp.IndexedBase) and atom == (
                        found[label].label
                    ):
                        continue
                    raise ValueError(f"{label!r} is two symbols in {names}")
                found[label] = atom
    return SimpleNamespace(**found)
