"""Gated linear units (GLU, ReGLU, GEGLU, SwiGLU) and the gated feed-forward comparison of
docs/activations/gated.md: formulas against PyTorch and autograd, our code, shape checks
and the page's claims about the reader's run of snippets/activations/gated.py."""

from __future__ import annotations

import itertools

import pytest
import sympy as sp
import torch
import torch.nn.functional as F
from activations import gated as gt
from snippet_runs import run_snippet
from torch import nn

from docs_build import api
from docs_build.api import BY_KEY
from docs_build.chapters.activations import gated as gated_ch
from docs_build.common import defaults
from docs_build.formulas import FORMULAS, lambdify_torch, x

# the two halves a, b of a gated unit's input: its formula's arguments
GLU_A, GLU_B = FORMULAS["gated_glu"].args


TOL = 1e-12  # float64: the formula and PyTorch differ by rounding only
GATED = [pytest.param(g, id=g.key) for g in api.GATED]


def _grid() -> tuple[torch.Tensor, torch.Tensor]:
    """The two halves: every pair of a few values, 0 and kinks included, and random ones."""
    values = torch.tensor(
        [-6.0, -2.5, -1.0, -1e-3, 0.0, 1e-3, 0.5, 1.0, 2.5, 6.0], dtype=torch.float64
    )
    a, b = torch.meshgrid(values, values, indexing="ij")
    g = torch.Generator().manual_seed(0)
    ra, rb = (4 * torch.randn(500, generator=g, dtype=torch.float64) for _ in range(2))
    return torch.cat([a.flatten(), ra]), torch.cat([b.flatten(), rb])


@pytest.mark.parametrize("unit", GATED)
def test_gated_formula_equals_torch(unit: api.Gated) -> None:
    a, b = _grid()
    # last dimension 2: a is the first half, b the second
    z = torch.stack([a, b], dim=-1)
    expected = unit.reference(z).squeeze(-1)
    got = api.formula(f"gated_{unit.key}").torch()(a, b)
    torch.testing.assert_close(got, expected, atol=TOL, rtol=TOL)
    assert FORMULAS[f"gated_{unit.key}"].expr == unit.expr


@pytest.mark.parametrize("unit", GATED)
def test_gated_partial_derivatives_equal_autograd(unit: api.Gated) -> None:
    a, b = _grid()
    z = torch.stack([a, b], dim=-1).requires_grad_(True)
    (grad,) = torch.autograd.grad(unit.reference(z).sum(), z)
    for i, symbol in enumerate((GLU_A, GLU_B)):
        d = lambdify_torch((GLU_A, GLU_B), sp.diff(unit.expr, symbol))
        got = d(a, b) * torch.ones_like(a)
        torch.testing.assert_close(got, grad[:, i], atol=TOL, rtol=TOL)


@pytest.mark.parametrize("unit", GATED)
def test_gated_gate_is_the_registry_function(unit: api.Gated) -> None:
    """The printed short form a * g(b), with g's registry formula, is the checked one."""
    g = unit.short.atoms(sp.Function).pop()
    written = unit.short.subs(g, BY_KEY[unit.gate].checked_expr.subs(x, GLU_B))
    assert sp.simplify(written - unit.expr) == 0


@pytest.mark.claim("gated-glu-gates-second-half")
def test_glu_gates_the_second_half() -> None:
    """F.glu computes a * sigma(b) with b the second half, not sigma(a) * b."""
    z = torch.tensor([[2.0, -1.0, 0.5, 3.0]], dtype=torch.float64)
    a, b = z[:, :2], z[:, 2:]
    torch.testing.assert_close(F.glu(z, dim=-1), a * torch.sigmoid(b), atol=0, rtol=0)
    assert not torch.allclose(F.glu(z, dim=-1), torch.sigmoid(a) * b)


