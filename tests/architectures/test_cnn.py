"""CNN chapter: size and parameter formulas against real layers, convolution from scratch
against F.conv2d (values and gradients), and the page's numbers against this code."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sympy as sp
import torch
import torch.nn.functional as F
from architectures import cnn
from snippet_runs import run_snippet
from torch import nn

from docs_build import api, diagrams
from docs_build.common import default
from docs_build.registry import get_facts

ATOL = 1e-5  # float32; the page states this tolerance (checked below)
ATOL_PARAM_GRAD = 1e-4  # weight and bias gradients; the page states it
# The grids over which the size formulas are compared with PyTorch; the page states them.
SIZE_GRID = {"n": range(4, 13), "k": range(1, 6), "p": range(3), "s": range(1, 4)}
DILATIONS = (1, 2, 3)
POOL_GRID = {"n": range(2, 13), "k": range(1, 5), "s": range(1, 5)}


def feature_layers(model: nn.Module) -> list[nn.Module]:
    """SmallCNN's convolutional part: every child before Flatten."""
    children = list(model.children())
    flatten = next(i for i, c in enumerate(children) if isinstance(c, nn.Flatten))
    return children[:flatten]


def test_stated_tolerances_are_the_tests() -> None:
    facts = get_facts("cnn")
    assert (ATOL, ATOL_PARAM_GRAD) == (1e-5, 1e-4)  # no quiet loosening
    assert float(facts["atol"]) == ATOL
    assert float(facts["atol_param_grad"]) == ATOL_PARAM_GRAD


def every_combination(ranges: dict[str, range]) -> list[dict[str, int]]:
    """The full product of the ranges, built here independently of the chapter's grid()."""
    names = list(ranges)
    return [
        dict(zip(names, c, strict=True))
        for c in itertools.product(*(ranges[k] for k in names))
    ]


def stated_range(name: str, r: range) -> str:
    return f"${r.start} \\le {name} \\le {r.stop - 1}$"


def test_stated_grids_are_the_tested_grids() -> None:
    """The page names each range the tests walk, and counts what PyTorch accepts."""
    facts = get_facts("cnn")
    for key, ranges in (
        ("size_grid", SIZE_GRID),
        ("pool_grid", POOL_GRID),
    ):
        for name, r in ranges.items():
            assert stated_range(name, r) in facts[key], (key, name)
        assert facts[f"{key}_total"] == str(len(every_combination(ranges)))
    assert facts["dilations"] == "1, 2 and 3" and DILATIONS == (1, 2, 3)


def evaluate(f, **values: int) -> int:
    return int(f.expr.subs({sym: values[sym.name] for sym in f.args}))


@pytest.mark.formula
@pytest.mark.claim("cnn-out-size-formula")
def test_output_size_formula_matches_conv2d_shapes() -> None:
    """Every combination of the stated grid that F.conv2d accepts; the page's count."""
    out_size = api.formula("cnn_out_size")
    size = sp.lambdify(out_size.args, out_size.expr)
    checked = 0
    for c in every_combination(SIZE_GRID):
        n, k, p, s = c["n"], c["k"], c["p"], c["s"]
        try:
            out = F.conv2d(torch.zeros(1, 1, n, n), torch.zeros(1, 1, k, k), None, s, p)
        except RuntimeError:
            assert n + 2 * p < k, c  # refused only when the padded input is too small
            continue
        assert out.shape[-1] == out.shape[-2] == size(n, k, p, s), c
        checked += 1
    assert checked == int(get_facts("cnn")["size_grid_accepted"])
    assert checked > 200  # a real grid, not a handful of cases


