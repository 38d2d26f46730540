"""CONTRIBUTING.md stays true: its worked example is the registry's own entry, the commands
and paths it names exist (its console commands run as written, without an activated venv),
and the site includes it."""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import textwrap
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from docs_build import common

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def registry_entries(text: str) -> list[str]:
    """The body of every fenced block that shows a registry entry (whatever its language)."""
    return re.findall(
        r"^```[^`\n]*\n(Activation\(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL
    )


def test_worked_example_is_the_registry_entry_verbatim() -> None:
    from docs_build.api import BY_KEY

    (example,) = registry_entries(GUIDE)
    source = (
        ROOT / "docs_build" / "chapters" / "activations" / "__init__.py"
    ).read_text(encoding="utf-8")
    assert textwrap.indent(example, "    ") in source, (
        "update the example in CONTRIBUTING.md"
    )
    key = re.search(r'key="(\w+)"', example).group(1)
    assert BY_KEY[key].scratch is None, (
        "the example shows an entry with no scratch code"
    )


def test_the_registry_entry_is_not_shown_as_a_runnable_python_block() -> None:
    """A fragment of a list is no script: a reader's copy of it could not run alone, and
    the copy-and-run test (tests/test_pagecode.py) runs every Python block."""
    (fence,) = re.findall(r"^(```[^`\n]*)\nActivation\(", GUIDE, flags=re.MULTILINE)
    assert fence.startswith("```text ") and "title=" in fence


def test_named_paths_and_make_targets_exist() -> None:
    paths = set(
        re.findall(
            r"`((?:docs|snippets|docs_build|tests|notebooks|\.github)/[\w./-]+)`", GUIDE
        )
    )
    concrete = {p for p in paths if "<" not in p and not p.startswith(("snippets/x/",))}
    missing = [p for p in sorted(concrete) if not (ROOT / p).exists()]
    assert not missing, f"CONTRIBUTING.md names paths that do not exist: {missing}"
    targets = set(
        re.findall(r"^(\w+):", (ROOT / "Makefile").read_text(), flags=re.MULTILINE)
    )
    named = set(re.findall(r"`make (\w+)`", GUIDE)) | set(
        re.findall(r"\$ make (\w+)", GUIDE)
    )
    assert named and named <= targets, (
        f"unknown make targets: {sorted(named - targets)}"
    )


def console_commands(text: str) -> list[list[str]]:
    """The `$ ` lines of every console block, split as a shell would, comments dropped."""
    blocks = re.findall(
        r"^```console\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL
    )
    return [
        shlex.split(line[2:], comments=True)
        for block in blocks
        for line in block.splitlines()
        if line.startswith("$ ")
    ]


def unknown_options(args: list[str], usage: str) -> list[str]:
    """The options in args that a tool's --help output does not list."""
    options = [a.split("=")[0] for a in args if a.startswith("-")]
    return [
        o
        for o in options
        if not re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", usage)
    ]


def command_problems(
    argv: list[str], clone: str | None, targets: set[str], scratch: Path
) -> list[str]:
    """Why a console command would fail as written, without running anything slow."""
    exe, args = argv[0], argv[1:]
    if exe == "cd":
        return [] if args == [clone] else ["not the directory `git clone` made"]
    if exe == "make":
        return [f"no make target {a}" for a in args if a not in targets]
    if not exe.startswith(".venv/bin/") or not (ROOT / exe).is_file():
        return [
            f"{exe} is not a make target or a tool in .venv/bin/ (no venv is active)"
        ]
    words = [a for a in args if not a.startswith("-")]
    if args[:2] == ["-m", "pytest"]:
        # Its options only: a neutral directory keeps the project's conftest from loading.
        command, cwd, args = [exe, "-m", "pytest"], scratch, args[2:]
        values = {args[i + 1] for i, a in enumerate(args[:-1]) if a == "-k"}
        missing = [w for w in args if w[0] != "-" and w not in values]
        problems = [f"no path {w}" for w in missing if not (ROOT / w).exists()]
    elif exe.endswith("/python"):
        # A script or another module would run for real: only check that it exists.
        if args[:1] == ["-m"]:
            return [] if importlib.util.find_spec(args[1]) else [f"no module {args[1]}"]
        return [f"no path {w}" for w in words[:1] if not (ROOT / w).is_file()]
    else:
        command, cwd, problems = [exe, *words[:1]], ROOT, []  # the subcommand's help
    out = subprocess.run(
        [ROOT / command[0], *command[1:], "--help"],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )
    if out.returncode != 0:
        return [*problems, f"{shlex.join(command)} --help failed: {out.stderr[-300:]}"]
    return problems + [f"no option {o}" for o in unknown_options(args, out.stdout)]


