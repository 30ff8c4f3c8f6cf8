"""Where events come from: files, globs and folders, in the shapes analytics tools export.

Everything is read by DuckDB in-process: Python never holds a row. Each source becomes
one ``SELECT`` producing the same normalised columns (``NORMALISED``), whatever the
file format (JSON Lines, CSV, Parquet) and whatever the shape (Segment/RudderStack
``track`` calls, Amplitude's export, or named columns). A row that cannot be read (not
JSON, not an object, no user, no event name, a timestamp that is not one) keeps
``ok = false`` so it is counted and located instead of silently dropped.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from guidestudio.core.model import EventColumns
from guidestudio.core.results.sql import quote_ident, quote_literal


class SourceError(Exception):
    """An event source that cannot be used at all (missing, empty, not a known shape)."""


# The properties the runtime puts on its events (docs/runtime.md), as normalised columns.
PROPERTY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("guide_id", "VARCHAR"), ("variant", "VARCHAR"), ("experiment", "VARCHAR"),
    ("step", "INTEGER"), ("selector", "VARCHAR"), ("reason", "VARCHAR"),
    ("score", "INTEGER"), ("item", "VARCHAR"), ("locale", "VARCHAR"),
)
NORMALISED = ("file", "row", "ok", "user_id", "event", "ts", "message_id",
              *(name for name, _ in PROPERTY_COLUMNS), "bad_value")


@dataclass(frozen=True)
class Shape:
    """Which columns hold what. Each field lists alternatives, the first present wins
    (a Segment call has ``userId`` or only ``anonymousId``). ``properties`` is the column
    holding the event's properties as an object; None means they are top-level columns."""

    name: str
    user: tuple[str, ...]
    event: tuple[str, ...]
    timestamp: tuple[str, ...]
    message_id: tuple[str, ...] = ()
    properties: str | None = None


SEGMENT = Shape("Segment's track call", ("userId", "anonymousId"), ("event",), ("timestamp",),
                ("messageId",), "properties")
AMPLITUDE = Shape("Amplitude's export", ("user_id", "device_id"), ("event_type",), ("event_time",),
                  ("$insert_id", "insert_id", "uuid"), "event_properties")
SHAPES = {"segment": SEGMENT, "amplitude": AMPLITUDE}


COLUMN_FIELDS = ("user", "event", "timestamp", "message_id", "properties")


def column_shape(spec: str) -> Shape:
    """A generic shape from ``user=uid,event=name,timestamp=at[,message_id=id][,properties=p]``
    (the CLI's ``--columns``); properties not named are read from top-level columns."""
    parts: dict[str, str] = {}
    for item in spec.split(","):
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not value or key not in COLUMN_FIELDS:
            raise SourceError(f"--columns {spec!r}: expected user=COL,event=COL,timestamp=COL "
                              "and optionally message_id=COL, properties=COL")
        parts[key] = value
    missing = [k for k in ("user", "event", "timestamp") if k not in parts]
    if missing:
        raise SourceError(f"--columns {spec!r}: name the {', '.join(missing)} column")
    return _named_shape("--columns", parts)


def settings_shape(columns: EventColumns) -> Shape:
    """The shape the project's settings name (``events:`` in guidestudio.yaml), used when
    no ``--columns`` is given; the schema has already required user, event and timestamp."""
    return _named_shape("guidestudio.yaml (events:)", {
        k: v for k in COLUMN_FIELDS if (v := getattr(columns, k)) is not None})


def _named_shape(name: str, parts: dict[str, str]) -> Shape:
    return Shape(name, (parts["user"],), (parts["event"],), (parts["timestamp"],),
                 (parts["message_id"],) if "message_id" in parts else (),
                 parts.get("properties"))


@dataclass
class Source:
    """One PATH argument resolved: its files (sorted) and format."""

    label: str
    files: list[str]
    format: str  # "jsonl" | "csv" | "parquet"
    shape: Shape | None = None
    columns: dict[str, str] = field(default_factory=dict)  # name -> DuckDB type


FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv",
           ".parquet": "parquet", ".pq": "parquet"}


def _format_of(path: str) -> str | None:
    name = path.lower()
    for gz in (".gz", ".zst"):
        if name.endswith(gz):
            name = name[: -len(gz)]
    return FORMATS.get(Path(name).suffix)


