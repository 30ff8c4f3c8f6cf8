"""The project as a tree: project settings and sample profiles, guides (grouped by status
or kind), segments, themes, broken files.

A hand-written ``QAbstractItemModel`` rather than a ``QStandardItemModel`` so
that a change touches only the rows it concerns: typing in a guide's title
costs one dict lookup here, renaming it one ``dataChanged``, changing its status
one ``beginMoveRows`` (selection and the open editor follow the row). The
document's ``changed`` signal drives it; ``reset`` rebuilds it.

Every node stays reachable from the root while it is in the model (Qt keeps raw
pointers to them in its indexes).

Rows of guides, segments, themes and the project's two files carry a badge
(``BADGE_ROLE``): their errors and warnings, kept in step with the document's
``problemsChanged`` — only the rows whose counts changed are repainted.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any, NamedTuple

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from guidestudio.core.model import GUIDE_KINDS, STATUSES
from guidestudio.widgets.kit.editing import EditableDocument, all_problems
from guidestudio.widgets.kit.icons import icon, kind_icon

KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "section" | "group" | "guide" | "segment" | ...
KEY_ROLE = Qt.ItemDataRole.UserRole + 2  # entity id, group value, folder, or broken file path
FILTER_ROLE = Qt.ItemDataRole.UserRole + 3
#: ``Badge`` of a row with problems (None without): what the tree paints at its right edge.
BADGE_ROLE = Qt.ItemDataRole.UserRole + 4

FOLDER_KIND = {"guides": "guide", "segments": "segment", "themes": "theme"}
KIND_FOLDER = {v: k for k, v in FOLDER_KIND.items()}
SECTION_TITLES = {"project": "Project", "guides": "Guides", "segments": "Segments",
                  "themes": "Themes", "broken": "Broken files"}
#: The "Project" section's rows: one file each, keyed "" (kind, label, file, tooltip).
PROJECT_ITEMS = (
    ("settings", "Settings", "guidestudio.yaml",
     "Name, languages, time zone, A/B split attribute, default theme, asset URL and the "
     "limits on how many guides a person sees"),
    ("profiles", "Sample profiles", "profiles.yaml",
     "Made-up users with attributes and event histories that rules, the preview and the "
     "simulator test guides against"),
    ("results", "Results", "",
     "Did the guides work? Funnels, missing anchors and experiments from your exported "
     "events"),
)
PROJECT_KINDS = tuple(kind for kind, *_ in PROJECT_ITEMS)
GROUPS = {"status": STATUSES, "kind": GUIDE_KINDS}
Index = QModelIndex | QPersistentModelIndex
_HEADING_FLAGS = Qt.ItemFlag.ItemIsEnabled  # sections and groups: not selectable
_LEAF_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # built once, asked often
NO_INDEX = QModelIndex()  # the default "parent" argument (the invisible root)


class Badge(NamedTuple):
    """A row's problems: how many errors and warnings its file has."""

    errors: int
    warnings: int

    @property
    def severity(self) -> str:
        return "error" if self.errors else "warning"

    @property
    def count(self) -> int:
        """The number the badge shows: errors when there are any, else warnings."""
        return self.errors or self.warnings

    def describe(self) -> str:
        parts = [f"{n} {word}{'s' * (n != 1)}"
                 for n, word in ((self.errors, "error"), (self.warnings, "warning")) if n]
        return ", ".join(parts)


class Node:
    """One row. ``label`` and ``group`` are cached so an edit can tell what it changed."""

    __slots__ = ("kind", "key", "parent", "children", "label", "group", "detail")

    def __init__(self, kind: str, key: str, parent: Node | None) -> None:
        self.kind = kind
        self.key = key
        self.parent = parent
        self.children: list[Node] = []
        self.label = key
        self.group = ""
        self.detail = ""  # kind of a guide (for its icon) or problems of a broken file

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent is not None else 0


