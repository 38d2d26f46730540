"""Facts, formulas and figures for the GAN page: namespace ``gan``.

The GAN is trained once per process (``functools.cache``); facts and figures share it.
"""

from __future__ import annotations

import inspect
import math
from functools import cache

import sympy as sp

from docs_build.common import LazyModule
from docs_build.formulas import formula
from docs_build.registry import facts, figure

# Imported on first use: the build imports this chapter without them.
F = LazyModule("torch.nn.functional")
torch = LazyModule("torch")
plt = LazyModule("matplotlib.pyplot")
np = LazyModule("numpy")

# ---------------------------------------------------------------------------------------
# Formulas, written once, as functions of the discriminator's logit ℓ (D = sigmoid(ℓ)).
# tests/test_formulas.py checks each against its reference, derivative included.

ell = sp.Symbol(r"\ell", real=True)


def _bce(target: float):
    def reference(logits: torch.Tensor) -> torch.Tensor:
        targets = torch.full_like(logits, target)
        return F.binary_cross_entropy_with_logits(logits, targets, reduction="none")

    return reference


LOSS_REAL = formula(
    "gan_loss_real",
    sp.log(1 + sp.exp(-ell)),
    args=(ell,),
    reference=_bce(1.0),
    lhs=r"-\log D",
)
LOSS_FAKE = formula(
    "gan_loss_fake",
    sp.log(1 + sp.exp(ell)),
    args=(ell,),
    reference=_bce(0.0),
    lhs=r"-\log(1 - D)",
)
LOSS_SATURATING = formula(
    "gan_loss_saturating",
    -sp.log(1 + sp.exp(ell)),
    args=(ell,),
    reference=lambda logits: -_bce(0.0)(logits),
    lhs=r"\log(1 - D)",
)

p_data = sp.Symbol(r"p_{\mathrm{data}}(x)", positive=True)
p_g = sp.Symbol(r"p_{g}(x)", positive=True)
D_STAR = formula(
    "gan_d_star", p_data / (p_data + p_g), args=(p_data, p_g), lhs=r"D^*(x)"
)

# Goodfellow et al. (2014), Theorem 1: with D = D*, the value is -log 4 plus twice the
# Jensen-Shannon divergence. tests/architectures/test_gan.py derives it from D_STAR with sympy
# and checks it numerically on two Gaussians.
JSD = sp.Symbol(r"\mathrm{JSD}(p_{\mathrm{data}} \,\|\, p_g)", nonnegative=True)
VALUE_AT_D_STAR = formula(
    "gan_value_at_d_star",
    sp.Add(-sp.log(4), 2 * JSD, evaluate=False),
    args=(JSD,),
    latex_order="none",
    mul_symbol=r"\,",  # KaTeX sets "2\mathrm{JSD}" as 2JSD: a thin space between
    lhs=r"V(D^*, G)",
)

# The minimax value is an expectation, not a closed-form expression: its LaTeX lives here,
# next to the code that computes it (snippets/architectures/gan.py: discriminator_loss is
# -V on a batch), which tests/architectures/test_gan.py checks against PyTorch.
MINIMAX_TEX = (
    r"\min_G \max_D V(D, G) = \mathbb{E}_{x \sim p_{\mathrm{data}}}\big[\log D(x)\big]"
    r" + \mathbb{E}_{z \sim p_z}\big[\log\big(1 - D(G(z))\big)\big]"
)


# ---------------------------------------------------------------------------------------
# The optimal discriminator, checked on a 1-D example with known densities.


D_STAR_GRID = (-3.0, 4.0, 141)  # the range the page states, and its points


def optimal_discriminator_check() -> dict:
    """The snippet's logistic discriminator for N(0, 1) against N(1, 1), compared with the
    printed D* (evaluated from its sympy expression) on a grid."""
    from architectures import gan

    w, c = gan.fit_logistic_discriminator()
    grid = torch.linspace(*D_STAR_GRID)
    normal = torch.distributions.Normal
    dens_data, dens_g = (
        normal(0.0, 1.0).log_prob(grid).exp(),
        normal(1.0, 1.0).log_prob(grid).exp(),
    )
    d_star = D_STAR.torch()(dens_data, dens_g)
    d_learned = torch.sigmoid(w * grid + c)
    return {
        "grid": grid,
        "max_error": (d_learned - d_star).abs().max().item(),
    }


