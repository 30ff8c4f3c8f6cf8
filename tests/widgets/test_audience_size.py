"""The audience's size on the user's users table, under the sample profiles' matches.

Real files throughout: a Parquet export generated in the test's folder, DuckDB in
process, the example project. The figures are held to the Python evaluator's verdict
on the same rows, and the split to the runtime's assignment user by user.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtTest import QTest

from guidestudio.app.document import Document
from guidestudio.core import eligibility
from guidestudio.core.audience_checks import audience_condition
from guidestudio.core.audience_sql.sizes import AudienceSize, SizeError
from guidestudio.core.bundle.compiler import bundle_context, compile_guide
from guidestudio.widgets.entities.segment_editor import SegmentEditor
from guidestudio.widgets.guide.guide_editor import AUDIENCE
from guidestudio.widgets.rules.audience_sizes import AudienceSizes
from guidestudio.widgets.rules.builder import RuleBuilder
from guidestudio.widgets.rules.size_line import SizeLine, percent
from tests.widgets.editor_support import BANNER, TOUR, guide_editor, open_example
from tests.widgets.users_table import expected, users, write_parquet

TIMEOUT = 20_000


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return users(6000)


@pytest.fixture
def table(tmp_path: Path, rows: list[dict[str, Any]]) -> Path:
    return write_parquet(tmp_path / "users.parquet", rows)


@pytest.fixture
def sizes(qtbot) -> Any:  # type: ignore[no-untyped-def]
    service = AudienceSizes()
    yield service
    service.shutdown()


def answered(qtbot, line: SizeLine) -> Any:  # type: ignore[no-untyped-def]
    """The line's answer once it has one (counted off the GUI thread)."""
    qtbot.waitUntil(lambda: isinstance(line.answer, AudienceSize | SizeError | str)
                    and not (line.sizes and line.sizes.busy(id(line))), timeout=TIMEOUT)
    return line.answer


def audience_tab(qtbot, doc: Document, sizes: AudienceSizes, guide_id: str):  # type: ignore[no-untyped-def]
    editor = guide_editor(qtbot, doc, guide_id)
    editor.set_audience_sizes(sizes)
    editor.show()
    editor.tabs.setCurrentIndex(AUDIENCE)
    return editor, editor.audience.size


def test_the_guides_audience_and_split_are_the_runtimes(
        tmp_path: Path, qtbot, table: Path, rows: list[dict[str, Any]], sizes: AudienceSizes
) -> None:
    doc = open_example(tmp_path)
    sizes.set_table(str(table))
    editor, line = audience_tab(qtbot, doc, sizes, TOUR)
    size = answered(qtbot, line)
    assert isinstance(size, AudienceSize)
    project = doc.project
    guide = project.guides[TOUR]
    want = expected(rows, audience_condition(project, guide))
    assert 0 < want < len(rows)  # the segments (trial, web app 2.x) really filter
    assert (size.matched, size.users) == (want, len(rows))
    assert line.words.startswith(
        f"With the segments: ≈\u00a0{want:,}\u00a0users ({percent(want, len(rows))}) "
        f"of {len(rows):,} in\u00a0users.parquet")
    # The split, variant by variant, is the runtime's assignment of the same users.
    bundle_guide = compile_guide(project, guide)
    context = bundle_context(project)
    condition = bundle_guide["audience"]["condition"]
    runtime: Counter[str] = Counter()
    for row in rows:
        if expected([row], condition):
            chosen = eligibility.assignment(bundle_guide, row, context)
            runtime[chosen if isinstance(chosen, str) else chosen.reason] += 1
    assert dict(size.arms) == {"control": runtime["control"], "short": runtime["short"],
                               "full": runtime["full"]}
    assert "Split: control group" in line.words
    assert "Short tour (3 steps)" in line.words  # the variants' names, not keys
    # The sample profiles' line is still there, above.
    builder = editor.audience.conditions.builder
    assert builder.match_label.text().startswith("Matches ")
    assert builder.match_label.y() < line.mapTo(builder.parentWidget(), line.rect().topLeft()).y()


