"""Where a problem is, in the words of the forms: "Storage almost full › Step 1 › Title".

A Problem points at a file and a dotted field (``variants[0].steps[0].title.ja``,
``audience.conditions.events.login.days_since.$gte``, ``throttle.max_per_day``).
The trail names the guide (or segment, theme, sample profile, the project
settings), then each part by the label its form shows, with step and button
numbers counted from one and their texts, the attribute's catalogue label
for a rule, and the language of a translated text. Attribute keys may contain
dots, so the part of a field inside a condition is matched against the
condition's own keys, longest first.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from guidestudio.core.catalogue import event_label, humanize, label_of
from guidestudio.core.files.project_io import FOLDERS, PROFILES_FILE, PROJECT_FILE
from guidestudio.core.model import Project
from guidestudio.core.problems import Problem
from guidestudio.core.rules.values import format_scalar

SEPARATOR = " › "
_SHOWN_TEXT = 32
_PART_RE = re.compile(r"\[(\d+)\]|([^.\[\]]+)")

#: Field labels as the forms show them; (parent field, field) first, then field alone.
FIELD_LABELS: dict[Any, str] = {
    # guides
    "name": "Name", "description": "Description", "kind": "Kind", "status": "Status",
    "priority": "Priority", "theme": "Theme", "exempt_from_throttle": "Exempt from limits",
    "audience": "Audience", "trigger": "When it shows", "schedule": "Schedule",
    "frequency": "How often", "goal": "Goal", "experiment": "Experiment",
    "display": "Display", "schema_version": "File format version", "id": "Id",
    ("trigger", "on"): "Show it", ("trigger", "url"): "On pages",
    ("trigger", "selector"): "Element clicked", ("trigger", "event"): "Event",
    ("trigger", "seconds"): "Delay",
    ("schedule", "start"): "Starts", ("schedule", "end"): "Ends",
    ("schedule", "timezone"): "Time zone",
    ("frequency", "max_shows"): "Show at most", ("frequency", "cooldown_hours"): "Pause between",
    ("frequency", "stop_after"): "Stop once",
    ("goal", "event"): "Success event", ("goal", "within_days"): "Within",
    ("experiment", "key"): "Analytics name", ("experiment", "seed"): "Shuffle seed",
    ("experiment", "coverage"): "Taking part", ("experiment", "control_weight"): "Control group",
    ("experiment", "namespace"): "Namespace",
    ("display", "position"): "Position", ("display", "push"): "Push the page down",
    ("display", "backdrop"): "Backdrop", ("display", "close_button"): "Close button",
    ("display", "width"): "Width",
    ("variants", "key"): "Analytics name", ("variants", "weight"): "Share",
    # steps
    "layout": "Layout", "title": "Title", "body": "Body", "image": "Picture",
    ("image", "src"): "File", ("image", "alt"): "Description",
    "anchor": "Anchor", ("anchor", "selector"): "Element", ("anchor", "placement"): "Placement",
    ("anchor", "offset"): "Gap", "if_missing": "If it's missing", "wait_seconds": "Wait up to",
    ("steps", "id"): "Analytics name",
    ("buttons", "label"): "Label", ("buttons", "action"): "Action",
    ("buttons", "url"): "Web address", ("buttons", "new_tab"): "Open in a new tab",
    ("buttons", "event"): "Event", ("buttons", "guide"): "Guide",
    ("buttons", "hours"): "Remind after", ("buttons", "style"): "Style",
    ("items", "label"): "Task", ("items", "event"): "Done when", ("items", "id"): "Analytics name",
    ("items", "due_days"): "Due after", ("items", "url"): "Link",
    "survey": "Survey", ("survey", "type"): "Question type", ("survey", "question"): "Question",
    ("survey", "low_label"): "Low end label", ("survey", "high_label"): "High end label",
    ("survey", "comment_label"): "Comment label", ("survey", "thank_you"): "Thank-you message",
    # project settings
    "default_locale": "Default language", "locales": "Languages",
    "hash_attribute": "A/B split by", "timezone": "Time zone",
    "asset_base_url": "Asset base URL", "environments": "Environments",
    "throttle": "Limits across all guides",
    ("throttle", "min_minutes_between"): "Minutes between guides",
    ("throttle", "max_per_session"): "Guides per visit",
    ("throttle", "max_per_day"): "Guides per day",
    ("attributes", "key"): "Key", ("attributes", "label"): "Label",
    ("attributes", "type"): "Type", ("attributes", "unit"): "Unit",
    ("attributes", "allowed"): "Allowed values",
    # themes
    "colors": "Colours", "font": "Font", ("font", "family"): "Font family",
    ("font", "size"): "Text size", ("font", "weight"): "Heading weight",
    "radius": "Corner radius", "shadow": "Shadow", "z_index": "Stacking order",
}
#: Fields whose value is a text per language (``{en: …, ja: …}``).
LOCALIZED = frozenset({"title", "body", "label", "alt", "question", "low_label", "high_label",
                       "comment_label", "thank_you"}) | {("items", "description")}
LANGUAGES = {
    "en": "English", "ja": "Japanese", "de": "German", "fr": "French", "es": "Spanish",
    "pt": "Portuguese", "it": "Italian", "nl": "Dutch", "sv": "Swedish", "da": "Danish",
    "fi": "Finnish", "no": "Norwegian", "nb": "Norwegian", "pl": "Polish", "cs": "Czech",
    "tr": "Turkish", "ru": "Russian", "uk": "Ukrainian", "zh": "Chinese", "ko": "Korean",
    "ar": "Arabic", "he": "Hebrew", "hi": "Hindi", "th": "Thai", "vi": "Vietnamese",
    "id": "Indonesian",
}
_CONDITIONS = frozenset({"conditions", "condition"})
#: Problems about a whole segment (or guide…) that the validator points at its id's line.
WHOLE_ENTITY = frozenset({"unused-segment"})


def language_name(code: str) -> str:
    """``ja`` -> "Japanese", ``pt-BR`` -> "Portuguese (BR)"; unknown codes stay codes."""
    base, _, region = code.partition("-")
    name = LANGUAGES.get(base.lower())
    if name is None:
        return code
    return f"{name} ({region})" if region else name


def field_parts(field: str) -> list[str | int]:
    """``variants[0].steps[1].title`` -> ``["variants", 0, "steps", 1, "title"]``."""
    return [int(m.group(1)) if m.group(1) is not None else m.group(2)
            for m in _PART_RE.finditer(field)]


def _quoted(text: Any) -> str:
    if not isinstance(text, str) or not text.strip():
        return ""
    text = " ".join(text.split())
    if len(text) > _SHOWN_TEXT:
        text = text[: _SHOWN_TEXT - 1].rstrip() + "…"
    return f" “{text}”"


def _first_text(value: Any, project: Project) -> str:
    """A localized text in the project's default language (or any)."""
    if isinstance(value, Mapping):
        text = value.get(project.settings.default_locale)
        if not isinstance(text, str) or not text:
            text = next((v for v in value.values() if isinstance(v, str) and v), "")
        return text
    return value if isinstance(value, str) else ""


