"""Facts, formulas and figures for the autoencoder page: ``ae``, ``vae`` and ``rbm``.

Each model is trained once per process (``functools.cache``); facts and figures share it.
"""

from __future__ import annotations

import math
from functools import cache
from typing import TYPE_CHECKING

import sympy as sp

from docs_build.common import LazyModule, count_word, defaults
from docs_build.formulas import formula
from docs_build.registry import facts, figure

if TYPE_CHECKING:
    from docs_build import diagrams

# Imported on first use: the build imports this chapter without them.
torch = LazyModule("torch")
plt = LazyModule("matplotlib.pyplot")

# ---------------------------------------------------------------------------------------
# Formulas, written once. Tests: tests/architectures/test_autoencoder.py, test_vae.py,
# test_rbm.py evaluate these expressions against the snippets and PyTorch.

n, i, j = sp.symbols("n i j", integer=True, positive=True)
x_i, xhat_i = sp.IndexedBase("x"), sp.IndexedBase(r"\hat{x}")
MSE = formula(
    "ae_mse",
    sp.Sum((xhat_i[i] - x_i[i]) ** 2, (i, 1, n)) / n,
    args=(n,),
    lhs=r"\mathcal{L}_{\mathrm{MSE}}(x, \hat{x})",
)

# Parameter counts: each Linear(m, k) holds m*k weights and k biases.
d_in, hid, code = sp.symbols("d h c", integer=True, positive=True)


def _linear(m: sp.Expr, k: sp.Expr) -> sp.Expr:
    return m * k + k


AE_PARAMS = formula(
    "ae_params",
    sum(_linear(m, k) for m, k in [(d_in, hid), (hid, hid), (hid, code),
                                    (code, hid), (hid, hid), (hid, d_in)]),
    args=(d_in, hid, code),
    lhs=r"\#\theta_{\mathrm{AE}}",
)  # fmt: skip
VAE_PARAMS = formula(
    "vae_params",
    sum(_linear(m, k) for m, k in [(d_in, hid), (hid, code), (hid, code),
                                    (code, hid), (hid, hid), (hid, d_in)]),
    args=(d_in, hid, code),
    lhs=r"\#\theta_{\mathrm{VAE}}",
)  # fmt: skip

mu, sigma, eps = (
    sp.Symbol(r"\mu", real=True),
    sp.Symbol(r"\sigma", positive=True),
    sp.Symbol(r"\varepsilon", real=True),
)
# The KL of a diagonal Gaussian from N(0, I), summed over the c latent dimensions k.
k = sp.Symbol("k", integer=True, positive=True)
mu_k, sigma_k = (
    sp.IndexedBase(r"\mu", real=True),
    sp.IndexedBase(r"\sigma", positive=True),
)
KL = formula(
    "vae_kl",
    sp.Sum(
        sp.Mul(sp.Rational(1, 2), mu_k[k] ** 2 + sigma_k[k] ** 2 - 1 - sp.log(sigma_k[k] ** 2),
               evaluate=False),
        (k, 1, code),
    ),
    args=(code,),
    lhs=r"D_{\mathrm{KL}}\big(\mathcal{N}(\mu, \operatorname{diag}(\sigma^2)) \,\|\, "
    r"\mathcal{N}(0, I)\big)",
)  # fmt: skip
REPARAM = formula("vae_reparam", mu + sigma * eps, args=(mu, sigma, eps), lhs="z")

# The ELBO is an expectation over q, not a closed-form expression: its LaTeX lives here,
# next to the facts, and tests/architectures/test_vae.py checks the code that computes it
# (snippets/architectures/vae.py: negative_elbo) term by term against PyTorch.
ELBO_TEX = (
    r"\mathcal{L}(\theta, \phi; x) = \mathbb{E}_{q_\phi(z \mid x)}\big[\log p_\theta(x \mid z)\big]"
    r" - D_{\mathrm{KL}}\big(q_\phi(z \mid x) \,\|\, p(z)\big) \le \log p_\theta(x)"
)

