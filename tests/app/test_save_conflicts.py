"""Saving checks the disk first: a file another program changed — even a moment before the
save, before any watcher could notice — is put to the user, never overwritten; read-only
files are refused with a message; the question's default never discards the disk's
content unseen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from guidestudio.app import prompts
from guidestudio.app.main_window import MainWindow

NPS = "guides/nps-survey.yaml"
NAME = ("guides", "nps-survey", "name")


def write_theirs(project: Path) -> bytes:
    """Another program's change, written in place; returns its bytes."""
    path = project / NPS
    data = path.read_bytes().replace(b"name: ", b"name: Theirs ", 1)
    path.write_bytes(data)
    return data


@pytest.mark.parametrize("answer", ["cancel", "theirs", "mine"])
def test_a_change_made_just_before_saving_is_asked_about(
        window: MainWindow, project: Path, monkeypatch: pytest.MonkeyPatch,
        answer: str) -> None:
    asked: list[tuple[str, str, str]] = []

    def ask(self: MainWindow, rel: str, mine: str, theirs: str) -> str:
        asked.append((rel, mine, theirs))
        return answer

    monkeypatch.setattr(MainWindow, "ask_save_conflict", ask)
    # the watcher notices the change later on: keep the window's edits (writes nothing)
    monkeypatch.setattr(MainWindow, "ask_file_conflict", lambda *a: "mine")
    doc = window.document
    assert doc is not None
    doc.set_value(NAME, "Mine")
    theirs = write_theirs(project)  # and save at once: the watcher has not run
    saved = window.save()
    assert [rel for rel, _m, _t in asked] == [NPS]
    assert "name: Mine" in asked[0][1] and "name: Theirs" in asked[0][2]
    on_disk = (project / NPS).read_bytes()
    if answer == "cancel":
        assert not saved and on_disk == theirs and doc.is_modified
    elif answer == "theirs":
        assert saved and on_disk == theirs
        assert doc.get(NAME).startswith("Theirs")
        doc.undo_stack.undo()  # taking theirs is undoable, like the watcher's
        assert doc.get(NAME) == "Mine"
    else:
        assert saved and b"name: Mine" in on_disk


def test_a_read_only_file_is_refused_with_a_message(
        window: MainWindow, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda _parent, _title, text, *a: said.append(text)))
    doc = window.document
    assert doc is not None
    (project / NPS).chmod(0o444)
    before = (project / NPS).read_bytes()
    doc.set_value(NAME, "Mine")
    assert not window.save()
    assert (project / NPS).read_bytes() == before
    assert len(said) == 1 and f"{NPS} is read-only" in said[0]
    assert doc.is_modified


@pytest.mark.parametrize("question", [prompts.save_conflict, prompts.file_conflict])
def test_the_conflict_question_defaults_to_showing_the_diff(qtbot, question) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def answer() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QMessageBox) and not seen:
            button = modal.defaultButton()
            seen.append(button.text() if button is not None else "")
            QTest.keyClick(modal, Qt.Key.Key_Escape)

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(answer)
    timer.start()
    try:
        choice = question(None, NPS, "name: Mine\n", "name: Theirs\n")
    finally:
        timer.stop()
    assert seen == ["Show diff…"]
    # Escape: cancel the save; in the watcher's question, keep the edits unsaved for now
    assert choice == ("cancel" if question is prompts.save_conflict else "mine")
