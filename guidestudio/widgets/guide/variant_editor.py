"""A guide's variants for A/B tests: keys, names and each one's share of users.

Shares are edited as percentages that always total 100 (see ``weights``):
changing one share rescales the others and is saved as one undo step that
sets every variant's weight. Adding, duplicating (the usual way to start a
"B" version) and removing variants are undoable like everything else; the
last variant cannot be removed, since a guide needs one to show anything.
The experiment settings themselves are ``experiment_form``.
"""

from __future__ import annotations

import copy
import string
from typing import Any

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core.edits import Batch, SetValue
from guidestudio.core.ids import unique_id
from guidestudio.core.model import Step, Variant
from guidestudio.core.schema_patterns import VARIANT_KEY_PATTERN
from guidestudio.core.weights import percentages, rebalance
from guidestudio.widgets.guide.experiment_form import ExperimentForm
from guidestudio.widgets.guide.experiment_planner import ExperimentPlanner
from guidestudio.widgets.kit.form_kit import Follower, GuideContext, form_layout, line_edit, note
from guidestudio.widgets.kit.item_rows import ItemRow, ItemRows


def free_key(taken: set[str], base: str | None = None) -> str:
    """The next unused variant key: b, c, d… or ``base-2``, ``base-3``…"""
    if base is None:
        for letter in string.ascii_lowercase:
            if letter not in taken:
                return letter
        base = "variant"
    return unique_id(base, taken, limit=32)


class VariantRow(ItemRow):
    """Key, name and share of one variant."""

    def __init__(self, owner: VariantRows, index: int) -> None:
        super().__init__(owner, index)
        self.rows_owner = owner
        form = form_layout()
        self.body.addLayout(form)
        self.key = line_edit("A short code for this variant, used in analytics to tell the "
                             "versions apart (letters, digits, - and _).", "e.g. b",
                             VARIANT_KEY_PATTERN)
        self.name = line_edit("A description for your team, e.g. 'Benefit-led copy'.",
                              "e.g. Benefit-led copy")
        self.share = QDoubleSpinBox(self)
        self.share.setDecimals(1)
        self.share.setSuffix(" %")
        self.share.setKeyboardTracking(False)  # one undo step per value, not per digit
        self.share.setToolTip("The share of the experiment's users who see this variant. The "
                              "others adjust so the total stays 100%.")
        self.edit_steps = QPushButton("Edit steps", self)
        self.edit_steps.setToolTip("Open this variant's steps on the Content tab.")
        self.duplicate = QPushButton("Duplicate", self)
        self.duplicate.setToolTip("Add a copy of this variant, with the same steps, to start a "
                                  "new version from.")
        form.addRow("&Name", self.name)
        form.addRow("&Share", self.share)
        form.addRow("Analytics n&ame", self.key)
        actions = QHBoxLayout()
        actions.addWidget(self.edit_steps)
        actions.addWidget(self.duplicate)
        actions.addStretch(1)
        form.addRow(actions)
        self.field(self.key, lambda: self.path("key"), optional=False, text="Rename variant")
        self.field(self.name, lambda: self.path("name"))
        self.owner.marks.watch(self.share, lambda: self._inner("weight"))
        self.share.valueChanged.connect(self._share_edited)
        self.edit_steps.clicked.connect(lambda: owner.editRequested.emit(self.index))
        self.duplicate.clicked.connect(lambda: owner.duplicate(self.index))

    def _inner(self, name: str) -> tuple[Any, ...] | None:
        path = self.path(name)
        return None if path is None else path[2:]

    def first_field(self) -> QWidget | None:
        return self.key

    def update_header(self, count: int) -> None:
        super().update_header(count)
        variant = self.item()
        name = variant.name if isinstance(variant, Variant) and variant.name else ""
        self.title.setText(f"Variant {self.index + 1}" + (f" — {name}" if name else ""))
        self.remove.setEnabled(count > 1)

    def show_share(self, percent: float, count: int) -> None:
        with QSignalBlocker(self.share):
            self.share.setRange(0.1 if count > 1 else 100, 99.9 if count > 1 else 100)
            self.share.setValue(percent)
        self.share.setEnabled(count > 1)

    def _share_edited(self, value: float) -> None:
        self.rows_owner.set_share(self.index, value)


