"""A translatable text field: one tab per project locale, missing translations marked.

Every text a guide shows exists once per locale (``{en: …, ja: …}``). One tab
per locale keeps the form as compact as a single field while making a missing
translation visible where it is written, not only in the problems panel. Each
tab's editor is an ordinary binding to ``<text path>.<locale>``, so typing,
undo and no-echo behave exactly as in every other field.

Given a ``label``, the field names itself on the line of its language tabs
("Title  en | ja"), a real mnemonic to the editor shown: in a narrow inspector
a form row then spans the whole width instead of giving a column to labels.

Each editor is a ``RichTextEdit``: the Markdown the compiler accepts — bold,
italic, links, placeholders — is shown as formatting and chips ("First name ·
there"), never as syntax, and stored as Markdown. Ctrl+B, Ctrl+I, Ctrl+K and
the context menu format any of them; the multi-line variant (step bodies) adds
the same as buttons, and a live character count, because marketers know
neither the syntax nor how long "too long" is. ``rich=False`` keeps a plain
editor for texts the product shows as plain words (a picture's description).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QStackedWidget,
    QTabBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core import catalogue
from guidestudio.core.edits import MISSING
from guidestudio.widgets.kit.bindings import Binding, bind
from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.kit.flow_layout import FlowLayout
from guidestudio.widgets.kit.icons import severity_icon
from guidestudio.widgets.kit.marks import set_mark, set_tooltip
from guidestudio.widgets.kit.menu_button import menu_button
from guidestudio.widgets.kit.rich_text_edit import RichTextEdit

PathFn = Callable[[], tuple[Any, ...] | None]
Editor = QLineEdit | QPlainTextEdit | RichTextEdit
MAX_CHARS = 5000  # common.schema.json: localized_text values
DEFAULT_TOKEN = "first_name"


class LocalizedTextEdit(QWidget):
    """Tabs of per-locale editors over the localized text at ``path_fn()``."""

    localeChanged = Signal(str)

    def __init__(self, document: EditableDocument, path_fn: PathFn, *, multiline: bool = False,
                 required: bool = False, tooltip: str = "", placeholder: str = "",
                 label: str = "", rich: bool = True, links: bool | Callable[[], bool] = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.path_fn = path_fn
        self.multiline = multiline
        self.required = required
        self._tooltip = tooltip
        self._placeholder = placeholder
        self._rich = rich
        self._links = links
        self._locales: list[str] = []
        self.editors: dict[str, Editor] = {}
        self.bindings: list[Binding] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        # The field's name and language tabs, then (multi-line) the formatting buttons: at
        # the end of the same line when both fit, on the next line when they do not.
        top = FlowLayout(spacing=4, end_last=True)
        names = QWidget(self)
        names_row = QHBoxLayout(names)
        names_row.setContentsMargins(0, 0, 0, 0)
        self.caption: QLabel | None = None
        if label:
            self.caption = QLabel(label, names)
            names_row.addWidget(self.caption)
            names_row.addSpacing(6)
        self.tabs = QTabBar(names)
        self.tabs.setDrawBase(False)
        self.tabs.setExpanding(False)
        self.tabs.setUsesScrollButtons(True)  # many languages scroll, never widen the form
        self.tabs.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.tabs.setToolTip("Languages: pick one to write or check its text. A warning sign "
                             "means that language has no text yet.")
        names_row.addWidget(self.tabs)
        top.addWidget(names)
        if multiline:
            tools = QWidget(self)
            tools_row = QHBoxLayout(tools)
            tools_row.setContentsMargins(0, 0, 0, 0)
            tools_row.setSpacing(2)
            self._add_toolbar(tools_row)
            top.addWidget(tools)
        layout.addLayout(top)
        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack)
        self.count_label = QLabel(self)
        self.count_label.setVisible(multiline)
        self.count_label.setToolTip("How long this text is in the selected language; guides "
                                    f"hold at most {MAX_CHARS} characters per language.")
        layout.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignRight)
        # Said when the selected language's text holds what a rich field cannot show (a
        # heading, a quote…): it is then edited as written, syntax and all.
        self.as_written_note = QLabel("This text uses formatting this field cannot show, so it "
                                      "is shown as written.", self)
        self.as_written_note.setWordWrap(True)
        self.as_written_note.setVisible(False)
        layout.addWidget(self.as_written_note)

        self.tabs.currentChanged.connect(self._tab_changed)
        document.changed.connect(self._document_changed)
        document.reset.connect(self.refresh)
        self.refresh()

    # --- public ------------------------------------------------------------------------

    def locales(self) -> list[str]:
        return list(self._locales)

    def current_locale(self) -> str:
        index = self.tabs.currentIndex()
        return self._locales[index] if 0 <= index < len(self._locales) else ""

    def set_locale(self, locale: str) -> None:
        if locale in self._locales:
            self.tabs.setCurrentIndex(self._locales.index(locale))

    def editor(self, locale: str | None = None) -> Editor:
        return self.editors[locale or self.current_locale()]

    def missing_locales(self) -> list[str]:
        """Project locales this text has no translation for (when it has any text at all)."""
        value = self._value()
        has_text = any(isinstance(v, str) and v.strip() for v in value.values())
        if not (has_text or self.required):
            return []
        project_locales = self._project_locales()
        return [loc for loc in project_locales
                if not (isinstance(value.get(loc), str) and value[loc].strip())]

    def refresh(self) -> None:
        """Show the document's text (after a selection change or a reload)."""
        wanted = self._wanted_locales()
        if wanted != self._locales:
            self._rebuild(wanted)
        for binding in self.bindings:
            binding.refresh()
        self._update_markers()

    def focus_subfield(self, rest: str) -> None:
        """``focus_field`` landed here; ``rest`` may name a locale."""
        locale = rest.split(".")[0]
        if locale in self._locales:
            self.set_locale(locale)
        self.editor().setFocus(Qt.FocusReason.OtherFocusReason)

    def show_problems(self, items: list[tuple[str, str, str]]) -> None:
        """Validation problems at this text ("") or one of its locales ("ja")."""
        for locale, editor in self.editors.items():
            mine = [(s, m) for rest, s, m in items if rest in ("", locale)
                    and not (rest == "" and s == "warning")]  # missing translations: tab icons
            severity = ("error" if any(s == "error" for s, _ in mine)
                        else "warning" if mine else None)
            set_mark(editor, "problems", severity,  # type: ignore[arg-type]
                     "\n".join(f"⚠ {m}" for _, m in mine))

    # --- building ----------------------------------------------------------------------

    def _project_locales(self) -> list[str]:
        settings = self.document.project.settings
        return list(settings.locales or [settings.default_locale])

    def _wanted_locales(self) -> list[str]:
        locales = self._project_locales()
        extra = [k for k in self._value() if k not in locales]
        return locales + sorted(extra)

    def _value(self) -> dict[str, Any]:
        path = self.path_fn()
        value = self.document.get(path, None) if path is not None else None
        return value if isinstance(value, dict) else {}

    def _rebuild(self, locales: list[str]) -> None:
        current = self.current_locale()
        for editor in self.editors.values():
            self.stack.removeWidget(editor)
            editor.deleteLater()
        self.editors.clear()
        self.bindings.clear()
        with QSignalBlocker(self.tabs):
            while self.tabs.count():
                self.tabs.removeTab(0)
            for locale in locales:
                self.tabs.addTab(locale)
        self._locales = list(locales)
        for locale in locales:
            editor = self._make_editor(locale)
            self.editors[locale] = editor
            self.stack.addWidget(editor)
            binding = bind(editor, self.document, self._locale_path(locale),
                           to_model=self._to_model(locale))
            binding.displayed.connect(self._update_note)  # (a text shown rich, or as written)
            self.bindings.append(binding)
        if self.editors:  # as tall as one editor (a stack asks for a text box's 192 px)
            self.stack.setFixedHeight(max(
                e.minimumHeight() if self.multiline else e.sizeHint().height()
                for e in self.editors.values()))
        index = locales.index(current) if current in locales else 0
        with QSignalBlocker(self.tabs):
            self.tabs.setCurrentIndex(index)
        self.stack.setCurrentIndex(index)
        self._update_caption()
        self._update_note()
        self._update_count()

    def _update_caption(self) -> None:
        editor = self.editors.get(self.current_locale())
        if self.caption is not None and editor is not None:
            self.caption.setBuddy(editor)

    def _make_editor(self, locale: str) -> Editor:
        editor: Editor
        if self._rich:
            editor = RichTextEdit(block=self.multiline, links=self._links,
                                  label=lambda key: catalogue.label_of(self.document.project,
                                                                       key),
                                  details=self.details, parent=self)
            if self.multiline:
                editor.setFixedHeight(editor.fontMetrics().lineSpacing() * 5 + 12)
                editor.edited.connect(self._update_count)  # its Markdown, made once per key
        elif self.multiline:
            editor = QPlainTextEdit(self)
            editor.setTabChangesFocus(True)  # keyboard users must be able to leave the field
            editor.setFixedHeight(editor.fontMetrics().lineSpacing() * 5 + 12)
            editor.textChanged.connect(self._update_count)
        else:
            editor = QLineEdit(self)
        editor.setPlaceholderText(self._placeholder)
        editor.setAccessibleName(f"{self._tooltip.split('.')[0]} ({locale})")
        set_tooltip(editor, f"{self._tooltip}\n\nLanguage: {locale}".strip())
        return editor

    def _locale_path(self, locale: str) -> PathFn:
        def path() -> tuple[Any, ...] | None:
            base = self.path_fn()
            return None if base is None else (*base, locale)
        return path

    def _to_model(self, locale: str) -> Callable[[str], Any]:
        def to_model(text: str) -> Any:
            if text:
                return text
            others = [k for k in self._value() if k != locale]
            # A required text keeps its last language, empty, rather than vanishing.
            return "" if self.required and not others else MISSING
        return to_model

    # --- updates -----------------------------------------------------------------------

    def _document_changed(self, change: Any) -> None:
        path = self.path_fn()
        if path is None:
            return
        if any(change.touches(("settings", key)) for key in ("locales", "default_locale")):
            # The project's languages changed (project settings): new tabs, new marks.
            if self._wanted_locales() != self._locales:
                self.refresh()
            else:
                self._update_markers()
            return
        if not change.touches(path):
            return
        if self._wanted_locales() != self._locales:
            self.refresh()
        else:
            self._update_markers()

    def _tab_changed(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self._update_note()
        self._update_caption()
        self._update_count()
        self.localeChanged.emit(self.current_locale())

    def _update_markers(self) -> None:
        missing = set(self.missing_locales())
        for i, locale in enumerate(self._locales):
            unknown = locale not in self._project_locales()
            if locale in missing:
                icon, tip = "warning", (f"No {locale} text yet: people using {locale} "
                                        f"would see another language. Write it here.")
            elif unknown:
                icon, tip = "warning", (f"{locale} is not one of the project's languages; "
                                        f"clear this text or add {locale} to the project.")
            else:
                icon, tip = "", f"The {locale} text."
            text = f"{locale} •" if locale in missing else locale
            # Runs on every keystroke: only what changed is set (a tab bar lays itself out
            # again on each setTabText/setTabIcon).
            if self.tabs.tabText(i) != text or self.tabs.tabToolTip(i) != tip:
                self.tabs.setTabIcon(i, severity_icon("warning") if icon else QIcon())
                self.tabs.setTabToolTip(i, tip)
                self.tabs.setTabText(i, text)
        self._update_count()

    def _update_note(self) -> None:
        editor = self.editors.get(self.current_locale())
        self.as_written_note.setVisible(isinstance(editor, RichTextEdit) and not editor.is_rich())

    def _update_count(self) -> None:
        if not self.multiline or not self._locales:
            return
        editor = self.editors.get(self.current_locale())
        n = len(editor.text()) if isinstance(editor, RichTextEdit) else \
            len(editor.toPlainText()) if isinstance(editor, QPlainTextEdit) else 0
        self.count_label.setText(f"{n} / {MAX_CHARS} characters")
        set_mark(self.count_label, "length", "error" if n > MAX_CHARS else None,
                 "Too long: shorten it." if n > MAX_CHARS else "")

    # --- formatting toolbar -------------------------------------------------------------

    def _add_toolbar(self, row: QHBoxLayout) -> None:
        """Buttons for what Ctrl+B, Ctrl+I and Ctrl+K do in every rich field (its own keys)."""
        buttons = (
            ("B", "Bold (Ctrl+B): make the selected words stand out.", self.make_bold),
            ("I", "Italic (Ctrl+I): emphasise the selected words.", self.make_italic),
            ("Link", "Link (Ctrl+K): turn the selected words into a link to a page.",
             self.insert_link),
        )
        for text, tip, slot in buttons:
            button = QToolButton(self)
            button.setText(text)
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(slot)
            row.addWidget(button)
        self.token_button = QToolButton(self)
        self.token_button.setToolTip("Insert a personal detail such as the person's first name, "
                                     "with a fallback for people we don't know it for.")
        self.token_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.token_menu = QMenu(self.token_button)
        self.token_menu.aboutToShow.connect(self._fill_token_menu)
        menu_button(self.token_button, "Personalise", self.token_menu)
        row.addWidget(self.token_button)

    def details(self) -> list[tuple[str, str]]:
        """Personal details a placeholder can name, as (key, label): the attribute
        catalogue first, then what the sample people have (dotted for nested values)."""
        project = self.document.project
        keys = [a.key for a in catalogue.catalogue_of(project)]
        if DEFAULT_TOKEN not in keys:
            keys.insert(0, DEFAULT_TOKEN)

        def walk(values: dict[str, Any], prefix: str) -> None:
            for key, value in values.items():
                if isinstance(value, dict):
                    walk(value, f"{prefix}{key}.")
                elif isinstance(value, (str, int, float)) and not isinstance(value, bool) \
                        and f"{prefix}{key}" not in keys:
                    keys.append(f"{prefix}{key}")

        for profile in project.profiles:
            walk(profile.attributes, "")
        return [(key, catalogue.label_of(project, key)) for key in keys
                if not key.startswith("events.")]

    def _fill_token_menu(self) -> None:
        self.token_menu.clear()
        for key, label in self.details():
            action = self.token_menu.addAction(label)
            action.setToolTip(key)
            action.triggered.connect(lambda _=False, k=key: self.insert_token(k))

    def _rich_editor(self) -> RichTextEdit | None:
        editor = self.editors.get(self.current_locale())
        if not isinstance(editor, RichTextEdit):
            return None
        editor.setFocus(Qt.FocusReason.OtherFocusReason)
        return editor

    def make_bold(self) -> None:
        if (editor := self._rich_editor()) is not None:
            editor.toggle_bold()

    def make_italic(self) -> None:
        if (editor := self._rich_editor()) is not None:
            editor.toggle_italic()

    def insert_link(self) -> None:
        if (editor := self._rich_editor()) is not None:
            editor.ask_link()

    def insert_token(self, name: str = DEFAULT_TOKEN) -> None:
        if (editor := self._rich_editor()) is not None:
            editor.insert_placeholder(name)
