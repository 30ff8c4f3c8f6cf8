"""A picture file dropped on the canvas becomes the shown step's picture; the page stays."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from guidestudio.app.main_window import MainWindow
from guidestudio.core.model import Image
from tests.app.screens import wait_for_canvas
from tests.core.test_pictures import PNG
from tests.widgets.test_picture_box import drop

WIN_BACK = "win-back-inactive"
STEP = ("guides", WIN_BACK, "variants", 0, "steps", 0)


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
    assert window.centre.pane.surface.view.url() == page_url  # type: ignore[union-attr]

    report = tmp_path / "notes.txt"
    report.write_text("not a picture")
    drop(canvas_target(window), report)
    step_form = window.editors.current().step_editor  # type: ignore[attr-defined]
    assert "“notes.txt” is not a picture" in step_form.image_box.message.text()
    assert doc.get((*STEP, "image")) == image
