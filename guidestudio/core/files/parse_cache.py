"""Parsed project files kept between opens: opening a large project again skips YAML parsing.

Parsing is most of the time it takes to open a big project (2,000 guides:
~0.7 s of ~1 s on one core), and yaml_rs holds the GIL while it parses, so
threads do not hide it. Reading the parsed data back from one ``marshal``
blob takes about a sixth of that.

Correctness first: an entry is served only for a file whose bytes, read now,
have the digest it was stored with (``transaction.digest``, the same digest
saves compare the disk by), so a changed file is always parsed again; size or
modification times are never trusted. The blob also records which parser
made it (our YAML reader's source, yaml_rs's and PyYAML's versions,
Python's): any change there discards it whole. Only files that parsed to a
mapping are stored; a file with a YAML error is parsed again each time, so
its message and line come from the parser as before. Anything wrong with the
blob (missing, truncated, another format, written by an older version) just
means parsing as if there were none. zlib's checksum catches a damaged file
before ``marshal`` reads it.

The entries are compressed and marshalled in small chunks, not as one
object: ``marshal`` and ``zlib`` hold the GIL for a whole call, and one call
over 2,000 guides' data took ~100-250 ms each, a freeze of the window's thread
while the loader read the blob (and again while it wrote it). Chunk by chunk,
the interpreter hands the GIL over between calls. Each chunk has its own zlib
checksum.

One blob per project folder, under the cache folder the caller names (the
user's cache folder, never the project: a project is shared, a cache is
not); it is rewritten after a load that parsed anything or lost a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
import threading
import zlib
from pathlib import Path
from typing import Any

from guidestudio.core.files import yaml_io

_MAGIC = b"GSPARSE2"  # 2: the entries in chunks, each compressed on its own
#: Files per chunk: a chunk is a few ms of ``zlib`` and ``marshal`` with the GIL held.
CHUNK = 16
#: The data of one file: (digest of its bytes, parsed mapping).
_Entry = tuple[bytes, dict[str, Any]]


def _parser_id() -> bytes:
    """What the parsed data depends on besides the file: a change discards every entry."""
    parts = [sys.version.encode(), str(marshal.version).encode()]
    try:
        parts.append(Path(yaml_io.__file__).read_bytes())
    except OSError:  # a frozen build without sources: its version stands for them
        from guidestudio import __version__

        parts.append(f"guidestudio {__version__}".encode())
    for name in ("yaml_rs", "yaml"):  # (yaml_rs is absent when yaml_io could not import it)
        module = sys.modules.get(name)
        parts.append(f"{name} {getattr(module, '__version__', None)}".encode())
    return hashlib.blake2b(b"\0".join(parts), digest_size=16).digest()


_PARSER_ID: bytes | None = None


def parser_id() -> bytes:
    global _PARSER_ID
    if _PARSER_ID is None:
        _PARSER_ID = _parser_id()
    return _PARSER_ID


def cache_file(folder: Path, root: Path) -> Path:
    """Where the blob for the project at ``root`` lives in ``folder``."""
    key = hashlib.blake2b(os.fsencode(os.path.realpath(root)), digest_size=16).hexdigest()
    return Path(folder) / f"{key}.parsed"


class ParseCache:
    """The parsed files of one project folder, for one load.

    ``get`` hands an entry out once (its data becomes the model's); ``put``
    records what this load parsed; ``save`` writes what this load read.
    Both may be called from the loader's threads at once.
    """

    def __init__(self, path: Path | None, entries: dict[str, _Entry] | None = None) -> None:
        self.path = path
        self._stored: dict[str, _Entry] = entries or {}
        self._read: dict[str, _Entry] = {}
        self._parsed = 0  # files parsed because the cache had nothing for them
        self._changed = False  # an entry went stale or was added: the blob is out of date
        self._lock = threading.Lock()

    @classmethod
    def open(cls, folder: Path, root: Path) -> ParseCache:
        """The cache for ``root`` kept in ``folder`` (empty if there is none, or it is unusable)."""
        path = cache_file(folder, root)
        return cls(path, _read_blob(path))

    @property
    def hits(self) -> int:
        return len(self._read) - self._parsed

    @property
    def misses(self) -> int:
        return self._parsed

    def get(self, rel: str, digest: bytes) -> dict[str, Any] | None:
        """The parsed data of ``rel`` if it was stored for exactly these bytes, else None."""
        with self._lock:
            entry = self._stored.pop(rel, None)
        if entry is None:
            return None
        if entry[0] != digest:
            self._changed = True
            return None
        self._read[rel] = entry
        return entry[1]

    def put(self, rel: str, digest: bytes, data: dict[str, Any]) -> None:
        """``rel`` was parsed from bytes with ``digest`` to ``data`` (a mapping)."""
        with self._lock:
            self._read[rel] = (digest, data)
            self._parsed += 1
            self._changed = True

    def forget(self) -> None:
        """This load is not the one kept (its files changed meanwhile): start over."""
        with self._lock:
            self._stored.update(self._read)
            self._read = {}
            self._parsed = 0

    def save(self) -> None:
        """Write what this load read, if it differs from what was stored.

        Called before the model built from the data can change (the data is
        shared with it). Failing to write (read-only or full disk) is not an
        error: the next open parses, as it would without a cache.
        """
        if self.path is None or (not self._changed and not self._stored):
            return  # every file came from the blob and none went away: it is up to date
        try:
            read = sorted(self._read.items())
            chunks = [zlib.compress(marshal.dumps(dict(read[i:i + CHUNK])), 1)
                      for i in range(0, len(read), CHUNK)]
            blob = _MAGIC + marshal.dumps((parser_id(), chunks))
        except ValueError:  # something marshal cannot hold: no cache rather than a bad one
            return
        # Replaced whole (never read half-written), but not synced: a cache lost in a crash
        # costs one slower open, and fsync can take tens of ms on a busy disk.
        tmp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob)
            os.replace(tmp, self.path)
        except OSError:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def _read_blob(path: Path) -> dict[str, _Entry]:
    try:
        blob = path.read_bytes()
    except OSError:
        return {}
    if not blob.startswith(_MAGIC):
        return {}
    try:
        parser, chunks = marshal.loads(blob[len(_MAGIC):])
    except (ValueError, EOFError, TypeError):
        return {}
    if parser != parser_id() or type(chunks) is not list:
        return {}
    entries: dict[str, _Entry] = {}
    for chunk in chunks:
        try:
            part = marshal.loads(zlib.decompress(chunk))
        except (zlib.error, ValueError, EOFError, TypeError):
            return {}
        if type(part) is not dict:
            return {}
        entries.update((rel, entry) for rel, entry in part.items()
                       if type(rel) is str and type(entry) is tuple and len(entry) == 2
                       and type(entry[0]) is bytes and type(entry[1]) is dict)
    return entries
