"""The strict build: any warning, missing snippet or broken link fails it."""

from docs_build.registry import ROOT


def test_strict_build_passes(build) -> None:
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{build.log[-4000:]}"


def test_build_log_has_no_warning(build) -> None:
    warnings = [
        line for line in build.log.splitlines() if "WARNING" in line or "ERROR" in line
    ]
    assert not warnings, "build printed warnings:\n" + "\n".join(warnings)


def test_every_figure_is_generated_not_committed(site) -> None:
    from docs_build import registry

    registry.load_chapters()
    for name in registry.FIGURES:
        for suffix in ("", "-dark"):
            assert (site / "figures" / f"{name}{suffix}.svg").is_file(), name


def test_no_figure_is_committed_by_hand() -> None:

    images = [
        p.relative_to(ROOT)
        for ext in ("svg", "png", "jpg", "jpeg", "gif", "webp")
        for p in (ROOT / "docs").rglob(f"*.{ext}")
        if "vendor" not in p.parts
    ]
    assert images == [], (
        f"figures must be drawn at build time by docs_build, not committed: {images}"
    )


def test_the_warm_up_starts_the_longest_jobs_first(tmp_path, monkeypatch) -> None:
    """The last build's timings win over the typical ones, a job never timed keeps its
    place after the timed ones, and a run's timings are kept for the next build."""
    from docs_build import prepare

    monkeypatch.setattr(prepare, "SECONDS", tmp_path / "job-seconds.json")
    assert prepare.expected_seconds() == prepare.TYPICAL_SECONDS
    slowest = max(prepare.TYPICAL_SECONDS, key=prepare.TYPICAL_SECONDS.get)
    prepare.record_seconds({slowest: 1.0, "notebook x.md": 99.0})
    prepare.record_seconds({"notebook y.md": 2.0})
    expected = prepare.expected_seconds()
    assert expected[slowest] == 1.0
    assert expected["notebook x.md"] == 99.0 and expected["notebook y.md"] == 2.0
    labels = ["notebook z.md", slowest, "notebook x.md", "notebook y.md"]
    assert prepare.longest_first(labels) == [
        "notebook x.md",
        "notebook y.md",
        slowest,
        "notebook z.md",
    ]
