"""What a guide is and how it looks: name, status, priority, theme, display options.

The display options depend on the kind (a banner sits at the top or bottom and
may push the page down; a modal may dim the page behind it; anchored kinds are
placed next to their element), so only the ones the chosen kind uses are
shown — a marketer should never wonder why a setting does nothing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGroupBox, QWidget

from guidestudio.core.edits import MISSING
from guidestudio.core.model import GUIDE_KINDS, STATUSES
from guidestudio.widgets.kit.combo_data import set_options
from guidestudio.widgets.kit.form_kit import (
    Follower,
    GuideContext,
    GuideForm,
    check,
    combo,
    form_layout,
    labelled,
    line_edit,
    spin,
    text_box,
)

KIND_LABELS = {"tooltip": "Tooltip (points at an element)", "modal": "Modal (centre of screen)",
               "walkthrough": "Walkthrough (several steps)", "banner": "Banner (top or bottom)",
               "hotspot": "Hotspot (pulsing dot on an element)",
               "checklist": "Checklist (onboarding tasks)", "survey": "Survey (NPS score)"}
STATUS_LABELS = {"draft": "Draft — not exported", "staged": "Staged — staging only",
                 "live": "Live — in production", "archived": "Archived — kept, never shown"}
BANNER_POSITIONS = ("top", "bottom")
BOX_POSITIONS = ("center", "bottom-right", "bottom-left", "top", "bottom")
DEFAULT_POSITION = {"banner": "top", "checklist": "bottom-right"}
POSITIONED = ("banner", "modal", "survey", "checklist", "walkthrough")
BACKDROP = ("modal", "survey", "walkthrough")


def _default_true(value: Any) -> bool:
    return value is not False


def _write_default_true(checked: bool) -> Any:
    return MISSING if checked else False


class GuideSettingsForm(GuideForm):
    """General settings and the kind-specific display options of the selected guide."""

    def __init__(self, ctx: GuideContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        g = ctx.guide_path

        general = QGroupBox("Guide", self)
        form = form_layout(general)
        self.name = line_edit("The guide's name, as your team sees it in Guide Studio; users "
                              "never see it.", "e.g. Storage almost full — upgrade prompt")
        self.description = text_box("Notes for your team: who this guide is for and why. "
                                    "Never shown to users.")
        self.kind = combo("What kind of guide this is. It decides how the guide looks and "
                          "which settings apply; changing it keeps your texts.",
                          labelled(GUIDE_KINDS, KIND_LABELS))
        self.status = combo("Draft guides are never exported; staged ones go to the staging "
                            "environment only; live ones reach your users; archived ones are "
                            "kept for reference.", labelled(STATUSES, STATUS_LABELS))
        self.priority = spin("When several guides could show at the same moment, the one with "
                             "the highest priority wins.", 0, 1000, unset="Default (0)")
        self.theme = combo("The colours and fonts this guide uses. Leave it on the project "
                           "theme unless this guide must look different.", [])
        self.exempt = check("Show even past the project's guide limits",
                            "Ignore the project's limits on how many guides a user sees per "
                            "session or day — for critical notices only.")
        form.addRow("&Name", self.name)
        form.addRow("&Description", self.description)
        form.addRow("&Kind", self.kind)
        form.addRow("&Status", self.status)
        form.addRow("&Priority", self.priority)
        form.addRow("T&heme", self.theme)
        form.addRow(self.exempt)
        self.field(self.name, lambda: g("name"), optional=False)
        self.field(self.description, lambda: g("description"))
        self.field(self.kind, lambda: g("kind"), text="Change guide kind")
        self.field(self.status, lambda: g("status"), text="Change guide status")
        self.field(self.priority, lambda: g("priority"), merge=True)
        self.field(self.theme, lambda: g("theme"))
        self.field(self.exempt, lambda: g("exempt_from_throttle"),
                   to_model=lambda on: True if on else MISSING)
        self.outer.addWidget(general)

        self.display_box = QGroupBox("Display", self)
        self.display = form_layout(self.display_box)
        self.position = combo("Where on the screen the guide appears.", [])
        self.push = check("Push the page down instead of covering it",
                          "The banner moves the page's content instead of lying on top of it.")
        self.backdrop = check("Dim the page behind the guide",
                              "A dark layer behind the guide keeps attention on it; clicks "
                              "outside it do nothing.")
        self.close_button = check("Show a close (×) button",
                                  "Lets people dismiss the guide with a close button in its "
                                  "corner. Turn it off only when the guide's own buttons close it.")
        self.width = spin("How wide the guide's box is, in pixels. Automatic fits the content.",
                          160, 1200, unset="Automatic", suffix=" px")
        self.display.addRow("P&osition", self.position)
        self.display.addRow(self.push)
        self.display.addRow(self.backdrop)
        self.display.addRow(self.close_button)
        self.display.addRow("&Width", self.width)
        d = lambda *parts: g("display", *parts)  # noqa: E731 - a path, read lazily
        self.field(self.position, lambda: d("position"))
        self.field(self.push, lambda: d("push"), to_model=lambda on: True if on else MISSING)
        self.field(self.backdrop, lambda: d("backdrop"), to_model=_write_default_true,
                   from_model=_default_true)
        self.field(self.close_button, lambda: d("close_button"), to_model=_write_default_true,
                   from_model=_default_true)
        self.field(self.width, lambda: d("width"), merge=True)
        self.outer.addWidget(self.display_box)
        self.outer.addStretch(1)
        Follower(self.document, lambda: g("kind"), self._kind_changed, self)
        Follower(self.document, lambda: ("themes",), self._fill_themes, self)

    def refresh(self) -> None:
        self._fill_themes()
        self._fill_positions()
        super().refresh()

    def _kind_changed(self) -> None:
        self._fill_positions()
        self.update_visibility()

    def _fill_themes(self) -> None:
        project = self.document.project
        default = project.settings.theme
        theme = project.themes.get(default) if default else None
        # by its name, as the tree shows it (its id is the file's business)
        default_name = (theme.name if theme is not None and theme.name else default) or "built in"
        themes = sorted(project.themes.items())
        wanted = [(f"Project theme ({default_name})", None)] + [
            (theme.name or theme_id, theme_id) for theme_id, theme in themes]
        self._refill(self.theme, wanted, self.ctx.guide_path("theme"))

    def _fill_positions(self) -> None:
        kind = self.ctx.kind()
        options = BANNER_POSITIONS if kind == "banner" else BOX_POSITIONS
        default = DEFAULT_POSITION.get(kind, "center")
        wanted = [(f"Default ({default})", None)] + labelled(options)
        self._refill(self.position, wanted, self.ctx.guide_path("display", "position"))

    def _refill(self, box: Any, wanted: list[tuple[str, Any]], path: Any) -> None:
        if not set_options(box, wanted):
            return
        for binding in self.bindings:
            if binding.widget is box and path is not None:
                binding.refresh()

    def update_visibility(self) -> None:
        kind = self.ctx.kind()
        self.display.setRowVisible(self.position, kind in POSITIONED)
        self.display.setRowVisible(self.push, kind == "banner")
        self.display.setRowVisible(self.backdrop, kind in BACKDROP)
        self.display.setRowVisible(self.width, kind != "banner")
