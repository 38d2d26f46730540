"""The KaTeX fonts the site serves are subsets (docs_build/katex_fonts.py): no character a
formula shows may be missing from the font that draws it.

For every built page, every character inside a ``.katex-html`` element (what KaTeX's fonts
paint) must be in every served file of the font family katex.min.css gives its text node,
whenever the vendored original has it: a glyph missing there is not looked up in another
KaTeX font but in a system font. The family is worked out here independently of the build:
katex.min.css read with tinycss2, its selectors matched with soupsieve on the built HTML
(BeautifulSoup), the cascade applied by specificity then order, inherited from the nearest
element a rule matches. A formula a fact produces, a notebook's formula or a page added
later is covered as soon as it is built.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import soupsieve
import tinycss2
from bs4 import BeautifulSoup, NavigableString, Tag
from fontTools.ttLib import TTFont

from docs_build import katex_fonts

CSS = Path(katex_fonts.SOURCE).parent / "katex.min.css"


def _css_rules() -> tuple[list[tuple[tuple[int, int], str, str]], dict[str, set[str]]]:
    """katex.min.css's rules that set a font family, as (rank, selector, family) sorted by
    the cascade's rank (specificity, then order), and each family's font files."""
    rules, files = [], {}
    sheet = tinycss2.parse_stylesheet(
        CSS.read_text(encoding="utf-8"), skip_comments=True, skip_whitespace=True
    )
    for order, rule in enumerate(sheet):
        decls = {
            d.lower_name: tinycss2.serialize(d.value).strip()
            for d in tinycss2.parse_declaration_list(
                rule.content, skip_comments=True, skip_whitespace=True
            )
            if d.type == "declaration"
        }
        if rule.type == "at-rule" and rule.lower_at_keyword == "font-face":
            family = decls["font-family"].strip('"')
            url = next(
                t
                for t in tinycss2.parse_component_value_list(decls["src"])
                if t.type == "url"
            )
            files.setdefault(family, set()).add(url.value.rsplit("/", 1)[-1])
            continue
        assert rule.type == "qualified-rule", rule
        value = decls.get("font-family") or decls.get("font")
        if value is None:
            continue
        family = value.split(",")[0].split()[-1].strip('"')
        for selector in tinycss2.serialize(rule.prelude).split(","):
            if ":" in selector:
                continue  # a pseudo-element: no text node of the HTML
            specificity = (
                selector.count("."),
                len([p for p in selector.replace(">", " ").split() if p[0].isalpha()]),
            )
            rules.append(((specificity, order), selector.strip(), family))
    rules.sort(key=lambda r: r[0])
    return rules, files


RULES, FILES = _css_rules()


def drawn(html: str) -> dict[str, set[str]]:
    """The characters in the ``.katex-html`` parts of ``html``, by the family that
    draws them."""
    soup = BeautifulSoup(html, "html.parser")
    family: dict[int, str] = {}
    for _, selector, name in RULES:  # later (higher rank) rules overwrite
        for element in soupsieve.select(selector, soup):
            family[id(element)] = name

    def font_of(element: Tag | None) -> str:
        while element is not None and id(element) not in family:
            element = element.parent
        assert element is not None, "a .katex-html outside .katex"
        return family[id(element)]

    found: dict[str, set[str]] = {}
    for part in soup.select(".katex-html"):
        for text in part.find_all(string=True):
            if not isinstance(text, NavigableString) or not text:
                continue
            found.setdefault(font_of(text.parent), set()).update(text)
        # What katex.min.css writes itself: .eqn-num:before{content:"(" counter ")"}
        for number in part.select(".eqn-num"):
            found.setdefault(font_of(number), set()).update("()0123456789")
    return found


def cmap(path: Path) -> set[int]:
    return set(TTFont(path).getBestCmap() or {})


def test_parser_reads_only_the_painted_part() -> None:
    """The MathML and the TeX annotation are not painted; each text node counts for the
    family of its nearest classed ancestor, bold and italic classes included."""
    html = (
        '<p>prose é</p><span class="katex"><span class="katex-mathml"><math>'
        "<semantics><mi>q</mi><annotation>\\zeta</annotation></semantics></math></span>"
        '<span class="katex-html" aria-hidden="true"><span class="base">'
        '<span class="mord mathnormal">x</span><br><span class="mord">&#x2211;</span>'
        '<span class="mord boldsymbol"><span class="mord">y</span></span>'
        '<span class="mop op-symbol large-op">&#x220F;</span>'
        '<span class="delimsizing size1">(</span></span>'
        "</span></span><p>after ü</p>"
    )
    expected = {
        "KaTeX_Math": {"x", "y"},
        "KaTeX_Main": {"\u2211"},
        "KaTeX_Size2": {"\u220f"},
        "KaTeX_Size1": {"("},
    }
    assert drawn(html) == expected
    assert katex_fonts.painted_characters(html) == expected  # the build agrees


def test_subset_keeps_exactly_the_characters_asked_for(tmp_path: Path) -> None:
    """A character a formula draws in a font is kept there and nowhere else: ℵ drawn in
    KaTeX_Main stays in Main-Regular; x, drawn only in KaTeX_Math, leaves KaTeX_Main."""
    written = katex_fonts.write_subsets(
        {"KaTeX_Main": {"ℵ"}, "KaTeX_Math": {"x"}}, tmp_path, cache=tmp_path / "c"
    )
    served = {p.name: cmap(p) for p in written}
    assert ord("ℵ") in served["KaTeX_Main-Regular.woff2"]
    assert ord("x") in served["KaTeX_Math-Italic.woff2"]
    assert ord("x") in cmap(katex_fonts.SOURCE / "KaTeX_Main-Regular.woff2")
    assert ord("x") not in served["KaTeX_Main-Regular.woff2"]
    assert ord("ℵ") in cmap(katex_fonts.SOURCE / "KaTeX_Main-Bold.woff2")
    assert ord("ℵ") in served["KaTeX_Main-Bold.woff2"]  # every face of the family


@pytest.fixture(scope="module")
def site_drawn(site: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for page in site.rglob("*.html"):
        for family, chars in drawn(page.read_text(encoding="utf-8")).items():
            found.setdefault(family, set()).update(chars)
    return found


def test_site_shows_formulas(site_drawn: dict[str, set[str]]) -> None:
    # the check below sees the formulas, and more than one font
    assert {"x", "σ"} <= site_drawn["KaTeX_Math"]
    assert {"=", "("} <= site_drawn["KaTeX_Main"]
    assert {"∑"} <= site_drawn["KaTeX_Size2"]


def test_no_glyph_missing_from_the_font_that_draws_it(
    site: Path, site_drawn: dict[str, set[str]]
) -> None:
    served_dir = site / katex_fonts.SITE_DIR
    missing = []
    for family, chars in sorted(site_drawn.items()):
        for name in sorted(FILES[family]):
            had, kept = cmap(katex_fonts.SOURCE / name), cmap(served_dir / name)
            missing += [
                f"{name}: {c!r} (U+{ord(c):04X})"
                for c in sorted(chars)
                if ord(c) in had and ord(c) not in kept
            ]
    assert not missing, "\n".join(missing)


def test_served_fonts_are_cut_per_font(
    site: Path, site_drawn: dict[str, set[str]]
) -> None:
    """The site serves cut-down fonts, each with the characters of its own family only:
    KaTeX_Math (variables) does not carry KaTeX_Main's digits."""
    served_dir = site / katex_fonts.SITE_DIR
    main = "KaTeX_Main-Regular.woff2"
    assert cmap(served_dir / main) < cmap(katex_fonts.SOURCE / main)
    math = cmap(served_dir / "KaTeX_Math-Italic.woff2")
    assert ord("7") in cmap(katex_fonts.SOURCE / "KaTeX_Math-Italic.woff2")
    assert "7" not in site_drawn.get("KaTeX_Math", set()) and ord("7") not in math
    # A font with an empty character map is one a browser's font sanitiser may refuse.
    assert all(cmap(served_dir / f.name) for f in katex_fonts.originals())
