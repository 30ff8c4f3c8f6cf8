"""A picture file dropped on the canvas becomes the shown step's picture; the page stays."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from guidestudio.app.main_window import MainWindow
from guidestudio.core.model import Image
from tests.app.screens import wait_for_canvas
from tests.core.test_pictures import PNG
from tests.widgets.preview_support import dom_until
from tests.widgets.test_picture_box import drop

WIN_BACK = "win-back-inactive"
STEP = ("guides", WIN_BACK, "variants", 0, "steps", 0)
#: The step's picture once loaded: "<src> <width in pixels>", else "".
PICTURE_JS = ("(function(){var i=document.querySelector('.gs-root img.gs-image');"
              "return i && i.complete ? i.getAttribute('src') + ' ' + i.naturalWidth : '';})()")


def canvas_target(window: MainWindow) -> QWidget:
    """The widget under the middle of the canvas's web view: what a drop lands on."""
    pane = window.centre.pane
    assert pane is not None and pane.surface is not None
    view = pane.surface.view
    return view.childAt(view.rect().center()) or view


def test_a_picture_dropped_on_the_canvas_goes_to_the_step(window: MainWindow, qtbot,
                                                          tmp_path: Path) -> None:
    doc = window.document
    assert doc is not None and window.tree.select("guide", WIN_BACK)
    wait_for_canvas(qtbot, window)
    page_url = window.centre.pane.surface.view.url()  # type: ignore[union-attr]
    picture = tmp_path / "We missed you.png"
    picture.write_bytes(PNG)

    assert drop(canvas_target(window), picture).isAccepted()

    image = doc.get((*STEP, "image"))
    assert isinstance(image, Image) and image.src.startswith("assets/")
    assert (doc.root / image.src).read_bytes() == PNG
    assert window.inspector_dock.isVisible()
    surface = window.centre.pane.surface  # type: ignore[union-attr]
    assert surface.view.url() == page_url
    # The canvas shows the copied picture, loaded from the project's assets/.
    shown = dom_until(qtbot, surface, PICTURE_JS,
                      lambda answer: f"{Path(image.src).name} " in str(answer))
    assert shown.endswith(" 2")  # the PNG's width in pixels: the file was found and decoded

    report = tmp_path / "notes.txt"
    report.write_text("not a picture")
    drop(canvas_target(window), report)
    step_form = window.editors.current().step_editor  # type: ignore[attr-defined]
    assert "“notes.txt” is not a picture" in step_form.image_box.message.text()
    assert doc.get((*STEP, "image")) == image
