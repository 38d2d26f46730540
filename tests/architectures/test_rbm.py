"""The RBM section: the energy and conditional formulas equal the code, the conditionals and
free energy follow from the energy by enumeration, the CD-1 update and the likelihood gradient
are what the page says, and the stated log-likelihoods are this RBM's exact ones."""

import itertools
import math

import numpy as np
import pytest
import sympy as sp
import torch
from architectures import rbm
from snippet_runs import run_snippet
from sympy.core.function import AppliedUndef

from docs_build import api
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


def printed_sizes() -> tuple[int, int]:
    """Visible and hidden units of the printed energy: the shapes of its v and h."""
    v, h, *_ = api.formula("rbm_energy").args
    return v.shape[0], h.shape[0]


@pytest.mark.formula
def test_energy_formula_equals_the_code() -> None:
    n_vis, n_hid = printed_sizes()
    model = tiny_rbm(n_vis, n_hid)
    f = api.formula("rbm_energy")
    energy = sp.lambdify(f.args, f.expr, modules="numpy")
    a, b, W = (t.detach().numpy() for t in (model.a, model.b, model.W))
    for v in all_states(n_vis):
        for h in all_states(n_hid):
            expected = model.energy(v[None], h[None]).item()
            got = energy(
                v.numpy()[:, None], h.numpy()[:, None], a[:, None], b[:, None], W
            )
            assert float(np.asarray(got).squeeze()) == pytest.approx(
                expected, abs=1e-12
            )


@pytest.mark.formula
def test_conditional_formula_equals_the_code() -> None:
    n_vis, n_hid = printed_sizes()
    model = tiny_rbm(n_vis, n_hid, seed=1)
    v = torch.tensor([1.0, 0.0, 1.0], dtype=torch.float64)
    logistic = sp.Lambda(sp.Symbol("t"), 1 / (1 + sp.exp(-sp.Symbol("t"))))
    p_h = api.formula("rbm_p_h")
    sym = api.symbols("rbm_p_h")
    (sig,) = {f.func for f in p_h.expr.atoms(AppliedUndef)}  # the printed sigma
    values = {sym.v[i + 1]: v[i].item() for i in range(n_vis)}
    for j in range(n_hid):
        values[sym.b[j + 1]] = model.b[j].item()
        for i in range(n_vis):
            values[sym.W[i + 1, j + 1]] = model.W[i, j].item()
    code = model.p_h_given_v(v[None])[0]
    n, j_sym = p_h.args
    for j in range(n_hid):
        expr = p_h.expr.subs({n: n_vis, j_sym: j + 1}).doit()
        got = float(expr.replace(sig, logistic).subs(values))
        assert got == pytest.approx(code[j].item(), abs=1e-12)


