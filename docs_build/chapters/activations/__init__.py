"""The activation-function chapter: one registry drives formulas, figures, table and tests.

Each :class:`Activation` names its formula (one sympy expression, printed as LaTeX and
checked against PyTorch by tests/test_formulas.py), the torch function it must equal,
optionally a from-scratch function in ``snippets/activations/functions.py``, and its
properties. One entry in ACTIVATIONS is all a new function needs: its table rows, its
section on its family page (card and figure, appended by ``{{ act_pages.<page> }}`` unless
the page places them by hand) and its tests (tests/activations/ loop over ACTIVATIONS).

This module serves the overview (index.md) and the three family pages. The chapter's other
pages have a module each beside it, named for the page (softmax.py, numerical_stability.py,
vanishing_gradients.py, gated.py): they import this registry, never one another.
"""

from __future__ import annotations

import functools
import inspect
import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp

from docs_build.common import Lazy, LazyModule, count_word
from docs_build.formulas import formula, torch_function, x
from docs_build.registry import ROOT, facts, figure

# Imported when a function first uses them: the build imports this registry without torch.
torch = LazyModule("torch")
F = LazyModule("torch.nn.functional")


def _functions():
    """snippets/activations/functions.py, our from-scratch code (imported on first use)."""
    from activations import functions

    return functions


alpha = sp.Symbol("alpha", positive=True)
lam = sp.Symbol("lambda", positive=True)
a = sp.Symbol("a", positive=True)
beta = sp.Symbol("beta", positive=True)
# F.softplus's threshold: it returns x itself where beta * x exceeds it (`torch_form`)
softplus_tau = sp.Symbol("threshold", positive=True)
theta = sp.Symbol("theta")  # Threshold's threshold and the value below it
value_s = sp.Symbol("v")
lower_s = sp.Symbol("l", positive=True)  # RReLU's lower and upper slope bounds
upper_s = sp.Symbol("u", positive=True)
# Hardtanh's clipping bounds (torch's min_val and max_val)
min_val = sp.Symbol("m", negative=True)
max_val = sp.Symbol("M", positive=True)

SELU_ALPHA = sp.Float("1.6732632423543772848170429916717", 30)
SELU_SCALE = sp.Float("1.0507009873554804934193349852946", 30)

# Every function is plotted on these axes, so shapes and slopes compare at a glance.
X_LIMITS = (-5.0, 5.0)
Y_LIMITS = (-2.0, 3.0)


@dataclass(frozen=True)
class Unlinked:
    """A source with no entry in docs_build/bibliography.py, because there is no DOI, arXiv
    id or URL to link it to: printed as its text."""

    text: str  # "Verhulst, 1838 and 1845 (the logistic curve, for population growth)"


# A paper is a key of docs_build/bibliography.py ("nair2010"), or an Unlinked source.
Source = str | Unlinked
Papers = Source | tuple[Source, ...] | None


def sources(papers: Papers) -> tuple[Source, ...]:
    """One or more papers as a tuple (empty for None)."""
    if papers is None:
        return ()
    return papers if isinstance(papers, tuple) else (papers,)


def cite(papers: Papers) -> str:
    """One or more papers as Markdown: ``{{ cite key }}`` placeholders, which the build
    renders as linked citations (and lists under the page's references), an unlinked
    source as its text, "—" where none is cited."""
    if papers is None:
        return "—"
    return "; ".join(
        p.text if isinstance(p, Unlinked) else f"{{{{ cite {p} }}}}"
        for p in sources(papers)
    )


# Constants printed as their usual symbol or decimal (GELU's tanh fit), substituted with
# their exact values in every check and plot (`Activation.constants`).
GELU_C = sp.Symbol("0.044715", positive=True)
SQRT_2_OVER_PI = sp.Symbol(r"\sqrt{2/\pi}", positive=True)
QUICK_GELU_C = sp.Symbol("1.702", positive=True)


@dataclass(frozen=True)
class Activation:
    """One element-wise activation function and everything the site states about it."""

    key: str  # figure activations/<key>, facts act.<key>_*
    title: str
    page: str  # docs/activations/<page>.md shows its card and figure
    expr: sp.Expr  # f(x), parameters as symbols; printed on the page
    reference: Callable[
        [torch.Tensor], torch.Tensor
    ]  # PyTorch's own, at the values in `params`
    lower: (
        sp.Expr | None
    )  # infimum of the range; None: an interior minimum, found by sympy
    upper: sp.Expr
    lower_closed: bool  # the infimum is attained
    upper_closed: bool
    monotonic: bool  # non-decreasing everywhere
    odd: bool  # f(-x) = -f(x)
    zero_centred: bool  # E[f(Z)] = 0 for Z ~ N(0, 1)
    smoothness: str  # "discontinuous", "C0" (kinks), "C1", "Cinf"
    kinks: tuple[float, ...]  # where f or f' is not smooth
    saturates: str  # where f' -> 0: "both", "left" (x -> -inf), "right", "no"
    use: str
    paper: Papers  # the paper that introduced it; None where no source is confirmed
    params: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)  # see params_source
    # Where the values in `params` come from, as the card says it: PyTorch's defaults, its
    # fixed values (SELU's, which torch takes no argument for), or our choice where
    # PyTorch has no defaults or no such function.
    params_source: str = "PyTorch's defaults"
    # Later papers that shaped how it is used, each with what that paper itself reports (not
    # the one that introduced it). Not "popularized by": a paper cannot say that of itself.
    later: tuple[tuple[Source, str], ...] = ()
    # Names printed in place of what they stand for, not parameters (GELU's 0.044715 and
    # sqrt(2/pi) in `expr`, sigma(x) in a textbook derivative): their exact values, which
    # every check substitutes.
    constants: dict[sp.Expr, sp.Expr] = field(default_factory=dict)
    # The derivative as textbooks write it, printed instead of sympy's simplified one; a
    # test proves it equal to d/dx of `expr`.
    textbook_derivative: sp.Expr | None = None
    # Optional card row "Note": what else PyTorch's function does, computed when the card is.
    note: Callable[[], str] | None = None
    convention: str = ""  # derivative at the kinks, as PyTorch's autograd returns it
    min_guess: float = -1.0  # starting point for sympy's search of an interior minimum
    # How the printed derivative is tidied: sympy's simplify, unless that is slow for nothing.
    tidy: Callable[[sp.Expr], sp.Expr] = sp.simplify
    # Ours, from snippets/activations/functions.py. Optional: without it, the formula itself
    # (evaluated in torch, see `fn`) is plotted and checked against `reference`.
    scratch: Callable[[torch.Tensor], torch.Tensor] | None = None
    summary: str = (
        ""  # prose under the heading of a generated section (Markdown, optional)
    )
    # Where PyTorch's function is not quite the formula (F.softplus returns x above its
    # threshold): f as PyTorch computes it, with the extra parameters that form has and
    # their PyTorch defaults. The card and the figure stay the formula's; the explorer
    # can show this form, and the tests compare it with PyTorch's function.
    torch_form: sp.Expr | None = None
    torch_params: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)

    def __repr__(self) -> str:
        """One line in a failing test's output, not every field of the entry."""
        return f"Activation({self.key!r})"

    @functools.cached_property
    def fn(self) -> Callable[[torch.Tensor], torch.Tensor]:
        """What the site plots and measures: the from-scratch code, or else the formula with
        PyTorch's defaults, evaluated in torch (its autograd derivative is the printed one)."""
        return (
            self.scratch
            if self.scratch is not None
            else torch_function(self.checked_expr)
        )

    @property
    def anchor(self) -> str:
        """The id of its section on its page: relu-family.md#leaky-relu."""
        return self.key.replace("_", "-")

    @property
    def checked_expr(self) -> sp.Expr:
        """The expression with the values in `params` (and exact constants) substituted."""
        return self.expr.subs(self.params).subs(self.constants)

    def derivative(self) -> sp.Expr:
        """f'(x) as printed: the textbook form where one is given, else sympy's, tidied
        (the tests check both against autograd, and the textbook one against sympy's)."""
        return self._derivative

    def derived_derivative(self) -> sp.Expr:
        """d/dx of `expr` by sympy, tidied: what a textbook form must equal."""
        return self._derived

    @functools.cached_property
    def _derived(self) -> sp.Expr:
        return self.tidy(sp.diff(self.expr, x))

    @functools.cached_property
    def _derivative(self) -> sp.Expr:
        if self.textbook_derivative is not None:
            return self.textbook_derivative
        return self._derived  # the card and the facts share it

    def infimum(self) -> tuple[sp.Expr, sp.Expr | float | None]:
        """(inf f, the x where it is attained or None); interior minima are solved for:
        exactly, piece by piece, for a Piecewise formula, else numerically from `min_guess`."""
        if self.lower is not None:
            return self.lower, None
        return self._minimum

    @functools.cached_property
    def _minimum(self) -> tuple[sp.Expr, sp.Expr | float]:
        f = self.checked_expr
        if isinstance(f, sp.Piecewise):
            critical = []
            for piece, cond in f.as_expr_set_pairs(sp.Reals):
                roots = sp.solveset(sp.diff(piece, x), x, cond)
                if isinstance(roots, sp.FiniteSet):  # a constant piece has no minimum
                    critical += [r for r in roots if not piece.is_constant()]
            x_min = min(critical, key=lambda r: f.subs(x, r))
            return sp.nsimplify(f.subs(x, x_min)), x_min
        x_min = float(sp.nsolve(sp.diff(f, x), x, self.min_guess))
        return sp.Float(float(f.subs(x, x_min)), 15), x_min


