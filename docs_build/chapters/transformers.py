"""Attention and transformers page: the attention formula, positional encoding and parameter
counts as sympy expressions (printed on the page, evaluated against PyTorch in
tests/architectures/test_transformers.py), facts and figures from
snippets/architectures/transformers.py.
"""

from __future__ import annotations

import functools

import sympy as sp

from docs_build.common import LazyModule, default, one_thread
from docs_build.formulas import formula
from docs_build.matrix_formulas import Applied, Concat, Divided, RowSoftmax, Sum
from docs_build.registry import facts, figure

# Imported on first use: the build imports this chapter without them.
nn = LazyModule("torch.nn")
torch = LazyModule("torch")

# ------------------------------------------------------------------------------- attention
L_q, S_k, d_k, d_v = sp.symbols("L S d_k d_v", integer=True, positive=True)
Q, K = sp.MatrixSymbol("Q", L_q, d_k), sp.MatrixSymbol("K", S_k, d_k)
V, M = sp.MatrixSymbol("V", S_k, d_v), sp.MatrixSymbol("M", L_q, S_k)

ATTENTION = formula(
    "attention",
    sp.MatMul(RowSoftmax(Divided(Q * K.T, sp.sqrt(d_k))), V, evaluate=False),
    lhs=r"\operatorname{Attention}(Q, K, V)",
)
ATTENTION_MASKED = formula(
    "attention_masked",
    sp.MatMul(RowSoftmax(Sum(Divided(Q * K.T, sp.sqrt(d_k)), M)), V, evaluate=False),
    lhs=r"\operatorname{Attention}(Q, K, V; M)",
)

# Multi-head attention: head j is the attention formula above applied to the inputs'
# projections by head j's own columns of W^Q, W^K, W^V (rows are tokens, so x W + b; PyTorch
# stores W^T). The page prints both lines; the tests evaluate them against
# nn.MultiheadAttention and the snippet's MultiHeadAttention.
E_model, n_heads = sp.symbols("E H", integer=True, positive=True)
Q_in, K_in, V_in = (
    sp.MatrixSymbol(name, rows, E_model)
    for name, rows in (("Q", L_q), ("K", S_k), ("V", S_k))
)
W_HEAD = {
    c: sp.MatrixSymbol(f"W^{c}_j", E_model, d_v if c == "V" else d_k) for c in "QKV"
}
B_HEAD = {c: sp.MatrixSymbol(f"b^{c}_j", 1, d_v if c == "V" else d_k) for c in "QKV"}
W_OUT, B_OUT = (
    sp.MatrixSymbol("W^O", n_heads * d_v, E_model),
    sp.MatrixSymbol("b^O", 1, E_model),
)
MHA_HEAD = formula(
    "mha_head",
    Applied(
        r"\operatorname{Attention}",
        ATTENTION.expr,
        (Q, K, V),
        [
            Sum(x * W_HEAD[c], B_HEAD[c])
            for x, c in ((Q_in, "Q"), (K_in, "K"), (V_in, "V"))
        ],
    ),
    lhs=r"\mathrm{head}_j",
)
MHA = formula(
    "mha",
    Sum(
        sp.MatMul(
            Concat(r"\mathrm{head}", MHA_HEAD.expr, n_heads), W_OUT, evaluate=False
        ),
        B_OUT,
    ),
    lhs=r"\operatorname{MultiHead}(Q, K, V)",
)

# The variance of a dot product of two vectors with d_k independent N(0, 1) entries.
DOT_VARIANCE = formula(
    "dot_variance", d_k, args=(d_k,), lhs=r"\operatorname{Var}(q \cdot k)"
)

# --------------------------------------------------------------------- positional encoding
pos = sp.Symbol(r"\mathrm{pos}", integer=True, nonnegative=True)
i_freq = sp.Symbol("i", integer=True, nonnegative=True)
d_model = E_model  # the model width: one letter, E, on the whole page
# pos / 10000^(2i/d), kept unevaluated so that it prints as the paper writes it
ANGLE = sp.Mul(
    pos,
    sp.Pow(sp.Pow(10000, 2 * i_freq / d_model, evaluate=False), -1, evaluate=False),
    evaluate=False,
)
PE_EVEN = formula(
    "pe_even",
    sp.sin(ANGLE),
    args=(pos, i_freq, d_model),
    lhs=r"PE_{\mathrm{pos},\, 2i}",
)
PE_ODD = formula(
    "pe_odd",
    sp.cos(ANGLE),
    args=(pos, i_freq, d_model),
    lhs=r"PE_{\mathrm{pos},\, 2i+1}",
)

