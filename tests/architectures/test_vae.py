"""The VAE page: KL and reparameterization formulas equal PyTorch, the loss is the negative
ELBO of a normalized likelihood, and the stated results agree with this file's own
computations on the trained model and meet the page's claims."""

import copy
import inspect
import itertools
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
import torch
from architectures import vae
from snippet_runs import run_snippet
from torch.distributions import Bernoulli, Independent, Normal, kl_divergence
from torch.nn import functional as F

from docs_build import api
from docs_build.common import NUMBER_WORDS
from docs_build.registry import get_facts
from tests.architectures.shapes import shape_rows

GRID_MU = torch.tensor([-3.0, -1.0, -0.2, 0.0, 0.5, 2.0], dtype=torch.float64)
GRID_SIGMA = torch.tensor([0.05, 0.3, 1.0, 1.7, 4.0], dtype=torch.float64)


def grid() -> tuple[torch.Tensor, torch.Tensor]:
    mu, sigma = torch.meshgrid(GRID_MU, GRID_SIGMA, indexing="ij")
    return (
        mu.flatten().clone().requires_grad_(),
        sigma.flatten().clone().requires_grad_(),
    )


def kl_sum(latent: int):
    """The page's KL formula at c = latent, as a torch function of mu and sigma (N, latent),
    and its indexed symbols in that order."""
    kl = api.formula("vae_kl")
    expr = kl.expr.subs(kl.args[0], latent).doit()  # c = latent
    base = {str(b): b for b in kl.expr.atoms(sp.IndexedBase)}
    symbols = [base[r"\mu"][k] for k in range(1, latent + 1)]
    symbols += [base[r"\sigma"][k] for k in range(1, latent + 1)]
    f = sp.lambdify(symbols, expr, modules="torch")
    return (lambda mu, sigma: f(*mu.unbind(1), *sigma.unbind(1))), expr, symbols


@pytest.mark.formula
def test_kl_formula_sums_over_dimensions_and_equals_torch_distributions() -> None:
    """The printed sum over c dimensions is KL(N(mu, diag sigma^2) || N(0, I)) of the
    c-dimensional Gaussians, values and gradients, for c = 1, 2 and 3."""
    for latent in (1, 2, 3):
        mu, sigma = grid()
        mu = mu.detach().reshape(-1, 1).repeat(1, latent) * torch.linspace(
            1, 0.3, latent
        )
        sigma = sigma.detach().reshape(-1, 1).repeat(1, latent) * torch.linspace(
            1, 2, latent
        )
        mu, sigma = mu.requires_grad_(), sigma.requires_grad_()
        reference = kl_divergence(
            Independent(Normal(mu, sigma), 1),
            Independent(Normal(torch.zeros_like(mu), torch.ones_like(sigma)), 1),
        )
        f, expr, symbols = kl_sum(latent)
        torch.testing.assert_close(f(mu, sigma), reference, atol=1e-12, rtol=1e-12)
        ref_grads = torch.cat(torch.autograd.grad(reference.sum(), (mu, sigma)), dim=1)
        columns = [*mu.detach().unbind(1), *sigma.detach().unbind(1)]
        for col, symbol in enumerate(symbols):
            d = sp.lambdify(symbols, sp.diff(expr, symbol), modules="torch")
            got = d(*columns) * torch.ones(len(mu), dtype=torch.float64)
            torch.testing.assert_close(got, ref_grads[:, col], atol=1e-10, rtol=1e-10)


@pytest.mark.formula
def test_snippet_kl_summed_is_the_formula() -> None:
    torch.manual_seed(0)
    mu = torch.randn(30, 2, dtype=torch.float64)
    sigma = torch.rand(30, 2, dtype=torch.float64) * 3 + 0.05
    code = vae.kl_to_standard_normal(mu, torch.log(sigma**2)).sum(dim=1)
    f, _, _ = kl_sum(2)
    torch.testing.assert_close(code, f(mu, sigma), atol=1e-12, rtol=1e-12)