@pytest.mark.parametrize("unit", GATED)
def test_our_gated_code_equals_torch_with_gradients(unit: api.Gated) -> None:
    g = torch.Generator().manual_seed(1)
    z = (3 * torch.randn(7, 3, 10, generator=g, dtype=torch.float64)).requires_grad_()
    ours, theirs = unit.scratch(z), unit.reference(z)
    assert ours.shape == theirs.shape == (7, 3, 5)
    torch.testing.assert_close(ours, theirs, atol=TOL, rtol=TOL)
    (g_ours,) = torch.autograd.grad(ours.sum(), z)
    (g_theirs,) = torch.autograd.grad(theirs.sum(), z)
    torch.testing.assert_close(g_ours, g_theirs, atol=TOL, rtol=TOL)


@pytest.mark.parametrize("unit", GATED)
def test_gated_code_rejects_bad_input(unit: api.Gated) -> None:
    with pytest.raises(ValueError, match=r"even.*\(2, 5\)"):
        unit.scratch(torch.zeros(2, 5))
    with pytest.raises(ValueError, match="even"):
        unit.scratch(torch.tensor(1.0))
    with pytest.raises(TypeError, match="floating"):
        unit.scratch(torch.zeros(2, 4, dtype=torch.int64))


def test_make_models_rejects_a_width_not_divisible_by_three() -> None:
    with pytest.raises(ValueError, match="divisible by 3"):
        gt.make_models(8, 50)


@pytest.mark.claim("gated-ffn-equal-parameters")
def test_gated_block_has_the_plain_blocks_parameter_count() -> None:
    """2 d h (two matrices of width h) equals 3 d (2h/3) (three of width 2h/3)."""
    results = run_snippet("activations/gated.py")["results"]
    d, h = defaults(gt.compare)["d"], defaults(gt.compare)["hidden"]
    for row in results.values():
        assert set(row["params"]) == {2 * d * h}
    # at other sizes too, from the models themselves
    for d, h in ((4, 12), (16, 96)):
        counts = {gt.n_params(m) for m in gt.make_models(d, h).values()}
        assert counts == {2 * d * h}


