"""Opening a big project: it shows at once, its problems follow in slices, edits are not lost.

The window is usable before validation finishes, so the tests check what a
user would see in between (a progress bar, "Checking…" instead of counts that
are not known yet) and that an edit made while the check is running ends up
in the final list exactly as a fresh full validation would report it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synthetic import build
from guidestudio.app.document import Document
from guidestudio.app.main_window import MainWindow
from guidestudio.core.files.project_io import load_project
from guidestudio.core.validate import validate_project
from guidestudio.widgets.kit.editing import all_problems


@pytest.fixture
def big_project(tmp_path: Path) -> Path:
    root = tmp_path / "big"
    build(root, guides=120, segments=8, variants=2, steps=2)
    return root


@pytest.fixture
def big_window(shell_env: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> MainWindow:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    monkeypatch.setattr(Document, "VALIDATE_SLICE_S", 0.0005)  # many slices, even when fast
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    return win


def _expected(root: Path, document: Document) -> list[str]:
    fresh = load_project(root)
    return [p.format() for p in [*document.load_problems,
                                 *validate_project(fresh.project, fresh.files)]]


def test_project_shows_before_its_problems_and_the_panel_says_so(
        big_window: MainWindow, big_project: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    progress: list[tuple[int, int]] = []
    seen_at_open: dict[str, object] = {}

    def opened(document: Document) -> None:
        seen_at_open["checking"] = document.validating
        seen_at_open["bar"] = big_window.problems.progress.isVisibleTo(big_window)
        seen_at_open["counts"] = big_window.counts.text()
        seen_at_open["guides"] = len(document.project.guides)
        document.validationProgress.connect(lambda done, total: progress.append((done, total)))

    big_window.projectOpened.connect(opened)
    with qtbot.waitSignal(big_window.projectOpened, timeout=20000):
        assert big_window.open_project(big_project)
    assert seen_at_open == {"checking": True, "bar": True, "counts": "Checking…",
                            "guides": 120}
    document = big_window.document
    assert document is not None
    qtbot.waitUntil(lambda: not document.validating, timeout=20000)
    # It took several slices, each reporting progress towards the same total.
    assert len(progress) > 3
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)
    assert progress[-1][0] == progress[-1][1]
    qtbot.waitUntil(lambda: not big_window.problems.progress.isVisibleTo(big_window))
    assert big_window.counts.text() != "Checking…"
    # (With what the canvas found on its page: the synthetic guides point at #el-1…)
    assert len(big_window.problems.model.problems) == len(all_problems(document))
    assert sorted(p.format() for p in document.problems) == sorted(
        _expected(big_project, document))


def test_an_edit_during_the_first_check_is_in_the_final_list(
        big_window: MainWindow, big_project: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(big_window.projectOpened, timeout=20000):
        big_window.open_project(big_project)
    document = big_window.document
    assert document is not None
    # Wait for the check to be under way, then break a guide it may already have passed.
    qtbot.waitUntil(lambda: document._validator is not None
                    and 0 < document._validator.pending < document._validator.total,
                    timeout=20000)
    first = sorted(document.project.guides)[0]
    document.set_value(("guides", first, "variants", 0, "steps", 0, "title", "en"),
                       "[x](javascript:alert(1))")
    qtbot.waitUntil(lambda: not document.validating, timeout=20000)
    unsafe = [p for p in document.problems if p.code == "unsafe-url"
              and p.file == document.files.file_of("guides", first)]
    assert unsafe, "the edit made mid-check was not validated"
    document.save()
    assert sorted(p.format() for p in document.problems) == sorted(
        _expected(big_project, document))
