"""What the activation tests share: the symbols of registered formulas by their printed
names, the bounds and axes the pages state, and readings of what the pages show (an
entry's card), so that the tests go through the registries, not a chapter's names."""

from __future__ import annotations

import re
from types import SimpleNamespace

import sympy as sp
import torch

from docs_build import api


def symbols_of(*names: str) -> SimpleNamespace:
    """Every symbol of the formulas ``names``, by its printed name (docs_build.api)."""
    return api.symbols(*names)


# The absolute bound within which each entry's code equals PyTorch's function (float64);
# index.md states it (act.match_atol), checked in test_review_act.
MATCH_ATOL = 1e-8


# The axes every function plot of the chapter shares; the figures' captions state them.
X_LIMITS, Y_LIMITS = (-5.0, 5.0), (-2.0, 3.0)


def autograd_slope(fn, v: torch.Tensor) -> torch.Tensor:
    """df/dx at v by autograd; zeros where autograd has nothing to differentiate (the
    step function's output does not depend on its input's gradient)."""
    v = v.detach().clone().requires_grad_(True)
    out = fn(v)
    if not out.requires_grad:
        return torch.zeros_like(v)
    (g,) = torch.autograd.grad(out.sum(), v)
    return g


def stated_calls(key: str) -> int:
    """The exp/log/tanh/erf calls the entry's card states (a property the page shows)."""
    from docs_build.api import facts

    card = facts("act")[f"{key}_card"]
    (count,) = re.findall(r"^\| exp/log/tanh/erf calls \| (\d+) \|$", card, re.M)
    return int(count)


def param(key: str, name: str) -> sp.Symbol:
    """The parameter symbol ``name`` of the registry entry ``key``: one of its ``params``
    or ``torch_params`` (softplus's ``threshold``), as its formulas use it."""
    from docs_build.api import BY_KEY

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


def eval_indexed(expr: sp.Expr, logits: list[float], subs: dict | None = None) -> float:
    """A softmax-page formula over z_1..z_K (1-based, as printed) evaluated at these
    logits to 30 digits, K set to their number: the tests' own evaluation, by sympy."""
    s = softmax_symbols()
    expr = expr.subs({s.K: len(logits), **(subs or {})}).doit()
    return float(expr.subs({s.z[n + 1]: v for n, v in enumerate(logits)}).evalf(30))
