"""Each snippet script run once per test session, as a reader runs it (``python file.py``).

The run's globals are kept: a chapter's tests read the numbers the reader's run computed (the
trained model, its accuracy) and compare them with the page, instead of training the model
a second time. tests/test_snippets.py makes sure every script runs.
"""

from __future__ import annotations

import functools
import os
import runpy
from pathlib import Path

SNIPPETS = Path(__file__).resolve().parent.parent / "snippets"


@functools.cache
def run_snippet(relative: str) -> dict[str, object]:
    """Run ``snippets/<relative>`` as ``__main__`` and return its globals."""
    path = SNIPPETS / relative
    if not path.is_file():
        raise FileNotFoundError(f"no snippet {path}")
    backend = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "Agg"  # a figure the script draws is not shown
    try:
        return runpy.run_path(str(path), run_name="__main__")
    finally:
        if backend is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = backend
