"""Ask the host page on the canvas whether the guide's elements are there, and say so.

The runtime, finding no element for a tooltip step, quietly skips it (or
waits, or shows a modal) and logs a ``step_error`` row in the diagnostics —
which is how a typo in ``#advanced-search`` used to go unnoticed. So, once a
page is up and whenever the guide's anchors may have changed (an edit, a
``step_error``, another page), the canvas asks the page about every anchored
step of every variant, not just the one on screen: does each selector match a
rendered element? When one does not, it also collects the page's own stable
selectors by the element picker's rules (``PICKER_JS``'s ``candidates``) for
"did you mean".

The answer becomes Problems rows and a hint under the step's Element field
(``Document.set_page_problems``) and a clause of the verdict; the words are
``core/describe/anchors.py``'s, the ranking ``core/page_anchors.py``'s.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from guidestudio.core.bundle.compiler import CompileError, compile_guide
from guidestudio.core.describe.anchors import anchor_problems, verdict_clause
from guidestudio.core.page_anchors import (
    MISSING,
    AnchoredStep,
    MissingAnchor,
    anchored_steps,
    missing_anchors,
    suggest_selectors,
)
from guidestudio.widgets.kit.editing import EditableDocument

#: At most this many selectors are collected from a page for "did you mean".
MAX_CANDIDATES = 5000
#: Checks wait for the edits to pause this long (a check compiles the whole guide).
CHECK_DELAY_MS = 250

#: What the page answers: each selector's state (core/page_anchors.py's names), the page's
#: address, and — only when something is missing — the picker's selectors for its elements.
CHECK_JS = """(function (sels, max, serial) {
  var states = {}, lacking = false;
  sels.forEach(function (s) {
    var found;
    try { found = document.querySelectorAll(s); } catch (e) { states[s] = 'invalid'; return; }
    var shown = [].some.call(found, function (el) { return el.getClientRects().length > 0; });
    states[s] = shown ? 'ok' : found.length ? 'hidden' : 'missing';
    lacking = lacking || !shown;
  });
  var P = window.__gsPicker;
  return JSON.stringify({serial: serial, url: location.href, states: states,
                         candidates: lacking && P ? P.candidates(max) : []});
})(%s, %d, %d)"""


@dataclass(frozen=True)
class AnchorReport:
    """What one check found for one guide on one page."""

    guide_id: str
    url: str
    missing: tuple[MissingAnchor, ...]
    fixes: dict[str, tuple[str, ...]]


#: The strip is yellow in either colour scheme: a link colour that reads on it in both.
LINK_COLOUR = "#1d4ed8"
#: A one-click fix on the canvas strip: where it is written, the selector, the link's words.
CanvasFix = tuple[tuple[Any, ...], str, str]


def canvas_note(report: AnchorReport, variant_key: str | None) -> tuple[str, list[CanvasFix]]:
    """The strip over the canvas when the shown variant lacks an element on this page (""
    if not), and the best fix per step: the canvas is where the guide is missing, so that
    is where it is said — and mended — first."""
    shown = [m for m in report.missing if m.at.variant_key == variant_key]
    if not shown:
        return "", []
    clause = verdict_clause(shown)
    text = clause[0].upper() + clause[1:] + "."
    if any(m.nothing_shows for m in shown):
        text = "Nothing of this guide shows here. " + text
    fixes: list[CanvasFix] = []
    for m in shown:
        offers = report.fixes.get(m.at.selector)
        if offers:
            whose = f" for step {m.at.step + 1}" if m.at.steps > 1 else ""
            fixes.append((("guides", report.guide_id, *m.at.path), offers[0],
                          f"Use {offers[0]}{whose}"))
    return text, fixes


def note_html(text: str, fixes: list[CanvasFix]) -> str:
    """The strip's rich text: the sentence, then each fix as a link (``href`` = its index)."""
    links = " · ".join(f'<a href="{i}" style="color:{LINK_COLOUR}">{html.escape(label)}</a>'
                       for i, (_, _, label) in enumerate(fixes))
    return html.escape(text) + (f" {links}" if links else "")


