"""The inspector: the selected guide's forms, one column on the right of the canvas.

It holds the guide editor (``EditorPages`` puts it here) or, with no guide
selected, a line saying what it is for. Segments, themes, settings and
profiles are edited in the centre, which needs the width: while one of them
is shown the inspector steps aside, and comes back with the next guide —
unless the user closed it, which it remembers.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QStackedWidget, QWidget

from guidestudio.app.editor_area import INSPECTED, notice

HINT = ("Select a guide in the project tree: its content, audience and settings are "
        "edited here, next to the canvas.")
OPENING = "Opening the guide…"


class InspectorDock(QDockWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Inspector", parent)
        self.setObjectName("inspectorDock")  # saveState/restoreState key
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("inspector")
        self.hint = notice(HINT, self.stack)
        self.stack.addWidget(self.hint)
        self.setWidget(self.stack)
        self.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea
                             | Qt.DockWidgetArea.RightDockWidgetArea)
        #: Hidden by ``follow`` (not by the user): shown again with the next guide.
        self.stepped_aside = False
        self.toggleViewAction().triggered.connect(self._user_toggled)

    def show_hint(self, opening: bool = False) -> None:
        self.hint.setText(OPENING if opening else HINT)
        self.stack.setCurrentWidget(self.hint)

    def follow(self, kind: str) -> None:
        """Step aside for an item edited in the centre; come back for a guide."""
        if kind and kind not in INSPECTED:
            if not self.isHidden():
                self.stepped_aside = True
                self.hide()
        elif self.stepped_aside:
            self.stepped_aside = False
            self.show()

    def _user_toggled(self, _checked: bool) -> None:
        self.stepped_aside = False  # the user decides from now on
