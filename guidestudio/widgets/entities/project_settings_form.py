"""``guidestudio.yaml`` as a form: what applies to every guide of the project.

Every field writes through the document (one undo step each, typing merged)
and through ``model_writes``, so a value the project schema rejects is never
saved: the field keeps it, outlined, with the reason. Values the schema
accepts but the product could not use (a time zone that does not exist, an
asset URL with a ``javascript:`` scheme) are refused the same way, inline,
before they reach the file.

Removing a language only takes it off the project's list: texts already
written in it stay in the guides (validation then points at them), because a
marketer removing "ja" by mistake must not lose every Japanese translation.
"""

from __future__ import annotations

import dataclasses
import re
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
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core import markdown_text
from guidestudio.core.model import Guide
from guidestudio.core.rules.types import infer_attributes
from guidestudio.widgets.kit.bindings import Binding, bind
from guidestudio.widgets.kit.combo_data import set_options
from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.kit.field_marks import FieldMarks
from guidestudio.widgets.kit.field_undo import mark_document_field
from guidestudio.widgets.kit.form_kit import (
    FORM_STYLE,
    ID_PATTERN,
    Follower,
    combo,
    line_edit,
    spin,
)
from guidestudio.widgets.kit.marks import set_mark

#: schemas/common.schema.json#/$defs/locale
LOCALE_RE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
ENVIRONMENTS = ("production", "staging")
ENVIRONMENT_TIPS = {
    "production": "Export this project for production: the bundle holds live guides only.",
    "staging": "Export this project for staging too: the bundle holds staged and live guides, "
               "so your team can check them before they go live.",
}
_SKIPPED_FIELDS = ("audience", "experiment", "trigger", "schedule", "frequency", "goal")


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


def texts_in_locale(guides: dict[str, Guide], locale: str) -> int:
    """How many texts of the guides are written in ``locale`` (what removing it would orphan)."""
    count = 0

    def walk(node: Any) -> None:
        nonlocal count
        if dataclasses.is_dataclass(node) and not isinstance(node, type):
            for f in dataclasses.fields(node):
                if f.name not in _SKIPPED_FIELDS:
                    walk(getattr(node, f.name))
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            value = node.get(locale)
            if isinstance(value, str) and value:
                count += 1

    for guide in guides.values():
        walk(guide)
    return count


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
    box = QComboBox()
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


