"""File ▸ Import translations: what a returned XLIFF file would change, before it does.

The plan (``core/l10n/importer.plan_import``) was made without touching the
project; this dialog shows it: per guide, each text that changes with what it
says now and what it will say, whether the language joins the project, how
many units came back untranslated — or, for a bad file, every problem with its
line, and nothing to apply. "Apply" hands the plan back to the window, which
makes it one step on the undo stack.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt, Signal
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


class TranslationImportDialog(QDialog):
    """The summary; ``apply_requested`` when the user chooses to apply."""

    apply_requested = Signal()

    def __init__(self, plan: ImportPlan, project: Project, parent: QWidget | None = None) -> None:
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
        grey = QBrush(self.palette().color(self.palette().ColorRole.PlaceholderText))

        def words(markdown: str) -> str:
            """As people read it: no Markdown marks, a placeholder as ‹its attribute›."""
            return _one_line(plain_words(markdown, lambda attr: label_of(project, attr))) \
                if markdown.strip() else ""

        for guide_id, changes in plan.guides().items():
            guide = project.guides.get(guide_id)
            top = QTreeWidgetItem([guide.name if guide is not None else guide_id, "", "",
                                   f"{len(changes)} text{'s' * (len(changes) != 1)}"])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            self.changes.addTopLevelItem(top)
            for change in changes:
                item = QTreeWidgetItem([change.unit.label, words(change.before) or "(missing)",
                                        words(change.after), _KIND_WORDS[change.kind]])
                if not change.before.strip():
                    item.setForeground(1, grey)
                if change.kind == "new":
                    item.setBackground(2, QBrush(QColor(40, 160, 80, 45)))
                item.setToolTip(2, change.after)
                item.setToolTip(1, change.before)
                top.addChild(item)
        self.changes.expandAll()
        header = self.changes.header()
        header.setStretchLastSection(False)  # the texts take the room, not "New"
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
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

    def fit_screen(self, area: QRect | None = None) -> None:
        """Wide enough for the old and new texts side by side, within the screen."""
        width, height = (area.width(), area.height()) if area is not None else (1280, 800)
        self.resize(min(1200, int(width * 0.85)), min(760, int(height * 0.85)))

    def _apply(self) -> None:
        if self.plan.ok and self.plan.changes:
            self.apply_requested.emit()
        self.accept()
