"""The selected step: its texts, image, anchor, buttons, and checklist or survey.

One form serves every kind; the sections a kind does not use are hidden
(unless the step already holds such data, which is then shown so it can be
seen and removed). Lists inside the step — buttons, checklist tasks — are
their own widgets (``button_list``, ``checklist_items``), as is the survey.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFormLayout, QGroupBox, QVBoxLayout, QWidget

from guidestudio.core.edits import MISSING
from guidestudio.core.model import IF_MISSING, Image
from guidestudio.core.schema_patterns import STEP_ID_PATTERN
from guidestudio.widgets.guide.button_list import ButtonList
from guidestudio.widgets.guide.checklist_items import ChecklistItems
from guidestudio.widgets.guide.survey_form import SurveyForm
from guidestudio.widgets.kit.combo_data import combo_value, set_options
from guidestudio.widgets.kit.form_kit import (
    Follower,
    GuideContext,
    GuideForm,
    OptionalSection,
    combo,
    dspin,
    inner,
    inner_path,
    labelled,
    line_edit,
    spin,
)
from guidestudio.widgets.kit.localized_text import LocalizedTextEdit

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif"}
ANCHOR_KINDS = ("tooltip", "hotspot", "walkthrough", "banner")
LAYOUTS = [("Automatic", None), ("Tooltip next to an element", "tooltip"),
           ("Modal in the middle of the screen", "modal")]
PLACEMENTS = [("Automatic (where it fits)", None), ("Above", "top"), ("Below", "bottom"),
              ("Left", "left"), ("Right", "right"), ("Best fit (auto)", "auto")]
IF_MISSING_LABELS = {"skip": "Skip this step", "wait": "Wait for it to appear",
                     "modal": "Show the step as a modal instead"}


def project_images(root: Path | None) -> list[str]:
    """Image files under the project's assets/, as the paths a guide writes."""
    if root is None or not (Path(root) / "assets").is_dir():
        return []
    base = Path(root)
    return sorted(p.relative_to(base).as_posix() for p in (base / "assets").rglob("*")
                  if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)


