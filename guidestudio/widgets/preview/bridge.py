"""What the preview hands the runtime (the channel the page talks back on: ``channel``).

The preview runs the product's runtime on a bundle compiled from the editor's
current state (DESIGN.md, "The one idea"). Two things differ from a product,
on purpose, and both live here so they are easy to audit:

* every guide's ``trigger`` is replaced by one that never fires, because in
  the preview *we* decide what shows (``show()``), not the host page's own
  page views or clicks — otherwise opening the preview would also start every
  other guide the sample profile qualifies for;
* the runtime's ``storage`` is an in-memory object seeded with the sample
  profile's event history, so nothing is written to the host page's
  ``localStorage`` and a replay always starts from the same history.

Step markup, themes, placement and behaviour are the bundle's and the
runtime's own. The JavaScript side (``resources/preview/preview-bridge.js``)
runs in an isolated world next to the runtime, so the host page can neither
see nor break it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
import urllib.parse
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from guidestudio.core.bundle.bundle_file import finalize
from guidestudio.core.bundle.compiler import (
    CompileError,
    bundle_context,
    compile_guide,
    compile_project,
)
from guidestudio.core.describe import problem_line
from guidestudio.core.eligibility import Decision, decide
from guidestudio.core.l10n.pseudo import is_pseudo, pseudo_project
from guidestudio.core.model import Profile, Project

# Their home was here; importers of this module still find them.
from guidestudio.widgets.preview.channel import Bridge as Bridge
from guidestudio.widgets.preview.channel import js_call as js_call

#: A trigger no product event can match: the preview shows guides with ``show()`` only.
NEVER_TRIGGER = {"on": "event", "event": "__guidestudio_preview_only__"}
CONTROL = "control"


def find_profile(project: Project, profile_id: str | None) -> Profile | None:
    for profile in project.profiles:
        if profile.id == profile_id:
            return profile
    return None


def user_for(profile: Profile | None) -> dict[str, Any]:
    """The runtime's ``user``: the profile's attributes (placeholders are filled from them)."""
    return dict(profile.attributes) if profile is not None else {}


def history_for(profile: Profile | None) -> dict[str, Any]:
    """The runtime's stored history for a profile: its past events, nothing shown yet."""
    events = dict(profile.events or {}) if profile is not None else {}
    return {"v": 1, "guides": {}, "events": events}


def replay_events(project: Project, guide_id: str | None, variant: str | None,
                  profile: Profile | None) -> list[str]:
    """The sample user's past events that tick items of the shown checklist, to ``track`` once
    the guide is up: the product ticks an item when its event is tracked while the checklist
    exists, so a profile that uploaded files sees "Upload your first file" done."""
    guide = project.guides.get(guide_id) if guide_id else None
    if guide is None or profile is None or not profile.events or not guide.variants:
        return []
    chosen = next((v for v in guide.variants if v.key == variant), guide.variants[0])
    wanted = [item.event for step in chosen.steps for item in step.items if item.event]
    return [name for name in dict.fromkeys(wanted) if name in profile.events]


def storage_for(project: Project, profile: Profile | None) -> dict[str, str]:
    """The in-memory storage the runtime starts from (one key per project, docs/runtime.md)."""
    return {f"guidestudio:{project.settings.id}": json.dumps(history_for(profile))}


def preview_guide(compiled: dict[str, Any]) -> dict[str, Any]:
    """A compiled guide as the preview hands it over: the same, but it never triggers itself."""
    return {**compiled, "trigger": dict(NEVER_TRIGGER)}


def asset_base_for(project: Project, host_file: str | Path | None) -> str | None:
    """Where images come from: the project's ``assets/`` relative to a local host page.

    A product serves assets from ``asset_base_url``; a local host page (the demo
    app, a saved HTML file) cannot, so it gets a relative path to the project's
    own folder. A remote host page keeps the project's setting, like production.
    """
    if host_file is None or project.root is None:
        return None
    try:
        rel = os.path.relpath(Path(project.root) / "assets", Path(host_file).parent)
    except ValueError:  # another drive (Windows)
        return None
    return urllib.parse.quote(Path(rel).as_posix(), safe="/.-_~") + "/"


def startable_guides(project: Project, guide_id: str | None) -> set[str]:
    """``guide_id`` and every guide a button of it starts, and theirs, and so on."""
    found: set[str] = set()
    todo = [guide_id] if guide_id is not None else []
    while todo:
        gid = todo.pop()
        guide = project.guides.get(gid)
        if gid in found or guide is None:
            continue
        found.add(gid)
        todo += [button.guide for variant in guide.variants for step in variant.steps
                 for button in step.buttons if button.action == "guide" and button.guide]
    return found


def build_bundle(project: Project, guide_id: str | None,
                 asset_base: str | None = None, pseudo: str | None = None) -> dict[str, Any]:
    """A ``preview`` bundle of ``guide_id`` (whatever its status) and the guides its buttons
    can start, that compile; raises ``CompileError`` only when ``guide_id`` itself does not.

    The other guides are in it so a button that starts another guide works; one of
    them being broken must not stop the designer previewing this one. Only those:
    compiling all 2,000 guides of a large project to show one took half a minute.
    ``pseudo``: with that pseudo locale too (core/l10n/pseudo.py), for this preview only.
    """
    wanted = startable_guides(project, guide_id)
    guides = {gid: guide for gid, guide in project.guides.items() if gid in wanted}
    if pseudo:
        project = pseudo_project(project, guides, pseudo)
        guides = dict(project.guides)
    if guide_id in guides and guides[guide_id].status == "archived":
        guides[guide_id] = dataclasses.replace(guides[guide_id], status="draft")  # previewable
    try:
        bundle = compile_project(dataclasses.replace(project, guides=guides),
                                 include_drafts=True, asset_base=asset_base)
    except CompileError:
        for gid, guide in list(guides.items()):  # leave out the broken ones, except ours
            try:
                compile_guide(project, guide, asset_base=asset_base)
            except CompileError:
                if gid == guide_id:
                    raise
                del guides[gid]
        bundle = compile_project(dataclasses.replace(project, guides=guides),
                                 include_drafts=True, asset_base=asset_base)
    bundle["guides"] = [preview_guide(g) for g in bundle["guides"]]
    return finalize(bundle)