def child(node: Any, part: str | int) -> Any:
    """``node``'s field or item ``part`` (None if it has none): model objects, mappings, lists."""
    if isinstance(part, int):
        return node[part] if isinstance(node, list) and 0 <= part < len(node) else None
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return getattr(node, part, None)
    if isinstance(node, Mapping):
        return node.get(part)
    return None


def _label(parent: str | None, name: str) -> str:
    return FIELD_LABELS.get((parent, name)) or FIELD_LABELS.get(name) or humanize(name)


def _condition_key(condition: Any, dotted: str) -> str | None:
    """The attribute named at the start of ``dotted`` inside ``condition``
    (through ``$and``/``$or``/``$nor``/``$not``), matched against its keys."""
    if isinstance(condition, list):
        head, _, tail = dotted.partition(".")
        if head.isdigit() and int(head) < len(condition):
            return _condition_key(condition[int(head)], tail)
        return None
    if not isinstance(condition, Mapping):
        return None
    for key in sorted(condition, key=lambda k: -len(str(k))):
        name = str(key)
        if dotted != name and not dotted.startswith(name + "."):
            continue
        if name in ("$and", "$or", "$nor", "$not"):
            return _condition_key(condition[key], dotted[len(name) + 1:])
        if not name.startswith("$"):
            return name
    return None


def _condition_trail(project: Project, condition: Any, rest: list[str | int]) -> list[str]:
    dotted = ".".join(str(p) for p in rest)
    if not dotted:
        return []
    key = _condition_key(condition, dotted)
    if key is None:  # the file could not be read: strip operators and list positions
        words = [str(p) for p in rest if not isinstance(p, int)
                 and not str(p).startswith("$") and not str(p).isdigit()]
        key = ".".join(words)
    return [label_of(project, key)] if key else []


