"""Release review: what a reviewer reads about two real bundles of the example project.

The example is copied, exported, edited on disk the way an author would (a
threshold, the control group, a title, a body with Markdown-breaking text, the
status and the end date), exported again, and the two bundle files compared.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guidestudio.core.bundle.export import export_project
from guidestudio.core.bundle.review import percent, review_bundles
from guidestudio.core.bundle.review_format import format_json, format_markdown, format_text, md
from guidestudio.core.bundle.step_text import read_step
from guidestudio.core.files.project_io import load_project
from tests.conftest import EXAMPLE_PROJECT

GUIDE = "guides/storage-almost-full.yaml"
NAME = "Storage almost full — upgrade prompt"


def _edit(path: Path, *pairs: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def _export(root: Path, out: Path) -> dict[str, Any]:
    result = export_project(root, out, environment="staging")
    assert result.ok, result.problems
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any], Path]:
    root = tmp_path_factory.mktemp("review") / "acme"
    shutil.copytree(EXAMPLE_PROJECT, root)
    old = _export(root, root.parent / "old.json")
    _edit(root / GUIDE,
          ("      $gte: 90\n", "      $gte: 85\n"),
          ("control_weight: 0.1", "control_weight: 0.2"),
          ("en: Your uploads are about to stop", "en: Uploads stop at 100%"),
          ("status: live", "status: staged"),
          ("end: 2027-12-31T23:59:59Z", "end: 2027-06-30T23:59:59Z"),
          ("of your 10 GB. Once", "of your 10 GB | \\`plan\\` @acme-team <b>x</b>. Once"))
    new = _export(root, root.parent / "new.json")
    return old, new, root


def test_each_change_is_named_with_old_and_new_values(bundles: Any) -> None:
    old, new, root = bundles
    review = review_bundles(old, new, load_project(root).project)
    assert [(g.id, g.name, g.state) for g in review.guides] == [
        ("storage-almost-full", NAME, "changed")]
    changes = {c.label: (c.old, c.new) for c in review.guides[0].changes}
    assert changes["Status"] == ("live", "staged")
    assert changes["Ends"] == ("2027-12-31 23:59:59 UTC", "2027-06-30 23:59:59 UTC")
    assert changes["Control group"] == ("10%", "20%")
    assert changes["Split"] == ("control 10% · a 45% · b 45%", "control 20% · a 40% · b 40%")
    old_rule, new_rule = changes["Audience"]
    assert "at least 90%" in old_rule and "at least 85%" in new_rule  # the catalogue's unit
    assert "$gte" not in new_rule and "storage_used_pct" not in new_rule
    assert changes["Variant a · Step title (en)"] == ("Your uploads are about to stop",
                                                     "Uploads stop at 100%")
    body_old, body_new = changes["Variant a · Step body (en)"]
    assert body_old.startswith("Hi {{first_name|there}}, you've used {{storage_used_pct|90}}%")
    assert "10 GB | `plan` @acme-team <b>x</b>. Once" in body_new  # the author's text, as text
    assert "<strong>" not in body_new and "<p>" not in body_new
    assert not any(label.endswith("(ja)") for label in changes)  # the Japanese copy is untouched


def test_status_and_schedule_come_first(bundles: Any) -> None:
    old, new, _root = bundles
    review = review_bundles(old, new)
    assert [c.label for c in review.guides[0].changes][:2] == ["Status", "Ends"]
    text = format_text(review)
    assert text.index("Status and schedule:") < text.index(f"~ {NAME}")
    assert f"! {NAME} (storage-almost-full): Status: live → staged" in text
    assert "Control group: 10% → 20%" in text
    assert "Variant a · Step title (en): Your uploads are about to stop → Uploads stop at 100%" \
        in text


def test_markdown_keeps_guide_text_as_data(bundles: Any) -> None:
    old, new, _root = bundles
    out = format_markdown(review_bundles(old, new, old_label="v41.json", new_label="v42.json"))
    assert f"### {NAME} · storage-almost-full" in out
    table = [line for line in out.splitlines() if line.startswith("| ")]
    assert table[0] == "| Field | v41.json | v42.json |"
    # Every row has exactly three cells: no pipe from a guide's text splits a cell.
    for row in table:
        assert len(re.findall(r"(?<!\\)\|", row)) == 4, row
    body = next(row for row in table if row.startswith("| Variant a · Step body (en)"))
    assert "10 GB \\| \\`plan\\` @\u200bacme-team &lt;b&gt;x&lt;/b&gt;. Once" in body
    assert "<b>" not in out and "`plan`" not in out
    assert "| Control group | 10% | 20% |" in out


def test_markdown_escapes_whatever_a_guide_holds() -> None:
    hostile = "a|b `c` **d** <img src=x onerror=1> [e](javascript:x) @org/team $x$ ##\nline"
    escaped = md(hostile)
    assert "|" not in escaped.replace("\\|", "")
    assert "`" not in escaped.replace("\\`", "")
    assert "<" not in escaped.replace("<br>", "") and "\n" not in escaped
    assert "@\u200borg" in escaped and "\\*\\*d\\*\\*" in escaped and "\\[e\\]" in escaped
    assert "\\$x\\$" in escaped and escaped.endswith("\\#\\#<br>line")


def test_json_is_for_tools(bundles: Any) -> None:
    old, new, _root = bundles
    report = json.loads(format_json(review_bundles(old, new)))
    assert report["changed"] == ["storage-almost-full"] and report["added"] == []
    change = next(c for c in report["guides"][0]["changes"] if c["label"] == "Control group")
    assert change == {"label": "Control group", "old": "10%", "new": "20%",
                      "path": "experiment.control_weight", "headline": False}


def test_same_bundles_say_so(bundles: Any) -> None:
    old, _new, _root = bundles
    review = review_bundles(old, old)
    assert review.same and "the same" in format_text(review)


def test_added_removed_and_settings(bundles: Any) -> None:
    old, new, _root = bundles
    new = json.loads(json.dumps(new))
    gone = new["guides"].pop(0)
    new["throttle"]["max_per_day"] = 5
    review = review_bundles(old, new)
    assert (gone["id"], "removed") in [(g.id, g.state) for g in review.guides]
    assert [(c.label, c.old, c.new) for c in review.settings] == [
        ("Throttle max per day", "3", "5")]
    back = review_bundles(new, old)
    added = next(g for g in back.guides if g.state == "added")
    assert added.id == gone["id"] and added.changes[0].label == "Status"
    assert "(new guide)" in format_text(back)


def test_compiled_markup_reads_back_as_the_authors_text() -> None:
    step = read_step(
        '<div class="gs-step"><button class="gs-close"><span aria-hidden="true">×</span></button>'
        '<img class="gs-image" src="assets/a.png" alt="A chart">'
        '<h2 class="gs-title">Hi <span data-gs-attr="first_name">there</span> &amp; welcome</h2>'
        '<div class="gs-body"><p>One <strong>two</strong></p><ul><li>three</li><li>four '
        '<a href="https://x.example">link</a></li></ul></div><div class="gs-footer">'
        '<span class="gs-progress">1 / 3</span><button class="gs-btn">Next</button>'
        '<button class="gs-btn">Skip</button></div></div>')
    assert step.parts() == {
        "title": "Hi {{first_name|there}} & welcome",
        "body": "One two\n• three\n• four link <https://x.example>",
        "buttons": "[Next] · [Skip]",
        "image": "A chart (assets/a.png)",
    }


@pytest.mark.parametrize(("share", "text"), [(0.1, "10%"), (0.45, "45%"), (1 / 3, "33.33%"),
                                             (1, "100%"), (0, "0%"), (0.125, "12.5%")])
def test_percentages(share: float, text: str) -> None:
    assert percent(share) == text


def test_markdown_renders_as_the_tables_it_means(bundles: Any) -> None:
    """Rendered by a CommonMark + GFM-tables parser (markdown-it-py, GitHub's table rules):
    one row per change, three cells each, and no element a guide's text asked for."""
    from markdown_it import MarkdownIt

    old, new, _root = bundles
    review = review_bundles(old, new)
    page = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(
        format_markdown(review))
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.DOTALL)
    assert len(rows) == 1 + len(review.guides[0].changes)  # header + one row per change
    assert all(row.count("<td>") + row.count("<th>") == 3 for row in rows)
    for tag in ("<b>", "<code>", "<img", "<a ", "<em>", "<del>"):
        assert tag not in page, tag
    assert "10 GB | `plan` @\u200bacme-team &lt;b&gt;x&lt;/b&gt;. Once" in page


