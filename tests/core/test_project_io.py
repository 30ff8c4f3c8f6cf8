"""Saving and loading: what the author wrote comes back, byte for byte."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidestudio.core.files.project_io import SaveConflict, load_project, render_files, save_project
from guidestudio.core.files.scaffold import new_project
from guidestudio.core.model import Guide, Project, Settings, Step, Variant, to_dict
from tests.conftest import EXAMPLE_PROJECT
from tests.core.model_strategies import guides, segments


def _project(root: Path) -> Project:
    return Project(settings=Settings(id="t", name="T", locales=["en", "ja"]), root=root)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(guide_list=st.lists(guides, max_size=3, unique_by=lambda g: g.id),
       segment_list=st.lists(segments, max_size=2, unique_by=lambda s: s.id))
def test_load_of_save_gives_back_the_same_project(tmp_path_factory, guide_list, segment_list) -> None:
    root = tmp_path_factory.mktemp("p")
    project = _project(root)
    project.guides = {g.id: g for g in guide_list}
    project.segments = {s.id: s for s in segment_list}
    save_project(project)
    result = load_project(root)
    schema_problems = [p for p in result.problems if p.code == "schema"]
    assert schema_problems == [], [p.format() for p in schema_problems]
    assert result.project.guides == project.guides
    assert result.project.segments == project.segments
    assert result.project.settings == project.settings


def test_saving_an_unchanged_project_rewrites_nothing(tmp_path: Path) -> None:
    new_project(tmp_path / "p")
    before = {p: p.read_bytes() for p in (tmp_path / "p").rglob("*.yaml")}
    mtimes = {p: p.stat().st_mtime_ns for p in before}
    result = load_project(tmp_path / "p")
    assert save_project(result.project, result.files) == []
    assert {p: p.read_bytes() for p in before} == before
    assert {p: p.stat().st_mtime_ns for p in before} == mtimes


def test_example_project_is_already_canonical() -> None:
    """What the editor would write is what is committed, so saving it changes nothing."""
    result = load_project(EXAMPLE_PROJECT)
    rendered = render_files(result.project)
    for rel, text in rendered.items():
        assert (EXAMPLE_PROJECT / rel).read_text(encoding="utf-8") == text, rel


def test_save_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    project = _project(tmp_path)
    project.guides["g"] = Guide(id="g", name="G", kind="modal", status="live",
                                variants=[Variant(key="a", steps=[Step(title={"en": "Hi"})])])
    written = save_project(project)
    assert sorted(written) == ["guides/g.yaml", "guidestudio.yaml"]
    assert [p.name for p in tmp_path.rglob(".*.tmp")] == []
    assert (tmp_path / "guides" / "g.yaml").read_text(encoding="utf-8").startswith("schema_version: 1\nid: g\n")


def test_deleting_a_guide_removes_its_file_but_a_broken_file_survives(tmp_path: Path) -> None:
    new_project(tmp_path / "p")
    root = tmp_path / "p"
    broken = root / "guides" / "broken.yaml"
    broken.write_text("id: broken\nname: [unclosed\n", encoding="utf-8")
    result = load_project(root)
    assert "guides/broken.yaml" in result.files.broken
    del result.project.guides["welcome"]
    changed = save_project(result.project, result.files)
    assert changed == ["guides/welcome.yaml"]
    assert not (root / "guides" / "welcome.yaml").exists()
    assert broken.read_text(encoding="utf-8") == "id: broken\nname: [unclosed\n"


def test_save_as_writes_everything_to_the_new_folder(tmp_path: Path) -> None:
    new_project(tmp_path / "p")
    result = load_project(tmp_path / "p")
    save_project(result.project, result.files, root=tmp_path / "copy")
    copy = load_project(tmp_path / "copy")
    assert copy.project.guides == result.project.guides
    assert to_dict(copy.project.settings) == to_dict(result.project.settings)


def test_a_crash_mid_save_keeps_the_old_file(tmp_path: Path, monkeypatch) -> None:
    new_project(tmp_path / "p")
    target = tmp_path / "p" / "guides" / "welcome.yaml"
    original = target.read_bytes()
    result = load_project(tmp_path / "p")
    result.project.guides["welcome"].name = "Changed"

    def failing_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    try:
        save_project(result.project, result.files)
    except OSError:
        pass
    assert target.read_bytes() == original
    assert list((tmp_path / "p" / "guides").glob(".*.tmp")) == []


def _busy_project(root: Path) -> None:
    """Enough files for the loader's threads, with every kind of fault among them."""
    new_project(root)
    guides = root / "guides"
    welcome = (guides / "welcome.yaml").read_text(encoding="utf-8")
    for i in range(60):
        (guides / f"g{i:02d}.yaml").write_text(welcome.replace("id: welcome", f"id: g{i:02d}"),
                                               encoding="utf-8")
    (guides / "g07.yaml").write_text("id: g07\nname: [unclosed\n", encoding="utf-8")
    (guides / "g13.yaml").write_text(welcome.replace("id: welcome", "id: g12"), encoding="utf-8")
    (guides / "g21.yaml").write_text(welcome.replace("kind: ", "kind: nope\nx: "),
                                     encoding="utf-8")
    (guides / "g22.yaml").write_text(welcome.replace("id: welcome", "id: other"),
                                     encoding="utf-8")
    (guides / "g30.yaml").write_bytes(b"id: g30\nname: \xff\n")
    (guides / "g31.yaml").write_text("  \n", encoding="utf-8")
    (guides / "g32.yaml").write_text("- a\n", encoding="utf-8")
    (guides / "g33.yaml").write_text(welcome + "id: again\n", encoding="utf-8")
    (guides / "g34.yaml").write_text("\ufeff" + welcome.replace("id: welcome", "id: g34"),
                                     encoding="utf-8")
    (guides / "g35.yaml").write_text(welcome.replace("id: welcome", "id: g35") + "n: 017\n",
                                     encoding="utf-8")
    for name in ("g40.yaml", "g41.yaml", "g42.yaml"):
        (guides / name).unlink()
    (guides / "g40.yaml").mkdir()
    outside = root.parent / "outside.yaml"
    outside.write_text(welcome.replace("id: welcome", "id: g41"), encoding="utf-8")
    (guides / "g41.yaml").symlink_to(outside)
    (guides / "g42.yaml").symlink_to(guides / "g01.yaml")


