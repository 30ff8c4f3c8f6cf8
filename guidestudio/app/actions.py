"""The main window's menus and actions, and what the Guide menu does.

Each action is one line of wiring to a window method or to a ``guide_ops``
edit pushed on the document, so the menu bar, the tree's context menu and the
keyboard all run the same code. Shortcuts are ``QKeySequence`` standard keys
wherever one exists; the tree-only ones (Delete, F2) are scoped to the tree so
typing in a form never deletes a guide.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QInputDialog, QMenu, QMenuBar, QMessageBox

from guidestudio.app import settings_store, theme
from guidestudio.app.centre import Centre
from guidestudio.app.editor_area import EditorPages
from guidestudio.app.guide_creation import GuideCreator
from guidestudio.app.inspector import InspectorDock
from guidestudio.app.toolbar import MainToolBar
from guidestudio.core import guide_ops
from guidestudio.core.edits import Batch, Edit
from guidestudio.widgets.kit.field_undo import FieldUndo
from guidestudio.widgets.kit.icons import icon
from guidestudio.widgets.project.tree import ProjectTree
from guidestudio.widgets.project.tree_model import KEY_ROLE, KIND_FOLDER, KIND_ROLE

if TYPE_CHECKING:  # the document module loads with the first project, off the GUI thread
    from guidestudio.app.document import Document

log = logging.getLogger(__name__)
StdKey = QKeySequence.StandardKey


class ActionHost(Protocol):
    """What the menus need of the window that owns them (the main window is one).

    Typed as a protocol rather than as ``MainWindow`` so that this module does
    not import the window that imports it.
    """

    document: Document | None
    tree: ProjectTree
    editors: EditorPages
    centre: Centre
    creator: GuideCreator
    toolbar: MainToolBar
    tree_dock: QDockWidget
    inspector_dock: InspectorDock
    bottom_dock: QDockWidget

    def menuBar(self) -> QMenuBar: ...
    def new_project(self) -> None: ...
    def open_dialog(self) -> None: ...
    def open_folder(self, root: Path, background: bool = True) -> bool: ...
    def save(self) -> bool: ...
    def save_as(self) -> bool: ...
    def show_export(self) -> Any: ...
    def close(self) -> bool: ...
    def quit(self) -> None: ...
    def focus_tree(self) -> None: ...
    def focus_editor(self) -> None: ...
    def focus_problems(self) -> None: ...
    def reset_layout(self) -> None: ...
    def show_languages(self) -> None: ...
    def show_results(self, guide_id: str | None = None) -> None: ...


class WindowActions(QObject):
    def __init__(self, window: ActionHost) -> None:
        super().__init__(window)
        self.w = window
        self.undo: QAction | None = None
        self.redo: QAction | None = None
        # Undo/Redo typed in a form field are these actions too (widgets/kit/field_undo.py).
        self.field_undo = FieldUndo(window, [window.centre, window.inspector_dock])
        self._build()

    def _action(self, text: str, tip: str, slot: Any, shortcut: Any = None,
                icon_name: str | None = None) -> QAction:
        action = QAction(text, self.w)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon_name:
            action.setIcon(icon(icon_name))
        action.triggered.connect(slot)
        return action

    def _build(self) -> None:
        w, a = self.w, self._action
        self.new_project = a("&New project…", "Create a new project folder with a starter guide",
                             w.new_project, "Ctrl+Shift+N")
        self.open = a("&Open…", "Open a project folder", w.open_dialog, StdKey.Open)
        self.open.setIconText("Open project…")  # on a button, "Open" alone says too little
        self.new_project.setIconText("New project…")
        self.save = a("&Save", "Save changed files to the project folder", w.save, StdKey.Save)
        self.save_as = a("Save &As…", "Save the project into another (empty) folder",
                         w.save_as, StdKey.SaveAs)
        self.export = a("&Export bundle…", "Validate and export the bundle the product loads",
                        w.show_export, "Ctrl+E")
        self.export_translation = a(
            "Export for &translation…", "Every text of the project for one language as an "
            "XLIFF file for translators", self.export_for_translation)
        self.import_translation = a(
            "&Import translations…", "Bring a translated XLIFF file back: see what changes, "
            "then apply it as one undo step", self.import_translations)
        self.close = a("&Close window", "Close the window (asks to save changes)", w.close,
                       StdKey.Close)
        self.quit = a("&Quit", "Quit Guide Studio (asks to save changes)", w.quit, StdKey.Quit)
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.find = a("&Find in project…", "Filter the project tree (name, id, kind, status)",
                      w.tree.focus_filter, StdKey.Find)

        #: "From a starter…" (Ctrl+N): the gallery; the kinds are ``w.creator.kind_actions``.
        self.new_guide = w.creator.from_starter
        self.new_segment = a("New &segment…", "Create a segment (a named audience guides can "
                             "use); it starts with no rules: everyone", self.new_segment_named,
                             icon_name="segment")
        self.new_theme = a("New t&heme…", "Create a theme; it starts with the default theme's "
                           "colours", self.new_theme_named, icon_name="theme")
        # The tree's context menu offers them only on the segments or themes they would join.
        self.tree_new_segment = a("New &segment…", self.new_segment.toolTip(),
                                  self.new_segment_named, icon_name="segment")
        self.tree_new_theme = a("New t&heme…", self.new_theme.toolTip(), self.new_theme_named,
                                icon_name="theme")
        self.duplicate = a("&Duplicate", "Copy the selected guides, segments or themes "
                           "(copies of guides start as drafts)", self.duplicate_selected, "Ctrl+D")
        self.rename = a("&Rename id…", "Change the id (and file name) of the selected item; "
                        "references to it are updated", self.rename_selected, "F2")
        self.archive = a("&Archive", "Set the selected guides' status to archived (kept, never "
                         "exported)", self.archive_selected)
        self.delete = a("De&lete…", "Delete the selected guides, segments or themes (asks first; "
                        "Undo brings them back)", self.delete_selected, StdKey.Delete)
        for action in (self.rename, self.delete):  # tree only: Delete in a text field is text
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        view = w.tree.view
        separator = QAction(self.w)
        separator.setSeparator(True)
        view.addActions([w.creator.new_guide, self.tree_new_segment, self.tree_new_theme,
                         separator, self.duplicate, self.rename, self.archive,
                         self.delete])

        self.focus_tree = a("Go to project &tree", "Move the keyboard focus to the project tree",
                            w.focus_tree, "Ctrl+1")
        self.focus_editor = a("Go to &editor", "Move the keyboard focus to the editor",
                              w.focus_editor, "Ctrl+2")
        self.focus_problems = a("Go to &problems", "Move the keyboard focus to the problems list",
                                w.focus_problems, "Ctrl+3")
        self.languages = a("All &languages of this guide…", "Every text of the selected guide "
                           "in all the project's languages side by side, missing translations "
                           "marked", w.show_languages, "Ctrl+Shift+L")
        self.results = a("&Results", "Did the guides work? Every guide's funnel and experiment "
                         "from your exported events", lambda: w.show_results(None),
                         "Ctrl+Shift+R")
        self.reset_layout = a("&Reset layout", "Put every panel back where it starts: project "
                              "tree on the left, inspector on the right, problems below",
                              w.reset_layout)
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for mode, label in (("system", "Follow &system"), ("light", "&Light"), ("dark", "&Dark")):
            action = a(label, f"Use the {mode} colour scheme" if mode != "system"
                       else "Light or dark, as the operating system is set", self._set_theme)
            action.setCheckable(True)
            action.setData(mode)
            self.theme_group.addAction(action)
            self.theme_actions[mode] = action
        self._menus()

    def _menus(self) -> None:
        bar, w = self.w.menuBar(), self.w
        file = bar.addMenu("&File")
        file.addActions([self.new_project, self.open])
        self.recent_menu = QMenu("Open &Recent", file)
        self.recent_menu.setToolTipsVisible(True)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file.addMenu(self.recent_menu)
        file.addSeparator()
        file.addActions([self.save, self.save_as])
        file.addSeparator()
        file.addAction(self.export)
        file.addActions([self.export_translation, self.import_translation])
        file.addSeparator()
        file.addActions([self.close, self.quit])
        self.edit_menu = bar.addMenu("&Edit")
        self._undo_anchor = self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.find)
        view = bar.addMenu("&View")
        for dock, label in ((w.tree_dock, "&Project tree"), (w.inspector_dock, "&Inspector"),
                            (w.bottom_dock, "Problems and preview &log")):
            toggle = dock.toggleViewAction()
            toggle.setText(label)
            toggle.setToolTip(f"Show or hide the {label.replace('&', '').lower()} panel")
            view.addAction(toggle)
        toolbar = w.toolbar.toggleViewAction()
        toolbar.setText("&Toolbar")
        view.addAction(toolbar)
        view.addSeparator()
        view.addActions([self.focus_tree, self.focus_editor, self.focus_problems])
        view.addSeparator()
        view.addActions([self.languages, self.results])
        view.addSeparator()
        view.addAction(self.reset_layout)
        themes = view.addMenu("&Theme")
        themes.addActions(list(self.theme_actions.values()))
        guide = bar.addMenu("&Guide")
        guide.setToolTipsVisible(True)
        guide.addMenu(w.creator.menu)
        guide.addSeparator()
        guide.addActions([self.duplicate, self.rename, self.archive, self.delete])
        #: Project ▸ New segment…/New theme…; other project-wide entries belong here too.
        self.project_menu = bar.addMenu("&Project")
        self.project_menu.setToolTipsVisible(True)
        self.project_menu.addActions([self.new_segment, self.new_theme])
        for menu in (file, self.edit_menu, view):
            menu.setToolTipsVisible(True)

    # --- per-document wiring ---------------------------------------------------------

    def set_undo_stack(self, stack: Any) -> None:
        """Undo/Redo come from the open document's stack (texts like "Undo Edit title").

        They carry every key the platform maps to Undo/Redo (``setShortcuts``:
        ``setShortcut(StandardKey)`` would keep only the first), and the form
        fields' keys and context menus trigger these same actions (``FieldUndo``),
        so Ctrl+Z does one thing wherever the cursor is.
        """
        self.field_undo.set_actions(None, None)
        self.w.toolbar.set_undo_actions(None, None)
        for action in (self.undo, self.redo):
            if action is not None:
                self.edit_menu.removeAction(action)
                action.deleteLater()
        self.undo = self.redo = None
        if stack is None:
            return
        self.undo = stack.createUndoAction(self.w, "&Undo")
        self.undo.setShortcuts(StdKey.Undo)
        self.undo.setToolTip("Undo the last change")
        self.redo = stack.createRedoAction(self.w, "&Redo")
        self.redo.setShortcuts(StdKey.Redo)
        self.redo.setToolTip("Redo the change you undid")
        self.edit_menu.insertActions(self._undo_anchor, [self.undo, self.redo])
        self.field_undo.set_actions(self.undo, self.redo)
        self.w.toolbar.set_undo_actions(self.undo, self.redo)

    def export_for_translation(self) -> Any:
        from guidestudio.app import translation_files  # lxml and the dialogs: when used

        return translation_files.export_for_translation(self.w)  # type: ignore[arg-type]

    def import_translations(self, path: str | None = None) -> Any:
        from guidestudio.app import translation_files

        return translation_files.import_translations(self.w, path)  # type: ignore[arg-type]

    def update_enabled(self) -> None:
        has_doc = self.w.document is not None
        refs = self._entity_refs()
        for action in (self.save, self.save_as, self.export, self.find, self.languages,
                       self.export_translation, self.import_translation,
                       self.results,
                       self.new_segment, self.new_theme, self.tree_new_segment,
                       self.tree_new_theme):
            action.setEnabled(has_doc)
        self.w.creator.set_enabled(has_doc)
        section = self._current_section()
        self.tree_new_segment.setVisible(has_doc and section == "segments")
        self.tree_new_theme.setVisible(has_doc and section == "themes")
        self.duplicate.setEnabled(bool(refs))
        self.delete.setEnabled(bool(refs))
        self.rename.setEnabled(len(refs) == 1)
        doc = self.w.document
        self.archive.setEnabled(any(
            k == "guide" and doc is not None and k_id in doc.project.guides
            and doc.project.guides[k_id].status != "archived" for k, k_id in refs))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        projects = settings_store.recent_projects()
        for i, path in enumerate(projects):
            action = self.recent_menu.addAction(f"&{i + 1} {path.name}")
            action.setToolTip(str(path))
            action.setData(str(path))
            action.setEnabled(path.is_dir())
            action.triggered.connect(self._open_recent)
        if not projects:
            self.recent_menu.addAction("No recent projects").setEnabled(False)

    def _open_recent(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.w.open_folder(Path(action.data()))

    def _set_theme(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            mode = str(action.data())
            theme.apply_theme(mode)
            settings_store.set_value(settings_store.THEME, mode)

    # --- the Guide menu --------------------------------------------------------------

    def _entity_refs(self) -> list[tuple[str, str]]:
        return [r for r in self.w.tree.selected_refs() if r[0] in KIND_FOLDER]

    def _current_section(self) -> str:
        """"segments" / "themes"… for the tree's current item or section heading ("" if none)."""
        index = self.w.tree.view.currentIndex()
        if not index.isValid():
            return ""
        kind = index.data(KIND_ROLE)
        if kind == "section":
            return str(index.data(KEY_ROLE))
        return KIND_FOLDER.get(str(kind), "")

    def new_segment_named(self) -> None:
        self.new_named("segments")

    def new_theme_named(self) -> None:
        self.new_named("themes")

    def new_named(self, folder: str) -> None:
        """Ask for a name, add a valid segment or theme as one undo step, and open it.

        Asks again, saying why, while the name's id is taken or no name is
        given, like "Rename id…": the user keeps what they typed.
        """
        doc = self.w.document
        if doc is None:
            return
        kind = guide_ops.noun(folder)
        name, error = "", ""
        while True:
            name, ok = QInputDialog.getText(
                self.w, f"New {kind}", f"{error}Name of the new {kind}, as your team will see "
                "it. Its id (the file name, and how guides refer to it) is made from the name; "
                "you can rename it later.", text=name)
            if not ok:
                return
            entity_id, problem = guide_ops.new_id(doc.project, folder, name)
            if problem is None:
                break
            error = f"Cannot create {name!r}: {problem}. Choose another name.\n\n"
        doc.apply(guide_ops.new_entity(doc.project, folder, name, entity_id),
                  f"New {kind} {name.strip()!r}")
        self.w.tree.select(kind, entity_id)
        self.w.editors.focus_field("name")

    def duplicate_selected(self) -> None:
        doc, refs = self.w.document, self._entity_refs()
        if doc is None or not refs:
            return
        taken: set[str] = set()
        parts = [guide_ops.duplicate(doc.project, KIND_FOLDER[k], key, taken) for k, key in refs]
        edit: Edit = parts[0][0] if len(parts) == 1 else Batch(tuple(p[0] for p in parts))
        doc.apply(edit, f"Duplicate {self._describe(refs)}")
        self.w.tree.select(refs[0][0], parts[0][1])

    def rename_selected(self) -> None:
        doc, refs = self.w.document, self._entity_refs()
        if doc is None or len(refs) != 1:
            return
        kind, old = refs[0]
        folder = KIND_FOLDER[kind]
        new, error = old, ""
        while True:
            new, ok = QInputDialog.getText(
                self.w, f"Rename {kind} id", f"{error}New id for {old!r} (lower-case letters, "
                "digits, '-' and '_'). References to it are updated too.", text=new)
            if not ok or new == old:
                return
            problem = guide_ops.id_error(doc.project, folder, new, old)
            if problem is None:
                break
            error = f"Cannot use {new!r}: {problem}.\n\n"
        doc.apply(guide_ops.rename(doc.project, folder, old, new), f"Rename {kind} {old} to {new}")
        self.w.tree.select(kind, new)

    def archive_selected(self) -> None:
        doc = self.w.document
        ids = [key for kind, key in self._entity_refs() if kind == "guide"]
        if doc is None or not ids or all(doc.project.guides[g].status == "archived" for g in ids):
            return
        doc.apply(guide_ops.archive(doc.project, ids),
                  f"Archive {guide_ops.noun('guides', len(ids))}")

    def delete_selected(self) -> None:
        doc, refs = self.w.document, self._entity_refs()
        if doc is None or not refs:
            return
        names = "\n".join(f"• {self._name(k, key)}" for k, key in refs[:10])
        more = f"\n… and {len(refs) - 10} more" if len(refs) > 10 else ""
        users = self._users_left(refs)
        answer = QMessageBox.question(
            self.w, "Delete", f"Delete {self._describe(refs)}?\n\n{names}{more}\n\n{users}"
            "Their files are removed when you save. Undo brings them back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        parts = [guide_ops.delete(KIND_FOLDER[k], [key]) for k, key in refs]
        doc.apply(parts[0] if len(parts) == 1 else Batch(tuple(parts)),
                  f"Delete {self._describe(refs)}")

    def _users_left(self, refs: list[tuple[str, str]]) -> str:
        """Which guides, not deleted too, still name a segment or theme being deleted.

        Deleting a segment does not edit the guides that use it (their audience
        would silently widen); they keep the reference and show a problem, so
        the confirmation says which ones before the user agrees.
        """
        doc = self.w.document
        if doc is None:
            return ""
        deleted = {key for kind, key in refs if kind == "guide"}
        lines = []
        for kind, key in refs:
            folder = KIND_FOLDER[kind]
            if folder not in ("segments", "themes"):
                continue
            users = [g for g in guide_ops.guides_using(doc.project, folder, key)
                     if g not in deleted]
            if users:
                shown = ", ".join(doc.project.guides[g].name for g in users[:5])
                extra = f" and {len(users) - 5} more" if len(users) > 5 else ""
                count = f"{len(users)} guide{'s' if len(users) != 1 else ''}"
                lines.append(f"{kind.capitalize()} {key!r} is used by {count}: {shown}{extra}"
                             " — they will show a problem until you change them.")
            if folder == "themes" and doc.project.settings.theme == key:
                lines.append(f"Theme {key!r} is the project's default theme: guides without "
                             "a theme of their own will show a problem until you pick another.")
        return "".join(f"{line}\n\n" for line in lines)

    def _name(self, kind: str, key: str) -> str:
        doc = self.w.document
        entity = getattr(doc.project, KIND_FOLDER[kind]).get(key) if doc is not None else None
        return f"{getattr(entity, 'name', key)} ({key})"

    @staticmethod
    def _describe(refs: list[tuple[str, str]]) -> str:
        kinds = {k for k, _ in refs}
        if len(refs) == 1:
            return f"{refs[0][0]} {refs[0][1]!r}"
        if len(kinds) == 1:
            return guide_ops.noun(KIND_FOLDER[refs[0][0]], len(refs))
        return f"{len(refs)} items"