@pytest.mark.claim("gated-ffn-bias-counts-differ")
def test_with_biases_the_gated_block_has_h_over_3_more_parameters() -> None:
    """The page: with biases the plain block has 2dh + h + d parameters and the SwiGLU
    block 2dh + 4h/3 + d, h/3 more: the snippet's blocks with a bias added to each layer,
    at the page's sizes (its stated numbers) and at others."""
    f = api.facts("gated")
    page = (defaults(gt.compare)["d"], defaults(gt.compare)["hidden"])
    for d, h in (page, (4, 12), (16, 96)):
        counts = {}
        for model in gt.make_models(d, h).values():
            bias = sum(
                m.out_features for m in model.modules() if isinstance(m, nn.Linear)
            )
            kind = "swiglu" if isinstance(model, gt.SwiGLUFFN) else "plain"
            counts.setdefault(kind, set()).add(gt.n_params(model) + bias)
        assert counts == {
            "plain": {2 * d * h + h + d},
            "swiglu": {2 * d * h + 4 * h // 3 + d},
        }, (d, h)
        assert (2 * d * h + 4 * h // 3 + d) - (2 * d * h + h + d) == h // 3
        if (d, h) == page:
            assert f["plain_params_bias"] == str(2 * d * h + h + d)
            assert f["swiglu_params_bias"] == str(2 * d * h + 4 * h // 3 + d)


def _early_step() -> int:
    """The step of the page's first table (``{{ gated.early }}``)."""
    return int(api.facts("gated")["early"])


def _plain_blocks() -> list[str]:
    """The blocks of the reader's run other than SwiGLU: the page's two plain blocks."""
    blocks = [
        k for k in run_snippet("activations/gated.py")["results"] if k != "SwiGLU"
    ]
    assert len(blocks) == 2, blocks  # "both plain blocks"
    return blocks


def _losses_at(step: int) -> dict[str, dict[str, list[float]]]:
    """Each block's train and test loss per seed after ``step`` steps, from a reader's
    run of the snippet (not the build's)."""
    results = run_snippet("activations/gated.py")["results"]
    out = {}
    for name, row in results.items():
        i = row["step"].index(step)
        out[name] = {split: [c[i] for c in row[split]] for split in ("train", "test")}
        assert len(row["train"]) == defaults(gt.compare)["seeds"]
    return out


@pytest.mark.claim("gated-ffn-swiglu-behind-early")
def test_swiglu_block_is_behind_both_plain_blocks_early() -> None:
    """The page: after the early step, in every seed, the SwiGLU block's training and
    test losses are higher than both plain blocks'."""
    losses = _losses_at(_early_step())
    for split in ("train", "test"):
        for plain in _plain_blocks():
            pairs = zip(losses["SwiGLU"][split], losses[plain][split], strict=True)
            assert all(s > o for s, o in pairs), (split, plain, losses)


@pytest.mark.claim("gated-ffn-swiglu-ahead-final")
def test_swiglu_block_is_ahead_of_both_plain_blocks_at_the_end() -> None:
    """The page: after the last step, in every seed, the SwiGLU block's training and
    test losses are lower than both plain blocks'."""
    losses = _losses_at(defaults(gt.train)["steps"])
    for split in ("train", "test"):
        for plain in _plain_blocks():
            pairs = zip(losses["SwiGLU"][split], losses[plain][split], strict=True)
            assert all(s < o for s, o in pairs), (split, plain, losses)


@pytest.mark.claim("gated-ffn-plain-blocks-overfit")
def test_plain_blocks_test_loss_is_lowest_early_and_higher_at_the_end() -> None:
    """The page: each plain block's test loss, in every seed, is lowest at a recorded
    step no later than the early step; at the last step its test loss is higher than
    there and its training loss lower (it fits the training data better: overfitting,
    not a run that diverged)."""
    results = run_snippet("activations/gated.py")["results"]
    for plain in _plain_blocks():
        row = results[plain]
        for train, test in zip(row["train"], row["test"], strict=True):
            best = min(range(len(test)), key=test.__getitem__)
            assert row["step"][best] <= _early_step(), (plain, test)
            assert test[-1] > test[best], (plain, test)
            assert train[-1] < train[best], (plain, train)


@pytest.mark.claim("gated-ffn-swiglu-test-loss-falls")
def test_swiglu_test_loss_falls_at_every_recorded_step() -> None:
    """The page: the SwiGLU block's test loss is lower at each recorded step than at the
    one before, in every seed."""
    results = run_snippet("activations/gated.py")["results"]
    for curve in results["SwiGLU"]["test"]:
        assert all(b < a for a, b in itertools.pairwise(curve)), curve


def test_curves_are_recorded_at_the_steps_the_page_names() -> None:
    """Every ``every`` steps from 0, and at the last step; the early step is among them."""
    train = defaults(gt.train)
    results = run_snippet("activations/gated.py")["results"]
    for row in results.values():
        assert row["step"] == list(range(0, train["steps"] + 1, train["every"]))
        for split in ("train", "test"):
            assert all(len(c) == len(row["step"]) for c in row[split])
    assert _early_step() in results["SwiGLU"]["step"]


def test_each_block_is_built_from_the_same_seed() -> None:
    """make_models reseeds before each block: the ReLU and GELU blocks start from the same
    weights, and each block's weights do not depend on the blocks built before it."""
    d, h = 8, 48
    models = gt.make_models(d, h, seed=3)
    for a, b in zip(
        models["ReLU"].parameters(), models["GELU"].parameters(), strict=True
    ):
        torch.testing.assert_close(a, b, atol=0, rtol=0)
    torch.manual_seed(3)
    alone = gt.SwiGLUFFN(d, 2 * h // 3)
    for a, b in zip(alone.parameters(), models["SwiGLU"].parameters(), strict=True):
        torch.testing.assert_close(a, b, atol=0, rtol=0)


def test_the_curves_alt_text_states_the_order_the_runs_show() -> None:
    """The figure's alt text says where the SwiGLU block stands against both plain blocks
    early and at the end: the order every seed and split of a reader's run shows."""
    early, final = _early_step(), defaults(gt.train)["steps"]

    def order(step: int) -> str:
        losses = _losses_at(step)
        above = {
            s > o
            for split in ("train", "test")
            for plain in _plain_blocks()
            for s, o in zip(losses["SwiGLU"][split], losses[plain][split], strict=True)
        }
        return {frozenset({True}): "above", frozenset({False}): "below"}.get(
            frozenset(above), "mixed"
        )

    assert "{{ gated.curves_summary }}" in api.figure("activations/gated-curves").alt
    summary = api.facts("gated")["curves_summary"]
    if "mixed" in (order(early), order(final)):
        assert summary.startswith("The order of the blocks differs between seeds")
    else:
        first = (
            f"After {early} steps the SwiGLU block's losses are {order(early)} both "
            f"plain blocks' in every seed; after {final} steps they are {order(final)} "
            "them."
        )
        assert summary.startswith(first)
        # The two claims the page makes after the tables, stated again where they hold.
        results = run_snippet("activations/gated.py")["results"]
        plain = [results[name] for name in _plain_blocks()]
        overfit = all(
            row["step"][best] <= early
            and test[-1] > test[best]
            and train[-1] < train[best]
            for row in plain
            for train, test in zip(row["train"], row["test"], strict=True)
            for best in [min(range(len(test)), key=test.__getitem__)]
        )
        falls = all(
            all(b < a for a, b in itertools.pairwise(curve))
            for curve in results["SwiGLU"]["test"]
        )
        assert summary[len(first) :] == (
            f" Each plain block's test loss is lowest by step {early}; at the end its "
            "training loss is lower than there and its test loss higher. The SwiGLU "
            "block's test loss falls at every recorded step."
            if overfit and falls
            else ""
        )


def test_gated_order_reads_every_seed_and_split() -> None:
    """The alt text's summary says "above" or "below" only if every seed and split agree."""
    row = {"step": [0, 1], "train": [[1.0, 1.0]], "test": [[1.0, 1.0]]}
    lower = {"step": [0, 1], "train": [[2.0, 0.5]], "test": [[2.0, 0.5]]}
    runs = {"ReLU": row, "GELU": row, "SwiGLU": lower}
    assert gated_ch.gated_order(runs, 0) == "above"
    assert gated_ch.gated_order(runs, 1) == "below"
    mixed = {"step": [0, 1], "train": [[2.0, 0.5]], "test": [[0.5, 0.5]]}
    assert gated_ch.gated_order({**runs, "SwiGLU": mixed}, 0) == "mixed"


def test_heat_maps_bands_and_contour_lines_are_as_the_alt_text_says() -> None:
    """The heat maps' color bands have the width the alt text states, one of them centred
    on 0; the contour lines are at the levels it lists, dashed exactly where negative, and
    in a color the dark palette does not swap (the page's foreground color, which it
    does swap, turned them near-white on the light heat maps)."""
    import re

    import matplotlib.colors as mcolors
    import matplotlib.pyplot as plt
    from matplotlib.contour import ContourSet

    from docs_build import plotting

    figure = api.figure("activations/gated")
    stated = re.search(r"the levels ([-\d., ]+) \(negative levels dashed\)", figure.alt)
    levels = [float(v) for v in stated.group(1).split(", ")]
    width = float(re.search(r"in bands of width ([\d.]+)", figure.alt).group(1))
    with plotting.theme(False):
        fig = figure.draw()
    try:
        heat_maps = [ax for ax in fig.axes if ax.images]
        assert len(heat_maps) == len(api.GATED)
        for ax in heat_maps:
            (image,) = ax.images
            bands = image.cmap.N
            assert (image.norm.vmax - image.norm.vmin) / bands == pytest.approx(width)
            assert image.norm.vmin == -image.norm.vmax and bands % 2 == 1
            (lines,) = [c for c in ax.collections if isinstance(c, ContourSet)]
            assert list(lines.levels) == levels
            dashed = [dashes is not None for _, dashes in lines.get_linestyle()]
            assert dashed == [level < 0 for level in levels]
            colors = {mcolors.to_hex(c) for c in lines.get_edgecolor()}
            assert colors and not colors & set(plotting.dark_colors())
    finally:
        plt.close(fig)
