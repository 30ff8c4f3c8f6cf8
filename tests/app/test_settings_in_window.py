"""Project settings and sample profiles in the window: tree rows, pages, actions, problems."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from guidestudio.app.main_window import MainWindow
from guidestudio.core.files.project_io import load_project
from guidestudio.core.problems import Problem
from guidestudio.widgets.entities.profiles_editor import ProfilesEditor
from guidestudio.widgets.entities.project_settings_form import ProjectSettingsForm


def test_the_tree_opens_the_settings_and_profiles_pages(window: MainWindow) -> None:
    assert window.tree.select("settings", "")
    page = window.current_editor()
    assert isinstance(page, ProjectSettingsForm) and page.name.text() == "Acme Cloud"
    actions = window.actions_
    for action in (actions.duplicate, actions.rename, actions.delete, actions.archive):
        assert not action.isEnabled(), action.text()
    page.name.selectAll()
    page.name.insert("Acme Drive")
    assert window.windowTitle().startswith("Acme Drive")
    assert window.tree.select("profiles", "")
    profiles = window.current_editor()
    assert isinstance(profiles, ProfilesEditor)
    assert profiles.profile_list.list.count() == len(window.document.project.profiles)
    profiles.profile_list.add_button.click()
    index = window.tree.model.index_for("profiles", "")
    assert index.data() == f"Sample profiles ({len(window.document.project.profiles)})"
    assert not actions.delete.isEnabled()
    assert window.save()
    saved = load_project(window.document.root).project
    assert saved.settings.name == "Acme Drive"
    assert len(saved.profiles) == len(window.document.project.profiles)


def test_a_problem_in_guidestudio_yaml_jumps_to_its_field(window: MainWindow) -> None:
    doc = window.document
    doc.set_value(("settings", "timezone"), "Mars/Olympus")  # as if edited in the file
    doc.revalidate()
    problem = next(p for p in doc.problems
                   if p.file == "guidestudio.yaml" and p.field == "timezone")
    window.tree.select("guide", next(iter(doc.project.guides)))
    window.jump_to_problem(problem)
    assert window.tree.current_ref() == ("settings", "")
    page = window.current_editor()
    assert isinstance(page, ProjectSettingsForm)
    assert QApplication.focusWidget() in (page.timezone, page.timezone.lineEdit())
    window.jump_to_problem(Problem("profiles.yaml", None, "profiles[1].name", "test"))
    assert window.tree.current_ref() == ("profiles", "")
    assert window.current_editor().current() == 1


def test_a_new_project_gets_the_languages_asked_for(window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "new-product"
    assert window.create_project(folder, "New Product", ["de", "en"])
    settings = window.document.project.settings
    assert settings.locales == ["de", "en"] and settings.default_locale == "de"


def test_the_wizard_checks_the_languages(shell_env: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from guidestudio.app.new_project_wizard import NewProjectWizard, parse_locales

    assert parse_locales("en, pt-BR") == (["en", "pt-BR"], None)
    assert parse_locales("English")[1] is not None
    wizard = NewProjectWizard()
    qtbot.addWidget(wizard)
    wizard.page.name.setText("Thing")
    wizard.page.location.setText(str(shell_env / "here"))
    assert wizard.page.isComplete() and wizard.locales() == ["en"]
    wizard.page.languages.setText("en, Deutsch")
    assert not wizard.page.isComplete() and "Deutsch" in wizard.page.preview.text()
