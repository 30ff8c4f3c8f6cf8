"""Who sees which guide, when: the decision the runtime makes, made in Python.

``docs/eligibility.md`` is the specification; the JavaScript runtime
(``resources/runtime/guide-runtime.js``) implements the same page, and both run
``tests/vectors/eligibility.json``. Everything works on *compiled bundle* guide
objects and on the runtime's own history shape, so a simulation, the editor's
"why is this guide not shown?" and the product can never disagree about the
input.

Where JavaScript and Python differ (truthiness, ``null`` compared as 0, string
keys of arrays) this module imitates JavaScript, reusing the helpers of
``guidestudio.core.targeting`` rather than re-deriving them. Nothing here raises on odd
input: a corrupt history field behaves the way the runtime's comparison with
``undefined`` behaves. Pure standard library; never Qt.

The virtual ``events`` attribute a condition reads is built by ``behaviour``
(shared with the simulation); its functions are re-exported here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from guidestudio.core.behaviour import (
    DAY_MS,
    attributes_with_event_names,
    behaviour_attributes,
    mentioned_event_names,
    user_attributes,
    utc_day_ordinal,
)
from guidestudio.core.targeting import (
    bucket_ranges,
    choose_variation,
    condition_failure,
    eval_condition,
    hash_value,
    in_namespace,
    js_string,
)
from guidestudio.core.targeting.conditions import OPERATORS
from guidestudio.core.targeting.js_values import js_to_number, js_truthy
from guidestudio.core.targeting.paths import get_path
from guidestudio.core.url_glob import compile_glob

__all__ = [
    "DAY_MS",
    "REASONS",
    "Decision",
    "assignment",
    "attributes_with_event_names",
    "behaviour_attributes",
    "decide",
    "experiment_ranges",
    "frequency_reason",
    "guide_condition",
    "guide_history",
    "has_control_group",
    "hash_attribute",
    "hash_attribute_value",
    "history_reason",
    "iso_utc",
    "match_url",
    "mentioned_event_names",
    "parse_utc",
    "pick",
    "priority_key",
    "schedule_reason",
    "throttle_reason",
    "trigger_matches",
    "url_origin_and_path",
    "user_attributes",
    "user_in_namespace",
]

MINUTE_MS = 60_000
HOUR_MS = 3_600_000
SESSION_MS = 30 * MINUTE_MS

# Reason codes, in the order the checks run (docs/eligibility.md).
REASONS = (
    "schedule_not_started",
    "schedule_ended",
    "audience",
    "no_hash_attribute",
    "not_in_namespace",
    "not_in_experiment",
    "control",
    "stopped",
    "snoozed",
    "frequency_cap",
    "cooldown",
    "throttle_gap",
    "throttle_session",
    "throttle_day",
    "eligible",
)
_ARRAYS = (list, tuple)
_NO_GROUPS: Mapping[str, Any] = {}
_UNDEFINED = float("nan")
# History fields are compared the way an audience's $gt/$gte/$lt compares
# them (JS `<`: null is 0, NaN and undefined never pass): the very operators.
_op_gt, _op_gte, _op_lt = OPERATORS["$gt"], OPERATORS["$gte"], OPERATORS["$lt"]


@dataclass(frozen=True)
class Decision:
    """One guide for one user at one moment.

    ``variant`` is the assigned variant key when ``eligible``, ``"control"`` for
    the control group (not shown, but logged as exposed), else None. ``detail``
    is for people (the failing clause, the outcome that stopped the guide); the
    reason codes are the contract shared with the runtime.
    """

    eligible: bool
    reason: str
    detail: str = ""
    variant: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _no(reason: str, detail: str = "", variant: str | None = None) -> Decision:
    return Decision(False, reason, detail, variant)


# ---------------------------------------------------------------------------
# Time: epoch milliseconds and UTC dates, never local time
# ---------------------------------------------------------------------------

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_UTC_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?"
)


def parse_utc(value: Any) -> float | None:
    """Epoch ms of a bundle timestamp (``YYYY-MM-DDTHH:MM:SSZ``; offsets and a
    bare date, which is UTC midnight as in ``Date.parse``, are also accepted).
    None when unreadable: the runtime's ``Date.parse`` gives NaN there, and a
    comparison with NaN never fails a check, so an unreadable bound is no bound."""
    if type(value) is not str:
        return None
    m = _UTC_RE.fullmatch(value)
    if not m:
        return None
    year, month, day, hour, minute, second, fraction, offset = m.groups()
    try:
        moment = dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                             int(second or 0), tzinfo=dt.UTC)
    except ValueError:
        return None
    ms = (moment - _EPOCH) // dt.timedelta(milliseconds=1)
    if fraction:
        ms += int(fraction[:3].ljust(3, "0"))
    if offset and offset != "Z":
        sign = -1 if offset[0] == "-" else 1
        ms -= sign * (int(offset[1:3]) * 60 + int(offset[4:6])) * MINUTE_MS
    return ms


def iso_utc(ms: float) -> str:
    """``Date.prototype.toISOString``: ``2026-11-24T10:00:00.000Z``."""
    try:
        moment = _EPOCH + dt.timedelta(milliseconds=int(ms))
    except (OverflowError, ValueError):
        return "Invalid Date"
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _ymd(now_ms: float) -> str:
    return dt.date.fromordinal(utc_day_ordinal(now_ms)).isoformat()


# ---------------------------------------------------------------------------
# One guide: the checks, in the documented order
# ---------------------------------------------------------------------------


def _mapping(value: Any) -> Mapping[str, Any]:
    if type(value) is dict:
        return value
    return value if isinstance(value, Mapping) else _NO_GROUPS


def guide_condition(guide: Mapping[str, Any]) -> Any:
    """The audience condition the runtime evaluates: ``{}`` (everyone) when
    the guide has none or a falsy one."""
    condition = _mapping(guide.get("audience")).get("condition")
    return condition if js_truthy(condition) else {}


def schedule_reason(guide: Mapping[str, Any], now_ms: float) -> Decision | None:
    """Step 1: the schedule. Depends only on ``now``, so a simulation checks it
    once per guide rather than once per user."""
    schedule = _mapping(guide.get("schedule"))
    start, end = schedule.get("start"), schedule.get("end")
    if js_truthy(start):
        start_ms = parse_utc(start)
        if start_ms is not None and now_ms < start_ms:
            return _no("schedule_not_started", str(start))
    if js_truthy(end):
        end_ms = parse_utc(end)
        if end_ms is not None and now_ms > end_ms:
            return _no("schedule_ended", str(end))
    return None


def hash_attribute(experiment: Any, context: Mapping[str, Any] | None) -> str:
    """The attribute an experiment hashes: its own ``hashAttribute`` (every exported
    experiment has one), else the bundle's ``hash_attribute`` (older bundles), else ``id``."""
    own = _mapping(experiment).get("hashAttribute")
    return js_string(own if js_truthy(own) else _mapping(context).get("hash_attribute") or "id")


