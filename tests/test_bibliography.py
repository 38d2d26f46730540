"""The one bibliography: every entry well formed and cited, every citation resolves."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from docs_build import bibliography

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
ARXIV = re.compile(r"^(?P<yy>\d{2})(?P<mm>\d{2})\.\d{4,5}$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
REFS = sorted(bibliography.REFERENCES)


# Namespaces whose facts cite: generated Markdown (the activation cards, usage table and
# generated sections) holds {{ cite key }} placeholders, which the build renders after the
# facts; page_text puts these facts in place, so what they cite counts as cited there.
CITING_FACTS = ("act", "act_pages")


def page_text(page: Path) -> str:
    """A page's source with the facts of CITING_FACTS filled in, as the build does."""
    from docs_build.hooks import FACT_RE
    from docs_build.registry import get_facts

    def fact(match: re.Match) -> str:
        if match.group(1) not in CITING_FACTS:
            return match.group(0)
        return get_facts(match.group(1))[match.group(2)]

    return FACT_RE.sub(fact, page.read_text(encoding="utf-8"))


def cited_on_pages() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for page in sorted(DOCS.rglob("*.md")):
        for key in bibliography.cited_keys(page_text(page)):
            out.setdefault(key, []).append(page.relative_to(DOCS).as_posix())
    return out


@pytest.mark.parametrize("key", REFS)
def test_entry_is_well_formed(key: str) -> None:
    ref = bibliography.REFERENCES[key]
    assert ref.authors and all(a.strip() for a in ref.authors)
    assert ref.title.strip() and ref.venue.strip()
    assert 1800 <= ref.year <= 2026
    assert re.fullmatch(r"[a-z]+\d{4}[a-z]?", key), "keys are surname + year"
    surname = unicodedata.normalize("NFKD", ref.authors[0].split()[-1].lower())
    assert key.startswith(re.sub(r"[^a-z]", "", surname)[:4]), (
        f"{key}: the key starts with the first author's surname (accents dropped)"
    )
    assert str(ref.year) in key, f"{key}: the key holds the year {ref.year}"
    assert ref.link, f"{key}: give a DOI, an arXiv id or a URL"
    if ref.doi:
        assert DOI.match(ref.doi), f"{key}: {ref.doi!r} is not a DOI"
    if ref.arxiv:
        m = ARXIV.match(ref.arxiv)
        assert m, f"{key}: {ref.arxiv!r} is not a new-style arXiv id"
        posted = 2000 + int(m.group("yy"))
        assert 1 <= int(m.group("mm")) <= 12
        # Posted on arXiv in the year of the venue or up to two years before it.
        assert posted <= ref.year <= posted + 2, (
            f"{key}: arXiv {ref.arxiv} was posted in {posted}, the entry says {ref.year}"
        )
    if ref.url:
        assert not (ref.doi or ref.arxiv), f"{key}: a URL only without DOI or arXiv id"


def test_every_citation_resolves_and_every_entry_is_cited() -> None:
    cited = cited_on_pages()
    unknown = sorted(set(cited) - set(bibliography.REFERENCES))
    assert not unknown, f"cited keys missing from the bibliography: {unknown}"
    uncited = sorted(set(bibliography.REFERENCES) - set(cited))
    assert not uncited, f"entries no page cites: {uncited}"


def test_a_page_that_cites_lists_its_references() -> None:
    missing = [
        page.relative_to(DOCS).as_posix()
        for page in sorted(DOCS.rglob("*.md"))
        if bibliography.cited_keys(text := page_text(page))
        and not bibliography.REFERENCES_RE.search(text)
        and not bibliography.BIBLIOGRAPHY_RE.search(text)
    ]
    assert not missing, f"pages that cite but have no {{{{ references }}}}: {missing}"


def test_facts_that_cite_count_as_cited_on_their_page() -> None:
    """A key cited only inside a generated fact (a card's "Introduced in") counts for the
    page that places the fact, so an entry cited nowhere else is not reported uncited."""
    from docs_build.registry import get_facts

    card = get_facts("act")["mish_card"]
    assert "{{ cite misra2019 }}" in card
    assert "misra2019" not in (DOCS / "activations" / "smooth-modern.md").read_text(
        encoding="utf-8"
    )
    assert "activations/smooth-modern.md" in cited_on_pages()["misra2019"]


