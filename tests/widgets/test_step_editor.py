"""The step form: buttons by action, checklist tasks, survey, image, anchor."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from guidestudio.core.files import schemas
from guidestudio.core.model import Anchor, Button, Image, to_dict
from guidestudio.widgets.kit.combo_data import find_value
from guidestudio.widgets.kit.marks import mark_of
from tests.widgets.editor_support import BANNER, TOUR, guide_editor, open_example

SHARE = ("guides", TOUR, "variants", 0, "steps", 1)


def guide_is_valid(doc, guide_id: str) -> bool:
    return schemas.is_valid("guide", to_dict(doc.project.guides[guide_id]))


def test_button_action_shows_only_its_fields_and_writes_a_valid_button(tmp_path: Path,
                                                                      qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, TOUR)
    editor.ctx.select(variant=0, step=1)
    rows = editor.step_editor.buttons.rows
    assert len(rows) == 2
    row = rows[1]  # "Next"
    assert row.title.text() == "Button 2 — Next"
    assert not any(row.form.isRowVisible(w) for w in (row.url, row.event, row.guide, row.hours))
    row.action.setCurrentIndex(find_value(row.action, "url"))
    assert row.form.isRowVisible(row.url) and row.form.isRowVisible(row.new_tab)
    assert not row.form.isRowVisible(row.event)
    # A link button needs its address: nothing is saved until there is one.
    assert doc.get((*SHARE, "buttons", 1)).action == "next"
    assert mark_of(row.action) == "error"
    QTest.keyClicks(row.url, "https://acme.example/pricing")
    assert doc.get((*SHARE, "buttons", 1)) == Button(
        label={"en": "Next", "ja": "次へ"}, action="url", style="primary",
        url="https://acme.example/pricing")
    assert mark_of(row.action) == ""
    row.new_tab.setChecked(True)
    row.action.setCurrentIndex(find_value(row.action, "snooze"))
    assert row.form.isRowVisible(row.hours) and not row.form.isRowVisible(row.url)
    row.hours.setValue(24)
    assert row.hours.text() == "24 hours"  # as people write it, not "24.0 h"
    button = doc.get((*SHARE, "buttons", 1))
    assert (button.action, button.hours, button.url, button.new_tab) == ("snooze", 24, None, None)
    row.action.setCurrentIndex(find_value(row.action, "guide"))
    row.guide.setCurrentIndex(find_value(row.guide, "nps-survey"))
    assert doc.get((*SHARE, "buttons", 1)).guide == "nps-survey"
    assert doc.get((*SHARE, "buttons", 1)).hours is None
    assert guide_is_valid(doc, TOUR)


def test_buttons_add_reorder_remove_and_undo(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, TOUR)
    editor.ctx.select(variant=0, step=1)
    buttons = editor.step_editor.buttons
    before = to_dict(doc.project.guides[TOUR])
    buttons.add_button.click()
    assert len(buttons.rows) == 3
    assert doc.get((*SHARE, "buttons", 2)) == Button(label={"en": "Next"}, action="next")
    buttons.rows[2].up.click()
    assert [b.action for b in doc.get((*SHARE, "buttons"))] == ["back", "next", "next"]
    assert buttons.rows[1].label.editor().text() == "Next"
    buttons.rows[0].remove.click()
    assert len(buttons.rows) == 2
    buttons.add_button.click()
    buttons.add_button.click()
    buttons.add_button.click()
    assert len(buttons.rows) == 4 and not buttons.add_button.isEnabled()  # at most four
    while doc.undo_stack.canUndo():
        doc.undo_stack.undo()
    assert to_dict(doc.project.guides[TOUR]) == before
    assert len(buttons.rows) == 2


def test_checklist_tasks(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, "onboarding-checklist")
    step = editor.step_editor
    assert step.items_box.isVisibleTo(editor) and not step.survey_box.isVisibleTo(editor)
    rows = step.items.rows
    assert len(rows) == 5
    items = ("guides", "onboarding-checklist", "variants", 0, "steps", 0, "items")
    rows[1].event.selectAll()
    QTest.keyClicks(rows[1].event, "invited teammate")  # the space is refused
    assert doc.get((*items, 1, "event")) == "invitedteammate"
    rows[1].due_days.setValue(5)
    assert doc.get((*items, 1, "due_days")) == 5
    rows[1].event.selectAll()
    QTest.keyClick(rows[1].event, Qt.Key.Key_Delete)  # required: kept, and marked
    assert doc.get((*items, 1, "event")) == "invitedteammate"
    assert mark_of(rows[1].event) == "error"
    step.items.add_button.click()
    assert doc.get((*items, 5, "id")) == "task-6" and guide_is_valid(doc, "onboarding-checklist")
    rows[0].down.click()
    assert doc.get((*items, 1, "id")) == "upload-first-file"


def test_survey_texts(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, "nps-survey")
    survey = editor.step_editor.survey
    assert editor.step_editor.survey_box.isVisibleTo(editor)
    question = survey.texts["question"]
    question.set_locale("ja")
    question.editor().selectAll()
    question.editor().insert("おすすめ度は？")
    path = ("guides", "nps-survey", "variants", 0, "steps", 0, "survey", "question", "ja")
    assert doc.get(path) == "おすすめ度は？"
    low = survey.texts["low_label"].editor("en")
    low.selectAll()
    QTest.keyClicks(low, "Never")
    assert doc.get((*path[:-2], "low_label", "en")) == "Never"


def test_image_anchor_and_missing_element(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, TOUR)
    step = editor.step_editor
    welcome = ("guides", TOUR, "variants", 0, "steps", 0)
    assert [step.image.itemText(i) for i in range(step.image.count())] == [
        "No picture", "assets/automations.png", "assets/tour-welcome.png"]
    step.image.setCurrentIndex(find_value(step.image, "assets/automations.png"))
    image = doc.get((*welcome, "image"))
    assert image.src == "assets/automations.png" and image.alt["en"].startswith("The Acme")
    step.image.setCurrentIndex(0)
    assert doc.get((*welcome, "image")) is None
    step.image.setCurrentIndex(find_value(step.image, "assets/tour-welcome.png"))
    assert doc.get((*welcome, "image")) == Image(src="assets/tour-welcome.png", alt={"en": ""})

    editor.ctx.select(step=1)  # "share": anchored, waits 5 s for its element
    assert step.anchor.isChecked() and step.selector.text() == "#share-button"
    assert step.anchor_form.isRowVisible(step.wait_seconds)
    step.if_missing.setCurrentIndex(find_value(step.if_missing, "skip"))
    assert doc.get((*SHARE, "if_missing")) == "skip"
    assert doc.get((*SHARE, "wait_seconds")) is None  # only used while waiting
    assert not step.anchor_form.isRowVisible(step.wait_seconds)
    step.anchor.setChecked(False)
    assert doc.get((*SHARE, "anchor")) is None
    step.anchor.setChecked(True)  # nothing saved until the element is named
    assert doc.get((*SHARE, "anchor")) is None and step.selector.isEnabled()
    step.placement.setCurrentIndex(find_value(step.placement, "left"))
    QTest.keyClicks(step.selector, "#x")
    assert doc.get((*SHARE, "anchor")) == Anchor(selector="#x", placement="left")
    assert guide_is_valid(doc, TOUR)


def test_kind_decides_which_sections_show(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, BANNER)
    step = editor.step_editor
    assert not step.step_form.isRowVisible(step.layout_box)
    assert not step.items_box.isVisibleTo(editor) and not step.survey_box.isVisibleTo(editor)
    editor.set_guide(TOUR)
    assert step.step_form.isRowVisible(step.layout_box)
    assert step.layout_box.currentText().startswith("Modal")


def test_banners_and_modal_steps_do_not_offer_what_they_ignore(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, "premium-feature-tooltip")
    step = editor.step_editor
    placed = (step.placement, step.offset, step.if_missing)
    rows = step.anchor_form
    assert step.anchor.isVisibleTo(editor)  # a tooltip points at its element
    assert all(rows.isRowVisible(w) for w in placed) and not rows.isRowVisible(step.anchor_note)
    editor.set_guide(BANNER)  # its step names an element, which a banner ignores
    assert step.anchor.isVisibleTo(editor) and step.selector.text() == "#storage-meter"
    assert not any(rows.isRowVisible(w) for w in (*placed, step.wait_seconds))
    assert rows.isRowVisible(step.anchor_note) and "banner" in step.anchor_note.text()
    step.anchor.setChecked(False)  # removed, as the note says: nothing left to show
    assert doc.get(("guides", BANNER, "variants", 0, "steps", 0, "anchor")) is None
    assert not step.anchor.isVisibleTo(editor)
    editor.set_guide(TOUR)  # step 1 is a modal: no element; step 2 a tooltip
    assert not step.anchor.isVisibleTo(editor)
    step.layout_box.setCurrentIndex(find_value(step.layout_box, "tooltip"))
    assert step.anchor.isVisibleTo(editor) and rows.isRowVisible(step.placement)
    editor.select_step(1)
    assert all(rows.isRowVisible(w) for w in placed)