class AnchorCheck(QObject):
    """Checks one guide's anchors on one surface's page and publishes what is missing.

    ``request()`` asks for a check soon (edits pause first); the result goes to
    the document (Problems, the Element field) and to ``checked`` (the verdict).
    A result that arrives for another guide or page than the current one is dropped.
    """

    checked = Signal(object)  # AnchorReport

    def __init__(self, document: EditableDocument, surface: Any,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.surface = surface
        self.guide_id: str | None = None
        self.report: AnchorReport | None = None
        self._serial = 0  # the last question asked; older answers are dropped
        self._asked: tuple[str, list[AnchoredStep]] | None = None  # about what
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.run)

    def follow(self, guide_id: str | None) -> None:
        """Check this guide from now on (its last report stays in the document)."""
        if guide_id != self.guide_id:
            self.guide_id = guide_id
            self.report = None

    def request(self, delay_ms: int = CHECK_DELAY_MS) -> None:
        if self.guide_id is not None:
            self._timer.start(delay_ms)

    def page_changed(self) -> None:
        """Another host page: what the last one showed no longer applies to any guide."""
        self.report = None
        self.document.clear_page_problems()

    def run(self) -> None:
        """Ask the page now (when it is up and shows our guide)."""
        guide_id, surface = self.guide_id, self.surface
        guide = self.document.project.guides.get(guide_id) if guide_id else None
        if guide is None or not surface.is_ready or not surface.configured:
            return
        try:
            compiled = compile_guide(self.document.project, guide)
        except CompileError:
            return  # the banner says why; the last report stays
        steps = anchored_steps(compiled)
        if not steps:
            self._publish(AnchorReport(guide_id, surface.url.toString(), (), {}))
            return
        selectors = sorted({s.selector for s in steps})
        self._serial += 1
        source = CHECK_JS % (json.dumps(selectors), MAX_CANDIDATES, self._serial)
        self._asked = (guide_id, steps)
        # A bound method: the surface drops the answer if this object is gone by then.
        surface.evaluate(source, self._answered)

    def _answered(self, answer: Any) -> None:
        try:
            data = json.loads(answer) if isinstance(answer, str) else None
        except ValueError:
            data = None
        asked = self._asked
        if not isinstance(data, dict) or data.get("serial") != self._serial or asked is None \
                or asked[0] != self.guide_id:
            return  # a newer question is on its way, or the guide changed meanwhile
        guide_id, steps = asked
        states = {str(k): str(v) for k, v in (data.get("states") or {}).items()}
        candidates = [(str(c[0]), int(c[1])) for c in data.get("candidates") or []
                      if isinstance(c, list) and len(c) == 2]
        missing = missing_anchors(steps, states)
        fixes = {m.at.selector: tuple(suggest_selectors(m.at.selector, candidates))
                 for m in missing if states.get(m.at.selector) == MISSING}
        self._publish(AnchorReport(guide_id, str(data.get("url") or ""), tuple(missing), fixes))

    def _publish(self, report: AnchorReport) -> None:
        document, guide_id = self.document, report.guide_id
        files = getattr(document, "files", None)
        file = files.file_of("guides", guide_id) if files is not None \
            else f"guides/{guide_id}.yaml"

        def locate(path: tuple[object, ...]) -> int | None:
            return files.locate(file, path) if files is not None else None

        found = anchor_problems(document.project, guide_id, file, report.url, report.missing,
                                report.fixes, locate)
        hints = {("guides", guide_id, *m.at.path): hint
                 for m, (_, hint) in zip(report.missing, found, strict=True)}
        document.set_page_problems(("guides", guide_id), [p for p, _ in found], hints)
        self.report = report
        self.checked.emit(report)

    def missing_for(self, guide_id: str | None) -> tuple[MissingAnchor, ...]:
        """What the last check found missing, if it was about ``guide_id``."""
        report = self.report
        return report.missing if report is not None and report.guide_id == guide_id else ()
