"""Saves that land whole or not at all, and never overwrite what someone else wrote.

A save hands ``commit`` the files it wants to change: ``{relative path: new bytes, or None to
delete}``. Under the project's exclusive lock it

1. compares every target's current bytes (and existence) with what the caller last read or
   wrote there (``expected``): any difference is a ``DiskChanged`` conflict, and a read-only
   target a ``ReadOnlyFiles`` refusal — both before anything is written;
2. stages the new bytes in ``.guidestudio/txn/<id>/`` (fsynced), so a full disk fails here,
   with every original intact;
3. writes the journal (``journal.json``, fsynced, then renamed into place): **the commit
   point**;
4. moves each staged file over its target (``os.replace``: atomic per file) and deletes what
   goes, comparing each target once more as it replaces it (staging took milliseconds in
   which another program may have written); a difference then withdraws the save
   (``rollback.json`` lists what to put back) and is a ``DiskChanged`` like in step 1;
5. removes the journal.

Recovery (``recover``, run by every ``load_project`` — the window's and the CLI's) finishes a
transaction whose journal exists (roll **forward**), completes a withdrawal, and throws away
a folder with neither (nothing was replaced yet). Roll-forward, not roll-back: at the commit
point the new state is complete and durable in the staging folder and is what the user asked
to save, so finishing it is always possible (renames and deletions need no space) and
idempotent (a staged file that is gone was moved already). It is SQLite's write-ahead idea
with git's rename-as-commit; a rollback journal would need a copy of every original written
before the first replace, and would still end on the old state after the user saw "Saved".
Staged files live in the hidden folder, whose ``.gitignore`` ignores it all, so a crash never
shows temporary files in ``git status``.

Readers take the lock shared (``locked``), so a load never sees half of a save made through
this module; other writers (git, editors) are caught by the loader's re-read check. The lock
is ``flock`` on ``.guidestudio/txn/lock``: the kernel releases it when a process dies, so a
kill -9 never leaves a stale lock. Where ``fcntl`` is missing (Windows) saves still journal
but do not lock.

What no program can rule out without the other writer's cooperation: a program that renames
its file over a target in the microseconds between the last comparison and the replace, or
that keeps writing through a handle it opened before the replace.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import stat
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from guidestudio.core.files.atomic import fsync_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

HIDDEN_DIR = ".guidestudio"
TXN_DIR = f"{HIDDEN_DIR}/txn"
JOURNAL = "journal.json"
LOCK_FILE = "lock"
LOCK_TIMEOUT_S = 15.0
_GITIGNORE = "# Guide Studio's save journal and staged files: never part of the project\n*\n"


def digest(data: bytes) -> bytes:
    """What "the same bytes" is compared by (16 bytes; a file is read once to get it)."""
    return hashlib.blake2b(data, digest_size=16).digest()


@dataclass(frozen=True)
class Changed:
    """One target that is not what the saving document last read or wrote."""

    rel: str
    ours: bytes | None  # what the save wanted to write (None: delete)
    theirs: bytes | None  # what is on disk now (None: the file is gone)


class DiskChanged(Exception):
    """Files changed on disk since they were read: nothing was written."""

    def __init__(self, changed: list[Changed]) -> None:
        self.changed = changed
        names = ", ".join(c.rel for c in changed)
        super().__init__(f"not saved: {names} changed on disk since it was opened or saved")


class ReadOnlyFiles(Exception):
    """Targets the user (or the file system) made read-only: nothing was written."""

    def __init__(self, rels: list[str]) -> None:
        self.rels = rels
        super().__init__(
            "not saved: " + ", ".join(rels) + (" is" if len(rels) == 1 else " are")
            + " read-only; make it writable, or use Save As to save a copy elsewhere")


class ProjectBusy(Exception):
    """Another process held the project's save lock for too long."""


# --- the lock ---------------------------------------------------------------------------


def txn_dir(root: Path) -> Path:
    return Path(root) / TXN_DIR


def _prepare(root: Path) -> Path:
    folder = txn_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text(_GITIGNORE, encoding="utf-8")
    return folder


