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
    Claim(
        "rnn-bptt-jacobian-autograd",
        "tests/architectures/test_rnn.py::"
        "test_bptt_jacobian_is_the_product_of_step_jacobians",
    ),
    Claim(
        "rnn-sigma-bounds-jacobians",
        "tests/architectures/test_rnn.py::"
        "test_singular_value_below_one_bounds_the_product_of_jacobians",
    ),
    Claim(
        "rnn-sigma-half-vanishes",
        "tests/architectures/test_rnn.py::test_gradients_vanish_and_explode_as_stated",
    ),
    Claim(
        "rnn-radius-above-one-shrinks",
        "tests/architectures/test_rnn.py::test_gradients_vanish_and_explode_as_stated",
    ),
    Claim(
        "rnn-only-radius-3-explodes",
        "tests/architectures/test_rnn.py::test_gradients_vanish_and_explode_as_stated",
    ),
    Claim(
        "rnn-default-lstm-gradient-shrinks",
        "tests/architectures/test_rnn.py::test_gradients_vanish_and_explode_as_stated",
    ),
    Claim(
        "rnn-forget-gates-near-half",
        "tests/architectures/test_rnn.py::"
        "test_default_lstm_forget_gates_stay_near_one_half",
    ),
    Claim(
        "rnn-gru-quarter-fewer",
        "tests/architectures/test_rnn.py::"
        "test_gru_has_a_quarter_fewer_parameters_than_lstm",
    ),
    Claim(
        "rnn-cho-cell-differs",
        "tests/architectures/test_rnn.py::test_scratch_cho_cell_equals_its_equation",
    ),
    Claim(
        "rnn-scratch-matches-torch",
        "tests/architectures/test_rnn.py::test_scratch_layer_matches_torch",
    ),
    Claim(
        "rnn-equations-match-cells",
        "tests/architectures/test_rnn.py::test_gate_equations_equal_torch_cells",
    ),
    Claim(
        "rnn-param-formulas",
        "tests/architectures/test_rnn.py::test_parameter_count_formula",
    ),
    Claim(
        "rnn-stacked-param-formula",
        "tests/architectures/test_rnn.py::test_stacked_parameter_count_formula",
    ),
    Claim(
        "rnn-default-none-solves",
        "tests/architectures/test_rnn.py::test_recall_claims_hold_at_the_stated_bounds",
    ),
    Claim(
        "rnn-forget-bias-alone-fails",
        "tests/architectures/test_rnn.py::test_recall_claims_hold_at_the_stated_bounds",
    ),
    Claim(
        "rnn-gated-beat-vanilla",
        "tests/architectures/test_rnn.py::test_recall_claims_hold_at_the_stated_bounds",
    ),
    Claim(
        "rnn-identity-near-chance",
        "tests/architectures/test_rnn.py::test_recall_claims_hold_at_the_stated_bounds",
    ),
    Claim(
        "cnn-correlation-is-conv2d",
        "tests/architectures/test_cnn.py::"
        "test_cross_correlation_formula_is_what_conv2d_computes",
    ),
    Claim(
        "cnn-convolution-is-flipped",
        "tests/architectures/test_cnn.py::"
        "test_convolution_formula_equals_flipped_kernel_correlation",
    ),
    Claim(
        "cnn-flip-matters-only-if-asymmetric",
        "tests/architectures/test_cnn.py::"
        "test_flip_matters_only_for_kernels_that_change_when_flipped",
    ),
    Claim(
        "cnn-out-size-formula",
        "tests/architectures/test_cnn.py::"
        "test_output_size_formula_matches_conv2d_shapes",
    ),
    Claim(
        "cnn-dilated-reduces-to-undilated",
        "tests/architectures/test_cnn.py::"
        "test_dilated_output_size_formula_matches_conv2d",
    ),
    Claim(
        "cnn-dilated-out-size-formula",
        "tests/architectures/test_cnn.py::"
        "test_dilated_output_size_formula_matches_conv2d",
    ),
    Claim(
        "cnn-pool-size-formula",
        "tests/architectures/test_cnn.py::test_pool_size_formula_matches_pooling",
    ),
    Claim(
        "cnn-param-formula",
        "tests/architectures/test_cnn.py::test_parameter_formula_matches_numel",
    ),
    Claim(
        "cnn-im2col-matches-conv2d",
        "tests/architectures/test_cnn.py::"
        "test_im2col_conv_matches_conv2d_values_and_gradients",
    ),
    Claim(
        "cnn-scratch-layer-matches",
        "tests/architectures/test_cnn.py::"
        "test_scratch_layer_matches_nn_conv2d_with_the_same_weights",
    ),
    Claim(
        "cnn-shapes-keep-and-halve",
        "tests/architectures/test_cnn.py::test_page_facts_describe_this_model",
    ),
    Claim(
        "cnn-trained-accuracy",
        "tests/architectures/test_cnn.py::test_training_reaches_the_stated_accuracy",
    ),
    Claim(
        "cnn-receptive-field-three-ways",
        "tests/architectures/test_cnn.py::"
        "test_receptive_field_formula_count_and_autograd_agree",
    ),
    Claim(
        "cnn-receptive-field-smaller-than-image",
        "tests/architectures/test_cnn.py::test_receptive_field_of_the_page",
    ),
    Claim(
        "cnn-border-units-see-less",
        "tests/architectures/test_cnn.py::test_border_units_see_less_of_the_image",
    ),
    Claim(
        "transformers-attention-matches-sdpa",
        "tests/architectures/test_transformers.py::test_attention_matches_torch",
    ),
    Claim(
        "transformers-unscaled-saturates",
        "tests/architectures/test_transformers.py::"
        "test_unscaled_softmax_saturates_and_scaled_does_not",
    ),
    Claim(
        "transformers-scaled-peak-steady",
        "tests/architectures/test_transformers.py::"
        "test_unscaled_softmax_saturates_and_scaled_does_not",
    ),
    Claim(
        "transformers-variance-within-tolerance",
        "tests/architectures/test_transformers.py::"
        "test_dot_product_variance_grows_like_d_k",
    ),
    Claim(
        "transformers-mha-matches-torch",
        "tests/architectures/test_transformers.py::"
        "test_multi_head_attention_matches_torch",
    ),
    Claim(
        "transformers-mha-params-any-heads",
        "tests/architectures/test_transformers.py::test_mha_parameter_formula",
    ),
    Claim(
        "transformers-attention-permutation-equivariant",
        "tests/architectures/test_transformers.py::"
        "test_self_attention_is_permutation_equivariant",
    ),
    Claim(
        "transformers-pe-rotation-symbolic",
        "tests/architectures/test_transformers.py::test_shift_is_a_rotation_symbolically",
    ),
    Claim(
        "transformers-pe-rotation-numeric",
        "tests/architectures/test_transformers.py::test_shift_is_a_rotation_numerically",
    ),
    Claim(
        "transformers-pe-equals-formula",
        "tests/architectures/test_transformers.py::"
        "test_positional_encoding_equals_its_formula",
    ),
    Claim(
        "transformers-block-outputs-match",
        "tests/architectures/test_transformers.py::"
        "test_encoder_block_matches_transformer_encoder_layer",
    ),
    Claim(
        "transformers-block-gradients-match",
        "tests/architectures/test_transformers.py::"
        "test_encoder_block_gradients_match_transformer_encoder_layer",
    ),
    Claim(
        "transformers-model-param-formula",
        "tests/architectures/test_transformers.py::test_model_parameter_formula",
    ),
    Claim(
        "language-bpe-round-trip",
        "tests/architectures/test_language.py::test_bpe_round_trips_exactly",
    ),
    Claim(
        "language-embedding-is-one-hot",
        "tests/architectures/test_language.py::"
        "test_embedding_is_a_one_hot_row_times_the_matrix",
    ),
    Claim(
        "language-block-matches-torch",
        "tests/architectures/test_language.py::"
        "test_decoder_block_equals_torch_encoder_layer_with_causal_mask",
    ),
    Claim(
        "language-causal-no-future",
        "tests/architectures/test_language.py::"
        "test_changing_a_later_token_leaves_earlier_logits_unchanged",
    ),
    Claim(
        "language-teacher-forcing",
        "tests/architectures/test_language.py::"
        "test_one_teacher_forced_pass_equals_predicting_each_prefix",
    ),
    Claim(
        "language-model-beats-bigram",
        "tests/architectures/test_language.py::"
        "test_transformer_beats_the_baselines_as_stated",
    ),
    Claim(
        "language-trigram-beats-model",
        "tests/architectures/test_language.py::test_trigram_beats_the_model_as_stated",
    ),
    Claim(
        "language-embeddings-barely-move",
        "tests/architectures/test_language.py::"
        "test_training_barely_moves_the_embeddings_as_stated",
    ),
    Claim(
        "transformers-reversal-accuracy",
        "tests/architectures/test_transformers.py::"
        "test_transformer_learns_to_reverse_as_stated",
    ),
    Claim(
        "transformers-attends-to-mirror",
        "tests/architectures/test_transformers.py::"
        "test_trained_attention_looks_at_the_mirrored_position",
    ),
    Claim(
        "architectures-chapters-train-their-scripts",
        "tests/architectures/test_architectures_index.py::"
        "test_every_chapter_trains_its_script_and_states_the_time",
    ),
    Claim(
        "architectures-plan-table-true",
        "tests/architectures/test_architectures_index.py::"
        "test_the_table_cells_are_true",
    ),
    Claim(
        "autoencoders-mse-below",
        "tests/architectures/test_autoencoder.py::"
        "test_stated_errors_are_this_model_and_pca_and_meet_the_claims",
    ),
    Claim(
        "autoencoders-beats-pca",
        "tests/architectures/test_autoencoder.py::"
        "test_stated_errors_are_this_model_and_pca_and_meet_the_claims",
    ),
    Claim(
        "autoencoders-denoiser-closer",
        "tests/architectures/test_autoencoder.py::"
        "test_stated_errors_are_this_model_and_pca_and_meet_the_claims",
    ),
    Claim(
        "autoencoders-pca-folds-the-sheet",
        "tests/architectures/test_autoencoder.py::"
        "test_latent_figure_band_mixing_is_measured_and_as_stated",
    ),
    Claim(
        "autoencoders-code-keeps-bands-apart",
        "tests/architectures/test_autoencoder.py::"
        "test_latent_figure_band_mixing_is_measured_and_as_stated",
    ),
    Claim(
        "autoencoders-gray-levels-not-a-distribution",
        "tests/architectures/test_vae.py::"
        "test_reconstruction_term_is_a_distribution_over_binary_images_only",
    ),
    Claim(
        "autoencoders-vae-training-lowers-the-bound",
        "tests/architectures/test_vae.py::test_training_lowers_the_negative_elbo",
    ),
    Claim(
        "autoencoders-vae-elbo-bounds-likelihood",
        "tests/architectures/test_vae.py::"
        "test_elbo_is_below_log_likelihood_for_every_image",
    ),
    Claim(
        "autoencoders-vae-elbo-gap",
        "tests/architectures/test_vae.py::"
        "test_stated_likelihood_and_elbo_are_this_models",
    ),
    Claim(
        "autoencoders-vae-near-the-floor",
        "tests/architectures/test_vae.py::"
        "test_floor_is_the_entropy_of_the_pixels_given_the_center",
    ),
    Claim(
        "autoencoders-vae-kl-bounds-information",
        "tests/architectures/test_vae.py::"
        "test_average_kl_bounds_the_information_in_the_code",
    ),
    Claim(
        "autoencoders-vae-no-posterior-collapse",
        "tests/architectures/test_vae.py::"
        "test_stated_kl_is_this_encoders_and_the_code_is_used",
    ),
    Claim(
        "autoencoders-vae-samples-are-blobs",
        "tests/architectures/test_vae.py::test_decoded_samples_each_look_like_one_blob",
    ),
    Claim(
        "autoencoders-vae-nearby-codes-nearby-blobs",
        "tests/architectures/test_vae.py::"
        "test_codes_spread_like_the_prior_and_keep_neighbors_together",
    ),
    Claim(
        "autoencoders-vae-codes-match-prior",
        "tests/architectures/test_vae.py::"
        "test_codes_spread_like_the_prior_and_keep_neighbors_together",
    ),
    Claim(
        "autoencoders-rbm-reconstruction-falls",
        "tests/architectures/test_rbm.py::"
        "test_stated_results_are_this_rbm_and_training_works",
    ),
    Claim(
        "autoencoders-rbm-likelihood-rises",
        "tests/architectures/test_rbm.py::"
        "test_stated_results_are_this_rbm_and_training_works",
    ),
    Claim(
        "autoencoders-rbm-starts-near-uniform",
        "tests/architectures/test_rbm.py::"
        "test_stated_results_are_this_rbm_and_training_works",
    ),
    Claim(
        "autoencoders-rbm-more-than-halfway",
        "tests/architectures/test_rbm.py::"
        "test_stated_results_are_this_rbm_and_training_works",
    ),
    Claim(
        "gan-d-star-matches",
        "tests/architectures/test_gan.py::test_d_star_matches_a_trained_discriminator",
    ),
    Claim(
        "gan-saturating-loss-flat",
        "tests/architectures/test_gan.py::"
        "test_saturating_loss_is_flat_where_the_generator_loses",
    ),
    Claim(
        "gan-non-saturating-loss-steep",
        "tests/architectures/test_gan.py::"
        "test_saturating_loss_is_flat_where_the_generator_loses",
    ),
    Claim(
        "gan-samples-near-modes",
        "tests/architectures/test_gan.py::"
        "test_stated_results_hold_for_the_trained_generator",
    ),
    Claim(
        "gan-all-modes-covered",
        "tests/architectures/test_gan.py::"
        "test_stated_results_hold_for_the_trained_generator",
    ),
    Claim(
        "gan-energy-below",
        "tests/architectures/test_gan.py::"
        "test_stated_results_hold_for_the_trained_generator",
    ),
    Claim(
        "gan-samples-still-distinguishable",
        "tests/architectures/test_gan.py::"
        "test_stated_results_hold_for_the_trained_generator",
    ),
    Claim(
        "gan-losses-settle",
        "tests/architectures/test_gan.py::test_losses_settle_near_the_balanced_values",
    ),
    Claim(
        "gan-run-never-saturates",
        "tests/architectures/test_gan.py::test_this_run_never_saturates",
    ),
    Claim(
        "shallow-vs-deep-equal-budget",
        "tests/architectures/test_shallow_vs_deep.py::"
        "test_shallow_and_deep_have_matching_parameter_counts",
    ),
    Claim(
        "shallow-vs-deep-deep-fits-closer",
        "tests/architectures/test_shallow_vs_deep.py::"
        "test_deep_net_fits_the_training_data_more_closely",
    ),
    Claim(
        "shallow-vs-deep-deep-lower-in-most-draws",
        "tests/architectures/test_shallow_vs_deep.py::"
        "test_deep_net_ends_lower_in_the_stated_share_of_data_draws",
    ),
    Claim(
        "shallow-vs-deep-race-learning-rate",
        "tests/architectures/test_shallow_vs_deep.py::"
        "test_relu_at_the_chapters_learning_rate_springs_back_above_the_target",
    ),
    Claim(
        "shallow-vs-deep-training-flops",
        "tests/architectures/test_shallow_vs_deep.py::"
        "test_backward_over_forward_and_training_flops",
    ),
    Claim(
        "shallow-vs-deep-both-generalize",
        "tests/architectures/test_shallow_vs_deep.py::"
        "test_both_nets_reach_the_stated_test_accuracy",
    ),
    Claim(
        "shallow-vs-deep-relu-reaches-target",
        "tests/architectures/test_shallow_vs_deep.py::"
        "test_relu_reaches_the_target_and_sigmoid_stalls",
    ),
    Claim(
        "shallow-vs-deep-first-layer-gradient",
        "tests/architectures/test_shallow_vs_deep.py::"
        "test_sigmoid_first_layer_gradient_is_far_smaller",
    ),
    Claim(
        "shallow-vs-deep-sigmoid-stalls",
        "tests/architectures/test_shallow_vs_deep.py::"
        "test_relu_reaches_the_target_and_sigmoid_stalls",
    ),
    Claim(
        "shallow-vs-deep-more-data",
        "tests/architectures/test_shallow_vs_deep.py::"
        "test_more_data_gives_higher_test_accuracy",
    ),
    Claim(
        "shallow-vs-deep-data-curves-close",
        "tests/architectures/test_shallow_vs_deep.py::"
        "test_the_two_learning_curves_stay_close",
    ),
    Claim(
        "shallow-vs-deep-data-curves-other-draws",
        "tests/architectures/test_shallow_vs_deep.py::"
        "test_learning_curves_on_other_draws",
    ),
    Claim(
        "shallow-vs-deep-race-first-layer-moves",
        "tests/architectures/test_shallow_vs_deep.py::"
        "test_under_adam_the_sigmoid_first_layer_moves",
    ),
    Claim(
        "shallow-vs-deep-backward-over-forward",
        "tests/architectures/test_shallow_vs_deep.py::"
        "test_backward_over_forward_and_training_flops",
    ),
    Claim(
        "compute-largest-over-smallest",
        "tests/architectures/test_compute.py::test_largest_step_over_smallest",
    ),
    Claim(
        "shallow-vs-deep-inputs-both-routes",
        "tests/architectures/test_shallow_vs_deep.py::"
        "test_features_and_cnn_both_reach_the_stated_accuracy",
    ),
    Claim(
        "shallow-vs-deep-inputs-raw-pixels",
        "tests/architectures/test_shallow_vs_deep.py::"
        "test_shallow_net_on_raw_pixels_falls_behind",
    ),
    Claim(
        "shallow-vs-deep-init-scale",
        "tests/architectures/test_shallow_vs_deep.py::"
        "test_he_init_keeps_the_scale_and_small_weights_lose_it",
    ),
    Claim(
        "training-gain-keeps-scale",
        "tests/architectures/test_training.py::"
        "test_the_gain_keeps_the_scale_and_its_absence_loses_it",
    ),
    Claim(
        "training-batch-norm-fastest",
        "tests/architectures/test_training.py::"
        "test_batch_norm_trains_fastest_and_plain_sgd_stalls",
    ),
    Claim(
        "training-dropout-narrows-gap-not-test",
        "tests/architectures/test_training.py::"
        "test_dropout_narrows_the_gap_and_lowers_test_accuracy",
    ),
    Claim(
        "training-adam-below-sgd",
        "tests/architectures/test_training.py::test_adam_ends_far_below_sgd",
    ),
    Claim(
        "explorer-matches-torch",
        "tests/browser/test_browser_explorer.py::test_printed_functions_match_torch_float64_in_chromium",
    ),
    Claim(
        "explorer-softplus-as-torch",
        "tests/browser/test_browser_explorer.py::test_softplus_as_torch_computes_it_in_chromium",
    ),
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
        "tests/activations/test_activation_chapter.py::test_vanishing_spread_over_seeds",
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
        "numerical-stability-exp-overflow",
        "tests/activations/test_activation_chapter.py::test_float32_exp_overflow_point_is_stated_on_the_safe_side",
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
        "relu-family-relatives-change",
        "tests/activations/test_activation_registry.py::test_relu_relatives_change_below_above_or_the_cut_off",
    ),
    Claim(
        "relu-family-threshold-conditions",
        "tests/activations/test_activation_registry.py::test_threshold_is_monotonic_iff_v_le_theta_and_continuous_iff_equal",
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
        "softmax-jacobian-derived-by-sympy",
        "tests/activations/test_softmax_gradients.py::test_softmax_jacobian_derived_by_sympy",
    ),
    Claim(
        "softmax-jacobian-matches-autograd",
        "tests/activations/test_softmax_gradients.py::test_softmax_jacobian_matches_autograd",
    ),
    Claim(
        "softmax-jacobian-rows-sum-to-zero",
        "tests/activations/test_softmax_gradients.py::test_softmax_jacobian_rows_sum_to_zero_and_it_is_singular",
    ),
    Claim(
        "softmax-jacobian-symmetric",
        "tests/activations/test_softmax_gradients.py::test_softmax_jacobian_is_symmetric",
    ),
    Claim(
        "log-softmax-jacobian",
        "tests/activations/test_softmax_gradients.py::test_log_softmax_jacobian_derived_and_matches_autograd",
    ),
    Claim(
        "cross-entropy-gradient-p-minus-y",
        "tests/activations/test_softmax_gradients.py::test_cross_entropy_gradient_is_p_minus_y",
    ),
    Claim(
        "cross-entropy-mean-divides-by-batch",
        "tests/activations/test_softmax_gradients.py::test_cross_entropy_mean_reduction_divides_the_gradient_by_the_batch",
    ),
    Claim(
        "cross-entropy-mean-weight-and-ignore-index",
        "tests/activations/test_softmax_gradients.py::"
        "test_cross_entropy_mean_with_weight_and_ignore_index",
    ),
    Claim(
        "cross-entropy-label-smoothing-gradient",
        "tests/activations/test_softmax_gradients.py::test_label_smoothing_loss_and_gradient",
    ),
    Claim(
        "label-smoothing-minimum-at-q",
        "tests/activations/test_softmax_gradients.py::"
        "test_label_smoothing_is_smallest_where_p_is_q",
    ),
    Claim(
        "softmin-is-softmax-of-minus-z",
        "tests/activations/test_softmax_gradients.py::test_softmin_is_softmax_of_minus_z",
    ),
    Claim(
        "softmin-jacobian",
        "tests/activations/test_softmax_gradients.py::"
        "test_softmin_jacobian_is_minus_the_softmax_jacobian",
    ),
    Claim(
        "softmax-example-gradient-sums-to-zero",
        "tests/activations/test_softmax_gradients.py::test_worked_example_numbers",
    ),
    Claim(
        "vanishing-adam-first-layer-moves",
        "tests/activations/test_activation_chapter.py::test_first_layer_barely_moves_under_sgd_and_moves_under_adam",
    ),
    Claim(
        "vanishing-adam-first-layer-depends-on-eps",
        "tests/activations/test_activation_chapter.py::test_adam_moves_the_first_layer_through_its_eps",
    ),
    Claim(
        "vanishing-first-layer-gradient-below-adam-eps",
        "tests/activations/test_activation_chapter.py::test_adam_moves_the_first_layer_through_its_eps",
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
        "vanishing-dying-elu-sgd-small-lr-trains",
        "tests/activations/test_activation_chapter.py::test_elu_diverges_under_sgd_because_its_step_is_too_large",
    ),
    Claim(
        "vanishing-dying-elu-sgd-step-too-large",
        "tests/activations/test_activation_chapter.py::test_elu_diverges_under_sgd_because_its_step_is_too_large",
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
        "vanishing-dying-relu-loss-over-seeds",
        "tests/activations/test_activation_chapter.py::test_dying_relu_loss_over_seeds",
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
        "vanishing-spread-over-seeds",
        "tests/activations/test_activation_chapter.py::test_vanishing_spread_over_seeds",
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
        "smooth-modern-softplus-beta-unchecked",
        "tests/activations/test_activation_registry.py::test_softplus_beta_is_not_checked",
    ),
    Claim(
        "smooth-modern-softplus-formula-overflows",
        "tests/activations/test_activation_chapter.py::test_naive_forms_fail_and_torch_and_ours_do_not",
    ),
    Claim(
        "vanishing-adam-leaves-dead-units-unchanged",
        "tests/activations/test_activation_chapter.py::test_dying_relu_measured",
    ),
    # review-seq: claims added by the sequence- and vision-pages review
    Claim(
        "transformers-mha-formula-matches-torch",
        "tests/architectures/test_transformers.py::"
        "test_multi_head_formula_equals_torch_and_the_code",
    ),
    Claim(
        "cnn-out-size-matches-nn-conv2d",
        "tests/architectures/test_cnn.py::test_dilated_formula_is_nn_conv2d_per_dimension",
    ),
    Claim(
        "architectures-families-table-on-the-pages",
        "tests/architectures/test_architectures_index.py::"
        "test_each_family_row_is_what_its_chapter_says",
    ),
    Claim(
        "rnn-two-biases-only-sum-matters",
        "tests/architectures/test_rnn.py::"
        "test_only_the_bias_sum_matters_except_in_the_grus_candidate",
    ),
    Claim(
        "cnn-padding-and-dilation-examples",
        "tests/architectures/test_cnn.py::test_same_padding_and_the_dilated_window",
    ),
    Claim(
        "cnn-pool-halves",
        "tests/architectures/test_cnn.py::test_two_by_two_pool_halves_an_even_grid",
    ),
    Claim(
        "cnn-pool-stride-defaults-to-kernel",
        "tests/architectures/test_cnn.py::test_pool_stride_defaults_to_the_window",
    ),
    Claim(
        "transformers-mask-conventions",
        "tests/architectures/test_transformers.py::test_pytorchs_two_mask_conventions",
    ),
    Claim(
        "rnn-cell-path-jacobian-is-forget-gate",
        "tests/architectures/test_rnn.py::test_cell_path_jacobian_is_the_forget_gate",
    ),
    # review-act: results the activation pages stated without a mark.
    Claim(
        "sigmoid-tanh-bounded-slopes-vanish",
        "tests/activations/test_review_act.py::test_bounded_nondecreasing_slopes_vanish",
    ),
    Claim(
        "relu-family-half-of-normal-input-is-zero",
        "tests/activations/test_review_act.py::test_relu_zeroes_half_of_a_normal_input",
    ),
    Claim(
        "numerical-stability-ours-finite-where-naive-fails",
        "tests/activations/test_activation_chapter.py::test_naive_forms_fail_and_torch_and_ours_do_not",
    ),
    Claim(
        "sigmoid-tanh-positive-inputs-one-sign-per-unit",
        "tests/activations/test_review_act.py::test_positive_inputs_give_one_gradient_sign_per_unit",
    ),
    Claim(
        "sigmoid-tanh-lstm-uses-tanh",
        "tests/activations/test_review_act.py::test_lstm_uses_tanh_for_the_state_and_sigmoid_gates",
    ),
    # review-gen: results on the home page and the shallow-vs-deep page not marked before.
    Claim(
        "shallow-vs-deep-sigmoid-slope-at-most-a-quarter",
        "tests/architectures/test_shallow_vs_deep.py::"
        "test_sigmoid_slope_is_at_most_the_stated_peak",
    ),
    Claim(
        "home-xor-learned",
        "tests/test_quickstart.py::test_xor_is_learned",
    ),
    # branch rnn-robust: the recall-task claims count seeds, not one chaotic run
    Claim(
        "rnn-remember-solves",
        "tests/architectures/test_rnn.py::test_recall_claims_hold_at_the_stated_bounds",
    ),
    Claim(
        "rnn-orthogonal-no-fix",
        "tests/architectures/test_rnn.py::test_recall_claims_hold_at_the_stated_bounds",
    ),
    Claim(
        "rnn-recall-claims-survive-noise",
        "tests/architectures/test_rnn.py::test_recall_claims_survive_noise_in_the_start",
    ),
    # the GAN's value at the optimal discriminator, printed from sympy
    Claim(
        "gan-value-at-d-star-is-jsd",
        "tests/architectures/test_gan.py::"
        "test_value_at_d_star_is_minus_log_4_plus_twice_the_jsd",
    ),
    # act-more: the new activations' summaries
    Claim(
        "relu-family-rrelu-random-in-training",
        "tests/activations/test_activation_registry.py::test_rrelu_is_random_in_training_and_leaky_relu_in_eval",
    ),
    Claim(
        "smooth-modern-quick-gelu-error",
        "tests/activations/test_activation_registry.py::test_quick_gelu_error_against_gelu_is_below_the_stated_bound",
    ),
    Claim(
        "smooth-modern-swish-beta-special-cases",
        "tests/activations/test_activation_registry.py::test_swish_beta_is_silu_and_quick_gelu_at_their_betas",
    ),
    Claim(
        "smooth-modern-squareplus-b-matches-softplus",
        "tests/activations/test_squareplus.py::test_b_4_gives_softplus_curvature_at_0",
    ),
    Claim(
        "smooth-modern-squareplus-identities",
        "tests/activations/test_squareplus.py::test_squareplus_identities_in_float64",
    ),
    Claim(
        "smooth-modern-squareplus-far-left",
        "tests/activations/test_squareplus.py::test_reference_is_accurate_far_left_where_the_formula_is_not",
    ),
    # gated linear units (docs/activations/gated.md)
    Claim(
        "gated-glu-gates-second-half",
        "tests/activations/test_gated.py::test_glu_gates_the_second_half",
    ),
    Claim(
        "gated-ffn-equal-parameters",
        "tests/activations/test_gated.py::test_gated_block_has_the_plain_blocks_parameter_count",
    ),
    Claim(
        "gated-ffn-bias-counts-differ",
        "tests/activations/test_gated.py::test_with_biases_the_gated_block_has_h_over_3_more_parameters",
    ),
    Claim(
        "gated-ffn-swiglu-behind-early",
        "tests/activations/test_gated.py::test_swiglu_block_is_behind_both_plain_blocks_early",
    ),
    Claim(
        "gated-ffn-swiglu-ahead-final",
        "tests/activations/test_gated.py::test_swiglu_block_is_ahead_of_both_plain_blocks_at_the_end",
    ),
    Claim(
        "gated-ffn-plain-blocks-overfit",
        "tests/activations/test_gated.py::test_plain_blocks_test_loss_is_lowest_early_and_higher_at_the_end",
    ),
    Claim(
        "gated-ffn-swiglu-test-loss-falls",
        "tests/activations/test_gated.py::test_swiglu_test_loss_falls_at_every_recorded_step",
    ),
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
            # A plain link: code inside a link is under contrast in the dark palette.
            f"| [{c.function}]({source}) in `{c.path}` |"
        )
    return "\n".join(rows)


def render(markdown: str, page_src_uri: str, docs: Path, repo_url: str) -> str:
    """Replace every ``{{ claim ID }}`` by its mark and ``{{ claims }}`` by the table."""
    out = CLAIM_RE.sub(lambda m: mark(m.group(1), page_src_uri), markdown)
    return TABLE_RE.sub(lambda _: table(docs, repo_url), out)
