"""The canvas and the inspector on the same step.

The inspector (the guide editor) says which guide, variant and step it shows
with a ``GuideContext`` (``widgets/kit/form_kit.py``). Linked to a pane, a
selection there shows that variant and step on the canvas, and a step shown
on the canvas — clicked, or reached with the step bar or the guide's own
buttons — is selected there. Neither side echoes: each only acts on a change.
"""

from __future__ import annotations

from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import QObject, SignalInstance

from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.kit.form_kit import GuideContext


class StepView(Protocol):
    """What the link needs of the canvas (``PreviewPane``)."""

    stepSelected: SignalInstance  # (variant index, step index)
    document: EditableDocument
    guide_id: str | None

    def variant(self) -> str | None: ...
    def current_step(self) -> int: ...
    def show_variant(self, index: int, step: int = 0) -> None: ...
    def show_step(self, index: int) -> None: ...


class SelectionLink(QObject):
    """Keeps ``pane`` and ``context`` on the same variant and step (same guide only)."""

    def __init__(self, pane: Any, context: GuideContext) -> None:
        super().__init__(pane)
        self.pane: StepView = pane
        self.context = context
        context.selectionChanged.connect(self.follow_context)
        pane.stepSelected.connect(self.select_in_context)
        self.follow_context()

    def unlink(self) -> None:
        """Stop following (another inspector takes over)."""
        if shiboken6.isValid(self.context):
            self.context.selectionChanged.disconnect(self.follow_context)
        self.pane.stepSelected.disconnect(self.select_in_context)
        self.deleteLater()

    def _alive(self) -> bool:
        return shiboken6.isValid(self.context)  # the inspector may be gone (project closed)

    def start_for(self, guide_id: str | None) -> tuple[str, int] | None:
        """(variant key, step) to open ``guide_id`` at, when the inspector is on it already."""
        ctx = self.context
        guide = self.pane.document.project.guides.get(guide_id) if guide_id else None
        if not self._alive() or guide is None or ctx.guide_id != guide_id \
                or not 0 <= ctx.variant < len(guide.variants):
            return None
        return guide.variants[ctx.variant].key, max(ctx.step, 0)

    def follow_context(self) -> None:
        """The inspector moved: show its variant and step on the canvas."""
        ctx, pane = self.context, self.pane
        guide = pane.document.project.guides.get(pane.guide_id) if pane.guide_id else None
        if not self._alive() or guide is None or ctx.guide_id != pane.guide_id \
                or not 0 <= ctx.variant < len(guide.variants):
            return
        if pane.variant() != guide.variants[ctx.variant].key:  # also from the control group
            pane.show_variant(ctx.variant, ctx.step)
        elif ctx.step != pane.current_step():
            pane.show_step(ctx.step)

    def select_in_context(self, variant: int, step: int) -> None:
        """The canvas moved: select that step in the inspector."""
        if self._alive() and self.context.guide_id == self.pane.guide_id:
            self.context.select(variant=variant, step=step)