class VariantRows(ItemRows):
    """The variant rows, with the shares kept at a total of 100%."""

    editRequested = Signal(int)

    def __init__(self, ctx: GuideContext, parent: QWidget | None = None) -> None:
        self.ctx = ctx
        super().__init__(ctx.document, ctx.marks, lambda: ctx.guide_path("variants"),
                         VariantRow, self._new_variant, "variant", None,
                         "Add a variant with one empty step.", parent)
        self.total = QLabel(self)
        self.total.setWordWrap(True)
        self.total.setToolTip("Shares always add up to 100%.")
        self.layout().addWidget(self.total)
        Follower(self.document, lambda: ctx.guide_path("variants"), self.show_shares, self)
        self.show_shares()

    def variants(self) -> list[Variant]:
        return [v for v in self.items() if isinstance(v, Variant)]

    def sync(self) -> None:
        super().sync()
        if hasattr(self, "total"):
            self.show_shares()

    def show_shares(self) -> None:
        variants = self.variants()
        shares = percentages([v.weight for v in variants])
        for row, share in zip(self.rows, shares, strict=False):
            row.show_share(share, len(variants))  # type: ignore[attr-defined]
        self.total.setText(f"Total: {sum(shares):.0f}%" if shares else "")

    def set_share(self, index: int, percent: float) -> None:
        variants = self.variants()
        path = self.path_fn()
        if path is None or len(variants) < 2 or not 0 <= index < len(variants):
            return
        weights = rebalance([v.weight for v in variants], index, percent)
        edits = tuple(SetValue((*path, i, "weight"), w) for i, w in enumerate(weights)
                      if variants[i].weight != w)
        if edits:
            self.document.apply(Batch(edits), "Change variant split", origin=self)
        self.show_shares()

    def duplicate(self, index: int) -> None:
        variants = self.variants()
        path = self.path_fn()
        if path is None or not 0 <= index < len(variants):
            return
        twin = copy.deepcopy(variants[index])
        twin.key = free_key({v.key for v in variants}, None if len(variants) < 26 else twin.key)
        twin.name = f"{twin.name} (copy)" if twin.name else None
        self.document.insert_item(path, index + 1, twin, "Duplicate variant")

    def _new_variant(self) -> Variant:
        variants = self.variants()
        locale = self.document.project.settings.default_locale
        weights = [v.weight for v in variants if isinstance(v.weight, (int, float))]
        weight = round(sum(weights) / len(weights), 1) if weights else None
        return Variant(key=free_key({v.key for v in variants}), weight=weight,
                       steps=[Step(title={locale: "New step"})])


class VariantEditor(QWidget):
    """The Experiment tab: the experiment settings, the variants and their split, then the
    planner (people and days the test needs)."""

    def __init__(self, ctx: GuideContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        self.experiment = ExperimentForm(ctx, self)
        variants = QGroupBox("Variants", self)
        variants_layout = QVBoxLayout(variants)
        variants_layout.addWidget(note("Each variant is a version of the guide's content; the "
                                       "share says how many of the people taking part see it. "
                                       "Edit a variant's texts on the Content tab.", variants))
        self.rows = VariantRows(ctx, variants)
        variants_layout.addWidget(self.rows)
        layout.addWidget(self.experiment)
        layout.addWidget(variants)
        self.planner = ExperimentPlanner(ctx, self)
        layout.addWidget(self.planner)
        layout.addStretch(1)
        ctx.marks.watch(self.rows, lambda: ("variants",) if ctx.guide() else None, deep=False)

    def refresh(self) -> None:
        self.rows.refresh()
        self.rows.show_shares()
        self.experiment.refresh()
        self.planner.refresh()
