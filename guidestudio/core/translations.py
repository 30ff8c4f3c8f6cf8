"""Every text of a guide that people read, with a name a marketer uses and what is untranslated.

A guide stores each text once per language (``{en: …, ja: …}``) in many
places: step titles and bodies, picture descriptions, buttons, checklist
tasks, survey questions. ``localized_texts`` walks them all (the validator's
translation rules read the same walk, so the side-by-side languages view and
Problems never disagree about what counts); ``text_rows`` names each one the
way the forms do ("Step 2 › Body", "Button 1", "Task 3 › Description") and
``missing_locales`` says which project languages it lacks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from guidestudio.core.model import Guide

FieldPath = tuple[Any, ...]
SEPARATOR = " › "
#: Survey texts in the order the form shows them, with the form's labels.
SURVEY_TEXTS = (("question", "Question"), ("low_label", "Low end label"),
                ("high_label", "High end label"), ("comment_label", "Comment label"),
                ("thank_you", "Thank-you message"))
#: Texts that must exist even when empty in every language (``validate/texts.py``).
REQUIRED = frozenset({"alt"})
#: Texts of several lines (a text box to edit them, not a line).
MULTILINE = frozenset({"body", "description"})


def localized_texts(guide: Guide) -> Iterator[tuple[FieldPath, Any]]:
    """Every translatable text of ``guide`` with its path inside the guide, in form order."""
    for vi, variant in enumerate(guide.variants):
        for si, step in enumerate(variant.steps):
            base: FieldPath = ("variants", vi, "steps", si)
            if step.title is not None:
                yield (*base, "title"), step.title
            if step.body is not None:
                yield (*base, "body"), step.body
            if step.image is not None:
                yield (*base, "image", "alt"), step.image.alt
            for bi, button in enumerate(step.buttons):
                yield (*base, "buttons", bi, "label"), button.label
            for ii, item in enumerate(step.items):
                yield (*base, "items", ii, "label"), item.label
                if item.description is not None:
                    yield (*base, "items", ii, "description"), item.description
            if step.survey is not None:
                for name, _label in SURVEY_TEXTS:
                    text = getattr(step.survey, name)
                    if text is not None:
                        yield (*base, "survey", name), text


@dataclass(frozen=True)
class TextRow:
    """One text of a guide: where it is (inside the guide), its name, and its languages."""

    path: FieldPath
    label: str
    values: Mapping[str, Any]

    @property
    def multiline(self) -> bool:
        return self.path[-1] in MULTILINE

    def text(self, locale: str) -> str:
        value = self.values.get(locale)
        return value if isinstance(value, str) else ""

    def missing_locales(self, locales: Sequence[str]) -> list[str]:
        """The project languages this text has nothing in, once it has text in any (or must)."""
        if not (self.path[-1] in REQUIRED or any(self.text(loc).strip() for loc in self.values)):
            return []
        return [loc for loc in locales if not self.text(loc).strip()]


def _field_label(path: FieldPath) -> str:
    """The name of the text at ``path`` below its step: "Body", "Button 2", "Task 1 › …"."""
    rest = path[4:]
    head = rest[0]
    if head == "image":
        return "Picture description"
    if head == "buttons":
        return f"Button {rest[1] + 1}"
    if head == "items":
        task = f"Task {rest[1] + 1}"
        return task if rest[2] == "label" else f"{task}{SEPARATOR}Description"
    if head == "survey":
        return dict(SURVEY_TEXTS).get(rest[1], str(rest[1]))
    return {"title": "Title", "body": "Body"}.get(head, str(head))


def text_rows(guide: Guide) -> list[TextRow]:
    """Every text of ``guide`` named as a marketer would: the variant when there are several,
    the step when its variant has several, then the field ("Step 2 › Body")."""
    rows: list[TextRow] = []
    several_variants = len(guide.variants) > 1
    for path, value in localized_texts(guide):
        variant = guide.variants[path[1]]
        parts: list[str] = []
        if several_variants:
            parts.append(f"Variant {variant.name or variant.key}")
        if len(variant.steps) > 1:
            parts.append(f"Step {path[3] + 1}")
        parts.append(_field_label(path))
        rows.append(TextRow(path, SEPARATOR.join(parts),
                            value if isinstance(value, Mapping) else {}))
    return rows


def missing_counts(rows: Sequence[TextRow], locales: Sequence[str]) -> dict[str, int]:
    """How many of ``rows`` lack each language: ``{"en": 0, "de": 3}``."""
    counts = dict.fromkeys(locales, 0)
    for row in rows:
        for locale in row.missing_locales(locales):
            counts[locale] += 1
    return counts
