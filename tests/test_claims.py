"""Claims are tied to tests both ways: each claim a page makes is listed in
docs_build/claims.py with the test that asserts it, that test carries the claim's marker,
and every marked test names a claim some page makes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from docs_build import claims

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def marked_claims(path: Path) -> dict[str, set[str]]:
    """``{function: {claim ids}}`` for every ``@pytest.mark.claim("id", ...)`` in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for deco in node.decorator_list:
            if (
                isinstance(deco, ast.Call)
                and ast.unparse(deco.func) == "pytest.mark.claim"
            ):
                ids = {a.value for a in deco.args if isinstance(a, ast.Constant)}
                found.setdefault(node.name, set()).update(ids)
    return found


def every_marked_claim() -> dict[str, list[str]]:
    """``{claim id: [test node ids]}`` over the whole of tests/."""
    out: dict[str, list[str]] = {}
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        for function, ids in marked_claims(path).items():
            node = f"{path.relative_to(ROOT).as_posix()}::{function}"
            for claim_id in ids:
                out.setdefault(claim_id, []).append(node)
    return out


def test_every_claim_a_page_makes_is_listed_and_every_listed_claim_is_made() -> None:
    made = claims.made_on(DOCS)
    assert made, "no page makes a claim; the checks below would prove nothing"
    unlisted = sorted(set(made) - set(claims.CLAIMS))
    assert not unlisted, (
        f"claims made on pages but not in docs_build/claims.py: {unlisted}"
    )
    unmade = sorted(set(claims.CLAIMS) - set(made))
    assert not unmade, (
        f"claims listed in docs_build/claims.py that no page makes: {unmade}"
    )


@pytest.mark.parametrize("claim", sorted(claims.CLAIMS))
def test_the_named_test_exists_and_carries_the_claims_marker(claim: str) -> None:
    c = claims.CLAIMS[claim]
    path = ROOT / c.path
    assert path.is_file(), f"{claim}: {c.path} does not exist"
    marked = marked_claims(path)
    source = path.read_text(encoding="utf-8")
    assert f"def {c.function}(" in source, f"{claim}: no test {c.function} in {c.path}"
    assert claim in marked.get(c.function, set()), (
        f'{claim}: mark {c.test} with @pytest.mark.claim("{claim}")'
    )


def test_every_marked_test_names_a_listed_claim_and_is_the_one_listed() -> None:
    marked = every_marked_claim()
    unknown = sorted(set(marked) - set(claims.CLAIMS))
    assert not unknown, (
        f"tests marked with claims docs_build/claims.py lacks: {unknown}"
    )
    elsewhere = {
        claim: nodes
        for claim, nodes in marked.items()
        if claim in claims.CLAIMS and nodes != [claims.CLAIMS[claim].test]
    }
    assert not elsewhere, (
        f"claims marked on other tests than the one listed: {elsewhere}"
    )


def test_the_checker_finds_markers_and_their_absence(tmp_path: Path) -> None:
    """The AST reader above sees a marker (stacked with others) and misses none."""
    sample = tmp_path / "test_sample.py"
    sample.write_text(
        "import pytest\n\n"
        '@pytest.mark.parametrize("x", [1])\n'
        '@pytest.mark.claim("a-b")\n'
        "def test_one(x):\n    assert x\n\n"
        "def test_two():\n    pass\n",
        encoding="utf-8",
    )
    assert marked_claims(sample) == {"test_one": {"a-b"}}


def test_an_unknown_claim_fails_the_build_with_the_page_named() -> None:
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError

    from docs_build import hooks

    page = SimpleNamespace(file=SimpleNamespace(src_uri="x/y.md"), meta={})
    with pytest.raises(PluginError, match=r"x/y\.md: unknown claim 'no-such-claim'"):
        hooks.on_page_markdown("A result. {{ claim no-such-claim }}", page, None, None)


def test_a_mark_links_to_its_row_on_the_testing_page() -> None:
    claim_id = next(iter(claims.CLAIMS))
    mark = claims.mark(claim_id, "architectures/rnn.md")
    assert f"](../about/testing.md#claim-{claim_id})" in mark
    assert "checked by the test" in mark  # the name a screen reader reads
    table = claims.table(DOCS, "https://example.org/repo")
    assert f'<span id="claim-{claim_id}"></span>' in table
