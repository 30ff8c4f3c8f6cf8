"""A theme: its colours, font, corners, shadow and stacking, with a live sample.

Everything a theme file can say is editable here (schemas/theme.schema.json),
each field bound to the document like every other form, so each change is one
undoable edit and a value the schema rejects is refused on the field instead of
being saved. Optional tokens can be "not set": the guide then inherits the
built-in default from ``core/bundle/theme_css.py``, which the placeholders and
"Inherit (…)" texts show, so the designer sees what an unset token means.

The shadow and the stacking are CSS a designer would rather not write: they
are choices in words ("Soft", "Above everything", ``theme_presets.py``), with
"Custom…" showing the raw value for whoever wants it.

Beside the fields (above them, when the page is narrow), a small Qt mock of a
step card (``theme_sample.py``) shows
the theme's resolved tokens (``theme_tokens``: what the exported CSS will hold)
as they change. Low contrast between text and its background (``css_colors.py``)
is told as a hint (WCAG 2 ratio below 4.5:1), not an error: the file is valid,
it may just be hard to read.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QColor, QRegularExpressionValidator, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QColorDialog,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core.bundle.theme_css import COLOR_TOKENS, DEFAULTS, theme_tokens
from guidestudio.core.model import Theme
from guidestudio.widgets.entities.css_colors import (
    css_of,
    low_contrast,
    parse_color,
    swatch,
)
from guidestudio.widgets.entities.theme_presets import (
    FONT_STACKS,
    SHADOW_TIP,
    SHADOWS,
    STACKING,
    STACKING_TIP,
)
from guidestudio.widgets.entities.theme_sample import ThemeSample
from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.kit.form_kit import (
    EntityPage,
    Follower,
    Form,
    align_labels,
    dspin,
    form_layout,
    line_edit,
    narrow_combo,
    spin,
)
from guidestudio.widgets.kit.marks import set_mark
from guidestudio.widgets.kit.model_writes import write_value
from guidestudio.widgets.kit.preset_choice import PresetChoice

# Stricter than the schema's colour pattern (no 5- or 7-digit hex) so a half-typed
# "#2563e" waits instead of being saved; everything accepted here the schema accepts.
COLOR_PATTERN = (r"(?:#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})"
                 r"|rgba?\([0-9., %]+\)|hsla?\([0-9., %deg]+\)|[a-zA-Z]+)")
FONT_PATTERN = r"[A-Za-z0-9 ,'\"-]{1,200}"
SHADOW_PATTERN = r"[A-Za-z0-9 ,.()#%-]{0,200}"
#: Below this page width the sample goes above the fields instead of beside them.
TWO_COLUMNS_FROM = 760

#: (key, label, what it styles in the product): from guide_templates/base.css.
COLORS: tuple[tuple[str, str, str], ...] = (
    ("primary", "&Primary",
     "Primary buttons, links in the text, the banner's background, ticked checklist items "
     "and the chosen survey score."),
    ("on_primary", "&On primary",
     "Text and icons drawn on the primary colour: primary button labels, banner text, the "
     "tick in a done checklist item (and the banner's primary button background)."),
    ("surface", "S&urface",
     "The background of the step card (tooltip, modal, checklist, survey…), its arrow, the "
     "close button and the ring around a hotspot beacon."),
    ("text", "&Text",
     "Titles and body text on the card, secondary button labels, checklist item labels."),
    ("muted", "&Muted",
     "Secondary text: step progress (\"2 of 3\"), checklist status and item descriptions, "
     "quotes and the close button's ×."),
    ("border", "&Border",
     "The card's outline and arrow edge, secondary buttons, checklist dividers and "
     "checkboxes, the bar beside quotes."),
    ("backdrop", "Bac&kdrop",
     "The layer that dims the page behind a modal (unless the step turns the backdrop off); "
     "usually see-through, e.g. rgba(15, 23, 42, 0.55)."),
    ("accent", "&Accent",
     "Hotspot beacons and their pulse, and the keyboard focus ring around buttons and links."),
)
_COLOR_TIP = ("\n\nA CSS colour: #rrggbb, #rgb, #rrggbbaa, rgb(…)/rgba(…), hsl(…)/hsla(…) or a "
              "colour name. Empty: not set, the built-in {default} is used (CSS --gs-{css}). "
              "The button picks it with a colour dialog.")


# --- the editor ---------------------------------------------------------------------------


class ThemeEditor(EntityPage):
    """Edits the theme chosen with ``set_theme``."""

    def __init__(self, document: EditableDocument, parent: QWidget | None = None) -> None:
        super().__init__(document, self._entity, parent)
        self._theme_id: str | None = None
        self.header.setWordWrap(True)
        self.form = Form(document, self.marks, self)
        self.colors: dict[str, QLineEdit] = {}
        self.swatches: dict[str, QPushButton] = {}
        self.columns = columns = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.form)
        left = QVBoxLayout()
        columns.addLayout(left, 3)
        right = QVBoxLayout()
        columns.addLayout(right, 2)
        sections = (self._identity_box(), self._colors_box(), self._type_box(),
                    self._shape_box())
        for section in sections:
            left.addWidget(section)
        align_labels(*sections)  # their fields start at one place
        left.addStretch(1)
        sample_title = QLabel("Sample", self.form)
        sample_title.setStyleSheet("font-weight: bold;")
        self.sample = ThemeSample(self.form)
        self.contrast = QLabel(self.form)
        self.contrast.setWordWrap(True)
        self.contrast.setTextFormat(Qt.TextFormat.PlainText)
        self.contrast.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # readable by keyboard users too
        self.contrast.setToolTip("Text needs a contrast ratio of at least 4.5:1 with its "
                                 "background to be readable by most people (WCAG 2, level AA). "
                                 "A hint: the theme is saved either way.")
        right.addWidget(sample_title)
        right.addWidget(self.sample)
        right.addWidget(self.contrast)
        right.addStretch(1)

        area = QScrollArea(self)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(self.form)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(area, 1)
        Follower(document, lambda: ("themes", self._theme_id) if self._theme_id else None,
                 self._theme_changed, self)
        Follower(document, lambda: ("guides",), self._update_header, self)
        Follower(document, lambda: ("settings", "theme"), self._update_header, self)
        document.reset.connect(self._reset)
        self.setFocusProxy(self.name)
        self.set_theme(None)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Fields and sample side by side on a wide page; on a narrow one the sample on top
        (a bottom-to-top column puts the second part, the sample, first)."""
        super().resizeEvent(event)
        wide = event.size().width() >= TWO_COLUMNS_FROM
        direction = (QBoxLayout.Direction.LeftToRight if wide
                     else QBoxLayout.Direction.BottomToTop)
        if self.columns.direction() != direction:
            self.columns.setDirection(direction)
            self.columns.setStretch(0, 3 if wide else 0)
            self.columns.setStretch(1, 2 if wide else 0)

    # --- building ------------------------------------------------------------------------

    def _identity_box(self) -> QGroupBox:
        box = QGroupBox("Theme", self.form)
        fields = QFormLayout(box)
        self.id_field = QLineEdit(box)
        self.id_field.setReadOnly(True)
        self.id_field.setToolTip("The theme's id: its file name (themes/<id>.yaml) and how guides "
                                 "and the project settings refer to it. Rename it from the "
                                 "project tree, which updates every reference.")
        self.name = line_edit("The theme's name as your team sees it, e.g. 'Acme Dark'. "
                              "Only shown in Guide Studio.", parent=box)
        self.used_by = QLabel(box)
        self.used_by.setWordWrap(True)
        self.used_by.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        fields.addRow("&Name", self.name)  # what the team calls it first; its file id after
        fields.addRow("&Id", self.id_field)
        fields.addRow("Used by", self.used_by)
        self.form.field(self.id_field, lambda: self.path("id"), watch=False)
        self.form.field(self.name, lambda: self.path("name"), optional=False)
        return box

    def _colors_box(self) -> QGroupBox:
        box = QGroupBox("Colours", self.form)
        box.setToolTip("The theme's colours. Empty ones are not set: guides use the built-in "
                       "colour shown in the field.")
        fields = QFormLayout(box)
        for key, label, styles in COLORS:
            css = key.replace("_", "-")
            default = DEFAULTS[COLOR_TOKENS[key]]
            tip = styles + _COLOR_TIP.format(default=default, css=css)
            edit = line_edit(tip, f"not set: {default}", COLOR_PATTERN, parent=box)
            edit.setAccessibleName(label.replace("&", "") + " colour")
            button = QPushButton(box)
            button.setToolTip(f"Pick the {label.replace('&', '').lower()} colour with a colour "
                              "dialog (see-through colours included).")
            button.setAccessibleName(f"Pick {label.replace('&', '').lower()} colour")
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.clicked.connect(lambda _=False, k=key: self.pick_color(k))
            row = QHBoxLayout()
            row.addWidget(button)
            row.addWidget(edit, 1)
            caption = QLabel(label, box)
            caption.setBuddy(edit)
            caption.setToolTip(styles)
            fields.addRow(caption, row)
            binding = self.form.field(edit, lambda k=key: self.path("colors", k))
            binding.displayed.connect(lambda k=key: self._show_swatch(k))
            edit.textChanged.connect(lambda _text, k=key: self._show_swatch(k))
            self.colors[key] = edit
            self.swatches[key] = button
        return box

    def _type_box(self) -> QGroupBox:
        box = QGroupBox("Text", self.form)
        fields = QFormLayout(box)
        self.family = narrow_combo(QComboBox(box), 16)
        self.family.setEditable(True)
        self.family.setCompleter(None)  # inline completion would save half-typed stacks
        self.family.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # (Stacks are long: sized by a few words, not by the longest one, or the form scrolls.)
        self.family.addItems(FONT_STACKS)
        self.family.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        family_edit = self.family.lineEdit()
        family_edit.setPlaceholderText("not set: the system's UI font")
        family_edit.setValidator(QRegularExpressionValidator(QRegularExpression(FONT_PATTERN),
                                                             family_edit))
        tip = ("The font of every text in a guide: a CSS font stack, tried left to right, e.g. "
               "Inter, Arial, sans-serif. Use fonts the product's pages already load. Pick a "
               "common stack from the list or type one. Empty: not set, the system UI font.")
        self.family.setToolTip(tip)
        family_edit.setToolTip(tip)
        self.family.textActivated.connect(self._family_picked)
        self.size = dspin("The base text size of guides, in CSS pixels (8–32); titles are 1.1× "
                          "(modals 1.3×), progress and descriptions smaller. Lowest value: not "
                          "set, 15 px.", 8, 32, unset="Not set (15 px)", suffix=" px",
                          parent=box)
        self.weight = spin("How bold titles, buttons, checklist item labels and survey questions "
                           "are: 100 (thin) to 900 (black), 400 is normal, 700 bold. Lowest "
                           "value: not set, 600.", 1, 900, unset="Not set (600)", parent=box)
        self.weight.setSingleStep(100)
        fields.addRow("Font &family", self.family)
        fields.addRow("Text si&ze", self.size)
        fields.addRow("Heading &weight", self.weight)
        self.form.field(family_edit, lambda: self.path("font", "family"))
        self.form.field(self.size, lambda: self.path("font", "size"))
        self.form.field(self.weight, lambda: self.path("font", "heading_weight"))
        return box

    def _shape_box(self) -> QGroupBox:
        box = QGroupBox("Shape and stacking", self.form)
        fields = form_layout(box)
        self.radius = dspin("How round the step card's corners are, in CSS pixels (0–48; 0 is "
                            "square). Buttons use 70% of it. Lowest value: not set, 10 px.",
                            0, 48, unset="Not set (10 px)", suffix=" px", parent=box)
        self.shadow = line_edit(
            "The step card's shadow, as a CSS box-shadow, e.g. 0 12px 32px rgba(0, 0, 0, 0.2); "
            "several shadows separated by commas; 'none' for no shadow. Empty: not set, the "
            "built-in soft shadow.", f"not set: {DEFAULTS['--gs-shadow']}", SHADOW_PATTERN,
            parent=box)
        self.z_index = spin("How high guides stack over the page's own content: the CSS "
                            "z-index of the guide's box. Lower it if the product's own dialogs "
                            "should cover guides. Lowest value: not set, 2147483000 (above "
                            "almost everything).", 1, 2147483647,
                            unset="Not set (2147483000)", parent=box)
        self.z_index.setAccessibleName("Custom stacking (CSS z-index)")
        self.shadow.setAccessibleName("Custom shadow (CSS box-shadow)")
        self.shadow_choice = PresetChoice(self.form, lambda: self.path("shadow"), SHADOWS,
                                          self.shadow, SHADOW_TIP, box)
        self.stacking = PresetChoice(self.form, lambda: self.path("z_index"), STACKING,
                                     self.z_index, STACKING_TIP, box)
        fields.addRow("Corner &radius", self.radius)
        shadow_label = QLabel("S&hadow", box)
        shadow_label.setBuddy(self.shadow_choice.combo)
        fields.addRow(shadow_label, self.shadow_choice)
        stacking_label = QLabel("Sta&cking", box)
        stacking_label.setBuddy(self.stacking.combo)
        fields.addRow(stacking_label, self.stacking)
        self.form.field(self.radius, lambda: self.path("radius"))
        return box

    # --- the main window's API -----------------------------------------------------------

    def theme_id(self) -> str | None:
        return self._theme_id

    def set_theme(self, theme_id: str | None) -> None:
        if theme_id is not None and theme_id not in self.document.project.themes:
            theme_id = None
        self._theme_id = theme_id
        for choice in (self.shadow_choice, self.stacking):
            choice.reset()  # another theme: its own values pick the entries
        self.form.refresh()
        self.form.setEnabled(self.theme() is not None)
        self._update_header()
        self._update_look()
        self.marks.update()

    def focus_field(self, field: str) -> None:
        self.marks.update()
        found = self.marks.widget_for(field) if field else None
        widget = found[0] if found is not None else self.name
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def pick_color(self, key: str) -> None:
        """Choose a colour with the platform's dialog; one undo step, like typing it."""
        path = self.path("colors", key)
        if path is None:
            return
        current = self.document.get(path) or DEFAULTS[COLOR_TOKENS[key]]
        rgba = parse_color(str(current)) or parse_color(DEFAULTS[COLOR_TOKENS[key]])
        assert rgba is not None
        initial = QColor(round(rgba[0]), round(rgba[1]), round(rgba[2]), round(rgba[3] * 255))
        label = next(text for k, text, _ in COLORS if k == key).replace("&", "")
        chosen = QColorDialog.getColor(initial, self, f"{label} colour",
                                       QColorDialog.ColorDialogOption.ShowAlphaChannel)
        if not chosen.isValid():
            return
        write_value(self.document, path, css_of(chosen), origin=self, merge=False,
                    text=f"Change {label.lower()} colour")

    # --- internals -----------------------------------------------------------------------

    def theme(self) -> Theme | None:
        if self._theme_id is None:
            return None
        theme = self.document.project.themes.get(self._theme_id)
        return theme if isinstance(theme, Theme) else None

    def path(self, *parts: Any) -> tuple[Any, ...] | None:
        return None if self.theme() is None else ("themes", self._theme_id, *parts)

    def _entity(self) -> tuple[str, str] | None:
        return ("themes", self._theme_id) if self.theme() is not None else None

    def guides_using(self) -> list[str]:
        """Guides that name this theme; with the project default, also those naming none."""
        project = self.document.project
        default = project.settings.theme == self._theme_id
        return sorted(g for g, guide in project.guides.items()
                      if guide.theme == self._theme_id or (default and not guide.theme))

    def _family_picked(self, text: str) -> None:
        """A stack chosen from the list (typing is the binding's): one undo step."""
        path = self.path("font", "family")
        if path is not None and text and text != self.document.get(path):
            write_value(self.document, path, text, origin=self, merge=False,
                        text="Change font family")

    def _theme_changed(self) -> None:
        if self._theme_id is not None and self.theme() is None:
            self.set_theme(None)
        else:
            self._update_header()
            self._update_look()

    def _reset(self) -> None:
        self.set_theme(self._theme_id)

    def _update_header(self) -> None:
        theme = self.theme()
        if theme is None:
            self.header.setText("No theme selected: pick one in the project tree.")
            self.used_by.setText("")
            return
        default = self.document.project.settings.theme == theme.id
        self.header.setText(f"Theme: {theme.name}"
                            + (" (the project's default theme)" if default else ""))
        users = self.guides_using()
        guides = self.document.project.guides
        n = len(users)
        shown = ", ".join(guides[g].name for g in users[:3]) + (
            f" and {n - 3} more" if n > 3 else "")
        self.used_by.setText(f"{n} guide{'s' if n != 1 else ''}"
                             + (f": {shown}" if users else " — pick it in a guide's settings")
                             + (" (the project's default theme)" if default else ""))
        self.used_by.setToolTip("Changing this theme changes how these guides look:\n"
                                + "\n".join(guides[g].name for g in users)
                                if users else "No guide uses this theme yet.")

    def _show_swatch(self, key: str) -> None:
        """The swatch shows the colour typed (or inherited); a name no browser knows is told."""
        edit = self.colors[key]
        text = edit.text().strip()
        parsed = parse_color(text) if text else parse_color(DEFAULTS[COLOR_TOKENS[key]])
        self.swatches[key].setIcon(swatch(parsed))
        unknown = bool(text) and parsed is None and edit.hasAcceptableInput()
        set_mark(edit, "colour", "warning" if unknown else None,
                 f"Browsers do not know the colour {text!r}: guides would use the built-in "
                 "one." if unknown else "")

    def _update_look(self) -> None:
        """Repaint the sample and retell the contrast hints from the theme as exported."""
        tokens = theme_tokens(self.theme())
        self.sample.show_tokens(tokens)
        for key in self.colors:
            self._show_swatch(key)
        found = low_contrast(tokens) if self.theme() is not None else []
        warnings = ["⚠ " + message for _, _, message in found]
        marked = {key: message for front, back, message in found for key in (front, back)}
        for key, edit in self.colors.items():
            message = marked.get(key)
            set_mark(edit, "contrast", "warning" if message else None, message or "")
        self.contrast.setText("\n".join(warnings))
        self.contrast.setVisible(bool(warnings))
