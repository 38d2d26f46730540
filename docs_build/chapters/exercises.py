"""Exercises at the end of each page: the answers that are numbers or formulas, as facts.

One namespace per page, ``ex_<page>``. Code answers are not here: they are sections of
``snippets/exercises/<page>.py``, included in the page and run by the tests.
"""

from __future__ import annotations

import sympy as sp

from docs_build.registry import facts


@facts("ex_sigmoid_tanh")
def sigmoid_tanh() -> dict[str, str]:
    """Where the sigmoid's slope falls to half its maximum, solved by sympy."""
    x = sp.symbols("x", real=True)
    sigmoid = 1 / (1 + sp.exp(-x))
    slope = sp.diff(sigmoid, x)
    (peak_at,) = sp.solve(sp.diff(slope, x), x)
    peak = sp.simplify(slope.subs(x, peak_at))
    half = peak / 2
    roots = sorted(
        (sp.simplify(r) for r in sp.solve(sp.Eq(slope, half), x)),
        key=float,
    )
    if len(roots) != 2 or sp.simplify(roots[0] + roots[1]) != 0:
        raise ValueError(f"expected two roots x and -x, got {roots}")
    s = sp.symbols("s", positive=True)
    levels = sorted(sp.solve(sp.Eq(s * (1 - s), half), s), key=float)
    return {
        "peak_at": sp.latex(peak_at),
        "peak": sp.latex(peak),
        "half": sp.latex(half),
        "sigma_at_peak": sp.latex(sigmoid.subs(x, peak_at)),
        "half_x": sp.latex(roots[1]),
        "half_x_value": f"{float(roots[1]):.3f}",
        "half_s_low": sp.latex(levels[0]),
        "half_s_high": sp.latex(levels[1]),
    }


@facts("ex_relu_family")
def relu_family() -> dict[str, str]:
    """ReLU's second moment under a normal input (sympy), and a dead unit's share (torch)."""
    import torch

    z = sp.symbols("z", real=True)
    sigma = sp.symbols("sigma", positive=True)
    density = sp.exp(-(z**2) / (2 * sigma**2)) / (sigma * sp.sqrt(2 * sp.pi))
    second_moment = sp.simplify(sp.integrate(z**2 * density, (z, 0, sp.oo)))
    bias = -3.0
    normal = torch.distributions.Normal(torch.tensor(0.0, dtype=torch.float64), 1.0)
    dead = normal.cdf(torch.tensor(-bias, dtype=torch.float64)).item()
    return {
        "second_moment": sp.latex(second_moment),
        "he_variance": sp.latex(sp.simplify(sigma**2 / second_moment) / sp.Symbol("n")),
        "bias": f"{bias:g}",
        "threshold": f"{-bias:g}",
        "dead_share": f"{100 * dead:.2f}",
    }


@facts("ex_cnn")
def cnn() -> dict[str, str]:
    """A conv layer's output shape and its parameters against a dense layer's (torch)."""
    import torch
    from torch import nn

    batch, c_in, c_out, size = 8, 3, 16, 32
    kernel, stride, padding = 5, 2, 1
    conv = nn.Conv2d(c_in, c_out, kernel_size=kernel, stride=stride, padding=padding)
    shape = conv(torch.zeros(batch, c_in, size, size)).shape
    same = nn.Conv2d(c_in, c_out, kernel_size=3, padding=1)
    n_in, n_out = c_in * size * size, c_out * size * size
    dense = nn.Linear(n_in, n_out, device="meta")  # counts parameters, stores nothing
    conv_params = sum(p.numel() for p in same.parameters())
    dense_params = sum(p.numel() for p in dense.parameters())
    return {
        # the layers as the questions show them, printed from the ones measured here
        "conv_call": (
            f"nn.Conv2d({c_in}, {c_out}, kernel_size={kernel}, stride={stride}, "
            f"padding={padding})"
        ),
        "same_call": f"nn.Conv2d({c_in}, {c_out}, kernel_size=3, padding=1)",
        "image": rf"{c_in} \times {size} \times {size}",
        "out_image": rf"{c_out} \times {size} \times {size}",
        "shape_in": f"({batch}, {c_in}, {size}, {size})",
        "shape_out": "(" + ", ".join(str(d) for d in shape) + ")",
        "conv_params": f"{conv_params:,}",
        "dense_params": f"{dense_params:,}",
        "dense_in": f"{n_in:,}",
        "dense_out": f"{n_out:,}",
        "ratio": f"{dense_params / conv_params:,.0f}",
    }


