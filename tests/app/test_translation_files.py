"""File ▸ Export for translation / Import translations in the real window (issue 16 item 3).

German goes out as XLIFF, translate-toolkit fills it, the import's summary shows what will
change and applies it as ONE undo step; the canvas then previews the guide in German. A bad
file shows its problems and changes nothing. The languages window marks a translation
whose English changed since ("Needs review"), filters to it, and clears it on review."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from guidestudio.app.main_window import MainWindow
from guidestudio.widgets.guide.translations_model import REVIEW_BRUSH
from tests.app.translation_support import import_run, import_summary
from tests.core.l10n.cat_tool import translate_file
from tests.widgets.preview_support import TITLE_JS, dom_until, ready

NPS = "nps-survey"
NPS_TITLE = ("guides", NPS, "variants", 0, "steps", 0, "title")


def _german_file(window: MainWindow, tmp_path: Path) -> Path:
    dialog = window.actions_.export_for_translation()
    dialog.locale.setEditText("de")
    assert "86 texts in 10 guides for German: 86 to translate, 0 to review" in \
        dialog.counts.text()
    target = tmp_path / "acme-de.xlf"
    dialog.path.setText(str(target))
    dialog.path.textEdited.emit(str(target))
    assert dialog.export()
    assert window.statusBar().currentMessage() == f"Exported for translation: {target}"
    translate_file(target, target)
    return target


def test_the_file_menu_offers_both(window: MainWindow) -> None:
    file_menu = next(m for m in window.menuBar().actions() if m.text() == "&File").menu()
    texts = [a.text() for a in file_menu.actions()]
    assert "Export for &translation…" in texts and "&Import translations…" in texts


def test_german_imports_as_one_undo_step_and_previews(window: MainWindow, tmp_path: Path,
                                                      qtbot) -> None:  # type: ignore[no-untyped-def]
    doc = window.document
    assert doc is not None
    xlf = _german_file(window, tmp_path)
    steps = doc.undo_stack.count()

    dialog = import_summary(qtbot, window, xlf)
    assert dialog.windowTitle() == "Import German translations"
    assert dialog.summary.text().startswith("86 German (de) texts in 10 guides will change: "
                                            "86 new. German joins the project's languages.")
    assert dialog.changes.topLevelItemCount() == 10 and not dialog.problems.isVisible()
    assert dialog.apply_button.isVisible()
    assert doc.get((*NPS_TITLE, "de")) is None  # nothing changed before "Apply"
    dialog.apply_button.click()

    assert doc.get((*NPS_TITLE, "de")) == "One quick question (auf Deutsch)"
    assert doc.project.settings.locales == ["en", "ja", "de"]
    assert doc.undo_stack.count() == steps + 1
    undo = window.actions_.undo
    assert undo is not None and undo.text() == "&Undo Import German translations"
    assert window.statusBar().currentMessage().startswith("86 German (de) texts in 10 guides "
                                                          "changed")

    # The canvas offers German and shows the guide in it.
    assert window.tree.select("guide", NPS)
    pane = window.centre.pane
    assert pane is not None
    surface = ready(qtbot, pane.surface, timeout=30_000)
    index = pane.controls.locale.findData("de")
    assert index >= 0
    pane.controls.locale.setCurrentIndex(index)
    dom_until(qtbot, surface, TITLE_JS, lambda t: t == "One quick question (auf Deutsch)",
              timeout=15_000)

    undo.trigger()  # one step takes it all back
    assert doc.get((*NPS_TITLE, "de")) is None
    assert doc.project.settings.locales == ["en", "ja"]
    assert doc.project.guides[NPS].translated_from is None


def test_a_bad_file_shows_its_problems_and_changes_nothing(window: MainWindow, tmp_path: Path,
                                                           qtbot) -> None:  # type: ignore[no-untyped-def]
    doc = window.document
    assert doc is not None
    xlf = _german_file(window, tmp_path)
    xlf.write_text(xlf.read_text("utf-8").replace('srcLang="en"', 'srcLang="fr"'), "utf-8")
    steps = doc.undo_stack.count()
    dialog = import_summary(qtbot, window, xlf)
    assert dialog.summary.text() == ("This file cannot be imported: 1 problem (below). Nothing "
                                     "was changed.")
    assert dialog.problems.count() == 1
    assert dialog.problems.item(0).text().startswith(f"{xlf}:1: the file translates from fr")
    assert not dialog.apply_button.isVisible()
    dialog.reject()
    assert doc.undo_stack.count() == steps and doc.project.settings.locales == ["en", "ja"]


def test_the_languages_window_marks_filters_and_clears_needs_review(
        window: MainWindow, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    doc = window.document
    assert doc is not None
    xlf = _german_file(window, tmp_path)
    import_summary(qtbot, window, xlf).apply_button.click()
    doc.set_value((*NPS_TITLE, "en"), "One short question", merge=False)

    assert window.tree.select("guide", NPS)
    view = window.current_editor().open_languages()  # type: ignore[attr-defined]
    model = view.model
    german = model.locales.index("de") + 1
    assert model.headerData(german, Qt.Orientation.Horizontal) == "German (de)"
    title = model.index(0, german)
    assert model.needs_review(0, german) and not model.needs_review(1, german)
    assert title.data() == "Needs review: One quick question (auf Deutsch)"
    assert title.data(Qt.ItemDataRole.BackgroundRole) == REVIEW_BRUSH
    assert "1 text needs review in German" in view.summary.text()
    assert not model.needs_review(0, model.locales.index("ja") + 1)  # made in the editor

    view.show_filter.setCurrentIndex(view.show_filter.findData("review"))
    shown = [r for r in range(model.rowCount()) if not view.table.isRowHidden(r)]
    assert shown == [0]
    view.show_filter.setCurrentIndex(view.show_filter.findData("all"))
    assert all(not view.table.isRowHidden(r) for r in range(model.rowCount()))

    view.table.setCurrentIndex(title)
    assert view.mark_reviewed.isEnabled()
    view.mark_reviewed.trigger()
    assert not model.needs_review(0, german)
    assert window.actions_.undo.text() == "&Undo Mark Title (German) reviewed"
    window.actions_.undo.trigger()
    assert model.needs_review(0, german)

    # Rewriting it is reviewing it: one step sets the words and clears the mark.
    assert model.setData(title, "Eine kurze Frage")
    assert doc.get((*NPS_TITLE, "de")) == "Eine kurze Frage" and not model.needs_review(0, german)
    window.actions_.undo.trigger()
    assert doc.get((*NPS_TITLE, "de")) == "One quick question (auf Deutsch)"
    assert model.needs_review(0, german)


def test_an_edit_while_the_summary_is_open_is_not_overwritten(
        window: MainWindow, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    doc = window.document
    assert doc is not None
    xlf = _german_file(window, tmp_path)
    run, dialog = import_run(qtbot, window, xlf)
    # An edit that does not touch the file's texts: the import still fits, and applies
    # (once the file, checked again off the GUI thread, makes the same change).
    doc.set_value(("guides", NPS, "name"), "NPS survey", merge=False)
    with qtbot.waitSignal(run.applied, timeout=30_000):
        dialog.apply_button.click()
    assert doc.get((*NPS_TITLE, "de")) == "One quick question (auf Deutsch)"
    window.actions_.undo.trigger()

    run, dialog = import_run(qtbot, window, xlf)
    doc.set_value((*NPS_TITLE, "en"), "One short question", merge=False)  # its source changed
    with qtbot.waitSignal(run.applied, timeout=30_000):
        dialog.apply_button.click()
    assert doc.get((*NPS_TITLE, "de")) is None and "de" not in doc.project.settings.locales
    assert window.statusBar().currentMessage().startswith(
        "Not imported: the project changed while the summary was open")
