"""The VAE page: KL and reparameterization formulas equal PyTorch, the loss is the negative
ELBO, and the stated results are this code's results and meet the page's claims."""

import pytest
import sympy as sp
import torch
from architectures import vae
from snippet_runs import run_snippet
from torch.distributions import Normal, kl_divergence
from torch.nn import functional as F

from docs_build.chapters import autoencoders as chapter
from docs_build.registry import get_facts

GRID_MU = torch.tensor([-3.0, -1.0, -0.2, 0.0, 0.5, 2.0], dtype=torch.float64)
GRID_SIGMA = torch.tensor([0.05, 0.3, 1.0, 1.7, 4.0], dtype=torch.float64)


def grid() -> tuple[torch.Tensor, torch.Tensor]:
    mu, sigma = torch.meshgrid(GRID_MU, GRID_SIGMA, indexing="ij")
    return (
        mu.flatten().clone().requires_grad_(),
        sigma.flatten().clone().requires_grad_(),
    )


@pytest.mark.formula
def test_kl_formula_equals_torch_distributions_with_gradients() -> None:
    mu, sigma = grid()
    reference = kl_divergence(Normal(mu, sigma), Normal(0.0, 1.0))
    formula = sp.lambdify(chapter.KL.args, chapter.KL.expr, modules="torch")
    torch.testing.assert_close(formula(mu, sigma), reference, atol=1e-12, rtol=1e-12)
    ref_grads = torch.autograd.grad(reference.sum(), (mu, sigma))
    for arg, ref in zip(chapter.KL.args, ref_grads, strict=True):
        d = sp.lambdify(chapter.KL.args, sp.diff(chapter.KL.expr, arg), modules="torch")
        got = d(mu.detach(), sigma.detach()) * torch.ones_like(mu)
        torch.testing.assert_close(got, ref, atol=1e-10, rtol=1e-10)


@pytest.mark.formula
def test_snippet_kl_is_the_formula() -> None:
    mu, sigma = grid()
    code = vae.kl_to_standard_normal(mu, torch.log(sigma**2))
    formula = sp.lambdify(chapter.KL.args, chapter.KL.expr, modules="torch")
    torch.testing.assert_close(code, formula(mu, sigma), atol=1e-12, rtol=1e-12)


@pytest.mark.formula
def test_reparameterization_is_the_formula_and_passes_gradients() -> None:
    mu, sigma = grid()
    torch.manual_seed(5)
    z = vae.reparameterise(mu, torch.log(sigma**2))
    torch.manual_seed(5)
    eps = torch.randn_like(mu)
    formula = sp.lambdify(chapter.REPARAM.args, chapter.REPARAM.expr, modules="torch")
    torch.testing.assert_close(z, formula(mu, sigma, eps), atol=1e-12, rtol=1e-12)
    d_mu, d_sigma = torch.autograd.grad(z.sum(), (mu, sigma))
    for arg, got in ((chapter.mu, d_mu), (chapter.sigma, d_sigma)):
        d = sp.lambdify(
            chapter.REPARAM.args, sp.diff(chapter.REPARAM.expr, arg), "torch"
        )
        torch.testing.assert_close(got, d(mu, sigma, eps) * torch.ones_like(got))


def test_negative_elbo_is_cross_entropy_plus_kl() -> None:
    torch.manual_seed(0)
    x = torch.rand(8, 144, dtype=torch.float64)
    logits = torch.randn(8, 144, dtype=torch.float64)
    mu, logvar = (
        torch.randn(8, 2, dtype=torch.float64),
        torch.randn(8, 2, dtype=torch.float64),
    )
    expected = (
        F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
        + kl_divergence(Normal(mu, torch.exp(0.5 * logvar)), Normal(0.0, 1.0)).sum()
    ) / len(x)
    torch.testing.assert_close(vae.negative_elbo(logits, x, mu, logvar), expected)


@pytest.mark.formula
def test_parameter_count_formula_equals_numel() -> None:
    count = sp.lambdify(chapter.VAE_PARAMS.args, chapter.VAE_PARAMS.expr)
    for dim, hidden, latent in [(144, 128, 2), (10, 6, 3)]:
        model = vae.VAE(dim=dim, latent=latent, hidden=hidden)
        assert count(dim, hidden, latent) == sum(p.numel() for p in model.parameters())


def test_blobs_are_images_with_one_peak_at_the_centre() -> None:
    images, centres = vae.make_blobs(50, size=12, seed=2)
    assert images.shape == (50, 144) and images.min() >= 0 and images.max() <= 1
    peaks = images.reshape(50, 12, 12).flatten(1).argmax(dim=1)
    rows, cols = peaks // 12, peaks % 12
    assert torch.all((cols - centres[:, 0]).abs() <= 0.5)
    assert torch.all((rows - centres[:, 1]).abs() <= 0.5)


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"shape \(N, 144\), got \(4, 3\)"):
        vae.VAE()(torch.zeros(4, 3))


def test_diagram_and_table_match_the_model() -> None:
    steps, input_shape = chapter.vae_steps()
    assert sum(s.params for s in steps) == sum(
        p.numel() for p in vae.VAE().parameters()
    )
    assert steps[-1].shape == input_shape


def test_stated_results_are_this_run_and_meet_the_claims() -> None:
    """The reader's run of vae.py: the page's numbers must be exactly this run's."""
    run = run_snippet("architectures/vae.py")
    results, model = run["results"], run["model"]
    stated = get_facts("vae")
    assert stated["neg_elbo"] == f"{results['test_neg_elbo']:.1f}"
    assert stated["neg_elbo_untrained"] == f"{results['test_neg_elbo_untrained']:.1f}"
    assert stated["params"] == f"{sum(p.numel() for p in model.parameters()):,}"
    ratio = results["test_neg_elbo_untrained"] / results["test_neg_elbo"]
    assert ratio > chapter.VAE_CLAIMS["improvement_above"]
    floor = float(stated["floor"])
    assert floor < results["test_neg_elbo"] < floor + chapter.VAE_CLAIMS["gap_below"]
    assert float(stated["kl"]) > 1.0  # the code is used: no posterior collapse
