"""Exercises at the end of each page: the answers that are numbers or formulas, as facts.

One namespace per page, ``ex_<page>``. Code answers are not here: they are sections of
``snippets/exercises/<page>.py``, included in the page and run by the tests.
"""

from __future__ import annotations

import sympy as sp

from docs_build.registry import facts


def _formula(name: str):
    """A formula another chapter registers, by name (a chapter imports no other chapter:
    tests/test_imports.py). The provider names that chapter's file in ``sources=``."""
    from docs_build.formulas import FORMULAS
    from docs_build.registry import load_chapters

    load_chapters()
    return FORMULAS[name]


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


@facts("ex_softmax")
def softmax() -> dict[str, str]:
    """softmax_T of tied logits in both temperature limits (sympy limits)."""
    t = sp.symbols("T", positive=True)
    row = (2, 2, 0)
    terms = [sp.exp(sp.Integer(z) / t) for z in row]
    probs = [term / sum(terms) for term in terms]
    cold = [sp.limit(p, t, 0, "+") for p in probs]
    hot = [sp.limit(p, t, sp.oo) for p in probs]
    return {
        "tie_row": ", ".join(str(z) for z in row),
        "tie_cold": ", ".join(sp.latex(p) for p in cold),
        "tie_hot": ", ".join(sp.latex(p) for p in hot),
    }


@facts("ex_smooth_modern")
def smooth_modern() -> dict[str, str]:
    """GELU's and SiLU's slopes at 0, SiLU's minimum and Swish-beta's gap to ReLU (sympy)."""
    x = sp.symbols("x", real=True)
    sigmoid = 1 / (1 + sp.exp(-x))
    silu = x * sigmoid
    gelu = x * (1 + sp.erf(x / sp.sqrt(2))) / 2
    (argmin,) = sp.solve(sp.Eq(sp.diff(silu, x), 0), x)
    minimum = (
        argmin + 1
    )  # where the slope is 0, sigma(x) = 1 + 1/x, so x sigma(x) = x + 1
    if abs(sp.N(silu.subs(x, argmin) - minimum, 50)) > 1e-40:
        raise ValueError(f"SiLU's minimum is not x + 1 at x = {argmin}")
    beta = 10
    return {
        "gelu_slope0": sp.latex(sp.diff(gelu, x).subs(x, 0)),
        "silu_slope0": sp.latex(sp.diff(silu, x).subs(x, 0)),
        "silu_argmin": sp.latex(argmin),
        "silu_argmin_value": f"{float(argmin):.4f}",
        "silu_min": sp.latex(minimum),
        "silu_min_value": f"{float(minimum):.4f}",
        "beta": str(beta),
        "gap": f"{-float(minimum) / beta:.4f}",
    }


@facts("ex_gated")
def gated() -> dict[str, str]:
    """GLU's partial derivatives (sympy) and two feed-forward blocks' sizes (torch)."""
    from torch import nn

    a, b = sp.symbols("a b", real=True)
    glu = a / (1 + sp.exp(-b))
    sigma = sp.Function("sigma")(b)

    def in_sigma(e: sp.Expr) -> str:
        """``e`` written with sigma(b) for the sigmoid."""
        return sp.latex(sp.simplify(e.subs(sp.exp(-b), (1 - sigma) / sigma)))

    d, h = 768, 3072
    width = 2 * h // 3

    def count(*shapes: tuple[int, int]) -> int:
        """Parameters of bias-free linear layers (on the meta device: nothing stored)."""
        return sum(
            nn.Linear(i, o, bias=False, device="meta").weight.numel() for i, o in shapes
        )

    plain = count((d, h), (h, d))
    swiglu = count((d, 2 * width), (width, d))
    if plain != swiglu:
        raise ValueError(f"the blocks differ: {plain} against {swiglu}")
    return {
        "d_a": rf"\frac{{\partial f}}{{\partial a}} = {in_sigma(sp.diff(glu, a))}",
        "d_b": rf"\frac{{\partial f}}{{\partial b}} = {in_sigma(sp.diff(glu, b))}",
        "d": str(d),
        "h": str(h),
        "width": str(width),
        "params": f"{plain:,}",
        "ratio": f"{h / d:g}",
    }