@pytest.mark.formula
def test_reparameterization_is_the_formula_and_passes_gradients() -> None:
    mu, sigma = grid()
    torch.manual_seed(5)
    z = vae.reparameterize(mu, torch.log(sigma**2))
    torch.manual_seed(5)
    eps = torch.randn_like(mu)
    reparam = api.formula("vae_reparam")
    formula = sp.lambdify(reparam.args, reparam.expr, modules="torch")
    torch.testing.assert_close(z, formula(mu, sigma, eps), atol=1e-12, rtol=1e-12)
    d_mu, d_sigma = torch.autograd.grad(z.sum(), (mu, sigma))
    mu_sym, sigma_sym, _ = reparam.args
    for arg, got in ((mu_sym, d_mu), (sigma_sym, d_sigma)):
        d = sp.lambdify(reparam.args, sp.diff(reparam.expr, arg), "torch")
        torch.testing.assert_close(got, d(mu, sigma, eps) * torch.ones_like(got))


def test_negative_elbo_is_cross_entropy_plus_kl() -> None:
    torch.manual_seed(0)
    x = torch.bernoulli(torch.rand(8, 144, dtype=torch.float64))
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
    params = api.formula("vae_params")
    count = sp.lambdify(params.args, params.expr)
    for dim, hidden, latent in [(144, 128, 2), (10, 6, 3)]:
        model = vae.VAE(dim=dim, latent=latent, hidden=hidden)
        assert count(dim, hidden, latent) == sum(p.numel() for p in model.parameters())


@pytest.mark.claim("autoencoders-gray-levels-not-a-distribution")
def test_reconstruction_term_is_a_distribution_over_binary_images_only() -> None:
    """exp(-reconstruction term) sums to 1 over every 0/1 image (here of 5 pixels), for any
    logits: the ELBO then bounds a log-likelihood. Over gray levels its integral is not 1,
    which is why the page binarizes the data."""
    torch.manual_seed(0)
    logits = 3 * torch.randn(1, 5, dtype=torch.float64)
    images = torch.tensor(
        list(itertools.product((0.0, 1.0), repeat=5)), dtype=torch.float64
    )
    zeros = torch.zeros(
        1, 2, dtype=torch.float64
    )  # mu = 0, log sigma^2 = 0: the KL is 0
    nll = torch.stack(
        [vae.negative_elbo(logits, x[None], zeros, zeros) for x in images]
    )
    assert torch.exp(-nll).sum().item() == pytest.approx(1.0, abs=1e-12)
    # One pixel, gray levels in [0, 1]: the integral of exp(-BCE) (trapezoid, 2001 points).
    gray = torch.linspace(0, 1, 2001, dtype=torch.float64)
    for logit in (-2.0, 0.5, 3.0):
        bce = F.binary_cross_entropy_with_logits(
            torch.full_like(gray, logit), gray, reduction="none"
        )
        assert torch.trapezoid(torch.exp(-bce), gray).item() < 0.95


def test_blobs_are_binary_images_of_one_blob_at_the_center() -> None:
    images, centers = vae.make_blobs(2000, size=12, seed=2)
    assert images.shape == (2000, 144)
    assert set(images.unique().tolist()) <= {0.0, 1.0}
    probabilities = vae.blob_probabilities(centers, size=12)
    peaks = probabilities.reshape(2000, 12, 12).flatten(1).argmax(dim=1)
    rows, cols = peaks // 12, peaks % 12
    assert torch.all((cols - centers[:, 0]).abs() <= 0.5)
    assert torch.all((rows - centers[:, 1]).abs() <= 0.5)
    # Each pixel is on with its gray-level probability: 2000 images, 288,000 pixels, so the
    # share of pixels on is within 4 standard errors (at most 0.001 each) of the mean level.
    assert images.mean().item() == pytest.approx(probabilities.mean().item(), abs=0.004)


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"shape \(N, 144\), got \(4, 3\)"):
        vae.VAE()(torch.zeros(4, 3))
    with pytest.raises(ValueError, match=r"centers of shape \(N, 2\), got \(4,\)"):
        vae.blob_probabilities(torch.zeros(4))
    with pytest.raises(ValueError, match="at least one draw, got 0"):
        vae.held_out_elbo(vae.VAE(), torch.zeros(4, 144), draws=0)


