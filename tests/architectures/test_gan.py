"""The GAN page: its losses equal binary cross-entropy, D* is the maximiser of V, the quality
measures measure what they say, and the stated results are this run's and meet the claims."""

import pytest
import sympy as sp
import torch
from architectures import gan
from snippet_runs import run_snippet
from torch.nn import functional as F

from docs_build.chapters import gan as chapter
from docs_build.registry import get_facts


def logits(requires_grad: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    torch.manual_seed(0)
    real = (3 * torch.randn(64, dtype=torch.float64)).requires_grad_(requires_grad)
    fake = (3 * torch.randn(64, dtype=torch.float64)).requires_grad_(requires_grad)
    return real, fake


def test_losses_equal_binary_cross_entropy_with_gradients() -> None:
    real, fake = logits()
    ones, zeros = torch.ones_like(real), torch.zeros_like(fake)
    ours = gan.discriminator_loss(real, fake) + gan.generator_loss(fake)
    ref = (
        F.binary_cross_entropy_with_logits(real, ones)
        + F.binary_cross_entropy_with_logits(fake, zeros)
        + F.binary_cross_entropy_with_logits(fake, ones)
    )
    torch.testing.assert_close(ours, ref)
    got = torch.autograd.grad(ours, (real, fake))
    want = torch.autograd.grad(ref, (real, fake))
    for g, w in zip(got, want, strict=True):
        torch.testing.assert_close(g, w)


def test_discriminator_loss_is_minus_the_value_function() -> None:
    """MINIMAX_TEX: V = E[log D(x)] + E[log(1 - D(G(z)))]; the code minimises -V."""
    real, fake = logits(requires_grad=False)
    value = (
        torch.log(torch.sigmoid(real)).mean()
        + torch.log(1 - torch.sigmoid(fake)).mean()
    )
    torch.testing.assert_close(gan.discriminator_loss(real, fake), -value)
    assert r"\min_G \max_D V(D, G)" in chapter.MINIMAX_TEX


@pytest.mark.formula
def test_d_star_maximises_the_pointwise_value() -> None:
    d = sp.Symbol("D", positive=True)
    pointwise = chapter.p_data * sp.log(d) + chapter.p_g * sp.log(1 - d)
    (solution,) = sp.solve(sp.diff(pointwise, d), d)
    assert sp.simplify(solution - chapter.D_STAR.expr) == 0
    second = sp.diff(pointwise, d, 2).subs(d, chapter.D_STAR.expr)
    assert sp.simplify(second).is_negative  # a maximum


@pytest.mark.formula
def test_d_star_matches_a_trained_discriminator() -> None:
    """The build's run of chapter.optimal_discriminator_check() (it trains a discriminator
    against a fixed generator) gave the stated error, below the page's bound."""
    stated = float(get_facts("gan")["d_star_error"])
    assert stated < chapter.GAN_CLAIMS["d_star_below"]


def test_quality_measures_detect_collapse_and_equality() -> None:
    g = torch.Generator().manual_seed(0)
    real, real_again = gan.sample_ring(4000, g), gan.sample_ring(4000, g)
    share, modes = gan.mode_quality(real)
    assert share > 0.98 and modes == gan.MODES  # a radius of 3 std holds 98.9% in 2-D
    collapsed = gan.ring_centres()[0] + gan.STD * torch.randn(4000, 2, generator=g)
    assert gan.mode_quality(collapsed)[1] == 1  # mode collapse: one mode covered
    assert gan.energy_distance(real, real) == pytest.approx(0.0, abs=1e-5)
    assert gan.energy_distance(collapsed, real) > 20 * gan.energy_distance(
        real_again, real
    )


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"shape \(N, 8\), got \(4, 3\)"):
        gan.Generator()(torch.zeros(4, 3))
    with pytest.raises(ValueError, match=r"shape \(N, 2\), got \(4,\)"):
        gan.Discriminator()(torch.zeros(4))


def test_stated_results_are_this_run_and_meet_the_claims() -> None:
    """The reader's run of gan.py: the page's numbers must be exactly this run's."""
    run = run_snippet("architectures/gan.py")
    history = run["history"]
    results = run["evaluate"](run["G"])
    stated = get_facts("gan")
    assert stated["share_near_mode"] == f"{results['share_near_mode']:.0%}"
    assert stated["modes_covered"] == str(results["modes_covered"])
    assert stated["energy_fake_real"] == f"{results['energy_fake_real']:.4f}"
    assert results["share_near_mode"] > chapter.GAN_CLAIMS["share_above"]
    assert results["modes_covered"] == gan.MODES
    assert results["energy_fake_real"] < chapter.GAN_CLAIMS["energy_below"]
    assert len(history["d_loss"]) == int(stated["steps"])
