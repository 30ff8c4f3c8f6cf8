"""The desktop build's smoke check reads PNGs without Qt (desktop/check_dist.py): its pixels
must be Qt's, or "a real, non-blank preview" would mean nothing. (`make dist` itself is too
slow for the suite; this keeps the checker honest.)"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter

from tests.conftest import REPO_ROOT


@pytest.fixture(scope="module")
def check_dist() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_dist",
                                                  REPO_ROOT / "desktop" / "check_dist.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def picture(image_format: QImage.Format, blank: bool) -> QImage:
    image = QImage(97, 61, image_format)
    image.fill(QColor("white"))
    if not blank:
        painter = QPainter(image)
        gradient = QLinearGradient(0, 0, 97, 61)
        gradient.setColorAt(0, QColor("#1d4ed8"))
        gradient.setColorAt(1, QColor(250, 160, 20, 128))
        painter.fillRect(5, 3, 80, 50, gradient)
        painter.drawText(10, 30, "Welcome")
        painter.end()
    return image


@pytest.mark.parametrize("image_format", [QImage.Format.Format_RGB32,
                                          QImage.Format.Format_ARGB32])
def test_png_pixels_are_the_ones_qt_wrote(check_dist: ModuleType, tmp_path: Path, qapp,
                                          image_format: QImage.Format) -> None:
    path = tmp_path / "shot.png"
    assert picture(image_format, blank=False).save(str(path))
    image = QImage(str(path))  # what Qt reads back from its own file
    width, height, pixels = check_dist.png_pixels(path.read_bytes())
    assert (width, height) == (97, 61)
    expected = [bytes(image.pixelColor(x, y).getRgb()[:3])
                for y in range(height) for x in range(width)]
    assert pixels == expected
    assert len(set(pixels)) > 50


def test_a_blank_image_has_one_colour(check_dist: ModuleType, tmp_path: Path, qapp) -> None:
    path = tmp_path / "blank.png"
    assert picture(QImage.Format.Format_RGB32, blank=True).save(str(path))
    assert len(set(check_dist.png_pixels(path.read_bytes())[2])) == 1
    with pytest.raises(check_dist.Failed):
        check_dist.png_pixels(b"GIF89a" + bytes(20))
