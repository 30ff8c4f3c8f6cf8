"""``export``, ``validate`` and ``simulate`` read one consistent state of the project, or
refuse with a message and exit 1 — never a result built from files caught mid-change."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from guidestudio import cli
from guidestudio.core.files import project_io
from tests.conftest import EXAMPLE_PROJECT


@pytest.mark.parametrize("command", [["validate"], ["export", "-o", "OUT"],
                                     ["simulate", "--users", "USERS"]])
def test_a_project_that_keeps_changing_is_refused_with_exit_1(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        command: list[str]) -> None:
    root = tmp_path / "p"
    shutil.copytree(EXAMPLE_PROJECT, root)
    path = root / "guides" / "nps-survey.yaml"
    text = path.read_text(encoding="utf-8")
    writes: list[int] = []

    def open_then_scribble(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        """Another program rewrites the guide each time right after it was read."""
        handle = open(file, mode, *args, **kwargs)
        if str(file) == str(path) and "r" in mode:
            data = handle.read()
            handle.close()
            writes.append(1)
            path.write_text(text.replace("name: ", f"name: {len(writes)} ", 1), encoding="utf-8")
            return io.BytesIO(data)
        return handle

    monkeypatch.setattr(project_io, "open", open_then_scribble, raising=False)
    out = tmp_path / "bundle.json"
    users = tmp_path / "users.jsonl"
    users.write_text('{"id": "u1"}\n', encoding="utf-8")
    swap = {"OUT": str(out), "USERS": str(users)}
    argv = [command[0], str(root), *[swap.get(a, a) for a in command[1:]]]
    assert cli.main(argv) == cli.EXIT_PROBLEMS
    assert "kept changing while they were read" in capsys.readouterr().err
    assert not out.exists()
