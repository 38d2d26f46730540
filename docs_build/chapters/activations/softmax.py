"""softmax.md: softmax and its temperature, log-softmax and cross-entropy, the stable
forms, and the Jacobians and gradients (softmin, p - y, label smoothing).

Formulas are registered with ``formula`` (the page prints them, tests/test_formulas.py and
tests/activations/test_softmax_gradients.py check them); facts ``softmax`` and
``softmaxgrad``; figure ``activations/softmax-temperature``.
"""

from __future__ import annotations

import math
import re

import sympy as sp

from docs_build.common import Lazy, LazyModule, count_word
from docs_build.formulas import formula, x
from docs_build.matrix_formulas import Diag
from docs_build.registry import ROOT, facts, figure

# Imported on first use: the build imports this chapter without them.
F = LazyModule("torch.nn.functional")
torch = LazyModule("torch")

z = sp.IndexedBase("z")
i, j = sp.symbols("i j", integer=True, positive=True)
K = sp.Symbol("K", integer=True, positive=True)
T = sp.Symbol("T", positive=True)
m = sp.Symbol("m", real=True)
y = sp.Symbol("y", integer=True, positive=True)
z1, z2 = sp.symbols("z_1 z_2", real=True)

SOFTMAX = formula(
    "act_softmax",
    sp.exp(z[i]) / sp.Sum(sp.exp(z[j]), (j, 1, K)),
    args=(z, i, K),
    lhs=r"\operatorname{softmax}(\mathbf{z})_i",
)
LOG_SOFTMAX = formula(
    "act_log_softmax",
    z[i] - sp.log(sp.Sum(sp.exp(z[j]), (j, 1, K))),
    args=(z, i, K),
    lhs=r"\log \operatorname{softmax}(\mathbf{z})_i",
)
LOG_SOFTMAX_STABLE = formula(
    "act_log_softmax_stable",
    z[i] - m - sp.log(sp.Sum(sp.exp(z[j] - m), (j, 1, K))),
    args=(z, i, K, m),
    lhs=r"\log \operatorname{softmax}(\mathbf{z})_i",
)
SOFTMAX_T = formula(
    "act_softmax_t",
    sp.exp(z[i] / T) / sp.Sum(sp.exp(z[j] / T), (j, 1, K)),
    args=(z, i, K, T),
    lhs=r"\operatorname{softmax}_T(\mathbf{z})_i",
)
SOFTMAX_2 = formula(
    "act_softmax_two",
    sp.exp(z1) / (sp.exp(z1) + sp.exp(z2)),
    args=(z1, z2),
    lhs=r"\operatorname{softmax}(z_1, z_2)_1",
)
CROSS_ENTROPY = formula(
    "act_cross_entropy",
    -z[y] + sp.log(sp.Sum(sp.exp(z[j]), (j, 1, K))),
    args=(z, y, K),
    lhs=r"\mathcal{L}(\mathbf{z}, y) = -\log \operatorname{softmax}(\mathbf{z})_y",
)
SIGMOID_STABLE = formula(
    "act_sigmoid_stable",
    sp.Piecewise((1 / (1 + sp.exp(-x)), x >= 0), (sp.exp(x) / (1 + sp.exp(x)), True)),
    reference=Lazy("torch", "sigmoid"),
    lhs=r"\sigma(x)",
    points=(-80.0, -6.0, -1.0, -1e-3, 0.0, 1e-3, 1.0, 6.0, 80.0),
)
SOFTPLUS_STABLE = formula(
    "act_softplus_stable",
    sp.Max(x, 0) + sp.log(1 + sp.exp(-sp.Abs(x))),
    reference=Lazy("torch.nn.functional", "softplus"),
    lhs=r"\operatorname{softplus}(x)",
    points=(-80.0, -6.0, -1.0, -1e-3, 1e-3, 1.0, 6.0, 15.0),
)


TEMPERATURE_ROW = (2.0, 1.0, 0.1)
TEMPERATURES = (0.25, 1.0, 4.0)
# What the figure's alt text says of the coldest and the hottest temperature;
# tests/activations/test_activation_chapter.py::test_softmax_temperature_table_and_one_hot_limit
# reads them back from the alt text and holds the probabilities to them.
PEAKED_ABOVE = 0.95  # at min(TEMPERATURES), the largest probability exceeds this
FLAT_WITHIN = 0.1  # at max(TEMPERATURES), every probability is this close to 1/K


def _row(values: tuple[float, ...]) -> str:
    return ", ".join(f"{v:g}" for v in values)


