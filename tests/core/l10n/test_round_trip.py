"""Done-when of issue 16 (items 1-2) in core: the example's texts go out for German as XLIFF
2.0 and 1.2, a real CAT library (translate-toolkit) fills them, our import takes them whole,
the project saves them in one transaction — and a later edit to an English text marks the
German one as needing review."""

from __future__ import annotations

from pathlib import Path

import pytest
from translate.storage import xliff, xliff2

from guidestudio.core import edits, markdown_text
from guidestudio.core.files.project_io import load_project, save_project
from guidestudio.core.l10n import inline
from guidestudio.core.l10n.importer import plan_import
from guidestudio.core.l10n.status import project_status
from guidestudio.core.l10n.units import project_units, state_of
from guidestudio.core.l10n.xliff_write import XLIFF12, export_xliff
from guidestudio.core.validate import validate_project
from tests.core.l10n.cat_tool import MOVED, translate_file

BODY = "release-announcement.a.announcement.body"


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_german_from_a_cat_tool_imports_whole_and_saves(example: Path, tmp_path: Path,
                                                         version: str) -> None:
    result = load_project(example)
    project = result.project
    exported = tmp_path / f"de-{version}.xlf"
    exported.write_bytes(export_xliff(project, "de", version))  # type: ignore[arg-type]
    assert export_xliff(project, "de", version) == exported.read_bytes()  # type: ignore[arg-type]

    translated = tmp_path / f"de-{version}-done.xlf"
    tool_targets = translate_file(exported, translated, version)
    units = list(project_units(project))
    assert len(tool_targets) == len(units) == 86  # the tool sees every text, once

    plan = plan_import(project, translated.read_bytes(), translated.name)
    assert plan.ok, [p.format() for p in plan.problems]
    assert plan.locale == "de" and plan.adds_locale
    assert len(plan.changes) == 86 and {c.kind for c in plan.changes} == {"new"}

    edits.apply(project, plan.edit)
    save_project(project, result.files, only={("guides", g) for g in project.guides}
                 | {("settings",)})
    again = load_project(example)
    assert again.project.settings.locales == ["en", "ja", "de"]
    assert not [p for p in validate_project(again.project, again.files) if p.is_error]

    body = next(u for u in project_units(again.project) if u.id == BODY)
    german = body.text("de")
    # The tool's words, the English's Markdown: placeholder (its fallback translated),
    # bold, list, links to the same addresses.
    assert german.startswith("Hallo {{first_name|du}}, as an admin")
    assert "\n\n- **Workspaces (auf Deutsch)**" in german
    assert "](https://acme.example/changelog)" in german
    assert inline.formatting(german, block=True, links=True) == \
        inline.formatting(body.source, block=True, links=True)
    rendered = markdown_text.render(german).html
    assert '<span data-gs-attr="first_name">du</span>' in rendered

    # The code the tool moved (translators reorder sentences) is where it put it.
    moved = next(u for u in project_units(again.project) if u.id == MOVED)
    assert moved.text("de").startswith("**{{storage_used_pct|90}}%** Hallo {{first_name|du}}")

    status = {s.locale: s for s in project_status(again.project)}
    assert len(status["de"].done) == 86 and status["de"].complete


def test_an_english_edit_marks_the_german_translation_as_needing_review(
        example: Path, tmp_path: Path) -> None:
    result = load_project(example)
    project = result.project
    exported = tmp_path / "de.xlf"
    exported.write_bytes(export_xliff(project, "de"))
    translate_file(exported, exported)
    plan = plan_import(project, exported.read_bytes(), "de.xlf")
    edits.apply(project, plan.edit)

    title = ("guides", "nps-survey", "variants", 0, "steps", 0, "title")
    edits.apply(project, edits.SetValue((*title, "en"), "One short question"))
    unit = next(u for u in project_units(project) if u.id == "nps-survey.a.nps.title")
    assert state_of(unit, project.guides["nps-survey"], "de") == "needs_review"
    de = next(s for s in project_status(project) if s.locale == "de")
    assert [u.id for u in de.needs_review] == ["nps-survey.a.nps.title"]
    assert len(de.done) == 85

    # The old file is stale for that text: refused whole, with the place and the reason.
    stale = plan_import(project, exported.read_bytes(), "de.xlf")
    assert not stale.ok and not stale.edit.edits
    (problem,) = stale.problems
    assert problem.field == "nps-survey.a.nps.title" and problem.line
    assert "English text changed since the export" in problem.message

    # A new export offers it for review; the translator confirms it; it is done again.
    again = tmp_path / "de-review.xlf"
    again.write_bytes(export_xliff(project, "de"))
    store = xliff2.Xliff2File.parsefile(str(again))
    review = next(u for u in store.units if u.getid() == "nps-survey.a.nps.title")
    assert review.target == "One quick question (auf Deutsch)"  # the current German, for review
    assert review.xmlelement.get("subState") == "guidestudio:needs-review"
    review.target = "Eine kurze Frage"
    review.marktranslated()
    review.xmlelement.attrib.pop("subState")
    plan = plan_import(project, bytes(store), "de-review.xlf")
    assert plan.ok, [p.format() for p in plan.problems]
    assert [(c.unit.id, c.kind) for c in plan.changes] == [("nps-survey.a.nps.title", "changed")]
    assert plan.unchanged == 85  # the rest came back as they are: nothing to write
    edits.apply(project, plan.edit)
    assert state_of(unit, project.guides["nps-survey"], "de") == "done"


def test_a_needs_review_target_sent_back_untouched_stays_needing_review(
        example: Path, tmp_path: Path) -> None:
    project = load_project(example).project
    project.guides["nps-survey"].translated_from = {"ja": {"a.nps.title": "0" * 16}}
    data = export_xliff(project, "ja", "1.2")
    store = xliff.xlifffile.parsestring(data)
    # translate-toolkit names a 1.2 unit by its file and id.
    unit = next(u for u in store.units if u.getid().endswith("\x04nps-survey.a.nps.title"))
    assert unit.xmlelement.find(f"{{{XLIFF12}}}target").get("state") == \
        "needs-review-translation"
    plan = plan_import(project, bytes(store), "ja.xlf")
    assert plan.ok and not plan.changes and plan.untranslated == 1
    # Confirmed in the tool: the same words, now recorded as made from today's English.
    unit.xmlelement.find(f"{{{XLIFF12}}}target").set("state", "translated")
    plan = plan_import(project, bytes(store), "ja.xlf")
    assert [c.kind for c in plan.changes] == ["reviewed"]
    edits.apply(project, plan.edit)
    assert project.guides["nps-survey"].translated_from["ja"]["a.nps.title"] == \
        next(u for u in project_units(project) if u.id == "nps-survey.a.nps.title").hash


def test_an_import_is_one_edit_that_undoes_to_the_project_as_it_was(example: Path,
                                                                   tmp_path: Path) -> None:
    from guidestudio.core.model import to_dict

    project = load_project(example).project
    before = {gid: to_dict(g) for gid, g in project.guides.items()}, list(project.settings.locales)
    exported = tmp_path / "de.xlf"
    exported.write_bytes(export_xliff(project, "de"))
    translate_file(exported, exported)
    plan = plan_import(project, exported.read_bytes(), "de.xlf")
    inverse = edits.apply(project, plan.edit)
    assert project.guides["nps-survey"].translated_from
    edits.apply(project, inverse)
    assert ({gid: to_dict(g) for gid, g in project.guides.items()},
            list(project.settings.locales)) == before
