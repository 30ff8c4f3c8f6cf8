"""The Experiment tab's planner: people per arm and days to run, from the guide's split,
prefilled from imported events until the user types — and never an edit to the guide."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

from guidestudio.core.results import planning
from guidestudio.widgets.guide.guide_editor import EXPERIMENT
from tests.widgets.editor_support import guide_editor, open_example
from tests.widgets.results_support import TOUR


def test_the_planner_answers_from_the_guides_split(qtbot, tmp_path: Path) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, TOUR)
    editor.show()
    editor.tabs.setCurrentIndex(EXPERIMENT)
    planner = editor.variants.planner
    qtbot.waitUntil(planner.isVisible)
    planner.baseline.setValue(10)
    planner.effect.setValue(20)
    planner.power.setValue(80)
    planner.significance.setValue(5)
    planner.daily.setValue(1000)
    per_arm = planning.users_per_arm(0.10, 0.20, 0.80, 0.05)
    assert per_arm == 3841
    # The tour: 20 % control, then "short" and "full" sharing the rest: control fills last.
    days = math.ceil(per_arm / (1000 * 0.2))
    assert planner.answer.text() == (f"{per_arm:,} people in each arm, {3 * per_arm:,} in all "
                                     f"(3 arms). About {days} days to run.")
    assert "control arm gets 20%" in planner.days_note.text()
    planner.effect.setValue(0.1)
    planner.baseline.setValue(99.99)
    assert planner.answer.text().startswith("Cannot plan: ")
    # A calculator: the guide is not edited.
    assert doc.undo_stack.count() == 0 and not doc.is_modified


def test_imported_events_fill_in_until_the_user_types(qtbot, tmp_path: Path) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, TOUR)
    editor.show()
    editor.tabs.setCurrentIndex(EXPERIMENT)
    planner = editor.variants.planner
    qtbot.waitUntil(planner.isVisible)
    assert planner.daily.value() == 0 and planner.results_button.isVisibleTo(planner)
    seen = {TOUR: planning.Observed(412.4, 0.123, date(2026, 11, 1), date(2026, 11, 21))}
    editor.set_observed(seen)
    assert planner.daily.value() == 412 and planner.baseline.value() == 12.3
    assert "From your events: 412 new people a day" in planner.source.text()
    assert not planner.results_button.isVisibleTo(planner)
    planner.daily.setValue(900)  # the user knows better
    editor.set_observed({TOUR: planning.Observed(500, 0.2, date(2026, 11, 1),
                                                 date(2026, 11, 30))})
    assert planner.daily.value() == 900 and planner.baseline.value() == 20.0