Delta = sp.Symbol("Delta", positive=True)  # largest logit minus the runner-up
ONE_HOT_BOUND = formula(
    "act_softmax_one_hot_bound",
    (K - 1) * sp.exp(-Delta / T),
    args=(K, Delta, T),
)  # a bound, not an equation: the page writes "1 - max_i softmax_T(z)_i <=" before it


def one_hot_gap_bound(logits: tuple[float, ...], t: float) -> float:
    """The printed bound on 1 - max softmax_T, evaluated for these logits at T = t."""
    top, second = sorted(logits, reverse=True)[:2]
    subs = {K: len(logits), Delta: top - second, T: t}
    return float(ONE_HOT_BOUND.expr.subs(subs).evalf(30))


# softmax.md: ours and F.cross_entropy differ by float32 rounding, at most this many ulps
# (the spacing of float32 numbers at the loss's value); a test holds the gap to it. One
# ulp was measured here; float32 kernels sum in another order on another instruction set,
# so the bound leaves room for that and still fails on a real error (a wrong formula is
# off by far more than a few ulps).
CE_ULPS = 4


def float32_ulp(value: float) -> float:
    """The gap between a float32 number and the next one up: one ulp at that value."""
    v = torch.tensor(value, dtype=torch.float32)
    return (torch.nextafter(v, torch.tensor(math.inf)) - v).item()


def softmax_snippet_claims() -> list[str]:
    """The numbered claims ("# 1. Adding ...") of snippets/activations/softmax.py's
    claims section, which softmax.md includes."""
    text = (ROOT / "snippets" / "activations" / "softmax.py").read_text(
        encoding="utf-8"
    )
    section = text.split("# --8<-- [start:claims]")[1].split("# --8<-- [end:claims]")[0]
    return [line for line in section.splitlines() if re.match(r"# \d+\. ", line)]


@facts("softmax")
def softmax_facts() -> dict[str, str]:
    from activations import softmax as sm

    out = {"claims_count": count_word(len(softmax_snippet_claims())).lower()}
    row = torch.tensor(TEMPERATURE_ROW, dtype=torch.float64)
    out["row"] = _row(TEMPERATURE_ROW)
    lines = ["| Temperature $T$ | probabilities | entropy (nats) |", "|---|---|---|"]
    for t in TEMPERATURES:
        p = sm.softmax_t(row, t)
        key = f"{t:g}".replace(".", "_")
        out[f"p_{key}"] = ", ".join(f"{v:.3f}" for v in p.tolist())
        out[f"entropy_{key}"] = f"{sm.entropy(p).item():.3f}"
        lines.append(f"| {t:g} | {out[f'p_{key}']} | {out[f'entropy_{key}']} |")
    out["temperature_table"] = "\n".join(lines)
    cold = min(TEMPERATURES)
    out["t_cold"] = f"{cold:g}"
    out["p_max_cold"] = f"{sm.softmax_t(row, cold).max().item():.3f}"
    # rounded up: the page says 1 - max p is at most this
    out["one_hot_bound_cold"] = (
        f"{math.ceil(one_hot_gap_bound(TEMPERATURE_ROW, cold) * 1e3) / 1e3:.3f}"
    )
    out["entropy_max"] = f"{math.log(len(TEMPERATURE_ROW)):.3f}"
    out["k"] = str(len(TEMPERATURE_ROW))
    out["two_class_identity"] = sp.latex(
        sp.Eq(SOFTMAX_2.expr, 1 / (1 + sp.exp(-(z1 - z2))), evaluate=False)
    )
    gap = sm.cross_entropy(sm.logits, sm.target) - F.cross_entropy(sm.logits, sm.target)
    out["ce_gap"] = f"{gap.abs().item():.1e}"
    out["ce_shape"] = r" \times ".join(str(n) for n in sm.logits.shape)
    ref = F.cross_entropy(sm.logits, sm.target).item()
    out["ce_ulps"] = count_word(CE_ULPS).lower()
    out["ce_value"] = f"{ref:.3f}"
    out["ce_ulp"] = rf"2^{{{round(math.log2(float32_ulp(ref)))}}}"
    return out


