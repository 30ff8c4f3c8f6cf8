"""The canvas's controls: what to show (variant, language, sample user), how, and its tools.

Only widgets and their choices live here; the pane decides what a change
means. ``fill`` keeps the current choice when the lists are rebuilt (a
variant added while previewing must not jump the preview to another one).

Nothing is ever cut short: the controls flow onto another row as the canvas
narrows (``FlowLayout``), each combo box is as wide as the choice it shows,
and rarely used tools (screenshot, another host page) sit in the "More" menu.
The step navigation is a separate strip the pane lays over the canvas.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QLocale, QObject, QPoint, QRect, QSignalBlocker, QSize, Qt
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core.l10n.pseudo import PSEUDO_LOCALES
from guidestudio.core.model import Guide, Project
from guidestudio.widgets.kit.flow_layout import FlowLayout
from guidestudio.widgets.kit.menu_button import menu_button
from guidestudio.widgets.preview.bridge import CONTROL
from guidestudio.widgets.preview.surface import DEVICES, ZOOM_PAGE

ZOOMS: list[tuple[str, float | str | None]] = [
    ("Auto", None), ("Whole page", ZOOM_PAGE), ("50%", 0.5), ("75%", 0.75), ("100%", 1.0),
    ("150%", 1.5)]
COMPARE_MODES = [("Variants", "variants"), ("Languages", "locales")]


def note_label(parent: QWidget, error: bool = False) -> QLabel:
    """A strip above the preview: red for a guide that does not compile, yellow for notes."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet(
        "background:#fee2e2;color:#7f1d1d;padding:6px;border-bottom:1px solid #fca5a5"
        if error else
        "background:#fef9c3;color:#713f12;padding:6px;border-bottom:1px solid #fde68a")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def language_name(code: str) -> str:
    """ "Japanese (ja)": the language in words, its code for those who write the files."""
    locale = QLocale(code)
    if locale.language() == QLocale.Language.C:
        return code
    return f"{QLocale.languageToString(locale.language())} ({code})"


def fill(combo: QComboBox, items: list[tuple[str, Any]], keep: Any = None) -> None:
    """Replace a combo's items (text, data) without signals, keeping ``keep`` if still there."""
    with QSignalBlocker(combo):
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        index = combo.findData(keep) if keep is not None else -1
        combo.setCurrentIndex(max(index, 0))
    combo.updateGeometry()


