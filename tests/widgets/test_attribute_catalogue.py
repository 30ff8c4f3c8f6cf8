"""The attribute catalogue in the project settings, edited as a marketer would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from guidestudio.app.document import Document
from guidestudio.core.files import yaml_io
from guidestudio.core.files.project_io import load_project
from guidestudio.core.resources import EXAMPLE_PROJECT
from guidestudio.widgets.entities.attribute_catalogue import AttributeCatalogueBox
from guidestudio.widgets.entities.project_settings_form import ProjectSettingsForm
from guidestudio.widgets.rules.attribute_box import KEY_ROLE


def project_copy(tmp_path: Path, catalogue: bool = True) -> Path:
    root = Path(shutil.copytree(EXAMPLE_PROJECT, tmp_path / "acme-cloud"))
    if not catalogue:
        path = root / "guidestudio.yaml"
        data = yaml_io.load_data(path.read_text(encoding="utf-8"))
        del data["attributes"]
        path.write_text(yaml_io.dump(data), encoding="utf-8")
    return root


@pytest.fixture
def doc(tmp_path: Path) -> Document:
    return Document.open(project_copy(tmp_path))


@pytest.fixture
def form(doc: Document, qtbot) -> ProjectSettingsForm:  # type: ignore[no-untyped-def]
    widget = ProjectSettingsForm(doc)
    qtbot.addWidget(widget)
    widget.set_item("")
    widget.show()
    return widget


def box_of(form: ProjectSettingsForm) -> AttributeCatalogueBox:
    box = form.findChild(AttributeCatalogueBox)
    assert box is not None  # the settings page shows the catalogue
    return box


def row_of(box: AttributeCatalogueBox, key: str) -> int:
    return next(i for i in range(box.list.count()) if box.list.item(i).data(KEY_ROLE) == key)


def retype(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    widget.selectAll()
    QTest.keyClicks(widget, text)


def test_it_lists_the_catalogue_and_shows_the_selected_attribute(form) -> None:
    box = box_of(form)
    assert box.list.count() == len(form.document.project.settings.attributes)
    assert box.list.item(0).text() == "User ID" and box.list.item(0).data(KEY_ROLE) == "id"
    box.select(row_of(box, "plan"))
    assert (box.label.text(), box.key.text(), box.type.currentText()) == ("Plan", "plan", "Text")
    assert box.allowed.items() == ["free", "trial", "pro", "business"]
    box.select(row_of(box, "events.login.days_since"))
    assert box.label.text() == "Days since last login"
    assert (box.type.currentText(), box.unit.currentText()) == ("Number", "days")


def test_each_change_is_one_undo_step_and_saved_canonically(doc: Document, form) -> None:
    box = box_of(form)
    row = row_of(box, "storage_used_pct")
    box.select(row)
    steps = doc.undo_stack.count()
    retype(box.label, "Storage used (of 10 GB)")
    assert doc.project.settings.attributes[row].label == "Storage used (of 10 GB)"
    assert box.list.item(row).text() == "Storage used (of 10 GB)"  # the list follows
    assert doc.undo_stack.count() == steps + 1  # typing merged into one step
    retype(box.unit.lineEdit(), "pct")
    assert doc.project.settings.attributes[row].unit == "pct"
    box.unit.showPopup()  # picked from the list
    view = box.unit.view()
    pick = view.model().index(box.unit.findText("GB"), 0)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(pick).center())
    assert doc.project.settings.attributes[row].unit == "GB"
    box.type.setCurrentIndex(box.type.findText("Text"))
    assert doc.project.settings.attributes[row].type == "string"
    assert doc.undo_stack.count() == steps + 3  # the unit's typing and pick merged
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert box.unit.currentText() == "%" and box.type.currentText() == "Number"
    doc.save()
    saved = load_project(doc.root).project.settings.attributes[row]
    assert (saved.label, saved.unit, saved.type) == ("Storage used (of 10 GB)", "%", "number")


def test_allowed_values_are_typed_as_the_attribute_is(doc: Document, form) -> None:
    box = box_of(form)
    box.select(row_of(box, "plan"))
    line = box.allowed.line
    line.setFocus()
    QTest.keyClicks(line, "enterprise")
    QTest.keyClick(line, Qt.Key.Key_Return)
    plan = doc.project.settings.attributes[row_of(box, "plan")]
    assert plan.allowed == ["free", "trial", "pro", "business", "enterprise"]
    doc.undo_stack.undo()
    assert box.allowed.items() == ["free", "trial", "pro", "business"]

    box.select(row_of(box, "account.seats"))
    line.setFocus()
    QTest.keyClicks(line, "ten")
    QTest.keyClick(line, Qt.Key.Key_Return)
    assert box.allowed.items() == [] and "not a number" in box.allowed.hint.text()
    line.clear()
    QTest.keyClicks(line, "10")
    QTest.keyClick(line, Qt.Key.Key_Return)
    assert doc.project.settings.attributes[row_of(box, "account.seats")].allowed == [10]


def test_add_move_and_remove_attributes(doc: Document, form) -> None:
    box = box_of(form)
    count = box.list.count()
    box.add_button.click()
    assert box.list.count() == count + 1 and box.list.currentRow() == count
    assert box.key.hasFocus() and box.key.text() == "attribute_1"
    QTest.keyClicks(box.key, "beta_opt_in")  # typed over the selected key
    retype(box.label, "In the beta")
    box.type.setCurrentIndex(box.type.findText("Yes/no"))
    added = doc.project.settings.attributes[count]
    assert (added.key, added.label, added.type) == ("beta_opt_in", "In the beta", "boolean")
    box.up_button.click()
    assert doc.project.settings.attributes[count - 1].key == "beta_opt_in"
    assert box.list.currentRow() == count - 1 and box.key.text() == "beta_opt_in"
    box.remove_button.click()
    assert box.list.count() == count
    assert "beta_opt_in" not in {a.key for a in doc.project.settings.attributes}
    doc.undo_stack.undo()
    assert doc.project.settings.attributes[count - 1].key == "beta_opt_in"


def test_fill_from_sample_profiles(qtbot, tmp_path: Path) -> None:
    doc = Document.open(project_copy(tmp_path, catalogue=False))
    form = ProjectSettingsForm(doc)
    qtbot.addWidget(form)
    box = box_of(form)
    assert box.list.count() == 0 and not box.details.isEnabled()
    steps = doc.undo_stack.count()
    added = box.fill_from_profiles()
    assert added == box.list.count() > 40
    assert doc.undo_stack.count() == steps + 1  # one step
    assert "Added" in box.fill_note.text()
    plan = doc.project.settings.attributes[row_of(box, "plan")]
    assert plan.allowed == ["free", "trial", "pro", "business"]
    assert box.list.item(row_of(box, "events.login.days_since")).text() == (
        "Days since last login")
    assert box.fill_from_profiles() == 0
    assert "Nothing to add" in box.fill_note.text()
    doc.undo_stack.undo()
    assert box.list.count() == 0


def test_catalogue_warnings_mark_the_entry_and_lead_to_it(doc: Document, form) -> None:
    box = box_of(form)
    plan = row_of(box, "plan")
    box.select(0)
    doc.set_value(("settings", "attributes", plan - 1, "key"), "plan")  # now described twice
    doc.revalidate()
    item = box.list.item(plan)  # the second description is the one to merge
    assert not item.icon().isNull() and "described twice" in item.toolTip()
    assert box.list.item(plan - 1).icon().isNull()
    form.focus_field(f"attributes[{plan}].key")
    assert box.list.currentRow() == plan
    assert (box.label.text(), box.key.text()) == ("Plan", "plan")
    doc.undo_stack.undo()
    doc.revalidate()
    assert box.list.item(plan).icon().isNull()
