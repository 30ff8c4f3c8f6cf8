"""The preview's controls: what to show (variant, locale, profile), where, and how big.

Only widgets and their choices live here; the pane decides what a change
means. ``fill`` keeps the current choice when the lists are rebuilt (a
variant added while previewing must not jump the preview to another one).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core.model import Guide, Project
from guidestudio.widgets.preview.bridge import CONTROL
from guidestudio.widgets.preview.surface import DEVICES

ZOOMS: list[tuple[str, float | None]] = [("Fit", None), ("25%", 0.25), ("50%", 0.5),
                                         ("75%", 0.75), ("100%", 1.0)]
COMPARE_MODES = [("Variants", "variants"), ("Locales", "locales")]


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


def fill(combo: QComboBox, items: list[tuple[str, Any]], keep: Any = None) -> None:
    """Replace a combo's items (text, data) without signals, keeping ``keep`` if still there."""
    with QSignalBlocker(combo):
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        index = combo.findData(keep) if keep is not None else -1
        combo.setCurrentIndex(max(index, 0))


def _combo(parent: QWidget, tip: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setToolTip(tip)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    return combo


def _button(parent: QWidget, text: str, tip: str, checkable: bool = False) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setToolTip(tip)
    button.setCheckable(checkable)
    button.setAutoRaise(True)
    return button


class PreviewControls(QWidget):
    """Three rows: what (variant, locale, profile), view (device, zoom, steps, tools), page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices: tuple[Any, ...] = ()
        self.variant = _combo(self, "The variant to show (the control group sees nothing)")
        self.locale = _combo(self, "The language to show")
        self.profile = _combo(self, "The sample user (profiles.yaml): fills placeholders "
                                    "and decides eligibility")
        self.device = _combo(self, "The device's viewport size")
        for name, (w, h) in DEVICES.items():
            self.device.addItem(f"{name.capitalize()} {w}×{h}", name)
        self.zoom = _combo(self, "Zoom: Fit scales the device to the space available")
        for text, value in ZOOMS:
            self.zoom.addItem(text, value)
        self.back = _button(self, "◀", "Previous step")
        self.step = QLabel("", self)
        self.forward = _button(self, "▶", "Next step")
        self.replay = _button(self, "⟳ Replay", "Show the guide again from the first step, "
                                               "with a fresh history")
        self.pick = _button(self, "⌖ Pick", "Pick the element this step points at: hover the "
                                           "page, click an element (Esc cancels)", checkable=True)
        self.compare = _button(self, "◫ Compare", "Show variants (or locales) side by side",
                               checkable=True)
        self.compare_by = _combo(self, "What the columns of the comparison differ in")
        for text, value in COMPARE_MODES:
            self.compare_by.addItem(text, value)
        self.screenshot = _button(self, "Save screenshot…", "Save the preview as a PNG image")
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("Host page: the demo app — or a file path or URL "
                                    "(e.g. https://staging.example.com/files)")
        self.url.setClearButtonEnabled(True)
        self.url.setToolTip("The page guides are shown on; Enter loads it. Empty: the demo app")
        self.load = _button(self, "Load", "Load the host page")

        what = QHBoxLayout()
        for label, widget in (("Variant", self.variant), ("Locale", self.locale),
                              ("Profile", self.profile)):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            what.addWidget(caption)
            what.addWidget(widget)
        what.addStretch(1)
        view = QHBoxLayout()
        for widget in (self.device, self.zoom, self.back, self.step, self.forward, self.replay,
                       self.pick, self.compare, self.compare_by):
            view.addWidget(widget)
        view.addStretch(1)
        view.addWidget(self.screenshot)
        page = QHBoxLayout()
        page.addWidget(self.url, 1)
        page.addWidget(self.load)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(2)
        layout.addLayout(what)
        layout.addLayout(view)
        layout.addLayout(page)

    def populate(self, project: Project, guide: Guide | None) -> None:
        """The choices for this project and guide; current choices stay where they still exist.

        The first time, the locale is the project's default and the profile the
        first sample user (so placeholders show a name); "No profile" stays chosen.
        """
        variants = [(f"{v.key} — {v.name}" if v.name else v.key, v.key)
                    for v in (guide.variants if guide is not None else [])]
        if guide is not None and guide.experiment and (guide.experiment.control_weight or 0) > 0:
            variants.append(("control (sees nothing)", CONTROL))
        locales = [(loc, loc) for loc in project.settings.locales]
        profiles = [("No profile", "")] + [(p.name or p.id, p.id) for p in project.profiles]
        if (variants, locales, profiles) != self._choices:  # not on every keystroke
            self._choices = (variants, locales, profiles)
            fill(self.variant, variants, self.variant.currentData())
            fill(self.locale, locales,
                 self.locale.currentData() or project.settings.default_locale)
            first = project.profiles[0].id if project.profiles else ""
            fill(self.profile, profiles,
                 self.profile.currentData() if self.profile.count() else first)
        for widget in (self.variant, self.locale, self.profile, self.replay, self.pick,
                       self.compare, self.screenshot):
            widget.setEnabled(guide is not None)

    def set_steps(self, current: int, total: int) -> None:
        """Step navigation for guides with several steps (walkthroughs)."""
        several = total > 1
        for widget in (self.back, self.step, self.forward):
            widget.setVisible(several)
        self.step.setText(f"Step {current + 1} / {total}" if several else "")
        self.back.setEnabled(current > 0)
        self.forward.setEnabled(current < total - 1)

    def zoom_value(self) -> float | None:
        value = self.zoom.currentData()
        return float(value) if value is not None else None
