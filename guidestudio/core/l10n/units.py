"""The project's texts as translation units: a stable id, where it shows, and its state.

A translator's tool sees one *unit* per text of the default language
(``core/translations.localized_texts``: titles, bodies, picture descriptions,
buttons, checklist tasks and descriptions, survey texts). A unit's id must
survive edits that do not touch the text, so it is made of names, not of
positions where names exist: ``<guide>.<variant key>.<step id>.<field>`` with
checklist tasks by their id and only buttons by number (they have no id), e.g.
``onboarding-checklist.a.checklist.items.upload-first-file.label``. Dots are the
separator because no id may hold one, and XLIFF ids are NMTOKENs (no ``/``).

Each translation remembers the hash of the default-language text it was made
from (``Guide.translated_from[locale][key]``, written by an import). When that
text changes, the hashes differ and the translation *needs review*; a text in
the locale with no hash recorded (typed in the editor) counts as done.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from guidestudio.core.model import Guide, Project
from guidestudio.core.translations import localized_texts, text_rows

State = Literal["missing", "needs_review", "done"]
HASH_LENGTH = 16

#: Where each kind of text shows, for the translator's context note.
WHERE = {
    "title": "the heading of the step",
    "body": "the main text of the step (Markdown: paragraphs and lists are kept)",
    "alt": "read aloud for the picture by screen readers (alt text)",
    "label": "a button label",
    "item": "the name of a checklist task",
    "description": "the line under a checklist task",
    "question": "the survey question",
    "low_label": "the label under the lowest score",
    "high_label": "the label under the highest score",
    "comment_label": "the label over the comment box",
    "thank_you": "shown after the answer is sent",
}
#: A length a text of that kind should stay within, in characters (a hint, not a rule).
LENGTH = {"title": 60, "body": 400, "alt": 125, "label": 24, "item": 40, "description": 90,
          "question": 120, "low_label": 24, "high_label": 24, "comment_label": 60,
          "thank_you": 120}


def source_hash(text: str) -> str:
    """The hash a translation records of the text it was made from (16 hex digits)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]


@dataclass(frozen=True)
class Unit:
    """One translatable text of the default language, with what a translator needs to know."""

    guide_id: str
    key: str  # inside the guide: "a.checklist.title"
    path: tuple[Any, ...]  # inside the guide: ("variants", 0, "steps", 0, "title")
    label: str  # as the forms name it: "Step 2 › Body"
    field: str  # a WHERE key
    source: str
    values: Mapping[str, Any]

    @property
    def id(self) -> str:
        return f"{self.guide_id}.{self.key}"

    @property
    def multiline(self) -> bool:
        return self.field in ("body", "description")

    @property
    def links(self) -> bool:
        """Buttons render link syntax as text (a link inside a button would be nested)."""
        return "buttons" not in self.path

    @functools.cached_property
    def hash(self) -> str:
        return source_hash(self.source)

    def text(self, locale: str) -> str:
        value = self.values.get(locale)
        return value if isinstance(value, str) else ""

    def length_hint(self) -> int:
        """About how long the translation may be: the kind's room, or the English and a third
        (German runs about 30% longer), whichever is more."""
        return max(LENGTH.get(self.field, 80), round(len(self.source) * 1.35))


def _field(path: tuple[Any, ...]) -> str:
    last = path[-1]
    if last == "label" and path[-3] == "items":
        return "item"
    return str(last)


def unit_key(guide: Guide, path: tuple[Any, ...]) -> str:
    """The unit key of the text at ``path`` (see the module docstring)."""
    variant = guide.variants[path[1]]
    step = variant.steps[path[3]]
    step_name = step.id or f"step-{path[3] + 1}"
    parts: list[str] = [variant.key, step_name]
    rest = path[4:]
    if rest[0] == "items":
        parts += ["items", step.items[rest[1]].id, *rest[2:]]
    elif rest[0] == "buttons":
        parts += ["buttons", str(rest[1] + 1), *rest[2:]]
    else:
        parts += [str(p) for p in rest]
    return ".".join(parts)


def guide_units(guide: Guide, default_locale: str) -> list[Unit]:
    """Every text of ``guide`` that has default-language text, as units, in form order."""
    labels = {row.path: row.label for row in text_rows(guide)}
    units: list[Unit] = []
    seen: set[str] = set()
    for path, value in localized_texts(guide):
        values = value if isinstance(value, Mapping) else {}
        source = values.get(default_locale)
        if not isinstance(source, str) or not source.strip():
            continue
        key = unit_key(guide, path)
        if key in seen:  # two steps with one id: the second by position
            key = f"{key}.at-{'-'.join(str(p) for p in path if isinstance(p, int))}"
        seen.add(key)
        units.append(Unit(guide.id, key, path, labels.get(path, key), _field(path), source,
                          values))
    return units


def project_units(project: Project) -> Iterator[Unit]:
    """Every unit of every guide, guides in id order (the order of an export)."""
    locale = project.settings.default_locale
    for guide_id in sorted(project.guides):
        yield from guide_units(project.guides[guide_id], locale)


def state_of(unit: Unit, guide: Guide, locale: str) -> State:
    """Missing (no text in ``locale``), needs review (made from another English) or done."""
    if not unit.text(locale).strip():
        return "missing"
    recorded = ((guide.translated_from or {}).get(locale) or {}).get(unit.key)
    if recorded is not None and recorded != unit.hash:
        return "needs_review"
    return "done"


def needs_review(guide: Guide, path: tuple[Any, ...], values: Mapping[str, Any], locale: str,
                 default_locale: str) -> bool:
    """Whether the ``locale`` text at ``path`` was made from another default-language text
    than today's (``state_of`` for a text known by its path, as the languages window has it)."""
    if locale == default_locale:
        return False
    recorded = ((guide.translated_from or {}).get(locale) or {}).get(unit_key(guide, path))
    source, text = values.get(default_locale), values.get(locale)
    if recorded is None or not isinstance(source, str) or not isinstance(text, str):
        return False
    return bool(text.strip()) and recorded != source_hash(source)


def target_locales(project: Project) -> list[str]:
    """The languages translated into: the project's, but the default, then any locale an
    import recorded hashes for that the project does not list (in order)."""
    settings = project.settings
    out = [loc for loc in settings.locales if loc != settings.default_locale]
    for guide in project.guides.values():
        for loc in guide.translated_from or {}:
            if loc not in out and loc != settings.default_locale:
                out.append(loc)
    return out
