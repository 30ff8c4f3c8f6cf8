"""The Results view's charts, drawn with QtCharts (PySide6's add-ons, already installed).

Each function returns a ``QChartView`` sized for the rows it shows. Colours follow the
application's palette (light or dark) so a chart never sits as a white slab on the dark
theme; series keep QtCharts' own palette, which tells variants apart in both.
"""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QSizePolicy

ROW_PX = 15  # height of one bar in the funnel, per variant
#: Okabe and Ito's colour-blind-safe palette for the variants, in the guide's order; the
#: control group (which sees nothing) is grey. The same variant has the same colour in
#: every chart of the page.
VARIANT_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
CONTROL_COLOUR = "#8a93a3"


def colours(names: list[str]) -> dict[str, QColor]:
    out, i = {}, 0
    for name in names:
        if name == "control":
            out[name] = QColor(CONTROL_COLOUR)
        else:
            out[name] = QColor(VARIANT_COLOURS[i % len(VARIANT_COLOURS)])
            i += 1
    return out


def _dark() -> bool:
    return QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def _chart(title: str) -> QChart:
    chart = QChart()
    themes = QChart.ChartTheme
    chart.setTheme(themes.ChartThemeDark if _dark() else themes.ChartThemeLight)
    palette = QApplication.palette()
    chart.setBackgroundBrush(palette.color(QPalette.ColorRole.Base))
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setBold(True)
    chart.setTitleFont(font)
    chart.setTitleBrush(palette.color(QPalette.ColorRole.Text))
    chart.legend().setLabelColor(palette.color(QPalette.ColorRole.Text))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


def _style_axis(axis: object) -> None:
    palette = QApplication.palette()
    axis.setLabelsColor(palette.color(QPalette.ColorRole.Text))  # type: ignore[attr-defined]
    grid = QColor(palette.color(QPalette.ColorRole.Mid))
    grid.setAlpha(90)
    axis.setGridLineColor(grid)  # type: ignore[attr-defined]


def _count_axis(axis: QValueAxis, top: float) -> None:
    """An axis of people: whole numbers only, even when there are very few."""
    axis.setLabelFormat("%d")
    if top <= 8:
        high = max(int(top) + 1, 2)
        axis.setRange(0, high)
        axis.setTickCount(high + 1)
    else:
        axis.setRange(0, top * 1.12)
        axis.applyNiceNumbers()


def _view(chart: QChart, height: int) -> QChartView:
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(height)
    view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    view.setFixedHeight(height)
    return view


def funnel_chart(stages: list[str], series: list[tuple[str, list[int]]]) -> QChartView:
    """Horizontal bars, one group per stage (top to bottom) and a bar per variant."""
    chart = _chart("Funnel: people at each stage")
    bars = QHorizontalBarSeries()
    bars.setBarWidth(0.8)
    colour = colours([name for name, _ in series])
    for name, values in reversed(series):  # drawn bottom up: the first variant on top
        bar = QBarSet(name)
        bar.append([float(v) for v in reversed(values)])
        bar.setColor(colour[name])
        bar.setBorderColor(colour[name])
        bars.append(bar)
    bars.setLabelsVisible(True)
    bars.setLabelsFormat("@value")
    bars.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
    chart.addSeries(bars)
    categories = QBarCategoryAxis()
    categories.append(list(reversed(stages)))
    values = QValueAxis()
    _count_axis(values, max((v for _, vs in series for v in vs), default=0))
    for axis, side in ((categories, Qt.AlignmentFlag.AlignLeft),
                       (values, Qt.AlignmentFlag.AlignBottom)):
        _style_axis(axis)
        chart.addAxis(axis, side)
        bars.attachAxis(axis)
    for bar in bars.barSets():
        bar.setLabelColor(QApplication.palette().color(QPalette.ColorRole.Text))
    chart.legend().setVisible(len(series) > 1)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    per_stage = max(ROW_PX * max(len(series), 1) + 6, 26)  # room for the stage's name
    return _view(chart, 80 + per_stage * len(stages) + (24 if len(series) > 1 else 0))


def _msecs(day: date) -> float:
    return float(QDateTime(datetime.combine(day, time(12))).toMSecsSinceEpoch())


def daily_chart(lines: list[tuple[str, str, list[tuple[date, int]]]],
                order: list[str]) -> QChartView:
    """Per variant, people shown (solid) and people who completed (dashed), over the days:
    (variant, measure, points); ``order``: the variants as the funnel lists them, so each
    keeps its colour."""
    chart = _chart("Per day: people shown and people who completed")
    days = sorted({d for _, _, points in lines for d, _ in points})
    x = QDateTimeAxis()
    x.setFormat("d MMM")
    y = QValueAxis()
    _count_axis(y, max((n for _, _, points in lines for _, n in points), default=0))
    if days:
        x.setRange(QDateTime.fromMSecsSinceEpoch(int(_msecs(days[0]))),
                   QDateTime.fromMSecsSinceEpoch(int(_msecs(days[-1]) + (0 if len(days) > 1
                                                                         else 86_400_000))))
        x.setTickCount(min(max(len(days), 2), 8))
    for axis, side in ((x, Qt.AlignmentFlag.AlignBottom), (y, Qt.AlignmentFlag.AlignLeft)):
        _style_axis(axis)
        chart.addAxis(axis, side)
    drawn = list(dict.fromkeys(variant for variant, _, _ in lines))
    colour = colours([*order, *(v for v in drawn if v not in order)])
    several = len(drawn) > 1
    for variant, measure, points in lines:
        line = QLineSeries()
        line.setName(f"{variant} · {measure}" if several else measure)
        pen = QPen(colour[variant], 2)
        if measure != "shown":
            pen.setStyle(Qt.PenStyle.DashLine)
        line.setPen(pen)
        line.setColor(colour[variant])
        for day, n in points:
            line.append(_msecs(day), float(n))
        line.setPointsVisible(len(points) < 40)
        chart.addSeries(line)
        line.attachAxis(x)
        line.attachAxis(y)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return _view(chart, 260)


def scores_chart(series: list[tuple[str, list[int]]], order: list[str]) -> QChartView:
    """People per survey score 0-10, a bar set per variant."""
    chart = _chart("Survey scores (each person's latest answer)")
    bars = QBarSeries()
    colour = colours([*order, *(n for n, _ in series if n not in order)])
    for name, scores in series:
        bar = QBarSet(name)
        bar.setColor(colour[name])
        bar.setBorderColor(colour[name])
        bar.append([float(n) for n in scores])
        bar.setLabelColor(QApplication.palette().color(QPalette.ColorRole.Text))
        bars.append(bar)
    bars.setLabelsVisible(True)
    bars.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
    chart.addSeries(bars)
    x = QBarCategoryAxis()
    x.append([str(i) for i in range(11)])
    y = QValueAxis()
    _count_axis(y, max((n for _, s in series for n in s), default=0))
    for axis, side in ((x, Qt.AlignmentFlag.AlignBottom), (y, Qt.AlignmentFlag.AlignLeft)):
        _style_axis(axis)
        chart.addAxis(axis, side)
        bars.attachAxis(axis)
    chart.legend().setVisible(len(series) > 1)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return _view(chart, 220)
