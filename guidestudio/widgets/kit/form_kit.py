"""The parts every editor form is built from: selection, field factories, a form base.

The guide editor's forms all edit "the selected guide / variant / step". Keeping
that selection in one ``GuideContext`` gives every binding a lazy path
(``ctx.step_path("title")``) that follows the selection without rebinding, and
one signal (``selectionChanged``) for the forms to refresh on.

The factories exist so that every field gets, in one call, what the brief asks
of all of them: a tooltip in the marketer's words, keyboard focus, and input
limits that match the schema (a pattern, a range), instead of each form
remembering them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QRegularExpression, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core.edits import MISSING
from guidestudio.core.model import Guide
from guidestudio.widgets.kit.bindings import Binding, PathFn, bind, write_value
from guidestudio.widgets.kit.combo_data import add_option
from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.kit.field_marks import FieldMarks
from guidestudio.widgets.kit.marks import MARK_STYLE
from guidestudio.widgets.kit.tick_style import outline_ticks

FORM_STYLE = MARK_STYLE
#: How many characters a choice list is sized for: long options are elided in the closed box
#: (the open list shows them whole) instead of widening the form past a narrow inspector.
COMBO_CHARS = 12


class GuideContext(QObject):
    """Which guide, variant and step the editor shows, as lazily evaluated paths."""

    selectionChanged = Signal()

    def __init__(self, document: EditableDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.guide_id: str | None = None
        self.variant = 0
        self.step = 0
        self.marks = FieldMarks(document, self._entity, self)

    def _entity(self) -> tuple[str, str] | None:
        return ("guides", self.guide_id) if self.guide() is not None else None

    def guide(self) -> Guide | None:
        if self.guide_id is None:
            return None
        guide = self.document.project.guides.get(self.guide_id)
        return guide if isinstance(guide, Guide) else None

    def kind(self) -> str:
        guide = self.guide()
        return guide.kind if guide is not None else ""

    def guide_path(self, *parts: Any) -> tuple[Any, ...] | None:
        return None if self.guide() is None else ("guides", self.guide_id, *parts)

    def variant_path(self, *parts: Any) -> tuple[Any, ...] | None:
        guide = self.guide()
        if guide is None or not 0 <= self.variant < len(guide.variants):
            return None
        return ("guides", self.guide_id, "variants", self.variant, *parts)

    def step_path(self, *parts: Any) -> tuple[Any, ...] | None:
        guide = self.guide()
        if guide is None or not 0 <= self.variant < len(guide.variants):
            return None
        if not 0 <= self.step < len(guide.variants[self.variant].steps):
            return None
        return ("guides", self.guide_id, "variants", self.variant, "steps", self.step, *parts)

    def select(self, guide_id: Any = ..., variant: int | None = None,
               step: int | None = None) -> None:
        """Change any part of the selection; listeners hear about it once."""
        before = (self.guide_id, self.variant, self.step)
        if guide_id is not ...:
            self.guide_id = guide_id
        if variant is not None:
            self.variant = variant
        if step is not None:
            self.step = step
        if (self.guide_id, self.variant, self.step) != before:
            self.selectionChanged.emit()
            self.marks.update()


class Form(QWidget):
    """A form of bound fields that refreshes as a whole when the selection changes."""

    def __init__(self, document: EditableDocument, marks: FieldMarks,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.marks = marks
        self.bindings: list[Binding] = []

    def field(self, widget: QWidget, path_fn: PathFn, *, watch: bool = True,
              **options: Any) -> Binding:
        """Bind ``widget`` to ``path_fn`` and show the entity's problems on it."""
        binding = bind(widget, self.document, path_fn, **options)
        self.bindings.append(binding)
        if watch:
            self.marks.watch(widget, inner(path_fn))
        return binding

    def refresh(self) -> None:
        for binding in self.bindings:
            binding.refresh()
        self.update_visibility()

    def update_visibility(self) -> None:
        """Show only the fields that apply (to the kind, the trigger, the action…)."""


