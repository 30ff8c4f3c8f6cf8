"""One file at a time must agree with the whole-project loader and renderer."""

from __future__ import annotations

import shutil
from pathlib import Path

from guidestudio.core.edits import MISSING
from guidestudio.core.files import entity_files
from guidestudio.core.files.project_io import load_project, render_files
from tests.conftest import EXAMPLE_PROJECT


def test_per_entity_render_matches_render_files() -> None:
    project = load_project(EXAMPLE_PROJECT).project
    for rel, text in render_files(project).items():
        path = entity_files.entity_path(rel)
        assert path is not None and entity_files.file_for(path) == rel
        assert entity_files.render(project, path) == text


def test_reading_one_file_matches_the_loader(tmp_path: Path) -> None:
    loaded = load_project(EXAMPLE_PROJECT)
    for rel in render_files(loaded.project):
        parsed = entity_files.read(EXAMPLE_PROJECT, rel)
        assert parsed.value == entity_files.current(loaded.project, entity_files.entity_path(rel))
    root = tmp_path / "p"
    shutil.copytree(EXAMPLE_PROJECT, root)
    (root / "guides" / "bad.yaml").write_text("id: other\nname: x\n", "utf-8")
    parsed = entity_files.read(root, "guides/bad.yaml")
    assert parsed.broken and parsed.value is MISSING
    assert {p.file for p in parsed.problems} == {"guides/bad.yaml"}
    assert not entity_files.read(root, "guides/absent.yaml").exists


def test_paths_that_are_not_project_files() -> None:
    assert entity_files.entity_path("assets/logo.png") is None
    assert entity_files.entity_path("guides/sub/x.yaml") is None
    assert entity_files.entity_path("guides/.x.yaml.tmp") is None
