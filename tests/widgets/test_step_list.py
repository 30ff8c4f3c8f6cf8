"""The step list: a well-behaved item model; drags, buttons and undo move real steps."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest

from guidestudio.core.model import to_dict
from guidestudio.widgets.guide.step_list import StepList
from guidestudio.widgets.kit.form_kit import GuideContext
from tests.widgets.editor_support import BANNER, TOUR, open_example

STEPS = ("guides", TOUR, "variants", 1, "steps")


def make(qtbot, doc, guide: str = TOUR, variant: int = 1) -> StepList:
    ctx = GuideContext(doc)
    ctx.select(guide_id=guide, variant=variant, step=0)
    steps = StepList(ctx)
    qtbot.addWidget(steps)
    return steps


def ids(doc) -> list[str]:
    return [s.id for s in doc.get(STEPS)]


def test_the_model_passes_the_model_tester_through_edits(tmp_path: Path, qtbot,
                                                         qtmodeltester) -> None:
    doc = open_example(tmp_path)
    steps = make(qtbot, doc)
    model = steps.model
    qtmodeltester.check(model)  # Qt's tester keeps watching every signal below
    assert model.rowCount() == 4
    # Issue 12: the list reads as people read the title, the placeholder named, no syntax.
    assert model.data(model.index(0)) == "Welcome to Acme Cloud, ‹First name›!"
    steps.view.setCurrentIndex(model.index(1))
    steps.add_step()
    steps.duplicate_step()
    steps.remove_step()
    model.moveRows(QModelIndex(), 0, 1, QModelIndex(), 3)
    doc.set_value((*STEPS, 0, "title", "en"), "Renamed")
    assert model.data(model.index(0)) == "Renamed"
    while doc.undo_stack.canUndo():
        doc.undo_stack.undo()
    assert model.rowCount() == 4
    qtmodeltester.check(model)


def test_drag_and_drop_moves_a_step_as_one_undo_step(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    model = make(qtbot, doc).model
    original = ids(doc)
    assert original == ["welcome", "reports", "share", "integrations"]
    # moveRows, as QListView's internal move calls it: row 0 to before row 3.
    assert model.moveRows(QModelIndex(), 0, 1, QModelIndex(), 3)
    assert ids(doc) == ["reports", "share", "welcome", "integrations"]
    # dropMimeData, as a drop from a drag calls it: the last step onto the top.
    data = model.mimeData([model.index(3)])
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert ids(doc) == ["integrations", "reports", "share", "welcome"]
    assert model.data(model.index(0)) == "Connect the tools you already use"
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert ids(doc) == original
    assert not model.moveRows(QModelIndex(), 1, 1, QModelIndex(), 2)  # onto itself: no edit
    assert doc.undo_stack.index() == 0


def test_buttons_add_duplicate_remove_and_undo_to_the_original(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    steps = make(qtbot, doc)
    before = to_dict(doc.project.guides[TOUR])
    steps.view.setCurrentIndex(steps.model.index(1))
    QTest.mouseClick(steps.add_button, Qt.MouseButton.LeftButton)
    assert ids(doc)[2] == "step-5" and steps.current_row() == 2
    assert doc.get((*STEPS, 2)).layout == "modal"  # a tooltip step would need an anchor
    steps.duplicate_button.click()
    assert ids(doc)[3] == "step-5-copy" and steps.current_row() == 3
    steps.view.setCurrentIndex(steps.model.index(0))
    steps.remove_button.click()
    assert ids(doc) == ["reports", "step-5", "step-5-copy", "share", "integrations"]
    steps.down_button.click()
    assert ids(doc)[:2] == ["step-5", "reports"] and steps.current_row() == 1
    steps.view.setFocus()
    steps.up_button.click()
    assert ids(doc)[0] == "reports"
    while doc.undo_stack.canUndo():
        doc.undo_stack.undo()
    assert to_dict(doc.project.guides[TOUR]) == before
    assert steps.model.rowCount() == 4


def test_only_walkthroughs_add_steps_and_the_last_step_stays(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    steps = make(qtbot, doc, BANNER, 0)
    steps.show()
    assert steps.model.rowCount() == 1
    assert not steps.add_button.isVisible() and not steps.up_button.isVisible()
    assert not steps.remove_button.isEnabled()
    steps.remove_step()
    assert doc.undo_stack.count() == 0


def test_the_list_and_the_rows_show_words_not_markdown(tmp_path: Path, qtbot) -> None:
    """Issue 12: bold, links and placeholders read as words in every list of a guide."""
    doc = open_example(tmp_path)
    steps = make(qtbot, doc)
    doc.set_value((*STEPS, 0, "title", "en"), "**Hi** {{plan|free}} and [docs](/help)")
    assert steps.model.data(steps.model.index(0)) == "Hi ‹Plan› and docs"