# ---------------------------------------------------------------------------------------
# The GAN on a ring of eight Gaussians

GAN_CLAIMS = {
    "share_above": 0.7,
    "energy_below": 0.02,
    "d_star_below": 0.01,
    # The losses settle near their values when D = 1/2 everywhere: 2 log 2 and log 2.
    "settle_steps": 300,  # averaged over the last this many steps
    "d_settle_within": 0.1,
    "g_settle_within": 0.15,
    # The geometric mean of D(G(z)) over a batch, exp(-generator loss), at every step.
    "d_fake_above": 0.1,
}
D_BALANCED, G_BALANCED = 2 * math.log(2), math.log(2)  # -V and -log D at D = 1/2


@cache
def gan_run() -> dict:
    import time

    from architectures import gan

    gan.train_gan(steps=1)  # warm-up, as in the script
    start = time.perf_counter()
    G, D, history = gan.train_gan()
    seconds = time.perf_counter() - start
    g = torch.Generator().manual_seed(2)
    with torch.no_grad():
        fake = G(torch.randn(1000, G.noise, generator=g).to(gan.device)).cpu()
    return {
        **gan.evaluate(G),
        **history,
        "seconds": seconds,
        "fake": fake,
        "real": gan.sample_ring(1000, g),
        "params_g": sum(p.numel() for p in G.parameters()),
        "params_d": sum(p.numel() for p in D.parameters()),
    }


@facts("gan")
def gan_facts() -> dict[str, str]:
    from architectures import gan

    r = gan_run()
    check = optimal_discriminator_check()
    quality = inspect.signature(gan.mode_quality).parameters
    return {
        "share_near_mode": f"{r['share_near_mode']:.0%}",
        "modes_covered": str(r["modes_covered"]),
        "modes": str(gan.MODES),
        "std": str(gan.STD),
        "radius": str(gan.RADIUS),
        "energy_fake_real": f"{r['energy_fake_real']:.4f}",
        "energy_real_real": f"{r['energy_real_real']:.4f}",
        "share_above": f"{GAN_CLAIMS['share_above']:.0%}",
        "energy_below": f"{GAN_CLAIMS['energy_below']}",
        "steps": str(len(r["d_loss"])),
        "seconds": f"{r['seconds']:.1f}",
        "params_g": f"{r['params_g']:,}",
        "params_d": f"{r['params_d']:,}",
        "d_star_error": f"{check['max_error']:.4f}",
        "d_star_claim": f"{GAN_CLAIMS['d_star_below']}",
        "d_star_from": f"{check['grid'][0]:.0f}",
        "d_star_to": f"{check['grid'][-1]:.0f}",
        "within": f"{quality['within'].default:.0f}",
        "min_share": f"{quality['min_share'].default:.0%}",
        "minimax_tex": MINIMAX_TEX,
        "settle_steps": str(GAN_CLAIMS["settle_steps"]),
        "d_loss_end": f"{_tail_mean(r['d_loss']):.2f}",
        "g_loss_end": f"{_tail_mean(r['g_loss']):.2f}",
        "d_balanced": f"{D_BALANCED:.2f}",
        "g_balanced": f"{G_BALANCED:.2f}",
        "d_settle_within": f"{GAN_CLAIMS['d_settle_within']}",
        "g_settle_within": f"{GAN_CLAIMS['g_settle_within']}",
        "g_loss_max": f"{max(r['g_loss']):.2f}",
        "d_fake_min": f"{math.floor(math.exp(-max(r['g_loss'])) * 100) / 100:.2f}",
        "d_fake_above": f"{GAN_CLAIMS['d_fake_above']}",
    }


def _tail_mean(losses: list[float]) -> float:
    """Mean loss over the last GAN_CLAIMS["settle_steps"] training steps."""
    tail = losses[-GAN_CLAIMS["settle_steps"] :]
    return sum(tail) / len(tail)


