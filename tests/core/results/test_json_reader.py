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


GOOD = json.dumps(track("g", "guide_shown", "2026-11-02T10:00:00Z", guide_id="tour"))


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_each_odd_line_reads_as_lines_read_it_or_sends_the_file_to_them(tmp_path: Path,
                                                                        ending: str) -> None:
    """The JSON reader either gives the rows lines give, or refuses the file (which
    ``store.load`` then reads as lines): never other rows, never fewer."""
    con = store.connect()
    same, refused = 0, 0
    for i, line in enumerate(ODD_LINES):
        path = tmp_path / f"odd{i}.jsonl"
        path.write_bytes(ending.join([GOOD, line, GOOD, ""]).encode())
        source = sources.inspect(con, sources.resolve(str(path)), None)
        fast = sources.select_normalised(source)
        assert "read_json(" in fast
        by_lines = sources.select_normalised(source, by_lines=True)
        assert "read_csv(" in by_lines
        expected = con.execute(f"SELECT * EXCLUDE (row) FROM ({by_lines})").fetchall()
        assert len(expected) == 3 - (not line.strip())
        try:
            rows = con.execute(f"SELECT * EXCLUDE (row) FROM ({fast})").fetchall()
        except duckdb.Error:
            refused += 1
            continue
        same += 1
        assert sorted(rows, key=repr) == sorted(expected, key=repr), line
    assert same >= 8 and refused >= 6  # both ways taken


def test_a_file_the_json_reader_refuses_is_counted_as_lines_count_it(tmp_path: Path) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text("".join(line + "\n" for line in [GOOD, *ODD_LINES]), encoding="utf-8")
    report = store.load(store.connect(), project(), [str(path)])
    assert report.rows == 1 + len([line for line in ODD_LINES if line.strip()])
    assert [(b.count, b.rows) for b in report.unreadable] == [(9, [3, 4, 5, 12, 13])]


LINES = 9000  # of 2 kB: past the 16 MB buffer the first lines are read from, which alone
# would refuse the file, the way each of these lines once did


@pytest.fixture(scope="module")
def good_lines() -> bytes:
    return "".join(json.dumps(track(f"u{i}", "guide_shown", "2026-11-02T10:00:00Z", f"m{i}",
                                    guide_id="tour", variant="a", pad="x" * 2000)) + "\n"
                   for i in range(LINES)).encode()


def test_a_line_that_is_not_utf8_refuses_the_file_wherever_it_is(tmp_path: Path,
                                                                  good_lines: bytes) -> None:
    """As when every file was read as lines: the JSON reader refuses the file, lines then
    name the line."""
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(good_lines + b'{"userId": "caf\xe9", "event": "x"}\n')
    assert path.stat().st_size > 8 * sources.MAX_LINE
    con = store.connect()
    source = sources.inspect(con, sources.resolve(str(path)), None)  # the first lines pass
    with pytest.raises(duckdb.Error):
        con.execute(f"SELECT count(*) FROM ({sources.select_normalised(source)})").fetchall()
    with pytest.raises(sources.SourceError,
                       match=rf"latin1.jsonl: cannot be read \(line {LINES + 1} "):
        store.load(con, project(), [str(path)])


def test_a_long_unreadable_line_is_named_as_lines_name_it(tmp_path: Path) -> None:
    """Up to 16 MB the JSON reader reads a line lines refuse (over 2 MB); if it is an
    unreadable row, locating it refuses the file as reading it as lines always did."""
    path = tmp_path / "long.jsonl"
    path.write_text(GOOD + "\n" + json.dumps({"userId": "x" * 3_000_000}) + "\n",
                    encoding="utf-8")
    with pytest.raises(sources.SourceError, match=r"cannot be read \(line 2 is longer than 2 MB"):
        store.load(store.connect(), project(), [str(path)])


def test_a_line_too_long_for_the_json_reader_is_left_to_the_lines_reader(
        tmp_path: Path, good_lines: bytes) -> None:
    """Over what the JSON reader takes (16 to 32 MB), the file goes to the lines reader,
    whose answer it always was (here: refused)."""
    path = tmp_path / "long.jsonl"
    long = json.dumps(track("u2", "guide_shown", "2026-11-02T10:00:00Z", pad="x" * 40_000_000))
    path.write_bytes(good_lines + long.encode() + b"\n" + good_lines[:10_000])
    with pytest.raises(sources.SourceError, match="long.jsonl: cannot be read") as refused:
        store.load(store.connect(), project(), [str(path)])
    assert "maximum_object_size" not in str(refused.value)