N_VIS, N_HID = 3, 2  # sizes for the printed energy only; the code works for any size
v_, h_ = sp.MatrixSymbol("v", N_VIS, 1), sp.MatrixSymbol("h", N_HID, 1)
a_, b_, W_ = (
    sp.MatrixSymbol("a", N_VIS, 1),
    sp.MatrixSymbol("b", N_HID, 1),
    sp.MatrixSymbol("W", N_VIS, N_HID),
)
ENERGY = formula(
    "rbm_energy",
    -(a_.T * v_) - (b_.T * h_) - (v_.T * W_ * h_),
    args=(v_, h_, a_, b_, W_),
    lhs=r"E(v, h)",
)
m = sp.Symbol("m", integer=True, positive=True)  # number of hidden units
a_i = sp.IndexedBase("a")
FREE_ENERGY = formula(
    "rbm_free_energy",
    -sp.Sum(sp.IndexedBase("a")[i] * sp.IndexedBase("v")[i], (i, 1, n))
    - sp.Sum(
        sp.log(1 + sp.exp(sp.IndexedBase("b")[j]
                          + sp.Sum(sp.IndexedBase("v")[i] * sp.IndexedBase("W")[i, j],
                                   (i, 1, n)))),
        (j, 1, m),
    ),
    args=(n, m),
    lhs="F(v)",
)  # fmt: skip
sig = sp.Function(r"\sigma")
v_i, W_ij, b_j = sp.IndexedBase("v"), sp.IndexedBase("W"), sp.IndexedBase("b")
P_H = formula(
    "rbm_p_h",
    sig(b_j[j] + sp.Sum(v_i[i] * W_ij[i, j], (i, 1, n))),
    args=(n, j),
    lhs=r"p(h_j = 1 \mid v)",
)


def count_linear(module: torch.nn.Module) -> int:
    """How many nn.Linear layers a module holds."""
    return sum(isinstance(m, torch.nn.Linear) for m in module.modules())


def sheet_features(x: torch.Tensor) -> int:
    """How many linearly independent features the sheet's points mix: the rank of the
    centered data matrix, since a random mix to more dimensions keeps them. The data is
    float32, so singular values below 1e-5 of the largest count as rounding noise."""
    return int(torch.linalg.matrix_rank((x - x.mean(dim=0)).double(), rtol=1e-5))


# ---------------------------------------------------------------------------------------
# Shared helpers for the page: shape tables and diagram steps read off real forward passes.


def shape_table(steps: list[diagrams.Step], input_shape: tuple[int, ...]) -> str:
    """A Markdown table of each layer's output shape and parameter count."""
    from docs_build import diagrams

    rows = ["| Layer | Output shape | Parameters |", "|---|---|---:|"]
    rows.append(f"| input | `{diagrams.shape_text(input_shape)}` | 0 |")
    for s in steps:
        rows.append(
            f"| {s.name}: {s.label} | `{diagrams.shape_text(s.shape)}` | {s.params:,} |"
        )
    return "\n".join(rows)


def ae_steps() -> tuple[list[diagrams.Step], tuple[int, ...]]:
    from architectures import autoencoder

    from docs_build import diagrams

    torch.manual_seed(0)
    model = autoencoder.Autoencoder()
    x = torch.zeros(32, model.dim)
    chain = torch.nn.Sequential(*model.encoder, *model.decoder)
    steps = diagrams.trace(chain, x)
    n_enc = len(model.encoder)
    named = [
        diagrams.Step(f"{'encoder' if k < n_enc else 'decoder'}.{k if k < n_enc else k - n_enc}",
                      s.label, s.shape, s.params)
        for k, s in enumerate(steps)
    ]  # fmt: skip
    return named, tuple(x.shape)


def vae_steps() -> tuple[list[diagrams.Step], tuple[int, ...]]:
    from architectures import vae

    from docs_build import diagrams

    torch.manual_seed(0)
    model = vae.VAE()
    x = torch.zeros(32, model.dim)
    enc = diagrams.trace(model.encoder, x)
    h = model.encoder(x)
    heads = [
        diagrams.Step(name, diagrams.describe(layer), tuple(layer(h).shape), layer.weight.numel()
                      + layer.bias.numel())
        for name, layer in (("to_mu", model.to_mu), ("to_logvar", model.to_logvar))
    ]  # fmt: skip
    with torch.no_grad():
        z = vae.reparameterize(model.to_mu(h), model.to_logvar(h))
    sample = diagrams.Step("z", "μ + σ·ε, ε ~ N(0, I)", tuple(z.shape), 0)
    dec = diagrams.trace(model.decoder, z)
    return [
        *[diagrams.Step(f"encoder.{s.name}", s.label, s.shape, s.params) for s in enc],
        *heads,
        sample,
        *[diagrams.Step(f"decoder.{s.name}", s.label, s.shape, s.params) for s in dec],
    ], tuple(x.shape)


