"""How many people, and how many days: the Experiment tab's sample-size planner.

A calculator, not an edit: nothing it holds is written into the guide, so it needs no
undo. It reads the guide's split (coverage, control group, variants' shares) to know
how fast the smallest arm fills, and starts from what imported events say when the
Results view has read them (people reaching the guide a day, the baseline's rate) —
until the user types a value of their own. The maths is ``core/results/planning.py``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QSpinBox, QWidget

from guidestudio.widgets.kit.form_kit import Follower, GuideContext, dspin, form_layout, note

#: Beyond this many days the planner suggests how to shorten the test.
LONG_DAYS = 90
EXPLAIN = ("How many people the test needs before it can tell a real difference from "
           "chance, and how long that takes. A calculator: nothing here changes the guide.")


class ExperimentPlanner(QGroupBox):
    """See the module docstring."""

    #: Wants what imported events say (the window reads remembered event files).
    observationsWanted = Signal()
    #: The user asked for the Results view (to choose event files).
    resultsRequested = Signal()

    def __init__(self, ctx: GuideContext, parent: QWidget | None = None) -> None:
        super().__init__("Plan the test: people and days", parent)
        self.setObjectName("experimentPlanner")
        self.ctx = ctx
        self.observed: dict[str, Any] = {}  # guide id -> planning.Observed
        self._typed: set[str] = set()  # fields the user set for this guide
        self._guide: str | None = None
        form = form_layout(self)
        form.addRow(note(EXPLAIN, self))
        self.baseline = dspin("How often people reach the goal today, without the change "
                              "(the control group's rate).", 0.01, 99.99, suffix=" %",
                              decimals=2)
        self.effect = dspin("The smallest relative change worth finding: 10 % means a rate of "
                            "10 % moving to 11 %. Smaller changes need many more people.",
                            0.1, 500, suffix=" %", decimals=1)
        self.power = dspin("How likely the test is to find a change of that size if it is "
                           "there (80 % is usual).", 1, 99.9, suffix=" %", decimals=1)
        self.significance = dspin("How often the test may call a difference that is only "
                                  "chance (5 % is usual; two-sided).", 0.1, 50, suffix=" %",
                                  decimals=1)
        self.daily = QSpinBox(self)
        self.daily.setRange(0, 100_000_000)
        self.daily.setGroupSeparatorShown(True)
        self.daily.setSpecialValueText("not known")
        self.daily.setToolTip("How many new people reach this guide each day (its audience, "
                              "on the pages where it shows).")
        self.baseline.setValue(10)
        self.effect.setValue(10)
        self.power.setValue(80)
        self.significance.setValue(5)
        form.addRow("&Baseline rate", self.baseline)
        form.addRow("Smallest &lift", self.effect)
        form.addRow("Po&wer", self.power)
        form.addRow("Si&gnificance", self.significance)
        form.addRow("People a &day", self.daily)
        self.source = note("", self)
        self.source.setObjectName("plannerSource")
        form.addRow(self.source)
        self.results_button = QPushButton("Choose event files in Results…", self)
        self.results_button.setToolTip("Read your exported events to fill in people a day and "
                                       "the baseline rate")
        self.results_button.clicked.connect(self.resultsRequested)
        form.addRow(self.results_button)
        self.answer = QLabel(self)
        self.answer.setObjectName("plannerAnswer")
        self.answer.setWordWrap(True)
        font = self.answer.font()
        font.setBold(True)
        self.answer.setFont(font)
        form.addRow(self.answer)
        self.days_note = note("", self)
        form.addRow(self.days_note)
        for name, box in (("baseline", self.baseline), ("effect", self.effect),
                          ("power", self.power), ("significance", self.significance),
                          ("daily", self.daily)):
            box.valueChanged.connect(lambda _v, n=name: self._edited(n))
        Follower(ctx.document, lambda: ctx.guide_path(), self.update_plan, self)
        ctx.selectionChanged.connect(self._guide_maybe_changed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.observed:
            self.observationsWanted.emit()
        self.update_plan()

    def set_observed(self, observed: dict[str, Any]) -> None:
        """What the events say per guide (``planning.Observed``); fills untyped fields."""
        self.observed = dict(observed)
        self._prefill()
        self.update_plan()

    def refresh(self) -> None:
        self._guide_maybe_changed()

    def _guide_maybe_changed(self) -> None:
        if self.ctx.guide_id != self._guide:
            self._guide = self.ctx.guide_id
            self._typed.clear()
            self._prefill()
            self.update_plan()

    def _edited(self, name: str) -> None:
        if not self.signalsBlocked():
            self._typed.add(name)
        self.update_plan()

    def _prefill(self) -> None:
        seen = self.observed.get(self.ctx.guide_id or "")
        self.blockSignals(True)
        try:
            for box in (self.baseline, self.daily):
                box.blockSignals(True)
            if seen is not None:
                if "daily" not in self._typed:
                    self.daily.setValue(round(seen.per_day))
                if "baseline" not in self._typed and seen.baseline:
                    self.baseline.setValue(round(seen.baseline * 100, 2))
                first, last = seen.first_day, seen.last_day
                self.source.setText(
                    f"From your events: {seen.per_day:,.0f} new people a day reached this guide "
                    f"({first:%-d %b} – {last:%-d %b %Y})"
                    + (f", {seen.baseline:.1%} of them reached the goal." if seen.baseline
                       else "."))
            elif "daily" not in self._typed:
                self.daily.setValue(0)
                self.source.setText("Type how many people a day reach this guide, or read your "
                                    "exported events in Results to fill it in.")
            self.results_button.setVisible(seen is None)
        finally:
            for box in (self.baseline, self.daily):
                box.blockSignals(False)
            self.blockSignals(False)

    def update_plan(self) -> None:
        guide = self.ctx.guide()
        if guide is None or not self.isVisible():
            return
        from guidestudio.core.results import planning

        try:
            result = planning.plan(self.baseline.value() / 100, self.effect.value() / 100,
                                   self.power.value() / 100, self.significance.value() / 100,
                                   self.daily.value() or None, planning.arm_shares(guide))
        except planning.PlanError as exc:
            self.answer.setText(f"Cannot plan: {exc}.")
            self.days_note.setText("")
            return
        arms = f"{result.arms} arms" if guide.experiment else "2 arms, once the experiment is on"
        self.answer.setText(f"{result.per_arm:,} people in each arm, {result.total:,} in all "
                            f"({arms})."
                            + ("" if result.days is None else
                               f" About {result.days:,} day{'s' * (result.days != 1)} to run."))
        if result.days is None:
            self.days_note.setText("Give people a day to see how long the test must run.")
        else:
            long = (" That is long: a larger smallest lift, a bigger share for that arm or a "
                    "wider audience shortens it." if result.days > LONG_DAYS else "")
            self.days_note.setText(
                f"The {result.slowest_arm} arm gets {result.slowest_share:.0%} of the people "
                "reaching the guide, so it fills last. Run whole weeks, so every weekday counts "
                f"alike.{long}")
