"""File ▸ Import translations: what a returned XLIFF file would change, before it does.

The plan (``core/l10n/importer.plan_import``) was made without touching the
project; this dialog shows it: per guide, each text that changes with what it
says now and what it will say, whether the language joins the project, how
many units came back untranslated — or, for a bad file, every problem with its
line, and nothing to apply. "Apply" hands the plan back to the window, which
makes it one step on the undo stack.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRect, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core.catalogue import label_of
from guidestudio.core.describe.trail import language_name
from guidestudio.core.l10n.importer import ImportPlan
from guidestudio.core.model import Project
from guidestudio.core.rich_text import plain_words

_KIND_WORDS = {"new": "New", "changed": "Changed", "reviewed": "Reviewed, same words"}


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 160 else text[:159] + "…"


def describe(plan: ImportPlan) -> str:
    """The plan in a sentence or two, for the dialog and the status bar."""
    language = f"{language_name(plan.locale)} ({plan.locale})" if plan.locale else "this file"
    if not plan.ok:
        errors = sum(1 for p in plan.problems if p.is_error)
        return (f"This file cannot be imported: {errors} problem{'s' * (errors != 1)} "
                f"(below). Nothing was changed.")
    if not plan.changes:
        return (f"Nothing to import: every {language} text in the file is already in the "
                f"project ({plan.untranslated} untranslated).")
    kinds = [c.kind for c in plan.changes]
    parts = [f"{kinds.count(k)} {w.lower()}" for k, w in _KIND_WORDS.items() if kinds.count(k)]
    text = (f"{len(plan.changes)} {language} text{'s' * (len(plan.changes) != 1)} in "
            f"{len(plan.guides())} guide{'s' * (len(plan.guides()) != 1)} will change: "
            f"{', '.join(parts)}.")
    if plan.adds_locale:
        text += f" {language_name(plan.locale)} joins the project's languages."
    if plan.untranslated:
        text += (f" {plan.untranslated} text{'s' * (plan.untranslated != 1)} came back "
                 f"untranslated and stay as they are.")
    return text + " One Undo takes it all back."


@dataclass(frozen=True)
class SummaryRow:
    """One text of the summary as the dialog shows it: worked out without Qt, so that the
    window can have a worker thread do it for 96,000 texts."""

    label: str
    before_words: str
    after_words: str
    kind: str
    before: str
    after: str


#: Per guide that changes: its name as shown, and its rows.
SummaryRows = list[tuple[str, list[SummaryRow]]]


def summary_rows(plan: ImportPlan, project: Project) -> SummaryRows:
    """What the dialog lists, texts as people read them (no Markdown marks, a placeholder as
    ‹its attribute›). Reads the project only: safe on a worker thread."""

    def words(markdown: str) -> str:
        return _one_line(plain_words(markdown, lambda attr: label_of(project, attr))) \
            if markdown.strip() else ""

    out: SummaryRows = []
    for guide_id, changes in plan.guides().items():
        guide = project.guides.get(guide_id)
        out.append((guide.name if guide is not None else guide_id,
                    [SummaryRow(c.unit.label, words(c.before) or "(missing)", words(c.after),
                                c.kind, c.before, c.after) for c in changes]))
    return out


class TranslationImportDialog(QDialog):
    """The summary; ``apply_requested`` when the user chooses to apply.

    A plan of thousands of texts fills its list in slices of the event loop
    (``filled`` when done, ``complete`` from then on) instead of freezing the
    window for seconds; a small one is complete when constructed."""

    apply_requested = Signal()
    filled = Signal()

    #: Up to this many texts the list is filled at once, in the constructor, and shown open.
    FILL_AT_ONCE = 2000
    #: The longest one slice of filling holds the GUI thread.
    FILL_SLICE_S = 0.02

    def __init__(self, plan: ImportPlan, project: Project, parent: QWidget | None = None,
                 rows: SummaryRows | None = None) -> None:
        """``rows``: ``summary_rows(plan, project)`` if already worked out (off the GUI
        thread)."""
        super().__init__(parent)
        self.plan = plan
        language = language_name(plan.locale) if plan.locale else "translations"
        self.setWindowTitle(f"Import {language} translations" if plan.locale
                            else "Import translations")
        layout = QVBoxLayout(self)
        heading = QLabel(f"From {Path(plan.file).name}", self)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setToolTip(plan.file)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        self.summary = QLabel(describe(plan), self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        self.problems = QListWidget(self)
        for problem in plan.problems:
            self.problems.addItem(problem.format())
        self.problems.setWordWrap(True)
        self.problems.setVisible(bool(plan.problems))
        layout.addWidget(self.problems, 1)

        self.changes = QTreeWidget(self)
        self.changes.setHeaderLabels(["Text", f"{language} now", "After the import", ""])
        self.changes.setRootIsDecorated(True)
        self.changes.setWordWrap(True)
        self.changes.setUniformRowHeights(False)
        self._grey = QBrush(self.palette().color(self.palette().ColorRole.PlaceholderText))
        self._new = QBrush(QColor(40, 160, 80, 45))
        # All new: a column of "(missing)" says nothing the summary does not.
        self.changes.setColumnHidden(1, all(c.kind == "new" for c in plan.changes))
        self.changes.setVisible(bool(plan.changes))
        layout.addWidget(self.changes, 3)

        self.buttons = QDialogButtonBox(self)
        self.apply_button = self.buttons.addButton("&Apply as one change",
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setVisible(plan.ok and bool(plan.changes))
        self.apply_button.setDefault(True)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel
                                       if plan.ok and plan.changes
                                       else QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)
        self.buttons.accepted.connect(self._apply)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        screen = (parent or self).screen()
        self.fit_screen(screen.availableGeometry() if screen is not None else None)

        self.complete = False
        self._open_rows = 0
        self._rows = iter(rows if rows is not None else summary_rows(plan, project))
        self._slices = QTimer(self)
        self._slices.setInterval(0)
        self._slices.timeout.connect(self._fill_slice)
        if len(plan.changes) <= self.FILL_AT_ONCE:
            self._fill(None)
        else:
            self.changes.setUpdatesEnabled(False)
            self._slices.start()

    def _fill_slice(self) -> None:
        self._fill(time.perf_counter() + self.FILL_SLICE_S)

    def _fill(self, until: float | None) -> None:
        """Add guides with their texts until ``until`` (None: all); the last one finishes."""
        for name, rows in self._rows:
            top = QTreeWidgetItem([name, "", "", f"{len(rows)} text{'s' * (len(rows) != 1)}"])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            for row in rows:
                item = QTreeWidgetItem([row.label, row.before_words, row.after_words,
                                        _KIND_WORDS[row.kind]])
                if not row.before.strip():
                    item.setForeground(1, self._grey)
                if row.kind == "new":
                    item.setBackground(2, self._new)
                item.setToolTip(2, row.after)
                item.setToolTip(1, row.before)
                top.addChild(item)
            self.changes.addTopLevelItem(top)
            # Open as long as a few thousand texts show: laying out 96,000 open rows froze
            # the window for a second, and nobody reads that far; the rest are a click away.
            if self._open_rows == 0 or self._open_rows + len(rows) <= self.FILL_AT_ONCE:
                top.setExpanded(True)
                self._open_rows += len(rows)
            if until is not None and time.perf_counter() > until:
                return
        self._slices.stop()
        header = self.changes.header()
        header.setStretchLastSection(False)  # the texts take the room, not "New"
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.changes.setUpdatesEnabled(True)
        self.complete = True
        self.filled.emit()

    def fit_screen(self, area: QRect | None = None) -> None:
        """Wide enough for the old and new texts side by side, within the screen."""
        width, height = (area.width(), area.height()) if area is not None else (1280, 800)
        self.resize(min(1200, int(width * 0.85)), min(760, int(height * 0.85)))

    def _apply(self) -> None:
        if self.plan.ok and self.plan.changes:
            self.apply_requested.emit()
        self.accept()
