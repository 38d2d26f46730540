"""Architectures overview: the families at a glance and what each chapter has, as the two
tables the index page prints.

Both tables are declared here, by hand, and tests/architectures/test_architectures_index.py
checks every cell of them against the chapter's page, snippets and tests, so the overview
cannot promise a part, an input or a use that a chapter does not have.
"""

from __future__ import annotations

from dataclasses import dataclass

from docs_build.registry import facts, runs


@dataclass(frozen=True)
class Chapter:
    """One architecture chapter and the parts it has."""

    page: str  # docs/architectures/<page>.md
    title: str
    snippets: tuple[str, ...]  # snippets/architectures/<name>.py the page includes
    tests: tuple[str, ...]  # tests/architectures/test_<name>.py
    equations: bool  # formulas printed from sympy ({{ tex.* }})
    reference: tuple[
        str, ...
    ]  # PyTorch layers a from-scratch version is checked against
    diagram: bool  # a figure architectures/*-diagram traced from a forward pass
    # a row of the families table links to it (a page on how to train is no family)
    family: bool = True


CHAPTERS = (
    Chapter(
        "shallow-vs-deep",
        "Shallow vs deep",
        ("shallow_vs_deep",),
        ("shallow_vs_deep",),
        equations=True,
        reference=(),
        diagram=False,
    ),
    Chapter(
        "training",
        "Training deep networks",
        ("training",),
        ("training",),
        equations=True,
        reference=(),
        diagram=False,
        family=False,
    ),
    Chapter(
        "cnn",
        "Convolutional networks",
        ("cnn",),
        ("cnn",),
        equations=True,
        reference=("nn.Conv2d",),
        diagram=True,
    ),
    Chapter(
        "rnn",
        "Recurrent networks",
        ("rnn",),
        ("rnn",),
        equations=True,
        reference=("nn.RNN", "nn.LSTM", "nn.GRU"),
        diagram=True,
    ),
    Chapter(
        "transformers",
        "Attention and transformers",
        ("transformers",),
        ("transformers",),
        equations=True,
        reference=("nn.MultiheadAttention", "nn.TransformerEncoderLayer"),
        diagram=True,
    ),
    Chapter(
        "language",
        "Language models",
        ("language",),
        ("language",),
        equations=True,
        reference=("nn.TransformerEncoderLayer",),
        diagram=False,
    ),
    Chapter(
        "autoencoders",
        "Autoencoders",
        ("autoencoder", "vae", "rbm"),
        ("autoencoder", "vae", "rbm"),
        equations=True,
        reference=(),
        diagram=True,
    ),
    Chapter(
        "gan",
        "GANs",
        ("gan",),
        ("gan",),
        equations=True,
        reference=(),
        diagram=False,
    ),
)


@dataclass(frozen=True)
class Item:
    """One entry of a cell of the families table, and the phrase (a regular expression,
    matched case-insensitively on the linked page's text with markup and line breaks taken
    out) that shows the page says it."""

    text: str
    evidence: str


@dataclass(frozen=True)
class Family:
    """One row of the families table: what the family takes, learns from and is used for,
    each as the linked chapter says it."""

    name: str
    link: (
        str  # the chapter page, relative to docs/architectures/, with an anchor or not
    )
    link_text: str
    takes: tuple[Item, ...]
    learns_from: Item
    tasks: tuple[Item, ...]


