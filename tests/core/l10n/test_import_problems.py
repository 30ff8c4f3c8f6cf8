"""A bad translation file says what is wrong, where (file:line, unit) — and changes nothing.

Each case starts from a good German file made by translate-toolkit (``cat_tool``) and
breaks one thing the way tools and people do: the wrong language, ids from another
project, a placeholder deleted, doubled, unwrapped or invented, Markdown typed into
the words, a code inside a placeholder's words.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from guidestudio.core.files.project_io import load_project
from guidestudio.core.l10n.importer import plan_import
from guidestudio.core.l10n.xliff_write import XLIFF2, export_xliff
from guidestudio.core.model import Project
from tests.core.l10n.cat_tool import translate_file

STORAGE = "storage-almost-full.a.storage-full.body"


@pytest.fixture
def good(example: Path, tmp_path: Path) -> tuple[Project, str]:
    project = load_project(example).project
    exported = tmp_path / "de.xlf"
    exported.write_bytes(export_xliff(project, "de"))
    translate_file(exported, exported)
    return project, exported.read_text("utf-8")


def _target_of(text: str, unit_id: str) -> tuple[int, int]:
    """Where the target of ``unit_id`` is in ``text`` (start and end of its content)."""
    unit = text.index(f'<unit id="{unit_id}"')
    start = text.index("<target", unit)
    start = text.index(">", start) + 1
    return start, text.index("</target>", start)


def _with_target(text: str, unit_id: str, content: str) -> str:
    start, end = _target_of(text, unit_id)
    return text[:start] + content + text[end:]


def _line_of(text: str, unit_id: str) -> int:
    return text.count("\n", 0, text.index(f'<unit id="{unit_id}"')) + 1


def _problems(project: Project, text: str) -> list[str]:
    plan = plan_import(project, text.encode("utf-8"), "de.xlf")
    assert not plan.ok
    assert not plan.edit.edits and not plan.changes  # nothing would change
    return [p.format() for p in plan.problems]


def test_the_good_file_is_accepted(good: tuple[Project, str]) -> None:
    project, text = good
    assert plan_import(project, text.encode(), "de.xlf").ok


@pytest.mark.parametrize(("attribute", "value", "expected"), [
    ("srcLang", "fr", "translates from fr, but this project's texts are written in en"),
    ("trgLang", "en", "the target language is en, the language the texts are written in"),
    ("trgLang", "German", "'German' is not a language code"),
])
def test_a_file_in_the_wrong_languages_is_refused(good: tuple[Project, str], attribute: str,
                                                   value: str, expected: str) -> None:
    project, text = good
    text = re.sub(rf'{attribute}="[^"]*"', f'{attribute}="{value}"', text, count=1)
    (problem,) = _problems(project, text)
    assert problem.startswith("de.xlf:1:") and expected in problem


def test_unknown_and_doubled_units_are_named_with_their_lines(good: tuple[Project, str]) -> None:
    project, text = good
    first = "nps-survey.a.nps.title"
    line = _line_of(text, first)
    text = text.replace(f'<unit id="{first}"', '<unit id="old-guide.a.intro.title"', 1)
    problems = _problems(project, text)
    assert problems == [f"de.xlf:{line}: old-guide.a.intro.title: no such text in this project "
                        "(a guide, step or text removed or renamed since the export?)"]

    project2, text2 = good
    block_start = text2.index('<unit id="nps-survey.a.nps.title"')
    block = text2[block_start:text2.index("</unit>", block_start) + len("</unit>")]
    doubled = text2.replace(block, block + "\n" + block, 1)
    (problem,) = _problems(project2, doubled)
    assert "in the file twice (first on line" in problem


def test_a_deleted_placeholder_is_missing(good: tuple[Project, str]) -> None:
    project, text = good
    start, end = _target_of(text, STORAGE)
    target = text[start:end]
    # The translator typed over the placeholder: its words stay, the code is gone.
    broken = re.sub(r'<pc id="1"[^>]*>du</pc>', "du", target, count=1)
    (problem,) = _problems(project, _with_target(text, STORAGE, broken))
    assert f"de.xlf:{_line_of(text, STORAGE)}: {STORAGE}: missing code 1 (placeholder " \
           "{{first_name|…}})" in problem


def test_a_doubled_or_invented_code_is_refused(good: tuple[Project, str]) -> None:
    project, text = good
    start, end = _target_of(text, STORAGE)
    target = text[start:end]
    pc = re.search(r'<pc id="1"[^>]*>du</pc>', target).group(0)  # type: ignore[union-attr]
    (problem,) = _problems(project, _with_target(text, STORAGE, target + pc))
    assert "code 1 (placeholder {{first_name|…}}) appears twice" in problem
    (problem,) = _problems(project, _with_target(
        text, STORAGE, target + '<ph id="99" dataRef="d1"/>'))
    assert "code '99' is not in the English text (it has 1, 2, 3, 4)" in problem


def test_a_paired_code_sent_back_standalone_is_refused(good: tuple[Project, str]) -> None:
    project, text = good
    start, end = _target_of(text, STORAGE)
    target = re.sub(r'<pc id="1"([^>]*)>du</pc>', r'<ph id="1"\1/>', text[start:end], count=1)
    (problem,) = _problems(project, _with_target(text, STORAGE, target))
    assert "code 1 (placeholder {{first_name|…}}) encloses words (<pc>/<g>)" in problem


def test_markdown_typed_into_the_words_is_caught(good: tuple[Project, str]) -> None:
    project, text = good
    start, end = _target_of(text, STORAGE)
    target = text[start:end].replace("Hallo", "**Hallo**", 1)
    (problem,) = _problems(project, _with_target(text, STORAGE, target))
    assert "renders with other formatting than the English — bold: 3 (the English has 2)" \
        in problem
    target = text[start:end].replace("Hallo", "Hallo {{plan}}", 1)
    (problem,) = _problems(project, _with_target(text, STORAGE, target))
    assert "placeholder {{plan}}: 1 (the English has 0)" in problem
    # A brace typed into a placeholder's words would end the placeholder early.
    target = text[start:end].replace(">du</pc>", ">du}</pc>", 1)
    (problem,) = _problems(project, _with_target(text, STORAGE, target))
    assert "the words inside code 1 (placeholder {{first_name|…}}) may not hold {, } or a " \
           "new line" in problem


def test_a_code_inside_a_placeholders_words_is_refused(good: tuple[Project, str]) -> None:
    project, text = good
    root = etree.fromstring(text.encode())
    ns = {"x": XLIFF2}
    target = root.find(f".//x:unit[@id='{STORAGE}']/x:segment/x:target", ns)
    assert target is not None
    fallback = target.find("x:pc[@id='1']", ns)
    bold = target.find("x:pc[@id='2']", ns)
    assert fallback is not None and bold is not None
    bold.tail = None
    fallback.append(bold)  # the bold part moved into the placeholder's words
    (problem,) = _problems(project, etree.tostring(root, encoding="unicode"))
    assert "is inside code 1 (placeholder {{first_name|…}}): a placeholder's words hold no " \
           "codes" in problem


def test_one_bad_unit_stops_the_whole_file(good: tuple[Project, str]) -> None:
    project, text = good
    text = text.replace('<unit id="nps-survey.a.nps.title"', '<unit id="gone.a.b.title"', 1)
    plan = plan_import(project, text.encode(), "de.xlf")
    assert len(plan.problems) == 1 and not plan.edit.edits
    assert "de" not in project.settings.locales