def hash_attribute_value(user: Any, context: Mapping[str, Any] | None,
                         experiment: Any = None) -> str | None:
    """What GrowthBook's SDKs hash, as text: the user's attribute of that literal name (a
    dot is part of the name, not a path), or None when it is falsy (missing, ``""``, ``0``,
    ``false``, ``null``), which the SDKs take as no value (docs/bundle-format.md)."""
    attribute = hash_attribute(experiment, context)
    attrs = user if isinstance(user, Mapping) else {}
    value = attrs.get(attribute) if "." in attribute else get_path(attrs, attribute)
    if not js_truthy(value):
        return None
    return value if type(value) is str else js_string(value)


def assignment(guide: Mapping[str, Any], user: Any, context: Mapping[str, Any] | None
               ) -> Decision | str | None:
    """Step 3: the variant key (a str), or the Decision that ends here
    (not in the experiment, or control)."""
    experiment = guide.get("experiment")
    if not js_truthy(experiment):
        variants = guide.get("variants")
        first = variants[0] if isinstance(variants, _ARRAYS) and variants else None
        return js_string(first.get("key")) if isinstance(first, Mapping) else None
    experiment = _mapping(experiment)
    key = js_string(experiment.get("key"))
    value = hash_attribute_value(user, context, experiment)
    if value is None:
        return _no("no_hash_attribute", key)
    namespace = experiment.get("namespace")
    if js_truthy(namespace) and not user_in_namespace(value, namespace):
        return _no("not_in_namespace", key)
    seed = experiment.get("seed")
    n = hash_value(seed if js_truthy(seed) else experiment.get("key"), value, 2)
    variations = experiment.get("variations")
    variations = variations if isinstance(variations, _ARRAYS) else []
    ranges = experiment_ranges(experiment, len(variations))
    index = choose_variation(-1 if n is None else n, ranges)
    if index < 0:
        return _no("not_in_experiment", key)
    if index == 0 and has_control_group(experiment):
        return _no("control", key, "control")
    return js_string(variations[index])


