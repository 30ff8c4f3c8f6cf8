"""Starter guides: the common plays, ready to fill in ("New guide from template").

Each ``guide_templates/starters/<id>.yaml`` holds ``starter:`` (name, when to
use it, kind, the few parameters it asks for) and ``guide:`` (a guide in the
project format whose strings use ``${param}`` placeholders, Python
``string.Template`` syntax).

Why placeholders are filled in the *data*, not in the YAML text: a value is
whatever the marketer typed — quotes, colons, newlines, ``<script>``,
``{{first_name}}``, even ``${other}`` — and must land in the guide as exactly
that text. Substituting into already-parsed strings (one pass, no re-scan)
means no value can change the file's structure or trigger another
substitution. The runtime's ``{{attr|fallback}}`` tokens are not ``$``
placeholders, so the starter's own tokens pass through untouched.

Only braced ``${name}`` placeholders are recognised: a bare ``$name`` is
data (GrowthBook's ``$gte``, a price like ``$8``).

A string that is a single placeholder (``"${threshold}"``) takes the typed
value, so a number parameter becomes a number in a condition.
"""

from __future__ import annotations

import copy
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidestudio.core import catalogue
from guidestudio.core.files import schemas, yaml_io
from guidestudio.core.ids import unique_id
from guidestudio.core.markdown_text import is_safe_url
from guidestudio.core.model import Guide, Project, from_dict, to_dict
from guidestudio.core.resources import TEMPLATES_DIR
from guidestudio.core.rules.values import format_scalar, parse_number
from guidestudio.core.validate import selector_error

STARTERS_DIR = TEMPLATES_DIR / "starters"
#: One blank starter per guide kind (``<kind>.yaml``): placeholder text, no parameters.
BLANK_DIR = STARTERS_DIR / "blank"


class _Braced(string.Template):
    """``${name}`` only: a bare ``$name`` is data — GrowthBook operators
    (``$gte``), prices (``$8``) — and ``$$`` stays ``$$``."""

    pattern = r"""
    \$(?:
      (?P<escaped>(?!)) |
      (?P<named>(?!)) |
      \{(?P<braced>[_a-z][_a-z0-9]*)\} |
      (?P<invalid>(?!))
    )
    """  # type: ignore[assignment]


PARAM_TYPES = ("text", "number", "url", "event", "attribute", "selector", "value")
_EVENT_RE = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
_ATTRIBUTE_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*")
_WHOLE_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_ID_MAX = 64


@dataclass(frozen=True)
class StarterParam:
    """One thing a starter asks for. ``type`` decides how it is checked:
    text (any non-empty text), number, url (https/http/mailto/relative),
    event (a product event name), attribute (a dotted attribute path),
    selector (a CSS selector), value (an attribute value, e.g. a plan id).

    ``attribute`` names the attribute a ``value`` is one of (its allowed values
    are offered); ``of_type`` limits the attributes an ``attribute`` parameter
    offers to one rule builder type (e.g. number)."""

    name: str
    label: str
    default: Any
    help: str = ""
    type: str = "text"
    attribute: str | None = None
    of_type: str | None = None


@dataclass(frozen=True)
class ParamChoice:
    """A value the gallery offers for a parameter: ``value`` goes into the guide,
    ``label`` is what the author reads, ``key`` is shown quieter beside it."""

    value: str
    label: str
    key: str = ""


@dataclass(frozen=True)
class Starter:
    id: str
    name: str
    description: str
    kind: str
    parameters: tuple[StarterParam, ...]
    guide: dict[str, Any]
    order: int = 100
    icon: str | None = None  # a glyph for the gallery tile; the kind's by default
    path: Path | None = None
    blank: bool = False  # a kind's empty guide (BLANK_DIR), not one of the plays

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.parameters}


class StarterError(ValueError):
    """A starter file that is not usable, or parameters that are not valid."""


def load_starter(path: Path, blank: bool = False) -> Starter:
    data, _ = yaml_io.load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("starter"), dict) \
            or not isinstance(data.get("guide"), dict):
        raise StarterError(f"{path.name}: needs a 'starter' and a 'guide' mapping")
    meta = data["starter"]
    params = tuple(
        StarterParam(str(p["name"]), str(p.get("label", p["name"])), p.get("default", ""),
                     str(p.get("help", "")), str(p.get("type", "text")),
                     str(p["attribute"]) if p.get("attribute") else None,
                     str(p["of_type"]) if p.get("of_type") else None)
        for p in meta.get("parameters") or ()
    )
    return Starter(id=path.stem, name=str(meta["name"]), description=str(meta["description"]),
                   kind=str(meta.get("kind", data["guide"].get("kind", ""))),
                   parameters=params, guide=data["guide"], order=int(meta.get("order", 100)),
                   icon=str(meta["icon"]) if meta.get("icon") else None, path=path,
                   blank=blank)


