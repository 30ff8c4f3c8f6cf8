"""The main window: project tree · canvas · inspector · problems, and the project's life cycle.

The layout is a design tool's (``window_layout.py``): the selected guide on
the canvas in the centre (``centre.py``), its forms in the inspector on the
right (``inspector.py``), the project tree on the left, problems and the
preview's log in one panel below (``bottom_panel.py``), and a toolbar that
creates guides (``toolbar.py``, ``guide_creation.py``).

It owns at most one open ``Document`` and everything that hangs off it (undo
actions, recovery, file watcher). Views observe the document; every change
goes through it. Questions to the user (save changes? restore after a crash?
file changed on disk?) are small ``ask_*`` methods so tests can answer them.
"""

from __future__ import annotations

import shutil
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QToolButton,
    QWidget,
)

from guidestudio.app import prompts, settings_store
from guidestudio.app.actions import WindowActions
from guidestudio.app.audience_link import AudienceLink
from guidestudio.app.bottom_panel import BottomPanel
from guidestudio.app.guide_creation import GuideCreator
from guidestudio.app.project_loader import ProjectLoader
from guidestudio.app.results_link import ResultsLink
from guidestudio.app.toolbar import MainToolBar
from guidestudio.app.window_layout import WindowLayout
from guidestudio.app.workspace import Workspace
from guidestudio.core.problems import Problem
from guidestudio.widgets.kit.icons import icon
from guidestudio.widgets.project.problems_panel import ProblemsPanel
from guidestudio.widgets.project.tree import ProjectTree

if TYPE_CHECKING:  # imported where used: the window shows before the core is loaded
    from guidestudio.app.document import Change, Document
    from guidestudio.app.file_watcher import FileWatcher
    from guidestudio.app.recovery import Recovery, RecoveryData
    from guidestudio.core.files.recovery_journal import Choice
    from guidestudio.core.files.transaction import DiskChanged
    from guidestudio.widgets.dialogs.export_dialog import ExportDialog
    from guidestudio.widgets.preview.pane import PreviewPane

APP_TITLE = "Guide Studio"
PROJECT_FILE = "guidestudio.yaml"  # what makes a folder a project (core.files.project_io)


