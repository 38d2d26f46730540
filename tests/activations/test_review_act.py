"""What the review of the activation chapter (branch review-act) found: each test fails if
the defect it names comes back."""

from __future__ import annotations

import calendar
import math
import re

import matplotlib.pyplot as plt
import pytest
import sympy as sp
import torch
import torch.nn.functional as F
from activations import naive

from docs_build import api, bibliography
from docs_build.api import ACTIVATIONS, BY_KEY
from docs_build.common import count_word
from docs_build.formulas import FORMULAS, x
from docs_build.registry import ROOT, get_facts, load_chapters
from tests.activations.symbols import (
    MATCH_ATOL,
    X_LIMITS,
    Y_LIMITS,
    autograd_slope,
    introduced_by,
    later_sources,
    param,
    stated_calls,
)

# the registry entries' parameter symbols
ALPHA = param("elu", "alpha")
B_SQ = param("squareplus", "b")
VALUE_S = param("threshold", "v")
THETA = param("threshold", "theta")
BETA = param("softplus", "beta")
THRESHOLD_S = param("softplus", "threshold")


# the two halves a, b of a gated unit's input: its formula's arguments
GLU_A, GLU_B = FORMULAS["gated_glu"].args


load_chapters()
PAGES = {
    p.stem: p.read_text(encoding="utf-8")
    for p in sorted((ROOT / "docs" / "activations").glob("*.md"))
}
SMOOTH_FLAT = (
    "sigmoid",
    "tanh",
    "softsign",
)  # sigmoid-tanh.md: slope -> 0 as |x| grows
PIECEWISE_FLAT = ("binary_step", "hardtanh")  # ... and exactly 0 beyond the kinks


def prose(page: str) -> str:
    """A page's Markdown with its line breaks joined, so a phrase split over lines matches."""
    return re.sub(r"\s+", " ", PAGES[page])


@pytest.mark.formula
@pytest.mark.claim("sigmoid-tanh-bounded-slopes-vanish")
def test_bounded_nondecreasing_slopes_vanish() -> None:
    """sigmoid-tanh.md: every bounded function there never decreases; a non-decreasing
    function rises between two inputs by at most the width of its range; the smooth ones'
    slopes tend to 0 at both infinities, the piecewise ones' are 0 beyond their kinks."""
    bounded = [
        a
        for a in ACTIVATIONS
        if a.page == "sigmoid-tanh" and a.lower != -sp.oo and a.upper != sp.oo
    ]
    assert {a.key for a in bounded} == set(SMOOTH_FLAT) | set(PIECEWISE_FLAT)
    # the unbounded ones are those the page's first sentence names as the exceptions
    assert [
        a.key for a in ACTIVATIONS if a.page == "sigmoid-tanh" and a not in bounded
    ] == ["identity", "logsigmoid", "tanhshrink", "softshrink", "hardshrink"]
    grid = torch.linspace(-50.0, 50.0, 20001, dtype=torch.float64)
    for act in bounded:
        assert act.monotonic, act.key
        f = act.fn(grid)
        assert (f.diff() >= 0).all(), act.key  # never decreases
        width = float(act.upper - act.lower)
        assert (f.max() - f.min()).item() <= width, act.key
    for key in SMOOTH_FLAT:
        d = sp.diff(BY_KEY[key].checked_expr, x)
        for side in (sp.oo, -sp.oo):
            assert sp.limit(d, x, side) == 0, (key, side)
    for key in PIECEWISE_FLAT:
        act = BY_KEY[key]
        edge = max(abs(k) for k in act.kinks)
        beyond = torch.tensor([-edge - 1e-3, -edge - 7.0, edge + 1e-3, edge + 7.0])
        beyond = beyond.to(torch.float64)
        slope = autograd_slope(act.fn, beyond)
        assert (slope == 0).all(), key
    text = prose("sigmoid-tanh")
    assert "must flatten out" not in text  # false: a bounded smooth sin(x) never does
    assert "a bounded function that never decreases cannot keep its slope" in text


@pytest.mark.claim("relu-family-half-of-normal-input-is-zero")
def test_relu_zeroes_half_of_a_normal_input() -> None:
    """P(relu(Z) = 0) = P(Z <= 0) = 1/2 for Z ~ N(0, 1), exactly (sympy), and in a sample."""
    z = sp.Symbol("z", real=True)
    density = sp.exp(-(z**2) / 2) / sp.sqrt(2 * sp.pi)
    assert sp.integrate(density, (z, -sp.oo, 0)) == sp.Rational(1, 2)
    assert F.relu(torch.tensor(0.0)).item() == 0.0
    sample = torch.randn(200_000, generator=torch.Generator().manual_seed(0))
    share = (F.relu(sample) == 0).double().mean().item()
    assert abs(share - 0.5) < 0.005  # 4.5 standard errors


def test_typed_counts_are_computed() -> None:
    """ "Four activation formulas" and "Six common functions" came from code, not typing."""
    # the textbook formulas the snippet types in (sigmoid_naive and sigmoid_naive_positive
    # are two forms of one formula), read off the snippet's names, as the chapter does
    # (not an independent derivation); that each has a failing case is the test's own
    formulas = list(
        dict.fromkeys(n.split("_naive")[0] for n in vars(naive) if "_naive" in n)
    )
    assert formulas == ["sigmoid", "softplus", "softmax", "log_softmax"]
    assert get_facts("stable")["naive_formulas"] == count_word(len(formulas))
    # every formula the count names has a failing case in the table
    cases = " ".join(naive.failures())
    for name in formulas:
        assert name in cases, name
    assert (
        "{{ stable.naive_formulas }} activation formulas"
        in PAGES["numerical-stability"]
    )
    assert "Four activation" not in PAGES["numerical-stability"]
    assert count_word(6) == "Six" and count_word(13) == "13"
    for path in (ROOT / "docs_build" / "chapters" / "activations").glob("*.py"):
        source = path.read_text("utf-8")
        assert '"Six ' not in source and "Six common" not in source, path.name


def test_overview_text_follows_the_plotted_functions() -> None:
    fig = api.figure("activations/overview")
    drawn = fig.draw()
    plotted = drawn.axes[0].get_legend_handles_labels()[1]
    plt.close(drawn)
    n = count_word(len(plotted))
    assert fig.alt.startswith(
        f"{n} activation functions on one plot for x from -5 to 5: "
    )
    assert "sigmoid, tanh, ReLU, leaky ReLU, GELU and SiLU." in fig.alt
    assert fig.caption.startswith(f"{n} common functions")
    assert f"{X_LIMITS[0]:g}, {X_LIMITS[1]:g}" in fig.caption
    assert f"{Y_LIMITS[0]:g}, {Y_LIMITS[1]:g}" in fig.caption


def test_match_bound_is_the_stated_one() -> None:
    """index.md said "equals PyTorch's built-in" while the test allowed 1e-8: the page now
    states the bound the test uses (a power of 10, printed from MATCH_ATOL)."""
    assert math.log10(MATCH_ATOL) == round(math.log10(MATCH_ATOL))
    assert get_facts("act")["match_atol"] == f"10^{{{round(math.log10(MATCH_ATOL))}}}"
    text = prose("index")
    assert "to within ${{ act.match_atol }}$" in text
    assert "equals PyTorch's built-in" not in text
    assert "equals PyTorch numerically" not in prose("numerical-stability")


def test_american_spelling_on_the_activation_pages() -> None:
    """Consistent with PyTorch's torch.optim "optimizer" and the pages' "initialization"."""
    british = re.compile(
        r"optimis|centred|populari[sz]ed by|behaviour|normalis|initialis|analys"
    )
    for page, text in PAGES.items():
        assert not [m.group(0) for m in british.finditer(text)], page
    for text in (get_facts("act")["relu_card"], get_facts("act")["usage_table"]):
        assert not british.findall(text)


def test_gelu_form_is_said_only_as_the_sources_say() -> None:
    """BERT's and ViT's papers name GELU. The released code of GPT
    (openai/finetune-transformer-lm, train.py) and GPT-2 (openai/gpt-2, src/model.py)
    computes the tanh form. BERT's first release (google-research/bert fe35475,
    2018-10-31) computed the exact form with erf and switched to tanh in bee6030
    (2019-02-07); the Hugging Face port maps BERT's "gelu" to the exact form. So BERT is
    not a user of the tanh form, and its ports do not need it. The exact form's use is
    what PyTorch's option computes."""
    layer = torch.nn.TransformerEncoderLayer(8, 2, activation="gelu")
    assert layer.activation is F.gelu  # approximate="none": the exact GELU
    assert "BERT" not in BY_KEY["gelu"].use and "ViT" not in BY_KEY["gelu"].use
    assert 'activation="gelu"' in BY_KEY["gelu"].use
    assert "BERT" not in BY_KEY["gelu_tanh"].use
    assert "GPT and GPT-2" in BY_KEY["gelu_tanh"].use
    for page in ("smooth-modern", "index"):
        text = prose(page)
        assert "which BERT uses" not in text and "all use GELU" not in text, page
        # no sentence lists BERT's code with GPT's as tanh users, or says BERT ports need it
        for sentence in re.split(r"(?<=[.;])\s", text):
            if "BERT" in sentence and "tanh" in sentence:
                assert "GPT" not in sentence and "need" not in sentence, sentence
    assert "switched to the tanh approximation" in prose("smooth-modern")


