"""The wheel is the whole application: built from the source, installed into a fresh
environment outside the source tree, it validates, exports, renders a preview and opens
the window from an unrelated folder, with nothing read from the checkout.

The fresh environment reuses the dependencies already installed in the test's
environment instead of downloading PySide6 again: a ``.pth`` file appends that
environment's site-packages folder. Python adds such a path without processing
the ``.pth`` files inside it, so the editable install of this checkout that lives
there is not picked up — the test asserts the ``guidestudio`` it runs is the
wheel's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from guidestudio.cli import main
from guidestudio.core.resources import RUNTIME_DIR
from tests.cli.test_preview_cli import TOUR, distinct_colours
from tests.conftest import EXAMPLE_PROJECT, REPO_ROOT

BIN = Path(sys.executable).parent
TIMEOUT = 180


def shipped_files() -> list[str]:
    """Every file of the package in the checkout (committed or not, unless git-ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--",
         "guidestudio", "pyproject.toml", "README.md"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
    return sorted(name for name in set(listed.split("\0"))
                  if name and (REPO_ROOT / name).is_file())


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None,
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=TIMEOUT)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built from a copy of the checkout's files, so the build leaves nothing in it."""
    source = tmp_path_factory.mktemp("source")
    for name in shipped_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheelhouse")
    # The tests point XDG_CACHE_HOME at a temp folder; the build backend comes from
    # uv's usual cache (where `make setup` put it) instead of the network.
    env = {**os.environ, "UV_CACHE_DIR": os.environ.get(
        "UV_CACHE_DIR", str(Path.home() / ".cache" / "uv"))}
    built = run([str(BIN / "uv"), "build", "--wheel", "--quiet", "--out-dir", str(out),
                 str(source)], cwd=source, env=env)
    assert built.returncode == 0, built.stderr
    (path,) = out.glob("*.whl")
    return path


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment holding the wheel; its dependencies are this one's."""
    venv = tmp_path_factory.mktemp("installed") / "venv"
    made = run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=venv.parent)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    site = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                    cwd=venv.parent).stdout.strip())
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    done = run([str(BIN / "uv"), "pip", "install", "--quiet", "--offline", "--no-deps",
                "--python", str(python), str(wheel)], cwd=venv.parent)
    assert done.returncode == 0, done.stderr
    return venv


@pytest.fixture
def elsewhere(tmp_path: Path) -> dict[str, str]:
    """An environment with no trace of the checkout: no PYTHONPATH, its own settings."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    env.update(XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    return env


def test_the_wheel_holds_the_guidestudio_package_and_every_file_of_it(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert {name.split("/")[0] for name in names} == {"guidestudio",
                                                      "guidestudio-0.1.0.dist-info"}
    packaged = sorted(name for name in names if name.startswith("guidestudio/"))
    assert packaged == [name for name in shipped_files() if name.startswith("guidestudio/")]


def test_the_installed_wheel_works_from_any_folder(installed: Path, tmp_path: Path,
                                                   elsewhere: dict[str, str]) -> None:
    python, guidestudio = installed / "bin" / "python", installed / "bin" / "guidestudio"
    where = run([str(python), "-c", "import guidestudio\nfrom guidestudio.core.resources import "
                 "EXAMPLE_PROJECT\nprint(guidestudio.__file__)\nprint(EXAMPLE_PROJECT)"],
                cwd=tmp_path, env=elsewhere)
    assert where.returncode == 0, where.stderr
    module, example = (Path(line) for line in where.stdout.splitlines())
    assert module.is_relative_to(installed) and example.is_relative_to(installed)
    assert example.is_dir()

    checked = run([str(guidestudio), "validate", str(example)], cwd=tmp_path, env=elsewhere)
    assert checked.returncode == 0, checked.stderr
    assert "Acme Cloud: 10 guides" in checked.stdout and "0 errors" in checked.stdout

    exported = run([str(guidestudio), "export", str(example), "-o", "bundle.json",
                    "--runtime", "runtime"], cwd=tmp_path, env=elsewhere)
    assert exported.returncode == 0, exported.stderr
    assert main(["export", str(EXAMPLE_PROJECT), "-o", str(tmp_path / "tree.json")]) == 0
    assert (tmp_path / "bundle.json").read_bytes() == (tmp_path / "tree.json").read_bytes()
    copied = {p.name: p.read_bytes() for p in (tmp_path / "runtime").iterdir()}
    assert "guide-runtime.js" in copied
    assert b'"name": "@guidestudio/runtime"' in copied.pop("package.json")  # written, not copied
    assert copied == {name: (RUNTIME_DIR / name).read_bytes() for name in copied}

    shot = run([str(guidestudio), "preview", str(example), "--guide", TOUR, "--device", "phone",
                "--png", "tour.png"], cwd=tmp_path, env=elsewhere)
    assert shot.returncode == 0, shot.stderr
    image = QImage(str(tmp_path / "tour.png"))
    assert (image.width(), image.height()) == (390, 844)
    assert distinct_colours(image) > 50  # the demo page and the guide, not a blank image


def test_the_installed_wheel_opens_the_window(installed: Path, tmp_path: Path,
                                              elsewhere: dict[str, str]) -> None:
    env = {**elsewhere, "QT_QPA_PLATFORM": "offscreen", "GUIDESTUDIO_EXIT_AFTER_SHOW": "1"}
    done = run([str(installed / "bin" / "guidestudio")], cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    settings = next((tmp_path / "config").rglob("*.conf")).read_text("utf-8")
    assert "acme-cloud" in settings  # it opened (the user's copy of) the bundled example
    copy = next((tmp_path / "data").rglob("acme-cloud"))
    assert (copy / "guidestudio.yaml").is_file()