class ProjectSettingsForm(QWidget):
    """Edits the project's settings; ``set_item`` (any key) shows them afresh."""

    def __init__(self, document: EditableDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setStyleSheet(FORM_STYLE)
        self.marks = FieldMarks(document, lambda: ("settings", ""), self)
        self.bindings: list[Binding] = []
        outer = QVBoxLayout(self)
        header = QLabel("Project settings — apply to every guide (guidestudio.yaml)", self)
        header.setStyleSheet("font-weight: bold;")
        outer.addWidget(header)

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

        outer.addWidget(self._languages_box())

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
        outer.addStretch(1)

        Follower(document, lambda: ("settings", "locales"), self._fill_locales, self)
        Follower(document, lambda: ("settings", "default_locale"), self._update_language_buttons,
                 self)
        Follower(document, lambda: ("settings", "environments"), self._show_environments, self)
        Follower(document, lambda: ("themes",), self._fill_themes, self)
        Follower(document, lambda: ("profiles",), self._fill_attributes, self)
        document.reset.connect(self.refresh)
        self.refresh()

    # --- building ----------------------------------------------------------------------

    def _languages_box(self) -> QGroupBox:
        box = QGroupBox("Languages", self)
        form = QFormLayout(box)
        self.locales = QListWidget(box)
        self.locales.setToolTip(
            "The languages guides are written in. Every text gets a tab per language; the "
            "exported bundle holds each of them, and the product shows the one matching the "
            "user's language (else the default language).")
        self.locales.setMaximumHeight(self.locales.fontMetrics().lineSpacing() * 6)
        self.locales.currentRowChanged.connect(self._update_language_buttons)
        self.new_locale = line_edit("A language code to add: 'de', 'fr', 'pt-BR', 'zh-Hant'. "
                                    "Press Enter to add it.", "e.g. de or pt-BR")
        self.new_locale.returnPressed.connect(self.add_language)
        self.new_locale.textEdited.connect(lambda _text: self._check_new_locale(quiet=True))
        self.add_locale = QPushButton("&Add", box)
        self.add_locale.setToolTip("Add the language typed beside it to the project.")
        self.add_locale.clicked.connect(self.add_language)
        self.remove_locale = QPushButton("&Remove", box)
        self.remove_locale.setToolTip("Take the selected language off the project's list. "
                                      "Texts written in it are kept in the guides.")
        self.remove_locale.clicked.connect(self.remove_language)
        self.up_locale = QPushButton("Move &up", box)
        self.up_locale.setToolTip("Move the selected language up: languages are shown in "
                                  "this order (the tabs of every text).")
        self.up_locale.clicked.connect(lambda: self.move_language(-1))
        self.down_locale = QPushButton("Move do&wn", box)
        self.down_locale.setToolTip("Move the selected language down.")
        self.down_locale.clicked.connect(lambda: self.move_language(1))
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_locale, 1)
        for button in (self.add_locale, self.remove_locale, self.up_locale, self.down_locale):
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            buttons.addWidget(button)
        self.default_locale = combo("The language shown to people whose language the project "
                                    "does not have, and the one texts fall back to when a "
                                    "translation is missing.", [])
        form.addRow("&Languages", self.locales)
        form.addRow("", buttons)
        form.addRow("De&fault language", self.default_locale)
        self.marks.watch(self.locales, lambda: ("locales",))
        self._field(self.default_locale, "default_locale", text="Change default language")
        return box

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
        self._fill_locales()
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

    # --- languages ---------------------------------------------------------------------

    def project_locales(self) -> list[str]:
        return list(self.document.project.settings.locales or [])

    def _fill_locales(self) -> None:
        locales = self.project_locales()
        row = self.locales.currentRow()
        shown = [self.locales.item(i).text() for i in range(self.locales.count())]
        if shown != locales:
            current = self.locales.currentItem().text() if self.locales.currentItem() else None
            with QSignalBlocker(self.locales):
                self.locales.clear()
                self.locales.addItems(locales)
                row = locales.index(current) if current in locales else min(row, len(locales) - 1)
                self.locales.setCurrentRow(max(row, 0) if locales else -1)
        default = self.document.project.settings.default_locale
        options = [(loc, loc) for loc in locales]
        if default and default not in locales:
            options.append((f"{default} (not in the list)", default))
        if set_options(self.default_locale, options):
            for binding in self.bindings:
                if binding.widget is self.default_locale:
                    binding.refresh()
        self._update_language_buttons()

    def _update_language_buttons(self) -> None:
        locales = self.project_locales()
        row = self.locales.currentRow()
        chosen = locales[row] if 0 <= row < len(locales) else None
        default = self.document.project.settings.default_locale
        self.remove_locale.setEnabled(chosen is not None and chosen != default
                                      and len(locales) > 1)
        self.remove_locale.setToolTip(
            f"{chosen} is the default language: pick another default first." if chosen
            and chosen == default else "Take the selected language off the project's list. "
            "Texts written in it are kept in the guides.")
        self.up_locale.setEnabled(row > 0)
        self.down_locale.setEnabled(0 <= row < len(locales) - 1)

    def _check_new_locale(self, quiet: bool = False) -> str | None:
        code = self.new_locale.text().strip()
        error = None
        if not code:
            error = None if quiet else "type a language code first, e.g. de or pt-BR"
        elif not LOCALE_RE.fullmatch(code):
            error = (f"{code!r} is not a language code: two or three lower-case letters, "
                     "then optional parts such as -BR or -Hant (e.g. de, pt-BR)")
        elif code in self.project_locales():
            error = f"{code} is already one of the project's languages"
        set_mark(self.new_locale, "input", "error" if error else None, error or "")
        return error

    def add_language(self) -> bool:
        """Add the typed language at the end; False (and the reason shown) if it cannot be."""
        if self._check_new_locale() is not None or not self.new_locale.text().strip():
            return False
        code = self.new_locale.text().strip()
        locales = self.project_locales()
        self.document.insert_item(("settings", "locales"), len(locales), code,
                                  f"Add language {code}", origin=self)
        self.new_locale.clear()
        self._fill_locales()
        self.locales.setCurrentRow(len(locales))
        return True

    def ask_remove_language(self, locale: str, texts: int) -> bool:
        """Confirm removing a language guides have texts in (tests replace this)."""
        answer = QMessageBox.question(
            self, "Remove language",
            f"Guides have {texts} text{'s' * (texts != 1)} in {locale}.\n\nRemoving {locale} "
            "takes it off the project's languages only: the texts stay in the guide files, are "
            "no longer exported, and validation lists them until you delete them or add "
            f"{locale} back.\n\nRemove {locale}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def remove_language(self) -> bool:
        row = self.locales.currentRow()
        locales = self.project_locales()
        if not self.remove_locale.isEnabled() or not 0 <= row < len(locales):
            return False
        locale = locales[row]
        texts = texts_in_locale(self.document.project.guides, locale)
        if texts and not self.ask_remove_language(locale, texts):
            return False
        self.document.remove_item(("settings", "locales"), row, f"Remove language {locale}",
                                  origin=self)
        self._fill_locales()
        return True

    def move_language(self, step: int) -> None:
        row = self.locales.currentRow()
        locales = self.project_locales()
        dest = row + step
        if not (0 <= row < len(locales) and 0 <= dest < len(locales)):
            return
        self.document.move_item(("settings", "locales"), row, dest,
                                f"Move language {locales[row]}", origin=self)
        self._fill_locales()
        self.locales.setCurrentRow(dest)

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


__all__ = ["ProjectSettingsForm", "asset_url_error", "texts_in_locale",
           "timezone_error"]
