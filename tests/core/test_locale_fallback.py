"""Locale fallback (pt-BR → pt → default): the shared vectors, the bundle and the preview's text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from guidestudio.core.bundle.compiler import compile_guide
from guidestudio.core.l10n.fallback import fallback_chain, pick_text, resolve_locale
from guidestudio.core.model import Button, Step
from tests.core.test_compiler import make_guide, make_project

VECTORS = json.loads((Path(__file__).resolve().parents[1] / "vectors" / "locale_fallback.json")
                     .read_text(encoding="utf-8"))["rows"]


@pytest.mark.parametrize("row", VECTORS, ids=lambda row: f"{row[0]}>{row[3]}")
def test_vectors(row: list[Any]) -> None:
    wanted, available, default, expected = row
    assert resolve_locale(wanted, available, default) == expected


def test_chain_walks_shorter_forms_then_the_default() -> None:
    assert fallback_chain("pt-BR", "en") == ["pt-br", "pt", "en"]
    assert fallback_chain("zh-Hant-TW", "en-GB") == ["zh-hant-tw", "zh-hant", "zh", "en-gb", "en"]


def test_blank_translation_falls_through() -> None:
    text = {"en": "Welcome", "pt": "Bem-vindo", "pt-BR": "  "}
    assert pick_text(text, "pt-BR", "en") == ("Bem-vindo", "pt")
    assert pick_text({"en": "Welcome"}, "pt-BR", "en") == ("Welcome", "en")
    assert pick_text({}, "pt-BR", "en") is None


def test_bundle_shows_portuguese_to_a_brazilian_reader() -> None:
    """The bundle's pt-BR HTML is the pt translation, not the English default."""
    step = Step(title={"en": "Welcome", "pt": "Bem-vindo"}, body={"en": "Hello"},
                buttons=[Button({"en": "OK", "pt": "Certo"}, "dismiss")])
    guide = make_guide("hello", steps=[step])
    project = make_project(None, [guide], locales=["en", "pt", "pt-BR"])
    html = compile_guide(project, guide)["variants"][0]["steps"][0]["html"]
    assert "Bem-vindo" in html["pt-BR"] and "Certo" in html["pt-BR"]
    assert "Welcome" in html["en"] and "Hello" in html["pt-BR"]
