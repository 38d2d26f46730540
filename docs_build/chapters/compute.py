"""Compute: the FLOPs of one training step of each architecture chapter's model, counted by
PyTorch's FLOP counter, and how fast the CPU that built the site ran that step (the shallow
vs deep page's "Compute" section).

A module of its own, so that its cache key (docs_build/registry.py) covers every
architecture snippet: editing one of them recomputes these few steps (seconds), not the
shallow-vs-deep trainings.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import NamedTuple

from docs_build.common import LazyModule, default, one_thread
from docs_build.registry import facts, runs

# Imported on first use: the build imports this chapter without them.
torch = LazyModule("torch")

TIMING_REPEATS = (
    5  # the time of a step is the best of this many, after one warm-up step
)
LARGEST_OVER_SMALLEST = 5000  # the page: the costliest step is over this many times the
# cheapest


class Step(NamedTuple):
    """One training step of a chapter's model: forward, loss, backward (no optimizer)."""

    snippet: str  # the module in snippets/architectures/ the model comes from
    page: str  # the chapter's page, relative to docs/architectures/
    chapter: str
    model: str
    batch: int
    parameters: int
    run: Callable[[], None]


def _parameters(*models: torch.nn.Module) -> int:
    return sum(p.numel() for m in models for p in m.parameters())


def training_steps() -> list[Step]:
    """Each chapter's model at its defaults, on a batch of the size its training function
    draws (inputs of the right shape; their values do not change the FLOPs)."""
    from architectures import autoencoder as ae
    from architectures import cnn, gan, rbm, rnn, vae
    from architectures import language as lm
    from architectures import shallow_vs_deep as sd
    from architectures import training as tr
    from architectures import transformers as tf
    from torch import nn
    from torch.nn import functional as F

    torch.manual_seed(0)
    steps = []

    # Shallow vs deep: full batch, the logistic loss.
    n = default(sd.compare, "n_train")
    xs, ys = torch.zeros(n, 2), torch.zeros(n)
    for name, widths in (
        ("shallow", [2, sd.shallow_width_matching(sd.DEEP_WIDTHS), 1]),
        ("deep", sd.DEEP_WIDTHS),
    ):
        mlp = sd.MLP(widths)
        steps.append(
            Step(
                "shallow_vs_deep",
                "shallow-vs-deep.md",
                f"Shallow vs deep ({name})",
                "MLP " + " → ".join(map(str, widths)),
                n,
                _parameters(mlp),
                lambda m=mlp: F.binary_cross_entropy_with_logits(m(xs), ys).backward(),
            )
        )

    # Training deep networks: the deep net of the normalization experiment, with batch
    # norm, on its full batch (the normalizations add no matrix products).
    n, depth = default(tr.compare_norms, "n_train"), default(tr.compare_norms, "depth")
    normed = tr.MLP(depth, norm="batch")
    x_tr, y_tr = torch.zeros(n, 2), torch.zeros(n)
    steps.append(
        Step(
            "training",
            "training.md",
            "Training deep networks",
            f"MLP, {depth} layers + batch norm",
            n,
            _parameters(normed),
            lambda: F.binary_cross_entropy_with_logits(normed(x_tr), y_tr).backward(),
        )
    )

    # Convolutional networks: mini-batches of 16 x 16 images, cross-entropy.
    n = default(cnn.train_cnn, "batch")
    small_cnn = cnn.SmallCNN()
    xi, yi = torch.zeros(n, 1, 16, 16), torch.zeros(n, dtype=torch.long)
    steps.append(
        Step(
            "cnn",
            "cnn.md",
            "Convolutional networks",
            "SmallCNN",
            n,
            _parameters(small_cnn),
            lambda: F.cross_entropy(small_cnn(xi), yi).backward(),
        )
    )

    # Recurrent networks: the LSTM of the memory task. nn.LSTM's fused kernel is not seen
    # by the FLOP counter, so the count runs the chapter's own LSTM cell (the same
    # products; the chapter's tests check it against nn.LSTM) with the same sizes.
    n, length = (
        default(rnn.train_first_token, "batch"),
        default(rnn.train_first_token, "length"),
    )
    hidden = default(rnn.train_first_token, "hidden")
    recurrent = rnn.Recurrent("LSTM", rnn.VOCAB, hidden)
    head = nn.Linear(hidden, rnn.SIGNALS)
    xr, yr = torch.zeros(n, length, rnn.VOCAB), torch.zeros(n, dtype=torch.long)
    steps.append(
        Step(
            "rnn",
            "rnn.md",
            "Recurrent networks",
            f"LSTM, {hidden} units, {length} steps",
            n,
            _parameters(recurrent, head),
            lambda: F.cross_entropy(head(recurrent(xr)[0][:, -1]), yr).backward(),
        )
    )

    # Transformers: reversing digit sequences.
    n, length = default(tf.train_reverse, "batch"), default(tf.train_reverse, "length")
    tiny = tf.TinyTransformer()
    xt = torch.zeros(n, length, dtype=torch.long)
    steps.append(
        Step(
            "transformers",
            "transformers.md",
            "Transformers",
            "TinyTransformer",
            n,
            _parameters(tiny),
            lambda: F.cross_entropy(tiny(xt)[0].flatten(0, 1), xt.flatten()).backward(),
        )
    )

    # Language: the vocabulary is the training text's characters plus the BPE merges.
    train_text, _ = lm.load_corpus()
    vocab = len(lm.CharTokenizer(train_text).chars) + default(lm.BPETokenizer, "merges")
    n = default(lm.train_language_model, "batch")
    context = default(lm.train_language_model, "context")
    tiny_lm = lm.TinyLM(vocab, context=context)
    xl = torch.zeros(n, context, dtype=torch.long)
    steps.append(
        Step(
            "language",
            "language.md",
            "Language",
            f"TinyLM, {vocab} tokens, context {context}",
            n,
            _parameters(tiny_lm),
            lambda: F.cross_entropy(tiny_lm(xl).flatten(0, 1), xl.flatten()).backward(),
        )
    )

    # Autoencoders: mini-batches of 16-dimensional points, mean squared error.
    n = default(ae.train_autoencoder, "batch")
    auto = ae.Autoencoder()
    xa = torch.zeros(n, auto.dim)
    steps.append(
        Step(
            "autoencoder",
            "autoencoders.md",
            "Autoencoders",
            "Autoencoder",
            n,
            _parameters(auto),
            lambda: ae.reconstruction_mse(auto(xa), xa).backward(),
        )
    )

    # Variational autoencoders: 12 x 12 images, the negative ELBO.
    n = default(vae.train_vae, "batch")
    var = vae.VAE()
    xv = torch.zeros(n, var.dim)
    steps.append(
        Step(
            "vae",
            "autoencoders.md#variational-autoencoder",
            "Variational autoencoders",
            "VAE",
            n,
            _parameters(var),
            lambda: _elbo_step(vae, var, xv),
        )
    )

    # GANs: one discriminator step and one generator step, as train_gan alternates them.
    n = default(gan.train_gan, "batch")
    G, D = gan.Generator(), gan.Discriminator()
    real, noise = torch.zeros(n, 2), torch.zeros(n, G.noise)

    def gan_step() -> None:
        fake = G(noise)
        gan.discriminator_loss(D(real), D(fake.detach())).backward()
        gan.generator_loss(D(fake)).backward()

    steps.append(
        Step(
            "gan",
            "gan.md",
            "GANs",
            "Generator + Discriminator",
            n,
            _parameters(G, D),
            gan_step,
        )
    )

    # RBMs: one contrastive-divergence update on every bars-and-stripes pattern (no
    # backward pass: CD-1 computes its update itself).
    data = rbm.bars_and_stripes()
    machine = rbm.RBM(visible=data.shape[1], hidden=default(rbm.train_rbm, "hidden"))
    steps.append(
        Step(
            "rbm",
            "autoencoders.md#restricted-boltzmann-machines",
            "Restricted Boltzmann machines",
            "RBM, CD-1",
            len(data),
            _parameters(machine),
            lambda: rbm.cd1_step(machine, data, default(rbm.train_rbm, "lr")),
        )
    )
    return steps