def test_distillation_and_vanishing_gradients_are_cited() -> None:
    """Temperature in distillation cites Hinton, Vinyals & Dean (arXiv 1503.02531); the
    vanishing-gradient page credits Hochreiter (1991) and Bengio et al. (1994) with the
    analysis, and Glorot & Bengio (2010) only for deep feed-forward networks."""
    ref = bibliography.REFERENCES["hinton2015"]
    assert ref.arxiv == "1503.02531" and ref.authors == ("Hinton", "Vinyals", "Dean")
    soft = prose("softmax")
    assert "distillation ({{ cite hinton2015 }})" in soft.lower().replace(
        "knowledge ", ""
    )
    vanish = prose("vanishing-gradients")
    assert "{{ citet hochreiter1991 }}, a diploma thesis in German" in vanish
    assert "{{ citet bengio1994 }} showed for recurrent networks" in vanish
    assert "{{ citet glorot2010 }} studied deep feed-forward networks" in vanish
    assert bibliography.REFERENCES["bengio1994"].doi == "10.1109/72.279181"


def test_more_typed_counts_are_computed() -> None:
    """softmax.md's "The four claims below" and index.md's "a three-layer linear network"
    follow the code they describe."""
    from activations import linear_collapse as lc

    # the numbered claims ("# 1. Adding ...") of the section softmax.md includes: reads
    # the snippet's text, as the chapter does (not an independent derivation); that they
    # are numbered 1..n without a gap is the test's own check
    snippet = (ROOT / "snippets" / "activations" / "softmax.py").read_text("utf-8")
    section = snippet.split("# --8<-- [start:claims]")[1].split(
        "# --8<-- [end:claims]"
    )[0]
    claims = [line for line in section.splitlines() if re.match(r"# \d+\. ", line)]
    assert '--8<-- "activations/softmax.py:claims"' in PAGES["softmax"]
    assert [c.split(".")[0] for c in claims] == [
        f"# {n}" for n in range(1, len(claims) + 1)
    ]
    assert get_facts("softmax")["claims_count"] == count_word(len(claims)).lower()
    assert "The {{ softmax.claims_count }} claims below" in PAGES["softmax"]
    assert get_facts("collapse")["layers"] == count_word(len(lc.deep_linear)).lower()
    assert all(isinstance(m, torch.nn.Linear) for m in lc.deep_linear)
    assert "{{ collapse.layers }}-layer linear network" in prose("index")


def test_no_transcendental_call_is_not_no_division() -> None:
    """index.md said functions with 0 exp/log/tanh/erf calls need only comparisons,
    additions and multiplications; softsign, x / (1 + |x|), divides."""
    softsign = BY_KEY["softsign"]
    assert stated_calls("softsign") == 0
    assert any(
        isinstance(n, sp.Pow) and n.exp == -1
        for n in sp.preorder_traversal(softsign.expr)
    )
    text = prose("index")
    assert "need only comparisons, additions and multiplications" not in text
    assert "Functions with 0 need only comparisons and arithmetic." in text


def test_origin_sentences_say_what_the_papers_say() -> None:
    """Nair & Hinton (2010) used rectifiers in RBMs and Glorot et al. (2011) trained deep
    rectifier networks without pre-training; neither paper says it made ReLU the default.
    The cost of exp on phones is MobileNetV3's statement, so it cites MobileNetV3."""
    relu = prose("relu-family")
    assert (
        "made it the default" not in relu and "made deep networks trainable" not in relu
    )
    assert "{{ citet nair2010 }} used it in restricted Boltzmann machines" in relu
    smooth = prose("smooth-modern")
    assert "which is expensive on phones ({{ cite howard2019 }})" in smooth


@pytest.mark.claim("sigmoid-tanh-positive-inputs-one-sign-per-unit")
def test_positive_inputs_give_one_gradient_sign_per_unit() -> None:
    """dL/dW[i, j] = delta_i * h_j: with every h_j > 0 (sigmoid outputs), row i of the
    gradient has the sign of delta_i. The page said "all share a sign", which holds per
    unit (row), not across the layer: rows of opposite sign occur."""
    gen = torch.Generator().manual_seed(0)
    h = torch.sigmoid(torch.randn(1, 32, generator=gen, dtype=torch.float64))
    layer = torch.nn.Linear(32, 16, dtype=torch.float64)
    target = torch.randn(1, 16, generator=gen, dtype=torch.float64)
    loss = ((layer(h) - target) ** 2).sum()
    (g,) = torch.autograd.grad(loss, layer.weight)
    signs = torch.sign(g)
    assert (signs == signs[:, :1]).all()  # one sign per unit
    assert (signs[:, 0] > 0).any() and (signs[:, 0] < 0).any()  # not one for the layer
    assert "gradients of all the weights into one unit" in prose("sigmoid-tanh")
    assert "weight gradients for one example all share a sign" not in prose(
        "sigmoid-tanh"
    )


@pytest.mark.claim("sigmoid-tanh-lstm-uses-tanh")
def test_lstm_uses_tanh_for_the_state_and_sigmoid_gates() -> None:
    """nn.LSTM (one layer, one step), recomputed by hand: gates i, f, o are sigmoids, the
    candidate g and the squashed state tanh(c) are tanh."""
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(3, 4, dtype=torch.float64)
    x_in = torch.randn(1, 2, 3, dtype=torch.float64)  # (time, batch, features)
    h0 = torch.randn(1, 2, 4, dtype=torch.float64)
    c0 = torch.randn(1, 2, 4, dtype=torch.float64)
    _, (h1, c1) = lstm(x_in, (h0, c0))
    pre = (
        x_in[0] @ lstm.weight_ih_l0.T
        + lstm.bias_ih_l0
        + h0[0] @ lstm.weight_hh_l0.T
        + lstm.bias_hh_l0
    )
    i, f, g, o = pre.chunk(4, dim=1)
    c = torch.sigmoid(f) * c0[0] + torch.sigmoid(i) * torch.tanh(g)
    torch.testing.assert_close(c1[0], c)
    torch.testing.assert_close(h1[0], torch.sigmoid(o) * torch.tanh(c))
    assert "preferred hidden activation before ReLU" not in prose("sigmoid-tanh")


def test_hard_sigmoid_variant_is_printed_from_its_expression() -> None:
    """The other libraries' hard sigmoid is one expression: its printed form, slope and
    flat points all come from it, so none can drift from the others."""
    alt = sp.Float("0.2") * x + sp.Float("0.5")  # as those libraries write it
    text = prose("smooth-modern")
    assert "0.2x" not in text and "{{ act.hardsigmoid_alt }}" in text
    facts = get_facts("act")
    assert facts["hardsigmoid_alt"] == "0.2 x + 0.5"
    lo, hi = float(facts["hardsigmoid_alt_lo"]), float(facts["hardsigmoid_alt_hi"])
    assert float(alt.subs(x, lo)) == 0.0 and float(alt.subs(x, hi)) == 1.0
    assert float(facts["hardsigmoid_alt_slope"]) == 0.2


def test_no_function_is_named_twice_in_a_family_bullet() -> None:
    """The overview's family list (hand-written words plus the generated "Also on that
    page: ..." from {{ act_pages.also.<page> }}) names each function at most once: the
    bullet once said "LogSigmoid" and then "Also: LogSigmoid"."""
    also = get_facts("act_pages")
    text = re.sub(
        r"\{\{ act_pages\.(also\.[\w-]+) \}\}",
        lambda m: also[m.group(1)],
        PAGES["index"],
    )
    bullets = re.findall(r"^- \[[^\]]*\]\([\w-]+\.md\).*?(?=^- |^$)", text, re.M | re.S)
    assert len(bullets) == len(api.PAGES)
    all_names = sorted({n for a in ACTIVATIONS for n in prose_names(a)}, key=len)
    for bullet in bullets:
        rest = re.sub(r"\s+", " ", bullet.split(")", 1)[1])  # not the link's words
        for name in reversed(all_names):  # longest first: "Leaky ReLU" before "ReLU"
            pattern = as_word(name)
            found = re.findall(pattern, rest, flags=re.IGNORECASE)
            assert len(found) <= 1, (name, bullet)
            rest = re.sub(pattern, "#", rest, flags=re.IGNORECASE)
    # every function the page does not place by hand is named in its bullet
    for page, bullet in zip(api.PAGES, bullets, strict=True):
        for act in (a for a in ACTIVATIONS if a.page == page):
            if f"{{{{ act.{act.key}_card }}}}" not in PAGES[page]:  # not placed by hand
                named = (re.search(as_word(n), bullet, re.I) for n in prose_names(act))
                assert any(named), act.key


