"""Pseudo-localisation: English made to look foreign and a third longer, for the preview only.

A marketer can't read German, but can see "[Ŝţöŕåğé åļɱöšţ ƒûļļ ·····]" cut off
by its box: the letters are accented (hard-coded English stays plain and stands
out), each line is about 35% longer (German and French run 30–40% longer than
English) and bracketed (a truncated text loses its closing bracket).
Placeholders (``{{first_name|there}}``), link targets, code and Markdown marks
are kept as they are, so the runtime still renders them. The pseudo locale is
a preview choice (canvas → Language → "Pseudo (test lengths)"): it is never in
the project's locales, so it never reaches an exported bundle.

Its right-to-left twin, "Pseudo right-to-left" (``ar-XB``, Android's name),
shows how a guide mirrors before anyone has translated it: the step is laid out
right to left as for Arabic (its language is ``ar``) and each line of English is
drawn backwards (a right-to-left override, U+202E … U+202C), so text that is not
translatable, or not mirrored, stands out; placeholders and code keep their own
direction (the theme isolates them).
"""

from __future__ import annotations

import copy
import dataclasses
import math
import re
from collections.abc import Mapping

from guidestudio.core.model import Guide, Project
from guidestudio.core.translations import localized_texts

#: The pseudo locale's code: Android's and Chrome's accented English.
PSEUDO_LOCALE = "en-XA"
#: How the language chooser names it.
PSEUDO_NAME = "Pseudo (test lengths)"
#: The right-to-left pseudo locale: Android's mirrored English.
PSEUDO_RTL_LOCALE = "ar-XB"
PSEUDO_RTL_NAME = "Pseudo right-to-left (mirroring)"
#: Every pseudo locale the preview offers, and its name.
PSEUDO_LOCALES = {PSEUDO_LOCALE: PSEUDO_NAME, PSEUDO_RTL_LOCALE: PSEUDO_RTL_NAME}
#: How much longer a pseudo text is than its source (the padding makes up the rest).
GROWTH = 0.35

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åƀçđéƒğĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĞĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ")
#: What stays exactly as written: placeholders, link targets, autolinks and bare URLs,
#: inline code, HTML entities.
_KEEP = re.compile(r"\{\{.*?\}\}|\]\([^)]*\)|<[^>\s]+>|https?://\S+|`[^`]*`|&#?\w+;")
#: A line's block mark (heading, list item, quote), which must stay at its start.
_BLOCK_MARK = re.compile(r"^\s*(?:#{1,6}|[-*+>]|\d{1,9}[.)])\s+")


def _accent(text: str) -> str:
    out, last = [], 0
    for kept in _KEEP.finditer(text):
        out += [text[last:kept.start()].translate(_ACCENTED), kept.group()]
        last = kept.end()
    out.append(text[last:].translate(_ACCENTED))
    return "".join(out)


def pseudo_line(line: str) -> str:
    """One line, accented, bracketed and padded to about 35% longer; its block mark first."""
    if not line.strip():
        return line
    mark = _BLOCK_MARK.match(line)
    head = mark.group() if mark else ""
    body = line[len(head):]
    padding = "·" * max(1, math.ceil(len(body) * GROWTH) - 3)  # "[", " " and "]" count too
    return f"{head}[{_accent(body)} {padding}]"


def mirrored_line(line: str) -> str:
    """One line drawn backwards (right-to-left override), its block mark kept at its start."""
    if not line.strip():
        return line
    mark = _BLOCK_MARK.match(line)
    head = mark.group() if mark else ""
    return f"{head}\u202e{line[len(head):]}\u202c"


def pseudo_text(markdown: str, locale: str = PSEUDO_LOCALE) -> str:
    """A Markdown text as its pseudo-localised twin in ``locale``, line by line."""
    line_of = mirrored_line if locale == PSEUDO_RTL_LOCALE else pseudo_line
    return "\n".join(line_of(line) for line in markdown.split("\n"))


def is_pseudo(locale: str | None) -> bool:
    return locale in PSEUDO_LOCALES


def pseudo_guide(guide: Guide, default_locale: str, locale: str = PSEUDO_LOCALE) -> Guide:
    """A copy of ``guide`` whose every text also has a ``locale`` twin of its default."""
    twin = copy.deepcopy(guide)
    for _path, values in localized_texts(twin):
        if isinstance(values, dict):
            source = values.get(default_locale)
            if isinstance(source, str) and source.strip():
                values[locale] = pseudo_text(source, locale)
    return twin


def pseudo_project(project: Project, guides: Mapping[str, Guide] | None = None,
                   locale: str = PSEUDO_LOCALE) -> Project:
    """``project`` (just ``guides`` of it, if given) with the pseudo ``locale`` as one more
    language."""
    settings = project.settings
    default = settings.default_locale
    chosen = project.guides if guides is None else guides
    return dataclasses.replace(
        project, guides={gid: pseudo_guide(g, default, locale) for gid, g in chosen.items()},
        settings=dataclasses.replace(settings, locales=[*settings.locales, locale]))
