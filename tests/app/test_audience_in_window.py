"""Audience sizes in the real window: the users table is chosen with the link beside the
figure, remembered for the project in the user's settings (never written into the
project), and the Audience tab shows the figure readable at every size and scheme.

The screens go to ``build/screens/audience/`` (or ``$GUIDESTUDIO_SCREENSHOTS/audience``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog

from guidestudio.app import settings_store
from guidestudio.app.main_window import MainWindow
from guidestudio.core.audience_checks import audience_condition
from guidestudio.core.audience_sql.sizes import AudienceSize
from guidestudio.widgets.guide.guide_editor import AUDIENCE, GuideEditor
from tests.app.conftest import snapshot
from tests.conftest import REPO_ROOT
from tests.widgets.inspector_support import settle
from tests.widgets.users_table import expected, users, write_parquet

TOUR = "trial-conversion-tour"
TIMEOUT = 20_000


def audience_line(qtbot, window: MainWindow, guide_id: str) -> Any:  # type: ignore[no-untyped-def]
    """The guide's Audience tab in the inspector, and its size line."""
    assert window.tree.select("guide", guide_id)
    editor = window.editors.current()
    assert isinstance(editor, GuideEditor)
    window.inspector_dock.show()
    editor.tabs.setCurrentIndex(AUDIENCE)
    line = editor.audience.size
    qtbot.waitUntil(line.isVisible)
    return line


def figure(qtbot, line: Any) -> AudienceSize:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: isinstance(line.answer, AudienceSize)
                    and not line.sizes.busy(id(line)), timeout=TIMEOUT)
    return line.answer


def test_the_table_chosen_with_the_link_is_the_users_not_the_projects(
        window: MainWindow, project: Path, qtbot, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    rows = users(3000)
    (tmp_path / "exports").mkdir()
    table = write_parquet(tmp_path / "exports" / "users.parquet", rows)
    before = snapshot(project)
    line = audience_line(qtbot, window, TOUR)
    assert line.text.isHidden() and "Choose a user table…" in line.link.text()
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (str(table), "")))
    line.link.linkActivated.emit("choose")
    size = figure(qtbot, line)
    want = expected(rows, audience_condition(window.document.project,
                                             window.document.project.guides[TOUR]))
    assert (size.matched, size.users) == (want, 3000)
    assert settings_store.users_table(project) == str(table)
    assert snapshot(project) == before and not window.document.is_modified

    # Opened again: the same table, and a segment's figure too.
    assert window.open_project(project, background=False)
    sizes = window.audience_sizes.sizes
    assert sizes is not None and sizes.table == str(table)
    assert window.tree.select("segment", "free-plan")
    segment_line = window.editors.current().size
    assert figure(qtbot, segment_line).matched == expected(rows, {"plan": "free"})


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_the_figure_reads_whole_in_the_audience_tab(
        screen: Any, qtbot, tmp_path: Path, size: tuple[int, int], scheme: str) -> None:
    table = write_parquet(tmp_path / "users.parquet", users(3000))
    window = screen(size, scheme, ("guide", TOUR))
    window.audience_sizes.sizes.set_table(str(table))
    line = audience_line(qtbot, window, TOUR)
    figure(qtbot, line)
    settle(window)
    text = line.text
    assert line.words.startswith("With the segments: ≈")
    assert "\nSplit: control group " in line.words
    # Whole: as tall as its wrapped words need, and not cut by the tab's scroll area.
    assert text.height() >= text.heightForWidth(text.width())
    assert text.visibleRegion().boundingRect().size() == text.size()
    folder = Path(os.environ.get("GUIDESTUDIO_SCREENSHOTS") or REPO_ROOT / "build" / "screens")
    folder = folder / "audience"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{size[0]}x{size[1]}-{scheme}-audience-size"
    assert window.grab().save(str(folder / f"{name}.png"))
    assert window.inspector_dock.grab().save(str(folder / f"{name}-inspector.png"))