def prose_names(act: api.Activation) -> list[str]:
    """What prose calls a function: its title without a parenthesis, and each side of a
    slash ("SiLU / Swish" is SiLU or Swish, "GELU (exact)" is GELU). Reads the titles as
    the chapter's own reading does; not an independent derivation."""
    bare = re.sub(r"\s*\(.*?\)", "", act.title)
    return [n.strip() for n in bare.split(" / ")]


def as_word(name: str) -> str:
    """A pattern for ``name`` written as a word of its own ("ReLU" is not in "ReLU6" or
    "RReLU"; "swish" is not in "Swish-β"). The same pattern the chapter uses to find a
    name in text; not an independent derivation."""
    return rf"(?<![\w-]){re.escape(name)}(?![\w-])"


def test_function_plots_share_the_chapter_axes() -> None:
    """sigmoid-tanh.md says every function plot in this chapter (not "on this site": the
    dying-ReLU, vanishing and softmax figures have axes of their own) uses X_LIMITS and
    Y_LIMITS; each figure draw_activation makes, and the overview, does."""
    import matplotlib.pyplot as plt

    from docs_build.registry import FIGURES

    text = prose("sigmoid-tanh")
    assert "on this site" not in text
    assert "Every function plot in this chapter uses the same axes" in text
    names = [f"activations/{a.key}" for a in ACTIVATIONS] + ["activations/overview"]
    for name in names:
        fig = FIGURES[name].draw()
        ax = fig.axes[0]
        assert ax.get_xlim() == X_LIMITS and ax.get_ylim() == Y_LIMITS
        plt.close(fig)


def test_no_line_of_f_crosses_a_jump() -> None:
    """For a function that jumps (binary step, Hardshrink, Threshold), f is drawn piece by
    piece, so no line joins the two sides of a jump (which made it look continuous); a
    filled dot marks f at the jump and an open one the other side's limit."""
    import matplotlib.pyplot as plt

    jumping = [a for a in ACTIVATIONS if a.smoothness == "discontinuous"]
    assert {a.key for a in jumping} >= {"binary_step", "hardshrink", "threshold"}
    for act in jumping:
        fig = api.figure(f"activations/{act.key}").draw()
        lines = [ln for ln in fig.axes[0].get_lines() if ln.get_color() == "C0"]
        solid = [ln for ln in lines if ln.get_linestyle() == "-"]
        assert len(solid) == len(act.kinks) + 1, act.key
        for line in solid:
            xs = line.get_xdata()
            for k in act.kinks:
                assert not ((xs < k).any() and (xs > k).any()), (act.key, k)
        dots = [ln for ln in lines if ln.get_marker() == "o"]
        filled = [d for d in dots if d.get_markerfacecolor() != "none"]
        hollow = [d for d in dots if d.get_markerfacecolor() == "none"]
        assert sorted(x for d in filled for x in d.get_xdata()) == sorted(act.kinks)
        assert sorted(x for d in hollow for x in d.get_xdata()) == sorted(act.kinks)
        for d in filled:
            k = torch.tensor(d.get_xdata(), dtype=torch.float64)
            assert torch.equal(torch.as_tensor(d.get_ydata()), act.fn(k))
        plt.close(fig)


# what the alt text says for each declared saturation
SATURATION_ALT = {
    "both": "the slope tends to 0 on both sides",
    "left": "the slope tends to 0 as x goes to minus infinity",
    "right": "the slope tends to 0 as x goes to plus infinity",
    "no": "the slope does not tend to 0 on either side",
}


def test_figure_alt_text_says_the_checked_shape() -> None:
    """Each function's alt text says what its card says and the registry tests check:
    monotonic or not, where it jumps or its slope jumps, where it saturates; not one
    template with the title swapped."""
    from docs_build.registry import FIGURES

    alts = {}
    for act in ACTIVATIONS:
        alt = FIGURES[f"activations/{act.key}"].alt
        assert act.title in alt and "derivative (dashed)" in alt
        assert ("never decreases" in alt) == act.monotonic, act.key
        assert ("jumps at" in alt) == bool(act.kinks), act.key
        assert ("it jumps at" in alt) == (act.smoothness == "discontinuous"), act.key
        for k in act.kinks:
            assert f"x = {k:g}" in alt, (act.key, k)
        assert ("it is smooth" in alt) == (act.smoothness == "Cinf"), act.key
        assert SATURATION_ALT[act.saturates] in alt, act.key
        alts[act.key] = alt.replace(act.title, "")
    assert len(set(alts.values())) > len(alts) // 3


def test_no_leaky_unit_inactive_at_the_start_revives_under_sgd() -> None:
    """index.md: "with plain SGD the leaky units stayed inactive" (claim
    index-dying-relu-optimizers, whose test checks only that the inactive share does not
    fall, which some units reviving while others die would pass). Here: every unit
    inactive on every input at the start is still inactive after SGD, in the run the
    page reports; and under Adam some of them are not, so the comparison can fail."""
    from activations import dying_relu

    x_in, _ = dying_relu.data()

    def inactive(model: torch.nn.Sequential) -> torch.Tensor:
        with torch.no_grad():
            return (model[0](x_in) <= 0).all(dim=0)

    runs = api.runs("dying")
    name = "leaky ReLU (0.01)"
    start = inactive(dying_relu.build(dying_relu.RELU_FAMILY[name]()))
    assert start.any()
    sgd_model, _ = runs[("SGD", name)]
    assert not (start & ~inactive(sgd_model)).any()
    adam_model, _ = runs[("Adam", name)]
    assert (start & ~inactive(adam_model)).any()


