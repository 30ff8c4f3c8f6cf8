"""Files changed on disk while the project is open: reload quietly, or ask when edits clash."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidestudio.app.main_window import MainWindow
from guidestudio.core.files import yaml_io
from guidestudio.core.model import to_dict

pytestmark = pytest.mark.usefixtures("shell_env")
NPS = "nps-survey"
NAME = ("guides", NPS, "name")


def rewrite(path: Path, **changes: object) -> None:
    """What another editor does: load, change a field, write in place (not atomically)."""
    data, _ = yaml_io.load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml_io.dump(data), encoding="utf-8")


def test_a_file_without_local_edits_is_reloaded_silently(window: MainWindow, project: Path,
                                                         qtbot) -> None:
    doc, watcher = window.document, window.watcher
    assert doc is not None and watcher is not None
    doc.set_value(("guides", "win-back-inactive", "name"), "My unsaved edit elsewhere")
    with qtbot.waitSignal(watcher.reloaded, timeout=5000) as reloaded:
        rewrite(project / "guides" / f"{NPS}.yaml", name="Renamed by a colleague")
    assert reloaded.args == [f"guides/{NPS}.yaml"]
    assert doc.get(NAME) == "Renamed by a colleague"
    assert window.tree.model.index_for("guide", NPS).data() == "Renamed by a colleague"
    assert doc.undo_stack.count() == 1  # the reload is not an edit; the other edit is intact
    doc.undo_stack.undo()
    assert doc.get(("guides", "win-back-inactive", "name")) != "My unsaved edit elsewhere"
    assert doc.get(NAME) == "Renamed by a colleague"


@pytest.mark.parametrize("answer", ["theirs", "mine"])
def test_a_file_with_local_edits_asks_keep_mine_or_take_theirs(
        window: MainWindow, project: Path, qtbot, monkeypatch: pytest.MonkeyPatch,
        answer: str) -> None:
    asked: list[tuple[str, str, str]] = []

    def ask(self: MainWindow, rel: str, mine: str, theirs: str) -> str:
        asked.append((rel, mine, theirs))
        return answer

    monkeypatch.setattr(MainWindow, "ask_file_conflict", ask)
    doc, watcher = window.document, window.watcher
    assert doc is not None and watcher is not None
    doc.set_value(NAME, "Mine")
    signal = watcher.reloaded if answer == "theirs" else watcher.kept
    with qtbot.waitSignal(signal, timeout=5000):
        rewrite(project / "guides" / f"{NPS}.yaml", name="Theirs")
    assert len(asked) == 1
    rel, mine, theirs = asked[0]
    assert rel == f"guides/{NPS}.yaml" and "name: Mine" in mine and "name: Theirs" in theirs
    if answer == "theirs":
        assert doc.get(NAME) == "Theirs"
        doc.undo_stack.undo()  # taking theirs is undoable: my version comes back
        assert doc.get(NAME) == "Mine"
    else:
        assert doc.get(NAME) == "Mine"
        assert window.save()
        assert "name: Mine" in (project / "guides" / f"{NPS}.yaml").read_text(encoding="utf-8")


def test_our_own_saves_are_not_changes(window: MainWindow, project: Path, qtbot,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MainWindow, "ask_file_conflict",
                        lambda *a: pytest.fail("asked about our own save"))
    doc, watcher = window.document, window.watcher
    assert doc is not None and watcher is not None
    doc.set_value(NAME, "Saved by us")
    window.save()
    assert watcher.check(f"guides/{NPS}.yaml") == "same"  # what the save's events lead to
    assert doc.get(NAME) == "Saved by us" and not window.isWindowModified()
    # The atomic save replaced the file: the watch is back on the new file.
    with qtbot.waitSignal(watcher.reloaded, timeout=5000):
        rewrite(project / "guides" / f"{NPS}.yaml", name="After our save")
    assert doc.get(NAME) == "After our save"


def test_added_broken_and_deleted_files_follow_the_folder(window: MainWindow, project: Path,
                                                          qtbot) -> None:
    doc, watcher = window.document, window.watcher
    assert doc is not None and watcher is not None
    guide = doc.project.guides[NPS]
    data = to_dict(guide)
    data.update(id="copied-guide", name="Copied in by git pull")
    with qtbot.waitSignal(watcher.reloaded, timeout=5000):
        (project / "guides" / "copied-guide.yaml").write_text(yaml_io.dump(data), "utf-8")
    assert window.tree.model.index_for("guide", "copied-guide").data() == "Copied in by git pull"

    with qtbot.waitSignal(watcher.reloaded, timeout=5000):
        (project / "guides" / "copied-guide.yaml").write_text("name: [oops\n", "utf-8")
    assert "copied-guide" not in doc.project.guides
    assert window.tree.model.index_for("broken", "guides/copied-guide.yaml").isValid()
    window.save()
    assert (project / "guides" / "copied-guide.yaml").read_text("utf-8") == "name: [oops\n"

    with qtbot.waitSignal(watcher.reloaded, timeout=5000):
        (project / "guides" / f"{NPS}.yaml").unlink()
    assert NPS not in doc.project.guides
    assert not window.tree.model.index_for("guide", NPS).isValid()


def test_an_entity_edited_then_undone_is_reloaded_whole_when_nothing_is_unsaved(
        window: MainWindow, project: Path, qtbot) -> None:
    doc, watcher = window.document, window.watcher
    assert doc is not None and watcher is not None
    doc.set_value(NAME, "Typed")
    doc.undo_stack.undo()  # the history touches the guide, but nothing is unsaved
    with qtbot.waitSignal(doc.reset, timeout=5000):
        rewrite(project / "guides" / f"{NPS}.yaml", name="From disk")
    assert doc.get(NAME) == "From disk"
    assert not window.isWindowModified()


def test_the_open_guide_editor_follows_a_reload(window: MainWindow, project: Path, qtbot) -> None:
    from PySide6.QtWidgets import QApplication

    window.activateWindow()
    window.tree.select("guide", NPS)
    window.editors.focus_field("name")
    field = QApplication.focusWidget()
    assert field is not None and field.text() == window.document.get(NAME)  # type: ignore[attr-defined,union-attr]
    with qtbot.waitSignal(window.watcher.reloaded, timeout=5000):  # type: ignore[union-attr]
        rewrite(project / "guides" / f"{NPS}.yaml", name="Changed on disk")
    assert field.text() == "Changed on disk"  # type: ignore[attr-defined]


def test_a_large_project_is_watched_in_slices_and_every_file_is_followed(
        shell_env: Path, project: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Thousands of files are watched a slice per turn; once the turns ran, any file counts."""
    from guidestudio.app.file_watcher import FileWatcher

    monkeypatch.setattr(FileWatcher, "WATCH_SLICE", 2)
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_project(project, background=False)
    watcher = window.watcher
    assert watcher is not None
    files = sorted(str(p) for p in project.rglob("*.yaml"))
    assert len(files) > 2
    qtbot.waitUntil(lambda: sorted(watcher._watcher.files()) == files, timeout=5000)
    last = sorted((project / "guides").glob("*.yaml"))[-1]
    with qtbot.waitSignal(watcher.reloaded, timeout=5000) as reloaded:
        rewrite(last, name="Renamed by a colleague")
    assert reloaded.args == [f"guides/{last.name}"]
    assert window.document.get(("guides", last.stem, "name")) == "Renamed by a colleague"
