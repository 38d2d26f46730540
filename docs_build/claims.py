"""Claims: sentences on a page that report a result, a bound or a comparison.

Each claim has an id and names the one test that asserts it at the bound the sentence
states. A page puts ``{{ claim ID }}`` right after the sentence; the build prints a small
mark there that links to the claim's row in the table on About > How this site is tested
(``{{ claims }}``), which names the test and links to its source. An id not listed here
fails the build, naming the page.

tests/test_claims.py checks the map both ways: every claim listed here is made on a page
and carries ``@pytest.mark.claim("ID")`` on the test it names, and every test marked with a
claim names one listed here. (The build itself never reads the tests.)
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

TESTING_PAGE = "about/testing.md"
CLAIM_RE = re.compile(r"\{\{\s*claim\s+([a-z0-9-]+)\s*\}\}")
TABLE_RE = re.compile(r"\{\{\s*claims\s*\}\}")


@dataclass(frozen=True)
class Claim:
    """``test`` is a pytest node id: ``tests/<file>.py::<function>``."""

    id: str
    test: str

    @property
    def path(self) -> str:
        return self.test.partition("::")[0]

    @property
    def function(self) -> str:
        return self.test.partition("::")[2]

    @property
    def anchor(self) -> str:
        return f"claim-{self.id}"


def _claims(*claims: Claim) -> dict[str, Claim]:
    out: dict[str, Claim] = {}
    for c in claims:
        if c.id in out:
            raise ValueError(f"claim {c.id!r} listed twice")
        if not re.fullmatch(r"tests/[\w/]+\.py::test_\w+", c.test):
            raise ValueError(
                f"claim {c.id!r}: {c.test!r} is not tests/<file>.py::test_*"
            )
        out[c.id] = c
    return out


CLAIMS: dict[str, Claim] = _claims(
    Claim("xor-not-linear", "tests/test_quickstart.py::test_no_linear_model_fits_xor"),
    # The activation-function chapter (docs/activations/).
    Claim(
        "index-code-equals-torch",
        "tests/activations/test_activation_registry.py::test_code_equals_torch_everywhere_including_kinks",
    ),
    Claim(
        "index-collapse-float32-rounding",
        "tests/activations/test_activation_chapter.py::test_linear_stack_collapses_and_facts_are_this_run",
    ),
    Claim(
        "index-dying-relu-optimizers",
        "tests/activations/test_activation_chapter.py::test_dying_relu_measured",
    ),
    Claim(
        "index-gradient-equals-torch",
        "tests/activations/test_activation_registry.py::test_derivative_at_and_around_kinks_follows_torch",
    ),
    Claim(
        "index-integers-raise",
        "tests/activations/test_activation_registry.py::test_bad_input_raises_clearly_or_behaves_like_torch",
    ),
    Claim(
        "index-mobile-functions-need-no-exp",
        "tests/activations/test_activation_registry.py::test_transcendental_calls_stated_on_the_pages",
    ),
    Claim(
        "index-sigmoid-vanishes",
        "tests/activations/test_activation_chapter.py::test_vanishing_gradients_measured",
    ),
    Claim(
        "index-special-values-float64",
        "tests/activations/test_activation_registry.py::test_special_values_give_torch_float64_result_in_every_dtype",
    ),
    Claim(
        "index-tanh-gain-within-10x",
        "tests/activations/test_activation_chapter.py::test_vanishing_gradients_measured",
    ),
    Claim(
        "index-tanh-needs-its-gain",
        "tests/activations/test_activation_chapter.py::test_vanishing_gradients_measured",
    ),
    Claim(
        "numerical-stability-bad-input",
        "tests/activations/test_activation_registry.py::test_bad_input_raises_clearly_or_behaves_like_torch",
    ),
    Claim(
        "numerical-stability-low-precision-within-eps",
        "tests/activations/test_activation_registry.py::test_low_precision_close_to_the_float64_result",
    ),
    Claim(
        "numerical-stability-naive-forms-fail",
        "tests/activations/test_activation_chapter.py::test_naive_forms_fail_and_torch_and_ours_do_not",
    ),
    Claim(
        "numerical-stability-nan-at-infinity",
        "tests/activations/test_activation_registry.py::test_at_infinity_ours_is_the_limit_or_a_stated_nan",
    ),
    Claim(
        "numerical-stability-nan-causes",
        "tests/activations/test_activation_registry.py::test_stated_causes_of_nan_at_infinity",
    ),
    Claim(
        "numerical-stability-special-values",
        "tests/activations/test_activation_registry.py::test_special_values_give_torch_float64_result_in_every_dtype",
    ),
    Claim(
        "numerical-stability-torch-on-integers",
        "tests/activations/test_activation_registry.py::test_integer_behaviour_stated_is_torch",
    ),
    Claim(
        "relu-family-c1-functions",
        "tests/activations/test_activation_registry.py::test_smoothness_and_kinks_as_declared",
    ),
    Claim(
        "relu-family-clamp-gradient-differs",
        "tests/activations/test_activation_chapter.py::test_clamp_gradient_at_zero_differs_from_relus",
    ),
    Claim(
        "relu-family-dead-unit-gets-no-gradient",
        "tests/activations/test_activation_chapter.py::test_a_dead_relu_unit_gets_exactly_zero_gradient",
    ),
    Claim(
        "relu-family-elu-c1-only-for-alpha-1",
        "tests/activations/test_activation_registry.py::test_relu_family_prose_follows_the_smoothness_property",
    ),
    Claim(
        "relu-family-elu-mean-closer-to-zero",
        "tests/activations/test_activation_registry.py::test_elu_mean_is_closer_to_zero_than_relus",
    ),
    Claim(
        "relu-family-kink-derivatives-follow-torch",
        "tests/activations/test_activation_registry.py::test_derivative_at_and_around_kinks_follows_torch",
    ),
    Claim(
        "relu-family-selu-moments",
        "tests/activations/test_activation_registry.py::test_selu_mean_and_variance_are_exact",
    ),
    Claim(
        "sigmoid-tanh-hardtanh-zero-gradient",
        "tests/activations/test_activation_registry.py::test_hardtanh_gradient_is_zero_outside_and_at_the_corners",
    ),
    Claim(
        "sigmoid-tanh-heaviside-has-no-gradient",
        "tests/activations/test_activation_registry.py::test_binary_step_derivative_is_undefined_at_the_jump",
    ),
    Claim(
        "sigmoid-tanh-slope-at-most-a-quarter",
        "tests/activations/test_activation_chapter.py::test_sigmoid_slope_peaks_at_one_quarter_at_zero",
    ),
    Claim(
        "sigmoid-tanh-softsign-needs-no-exp",
        "tests/activations/test_activation_registry.py::test_transcendental_calls_stated_on_the_pages",
    ),
    Claim(
        "sigmoid-tanh-tanh-saturates",
        "tests/activations/test_activation_registry.py::test_saturation_as_declared",
    ),
    Claim(
        "sigmoid-tanh-weights-can-make-up",
        "tests/activations/test_activation_chapter.py::test_sigmoid_bound_is_on_the_activation_factor_not_the_layer",
    ),
    Claim(
        "smooth-modern-hard-functions-need-no-exp",
        "tests/activations/test_activation_registry.py::test_transcendental_calls_stated_on_the_pages",
    ),
    Claim(
        "smooth-modern-mish-dips-deeper-than-silu",
        "tests/activations/test_activation_registry.py::test_mish_dips_slightly_deeper_than_silu",
    ),
    Claim(
        "smooth-modern-mish-most-transcendental-calls",
        "tests/activations/test_activation_registry.py::test_transcendental_calls_stated_on_the_pages",
    ),
    Claim(
        "smooth-modern-softplus-threshold-gap",
        "tests/activations/test_activation_registry.py::test_softplus_threshold_stated_is_torchs",
    ),
    Claim(
        "softmax-cold-temperature-bound",
        "tests/activations/test_activation_chapter.py::test_softmax_temperature_table_and_one_hot_limit",
    ),
    Claim(
        "softmax-cross-entropy-float32-rounding",
        "tests/activations/test_activation_chapter.py::test_softmax_temperature_table_and_one_hot_limit",
    ),
    Claim(
        "softmax-one-hot-bound",
        "tests/activations/test_activation_chapter.py::test_softmax_temperature_table_and_one_hot_limit",
    ),
    Claim(
        "softmax-two-classes-is-the-sigmoid",
        "tests/activations/test_activation_chapter.py::test_two_class_softmax_is_the_sigmoid",
    ),
    Claim(
        "vanishing-adam-first-layer-moves",
        "tests/activations/test_activation_chapter.py::test_first_layer_barely_moves_under_sgd_and_moves_under_adam",
    ),
    Claim(
        "vanishing-adam-step-about-the-learning-rate",
        "tests/activations/test_activation_chapter.py::test_adam_steps_a_small_gradient_by_about_the_learning_rate",
    ),
    Claim(
        "vanishing-dead-unit-gets-no-gradient",
        "tests/activations/test_activation_chapter.py::test_a_dead_relu_unit_gets_exactly_zero_gradient",
    ),
    Claim(
        "vanishing-default-init-first-layer-smaller",
        "tests/activations/test_activation_chapter.py::test_vanishing_gradients_measured",
    ),
    Claim(
        "vanishing-dying-adam-revives",
        "tests/activations/test_activation_chapter.py::test_dying_relu_measured",
    ),
    Claim(
        "vanishing-dying-dead-relu-units-stay-dead",
        "tests/activations/test_activation_chapter.py::test_dying_relu_measured",
    ),
    Claim(
        "vanishing-dying-elu-sgd-diverges",
        "tests/activations/test_activation_chapter.py::test_dying_relu_measured",
    ),
    Claim(
        "vanishing-dying-leaky-sgd-stays-inactive",
        "tests/activations/test_activation_chapter.py::test_dying_relu_measured",
    ),
    Claim(
        "vanishing-dying-most-units-start-inactive",
        "tests/activations/test_activation_chapter.py::test_dying_relu_measured",
    ),
    Claim(
        "vanishing-dying-relu-loss-3x",
        "tests/activations/test_activation_chapter.py::test_dying_relu_measured",
    ),
    Claim(
        "vanishing-gelu-close-to-relu-far-from-0",
        "tests/activations/test_activation_chapter.py::test_vanishing_gains_are_the_stated_ones",
    ),
    Claim(
        "vanishing-sgd-first-layer-still",
        "tests/activations/test_activation_chapter.py::test_first_layer_barely_moves_under_sgd_and_moves_under_adam",
    ),
    Claim(
        "vanishing-sigmoid-below-bound",
        "tests/activations/test_activation_chapter.py::test_vanishing_gradients_measured",
    ),
    Claim(
        "vanishing-sigmoid-gain-4",
        "tests/activations/test_activation_chapter.py::test_sigmoid_gain_accounts_for_part_of_the_vanishing",
    ),
    Claim(
        "vanishing-sigmoid-slope-at-most-a-quarter",
        "tests/activations/test_activation_chapter.py::test_sigmoid_slope_peaks_at_one_quarter_at_zero",
    ),
    Claim(
        "vanishing-tanh-relu-gelu-within-10x",
        "tests/activations/test_activation_chapter.py::test_vanishing_gradients_measured",
    ),
    Claim(
        "sigmoid-tanh-bounded-but-the-identity",
        "tests/activations/test_activation_registry.py::test_family_page_intros_hold",
    ),
    Claim(
        "smooth-modern-most-dip-below-zero",
        "tests/activations/test_activation_registry.py::test_family_page_intros_hold",
    ),
    Claim(
        "smooth-modern-softplus-derivative-is-the-sigmoid",
        "tests/activations/test_activation_registry.py::test_softplus_derivative_is_the_sigmoid",
    ),
    Claim(
        "smooth-modern-softplus-formula-overflows",
        "tests/activations/test_activation_chapter.py::test_naive_forms_fail_and_torch_and_ours_do_not",
    ),
    Claim(
        "vanishing-adam-leaves-dead-units-unchanged",
        "tests/activations/test_activation_chapter.py::test_dying_relu_measured",
    ),
    # End of the activation-function chapter's claims.
)


class UnknownClaimError(KeyError):
    """A page names a claim that is not listed here."""


def mark(claim_id: str, page_src_uri: str) -> str:
    """Markdown for the mark after a claim: a check sign linking to the claim's row."""
    if claim_id not in CLAIMS:
        raise UnknownClaimError(
            f"unknown claim {claim_id!r}: list it in docs_build/claims.py with the test "
            "that asserts it"
        )
    c = CLAIMS[claim_id]
    target = posixpath.relpath(TESTING_PAGE, posixpath.dirname(page_src_uri) or ".")
    return (
        f'[<span aria-hidden="true">✓</span><span class="visually-hidden">checked by '
        f"the test {c.function}</span>]({target}#{c.anchor})"
        f'{{ .claim-mark title="Checked by {c.function}" }}'
    )