@facts("ex_numerical_stability")
def numerical_stability() -> dict[str, str]:
    """Where e^x overflows in float32 and float64, and where 1 + e^x rounds to 1 (torch's
    finfo, in exact arithmetic by sympy)."""
    import torch

    out = {}
    for name, dtype in (("f32", torch.float32), ("f64", torch.float64)):
        info = torch.finfo(dtype)
        # the largest finite number is (2 - 2^(1 - bits)) 2^emax: its log is ~ emax log 2
        emax = int(sp.floor(sp.log(sp.Float(info.max, 40), 2)))
        out[f"{name}_emax"] = str(emax + 1)
    # in float64 e^x is finite up to finite_to and infinite from overflow (2 decimals,
    # outward); the float32 edges are the stable chapter's
    edge = sp.log(sp.Float(torch.finfo(torch.float64).max, 40))
    out["f64_finite_to"] = f"{float(sp.floor(edge * 100)) / 100:.2f}"
    out["f64_overflow"] = f"{float(sp.ceiling(edge * 100)) / 100:.2f}"
    out["f64_log_edge"] = rf"{out['f64_emax']} \log 2"
    # 1 + e^x rounds to 1 when e^x is at most half the gap between 1 and the next number
    half_gap = sp.Rational(torch.finfo(torch.float32).eps) / 2
    bits = -sp.log(half_gap, 2)
    if not bits.is_Integer:
        raise ValueError(f"half of float32's eps is not a power of 2: {half_gap}")
    edge = sp.log(half_gap)
    out["gap_exp"] = str(1 - bits)  # the gap between 1 and the next float32 number
    out["half_exp"] = str(-bits)
    out["edge"] = rf"x \le -{bits} \log 2 \approx {float(edge):.2f}"
    # sigma(40) rounds to 1 in float64: 1 - sigma(40) is below a power of ten, which is
    # below half the spacing of float64 numbers just below 1 (eps / 2, so half is eps / 4)
    tail = sp.N(1 / (1 + sp.exp(SIGMOID_AT)), 30)
    out["tail_bound"] = f"10^{{{int(sp.ceiling(sp.log(tail, 10)))}}}"
    quarter_eps = sp.Rational(torch.finfo(torch.float64).eps) / 4
    spacing_bits = -sp.log(quarter_eps, 2)
    if not spacing_bits.is_Integer:
        raise ValueError(f"float64's eps / 4 is not a power of 2: {quarter_eps}")
    mantissa, exponent = f"{float(quarter_eps):.1e}".split("e")
    out["half_spacing"] = (
        rf"2^{{-{spacing_bits}}} \approx {mantissa} \times 10^{{{int(exponent)}}}"
    )
    return out


SIGMOID_AT = 40  # the numerical-stability exercise's log(1 - sigmoid(x)) input


@facts("ex_language", sources=("docs_build/chapters/language.py",))
def language() -> dict[str, str]:
    """The page's perplexity and unigram formulas, evaluated by sympy: a uniform model's
    perplexity, and the probability add-one smoothing gives tokens never seen."""
    perplexity, unigram = _formula("lm_perplexity"), _formula("lm_unigram")
    v_size = unigram.args[2]
    every_p = perplexity.expr.replace(lambda e: e.is_Indexed, lambda e: 1 / v_size)
    uniform = sp.simplify(every_p.doit())
    count = unigram.args[0]
    unseen = unigram.expr.subs(count, 0)
    k = sp.Symbol("k", positive=True, integer=True)
    return {
        "uniform_ppl": sp.latex(uniform),
        "unseen": sp.latex(unseen),
        "unseen_total": sp.latex(k * unseen),
    }


@facts("ex_shallow_vs_deep", sources=("docs_build/chapters/shallow_vs_deep.py",))
def shallow_vs_deep() -> dict[str, str]:
    """The equal-budget shallow width, solved by sympy from the page's parameter counts,
    for the page's deep network and for one twice as wide."""
    from architectures.shallow_vs_deep import DEEP_WIDTHS

    shallow_params, deep_params = _formula("shallow_params"), _formula("deep_params")
    d, H, o = shallow_params.args
    _, h, L, _ = deep_params.args
    budget = sp.Symbol("P", positive=True)
    (width,) = sp.solve(sp.Eq(shallow_params.expr, budget), H)
    hidden = DEEP_WIDTHS[1:-1]
    if len(set(hidden)) != 1:
        raise ValueError(f"expected equal hidden widths, got {DEEP_WIDTHS}")
    sizes = {d: DEEP_WIDTHS[0], o: DEEP_WIDTHS[-1], L: len(hidden)}
    out = {
        "width": sp.latex(width),
        "layers": str(len(hidden)),
        # both counts at this page's input, output and depth
        "deep_count": sp.latex(sp.expand(deep_params.expr.subs(sizes))),
        "shallow_count": sp.latex(sp.expand(shallow_params.expr.subs(sizes))),
    }
    for name, w in (("narrow", hidden[0]), ("wide", 2 * hidden[0])):
        params = deep_params.expr.subs({**sizes, h: w})
        matched = width.subs({**sizes, budget: params})
        if not matched.is_Integer:
            raise ValueError(f"no integer shallow width matches {params} parameters")
        out[f"{name}_h"] = str(w)
        out[f"{name}_params"] = f"{int(params):,}"
        out[f"{name}_shallow"] = str(matched)
    ratio = int(out["wide_params"].replace(",", "")) / int(
        out["narrow_params"].replace(",", "")
    )
    out["ratio"] = f"{ratio:.2f}"
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
