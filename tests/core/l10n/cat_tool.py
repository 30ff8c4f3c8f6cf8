"""A translator's CAT tool in a test: translate-toolkit reads our XLIFF and writes targets.

translate-toolkit (the library behind Pootle and Weblate's XLIFF support) parses
the file as any tool would, shows each unit's source as words and placeables
(our codes), and serialises the targets it is given. ``translate_file`` fills
every unit with German made from the source's words, keeping every code — and,
for one unit, moving a code, as a translator may.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

from translate.storage import xliff, xliff2
from translate.storage.placeables import StringElem

#: Enough German for the example's commonest words; the rest is marked, not translated.
GLOSSARY = {
    "Hi": "Hallo", "there": "du", "Welcome": "Willkommen", "Upgrade": "Upgraden",
    "Next": "Weiter", "Back": "Zurück", "Done": "Fertig", "Maybe later": "Vielleicht später",
    "No thanks": "Nein danke", "Book a call": "Gespräch buchen", "to": "zu", "the": "die",
    "your": "deine", "and": "und", "of": "von", "files": "Dateien", "file": "Datei",
}


def german(text: str) -> str:
    """Words through the glossary; a text made of unknown words gets a German ending, so a
    test can tell it was translated (and it is about 30% longer, as German is)."""
    if text in GLOSSARY:
        return GLOSSARY[text]
    words = text.split(" ")
    out = [GLOSSARY.get(word, word) for word in words]
    result = " ".join(out)
    if result == text and any(c.isalpha() for c in text):  # "90", "%", ". " stay
        stripped = text.rstrip()
        result = stripped + " (auf Deutsch)" + text[len(stripped):]
    return result


def _translated(elem: StringElem, words: Callable[[str], str]) -> StringElem:
    clone = copy.copy(elem)
    clone.sub = []
    for part in elem.sub:
        if isinstance(part, str):
            clone.sub.append(words(part))
        else:
            clone.sub.append(_translated(part, words))
    return clone


#: The unit whose bold part the translator moves to the front ("**90%** belegt: Hallo …").
MOVED = "storage-almost-full.a.storage-full.body"


def _move_bold_first(rich: StringElem) -> None:
    """The second code (the bold "{{storage_used_pct|90}}%") first, then a space."""
    codes = [i for i, part in enumerate(rich.sub) if type(part) is not StringElem
             and not isinstance(part, str)]
    bold = rich.sub.pop(codes[1])
    rich.sub[0:0] = [bold, StringElem(" ")]


def translate_file(path: Path, out: Path, version: str = "2.0",
                   words: Callable[[str], str] = german) -> dict[str, str]:
    """Fill every unit of ``path`` as a CAT tool would and save to ``out``; returns the
    plain target text per unit id, as translate-toolkit reads it back."""
    cls = xliff2.Xliff2File if version == "2.0" else xliff.xlifffile
    store = cls.parsefile(str(path))
    for unit in store.units:
        rich = [_translated(part, words) for part in unit.rich_source]
        if unit.getid().endswith(MOVED):
            _move_bold_first(rich[0])
        unit.rich_target = rich
        unit.marktranslated()
    out.write_bytes(bytes(store))
    reread = cls.parsefile(str(out))
    return {unit.getid(): str(unit.target) for unit in reread.units}
