"""Undo and Redo typed in a form field undo the document, exactly as Edit ▸ Undo does.

Every edit in the GUI is a command on the document's ``QUndoStack``; typing in
one field merges into one command per field and pause. Qt's text inputs also
keep a private history of their own, and ``QLineEdit``/``QPlainTextEdit``
claim the Undo/Redo keys for it (they *accept* the ``ShortcutOverride`` event,
which makes the window's shortcuts stand down) and offer it in their context
menu. Undoing there rewrites the field, the binding saves that text as a *new*
edit, and the field's history and the document's drift apart. In every
professional editor Ctrl+Z means "undo my last change to the document"
wherever the cursor is: after an edit in field A, Ctrl+Z in field B undoes A.

``FieldUndo``, owned by the main window, filters the events of each document
field (below) from the moment it first takes the keyboard focus — a right
click focuses a field too, so its context menu is covered:

* **Keys.** The ``ShortcutOverride`` for any key the platform maps to Undo or
  Redo (``QKeyEvent.matches``: Ctrl+Z, Ctrl+Y, Ctrl+Shift+Z, Alt+Backspace on
  X11…) is accepted by the filter, so no other shortcut runs, and the
  ``KeyPress`` that follows is eaten before the widget sees it and triggers the
  window's own Undo/Redo ``QAction`` — the very object in the Edit menu, so a
  disabled action (nothing to undo) does nothing instead of falling back to the
  widget's history.
* **Context menu.** Qt builds a field's menu with ``createStandardContextMenu``
  as a child of the field (of the inner line edit of a spin box or editable
  combo, of a text edit's viewport) and polishes it just before it pops up,
  which tells the parent (``ChildPolished``); the filter then rewires the
  menu's ``edit-undo`` and ``edit-redo`` entries to trigger the window's
  actions and take their text and state ("Undo Edit name", grey when there is
  nothing to undo).

A *document field* is a text input — ``QLineEdit``, ``QPlainTextEdit``,
``QTextEdit``, any ``QAbstractSpinBox`` (spin boxes, date edits) or an editable
``QComboBox`` — in the filter's window that either was marked by
``mark_document_field`` (every ``Binding`` marks its widget) or lies inside one
of the window's form areas (the editor area). The second rule covers inputs
that write through the document without a ``Binding``: the rule builder's value
boxes and JSON tab. A field can opt out with ``mark_document_field(w, False)``
(a search box inside a form keeps its own text undo); fields elsewhere — the
project tree's filter, the preview's URL, dialogs — keep Qt's behaviour.

Why this design and not another:

* *Ignore* ``ShortcutOverride`` so the window's shortcut fires (the usual
  recipe) — works only while the action is enabled and its shortcut list holds
  the exact key the widget matched; otherwise the key reaches the widget and
  its own undo runs again. Handling the key press here covers both.
* An application-wide event filter (simplest to install) segfaulted under
  PySide 6.11 while a context menu was open: when PySide first wraps an object
  for the filter it sets a property on it, and that property's change event
  re-enters the same filter while the wrapper is half made (the backtrace runs
  ``getWrapperForQObject`` → ``setProperty`` → application filters →
  ``getWrapperForQObject``). Filtering only the fields keeps Python out of
  every other object's events, and costs nothing outside the forms.
* Subclassing every input, or a filter per ``Binding`` — misses the inputs Qt
  creates inside spin boxes and combos and the fields that have no binding.
* ``setUndoRedoEnabled(False)`` alone — exists only on the text edits (not on
  ``QLineEdit``) and only greys out the menu entries; bindings still call it
  on the plain-text fields they own so their history cannot grow unused.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QChildEvent, QEvent, QObject
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

#: Dynamic property: True marks a document field, False opts a form's input out.
PROPERTY = "documentUndo"
#: Object names Qt gives the Undo/Redo entries of a standard context menu.
MENU_ENTRIES = {"edit-undo": "undo", "edit-redo": "redo"}

_KEY_EVENTS = (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
_CHILD_POLISHED = QEvent.Type.ChildPolished
_UNDO, _REDO = QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo


def mark_document_field(widget: QWidget, document_field: bool = True) -> None:
    """Say whether Undo/Redo typed in ``widget`` belong to the document (see the docstring)."""
    widget.setProperty(PROPERTY, document_field)


def text_input(widget: QWidget | None) -> QWidget | None:
    """The input that owns ``widget``'s text history, or None when it has none.

    The line edit inside a spin box or combo, and the viewport of a text edit,
    answer for their owner: that is the widget with the focus, the binding and
    the property.
    """
    if widget is None:
        return None
    owner = widget.parentWidget()
    if isinstance(owner, (QPlainTextEdit, QTextEdit)) and widget is owner.viewport():
        return owner
    if isinstance(widget, QLineEdit):
        return owner if isinstance(owner, (QAbstractSpinBox, QComboBox)) else widget
    if isinstance(widget, (QPlainTextEdit, QTextEdit, QAbstractSpinBox)):
        return widget
    if isinstance(widget, QComboBox) and widget.isEditable():
        return widget
    return None


class FieldUndo(QObject):
    """Routes Undo/Redo in ``window``'s document fields to its actions; see the module docstring."""

    def __init__(self, window: QWidget, form_areas: Iterable[QWidget] = ()) -> None:
        super().__init__(window)
        self._window = window
        self._areas = list(form_areas)
        self._actions: dict[str, QAction | None] = {"undo": None, "redo": None}
        app = QApplication.instance()
        assert isinstance(app, QApplication), "FieldUndo needs a QApplication"
        app.focusChanged.connect(self._focus_changed)

    def set_actions(self, undo: QAction | None, redo: QAction | None) -> None:
        """The window's Undo/Redo actions (None while no document is open)."""
        self._actions = {"undo": undo, "redo": redo}

    def is_document_field(self, widget: QWidget | None) -> bool:
        field = text_input(widget)
        if field is None:
            return False
        marked = field.property(PROPERTY)
        if marked is False:
            return False
        if marked:
            return field.window() is self._window
        return any(area.isAncestorOf(field) for area in self._areas)

    def watch(self, widget: QWidget) -> None:
        """Filter a document field's events: the focus widget, the field, its inner line edit.

        Done on focus rather than when fields are made, because forms build rows
        as the data changes and some fields have no binding to announce them.
        Installing again is harmless (Qt keeps one entry per filter).
        """
        field = text_input(widget)
        if field is None:
            return
        targets = {widget, field}
        if isinstance(field, (QAbstractSpinBox, QComboBox)):
            inner = field.findChild(QLineEdit)  # parents the spin box's context menu
            if inner is not None:
                targets.add(inner)
        elif isinstance(field, (QPlainTextEdit, QTextEdit)):
            targets.add(field.viewport())  # parents a text edit's context menu
        for target in targets:
            target.installEventFilter(self)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self.is_document_field(new):
            self.watch(new)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind in _KEY_EVENTS:
            return self._key(watched, event, kind)
        if kind == _CHILD_POLISHED and isinstance(event, QChildEvent):
            menu = event.child()
            if isinstance(menu, QMenu) and isinstance(watched, QWidget) \
                    and self.is_document_field(watched):
                self._swap_menu_entries(menu)
        return False

    def _key(self, watched: QObject, event: QEvent, kind: QEvent.Type) -> bool:
        if not isinstance(event, QKeyEvent):
            return False
        which = "undo" if event.matches(_UNDO) else "redo" if event.matches(_REDO) else None
        if which is None or not isinstance(watched, QWidget) \
                or not self.is_document_field(watched):
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # "this key is the field's": no window shortcut takes it; the
            return True     # key press then comes here, where the widget never sees it
        action = self._actions[which]
        if action is not None:
            action.trigger()  # does nothing while disabled: never the widget's history
        return True

    def _swap_menu_entries(self, menu: QMenu) -> None:
        """Point the menu's Undo/Redo entries at the window's actions.

        The entries are rewired rather than replaced: a shared action inserted
        into this throwaway menu would be adopted by it in PySide's ownership
        bookkeeping, and the window's action wrapper would die with the menu.
        """
        for entry in menu.actions():
            which = MENU_ENTRIES.get(entry.objectName())
            if which is None:
                continue
            entry.triggered.disconnect()  # from the widget's own undo()/redo()
            action = self._actions[which]
            if action is None:
                entry.setEnabled(False)
                continue
            keys = entry.text().partition("\t")[2]
            entry.setText(f"{action.text()}\t{keys}" if keys else action.text())
            entry.setStatusTip(action.statusTip())
            entry.setEnabled(action.isEnabled())
            entry.setObjectName(f"document-{which}")
            entry.triggered.connect(action.trigger)


__all__ = ["PROPERTY", "FieldUndo", "mark_document_field", "text_input"]
