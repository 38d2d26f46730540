"""softmax.md's Jacobian, cross-entropy gradient, log-softmax derivative and softmin: each
printed formula against sympy's own differentiation of the page's softmax (symbolic logits)
and against autograd of PyTorch's functions in float64; the page's numbers against math."""

from __future__ import annotations

import math
import re

import pytest
import sympy as sp
import torch
import torch.nn.functional as F
from activations import softmax

from docs_build import api
from docs_build.formulas import Formula
from docs_build.matrix_formulas import Diag
from docs_build.registry import ROOT, get_facts
from tests.activations.symbols import (
    derived_cross_entropy_gradient,
    derived_gradient,
    derived_jacobian,
    eval_indexed,
    formula_column,
    logit_symbols,
    printed_gradient,
    printed_matrix,
    softmax_symbols,
)

sym = softmax_symbols()  # the softmax page's i, j, K, z, p, ...
# autograd and the printed formulas agree to within this, in float64; the page states it
# (softmaxgrad.tol), checked in test_softmax_jacobian_matches_autograd
GRADIENT_TOL = 1e-15


# random float64 logits: sizes and scales as a classifier meets them
SIZES = (2, 3, 5, 8)
SCALES = (0.1, 1.0, 10.0)


def _logits(n: int, scale: float, seed: int = 0) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed * 100 + n)
    return scale * torch.randn(n, dtype=torch.float64, generator=gen)


def _elementwise(f: Formula, probs: list[float]) -> torch.Tensor:
    """An element-wise formula in p_i, p_j (i, j from 1) evaluated at probabilities."""
    n = len(probs)
    values = {sym.p[k + 1]: v for k, v in enumerate(probs)}
    out = [
        [
            float(f.expr.subs({sym.i: a + 1, sym.j: b + 1}).subs(values))
            for b in range(n)
        ]
        for a in range(n)
    ]
    return torch.tensor(out, dtype=torch.float64)


def _gradient(
    f: Formula, probs: list[float], target: int, subs: dict | None = None
) -> torch.Tensor:
    """A gradient formula in p_j, delta_jy (j, y from 1) evaluated at probabilities."""
    values = {sym.p[k + 1]: v for k, v in enumerate(probs)}
    base = {sym.y: target, sym.K: len(probs), **(subs or {})}
    return torch.tensor(
        [
            float(f.expr.subs({sym.j: b + 1, **base}).subs(values))
            for b in range(len(probs))
        ],
        dtype=torch.float64,
    )


def _derived_sizes() -> tuple[int, ...]:
    """The numbers of symbolic logits the page says sympy derives for ("3 and 4",
    softmaxgrad.sizes): the tests derive at these."""
    stated = get_facts("softmaxgrad")["sizes"]
    sizes = tuple(int(v) for v in stated.split(" and "))
    assert sizes and stated == " and ".join(str(v) for v in sizes), stated
    return sizes


def _is_zero(m: sp.Matrix) -> bool:
    """Every entry is identically zero. sympy's cancel writes an entry as one fraction of
    expanded polynomials in its generators (exp(z_k), ...), which is 0 only when the entry
    is: a proof, as simplify's 0 is, at a tenth of simplify's time on these entries (and
    an entry it cannot bring to 0 fails the test, it never passes one)."""
    return all(sp.cancel(e) == 0 for e in m)


def _is_not_zero(m: sp.Matrix) -> bool:
    """Some entry is not identically zero: it is nonzero at one point (z_k = k/7),
    evaluated to 50 digits. A proof, where simplify's not returning 0 is not one."""
    for e in m:
        logits = sorted(e.atoms(sp.Indexed), key=str)
        point = {v: sp.Rational(k + 1, 7) for k, v in enumerate(logits)}
        if abs(sp.N(e.subs(point), 50)) > sp.Float("1e-30"):
            return True
    return False


