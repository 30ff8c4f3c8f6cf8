"""Never lose work: unsaved changes go to a recovery file, and come back after a crash.

Every 30 s and whenever the application loses focus, the entities with unsaved
changes are written — as the canonical text ``render_files`` would give them —
to ``<AppDataLocation>/recovery/<sha1 of the project folder>.json`` with the
folder and the time. Only entities touched since the last save are written (a
2,000-guide project re-rendered every 30 s would freeze the editor for
seconds); anything untouched is, by definition, what is on disk.

The file is removed when the project is saved (or undone back to its saved
state) and on a clean close. On the next open a leftover file means a crash:
``restore`` applies the recovered entities as ONE undoable edit, so the project
shows as modified and one Undo takes the restore back. The question is asked
through ``ask`` (a dialog in the app, a plain function in tests).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QGuiApplication

from guidestudio.app.document import Change, Document
from guidestudio.core.edits import MISSING, Batch, Edit, SetValue
from guidestudio.core.files import atomic, entity_files
from guidestudio.core.files.project_io import FOLDERS

log = logging.getLogger(__name__)
FORMAT = "guidestudio-recovery"


def recovery_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "recovery"


def recovery_file(root: Path, folder: Path | None = None) -> Path:
    key = hashlib.sha1(str(Path(root).resolve()).encode("utf-8")).hexdigest()
    return (folder or recovery_dir()) / f"{key}.json"


@dataclass
class RecoveryData:
    """What a recovery file holds: texts of changed entities and files deleted since saving."""

    root: str
    saved_at: str
    files: dict[str, str] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)

    def describe(self) -> str:
        names = sorted(self.files) + [f"{rel} (deleted)" for rel in sorted(self.removed)]
        shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        return f"Unsaved changes from {self.saved_at}: {shown}"


class Recovery(QObject):
    """Autosaves one document's unsaved changes; offers them back after a crash."""

    INTERVAL_MS = 30_000

    def __init__(self, document: Document, folder: Path | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else document)
        self._document = document
        self._folder = folder
        self._root = Path(document.root) if document.root is not None else None
        self._dirty_files: set[str] = set()
        self._dirty_folders: set[str] = set()
        self._unsaved_since_autosave = False
        self._timer = QTimer(self)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(self.autosave_if_needed)
        self._timer.start()
        document.changed.connect(self._on_changed)
        document.reset.connect(self._forget)
        document.rootChanged.connect(self._on_root_changed)
        document.cleanChanged.connect(self._on_clean_changed)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._on_app_state)

    @property
    def path(self) -> Path | None:
        return recovery_file(self._root, self._folder) if self._root is not None else None

    # --- tracking what is unsaved --------------------------------------------------------

    def _on_changed(self, change: Change) -> None:
        path = change.path
        if change.kind == "reload":
            return  # taken from disk: not an unsaved change
        self._unsaved_since_autosave = True
        if not path:
            self._dirty_folders.update(("*", *FOLDERS))
        elif len(path) == 1 and path[0] in FOLDERS:
            self._dirty_folders.add(path[0])
        else:
            rel = entity_files.file_for(path)
            if rel is not None:
                self._dirty_files.add(rel)

    def _forget(self) -> None:
        self._dirty_files.clear()
        self._dirty_folders.clear()
        self._unsaved_since_autosave = False

    def _on_clean_changed(self, clean: bool) -> None:
        if clean:  # saved, or undone back to the saved state: nothing to recover
            self._forget()
            self.discard()

    def _on_root_changed(self, root: Any) -> None:
        self.discard()  # Save As: the old folder is untouched, the new one saved
        self._root = Path(root)

    def _on_app_state(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive:
            self.autosave_if_needed()

    # --- writing -----------------------------------------------------------------------

    def autosave_if_needed(self) -> None:
        if self._unsaved_since_autosave:
            self.autosave()

    def snapshot(self) -> RecoveryData:
        """The unsaved entities as ``render_files`` would write them."""
        project = self._document.project
        rels = set(self._dirty_files)
        if "*" in self._dirty_folders:
            rels.update(("guidestudio.yaml", "profiles.yaml"))
        for folder in self._dirty_folders & set(FOLDERS):
            rels.update(f"{folder}/{eid}.yaml" for eid in getattr(project, folder))
            rels.update(rel for (f, _eid), rel in self._document.files.entity_files.items()
                        if f == folder)
        data = RecoveryData(str(self._root.resolve()) if self._root else "",
                            datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        for rel in sorted(rels):
            path = entity_files.entity_path(rel)
            if path is None or rel in self._document.files.broken:
                continue
            text = entity_files.render(project, path)
            if text is None:
                data.removed.append(rel)
            else:
                data.files[rel] = text
        return data

    def autosave(self) -> Path | None:
        """Write the recovery file now (or remove it when nothing is unsaved)."""
        target = self.path
        if target is None:
            return None
        if not self._document.is_modified:
            self.discard()
            return None
        data = self.snapshot()
        payload = {"format": FORMAT, "version": 1, "root": data.root,
                   "saved_at": data.saved_at, "files": data.files, "removed": data.removed}
        try:
            atomic.write_text(target, json.dumps(payload, ensure_ascii=False, indent=1))
        except OSError:
            log.exception("could not write the recovery file %s", target)
            return None
        self._unsaved_since_autosave = False
        return target

    def discard(self) -> None:
        target = self.path
        if target is not None:
            with contextlib.suppress(FileNotFoundError):
                target.unlink()

    # --- reading back ----------------------------------------------------------------

    def pending(self) -> RecoveryData | None:
        """The recovery file left for this project by a session that did not close cleanly."""
        target = self.path
        if target is None or not target.is_file():
            return None
        try:
            raw = json.loads(target.read_text(encoding="utf-8"))
            if raw.get("format") != FORMAT or not isinstance(raw.get("files"), dict):
                raise ValueError("not a recovery file")
            return RecoveryData(str(raw.get("root", "")), str(raw.get("saved_at", "")),
                                {str(k): str(v) for k, v in raw["files"].items()},
                                [str(r) for r in raw.get("removed", [])])
        except (OSError, ValueError, AttributeError) as exc:
            log.warning("ignoring unreadable recovery file %s: %s", target, exc)
            return None

    def edit_for(self, data: RecoveryData) -> Edit | None:
        """One edit that brings the document to the recovered state (None: nothing differs)."""
        project = self._document.project
        parts: list[Edit] = []
        for rel, text in sorted(data.files.items()):
            path = entity_files.entity_path(rel)
            if path is None:
                continue
            try:
                value = entity_files.parse_text(rel, text)
            except ValueError as exc:
                log.warning("skipping %s from the recovery file: %s", rel, exc)
                continue
            if entity_files.current(project, path) != value:
                parts.append(SetValue(path, value))
        for rel in sorted(data.removed):
            path = entity_files.entity_path(rel)
            if path is None:
                continue
            gone = [] if path == ("profiles",) else MISSING
            if entity_files.current(project, path) not in (MISSING, []):
                parts.append(SetValue(path, gone))
        return Batch(tuple(parts)) if parts else None

    def restore(self, data: RecoveryData | None = None) -> bool:
        """Apply the recovered changes as one undoable step; True when anything changed."""
        data = data if data is not None else self.pending()
        if data is None:
            return False
        edit = self.edit_for(data)
        if edit is None:
            self.discard()
            return False
        self._document.apply(edit, "Restore unsaved changes")
        return True

    def check(self, ask: Any) -> bool:
        """On open: if a crash left changes behind, ``ask(data)`` whether to restore them.

        ``ask`` returns True to restore, False to discard them for good.
        """
        data = self.pending()
        if data is None or self.edit_for(data) is None:
            self.discard()
            return False
        if ask(data):
            return self.restore(data)
        self.discard()
        return False
