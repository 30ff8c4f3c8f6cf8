"""Guide CI in the engine: ``guidestudio check`` asks real host pages about every step.

For each device the preview offers, one off-screen preview (``shot.Shooter``,
the same one ``guidestudio preview --png`` uses) visits each host page. On a
page it asks once about every anchor the page's guides name (how many elements
match, and the box of each rendered one), then shows each step as the preview
does (the runtime on the page, told which guide, variant, step and locale;
every guide's own trigger switched off) and measures the step card against the
viewport. What the answers mean is ``core/guide_check.py``'s; a failure can be
photographed (``--png``) as the page looked when it was found.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

from guidestudio.core.bundle.bundle_file import finalize
from guidestudio.core.guide_check import (
    RENDERED_MORE_THAN_ONCE,
    CheckReport,
    Failure,
    StepToCheck,
    anchor_reason,
    fit_reason,
    steps_for_page,
)
from guidestudio.core.model import Project
from guidestudio.widgets.preview.bridge import js_call, preview_guide, storage_for
from guidestudio.widgets.preview.shot import Shooter, ShotError, application

#: Each selector: how many elements match, and the box of each one with a layout box.
ANCHORS_JS = """(function (sels) {
  var out = {};
  sels.forEach(function (s) {
    var found;
    try { found = document.querySelectorAll(s); } catch (e) { out[s] = {invalid: true}; return; }
    var boxes = [];
    [].forEach.call(found, function (el) {
      if (!el.getClientRects().length) return;
      var r = el.getBoundingClientRect(), cs = getComputedStyle(el);
      boxes.push({w: r.width, h: r.height,
                  hidden: cs.visibility !== 'visible' || Number(cs.opacity) === 0});
    });
    out[s] = {count: found.length, boxes: boxes};
  });
  return JSON.stringify(out);
})(%s)"""

#: A hotspot shows its beacon first: open it, as a user would, before measuring the step.
OPEN_HOTSPOT_JS = """(function () {
  var b = document.querySelector('.gs-root .gs-beacon');
  if (b && b.getAttribute('aria-expanded') === 'false') b.click();
})()"""

#: The shown step card against the viewport, and how far its content runs below what the
#: card shows. Not ``scrollHeight``: the tooltip's arrow is positioned outside the card and
#: counts there, though nothing of the text is hidden; only children in the flow count.
STEP_BOX_JS = """(function () {
  var el = document.querySelector('.gs-root .gs-step');
  if (!el || !el.getClientRects().length) return 'null';
  var r = el.getBoundingClientRect(), cs = getComputedStyle(el), bottom = -Infinity;
  [].forEach.call(el.children, function (c) {
    var p = getComputedStyle(c).position;
    if (p === 'absolute' || p === 'fixed' || !c.getClientRects().length) return;
    bottom = Math.max(bottom, c.getBoundingClientRect().bottom +
                      (parseFloat(getComputedStyle(c).marginBottom) || 0));
  });
  var shows = r.top + el.clientTop + el.clientHeight - (parseFloat(cs.paddingBottom) || 0);
  return JSON.stringify({x: r.left, y: r.top, w: r.width, h: r.height,
                         vw: document.documentElement.clientWidth || innerWidth,
                         vh: document.documentElement.clientHeight || innerHeight,
                         overflow: Math.max(0, bottom - shows)});
})()"""


class PageChecker(Shooter):
    """One preview at one device size, visiting host pages and answering about steps."""

    def goto(self, url: str) -> None:
        """Load another host page and wait until it has painted."""
        from guidestudio.widgets.preview.page import host_url

        self._failure = ""
        self.surface.load(host_url(url))
        self._wait(lambda: self.surface.is_ready, f"{url} to load")
        self._idle()

    def ask(self, source: str) -> Any:
        """Run a script in the page and wait for its answer."""
        box: list[Any] = []
        self.surface.evaluate(source, box.append)
        self._wait(lambda: bool(box), "the page to answer")
        return box[0]

    def frames(self, source: str | None = None) -> None:
        """Run ``source`` (if any), then wait until the page has painted twice."""
        if source:
            self.surface.evaluate(source)
        key = f"frames-{time.monotonic_ns()}"
        self._results.clear()
        self.surface.evaluate(js_call("afterFrames", key))
        self._wait(lambda: key in self._results, "the page to paint")

    def anchors(self, selectors: list[str]) -> dict[str, Any]:
        answer = self.ask(ANCHORS_JS % json.dumps(selectors))
        return json.loads(answer) if isinstance(answer, str) else {}

    def show(self, bundle: dict[str, Any], step: StepToCheck, locale: str) -> dict[str, Any] | None:
        """Show one step as the preview does; the step card's box, or None if not shown."""
        state = {"bundle": bundle, "user": {}, "locale": locale,
                 "storage": storage_for(self.project, None), "guide": step.guide_id,
                 "variant": step.variant, "step": step.index}
        self.surface.configure(state)
        self.frames()
        if step.layout == "hotspot":
            self.frames(OPEN_HOTSPOT_JS)
        answer = self.ask(STEP_BOX_JS)
        box = json.loads(answer) if isinstance(answer, str) else None
        return box if isinstance(box, dict) else None

    def picture(self) -> Any:
        return self._settled(None)


