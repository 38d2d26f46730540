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
