"""Screenshots of the live preview with no window: ``guidestudio preview --png`` / ``--all``.

Reviewers of a pull request should see the guide exactly as the editor's
preview (and so the product) shows it. This renders the same
``PreviewSurface`` off screen at zoom 1, so the image is the device's size in
CSS pixels, and grabs it once the runtime has rendered the step and the page
has painted two more frames. One page is loaded and reused for every shot.
"""

from __future__ import annotations

import html
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidestudio.core.model import Project
from guidestudio.widgets.preview.bridge import js_call


def prepare_environment() -> None:
    """Headless Qt and a web engine that starts in containers, set before Qt starts.

    Inside a process that already runs Qt (tests, the editor) nothing is
    changed: the web engine's helper processes must see the flags it started with.
    """
    import sys

    qt = sys.modules.get("PySide6.QtWidgets")
    if qt is not None and qt.QApplication.instance() is not None:
        return
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")
    if "--force-prefers-reduced-motion" not in flags:  # final states, not mid-animation
        flags += " --force-prefers-reduced-motion"
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = flags.strip()
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")  # Chromium refuses root


def application() -> Any:
    """The running QApplication, or a new one set up for QtWebEngine."""
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
        app = QApplication(["guidestudio-preview"])
    return app


# What the theme does under prefers-reduced-motion, whatever the engine was started with:
# a screenshot shows the final state of a step, never a frame of its fade-in.
STILL_CSS = """(function () {
  var s = document.createElement('style');
  s.textContent = '.gs-root *, .gs-root *::before, .gs-root *::after ' +
    '{animation: none !important; transition: none !important}';
  document.documentElement.appendChild(s);
})();"""


class ShotError(Exception):
    """The host page could not be loaded or the runtime did not answer."""


class PlanError(ValueError):
    """The command line asks for something the project does not have (a usage error)."""


@dataclass(frozen=True)
class Job:
    """One screenshot to take: a guide's variant in a locale, at a step (0-based)."""

    guide_id: str
    variant: str
    locale: str
    step: int = 0

    @property
    def file_name(self) -> str:
        return f"{self.guide_id}--{self.variant}--{self.locale}.png"


@dataclass(frozen=True)
class Shot:
    guide_id: str
    variant: str
    locale: str
    path: Path


def plan_shots(project: Project, guide_id: str | None, variant: str | None,
               locale: str | None, step: int | None, single: bool) -> list[Job]:
    """What to render. ``single`` (``--png``): one guide, its first variant and the default
    locale unless given. Otherwise (``--all``) every guide that is not archived × its
    variants (or the one given, where a guide has it) × the project's locales (or the one
    given); ``step`` (1-based) is clamped to each variant's steps."""
    locales = list(project.settings.locales)
    if locale is not None and locale not in locales:
        raise PlanError(f"locale {locale!r} is not one of the project's ({', '.join(locales)})")
    if guide_id is not None and guide_id not in project.guides:
        raise PlanError(f"no guide {guide_id!r} (guides: {', '.join(sorted(project.guides))})")
    ids = [guide_id] if guide_id else sorted(
        gid for gid, guide in project.guides.items() if guide.status != "archived")
    jobs = []
    for gid in ids:
        variants = {v.key: len(v.steps) for v in project.guides[gid].variants}
        keys = list(variants)[:1] if single else list(variants)
        variants["control"] = 1  # allowed when asked for: the page as the control group sees it
        if variant is not None and variant not in variants:
            if single or guide_id:
                raise PlanError(f"guide {gid!r} has no variant {variant!r} "
                                f"({', '.join(variants)})")
            continue
        for key in [variant] if variant else keys:
            steps = max(variants[key], 1)
            if step is not None and single and not 1 <= step <= steps:
                raise PlanError(f"--step {step}: variant {key!r} of {gid!r} has {steps} "
                                f"step{'s' * (steps != 1)}")
            index = min(max((step or 1) - 1, 0), steps - 1)
            for loc in [locale] if locale else (
                    [project.settings.default_locale] if single else locales):
                jobs.append(Job(gid, key, loc, index))
    if not jobs:
        raise PlanError(f"no guide has a variant {variant!r}" if variant else "no guides to render")
    return jobs


def render_shots(project: Project, jobs: list[Job], out: Path, into_folder: bool,
                 device: str = "desktop", profile_id: str | None = None,
                 host: str | None = None) -> tuple[list[Shot], Path | None]:
    """Render ``jobs`` to PNG: the one job to the file ``out``, or every job into the folder
    ``out`` with an ``index.html`` (returned as the second value)."""
    from guidestudio.widgets.preview.bridge import build_bundle

    application()
    folder = out if into_folder else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    shots: list[Shot] = []
    shooter = Shooter(project, device, profile_id, host=host)
    try:
        bundles: dict[str, dict[str, Any]] = {}
        for job in jobs:
            if job.guide_id not in bundles:
                bundles[job.guide_id] = build_bundle(project, job.guide_id, shooter.asset_base)
            image = shooter.take(bundles[job.guide_id], job.guide_id, job.variant, job.locale,
                                 job.step)
            path = out if folder is None else folder / job.file_name
            if not image.save(str(path), "PNG"):
                raise ShotError(f"{path}: cannot be written")
            shots.append(Shot(job.guide_id, job.variant, job.locale, path))
    finally:
        shooter.close()
    if folder is None:
        return shots, None
    title = f"{project.settings.name} — guide previews ({device})"
    return shots, write_index(folder, shots, title)


