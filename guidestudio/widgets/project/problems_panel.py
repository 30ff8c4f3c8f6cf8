"""Every problem of the open project, errors first; clicking one jumps to it.

While the document is still checking (a big project just opened, or reloaded)
a progress bar above the list says so: an empty list then means "not known
yet", not "no problems". The panel only lists. ``problemActivated(Problem)``
(a click, or Enter) tells the main window where to go; it knows which editor
shows the file and asks it to ``focus_field(problem.field)``.

Where a problem is, is said by ``problem_location`` — the one place that
turns a problem into the words of the Location column; the file and line
stay in the row's tooltip for those who open the files themselves.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QProgressBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core.model import Project
from guidestudio.core.problems import Problem, count, sort_key
from guidestudio.widgets.kit.editing import EditableDocument, all_problems
from guidestudio.widgets.kit.icons import severity_icon

log = logging.getLogger(__name__)
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 1
#: The field's dotted path is for power users: it is in the tooltip, not a column.
COLUMNS = ("Severity", "Location", "Message")
Index = QModelIndex | QPersistentModelIndex
NO_INDEX = QModelIndex()  # the default "parent" argument (the invisible root)


def problem_location(project: Project | None, problem: Problem) -> str:
    """Where ``problem`` is, in the author's words ("Storage almost full › Step 1 ›
    Title"); the file and line stay in the tooltip for whoever opens the YAML."""
    if project is None:
        return file_location(problem)
    # Loaded with the first problem shown: it reads the project's file layout, which the
    # window must not import before it shows (the loader thread does).
    from guidestudio.core.describe import problem_trail

    try:
        return problem_trail(project, problem)
    except Exception:  # a trail is a courtesy: never lose the problem over it
        log.exception("no trail for %s", problem.format())
        return file_location(problem)


def problem_message(project: Project | None, problem: Problem) -> str:
    """What the problem is, in the forms' words (names, labels) rather than the validator's
    ids and YAML keys, which the CLI keeps."""
    if project is None:
        return problem.message
    from guidestudio.core.describe import problem_words  # see problem_location

    try:
        return problem_words(project, problem)
    except Exception:  # words are a courtesy: never lose the problem over them
        log.exception("no words for %s", problem.format())
        return problem.message


def file_location(problem: Problem) -> str:
    """The file (and line) a problem is in, for the tooltip."""
    return problem.file if problem.line is None else f"{problem.file}:{problem.line}"