@pytest.mark.formula
@pytest.mark.claim("softmax-jacobian-derived-by-sympy")
def test_softmax_jacobian_derived_by_sympy() -> None:
    """sympy's Jacobian of the page's softmax of 3 and 4 symbolic logits is the printed
    p_i (delta_ij - p_j), and its matrix form diag(p) - p p^T; the two entries the page
    prints are sympy's."""
    for n in _derived_sizes():
        derived = derived_jacobian("act_softmax", n)
        assert _is_zero(
            derived - printed_matrix(api.formula("act_softmax_jacobian"), n)
        )
        s = formula_column("act_softmax", n)
        (p_vector,) = api.formula("act_softmax_jacobian_matrix").args
        vector = p_vector.subs(sym.K, n)
        matrix = api.formula("act_softmax_jacobian_matrix").expr.subs(sym.K, n)
        explicit = matrix.xreplace({Diag(vector): sp.diag(*s), vector: s}).doit()
        assert _is_zero(derived - sp.Matrix(explicit))
    stated = get_facts("softmaxgrad")
    # "sympy differentiates the softmax formula above with {n} symbolic logits": the
    # first of the sizes it says the forms are checked for
    n = int(stated["n"])
    assert stated["n"] == str(n) and n == _derived_sizes()[0]
    jac = derived_jacobian("act_softmax", n)
    # the entries the page prints: sympy's, in the page's S = e^{z_1} + ... + e^{z_n}
    e = [sp.exp(v) for v in logit_symbols(n)]
    total = sum(e)
    others = sum(e[1:])  # e^{z_2} + ... + e^{z_n}
    assert sp.simplify(jac[0, 1] + e[0] * e[1] / total**2) == 0
    assert sp.simplify(jac[0, 0] - others * e[0] / total**2) == 0
    s_sym = sp.Symbol("S", positive=True)
    for key, want in (
        ("d11", others * e[0] / s_sym**2),
        ("d12", -e[0] * e[1] / s_sym**2),
    ):
        printed = stated[key].split(" = ", 1)[1]
        assert printed == sp.latex(want), (printed, sp.latex(want))
    assert stated["sum_s"] == "S = " + sp.latex(total)


@pytest.mark.claim("softmax-jacobian-matches-autograd")
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("scale", SCALES)
def test_softmax_jacobian_matches_autograd(n: int, scale: float) -> None:
    z = _logits(n, scale)
    jac = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, dim=-1), z)
    probs = torch.softmax(z, dim=-1).tolist()
    printed = _elementwise(api.formula("act_softmax_jacobian"), probs)
    assert (jac - printed).abs().max().item() <= GRADIENT_TOL
    # the snippet's diag(p) - p p^T is the same matrix
    snippet = softmax.softmax_jacobian(torch.tensor(probs, dtype=torch.float64))
    assert (jac - snippet).abs().max().item() <= GRADIENT_TOL
    # the page's bound, read back from its LaTeX
    exponent = re.fullmatch(r"10\^\{(-\d+)\}", get_facts("softmaxgrad")["tol"])
    assert exponent and float(f"1e{exponent.group(1)}") == GRADIENT_TOL


@pytest.mark.formula
@pytest.mark.claim("softmax-jacobian-rows-sum-to-zero")
def test_softmax_jacobian_rows_sum_to_zero_and_it_is_singular() -> None:
    """J 1 = 0 symbolically (3 and 4 logits) and for autograd's Jacobian; rank K - 1, so
    singular; moving every logit by the same amount leaves softmax unchanged."""
    for n in _derived_sizes():
        jac = derived_jacobian("act_softmax", n)
        assert _is_zero(jac * sp.ones(n, 1))
    gen = torch.Generator().manual_seed(6)
    for n in SIZES:
        for scale in (0.1, 1.0):
            z = _logits(n, scale)
            jac = torch.autograd.functional.jacobian(
                lambda v: torch.softmax(v, dim=-1), z
            )
            assert jac.sum(dim=-1).abs().max().item() <= GRADIENT_TOL
            assert torch.linalg.matrix_rank(jac).item() == n - 1
            assert abs(torch.linalg.det(jac).item()) <= GRADIENT_TOL
            # so whatever the loss, the gradient reaching the logits sums to 0
            upstream = torch.randn(n, dtype=torch.float64, generator=gen)
            leaf = z.clone().requires_grad_()
            (grad,) = torch.autograd.grad(torch.softmax(leaf, -1) @ upstream, leaf)
            assert abs(grad.sum().item()) <= GRADIENT_TOL
            shifted = torch.softmax(z + 7.25, dim=-1)
            torch.testing.assert_close(
                shifted, torch.softmax(z, dim=-1), rtol=0, atol=1e-15
            )


