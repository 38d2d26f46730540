"""The site's one bibliography: every paper a page cites, cited by key.

A page writes ``{{ cite hochreiter1997 }}`` where it names a paper: the build prints
"Hochreiter & Schmidhuber, 1997" linked to the paper (``{{ citet hochreiter1997 }}``, for a
sentence's subject, prints "Hochreiter & Schmidhuber (1997)"), and the page's ``{{ references }}``
placeholder becomes the list of what the page cites. The About > References page lists
every entry. An unknown key fails the build with the page and the key; tests/test_bibliography.py
checks each entry (an arXiv id's year and month against the year, a DOI's form) and that
every entry is cited somewhere.

Cite a paper only for what it says: who introduced a thing, or who popularised it, only
where the paper says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Reference:
    """One paper, book or report. ``authors`` are surnames in the paper's order."""

    key: str
    authors: tuple[str, ...]
    year: int
    title: str
    venue: str
    doi: str = ""
    arxiv: str = ""
    url: str = ""  # only when there is neither a DOI nor an arXiv id

    @property
    def link(self) -> str:
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.arxiv:
            return f"https://arxiv.org/abs/{self.arxiv}"
        return self.url

    @property
    def short(self) -> str:
        """The in-text form: "Elman", "Hochreiter & Schmidhuber", "Cho et al."."""
        if len(self.authors) == 1:
            return self.authors[0]
        if len(self.authors) == 2:
            return " & ".join(self.authors)
        return f"{self.authors[0]} et al."

    @property
    def full(self) -> str:
        """The reference-list form: up to five surnames, then "et al."."""
        names = self.authors
        if len(names) > 5:
            return f"{names[0]} et al."
        if len(names) == 1:
            return names[0]
        return ", ".join(names[:-1]) + " & " + names[-1]

    def citation(self, narrative: bool = False) -> str:
        """Markdown for the in-text citation: "[Cho et al., 2014](link)", or in a sentence
        (``narrative``) "[Cho et al. (2014)](link)"."""
        text = (
            f"{self.short} ({self.year})" if narrative else f"{self.short}, {self.year}"
        )
        return f"[{text}]({self.link})" if self.link else text

    def entry(self) -> str:
        """Markdown for the reference list."""
        title = f"[{self.title}]({self.link})" if self.link else self.title
        return f"{self.full} ({self.year}). {title}. {self.venue}."


def _refs(*refs: Reference) -> dict[str, Reference]:
    out: dict[str, Reference] = {}
    for ref in refs:
        if ref.key in out:
            raise ValueError(f"reference {ref.key!r} listed twice")
        out[ref.key] = ref
    return out


