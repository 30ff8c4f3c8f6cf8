"""The guide editor as the window's inspector: one column, 380–480 px, for every kind.

At each width and for a guide of each kind, every tab (with the Experiment tab's
folded sections open) must fit without scrolling sideways and show no literal
"&"; the steps strip shows only where there are steps to choose, and the fields
that matter most for the kind come first.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QScrollArea

from guidestudio.widgets.entities.profiles_editor import ProfilesEditor
from guidestudio.widgets.entities.project_settings_form import ProjectSettingsForm
from guidestudio.widgets.entities.segment_editor import SegmentEditor
from guidestudio.widgets.entities.theme_editor import ThemeEditor
from guidestudio.widgets.guide.guide_editor import AUDIENCE, CONTENT, EXPERIMENT, SETTINGS
from tests.widgets.editor_support import BANNER, TOUR, guide_editor, open_example
from tests.widgets.inspector_support import host, literal_ampersands, settle, sideways

WIDTHS = (380, 420, 480)
#: A guide of each kind in the example project.
KINDS = {"tooltip": "premium-feature-tooltip", "modal": "release-announcement",
         "walkthrough": TOUR, "banner": BANNER, "hotspot": "holiday-promo-draft",
         "checklist": "onboarding-checklist", "survey": "nps-survey"}
TABS = {CONTENT: "Content", AUDIENCE: "Audience", EXPERIMENT: "Experiment",
        SETTINGS: "Settings"}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_tab_fits_the_inspector_and_shows_no_ampersand(tmp_path: Path, qtbot, kind: str,
                                                            width: int) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, KINDS[kind])
    assert editor.ctx.kind() == kind
    frame = host(qtbot, editor, width)
    editor.variants.experiment.advanced.set_expanded(True)  # folded parts must fit too
    editor.variants.experiment.namespace.setChecked(True)
    steps = len(editor.ctx.guide().variants[0].steps)  # type: ignore[union-attr]
    for index, tab in TABS.items():
        editor.tabs.setCurrentIndex(index)
        # Every step of the content: an anchored one shows the most rows.
        for step in range(steps if index == CONTENT else 1):
            editor.select_step(step)
            settle(frame)
            where = f"{kind} at {width} px, {tab} tab, step {step + 1}"
            assert sideways(frame) == [], where
            assert literal_ampersands(frame) == [], where


@pytest.mark.parametrize("width", WIDTHS)
def test_the_audience_rules_fit_the_inspector(tmp_path: Path, qtbot, width: int) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, BANNER)
    frame = host(qtbot, editor, width)
    editor.tabs.setCurrentIndex(AUDIENCE)
    settle(frame)
    assert sideways(frame) == []


def test_one_step_kinds_have_no_step_strip(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, "premium-feature-tooltip")
    frame = host(qtbot, editor, 420)
    for kind, guide_id in KINDS.items():
        editor.set_guide(guide_id)
        settle(frame)
        guide = doc.project.guides[guide_id]
        assert editor.steps.isVisible() == (kind == "walkthrough"), kind
        assert editor.variant_row.isVisible() == (len(guide.variants) > 1), kind
    editor.set_guide("nps-survey")
    path = ("guides", "nps-survey", "variants", 0, "steps")
    doc.insert_item(path, 1, doc.get((*path, 0)), "Add step")  # a second step: shown, removable
    assert editor.steps.isVisible() and editor.steps.remove_button.isEnabled()
    doc.undo_stack.undo()
    assert not editor.steps.isVisible()


@pytest.mark.parametrize(("guide_id", "first"), [
    ("nps-survey", "survey"), ("onboarding-checklist", "texts"), (TOUR, "texts")])
def test_what_matters_for_the_kind_comes_first(tmp_path: Path, qtbot, guide_id: str,
                                               first: str) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, guide_id)
    frame = host(qtbot, editor, 420)  # noqa: F841 - keeps the window (and editor) alive
    step = editor.step_editor
    order = sorted((name for name, box in step.sections.items() if box.isVisible()),
                   key=lambda name: step.sections[name].y())
    assert order[0] == first
    if guide_id == "nps-survey":  # the question is the first field, in view without scrolling
        question = step.survey.texts["question"].editor()
        top = question.mapTo(editor.step_area.widget(), question.rect().topLeft()).y()
        assert top + question.height() < editor.step_area.viewport().height()
    if guide_id == "onboarding-checklist":
        assert order.index("items") < order.index("buttons")


@pytest.mark.parametrize("page", [ThemeEditor, ProjectSettingsForm, ProfilesEditor,
                                  SegmentEditor])
@pytest.mark.parametrize("width", [600, 1000])
def test_entity_pages_fit_the_centre(tmp_path: Path, qtbot, page: type, width: int) -> None:
    doc = open_example(tmp_path)
    editor = page(doc)
    if isinstance(editor, ThemeEditor):
        editor.set_theme("acme-dark")
    if isinstance(editor, SegmentEditor):
        editor.set_segment("free-plan")
    frame = host(qtbot, editor, width, 700)
    assert sideways(frame) == []
    assert literal_ampersands(frame) == []
    areas = [a for a in frame.findChildren(QScrollArea) if a.isVisible()]
    assert areas or not isinstance(editor, (ThemeEditor, ProjectSettingsForm))
