"""The funnel per locale: each user counted once, in one locale (of several, the first by
name), so a variant's locales add up to the variant; in every output."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from guidestudio.core.results import analysis, report, store

from .events_support import project, track, write_jsonl

T = "tour"


def events() -> list[dict]:
    ev = []
    for n, locale in enumerate(["fr", "fr", "fr", "de", "de"]):
        ev.append(track(f"u{n}", "guide_shown", f"2026-11-02T10:0{n}:00Z", f"s{n}", guide_id=T,
                        variant="a", locale=locale))
    ev.append(track("u0", "guide_completed", "2026-11-02T11:00:00Z", "c0", guide_id=T,
                    variant="a", locale="fr"))
    # u3 also has a French event: counted once, in German (the first by name).
    ev.append(track("u3", "guide_completed", "2026-11-03T11:00:00Z", "c3", guide_id=T,
                    variant="a", locale="fr"))
    ev.append(track("u3", "plan_upgraded", "2026-11-04T11:00:00Z", "g3"))
    # An older runtime's event, without a locale.
    ev.append(track("u9", "guide_shown", "2026-11-02T10:00:00Z", "s9", guide_id=T, variant="a"))
    return ev


def test_funnel_per_locale_partitions_the_variant(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "e.jsonl", events())
    con = store.connect()
    loaded = store.load(con, project(), [str(path)])
    tour = {r.guide_id: r for r in analysis.analyse(con, project())}[T]
    by = {f.locale: (f.shown, f.completed, f.goal) for f in tour.by_locale}
    assert by == {"de": (2, 1, 1), "fr": (3, 1, 0), None: (1, 0, 0)}
    (a,) = tour.variants
    assert (a.shown, a.completed, a.goal) == (6, 2, 1)

    data = json.loads(report.format_json([tour], loaded))
    assert [(f["locale"], f["shown"]) for f in data["guides"][0]["by_locale"]] == [
        ("de", 2), ("fr", 3), (None, 1)]
    rows = list(csv.DictReader(io.StringIO(report.format_csv([tour], loaded))))
    shown = {r["locale"]: int(r["value"]) for r in rows
             if r["section"] == "funnel_locale" and r["name"] == "shown"}
    assert shown == {"de": 2, "fr": 3, "": 1}
    table = report.format_table([tour], loaded)
    assert "by locale:" in table
    assert [line.split()[:3] for line in table.splitlines() if line.startswith("    a ")] == [
        ["a", "de", "0"], ["a", "fr", "0"], ["a", "(none)", "0"]]