class StepEditor(GuideForm):
    """Every field of the step selected in the guide editor."""

    def __init__(self, ctx: GuideContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        s = ctx.step_path

        texts = QGroupBox("Step", self)
        form = QFormLayout(texts)
        self.layout_box = combo("Walkthrough steps either point at an element (tooltip) or "
                                "appear in the middle of the screen (modal).", LAYOUTS)
        self.title = LocalizedTextEdit(self.document, lambda: s("title"),
                                       tooltip="The headline of this step. Keep it short.")
        self.body = LocalizedTextEdit(
            self.document, lambda: s("body"), multiline=True,
            tooltip="The message. Use the buttons above it for bold, italic, links and the "
                    "person's name.")
        self.step_id = line_edit("A short name for this step, used in analytics events and "
                                 "to keep translations apart. Letters, digits, - and _.",
                                 "e.g. welcome", STEP_ID_PATTERN)
        form.addRow("La&yout", self.layout_box)
        form.addRow("&Title", self.title)
        form.addRow("&Body", self.body)
        form.addRow("Step &id", self.step_id)
        self.step_form = form
        self.field(self.layout_box, lambda: s("layout"))
        self.field(self.step_id, lambda: s("id"))
        for widget, name in ((self.title, "title"), (self.body, "body")):
            self.marks.watch(widget, inner(lambda n=name: s(n)))
        self.outer.addWidget(texts)

        image = QGroupBox("Image", self)
        image_form = QFormLayout(image)
        self.image = combo("A picture shown above the text. Add image files to the project's "
                           "assets folder to choose them here.", [])
        self.image_alt = LocalizedTextEdit(
            self.document, lambda: s("image", "alt"), required=True,
            tooltip="Describe the picture for people who cannot see it (screen readers).")
        image_form.addRow("&Picture", self.image)
        image_form.addRow("&Description", self.image_alt)
        self.image_form = image_form
        self._fill_images()
        self.field(self.image, lambda: s("image"), to_model=self._image_to_model,
                   from_model=lambda img: getattr(img, "src", None), text="Change image",
                   watch=False).displayed.connect(self.update_visibility)
        self.marks.watch(self.image, lambda: inner_path(s("image", "src")))
        self.marks.watch(self.image_alt, lambda: inner_path(s("image", "alt")))
        self.image.currentIndexChanged.connect(self.update_visibility)
        self.outer.addWidget(image)

        self.anchor = OptionalSection(
            "Point at an element", "Attach the step to an element of your product's page "
            "(tooltips and hotspots must).", self.document, lambda: s("anchor"), noun="anchor",
            parent=self)
        anchor_form = QFormLayout(self.anchor)
        self.selector = line_edit("The element to point at, as a CSS selector. Ask your "
                                  "developers or use the preview's element picker.",
                                  "e.g. #storage-meter")
        self.placement = combo("Which side of the element the step appears on.", PLACEMENTS)
        self.offset = spin("Gap between the element and the step, in pixels.", 0, 100,
                           unset="Default", suffix=" px")
        self.if_missing = combo("What to do when the element is not on the page.",
                                labelled(IF_MISSING, IF_MISSING_LABELS))
        self.wait_seconds = dspin("How long to wait for the element before giving up.", 0, 600,
                                  unset="Default", suffix=" s")
        anchor_form.addRow("&Element", self.selector)
        anchor_form.addRow("P&lacement", self.placement)
        anchor_form.addRow("&Gap", self.offset)
        anchor_form.addRow("If it's &missing", self.if_missing)
        anchor_form.addRow("Wait up &to", self.wait_seconds)
        self.anchor_form = anchor_form
        self.field(self.selector, lambda: s("anchor", "selector"), optional=False)
        self.field(self.placement, lambda: s("anchor", "placement"))
        self.field(self.offset, lambda: s("anchor", "offset"), merge=True)
        self.field(self.if_missing, lambda: s("if_missing"), from_model=lambda v: v or "skip",
                   companions=lambda v: {} if v == "wait" else {"wait_seconds": MISSING})
        self.field(self.wait_seconds, lambda: s("wait_seconds"), merge=True)
        self.if_missing.currentIndexChanged.connect(self.update_visibility)
        self.outer.addWidget(self.anchor)

        self.buttons_box = QGroupBox("Buttons", self)
        buttons_layout = QVBoxLayout(self.buttons_box)
        self.buttons = ButtonList(ctx, self.marks, self.buttons_box)
        buttons_layout.addWidget(self.buttons)
        self.outer.addWidget(self.buttons_box)

        self.items_box = QGroupBox("Checklist tasks", self)
        items_layout = QVBoxLayout(self.items_box)
        self.items = ChecklistItems(ctx, self.marks, self.items_box)
        items_layout.addWidget(self.items)
        self.outer.addWidget(self.items_box)

        self.survey_box = QGroupBox("Survey", self)
        survey_layout = QVBoxLayout(self.survey_box)
        self.survey = SurveyForm(ctx, self.survey_box)
        survey_layout.addWidget(self.survey)
        self.marks.watch(self.survey_box, lambda: inner_path(s("survey")), deep=False)
        self.outer.addWidget(self.survey_box)
        self.outer.addStretch(1)

        Follower(self.document, lambda: ctx.guide_path("kind"), self.update_visibility, self)
        for name in ("items", "survey", "anchor"):
            Follower(self.document, lambda n=name: s(n), self.update_visibility, self)

    def _image_to_model(self, src: Any) -> Any:
        if src is None:
            return MISSING
        path = self.ctx.step_path("image")
        current = self.document.get(path, None) if path else None
        if isinstance(current, Image):
            return Image(src=src, alt=dict(current.alt))
        # The description is required: start it empty so the form asks for it.
        return Image(src=src, alt={self.document.project.settings.default_locale: ""})

    def _fill_images(self) -> None:
        set_options(self.image, [("No picture", None)] + [
            (p, p) for p in project_images(self.document.project.root)])

    def refresh(self) -> None:
        self.anchor.reset()
        self._fill_images()
        for part in (self.title, self.body, self.image_alt, self.survey, self.buttons,
                     self.items):
            part.refresh()
        super().refresh()
        self.setEnabled(self.ctx.step_path() is not None)

    def _has(self, name: str) -> bool:
        path = self.ctx.step_path(name)
        return path is not None and bool(self.document.get(path, None))

    def update_visibility(self) -> None:
        kind = self.ctx.kind()
        self.step_form.setRowVisible(self.layout_box, kind == "walkthrough")
        self.image_form.setRowVisible(self.image_alt, combo_value(self.image) is not None)
        self.anchor.setVisible(kind in ANCHOR_KINDS or self._has("anchor"))
        self.anchor_form.setRowVisible(self.wait_seconds, combo_value(self.if_missing) == "wait")
        self.items_box.setVisible(kind == "checklist" or self._has("items"))
        self.survey_box.setVisible(kind == "survey" or self._has("survey"))

