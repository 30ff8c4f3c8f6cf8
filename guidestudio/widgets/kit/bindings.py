"""The one way a form field is tied to the document (napari's binding, Anki's origins).

``bind(widget, document, path_fn)`` makes a field show the value at a project
path and turn the user's edits into undoable document edits. Forty forms of
hand-written slot pairs would each get the three hard parts slightly wrong, so
every field goes through here:

* **No echo.** An edit is sent with ``origin=binding``; the change that comes
  back names that origin and is ignored, so the field the user is typing in is
  never rewritten under the cursor. Any other change touching the path (another
  field, undo, reload) is shown with the widget's signals blocked, keeping the
  cursor where it was.
* **One history.** Undo/Redo in a bound field are the document's, never the
  widget's own (``field_undo``): the binding marks its widget for the main
  window's router and switches a text edit's private history off. An undo then
  comes back as a change with ``origin=None`` and is shown like any other.
* **Lazy paths.** ``path_fn`` is called whenever the path is needed, so when a
  form switches guide, variant or step it only calls ``refresh()``.
* **Valid or nothing.** Empty optional fields remove their key (and a section
  left empty disappears) rather than writing ``""``; a missing section is
  created when its first field is filled; and an edit that would make the
  entity fail its JSON Schema is not written at all — the field is marked with
  the reason and keeps the input, which is saved together with the next edit of
  a field beside it that makes the pair valid (picking "click" as a trigger is
  saved, as one undo step, with the first character of the selector it needs).
  A marketer therefore cannot save a file the loader would reject. The model
  side of this is ``model_writes.write_value``.
"""

from __future__ import annotations

import copy
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QSignalBlocker, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from guidestudio.core import edits
from guidestudio.core.edits import MISSING
from guidestudio.core.field_writes import blank, slot_type
from guidestudio.widgets.kit.combo_data import add_option, combo_value, find_value
from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.kit.field_undo import mark_document_field
from guidestudio.widgets.kit.marks import set_mark
from guidestudio.widgets.kit.model_writes import write_value
from guidestudio.widgets.kit.rich_text_edit import RichTextEdit

Path = tuple[Any, ...]
PathFn = Callable[[], Path | None]
_NOTHING = object()
#: Bindings holding an input that could not be saved alone (see ``Binding._write``).
_PENDING: weakref.WeakSet[Binding] = weakref.WeakSet()


# --- widget adapters ----------------------------------------------------------------


def _number(value: float) -> int | float:
    """24.0 is written as 24: what a person would type in the file."""
    return int(value) if float(value).is_integer() else value


def _show_line(widget: QLineEdit, value: str) -> None:
    if widget.text() != value:
        position = widget.cursorPosition()
        widget.setText(value)
        widget.setCursorPosition(min(position, len(value)))


def show_plain_text(widget: QPlainTextEdit, value: str) -> None:
    """Show ``value`` keeping the cursor and selection (clamped): undo must not move the caret."""
    if widget.toPlainText() == value:
        return
    cursor = widget.textCursor()
    anchor, position = cursor.anchor(), cursor.position()
    widget.setPlainText(value)
    end = len(value)
    cursor = widget.textCursor()
    cursor.setPosition(min(anchor, end))
    cursor.setPosition(min(position, end), cursor.MoveMode.KeepAnchor)
    widget.setTextCursor(cursor)


def _show_spin(widget: QSpinBox | QDoubleSpinBox, value: Any) -> None:
    widget.setValue(widget.minimum() if value is None else value)


def _show_combo(widget: QComboBox, value: Any) -> None:
    index = find_value(widget, value)
    if index < 0 and value is not None:  # show what the file says, even if unknown here
        add_option(widget, f"{value} (unknown)", value)
        index = widget.count() - 1
    widget.setCurrentIndex(max(index, 0) if widget.count() else -1)


