"""``guidestudio`` with no arguments opens the window on the last project or the example."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from guidestudio.app import gui, settings_store
from guidestudio.core.resources import EXAMPLE_PROJECT
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.usefixtures("shell_env")


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own copy of the example (QStandardPaths reads the variable)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def test_the_project_to_open(project: Path, tmp_path: Path) -> None:
    example = gui.choose_project(None)
    assert example != EXAMPLE_PROJECT and _files(example) == _files(EXAMPLE_PROJECT)
    settings_store.remember_project(project)
    assert gui.choose_project(None) == project.resolve()
    assert gui.choose_project(tmp_path) == tmp_path
    settings_store.remember_project(tmp_path / "gone")  # moved away since: fall back
    assert gui.choose_project(None) == example


def test_the_example_opens_as_the_users_own_copy(shell_env: Path) -> None:
    """Saving the example must not change the bundled one; the copy keeps the edits."""
    bundled = _files(EXAMPLE_PROJECT)
    copy = gui.example_workspace()
    (copy / "guidestudio.yaml").write_text(
        (copy / "guidestudio.yaml").read_text("utf-8").replace("Acme", "Mine", 1), "utf-8")
    assert gui.example_workspace() == copy  # reused, not copied over again
    assert "Mine" in (copy / "guidestudio.yaml").read_text("utf-8")
    assert _files(EXAMPLE_PROJECT) == bundled


def test_guidestudio_without_arguments_opens_the_window(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GUIDESTUDIO_EXIT_AFTER_SHOW": "1",
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run([sys.executable, "-m", "guidestudio"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    settings = next((tmp_path / "config").rglob("*.conf")).read_text("utf-8")
    assert "acme-cloud" in settings  # it opened the example and remembered it


def test_a_folder_that_is_not_a_project_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert gui.run_gui(tmp_path / "missing") == 2
    assert gui.run_gui(tmp_path) == 2
    assert "not a Guide Studio project" in capsys.readouterr().err
