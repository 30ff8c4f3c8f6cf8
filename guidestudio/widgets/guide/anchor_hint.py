"""Under a step's Element field: the host page lacks that element — and which ones it has.

The canvas checks every anchored step against its page (``preview/anchor_check``)
and leaves what it found with the document (``Document.field_hint``); the
Element field itself is outlined like any field with a problem. This row says
it in a sentence ("Not on demo-app.html — the step is skipped.") and offers
the page's closest selectors as buttons: one click writes that selector, as
one edit on the undo stack like any other, so Ctrl+Z brings the old one back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from guidestudio.core.problems import FieldHint
from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.kit.flow_layout import FlowLayout
from guidestudio.widgets.kit.form_kit import note

PathFn = Callable[[], tuple[Any, ...] | None]


class AnchorHint(QWidget):
    """The sentence and the did-you-mean buttons for the Element field at ``path_fn()``."""

    #: Whether there is something to say (the form shows or hides the row).
    shownChanged = Signal(bool)

    def __init__(self, document: EditableDocument, path_fn: PathFn,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._path_fn = path_fn
        self._hint: FieldHint | None = None
        self.text = note("", self)
        self.prompt = note("", self)
        self.choices = QWidget(self)
        self._flow = FlowLayout(self.choices)
        self.buttons: list[QPushButton] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.text)
        layout.addWidget(self.prompt)
        layout.addWidget(self.choices)
        document.problemsChanged.connect(self.refresh)
        document.reset.connect(self.refresh)
        self.refresh()

    @property
    def hint(self) -> FieldHint | None:
        return self._hint

    def refresh(self) -> None:
        """Show what the canvas last found for the field the form now shows."""
        path = self._path_fn()
        hint = self.document.field_hint(path) if path is not None else None
        if hint == self._hint:
            return
        self._hint = hint
        for button in self.buttons:
            self._flow.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        for selector in hint.offers if hint is not None else ():
            button = QPushButton(selector, self.choices)
            button.setFont(fixed)
            button.setToolTip(f"Point this step at {selector}, an element the page has "
                              "(Undo brings the old one back)")
            button.clicked.connect(lambda _=False, s=selector: self.apply(s))
            self._flow.addWidget(button)
            self.buttons.append(button)
        self.text.setText(hint.text if hint is not None else "")
        self.prompt.setText("Did you mean this one? Click to use it." if len(self.buttons) == 1
                            else "Did you mean one of these? Click one to use it.")
        self.prompt.setVisible(bool(self.buttons))
        self.choices.setVisible(bool(self.buttons))
        self.shownChanged.emit(hint is not None)

    def apply(self, selector: str) -> None:
        """Point the step at ``selector``: one undoable edit."""
        path = self._path_fn()
        if path is not None:
            self.document.set_value(path, selector, text=f"Use element {selector}",
                                    origin=self, merge=False)
