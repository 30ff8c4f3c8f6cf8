"""The rule builder: an audience condition as rows and groups, or as raw JSON.

Used by the guide form (audience conditions) and the segment form. The
contract with them:

* ``set_condition(dict)`` shows a condition and emits nothing (the form calls
  it when the document changes); ``condition()`` returns it — for any
  condition in GrowthBook syntax, unchanged, because what the builder cannot
  edit is kept verbatim in read-only "advanced" rows;
* ``conditionEdited(dict, mergeable)`` fires once after every author change
  that changes the condition (key order counts: a row moved is a change) —
  the form turns it into one undoable document edit. ``mergeable`` says whether
  the edit is typing (may merge with the previous edit into one undo step) or a
  step of its own (a chip added or removed, a row moved, an operator picked).
  The dict is a fresh copy the builder keeps as "the condition last published";
  receivers read it and must not change it (the document copies what it stores).
  It is declared ``object``: ``dict`` would convert to a QVariantMap, which
  sorts the keys and drops the distinction the project's files keep;
* ``set_profiles(profiles, now_ms)`` feeds attribute suggestions and the live
  "matches N of M sample profiles" count, evaluated by the core evaluator with
  the runtime's behaviour attributes at ``now_ms`` (default: now);
* ``set_catalogue(attributes)`` gives the project's attribute catalogue: rows
  then show labels (keys in grey), units, and pick allowed values from a list.

The visual tab and the JSON tab show the same ``guidestudio.core.rules.tree.Group`` tree:
row edits rewrite the JSON text; JSON edits that parse update the rows, and
JSON that does not parse only shows why, leaving the rows untouched. A new
condition of the same shape (an undo, a value edited in the JSON) is shown in
the existing rows, so focus and half-typed input survive; only a different
shape rebuilds them.

Rows move by dragging their grip or with Alt+Up / Alt+Down (within the group),
Alt+Left (out of the group) and Alt+Right (into the group above), wherever the
keyboard focus is in the row; see ``guidestudio.widgets.rules.moves``.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core.catalogue import attribute_infos
from guidestudio.core.model import Attribute, Profile
from guidestudio.core.rules.as_written import same_as_written
from guidestudio.core.rules.match import matching_profiles
from guidestudio.core.rules.tree import Group, Rule, from_condition, to_condition
from guidestudio.core.rules.values import format_scalar
from guidestudio.widgets.kit.bindings import show_plain_text
from guidestudio.widgets.rules.groups import GroupWidget
from guidestudio.widgets.rules.moves import MOVE_KEYS, RuleMoves
from guidestudio.widgets.rules.rows import RuleContext

_STYLE = """
*[problem="error"] { border: 2px solid #d32f2f; border-radius: 3px; }
*[problem="warning"] { border: 2px solid #e0a000; border-radius: 3px; }
GroupWidget[nested="true"] { border: 0px; border-left: 3px solid #7f9cc8; }
QLabel#advancedBadge { color: #8a5a00; font-weight: bold; }
QLabel#jsonMessage { color: #d32f2f; }
QLabel#dragHandle { color: palette(mid); font-size: 14px; }
QLabel#dragHandle:hover { color: palette(highlight); }
"""

#: How many sample values per attribute are offered while typing a list.
_MAX_SUGGESTIONS = 200


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(f"the key {key!r} appears twice in one object")
        out[key] = value
    return out


def parse_condition_json(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """The condition in ``text``, or why it is not one (bad JSON, not an object,
    a duplicated key — which JSON parsers would silently resolve)."""
    if not text.strip():
        return {}, None
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except _DuplicateKey as exc:
        return None, f"Not applied: {exc}."
    except json.JSONDecodeError as exc:
        return None, f"Not applied: invalid JSON at line {exc.lineno}, column {exc.colno}: " \
                     f"{exc.msg}."
    if not isinstance(data, dict):
        return None, "Not applied: a condition is a JSON object, e.g. {\"plan\": \"free\"}."
    return data, None


def profile_values(profiles: list[Profile]) -> dict[str, list[str]]:
    """Each attribute path's distinct values in the sample profiles, as typed in
    a list (items of list attributes count one by one), first seen first."""
    found: dict[str, list[str]] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
            return
        items = value if isinstance(value, list) else [value]
        seen = found.setdefault(prefix, [])
        for item in items:
            if isinstance(item, (str, int, float)) and not isinstance(item, bool):
                text = format_scalar(item)
                if text and text not in seen and len(seen) < _MAX_SUGGESTIONS:
                    seen.append(text)

    for profile in profiles:
        walk("", profile.attributes)
    return {path: values for path, values in found.items() if values}


def _left_out(group: Group) -> int:
    """Rows written by the author but not (yet) in the condition."""
    count = 0
    for child in group.children:
        if isinstance(child, Group):
            count += _left_out(child)
        elif isinstance(child, Rule) and not child.complete and (
                child.attribute.strip() or (child.text or "").strip()):
            count += 1
    return count


class RuleBuilder(QWidget):
    conditionEdited = Signal(object, bool)  # dict, mergeable; see the module docstring

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(_STYLE)
        self._context = RuleContext()
        self._root = Group()
        self._last: dict[str, Any] = {}
        self._profiles: list[Profile] = []
        self._catalogue: list[Attribute] = []
        self._now_ms: int | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget(self)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.root_widget = GroupWidget(self._root, self._context, root=True)
        self.scroll.setWidget(self.root_widget)
        self.tabs.addTab(self.scroll, "Rules")

        json_page = QWidget(self)
        json_layout = QVBoxLayout(json_page)
        self.json_edit = QPlainTextEdit(json_page)
        self.json_edit.setObjectName("jsonEdit")
        self.json_edit.setUndoRedoEnabled(False)  # Ctrl+Z is the document's (field_undo)
        self.json_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.json_edit.setToolTip("The condition in GrowthBook syntax. Valid JSON updates "
                                  "the rules as you type.")
        self.json_message = QLabel(json_page)
        self.json_message.setObjectName("jsonMessage")
        self.json_message.setWordWrap(True)
        json_layout.addWidget(self.json_edit, 1)
        json_layout.addWidget(self.json_message)
        self.tabs.addTab(json_page, "JSON")
        layout.addWidget(self.tabs, 1)

        self.match_label = QLabel(self)
        self.match_label.setObjectName("matchLabel")
        self.match_label.setWordWrap(True)
        layout.addWidget(self.match_label)

        self.json_edit.textChanged.connect(self._json_changed)
        self._connect_root()
        self._show_json()
        self._update_matches()
        for direction, keys in MOVE_KEYS.items():
            shortcut = QShortcut(QKeySequence(keys), self.scroll)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda d=direction: self.move_focused(d))

    # -- API -------------------------------------------------------------------------

    def set_condition(self, condition: dict[str, Any] | None) -> None:
        """Show ``condition`` (None means no condition); emits nothing."""
        self._root = from_condition(condition)
        self._last = to_condition(self._root)
        self._show_rows()
        self._show_json()
        self.json_message.clear()
        self._update_matches()

    def condition(self) -> dict[str, Any]:
        """The condition as shown, without rows the author has not finished or got wrong."""
        return to_condition(self._root)

    def set_profiles(self, profiles: list[Profile], now_ms: int | None = None) -> None:
        """Sample profiles for suggestions and the match count, evaluated at ``now_ms``."""
        self._profiles = list(profiles)
        self._now_ms = now_ms
        self._update_attributes()
        self._update_matches()

    def set_catalogue(self, attributes: list[Attribute]) -> None:
        """The project's attribute catalogue: labels, units, allowed values and types."""
        self._catalogue = list(attributes)
        self._update_attributes()

    def _update_attributes(self) -> None:
        self._context.attributes = attribute_infos(self._catalogue, self._profiles)
        values = profile_values(self._profiles)
        for entry in self._catalogue:
            if entry.allowed:  # the values the product sends come first
                allowed = [format_scalar(v) for v in entry.allowed]
                values[entry.key] = allowed + [v for v in values.get(entry.key, [])
                                               if v not in allowed]
        self._context.values = values
        self.root_widget.refresh()

    def root_group_widget(self) -> GroupWidget:
        return self.root_widget

    def move_focused(self, direction: str) -> bool:
        """Move the row or group holding the keyboard focus (Alt+arrows); see
        ``RuleMoves.move_focused``."""
        return self.moves.move_focused(direction)

    # -- internals -------------------------------------------------------------------

    def _connect_root(self) -> None:
        self.root_widget.edited.connect(self._rows_edited)
        self.moves = RuleMoves(self.root_widget)  # goes with the root it serves
        self.moves.moved.connect(self._rows_moved)

    def _show_rows(self) -> None:
        """Show ``self._root``: in the existing rows when it has their shape."""
        if not self.root_widget.adopt(self._root):
            self._rebuild_rows()

    def _rebuild_rows(self) -> None:
        old = self.root_widget
        self.root_widget = GroupWidget(self._root, self._context, root=True)
        self._connect_root()
        self.scroll.setWidget(self.root_widget)  # QScrollArea deletes the old one
        del old

    def _show_json(self) -> None:
        with QSignalBlocker(self.json_edit):
            show_plain_text(self.json_edit, json.dumps(self._last, indent=2, ensure_ascii=False,
                                                       default=str))

    def _rows_edited(self, discrete: bool = False) -> None:
        self._publish(to_condition(self._root), mergeable=not discrete)
        self._show_json()
        self.json_message.clear()

    def _rows_moved(self) -> None:
        self._rows_edited(discrete=True)  # a move is an undo step of its own

    def _json_changed(self) -> None:
        data, error = parse_condition_json(self.json_edit.toPlainText())
        if data is None:
            self.json_message.setText(error or "")
            return
        self.json_message.clear()
        self._root = from_condition(data)
        self._show_rows()
        self._publish(to_condition(self._root))

    def _publish(self, condition: dict[str, Any], mergeable: bool = True) -> None:
        """Make ``condition`` (a fresh copy from ``to_condition``) the shown one and
        tell the form, once, if it differs from the last one as written."""
        changed = not same_as_written(condition, self._last)
        self._last = condition
        self._update_matches()
        if changed:
            self.conditionEdited.emit(condition, mergeable)

    def _update_matches(self) -> None:
        left_out = _left_out(self._root)
        note = ""
        if left_out:
            note = (f" · {left_out} unfinished or invalid rule{'s' if left_out > 1 else ''} "
                    f"not applied")
        if not self._profiles:
            self.match_label.setText("No sample profiles to test against" + note)
            self.match_label.setToolTip("Add sample users to profiles.yaml to see who "
                                        "this condition matches.")
            return
        matched = matching_profiles(self._last, self._profiles, self._now_ms)
        total = len(self._profiles)
        self.match_label.setText(f"Matches {len(matched)} of {total} sample profiles{note}")
        names = "\n".join(f"• {p.name or p.id}" for p in matched)
        self.match_label.setToolTip(f"Matching sample profiles:\n{names}" if names
                                    else "No sample profile matches this condition.")

    def matched_count(self) -> int:
        """How many sample profiles the shown condition matches."""
        return len(matching_profiles(self._last, self._profiles, self._now_ms))