@contextlib.contextmanager
def locked(root: Path, exclusive: bool, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the project's lock; ``exclusive`` to write. Raises ``ProjectBusy`` after
    ``timeout`` seconds. A reader of a project without the hidden folder (never saved by
    this version, or read-only) takes no lock: ``load_project`` re-checks what it read."""
    folder = _prepare(root) if exclusive else txn_dir(root)
    if fcntl is None or not folder.is_dir():
        yield
        return
    try:
        fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        if exclusive:
            raise
        yield  # a read-only project: nobody saves through us there
        return
    try:
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ProjectBusy(
                        f"{root}: another program has been saving this project for more than "
                        f"{timeout:.0f} s; try again when it has finished") from None
                time.sleep(0.005)
        yield
    finally:
        os.close(fd)  # releases the lock


# --- saving -----------------------------------------------------------------------------


def _check_rel(rel: str) -> None:
    parts = rel.split("/")
    if rel.startswith("/") or ".." in parts or not rel or parts[0] == HIDDEN_DIR:
        raise ValueError(f"{rel!r} is not a path inside the project")


def read_current(path: Path) -> bytes | None:
    """A target's bytes now; None when it does not exist."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, NotADirectoryError):
        return None


def is_read_only(path: Path) -> bool:
    """No write permission bit at all, or a folder we may not change (root ignores modes,
    so the bits are what counts: the user marked the file read-only on purpose)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return False
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return True
    folder = path.parent
    return folder.is_dir() and not os.access(folder, os.W_OK)


def commit(root: Path, changes: Mapping[str, bytes | None],
           expected: Mapping[str, bytes] | None) -> tuple[list[str], dict[str, bytes | None]]:
    """Write ``changes`` as one transaction; return (paths changed, digest now on disk per path).

    ``expected`` maps each path the caller knows to the digest of the bytes it last read or
    wrote there; a path missing from it is expected not to exist. None: the caller keeps no
    such record (a new project), nothing is compared. A target that already holds the new
    bytes is left alone.
    """
    root = Path(root)
    for rel in changes:
        _check_rel(rel)
    with locked(root, exclusive=True):
        recover(root, locked_already=True)
        ops: dict[str, bytes | None] = {}
        after: dict[str, bytes | None] = {}
        conflicts: list[Changed] = []
        read_only: list[str] = []
        now_on_disk: dict[str, bytes | None] = {}
        for rel, new in changes.items():
            current = read_current(root / rel)
            now = now_on_disk[rel] = None if current is None else digest(current)
            if expected is not None and now != expected.get(rel) and current != new:
                conflicts.append(Changed(rel, new, current))
                continue
            if current == new:
                after[rel] = now
                continue
            if current is not None and is_read_only(root / rel):
                read_only.append(rel)
                continue
            ops[rel] = new
            after[rel] = None if new is None else digest(new)
        if conflicts:
            raise DiskChanged(conflicts)
        if read_only:
            raise ReadOnlyFiles(sorted(read_only))
        if ops:
            _run(root, ops, {rel: now_on_disk[rel] for rel in ops}
                 if expected is not None else None)
    return sorted(ops), after


def _run(root: Path, ops: Mapping[str, bytes | None],
         expected: Mapping[str, bytes | None] | None) -> None:
    folder = txn_dir(root) / uuid.uuid4().hex
    folder.mkdir()
    try:
        entries = []
        for n, (rel, data) in enumerate(sorted(ops.items())):
            if data is None:
                entries.append({"target": rel, "staged": None})
                continue
            staged = folder / str(n)
            _write_synced(staged, data, _mode_for(root / rel))
            entries.append({"target": rel, "staged": str(n)})
        fsync_dir(folder)
        journal = json.dumps({"version": 1, "entries": entries}).encode("utf-8")
        _write_synced(folder / (JOURNAL + ".tmp"), journal, 0o644)
        os.replace(folder / (JOURNAL + ".tmp"), folder / JOURNAL)  # the commit point
        fsync_dir(folder)
    except BaseException:
        with contextlib.suppress(OSError):
            if not (folder / JOURNAL).exists():
                shutil.rmtree(folder)  # rolled back: no target was touched
        raise
    try:
        _finish(root, folder, expected)
    except _Withdrawn as withdrawn:
        raise DiskChanged([Changed(rel, ops[rel], read_current(root / rel))
                           for rel in withdrawn.rels]) from None


class _Withdrawn(Exception):
    """A target changed between the first comparison and its replacement: the save was
    rolled back (``ROLLBACK``), nothing of it is left."""

    def __init__(self, rels: list[str]) -> None:
        self.rels = rels


ROLLBACK = "rollback.json"


def _mode_for(path: Path) -> int:
    """Keep the permissions of the file being replaced (644 for a new one)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o644


def _write_synced(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)
    with contextlib.suppress(OSError):
        os.chmod(path, mode)


def _digest_of(path: Path | None) -> bytes | None:
    data = None if path is None else read_current(path)
    return None if data is None else digest(data)


def _finish(root: Path, folder: Path, expected: Mapping[str, bytes | None] | None) -> None:
    """Apply a committed journal (again, if a crash interrupted it): every step idempotent.

    A live save (``expected`` given) checks each target once more at the moment it replaces
    it — staging and the journal's fsyncs take milliseconds, and another program may have
    written meanwhile: the old file is hard-linked into the journal's folder, compared,
    replaced, and compared again (a program writing in place into the old file just then).
    A difference rolls back what this save replaced so far and raises ``_Withdrawn``.
    """
    entries = json.loads((folder / JOURNAL).read_bytes())["entries"]
    touched: set[Path] = set()
    applied: list[tuple[str, str | None]] = []  # (target, its backup's name; None: was new)
    for n, entry in enumerate(entries):
        rel = entry["target"]
        target = root / rel
        touched.add(target.parent)
        staged = None if entry["staged"] is None else folder / entry["staged"]
        if staged is not None and not staged.exists():
            continue  # moved already, before a crash
        backup: Path | None = None
        if expected is not None:
            backup = folder / f"old-{n}"
            try:
                os.link(target, backup)
            except FileNotFoundError:
                backup = None
            if _digest_of(backup) != expected[rel]:
                _roll_back(root, folder, applied)
                raise _Withdrawn([rel])
        if staged is None:
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(staged, target)
            except OSError as exc:
                if exc.errno != errno.EXDEV:
                    raise
                _write_synced(target, staged.read_bytes(), _mode_for(staged))  # other device
                staged.unlink()
        applied.append((rel, None if backup is None else backup.name))
        if expected is not None and _digest_of(backup) != expected[rel]:
            _roll_back(root, folder, applied)  # written in place just before the replace
            raise _Withdrawn([rel])
    for parent in touched:
        fsync_dir(parent)
    (folder / JOURNAL).unlink()
    fsync_dir(folder)
    shutil.rmtree(folder, ignore_errors=True)


def _roll_back(root: Path, folder: Path, applied: list[tuple[str, str | None]]) -> None:
    """Withdraw a committed save: record what to undo, drop the journal, put the old files
    back. A crash meanwhile is finished by ``recover`` from ``ROLLBACK``."""
    data = json.dumps({"version": 1, "applied": applied}).encode("utf-8")
    _write_synced(folder / (ROLLBACK + ".tmp"), data, 0o644)
    os.replace(folder / (ROLLBACK + ".tmp"), folder / ROLLBACK)
    (folder / JOURNAL).unlink()
    fsync_dir(folder)
    _undo(root, folder)


def _undo(root: Path, folder: Path) -> None:
    applied = json.loads((folder / ROLLBACK).read_bytes())["applied"]
    touched: set[Path] = set()
    for rel, backup in reversed(applied):
        target = root / rel
        touched.add(target.parent)
        if backup is None:
            with contextlib.suppress(FileNotFoundError):
                target.unlink()  # it did not exist before this save
        elif (folder / backup).exists():
            os.replace(folder / backup, target)
    for parent in touched:
        fsync_dir(parent)
    shutil.rmtree(folder, ignore_errors=True)



# --- recovery ---------------------------------------------------------------------------


def pending(root: Path) -> list[Path]:
    """Transactions a crash left behind (committed or not), oldest name first."""
    folder = txn_dir(root)
    try:
        return sorted(p for p in folder.iterdir() if p.is_dir())
    except (FileNotFoundError, NotADirectoryError):
        return []


def recover(root: Path, locked_already: bool = False) -> list[str]:
    """Finish committed transactions, discard uncommitted ones; return what was done.

    Cheap when there is nothing to do (one ``listdir``), so every load calls it.
    """
    root = Path(root)
    if not pending(root):
        return []
    if not locked_already:
        with locked(root, exclusive=True):
            return recover(root, locked_already=True)
    done = []
    for folder in pending(root):  # listed again: a live save may have finished meanwhile
        if (folder / ROLLBACK).exists():
            _undo(root, folder)
            done.append(f"withdrew an interrupted save ({folder.name[:8]})")
        elif (folder / JOURNAL).exists():
            _finish(root, folder, None)
            done.append(f"completed an interrupted save ({folder.name[:8]})")
        else:
            shutil.rmtree(folder, ignore_errors=True)
            done.append(f"discarded an unfinished save ({folder.name[:8]})")
    return done


def in_progress(root: Path) -> bool:
    """A committed transaction not yet finished: a reader must not trust what it read."""
    return any((folder / JOURNAL).exists() or (folder / ROLLBACK).exists()
               for folder in pending(root))
