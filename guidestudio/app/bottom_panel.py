"""The one panel below the canvas: Problems, and the preview's log, as tabs that fold away.

Problems are the project's; the preview log — would the sample user see this
guide, and what the runtime and the page said — comes from the canvas, which
makes it when the first guide is shown (``set_log``). Until then the tab says
so. Clicking the open tab, or the fold button, folds the panel down to its
tab bar so the canvas gets the height; clicking a tab unfolds it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QHBoxLayout,
    QStackedWidget,
    QTabBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from guidestudio.app.editor_area import notice
from guidestudio.widgets.kit.icons import icon

LOG_HINT = ("Whether the selected sample user would see the guide, and what the runtime and "
            "the page report while it shows, appear here once a guide is on the canvas.")
QWIDGETSIZE_MAX = (1 << 24) - 1


class BottomPanel(QWidget):
    """Signals ``collapsedChanged(bool)``; the window gives the height back on unfolding.

    A tab bar over a stack rather than a ``QTabWidget``: folded, the stack is
    hidden and the layout leaves it out, so nothing of a page's minimum
    height keeps the panel tall.
    """

    collapsedChanged = Signal(bool)
    PROBLEMS, LOG = 0, 1

    def __init__(self, problems: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bottomPanel")
        self.tabs = QTabBar(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setDrawBase(False)
        self.tabs.setExpanding(False)
        self.pages = QStackedWidget(self)
        self.problems = problems
        self.log_stack = QStackedWidget(self.pages)
        self.log_hint = notice(LOG_HINT, self.log_stack)
        self.log_stack.addWidget(self.log_hint)
        self.log: QWidget | None = None
        for page, title, tip in (
                (problems, "Problems", "Errors and warnings in the project; click one to go "
                                       "to it"),
                (self.log_stack, "Preview log", "Would the sample user see this guide, and "
                                                "what the runtime and the page reported")):
            self.pages.addWidget(page)
            index = self.tabs.addTab(title)
            self.tabs.setTabToolTip(index, tip)
        self.fold = QToolButton(self)
        self.fold.setAutoRaise(True)
        self.fold.clicked.connect(self.toggle)
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 4, 0)
        header.addWidget(self.tabs)
        header.addStretch(1)
        header.addWidget(self.fold)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.pages, 1)
        self.collapsed = False
        self._update_fold()
        self.tabs.currentChanged.connect(self.pages.setCurrentIndex)
        self.tabs.tabBarClicked.connect(self._tab_clicked)

    def currentIndex(self) -> int:  # noqa: N802 (reads like the Qt widgets around it)
        return self.tabs.currentIndex()

    def setCurrentIndex(self, index: int) -> None:  # noqa: N802
        self.tabs.setCurrentIndex(index)

    # --- the log -------------------------------------------------------------------------

    def set_log(self, log: QWidget | None) -> None:
        """Show the canvas's log (None: the canvas went away with its project)."""
        old, self.log = self.log, log
        if old is not None:
            self.log_stack.removeWidget(old)
            old.deleteLater()
        if log is not None:
            self.log_stack.addWidget(log)  # takes it out of the canvas's layout
            self.log_stack.setCurrentWidget(log)
        else:
            self.log_stack.setCurrentWidget(self.log_hint)

    # --- folding ---------------------------------------------------------------------------

    def set_counts(self, text: str, severity: str) -> None:
        """The Problems tab's title says how many there are even while folded."""
        self.tabs.setTabText(self.PROBLEMS, f"Problems · {text}" if text else "Problems")
        self.tabs.setTabIcon(self.PROBLEMS, icon(f"severity-{severity}") if severity else QIcon())

    def show_tab(self, index: int) -> None:
        self.setCurrentIndex(index)
        self.set_collapsed(False)

    def toggle(self) -> None:
        self.set_collapsed(not self.collapsed)

    def set_collapsed(self, collapsed: bool) -> None:
        if collapsed == self.collapsed:
            return
        self.collapsed = collapsed
        self.pages.setVisible(not collapsed)
        self._update_fold()
        self.collapsedChanged.emit(collapsed)

    def folded_height(self) -> int:
        return max(self.tabs.sizeHint().height(), self.fold.sizeHint().height())

    def _update_fold(self) -> None:
        self.setMaximumHeight(self.folded_height() if self.collapsed else QWIDGETSIZE_MAX)
        self.fold.setArrowType(Qt.ArrowType.UpArrow if self.collapsed else Qt.ArrowType.DownArrow)
        tip = "Show the panel" if self.collapsed else "Fold the panel away to give the canvas " \
            "its height (click a tab to bring it back)"
        self.fold.setToolTip(tip)
        self.fold.setAccessibleName("Show panel" if self.collapsed else "Fold panel")

    def _tab_clicked(self, index: int) -> None:
        if self.collapsed:
            self.setCurrentIndex(index)
            self.set_collapsed(False)
        elif index == self.currentIndex():
            self.set_collapsed(True)