def test_console_commands_run_as_written(tmp_path: Path) -> None:
    """Every command in a console block is a make target or a tool in .venv/bin/ (a bare
    `mkdocs` runs only in an activated venv) with a subcommand, options and paths that
    exist. Nothing slow runs: each tool only answers `--help`."""
    commands = console_commands(GUIDE)
    assert len(commands) >= 10, "the console blocks were not found"
    targets = set(
        re.findall(r"^(\w+):", (ROOT / "Makefile").read_text(), flags=re.MULTILINE)
    )
    clone = None
    problems = []
    for argv in commands:
        if argv[:2] == ["git", "clone"]:
            assert shutil.which("git"), "the guide's first command needs git"
            clone = Path(argv[2]).stem
            continue
        problems += [
            f"`{shlex.join(argv)}`: {p}"
            for p in command_problems(argv, clone, targets, tmp_path)
        ]
    assert not problems, "CONTRIBUTING.md: " + "; ".join(problems)


def test_a_bare_tool_in_a_console_block_is_caught(tmp_path: Path) -> None:
    """The check above fails on a bare tool, an unknown target or directory, a missing
    path, script or module, and an option the tool does not have."""
    targets = {"serve", "test"}
    assert command_problems(["mkdocs", "build", "--strict"], None, targets, tmp_path)
    assert command_problems(["make", "docs"], None, targets, tmp_path)
    assert command_problems(["cd", "elsewhere"], "field-guide", targets, tmp_path)
    wrong_path = [".venv/bin/python", "-m", "pytest", "tests/no_such_test.py", "-q"]
    assert command_problems(wrong_path, None, targets, tmp_path) == [
        "no path tests/no_such_test.py"
    ]
    assert command_problems([".venv/bin/python", "no_such.py"], None, targets, tmp_path)
    assert command_problems(
        [".venv/bin/python", "-m", "no_such"], None, targets, tmp_path
    )
    wrong_option = [".venv/bin/mkdocs", "build", "--strictly"]
    assert command_problems(wrong_option, None, targets, tmp_path) == [
        "no option --strictly"
    ]


def test_site_page_shows_the_guide_as_written() -> None:
    from types import SimpleNamespace

    from docs_build import hooks

    page = SimpleNamespace(
        file=SimpleNamespace(src_uri="about/contributing.md"),
        meta={"literal_include": "CONTRIBUTING.md"},
    )
    shown = hooks.on_page_markdown("", page, config=None, files=None)
    assert "{{ act_pages.<page> }}" in shown  # placeholders in the guide stay text
    assert (
        ';--8<-- "x/y.py:section"' in shown
    )  # pymdownx.snippets prints it without ";"
    assert shown.replace(";--8<--", "--8<--") == GUIDE
    front = (ROOT / "docs" / "about" / "contributing.md").read_text(encoding="utf-8")
    assert "\nliteral_include: CONTRIBUTING.md\n" in front


def test_built_page_keeps_the_snippet_syntax_it_explains(site: Path) -> None:
    """pymdownx.snippets would include x/y.py and drop the section-marker table row."""
    html = (site / "about" / "contributing" / "index.html").read_text(encoding="utf-8")
    assert "# --8&lt;-- [start:section]" in html
    assert '<span class="s2">"x/y.py:section"</span>' in html  # the fenced example
    assert ";--8&lt;--" not in html


def test_the_snippet_time_budget_is_the_benchmarks() -> None:
    """The guide's "a `__main__` demo that runs in under N s on one CPU core" is the budget
    that scripts/benchmark.py measures every architecture script against (a timing is not a
    test: the benchmark times it), its one exception is the benchmark's, and the guide
    names the command that measures it."""
    spec = importlib.util.spec_from_file_location(
        "benchmark", ROOT / "scripts" / "benchmark.py"
    )
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    (budget,) = re.findall(
        r"`__main__` demo that runs in under (\d+) s on one CPU", GUIDE
    )
    assert int(budget) == benchmark.SNIPPET_BUDGET_S
    exceptions = re.findall(
        r"`(\w+\.py)`'s, which trains [^;]*? in under (\d+) s;", GUIDE
    )
    assert {name: int(s) for name, s in exceptions} == benchmark.SNIPPET_BUDGETS_S
    for name in benchmark.SNIPPET_BUDGETS_S:
        assert (ROOT / "snippets" / "architectures" / name).is_file(), name
    assert "`python scripts/benchmark.py --snippets-only`" in GUIDE
    assert "--snippets-only" in benchmark.__doc__