def test_editing_the_rules_updates_the_count_off_the_gui_thread(
        tmp_path: Path, qtbot, table: Path, rows: list[dict[str, Any]], sizes: AudienceSizes
) -> None:
    doc = open_example(tmp_path)
    sizes.set_table(str(table))
    editor = SegmentEditor(doc)
    qtbot.addWidget(editor)
    editor.set_audience_sizes(sizes)
    editor.show()
    editor.set_segment("free-plan")
    line = editor.size
    assert answered(qtbot, line).matched == expected(rows, {"plan": "free"})
    counted = sizes.counted
    builder = editor.condition.findChild(RuleBuilder)
    builder.tabs.setCurrentIndex(1)
    builder.json_edit.setPlainText('{"plan": ""}')
    counted = sizes.counted
    cursor = builder.json_edit.textCursor()
    cursor.setPosition(len('{"plan": "'))
    builder.json_edit.setTextCursor(cursor)
    # Typed key by key: every keystroke reaches the document at once; the count waits
    # for the pause and runs once, on the pool's thread.
    for typed in ("p", "pr", "pro"):
        QTest.keyClicks(builder.json_edit, typed[-1])
        assert doc.get(("segments", "free-plan", "condition")) == {"plan": typed}
    assert sizes.counted == counted  # nothing counted while typing
    qtbot.waitUntil(lambda: isinstance(line.answer, AudienceSize)
                    and line.answer.matched == expected(rows, {"plan": "pro"}), timeout=TIMEOUT)
    assert sizes.counted == counted + 1
    assert sizes.last_thread is not None and sizes.last_thread != threading.get_ident()
    assert line.words.startswith(f"≈\u00a0{line.answer.matched:,}\u00a0users")
    # Undo brings the old figure back from the cache: nothing is counted again.
    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: line.answer.matched == expected(rows, {"plan": "free"}),
                    timeout=TIMEOUT)
    assert sizes.counted == counted + 1


def test_a_newer_question_cancels_the_stale_count(
        tmp_path: Path, qtbot, rows: list[dict[str, Any]], sizes: AudienceSizes) -> None:
    table = write_parquet(tmp_path / "big.parquet", users(60_000, seed=3))
    sizes.set_table(str(table))
    from guidestudio.core.audience_sql.sizes import SizeQuestion

    got: list[tuple[int, Any]] = []
    sizes.answered.connect(lambda owner, answer: got.append((owner, answer)))
    slow = SizeQuestion({"email": {"$regex": "^(a|b)+c$"}, "$or": [
        {"storage_used_pct": {"$gt": n}} for n in range(40)]})
    assert sizes.ask(1, slow) is None
    assert sizes.busy(1)
    latest = SizeQuestion({"plan": "business"})
    assert sizes.ask(1, latest) is None
    qtbot.waitUntil(lambda: bool(got) and not sizes.busy(1), timeout=TIMEOUT)
    assert len(got) == 1  # the stale count said nothing
    assert got[0][1].matched == expected(users(60_000, seed=3), {"plan": "business"})