def _step(v: torch.Tensor) -> torch.Tensor:
    return torch.heaviside(v, torch.ones_like(v))


def _prelu(v: torch.Tensor) -> torch.Tensor:
    return F.prelu(v, torch.tensor([0.25], dtype=v.dtype))


def _gelu_tanh(v: torch.Tensor) -> torch.Tensor:
    return F.gelu(v, approximate="tanh")


def _sigmoid_expr() -> sp.Expr:
    return 1 / (1 + sp.exp(-x))


def _softplus_expr() -> sp.Expr:
    return sp.log(1 + sp.exp(x))


def softplus_defaults() -> dict[str, float]:
    """torch.nn.Softplus's default beta and threshold, read from its signature."""
    defaults = inspect.signature(torch.nn.Softplus).parameters
    return {k: defaults[k].default for k in ("beta", "threshold")}


# The same defaults as the entry states them, written here so that the registry loads
# without torch; a test holds them equal to softplus_defaults(), and the formula checks
# compare the entry with F.softplus.
SOFTPLUS_DEFAULTS = {"beta": 1.0, "threshold": 20.0}


# Softplus with its slope parameter beta, as torch.nn.Softplus defines it.
SOFTPLUS_BETA = sp.log(1 + sp.exp(beta * x)) / beta


# sigma(x) and softplus(x) as names in printed derivatives (`Activation.constants`).
SIGMA = sp.Function("sigma")
SOFTPLUS = sp.Function("softplus")

# Functions PyTorch has no name for: the reference is written with torch's own functions.
SWISH_BETA = 2  # our choice for Swish-beta's plot and checks (beta = 1 is SiLU)
QUICK_GELU_SLOPE = sp.Rational(1702, 1000)
THRESHOLD, THRESHOLD_VALUE = 1.0, 0.0  # our choice: torch.nn.Threshold has no defaults


def _relu_squared(v: torch.Tensor) -> torch.Tensor:
    return F.relu(v) ** 2


def _quick_gelu(v: torch.Tensor) -> torch.Tensor:
    return v * torch.sigmoid(1.702 * v)


def _swish_beta(v: torch.Tensor) -> torch.Tensor:
    return v * torch.sigmoid(SWISH_BETA * v)


def _threshold(v: torch.Tensor) -> torch.Tensor:
    return F.threshold(v, THRESHOLD, THRESHOLD_VALUE)


# Squareplus (Barron, 2021): PyTorch has no function for it. b = 4 is our choice: then
# f''(0) = 1/(2 sqrt(b)) = 1/4, softplus's curvature at 0 (smooth-modern.md states it).
b_sq = sp.Symbol("b", positive=True)
SQUAREPLUS_B = 4


def _squareplus(v: torch.Tensor) -> torch.Tensor:
    # x + sqrt(x^2 + b) adds two nearly opposite numbers for x << 0 (float64 gives 7.45e-9
    # at -1e8, not 1e-8); there b / (2 (sqrt(x^2 + b) - x)) is the same number without
    # the cancellation. Each branch sees only its own side of 0, so neither makes inf/NaN.
    neg, pos = v.clamp(max=0), v.clamp(min=0)
    left = SQUAREPLUS_B / (2 * (torch.sqrt(neg * neg + SQUAREPLUS_B) - neg))
    right = (pos + torch.sqrt(pos * pos + SQUAREPLUS_B)) / 2
    return torch.where(v < 0, left, right)


def _rrelu_eval(v: torch.Tensor) -> torch.Tensor:
    return F.rrelu(v, training=False)


def _prelu_scratch(v: torch.Tensor) -> torch.Tensor:
    return _functions().prelu(v, torch.tensor([0.25]))


# QuickGELU's largest gap to exact GELU, on a grid of step 1e-5 over [-10, 10] (beyond, GELU
# is within 1e-20 of ReLU and QuickGELU within 1e-6, far below the gap near |x| = 2.27);
# the gap's slope is below 2, so between grid points it rises by less than 2e-5. The
# summary states it rounded up to 2 significant digits.
QUICK_GELU_GRID = (-10.0, 10.0, 2_000_001)  # torch.linspace's start, end and steps


@functools.cache
def quick_gelu_gap() -> tuple[float, float]:
    """(max |QuickGELU - GELU| on the grid, the x where it is largest)."""
    grid = torch.linspace(*QUICK_GELU_GRID, dtype=torch.float64)
    gap = (_quick_gelu(grid) - F.gelu(grid)).abs()
    i = int(gap.argmax())
    return gap[i].item(), grid[i].item()


def round_up(value: float, digits: int = 2) -> float:
    """``value`` rounded up to ``digits`` significant digits (a safe upper bound)."""
    exponent = math.floor(math.log10(value)) - digits + 1
    return math.ceil(value / 10**exponent) * 10**exponent


def quick_gelu_bound() -> float:
    """The summary's bound on QuickGELU's gap to GELU."""
    return round_up(quick_gelu_gap()[0])


