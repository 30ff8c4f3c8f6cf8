"""The document: edits go through the undo stack, typing merges, saving is clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidestudio.app import commands
from guidestudio.app.document import Change, Document
from guidestudio.core.files.scaffold import new_project
from guidestudio.core.model import Step

TITLE = ("guides", "welcome", "variants", 0, "steps", 0, "title", "en")


@pytest.fixture
def doc(tmp_path: Path, qtbot) -> Document:
    new_project(tmp_path / "p")
    return Document.open(tmp_path / "p")


def test_typing_in_one_field_is_one_undo_step(doc: Document, monkeypatch) -> None:
    original = doc.get(TITLE)
    for text in ("H", "He", "Hel", "Hello"):
        doc.set_value(TITLE, text)
    assert doc.undo_stack.count() == 1
    assert doc.undo_stack.undoText() == "Edit title (en)"
    doc.undo_stack.undo()
    assert doc.get(TITLE) == original
    doc.undo_stack.redo()
    assert doc.get(TITLE) == "Hello"


def test_a_pause_or_another_field_starts_a_new_undo_step(doc: Document, monkeypatch) -> None:
    doc.set_value(TITLE, "A")
    doc.set_value(("guides", "welcome", "name"), "Renamed")
    doc.set_value(TITLE, "AB")
    assert doc.undo_stack.count() == 3
    monkeypatch.setattr(commands, "MERGE_WINDOW_S", -1.0)
    doc.set_value(TITLE, "ABC")
    assert doc.undo_stack.count() == 4


def test_changes_name_their_initiator_only_the_first_time(doc: Document, qtbot) -> None:
    seen: list[Change] = []
    doc.changed.connect(seen.append)
    widget = object()
    doc.set_value(TITLE, "Hi", origin=widget)
    doc.undo_stack.undo()
    doc.undo_stack.redo()
    assert [(c.kind, c.origin is widget) for c in seen] == [
        ("edit", True), ("undo", False), ("redo", False)]
    assert all(c.path == TITLE for c in seen)
    assert seen[0].touches(("guides", "welcome"))
    assert not seen[0].touches(("guides", "other"))


def test_undo_everything_restores_the_bytes_on_disk(doc: Document, tmp_path: Path) -> None:
    root = tmp_path / "p"
    before = {p: p.read_bytes() for p in root.rglob("*.yaml")}
    steps = ("guides", "welcome", "variants", 0, "steps")
    doc.set_value(TITLE, "Changed")
    doc.insert_item(steps, 1, Step(title={"en": "Second"}), "Add step")
    doc.move_item(steps, 0, 1, "Move step")
    doc.save()
    assert not doc.is_modified
    assert {p: p.read_bytes() for p in root.rglob("*.yaml")} != before
    while doc.undo_stack.canUndo():
        doc.undo_stack.undo()
    assert doc.is_modified
    doc.save()
    assert {p: p.read_bytes() for p in root.rglob("*.yaml")} == before


def test_problems_follow_edits(doc: Document, qtbot) -> None:
    assert not [p for p in doc.problems if p.is_error]
    with qtbot.waitSignal(doc.problemsChanged, timeout=3000):
        doc.set_value(("guides", "welcome", "audience", "segments"), ["no-such-segment"])
    assert any("no-such-segment" in p.message for p in doc.problems)