def test_diagram_and_table_match_the_model() -> None:
    (_, input_shape, _), *steps = shape_rows(get_facts("vae")["shapes"])
    assert sum(params for *_, params in steps) == sum(
        p.numel() for p in vae.VAE().parameters()
    )
    assert steps[-1][1] == input_shape


# ---------------------------------------------------------------------------------------
# The page's results, checked on the reader's run of vae.py with code written here.


@pytest.fixture(scope="module")
def trained() -> dict:
    run = run_snippet("architectures/vae.py")
    n_test = inspect.signature(vae.vae_experiment).parameters["n_test"].default
    x, centers = vae.make_blobs(n_test, seed=1)
    model = (
        copy.deepcopy(run["model"]).cpu().double()
    )  # a copy: the run stays as it was
    stated = get_facts("vae")
    return {
        "model": model,
        "x": x.double(),
        "centers": centers.double(),
        "stated": stated,
    }


def log_p_x(model, x: torch.Tensor) -> torch.Tensor:
    """log p(x) of each image by a Riemann sum over a grid of 2-D codes (its own grid, not
    the build's). For 0/1 pixels, log Bernoulli(x; sigmoid(l)) = x·l - softplus(l): one
    matrix product for all images, checked against torch.distributions on a few."""
    line = torch.linspace(-5.5, 5.5, 276, dtype=torch.float64)
    z = torch.cartesian_prod(line, line)
    with torch.no_grad():
        logits = model.decoder(z)
        log_lik = x @ logits.T - F.softplus(logits).sum(dim=1)  # (N images, grid)
        exact = Independent(Bernoulli(logits=logits[::997]), 1).log_prob(x[:3, None, :])
        torch.testing.assert_close(log_lik[:3, ::997], exact)
        log_prior = Independent(Normal(torch.zeros(2), torch.ones(2)), 1).log_prob(z)
        cell = 2 * torch.log(line[1] - line[0])
        return torch.logsumexp(log_lik + log_prior, dim=1) + cell


def elbo(model, x: torch.Tensor) -> torch.Tensor:
    """The ELBO of each image with its expectation over q(z|x) taken by 16-point
    Gauss-Hermite quadrature in each code dimension (no sampling noise)."""
    nodes, weights = np.polynomial.hermite.hermgauss(16)
    t = torch.tensor(np.sqrt(2) * nodes)
    w = torch.tensor(weights / np.sqrt(np.pi))
    tz = torch.cartesian_prod(t, t)  # (256, 2) standard-normal nodes
    wz = torch.cartesian_prod(w, w).prod(dim=1)
    with torch.no_grad():
        mu, logvar = model.encode(x)
        sigma = torch.exp(0.5 * logvar)
        z = mu[:, None, :] + sigma[:, None, :] * tz[None]  # (N, 256, 2)
        log_lik = Independent(Bernoulli(logits=model.decoder(z)), 1).log_prob(
            x[:, None, :]
        )
        kl = kl_divergence(
            Independent(Normal(mu, sigma), 1),
            Independent(Normal(torch.zeros_like(mu), torch.ones_like(mu)), 1),
        )
    return (log_lik * wz).sum(dim=1) - kl


@pytest.mark.claim("autoencoders-vae-elbo-bounds-likelihood")
def test_elbo_is_below_log_likelihood_for_every_image(trained) -> None:
    """The page: ELBO <= log p(x). Checked on 200 held-out images, each with both sides
    computed without sampling; 1e-6 nats of slack for the two quadratures. The stated
    averages are in that order too."""
    model, x = trained["model"], trained["x"][:200]
    lower, exact = elbo(model, x), log_p_x(model, x)
    assert torch.all(lower <= exact + 1e-6), (exact - lower).min()
    stated = trained["stated"]
    assert float(stated["neg_log_px"]) < float(stated["neg_elbo"])


