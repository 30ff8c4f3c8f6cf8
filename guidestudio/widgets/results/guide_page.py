"""One guide's results: funnel, days, missing anchors, survey, checklist and experiment.

Built afresh from a ``GuideResult`` (and the guide as it is now, for step names and
checklist labels) each time the results or the chosen guide change: a page holds no
state of its own. Every figure comes from ``core/results`` and is written by
``summary``; a row about a missing anchor opens that step in the editor.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core.model import Guide
from guidestudio.widgets.results import charts
from guidestudio.widgets.results.summary import (
    count,
    interval,
    pct,
    points,
    share,
    totals,
    verdict,
)

NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
EXPERIMENT_COLUMNS = ("Arm", "Split", "People", "Reached goal", "Rate", "Change (95 %)",
                      "Lift (95 %)", "Chance to beat", "Risk", "Lift, drawn")
EXPERIMENT_TIPS = (
    "The experiment's arms; the control group sees no guide", "The configured share",
    "People who entered the experiment in this arm (their first exposure)",
    "People who reached the goal within the goal window after entering",
    "Reached goal ÷ people",
    "The rate's difference from control in percentage points, with its 95 % interval",
    "The rate's change relative to control, with its 95 % interval (delta method)",
    "The chance this arm's true rate is above control's (Bayesian, uniform prior)",
    "Expected loss: the rate given up, on average, by choosing this arm if control is "
    "in fact better",
    "The lift's 95 % interval, drawn on one scale; the dashed line is no change")
#: The relative lift's interval, drawn: (low, estimate, high) in the cell's user role.
INTERVAL_ROLE = Qt.ItemDataRole.UserRole + 1
GOOD, BAD = ("#2e7d32", "#81c784"), ("#c62828", "#ef9a9a")  # (light, dark)


class FittedTable(QTableWidget):
    """A read-only table exactly as tall as its rows, plus a scroll bar only while the
    columns are wider than the page (the page scrolls, not the table)."""

    def __init__(self, rows: int, columns: int, parent: QWidget | None = None) -> None:
        super().__init__(rows, columns, parent)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.horizontalScrollBar().rangeChanged.connect(self.fit_height)

    def fit_height(self, *_: Any) -> None:
        height = self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth()
        height += sum(self.verticalHeader().sectionSize(r) for r in range(self.rowCount()))
        if self.horizontalScrollBar().maximum() > 0:
            height += self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(height + 2)


class IntervalDelegate(QStyledItemDelegate):
    """Each arm's relative lift as a line from the interval's low to high end with a dot
    at the estimate, on one scale for the table, with zero marked: an interval clear of
    zero is green (above) or red (below)."""

    def __init__(self, scale: tuple[float, float], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.low, self.high = scale

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:
        return QSize(110, super().sizeHint(option, index).height())

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        super().paint(painter, option, index)
        value = index.data(INTERVAL_ROLE)
        rect = option.rect.adjusted(10, 4, -10, -4)
        if rect.width() < 20:
            return
        span = (self.high - self.low) or 1.0

        def x(v: float) -> float:
            return rect.left() + (v - self.low) / span * rect.width()

        dark = option.palette.color(QPalette.ColorRole.Base).lightness() < 128
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        mid = rect.center().y()
        zero = QColor(option.palette.color(QPalette.ColorRole.Text))
        zero.setAlpha(110)
        painter.setPen(QPen(zero, 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(x(0.0), rect.top()), QPointF(x(0.0), rect.bottom()))
        if value is not None:
            low, estimate, high = value
            colour = (QColor(GOOD[dark]) if low > 0 else QColor(BAD[dark]) if high < 0
                      else option.palette.color(QPalette.ColorRole.Text))
            painter.setPen(QPen(colour, 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawLine(QPointF(x(low), mid), QPointF(x(high), mid))
            painter.setBrush(colour)
            painter.drawEllipse(QPointF(x(estimate), mid), 4, 4)
        painter.restore()


def label(text: str, parent: QWidget | None = None, rich: bool = False) -> QLabel:
    out = QLabel(text, parent)
    out.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    out.setWordWrap(True)
    out.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return out


def table(headers: list[str], rows: list[list[str]], parent: QWidget | None = None,
          numbers_from: int = 1) -> QTableWidget:
    """A read-only table sized to its rows; columns from ``numbers_from`` right-aligned."""
    out = FittedTable(len(rows), len(headers), parent)
    out.setHorizontalHeaderLabels(headers)
    out.verticalHeader().setVisible(False)
    out.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    out.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    out.setWordWrap(False)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c >= numbers_from:
                item.setTextAlignment(NUMBER)
            out.setItem(r, c, item)
    header = out.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    out.fit_height()
    return out


def banner(text: str, severity: str, parent: QWidget | None = None) -> QLabel:
    """A coloured line that must not be missed: "warning" (amber) or "info" (blue)."""
    out = label(text, parent)
    colour = "#b26a00" if severity == "warning" else "#1f6fb2"
    out.setStyleSheet(f"QLabel {{ border-left: 4px solid {colour}; padding: 6px 8px; "
                      f"font-weight: bold; }}")
    out.setObjectName(f"banner-{severity}")
    return out


def stages(guide: Guide | None, result: Any) -> list[tuple[str, str, int | None]]:
    """(label, funnel attribute or "step", step index) rows, in the order people go."""
    out: list[tuple[str, str, int | None]] = []
    has_experiment = result.experiment is not None or any(f.entered for f in result.variants)
    if has_experiment:
        out.append(("Entered the experiment", "entered", None))
    out.append(("Shown", "shown", None))
    steps = max((len(f.steps) for f in result.variants), default=0)
    if steps > 1:
        out += [(f"Step {i + 1}", "step", i) for i in range(steps)]
    out += [("Completed", "completed", None), ("Dismissed", "dismissed", None)]
    if any(f.snoozed for f in result.variants):
        out.append(("Snoozed", "snoozed", None))
    out.append(("Clicked a button's link (CTA)", "cta_clicked", None))
    if guide is None or guide.goal is not None or any(f.goal for f in result.variants):
        goal = guide.goal.event if guide is not None and guide.goal else "goal"
        out.append((f"Reached the goal ({goal})", "goal", None))
    return out


def stage_value(funnel: Any, attr: str, step: int | None) -> int:
    if attr == "step":
        assert step is not None
        return funnel.steps[step] if step < len(funnel.steps) else 0
    return int(getattr(funnel, attr))


class GuidePage(QWidget):
    """See the module docstring."""

    #: (guide id, variant index, step index): show that step in the editor.
    stepRequested = Signal(str, int, int)

    def __init__(self, guide: Guide | None, result: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.guide, self.result = guide, result
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        self.survey_label: QLabel | None = None
        self.checklist_table: QTableWidget | None = None
        self.experiment_table: QTableWidget | None = None
        self.summary = self._summary(layout)
        # What the marketer came for first: the experiment's answer, then the funnel.
        if result.experiment is not None:
            self._experiment(layout, result.experiment)
        if result.surveys or (guide is not None and guide.kind == "survey"):
            self._survey(layout)
        if result.checklist or (guide is not None and guide.kind == "checklist"):
            self._checklist(layout)
        self.funnel_table = self._funnel(layout)
        self._daily(layout)
        self.anchors_table = self._anchors(layout)
        layout.addStretch(1)

    def _group(self, title: str, layout: QVBoxLayout) -> QVBoxLayout:
        box = QGroupBox(title, self)
        inner = QVBoxLayout(box)
        layout.addWidget(box)
        return inner

    def _summary(self, layout: QVBoxLayout) -> QLabel:
        t = totals(self.result)
        parts = [f"Shown to {count(t['shown'])} people",
                 f"{count(t['completed'])} completed ({pct(share(t['completed'], t['shown']))})"]
        if self.guide is None or self.guide.goal is not None:
            parts.append(f"{count(t['goal'])} reached the goal "
                         f"({pct(share(t['goal'], t['shown']))})")
        if self.result.step_errors:
            missing = sum(e.users for e in self.result.step_errors)
            parts.append(f"{count(missing)} met a missing anchor")
        said = verdict(self.result.experiment)
        if said:
            parts.append(f"experiment: {said}")
        out = label(" · ".join(parts), self)
        out.setObjectName("guideSummary")
        layout.addWidget(out)
        return out

    # --- the funnel ------------------------------------------------------------------

    def _funnel(self, layout: QVBoxLayout) -> QTableWidget:
        inner = self._group("Funnel", layout)
        rows = stages(self.guide, self.result)
        variants = self.result.variants
        names = [f.variant or "—" for f in variants]
        inner.addWidget(charts.funnel_chart(
            [r[0] for r in rows],
            [(n, [stage_value(f, a, s) for _, a, s in rows]) for n, f in zip(names, variants,
                                                                           strict=True)]))
        multi = len(variants) > 1
        shown = [f for f in variants if f.shown]  # control is never shown: people only
        headers = ["Stage"]
        for f, n in zip(variants, names, strict=True):
            prefix = f"{n}: " if multi else ""
            headers.append(f"{prefix}people")
            if f.shown:
                headers += [f"{prefix}of shown", f"{prefix}drop-off"]
        body = []
        for text, attr, step in rows:
            row = [text]
            for f in variants:
                has_step = attr != "step" or (step is not None and step < len(f.steps))
                value = stage_value(f, attr, step)
                row.append(count(value) if has_step else "")
                if f not in shown:
                    continue
                lost = ""
                if attr == "step" and step and has_step:
                    drop = f.drop_off[step] if step < len(f.drop_off) else None
                    lost = pct(drop) if drop is not None else "—"
                of_shown = ("" if attr in ("entered", "shown") or not has_step
                            else pct(share(value, f.shown)))
                row += [of_shown, lost]
            body.append(row)
        out = table(headers, body, self)
        out.setObjectName("funnelTable")
        inner.addWidget(out)
        return out

    def _daily(self, layout: QVBoxLayout) -> None:
        inner = self._group("Per day", layout)
        if not self.result.daily:
            inner.addWidget(label("Nobody was shown this guide on any day of these events.",
                                  self))
            return
        lines: dict[tuple[str, str], list[Any]] = {}
        for variant, day, shown, completed in self.result.daily:
            name = variant or "—"
            lines.setdefault((name, "shown"), []).append((day, shown))
            lines.setdefault((name, "completed"), []).append((day, completed))
        order = [f.variant or "—" for f in self.result.variants]
        lines = dict(sorted(lines.items(), key=lambda kv: (
            order.index(kv[0][0]) if kv[0][0] in order else len(order), kv[0][1] != "shown")))
        inner.addWidget(charts.daily_chart([(v, m, p) for (v, m), p in lines.items()], order))

    # --- missing anchors ------------------------------------------------------------

    def _anchors(self, layout: QVBoxLayout) -> QTableWidget | None:
        inner = self._group("Anchors missing in production", layout)
        errors = self.result.step_errors
        if not errors:
            inner.addWidget(label("No step reported a missing anchor.", self))
            return None
        inner.addWidget(label("Steps whose element was not on the page when the guide wanted "
                              "to point at it. Open the step to change its anchor.", self))
        rows = [[e.variant or "—", "?" if e.step is None else str(e.step + 1),
                 e.selector or "—", e.reason or "—", count(e.users), count(e.errors), ""]
                for e in errors]
        out = table(["Variant", "Step", "Selector", "Reason", "People", "Times", ""], rows, self,
                    numbers_from=4)
        out.setObjectName("anchorsTable")
        for r, e in enumerate(errors):
            place = self._step_place(e.variant, e.step)
            if place is None:
                continue
            button = QPushButton("Open step", out)
            button.setToolTip(f"Show step {place[1] + 1} of variant {e.variant} in the editor")
            button.clicked.connect(lambda _=False, p=place: self.stepRequested.emit(
                self.result.guide_id, *p))
            out.setCellWidget(r, 6, button)
        out.horizontalHeader().setStretchLastSection(False)
        out.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        inner.addWidget(out)
        return out

    def _step_place(self, variant: str | None, step: int | None) -> tuple[int, int] | None:
        guide = self.guide
        if guide is None or step is None:
            return None
        keys = [v.key for v in guide.variants]
        index = keys.index(variant) if variant in keys else 0 if len(keys) == 1 else None
        if index is None or not 0 <= step < len(guide.variants[index].steps):
            return None
        return index, step

    # --- survey and checklist -------------------------------------------------------

    def _survey(self, layout: QVBoxLayout) -> None:
        inner = self._group("Survey", layout)
        if not self.result.surveys:
            inner.addWidget(label("No answers in these events yet.", self))
            return
        lines = []
        for s in self.result.surveys:
            promoters, detractors = sum(s.scores[9:]), sum(s.scores[:7])
            nps = "—" if s.nps is None else f"{s.nps:+.0f}"
            who = f"{s.variant}: " if len(self.result.surveys) > 1 else ""
            lines.append(f"{who}NPS {nps} — {count(s.responses)} answers: {count(promoters)} "
                         f"promoters (9–10), {count(s.responses - promoters - detractors)} "
                         f"passives (7–8), {count(detractors)} detractors (0–6)")
        self.survey_label = label("\n".join(lines), self)
        self.survey_label.setObjectName("npsLabel")
        font = self.survey_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.survey_label.setFont(font)
        inner.addWidget(self.survey_label)
        inner.addWidget(charts.scores_chart([(s.variant or "—", s.scores)
                                             for s in self.result.surveys],
                                            [f.variant or "—" for f in self.result.variants]))

    def _checklist(self, layout: QVBoxLayout) -> None:
        inner = self._group("Checklist items done", layout)
        labels = {}
        if self.guide is not None:
            for v in self.guide.variants:
                for step in v.steps:
                    for item in step.items:
                        text = item.label if isinstance(item.label, dict) else {}
                        labels[item.id] = next(iter(text.values()), item.id) if text else item.id
        rows = []
        shown = {f.variant: f.shown for f in self.result.variants}
        for variant, items in self.result.checklist.items():
            for item, users in items.items():
                rows.append([variant or "—", labels.get(item, item), count(users),
                             pct(share(users, shown.get(variant, 0)))])
        if not rows:
            inner.addWidget(label("Nobody ticked an item in these events yet.", self))
            return
        self.checklist_table = table(["Variant", "Item", "People who did it", "Of shown"],
                                     rows, self, numbers_from=2)
        self.checklist_table.setObjectName("checklistTable")
        inner.addWidget(self.checklist_table)

    # --- the experiment -------------------------------------------------------------

    def _experiment(self, layout: QVBoxLayout, x: Any) -> None:
        inner = self._group(f"Experiment “{x.key}”", layout)
        window = f" within {x.window_days} days" if x.window_days else ""
        goal = f"reaching “{x.goal}”{window} after entering" if x.goal else "no goal set"
        inner.addWidget(label(f"Each arm against {x.baseline}: {goal}. Intervals are 95 %; "
                              "chance to beat and risk are Bayesian (uniform prior).", self))
        if not x.enough_data:
            inner.addWidget(banner(
                "Not enough data yet: the numbers below can still swing. Each arm needs "
                "100 people, and the control with an arm 20 who reached the goal.",
                "info", self))
        if x.sample_ratio is not None and x.sample_ratio.mismatch:
            inner.addWidget(banner(
                f"Sample ratio mismatch (p = {x.sample_ratio.p_value:.2g}): the people per "
                "arm differ from the configured split. Check the targeting and the event "
                "collection before trusting these results.", "warning", self))
        rows = []
        for a in x.arms:
            c = a.comparison
            rows.append([
                a.name,
                "—" if a.weight is None else pct(a.weight, decimals=0),
                count(a.users), count(a.conversions), pct(a.rate),
                "" if c is None else f"{points(c.absolute)} {interval(c.absolute_ci, 'pp')}",
                "" if c is None or c.relative is None
                else f"{pct(c.relative, True)} {interval(c.relative_ci)}",
                "" if c is None else pct(c.chance_to_beat),
                "" if c is None else f"{c.expected_loss * 100:.2f} pp", ""])
        self.experiment_table = table(list(EXPERIMENT_COLUMNS), rows, self)
        self.experiment_table.setObjectName("experimentTable")
        for column, tip in enumerate(EXPERIMENT_TIPS):
            self.experiment_table.horizontalHeaderItem(column).setToolTip(tip)
        self._colour_lifts(x)
        self._draw_intervals(x)
        inner.addWidget(self.experiment_table)
        if x.sample_ratio is not None and not x.sample_ratio.mismatch:
            inner.addWidget(label(f"Sample ratio: as configured (p = "
                                  f"{x.sample_ratio.p_value:.2g}).", self))
        notes = [n for n in x.notes if not n.startswith(("not enough data", "sample ratio"))]
        if notes:
            inner.addWidget(label("\n".join(f"• {n}" for n in notes), self))

    def _draw_intervals(self, x: Any) -> None:
        table = self.experiment_table
        assert table is not None
        ends = [0.0]
        column = len(EXPERIMENT_COLUMNS) - 1
        for r, a in enumerate(x.arms):
            c = a.comparison
            if c is None or c.relative is None or c.relative_ci is None:
                continue
            item = table.item(r, column)
            item.setData(INTERVAL_ROLE, (c.relative_ci[0], c.relative, c.relative_ci[1]))
            item.setToolTip(f"{a.name}: {pct(c.relative, True)} {interval(c.relative_ci)} "
                            f"against {x.baseline}")
            ends += [c.relative_ci[0], c.relative_ci[1]]
        pad = (max(ends) - min(ends)) * 0.08 or 0.1
        table.setItemDelegateForColumn(
            column, IntervalDelegate((min(ends) - pad, max(ends) + pad), table))

    def _colour_lifts(self, x: Any) -> None:
        """A lift whose whole interval is above (below) zero in green (red)."""
        assert self.experiment_table is not None
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        good, bad = QColor(GOOD[dark]), QColor(BAD[dark])
        for r, a in enumerate(x.arms):
            c = a.comparison
            if c is None or c.relative_ci is None:
                continue
            colour = good if c.relative_ci[0] > 0 else bad if c.relative_ci[1] < 0 else None
            if colour is not None:
                for col in (5, 6):
                    item = self.experiment_table.item(r, col)
                    if item is not None:
                        item.setForeground(colour)


def header(guide: Guide | None, guide_id: str, parent: QWidget) -> tuple[QWidget, QPushButton]:
    """The guide's name and an "Open in editor" button."""
    box = QWidget(parent)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    name = label(guide.name if guide else guide_id, box)
    font = name.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    name.setFont(font)
    row.addWidget(name, 1)
    if guide is not None:
        row.addWidget(label(f"{guide.kind} · {guide.status}", box))
    button = QPushButton("Open in editor", box)
    button.setEnabled(guide is not None)
    row.addWidget(button)
    return box, button