R = Reference
REFERENCES: dict[str, Reference] = _refs(
    R(
        "bahdanau2015",
        ("Bahdanau", "Cho", "Bengio"),
        2015,
        "Neural machine translation by jointly learning to align and translate",
        "ICLR",
        arxiv="1409.0473",
    ),
    R(
        "bengio1994",
        ("Bengio", "Simard", "Frasconi"),
        1994,
        "Learning long-term dependencies with gradient descent is difficult",
        "IEEE Transactions on Neural Networks",
        doi="10.1109/72.279181",
    ),
    R(
        "cho2014",
        (
            "Cho",
            "van Merriënboer",
            "Gulcehre",
            "Bahdanau",
            "Bougares",
            "Schwenk",
            "Bengio",
        ),
        2014,
        "Learning phrase representations using RNN encoder-decoder for statistical "
        "machine translation",
        "EMNLP",
        arxiv="1406.1078",
    ),
    R(
        "elman1990",
        ("Elman",),
        1990,
        "Finding structure in time",
        "Cognitive Science",
        doi="10.1207/s15516709cog1402_1",
    ),
    R(
        "gers2000",
        ("Gers", "Schmidhuber", "Cummins"),
        2000,
        "Learning to forget: continual prediction with LSTM",
        "Neural Computation",
        doi="10.1162/089976600300015015",
    ),
    R(
        "hochreiter1997",
        ("Hochreiter", "Schmidhuber"),
        1997,
        "Long short-term memory",
        "Neural Computation",
        doi="10.1162/neco.1997.9.8.1735",
    ),
    R(
        "jozefowicz2015",
        ("Jozefowicz", "Zaremba", "Sutskever"),
        2015,
        "An empirical exploration of recurrent network architectures",
        "ICML",
        url="https://proceedings.mlr.press/v37/jozefowicz15.html",
    ),
    R(
        "le2015",
        ("Le", "Jaitly", "Hinton"),
        2015,
        "A simple way to initialize recurrent networks of rectified linear units",
        "arXiv preprint",
        arxiv="1504.00941",
    ),
    R(
        "pascanu2013",
        ("Pascanu", "Mikolov", "Bengio"),
        2013,
        "On the difficulty of training recurrent neural networks",
        "ICML",
        url="https://proceedings.mlr.press/v28/pascanu13.html",
    ),
    R(
        "sutskever2014",
        ("Sutskever", "Vinyals", "Le"),
        2014,
        "Sequence to sequence learning with neural networks",
        "NeurIPS",
        arxiv="1409.3215",
    ),
    # The activation-function chapter (docs/activations/, docs_build/chapters/activations.py).
    R(
        "barron2017",
        ("Barron",),
        2017,
        "Continuously differentiable exponential linear units",
        "arXiv preprint",
        arxiv="1704.07483",
    ),
    R(
        "bochkovskiy2020",
        ("Bochkovskiy", "Wang", "Liao"),
        2020,
        "YOLOv4: optimal speed and accuracy of object detection",
        "arXiv preprint",
        arxiv="2004.10934",
    ),
    R(
        "bridle1990",
        ("Bridle",),
        1990,
        "Probabilistic interpretation of feedforward classification network outputs, "
        "with relationships to statistical pattern recognition",
        "Neurocomputing: Algorithms, Architectures and Applications (Springer)",
        doi="10.1007/978-3-642-76153-9_28",
    ),
    R(
        "clevert2016",
        ("Clevert", "Unterthiner", "Hochreiter"),
        2016,
        "Fast and accurate deep network learning by exponential linear units (ELUs)",
        "ICLR",
        arxiv="1511.07289",
    ),
    R(
        "devlin2019",
        ("Devlin", "Chang", "Lee", "Toutanova"),
        2019,
        "BERT: pre-training of deep bidirectional transformers for language "
        "understanding",
        "NAACL",
        arxiv="1810.04805",
    ),
    R(
        "dosovitskiy2021",
        (
            "Dosovitskiy",
            "Beyer",
            "Kolesnikov",
            "Weissenborn",
            "Zhai",
            "Unterthiner",
            "Dehghani",
            "Minderer",
            "Heigold",
            "Gelly",
            "Uszkoreit",
            "Houlsby",
        ),
        2021,
        "An image is worth 16x16 words: transformers for image recognition at scale",
        "ICLR",
        arxiv="2010.11929",
    ),
    R(
        "elfwing2018",
        ("Elfwing", "Uchibe", "Doya"),
        2018,
        "Sigmoid-weighted linear units for neural network function approximation in "
        "reinforcement learning",
        "Neural Networks",
        arxiv="1702.03118",
    ),
    R(
        "fukushima1969",
        ("Fukushima",),
        1969,
        "Visual feature extraction by a multilayered network of analog threshold "
        "elements",
        "IEEE Transactions on Systems Science and Cybernetics",
        doi="10.1109/TSSC.1969.300225",
    ),
    R(
        "glorot2010",
        ("Glorot", "Bengio"),
        2010,
        "Understanding the difficulty of training deep feedforward neural networks",
        "AISTATS",
        url="https://proceedings.mlr.press/v9/glorot10a.html",
    ),
    R(
        "glorot2011",
        ("Glorot", "Bordes", "Bengio"),
        2011,
        "Deep sparse rectifier neural networks",
        "AISTATS",
        url="https://proceedings.mlr.press/v15/glorot11a.html",
    ),
    R(
        "hahnloser2000",
        ("Hahnloser", "Sarpeshkar", "Mahowald", "Douglas", "Seung"),
        2000,
        "Digital selection and analogue amplification coexist in a cortex-inspired "
        "silicon circuit",
        "Nature",
        doi="10.1038/35016072",
    ),
    R(
        "he2015",
        ("He", "Zhang", "Ren", "Sun"),
        2015,
        "Delving deep into rectifiers: surpassing human-level performance on ImageNet "
        "classification",
        "ICCV",
        arxiv="1502.01852",
    ),
    R(
        "hendrycks2016",
        ("Hendrycks", "Gimpel"),
        2016,
        "Gaussian error linear units (GELUs)",
        "arXiv preprint",
        arxiv="1606.08415",
    ),
    R(
        "howard2019",
        (
            "Howard",
            "Sandler",
            "Chu",
            "Chen",
            "Chen",
            "Tan",
            "Wang",
            "Zhu",
            "Pang",
            "Vasudevan",
            "Le",
            "Adam",
        ),
        2019,
        "Searching for MobileNetV3",
        "ICCV",
        arxiv="1905.02244",
    ),
    R(
        "kingma2015",
        ("Kingma", "Ba"),
        2015,
        "Adam: a method for stochastic optimization",
        "ICLR",
        arxiv="1412.6980",
    ),
    R(
        "klambauer2017",
        ("Klambauer", "Unterthiner", "Mayr", "Hochreiter"),
        2017,
        "Self-normalizing neural networks",
        "NeurIPS",
        arxiv="1706.02515",
    ),
    R(
        "maas2013",
        ("Maas", "Hannun", "Ng"),
        2013,
        "Rectifier nonlinearities improve neural network acoustic models",
        "ICML Workshop on Deep Learning for Audio, Speech and Language Processing",
        url="https://ai.stanford.edu/~amaas/papers/relu_hybrid_icml2013_final.pdf",
    ),
    R(
        "mcculloch1943",
        ("McCulloch", "Pitts"),
        1943,
        "A logical calculus of the ideas immanent in nervous activity",
        "Bulletin of Mathematical Biophysics",
        doi="10.1007/BF02478259",
    ),
    R(
        "misra2019",
        ("Misra",),
        2019,
        "Mish: a self regularized non-monotonic activation function",
        "arXiv preprint",
        arxiv="1908.08681",
    ),
    R(
        "nair2010",
        ("Nair", "Hinton"),
        2010,
        "Rectified linear units improve restricted Boltzmann machines",
        "ICML",
        url="https://icml.cc/Conferences/2010/papers/432.pdf",
    ),
    R(
        "ramachandran2017",
        ("Ramachandran", "Zoph", "Le"),
        2017,
        "Searching for activation functions",
        "arXiv preprint",
        arxiv="1710.05941",
    ),
    R(
        "rumelhart1986",
        ("Rumelhart", "Hinton", "Williams"),
        1986,
        "Learning representations by back-propagating errors",
        "Nature",
        doi="10.1038/323533a0",
    ),
    R(
        "sandler2018",
        ("Sandler", "Howard", "Zhu", "Zhmoginov", "Chen"),
        2018,
        "MobileNetV2: inverted residuals and linear bottlenecks",
        "CVPR",
        arxiv="1801.04381",
    ),
    R(
        "shazeer2020",
        ("Shazeer",),
        2020,
        "GLU variants improve transformer",
        "arXiv preprint",
        arxiv="2002.05202",
    ),
    R(
        "tan2019",
        ("Tan", "Le"),
        2019,
        "EfficientNet: rethinking model scaling for convolutional neural networks",
        "ICML",
        arxiv="1905.11946",
    ),
    R(
        "touvron2023",
        (
            "Touvron",
            "Lavril",
            "Izacard",
            "Martinet",
            "Lachaux",
            "Lacroix",
            "Rozière",
            "Goyal",
            "Hambro",
            "Azhar",
            "Rodriguez",
            "Joulin",
            "Grave",
            "Lample",
        ),
        2023,
        "LLaMA: open and efficient foundation language models",
        "arXiv preprint",
        arxiv="2302.13971",
    ),
    # End of the activation-function chapter's entries.
)

