"""The issue's encodings (issue 13, item 8): a good export under latin-1 or cp932 exits 0 and
says so, escaping what the encoding cannot hold; a name typed under LANG=C is kept as typed.
tests/reliability/row_output_encodings.py tries every command in every environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_PROJECT, REPO_ROOT


def run(*args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    base = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "LC_ALL")}
    return subprocess.run([sys.executable, "-m", "guidestudio", *args], capture_output=True,
                          env={**base, **env}, cwd=REPO_ROOT, timeout=300)


@pytest.mark.parametrize("encoding", ["latin-1", "cp932", "ascii"])
def test_export_and_validate_exit_0_and_escape_the_dash(encoding: str, tmp_path: Path) -> None:
    out = tmp_path / "bundle.json"
    done = run("export", str(EXAMPLE_PROJECT), "-o", str(out), PYTHONIOENCODING=encoding)
    assert done.returncode == 0, done.stderr
    assert out.is_file()
    summary = done.stdout.decode(encoding)
    assert "exported 7 guides" in summary and "\\u2014 0 errors" in summary
    done = run("validate", str(EXAMPLE_PROJECT), PYTHONIOENCODING=encoding)
    assert done.returncode == 0 and b"Traceback" not in done.stderr


def test_a_name_typed_under_lang_c_is_kept(tmp_path: Path) -> None:
    done = run("new", str(tmp_path / "p"), "--name", "Überprojekt — 日本", LC_ALL="C",
               PYTHONCOERCECLOCALE="0", PYTHONUTF8="0")
    assert done.returncode == 0, done.stderr
    settings = (tmp_path / "p" / "guidestudio.yaml").read_text("utf-8")
    assert "Überprojekt — 日本" in settings