ACTIVATIONS: tuple[Activation, ...] = (
    Activation(
        key="binary_step",
        title="Binary step",
        page="sigmoid-tanh",
        expr=sp.Piecewise((0, x < 0), (1, True)),
        reference=_step,
        scratch=Lazy(_functions, "binary_step"),
        lower=sp.Integer(0),
        upper=sp.Integer(1),
        lower_closed=True,
        upper_closed=True,
        monotonic=True,
        odd=False,
        zero_centred=False,
        smoothness="discontinuous",
        kinks=(0.0,),
        saturates="both",
        use="Perceptrons; not trainable by gradient descent",
        paper="mcculloch1943",
        # f' = 0 wherever it exists; at the jump there is none (sympy leaves it undefined)
        textbook_derivative=sp.Piecewise((0, sp.Ne(x, 0))),
        convention="the step itself takes the value 1 at 0, as torch.heaviside(x, 1) does",
    ),
    Activation(
        key="identity",
        title="Linear (identity)",
        page="sigmoid-tanh",
        expr=x,
        reference=Lazy("torch.nn", "Identity", instance=True),
        scratch=Lazy(_functions, "identity"),
        lower=-sp.oo,
        upper=sp.oo,
        lower_closed=False,
        upper_closed=False,
        monotonic=True,
        odd=True,
        zero_centred=True,
        smoothness="Cinf",
        kinks=(),
        saturates="no",
        use="Regression output layer",
        paper=None,
    ),
    Activation(
        key="sigmoid",
        title="Sigmoid (logistic)",
        page="sigmoid-tanh",
        expr=_sigmoid_expr(),
        reference=Lazy("torch", "sigmoid"),
        scratch=Lazy(_functions, "sigmoid"),
        lower=sp.Integer(0),
        upper=sp.Integer(1),
        lower_closed=False,
        upper_closed=False,
        monotonic=True,
        odd=False,
        zero_centred=False,
        smoothness="Cinf",
        kinks=(),
        saturates="both",
        use="Binary output (probability); gates in LSTM/GRU",
        paper=Unlinked(
            "Verhulst, 1838 and 1845 (the logistic curve, for population growth)"
        ),
        later=(
            ("rumelhart1986", "trained networks of logistic units by back-propagation"),
        ),
    ),
    Activation(
        key="tanh",
        title="Tanh",
        page="sigmoid-tanh",
        expr=sp.tanh(x),
        reference=Lazy("torch", "tanh"),
        scratch=Lazy(_functions, "tanh"),
        lower=sp.Integer(-1),
        upper=sp.Integer(1),
        lower_closed=False,
        upper_closed=False,
        monotonic=True,
        odd=True,
        zero_centred=True,
        smoothness="Cinf",
        kinks=(),
        saturates="both",
        use="Hidden layers of small or recurrent nets (RNN, LSTM state)",
        paper=None,  # a classical function; no paper introduced it as an activation
    ),
    Activation(
        key="softsign",
        title="Softsign",
        page="sigmoid-tanh",
        expr=x / (1 + sp.Abs(x)),
        reference=Lazy("torch.nn.functional", "softsign"),
        scratch=Lazy(_functions, "softsign"),
        lower=sp.Integer(-1),
        upper=sp.Integer(1),
        lower_closed=False,
        upper_closed=False,
        monotonic=True,
        odd=True,
        zero_centred=True,
        smoothness="C1",
        kinks=(0.0,),
        saturates="both",
        use="Rare; a cheaper tanh with slower saturation",
        paper=None,
        textbook_derivative=1 / (1 + sp.Abs(x)) ** 2,
        convention="the derivative is continuous there; only the second derivative jumps",
    ),
    Activation(
        key="hardtanh",
        title="Hardtanh",
        page="sigmoid-tanh",
        expr=sp.Piecewise((min_val, x <= min_val), (max_val, x >= max_val), (x, True)),
        params={min_val: sp.Integer(-1), max_val: sp.Integer(1)},
        reference=Lazy("torch.nn.functional", "hardtanh"),
        scratch=Lazy(_functions, "hardtanh"),
        lower=sp.Integer(-1),
        upper=sp.Integer(1),
        lower_closed=True,
        upper_closed=True,
        monotonic=True,
        odd=True,
        zero_centred=True,
        smoothness="C0",
        kinks=(-1.0, 1.0),
        saturates="both",
        use="Cheap tanh stand-in; quantized and low-power nets",
        paper=None,
        convention="the gradient passes only strictly inside the clipping range",
    ),
    Activation(
        key="logsigmoid",
        title="LogSigmoid",
        page="sigmoid-tanh",
        expr=-sp.log(1 + sp.exp(-x)),
        reference=Lazy("torch.nn.functional", "logsigmoid"),
        lower=-sp.oo,
        upper=sp.Integer(0),
        lower_closed=False,
        upper_closed=False,
        monotonic=True,
        odd=False,
        zero_centred=False,
        smoothness="Cinf",
        kinks=(),
        saturates="right",
        use="Log-probabilities of binary outputs, in losses computed in log space",
        paper=None,
        summary=(
            "LogSigmoid is the logarithm of the sigmoid, $\\log \\sigma(x)$: the "
            "log-probability that a logistic model gives to the positive class. Losses "
            "that work with log-probabilities use it."
        ),
    ),
    Activation(
        key="tanhshrink",
        title="Tanhshrink",
        page="sigmoid-tanh",
        expr=x - sp.tanh(x),
        reference=Lazy("torch.nn.functional", "tanhshrink"),
        lower=-sp.oo,
        upper=sp.oo,
        lower_closed=False,
        upper_closed=False,
        monotonic=True,
        odd=True,
        zero_centred=True,
        smoothness="Cinf",
        kinks=(),
        saturates="no",
        use="Rare; a smooth shrinkage of small inputs toward 0",
        paper=None,
        summary=(
            "Tanhshrink is the identity minus tanh, $x - \\tanh(x)$: a smooth relative "
            "of Softshrink, the next section."
        ),
    ),
    Activation(
        key="softshrink",
        title="Softshrink",
        page="sigmoid-tanh",
        expr=sp.Piecewise((x - lam, x > lam), (x + lam, x < -lam), (0, True)),
        params={lam: sp.Rational(1, 2)},
        reference=Lazy("torch.nn.functional", "softshrink"),
        lower=-sp.oo,
        upper=sp.oo,
        lower_closed=False,
        upper_closed=False,
        monotonic=True,
        odd=True,
        zero_centred=True,
        smoothness="C0",
        kinks=(-0.5, 0.5),
        saturates="no",
        use="Setting inputs within λ of 0 to 0 and shrinking the rest by λ (soft thresholding)",
        paper=None,
        convention="the flat piece's slope: the gradient passes only outside [−λ, λ]",
        summary=(
            "Softshrink, also called soft thresholding, sets every input in "
            "$[-\\lambda, \\lambda]$ to 0 and moves every other input toward 0 by "
            "$\\lambda$."
        ),
    ),
    Activation(
        key="hardshrink",
        title="Hardshrink",
        page="sigmoid-tanh",
        expr=sp.Piecewise((x, x > lam), (x, x < -lam), (0, True)),
        params={lam: sp.Rational(1, 2)},
        reference=Lazy("torch.nn.functional", "hardshrink"),
        lower=-sp.oo,
        upper=sp.oo,
        lower_closed=False,
        upper_closed=False,
        monotonic=True,
        odd=True,
        zero_centred=True,
        smoothness="discontinuous",
        kinks=(-0.5, 0.5),
        saturates="no",
        use="Setting inputs within λ of 0 to 0 and keeping the rest (hard thresholding)",
        paper=None,
        # f' = 1 outside [-lam, lam] and 0 inside; at the jumps x = +-lam there is none
        textbook_derivative=sp.Piecewise((1, sp.Abs(x) > lam), (0, sp.Abs(x) < lam)),
        convention="the flat piece's slope: the gradient passes only outside [−λ, λ]",
        summary=(
            "Hardshrink, also called hard thresholding, sets every input in "
            "$[-\\lambda, \\lambda]$ to 0 and passes every other input unchanged."
        ),
    ),
    Activation(
        key="relu",
        title="ReLU",
        page="relu-family",
        expr=sp.Piecewise((0, x <= 0), (x, True)),
        reference=Lazy("torch.nn.functional", "relu"),
        scratch=Lazy(_functions, "relu"),
        lower=sp.Integer(0),
        upper=sp.oo,
        lower_closed=True,
        upper_closed=False,
        monotonic=True,
        odd=False,
        zero_centred=False,
        smoothness="C0",
        kinks=(0.0,),
        saturates="left",
        use="Default for hidden layers (MLPs, CNNs)",
        paper=("fukushima1969", "hahnloser2000"),
        later=(
            (
                "nair2010",
                "rectified units in restricted Boltzmann machines learned better "
                "features for object recognition than binary units",
            ),
            (
                "glorot2011",
                "deep rectifier networks matched or beat tanh networks, "
                "without unsupervised pre-training",
            ),
        ),
        convention="the flat piece's slope",
    ),
    Activation(
        key="leaky_relu",
        title="Leaky ReLU",
        page="relu-family",
        expr=sp.Piecewise((x, x > 0), (alpha * x, True)),
        params={alpha: sp.Float("0.01")},
        reference=Lazy("torch.nn.functional", "leaky_relu"),
        scratch=Lazy(_functions, "leaky_relu"),
        lower=-sp.oo,
        upper=sp.oo,
        lower_closed=False,
        upper_closed=False,
        monotonic=True,
        odd=False,
        zero_centred=False,
        smoothness="C0",
        kinks=(0.0,),
        saturates="no",
        use="Hidden layers where ReLU units die; GAN discriminators",
        paper="maas2013",
        convention="the negative slope α",
    ),
    Activation(
        key="prelu",
        title="PReLU",
        page="relu-family",
        expr=sp.Piecewise((x, x > 0), (a * x, True)),
        params={a: sp.Float("0.25")},
        reference=_prelu,
        scratch=_prelu_scratch,
        lower=-sp.oo,
        upper=sp.oo,
        lower_closed=False,
        upper_closed=False,
        monotonic=True,
        odd=False,
        zero_centred=False,
        smoothness="C0",
        kinks=(0.0,),
        saturates="no",
        use="Hidden layers of CNNs (learned slope per channel)",
        paper="he2015",
        convention="the learned slope a (0.25 at initialization)",
    ),
    Activation(
        key="elu",
        title="ELU",
        page="relu-family",
        expr=sp.Piecewise((x, x > 0), (alpha * (sp.exp(x) - 1), True)),
        params={alpha: sp.Integer(1)},
        reference=Lazy("torch.nn.functional", "elu"),
        scratch=Lazy(_functions, "elu"),
        lower=-sp.Integer(1),
        upper=sp.oo,
        lower_closed=False,
        upper_closed=False,
        monotonic=True,
        odd=False,
        zero_centred=False,
        smoothness="C1",
        kinks=(0.0,),
        saturates="left",
        use="Hidden layers; pushes mean activations toward zero",
        paper="clevert2016",
        convention="with α = 1 both pieces have slope 1 there",
    ),
    Activation(
        key="selu",
        title="SELU",
        page="relu-family",
        expr=lam * sp.Piecewise((x, x > 0), (alpha * (sp.exp(x) - 1), True)),
        params={alpha: SELU_ALPHA, lam: SELU_SCALE},
        params_source=(
            "PyTorch's fixed values (neither `torch.nn.SELU` nor `F.selu` takes α or λ; "
            "PyTorch's documentation calls λ `scale`)"
        ),
        reference=Lazy("torch.nn.functional", "selu"),
        scratch=Lazy(_functions, "selu"),
        lower=-SELU_ALPHA * SELU_SCALE,
        upper=sp.oo,
        lower_closed=False,
        upper_closed=False,
        monotonic=True,
        odd=False,
        zero_centred=True,
        smoothness="C0",
        kinks=(0.0,),
        saturates="left",
        use="Self-normalizing MLPs (with LeCun-normal init, no batch norm)",
        paper="klambauer2017",
        convention="the left-hand slope λα",
    ),
    Activation(
        key="relu6",
        title="ReLU6",
        page="relu-family",
        expr=sp.Piecewise((0, x <= 0), (6, x >= 6), (x, True)),
        reference=Lazy("torch.nn.functional", "relu6"),
        scratch=Lazy(_functions, "relu6"),
        lower=sp.Integer(0),
        upper=sp.Integer(6),
        lower_closed=True,
        upper_closed=True,
        monotonic=True,
        odd=False,
        zero_centred=False,
        smoothness="C0",
        kinks=(0.0, 6.0),
        saturates="both",
        use="Mobile CNNs (MobileNet, MobileNetV2)",
        paper="krizhevsky2010",
        convention="the gradient passes only strictly inside the clipping range",
    ),
    Activation(
        key="celu",
        title="CELU",
        page="relu-family",
        expr=sp.Piecewise((x, x > 0), (alpha * (sp.exp(x / alpha) - 1), True)),
        params={alpha: sp.Integer(1)},
        reference=Lazy("torch.nn.functional", "celu"),
        lower=-sp.Integer(1),  # -alpha, with PyTorch's alpha = 1
        upper=sp.oo,
        lower_closed=False,
        upper_closed=False,
        monotonic=True,
        odd=False,
        zero_centred=False,
        smoothness="C1",
        kinks=(0.0,),
        saturates="left",
        use="Hidden layers; an ELU whose slope stays continuous for any α",
        paper="barron2017",
        summary=(
            "CELU, the continuously differentiable ELU, divides the input of ELU's exponential "
            "by $\\alpha$. Its negative piece then has slope 1 at 0 for every $\\alpha$, so the "
            "slope never jumps, while ELU's jumps from $\\alpha$ to 1 unless $\\alpha = 1$ "
            "({{ cite barron2017 }}). With PyTorch's default "
            "$\\alpha = 1$ the two functions are equal."
        ),
    ),
    Activation(
        key="relu_squared",
        title="Squared ReLU",
        page="relu-family",
        expr=sp.Piecewise((0, x <= 0), (x**2, True)),
        reference=_relu_squared,
        lower=sp.Integer(0),
        upper=sp.oo,
        lower_closed=True,
        upper_closed=False,
        monotonic=True,
        odd=False,
        zero_centred=False,
        smoothness="C1",
        kinks=(0.0,),
        saturates="left",
        use="Feed-forward layers of Transformer language models (Primer, {{ cite so2021 }})",
        paper=None,  # Primer found it by search; it does not claim to introduce it
        summary=(
            "Squared ReLU squares ReLU's output. {{ citet so2021 }} found it in an automated "
            "search over Transformer programs and use it in the feed-forward layers of "
            "their Primer language models. Its slope $2x$ grows with the input instead of "
            "staying at 1. PyTorch has no function of that name: the reference is "
            "`torch.nn.functional.relu(x) ** 2`."
        ),
    ),
    Activation(
        key="rrelu",
        title="RReLU (evaluation mode)",
        page="relu-family",
        expr=sp.Piecewise((x, x > 0), ((lower_s + upper_s) / 2 * x, True)),
        params={lower_s: sp.Rational(1, 8), upper_s: sp.Rational(1, 3)},
        reference=_rrelu_eval,
        lower=-sp.oo,
        upper=sp.oo,
        lower_closed=False,
        upper_closed=False,
        monotonic=True,
        odd=False,
        zero_centred=False,
        smoothness="C0",
        kinks=(0.0,),
        saturates="no",
        use="Hidden layers of CNNs; a leaky ReLU whose slope is random in training",
        # Xu et al. name and evaluate it, and report that it was first used by the winning
        # team of Kaggle's 2015 National Data Science Bowl, which published no paper.
        paper=Unlinked("the winning team of Kaggle's 2015 National Data Science Bowl"),
        later=(
            (
                "xu2015",
                "name and evaluate it, and report that this team first used it",
            ),
        ),
        convention="the negative slope (l + u)/2",
    ),
    Activation(
        key="threshold",
        title="Threshold",
        page="relu-family",
        expr=sp.Piecewise((x, x > theta), (value_s, True)),
        params={
            theta: sp.Integer(int(THRESHOLD)),
            value_s: sp.Integer(int(THRESHOLD_VALUE)),
        },
        params_source="Our choice (`torch.nn.Threshold` has no defaults)",
        reference=_threshold,
        lower=sp.Integer(0),
        upper=sp.oo,
        lower_closed=True,
        upper_closed=False,
        monotonic=True,
        odd=False,
        zero_centred=False,
        smoothness="discontinuous",
        kinks=(1.0,),
        saturates="left",
        use="Rare; a ReLU with a movable cut-off and fill value",
        paper=None,
        # f' = 1 above theta and 0 below; at the jump x = theta there is none
        textbook_derivative=sp.Piecewise((1, x > theta), (0, x < theta)),
        convention="the flat piece's slope: the gradient passes only above θ",
        # Its section is on the page: the card's monotonic and discontinuous hold only for
        # v <= theta and v != theta, which the page says (a claim) and a test checks.
    ),
    Activation(
        key="softplus",
        title="Softplus",
        page="smooth-modern",
        expr=SOFTPLUS_BETA,
        params={beta: sp.nsimplify(SOFTPLUS_DEFAULTS["beta"])},
        reference=Lazy("torch.nn.functional", "softplus"),
        scratch=Lazy(_functions, "softplus"),
        lower=sp.Integer(0),
        upper=sp.oo,
        lower_closed=False,
        upper_closed=False,
        monotonic=True,
        odd=False,
        zero_centred=False,
        smoothness="Cinf",
        kinks=(),
        saturates="left",
        use="Positive outputs (variances, rates); a smooth ReLU",
        paper="dugas2000",
        # F.softplus(x, beta, threshold): x itself where beta * x > threshold
        torch_form=sp.Piecewise((x, beta * x > softplus_tau), (SOFTPLUS_BETA, True)),
        torch_params={softplus_tau: sp.nsimplify(SOFTPLUS_DEFAULTS["threshold"])},
        note=lambda: softplus_note(),  # torch's threshold, read from torch
    ),
    Activation(
        key="gelu",
        title="GELU (exact)",
        page="smooth-modern",
        expr=x / 2 * (1 + sp.erf(x / sp.sqrt(2))),
        reference=Lazy("torch.nn.functional", "gelu"),
        scratch=Lazy(_functions, "gelu"),
        lower=None,
        upper=sp.oo,
        lower_closed=True,
        upper_closed=False,
        min_guess=-0.75,
        monotonic=False,
        odd=False,
        zero_centred=False,
        smoothness="Cinf",
        kinks=(),
        saturates="left",
        use='Transformer feed-forward layers (PyTorch\'s activation="gelu")',
        paper="hendrycks2016",
    ),
    Activation(
        key="gelu_tanh",
        title="GELU (tanh approximation)",
        page="smooth-modern",
        expr=x / 2 * (1 + sp.tanh(SQRT_2_OVER_PI * (x + GELU_C * x**3))),
        constants={
            GELU_C: sp.Rational(44715, 10**6),
            SQRT_2_OVER_PI: sp.sqrt(2 / sp.pi),
        },
        reference=_gelu_tanh,
        scratch=Lazy(_functions, "gelu_tanh"),
        lower=None,
        upper=sp.oo,
        lower_closed=True,
        upper_closed=False,
        min_guess=-0.75,
        # simplify takes 6 s here; this keeps the product and chain rules' terms, with the
        # common factor 1/2 taken out (narrow enough for the page's column)
        tidy=sp.factor_terms,
        textbook_derivative=(1 + sp.tanh(SQRT_2_OVER_PI * (x + GELU_C * x**3))) / 2
        + x
        / 2
        * (1 - sp.tanh(SQRT_2_OVER_PI * (x + GELU_C * x**3)) ** 2)
        * SQRT_2_OVER_PI
        * (1 + 3 * GELU_C * x**2),
        monotonic=False,
        odd=False,
        zero_centred=False,
        smoothness="Cinf",
        kinks=(),
        saturates="left",
        use="Transformers (the released code of GPT and GPT-2, and ports of it)",
        paper="hendrycks2016",
    ),
    Activation(
        key="silu",
        title="SiLU / Swish",
        page="smooth-modern",
        expr=x * _sigmoid_expr(),
        textbook_derivative=SIGMA(x) * (1 + x * (1 - SIGMA(x))),
        constants={SIGMA(x): _sigmoid_expr()},
        reference=Lazy("torch.nn.functional", "silu"),
        scratch=Lazy(_functions, "silu"),
        lower=None,
        upper=sp.oo,
        lower_closed=True,
        upper_closed=False,
        min_guess=-1.3,
        monotonic=False,
        odd=False,
        zero_centred=False,
        smoothness="Cinf",
        kinks=(),
        saturates="left",
        use="CNNs (EfficientNet), LLM feed-forward layers (SwiGLU)",
        paper="hendrycks2016",
        later=(
            (
                "ramachandran2017",
                "found it by automated search, with a slope parameter β, and named it "
                "Swish; it tended to beat ReLU in deeper models",
            ),
        ),
    ),
    Activation(
        key="mish",
        title="Mish",
        page="smooth-modern",
        expr=x * sp.tanh(_softplus_expr()),
        textbook_derivative=sp.tanh(SOFTPLUS(x))
        + x * SIGMA(x) * (1 - sp.tanh(SOFTPLUS(x)) ** 2),
        constants={SIGMA(x): _sigmoid_expr(), SOFTPLUS(x): _softplus_expr()},
        reference=Lazy("torch.nn.functional", "mish"),
        scratch=Lazy(_functions, "mish"),
        lower=None,
        upper=sp.oo,
        lower_closed=True,
        upper_closed=False,
        min_guess=-1.2,
        monotonic=False,
        odd=False,
        zero_centred=False,
        smoothness="Cinf",
        kinks=(),
        saturates="left",
        use="CNNs for detection (YOLOv4)",
        paper="misra2019",
    ),
    Activation(
        key="quick_gelu",
        title="QuickGELU",
        page="smooth-modern",
        expr=x / (1 + sp.exp(-QUICK_GELU_C * x)),
        constants={QUICK_GELU_C: QUICK_GELU_SLOPE},
        reference=_quick_gelu,
        lower=None,
        upper=sp.oo,
        lower_closed=True,
        upper_closed=False,
        min_guess=-0.75,
        monotonic=False,
        odd=False,
        zero_centred=False,
        smoothness="Cinf",
        kinks=(),
        saturates="left",
        use="Feed-forward layers of the Transformers in OpenAI's released CLIP code "
        "({{ cite openai2021 }})",
        paper="hendrycks2016",
    ),
    Activation(
        key="swish_beta",
        title="Swish-β",
        page="smooth-modern",
        expr=x / (1 + sp.exp(-beta * x)),
        params={beta: sp.Integer(SWISH_BETA)},
        params_source="Our choice (PyTorch has no Swish-β)",
        reference=_swish_beta,
        lower=None,
        upper=sp.oo,
        lower_closed=True,
        upper_closed=False,
        min_guess=-0.6,
        monotonic=False,
        odd=False,
        zero_centred=False,
        smoothness="Cinf",
        kinks=(),
        saturates="left",
        use="Swish with β constant or trained, as {{ citet ramachandran2017 }} define it",
        paper="ramachandran2017",
    ),
    Activation(
        key="hardsigmoid",
        title="Hard sigmoid",
        page="smooth-modern",
        expr=sp.Piecewise((0, x <= -3), (1, x >= 3), (x / 6 + sp.Rational(1, 2), True)),
        reference=Lazy("torch.nn.functional", "hardsigmoid"),
        scratch=Lazy(_functions, "hardsigmoid"),
        lower=sp.Integer(0),
        upper=sp.Integer(1),
        lower_closed=True,
        upper_closed=True,
        monotonic=True,
        odd=False,
        zero_centred=False,
        smoothness="C0",
        kinks=(-3.0, 3.0),
        saturates="both",
        use="Gates in mobile nets (squeeze-and-excitation in MobileNetV3)",
        # MobileNetV3 uses this ReLU6 form but says the hard sigmoid is older: no source
        # for who introduced it is confirmed.
        paper=None,
        convention="the gradient passes only strictly inside the linear piece",
    ),
    Activation(
        key="hardswish",
        title="Hard swish",
        page="smooth-modern",
        expr=sp.Piecewise((0, x <= -3), (x, x >= 3), (x * (x + 3) / 6, True)),
        reference=Lazy("torch.nn.functional", "hardswish"),
        scratch=Lazy(_functions, "hardswish"),
        lower=None,  # an interior minimum: solved exactly by sympy on the quadratic piece
        upper=sp.oo,
        lower_closed=True,
        upper_closed=False,
        monotonic=False,
        odd=False,
        zero_centred=False,
        smoothness="C0",
        kinks=(-3.0, 3.0),
        saturates="left",
        use="Mobile CNNs (MobileNetV3)",
        paper="howard2019",
        convention="torch takes the outer pieces' slopes",
    ),
    Activation(
        key="squareplus",
        title="Squareplus",
        page="smooth-modern",
        expr=(x + sp.sqrt(x**2 + b_sq)) / 2,
        params={b_sq: sp.Integer(SQUAREPLUS_B)},
        params_source="Our choice (PyTorch has no Squareplus)",
        reference=_squareplus,
        lower=sp.Integer(0),
        upper=sp.oo,
        lower_closed=False,
        upper_closed=False,
        monotonic=True,
        odd=False,
        zero_centred=False,
        smoothness="Cinf",
        kinks=(),
        saturates="left",
        use="A softplus-like rectifier computed with a square root instead of exp and log",
        paper="barron2021",
    ),
)
BY_KEY = {act.key: act for act in ACTIVATIONS}
# Our from-scratch code and its autograd gradient match PyTorch's to within this (absolute,
# float64) at and beside every kink; index.md states it and tests/activations asserts it.
# Not 0: torch's softplus returns x itself for x > 20, 2.1e-9 from log(1 + e^x), and its
# hardsigmoid backward multiplies by a float32 1/6 (off by 5e-9); the rest agree to ~1e-15.
MATCH_ATOL = 1e-8
PAGES = {
    "sigmoid-tanh": "Step, sigmoid and tanh",
    "relu-family": "The ReLU family",
    "smooth-modern": "Smooth and hard modern functions",
}

