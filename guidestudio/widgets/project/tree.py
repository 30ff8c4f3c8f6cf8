"""The project tree dock: filter box, grouping toggle and the tree of guides, segments, themes.

A view only: it shows ``ProjectTreeModel`` through a recursive filter proxy and
says what is selected; ``BadgeDelegate`` paints each row's problem count.
Whatever the user does to an item (duplicate, rename, delete…) is an action
the main window adds to the tree's context menu, and those actions write
through the document — so the tree never edits anything itself and the same
actions serve the menu bar and the keyboard.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QFontMetrics, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.project.tree_model import (
    BADGE_ROLE,
    FILTER_ROLE,
    KEY_ROLE,
    KIND_ROLE,
    Badge,
    ProjectTreeModel,
)

Ref = tuple[str, str]  # (kind, key): ("guide", "welcome"), ("broken", "guides/x.yaml")
#: Selectable rows; "settings" and "profiles" (key "") are the project's own two files,
#: "results" (key "") the Results view.
LEAF_KINDS = ("settings", "profiles", "results", "guide", "segment", "theme", "broken")


#: Badge colours: readable white digits on both the light and the dark palette.
BADGE_COLORS = {"error": QColor("#d32f2f"), "warning": QColor("#b45309")}


#: What parts a name from its subtitle: "Storage almost full — upgrade prompt".
SUBTITLE = " — "
#: The tree's step in from one level to the next (Qt's 20 px cost the guides' names, three
#: levels deep, 24 px of a narrow panel).
INDENT = 12


def elide_name(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` as it fits ``width`` px: whole; else cut at its end while the name before
    its subtitle still shows whole ("Storage almost full — upgr…", "Release announcement …");
    else that name alone, cut in the middle between words so its start and its end show
    ("Cross-sell: automations … sharers")."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    head = text.split(SUBTITLE, 1)[0]
    if head != text:
        if metrics.horizontalAdvance(head + SUBTITLE + "…") <= width:
            return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        if metrics.horizontalAdvance(head + " …") <= width:
            return head + " …"
    return _elide_words(head, metrics, width)


def _elide_words(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` cut in the middle between whole words, as many of its first words as fit
    and then of its last ("Cross-sell: automations … sharers"); letters are cut only when
    not even its first and last word fit."""
    words = text.split(" ")

    def shown(first: int, last: int) -> str:
        return f"{' '.join(words[:first])} … {' '.join(words[-last:])}"

    def fits(first: int, last: int) -> bool:
        return metrics.horizontalAdvance(shown(first, last)) <= width

    if len(words) < 3 or not fits(1, 1):
        return metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, width)
    first, last = 1, 1
    while first + last < len(words) - 1:
        if fits(first + 1, last):
            first += 1
        elif fits(first, last + 1):
            last += 1
        else:
            break
    return shown(first, last)


class BadgeDelegate(QStyledItemDelegate):
    """Rows as usual, plus a pill with the row's error (red) or warning (amber) count, and
    names that do not fit cut where they stay readable (``elide_name``; the tooltip has
    the whole name).

    The label is laid out in what the pill leaves, so a long guide name is
    elided before the badge rather than painted under it.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def layout_row(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
                   ) -> tuple[QStyleOptionViewItem, QRect | None]:
        """The row's option, its text as it is shown, and where its badge goes (None: none)."""
        shown = QStyleOptionViewItem(option)
        self.initStyleOption(shown, index)
        badge = index.data(BADGE_ROLE)
        pill = None
        if isinstance(badge, Badge):
            metrics = option.fontMetrics
            height = max(metrics.height() - 2, 12)
            width = max(height, metrics.horizontalAdvance(_badge_text(badge)) + 10)
            rect = QRect(option.rect)
            pill = QRect(rect.right() - width - 4, rect.center().y() - height // 2 + 1, width,
                         height)
            shown.rect = QRect(rect.left(), rect.top(), max(rect.width() - width - 8, 0),
                               rect.height())
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        room = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, shown, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        if shown.text:
            shown.text = elide_name(shown.text, shown.fontMetrics, room.width() - 2 * margin)
        return shown, pill

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        shown, pill = self.layout_row(option, index)
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, shown, painter, widget)
        badge = index.data(BADGE_ROLE)
        if pill is None or not isinstance(badge, Badge):
            return
        height = pill.height()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(BADGE_COLORS[badge.severity])
        painter.drawRoundedRect(pill, height / 2, height / 2)
        font = painter.font()
        font.setBold(True)
        font.setPointSizeF(max(font.pointSizeF() * 0.85, 6.0))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, _badge_text(badge))
        painter.restore()


