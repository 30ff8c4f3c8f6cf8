"""Cached checks of single values: selectors, regular expressions, time zones.

Each rule module asks these small questions many times over (the same selector
on every step, the same zone on every schedule); answering them here, once
per distinct value, keeps a project of thousands of guides validating in well
under a second.
"""

from __future__ import annotations

import difflib
import functools
import logging
import re
import warnings
import zoneinfo
from datetime import datetime, tzinfo
from typing import Any

from guidestudio.core import targeting

log = logging.getLogger("guidestudio.core.validate")  # the package's logger, as before the split


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


def warm_up() -> None:
    """Import the selector parser and run it once, so the first real check is quick.

    The first check pays ~150 ms (importing soupsieve and bs4, compiling their
    patterns). The editor calls this on a pool thread before validating in
    slices on the GUI thread, where those 150 ms would be a visible freeze.
    """
    selector_error("#gs-warm-up > .a[data-b='c']:not(:first-child) + d ~ e:nth-child(2n)")


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
def regex_error(pattern: str, insensitive: bool) -> str | None:
    return targeting.js_regex_error(pattern, insensitive)


@functools.lru_cache(maxsize=4096)
def regex_hazard(pattern: str, insensitive: bool) -> str | None:
    return targeting.js_regex_hazard(pattern, insensitive)


@functools.lru_cache(maxsize=512)
def zone_named(name: str) -> tzinfo | None:
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


def timezone_error(name: Any) -> str | None:
    if not isinstance(name, str):
        return "must be a time zone name such as Europe/Paris"
    if zone_named(name) is not None:
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


def parse_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)