# Each function's formula, at the values in its `params`, is checked by tests/test_formulas.py.
FORMULA_POINTS = (
    -6.0,
    -3.0,
    -2.5,
    -1.0,
    -0.5,
    -1e-3,
    0.0,
    1e-3,
    0.5,
    1.0,
    2.5,
    3.0,
    6.0,
)
for _act in ACTIVATIONS:
    if _act.key == "binary_step":
        continue  # no autograd in torch.heaviside: tests/activations checks it instead
    formula(
        f"act_{_act.key}",
        _act.checked_expr,
        reference=_act.reference,
        points=tuple(sorted(set(FORMULA_POINTS) | set(_act.kinks))),
        lhs="f(x)",
    )

# The sigmoid's and tanh's derivatives written with the functions themselves.
sigma = sp.Function("sigma")
SIGMOID_DERIVATIVE = formula(
    "act_sigmoid_prime", sigma(x) * (1 - sigma(x)), lhs=r"\sigma'(x)"
)
TANH_DERIVATIVE = formula("act_tanh_prime", 1 - sp.tanh(x) ** 2, lhs=r"\tanh'(x)")


# ---------------------------------------------------------------------------- checks
def gaussian_mean(fn: Callable[[torch.Tensor], torch.Tensor]) -> float:
    """E[f(Z)] for Z ~ N(0, 1), by the trapezoid rule on [-12, 12] (tail mass < 1e-32)."""
    z = torch.linspace(-12.0, 12.0, 24001, dtype=torch.float64)
    density = torch.exp(-(z**2) / 2) / math.sqrt(2 * math.pi)
    return torch.trapezoid(fn(z) * density, z).item()


