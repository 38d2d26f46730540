"""Attention: from-scratch attention, multi-head attention and encoder block equal PyTorch's,
the page's formulas equal the code, the scaling argument holds when measured, and the tiny
transformer learns to reverse digits as the page claims."""

from __future__ import annotations

import inspect
import itertools
import math
import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
import sympy as sp
import torch
from architectures import transformers as A
from snippet_runs import run_snippet
from torch import nn

from docs_build import api
from docs_build.matrix_formulas import evaluate
from docs_build.registry import get_facts

ROOT = Path(__file__).resolve().parents[2]
# The tests' float32 tolerance (absolute and relative) and multi-head shapes (batch, query
# length, key length, embed dim, heads): the page states both, and
# test_stated_shapes_are_the_tests checks that it states these.
TOL = 1e-5
MATCH_SHAPE = (3, 6, 9, 16, 4)
FORMULA_TOL = 1e-10  # the multi-head formula against PyTorch, in float64


def param_symbols() -> tuple[sp.Symbol, ...]:
    """vocab, E, d_ff, n_blocks: the parameter-count formula's arguments."""
    return api.formula("transformer_params").args


def omega_i(i: sp.Expr, width: sp.Expr) -> sp.Expr:
    """The angular speed of pair i, 10000^(-2i/E), as the paper defines it."""
    return sp.Pow(10000, -2 * i / width)


def scaling_dims() -> list[int]:
    """The key sizes d_k in the rows of the page's scaling table."""
    rows = api.facts("attn")["scaling_table"].splitlines()[2:]
    return [int(row.split("|")[1]) for row in rows]


F = nn.functional


@pytest.fixture
def qkv():
    torch.manual_seed(0)
    return torch.randn(2, 3, 5, 8), torch.randn(2, 3, 7, 8), torch.randn(2, 3, 7, 6)


@pytest.mark.claim("transformers-attention-matches-sdpa")
@pytest.mark.parametrize("masking", ["none", "causal", "boolean"])
def test_attention_matches_torch(qkv, masking: str) -> None:
    """Ours against F.scaled_dot_product_attention within the page's float32 tolerance:
    no mask, a causal mask, a random boolean mask."""
    q, k, v = qkv
    if masking == "none":
        out, weights = A.scaled_dot_product_attention(q, k, v)
        expected = F.scaled_dot_product_attention(q, k, v)
        torch.testing.assert_close(weights.sum(-1), torch.ones(2, 3, 5))
    elif masking == "causal":
        k, v = k[:, :, :5], v[:, :, :5]
        out, weights = A.scaled_dot_product_attention(q, k, v, causal=True)
        expected = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        assert torch.all(weights.triu(diagonal=1) == 0)  # no look-ahead
    else:
        mask = torch.rand(5, 7, generator=torch.Generator().manual_seed(1)) > 0.4
        mask[:, 0] = True  # every query may see at least one key
        out, weights = A.scaled_dot_product_attention(q, k, v, mask=mask)
        expected = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        assert torch.all(weights[..., ~mask] == 0)
    torch.testing.assert_close(out, expected, atol=TOL, rtol=TOL)


def formula_values(q, k, v, mask=None) -> dict:
    values = {"Q": q, "K": k, "V": v, "d_k": q.shape[-1]}
    if mask is not None:
        zeros = torch.zeros(mask.shape, dtype=torch.float64)
        values["M"] = zeros.masked_fill(~mask, float("-inf"))
    return values


@pytest.mark.formula
def test_attention_formula_equals_torch(qkv) -> None:
    q, k, v = (t.double() for t in qkv)
    got = evaluate(api.formula("attention").expr, formula_values(q, k, v))
    expected = F.scaled_dot_product_attention(q, k, v)
    torch.testing.assert_close(got, expected, atol=1e-12, rtol=1e-12)


