"""Every text of a guide in every language, side by side: see and fill what is untranslated.

The inspector shows one language of one field at a time (a tab per language),
which is right for writing and wrong for reviewing a translation: nobody can
see there that Step 3's button is the one text still missing in Japanese. This
window lists each text of the guide (``core/translations.py``: titles, bodies,
picture descriptions, buttons, checklist tasks, survey texts) in a row named
as the forms name it ("Step 2 › Body"), one column per project language, the
missing ones highlighted and counted per language above the table ("3 texts
missing in Japanese"), and translations whose English changed since they were
made marked "Needs review" on violet (``core/l10n``). "Show" narrows the table to
what is left to do: missing, needing review, or both; right-click a
translation that needs review to mark it reviewed as it is.

Cells are edited in place; each finished cell edit is one step on the
document's undo stack (the same ``set_value`` the inspector's fields use, never
merged with typing elsewhere), so the inspector and the canvas follow, and
Undo in the main window takes it back. The table follows the document in
turn: an edit in the inspector, Undo, or another guide selected in the
inspector shows here at once. It never owns the texts.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QAction,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QResizeEvent,
    QShowEvent,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core.describe.trail import language_name
from guidestudio.core.translations import missing_counts
from guidestudio.widgets.guide.translations_model import (
    RICH_ROLE,
    Index,
    TranslationsModel,
    summary,
)
from guidestudio.widgets.kit.editing import EditableDocument

#: "Show": what the table lists (text, key).
FILTERS = (("All texts", "all"), ("Missing or needs review", "todo"),
           ("Missing", "missing"), ("Needs review", "review"))
PADDING = 3
LABEL_WIDTH = 260  # px: the longest names ("Variant Short copy › Step 3 › Task 2 › …") wrap


class TextDelegate(QStyledItemDelegate):
    """Texts drawn as formatted (``RICH_ROLE``); line edits for one-line texts, a text box
    for bodies and descriptions."""

    def _document(self, option: QStyleOptionViewItem, html: str) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(PADDING)
        document.setHtml(html)
        document.setTextWidth(max(option.rect.width(), 40))
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        html = index.data(RICH_ROLE)
        if not html:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        document = self._document(option, html)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text))
        painter.save()
        painter.translate(QPointF(option.rect.topLeft()))
        painter.setClipRect(QRectF(0, 0, option.rect.width(), option.rect.height()))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        html = index.data(RICH_ROLE)
        if not html:
            return super().sizeHint(option, index)
        self.initStyleOption(option, index)
        document = self._document(option, html)
        return QSize(int(document.idealWidth()), int(document.size().height()) + 1)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: Index) -> QWidget:
        model = index.model()
        if isinstance(model, TranslationsModel) and model.rows[index.row()].multiline:
            editor = QPlainTextEdit(parent)
            editor.setTabChangesFocus(True)
            return editor
        return super().createEditor(parent, option, index)


class LanguagesView(QWidget):
    """The window: a heading, the missing-translation count, undo buttons, the table."""

    #: The rows were rebuilt (another guide, texts added or removed, other languages).
    reloaded = Signal()

    def __init__(self, document: EditableDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.document = document
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        heading_font = self.heading.font()
        heading_font.setBold(True)
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.2)
        self.heading.setFont(heading_font)
        top.addWidget(self.heading, 1)
        self.undo_button = QToolButton(self)
        self.redo_button = QToolButton(self)
        for button in (self.undo_button, self.redo_button):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.hide()
            top.addWidget(button)
        layout.addLayout(top)
        line = QHBoxLayout()
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        line.addWidget(self.summary, 1)
        show = QLabel("&Show:", self)
        self.show_filter = QComboBox(self)
        for text, key in FILTERS:
            self.show_filter.addItem(text, key)
        self.show_filter.setToolTip("Only the texts with something left to do in a language: "
                                    "missing (amber) or needing review (violet)")
        show.setBuddy(self.show_filter)
        self.show_filter.currentIndexChanged.connect(self._filter_rows)
        line.addWidget(show)
        line.addWidget(self.show_filter)
        layout.addLayout(line)

        self.model = TranslationsModel(document, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setItemDelegate(TextDelegate(self.table))
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(False)
        self.table.verticalHeader().hide()
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        layout.addWidget(self.table, 1)
        self.mark_reviewed = QAction("Mark &reviewed", self.table)
        self.mark_reviewed.setToolTip("The translation still says what the changed English "
                                      "says: keep it as it is and clear the mark")
        self.mark_reviewed.triggered.connect(
            lambda: self.model.mark_reviewed(self.table.currentIndex()))
        self.table.addAction(self.mark_reviewed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.mark_reviewed.setEnabled(False)
        self.table.selectionModel().currentChanged.connect(self._current_changed)

        #: Row heights follow the columns' widths, once those are settled (a turn later).
        self._fit_rows = QTimer(self)
        self._fit_rows.setSingleShot(True)
        self._fit_rows.setInterval(0)
        self._fit_rows.timeout.connect(self.table.resizeRowsToContents)
        self.table.horizontalHeader().sectionResized.connect(self._fit_rows.start)
        document.changed.connect(self._document_changed)
        document.reset.connect(self.refresh)
        self.model.modelReset.connect(self._fit)
        self.model.dataChanged.connect(self._fit)

    def fit_screen(self, area: QRect | None = None) -> None:
        """Wide enough for two or three languages side by side, never beyond the screen
        (``area``: another screen's, to see how it would look there)."""
        area = area if area is not None else self.screen().availableGeometry()
        wanted = max(1100, 320 * (1 + len(self.model.locales)), int(area.width() * 0.7))
        width = min(wanted, int(area.width() * 0.9))
        self.resize(width, min(760, int(area.height() * 0.85)))

    def set_undo_actions(self, undo: QAction | None, redo: QAction | None) -> None:
        """The main window's Undo/Redo: their keys work here, and as buttons beside the title."""
        for button, action in ((self.undo_button, undo), (self.redo_button, redo)):
            if action is None:
                button.hide()
                continue
            if action not in self.actions():
                self.addAction(action)
            button.setDefaultAction(action)
            button.show()

    def guide_id(self) -> str | None:
        return self.model.guide_id

    def set_guide(self, guide_id: str | None) -> None:
        self.model.guide_id = guide_id
        self.refresh()

    def refresh(self) -> None:
        if self.model.load():
            self.reloaded.emit()
        self._update_words()

    def _document_changed(self, change: Any) -> None:
        guide_id = self.model.guide_id
        if guide_id is None:
            return
        if change.touches(("guides", guide_id)) or change.touches(("settings", "locales")) \
                or change.touches(("settings", "default_locale")):
            self.refresh()

    def _update_words(self) -> None:
        guide = self.document.project.guides.get(self.model.guide_id or "")
        name = guide.name if guide is not None else "No guide"
        self.setWindowTitle(f"All languages — {name}")
        if guide is None:
            self.heading.setText("No guide selected: pick one in the project tree.")
            self.summary.setText("")
            return
        self.heading.setText(f"{name}: every text in every language")
        if len(self.model.locales) < 2:
            self.summary.setText(f"This project has one language, "
                                 f"{language_name(self.model.locales[0])}. Add languages in "
                                 f"the project settings to translate its guides.")
            return
        self.summary.setText(summary(missing_counts(self.model.rows, self.model.locales),
                                     self.model.review_counts()))
        self._filter_rows()
        self._current_changed()

    def _current_changed(self, *_: Any) -> None:
        index = self.table.currentIndex()
        self.mark_reviewed.setEnabled(index.isValid()
                                      and self.model.needs_review(index.row(), index.column()))

    def _filter_rows(self, *_: Any) -> None:
        """Hide the rows with nothing of the chosen kind left to do in any language."""
        wanted = self.show_filter.currentData()
        columns = range(1, self.model.columnCount())
        for row in range(self.model.rowCount()):
            missing = any(self.model.is_missing(row, c) for c in columns)
            review = any(self.model.needs_review(row, c) for c in columns)
            shown = (wanted == "all" or (wanted == "missing" and missing)
                     or (wanted == "review" and review) or (wanted == "todo"
                                                            and (missing or review)))
            self.table.setRowHidden(row, not shown)

    def _fit(self, *_: Any) -> None:
        """Texts in full: the name column as wide as its names, languages share the rest,
        rows as tall as their longest text."""
        header = self.table.horizontalHeader()
        if self.model.columnCount():
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
            bold = QFont(self.table.font())
            bold.setBold(True)
            metrics = QFontMetrics(bold)
            names = max((metrics.horizontalAdvance(row.label) for row in self.model.rows),
                        default=metrics.horizontalAdvance("Text"))
            header.resizeSection(0, min(names + 2 * PADDING + 12, LABEL_WIDTH))
            for column in range(1, self.model.columnCount()):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        self._update_words()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._fit_rows.start()  # narrower columns wrap into taller rows

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self._fit_rows.start()  # the columns have their widths only once laid out
