"""What happened in the preview, and why the guide would (not) be shown to the sample user.

Designers debug a guide the way a developer would: the runtime's events
(``guide_shown``, ``step_error`` with the missing selector, …), the host
page's console, and the core's eligibility decision for the selected profile
— the same decision, with the same reason codes, the product's runtime makes
(docs/eligibility.md). The preview itself always shows the guide (``show()``
ignores eligibility), so this panel is where "but would Emma see it?" is answered.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core.bundle.compiler import CompileError, compile_guide
from guidestudio.core.describe import decision_text, problem_line
from guidestudio.core.model import Profile, Project
from guidestudio.core.page_anchors import MissingAnchor
from guidestudio.widgets.preview.bridge import decision

MAX_ROWS = 500
STATUS_NOTE = {
    "draft": "It is a draft: no export ships it yet.",
    "staged": "It is staged: only staging exports ship it.",
    "archived": "It is archived: no export ships it.",
}
ERROR_EVENTS = frozenset({"step_error", "runtime_error"})
COLUMNS = ("Source", "What", "Details", "×")


def _details(props: dict[str, Any]) -> str:
    shown = {k: v for k, v in props.items() if v is not None}
    return json.dumps(shown, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


class DiagnosticsPanel(QWidget):
    """The preview's log (newest last) under one line of "would this user see it?"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.decision = QLabel("Choose a guide to see whether the sample user would see it.", self)
        self.decision.setWordWrap(True)
        self.decision.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log = QTreeWidget(self)
        self.log.setHeaderLabels(list(COLUMNS))
        self.log.setRootIsDecorated(False)
        self.log.setUniformRowHeights(True)
        self.log.setAlternatingRowColors(True)
        header = self.log.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.log.setColumnWidth(0, 90)
        self.log.setColumnWidth(1, 140)
        clear = QPushButton("Clear", self)
        clear.setToolTip("Forget the events and messages listed so far")
        clear.clicked.connect(self.clear)
        top = QHBoxLayout()
        top.addWidget(self.decision, 1)
        top.addWidget(clear, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.log, 1)

    # --- filling ---------------------------------------------------------------------

    def show_decision(self, project: Project, guide_id: str | None, profile: Profile | None,
                      compiled: dict[str, Any] | None = None,
                      missing_anchors: Sequence[MissingAnchor] = (),
                      shown_variant: str | None = None) -> None:
        """Would this sample user be shown the guide now? The core decides (docs/eligibility.md).

        ``missing_anchors``: the steps whose element the page on the canvas lacks
        (``anchor_check``); the verdict says what then happens instead of promising a
        guide the page cannot show.
        """
        who = (profile.name or profile.id) if profile is not None else "A user without attributes"
        if guide_id is None or guide_id not in project.guides:
            self._no_decision(who)
            return
        try:
            now = time.time() * 1000
            guide = compiled if compiled is not None else \
                compile_guide(project, project.guides[guide_id])
            verdict = decision(project, guide_id, profile, now, guide)
            # In the author's words: "Days since last login is at least 21 — Emma: 13."
            text = decision_text(project, verdict, profile, guide, now,
                                 missing_anchors=missing_anchors, shown_variant=shown_variant)
            status = project.guides[guide_id].status
            self.decision.setText(f"{text} {STATUS_NOTE[status]}" if status in STATUS_NOTE
                                  else text)
        except CompileError as exc:
            self._no_decision(who, error=problem_line(project, exc.problem))

    def _no_decision(self, who: str, error: str = "") -> None:
        """No verdict to give: why (the guide does not compile), or what to do."""
        if error:
            self.decision.setText(f"Cannot decide for {who}: {error}")
        else:
            self.decision.setText("Choose a guide to see whether the sample user would see it.")

    def add_event(self, name: str, props: dict[str, Any], source: str = "") -> None:
        """A runtime event; a repeat of the row above only bumps its count (typing re-renders)."""
        label = f"event{f' · {source}' if source else ''}"
        self._add(label, name, _details(props), error=name in ERROR_EVENTS)

    def add_console(self, level: str, message: str, line: int, source_id: str) -> None:
        where = f" ({source_id.rsplit('/', 1)[-1]}:{line})" if source_id else ""
        self._add("console", level, message + where, error=level == "error")

    def add_navigation(self, url: QUrl) -> None:
        """The page tried to leave the host page (a guide's link or url button)."""
        where = "opened in the system browser" if url.scheme() in ("http", "https", "mailto") \
            else "not opened: not a web address"
        self._add("page", "navigation", f"{url.toDisplayString()} ({where})", error=False)

    def clear(self) -> None:
        self.log.clear()

    def _add(self, source: str, what: str, details: str, error: bool) -> None:
        count = self.log.topLevelItemCount()
        last = self.log.topLevelItem(count - 1) if count else None
        if last is not None and (last.text(0), last.text(1), last.text(2)) == (source, what,
                                                                                details):
            last.setText(3, str(int(last.text(3) or "1") + 1))
            return
        item = QTreeWidgetItem([source, what, details, ""])
        item.setToolTip(2, details)
        if error:
            for column in range(len(COLUMNS)):
                item.setForeground(column, QBrush(QColor("#b91c1c")))
        self.log.addTopLevelItem(item)
        while self.log.topLevelItemCount() > MAX_ROWS:
            self.log.takeTopLevelItem(0)
        self.log.scrollToItem(item)

    # --- reading (tests, copy) ---------------------------------------------------------

    def rows(self) -> list[tuple[str, str, str]]:
        """(source, what, details) of every row, oldest first."""
        return [(it.text(0), it.text(1), it.text(2))
                for it in (self.log.topLevelItem(i) for i in range(self.log.topLevelItemCount()))
                if it is not None]

    def event_names(self) -> list[str]:
        return [what for source, what, _ in self.rows() if source.startswith("event")]
