"""The YAML guards under the oldest PyYAML that pyproject.toml allows.

The suite itself runs on the release uv.lock pins; PyYAML's bundled libyaml
changed its nesting behaviour between releases (6.0.3 refuses > 1,000 levels in
its own words), and someone installing the package as a library gets whatever
the range admits. So the nesting and bad-input tests run again, in a
subprocess, with the floor release put in front of the locked one.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import REPO_ROOT

NESTING_TESTS = [
    "tests/core/test_yaml_fast_path.py::test_nesting_limit_is_the_same_in_both_paths",
    "tests/core/test_yaml_fast_path.py::test_nesting_bombs_that_slipped_past_the_old_guard_are_refused",
    "tests/core/test_bad_input.py::test_absurdly_deep_nesting_is_refused_without_crashing",
]


def _pyyaml_floor() -> str:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for requirement in project["project"]["dependencies"]:
        found = re.fullmatch(r"PyYAML>=([\d.]+)", requirement)
        if found:
            return found.group(1)
    raise AssertionError("pyproject.toml declares no 'PyYAML>=x' floor")


def test_nesting_guard_speaks_our_words_under_the_oldest_allowed_pyyaml(tmp_path: Path) -> None:
    floor = _pyyaml_floor()
    uv = shutil.which("uv", path=str(Path(sys.executable).parent))
    assert uv is not None, "uv is installed in the environment by `make test` (uv.lock)"
    target = tmp_path / "site"
    subprocess.run([uv, "pip", "install", "--quiet", "--python", sys.executable,
                    "--target", str(target), "--no-deps", f"PyYAML=={floor}"],
                   check=True, capture_output=True, text=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), str(REPO_ROOT)])}
    probe = subprocess.run([sys.executable, "-c", "import yaml; print(yaml.__version__)"],
                           env=env, capture_output=True, text=True, check=True)
    assert probe.stdout.strip() == floor  # the floor, not the locked release, is imported
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           *NESTING_TESTS], cwd=REPO_ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert f"{len(NESTING_TESTS)} passed" in done.stdout
