"""The rule builder: an audience condition as rows and groups, or as raw JSON.

Used by the guide form (audience conditions) and the segment form. The
contract with them:

* ``set_condition(dict)`` shows a condition and emits nothing (the form calls
  it when the document changes); ``condition()`` returns it — for any
  condition in GrowthBook syntax, unchanged, because what the builder cannot
  edit is kept verbatim in read-only "advanced" rows;
* ``conditionEdited(dict)`` fires after every author change that changes the
  condition — the form turns it into an undoable document edit. It is declared
  ``Signal(object)``: ``Signal(dict)`` would convert to a QVariantMap, which
  sorts the keys and drops the distinction the project's files keep;
* ``set_profiles(profiles, now_ms)`` feeds attribute suggestions and the live
  "matches N of M sample profiles" count, evaluated by the core evaluator with
  the runtime's behaviour attributes at ``now_ms`` (default: now).

The visual tab and the JSON tab show the same ``app.core.rules.Group`` tree:
row edits rewrite the JSON text; JSON edits that parse rebuild the rows, and
JSON that does not parse only shows why, leaving the rows untouched.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.model import Profile
from app.core.rule_match import matching_profiles
from app.core.rule_types import infer_attributes
from app.core.rules import Group, Rule, from_condition, to_condition
from widgets.rule_groups import GroupWidget
from widgets.rule_rows import RuleContext

_STYLE = """
*[problem="error"] { border: 2px solid #d32f2f; border-radius: 3px; }
*[problem="warning"] { border: 2px solid #e0a000; border-radius: 3px; }
GroupWidget[nested="true"] { border: 0px; border-left: 3px solid #7f9cc8; }
QLabel#advancedBadge { color: #8a5a00; font-weight: bold; }
QLabel#jsonMessage { color: #d32f2f; }
"""


def _dumps(condition: Any) -> str:
    return json.dumps(condition, ensure_ascii=False, default=str)


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
    conditionEdited = Signal(object)  # dict; see the module docstring for why not Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(_STYLE)
        self._context = RuleContext()
        self._root = Group()
        self._last: dict[str, Any] = {}
        self._profiles: list[Profile] = []
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
        layout.addWidget(self.match_label)

        self.json_edit.textChanged.connect(self._json_changed)
        self._connect_root()
        self._show_json()
        self._update_matches()

    # -- API -------------------------------------------------------------------------

    def set_condition(self, condition: dict[str, Any] | None) -> None:
        """Show ``condition`` (None means no condition); emits nothing."""
        self._root = from_condition(condition)
        self._last = to_condition(self._root)
        self._rebuild_rows()
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
        self._context.attributes = infer_attributes(self._profiles)
        self.root_widget.refresh()
        self._update_matches()

    def root_group_widget(self) -> GroupWidget:
        return self.root_widget

    # -- internals -------------------------------------------------------------------

    def _connect_root(self) -> None:
        self.root_widget.edited.connect(self._rows_edited)

    def _rebuild_rows(self) -> None:
        old = self.root_widget
        self.root_widget = GroupWidget(self._root, self._context, root=True)
        self._connect_root()
        self.scroll.setWidget(self.root_widget)  # QScrollArea deletes the old one
        del old

    def _show_json(self) -> None:
        with QSignalBlocker(self.json_edit):
            self.json_edit.setPlainText(json.dumps(self._last, indent=2, ensure_ascii=False,
                                                   default=str))

    def _rows_edited(self) -> None:
        self._publish(to_condition(self._root))
        self._show_json()
        self.json_message.clear()

    def _json_changed(self) -> None:
        data, error = parse_condition_json(self.json_edit.toPlainText())
        if data is None:
            self.json_message.setText(error or "")
            return
        self.json_message.clear()
        self._root = from_condition(data)
        self._rebuild_rows()
        self._publish(to_condition(self._root))

    def _publish(self, condition: dict[str, Any]) -> None:
        changed = _dumps(condition) != _dumps(self._last)
        self._last = condition
        self._update_matches()
        if changed:
            self.conditionEdited.emit(copy.deepcopy(condition))

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