def _elbo_step(vae, model: torch.nn.Module, x: torch.Tensor) -> None:
    logits, mu, logvar = model(x)
    vae.negative_elbo(logits, x, mu, logvar).backward()


def count_flops(step: Callable[[], None]) -> int:
    """FLOPs of one call of ``step`` as torch.utils.flop_counter counts them (matrix
    products and convolutions, forward and backward; not elementwise work)."""
    from torch.utils.flop_counter import FlopCounterMode

    with FlopCounterMode(display=False) as counter:
        step()
    return counter.get_total_flops()


def best_seconds(step: Callable[[], None], repeats: int = TIMING_REPEATS) -> float:
    """The fastest of ``repeats`` timed calls, after one untimed warm-up call."""
    step()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        best = min(best, time.perf_counter() - start)
    return best


@runs("compute")
@functools.cache
def measured() -> dict[str, list[dict]]:
    """Every step (its snippet, chapter, model, ...), its FLOP count and best time, on one
    thread, as the site is built: the table's rows, in order, as ``steps``."""
    out = []
    with one_thread():
        for step in training_steps():
            out.append(
                step._asdict()
                | {"flops": count_flops(step.run), "seconds": best_seconds(step.run)}
            )
    return {"steps": out}


def sci(value: float) -> str:
    """A number as LaTeX, three significant digits: 1.23 x 10^{6}."""
    mantissa, exponent = f"{value:.2e}".split("e")
    return rf"${mantissa} \times 10^{{{int(exponent)}}}$"


@facts("compute")
def compute_facts() -> dict[str, str]:
    rows = measured()["steps"]
    table = [
        "| Chapter | Model | Batch | Parameters | FLOPs per step "
        "| Time per step (ms) | GFLOP/s |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        table.append(
            f"| [{r['chapter']}]({r['page']}) | {r['model']} | {r['batch']:,} "
            f"| {r['parameters']:,} | {sci(r['flops'])} | {1000 * r['seconds']:.2f} "
            f"| {r['flops'] / r['seconds'] / 1e9:.2f} |"
        )
    largest = max(rows, key=lambda r: r["flops"])
    smallest = min(rows, key=lambda r: r["flops"])
    return {
        "table": "\n".join(table),
        "models": str(len(rows)),
        "largest": largest["chapter"],
        "smallest": smallest["chapter"],
        "largest_over_smallest": f"{LARGEST_OVER_SMALLEST:,}",
        "repeats": str(TIMING_REPEATS),
        # Every step's count, for the tests (not on the page).
        "flops": ";".join(f"{r['chapter']}={r['flops']}" for r in rows),
    }
