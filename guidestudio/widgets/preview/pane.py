"""The live preview: the selected guide on a real page, as the product's runtime shows it.

DESIGN.md's one idea — preview and product run the same runtime on the same
bundle — is what this pane is for. It compiles the guide from the editor's
current state with the exporter's own compiler and hands it to
``guide-runtime.js`` inside a host page (the demo app, a local file or a
staging site). An edit never reloads the page: the changed guide is compiled
alone (~1.5 ms) a moment after the keystroke and the runtime re-renders it in
place, so scroll position and page state stay (Anki's ``changes`` idea: the
pane follows ``Document.changed`` and ignores what does not concern it).

The pane is the window's canvas: texts are edited where they are shown
(``canvas_edit``), steps are navigated on the canvas (the step bar over it),
and clicking a step there selects it in the inspector (``link_selection``).
The diagnostics panel can be handed to the window's bottom panel
(``take_diagnostics``); until then it sits under the page.

The web view is created only when the pane is first shown with a guide
(QtWebEngine's first view costs ~0.4 s), and a guide that does not compile
keeps its last good rendering under a banner that says why.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QSignalBlocker, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFileDialog, QLabel, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from guidestudio.core.bundle.compiler import CompileError
from guidestudio.core.describe import problem_line
from guidestudio.core.l10n.pseudo import is_pseudo
from guidestudio.widgets.kit.bindings import write_value
from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.kit.form_kit import GuideContext
from guidestudio.widgets.preview.anchor_check import (
    CHECK_DELAY_MS,
    AnchorCheck,
    AnchorReport,
    CanvasFix,
    canvas_note,
    note_html,
)
from guidestudio.widgets.preview.bridge import (
    CONTROL,
    LiveUpdates,
    asset_base_for,
    build_bundle,
    find_profile,
    replay_events,
    storage_for,
    user_for,
)
from guidestudio.widgets.preview.canvas_edit import CanvasEditor
from guidestudio.widgets.preview.canvas_selection import SelectionLink
from guidestudio.widgets.preview.canvas_text import step_index
from guidestudio.widgets.preview.compare_view import CompareView, columns_for
from guidestudio.widgets.preview.controls import PreviewControls, note_label
from guidestudio.widgets.preview.diagnostics import DiagnosticsPanel
from guidestudio.widgets.preview.element_picker import ElementPicker, anchor_path
from guidestudio.widgets.preview.overflow_check import OverflowCheck
from guidestudio.widgets.preview.page import demo_url, host_url
from guidestudio.widgets.preview.surface import PreviewSurface


class PreviewPane(QWidget):
    """The preview of one guide: controls, the live page (or a comparison), diagnostics."""

    selectorPicked = Signal(str)
    #: The step shown or clicked on the canvas: (variant index, step index).
    stepSelected = Signal(int, int)
    #: The page's view was just made (``surface``): PreviewSurface.
    surfaceMade = Signal(object)
    #: At most one re-render per this many ms while typing (0 in tests); see LiveUpdates.
    DEBOUNCE_MS = 50

    def __init__(self, document: EditableDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.guide_id: str | None = None
        self.surface: PreviewSurface | None = None
        self.compare: CompareView | None = None
        self.picker: ElementPicker | None = None
        self.anchors: AnchorCheck | None = None  # is each step's element on the page?
        self.overflow: OverflowCheck | None = None  # does the shown text fit its box?
        self._host: QUrl = demo_url()
        self._step = 0
        self._stale = False  # edits arrived while hidden
        self._link: SelectionLink | None = None
        self._given: PreviewSurface | None = None  # give_surface()
        self.editor = CanvasEditor(document, self, self)
        self.editor.stepClicked.connect(self._step_clicked)

        self.controls = PreviewControls(self)
        self.banner = note_label(self, error=True)  # the guide does not compile
        self.message = note_label(self)  # the host page, the control group, the picker
        self.anchor_note = note_label(self)  # a step's element is not on the page
        self.anchor_note.setTextFormat(Qt.TextFormat.RichText)
        self.anchor_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.anchor_note.linkActivated.connect(self._use_fix)
        self._fixes: list[CanvasFix] = []
        self.placeholder = QLabel("Choose a guide to preview it.", self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.placeholder)
        self.diagnostics = DiagnosticsPanel(self)
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.addWidget(self.stack)
        self.split.addWidget(self.diagnostics)
        self.split.setStretchFactor(0, 4)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([560, 140])  # the page first; the log is for when something is off
        self._diagnostics_taken = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for widget in (self.controls, self.banner, self.message, self.anchor_note):
            layout.addWidget(widget)
        layout.addWidget(self.split, 1)
        self.controls.steps.float_over(self.stack)

        self.live = LiveUpdates(document, self.DEBOUNCE_MS, self)
        self.live.asset_base = self._asset_base()
        self.live.payload.connect(self._push)
        self.live.failed.connect(self._compile_failed)
        self.live.restartNeeded.connect(self._restart_later)
        self.editor.written.connect(self.live.hurry)
        # While typing, the canvas gets just the variant and language it shows; the verdict
        # (which needs the whole guide) follows once typing pauses.
        self._decide_later = QTimer(self)
        self._decide_later.setSingleShot(True)
        self._decide_later.setInterval(300)
        self._decide_later.timeout.connect(self._refresh_decision)

        c = self.controls
        c.variant.currentIndexChanged.connect(self._restart)
        c.locale.currentIndexChanged.connect(self._restart)
        c.profile.currentIndexChanged.connect(self._restart)
        c.device.currentIndexChanged.connect(self._apply_view)
        c.zoom.currentIndexChanged.connect(self._apply_view)
        c.edit.toggled.connect(self.set_editing)
        c.back.clicked.connect(self.previous_step)
        c.forward.clicked.connect(self.next_step)
        c.replay.clicked.connect(self.replay)
        c.pick.toggled.connect(self.set_picking)
        c.compare.toggled.connect(self.set_compare)
        c.compare_by.currentIndexChanged.connect(self._compare_columns)
        c.screenshot.triggered.connect(self.save_screenshot)
        c.url.returnPressed.connect(self.load_host)
        c.load.clicked.connect(self.load_host)
        document.reset.connect(self._on_reset)
        self._fill_controls()

    # --- what is shown -------------------------------------------------------------------

    def set_guide(self, guide_id: str | None) -> None:
        """Preview this guide (None: nothing); the page is created on first need."""
        if guide_id is not None and guide_id not in self.document.project.guides:
            guide_id = None
        if guide_id == self.guide_id:
            return
        self.guide_id, self._step = guide_id, 0
        self.live.follow(guide_id)
        if self.anchors is not None:
            self.anchors.follow(guide_id)
        self.anchor_note.hide()
        self.controls.pick.setChecked(False)
        self._fill_controls()
        start = self._link.start_for(guide_id) if self._link is not None else None
        if start is not None:  # the inspector is on this guide already: start where it is
            key, self._step = start
            with QSignalBlocker(self.controls.variant):
                self.controls.variant.setCurrentIndex(max(self.controls.variant.findData(key), 0))
        self._restart()

    def variant(self) -> str | None:
        return self.controls.variant.currentData()

    def locale(self) -> str | None:
        return self.controls.locale.currentData()

    def profile_id(self) -> str | None:
        return self.controls.profile.currentData()

    def current_step(self) -> int:
        """The step on screen (the first column's, when comparing)."""
        shown = self.compare.surfaces[:1] if self.compare is not None else [self.surface]
        step = shown[0].current_step if shown and shown[0] is not None else -1
        return step if step >= 0 else self._step

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.guide_id is not None and (self.surface is None or self._stale):
            self._restart()

    def _shown_for_overflow(self) -> tuple[str, int, int, str, str] | None:
        """What the overflow check measures: the shown step, language and device."""
        if self.guide_id is None or self.compare is not None \
                or not shiboken6.isValid(self.controls.variant):  # (the window is closing)
            return None
        return (self.guide_id, self.variant_index(), self.current_step(),
                self.locale() or self.document.project.settings.default_locale,
                str(self.controls.device.currentData() or "desktop"))

    def _guide(self) -> Any:
        return self.document.project.guides.get(self.guide_id) if self.guide_id else None

    def variant_index(self) -> int:
        guide = self._guide()
        keys = [v.key for v in guide.variants] if guide is not None else []
        key = self.variant()
        return keys.index(key) if key in keys else 0

    def _step_count(self) -> int:
        guide = self._guide()
        if guide is None or not guide.variants:
            return 0
        return len(guide.variants[self.variant_index()].steps)

    def _fill_controls(self) -> None:
        guide = self._guide()
        self.controls.populate(self.document.project, guide)
        self.controls.set_steps(self.current_step(), self._step_count())

    # --- the page ------------------------------------------------------------------------

    def give_surface(self, surface: PreviewSurface) -> None:
        """Use ``surface`` (made earlier, its page perhaps loaded already) for the first view.

        The web engine's start and its first page take most of the time to the
        first guide on the canvas, and need nothing of the project: the window
        starts them while the project loads, and hands the view over here.
        """
        if self.surface is None and self._given is None:
            self._given = surface
        else:
            surface.deleteLater()

    def _ensure_surface(self) -> PreviewSurface:
        if self.surface is None:
            given, self._given = self._given, None
            surface = self.surface = given if given is not None else PreviewSurface(self)
            surface.ready.connect(self._on_ready)
            surface.loadFailed.connect(self._on_load_failed)
            surface.runtimeEvent.connect(self.diagnostics.add_event)
            surface.consoleMessage.connect(self.diagnostics.add_console)
            surface.page.openedExternally.connect(self.diagnostics.add_navigation)
            surface.stepChanged.connect(self._on_step)
            surface.pageWidthChanged.connect(self._page_width_changed)
            surface.bridge.canvasMessage.connect(self._canvas_message)
            self.picker = ElementPicker(surface, self)
            self.anchors = AnchorCheck(self.document, surface, self)
            self.anchors.follow(self.guide_id)
            self.anchors.checked.connect(self._anchors_checked)
            self.overflow = OverflowCheck(self.document, surface, self._shown_for_overflow, self)
            surface.runtimeEvent.connect(self._runtime_event)
            self.picker.selectorPicked.connect(self._picked)
            self.picker.activeChanged.connect(self._picking_changed)
            self.stack.addWidget(surface)
            self._apply_view()
            self.surfaceMade.emit(surface)
            if given is None or given.url != self._host:
                surface.load(self._host)
            elif given.is_ready:  # it said so before anyone listened
                QTimer.singleShot(0, self, lambda: self._on_ready(self._host.toString()))
        return self.surface

    def load_host(self, text: str | None = None) -> None:
        """Show guides on another page: a file path or URL (empty: the demo app)."""
        self._host = host_url(self.controls.url.text() if not isinstance(text, str) else text)
        self.live.asset_base = self._asset_base()
        self.message.hide()
        if self.anchors is not None:
            self.anchors.page_changed()
        self.anchor_note.hide()
        if self.surface is not None:
            self.surface.load(self._host)
        if self.compare is not None:
            self.compare.load(self._host)

    def _asset_base(self) -> str | None:
        host = self._host.toLocalFile() if self._host.isLocalFile() else None
        return asset_base_for(self.document.project, host)

    def _state(self) -> dict[str, Any] | None:
        """What the runtime should show, or None (and a banner) if the guide does not compile."""
        project, guide_id = self.document.project, self.guide_id
        try:
            bundle = build_bundle(project, guide_id, self._asset_base(),
                                  pseudo=self.locale() if is_pseudo(self.locale()) else None)
        except CompileError as exc:
            self._show_banner(problem_line(project, exc.problem))
            return None
        self.banner.hide()
        profile = find_profile(project, self.profile_id())
        return {"bundle": bundle, "user": user_for(profile), "locale": self.locale(),
                "storage": storage_for(project, profile), "guide": guide_id,
                "variant": self.variant(), "step": self._step,
                "replay": replay_events(project, guide_id, self.variant(), profile),
                "edit": self._edit_meta()}

    def _edit_meta(self) -> dict[str, Any] | None:
        """What the canvas may edit now (the shown variant, in the shown language)."""
        profile = find_profile(self.document.project, self.profile_id())
        # pseudo texts are made, not written: nothing to edit on the canvas
        self.editor.follow(None if is_pseudo(self.locale()) else self.guide_id,
                           self.variant_index(),
                           self.locale() or self.document.project.settings.default_locale,
                           user_for(profile))
        return self.editor.meta()

    def _restart(self, *_: Any) -> None:
        """Start the runtime afresh (new guide, variant, locale or profile); the page stays."""
        if self.guide_id is None:
            self._refresh_decision()
            self.stack.setCurrentWidget(self.placeholder)
            self.banner.hide()
            if self.surface is not None:
                self.surface.configure({"guide": None})
            return
        if not self.isVisible():
            self._refresh_decision()
            return  # created when shown
        self._stale = False
        self._note_control()
        self.live.only = None if self.compare is not None else (self.variant(), self.locale())
        surface = self._ensure_surface()  # a first page starts loading in the web engine now
        self._refresh_decision()
        if self.compare is None:
            self.stack.setCurrentWidget(surface)
        self._step = min(self._step, max(self._step_count() - 1, 0))
        state = self._state()
        if state is None:
            return
        if self.compare is None:
            surface.configure(state)
        elif not self._compare_columns(state=state):
            self.compare.configure(state)
        self._check_anchors(0)
        self.controls.set_steps(self._step, self._step_count())

    def show_variant(self, index: int, step: int = 0) -> None:
        """Show the guide's variant at ``index`` (as the inspector selects), at ``step``."""
        guide = self._guide()
        if guide is None or not 0 <= index < len(guide.variants):
            return
        self._step = max(step, 0)
        self.controls.variant.setCurrentIndex(self.controls.variant.findData(
            guide.variants[index].key))

    def replay(self) -> None:
        self._step = 0
        self.diagnostics.clear()
        self._restart()

    def show_step(self, index: int) -> None:
        total = self._step_count()
        if self.guide_id is None or total == 0:
            return
        self._step = min(max(index, 0), total - 1)
        if self.compare is not None:
            self.compare.show_step(self._step)
        elif self.surface is not None:
            self.surface.show_step(self._step)
        self.controls.set_steps(self._step, total)

    def previous_step(self) -> None:
        self.show_step(self.current_step() - 1)

    def next_step(self) -> None:
        self.show_step(self.current_step() + 1)

    def _on_step(self, step: int) -> None:
        self._step = step
        self.controls.set_steps(step, self._step_count())
        if self.guide_id is not None:
            self.stepSelected.emit(self.variant_index(), step)

    def _apply_view(self, *_: Any) -> None:
        device, zoom = self.controls.device.currentData(), self.controls.zoom_value()
        for target in (self.surface, self.compare):
            if target is not None:
                target.set_device(device)
                target.set_zoom(zoom)

    def _page_width_changed(self, width: int) -> None:
        if self.surface is not None:
            self.controls.set_page_width(width, self.surface.device[0])

    def _on_ready(self, _url: str) -> None:
        self.live.done()  # a new document got the whole state: nothing is in flight
        self._check_anchors(0)
        if not self.banner.isVisible():
            self._note_control()

    def _on_load_failed(self, message: str) -> None:
        self._show_message(message)

    def _show_banner(self, text: str) -> None:
        self.banner.setText(f"This guide does not compile; showing the last version that did.\n"
                            f"{text}")
        self.banner.show()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _note_control(self) -> None:
        if self.variant() == CONTROL:
            self._show_message("Control group: users assigned to it see nothing (the runtime "
                               "logs them as exposed). Pick a variant to see the guide.")
        else:
            self.message.hide()

    # --- following the document ----------------------------------------------------------

    def _on_reset(self) -> None:
        if self.guide_id not in self.document.project.guides:
            self.guide_id = None
        self.live.follow(self.guide_id)
        self._fill_controls()
        self._restart()

    def _push(self, payload: dict[str, Any]) -> None:
        """A freshly compiled guide (or bundle): re-render in place, no reload."""
        self._fill_controls()  # variants or steps may have been added or removed
        self.banner.hide()
        if "format" in payload or self.live.only is None:
            self._refresh_decision(None if "format" in payload else payload)
        else:
            self._decide_later.start()
        if self.surface is None or not self.isVisible() or not self.surface.configured:
            self._stale = True  # brought up to date when shown again
            self.live.done()
            if self.isVisible():
                self._restart()  # the guide compiles again after a broken start
            return
        if self.compare is not None:  # the single view is restarted when comparing ends
            self.compare.update(payload, done=self.live.done)
        else:
            self.surface.update(payload, done=self.live.done, edit=self._edit_meta())
        self._check_anchors()

    def _compile_failed(self, problem: str) -> None:
        self._show_banner(problem)
        self._refresh_decision()

    def _restart_later(self) -> None:
        if self.guide_id not in self.document.project.guides:
            self.set_guide(None)
        else:
            self._fill_controls()
            self._restart()

    def _refresh_decision(self, compiled: dict[str, Any] | None = None) -> None:
        project = self.document.project
        missing = self.anchors.missing_for(self.guide_id) if self.anchors is not None else ()
        self.diagnostics.show_decision(project, self.guide_id,
                                       find_profile(project, self.profile_id()), compiled,
                                       missing_anchors=missing, shown_variant=self.variant())

    # --- missing elements ----------------------------------------------------------------

    def _check_anchors(self, delay_ms: int = CHECK_DELAY_MS) -> None:
        """Ask the page again whether the guide's elements are there (see anchor_check)."""
        if self.anchors is not None:
            self.anchors.request(delay_ms)
        if self.overflow is not None:  # the step may have changed too: does it still fit?
            self.overflow.request()

    def _anchors_checked(self, report: AnchorReport) -> None:
        """Say on the canvas what the page leaves out of the variant shown, and in the verdict.

        The canvas is where the guide is missing, so that is where it is said first;
        Problems and the Element field (through the document) say it too.
        """
        if not shiboken6.isValid(self.diagnostics):
            return  # the window is closing
        self._refresh_decision()
        text, self._fixes = canvas_note(report, self.variant())
        self.anchor_note.setText(note_html(text, self._fixes))
        self.anchor_note.setVisible(bool(text))

    def _use_fix(self, href: str) -> None:
        """A fix clicked on the strip: the step's element becomes that selector, one undoable
        edit (as a pick would be)."""
        if not href.isdigit() or int(href) >= len(self._fixes):
            return
        path, selector, _ = self._fixes[int(href)]
        error = write_value(self.document, path, selector, origin=self,
                            text=f"Use element {selector}", merge=False)
        if error:
            self._show_message(f"Could not use {selector}: {error}")

    def _runtime_event(self, name: str, props: dict[str, Any]) -> None:
        """A ``step_error`` (an element not found, or not in time) or a step shown: ask the
        page again."""
        # (step_shown: an element waited for may have appeared meanwhile.) Once typing pauses:
        # a re-render while typing says step_error again on every keystroke.
        if name in ("step_error", "step_shown") and props.get("guide_id") == self.guide_id:
            self._check_anchors()

    # --- the canvas: editing in place, steps, the window's panels ------------------------

    def set_editing(self, on: bool) -> None:
        """Edit texts by clicking them (on), or try the guide's buttons and links (off)."""
        self.editor.enabled = on
        if self.controls.edit.isChecked() != on:
            self.controls.edit.setChecked(on)
        if self.surface is not None and self.guide_id is not None:
            self.surface.set_edit(self._edit_meta())

    def _canvas_message(self, message: dict[str, Any]) -> None:
        surface = self.surface
        if surface is not None:
            self.editor.handle(message, lambda source: surface.evaluate(source))

    def _step_clicked(self, step_id: str) -> None:
        index = step_index(self._guide(), self.variant_index(), step_id)
        if index is not None:
            self.stepSelected.emit(self.variant_index(), index)

    def take_diagnostics(self) -> DiagnosticsPanel:
        """Hand the diagnostics panel (verdict, events, console) to the window's bottom panel.

        The pane keeps filling it wherever it is put; until taken it sits under the page.
        """
        if not self._diagnostics_taken:
            self._diagnostics_taken = True
            self.diagnostics.setParent(None)
        return self.diagnostics

    def link_selection(self, context: GuideContext) -> SelectionLink:
        """Keep the canvas and the inspector on the same step: the inspector's selection shows
        that variant and step here; a step clicked or navigated to here is selected there."""
        if self._link is not None:  # one inspector at a time
            self._link.unlink()
        self._link = SelectionLink(self, context)
        return self._link

    # --- element picker ------------------------------------------------------------------

    def set_picking(self, on: bool) -> None:
        if self.picker is None:
            if on:
                self.controls.pick.setChecked(False)
            return
        if on:
            self._show_message("Pick mode: hover the page and click the element this step "
                               "should point at (Esc cancels).")
            self.picker.start()
        else:
            self.picker.stop()

    def _picking_changed(self, on: bool) -> None:
        self.controls.pick.setChecked(on)
        if not on:
            self._note_control()

    def _picked(self, selector: str) -> None:
        """Write the picked selector to the shown step's anchor: one undoable edit."""
        guide = self._guide()
        if guide is None or not guide.variants:
            return
        path = anchor_path(guide, self.variant_index(), self.current_step())
        error = write_value(self.document, path, selector, origin=self,
                            text=f"Pick element {selector}", merge=False)
        if error:
            self._show_message(f"Could not use {selector}: {error}")
        self.selectorPicked.emit(selector)

    # --- compare and screenshots ---------------------------------------------------------

    def set_compare(self, on: bool) -> None:
        """Side by side: one column per variant (or locale), kept on the same step."""
        if on and self.guide_id is not None and self.surface is not None:
            self.controls.pick.setChecked(False)
            if self.compare is None:
                self.compare = CompareView(self)
                self.live.only = None  # every column its own variant or language
                self.compare.runtimeEvent.connect(self.diagnostics.add_event)
                self.compare.consoleMessage.connect(self.diagnostics.add_console)
                self.compare.stepChanged.connect(self._on_step)
                self.compare.loadFailed.connect(self._on_load_failed)
                self.stack.addWidget(self.compare)
            self.stack.setCurrentWidget(self.compare)
            self._compare_columns()
        elif not on and self.compare is not None:
            self.stack.removeWidget(self.compare)
            self.compare.deleteLater()
            self.compare = None
            self._restart()  # the single view was left alone while comparing
        self.controls.pick.setEnabled(self.compare is None and self.guide_id is not None)
        if on != self.controls.compare.isChecked():
            self.controls.compare.setChecked(self.compare is not None)

    def _compare_columns(self, *_: Any, state: dict[str, Any] | None = None) -> bool:
        """Columns for the current guide and mode; True when they were rebuilt (and started)."""
        if self.compare is None or self.guide_id is None:
            return False
        columns = columns_for(self._guide(), self.document.project.settings.locales,
                              self.controls.compare_by.currentData(), self.variant(),
                              self.locale())
        if columns == self.compare.columns:
            return False
        self.compare.set_columns(columns)
        self._apply_view()
        self.compare.load(self._host)
        state = state or self._state()
        if state is not None:
            self.compare.configure(state)
        return True

    def save_screenshot(self, path: str | None = None) -> bool:
        """Save what the preview shows as a PNG (asks where when no path is given)."""
        if self.surface is None:
            return False
        if not isinstance(path, str):
            name = f"{self.guide_id}-{self.variant()}-{self.locale()}.png"
            path, _ = QFileDialog.getSaveFileName(self, "Save screenshot", name,
                                                  "PNG images (*.png)")
            if not path:
                return False
        image = (self.compare.grab().toImage() if self.compare is not None
                 else self.surface.grab_image())
        ok = image.save(path, "PNG")
        if not ok:
            self._show_message(f"Could not save the screenshot to {path}")
        return ok