@pytest.mark.formula
def test_masked_attention_formula_equals_torch(qkv) -> None:
    q, k, v = (t.double() for t in qkv)
    k, v = k[:, :, :5], v[:, :, :5]
    mask = torch.ones(5, 5, dtype=torch.bool).tril()
    got = evaluate(api.formula("attention_masked").expr, formula_values(q, k, v, mask))
    expected = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    torch.testing.assert_close(got, expected, atol=1e-12, rtol=1e-12)


def mha_pair():
    torch.manual_seed(0)
    _, _, _, e, heads = MATCH_SHAPE
    theirs = nn.MultiheadAttention(e, heads, batch_first=True)
    return A.MultiHeadAttention(e, heads).load_from(theirs), theirs


@pytest.mark.claim("transformers-mha-matches-torch")
@pytest.mark.parametrize("masking", ["none", "key_padding", "causal", "both"])
@pytest.mark.parametrize("average", [True, False], ids=["averaged", "per-head"])
def test_multi_head_attention_matches_torch(masking: str, average: bool) -> None:
    """The page's shapes (MATCH_SHAPE): cross-attention (queries from one sequence,
    keys and values from another, given as two tensors) without a mask and with key
    padding; self-attention with a causal mask, and with both. Outputs, weights, and the
    gradients of the query, key and value inputs and of every weight."""
    n, length, source, e, _ = MATCH_SHAPE
    ours, theirs = mha_pair()
    x = torch.randn(n, length, e)
    self_attention = masking in ("causal", "both")
    key = x if self_attention else torch.randn(n, source, e)
    value = x if self_attention else torch.randn(n, source, e)
    s = key.shape[1]
    kwargs = {}
    if masking in ("key_padding", "both"):
        padding = torch.zeros(n, s, dtype=torch.bool)
        padding[0, -2:] = padding[2, -4:] = True  # True = padding, ignored
        kwargs["key_padding_mask"] = padding
    if self_attention:
        hide = torch.ones(length, length, dtype=torch.bool).triu(
            diagonal=1
        )  # True = hide
        kwargs["attn_mask"] = hide
    results = []
    for model in (ours, theirs):
        inputs = [t.clone().requires_grad_() for t in (x, key, value)]
        q, k, v = (inputs[0],) * 3 if self_attention else inputs
        out, weights = model(q, k, v, average_attn_weights=average, **kwargs)
        out.square().sum().backward()
        grads = [t.grad for t in (inputs if not self_attention else inputs[:1])]
        assert all(g is not None and g.abs().sum() > 0 for g in grads)
        results.append([out, weights, *grads, *(p.grad for p in model.parameters())])
    assert len(results[0]) == (3 if self_attention else 5) + 4  # 4 weight tensors
    for a, b in zip(*results, strict=True):
        torch.testing.assert_close(a, b, atol=TOL, rtol=TOL)


def mha_formula_values(mha: nn.MultiheadAttention, query, key, value) -> dict:
    """The multi-head formula's symbols, from an nn.MultiheadAttention's weights: head j's
    columns of each projection (PyTorch stores W^T, rows are output features)."""
    e, heads = mha.embed_dim, mha.num_heads
    d = e // heads
    weights, biases = mha.in_proj_weight.chunk(3), mha.in_proj_bias.chunk(3)
    values = {"Q": query, "K": key, "V": value, "d_k": d, "H": heads}
    for c, w, b in zip("QKV", weights, biases, strict=True):
        values[f"W^{c}_j"] = [w.T[:, j * d : (j + 1) * d] for j in range(heads)]
        values[f"b^{c}_j"] = [b[j * d : (j + 1) * d] for j in range(heads)]
    values["W^O"], values["b^O"] = mha.out_proj.weight.T, mha.out_proj.bias
    return values


