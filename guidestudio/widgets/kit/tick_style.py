"""Tick boxes that show on a dark palette, in widgets that hold other widgets.

Fusion outlines a tick box in a shade of its widget's window colour, which on
the dark palette is as dark as the field around it: an unticked box showed
nothing to tick. Plain tick boxes and radio buttons get a palette of their own
(``app/theme.py``), but a palette set on a checkable group box or a checkable
list would reach every widget inside it. Those few widgets get this style
instead: Fusion, plus an outline around each tick box when the palette is dark.
It is set on them only (a widget's style does not reach its children): drawn
through Python, it would double the painting time of a whole window.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QWidget

#: The outline of tick boxes and radio buttons on a dark palette.
DARK_TICK_OUTLINE = QColor("#8b8f96")
_ROUND = {QStyle.PrimitiveElement.PE_IndicatorCheckBox: False,
          QStyle.PrimitiveElement.PE_IndicatorRadioButton: True}


class TickOutlineStyle(QProxyStyle):
    """The application's style, with tick boxes outlined on dark palettes."""

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,  # noqa: N802
                      painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        round_ = _ROUND.get(element)
        if round_ is None or option.palette.color(QPalette.ColorRole.Base).lightness() >= 128:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(DARK_TICK_OUTLINE)
        rect = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        if round_:
            painter.drawEllipse(rect)
        else:
            painter.drawRoundedRect(rect, 2, 2)
        painter.restore()


_shared: list[TickOutlineStyle] = []


def outline_ticks(widget: QWidget) -> None:
    """Give ``widget`` (a checkable group box or list) tick boxes that show when dark."""
    if not _shared:
        style = TickOutlineStyle()
        style.setParent(QCoreApplication.instance())  # lives as long as the application
        _shared.append(style)
    widget.setStyle(_shared[0])