@facts("ex_rnn")
def rnn() -> dict[str, str]:
    """A stacked bidirectional GRU's shapes (torch) and a linear RNN's gradient (sympy)."""
    import torch
    from torch import nn

    steps, batch, n_in, hidden, layers = 7, 3, 5, 8, 2
    gru = nn.GRU(n_in, hidden, num_layers=layers, bidirectional=True)
    output, h_n = gru(torch.zeros(steps, batch, n_in))

    w, h0 = sp.symbols("w h_0")
    x = sp.IndexedBase("x")
    length = 50
    h = h0
    for t in range(1, length + 1):
        h = sp.expand(w * h + x[t])  # flat: a sum of length + 1 terms
    gradient = sp.diff(h, h0)
    weight = sp.Rational(9, 10)
    value = float(gradient.subs(w, weight))
    return {
        "shape_in": f"({steps}, {batch}, {n_in})",
        "hidden": str(hidden),
        "layers": str(layers),
        "output": "(" + ", ".join(str(d) for d in output.shape) + ")",
        "h_n": "(" + ", ".join(str(d) for d in h_n.shape) + ")",
        "length": str(length),
        "gradient": sp.latex(gradient),
        "weight": f"{float(weight):g}",
        "gradient_value": f"{value:.3g}",
    }


