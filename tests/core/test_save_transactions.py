"""Saves land whole or not at all, never overwrite another writer's change, and loads read one
consistent state (issue 13, items 1, 2 and 6). The reliability suite repeats these under
kill -9, races and full disks; these are the single, readable cases."""

from __future__ import annotations

import io
import os
import shutil
import stat
import threading
from pathlib import Path

import pytest

from guidestudio.core import edits, guide_ops
from guidestudio.core.files import project_io, transaction
from guidestudio.core.files.project_io import (
    ProjectChanging,
    load_project,
    save_project,
)
from guidestudio.core.files.transaction import DiskChanged, ReadOnlyFiles
from guidestudio.core.model import Guide
from tests.conftest import EXAMPLE_PROJECT

USERS = ["guides/holiday-promo-draft.yaml", "guides/storage-almost-full.yaml",
         "guides/summer-sale-2026.yaml"]  # the guides that use the segment "free-plan"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE_PROJECT, tmp_path / "p")
    return tmp_path / "p"


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and not p.relative_to(root).as_posix().startswith(".guidestudio/")}


def rename(root: Path):  # type: ignore[no-untyped-def]
    loaded = load_project(root)
    edits.apply(loaded.project, guide_ops.rename(loaded.project, "segments", "free-plan",
                                                 "free-tier"))
    return loaded


class Died(BaseException):
    """What a kill looks like from inside: nothing after it runs (no except, no cleanup)."""


def die_at_replace(monkeypatch: pytest.MonkeyPatch, call: int) -> None:
    """Let ``os.replace`` work ``call - 1`` times, then stop the save dead."""
    real, calls = os.replace, []

    def replace(src, dst):  # type: ignore[no-untyped-def]
        calls.append(dst)
        if len(calls) == call:
            monkeypatch.setattr(shutil, "rmtree", lambda *a, **k: None)  # no cleanup after death
            raise Died
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)