def fmt_mean(mean: float) -> str:
    """A mean to 3 decimals; an odd function's, which the quadrature leaves at +-1e-17
    depending on the CPU's kernels, prints as 0.000, never -0.000."""
    text = f"{mean:.3f}"
    return "0.000" if text == "-0.000" else text


def derivative_autograd(fn: Callable, v: torch.Tensor) -> torch.Tensor:
    """df/dx by autograd; zeros for a function autograd cannot differentiate (the step)."""
    v = v.detach().clone().requires_grad_(True)
    out = fn(v)
    if not out.requires_grad:
        return torch.zeros_like(v)
    (g,) = torch.autograd.grad(out.sum(), v)
    return g


def special_calls(expr: sp.Expr) -> int:
    """exp, log, tanh and erf evaluations in the formula: a rough proxy for its cost."""
    kinds = (sp.exp, sp.log, sp.tanh, sp.erf)
    return sum(1 for node in sp.preorder_traversal(expr) if isinstance(node, kinds))


def fmt_bound(value: sp.Expr, approx: bool) -> str:
    if value in (sp.oo, -sp.oo):
        return r"+\infty" if value == sp.oo else r"-\infty"
    if approx or not value.is_Rational:
        return rf"\approx {float(value):.4f}"
    return sp.latex(value)


def discrete_values(act: Activation) -> list[sp.Expr] | None:
    """The values of a function whose every piece is a constant (the step), else None."""
    f = act.checked_expr
    if isinstance(f, sp.Piecewise) and all(piece.is_number for piece, _ in f.args):
        return sorted({piece for piece, _ in f.args})
    return None


def value_set(act: Activation) -> sp.Set | None:
    """The set of values of a Piecewise formula, the union of each piece's image over its
    condition, as sympy computes it exactly; None for any other formula, or where sympy
    leaves an image unevaluated."""
    f = act.checked_expr
    if not isinstance(f, sp.Piecewise):
        return None
    image = sp.Union(
        *(
            sp.imageset(sp.Lambda(x, piece), cond)
            for piece, cond in f.as_expr_set_pairs(sp.Reals)
        )
    )
    parts = image.args if isinstance(image, sp.Union) else (image,)
    if not all(isinstance(p, sp.Interval | sp.FiniteSet) for p in parts):
        return None
    return image


def _set_tex(part: sp.Set) -> str:
    if isinstance(part, sp.FiniteSet):
        return "\\{" + ", ".join(sp.latex(v) for v in sorted(part)) + "\\}"
    left = "(" if part.left_open else "["
    right = ")" if part.right_open else "]"
    return f"{left}{fmt_bound(part.start, False)}, {fmt_bound(part.end, False)}{right}"


def range_tex(act: Activation) -> str:
    """The range: a set for a function taking finitely many values, a union where a
    Piecewise formula's values leave gaps (hardshrink), else an interval."""
    values = discrete_values(act)
    if values is not None:
        return "$\\{" + ", ".join(sp.latex(v) for v in values) + "\\}$"
    image = value_set(act)
    if isinstance(image, sp.Union):
        parts = sorted(image.args, key=lambda p: (p.inf, p.sup))
        return "$" + " \\cup ".join(_set_tex(p) for p in parts) + "$"
    lo, _ = act.infimum()
    left = "[" if act.lower_closed else "("
    right = "]" if act.upper_closed else ")"
    return f"${left}{fmt_bound(lo, False)}, {fmt_bound(act.upper, False)}{right}$"


def minimum_tex(act: Activation) -> str | None:
    """The card's minimum, $f(x_min) = min$, for a function with an interior minimum
    (exact where sympy found it exactly), else None."""
    lo, x_min = act.infimum()
    if x_min is None:
        return None
    if isinstance(x_min, sp.Expr) and x_min.is_Rational and lo.is_Rational:
        return f"$f({sp.latex(x_min)}) = {sp.latex(lo)}$"
    return f"$f({float(x_min):.4f}) = {float(lo):.4f}$"


