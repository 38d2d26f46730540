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
        "arjovsky2017",
        ("Arjovsky", "Chintala", "Bottou"),
        2017,
        "Wasserstein GAN",
        "ICML",
        arxiv="1701.07875",
    ),
    R(
        "ba2016",
        ("Ba", "Kiros", "Hinton"),
        2016,
        "Layer normalization",
        "arXiv preprint",
        arxiv="1607.06450",
    ),
    R(
        "bahdanau2015",
        ("Bahdanau", "Cho", "Bengio"),
        2015,
        "Neural machine translation by jointly learning to align and translate",
        "ICLR",
        arxiv="1409.0473",
    ),
    R(
        "baldi1989",
        ("Baldi", "Hornik"),
        1989,
        "Neural networks and principal component analysis: learning from examples "
        "without local minima",
        "Neural Networks",
        doi="10.1016/0893-6080(89)90014-2",
    ),
    R(
        "barron2017",
        ("Barron",),
        2017,
        "Continuously differentiable exponential linear units",
        "arXiv preprint",
        arxiv="1704.07483",
    ),
    R(
        "barron2021",
        ("Barron",),
        2021,
        "Squareplus: a softplus-like algebraic rectifier",
        "arXiv preprint",
        arxiv="2112.11687",
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
        "bengio2007",
        ("Bengio", "Lamblin", "Popovici", "Larochelle"),
        2007,
        "Greedy layer-wise training of deep networks",
        "NeurIPS",
        url="https://proceedings.neurips.cc/paper/2006/hash/"
        "5da713a690c067105aeb2fae32403405-Abstract.html",
    ),
    R(
        "bochkovskiy2020",
        ("Bochkovskiy", "Wang", "Liao"),
        2020,
        "YOLOv4: optimal speed and accuracy of object detection",
        "arXiv preprint",
        arxiv="2004.10934",
    ),
    # DOI confirmed 2026-12-02 (review-act): Springer's chapter page.
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
        "chellapilla2006",
        ("Chellapilla", "Puri", "Simard"),
        2006,
        "High performance convolutional neural networks for document processing",
        "Tenth International Workshop on Frontiers in Handwriting Recognition",
        url="https://inria.hal.science/inria-00112631",
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
        "clevert2016",
        ("Clevert", "Unterthiner", "Hochreiter"),
        2016,
        "Fast and accurate deep network learning by exponential linear units (ELUs)",
        "ICLR",
        arxiv="1511.07289",
    ),
    R(
        "dauphin2017",
        ("Dauphin", "Fan", "Auli", "Grangier"),
        2017,
        "Language modeling with gated convolutional networks",
        "ICML",
        arxiv="1612.08083",
    ),
    R(
        "deng2009",
        ("Deng", "Dong", "Socher", "Li", "Li", "Fei-Fei"),
        2009,
        "ImageNet: a large-scale hierarchical image database",
        "CVPR",
        doi="10.1109/CVPR.2009.5206848",
    ),
    R(
        "devlin2019",
        ("Devlin", "Chang", "Lee", "Toutanova"),
        2019,
        "BERT: pre-training of deep bidirectional transformers for language "
        "understanding",
        "NAACL",
        url="https://aclanthology.org/N19-1423/",
    ),
    R(
        "dhariwal2021",
        ("Dhariwal", "Nichol"),
        2021,
        "Diffusion models beat GANs on image synthesis",
        "NeurIPS",
        arxiv="2105.05233",
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
        "dumoulin2016",
        ("Dumoulin", "Visin"),
        2016,
        "A guide to convolution arithmetic for deep learning",
        "arXiv preprint",
        arxiv="1603.07285",
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
        "elman1990",
        ("Elman",),
        1990,
        "Finding structure in time",
        "Cognitive Science",
        doi="10.1207/s15516709cog1402_1",
    ),
    R(
        "fridadar2018",
        ("Frid-Adar", "Diamant", "Klang", "Amitai", "Goldberger", "Greenspan"),
        2018,
        "GAN-based synthetic medical image augmentation for increased CNN performance "
        "in liver lesion classification",
        "Neurocomputing",
        arxiv="1803.01229",
    ),
    # DOI confirmed 2026-12-02 (review-act): an index record of the IEEE paper.
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
        "gers2000",
        ("Gers", "Schmidhuber", "Cummins"),
        2000,
        "Learning to forget: continual prediction with LSTM",
        "Neural Computation",
        doi="10.1162/089976600300015015",
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
        "goodfellow2014",
        (
            "Goodfellow",
            "Pouget-Abadie",
            "Mirza",
            "Xu",
            "Warde-Farley",
            "Ozair",
            "Courville",
            "Bengio",
        ),
        2014,
        "Generative adversarial nets",
        "NeurIPS",
        arxiv="1406.2661",
    ),
    R(
        "goodfellow2016",
        ("Goodfellow", "Bengio", "Courville"),
        2016,
        "Deep learning",
        "MIT Press",
        url="https://www.deeplearningbook.org/",
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
        "hinton2002",
        ("Hinton",),
        2002,
        "Training products of experts by minimizing contrastive divergence",
        "Neural Computation",
        doi="10.1162/089976602760128018",
    ),
    R(
        "hinton2006a",
        ("Hinton", "Osindero", "Teh"),
        2006,
        "A fast learning algorithm for deep belief nets",
        "Neural Computation",
        doi="10.1162/neco.2006.18.7.1527",
    ),
    R(
        "hinton2006b",
        ("Hinton", "Salakhutdinov"),
        2006,
        "Reducing the dimensionality of data with neural networks",
        "Science",
        doi="10.1126/science.1127647",
    ),
    R(
        "ho2020",
        ("Ho", "Jain", "Abbeel"),
        2020,
        "Denoising diffusion probabilistic models",
        "NeurIPS",
        arxiv="2006.11239",
    ),
    R(
        "hochreiter1991",
        ("Hochreiter",),
        1991,
        "Untersuchungen zu dynamischen neuronalen Netzen",
        "Diploma thesis, Institut für Informatik, Technische Universität München",
        url="https://people.idsia.ch/~juergen/SeppHochreiter1991ThesisAdvisorSchmidhuber.pdf",
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
        "hornik1989",
        ("Hornik", "Stinchcombe", "White"),
        1989,
        "Multilayer feedforward networks are universal approximators",
        "Neural Networks",
        doi="10.1016/0893-6080(89)90020-8",
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
        "ioffe2015",
        ("Ioffe", "Szegedy"),
        2015,
        "Batch normalization: accelerating deep network training by reducing internal "
        "covariate shift",
        "ICML",
        arxiv="1502.03167",
    ),
    R(
        "jordon2019",
        ("Jordon", "Yoon", "van der Schaar"),
        2019,
        "PATE-GAN: generating synthetic data with differential privacy guarantees",
        "ICLR",
        url="https://openreview.net/forum?id=S1zk9iRqF7",
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
        "karras2019",
        ("Karras", "Laine", "Aila"),
        2019,
        "A style-based generator architecture for generative adversarial networks",
        "CVPR",
        arxiv="1812.04948",
    ),
    R(
        "kingma2014",
        ("Kingma", "Welling"),
        2014,
        "Auto-encoding variational Bayes",
        "ICLR",
        arxiv="1312.6114",
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
        "krizhevsky2012",
        ("Krizhevsky", "Sutskever", "Hinton"),
        2012,
        "ImageNet classification with deep convolutional neural networks",
        "NeurIPS",
        url="https://papers.nips.cc/paper/2012/hash/"
        "c399862d3b9d6b76c8436e924a68c45b-Abstract.html",
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
        "lecun1989",
        ("LeCun", "Boser", "Denker", "Henderson", "Howard", "Hubbard", "Jackel"),
        1989,
        "Backpropagation applied to handwritten zip code recognition",
        "Neural Computation",
        doi="10.1162/neco.1989.1.4.541",
    ),
    R(
        "lecun1998",
        ("LeCun", "Bottou", "Bengio", "Haffner"),
        1998,
        "Gradient-based learning applied to document recognition",
        "Proceedings of the IEEE",
        doi="10.1109/5.726791",
    ),
    R(
        "leshno1993",
        ("Leshno", "Lin", "Pinkus", "Schocken"),
        1993,
        "Multilayer feedforward networks with a nonpolynomial activation function can "
        "approximate any function",
        "Neural Networks",
        doi="10.1016/S0893-6080(05)80131-5",
    ),
    R(
        "loaizaganem2019",
        ("Loaiza-Ganem", "Cunningham"),
        2019,
        "The continuous Bernoulli: fixing a pervasive error in variational autoencoders",
        "NeurIPS",
        arxiv="1907.06845",
    ),
    # URL confirmed 2026-12-02 (review-act): the address Keras and other projects give; no DOI.
    # Venue as TensorFlow's tf.nn.leaky_relu cites it ("Proc. ICML, 2013"); the workshop it
    # is often listed under could not be confirmed (2026-12-06), so it is not named.
    R(
        "maas2013",
        ("Maas", "Hannun", "Ng"),
        2013,
        "Rectifier nonlinearities improve neural network acoustic models",
        "ICML",
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
        "metz2017",
        ("Metz", "Poole", "Pfau", "Sohl-Dickstein"),
        2017,
        "Unrolled generative adversarial networks",
        "ICLR",
        arxiv="1611.02163",
    ),
    R(
        "misra2019",
        ("Misra",),
        2019,
        "Mish: a self regularized non-monotonic activation function",
        "arXiv preprint",
        arxiv="1908.08681",
    ),
    # URL confirmed 2026-12-02 (review-act): the address independent reference lists give.
    R(
        "nair2010",
        ("Nair", "Hinton"),
        2010,
        "Rectified linear units improve restricted Boltzmann machines",
        "ICML",
        url="https://icml.cc/Conferences/2010/papers/432.pdf",
    ),
    # Code, not a paper: the QuickGELU module and its use in ResidualAttentionBlock's MLP,
    # read in clip/model.py (2026-12-06); the repository was released in January 2021.
    R(
        "openai2021",
        ("OpenAI",),
        2021,
        "CLIP: clip/model.py (QuickGELU in the Transformer blocks' feed-forward layers)",
        "GitHub repository openai/CLIP",
        url="https://github.com/openai/CLIP/blob/main/clip/model.py",
    ),
    R(
        "paganini2018",
        ("Paganini", "de Oliveira", "Nachman"),
        2018,
        "CaloGAN: simulating 3D high energy particle showers in multilayer "
        "electromagnetic calorimeters with generative adversarial networks",
        "Physical Review D",
        arxiv="1705.02355",
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
        "radford2016",
        ("Radford", "Metz", "Chintala"),
        2016,
        "Unsupervised representation learning with deep convolutional generative "
        "adversarial networks",
        "ICLR",
        arxiv="1511.06434",
    ),
    R(
        "radford2018",
        ("Radford", "Narasimhan", "Salimans", "Sutskever"),
        2018,
        "Improving language understanding by generative pre-training",
        "OpenAI technical report",
        url="https://cdn.openai.com/research-covers/language-unsupervised/"
        "language_understanding_paper.pdf",
    ),
    R(
        "radford2019",
        ("Radford", "Wu", "Child", "Luan", "Amodei", "Sutskever"),
        2019,
        "Language models are unsupervised multitask learners",
        "OpenAI technical report",
        url="https://cdn.openai.com/better-language-models/"
        "language_models_are_unsupervised_multitask_learners.pdf",
    ),
    R(
        "raina2009",
        ("Raina", "Madhavan", "Ng"),
        2009,
        "Large-scale deep unsupervised learning using graphics processors",
        "ICML",
        doi="10.1145/1553374.1553486",
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
        "russakovsky2015",
        (
            "Russakovsky",
            "Deng",
            "Su",
            "Krause",
            "Satheesh",
            "Ma",
            "Huang",
            "Karpathy",
            "Khosla",
            "Bernstein",
            "Berg",
            "Fei-Fei",
        ),
        2015,
        "ImageNet large scale visual recognition challenge",
        "International Journal of Computer Vision",
        doi="10.1007/s11263-015-0816-y",
    ),
    R(
        "salimans2016",
        ("Salimans", "Goodfellow", "Zaremba", "Cheung", "Radford", "Chen"),
        2016,
        "Improved techniques for training GANs",
        "NeurIPS",
        arxiv="1606.03498",
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
        "sennrich2016",
        ("Sennrich", "Haddow", "Birch"),
        2016,
        "Neural machine translation of rare words with subword units",
        "ACL",
        doi="10.18653/v1/P16-1162",
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
        "smolensky1986",
        ("Smolensky",),
        1986,
        "Information processing in dynamical systems: foundations of harmony theory",
        "In Parallel Distributed Processing, vol. 1, MIT Press",
        url="https://mitpress.mit.edu/9780262680530/parallel-distributed-processing/",
    ),
    R(
        "sohldickstein2015",
        ("Sohl-Dickstein", "Weiss", "Maheswaranathan", "Ganguli"),
        2015,
        "Deep unsupervised learning using nonequilibrium thermodynamics",
        "ICML",
        arxiv="1503.03585",
    ),
    # URL checked 2026-12-06: the journal's own page (volume 15, issue 56, pp. 1929-1958).
    R(
        "srivastava2014",
        ("Srivastava", "Hinton", "Krizhevsky", "Sutskever", "Salakhutdinov"),
        2014,
        "Dropout: a simple way to prevent neural networks from overfitting",
        "Journal of Machine Learning Research 15(56)",
        url="https://jmlr.org/papers/v15/srivastava14a.html",
    ),
    R(
        "sutskever2014",
        ("Sutskever", "Vinyals", "Le"),
        2014,
        "Sequence to sequence learning with neural networks",
        "NeurIPS",
        arxiv="1409.3215",
    ),
    R(
        "szegedy2016",
        ("Szegedy", "Vanhoucke", "Ioffe", "Shlens", "Wojna"),
        2016,
        "Rethinking the Inception architecture for computer vision",
        "CVPR",
        arxiv="1512.00567",
    ),
    R(
        "szekely2013",
        ("Székely", "Rizzo"),
        2013,
        "Energy statistics: a class of statistics based on distances",
        "Journal of Statistical Planning and Inference",
        doi="10.1016/j.jspi.2013.03.018",
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
        "telgarsky2016",
        ("Telgarsky",),
        2016,
        "Benefits of depth in neural networks",
        "COLT",
        arxiv="1602.04485",
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
    R(
        "vaswani2017",
        (
            "Vaswani",
            "Shazeer",
            "Parmar",
            "Uszkoreit",
            "Jones",
            "Gomez",
            "Kaiser",
            "Polosukhin",
        ),
        2017,
        "Attention is all you need",
        "NeurIPS",
        arxiv="1706.03762",
    ),
    R(
        "vincent2008",
        ("Vincent", "Larochelle", "Bengio", "Manzagol"),
        2008,
        "Extracting and composing robust features with denoising autoencoders",
        "ICML",
        doi="10.1145/1390156.1390294",
    ),
    # review-seq: cited by the architectures index (captioning combines a CNN and an LSTM)
    R(
        "vinyals2015",
        ("Vinyals", "Toshev", "Bengio", "Erhan"),
        2015,
        "Show and tell: a neural image caption generator",
        "CVPR",
        arxiv="1411.4555",
    ),
    # review-act: softmax temperature in distillation (softmax.md).
    R(
        "hinton2015",
        ("Hinton", "Vinyals", "Dean"),
        2015,
        "Distilling the knowledge in a neural network",
        "arXiv preprint",
        arxiv="1503.02531",
    ),
    # review-gen: the second of the two 2014 papers that introduced the VAE.
    R(
        "rezende2014",
        ("Rezende", "Mohamed", "Wierstra"),
        2014,
        "Stochastic backpropagation and approximate inference in deep generative models",
        "ICML",
        arxiv="1401.4082",
    ),
    # act-more: squared ReLU's and RReLU's sources
    R(
        "so2021",
        ("So", "Mańke", "Liu", "Dai", "Shazeer", "Le"),
        2021,
        "Primer: searching for efficient transformers for language modeling",
        "arXiv preprint",
        arxiv="2109.08668",
    ),
    R(
        "xu2015",
        ("Xu", "Wang", "Chen", "Li"),
        2015,
        "Empirical evaluation of rectified activations in convolutional network",
        "arXiv preprint",
        arxiv="1505.00853",
    ),
    # Sources the activation pages named as text (review of 2026-12-06). Krizhevsky's
    # report: title, year and URL as TensorFlow's and Keras's relu6 documentation cite it.
    # Dugas et al.: title, authors and pages from the NeurIPS 2000 proceedings' metadata.
    R(
        "krizhevsky2010",
        ("Krizhevsky",),
        2010,
        "Convolutional deep belief networks on CIFAR-10",
        "Report, University of Toronto",
        url="https://www.cs.toronto.edu/~kriz/conv-cifar10-aug2010.pdf",
    ),
    R(
        "dugas2000",
        ("Dugas", "Bengio", "Bélisle", "Nadeau", "Garcia"),
        2000,
        "Incorporating second-order functional knowledge for better option pricing",
        "NeurIPS",
        url="https://proceedings.neurips.cc/paper/2000/hash/"
        "44968aece94f667e4095002d140b5896-Abstract.html",
    ),
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
