"""How a build learns the size of the test suite it states on the testing page."""

from __future__ import annotations

import subprocess

import pytest

from docs_build.chapters import site


@pytest.fixture
def collect_only(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Stand in for ``pytest --collect-only`` (a second collection takes ~10 s)."""
    calls: list[list[str]] = []

    def run(args, **kwargs):
        calls.append(args)
        return subprocess.CompletedProcess(
            args, 0, stdout="\n42 tests collected in 1s\n"
        )

    monkeypatch.setattr(site.subprocess, "run", run)
    monkeypatch.delenv("DOCS_TEST_COUNT", raising=False)
    return calls


def test_count_is_read_from_the_file_the_test_command_writes(
    tmp_path, monkeypatch, collect_only
) -> None:
    told = tmp_path / "test-count"
    told.write_text("517")
    monkeypatch.setenv("DOCS_TEST_COUNT_FILE", str(told))
    assert site.count_tests() == 517 and collect_only == []


def test_empty_file_or_none_in_time_means_count_them(
    tmp_path, monkeypatch, collect_only
) -> None:
    told = tmp_path / "test-count"
    told.write_text("")  # only part of the suite was collected
    monkeypatch.setenv("DOCS_TEST_COUNT_FILE", str(told))
    assert site.count_tests() == 42
    monkeypatch.setattr(site, "COUNT_WAIT_S", 0.2)
    monkeypatch.setenv("DOCS_TEST_COUNT_FILE", str(tmp_path / "never-written"))
    assert site.count_tests() == 42 and len(collect_only) == 2
