"""The theme editor: every token of the theme file, one undo step each, a sample and hints."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QWidget

from guidestudio.app.document import Document
from guidestudio.core.edits import MISSING
from guidestudio.core.files import schemas
from guidestudio.core.files.project_io import load_project
from guidestudio.widgets.entities.css_colors import contrast_ratio, css_of, parse_color
from guidestudio.widgets.entities.theme_editor import COLORS, FONT_STACKS, ThemeEditor
from guidestudio.widgets.kit.marks import mark_of
from tests.widgets.editor_support import errors_after_reload, open_example

THEME = "acme-light"


def theme_editor(qtbot: Any, doc: Document, theme_id: str = THEME) -> ThemeEditor:
    editor = ThemeEditor(doc)
    qtbot.addWidget(editor)
    editor.set_theme(theme_id)
    return editor


def path(*parts: Any) -> tuple[Any, ...]:
    return ("themes", THEME, *parts)


def retype(edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    if text:
        QTest.keyClicks(edit, text)
    else:
        QTest.keyClick(edit, Qt.Key.Key_Delete)


def set_spin(box: QAbstractSpinBox, value: float) -> None:
    box.setValue(value)  # type: ignore[attr-defined]


def test_the_editor_shows_the_theme_file(tmp_path: Path, qtbot: Any) -> None:
    doc = open_example(tmp_path)
    editor = theme_editor(qtbot, doc, "acme-dark")
    theme = doc.project.themes["acme-dark"]
    assert editor.id_field.text() == "acme-dark" and editor.id_field.isReadOnly()
    assert editor.name.text() == "Acme Dark"
    assert {k: e.text() for k, e in editor.colors.items()} == theme.colors
    assert editor.family.currentText() == theme.font["family"]  # type: ignore[index]
    assert editor.size.value() == 14 and editor.weight.value() == 700
    assert editor.radius.value() == 12 and editor.z_index.value() == 2147483000
    assert editor.shadow.text() == theme.shadow
    assert editor.used_by.text().startswith("1 guide: ")
    editor.set_theme(None)
    assert not editor.form.isEnabled()


Edit = Callable[[ThemeEditor], None]
FIELD_EDITS: list[tuple[str, tuple[Any, ...], Edit, Any]] = [
    ("name", ("name",), lambda e: retype(e.name, "Acme Bright"), "Acme Bright"),
    ("primary", ("colors", "primary"), lambda e: retype(e.colors["primary"], "#123456"),
     "#123456"),
    ("backdrop", ("colors", "backdrop"),
     lambda e: retype(e.colors["backdrop"], "rgba(0, 0, 0, 0.4)"), "rgba(0, 0, 0, 0.4)"),
    ("accent cleared", ("colors", "accent"), lambda e: retype(e.colors["accent"], ""), None),
    ("family typed", ("font", "family"), lambda e: retype(e.family.lineEdit(), "Georgia, serif"),
     "Georgia, serif"),
    ("size", ("font", "size"), lambda e: set_spin(e.size, 16), 16),
    ("size unset", ("font", "size"), lambda e: set_spin(e.size, e.size.minimum()), None),
    ("weight", ("font", "heading_weight"), lambda e: set_spin(e.weight, 800), 800),
    ("radius", ("radius",), lambda e: set_spin(e.radius, 4.5), 4.5),
    ("radius unset", ("radius",), lambda e: set_spin(e.radius, e.radius.minimum()), None),
    ("shadow", ("shadow",), lambda e: retype(e.shadow, "none"), "none"),
    ("z index", ("z_index",), lambda e: set_spin(e.z_index, 1000), 1000),
]


@pytest.mark.parametrize(("field", "rel", "edit", "expected"), FIELD_EDITS,
                         ids=[f[0] for f in FIELD_EDITS])
def test_each_field_is_one_undoable_edit(tmp_path: Path, qtbot: Any, field: str,
                                         rel: tuple[Any, ...], edit: Edit, expected: Any) -> None:
    doc = open_example(tmp_path)
    editor = theme_editor(qtbot, doc)
    before = doc.get(path(*rel), MISSING)
    assert before is not MISSING
    steps = doc.undo_stack.count()
    edit(editor)
    assert doc.get(path(*rel)) == expected
    assert doc.undo_stack.count() == steps + 1
    doc.undo_stack.undo()
    assert doc.get(path(*rel), MISSING) == before
    editor.form.refresh()


def test_keyboard_steps_a_spin_box_and_picks_a_font_stack(tmp_path: Path, qtbot: Any) -> None:
    doc = open_example(tmp_path)
    editor = theme_editor(qtbot, doc)
    editor.weight.setFocus()
    QTest.keyClick(editor.weight, Qt.Key.Key_Up)
    assert doc.get(path("font", "heading_weight")) == 700
    steps = doc.undo_stack.count()
    editor.family.setFocus()
    QTest.keyClick(editor.family, Qt.Key.Key_Down)  # the next stack in the list
    chosen = doc.get(path("font", "family"))
    assert chosen in FONT_STACKS and editor.family.currentText() == chosen
    assert doc.undo_stack.count() == steps + 1


def test_the_swatch_button_picks_a_colour(tmp_path: Path, qtbot: Any,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    doc = open_example(tmp_path)
    editor = theme_editor(qtbot, doc)
    asked: list[QColor] = []

    def pick(initial: QColor, *args: Any) -> QColor:
        asked.append(initial)
        return QColor(10, 20, 30, 128)

    monkeypatch.setattr("guidestudio.widgets.entities.theme_editor.QColorDialog.getColor", staticmethod(pick))
    steps = doc.undo_stack.count()
    editor.swatches["surface"].click()
    assert asked[0].name() == "#ffffff"
    assert doc.get(path("colors", "surface")) == "rgba(10, 20, 30, 0.5)"
    assert editor.colors["surface"].text() == "rgba(10, 20, 30, 0.5)"
    assert doc.undo_stack.count() == steps + 1
    monkeypatch.setattr("guidestudio.widgets.entities.theme_editor.QColorDialog.getColor",
                        staticmethod(lambda *a: QColor()))  # cancelled
    editor.swatches["surface"].click()
    assert doc.undo_stack.count() == steps + 1
    doc.undo_stack.undo()
    assert editor.colors["surface"].text() == "#ffffff"


def test_invalid_values_are_refused_on_the_field(tmp_path: Path, qtbot: Any) -> None:
    doc = open_example(tmp_path)
    editor = theme_editor(qtbot, doc)
    primary = editor.colors["primary"]
    retype(primary, "#12")  # not a colour yet: marked, not written
    assert doc.get(path("colors", "primary")) == "#2563eb"
    assert mark_of(primary) == "error" and "Not saved" in primary.toolTip()
    retype(primary, "#1;2")  # characters a colour never has are not even typed
    assert primary.text() == "#12"
    assert doc.get(path("colors", "primary")) == "#2563eb"
    retype(primary, "#1d4ed8")
    assert doc.get(path("colors", "primary")) == "#1d4ed8" and mark_of(primary) == ""
    retype(primary, "bluish")  # the schema allows any name; browsers do not know this one
    assert mark_of(primary) == "warning" and "do not know" in primary.toolTip()
    retype(editor.name, "")  # a theme needs a name
    assert doc.get(path("name")) == "Acme Light" and mark_of(editor.name) == "error"
    set_spin(editor.weight, 50)  # in the box's range, below the schema's 100
    assert doc.get(path("font", "heading_weight")) == 600
    assert mark_of(editor.weight) == "error"


def test_saved_theme_reloads_equal_and_validates(tmp_path: Path, qtbot: Any) -> None:
    doc = open_example(tmp_path)
    editor = theme_editor(qtbot, doc)
    retype(editor.colors["accent"], "hsl(38, 92%, 50%)")
    retype(editor.colors["muted"], "")
    retype(editor.family.lineEdit(), 'Lato, "Helvetica Neue", sans-serif')
    set_spin(editor.size, 15.5)
    set_spin(editor.radius, 0)
    set_spin(editor.z_index, editor.z_index.minimum())
    retype(editor.shadow, "0 1px 2px rgba(0, 0, 0, 0.2), 0 0 0 1px #e2e8f0")
    written = doc.save()
    assert written == [f"themes/{THEME}.yaml"]
    root = doc.root
    assert root is not None
    data = yaml.safe_load((root / written[0]).read_text(encoding="utf-8"))
    assert schemas.validate("theme", data) == []
    assert "muted" not in data["colors"] and "z_index" not in data
    assert load_project(root).project.themes[THEME] == doc.project.themes[THEME]
    load_problems, errors = errors_after_reload(root)
    assert not load_problems and not errors


def test_contrast_hint_for_hard_to_read_pairs(tmp_path: Path, qtbot: Any) -> None:
    assert round(contrast_ratio((0, 0, 0, 1), (255, 255, 255, 1)), 1) == 21.0
    assert 4.4 < contrast_ratio(parse_color("#777777"), parse_color("#fff")) < 4.5  # type: ignore[arg-type]
    doc = open_example(tmp_path)
    editor = theme_editor(qtbot, doc)
    assert editor.contrast.isHidden()
    retype(editor.colors["text"], "#cccccc")  # light grey on white
    assert not editor.contrast.isHidden()
    assert "Text on the card" in editor.contrast.text() and "4.5:1" in editor.contrast.text()
    assert mark_of(editor.colors["text"]) == "warning"
    assert mark_of(editor.colors["surface"]) == "warning"
    assert doc.get(path("colors", "text")) == "#cccccc"  # a hint: the value is saved
    retype(editor.colors["on_primary"], "#3b82f6")  # blue on blue
    assert "primary buttons" in editor.contrast.text()
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert editor.contrast.isHidden() and mark_of(editor.colors["text"]) == ""


def test_the_sample_follows_the_theme(tmp_path: Path, qtbot: Any) -> None:
    doc = open_example(tmp_path)
    editor = theme_editor(qtbot, doc)
    retype(editor.colors["primary"], "#123456")
    assert "rgba(18, 52, 86, 255)" in editor.sample.styleSheet()
    set_spin(editor.radius, 20)
    assert "border-radius: 20px" in editor.sample.styleSheet()
    doc.set_value(path("colors", "surface"), "#fafafa")  # another view's edit shows too
    assert editor.colors["surface"].text() == "#fafafa"
    assert "rgba(250, 250, 250, 255)" in editor.sample.styleSheet()


def test_every_field_has_a_tooltip_and_takes_the_keyboard(tmp_path: Path, qtbot: Any) -> None:
    doc = open_example(tmp_path)
    editor = theme_editor(qtbot, doc)
    fields: list[QWidget] = [editor.name, *editor.colors.values(), *editor.swatches.values(),
                             editor.family, editor.size, editor.weight, editor.radius,
                             editor.shadow, editor.z_index]
    assert len(editor.colors) == len(COLORS) == 8
    for field in fields:
        assert field.toolTip(), field
        assert field.focusPolicy() & Qt.FocusPolicy.TabFocus, field
    editor.focus_field("colors.border")
    assert editor.focusWidget() is editor.colors["border"]


def test_css_colour_helpers() -> None:
    assert parse_color("#2563ebcc") == (37, 99, 235, 0.8)
    assert parse_color("#fff") == (255, 255, 255, 1.0)
    assert parse_color("rgba(15, 23, 42, 0.55)") == (15, 23, 42, 0.55)
    assert parse_color("red") == (255, 0, 0, 1.0)
    assert parse_color("#12345") is None and parse_color("bluish") is None
    assert css_of(QColor("#2563eb")) == "#2563eb"
    assert css_of(QColor(1, 2, 3, 51)) == "rgba(1, 2, 3, 0.2)"


def pick(choice: Any, label: str) -> None:
    """Choose an entry as a user does: by its words."""
    choice.combo.setCurrentIndex(choice.combo.findText(label))


def test_shadow_and_stacking_are_named_choices_that_map_the_files(tmp_path: Path,
                                                                  qtbot: Any) -> None:
    doc = open_example(tmp_path)
    editor = theme_editor(qtbot, doc, "acme-dark")
    # The example files' values: a strong shadow, the runtime's top stacking.
    assert editor.shadow_choice.current_label() == "Strong"
    assert editor.stacking.current_label() == "Above everything"
    assert editor.shadow.isHidden() and editor.z_index.isHidden()  # no raw CSS on show
    editor.set_theme(THEME)
    assert editor.shadow_choice.current_label() == "Soft"  # 12 px, 18 %: the soft one
    doc.set_value(path("shadow"), "0 1px 2px red")  # a value no name stands for
    doc.set_value(path("z_index"), 5000)
    assert editor.shadow_choice.current_label() == "Custom…" and not editor.shadow.isHidden()
    assert editor.shadow.text() == "0 1px 2px red"
    assert editor.stacking.current_label() == "Custom…" and editor.z_index.value() == 5000
    doc.clear_value(path("shadow"))  # not set: the built-in soft shadow
    doc.clear_value(path("z_index"))  # not set: above everything
    assert editor.shadow_choice.current_label() == "Soft"
    assert editor.stacking.current_label() == "Above everything"


CHOICES = [
    ("shadow", "Strong", "0 16px 40px rgba(0, 0, 0, 0.5)"),
    ("shadow", "None", "none"),
    ("shadow", "Medium", "0 14px 36px rgba(15, 23, 42, 0.32)"),
    ("z_index", "Above the page", 1000),
]


@pytest.mark.parametrize(("key", "label", "written"), CHOICES,
                         ids=[f"{c[0]} {c[1]}" for c in CHOICES])
def test_each_choice_is_one_undoable_edit(tmp_path: Path, qtbot: Any, key: str, label: str,
                                          written: Any) -> None:
    doc = open_example(tmp_path)
    editor = theme_editor(qtbot, doc)
    choice = editor.shadow_choice if key == "shadow" else editor.stacking
    before, shown = doc.get(path(key)), choice.current_label()
    steps = doc.undo_stack.count()
    pick(choice, label)
    assert doc.get(path(key)) == written and doc.undo_stack.count() == steps + 1
    assert choice.current_label() == label
    doc.undo_stack.undo()
    assert doc.get(path(key)) == before and choice.current_label() == shown
    doc.undo_stack.redo()
    assert doc.get(path(key)) == written and choice.current_label() == label


def test_the_default_choices_clear_the_key_and_custom_shows_the_css(tmp_path: Path,
                                                                    qtbot: Any) -> None:
    doc = open_example(tmp_path)
    editor = theme_editor(qtbot, doc)
    pick(editor.stacking, "Above the page")
    pick(editor.stacking, "Above everything")  # the runtime's default: nothing to write
    assert doc.get(path("z_index")) is None
    pick(editor.shadow_choice, "None")
    pick(editor.shadow_choice, "Soft")  # the built-in soft shadow
    assert doc.get(path("shadow")) is None
    steps = doc.undo_stack.count()
    pick(editor.shadow_choice, "Custom…")  # opens the CSS, writes nothing yet
    assert doc.undo_stack.count() == steps and not editor.shadow.isHidden()
    retype(editor.shadow, "0 16px 40px rgba(0, 0, 0, 0.5)")  # spelled like "Strong"…
    assert doc.get(path("shadow")) == "0 16px 40px rgba(0, 0, 0, 0.5)"
    # …yet the list stays on Custom while the author types, the field in view.
    assert editor.shadow_choice.current_label() == "Custom…" and not editor.shadow.isHidden()
    editor.set_theme("acme-dark")
    editor.set_theme(THEME)  # shown afresh: the value decides
    assert editor.shadow_choice.current_label() == "Strong"
    written = doc.save()
    assert written == [f"themes/{THEME}.yaml"]
    load_problems, errors = errors_after_reload(doc.root)  # type: ignore[arg-type]
    assert not load_problems and not errors


def test_the_sections_share_one_label_column(tmp_path: Path, qtbot: Any) -> None:
    """Theme, Colours, Text, Shape: their fields start at one place, not each section's own."""
    from tests.widgets.inspector_support import field_starts, settle

    doc = open_example(tmp_path)
    editor = theme_editor(qtbot, doc)
    editor.resize(1000, 800)
    editor.show()
    settle(editor)
    starts = field_starts(editor)
    assert len(starts) == 1, starts