class FitCombo(QComboBox):
    """A combo box as wide as the choice it shows (not its widest item), so a long sample-user
    name elsewhere in the list never makes the row wrap, and the chosen one is never cut."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentIndexChanged.connect(self.updateGeometry)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        text = self.fontMetrics().horizontalAdvance(self.currentText() or " ")
        base = super().sizeHint()
        size = self.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option,
                                             QSize(text + 4, base.height()), self)
        return QSize(size.width(), base.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.sizeHint()


def _combo(parent: QWidget, tip: str) -> FitCombo:
    combo = FitCombo(parent)
    combo.setToolTip(tip)
    return combo


def _button(parent: QWidget, text: str, tip: str, checkable: bool = False) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setToolTip(tip)
    button.setCheckable(checkable)
    button.setAutoRaise(True)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


def _group(parent: QWidget, *widgets: QWidget, caption: str = "") -> QWidget:
    """Widgets that wrap as one: a caption and its combo never end up on different rows."""
    box = QWidget(parent)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(4)
    if caption:
        label = QLabel(caption, box)
        label.setBuddy(widgets[0])
        row.addWidget(label)
    for widget in widgets:
        row.addWidget(widget)
    return box


class StepBar(QFrame):
    """◀ Step 2 / 4 ▶ over the bottom of the canvas: walkthroughs are navigated where they are
    shown. The pane places it; it is hidden for one-step guides."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("canvasStepBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.back = _button(self, "◀ Back", "Show the previous step")
        self.step = QLabel("", self)
        self.step.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.forward = _button(self, "Next ▶", "Show the next step")
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)
        row.setSpacing(6)
        for widget in (self.back, self.step, self.forward):
            row.addWidget(widget)

    def float_over(self, area: QWidget) -> None:
        """Sit over the bottom middle of ``area`` (the canvas), following its size."""
        self.setParent(area)
        area.installEventFilter(self)
        self.place()

    def place(self) -> None:
        area = self.parentWidget()
        if area is None or self.isHidden():
            return
        self.adjustSize()
        self.move((area.width() - self.width()) // 2, area.height() - self.height() - 12)
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.place()
        return False


class PreviewControls(QWidget):
    """What (variant, language, sample user) · view (device, zoom) · tools; wraps as needed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices: tuple[Any, ...] = ()
        self.variant = _combo(self, "The variant to show (the control group sees nothing)")
        self.locale = _combo(self, "The language to show; texts you edit on the canvas are "
                                   "written in this language")
        self.profile = _combo(self, "The sample user (profiles.yaml): fills personalized "
                                    "values and decides who would see the guide")
        self.device = _combo(self, "The size of the screen the page is shown on")
        for name, (w, h) in DEVICES.items():
            self.device.addItem(f"{name.capitalize()} {w}×{h}", name)
        self.zoom = _combo(self, "Auto: the page as wide as the canvas, but never so small "
                                 "that the guide is hard to read. Whole page: all of it.")
        for text, value in ZOOMS:
            self.zoom.addItem(text, value)
        # Said when Auto lays the page out narrower than the device for a banner to read.
        self.page_width = QLabel(self)
        self.page_width.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.page_width.hide()
        self.edit = _button(self, "Edit text", "Click a text of the guide on the canvas to "
                            "change it. Turn off to try the guide's buttons and links as "
                            "users would.", checkable=True)
        self.edit.setChecked(True)
        self.replay = _button(self, "⟳ Replay", "Show the guide again from the first step, "
                                               "with a fresh history")
        self.pick = _button(self, "Pick element", "Pick the element this step points at: "
                            "hover the page, click an element (Esc cancels)", checkable=True)
        self.compare = _button(self, "◫ Compare", "Show variants (or languages) side by side",
                               checkable=True)
        self.compare_by = _combo(self, "What the columns of the comparison differ in")
        for text, value in COMPARE_MODES:
            self.compare_by.addItem(text, value)
        self.compare_by.hide()
        self.compare.toggled.connect(self.compare_by.setVisible)

        self.more = _button(self, "More", "Save a screenshot, or show guides on another page")
        menu = QMenu(self.more)
        self.screenshot = QAction("Save screenshot…", menu)
        self.screenshot.setToolTip("Save the preview as a PNG image")
        self.show_host = QAction("Show on another page…", menu)
        self.show_host.setCheckable(True)
        menu.addAction(self.screenshot)
        menu.addAction(self.show_host)
        menu_button(self.more, "More", menu)

        self.url = QLineEdit(self)
        self.url.setPlaceholderText("Host page: the demo app — or a file path or URL "
                                    "(e.g. https://staging.example.com/files)")
        self.url.setClearButtonEnabled(True)
        self.url.setToolTip("The page guides are shown on; Enter loads it. Empty: the demo app")
        self.load = _button(self, "Load", "Load the host page")
        self.host_row = QWidget(self)
        host = QHBoxLayout(self.host_row)
        host.setContentsMargins(0, 0, 0, 0)
        host.addWidget(self.url, 1)
        host.addWidget(self.load)
        self.host_row.hide()
        self.show_host.toggled.connect(self.host_row.setVisible)

        self.steps = StepBar(parent or self)  # the pane places it over the canvas
        self.steps.hide()
        self.back, self.step, self.forward = self.steps.back, self.steps.step, self.steps.forward

        flow = FlowLayout(spacing=6)
        # A guide with one variant has nothing to choose: its row is left out.
        self.variant_group = _group(self, self.variant, caption="Variant")
        for widget in (self.variant_group,
                       _group(self, self.locale, caption="Language"),
                       _group(self, self.profile, caption="Sample user"),
                       _group(self, self.device, self.zoom, self.page_width),
                       _group(self, self.edit, self.replay, self.pick),
                       _group(self, self.compare, self.compare_by),
                       self.more):
            flow.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addLayout(flow)
        layout.addWidget(self.host_row)

    def populate(self, project: Project, guide: Guide | None) -> None:
        """The choices for this project and guide; current choices stay where they still exist.

        The first time, the locale is the project's default and the profile the
        first sample user (so placeholders show a name); "No profile" stays chosen.
        """
        # by name; an unnamed one by its place (its key is the analytics name, in the tooltip)
        variants = [(v.name or f"Variant {i + 1}", v.key)
                    for i, v in enumerate(guide.variants if guide is not None else [])]
        if guide is not None and guide.experiment and (guide.experiment.control_weight or 0) > 0:
            variants.append(("Control group (sees nothing)", CONTROL))
        locales = [(language_name(loc), loc) for loc in project.settings.locales]
        # the preview's own: never exported
        locales += [(name, loc) for loc, name in PSEUDO_LOCALES.items()]
        profiles = [("No sample user", "")] + [(p.name or p.id, p.id) for p in project.profiles]
        if (variants, locales, profiles) != self._choices:  # not on every keystroke
            self._choices = (variants, locales, profiles)
            fill(self.variant, variants, self.variant.currentData())
            fill(self.locale, locales,
                 self.locale.currentData() or project.settings.default_locale)
            first = project.profiles[0].id if project.profiles else ""
            fill(self.profile, profiles,
                 self.profile.currentData() if self.profile.count() else first)
            for i in range(self.variant.count()):
                self.variant.setItemData(i, f"Analytics name: {self.variant.itemData(i)}",
                                         Qt.ItemDataRole.ToolTipRole)
        self.variant_group.setVisible(self.variant.count() > 1)
        for widget in (self.variant, self.locale, self.profile, self.replay, self.pick,
                       self.compare, self.edit):
            widget.setEnabled(guide is not None)
        self.screenshot.setEnabled(guide is not None)

    def set_steps(self, current: int, total: int) -> None:
        """Step navigation for guides with several steps (walkthroughs)."""
        self.steps.setVisible(total > 1)
        self.step.setText(f"Step {current + 1} / {total}" if total > 1 else "")
        self.back.setEnabled(current > 0)
        self.forward.setEnabled(current < total - 1)
        self.steps.place()

    def truncated(self) -> list[str]:
        """The controls (the step bar's too) that show less than their whole text, or stick
        out of their row; empty when all is well. For tests of the window's screens."""
        cut = []
        for area in (self, self.steps):
            if area.isHidden():
                continue
            for widget in area.findChildren(QWidget):
                if not isinstance(widget, (QComboBox, QToolButton, QLabel)) \
                        or not widget.isVisibleTo(area):
                    continue
                text = widget.currentText() if isinstance(widget, QComboBox) else widget.text()
                inside = area.rect().contains(QRect(widget.mapTo(area, QPoint(0, 0)),
                                                    widget.size()))
                if widget.width() < widget.sizeHint().width() or not inside:
                    cut.append(f"{text!r} ({widget.width()} of {widget.sizeHint().width()} px"
                               f"{'' if inside else ', outside its row'})")
        return cut

    def set_page_width(self, width: int, device: int) -> None:
        """Say that the page is laid out ``width`` px wide instead of the device's ``device``
        (0: it is not)."""
        self.page_width.setVisible(bool(width))
        if not width:
            return
        self.page_width.setText(f"page narrowed to {width} px")
        self.page_width.setToolTip(
            f"A banner spans the page: at the device's {device} px it would be too small to "
            f"read here, so the page is laid out {width} px wide, as on a smaller screen — "
            f"the banner's text wraps as it would there. Choose Whole page or a zoom to see "
            f"it {device} px wide.")

    def zoom_value(self) -> float | str | None:
        value = self.zoom.currentData()
        return value if isinstance(value, str) or value is None else float(value)
