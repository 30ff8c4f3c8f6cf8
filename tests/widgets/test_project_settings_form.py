"""The project settings form: every field of guidestudio.yaml, one undo step per change."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from guidestudio.app.document import Document
from guidestudio.core.files.project_io import load_project
from guidestudio.widgets.entities.languages_box import texts_in_locale
from guidestudio.widgets.entities.project_settings_form import ProjectSettingsForm
from guidestudio.widgets.kit.marks import mark_of
from tests.widgets.editor_support import TOUR, errors_after_reload, guide_editor, open_example


@pytest.fixture
def doc(tmp_path: Path) -> Document:
    return open_example(tmp_path)


@pytest.fixture
def form(doc: Document, qtbot) -> ProjectSettingsForm:  # type: ignore[no-untyped-def]
    widget = ProjectSettingsForm(doc)
    qtbot.addWidget(widget)
    widget.set_item("")
    return widget


def retype(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    widget.selectAll()
    QTest.keyClicks(widget, text)


def test_it_shows_the_settings(form: ProjectSettingsForm) -> None:
    assert form.name.text() == "Acme Cloud"
    assert form.id_field.text() == "acme-cloud"
    assert [form.languages.locales.item(i).text() for i in range(form.languages.locales.count())] == ["English (en)", "Japanese (ja)"]  # by name
    assert form.languages.default_locale.currentData() == "en"
    assert form.timezone.currentText() == "Europe/London"
    assert form.hash_attribute.currentText() == "id"
    hash_options = [form.hash_attribute.itemText(i) for i in range(form.hash_attribute.count())]
    assert "account.seats" in hash_options  # suggested from the sample profiles
    assert form.theme.currentData() == "acme-light"
    assert form.asset_base_url.text() == "assets/"
    assert all(box.isChecked() for box in form.environments.values())
    assert (form.min_minutes.value(), form.max_per_session.value(), form.max_per_day.value()) \
        == (30, 2, 3)
    for widget in (form.name, form.id_field, form.languages.locales, form.languages.new_locale, form.languages.default_locale,
                   form.timezone, form.hash_attribute, form.theme, form.asset_base_url,
                   form.min_minutes, form.max_per_session, form.max_per_day,
                   *form.environments.values()):
        assert widget.toolTip(), widget
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, widget


def test_each_change_is_one_undo_step_and_saves_a_valid_file(
        doc: Document, form: ProjectSettingsForm) -> None:
    stack = doc.undo_stack
    retype(form.name, "Acme Drive")  # typing merges into one step
    assert doc.project.settings.name == "Acme Drive" and stack.count() == 1
    stack.undo()
    assert doc.project.settings.name == "Acme Cloud" and form.name.text() == "Acme Cloud"
    stack.redo()
    retype(form.timezone.lineEdit(), "Asia/Tokyo")
    assert doc.project.settings.timezone == "Asia/Tokyo" and stack.count() == 2
    form.hash_attribute.setCurrentIndex(form.hash_attribute.findText("email"))  # picked
    assert doc.project.settings.hash_attribute == "email" and stack.count() == 3
    form.theme.setCurrentIndex(0)  # not set: the theme called "default"
    assert doc.project.settings.theme is None and stack.count() == 4
    retype(form.asset_base_url, "https://cdn.example.com/guides/")
    assert doc.project.settings.asset_base_url == "https://cdn.example.com/guides/"
    assert stack.count() == 5
    form.environments["staging"].click()
    assert doc.project.settings.environments == ["production"] and stack.count() == 6
    form.environments["production"].click()  # the last one cannot go
    assert doc.project.settings.environments == ["production"]
    assert form.environments["production"].isChecked() and stack.count() == 6
    form.max_per_day.setFocus()
    form.max_per_day.setValue(form.max_per_day.minimum())  # "No limit"
    assert doc.project.settings.throttle.max_per_day is None and stack.count() == 7
    assert form.max_per_day.text() == "No limit"
    form.min_minutes.setValue(45)
    form.min_minutes.setValue(60)  # spinning merges
    assert doc.project.settings.throttle.min_minutes_between == 60 and stack.count() == 8
    form.languages.default_locale.setCurrentIndex(form.languages.default_locale.findData("ja"))
    assert doc.project.settings.default_locale == "ja" and stack.count() == 9

    doc.save()
    saved = yaml.safe_load((doc.root / "guidestudio.yaml").read_text("utf-8"))
    assert saved["timezone"] == "Asia/Tokyo" and "theme" not in saved
    assert saved["throttle"] == {"min_minutes_between": 60, "max_per_session": 2}
    load_problems, errors = errors_after_reload(doc.root)
    assert load_problems == [] and errors == []
    reloaded = load_project(doc.root).project.settings
    assert reloaded == doc.project.settings
    while stack.canUndo():
        stack.undo()
    assert form.timezone.currentText() == "Europe/London" and form.max_per_day.value() == 3
    assert form.languages.default_locale.currentData() == "en" and form.theme.currentData() == "acme-light"


def test_clearing_every_limit_removes_the_throttle(doc: Document,
                                                   form: ProjectSettingsForm) -> None:
    for spin in (form.min_minutes, form.max_per_session, form.max_per_day):
        spin.setValue(spin.minimum())
    assert doc.project.settings.throttle is None
    doc.undo_stack.undo()
    assert doc.project.settings.throttle is not None


def test_bad_values_are_refused_inline_and_not_written(doc: Document,
                                                       form: ProjectSettingsForm) -> None:
    retype(form.timezone.lineEdit(), "Mars/Olympus")
    assert doc.project.settings.timezone == "Europe/London"
    assert mark_of(form.timezone.lineEdit()) == "error"
    assert "not a time zone" in form.timezone.lineEdit().toolTip()
    form.asset_base_url.selectAll()
    form.asset_base_url.insert("javascript:alert(1)")  # pasted
    assert doc.project.settings.asset_base_url == "assets/"
    assert mark_of(form.asset_base_url) == "error"
    assert "https://" in form.asset_base_url.toolTip()
    retype(form.name, "")  # a project needs a name: the schema refuses ""
    form.name.selectAll()
    QTest.keyClick(form.name, Qt.Key.Key_Delete)
    assert doc.project.settings.name == "Acme Cloud" and mark_of(form.name) == "error"
    assert doc.undo_stack.count() == 0
    doc.save()
    assert yaml.safe_load((doc.root / "guidestudio.yaml").read_text("utf-8"))["timezone"] \
        == "Europe/London"
    retype(form.timezone.lineEdit(), "UTC")  # fixing it saves it and clears the mark
    assert doc.project.settings.timezone == "UTC"
    assert mark_of(form.timezone.lineEdit()) == ""
    retype(form.id_field, "Acme")  # upper case cannot even be typed into an id
    assert doc.project.settings.id == "cme"


def test_languages_add_remove_reorder(doc: Document, form: ProjectSettingsForm, qtbot,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    editor = guide_editor(qtbot, doc, TOUR)
    title = editor.step_editor.title
    assert title.locales() == ["en", "ja"]
    retype(form.languages.new_locale, "Deutsch")
    QTest.keyClick(form.languages.new_locale, Qt.Key.Key_Return)
    assert doc.project.settings.locales == ["en", "ja"]
    assert mark_of(form.languages.new_locale) == "error" and "not a language code" in \
        form.languages.new_locale.toolTip()
    retype(form.languages.new_locale, "ja")
    assert not form.languages.add_language() and "already" in form.languages.new_locale.toolTip()
    retype(form.languages.new_locale, "pt-BR")
    QTest.keyClick(form.languages.new_locale, Qt.Key.Key_Return)
    assert doc.project.settings.locales == ["en", "ja", "pt-BR"]
    assert doc.undo_stack.count() == 1 and form.languages.new_locale.text() == ""
    # The guide editor follows: a new tab, marked as missing its text.
    assert title.locales() == ["en", "ja", "pt-BR"]
    assert title.tabs.tabText(2) == "pt-BR •" and "pt-BR" in title.missing_locales()
    assert [form.languages.default_locale.itemData(i) for i in range(form.languages.default_locale.count())] \
        == ["en", "ja", "pt-BR"]

    form.languages.locales.setCurrentRow(2)
    form.languages.up_locale.click()
    assert doc.project.settings.locales == ["en", "pt-BR", "ja"]
    assert form.languages.locales.currentRow() == 1 and title.locales() == ["en", "pt-BR", "ja"]

    form.languages.locales.setCurrentRow(0)  # the default language cannot be removed
    assert not form.languages.remove_locale.isEnabled()
    asked: list[tuple[str, int]] = []
    monkeypatch.setattr(form.languages, "ask_remove_language",
                        lambda locale, n: asked.append((locale, n)) or False)
    form.languages.locales.setCurrentRow(2)
    assert not form.languages.remove_language()  # declined: nothing changes
    texts = texts_in_locale(doc.project.guides, "ja")
    assert asked == [("ja", texts)] and texts > 10
    assert doc.project.settings.locales == ["en", "pt-BR", "ja"]
    monkeypatch.setattr(form.languages, "ask_remove_language", lambda locale, n: True)
    assert form.languages.remove_language()
    assert doc.project.settings.locales == ["en", "pt-BR"]
    # The Japanese texts are kept; the guide editor shows them as an unknown language.
    assert doc.project.guides[TOUR].variants[0].steps[0].title["ja"]
    assert title.locales() == ["en", "pt-BR", "ja"]
    assert "not one of the project's languages" in title.tabs.tabToolTip(2)
    form.languages.locales.setCurrentRow(1)
    form.languages.remove_locale.click()  # no texts in pt-BR: no question
    assert doc.project.settings.locales == ["en"]
    assert not form.languages.remove_locale.isEnabled()  # the last language stays
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.project.settings.locales == ["en", "pt-BR", "ja"]


def test_problems_are_marked_and_focused(doc: Document, form: ProjectSettingsForm) -> None:
    doc.set_value(("settings", "theme"), "no-such-theme")
    doc.set_value(("settings", "throttle", "max_per_session"), 9)  # more than per day
    doc.revalidate()
    assert mark_of(form.theme) == "error"
    assert mark_of(form.max_per_session) == "warning"
    assert "“Guides per day”" in form.max_per_session.toolTip()  # the field's label, not its key
    form.show()
    form.focus_field("throttle.max_per_session")
    assert form.focusWidget() is form.max_per_session
    form.focus_field("timezone")
    assert form.focusWidget() in (form.timezone, form.timezone.lineEdit())


def test_the_sections_share_one_label_column(form: ProjectSettingsForm) -> None:
    """Project, Languages, In the product, Limits: their fields start at one place."""
    from tests.widgets.inspector_support import field_starts, settle

    form.resize(1000, 1600)
    form.show()
    settle(form)
    starts = field_starts(form.content)
    assert len(starts) == 1, starts