@pytest.mark.formula
@pytest.mark.claim("softmax-jacobian-symmetric")
def test_softmax_jacobian_is_symmetric() -> None:
    for n in _derived_sizes():
        jac = derived_jacobian("act_softmax", n)
        assert _is_zero(jac - jac.T)
    for n in SIZES:
        z = _logits(n, 1.0, seed=1)
        jac = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, dim=-1), z)
        assert (jac - jac.T).abs().max().item() <= GRADIENT_TOL


@pytest.mark.formula
@pytest.mark.claim("log-softmax-jacobian")
def test_log_softmax_jacobian_derived_and_matches_autograd() -> None:
    for n in _derived_sizes():
        derived = derived_jacobian("act_log_softmax", n)
        assert _is_zero(
            derived - printed_matrix(api.formula("act_log_softmax_jacobian"), n)
        )
    for n in SIZES:
        for scale in SCALES:
            z = _logits(n, scale, seed=2)
            jac = torch.autograd.functional.jacobian(
                lambda v: torch.log_softmax(v, dim=-1), z
            )
            probs = torch.softmax(z, dim=-1).tolist()
            printed = _elementwise(api.formula("act_log_softmax_jacobian"), probs)
            assert (jac - printed).abs().max().item() <= GRADIENT_TOL


@pytest.mark.formula
@pytest.mark.claim("cross-entropy-gradient-p-minus-y")
def test_cross_entropy_gradient_is_p_minus_y() -> None:
    """sympy's gradient of the page's cross-entropy (3 and 4 logits, every class) is
    p_j - delta_jy; autograd of F.cross_entropy(reduction="sum") on a float64 batch is it."""
    for n in _derived_sizes():
        for c in range(1, n + 1):
            derived = derived_cross_entropy_gradient(n, c)
            printed = printed_gradient(api.formula("act_cross_entropy_gradient"), n, c)
            assert _is_zero(derived - printed)
    gen = torch.Generator().manual_seed(3)
    logits = 3 * torch.randn(6, 5, dtype=torch.float64, generator=gen)
    target = torch.randint(0, 5, (6,), generator=gen)
    batch = logits.clone().requires_grad_()
    (grad,) = torch.autograd.grad(
        F.cross_entropy(batch, target, reduction="sum"), batch
    )
    for row, c in zip(range(6), target.tolist(), strict=True):
        probs = torch.softmax(logits[row], dim=-1).tolist()
        printed = _gradient(api.formula("act_cross_entropy_gradient"), probs, c + 1)
        assert (grad[row] - printed).abs().max().item() <= GRADIENT_TOL


@pytest.mark.claim("cross-entropy-mean-divides-by-batch")
def test_cross_entropy_mean_reduction_divides_the_gradient_by_the_batch() -> None:
    gen = torch.Generator().manual_seed(4)
    for n in (1, 4, 32):
        logits = torch.randn(n, 5, dtype=torch.float64, generator=gen)
        target = torch.randint(0, 5, (n,), generator=gen)
        batch = logits.clone().requires_grad_()
        (mean,) = torch.autograd.grad(F.cross_entropy(batch, target), batch)
        expected = (torch.softmax(logits, -1) - F.one_hot(target, 5)) / n
        assert (mean - expected).abs().max().item() <= GRADIENT_TOL
    stated = get_facts("softmaxgrad")
    assert stated["batch"] == str(len(softmax.target))
    assert stated["shape"] == r" \times ".join(str(v) for v in softmax.logits.shape)