def _badge_text(badge: Badge) -> str:
    return str(badge.count) if badge.count < 100 else "99+"


class ProjectTree(QWidget):
    """Signals ``currentChanged(kind, key)`` (empty strings: nothing) and ``selectionChanged()``."""

    currentChanged = Signal(str, str)
    selectionChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ProjectTreeModel(parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterRole(FILTER_ROLE)
        self.proxy.setDynamicSortFilter(True)  # the model keeps rows sorted; this only filters

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter by name, id, kind or status")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip("Show only guides, segments and themes whose name, id, kind "
                                    "or status contains this text (Ctrl+F). Esc clears it.")
        self.filter_edit.textChanged.connect(self._filter)
        leave = QAction("Clear filter", self.filter_edit)
        leave.setToolTip("Clear the filter and return to the tree (Esc)")
        leave.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        leave.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        leave.triggered.connect(self._leave_filter)
        self.filter_edit.addAction(leave)

        self.grouping = QComboBox(self)
        self.grouping.addItem("Status", "status")
        self.grouping.addItem("Kind", "kind")
        self.grouping.setToolTip("Group guides by their status (draft, staged, live, archived) "
                                 "or by their kind (tooltip, modal, walkthrough…)")
        self.grouping.currentIndexChanged.connect(self._regroup)
        group_label = QLabel("&Group guides by:", self)
        group_label.setBuddy(self.grouping)

        self.view = QTreeView(self)
        self.view.setModel(self.proxy)
        self.view.setHeaderHidden(True)
        self.view.setIndentation(INDENT)
        self.view.setUniformRowHeights(True)  # keeps 2,000 rows cheap to lay out
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.view.setToolTip("")  # items carry their own tooltips
        self.view.setAccessibleName("Project tree")
        self.badges = BadgeDelegate(self.view)
        self.view.setItemDelegate(self.badges)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.view.selectionModel().selectionChanged.connect(self.selectionChanged)
        self._expand_timer = QTimer(self)
        self._expand_timer.setSingleShot(True)
        self._expand_timer.setInterval(0)
        self._expand_timer.timeout.connect(self._expand)
        self._groups_to_expand: list[QPersistentModelIndex] = []  # _expand's, a turn each
        self.model.modelReset.connect(self._expand_soon)
        self.model.rowsInserted.connect(self._expand_inserted)
        self.filter_edit.returnPressed.connect(self._focus_first_match)

        top = QHBoxLayout()
        top.addWidget(group_label)
        top.addWidget(self.grouping, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter_edit)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.setFocusProxy(self.view)

    # --- document and state ------------------------------------------------------------

    def set_document(self, document: EditableDocument | None) -> None:
        self.model.set_document(document)

    def set_grouping(self, grouping: str) -> None:
        self.grouping.setCurrentIndex(max(0, self.grouping.findData(grouping)))

    def _regroup(self) -> None:
        current = self.current_ref()
        self.model.set_grouping(self.grouping.currentData())
        if current[0]:
            self.select(*current)

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        if text:
            self.view.expandAll()
        else:
            self._expand()

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def _leave_filter(self) -> None:
        """Esc in the filter box: clear it and go back to the tree."""
        self.filter_edit.clear()
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _focus_first_match(self) -> None:
        """Enter in the filter box moves to the first match, so the keyboard never leaves."""
        index = self._first_leaf(QModelIndex())
        if index.isValid():
            self._make_current(index)
        self.view.setFocus()

    def _first_leaf(self, parent: QModelIndex, kinds: tuple[str, ...] = LEAF_KINDS) -> QModelIndex:
        for row in range(self.proxy.rowCount(parent)):
            index = self.proxy.index(row, 0, parent)
            if index.data(KIND_ROLE) in kinds:
                return index
            found = self._first_leaf(index, kinds)
            if found.isValid():
                return found
        return QModelIndex()

    def first_key(self, kind: str) -> str | None:
        """The key of the first ``kind`` row as the tree shows it (filtered, grouped)."""
        index = self._first_leaf(QModelIndex(), (kind,))
        return str(index.data(KEY_ROLE)) if index.isValid() else None

    def _expand_soon(self) -> None:
        # A tick later, once however many resets come in a row: laying out 2,000 expanded
        # rows is the slow part of showing a big project and should stand alone.
        self._expand_timer.start()

    def _expand(self) -> None:
        """Expand the sections and their groups (``expandToDepth(1)``), a group per turn.

        Laying out a group's rows asks the model about each of them; a status
        group of a big project holds hundreds of guides, all of them ~100 ms.
        """
        groups: list[QPersistentModelIndex] = []
        for row in range(self.proxy.rowCount()):
            section = self.proxy.index(row, 0)
            self.view.expand(section)
            for sub in range(self.proxy.rowCount(section)):
                child = self.proxy.index(sub, 0, section)
                if self.proxy.hasChildren(child):
                    groups.append(QPersistentModelIndex(child))
        self._groups_to_expand = groups
        self._expand_next_group()

    def _expand_next_group(self) -> None:
        while self._groups_to_expand:
            group = QModelIndex(self._groups_to_expand.pop(0))
            if group.isValid():  # (gone if the tree was reset meanwhile: it expands anew)
                self.view.expand(group)
                if self._groups_to_expand:
                    QTimer.singleShot(0, self, self._expand_next_group)
                return

    def _expand_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if not parent.isValid():  # a new top-level section (broken files)
            self.view.expand(self.proxy.mapFromSource(self.model.index(first, 0)))

    # --- selection ---------------------------------------------------------------------

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.currentChanged.emit(*self._ref(current))

    @staticmethod
    def _ref(index: QModelIndex) -> Ref:
        kind = index.data(KIND_ROLE) if index.isValid() else None
        if kind not in LEAF_KINDS:
            return ("", "")
        return (kind, index.data(KEY_ROLE))

    def current_ref(self) -> Ref:
        return self._ref(self.view.currentIndex())

    def selected_refs(self) -> list[Ref]:
        """The selected items, or the current one when nothing is selected."""
        refs = [self._ref(i) for i in self.view.selectionModel().selectedRows()]
        refs = [r for r in refs if r[0]]
        if not refs and self.current_ref()[0]:
            refs = [self.current_ref()]
        return sorted(set(refs))

    def select(self, kind: str, key: str) -> bool:
        """Make an item current and selected (clearing a filter that hides it)."""
        source = self.model.index_for(kind, key)
        if not source.isValid():
            return False
        index = self.proxy.mapFromSource(source)
        if not index.isValid():
            self.filter_edit.clear()
            index = self.proxy.mapFromSource(source)
        self._make_current(index)
        self.view.scrollTo(index)
        return True

    def _make_current(self, index: QModelIndex) -> None:
        """``index`` current and the only item selected. Not ``view.setCurrentIndex``: in
        extended selection that reads the keys held down (and the view's drag state), so
        an item chosen from elsewhere with Ctrl or Shift down was added to the selection,
        and Delete then offered both."""
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.view.selectionModel().setCurrentIndex(index, flags)