@pytest.mark.formula
@pytest.mark.claim("cnn-dilated-out-size-formula", "cnn-dilated-reduces-to-undilated")
@pytest.mark.parametrize("dilation", DILATIONS)
def test_dilated_output_size_formula_matches_conv2d(dilation: int) -> None:
    f = api.formula("cnn_out_size_dilated")
    checked = 0
    for c in every_combination(SIZE_GRID):
        n, k, p, s = c["n"], c["k"], c["p"], c["s"]
        try:
            out = F.conv2d(
                torch.zeros(1, 1, n, n), torch.zeros(1, 1, k, k), None, s, p, dilation
            )
        except RuntimeError:
            assert n + 2 * p < dilation * (k - 1) + 1, c
            continue
        assert out.shape[-1] == evaluate(f, n=n, k=k, p=p, s=s, d=dilation), c
        checked += 1
    assert checked > 100
    stated = get_facts("cnn")["dilated_accepted"].replace(" and ", ", ").split(", ")
    assert stated[DILATIONS.index(dilation)] == str(checked)
    undilated = f.expr.subs(sp.Symbol("d", integer=True, positive=True), 1)
    assert sp.simplify(undilated - api.formula("cnn_out_size").expr) == 0


def test_size_formulas_print_in_pytorchs_order() -> None:
    """The printed formulas read as PyTorch documents nn.Conv2d's output size,
    floor((n + 2p - d(k - 1) - 1) / s) + 1, with the terms in that order."""
    assert api.formula("cnn_out_size_dilated").equation() == (
        r"o = \left\lfloor{\frac{n + 2 p - d \left(k - 1\right) - 1}{s}}\right\rfloor + 1"
    )
    assert api.formula("cnn_out_size").equation() == (
        r"o = \left\lfloor{\frac{n + 2 p - k}{s}}\right\rfloor + 1"
    )
    assert api.formula("cnn_pool_size").equation() == (
        r"o = \left\lfloor{\frac{n - k}{s}}\right\rfloor + 1"
    )


@pytest.mark.formula
@pytest.mark.claim("cnn-out-size-matches-nn-conv2d")
def test_dilated_formula_is_nn_conv2d_per_dimension() -> None:
    """Random nn.Conv2d layers, height and width set apart: each output size is the
    formula's, and the layer refuses an input exactly when the formula gives less than 1."""
    f = api.formula("cnn_out_size_dilated")
    size = sp.lambdify(f.args, f.expr)
    gen = np.random.default_rng(0)
    refused = 0
    layers = int(get_facts("cnn")["conv2d_layers"])  # the page states how many
    assert layers == 400
    for _ in range(layers):
        h, w = gen.integers(1, 20, size=2)
        k, p, s, d = (
            tuple(int(v) for v in gen.integers(lo, hi, size=2))
            for lo, hi in ((1, 6), (0, 3), (1, 4), (1, 4))
        )
        layer = nn.Conv2d(1, 1, k, stride=s, padding=p, dilation=d)
        expected = [int(size(n, *c)) for n, *c in zip((h, w), k, p, s, d, strict=True)]
        try:
            with torch.no_grad():
                out = layer(torch.zeros(1, 1, int(h), int(w)))
        except RuntimeError:
            assert min(expected) < 1, (h, w, k, p, s, d)
            refused += 1
            continue
        assert list(out.shape[-2:]) == expected, (h, w, k, p, s, d)
    assert 0 < refused < layers / 2  # both branches are exercised


@pytest.mark.formula
@pytest.mark.claim("cnn-pool-size-formula")
@pytest.mark.parametrize("pool", [F.max_pool2d, F.avg_pool2d])
def test_pool_size_formula_matches_pooling(pool) -> None:
    checked = 0
    for c in every_combination(POOL_GRID):
        n, k, s = c["n"], c["k"], c["s"]
        try:
            out = pool(torch.zeros(1, 1, n, n), kernel_size=k, stride=s)
        except RuntimeError:
            assert k > n, c  # refused only when the window is larger than the input
            continue
        assert out.shape[-1] == evaluate(api.formula("cnn_pool_size"), n=n, k=k, s=s), c
        checked += 1
    assert checked == int(get_facts("cnn")["pool_grid_accepted"])