def resolve(path: str) -> Source:
    """A file, a glob or a folder (its files of one known format, e.g. one per day)."""
    p = Path(path)
    if p.is_dir():
        files = sorted(str(f) for f in p.iterdir() if f.is_file() and _format_of(f.name))
        if not files:
            raise SourceError(f"{path}: no .jsonl, .csv or .parquet files in this folder")
    elif any(ch in path for ch in "*?["):
        files = sorted(f for f in glob.glob(path, recursive=True) if Path(f).is_file())
        if not files:
            raise SourceError(f"{path}: no file matches")
    elif p.is_file():
        files = [str(p)]
    else:
        raise SourceError(f"{path}: no such file or folder")
    formats = {_format_of(f) for f in files}
    if None in formats:
        odd = next(f for f in files if _format_of(f) is None)
        raise SourceError(f"{odd}: unknown format (use .jsonl, .csv or .parquet)")
    if len(formats) > 1:
        raise SourceError(f"{path}: mixes {', '.join(sorted(f for f in formats if f))} files; "
                          "give each format as its own --events")
    files = [f for f in files if Path(f).stat().st_size > 0]
    if not files:
        raise SourceError(f"{path}: empty (no events)")
    return Source(path, files, formats.pop() or "jsonl")


def _file_list(files: list[str]) -> str:
    return "[" + ", ".join(quote_literal(f) for f in files) + "]"


def scan(source: Source) -> str:
    """The table function reading every file of ``source``, with its file name."""
    files = _file_list(source.files)
    if source.format == "parquet":
        return (f"read_parquet({files}, filename = true, file_row_number = true, "
                "union_by_name = true)")
    if source.format == "csv":
        return (f"read_csv({files}, filename = true, header = true, union_by_name = true, "
                "all_varchar = true)")
    # JSON Lines as lines: a line that is not JSON is a counted row, not a failed read.
    return (f"read_csv({files}, columns = {{'line': 'VARCHAR'}}, delim = '\\x01', quote = '', "
            "escape = '', header = false, auto_detect = false, filename = true, "
            f"max_line_size = {MAX_LINE}, buffer_size = {8 * MAX_LINE})")


def inspect(con: duckdb.DuckDBPyConnection, source: Source, shape: Shape | None) -> Source:
    """Learn the source's columns (JSON Lines: the keys of its first objects) and its shape."""
    try:
        if source.format == "jsonl":
            rows = con.execute(
                f"SELECT DISTINCT unnest(json_keys(line)) FROM (SELECT line FROM {scan(source)} "
                "WHERE json_valid(line) LIMIT 1000) WHERE json_type(line) = 'OBJECT'"
            ).fetchall()
            source.columns = {r[0]: "JSON" for r in rows}
        else:
            rows = con.execute(f"DESCRIBE SELECT * FROM {scan(source)}").fetchall()
            source.columns = {r[0]: r[1] for r in rows}
    except duckdb.Error as exc:
        raise SourceError(f"{source.label}: cannot be read ({first_line(exc)})") from None
    if not source.columns:
        raise SourceError(f"{source.label}: no JSON objects in the first lines")
    source.shape = shape or _detect(source)
    missing = [alts for alts in (source.shape.user, source.shape.event, source.shape.timestamp)
               if not any(a in source.columns for a in alts)]
    if missing:
        wanted = ", ".join(" or ".join(alts) for alts in missing)
        have = ", ".join(sorted(c for c in source.columns if c not in ("filename",
                                                                      "file_row_number")))
        raise SourceError(f"{source.label}: no {wanted} column, which {source.shape.name} "
                          f"names (it has: {have[:300]})")
    return source


MAX_LINE = 2 * 1024 * 1024  # a JSON Lines event is a few hundred bytes; the reader's
# buffers grow with this bound, and they count in the memory the command may use


def first_line(exc: Exception) -> str:
    """DuckDB's message in a line; its reader's complaint about a line as what it means."""
    text = str(exc).strip()
    if "CSV Error on Line" in text and "Original Line" in text:
        line = text.split("CSV Error on Line:", 1)[1].split()[0]
        return (f"line {line} is longer than {MAX_LINE // (1024 * 1024)} MB, or not text: "
                "JSON Lines needs one event per line")
    return text.splitlines()[0][:300]


def _detect(source: Source) -> Shape:
    cols = source.columns
    if "event_type" in cols:
        return AMPLITUDE
    if "event" in cols and ("userId" in cols or "anonymousId" in cols):
        return SEGMENT
    raise SourceError(
        f"{source.label}: neither Segment/RudderStack track calls (userId, event, timestamp, "
        "properties) nor Amplitude's export (user_id, event_type, event_time, "
        "event_properties); name the columns with --columns user=…,event=…,timestamp=…")


