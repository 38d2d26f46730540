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

import re
from pathlib import Path

import pytest
import soupsieve
import tinycss2
from bs4 import BeautifulSoup, NavigableString, SoupStrainer, Tag
from fontTools.ttLib import TTFont

from docs_build import katex_fonts

CSS = Path(katex_fonts.SOURCE).parent / "katex.min.css"


def _css_rules() -> tuple[list[tuple[tuple, str, str, str]], dict[tuple, str]]:
    """katex.min.css's rules that set a font's family, style or weight, as (rank,
    selector, property, value) sorted by the cascade's rank (specificity, then order),
    and the file of each (family, style, weight)."""
    rules, faces = [], {}
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
        font = {k[5:]: v for k, v in decls.items() if k in FONT_PROPERTIES}
        if "font" in decls:  # shorthand; katex.min.css: "normal 1.21em KaTeX_Main,..."
            font = {"family": decls["font"].split()[2], "style": "normal"}
            font["weight"] = "normal"
        font = {k: v.split(",")[0].strip().strip('"') for k, v in font.items()}
        if "weight" in font:
            font["weight"] = {"normal": "400", "bold": "700"}.get(*[font["weight"]] * 2)
        if rule.type == "at-rule" and rule.lower_at_keyword == "font-face":
            url = next(
                t
                for t in tinycss2.parse_component_value_list(decls["src"])
                if t.type == "url"
            )
            key = (font["family"], font["style"], font["weight"])
            faces[key] = url.value.rsplit("/", 1)[-1]
            continue
        assert rule.type == "qualified-rule", rule
        for selector in tinycss2.serialize(rule.prelude).split(","):
            if ":" in selector:
                continue  # a pseudo-element: no text node of the HTML
            parts = selector.replace(">", " ").split()
            specificity = selector.count("."), sum(p[0].isalpha() for p in parts)
            for name, value in font.items():
                rules.append(((specificity, order), selector.strip(), name, value))
    rules.sort(key=lambda r: r[0])
    return rules, faces


FONT_PROPERTIES = {"font-family", "font-style", "font-weight"}
RULES, FACES = _css_rules()


def files_of(font: tuple[str, str, str]) -> set[str]:
    """The file that draws ``font``; with no such face, every file of its family."""
    if font in FACES:
        return {FACES[font]}
    return {name for (family, _, _), name in FACES.items() if family == font[0]}


def drawn(
    html: str, parts: list[tuple[str, dict[str, set[str]]]] | None = None
) -> dict[str, set[str]]:
    """The characters in the ``.katex-html`` parts of ``html``, by the font file that
    draws them; with ``parts``, also each formula's (a ``.katex`` element, as HTML) own."""
    soup = BeautifulSoup(html, "html.parser")
    part_found: dict[int, dict[str, set[str]]] = {}
    declared: dict[tuple[int, str], str] = {}
    for _, selector, name, value in RULES:  # later (higher rank) rules overwrite
        for element in soupsieve.select(selector, soup):
            declared[id(element), name] = value

    def font_of(element: Tag) -> tuple[str, str, str]:
        font = []
        for name in ("family", "style", "weight"):
            up: Tag | None = element
            while up is not None and (id(up), name) not in declared:
                up = up.parent
            assert up is not None, "a .katex-html outside .katex"
            font.append(declared[id(up), name])
        return font[0], font[1], font[2]

    found: dict[str, set[str]] = {}
    for part in soup.select(".katex-html"):
        by_part = part_found.setdefault(id(part.find_parent(class_="katex")), {})

        def add(element: Tag, text: str, by_part: dict = by_part) -> None:
            for name in files_of(font_of(element)):
                found.setdefault(name, set()).update(text)
                by_part.setdefault(name, set()).update(text)

        for text in part.find_all(string=True):
            if isinstance(text, NavigableString) and text:
                add(text.parent, text)
        # What katex.min.css writes itself: .eqn-num:before{content:"(" counter ")"}
        for number in part.select(".eqn-num"):
            add(number, "()0123456789")
    if parts is not None:
        parts.extend((str(f), part_found.get(id(f), {})) for f in soup.select(".katex"))
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
        "KaTeX_Math-Italic.woff2": {"x"},
        "KaTeX_Math-BoldItalic.woff2": {"y"},
        "KaTeX_Main-Regular.woff2": {"\u2211"},
        "KaTeX_Size2-Regular.woff2": {"\u220f"},
        "KaTeX_Size1-Regular.woff2": {"("},
    }
    assert drawn(html) == expected
    assert katex_fonts.painted_characters(html) == expected  # the build agrees


