"""The Results view and the planner as a marketer sees them, at 1280×800 and 1920×1080,
light and dark: nothing cut short in the overview, no literal "&", the experiment table
whole; saved beside the other screens, in ``build/screens/results/``, to look at."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guidestudio.widgets.guide.guide_editor import EXPERIMENT
from guidestudio.widgets.results.results_view import ResultsView
from tests.app.screens import wait_for_canvas
from tests.app.test_screens import ENV, SCHEMES, SIZES, Screenshots, cut_rows
from tests.conftest import REPO_ROOT
from tests.widgets.inspector_support import literal_ampersands, settle
from tests.widgets.results_support import TOUR, write_example_events


@pytest.fixture(scope="module")
def results_shots() -> Iterator[Screenshots]:
    """A folder of its own: the window's screens clear theirs when their run starts."""
    configured = os.environ.get(ENV)
    folder = (Path(configured) if configured else REPO_ROOT / "build" / "screens") / "results"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    shots = Screenshots(folder)
    yield shots
    shots.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_results_and_planner_screens(screen: Any, qtbot, results_shots: Screenshots,
                                     tmp_path: Path, size: tuple[int, int],
                                     scheme: str) -> None:
    window = screen(size, scheme, ("results", ""))
    name = f"{size[0]}x{size[1]}-{scheme}"
    view = window.centre.currentWidget()
    assert isinstance(view, ResultsView)
    runner = window.results.runner
    with qtbot.waitSignal(runner.finished, timeout=30_000):
        view.use_sources([str(write_example_events(tmp_path / "exports",
                                                   extra_lines=("not json",)))])
    settle(window)
    results_shots.save(window.grab(), f"{name}-results-overview")
    assert cut_rows(view.overview) == [], name
    assert literal_ampersands(view) == [], name
    view.show_guide(TOUR)
    settle(window)
    results_shots.save(window.grab(), f"{name}-results-guide")
    view.guide_box.adjustSize()
    results_shots.save(view.guide_box.grab(), f"{name}-results-guide-whole")
    table = view.page.experiment_table
    assert cut_rows(table) == [], name
    assert literal_ampersands(view) == [], name

    assert window.tree.select("guide", TOUR)
    wait_for_canvas(qtbot, window)
    editor = window.current_editor()
    editor.tabs.setCurrentIndex(EXPERIMENT)
    planner = editor.variants.planner
    qtbot.waitUntil(planner.isVisible)
    settle(window)
    area = planner.parentWidget()
    while area is not None and not hasattr(area, "ensureWidgetVisible"):
        area = area.parentWidget()
    if area is not None:
        area.ensureWidgetVisible(planner)
    settle(window)
    results_shots.save(window.grab(), f"{name}-planner")
    results_shots.save(planner.grab(), f"{name}-planner-alone")
    assert "people in each arm" in planner.answer.text()
