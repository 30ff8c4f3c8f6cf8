"""The window's side of Results: one runner per open project, its event files kept in the
user's settings, and the paths between the Results view, the guide editor and its planner.

The event files are the user's (an export on their disk), so they are remembered per
project folder in the user's settings (``settings_store.event_sources``), never written
into the project. The runner outlives the Results view's visits, so the Experiment
tab's planner gets the same figures (people a day, baseline rate) whether or not the
view was opened, and remembered event files are read only when either asks.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from guidestudio.app import settings_store
from guidestudio.widgets.results.runner import Outcome, ResultsRunner

if TYPE_CHECKING:
    from guidestudio.widgets.kit.editing import EditableDocument


class ResultsLink(QObject):
    def __init__(self, window: Any) -> None:
        """``window``: the main window (its tree, editors, inspector and document)."""
        super().__init__(window)
        self.window = window
        self.runner: ResultsRunner | None = None
        self._root: Path | None = None

    def set_document(self, document: EditableDocument | None) -> None:
        if self.runner is not None:
            self.runner.shutdown()
            self.runner.deleteLater()
            self.runner = None
        root = getattr(document, "root", None)
        self._root = Path(root) if root is not None else None
        if document is None:
            return
        runner = ResultsRunner(lambda: document.project, self)
        if self._root is not None:
            runner.set_sources(settings_store.event_sources(self._root), remember=False)
        runner.sourcesChanged.connect(self._remember)
        runner.finished.connect(self._feed_planner)
        self.runner = runner

    def root_changed(self, root: Any) -> None:
        """Save As moved the project: its event files go with it."""
        self._root = Path(root)
        if self.runner is not None and self.runner.sources:
            settings_store.set_event_sources(self._root, self.runner.sources)

    def _remember(self, paths: list[str]) -> None:
        if self._root is not None:
            settings_store.set_event_sources(self._root, paths)

    def page_built(self, kind: str, page: Any) -> None:
        if kind == "results" and self.runner is not None:
            page.set_runner(self.runner)
            page.stepRequested.connect(self.open_step)
            page.guideRequested.connect(self.open_guide)
        elif kind == "guide":
            page.resultsRequested.connect(lambda gid: self.show(gid or None))
            page.observationsWanted.connect(self._observations_wanted)
            if self.runner is not None and self.runner.outcome is not None:
                self._feed_planner(self.runner.outcome)

    def show(self, guide_id: str | None = None) -> Any:
        """The Results view in the centre, on ``guide_id`` (None: every guide)."""
        if self.window.document is None or not self.window.tree.select("results", ""):
            return None
        page = self.window.editors.current()
        if page is not None and hasattr(page, "show_guide"):
            page.show_guide(guide_id)
        return page

    def open_guide(self, guide_id: str) -> None:
        self.window.tree.select("guide", guide_id)

    def open_step(self, guide_id: str, variant: int, step: int) -> None:
        """A missing anchor's row: its guide in the editor, on that variant and step."""
        if not self.window.tree.select("guide", guide_id):
            return
        self.window.inspector_dock.show()
        editor = self.window.editors.current()
        if editor is not None and hasattr(editor, "select_step"):
            editor.select_step(step, variant)
            editor.tabs.setCurrentIndex(0)

    def _observations_wanted(self) -> None:
        if self.runner is not None:
            self.runner.ensure()

    def _feed_planner(self, outcome: Outcome) -> None:
        from guidestudio.core.results import planning

        editor = self.window.editors.built("guide")
        if editor is not None and hasattr(editor, "set_observed"):
            editor.set_observed(planning.observed(outcome.results, outcome.reach))