def _adapter(widget: QWidget) -> tuple[str, Callable[[Any], Any], Callable[[Any, Any], None]]:
    """(user-edit signal, read, show) for a widget class."""
    if isinstance(widget, RichTextEdit):
        return "edited", RichTextEdit.text, RichTextEdit.show_markdown
    if isinstance(widget, QLineEdit):
        return "textEdited", QLineEdit.text, _show_line
    if isinstance(widget, QPlainTextEdit):
        return "textChanged", QPlainTextEdit.toPlainText, show_plain_text
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return "valueChanged", lambda w: w.value(), _show_spin
    if isinstance(widget, QComboBox):
        return "currentIndexChanged", combo_value, _show_combo
    if isinstance(widget, QCheckBox):
        return "toggled", QCheckBox.isChecked, lambda w, v: w.setChecked(bool(v))
    if isinstance(widget, QDateTimeEdit):
        return "dateTimeChanged", QDateTimeEdit.dateTime, QDateTimeEdit.setDateTime
    raise TypeError(f"cannot bind a {type(widget).__name__}")


def _document_undo_only(widget: QWidget) -> None:
    """A bound field's only history is the document's (see ``widgets/kit/field_undo.py``).

    Undoing inside the widget would write its older text back as a *new* edit,
    so the document and the field would disagree about what Undo means. The
    mark lets the main window route the field's Undo/Redo keys and menu entries
    to the document; a text edit's own history is switched off as well (it would
    only grow unused, and its menu entries stay grey outside the window).
    """
    mark_document_field(widget)
    if isinstance(widget, (QPlainTextEdit, RichTextEdit)):
        widget.setUndoRedoEnabled(False)


def _default_from_model(widget: QWidget) -> Callable[[Any], Any]:
    if isinstance(widget, (QLineEdit, QPlainTextEdit, RichTextEdit)):
        return lambda v: "" if v is None else str(v)
    return lambda v: v


def _default_to_model(widget: QWidget, optional: bool) -> Callable[[Any], Any]:
    if isinstance(widget, (QLineEdit, QPlainTextEdit, RichTextEdit)):
        return lambda text: MISSING if optional and text == "" else text
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        def spin(value: float) -> Any:
            unset = optional and widget.specialValueText() and value == widget.minimum()
            return MISSING if unset else _number(value)
        return spin
    if isinstance(widget, QComboBox):
        return lambda data: MISSING if data is None else data
    if isinstance(widget, QDateTimeEdit):
        raise TypeError("a QDateTimeEdit binding needs to_model (how to write the date)")
    return lambda v: v