def user_in_namespace(value: str, namespace: Any) -> bool:
    """``in_namespace`` as the runtime calls it on a bundle's ``namespace``:
    a malformed one (not ``[id, start, end]``) admits nobody."""
    if not isinstance(namespace, _ARRAYS) or len(namespace) < 3:
        return False
    try:
        return in_namespace(value, namespace)
    except TypeError:  # non-numeric bounds: the runtime's comparison is false too
        return False


def experiment_ranges(experiment: Mapping[str, Any], n: int) -> list[tuple[float, float]]:
    """``getBucketRanges(n, coverage, weights)`` as the runtime calls it: an
    absent coverage is 1, but ``null`` clamps to 0 (``Math.max(null, 0)``)."""
    coverage: Any = experiment.get("coverage", 1)
    coverage = 0 if coverage is None else js_to_number(coverage)
    weights = experiment.get("weights")
    usable = isinstance(weights, _ARRAYS) and all(type(x) in (int, float) for x in weights)
    return bucket_ranges(n, coverage, list(weights) if usable else None)


def has_control_group(experiment: Mapping[str, Any]) -> bool:
    """Is variation 0 a control group (not shown, logged as exposed)? Only
    when ``control_weight`` is above 0 as JavaScript's ``>`` sees it."""
    return _op_gt(experiment.get("control_weight"), 0, _NO_GROUPS)


def _lt(a: Any, b: Any) -> bool:
    """JS ``a < b`` for numbers-or-whatever-the-history-holds."""
    return _op_lt(a, b, _NO_GROUPS)


def _field(obj: Mapping[str, Any], key: str) -> Any:
    """``obj[key]`` as the runtime reads it: an absent field is ``undefined``,
    which compares as NaN (never true), while ``null`` compares as 0."""
    return obj[key] if key in obj else _UNDEFINED


def _plus(a: Any, b: Any) -> float:
    return js_to_number(a) + js_to_number(b)


def guide_history(history: Any, guide_id: Any) -> Mapping[str, Any]:
    """``history.guides[guide_id]``, or an empty record."""
    guides = _mapping(_mapping(history).get("guides"))
    return _mapping(guides.get(guide_id if type(guide_id) is str else js_string(guide_id)))


def frequency_reason(guide: Mapping[str, Any], gh: Mapping[str, Any], now_ms: float
                     ) -> Decision | None:
    """Steps 4-7, from the guide's own record ``gh``: stopped, snoozed,
    frequency cap, cooldown."""
    frequency = _mapping(guide.get("frequency"))
    stop_after = frequency.get("stop_after")
    for outcome in stop_after if isinstance(stop_after, _ARRAYS) else ():
        name = outcome if type(outcome) is str else js_string(outcome)
        if gh.get("snoozed_until" if name == "snoozed" else name) is not None:
            return _no("stopped", name)
    snoozed_until = _field(gh, "snoozed_until")
    if _lt(now_ms, snoozed_until):
        return _no("snoozed", iso_utc(js_to_number(snoozed_until)))
    max_shows = frequency.get("max_shows")
    if max_shows is not None:
        shows = gh.get("shows")
        shows = shows if js_truthy(shows) else 0
        if _op_gte(shows, max_shows, _NO_GROUPS):
            return _no("frequency_cap", f"{js_string(shows)} shows")
    cooldown = frequency.get("cooldown_hours")
    last_shown = gh.get("last_shown")
    if cooldown is not None and last_shown is not None:
        until = _plus(last_shown, js_to_number(cooldown) * HOUR_MS)
        if now_ms < until:
            return _no("cooldown", f"until {iso_utc(until)}")
    return None


def throttle_reason(history: Any, now_ms: float, context: Mapping[str, Any] | None
                    ) -> Decision | None:
    """Step 8, the project-wide throttle: the same for every guide that is
    not exempt, so it depends on the user's history alone."""
    h = _mapping(history)
    throttle = _mapping(_mapping(context).get("throttle"))
    gap = throttle.get("min_minutes_between")
    last_any = h.get("last_shown_any")
    if gap is not None and last_any is not None:
        until = _plus(last_any, js_to_number(gap) * MINUTE_MS)
        if now_ms < until:
            return _no("throttle_gap", f"until {iso_utc(until)}")
    per_session = throttle.get("max_per_session")
    session = _mapping(context).get("session")
    if not js_truthy(session):
        session = h.get("session")
    if per_session is not None and js_truthy(session):
        s = _mapping(session)
        alive = now_ms - js_to_number(_field(s, "last_seen")) <= SESSION_MS
        if alive and _op_gte(_field(s, "shows"), per_session, _NO_GROUPS):
            return _no("throttle_session", f"{js_string(s.get('shows'))} shows this session")
    per_day = throttle.get("max_per_day")
    day = h.get("day")
    if per_day is not None and js_truthy(day):
        d = _mapping(day)
        if d.get("date") == _ymd(now_ms) and _op_gte(_field(d, "shows"), per_day, _NO_GROUPS):
            return _no("throttle_day", f"{js_string(d.get('shows'))} shows today")
    return None