SMOOTHNESS = {
    "discontinuous": "no (jump)",
    "C0": "no (kinks)",
    "C1": "C¹ only",
    "Cinf": "yes",
}
SATURATION = {"both": "both sides", "left": "x → −∞", "right": "x → +∞", "no": "no"}


def yes(flag: bool) -> str:
    return "yes" if flag else "no"


# How far the formula log(1 + e^(beta x))/beta is above x where F.softplus returns x
# (beta x > threshold): it falls as x grows, so it is largest at the switch, x =
# threshold/beta. tests/activations derives it from SOFTPLUS_BETA and checks it on torch.
SOFTPLUS_GAP = sp.log(1 + sp.exp(-softplus_tau)) / beta


def softplus_gap(b: float, threshold: float) -> float:
    """SOFTPLUS_GAP at slope b and the given threshold, in float64. (Exact rationals:
    a Float 1 + e^-threshold would round off the digits the log keeps.)"""
    exact = {beta: sp.Rational(b), softplus_tau: sp.Rational(threshold)}
    return float(SOFTPLUS_GAP.subs(exact).evalf(30))


def softplus_threshold() -> dict[str, str]:
    """PyTorch's softplus defaults; the largest gap between x and
    log(1 + e^(beta x))/beta where F.softplus returns x (beta * x > threshold) at those
    defaults, rounded up; and that gap's general form, log(1 + e^-threshold)/beta."""
    b, threshold = softplus_defaults().values()
    gap = softplus_gap(b, threshold)
    exponent = math.floor(math.log10(gap))
    mantissa = math.ceil(gap / 10**exponent * 10) / 10
    return {
        "beta": f"{b:g}",
        "threshold": f"{threshold:g}",
        "gap": f"{mantissa:g} \\times 10^{{{exponent}}}",
        "gap_general": sp.latex(
            SOFTPLUS_GAP, symbol_names={softplus_tau: r"\mathrm{threshold}"}
        ),
    }


def softplus_note() -> str:
    """The softplus card's note: where F.softplus stops computing the formula. (How far
    it is from the formula there is a claim, so the page's prose states it, with its mark;
    generated text carries none.)"""
    return (
        "`F.softplus` returns $x$ itself where $\\beta x$ > `threshold` "
        "(defaults $\\beta = {beta}$, `threshold` $= {threshold}$)"
    ).format(**softplus_threshold())


def card(act: Activation) -> str:
    """The Markdown block shown for one function: formulas, properties, convention, papers."""
    lo, _ = act.infimum()
    mean = gaussian_mean(act.fn)
    rows = [
        ("Range", range_tex(act)),
        ("Monotonic", yes(act.monotonic)),
        (
            "Bounded",
            {
                (True, True): "yes",
                (True, False): "below only",
                (False, True): "above only",
                (False, False): "no",
            }[(lo != -sp.oo, act.upper != sp.oo)],
        ),
        ("$f(0)$", f"${sp.latex(act.checked_expr.subs(x, 0))}$"),
        ("Odd, $f(-x) = -f(x)$", yes(act.odd)),
        (
            "Mean output $\\mathbb{E}[f(Z)]$, $Z \\sim \\mathcal{N}(0, 1)$",
            fmt_mean(mean),
        ),
        ("Smooth", SMOOTHNESS[act.smoothness]),
        ("Derivative at kinks (autograd)", kink_convention(act)),
        ("Saturates (slope → 0)", SATURATION[act.saturates]),
        ("exp/log/tanh/erf calls", str(special_calls(act.expr))),
        ("Used for", act.use),
        ("Introduced in", cite(act.paper)),
    ]
    if act.later:
        rows.append(("Later work", later_work(act)))
    if act.note is not None:
        rows.append(("Note", act.note()))
    minimum = minimum_tex(act)
    if minimum is not None:
        rows.insert(1, ("Minimum", minimum))
    params = ""
    if act.params:
        params = f"\n{act.params_source}, used in every check and plot: {param_values(act)}.\n"
    table = "\n".join(f"| {k} | {v} |" for k, v in rows)
    return (
        f"$$\nf(x) = {sp.latex(act.expr)}\n$$\n\n"
        f"$$\nf'(x) = {sp.latex(act.derivative())}\n$$\n{params}\n"
        f"| Property | Value |\n|---|---|\n{table}\n"
    )


def autograd_at_kinks(act: Activation) -> torch.Tensor | None:
    """f' at each kink as PyTorch's autograd returns it; None where autograd has no
    derivative for the function (torch.heaviside)."""
    k = torch.tensor(act.kinks, dtype=torch.float64, requires_grad=True)
    try:
        (g,) = torch.autograd.grad(act.reference(k).sum(), k)
    except RuntimeError:  # torch.heaviside: "derivative ... is not implemented"
        return None
    return g


def kink_convention(act: Activation) -> str:
    """What PyTorch's autograd returns exactly at each kink, computed, not typed."""
    if not act.kinks:
        return "no kinks"
    g = autograd_at_kinks(act)
    if g is None:
        return f"none: autograd cannot differentiate torch.heaviside; {act.convention}"
    values = ", ".join(
        f"$f'({kk:g}) = {gg:g}$"  # exact: as autograd returns it
        if abs(gg - round(gg, 4)) < 1e-12
        else f"$f'({kk:g}) \\approx {gg:.4g}$"  # rounded, and marked so
        for kk, gg in zip(act.kinks, g.tolist(), strict=True)
    )
    return f"{values}; {act.convention}" if act.convention else values


def _short(v: sp.Expr) -> str:
    """A parameter's value: exact where four decimals hold it, else its first four
    decimals, cut (not rounded: the ellipsis says the digits go on) and an ellipsis."""
    f = float(v)
    if abs(f - round(f, 4)) < 1e-12:  # all its digits, however many before the point
        return f"{round(f, 4):.4f}".rstrip("0").rstrip(".")
    digits = int(sp.floor(abs(v) * 10**4))  # v's own digits (SELU's are 30 deep)
    if digits == 0:
        raise ValueError(f"{v} shows no digit in four decimals: print it another way")
    sign = "-" if v < 0 else ""
    return f"{sign}{digits // 10**4}.{digits % 10**4:04d}\\ldots"


def param_values(act: Activation) -> str:
    """ "$\\alpha = 0.01$": the parameter values every check, plot and table cell uses."""
    return ", ".join(f"${sp.latex(s)} = {_short(v)}$" for s, v in act.params.items())


def param_cell(act: Activation) -> str:
    """The comparison table's Parameters cell: the values, and whose choice they are."""
    if not act.params:
        return "—"
    whose = "PyTorch" if act.params_source.startswith("PyTorch's") else "ours"
    return f"{param_values(act)} ({whose})"


def comparison_table() -> str:
    """One row per registered function: the properties the tests check."""
    head = (
        "| Function | Parameters | Range | Monotonic | Value $f(0)$ | Odd "
        "| Mean $\\mathbb{E}[f(Z)]$ | Smooth | Saturates | exp/log/tanh/erf calls |\n"
        "|---|---|---|---|---|---|---|---|---|---|"
    )
    rows = []
    for act in ACTIVATIONS:
        link = f"[{act.title}]({act.page}.md#{act.anchor})"
        rows.append(
            f"| {link} | {param_cell(act)} | {range_tex(act)} | {yes(act.monotonic)} "
            f"| ${sp.latex(act.checked_expr.subs(x, 0))}$ | {yes(act.odd)} "
            f"| {fmt_mean(gaussian_mean(act.fn))} | {SMOOTHNESS[act.smoothness]} "
            f"| {SATURATION[act.saturates]} | {special_calls(act.expr)} |"
        )
    return "\n".join([head, *rows])


def later_work(act: Activation) -> str:
    """The later papers, each with what it reports, as Markdown ("—" where none)."""
    if not act.later:
        return "—"
    return "; ".join(f"{cite(paper)}: {what}" for paper, what in act.later)


def usage_table() -> str:
    head = "| Function | Typical use | Introduced in | Later work |\n|---|---|---|---|"
    rows = [
        f"| {act.title} | {act.use} | {cite(act.paper)} | {later_work(act)} |"
        for act in ACTIVATIONS
    ]
    return "\n".join([head, *rows])


def selu_moments() -> tuple[sp.Expr, sp.Expr]:
    """E[selu(Z)] and E[selu(Z)^2] for Z ~ N(0, 1), integrated exactly by sympy and then
    evaluated with SELU's constants to 30 digits."""
    zeta = sp.Symbol("z", real=True)
    density = sp.exp(-(zeta**2) / 2) / sp.sqrt(2 * sp.pi)
    pos, neg = lam * zeta, lam * alpha * (sp.exp(zeta) - 1)
    moments = []
    for power in (1, 2):
        integral = sp.integrate(pos**power * density, (zeta, 0, sp.oo)) + sp.integrate(
            neg**power * density, (zeta, -sp.oo, 0)
        )
        moments.append(integral.subs({alpha: SELU_ALPHA, lam: SELU_SCALE}).evalf(30))
    return moments[0], moments[1]


SELU_DIGITS = 6  # decimals to which the page states SELU's mean and variance


