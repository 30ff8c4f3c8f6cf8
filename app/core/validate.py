"""Semantic validation: what is wrong with a project that the JSON Schema cannot see.

The schema checks each file alone (types, required fields, allowed values). It
cannot know that a guide names a segment that does not exist, that a schedule
ends before it starts, that a selector would make ``querySelector`` throw in the
product, or that a link would run JavaScript. Those are checked here, on the
loaded model, and reported as Problems pointing at the file, line and dotted
field the author has to change, with a message that says what is wrong *and*
what to do about it.

Rules never raise: each group of rules runs, per guide, inside a guard, so a
bug in one rule becomes one ``internal`` Problem naming the guide (and is
logged) while every other check still runs. Anything expensive (selectors,
regular expressions, time zones, image paths, Markdown) is cached, so a project
of thousands of guides validates in well under a second.
"""

from __future__ import annotations

import difflib
import functools
import logging
import math
import re
import warnings
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from functools import partial
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, TypeVar

from app.core import audience_checks, markdown_text, targeting
from app.core.markdown_text import is_safe_url
from app.core.model import Guide, Project, Step
from app.core.problems import Problem, Severity
from app.core.project_io import FOLDERS, PROJECT_FILE, ProjectFiles
from app.core.schemas import format_path

log = logging.getLogger(__name__)

FieldPath = tuple[Any, ...]
T = TypeVar("T")

SAFE_SCHEMES = "https, http, mailto or a relative path"
ANCHORED_KINDS = ("tooltip", "hotspot")
FINISH_ACTIONS = ("complete", "dismiss")
# Which trigger fields each ``on`` uses; ``url`` limits every trigger to some pages.
TRIGGER_FIELDS: dict[str, tuple[str, ...]] = {
    "page_view": ("url",),
    "click": ("url", "selector"),
    "event": ("url", "event"),
    "delay": ("url", "seconds"),
}
_OPTIONAL_TRIGGER_FIELDS = ("selector", "event", "seconds")
_DAY_MINUTES = 24 * 60


# --- cached checks of single values -------------------------------------------------


@functools.cache
def _soupsieve() -> Any:
    """soupsieve, imported on first use (it pulls in bs4); None, loudly, if missing."""
    try:
        import soupsieve
    except ImportError as exc:  # pragma: no cover - a declared dependency
        log.warning("CSS selectors are not checked: %s (pip install soupsieve beautifulsoup4)",
                    exc)
        return None
    return soupsieve


@functools.lru_cache(maxsize=8192)
def selector_error(selector: str) -> str | None:
    """Why a browser's ``querySelector`` would reject ``selector``, or None.

    soupsieve parses CSS the way browsers do, but it also accepts a few
    Python-only extensions (``:contains()``, ``:-soup-…``) that would make the
    product's ``querySelector`` throw, so those are refused too.
    """
    if not selector.strip():
        return "is empty; write a CSS selector such as #storage-meter or .upgrade-button"
    soupsieve = _soupsieve()
    if soupsieve is None:  # pragma: no cover - a declared dependency
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            soupsieve.compile(selector)
    except soupsieve.SelectorSyntaxError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else "syntax error"
        return f"is not a valid CSS selector ({reason}); fix it or pick the element again"
    except NotImplementedError:
        return ("uses a pseudo-element such as ::before, which a guide cannot attach to; "
                "select the element itself")
    except Exception as exc:  # soupsieve may raise other errors on odd input
        return f"is not a valid CSS selector ({exc}); fix it or pick the element again"
    if re.search(r":(?:-soup-[\w-]+|contains)\(", selector):
        return ("uses :contains(), which browsers do not support; select the element by "
                "id, class or attribute instead")
    return None


@functools.lru_cache(maxsize=4096)
def _regex_error(pattern: str, insensitive: bool) -> str | None:
    return targeting.js_regex_error(pattern, insensitive)


@functools.lru_cache(maxsize=512)
def _zone(name: str) -> tzinfo | None:
    """The time zone called ``name``, or None if there is no such zone."""
    if not name or name != name.strip():
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError, TypeError):
        return None


@functools.cache
def _zone_names() -> tuple[str, ...]:
    """All known zone names; empty where the system has no time zone database."""
    try:
        return tuple(sorted(zoneinfo.available_timezones()))
    except OSError:  # pragma: no cover
        return ()