LABELED = "labeled examples"
UNLABELED = "unlabeled data"
FAMILIES = (
    Family(
        "Fully connected feed-forward (multilayer perceptrons, shallow or deep)",
        "shallow-vs-deep.md",
        "Shallow vs deep",
        (
            Item("a short vector of features", r"short vector of features"),
            Item("raw data such as pixels or sound", r"raw data, such as the pixels"),
        ),
        Item(LABELED, r"trained on these labeled points"),
        (
            Item("classification", r"the task is classification"),
            Item("learning features from raw data", r"hierarchical feature learning"),
        ),
    ),
    Family(
        "Convolutional (CNN)",
        "cnn.md",
        "Convolutional networks",
        (
            Item("grids: images", r"data on a grid, such as the pixels"),
            Item("1-D signals such as audio", r"in one dimension, for audio"),
        ),
        Item(LABELED, r"classes of .{0,80}images"),
        (
            Item("image classification", r"image classification"),
            Item("object detection", r"object detection"),
            Item("segmentation", r"segmentation"),
        ),
    ),
    Family(
        "Recurrent (RNN, LSTM, GRU)",
        "rnn.md",
        "Recurrent networks",
        (
            Item(
                "sequences, one element at a time: text, sensor traces, melodies",
                r"a sentence, a sensor trace or a melody is a sequence",
            ),
        ),
        Item("labeled sequences", r"the model must name the first token"),
        (
            Item("language models", r"language models"),
            Item("speech recognition", r"speech recognition"),
            Item("handwriting", r"handwriting"),
            Item("translation", r"sequence-to-sequence translation"),
        ),
    ),
    Family(
        "Attention and transformers",
        "transformers.md",
        "Attention and transformers",
        (
            Item("sequences of tokens", r"an embedding of the tokens"),
            Item("image patches", r"square patches"),
        ),
        Item(
            "raw text alone (predicting masked or next words), then labeled data",
            r"predicting masked-out words, and is then fine-tuned"
            r".{0,300}predict the next token",
        ),
        (
            Item("translation", r"translation"),
            Item("language models", r"language models"),
            Item("image recognition (Vision Transformer)", r"vision transformer"),
        ),
    ),
    Family(
        "Language models (a causal transformer)",
        "language.md",
        "Language models",
        (Item("text, cut into tokens", r"cuts text into tokens"),),
        Item("raw text alone (predicting the next token)", r"predict the next token"),
        (
            Item("scoring text", r"score a sentence"),
            Item("completing text", r"complete one"),
            Item("generating text", r"write new ones"),
        ),
    ),
    Family(
        "Autoencoders (undercomplete, denoising, variational)",
        "autoencoders.md",
        "Autoencoders",
        (
            Item("vectors", r"held-out points"),
            Item("images", r"images"),
        ),
        Item(UNLABELED, r"with no labels"),
        (
            Item("compression", r"which compresses"),
            Item("denoising", r"learns to undo noise"),
            Item("generating new data (variational)", r"can also invent new data"),
        ),
    ),
    Family(
        "Restricted Boltzmann machines (RBM)",
        "autoencoders.md#restricted-boltzmann-machines",
        "Autoencoders",
        (Item("binary vectors", r"binary visible units"),),
        Item(UNLABELED, r"with \$v\$ from the data"),
        (
            Item(
                "historically, layer-wise pretraining of deep networks",
                r"layer-wise pretraining was introduced",
            ),
        ),
    ),
    Family(
        "Generative adversarial networks (GAN)",
        "gan.md",
        "GANs",
        (Item("random noise in, data out", r"turns random noise"),),
        Item(UNLABELED, r"look like its training data"),
        (
            Item("data augmentation", r"data augmentation"),
            Item("image synthesis", r"image synthesis"),
            Item("simulation", r"simulation"),
            Item(
                "privacy-preserving synthetic data",
                r"privacy-preserving synthetic data",
            ),
        ),
    ),
)


def families_table() -> str:
    """The families at a glance, one row per family, from FAMILIES."""
    rows = [
        "| Family | Takes | Learns from | Typical tasks | Chapter |",
        "|---|---|---|---|---|",
    ]
    for f in FAMILIES:
        takes = "; ".join(i.text for i in f.takes)
        tasks = ", ".join(i.text for i in f.tasks)
        rows.append(
            f"| {f.name} | {takes} | {f.learns_from.text} | {tasks} "
            f"| [{f.link_text}]({f.link}) |"
        )
    return "\n".join(rows)


@runs("arch")
def tables() -> dict[str, tuple]:
    """Both tables' rows as declared here, with what the page does not print (each
    chapter's snippets and tests, the evidence for each family's entries): what the tests
    check every cell against."""
    return {"chapters": CHAPTERS, "families": FAMILIES}


@facts("arch")
def arch_facts() -> dict[str, str]:
    rows = [
        "| Chapter | Equations printed from code | From scratch, checked against PyTorch's "
        "layer on the same weights | Diagram traced from a forward pass |",
        "|---|---|---|---|",
    ]
    for c in CHAPTERS:
        reference = ", ".join(f"`{r}`" for r in c.reference) or "no"
        rows.append(
            f"| [{c.title}]({c.page}.md) | {'yes' if c.equations else 'no'} "
            f"| {reference} | {'yes' if c.diagram else 'no'} |"
        )
    return {
        "plan_table": "\n".join(rows),
        "families_table": families_table(),
        "families": str(len(FAMILIES)),
        "chapters": str(len(CHAPTERS)),
    }