def pieces_kind(act: Activation) -> str:
    """ "piecewise linear", "piecewise quadratic", ...: the highest degree of its pieces."""
    degree = max(sp.degree(piece, x) for piece, _ in act.checked_expr.args)
    return "piecewise " + {1: "linear", 2: "quadratic", 3: "cubic"}[degree]


def titles(acts: list[Activation]) -> str:
    """ "A, B and C"."""
    names = [a.title for a in acts]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


SIGMOID_LAYERS = 10  # the depth at which the page quotes the bound (1/4)^depth


def sigmoid_derivative_peak() -> tuple[sp.Expr, sp.Expr]:
    """(argmax, max) of the sigmoid's derivative, solved exactly by sympy."""
    d = sp.diff(_sigmoid_expr(), x)
    critical = sp.solve(sp.diff(d, x), x)
    best = max(critical, key=lambda c: d.subs(x, c))
    return best, sp.simplify(d.subs(x, best))


# The hard sigmoid some other libraries use, printed as they write it.
HARDSIGMOID_ALT = sp.Float("0.2") * x + sp.Float("0.5")


@facts("act")
def activation_facts() -> dict[str, str]:
    out = {"table": comparison_table(), "usage_table": usage_table()}
    for act in ACTIVATIONS:
        out[f"{act.key}_card"] = card(act)
        out[f"{act.key}_plotted_derivative"] = derived_from(act)
        out[f"{act.key}_def"] = sp.latex(act.expr)
        out[f"{act.key}_deriv"] = sp.latex(act.derivative())
        out[f"{act.key}_mean"] = fmt_mean(gaussian_mean(act.fn))
    at, peak = sigmoid_derivative_peak()
    out["sigmoid_dmax"] = sp.latex(peak)
    out["sigmoid_dmax_at"] = sp.latex(at)
    out["sigmoid_dmax_layers"] = str(SIGMOID_LAYERS)
    out["sigmoid_dmax_10"] = sp.latex(peak**SIGMOID_LAYERS)
    alt = HARDSIGMOID_ALT
    out["hardsigmoid_alt"] = sp.latex(alt)
    out["hardsigmoid_alt_slope"] = f"{float(sp.diff(alt, x)):g}"
    out["hardsigmoid_alt_lo"] = f"{float(sp.solve(alt, x)[0]):g}"
    out["hardsigmoid_alt_hi"] = f"{float(sp.solve(alt - 1, x)[0]):g}"
    hs = BY_KEY["hardsigmoid"]
    out["hardsigmoid_slope"] = sp.latex(sp.diff(hs.checked_expr.args[2][0], x))
    out["hardsigmoid_lo"], out["hardsigmoid_hi"] = (f"{k:g}" for k in hs.kinks)
    out["tanh_dmax"] = sp.latex(sp.diff(sp.tanh(x), x).subs(x, 0))
    mean, second = selu_moments()
    out["selu_exact_mean"] = (
        f"{abs(float(mean)):.{SELU_DIGITS}f}"  # abs: no "-0.000000"
    )
    out["selu_var"] = f"{float(second - mean**2):.{SELU_DIGITS}f}"
    out["selu_digits"] = str(SELU_DIGITS)
    classic = [a for a in ACTIVATIONS if a.page == "sigmoid-tanh"]
    out["sigmoid_tanh_unbounded"] = titles(
        [a for a in classic if a.infimum()[0] == -sp.oo or a.upper == sp.oo]
    )
    relu_page = [a for a in ACTIVATIONS if a.page == "relu-family"]
    out["relu_family_kinked"] = titles([a for a in relu_page if a.smoothness == "C0"])
    out["relu_family_c1"] = titles([a for a in relu_page if a.smoothness == "C1"])
    out["relu_family_jumps"] = titles(
        [a for a in relu_page if a.smoothness == "discontinuous"]
    )
    for key in ("mish", "silu"):  # smooth-modern: Mish dips deeper than SiLU
        out[f"{key}_min"] = f"{float(BY_KEY[key].infimum()[0]):.4f}"
    out["mish_calls"] = str(special_calls(BY_KEY["mish"].expr))
    out["hardsigmoid_pieces"] = pieces_kind(BY_KEY["hardsigmoid"])
    out["hardswish_pieces"] = pieces_kind(BY_KEY["hardswish"])
    out.update({f"softplus_{k}": v for k, v in softplus_threshold().items()})
    out["x_min"], out["x_max"] = (f"{v:g}" for v in X_LIMITS)
    out["y_min"], out["y_max"] = (f"{v:g}" for v in Y_LIMITS)
    out["count"] = str(len(ACTIVATIONS))
    rrelu = BY_KEY["rrelu"]
    out["rrelu_slope"] = sp.latex(sp.diff(rrelu.checked_expr.args[1][0], x))
    out["quick_gelu_bound"] = f"{quick_gelu_bound():g}"
    out["swish_beta"] = sp.latex(BY_KEY["swish_beta"].params[beta])
    out["match_atol"] = f"10^{{{round(math.log10(MATCH_ATOL))}}}"  # a power of 10
    unlinked = [
        s.text
        for act in ACTIVATIONS
        for s in sources(act.paper) + tuple(p for p, _ in act.later)
        if isinstance(s, Unlinked)
    ]
    out["unlinked_sources"] = (
        "Also named in the tables, with nothing to link to: "
        + "; ".join(unlinked)
        + "."
        if unlinked
        else ""
    )
    with_code = [act for act in ACTIVATIONS if act.scratch is not None]
    out["scratch_share"] = (
        f"All {len(with_code)}"
        if len(with_code) == len(ACTIVATIONS)
        else f"{len(with_code)} of the {len(ACTIVATIONS)}"
    )
    formula_only = [act.title for act in ACTIVATIONS if act.scratch is None]
    out["formula_only_note"] = (
        f" Not yet written from scratch: {', '.join(formula_only)}; the plots and checks of "
        f"{'these use their formulas' if len(formula_only) > 1 else 'this one use its formula'},"
        " evaluated in PyTorch."
        if formula_only
        else ""
    )
    return out


# ---------------------------------------------------------------------------- pages
FAMILY_DIR = (
    "docs/activations"  # the family pages: docs/activations/<Activation.page>.md
)


def placed_by_hand(act: Activation, page_text: str) -> bool:
    """Whether its page writes the card itself (then the page owns its section)."""
    return f"{{{{ act.{act.key}_card }}}}" in page_text


def torch_name(act: Activation) -> str:
    """The public name a reader would call, as its entry names it
    (``torch.nn.functional.logsigmoid``, not ``torch._C._nn.log_sigmoid``, where it is
    defined); "" when PyTorch has none (our compositions of torch functions)."""
    ref = act.reference
    if isinstance(ref, Lazy) and not ref.instance and ref.module.startswith("torch"):
        return f"`{ref.path}`"
    return ""


def generated_section(act: Activation) -> str:
    """The section of a function its page does not place by hand: heading, summary, card,
    figure and, without from-scratch code, a note saying what the plot and checks use."""
    parts = [f"## {act.title} {{ #{act.anchor} }}"]
    if act.summary:
        parts.append(act.summary)
    parts += [card(act).rstrip(), f"{{{{ figure activations/{act.key} }}}}"]
    if act.scratch is None:
        name = torch_name(act)
        compared = (
            f"compare it and its derivative with {name}"
            if name
            else f"compare it and its derivative with a reference written with torch "
            f"operations, as PyTorch has no {act.title}"
        )
        parts.append(
            f"`snippets/activations/functions.py` has no from-scratch {act.title} yet. The plot "
            f"and every check use the formula above, evaluated in PyTorch, and {compared}. "
            "Writing the function from scratch is a "
            "[welcome contribution](../about/contributing.md#add-an-activation-function)."
        )
    return "\n\n".join(parts)


@facts("act_pages", sources=(FAMILY_DIR,))
def page_sections() -> dict[str, str]:
    """``{{ act_pages.<page> }}``, at the end of each family page: the sections of its
    functions that the page does not place by hand, in registry order. ``also.<page>``: a
    sentence naming them, for the chapter's overview (empty when there are none)."""
    out = {}
    for page in PAGES:
        text = (ROOT / FAMILY_DIR / f"{page}.md").read_text(encoding="utf-8")
        extra = [
            a for a in ACTIVATIONS if a.page == page and not placed_by_hand(a, text)
        ]
        out[page] = "\n\n".join(generated_section(a) for a in extra)
        # the overview's bullet for this page may name some of them already
        bullet = family_bullet(page)
        unnamed = [a for a in extra if not any(named(n, bullet) for n in names(a))]
        out[f"also.{page}"] = (
            f" Also on that page: {titles(unnamed)}." if unnamed else ""
        )
    return out


def names(act: Activation) -> list[str]:
    """What prose calls a function: its title without a parenthesis, and each side of a
    slash ("SiLU / Swish" is SiLU or Swish, "GELU (exact)" is GELU)."""
    bare = re.sub(r"\s*\(.*?\)", "", act.title)
    return [n.strip() for n in bare.split(" / ")]


def named(name: str, text: str) -> int:
    """How often `name` is written in `text` as a word of its own, any case ("ReLU" is not
    named by "ReLU6" or "RReLU"; "swish" is not named by "Swish-β")."""
    pattern = rf"(?<![\w-]){re.escape(name)}(?![\w-])"
    return len(re.findall(pattern, text, flags=re.IGNORECASE))


