"""A text field that shows a guide text as formatting and chips and stores Markdown.

Marketers read "**Save** now, {{first_name|there}}" as syntax; this field shows
**Save** in bold and the placeholder as a chip that says "First name · there",
and writes exactly the Markdown the product renders to what it shows
(``core/rich_text``). Bindings treat it like any text input (``bindings.py``):
``text()`` is the Markdown to store, ``edited`` fires for the person's edits,
``show_markdown`` shows the document's value without echo.

Rules that keep the stored text honest:

* a text is shown rich only when writing its runs back gives the author's very
  bytes (``rich_view``); otherwise the field edits the Markdown itself, so
  nothing is rewritten by being looked at;
* an edit writes the whole text again, keeping the escapes the author had in
  the unchanged parts (``to_markdown(previous=…)``);
* if what was stored would not render as the field shows it (a mark pressed
  against punctuation Markdown cannot express), the field shows the stored
  text again once typing pauses — what you see is what people will see.

Formatting: Ctrl+B, Ctrl+I, Ctrl+K (link) and the context menu, which also
inserts a personal detail from the project's attributes. A single-line field
(titles, labels) refuses new lines and never wraps, like a line edit.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QMimeData, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFont,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu, QTextEdit, QWidget

from guidestudio.core import markdown_text
from guidestudio.core.rich_text import Placeholder, RichText, rich_view, to_markdown
from guidestudio.widgets.kit import rich_document as rd

#: (attribute key, label) pairs a placeholder may name, in the order offered.
Details = Callable[[], list[tuple[str, str]]]
DEFAULT_FALLBACKS = {"first_name": "there"}
FAITHFUL_CHECK_MS = 300
LINK_KEY = QKeySequence("Ctrl+K")[0].toCombined()


_LINE_HEIGHTS: dict[tuple[str, str], int] = {}


def line_edit_height(widget: QWidget) -> int:
    """The height a line edit has with ``widget``'s style and font (asked once per pair)."""
    key = (widget.style().name(), widget.font().key())
    if key not in _LINE_HEIGHTS:
        probe = QLineEdit()  # no parent: not one of the form's fields, even for a moment
        probe.setFont(widget.font())
        _LINE_HEIGHTS[key] = probe.sizeHint().height()
    return _LINE_HEIGHTS[key]