@pytest.mark.formula
@pytest.mark.claim("cnn-param-formula")
@pytest.mark.parametrize(
    ("c_in", "c_out", "kh", "kw"), [(1, 8, 3, 3), (8, 16, 3, 3), (3, 5, 2, 4)]
)
def test_parameter_formula_matches_numel(
    c_in: int, c_out: int, kh: int, kw: int
) -> None:
    layer = nn.Conv2d(c_in, c_out, (kh, kw))
    expected = sum(t.numel() for t in layer.parameters())
    assert evaluate(
        api.formula("cnn_params"),
        **{"c_{in}": c_in, "c_{out}": c_out, "k_h": kh, "k_w": kw},
    ) == (expected)


def sum_formula(f, kh: int, kw: int):
    img, ker, i, j, k_h, k_w = f.args
    return sp.lambdify(
        (img, ker, i, j), f.expr.subs({k_h: kh, k_w: kw}).doit(), modules="numpy"
    )


@pytest.mark.formula
@pytest.mark.claim("cnn-correlation-is-conv2d")
def test_cross_correlation_formula_is_what_conv2d_computes() -> None:
    torch.manual_seed(0)
    image, kernel = (
        torch.randn(6, 7, dtype=torch.float64),
        torch.randn(3, 2, dtype=torch.float64),
    )
    by_formula = sum_formula(api.formula("cnn_cross_correlation"), 3, 2)
    expected = F.conv2d(image[None, None], kernel[None, None])[0, 0]
    got = torch.tensor(
        [
            [by_formula(image.numpy(), kernel.numpy(), a, b) for b in range(6)]
            for a in range(4)
        ]
    )
    torch.testing.assert_close(got, expected, atol=1e-12, rtol=0)
    torch.testing.assert_close(
        cnn.cross_correlate2d(image, kernel), expected, atol=1e-12, rtol=0
    )


@pytest.mark.formula
@pytest.mark.claim("cnn-convolution-is-flipped")
def test_convolution_formula_equals_flipped_kernel_correlation() -> None:
    torch.manual_seed(1)
    image, kernel = (
        torch.randn(6, 7, dtype=torch.float64),
        torch.randn(3, 2, dtype=torch.float64),
    )
    convolution = api.formula("cnn_convolution")
    by_formula = sum_formula(convolution, 3, 2)
    # The page's shift: conv2d's output (a, b) is the sum at (a + k_h - 1, b + k_w - 1).
    _, _, i, _, k_h, k_w = convolution.args
    sizes = {k_h: 3, k_w: 2}
    di, dj = 3 - 1, 2 - 1
    got = torch.tensor(
        [
            [
                by_formula(image.numpy(), kernel.numpy(), a + di, b + dj)
                for b in range(6)
            ]
            for a in range(4)
        ]
    )
    # The sum at an earlier position would read I at a negative index: the range is tight.
    earlier = convolution.expr.subs({i: di - 1, **sizes}).doit()
    assert any(a.indices[0] == -1 for a in earlier.atoms(sp.Indexed))
    stated = get_facts("cnn")["conv_shift"]
    assert stated.startswith(
        r"\operatorname{conv2d}(I, \operatorname{flip} K)_{i,j} = "
    )
    assert stated.endswith(r"(I * K)_{i + k_{h} - 1,\, j + k_{w} - 1}"), stated
    torch.testing.assert_close(cnn.convolve2d(image, kernel), got, atol=1e-12, rtol=0)
    flipped = F.conv2d(image[None, None], kernel.flip(0, 1)[None, None])[0, 0]
    torch.testing.assert_close(got, flipped, atol=1e-12, rtol=0)
    assert not torch.allclose(
        cnn.convolve2d(image, kernel), cnn.cross_correlate2d(image, kernel)
    )