def history_reason(guide: Mapping[str, Any], history: Any, now_ms: float,
                   context: Mapping[str, Any] | None) -> Decision | None:
    """Steps 4-8: what the user already saw and did, and the project throttle."""
    stop = frequency_reason(guide, guide_history(history, guide.get("id")), now_ms)
    if stop is not None or js_truthy(guide.get("exempt_from_throttle")):
        return stop
    return throttle_reason(history, now_ms, context)


def decide(guide: Mapping[str, Any], user: Any, now_ms: float, history: Any = None,
           context: Mapping[str, Any] | None = None) -> Decision:
    """Would ``guide`` be shown to ``user`` at ``now_ms`` (epoch ms) if its
    trigger fired? The first failing check is the reason (docs/eligibility.md)."""
    ended = schedule_reason(guide, now_ms)
    if ended is not None:
        return ended
    condition = guide_condition(guide)
    attrs = user_attributes(user, history, now_ms, condition)
    if not eval_condition(attrs, condition):
        return _no("audience", condition_failure(attrs, condition) or "")
    assigned = assignment(guide, user, context)
    if isinstance(assigned, Decision):
        return assigned
    stopped = history_reason(guide, history, now_ms, context)
    if stopped is not None:
        return stopped
    return Decision(True, "eligible", "", assigned)


# ---------------------------------------------------------------------------
# Between guides
# ---------------------------------------------------------------------------


def _utf16_key(text: str) -> bytes | str:
    """JS string order (UTF-16 code units) for the id tie-break."""
    return text if text.isascii() else text.encode("utf-16-be", "surrogatepass")


def priority_key(guide: Mapping[str, Any]) -> tuple[float, bytes | str]:
    """Sort key: highest ``priority`` first, then the id that sorts first."""
    priority = guide.get("priority")
    number = js_to_number(priority) if js_truthy(priority) else 0
    gid = guide.get("id")
    return (-number if number == number else 0, _utf16_key(js_string(gid)))


def pick(guides: Iterable[Mapping[str, Any]], user: Any, now_ms: float, history: Any = None,
         context: Mapping[str, Any] | None = None, trigger: Mapping[str, Any] | None = None,
         ) -> tuple[Mapping[str, Any] | None, dict[str, Decision]]:
    """The guide that shows when ``trigger`` fires (every guide competes when
    it is None), and the decision for every guide the trigger concerns, by id."""
    decisions: dict[str, Decision] = {}
    eligible: list[Mapping[str, Any]] = []
    for guide in guides:
        if trigger is not None and not trigger_matches(guide, trigger):
            continue
        decision = decide(guide, user, now_ms, history, context)
        decisions[js_string(guide.get("id"))] = decision
        if decision.eligible:
            eligible.append(guide)
    eligible.sort(key=priority_key)
    return (eligible[0] if eligible else None), decisions


# ---------------------------------------------------------------------------
# Triggers and URL globs
# ---------------------------------------------------------------------------

_SPECIAL_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443", "ftp": "21"}
_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_PATH_UNSAFE = re.compile('[\x00-\x20"#<>?`{}\x7f-\U0010ffff]')
_SURROGATE = re.compile("[\ud800-\udfff]")


def _encode_segment(segment: str) -> str:
    if segment.isascii() and not _PATH_UNSAFE.search(segment):
        return segment
    segment = _SURROGATE.sub("\ufffd", segment)
    return _PATH_UNSAFE.sub(
        lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), segment)