def test_unchanged_audiences_come_from_the_cache_until_the_file_changes(
        tmp_path: Path, qtbot, table: Path, rows: list[dict[str, Any]], sizes: AudienceSizes
) -> None:
    doc = open_example(tmp_path)
    sizes.set_table(str(table))
    editor, line = audience_tab(qtbot, doc, sizes, TOUR)
    first = answered(qtbot, line)
    counted = sizes.counted
    editor.set_guide(BANNER)
    answered(qtbot, line)
    assert sizes.counted == counted + 1
    editor.set_guide(TOUR)
    assert line.answer == first and sizes.counted == counted + 1  # at once, from the cache
    # A new export under the same name is another table: counted again.
    write_parquet(table, rows[:1000])
    stat = table.stat()
    os.utime(table, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    editor.set_guide(BANNER)
    editor.set_guide(TOUR)
    qtbot.waitUntil(lambda: isinstance(line.answer, AudienceSize) and line.answer.users == 1000,
                    timeout=TIMEOUT)


def test_a_missing_or_unreadable_table_is_said_in_words(
        tmp_path: Path, qtbot, table: Path, sizes: AudienceSizes) -> None:
    doc = open_example(tmp_path)
    sizes.set_table(str(tmp_path / "gone.parquet"))
    _, line = audience_tab(qtbot, doc, sizes, BANNER)
    answer = answered(qtbot, line)
    assert isinstance(answer, SizeError)
    assert line.words == ("gone.parquet is not there any more (moved, renamed or on a "
                                "drive that is not connected?). Choose the user table again.")
    assert line.text.property("state") == "problem" and line.text.text().endswith("Change…</a>")

    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 this is not a parquet file")
    sizes.set_table(str(broken))
    qtbot.waitUntil(lambda: "could not be read as a table of users" in line.words,
                    timeout=TIMEOUT)
    assert "broken.parquet" in line.words and line.text.toolTip()  # DuckDB's words there

    import duckdb
    dated = tmp_path / "dated.parquet"
    duckdb.connect().execute(f"COPY (SELECT 'u1' AS id, DATE '2026-01-02' AS signed_up) "
                             f"TO '{dated}' (FORMAT parquet)")
    sizes.set_table(str(dated))
    qtbot.waitUntil(lambda: "“signed_up”" in line.words, timeout=TIMEOUT)
    assert "holds dates" in line.words

    sizes.set_table(str(table))  # back to a good table: a figure again
    qtbot.waitUntil(lambda: "≈" in line.words, timeout=TIMEOUT)
    table.unlink()  # deleted while the project is open: the next look says so
    doc.set_value(("guides", BANNER, "audience", "conditions"), {"plan": "pro"})
    qtbot.waitUntil(lambda: "users.parquet is not there any more" in line.words,
                    timeout=TIMEOUT)


def test_a_segment_the_guide_names_but_the_project_lacks(
        tmp_path: Path, qtbot, table: Path, sizes: AudienceSizes) -> None:
    doc = open_example(tmp_path)
    sizes.set_table(str(table))
    doc.set_value(("guides", BANNER, "audience", "segments"), ["no-such-segment"])
    _, line = audience_tab(qtbot, doc, sizes, BANNER)
    qtbot.waitUntil(lambda: isinstance(line.answer, str), timeout=TIMEOUT)
    assert line.words.startswith("Can't count: a ticked segment does not exist")


def test_without_a_table_only_the_link_to_choose_one(
        tmp_path: Path, qtbot, sizes: AudienceSizes) -> None:
    doc = open_example(tmp_path)
    _, line = audience_tab(qtbot, doc, sizes, BANNER)
    qtbot.waitUntil(line.link.isVisible)
    assert line.text.isHidden()
    assert "Choose a user table…" in line.link.text()
    assert sizes.counted == 0 and not sizes.busy(id(line))


def test_no_line_without_a_project_counter(tmp_path: Path, qtbot) -> None:
    """An editor used without the window (no counter): neither figure nor link."""
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, BANNER)
    editor.show()
    editor.tabs.setCurrentIndex(AUDIENCE)
    line = editor.audience.size
    assert line.text.isHidden() and line.link.isHidden()


@pytest.mark.parametrize(("part", "whole", "words"), [
    (0, 10, "0%"), (10, 10, "100%"), (1, 10_000, "<0.1%"), (9_999, 10_000, ">99.9%"),
    (1234, 10_000, "12.3%"), (0, 0, "0%")])
def test_percentages_never_round_to_a_lie(part: int, whole: int, words: str) -> None:
    assert percent(part, whole) == words


def test_typing_a_value_in_a_rule_row_waits_for_the_pause(
        tmp_path: Path, qtbot, table: Path, rows: list[dict[str, Any]], sizes: AudienceSizes
) -> None:
    """The rows (not the JSON): a value typed in the guide's own rule, key by key."""
    doc = open_example(tmp_path)
    doc.set_value(("guides", BANNER, "audience", "segments"), [])
    doc.set_value(("guides", BANNER, "audience", "conditions"), {"country": "G"})
    sizes.set_table(str(table))
    _, line = audience_tab(qtbot, doc, sizes, BANNER)
    answered(qtbot, line)
    counted = sizes.counted
    builder = line.parentWidget().findChild(RuleBuilder) or line.parent().builder
    editor_field = _value_field(builder)
    editor_field.setFocus()
    editor_field.end(False)
    QTest.keyClicks(editor_field, "B")
    assert doc.get(("guides", BANNER, "audience", "conditions")) == {"country": "GB"}
    assert sizes.counted == counted
    qtbot.waitUntil(lambda: isinstance(line.answer, AudienceSize)
                    and line.answer.matched == expected(rows, {"country": "GB"}),
                    timeout=TIMEOUT)
    assert sizes.last_thread != threading.get_ident()


def _value_field(builder: RuleBuilder) -> Any:
    from PySide6.QtWidgets import QLineEdit

    fields = [w for w in builder.root_group_widget().findChildren(QLineEdit)
              if w.isVisible() and w.text() == "G"]
    assert fields, "the rule's value field"
    return fields[0]
