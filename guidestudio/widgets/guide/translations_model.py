"""The table behind the languages window: a guide's texts by row, its languages by column.

Rows are ``core/translations.text_rows`` for the guide shown; column 0 names
the text, then one column per project language (the default one first). A
cell shows the text as people see it (``RICH_ROLE``: HTML with bold, links and
each placeholder as its attribute's label), or "Missing" on amber when that
language lacks it, or a "Needs review" badge on violet when the translation was
made from another English than today's (``core/l10n``: an import records the
source's hash); the cell's editor gets the raw Markdown (``EditRole``).
``setData`` is the only write: one edit on the document, never merged with
other typing, so each finished cell edit is one undo step. Editing a
translation that needs review, or ``mark_reviewed``, records today's English
as its source in the same step.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from guidestudio.core import edits, markdown_text
from guidestudio.core.catalogue import label_of
from guidestudio.core.describe.trail import language_name
from guidestudio.core.l10n.units import needs_review as text_needs_review
from guidestudio.core.l10n.units import source_hash, unit_key
from guidestudio.core.translations import TextRow, text_rows
from guidestudio.widgets.kit.editing import EditableDocument

Index = QModelIndex | QPersistentModelIndex

#: The cell as HTML for painting: the text as people see it, the name, or "Missing".
RICH_ROLE = Qt.ItemDataRole.UserRole + 1
PLACEHOLDER_SPAN = re.compile(r'<span data-gs-attr="([^"]*)">.*?</span>', re.DOTALL)
#: Missing translations: the warning amber of marked fields, see-through so it suits
#: light and dark themes alike.
MISSING_BRUSH = QBrush(QColor(224, 160, 0, 70))
MISSING_TEXT = "Missing: double-click to write it"
#: Translations made from an older English: violet, see-through — apart from the amber of
#: missing texts and from the blue of a selection.
REVIEW_BRUSH = QBrush(QColor(140, 80, 210, 60))
REVIEW_TEXT = "Needs review"
EDIT_TIP = "Double-click (or start typing) to edit; Enter keeps it, Esc cancels."
#: Bodies and descriptions take several lines: Enter starts a new one there.
EDIT_TIP_LINES = ("Double-click (or start typing) to edit; Tab or a click elsewhere keeps it, "
                  "Esc cancels.")


def chip_colour() -> str:
    """A placeholder's background: the selection colour, faint, on light and dark themes."""
    palette = QApplication.palette()
    base, accent = palette.color(QPalette.ColorRole.Base), palette.color(
        QPalette.ColorRole.Highlight)
    mix = [round(b * 0.7 + a * 0.3) for b, a in zip(base.getRgb()[:3], accent.getRgb()[:3],
                                                      strict=True)]
    return QColor(*mix).name()


def locales_of(document: EditableDocument) -> list[str]:
    """The project's languages, the default one first."""
    settings = document.project.settings
    locales = list(settings.locales or [settings.default_locale])
    if settings.default_locale in locales:
        locales.remove(settings.default_locale)
        locales.insert(0, settings.default_locale)
    return locales


def summary(counts: dict[str, int], review: dict[str, int] | None = None) -> str:
    """"3 texts missing in Japanese · 1 text needs review in German", or that nothing is."""
    parts = [f"{n} text{'s' if n != 1 else ''} missing in {language_name(locale)}"
             for locale, n in counts.items() if n]
    parts += [f"{n} text{'s need' if n != 1 else ' needs'} review in {language_name(locale)}"
              for locale, n in (review or {}).items() if n]
    return " · ".join(parts) if parts else "Every text is written in every language."


