"""The strict build: any warning, missing snippet or broken link fails it."""

import re
from pathlib import Path

from docs_build.registry import ROOT


def test_strict_build_passes(build) -> None:
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{build.log[-4000:]}"


def test_build_log_has_no_warning(build) -> None:
    warnings = [
        line for line in build.log.splitlines() if "WARNING" in line or "ERROR" in line
    ]
    assert not warnings, "build printed warnings:\n" + "\n".join(warnings)


def test_every_figure_is_generated_as_one_svg_for_both_palettes(site) -> None:
    """One SVG per registered figure (no -dark copies), each with the palette style and its
    #only-dark wrapper (plotting.themed), and no palette color left outside the style."""
    from docs_build import plotting, registry

    registry.load_chapters()
    served = sorted(
        p.relative_to(site / "figures").with_suffix("").as_posix()
        for p in (site / "figures").rglob("*.svg")
    )
    assert served == sorted(registry.FIGURES)
    palette = set(plotting.dark_colors())
    for name in served:
        svg = (site / "figures" / f"{name}.svg").read_text(encoding="utf-8")
        style, _, drawing = svg.partition("</style>")
        assert "#only-dark:target{" in style and '<g id="only-dark">' in drawing, name
        left = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}\b", drawing)}
        assert not left & palette, f"{name}: {sorted(left & palette)} not themed"


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


def test_the_warm_up_starts_the_longest_jobs_first() -> None:
    """The jobs listed as slowest start first, longest first; the others keep their order
    after them; and every listed label is a real chapter job's (a renamed chapter would
    otherwise silently drop out of the ordering)."""
    from docs_build import prepare, registry

    registry.load_chapters()
    chapters = {fn.__module__ for fn in registry.FACT_PROVIDERS.values()}
    assert set(prepare.TYPICAL_SECONDS) <= {prepare.chapter_label(m) for m in chapters}
    slowest = max(prepare.TYPICAL_SECONDS, key=prepare.TYPICAL_SECONDS.get)
    second = sorted(prepare.TYPICAL_SECONDS.values())[-2]
    runner_up = next(k for k, v in prepare.TYPICAL_SECONDS.items() if v == second)
    labels = ["notebook z.md", runner_up, "notebook x.md", slowest]
    assert prepare.longest_first(labels) == [
        slowest,
        runner_up,
        "notebook z.md",
        "notebook x.md",
    ]


def test_a_cold_build_queues_the_slowest_chapters_before_most_notebooks(
    monkeypatch,
) -> None:
    """Notebooks start before the chapters are imported, one per worker; the rest queue
    behind the slowest chapters (all of them first, the slowest chapter started last)."""
    from docs_build import prepare, registry

    modules = [
        "docs_build.chapters." + label.rsplit(" ", 1)[1]
        for label in [*prepare.TYPICAL_SECONDS][::-1]  # queued here in reverse
    ]
    slowest = prepare.longest_first([prepare.chapter_label(m) for m in modules])
    submitted: list[str] = []
    monkeypatch.setattr(registry, "use_cache", lambda: True)
    monkeypatch.setattr(prepare, "workers", lambda: 2)
    monkeypatch.setattr(
        prepare, "notebook_jobs", lambda: [Path(f"{n}.md") for n in "abcde"]
    )
    monkeypatch.setattr(
        prepare, "chapter_jobs", lambda: {m: (["x"], []) for m in modules}
    )
    monkeypatch.setattr(prepare, "explorer_job", lambda: True)
    monkeypatch.setattr(prepare, "_JOBS", prepare._Jobs())
    monkeypatch.setattr(
        prepare._JOBS, "submit", lambda run, args, label: submitted.append(label)
    )
    monkeypatch.setattr(prepare._JOBS, "wait", lambda: None)
    prepare.start_notebooks()
    assert submitted == ["notebook a.md", "notebook b.md"]
    prepare.warm_caches()
    assert submitted == [
        "notebook a.md",
        "notebook b.md",
        *slowest,
        "notebook c.md",
        "notebook d.md",
        "notebook e.md",
        "the activation explorer's script",
    ]
