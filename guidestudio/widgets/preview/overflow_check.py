"""Measure, in the web engine, whether the shown step's texts fit their box.

Layout is the browser's: only the page knows that “[Ŝţöŕåğé åļɱöšţ ƒûļļ ·····]”
wraps past a 390 px card. ``OVERFLOW_JS`` compares each text element's and
button's scroll size with its client size (a label cut by its button), its
right edge with the card's (a button pushed out of it), and where the card's
content ends with its bottom (the card scrolls because the text is too long; its
scroll height alone would count the theme's arrow, which sits outside it).
The words are ``core/l10n/overflow.py``'s.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from guidestudio.core.l10n.overflow import Overflow, overflow_problem, parse_overflows
from guidestudio.core.l10n.pseudo import PSEUDO_LOCALES
from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.preview.controls import language_name
from guidestudio.widgets.preview.surface import PreviewSurface

#: The shown step's overflows, as JSON: [{part, how, text}] (1 px of rounding is allowed).
OVERFLOW_JS = """(function () {
  var step = document.querySelector('.gs-root .gs-step');
  if (!step || !step.getClientRects().length) return '[]';
  var out = [], card = step.getBoundingClientRect(), parts = {
    title: '.gs-title', body: '.gs-body', button: '.gs-btn', item: '[data-gs-item]'};
  Object.keys(parts).forEach(function (part) {
    step.querySelectorAll(parts[part]).forEach(function (el) {
      var box = el.getBoundingClientRect(), how = null;
      if (!el.getClientRects().length) return;
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) how = 'cut';
      else if (box.right > card.right + 1 || box.left < card.left - 1) how = 'wider';
      // (an item is named by its label: its state words are for screen readers)
      var named = el.querySelector('.gs-item-label') || el;
      if (how) out.push({part: part, how: how, text: named.textContent.trim().slice(0, 60)});
    });
  });
  // the card scrolls when its content (not the theme's arrow, placed outside it) ends below it
  var end = card.top, bottom = card.bottom - parseFloat(getComputedStyle(step).borderBottomWidth);
  [].forEach.call(step.children, function (el) {
    if (!/absolute|fixed/.test(getComputedStyle(el).position)) {
      end = Math.max(end, el.getBoundingClientRect().bottom + step.scrollTop);
    }
  });
  if (end > bottom + 1) out.push({part: 'step', how: 'scroll', text: ''});
  return JSON.stringify(out);
})()"""


def measure_overflow(surface: PreviewSurface, done: Callable[[list[Overflow]], None]) -> None:
    """Ask the page what of the shown step overflows; ``done`` gets the findings."""
    surface.evaluate(OVERFLOW_JS, lambda answer: done(parse_overflows(_json(answer))))


def _json(answer: object) -> object:
    """The page's JSON; a page that is going away answers "" (or nothing): no findings."""
    try:
        return json.loads(answer) if isinstance(answer, str) else None
    except ValueError:
        return None


class OverflowCheck(QObject):
    """Measures the shown step a moment after it moved or changed, and files Problems rows.

    ``shown()`` says what the canvas shows: (guide id, variant index, step index,
    locale, device), or None. The rows go to ``set_page_problems`` under the
    guide's variants, apart from the anchor check's, and are replaced each time.
    """

    #: Layout settles (fonts, images) within a frame or two of the runtime's render.
    DELAY_MS = 150

    def __init__(self, document: EditableDocument, surface: PreviewSurface,
                 shown: Callable[[], tuple[str, int, int, str, str] | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document, self.surface, self.shown = document, surface, shown
        self._entity: tuple[str, ...] | None = None
        self._asked: tuple[str, int, int, str, str] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DELAY_MS)
        self._timer.timeout.connect(self.measure)
        surface.guideMoved.connect(self._timer.start)

    def request(self) -> None:
        """Measure a moment from now (again, if one was due)."""
        self._timer.start()

    def measure(self) -> None:
        self._asked = self.shown()
        if self._asked is not None:  # a bound method: the surface drops it once we are deleted
            self.surface.evaluate(OVERFLOW_JS, self._answered)

    def _answered(self, answer: object) -> None:
        asked = self._asked
        if asked is None or asked != self.shown():
            return  # the canvas shows something else by now
        found = parse_overflows(_json(answer))
        guide_id, _variant, step, locale, device = asked
        project = self.document.project
        guide = project.guides.get(guide_id)
        if guide is None:
            return
        files = getattr(self.document, "files", None)
        file = files.file_of("guides", guide_id) if files is not None \
            else f"guides/{guide_id}.yaml"
        language = PSEUDO_LOCALES.get(locale) or language_name(locale)
        problems = [overflow_problem(file, guide.name or guide_id, f"step {step + 1}", language,
                                     device, item) for item in found]
        entity = ("guides", guide_id, "variants")
        if self._entity not in (None, entity):
            self.document.set_page_problems(self._entity, [])
        self._entity = entity
        self.document.set_page_problems(entity, problems)