def compile_for_preview(project: Project, guide_id: str, asset_base: str | None = None,
                        only: tuple[str | None, str | None] | None = None) -> dict[str, Any]:
    """One guide compiled for ``update()``; raises ``CompileError`` like the exporter would.

    ``only`` = (variant key, locale): just what the canvas shows — the runtime
    renders nothing else — which makes a keystroke's recompile ~15× cheaper on
    a guide with two variants in two languages. Its ``experiment`` then lists
    that variant alone: such a guide is for showing, never for deciding.
    """
    guide = project.guides[guide_id]
    locales = None
    if only is not None:
        variant, locale = only
        chosen = [v for v in guide.variants if v.key == variant]
        if chosen:
            guide = dataclasses.replace(guide, variants=chosen)
        if locale is not None and is_pseudo(locale):
            project = pseudo_project(project, {guide_id: guide}, locale)
            guide = project.guides[guide_id]
        if locale in project.settings.locales:
            locales = [locale]
    return preview_guide(compile_guide(project, guide, locales=locales, asset_base=asset_base))


def decision(project: Project, guide_id: str, profile: Profile | None, now_ms: float,
             compiled: dict[str, Any] | None = None) -> Decision:
    """Would the product show this guide to this sample user now (if its trigger fired)?

    The core's answer, not the runtime's: it is the same specification
    (docs/eligibility.md), and it works while the page is still loading.
    ``compiled`` saves compiling the guide again when the caller just did.
    """
    if compiled is None:
        compiled = compile_guide(project, project.guides[guide_id])
    context = bundle_context(project)
    return decide(compiled, user_for(profile), now_ms, history_for(profile), context)


class LiveUpdates(QObject):
    """Turns document changes into what the runtime needs, a moment after the keystroke.

    An edit of the shown guide (or of a segment, inlined into it) recompiles
    that guide alone (~1.5 ms); a theme or the project settings rebuild the
    bundle (the theme CSS lives there); profiles ask for a restart. Other
    guides' edits are ignored (Anki's ``changes``).

    Rate, not delay: the work never runs inside the keystroke's own handler,
    but on a later turn of the event loop — the next one when nothing was
    rendered in the last ``interval`` ms, else when the interval is over (the
    timer is started, never restarted, so steady typing keeps rendering). One
    update is in flight at a time (``done``), so a slow page is never flooded.
    """

    payload = Signal(dict)  # a compiled guide, or a whole bundle, for update()
    failed = Signal(str)  # the guide does not compile: file:line: field: message
    restartNeeded = Signal()  # profiles (or the guide's existence) changed

    def __init__(self, document: Any, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.guide_id: str | None = None
        self.asset_base: str | None = None
        #: (variant key, locale) when only that is shown (see compile_for_preview); None: all
        self.only: tuple[str | None, str | None] | None = None
        self._dirty: set[str] = set()
        self._in_flight = self._again = False
        self.interval_ms = interval_ms
        self._last = 0.0  # time.monotonic() of the last flush
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)
        document.changed.connect(self._on_changed)

    @property
    def pending(self) -> bool:
        return self._timer.isActive() or bool(self._dirty)

    def follow(self, guide_id: str | None) -> None:
        self.guide_id = guide_id
        self._dirty.clear()
        self._in_flight = self._again = False

    def _on_changed(self, change: Any) -> None:
        path = tuple(change.path)
        if self.guide_id is None:
            return
        if not path or path[:2] == ("guides", self.guide_id) or path == ("guides",) \
                or path[0] == "segments":
            self._dirty.add("guide")
        elif path[0] in ("themes", "settings"):
            self._dirty.add("project")
        elif path[0] == "profiles":
            self._dirty.add("profiles")
        else:
            return
        if not self._timer.isActive():
            since_ms = (time.monotonic() - self._last) * 1000
            self._timer.start(max(0, int(self.interval_ms - since_ms)))

    def hurry(self) -> None:
        """Render what is pending on the next turn of the event loop, whatever the rate: the
        edit was typed on the canvas itself, where the person is looking (one update is still
        in flight at most)."""
        if self._timer.isActive():
            self._timer.start(0)

    def flush(self) -> None:
        if self._in_flight:
            self._again = True
            return
        dirty, self._dirty = self._dirty, set()
        self._last = time.monotonic()
        project, guide_id = self.document.project, self.guide_id
        if not dirty or guide_id is None:
            return
        if "profiles" in dirty or guide_id not in project.guides:
            self.restartNeeded.emit()
            return
        try:
            if "project" in dirty:
                locale = self.only[1] if self.only is not None else None
                payload = build_bundle(project, guide_id, self.asset_base,
                                       pseudo=locale if is_pseudo(locale) else None)
            else:
                payload = compile_for_preview(project, guide_id, self.asset_base, self.only)
        except CompileError as exc:
            self.failed.emit(problem_line(project, exc.problem))
            return
        self._in_flight = True
        self.payload.emit(payload)

    def done(self, *_: Any) -> None:
        """The page has applied the last payload; send what changed meanwhile."""
        self._in_flight = False
        if self._again:
            self._again = False
            self.flush()
