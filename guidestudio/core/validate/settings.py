"""Rules for ``guidestudio.yaml``: locales, hash attribute, theme, time zone, throttle,
attribute catalogue, the columns of the product's event exports."""

from __future__ import annotations

from guidestudio.core.validate.catalogue import check_catalogue
from guidestudio.core.validate.reporting import Context, Reporter
from guidestudio.core.validate.values import is_number, timezone_error

_DAY_MINUTES = 24 * 60


def check_settings(ctx: Context, r: Reporter) -> None:
    settings = ctx.project.settings
    if settings.default_locale not in (settings.locales or []):
        r.add(("default_locale",), "default-locale",
              f"the default locale {settings.default_locale!r} is not in locales "
              f"({', '.join(settings.locales or [])}); add it to locales or pick one of them")
    if settings.hash_attribute is not None and not str(settings.hash_attribute).strip():
        r.add(("hash_attribute",), "hash-attribute",
              "hash_attribute is empty, so no user could be assigned to an A/B variant; "
              "name the user attribute to split on (usually id) or remove the field")
    elif settings.hash_attribute is not None and "." in str(settings.hash_attribute):
        name = str(settings.hash_attribute)
        r.add(("hash_attribute",), "hash-attribute",
              f"hash_attribute {name!r} has a dot: GrowthBook's SDKs read it as one attribute "
              f"named {name!r}, not as a path into {name.split('.')[0]!r}, so they would put "
              f"nobody in the experiments; pass the value as a top-level attribute "
              f"(e.g. {name.replace('.', '_')!r}) and name that")
    if settings.theme is not None and settings.theme not in ctx.project.themes:
        r.add(("theme",), "unknown-theme",
              ctx.missing_ref("themes", settings.theme, "theme", ctx.project.themes))
    if settings.timezone is not None:
        error = timezone_error(settings.timezone)
        if error:
            r.add(("timezone",), "unknown-timezone", error)
    _check_throttle(ctx, r)
    check_catalogue(ctx, r)
    _check_event_columns(ctx, r)


def _check_event_columns(ctx: Context, r: Reporter) -> None:
    """One column cannot be two fields: results would read a user id as an event name."""
    columns = ctx.project.settings.events
    if columns is None:
        return
    seen: dict[str, str] = {}
    for name in columns.KEY_ORDER:
        column = getattr(columns, name)
        if column is None:
            continue
        if column in seen:
            r.add(("events", name), "event-columns",
                  f"{name} and {seen[column]} both name the column {column!r}; each field of "
                  "an event needs its own column")
        seen.setdefault(column, name)


def _check_throttle(ctx: Context, r: Reporter) -> None:
    throttle = ctx.project.settings.throttle
    if throttle is None:
        return
    gap, session, day = throttle.min_minutes_between, throttle.max_per_session, throttle.max_per_day
    for name, value, low in (("min_minutes_between", gap, 0), ("max_per_session", session, 1),
                             ("max_per_day", day, 1)):
        if value is not None and (not is_number(value) or value < low):
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