def test_subset_keeps_exactly_the_characters_asked_for(tmp_path: Path) -> None:
    """A character a formula draws in a font is kept there and nowhere else: ℵ drawn in
    Main-Regular stays there and leaves Main-Bold; x, drawn only in Math-Italic, leaves
    Main-Regular."""
    written = katex_fonts.write_subsets(
        {"KaTeX_Main-Regular.woff2": {"ℵ"}, "KaTeX_Math-Italic.woff2": {"x"}},
        tmp_path,
        cache=tmp_path / "c",
    )
    served = {p.name: cmap(p) for p in written}
    assert ord("ℵ") in served["KaTeX_Main-Regular.woff2"]
    assert ord("x") in served["KaTeX_Math-Italic.woff2"]
    assert ord("x") in cmap(katex_fonts.SOURCE / "KaTeX_Main-Regular.woff2")
    assert ord("x") not in served["KaTeX_Main-Regular.woff2"]
    assert ord("ℵ") in cmap(katex_fonts.SOURCE / "KaTeX_Main-Bold.woff2")
    assert ord("ℵ") not in served["KaTeX_Main-Bold.woff2"]


def formulas(html: str) -> set[str]:
    """Each formula of ``html`` (a ``.katex`` element, as HTML): every rule of
    katex.min.css starts at ``.katex`` (test below), so a formula's fonts depend on
    nothing outside it, and a formula shown twice needs checking once."""
    only = SoupStrainer(class_="katex")
    return {str(f) for f in BeautifulSoup(html, "html.parser", parse_only=only)}


def test_every_font_rule_starts_at_a_formula() -> None:
    """What lets the check read each distinct formula once, outside its page."""
    assert RULES
    assert all(selector.split()[0] == ".katex" for _, selector, _, _ in RULES)
    page = '<p><span class="katex"><span class="katex-html">x</span></span> and</p>'
    assert formulas(page) == {
        '<span class="katex"><span class="katex-html">x</span></span>'
    }


@pytest.fixture(scope="module")
def site_formulas(site: Path) -> dict[Path, set[str]]:
    """Each page's distinct formulas."""
    return {p: formulas(p.read_text(encoding="utf-8")) for p in site.rglob("*.html")}


@pytest.fixture(scope="module")
def drawn_parts(
    site_formulas: dict[Path, set[str]],
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """What every distinct formula of the site draws, by font file: in all, and each
    formula's own font files."""
    parts: list[tuple[str, dict[str, set[str]]]] = []
    shown = set().union(*site_formulas.values())
    found = drawn("".join(sorted(shown)), parts)
    return found, {f: {n for n, chars in by.items() if chars} for f, by in parts}


@pytest.fixture(scope="module")
def site_drawn(drawn_parts) -> dict[str, set[str]]:
    return drawn_parts[0]


def test_site_shows_formulas(site_drawn: dict[str, set[str]]) -> None:
    # the check below sees the formulas, and more than one font
    assert {"x", "σ"} <= site_drawn["KaTeX_Math-Italic.woff2"]
    assert {"=", "("} <= site_drawn["KaTeX_Main-Regular.woff2"]
    assert {"∑"} <= site_drawn["KaTeX_Size2-Regular.woff2"]


def test_no_glyph_missing_from_the_font_that_draws_it(
    site: Path, site_drawn: dict[str, set[str]]
) -> None:
    served_dir = site / katex_fonts.SITE_DIR
    missing = []
    for name, chars in sorted(site_drawn.items()):
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
    """The site serves cut-down fonts, each with the characters it draws only:
    KaTeX_Math (variables) does not carry KaTeX_Main's digits."""
    served_dir = site / katex_fonts.SITE_DIR
    main = "KaTeX_Main-Regular.woff2"
    assert cmap(served_dir / main) < cmap(katex_fonts.SOURCE / main)
    math = cmap(served_dir / "KaTeX_Math-Italic.woff2")
    assert ord("7") in cmap(katex_fonts.SOURCE / "KaTeX_Math-Italic.woff2")
    assert "7" not in site_drawn.get("KaTeX_Math-Italic.woff2", set())
    assert ord("7") not in math
    # A font with an empty character map is one a browser's font sanitiser may refuse.
    assert all(cmap(served_dir / f.name) for f in katex_fonts.originals())


PRELOAD = re.compile(
    r'<link rel="preload" href="[^"]*assets/vendor/katex/fonts/([^"/]+)" as="font"'
)


def test_each_page_preloads_exactly_the_fonts_its_formulas_use(
    site: Path, site_formulas: dict[Path, set[str]], drawn_parts
) -> None:
    """A font that arrives after the first layout moves the lines around the formulas
    that use it (a layout shift): every page preloads each font its formulas draw in
    (read here from the served HTML and CSS, not from the build), and no other."""
    fonts = drawn_parts[1]
    checked = 0
    for page, shown in sorted(site_formulas.items()):
        used = set().union(*(fonts[f] for f in shown))
        html = page.read_text(encoding="utf-8")
        assert set(PRELOAD.findall(html)) == used, page.relative_to(site)
        checked += len(used) > 2
    assert checked >= 5  # pages that need more than KaTeX_Main and KaTeX_Math
