"""The recovery journal's contents, Qt-free: what a crashed session left, and what to do with it.

A journal holds, per project file with unsaved edits, the canonical text the
editor would save (or "deleted"), and the fingerprint of the bytes on disk that
those edits were based on (what the editor last read or wrote there). After a
crash, comparing that fingerprint with the disk tells whether another program
(git, a text editor, a sync tool, another window) changed the file since: then
restoring would silently revert that change, so the user chooses per file.

``app/recovery.py`` writes journals and asks; this module reads them, compares
them with the disk and builds the one edit a restore applies.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from guidestudio.core.edits import MISSING, Batch, Edit, SetValue
from guidestudio.core.files import entity_files
from guidestudio.core.files.project_io import PROFILES_FILE, PROJECT_FILE
from guidestudio.core.model import Project

FORMAT = "guidestudio-recovery"
VERSION = 2
_BOM = b"\xef\xbb\xbf"
#: What a journal records for a file that did not exist when the edits began.
ABSENT = "absent"

Choice = Literal["mine", "disk"]


def fingerprint(data: bytes | None) -> str:
    """sha256 of a file's bytes as the loader reads them (a UTF-8 BOM does not count)."""
    if data is None:
        return ABSENT
    return hashlib.sha256(data[3:] if data.startswith(_BOM) else data).hexdigest()


def text_fingerprint(text: str | None) -> str:
    """The fingerprint of the bytes a loaded (BOM-stripped, strict UTF-8) text came from."""
    return fingerprint(None if text is None else text.encode("utf-8"))


def read_disk(root: Path, rel: str) -> bytes | None:
    """The file's bytes now; None when there is no (readable) file."""
    try:
        return (root / rel).read_bytes()
    except OSError:
        return None


@dataclass
class RecoveryData:
    """A journal: texts of changed files, files deleted since saving, and what each was based on.

    ``base`` maps every file in ``files`` and ``removed`` to the fingerprint of
    the disk bytes the edits started from; a journal written before fingerprints
    existed (version 1) has none, and every file is then treated as possibly changed.
    """

    root: str
    saved_at: str
    files: dict[str, str] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    base: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        names = sorted(self.files) + [f"{rel} (deleted)" for rel in sorted(self.removed)]
        shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        return f"Unsaved changes from {self.saved_at}: {shown}"

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "version": VERSION, "root": self.root,
                           "saved_at": self.saved_at, "files": self.files,
                           "removed": self.removed, "base": self.base},
                          ensure_ascii=False, separators=(",", ":"))  # C encoder: fast

    @classmethod
    def from_json(cls, text: str) -> RecoveryData:
        """Raises ValueError for anything that is not a journal."""
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not JSON: {exc}") from None
        if not isinstance(raw, dict) or raw.get("format") != FORMAT \
                or not isinstance(raw.get("files"), dict):
            raise ValueError("not a recovery file")
        base = raw.get("base") if isinstance(raw.get("base"), dict) else {}
        return cls(str(raw.get("root", "")), str(raw.get("saved_at", "")),
                   {str(k): str(v) for k, v in raw["files"].items()},
                   [str(r) for r in raw.get("removed", [])],
                   {str(k): str(v) for k, v in base.items()})


@dataclass
class RecoveredFile:
    """One file of a journal as the restore question shows it."""

    rel: str
    label: str  # in the author's words: 'Guide "Welcome tour"'
    action: Literal["edited", "added", "deleted"]
    mine: str | None  # the recovered text; None: the edits deleted it
    disk: str | None  # the file on disk now; None: no file
    changed_on_disk: bool  # since the edits began: restoring would undo someone's change
    value: Any = MISSING  # the model value a restore sets (MISSING: delete the entity)

    @property
    def default(self) -> Choice | None:
        """Unchanged on disk: restore. Changed: no default, the user must choose."""
        return None if self.changed_on_disk else "mine"


_KIND_WORDS = {"guides": "Guide", "segments": "Segment", "themes": "Theme"}