# ---------------------------------------------------------------------------------------
# Undercomplete and denoising autoencoders

AE_CLAIMS = {
    "ae_mse_below": 0.01,
    "dae_ratio_above": 3.0,
    # Nearest neighbors in another band of v, against the sheet's own (u, v) coordinates:
    "pca_mix_above": 5.0,  # PCA folds the sheet: more than 5 times as many
    "ae_mix_below": 2.0,  # the autoencoder's code keeps the bands apart: under twice as many
}
V_BANDS = (-1 / 3, 1 / 3)  # the figure's marker bands of the sheet coordinate v


def band_index(v: torch.Tensor, edges=V_BANDS) -> torch.Tensor:
    """Which band of ``edges`` each value falls in: 0 below the first edge, and so on."""
    return sum((v >= e).long() for e in edges)


def neighbor_band_mix(points: torch.Tensor, v: torch.Tensor) -> float:
    """Share of points whose nearest other point lies in another band of v."""
    distances = torch.cdist(points.double(), points.double())
    distances.fill_diagonal_(math.inf)
    band = band_index(v)
    return (band[distances.argmin(dim=1)] != band).double().mean().item()


@cache
def ae_run() -> dict:
    """Train once (both autoencoders) and keep what the facts and figures need."""
    from architectures import autoencoder as ae

    results, model = ae.experiment()
    setup = defaults(ae.experiment)
    x_train, _ = ae.make_sheet(setup["n_train"], seed=0)
    x_test, uv_test = ae.make_sheet(setup["n_test"], seed=1)
    with torch.no_grad():
        code = model.encode(x_test.to(ae.device)).cpu()
        mean = x_train.mean(dim=0)
        _, _, vh = torch.linalg.svd(x_train - mean, full_matrices=False)
        pca_code = (x_test - mean) @ vh[: model.encoder[-1].out_features].T
    v = uv_test[:, 1]
    return {
        **results,
        "code": code,
        "pca_code": pca_code,
        "uv": uv_test,
        "params": sum(p.numel() for p in model.parameters()),
        "mix_pca": neighbor_band_mix(pca_code, v),
        "mix_ae": neighbor_band_mix(code, v),
        "mix_uv": neighbor_band_mix(uv_test, v),
    }


@facts("ae")
def ae_facts() -> dict[str, str]:
    from architectures import autoencoder as ae

    r = ae_run()
    steps, input_shape = ae_steps()
    return {
        "test_mse": f"{r['ae_test_mse']:.5f}",
        "pca_mse": f"{r['pca_test_mse']:.3f}",
        "pca_ratio": f"{r['pca_test_mse'] / r['ae_test_mse']:.0f}",
        "noisy_mse": f"{r['noisy_mse']:.3f}",
        "dae_mse": f"{r['dae_mse']:.3f}",
        "dae_ratio": f"{r['noisy_mse'] / r['dae_mse']:.1f}",
        "mse_below": f"{AE_CLAIMS['ae_mse_below']}",
        "dae_ratio_above": f"{AE_CLAIMS['dae_ratio_above']:.0f}",
        "seconds": f"{r['train_seconds']:.1f}",
        "params": f"{r['params']:,}",
        "shapes": shape_table(steps, input_shape),
        "dim": str(ae.Autoencoder().dim),
        "hidden": str(defaults(ae.Autoencoder)["hidden"]),
        "noise_std": str(defaults(ae.experiment)["noise_std"]),
        "n_test": f"{defaults(ae.experiment)['n_test']:,}",
        "batch": str(defaults(ae.train_autoencoder)["batch"]),
        "diagram_batch": str(input_shape[0]),
        "code_size": str(steps[len(ae.Autoencoder().encoder) - 1].shape[1]),
        "n_features": count_word(
            sheet_features(ae.make_sheet(2000, seed=0)[0])
        ).lower(),
        "encoder_linears": count_word(count_linear(ae.Autoencoder().encoder)).lower(),
        "decoder_linears": count_word(count_linear(ae.Autoencoder().decoder)).lower(),
        "mix_pca": f"{r['mix_pca']:.1%}",
        "mix_ae": f"{r['mix_ae']:.1%}",
        "mix_uv": f"{r['mix_uv']:.1%}",
        "pca_mix_above": f"{AE_CLAIMS['pca_mix_above']:.0f}",
        "ae_mix_below": f"{AE_CLAIMS['ae_mix_below']:.0f}",
    }


