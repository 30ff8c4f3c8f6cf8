"""The export dialog runs the CLI's export on a worker thread and reports what it wrote."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest

from guidestudio.core.bundle import bundle_file as bundle
from guidestudio.core.bundle.export import export_project
from guidestudio.core.files.project_io import load_project
from guidestudio.widgets.dialogs.export_dialog import ExportDialog
from tests.conftest import EXAMPLE_PROJECT


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE_PROJECT, tmp_path / "p")
    return tmp_path / "p"


def make_dialog(root: Path, qtbot) -> ExportDialog:  # type: ignore[no-untyped-def]
    dialog = ExportDialog(load_project(root).project, root, modified=True)
    qtbot.addWidget(dialog)
    return dialog


def test_exports_off_the_gui_thread_the_same_bundle_as_the_cli(root: Path, tmp_path: Path,
                                                               qtbot) -> None:
    dialog = make_dialog(root, qtbot)
    assert not dialog.notice.isHidden()  # unsaved changes are not exported: it says so
    assert [box.text() for box in dialog.locale_boxes.values()] == ["English", "Japanese"]
    out = tmp_path / "out" / "bundle.json"
    dialog.output.setText(str(out))
    dialog.environment.setCurrentIndex(dialog.environment.findData("staging"))
    dialog.include_runtime.setChecked(True)
    dialog.runtime_dir.setText(str(tmp_path / "runtime"))
    with qtbot.waitSignal(dialog.exportFinished, timeout=30_000) as finished:
        dialog.start()
        worker = dialog.worker
        assert worker is not None
    result = finished.args[0]
    assert result is not None and result.ok, dialog.summary.toPlainText()
    assert worker.thread_id not in (None, threading.get_ident())
    assert not bundle.validate_bundle(json.loads(out.read_text("utf-8")))
    assert (tmp_path / "runtime" / "guide-runtime.js").is_file()
    summary = dialog.summary.toPlainText()
    assert f"Checksum: {result.checksum}" in summary and f"{result.guide_count} guides" in summary
    cli = export_project(root, tmp_path / "cli.json", environment="staging")
    assert (tmp_path / "cli.json").read_bytes() == out.read_bytes()
    assert cli.checksum == result.checksum
    assert dialog.export_button.isEnabled()
    assert dialog.progress.maximum() == dialog.progress.value() == result.guide_count


def test_problems_are_listed_instead_of_a_bundle(root: Path, tmp_path: Path, qtbot) -> None:
    guide = root / "guides" / "nps-survey.yaml"
    guide.write_text(guide.read_text("utf-8").replace("kind: survey", "kind: nonsense"), "utf-8")
    dialog = make_dialog(root, qtbot)
    dialog.output.setText(str(tmp_path / "never.json"))
    with qtbot.waitSignal(dialog.exportFinished, timeout=30_000) as finished:
        dialog.start()
    assert not finished.args[0].ok
    assert "guides/nps-survey.yaml" in dialog.summary.toPlainText()
    assert not (tmp_path / "never.json").exists()


def test_cancel_stops_between_guides(root: Path, tmp_path: Path, qtbot) -> None:
    dialog = make_dialog(root, qtbot)
    dialog.output.setText(str(tmp_path / "cancelled.json"))
    with qtbot.waitSignal(dialog.exportFinished, timeout=30_000) as finished:
        dialog.start()
        assert dialog.close_button.text() == "&Cancel"
        dialog.close_button.click()  # long before the first guide is compiled
    assert finished.args == [None]
    assert "cancelled" in dialog.summary.toPlainText()
    assert not (tmp_path / "cancelled.json").exists()
    assert dialog.worker is None and dialog.export_button.isEnabled()