@pytest.mark.formula
@pytest.mark.claim("transformers-mha-formula-matches-torch")
@pytest.mark.parametrize("kind", ["self", "cross"])
@pytest.mark.parametrize("e, heads", [(16, 4), (12, 3), (8, 1)])
@torch.no_grad()
def test_multi_head_formula_equals_torch_and_the_code(
    kind: str, e: int, heads: int
) -> None:
    """The two printed lines (MultiHead and head_j, the attention formula inside) evaluated
    with nn.MultiheadAttention's weights equal its output and our module's, in float64."""
    torch.manual_seed(0)
    mha = nn.MultiheadAttention(e, heads, batch_first=True).double()
    with torch.no_grad():  # non-zero biases, so that every b in the formula counts
        mha.in_proj_bias.normal_()
        mha.out_proj.bias.normal_()
    query = torch.randn(3, 5, e, dtype=torch.float64)
    key = query if kind == "self" else torch.randn(3, 7, e, dtype=torch.float64)
    value = query if kind == "self" else torch.randn(3, 7, e, dtype=torch.float64)
    got = evaluate(api.formula("mha").expr, mha_formula_values(mha, query, key, value))
    expected, _ = mha(query, key, value, need_weights=False)
    tol = FORMULA_TOL
    torch.testing.assert_close(got, expected, atol=tol, rtol=tol)
    ours = A.MultiHeadAttention(e, heads).double().load_from(mha)
    torch.testing.assert_close(got, ours(query, key, value)[0], atol=tol, rtol=tol)
    # head_j is the attention formula applied to head j's projections: the same numbers
    # as F.scaled_dot_product_attention on them.
    values = mha_formula_values(mha, query, key, value)
    d = e // heads
    for j in range(heads):
        one = {n: (v[j] if isinstance(v, list) else v) for n, v in values.items()}
        head = evaluate(api.formula("mha_head").expr, one)
        q, k, v = (
            x @ one[f"W^{c}_j"] + one[f"b^{c}_j"]
            for x, c in ((query, "Q"), (key, "K"), (value, "V"))
        )
        torch.testing.assert_close(
            head, F.scaled_dot_product_attention(q, k, v), atol=tol, rtol=tol
        )
        assert head.shape == (3, 5, d)


def test_multi_head_formula_is_printed_from_the_expression() -> None:
    """The page prints tex.mha and tex.mha_head (no hand-typed LaTeX), and head_j's printed
    Attention(...) wraps the three projections the evaluation above uses."""
    page = (ROOT / "docs" / "architectures" / "transformers.md").read_text()
    assert "{{ tex.mha.eq }}" in page and "{{ tex.mha_head.eq }}" in page
    assert "Concat" not in page and "mha_equation" not in page  # nothing typed by hand
    head = api.formula("mha_head").latex()
    assert head.startswith("\\operatorname{Attention}")
    for c in "QKV":
        assert f"{c} W^{{{c}}}_{{j}} + b^{{{c}}}_{{j}}" in head
    assert (
        api.formula("mha_head").expr.args[1] == api.formula("attention").expr
    )  # the same formula
    assert api.formula("mha").latex() == (
        "\\operatorname{Concat}\\left(\\mathrm{head}_{1}, \\dots, \\mathrm{head}_{H}\\right) "
        "W^{O} + b^{O}"
    )
    assert not hasattr(A.MultiHeadAttention, "equation")


def test_stated_shapes_are_the_tests() -> None:
    """The page states the shapes and tolerances these tests use."""
    n, length, source, e, heads = MATCH_SHAPE
    facts = get_facts("attn")
    assert facts["match_shape"] == (
        f"{n} sequences, {length} queries, {source} keys, {e} features, {heads} heads"
    )
    assert float(facts["match_tolerance"]) == TOL
    assert float(facts["formula_tolerance"]) == FORMULA_TOL
    assert length != source  # cross-attention: the two lengths differ


def block_pair() -> tuple[A.EncoderBlock, nn.TransformerEncoderLayer]:
    """Our block with the weights of PyTorch's post-norm encoder layer (no dropout)."""
    torch.manual_seed(0)
    _, _, _, e, heads = MATCH_SHAPE
    theirs = nn.TransformerEncoderLayer(e, heads, 4 * e, dropout=0.0, batch_first=True)
    ours = A.EncoderBlock(e, heads, 4 * e)
    state = {
        k.replace("out_proj.", "out_proj_"): v for k, v in theirs.state_dict().items()
    }
    ours.load_state_dict(state)
    return ours, theirs


