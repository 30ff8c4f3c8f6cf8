"""The attribute chooser of a rule row: labels first, keys quieter, searchable by both.

The project's attribute catalogue gives attributes labels ("Days since last
login"); a row shows the label and keeps the key (``events.login.days_since``)
visible in grey for those who think in keys. Typing searches labels and keys
alike; what is committed is always the key, and a name the catalogue and the
profiles do not know is taken as a key as typed (the product may send it).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSignalBlocker,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QPainter, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QCompleter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from guidestudio.core.rules.types import TYPE_LABELS, AttributeInfo

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
TYPE_ROLE = Qt.ItemDataRole.UserRole + 3
_GAP = 10


def quiet_color(palette: QPalette) -> object:
    """The grey of secondary text in the current theme (light or dark)."""
    return palette.color(QPalette.ColorRole.PlaceholderText)


class AttributeDelegate(QStyledItemDelegate):
    """Draws a suggestion as its label, then its key and type in grey:
    "Storage used   storage_used_pct · number"."""

    def _quiet(self, index: QModelIndex | QPersistentModelIndex) -> str:
        key = index.data(KEY_ROLE) or ""
        label = index.data(Qt.ItemDataRole.DisplayRole) or ""
        kind = index.data(TYPE_ROLE) or ""
        parts = [p for p in (key if key != label else "", kind) if p]
        return "  ·  ".join(parts)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        label, opt.text = opt.text, ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        rect = rect.adjusted(4, 0, -4, 0)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setFont(opt.font)
        text_role = (QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        painter.setPen(opt.palette.color(text_role))
        metrics = opt.fontMetrics
        shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, rect.width())
        flags = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        painter.drawText(rect, flags, shown)
        quiet = self._quiet(index)
        left = metrics.horizontalAdvance(shown) + _GAP
        if quiet and left < rect.width():
            painter.setPen(opt.palette.color(text_role) if selected
                           else quiet_color(opt.palette))
            painter.drawText(rect.adjusted(left, 0, 0, 0), flags,
                             metrics.elidedText(quiet, Qt.TextElideMode.ElideRight,
                                                rect.width() - left))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt override
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        quiet = self._quiet(index)
        if quiet:
            size.setWidth(size.width() + _GAP + 8 + option.fontMetrics.horizontalAdvance(quiet))
        return size


def text_width_hint(box: QComboBox, hint: QSize) -> QSize:
    """``hint`` widened to show the box's current text in full: what a layout
    gives the box when there is room; its minimum stays small for narrow rows."""
    minimum = box.minimumSizeHint().width()
    pad = minimum - box.fontMetrics().averageCharWidth() * box.minimumContentsLength()
    wanted = box.fontMetrics().horizontalAdvance(box.currentText()) + max(pad, 24)
    return QSize(max(hint.width(), wanted), hint.height())


class _LabelCompleter(QCompleter):
    """Matches what is typed against labels and keys, and fills in the label."""

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:  # noqa: N802
        return str(index.data(Qt.ItemDataRole.DisplayRole) or "")


class AttributeBox(QComboBox):
    """Editable attribute chooser. Reports the key when the author commits a
    choice (Enter, leaving the box, picking from the list), not on every
    keystroke, so half-typed names never reach the condition."""

    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attribute")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(10)
        self.setMaxVisibleItems(16)
        self._model = QStandardItemModel(self)
        self.setModel(self._model)
        delegate = AttributeDelegate(self)
        self.setItemDelegate(delegate)
        self.lineEdit().setPlaceholderText("attribute, e.g. plan")
        self.setToolTip("The user attribute to test: type to search by name or key. Dotted "
                        "keys reach nested values (account.age_days); events.<name>.last_7d "
                        "counts product events.")
        completer = _LabelCompleter(self._model, self)
        completer.setCompletionRole(SEARCH_ROLE)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.popup().setItemDelegate(AttributeDelegate(completer.popup()))
        self.setCompleter(completer)
        self._keys: dict[str, str] = {}  # casefolded label or key -> key
        self._labels: dict[str, str] = {}  # key -> label
        self.lineEdit().editingFinished.connect(self._commit)
        self.activated.connect(self._activated)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Wide enough for the label shown, when the row has room."""
        return text_width_hint(self, super().sizeHint())

    def set_attributes(self, infos: dict[str, AttributeInfo], current: str) -> None:
        """Offer ``infos`` (labels where they have one) and show attribute ``current``."""
        with QSignalBlocker(self):
            self._model.clear()
            self._keys, self._labels = {}, {}
            for info in infos.values():
                label = info.label or info.path
                item = QStandardItem(label)
                item.setData(info.path, KEY_ROLE)
                item.setData(f"{label} {info.path}" if label != info.path else label,
                             SEARCH_ROLE)
                item.setData(TYPE_LABELS.get(info.type, info.type), TYPE_ROLE)
                tip = f"{info.path} — {info.description}" if info.label else info.description
                item.setData(tip, Qt.ItemDataRole.ToolTipRole)
                self._model.appendRow(item)
                self._labels[info.path] = label
                self._keys.setdefault(info.path.casefold(), info.path)
            for key, label in self._labels.items():
                self._keys.setdefault(label.casefold(), key)
            self.setCurrentIndex(-1)
            self.show_key(current)

    def label_for(self, key: str) -> str:
        return self._labels.get(key, key)

    def key_for(self, text: str) -> str:
        """The key ``text`` stands for: a key, a label (any case), or itself."""
        text = text.strip()
        if text in self._labels:
            return text
        return self._keys.get(text.casefold(), text)

    def current_key(self) -> str:
        return self.key_for(self.currentText())

    def show_key(self, key: str) -> None:
        """Show attribute ``key`` by its label (emits nothing)."""
        with QSignalBlocker(self), QSignalBlocker(self.lineEdit()):
            found = self._model.match(self._model.index(0, 0), KEY_ROLE, key, 1,
                                      Qt.MatchFlag.MatchExactly) if key else []
            self.setCurrentIndex(found[0].row() if found else -1)  # highlighted in the list
            self.setEditText(self.label_for(key))
            self.lineEdit().setCursorPosition(0)

    def _activated(self, index: int) -> None:
        key = self.itemData(index, KEY_ROLE)
        self.committed.emit(str(key) if key else self.current_key())

    def _commit(self, *_: object) -> None:
        self.committed.emit(self.current_key())


__all__ = ["KEY_ROLE", "AttributeBox", "AttributeDelegate", "quiet_color", "text_width_hint"]