class RichTextEdit(QTextEdit):
    """Formatting and chips over a Markdown value; see the module docstring."""

    #: The person changed the text (typing, formatting, a chip): its Markdown now. Not
    #: emitted by ``show_markdown`` (QLineEdit's ``textEdited``, for a rich field).
    edited = Signal(str)

    def __init__(self, *, block: bool = False, links: bool | Callable[[], bool] = True,
                 label: Callable[[str], str] | None = None, details: Details | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.block = block
        self._links = links
        self._label = label or (lambda key: key)
        self._details = details or (lambda: [("first_name", "First name")])
        self._source = ""
        self._rich = True  # False: the text holds what the field cannot show; edit Markdown
        self._showing = False
        self._typed: str | None = None  # the Markdown of the edit being announced
        # Checked once typing pauses, not on every key (keystroke → model stays fast).
        self._faithful_timer = QTimer(self, singleShot=True, interval=FAITHFUL_CHECK_MS)
        self._faithful_timer.timeout.connect(self.check_shown)
        self.painter = rd.ChipPainter(lambda key: self._label(key), self.palette, self)
        self.document().documentLayout().registerHandler(rd.CHIP_TYPE, self.painter)
        self.setAcceptRichText(False)  # pasted text arrives as words (insertFromMimeData)
        self.document().setIndentWidth(14)  # a list item as indented as the product shows it
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)  # the document's history is the only one
        if not block:
            self.setLineWrapMode(QTextEdit.LineWrapMode.NoWrap)
            self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.document().setDocumentMargin(2)
            # As tall as the line edits around it, whatever the style's frame.
            self._line_height = line_edit_height(self)
            self.setFixedHeight(self.sizeHint().height())
        self.textChanged.connect(self._changed)
        self.cursorPositionChanged.connect(self._typing_format)

    # --- the value -----------------------------------------------------------------------

    def links(self) -> bool:
        return self._links() if callable(self._links) else self._links

    def is_rich(self) -> bool:
        """Shown as formatting (True) or, for a text the field cannot hold, as Markdown."""
        return self._rich

    def text(self) -> str:
        """The Markdown to store for what the field holds now."""
        if self._typed is not None:
            return self._typed
        if not self._rich:
            return self.document().toPlainText()
        return to_markdown(self.runs(), block=self.block, links=self.links(),
                           previous=self._source)

    def selectedText(self) -> str:  # noqa: N802 (QLineEdit's name, for a rich field)
        """The selected words as shown (a chip as one object character)."""
        return self.textCursor().selectedText()

    def runs(self) -> RichText:
        return rd.read(self.document())

    def show_markdown(self, markdown: str, force: bool = False) -> None:
        """Show a stored value (keeps the caret where it was, clamped)."""
        if not force and markdown == self._source:
            return  # (what it holds: ``_source`` follows every edit and every value shown)
        cursor = self.textCursor()
        anchor, position = cursor.anchor(), cursor.position()
        self._source = markdown
        self.painter.forget()
        rich = rich_view(markdown, block=self.block, links=self.links()) if markdown else \
            RichText()
        self._showing = True
        try:
            self._rich = rich is not None
            if rich is not None:
                rd.fill(self.document(), rich, self._link_color())
            else:
                self.document().setPlainText(markdown)
            end = self.document().characterCount() - 1
            cursor = self.textCursor()
            cursor.setPosition(min(anchor, end))
            cursor.setPosition(min(position, end), QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cursor)
        finally:
            self._showing = False

    def insert(self, text: str) -> None:
        """Type ``text`` at the caret, as a person (or an input method) would; a placeholder
        written out (``{{plan|free}}``, as copying a chip gives it) becomes a chip."""
        cursor = self.textCursor()
        fmt = rd.plain_format(self.currentCharFormat())
        if not self._rich or "{{" not in text:
            cursor.insertText(text, fmt)
            return
        cursor.beginEditBlock()  # one change: one edit of the document
        at = 0
        for match in markdown_text.TOKEN_RE.finditer(text):
            if match.start() > at:
                cursor.insertText(text[at:match.start()], fmt)
            chip = Placeholder(match.group(1), (match.group(2) or "").strip(), match.group(0))
            cursor.insertText(rd.OBJECT, rd.chip_format(chip, fmt))
            at = match.end()
        if at < len(text):
            cursor.insertText(text[at:], fmt)
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def createMimeDataFromSelection(self) -> QMimeData:  # noqa: N802 (Qt API)
        """The selection as words, a chip as the placeholder it stands for (pastes back as a
        chip here, reads as its source anywhere else)."""
        cursor = self.textCursor()
        start = cursor.selectionStart()
        probe = QTextCursor(self.document())
        out = []
        for i, char in enumerate(cursor.selectedText()):
            if char == rd.OBJECT:
                probe.setPosition(start + i + 1)
                fmt = probe.charFormat()
                out.append(str(fmt.property(rd.CHIP_SOURCE) or "")
                           if fmt.objectType() == rd.CHIP_TYPE else "")
            else:
                out.append("\n" if char in (rd.LINE, "\u2029") else char)
        data = QMimeData()
        data.setText("".join(out))
        return data

    def _changed(self) -> None:
        if self._showing:
            return
        markdown = self.text()
        self._typed = markdown  # computed once: the binding reads it while it is announced
        try:
            self.edited.emit(markdown)
        finally:
            self._typed = None
        self._source = markdown
        if self._rich:
            self._faithful_timer.start()

    def check_shown(self) -> None:
        """Show the stored text again if it would not render as the field shows it (run
        once typing pauses)."""
        if not self._rich:
            return
        shown = rich_view(self._source, block=self.block, links=self.links())
        if shown is None or _same(shown, self.runs()):
            return  # (None: only blanks, say; the field is not switched to Markdown mid-edit)
        self.show_markdown(self._source, force=True)

    def _link_color(self) -> object:
        return self.palette().color(QPalette.ColorRole.Link)

    # --- typing --------------------------------------------------------------------------

    def _typing_format(self) -> None:
        """Typing after a chip gets the chip's marks, never the chip itself."""
        if self.textCursor().hasSelection():
            return  # (setting the format now would rewrite the selection: chips lost)
        fmt = self.currentCharFormat()
        if fmt.objectType() == rd.CHIP_TYPE or fmt.hasProperty(rd.SOFT):
            self.setCurrentCharFormat(rd.plain_format(fmt))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and self._format_key(event) is not None:
            event.accept()  # Ctrl+B/I/K are this field's, not a window shortcut's
            return True
        return super().event(event)

    def _format_key(self, event: QKeyEvent) -> Callable[[], None] | None:
        if event.matches(QKeySequence.StandardKey.Bold):
            return self.toggle_bold
        if event.matches(QKeySequence.StandardKey.Italic):
            return self.toggle_italic
        if event.keyCombination().toCombined() == LINK_KEY:
            return self.ask_link
        return None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        action = self._format_key(event)
        if action is not None:
            action()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not self.block:
                event.ignore()  # one line: Enter belongs to the form (a default button)
                return
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.textCursor().insertText(rd.LINE, rd.plain_format(self.currentCharFormat()))
                return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 (Qt API)
        text = source.text()
        if not self.block:
            text = " ".join(text.split())
        self.insert(text)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802 (Qt API)
        return source.hasText()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if self.block:
            return hint
        frame = 2 * self.frameWidth()
        line = self.fontMetrics().height() + 2 * int(self.document().documentMargin()) + frame
        return QSize(hint.width(), max(line, getattr(self, "_line_height", 0)))

    def minimumSizeHint(self) -> QSize:
        return QSize(40, self.sizeHint().height()) if not self.block else \
            super().minimumSizeHint()

    # --- formatting ----------------------------------------------------------------------

    def _apply(self, change: Callable[[QTextCharFormat], None], placeholder: str) -> None:
        """Format the selection, or insert ``placeholder`` words so formatted, selected."""
        if not self._rich:
            return
        cursor = self.textCursor()
        if not cursor.hasSelection():
            fmt = rd.plain_format(self.currentCharFormat())
            change(fmt)
            start = cursor.position()
            cursor.insertText(placeholder, fmt)
            cursor.setPosition(start)
            cursor.setPosition(start + len(placeholder), QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cursor)
            return
        fmt = QTextCharFormat()
        change(fmt)
        cursor.mergeCharFormat(fmt)
        self.setTextCursor(cursor)

    def _selection_all(self, test: Callable[[QTextCharFormat], bool]) -> bool:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return test(self.currentCharFormat())
        probe = QTextCursor(self.document())
        for position in range(cursor.selectionStart() + 1, cursor.selectionEnd() + 1):
            probe.setPosition(position)
            if not test(probe.charFormat()):
                return False
        return True

    def toggle_bold(self) -> None:
        bold = self._selection_all(lambda f: f.fontWeight() >= QFont.Weight.DemiBold)
        weight = QFont.Weight.Normal if bold else QFont.Weight.Bold
        self._apply(lambda f: f.setFontWeight(weight), "bold text")

    def toggle_italic(self) -> None:
        italic = self._selection_all(lambda f: f.fontItalic())
        self._apply(lambda f: f.setFontItalic(not italic), "italic text")

    def set_link(self, address: str) -> None:
        """Link the selection (or the words "link text") to ``address``; "" removes the link."""
        if not self.links():
            return
        color = self._link_color()
        if address:
            self._apply(lambda f: rd.set_link(f, address, None, color), "link text")
        elif self.textCursor().hasSelection():
            fmt = self.textCursor().charFormat()
            rd.clear_link(fmt)
            cursor = self.textCursor()
            start, end = cursor.selectionStart(), cursor.selectionEnd()
            # setCharFormat, not merge: merging cannot take the anchor away
            probe = QTextCursor(self.document())
            for position in range(start, end):
                probe.setPosition(position)
                probe.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
                own = probe.charFormat()
                rd.clear_link(own)
                probe.setCharFormat(own)

    def ask_link(self) -> None:
        if not self.links() or not self._rich:
            return
        current = self.textCursor().charFormat().anchorHref() or "https://"
        address, ok = QInputDialog.getText(self, "Link", "Address people go to (https://…, "
                                           "mailto:… or a page of your product such as "
                                           "/billing). Leave empty to remove the link.",
                                           text=current)
        if ok:
            self.set_link(address.strip())

    def insert_placeholder(self, attr: str, fallback: str | None = None) -> None:
        """A personal detail as a chip at the caret (replacing the selection)."""
        if not self._rich:
            self.insert(Placeholder.make(attr, fallback or "").source)
            return
        chip = Placeholder.make(attr, DEFAULT_FALLBACKS.get(attr, "") if fallback is None
                                else fallback)
        cursor = self.textCursor()
        cursor.insertText(rd.OBJECT, rd.chip_format(chip, self.currentCharFormat()))
        self.setTextCursor(cursor)
        self.setCurrentCharFormat(rd.plain_format(self.currentCharFormat()))

    def chip_at_cursor(self) -> tuple[QTextCursor, Placeholder] | None:
        """The chip just before or after the caret, selected in the cursor returned."""
        cursor = self.textCursor()
        for start in (cursor.position() - 1, cursor.position()):
            if start < 0:
                continue
            probe = QTextCursor(self.document())
            probe.setPosition(start)
            probe.setPosition(start + 1, QTextCursor.MoveMode.KeepAnchor)
            fmt = probe.charFormat()
            if probe.selectedText() == rd.OBJECT and fmt.objectType() == rd.CHIP_TYPE:
                return probe, Placeholder(str(fmt.property(rd.CHIP_ATTR) or ""),
                                          str(fmt.property(rd.CHIP_FALLBACK) or ""))
        return None

    def ask_fallback(self) -> None:
        found = self.chip_at_cursor()
        if found is None:
            return
        cursor, chip = found
        fallback, ok = QInputDialog.getText(
            self, "When it is unknown", f"What people see when we don't know their "
            f"{self._label(chip.attr).lower()}:", text=chip.fallback)
        if ok:
            cursor.insertText(rd.OBJECT, rd.chip_format(Placeholder.make(chip.attr, fallback),
                                                        cursor.charFormat()))

    # --- the context menu ----------------------------------------------------------------

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt API)
        menu = self.build_menu()
        menu.exec(event.globalPos())
        menu.deleteLater()

    def build_menu(self) -> QMenu:
        """The standard edit menu with the field's formatting and a personal-detail picker."""
        menu = self.createStandardContextMenu()
        if not self._rich:
            return menu
        first = menu.actions()[0] if menu.actions() else None
        entries = [("Bold", QKeySequence.StandardKey.Bold, self.toggle_bold),
                   ("Italic", QKeySequence.StandardKey.Italic, self.toggle_italic)]
        for text, keys, slot in entries:
            action = menu.addAction(text)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            menu.insertAction(first, action)
        if self.links():
            link = menu.addAction("Link…")
            link.setShortcut(QKeySequence("Ctrl+K"))
            link.triggered.connect(self.ask_link)
            menu.insertAction(first, link)
        details = QMenu("Insert personal detail", menu)
        for key, label in self._details():
            details.addAction(label).triggered.connect(
                lambda _=False, k=key: self.insert_placeholder(k))
        menu.insertMenu(first, details)
        if self.chip_at_cursor() is not None:
            change = menu.addAction("When the detail is unknown, show…")
            change.triggered.connect(self.ask_fallback)
            menu.insertAction(first, change)
        menu.insertSeparator(first)
        return menu


def _same(a: RichText, b: RichText) -> bool:
    """Do two texts read the same (ignoring empty paragraphs and how chips were written)?"""
    def norm(rich: RichText) -> list[object]:
        out: list[object] = []
        for part in rich.blocks:
            spans = getattr(part, "spans", None)
            if spans is not None:
                if any(s.text.strip() or not s.is_text() for s in spans):
                    out.append([(s.text, s.marks(), s.chip and s.chip.attr, s.hard_break)
                                for s in spans])
            else:
                out.append(part)
        return out
    return norm(a) == norm(b)


__all__ = ["DEFAULT_FALLBACKS", "RichTextEdit"]
