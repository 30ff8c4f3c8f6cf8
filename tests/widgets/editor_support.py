"""Shared set-up for the editor widget tests: a real project copied to a temp folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from guidestudio.app.document import Document
from guidestudio.core.files.project_io import load_project
from guidestudio.core.problems import Problem
from guidestudio.core.validate import validate_project
from tests.conftest import EXAMPLE_PROJECT

TOUR = "trial-conversion-tour"
BANNER = "storage-almost-full"


def open_example(tmp_path: Path) -> Document:
    """The example project, copied so tests may save it."""
    root = tmp_path / "acme-cloud"
    shutil.copytree(EXAMPLE_PROJECT, root)
    return Document.open(root)


def errors_after_reload(root: Path) -> tuple[list[Problem], list[Problem]]:
    """(load problems, validation errors) of the project as saved on disk."""
    result = load_project(root)
    errors = [p for p in validate_project(result.project, result.files) if p.is_error]
    return result.problems, errors


def guide_editor(qtbot, doc: Document, guide_id: str):  # type: ignore[no-untyped-def]
    """A guide editor showing ``guide_id``."""
    from guidestudio.widgets.guide.guide_editor import GuideEditor

    editor = GuideEditor(doc)
    qtbot.addWidget(editor)
    editor.set_guide(guide_id)
    return editor
