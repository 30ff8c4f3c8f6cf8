"""The starter gallery dialog, driven from the keyboard."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from guidestudio.core.files.project_io import load_project
from guidestudio.widgets.dialogs.starter_gallery import StarterGalleryDialog
from tests.conftest import EXAMPLE_PROJECT


@pytest.fixture(scope="module")
def project() -> Any:
    return load_project(EXAMPLE_PROJECT).project


@pytest.fixture
def dialog(qtbot, project) -> StarterGalleryDialog:
    dlg = StarterGalleryDialog(project)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    qtbot.waitExposed(dlg)
    return dlg


def focused() -> Any:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def test_create_a_guide_with_the_keyboard(qtbot, dialog: StarterGalleryDialog) -> None:
    assert dialog.list.count() == 9 + 7  # the plays, then a blank starter of each kind
    assert not dialog.list.item(0).icon().isNull()
    assert focused() is dialog.list
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down)
    assert dialog.current_starter().id == "premium-feature-tooltip"
    assert "Use when" in dialog.description.text()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Tab)
    field = focused()
    assert field is dialog.fields["feature"]
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "Version history")
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    qtbot.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(focused(), "#history-button")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    guide = dialog.guide()
    assert guide is not None and guide.id == "premium-feature-tooltip-2"
    assert guide.status == "draft"
    step = guide.variants[0].steps[0]
    assert step.title and step.title["en"] == "Version history is a Business feature"
    assert guide.trigger and guide.trigger.selector == "#history-button"
    assert step.anchor and step.anchor.selector == "#history-button"


def test_an_unusable_value_blocks_creation_until_fixed(qtbot, dialog) -> None:
    dialog.list.setCurrentRow(0)
    field = dialog.fields["upgrade_url"]
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "javascript:alert(1)")
    assert not dialog.create_button.isEnabled()
    assert field.property("problem") == "error"
    assert "https" in field.toolTip() and "https" in dialog.error_label.text()
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.guide() is None  # nothing can be created yet
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "https://acme.example/upgrade")
    assert dialog.create_button.isEnabled() and field.property("problem") == ""
    dialog.list.setCurrentRow(1)  # values are kept per starter while browsing
    dialog.list.setCurrentRow(0)
    assert dialog.fields["upgrade_url"].text() == "https://acme.example/upgrade"


def test_cancel_creates_nothing(qtbot, dialog) -> None:
    qtbot.keyClick(dialog.list, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.guide() is None


def test_attributes_are_offered_by_their_catalogue_label(qtbot, dialog: StarterGalleryDialog,
                                                        project) -> None:
    """The gallery asks in the author's words: an attribute by its label, a plan from the
    plans the catalogue allows; what goes into the guide is still the key and the value."""
    dialog.list.setCurrentRow(next(i for i, starter in enumerate(dialog.starters)
                                   if starter.id == "upgrade-prompt"))
    usage = dialog.fields["usage_attribute"]
    labels = [usage.itemText(i) for i in range(usage.count())]
    assert "Storage used" in labels and "storage_used_pct" not in labels
    usage.setEditText("Storage used")
    plan = dialog.fields["current_plan"]
    assert [plan.itemData(i) for i in range(plan.count())][:4] == ["free", "trial", "pro",
                                                                   "business"]
    plan.setCurrentIndex(plan.findData("trial"))
    guide = dialog.guide()
    assert guide is not None and guide.audience is not None
    assert guide.audience.conditions == {"plan": "trial", "storage_used_pct": {"$gte": 90}}
    assert usage.currentText() == "Storage used"  # the key never shows
