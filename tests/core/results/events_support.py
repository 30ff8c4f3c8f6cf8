"""Small projects and event files for the results tests, written as real files."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from guidestudio.core.model import (
    Button,
    ChecklistItem,
    Experiment,
    Goal,
    Guide,
    Project,
    Settings,
    Step,
    Variant,
)


def project() -> Project:
    steps3 = [Step(id=f"s{i}", buttons=[Button({"en": "Next"}, "next")]) for i in range(3)]
    return Project(Settings(id="p", name="P"), guides={
        "tour": Guide("tour", "Tour", "walkthrough", "live", [Variant("a", steps3)],
                      goal=Goal("plan_upgraded", 7)),
        "nps": Guide("nps", "NPS", "survey", "live", [Variant("a", [Step()])]),
        "setup": Guide("setup", "Setup", "checklist", "live", [Variant("a", [Step(items=[
            ChecklistItem("upload", {"en": "Upload"}, "file_uploaded"),
            ChecklistItem("invite", {"en": "Invite"}, "user_invited")])])]),
        "banner": Guide("banner", "Banner", "banner", "live",
                        [Variant("a", [Step()]), Variant("b", [Step()])],
                        goal=Goal("plan_upgraded", 14),
                        experiment=Experiment("banner-copy", control_weight=0.2)),
    })


def track(user: str, event: str, when: str, message_id: str | None = None,
          **props: Any) -> dict[str, Any]:
    """A Segment ``track`` call."""
    out: dict[str, Any] = {"userId": user, "event": event, "timestamp": when, "properties": props}
    if message_id:
        out["messageId"] = message_id
    return out


def write_jsonl(path: Path, rows: list[dict[str, Any]], extra_lines: tuple[str, ...] = ()) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows) + "".join(
        line + "\n" for line in extra_lines), encoding="utf-8")
    return path


def utc(when: str) -> datetime:
    return datetime.fromisoformat(when.replace("Z", "+00:00")).astimezone(UTC)


def write_amplitude_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    """The same events as Amplitude's export: UTC times without an offset, properties as
    a JSON string, the message id as ``$insert_id``."""
    import csv

    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["user_id", "event_type", "event_time", "event_properties", "$insert_id"])
        for r in rows:
            out.writerow([r["userId"], r["event"],
                          utc(r["timestamp"]).strftime("%Y-%m-%d %H:%M:%S.%f"),
                          json.dumps(r["properties"]), r.get("messageId", "")])
    return path


def write_parquet(path: Path, jsonl: Path) -> Path:
    """Parquet written by DuckDB from a JSON Lines file: properties become a struct."""
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_json('{jsonl}', format = 'newline_delimited')) "
                f"TO '{path}' (FORMAT parquet)")
    return path
