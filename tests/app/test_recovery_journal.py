"""The recovery journal keeps up (issue 13 item 4): an edit is on disk within about a second,
a burst of typing costs one write per pause, and a restore after another program changed a
file asks, per file, which version to keep — and keeps the disk's bytes when told to."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from guidestudio.app.document import Document
from guidestudio.app.recovery import Recovery
from guidestudio.widgets.dialogs import restore_dialog
from guidestudio.widgets.dialogs.restore_dialog import CompareDialog, RestoreDialog

pytestmark = pytest.mark.usefixtures("shell_env")
NAME = ("guides", "nps-survey", "name")
GUIDE_FILE = "guides/nps-survey.yaml"


def journal(recovery: Recovery) -> dict:  # type: ignore[type-arg]
    assert recovery.path is not None
    return json.loads(recovery.path.read_text("utf-8"))


def test_an_edit_reaches_the_journal_within_a_second(project: Path, tmp_path: Path,
                                                      qtbot) -> None:  # type: ignore[no-untyped-def]
    document = Document.open(project)
    recovery = Recovery(document, folder=tmp_path / "r")
    started = time.perf_counter()
    with qtbot.waitSignal(recovery.written, timeout=1500):
        document.set_value(NAME, "Typed a moment ago")
    elapsed = time.perf_counter() - started
    assert elapsed <= 1.5, f"the journal took {elapsed:.2f} s"
    payload = journal(recovery)
    assert "Typed a moment ago" in payload["files"][GUIDE_FILE]
    # The edits' base: the bytes on disk they started from.
    disk = (project / GUIDE_FILE).read_bytes()
    assert payload["base"][GUIDE_FILE] == hashlib.sha256(disk).hexdigest()
    document.dispose()


def test_a_burst_of_keystrokes_is_one_write_per_pause(project: Path, tmp_path: Path,
                                                      qtbot) -> None:  # type: ignore[no-untyped-def]
    document = Document.open(project)
    recovery = Recovery(document, folder=tmp_path / "r")
    text = ""
    for char in "Welcome back, Zoë!":  # typed faster than the pause the journal waits for
        text += char
        document.set_value(NAME, text)
    assert recovery.scheduled and recovery.writes == 0
    with qtbot.waitSignal(recovery.written, timeout=3000):
        pass
    recovery.settle()
    assert recovery.writes == 1 and not recovery.scheduled  # nothing more is coming
    assert "Welcome back, Zoë!" in journal(recovery)["files"][GUIDE_FILE]
    for char in " Again":  # the next burst: one more write
        text += char
        document.set_value(NAME, text)
    with qtbot.waitSignal(recovery.written, timeout=3000):
        pass
    recovery.settle()
    assert recovery.writes == 2 and not recovery.scheduled
    assert "Zoë! Again" in journal(recovery)["files"][GUIDE_FILE]
    document.dispose()


def test_typing_without_a_pause_is_journaled_anyway(project: Path, tmp_path: Path, qtbot,  # type: ignore[no-untyped-def]
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Recovery, "DEBOUNCE_MS", 60_000)  # the user never pauses
    monkeypatch.setattr(Recovery, "MAX_WAIT_MS", 200)
    document = Document.open(project)
    recovery = Recovery(document, folder=tmp_path / "r")
    with qtbot.waitSignal(recovery.written, timeout=3000):
        document.set_value(NAME, "still typing")
    assert "still typing" in journal(recovery)["files"][GUIDE_FILE]
    document.dispose()


def test_saving_while_a_write_is_queued_leaves_no_journal(project: Path, tmp_path: Path) -> None:
    document = Document.open(project)
    recovery = Recovery(document, folder=tmp_path / "r")
    for i in range(20):
        document.set_value(NAME, f"edit {i}")
        recovery.flush()  # queued on the journal's thread
    document.save()  # clean: the journal goes, and no queued write brings it back
    recovery.settle()
    assert recovery.path is not None and not recovery.path.exists()
    document.dispose()


def crashed_session(project: Path, folder: Path) -> None:
    """A session that journals two edits and dies without closing."""
    document = Document.open(project)
    recovery = Recovery(document, folder=folder)
    document.set_value(NAME, "Edited before the crash")
    document.set_value(("segments", "admins", "name"), "Admins (edited before the crash)")
    assert recovery.autosave() == recovery.path
    document.dispose()  # no discard: what a kill -9 leaves behind


def answer_dialog(act: Callable[[RestoreDialog], None], compared: list[list[str]]) -> QTimer:
    """Answer the restore dialog as a user would once it shows; a Compare window is read
    and closed."""
    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, CompareDialog):
            table = modal.table
            compared.append([" | ".join(table.item(r, c).text() for c in range(3))
                             for r in range(table.rowCount())])
            modal.reject()
        elif isinstance(modal, RestoreDialog) and modal.isVisible():
            act(modal)

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(poll)
    timer.start()
    return timer


@pytest.mark.parametrize("pick", ["disk", "mine"])
def test_restore_asks_per_file_when_the_disk_changed_since(project: Path, tmp_path: Path,
                                                           qtbot, pick: str) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "recovery"
    crashed_session(project, folder)
    guide = project / GUIDE_FILE  # meanwhile, a teammate's sync changes the guide
    theirs = guide.read_bytes().replace(b"name: NPS survey", b"name: NPS survey (from Kim)")
    guide.write_bytes(theirs)

    document = Document.open(project)  # the restarted editor
    recovery = Recovery(document, folder=folder)
    seen: dict[str, object] = {}
    compared: list[list[str]] = []

    def act(dialog: RestoreDialog) -> None:
        row = dialog.row(GUIDE_FILE)
        if "labels" not in seen:
            seen["labels"] = [r.item.label for r in dialog.rows]
            seen["flagged"] = [r.item.rel for r in dialog.rows if r.item.changed_on_disk]
            seen["blocked"] = not dialog.restore_button.isEnabled()
            seen["hint"] = dialog.hint.text()
            # Look at the difference first; the Compare window is a nested modal loop, so it
            # is opened outside this poll (a timer does not fire again inside its own slot).
            QTimer.singleShot(0, row.compare.click)
            return
        (row.disk if pick == "disk" else row.mine).click()
        seen["enabled"] = dialog.restore_button.isEnabled()
        dialog.restore_button.click()

    timer = answer_dialog(act, compared)
    try:
        restored = recovery.check(lambda data: restore_dialog.ask(
            None, recovery.review(data), data.saved_at))
    finally:
        timer.stop()

    assert seen["labels"] == ["Guide “Edited before the crash”",
                              "Segment “Admins (edited before the crash)”"]
    assert seen["flagged"] == [GUIDE_FILE]  # the segment was not touched on disk
    assert seen["blocked"] and "Edited before the crash" in str(seen["hint"])
    assert seen["enabled"]
    assert any(line.startswith("Name | Edited before the crash | NPS survey (from Kim)")
               for line in compared[0])
    assert restored  # the segment, at least
    assert document.get(("segments", "admins", "name")) == "Admins (edited before the crash)"
    document.save()
    if pick == "disk":
        assert document.get(NAME).startswith("NPS survey (from Kim)")
        assert guide.read_bytes() == theirs  # the other program's change is kept, byte for byte
    else:
        assert document.get(NAME) == "Edited before the crash"
        assert b"Edited before the crash" in guide.read_bytes()
    document.dispose()


def test_discarding_in_the_dialog_restores_nothing(project: Path, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "recovery"
    crashed_session(project, folder)
    document = Document.open(project)
    recovery = Recovery(document, folder=folder)
    timer = answer_dialog(lambda dialog: dialog.discard_button.click(), [])
    try:
        assert not recovery.check(lambda data: restore_dialog.ask(
            None, recovery.review(data), data.saved_at))
    finally:
        timer.stop()
    assert not document.is_modified
    assert recovery.path is not None and not recovery.path.exists()
    document.dispose()


def test_without_choices_a_restore_never_reverts_a_change_on_disk(project: Path,
                                                                  tmp_path: Path) -> None:
    folder = tmp_path / "recovery"
    crashed_session(project, folder)
    guide = project / GUIDE_FILE
    guide.write_bytes(guide.read_bytes().replace(b"kind: survey", b"kind: survey\n# Kim"))
    document = Document.open(project)
    recovery = Recovery(document, folder=folder)
    assert recovery.restore()  # only what nobody else changed
    assert document.get(NAME) != "Edited before the crash"
    assert document.get(("segments", "admins", "name")) == "Admins (edited before the crash)"
    document.dispose()


def test_the_window_asks_with_the_restore_dialog(project: Path, tmp_path: Path, qtbot,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from guidestudio.app.main_window import MainWindow

    crashed_session(project, tmp_path / "recovery")  # where shell_env points the app
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    timer = answer_dialog(lambda dialog: dialog.restore_button.click(), [])
    window = MainWindow()
    qtbot.addWidget(window)
    try:
        assert window.open_project(project, background=False)
    finally:
        timer.stop()
    assert window.document is not None
    assert window.document.get(NAME) == "Edited before the crash"
    assert window.isWindowModified()
    assert QApplication.activeModalWidget() is None or not isinstance(
        QApplication.activeModalWidget(), QDialog)


def test_a_change_to_every_guide_is_journaled_in_slices(project: Path, tmp_path: Path, qtbot,  # type: ignore[no-untyped-def]
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from guidestudio.core.edits import Batch, SetValue

    monkeypatch.setattr(Recovery, "SLICE_S", 0.0)  # one file per turn of the event loop
    document = Document.open(project)
    recovery = Recovery(document, folder=tmp_path / "r")
    ids = sorted(document.project.guides)
    document.apply(Batch(tuple(SetValue(("guides", i, "status"), "draft") for i in ids)),
                   "Every guide back to draft")  # one change above every guide
    recovery.flush()
    assert recovery.scheduled and recovery.path is not None and not recovery.path.exists()
    document.set_value(NAME, "Changed while the journal was being prepared")
    with qtbot.waitSignal(recovery.written, timeout=5000):
        pass
    qtbot.waitUntil(lambda: not recovery.scheduled, timeout=5000)
    recovery.settle()
    files = journal(recovery)["files"]
    assert {f"guides/{i}.yaml" for i in ids} <= set(files)
    assert all("status: draft" in files[f"guides/{i}.yaml"] for i in ids)
    assert "Changed while the journal was being prepared" in files[GUIDE_FILE]
    document.dispose()
