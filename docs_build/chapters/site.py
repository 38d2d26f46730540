"""Facts about the site itself: versions, and how much of it the tests check.

The build never runs or reads the tests: the sizes it states come from its own registries
(formulas, claims) and source folders, and tests/test_site_html.py checks them against what
the test suite runs.
"""

from __future__ import annotations

import platform
from importlib.metadata import version

from docs_build.registry import ROOT, SOURCE_DIRS, facts


@facts("site", sources=(*SOURCE_DIRS, "docs", "notebooks", "requirements.txt"))
def site_facts() -> dict[str, str]:
    """Versions as the installed packages' metadata gives them (importing torch and
    matplotlib for their ``__version__`` cost a prose edit's rebuild 2 s), and sizes."""
    from docs_build.claims import CLAIMS
    from docs_build.formulas import checked

    katex = (ROOT / "docs/assets/vendor/katex/VERSION").read_text().strip()
    pages = list((ROOT / "docs").rglob("*.md"))
    return {
        "torch_version": version("torch").split("+")[0],
        "numpy_version": version("numpy"),
        "matplotlib_version": version("matplotlib"),
        "mkdocs_version": version("mkdocs"),
        "python_version": platform.python_version(),
        "katex_version": katex,
        "formula_count": str(len(checked())),
        "claim_count": str(len(CLAIMS)),
        "page_count": str(len(pages)),
        "notebook_count": str(len(list((ROOT / "notebooks").glob("*.md")))),
    }


@facts("tex", sources=SOURCE_DIRS)  # every chapter's formulas
def tex_facts() -> dict[str, str]:
    """``{{ tex.NAME }}``: the LaTeX of each registered formula; ``{{ tex.NAME.eq }}``
    the whole equation with its left-hand side."""
    from docs_build.formulas import FORMULAS
    from docs_build.registry import load_chapters

    load_chapters()
    out = {}
    for name, f in FORMULAS.items():
        out[name] = f.latex()
        out[f"{name}.eq"] = f.equation()
    return out
