"""Whether a guide runs as an experiment, and how users are split.

The file stores fractions (``coverage: 0.5``, ``control_weight: 0.1``) and a
namespace as ``[id, start, end]``; marketers reason in percentages, so every
share is shown and edited in percent and converted on the way in and out.
Turning the experiment on names it after the guide, which is a valid key, so
the switch itself can never produce an invalid file.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from guidestudio.core.edits import MISSING
from guidestudio.core.model import Experiment
from guidestudio.core.schema_patterns import EXPERIMENT_KEY_PATTERN
from guidestudio.widgets.kit.form_kit import (
    GuideContext,
    GuideForm,
    OptionalSection,
    dspin,
    line_edit,
)


def percent_in(value: Any, default: float) -> float:
    return default if not isinstance(value, (int, float)) else float(value) * 100


def fraction_out(percent: float) -> int | float:
    value = round(percent / 100, 6)
    return int(value) if value.is_integer() else value


class ExperimentForm(GuideForm):
    """Experiment on/off, key, seed, coverage, control share and namespace."""

    def __init__(self, ctx: GuideContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        e = lambda *parts: ctx.guide_path("experiment", *parts)  # noqa: E731 - a lazy path
        self.section = OptionalSection(
            "Run an experiment", "Split users between the variants below (and optionally a "
            "control group that sees nothing) to learn which works best.", self.document,
            lambda: e(), create=self._new_experiment, noun="experiment", parent=self)
        form = QFormLayout(self.section)
        self.key = line_edit("The experiment's name in your analytics. Keep it once the "
                             "experiment is live, or results are split in two.",
                             "e.g. storage-banner-copy", EXPERIMENT_KEY_PATTERN)
        self.seed = line_edit("Changes which users land in which variant. Leave empty to use "
                              "the key; change it only to reshuffle users for a new test.",
                              "(the key)")
        self.coverage = dspin("The share of the audience that takes part. The rest see the "
                              "guide's first variant and are not counted.", 0, 100,
                              suffix=" %", decimals=1)
        self.control = dspin("The share of participants who see nothing (the control group), "
                             "to measure what the guide itself changes.", 0, 99.9,
                             suffix=" %", decimals=1)
        form.addRow("&Key", self.key)
        form.addRow("S&eed", self.seed)
        form.addRow("&Coverage", self.coverage)
        form.addRow("C&ontrol group", self.control)
        self.field(self.key, lambda: e("key"), optional=False)
        self.field(self.seed, lambda: e("seed"))
        self.field(self.coverage, lambda: e("coverage"), merge=True,
                   from_model=lambda v: percent_in(v, 100.0), to_model=fraction_out)
        self.field(self.control, lambda: e("control_weight"), merge=True,
                   from_model=lambda v: percent_in(v, 0.0),
                   to_model=lambda p: MISSING if p == 0 else fraction_out(p))

        self.namespace = OptionalSection(
            "Keep apart from other experiments (namespace)", "Experiments in the same "
            "namespace with ranges that do not overlap never share a user.", self.document,
            lambda: e("namespace"), create=self._new_namespace, noun="namespace",
            parent=self.section)
        ns_form = QFormLayout(self.namespace)
        self.ns_id = line_edit("The namespace's name; use the same name in every experiment "
                               "that must not share users.", "e.g. upgrade-prompts")
        self.ns_start = dspin("Where this experiment's slice of the namespace starts.", 0, 100,
                              suffix=" %")
        self.ns_end = dspin("Where this experiment's slice of the namespace ends.", 0, 100,
                            suffix=" %")
        ns_form.addRow("&Namespace", self.ns_id)
        ns_form.addRow("&From", self.ns_start)
        ns_form.addRow("&To", self.ns_end)
        self.field(self.ns_id, lambda: e("namespace", 0), optional=False)
        for box, i in ((self.ns_start, 1), (self.ns_end, 2)):
            self.field(box, lambda i=i: e("namespace", i), merge=True,
                       from_model=lambda v: percent_in(v, 0.0), to_model=fraction_out)
        form.addRow(self.namespace)
        self.marks.watch(self.namespace, lambda: ("experiment", "namespace")
                         if ctx.guide() else None, deep=False)
        self.outer.addWidget(self.section)
        hint = QLabel("Without an experiment only the first variant is shown.", self)
        hint.setWordWrap(True)
        self.outer.addWidget(hint)

    def _new_experiment(self) -> Experiment:
        return Experiment(key=self.ctx.guide_id or "experiment")

    def _new_namespace(self) -> list[Any]:
        path = self.ctx.guide_path("experiment", "key")
        key = self.document.get(path, None) if path else None
        return [key or self.ctx.guide_id or "namespace", 0, 1]

    def refresh(self) -> None:
        self.section.reset()
        self.namespace.reset()
        super().refresh()