class GuideForm(Form):
    """A form of the guide editor: its fields follow ``ctx``'s selection, show the
    guide's problems (``ctx.marks``) and sit flush in their tab or box (``outer``)."""

    def __init__(self, ctx: GuideContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx.document, ctx.marks, parent)
        self.ctx = ctx
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(0, 0, 0, 0)


class EntityPage(QWidget):
    """A page editing one entity or file (a segment, a theme, the project settings,
    the sample profiles): its fields show that entity's problems (``marks``, for
    ``entity_fn()``), under a bold ``header`` the page places and fills."""

    def __init__(self, document: EditableDocument,
                 entity_fn: Callable[[], tuple[str, str] | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setStyleSheet(FORM_STYLE)
        self.marks = FieldMarks(document, entity_fn, self)
        self.header = QLabel(self)
        self.header.setStyleSheet("font-weight: bold;")


def inner_path(path: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
    """A project path without ("guides", id): how Problem.field names a field."""
    return None if path is None else path[2:]


def inner(path_fn: PathFn) -> Callable[[], tuple[Any, ...] | None]:
    """The same path without ("guides", id): how Problem.field names it."""
    def rel() -> tuple[Any, ...] | None:
        path = path_fn()
        return None if path is None else path[2:]
    return rel


class Follower(QObject):
    """Calls ``callback`` after any change at, above or below ``path_fn()`` — own edits too.

    Bindings ignore their own edits; what a form shows *around* a value (which
    fields apply to this button action) must follow every change, whoever made it.
    """

    def __init__(self, document: EditableDocument, path_fn: PathFn, callback: Callable[[], None],
                 parent: QObject) -> None:
        super().__init__(parent)
        self._path_fn = path_fn
        self._callback = callback
        document.changed.connect(self._changed)
        document.reset.connect(self._callback)

    def _changed(self, change: Any) -> None:
        path = self._path_fn()
        if path is not None and change.touches(path):
            self._callback()


# --- field factories ------------------------------------------------------------------


def _prepare(widget: QWidget, tooltip: str) -> None:
    widget.setToolTip(tooltip)
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


def line_edit(tooltip: str, placeholder: str = "", pattern: str | None = None,
              parent: QWidget | None = None) -> QLineEdit:
    widget = QLineEdit(parent)
    _prepare(widget, tooltip)
    widget.setPlaceholderText(placeholder)
    if pattern:
        widget.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), widget))
    return widget


def text_box(tooltip: str, lines: int = 3, parent: QWidget | None = None) -> QPlainTextEdit:
    widget = QPlainTextEdit(parent)
    _prepare(widget, tooltip)
    widget.setTabChangesFocus(True)  # Tab leaves the field, as in every other field
    widget.setFixedHeight(widget.fontMetrics().lineSpacing() * lines + 12)
    return widget


def spin(tooltip: str, low: int, high: int, unset: str | None = None, suffix: str = "",
         parent: QWidget | None = None) -> QSpinBox:
    """A whole-number field; with ``unset``, one step below ``low`` means "not set"."""
    widget = QSpinBox(parent)
    _prepare(widget, tooltip)
    widget.setRange(low - 1 if unset else low, high)
    if unset:
        widget.setSpecialValueText(unset)
    widget.setSuffix(suffix)
    return widget


class PlainNumberBox(QDoubleSpinBox):
    """A number as people write it — "100 %", "24 hours", "1.5 hours" — where Qt shows every
    decimal place it may hold ("100.0 %", "24.0 h")."""

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt's name
        locale = self.locale()
        text = locale.toString(round(value, self.decimals()), "g", 15)
        return text if self.isGroupSeparatorShown() else text.replace(locale.groupSeparator(), "")


def dspin(tooltip: str, low: float, high: float, unset: str | None = None, suffix: str = "",
          decimals: int = 1, step: float = 1.0, parent: QWidget | None = None) -> QDoubleSpinBox:
    widget = PlainNumberBox(parent)
    _prepare(widget, tooltip)
    widget.setDecimals(decimals)
    widget.setSingleStep(step)
    widget.setRange(low - step if unset else low, high)
    if unset:
        widget.setSpecialValueText(unset)
    widget.setSuffix(suffix)
    return widget


