"""Results: did the guides work? The overview across guides, and one guide's results.

It fills the window's centre (the project tree's "Results" row, View ▸ Results, or a
guide's "Results" button). At the top, the event files the results are read from —
the user's, remembered per project in the user's settings, never in the project —
with "Choose event files…" (files, a folder of daily files, or a pattern), and while
the events are read a progress bar with a Cancel that stops DuckDB. Below: what was
left out (unreadable rows by file and row, duplicates, events of other guides), then
either the table of every guide (shown, completed, goal rate, the experiment's
verdict; a double-click opens a guide) or one guide's page (``guide_page``).

The work runs in ``ResultsRunner`` off the GUI thread; this view only shows what it
says, so the window never waits for DuckDB.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.kit.icons import kind_icon
from guidestudio.widgets.results.guide_page import NUMBER, GuidePage, header, label
from guidestudio.widgets.results.runner import STAGES, Outcome, ResultsRunner
from guidestudio.widgets.results.summary import count, pct, share, totals, verdict

OVERVIEW_COLUMNS = ("Guide", "Status", "Shown", "Completed", "Reached goal", "Goal rate",
                    "Experiment")
NO_SOURCES = ("Results come from the events your product already sends to its analytics "
              "(the guide runtime's guide_shown, step_shown, guide_completed, "
              "experiment_viewed… and your goal events). Export them as JSON Lines, CSV or "
              "Parquet — Segment or RudderStack track calls, or Amplitude's export — and "
              "choose the files, or the folder of daily files, here. They stay on this "
              "computer and are remembered for this project.")


class _Number(QTableWidgetItem):
    """A table cell shown formatted, sorted by its number."""

    def __init__(self, text: str, value: float | None) -> None:
        super().__init__(text)
        self.value = -1.0 if value is None else float(value)
        self.setTextAlignment(NUMBER)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, _Number):
            return self.value < other.value
        return super().__lt__(other)


class ResultsView(QWidget):
    """See the module docstring."""

    #: (guide id, variant index, step index): show that step in the editor.
    stepRequested = Signal(str, int, int)
    #: Open this guide in the editor.
    guideRequested = Signal(str)

    def __init__(self, document: EditableDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsView")
        self.document = document
        self.runner: ResultsRunner | None = None
        self.guide_id: str | None = None  # None: the overview
        self.page: GuidePage | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 6)

        title = QLabel("Results", self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        self.choose = QToolButton(self)
        self.choose.setText("Choose event files…")
        self.choose.setToolTip("The exported events to read: files, a folder of daily files, "
                               "or a pattern such as events/2026-11-*.jsonl")
        self.choose.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.choose.clicked.connect(self.choose_files)
        menu = QMenu(self.choose)
        menu.addAction("Files…", self.choose_files)
        menu.addAction("A folder of files (e.g. one a day)…", self.choose_folder)
        menu.addAction("A pattern…", self.choose_pattern)
        menu.addSeparator()
        self.forget_action = menu.addAction("Forget these event files", self.forget_sources)
        self.choose.setMenu(menu)
        self.refresh_button = QPushButton("Analyse again", self)
        self.refresh_button.setToolTip("Read the event files again (after new events were "
                                       "exported, or the project's goals changed)")
        self.refresh_button.clicked.connect(self.analyse)
        top.addWidget(self.choose)
        top.addWidget(self.refresh_button)
        outer.addLayout(top)

        self.sources_label = label("", self)
        self.sources_label.setObjectName("sourcesLabel")
        outer.addWidget(self.sources_label)

        self.busy = QWidget(self)
        busy = QHBoxLayout(self.busy)
        busy.setContentsMargins(0, 0, 0, 0)
        self.stage = QLabel(self.busy)
        self.bar = QProgressBar(self.busy)
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel", self.busy)
        self.cancel_button.setToolTip("Stop reading the events")
        self.cancel_button.clicked.connect(self.cancel)
        busy.addWidget(self.stage)
        busy.addWidget(self.bar, 1)
        busy.addWidget(self.cancel_button)
        self.busy.setVisible(False)
        outer.addWidget(self.busy)

        self.error = label("", self)
        self.error.setObjectName("resultsError")
        self.error.setStyleSheet("QLabel { color: #c62828; font-weight: bold; }")
        self.error.setVisible(False)
        outer.addWidget(self.error)
        self.notes = label("", self)
        self.notes.setObjectName("resultsNotes")
        self.notes.setVisible(False)
        outer.addWidget(self.notes)

        picker_row = QHBoxLayout()
        shows = QLabel("&Show", self)
        self.picker = QComboBox(self)
        self.picker.setMinimumContentsLength(24)
        shows.setBuddy(self.picker)
        picker_row.addWidget(shows)
        picker_row.addWidget(self.picker)
        picker_row.addStretch(1)
        outer.addLayout(picker_row)
        self.picker.activated.connect(self._picked)

        self.stack = QStackedWidget(self)
        self.empty = QWidget(self.stack)
        empty = QVBoxLayout(self.empty)
        self.empty_text = label(NO_SOURCES, self.empty)
        self.empty_text.setMaximumWidth(640)
        empty_button = QPushButton("Choose event files…", self.empty)
        empty_button.clicked.connect(self.choose_files)
        empty.addStretch(1)
        empty.addWidget(self.empty_text, 0, Qt.AlignmentFlag.AlignHCenter)
        empty.addWidget(empty_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty.addStretch(2)
        self.overview = QTableWidget(0, len(OVERVIEW_COLUMNS), self.stack)
        self.overview.setObjectName("overviewTable")
        self.overview.setHorizontalHeaderLabels(list(OVERVIEW_COLUMNS))
        self.overview.verticalHeader().setVisible(False)
        self.overview.setWordWrap(False)
        self.overview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.overview.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.overview.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.overview.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.overview.horizontalHeader().setStretchLastSection(True)
        # The guides most people saw first, until the user sorts otherwise.
        self.overview.horizontalHeader().setSortIndicator(
            OVERVIEW_COLUMNS.index("Shown"), Qt.SortOrder.DescendingOrder)
        self.overview.setToolTip("Double-click a guide (or press Enter) to see its results")
        self.overview.activated.connect(self._overview_activated)
        self.scroll = QScrollArea(self.stack)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.guide_box = QWidget()
        self.guide_layout = QVBoxLayout(self.guide_box)
        self.guide_layout.setContentsMargins(0, 0, 8, 0)
        self.scroll.setWidget(self.guide_box)
        for page in (self.empty, self.overview, self.scroll):
            self.stack.addWidget(page)
        outer.addWidget(self.stack, 1)
        self._fill_picker()
        self._show()
        document.changed.connect(self._document_changed)

    def _document_changed(self, change: Any) -> None:
        """A guide added, removed or renamed: the choice of guides follows."""
        path = tuple(getattr(change, "path", ()))
        if path[:1] in ((), ("guides",)) and (len(path) <= 2 or path[2:3] == ("name",)):
            self._fill_picker()

    # --- wiring ------------------------------------------------------------------------

    def set_runner(self, runner: ResultsRunner) -> None:
        self.runner = runner
        runner.started.connect(self._started)
        runner.progress.connect(self._progress)
        runner.finished.connect(self._finished)
        runner.failed.connect(self._failed)
        runner.cancelled.connect(self._cancelled)
        runner.sourcesChanged.connect(self._show)
        if runner.running:
            self._started()
        self._show()

    def set_item(self, _key: str) -> None:
        """The project tree's "Results" row was chosen: show what was shown last."""
        self._fill_picker()
        self._show()

    def show_guide(self, guide_id: str | None) -> None:
        """One guide's results (None: the overview)."""
        if guide_id is not None and guide_id not in self.document.project.guides:
            guide_id = None
        self.guide_id = guide_id
        self._fill_picker()
        self._show()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.runner is not None:
            self.runner.ensure()  # remembered event files: read them now

    # --- the user's actions ----------------------------------------------------------------

    def _start_folder(self) -> str:
        root = getattr(self.document, "root", None)
        sources = self.runner.sources if self.runner else []
        return sources[0] if sources else str(root or "")

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Choose event files", self._start_folder(),
            "Events (*.jsonl *.ndjson *.json *.csv *.parquet *.gz *.zst);;All files (*)")
        if files:
            self.use_sources(files)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a folder of event files",
                                                  self._start_folder())
        if folder:
            self.use_sources([folder])

    def choose_pattern(self) -> None:
        text, ok = QInputDialog.getText(self, "Event files matching a pattern",
                                        "Pattern (* and ? match any text; ** any folders):",
                                        text=self._start_folder())
        if ok and text.strip():
            self.use_sources([text.strip()])

    def forget_sources(self) -> None:
        if self.runner is not None:
            self.runner.cancel()
            self.runner.set_sources([])
        self._show()

    def use_sources(self, paths: list[str]) -> None:
        """Read these event files from now on (remembered for the project), starting now."""
        if self.runner is None:
            return
        self.runner.set_sources(paths)
        self.analyse()

    def analyse(self) -> None:
        if self.runner is not None and self.runner.run():
            self._show()

    def cancel(self) -> None:
        if self.runner is not None:
            self.runner.cancel()

    def _picked(self, index: int) -> None:
        self.show_guide(self.picker.itemData(index))

    def _overview_activated(self, index: Any) -> None:
        item = self.overview.item(index.row(), 0)
        if item is not None:
            self.show_guide(item.data(Qt.ItemDataRole.UserRole))

    # --- what the runner says --------------------------------------------------------------

    def _started(self) -> None:
        self.busy.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.refresh_button.setEnabled(False)
        self.error.setVisible(False)
        self.bar.setRange(0, 0)

    def _progress(self, stage: str, step: int, percent: int) -> None:
        where = f" ({step} of {len(STAGES)})" if step else ""
        self.stage.setText(f"{stage}{where}…" if not stage.endswith("…") else stage)
        if percent >= 0:
            self.bar.setRange(0, 100)
            self.bar.setValue(percent)
        else:
            self.bar.setRange(0, 0)
        if not step:
            self.cancel_button.setEnabled(False)

    def _stopped(self) -> None:
        self.busy.setVisible(False)
        self.refresh_button.setEnabled(True)

    def _finished(self, _outcome: Outcome) -> None:
        self._stopped()
        self._show()

    def _failed(self, message: str) -> None:
        self._stopped()
        self._show()

    def _cancelled(self) -> None:
        self._stopped()
        self.notes.setText("Stopped: the events were not read to the end. Choose “Analyse "
                           "again” to start over.")
        self.notes.setVisible(True)

    # --- showing -----------------------------------------------------------------------------

    def _fill_picker(self) -> None:
        self.picker.clear()
        self.picker.addItem("All guides", None)
        guides = sorted(self.document.project.guides.values(), key=lambda g: g.name.lower())
        for g in guides:
            self.picker.addItem(g.name, g.id)
        index = self.picker.findData(self.guide_id) if self.guide_id else 0
        self.picker.setCurrentIndex(max(index, 0))

    def _show(self, *_: Any) -> None:
        runner = self.runner
        sources = runner.sources if runner else []
        outcome = runner.outcome if runner else None
        self.forget_action.setEnabled(bool(sources))
        self.refresh_button.setEnabled(bool(sources) and not (runner and runner.running))
        if sources:
            self.sources_label.setText("Events from: " + ", ".join(sources))
            self.sources_label.setToolTip("\n".join(sources))
        else:
            self.sources_label.setText("No event files chosen yet.")
            self.sources_label.setToolTip("")
        error = runner.error if runner else ""
        self.error.setText(error)
        self.error.setVisible(bool(error))
        if outcome is not None:
            lines = [f"{outcome.load.events:,} events analysed ({outcome.load.rows:,} rows "
                     f"read in {outcome.seconds:.1f} s)."]
            lines += outcome.load.messages()
            self.notes.setText("\n".join(lines))
            self.notes.setVisible(True)
        else:
            self.notes.setVisible(False)
        self.picker.setEnabled(outcome is not None)
        if not sources:
            self.stack.setCurrentWidget(self.empty)
        elif outcome is None:
            self.stack.setCurrentWidget(self.empty)
            self.empty_text.setText("Reading the event files…" if runner and runner.running
                                    else "Choose “Analyse again” to read the event files."
                                    if not error else "The event files could not be "
                                    "analysed (see above). Choose other files, or fix "
                                    "them and choose “Analyse again”.")
        elif self.guide_id is None:
            self._fill_overview(outcome)
            self.stack.setCurrentWidget(self.overview)
        else:
            self._fill_guide(outcome, self.guide_id)
            self.stack.setCurrentWidget(self.scroll)
        if not sources:
            self.empty_text.setText(NO_SOURCES)

    def _fill_overview(self, outcome: Outcome) -> None:
        self.overview.setSortingEnabled(False)
        guides = self.document.project.guides
        results = [r for r in outcome.results if r.guide_id in guides]
        self.overview.setRowCount(len(results))
        for row, r in enumerate(results):
            g = guides[r.guide_id]
            t = totals(r)
            name = QTableWidgetItem(kind_icon(g.kind), g.name)
            name.setData(Qt.ItemDataRole.UserRole, r.guide_id)
            name.setToolTip(f"{g.name}\n{g.kind} · id: {r.guide_id}")
            goal_rate = share(t["goal"], t["shown"]) if g.goal else None
            completed = share(t["completed"], t["shown"])
            said = verdict(r.experiment)
            cells = [name, QTableWidgetItem(g.status),
                     _Number(count(t["shown"]), t["shown"]),
                     _Number(count(t["completed"]) + (f" ({pct(completed)})" if completed
                                                      is not None else ""), t["completed"]),
                     _Number(count(t["goal"]) if g.goal else "no goal",
                             t["goal"] if g.goal else None),
                     _Number(pct(goal_rate), goal_rate),
                     QTableWidgetItem(said)]
            cells[-1].setToolTip(said)
            for col, cell in enumerate(cells):
                self.overview.setItem(row, col, cell)
        self.overview.setSortingEnabled(True)

    def _fill_guide(self, outcome: Outcome, guide_id: str) -> None:
        while self.guide_layout.count():
            item = self.guide_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # gone now, not only once the loop deletes it
                widget.deleteLater()
        guide = self.document.project.guides.get(guide_id)
        result = outcome.result(guide_id)
        top, open_button = header(guide, guide_id, self.guide_box)
        open_button.clicked.connect(lambda: self.guideRequested.emit(guide_id))
        self.guide_layout.addWidget(top)
        if result is None:
            self.page = None
            self.guide_layout.addWidget(label("No results for this guide: it was added after "
                                              "the events were read. Choose “Analyse "
                                              "again”.", self.guide_box))
            self.guide_layout.addStretch(1)
            return
        self.page = GuidePage(guide, result, self.guide_box)
        self.page.stepRequested.connect(self.stepRequested)
        self.guide_layout.addWidget(self.page, 1)