@pytest.mark.claim("cross-entropy-mean-weight-and-ignore-index")
@pytest.mark.parametrize("ignore_index", [-100, 2])
def test_cross_entropy_mean_with_weight_and_ignore_index(ignore_index: int) -> None:
    """reduction="mean": an ignored row's gradient is 0 and N counts the other rows; with
    weight=w a row's gradient is w_y (p - y) / sum of w_{y_n} over the rows not ignored.
    Against F.cross_entropy's autograd in float64."""
    gen = torch.Generator().manual_seed(8)
    n, k = 12, 5
    logits = 2 * torch.randn(n, k, dtype=torch.float64, generator=gen)
    target = torch.randint(0, k, (n,), generator=gen)
    target[[1, 4, 5]] = ignore_index  # three rows ignored
    kept = target != ignore_index
    probs = torch.softmax(logits, -1)
    onehot = torch.zeros(n, k, dtype=torch.float64)
    onehot[kept] = F.one_hot(target[kept], k).to(torch.float64)
    w = 0.5 + torch.rand(k, dtype=torch.float64, generator=gen)

    def grad(**kw) -> torch.Tensor:
        batch = logits.clone().requires_grad_()
        loss = F.cross_entropy(batch, target, ignore_index=ignore_index, **kw)
        return torch.autograd.grad(loss, batch)[0]

    # ignore_index alone: (p - y) / N with N the rows kept, 0 on ignored rows
    expected = (probs - onehot) / kept.sum() * kept.unsqueeze(1)
    got = grad()
    assert (got - expected).abs().max().item() <= GRADIENT_TOL
    assert (got[~kept] == 0).all()
    assert int(kept.sum()) != n  # the count differs from the batch size
    # weight as well: w_y (p - y) / sum_n w_{y_n}, over the rows kept
    w_row = torch.zeros(n, dtype=torch.float64)
    w_row[kept] = w[target[kept]]
    expected = w_row.unsqueeze(1) * (probs - onehot) / w_row.sum()
    got = grad(weight=w)
    assert (got - expected).abs().max().item() <= GRADIENT_TOL
    # without ignored rows, weight alone
    full = torch.randint(0, k, (n,), generator=gen)
    batch = logits.clone().requires_grad_()
    (got,) = torch.autograd.grad(F.cross_entropy(batch, full, weight=w), batch)
    w_full = w[full].unsqueeze(1)
    expected = w_full * (probs - F.one_hot(full, k)) / w_full.sum()
    assert (got - expected).abs().max().item() <= GRADIENT_TOL
    # and it is not (p - y) / N: the sentence's caveat matters
    assert (got - (probs - F.one_hot(full, k)) / n).abs().max().item() > 1e-3


@pytest.mark.formula
@pytest.mark.claim("cross-entropy-label-smoothing-gradient")
@pytest.mark.parametrize("eps", [0.0, 0.1, 0.3])
def test_label_smoothing_loss_and_gradient(eps: float) -> None:
    """F.cross_entropy(label_smoothing=eps) is -sum_j q_j log p_j with the printed q, and
    its gradient is the printed p_j - q_j: derived by sympy for 3 logits, against autograd."""
    n = 3
    s = formula_column("act_softmax", n)
    for c in range(1, n + 1):
        qs = [
            api.formula("act_smooth_target").expr.subs({sym.j: b, sym.y: c, sym.K: n})
            for b in range(1, n + 1)
        ]
        loss = api.formula("act_cross_entropy_smooth").expr.subs(sym.K, n).doit()
        loss = loss.subs({sym.q[b + 1]: qs[b] for b in range(n)})
        loss = loss.subs({sym.p[b + 1]: s[b] for b in range(n)})
        derived = derived_gradient(loss, n)
        printed = printed_gradient(
            api.formula("act_cross_entropy_smooth_gradient"), n, c
        )
        assert _is_zero(derived - printed)
    gen = torch.Generator().manual_seed(5)
    logits = 2 * torch.randn(6, 5, dtype=torch.float64, generator=gen)
    target = torch.randint(0, 5, (6,), generator=gen)
    batch = logits.clone().requires_grad_()
    value = F.cross_entropy(batch, target, reduction="sum", label_smoothing=eps)
    (grad,) = torch.autograd.grad(value, batch)
    total = 0.0
    for row, c in enumerate(target.tolist()):
        probs = torch.softmax(logits[row], dim=-1).tolist()
        subs = {sym.varepsilon: eps}
        printed = _gradient(
            api.formula("act_cross_entropy_smooth_gradient"), probs, c + 1, subs
        )
        assert (grad[row] - printed).abs().max().item() <= GRADIENT_TOL
        q = [
            float(
                api.formula("act_smooth_target").expr.subs(
                    {sym.j: b + 1, sym.y: c + 1, sym.K: 5, **subs}
                )
            )
            for b in range(5)
        ]
        total += -sum(qb * math.log(pb) for qb, pb in zip(q, probs, strict=True))
    assert math.isclose(value.item(), total, rel_tol=1e-13)
    assert get_facts("softmaxgrad")["smoothing"] == f"{softmax.eps:g}"


