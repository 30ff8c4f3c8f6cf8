"""Results in the real window: View ▸ Results fills the centre, the event files are
remembered for the project in the user's settings (not in the project), a missing
anchor's row opens its step, and the planner gets the events' figures."""

from __future__ import annotations

from pathlib import Path

from guidestudio.app import settings_store
from guidestudio.app.main_window import MainWindow
from guidestudio.widgets.results.results_view import ResultsView
from tests.app.conftest import snapshot
from tests.widgets.results_support import TOUR, write_example_events

TIMEOUT = 30_000


def test_results_from_the_view_menu_to_the_step(window: MainWindow, project: Path, qtbot,
                                               tmp_path: Path) -> None:
    before = snapshot(project)
    events = write_example_events(tmp_path / "exports")
    window.actions_.results.trigger()
    assert window.tree.current_ref() == ("results", "")
    view = window.centre.currentWidget()
    assert isinstance(view, ResultsView) and window.inspector_dock.isHidden()
    runner = window.results.runner
    assert runner is not None
    with qtbot.waitSignal(runner.finished, timeout=TIMEOUT):
        view.use_sources([str(events)])
    assert view.overview.rowCount() == len(window.document.project.guides)
    assert settings_store.event_sources(project) == [str(events)]
    assert snapshot(project) == before and not window.document.is_modified

    view.show_guide(TOUR)
    view.page.anchors_table.cellWidget(0, 6).click()  # "Open step" on full's step 2
    assert window.tree.current_ref() == ("guide", TOUR)
    editor = window.editors.current()
    assert (editor.current_variant(), editor.current_step()) == (1, 1)

    # The guide's planner starts from the events (people a day reaching the tour).
    reach = runner.outcome.reach[TOUR]
    editor.tabs.setCurrentIndex(2)
    planner = editor.variants.planner
    assert planner.daily.value() == round(reach.per_day)

    # Opening the project again: the same event files, read when Results is shown.
    assert window.open_project(project, background=False)
    assert window.results.runner is not runner
    assert window.results.runner.sources == [str(events)]
    with qtbot.waitSignal(window.results.runner.finished, timeout=TIMEOUT):
        window.show_results(TOUR)
    shown = window.centre.currentWidget()
    assert isinstance(shown, ResultsView) and shown.guide_id == TOUR
