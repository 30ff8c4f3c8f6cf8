"""The column mapping kept in the project's settings (``events:`` in guidestudio.yaml):
loaded, checked by the real schema and the validator with file, line and field, written
back keeping the author's lines, and used by ``guidestudio results`` without --columns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guidestudio.cli import main
from guidestudio.core.files.project_io import load_project, save_project
from guidestudio.core.model import EventColumns
from tests.core.test_validate import SETTINGS, expect, make, only, run

MAPPING = SETTINGS + """\
# where our warehouse export keeps things
events:
  user: uid
  event: name
  timestamp: at
"""

GUIDE = """\
schema_version: 1
id: tour
name: Tour
kind: modal
status: live
variants:
- key: a
  steps:
  - title: {en: Hi}
"""


def test_the_mapping_loads_and_an_edit_keeps_the_authors_lines(tmp_path: Path) -> None:
    root = make(tmp_path, {"guidestudio.yaml": MAPPING})
    result = load_project(root)
    assert result.problems == []
    assert result.project.settings.events == EventColumns("uid", "name", "at")
    result.project.settings.events.message_id = "id"  # type: ignore[union-attr]
    assert save_project(result.project, result.files) == ["guidestudio.yaml"]
    assert (root / "guidestudio.yaml").read_text(encoding="utf-8") == MAPPING + "  message_id: id\n"
    again = load_project(root)
    assert again.project.settings == result.project.settings
    assert save_project(again.project, again.files) == []


@pytest.mark.parametrize("body, words", [
    ("events:\n  user: uid\n  event: name\n", "timestamp"),
    ("events:\n  user: uid\n  event: name\n  timestamp: at\n  when: x\n", "when"),
    ("events:\n  user: ''\n  event: name\n  timestamp: at\n", "user"),
])
def test_the_schema_refuses_a_mapping_that_cannot_be_used(tmp_path: Path, body: str,
                                                          words: str) -> None:
    root = make(tmp_path, {"guidestudio.yaml": SETTINGS + body})
    problems = load_project(root).problems
    assert problems and all(p.file == "guidestudio.yaml" for p in problems)
    assert any(words in p.format() for p in problems), [p.format() for p in problems]
    assert all(p.line is not None for p in problems)


def test_one_column_for_two_fields_is_an_error_at_its_line(tmp_path: Path) -> None:
    root = make(tmp_path, {"guidestudio.yaml": SETTINGS + "events:\n  user: uid\n  event: uid\n"
                                                           "  timestamp: at\n"})
    problem = only(run(root), "event-columns")
    expect(problem, root, "guidestudio.yaml", "event: uid", "events.event", "user", "'uid'")


def test_results_read_the_files_with_the_projects_mapping(tmp_path: Path, capsys) -> None:
    root = make(tmp_path / "p", {"guidestudio.yaml": MAPPING, "guides/tour.yaml": GUIDE})
    events = tmp_path / "flat.csv"
    events.write_text("uid,name,at,guide_id,variant\n"
                      "x1,guide_shown,2026-11-02T10:00:00+01:00,tour,a\n"
                      "x2,guide_shown,2026-11-02T10:00:00+01:00,tour,a\n", encoding="utf-8")
    assert main(["results", str(root), "--events", str(events), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["guides"][0]["variants"][0]["shown"] == 2
    # A file the mapping does not fit says which setting names the missing column.
    other = tmp_path / "other.csv"
    other.write_text("user,event_name,ts\nx1,guide_shown,2026-11-02\n", encoding="utf-8")
    assert main(["results", str(root), "--events", str(other)]) == 2
    err = capsys.readouterr().err
    assert "no uid, name, at column, which guidestudio.yaml (events:) names" in err