def list_starters(directory: Path | None = None) -> list[Starter]:
    """Every starter, in gallery order (their ``order``, then name)."""
    folder = directory or STARTERS_DIR
    starters = [load_starter(p) for p in sorted(folder.glob("*.yaml"))]
    return sorted(starters, key=lambda s: (s.order, s.name))


def list_blank_starters(directory: Path | None = None) -> list[Starter]:
    """The blank starter of every guide kind, in the order the "New guide" menu lists them.

    They live apart from the plays: a blank guide asks nothing and teaches no
    play, it is where a marketer who knows what they want starts writing.
    """
    folder = directory or BLANK_DIR
    starters = [load_starter(p, blank=True) for p in sorted(folder.glob("*.yaml"))]
    return sorted(starters, key=lambda s: (s.order, s.name))


def blank_starter(kind: str) -> Starter:
    """The blank starter of ``kind`` (one of ``model.GUIDE_KINDS``)."""
    path = BLANK_DIR / f"{kind}.yaml"
    if not path.is_file():
        raise StarterError(f"there is no blank {kind}")
    return load_starter(path, blank=True)


# --- parameters -----------------------------------------------------------------------


def param_error(param: StarterParam, value: Any) -> str | None:
    """Why ``value`` cannot be used for ``param``, in words for the form; None if fine."""
    text = format_scalar(value) if not isinstance(value, str) else value
    if not text.strip():
        return f"{param.label} is required"
    if param.type == "number":
        return None if parse_number(text) is not None else f"{param.label}: enter a number"
    if param.type == "url":
        if any(c.isspace() for c in text.strip()):
            return f"{param.label}: a link cannot contain spaces"
        return None if is_safe_url(text.strip()) else (
            f"{param.label}: use an https:, http: or mailto: link, or a path such as /billing")
    if param.type == "event":
        return None if _EVENT_RE.fullmatch(text.strip()) else (
            f"{param.label}: an event name is letters, digits and _ . : - (e.g. plan_upgraded)")
    if param.type == "attribute":
        return None if _ATTRIBUTE_RE.fullmatch(text.strip()) else (
            f"{param.label}: an attribute name such as plan or account.age_days")
    if param.type == "selector":
        error = selector_error(text.strip())
        return f"{param.label} {error}" if error else None
    return None


def check_params(starter: Starter, params: dict[str, Any]) -> dict[str, str]:
    """Problems by parameter name (empty when every value can be used)."""
    values = {**starter.defaults(), **params}
    found = {}
    for param in starter.parameters:
        error = param_error(param, values.get(param.name))
        if error:
            found[param.name] = error
    return found


def _typed(param: StarterParam, value: Any) -> Any:
    """The value as data: numbers for number parameters, trimmed names for
    names and links, and text exactly as typed."""
    if param.type == "number":
        number = value if type(value) in (int, float) else parse_number(str(value))
        return number
    if param.type == "text":
        return value if isinstance(value, str) else format_scalar(value)
    return (value if isinstance(value, str) else format_scalar(value)).strip()


def _substitute(data: Any, typed: dict[str, Any], texts: dict[str, str]) -> Any:
    if isinstance(data, str):
        whole = _WHOLE_PLACEHOLDER.fullmatch(data)
        if whole and whole.group(1) in typed:
            return typed[whole.group(1)]
        return _Braced(data).safe_substitute(texts)
    if isinstance(data, list):
        return [_substitute(item, typed, texts) for item in data]
    if isinstance(data, dict):
        return {(_Braced(k).safe_substitute(texts) if isinstance(k, str) else k):
                _substitute(v, typed, texts) for k, v in data.items()}
    return data


def placeholders(data: Any) -> set[str]:
    """Every ``${name}`` a starter's guide uses (for checking starter files)."""
    found: set[str] = set()
    if isinstance(data, str):
        found.update(m.group("braced") for m in _Braced.pattern.finditer(data)
                     if m.group("braced"))
    elif isinstance(data, list):
        for item in data:
            found |= placeholders(item)
    elif isinstance(data, dict):
        for key, value in data.items():
            found |= placeholders(key) | placeholders(value)
    return found


# --- offering values in the author's words ------------------------------------------------


def _attribute_choices(param: StarterParam, project: Project) -> list[ParamChoice]:
    infos = catalogue.attribute_infos(project.settings.attributes, project.profiles)
    wanted = {param.of_type, "behaviour"} if param.of_type == "number" else {param.of_type}
    return [ParamChoice(key, info.label or catalogue.default_label(key), key)
            for key, info in infos.items() if param.of_type is None or info.type in wanted]