def test_a_rename_interrupted_after_its_commit_point_is_finished_by_the_next_load(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = files_of(root)
    loaded = rename(root)
    die_at_replace(monkeypatch, call=3)  # the journal, the first guide, then death
    with pytest.raises(Died):
        save_project(loaded.project, loaded.files)
    monkeypatch.undo()
    half = files_of(root)
    assert half[USERS[0]] != before[USERS[0]] and half[USERS[1]] == before[USERS[1]]

    again = load_project(root)  # completes the save: the user was about to see "Saved"
    assert "free-tier" in again.project.segments and "free-plan" not in again.project.segments
    for rel in USERS:
        assert b"free-tier" in (root / rel).read_bytes()
    assert transaction.pending(root) == []
    assert sorted(p.name for p in (root / ".guidestudio" / "txn").iterdir()) == \
        [".gitignore", "lock"]
    assert "*" in (root / ".guidestudio" / "txn" / ".gitignore").read_text().splitlines()


def test_a_save_interrupted_before_its_commit_point_changes_nothing(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = files_of(root)
    loaded = rename(root)
    die_at_replace(monkeypatch, call=1)  # staged, but the journal never landed
    with pytest.raises(Died):
        save_project(loaded.project, loaded.files)
    monkeypatch.undo()
    assert len(transaction.pending(root)) == 1  # what a kill leaves: staged files, hidden

    again = load_project(root)
    assert "free-plan" in again.project.segments and "free-tier" not in again.project.segments
    assert files_of(root) == before
    assert transaction.pending(root) == []


def test_a_full_disk_while_staging_leaves_every_original(root: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    before = files_of(root)
    loaded = rename(root)
    real, budget = os.write, [3000]  # room for about one guide

    def write(fd: int, data: bytes) -> int:
        if len(data) > budget[0]:
            raise OSError(28, "No space left on device")
        budget[0] -= len(data)
        return real(fd, data)

    monkeypatch.setattr(os, "write", write)
    with pytest.raises(OSError, match="No space"):
        save_project(loaded.project, loaded.files)
    monkeypatch.undo()
    assert files_of(root) == before
    assert transaction.pending(root) == []
    save_project(loaded.project, loaded.files)  # with room again, the same save works
    assert "free-tier" in load_project(root).project.segments


def test_a_file_changed_right_after_loading_is_a_conflict_not_an_overwrite(root: Path) -> None:
    loaded = load_project(root)
    loaded.project.guides["nps-survey"].name = "Mine"
    theirs = (root / "guides/nps-survey.yaml").read_bytes().replace(b"name: ", b"name: Theirs ", 1)
    (root / "guides/nps-survey.yaml").write_bytes(theirs)  # 0 ms later: no watcher saw it
    with pytest.raises(DiskChanged) as raised:
        save_project(loaded.project, loaded.files, only={("guides", "nps-survey")})
    assert (root / "guides/nps-survey.yaml").read_bytes() == theirs
    [changed] = raised.value.changed
    assert changed.rel == "guides/nps-survey.yaml" and changed.theirs == theirs
    assert b"name: Mine" in (changed.ours or b"")

    loaded.files.note_disk(changed.rel, changed.theirs)  # the user chose "Overwrite with mine"
    save_project(loaded.project, loaded.files, only={("guides", "nps-survey")})
    assert b"name: Mine" in (root / "guides/nps-survey.yaml").read_bytes()


def test_a_change_landing_while_the_save_replaces_files_withdraws_the_whole_save(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another program writes the second guide after the save compared it (staging and
    fsyncs take milliseconds) and before its turn to be replaced: the save puts back the
    guide it had already replaced and reports the conflict; nothing of it remains."""
    before = files_of(root)
    loaded = rename(root)
    theirs = before[USERS[1]].replace(b"name: ", b"name: Theirs ", 1)
    real_link = os.link

    def link_after_their_write(src, dst):  # type: ignore[no-untyped-def]
        if str(src).endswith(USERS[1]):
            (root / USERS[1]).write_bytes(theirs)  # in place, just now
        real_link(src, dst)

    monkeypatch.setattr(os, "link", link_after_their_write)
    with pytest.raises(DiskChanged) as raised:
        save_project(loaded.project, loaded.files)
    monkeypatch.undo()
    assert [c.rel for c in raised.value.changed] == [USERS[1]]
    assert files_of(root) == {**before, USERS[1]: theirs}
    assert transaction.pending(root) == []


def test_a_file_that_appeared_or_vanished_is_a_conflict(root: Path) -> None:
    loaded = load_project(root)
    loaded.project.guides["fresh"] = Guide(id="fresh", name="Fresh", kind="modal")
    (root / "guides/fresh.yaml").write_text("id: fresh\nname: someone else's\n", encoding="utf-8")
    with pytest.raises(DiskChanged):
        save_project(loaded.project, loaded.files, only={("guides", "fresh")})
    assert "someone else's" in (root / "guides/fresh.yaml").read_text(encoding="utf-8")

    loaded = load_project(root)
    loaded.project.guides["nps-survey"].name = "Mine"
    (root / "guides/nps-survey.yaml").unlink()  # deleted by git, say
    with pytest.raises(DiskChanged):
        save_project(loaded.project, loaded.files, only={("guides", "nps-survey")})
    assert not (root / "guides/nps-survey.yaml").exists()


def test_a_read_only_file_is_never_replaced_and_nothing_else_is_written(root: Path) -> None:
    before = files_of(root)
    loaded = rename(root)
    (root / USERS[1]).chmod(0o444)
    with pytest.raises(ReadOnlyFiles, match="storage-almost-full.yaml is read-only"):
        save_project(loaded.project, loaded.files)
    assert files_of(root) == before
    assert stat.S_IMODE((root / USERS[1]).stat().st_mode) == 0o444


def test_the_same_change_on_both_sides_is_no_conflict(root: Path) -> None:
    loaded = load_project(root)
    loaded.project.guides["nps-survey"].name = "Same"
    ours = save_project(load_project(root).project, None)  # nothing to write yet
    assert ours == []
    other = load_project(root)
    other.project.guides["nps-survey"].name = "Same"
    save_project(other.project, other.files, only={("guides", "nps-survey")})
    assert save_project(loaded.project, loaded.files, only={("guides", "nps-survey")}) == []


def test_a_load_during_saves_sees_one_save_or_the_other(root: Path) -> None:
    """A save in another thread keeps renaming every guide; each load sees one version."""
    writer = load_project(root)
    stop = threading.Event()

    def save(version: int) -> None:
        for guide in writer.project.guides.values():
            guide.name = f"v{version}"
        save_project(writer.project, writer.files,
                     only={("guides", g) for g in writer.project.guides})

    def keep_saving() -> None:
        version = 0
        while not stop.is_set():
            version += 1
            save(version)

    save(0)
    thread = threading.Thread(target=keep_saving)
    thread.start()
    try:
        for _ in range(15):
            names = {g.name for g in load_project(root).project.guides.values()}
            assert len(names) == 1, names
    finally:
        stop.set()
        thread.join()


def test_a_project_that_keeps_changing_is_refused_not_mixed(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another program rewrites a guide (in place, no lock) each time right after the loader
    read it: the load refuses after a few attempts instead of returning what it read."""
    path = root / "guides" / "nps-survey.yaml"
    text = path.read_text(encoding="utf-8")
    writes = []

    def open_then_scribble(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        handle = open(file, mode, *args, **kwargs)
        if str(file) == str(path) and "r" in mode:
            data = handle.read()
            handle.close()
            writes.append(1)
            path.write_text(text.replace("name: ", f"name: {len(writes)} ", 1), encoding="utf-8")
            return io.BytesIO(data)
        return handle

    monkeypatch.setattr(project_io, "open", open_then_scribble, raising=False)
    with pytest.raises(ProjectChanging, match="kept changing while they were read"):
        load_project(root)
    assert len(writes) >= project_io.READ_ATTEMPTS
    monkeypatch.undo()
    name = load_project(root).project.guides["nps-survey"].name
    assert name.startswith(f"{len(writes)} ")  # the last write, read once it stopped
