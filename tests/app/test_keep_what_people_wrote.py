"""Saves write only the files whose content changes, and keep what people wrote in them.

Real files on disk, edited through the Document (the undo stack), as the window does.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from guidestudio.app.document import Document
from guidestudio.app.file_watcher import FileWatcher
from guidestudio.core import guide_ops
from guidestudio.core.files import yaml_io
from guidestudio.core.files.project_io import load_project
from guidestudio.core.model import to_dict

NPS = "guides/nps-survey.yaml"
OLD = 1_000_000_000  # a fixed mtime (2001): any write moves it

# The example's nps-survey, as an author might keep it: comments, a blank line, a
# one-line list, a quoted name and an indented list.
HAND_WRITTEN = """\
# NPS: owned by the research team; ask before changing the audience.
schema_version: 1
id: nps-survey
name: "NPS survey"   # shown in reports
kind: survey
status: live
priority: 1

audience:
    segments: [established-accounts]
    conditions:
        events.login.last_30d: {$gte: 4}
trigger:
  on: delay
  seconds: 20
frequency:
  max_shows: 1
  stop_after:
    - dismissed     # once is enough
    - completed
variants:
- key: a
  steps:
  - id: nps
    # keep the question short
    title:
      en: One quick question
      ja: ひとつだけ質問させてください
    survey:
      type: nps
      question:
        en: How likely are you to recommend Acme Cloud to a friend or colleague?
"""


def changed_lines(before: str, after: str) -> list[str]:
    """The lines a ``git diff`` would show, as -old / +new."""
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines())
            if line[:1] in "+-"]


def stamp(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every project file's bytes and mtime, after setting all mtimes to ``OLD``."""
    out = {}
    for path in sorted(root.rglob("*.yaml")):
        os.utime(path, ns=(OLD * 10**9, OLD * 10**9))
        out[path.relative_to(root).as_posix()] = (path.read_bytes(), path.stat().st_mtime_ns)
    return out


def now(root: Path) -> dict[str, tuple[bytes, int]]:
    return {path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(root.rglob("*.yaml"))}


@pytest.fixture
def hand_written(project: Path) -> Path:
    (project / NPS).write_text(HAND_WRITTEN, encoding="utf-8")
    return project


def test_editing_the_title_changes_only_the_title_line(qapp: QApplication,
                                                       hand_written: Path) -> None:
    doc = Document.open(hand_written, validate=False)
    doc.set_value(("guides", "nps-survey", "variants", 0, "steps", 0, "title", "en"),
                  "Just one question")
    assert doc.save() == [NPS]
    after = (hand_written / NPS).read_text(encoding="utf-8")
    assert changed_lines(HAND_WRITTEN, after) == [
        "-       en: One quick question", "+       en: Just one question"]
    assert load_project(hand_written).project.guides["nps-survey"] == \
        doc.project.guides["nps-survey"]


def test_edits_in_hand_formatted_lists_and_maps_keep_their_style(qapp: QApplication,
                                                                 hand_written: Path) -> None:
    doc = Document.open(hand_written, validate=False)
    doc.insert_item(("guides", "nps-survey", "audience", "segments"), 1, "admins", "Add segment")
    doc.remove_item(("guides", "nps-survey", "frequency", "stop_after"), 1, "Remove")
    doc.set_value(("guides", "nps-survey", "name"), "NPS survey 2027")
    doc.save()
    after = (hand_written / NPS).read_text(encoding="utf-8")
    assert changed_lines(HAND_WRITTEN, after) == [
        '- name: "NPS survey"   # shown in reports',
        "+ name: NPS survey 2027   # shown in reports",
        "-     segments: [established-accounts]",
        "+     segments: [established-accounts, admins]",
        "-     - completed",
    ]
    assert load_project(hand_written).project.guides["nps-survey"] == \
        doc.project.guides["nps-survey"]