@pytest.mark.claim("transformers-block-outputs-match")
@pytest.mark.parametrize("training", [False, True], ids=["eval", "train"])
def test_encoder_block_matches_transformer_encoder_layer(training: bool) -> None:
    """Outputs, without autograd (in evaluation mode PyTorch may then take its fused path)."""
    ours, theirs = block_pair()
    theirs.train(training)
    n, length, _, e, _ = MATCH_SHAPE
    x = torch.randn(n, length, e)
    with torch.no_grad():
        torch.testing.assert_close(ours(x)[0], theirs(x), atol=TOL, rtol=TOL)


@pytest.mark.claim("transformers-block-gradients-match")
@pytest.mark.parametrize("training", [False, True], ids=["eval", "train"])
def test_encoder_block_gradients_match_transformer_encoder_layer(
    training: bool,
) -> None:
    """The gradients of the input and of every weight, matched by parameter name."""
    ours, theirs = block_pair()
    theirs.train(training)
    n, length, _, e, _ = MATCH_SHAPE
    x = torch.randn(n, length, e)
    grads = []
    for model in (ours, theirs):
        xi = x.clone().requires_grad_()
        out = model(xi)
        (out[0] if isinstance(out, tuple) else out).square().sum().backward()
        named = {
            k.replace("out_proj.", "out_proj_"): p.grad
            for k, p in model.named_parameters()
        }
        grads.append({"input": xi.grad} | named)
    assert grads[0].keys() == grads[1].keys() and len(grads[0]) > 10
    for name in grads[0]:
        assert grads[0][name] is not None, name
        torch.testing.assert_close(grads[0][name], grads[1][name], atol=TOL, rtol=TOL)


def test_stated_matches_are_within_tolerance() -> None:
    facts = get_facts("attn")
    assert TOL == 1e-5  # no quiet loosening
    assert float(facts["match_tolerance"]) == TOL
    for key in ("sdpa", "sdpa_causal", "mha", "block"):
        value = facts[f"match_{key}"].split()[0]
        assert float(value) <= TOL, key


@pytest.mark.formula
@pytest.mark.claim("transformers-mha-params-any-heads")
@pytest.mark.parametrize(  # several widths; and one width with several head counts
    "e,heads", [(8, 1), (64, 8), (16, 1), (16, 2), (16, 4), (16, 16)]
)
def test_mha_parameter_formula(e: int, heads: int) -> None:
    (width,) = api.formula("mha_params").args
    expected = api.formula("mha_params").expr.subs(width, e)
    assert (
        sum(p.numel() for p in nn.MultiheadAttention(e, heads).parameters()) == expected
    )
    assert (
        sum(p.numel() for p in A.MultiHeadAttention(e, heads).parameters()) == expected
    )


@pytest.mark.formula
@pytest.mark.parametrize("e,d_ff", [(8, 32), (16, 24)])
def test_block_parameter_formula(e: int, d_ff: int) -> None:
    width, ff = api.formula("block_params").args
    expected = api.formula("block_params").expr.subs({width: e, ff: d_ff})
    layer = nn.TransformerEncoderLayer(e, 2, d_ff, batch_first=True)
    assert sum(p.numel() for p in layer.parameters()) == expected
    assert sum(p.numel() for p in A.EncoderBlock(e, 2, d_ff).parameters()) == expected


@pytest.mark.formula
@pytest.mark.claim("transformers-model-param-formula")
@pytest.mark.parametrize("vocab,d_model,layers", [(10, 32, 1), (7, 16, 3)])
def test_model_parameter_formula(vocab: int, d_model: int, layers: int) -> None:
    model = A.TinyTransformer(vocab=vocab, d_model=d_model, layers=layers)
    n_vocab, width, ff, blocks = param_symbols()
    subs = {n_vocab: vocab, width: d_model, ff: 4 * d_model, blocks: layers}
    expected = api.formula("transformer_params").expr.subs(subs)
    assert sum(p.numel() for p in model.parameters()) == expected