@figure(
    "architectures/autoencoder-diagram",
    alt="The autoencoder as a vertical chain of layers: {{ ae.encoder_linears }} linear "
    "layers with SiLU between them squeeze the input to a {{ ae.code_size }}-number code, and "
    "{{ ae.decoder_linears }} more expand "
    "it back to "
    "the input size; each box lists its output shape and parameter count.",
    caption="The undercomplete autoencoder, read off a forward pass of a batch of points.",
)
def ae_diagram():
    from docs_build import diagrams

    steps, input_shape = ae_steps()
    code_size = min(s.shape[1] for s in steps)
    title = f"Autoencoder: {input_shape[1]} → {code_size} → {steps[-1].shape[1]}"
    return diagrams.draw(steps, input_shape, title=title)


def _marked_scatter(
    ax, xy: torch.Tensor, color_by: torch.Tensor, band_by: torch.Tensor, bands
):
    """Scatter colored by one parameter (with a color bar) and marked by bands of another.
    Each marker has a thin edge in the text color, so that viridis' ends (dark purple,
    light yellow) stay visible on either palette's background."""
    markers = ["o", "s", "^"]
    edges = torch.tensor([-math.inf, *bands, math.inf])
    sc = None
    for k, marker in enumerate(markers):
        keep = (band_by >= edges[k]) & (band_by < edges[k + 1])
        sc = ax.scatter(
            xy[keep, 0],
            xy[keep, 1],
            c=color_by[keep],
            cmap="viridis",
            vmin=float(color_by.min()),
            vmax=float(color_by.max()),
            marker=marker,
            s=12,
            linewidths=0.3,
            edgecolors=plt.rcParams["text.color"],
        )
    return sc, markers  # fmt: skip


@figure(
    "architectures/autoencoder-latent",
    # What this alt text states is asserted by tests/architectures/test_autoencoder.py::
    # test_latent_figure_band_mixing_is_measured_and_as_stated
    alt="Two scatter plots of the held-out points. Left, their first {{ ae.code_size }} "
    "principal components; right, the autoencoder's {{ ae.code_size }}-number code. Color "
    "follows the sheet coordinate u (color bar) and the marker shape follows bands of v "
    "(circles v < -1/3, squares in between, triangles v ≥ 1/3). In the PCA panel the bands "
    "overlap: for {{ ae.mix_pca }} of the points the nearest other point has another marker. "
    "In the autoencoder's panel the bands stay apart: {{ ae.mix_ae }}, against "
    "{{ ae.mix_uv }} in the sheet's own coordinates (u, v).",
    caption="Held-out points in PCA's {{ ae.code_size }}-D projection (left) and in the "
    "autoencoder's {{ ae.code_size }}-number code (right). Axes are each method's own units. "
    "A point's nearest neighbor has another marker for {{ ae.mix_pca }} of points on the left "
    "and {{ ae.mix_ae }} on the right.",
)
def ae_latent():
    from matplotlib.lines import Line2D

    r = ae_run()
    fig, axes = plt.subplots(1, 2, figsize=(9.5, 4.2), constrained_layout=True)
    u, v = r["uv"][:, 0], r["uv"][:, 1]
    k = r["code"].shape[1]
    for ax, code, title in ((axes[0], r["pca_code"], f"PCA, {k} components"),
                            (axes[1], r["code"], f"Autoencoder, {k}-number code")):  # fmt: skip
        sc, markers = _marked_scatter(ax, code, u, v, V_BANDS)
        ax.set_title(title, fontsize=11)
        ax.set_xlabel("code 1")
        ax.set_ylabel("code 2")
    fig.colorbar(sc, ax=axes, label="sheet coordinate u")
    labels = ["v < -1/3", "-1/3 ≤ v < 1/3", "v ≥ 1/3"]
    handles = [Line2D([], [], marker=m, linestyle="", color=plt.rcParams["text.color"], label=lab)
               for m, lab in zip(markers, labels, strict=True)]  # fmt: skip
    axes[0].legend(handles=handles, loc="best", fontsize=9)
    return fig