def test_renaming_a_segment_rewrites_only_the_guides_that_use_it(qapp: QApplication,
                                                                 hand_written: Path) -> None:
    segment = hand_written / "segments" / "free-plan.yaml"
    segment.write_text("# who is on the free plan\n" + segment.read_text(encoding="utf-8"),
                       encoding="utf-8")
    doc = Document.open(hand_written, validate=False)
    users = {f"guides/{gid}.yaml" for gid, guide in doc.project.guides.items()
             if guide.audience and "free-plan" in guide.audience.segments}
    assert len(users) == 3
    before = stamp(hand_written)
    doc.apply(guide_ops.rename(doc.project, "segments", "free-plan", "free-tier"),
              "Rename segment")
    written = doc.save()
    assert sorted(written) == sorted([*users, "segments/free-tier.yaml",
                                      "segments/free-plan.yaml"])
    after = now(hand_written)
    for rel, (data, mtime) in before.items():
        if rel in written:
            continue
        assert after[rel] == (data, mtime), rel  # not even touched
    for rel in users:
        diff = changed_lines(before[rel][0].decode(), after[rel][0].decode())
        assert diff == ["-   - free-plan", "+   - free-tier"], rel
    # The renamed segment's file keeps what its author wrote; only its id line changes.
    assert changed_lines(before["segments/free-plan.yaml"][0].decode(),
                         after["segments/free-tier.yaml"][0].decode()) == [
        "- id: free-plan", "+ id: free-tier"]
    reloaded = load_project(hand_written)
    assert not [p for p in reloaded.problems if p.is_error]
    assert reloaded.project.guides == doc.project.guides
    assert reloaded.project.segments == doc.project.segments


def test_an_untouched_file_changed_by_another_program_is_not_written_back(
        qapp: QApplication, hand_written: Path) -> None:
    doc = Document.open(hand_written, validate=False)
    doc.apply(guide_ops.rename(doc.project, "segments", "free-plan", "free-tier"),
              "Rename segment")  # touches several files, not nps-survey
    theirs = HAND_WRITTEN.replace("priority: 1", "priority: 7  # bumped by a colleague")
    (hand_written / NPS).write_text(theirs, encoding="utf-8")
    doc.set_value(("guides", "win-back-inactive", "name"), "Win back")
    written = doc.save()
    assert NPS not in written
    assert (hand_written / NPS).read_text(encoding="utf-8") == theirs


def test_a_commented_file_changed_on_disk_without_local_edits_reloads_silently(
        qapp: QApplication, hand_written: Path) -> None:
    doc = Document.open(hand_written, validate=False)
    asked: list[str] = []
    watcher = FileWatcher(doc, lambda rel, mine, theirs: asked.append(rel) or "mine")
    doc.set_value(("guides", "win-back-inactive", "name"), "An unsaved edit elsewhere")
    theirs = HAND_WRITTEN.replace("priority: 1", "priority: 7  # bumped by a colleague")
    (hand_written / NPS).write_text(theirs, encoding="utf-8")
    assert watcher.check(NPS) == "reloaded"
    assert asked == []
    assert doc.project.guides["nps-survey"].priority == 7
    doc.save()  # nothing of nps-survey to write: the file stays as the colleague left it
    assert (hand_written / NPS).read_text(encoding="utf-8") == theirs
    watcher.stop()


def test_a_local_edit_still_asks_and_shows_the_kept_format(qapp: QApplication,
                                                           hand_written: Path) -> None:
    doc = Document.open(hand_written, validate=False)
    asked: list[tuple[str, str]] = []
    watcher = FileWatcher(doc, lambda rel, mine, theirs: asked.append((mine, theirs)) or "mine")
    doc.set_value(("guides", "nps-survey", "priority"), 3)
    theirs = HAND_WRITTEN.replace("priority: 1", "priority: 7")
    (hand_written / NPS).write_text(theirs, encoding="utf-8")
    assert watcher.check(NPS) == "kept"
    (mine, shown_theirs), = asked
    assert mine == HAND_WRITTEN.replace("priority: 1", "priority: 3") and shown_theirs == theirs
    watcher.stop()


def test_a_new_guide_is_written_canonically(qapp: QApplication, hand_written: Path) -> None:
    doc = Document.open(hand_written, validate=False)
    edit, copy_id = guide_ops.duplicate(doc.project, "guides", "nps-survey")
    doc.apply(edit, "Duplicate")
    assert sorted(doc.save()) == [f"guides/{copy_id}.yaml"]
    written = (hand_written / "guides" / f"{copy_id}.yaml").read_text(encoding="utf-8")
    assert "#" not in written and written == yaml_io.dump(to_dict(doc.project.guides[copy_id]))