def test_shown_code_has_no_wrapped_loop_target() -> None:
    """A trailing comment too long for the line made the formatter print
    `for (\\n layer\\n) in layers:` on the index; comments go above the loop instead."""
    for path in sorted((ROOT / "snippets" / "activations").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*for \($", text, re.M), path.name


def test_elementwise_is_explained_and_does_what_the_page_says() -> None:
    """relu-family.md shows the `modules` section, which opens with Elementwise: the
    prose says what it is for, and it is a parameter-free layer that calls the function
    with the keyword arguments it was given."""
    from activations import functions as fx

    text = prose("relu-family")
    before_block = text.split('--8<-- "activations/functions.py:modules"')[0]
    assert "`Elementwise`" in before_block
    assert "Elementwise(leaky_relu, negative_slope=0.1)" in before_block
    layer = fx.Elementwise(fx.leaky_relu, negative_slope=0.1)
    assert not list(layer.parameters())
    v = torch.linspace(-3, 3, 61, dtype=torch.float64)
    net = torch.nn.Sequential(layer)
    torch.testing.assert_close(net(v), F.leaky_relu(v, 0.1), rtol=0, atol=0)
    assert repr(layer) == "Elementwise(leaky_relu, negative_slope=0.1)"


# Inline math typed in the prose of these pages (not printed from the registry): each span
# is notation (a symbol, a definition, a condition: nothing to compute) or carries a sympy
# check of what it states. A new typed formula fails the test until it is listed here.
TYPED_MATH_PAGES = (
    "index",
    "sigmoid-tanh",
    "relu-family",
    "smooth-modern",
    "vanishing-gradients",
    "numerical-stability",
    "softmax",
    "explorer",
    "gated",
)


def _sig(z: sp.Expr) -> sp.Expr:
    return BY_KEY["sigmoid"].expr.subs(x, z)


def _same(f: sp.Expr, g: sp.Expr) -> bool:
    """Equal at points on both sides of every kink the registry has (|x| <= 7)."""
    points = [sp.Rational(n, 8) for n in range(-56, 57, 3)]
    return all(abs(sp.N((f - g).subs(x, p), 30)) < 1e-25 for p in points)


def _checked_range(key: str, lo: int, hi: int, closed: bool) -> bool:
    a = BY_KEY[key]
    return (a.lower, a.upper, a.lower_closed, a.upper_closed) == (
        lo,
        hi,
        closed,
        closed,
    )


def _elu_slope_continuous_iff_alpha_1() -> bool:
    left, right = (
        sp.diff(p, x).subs(x, 0) for p, _ in reversed(BY_KEY["elu"].expr.args)
    )
    return (
        sp.solve(sp.Eq(left, right), ALPHA) == [1] and BY_KEY["elu"].params[ALPHA] == 1
    )


def _threshold_params(theta: int, v: int) -> bool:
    return list(BY_KEY["threshold"].params.values()) == [theta, v]


def _collapse() -> bool:
    w1, w2 = sp.MatrixSymbol("W1", 3, 3), sp.MatrixSymbol("W2", 3, 3)
    b1, b2, v = (sp.MatrixSymbol(n, 3, 1) for n in ("b1", "b2", "v"))
    lhs = (w2 * (w1 * v + b1) + b2).as_explicit()
    rhs = ((w2 * w1) * v + (w2 * b1 + b2)).as_explicit()
    return sp.expand(lhs - rhs) == sp.zeros(3, 1)


def _vanishing_init_is_gain_over_sqrt_fan_in() -> bool:
    """vanishing.py's hidden weights have std gain / sqrt(fan-in) (sample std, 2 %)."""
    from activations import vanishing

    torch.manual_seed(0)
    model = vanishing.deep_mlp("tanh", depth=3, width=256)
    gain = torch.nn.init.calculate_gain("tanh")
    hidden = [m for m in model if isinstance(m, torch.nn.Linear)][:-1]
    return len(hidden) == 3 and all(
        abs(m.weight.std().item() / (gain / math.sqrt(m.in_features)) - 1) < 0.02
        for m in hidden
    )


def _adam_first_step_is_lr_delta_over_eps() -> bool:
    """Adam's first step lr * d / (|d| + eps) (bias-corrected m = d, v = d^2, d the
    gradient) tends to lr * d / eps as d -> 0."""
    d, lr, eps = sp.symbols("delta lr epsilon", positive=True)
    return sp.limit((lr * d / (d + eps)) / (lr * d / eps), d, 0) == 1


def _gd_multiplies_error_by_1_minus_lr_lambda() -> bool:
    """On the curvature lam * e^2 / 2, a step e - lr * dL/de is (1 - lr * lam) e."""
    e, lr, lam = sp.symbols("e lr lambda", real=True)
    step = e - lr * sp.diff(lam * e**2 / 2, e)
    return sp.expand(step - (1 - lr * lam) * e) == 0


def _error_grows_iff_lr_above_2_over_lambda() -> bool:
    """|1 - lr * lam| > 1 for lr, lam > 0 exactly when lr > 2 / lam: for every positive
    curvature lam (a positive symbol), not one value."""
    lr = sp.Symbol("lr", real=True)
    lam = sp.Symbol("lambda", positive=True)
    grows = sp.solve_univariate_inequality(
        sp.Abs(1 - lr * lam) > 1, lr, relational=False
    )
    # for lr > 0 only the second part counts; it starts at 2 / lam, which is positive
    below, above = sp.Interval.open(-sp.oo, 0), sp.Interval.open(2 / lam, sp.oo)
    return grows == sp.Union(below, above) and bool((2 / lam).is_positive)


_xp = sp.Symbol("x", positive=True)


def _rrelu_slope_is_mean_of_bounds() -> bool:
    """RReLU's evaluation slope, the fact on the page, is the mean of its bounds l, u."""
    rrelu = BY_KEY["rrelu"]
    params = {str(k): v for k, v in rrelu.params.items()}
    slope = sp.diff(rrelu.checked_expr.args[1][0], x)
    return slope == (params["l"] + params["u"]) / 2 and get_facts("act")[
        "rrelu_slope"
    ] == sp.latex(slope)


def _example_loss_is_minus_log_p_y() -> bool:
    """The exercise's loss is -log of its p_y, both as printed (3 decimals)."""
    facts = get_facts("softmaxgrad")
    p, loss = float(facts["ex_py"]), float(facts["ex_loss"])
    return -math.log(p + 5e-4) <= loss + 5e-4 and -math.log(p - 5e-4) >= loss - 5e-4


def _shrinks_are_zero_on_minus_lambda_to_lambda() -> bool:
    """Softshrink and Hardshrink are 0 on [-lambda, lambda] and not just outside it."""
    for key in ("softshrink", "hardshrink"):
        act = BY_KEY[key]
        lam = next(v for k, v in act.params.items() if str(k) in {"lambda", "lambd"})
        inside = [-lam, -lam / 2, 0, lam / 2, lam]
        outside = [-lam - sp.Rational(1, 100), lam + sp.Rational(1, 100)]
        f = act.checked_expr
        if any(f.subs(x, v) != 0 for v in inside) or any(
            f.subs(x, v) == 0 for v in outside
        ):
            return False
    return True


def _dying_target_is_sin_2x() -> bool:
    from activations import dying_relu

    inputs, targets = dying_relu.data()
    return torch.equal(targets, torch.sin(2 * inputs))


def _naive_inputs(key: str) -> bool:
    """naive.failures() evaluates each textbook form at the input its key names."""
    from activations import naive

    return key in naive.failures()


def _softmax(z: list[sp.Expr]) -> list[sp.Expr]:
    return [sp.exp(zi) / sum(sp.exp(zj) for zj in z) for zi in z]


_z1, _z2, _z3, _c, _t, _gap = sp.symbols("z1 z2 z3 c T Delta", real=True)
_Z = [_z1, _z2, _z3]
_n = sp.Symbol("N", positive=True)
_DIAG = [(i, i) for i in range(3)]
_OFF_DIAG = [(i, j) for i in range(3) for j in range(3) if i != j]


def _jac() -> sp.Matrix:
    """sympy's Jacobian of softmax at three symbolic logits."""
    return sp.Matrix(_softmax(_Z)).jacobian(_Z)


def _pvec() -> sp.Matrix:
    return sp.Matrix(_softmax(_Z))


def _jac_is(entry, where) -> bool:
    """Each Jacobian entry at (i, j) in ``where`` equals ``entry(p, i, j)``."""
    p = _softmax(_Z)
    jac = _jac()
    if isinstance(where, tuple):
        where = [where]
    return all(sp.simplify(jac[i, j] - entry(p, i, j)) == 0 for i, j in where)


def _max_shift_changes_nothing() -> bool:
    z = [_z1, _z2, _z3]
    return all(
        sp.simplify(a - b) == 0
        for a, b in zip(_softmax([zi - _c for zi in z]), _softmax(z), strict=True)
    )


def _is_zero(e: sp.Expr) -> bool:
    return sp.simplify(e) == 0


def _weighted_mean_gradient() -> bool:
    """Two rows of two logits, true classes 0 and 1 with weights w_0, w_1: the weighted
    mean loss's gradient with respect to a row is w_y (p - y) / (w_0 + w_1)."""
    a, b, c, d = sp.symbols("a b c d", real=True)
    w = sp.symbols("w_0 w_1", positive=True)
    rows, ys = [[a, b], [c, d]], [0, 1]
    loss = sum(
        w[t] * -sp.log(_softmax(r)[t]) for r, t in zip(rows, ys, strict=True)
    ) / sum(w)
    return all(
        _is_zero(
            sp.diff(loss, v) - w[t] * (_softmax(r)[j] - (1 if j == t else 0)) / sum(w)
        )
        for r, t in zip(rows, ys, strict=True)
        for j, v in enumerate(r)
    )


# ---- the exercises at the end of the activation pages -----------------------------------
_s = sp.Symbol("s", positive=True)


def _half_slope_values() -> bool:
    """s(1 - s) = 1/8, half the sigmoid slope's maximum 1/4, at s = 1/2 -+ sqrt(2)/4."""
    roots = sp.solve(sp.Eq(_s * (1 - _s), sp.Rational(1, 8)), _s)
    return sorted(roots, key=float) == [
        sp.Rational(1, 2) - sp.sqrt(2) / 4,
        sp.Rational(1, 2) + sp.sqrt(2) / 4,
    ]


def _relu_second_moment() -> bool:
    """E[ReLU(z)^2] = sigma^2 / 2 for z ~ N(0, sigma^2), so n v sigma^2 / 2 = sigma^2
    at v = 2 / n (He's factor)."""
    z = sp.Symbol("z", real=True)
    sd, n = sp.symbols("sigma n", positive=True)
    pdf = sp.exp(-(z**2) / (2 * sd**2)) / (sd * sp.sqrt(2 * sp.pi))
    moment = sp.integrate(z**2 * pdf, (z, 0, sp.oo))
    return _is_zero(moment - sd**2 / 2) and _is_zero(n * (2 / n) * moment - sd**2)


def _normal_cdf(z: sp.Expr) -> sp.Expr:
    """The standard normal distribution function."""
    return (1 + sp.erf(z / sp.sqrt(2))) / 2


def _silu_minimum_steps() -> bool:
    """SiLU's slope is sigma (1 + x (1 - sigma)); its second factor is 0 exactly when
    sigma = 1 + 1/x; and there x sigma = x + 1."""
    s = sp.Symbol("s")
    slope = sp.diff(x * _sig(x), x)
    factored = _sig(x) * (1 + x * (1 - _sig(x)))
    return (
        _is_zero((slope - factored).rewrite(sp.exp))
        and [_is_zero(r - (1 + 1 / x)) for r in sp.solve(sp.Eq(1 + x * (1 - s), 0), s)]
        == [True]
        and _is_zero(x * (1 + 1 / x) - (x + 1))
    )


def _silu_relu_gap() -> bool:
    """ReLU minus SiLU is -x sigma(x) for x < 0 and x sigma(-x) for x > 0, both >= 0."""
    gap = BY_KEY["relu"].checked_expr - x * _sig(x)
    points = [sp.Rational(n, 8) for n in range(-56, 57, 3) if n]
    return all(
        abs(sp.N(gap.subs(x, p) - (-p * _sig(p) if p < 0 else p * _sig(-p)), 30))
        < 1e-25
        and sp.N(gap.subs(x, p)) > 0
        for p in points
    )


def _logsumexp_shift() -> bool:
    """log sum_j e^{z_j} = m + log sum_j e^{z_j - m} for any m (three logits)."""
    zs = sp.symbols("z1:4", real=True)
    m = sp.Symbol("m", real=True)
    shifted = m + sp.log(sum(sp.exp(z - m) for z in zs))
    return _is_zero(sp.exp(shifted) - sum(sp.exp(z) for z in zs))


def _layers_to_a_millionth() -> bool:
    """(1/4)^L < 1e-6 exactly when L > ln(1e-6) / ln(1/4)."""
    bound = sp.log(sp.Rational(1, 10**6)) / sp.log(sp.Rational(1, 4))
    quarter = sp.Rational(1, 4)
    return bool(quarter ** sp.ceiling(bound) < sp.Rational(1, 10**6)) and bool(
        quarter ** sp.floor(bound) >= sp.Rational(1, 10**6)
    )


def _tanh_band() -> bool:
    """1 - tanh^2 >= 1/4 exactly when |tanh| <= sqrt(3)/2, that is |x| <= atanh(sqrt(3)/2)
    = log(2 + sqrt(3))."""
    t = sp.Symbol("t", real=True)
    band = sp.solve_univariate_inequality(
        1 - t**2 >= sp.Rational(1, 4), t, relational=False
    )
    edge = sp.atanh(sp.sqrt(3) / 2)
    # atanh(u) = log((1 + u) / (1 - u)) / 2; (1 + u) / (1 - u) = (2 + sqrt 3)^2 here
    ratio = (1 + sp.sqrt(3) / 2) / (1 - sp.sqrt(3) / 2)
    return (
        band == sp.Interval(-sp.sqrt(3) / 2, sp.sqrt(3) / 2)
        and sp.radsimp(ratio - (2 + sp.sqrt(3)) ** 2).expand() == 0
        and abs(float(edge) - float(sp.log(2 + sp.sqrt(3)))) < 1e-15
    )


# ---- squareplus (smooth-modern) and the gated block's parameter counts ------------------
def _squareplus(arg: sp.Expr) -> sp.Expr:
    return BY_KEY["squareplus"].expr.subs(x, arg)


_b = B_SQ


def _squareplus_curvature_at_0() -> bool:
    second = sp.diff(_squareplus(x), x, 2).subs(x, 0)
    return _is_zero(second - 1 / (2 * sp.sqrt(_b))) and _is_zero(
        second.subs(_b, 4) - sp.diff(sp.log(1 + sp.exp(x)), x, 2).subs(x, 0)
    )


def _squareplus_identities() -> bool:
    f, g = _squareplus(x), _squareplus(-x)
    return (
        _is_zero(f - g - x)
        and _is_zero(sp.expand(f * g) - _b / 4)
        and _is_zero(f.subs(x, 0) - sp.sqrt(_b) / 2)
    )


def _squareplus_stable_left() -> bool:
    """For x < 0, b / (2 (sqrt(x^2 + b) - x)) is the same number (rationalised)."""
    return _is_zero(_squareplus(x) - _b / (2 * (sp.sqrt(x**2 + _b) - x)))


def _ffn_counts() -> bool:
    """Without biases: 2dh for the plain block, 3 d (2h/3) for the gated one; with a
    bias on every layer, 2dh + h + d against 2dh + 4h/3 + d, h/3 more."""
    d, h = sp.symbols("d h", positive=True)
    gated_width = 2 * h / 3
    plain, gated = 2 * d * h, 3 * d * gated_width
    plain_b, gated_b = plain + h + d, gated + 2 * gated_width + d
    return (
        _is_zero(plain - gated)
        and _is_zero(plain_b - (2 * d * h + h + d))
        and _is_zero(gated_b - (2 * d * h + 4 * h / 3 + d))
        and _is_zero(gated_b - plain_b - h / 3)
    )


def _ffn_widths_equal() -> bool:
    """2dh = 3dw has the one solution w = 2h/3."""
    d, h, w = sp.symbols("d h w", positive=True)
    return sp.solve(sp.Eq(2 * d * h, 3 * d * w), w) == [2 * h / 3]


NOTATION = None
TYPED_MATH = {
    # index
    r"\mathbf{h} = f(W\mathbf{x} + \mathbf{b})": NOTATION,
    r"\mathbf{x} \mapsto W\mathbf{x} + \mathbf{b}": NOTATION,
    r"W_2 (W_1 \mathbf{x} + \mathbf{b}_1) + \mathbf{b}_2 = (W_2 W_1)\,\mathbf{x} + "
    r"(W_2 \mathbf{b}_1 + \mathbf{b}_2).": _collapse,
    r"Z \sim \mathcal{N}(0, 1)": NOTATION,
    r"\mathbb{E}[f(Z)]": NOTATION,
    "f": NOTATION,
    r"f'(x) \ge 0": NOTATION,
    r"f(-x) = -f(x)": NOTATION,
    r"x \to +\infty": NOTATION,
    r"x \to -\infty": NOTATION,
    r"\beta": NOTATION,
    # sigmoid-tanh
    "(0, 1)": lambda: _checked_range("sigmoid", 0, 1, False),
    "(-1, 1)": lambda: _checked_range("tanh", -1, 1, False),
    "[-1, 1]": lambda: _checked_range("hardtanh", -1, 1, True),
    r"1 / (4\cosh^2(x/2))": lambda: (
        sp.simplify(
            (sp.diff(_sig(x), x) - 1 / (4 * sp.cosh(x / 2) ** 2)).rewrite(sp.exp)
        )
        == 0
    ),
    r"\tanh(x) = 2\sigma(2x) - 1": lambda: (
        sp.simplify((sp.tanh(x) - (2 * _sig(2 * x) - 1)).rewrite(sp.exp)) == 0
    ),
    # softsign's distance to its bound falls like 1/|x|: x (1 - f(x)) -> 1
    "1/|x|": lambda: sp.limit(x * (1 - BY_KEY["softsign"].checked_expr), x, sp.oo) == 1,
    "|x|": NOTATION,
    "-1": NOTATION,
    "1": NOTATION,
    r"\pm 1": NOTATION,
    "z = 0": NOTATION,
    # relu-family
    "[0, 6]": lambda: _checked_range("relu6", 0, 6, True),
    r"\max(0, x)": lambda: _same(BY_KEY["relu"].checked_expr, sp.Max(0, x)),
    r"\alpha(e^x - 1)": lambda: _same(
        BY_KEY["elu"].expr.args[-1][0], ALPHA * (sp.exp(x) - 1)
    ),
    r"\alpha = 1": _elu_slope_continuous_iff_alpha_1,
    r"\max(x, \theta)": lambda: _same(
        BY_KEY["threshold"].expr.subs(VALUE_S, THETA).subs(THETA, 1),
        sp.Max(x, 1),
    ),
    r"v = 0 < \theta = 1": lambda: _threshold_params(1, 0),
    r"\theta = 1": lambda: _threshold_params(1, 0),
    "v = 0": lambda: _threshold_params(1, 0),
    "x = 1": lambda: _threshold_params(1, 0),  # where it jumps: at theta
    r"-\alpha": NOTATION,
    r"\alpha": NOTATION,
    r"\lambda": NOTATION,
    r"\theta": NOTATION,
    "a": NOTATION,
    "l": NOTATION,
    "u": NOTATION,
    "v": NOTATION,
    r"v = \theta": NOTATION,
    r"v \le \theta": NOTATION,
    # smooth-modern
    "[0, 1]": lambda: _checked_range("hardsigmoid", 0, 1, True),
    r"\Phi(x)": NOTATION,
    "x": NOTATION,
    r"\beta x": NOTATION,
    r"\beta > 0": lambda: bool(BETA.is_positive),  # the registry's symbol
    # values PyTorch accepts (test_softplus_beta_is_not_checked runs them)
    r"\beta = -1": NOTATION,
    r"\beta = 0": NOTATION,
    r"x = \mathrm{threshold}/\beta": lambda: (
        sp.solve(sp.Eq(BETA * x, THRESHOLD_S), x) == [THRESHOLD_S / BETA]
    ),
    r"\log(1 + e^{\beta x})/\beta": lambda: _same(
        BY_KEY["softplus"].expr, sp.log(1 + sp.exp(BETA * x)) / BETA
    ),
    r"\log(1 + e^x)": lambda: _same(
        BY_KEY["softplus"].checked_expr, sp.log(1 + sp.exp(x))
    ),
    r"\max(x, 0) + \log(1 + e^{-|x|})": lambda: _same(
        sp.Max(x, 0) + sp.log(1 + sp.exp(-sp.Abs(x))), sp.log(1 + sp.exp(x))
    ),
    r"\operatorname{ReLU6}(x + 3)/6": lambda: _same(
        BY_KEY["hardsigmoid"].checked_expr,
        BY_KEY["relu6"].checked_expr.subs(x, x + 3) / 6,
    ),
    r"x \tanh(\operatorname{softplus}(x))": lambda: _same(
        BY_KEY["mish"].checked_expr, x * sp.tanh(sp.log(1 + sp.exp(x)))
    ),
    r"x\,\sigma(x)": lambda: _same(BY_KEY["silu"].checked_expr, x * _sig(x)),
    r"x\,\sigma(\beta x)": lambda: _same(
        BY_KEY["swish_beta"].expr.subs(BETA, 3), x * _sig(3 * x)
    ),
    r"x\,\sigma(1.702\,x)": lambda: _same(
        BY_KEY["quick_gelu"].checked_expr, x * _sig(sp.Rational(1702, 1000) * x)
    ),
    r"\beta = 1": lambda: _same(
        BY_KEY["swish_beta"].expr.subs(BETA, 1), BY_KEY["silu"].checked_expr
    ),
    r"\beta = 1.702": lambda: _same(
        BY_KEY["swish_beta"].expr.subs(BETA, sp.Rational(1702, 1000)),
        BY_KEY["quick_gelu"].checked_expr,
    ),
    # vanishing-gradients
    r"\sigma(x)(1 - \sigma(x))": lambda: (
        sp.simplify((sp.diff(_sig(x), x) - _sig(x) * (1 - _sig(x))).rewrite(sp.exp))
        == 0
    ),
    "p(1-p)": NOTATION,  # the same product, with p = sigma(x)
    r"\tfrac12": lambda: (
        sp.solve(sp.diff(sp.Symbol("p") * (1 - sp.Symbol("p")), sp.Symbol("p")))
        == [sp.Rational(1, 2)]
    ),
    r"\mathcal{N}(0, g^2 / \text{fan-in})": _vanishing_init_is_gain_over_sqrt_fan_in,
    "g": NOTATION,  # the gain (a gradient entry is delta, so g names one thing)
    r"\delta": NOTATION,
    r"\epsilon": NOTATION,
    r"\text{lr} \cdot \delta": NOTATION,  # SGD's step, by definition
    r"\text{lr} \cdot \delta / \epsilon": _adam_first_step_is_lr_delta_over_eps,
    r"y = \sin(2x)": _dying_target_is_sin_2x,
    "e^x - 1": lambda: _same(
        BY_KEY["elu"].expr.args[-1][0].subs(ALPHA, 1), sp.exp(x) - 1
    ),
    r"1 - \text{lr} \cdot \lambda": _gd_multiplies_error_by_1_minus_lr_lambda,
    r"\text{lr} > 2 / \lambda": _error_grows_iff_lr_above_2_over_lambda,
    r"2 / \lambda": NOTATION,  # the limit the line above checks
    # numerical-stability
    "e^x": NOTATION,
    r"\varepsilon": NOTATION,
    # float32 rounds 1 + eps/2 to 1 (round to nearest even, on every IEEE CPU)
    r"1 + \varepsilon": lambda: (
        torch.tensor(1.0) + torch.finfo(torch.float32).eps / 2 == 1
    ).item(),
    "1/(1+e^{-x})": lambda: _same(BY_KEY["sigmoid"].checked_expr, 1 / (1 + sp.exp(-x))),
    "e^x/(1+e^x)": lambda: _same(
        BY_KEY["sigmoid"].checked_expr, sp.exp(x) / (1 + sp.exp(x))
    ),
    r"\log(1+e^x)": lambda: _same(
        BY_KEY["softplus"].checked_expr, sp.log(1 + sp.exp(x))
    ),
    "x = -100": lambda: _naive_inputs("sigmoid_grad_at_-100"),
    "x = 100": lambda: (
        _naive_inputs("sigmoid_positive_form_at_100")
        and _naive_inputs("softplus_at_100")
    ),
    "x = -20": lambda: _naive_inputs("softplus_at_-20"),
    "(1000, 0)": lambda: _naive_inputs("softmax_of_[1000,0]"),
    "(0, -200)": lambda: _naive_inputs("log_softmax_of_[0,-200]"),
    r"m = \max_j z_j": _max_shift_changes_nothing,
    r"\pm\infty": NOTATION,
    r"+\infty": NOTATION,
    r"-\infty": NOTATION,
    r"\infty": NOTATION,
    # the error measure the test of low-precision outputs divides by (a definition)
    r"\max(|f(x)|, 1)": NOTATION,
    # softmax
    "K": NOTATION,
    r"\mathbf{z} = (z_1, \dots, z_K)": NOTATION,
    "c": NOTATION,
    "e^{z_j}": NOTATION,
    "e^c": lambda: (
        sp.expand(sp.exp(_z1 + _c), power_exp=True) == sp.exp(_z1) * sp.exp(_c)
    ),
    "T > 0": NOTATION,
    r"T \to 0": NOTATION,
    r"T \to \infty": NOTATION,
    r"\Delta": NOTATION,
    # a logit Delta below the largest has a term e^{-Delta/T} times the largest's
    r"e^{-\Delta / T}": lambda: (
        sp.simplify(sp.exp((_z1 - _gap) / _t) / sp.exp(_z1 / _t) - sp.exp(-_gap / _t))
        == 0
    ),
    r"1 - \max_i p_i": NOTATION,
    "e^{z_1}": NOTATION,
    "z_1 - z_2": lambda: (
        sp.simplify((_softmax([_z1, _z2])[0] - _sig(_z1 - _z2)).rewrite(sp.exp)) == 0
    ),
    "z": NOTATION,
    "(z, 0)": lambda: (
        sp.simplify((_softmax([_z1, 0])[0] - _sig(_z1)).rewrite(sp.exp)) == 0
    ),
    "y": NOTATION,
    # softmax: the Jacobian, cross-entropy's gradient and softmin (three symbolic logits)
    r"p_i = \operatorname{softmax}(\mathbf{z})_i": NOTATION,
    "p_i": NOTATION,
    "i": NOTATION,
    "j": NOTATION,
    r"\partial p_i / \partial z_j": NOTATION,
    "p_1 (1 - p_1)": lambda: _jac_is(lambda p, i, j: p[0] * (1 - p[0]), (0, 0)),
    "-p_1 p_2": lambda: _jac_is(lambda p, i, j: -p[0] * p[1], (0, 1)),
    r"\delta_{ij}": NOTATION,
    "i = j": NOTATION,
    r"\mathbf{p}": NOTATION,
    r"\operatorname{diag}(\mathbf{p})": NOTATION,
    "p_i (1 - p_i)": lambda: _jac_is(lambda p, i, j: p[i] * (1 - p[i]), _DIAG),
    r"\sum_j p_i(\delta_{ij} - p_j) = p_i - p_i \sum_j p_j = 0": lambda: all(
        sp.simplify(sum(_jac()[i, :])) == 0 for i in range(3)
    ),
    "p_i > 0": lambda: all(sp.exp(z).is_positive for z in (_z1, _z2, _z3)),
    # a singular 3 x 3 Jacobian whose rank is 2, at logits (0, 1, 2)
    "K - 1": lambda: (
        _jac()
        .subs({_z1: 0, _z2: 1, _z3: 2})
        .evalf()
        .rank(iszerofunc=lambda v: abs(v) < 1e-12)
        == 2
    ),
    r"i \neq j": NOTATION,
    r"\partial p_j / \partial z_i": lambda: (
        sp.simplify(_jac() - _jac().T) == sp.zeros(3, 3)
    ),
    "-p_i p_j": lambda: _jac_is(lambda p, i, j: -p[i] * p[j], _OFF_DIAG),
    r"\mathbf{p} - \mathbf{y}": lambda: all(
        sp.simplify(
            sp.diff(-sp.log(_softmax(_Z)[y]), _Z[j]) - (_softmax(_Z)[j] - int(j == y))
        )
        == 0
        for y in range(3)
        for j in range(3)
    ),
    r"\mathbf{y}": NOTATION,
    "p_y - 1": lambda: (
        sp.simplify(sp.diff(-sp.log(_softmax(_Z)[0]), _Z[0]) - (_softmax(_Z)[0] - 1))
        == 0
    ),
    # the mean over N rows divides each row's gradient by N (a linear map)
    r"(\mathbf{p} - \mathbf{y}) / N": lambda: (
        sp.simplify(
            sp.diff(-sp.log(_softmax(_Z)[0]) / _n + sp.Symbol("rest") / _n, _Z[1])
            - _softmax(_Z)[1] / _n
        )
        == 0
    ),
    "N": NOTATION,
    r"w_y (\mathbf{p} - \mathbf{y}) / \sum_n w_{y_n}": _weighted_mean_gradient,
    "q_j": NOTATION,
    r"\mathbf{p} = \mathbf{q}": NOTATION,
    "z_j": NOTATION,
    "-z_j": NOTATION,
    r"-\mathbf{z}": NOTATION,
    r"\operatorname{diag}(\mathbf{p}) - \mathbf{p}\mathbf{p}^{T}": lambda: (
        sp.simplify(_jac() - (sp.diag(*_softmax(_Z)) - _pvec() * _pvec().T))
        == sp.zeros(3, 3)
    ),
    # spans mixing typed math with facts ({{}}): a symbol given a value the build
    # computes, or a bound whose number is a fact and whose sentence has a claim id
    r"x \in [{{}}, {{}}]": NOTATION,
    r"y \in [{{}}, {{}}]": NOTATION,
    "x = {{}}": NOTATION,
    r"\sigma({{}} z)": NOTATION,
    r"\beta = {{}}": NOTATION,
    "= {{}}": NOTATION,
    "[{{}}, {{}}]": NOTATION,
    r"|x| \ge {{}}": NOTATION,  # claim vanishing-gelu-close-to-relu-far-from-0
    r"\epsilon = {{}}": NOTATION,
    r"x \le {{}}": NOTATION,  # claim numerical-stability-exp-overflow
    r"x \ge {{}}": NOTATION,  # the same claim
    # claim softmax-one-hot-bound
    r"1 - \max_i \operatorname{softmax}_T(\mathbf{z})_i \le {{}},": NOTATION,
    r"{{}}, \qquad {{}}.": NOTATION,
    "({{}})": NOTATION,
    "T = {{}}": NOTATION,
    "N = {{}}": NOTATION,
    r"\varepsilon = {{}}": NOTATION,
    "y = {{}}": NOTATION,
    r"\mathbf{p} = ({{}})": NOTATION,
    r"\mathbf{p} - \mathbf{y} = ({{}})": NOTATION,  # claim softmax-example-gradient-...
    "(l + u)/2 = {{}}": _rrelu_slope_is_mean_of_bounds,
    r"-\log p_y = -\log {{}} = {{}}": _example_loss_is_minus_log_p_y,
    # registry summaries
    r"\log \sigma(x)": lambda: _same(
        BY_KEY["logsigmoid"].checked_expr, sp.log(_sig(x))
    ),
    r"x - \tanh(x)": lambda: _same(BY_KEY["tanhshrink"].checked_expr, x - sp.tanh(x)),
    r"[-\lambda, \lambda]": _shrinks_are_zero_on_minus_lambda_to_lambda,
    "2x": lambda: (
        sp.simplify(
            sp.diff(BY_KEY["relu_squared"].checked_expr.subs(x, _xp), _xp) - 2 * _xp
        )
        == 0
    ),
    # exercises: sigmoid-tanh
    "s(1 - s) = {{}}": _half_slope_values,
    "s = {{}}": NOTATION,  # the two roots, checked with s(1 - s) above
    r"x = \pm {{}} \approx \pm {{}}": NOTATION,  # tests/exercises check the value
    r"\left({{}}\right)^5": NOTATION,  # the question's guess
    # exercises: relu-family
    r"\mathbb{E}[\operatorname{ReLU}(z)^2] = {{}}": _relu_second_moment,
    "v = {{}}": NOTATION,
    "b = {{}}": NOTATION,
    "x < {{}}": NOTATION,
    # exercises: vanishing-gradients
    "({{}})^L": NOTATION,
    r"L > \log({{}}) / \log({{}})": _layers_to_a_millionth,
    r"1 - \tanh^2(x) \ge {{}}": _tanh_band,
    r"|\tanh(x)| \le {{}}": _tanh_band,
    r"|x| \le {{}} \approx {{}}": _tanh_band,
    # exercises: smooth-modern
    r"x\,\Phi(x)": lambda: _same(BY_KEY["gelu"].checked_expr, x * _normal_cdf(x)),
    r"\Phi(x) + x\,\varphi(x)": lambda: _is_zero(
        sp.diff(x * _normal_cdf(x), x)
        - (_normal_cdf(x) + x * sp.exp(-(x**2) / 2) / sp.sqrt(2 * sp.pi))
    ),
    r"\sigma(x) + x\,\sigma(x)(1 - \sigma(x))": lambda: _is_zero(
        (sp.diff(x * _sig(x), x) - (_sig(x) + x * _sig(x) * (1 - _sig(x)))).rewrite(
            sp.exp
        )
    ),
    r"\sigma(x)\,\big(1 + x(1 - \sigma(x))\big) = 0": _silu_minimum_steps,
    r"1 + x(1 - \sigma(x)) = 0": _silu_minimum_steps,
    r"\sigma(x) = 1 + 1/x": _silu_minimum_steps,
    r"x\,\sigma(x) = x + 1": _silu_minimum_steps,
    # SiLU's gap to ReLU on each side: relu - silu
    r"-x\,\sigma(x)": _silu_relu_gap,
    r"x\,\sigma(-x)": _silu_relu_gap,
    "x = 0": NOTATION,
    "x > 0": NOTATION,
    r"\varphi": NOTATION,
    "W": NOTATION,
    "w e^w": NOTATION,
    # spans of facts around a typed "\approx", scoped to this page (the facts are the
    # exact and rounded values; tests/exercises check both)
    ("smooth-modern", r"x = {{}} \approx {{}}"): NOTATION,
    ("smooth-modern", r"{{}} \approx {{}}"): NOTATION,
    # exercises: gated
    r"f = a\,\sigma(b)": lambda: _is_zero(
        api.formula("gated_glu").expr
        - api.formula("gated_glu").args[0]
        * _sig(x).subs(x, api.formula("gated_glu").args[1])
    ),
    r"b \to -\infty": NOTATION,
    r"\sigma(b)(1 - \sigma(b))": lambda: _is_zero(
        (sp.diff(_sig(x), x) - _sig(x) * (1 - _sig(x))).rewrite(sp.exp)
    ),
    "2dh": _ffn_counts,
    "w": NOTATION,
    r"d \times w": NOTATION,
    "3dw": _ffn_widths_equal,
    "w = 2h/3": _ffn_widths_equal,
    # exercises: numerical-stability
    "2^{ {{}} }": NOTATION,  # facts: float32's and float64's exponents and gaps
    "e^x > 0": NOTATION,
    "1 + e^x": NOTATION,
    r"\log(1 - \sigma(x))": NOTATION,
    r"\sigma(40)": NOTATION,
    r"1 - \sigma(x)": NOTATION,
    r"1 - \sigma(x) = \sigma(-x)": lambda: _is_zero(
        (1 - _sig(x) - _sig(-x)).rewrite(sp.exp)
    ),
    # exercises: softmax
    r"\operatorname{softmax}_T": NOTATION,
    r"\Delta > 0": NOTATION,  # the condition the one-hot bound needs
    "T": NOTATION,
    "z_i": NOTATION,
    "m": NOTATION,
    r"\log \sum_j e^{z_j} = m + \log \sum_j e^{z_j - m}": _logsumexp_shift,
    # softmax: label smoothing's target for the snippet's classes (facts)
    "q_y = {{}}": NOTATION,  # claim label-smoothing-minimum-at-q
    "K = {{}}": NOTATION,
    # smooth-modern: Squareplus
    "b": NOTATION,
    "b > 0": lambda: bool(B_SQ.is_positive),  # the registry's symbol
    "b = 4": lambda: BY_KEY["squareplus"].params[B_SQ] == 4,
    r"1/(2\sqrt{b})": _squareplus_curvature_at_0,
    "1/4": _squareplus_curvature_at_0,
    "f(x) - f(-x) = x": _squareplus_identities,
    r"f(x)\,f(-x) = b/4": _squareplus_identities,
    r"f(0) = \sqrt{b}/2": _squareplus_identities,
    r"f''(0) = 1/(2\sqrt{b})": _squareplus_curvature_at_0,
    r"\sqrt{x^2 + b}": NOTATION,
    "x = -10^8": NOTATION,  # claim smooth-modern-squareplus-far-left
    r"f(x) = b / \big(2(\sqrt{x^2 + b} - x)\big)": _squareplus_stable_left,
    "x < 0": NOTATION,
    # gated
    # every gated unit is a times its gate at b, the gate the registry's function
    r"a \odot g(b)": lambda: all(
        _is_zero(g.expr - GLU_A * BY_KEY[g.gate].checked_expr.subs(x, GLU_B))
        and g.expr.diff(GLU_A).has(GLU_B)
        and not g.expr.diff(GLU_A).has(GLU_A)
        for g in api.GATED
    ),
    r"\odot": NOTATION,
    "g(b)": NOTATION,
    "d": NOTATION,
    "h": NOTATION,
    r"d \times h": NOTATION,
    "2h/3": _ffn_counts,
    "d = {{}}": NOTATION,
    "h = {{}}": NOTATION,
    "2dh + h + d": _ffn_counts,
    "2dh + 4h/3 + d": _ffn_counts,
    "h/3": _ffn_counts,
    # explorer
    "f'": NOTATION,
    r"10^{-12}": lambda: (
        __import__("tests.activations.explorer_check", fromlist=["RTOL"]).RTOL == 1e-12
    ),
    # the forms in which PyTorch's float64 formulas cancel: each is the function named
    r"1 - \tanh^2 x": lambda: (
        sp.simplify(sp.diff(sp.tanh(x), x) - (1 - sp.tanh(x) ** 2)) == 0
    ),
    r"1 + \operatorname{erf}": lambda: _same(
        BY_KEY["gelu"].checked_expr, x / 2 * (1 + sp.erf(x / sp.sqrt(2)))
    ),
    r"(1 - \sigma)\sigma": lambda: (
        sp.simplify((sp.diff(_sig(x), x) - (1 - _sig(x)) * _sig(x)).rewrite(sp.exp))
        == 0
    ),
    # the exercises of sigmoid-tanh, relu-family and vanishing-gradients
    r"\sigma(x)": NOTATION,
    r"s = \sigma(x)": NOTATION,
    r"x = \log(s / (1 - s))": lambda: _is_zero(
        _sig(
            sp.log(sp.Symbol("s", positive=True) / (1 - sp.Symbol("s", positive=True)))
        )
        - sp.Symbol("s", positive=True)
    ),
    r"y = \sigma(\sigma(\sigma(\sigma(\sigma(x)))))": NOTATION,
    "dy/dx": NOTATION,
    # hardsigmoid's corners, where it reaches 0 and 1 (the question's -3 and 3)
    "-3": lambda: F.hardsigmoid(torch.tensor(-3.0, dtype=torch.float64)).item() == 0.0,
    "3": lambda: F.hardsigmoid(torch.tensor(3.0, dtype=torch.float64)).item() == 1.0,
    r"\sigma^2": NOTATION,
    r"\mathbb{E}[\operatorname{ReLU}(z)^2]": NOTATION,
    r"\mathbb{E}[z^2]": NOTATION,
    "n": NOTATION,
    # n inputs, weights of variance v, each input's second moment sigma^2 / 2
    r"n v \sigma^2 / 2": lambda: _is_zero(
        sp.integrate(
            x**2
            * sp.exp(-(x**2) / (2 * sp.Symbol("sigma", positive=True) ** 2))
            / (sp.Symbol("sigma", positive=True) * sp.sqrt(2 * sp.pi)),
            (x, 0, sp.oo),
        )
        - sp.Symbol("sigma", positive=True) ** 2 / 2
    ),
    r"\operatorname{ReLU}(x + b)": NOTATION,
    "x + b < 0": NOTATION,
    "L": NOTATION,
    r"1 - \tanh^2(x)": lambda: (
        sp.simplify(sp.diff(sp.tanh(x), x) - (1 - sp.tanh(x) ** 2)) == 0
    ),
    r"x + \sigma(Wx + b)": NOTATION,
    r"\sigma(Wx + b)": NOTATION,
    # the unit of the explorer test's floor where torch's formula cancels (a definition)
    r"\max(1, |x|)": NOTATION,
    # that floor, as the test computes it
    r"4 \varepsilon \max(1, |x|)": lambda: all(
        __import__("tests.activations.explorer_check", fromlist=["EPS"]).cancel_floor(v)
        == 4 * 2**-52 * max(1, abs(v))
        for v in (0.5, 1.0, 3.0, -3.0)
    ),
    r"\varepsilon = 2^{-52}": lambda: (
        __import__("tests.activations.explorer_check", fromlist=["EPS"]).EPS == 2**-52
    ),
}


def typed_math(page: str) -> list[str]:
    """The inline and display math a page's Markdown types itself, and the math in the
    registry summaries printed on it. In a span that mixes typed math with facts each
    {{ ... }} becomes {{}}, so the typed part is listed too; a span of facts alone is
    printed from code and is left out."""
    summaries = [a.summary for a in ACTIVATIONS if a.page == page and a.summary]
    text = re.sub(r"```.*?```", "", "\n\n".join([PAGES[page], *summaries]), flags=re.S)
    display = [
        re.sub(r"\s+", " ", d).strip() for d in re.findall(r"\$\$(.+?)\$\$", text, re.S)
    ]
    text = re.sub(r"\$\$.+?\$\$", "", text, flags=re.S)
    inline = re.findall(r"\$([^$\n]+?)\$", text)
    spans = [re.sub(r"\{\{.*?\}\}", "{{}}", m) for m in display + inline]
    return [m for m in spans if m.strip() != "{{}}"]


def test_typed_math_is_listed_and_checked() -> None:
    """The index says formulas on these pages are printed from sympy expressions, and
    that the few typed in the prose are checked: each is listed above, and each listed
    identity, range or parameter value holds in sympy (or against the registry)."""
    seen = set()
    for page in TYPED_MATH_PAGES:
        for span in typed_math(page):
            # a key (page, span) holds for that page only; a plain span for every page
            key = (page, span) if (page, span) in TYPED_MATH else span
            assert key in TYPED_MATH, (page, span)
            seen.add(key)
    for span, check in TYPED_MATH.items():
        if check is not NOTATION:
            assert check(), span
    assert seen == set(TYPED_MATH), set(TYPED_MATH) - seen  # no stale entries
    # the index says so, and no longer that nothing is typed or that every function has
    # a from-scratch version (several have none)
    index = prose("index")
    assert "No number or formula on these pages is typed by hand" not in index
    assert "{{ act.scratch_share }} also have a from-scratch" in index
    assert "typed into the prose of every page of this chapter" in index
    # one symbol, one meaning: g is the gain on vanishing-gradients, a gradient is delta
    vanish = prose("vanishing-gradients")
    assert "the gain $g$" in vanish and "a gradient $g$" not in vanish
    assert r"\cdot g" not in vanish
    assert "are each checked with sympy" not in index  # half are notation
    assert "are each either notation (a symbol being named) or" in index
    assert "checked by a test, with sympy or against the code they describe" in index
    assert any(c is NOTATION for c in TYPED_MATH.values())
    assert set(TYPED_MATH_PAGES) == set(PAGES)
    assert any(a.scratch is None for a in ACTIVATIONS)
    # the check can fail: a wrong identity is caught
    assert not _same(BY_KEY["quick_gelu"].checked_expr, x * _sig(x))


MONTHS = list(calendar.month_name)[1:]


def test_named_sources_are_cited_by_key() -> None:
    """Krizhevsky (2010), Dugas et al. (2000), Xu et al. (2015) and So et al. (2021) were
    typed as text in the tables and prose, so no References list had them; now each is a
    bibliography key that the index's and the family pages' references list. The only
    unlinked sources left are those with nothing to link, and the index names them
    under its references."""
    assert BY_KEY["relu6"].paper == "krizhevsky2010"
    assert BY_KEY["softplus"].paper == "dugas2000"
    assert "xu2015" in [p for p, _ in BY_KEY["rrelu"].later]
    unlinked = {
        a.key
        for a in ACTIVATIONS
        for s in introduced_by(a) + later_sources(a)
        if isinstance(s, api.Unlinked)
    }
    assert unlinked <= {"sigmoid", "rrelu"}
    facts = get_facts("act")
    index = PAGES["index"] + facts["table"] + facts["usage_table"]
    cited = set(bibliography.cited_keys(index))
    assert {"krizhevsky2010", "dugas2000", "xu2015", "so2021"} <= cited
    assert "{{ act.unlinked_sources }}" in PAGES["index"].split("{{ references }}")[1]
    assert "Verhulst" in facts["unlinked_sources"]
    # no author-year citation typed as text, in the prose or in the generated tables
    typed = re.compile(r"\b([A-Z][a-zé]+)(?: et al\.)?(?: \(|, )(1[89]|20)\d\d\b")
    for page in TYPED_MATH_PAGES:
        text = PAGES[page] + (facts["usage_table"] if page == "index" else "")
        text = re.sub(r"\{\{.*?\}\}", "", text)
        for act in ACTIVATIONS:  # an unlinked source is text by design
            for src in introduced_by(act):
                if isinstance(src, api.Unlinked):
                    text = text.replace(src.text, "")
        found = [m.group(0) for m in typed.finditer(text) if m.group(1) not in MONTHS]
        assert not found, (page, found)
