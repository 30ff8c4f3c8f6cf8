"""Follow the project folder on disk: another editor, ``git pull`` or a sync tool may change it.

Per changed file (debounced, since editors write in several steps):

* our own save, or no real change (same text as we loaded or wrote) → nothing;
* no local edits to that entity (its rendered text is what we loaded) → reload
  it silently. When no command on the undo stack touches the entity this is a
  non-undoable reload (model updated in place, a ``Change`` of kind
  ``"reload"``) and the history of every other file stays valid. When some
  command does touch it, replaying that command over the new content would be
  wrong, so: an unmodified document is reloaded whole (``Document.replace``); a
  modified one takes the disk version as an undoable edit;
* local edits → ``ask(rel, mine, theirs)``: keep mine (the next save
  overwrites theirs) or take theirs (as above). The dialog offers a diff.

A broken file on disk is recorded as broken again, so saving never overwrites it.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from guidestudio.app.document import Change, Document
from guidestudio.app.project_loader import parse_cache_dir
from guidestudio.core import edits
from guidestudio.core.edits import MISSING, SetValue
from guidestudio.core.files import entity_files
from guidestudio.core.files.project_io import FOLDERS, PROFILES_FILE, PROJECT_FILE, load_project

log = logging.getLogger(__name__)
Ask = Callable[[str, str, str], str]  # (rel, mine, theirs) -> "mine" | "theirs"


def read_text(path: Path) -> str | None:
    """The file's text as the loader would see it; None when it is not there."""
    raw = read_bytes(path)
    return None if raw is None else raw.decode("utf-8-sig", errors="replace")


def read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:  # gone, a folder now, unreadable
        return None


def _command_targets(command: Any) -> list[tuple[Any, ...]]:
    """Paths a command edits; a macro (``beginMacro``) is searched through its children."""
    edit = getattr(command, "edit", None)
    found = edits.leaf_targets(edit) if edit is not None else []
    for i in range(command.childCount()):
        found += _command_targets(command.child(i))
    if not found and command.childCount() == 0 and not hasattr(command, "edit"):
        found.append(())  # an unknown command: assume it touches everything
    return found


