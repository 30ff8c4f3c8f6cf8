"""File ▸ Import translations reads and checks the file off the GUI thread.

What a user notices: the window keeps repainting while a big file is checked,
a progress window offers Cancel and cancelling changes nothing, an edit made
meanwhile is never overwritten by a plan made before it (the file is checked
again against the edited project), and a broken file still says what is wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QPushButton

from bench.event_loop import StallMeter
from bench.l10n import translated
from bench.synthetic import build
from guidestudio.app import translation_files, translation_plan_job
from guidestudio.app.main_window import MainWindow
from guidestudio.app.translation_files import TranslationImport
from guidestudio.core.files.project_io import load_project
from guidestudio.core.l10n.xliff_write import export_xliff
from tests.app.translation_support import import_summary
from tests.core.l10n.cat_tool import translate_file

NPS = "nps-survey"
NPS_TITLE = ("guides", NPS, "variants", 0, "steps", 0, "title")


def _german_file(window: MainWindow, tmp_path: Path) -> Path:
    dialog = window.actions_.export_for_translation()
    dialog.locale.setEditText("de")
    target = tmp_path / "acme-de.xlf"
    dialog.path.setText(str(target))
    dialog.path.textEdited.emit(str(target))
    assert dialog.export()
    translate_file(target, target)
    return target


def _start(window: MainWindow, path: Path) -> TranslationImport:
    run = window.actions_.import_translations(str(path))
    assert isinstance(run, TranslationImport)
    return run


def _settle() -> None:
    """Let a worker the test stopped waiting for finish, so nothing runs past the test."""
    assert QThreadPool.globalInstance().waitForDone(30_000)


@pytest.fixture
def big_window(shell_env: Path, tmp_path: Path, qtbot,  # type: ignore[no-untyped-def]
               monkeypatch: pytest.MonkeyPatch) -> tuple[MainWindow, Path]:
    """The window on a 300-guide project, and its 14,400 texts translated into French
    (a 19 MB XLIFF file: checking it takes about a second)."""
    root = tmp_path / "big"
    build(root, guides=300)
    xlf = tmp_path / "big-fr.xlf"
    xlf.write_bytes(translated(export_xliff(load_project(root).project, "fr")))
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.projectOpened, timeout=60_000):  # as the editor opens it
        assert win.open_project(root)
    qtbot.waitUntil(lambda: win.document is not None and not win.document.validating,
                    timeout=60_000)  # the window's own start-up work is done
    return win, xlf


def test_the_window_keeps_ticking_while_a_large_file_is_checked(
        big_window: tuple[MainWindow, Path], qtbot,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    window, xlf = big_window
    # The progress window at the first turn of the loop (0.4 s in the editor): its showing
    # is then certain whatever this machine's speed.
    monkeypatch.setattr(translation_files, "PROGRESS_DELAY_MS", 0)
    doc = window.document
    assert doc is not None
    steps = doc.undo_stack.count()
    ticks = StallMeter()  # a 10 ms timer: the loop's turns and its longest gap
    ticks.start()
    run = _start(window, xlf)
    # The call returns at once: no summary yet, the event loop has not turned.
    assert run.dialog is None and run.running and ticks.count == 0
    planned: list[int] = []
    progress_shown: list[bool] = []
    run.job.planned.connect(lambda *_: planned.append(ticks.count))
    worst_while_checked: list[float] = []
    run.job.planned.connect(lambda *_: worst_while_checked.append(ticks.worst))
    run.job.progressed.connect(lambda *_: progress_shown.append(run.progress.isVisible()))
    with qtbot.waitSignal(run.ready, timeout=120_000) as ready:
        pass
    ticks.stop()
    # The GUI thread turned over and over while the worker read and checked the file
    # (done on the GUI thread, as before, it would not have turned once).
    assert planned and planned[0] >= 10, planned
    assert worst_while_checked[0] < 1.0, f"the event loop stalled {worst_while_checked[0]:.2f} s"
    assert any(progress_shown)  # "Checking the 14,400 texts…", with Cancel
    dialog = ready.args[0]
    assert dialog.complete and dialog.isVisible()
    assert dialog.summary.text().startswith("14400 French (fr) texts in 300 guides will "
                                            "change: 14400 new.")
    assert dialog.changes.topLevelItemCount() == 300
    assert not run.progress.isVisible()
    assert doc.undo_stack.count() == steps  # nothing applied before "Apply"
    dialog.reject()


def test_cancel_stops_waiting_and_changes_nothing(window: MainWindow, tmp_path: Path,
                                                  qtbot) -> None:  # type: ignore[no-untyped-def]
    doc = window.document
    assert doc is not None
    xlf = _german_file(window, tmp_path)
    steps = doc.undo_stack.count()
    run = _start(window, xlf)
    shown: list[object] = []
    run.ready.connect(shown.append)
    with qtbot.waitSignal(run.ended, timeout=5_000):
        run.progress.findChild(QPushButton).click()  # the progress window's Cancel button
    assert not run.running
    assert window.statusBar().currentMessage() == "Import cancelled: nothing was changed."
    _settle()
    qtbot.wait(50)  # (no sleep: the event loop delivers whatever the worker sent)
    assert shown == []
    assert doc.undo_stack.count() == steps and doc.get((*NPS_TITLE, "de")) is None
    assert doc.project.settings.locales == ["en", "ja"]


def test_an_edit_while_the_file_is_checked_is_planned_again(
        window: MainWindow, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    doc = window.document
    assert doc is not None
    xlf = _german_file(window, tmp_path)

    # An edit that leaves the file fitting: checked again, then the summary as usual.
    run = _start(window, xlf)
    doc.set_value(("guides", NPS, "name"), "NPS survey", merge=False)
    with qtbot.waitSignal(run.ready, timeout=30_000) as ready:
        pass
    assert run.job.replans == 1
    dialog = ready.args[0]
    assert dialog.summary.text().startswith("86 German (de) texts in 10 guides will change")
    dialog.apply_button.click()
    assert doc.get((*NPS_TITLE, "de")) == "One quick question (auf Deutsch)"
    assert doc.get(("guides", NPS, "name")) == "NPS survey"  # the edit stays
    window.actions_.undo.trigger()

    # An edit to a text the file translates: the plan against the edited project refuses it.
    run = _start(window, xlf)
    doc.set_value((*NPS_TITLE, "en"), "One short question", merge=False)
    with qtbot.waitSignal(run.ready, timeout=30_000) as ready:
        pass
    dialog = ready.args[0]
    assert dialog.summary.text() == ("This file cannot be imported: 1 problem (below). Nothing "
                                     "was changed.")
    assert "the English text changed since the export" in dialog.problems.item(0).text()
    assert not dialog.apply_button.isVisible()
    dialog.reject()
    assert doc.get((*NPS_TITLE, "de")) is None


def test_edits_that_keep_coming_stop_the_import_with_a_reason(
        window: MainWindow, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    doc = window.document
    assert doc is not None
    xlf = _german_file(window, tmp_path)
    steps = doc.undo_stack.count()
    run = _start(window, xlf)
    names = iter(f"NPS survey {n}" for n in range(100))
    # The user types on: an edit lands while every check is under way.
    run.job.progressed.connect(lambda *_: doc.set_value(("guides", NPS, "name"), next(names),
                                                        merge=False))
    shown: list[object] = []
    run.ready.connect(shown.append)
    with qtbot.waitSignal(run.ended, timeout=30_000):
        pass
    assert shown == [] and run.job.replans == translation_plan_job.MAX_REPLANS
    assert window.statusBar().currentMessage().startswith(
        "Not imported: the project kept changing while the file was checked")
    assert doc.get((*NPS_TITLE, "de")) is None
    assert doc.undo_stack.count() > steps  # only the user's own edits
    assert all(doc.undo_stack.text(i).startswith("Edit")
               for i in range(steps, doc.undo_stack.count()))


def test_a_broken_or_missing_file_says_what_is_wrong(window: MainWindow, tmp_path: Path,
                                                     qtbot) -> None:  # type: ignore[no-untyped-def]
    doc = window.document
    assert doc is not None
    steps = doc.undo_stack.count()
    broken = tmp_path / "cut.xlf"
    broken.write_text('<?xml version="1.0"?>\n<xliff>\n  <file>\n</xliff>\n', "utf-8")
    dialog = import_summary(qtbot, window, broken)
    assert dialog.summary.text() == ("This file cannot be imported: 1 problem (below). Nothing "
                                     "was changed.")
    assert dialog.problems.item(0).text().startswith(f"{broken}:4: not well-formed XML")
    dialog.reject()

    missing = tmp_path / "gone.xlf"
    dialog = import_summary(qtbot, window, missing)
    assert dialog.problems.item(0).text().startswith(f"{missing}: cannot read the file: No "
                                                     "such file")
    dialog.reject()
    assert doc.undo_stack.count() == steps