@pytest.mark.claim("cnn-flip-matters-only-if-asymmetric")
def test_flip_matters_only_for_kernels_that_change_when_flipped() -> None:
    """The page: a kernel equal to its flip gives the same result both ways; a kernel
    that is not gives a different one (on a single bright pixel, which makes each operation
    print its kernel, flipped or not, so any kernel unequal to its flip shows)."""
    image = torch.arange(30.0).reshape(5, 6)
    kernel = torch.tensor([[1.0, 2.0, 1.0], [0.0, 5.0, 0.0], [1.0, 2.0, 1.0]])
    assert torch.equal(kernel, kernel.flip(0, 1))
    torch.testing.assert_close(
        cnn.convolve2d(image, kernel), cnn.cross_correlate2d(image, kernel)
    )
    g = torch.Generator().manual_seed(0)
    dot = torch.zeros(7, 7, dtype=torch.float64)
    dot[3, 3] = 1.0
    for shape in [(3, 3), (2, 4), (3, 1)]:
        kernel = torch.randn(*shape, generator=g, dtype=torch.float64)
        assert not torch.equal(kernel, kernel.flip(0, 1))
        assert not torch.allclose(
            cnn.convolve2d(image.double(), kernel),
            cnn.cross_correlate2d(image.double(), kernel),
        ), shape
        assert not torch.allclose(
            cnn.convolve2d(dot, kernel), cnn.cross_correlate2d(dot, kernel)
        ), shape


@pytest.mark.claim("cnn-im2col-matches-conv2d")
@pytest.mark.parametrize(
    ("stride", "padding", "kernel"),
    [(1, 0, (3, 3)), (2, 1, (3, 3)), (1, 2, (2, 4)), (3, 1, (5, 2))],
)
def test_im2col_conv_matches_conv2d_values_and_gradients(
    stride, padding, kernel
) -> None:
    torch.manual_seed(0)
    x = torch.randn(3, 2, 9, 10, requires_grad=True)
    weight = torch.randn(4, 2, *kernel, requires_grad=True)
    bias = torch.randn(4, requires_grad=True)
    ours = cnn.conv2d_im2col(x, weight, bias, stride=stride, padding=padding)
    ref = F.conv2d(x, weight, bias, stride=stride, padding=padding)
    torch.testing.assert_close(ours, ref, atol=ATOL, rtol=ATOL)
    upstream = torch.randn_like(ref)
    grads = torch.autograd.grad((ours * upstream).sum(), (x, weight, bias))
    ref_grads = torch.autograd.grad((ref * upstream).sum(), (x, weight, bias))
    for got, expected in zip(grads, ref_grads, strict=True):
        torch.testing.assert_close(got, expected, atol=ATOL, rtol=ATOL)


@pytest.mark.claim("cnn-scratch-layer-matches")
def test_scratch_layer_matches_nn_conv2d_with_the_same_weights() -> None:
    torch.manual_seed(0)
    layer = nn.Conv2d(3, 5, 3, stride=2, padding=1)
    scratch = cnn.ScratchConv2d(3, 5, 3, stride=2, padding=1)
    scratch.load_state_dict(layer.state_dict())  # same parameter names and shapes
    x = torch.randn(4, 3, 11, 11)
    torch.testing.assert_close(scratch(x), layer(x), atol=ATOL, rtol=ATOL)
    scratch(x).square().sum().backward()
    layer(x).square().sum().backward()
    torch.testing.assert_close(
        scratch.weight.grad, layer.weight.grad, atol=ATOL_PARAM_GRAD, rtol=ATOL
    )
    torch.testing.assert_close(
        scratch.bias.grad, layer.bias.grad, atol=ATOL_PARAM_GRAD, rtol=ATOL
    )
    assert float(get_facts("cnn")["scratch_error"]) <= ATOL


def test_scratch_layer_initialises_within_nn_conv2d_bounds() -> None:
    torch.manual_seed(0)
    scratch = cnn.ScratchConv2d(4, 6, 3)
    bound = 1 / np.sqrt(4 * 3 * 3)
    assert scratch.weight.abs().max() <= bound and scratch.bias.abs().max() <= bound
    assert scratch.weight.std() > bound / 3  # spread over the interval, not all zero


