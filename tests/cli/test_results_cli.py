"""``guidestudio results`` on the example project: every output format, dates, one guide,
and every way the events can be unusable — a one-line message and exit 2, never a
traceback."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from guidestudio.cli import main
from tests.conftest import EXAMPLE_PROJECT
from tests.core.results.events_support import track, write_jsonl

G, KEY = "storage-almost-full", "storage-banner-copy"


def events() -> list[dict]:
    ev = []
    for n in range(400):
        arm = ("control", "a", "b", "a", "b", "a", "b", "a", "b", "a")[n % 10]
        day = 1 + n % 3
        when = f"2026-11-0{day}T09:00:00+01:00"
        ev.append(track(f"u{n}", "experiment_viewed", when, f"x{n}", guide_id=G, variant=arm,
                        experiment=KEY))
        if arm != "control":
            ev.append(track(f"u{n}", "guide_shown", when, f"s{n}", guide_id=G, variant=arm,
                            experiment=KEY))
        if n % 10 in (1, 3) or n % 10 == 2 or n % 20 == 0:  # a: 2 in 5, b: 1 in 4, control: 1 in 2
            ev.append(track(f"u{n}", "plan_upgraded", f"2026-11-0{day + 1}T09:00:00Z", f"g{n}"))
    return ev


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["results", str(EXAMPLE_PROJECT), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_table_json_and_csv_tell_the_same_experiment(tmp_path: Path, capsys) -> None:
    path = str(write_jsonl(tmp_path / "e.jsonl", events()))
    code, out, err = run(capsys, "--events", path)
    assert code == 0, err
    assert "Storage almost full" in out and "experiment storage-banner-copy" in out
    assert "no events for: cross-sell-automations" in out

    code, out, _ = run(capsys, "--events", path, "--format", "json", "--guide", G)
    data = json.loads(out)
    (guide,) = data["guides"]
    arms = {a["name"]: (a["users"], a["conversions"]) for a in guide["experiment"]["arms"]}
    assert arms == {"control": (40, 20), "a": (200, 80), "b": (160, 40)}
    # 40 control users are too few to compare: said, not computed.
    assert all(a["comparison"] is None for a in guide["experiment"]["arms"])
    assert any(n.startswith("not enough data yet") for n in guide["experiment"]["notes"])

    code, out, _ = run(capsys, "--events", path, "--format", "csv", "--guide", G)
    rows = list(csv.DictReader(io.StringIO(out)))
    users = {r["variant"]: int(r["value"]) for r in rows
             if r["section"] == "experiment" and r["name"] == "users"}
    assert users == {"control": 40, "a": 200, "b": 160}


def test_since_and_until_keep_whole_utc_days(tmp_path: Path, capsys) -> None:
    path = str(write_jsonl(tmp_path / "e.jsonl", events()))
    code, out, err = run(capsys, "--events", path, "--format", "json", "--guide", G,
                         "--since", "2026-11-02", "--until", "2026-11-02")
    assert code == 0
    data = json.loads(out)
    assert sum(a["users"] for a in data["guides"][0]["experiment"]["arms"]) == 133
    assert "outside --since/--until left out" in err


@pytest.mark.parametrize("make, args, message", [
    (lambda d: d / "missing.jsonl", (), "no such file or folder"),
    (lambda d: (d / "empty.jsonl").touch() or d / "empty.jsonl", (), "empty (no events)"),
    (lambda d: (d / "x.txt").write_text("a") and d / "x.txt", (), "unknown format"),
    (lambda d: write_jsonl(d / "w.jsonl", [{"who": "u", "what": "x"}]), (), "neither Segment"),
    (lambda d: write_jsonl(d / "e.jsonl", events()), ("--guide", "nope"), "no guide 'nope'"),
    (lambda d: write_jsonl(d / "e.jsonl", events()), ("--since", "yesterday"), "not a date"),
    (lambda d: write_jsonl(d / "e.jsonl", events()), ("--columns", "user=a"), "name the event"),
    (lambda d: (d / "h.csv").write_text("userId,event,timestamp\n") and d / "h.csv", (),
     "no events (not one row)"),
    (lambda d: (d / "b.jsonl").write_text("\n\n") and d / "b.jsonl", (), "no JSON objects"),
    (lambda d: (d / "a.jsonl").write_text("[1]\n[2]\n") and d / "a.jsonl", (), "no JSON objects"),
    (lambda d: write_jsonl(d / "t.jsonl", [track("u", "guide_shown", "soon")]), (),
     "no readable events (1 unreadable row)"),
    (lambda d: write_jsonl(d / "l.jsonl", [track("u", "guide_shown", "2026-11-01", x="a" * 3_000_000)]),
     (), "line 1 is longer than 2 MB"),
])
def test_unusable_input_is_a_one_line_message_and_exit_2(tmp_path: Path, capsys, make, args,
                                                         message) -> None:
    code, out, err = run(capsys, "--events", str(make(tmp_path)), *args)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert out == ""


def test_unknown_guides_and_other_events_are_counted_not_dropped(tmp_path: Path, capsys) -> None:
    ev = [*events(), track("u1", "guide_shown", "2026-11-01T10:00:00Z", guide_id="ghost"),
          track("u1", "file_shared", "2026-11-01T10:00:00Z")]
    path = write_jsonl(tmp_path / "e.jsonl", ev, ("{broken",))
    code, _, err = run(capsys, "--events", str(path), "--guide", G)
    assert code == 0
    assert "guides not in this project left out: ghost (1)" in err
    assert "1 other product event not used by any goal left out (file_shared)" in err
    assert f"{path}: 1 unreadable row skipped (row {len(ev) + 1})" in err


def test_wrong_shapes_inside_events_are_counted(tmp_path: Path, capsys) -> None:
    """Properties that are not an object, a step that is not a number, a runtime event
    nobody would expect: each counted on stderr, the rest analysed."""
    ev = [*events(),
          {"userId": "u1", "event": "guide_shown", "timestamp": "2026-11-01T10:00:00Z",
           "properties": G},  # a string, not an object: no guide_id
          track("u2", "step_shown", "2026-11-01T10:00:00Z", guide_id=G, variant="a", step="two"),
          track("u3", "guide_teleported", "2026-11-01T10:00:00Z", guide_id=G)]
    path = write_jsonl(tmp_path / "e.jsonl", ev)
    code, out, err = run(capsys, "--events", str(path), "--guide", G, "--format", "json")
    assert code == 0
    assert "1 guide event without a guide_id left out" in err
    assert "1 event with a step or score that is not a whole number: counted without it" in err
    assert "1 other product event not used by any goal left out (guide_teleported)" in err
    data = json.loads(out)
    assert data["rows_read"] == len(ev) and data["events"] == len(ev) - 2


def test_events_before_exposure_are_reported_not_counted(tmp_path: Path, capsys) -> None:
    """Clock skew: a show logged before the user's exposure, and a goal reached only before
    it, are said in the experiment's notes and are not conversions."""
    ev = [*events(),
          track("late", "guide_shown", "2026-11-01T08:00:00Z", guide_id=G, variant="a",
                experiment=KEY),
          track("late", "plan_upgraded", "2026-11-01T08:30:00Z"),
          track("late", "experiment_viewed", "2026-11-01T09:00:00Z", guide_id=G, variant="a",
                experiment=KEY)]
    path = write_jsonl(tmp_path / "e.jsonl", ev)
    code, out, _ = run(capsys, "--events", str(path), "--guide", G, "--format", "json")
    x = json.loads(out)["guides"][0]["experiment"]
    assert (x["shown_before_exposure"], x["goal_only_before_exposure"]) == (1, 1)
    assert {a["name"]: a["conversions"] for a in x["arms"]}["a"] == 80  # unchanged
    assert any("before their first exposure" in n for n in x["notes"])


def test_html_report_is_one_page_on_stdout(tmp_path: Path, capsys) -> None:
    path = str(write_jsonl(tmp_path / "e.jsonl", events()))
    code, out, _ = run(capsys, "--events", path, "--format", "html")
    assert code == 0
    assert out.startswith("<!DOCTYPE html>") and out.endswith("</html>\n")
    assert "Acme Cloud" in out and "Storage almost full" in out
