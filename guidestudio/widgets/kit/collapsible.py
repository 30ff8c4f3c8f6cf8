"""A section that opens with a click: settings most people never need stay out of the way.

The experiment's key, seed and namespace matter to whoever reads the analytics,
not to the marketer choosing how many people take part; folding them under
"Advanced" keeps the form short without hiding that they exist. The editor's
``reveal`` opens a folded section when a problem points at a field inside it,
and a section whose fields have a problem says so on its header, so nothing
wrong is ever folded away unseen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSizePolicy, QToolButton, QVBoxLayout, QWidget


class Collapsible(QWidget):
    """A header button with an arrow and a ``body`` widget shown only while open."""

    toggled = Signal(bool)

    def __init__(self, title: str, tooltip: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.header = QToolButton(self)
        self.header.setText(title)
        self.header.setToolTip(tooltip)
        self.header.setCheckable(True)
        self.header.setAutoRaise(True)
        self.header.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setArrowType(Qt.ArrowType.RightArrow)
        self.header.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.body = QWidget(self)
        self.body.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.header, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.body)
        self.header.toggled.connect(self._toggled)
        self._update_accessible()

    def is_expanded(self) -> bool:
        return self.header.isChecked()

    def set_expanded(self, expanded: bool) -> None:
        self.header.setChecked(expanded)  # toggled -> _toggled, once, only on a change

    def set_attention(self, message: str) -> None:
        """Tell on the header that something inside needs a look ("" clears it)."""
        self.header.setText(f"{self.title} — {message}" if message else self.title)
        self._update_accessible()

    def _toggled(self, expanded: bool) -> None:
        self.header.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)
        self._update_accessible()
        self.toggled.emit(expanded)

    def _update_accessible(self) -> None:
        state = "open" if self.is_expanded() else "closed"
        self.header.setAccessibleName(f"{self.header.text()} ({state})")