def _times_ten(value: float) -> str:
    """``value`` to two significant digits in LaTeX: 3.8e-06 as 3.8 \\times 10^{-6}."""
    mantissa, _, exponent = f"{value:.1e}".partition("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


@facts("ex_vanishing_gradients")
def vanishing_gradients() -> dict[str, str]:
    """Sigmoid layers until a millionth, and where tanh's slope drops to the sigmoid's best."""
    x = sp.symbols("x", real=True)
    sigmoid = 1 / (1 + sp.exp(-x))
    best = sp.simplify(sp.diff(sigmoid, x).subs(x, 0))
    digits = 6
    target = sp.Rational(1, 10**digits)
    layers = sp.ceiling(sp.log(target) / sp.log(best))
    slope = sp.diff(sp.tanh(x), x)
    crossings = sp.solve(sp.Eq(slope, best), x)
    edge = max((sp.simplify(c) for c in crossings), key=float)
    return {
        "best": sp.latex(best),
        "target": f"10^{{-{digits}}}",
        "layers": str(layers),
        "factor": _times_ten(float(best**layers)),
        "factor_before": _times_ten(float(best ** (layers - 1))),
        "tanh_at": sp.latex(sp.radsimp(sp.simplify(sp.tanh(edge).rewrite(sp.exp)))),
        "tanh_edge": sp.latex(edge),
        "tanh_edge_value": f"{float(edge):.3f}",
    }


@facts("ex_transformers")
def transformers() -> dict[str, str]:
    """An encoder layer's parameters (torch) and two encodings' dot product (sympy)."""
    from torch import nn

    width, heads, hidden = 64, 4, 256
    layer = nn.TransformerEncoderLayer(width, heads, dim_feedforward=hidden)
    p, k, omega = sp.symbols("p k omega_i", real=True)
    pair = sp.sin(omega * p) * sp.sin(omega * (p + k)) + sp.cos(omega * p) * sp.cos(
        omega * (p + k)
    )
    return {
        "width": str(width),
        "heads": str(heads),
        "hidden": str(hidden),
        "params": f"{sum(q.numel() for q in layer.parameters()):,}",
        "pair": sp.latex(pair),
        "pair_simplified": sp.latex(sp.trigsimp(pair)),
    }


@facts("ex_gan")
def gan() -> dict[str, str]:
    """The discriminator's loss at equilibrium (torch); the generator losses' slopes (sympy)."""
    import torch
    import torch.nn.functional as F

    half = torch.zeros(1, dtype=torch.float64)  # logit 0: D = 1/2
    loss = F.binary_cross_entropy_with_logits(
        half, torch.ones_like(half)
    ) + F.binary_cross_entropy_with_logits(half, torch.zeros_like(half))
    logit = sp.symbols("ell", real=True)
    d = 1 / (1 + sp.exp(-logit))
    saturating = sp.log(1 - d)
    non_saturating = -sp.log(d)
    slope = {
        name: sp.simplify(sp.diff(f, logit).rewrite(sp.exp))
        for name, f in (("saturating", saturating), ("non_saturating", non_saturating))
    }
    sigma = sp.Function("sigma")(logit)
    return {
        "loss": f"{loss.item():.4f}",
        "loss_exact": sp.latex(2 * sp.log(2)),
        # each slope printed with sigma(ell) for the sigmoid: the page's reading of it
        **{
            name: sp.latex(sp.simplify(s.subs(sp.exp(-logit), (1 - sigma) / sigma)))
            for name, s in slope.items()
        },
    }


@facts("ex_autoencoders")
def autoencoders() -> dict[str, str]:
    """One latent dimension's KL term (torch) and the sigma that minimizes it (sympy)."""
    import torch
    from torch.distributions import Normal, kl_divergence

    prior = Normal(torch.tensor(0.0, dtype=torch.float64), 1.0)
    cases = {"shifted": (2.0, 1.0)}
    out = {}
    for name, (mu, sigma) in cases.items():
        q = Normal(torch.tensor(mu, dtype=torch.float64), sigma)
        out[f"{name}_mu"] = f"{mu:g}"
        out[f"{name}_sigma"] = f"{sigma:g}"
        kl = kl_divergence(q, prior).item()
        # a whole number of nats is printed as one ("2"), any other to three decimals
        out[f"{name}_kl"] = f"{kl:.0f}" if kl == round(kl) else f"{kl:.3f}"
    s = sp.symbols("sigma", positive=True)
    kl = (s**2 - 1 - sp.log(s**2)) / 2  # one dimension with mu = 0
    (best,) = sp.solve(sp.diff(kl, s), s)
    out["kl_mu0"] = sp.latex(kl)
    out["best_sigma"] = sp.latex(best)
    out["kl_at_best"] = sp.latex(sp.simplify(kl.subs(s, best)))
    return out


@facts("ex_training")
def training() -> dict[str, str]:
    """A fresh batch norm layer in eval mode (torch); Adam's first step (sympy: the
    update written out again here, as chapters import no other chapter; a test checks it
    against the page's formula and torch.optim.Adam)."""
    import math

    import torch

    bn = torch.nn.BatchNorm1d(1, dtype=torch.float64).eval()
    with torch.no_grad():
        factor = bn(torch.ones(2, 1, dtype=torch.float64))[0, 0].item()
    g, eta, eps, b1, b2 = sp.symbols(r"g \eta \epsilon \beta_1 \beta_2", real=True)
    m1, v1 = (1 - b1) * g, (1 - b2) * g**2  # from m_0 = v_0 = 0
    step = sp.simplify(-eta * (m1 / (1 - b1)) / (sp.sqrt(v1 / (1 - b2)) + eps))
    return {
        "fresh_factor": f"{factor:.6f}",
        "fresh_eps": f"10^{{{round(math.log10(bn.eps))}}}",  # inside $...$
        "adam_first_step": sp.latex(step),
        "adam_first_step_srepr": sp.srepr(step),  # for the test, not on the page
    }
