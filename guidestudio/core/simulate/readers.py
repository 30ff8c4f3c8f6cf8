"""Reading users for ``guidestudio simulate``: JSON Lines, CSV, profiles.yaml.

Users are streamed in chunks, each with the user's stored history (taken out
of the attributes) and line number. A bad record is reported with its line
and skipped; a file that cannot be used at all raises ``InputError``. CSV
cells are typed the way the product would send them.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from guidestudio.core.files import yaml_io
from guidestudio.core.targeting.js_values import js_string

CHUNK = 4096  # users evaluated together: big enough to amortise, small enough to stream
MAX_REPORTED_BAD_LINES = 100


class InputError(Exception):
    """The users file cannot be used at all (missing, a folder, binary, no
    header): one line for the person, exit 2."""


_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
MISSING = object()  # parse_csv_value of an empty cell: the user has no such attribute
_CSV_CACHE: dict[str, Any] = {}


def parse_csv_value(text: str) -> Any:
    """A CSV cell as the product would send it: JSON-style numbers (``1.0`` is
    1; ``007`` and integers beyond 2**53 stay text, they are identifiers),
    ``true``/``false`` (any case) as booleans, ``null`` as null, an empty cell
    as missing (returns the ``MISSING`` marker), anything else as text."""
    cached = _CSV_CACHE.get(text, MISSING)
    if cached is not MISSING:
        return cached
    value: Any = text
    if text == "":
        value = MISSING
    elif _JSON_NUMBER.fullmatch(text):
        number = float(text)
        if math.isfinite(number):
            if number.is_integer():
                if abs(number) <= 2**53 and (abs(int(number)) < 2**53 or "." in text
                                             or "e" in text.lower()):
                    value = int(number)
            else:
                value = number
    else:
        lowered = text.lower()
        if lowered in ("true", "false"):
            value = lowered == "true"
        elif lowered == "null":
            value = None
    if len(_CSV_CACHE) < 65536:
        _CSV_CACHE[text] = value
    return value


@dataclass
class UserFile:
    """One users file being read; ``bad`` collects ``(line, message)``."""

    path: Path
    label: str
    kind: str  # jsonl | csv | yaml
    size: int
    bad: list[tuple[int, str]] = field(default_factory=list)
    lines: int = 0
    bytes_read: int = 0
    on_bad: Callable[[str], None] | None = None
    # A part of a JSON Lines file (for a worker process): bytes [start, end),
    # whose first line is line number first_line.
    start: int = 0
    end: int | None = None
    first_line: int = 1

    def bad_line(self, line: int, message: str) -> None:
        self.bad.append((line, message))
        if self.on_bad is not None and len(self.bad) <= MAX_REPORTED_BAD_LINES:
            self.on_bad(f"{self.label}:{line}: {message}")
            if len(self.bad) == MAX_REPORTED_BAD_LINES:
                self.on_bad(f"{self.label}: further bad lines are counted, not listed")


# users, histories, line numbers, and (profiles only) each user's profile id
Chunk = tuple[list[dict[str, Any]], list[Any], list[int], list[str] | None]


def open_users(path: str | Path, on_bad: Callable[[str], None] | None = None) -> UserFile:
    """Check the file is there and is text; pick its format (by extension:
    ``.csv``, ``.yaml``/``.yml``, else JSON Lines)."""
    p = Path(path)
    label = str(path)
    try:
        if p.is_dir():
            raise InputError(f"{label} is a folder, not a users file")
        with p.open("rb") as fp:
            head = fp.read(8192)
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{label}: no such file") from None
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror or exc})") from None
    if b"\x00" in head:
        raise InputError(f"{label} is not a text file (it contains binary data); give JSON "
                         "Lines, CSV or a profiles.yaml")
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml"):
        kind = "yaml"
    elif suffix == ".csv":
        kind = "csv"
    elif suffix in (".jsonl", ".ndjson", ".json"):
        kind = "jsonl"
    else:
        kind = "jsonl" if head.lstrip().startswith(b"{") else "csv"
    return UserFile(p, label, kind, size, on_bad=on_bad)


def read_users(source: UserFile, chunk: int = CHUNK) -> Iterator[Chunk]:
    """Stream ``(users, histories, lines, labels)`` chunks; bad records are reported
    through ``source.bad_line`` and skipped."""
    reader = {"jsonl": _read_jsonl, "csv": _read_csv, "yaml": _read_profiles}[source.kind]
    yield from reader(source, chunk)


def _split_history(obj: dict[str, Any]) -> tuple[Any, str | None]:
    """``history`` (the runtime's stored value) and ``events`` (its event map)
    are not attributes: take them out of the user."""
    history = obj.pop("history", None)
    events = obj.pop("events", None)
    if history is not None and not isinstance(history, dict):
        return None, "history must be an object (the runtime's stored history)"
    if events is not None:
        if not isinstance(events, dict):
            return None, "events must be an object {event: {YYYY-MM-DD: count}}"
        history = {**history, "events": events} if history else {"v": 1, "events": events}
    return history, None


def _json_error(raw: bytes, exc: ValueError) -> str:
    """``Expecting ',' delimiter at column 12``, without the line ending."""
    try:
        json.loads(raw.decode().rstrip("\r\n"))
    except json.JSONDecodeError as again:
        exc = again
    except ValueError:
        pass
    if not isinstance(exc, json.JSONDecodeError):
        return str(exc)
    at = "" if exc.msg.endswith(" at") else " at"
    return f"{exc.msg}{at} column {exc.colno}"


def _read_jsonl(source: UserFile, chunk: int) -> Iterator[Chunk]:
    users: list[dict[str, Any]] = []
    histories: list[Any] = []
    lines: list[int] = []
    decode = json.JSONDecoder().decode  # what json.loads uses, minus its wrapper
    try:
        fp = source.path.open("rb")
    except OSError as exc:
        raise InputError(f"{source.label}: cannot be read ({exc.strerror or exc})") from None
    limit = math.inf if source.end is None else source.end - source.start
    done = 0
    with fp:
        fp.seek(source.start)
        number = source.first_line - 1
        for number, raw in enumerate(fp, start=source.first_line):  # noqa: B007
            if done >= limit:
                number -= 1
                break
            done += len(raw)
            try:
                obj = decode(raw.decode())
            except UnicodeDecodeError:
                source.bad_line(number, "not UTF-8 text")
                continue
            except ValueError as exc:
                if not raw.strip():
                    continue  # blank lines are allowed
                source.bad_line(number, f"not valid JSON: {_json_error(raw, exc)}")
                continue
            if type(obj) is not dict:
                source.bad_line(number, "not a JSON object (one user object per line)")
                continue
            history = None
            if "events" in obj or "history" in obj:
                history, error = _split_history(obj)
                if error:
                    source.bad_line(number, error)
                    continue
            users.append(obj)
            histories.append(history)
            lines.append(number)
            if len(users) >= chunk:
                source.lines, source.bytes_read = number, done
                yield users, histories, lines, None
                users, histories, lines = [], [], []
        source.lines, source.bytes_read = number, done
    if users:
        yield users, histories, lines, None


def _decoded_lines(source: UserFile, fp: IO[bytes]) -> Iterator[str]:
    """UTF-8 lines; an undecodable line is reported and replaced by an empty
    one so CSV line numbers stay right."""
    for number, raw in enumerate(fp, start=1):
        source.bytes_read += len(raw)
        source.lines = number
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            source.bad_line(number, "not UTF-8 text")
            text = "\n"
        yield text


def _csv_columns(header: list[str], label: str) -> list[tuple[str, ...]]:
    paths = [tuple(name.strip().split(".")) for name in header]
    seen: dict[tuple[str, ...], str] = {}
    for name, path in zip(header, paths, strict=True):
        if not name.strip() or any(not part for part in path):
            raise InputError(f"{label}:1: column {name!r} is not an attribute name")
        if path in seen:
            raise InputError(f"{label}:1: column {name!r} appears twice")
        seen[path] = name
    for path, name in seen.items():
        for n in range(1, len(path)):
            if path[:n] in seen:
                raise InputError(f"{label}:1: column {name!r} conflicts with column "
                                 f"{seen[path[:n]]!r} (one cannot be an object and a value)")
    return paths


def _read_csv(source: UserFile, chunk: int) -> Iterator[Chunk]:
    try:
        fp = source.path.open("rb")
    except OSError as exc:
        raise InputError(f"{source.label}: cannot be read ({exc.strerror or exc})") from None
    with fp:
        reader = csv.reader(_decoded_lines(source, fp), strict=True)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"{source.label}:1: the header row is not valid CSV ({exc})") from None
        columns = _csv_columns(header, source.label)
        width = len(columns)
        flat = [path[0] if len(path) == 1 else None for path in columns]
        users: list[dict[str, Any]] = []
        lines: list[int] = []
        start = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                source.bad_line(start, f"not valid CSV: {exc}")
                start = reader.line_num + 1
                continue
            line, start = start, reader.line_num + 1
            if not row or row == [""]:
                continue
            if len(row) != width:
                source.bad_line(line, f"has {len(row)} fields, the header has {width}")
                continue
            user: dict[str, Any] = {}
            for key, path, cell in zip(flat, columns, row, strict=True):
                value = parse_csv_value(cell)
                if value is MISSING:
                    continue
                if key is not None:
                    user[key] = value
                else:
                    node = user
                    for part in path[:-1]:
                        node = node.setdefault(part, {})
                    node[path[-1]] = value
            users.append(user)
            lines.append(line)
            if len(users) >= chunk:
                yield users, [None] * len(users), lines, None
                users, lines = [], []
        if users:
            yield users, [None] * len(users), lines, None


def _read_profiles(source: UserFile, chunk: int) -> Iterator[Chunk]:
    try:
        text = source.path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source.label}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise InputError(f"{source.label}: cannot be read ({exc.strerror or exc})") from None
    source.bytes_read = source.size
    source.lines = text.count("\n") + 1
    try:
        data, positions = yaml_io.load(text)
    except yaml_io.YamlError as exc:
        raise InputError(f"{source.label}:{exc.line or 1}: not valid YAML: {exc.message}") \
            from None
    profiles = data.get("profiles") if isinstance(data, dict) else None
    if not isinstance(profiles, list):
        raise InputError(f"{source.label}: a profiles file needs a list under 'profiles:'")
    users: list[dict[str, Any]] = []
    histories: list[Any] = []
    lines: list[int] = []
    labels: list[str] = []
    for i, profile in enumerate(profiles):
        mark = positions.locate(data, ("profiles", i))
        line = mark[0] if mark else 0
        if not isinstance(profile, dict):
            source.bad_line(line, "a profile must be a mapping with id and attributes")
            continue
        attributes = profile.get("attributes", {})
        events = profile.get("events")
        if not isinstance(attributes, dict):
            source.bad_line(line, "attributes must be a mapping")
            continue
        if events is not None and not isinstance(events, dict):
            source.bad_line(line, "events must be a mapping {event: {YYYY-MM-DD: count}}")
            continue
        users.append(dict(attributes))
        histories.append({"v": 1, "events": events} if events else None)
        lines.append(line)
        labels.append(js_string(profile.get("id", "")))
    yield users, histories, lines, labels