def family_bullet(page: str) -> str:
    """The chapter overview's list item that links to a family page, its lines joined."""
    index = (ROOT / FAMILY_DIR / "index.md").read_text(encoding="utf-8")
    item = re.search(rf"^- \[[^\]]*\]\({page}\.md\).*?(?=^- |^$)", index, re.M | re.S)
    return re.sub(r"\s+", " ", item.group(0)) if item else ""


# ---------------------------------------------------------------------------- figures
# How far beside a jump f is evaluated for its one-sided limits (its pieces are constant
# or linear there, so this is the limit to within JUMP_STEP).
JUMP_STEP = 1e-9


def draw_activation(act: Activation):
    """f and f' (autograd of ``act.fn``) on the fixed axes; f' is drawn piece by
    piece between kinks, and a dot marks the value autograd returns exactly at each kink."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    xs = torch.linspace(*X_LIMITS, 2001, dtype=torch.float64)
    jumps = act.smoothness == "discontinuous"
    edges = [
        X_LIMITS[0],
        *[k for k in act.kinks if X_LIMITS[0] < k < X_LIMITS[1]],
        X_LIMITS[1],
    ]
    if not jumps:
        ax.plot(xs, act.fn(xs), color="C0", linestyle="-", label="$f(x)$")
    for i, (lo, hi) in enumerate(itertools.pairwise(edges)):
        seg = xs[(xs > lo) & (xs < hi)]
        if jumps:  # f piece by piece, so no line crosses a jump
            ends = torch.tensor([lo + JUMP_STEP, hi - JUMP_STEP], dtype=torch.float64)
            seg_f = torch.cat([ends[:1], seg, ends[1:]])  # out to the one-sided limits
            values = act.fn(seg_f)
            ax.plot(
                seg_f,
                values,
                color="C0",
                linestyle="-",
                label="$f(x)$" if i == 0 else None,
            )
        ax.plot(
            seg,
            derivative_autograd(act.fn, seg),
            color="C1",
            linestyle="--",
            label="$f\\,'(x)$" if i == 0 else None,
        )
    if jumps:
        k = torch.tensor(edges[1:-1], dtype=torch.float64)
        ax.plot(
            k,
            act.fn(k),
            color="C0",
            linestyle="none",
            marker="o",
            label="$f$ at a jump: its value (filled), other side (open)",
            zorder=3,
        )
        for side in (-1, 1):
            limit = act.fn(k + side * JUMP_STEP)
            other = ~torch.isclose(limit, act.fn(k))
            ax.plot(
                k[other],
                limit[other],
                color="C0",
                linestyle="none",
                marker="o",
                markerfacecolor="none",  # open in either palette
                zorder=3,
            )
    if act.kinks and autograd_at_kinks(act) is not None:
        k = torch.tensor(act.kinks, dtype=torch.float64)
        ax.plot(
            k,
            derivative_autograd(act.fn, k),
            color="C1",
            linestyle="none",
            marker="o",
            markersize=9,  # larger than f's dots at a jump, which may sit on it
            label="$f\\,'$ at a kink, as autograd returns it",
        )
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.axvline(0, color="grey", linewidth=0.8)
    ax.set(xlim=X_LIMITS, ylim=Y_LIMITS, xlabel="$x$", title=act.title)
    ax.legend(loc="upper left")
    return fig


def derived_from(act: Activation) -> str:
    """Where the plotted derivative comes from, for the caption."""
    if act.kinks and autograd_at_kinks(act) is None:
        return (
            "0 on either side of the jump, where it exists; autograd has no derivative for "
            "the step, so no value is marked at the jump"
        )
    if act.scratch is None:
        return "the printed derivative, evaluated in PyTorch"
    return "autograd of the from-scratch code"


def _at(points: tuple[float, ...]) -> str:
    """ "x = -0.5 and x = 0.5"."""
    spots = [f"x = {k:g}" for k in points]
    return spots[0] if len(spots) == 1 else ", ".join(spots[:-1]) + " and " + spots[-1]


SHAPE_ALT = {
    "discontinuous": (
        "it jumps at {at}, where a filled dot marks its value and an open dot the limit "
        "from the other side"
    ),
    "C0": "its slope jumps at {at}",
    "C1": "its curvature jumps at {at}; f and its slope are continuous",
    "Cinf": "it is smooth",
}
SATURATION_ALT = {
    "both": "the slope tends to 0 on both sides",
    "left": "the slope tends to 0 as x goes to minus infinity",
    "right": "the slope tends to 0 as x goes to plus infinity",
    "no": "the slope does not tend to 0 on either side",
}


def figure_alt(act: Activation) -> str:
    """The figure's alt text: what is plotted and, from the registry's checked properties,
    the shape a sighted reader sees (monotonic or not, bounded, where it jumps or kinks,
    where it saturates)."""
    # lower=None is an interior minimum (required exactly when f is not monotonic)
    below = act.lower is None or act.lower != -sp.oo
    bounded = {
        (True, True): "bounded above and below",
        (True, False): "bounded below only",
        (False, True): "bounded above only",
        (False, False): "unbounded in both directions",
    }[(below, act.upper != sp.oo)]
    rises = "never decreases" if act.monotonic else "dips to a minimum, then rises,"
    shape = SHAPE_ALT[act.smoothness].format(at=_at(act.kinks) if act.kinks else "")
    return (
        f"Plot of the {act.title} function (solid) and its derivative (dashed) for x from "
        f"{X_LIMITS[0]:g} to {X_LIMITS[1]:g}, y from {Y_LIMITS[0]:g} to {Y_LIMITS[1]:g}. "
        f"The function {rises} and is {bounded}; {shape}; "
        f"{SATURATION_ALT[act.saturates]}."
    )


def _register_figure(act: Activation) -> None:
    figure(
        f"activations/{act.key}",
        alt=figure_alt(act),
        caption=(
            # where the derivative comes from is a fact: deciding it runs torch
            f"{act.title}: $f$ solid, $f'$ dashed ({{{{ act.{act.key}_plotted_derivative }}}}), "
            "on the "
            f"axes every function here shares: $x \\in [{X_LIMITS[0]:g}, {X_LIMITS[1]:g}]$, "
            f"$y \\in [{Y_LIMITS[0]:g}, {Y_LIMITS[1]:g}]$."
        ),
    )(lambda: draw_activation(act))


for _act in ACTIVATIONS:
    _register_figure(_act)


# The overview plot: which functions, and which of them flatten out on both sides.
OVERVIEW = ("sigmoid", "tanh", "relu", "leaky_relu", "gelu", "silu")
OVERVIEW_FLAT = ("sigmoid", "tanh")
OVERVIEW_NAMES = {"leaky_relu": "leaky ReLU"}  # the alt text's lower-case name


def _names(keys: tuple[str, ...]) -> str:
    """ "sigmoid, tanh and ReLU": the functions' short names in a sentence."""
    names = [
        OVERVIEW_NAMES.get(k, BY_KEY[k].title.split(" (")[0].split(" /")[0])
        for k in keys
    ]
    names = [n.lower() if n in ("Sigmoid", "Tanh") else n for n in names]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]


_OVERVIEW_REST = tuple(k for k in OVERVIEW if k not in OVERVIEW_FLAT)


# Its alt text is asserted by tests/activations/test_activation_chapter.py::test_overview_alt_text.
@figure(
    "activations/overview",
    alt=f"{count_word(len(OVERVIEW))} activation functions on one plot for x from "
    f"{X_LIMITS[0]:g} to {X_LIMITS[1]:g}: {_names(OVERVIEW)}. "
    f"{_names(OVERVIEW_FLAT).capitalize()} flatten out; the others grow like x for x > 0.",
    caption=f"{count_word(len(OVERVIEW))} common functions on the shared axes "
    f"($x \\in [{X_LIMITS[0]:g}, {X_LIMITS[1]:g}]$, $y \\in [{Y_LIMITS[0]:g}, {Y_LIMITS[1]:g}]$).",
)
def overview_figure():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    xs = torch.linspace(*X_LIMITS, 1001, dtype=torch.float64)
    for key in OVERVIEW:
        act = BY_KEY[key]
        ax.plot(xs, act.fn(xs), label=act.title)
    ax.set(xlim=X_LIMITS, ylim=Y_LIMITS, xlabel="$x$", ylabel="$f(x)$")
    ax.legend(loc="upper left")
    return fig


# ---------------------------------------------------------------- linear collapse
# index.md: the folded network differs from the deep one by float32 rounding, less than
# this many machine epsilons times max(1, largest output); a test holds the gap to it.
COLLAPSE_EPS = 256


@facts("collapse")
def collapse_facts() -> dict[str, str]:
    from activations import linear_collapse as lc

    gap = (lc.deep_linear(lc.x) - lc.one_layer(lc.x)).abs().max().item()
    return {
        "gap": f"{gap:.1e}",
        "deep_params": str(sum(p.numel() for p in lc.deep_linear.parameters())),
        "merged_params": str(sum(p.numel() for p in lc.one_layer.parameters())),
        "rounding_eps": str(COLLAPSE_EPS),
        "layers": count_word(len(lc.deep_linear)).lower(),
    }