def label_for(rel: str, value: Any, fallback: Any = MISSING) -> str:
    """How the author knows a file: the guide's name, not ``guides/x.yaml``."""
    if rel == PROJECT_FILE:
        return "Project settings"
    if rel == PROFILES_FILE:
        return "Sample profiles"
    path = entity_files.entity_path(rel)
    kind = _KIND_WORDS.get(path[0], "File") if path else "File"
    for source in (value, fallback):
        name = getattr(source, "name", None)
        if isinstance(name, str) and name.strip():
            return f"{kind} “{name.strip()}”"
    return f"{kind} “{path[1] if path else rel}”"


def _parse_disk(rel: str, data: bytes | None) -> Any:
    if data is None:
        return MISSING
    try:
        return entity_files.parse_text(rel, data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return MISSING


def review(data: RecoveryData, root: Path, project: Project) -> list[RecoveredFile]:
    """The journal's files that would change the opened project, compared with the disk.

    A file whose recovered content is what the project already holds is left
    out (nothing to restore); unreadable entries are skipped.
    """
    found: list[RecoveredFile] = []
    entries: list[tuple[str, str | None]] = [*sorted(data.files.items()),
                                             *((rel, None) for rel in sorted(data.removed))]
    for rel, text in entries:
        path = entity_files.entity_path(rel)
        if path is None:
            continue
        if text is None:
            value: Any = [] if path == ("profiles",) else MISSING
        else:
            try:
                value = entity_files.parse_text(rel, text)
            except ValueError:
                continue
        now = entity_files.current(project, path)
        if now == value or (text is None and now in (MISSING, [])):
            continue
        disk = read_disk(root, rel)
        base = data.base.get(rel)
        changed = base is None or fingerprint(disk) != base
        action = "deleted" if text is None else ("added" if now in (MISSING, []) else "edited")
        found.append(RecoveredFile(
            rel, label_for(rel, value, now if now is not MISSING else _parse_disk(rel, disk)),
            action, text, None if disk is None else disk.decode("utf-8-sig", errors="replace"),
            changed, value))
    return found


def edit_for(items: list[RecoveredFile], choices: dict[str, Choice]) -> Edit | None:
    """One edit that restores the files the user chose "mine" for (None: nothing to do).

    "disk" leaves the opened project as it is: it was just read from disk, so
    the disk's bytes stay untouched and the next save does not rewrite them.
    """
    parts: list[Edit] = []
    for item in items:
        if choices.get(item.rel) != "mine":
            continue
        path = entity_files.entity_path(item.rel)
        assert path is not None
        parts.append(SetValue(path, item.value))
    return Batch(tuple(parts)) if parts else None


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{prefix} › {key}" if prefix else str(key), out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        word = prefix.rsplit(" › ", 1)[-1]
        for i, item in enumerate(value):
            name = f"{word[:-1] if word.endswith('s') else word} {i + 1}"
            head = prefix.rsplit(" › ", 1)[0] if " › " in prefix else ""
            _flatten(item, f"{head} › {name}" if head else name, out)
    else:
        out[prefix] = value


def _words(value: Any) -> str:
    if value is MISSING:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    return json.dumps(value, ensure_ascii=False)


def compare_fields(mine: str | None, disk: str | None) -> list[tuple[str, str, str]]:
    """(field, my value, the disk's value) for every field that differs, in plain words.

    A marketer compares "step 2 › title › en", not YAML lines. Texts that are
    not readable YAML compare as one field, "whole file".
    """
    from guidestudio.core.files import yaml_io

    def fields(text: str | None) -> dict[str, Any] | None:
        if text is None:
            return {}
        try:
            data = yaml_io.load_data(text)
        except yaml_io.YamlError:
            return None
        out: dict[str, Any] = {}
        _flatten(data, "", out)
        out.pop("schema_version", None)
        return out

    a, b = fields(mine), fields(disk)
    if a is None or b is None:
        return [("whole file", mine or "—", disk or "—")] if mine != disk else []
    rows = []
    for key in [*a, *(k for k in b if k not in a)]:
        left, right = a.get(key, MISSING), b.get(key, MISSING)
        if left != right:
            rows.append((key.replace("_", " "), _words(left), _words(right)))
    return rows