def narrow_combo(widget: QComboBox, chars: int = COMBO_CHARS) -> QComboBox:
    """Size ``widget`` by ``chars`` characters, not by its longest option (see COMBO_CHARS)."""
    widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    widget.setMinimumContentsLength(chars)
    return widget


def combo(tooltip: str, options: Sequence[tuple[str, Any]],
          parent: QWidget | None = None) -> QComboBox:
    widget = narrow_combo(QComboBox(parent))
    _prepare(widget, tooltip)
    for label, data in options:
        add_option(widget, label, data)
    return widget


def check(text: str, tooltip: str, parent: QWidget | None = None) -> QCheckBox:
    widget = QCheckBox(text, parent)
    _prepare(widget, tooltip)
    return widget


def form_layout(parent: QWidget | None = None) -> QFormLayout:
    """A form that fits a narrow inspector: each label beside its field while both fit, the
    field on the line below when they do not. (Texts name themselves on their language
    tabs and span the row: ``LocalizedTextEdit(label=…)``.)"""
    form = QFormLayout(parent) if parent is not None else QFormLayout()
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return form


def align_labels(*sections: QWidget) -> None:
    """One label column for the forms of ``sections`` (a tab's group boxes, one under the
    other): each form's column was as wide as its own longest label, so the fields of
    "Guide", "Display" and "When it shows" started at three different places."""
    labels: list[QWidget] = []
    for section in sections:
        layout = section.layout()
        if not isinstance(layout, QFormLayout) or \
                layout.rowWrapPolicy() == QFormLayout.RowWrapPolicy.WrapAllRows:
            continue
        for row in range(layout.rowCount()):
            item = layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if item is not None and item.widget() is not None:
                labels.append(item.widget())
    width = max((label.sizeHint().width() for label in labels), default=0)
    for label in labels:
        label.setMinimumWidth(width)


def note(text: str, parent: QWidget | None = None) -> QLabel:
    """A line of help in plain words under a heading or beside a choice; wraps to any width."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def labelled(options: Sequence[str], labels: dict[str, str] | None = None
             ) -> list[tuple[str, Any]]:
    """Combo options from schema enum values, with friendlier labels where given."""
    labels = labels or {}
    return [(labels.get(o, o.replace("_", " ").capitalize()), o) for o in options]


class OptionalSection(QGroupBox):
    """A checkable group for an optional part of a guide (goal, anchor, experiment…).

    Ticked while the part exists. Ticking it creates the part only when
    ``create`` can make a valid one (an experiment named after the guide);
    otherwise the fields open and the part is created by the first required
    field typed (a goal by its event), so no half-made part is ever saved.
    Unticking removes the part, as one undo step.
    """

    def __init__(self, title: str, tooltip: str, document: EditableDocument, path_fn: PathFn,
                 create: Callable[[], Any] | None = None, noun: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.noun = noun or title.lower()
        self.setCheckable(True)
        outline_ticks(self)  # its tick box shows on the dark palette too
        self.setToolTip(tooltip)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.document = document
        self.path_fn = path_fn
        self._create = create
        self._opening = False
        self.toggled.connect(self._toggled)
        Follower(document, path_fn, self.refresh, self)
        self.refresh()

    def exists(self) -> bool:
        path = self.path_fn()
        return path is not None and self.document.get(path) is not None

    def reset(self) -> None:
        """Forget a part being filled in (the selection moved elsewhere)."""
        self._opening = False
        self.refresh()

    def refresh(self) -> None:
        with QSignalBlocker(self):
            self.setChecked(self.exists() or self._opening)

    def _toggled(self, on: bool) -> None:
        path = self.path_fn()
        if path is None:
            return
        if on:
            self._opening = True
            if self._create is not None and not self.exists():
                write_value(self.document, path, self._create(), origin=self,
                            text=f"Add {self.noun}")
            first = self.nextInFocusChain()
            if first is not None and self.isAncestorOf(first):
                first.setFocus(Qt.FocusReason.TabFocusReason)
        else:
            self._opening = False
            write_value(self.document, path, MISSING, origin=self,
                        text=f"Remove {self.noun}")