def _event_choices(project: Project) -> list[ParamChoice]:
    names = catalogue.events_used(project)
    for entry in project.settings.attributes:
        counter = catalogue.event_counter(entry.key)
        if counter is not None and counter[0] not in names:
            names.append(counter[0])
    return [ParamChoice(name, catalogue.event_label(name), name) for name in names]


def _value_choices(param: StarterParam, project: Project) -> list[ParamChoice]:
    if param.attribute is None:
        return []
    entry = catalogue.find(project.settings.attributes, param.attribute)
    values: list[Any] = list(entry.allowed) if entry is not None else []
    if not values:  # no closed list: what the sample profiles hold
        for profile in project.profiles:
            node: Any = profile.attributes
            for part in param.attribute.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            if isinstance(node, (str, int, float)) and not isinstance(node, bool) \
                    and node not in values:
                values.append(node)
    return [ParamChoice(format_scalar(v), format_scalar(v)) for v in values]


def param_choices(param: StarterParam, project: Project) -> list[ParamChoice]:
    """What the gallery offers for ``param`` in ``project``: attributes by their
    catalogue label, events in words, an attribute's allowed values; empty for
    parameters typed freely (texts, numbers, links, selectors). The author may
    still type something else: a new event, an attribute the product will send."""
    if param.type == "attribute":
        return _attribute_choices(param, project)
    if param.type == "event":
        return _event_choices(project)
    if param.type == "value":
        return _value_choices(param, project)
    return []


def choice_label(choices: list[ParamChoice], value: Any) -> str:
    """How a parameter's value is shown: its choice's label, else the value."""
    text = value if isinstance(value, str) else format_scalar(value)
    return next((c.label for c in choices if c.value == text), text)


def choice_value(choices: list[ParamChoice], text: str) -> str:
    """The value for what the author typed or picked: a choice's label or key
    (any case) stands for its value; anything else is taken as typed."""
    wanted = text.strip().casefold()
    for choice in choices:
        if wanted in (choice.label.casefold(), choice.value.casefold()):
            return choice.value
    return text


def param_help(param: StarterParam, project: Project) -> str:
    """The parameter's help, naming the attribute whose values it offers by its label."""
    if param.type == "value" and param.attribute:
        label = catalogue.label_of(project, param.attribute)
        return f"{param.help} One of the values of {label}.".strip()
    return param.help


# --- the new guide ----------------------------------------------------------------------


def unique_guide_id(base: str, taken: set[str] | Any) -> str:
    """``base``, or ``base-2``, ``base-3``… — the first not in ``taken``."""
    return unique_id(base, taken, _ID_MAX)


def _localized(guide: Guide) -> Iterator[tuple[Any, str]]:
    """(object, field name) of every translatable text in a guide."""
    for variant in guide.variants:
        for step in variant.steps:
            yield step, "title"
            yield step, "body"
            if step.image is not None:
                yield step.image, "alt"
            for button in step.buttons:
                yield button, "label"
            for item in step.items:
                yield item, "label"
                yield item, "description"
            if step.survey is not None:
                for name in ("question", "low_label", "high_label", "comment_label",
                             "thank_you"):
                    yield step.survey, name


def _fit_locales(guide: Guide, project: Project) -> None:
    """Keep the translations the project uses. A project that shares no locale
    with the starter gets the English text under its default locale, ready to
    translate, rather than a guide with no text at all."""
    wanted = list(project.settings.locales or [project.settings.default_locale])
    for obj, name in _localized(guide):
        text = getattr(obj, name)
        if not text:
            continue
        kept = {loc: text[loc] for loc in wanted if loc in text}
        if not kept:
            kept = {project.settings.default_locale: text.get("en", next(iter(text.values())))}
        setattr(obj, name, kept)


def instantiate(starter: Starter, params: dict[str, Any], project: Project) -> Guide:
    """A new draft guide from ``starter`` with ``params`` filled in (missing
    ones take their defaults), an id not yet used in ``project``, and the
    project's locales. Raises ``StarterError`` listing invalid parameters, or
    the schema problem when a value makes the guide invalid (e.g. too long)."""
    values = {**starter.defaults(), **params}
    problems = check_params(starter, values)
    if problems:
        raise StarterError("; ".join(problems.values()))
    typed = {p.name: _typed(p, values[p.name]) for p in starter.parameters}
    texts = {name: format_scalar(value) for name, value in typed.items()}
    data = _substitute(copy.deepcopy(starter.guide), typed, texts)
    data["id"] = unique_guide_id(str(data.get("id") or starter.id), set(project.guides))
    data["status"] = "draft"
    guide = from_dict(Guide, data)
    _fit_locales(guide, project)
    errors = schemas.validate("guide", to_dict(guide))
    if errors:  # e.g. a name made too long by a parameter: say which field, create nothing
        raise StarterError("; ".join(f"{schemas.format_path(path)}: {message}"
                                     for path, message in errors[:3]))
    return guide
