"""Pseudo-localisation: accented, a third longer, bracketed, and the runtime still renders it."""

from __future__ import annotations

import re

import pytest

from guidestudio.core import markdown_text
from guidestudio.core.bundle.compiler import compile_project
from guidestudio.core.files.project_io import load_project
from guidestudio.core.l10n.pseudo import (
    PSEUDO_LOCALE,
    PSEUDO_RTL_LOCALE,
    pseudo_project,
    pseudo_text,
)
from tests.conftest import EXAMPLE_PROJECT

SOURCES = [
    "Storage almost full",
    "Welcome to Acme Cloud, {{first_name|there}}!",
    "Upgrade before 5 January and save **40%** on your first year of Pro.",
    "Read [the guide](https://acme.example/docs?a=1&b=2) or use `acme sync` _today_.",
    "- Invite your team\n- Connect **Slack**\n\n1. Open settings\n2. Choose a plan",
    "## What's new\n\n> Faster uploads, &amp; fewer clicks.",
]


def tags(html: str) -> list[str]:
    return re.findall(r"</?[a-z0-9]+", html)


@pytest.mark.parametrize("source", SOURCES)
def test_markdown_and_placeholders_render_as_in_the_source(source: str) -> None:
    original, pseudo = markdown_text.render(source), markdown_text.render(pseudo_text(source))
    assert tags(pseudo.html) == tags(original.html)  # same marks: bold, links, lists, code
    assert pseudo.tokens == original.tokens  # the placeholders still fill in
    assert re.findall(r'href="[^"]*"', pseudo.html) == re.findall(r'href="[^"]*"', original.html)


@pytest.mark.parametrize("source", SOURCES)
def test_each_line_is_bracketed_accented_and_a_third_longer(source: str) -> None:
    for before, after in zip(source.split("\n"), pseudo_text(source).split("\n"), strict=True):
        if not before.strip():
            assert after == before
            continue
        assert after.endswith("·]") and "[" in after
        assert 1.30 <= len(after) / len(before) <= 1.45 or len(before) < 12
    assert not re.search(r"\b(the|Open|Storage|Welcome)\b", pseudo_text(source))


def test_the_pseudo_locale_is_never_exported() -> None:
    project = load_project(EXAMPLE_PROJECT).project
    assert PSEUDO_LOCALE not in compile_project(project)["locales"]
    previewed = pseudo_project(project)
    assert PSEUDO_LOCALE in previewed.settings.locales
    assert PSEUDO_LOCALE not in project.settings.locales  # the project itself is untouched
    assert all(PSEUDO_LOCALE not in (step.title or {}) for guide in project.guides.values()
               for variant in guide.variants for step in variant.steps)


# --- right to left: ar-XB ---------------------------------------------------------------------

RLO, PDF = "\u202e", "\u202c"


@pytest.mark.parametrize("source", SOURCES)
def test_mirrored_markdown_and_placeholders_render_as_in_the_source(source: str) -> None:
    original = markdown_text.render(source)
    mirrored = markdown_text.render(pseudo_text(source, PSEUDO_RTL_LOCALE))
    assert tags(mirrored.html) == tags(original.html)
    assert mirrored.tokens == original.tokens
    assert re.findall(r'href="[^"]*"', mirrored.html) == re.findall(r'href="[^"]*"', original.html)


@pytest.mark.parametrize("source", SOURCES)
def test_each_line_is_drawn_backwards_after_its_block_mark(source: str) -> None:
    for before, after in zip(source.split("\n"), pseudo_text(source, PSEUDO_RTL_LOCALE).split("\n"),
                             strict=True):
        if not before.strip():
            assert after == before
            continue
        assert after.endswith(PDF) and after.count(RLO) == 1
        assert after.replace(RLO, "").replace(PDF, "") == before  # the words themselves as written
        head = after[:after.index(RLO)]  # before the override: only a list, quote or heading mark
        assert re.fullmatch(r"(\s*(#{1,6}|[-*+>]|\d{1,9}[.)])\s+)?", head), head


def test_the_right_to_left_pseudo_locale_compiles_mirrored_and_is_never_exported() -> None:
    project = load_project(EXAMPLE_PROJECT).project
    previewed = pseudo_project(project, locale=PSEUDO_RTL_LOCALE)
    assert previewed.settings.locales == [*project.settings.locales, PSEUDO_RTL_LOCALE]
    tour = next(g for g in compile_project(previewed)["guides"] if g["id"] == "trial-conversion-tour")
    html = tour["variants"][0]["steps"][0]["html"][PSEUDO_RTL_LOCALE]
    assert 'lang="ar-XB" dir="rtl"' in html and f"{RLO}Welcome to Acme Cloud, " in html
    assert PSEUDO_RTL_LOCALE not in compile_project(project)["locales"]
    assert all(PSEUDO_RTL_LOCALE not in (step.title or {}) for guide in project.guides.values()
               for variant in guide.variants for step in variant.steps)
