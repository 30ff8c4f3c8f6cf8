"""The translation screens as a marketer sees them (issue 16 item 3), at 1280×800 and
1920×1080, light and dark: the import summary and the languages window with a missing and a
needs-review German text. Saved to ``build/screens/l10n/`` (or ``$GUIDESTUDIO_SCREENSHOTS``
/l10n) to look at; asserts what a screenshot would show wrong: a literal "&", a form
scrolling sideways, a dialog larger than the screen, the counts not said."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect

from tests.app.translation_support import import_summary
from tests.conftest import REPO_ROOT
from tests.core.l10n.cat_tool import translate_file
from tests.widgets.inspector_support import literal_ampersands, settle, sideways

NPS = "nps-survey"
NPS_TEXT = ("guides", NPS, "variants", 0, "steps", 0)


def _folder() -> Path:
    configured = os.environ.get("GUIDESTUDIO_SCREENSHOTS")
    folder = (Path(configured) if configured else REPO_ROOT / "build" / "screens") / "l10n"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_import_summary_and_languages_window(screen: Any, tmp_path: Path, size: tuple[int, int],
                                             scheme: str, qtbot: Any) -> None:
    window = screen(size, scheme, ("guide", NPS))
    area = QRect(0, 0, *size)
    name = f"{size[0]}x{size[1]}-{scheme}"
    folder = _folder()

    export = window.actions_.export_for_translation()
    export.locale.setEditText("de")
    target = tmp_path / "acme-de.xlf"
    export.path.setText(str(target))
    export.path.textEdited.emit(str(target))
    settle(export)
    assert literal_ampersands(export) == [] and sideways(export) == []
    export.grab().save(str(folder / f"{name}-export.png"))
    assert export.export()
    translate_file(target, target)

    dialog = import_summary(qtbot, window, target)
    dialog.fit_screen(area)
    settle(dialog)
    assert dialog.width() <= size[0] and dialog.height() <= size[1]
    assert literal_ampersands(dialog) == []
    dialog.grab().save(str(folder / f"{name}-import-summary.png"))
    dialog.apply_button.click()

    doc = window.document
    doc.set_value((*NPS_TEXT, "title", "en"), "One short question", merge=False)
    doc.clear_value((*NPS_TEXT, "survey", "thank_you", "de"))
    view = window.current_editor().open_languages()
    view.fit_screen(area)
    settle(view)
    assert view.summary.text() == ("1 text missing in German · 1 text needs review in German")
    assert literal_ampersands(view) == []
    view.grab().save(str(folder / f"{name}-languages.png"))
    view.show_filter.setCurrentIndex(view.show_filter.findData("todo"))
    settle(view)
    view.grab().save(str(folder / f"{name}-languages-todo.png"))
    view.close()