class FileWatcher(QObject):
    DEBOUNCE_MS = 300
    WATCH_SLICE = 250  # files added to the watch per event-loop turn
    reloaded = Signal(str)  # rel: taken from disk
    kept = Signal(str)  # rel: the user kept their version

    def __init__(self, document: Document, ask: Ask, parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else document)
        self._document = document
        self.ask = ask
        self._known: dict[str, str | None] = {}
        self._pending: set[str] = set()
        self._busy = False
        self._slices = 0  # which rebuild the pending watch slices belong to
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_file_changed)
        self._watcher.directoryChanged.connect(self._on_dir_changed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DEBOUNCE_MS)
        self._timer.timeout.connect(self.process_pending)
        document.reset.connect(self.rebuild)
        document.rootChanged.connect(self.rebuild)
        self.rebuild()

    @property
    def root(self) -> Path:
        root = self._document.root
        assert root is not None
        return Path(root)

    # --- what we know is on disk ---------------------------------------------------------

    def rebuild(self, *_args: Any) -> None:
        """Start over from what the document loaded (open, reload, Save As)."""
        files = self._document.files
        self._known = {rel: source.text for rel, source in files.sources.items()}
        for rel in files.broken:
            if rel not in self._known:
                self._known[rel] = read_text(self.root / rel)
        watched = self._watcher.files() + self._watcher.directories()
        if watched:
            self._watcher.removePaths(watched)
        root = str(self.root)
        dirs = [root] + [os.path.join(root, f) for f in FOLDERS if (self.root / f).is_dir()]
        self._watcher.addPaths(dirs)
        # Plain strings, no stat. The first slice at once (a usual project is all in it),
        # the rest a slice per event-loop turn: 2,000 files in one go took 50-700 ms of
        # the turn that shows the project. A file changed before its slice is watched is
        # still noticed when it is replaced or removed (the folders are watched first).
        paths = [os.path.join(root, rel) for rel, text in self._known.items() if text is not None]
        self._slices += 1
        self._watch_slice(self._slices, paths)

    def _watch_slice(self, generation: int, paths: list[str]) -> None:
        if generation != self._slices:  # rebuilt meanwhile: that rebuild watches its own
            return
        if paths[:self.WATCH_SLICE]:
            self._watcher.addPaths(paths[:self.WATCH_SLICE])
        if len(paths) > self.WATCH_SLICE:
            QTimer.singleShot(0, self, partial(self._watch_slice, generation,
                                               paths[self.WATCH_SLICE:]))

    def note_written(self, rels: list[str]) -> None:
        """After our own save: those bytes are ours, not a change to react to."""
        for rel in rels:
            self._known[rel] = read_text(self.root / rel)
            self._watch(rel)

    def _watch(self, rel: str) -> None:
        path = self.root / rel
        if path.exists() and str(path) not in self._watcher.files():
            self._watcher.addPath(str(path))  # an atomic replace drops the old watch

    def _rel(self, path: str) -> str | None:
        try:
            rel = Path(path).relative_to(self.root).as_posix()
        except ValueError:
            return None
        return rel if entity_files.entity_path(rel) is not None else None

    # --- events ------------------------------------------------------------------------

    def _on_file_changed(self, path: str) -> None:
        rel = self._rel(path)
        if rel is not None:
            self._pending.add(rel)
            self._timer.start()

    def _on_dir_changed(self, path: str) -> None:
        folder = Path(path)
        if folder == self.root:
            names = [PROJECT_FILE, PROFILES_FILE]
            for sub in FOLDERS:  # a folder created after opening: watch it, look inside
                if (folder / sub).is_dir() and str(folder / sub) not in self._watcher.directories():
                    self._watcher.addPath(str(folder / sub))
                    self._on_dir_changed(str(folder / sub))
            candidates = {n for n in names if (folder / n).exists() or n in self._known}
        else:
            sub = folder.name
            on_disk = ({f"{sub}/{p.name}" for p in folder.glob("*.y*ml")}
                       if folder.is_dir() else set())
            candidates = on_disk | {rel for rel in self._known if rel.startswith(f"{sub}/")}
        for rel in candidates:
            if entity_files.entity_path(rel) is None:
                continue
            watched = str(self.root / rel) in self._watcher.files()
            if not watched or (self.root / rel).exists() != (self._known.get(rel) is not None):
                self._pending.add(rel)
        if self._pending:
            self._timer.start()

    def process_pending(self) -> None:
        if self._busy:  # a question is open: look again when it is answered
            self._timer.start()
            return
        self._busy = True
        try:
            while self._pending:
                rel = min(self._pending)
                self._pending.discard(rel)
                self.check(rel)
        finally:
            self._busy = False

    # --- deciding --------------------------------------------------------------------

    def check(self, rel: str) -> str:
        """Look at one file; returns what happened: same, reloaded, kept, merged."""
        self._watch(rel)
        raw = read_bytes(self.root / rel)
        disk = None if raw is None else raw.decode("utf-8-sig", errors="replace")
        base = self._known.get(rel)
        if disk == base:
            return "same"
        path = entity_files.entity_path(rel)
        assert path is not None
        if rel in self._document.files.broken:
            mine = base  # a broken file has no model: nothing local to lose
        else:
            # What a save would write: a file nobody edited renders as the text it was
            # loaded from, comments and hand formatting included, so it reloads silently.
            mine = entity_files.render(self._document.project, path, self._document.files)
        if mine == base:
            self.take_theirs(rel)
            return "reloaded"
        if mine == disk:
            self._known[rel] = disk  # both sides made the same change
            self._document.files.note_disk(rel, raw)
            return "merged"
        if self.ask(rel, mine or "", disk or "") == "theirs":
            self.take_theirs(rel)
            return "reloaded"
        self._known[rel] = disk
        self._document.files.note_disk(rel, raw)  # seen and declined: the next save replaces it
        self.kept.emit(rel)
        return "kept"

    def history_touches(self, path: tuple[Any, ...]) -> bool:
        """Does any command on the undo stack (done or undone) edit this entity?"""
        stack = self._document.undo_stack
        for i in range(stack.count()):
            for target in _command_targets(stack.command(i)):
                n = min(len(target), len(path))
                if target[:n] == path[:n]:
                    return True
        return False

    def take_theirs(self, rel: str) -> None:
        document = self._document
        path = entity_files.entity_path(rel)
        assert path is not None
        parsed = entity_files.read(self.root, rel, document.project)
        value = parsed.value
        if parsed.broken and len(path) == 1:
            value = entity_files.current(document.project, path)  # keep settings/profiles
        if self.history_touches(path):
            if not document.is_modified:
                # History is clean: start over (the other files come from the parse cache).
                document.replace(load_project(self.root, parse_cache_dir()))
                self.reloaded.emit(rel)
                return
            if entity_files.current(document.project, path) != value:
                document.apply(SetValue(path, value), f"Reload {rel} from disk")
            self._record(rel, parsed)
            document.changed.emit(Change((), None, "reload"))  # broken files may differ
        else:
            was_broken = rel in document.files.broken
            edits.apply(document.project, SetValue(path, value))
            self._record(rel, parsed)
            structural = was_broken or parsed.broken
            document.changed.emit(Change(() if structural else path, None, "reload"))
        document.schedule_validation()
        self.reloaded.emit(rel)

    def _record(self, rel: str, parsed: entity_files.Parsed) -> None:
        """Bring the document's file bookkeeping in line with the file just read."""
        files = self._document.files
        path = entity_files.entity_path(rel)
        assert path is not None
        files.sources.pop(rel, None)
        files.broken.pop(rel, None)
        if len(path) == 2:
            files.entity_files.pop((path[0], path[1]), None)
        if parsed.source is not None:
            files.sources[rel] = parsed.source
        if parsed.broken:
            files.broken[rel] = parsed.problems
        elif parsed.value is not MISSING and len(path) == 2:
            files.entity_files[(path[0], path[1])] = rel
        if not parsed.exists:
            files.note_disk(rel, None)
        elif parsed.digest is not None and files.disk is not None:
            files.disk[rel] = parsed.digest
        problems = self._document.load_problems
        problems[:] = [p for p in problems if p.file != rel] + parsed.problems
        self._known[rel] = read_text(self.root / rel)

    def stop(self) -> None:
        self._slices += 1  # no more watch slices
        self._timer.stop()
        with contextlib.suppress(RuntimeError):
            self._watcher.fileChanged.disconnect(self._on_file_changed)
            self._watcher.directoryChanged.disconnect(self._on_dir_changed)
