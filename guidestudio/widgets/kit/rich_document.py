"""A guide text's runs (``core/rich_text``) in a ``QTextDocument`` and back.

A rich text field edits a ``QTextDocument``; what it stores is Markdown. This
module is the bridge, in both directions, with one convention per run:

* bold, italic: the font's weight and slant; a link: an anchor (underlined, in
  the palette's link colour) whose address and title ride along as properties;
  code: a fixed-pitch font and a property (so a fixed-pitch font alone means
  nothing);
* a placeholder chip: one object replacement character (U+FFFC) drawn by
  ``ChipPainter`` — one character, so the caret steps over it and Delete or
  Backspace removes it whole;
* a hard line break: U+2028 (Shift+Enter); a soft one (a newline the author
  wrote inside a paragraph, shown by the product as a space) is a U+2028 with
  the ``SOFT`` property, so it is stored back as the newline it was;
* paragraphs are blocks; a list is a ``QTextList`` whose blocks are its items.

Reading looks only at the character each property belongs on (an object
character, a line separator), because Qt hands the format of the character
before the caret to what is typed next.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPointF, QRectF, QSizeF
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPalette,
    QPyTextObject,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextListFormat,
)

from guidestudio.core.rich_text import ListBlock, Paragraph, Placeholder, RichText, Span, merged

OBJECT = "\ufffc"
LINE = "\u2028"
CHIP_TYPE = QTextFormat.ObjectTypes.UserObject + 1
_P = QTextFormat.Property.UserProperty
CHIP_ATTR, CHIP_FALLBACK, CHIP_SOURCE, SOFT, CODE, LINK_TITLE = (int(_P) + i for i in range(1, 7))
_CUSTOM = (CHIP_ATTR, CHIP_FALLBACK, CHIP_SOURCE, SOFT, CODE, LINK_TITLE)

ChipLabel = Callable[[str], str]


def chip_words(chip: Placeholder, label: ChipLabel) -> str:
    """What a chip says: the detail's label, then what people see when it is unknown."""
    name = label(chip.attr)
    return f"{name} · {chip.fallback}" if chip.fallback.strip() else name


class ChipPainter(QPyTextObject):
    """Draws a placeholder as a rounded chip in the text (a ``QTextObjectInterface``)."""

    def __init__(self, label: ChipLabel, palette: Callable[[], QPalette],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.palette = palette
        self._words: dict[tuple[str, str], str] = {}
        self._sizes: dict[tuple[str, str], QSizeF] = {}

    def words(self, fmt: QTextFormat) -> str:
        key = (str(fmt.property(CHIP_ATTR) or ""), str(fmt.property(CHIP_FALLBACK) or ""))
        words = self._words.get(key)
        if words is None:
            words = self._words[key] = chip_words(Placeholder(*key), self.label)
        return words

    def forget(self) -> None:
        """Labels may have changed (the catalogue was edited): ask for them again."""
        self._words.clear()
        self._sizes.clear()

    def intrinsicSize(self, doc: QTextDocument, pos: int,  # noqa: N802 (Qt API)
                      fmt: QTextFormat) -> QSizeF:
        # Asked several times per keystroke as the line is laid out again: remembered.
        if not hasattr(self, "_sizes"):
            return QSizeF()  # the field is being destroyed (its wrapper is already gone)
        font = fmt.toCharFormat().font()
        words = self.words(fmt)
        key = (words, font.key())
        size = self._sizes.get(key)
        if size is None:
            metrics = QFontMetricsF(font)
            size = self._sizes[key] = QSizeF(metrics.horizontalAdvance(words) + 12,
                                             metrics.height())
        return size

    def drawObject(self, painter: QPainter, rect: QRectF, doc: QTextDocument,  # noqa: N802
                   pos: int, fmt: QTextFormat) -> None:
        if not hasattr(self, "_words"):
            return  # (see intrinsicSize)
        palette = self.palette()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        accent = palette.color(QPalette.ColorRole.Highlight)
        fill = QColor(accent)
        fill.setAlpha(45)
        painter.setPen(accent)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 6, 6)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.setFont(fmt.toCharFormat().font())
        metrics = QFontMetricsF(painter.font())
        baseline = rect.center().y() + (metrics.ascent() - metrics.descent()) / 2
        painter.drawText(QPointF(rect.left() + 6, baseline), self.words(fmt))
        painter.restore()


def plain_format(base: QTextCharFormat | None = None) -> QTextCharFormat:
    """``base`` without anything of ours (what typing next to a chip or a link should get)."""
    fmt = QTextCharFormat(base) if base is not None else QTextCharFormat()
    fmt.setObjectType(QTextFormat.ObjectTypes.NoObject)
    for prop in _CUSTOM:
        fmt.clearProperty(prop)
    return fmt


def span_format(span: Span, link_color: QColor) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if span.bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    if span.italic:
        fmt.setFontItalic(True)
    if span.code:
        fmt.setFontFixedPitch(True)
        fmt.setFontFamilies(["monospace"])
        fmt.setProperty(CODE, True)
    if span.link is not None:
        set_link(fmt, span.link, span.link_title, link_color)
    return fmt


def set_link(fmt: QTextCharFormat, href: str, title: str | None, color: QColor) -> None:
    fmt.setAnchor(True)
    fmt.setAnchorHref(href)
    fmt.setFontUnderline(True)
    fmt.setForeground(color)
    fmt.setToolTip(href)
    if title:
        fmt.setProperty(LINK_TITLE, title)