# Shifting by k positions rotates each (sin, cos) pair by k * omega_i, whatever pos is.
shift, omega = sp.Symbol("k", integer=True), sp.Symbol(r"\omega_i", positive=True)
PE_ROTATION = formula(
    "pe_rotation",
    sp.Matrix(
        [
            [sp.cos(shift * omega), sp.sin(shift * omega)],
            [-sp.sin(shift * omega), sp.cos(shift * omega)],
        ]
    ),
    args=(shift, omega),
    lhs=r"R(k\omega_i)",
)
OMEGA = sp.Pow(10000, -2 * i_freq / d_model)  # the angular speed of pair i
# The shift as the page prints it: the pair at pos + k is R(k omega_i) times the pair at pos.
# The tests put the two PE formulas and PE_ROTATION in for these symbols and prove it.
PE_PAIR = {
    shifted: sp.Matrix(
        [
            [sp.Symbol(rf"PE_{{\mathrm{{pos}}{shifted},\, 2i}}")],
            [sp.Symbol(rf"PE_{{\mathrm{{pos}}{shifted},\, 2i+1}}")],
        ]
    )
    for shifted in ("", "+k")
}
R_SHIFT = sp.MatrixSymbol(r"R(k \omega_{i})", 2, 2)
PE_SHIFT = formula(
    "pe_shift",
    sp.MatMul(R_SHIFT, PE_PAIR[""], evaluate=False),
    lhs=sp.latex(PE_PAIR["+k"]),
)

# ------------------------------------------------------------------------ parameter counts
# Not V (the values) nor N (the batch size in every shape on the page and in the code).
E, d_ff, vocab, n_layers = sp.symbols(
    r"E d_{ff} n_{\mathrm{vocab}} n_{\mathrm{blocks}}", integer=True, positive=True
)
MHA_PARAMS = formula("mha_params", 4 * E**2 + 4 * E, args=(E,))
BLOCK_PARAMS = formula(
    "block_params",
    MHA_PARAMS.expr + (E * d_ff + d_ff) + (d_ff * E + E) + 2 * (2 * E),
    args=(E, d_ff),
)
MODEL_PARAMS = formula(
    "transformer_params",
    vocab * E + n_layers * BLOCK_PARAMS.expr + (E * vocab + vocab),
    args=(vocab, E, d_ff, n_layers),
)

SCALING_DIMS = (4, 16, 64, 256, 1024)
# The page's claim about the reversal task, asserted by tests/architectures/test_transformers.py.
CLAIM = {"token": 0.99, "sequence": 0.95}
MIRROR = {
    "min_fraction": 0.99,
    "sequences": 500,
}  # the attention-map claim, tested likewise
SCALING_TOLERANCE = 0.05  # measured variance vs d_k; the sampling error is about 1-1.3%
# The page's claims about the largest softmax weight, asserted by
# test_unscaled_softmax_saturates_and_scaled_does_not: unscaled, it grows with d_k and
# exceeds unscaled_min at the largest d_k; scaled, it varies by less than scaled_spread.
PEAK = {"unscaled_min": 0.9, "scaled_spread": 0.05}
# The multi-head attention tests' shapes (the page states them): batch, query length, key
# length, embed dim, heads; and their float32 tolerance, absolute and relative.
MATCH_SHAPE = (3, 6, 9, 16, 4)
MATCH_TOLERANCE = 1e-5
FORMULA_TOLERANCE = 1e-10  # the multi-head formula against PyTorch, in float64
DIAGRAM_BATCH = (
    2  # sequences in the forward pass that the shapes table and diagram read
)
PE_FIGURE = (64, 32)  # positions and dimensions of the positional-encoding figure


@functools.cache
def trained() -> dict:
    """Train the reversal model once per process (shared by the facts and the figures)."""
    from architectures import transformers as snippet

    with one_thread():
        return snippet.train_reverse()


def match_errors() -> dict[str, float]:
    """Largest |ours - torch| for attention, multi-head attention and an encoder block."""
    with torch.no_grad():
        return _match_errors()