def test_rendering_cites_and_lists() -> None:
    key_a, key_b = REFS[:2]
    a, b = bibliography.REFERENCES[key_a], bibliography.REFERENCES[key_b]
    text = bibliography.render(
        f"One ({{{{ cite {key_b} }}}}), both ({{{{ cite {key_a} {key_b} }}}}).\n\n"
        "## References\n\n{{ references }}\n"
    )
    assert f"One ([{b.short}, {b.year}]({b.link}))" in text
    assert f"({a.citation()}; {b.citation()})" in text
    listed = text.split("## References")[1].strip().splitlines()
    assert {line.removeprefix("- ") for line in listed} == {a.entry(), b.entry()}


def test_author_lists_are_shortened_as_stated() -> None:
    r = bibliography.Reference
    one = r("ab2000", ("A",), 2000, "t", "v", url="u")
    two = r("ab2000", ("A", "B"), 2000, "t", "v", url="u")
    many = r("ab2000", tuple("ABCDEF"), 2000, "t", "v", url="u")
    assert (one.short, two.short, many.short) == ("A", "A & B", "A et al.")
    three = r("ab2000", ("A", "B", "C"), 2000, "t", "v", url="u")
    assert (three.full, many.full) == ("A, B & C", "A et al.")


def test_an_unknown_key_fails_the_build_with_the_page_named() -> None:
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError

    from docs_build import hooks

    page = SimpleNamespace(file=SimpleNamespace(src_uri="x/y.md"), meta={})
    with pytest.raises(PluginError, match=r"x/y\.md: no reference 'nobody1900'"):
        hooks.on_page_markdown("As shown ({{ cite nobody1900 }}).", page, None, None)


# Entries checked field by field against records outside this repository (2026-12-06):
# publisher and index pages for the DOIs, the proceedings' own listings, TensorFlow's
# citation of Maas et al., and OpenAI's CLIP repository itself. A field that could not be
# confirmed was removed, not guessed; editing one of these fields means checking it again.
CONFIRMED = {
    "bridle1990": (
        1990,
        "Probabilistic interpretation of feedforward classification network outputs, "
        "with relationships to statistical pattern recognition",
        "10.1007/978-3-642-76153-9_28",
    ),
    "fukushima1969": (
        1969,
        "Visual feature extraction by a multilayered network of analog threshold "
        "elements",
        "10.1109/TSSC.1969.300225",
    ),
    "maas2013": (
        2013,
        "Rectifier nonlinearities improve neural network acoustic models",
        "https://ai.stanford.edu/~amaas/papers/relu_hybrid_icml2013_final.pdf",
    ),
    "nair2010": (
        2010,
        "Rectified linear units improve restricted Boltzmann machines",
        "https://icml.cc/Conferences/2010/papers/432.pdf",
    ),
    "openai2021": (
        2021,
        None,
        "https://github.com/openai/CLIP/blob/main/clip/model.py",
    ),
}
CONFIRMED_VENUES = {
    "bridle1990": "Neurocomputing",
    "fukushima1969": "IEEE Transactions on Systems Science and Cybernetics",
    "maas2013": "ICML",
    "nair2010": "ICML",
}


@pytest.mark.parametrize("key", sorted(CONFIRMED))
def test_checked_entries_hold_only_confirmed_fields(key: str) -> None:
    ref = bibliography.REFERENCES[key]
    year, title, link = CONFIRMED[key]
    assert ref.year == year
    if title is not None:
        assert ref.title == title
    assert link in (ref.doi, ref.url)
    if key in CONFIRMED_VENUES:
        assert ref.venue.startswith(CONFIRMED_VENUES[key])
    # Maas et al.'s workshop could not be confirmed: the entry does not name one.
    if key == "maas2013":
        assert ref.venue == "ICML" and "Workshop" not in ref.venue