@figure(
    "architectures/autoencoder-errors",
    # What this alt text states is asserted by tests/architectures/test_autoencoder.py::
    # test_stated_errors_are_this_model_and_pca_and_meet_the_claims
    alt="Bar chart of mean squared error on held-out points, log scale: PCA with "
    "{{ ae.code_size }} components ({{ ae.pca_mse }}), the autoencoder with a "
    "{{ ae.code_size }}-number code ({{ ae.test_mse }}), the noisy input ({{ ae.noisy_mse }}) "
    "and the denoising autoencoder's output ({{ ae.dae_mse }}). The autoencoder's bar is "
    "about {{ ae.pca_ratio }} times lower than PCA's, and the denoised output's bar "
    "{{ ae.dae_ratio }} times lower than the noisy input's.",
    caption="Held-out mean squared error (log scale). Left pair: reconstruction at code size "
    "{{ ae.code_size }}. Right pair: distance to the clean points before and after denoising.",
)
def ae_errors():
    r = ae_run()
    k = r["code"].shape[1]
    names = [
        f"PCA\n({k} components)",
        f"autoencoder\n(code size {k})",
        "noisy input",
        "denoising AE\n output",
    ]
    values = [r["pca_test_mse"], r["ae_test_mse"], r["noisy_mse"], r["dae_mse"]]
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    bars = ax.bar(names, values, color=[colors[0], colors[1], colors[0], colors[1]],
                  hatch=["//", "", "//", ""], edgecolor=plt.rcParams["text.color"])  # fmt: skip
    ax.bar_label(bars, labels=[f"{v:.2g}" for v in values], fontsize=9)
    ax.set_yscale("log")
    ax.set_ylabel("mean squared error (held out)")
    ax.set_ylim(min(values) / 3, max(values) * 4)
    return fig


# ---------------------------------------------------------------------------------------
# Variational autoencoder

VAE_CLAIMS = {
    "improvement_above": 3.0,
    "gap_below": 6.0,
    "kl_above": 1.0,
    "code_mean_within": 0.1,  # |mean of the codes| per coordinate, against the prior's 0
    "code_var_from": 0.8,  # eigenvalues of the codes' covariance, against the prior's 1
    "code_var_to": 1.25,
    "neighbor_px_ratio_below": 0.25,  # nearest neighbors' blobs, against random pairs'
    "sample_corr_above": 0.9,  # each decoded sample against the closest clean blob image
}


def log_marginal_grid(
    model, x: torch.Tensor, half_width: float = 6.0, points: int = 241
):
    """log p(x) = log of the integral of p(x|z) p(z) over a 2-D code, as a sum over a square
    grid of codes (the trapezoid rule; the posterior is far wider than the grid's step)."""
    from torch.nn import functional as F

    line = torch.linspace(-half_width, half_width, points, dtype=torch.float64)
    z = torch.stack(torch.meshgrid(line, line, indexing="ij"), dim=-1).reshape(-1, 2)
    log_cell = 2 * math.log(float(line[1] - line[0]))
    with torch.no_grad():
        logits = model.decoder(z.float()).double().cpu()
        log_prior = -0.5 * (z**2).sum(dim=1) - math.log(2 * math.pi)
        out = []
        for chunk in x.double().split(100):
            # log Bernoulli(x | sigmoid(logits)), summed over pixels: x·l - softplus(l)
            log_lik = chunk @ logits.T - F.softplus(logits).sum(dim=1)
            out.append(torch.logsumexp(log_lik + log_prior, dim=1) + log_cell)
    return torch.cat(out)


def neighbor_distances(codes: torch.Tensor, centers: torch.Tensor) -> dict[str, float]:
    """Mean distance (pixels) between the blob centers of each image and of its nearest
    neighbor in code space, and between the centers of all pairs of images."""
    distances = torch.cdist(codes.double(), codes.double())
    distances.fill_diagonal_(math.inf)
    apart = torch.cdist(centers.double(), centers.double())
    nearest = apart.gather(1, distances.argmin(dim=1, keepdim=True))
    n = len(centers)
    return {
        "neighbor_px": nearest.mean().item(),
        "random_px": apart.sum().item() / (n * (n - 1)),
    }


# The clean blob images a decoded sample is matched against: one centered at each point of
# a square grid of this step (pixels) over the square where the training blobs' centers lie
# (snippets/architectures/vae.py, make_blobs: from MARGIN to size - 1 - MARGIN pixels). The
# page, its figure and tests/architectures/test_vae.py all use this one grid.
TEMPLATE_STEP = 0.1
TEMPLATE_MARGIN = 2


def blob_template_centers(size: int, step: float = TEMPLATE_STEP) -> torch.Tensor:
    """(x, y) centers on a square grid of ``step`` pixels over the training centers' square."""
    lo, hi = TEMPLATE_MARGIN, size - 1 - TEMPLATE_MARGIN
    line = torch.arange(lo, hi + 1e-9, step, dtype=torch.float64)
    return torch.cartesian_prod(line, line)


