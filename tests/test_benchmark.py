"""How scripts/benchmark.py reads a Lighthouse report. Its timings are not tests (they
depend on the machine); what it concludes from a report is, since the README's table of
late first paints rests on it."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from docs_build.registry import ROOT


def benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "benchmark", ROOT / "scripts" / "benchmark.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def report(painted: float, loaded: float, tasks: list[tuple[float, float]]) -> dict:
    """The parts of a Lighthouse report first_paint reads: the observed first paint and
    load (ms), and the main-thread tasks as (start, duration) in ms."""
    return {
        "audits": {
            "metrics": {
                "details": {
                    "items": [
                        {
                            "observedFirstContentfulPaint": painted,
                            "observedLoad": loaded,
                        }
                    ]
                }
            },
            "main-thread-tasks": {
                "details": {
                    "items": [{"startTime": s, "duration": d} for s, d in tasks]
                }
            },
        }
    }


def test_first_paint_marks_a_paint_after_the_load_and_the_longest_task_before_it() -> (
    None
):
    first_paint = benchmark().first_paint
    # painted a second after the load; the 400 ms task came after the paint
    late = report(1900.0, 700.0, [(10.0, 40.0), (300.0, 150.0), (2000.0, 400.0)])
    assert first_paint(late) == {"paint_after_load": True, "task_before_paint": 150.0}
    # painted before the load: only the task that began before the paint counts
    on_time = report(500.0, 700.0, [(10.0, 40.0), (600.0, 300.0)])
    assert first_paint(on_time) == {
        "paint_after_load": False,
        "task_before_paint": 40.0,
    }
    assert first_paint(report(500.0, 700.0, []))["task_before_paint"] == 0.0


def test_the_median_run_lists_every_run_and_the_worst_layout_shift() -> None:
    bench = benchmark()
    scores = {c: 1.0 for c in bench.CATEGORIES}
    runs = [
        {
            **scores,
            "performance": 0.86,
            "paint_after_load": True,
            "task_before_paint": 171.6,
            "layout_shift": 0.0,
        },
        {
            **scores,
            "performance": 0.99,
            "paint_after_load": False,
            "task_before_paint": 62.2,
            "layout_shift": 0.004,
        },
        {
            **scores,
            "performance": 0.91,
            "paint_after_load": False,
            "task_before_paint": 98.5,
            "layout_shift": 0.0,
        },
    ]
    middle = bench.median_run(runs)
    assert middle["performance"] == 0.91
    assert middle["all_performance"] == [f"0.86{bench.LATE_PAINT}", "0.99", "0.91"]
    assert middle["all_task_before_paint"] == [172, 62, 98]
    # a shift in any run counts, not only in the median one (the target is CLS 0)
    assert middle["worst_layout_shift"] == 0.004


def test_every_page_s_reports_are_files_in_one_folder() -> None:
    """--every-page names pages by their path; each run's report is still one file."""
    bench = benchmark()
    names = {
        bench.report_name(page, run)
        for page in ("/about/changelog/", "/", "floor (plain Material page)")
        for run in range(3)
    }
    assert len(names) == 9
    assert not any("/" in n for n in names)


def test_every_page_of_a_kind_gets_its_kinds_byte_budget() -> None:
    """An activation page is held to the math page's 150 KB, an architecture or notebook
    page to 200 KB, whether it is its type's page or one of --every-page."""
    bench = benchmark()
    assert bench.bytes_budget("activations/gated/") == 150_000
    assert bench.bytes_budget("activations/sigmoid-tanh/") == 150_000
    assert bench.bytes_budget("notebooks/cnn/") == 200_000
    assert bench.bytes_budget("architectures/gan/") == 200_000
    assert bench.bytes_budget("about/testing/") == bench.BYTES_BUDGET
    assert bench.bytes_budget("") == bench.BYTES_BUDGET


def test_a_run_s_layout_shifts_name_what_moved() -> None:
    shifts = {
        "cumulative-layout-shift": {"numericValue": 1.6e-05},
        "layout-shifts": {
            "details": {
                "items": [
                    {
                        "node": {
                            "selector": "div.md-content > article > p",
                            "nodeLabel": "The first\nparagraph",
                        },
                        "score": 1.61e-05,
                    }
                ]
            }
        },
    }
    assert benchmark().layout_shifts({"audits": shifts}) == [
        "div.md-content > article > p [The first paragraph] 1.6e-05"
    ]
    assert benchmark().layout_shifts({"audits": {}}) == []