@figure(
    "activations/softmax-temperature",
    alt=f"Grouped bar chart of softmax probabilities of the logits {_row(TEMPERATURE_ROW)} "
    f"at temperatures {_row(TEMPERATURES)}: at {min(TEMPERATURES):g} the first class takes "
    f"more than {PEAKED_ABOVE:.0%} of the mass, at {max(TEMPERATURES):g} each of the "
    f"{len(TEMPERATURE_ROW)} bars is within {FLAT_WITHIN:g} of 1/{len(TEMPERATURE_ROW)}.",
    caption=f"Softmax of the logits ({_row(TEMPERATURE_ROW)}) at {len(TEMPERATURES)} "
    "temperatures. Probability axis fixed to [0, 1].",
)
def softmax_temperature_figure():
    import matplotlib.pyplot as plt
    from activations import softmax as sm

    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    row = torch.tensor(TEMPERATURE_ROW, dtype=torch.float64)
    width = 0.25
    for n, (t, hatch) in enumerate(zip(TEMPERATURES, ("", "//", ".."), strict=True)):
        p = sm.softmax_t(row, t)
        xs = [c + (n - 1) * width for c in range(len(TEMPERATURE_ROW))]
        ax.bar(
            xs,
            p.tolist(),
            width,
            label=f"T = {t:g}",
            color=f"C{n}",
            hatch=hatch,
            edgecolor="grey",
        )
    ax.set(
        xticks=range(len(TEMPERATURE_ROW)),
        xticklabels=[f"logit {v:g}" for v in TEMPERATURE_ROW],
        ylim=(0, 1),
        ylabel="probability",
    )
    ax.legend()
    return fig


# ------------------------------------------ softmax: softmin, Jacobian and gradients
# softmax.md's sections on the Jacobian, the gradient p - y, log-softmax's derivative and
# softmin; tests/activations/test_softmax_gradients.py checks each against sympy's own
# differentiation and against autograd.
p = sp.IndexedBase("p")  # p_i = softmax(z)_i


P_VECTOR = sp.MatrixSymbol(r"\mathbf{p}", K, 1)
SOFTMIN = formula(
    "act_softmin",
    sp.exp(-z[i]) / sp.Sum(sp.exp(-z[j]), (j, 1, K)),
    args=(z, i, K),
    lhs=r"\operatorname{softmin}(\mathbf{z})_i",
)
SOFTMAX_JACOBIAN = formula(
    "act_softmax_jacobian",
    sp.Mul(
        p[i], sp.Add(sp.KroneckerDelta(i, j), -p[j], evaluate=False), evaluate=False
    ),
    args=(p, i, j),
    lhs=r"\frac{\partial p_i}{\partial z_j}",
    latex_order="none",
)
SOFTMAX_JACOBIAN_MATRIX = formula(
    "act_softmax_jacobian_matrix",
    Diag(P_VECTOR) - P_VECTOR * P_VECTOR.T,
    args=(P_VECTOR,),
    lhs=r"\frac{\partial \mathbf{p}}{\partial \mathbf{z}}",
)
# softmin's Jacobian, with p the softmin probabilities: minus softmax's matrix form
SOFTMIN_JACOBIAN_MATRIX = formula(
    "act_softmin_jacobian_matrix",
    sp.MatMul(
        -1,
        sp.MatAdd(Diag(P_VECTOR), -P_VECTOR * P_VECTOR.T, evaluate=False),
        evaluate=False,
    ),
    args=(P_VECTOR,),
    lhs=r"\frac{\partial \operatorname{softmin}(\mathbf{z})}{\partial \mathbf{z}}",
)
LOG_SOFTMAX_JACOBIAN = formula(
    "act_log_softmax_jacobian",
    sp.Add(sp.KroneckerDelta(i, j), -p[j], evaluate=False),
    args=(p, i, j),
    lhs=r"\frac{\partial \log p_i}{\partial z_j}",
    latex_order="none",
)
CROSS_ENTROPY_GRADIENT = formula(
    "act_cross_entropy_gradient",
    sp.Add(p[j], -sp.KroneckerDelta(j, y), evaluate=False),
    args=(p, j, y),
    lhs=r"\frac{\partial \mathcal{L}}{\partial z_j}",
    latex_order="none",
)
eps_s = sp.Symbol("varepsilon", positive=True)  # label smoothing
q = sp.IndexedBase("q")  # the smoothed target
SMOOTH_TARGET = formula(
    "act_smooth_target",
    sp.Add((1 - eps_s) * sp.KroneckerDelta(j, y), eps_s / K, evaluate=False),
    args=(j, y, eps_s, K),
    lhs="q_j",
    latex_order="none",
)
CROSS_ENTROPY_SMOOTH = formula(
    "act_cross_entropy_smooth",
    -sp.Sum(sp.Mul(q[j], sp.log(p[j]), evaluate=False), (j, 1, K)),
    args=(q, p, K),
    lhs=r"\mathcal{L}_\varepsilon(\mathbf{z}, y)",
    latex_order="none",
)
CROSS_ENTROPY_SMOOTH_GRADIENT = formula(
    "act_cross_entropy_smooth_gradient",
    sp.Add(
        p[j],
        sp.Mul(
            -1,
            sp.Add((1 - eps_s) * sp.KroneckerDelta(j, y), eps_s / K, evaluate=False),
            evaluate=False,
        ),
        evaluate=False,
    ),
    args=(p, j, y, eps_s, K),
    lhs=r"\frac{\partial \mathcal{L}_\varepsilon}{\partial z_j}",
    latex_order="none",
)
# sympy derives the Jacobians for these numbers of logits (symbolic z_1..z_n); the page
# states them (softmaxgrad.n, softmaxgrad.sizes) and the tests derive at the sizes it states
DERIVED_SIZES = (3, 4)
# autograd and the formulas agree to within this, in float64, on random logits
GRADIENT_TOL = 1e-15
# the worked example: the page's logits, and the true class (1-based, as printed)
EXAMPLE_CLASS = 2


