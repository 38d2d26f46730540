"""The RBM section: the energy and conditional formulas equal the code, the conditionals and
free energy follow from the energy by enumeration, and CD-1 training does what the page says."""

import itertools
import math

import numpy as np
import pytest
import sympy as sp
import torch
from architectures import rbm
from snippet_runs import run_snippet

from docs_build.chapters import autoencoders as chapter
from docs_build.registry import get_facts


def tiny_rbm(visible: int, hidden: int, seed: int = 0) -> rbm.RBM:
    torch.manual_seed(seed)
    model = rbm.RBM(visible, hidden).double()
    with torch.no_grad():
        model.W.normal_()
        model.a.normal_()
        model.b.normal_()
    return model


def all_states(n: int) -> torch.Tensor:
    return torch.tensor(
        list(itertools.product((0.0, 1.0), repeat=n)), dtype=torch.float64
    )


@pytest.mark.formula
def test_energy_formula_equals_the_code() -> None:
    model = tiny_rbm(chapter.N_VIS, chapter.N_HID)
    energy = sp.lambdify(chapter.ENERGY.args, chapter.ENERGY.expr, modules="numpy")
    a, b, W = (t.detach().numpy() for t in (model.a, model.b, model.W))
    for v in all_states(chapter.N_VIS):
        for h in all_states(chapter.N_HID):
            expected = model.energy(v[None], h[None]).item()
            got = energy(
                v.numpy()[:, None], h.numpy()[:, None], a[:, None], b[:, None], W
            )
            assert float(np.asarray(got).squeeze()) == pytest.approx(
                expected, abs=1e-12
            )


@pytest.mark.formula
def test_conditional_formula_equals_the_code() -> None:
    model = tiny_rbm(chapter.N_VIS, chapter.N_HID, seed=1)
    v = torch.tensor([1.0, 0.0, 1.0], dtype=torch.float64)
    logistic = sp.Lambda(sp.Symbol("t"), 1 / (1 + sp.exp(-sp.Symbol("t"))))
    values = {chapter.v_i[i + 1]: v[i].item() for i in range(chapter.N_VIS)}
    for j in range(chapter.N_HID):
        values[chapter.b_j[j + 1]] = model.b[j].item()
        for i in range(chapter.N_VIS):
            values[chapter.W_ij[i + 1, j + 1]] = model.W[i, j].item()
    code = model.p_h_given_v(v[None])[0]
    for j in range(chapter.N_HID):
        expr = chapter.P_H.expr.subs(
            {chapter.n: chapter.N_VIS, chapter.j: j + 1}
        ).doit()
        got = float(expr.replace(chapter.sig, logistic).subs(values))
        assert got == pytest.approx(code[j].item(), abs=1e-12)


@pytest.mark.formula
def test_free_energy_formula_equals_the_code() -> None:
    model = tiny_rbm(4, 3, seed=4)
    v = torch.tensor([0.0, 1.0, 1.0, 0.0], dtype=torch.float64)
    expr = chapter.FREE_ENERGY.expr.subs({chapter.n: 4, chapter.m: 3}).doit()
    values = {chapter.v_i[i + 1]: v[i].item() for i in range(4)}
    values |= {chapter.a_i[i + 1]: model.a[i].item() for i in range(4)}
    values |= {chapter.b_j[j + 1]: model.b[j].item() for j in range(3)}
    values |= {
        chapter.W_ij[i + 1, j + 1]: model.W[i, j].item()
        for i in range(4)
        for j in range(3)
    }
    got = float(expr.subs(values))
    assert got == pytest.approx(model.free_energy(v[None]).item(), abs=1e-12)


def test_conditionals_and_free_energy_follow_from_the_energy() -> None:
    """Enumerate every state: p(h_j = 1 | v), p(v_i = 1 | h) and F(v) computed from exp(-E)
    must equal the closed forms in the code."""
    model = tiny_rbm(4, 3, seed=2)
    vs, hs = all_states(4), all_states(3)
    with torch.no_grad():
        for v in vs:
            log_w = -model.energy(
                v.expand(len(hs), 4), hs
            )  # log p(v, h) + log Z, over h
            torch.testing.assert_close(
                torch.softmax(log_w, 0) @ hs, model.p_h_given_v(v[None])[0]
            )
            torch.testing.assert_close(
                -torch.logsumexp(log_w, 0), model.free_energy(v[None])[0]
            )
        for h in hs:
            log_w = -model.energy(vs, h.expand(len(vs), 3))  # over v
            torch.testing.assert_close(
                torch.softmax(log_w, 0) @ vs, model.p_v_given_h(h[None])[0]
            )


def test_exact_likelihood_is_normalised() -> None:
    model = tiny_rbm(5, 3, seed=3)
    with torch.no_grad():
        states = all_states(5)
        log_p = torch.tensor([rbm.log_likelihood(model, s[None]) for s in states])
    assert torch.logsumexp(log_p, 0).item() == pytest.approx(0.0, abs=1e-9)


def test_bars_and_stripes_are_all_the_patterns() -> None:
    data = rbm.bars_and_stripes(4)
    assert data.shape == (
        2 * 2**4 - 2,
        16,
    )  # all-black and all-white are both bars and stripes
    images = data.reshape(-1, 4, 4)
    rows_equal = (images == images[:, :1, :]).all(dim=(1, 2))
    cols_equal = (images == images[:, :, :1]).all(dim=(1, 2))
    assert torch.all(rows_equal | cols_equal)
    assert len({tuple(r.tolist()) for r in data}) == len(data)


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"shape \(N, 16\), got \(2, 3\)"):
        rbm.RBM().p_h_given_v(torch.zeros(2, 3))
    with pytest.raises(ValueError, match="at most 20"):
        rbm.log_likelihood(rbm.RBM(visible=21), torch.zeros(1, 21))


def test_stated_results_are_this_run_and_training_works() -> None:
    """The reader's run of rbm.py: reconstruction error falls, exact log-likelihood rises,
    as stated."""
    history = run_snippet("architectures/rbm.py")["history"]
    stated = get_facts("rbm")
    assert stated["recon_end"] == f"{history['recon_error'][-1]:.3f}"
    assert stated["ll_start"] == f"{history['log_likelihood'][0]:.2f}"
    assert stated["ll_end"] == f"{history['log_likelihood'][-1]:.2f}"
    assert (
        history["recon_error"][-1]
        < history["recon_error"][0] / chapter.RBM_CLAIMS["recon_fall"]
    )
    gain = history["log_likelihood"][-1] - history["log_likelihood"][0]
    assert gain > chapter.RBM_CLAIMS["ll_gain_above"]
    assert (
        history["log_likelihood"][-1] <= -math.log(len(rbm.bars_and_stripes())) + 1e-6
    )
