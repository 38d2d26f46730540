"""The lint hooks that `make test` runs work without an activated venv and catch a
misspelling, an unformatted snippet and an unpinned GitHub Action."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def hooks() -> list[dict]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert [r["repo"] for r in config["repos"]] == ["local"], (
        "hooks must be local (no git host)"
    )
    return [h for r in config["repos"] for h in r["hooks"]]


def hook_ids() -> set[str]:
    return {h["id"] for h in hooks()}


def test_hooks_are_configured() -> None:
    assert {
        "ruff-check",
        "ruff-format",
        "codespell",
        "trailing-whitespace",
        "zizmor",
    } <= hook_ids()


def test_hooks_run_the_venvs_tools_without_an_activated_venv() -> None:
    """A bare `codespell` is found only with the venv on PATH; `git commit` has no venv."""
    for hook in hooks():
        exe = hook["entry"].split()[0]
        assert exe.startswith(".venv/bin/"), f"{hook['id']}: entry {exe!r} needs PATH"
        assert (ROOT / exe).is_file(), f"{hook['id']}: {exe} is not installed"


def test_zizmor_is_pinned_and_runs_offline() -> None:
    pins = (ROOT / "requirements.txt").read_text().splitlines()
    assert any(re.fullmatch(r"zizmor==[\d.]+", line) for line in pins)
    (hook,) = [h for h in hooks() if h["id"] == "zizmor"]
    assert "--offline" in hook["entry"].split(), "the hook must not need a token"


def test_zizmor_catches_an_unpinned_action(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text(
        "on: push\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-24.04\n"
        "    steps:\n      - uses: actions/checkout@v4\n"
        "        with:\n          persist-credentials: false\n"
    )
    out = subprocess.run(
        [BIN / "zizmor", "--offline", "--no-progress", "--color", "never", workflows],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert out.returncode != 0 and "unpinned-uses" in out.stdout, out.stdout


def test_every_action_is_pinned_to_a_commit_with_its_tag() -> None:
    uses = [
        (path.name, line.strip())
        for path in sorted((ROOT / ".github" / "workflows").glob("*.yml"))
        for line in path.read_text().splitlines()
        if re.match(r"\s*(- )?uses:", line)
    ]
    assert uses
    pinned = re.compile(r"(- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+")
    loose = [u for u in uses if not pinned.fullmatch(u[1])]
    assert not loose, f"pin these to a commit SHA, tag in a comment: {loose}"


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