@pytest.mark.claim("label-smoothing-minimum-at-q")
def test_label_smoothing_is_smallest_where_p_is_q() -> None:
    """With label smoothing the loss is smallest at p = q: the true class's probability
    goes to q_y = 1 - eps + eps / K (the printed value for the snippet's K and eps), not 1.
    F.cross_entropy in float64 at logits log q: gradient 0, and every step away costs."""
    page = (ROOT / "docs" / "activations" / "softmax.md").read_text(encoding="utf-8")
    # cited where label smoothing is introduced, by key
    assert "**Label smoothing** ({{ cite szegedy2016 }}, Section 7)" in page
    stated = get_facts("softmaxgrad")
    eps, k = softmax.eps, softmax.logits.shape[-1]
    assert stated["smooth_k"] == str(k)
    q_y = 1 - eps + eps / k
    assert stated["smooth_py"] == f"{q_y:.3g}" and q_y < 1
    eps_s, k_s = sp.symbols("varepsilon K", positive=True)
    q_true = api.formula("act_smooth_target").expr.subs(sym.j, sym.y)
    assert stated["smooth_qy"] == sp.latex(q_true, order="none")
    assert (
        sp.simplify(
            q_true.subs({sym.varepsilon: eps_s, sym.K: k_s}) - (1 - eps_s + eps_s / k_s)
        )
        == 0
    )
    gen = torch.Generator().manual_seed(9)
    for c in range(k):
        q = torch.full((k,), eps / k, dtype=torch.float64)
        q[c] += 1 - eps
        best = torch.log(q).unsqueeze(0)  # softmax(log q) = q
        target = torch.tensor([c])
        leaf = best.clone().requires_grad_()
        loss = F.cross_entropy(leaf, target, label_smoothing=eps)
        (grad,) = torch.autograd.grad(loss, leaf)
        assert grad.abs().max().item() <= GRADIENT_TOL
        assert math.isclose(torch.softmax(best, -1)[0, c].item(), q_y, rel_tol=1e-15)
        for _ in range(20):
            moved = best + 0.1 * torch.randn(1, k, dtype=torch.float64, generator=gen)
            other = F.cross_entropy(moved, target, label_smoothing=eps)
            assert other.item() > loss.item()
        # a one-hot-like prediction, p_y near 1, costs more than p = q
        sharp = 20.0 * F.one_hot(target, k).to(torch.float64)
        assert F.cross_entropy(sharp, target, label_smoothing=eps) > loss


@pytest.mark.formula
@pytest.mark.claim("softmin-is-softmax-of-minus-z")
def test_softmin_is_softmax_of_minus_z() -> None:
    minus = api.formula("act_softmax").expr.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == sym.z, lambda e: -e
    )
    assert minus == api.formula("act_softmin").expr
    for row in ([2.0, 1.0, 0.1], [50.0, -20.0, 0.0, 7.5], [-3.0, 0.5]):
        t = torch.tensor(row, dtype=torch.float64)
        want = F.softmin(t, dim=0)
        for n in range(len(row)):
            got = eval_indexed(api.formula("act_softmin").expr.subs(sym.i, n + 1), row)
            assert math.isclose(got, want[n].item(), rel_tol=1e-12, abs_tol=1e-300)
    stated = get_facts("softmaxgrad")
    row = [float(v) for v in stated["softmin_in"].split(", ")]
    e = [math.exp(-v) for v in row]
    assert stated["softmin_out"] == ", ".join(f"{v / sum(e):.3f}" for v in e)
    # the smallest input gets the largest weight
    assert max(range(len(e)), key=e.__getitem__) == min(
        range(len(row)), key=row.__getitem__
    )


