"""``guidestudio preview``: headless screenshots the size of the device, with real pixels."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QImage

if QCoreApplication.instance() is None:  # QtWebEngine asks for it before the app exists
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)

from guidestudio.cli import main  # noqa: E402
from tests.conftest import EXAMPLE_PROJECT, REPO_ROOT  # noqa: E402

TOUR = "trial-conversion-tour"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "guidestudio", *args], capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
                          cwd=REPO_ROOT, timeout=120)


def distinct_colours(image: QImage, step: int = 7) -> int:
    return len({image.pixel(x, y) for x in range(0, image.width(), step)
                for y in range(0, image.height(), step)})


def test_png_is_the_device_size_and_shows_the_guide(tmp_path: Path) -> None:
    out = tmp_path / "tour.png"
    result = run("preview", str(EXAMPLE_PROJECT), "--guide", TOUR, "--device", "phone",
                 "--profile", "emma-free-storage-full", "--png", str(out))
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (390, 844)
    assert distinct_colours(image) > 50  # a page, not a blank or single-colour image
    # The tour opens with a modal over a backdrop: the page behind it is dimmed.
    corner = image.pixelColor(5, image.height() - 5)
    assert corner.lightness() < 200


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    """The example with two guides, so --all stays quick."""
    root = tmp_path / "acme"
    shutil.copytree(EXAMPLE_PROJECT, root)
    for path in (root / "guides").glob("*.yaml"):
        if path.stem not in (TOUR, "storage-almost-full"):
            path.unlink()
    return root


def test_all_writes_every_guide_variant_and_locale_with_an_index(small_project: Path,
                                                                 tmp_path: Path, qapp) -> None:
    outdir = tmp_path / "shots"
    assert main(["preview", str(small_project), "--all", str(outdir), "--device", "phone",
                 "--locale", "en"]) == 0
    names = sorted(p.name for p in outdir.glob("*.png"))
    assert names == [f"storage-almost-full--{v}--en.png" for v in ("a", "b")] + \
        [f"{TOUR}--{v}--en.png" for v in ("full", "short")]
    index = (outdir / "index.html").read_text(encoding="utf-8")
    assert all(f'src="{name}"' in index for name in names)
    banner_a = QImage(str(outdir / "storage-almost-full--a--en.png"))
    banner_b = QImage(str(outdir / "storage-almost-full--b--en.png"))
    assert (banner_a.width(), banner_a.height()) == (390, 844)
    assert banner_a != banner_b  # the two copies of the banner differ on screen


@pytest.mark.parametrize("args", [
    ["--guide", "no-such-guide", "--png", "x.png"],
    ["--guide", TOUR, "--profile", "nobody", "--png", "x.png"],
    ["--guide", TOUR, "--variant", "zzz", "--png", "x.png"],
    ["--guide", TOUR, "--locale", "fr", "--png", "x.png"],
    ["--guide", TOUR, "--step", "9", "--png", "x.png"],
    ["--guide", TOUR],  # neither --png nor --all
    ["--png", "x.png"],  # --png without --guide
])
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", str(EXAMPLE_PROJECT), *args]) == 2
    assert capsys.readouterr().err.startswith("guidestudio: ")


def test_a_guide_that_does_not_compile_exits_1(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "acme"
    shutil.copytree(EXAMPLE_PROJECT, root)
    guide = root / "guides" / f"{TOUR}.yaml"
    guide.write_text(guide.read_text(encoding="utf-8").replace(
        "https://acme.example/billing/upgrade?plan=pro&source=trial-tour", "javascript:alert(1)"),
        encoding="utf-8")
    assert main(["preview", str(root), "--guide", TOUR, "--png", str(tmp_path / "x.png")]) == 1
    err = capsys.readouterr().err
    assert "guides/trial-conversion-tour.yaml" in err and "not allowed" in err
    assert not (tmp_path / "x.png").exists()


def test_plan_covers_guides_variants_and_locales() -> None:
    from guidestudio.core.files.project_io import load_project
    from guidestudio.widgets.preview.shot import plan_shots

    project = load_project(EXAMPLE_PROJECT).project
    everything = plan_shots(project, None, None, None, None, single=False)
    live = [g for g in project.guides.values() if g.status != "archived"]
    assert len(everything) == sum(len(g.variants) for g in live) * len(project.settings.locales)
    only_b = plan_shots(project, None, "b", "ja", 3, single=False)  # where a guide has it
    assert [(j.guide_id, j.variant, j.locale, j.step) for j in only_b] == \
        [("storage-almost-full", "b", "ja", 0)]  # one step: --step is clamped
    one = plan_shots(project, TOUR, None, None, 2, single=True)
    assert [(j.variant, j.locale, j.step) for j in one] == [("short", "en", 1)]
