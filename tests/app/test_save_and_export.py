"""Export what you see: unsaved changes are named, and "Save and export" ships them."""

from __future__ import annotations

from pathlib import Path

from guidestudio.app.main_window import MainWindow

NPS = "nps-survey"
NAME = ("guides", NPS, "name")


def test_save_and_export_ships_what_the_editor_shows(window: MainWindow, project: Path,
                                                     tmp_path: Path, qtbot) -> None:
    window.document.set_value(NAME, "NPS — shown in the editor")  # type: ignore[union-attr]
    dialog = window.show_export()
    assert dialog is not None
    notice = dialog.notice.text()
    assert not dialog.notice.isHidden() and "NPS — shown in the editor (guide)" in notice
    assert dialog.save_export_button.isVisible() and dialog.save_export_button.isDefault()
    assert dialog.export_button.text() == "E&xport the saved files"
    out = tmp_path / "bundle.json"
    dialog.output.setText(str(out))
    with qtbot.waitSignal(dialog.exportFinished, timeout=30_000) as finished:
        dialog.save_export_button.click()
    assert finished.args[0] is not None and finished.args[0].ok
    assert not window.isWindowModified()  # saved first...
    assert "shown in the editor" in (project / "guides" / f"{NPS}.yaml").read_text("utf-8")
    assert dialog.notice.isHidden() and not dialog.save_export_button.isVisible()
    assert "Not in this bundle" not in dialog.summary.toPlainText()
    dialog.close()


def test_exporting_the_saved_files_says_what_is_left_out(window: MainWindow, tmp_path: Path,
                                                         qtbot) -> None:
    saved_name = window.document.get(NAME)  # type: ignore[union-attr]
    window.document.set_value(NAME, "Not saved yet")  # type: ignore[union-attr]
    dialog = window.show_export()
    assert dialog is not None
    out = tmp_path / "bundle.json"
    dialog.output.setText(str(out))
    with qtbot.waitSignal(dialog.exportFinished, timeout=30_000) as finished:
        dialog.export_button.click()
    assert finished.args[0] is not None and finished.args[0].ok
    assert window.isWindowModified()  # nothing was saved behind the user's back
    summary = dialog.summary.toPlainText()
    assert "Not in this bundle (unsaved): Not saved yet (guide)" in summary
    assert "Not saved yet" not in out.read_text("utf-8") and saved_name
    dialog.close()


def test_without_changes_there_is_nothing_to_save_first(window: MainWindow) -> None:
    dialog = window.show_export()
    assert dialog is not None
    assert dialog.notice.isHidden() and not dialog.save_export_button.isVisible()
    assert dialog.export_button.text() == "E&xport" and dialog.export_button.isDefault()
    dialog.close()