def test_stated_parameter_count_is_the_formulas() -> None:
    facts = get_facts("attn")
    n_vocab, width, ff, blocks = param_symbols()
    subs = {n_vocab: int(facts["vocab"]), width: int(facts["d_model"])}
    subs |= {ff: int(facts["d_ff"]), blocks: int(facts["layers"])}
    assert (
        facts["parameters"]
        == f"{int(api.formula('transformer_params').expr.subs(subs)):,}"
    )


@pytest.mark.formula
@pytest.mark.claim("transformers-variance-within-tolerance")
def test_dot_product_variance_grows_like_d_k() -> None:
    """Measured over 20,000 pairs, for each d_k of the page's table: the sampling error of
    a variance is about 1-1.3% here, so 5% is a bound the measurement meets with room, not
    a loosened assertion."""
    tol = api.number("attn", "scaling_tolerance")
    assert tol == 0.05
    dims = scaling_dims()
    assert dims == [4, 16, 64, 256, 1024]
    (key_size,) = api.formula("dot_variance").args
    for d_k in dims:
        expected = float(api.formula("dot_variance").expr.subs(key_size, d_k))
        assert abs(A.dot_product_variance(d_k) / expected - 1) < tol, d_k
        assert abs(A.dot_product_variance(d_k, scaled=True) - 1) < tol, d_k


@pytest.mark.claim("transformers-unscaled-saturates", "transformers-scaled-peak-steady")
def test_unscaled_softmax_saturates_and_scaled_does_not() -> None:
    """The page: unscaled, the largest weight grows with d_k, past the stated value at the
    largest d_k; scaled, it varies by less than the stated spread across the table."""
    facts = get_facts("attn")
    bound = {
        "unscaled_min": float(facts["peak_unscaled_min"]),
        "scaled_spread": float(facts["peak_spread"]),
    }
    assert bound == {"unscaled_min": 0.9, "scaled_spread": 0.05}  # no quiet loosening
    dims = scaling_dims()
    assert facts["scaling_max_dim"] == str(dims[-1])
    peaks = [A.softmax_peak(d) for d in dims]
    assert all(a < b for a, b in itertools.pairwise(peaks)), peaks
    assert peaks[-1] > bound["unscaled_min"]  # drifts toward a one-hot choice
    scaled = [A.softmax_peak(d, scaled=True) for d in dims]
    assert max(scaled) - min(scaled) < bound["scaled_spread"], scaled


@pytest.mark.claim("transformers-attention-permutation-equivariant")
def test_self_attention_is_permutation_equivariant() -> None:
    """The page: shuffle the positions of the input and the output of (unmasked)
    self-attention is shuffled the same way, unchanged otherwise; ours and PyTorch's."""
    ours, theirs = mha_pair()
    n, length, _, e, _ = MATCH_SHAPE
    torch.manual_seed(4)
    x = torch.randn(n, length, e)
    perm = torch.randperm(length)
    assert not torch.equal(perm, torch.arange(length))
    with torch.no_grad():
        for model in (ours, theirs):
            out, _ = model(x, x, x)
            shuffled, _ = model(x[:, perm], x[:, perm], x[:, perm])
            torch.testing.assert_close(shuffled, out[:, perm], atol=TOL, rtol=TOL)
            assert not torch.allclose(out[:, perm], out, atol=1e-3)  # the order shows


