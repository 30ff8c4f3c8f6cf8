"""A guide's funnel, steps, anchors missing, surveys and checklists from real event files,
and the same answers whatever the file format or shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidestudio.core.results import analysis, store
from guidestudio.core.results.sources import SourceError, column_shape

from .events_support import project, track, write_amplitude_csv, write_jsonl, write_parquet

T = "tour"


def tour_events() -> list[dict]:
    ev = []
    # u1: every step, completes, upgrades two days later (goal reached).
    ev += [track("u1", "guide_shown", "2026-11-02T10:00:00+02:00", "m1", guide_id=T, variant="a"),
           *[track("u1", "step_shown", f"2026-11-02T10:0{i}:00+02:00", f"m1{i}", guide_id=T,
                   variant="a", step=i) for i in range(3)],
           track("u1", "guide_completed", "2026-11-02T10:05:00+02:00", "m19", guide_id=T, variant="a"),
           track("u1", "plan_upgraded", "2026-11-04T09:00:00Z", "m1g")]
    # u2: shown at 08:00Z (written with +02:00); upgrades 7 days 1 hour later: outside the
    # 7-day window — inside it only if the offset were ignored.
    ev += [track("u2", "guide_shown", "2026-11-02T10:00:00+02:00", "m2", guide_id=T, variant="a"),
           track("u2", "step_shown", "2026-11-02T10:00:00+02:00", "m20", guide_id=T, variant="a", step=0),
           track("u2", "step_shown", "2026-11-02T10:01:00+02:00", "m21", guide_id=T, variant="a", step=1),
           track("u2", "guide_dismissed", "2026-11-02T10:02:00+02:00", "m29", guide_id=T, variant="a"),
           track("u2", "plan_upgraded", "2026-11-09T09:00:00Z", "m2g")]
    # u3: upgraded before the show (not a goal), anchor of step 1 missing, snoozes.
    ev += [track("u3", "plan_upgraded", "2026-11-01T09:00:00Z", "m3g"),
           track("u3", "guide_shown", "2026-11-03T09:00:00Z", "m3", guide_id=T, variant="a"),
           track("u3", "step_shown", "2026-11-03T09:00:00Z", "m30", guide_id=T, variant="a", step=0),
           track("u3", "step_error", "2026-11-03T09:01:00Z", "m31", guide_id=T, variant="a", step=1,
                 selector="#billing", reason="not_found"),
           track("u3", "guide_snoozed", "2026-11-03T09:02:00Z", "m39", guide_id=T, variant="a", hours=24)]
    # u4: clicks the CTA; the same call delivered twice.
    cta = track("u4", "cta_clicked", "2026-11-03T09:01:00Z", "m49", guide_id=T, variant="a",
                action="url")
    ev += [track("u4", "guide_shown", "2026-11-03T09:00:00Z", "m4", guide_id=T, variant="a"),
           track("u4", "step_shown", "2026-11-03T09:00:00Z", "m40", guide_id=T, variant="a", step=0),
           cta, dict(cta)]
    # Survey: s1 answers twice (the latest counts), promoters 3, passive 1, detractor 1.
    for i, score in enumerate([3, 10, 9, 8, 6, 9]):
        user = "s1" if i < 2 else f"s{i}"
        ev.append(track(user, "survey_response", f"2026-11-02T1{i}:00:00Z", f"ms{i}",
                        guide_id="nps", variant="a", score=score))
    # Checklist: two users upload, one invites.
    ev += [track("c1", "checklist_item_done", "2026-11-02T10:00:00Z", "mc1", guide_id="setup", variant="a", item="upload"),
           track("c2", "checklist_item_done", "2026-11-02T10:00:00Z", "mc2", guide_id="setup", variant="a", item="upload"),
           track("c2", "checklist_item_done", "2026-11-02T11:00:00Z", "mc3", guide_id="setup", variant="a", item="invite")]
    # A guide this project does not have, and a product event no goal uses.
    ev += [track("u9", "guide_shown", "2026-11-02T10:00:00Z", "mx1", guide_id="ghost", variant="a"),
           track("u9", "page_viewed", "2026-11-02T10:00:00Z", "mx2")]
    return ev


def results(paths: list[str], shape=None) -> tuple[store.LoadReport, dict[str, analysis.GuideResult]]:
    con = store.connect()
    report = store.load(con, project(), paths, shape)
    return report, {r.guide_id: r for r in analysis.analyse(con, project())}


def check_funnel(by_guide: dict[str, analysis.GuideResult]) -> None:
    (a,) = by_guide[T].variants
    assert (a.shown, a.completed, a.dismissed, a.snoozed, a.cta_clicked, a.goal) == (4, 1, 1, 1, 1, 1)
    assert a.steps == [4, 2, 1]
    assert a.drop_off == [None, 0.5, 0.5]
    (err,) = by_guide[T].step_errors
    assert (err.step, err.selector, err.reason, err.users) == (1, "#billing", "not_found", 1)
    (survey,) = by_guide["nps"].surveys
    assert survey.scores == [0, 0, 0, 0, 0, 0, 1, 0, 1, 2, 1]
    assert survey.nps == pytest.approx(100 * (3 - 1) / 5)
    assert by_guide["setup"].checklist == {"a": {"upload": 2, "invite": 1}}


def test_segment_json_lines_funnel_and_what_was_left_out(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "events.jsonl", tour_events(), ("not json at all", "", "[1, 2]"))
    report, by_guide = results([str(path)])
    check_funnel(by_guide)
    assert report.duplicates == 1
    assert [(b.file, b.count, b.rows) for b in report.unreadable] == [(str(path), 2, [32, 34])]
    assert report.unknown_guides == {"ghost": 1}
    assert report.other_events == {"page_viewed": 1}
    messages = "\n".join(report.messages())
    assert "2 unreadable rows skipped (row 32, 34)" in messages and "ghost (1)" in messages


def test_parquet_amplitude_csv_folders_and_globs_give_the_same_funnel(tmp_path: Path) -> None:
    rows = tour_events()
    jsonl = write_jsonl(tmp_path / "all.jsonl", rows)
    parquet = write_parquet(tmp_path / "all.parquet", jsonl)
    check_funnel(results([str(parquet)])[1])
    csv_file = write_amplitude_csv(tmp_path / "amplitude.csv", rows)
    report, by_guide = results([str(csv_file)])
    check_funnel(by_guide)
    assert report.duplicates == 1
    daily = tmp_path / "daily"
    daily.mkdir()
    write_jsonl(daily / "2026-11-02.jsonl", [r for r in rows if "11-02" in r["timestamp"]])
    write_jsonl(daily / "2026-11-rest.jsonl", [r for r in rows if "11-02" not in r["timestamp"]])
    check_funnel(results([str(daily)])[1])
    check_funnel(results([str(daily / "*.jsonl")])[1])


def test_named_columns_with_properties_as_top_level_columns(tmp_path: Path) -> None:
    path = tmp_path / "flat.csv"
    path.write_text("uid,name,at,guide_id,variant,step\n"
                    "x1,guide_shown,2026-11-02T10:00:00+01:00,tour,a,\n"
                    "x1,step_shown,2026-11-02T10:00:00+01:00,tour,a,0\n"
                    "x2,guide_shown,not a time,tour,a,\n", encoding="utf-8")
    report, by_guide = results([str(path)], column_shape("user=uid,event=name,timestamp=at"))
    assert by_guide[T].variants[0].shown == 1 and by_guide[T].variants[0].steps == [1, 0, 0]
    assert [(b.count, b.rows) for b in report.unreadable] == [(1, [3])]


@pytest.mark.parametrize("content, message", [
    ("", "empty"),
    ('{"name": "x", "when": 1}\n', "neither Segment"),
    ("not json\n", "no JSON objects"),
])
def test_unusable_files_are_refused_with_a_reason(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError, match=message):
        results([str(path)])


def test_a_file_of_nothing_but_unreadable_rows_is_refused(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "e.jsonl", [{"userId": "u", "event": "guide_shown",
                                                "timestamp": "yesterday"}])
    with pytest.raises(SourceError, match="no readable events"):
        results([str(path)])


def test_parquet_rows_without_a_user_are_located_by_row_number(tmp_path: Path) -> None:
    rows = tour_events()
    rows[4] = {**rows[4], "userId": None}
    jsonl = write_jsonl(tmp_path / "all.jsonl", rows)
    parquet = write_parquet(tmp_path / "all.parquet", jsonl)
    report, _ = results([str(parquet)])
    assert [(b.file, b.count, b.rows) for b in report.unreadable] == [(str(parquet), 1, [5])]