def _walk(project: Project, node: Any, parts: list[str | int], multi_variant: bool
          ) -> list[str]:
    """Labels for ``parts`` below ``node`` (a guide, segment, theme, settings object)."""
    out: list[str] = []
    parent: str | None = None
    i = 0
    while i < len(parts):
        part = parts[i]
        following = parts[i + 1] if i + 1 < len(parts) else None
        if isinstance(part, str) and isinstance(following, int) and part in (
                "variants", "steps", "buttons", "items", "segments", "attributes", "profiles"):
            item = child(child(node, part), following)
            out.append(_item_label(project, part, following, item, node, multi_variant))
            node, parent, i = item, part, i + 2
            continue
        if isinstance(part, str) and part in _CONDITIONS:
            out.append("Rules")
            out.extend(_condition_trail(project, child(node, part), parts[i + 1:]))
            break
        if isinstance(part, int):
            node = child(node, part)
            shown = _quoted(format_scalar(node)) if type(node) in (str, int, float) else ""
            out.append(shown.strip() or f"#{part + 1}")
            i += 1
            continue
        if part in LOCALIZED or (parent, part) in LOCALIZED:
            label = _label(parent, part)
            if isinstance(following, str):
                label += f" ({language_name(following)})"
                i += 1
            out.append(label)
            break
        out.append(_label(parent, part))
        node, parent, i = child(node, part), part, i + 1
    return out


def _item_label(project: Project, field: str, index: int, item: Any, owner: Any,
                multi_variant: bool) -> str:
    number = index + 1
    if field == "variants":
        name = getattr(item, "name", None) or getattr(item, "key", None)
        return f"Variant{_quoted(name)}" if name else f"Variant {number}"
    if field == "steps":
        steps = child(owner, "steps") or []
        title = _quoted(_first_text(getattr(item, "title", None), project))
        return f"Step {number}" + (title if len(steps) > 1 else "")
    if field == "buttons":
        return f"Button {number}" + _quoted(_first_text(getattr(item, "label", None), project))
    if field == "items":
        return f"Task {number}" + _quoted(_first_text(getattr(item, "label", None), project))
    if field == "segments":
        segment = project.segments.get(item) if isinstance(item, str) else None
        quoted = _quoted(segment.name if segment else item)
        return f"Segment{quoted}" if quoted else f"Segment {number}"
    if field == "attributes":
        key = getattr(item, "key", None)
        label = getattr(item, "label", None) or (humanize(key) if isinstance(key, str) else "")
        return f"Attribute catalogue › {label}" if label else f"Attribute catalogue › #{number}"
    return f"#{number}"


def entity_of(project: Project, problem: Problem) -> tuple[str, Any, bool]:
    """(what ``problem``'s file is in words, its model object or None, several variants?)."""
    file = problem.file
    if file == PROJECT_FILE:
        return "Project settings", project.settings, False
    if file == PROFILES_FILE:
        return "Sample profiles", project, False
    folder, _, name = file.partition("/")
    stem = name.rsplit(".", 1)[0]
    if folder in FOLDERS:
        entity = getattr(project, folder).get(stem)
        title = getattr(entity, "name", None) or humanize(stem)
        if folder == "guides":
            many = entity is not None and len(entity.variants) > 1
            return title, entity, many
        return f"{FOLDERS[folder][0].capitalize()}{_quoted(title)}", entity, False
    return file, None, False


def _profile_trail(project: Project, parts: list[str | int]) -> list[str]:
    if len(parts) < 2 or parts[0] != "profiles" or not isinstance(parts[1], int):
        return [_label(None, str(p)) for p in parts[:1]]
    index = parts[1]
    profile = project.profiles[index] if index < len(project.profiles) else None
    name = (profile.name or profile.id).split(" — ", 1)[0] if profile is not None \
        else f"Profile {index + 1}"
    out = [name]
    rest = parts[2:]
    if rest[:1] == ["attributes"] and len(rest) > 1:
        out.append(label_of(project, ".".join(str(p) for p in rest[1:])))
    elif rest[:1] == ["events"] and len(rest) > 1:
        out.append(event_label(str(rest[1])))
        out.extend(str(p) for p in rest[2:3])
    elif rest:
        out.append(_label(None, str(rest[0])))
    return out


def problem_trail(project: Project, problem: Problem) -> str:
    """Where ``problem`` is, e.g. "Storage almost full › Step 1 › Title (Japanese)"."""
    what, node, multi_variant = entity_of(project, problem)
    parts = field_parts(problem.field) if problem.code not in WHOLE_ENTITY else []
    if problem.file == PROFILES_FILE:
        rest = _profile_trail(project, parts)
    else:
        rest = _walk(project, node, parts, multi_variant)
        if not multi_variant and rest and rest[0].startswith("Variant"):
            rest = rest[1:]  # a guide with one variant: its variant is the guide
    return SEPARATOR.join([what, *rest])


__all__ = ["FIELD_LABELS", "SEPARATOR", "child", "entity_of", "field_parts", "language_name",
           "problem_trail"]
