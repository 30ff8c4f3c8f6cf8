"""Atomic file writes: a crash or full disk never leaves a half-written file.

Write to a temporary file in the same folder (so the rename cannot cross file
systems), fsync it, ``os.replace`` it over the target, then fsync the folder so
the rename itself survives a power cut.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_bytes(path: Path, data: bytes) -> None:
    write_chunks(path, (data,))


def write_text(path: Path, text: str) -> int:
    """Write ``text`` as UTF-8, atomically, a megabyte at a time; return the bytes written."""
    chunks = (text[i:i + (1 << 20)].encode("utf-8") for i in range(0, len(text), 1 << 20))
    return write_chunks(path, chunks)


def write_chunks(path: Path, chunks: Iterable[bytes]) -> int:
    """Like ``write_bytes`` for data produced in pieces (no full copy in memory)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    size = 0
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
                size += len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        _set_mode(tmp, path)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)
    return size


def _set_mode(tmp: str, path: Path) -> None:
    """Keep the permissions of the file being replaced (644 for a new one)."""
    with contextlib.suppress(OSError):
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)


def fsync_dir(folder: Path) -> None:
    """Make a folder's entries (a rename, a new or removed file) durable: without it a
    crash can undo a replace that had returned."""
    if os.name != "posix":  # pragma: no cover - Windows cannot open folders
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(fd)