def test_bad_inputs_are_clear_errors() -> None:
    with pytest.raises(ValueError, match=r"\(N, C_in, H, W\), got \(2, 5, 5\)"):
        cnn.conv2d_im2col(torch.zeros(2, 5, 5), torch.zeros(1, 2, 3, 3))
    with pytest.raises(ValueError, match=r"C_in=3"):
        cnn.conv2d_im2col(torch.zeros(1, 3, 5, 5), torch.zeros(1, 2, 3, 3))
    with pytest.raises(ValueError, match=r"\(N, 1, 16, 16\), got \(2, 1, 8, 8\)"):
        cnn.SmallCNN()(torch.zeros(2, 1, 8, 8))
    with pytest.raises(ValueError, match="2-D image"):
        cnn.cross_correlate2d(torch.zeros(1, 5, 5), torch.zeros(3, 3))


def test_shapes_data_is_deterministic_and_covers_every_class() -> None:
    x, y = cnn.make_shapes(400, seed=5)
    x2, y2 = cnn.make_shapes(400, seed=5)
    assert x.shape == (400, 1, 16, 16) and y.shape == (400,)
    assert torch.equal(x, x2) and torch.equal(y, y2)
    counts = torch.bincount(y.cpu(), minlength=len(cnn.CLASSES))
    assert counts.min() >= 70  # about 100 per class