@figure(
    "architectures/gan-samples",
    # What this alt text states is asserted by
    # tests/architectures/test_gan.py::test_stated_results_hold_for_the_trained_generator
    alt="Scatter plot in the plane: real points drawn as small circles form {{ gan.modes }} "
    "tight clusters on a circle; generated points drawn as crosses lie on or near the same "
    "clusters: {{ gan.share_near_mode }} of them within {{ gan.within }} standard deviations "
    "of a cluster's center, and {{ gan.modes_covered }} of the {{ gan.modes }} clusters "
    "covered.",
    caption="Real samples (circles) and the trained generator's samples (crosses).",
)
def gan_samples():
    r = gan_run()
    fig, ax = plt.subplots(figsize=(5.2, 5.2))
    ax.scatter(
        r["real"][:, 0], r["real"][:, 1], marker="o", s=10, alpha=0.5, label="real"
    )
    ax.scatter(r["fake"][:, 0], r["fake"][:, 1], marker="x", s=12, linewidths=0.8,
               label="generated")  # fmt: skip
    ax.set_xlim(-3, 3)
    ax.set_ylim(-3, 3)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.legend(loc="center")
    return fig


@figure(
    "architectures/gan-losses",
    # What this alt text states is asserted by
    # tests/architectures/test_gan.py::test_losses_settle_near_the_balanced_values
    alt="Two noisy lines against the training step: the discriminator loss (solid) and the "
    "generator loss (dashed). They end near the values of a discriminator that cannot tell "
    "real from fake, 2 log 2 and log 2, drawn as dotted lines: over the last "
    "{{ gan.settle_steps }} steps they average {{ gan.d_loss_end }} and {{ gan.g_loss_end }}, "
    "within {{ gan.d_settle_within }} and {{ gan.g_settle_within }} of them.",
    caption="Losses over training, smoothed over a moving window. Dotted: the values when "
    "D(x) = 1/2 everywhere, where the game is balanced.",
)
def gan_losses():
    r = gan_run()
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    kernel = torch.ones(25) / 25
    for key, label in (
        ("d_loss", "discriminator"),
        ("g_loss", "generator (non-saturating)"),
    ):
        smooth = torch.conv1d(torch.tensor(r[key])[None, None], kernel[None, None])[
            0, 0
        ]
        ax.plot(torch.arange(len(smooth)) + 12, smooth, label=label)
    fg = plt.rcParams["text.color"]
    for level, text in ((D_BALANCED, "2 log 2"), (G_BALANCED, "log 2")):
        ax.axhline(level, linestyle=":", color=fg, linewidth=1)
        ax.annotate(text, (len(r["d_loss"]), level), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=9)  # fmt: skip
    ax.set_xlabel("training step")
    ax.set_ylabel("loss (nats)")
    ax.legend(loc="center right")
    return fig


@figure(
    "architectures/gan-generator-loss",
    # What this alt text and caption state is asserted by
    # tests/architectures/test_gan.py::test_generator_loss_figure_is_drawn_against_the_logit
    alt="Two curves against the discriminator's logit on a fake sample, from -6 to 6 "
    "(D(G(z)) is the sigmoid of the logit, from about 0.0025 to 0.9975, marked on the top "
    "axis). At the left, where D(G(z)) is below 0.01 and the generator is losing, the "
    "saturating loss log(1 - D) is nearly flat (slope between -0.01 and 0) and the "
    "non-saturating loss -log D falls with slope near -1.",
    caption="The generator's two possible losses against the discriminator's logit on a fake "
    "sample. Where D(G(z)) is near 0, only the non-saturating loss gives a strong gradient.",
)
def gan_generator_loss():
    logits = torch.linspace(-6, 6, 241, dtype=torch.float64)
    fig, ax = plt.subplots(figsize=(6.4, 3.8), constrained_layout=True)
    for f, label, style in ((LOSS_SATURATING, r"saturating: $\log(1 - D)$", "-"),
                            (LOSS_REAL, r"non-saturating: $-\log D$", "--")):  # fmt: skip
        ax.plot(logits, f.torch()(logits), linestyle=style, label=label)
    ax.set_xlim(float(logits[0]), float(logits[-1]))
    ax.set_xlabel("logit ℓ of D(G(z)), where D = σ(ℓ)")
    ax.set_ylabel("generator loss (to minimize)")

    def logit_of(d: np.ndarray) -> np.ndarray:
        d = np.clip(d, 1e-12, 1 - 1e-12)  # matplotlib also maps the axis ends 0 and 1
        return np.log(d / (1 - d))

    top = ax.secondary_xaxis(
        "top", functions=(lambda x: 1 / (1 + np.exp(-x)), logit_of)
    )
    top.set_xticks([0.01, 0.1, 0.5, 0.9, 0.99])
    top.set_xticklabels(["0.01", "0.1", "0.5", "0.9", "0.99"])
    top.set_xlabel("D(G(z))")
    ax.legend(loc="upper right")
    return fig