def test_loading_in_threads_gives_what_loading_in_one_does(tmp_path: Path, monkeypatch) -> None:
    """Files are read and parsed in a thread pool; the result must not depend on it."""
    _busy_project(tmp_path / "p")
    threaded = load_project(tmp_path / "p")
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    single = load_project(tmp_path / "p")
    assert threaded.problems == single.problems
    assert threaded.project == single.project
    assert threaded.files.broken == single.files.broken
    assert threaded.files.entity_files == single.files.entity_files
    assert list(threaded.files.sources) == list(single.files.sources)
    codes = {p.code for p in threaded.problems}
    assert {"yaml", "duplicate-id", "schema", "id-mismatch", "encoding", "empty",
            "not-mapping", "unreadable", "outside-project"} <= codes
    assert "g34" in threaded.project.guides  # a BOM is no fault
    # Problems come in file order, as they would from one thread.
    files = [p.file for p in threaded.problems if p.file.startswith("guides/")]
    assert files == sorted(files)


def test_save_as_takes_broken_files_along_unchanged(tmp_path: Path) -> None:
    """Save As must not leave the user's unreadable files behind (or regenerate settings)."""
    root = tmp_path / "p"
    shutil.copytree(EXAMPLE_PROJECT, root)
    broken_guide = "id: half\nname: [unclosed\n"
    (root / "guides" / "half.yaml").write_text(broken_guide, encoding="utf-8")
    settings = (root / "guidestudio.yaml").read_text(encoding="utf-8")
    (root / "guidestudio.yaml").write_text(settings + "locales: [en\n", encoding="utf-8")
    result = load_project(root)
    assert {"guides/half.yaml", "guidestudio.yaml"} <= set(result.files.broken)
    target = tmp_path / "elsewhere"
    written = save_project(result.project, result.files, root=target)
    assert (target / "guides" / "half.yaml").read_text(encoding="utf-8") == broken_guide
    assert (target / "guidestudio.yaml").read_text(encoding="utf-8") == settings + "locales: [en\n"
    assert {"guides/half.yaml", "guidestudio.yaml"} <= set(written)
    again = load_project(target)
    assert set(again.files.broken) == set(result.files.broken)
    assert sorted(again.project.guides) == sorted(result.project.guides)


def test_save_as_refuses_to_overwrite_a_carried_broken_file(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(EXAMPLE_PROJECT, root)
    (root / "guides" / "half.yaml").write_text("id: half\nname: [unclosed\n", encoding="utf-8")
    result = load_project(root)
    some = next(iter(result.project.guides.values()))
    result.project.guides["half"] = dataclasses.replace(some, id="half")
    with pytest.raises(SaveConflict, match="guides/half.yaml"):
        save_project(result.project, result.files, root=tmp_path / "elsewhere")
    assert not (tmp_path / "elsewhere" / "guides" / "half.yaml").exists()
