"""numerical-stability.md: where the naive formulas overflow or lose digits, and what the
stable forms and PyTorch return instead (facts ``stable``), over the registry's entries.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from docs_build.chapters.activations import ACTIVATIONS, Activation
from docs_build.common import Lazy, LazyModule, count_word
from docs_build.registry import facts

torch = LazyModule(
    "torch"
)  # imported on first use: the build loads chapters without it


def _fmt(v: float) -> str:
    return repr(v) if math.isnan(v) or math.isinf(v) or v == 0 else f"{v:.4g}"


@facts("stable")
def stability_facts() -> dict[str, str]:
    from activations import naive

    out = {}
    for case, (bad, good) in naive.failures().items():
        key = case.split("_at_")[0].split("_of_")[0]
        if case.endswith("-20"):
            key = "softplus_small"
        out[f"{key}_naive"], out[f"{key}_torch"] = _fmt(bad), _fmt(good)
    f32 = torch.finfo(torch.float32)
    out["sigmoid_grad_at"] = f"{SIGMOID_GRAD_AT:g}"
    out["sigmoid_grad_exact"] = _times_ten(sigmoid_grad_exact(SIGMOID_GRAD_AT))
    out["f32_tiny"] = _times_ten(f32.tiny)
    mantissa, exponent = f"{f32.max:.1e}".split("e")
    out["f32_max"] = rf"{mantissa} \times 10^{{{int(exponent)}}}"
    # e^x is finite for x <= exp_finite_to and infinite for x >= exp_overflow: ln(max)
    # = 88.72284 rounded down and up at EXP_DIGITS decimals
    low, high = exp_overflow_bounds()
    out["exp_finite_to"] = f"{low:.{EXP_DIGITS}f}"
    out["exp_overflow"] = f"{high:.{EXP_DIGITS}f}"
    nan_div, nan_mul = nan_at_infinity()
    out["nan_at_inf_div"] = ", ".join(a.title for a in nan_div)
    out["nan_at_inf_mul"] = ", ".join(a.title for a in nan_mul)
    out["low_precision_eps"] = str(LOW_PRECISION_EPS)
    out["naive_formulas"] = count_word(len(naive_formulas()))
    kept, promoted, rejected = integer_behaviour()
    out["int_kept"] = ", ".join(a.title for a in kept)
    out["int_promoted"] = ", ".join(a.title for a in promoted)
    out["int_accepted_count"] = str(len(kept) + len(promoted))
    out["int_checked_count"] = str(len(kept) + len(promoted) + len(rejected))
    out["int_rejected_count"] = str(len(rejected))
    return out


SIGMOID_GRAD_AT = -100.0  # the table's first row: the sigmoid's gradient at this x


def sigmoid_grad_exact(v: float) -> float:
    """sigma'(v) = e^-v / (1 + e^-v)^2 for v < 0, written as e^v / (1 + e^v)^2 (double)."""
    return math.exp(v) / (1 + math.exp(v)) ** 2


def _times_ten(v: float) -> str:
    """LaTeX of v to 2 significant digits: 3.7 \\times 10^{-44}."""
    mantissa, exponent = f"{v:.1e}".split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


EXP_DIGITS = 4  # decimals of the float32 overflow point of e^x that the page prints


def exp_overflow_bounds() -> tuple[float, float]:
    """ln(float32 max) rounded down and up to EXP_DIGITS decimals."""
    scale = 10**EXP_DIGITS
    ln_max = math.log(torch.finfo(torch.float32).max)
    return math.floor(ln_max * scale) / scale, math.ceil(ln_max * scale) / scale


def naive_formulas() -> list[str]:
    """The textbook formulas snippets/activations/naive.py types in (sigmoid_naive and
    sigmoid_naive_positive are two forms of one formula): sigmoid, softplus, ..."""
    from activations import naive

    names = [n.split("_naive")[0] for n in vars(naive) if "_naive" in n]
    return list(dict.fromkeys(names))


INFINITIES = (math.inf, -math.inf)  # evaluated as a float64 tensor
# Our float16/bfloat16/float32 output is within this many machine epsilons of PyTorch's
# float64 result (relative to max(|f|, 1)); tests/activations checks it.
LOW_PRECISION_EPS = 4


def nan_at_infinity() -> tuple[list[Activation], list[Activation]]:
    """The functions our code (in float64, as torch's float64 kernels) sends to NaN at +inf
    or -inf: those that divide inf by inf (the code's last step is a division), and those
    that multiply inf by a factor that is 0 there."""
    infinities = torch.tensor(INFINITIES, dtype=torch.float64)
    nan = [a for a in ACTIVATIONS if a.fn(infinities).isnan().any().item()]
    div = [a for a in nan if a.key in INF_OVER_INF]
    return div, [a for a in nan if a.key not in INF_OVER_INF]


INF_OVER_INF = (
    "softsign",
)  # x / (1 + |x|); a test checks the rest are x * (factor -> 0)


def is_torch_callable(reference: Callable) -> bool:
    """Whether ``reference`` is PyTorch's own: a function of torch or torch.nn.functional,
    or an instance of a torch.nn module, named as such in its entry (``Lazy``), not one of
    our compositions of torch functions."""
    return (
        isinstance(reference, Lazy)
        and reference.module in ("torch", "torch.nn", "torch.nn.functional")
        and (reference.instance or reference.module != "torch.nn")
    )


def integer_behaviour() -> tuple[list[Activation], list[Activation], list[Activation]]:
    """PyTorch's functions on an integer tensor: (return an integer tensor, return a float
    tensor, raise). Only the activations whose reference is PyTorch's own function or
    module called as is (is_torch_callable); our compositions say nothing about PyTorch."""
    ints = torch.tensor([-1, 0, 2])
    kept, promoted, rejected = [], [], []
    for act in (a for a in ACTIVATIONS if is_torch_callable(a.reference)):
        try:
            out = act.reference(ints)
        except (RuntimeError, TypeError):
            rejected.append(act)
            continue
        (promoted if out.is_floating_point() else kept).append(act)
    return kept, promoted, rejected
