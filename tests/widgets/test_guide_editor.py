"""The guide editor as a marketer uses it: typing, undo, settings, save and reload."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from guidestudio.core.model import Trigger
from guidestudio.widgets.kit.combo_data import find_value
from guidestudio.widgets.kit.marks import mark_of
from guidestudio.widgets.rules.builder import RuleBuilder
from tests.widgets.editor_support import (
    BANNER,
    TOUR,
    errors_after_reload,
    guide_editor,
    open_example,
)
from tests.widgets.inspector_support import host

TITLE = ("guides", TOUR, "variants", 0, "steps", 1, "title", "en")


def test_typing_a_step_title_is_one_undo_step_and_undo_restores_it(tmp_path: Path,
                                                                   qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, TOUR)
    editor.steps.view.setCurrentIndex(editor.steps.model.index(1))
    assert editor.ctx.step == 1
    title = editor.step_editor.title.editor("en")
    assert title.text() == "Share with one click"
    title.selectAll()
    QTest.keyClicks(title, "Hello")
    assert doc.get(TITLE) == "Hello"
    assert doc.undo_stack.count() == 1
    assert editor.steps.model.data(editor.steps.model.index(1)) == "Hello"
    doc.undo_stack.undo()
    assert title.text() == "Share with one click"
    # Another origin (here: the document itself) updates the field without an echo.
    echoes: list[str] = []
    title.edited.connect(echoes.append)
    doc.set_value(TITLE, "From elsewhere")
    assert title.text() == "From elsewhere" and echoes == []
    assert doc.undo_stack.count() == 1  # the field wrote nothing back


def test_trigger_click_shows_the_selector_and_saves_with_it(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, BANNER)  # keep it alive
    form = editor.delivery
    rows = form.trigger_form
    assert not rows.isRowVisible(form.selector) and rows.isRowVisible(form.url)
    form.on.setCurrentIndex(find_value(form.on, "click"))
    assert rows.isRowVisible(form.selector)
    assert not rows.isRowVisible(form.event) and not rows.isRowVisible(form.seconds)
    QTest.keyClicks(form.selector, "#upload")
    assert doc.get(("guides", BANNER, "trigger")) == Trigger(on="click", url="/files/**",
                                                             selector="#upload")
    assert doc.undo_stack.count() == 2  # the choice with its first character, then typing
    form.on.setCurrentIndex(find_value(form.on, "delay"))
    form.seconds.setValue(30)
    assert doc.get(("guides", BANNER, "trigger")) == Trigger(on="delay", url="/files/**",
                                                             seconds=30)


def test_schedule_is_written_as_iso_text(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, "nps-survey")  # keep it alive
    fields = editor.delivery.schedule
    schedule = ("guides", "nps-survey", "schedule")
    assert fields.nones["start"].isChecked() and not fields.edits["start"].isEnabled()
    fields.nones["start"].setChecked(False)
    assert fields.edits["start"].isEnabled()
    moment = QDateTime(QDate(2027, 3, 1), QTime(9, 30), QTimeZone.utc())
    fields.edits["start"].setDateTime(moment)
    assert doc.get((*schedule, "start")) == "2027-03-01T09:30:00"
    fields.zone.setCurrentIndex(find_value(fields.zone, "Asia/Tokyo"))
    assert doc.get((*schedule, "timezone")) == "Asia/Tokyo"
    assert fields.zone_labels["start"].text() == "Asia/Tokyo"
    fields.nones["start"].setChecked(True)
    fields.zone.setCurrentIndex(0)  # nothing left: the schedule itself goes
    assert doc.get(schedule) is None
    # A time written in UTC keeps its Z when edited.
    editor = guide_editor(qtbot, doc, BANNER)  # keep it alive
    fields = editor.delivery.schedule
    assert fields.zone_labels["end"].text() == "UTC"
    fields.edits["end"].setDateTime(QDateTime(QDate(2028, 1, 31), QTime(23, 0),
                                              QTimeZone.utc()))
    assert doc.get(("guides", BANNER, "schedule", "end")) == "2028-01-31T23:00:00Z"


def test_problems_are_marked_on_their_field(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, BANNER)
    fields = editor.delivery.schedule
    fields.edits["end"].setDateTime(QDateTime(QDate(2025, 1, 1), QTime(0, 0), QTimeZone.utc()))
    with qtbot.waitSignal(doc.problemsChanged, timeout=3000):
        pass  # revalidation runs off the typing path
    assert mark_of(fields.edits["end"]) == "error"
    assert "ends" in fields.edits["end"].toolTip()
    assert mark_of(fields.edits["start"]) == ""
    doc.undo_stack.undo()
    doc.revalidate()
    assert mark_of(fields.edits["end"]) == ""
    assert fields.edits["end"].toolTip().startswith("The guide stops showing")


def test_settings_form(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, BANNER)
    form = editor.settings
    guide = ("guides", BANNER)
    form.name.selectAll()
    QTest.keyClick(form.name, Qt.Key.Key_Delete)  # a guide needs a name: not written
    assert doc.get((*guide, "name")).startswith("Storage") and mark_of(form.name) == "error"
    QTest.keyClicks(form.name, "Storage banner")
    assert doc.get((*guide, "name")) == "Storage banner"
    assert editor.header.text().startswith("Storage banner")
    assert [form.position.itemData(i) for i in range(1, form.position.count())] == [
        "top", "bottom"]
    assert form.display.isRowVisible(form.push) and not form.display.isRowVisible(form.width)
    assert form.theme.itemText(0) == "Project theme (Acme Light)"  # its name, not its id
    form.theme.setCurrentIndex(find_value(form.theme, "acme-dark"))
    assert doc.get((*guide, "theme")) == "acme-dark"
    form.close_button.setChecked(False)
    assert doc.get((*guide, "display", "close_button")) is False
    form.kind.setCurrentIndex(find_value(form.kind, "modal"))
    assert form.display.isRowVisible(form.backdrop) and not form.display.isRowVisible(form.push)
    assert "center" in [form.position.itemData(i) for i in range(form.position.count())]
    delivery = editor.delivery
    delivery.stop_after["snoozed"].setChecked(True)
    assert doc.get((*guide, "frequency", "stop_after")) == ["dismissed", "completed", "snoozed"]
    delivery.goal.setChecked(False)
    assert doc.get((*guide, "goal")) is None
    delivery.goal.setChecked(True)
    QTest.keyClicks(delivery.goal_event, "upgraded")
    assert doc.get((*guide, "goal", "event")) == "upgraded"


def test_audience_segments_and_rules(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, BANNER)
    audience = editor.audience
    segments = audience.segments
    ids = [segments.item(i).data(Qt.ItemDataRole.UserRole) for i in range(segments.count())]
    segments.setFocus()
    segments.setCurrentRow(ids.index("admins"))
    QTest.keyClick(segments, Qt.Key.Key_Space)  # keyboard only
    assert doc.get(("guides", BANNER, "audience", "segments")) == ["free-plan", "admins"]
    builder = audience.conditions.findChild(RuleBuilder)
    builder.json_edit.setPlainText('{"storage_used_pct": {"$gte": 95}}')
    assert doc.get(("guides", BANNER, "audience", "conditions")) == {
        "storage_used_pct": {"$gte": 95}}
    doc.undo_stack.undo()
    assert builder.condition() == {"storage_used_pct": {"$gte": 90}}


def test_focus_field_selects_variant_and_step_and_focuses(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, TOUR)
    editor.focus_field("variants[1].steps[2].title.ja")
    assert (editor.ctx.variant, editor.ctx.step) == (1, 2)
    assert editor.variant_picker.currentIndex() == 1 and editor.steps.current_row() == 2
    title = editor.step_editor.title
    assert title.current_locale() == "ja" and editor.focusWidget() is title.editor()
    editor.focus_field("trigger.selector")
    assert editor.tabs.currentIndex() == 3
    editor.focus_field("variants[0].steps[1].buttons[1].action")
    assert editor.focusWidget() is editor.step_editor.buttons.rows[1].action
    editor.focus_field("audience.segments[0]")
    assert editor.tabs.currentIndex() == 1
    assert editor.focusWidget() is editor.audience.segments


def test_every_field_has_a_tooltip_and_takes_keyboard_focus(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, TOUR)
    fields = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QComboBox, QAbstractButton)
    checked = 0
    for widget in editor.findChildren(QWidget):
        if not isinstance(widget, fields) or _inside(widget, RuleBuilder):
            continue
        if widget.objectName().startswith("qt_") or isinstance(
                widget.parentWidget(), (QAbstractSpinBox, QComboBox, QTabBar)):
            continue  # Qt's own parts of a spin box, combo box or tab bar
        checked += 1
        assert widget.toolTip(), f"no tooltip on {widget!r} ({getattr(widget, 'text', str)()})"
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, f"{widget!r} unreachable"
    assert checked > 60


def test_saving_after_edits_reloads_clean(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    _, errors_before = errors_after_reload(doc.root)
    editor = guide_editor(qtbot, doc, TOUR)
    editor.steps.view.setCurrentIndex(editor.steps.model.index(1))
    QTest.keyClicks(editor.step_editor.title.editor("en"), " now")
    editor.steps.add_step()
    editor.step_editor.buttons.add_button.click()
    editor.variants.rows.rows[0].share.setValue(25)
    editor.delivery.on.setCurrentIndex(find_value(editor.delivery.on, "event"))
    QTest.keyClicks(editor.delivery.event, "trial_started")
    editor.set_guide("onboarding-checklist")
    editor.step_editor.items.add_button.click()
    doc.save()
    load_problems, errors = errors_after_reload(doc.root)
    assert load_problems == []
    assert errors == errors_before == []


def _inside(widget: QWidget, kind: type) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, kind):
            return True
        parent = parent.parentWidget()
    return False


def test_step_selection_is_told_and_taken(tmp_path: Path, qtbot) -> None:
    """The canvas follows ``stepSelected`` and leads with ``select_step``."""
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, TOUR)
    told: list[int] = []
    editor.stepSelected.connect(told.append)
    editor.steps.view.setCurrentIndex(editor.steps.model.index(2))  # a click in the list
    assert told == [2] and editor.current_step() == 2
    editor.select_step(1)
    assert told == [2, 1] and editor.steps.current_row() == 1
    assert editor.step_editor.title.editor("en").text() == "Share with one click"
    editor.select_step(99)  # no such step: nothing changes
    editor.select_step(0, variant=5)
    assert told == [2, 1] and (editor.current_variant(), editor.current_step()) == (0, 1)
    editor.select_step(2, variant=1)
    assert told == [2, 1, 2] and editor.variant_picker.currentIndex() == 1
    assert editor.steps.current_row() == 2
    editor.set_guide(BANNER)  # another guide starts at its first step
    assert told[-1] == 0


def test_start_and_end_dates_line_up(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, BANNER)
    frame = host(qtbot, editor, 420)
    editor.tabs.setCurrentIndex(3)
    frame.layout().activate()
    start, end = (editor.delivery.schedule.edits[n] for n in ("start", "end"))
    left = [edit.mapTo(frame, edit.rect().topLeft()).x() for edit in (start, end)]
    assert left[0] == left[1] and start.width() == end.width()
    # No "No start date" text before them to push one further than the other.
    assert start.mapTo(frame, start.rect().topLeft()).y() < end.mapTo(
        frame, end.rect().topLeft()).y()


def test_the_settings_tab_has_one_label_column(tmp_path: Path, qtbot) -> None:
    """"Guide", "Display", "When it shows", "How often"…: their fields start at one place,
    not each section's own (each form's label column was its longest label's width)."""
    from guidestudio.widgets.guide.guide_editor import SETTINGS
    from tests.widgets.inspector_support import field_starts, settle

    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, BANNER)
    frame = host(qtbot, editor, 380)  # kept: the editor lives in it
    editor.tabs.setCurrentIndex(SETTINGS)
    settle(frame)
    starts = field_starts(editor.tabs.currentWidget())
    assert len(starts) == 1, starts


def test_the_step_form_is_built_as_a_part_of_its_own_and_shows_the_guide(tmp_path: Path,
                                                                        qtbot) -> None:
    """The window builds the editor, then each part in a turn of its own (``build_more``),
    then shows a guide; made either way, the step form shows the selected step."""
    from guidestudio.widgets.guide.guide_editor import GuideEditor

    doc = open_example(tmp_path)
    editor = GuideEditor(doc)
    qtbot.addWidget(editor)
    assert editor.build_more() is True  # the step form
    assert editor.build_more() is True  # ... on its tab
    assert editor.build_more() is False
    editor.set_guide(TOUR)
    editor.steps.view.setCurrentIndex(editor.steps.model.index(1))
    assert editor.step_editor.title.editor("en").text() == "Share with one click"
    assert editor.step_area.widget() is editor.step_editor
    made_late = guide_editor(qtbot, doc, TOUR)  # shown before its parts were asked for
    assert made_late.step_editor.title.editor("en").text() == doc.get(
        ("guides", TOUR, "variants", 0, "steps", 0, "title", "en"))