def _match_errors() -> dict[str, float]:
    from architectures import transformers as A

    torch.manual_seed(0)
    n, length, source, e, heads = MATCH_SHAPE
    out = {}
    q, k, v = (torch.randn(n, heads, s, e // heads) for s in (length, source, source))
    ours, _ = A.scaled_dot_product_attention(q, k, v)
    out["sdpa"] = (
        (ours - nn.functional.scaled_dot_product_attention(q, k, v)).abs().max()
    )
    kc, vc = k[:, :, :length], v[:, :, :length]
    ours, _ = A.scaled_dot_product_attention(q, kc, vc, causal=True)
    theirs = nn.functional.scaled_dot_product_attention(q, kc, vc, is_causal=True)
    out["sdpa_causal"] = (ours - theirs).abs().max()

    mha = nn.MultiheadAttention(e, heads, batch_first=True)
    ours_mha = A.MultiHeadAttention(e, heads).load_from(mha)
    x, mem = torch.randn(n, length, e), torch.randn(n, source, e)
    padding = torch.zeros(n, source, dtype=torch.bool)
    padding[0, -2:] = True  # the last two keys of the first sequence are padding
    a, wa = ours_mha(x, mem, mem, key_padding_mask=padding)
    b, wb = mha(x, mem, mem, key_padding_mask=padding)
    out["mha"] = max((a - b).abs().max(), (wa - wb).abs().max())

    block = nn.TransformerEncoderLayer(e, heads, 4 * e, dropout=0.0, batch_first=True)
    ours_block = A.EncoderBlock(e, heads, 4 * e)
    state = {
        key.replace("out_proj.", "out_proj_"): val
        for key, val in block.state_dict().items()
    }
    ours_block.load_state_dict(state)
    block.eval()  # the reference's inference path must equal the plain computation
    out["block"] = (ours_block(x)[0] - block(x)).abs().max()
    return {key: float(val) for key, val in out.items()}


def model_steps():
    """Layers, shapes and parameter counts of the trained model, read off a forward pass."""
    from architectures import transformers as A

    from docs_build import diagrams

    model = trained()["model"]
    short = {
        "self_attn": "attention",
        "norm1": "norm1",
        "linear1": "ffn1",
        "linear2": "ffn2",
    }
    short["norm2"] = "norm2"
    names = {"embed": "embed", "position": "position"}
    for j, _ in enumerate(model.blocks):
        prefix = f"block{j + 1}." if len(model.blocks) > 1 else ""
        names |= {f"blocks.{j}.{c}": prefix + n for c, n in short.items()}
    names["head"] = "head"
    modules = dict(model.named_modules())
    steps, hooks = [], []

    def label(module: nn.Module, name: str) -> str:
        if isinstance(module, A.MultiHeadAttention):
            return f"MultiHead, {module.num_heads} heads"
        if isinstance(module, nn.Embedding):
            return f"Embedding {module.num_embeddings}→{module.embedding_dim}"
        if isinstance(module, nn.LayerNorm):
            return "LayerNorm(x + ·)"  # the residual sum is normalized
        if isinstance(module, A.PositionalEncoding):
            return "x + PE"
        relu = ", ReLU" if name.endswith("ffn1") else ""
        return diagrams.describe(module) + relu

    def record(name: str):
        def hook(module, args, output):
            out = output[0] if isinstance(output, tuple) else output
            params = sum(p.numel() for p in module.parameters())
            steps.append(
                diagrams.Step(name, label(module, name), tuple(out.shape), params)
            )

        return hook

    for path, name in names.items():
        hooks.append(modules[path].register_forward_hook(record(name)))
    length = default(A.train_reverse, "length")
    tokens = torch.zeros(DIAGRAM_BATCH, length, dtype=torch.long)
    try:
        with torch.no_grad():
            model(tokens)
    finally:
        for h in hooks:
            h.remove()
    return steps, tuple(tokens.shape)


@facts("attn")
def attn_facts() -> dict[str, str]:
    from architectures import transformers as A

    from docs_build import diagrams

    out: dict[str, str] = {}
    keys = default(A.softmax_peak, "keys")
    rows = [
        "| Key size $d_k$ | Variance $\\operatorname{Var}(q \\cdot k)$ "
        "| after dividing by $\\sqrt{d_k}$ "
        f"| largest of {keys} weights, unscaled | scaled |",
        "|---|---|---|---|---|",
    ]
    for d in SCALING_DIMS:
        raw, scaled = A.dot_product_variance(d), A.dot_product_variance(d, scaled=True)
        peak, peak_scaled = A.softmax_peak(d), A.softmax_peak(d, scaled=True)
        rows.append(
            f"| {d} | {raw:.1f} | {scaled:.2f} | {peak:.2f} | {peak_scaled:.2f} |"
        )
    out["scaling_table"] = "\n".join(rows)
    out["scaling_samples"] = f"{default(A.dot_product_variance, 'samples'):,}"
    out["peak_keys"] = str(keys)

    for key, err in match_errors().items():
        out[f"match_{key}"] = f"{err:.0e}" if err else "0 (bit for bit)"
    out["match_tolerance"] = f"{MATCH_TOLERANCE:.0e}"
    out["formula_tolerance"] = f"{FORMULA_TOLERANCE:.0e}"
    n, length, source, e, heads = MATCH_SHAPE
    out["match_shape"] = (
        f"{n} sequences, {length} queries, {source} keys, {e} features, {heads} heads"
    )

    run = trained()
    model = run["model"]
    out["token_accuracy"] = f"{run['token_accuracy']:.1%}"
    out["sequence_accuracy"] = f"{run['sequence_accuracy']:.1%}"
    out["seconds"] = f"{run['seconds']:.1f}"
    for name in ("length", "steps", "batch", "lr"):
        out[name] = f"{default(A.train_reverse, name):g}"
    out["held_out"] = f"{A.HELD_OUT:,}"
    for name in ("vocab", "d_model", "heads", "layers"):
        out[name] = str(default(A.TinyTransformer, name))
    out["d_ff"] = str(model.blocks[0].linear1.out_features)
    out["parameters"] = f"{sum(p.numel() for p in model.parameters()):,}"
    mha = model.blocks[0].self_attn
    out["mha_parameters"] = f"{sum(p.numel() for p in mha.parameters()):,}"
    out["chance_sequence"] = f"{0.1 ** int(out['length']):.0e}"
    out["chance_token"] = f"{1 / int(out['vocab']):.0%}"
    out["mirror_fraction"] = f"{MIRROR['min_fraction']:.0%}"
    out["mirror_sequences"] = str(MIRROR["sequences"])
    out["scaling_tolerance"] = f"{SCALING_TOLERANCE:.0%}"
    out["scaling_max_dim"] = str(SCALING_DIMS[-1])
    out["peak_unscaled_min"] = f"{PEAK['unscaled_min']:g}"
    out["peak_spread"] = f"{PEAK['scaled_spread']:g}"
    out["claim_token"] = f"{CLAIM['token']:.0%}"
    out["claim_sequence"] = f"{CLAIM['sequence']:.0%}"

    steps, input_shape = model_steps()
    table = ["| step | what it is | output shape | parameters |", "|---|---|---|---|"]
    table.append(f"| input | digit tokens | `{diagrams.shape_text(input_shape)}` | 0 |")
    for s in steps:
        table.append(
            f"| `{s.name}` | {s.label} | `{diagrams.shape_text(s.shape)}` | {s.params:,} |"
        )
    out["shapes_table"] = "\n".join(table)
    out["diagram_batch"] = str(DIAGRAM_BATCH)
    return out


# ------------------------------------------------------------------------------- figures
# The figure's alt text and caption (values between -1 and 1, pairs of columns slowing from
# left to right) are asserted by test_positional_encoding_figure_is_as_described.
@figure(
    "architectures/positional-encoding",
    alt="Heat map of the sinusoidal positional encoding: position 0 to "
    f"{PE_FIGURE[0] - 1} down the vertical axis, encoding dimension 0 to {PE_FIGURE[1] - 1} "
    "across. The leftmost columns swing between -1 and 1 many times as the position grows; "
    "each pair of columns further right swings more slowly.",
    caption=f"Sinusoidal positional encoding for {PE_FIGURE[0]} positions and {PE_FIGURE[1]} "
    "dimensions: each pair of columns is a sine and a cosine of one frequency, from fast "
    "(left) to slow (right).",
)
def draw_positional_encoding():
    import matplotlib.pyplot as plt
    from architectures import transformers as A

    pe = A.sinusoidal_encoding(*PE_FIGURE)
    fig, ax = plt.subplots(figsize=(6.4, 4.6))
    image = ax.imshow(pe.numpy(), cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto")
    ax.set_xlabel("encoding dimension")
    ax.set_ylabel("position")
    ax.grid(False)
    fig.colorbar(image, ax=ax, label="value")
    return fig


# What the alt text and caption state of the figure's sequence (averaged over the heads,
# each query's largest weight is on the mirrored key) is asserted by
# test_attention_figure_shows_the_anti_diagonal.
@figure(
    "architectures/attention-weights",
    alt="One heat map per attention head of the trained reversal model, for one held-out "
    "sequence of digits. Rows are query positions, columns key positions. Averaged over the "
    "heads, the largest weight of the query at position i is on input position L - 1 - i, "
    "the digit it must copy: the anti-diagonal.",
    caption="Attention weights of each head of the trained model on one held-out sequence. "
    "Averaged over the heads, output position i looks most at input position L − 1 − i: "
    "the model has learned to reverse.",
)
def draw_attention_weights():
    import matplotlib.pyplot as plt
    from architectures import transformers as A

    model = trained()["model"]
    tokens, _ = A.reverse_batch(
        1, default(A.train_reverse, "length"), torch.Generator().manual_seed(3)
    )
    with torch.no_grad():
        _, maps = model(tokens.to(next(model.parameters()).device))
    weights = maps[0][0].cpu()  # block 0, first sequence: (heads, L, L)
    digits = [str(t) for t in tokens[0].tolist()]
    fig, axes = plt.subplots(
        1, len(weights), figsize=(3.4 * len(weights), 3.4), squeeze=False
    )
    for h, ax in enumerate(axes[0]):
        image = ax.imshow(weights[h].numpy(), cmap="viridis", vmin=0, vmax=1)
        ax.set_title(f"head {h + 1}")
        ax.set_xticks(
            range(len(digits)), [f"{j}:{d}" for j, d in enumerate(digits)], fontsize=7
        )
        ax.set_yticks(range(len(digits)), range(len(digits)), fontsize=7)
        ax.set_xlabel("key position: input digit")
        ax.set_ylabel("query (output) position")
        ax.grid(False)
    fig.colorbar(image, ax=list(axes[0]), label="attention weight", shrink=0.8)
    return fig


@figure(
    "architectures/transformer-diagram",
    alt="Diagram of the tiny transformer: digit tokens go through an embedding, the sinusoidal "
    "positional encoding, then an encoder block (multi-head self-attention, LayerNorm with "
    "residual, two linear layers, LayerNorm with residual) and a linear head with one logit "
    "per digit at every position. Each box lists its output shape and parameter count.",
    caption="The tiny transformer, read off a forward pass on a batch of "
    f"{DIAGRAM_BATCH} sequences.",
)
def draw_transformer_diagram():
    from docs_build import diagrams

    steps, input_shape = model_steps()
    return diagrams.draw(steps, input_shape)


# The alt text and caption (each measured variance within SCALING_TOLERANCE of d_k, and of 1
# after scaling) are asserted by test_dot_product_variance_grows_like_d_k.
@figure(
    "architectures/attention-scaling",
    alt="Log-log plot of the measured variance of the dot product of two random vectors "
    f"against their dimension d_k from {SCALING_DIMS[0]} to {SCALING_DIMS[-1]}: every point "
    f"is within {SCALING_TOLERANCE:.0%} of the line variance = d_k. After dividing by the "
    f"square root of d_k the variance is within {SCALING_TOLERANCE:.0%} of 1.",
    caption=f"Measured: the variance of q·k is within {SCALING_TOLERANCE:.0%} of d_k; "
    f"divided by √d_k, it is within {SCALING_TOLERANCE:.0%} of 1.",
)
def draw_scaling():
    import matplotlib.pyplot as plt
    from architectures import transformers as A

    fig, ax = plt.subplots(figsize=(6.0, 3.8))
    dims = list(SCALING_DIMS)
    ax.plot(dims, [A.dot_product_variance(d) for d in dims], marker="o", label="q·k")
    ax.plot(
        dims,
        [A.dot_product_variance(d, scaled=True) for d in dims],
        marker="s",
        label="q·k / √d_k",
    )
    ax.plot(
        dims,
        dims,
        color=plt.rcParams["text.color"],
        lw=0.8,
        ls=":",
        marker="",
        label="d_k",
    )
    ax.set_xscale("log", base=2)
    ax.set_yscale("log", base=2)
    ax.set_xlabel("dimension d_k")
    ax.set_ylabel("variance (measured)")
    ax.legend()
    return fig