def test_a_theme_colour_is_named_not_the_stylesheet(bundles: Any) -> None:
    old, _new, _root = bundles
    new = dict(old, theme_css=old["theme_css"].replace("--gs-primary: #2563eb;",
                                                       "--gs-primary: #dc2626;"))
    review = review_bundles(old, new)
    assert [(c.label, c.old, c.new) for c in review.settings] == [
        ("Theme acme-light --gs-primary", "#2563eb", "#dc2626")]


@given(st.lists(st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from(
    [*"|`*_[]()<>&@#$~\\!:\n -+.=", "<br>", "&amp;", "<script>", "**", "```", "](x)"]),
    max_size=30).map("".join))
def test_any_text_comes_back_from_a_rendered_cell_as_typed(text: str) -> None:
    """Whatever a guide holds, a CommonMark + GFM-tables renderer shows it in its cell as
    typed: one cell, no markup of its own (the zero-width space after "@" aside)."""
    import html

    from markdown_it import MarkdownIt

    typed = "\n".join(line.strip() for line in text.strip().split("\n"))
    page = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(
        f"| a | b |\n|---|---|\n| x | {md(typed)} |\n")
    cells = re.findall(r"<td>(.*?)</td>", page, re.DOTALL)
    assert len(cells) == 2, page
    shown = html.unescape(cells[1].replace("<br>", "\n")).replace("@\u200b", "@")
    assert "<" not in cells[1].replace("<br>", "")
    assert shown == typed
