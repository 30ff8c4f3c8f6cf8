"""JSON Lines are read by DuckDB's JSON reader (fast) and, to locate unreadable rows, as
lines parsed one by one: both readings must give the same rows, or a file's counts would
depend on which one ran. The lines below are the odd ones real exports hold."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from guidestudio.core.results import sources, store

from .events_support import project, track

ODD_LINES = [
    json.dumps(track("u1", "guide_shown", "2026-11-02T10:00:00+02:00", "m1", guide_id="tour",
                     variant="a", step=1.50, score="7")),
    "not json",
    "[1, 2]",
    '"a string"',
    "   ",
    "",
    '{"userId": 2, "event": "x", "timestamp": 1762077600000, "properties": "oops"}',
    '{"userid": "lower", "userId": "u4", "event": "e", "timestamp": "2026-11-02", '
    '"properties": {"guide_id": {"a": 1}, "step": true, "GUIDE_ID": "up"}}',
    '{"userId": "u5", "event": "e5", "timestamp": "2026-11-02", "properties": null}',
    '{"userId": "u6", "event": "e", "event": "f", "timestamp": "2026-11-02T10:00:00Z", '
    '"properties": [1, 2]}',
    '{"userId": "two", "event": "e", "timestamp": "t"} {"userId": "x"}',
    '{"userId": "split",',
    '"event": "e", "timestamp": "2026-11-02"}',
    '{"userId": "u8", "event": "e\\u00e9\\n", "timestamp": "2026-11-02", '
    '"properties": {"guide_id": "g\\"q", "score": 1e1, "step": 12345678901234567890123}}',
    '{"userId": {"b": 1, "a": [1, 2.50]}, "event": 12.0, "timestamp": true}',
    "{}",
    "null",
    '{"userId": "u9", "event": "guide_shown", "timestamp": "2026-11-02 10:00:00", '
    '"messageId": "m9", "properties": {"guide_id": "tour", "variant": "b", "locale": "fr"}}',
]


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return sorted(con.execute(f"SELECT * EXCLUDE (row) FROM ({sql})").fetchall(), key=repr)


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_the_json_reader_and_lines_give_the_same_rows(tmp_path: Path, ending: str) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_bytes("".join(line + ending for line in ODD_LINES).encode())
    con = store.connect()
    source = sources.inspect(con, sources.resolve(str(path)), None)
    fast = sources.select_normalised(source)
    assert "read_json(" in fast
    by_lines = sources._select(source, numbered=False, lines=True)
    assert "read_csv(" in by_lines
    rows = _rows(con, fast)
    assert rows == _rows(con, by_lines)
    # Not vacuous: readable events and unreadable rows both occur, blank lines are skipped.
    assert sum(1 for r in rows if r[1]) >= 4 and sum(1 for r in rows if not r[1]) >= 6
    assert len(rows) == len([line for line in ODD_LINES if line.strip()])


def test_a_line_that_is_not_utf8_refuses_the_file_wherever_it_is(tmp_path: Path) -> None:
    """As when every file was read as lines: the JSON reader alone would count the line as
    unreadable, but it could not be located, so the file is refused with the line named."""
    path = tmp_path / "latin1.jsonl"
    # Past the buffer the first lines are read from (16 MB), which alone would refuse it.
    lines = 9000
    good = "".join(json.dumps(track(f"u{i}", "guide_shown", "2026-11-02T10:00:00Z", f"m{i}",
                                    guide_id="tour", variant="a", pad="x" * 2000)) + "\n"
                   for i in range(lines))
    path.write_bytes(good.encode() + b'{"userId": "caf\xe9", "event": "x"}\n')
    assert path.stat().st_size > 8 * sources.MAX_LINE
    con = store.connect()
    source = sources.inspect(con, sources.resolve(str(path)), None)  # the first lines pass
    assert con.execute(f"SELECT count(*) FROM ({sources.select_normalised(source)}) "
                       "WHERE NOT ok").fetchone() == (1,)
    with pytest.raises(sources.SourceError,
                       match=rf"latin1.jsonl: cannot be read \(line {lines + 1} "):
        store.load(con, project(), [str(path)])