def _softmin_printed(vector: sp.Matrix) -> sp.Matrix:
    """The printed -(diag(p) - p p^T) with p replaced by an explicit column."""
    n = vector.shape[0]
    (p_vector,) = api.formula("act_softmin_jacobian_matrix").args
    p_vec = p_vector.subs(sym.K, n)
    matrix = api.formula("act_softmin_jacobian_matrix").expr.subs(sym.K, n)
    explicit = matrix.xreplace({Diag(p_vec): sp.diag(*vector), p_vec: vector})
    return sp.Matrix(explicit.doit())


@pytest.mark.formula
@pytest.mark.claim("softmin-jacobian")
@pytest.mark.parametrize("n", SIZES)
def test_softmin_jacobian_is_minus_the_softmax_jacobian(n: int) -> None:
    """d softmin / dz = -(diag(p) - p p^T), p = softmin(z): sympy's Jacobian of the
    page's softmin formula (3 and 4 symbolic logits) is the printed matrix at p = softmin,
    and autograd of F.softmin in float64 matches it."""
    if n == SIZES[0]:  # the symbolic part once
        for k in _derived_sizes():
            derived = derived_jacobian("act_softmin", k)
            printed = _softmin_printed(formula_column("act_softmin", k))
            assert _is_zero(derived - printed)
            # and not softmax's: the sign is the formula's
            assert _is_not_zero(
                derived - _softmin_printed(formula_column("act_softmax", k))
            )
        # the page prints this very expression (the minus outside the brackets)
        tex = get_facts("tex")["act_softmin_jacobian_matrix.eq"]
        assert tex.endswith(api.formula("act_softmin_jacobian_matrix").latex()), tex
        assert r"- \left(\operatorname{diag}" in tex
    z = _logits(n, 1.0, seed=7)
    jac = torch.autograd.functional.jacobian(lambda v: F.softmin(v, dim=-1), z)
    probs = F.softmin(z, dim=-1).to(torch.float64)
    printed = _softmin_printed(sp.Matrix(probs.tolist()))
    printed = torch.tensor(printed.tolist(), dtype=torch.float64)
    assert (jac - printed).abs().max().item() <= GRADIENT_TOL
    assert (jac + printed).abs().max().item() > 1e-3  # the sign matters


@pytest.mark.claim("softmax-example-gradient-sums-to-zero")
def test_worked_example_numbers() -> None:
    """The example's p, loss, gradient and Jacobian, from math.exp, not the snippet."""
    stated = get_facts("softmaxgrad")
    # "Take the logits ({ex_row}) of the temperature table and let the true class be
    # y = {ex_y}": the logits and class the page states, the table's own row
    row = tuple(float(v) for v in stated["ex_row"].split(", "))
    c = int(stated["ex_y"])
    assert stated["ex_row"] == get_facts("softmax")["row"]
    assert stated["ex_row"] == ", ".join(f"{v:g}" for v in row)
    assert stated["ex_y"] == str(c) and 1 <= c <= len(row)
    e = [math.exp(v) for v in row]
    probs = [v / sum(e) for v in e]
    assert stated["ex_p"] == ", ".join(f"{v:.3f}" for v in probs)
    assert stated["ex_py"] == f"{probs[c - 1]:.4f}"
    assert stated["ex_loss"] == f"{-math.log(probs[c - 1]):.3f}"
    # the printed chain "-log p_y = -log {ex_py} = {ex_loss}" holds as printed
    assert f"{-math.log(float(stated['ex_py'])):.3f}" == stated["ex_loss"]
    grad = [v - (k == c - 1) for k, v in enumerate(probs)]
    assert stated["ex_grad"] == ", ".join(f"{v:.3f}" for v in grad)
    assert abs(sum(grad)) < 1e-15
    # the printed, rounded entries sum to 0 as well
    assert sum(round(v * 1000) for v in grad) == 0
    assert grad[c - 1] < 0 and all(g > 0 for k, g in enumerate(grad) if k != c - 1)
    # the largest push down goes to the most probable wrong class, the first
    assert max(range(len(grad)), key=grad.__getitem__) == 0 and c != 1
    jac = [
        [probs[a] * ((a == b) - probs[b]) for b in range(len(row))]
        for a in range(len(row))
    ]
    for r in jac:
        assert " & ".join(f"{v:.3f}" for v in r) in stated["ex_jacobian"]
        # "Its rows sum to 0": the printed, rounded rows too
        assert sum(round(v * 1000) for v in r) == 0
    k = len(row)
    assert all(jac[a][b] == jac[b][a] for a in range(k) for b in range(k))