class TranslationsModel(QAbstractTableModel):
    """The rows of ``text_rows`` for one guide; column 0 names the text, then one per language."""

    def __init__(self, document: EditableDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.guide_id: str | None = None
        self.rows: list[TextRow] = []
        self.locales: list[str] = []

    # --- reading -------------------------------------------------------------------------

    def load(self) -> bool:
        """Reread the guide; True when the rows or languages changed (the table was reset)."""
        guide = self.document.project.guides.get(self.guide_id) if self.guide_id else None
        rows = text_rows(guide) if guide is not None else []
        locales = locales_of(self.document)
        if [r.path for r in rows] == [r.path for r in self.rows] and locales == self.locales:
            self.rows = rows
            if rows:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(len(rows) - 1, len(locales)))
            return False
        self.beginResetModel()
        self.rows, self.locales = rows, locales
        self.endResetModel()
        return True

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else 1 + len(self.locales)

    def locale_at(self, column: int) -> str | None:
        return self.locales[column - 1] if 1 <= column <= len(self.locales) else None

    def is_missing(self, row: int, column: int) -> bool:
        locale = self.locale_at(column)
        return locale is not None and locale in self.rows[row].missing_locales(self.locales)

    def needs_review(self, row: int, column: int) -> bool:
        """The translation was made from another English than today's (see the docstring)."""
        locale = self.locale_at(column)
        guide = self.document.project.guides.get(self.guide_id or "")
        if locale is None or guide is None:
            return False
        text_row = self.rows[row]
        return text_needs_review(guide, text_row.path, text_row.values, locale,
                            self.document.project.settings.default_locale)

    def review_counts(self) -> dict[str, int]:
        """How many texts need review, per language."""
        return {locale: sum(self.needs_review(r, c) for r in range(len(self.rows)))
                for c, locale in enumerate(self.locales, start=1)}

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt API)
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        locale = self.locale_at(section)
        return "Text" if locale is None else f"{language_name(locale)} ({locale})"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        locale = self.locale_at(column)
        if locale is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return row.label
            if role == RICH_ROLE:
                return f"<b>{escape(row.label)}</b>"
            return None
        missing = self.is_missing(index.row(), column)
        review = not missing and self.needs_review(index.row(), column)
        if role == RICH_ROLE:
            if missing:
                grey = QApplication.palette().color(QPalette.ColorRole.PlaceholderText).name()
                return f'<i style="color: {grey};">{escape(MISSING_TEXT)}</i>'
            if review:
                return (f'<span style="background-color: {review_badge()}; color: white;">'
                        f'&nbsp;{REVIEW_TEXT}&nbsp;</span> {self.rich(row, locale)}')
            return self.rich(row, locale)
        if role == Qt.ItemDataRole.DisplayRole:
            if missing:
                return MISSING_TEXT
            return f"{REVIEW_TEXT}: {row.text(locale)}" if review else row.text(locale)
        if role == Qt.ItemDataRole.EditRole:
            return row.text(locale)
        if role == Qt.ItemDataRole.BackgroundRole and (missing or review):
            return MISSING_BRUSH if missing else REVIEW_BRUSH
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = EDIT_TIP_LINES if row.multiline else EDIT_TIP
            if missing:
                return (f"{row.label} has no {language_name(locale)} text yet: people using "
                        f"{language_name(locale)} would see another language. {tip}")
            if review:
                default = language_name(self.locales[0])
                return (f"The {default} text changed after this {language_name(locale)} "
                        f"translation was made: check it still says the same. Editing it, or "
                        f"Mark reviewed (right-click), records it as reviewed. {tip}")
            return f"{row.label} in {language_name(locale)}. {tip}"
        return None

    def rich(self, row: TextRow, locale: str) -> str:
        """The text as people see it (bold, links, a placeholder as its attribute's label),
        as HTML for the table; the raw Markdown is what the cell's editor edits."""
        text = row.text(locale)
        if not text:
            return ""
        html = markdown_text.render(text, inline=not row.multiline,
                                    links="buttons" not in row.path).html
        return PLACEHOLDER_SPAN.sub(
            lambda m: (f'<span style="background-color: {chip_colour()};">'
                       f'&nbsp;{escape(label_of(self.document.project, m.group(1)))}&nbsp;'
                       f'</span>'), html)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and index.column() >= 1:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    # --- writing -------------------------------------------------------------------------

    def setData(self, index: Index, value: Any,  # noqa: N802 (Qt API)
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        locale = self.locale_at(index.column()) if index.isValid() else None
        if role != Qt.ItemDataRole.EditRole or locale is None or self.guide_id is None:
            return False
        row = self.rows[index.row()]
        text = value if isinstance(value, str) else ""
        path = ("guides", self.guide_id, *row.path, locale)
        what = f"{row.label} ({language_name(locale)})"
        record = self._record_path(index.row(), locale)
        if text.strip() and record is not None and self.needs_review(index.row(),
                                                                     index.column()):
            # Rewritten by someone reading today's English: reviewed, in the same step.
            self.document.apply(edits.Batch((edits.SetValue(path, text),
                                             edits.SetValue(record, self._hash(index.row())))),
                                f"Edit {what}")
            return True
        if text.strip() or not [k for k in row.values if k != locale]:
            # A text's last language stays, empty, rather than the text vanishing.
            self.document.set_value(path, text, text=f"Edit {what}", merge=False)
        else:
            self.document.clear_value(path, text=f"Clear {what}")
        return True

    def _record_path(self, row: int, locale: str) -> tuple[Any, ...] | None:
        """Where the hash of this translation's English is kept, if an import recorded one."""
        guide = self.document.project.guides.get(self.guide_id or "")
        if guide is None:
            return None
        key = unit_key(guide, self.rows[row].path)
        if key not in ((guide.translated_from or {}).get(locale) or {}):
            return None
        return ("guides", guide.id, "translated_from", locale, key)

    def _hash(self, row: int) -> str:
        source = self.rows[row].values.get(self.document.project.settings.default_locale)
        return source_hash(source if isinstance(source, str) else "")

    def mark_reviewed(self, index: Index) -> bool:
        """Record the translation at ``index`` as made from today's English (one undo step)."""
        if not index.isValid() or not self.needs_review(index.row(), index.column()):
            return False
        locale = self.locale_at(index.column())
        assert locale is not None
        record = self._record_path(index.row(), locale)
        if record is None:
            return False
        row = self.rows[index.row()]
        self.document.apply(edits.SetValue(record, self._hash(index.row())),
                            f"Mark {row.label} ({language_name(locale)}) reviewed")
        return True


def review_badge() -> str:
    """The badge's colour: a violet that holds white text on light and dark themes."""
    return "#7446c0"