@pytest.mark.formula
def test_free_energy_formula_equals_the_code() -> None:
    model = tiny_rbm(4, 3, seed=4)
    v = torch.tensor([0.0, 1.0, 1.0, 0.0], dtype=torch.float64)
    f = api.formula("rbm_free_energy")
    sym = api.symbols("rbm_free_energy")
    expr = f.expr.subs(dict(zip(f.args, (4, 3), strict=True))).doit()  # n, m
    values = {sym.v[i + 1]: v[i].item() for i in range(4)}
    values |= {sym.a[i + 1]: model.a[i].item() for i in range(4)}
    values |= {sym.b[j + 1]: model.b[j].item() for j in range(3)}
    values |= {
        sym.W[i + 1, j + 1]: model.W[i, j].item() for i in range(4) for j in range(3)
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


def test_cd1_update_is_data_minus_reconstruction_statistics() -> None:
    """CD-1 as the page states it: W moves by lr (<v h^T>_0 - <v h^T>_1), where <.>_0
    averages v0 p(h | v0)^T over the data and <.>_1 averages v1 p(h | v1)^T over the
    one-step reconstructions; a and b by the matching differences of v and p(h | v).
    Recomputed here, sample by sample, with the same random draws."""
    model = tiny_rbm(6, 4, seed=5)
    torch.manual_seed(11)
    v0 = torch.bernoulli(torch.full((9, 6), 0.5, dtype=torch.float64))
    W, a, b = (t.detach().clone() for t in (model.W, model.a, model.b))
    lr = 0.3
    torch.manual_seed(7)
    rbm.cd1_step(model, v0, lr)

    def p_h(v: torch.Tensor) -> torch.Tensor:
        return 1 / (1 + torch.exp(-(b + torch.einsum("ni,ij->nj", v, W))))

    torch.manual_seed(7)  # the same draws: h0 ~ p(h | v0), then v1 ~ p(v | h0)
    h0 = torch.bernoulli(p_h(v0))
    v1 = torch.bernoulli(1 / (1 + torch.exp(-(a + torch.einsum("nj,ij->ni", h0, W)))))
    positive = sum(torch.outer(v, h) for v, h in zip(v0, p_h(v0), strict=True)) / len(
        v0
    )
    negative = sum(torch.outer(v, h) for v, h in zip(v1, p_h(v1), strict=True)) / len(
        v0
    )
    assert not torch.equal(v0, v1)  # the reconstruction differs, so the check has teeth
    torch.testing.assert_close(model.W.detach(), W + lr * (positive - negative))
    torch.testing.assert_close(model.a.detach(), a + lr * (v0 - v1).mean(dim=0))
    torch.testing.assert_close(
        model.b.detach(), b + lr * (p_h(v0) - p_h(v1)).mean(dim=0)
    )


def test_log_likelihood_gradient_is_data_minus_model_statistics() -> None:
    """The page: the gradient of log p(v) is <v h^T> with v from the data minus <v h^T>
    with (v, h) from the model. Autograd of the exact mean log-likelihood against both
    averages computed by enumerating every joint state."""
    model = tiny_rbm(4, 3, seed=6)
    data = all_states(4)[[1, 6, 9, 14]]
    log_p = -model.free_energy(data) - torch.logsumexp(
        -model.free_energy(all_states(4)), 0
    )
    (grad,) = torch.autograd.grad(log_p.mean(), model.W)
    with torch.no_grad():
        vs, hs = all_states(4), all_states(3)
        v = vs.repeat_interleave(len(hs), 0)
        h = hs.repeat(len(vs), 1)
        p_joint = torch.softmax(-model.energy(v, h), 0)  # p(v, h) over all 128 states
        model_term = torch.einsum("s,si,sj->ij", p_joint, v, h)
        data_term = torch.einsum("ni,nj->ij", data, model.p_h_given_v(data)) / len(data)
    torch.testing.assert_close(grad, data_term - model_term)


@pytest.mark.claim(
    "autoencoders-rbm-reconstruction-falls",
    "autoencoders-rbm-likelihood-rises",
    "autoencoders-rbm-starts-near-uniform",
    "autoencoders-rbm-more-than-halfway",
)
def test_stated_results_are_this_rbm_and_training_works() -> None:
    """The reader's run of rbm.py: the stated log-likelihoods against this file's own exact
    computation (numpy, free energy summed over h in closed form, log Z over all 2^16
    visible states); the page's comparisons on the stated numbers."""
    run = run_snippet("architectures/rbm.py")
    model, stated = run["rbm"], get_facts("rbm")
    W, a, b = (t.detach().cpu().double().numpy() for t in (model.W, model.a, model.b))
    n = W.shape[0]
    states = np.array(list(itertools.product((0.0, 1.0), repeat=n)))
    data = rbm.bars_and_stripes().double().numpy()

    def minus_free_energy(v: np.ndarray) -> np.ndarray:
        return v @ a + np.logaddexp(0.0, b + v @ W).sum(axis=1)

    top = minus_free_energy(states).max()
    log_z = top + np.log(np.exp(minus_free_energy(states) - top).sum())
    ll_end = float((minus_free_energy(data) - log_z).mean())
    assert float(stated["ll_end"]) == pytest.approx(ll_end, abs=0.005 + 1e-6)
    ll_uniform, ll_best = -n * math.log(2), -math.log(len(data))
    assert stated["ll_uniform"] == f"{ll_uniform:.2f}"
    assert stated["ll_best"] == f"{ll_best:.2f}"
    ll_start = float(stated["ll_start"])
    # "starts within 0.1 nats of the uniform model" and "more than halfway to the best"
    claims = {
        key: api.number("rbm", key)
        for key in ("ll_start_within", "ll_gain_above", "recon_fall")
    }
    assert claims == {"ll_start_within": 0.1, "ll_gain_above": 3, "recon_fall": 10}
    assert abs(ll_start - ll_uniform) < claims["ll_start_within"]
    assert ll_end > (ll_uniform + ll_best) / 2
    assert ll_end - ll_start > claims["ll_gain_above"]
    recon_start, recon_end = float(stated["recon_start"]), float(stated["recon_end"])
    assert recon_end < recon_start / claims["recon_fall"]
    visible, hidden = int(stated["visible"]), int(stated["hidden"])
    assert stated["params"] == str(visible * hidden + visible + hidden)  # W, a and b
    assert (visible, hidden) == tuple(model.W.shape)