def blob_likeness(images: torch.Tensor, blob_probabilities) -> torch.Tensor:
    """For each image, its largest correlation with a clean blob image, over the centers of
    ``blob_template_centers``."""
    size = math.isqrt(images.shape[1])
    centers = blob_template_centers(size).float()
    templates = blob_probabilities(centers, size).double()

    def standardise(t: torch.Tensor) -> torch.Tensor:
        t = t - t.mean(dim=1, keepdim=True)
        return t / t.norm(dim=1, keepdim=True)

    return (standardise(images.double()) @ standardise(templates).T).max(dim=1).values


@cache
def vae_run() -> dict:
    """Train once and keep what the facts and figures need."""
    from architectures import vae

    results, model = vae.vae_experiment()
    x_test, centers = vae.make_blobs(defaults(vae.vae_experiment)["n_test"], seed=1)
    with torch.no_grad():
        mu_test, logvar_test = model.encode(x_test.to(vae.device))
        kl = vae.kl_to_standard_normal(mu_test, logvar_test).sum(dim=1).mean().item()
        # Given the center, the pixels are independent coin flips: their entropy, summed.
        p = vae.blob_probabilities(centers).double().clamp(1e-12, 1 - 1e-12)
        floor = (-(p * p.log() + (1 - p) * (1 - p).log())).sum(dim=1).mean().item()
    mu_cpu = mu_test.cpu().double()
    var_mean = logvar_test.cpu().double().exp().mean(dim=0)
    samples = vae.sample(model, 40).cpu()
    return {
        **results,
        "floor": floor,
        "kl": kl,
        "log_px": log_marginal_grid(model, x_test).mean().item(),
        "mu": mu_cpu.float(),
        "code_mean": mu_cpu.mean(dim=0).tolist(),
        # The aggregate posterior q(z), the mixture of the N(mu, diag sigma^2) over the
        # held-out images: its covariance is that of the means plus the mean variance.
        "code_var_mean": var_mean.tolist(),
        "code_cov_eig": torch.linalg.eigvalsh(
            torch.cov(mu_cpu.T, correction=0) + torch.diag(var_mean)
        ).tolist(),
        **neighbor_distances(mu_cpu, centers),
        "centers": centers,
        "samples": samples,
        "sample_corr": blob_likeness(samples, vae.blob_probabilities),
        "params": sum(p.numel() for p in model.parameters()),
        "size": defaults(vae.make_blobs)["size"],
    }


@facts("vae")
def vae_facts() -> dict[str, str]:
    from architectures import vae

    r = vae_run()
    steps, input_shape = vae_steps()
    return {
        "neg_elbo": f"{r['test_neg_elbo']:.1f}",
        "neg_elbo_untrained": f"{r['test_neg_elbo_untrained']:.1f}",
        "improvement": f"{r['test_neg_elbo_untrained'] / r['test_neg_elbo']:.1f}",
        "improvement_above": f"{VAE_CLAIMS['improvement_above']:.0f}",
        "floor": f"{r['floor']:.1f}",
        "kl": f"{r['kl']:.1f}",
        "neg_log_px": f"{-r['log_px']:.1f}",
        "elbo_gap": f"{r['test_neg_elbo'] + r['log_px']:.2f}",
        "draws": str(defaults(vae.held_out_elbo)["draws"]),
        "code_mean": ", ".join(f"{m:.2f}" for m in r["code_mean"]),
        "code_mean_within": f"{VAE_CLAIMS['code_mean_within']}",
        "code_eig": " and ".join(f"{e:.2f}" for e in r["code_cov_eig"]),
        "code_var_mean": ", ".join(f"{v:.3f}" for v in r["code_var_mean"]),
        "code_var_from": f"{VAE_CLAIMS['code_var_from']}",
        "code_var_to": f"{VAE_CLAIMS['code_var_to']}",
        "neighbor_px": f"{r['neighbor_px']:.2f}",
        "n_samples": str(len(r["samples"])),
        "sample_corr_min": f"{math.floor(r['sample_corr'].min().item() * 100) / 100:.2f}",
        "sample_corr_above": f"{VAE_CLAIMS['sample_corr_above']}",
        "template_step": f"{TEMPLATE_STEP}",
        "template_from": str(TEMPLATE_MARGIN),
        "template_to": str(r["size"] - 1 - TEMPLATE_MARGIN),
        "random_px": f"{r['random_px']:.1f}",
        "seconds": f"{r['train_seconds']:.1f}",
        "steps": str(defaults(vae.train_vae)["steps"]),
        "n_test": f"{defaults(vae.vae_experiment)['n_test']:,}",
        "size": str(r["size"]),
        "diagram_batch": str(input_shape[0]),
        "params": f"{r['params']:,}",
        "shapes": shape_table(steps, input_shape),
        "elbo_tex": ELBO_TEX,
        "gap": f"{r['test_neg_elbo'] - r['floor']:.1f}",
        "gap_below": f"{VAE_CLAIMS['gap_below']:.0f}",
        "kl_above": f"{VAE_CLAIMS['kl_above']:.0f}",
        "dim": str(defaults(vae.VAE)["dim"]),
        "hidden": str(defaults(vae.VAE)["hidden"]),
        "latent": str(defaults(vae.VAE)["latent"]),
        "decoder_linears": count_word(count_linear(vae.VAE().decoder)).lower(),
    }


