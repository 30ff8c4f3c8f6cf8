"""Who sees a guide: the segments they must all be in, and extra rules.

Segments are reusable audiences defined once for the project; a guide picks
any number of them (all must match) and may add rules of its own. The
segments are a checkable list, which Space toggles, so the choice needs no
mouse; a segment the guide names but the project lacks stays visible, marked,
rather than vanishing from the list and from the file on the next edit.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QGroupBox, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from guidestudio.core.audience_checks import audience_condition
from guidestudio.core.audience_sql.sizes import SizeQuestion
from guidestudio.core.bundle.compiler import CompileError, bundle_experiment
from guidestudio.core.edits import MISSING
from guidestudio.core.model import Guide, Project, plain_data
from guidestudio.widgets.kit.bindings import write_value
from guidestudio.widgets.kit.form_kit import Follower, GuideContext, note
from guidestudio.widgets.kit.marks import set_mark
from guidestudio.widgets.kit.tick_style import outline_ticks
from guidestudio.widgets.rules.audience_sizes import AudienceSizes
from guidestudio.widgets.rules.condition_field import ConditionField
from guidestudio.widgets.rules.size_line import Ask, SizeLine

#: The segment list grows with the project's segments up to this many rows, then scrolls.
SEGMENT_ROWS = 8


class AudienceForm(QWidget):
    """Segments and conditions of the selected guide."""

    def __init__(self, ctx: GuideContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.document = ctx.document
        layout = QVBoxLayout(self)
        segments_box = QGroupBox("Segments", self)
        segments_layout = QVBoxLayout(segments_box)
        segments_layout.addWidget(note("People must be in every ticked segment. None ticked: "
                                       "everyone.", segments_box))
        self.segments = QListWidget(segments_box)
        outline_ticks(self.segments)  # its tick boxes show on the dark palette too
        self.segments.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.segments.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.segments.setToolTip("Saved audiences of this project. Tick one or more with Space: "
                                 "the guide shows only to people in all of them. None ticked: "
                                 "everyone.")
        self.segments.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        segments_layout.addWidget(self.segments)
        layout.addWidget(segments_box)

        rules_box = QGroupBox("Rules", self)
        rules_layout = QVBoxLayout(rules_box)
        rules_layout.addWidget(note("People must also match these rules.", rules_box))
        self.conditions = ConditionField(
            self.document, lambda: ctx.guide_path("audience", "conditions"),
            tooltip="Extra conditions on the person's attributes and behaviour, e.g. storage "
                    "used is at least 90%. No rules: everyone in the segments.")
        rules_layout.addWidget(self.conditions)
        # The whole audience (segments and rules) on the real users, under the profiles' matches.
        self.size = SizeLine(self._question, self._variant_name, rules_box)
        self.conditions.layout().addWidget(self.size)
        rules_layout.addWidget(note("Tip: a rule used by several guides is best saved as a "
                                    "segment.", rules_box))
        layout.addWidget(rules_box, 1)

        self.segments.itemChanged.connect(self._item_changed)
        Follower(self.document, lambda: ctx.guide_path("audience", "segments"),
                 self._fill_segments, self)
        Follower(self.document, lambda: ("segments",), self._fill_segments, self)
        for part in ("audience", "experiment", "variants"):
            Follower(self.document, lambda part=part: ctx.guide_path(part),
                     self.size.schedule, self)
        Follower(self.document, lambda: ("segments",), self.size.schedule, self)
        Follower(self.document, lambda: ("settings", "hash_attribute"), self.size.schedule, self)
        ctx.selectionChanged.connect(self._selection_changed)
        ctx.marks.watch(self.segments, lambda: ("audience", "segments")
                        if ctx.guide() is not None else None)
        ctx.marks.watch(self.conditions, lambda: ("audience", "conditions")
                        if ctx.guide() is not None else None)
        self.refresh()

    def refresh(self) -> None:
        self._fill_segments()
        self.conditions.refresh()
        self.size.schedule(now=True)

    def set_audience_sizes(self, sizes: AudienceSizes | None) -> None:
        """The project's audience sizes (its users table): the line under the rules."""
        self.size.set_sizes(sizes)

    def _selection_changed(self) -> None:
        self.size.show_another()

    def _question(self) -> Ask:
        guide = self.ctx.guide()
        if guide is None:
            return None
        # The sample profiles' line above counts the rules; this one the whole audience.
        ticked = guide.audience is not None and bool(guide.audience.segments)
        self.size.lead = "With the segments: " if ticked else ""
        return guide_question(self.document.project, guide)

    def _variant_name(self, key: str) -> str:
        guide = self.ctx.guide()
        variant = next((v for v in guide.variants if v.key == key), None) if guide else None
        return (variant.name or key) if variant is not None else key

    def chosen(self) -> list[str]:
        path = self.ctx.guide_path("audience", "segments")
        value = self.document.get(path, None) if path else None
        return list(value or [])

    def _fill_segments(self) -> None:
        project_segments = self.document.project.segments
        chosen = self.chosen()
        current = self.segments.currentRow()
        with QSignalBlocker(self.segments):
            self.segments.clear()
            ids = sorted(project_segments) + [s for s in chosen if s not in project_segments]
            for segment_id in ids:
                segment = project_segments.get(segment_id)
                # The name people gave it; the key (for who writes the files) in its tooltip.
                label = (segment.name or segment_id if segment is not None
                         else f"{segment_id} (missing: no such segment)")
                item = QListWidgetItem(label, self.segments)
                item.setData(Qt.ItemDataRole.UserRole, segment_id)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if segment_id in chosen
                                   else Qt.CheckState.Unchecked)
                if segment is not None:
                    item.setToolTip("\n\n".join(filter(None, [segment.description,
                                                               f"Key: {segment_id}"])))
                if segment is None:
                    item.setToolTip("The guide names this segment but the project has no such "
                                    "segment; untick it or create the segment.")
            if self.segments.count():
                self.segments.setCurrentRow(min(max(current, 0), self.segments.count() - 1))
        self.segments.setEnabled(self.ctx.guide() is not None)
        self._fit_height()

    def _fit_height(self) -> None:
        """As tall as the segments (up to ``SEGMENT_ROWS``): the rules get the rest."""
        rows = min(max(self.segments.count(), 2), SEGMENT_ROWS)
        row = self.segments.sizeHintForRow(0) if self.segments.count() else -1
        if row <= 0:
            row = self.segments.fontMetrics().height() + 4
        self.segments.setFixedHeight(rows * row + 2 * self.segments.frameWidth() + 2)

    def _item_changed(self, item: QListWidgetItem) -> None:
        path = self.ctx.guide_path("audience", "segments")
        if path is None:
            return
        segment_id = item.data(Qt.ItemDataRole.UserRole)
        chosen = self.chosen()
        if item.checkState() == Qt.CheckState.Checked and segment_id not in chosen:
            chosen.append(segment_id)
        elif item.checkState() != Qt.CheckState.Checked and segment_id in chosen:
            chosen.remove(segment_id)
        value: Any = chosen or MISSING
        error = write_value(self.document, path, value, origin=self,
                            text="Change audience segments")
        set_mark(self.segments, "unsaved", "error" if error else None,
                 f"Not saved yet: {error}" if error else "")
        if error:
            self._fill_segments()


def guide_question(project: Project, guide: Guide) -> Ask:
    """What the size line counts for ``guide``: its segments' conditions and its own, as
    the export writes them, and its experiment's split (left out while the experiment
    cannot be exported: the audience is still worth knowing)."""
    condition = audience_condition(project, guide)
    if condition is None:
        return ("Can't count: a ticked segment does not exist in this project; untick it "
                "or create the segment.")
    try:
        experiment = bundle_experiment(guide, project.hash_attribute)
    except CompileError:
        experiment = None
    return SizeQuestion(plain_data(condition), experiment, project.hash_attribute)
