"""Which texts of a step the canvas can edit, where each lives in the project, and its Markdown.

The canvas (``canvas-edit.js``) edits the rendered step in the page and sends
back Markdown for a *field key* — ``title``, ``body``, ``button.1``,
``item.invite-teammate.label``, ``survey.question`` — of a step id. This module
is the one place that knows how those keys map to project paths and how each
text is rendered (inline or block, links or not: the compiler's rules), so the
page and the document agree on both. No Qt here.

``minimal_escapes`` (``core/rich_text``, shared with the inspector's rich text
fields) keeps the stored text what the person typed: the page's serialiser
escapes every character Markdown *might* read as syntax, and each escape that
does not change the rendering is dropped again, checked with the renderer the
compiler uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from guidestudio.core.l10n.fallback import pick_text
from guidestudio.core.model import Guide, Project, Step
from guidestudio.core.rich_text import minimal_escapes, placeholder_sources, same_source


@dataclass(frozen=True)
class Field:
    """One editable text of a step: its key, where it lives, and how it is rendered."""

    key: str
    path: tuple[Any, ...]  # from the step, without the locale
    text: dict[str, str] | None
    block: bool = False  # a body: paragraphs and lists; else one line of inline text
    links: bool = True  # [..](..) is a link (button labels and linked items: plain text)


def step_fields(step: Step) -> list[Field]:
    """The texts of a step the canvas offers, in the order they are shown."""
    fields = [Field("title", ("title",), step.title),
              Field("body", ("body",), step.body, block=True)]
    fields += [Field(f"button.{i}", ("buttons", i, "label"), b.label, links=False)
               for i, b in enumerate(step.buttons)]
    for i, item in enumerate(step.items):
        fields.append(Field(f"item.{item.id}.label", ("items", i, "label"), item.label,
                            links=not item.url))
        fields.append(Field(f"item.{item.id}.description", ("items", i, "description"),
                            item.description, links=not item.url))
    if step.survey is not None:
        fields.append(Field("survey.question", ("survey", "question"), step.survey.question))
    return [f for f in fields if f.text]


def shown_text(text: dict[str, str] | None, locale: str, default_locale: str) -> tuple[str, bool]:
    """(the text the step shows in ``locale``, whether it is another locale's): the
    compiler's and runtime's fallback — the locale, its shorter form, the default, the first."""
    picked = pick_text(text, locale, default_locale)
    return ("", False) if picked is None else (picked[0], picked[1] != locale)


def canvas_meta(project: Project, guide: Guide | None, variant: int, locale: str) -> dict[str, Any]:
    """What the page needs to edit the shown variant's texts in ``locale``: per step id, each
    field's Markdown, how it renders, its placeholder sources, and whether it is a fallback."""
    steps: dict[str, Any] = {}
    default = project.settings.default_locale
    if guide is not None and 0 <= variant < len(guide.variants):
        for index, step in enumerate(guide.variants[variant].steps):
            fields = {}
            for f in step_fields(step):
                markdown, fallback = shown_text(f.text, locale, default)
                fields[f.key] = {"md": markdown, "block": f.block, "links": f.links,
                                 "fallback": fallback,
                                 "tokens": placeholder_sources(markdown, f.block, f.links)}
            steps[step.id or f"s{index + 1}"] = {"index": index, "fields": fields}
    shown = guide.variants[variant].key if guide is not None and 0 <= variant < len(
        guide.variants) else None
    return {"guide": guide.id if guide is not None else None, "variant": shown,
            "locale": locale, "steps": steps}


def find_field(guide: Guide, variant: int, step_id: str, key: str) -> tuple[int, Field] | None:
    """The step index and field a page's ``(step id, key)`` names, in the current model."""
    if not 0 <= variant < len(guide.variants):
        return None
    for index, step in enumerate(guide.variants[variant].steps):
        if (step.id or f"s{index + 1}") == step_id:
            for f in step_fields(step):
                if f.key == key:
                    return index, f
            return None
    return None


def step_index(guide: Guide | None, variant: int, step_id: str) -> int | None:
    if guide is None or not 0 <= variant < len(guide.variants):
        return None
    for index, step in enumerate(guide.variants[variant].steps):
        if (step.id or f"s{index + 1}") == step_id:
            return index
    return None


def profile_attributes(project: Project, profile_attrs: dict[str, Any]) -> list[dict[str, Any]]:
    """Attributes a placeholder can name: every scalar the sample users have (dotted for
    nested ones), with the selected user's value to show in the chip."""
    keys: list[str] = ["first_name"]

    def walk(values: dict[str, Any], prefix: str) -> None:
        for key, value in values.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict):
                walk(value, f"{name}.")
            elif isinstance(value, (str, int, float)) and not isinstance(value, bool) \
                    and name not in keys:
                keys.append(name)

    for profile in project.profiles:
        walk(profile.attributes, "")
    out = []
    for key in keys:
        value: Any = profile_attrs
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        out.append({"key": key, "label": key.replace("_", " ").replace(".", " › "),
                    "value": value if isinstance(value, (str, int, float)) else None})
    return out


__all__ = ["Field", "canvas_meta", "find_field", "minimal_escapes", "placeholder_sources",
           "profile_attributes", "same_source", "shown_text", "step_fields", "step_index"]
