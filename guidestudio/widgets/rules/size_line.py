"""The audience's size on the real user base, under "Matches 2 of 12 sample profiles".

"≈ 1,234,567 users (12.3%) of 10,000,000 in users.parquet", and for a guide that runs
an experiment the split ("short 503,112 · full 502,998 · control group 228,457"). The
sample profiles say whether a rule is right; this says how many people it reaches.

Typing never waits for it: an edit only restarts a timer (``DEBOUNCE_MS``); when the
author pauses, the question is built (a copy of the condition) and handed to
``AudienceSizes``, which answers from its cache or counts on its own thread. While it
counts, the last figure stays, greyed ("counting…" when there is none yet). A line
that is not on screen (the Audience tab not open) asks when it is shown. Without a
user table there is no figure, only the link that chooses one.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QInputDialog, QLabel, QWidget

from guidestudio.core.audience_sql.sizes import AudienceSize, SizeError, SizeQuestion, table_name
from guidestudio.widgets.rules.audience_sizes import AudienceSizes

#: What an owner asks: a question, why this audience cannot be counted, or None
#: (nothing selected: no line).
Ask = SizeQuestion | str | None

_STYLE = """
QLabel#sizeText[state="counting"] { color: palette(placeholder-text); }
QLabel#sizeText[state="problem"] { color: #b3261e; }
"""
_DARK_PROBLEM = "QLabel#sizeText[state=\"problem\"] { color: #ff8a80; }"


def percent(part: int, whole: int) -> str:
    """12.3%; "<0.1%" and ">99.9%" rather than a 0% or 100% that is not true."""
    if not whole or not part:
        return "0%"
    if part == whole:
        return "100%"
    share = 100 * part / whole
    if share < 0.1:
        return "<0.1%"
    if share > 99.9:
        return ">99.9%"
    return f"{share:.1f}%"


def size_text(size: AudienceSize, arm_label: Callable[[str], str] = str) -> str:
    """The line's words for an answer (a second line for an experiment's split)."""
    users = "user" if size.matched == 1 else "users"
    # No break inside "≈ 322 users" or "in users.parquet" (U+00A0).
    text = (f"≈\u00a0{size.matched:,}\u00a0{users} ({percent(size.matched, size.users)}) "
            f"of {size.users:,} in\u00a0{size.table}")
    if size.arms:
        parts = [f"{'control group' if key == 'control' else arm_label(key)} {n:,}"
                 for key, n in size.arms]
        if size.outside:
            parts.append(f"not in the experiment {size.outside:,}")
        if size.no_id:
            parts.append(f"no id to split on {size.no_id:,}")
        text += "\nSplit: " + " · ".join(parts)
    return text


class SizeLine(QWidget):
    """One audience's size; ``question_fn`` says what to count."""

    DEBOUNCE_MS = 350

    def __init__(self, question_fn: Callable[[], Ask],
                 arm_label: Callable[[str], str] = str, lead: str = "",
                 parent: QWidget | None = None) -> None:
        """``lead``: words before the figure (what is counted, where that is not obvious)."""
        super().__init__(parent)
        self.question_fn = question_fn
        self.lead = lead
        self.arm_label = arm_label
        self.sizes: AudienceSizes | None = None
        self.answer: AudienceSize | SizeError | str | None = None
        self._owner = id(self)
        self._dirty = True
        self._nothing = False  # nothing selected to count
        self._dark: bool | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        #: The words shown (without the "Change…" link): what a person reads.
        self.words = ""
        self.text = QLabel(self)
        self.text.setObjectName("sizeText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)  # for the link; the words are escaped
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.LinksAccessibleByMouse
                                          | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.text.linkActivated.connect(lambda _: self.choose_table())
        self.text.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # "Change…" by keyboard too
        layout.addWidget(self.text, 1)
        self.link = QLabel(self)  # without a table: only the link that chooses one
        self.link.setObjectName("sizeLink")
        self.link.setWordWrap(True)
        self.link.setTextFormat(Qt.TextFormat.RichText)
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                          | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.link.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.link.linkActivated.connect(lambda _: self.choose_table())
        layout.addWidget(self.link, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.ask_now)
        self._show_state()

    # --- the owner's API ---------------------------------------------------------------

    def set_sizes(self, sizes: AudienceSizes | None) -> None:
        if sizes is self.sizes:
            return
        if self.sizes is not None:
            self.sizes.cancel(self._owner)
            self.sizes.answered.disconnect(self._answered)
            self.sizes.tableSet.disconnect(self._table_set)
        self.sizes = sizes
        if sizes is not None:
            sizes.answered.connect(self._answered)
            sizes.tableSet.connect(self._table_set)
            sizes.destroyed.connect(self._sizes_gone)
        self.answer = None
        self._show_state()
        self.schedule(now=True)

    def show_another(self) -> None:
        """Another guide or segment is shown: not the last one's figure, even greyed."""
        self.answer = None
        self.schedule(now=True)

    def schedule(self, now: bool = False) -> None:
        """The audience may have changed: count again once the author pauses."""
        self._dirty = True
        if self.sizes is None or not self.sizes.table:
            return
        if not self.isVisible():
            return  # asked when shown
        if now:  # another guide shown, a table chosen: a cached figure at once
            self.ask_now()
        else:
            self._timer.start(self.DEBOUNCE_MS)

    def ask_now(self) -> None:
        self._timer.stop()
        sizes = self.sizes
        if sizes is None or not sizes.table:
            self._show_state()
            return
        self._dirty = False
        question = self.question_fn()
        if not isinstance(question, SizeQuestion):
            sizes.cancel(self._owner)
            self.answer = question  # why it cannot be counted, or None: nothing selected
            self._nothing = question is None
            self._show_state()
            return
        self._nothing = False
        answer = sizes.ask(self._owner, question)
        if answer is not None:
            self.answer = answer
        self._show_state()

    def choose_table(self) -> None:
        """The link: a Parquet file or a DuckDB database (then which of its tables)."""
        if self.sizes is None:
            return
        start = str(Path(self.sizes.table.partition(".duckdb:")[0]).parent) \
            if self.sizes.table else ""
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose your user table", start,
            "User tables (*.parquet *.duckdb);;Parquet (*.parquet);;DuckDB database (*.duckdb)")
        if not path:
            return
        if path.lower().endswith(".duckdb"):
            table, ok = QInputDialog.getText(
                self, "Which table?", f"The table of users in {Path(path).name}:", text="users")
            if not ok or not table.strip():
                return
            path = f"{path}:{table.strip()}"
        self.sizes.set_table(path)

    # --- internals -----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.schedule(now=True)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the theme switched
            self._set_state(str(self.text.property("state") or ""))

    def _sizes_gone(self) -> None:
        """The project closed before this editor went (both are deleted later)."""
        self.sizes = None
        self._timer.stop()

    def _table_set(self, _spec: str) -> None:
        self.answer = None
        self._show_state()
        self.schedule(now=True)

    def _answered(self, owner: int, answer: AudienceSize | SizeError) -> None:
        if owner != self._owner:
            return
        self.answer = answer
        self._show_state()

    def _set_state(self, state: str) -> None:
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        if dark != self._dark:  # a lighter red for problems on a dark palette
            self._dark = dark
            self.setStyleSheet(_STYLE + (_DARK_PROBLEM if dark else ""))
        self.text.setProperty("state", state)
        self.text.style().unpolish(self.text)
        self.text.style().polish(self.text)

    def _show(self, words: str, tooltip: str, state: str) -> None:
        """``words`` (plain text, kept together where a break would mislead) and the link."""
        self.words = words
        table = self.sizes.table if self.sizes is not None else ""
        lines = [html.escape(line) for line in words.split("\n")]
        self.text.setText("<br>".join(lines) + ' &nbsp;<a href="choose">Change…</a>')
        self.text.setToolTip("\n\n".join(filter(None, [
            tooltip, f"Counting on {table}. “Change…” chooses another user table."])))
        self._set_state(state)

    def _show_state(self) -> None:
        sizes = self.sizes
        table = sizes.table if sizes is not None else ""
        if not table:
            self.words = ""
            self.text.hide()
            self.link.setVisible(sizes is not None)
            self.link.setText('<a href="choose">Choose a user table…</a> to see how many of '
                              "your real users this audience reaches")
            self.link.setToolTip("A Parquet export of your users (one column per attribute) "
                                 "or a table in a DuckDB database. It stays on this computer "
                                 "and is remembered for this project, not saved in it.")
            return
        self.link.hide()
        self.text.setVisible(not self._nothing)
        answer = self.answer
        busy = sizes is not None and sizes.busy(self._owner)
        if isinstance(answer, AudienceSize):
            self._show(self.lead + size_text(answer, self.arm_label),
                       "Counting again after your edit…" if busy else
                       "Counted on every row of the table, as the product would decide "
                       f"({answer.seconds:.2f} s).", "counting" if busy else "")
        elif isinstance(answer, SizeError):
            self._show(answer.message, answer.detail, "counting" if busy else "problem")
        elif isinstance(answer, str):
            self._show(answer, "", "problem")
        else:
            self._show(f"Counting users in {table_name(table)}…", "", "counting")
