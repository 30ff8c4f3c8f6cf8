"""Edit in place: the canvas's texts written to the document like a form's.

``canvas-edit.js`` turns a click on a guide's text into an editing session in
the page and sends messages (``Bridge.canvasMessage``); this object answers
them for one pane:

* ``edit``: the field's Markdown, written with ``write_value`` at the shown
  locale, origin = the pane, merged like typing in a form (one undo step per
  burst). Its ``seq`` is remembered as ``ack``: the page takes the re-rendered
  text only once Python has applied everything typed (see the JS docstring).
* ``check``: the serialiser wrote a text differently from its source; it may be
  edited only if that is just escapes the rendering does not need.
* ``command``: Undo/Redo pressed in the text — the document's, never the page's.
* ``begin`` / ``step``: a step was clicked: ``stepClicked`` (the inspector follows).

The page only ever hands over Markdown text, so nothing the editor adds to the
page (contenteditable, chips, the bar) can reach the project or a bundle.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from guidestudio.core.edits import MISSING
from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.kit.model_writes import write_value
from guidestudio.widgets.preview.canvas_text import (
    canvas_meta,
    find_field,
    minimal_escapes,
    profile_attributes,
    same_source,
    shown_text,
)

#: Said when a text uses Markdown the canvas would have to rewrite to edit it.
NOT_HERE = ("This text uses formatting the canvas cannot keep exactly; change it in the "
            "inspector on the right.")


class CanvasEditor(QObject):
    """The Python side of editing texts on one pane's canvas; see the module docstring."""

    stepClicked = Signal(str)  # the step id clicked (or being edited) on the canvas
    written = Signal()  # a text typed on the canvas is in the document
    editingChanged = Signal(bool)
    refused = Signal(str)  # an edit the document would not take, and why

    def __init__(self, document: EditableDocument, origin: Any,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.origin = origin  # whose edits these are: the pane (no echo, like a binding)
        self.enabled = True
        self.ack = 0
        self.editing: str | None = None  # the field key being edited, if any
        self.guide_id: str | None = None
        self.variant = 0
        self.locale = ""
        self.profile_attrs: dict[str, Any] = {}
        #: (guide, variant, locale, step id, key) -> the text shown after the canvas wrote it
        self._written: tuple[tuple[Any, ...], str] | None = None

    def follow(self, guide_id: str | None, variant: int, locale: str,
               profile_attrs: dict[str, Any]) -> None:
        """What the canvas shows: the guide, the variant's index, the locale, the sample user."""
        self.guide_id, self.variant, self.locale = guide_id, variant, locale
        self.profile_attrs = profile_attrs

    def meta(self) -> dict[str, Any] | None:
        """What the page may edit now (None: no guide, or a variant without steps)."""
        project = self.document.project
        guide = project.guides.get(self.guide_id) if self.guide_id else None
        if guide is None:
            return None
        meta = canvas_meta(project, guide, self.variant, self.locale)
        meta.update(enabled=self.enabled, ack=self.ack,
                    attrs=profile_attributes(project, self.profile_attrs))
        if self._written is not None:  # does the document still say what the canvas wrote?
            (guide_id, variant, locale, step_id, key), shown = self._written
            field = meta["steps"].get(step_id, {}).get("fields", {}).get(key)
            if field is not None and (guide_id, variant, locale) == (guide.id, self.variant,
                                                                     self.locale):
                field["mine"] = field["md"] == shown
        return meta

    def handle(self, message: dict[str, Any], reply: Callable[[str], None]) -> None:
        """One message of the page; ``reply`` runs JavaScript in that page."""
        kind = message.get("type")
        if kind in ("begin", "step", "edit", "check") and not self._current(message):
            return  # about a guide, variant or language no longer shown
        if kind in ("begin", "step") and isinstance(message.get("step"), str):
            self.stepClicked.emit(message["step"])
        if kind == "begin":
            self.editing = str(message.get("key"))
            self.editingChanged.emit(True)
        elif kind == "end":
            self.editing = None
            self.editingChanged.emit(False)
        elif kind == "edit":
            self._edit(message, reply)
        elif kind == "check":
            ok = self._exact(message)
            reply(f"window.__gsEdit && window.__gsEdit.checked({json.dumps(ok)}, "
                  f"{json.dumps('' if ok else NOT_HERE)})")
        elif kind == "command" and message.get("name") in ("undo", "redo"):
            stack = getattr(self.document, "undo_stack", None)  # the app's Document has one
            if stack is not None:
                getattr(stack, message["name"])()

    def _current(self, message: dict[str, Any]) -> bool:
        guide = self.document.project.guides.get(self.guide_id) if self.guide_id else None
        if guide is None or not 0 <= self.variant < len(guide.variants):
            return False
        return (message.get("guide"), message.get("variant"), message.get("locale")) == \
            (guide.id, guide.variants[self.variant].key, self.locale)

    def _field(self, message: dict[str, Any]) -> tuple[tuple[Any, ...], Any] | None:
        guide = self.document.project.guides.get(self.guide_id) if self.guide_id else None
        if guide is None or not isinstance(message.get("step"), str):
            return None
        found = find_field(guide, self.variant, message["step"], str(message.get("key")))
        if found is None:
            return None
        index, field = found
        path = ("guides", guide.id, "variants", self.variant, "steps", index, *field.path)
        return path, field

    def _exact(self, message: dict[str, Any]) -> bool:
        """Does the page's Markdown for an untouched text say exactly what the source says?"""
        found = self._field(message)
        if found is None or not isinstance(message.get("md"), str):
            return False
        _path, field = found
        source, _ = shown_text(field.text, self.locale,
                               self.document.project.settings.default_locale)
        return same_source(message["md"], source, field.block, field.links)

    def _edit(self, message: dict[str, Any], reply: Callable[[str], None]) -> None:
        seq = message.get("seq")
        if isinstance(seq, int):
            self.ack = max(self.ack, seq)
        found = self._field(message)
        markdown = message.get("md")
        if found is None or not isinstance(markdown, str):
            return
        path, field = found
        before, _ = shown_text(field.text, self.locale,
                               self.document.project.settings.default_locale)
        markdown = minimal_escapes(markdown, field.block, field.links, before)
        value: Any = markdown
        if not markdown.strip():  # emptied: like the form, the language goes (if another stays)
            others = [k for k, v in (field.text or {}).items() if k != self.locale and v]
            value = MISSING if others else ""
        error = write_value(self.document, (*path, self.locale), value, origin=self.origin)
        self.written.emit()
        found = self._field(message)
        if found is not None:
            shown, _ = shown_text(found[1].text, self.locale,
                                  self.document.project.settings.default_locale)
            self._written = ((self.guide_id, self.variant, self.locale, message["step"],
                              message.get("key")), shown)
        if error:
            reply(f"window.__gsEdit && window.__gsEdit.notice({json.dumps(error)})")
            self.refused.emit(error)
