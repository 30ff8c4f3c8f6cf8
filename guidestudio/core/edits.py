"""Edits as plain data: every change to a project, and how to take it back.

The editor never writes the model directly. A widget describes what the user
did as an ``Edit``; ``apply`` performs it and returns the inverse edit, which is
all undo needs. Keeping this Qt-free (Orange's paint-data widget works the same
way) means edits can be tested, replayed and merged without a window, and the
Qt side is a thin ``QUndoCommand`` adapter (``app/commands.py``).

A *path* addresses anything in a project: ``("guides", "welcome", "variants",
0, "steps", 1, "title", "en")`` walks dataclass attributes, mapping keys and
list indices.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any

Path = tuple[Any, ...]


class _Missing:
    """The value of a key that is not there (deleting a key sets it to MISSING)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __deepcopy__(self, memo: dict[int, Any]) -> _Missing:
        return self


MISSING: Any = _Missing()


class EditError(Exception):
    """An edit that does not fit the project (a bug in the caller, not user input)."""


def get(root: Any, path: Path) -> Any:
    node = root
    for part in path:
        node = _child(node, part)
        if node is MISSING:
            return MISSING
    return node


def _child(node: Any, part: Any) -> Any:
    if isinstance(node, dict):
        return node.get(part, MISSING)
    if isinstance(node, list):
        if isinstance(part, int) and -len(node) <= part < len(node):
            return node[part]
        return MISSING
    if dataclasses.is_dataclass(node) and isinstance(part, str) and hasattr(node, part):
        return getattr(node, part)
    return MISSING


def _parent(root: Any, path: Path) -> Any:
    if not path:
        raise EditError("an edit needs a non-empty path")
    parent = get(root, path[:-1])
    if parent is MISSING or parent is None:
        raise EditError(f"nothing at {path[:-1]!r}")
    return parent


def _set(parent: Any, key: Any, value: Any) -> Any:
    """Set one slot; return what was there before."""
    if isinstance(parent, dict):
        old = parent.get(key, MISSING)
        if value is MISSING:
            parent.pop(key, None)
        else:
            parent[key] = value
        return old
    if isinstance(parent, list):
        old = parent[key]
        parent[key] = value
        return old
    if dataclasses.is_dataclass(parent):
        if not hasattr(parent, key):
            raise EditError(f"{type(parent).__name__} has no field {key!r}")
        old = getattr(parent, key)
        setattr(parent, key, None if value is MISSING else value)
        return old
    raise EditError(f"cannot set {key!r} on {type(parent).__name__}")


@dataclass(frozen=True)
class SetValue:
    """Replace the value at ``path`` (``MISSING`` deletes a mapping key)."""

    path: Path
    value: Any

    @property
    def target(self) -> Path:
        return self.path


@dataclass(frozen=True)
class InsertItem:
    """Insert ``item`` into the list at ``path`` before ``index``."""

    path: Path
    index: int
    item: Any

    @property
    def target(self) -> Path:
        return self.path


@dataclass(frozen=True)
class RemoveItem:
    path: Path
    index: int

    @property
    def target(self) -> Path:
        return self.path


@dataclass(frozen=True)
class MoveItem:
    """Move the list item at ``source`` so that it ends up at index ``dest``."""

    path: Path
    source: int
    dest: int

    @property
    def target(self) -> Path:
        return self.path


@dataclass(frozen=True)
class Batch:
    """Several edits that undo as one (rename = remove + add + fix references)."""

    edits: tuple[Any, ...] = field(default_factory=tuple)

    @property
    def target(self) -> Path:
        if not self.edits:
            return ()
        # The longest common prefix of the parts' targets.
        paths = [e.target for e in self.edits]
        prefix: list[Any] = []
        for parts in zip(*paths, strict=False):
            if all(p == parts[0] for p in parts):
                prefix.append(parts[0])
            else:
                break
        return tuple(prefix)


Edit = SetValue | InsertItem | RemoveItem | MoveItem | Batch


def apply(root: Any, edit: Edit) -> Edit:
    """Perform ``edit`` on ``root`` in place and return the edit that undoes it."""
    if isinstance(edit, SetValue):
        parent = _parent(root, edit.path)
        old = _set(parent, edit.path[-1], copy.deepcopy(edit.value))
        return SetValue(edit.path, old)
    if isinstance(edit, InsertItem):
        items = get(root, edit.path)
        if not isinstance(items, list):
            raise EditError(f"no list at {edit.path!r}")
        if not 0 <= edit.index <= len(items):
            raise EditError(f"index {edit.index} out of range at {edit.path!r}")
        items.insert(edit.index, copy.deepcopy(edit.item))
        return RemoveItem(edit.path, edit.index)
    if isinstance(edit, RemoveItem):
        items = get(root, edit.path)
        if not isinstance(items, list) or not 0 <= edit.index < len(items):
            raise EditError(f"no item {edit.index} at {edit.path!r}")
        item = items.pop(edit.index)
        return InsertItem(edit.path, edit.index, item)
    if isinstance(edit, MoveItem):
        items = get(root, edit.path)
        n = len(items) if isinstance(items, list) else 0
        if not (0 <= edit.source < n and 0 <= edit.dest < n):
            raise EditError(f"cannot move {edit.source} -> {edit.dest} at {edit.path!r}")
        items.insert(edit.dest, items.pop(edit.source))
        return MoveItem(edit.path, edit.dest, edit.source)
    if isinstance(edit, Batch):
        inverses: list[Edit] = []
        try:
            for part in edit.edits:
                inverses.append(apply(root, part))
        except EditError:
            for inverse in reversed(inverses):  # leave the project as it was
                apply(root, inverse)
            raise
        return Batch(tuple(reversed(inverses)))
    raise EditError(f"unknown edit {edit!r}")


def leaf_targets(edit: Edit) -> list[Path]:
    """The path of every single change in ``edit`` (a batch's parts, not their common
    prefix): a rename touches the renamed entity and each file that names it, not
    the whole project."""
    if isinstance(edit, Batch):
        return [target for part in edit.edits for target in leaf_targets(part)]
    return [tuple(edit.target)]


def merged(first: SetValue, second: SetValue) -> SetValue | None:
    """Typing in one field: two consecutive sets of the same path become one."""
    if first.path == second.path:
        return second
    return None