class Shooter:
    """One off-screen preview at a device size, reused for every screenshot."""

    #: How long a painted frame may take to reach the widget, and to stop changing.
    CHANGE_S, SETTLE_S = 0.6, 2.0

    def __init__(self, project: Project, device: str, profile_id: str | None = None,
                 host: str | None = None, timeout_s: float = 30.0) -> None:
        from guidestudio.widgets.preview.bridge import asset_base_for, find_profile
        from guidestudio.widgets.preview.page import host_url
        from guidestudio.widgets.preview.surface import DEVICES, PreviewSurface

        self.project = project
        self.profile = find_profile(project, profile_id)
        self.timeout_s = timeout_s
        self.size = DEVICES[device]
        self.surface = PreviewSurface()
        self.surface.LOAD_TIMEOUT_MS = int(timeout_s * 1000)
        self.surface.set_device(device)
        self.surface.set_zoom(1.0)
        self.surface.resize(*self.size)
        self.surface.show()
        self._failure = ""
        self._results: dict[str, Any] = {}
        self.surface.loadFailed.connect(self._failed)
        self.surface.bridge.notified.connect(self._notified)
        url = host_url(host or "")
        self.asset_base = asset_base_for(project, url.toLocalFile() if url.isLocalFile() else None)
        self.surface.load(url)
        self._wait(lambda: self.surface.is_ready, "the host page to load")
        self._idle()

    def close(self) -> None:
        self.surface.close()
        self.surface.deleteLater()
        from PySide6.QtCore import QCoreApplication, QEvent

        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def _failed(self, message: str) -> None:
        self._failure = message

    def _notified(self, tag: str) -> None:
        self._results[tag] = True

    def _wait(self, done: Callable[[], bool], what: str) -> None:
        """Run the event loop until ``done()``, a load failure, or the time-out."""
        from PySide6.QtCore import QEventLoop, QTimer

        deadline = time.monotonic() + self.timeout_s
        loop = QEventLoop()
        poll = QTimer()
        poll.setInterval(25)
        finished = [done()]

        def check() -> None:
            finished[0] = finished[0] or done()
            if finished[0] or self._failure or time.monotonic() > deadline:
                loop.quit()

        poll.timeout.connect(check)
        poll.start()
        if not finished[0]:
            loop.exec()
        poll.stop()
        if not finished[0]:
            raise ShotError(self._failure or f"timed out waiting for {what}")

    def take(self, bundle: dict[str, Any], guide_id: str, variant: str, locale: str,
             step: int = 0) -> Any:
        """The QImage of one guide × variant × locale at ``step`` (0-based)."""
        from guidestudio.widgets.preview.bridge import storage_for, user_for

        state = {"bundle": bundle, "user": user_for(self.profile), "locale": locale,
                 "storage": storage_for(self.project, self.profile), "guide": guide_id,
                 "variant": variant, "step": step}
        key = f"shot-{time.monotonic_ns()}"
        before = self.surface.grab_image()
        self._results.clear()
        self.surface.configure(state)
        self.surface.evaluate(js_call("afterFrames", key))
        self._wait(lambda: key in self._results, f"{guide_id} to render")
        image = self._settled(before)
        if (image.width(), image.height()) != self.size:
            raise ShotError(f"rendered {image.width()}×{image.height()}, expected "
                            f"{self.size[0]}×{self.size[1]}")
        return image

    def _settled(self, before: Any) -> Any:
        """The view's image once the new frame has reached the widget and stopped changing.

        When ``afterFrames`` answers, the page has painted, but the frame may
        reach the widget a little later: wait for the image to differ from
        ``before`` (taken before the runtime was told what to show, on an idle
        page) and then for three equal grabs in a row. A step that changes
        nothing on screen (the control group) is taken after ``CHANGE_S``, one
        that never stops animating after ``SETTLE_S``.
        """
        grabs: list[Any] = []
        start = time.monotonic()

        def settled() -> bool:
            waited = time.monotonic() - start
            grabs.append(self.surface.grab_image())
            changed = grabs[-1] != before
            if waited > self.SETTLE_S or (not changed and waited > self.CHANGE_S):
                return True
            return changed and len(grabs) > 2 and grabs[-1] == grabs[-2] == grabs[-3]

        self._wait(settled, "the page to paint")
        return grabs[-1]

    def _idle(self) -> None:
        """Let the host page paint what it paints on its own before the first shot."""
        key = f"idle-{time.monotonic_ns()}"
        self.surface.evaluate(STILL_CSS)
        self.surface.evaluate(js_call("afterFrames", key))
        self._wait(lambda: key in self._results, "the host page to paint")
        self._settled(None)


def write_index(outdir: Path, shots: list[Shot], title: str) -> Path:
    """``index.html``: every screenshot, grouped by guide, for a reviewer to scroll through."""
    by_guide: dict[str, list[Shot]] = {}
    for shot in shots:
        by_guide.setdefault(shot.guide_id, []).append(shot)
    parts = [f"<!doctype html><meta charset=utf-8><title>{html.escape(title)}</title>",
             "<style>body{font:14px system-ui,sans-serif;margin:24px}figure{display:inline-block;"
             "margin:0 16px 16px 0;vertical-align:top}img{max-width:360px;border:1px solid #ccc}"
             "</style>", f"<h1>{html.escape(title)}</h1>"]
    for guide_id, group in by_guide.items():
        parts.append(f"<h2 id={html.escape(guide_id, quote=True)}>{html.escape(guide_id)}</h2>")
        for shot in group:
            name = html.escape(shot.path.name, quote=True)
            caption = html.escape(f"{shot.variant} · {shot.locale}")
            parts.append(f'<figure><a href="{name}"><img src="{name}" alt="{caption}"></a>'
                         f"<figcaption>{caption}</figcaption></figure>")
    index = outdir / "index.html"
    index.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return index
