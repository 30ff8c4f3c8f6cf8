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
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QSizePolicy

ROW_PX = 22  # height of one bar in the funnel, per variant


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
    for name, values in series:
        bar = QBarSet(name)
        bar.append([float(v) for v in reversed(values)])
        bars.append(bar)
    bars.setLabelsVisible(True)
    bars.setLabelsFormat("@value")
    bars.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
    chart.addSeries(bars)
    categories = QBarCategoryAxis()
    categories.append(list(reversed(stages)))
    values = QValueAxis()
    values.setLabelFormat("%d")
    top = max((v for _, vs in series for v in vs), default=0)
    values.setRange(0, max(top * 1.15, 1))
    values.applyNiceNumbers()
    for axis, side in ((categories, Qt.AlignmentFlag.AlignLeft),
                       (values, Qt.AlignmentFlag.AlignBottom)):
        _style_axis(axis)
        chart.addAxis(axis, side)
        bars.attachAxis(axis)
    for bar in bars.barSets():
        bar.setLabelColor(QApplication.palette().color(QPalette.ColorRole.Text))
    chart.legend().setVisible(len(series) > 1)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    rows = len(stages) * max(len(series), 1)
    return _view(chart, 90 + ROW_PX * rows + (24 if len(series) > 1 else 0))


def _msecs(day: date) -> float:
    return float(QDateTime(datetime.combine(day, time(12))).toMSecsSinceEpoch())


def daily_chart(lines: list[tuple[str, list[tuple[date, int]]]]) -> QChartView:
    """One line per (variant, measure) over the days, e.g. "a · shown"."""
    chart = _chart("Per day: people shown and people who completed")
    days = sorted({d for _, points in lines for d, _ in points})
    x = QDateTimeAxis()
    x.setFormat("d MMM")
    y = QValueAxis()
    y.setLabelFormat("%d")
    top = max((n for _, points in lines for _, n in points), default=0)
    y.setRange(0, max(top * 1.1, 1))
    y.applyNiceNumbers()
    if days:
        x.setRange(QDateTime.fromMSecsSinceEpoch(int(_msecs(days[0]))),
                   QDateTime.fromMSecsSinceEpoch(int(_msecs(days[-1]) + (0 if len(days) > 1
                                                                         else 86_400_000))))
        x.setTickCount(min(max(len(days), 2), 8))
    for axis, side in ((x, Qt.AlignmentFlag.AlignBottom), (y, Qt.AlignmentFlag.AlignLeft)):
        _style_axis(axis)
        chart.addAxis(axis, side)
    for name, points in lines:
        line = QLineSeries()
        line.setName(name)
        for day, n in points:
            line.append(_msecs(day), float(n))
        line.setPointsVisible(len(points) < 40)
        chart.addSeries(line)
        line.attachAxis(x)
        line.attachAxis(y)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return _view(chart, 260)


def scores_chart(series: list[tuple[str, list[int]]]) -> QChartView:
    """People per survey score 0-10, a bar set per variant."""
    chart = _chart("Survey scores (each person's latest answer)")
    bars = QBarSeries()
    for name, scores in series:
        bar = QBarSet(name)
        bar.append([float(n) for n in scores])
        bar.setLabelColor(QApplication.palette().color(QPalette.ColorRole.Text))
        bars.append(bar)
    bars.setLabelsVisible(True)
    bars.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
    chart.addSeries(bars)
    x = QBarCategoryAxis()
    x.append([str(i) for i in range(11)])
    y = QValueAxis()
    y.setLabelFormat("%d")
    top = max((n for _, s in series for n in s), default=0)
    y.setRange(0, max(top * 1.2, 1))
    for axis, side in ((x, Qt.AlignmentFlag.AlignBottom), (y, Qt.AlignmentFlag.AlignLeft)):
        _style_axis(axis)
        chart.addAxis(axis, side)
        bars.attachAxis(axis)
    chart.legend().setVisible(len(series) > 1)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return _view(chart, 220)
