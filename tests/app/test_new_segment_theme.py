"""Project ▸ New segment…/New theme…, and what deleting a used segment tells first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from PySide6.QtWidgets import QMessageBox

from guidestudio.app.main_window import MainWindow
from guidestudio.core import guide_ops
from guidestudio.core.files import schemas
from guidestudio.core.ids import id_from_name
from guidestudio.widgets.project.tree_model import KEY_ROLE, KIND_ROLE
from tests.widgets.editor_support import errors_after_reload


def answer_names(monkeypatch: pytest.MonkeyPatch, *answers: str | None) -> list[str]:
    """Answer the name dialog with ``answers`` in turn (None: Cancel); returns the prompts."""
    prompts: list[str] = []
    queue = list(answers)

    def get_text(parent: Any, title: str, label: str, *args: Any, **kwargs: Any
                 ) -> tuple[str, bool]:
        prompts.append(label)
        name = queue.pop(0)
        return (name or "", name is not None)

    monkeypatch.setattr("guidestudio.app.actions.QInputDialog.getText", staticmethod(get_text))
    return prompts


def file_data(root: Path, rel: str) -> dict[str, Any]:
    return yaml.safe_load((root / rel).read_text(encoding="utf-8"))


def test_new_segment_is_added_selected_saved_and_undone(
        window: MainWindow, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = window.document
    assert doc is not None
    answer_names(monkeypatch, "Beta testers")
    steps = doc.undo_stack.count()
    window.actions_.new_segment.trigger()
    segment = doc.project.segments["beta-testers"]
    assert segment.name == "Beta testers" and segment.condition == {}
    assert doc.undo_stack.count() == steps + 1
    assert window.tree.current_ref() == ("segment", "beta-testers")
    editor = window.current_editor()
    assert type(editor).__name__ == "SegmentEditor"
    assert editor.focusWidget() is editor.name  # type: ignore[attr-defined]
    assert window.save()
    rel = "segments/beta-testers.yaml"
    assert schemas.validate("segment", file_data(project, rel)) == []
    load_problems, errors = errors_after_reload(project)
    assert not load_problems and not [e for e in errors if e.file == rel]
    window.actions_.undo.trigger()  # type: ignore[union-attr]
    assert "beta-testers" not in doc.project.segments
    assert window.save()
    assert not (project / rel).exists()  # removed when saved


def test_new_theme_starts_with_the_default_theme_colours(
        window: MainWindow, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = window.document
    assert doc is not None
    answer_names(monkeypatch, "Holiday red")
    window.actions_.new_theme.trigger()
    theme = doc.project.themes["holiday-red"]
    assert theme.colors == doc.project.themes["acme-light"].colors  # the default theme's
    assert theme.font is None and theme.radius is None
    assert window.tree.current_ref() == ("theme", "holiday-red")
    editor = window.current_editor()
    assert type(editor).__name__ == "ThemeEditor"
    assert editor.focusWidget() is editor.name  # type: ignore[attr-defined]
    window.actions_.undo.trigger()  # type: ignore[union-attr]
    assert "holiday-red" not in doc.project.themes
    assert window.save()
    assert not (project / "themes" / "holiday-red.yaml").exists()  # never written
    window.actions_.redo.trigger()  # type: ignore[union-attr]
    assert window.save()
    data = file_data(project, "themes/holiday-red.yaml")
    assert schemas.validate("theme", data) == [] and data["name"] == "Holiday red"


def test_a_taken_id_is_refused_and_asked_again(window: MainWindow,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    doc = window.document
    assert doc is not None
    prompts = answer_names(monkeypatch, "Free plan", "", "Free plan (EU)")
    before = set(doc.project.segments)
    window.actions_.new_segment.trigger()
    assert "already a segment with the id 'free-plan'" in prompts[1]
    assert "needs a name" in prompts[2]
    assert set(doc.project.segments) - before == {"free-plan-eu"}
    prompts = answer_names(monkeypatch, "Acme Dark", None)  # taken, then Cancel
    steps = doc.undo_stack.count()
    window.actions_.new_theme.trigger()
    assert "already a theme with the id 'acme-dark'" in prompts[1]
    assert doc.undo_stack.count() == steps


def test_ids_come_from_names() -> None:
    assert id_from_name("Free plan (EU)") == "free-plan-eu"
    assert id_from_name("Café crème") == "cafe-creme"
    assert id_from_name("日本のユーザー", "segment") == "segment"
    assert id_from_name("x" * 80) == "x" * 64


def test_non_latin_names_get_a_numbered_id(window: MainWindow,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    doc = window.document
    assert doc is not None
    answer_names(monkeypatch, "日本のユーザー", "有料プラン")
    window.actions_.new_segment.trigger()
    window.actions_.new_segment.trigger()
    assert doc.project.segments["segment"].name == "日本のユーザー"
    assert doc.project.segments["segment-2"].name == "有料プラン"
    assert guide_ops.new_id(doc.project, "segments", "プラン") == ("segment-3", None)


def _select_section(window: MainWindow, folder: str) -> None:
    proxy = window.tree.proxy
    for row in range(proxy.rowCount()):
        index = proxy.index(row, 0)
        if index.data(KIND_ROLE) == "section" and index.data(KEY_ROLE) == folder:
            window.tree.view.setCurrentIndex(index)
            return
    raise AssertionError(f"no {folder} section")


def test_tree_context_menu_offers_new_on_segments_and_themes(window: MainWindow) -> None:
    actions = window.actions_
    menu = window.tree.view.actions()
    assert actions.tree_new_segment in menu and actions.tree_new_theme in menu
    assert actions.new_segment in actions.project_menu.actions()
    assert actions.new_theme in actions.project_menu.actions()
    _select_section(window, "segments")
    assert actions.tree_new_segment.isVisible() and not actions.tree_new_theme.isVisible()
    assert window.tree.select("theme", "acme-dark")
    assert actions.tree_new_theme.isVisible() and not actions.tree_new_segment.isVisible()
    assert window.tree.select("guide", "nps-survey")
    assert not actions.tree_new_theme.isVisible() and not actions.tree_new_segment.isVisible()
    _select_section(window, "themes")
    assert actions.tree_new_theme.isVisible() and actions.tree_new_theme.isEnabled()


def test_deleting_a_used_segment_names_its_guides(window: MainWindow,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    doc = window.document
    assert doc is not None
    users = sorted(g for g, guide in doc.project.guides.items()
                   if guide.audience and "free-plan" in guide.audience.segments)
    assert users
    asked: list[str] = []

    def answer(parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer))
    assert window.tree.select("segment", "free-plan")
    window.actions_.delete.trigger()
    text = asked[0]
    count = f"{len(users)} guide{'s' if len(users) != 1 else ''}"
    assert f"is used by {count}: " in text and "will show a problem" in text
    for guide_id in users[:5]:
        assert doc.project.guides[guide_id].name in text
    assert "free-plan" in doc.project.segments  # answered No
    asked.clear()
    assert window.tree.select("segment", "admins")  # used too, but say nothing of free-plan
    window.actions_.delete.trigger()
    assert "free-plan" not in asked[0]
    assert window.tree.select("theme", "acme-light")
    window.actions_.delete.trigger()
    assert "the project's default theme" in asked[1]