def _order(node: Node) -> tuple[str, str]:
    """Rows are kept sorted by label here, so no sorting proxy has to ask for 2,000 labels."""
    return (node.label.casefold(), node.key)


class ProjectTreeModel(QAbstractItemModel):
    def __init__(self, document: EditableDocument | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document: EditableDocument | None = None
        self._grouping = "status"
        self._root = Node("root", "", None)
        self._leaves: dict[str, dict[str, Node]] = {
            f: {} for f in (*FOLDER_KIND, "broken", *PROJECT_KINDS)}
        self._sections: dict[str, Node] = {}
        self._badges: dict[tuple[str, str], Badge] = {}  # (folder or project kind, key)
        if document is not None:
            self.set_document(document)

    # --- document --------------------------------------------------------------------

    def set_document(self, document: EditableDocument | None) -> None:
        if self._document is not None:
            self._document.changed.disconnect(self._on_changed)
            self._document.reset.disconnect(self.rebuild)
            self._document.problemsChanged.disconnect(self.update_badges)
        self._document = document
        self._badges = {}
        if document is not None:
            document.changed.connect(self._on_changed)
            document.reset.connect(self.rebuild)
            document.problemsChanged.connect(self.update_badges)
        self.rebuild()
        self.update_badges()

    @property
    def grouping(self) -> str:
        return self._grouping

    def set_grouping(self, grouping: str) -> None:
        """Group guides by "status" or "kind"."""
        if grouping not in GROUPS:
            raise ValueError(f"unknown grouping {grouping!r}")
        if grouping != self._grouping:
            self._grouping = grouping
            self.rebuild()

    def rebuild(self) -> None:
        self.beginResetModel()
        self._root = Node("root", "", None)
        self._sections = {}
        self._leaves = {f: {} for f in (*FOLDER_KIND, "broken", *PROJECT_KINDS)}
        if self._document is not None:
            section = self._add_section("project")
            for kind, label, _file, _tip in PROJECT_ITEMS:
                leaf = Node(kind, "", section)
                leaf.label = label
                section.children.append(leaf)
                self._leaves[kind][""] = leaf
            self._describe_profiles()
            for folder in FOLDER_KIND:
                section = self._add_section(folder)
                if folder == "guides":
                    for value in GROUPS[self._grouping]:
                        section.children.append(Node("group", value, section))
                for entity_id, entity in sorted(getattr(self._document.project, folder).items()):
                    leaf = Node(FOLDER_KIND[folder], entity_id, None)
                    self._describe(leaf, entity)
                    parent = section
                    if folder == "guides":
                        parent = self._find_group(leaf.group) or Node("group", leaf.group, section)
                        if parent not in section.children:
                            section.children.append(parent)
                    leaf.parent = parent
                    parent.children.append(leaf)
                    self._leaves[folder][entity_id] = leaf
                for container in (section, *section.children):
                    if container.children and container.children[0].kind != "group":
                        container.children.sort(key=_order)
            broken = self._broken_files()
            if broken:
                section = self._add_section("broken")
                for rel, problems in sorted(broken.items()):
                    leaf = Node("broken", rel, section)
                    self._describe_broken(leaf, problems)
                    section.children.append(leaf)
                    self._leaves["broken"][rel] = leaf
        self.endResetModel()

    def _add_section(self, folder: str) -> Node:
        node = Node("section", folder, self._root)
        self._root.children.append(node)
        self._sections[folder] = node
        return node

    def _broken_files(self) -> dict[str, list[Any]]:
        files = getattr(self._document, "files", None)
        return dict(getattr(files, "broken", {}) or {})

    # --- following edits (only the rows affected) ----------------------------------------

    def _on_changed(self, change: Any) -> None:
        path = tuple(change.path)
        if not path:
            self.sync_all()
        elif path[0] == "profiles":
            self._describe_profiles(notify=True)
        elif path[0] in FOLDER_KIND:
            if len(path) == 1:
                self._sync_folder(path[0])
            else:
                self._sync_entity(path[0], path[1])

    def sync_all(self) -> None:
        """Bring every row in line with the project (a reload or a batch over folders)."""
        for folder in FOLDER_KIND:
            self._sync_folder(folder)
        self._sync_broken()
        self._describe_profiles(notify=True)

    def _describe_profiles(self, notify: bool = False) -> None:
        """The "Sample profiles" row shows how many there are."""
        leaf = self._leaves["profiles"].get("")
        if leaf is None or self._document is None:
            return
        count = len(self._document.project.profiles)
        label = f"Sample profiles ({count})"
        if label != leaf.label:
            leaf.label = label
            if notify:
                index = self._index_of(leaf)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])

    def _sync_folder(self, folder: str) -> None:
        assert self._document is not None
        ids = set(getattr(self._document.project, folder)) | set(self._leaves[folder])
        for entity_id in sorted(ids):
            self._sync_entity(folder, entity_id)

    def _sync_entity(self, folder: str, entity_id: Any) -> None:
        assert self._document is not None
        entity = getattr(self._document.project, folder).get(entity_id)
        leaf = self._leaves[folder].get(entity_id)
        if entity is None:
            if leaf is not None:
                self._remove(leaf)
                del self._leaves[folder][entity_id]
            return
        if leaf is None:
            leaf = Node(FOLDER_KIND[folder], entity_id, None)
            self._describe(leaf, entity)
            self._insert(leaf, self._parent_for(folder, leaf.group))
            self._leaves[folder][entity_id] = leaf
            return
        before = (leaf.label, leaf.group, leaf.detail)
        self._describe(leaf, entity)
        if (leaf.label, leaf.group) != before[:2]:
            self._place(leaf, self._parent_for(folder, leaf.group))
        if (leaf.label, leaf.detail) != (before[0], before[2]):
            index = self._index_of(leaf)
            self.dataChanged.emit(index, index)

    def _sync_broken(self) -> None:
        broken = self._broken_files()
        leaves = self._leaves["broken"]
        for rel in sorted(set(leaves) - set(broken)):
            self._remove(leaves.pop(rel))
        if not broken:
            section = self._sections.pop("broken", None)
            if section is not None:
                row = section.row()
                self.beginRemoveRows(QModelIndex(), row, row)
                self._root.children.remove(section)
                self.endRemoveRows()
            return
        if "broken" not in self._sections:
            row = len(self._root.children)
            self.beginInsertRows(QModelIndex(), row, row)
            self._add_section("broken")
            self.endInsertRows()
        for rel, problems in sorted(broken.items()):
            leaf = leaves.get(rel)
            if leaf is None:
                leaf = Node("broken", rel, None)
                self._describe_broken(leaf, problems)
                self._insert(leaf, self._sections["broken"])
                leaves[rel] = leaf
            else:
                self._describe_broken(leaf, problems)
                index = self._index_of(leaf)
                self.dataChanged.emit(index, index)

    def _parent_for(self, folder: str, group: str) -> Node:
        return self._group_node(group, create=True) if folder == "guides" \
            else self._sections[folder]

    def _find_group(self, value: str) -> Node | None:
        for child in self._sections["guides"].children:
            if child.key == value:
                return child
        return None

    def _group_node(self, value: str, create: bool = False) -> Node:
        node = self._find_group(value)
        if node is None:
            node = Node("group", value, None)  # a value outside the schema: show it anyway
            if create:
                self._insert(node, self._sections["guides"])
        return node

    def _insert(self, node: Node, parent: Node) -> None:
        row = len(parent.children) if node.kind == "group" else \
            bisect_left(parent.children, _order(node), key=_order)
        self.beginInsertRows(self._index_of(parent), row, row)
        node.parent = parent
        parent.children.insert(row, node)
        self.endInsertRows()
        self._counts_changed(parent)

    def _remove(self, node: Node) -> None:
        parent = node.parent
        assert parent is not None
        row = node.row()
        self.beginRemoveRows(self._index_of(parent), row, row)
        parent.children.pop(row)
        self.endRemoveRows()
        self._counts_changed(parent)

    def _place(self, node: Node, target: Node) -> None:
        """Move a row to its sorted place in ``target`` (its group may have changed)."""
        source = node.parent
        assert source is not None
        row = node.row()
        siblings = [c for c in target.children if c is not node]
        final = bisect_left(siblings, _order(node), key=_order)
        if source is target:
            if final == row:
                return
            dest = final + 1 if final > row else final  # Qt counts before the move
        else:
            dest = final
        self.beginMoveRows(self._index_of(source), row, row, self._index_of(target), dest)
        source.children.pop(row)
        node.parent = target
        target.children.insert(final, node)
        self.endMoveRows()
        if source is not target:
            self._counts_changed(source)
            self._counts_changed(target)

    def _counts_changed(self, node: Node | None) -> None:
        """Group and section labels show how many rows they hold."""
        while node is not None and node is not self._root:
            index = self._index_of(node)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])
            node = node.parent

    def _describe(self, leaf: Node, entity: Any) -> None:
        leaf.label = getattr(entity, "name", None) or leaf.key
        if leaf.kind == "guide":
            leaf.group = str(getattr(entity, self._grouping, "") or "")
            leaf.detail = f"{entity.kind}\n{entity.status}"

    @staticmethod
    def _describe_broken(leaf: Node, problems: list[Any]) -> None:
        leaf.label = leaf.key.rsplit("/", 1)[-1]
        leaf.detail = "\n".join(p.format() for p in problems[:5]) or "This file cannot be read."

    # --- problem badges -----------------------------------------------------------------

    def update_badges(self) -> None:
        """Count each file's errors and warnings; repaint the rows whose counts changed."""
        badges: dict[tuple[str, str], Badge] = {}
        problems = all_problems(self._document) if self._document is not None else []
        if problems:
            from guidestudio.core.files.entity_files import (
                entity_path,  # loaded with the project, before any problem exists
            )

            tally: dict[tuple[str, str], list[int]] = {}
            for problem in problems:
                path = entity_path(problem.file)
                if path is None:
                    continue
                key = (path[0], "") if len(path) == 1 else (path[0], str(path[1]))
                counts = tally.setdefault(key, [0, 0])
                counts[0 if problem.is_error else 1] += 1
            badges = {key: Badge(*counts) for key, counts in tally.items()}
        old, self._badges = self._badges, badges
        changed: dict[int, tuple[Node, list[Node]]] = {}  # by parent: (parent, its rows)
        for key in set(old) | set(badges):
            if old.get(key) != badges.get(key):
                node = self._leaves.get(key[0], {}).get(key[1])
                if node is not None and node.parent is not None:
                    changed.setdefault(id(node.parent), (node.parent, []))[1].append(node)
        # One signal per group, spanning its changed rows: at open ~900 badges appear at
        # once, and a signal per row had the proxy and the view map each one (~100 ms).
        for parent, nodes in changed.values():
            wanted = {id(node) for node in nodes}
            rows = [row for row, child in enumerate(parent.children) if id(child) in wanted]
            if rows:
                self.dataChanged.emit(
                    self.createIndex(rows[0], 0, parent.children[rows[0]]),
                    self.createIndex(rows[-1], 0, parent.children[rows[-1]]),
                    [BADGE_ROLE, Qt.ItemDataRole.ToolTipRole])

    def badge(self, node: Node) -> Badge | None:
        if node.kind in PROJECT_KINDS:
            return self._badges.get((node.kind, ""))
        folder = KIND_FOLDER.get(node.kind)
        return self._badges.get((folder, node.key)) if folder else None

    # --- lookups for the view ----------------------------------------------------------

    def _index_of(self, node: Node) -> QModelIndex:
        if node is self._root or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.row(), 0, node)

    def index_for(self, kind: str, key: str) -> QModelIndex:
        """The row of a guide/segment/theme id or a broken file path (invalid if absent)."""
        folder = KIND_FOLDER.get(kind, kind)
        node = self._leaves.get(folder, {}).get(key)
        return self._index_of(node) if node is not None else QModelIndex()

    def node(self, index: Index) -> Node | None:
        return index.internalPointer() if index.isValid() else None

    # --- QAbstractItemModel ------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = NO_INDEX) -> QModelIndex:
        node = self.node(parent) if parent.isValid() else self._root
        if node is None or column != 0 or not 0 <= row < len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row])

    def parent(self, index: Index | None = None) -> Any:  # type: ignore[override]
        if index is None:  # QObject.parent()
            return QObject.parent(self)
        node = self.node(index)
        if node is None or node.parent is None or node.parent is self._root:
            return QModelIndex()
        return self._index_of(node.parent)

    def rowCount(self, parent: Index = NO_INDEX) -> int:
        if parent.column() > 0:
            return 0
        node = self.node(parent) if parent.isValid() else self._root
        return len(node.children) if node is not None else 0

    def columnCount(self, parent: Index = NO_INDEX) -> int:
        return 1

    def hasChildren(self, parent: Index = NO_INDEX) -> bool:
        return self.rowCount(parent) > 0

    def flags(self, index: Index) -> Qt.ItemFlag:
        node = self.node(index)
        if node is None:
            return Qt.ItemFlag.NoItemFlags
        return _HEADING_FLAGS if node.kind in ("section", "group") else _LEAF_FLAGS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node(index)
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if node.kind == "section" and node.key == "project":
                return SECTION_TITLES[node.key]
            if node.kind == "section":
                return f"{SECTION_TITLES[node.key]} ({self._count(node)})"
            if node.kind == "group":
                return f"{node.key.capitalize() or '(none)'} ({len(node.children)})"
            return node.label
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(node)
        if role == Qt.ItemDataRole.ToolTipRole:
            badge = self.badge(node)
            tip = self._tooltip(node)
            return f"{tip}\n{badge.describe()} — see Problems" if badge and tip else tip
        if role == BADGE_ROLE:
            return self.badge(node)
        if role == KIND_ROLE:
            return node.kind
        if role == KEY_ROLE:
            return node.key
        if role == FILTER_ROLE:
            if node.kind in ("section", "group"):
                return ""  # groups show when something in them matches, not by their name
            return f"{node.label} {node.key} {node.detail}"
        return None

    def _count(self, node: Node) -> int:
        if node.key == "guides":
            return sum(len(group.children) for group in node.children)
        return len(node.children)

    def _icon(self, node: Node) -> Any:
        if node.kind == "guide":
            return kind_icon(node.detail.split("\n")[0])
        if node.kind in ("segment", "theme"):
            return icon(node.kind)
        if node.kind == "broken":
            return icon("severity-warning")
        if node.kind in PROJECT_KINDS:
            return icon({"settings": "app", "results": "results"}.get(node.kind, "segment"))
        if node.kind == "group" and self._grouping == "kind":
            return kind_icon(node.key)
        if node.kind == "section":
            return icon("severity-warning") if node.key == "broken" else icon("folder")
        return None

    def _tooltip(self, node: Node) -> str | None:
        if node.kind == "guide":
            kind, status = node.detail.split("\n")
            return f"{node.label}\nid: {node.key} · {kind} · {status}\nguides/{node.key}.yaml"
        if node.kind in ("segment", "theme"):
            return f"{node.label}\nid: {node.key}\n{KIND_FOLDER[node.kind]}/{node.key}.yaml"
        if node.kind == "broken":
            return (f"{node.key} could not be loaded and will not be overwritten on save. "
                    f"Fix it in a text editor; it reloads automatically.\n{node.detail}")
        if node.kind == "group":
            return f"Guides whose {self._grouping} is {node.key}"
        for kind, _label, file, tip in PROJECT_ITEMS:
            if node.kind == kind:
                return f"{tip}.\n{file}" if file else f"{tip}."
        return None