def _normalise_path(path: str, special: bool) -> str:
    """The WHATWG path: ``\\`` is ``/`` (special schemes), dot segments
    resolved (``%2e`` too), unsafe characters percent-encoded — what
    ``location.pathname`` reports."""
    if special:
        path = path.replace("\\", "/")
    segments = path.split("/")[1:] if path.startswith("/") else path.split("/")
    out: list[str] = []
    last = len(segments) - 1
    for i, segment in enumerate(segments):
        lowered = segment.lower()
        if lowered in ("..", ".%2e", "%2e.", "%2e%2e"):
            if out:
                out.pop()
            if i == last:
                out.append("")
        elif lowered in (".", "%2e"):
            if i == last:
                out.append("")
        else:
            out.append(_encode_segment(segment))
    return "/" + "/".join(out)


def url_origin_and_path(url: str) -> tuple[str, str] | None:
    """``(origin, pathname)`` as ``new URL(url, "http://localhost/")`` gives
    them; None for a URL the browser would refuse."""
    s = url.strip("".join(chr(c) for c in range(0x21)))
    s = s.replace("\t", "").replace("\n", "").replace("\r", "")
    m = _SCHEME_RE.match(s)
    scheme = m.group(1).lower() if m else ""
    if m and scheme not in _SPECIAL_PORTS and scheme != "file":
        rest = re.split(r"[?#]", s[m.end():], maxsplit=1)[0]
        return "null", rest  # mailto:, javascript:, …: an opaque path
    if m and not (scheme == "http" and s[m.end():m.end() + 1] not in ("/", "\\")):
        rest = s[m.end():]
    else:
        # Relative to http://localhost/ (a same-scheme "http:x" is relative too).
        scheme, rest = "http", s[m.end():] if m else s
        if not rest.startswith(("//", "\\\\", "/\\", "\\/")):
            rest = re.split(r"[?#]", rest, maxsplit=1)[0]
            path = rest if rest.startswith(("/", "\\")) else "/" + rest
            return "http://localhost", _normalise_path(path, True)
    if scheme == "file":
        rest = re.split(r"[?#]", rest.lstrip("/\\"), maxsplit=1)[0]
        return "null", _normalise_path("/" + rest, True)
    rest = rest.lstrip("/\\")
    authority = re.split(r"[/\\?#]", rest, maxsplit=1)[0]
    remainder = rest[len(authority):]
    host_port = authority.rpartition("@")[2]
    if host_port.startswith("["):
        host, _, port = host_port.partition("]")
        host += "]"
        port = port[1:] if port.startswith(":") else ""
    else:
        host, _, port = host_port.partition(":")
    if not host:
        return None
    if port:
        if not port.isdigit() or int(port) > 65535:
            return None
        port = str(int(port))
    origin = f"{scheme}://{host.lower()}"
    if port and port != _SPECIAL_PORTS.get(scheme):
        origin += f":{port}"
    path = re.split(r"[?#]", remainder, maxsplit=1)[0] or "/"
    return origin, _normalise_path(path, True)


def match_url(pattern: Any, url: str) -> dict[str, str] | None:
    """Does ``url`` match the trigger's path glob? The captured ``:params``
    (``{}`` when none), or None. ``*`` stays within a segment, ``**`` crosses
    segments (``/files/**`` also matches ``/files``), ``:name`` captures one
    non-empty segment; a pattern starting ``http:``/``https:`` is matched
    against origin + path. No pattern matches every page. Linear in the URL's
    length, whatever the glob (``url_glob``)."""
    if not js_truthy(pattern):
        return {}
    text = js_string(pattern)
    parts = url_origin_and_path(js_string(url))
    if parts is None:
        return None
    origin, path = parts
    full = text.startswith(("http:", "https:"))
    return compile_glob(text).fullmatch(origin + path if full else path)


def trigger_matches(guide: Mapping[str, Any], trigger_event: Mapping[str, Any]) -> bool:
    """Does ``trigger_event`` (``{on, url?, event?, selector?}``) fire ``guide``?

    ``on`` must be the guide's trigger kind; ``event`` names must be equal; a
    click matches when its ``selector`` is the guide's (the runtime asks the
    DOM, ``closest(selector)``; a simulation has no DOM, so it compares the
    selector text); the guide's ``url`` glob must match the event's page
    (``url``, default ``/``)."""
    trigger = guide.get("trigger")
    t = _mapping(trigger) if trigger is not None else {"on": "page_view"}
    on = t.get("on")
    if on != trigger_event.get("on"):
        return False
    if on == "event" and js_string(t.get("event")) != js_string(trigger_event.get("event")):
        return False
    if on == "click" and t.get("selector") != trigger_event.get("selector"):
        return False
    if js_truthy(t.get("url")):
        return match_url(t.get("url"), js_string(trigger_event.get("url") or "/")) is not None
    return True
