"""After a crash: which unsaved work to bring back, file by file, in the author's words.

Each guide (segment, theme…) with unsaved work is a row: its name, what was
done to it, and a choice between the recovered work and what is on disk. A
file that another program changed since (a teammate's sync, git, a text editor)
is flagged and has NO preselected choice: restoring it would undo that change,
so the user decides, after comparing field by field if they like.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core.files.recovery_journal import Choice, RecoveredFile, compare_fields

# (what was done, the recovered choice, the disk's choice, the disk's choice when it changed)
_WORDS = {
    "edited": ("edited, not saved", "Restore my edits", "Keep the saved version",
               "Keep the version on disk"),
    "added": ("new, not saved", "Restore it", "Leave it out", "Keep the version on disk"),
    "deleted": ("deleted, not saved", "Delete it again", "Keep it", "Keep the version on disk"),
}


def when(saved_at: str) -> str:
    """"today at 15:32" from the journal's UTC stamp, in local time."""
    try:
        moment = datetime.strptime(saved_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return saved_at or "your last session"
    moment = moment.astimezone()
    day = "today" if moment.date() == datetime.now().astimezone().date() \
        else moment.strftime("%d %B %Y")
    return f"{day} at {moment:%H:%M}"


class CompareDialog(QDialog):
    """Field by field: the recovered work against the file on disk."""

    def __init__(self, item: RecoveredFile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Compare — {item.label}")
        rows = compare_fields(item.mine, item.disk)
        intro = QLabel(f"What differs between your unsaved work on {item.label} and the "
                       "version on disk:" if rows else "The two versions are the same.", self)
        intro.setWordWrap(True)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setHorizontalHeaderLabels(["Field", "Your unsaved work", "On disk"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for r, (name, mine, disk) in enumerate(rows):
            for c, text in enumerate((name[:1].upper() + name[1:], mine, disk)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.table.setItem(r, c, cell)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, min(480, 150 + 40 * len(rows)))


class _Row(QFrame):
    """One file: its name, what happened, and the two choices."""

    def __init__(self, item: RecoveredFile, parent: QWidget) -> None:
        super().__init__(parent)
        self.item = item
        self.setFrameShape(QFrame.Shape.StyledPanel)
        did, restore, keep, keep_changed = _WORDS[item.action]
        title = QLabel(f"<b>{_escape(item.label)}</b> — {did}", self)
        title.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        if item.changed_on_disk:
            note = QLabel("⚠ <b>Changed on disk since then</b> (by another program, a sync or "
                          "git). Restoring your work would undo that change — choose which to "
                          "keep.", self)
            note.setWordWrap(True)
            note.setObjectName("changedOnDisk")
            layout.addWidget(note)
        self.mine = QRadioButton(restore, self)
        self.disk = QRadioButton(keep_changed if item.changed_on_disk else keep, self)
        self.group = QButtonGroup(self)
        self.group.addButton(self.mine)
        self.group.addButton(self.disk)
        if item.default == "mine":
            self.mine.setChecked(True)
        choices = QHBoxLayout()
        choices.addWidget(self.mine)
        choices.addWidget(self.disk)
        choices.addStretch(1)
        if item.mine is not None and item.disk is not None:
            self.compare = QPushButton("Compare…", self)
            self.compare.setToolTip("See field by field what differs from the version on disk")
            self.compare.clicked.connect(self._compare)
            choices.addWidget(self.compare)
        layout.addLayout(choices)

    def choice(self) -> Choice | None:
        if self.mine.isChecked():
            return "mine"
        if self.disk.isChecked():
            return "disk"
        return None

    def _compare(self) -> None:
        dialog = CompareDialog(self.item, self)
        dialog.exec()
        dialog.deleteLater()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class RestoreDialog(QDialog):
    """``choices()`` after ``exec()``: {file: "mine" | "disk"}, or None to restore nothing."""

    def __init__(self, items: list[RecoveredFile], saved_at: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore unsaved work")
        changed = sum(item.changed_on_disk for item in items)
        heading = QLabel("<b>Guide Studio closed before your work was saved.</b>", self)
        text = (f"This is your unsaved work from {when(saved_at)}. Choose what to bring back; "
                "nothing is written to your project until you save.")
        if changed:
            text += (f" {changed} of them changed on disk since — pick a version for each."
                     if changed > 1 else " One of them changed on disk since — pick a version.")
        intro = QLabel(text, self)
        intro.setWordWrap(True)
        # What needs a decision first: files changed on disk since.
        ordered = sorted(items, key=lambda item: not item.changed_on_disk)
        self.rows = [_Row(item, self) for item in ordered]
        inner = QWidget(self)
        column = QVBoxLayout(inner)
        for row in self.rows:
            column.addWidget(row)
            row.group.buttonClicked.connect(self._update)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        scroll.setMinimumHeight(min(inner.sizeHint().height(), 420))
        self.buttons = QDialogButtonBox(self)
        self.restore_button = self.buttons.addButton("Restore",
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        self.discard_button = self.buttons.addButton("Discard all unsaved work",
                                                     QDialogButtonBox.ButtonRole.RejectRole)
        self.discard_button.setToolTip("Open the project as it is on disk; the unsaved work "
                                       "is gone for good")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.resize(660, self.sizeHint().height())
        self._update()

    def row(self, rel: str) -> _Row:
        return next(row for row in self.rows if row.item.rel == rel)

    def _update(self, *_args: object) -> None:
        undecided = [row.item.label for row in self.rows if row.choice() is None]
        self.restore_button.setEnabled(not undecided)
        self.restore_button.setDefault(not undecided)
        self.hint.setText("Choose a version for " + ", ".join(undecided) + " to continue."
                          if undecided else "")
        self.hint.setVisible(bool(undecided))

    def choices(self) -> dict[str, Choice] | None:
        if self.result() != QDialog.DialogCode.Accepted:
            return None
        return {row.item.rel: choice for row in self.rows
                if (choice := row.choice()) is not None}


def ask(parent: QWidget | None, items: list[RecoveredFile],
        saved_at: str) -> dict[str, Choice] | None:
    """Show the dialog; the user's choice per file, or None to restore nothing."""
    dialog = RestoreDialog(items, saved_at, parent)
    try:
        dialog.exec()
        return dialog.choices()
    finally:
        dialog.deleteLater()
