"""Which locales are written right to left: the language decides, a script subtag overrides."""

from __future__ import annotations

import pytest

from guidestudio.core.l10n.direction import text_direction


@pytest.mark.parametrize("locale", ["ar", "ar-EG", "AR-eg", "he", "he-IL", "iw", "fa", "fa-AF",
                                    "ur", "ur-PK", "ps", "ckb", "yi", "dv", "ug", "sd",
                                    "az-Arab", "ku-Arab", "pa-Arab-PK", "uz_Arab", "ar-u-nu-arab"])
def test_right_to_left(locale: str) -> None:
    assert text_direction(locale) == "rtl"


@pytest.mark.parametrize("locale", ["en", "en-XA", "ja", "de-DE", "ku", "ku-Latn", "az",
                                    "sd-Deva", "ar-Latn", "en-u-nu-arab", "tr", "", "x"])
def test_left_to_right(locale: str) -> None:
    assert text_direction(locale) == "ltr"