@figure(
    "architectures/vae-diagram",
    alt="The VAE as a vertical chain: a flattened image goes through a linear layer to hidden "
    "features, two linear heads give a {{ vae.latent }}-number mean and log-variance, a "
    "sampled {{ vae.latent }}-number code z is decoded by {{ vae.decoder_linears }} linear "
    "layers back to one "
    "logit per pixel.",
    caption="The variational autoencoder, read off a forward pass of a batch of images. "
    "The sampling step has no parameters: the noise ε is an input.",
)
def vae_diagram():
    from docs_build import diagrams

    steps, input_shape = vae_steps()
    title = f"VAE: {input_shape[1]} → (μ, log σ²) → z → {steps[-1].shape[1]}"
    return diagrams.draw(steps, input_shape, title=title)


@figure(
    "architectures/vae-samples",
    # What this alt text states is asserted by
    # tests/architectures/test_vae.py::test_decoded_samples_each_look_like_one_blob
    alt="A grid of {{ vae.n_samples }} small grayscale images decoded from random draws of "
    "the prior: each shows a single round blob, at different places in the frame; each has a "
    "correlation of at least {{ vae.sample_corr_min }} with the closest noise-free blob image "
    "centered where training blobs lie (a grid of {{ vae.template_step }}-pixel steps from "
    "{{ vae.template_from }} to {{ vae.template_to }} pixels in each direction).",
    caption="Images decoded from z ~ N(0, I). Brighter means a higher pixel probability.",
)
def vae_samples():
    r = vae_run()
    fig, axes = plt.subplots(4, 10, figsize=(7.5, 3.2))
    for ax, image in zip(axes.flat, r["samples"], strict=True):
        ax.imshow(
            image.reshape(r["size"], r["size"]).numpy(), cmap="gray", vmin=0, vmax=1
        )
        ax.set_axis_off()
    return fig


@figure(
    "architectures/vae-latent",
    # What this alt text states is asserted by tests/architectures/test_vae.py::
    # test_codes_spread_like_the_prior_and_keep_neighbors_together
    alt="Scatter plot of the posterior means of the held-out blob images in the VAE's "
    "{{ vae.latent }}-D latent space. Color follows the blob's horizontal position (color "
    "bar); marker shape follows its vertical position in three bands. The points' mean is "
    "({{ vae.code_mean }}). Their covariance plus the encoder's average variance, the "
    "covariance of the aggregate posterior, has eigenvalues {{ vae.code_eig }}. Both are near "
    "the prior's mean 0 and eigenvalues 1 (each coordinate of the mean within "
    "{{ vae.code_mean_within }} of 0, each eigenvalue between {{ vae.code_var_from }} and "
    "{{ vae.code_var_to }}). Nearby points hold nearby blobs: a point's nearest "
    "neighbor has its blob {{ vae.neighbor_px }} pixels away on average, against "
    "{{ vae.random_px }} for two images at random.",
    caption="Where the encoder puts held-out images: the mean μ of q(z|x) for each.",
)
def vae_latent():
    from matplotlib.lines import Line2D

    r = vae_run()
    fig, ax = plt.subplots(figsize=(5.6, 4.4), constrained_layout=True)
    cx, cy = r["centers"][:, 0], r["centers"][:, 1]
    lo, hi = float(cy.min()), float(cy.max())
    third = (hi - lo) / 3
    sc, markers = _marked_scatter(ax, r["mu"], cx, cy, (lo + third, lo + 2 * third))
    fig.colorbar(sc, ax=ax, label="blob center, x (pixels)")
    labels = ["top third", "middle third", "bottom third"]
    handles = [Line2D([], [], marker=m, linestyle="", color=plt.rcParams["text.color"], label=lab)
               for m, lab in zip(markers, labels, strict=True)]  # fmt: skip
    ax.legend(handles=handles, title="blob center, y", fontsize=9, loc="best")
    ax.set_xlabel("$\\mu_1$")
    ax.set_ylabel("$\\mu_2$")
    ax.set_aspect("equal", adjustable="datalim")
    return fig