@pytest.mark.claim("cnn-shapes-keep-and-halve")
def test_page_facts_describe_this_model() -> None:
    """The shape table and parameter count are this model's; each 3x3 convolution with
    padding 1 keeps the height and width and each pooling layer halves them."""
    facts = get_facts("cnn")
    torch.manual_seed(0)
    model = cnn.SmallCNN()
    assert facts["parameters"] == f"{sum(p.numel() for p in model.parameters()):,}"
    steps = diagrams.trace(model, torch.zeros(1, 1, 16, 16))
    table_shapes = [
        row.split("|")[3].strip(" `") for row in facts["shape_table"].splitlines()[3:]
    ]
    assert table_shapes == [
        "(N, " + ", ".join(map(str, s.shape[1:])) + ")" for s in steps
    ]
    assert steps[-1].shape == (1, len(cnn.CLASSES))
    x, seen = torch.zeros(1, 1, 16, 16), {"conv": 0, "pool": 0}
    with torch.no_grad():
        for layer in feature_layers(model):
            before, x = x.shape[-2:], layer(x)
            if isinstance(layer, nn.Conv2d):
                assert (layer.kernel_size, layer.padding) == ((3, 3), (1, 1))
                assert x.shape[-2:] == before, layer
                seen["conv"] += 1
            elif isinstance(layer, nn.MaxPool2d):
                assert tuple(x.shape[-2:]) == (before[0] // 2, before[1] // 2), layer
                seen["pool"] += 1
    assert seen == {"conv": 2, "pool": 2}  # "two blocks"


@pytest.mark.claim("cnn-trained-accuracy")
def test_training_reaches_the_stated_accuracy() -> None:
    """The reader's run of cnn.py: same numbers as the page, above the claim."""
    result = run_snippet("architectures/cnn.py")["result"]
    stated = get_facts("cnn")
    assert stated["test_accuracy"] == f"{result['test_accuracy']:.1%}"
    bound = api.number("cnn", "claim_accuracy")
    assert bound == 0.95  # no quiet loosening
    assert result["test_accuracy"] >= bound
    wrong = round((1 - result["test_accuracy"]) * result["n_test"])  # "... mistakes"
    assert stated["errors"] == str(wrong)
    assert stated["n_test"] == f"{result['n_test']:,}"


RECEPTIVE_STACKS = {
    "SmallCNN": feature_layers(cnn.SmallCNN()),
    "3x3 convolutions, stride 1": [nn.Conv2d(1, 1, 3, padding=1) for _ in range(4)],
    "strided, dilated and pooled": [
        nn.Conv2d(1, 1, 5, stride=2, padding=2),
        nn.ReLU(),
        nn.Conv2d(1, 1, 3, dilation=2, padding=2),
        nn.MaxPool2d(3, stride=2),
        nn.Conv2d(1, 1, 3),
    ],
    "ResNet-like stem": [
        nn.Conv2d(1, 1, 7, stride=2, padding=3),
        nn.BatchNorm2d(1),
        nn.MaxPool2d(3, stride=2, padding=1),
        nn.Conv2d(1, 1, 3, padding=1),
        nn.AvgPool2d(2),
    ],
}


def formula_receptive_field(layers: list[nn.Module]) -> int:
    """The page's formula, evaluated with each windowed layer's span and stride."""
    f = api.formula("cnn_receptive_field")
    k, s, n_layers = f.args
    windows = [m for m in layers if hasattr(m, "kernel_size")]
    values = {}
    for index, m in enumerate(windows, start=1):
        size = m.kernel_size if isinstance(m.kernel_size, int) else m.kernel_size[0]
        dilation = getattr(m, "dilation", 1)
        dilation = dilation if isinstance(dilation, int) else dilation[0]
        stride = m.stride if isinstance(m.stride, int) else m.stride[0]
        values[k[index]] = dilation * (size - 1) + 1
        values[s[index]] = stride
    return int(f.expr.subs(n_layers, len(windows)).doit().subs(values))


@pytest.mark.formula
@pytest.mark.claim("cnn-receptive-field-three-ways")
@pytest.mark.parametrize("name", list(RECEPTIVE_STACKS))
def test_receptive_field_formula_count_and_autograd_agree(name: str) -> None:
    layers = RECEPTIVE_STACKS[name]
    counted = cnn.receptive_field(layers)
    assert formula_receptive_field(layers) == counted
    assert cnn.measured_receptive_field(layers, size=4 * counted) == counted


@pytest.mark.claim("cnn-receptive-field-smaller-than-image")
def test_receptive_field_of_the_page() -> None:
    """The window the page states, for the reader's trained model, is smaller than the
    image (the page says the linear layer is the first to take in all of it)."""
    stated = get_facts("cnn")
    model = run_snippet("architectures/cnn.py")["result"]["model"]
    features = feature_layers(model)
    assert stated["receptive_field"] == str(cnn.receptive_field(features))
    assert stated["receptive_field"] == str(formula_receptive_field(features))
    assert int(stated["receptive_field"]) < int(stated["image_size"]) == 16
    grid = nn.Sequential(*features).cpu()(torch.zeros(1, 1, 16, 16)).shape[-1]
    assert stated["final_grid"] == str(grid)


def closed_form_window(layers: list[nn.Module], size: int, unit: int) -> int:
    """Image rows that output row `unit` depends on, from the layers' settings alone: the
    window starts at unit * (product of strides) - (padding offsets) and spans the receptive
    field, clipped to the image."""
    jump, offset = 1, 0
    for m in layers:
        if hasattr(m, "kernel_size"):
            offset += (m.padding if isinstance(m.padding, int) else m.padding[0]) * jump
            jump *= m.stride if isinstance(m.stride, int) else m.stride[0]
    start = unit * jump - offset
    stop = start + cnn.receptive_field(layers)  # one past the last row
    return min(stop, size) - max(start, 0)


@pytest.mark.claim("cnn-border-units-see-less")
def test_border_units_see_less_of_the_image() -> None:
    """The page: a corner unit of the trained model sees only part of its window, the
    middle units all of it; measured with autograd, against the closed form."""
    stated = get_facts("cnn")
    model = run_snippet("architectures/cnn.py")["result"]["model"]
    features = feature_layers(model)
    size = int(stated["image_size"])
    assert size == default(cnn.make_shapes, "size")  # the images the model reads
    windows = cnn.windows_on_image(features, size)
    grid = windows.shape[0]
    for row in range(grid):
        for col in range(grid):
            expected = [
                closed_form_window(features, size, row),
                closed_form_window(features, size, col),
            ]
            assert windows[row, col].tolist() == expected, (row, col)
    corner, center = windows[0, 0].tolist(), windows[grid // 2, grid // 2].tolist()
    assert stated["window_corner"] == f"{corner[0]} \\times {corner[1]}"
    assert stated["window_center"] == f"{center[0]} \\times {center[1]}"
    field = int(stated["receptive_field"])
    assert corner[0] < field and center == [field, field]  # "only the middle units"
    full = sum(w.tolist() == [field, field] for w in windows.view(-1, 2))
    assert stated["window_full_units"] == str(full)


def test_formula_letters_have_one_meaning() -> None:
    """n is the input size in the size formulas; the sums index the kernel with u, v and
    the receptive field counts layers with l, t: no letter means two things."""
    size_letters = {str(x) for x in api.formula("cnn_out_size").expr.free_symbols}
    assert "n" in size_letters
    correlation = api.formula("cnn_cross_correlation")
    for f in (correlation, api.formula("cnn_convolution")):
        bound = {str(limit[0]) for limit in f.expr.limits}
        assert bound == {"u", "v"} and not bound & size_letters
        assert not bound & {str(x) for x in f.args}
    outer = api.formula("cnn_receptive_field").expr.atoms(sp.Sum).pop()
    inner = api.formula("cnn_receptive_field").expr.atoms(sp.Product).pop()
    letters = {str(outer.limits[0][0]), str(inner.limits[0][0])}
    assert letters == {"l", "t"}
    indices = {str(s) for s in correlation.args[2:4]}  # the output position
    assert indices == {"i", "j"} and not letters & indices


def test_receptive_field_refuses_what_it_cannot_measure() -> None:
    with pytest.raises(TypeError, match="got Linear"):
        cnn.receptive_field([nn.Conv2d(1, 1, 3), nn.Linear(4, 4)])
    with pytest.raises(ValueError, match="kernel_size must be the same"):
        cnn.receptive_field([nn.Conv2d(1, 1, (3, 5))])
    with pytest.raises(TypeError, match="cannot probe a Flatten"):
        cnn.measured_receptive_field([nn.Flatten()])


@pytest.mark.claim("cnn-padding-and-dilation-examples")
def test_same_padding_and_the_dilated_window() -> None:
    """A 3 x 3 kernel with padding 1 keeps the size; with dilation 2 its 9 weights cover a
    5 x 5 window (the input pixels one output's gradient reaches)."""
    for n in range(3, 12):
        layer = nn.Conv2d(1, 1, 3, padding=1)
        assert layer(torch.zeros(1, 1, n, n + 1)).shape[-2:] == (n, n + 1)
    layer = nn.Conv2d(1, 1, 3, dilation=2, bias=False)
    assert layer.weight.numel() == 9
    with torch.no_grad():
        layer.weight.fill_(1.0)
    x = torch.randn(1, 1, 9, 9, requires_grad=True)
    layer(x)[0, 0, 2, 2].backward()
    rows, cols = x.grad[0, 0].nonzero().unbind(1)
    assert (rows.max() - rows.min() + 1, cols.max() - cols.min() + 1) == (5, 5)
    assert len(rows) == 9  # still only 9 taps


@pytest.mark.claim("cnn-pool-halves")
@pytest.mark.parametrize("pool", [nn.MaxPool2d, nn.AvgPool2d])
def test_two_by_two_pool_halves_an_even_grid(pool) -> None:
    for h, w in itertools.product(range(2, 21, 2), range(2, 21, 2)):
        out = pool(2, stride=2)(torch.zeros(1, 1, h, w))
        assert out.shape[-2:] == (h // 2, w // 2)


@pytest.mark.claim("cnn-pool-stride-defaults-to-kernel")
@pytest.mark.parametrize("pool", [F.max_pool2d, F.avg_pool2d])
def test_pool_stride_defaults_to_the_window(pool) -> None:
    x = torch.randn(2, 3, 13, 11)
    for k in (1, 2, 3, 4):
        torch.testing.assert_close(pool(x, k), pool(x, k, stride=k), atol=0, rtol=0)
    assert nn.MaxPool2d(3).stride == nn.AvgPool2d(3).stride == 3
