"""The quiet safety nets: the timed autosave, the diff behind "file changed on disk",
and the palette following the system while the user has not forced one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from guidestudio.app import prompts, theme
from guidestudio.app.document import Document
from guidestudio.app.recovery import Recovery
from guidestudio.widgets.dialogs.diff_dialog import DiffDialog

NAME = ("guides", "nps-survey", "name")


def test_unsaved_edits_are_autosaved_on_a_timer_without_any_focus_change(
        project: Path, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert Recovery.DEBOUNCE_MS <= 1000  # issue 13: within about a second of the last change
    document = Document.open(project)
    recovery = Recovery(document, folder=tmp_path / "r")
    assert not recovery.scheduled  # nothing unsaved: nothing to write
    assert recovery.path is not None and not recovery.path.exists()
    document.set_value(NAME, "typed, never saved")
    qtbot.waitUntil(recovery.path.exists, timeout=3000)
    assert "typed, never saved" in recovery.path.read_text("utf-8")
    recovery.discard()
    document.dispose()


def test_show_diff_then_take_theirs(shell_env: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The question loops through the diff and back until the user decides."""
    seen: list[str] = []

    def answer() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, DiffDialog):
            seen.append(modal.text.toPlainText())
            modal.reject()
        elif isinstance(modal, QMessageBox):
            wanted = "Show diff…" if not seen else "Take theirs"
            button = next(b for b in modal.findChildren(QPushButton) if b.text() == wanted)
            button.click()

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(answer)
    timer.start()
    try:
        choice = prompts.file_conflict(None, "guides/a.yaml", "name: Mine\nkind: modal\n",
                                       "name: Theirs\nkind: modal\n")
    finally:
        timer.stop()
    assert choice == "theirs"
    assert len(seen) == 1
    assert "-name: Mine" in seen[0] and "+name: Theirs" in seen[0]
    assert "guides/a.yaml (in the editor)" in seen[0]


def test_system_palette_follows_the_system_until_the_user_forces_one(qapp) -> None:  # type: ignore[no-untyped-def]
    hints = QGuiApplication.styleHints()

    def lightness() -> int:
        return QApplication.palette().color(QPalette.ColorRole.Window).lightness()

    try:
        theme.apply_theme("system")
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # the desktop switched to dark
        assert lightness() < 80
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
        assert lightness() > 180
        theme.apply_theme("light")  # forced: a dark desktop no longer changes it
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert lightness() > 180
    finally:
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Unknown)
        theme.apply_theme("system")
