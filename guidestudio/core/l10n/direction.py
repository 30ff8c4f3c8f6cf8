"""Which way a language's text runs: right to left for Arabic, Hebrew, Persian, Urdu and their kin.

The compiler writes ``dir="rtl"`` on a step's root for such a locale, and the
theme's logical CSS and the runtime's placement mirror the guide from it
(docs/translation.md, "Right-to-left"). A locale is read as BCP 47: the
language decides (``ar-EG`` is Arabic), unless a script subtag says otherwise —
``az-Arab`` (Azerbaijani in Arabic script) runs right to left, ``ku-Arab`` too,
while ``uz-Latn`` or ``pa-Guru`` do not. The languages are those whose usual
script, by CLDR's likely subtags, is right to left; Kurdish (``ku``) is Latin
there, Central Kurdish (``ckb``) Arabic.
"""

from __future__ import annotations

# Languages written right to left by default (CLDR likely subtags: Arab, Hebr, Thaa, Syrc, Nkoo,
# Adlm, Rohg, Mand, Samr), with the old ISO codes still seen in the wild (iw, ji).
RTL_LANGUAGES = frozenset({
    "ar", "arc", "bal", "bqi", "ckb", "dv", "fa", "glk", "he", "iw", "ji", "khw", "ks", "lrc",
    "mzn", "nqo", "ps", "sd", "sdh", "syr", "ug", "ur", "yi",
})
# Scripts written right to left (ISO 15924).
RTL_SCRIPTS = frozenset({
    "adlm", "arab", "aran", "hebr", "mand", "mend", "nkoo", "rohg", "samr", "syrc", "thaa", "yezi",
})


def language_of(locale: str) -> str:
    """A locale tag's language, lower-cased: ``ar`` for ``ar-EG``, ``pt`` for ``pt_BR``."""
    return locale.replace("_", "-").split("-")[0].lower()


def text_direction(locale: str) -> str:
    """``"rtl"`` or ``"ltr"`` for a locale tag: by its script subtag if any, else its language."""
    language, *subtags = locale.replace("_", "-").lower().split("-")
    for subtag in subtags:
        if len(subtag) == 1:  # an extension or private use (en-u-nu-arab): no script after it
            break
        if len(subtag) == 4 and subtag.isalpha():
            return "rtl" if subtag in RTL_SCRIPTS else "ltr"
    return "rtl" if language in RTL_LANGUAGES else "ltr"
