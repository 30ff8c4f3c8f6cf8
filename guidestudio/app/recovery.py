"""Never lose work: unsaved changes reach a recovery journal within a second, and come back
after a crash.

Every change restarts a short quiet-period timer (``DEBOUNCE_MS``); when the
user pauses, the files with unsaved edits are rendered — as ``render_files``
would write them — and the journal is written to
``<AppDataLocation>/recovery/<sha1 of the project folder>.json``. Typing that
never pauses is journaled every ``MAX_WAIT_MS``; losing focus writes at once.

Off the typing path: a keystroke only marks its file stale (a set insert). The
flush renders just the files changed since the previous flush (a cached text
for the others), in slices of ``SLICE_S`` per event-loop turn like validation,
so a change to every guide of a 2,000-guide project is journaled over a few
seconds without freezing the window (the model is edited on the GUI thread, so
it is read there; a file changed again mid-way is rendered again). JSON and
the atomic, fsynced write run on one worker thread, in order, and a newer
journal or a ``discard`` makes a queued older write a no-op.

With each file the journal stores the fingerprint of the disk bytes its edits
were based on (``core/files/recovery_journal.py``), so after a crash the
restore question can say which files another program changed since, and the
user chooses per file. The journal is removed when the project is saved (or
undone back to its saved state) and on a clean close. ``restore`` applies the
chosen files as ONE undoable edit.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

from guidestudio.app.document import Change, Document
from guidestudio.core.files import atomic, entity_files, recovery_journal
from guidestudio.core.files.project_io import FOLDERS
from guidestudio.core.files.recovery_journal import (
    ABSENT,
    Choice,
    RecoveredFile,
    RecoveryData,
    text_fingerprint,
)

__all__ = ["Recovery", "RecoveryData", "RecoveredFile", "recovery_dir", "recovery_file"]

log = logging.getLogger(__name__)

# One writer for every journal, so writes land in the order they were made.
_WRITER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="recovery-journal")
# Held while a journal file is replaced or removed: a discard waits for a write in flight.
_FILE_LOCK = threading.Lock()
#: A temporary file left by a write that a crash interrupted is removed after this long.
STALE_TMP_S = 60.0


def recovery_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "recovery"


def recovery_file(root: Path, folder: Path | None = None) -> Path:
    key = hashlib.sha1(str(Path(root).resolve()).encode("utf-8")).hexdigest()
    return (folder or recovery_dir()) / f"{key}.json"


class Recovery(QObject):
    """Journals one document's unsaved changes; offers them back after a crash."""

    #: Quiet time after the last change before the journal is written.
    DEBOUNCE_MS = 400
    #: Typing that never pauses is journaled at least this often.
    MAX_WAIT_MS = 3000
    #: The longest a flush holds the GUI thread per event-loop turn (one file more at worst).
    SLICE_S = 0.008
    #: Emitted on the GUI thread when a journal write has landed on disk (its path).
    written = Signal(object)
    _landed = Signal(object, int)  # from the writer thread: (path, generation)

    def __init__(self, document: Document, folder: Path | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else document)
        self._document = document
        self._folder = folder
        self._root = Path(document.root) if document.root is not None else None
        self._path = recovery_file(self._root, folder) if self._root is not None else None
        self._dirty_files: set[str] = set()  # every file edited since the last save
        self._dirty_folders: set[str] = set()
        self._stale: set[str] = set()  # files changed since the last flush
        self._stale_folders: set[str] = set()
        self._texts: dict[str, str | None] = {}  # every unsaved file rendered (None: deleted)
        self._bases: dict[str, tuple[Any, str]] = {}  # rel -> (source it came from, fingerprint)
        self._unsaved_since_autosave = False
        self._generation = 0  # of the newest journal asked for (or discard)
        self.writes = 0  # journal writes that landed (for tests and benchmarks)
        self._quiet = self._timer(self.DEBOUNCE_MS)
        self._deadline = self._timer(self.MAX_WAIT_MS)
        self._slices = QTimer(self)
        self._slices.setInterval(0)
        self._slices.timeout.connect(self._render_slice)
        self._landed.connect(self._on_landed, Qt.ConnectionType.QueuedConnection)
        document.changed.connect(self._on_changed)
        document.reset.connect(self._forget)
        document.rootChanged.connect(self._on_root_changed)
        document.cleanChanged.connect(self._on_clean_changed)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._on_app_state)
        self._remove_stale_temporaries()

    def _timer(self, interval: int) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(interval)
        timer.timeout.connect(self.flush)
        return timer

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def scheduled(self) -> bool:
        """Whether a journal write is waiting for the user to pause (or being prepared)."""
        return self._quiet.isActive() or self._slices.isActive()

    # --- tracking what is unsaved --------------------------------------------------------

    def _on_changed(self, change: Change) -> None:
        path = change.path
        if change.kind == "reload":
            return  # taken from disk: not an unsaved change
        self._unsaved_since_autosave = True
        if not path:
            self._dirty_folders.update(("*", *FOLDERS))
            self._stale_folders.update(("*", *FOLDERS))
        elif len(path) == 1 and path[0] in FOLDERS:
            self._dirty_folders.add(path[0])
            self._stale_folders.add(path[0])
        else:
            rel = entity_files.file_for(path)
            if rel is not None:
                self._dirty_files.add(rel)
                self._stale.add(rel)
        self._quiet.start()  # restarts: one write per pause, however many keystrokes
        if not self._deadline.isActive():
            self._deadline.start()

    def _stop_timers(self) -> None:
        self._quiet.stop()
        self._deadline.stop()
        self._slices.stop()

    def _forget(self) -> None:
        self._stop_timers()
        self._dirty_files.clear()
        self._dirty_folders.clear()
        self._stale.clear()
        self._stale_folders.clear()
        self._texts.clear()
        self._bases.clear()
        self._unsaved_since_autosave = False

    def _on_clean_changed(self, clean: bool) -> None:
        if clean:  # saved, or undone back to the saved state: nothing to recover
            self._forget()
            self.discard()

    def _on_root_changed(self, root: Any) -> None:
        self.discard()  # Save As: the old folder is untouched, the new one saved
        self._root = Path(root)
        self._path = recovery_file(self._root, self._folder)

    def _on_app_state(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive:
            self.autosave_if_needed()

    # --- what the journal holds ----------------------------------------------------------

    def _folder_files(self, folders: set[str]) -> set[str]:
        project = self._document.project
        rels: set[str] = set()
        if "*" in folders:
            rels.update(("guidestudio.yaml", "profiles.yaml"))
        for folder in folders & set(FOLDERS):
            rels.update(f"{folder}/{eid}.yaml" for eid in getattr(project, folder))
            rels.update(rel for (f, _eid), rel in self._document.files.entity_files.items()
                        if f == folder)
        return rels

    def _base(self, rel: str) -> str:
        """The fingerprint of the bytes on disk that this file's edits started from."""
        source = self._document.files.sources.get(rel)
        cached = self._bases.get(rel)
        if cached is None or cached[0] is not source:
            cached = self._bases[rel] = (
                source, text_fingerprint(source.text) if source is not None else ABSENT)
        return cached[1]

    def _render(self, budget: float | None) -> bool:
        """Render stale files, for at most ``budget`` seconds; True when none is left."""
        if self._stale_folders:
            self._stale |= self._folder_files(self._stale_folders)
            self._stale_folders.clear()
        project = self._document.project
        started = time.perf_counter()
        while self._stale:
            rel = self._stale.pop()
            path = entity_files.entity_path(rel)
            if path is not None:
                self._texts[rel] = entity_files.render(project, path)
            if budget is not None and time.perf_counter() - started > budget:
                break
        return not self._stale

    def _collect(self) -> RecoveryData:
        data = RecoveryData(str(self._root.resolve()) if self._root else "",
                            datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        broken = self._document.files.broken
        for rel in sorted(self._texts):
            if rel in broken:
                continue
            text = self._texts[rel]
            if text is None:
                data.removed.append(rel)
            else:
                data.files[rel] = text
            data.base[rel] = self._base(rel)
        return data

    def snapshot(self) -> RecoveryData:
        """The unsaved files as ``render_files`` would write them, each with its base.

        Renders only what changed since the previous snapshot; the rest comes
        from the texts rendered then.
        """
        self._render(None)
        return self._collect()

    # --- writing -----------------------------------------------------------------------

    def autosave_if_needed(self) -> None:
        if self._unsaved_since_autosave or self._slices.isActive():
            self.autosave()

    def autosave(self) -> Path | None:
        """Write the journal now, on this thread (or remove it when nothing is unsaved)."""
        self._stop_timers()
        if self._path is None:
            return None
        if not self._document.is_modified:
            self.discard()
            return None
        self._unsaved_since_autosave = False
        data = self.snapshot()
        self._generation += 1
        return self._write(self._path, data, self._generation)

    def flush(self) -> None:
        """The user paused: render what changed in slices, then write on the journal's thread."""
        self._quiet.stop()
        self._deadline.stop()
        if self._path is None:
            return
        if not self._document.is_modified:
            self.discard()
            return
        self._unsaved_since_autosave = False
        self._render_slice()

    def _render_slice(self) -> None:
        if not self._render(self.SLICE_S):
            self._slices.start()  # the rest on the next turns of the event loop
            return
        self._slices.stop()
        self._generation += 1
        _WRITER.submit(self._write, self._path, self._collect(), self._generation)

    def _write(self, target: Path | None, data: RecoveryData, generation: int) -> Path | None:
        """Replace the journal, unless a newer one or a discard came since (any thread)."""
        if target is None:
            return None
        with _FILE_LOCK:
            if generation != self._generation:
                return None  # superseded while it waited
            try:
                atomic.write_text(target, data.to_json())
            except OSError:
                log.exception("could not write the recovery file %s", target)
                return None
        with contextlib.suppress(RuntimeError):  # this object was deleted meanwhile
            self._landed.emit(target, generation)
        return target

    def _on_landed(self, target: Path, generation: int) -> None:
        self.writes += 1
        self.written.emit(target)

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until every journal write asked for so far has landed (or been dropped)."""
        _WRITER.submit(lambda: None).result(timeout)

    def discard(self) -> None:
        """Remove the journal; a write still queued or in flight will not bring it back."""
        self._stop_timers()
        self._generation += 1
        target = self.path
        if target is not None:
            with _FILE_LOCK, contextlib.suppress(FileNotFoundError):
                target.unlink()

    def _remove_stale_temporaries(self) -> None:
        """A crash during a write leaves ``.<key>.json.*.tmp`` behind: clear old ones."""
        target = self.path
        if target is None or not target.parent.is_dir():
            return
        now = time.time()
        for tmp in target.parent.glob(f".{target.name}.*.tmp"):
            with contextlib.suppress(OSError):
                if now - tmp.stat().st_mtime > STALE_TMP_S:
                    tmp.unlink()

    # --- reading back ----------------------------------------------------------------

    def pending(self) -> RecoveryData | None:
        """The journal left for this project by a session that did not close cleanly."""
        target = self.path
        if target is None or not target.is_file():
            return None
        try:
            return RecoveryData.from_json(target.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            log.warning("ignoring unreadable recovery file %s: %s", target, exc)
            return None

    def review(self, data: RecoveryData) -> list[RecoveredFile]:
        """The journal's files that differ from the project, each compared with the disk."""
        if self._root is None:
            return []
        return recovery_journal.review(data, self._root, self._document.project)

    def restore(self, data: RecoveryData | None = None,
                choices: dict[str, Choice] | None = None) -> bool:
        """Apply the files chosen "mine" as one undoable step; True when anything changed.

        Without ``choices`` only files unchanged on disk since the crash are
        restored: nothing another program wrote is reverted unasked.
        """
        data = data if data is not None else self.pending()
        if data is None:
            return False
        items = self.review(data)
        if choices is None:
            choices = {item.rel: item.default for item in items if item.default is not None}
        edit = recovery_journal.edit_for(items, choices)
        self.discard()  # applied or declined; the next pause journals the restored state
        if edit is None:
            return False
        self._document.apply(edit, "Restore unsaved changes")
        return True

    def check(self, ask: Any) -> bool:
        """On open: if a crash left changes behind, ``ask(data)`` what to restore.

        ``ask`` returns a ``{file: "mine" | "disk"}`` choice per file (as the
        restore dialog does), True to restore every file as recovered, or
        False/None to discard them for good.
        """
        data = self.pending()
        items = self.review(data) if data is not None else []
        if data is None or not items:
            self.discard()
            return False
        answer = ask(data)
        if answer is True:
            answer = {item.rel: "mine" for item in items}
        if not answer:
            self.discard()
            return False
        return self.restore(data, answer)
