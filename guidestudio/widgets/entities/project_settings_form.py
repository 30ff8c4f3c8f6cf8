"""``guidestudio.yaml`` as a form: what applies to every guide of the project.

Every field writes through the document (one undo step each, typing merged)
and through ``model_writes``, so a value the project schema rejects is never
saved: the field keeps it, outlined, with the reason. Values the schema
accepts but the product could not use (a time zone that does not exist, an
asset URL with a ``javascript:`` scheme) are refused the same way, inline,
before they reach the file.

The languages (a list with its own edits) are ``languages_box.py``.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core import markdown_text
from guidestudio.core.rules.types import infer_attributes
from guidestudio.core.schema_patterns import ID_PATTERN
from guidestudio.widgets.entities.attribute_catalogue import AttributeCatalogueBox
from guidestudio.widgets.entities.languages_box import LanguagesBox
from guidestudio.widgets.kit.bindings import Binding, bind
from guidestudio.widgets.kit.combo_data import set_options
from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.kit.field_undo import mark_document_field
from guidestudio.widgets.kit.form_kit import (
    EntityPage,
    Follower,
    align_labels,
    combo,
    line_edit,
    narrow_combo,
    spin,
)
from guidestudio.widgets.kit.marks import set_mark

ENVIRONMENTS = ("production", "staging")
ENVIRONMENT_TIPS = {
    "production": "Export this project for production: the bundle holds live guides only.",
    "staging": "Export this project for staging too: the bundle holds staged and live guides, "
               "so your team can check them before they go live.",
}


def zone_names() -> list[str]:
    try:
        return sorted(zoneinfo.available_timezones())
    except OSError:  # pragma: no cover - no time zone database on this system
        return ["UTC"]


def timezone_error(text: str) -> str | None:
    """Why ``text`` is not a time zone the product can use (None: it is one)."""
    from guidestudio.core.validate import values

    return values.timezone_error(text)


def asset_url_error(text: str) -> str | None:
    """Why ``text`` cannot be where the product serves the assets (None: it can)."""
    if len(text) > 500:
        return "keep it under 500 characters"
    if text.strip() != text or any(c.isspace() for c in text):
        return "a URL has no spaces"
    if text.lower().startswith("mailto:") or not markdown_text.is_safe_url(text):
        return ("use an https:// or http:// address, or a path relative to the page "
                "such as assets/ or /static/guides/")
    return None


class _CheckValidator(QValidator):
    """Acceptable when ``check`` finds nothing wrong; otherwise Intermediate (kept, not saved)."""

    def __init__(self, check: Callable[[str], str | None], parent: QWidget) -> None:
        super().__init__(parent)
        self._check = check

    def validate(self, text: str, pos: int) -> Any:  # type: ignore[override]
        ok = text == "" or self._check(text) is None
        state = QValidator.State.Acceptable if ok else QValidator.State.Intermediate
        return state, text, pos


def _editable_combo(tooltip: str, items: list[str], placeholder: str) -> QComboBox:
    """A combo the user may also type into; what is typed is checked by its validator."""
    box = narrow_combo(QComboBox())
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.setToolTip(tooltip)
    box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    box.addItems(items)
    box.setCurrentIndex(-1)
    box.lineEdit().setPlaceholderText(placeholder)
    box.lineEdit().setToolTip(tooltip)
    completer = QCompleter(items, box)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    box.setCompleter(completer)
    mark_document_field(box)  # Ctrl+Z in it is the document's (see widgets/kit/field_undo.py)
    return box


class ProjectSettingsForm(EntityPage):
    """Edits the project's settings; ``set_item`` (any key) shows them afresh."""

    def __init__(self, document: EditableDocument, parent: QWidget | None = None) -> None:
        super().__init__(document, lambda: ("settings", ""), parent)
        self.bindings: list[Binding] = []
        # The sections scroll as one page (it grows taller than a laptop's window).
        self.content = QWidget(self)
        self.area = QScrollArea(self)
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.area)
        outer = QVBoxLayout(self.content)
        self.header.setText("Project settings — apply to every guide (guidestudio.yaml)")
        outer.addWidget(self.header)

        general = QGroupBox("Project", self)
        form = QFormLayout(general)
        self.name = line_edit("The project's name as your team sees it in Guide Studio and in "
                              "the exported bundle; users never see it.", "e.g. Acme Cloud")
        self.id_field = line_edit(
            "The project's id. The product stores each user's guide history under "
            "'guidestudio:<id>', so changing it makes every user start afresh (guides they "
            "dismissed show again). Lower-case letters, digits, '-' and '_'.",
            pattern=ID_PATTERN)
        form.addRow("&Name", self.name)
        form.addRow("&Id", self.id_field)
        self._field(self.name, "name", optional=False, text="Rename project")
        self._field(self.id_field, "id", optional=False, text="Change project id")
        outer.addWidget(general)

        self.languages = LanguagesBox(document, self.marks, self)
        outer.addWidget(self.languages)

        runtime = QGroupBox("In the product", self)
        form = QFormLayout(runtime)
        self.timezone = _editable_combo(
            "The time zone for guide schedules written without one: a guide scheduled to "
            "start on 2026-12-01 09:00 starts at 09:00 in this zone (exported in UTC). "
            "Type to search, e.g. London or Tokyo. Empty: UTC.", zone_names(), "UTC (default)")
        self._checked_line(self.timezone.lineEdit(), timezone_error)
        self.hash_attribute = _editable_combo(
            "The user attribute that decides which A/B variant a person gets: the product "
            "hashes its value, so the same person always sees the same variant. Use a stable "
            "id; suggestions come from the sample profiles. Empty: id.", [], "id (default)")
        self.theme = combo("The theme (colours, fonts, corners) guides use unless they pick "
                           "their own.", [])
        self.asset_base_url = line_edit(
            "Where the product serves this project's assets/ folder: image URLs in the "
            "bundle start with it. An https:// address or a path relative to the page, "
            "e.g. https://cdn.example.com/guides/ or /static/guides/. Empty: assets/.",
            "assets/ (default)")
        self._checked_line(self.asset_base_url, asset_url_error)
        form.addRow("&Time zone", self.timezone)
        form.addRow("A/B &split by", self.hash_attribute)
        form.addRow("Default t&heme", self.theme)
        form.addRow("&Asset base URL", self.asset_base_url)
        self._field(self.timezone.lineEdit(), "timezone", watch=self.timezone,
                    text="Change time zone")
        self._field(self.hash_attribute.lineEdit(), "hash_attribute", watch=self.hash_attribute,
                    text="Change A/B split attribute")
        self._field(self.theme, "theme", text="Change default theme")
        self._field(self.asset_base_url, "asset_base_url", text="Change asset base URL")
        for box in (self.timezone, self.hash_attribute):
            # Picked from the list (not typed): saved like typing.
            box.lineEdit().textChanged.connect(self._picked)
        self.environments: dict[str, QCheckBox] = {}
        row = QHBoxLayout()
        for name in ENVIRONMENTS:
            box = QCheckBox(name.capitalize(), runtime)
            box.setToolTip(ENVIRONMENT_TIPS[name] + " At least one is needed.")
            box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            box.toggled.connect(self._environments_toggled)
            self.environments[name] = box
            row.addWidget(box)
        row.addStretch(1)
        environments = QWidget(runtime)
        environments.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        environments.setToolTip("The environments this project is exported for.")
        form.addRow("Environments", environments)
        self.marks.watch(environments, lambda: ("environments",))
        outer.addWidget(runtime)

        throttle = QGroupBox("Limits across all guides", self)
        throttle.setToolTip("So people are not flooded: the product stops showing guides once "
                            "a limit is reached. Guides marked as exempt still show.")
        form = QFormLayout(throttle)
        self.min_minutes = spin("The product waits at least this long after showing a guide "
                                "before it shows another one.", 0, 525600, unset="No limit",
                                suffix=" min")
        self.max_per_session = spin("At most this many guides per visit (a visit ends after "
                                    "30 minutes without activity).", 1, 1000, unset="No limit")
        self.max_per_day = spin("At most this many guides per person per day (UTC).", 1, 1000,
                                unset="No limit")
        form.addRow("&Minutes between guides", self.min_minutes)
        form.addRow("Guides per &visit", self.max_per_session)
        form.addRow("Guides per &day", self.max_per_day)
        for widget, key in ((self.min_minutes, "min_minutes_between"),
                            (self.max_per_session, "max_per_session"),
                            (self.max_per_day, "max_per_day")):
            self._field(widget, "throttle", key, merge=True, text="Change guide limits")
        outer.addWidget(throttle)
        align_labels(general, self.languages, runtime, throttle)  # one label column
        outer.addWidget(AttributeCatalogueBox(document, self.marks, self))
        outer.addStretch(1)
        self.area.setWidget(self.content)

        Follower(document, lambda: ("settings", "environments"), self._show_environments, self)
        Follower(document, lambda: ("themes",), self._fill_themes, self)
        Follower(document, lambda: ("profiles",), self._fill_attributes, self)
        document.reset.connect(self.refresh)
        self.refresh()

    # --- building ----------------------------------------------------------------------

    def _field(self, widget: QWidget, *parts: str, watch: QWidget | None = None,
               **options: Any) -> Binding:
        binding = bind(widget, self.document, lambda: ("settings", *parts), **options)
        self.bindings.append(binding)
        self.marks.watch(watch or widget, lambda: parts)
        return binding

    def _checked_line(self, widget: QLineEdit, check: Callable[[str], str | None]) -> None:
        """Refuse (keep, outline, explain) what ``check`` rejects; the binding then waits."""
        widget.setValidator(_CheckValidator(check, widget))

        def explain(text: str) -> None:
            error = check(text) if text else None
            set_mark(widget, "input", "error" if error else None, error or "")

        widget.textChanged.connect(explain)

    # --- the editor area's API ---------------------------------------------------------

    def set_item(self, _key: str = "") -> None:
        self.refresh()

    def refresh(self) -> None:
        self.languages.refresh()
        self._fill_themes()
        self._fill_attributes()
        self._show_environments()
        for binding in self.bindings:
            binding.refresh()
        self.marks.update()

    def focus_field(self, field: str) -> None:
        """Put the cursor in the field a problem is about (``throttle.max_per_day``)."""
        self.marks.update()
        found = self.marks.widget_for(field) if field else None
        widget = found[0] if found is not None else self.name
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus:  # a group of check boxes
            widget = widget.findChild(QCheckBox) or self.name
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- the other lists -----------------------------------------------------------------

    def _fill_themes(self) -> None:
        themes = sorted(self.document.project.themes.items())
        wanted = [("Not set (the theme with id 'default')", None)] + [
            (f"{theme.name or theme_id} ({theme_id})", theme_id) for theme_id, theme in themes]
        if set_options(self.theme, wanted):
            for binding in self.bindings:
                if binding.widget is self.theme:
                    binding.refresh()

    def _fill_attributes(self) -> None:
        names = [info.path for info in infer_attributes(self.document.project.profiles).values()
                 if not info.behaviour]
        box = self.hash_attribute
        if [box.itemText(i) for i in range(box.count())] == names:
            return
        text = box.currentText()
        with QSignalBlocker(box), QSignalBlocker(box.lineEdit()):
            box.clear()
            box.addItems(names)
            box.setEditText(text)
        completer = box.completer()
        if completer is not None:
            model = completer.model()
            if hasattr(model, "setStringList"):
                model.setStringList(names)

    def _picked(self, _text: str) -> None:
        line = self.sender()
        for binding in self.bindings:
            if binding.widget is line:
                binding._widget_edited()

    def _show_environments(self) -> None:
        chosen = self.document.project.settings.environments or list(ENVIRONMENTS)
        for name, box in self.environments.items():
            with QSignalBlocker(box):
                box.setChecked(name in chosen)

    def _environments_toggled(self) -> None:
        chosen = [name for name in ENVIRONMENTS if self.environments[name].isChecked()]
        if not chosen:  # no environment at all would mean "the default: both"
            self._show_environments()
            set_mark(self.environments["production"].parentWidget(), "input", "error",
                     "Keep at least one environment.")
            return
        set_mark(self.environments["production"].parentWidget(), "input", None)
        current = self.document.project.settings.environments
        if chosen == list(current or ENVIRONMENTS) and current:
            return
        self.document.set_value(("settings", "environments"), chosen,
                                "Change environments", origin=self)


__all__ = ["ProjectSettingsForm", "asset_url_error", "timezone_error"]