@pytest.mark.claim("autoencoders-vae-elbo-gap")
def test_stated_likelihood_and_elbo_are_this_models(trained) -> None:
    """The stated -log p(x) and -ELBO, against this file's own computation of both, and
    the stated gap between them. The page's -ELBO averages 100 draws of z per image (a
    standard error near 0.005 nats); the gap it reports is about 0.2 nats, so each number
    must be right to a few hundredths: the rounding of the stated value plus 0.015."""
    model, x, stated = trained["model"], trained["x"], trained["stated"]
    neg_log_px = -log_p_x(model, x).mean().item()
    neg_elbo = -elbo(model, x).mean().item()
    assert float(stated["neg_log_px"]) == pytest.approx(neg_log_px, abs=0.05 + 1e-3)
    assert float(stated["neg_elbo"]) == pytest.approx(neg_elbo, abs=0.05 + 0.015)
    gap = neg_elbo - neg_log_px
    assert float(stated["elbo_gap"]) == pytest.approx(gap, abs=0.005 + 0.015)
    assert gap > 0


@pytest.mark.claim("autoencoders-vae-near-the-floor")
def test_floor_is_the_entropy_of_the_pixels_given_the_center(trained) -> None:
    """No model averages below the floor: E[-log p(x)] >= H(x) >= H(x | center), the
    summed entropies of the pixels' coin flips. The stated floor is that entropy, and the
    trained VAE is above it by less than the stated gap."""
    stated, centers = trained["stated"], trained["centers"]
    probs = vae.blob_probabilities(centers.float()).double().clamp(1e-12, 1 - 1e-12)
    entropy = Independent(Bernoulli(probs=probs), 1).entropy().mean().item()
    assert float(stated["floor"]) == pytest.approx(entropy, abs=0.05 + 1e-3)
    assert float(stated["floor"]) < float(stated["neg_log_px"])
    gap = float(stated["neg_elbo"]) - float(stated["floor"])
    assert gap == pytest.approx(float(stated["gap"]), abs=0.1 + 1e-3)
    bound = api.number("vae", "gap_below")
    assert bound == 6  # no quiet loosening
    assert gap < bound


@pytest.mark.claim("autoencoders-vae-training-lowers-the-bound")
def test_training_lowers_the_negative_elbo(trained) -> None:
    """The negative ELBO of the held-out images falls by more than the stated factor from
    the untrained model (recomputed here: the VAE with the snippet's seed, before any step)
    to the trained one."""
    stated, x = trained["stated"], trained["x"]
    torch.manual_seed(0)
    untrained = vae.VAE().double()
    before = -elbo(untrained, x).mean().item()
    after = -elbo(trained["model"], x).mean().item()
    factor = api.number("vae", "improvement_above")
    assert factor == 3  # no quiet loosening
    assert after * factor < before
    improvement = float(stated["neg_elbo_untrained"]) / float(stated["neg_elbo"])
    assert improvement > factor


@pytest.mark.claim("autoencoders-vae-no-posterior-collapse")
def test_stated_kl_is_this_encoders_and_the_code_is_used(trained) -> None:
    model, x, stated = trained["model"], trained["x"], trained["stated"]
    with torch.no_grad():
        mu, logvar = model.encode(x)
    kl = kl_divergence(
        Independent(Normal(mu, torch.exp(0.5 * logvar)), 1),
        Independent(Normal(torch.zeros_like(mu), torch.ones_like(mu)), 1),
    )
    assert float(stated["kl"]) == pytest.approx(kl.mean().item(), abs=0.05 + 1e-3)
    assert api.number("vae", "kl_above") == 1  # no quiet loosening
    assert kl.mean().item() > api.number("vae", "kl_above")  # no posterior collapse


