"""The flow layout's room check: a widget wraps only when it does not fit what is left of
its row, and the height it asks for is the height it lays out (the canvas's controls)."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QRect, QSize
from PySide6.QtWidgets import QWidget

from guidestudio.widgets.kit.flow_layout import FlowLayout

SPACING = 6


class Box(QWidget):
    """A widget that wants exactly ``size``."""

    def __init__(self, size: QSize) -> None:
        super().__init__()
        self._size = size

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self._size


def flow(qtbot, widths: list[int], margins: QMargins | None = None) -> tuple[QWidget, FlowLayout]:  # type: ignore[no-untyped-def]
    host = QWidget()
    qtbot.addWidget(host)
    layout = FlowLayout(host, spacing=SPACING)
    if margins is not None:
        layout.setContentsMargins(margins)
    for width in widths:
        layout.addWidget(Box(QSize(width, 20)))
    return host, layout


def rows(layout: FlowLayout, width: int) -> list[list[QRect]]:
    layout.setGeometry(QRect(0, 0, width, layout.heightForWidth(width)))
    found: dict[int, list[QRect]] = {}
    for index in range(layout.count()):
        rect = layout.itemAt(index).geometry()
        found.setdefault(rect.y(), []).append(rect)
    return [found[y] for y in sorted(found)]


def test_widgets_that_fit_exactly_share_a_row_and_one_pixel_less_wraps_the_last(qtbot) -> None:
    _host, layout = flow(qtbot, [100, 120, 80])
    exact = 100 + 120 + 80 + 2 * SPACING
    assert [len(row) for row in rows(layout, exact)] == [3]
    assert [len(row) for row in rows(layout, exact - 1)] == [2, 1]
    assert layout.heightForWidth(exact) == 20
    assert layout.heightForWidth(exact - 1) == 20 + SPACING + 20


def test_every_wrap_was_needed_and_nothing_sticks_out(qtbot) -> None:
    widths = [90, 200, 40, 150, 60, 130, 70]
    _host, layout = flow(qtbot, widths)
    for width in range(200, 800, 7):
        laid = rows(layout, width)
        for row in laid:
            assert row[-1].right() < width or len(row) == 1, (width, row)
        for above, below in zip(laid, laid[1:], strict=False):
            assert above[-1].right() + 1 + SPACING + below[0].width() > width, \
                f"at {width} px a widget wrapped that fitted its row"


def test_margins_are_kept_free(qtbot) -> None:
    _host, layout = flow(qtbot, [100, 100], QMargins(8, 4, 8, 4))
    laid = rows(layout, 8 + 100 + SPACING + 100 + 8)
    assert [len(row) for row in laid] == [2]
    assert laid[0][0].topLeft().toTuple() == (8, 4)
    assert layout.heightForWidth(8 + 100 + SPACING + 100 + 8) == 4 + 20 + 4
    assert [len(row) for row in rows(layout, 8 + 100 + SPACING + 100 + 7)] == [1, 1]
