"""docs_build/api.py, the surface tests read the site through: numbers as pages print
them, formulas and figures by name, symbols by their printed names."""

from __future__ import annotations

import pytest
import sympy as sp

from docs_build import api, registry


@pytest.mark.parametrize(
    ("printed", "value"),
    [("70%", 0.7), ("99%", 0.99), ("12,345", 12345.0), ("0.02", 0.02), ("1e-05", 1e-5)],
)
def test_number_reads_a_fact_as_the_page_prints_it(
    monkeypatch, printed: str, value: float
) -> None:
    monkeypatch.setattr(api, "get_facts", lambda namespace: {"key": printed})
    assert api.number("any", "key") == value


def test_unknown_names_are_errors_that_name_them() -> None:
    with pytest.raises(KeyError, match="no_such_formula"):
        api.formula("no_such_formula")
    with pytest.raises(KeyError, match="no/such-figure"):
        api.figure("no/such-figure")
    with pytest.raises(KeyError):
        api.claim("no-such-claim")
    with pytest.raises(
        KeyError, match=r"unknown runs 'no.such' \(known: .*shallow\.checks"
    ):
        api.runs("no.such")


def test_runs_are_registered_once_and_read_by_name(monkeypatch) -> None:
    monkeypatch.setattr(registry, "RUNS", {})
    registry.runs("page.part")(lambda: {"loss": [1.0, 0.5]})
    assert api.runs("page.part") == {"loss": [1.0, 0.5]}
    with pytest.raises(ValueError, match=r"runs 'page\.part' registered twice"):
        registry.runs("page.part")(dict)


def test_symbols_are_the_formulas_own_by_printed_name() -> None:
    f = api.formula("transformer_params")
    sym = api.symbols("transformer_params")
    assert {sym.E, sym.d_ff} <= set(f.args)  # d_{ff} printed without its braces
    assert sym.E in api.formula("mha_params").args


def test_a_name_for_two_symbols_is_an_error(monkeypatch) -> None:
    x_real, x_plain = sp.Symbol("x", real=True), sp.Symbol("x")
    fake = {
        "a": type("F", (), {"expr": x_real})(),
        "b": type("F", (), {"expr": x_plain})(),
    }
    monkeypatch.setattr(api, "formula", fake.__getitem__)
    with pytest.raises(ValueError, match="'x' is two symbols"):
        api.symbols("a", "b")
