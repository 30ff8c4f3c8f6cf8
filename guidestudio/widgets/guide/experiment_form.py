"""Whether a guide runs as an experiment, and how users are split — in plain words.

The tab says what an experiment is and what the control group means before
asking anything; the two choices a marketer makes (how many people take part,
how many of them see nothing) come first, and what only analytics care about
— the experiment's key, the seed that shuffles people, the namespace that keeps
experiments apart — waits under a folded "Advanced" section, which says on its
header when something inside needs a look.

The file stores fractions (``coverage: 0.5``, ``control_weight: 0.1``) and a
namespace as ``[id, start, end]``; marketers reason in percentages, so every
share is shown and edited in percent and converted on the way in and out.
Turning the experiment on names it after the guide, which is a valid key, so
the switch itself can never produce an invalid file.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from guidestudio.core.edits import MISSING
from guidestudio.core.model import Experiment
from guidestudio.core.schema_patterns import EXPERIMENT_KEY_PATTERN
from guidestudio.widgets.kit.collapsible import Collapsible
from guidestudio.widgets.kit.form_kit import (
    GuideContext,
    GuideForm,
    OptionalSection,
    dspin,
    form_layout,
    line_edit,
    note,
)

WHAT_IT_IS = ("An experiment (an A/B test) shows different versions of this guide — its "
              "variants, below — to different people, so you learn which works better. "
              "Analytics compare how often each variant reaches the guide's goal.")
CONTROL_HELP = ("The control group takes part but sees no guide at all. Comparing it with "
                "the others shows what the guide itself changes.")
#: The fields folded under "Advanced", as Problem.field prefixes.
ADVANCED_FIELDS = ("experiment.key", "experiment.seed", "experiment.namespace")


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
        self.outer.addWidget(note(WHAT_IT_IS, self))
        self.section = OptionalSection(
            "Run an experiment", "Split people between the variants below (and optionally a "
            "control group that sees nothing) to learn which works best.", self.document,
            lambda: e(), create=self._new_experiment, noun="experiment", parent=self)
        form = form_layout(self.section)
        self.coverage = dspin("The share of the guide's audience that takes part. The rest see "
                              "the guide's first variant and are not counted.", 0, 100,
                              suffix=" %", decimals=1)
        self.control = dspin("The share of the people taking part who see nothing (the control "
                             "group), to measure what the guide itself changes.", 0, 99.9,
                             suffix=" %", decimals=1)
        form.addRow("&Taking part", self.coverage)
        form.addRow("C&ontrol group", self.control)
        form.addRow(note(CONTROL_HELP, self.section))
        self.field(self.coverage, lambda: e("coverage"), merge=True,
                   from_model=lambda v: percent_in(v, 100.0), to_model=fraction_out)
        self.field(self.control, lambda: e("control_weight"), merge=True,
                   from_model=lambda v: percent_in(v, 0.0),
                   to_model=lambda p: MISSING if p == 0 else fraction_out(p))

        self.advanced = Collapsible(
            "Advanced", "How analytics name the experiment and how people are shuffled into "
            "variants. Leave as they are unless your analytics team asks.", self.section)
        advanced = form_layout(self.advanced.body)
        advanced.setContentsMargins(0, 0, 0, 0)
        self.key = line_edit("The experiment's name in your analytics (its key). Keep it once "
                             "the experiment is live, or results are split in two.",
                             "e.g. storage-banner-copy", EXPERIMENT_KEY_PATTERN)
        self.seed = line_edit("Changes which people land in which variant (the seed). Leave "
                              "empty to use the key; change it only to reshuffle people for a "
                              "new test.", "(the key)")
        advanced.addRow("Analytics &name", self.key)
        advanced.addRow("Shuffle &seed", self.seed)
        self.field(self.key, lambda: e("key"), optional=False)
        self.field(self.seed, lambda: e("seed"))

        self.namespace = OptionalSection(
            "Keep apart from other experiments", "Experiments in the same namespace with "
            "slices that do not overlap never share a person.", self.document,
            lambda: e("namespace"), create=self._new_namespace, noun="namespace",
            parent=self.advanced.body)
        ns_form = form_layout(self.namespace)
        ns_form.addRow(note("Give these experiments the same namespace and slices that do not "
                            "overlap: nobody takes part in two of them.", self.namespace))
        self.ns_id = line_edit("The namespace's name; use the same name in every experiment "
                               "that must not share people.", "e.g. upgrade-prompts")
        self.ns_start = dspin("Where this experiment's slice of the namespace starts.", 0, 100,
                              suffix=" %")
        self.ns_end = dspin("Where this experiment's slice of the namespace ends.", 0, 100,
                            suffix=" %")
        ns_form.addRow("&Namespace", self.ns_id)
        ns_form.addRow("Slice &from", self.ns_start)
        ns_form.addRow("Slice t&o", self.ns_end)
        self.field(self.ns_id, lambda: e("namespace", 0), optional=False)
        for box, i in ((self.ns_start, 1), (self.ns_end, 2)):
            self.field(box, lambda i=i: e("namespace", i), merge=True,
                       from_model=lambda v: percent_in(v, 0.0), to_model=fraction_out)
        advanced.addRow(self.namespace)
        self.marks.watch(self.namespace, lambda: ("experiment", "namespace")
                         if ctx.guide() else None, deep=False)
        form.addRow(self.advanced)
        self.outer.addWidget(self.section)
        self.outer.addWidget(note("Without an experiment only the first variant is shown.",
                                  self))
        self.document.problemsChanged.connect(self._update_attention)

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
        self._update_attention()

    def _update_attention(self) -> None:
        """Say on the folded section's header when a field inside it has a problem."""
        items = [s for prefix in ADVANCED_FIELDS for _, s, _ in self.marks.items_under(prefix)]
        self.advanced.set_attention("has a problem" if "error" in items
                                    else "has a warning" if items else "")
