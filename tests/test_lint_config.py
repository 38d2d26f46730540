"""The lint hooks that `make test` runs catch a misspelling and an unformatted snippet."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def hook_ids() -> set[str]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert [r["repo"] for r in config["repos"]] == ["local"], (
        "hooks must be local (no git host)"
    )
    return {h["id"] for r in config["repos"] for h in r["hooks"]}


def test_hooks_are_configured() -> None:
    assert {
        "ruff-check",
        "ruff-format",
        "codespell",
        "trailing-whitespace",
    } <= hook_ids()


def test_codespell_catches_a_misspelling(tmp_path: Path) -> None:
    typo = (
        "reci" + "eved"
    )  # built at run time: spelled out, the hook would flag this file
    page = tmp_path / "page.md"
    page.write_text(f"The gradient is {typo} by the previous layer.\n")
    out = subprocess.run(
        [BIN / "codespell", "--toml", ROOT / "pyproject.toml", page],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode != 0 and f"{typo} ==> received" in out.stdout


def test_ruff_format_catches_an_unformatted_snippet(tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.py"
    snippet.write_text("import torch\nx=torch.zeros( 3 )\n")
    out = subprocess.run(
        [
            BIN / "ruff",
            "format",
            "--check",
            "--config",
            ROOT / "pyproject.toml",
            snippet,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 1 and "would be reformatted" in out.stdout