class _Fields:
    """Expressions for one source's fields, in the normalised vocabulary."""

    def __init__(self, source: Source, lines: bool = False) -> None:
        assert source.shape is not None
        self.source, self.shape = source, source.shape
        # JSON Lines read as lines (``lines``): the paths extracted in one parse of each.
        self.paths: list[str] | None = [] if lines and source.format == "jsonl" else None
        # JSON Lines read by the JSON reader: the keys it extracts, as columns of that type.
        self.keys: dict[str, str] = {}

    def _json(self, path: str) -> str:
        assert self.paths is not None
        self.paths.append(path)
        return f"f[{len(self.paths)}]"

    def _key(self, name: str, kind: str) -> str:
        # Column names are case-insensitive in DuckDB; JSON keys are not.
        if self.keys.setdefault(name, kind) != kind or any(
                k != name and k.lower() == name.lower() for k in self.keys):
            raise _KeyTwice(name)
        return quote_ident(name)

    def top(self, alternatives: tuple[str, ...]) -> str:
        present = [a for a in alternatives if a in self.source.columns]
        if not present:
            return "NULL"
        if self.paths is not None:
            exprs = [self._json("$." + quote_ident(a)) for a in present]
        elif self.source.format == "jsonl":
            exprs = [self._key(a, "VARCHAR") for a in present]
        else:
            exprs = [f"CAST({quote_ident(a)} AS VARCHAR)" for a in present]
        return exprs[0] if len(exprs) == 1 else f"coalesce({', '.join(exprs)})"

    def prop(self, name: str) -> str:
        props = self.shape.properties
        if self.paths is not None:
            return self._json(f"$.{quote_ident(props)}.{quote_ident(name)}" if props
                              else "$." + quote_ident(name))
        if self.source.format == "jsonl":
            # Every line's properties, whether or not the first lines had them (as the
            # paths above): an object's fields as text, anything else none.
            if props is None:
                return self._key(name, "VARCHAR")
            fields = ", ".join(f"{quote_ident(n)} VARCHAR" for n, _ in PROPERTY_COLUMNS)
            return (f"struct_extract({self._key(props, f'STRUCT({fields})')}, "
                    f"{quote_literal(name)})")
        if props is None:
            return (f"CAST({quote_ident(name)} AS VARCHAR)" if name in self.source.columns
                    else "NULL")
        kind = self.source.columns.get(props)
        if kind is None:
            return "NULL"
        if kind.startswith("STRUCT"):
            if f'"{name}"' not in kind and f" {name} " not in kind and f"({name} " not in kind:
                return "NULL"
            # The field's own type: TRY_CAST to the normalised type is then often a no-op.
            return f"struct_extract({quote_ident(props)}, {quote_literal(name)})"
        return (f"json_extract_string(TRY_CAST({quote_ident(props)} AS JSON), "
                f"{quote_literal('$.' + quote_ident(name))})")

    def timestamp(self) -> str:
        present = [a for a in self.shape.timestamp if a in self.source.columns]
        kind = self.source.columns.get(present[0], "") if present else ""
        if kind.startswith("TIMESTAMP"):
            return f"CAST({quote_ident(present[0])} AS TIMESTAMPTZ)"
        if kind in ("BIGINT", "INTEGER", "DOUBLE", "UBIGINT", "HUGEINT"):
            return f"to_timestamp({quote_ident(present[0])} / 1000.0)"
        text = self.top(self.shape.timestamp)
        # Text with or without an offset (none = UTC), or epoch milliseconds.
        return (f"coalesce(TRY_CAST({text} AS TIMESTAMPTZ), "
                f"to_timestamp(TRY_CAST({text} AS DOUBLE) / 1000.0))")


class _KeyTwice(Exception):
    """A JSON key the reader would have to give two types (e.g. the properties column
    named as the user too): such a source is read as lines instead."""


def select_normalised(source: Source, numbered: bool = False, by_lines: bool = False) -> str:
    """One ``SELECT`` giving ``NORMALISED`` columns for every row of ``source``. ``numbered``
    numbers rows in file order (a streaming window): only to locate unreadable rows.

    JSON Lines are read by DuckDB's JSON reader with the keys named (no inference): a
    parse in place, twice as fast as lines parsed one by one, and the same values — a
    key's text as ``json_extract_string`` gives it, a line that is not a JSON object a row
    of nothing (so not ``ok``: counted as unreadable), blank lines skipped. Numbering
    rows, a source whose keys clash, and ``by_lines`` (what to do when the JSON reader
    fails: a line over its 16 MB, named by the lines reader) read lines."""
    if source.format == "jsonl" and not numbered and not by_lines:
        try:
            return _select(source, numbered, lines=False)
        except _KeyTwice:
            pass
    return _select(source, numbered, lines=True)


