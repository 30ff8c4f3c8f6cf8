"""``guidestudio simulate`` as a marketer and a release engineer use it: real
files in every input format, every output format, and every way a users file
can be wrong.

Most runs call ``guidestudio.cli.main`` in-process (the same function the command
runs) to keep the suite fast; one runs the real command in a subprocess.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from guidestudio.cli import main
from guidestudio.core import simulate
from tests.conftest import EXAMPLE_PROJECT, REPO_ROOT

PROFILES = EXAMPLE_PROJECT / "profiles.yaml"
NOW = "2026-11-24T12:00:00Z"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["simulate", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code, out, err = run(capsys, *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {g["id"]: g for g in report["guides"]}


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows),
                    encoding="utf-8")
    return path


# ---------------------------------------------------------------------------
# Input formats
# ---------------------------------------------------------------------------


def test_profiles_yaml_the_storage_prompt_reaches_the_full_free_accounts(
        capsys: pytest.CaptureFixture[str]) -> None:
    report = run_json(capsys, str(EXAMPLE_PROJECT), "--users", str(PROFILES), "--now", NOW)
    assert report["users"] == 12 and report["bad_lines"] == 0
    assert report["environment"] == "production"
    guides = by_id(report)
    assert "holiday-promo-draft" not in guides and "release-announcement" not in guides
    storage = guides["storage-almost-full"]
    # Emma (free, 93%) and the hostile sample (free, 97%).
    assert storage["audience"] == 2
    assert storage["control"] is not None
    assert sum(v["count"] for v in storage["variants"]) + storage["control"]["count"] \
        + storage["not_in_experiment"]["count"] == 2
    # Lucas, the only one whose last login is 21+ days ago (a behaviour attribute).
    assert guides["win-back-inactive"]["audience"] == 1
    # Shares a lot, never automated: Marcus only (Priya automates).
    assert guides["cross-sell-automations"]["audience"] == 1
    assert guides["premium-feature-tooltip"]["audience"] == 9  # everyone but Business


def test_explain_a_profile_by_its_id(capsys: pytest.CaptureFixture[str]) -> None:
    report = run_json(capsys, str(EXAMPLE_PROJECT), "--users", str(PROFILES), "--now", NOW,
                      "--explain", "emma-free-storage-full")
    decisions = {d["guide"]: d for d in report["explain"]["decisions"]}
    storage = decisions["storage-almost-full"]
    assert storage["eligible"] is True and storage["variant"] in ("a", "b")
    win_back = decisions["win-back-inactive"]
    assert (win_back["reason"], win_back["detail"]) == \
        ("audience", "events.login.days_since $gte 21 (was 0)")
    assert report["explain"]["winner"] == "storage-almost-full"


def test_explain_in_a_table_names_the_failing_clause(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(EXAMPLE_PROJECT), "--users", str(PROFILES), "--now", NOW,
                       "--explain", "u-1005")
    assert code == 0
    assert "GUIDE" in out and "AUDIENCE" in out and "storage-almost-full" in out
    explain = out[out.index("Why user u-1005"):]
    assert "win-back-inactive" in explain and "eligible, variant a" in explain
    assert "not shown: audience — plan = free (was pro)" in explain
    assert "the guide shown would be: win-back-inactive" in explain


def test_jsonl_with_event_history_and_runtime_history(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    free_full = {"id": "u-1", "plan": "free", "storage_used_pct": 95}
    users = write_jsonl(tmp_path / "users.jsonl", [
        # Never logged in within the window, per its event map: inactive.
        {"id": "u-0", "plan": "pro", "events": {"login": {"2026-10-01": 2}}},
        free_full,
        # Same user, but the runtime's history says it dismissed the banner.
        {**free_full, "id": "u-2", "history": {"v": 1, "guides": {"storage-almost-full": {
            "shows": 1, "last_shown": 1795000000000, "dismissed": 1795000000000}}}},
        # A runtime history and an event map together.
        {"id": "u-3", "plan": "pro", "history": {"v": 1, "last_shown_any": 0},
         "events": {"login": {"2026-11-24": 1}}},
    ])
    report = run_json(capsys, str(EXAMPLE_PROJECT), "--users", str(users), "--now", NOW)
    guides = by_id(report)
    assert guides["win-back-inactive"]["audience"] == 1  # u-0 only: u-3 logged in today
    storage = guides["storage-almost-full"]
    assert storage["audience"] == 2
    # hash("storage-banner-copy", u-1 / u-2) = 0.8167 / 0.9351: both in variant b, not
    # in the 10% control; u-2's history stops it, u-1 has none.
    assert [(v["key"], v["count"]) for v in storage["variants"]] == [("a", 0), ("b", 2)]
    assert storage["reasons"] == {"audience": 2, "stopped": 1, "eligible": 1}


def test_csv_columns_nest_and_parse_like_the_product_sends_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    users = tmp_path / "users.csv"
    users.write_text(
        "id,plan,storage_used_pct,account.age_days,account.seats,beta,score,zip,note\n"
        "1001,free,93,5.0,1,true,1.0,02134,hello\n"
        "1002,free,42,,3,FALSE,-0.5,,\n"
        '1003,trial,"7",12,2,null,1e3,00000,"a, b"\n', encoding="utf-8")
    source = simulate.open_users(users)
    (chunk_users, _histories, lines, _labels), = list(simulate.read_users(source))
    assert lines == [2, 3, 4]
    assert chunk_users[0] == {"id": 1001, "plan": "free", "storage_used_pct": 93,
                              "account": {"age_days": 5, "seats": 1}, "beta": True, "score": 1,
                              "zip": "02134", "note": "hello"}
    assert chunk_users[1] == {"id": 1002, "plan": "free", "storage_used_pct": 42,
                              "account": {"seats": 3}, "beta": False, "score": -0.5}
    assert chunk_users[2]["beta"] is None and chunk_users[2]["score"] == 1000
    assert chunk_users[2]["note"] == "a, b"
    report = run_json(capsys, str(EXAMPLE_PROJECT), "--users", str(users), "--now", NOW)
    guides = by_id(report)
    assert guides["storage-almost-full"]["audience"] == 1  # 93 (a number) on the free plan
    assert guides["onboarding-checklist"]["audience"] == 2  # age 5 and 12; 1002 has none


def test_csv_value_parsing() -> None:
    parse = simulate.parse_csv_value
    assert parse("1.0") == 1 and type(parse("1.0")) is int
    assert parse("2.5") == 2.5 and parse("-3") == -3 and parse("1e2") == 100
    assert parse("true") is True and parse("False") is False and parse("null") is None
    assert parse("") is simulate.MISSING
    for text in ("007", "+1", "1.", " 4", "0x10", "NaN", "Infinity", "1e999", "12345678901234567890"):
        assert parse(text) == text, text


def test_csv_header_problems_are_usage_errors(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    users = tmp_path / "users.csv"
    for header, message in (("id,account,account.seats", "conflicts with column 'account'"),
                            ("id,plan,plan", "appears twice"), ("id,,plan", "not an attribute")):
        users.write_text(header + "\n1,2,3\n", encoding="utf-8")
        code, _, err = run(capsys, str(EXAMPLE_PROJECT), "--users", str(users))
        assert code == 2 and message in err, err


# ---------------------------------------------------------------------------
# Output formats and options
# ---------------------------------------------------------------------------


def test_csv_output_has_one_row_per_guide_and_group(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(EXAMPLE_PROJECT), "--users", str(PROFILES), "--now", NOW,
                       "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    storage = [r for r in rows if r["guide_id"] == "storage-almost-full"]
    assert [r["group"] for r in storage] == ["a", "b", "control", "not_in_experiment"]
    assert all(r["audience"] == "2" and r["users"] == "12" for r in storage)
    assert sum(int(r["count"]) for r in storage) == 2
    assert {r["guide_id"] for r in rows} >= {"win-back-inactive", "nps-survey"}


def test_now_and_environment_decide_what_is_running(capsys: pytest.CaptureFixture[str]) -> None:
    before = by_id(run_json(capsys, str(EXAMPLE_PROJECT), "--users", str(PROFILES), "--env",
                            "staging", "--now", NOW))["release-announcement"]
    assert before["schedule"] == "starts 2026-12-01T09:00:00Z"
    assert before["eligible"] == 0 and before["audience"] > 0  # whom it will reach
    after = by_id(run_json(capsys, str(EXAMPLE_PROJECT), "--users", str(PROFILES), "--env",
                           "staging", "--now", "2026-12-10"))["release-announcement"]
    assert after["schedule"] == "running" and after["eligible"] == after["audience"]
    drafts = by_id(run_json(capsys, str(EXAMPLE_PROJECT), "--users", str(PROFILES),
                            "--include-drafts", "--now", NOW))
    assert "holiday-promo-draft" in drafts


def test_now_without_an_offset_is_project_time(capsys: pytest.CaptureFixture[str]) -> None:
    # The example project is on Europe/London: 10:00 in July is 09:00 UTC.
    report = run_json(capsys, str(EXAMPLE_PROJECT), "--users", str(PROFILES),
                      "--now", "2026-07-01T10:00")
    assert report["now"] == "2026-07-01T09:00:00.000Z"
    code, _, err = run(capsys, str(EXAMPLE_PROJECT), "--users", str(PROFILES), "--now", "soon")
    assert code == 2 and "--now 'soon'" in err


def test_progress_on_request_for_big_files(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    users = write_jsonl(tmp_path / "users.jsonl",
                        [{"id": f"u-{i}", "plan": "free"} for i in range(12_000)])
    code, out, err = run(capsys, str(EXAMPLE_PROJECT), "--users", str(users), "--progress",
                         "--jobs", "1")
    assert code == 0 and "\rsimulating" in err and "lines)" in err and "12,000 users" in out
    code, _, err = run(capsys, str(EXAMPLE_PROJECT), "--users", str(users), "--jobs", "1")
    assert code == 0 and "simulating" not in err  # stderr is not a terminal here


def test_two_processes_give_the_same_answer(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    rows: list[Any] = [{"id": f"u-{i}", "plan": ["free", "trial", "pro"][i % 3],
                        "storage_used_pct": i % 101, "trial_days_left": 3,
                        "app_version": "2.4.1", "account": {"age_days": i % 200}}
                       for i in range(3000)]
    rows[100] = "{oops"
    rows[2900] = "[1, 2]"
    users = write_jsonl(tmp_path / "users.jsonl", rows)
    args = (str(EXAMPLE_PROJECT), "--users", str(users), "--now", NOW, "--explain", "u-2999")
    one = run_json(capsys, *args, "--jobs", "1")
    monkeypatch.setattr("guidestudio.core.simulate.run.PARALLEL_MIN_BYTES", 0)
    code, out, err = run(capsys, *args, "--jobs", "2", "--format", "json")
    assert code == 0
    assert json.loads(out) == one
    assert one["users"] == 2998 and one["explain"]["line"] == 3000
    assert f"{users}:101: not valid JSON" in err and f"{users}:2901: not a JSON object" in err


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


def test_bad_lines_are_reported_with_numbers_and_skipped(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    users = write_jsonl(tmp_path / "users.jsonl", [
        {"id": "u-1", "plan": "free"},
        '{"id": "u-2", "plan": }',
        "[1, 2, 3]",
        "",
        {"id": "u-5", "events": ["login"]},
        {"id": "u-6", "history": "yesterday"},
        {"id": "u-7"},
    ])
    code, out, err = run(capsys, str(EXAMPLE_PROJECT), "--users", str(users), "--format", "json")
    assert code == 0
    assert json.loads(out)["users"] == 2 and json.loads(out)["bad_lines"] == 4
    lines = err.splitlines()
    assert lines[0] == f"{users}:2: not valid JSON: Expecting value at column 23"
    assert lines[1] == f"{users}:3: not a JSON object (one user object per line)"
    assert lines[2].startswith(f"{users}:5: events must be an object")
    assert lines[3].startswith(f"{users}:6: history must be an object")
    assert lines[-1] == f"{users}: 4 bad lines skipped"


def test_bad_csv_rows_and_profiles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    users = tmp_path / "users.csv"
    users.write_bytes(b"id,plan\nu-1,free\nu-2,free,extra\nu-3,\xff\xfe\nu-4,pro\n")
    code, out, err = run(capsys, str(EXAMPLE_PROJECT), "--users", str(users), "--format", "json")
    assert code == 0 and json.loads(out)["users"] == 2
    assert f"{users}:3: has 3 fields, the header has 2" in err
    assert f"{users}:4: not UTF-8 text" in err
    profiles = tmp_path / "profiles.yaml"
    profiles.write_text("schema_version: 1\nprofiles:\n- id: ok\n  attributes: {id: u-1}\n"
                        "- just a string\n- id: bad\n  attributes: [1]\n", encoding="utf-8")
    code, out, err = run(capsys, str(EXAMPLE_PROJECT), "--users", str(profiles), "--format",
                         "json")
    assert code == 0 and json.loads(out)["users"] == 1
    assert f"{profiles}:5: a profile must be a mapping" in err
    assert f"{profiles}:6: attributes must be a mapping" in err


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "missing.jsonl", "no such file"),
    (lambda d: d, "is a folder"),
    (lambda d: _write(d / "users.jsonl", b'{"id": 1}\n\x00\x01\x02binary'), "not a text file"),
    (lambda d: _write(d / "users.jsonl", b"not json\n{also not\n"), "no usable user records"),
    (lambda d: _write(d / "profiles.yaml", b"profiles: [\n"), "not valid YAML"),
    (lambda d: _write(d / "profiles.yaml", b"people: []\n"), "needs a list under 'profiles:'"),
])
def test_unusable_users_files_are_a_one_line_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Any, message: str) -> None:
    code, out, err = run(capsys, str(EXAMPLE_PROJECT), "--users", str(make(tmp_path)))
    assert code == 2, err
    assert message in err and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("guidestudio: ")


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_an_unknown_explain_user_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, str(EXAMPLE_PROJECT), "--users", str(PROFILES), "--explain",
                       "nobody")
    assert code == 2 and "no user 'nobody'" in err


def test_a_project_with_errors_is_not_simulated(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "acme"
    shutil.copytree(EXAMPLE_PROJECT, project)
    guide = project / "guides" / "nps-survey.yaml"
    guide.write_text(guide.read_text(encoding="utf-8").replace(
        "- established-accounts", "- no-such-segment"), encoding="utf-8")
    code, out, err = run(capsys, str(project), "--users", str(PROFILES))
    assert code == 1 and out == ""
    assert "guides/nps-survey.yaml:" in err and "no-such-segment" in err
    assert "not simulated: 1 error" in err


def test_the_real_command(tmp_path: Path) -> None:
    users = write_jsonl(tmp_path / "users.jsonl", [{"id": "u-1", "plan": "free",
                                                    "storage_used_pct": 99}, "oops"])
    result = subprocess.run(
        [sys.executable, "-m", "guidestudio", "simulate", str(EXAMPLE_PROJECT), "--users",
         str(users), "--now", NOW, "--explain", "u-1"],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=120,
        env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert "storage-almost-full" in result.stdout and "Why user u-1" in result.stdout
    assert f"{users}:2: not valid JSON" in result.stderr
    assert f"{users}: 1 bad line skipped" in result.stderr


def _profile_users(count: int) -> list[dict[str, Any]]:
    """The example's profiles' attributes, varied into ``count`` users with ids."""
    from guidestudio.core.files import yaml_io
    data, _ = yaml_io.load(PROFILES.read_text(encoding="utf-8"))
    bases = [dict(p.get("attributes") or {}) for p in data["profiles"]]
    users = []
    for i in range(count):
        user = json.loads(json.dumps(bases[i % len(bases)]))
        user["id"] = f"user-{i * 7919 % 100003}"
        for key, value in list(user.items()):
            if type(value) is int and i % 3:
                user[key] = value + i % 11  # spread the numbers around the thresholds
        users.append(user)
    return users


@pytest.mark.parametrize("kind", ["parquet", "duckdb"])
def test_a_table_gives_the_report_the_json_lines_file_gives(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    """Parquet and DuckDB tables are counted in SQL; the report is the Python
    engine's for the same users, guide by guide, variant by variant."""
    import duckdb

    jsonl = write_jsonl(tmp_path / "users.jsonl", _profile_users(600))
    con = duckdb.connect()
    if kind == "parquet":
        target = tmp_path / "users.parquet"
        con.execute(f"COPY (SELECT * FROM read_json('{jsonl}', format = 'newline_delimited')) "
                    f"TO '{target}' (FORMAT parquet)")
        users = str(target)
    else:
        con.execute(f"ATTACH '{tmp_path / 'users.duckdb'}' AS db")
        con.execute(f"CREATE TABLE db.people AS SELECT * FROM read_json('{jsonl}', "
                    "format = 'newline_delimited')")
        con.execute("DETACH db")
        users = f"{tmp_path / 'users.duckdb'}:people"
    con.close()
    expected = run_json(capsys, str(EXAMPLE_PROJECT), "--users", str(jsonl), "--now", NOW)
    got = run_json(capsys, str(EXAMPLE_PROJECT), "--users", users, "--now", NOW,
                   "--explain", "user-7919")
    assert got["users"] == expected["users"] == 600
    assert got["guides"] == expected["guides"]
    assert any(g["audience"] not in (0, 600) for g in got["guides"])  # not all-or-nothing
    assert got["explain"]["user"] == "user-7919"


def test_a_table_with_a_column_no_attribute_has_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import duckdb

    target = tmp_path / "users.parquet"
    duckdb.connect().execute(f"COPY (SELECT 'u1' AS id, DATE '2026-01-02' AS signed_up) "
                             f"TO '{target}' (FORMAT parquet)")
    code, _, err = run(capsys, str(EXAMPLE_PROJECT), "--users", str(target))
    assert code == 2
    assert "column 'signed_up' has type DATE" in err
