"""A theme whose focus ring or hotspot beacon would be hard to see is a validation warning
(WCAG 1.4.11, 3:1 for the parts of a control people must see; issue 17, item 9).

The held-out audit measured the light theme's amber accent at 2.15:1 on its white card: the
example's themes and the defaults now pass, and a theme that falls below gets a warning at its
file, line and field that says what it draws, what it measures, what is expected, and a colour
that would do.
"""

from __future__ import annotations

import re
from pathlib import Path

from guidestudio.core import edits
from guidestudio.core.bundle.theme_css import DEFAULTS, theme_tokens
from guidestudio.core.css_color import contrast_ratio, parse_color
from guidestudio.core.edits import SetValue
from guidestudio.core.files import scaffold
from guidestudio.core.files.project_io import load_project
from guidestudio.core.resources import EXAMPLE_PROJECT
from guidestudio.core.validate import validate_project
from guidestudio.core.validate.incremental import ProjectValidator
from tests.core.test_validate import expect, make, only, run


def theme(colors: str) -> str:
    return f"schema_version: 1\nid: t1\nname: Light\ncolors:\n{colors}"


def ratio(front: str, back: str) -> float:
    fg, bg = parse_color(front), parse_color(back)
    assert fg is not None and bg is not None
    return contrast_ratio(fg, bg)


def test_the_example_and_default_themes_reach_3_to_1() -> None:
    result = load_project(EXAMPLE_PROJECT)
    assert "theme-contrast" not in [p.code for p in validate_project(result.project, result.files)]
    for theme_id, value in result.project.themes.items():
        tokens = theme_tokens(value)
        assert ratio(tokens["--gs-accent"], tokens["--gs-surface"]) >= 3, theme_id
    assert ratio(DEFAULTS["--gs-accent"], DEFAULTS["--gs-surface"]) >= 3


def test_a_new_projects_theme_reaches_3_to_1(tmp_path: Path) -> None:
    scaffold.new_project(tmp_path / "p", "P")
    result = load_project(tmp_path / "p")
    colors = result.project.themes["default"].colors or {}
    assert ratio(colors["accent"], colors["surface"]) >= 3
    assert "theme-contrast" not in [p.code for p in validate_project(result.project, result.files)]


def test_an_accent_below_3_to_1_on_the_card_is_a_warning_with_a_colour_that_would_do(
        tmp_path: Path) -> None:
    root = make(tmp_path, {"themes/t1.yaml": theme(
        "  surface: '#ffffff'\n  accent: '#f59e0b'\n")})
    problem = only(run(root), "theme-contrast")
    expect(problem, root, "themes/t1.yaml", "accent:", "colors.accent",
           "#f59e0b", "focus ring", "hotspot", "2.1:1", "at least 3:1", "darker",
           severity="warning")
    suggested = re.search(r"(#[0-9a-f]{6}) would do", problem.message)
    assert suggested and ratio(suggested.group(1), "#ffffff") >= 3, problem.message


def test_on_a_dark_card_the_warning_asks_for_a_lighter_colour(tmp_path: Path) -> None:
    root = make(tmp_path, {"themes/t1.yaml": theme(
        "  surface: '#111827'\n  accent: '#1e3a8a'\n  primary: '#2563eb'\n  on_primary: '#3b82f6'\n")})
    problems = [p for p in run(root) if p.code == "theme-contrast"]
    by_field = {p.field: p for p in problems}
    assert sorted(by_field) == ["colors.accent", "colors.on_primary"]
    expect(by_field["colors.accent"], root, "themes/t1.yaml", "accent:", "colors.accent",
           "lighter", severity="warning")
    expect(by_field["colors.on_primary"], root, "themes/t1.yaml", "on_primary:", "colors.on_primary",
           "banners", "primary colour #2563eb", severity="warning")


def test_a_theme_without_an_accent_is_judged_by_the_default_it_gets(tmp_path: Path) -> None:
    root = make(tmp_path, {"themes/t1.yaml": theme("  surface: '#78350f'\n")})
    problem = only(run(root), "theme-contrast")
    assert problem.field == "colors.accent" and problem.severity == "warning"
    assert "the default, as the theme sets none" in problem.message


def test_colours_it_cannot_read_are_left_to_the_other_checks(tmp_path: Path) -> None:
    root = make(tmp_path, {"themes/t1.yaml": theme("  surface: '#ffffff'\n  accent: notacolour\n")})
    assert "theme-contrast" not in [p.code for p in run(root)]


def test_the_editor_sees_the_warning_come_and_go_as_the_accent_is_edited(tmp_path: Path) -> None:
    root = make(tmp_path, {"themes/t1.yaml": theme("  surface: '#ffffff'\n  accent: '#b45309'\n")})
    result = load_project(root)
    validator = ProjectValidator(result.project, result.files)
    validator.run()
    assert "theme-contrast" not in [p.code for p in validator.problems()]
    for value, warned in (("#fcd34d", True), ("#92400e", False)):
        edit = SetValue(("themes", "t1", "colors", "accent"), value)
        edits.apply(result.project, edit)
        validator.invalidate(edit.target)
        validator.run()
        assert ("theme-contrast" in [p.code for p in validator.problems()]) is warned, value
