"""The Results view shows what the analysis computes, off the GUI thread, stops when told,
and says what is wrong with a bad file — with real DuckDB on real event files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from guidestudio.core.results import analysis, store
from guidestudio.widgets.results.results_view import OVERVIEW_COLUMNS, ResultsView
from guidestudio.widgets.results.runner import ResultsRunner
from guidestudio.widgets.results.summary import count, interval, pct, points
from tests.widgets.editor_support import open_example
from tests.widgets.results_support import TOUR, write_example_events

TIMEOUT = 30_000


def make_view(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    doc = open_example(tmp_path)
    runner = ResultsRunner(lambda: doc.project)
    view = ResultsView(doc)
    view.set_runner(runner)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    return doc, runner, view


def cells(table, row: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [table.item(row, c).text() if table.item(row, c) else ""
            for c in range(table.columnCount())]


def test_the_tables_show_the_analysis_numbers(qtbot, tmp_path: Path) -> None:
    doc, runner, view = make_view(qtbot, tmp_path)
    events = write_example_events(tmp_path / "events", extra_lines=("not json", '{"x": 1}'))
    with qtbot.waitSignal(runner.finished, timeout=TIMEOUT):
        view.use_sources([str(events)])
        assert view.busy.isVisibleTo(view) and view.cancel_button.isEnabled()
    # The same files analysed directly, as the CLI does.
    con = store.connect()
    loaded = store.load(con, doc.project, [str(events)])
    expected = {r.guide_id: r for r in analysis.analyse(con, doc.project)}
    tour = expected[TOUR]

    assert not view.busy.isVisibleTo(view)
    assert f"{loaded.events:,} events analysed" in view.notes.text()
    assert "2 unreadable rows skipped" in view.notes.text()
    row = next(r for r in range(view.overview.rowCount())
               if view.overview.item(r, 0).text() == doc.project.guides[TOUR].name)
    shown = sum(f.shown for f in tour.variants)
    goal = sum(f.goal for f in tour.variants)
    line = dict(zip(OVERVIEW_COLUMNS, cells(view.overview, row), strict=True))
    assert line["Shown"] == count(shown)
    completed = sum(f.completed for f in tour.variants)
    assert line["Completed"] == f"{count(completed)} ({pct(completed / shown)})"
    assert line["Goal rate"] == pct(goal / shown)
    assert line["Experiment"].startswith("short wins")

    view.show_guide(TOUR)
    page = view.page
    assert page is not None and view.stack.currentWidget() is view.scroll
    x = tour.experiment
    assert x is not None and x.enough_data
    for r, arm in enumerate(x.arms):
        got = cells(page.experiment_table, r)
        assert got[2:5] == [count(arm.users), count(arm.conversions), pct(arm.rate)]
        c = arm.comparison
        if c is not None:
            assert got[5] == f"{points(c.absolute)} {interval(c.absolute_ci, 'pp')}"
            assert got[6] == f"{pct(c.relative, True)} {interval(c.relative_ci)}"
            assert got[7] == pct(c.chance_to_beat)
    # The funnel: step 2 of "full" and its drop-off, as the analysis has them.
    full = next(f for f in tour.variants if f.variant == "full")
    headers = [page.funnel_table.horizontalHeaderItem(c).text()
               for c in range(page.funnel_table.columnCount())]
    step2 = next(r for r in range(page.funnel_table.rowCount())
                 if page.funnel_table.item(r, 0).text() == "Step 2")
    assert page.funnel_table.item(step2, headers.index("full: people")).text() == \
        count(full.steps[1])
    assert page.funnel_table.item(step2, headers.index("full: drop-off")).text() == \
        pct(full.drop_off[1])
    # The missing anchor, and its link to the step.
    error = tour.step_errors[0]
    assert cells(page.anchors_table, 0)[:6] == [
        "full", "2", "#nav-reports", "not_found", count(error.users), count(error.errors)]
    with qtbot.waitSignal(view.stepRequested) as asked:
        page.anchors_table.cellWidget(0, 6).click()
    assert asked.args == [TOUR, 1, 1]  # variant "full" is the second; step 2

    nps = expected["nps-survey"].surveys[0]
    view.show_guide("nps-survey")
    assert view.page is not None and f"NPS {nps.nps:+.0f}" in view.page.survey_label.text()
    view.show_guide("onboarding-checklist")
    items = expected["onboarding-checklist"].checklist["a"]
    table = view.page.checklist_table
    assert {table.item(r, 1).text(): table.item(r, 2).text() for r in range(table.rowCount())} \
        == {"Upload your first file": count(items["upload-first-file"]),
            "Invite a teammate": count(items["invite-teammate"]),
            "Install the desktop app": count(items["install-desktop-app"])}
    view.show_guide("storage-almost-full")
    assert view.page is not None and view.page.findChild(object, "banner-info") is not None


def big_parquet(path: Path, rows: int) -> Path:
    duckdb.execute(f"""COPY (SELECT 'u' || (i % 40000) AS userId,
        CASE WHEN i % 3 = 0 THEN 'guide_shown' ELSE 'step_shown' END AS event,
        TIMESTAMPTZ '2026-11-01 00:00:00+00' + to_seconds(i % 1000000) AS timestamp,
        'm' || i AS messageId,
        {{'guide_id': 'trial-conversion-tour', 'variant': 'short', 'step': i % 3}} AS properties
        FROM range({rows}) t(i)) TO '{path}' (FORMAT parquet)""")
    return path


def test_cancel_interrupts_duckdb(qtbot, tmp_path: Path) -> None:
    _doc, runner, view = make_view(qtbot, tmp_path)
    events = big_parquet(tmp_path / "big.parquet", 1_500_000)
    # Until DuckDB reports a query under way (its progress is known).
    with qtbot.waitSignal(runner.progress, timeout=TIMEOUT,
                          check_params_cb=lambda _stage, _step, percent: percent >= 0):
        view.use_sources([str(events)])
    with qtbot.waitSignal(runner.cancelled, timeout=5000), \
            qtbot.assertNotEmitted(runner.finished):
        view.cancel_button.click()
    assert runner.stopped_by == "interrupted"
    assert runner.outcome is None and not runner.running
    assert "Stopped" in view.notes.text() and not view.busy.isVisibleTo(view)
    assert view.refresh_button.isEnabled()


@pytest.mark.parametrize("content, words", [
    ("a,b,c\n1,2,3\n", "neither Segment/RudderStack"),
    ("", "empty"),
])
def test_a_bad_file_shows_a_message(qtbot, tmp_path: Path, content: str, words: str) -> None:
    _doc, runner, view = make_view(qtbot, tmp_path)
    bad = tmp_path / "export.csv"
    bad.write_text(content, encoding="utf-8")
    with qtbot.waitSignal(runner.failed, timeout=TIMEOUT):
        view.use_sources([str(bad)])
    assert view.error.isVisibleTo(view)
    assert words in view.error.text() and str(bad) in view.error.text()
    assert "Traceback" not in view.error.text()
    assert view.stack.currentWidget() is view.empty


def test_a_split_unlike_the_configured_one_is_a_warning(qtbot, tmp_path: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from tests.core.results.events_support import track, write_jsonl
    from tests.widgets.results_support import BANNER

    _doc, runner, view = make_view(qtbot, tmp_path)
    arms = ["a"] * 300 + ["b"] * 60 + ["control"] * 40  # configured: 45 % / 45 % / 10 %
    events = write_jsonl(tmp_path / "srm.jsonl", [
        track(f"u{i}", "experiment_viewed", "2026-11-02T10:00:00Z", f"m{i}", guide_id=BANNER,
              variant=arm, experiment="storage-banner-copy") for i, arm in enumerate(arms)])
    with qtbot.waitSignal(runner.finished, timeout=TIMEOUT):
        view.use_sources([str(events)])
    row = next(r for r in range(view.overview.rowCount())
               if view.overview.item(r, 0).data(Qt.ItemDataRole.UserRole) == BANNER)
    assert view.overview.item(row, 6).text() == "Sample ratio mismatch: check before trusting"
    view.show_guide(BANNER)
    warning = view.page.findChild(QLabel, "banner-warning")
    assert warning is not None and warning.text().startswith("Sample ratio mismatch (p = ")
