"""A picture file dropped on the canvas becomes the shown step's picture, as on its form.

The canvas (``widgets/preview``) and the guide's forms (``widgets/guide``) may
not know each other, so the window joins them here. Without this a file
dropped on the canvas would go to the web engine, which opens it in place of
the host page; every local file dropped there is therefore taken and handed to
the step form's ``add_picture_file`` — a picture is copied and set (one undo
step), anything else is refused with the form's sentence, and the inspector is
brought up so the author sees which and writes the description.

The web view draws through a child widget it makes when it first shows a page
(and may remake), which is what receives the drag; the filter watches the
canvas's children as they are added and filters each.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QChildEvent, QEvent, QObject
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QWidget

from guidestudio.widgets.guide.picture_box import dropped_file

_DRAGS = (QEvent.Type.DragEnter, QEvent.Type.DragMove)


class CanvasPictureDrop(QObject):
    """Filters ``canvas`` and its descendants; ``forms()`` is the guide editor shown, or None."""

    def __init__(self, canvas: QWidget, forms: Callable[[], QObject | None],
                 reveal: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._forms = forms
        self._reveal = reveal
        self._watch(canvas)

    def _watch(self, widget: QWidget) -> None:
        widget.installEventFilter(self)  # installing twice keeps one entry
        for child in widget.findChildren(QWidget):
            child.installEventFilter(self)

    def _step_form(self) -> QObject | None:
        forms = self._forms()
        step = getattr(forms, "step_editor", None) if forms is not None else None
        return step if callable(getattr(step, "add_picture_file", None)) else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind == QEvent.Type.ChildAdded and isinstance(event, QChildEvent):
            child = event.child()
            if isinstance(child, QWidget):
                self._watch(child)
            return False
        if kind in _DRAGS and isinstance(event, (QDragEnterEvent, QDragMoveEvent)):
            if dropped_file(event) is None or self._step_form() is None:
                return False
            event.acceptProposedAction()
            return True
        if kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            path = dropped_file(event)
            step = self._step_form()
            if path is None or step is None:
                return False
            event.acceptProposedAction()
            self._reveal()
            step.add_picture_file(path)  # type: ignore[attr-defined]
            return True
        return False
