"""Architectures overview: what each chapter has, as a table the index page prints.

The table is declared here, by hand, and tests/architectures/test_architectures_index.py
checks every cell of it against the chapter's page, snippets and tests, so the overview
cannot promise a part that a chapter does not have.
"""

from __future__ import annotations

from dataclasses import dataclass

from docs_build.registry import facts


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
        ("attention",),
        ("attention",),
        equations=True,
        reference=("nn.MultiheadAttention", "nn.TransformerEncoderLayer"),
        diagram=True,
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
    return {"plan_table": "\n".join(rows), "chapters": str(len(CHAPTERS))}