CITE_RE = re.compile(r"\{\{\s*cite(t?)\s+([\w\s-]+?)\s*\}\}")
REFERENCES_RE = re.compile(r"\{\{\s*references\s*\}\}")
BIBLIOGRAPHY_RE = re.compile(r"\{\{\s*bibliography\s*\}\}")


class UnknownReferenceError(KeyError):
    """A page cites a key the bibliography does not have."""


def lookup(key: str) -> Reference:
    if key not in REFERENCES:
        close = sorted(k for k in REFERENCES if k[:4] == key[:4])
        hint = f"; similar keys: {', '.join(close)}" if close else ""
        raise UnknownReferenceError(
            f"no reference {key!r} in docs_build/bibliography.py{hint}"
        )
    return REFERENCES[key]


def cited_keys(markdown: str) -> list[str]:
    """The keys a page cites, in the order of first citation."""
    keys: list[str] = []
    for match in CITE_RE.finditer(markdown):
        for key in match.group(2).split():
            if key not in keys:
                keys.append(key)
    return keys


def reference_list(keys: list[str]) -> str:
    """A Markdown list of ``keys``' entries, sorted by first author and year."""
    refs = sorted((lookup(k) for k in keys), key=lambda r: (r.authors, r.year, r.title))
    return "\n".join(f"- {r.entry()}" for r in refs)


def render(markdown: str) -> str:
    """Replace every ``{{ cite ... }}``, the page's ``{{ references }}`` (what it cites)
    and ``{{ bibliography }}`` (every entry)."""
    keys = cited_keys(markdown)

    def cite(match: re.Match) -> str:
        narrative = match.group(1) == "t"
        return "; ".join(lookup(k).citation(narrative) for k in match.group(2).split())

    out = CITE_RE.sub(cite, markdown)
    out = REFERENCES_RE.sub(lambda _: reference_list(keys), out)
    return BIBLIOGRAPHY_RE.sub(lambda _: reference_list(list(REFERENCES)), out)