@pytest.mark.claim(
    "autoencoders-vae-nearby-codes-nearby-blobs", "autoencoders-vae-codes-match-prior"
)
def test_codes_spread_like_the_prior_and_keep_neighbors_together(trained) -> None:
    """The page's sentences on the latent figure: the mean and covariance eigenvalues of
    the aggregate posterior q(z), the mixture of the encoder's N(mu, diag sigma^2) over the
    held-out images (its covariance is the means' covariance plus the mean of sigma^2; the
    prior constrains q(z), not the means alone), and nearest-neighbor blob distances of
    the codes mu, computed here with numpy. The mixture's covariance is checked against
    draws from it."""
    model, x, stated = trained["model"], trained["x"], trained["stated"]
    with torch.no_grad():
        mu, logvar = (t.numpy() for t in model.encode(x))
    centers = trained["centers"].numpy()
    mean = mu.mean(axis=0)
    var_mean = np.exp(logvar).mean(axis=0)
    aggregate_cov = np.cov(mu, rowvar=False, bias=True) + np.diag(var_mean)
    rng = np.random.default_rng(0)
    draws = (mu + np.exp(0.5 * logvar) * rng.standard_normal((200, *mu.shape))).reshape(
        -1, 2
    )  # 200,000 draws from q(z): a standard error near 0.003 per entry
    assert np.allclose(np.cov(draws, rowvar=False), aggregate_cov, atol=0.015)
    eig = np.linalg.eigvalsh(aggregate_cov)
    assert stated["code_mean"] == ", ".join(f"{m:.2f}" for m in mean)
    assert stated["code_var_mean"] == ", ".join(f"{v:.3f}" for v in var_mean)
    assert stated["code_eig"] == " and ".join(f"{e:.2f}" for e in eig)
    claims = {
        key: api.number("vae", key)
        for key in ("code_mean_within", "code_var_from", "code_var_to")
    }
    assert claims == {
        "code_mean_within": 0.1,
        "code_var_from": 0.8,
        "code_var_to": 1.25,
    }
    # "Nearby codes, nearby blobs": the page compares the two distances; this test asks
    # the neighbors' to be under a quarter of the random pairs'.
    claims["neighbor_px_ratio_below"] = 0.25
    assert np.all(np.abs(mean) < claims["code_mean_within"])
    assert np.all((eig > claims["code_var_from"]) & (eig < claims["code_var_to"]))
    squared = ((mu[:, None, :] - mu[None, :, :]) ** 2).sum(axis=-1)
    np.fill_diagonal(squared, np.inf)
    apart = np.sqrt(((centers[:, None, :] - centers[None, :, :]) ** 2).sum(axis=-1))
    neighbor = apart[np.arange(len(mu)), squared.argmin(axis=1)].mean()
    at_random = apart.sum() / (len(mu) * (len(mu) - 1))
    assert float(stated["neighbor_px"]) == pytest.approx(neighbor, abs=0.005 + 1e-6)
    assert float(stated["random_px"]) == pytest.approx(at_random, abs=0.05 + 1e-6)
    assert neighbor < claims["neighbor_px_ratio_below"] * at_random


def test_stated_parameter_count_is_the_formula() -> None:
    params = api.formula("vae_params")
    count = sp.lambdify(params.args, params.expr)
    defaults = inspect.signature(vae.VAE).parameters
    dim, hidden, latent = (defaults[k].default for k in ("dim", "hidden", "latent"))
    assert get_facts("vae")["params"] == f"{count(dim, hidden, latent):,}"