@pytest.mark.formula
@pytest.mark.claim("transformers-pe-equals-formula")
def test_positional_encoding_equals_its_formula() -> None:
    pe = A.sinusoidal_encoding(64, 32)
    args = api.formula("pe_even").args  # pos, i, E
    assert api.formula("pe_odd").args == args
    even = sp.lambdify(args, api.formula("pe_even").expr, modules="math")
    odd = sp.lambdify(args, api.formula("pe_odd").expr, modules="math")
    expected = torch.tensor(
        [
            [(odd if j % 2 else even)(p, j // 2, 32) for j in range(32)]
            for p in range(64)
        ]
    )
    torch.testing.assert_close(pe, expected, atol=TOL, rtol=TOL)


def test_positional_encoding_figure_is_as_described() -> None:
    """The figure's alt text and caption: values between -1 and 1; the leftmost columns
    swing between -1 and 1 many times over the positions shown; each pair of columns (a sine
    and a cosine of one frequency) swings more slowly than the pair to its left."""
    fig = api.figure("architectures/positional-encoding").draw()
    try:
        shown = np.asarray(fig.axes[0].images[0].get_array())
    finally:
        plt.close(fig)
    positions, dims = shown.shape
    pe = A.sinusoidal_encoding(positions, dims)
    np.testing.assert_array_equal(shown, pe.numpy())  # the figure shows the snippet's
    assert pe.abs().max() <= 1.0
    assert pe[:, :2].max() > 0.99 and pe[:, :2].min() < -0.99
    crossings = ((pe[1:] > 0) != (pe[:-1] > 0)).sum(dim=0)  # sign changes per column
    assert crossings[0] >= 10  # many swings
    i = sp.Symbol("i", nonnegative=True)
    omega = sp.lambdify(i, omega_i(i, dims), "math")
    speeds = [omega(i) for i in range(dims // 2)]
    assert all(a > b for a, b in itertools.pairwise(speeds))
    pairs = crossings.view(-1, 2).max(dim=1).values
    assert all(a >= b for a, b in itertools.pairwise(pairs.tolist()))
    assert pairs[0] > pairs[-1]
    torch.testing.assert_close(  # column 2i is the sine, 2i + 1 the cosine, of pair i
        pe[:, 0::2] ** 2 + pe[:, 1::2] ** 2, torch.ones(positions, dims // 2)
    )


@pytest.mark.formula
@pytest.mark.claim("transformers-pe-rotation-symbolic")
def test_shift_is_a_rotation_symbolically() -> None:
    """PE(pos + k) = R(k w_i) PE(pos) for each sine/cosine pair: the printed equation
    (tex.pe_shift) with the page's PE formulas and R (tex.pe_rotation) put in."""
    k, omega = api.formula("pe_rotation").args
    pos, i, width = api.formula("pe_even").args
    rotation = api.formula("pe_rotation").expr.subs(omega, omega_i(i, width))
    s, c = api.formula("pe_even").expr, api.formula("pe_odd").expr
    shifted = {pos: pos + k}
    r_shift, at = api.formula(
        "pe_shift"
    ).expr.args  # R(k omega_i) times the pair at pos
    moved = sp.Matrix(
        [
            [sp.Symbol(r"PE_{\mathrm{pos}+k,\, 2i}")],
            [sp.Symbol(r"PE_{\mathrm{pos}+k,\, 2i+1}")],
        ]
    )
    rhs = api.formula("pe_shift").expr.xreplace({r_shift: rotation})
    rhs = rhs.xreplace({at[0]: s, at[1]: c}).doit()
    lhs = moved.xreplace({moved[0]: s.subs(shifted), moved[1]: c.subs(shifted)})
    assert api.formula("pe_shift").lhs == sp.latex(
        moved
    )  # the printed left side is this pair
    assert sp.simplify(sp.expand_trig(lhs - rhs)) == sp.zeros(2, 1)
    assert (
        sp.simplify(s.args[0] / pos - omega_i(i, width)) == 0
    )  # omega_i as printed: sin(pos omega_i)


@pytest.mark.claim("transformers-pe-rotation-numeric")
def test_shift_is_a_rotation_numerically() -> None:
    """The code's encoding obeys the page's rotation matrix R(k omega_i) for several k."""
    pe = A.sinusoidal_encoding(80, 32).double()
    i = sp.Symbol("i", nonnegative=True)
    omega = sp.lambdify(i, omega_i(i, 32), "math")
    freq = np.array([omega(i) for i in range(16)])
    rotation = sp.lambdify(
        api.formula("pe_rotation").args, api.formula("pe_rotation").expr, "numpy"
    )
    for k in (1, 5, 16):
        r = torch.from_numpy(
            np.asarray(rotation(k, freq), dtype=np.float64)
        )  # (2, 2, pairs)
        s, c = pe[:-k, 0::2], pe[:-k, 1::2]
        torch.testing.assert_close(
            pe[k:, 0::2], r[0, 0] * s + r[0, 1] * c, atol=TOL, rtol=TOL
        )
        torch.testing.assert_close(
            pe[k:, 1::2], r[1, 0] * s + r[1, 1] * c, atol=TOL, rtol=TOL
        )


@pytest.mark.claim("transformers-reversal-accuracy")
def test_transformer_learns_to_reverse_as_stated() -> None:
    """The reader's run of transformers.py gives the page's accuracies, and its unrounded
    accuracies are at least the stated bounds."""
    result = run_snippet("architectures/transformers.py")["result"]
    facts = get_facts("attn")
    assert facts["token_accuracy"] == f"{result['token_accuracy']:.1%}"
    assert facts["sequence_accuracy"] == f"{result['sequence_accuracy']:.1%}"
    claim = {
        "token": api.number("attn", "claim_token"),
        "sequence": api.number("attn", "claim_sequence"),
    }
    assert claim == {"token": 0.99, "sequence": 0.95}  # no quiet loosening
    assert result["token_accuracy"] >= claim["token"]
    assert result["sequence_accuracy"] >= claim["sequence"]


@pytest.mark.claim("transformers-attends-to-mirror")
def test_trained_attention_looks_at_the_mirrored_position() -> None:
    """The figure's claim: query i puts its largest weight on key L - 1 - i (checked on
    the model the reader's run of transformers.py trains, the figure's model)."""
    model = run_snippet("architectures/transformers.py")["result"]["model"]
    length = int(get_facts("attn")["length"])
    mirror = {
        "min_fraction": api.number("attn", "mirror_fraction"),
        "sequences": int(get_facts("attn")["mirror_sequences"]),
    }
    assert mirror == {"min_fraction": 0.99, "sequences": 500}  # no quiet loosening
    tokens, _ = A.reverse_batch(
        mirror["sequences"], length, torch.Generator().manual_seed(5)
    )
    with torch.no_grad():
        _, maps = model(tokens)
    argmax = maps[0].mean(dim=1).argmax(dim=-1)  # (N, L), heads averaged
    mirrored = torch.arange(length - 1, -1, -1)
    assert (argmax == mirrored).float().mean() >= mirror["min_fraction"]
    # The bound holds for this run only (another seed gave 98%): the page says which run,
    # and the run is the one the code seeds.
    page = " ".join(
        (ROOT / "docs" / "architectures" / "transformers.md").read_text().split()
    )
    (sentence,) = re.findall(r"[^.]*\{\{ attn\.mirror_fraction \}\}[^.]*", page)
    assert "this training run (weights initialized with seed 0" in sentence, sentence
    source = inspect.getsource(A.train_reverse)
    assert "torch.manual_seed(0)" in source and "manual_seed(1)" in source


def test_attention_figure_shows_the_anti_diagonal() -> None:
    """The attention-weights figure's alt text and caption, on the figure's sequence
    (seed 3, as draw_attention_weights picks it): averaged over the heads, every query's
    largest weight is on the mirrored key."""
    model = run_snippet("architectures/transformers.py")["result"]["model"]
    length = int(get_facts("attn")["length"])
    tokens, _ = A.reverse_batch(1, length, torch.Generator().manual_seed(3))
    with torch.no_grad():
        _, maps = model(tokens)
    argmax = maps[0][0].mean(dim=0).argmax(dim=-1)  # block 0, the one sequence: (L,)
    assert argmax.tolist() == list(range(length - 1, -1, -1))


def test_bad_inputs_raise_clear_errors() -> None:
    with pytest.raises(ValueError, match="need q"):
        A.scaled_dot_product_attention(
            torch.zeros(2, 4), torch.zeros(3, 5), torch.zeros(3, 4)
        )
    with pytest.raises(TypeError, match="boolean"):
        q = torch.zeros(2, 4)
        A.scaled_dot_product_attention(q, q, q, mask=torch.ones(2, 2))
    with pytest.raises(ValueError, match="divisible"):
        A.MultiHeadAttention(10, 3)
    with pytest.raises(ValueError, match="must be even"):
        A.sinusoidal_encoding(4, 5)
    with pytest.raises(ValueError, match="long tokens"):
        A.TinyTransformer()(torch.zeros(2, 3))
    with pytest.raises(ValueError, match=r"L <= 64"):
        A.PositionalEncoding(8)(torch.zeros(1, 65, 8))
    assert math.isfinite(A.dot_product_variance(2))


@pytest.mark.claim("transformers-mask-conventions")
@torch.no_grad()
def test_pytorchs_two_mask_conventions() -> None:
    """The warning box: a boolean mask is True = attend in F.scaled_dot_product_attention
    and True = blocked in nn.MultiheadAttention (attn_mask and key_padding_mask); a mask
    given to the wrong one lets through exactly the positions it meant to block."""
    torch.manual_seed(0)
    q, k, v = torch.randn(2, 1, 5, 8), torch.randn(2, 1, 7, 8), torch.randn(2, 1, 7, 8)
    mask = torch.rand(5, 7, generator=torch.Generator().manual_seed(1)) > 0.5
    mask[:, 0] = mask[:, 1] = True
    mask[:, 2] = False  # every row keeps and blocks at least one key
    inf = torch.full(mask.shape, float("-inf"))
    allowed_where_true = torch.where(mask, 0.0, inf)
    blocked_where_true = torch.where(mask, inf, 0.0)
    sdpa = F.scaled_dot_product_attention
    torch.testing.assert_close(
        sdpa(q, k, v, attn_mask=mask), sdpa(q, k, v, attn_mask=allowed_where_true)
    )
    assert (
        sdpa(q, k, v, attn_mask=mask) - sdpa(q, k, v, attn_mask=~mask)
    ).abs().max() > 0.1
    mha = nn.MultiheadAttention(8, 2, batch_first=True)
    x, mem = torch.randn(2, 5, 8), torch.randn(2, 7, 8)
    _, weights = mha(x, mem, mem, attn_mask=mask)
    _, expected = mha(x, mem, mem, attn_mask=blocked_where_true)
    torch.testing.assert_close(weights, expected)
    assert torch.all(weights[:, mask] == 0) and torch.all(weights[:, ~mask] > 0)
    padding = torch.zeros(2, 7, dtype=torch.bool)
    padding[:, -3:] = True
    _, weights = mha(x, mem, mem, key_padding_mask=padding)
    assert torch.all(weights[..., -3:] == 0) and torch.all(weights[..., :-3] > 0)


def test_formula_letters_have_one_meaning() -> None:
    """The model width is E in the attention, positional-encoding and parameter formulas
    (not d in one of them); the parameter count names neither V (the values matrix) nor N
    (the batch size in the page's and the code's shapes) for the vocabulary and the number
    of blocks."""
    (w_q,) = [
        m
        for m in api.formula("mha_head").expr.atoms(sp.MatrixSymbol)
        if m.name == "W^Q_j"
    ]
    (width,) = api.formula("mha_params").args
    e_model = api.formula("mha").expr.atoms(sp.MatrixSymbol)
    e_model = {m.shape[1] for m in e_model if m.name == "W^O"}
    assert {w_q.shape[0], api.formula("pe_even").args[2], width} | e_model == {width}
    encoding = {str(x) for x in api.formula("pe_even").expr.free_symbols}
    assert encoding == {r"\mathrm{pos}", "i", "E"}, encoding
    count = {str(x) for x in api.formula("transformer_params").expr.free_symbols}
    assert "E" in count and not count & {"V", "N", "d"}, count
    values = {str(x) for x in api.formula("attention").expr.free_symbols}
    assert "V" in values and not values & count
    assert "(N, L, E)" in inspect.getsource(A.MultiHeadAttention)
