"""The autoencoder page: its MSE and parameter-count formulas equal PyTorch, its PCA is PCA,
and its stated results are this code's results and meet the thresholds the page claims."""

import pytest
import sympy as sp
import torch
from architectures import autoencoder as ae
from snippet_runs import run_snippet
from torch.nn import functional as F

from docs_build.chapters import autoencoders as chapter
from docs_build.registry import get_facts


@pytest.mark.formula
def test_mse_formula_equals_torch() -> None:
    torch.manual_seed(0)
    x, x_hat = torch.randn(6, dtype=torch.float64), torch.randn(6, dtype=torch.float64)
    expr = chapter.MSE.expr.subs(chapter.n, 6).doit()
    values = {chapter.x_i[k]: x[k - 1].item() for k in range(1, 7)}
    values |= {chapter.xhat_i[k]: x_hat[k - 1].item() for k in range(1, 7)}
    got = float(expr.subs(values))
    assert got == pytest.approx(F.mse_loss(x_hat, x).item(), rel=1e-12)
    assert got == pytest.approx(ae.reconstruction_mse(x_hat, x).item(), rel=1e-12)


@pytest.mark.formula
def test_parameter_count_formula_equals_numel() -> None:
    count = sp.lambdify(chapter.AE_PARAMS.args, chapter.AE_PARAMS.expr)
    for dim, hidden, code in [(16, 32, 2), (7, 5, 3)]:
        model = ae.Autoencoder(dim=dim, code=code, hidden=hidden)
        assert count(dim, hidden, code) == sum(p.numel() for p in model.parameters())


def test_pca_keeps_everything_at_full_rank_and_loses_the_dropped_variance() -> None:
    x, _ = ae.make_sheet(500, seed=3)
    x = x.double()
    full = ae.pca_reconstruct(x, x, k=x.shape[1])
    torch.testing.assert_close(full, x, atol=1e-10, rtol=0)
    # Eckart-Young: the training error at rank k is the sum of the dropped squared
    # singular values of the centred data, divided by the number of entries.
    s = torch.linalg.svdvals(x - x.mean(dim=0))
    err = ae.reconstruction_mse(ae.pca_reconstruct(x, x, k=2), x)
    assert err.item() == pytest.approx((s[2:] ** 2).sum().item() / x.numel(), rel=1e-9)


def test_corruption_only_adds_noise_of_the_given_size() -> None:
    torch.manual_seed(0)
    x = torch.zeros(20000, 4)
    noise = ae.corrupt(x, 0.3) - x
    assert noise.std().item() == pytest.approx(
        0.3, rel=0.02
    )  # 2%: sampling error of 80k draws
    assert noise.mean().abs().item() < 0.01


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"shape \(N, 16\), got \(4, 3\)"):
        ae.Autoencoder()(torch.zeros(4, 3))
    with pytest.raises(TypeError, match="floating-point"):
        ae.Autoencoder()(torch.zeros(4, 16, dtype=torch.long))


def test_diagram_and_table_match_the_model() -> None:
    steps, input_shape = chapter.ae_steps()
    model = ae.Autoencoder()
    assert sum(s.params for s in steps) == sum(p.numel() for p in model.parameters())
    assert steps[-1].shape == input_shape  # the output has the input's shape
    assert min(s.shape[1] for s in steps) == 2  # the bottleneck is the code


def test_stated_results_are_this_run_and_meet_the_claims() -> None:
    """The reader's run of autoencoder.py (both autoencoders): the page's numbers must be
    exactly this run's."""
    run = run_snippet("architectures/autoencoder.py")
    results, model = run["results"], run["model"]
    stated = get_facts("ae")
    assert stated["test_mse"] == f"{results['ae_test_mse']:.5f}"
    assert stated["pca_mse"] == f"{results['pca_test_mse']:.3f}"
    assert stated["noisy_mse"] == f"{results['noisy_mse']:.3f}"
    assert stated["dae_mse"] == f"{results['dae_mse']:.3f}"
    assert stated["params"] == f"{sum(p.numel() for p in model.parameters()):,}"
    # The claims made in the prose:
    assert results["ae_test_mse"] < chapter.AE_CLAIMS["ae_mse_below"]
    assert results["ae_test_mse"] < results["pca_test_mse"]  # "the autoencoder wins"
    ratio = results["noisy_mse"] / results["dae_mse"]
    assert ratio > chapter.AE_CLAIMS["dae_ratio_above"]
