"""The project's languages: the list guides are written in, and the default one.

Part of the project settings page. Adding checks the code as it is typed (the
schema's locale pattern, not already there); removing only takes a language off
the project's list: texts already written in it stay in the guides (validation
then points at them), because a marketer removing "ja" by mistake must not lose
every Japanese translation, and is confirmed when guides have texts in it.
The default language cannot be removed, nor the last one.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QWidget,
)

from guidestudio.core.describe.trail import language_name
from guidestudio.core.model import Guide
from guidestudio.widgets.kit.bindings import Binding, bind
from guidestudio.widgets.kit.combo_data import set_options
from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.kit.field_marks import FieldMarks
from guidestudio.widgets.kit.form_kit import Follower, combo, line_edit
from guidestudio.widgets.kit.marks import set_mark

#: schemas/common.schema.json#/$defs/locale
LOCALE_RE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_SKIPPED_FIELDS = ("audience", "experiment", "trigger", "schedule", "frequency", "goal")


#: A language row's code (its text is the language's name).
CODE = Qt.ItemDataRole.UserRole


def named(code: str) -> str:
    """ "Japanese (ja)": the language by name, and its code for those who write the files."""
    name = language_name(code)
    return code if name == code else f"{name} ({code})"


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


class LanguagesBox(QGroupBox):
    """The languages list with add / remove / move, and the default language."""

    def __init__(self, document: EditableDocument, marks: FieldMarks,
                 parent: QWidget | None = None) -> None:
        super().__init__("Languages", parent)
        self.document = document
        form = QFormLayout(self)
        self.locales = QListWidget(self)
        self.locales.setToolTip(
            "The languages guides are written in. Every text gets a tab per language; the "
            "exported bundle holds each of them, and the product shows the one matching the "
            "user's language (else the default language).")
        self.locales.setMaximumHeight(self.locales.fontMetrics().lineSpacing() * 6)
        self.locales.currentRowChanged.connect(self._update_buttons)
        self.new_locale = line_edit("A language code to add: 'de', 'fr', 'pt-BR', 'zh-Hant'. "
                                    "Press Enter to add it.", "e.g. de or pt-BR")
        self.new_locale.returnPressed.connect(self.add_language)
        self.new_locale.textEdited.connect(lambda _text: self._check_new_locale(quiet=True))
        self.add_locale = QPushButton("&Add", self)
        self.add_locale.setToolTip("Add the language typed beside it to the project.")
        self.add_locale.clicked.connect(self.add_language)
        self.remove_locale = QPushButton("&Remove", self)
        self.remove_locale.setToolTip("Take the selected language off the project's list. "
                                      "Texts written in it are kept in the guides.")
        self.remove_locale.clicked.connect(self.remove_language)
        self.up_locale = QPushButton("Move &up", self)
        self.up_locale.setToolTip("Move the selected language up: languages are shown in "
                                  "this order (the tabs of every text).")
        self.up_locale.clicked.connect(lambda: self.move_language(-1))
        self.down_locale = QPushButton("Move do&wn", self)
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
        marks.watch(self.locales, lambda: ("locales",))
        self.default_binding: Binding = bind(
            self.default_locale, document, lambda: ("settings", "default_locale"),
            text="Change default language")
        marks.watch(self.default_locale, lambda: ("default_locale",))
        Follower(document, lambda: ("settings", "locales"), self.fill, self)
        Follower(document, lambda: ("settings", "default_locale"), self._update_buttons, self)

    def project_locales(self) -> list[str]:
        return list(self.document.project.settings.locales or [])

    def refresh(self) -> None:
        """Show the settings afresh (the page is shown, or the project reloaded)."""
        self.fill()
        self.default_binding.refresh()

    def fill(self) -> None:
        """Show the project's languages and the default-language choices."""
        locales = self.project_locales()
        row = self.locales.currentRow()
        shown = [self.locales.item(i).data(CODE) for i in range(self.locales.count())]
        if shown != locales:
            item = self.locales.currentItem()
            current = item.data(CODE) if item is not None else None
            with QSignalBlocker(self.locales):
                self.locales.clear()
                for code in locales:  # by name, with the code the files and runtime use
                    entry = QListWidgetItem(named(code), self.locales)
                    entry.setData(CODE, code)
                row = locales.index(current) if current in locales else min(row, len(locales) - 1)
                self.locales.setCurrentRow(max(row, 0) if locales else -1)
        default = self.document.project.settings.default_locale
        options = [(named(loc), loc) for loc in locales]
        if default and default not in locales:
            options.append((f"{named(default)} (not in the list)", default))
        if set_options(self.default_locale, options):
            self.default_binding.refresh()
        self._update_buttons()

    def _update_buttons(self) -> None:
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
        self.fill()
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
        self.fill()
        return True

    def move_language(self, step: int) -> None:
        row = self.locales.currentRow()
        locales = self.project_locales()
        dest = row + step
        if not (0 <= row < len(locales) and 0 <= dest < len(locales)):
            return
        self.document.move_item(("settings", "locales"), row, dest,
                                f"Move language {locales[row]}", origin=self)
        self.fill()
        self.locales.setCurrentRow(dest)


__all__ = ["LOCALE_RE", "LanguagesBox", "texts_in_locale"]
