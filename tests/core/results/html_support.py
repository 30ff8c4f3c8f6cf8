"""A results report over a project whose guide name, variant key and selector are hostile
markup: shared by the parse test and the real web engine's test."""

from __future__ import annotations

from pathlib import Path

from guidestudio.core.model import Experiment, Goal, Guide, Project, Settings, Step, Variant
from guidestudio.core.results import analysis, report_html, store

from .events_support import track, write_jsonl

HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
VARIANT = '"><svg onload="window.__pwned=3">'


def hostile_project() -> Project:
    return Project(Settings(id="p", name="P"), guides={"g": Guide(
        "g", HOSTILE, "modal", "live",
        [Variant("a", [Step()]), Variant(VARIANT, [Step()])],
        goal=Goal("plan_upgraded", 7), experiment=Experiment("exp", control_weight=0.2))})


def hostile_report(tmp_path: Path) -> str:
    ev = []
    for n in range(600):
        arm = ("control", "a", VARIANT)[n % 3]
        day = f"2026-11-0{1 + n % 4}T10:00:00Z"
        ev.append(track(f"u{n}", "experiment_viewed", day, f"x{n}", guide_id="g", variant=arm,
                        experiment="exp", locale="fr"))
        if arm != "control":
            ev.append(track(f"u{n}", "guide_shown", day, f"s{n}", guide_id="g", variant=arm,
                            locale="fr"))
            if n % 7 == 0:
                ev.append(track(f"u{n}", "step_error", day, f"e{n}", guide_id="g", variant=arm,
                                step=0, selector=HOSTILE, reason="not_found"))
        if n % 4 == 0 or (arm == "a" and n % 4 == 1):
            ev.append(track(f"u{n}", "plan_upgraded", day.replace("T10", "T12"), f"g{n}"))
    path = write_jsonl(tmp_path / "e.jsonl", ev, ("not json",))
    con = store.connect()
    loaded = store.load(con, hostile_project(), [str(path)])
    results = analysis.analyse(con, hostile_project())
    return report_html.format_html(results, loaded, HOSTILE)
