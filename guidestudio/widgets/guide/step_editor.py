"""The selected step: its texts, picture, anchor, buttons, and checklist or survey.

One form serves every kind; the sections a kind does not use are hidden
(unless the step already holds such data, which is then shown so it can be
seen and removed), and the sections it does use come in the order that
matters for it (``SECTION_ORDER``): an NPS survey starts with its question, a
checklist's tasks come before its buttons, a tooltip's element right after its
text. Lists inside the step — buttons, checklist tasks — are their own widgets
(``button_list``, ``checklist_items``), as is the survey.

What the runtime ignores is not offered: it places only tooltip and hotspot
steps against an element, so a banner (a bar across the page) has no use for a
placement, a gap or "if it's missing" — a banner step that names an element
anyway shows just that, with a sentence saying it is ignored, so it can be
removed. A walkthrough step laid out as a modal ignores its element the same way.

When the host page on the canvas lacks a step's element, a row under the
Element field says so and offers the page's closest selectors (``anchor_hint``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QGroupBox, QScrollArea, QVBoxLayout, QWidget

from guidestudio.core.edits import MISSING
from guidestudio.core.files.pictures import PictureRefused, add_picture
from guidestudio.core.form_words import IF_MISSING_LABELS
from guidestudio.core.model import IF_MISSING, Image
from guidestudio.core.schema_patterns import STEP_ID_PATTERN
from guidestudio.widgets.guide.anchor_hint import AnchorHint
from guidestudio.widgets.guide.button_list import ButtonList
from guidestudio.widgets.guide.checklist_items import ChecklistItems
from guidestudio.widgets.guide.picture_box import ICON_SIZE, PictureBox, thumbnail
from guidestudio.widgets.guide.survey_form import SurveyForm
from guidestudio.widgets.kit.combo_data import combo_value, set_options
from guidestudio.widgets.kit.form_kit import (
    Follower,
    GuideContext,
    GuideForm,
    OptionalSection,
    combo,
    dspin,
    form_layout,
    inner,
    inner_path,
    labelled,
    line_edit,
    note,
    spin,
)
from guidestudio.widgets.kit.localized_text import LocalizedTextEdit

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif"}
ANCHOR_KINDS = ("tooltip", "hotspot", "walkthrough")
LAYOUTS = [("Automatic", None), ("Tooltip next to an element", "tooltip"),
           ("Modal (middle of the screen)", "modal")]
PLACEMENTS = [("Automatic (where it fits)", None), ("Above", "top"), ("Below", "bottom"),
              ("Left", "left"), ("Right", "right"), ("Best fit (auto)", "auto")]
#: The step's sections, most important first, per kind (others: DEFAULT_ORDER).
DEFAULT_ORDER = ("texts", "anchor", "buttons", "items", "survey", "image")
SECTION_ORDER = {
    "survey": ("survey", "texts", "buttons", "image", "anchor", "items"),
    "checklist": ("texts", "items", "buttons", "image", "anchor", "survey"),
    "banner": ("texts", "buttons", "image", "anchor", "items", "survey"),
    "modal": ("texts", "buttons", "image", "anchor", "items", "survey"),
}
#: Why an element a step names is ignored (the runtime places only tooltip and hotspot
#: layouts against one: guide-runtime.js, go()), by kind.
IGNORED_ANCHOR = {
    "banner": "A banner spans the page and does not point at an element, so this one is "
              "ignored. Untick the box to remove it.",
    "walkthrough": "This step appears in the middle of the screen (Layout: modal), so the "
                   "element is ignored. Choose the tooltip layout to point at it, or untick "
                   "the box to remove it.",
}
IGNORED_ANCHOR_DEFAULT = ("This kind of guide does not point at an element, so this one is "
                          "ignored. Untick the box to remove it.")


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

        self.texts_box = texts = QGroupBox("Text", self)
        form = form_layout(texts)
        self.layout_box = combo("Walkthrough steps either point at an element (tooltip) or "
                                "appear in the middle of the screen (modal).", LAYOUTS)
        self.title = LocalizedTextEdit(self.document, lambda: s("title"), label="&Title",
                                       tooltip="The headline of this step. Keep it short.")
        self.body = LocalizedTextEdit(
            self.document, lambda: s("body"), multiline=True, label="&Body",
            tooltip="The message. Use the buttons above it for bold, italic, links and the "
                    "person's name.")
        self.step_id = line_edit("A short name for this step, used in analytics events and "
                                 "to keep translations apart. Letters, digits, - and _.",
                                 "e.g. welcome", STEP_ID_PATTERN)
        form.addRow("La&yout", self.layout_box)
        form.addRow(self.title)
        form.addRow(self.body)
        form.addRow("Analytics &name", self.step_id)
        self.step_form = form
        self.field(self.layout_box, lambda: s("layout"))
        self.field(self.step_id, lambda: s("id"))
        for widget, name in ((self.title, "title"), (self.body, "body")):
            self.marks.watch(widget, inner(lambda n=name: s(n)))
        self.layout_box.currentIndexChanged.connect(self.update_visibility)
        self.sections: dict[str, QWidget] = {"texts": texts}

        self.image_box = image = PictureBox("Picture", self)
        image_form = form_layout(image)
        self.image = combo("A picture shown above the text: one of the project's pictures. "
                           "Add picture… (or dropping a picture file here) copies a new one "
                           "into the project.", [])
        self.image.setIconSize(ICON_SIZE)
        self.image_alt = LocalizedTextEdit(
            self.document, lambda: s("image", "alt"), required=True, label="&Description",
            rich=False,  # the product shows it as plain words (the picture's alt text)
            tooltip="Describe the picture for people who cannot see it (screen readers). "
                    "Required.", placeholder="Required: what the picture shows, in a few words")
        image_form.addRow("&File", self.image)
        image_form.addRow(image.add_button)
        image_form.addRow(image.message)
        image_form.addRow(self.image_alt)
        image.fileChosen.connect(self.add_picture_file)
        self.image_form = image_form
        self._fill_images()
        self.field(self.image, lambda: s("image"), to_model=self._image_to_model,
                   from_model=lambda img: getattr(img, "src", None), text="Change image",
                   watch=False).displayed.connect(self.update_visibility)
        self.marks.watch(self.image, lambda: inner_path(s("image", "src")))
        self.marks.watch(self.image_alt, lambda: inner_path(s("image", "alt")))
        self.image.currentIndexChanged.connect(self.update_visibility)
        self.sections["image"] = image

        self.anchor = OptionalSection(
            "Point at an element", "Attach the step to an element of your product's page "
            "(tooltips and hotspots must).", self.document, lambda: s("anchor"), noun="anchor",
            parent=self)
        anchor_form = form_layout(self.anchor)
        self.anchor_note = note(IGNORED_ANCHOR_DEFAULT, self.anchor)
        anchor_form.addRow(self.anchor_note)
        self.selector = line_edit("The element to point at, as a CSS selector. Ask your "
                                  "developers or use the preview's element picker.",
                                  "e.g. #storage-meter")
        self.placement = combo("Which side of the element the step appears on. In right-to-left "
                               "languages (Arabic, Hebrew…) Left and Right swap: Right is the "
                               "side people read towards.", PLACEMENTS)
        self.offset = spin("Gap between the element and the step, in pixels.", 0, 100,
                           unset="Default", suffix=" px")
        self.if_missing = combo("What to do when the element is not on the page.",
                                labelled(IF_MISSING, IF_MISSING_LABELS))
        self.wait_seconds = dspin("How long to wait for the element before giving up.", 0, 600,
                                  unset="Default", suffix=" s")
        # What the canvas found: the element is not on its page, and which ones are.
        self.anchor_hint = AnchorHint(self.document, lambda: s("anchor", "selector"),
                                      self.anchor)
        self.anchor_hint.shownChanged.connect(self.update_visibility)
        anchor_form.addRow("&Element", self.selector)
        anchor_form.addRow("", self.anchor_hint)
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
        self.sections["anchor"] = self.anchor

        self.buttons_box = QGroupBox("Buttons", self)
        buttons_layout = QVBoxLayout(self.buttons_box)
        self.buttons = ButtonList(ctx, self.marks, self.buttons_box)
        buttons_layout.addWidget(self.buttons)
        self.sections["buttons"] = self.buttons_box

        self.items_box = QGroupBox("Checklist tasks", self)
        items_layout = QVBoxLayout(self.items_box)
        self.items = ChecklistItems(ctx, self.marks, self.items_box)
        items_layout.addWidget(self.items)
        self.sections["items"] = self.items_box

        self.survey_box = QGroupBox("Survey", self)
        survey_layout = QVBoxLayout(self.survey_box)
        self.survey = SurveyForm(ctx, self.survey_box)
        survey_layout.addWidget(self.survey)
        self.marks.watch(self.survey_box, lambda: inner_path(s("survey")), deep=False)
        self.sections["survey"] = self.survey_box
        self._order: tuple[str, ...] = ()
        self._arrange()
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
        root = self.document.project.root
        if set_options(self.image, [("No picture", None)] + [
                (p, p) for p in project_images(root)]) and root is not None:
            for i in range(1, self.image.count()):
                self.image.setItemIcon(i, thumbnail(Path(root) / self.image.itemData(i)))

    def add_picture_file(self, path: Path) -> bool:
        """Copy the picture at ``path`` into the project and show it in this step (one undo
        step); then ask for its description. False, with the reason shown, if refused."""
        image_path = self.ctx.step_path("image")
        if image_path is None:
            return False
        try:
            src = add_picture(self.document.project.root, path)
        except PictureRefused as refused:
            self.image_box.refuse(refused)
            return False
        self.image_box.clear_message()
        self._fill_images()
        current = self.document.get(image_path, None)
        if isinstance(current, Image) and current.src == src:
            return True  # the same picture again
        locale = self.document.project.settings.default_locale
        # A new picture needs its own description: the old one described another picture.
        self.document.set_value(image_path, Image(src=src, alt={locale: ""}),
                                text=f"Add picture {path.name}")
        self.image_alt.set_locale(locale)
        self.image_alt.editor(locale).setFocus(Qt.FocusReason.OtherFocusReason)
        # Once the description's row is laid out (a turn later), scroll it into view.
        QTimer.singleShot(0, self, self._reveal_description)
        return True

    def _reveal_description(self) -> None:
        area = self.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is not None:
            area.ensureWidgetVisible(self.image_alt)

    def refresh(self) -> None:
        self.anchor.reset()
        self.anchor_hint.refresh()
        self.image_box.clear_message()
        self._fill_images()
        for part in (self.title, self.body, self.image_alt, self.survey, self.buttons,
                     self.items):
            part.refresh()
        super().refresh()
        self.setEnabled(self.ctx.step_path() is not None)

    def _has(self, name: str) -> bool:
        path = self.ctx.step_path(name)
        return path is not None and bool(self.document.get(path, None))

    def _arrange(self) -> None:
        """Put the sections in the order that matters for the guide's kind."""
        order = SECTION_ORDER.get(self.ctx.kind(), DEFAULT_ORDER)
        if order == self._order:
            return
        self._order = order
        for index, name in enumerate(order):
            self.outer.removeWidget(self.sections[name])
            self.outer.insertWidget(index, self.sections[name])

    def anchor_used(self) -> bool:
        """Whether the runtime places this step against its element: tooltips, hotspots and
        walkthrough steps not laid out as modals. Otherwise the element is ignored."""
        kind = self.ctx.kind()
        if kind == "walkthrough":
            return combo_value(self.layout_box) != "modal"
        return kind in ANCHOR_KINDS

    def update_visibility(self) -> None:
        kind = self.ctx.kind()
        self._arrange()
        guide = self.ctx.guide()
        steps = len(guide.variants[self.ctx.variant].steps) if (
            guide is not None and 0 <= self.ctx.variant < len(guide.variants)) else 0
        self.texts_box.setTitle(f"Step {self.ctx.step + 1} of {steps}"
                                if kind == "walkthrough" and steps > 1 else "Text")
        self.step_form.setRowVisible(self.layout_box, kind == "walkthrough")
        self.image_form.setRowVisible(self.image_alt, combo_value(self.image) is not None)
        used = self.anchor_used()
        self.anchor.setVisible(used or self._has("anchor"))
        self.anchor_note.setText(IGNORED_ANCHOR.get(kind, IGNORED_ANCHOR_DEFAULT))
        self.anchor_form.setRowVisible(self.anchor_note, not used)
        for row in (self.placement, self.offset, self.if_missing):
            self.anchor_form.setRowVisible(row, used)
        self.anchor_form.setRowVisible(self.anchor_hint, used and self.anchor_hint.hint is not None)
        self.anchor_form.setRowVisible(self.wait_seconds,
                                       used and combo_value(self.if_missing) == "wait")
        self.items_box.setVisible(kind == "checklist" or self._has("items"))
        self.survey_box.setVisible(kind == "survey" or self._has("survey"))