# Commands that run until stopped (Ctrl-C): pasted as part of a block, the lines after one
# would never run.
BLOCKING = (["make", "serve"], [".venv/bin/mkdocs", "serve"])


def blocking_not_last(text: str) -> list[str]:
    """Each console block's command that blocks but is not the block's last command."""
    problems = []
    for block in re.findall(r"^```console\n(.*?)^```$", text, flags=re.M | re.S):
        argvs = [
            shlex.split(line[2:], comments=True)
            for line in block.splitlines()
            if line.startswith("$ ")
        ]
        problems += [shlex.join(a) for a in argvs[:-1] if a[:2] in BLOCKING]
    return problems


def test_a_blocking_command_ends_its_console_block() -> None:
    """A reader pastes a set-up block whole: `make serve` must come last in it."""
    assert not blocking_not_last(GUIDE)
    assert blocking_not_last("```console\n$ make serve\n$ make test\n```\n") == [
        "make serve"
    ]


NUMBER_WORDS = {word: n for n, word in enumerate(common.NUMBER_WORDS)}


def test_the_stated_number_of_celu_checks_is_what_pytest_collects() -> None:
    """ "The `-k celu` run lists fifteen checks": the guide's own command, collected."""
    (word,) = re.findall(r"The `-k celu` run lists (\w+) checks", GUIDE)
    (command,) = [
        argv
        for argv in console_commands(GUIDE)
        if argv[:3] == [".venv/bin/python", "-m", "pytest"]
        and argv[-2:] == ["-k", "celu"]
    ]
    out = subprocess.run(
        [str(ROOT / command[0]), *command[1:], "--collect-only"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    collected = [line for line in out.stdout.splitlines() if "::" in line]
    assert collected and all("celu" in line.lower() for line in collected)
    assert NUMBER_WORDS[word] == len(collected), (word, len(collected))


def test_every_how_to_run_names_the_cpu_build_as_ci_installs_it() -> None:
    """README.md, this guide and the testing page each tell a reader without a GPU to run
    `make test` with pip pointed at PyTorch's CPU builds, with the index CI itself uses
    (.github/workflows/site.yml): the pin alone resolves to the CUDA build on PyPI."""
    workflow = (ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    (index,) = re.findall(r"^\s+PIP_EXTRA_INDEX_URL: (\S+)$", workflow, flags=re.M)
    command = f"`PIP_EXTRA_INDEX_URL={index} make test`"
    for page in ("README.md", "CONTRIBUTING.md", "docs/about/testing.md"):
        text = re.sub(r"\s+", " ", (ROOT / page).read_text(encoding="utf-8"))
        assert command in text, page


def test_the_material_notice_is_as_the_guide_describes_it() -> None:
    """The guide says what a bare `mkdocs build` or `serve` prints first: Material's
    end-of-life notice, with its date, shown while the theme loads (before the hooks) and
    hidden by the variable `make` sets."""
    text = re.sub(r"\s+", " ", GUIDE)
    spec = importlib.util.find_spec("material.templates")
    notice = Path(spec.origin).read_text(encoding="utf-8")
    (date,) = re.findall(r"reaches end of life on (\w+ \d+, \d{4})", notice)
    month, day, year = date.replace(",", "").split()
    assert f"end of life on {day} {month} {year}" in text
    (variable,) = set(re.findall(r'os\.getenv\("(\w+)"\)', notice))
    assert f"sets `{variable}=1`" in text
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(rf"^export {variable} := 1$", makefile, flags=re.MULTILINE)
    # printed when Material's theme package is imported (the check sits at module level,
    # outside any function), i.e. while MkDocs validates `theme`, which its schema puts
    # before `hooks` whatever order mkdocs.yml uses
    assert notice.index("is_mkdocs() and not os.getenv") < notice.index("print(")
    assert re.search(r"^if is_mkdocs\(\) and not", notice, flags=re.MULTILINE)
    keys = [key for key, _ in MkDocsConfig._schema]
    assert keys.index("theme") < keys.index("hooks")
