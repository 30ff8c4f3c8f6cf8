"""The channel the page talks back on: the ``previewBridge`` object and calls into the page.

Apart from ``bridge`` (what the preview hands the runtime) because it needs
no compiler: the canvas's web view and its page are made, and start loading,
while the compiler is still being imported on another thread.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot


def js_call(function: str, *args: Any) -> str:
    """``__gsPreview.function(args…)`` as source; JSON is valid JavaScript (ES2019)."""
    encoded = ",".join(json.dumps(a, ensure_ascii=False, separators=(",", ":")) for a in args)
    return f"window.__gsPreview && window.__gsPreview.{function}({encoded})"


class Bridge(QObject):
    """The object the page sees as ``previewBridge`` over QWebChannel.

    Slots are called from JavaScript; each re-emits a plain signal so the rest
    of the preview never deals with the channel.
    """

    pageReady = Signal(str)  # the page's URL; the runtime is loaded and waiting
    runtimeEvent = Signal(str, dict)  # onEvent(name, props)
    selectorPicked = Signal(str)
    notified = Signal(str)  # a tag given to watchText(); benchmarks and tests wait on it
    guideBoxChanged = Signal(object)  # {x, y, w, h, step, beacon} in CSS px, or None
    canvasMessage = Signal(dict)  # the canvas editor: begin, edit, check, step, command, end

    @Slot(str)
    def ready(self, url: str) -> None:
        self.pageReady.emit(url)

    @Slot(str, str)
    def event(self, name: str, props: str) -> None:
        try:
            data = json.loads(props)
        except ValueError:
            data = {"raw": props}
        self.runtimeEvent.emit(name, data if isinstance(data, dict) else {"value": data})

    @Slot(str)
    def picked(self, selector: str) -> None:
        self.selectorPicked.emit(selector)

    @Slot(str)
    def notify(self, tag: str) -> None:
        self.notified.emit(tag)

    @Slot(str)
    def guideBox(self, box: str) -> None:  # noqa: N802 - the page's name for it
        self.guideBoxChanged.emit(_json_object(box))

    @Slot(str)
    def canvas(self, message: str) -> None:
        """A message of the canvas editor (``canvas-edit.js``), JSON with a ``type``."""
        data = _json_object(message)
        if data is not None:
            self.canvasMessage.emit(data)


def _json_object(text: str) -> dict[str, Any] | None:
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