class MainWindow(QMainWindow):
    projectOpened = Signal(object)  # Document
    firstShown = Signal()
    #: The first check of a project waits at most this long for the canvas's page.
    CHECK_AFTER_MS = 3000

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None
        self.recovery: Recovery | None = None
        self.watcher: FileWatcher | None = None
        self._shown = False
        self.setWindowIcon(icon("app"))
        self.loader = ProjectLoader(self)
        self.loader.loaded.connect(self._install_in_steps)
        self.loader.failed.connect(self._load_failed)

        self.tree = ProjectTree(self)
        self.tree.currentChanged.connect(self.show_item)
        self.tree.selectionChanged.connect(self._selection_changed)
        self.tree_dock = self._dock("Project", "projectDock", self.tree,
                                    Qt.DockWidgetArea.LeftDockWidgetArea)
        self.workspace = Workspace(self, self.tree)
        self.centre = self.workspace.centre
        self.centre.paneBuilt.connect(self._pane_built)
        self.inspector_dock = self.workspace.inspector
        self.editors = self.workspace.editors
        self.editors.pageBuilt.connect(self._page_built)
        self.results = ResultsLink(self)
        self.editors.pageBuilt.connect(self.results.page_built)
        self.audience_sizes = AudienceLink(self)
        self.editors.pageBuilt.connect(self.audience_sizes.page_built)
        self.problems = ProblemsPanel(self)
        self.problems.problemActivated.connect(self.jump_to_problem)
        self.problems.countsChanged.connect(self._show_counts)
        self.bottom = BottomPanel(self.problems, self)
        self.bottom_dock = self._dock("Problems and preview log", "bottomDock", self.bottom,
                                      Qt.DockWidgetArea.BottomDockWidgetArea)
        self.bottom_dock.setTitleBarWidget(QWidget(self.bottom_dock))  # its tabs say what it is
        self.toolbar = MainToolBar(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.creator = GuideCreator(self, self)

        self.counts = QToolButton(self)
        self.counts.setAutoRaise(True)
        self.counts.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.counts.setToolTip("Errors and warnings in the project; click to see them")
        self.counts.clicked.connect(self.focus_problems)
        self.statusBar().addPermanentWidget(self.counts)

        self.actions_ = WindowActions(self)
        actions = self.actions_
        self.toolbar.set_actions(self.creator.new_guide, actions.save, actions.export)
        self.centre.set_offers([actions.open, actions.new_project],
                               [self.creator.new_guide, self.creator.from_starter])
        self.layout_ = WindowLayout(self, self.tree_dock, self.inspector_dock, self.bottom_dock,
                                    self.bottom, self.toolbar)
        self._restore_layout()
        self._update_title()
        self.actions_.update_enabled()

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)  # saveState/restoreState key
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # --- layout persistence ------------------------------------------------------------

    def _restore_layout(self) -> None:
        self.layout_.restore()
        self.tree.set_grouping(settings_store.get_str(settings_store.GROUPING, "status"))
        mode = settings_store.get_str(settings_store.THEME, "system")
        if mode in self.actions_.theme_actions:
            self.actions_.theme_actions[mode].setChecked(True)

    def _save_layout(self) -> None:
        self.layout_.save()
        settings_store.set_value(settings_store.GROUPING, self.tree.model.grouping)

    def reset_layout(self) -> None:
        """View ▸ Reset layout."""
        self.layout_.reset()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            self.layout_.shown()
            self.firstShown.emit()

    # --- opening -----------------------------------------------------------------------

    def open_folder(self, root: Path, background: bool = True) -> bool:
        """Open ``root`` after asking about unsaved changes in the current project."""
        if not self.maybe_save():
            return False
        return self.open_project(root, background)

    def open_project(self, root: Path, background: bool = True) -> bool:
        """Open a project folder; in the background unless asked to wait for it."""
        root = Path(root)
        if not (root / PROJECT_FILE).is_file():
            self._load_failed(root, f"{root} is not a Guide Studio project (no {PROJECT_FILE})")
            return False
        self.statusBar().showMessage(f"Opening {root}…")
        if background:
            self.loader.load(root)
            return True
        self.loader.cancel()
        from guidestudio.app.document import Document

        try:
            document = Document.open(root)
        except Exception as exc:  # unreadable folder: say so, keep the window
            self._load_failed(root, str(exc))
            return False
        self._install(document)
        return True

    def _load_failed(self, root: Any, message: str) -> None:
        self.statusBar().showMessage(f"Could not open {root}", 5000)
        QMessageBox.warning(self, "Cannot open project", message)

    def _install_in_steps(self, document: Document) -> None:
        """A project loaded in the background: show it now, start watching it a tick later.

        Two steps so that neither keeps the event loop busy long enough to be felt
        (on 2,000 guides the tree takes ~80 ms and the file watcher ~35 ms).
        """
        self._install(document, finish_later=True)

    def _install(self, document: Document, finish_later: bool = False) -> None:
        self._teardown()
        self.document = document
        document.setParent(self)
        document.cleanChanged.connect(self._update_title)
        document.changed.connect(self._on_changed)
        document.rootChanged.connect(self._on_root_changed)
        document.reset.connect(self._on_reset)
        self.actions_.set_undo_stack(document.undo_stack)
        self.tree.set_document(document)
        self.problems.set_document(document)
        self.workspace.set_document(document)
        self.results.set_document(document)
        self.audience_sizes.set_document(document)
        if document.root is not None:
            settings_store.remember_project(Path(document.root))
        self.show_item("", "")
        self._update_title()
        self.actions_.update_enabled()
        self.statusBar().showMessage(f"Opened {document.root}", 3000)
        if finish_later:
            QTimer.singleShot(0, partial(self._finish_install, document))
        else:
            self._finish_install(document)

    def _finish_install(self, document: Document) -> None:
        from guidestudio.app.file_watcher import FileWatcher
        from guidestudio.app.recovery import Recovery

        if self.document is not document:  # another project was opened meanwhile
            return
        self.recovery = Recovery(document)
        self.watcher = FileWatcher(document, self._ask_conflict)
        self.recovery.check(self.ask_restore)
        self.projectOpened.emit(document)
        # A tick later: the canvas (and the web engine) is not part of opening the project.
        QTimer.singleShot(0, self, partial(self._show_first_guide, document))

    def _show_first_guide(self, document: Document) -> None:
        """Put the tree's first guide on the canvas, unless something was chosen meanwhile.

        The first check of a project loaded in the background starts once the
        canvas is prepared: both are mostly Python work, and run side by side
        they take turns with the interpreter, so the guide would reach the
        canvas as late as the problems reach their panel.
        """
        if self.document is not document:
            return
        if self.tree.current_ref()[0] or self.tree.first_key("guide") is None:
            self._check(document)
            return
        self.centre.warm_up()  # the page loads while the compiler is imported...
        self.centre.prepare(partial(self._select_first_guide, document))  # ...here

    def _select_first_guide(self, document: Document) -> None:
        first = self.tree.first_key("guide")
        if self.document is document and not self.tree.current_ref()[0] and first is not None:
            self.tree.select("guide", first)
        self.centre.after_first_guide(partial(self._check, document), self.CHECK_AFTER_MS)

    def _check(self, document: Document) -> None:
        """Check a project loaded in the background, in slices (see ``_show_first_guide``)."""
        if self.document is document and document.validating:
            document.validate_in_background()

    def _teardown(self) -> None:
        old = self.document
        if old is None:
            return
        if self.watcher is not None:
            self.watcher.stop()
        if self.recovery is not None:
            self.recovery.discard()  # the user was asked about unsaved changes already
        old.dispose()
        self.actions_.set_undo_stack(None)
        self.tree.set_document(None)
        self.problems.set_document(None)
        self.bottom.set_log(None)  # the canvas's log goes with the canvas
        self.workspace.set_document(None)
        self.results.set_document(None)
        self.audience_sizes.set_document(None)
        self.document = self.recovery = self.watcher = None
        old.deleteLater()

    def new_project(self) -> None:
        from guidestudio.app.new_project_wizard import NewProjectWizard

        wizard = NewProjectWizard(self)
        try:
            if wizard.exec() != QDialog.DialogCode.Accepted:
                return
            self.create_project(wizard.folder(), wizard.project_name(), wizard.locales())
        finally:
            wizard.deleteLater()

    def create_project(self, folder: Path, name: str, locales: list[str] | None = None) -> bool:
        from guidestudio.core.files.scaffold import ScaffoldError, new_project

        if not self.maybe_save():
            return False
        try:
            new_project(folder, name, locales)
        except (ScaffoldError, OSError) as exc:
            QMessageBox.warning(self, "Cannot create project", str(exc))
            return False
        return self.open_project(folder, background=False)

    def open_dialog(self) -> None:
        start = str(self.document.root) if self.document and self.document.root else ""
        folder = QFileDialog.getExistingDirectory(self, "Open project folder", start)
        if folder:
            self.open_folder(Path(folder))

    # --- saving and closing -------------------------------------------------------------

    def save(self) -> bool:
        from guidestudio.core.files.project_io import (
            SaveConflict,  # the core loads off the GUI thread
        )
        from guidestudio.core.files.transaction import DiskChanged, ProjectBusy, ReadOnlyFiles

        if self.document is None:
            return False
        for _round in range(5):  # each round settles what changed on disk meanwhile
            try:
                written = self.document.save()
            except DiskChanged as exc:
                if not self._settle_disk_changes(exc):
                    self.statusBar().showMessage("Not saved", 4000)
                    return False
                continue
            except (OSError, SaveConflict, ReadOnlyFiles, ProjectBusy) as exc:
                QMessageBox.critical(self, "Cannot save",
                                     f"The project could not be saved: {exc}")
                return False
            break
        else:
            QMessageBox.critical(self, "Cannot save", "The project could not be saved: its "
                                 "files keep changing on disk; try again in a moment.")
            return False
        if self.watcher is not None:
            self.watcher.note_written(written)
        broken = len(self.document.files.broken)
        note = f"; {broken} broken file{'s' * (broken != 1)} left untouched" if broken else ""
        self.statusBar().showMessage(f"Saved {len(written)} file{'s' * (len(written) != 1)}{note}",
                                     4000)
        return True

    def _settle_disk_changes(self, conflict: DiskChanged) -> bool:
        """Ask about each file that changed on disk since it was read; False: do not save.

        "mine" records the disk's bytes as seen (the next attempt replaces them); "theirs"
        takes the file into the document like the file watcher does (undoable).
        """
        document = self.document
        assert document is not None
        for changed in conflict.changed:
            mine = "" if changed.ours is None else changed.ours.decode("utf-8", "replace")
            theirs = "" if changed.theirs is None else changed.theirs.decode("utf-8-sig",
                                                                              "replace")
            answer = self.ask_save_conflict(changed.rel, mine, theirs)
            if answer == "cancel":
                return False
            if answer == "mine" or self.watcher is None:
                document.files.note_disk(changed.rel, changed.theirs)
            else:
                self.watcher.take_theirs(changed.rel)
        return True

    def save_as(self) -> bool:
        if self.document is None:
            return False
        folder = QFileDialog.getExistingDirectory(self, "Save project into an empty folder")
        return bool(folder) and self.save_to(Path(folder))

    def save_to(self, folder: Path) -> bool:
        """Save As: write the project into an empty folder (with its assets) and continue there."""
        document = self.document
        if document is None or document.root is None:
            return False
        if folder.exists() and any(folder.iterdir()):
            QMessageBox.warning(self, "Save As", f"{folder} is not empty; choose an empty folder.")
            return False
        from guidestudio.core.files.project_io import SaveConflict

        try:
            for sub in ("assets", "templates"):
                if (Path(document.root) / sub).is_dir():
                    shutil.copytree(Path(document.root) / sub, folder / sub, dirs_exist_ok=True)
            document.save(folder)
        except SaveConflict as exc:  # a broken file would be overwritten there
            QMessageBox.warning(self, "Save As", str(exc))
            return False
        except OSError as exc:
            QMessageBox.critical(self, "Cannot save", f"The project could not be saved: {exc}")
            return False
        return True

    def ask_save_changes(self) -> str:
        """"save", "discard" or "cancel" (tests replace this)."""
        name = self.document.project.settings.name if self.document else "the project"
        return prompts.save_changes(self, name)

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current document (saved, discarded or clean)."""
        if self.document is None or not self.document.is_modified:
            return True
        choice = self.ask_save_changes()
        if choice == "save":
            return self.save()
        return choice == "discard"

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self._save_layout()
        self.creator.stop()
        self.loader.cancel()
        self._teardown()  # also removes the recovery file: this is a clean close
        event.accept()

    def quit(self) -> None:
        if self.close():
            QApplication.quit()

    # --- questions (thin wrappers so tests can answer) -------------------------------

    def ask_restore(self, data: RecoveryData) -> dict[str, Choice] | None:
        """Per file, "mine" or "disk" (None: restore nothing); see ``Recovery.check``."""
        from guidestudio.widgets.dialogs import restore_dialog

        items = self.recovery.review(data) if self.recovery is not None else []
        return restore_dialog.ask(self, items, data.saved_at)

    def _ask_conflict(self, rel: str, mine: str, theirs: str) -> str:
        return self.ask_file_conflict(rel, mine, theirs)  # looked up late: tests replace it

    def ask_file_conflict(self, rel: str, mine: str, theirs: str) -> str:
        return prompts.file_conflict(self, rel, mine, theirs)

    def ask_save_conflict(self, rel: str, mine: str, theirs: str) -> str:
        """"mine", "theirs" or "cancel" for a file changed on disk, found while saving."""
        return prompts.save_conflict(self, rel, mine, theirs)

    # --- showing things ----------------------------------------------------------------

    def show_item(self, kind: str, key: str) -> None:
        self.workspace.show_item(kind, key)
        self.actions_.update_enabled()

    def current_editor(self) -> QWidget:
        return self.workspace.current_editor()

    def show_languages(self) -> None:
        """View ▸ All languages of this guide: its texts side by side, one column a language."""
        editor = self.editors.current() if self.editors.kind == "guide" else None
        open_languages = getattr(editor, "open_languages", None)
        if not callable(open_languages):
            self.statusBar().showMessage("Select a guide first: its texts in every language "
                                         "are shown side by side.", 5000)
            return
        open_languages()

    def show_results(self, guide_id: str | None = None) -> None:
        """View ▸ Results: every guide's results (or one guide's) in the centre."""
        self.results.show(guide_id)

    def _page_built(self, kind: str, page: QWidget) -> None:
        opened = getattr(page, "languagesOpened", None) if kind == "guide" else None
        if opened is not None:
            opened.connect(self._languages_opened)

    def _languages_opened(self, view: QWidget) -> None:
        """The languages window takes the window's Undo and Redo (keys and buttons)."""
        set_actions = getattr(view, "set_undo_actions", None)
        if callable(set_actions):
            set_actions(self.actions_.undo, self.actions_.redo)

    def _pane_built(self, pane: PreviewPane) -> None:
        """The canvas's log moves to the bottom panel."""
        self.bottom.set_log(pane.take_diagnostics())

    def jump_to_problem(self, problem: Problem) -> None:
        """A problem clicked in Problems: go to its guide (or file) and field."""
        message = self.workspace.jump_to(problem)
        if message:
            self.statusBar().showMessage(message, 6000)

    def focus_tree(self) -> None:
        self.tree_dock.show()
        self.tree.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_editor(self) -> None:
        self.current_editor().setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_problems(self) -> None:
        self.bottom_dock.show()
        self.bottom.show_tab(BottomPanel.PROBLEMS)
        self.problems.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_export(self) -> ExportDialog | None:
        document = self.document
        if document is None or document.root is None:
            return None
        from guidestudio.app.unsaved import describe_unsaved
        from guidestudio.widgets.dialogs.export_dialog import ExportDialog

        dialog = ExportDialog(document.project, Path(document.root), document.is_modified, self,
                              unsaved=describe_unsaved(document), save=self.save)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # --- following the document --------------------------------------------------------

    def _on_changed(self, change: Change) -> None:
        if change.touches(("settings", "name")):
            self._update_title()
        self.actions_.update_enabled()

    def _on_reset(self) -> None:
        self._update_title()
        self.show_item(*self.tree.current_ref())

    def _on_root_changed(self, root: Any) -> None:
        settings_store.remember_project(Path(root))
        self.results.root_changed(root)
        self.audience_sizes.root_changed(root)
        self._update_title()

    def _selection_changed(self) -> None:
        self.actions_.update_enabled()

    def _update_title(self, *_args: Any) -> None:
        document = self.document
        name = document.project.settings.name if document is not None else "No project"
        self.setWindowTitle(f"{name}[*] — {APP_TITLE}")
        self.setWindowModified(document is not None and document.is_modified)

    def _show_counts(self, errors: int, warnings: int) -> None:
        if self.problems.checking:  # the counts are not known yet
            self.counts.setText("Checking…")
            self.counts.setIcon(icon("app"))
            self.bottom.set_counts("checking…", "")
            return
        text = (f"{errors} error{'s' * (errors != 1)}, "
                f"{warnings} warning{'s' * (warnings != 1)}")
        severity = "error" if errors else "warning" if warnings else ""
        self.counts.setText(text)
        self.counts.setIcon(icon(f"severity-{severity}") if severity else icon("app"))
        self.bottom.set_counts(text if severity else "none", severity)