# ---------------------------------------------------------------------------------------
# Restricted Boltzmann machine


RBM_CLAIMS = {"recon_fall": 10, "ll_gain_above": 3.0, "ll_start_within": 0.1}


@cache
def rbm_run() -> dict:
    import time

    from architectures import rbm

    rbm.train_rbm(epochs=1)  # warm-up, as in the script
    start = time.perf_counter()
    model, history = rbm.train_rbm()
    seconds = time.perf_counter() - start
    n_patterns = len(rbm.bars_and_stripes())
    return {
        **history,
        "seconds": seconds,
        "params": sum(p.numel() for p in model.parameters()),
        "visible": model.W.shape[0],
        "hidden": model.W.shape[1],
        "patterns": n_patterns,
        "ll_uniform": -model.W.shape[0] * math.log(2),
        "ll_best": -math.log(n_patterns),
    }


@facts("rbm")
def rbm_facts() -> dict[str, str]:
    from architectures import rbm

    r = rbm_run()
    return {
        "recon_start": f"{r['recon_error'][0]:.3f}",
        "recon_end": f"{r['recon_error'][-1]:.3f}",
        "ll_start": f"{r['log_likelihood'][0]:.2f}",
        "ll_end": f"{r['log_likelihood'][-1]:.2f}",
        "ll_uniform": f"{r['ll_uniform']:.2f}",
        "ll_best": f"{r['ll_best']:.2f}",
        "epochs": str(r["epoch"][-1]),
        "seconds": f"{r['seconds']:.1f}",
        "params": str(r["params"]),
        "visible": str(r["visible"]),
        "hidden": str(r["hidden"]),
        "patterns": str(r["patterns"]),
        "states": f"{2 ** r['visible']:,}",
        "size": str(defaults(rbm.bars_and_stripes)["size"]),
        "recon_fall": str(RBM_CLAIMS["recon_fall"]),
        "ll_gain_above": f"{RBM_CLAIMS['ll_gain_above']:.0f}",
        "ll_start_within": f"{RBM_CLAIMS['ll_start_within']}",
    }


@figure(
    "architectures/rbm-training",
    # What this alt text states is asserted by
    # tests/architectures/test_rbm.py::test_stated_results_are_this_rbm_and_training_works
    alt="Two line plots against training epoch. Left: the CD-1 reconstruction error falls "
    "from {{ rbm.recon_start }} to {{ rbm.recon_end }}, more than {{ rbm.recon_fall }} times "
    "lower. Right: the exact average log-likelihood of the bars-and-stripes patterns rises "
    "from within {{ rbm.ll_start_within }} nats of the uniform model's level to more than "
    "halfway to the best possible value, both shown as labelled horizontal lines.",
    caption="Training an RBM with CD-1 on all bars-and-stripes patterns. "
    "The log-likelihood is exact: log Z sums over every visible state.",
)
def rbm_training():
    r = rbm_run()
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.5, 3.6), constrained_layout=True)
    left.plot(r["epoch"], r["recon_error"], marker="o")
    left.set_xlabel("epoch (one CD-1 update on all patterns)")
    left.set_ylabel("mean squared reconstruction error")
    left.set_ylim(0, None)
    right.plot(r["epoch"], r["log_likelihood"], marker="s", label="RBM")
    right.axhline(r["ll_uniform"], linestyle=":", color=plt.rcParams["text.color"])
    right.axhline(r["ll_best"], linestyle="--", color=plt.rcParams["text.color"])
    right.annotate(f"uniform over all 2^{r['visible']} images", (0, r["ll_uniform"]), xytext=(0, 4),
                   textcoords="offset points", fontsize=9)  # fmt: skip
    right.annotate(f"best possible: uniform over the {r['patterns']} patterns", (0, r["ll_best"]),
                   xytext=(0, -12), textcoords="offset points", fontsize=9)  # fmt: skip
    right.set_xlabel("epoch")
    right.set_ylabel("mean log p(v) (nats)")
    return fig
