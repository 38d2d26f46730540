"""Every formula on every built page parses with the KaTeX the site ships."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import htmlcheck
import pytest

CHECKER = Path(__file__).with_name("katex_check.js")


def katex_failures(formulas: list[dict]) -> list[dict]:
    """Formulas KaTeX rejects, each with its page and KaTeX's error message."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "node is needed to parse formulas with the vendored KaTeX; install nodejs"
        )
    out = subprocess.run(
        [node, str(CHECKER)],
        input=json.dumps(formulas),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def site_formulas(site: Path) -> list[dict]:
    formulas = []
    for path in sorted(site.rglob("*.html")):
        page = htmlcheck.parse(path.read_text(encoding="utf-8"))
        for tex, display in page.math:
            formulas.append(
                {
                    "page": str(path.relative_to(site)),
                    "tex": htmlcheck.strip_math_delimiters(tex),
                    "display": display,
                }
            )
    return formulas


def test_every_formula_parses(site: Path) -> None:
    formulas = site_formulas(site)
    failures = katex_failures(formulas)
    message = "\n".join(f"{f['page']}: {f['tex']!r}: {f['error']}" for f in failures)
    assert not failures, (
        f"{len(failures)} of {len(formulas)} formulas do not parse:\n{message}"
    )


def test_checker_rejects_malformed_formula() -> None:
    failures = katex_failures(
        [
            {"page": "ok.html", "tex": r"\frac{1}{1+e^{-x}}", "display": True},
            {"page": "bad.html", "tex": r"\frac{1}{1+e^{-x}", "display": False},
            {"page": "bad2.html", "tex": r"\sigmoid(x)", "display": False},
        ]
    )
    assert [f["page"] for f in failures] == ["bad.html", "bad2.html"]