def _select(source: Source, numbered: bool, lines: bool) -> str:
    fields = _Fields(source, lines)
    user, event = fields.top(fields.shape.user), fields.top(fields.shape.event)
    message = fields.top(fields.shape.message_id)
    ts = fields.timestamp()
    props, unusable = [], []
    for name, kind in PROPERTY_COLUMNS:
        value = fields.prop(name)
        props.append(f"TRY_CAST({value} AS {kind}) AS {name}")
        if kind != "VARCHAR":  # a step or score that is not a number is counted, not lost
            unusable.append(f"({value} IS NOT NULL AND TRY_CAST({value} AS {kind}) IS NULL)")
    columns = (f"{user} AS user_id, {event} AS event, {ts} AS ts, {message} AS message_id, "
               + ", ".join(props) + ", coalesce(" + " OR ".join(unusable) + ", false) AS bad_value")
    # Whether a row is an event, from the columns once computed: written out again, the
    # timestamp's parse would run twice per row (10 million JSON Lines events: their
    # table 13.7 s of CPU that way, 11.8 s this way).
    ok = "user_id IS NOT NULL AND event IS NOT NULL AND ts IS NOT NULL"
    normalised = ", ".join(NORMALISED[3:])
    number = "row_number() OVER () AS lineno, " if numbered else ""
    if source.format == "jsonl" and fields.paths is None:
        if "filename" in fields.keys:
            raise _KeyTwice("filename")
        keys = ", ".join(f"{quote_literal(k)}: {quote_literal(v)}" for k, v in fields.keys.items())
        reader = (f"read_json({_file_list(source.files)}, format = 'newline_delimited', "
                  f"columns = {{{keys}}}, filename = true, "
                  f"maximum_object_size = {MAX_LINE})")
        return (f"SELECT file, CAST(NULL AS BIGINT) AS row, coalesce({ok}, false) AS ok, "
                f"{normalised} FROM (SELECT filename AS file, {columns} FROM {reader})")
    if source.format == "jsonl":
        assert fields.paths is not None
        paths = "[" + ", ".join(quote_literal(p) for p in fields.paths) + "]"
        # One parse per line: try() turns a line that is not JSON into NULL; one that is
        # not an object extracts nothing, so it has no user and is not ok either.
        # Blank lines hold no event: skipped, and never reported as unreadable.
        inner = (f"SELECT {number}filename, try(json_extract_string(line, {paths})) AS f, "
                 f"coalesce(trim(line), '') = '' AS blank FROM {scan(source)}"
                 + ("" if numbered else " WHERE coalesce(trim(line), '') <> ''"))
        row = "lineno" if numbered else "CAST(NULL AS BIGINT)"
        return (f"SELECT file, row, blank OR coalesce(parsed AND {ok}, false) AS ok, "
                f"{normalised} FROM (SELECT filename AS file, {row} AS row, blank, "
                f"f IS NOT NULL AS parsed, {columns} FROM ({inner}))")
    if source.format == "parquet":
        row = "file_row_number + 1"
    else:
        row = "lineno" if numbered else "NULL"
    body = f"SELECT {number}* FROM {scan(source)}" if numbered else f"SELECT * FROM {scan(source)}"
    return (f"SELECT file, row, coalesce({ok}, false) AS ok, {normalised} FROM (SELECT "
            f"filename AS file, CAST({row} AS BIGINT) AS row, {columns} FROM ({body}))")


def locate_bad_rows(con: duckdb.DuckDBPyConnection, source: Source, file: str,
                    limit: int) -> list[int]:
    """Row numbers (1-based data rows; JSON Lines: line numbers) of unreadable rows in one
    file. Run only for files known to hold some, so the common case pays nothing."""
    one = Source(source.label, [file], source.format, source.shape, source.columns)
    query = select_normalised(one, numbered=source.format != "parquet")
    rows = con.execute(f"SELECT row FROM ({query}) WHERE NOT ok ORDER BY row "
                       f"LIMIT {int(limit)}").fetchall()
    return [r[0] for r in rows]
