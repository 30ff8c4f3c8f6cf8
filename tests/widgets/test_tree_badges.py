"""Error and warning badges on the project tree's rows, kept in step with the problems."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from guidestudio.app.document import Document
from guidestudio.widgets.project.tree import BADGE_COLORS, ProjectTree
from guidestudio.widgets.project.tree_model import BADGE_ROLE, Badge
from tests.conftest import EXAMPLE_PROJECT

NPS = "nps-survey"
SEGMENTS = ("guides", NPS, "audience", "segments")


@pytest.fixture
def document(tmp_path: Path) -> Document:
    shutil.copytree(EXAMPLE_PROJECT, tmp_path / "p")
    return Document.open(tmp_path / "p")


@pytest.fixture
def tree(document: Document, qtbot) -> ProjectTree:  # type: ignore[no-untyped-def]
    view = ProjectTree()
    qtbot.addWidget(view)
    view.set_document(document)
    view.resize(320, 700)
    view.show()
    qtbot.waitExposed(view)
    return view


def badge(tree: ProjectTree, kind: str, key: str) -> Badge | None:
    return tree.model.index_for(kind, key).data(BADGE_ROLE)


def has_colour(image: QImage, colour: QColor) -> bool:
    return any(image.pixelColor(x, y) == colour
               for y in range(image.height()) for x in range(image.width()))


def row_image(tree: ProjectTree, kind: str, key: str) -> QImage:
    index = tree.proxy.mapFromSource(tree.model.index_for(kind, key))
    tree.view.scrollTo(index)
    rect = tree.view.visualRect(index)
    return tree.view.viewport().grab(rect).toImage()


def test_rows_show_their_problems_and_follow_them(tree: ProjectTree, document: Document,
                                                  qtbot) -> None:
    assert badge(tree, "segment", "pro-plan") == Badge(0, 1)  # "not used by any guide"
    assert badge(tree, "guide", NPS) is None
    assert has_colour(row_image(tree, "segment", "pro-plan"), BADGE_COLORS["warning"])
    assert not has_colour(row_image(tree, "guide", NPS), BADGE_COLORS["error"])
    changed: list[str] = []
    tree.model.dataChanged.connect(lambda first, _last, _roles=(): changed.append(
        first.data(BADGE_ROLE) and first.internalPointer().key))
    with qtbot.waitSignal(document.problemsChanged, timeout=10_000):
        document.set_value(SEGMENTS, ["no-such-segment"])  # an unknown segment: an error
    assert badge(tree, "guide", NPS) == Badge(1, 0)
    assert "nps-survey" in changed and "pro-plan" not in changed  # only the row that changed
    assert has_colour(row_image(tree, "guide", NPS), BADGE_COLORS["error"])
    assert "error" in tree.model.index_for("guide", NPS).data(3)  # the tooltip says it too
    with qtbot.waitSignal(document.problemsChanged, timeout=10_000):
        document.undo_stack.undo()
    assert badge(tree, "guide", NPS) is None