def _checkable(bundle: dict[str, Any]) -> dict[str, Any]:
    """The bundle with every guide's trigger off: only the step asked for shows."""
    copy = {k: v for k, v in bundle.items() if k != "checksum"}
    copy["guides"] = [preview_guide(g) for g in bundle.get("guides", [])]
    return finalize(copy)


def _shot_name(page_no: int, f: Failure) -> str:
    raw = f"p{page_no}--{f.guide_id}--{f.variant}--{f.step}--{f.device}--{f.locale or 'any'}"
    return re.sub(r"[^A-Za-z0-9._-]+", "_", raw)[:150] + ".png"


def check_pages(project: Project, bundle: dict[str, Any], pages: list[str], devices: list[str],
                locales: list[str], png: Path | None = None) -> CheckReport:
    """Check every page at every device size; the report lists what failed."""
    application()
    report = CheckReport(pages=list(pages), devices=list(devices), locales=list(locales))
    shown = _checkable(bundle)
    checked: set[str] = set()
    if png is not None:
        png.mkdir(parents=True, exist_ok=True)
    for device in devices:
        checker: PageChecker | None = None
        try:
            for page_no, url in enumerate(pages, 1):
                failures: list[Failure] = []
                try:
                    if checker is None:
                        checker = PageChecker(project, device, host=url)
                    else:
                        checker.goto(url)
                except ShotError as exc:
                    report.failures.append(Failure(url, device, "", "", "", "", "", "",
                                                   f"the page did not load: {exc}"))
                    if checker is not None:
                        checker.close()
                        checker = None
                    continue
                steps = steps_for_page(bundle, url)
                selectors = sorted({s.selector for s in steps if s.selector} |
                                   {s.trigger_selector for s in steps if s.trigger_selector})
                answers = checker.anchors(selectors) if selectors else {}
                unclickable = set()
                for step in steps:
                    if step.trigger_selector and step.guide_id not in unclickable:
                        reason = anchor_reason(answers.get(step.trigger_selector) or {})
                        if reason and RENDERED_MORE_THAN_ONCE not in reason:
                            unclickable.add(step.guide_id)
                            if step.url_glob:
                                report.checks += 1
                                failures.append(Failure(
                                    url, device, step.guide_id, step.guide_name, "", "trigger",
                                    "", step.trigger_selector,
                                    f"the element clicked to show the guide: {reason}"))
                steps = [s for s in steps if s.guide_id not in unclickable]
                checked.update(s.guide_id for s in steps)
                for step in steps:
                    anchor_failed = False
                    if step.selector:
                        report.checks += 1
                        reason = anchor_reason(answers.get(step.selector) or {},
                                               step.without_anchor)
                        if reason:
                            anchor_failed = True
                            failures.append(Failure(url, device, step.guide_id, step.guide_name,
                                                    step.variant, step.label, "",
                                                    step.selector, reason))
                    if anchor_failed:
                        continue  # the runtime skips (or waits for) it: nothing to measure
                    for locale in locales:
                        report.checks += 1
                        reason = fit_reason(step, checker.show(shown, step, locale))
                        if reason:
                            failure = Failure(url, device, step.guide_id, step.guide_name,
                                              step.variant, step.label, locale,
                                              step.selector or "", reason)
                            failures.append(_photographed(checker, png, page_no, failure))
                if png is not None:  # anchors: the page as it is, no step on it
                    failures = [f if f.screenshot or f.locale else
                                _photographed(checker, png, page_no, f, clear=True)
                                for f in failures]
                report.failures.extend(failures)
        finally:
            if checker is not None:
                checker.close()
    report.guides = sorted(checked)
    return report


def _photographed(checker: PageChecker, png: Path | None, page_no: int, failure: Failure,
                  clear: bool = False) -> Failure:
    if png is None:
        return failure
    if clear:
        checker.surface.configure({"bundle": None, "guide": None})
        checker.frames()
    path = png / _shot_name(page_no, failure)
    if not checker.picture().save(str(path), "PNG"):
        raise ShotError(f"{path}: cannot be written")
    from dataclasses import replace

    return replace(failure, screenshot=str(path))
