"""Exercises on the shallow-vs-deep page: the code answer runs alone and prints what it
states; the solved width and the counts are checked against the page's own networks
(the snippet's MLP, counted by numel) and the widths the comparison trains."""

from __future__ import annotations

import sympy as sp
from architectures import shallow_vs_deep as sd
from exercise_answers import check_script, sections

from docs_build.registry import get_facts

FACTS = "ex_shallow_vs_deep"


def test_code_answers_stand_alone_and_print_what_they_state() -> None:
    check_script("exercises/shallow_vs_deep.py")


def test_widths_and_counts_by_the_pages_networks() -> None:
    facts = get_facts(FACTS)
    assert facts["width"] == r"\frac{P - o}{d + o + 1}"
    deep = sd.DEEP_WIDTHS
    assert deep[0] == 2 and deep[-1] == 1 and facts["layers"] == str(len(deep) - 2)
    for name, scale in (("narrow", 1), ("wide", 2)):
        h = deep[1] * scale
        assert facts[f"{name}_h"] == str(h)
        p = sd.count_parameters(sd.MLP([2, *[h] * (len(deep) - 2), 1]))
        width = int(facts[f"{name}_shallow"])
        assert facts[f"{name}_params"] == f"{p:,}"
        assert sd.count_parameters(sd.MLP([2, width, 1])) == p
        assert (p - 1) / (2 + 1 + 1) == width  # the solved formula at d = 2, o = 1
    # the width the page's comparison trains is the one the first answer finds
    assert sd.shallow_width_matching(deep) == int(facts["narrow_shallow"])
    wide = int(facts["wide_params"].replace(",", ""))
    narrow = int(facts["narrow_params"].replace(",", ""))
    assert facts["ratio"] == f"{wide / narrow:.2f}"
    assert 3.5 < wide / narrow < 4  # "close to four times"
    # "its width grows by almost the same factor"
    widths = int(facts["wide_shallow"]) / int(facts["narrow_shallow"])
    assert widths != wide / narrow and abs(widths - wide / narrow) < 0.01


def test_stated_counts_are_the_pages_networks() -> None:
    """The deep count 2h^2 + 6h + 1 and the shallow count 4H + 1, read from the facts,
    equal numel of the page's MLP at several widths."""
    facts = get_facts(FACTS)
    h, big_h = sp.symbols("h H")
    deep = sp.parse_expr(facts["deep_count"].replace("^{2}", "**2").replace(" h", "*h"))
    shallow = sp.parse_expr(facts["shallow_count"].replace(" H", "*H"))
    assert sp.latex(deep) == facts["deep_count"]
    assert sp.latex(shallow) == facts["shallow_count"]
    layers = int(facts["layers"])
    for width in (1, 5, 32, 64):
        mlp = sd.MLP([2, *[width] * layers, 1])
        assert sd.count_parameters(mlp) == deep.subs(h, width)
        assert sd.count_parameters(sd.MLP([2, width, 1])) == shallow.subs(big_h, width)
    # the h^2 weights dominate; the rest (first and last weights, every bias) is linear
    assert sp.degree(deep, h) == 2 and sp.degree(shallow, big_h) == 1


def test_code_prints_the_facts() -> None:
    facts = get_facts(FACTS)
    (code,) = sections("exercises/shallow_vs_deep.py")
    for name in ("narrow", "wide"):
        p = facts[f"{name}_params"].replace(",", "")
        stated = f"print(compare({facts[f'{name}_h']}))  # ({p}, {facts[f'{name}_shallow']}, {p})"
        assert stated in code