def _timezone_error(name: Any) -> str | None:
    if not isinstance(name, str):
        return "must be a time zone name such as Europe/Paris"
    if _zone(name) is not None:
        return None
    known = _zone_names()
    if not known:  # no database to check against: do not cry wolf
        return None
    by_lower = {n.lower(): n for n in known}
    close = [by_lower[name.lower()]] if name.lower() in by_lower else difflib.get_close_matches(
        name, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return (f"{name!r} is not a time zone name{hint}; use an IANA name such as "
            f"Europe/Paris, America/New_York or UTC")


def _parse_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def _did_you_mean(name: Any, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(name), sorted(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _scheme(url: str) -> str:
    match = re.match(r"^\s*([A-Za-z][A-Za-z0-9+.\s-]*):", url)
    return match.group(1).lower().replace(" ", "") if match else url.split(":", 1)[0]


def _unsafe_links(text: str) -> tuple[str, ...]:
    """Link targets in Markdown ``text`` that ``is_safe_url`` (the compiler's rule) refuses."""
    if ":" not in text and "&" not in text:  # no scheme is possible, even entity-encoded
        return ()
    # The compiler's own render, cached: the same parse serves validation and export.
    return markdown_text.render(text).refused_links


# --- condition walking --------------------------------------------------------------


def _resolve_dotted(data: Any, dotted: str) -> FieldPath | None:
    """Turn targeting's dotted location (``$or.1.plan.$regx``) back into a path.

    Attribute names may themselves contain dots (``account.plan``), so keys are
    matched against the data, longest first, rather than split blindly.
    """
    if dotted == "":
        return ()
    if isinstance(data, Mapping):
        for key in sorted(data, key=lambda k: -len(str(k))):
            name = str(key)
            if dotted == name:
                return (key,)
            if dotted.startswith(name + "."):
                rest = _resolve_dotted(data[key], dotted[len(name) + 1:])
                if rest is not None:
                    return (key, *rest)
    elif isinstance(data, list):
        head, _, tail = dotted.partition(".")
        if head.isdigit() and int(head) < len(data):
            rest = _resolve_dotted(data[int(head)], tail) if tail else ()
            if rest is not None:
                return (int(head), *rest)
    return None


def _is_operator_object(value: Any) -> bool:
    return isinstance(value, Mapping) and bool(value) and all(
        isinstance(k, str) and k.startswith("$") for k in value)


def _regex_sites(condition: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str, Any]]:
    """Every ``$regex``/``$regexi`` in a condition, following GrowthBook's grammar."""
    if not isinstance(condition, Mapping):
        return
    for key, value in condition.items():
        here = (*path, key)
        if key in ("$and", "$or", "$nor") and isinstance(value, list):
            for i, sub in enumerate(value):
                yield from _regex_sites(sub, (*here, i))
        elif key == "$not":
            yield from _regex_sites(value, here)
        else:
            yield from _regex_in_value(value, here)


def _regex_in_value(value: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str, Any]]:
    if not _is_operator_object(value):
        return
    for op, expected in value.items():
        here = (*path, op)
        if op in ("$regex", "$regexi"):
            yield here, op, expected
        elif op in ("$not", "$size"):
            yield from _regex_in_value(expected, here)
        elif op == "$elemMatch":
            if _is_operator_object(expected):
                yield from _regex_in_value(expected, here)
            else:
                yield from _regex_sites(expected, here)
        elif op in ("$all", "$alli") and isinstance(expected, list):
            for i, item in enumerate(expected):
                yield from _regex_in_value(item, (*here, i))


# --- reporting ----------------------------------------------------------------------


@dataclass
class _Reporter:
    """Collects Problems for one file, turning field paths into lines and dotted names."""

    files: ProjectFiles
    file: str
    out: list[Problem] = field(default_factory=list)

    def add(self, path: FieldPath, code: str, message: str,
            severity: Severity = "error") -> None:
        self.out.append(Problem(self.file, self.files.locate(self.file, path),
                                format_path(path), message, severity, code))

    def warn(self, path: FieldPath, code: str, message: str) -> None:
        self.add(path, code, message, "warning")


@dataclass
class _Context:
    """Project-wide facts every rule needs, computed once."""

    project: Project
    files: ProjectFiles
    locales: tuple[str, ...] | None  # None when guidestudio.yaml is broken: unknown
    root_real: Path | None
    broken_ids: dict[str, set[str]]
    image_cache: dict[str, list[tuple[str, str, Severity]]] = field(default_factory=dict)

    @classmethod
    def build(cls, project: Project, files: ProjectFiles) -> _Context:
        broken: dict[str, set[str]] = {folder: set() for folder in FOLDERS}
        for rel in files.broken:
            folder, _, name = rel.partition("/")
            if folder in broken and name:
                broken[folder].add(name.rsplit(".", 1)[0])
        locales = None if PROJECT_FILE in files.broken else tuple(project.settings.locales or ())
        root_real = None
        if project.root is not None:
            try:
                root_real = Path(project.root).resolve()
            except (OSError, RuntimeError):
                root_real = None
        return cls(project, files, locales, root_real, broken)

    def missing_ref(self, folder: str, ref: str, what: str, known: Mapping[str, Any]) -> str:
        """Message for a reference to an entity that is not in the model."""
        if ref in self.broken_ids.get(folder, ()):
            return (f"{what} {ref!r} could not be loaded because {folder}/{ref}.yaml has "
                    f"errors; fix that file first")
        return (f"there is no {what} {ref!r}{_did_you_mean(ref, set(known))}; pick an existing "
                f"{what} or create {folder}/{ref}.yaml")


# --- settings and segments ----------------------------------------------------------


def _check_settings(ctx: _Context, r: _Reporter) -> None:
    settings = ctx.project.settings
    if settings.default_locale not in (settings.locales or []):
        r.add(("default_locale",), "default-locale",
              f"the default locale {settings.default_locale!r} is not in locales "
              f"({', '.join(settings.locales or [])}); add it to locales or pick one of them")
    if settings.hash_attribute is not None and not str(settings.hash_attribute).strip():
        r.add(("hash_attribute",), "hash-attribute",
              "hash_attribute is empty, so no user could be assigned to an A/B variant; "
              "name the user attribute to split on (usually id) or remove the field")
    if settings.theme is not None and settings.theme not in ctx.project.themes:
        r.add(("theme",), "unknown-theme",
              ctx.missing_ref("themes", settings.theme, "theme", ctx.project.themes))
    if settings.timezone is not None:
        error = _timezone_error(settings.timezone)
        if error:
            r.add(("timezone",), "unknown-timezone", error)
    _check_throttle(ctx, r)


def _check_throttle(ctx: _Context, r: _Reporter) -> None:
    throttle = ctx.project.settings.throttle
    if throttle is None:
        return
    gap, session, day = throttle.min_minutes_between, throttle.max_per_session, throttle.max_per_day
    for name, value, low in (("min_minutes_between", gap, 0), ("max_per_session", session, 1),
                             ("max_per_day", day, 1)):
        if value is not None and (not _is_number(value) or value < low):
            r.add(("throttle", name), "throttle",
                  f"{name} must be a whole number of at least {low}, found {value!r}")
            return
    if session is not None and day is not None and session > day:
        r.warn(("throttle", "max_per_session"), "throttle",
               f"max_per_session ({session}) is more than max_per_day ({day}), so the "
               f"session limit never applies; lower it to {day} or raise max_per_day")
    if gap and day is not None and day > 1 and gap * (day - 1) >= _DAY_MINUTES:
        fits = 1 + (_DAY_MINUTES - 1) // gap
        r.warn(("throttle", "max_per_day"), "throttle",
               f"with {gap} minutes between guides at most {fits} fit in a day, so "
               f"max_per_day ({day}) is never reached; shorten min_minutes_between or "
               f"lower max_per_day")


def _check_condition(r: _Reporter, condition: Any, base: FieldPath) -> None:
    """Unknown operators and regular expressions JavaScript would reject."""
    if not isinstance(condition, Mapping):
        return
    known = targeting.known_operators()
    for where in targeting.unknown_operators(condition):
        op = where.rsplit(".", 1)[-1]
        path = _resolve_dotted(condition, where)
        r.add((*base, *path) if path is not None else base, "unknown-operator",
              f"unknown condition operator {op!r}{_did_you_mean(op, set(known))}; this rule "
              f"would never match anyone. Use a GrowthBook operator such as $eq, $in, $gte "
              f"or $regex")
    for path, op, pattern in _regex_sites(condition, ()):
        if not isinstance(pattern, str):
            r.add((*base, *path), "regex", f"{op} needs a regular expression written as text")
            continue
        error = _regex_error(pattern, op == "$regexi")
        if error:
            r.add((*base, *path), "regex",
                  f"the regular expression {pattern!r} will not work in the product: {error}; "
                  f"rewrite it in JavaScript syntax (for case-insensitive matching use "
                  f"$regexi instead of (?i))")


def _check_segment(ctx: _Context, segment_id: str, r: _Reporter, used: set[str] | None) -> None:
    segment = ctx.project.segments[segment_id]
    _check_condition(r, segment.condition, ("condition",))
    if used is not None and segment_id not in used:
        r.warn(("id",), "unused-segment",
               f"segment {segment_id!r} is not used by any guide; add it to a guide's "
               f"audience or delete it")


# --- guides ------------------------------------------------------------------------


def _localized_texts(guide: Guide) -> Iterator[tuple[FieldPath, Any]]:
    """Every translatable text of a guide with its field path."""
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
                for name in ("question", "low_label", "high_label", "comment_label",
                             "thank_you"):
                    text = getattr(step.survey, name)
                    if text is not None:
                        yield (*base, "survey", name), text


def _check_texts(ctx: _Context, guide: Guide, r: _Reporter) -> None:
    locales = ctx.locales
    locale_set = set(locales or ())
    for path, text in _localized_texts(guide):
        if not isinstance(text, Mapping):
            continue
        for locale, value in text.items():
            if isinstance(value, str):
                for target in _unsafe_links(value):
                    r.add((*path, locale), "unsafe-url",
                          f"the link to {target!r} uses the {_scheme(target)!r} scheme, which "
                          f"could run code in your product; it will be shown as plain text. "
                          f"Use {SAFE_SCHEMES}")
        if locales is None:
            continue
        missing = [loc for loc in locales
                   if not (isinstance(text.get(loc), str) and text[loc].strip())]
        if missing:
            r.warn(path, "missing-translation",
                   f"missing translation for {', '.join(missing)}; add the text for "
                   f"{'that locale' if len(missing) == 1 else 'those locales'}")
        for locale in text:
            if locale not in locale_set:
                r.warn((*path, locale), "unknown-locale",
                       f"{locale!r} is not one of the project's locales "
                       f"({', '.join(locales)}){_did_you_mean(str(locale), locale_set)}; "
                       f"fix the locale or add it to locales in guidestudio.yaml")


def _check_audience(ctx: _Context, guide: Guide, r: _Reporter) -> None:
    audience = guide.audience
    if audience is None:
        return
    for i, segment_id in enumerate(audience.segments):
        if segment_id not in ctx.project.segments:
            r.add(("audience", "segments", i), "unknown-segment",
                  ctx.missing_ref("segments", segment_id, "segment", ctx.project.segments))
    _check_condition(r, audience.conditions, ("audience", "conditions"))


def _check_experiment(guide: Guide, r: _Reporter) -> None:
    variants = guide.variants
    if not variants:
        r.add(("variants",), "no-variants",
              "the guide has no variants, so there is nothing to show; add a variant with "
              "at least one step")
    seen: dict[str, int] = {}
    for i, variant in enumerate(variants):
        if variant.key in seen:
            r.add(("variants", i, "key"), "duplicate-variant",
                  f"variant key {variant.key!r} is used twice (also variants[{seen[variant.key]}]);"
                  f" give each variant its own key")
        else:
            seen[variant.key] = i
        weight = variant.weight
        if weight is not None and not (_is_number(weight) and math.isfinite(weight)
                                       and weight > 0):
            r.add(("variants", i, "weight"), "variant-weight",
                  f"variant weight must be a positive number, found {weight!r}; use e.g. 1 "
                  f"for an even split")
    experiment = guide.experiment
    if experiment is None:
        if len(variants) > 1:
            r.warn(("variants",), "variants-without-experiment",
                   f"the guide has {len(variants)} variants but no experiment, so only the "
                   f"first variant ({variants[0].key!r}) is ever shown; add an experiment to "
                   f"split users between them or remove the extra variants")
        return
    control = experiment.control_weight
    control_ok = control is None or (_is_number(control) and 0 <= control < 1)
    if not control_ok:
        r.add(("experiment", "control_weight"), "control-weight",
              f"control_weight must be at least 0 and less than 1 (it is the share of users "
              f"who see nothing), found {control!r}; 0.1 means 10%")
    coverage = experiment.coverage
    if coverage is not None:
        if not (_is_number(coverage) and 0 <= coverage <= 1):
            r.add(("experiment", "coverage"), "coverage",
                  f"coverage must be between 0 and 1 (the share of users in the experiment), "
                  f"found {coverage!r}")
        elif coverage == 0:
            r.warn(("experiment", "coverage"), "coverage-zero",
                   "coverage is 0, so nobody is in the experiment and nobody sees this guide; "
                   "set it to 1 to include everyone")
    has_control = control_ok and bool(control)
    if has_control:
        for i, variant in enumerate(variants):
            if variant.key.lower() == "control":
                r.add(("variants", i, "key"), "reserved-variant-key",
                      "the variant key 'control' is reserved for the control group (users "
                      "who see nothing) when control_weight is above 0; rename this variant")
    if not variants:
        r.add(("experiment",), "experiment-no-variants",
              "the experiment has no variants to test; add at least one variant")
    elif len(variants) == 1 and not has_control:
        r.warn(("experiment",), "experiment-single-arm",
               "the experiment has one variant and no control group, so everyone sees the "
               "same thing and there is nothing to compare; add a variant or a control_weight")
    namespace = experiment.namespace
    if (isinstance(namespace, list) and len(namespace) == 3 and _is_number(namespace[1])
            and _is_number(namespace[2]) and namespace[1] >= namespace[2]):
        r.add(("experiment", "namespace"), "namespace-range",
              f"the namespace range starts at {namespace[1]} and ends at {namespace[2]}, so "
              f"it holds no users; the start must be less than the end")


def _check_schedule(ctx: _Context, guide: Guide, r: _Reporter) -> None:
    schedule = guide.schedule
    if schedule is None:
        return
    zone: tzinfo | None = None
    if schedule.timezone is not None:
        error = _timezone_error(schedule.timezone)
        if error:
            r.add(("schedule", "timezone"), "unknown-timezone", error)
        else:
            zone = _zone(schedule.timezone)
    if zone is None:
        zone = _zone(ctx.project.timezone) or UTC
    moments: dict[str, datetime] = {}
    for name in ("start", "end"):
        value = getattr(schedule, name)
        if value is None:
            continue
        moment = _parse_datetime(value)
        if moment is None:
            r.add(("schedule", name), "datetime",
                  f"{value!r} is not a real date and time; write it like "
                  f"2026-12-01T09:00:00Z or 2026-12-01")
            continue
        moments[name] = moment if moment.tzinfo else moment.replace(tzinfo=zone)
    if "start" in moments and "end" in moments and moments["end"] <= moments["start"]:
        how = "at the moment it starts" if moments["end"] == moments["start"] else (
            "before it starts")
        r.add(("schedule", "end"), "schedule-order",
              f"the schedule ends ({schedule.end}) {how} ({schedule.start}), so the guide "
              f"would never show; move the end after the start")


def _check_trigger(guide: Guide, r: _Reporter) -> None:
    trigger = guide.trigger
    if trigger is None:
        return
    used = TRIGGER_FIELDS.get(trigger.on)
    if used is not None:
        for name in _OPTIONAL_TRIGGER_FIELDS:
            if getattr(trigger, name) is not None and name not in used:
                owner = next(on for on, fields in TRIGGER_FIELDS.items() if name in fields)
                r.warn(("trigger", name), "trigger-field-ignored",
                       f"{name!r} is ignored when the trigger is on: {trigger.on}; it is used "
                       f"only with on: {owner}. Remove it or change 'on'")
    if isinstance(trigger.selector, str):
        error = selector_error(trigger.selector)
        if error:
            r.add(("trigger", "selector"), "selector", f"the click selector {error}")


def _check_image(ctx: _Context, src: Any) -> list[tuple[str, str, Severity]]:
    """Image path problems as (code, message, severity); cached per path."""
    if not isinstance(src, str):
        return [("image", "the image path must be text such as assets/tour.png", "error")]
    cached = ctx.image_cache.get(src)
    if cached is not None:
        return cached
    found: list[tuple[str, str, Severity]] = []
    ctx.image_cache[src] = found
    parts = PurePosixPath(src.replace("\\", "/")).parts
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:", src):
        found.append(("image-outside", f"{src!r} is a web address; images must be files in "
                      f"the project: save it in assets/ and write e.g. assets/tour.png", "error"))
        return found
    if src.startswith(("/", "\\")) or PureWindowsPath(src).drive:
        found.append(("image-outside", f"{src!r} is an absolute path; copy the image into the "
                      f"project's assets/ folder and write e.g. assets/tour.png", "error"))
        return found
    if ".." in parts:
        found.append(("image-outside", f"{src!r} points outside the project ('..'); copy the "
                      f"image into assets/ and write e.g. assets/tour.png", "error"))
        return found
    if ctx.root_real is not None:
        try:
            real = (ctx.root_real / src).resolve()
        except (ValueError, OSError, RuntimeError) as exc:  # NUL byte, link loop, …
            found.append(("image-missing", f"the image path {src!r} cannot be used ({exc}); "
                          f"fix the path", "error"))
            return found
        if not real.is_relative_to(ctx.root_real):
            found.append(("image-outside", f"{src!r} is a link to a file outside the project; "
                          f"copy the image itself into assets/", "error"))
            return found
        try:
            is_file, is_dir = real.is_file(), real.is_dir()
        except OSError as exc:  # name too long, permission denied, …
            found.append(("image-missing", f"the image {src!r} cannot be read "
                          f"({exc.strerror or exc}); fix the path", "error"))
            return found
        if not is_file:
            what = "is a folder, not an image" if is_dir else "does not exist"
            found.append(("image-missing", f"the image {src!r} {what}; add the file to the "
                          f"project or fix the path", "error"))
            return found
    if not parts or parts[0] != "assets":
        found.append(("image-location", f"{src!r} is not in the assets/ folder, and the product "
                      f"is only given assets/; move the image there", "warning"))
    return found


def _check_url(r: _Reporter, path: FieldPath, url: Any, what: str) -> None:
    if isinstance(url, str) and not is_safe_url(url):
        r.add(path, "unsafe-url",
              f"the {what} {url!r} uses the {_scheme(url)!r} scheme, which could run code in "
              f"your product; use {SAFE_SCHEMES}")


def _check_buttons(ctx: _Context, guide: Guide, step: Step, base: FieldPath, *,
                   first: bool, last: bool, single: bool, r: _Reporter) -> None:
    for bi, button in enumerate(step.buttons):
        path = (*base, "buttons", bi)
        _check_url(r, (*path, "url"), button.url, "button link")
        if button.action == "guide" and isinstance(button.guide, str):
            _check_guide_ref(ctx, guide, button.guide, path, r)
        if button.action in ("next", "back"):
            if single:
                r.warn((*path, "action"), "nav-button-single-step",
                       f"a {button.action!r} button on a guide with one step does nothing; use "
                       f"'dismiss' or 'complete', or add steps")
            elif button.action == "back" and first:
                r.warn((*path, "action"), "nav-button-nowhere",
                       "a 'back' button on the first step does nothing; remove it")
            elif button.action == "next" and last:
                r.warn((*path, "action"), "nav-button-nowhere",
                       "a 'next' button on the last step does nothing; use 'complete' instead")


def _check_guide_ref(ctx: _Context, guide: Guide, target_id: str, path: FieldPath,
                     r: _Reporter) -> None:
    target = ctx.project.guides.get(target_id)
    if target is None:
        r.add((*path, "guide"), "unknown-guide",
              ctx.missing_ref("guides", target_id, "guide", ctx.project.guides))
    elif target.status == "archived" and guide.status != "archived":
        r.warn((*path, "guide"), "archived-guide",
               f"this button starts guide {target_id!r}, which is archived and is not "
               f"exported, so the button will do nothing; point it at another guide or "
               f"restore {target_id!r}")


def _check_step(ctx: _Context, guide: Guide, vi: int, si: int, r: _Reporter) -> None:
    variant = guide.variants[vi]
    step = variant.steps[si]
    base: FieldPath = ("variants", vi, "steps", si)
    kind = guide.kind
    count = len(variant.steps)
    if kind in ANCHORED_KINDS and step.anchor is None:
        r.add((*base, "anchor"), "missing-anchor",
              f"a {kind} points at an element of the page, but this step has no anchor; "
              f"add anchor.selector (e.g. #storage-meter)")
    if kind == "walkthrough" and step.layout == "tooltip" and step.anchor is None:
        r.add((*base, "anchor"), "missing-anchor",
              "this tooltip step has no anchor to point at; add anchor.selector or change "
              "its layout to modal")
    if step.anchor is not None and isinstance(step.anchor.selector, str):
        error = selector_error(step.anchor.selector)
        if error:
            r.add((*base, "anchor", "selector"), "selector", f"the anchor selector {error}")
    if step.layout is not None and kind != "walkthrough":
        r.warn((*base, "layout"), "field-ignored",
               f"layout is only used by walkthrough steps; a {kind} ignores it, so remove it")
    if step.wait_seconds is not None and step.if_missing != "wait":
        r.warn((*base, "wait_seconds"), "wait-seconds-ignored",
               "wait_seconds is only used with if_missing: wait; set if_missing to wait or "
               "remove wait_seconds")
    if kind == "survey":
        if step.survey is None or not step.survey.question:
            r.add((*base, "survey"), "missing-survey",
                  "this survey has no question; add survey.question")
    elif step.survey is not None:
        r.warn((*base, "survey"), "field-ignored",
               f"a {kind} does not show a survey; remove it or make the guide a survey")
    if kind == "checklist":
        if not step.items:
            r.add((*base, "items"), "no-checklist-items",
                  "this checklist has no items; add at least one item with a label and the "
                  "event that ticks it off")
        seen: dict[str, int] = {}
        for ii, item in enumerate(step.items):
            if item.id in seen:
                r.add((*base, "items", ii, "id"), "duplicate-item-id",
                      f"checklist item id {item.id!r} is used twice (also items[{seen[item.id]}])"
                      f"; give each item its own id")
            else:
                seen[item.id] = ii
    elif step.items:
        r.warn((*base, "items"), "field-ignored",
               f"a {kind} does not show checklist items; remove them or make the guide a "
               f"checklist")
    if step.image is not None:
        for code, message, severity in _check_image(ctx, step.image.src):
            r.add((*base, "image", "src"), code, message, severity)
    for ii, item in enumerate(step.items):
        _check_url(r, (*base, "items", ii, "url"), item.url, "checklist link")
    _check_buttons(ctx, guide, step, base, first=si == 0, last=si == count - 1,
                   single=count == 1, r=r)


def _check_steps(ctx: _Context, guide: Guide, r: _Reporter) -> None:
    kind = guide.kind
    for vi, variant in enumerate(guide.variants):
        steps = variant.steps
        path: FieldPath = ("variants", vi, "steps")
        if not steps:
            r.add(path, "no-steps",
                  f"variant {variant.key!r} has no steps, so there is nothing to show; "
                  f"add a step")
        elif kind == "walkthrough" and len(steps) == 1:
            r.warn(path, "single-step-walkthrough",
                   "a walkthrough with a single step is just a tooltip or modal; add steps or "
                   "change the kind")
        elif kind != "walkthrough" and len(steps) > 1:
            r.add((*path, 1), "too-many-steps",
                  f"a {kind} shows one step, but this variant has {len(steps)}; only "
                  f"walkthroughs have several steps — remove the extra steps or make the "
                  f"guide a walkthrough")
        seen: dict[str, int] = {}
        for si, step in enumerate(steps):
            if step.id is not None:
                if step.id in seen:
                    r.add((*path, si, "id"), "duplicate-step-id",
                          f"step id {step.id!r} is used twice (also steps[{seen[step.id]}]); "
                          f"give each step its own id")
                else:
                    seen[step.id] = si
            _check_step(ctx, guide, vi, si, r)
        if kind == "walkthrough" and len(steps) > 1:
            last = steps[-1]
            if not any(b.action in FINISH_ACTIONS for b in last.buttons):
                r.warn((*path, len(steps) - 1, "buttons"), "no-finish-button",
                       "the last step has no 'complete' or 'dismiss' button, so users cannot "
                       "finish the walkthrough; add a 'complete' button")


def _check_references(ctx: _Context, guide: Guide, r: _Reporter) -> None:
    if guide.theme is not None and guide.theme not in ctx.project.themes:
        r.add(("theme",), "unknown-theme",
              ctx.missing_ref("themes", guide.theme, "theme", ctx.project.themes))
    _check_audience(ctx, guide, r)


def _check_frequency(ctx: _Context, guide: Guide, r: _Reporter) -> None:
    frequency = guide.frequency
    if frequency is not None and "goal_reached" in frequency.stop_after and guide.goal is None:
        r.warn(("frequency", "stop_after"), "goal-missing",
               "stop_after includes goal_reached, but the guide has no goal; add a goal or "
               "remove goal_reached")


# Each group runs under its own guard, so a bug in one loses only that group's findings.
_GUIDE_RULES: tuple[tuple[str, Callable[[_Context, Guide, _Reporter], None]], ...] = (
    ("references and audience", _check_references),
    ("experiment and variants", lambda ctx, guide, r: _check_experiment(guide, r)),
    ("schedule", _check_schedule),
    ("trigger", lambda ctx, guide, r: _check_trigger(guide, r)),
    ("frequency", _check_frequency),
    ("steps", _check_steps),
    ("texts", _check_texts),
)


def _check_guide(ctx: _Context, guide_id: str, out: list[Problem]) -> None:
    guide = ctx.project.guides[guide_id]
    file = ctx.files.file_of("guides", guide_id)
    r = _Reporter(ctx.files, file, out)
    for what, rule in _GUIDE_RULES:
        _guarded(out, file, f"guide {guide_id!r} ({what})", partial(rule, ctx, guide, r))


# --- across guides -----------------------------------------------------------------


def _guide_edges(project: Project) -> dict[str, list[tuple[str, FieldPath]]]:
    """guide id -> [(started guide id, path of the button that starts it)]."""
    edges: dict[str, list[tuple[str, FieldPath]]] = {}
    for guide_id, guide in project.guides.items():
        out: list[tuple[str, FieldPath]] = []
        for vi, variant in enumerate(guide.variants):
            for si, step in enumerate(variant.steps):
                for bi, button in enumerate(step.buttons):
                    if button.action == "guide" and button.guide in project.guides:
                        out.append((button.guide, ("variants", vi, "steps", si, "buttons", bi,
                                                   "guide")))
        if out:
            edges[guide_id] = out
    return edges


def _strongly_connected(nodes: list[str], succ: Callable[[str], list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative so a long chain of guides cannot overflow the stack."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for start in nodes:
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(succ(start)))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(succ(child))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                result.append(component)
    return result


def _check_cycles(ctx: _Context, out: list[Problem]) -> None:
    """One problem per loop of guides starting each other, showing the loop's path."""
    edges = _guide_edges(ctx.project)
    targets = {g: sorted({t for t, _ in e}) for g, e in edges.items()}
    for component in _strongly_connected(sorted(edges), lambda g: targets.get(g, [])):
        members = set(component)
        start = min(component)
        if len(component) == 1 and start not in targets.get(start, []):
            continue
        # Shortest way round from ``start`` back to itself, within the component.
        previous: dict[str, str] = {}
        frontier, found = [start], False
        while frontier and not found:
            following = []
            for node in frontier:
                for nxt in targets.get(node, []):
                    if nxt not in members:
                        continue
                    if nxt == start:
                        previous[start], found = node, True
                        break
                    if nxt not in previous:
                        previous[nxt] = node
                        following.append(nxt)
                if found:
                    break
            frontier = following
        back: list[str] = []  # the loop walked backwards, from start's predecessor
        node = previous[start]
        while node != start:
            back.append(node)
            node = previous[node]
        loop = [start, *reversed(back), start]
        second = loop[1]
        path = next(p for t, p in edges[start] if t == second)
        r = _Reporter(ctx.files, ctx.files.file_of("guides", start), out)
        r.add(path, "guide-cycle",
              f"guides start each other in a loop: {' → '.join(loop)}; a user could be sent "
              f"round it forever — change one of these 'guide' buttons")


def _check_experiment_keys(ctx: _Context, out: list[Problem]) -> None:
    owners: dict[tuple[str, str], str] = {}
    for guide_id in sorted(ctx.project.guides):
        experiment = ctx.project.guides[guide_id].experiment
        if experiment is None:
            continue
        key = (experiment.key, experiment.seed or experiment.key)
        if key in owners:
            r = _Reporter(ctx.files, ctx.files.file_of("guides", guide_id), out)
            r.warn(("experiment", "key"), "duplicate-experiment",
                   f"experiment key {experiment.key!r} is also used by guide {owners[key]!r}; "
                   f"their results would be mixed up in analytics — give each experiment "
                   f"its own key")
        else:
            owners[key] = guide_id


def _used_segments(ctx: _Context) -> set[str] | None:
    """Segments some guide names; None if a guide file could not even be read."""
    used: set[str] = set()
    for guide in ctx.project.guides.values():
        if guide.audience is not None:
            used.update(s for s in guide.audience.segments if isinstance(s, str))
    for rel in ctx.files.broken:
        if not rel.startswith("guides/"):
            continue
        source = ctx.files.sources.get(rel)
        if source is None or not isinstance(source.data, Mapping):
            return None  # an unreadable guide may use any segment: don't guess
        audience = source.data.get("audience")
        segments = audience.get("segments") if isinstance(audience, Mapping) else None
        if isinstance(segments, list):
            used.update(s for s in segments if isinstance(s, str))
    return used


# --- entry point -------------------------------------------------------------------


def _guarded(out: list[Problem], file: str, what: str, check: Callable[[], T]) -> T | None:
    """Run one group of rules; a bug in it becomes one Problem instead of a traceback."""
    try:
        return check()
    except Exception as exc:  # the whole point is to contain any bug in a rule
        log.exception("validation of %s failed", what)
        out.append(Problem(file, None, "",
                           f"internal error while checking {what} ({type(exc).__name__}: "
                           f"{exc}); the other checks still ran — please report this bug",
                           "error", "internal"))
        return None


def validate_project(project: Project, files: ProjectFiles | None = None) -> list[Problem]:
    """Every semantic problem of a loaded project, in a stable order. Never raises.

    Problems come settings first, then segments and guides by id, then the
    checks across guides, so the same project always gives the same list.
    """
    files = files if files is not None else ProjectFiles()
    out: list[Problem] = []
    ctx = _guarded(out, PROJECT_FILE, "the project", partial(_Context.build, project, files))
    if ctx is None:
        return out
    if PROJECT_FILE not in files.broken:
        _guarded(out, PROJECT_FILE, "guidestudio.yaml",
                 partial(_check_settings, ctx, _Reporter(files, PROJECT_FILE, out)))
    used = _guarded(out, PROJECT_FILE, "which segments are used", partial(_used_segments, ctx))
    for segment_id in sorted(project.segments):
        file = files.file_of("segments", segment_id)
        _guarded(out, file, f"segment {segment_id!r}",
                 partial(_check_segment, ctx, segment_id, _Reporter(files, file, out), used))
    for guide_id in sorted(project.guides):
        _check_guide(ctx, guide_id, out)
    _guarded(out, PROJECT_FILE, "links between guides", partial(_check_cycles, ctx, out))
    _guarded(out, PROJECT_FILE, "experiment keys", partial(_check_experiment_keys, ctx, out))
    audience = _guarded(out, PROJECT_FILE, "audience sizes",
                        partial(audience_checks.audience_problems, project, files))
    out.extend(audience or [])
    return out