def clear_link(fmt: QTextCharFormat) -> None:
    fmt.setAnchor(False)
    fmt.setAnchorHref("")
    fmt.setFontUnderline(False)
    fmt.clearForeground()
    fmt.clearProperty(QTextFormat.Property.TextToolTip)
    fmt.clearProperty(LINK_TITLE)


def chip_format(chip: Placeholder, base: QTextCharFormat | None = None) -> QTextCharFormat:
    fmt = plain_format(base)
    fmt.setObjectType(CHIP_TYPE)
    # Centred on the line, not standing on the baseline (its words then sit level with
    # the text around it).
    fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
    fmt.setProperty(CHIP_ATTR, chip.attr)
    fmt.setProperty(CHIP_FALLBACK, chip.fallback)
    fmt.setProperty(CHIP_SOURCE, chip.source)
    return fmt


def _insert_spans(cursor: QTextCursor, spans: tuple[Span, ...], link_color: QColor) -> None:
    for span in spans:
        if span.hard_break:
            cursor.insertText(LINE, plain_format())
            continue
        fmt = span_format(span, link_color)
        if span.chip is not None:
            cursor.insertText(OBJECT, chip_format(span.chip, fmt))
            continue
        parts = span.text.split("\n")
        for i, part in enumerate(parts):
            if i:
                soft = QTextCharFormat(fmt)
                soft.setProperty(SOFT, True)
                cursor.insertText(LINE, soft)
            if part:
                cursor.insertText(part, fmt)


def fill(document: QTextDocument, rich: RichText, link_color: QColor) -> None:
    """Replace ``document``'s content with ``rich`` (one step, outside any undo history)."""
    document.clear()
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    first = True
    for part in rich.blocks:
        items = part.items if isinstance(part, ListBlock) else (part.spans,)
        for k, spans in enumerate(items):
            if not first:
                cursor.insertBlock()
                if cursor.currentList() is not None and (
                        isinstance(part, Paragraph) or k == 0):
                    cursor.currentList().remove(cursor.block())  # type: ignore[union-attr]
                    block_format = cursor.blockFormat()
                    block_format.setIndent(0)
                    cursor.setBlockFormat(block_format)
            first = False
            if isinstance(part, ListBlock) and k == 0:
                list_format = QTextListFormat()
                list_format.setStyle(QTextListFormat.Style.ListDecimal if part.ordered
                                     else QTextListFormat.Style.ListDisc)
                list_format.setStart(part.start)
                cursor.createList(list_format)
            _insert_spans(cursor, spans, link_color)
    cursor.endEditBlock()


def _block_spans(block: object) -> tuple[Span, ...]:
    spans: list[Span] = []
    it = block.begin()  # type: ignore[attr-defined]
    while not it.atEnd():
        fragment = it.fragment()
        it += 1
        if not fragment.isValid():
            continue
        fmt = fragment.charFormat()
        bold = fmt.fontWeight() >= QFont.Weight.DemiBold
        code = bool(fmt.property(CODE))
        link = fmt.anchorHref() if fmt.isAnchor() and fmt.anchorHref() else None
        title = fmt.property(LINK_TITLE) if link is not None else None
        marks = {"bold": bold, "italic": fmt.fontItalic(), "code": code, "link": link,
                 "link_title": str(title) if title else None}
        whole = fragment.text()
        if OBJECT not in whole and LINE not in whole:  # the common case: words only
            spans.append(Span(text=whole, **marks))
            continue
        text = ""
        for char in whole:
            if char == OBJECT and fmt.objectType() == CHIP_TYPE:
                spans.append(Span(text=text, **marks))
                text = ""
                chip = Placeholder(str(fmt.property(CHIP_ATTR) or ""),
                                   str(fmt.property(CHIP_FALLBACK) or ""),
                                   str(fmt.property(CHIP_SOURCE) or ""))
                spans.append(Span(chip=chip, **marks))
            elif char == LINE and fmt.property(SOFT):
                text += "\n"
            elif char == LINE:
                spans.append(Span(text=text, **marks))
                text = ""
                spans.append(Span(hard_break=True))
            elif char != OBJECT:
                text += char
        spans.append(Span(text=text, **marks))
    return merged(spans)


def read(document: QTextDocument) -> RichText:
    """The runs ``document`` holds (what ``fill`` put there, plus the person's edits)."""
    blocks: list[Paragraph | ListBlock] = []
    block = document.begin()
    current_list = None
    items: list[tuple[Span, ...]] = []
    list_block: ListBlock | None = None
    while block.isValid():
        text_list = block.textList()
        spans = _block_spans(block)
        if text_list is not None:
            if text_list is not current_list:
                if list_block is not None:
                    blocks.append(ListBlock(list_block.ordered, tuple(items), list_block.start))
                style = text_list.format().style()
                ordered = style in (QTextListFormat.Style.ListDecimal,
                                    QTextListFormat.Style.ListLowerAlpha,
                                    QTextListFormat.Style.ListUpperAlpha)
                list_block = ListBlock(ordered, (), max(text_list.format().start(), 0) or 1)
                current_list, items = text_list, []
            items.append(spans)
        else:
            if list_block is not None:
                blocks.append(ListBlock(list_block.ordered, tuple(items), list_block.start))
                list_block, current_list, items = None, None, []
            blocks.append(Paragraph(spans))
        block = block.next()
    if list_block is not None:
        blocks.append(ListBlock(list_block.ordered, tuple(items), list_block.start))
    return RichText(tuple(blocks))


__all__ = ["CHIP_TYPE", "LINE", "OBJECT", "SOFT", "ChipPainter", "chip_format", "chip_words",
           "clear_link", "fill", "plain_format", "read", "set_link", "span_format"]
