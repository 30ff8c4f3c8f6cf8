"""What the centre shows when there is no guide to put on the canvas: what to do next.

Two situations, each with the buttons that resolve it: no project open
(open one, or create one), and a project with nothing selected (pick a guide
in the tree, or create one). The buttons trigger the window's own actions, so
they do exactly what the menu entries of the same name do.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from guidestudio.widgets.kit.icons import icon

NO_PROJECT = ("No project open",
              "Open a project folder to work on its guides, or create a new project: it "
              "starts with a welcome guide you can change.")
NOTHING_SELECTED = ("Pick a guide or create one",
                    "Choose a guide in the project tree on the left to see it here, as your "
                    "users will, and edit it. Or create a new one.")
NO_GUIDES = ("This project has no guides yet",
             "Create the first one: start blank with the kind of guide you need, or from a "
             "starter that already has the text and rules of a common play.")


def plain(text: str) -> str:
    """An action's text as a button shows it: without its mnemonic marker ("&Open")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


class EmptyState(QWidget):
    """A title, a sentence and a row of buttons, centred (see the module docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.picture = QLabel(self)
        self.picture.setPixmap(icon("app").pixmap(64, 64))
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.text = QLabel(self)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        # A column of readable width, centred: a wrapped label given only its size hint
        # would be narrow and cut off.
        body = QWidget(self)
        body.setMaximumWidth(560)
        self._column = QVBoxLayout(body)
        self._column.addWidget(self.picture)
        self._column.addSpacing(8)
        self._column.addWidget(self.title)
        self._column.addWidget(self.text)
        self._column.addSpacing(16)
        self._row = QWidget(body)
        self._column.addWidget(self._row)
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(body, 3)
        middle.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(middle)
        outer.addStretch(2)
        self.buttons: list[QPushButton] = []

    def show_state(self, state: tuple[str, str], actions: list[QAction]) -> None:
        """Say ``state`` (title, sentence) and offer ``actions`` as buttons (first: default)."""
        self.title.setText(state[0])
        self.text.setText(state[1])
        row = QWidget(self._row.parentWidget())
        layout = QHBoxLayout(row)
        layout.setSpacing(12)
        layout.addStretch(1)
        self.buttons = []
        for i, action in enumerate(actions):
            button = QPushButton(action.icon(), plain(action.iconText() or action.text()), row)
            button.setToolTip(action.toolTip())
            button.setMinimumHeight(34)
            if action.menu() is not None:
                button.setMenu(action.menu())
            else:
                button.clicked.connect(action.trigger)
            button.setDefault(i == 0)
            layout.addWidget(button)
            self.buttons.append(button)
        layout.addStretch(1)
        self._column.replaceWidget(self._row, row)
        self._row.deleteLater()
        self._row = row