class Binding(QObject):
    """One widget tied to one project path; see the module docstring."""

    #: Emitted after the widget shows a new value from the document (signals of the
    #: widget itself are blocked then, so forms that adapt to a value listen here).
    displayed = Signal()

    def __init__(self, widget: QWidget, document: EditableDocument, path_fn: PathFn,
                 to_model: Callable[[Any], Any] | None = None,
                 from_model: Callable[[Any], Any] | None = None, *, optional: bool = True,
                 text: str | None = None, merge: bool | None = None,
                 companions: Callable[[Any], dict[str, Any]] | None = None) -> None:
        super().__init__(widget)
        self.widget = widget
        self.document = document
        self.path_fn = path_fn
        signal, self._read, self._show = _adapter(widget)
        self._to_model = to_model or _default_to_model(widget, optional)
        self._from_model = from_model or _default_from_model(widget)
        self._text = text
        self._merge = merge
        self._pending: Any = _NOTHING
        self._companions = companions
        _document_undo_only(widget)
        getattr(widget, signal).connect(self._widget_edited)
        document.changed.connect(self._document_changed)
        document.reset.connect(self.refresh)
        self.refresh()

    def path(self) -> Path | None:
        return self.path_fn()

    def value(self) -> Any:
        """The model value at the path now (None when unset or nothing is selected)."""
        path = self.path()
        return None if path is None else self.document.get(path, None)

    def refresh(self) -> None:
        """Show the document's value; drops an input that could not be saved."""
        self._set_pending(_NOTHING, None)
        with QSignalBlocker(self.widget):
            self._show(self.widget, self._from_model(self.value()))
        self.displayed.emit()

    # --- user -> document --------------------------------------------------------------

    def _widget_edited(self, *_: Any) -> None:
        path = self.path()
        if path is None:
            return
        if isinstance(self.widget, QLineEdit) and not self._acceptable(self.widget):
            self._set_pending(self.widget.text(), "this is not in the expected form yet")
            return
        self._write(path, self._to_model(self._read(self.widget)))

    def _write(self, path: Path, value: Any) -> None:
        siblings = self._pending_siblings(path)
        mine = self._contribution(path, value)
        if siblings:
            waiting = [s._contribution(s.path(), s._pending) for s in siblings]
            if self._write_together(path, [*waiting, mine]) is None:
                for sibling in siblings:
                    sibling._set_pending(_NOTHING, None)
                self._set_pending(_NOTHING, None)
                return
        if self._companions is not None:
            error = self._write_together(path, [mine])
        else:
            error = write_value(self.document, path, value, origin=self, text=self._text,
                                merge=self._merge)
        self._set_pending(_NOTHING if error is None else value, error)

    def _contribution(self, path: Any, value: Any) -> dict[Any, Any]:
        """What saving ``value`` changes in the enclosing object: this key and companions."""
        out = dict(self._companions(value)) if self._companions is not None else {}
        out[path[-1]] = value
        return out

    def _pending_siblings(self, path: Path) -> list[Binding]:
        """Other fields of the same object whose input is waiting for this one."""
        found = []
        for other in list(_PENDING):
            if other is self or other.document is not self.document:
                continue
            if not shiboken6.isValid(other):
                continue
            if isinstance(other.widget, QLineEdit) and not self._acceptable(other.widget):
                continue  # refused by its own validator: no neighbour can make it right
            other_path = other.path()
            if other_path is not None and other_path[:-1] == path[:-1]:
                found.append(other)
        return found

    def _write_together(self, path: Path, parts: list[dict[Any, Any]]) -> str | None:
        """Save several keys of the object holding ``path`` as one edit of that object."""
        project = self.document.project
        parent_path = path[:-1]
        current = edits.get(project, parent_path)
        if current is MISSING or current is None:
            holder = edits.get(project, parent_path[:-1])
            if holder is MISSING or holder is None or isinstance(holder, list):
                return "this field belongs to something that no longer exists"
            obj = blank(slot_type(holder, parent_path[-1]))
        else:
            obj = copy.deepcopy(current)
        for part in parts:
            for key, item in part.items():
                if isinstance(obj, dict):
                    if item is MISSING:
                        obj.pop(key, None)
                    else:
                        obj[key] = item
                else:
                    setattr(obj, key, None if item is MISSING else item)
        if obj == current:
            return None
        return write_value(self.document, parent_path, obj, origin=self, text=self._text,
                           merge=False)

    @staticmethod
    def _acceptable(widget: QLineEdit) -> bool:
        validator = widget.validator()
        if validator is None or widget.text() == "":
            return True
        state = validator.validate(widget.text(), widget.cursorPosition())
        state = state[0] if isinstance(state, tuple) else state
        return state == QValidator.State.Acceptable

    def _set_pending(self, value: Any, error: str | None) -> None:
        self._pending = value
        if value is _NOTHING:
            _PENDING.discard(self)
        else:
            _PENDING.add(self)
        set_mark(self.widget, "unsaved", "error" if error else None,
                 f"Not saved yet: {error}" if error else "")

    # --- document -> widget ------------------------------------------------------------

    def _document_changed(self, change: Any) -> None:
        if change.origin is self:
            return
        path = self.path()
        if path is None:
            return
        if change.touches(path):
            self.refresh()
        elif self._pending is not _NOTHING and change.origin is None \
                and change.touches(path[:-1]):
            self.refresh()  # undo/redo/reload around a waiting input: the model is the truth


def bind(widget: QWidget, document: EditableDocument, path_fn: PathFn,
         to_model: Callable[[Any], Any] | None = None,
         from_model: Callable[[Any], Any] | None = None, **options: Any) -> Binding:
    """Tie ``widget`` to ``path_fn()`` in ``document``; the binding lives as long as the widget.

    ``to_model`` turns what the widget holds into the value to store (``MISSING``
    removes the key); ``from_model`` turns the stored value (None when unset)
    into what the widget shows. Options: ``optional`` (default True: empty
    text clears the key), ``text`` (undo menu text), ``merge`` (see
    ``Document.set_value``), ``companions`` (value -> {sibling key: value} saved in
    the same edit, e.g. a trigger type clears the fields only other types use).
    """
    return Binding(widget, document, path_fn, to_model, from_model, **options)


__all__ = ["MISSING", "Binding", "bind", "write_value"]