@pytest.mark.claim("autoencoders-vae-samples-are-blobs")
def test_decoded_samples_each_look_like_one_blob(trained) -> None:
    """The samples figure: each decoded draw of the prior correlates with some clean blob
    image, centered on the grid the page states (the chapter's one definition of it) over
    the square where training blobs lie (checked against make_blobs' centers), at least as
    much as the page states, and the best-matching blobs are at varied places (their centers
    spread by more than a pixel in each direction). The templates and correlations are
    computed here with numpy."""
    model, stated = trained["model"], trained["stated"]
    n = int(stated["n_samples"])
    samples = (
        vae.sample(model.float(), n).double().numpy()
    )  # the figure's draws (seed 0)
    model.double()
    size = int(stated["size"])
    step = float(stated["template_step"])
    assert step == 0.1
    low, high = float(stated["template_from"]), float(stated["template_to"])
    line = np.arange(low, high + 1e-9, step)  # the grid the page states
    centers = np.stack(np.meshgrid(line, line, indexing="ij"), axis=-1).reshape(-1, 2)
    assert np.allclose(np.diff(line), step)
    assert (low, high) == (line[0], pytest.approx(line[-1]))
    # The training centers fill that square and nothing outside it.
    _, train_centers = vae.make_blobs(20000, size=size, seed=0)
    lo, hi = train_centers.min().item(), train_centers.max().item()
    assert line[0] <= lo < line[0] + 0.01 and line[-1] - 0.01 < hi <= line[-1]
    grid = np.arange(size)
    dx = grid[None, None, :] - centers[:, 0, None, None]
    dy = grid[None, :, None] - centers[:, 1, None, None]
    blobs = np.exp(-(dx**2 + dy**2) / (2 * 1.3**2)).reshape(len(centers), -1)

    def standardise(t: np.ndarray) -> np.ndarray:
        t = t - t.mean(axis=1, keepdims=True)
        return t / np.linalg.norm(t, axis=1, keepdims=True)

    correlation = standardise(samples) @ standardise(blobs).T
    best = correlation.max(axis=1)
    assert best.min() >= float(stated["sample_corr_min"])
    assert best.min() > api.number("vae", "sample_corr_above") == 0.9
    where = centers[correlation.argmax(axis=1)]
    assert np.all(where.std(axis=0) > 1.0), where.std(axis=0)


@pytest.mark.claim("autoencoders-vae-kl-bounds-information")
def test_average_kl_bounds_the_information_in_the_code(trained) -> None:
    """The page: the average KL is an upper bound on the mutual information between x and z
    under the encoder, I = E_x E_q(z|x)[log q(z|x) - log q(z)], with q(z) the average of
    q(z|x) over the held-out images. The difference is KL(q(z) || p(z)) >= 0. Estimated
    with 8 draws of z per image (a standard error of a few hundredths of a nat)."""
    model, x, stated = trained["model"], trained["x"], trained["stated"]
    with torch.no_grad():
        mu, logvar = model.encode(x)
    q = Independent(Normal(mu, torch.exp(0.5 * logvar)), 1)
    torch.manual_seed(0)
    z = q.sample((8,))  # (8, N, 2)
    log_q_own = q.log_prob(z)  # log q(z | the image it was drawn for)
    log_q_all = torch.stack(
        [
            Independent(Normal(mu, torch.exp(0.5 * logvar)), 1).log_prob(zi[:, None, :])
            for zi in z
        ]
    )  # (8, N draws, N images)
    log_aggregate = torch.logsumexp(log_q_all, dim=2) - np.log(len(x))
    information = (log_q_own - log_aggregate).mean().item()
    kl = kl_divergence(
        q, Independent(Normal(torch.zeros_like(mu), torch.ones_like(mu)), 1)
    )
    assert 1.0 < information < kl.mean().item()
    assert information < float(stated["kl"])


def test_the_page_credits_both_papers_that_introduced_the_vae() -> None:
    """Kingma & Welling (2014) and Rezende, Mohamed & Wierstra (2014) each introduced the
    VAE (an encoder giving q(z|x), trained with the reparameterized ELBO): the paragraph
    that introduces it on the page cites both."""
    from docs_build import bibliography

    page = (
        Path(__file__).resolve().parents[2] / "docs/architectures/autoencoders.md"
    ).read_text("utf-8")
    paragraph = next(
        p for p in page.split("\n\n") if "**variational autoencoder**" in p
    )
    cited = bibliography.cited_keys(paragraph)
    assert {"kingma2014", "rezende2014"} <= set(cited), cited


def test_stated_decoder_layer_count_is_the_models() -> None:
    """The diagram's alt text counts the decoder's linear layers in words."""
    layers = sum(type(m).__name__ == "Linear" for m in vae.VAE().decoder)
    assert get_facts("vae")["decoder_linears"] == NUMBER_WORDS[layers]