class ProblemsModel(QAbstractTableModel):
    """The document's problems as rows; replaced wholesale on ``problemsChanged``.

    Problems come as a fresh list from each validation pass, so a reset is both
    the simplest and the honest description of what changed.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._problems: list[Problem] = []
        self._project: Project | None = None
        self._locations: dict[int, str] = {}  # row -> Location text, made when first shown
        self._messages: dict[int, str] = {}  # row -> Message text, likewise

    def set_problems(self, problems: list[Problem], project: Project | None = None) -> None:
        ordered = sorted(problems, key=sort_key)
        if ordered == self._problems and project is self._project:
            self._locations.clear()  # names (a guide renamed) may have changed
            self._messages.clear()
            if ordered:
                self.dataChanged.emit(self.index(0, 1), self.index(len(ordered) - 1, 2))
            return
        self.beginResetModel()
        self._problems = ordered
        self._project = project
        self._locations.clear()
        self._messages.clear()
        self.endResetModel()

    @property
    def problems(self) -> list[Problem]:
        return list(self._problems)

    def rowCount(self, parent: Index = NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self._problems)

    def columnCount(self, parent: Index = NO_INDEX) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._problems):
            return None
        problem = self._problems[index.row()]
        column = index.column()
        if role == PROBLEM_ROLE:
            return problem
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return problem.severity.capitalize()
            if column == 1:
                return self._location(index.row(), problem)
            return self._message(index.row(), problem)
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return severity_icon(problem.severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            field = f"\nField: {problem.field}" if problem.field else ""
            return (f"{self._message(index.row(), problem)}\nLocation: "
                    f"{file_location(problem)}{field}\nClick or press Enter to go there.")
        return None

    def first_of_each_severity(self) -> list[int]:
        """One row of each severity (the rows' first column differs by nothing else)."""
        first: dict[str, int] = {}
        for row, problem in enumerate(self._problems):
            first.setdefault(problem.severity, row)
        return list(first.values())

    def _message(self, row: int, problem: Problem) -> str:
        text = self._messages.get(row)
        if text is None:
            text = self._messages[row] = problem_message(self._project, problem)
        return text

    def _location(self, row: int, problem: Problem) -> str:
        text = self._locations.get(row)
        if text is None:
            text = self._locations[row] = problem_location(self._project, problem)
        return text


class _ProblemsView(QTreeView):
    """The list; the Severity column is as wide as its widest severity, found in one row each.

    That column sizes itself to its contents: Qt would ask for every row's text and icon
    on each reset (~30,000 calls into Python for 900 problems, a visible freeze when a big
    project's problems arrive), while its rows differ only by severity.
    """

    def sizeHintForColumn(self, column: int) -> int:
        model = self.model()
        if not isinstance(model, ProblemsModel) or column not in (0, 1):
            return super().sizeHintForColumn(column)
        if column == 0:
            rows = model.first_of_each_severity()
        else:  # the location: the trails in view (each one is worked out when first shown)
            first = self.indexAt(self.viewport().rect().topLeft()).row()
            last = self.indexAt(self.viewport().rect().bottomLeft()).row()
            first = max(first, 0)
            rows = range(first, (last if last >= 0 else model.rowCount() - 1) + 1)
            rows = rows[:VISIBLE_ROWS]
        return max((self.sizeHintForIndex(model.index(row, column)).width() for row in rows),
                   default=-1)


#: At most this many rows are measured to fit the location column (a screenful).
VISIBLE_ROWS = 60


#: The location column's share of the panel at most, its narrowest, and room beside its text.
LOCATION_SHARE, LOCATION_MIN, LOCATION_ROOM = 0.35, 120, 12


class ProblemsPanel(QWidget):
    problemActivated = Signal(object)  # Problem
    countsChanged = Signal(int, int)  # errors, warnings

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document: EditableDocument | None = None
        self.model = ProblemsModel(self)
        self.view = _ProblemsView(self)
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAccessibleName("Problems")
        self.view.setToolTip("Every validation problem of the project, errors first. "
                             "Click one, or press Enter, to go to the field.")
        header = self.view.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 360)  # a trail: "Guide › Step 1 › Title"
        header.setStretchLastSection(True)
        self._location_set_by_user = False
        self._fitting = False
        header.sectionResized.connect(self._section_resized)
        # A click and Enter, explicitly: ``activated`` depends on the platform's style
        # (double-click on some), and moving through the rows with the arrow keys must
        # not jump away from the list.
        self.view.clicked.connect(self._activated)
        self.view.installEventFilter(self)  # Enter/Return on the current row
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Checking the project")
        self.progress.setToolTip("The project is being checked; problems are listed when done")
        self.progress.setFormat("Checking the project… %v of %m")
        self.progress.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress)
        layout.addWidget(self.view)
        self.setFocusProxy(self.view)

    def set_document(self, document: EditableDocument | None) -> None:
        if self._document is not None:
            self._document.problemsChanged.disconnect(self.refresh)
            self._document.validationProgress.disconnect(self._show_progress)
        self._document = document
        if document is not None:
            document.problemsChanged.connect(self.refresh)
            document.validationProgress.connect(self._show_progress)
        self.refresh()

    @property
    def checking(self) -> bool:
        return self._document is not None and self._document.validating

    def _show_progress(self, done: int, total: int) -> None:
        if not self.checking:
            self.progress.hide()
            return
        self.progress.setRange(0, max(total, 0))  # 0..0: a busy bar until the first slice
        self.progress.setValue(done)
        self.progress.show()

    def refresh(self) -> None:
        document = self._document
        problems = all_problems(document) if document is not None else []
        self.model.set_problems(problems, getattr(document, "project", None))
        if self.checking:
            self._show_progress(0, 0)
        else:
            self.progress.hide()
        self._fit_location()
        self.countsChanged.emit(*count(problems))

    def _fit_location(self) -> None:
        """The location column as wide as its trails but at most ``LOCATION_SHARE`` of the
        panel, so the message — what to do — is not the column cut short (until the user
        sizes the column: then it is theirs)."""
        if self._location_set_by_user:
            return
        header = self.view.header()
        need = max(self.view.sizeHintForColumn(1), header.sectionSizeHint(1)) + LOCATION_ROOM
        width = max(LOCATION_MIN, min(need, int(self.view.viewport().width() * LOCATION_SHARE)))
        if width != header.sectionSize(1):
            self._fitting = True
            try:
                header.resizeSection(1, width)
            finally:
                self._fitting = False

    def _section_resized(self, section: int, _old: int, _new: int) -> None:
        if section == 1 and not self._fitting:
            self._location_set_by_user = True

    def counts(self) -> tuple[int, int]:
        return count(self.model.problems)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self._fit_location()
        if (watched is self.view and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and self.view.currentIndex().isValid()):
            self._activated(self.view.currentIndex())
            return True
        return super().eventFilter(watched, event)

    def _activated(self, index: QModelIndex) -> None:
        problem = index.siblingAtColumn(0).data(PROBLEM_ROLE)
        if problem is not None:
            self.problemActivated.emit(problem)
