"""Pictures of the starters, rendered by the runtime off screen and cached by content."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QImage

from guidestudio.app.starter_thumbnails import THUMBNAIL, StarterThumbnails, crop_around
from guidestudio.core.files.project_io import load_project
from guidestudio.core.starters import blank_starter, list_starters, load_starter
from guidestudio.widgets.dialogs.starter_gallery import PICTURE, StarterGalleryDialog, card_icon
from tests.conftest import EXAMPLE_PROJECT

PAGE = QSize(1280, 800)


def test_the_crop_keeps_the_guide_with_some_page_around_it() -> None:
    assert crop_around(PAGE, None) == QRect(0, 0, 1280, 800)
    modal = crop_around(PAGE, [440.0, 300.0, 840.0, 500.0])  # a 400x200 box in the middle
    assert modal.width() * 10 == modal.height() * 16 and modal.width() >= 640
    assert modal.contains(QRect(440, 300, 400, 200))
    corner = crop_around(PAGE, [1100.0, 700.0, 1270.0, 790.0])  # pushed inside the page
    assert QRect(0, 0, 1280, 800).contains(corner) and corner.contains(QRect(1100, 700, 170, 90))
    banner = crop_around(PAGE, [0.0, 0.0, 1280.0, 60.0])
    assert banner == QRect(0, 0, 1280, 800)


def distinct_colours(image: QImage) -> int:
    return len({image.pixel(x, y) for y in range(0, image.height(), 7)
                for x in range(0, image.width(), 7)})


@pytest.fixture
def source(tmp_path: Path, qtbot):  # type: ignore[no-untyped-def]
    thumbnails = StarterThumbnails(tmp_path / "cache")
    yield thumbnails
    thumbnails.stop()


def test_pictures_are_rendered_once_and_cached_by_content(source: StarterThumbnails,
                                                          tmp_path: Path, qtbot) -> None:
    modal = blank_starter("modal")
    play = next(s for s in list_starters() if s.id == "upgrade-prompt")
    assert source.thumbnail(modal) is None
    made: dict[str, Path] = {}
    source.rendered.connect(lambda starter_id, path: made.__setitem__(starter_id, Path(path)))
    source.request([modal, play])
    qtbot.waitUntil(lambda: len(made) == 2 and not source.busy, timeout=60_000)
    assert set(made) == {modal.id, play.id}
    for starter in (modal, play):
        path = source.thumbnail(starter)
        assert path == made[starter.id] and path.parent == tmp_path / "cache"
        image = QImage(str(path))
        assert (image.width(), image.height()) == THUMBNAIL
        assert distinct_colours(image) > 20  # a page with a guide, not a blank frame
    rendered: list[str] = []
    source.rendered.connect(rendered.append)
    source.request([modal, play])  # cached: nothing to do
    assert not source.busy and rendered == []
    # An edited starter is another picture.
    copy = tmp_path / "modal.yaml"
    shutil.copy(modal.path, copy)  # type: ignore[arg-type]
    copy.write_text(copy.read_text("utf-8").replace("Modal title", "Another title"), "utf-8")
    edited = load_starter(copy, blank=True)
    assert source.path_for(edited) != source.path_for(modal)
    assert source.thumbnail(edited) is None


def test_the_gallery_shows_the_pictures_it_has(source: StarterThumbnails, qtbot) -> None:
    modal = blank_starter("modal")
    with qtbot.waitSignal(source.rendered, timeout=60_000):
        source.request([modal])
    project = load_project(EXAMPLE_PROJECT).project
    dialog = StarterGalleryDialog(project, starters=[modal, blank_starter("banner")],
                                  thumbnails=source)
    qtbot.addWidget(dialog)
    placeholder = card_icon(modal.kind, None, PICTURE).pixmap(PICTURE).toImage()
    assert dialog.current_starter() is modal
    shown = dialog.picture.pixmap().toImage()
    assert shown.size() == placeholder.size() or shown.width() <= PICTURE.width()
    assert shown != placeholder and distinct_colours(shown) > 20
    dialog.list.setCurrentRow(1)  # the banner has no picture yet: its tile, until it arrives
    with qtbot.waitSignal(source.rendered, timeout=60_000):
        dialog.show()
    assert distinct_colours(dialog.picture.pixmap().toImage()) > 20