def made_on(docs: Path) -> dict[str, list[str]]:
    """Which pages (source paths under docs/) make each claim."""
    found: dict[str, list[str]] = {}
    for page in sorted(docs.rglob("*.md")):
        for claim_id in CLAIM_RE.findall(page.read_text(encoding="utf-8")):
            uri = page.relative_to(docs).as_posix()
            if uri not in found.setdefault(claim_id, []):
                found[claim_id].append(uri)
    return found


def _label(uri: str) -> str:
    """A page's path as a reader sees it in the address bar ("home" for the root)."""
    stem = uri.removesuffix(".md").removesuffix("index").rstrip("/")
    return stem or "home"


def table(docs: Path, repo_url: str) -> str:
    """A Markdown table of every claim: the pages that make it and the test that asserts
    it, one row per claim, each row the target of that claim's marks."""
    pages = made_on(docs)
    here = posixpath.dirname(TESTING_PAGE)
    rows = ["| claim | made on | asserted by |", "|---|---|---|"]
    for c in sorted(CLAIMS.values(), key=lambda c: c.id):
        where = ", ".join(
            f"[{_label(p)}]({posixpath.relpath(p, here)})" for p in pages.get(c.id, [])
        )
        source = f"{repo_url.rstrip('/')}/blob/main/{c.path}"
        rows.append(
            f'| <span id="{c.anchor}"></span>`{c.id}` | {where} '
            f"| [`{c.function}`]({source}) in `{c.path}` |"
        )
    return "\n".join(rows)


def render(markdown: str, page_src_uri: str, docs: Path, repo_url: str) -> str:
    """Replace every ``{{ claim ID }}`` by its mark and ``{{ claims }}`` by the table."""
    out = CLAIM_RE.sub(lambda m: mark(m.group(1), page_src_uri), markdown)
    return TABLE_RE.sub(lambda _: table(docs, repo_url), out)
