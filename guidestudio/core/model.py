"""The project model: plain dataclasses, one per thing a marketer edits.

Plain data, no behaviour and no Qt, so the CLI, the compiler, the simulator and
the editor share it, and tests can build one in a line. ``None`` and empty lists
mean "not set in the file": ``to_dict`` leaves them out, so a saved file holds
exactly what the author chose and ``from_dict(to_dict(x)) == x``.

Field order is the order keys are written to YAML (the schema's order), which
keeps saved files stable and readable.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

LocalizedText = dict[str, str]
Condition = dict[str, Any]

GUIDE_KINDS = ("tooltip", "modal", "walkthrough", "banner", "hotspot", "checklist", "survey")
STATUSES = ("draft", "staged", "live", "archived")
ACTIONS = ("next", "back", "dismiss", "snooze", "complete", "url", "event", "guide")
TRIGGERS = ("page_view", "click", "event", "delay")
PLACEMENTS = ("top", "bottom", "left", "right", "auto")
IF_MISSING = ("skip", "wait", "modal")
OUTCOMES = ("dismissed", "completed", "cta_clicked", "snoozed", "goal_reached")

Kind = Literal["tooltip", "modal", "walkthrough", "banner", "hotspot", "checklist", "survey"]
Status = Literal["draft", "staged", "live", "archived"]


@dataclass
class Anchor:
    selector: str
    placement: str | None = None
    offset: int | None = None


@dataclass
class Image:
    src: str
    alt: LocalizedText = field(default_factory=dict)


@dataclass
class Button:
    label: LocalizedText
    action: str
    style: str | None = None
    url: str | None = None
    new_tab: bool | None = None
    event: str | None = None
    guide: str | None = None
    hours: float | None = None


@dataclass
class ChecklistItem:
    id: str
    label: LocalizedText
    event: str
    description: LocalizedText | None = None
    due_days: int | None = None
    url: str | None = None

    KEY_ORDER: typing.ClassVar[tuple[str, ...]] = (
        "id", "label", "description", "event", "due_days", "url",
    )


@dataclass
class Survey:
    question: LocalizedText
    type: str | None = None
    low_label: LocalizedText | None = None
    high_label: LocalizedText | None = None
    comment_label: LocalizedText | None = None
    thank_you: LocalizedText | None = None

    KEY_ORDER: typing.ClassVar[tuple[str, ...]] = (
        "type", "question", "low_label", "high_label", "comment_label", "thank_you",
    )


@dataclass
class Step:
    id: str | None = None
    layout: str | None = None
    title: LocalizedText | None = None
    body: LocalizedText | None = None
    image: Image | None = None
    anchor: Anchor | None = None
    if_missing: str | None = None
    wait_seconds: float | None = None
    buttons: list[Button] = field(default_factory=list)
    items: list[ChecklistItem] = field(default_factory=list)
    survey: Survey | None = None


@dataclass
class Variant:
    key: str
    steps: list[Step] = field(default_factory=list)
    name: str | None = None
    weight: float | None = None

    KEY_ORDER: typing.ClassVar[tuple[str, ...]] = ("key", "name", "weight", "steps")


@dataclass
class Audience:
    segments: list[str] = field(default_factory=list)
    conditions: Condition | None = None


@dataclass
class Trigger:
    on: str = "page_view"
    url: str | None = None
    selector: str | None = None
    event: str | None = None
    seconds: float | None = None


@dataclass
class Schedule:
    start: str | None = None
    end: str | None = None
    timezone: str | None = None


@dataclass
class Frequency:
    max_shows: int | None = None
    cooldown_hours: float | None = None
    stop_after: list[str] = field(default_factory=list)


@dataclass
class Goal:
    event: str
    within_days: int | None = None


@dataclass
class Experiment:
    key: str
    seed: str | None = None
    coverage: float | None = None
    control_weight: float | None = None
    namespace: list[Any] | None = None


@dataclass
class Display:
    position: str | None = None
    push: bool | None = None
    backdrop: bool | None = None
    close_button: bool | None = None
    width: int | None = None


@dataclass
class Guide:
    id: str
    name: str
    kind: str
    status: str = "draft"
    variants: list[Variant] = field(default_factory=list)
    description: str | None = None
    priority: int | None = None
    theme: str | None = None
    exempt_from_throttle: bool | None = None
    audience: Audience | None = None
    trigger: Trigger | None = None
    schedule: Schedule | None = None
    frequency: Frequency | None = None
    goal: Goal | None = None
    experiment: Experiment | None = None
    display: Display | None = None
    schema_version: int = 1
    #: Which English each translation was made from: ``{locale: {text key: source hash}}``
    #: (``core/l10n``, docs/translation.md). Not in bundles; last in the file, so an
    #: import adds lines at the end and never moves the texts.
    translated_from: dict[str, dict[str, str]] | None = None

    # Written in this order; the schema lists properties the same way.
    KEY_ORDER: typing.ClassVar[tuple[str, ...]] = (
        "schema_version", "id", "name", "description", "kind", "status", "priority", "theme",
        "exempt_from_throttle", "audience", "trigger", "schedule", "frequency", "goal",
        "experiment", "display", "variants", "translated_from",
    )


@dataclass
class Segment:
    id: str
    name: str
    condition: Condition = field(default_factory=dict)
    description: str | None = None
    schema_version: int = 1

    KEY_ORDER: typing.ClassVar[tuple[str, ...]] = (
        "schema_version", "id", "name", "description", "condition",
    )


@dataclass
class Theme:
    id: str
    name: str
    colors: dict[str, str] | None = None
    font: dict[str, Any] | None = None
    radius: float | None = None
    shadow: str | None = None
    z_index: int | None = None
    schema_version: int = 1

    KEY_ORDER: typing.ClassVar[tuple[str, ...]] = (
        "schema_version", "id", "name", "colors", "font", "radius", "shadow", "z_index",
    )


@dataclass
class Profile:
    id: str
    attributes: dict[str, Any] = field(default_factory=dict)
    name: str | None = None
    events: dict[str, dict[str, int]] | None = None

    KEY_ORDER: typing.ClassVar[tuple[str, ...]] = ("id", "name", "attributes", "events")


@dataclass
class Throttle:
    min_minutes_between: int | None = None
    max_per_session: int | None = None
    max_per_day: int | None = None


@dataclass
class Attribute:
    """One user attribute the product sends, as the project's catalogue describes it.

    The catalogue is for authors only (labels in the rule builder, sentences in
    the verdict and in Problems): nothing of it reaches a bundle. ``type`` is
    one of the rule builder's types (``core/rules/types.py``); ``allowed``
    lists the only values the product sends, e.g. the plans.
    """

    key: str
    label: str | None = None
    type: str | None = None
    unit: str | None = None
    allowed: list[Any] = field(default_factory=list)
    description: str | None = None

    KEY_ORDER: typing.ClassVar[tuple[str, ...]] = (
        "key", "label", "type", "unit", "allowed", "description",
    )


@dataclass
class Settings:
    """``guidestudio.yaml``: what applies to every guide of the project."""

    id: str
    name: str
    default_locale: str = "en"
    locales: list[str] = field(default_factory=lambda: ["en"])
    hash_attribute: str | None = None
    theme: str | None = None
    timezone: str | None = None
    asset_base_url: str | None = None
    environments: list[str] = field(default_factory=list)
    throttle: Throttle | None = None
    attributes: list[Attribute] = field(default_factory=list)
    schema_version: int = 1

    KEY_ORDER: typing.ClassVar[tuple[str, ...]] = (
        "schema_version", "id", "name", "default_locale", "locales", "hash_attribute", "theme",
        "timezone", "asset_base_url", "environments", "throttle", "attributes",
    )


@dataclass
class Project:
    """A whole project folder. Entities are keyed by id; ``root`` is where it lives."""

    settings: Settings
    guides: dict[str, Guide] = field(default_factory=dict)
    segments: dict[str, Segment] = field(default_factory=dict)
    themes: dict[str, Theme] = field(default_factory=dict)
    profiles: list[Profile] = field(default_factory=list)
    root: Path | None = None

    @property
    def hash_attribute(self) -> str:
        return self.settings.hash_attribute or "id"

    @property
    def timezone(self) -> str:
        return self.settings.timezone or "UTC"


# --- dict conversion -------------------------------------------------------------

T = TypeVar("T")


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _identity(value: Any) -> Any:
    return value


@functools.cache
def _converter(tp: Any) -> Callable[[Any], Any]:
    """A function building ``tp`` from schema-valid plain data, made once per type.

    Loading 2,000 guides calls this machinery ~1.5 million times; resolving the
    type hints once per class instead of per value makes loading ~3x faster.
    """
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(tp) if a is not type(None)]
        return _converter(inner[0]) if len(inner) == 1 else _identity
    if dataclasses.is_dataclass(tp):
        return _dataclass_builder(tp)  # type: ignore[arg-type]
    if origin is list:
        (item_tp,) = get_args(tp) or (Any,)
        item = _converter(item_tp)
        if item is _identity:
            return _identity
        return lambda value: [item(v) for v in value] if isinstance(value, list) else value
    return _identity


@functools.cache
def _dataclass_builder(cls: type) -> Callable[[Any], Any]:
    """``build(data)``: ``cls`` from a mapping, its fields converted (see ``_converter``).

    Generated as straight-line code per class: no loop over the fields, no
    keyword dict, one positional call. A missing field without a default (the
    schema requires those) goes through ``_generic_builder`` to fail the same way.
    """
    fields = dataclasses.fields(cls)
    if any(not f.init or f.kw_only for f in fields):
        return _generic_builder(cls)
    hints = _hints(cls)
    env: dict[str, Any] = {"cls": cls, "generic": _generic_builder(cls), "MISSING": _MISSING}
    required = [f.name for f in fields
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    lines = ["def build(data):", "    if not isinstance(data, dict):", "        return data"]
    if required:
        test = " or ".join(f"{name!r} not in data" for name in required)
        lines += [f"    if {test}:", "        return generic(data)"]
    lines.append("    get = data.get")
    for i, f in enumerate(fields):
        convert = _converter(hints[f.name])
        env[f"c{i}"] = convert
        value = f"v{i}"
        if f.default_factory is not dataclasses.MISSING:
            # Missing, or None in the file: the empty default, as for a missing key.
            env[f"f{i}"] = f.default_factory
            converted = value if convert is _identity else f"c{i}({value})"
            lines += [f"    {value} = get({f.name!r})",
                      f"    {value} = f{i}() if {value} is None else {converted}"]
            continue
        if f.default is dataclasses.MISSING:
            lines.append(f"    {value} = data[{f.name!r}]")
            if convert is not _identity:
                lines += [f"    if {value} is not None:", f"        {value} = c{i}({value})"]
            continue
        env[f"d{i}"] = f.default
        if convert is _identity:
            lines.append(f"    {value} = get({f.name!r}, d{i})")
        else:
            lines += [f"    {value} = get({f.name!r}, MISSING)",
                      f"    if {value} is MISSING:", f"        {value} = d{i}",
                      f"    elif {value} is not None:", f"        {value} = c{i}({value})"]
    lines.append(f"    return cls({', '.join(f'v{i}' for i in range(len(fields)))})")
    exec("\n".join(lines), env)  # noqa: S102 - code built above from field names only
    return env["build"]  # type: ignore[no-any-return]


_MISSING = object()


@functools.cache
def _generic_builder(cls: type) -> Callable[[Any], Any]:
    hints = _hints(cls)
    fields = dataclasses.fields(cls)
    converters = [(f.name, _converter(hints[f.name])) for f in fields]
    list_defaults = [f.name for f in fields if f.default_factory is not dataclasses.MISSING]

    def build(data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        kwargs = {}
        for name, convert in converters:
            if name in data:
                value = data[name]
                kwargs[name] = None if value is None else convert(value)
        obj = cls(**kwargs)
        for name in list_defaults:
            # An explicit empty list in the file and a missing key mean the same thing.
            if getattr(obj, name) is None:
                setattr(obj, name, next(f for f in fields if f.name == name).default_factory())
        return obj

    return build


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Construct a model object; unknown keys are ignored (the schema reports them)."""
    return _dataclass_builder(cls)(data)  # type: ignore[no-any-return]


def plain_data(value: Any) -> Any:
    """``value`` as plain data sharing nothing mutable with it: model objects become
    dicts (``to_dict``), lists and dicts are copied all the way down.

    The one walker from model values to what a file or a bundle holds: saving,
    the editor's schema check of an edit, and the compiler's copies of
    conditions (a bundle must not share objects with the model) all use it.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_dict(value)
    if isinstance(value, list):
        return [plain_data(v) for v in value]
    if isinstance(value, dict):
        return {k: plain_data(v) for k, v in value.items()}
    return value


def _is_empty(value: Any) -> bool:
    # Empty lists are "not set"; an empty mapping is kept because for conditions
    # `{}` (everyone) is a deliberate value that must survive a save.
    return value is None or (isinstance(value, list) and not value)


def to_dict(obj: Any) -> dict[str, Any]:
    """Plain data in the canonical key order; unset (None / empty list) fields are left out."""
    names = getattr(obj, "KEY_ORDER", None) or [f.name for f in dataclasses.fields(obj)]
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(obj, name)
        if _is_empty(value):
            continue
        out[name] = plain_data(value)
    return out