def logit_symbols(n: int) -> list[sp.Indexed]:
    """z_1, ..., z_n, the symbols of the page's formulas."""
    return [z[k] for k in range(1, n + 1)]


def derived_jacobian(n: int) -> sp.Matrix:
    """sympy's Jacobian of the page's softmax of n symbolic logits (the entries the page
    prints; tests/activations/symbols.py derives it again, on its own)."""
    column = sp.Matrix(
        [SOFTMAX.expr.subs({K: n, i: k}).doit() for k in range(1, n + 1)]
    )
    return column.jacobian(logit_symbols(n))


def _latex_row(values) -> str:
    return ", ".join(f"{v:.3f}" for v in values)


@facts("softmaxgrad")
def softmax_gradient_facts() -> dict[str, str]:
    from activations import softmax as sm

    n = DERIVED_SIZES[0]
    jac = derived_jacobian(n)
    s = sp.Symbol("S", positive=True)  # the printed sum e^{z_1} + ... + e^{z_n}
    total = sum(sp.exp(v) for v in logit_symbols(n))

    def short(e: sp.Expr) -> str:
        return sp.latex(sp.factor(sp.simplify(e)).subs(total, s))

    out = {
        "n": str(n),
        "sizes": " and ".join(str(v) for v in DERIVED_SIZES),
        "d11": rf"\frac{{\partial p_1}}{{\partial z_1}} = {short(jac[0, 0])}",
        "d12": rf"\frac{{\partial p_1}}{{\partial z_2}} = {short(jac[0, 1])}",
        "sum_s": rf"S = {sp.latex(total)}",
        "tol": f"10^{{{round(math.log10(GRADIENT_TOL))}}}",
        "batch": str(len(sm.target)),
        "shape": r" \times ".join(str(v) for v in sm.logits.shape),
        "smoothing": f"{sm.eps:g}",
    }
    # where the smoothed loss is smallest, p = q: the true class's q_y, and its value
    # for the snippet's number of classes and epsilon
    q_true = SMOOTH_TARGET.expr.subs(j, y)
    out["smooth_qy"] = sp.latex(q_true, order="none")
    out["smooth_k"] = str(sm.logits.shape[-1])
    out["smooth_py"] = (
        f"{float(q_true.subs({eps_s: sm.eps, K: sm.logits.shape[-1]})):.3g}"
    )
    # the worked example: the temperature table's logits at T = 1
    row = torch.tensor(TEMPERATURE_ROW, dtype=torch.float64)
    prob = torch.softmax(row, dim=-1)
    onehot = F.one_hot(torch.tensor(EXAMPLE_CLASS - 1), len(TEMPERATURE_ROW))
    out["ex_row"] = _row(TEMPERATURE_ROW)
    out["ex_y"] = str(EXAMPLE_CLASS)
    out["ex_p"] = _latex_row(prob.tolist())
    # four digits, so that the printed chain -log p_y = loss holds at three
    out["ex_py"] = f"{prob[EXAMPLE_CLASS - 1].item():.4f}"
    out["ex_loss"] = f"{-torch.log(prob[EXAMPLE_CLASS - 1]).item():.3f}"
    out["ex_grad"] = _latex_row((prob - onehot).tolist())
    rows = sm.softmax_jacobian(prob).tolist()
    body = r" \\ ".join(" & ".join(f"{v:.3f}" for v in r) for r in rows)
    out["ex_jacobian"] = rf"\begin{{pmatrix}} {body} \end{{pmatrix}}"
    weights = F.softmin(sm.distances, dim=-1)
    out["softmin_in"] = _row(tuple(sm.distances.tolist()))
    out["softmin_out"] = _latex_row(weights.tolist())
    return out
