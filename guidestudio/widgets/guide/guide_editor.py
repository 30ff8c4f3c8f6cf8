"""The guide editor: everything about one guide, on four tabs, in one narrow column.

Content (variant, steps, step form), Audience (segments and rules),
Experiment (variants, split, experiment settings) and Settings (general,
display, trigger, schedule, frequency, goal). It lives in the window's
inspector, a column about 400 px wide beside the canvas, so every part is laid
out to fit that width without scrolling sideways: the steps are a compact strip
above the step form (shown only for guides that have or may have several
steps), forms put labels beside fields only while both fit.

The editor owns the selection (``GuideContext``: guide, variant, step) that
every form's bindings read lazily, tells it with ``stepSelected`` so the
canvas can follow, takes it with ``select_step`` when the canvas leads, and
answers ``focus_field("variants[0].steps[1].title")`` from the problems panel
by selecting that variant and step, bringing the field's tab, folded section
and scroll position into view and focusing it.

The main window creates one editor and calls ``set_guide`` as the tree
selection changes; nothing here is rebuilt per guide except the rows of
lists (buttons, tasks, variants), which follow the data.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from guidestudio.widgets.guide.audience_form import AudienceForm
from guidestudio.widgets.guide.delivery_form import DeliveryForm
from guidestudio.widgets.guide.guide_settings_form import KIND_LABELS, GuideSettingsForm
from guidestudio.widgets.guide.languages_view import LanguagesView
from guidestudio.widgets.guide.step_editor import StepEditor
from guidestudio.widgets.guide.step_list import StepList
from guidestudio.widgets.guide.variant_editor import VariantEditor
from guidestudio.widgets.kit.collapsible import Collapsible
from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.kit.form_kit import (
    FORM_STYLE,
    Follower,
    GuideContext,
    align_labels,
    narrow_combo,
)
from guidestudio.widgets.rules.audience_sizes import AudienceSizes

_INDEX = re.compile(r"^variants\[(\d+)\](?:\.steps\[(\d+)\])?")
CONTENT, AUDIENCE, EXPERIMENT, SETTINGS = range(4)
#: Where fields outside the forms' registry live, by their first path part.
TAB_OF = {"audience": AUDIENCE, "experiment": EXPERIMENT, "variants": CONTENT}


def scrolled(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area that scrolls up and down, kept to its width."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


def reveal(widget: QWidget) -> None:
    """Make ``widget`` visible: select the tab/page holding it, scroll it into view."""
    child: QWidget = widget
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QStackedWidget):
            tabs = parent.parentWidget()
            if isinstance(tabs, QTabWidget):
                tabs.setCurrentWidget(child)  # keeps the tab bar in step
            else:
                parent.setCurrentWidget(child)
        elif isinstance(parent, Collapsible) and not parent.is_expanded():
            parent.set_expanded(True)
        child, parent = parent, parent.parentWidget()
    # Scroll last: folded sections above have opened, so the position is final.
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            inner_layout = parent.widget().layout() if parent.widget() is not None else None
            if inner_layout is not None:
                inner_layout.activate()  # an opened section moved what is below it
            parent.ensureWidgetVisible(widget)
        parent = parent.parentWidget()


class GuideEditor(QWidget):
    """Edits the guide chosen with ``set_guide``; see the module docstring."""

    #: The selected step's index in the selected variant: after a click in the step list,
    #: a jump to a problem, another variant or guide (then usually 0), or ``select_step``.
    stepSelected = Signal(int)
    #: The languages window was just made (the main window gives it Undo and Redo).
    languagesOpened = Signal(QWidget)
    #: Show this guide's results (the window's Results view); "" : choose event files there.
    resultsRequested = Signal(str)
    #: The planner wants what imported events say (``set_observed``).
    observationsWanted = Signal()

    def __init__(self, document: EditableDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.ctx = GuideContext(document, self)
        self.setStyleSheet(FORM_STYLE)
        layout = QVBoxLayout(self)
        header_row = QHBoxLayout()
        self.header = QLabel(self)
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setWordWrap(True)
        self.header.setStyleSheet("font-weight: bold;")
        header_row.addWidget(self.header, 1)
        self.languages_button = QToolButton(self)
        self.languages_button.setText("All languages…")
        self.languages_button.setToolTip("See every text of this guide in all the project's "
                                         "languages side by side, with the missing "
                                         "translations marked, and fill them in.")
        self.languages_button.clicked.connect(self.open_languages)
        header_row.addWidget(self.languages_button, 0, Qt.AlignmentFlag.AlignTop)
        self.results_button = QToolButton(self)
        self.results_button.setText("Results")
        self.results_button.setToolTip("Did this guide work? Its funnel, missing anchors and "
                                       "experiment, from your exported events.")
        self.results_button.clicked.connect(
            lambda: self.resultsRequested.emit(self.ctx.guide_id or ""))
        header_row.addWidget(self.results_button, 0, Qt.AlignmentFlag.AlignTop)
        self._observed: dict[str, Any] = {}  # guide id -> planning.Observed, for the planner
        layout.addLayout(header_row)
        #: The side-by-side languages window, made on first use; follows the guide shown.
        self.languages: LanguagesView | None = None

        self.tabs = QTabWidget(self)
        self.tabs.setUsesScrollButtons(True)
        self.variant_picker = narrow_combo(QComboBox())
        self.variant_picker.setToolTip("Which variant's steps to edit. Variants are added and "
                                       "split on the Experiment tab.")
        self.variant_picker.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.steps = StepList(self.ctx)
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 4, 0, 0)
        self._content_layout = content_layout
        self.variant_row = QWidget(content)
        picker_row = QHBoxLayout(self.variant_row)
        picker_row.setContentsMargins(0, 0, 0, 0)
        variant_label = QLabel("&Variant", self.variant_row)
        variant_label.setBuddy(self.variant_picker)
        picker_row.addWidget(variant_label)
        picker_row.addWidget(self.variant_picker, 1)
        content_layout.addWidget(self.variant_row)
        content_layout.addWidget(self.steps)
        self.tabs.addTab(content, "&Content")
        # The step form (and the style sheet's pass over its fields) is made in a turn of its
        # own (``build_more``), or when first needed: with the rest, the editor held the event
        # loop ~40 ms on opening a project.
        self._step_editor: StepEditor | None = None
        self._unplaced: StepEditor | None = None  # made by build_more, not on the tab yet
        self._step_area: QScrollArea | None = None

        # The other tabs' forms are made a turn each once this one shows a guide (or at
        # once when anything needs them): made together, the editor held the event loop
        # for 250-400 ms on opening a big project; made before the first guide is shown,
        # each would be filled twice. Their pages exist now, so the tabs do.
        self._pages: list[QVBoxLayout] = []
        for label in ("A&udience", "E&xperiment", "Se&ttings"):
            page = QWidget()
            page_layout = QVBoxLayout(page)
            page_layout.setContentsMargins(0, 0, 0, 0)
            self._pages.append(page_layout)
            self.tabs.addTab(page, label)
        self._audience: AudienceForm | None = None
        self._sizes: AudienceSizes | None = None
        self._variants: VariantEditor | None = None
        self._settings: GuideSettingsForm | None = None
        self._delivery: DeliveryForm | None = None
        # Plain functions, not bound methods (a reference cycle through the editor).
        self._still_to_make = [GuideEditor._make_audience, GuideEditor._make_experiment,
                               GuideEditor._make_settings]
        layout.addWidget(self.tabs, 1)

        self.variant_picker.currentIndexChanged.connect(self._variant_picked)
        self.tabs.currentChanged.connect(self.finish_making)
        self.ctx.selectionChanged.connect(self._selection_changed)
        self.ctx.selectionChanged.connect(self._tell_step)
        self.steps.model.modelReset.connect(self._update_strip)
        self.steps.model.rowsInserted.connect(self._update_strip)
        self.steps.model.rowsRemoved.connect(self._update_strip)
        Follower(document, lambda: self.ctx.guide_path(), self._guide_changed, self)
        document.reset.connect(self._reset)
        self._shown: tuple[Any, ...] = ()
        self._refreshes = 0  # how many times refresh() ran (set_guide reloads once)
        self._maker = QTimer(self)  # a member timer: a single shot's callable would leak
        self._maker.setSingleShot(True)
        self._maker.setInterval(0)
        self._maker.timeout.connect(self._make_next)
        self.set_guide(None)

    # --- the tabs' forms, made a turn each ---------------------------------------------

    @property
    def step_editor(self) -> StepEditor:
        if self._step_editor is None:
            self._make_step_editor()
        assert self._step_editor is not None
        return self._step_editor

    @property
    def step_area(self) -> QScrollArea:
        """The step form's scroll area on the Content tab."""
        _ = self.step_editor
        assert self._step_area is not None
        return self._step_area

    def build_more(self) -> bool:
        """Make the next part the first guide needs, as ``EditorPages`` asks between turns:
        the step form, then its place on the Content tab (where the style sheet passes over
        its fields); False when there is none left (the other tabs follow once a guide is
        shown)."""
        if self._step_editor is not None:
            return False
        if self._unplaced is None:
            self._unplaced = StepEditor(self.ctx)
        else:
            self._make_step_editor()
        return True

    def _make_step_editor(self) -> None:
        made, self._unplaced = self._unplaced, None
        self._step_editor = made if made is not None else StepEditor(self.ctx)
        self._step_area = scrolled(self._step_editor)
        self._content_layout.addWidget(self._step_area, 1)
        if self.ctx.guide() is not None:  # made after a guide was shown: filled now
            self._step_editor.refresh()
            self.ctx.marks.update()

    @property
    def audience(self) -> AudienceForm:
        self.finish_making()
        assert self._audience is not None
        return self._audience

    @property
    def variants(self) -> VariantEditor:
        self.finish_making()
        assert self._variants is not None
        return self._variants

    @property
    def settings(self) -> GuideSettingsForm:
        self.finish_making()
        assert self._settings is not None
        return self._settings

    @property
    def delivery(self) -> DeliveryForm:
        self.finish_making()
        assert self._delivery is not None
        return self._delivery

    def finish_making(self, *_: Any) -> None:
        """Make every form still to be made, now (a tab shown, a field to reach)."""
        while self._still_to_make:
            self._make_one()

    def showEvent(self, event: QShowEvent) -> None:
        """Filled while hidden (the window fills the editor a turn before showing it): the
        other tabs' forms are made once it is shown, a turn each."""
        super().showEvent(event)
        if self._still_to_make and self.ctx.guide() is not None:
            self._maker.start()

    def _make_next(self) -> None:
        if self._still_to_make:
            self._make_one()
            self._maker.start()

    def _make_one(self) -> None:
        forms = self._still_to_make.pop(0)(self)
        for form in forms:
            form.refresh()
        self.ctx.marks.update()

    def _make_audience(self) -> list[QWidget]:
        self._audience = AudienceForm(self.ctx)
        self._audience.set_audience_sizes(self._sizes)
        self._pages[0].addWidget(self._audience)
        return [self._audience]

    def _make_experiment(self) -> list[QWidget]:
        self._variants = VariantEditor(self.ctx)
        self._pages[1].addWidget(scrolled(self._variants))
        self._variants.rows.editRequested.connect(self._edit_variant)
        planner = self._variants.planner
        planner.observationsWanted.connect(self.observationsWanted)
        planner.resultsRequested.connect(lambda: self.resultsRequested.emit(""))
        if self._observed:
            planner.set_observed(self._observed)
        return [self._variants]

    def set_audience_sizes(self, sizes: AudienceSizes | None) -> None:
        """The project's audience sizes (its users table), for the Audience tab."""
        self._sizes = sizes
        if self._audience is not None:
            self._audience.set_audience_sizes(sizes)

    def set_observed(self, observed: dict[str, Any]) -> None:
        """What imported events say per guide, for the Experiment tab's planner."""
        self._observed = dict(observed)
        if self._variants is not None:
            self._variants.planner.set_observed(self._observed)

    def _make_settings(self) -> list[QWidget]:
        settings = QWidget()
        settings_layout = QVBoxLayout(settings)
        self._settings = GuideSettingsForm(self.ctx)
        self._delivery = DeliveryForm(self.ctx)
        settings_layout.addWidget(self._settings)
        settings_layout.addWidget(self._delivery)
        align_labels(*settings.findChildren(QGroupBox))
        self._pages[2].addWidget(scrolled(settings))
        return [self._settings, self._delivery]

    # --- the main window's API -----------------------------------------------------------

    def guide_id(self) -> str | None:
        return self.ctx.guide_id

    def set_guide(self, guide_id: str | None) -> None:
        """Show ``guide_id`` (None: nothing), starting at its first variant and step."""
        if guide_id is not None and guide_id not in self.document.project.guides:
            guide_id = None
        refreshed = self._refreshes
        self.ctx.select(guide_id=guide_id, variant=0, step=0)
        if self._refreshes == refreshed:  # another guide's selection refreshed them already
            self.refresh()

    def open_languages(self) -> LanguagesView:
        """Show (making it the first time) the window with every text in every language."""
        if self.languages is None:
            self.languages = LanguagesView(self.document, self)
            self.languagesOpened.emit(self.languages)
            self.languages.set_guide(self.ctx.guide_id)
            self.languages.fit_screen()
        self.languages.set_guide(self.ctx.guide_id)
        self.languages.show()
        self.languages.raise_()
        self.languages.activateWindow()
        return self.languages

    def current_step(self) -> int:
        """The selected step's index in the selected variant (``current_variant``)."""
        return self.ctx.step

    def current_variant(self) -> int:
        return self.ctx.variant

    def select_step(self, step: int, variant: int | None = None) -> None:
        """Select step ``step`` (of ``variant``, default: the one shown), as a click in the
        step list would; out-of-range indexes are ignored. ``stepSelected`` follows."""
        guide = self.ctx.guide()
        if guide is None:
            return
        variant = self.ctx.variant if variant is None else variant
        if not 0 <= variant < len(guide.variants):
            return
        if not 0 <= step < len(guide.variants[variant].steps):
            return
        self.ctx.select(variant=variant, step=step)

    def focus_field(self, field: str) -> None:
        """Select, reveal and focus the field ``field`` names (a Problem.field)."""
        if self.ctx.guide() is None:
            return
        self.finish_making()
        match = _INDEX.match(field)
        if match:
            variant = int(match.group(1))
            step = int(match.group(2)) if match.group(2) is not None else 0
            if variant < len(self.ctx.guide().variants):  # type: ignore[union-attr]
                self.ctx.select(variant=variant, step=step)
        self.ctx.marks.update()
        found = self.ctx.marks.widget_for(field) if field else None
        if found is None:
            self.tabs.setCurrentIndex(TAB_OF.get(field.split(".")[0].split("[")[0], SETTINGS))
            return
        widget, rest = found
        reveal(widget)
        focus = getattr(widget, "focus_subfield", None)
        if callable(focus):
            focus(rest)
        else:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- keeping up ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload every form from the document for the current selection."""
        self._shown = (self.ctx.guide_id,)
        self._refreshes += 1
        self._fill_variants()
        self._update_header()
        if self._step_editor is None and self.ctx.guide() is not None:
            self._make_step_editor()  # filled below
        for form in (self._step_editor, self._audience, self._variants, self._settings,
                     self._delivery):
            if form is not None:  # one still to be made is filled when it is made
                form.refresh()
        self.steps.model.reload()
        self.tabs.setEnabled(self.ctx.guide() is not None)
        self.languages_button.setEnabled(self.ctx.guide() is not None)
        self.results_button.setEnabled(self.ctx.guide() is not None)
        if self.languages is not None and self.languages.guide_id() != self.ctx.guide_id:
            self.languages.set_guide(self.ctx.guide_id)
        self._update_strip()
        self.ctx.marks.update()
        if self._still_to_make and self.ctx.guide() is not None and self.isVisible():
            self._maker.start()  # the other tabs' forms, a turn each from the next

    def _selection_changed(self) -> None:
        if (self.ctx.guide_id,) != self._shown:
            self.refresh()
            return
        with QSignalBlocker(self.variant_picker):
            self.variant_picker.setCurrentIndex(self.ctx.variant)
        if self._step_editor is not None:  # (made later is filled then)
            self._step_editor.refresh()

    def _guide_changed(self) -> None:
        if self.ctx.guide_id is not None and self.ctx.guide() is None:
            self.set_guide(None)  # deleted or renamed away
            return
        guide = self.ctx.guide()
        if guide is not None and self.ctx.variant >= len(guide.variants):
            self.ctx.select(variant=max(len(guide.variants) - 1, 0), step=0)
        self._fill_variants()
        self._update_header()
        self.steps.update_buttons()
        self._update_strip()

    def _reset(self) -> None:
        self.set_guide(self.ctx.guide_id)

    def _update_header(self) -> None:
        guide = self.ctx.guide()
        if guide is None:
            self.header.setText("No guide selected: pick one in the project tree.")
            return
        kind = KIND_LABELS.get(guide.kind, guide.kind).split(" (")[0]
        self.header.setText(f"{guide.name} · {kind} · {guide.status}")

    def _tell_step(self) -> None:
        self.stepSelected.emit(self.ctx.step)

    def _update_strip(self, *_: Any) -> None:
        """Show the variant picker and the step list only where there is a choice to make."""
        guide = self.ctx.guide()
        self.variant_row.setVisible(guide is not None and len(guide.variants) > 1)
        self.steps.setVisible(self.steps.is_needed())

    def _fill_variants(self) -> None:
        guide = self.ctx.guide()
        labels = [f"{v.key} — {v.name}" if v.name else v.key
                  for v in (guide.variants if guide else [])]
        current = [self.variant_picker.itemText(i) for i in range(self.variant_picker.count())]
        with QSignalBlocker(self.variant_picker):
            if labels != current:
                self.variant_picker.clear()
                self.variant_picker.addItems(labels)
            if labels:
                self.variant_picker.setCurrentIndex(min(self.ctx.variant, len(labels) - 1))

    def _variant_picked(self, index: int) -> None:
        if index >= 0:
            self.ctx.select(variant=index, step=0)

    def _edit_variant(self, index: int) -> None:
        self.ctx.select(variant=index, step=0)
        self.tabs.setCurrentIndex(CONTENT)
        self.steps.view.setFocus(Qt.FocusReason.OtherFocusReason)
