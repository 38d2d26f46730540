"""The symbols of registered formulas, by their printed names: tests substitute values into
a page's formulas through the formula registry, not through a chapter's private names."""

from __future__ import annotations

from types import SimpleNamespace

import sympy as sp

from docs_build.formulas import FORMULAS
from docs_build.registry import load_chapters

KINDS = (
    sp.IndexedBase,
    sp.MatrixSymbol,
    sp.Symbol,
)  # an IndexedBase z wins over its label


def symbols_of(*names: str) -> SimpleNamespace:
    """Every symbol, indexed base and matrix symbol of the formulas ``names``, as attributes
    named as sympy prints them (``\\varepsilon`` as ``varepsilon``). A name that stands for
    two different symbols in these formulas is an error, not a guess."""
    load_chapters()
    found: dict[str, sp.Basic] = {}
    for name in names:
        for kind in KINDS:
            for atom in FORMULAS[name].expr.atoms(kind):
                label = str(atom.name if kind is sp.MatrixSymbol else atom)
                label = label.lstrip("\\")
                if not label.isidentifier():
                    continue  # \mathbf{p}: a test names such a symbol by its formula
                if label in found and found[label] != atom:
                    if isinstance(found[label], sp.IndexedBase) and atom == (
                        found[label].label
                    ):
                        continue
                    raise ValueError(f"{label!r} is two symbols in {names}")
                found[label] = atom
    return SimpleNamespace(**found)


def param(key: str, name: str) -> sp.Symbol:
    """The parameter symbol ``name`` of the registry entry ``key``: one of its ``params``
    or ``torch_params`` (softplus's ``threshold``), as its formulas use it."""
    from docs_build.chapters.activations import BY_KEY

    act = BY_KEY[key]
    (symbol,) = [s for s in (*act.params, *act.torch_params) if s.name == name]
    return symbol


# the formulas of the softmax page, whose symbols two test files substitute into
SOFTMAX_FORMULAS = (
    "act_softmax",
    "act_log_softmax",
    "act_log_softmax_stable",
    "act_softmax_t",
    "act_cross_entropy",
    "act_softmax_jacobian",
    "act_softmax_jacobian_matrix",
    "act_softmin",
    "act_cross_entropy_smooth",
    "act_smooth_target",
    "act_cross_entropy_gradient",
)


def softmax_symbols() -> SimpleNamespace:
    """The softmax page's symbols (i, j, K, z, p, ...), read off its registered formulas."""
    return symbols_of(*SOFTMAX_FORMULAS)
