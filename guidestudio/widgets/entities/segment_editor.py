"""A segment: a named, reusable audience, and which guides use it.

The id is shown read-only (it is the file name and what guides refer to;
renaming is the project tree's job, which also fixes every reference). The
"used by" line matters before editing the rules: changing a segment changes
the audience of every guide that uses it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from guidestudio.core.audience_sql.sizes import SizeQuestion
from guidestudio.core.model import Segment, plain_data
from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.kit.field_marks import is_under
from guidestudio.widgets.kit.form_kit import EntityPage, Follower, Form, line_edit, text_box
from guidestudio.widgets.rules.audience_sizes import AudienceSizes
from guidestudio.widgets.rules.condition_field import ConditionField
from guidestudio.widgets.rules.size_line import Ask, SizeLine


class SegmentEditor(EntityPage):
    """Edits the segment chosen with ``set_segment``."""

    def __init__(self, document: EditableDocument, parent: QWidget | None = None) -> None:
        super().__init__(document, self._entity, parent)
        self._segment_id: str | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)

        self.form = Form(document, self.marks, self)
        fields = QFormLayout(self.form)
        self.id_field = QLineEdit(self.form)
        self.id_field.setReadOnly(True)
        self.id_field.setToolTip("The segment's id: its file name and how guides refer to it. "
                                 "Rename it from the project tree, which updates every guide.")
        self.name = line_edit("The segment's name as your team sees it, e.g. 'Free plan'.")
        self.description = text_box("Who is in this segment and why it exists, for your team.")
        self.used_by = QLabel(self.form)
        self.used_by.setWordWrap(True)
        self.used_by.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # readable by keyboard users too
        fields.addRow("&Name", self.name)  # what the team calls it first; its file id after
        fields.addRow("&Id", self.id_field)
        fields.addRow("&Description", self.description)
        fields.addRow("Used by", self.used_by)
        self.form.field(self.name, lambda: self.path("name"), optional=False)
        self.form.field(self.description, lambda: self.path("description"))
        self.form.field(self.id_field, lambda: self.path("id"), watch=False)
        layout.addWidget(self.form)
        self.condition = ConditionField(
            document, lambda: self.path("condition"), optional=False,
            tooltip="Who is in the segment: conditions on a person's attributes and "
                    "behaviour. No rules: everyone.")
        layout.addWidget(self.condition, 1)
        # How many real users are in the segment, under the sample profiles' matches.
        self.size = SizeLine(self._question, parent=self)
        self.condition.layout().addWidget(self.size)
        Follower(document, lambda: self.path("condition"), self.size.schedule, self)
        Follower(document, lambda: ("settings", "hash_attribute"), self.size.schedule, self)
        self.marks.watch(self.condition, lambda: ("condition",) if self.segment() else None)
        Follower(document, lambda: ("guides",), self._update_used_by, self)
        Follower(document, lambda: ("segments", self._segment_id) if self._segment_id else None,
                 self._segment_changed, self)
        document.reset.connect(self._reset)
        self.set_segment(None)

    # --- the main window's API -----------------------------------------------------------

    def segment_id(self) -> str | None:
        return self._segment_id

    def set_segment(self, segment_id: str | None) -> None:
        if segment_id is not None and segment_id not in self.document.project.segments:
            segment_id = None
        self._segment_id = segment_id
        self.form.refresh()
        self.condition.refresh()
        self._update_header()
        self._update_used_by()
        self.form.setEnabled(self.segment() is not None)
        self.condition.setEnabled(self.segment() is not None)
        self.marks.update()
        self.size.show_another()

    def focus_field(self, field: str) -> None:
        self.marks.update()
        found = self.marks.widget_for(field) if field else None
        if found is None:
            if is_under(field, "condition"):
                self.condition.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        widget, rest = found
        focus = getattr(widget, "focus_subfield", None)
        if callable(focus):
            focus(rest)
        else:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_audience_sizes(self, sizes: AudienceSizes | None) -> None:
        """The project's audience sizes (its users table): the line under the rules."""
        self.size.set_sizes(sizes)

    # --- internals -----------------------------------------------------------------------

    def segment(self) -> Segment | None:
        if self._segment_id is None:
            return None
        segment = self.document.project.segments.get(self._segment_id)
        return segment if isinstance(segment, Segment) else None

    def path(self, *parts: Any) -> tuple[Any, ...] | None:
        return None if self.segment() is None else ("segments", self._segment_id, *parts)

    def _question(self) -> Ask:
        segment = self.segment()
        if segment is None:
            return None
        return SizeQuestion(plain_data(segment.condition or {}),
                            hash_attribute=self.document.project.hash_attribute)

    def _entity(self) -> tuple[str, str] | None:
        return ("segments", self._segment_id) if self.segment() is not None else None

    def guides_using(self) -> list[str]:
        out = []
        for guide_id, guide in sorted(self.document.project.guides.items()):
            if guide.audience is not None and self._segment_id in guide.audience.segments:
                out.append(guide_id)
        return out

    def _update_header(self) -> None:
        segment = self.segment()
        self.header.setText(f"Segment: {segment.name}" if segment
                            else "No segment selected: pick one in the project tree.")

    def _update_used_by(self) -> None:
        if self.segment() is None:
            self.used_by.setText("")
            return
        users = self.guides_using()
        guides = self.document.project.guides
        n = len(users)
        self.used_by.setText(f"{n} guide{'s' if n != 1 else ''}" + (
            ": " + ", ".join(guides[g].name for g in users) if users else
            " — add it to a guide's audience to use it"))
        self.used_by.setToolTip("Changing this segment changes who sees these guides."
                                if users else "No guide uses this segment yet.")

    def _segment_changed(self) -> None:
        if self._segment_id is not None and self.segment() is None:
            self.set_segment(None)
        else:
            self._update_header()

    def _reset(self) -> None:
        self.set_segment(self._segment_id)