def test_snippet_jacobian_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match=r"got shape \(\) and dtype torch\.float32"):
        softmax.softmax_jacobian(torch.tensor(0.5))
    with pytest.raises(ValueError, match=r"dtype torch\.int64"):
        softmax.softmax_jacobian(torch.tensor([1, 2]))


def test_exercise_section_heading() -> None:
    """The exercises sit under "## Exercises", the heading other pages use, in their
    common form: a bold lead, then a collapsed "Answer N"."""
    page = (ROOT / "docs" / "activations" / "softmax.md").read_text(encoding="utf-8")
    assert "\n## Exercises\n" in page and "\n## Exercise\n" not in page
    after = page.split("\n## Exercises\n", 1)[1]
    assert "??? question" not in after
    section = after.split("\n## ", 1)[0]
    assert "**1. Derive.** Take the logits" in section
    assert '??? success "Answer 1"' in section


# each snippet section of the gradients, and the page section that shows it
SNIPPET_SECTIONS = {
    "jacobian": "## The Jacobian of softmax",
    "log_softmax": "## The derivative of log-softmax",
    "cross_entropy": "## The gradient of cross-entropy: p − y",
    "label_smoothing": "## The gradient of cross-entropy: p − y",
}
# what a section may not use before the page introduces it
INTRODUCED_LATER = {
    "jacobian": ("log_softmax", "cross_entropy", "label_smoothing"),
    "log_softmax": ("cross_entropy", "label_smoothing"),
    "cross_entropy": ("label_smoothing",),
    "label_smoothing": (),
}


def test_gradient_snippets_follow_the_page() -> None:
    """Each snippet section is shown in the page section of its topic, after the text that
    introduces it, and runs only what the page has introduced; the tolerance it asserts is
    the page's bound; its notation is the page's K."""
    page = (ROOT / "docs" / "activations" / "softmax.md").read_text(encoding="utf-8")
    code = (ROOT / "snippets" / "activations" / "softmax.py").read_text(
        encoding="utf-8"
    )
    sections = dict(re.findall(r"(?ms)^(## [^\n]+)\n(.*?)(?=^## |\Z)", page))
    for name, heading in SNIPPET_SECTIONS.items():
        include = f'--8<-- "activations/softmax.py:{name}"'
        assert include in sections[heading], (name, heading)
        assert page.count(include) == 1
        body = code.split(f"# --8<-- [start:{name}]")[1].split(
            f"# --8<-- [end:{name}]"
        )[0]
        for later in INTRODUCED_LATER[name]:
            assert later not in body, (name, later)
        assert "/ C" not in body  # the page writes K for the number of classes
    smoothing = sections["## The gradient of cross-entropy: p − y"]
    assert smoothing.index("**Label smoothing**") < smoothing.index(
        "activations/softmax.py:label_smoothing"
    )
    assert "eps / K" in code.split("[start:label_smoothing]")[1]
    # the one tolerance the snippet asserts is the page's bound
    tols = re.findall(
        r"atol=([\w.e-]+)",
        code.split("[start:jacobian]")[1].split("[end:label_smoothing]")[0],
    )
    assert set(tols) == {"tol"}
    assert float(re.search(r"^tol = ([\d.e-]+)$", code, re.M).group(1)) == (
        GRADIENT_TOL
    )
    assert "[start:gradients]" not in code
