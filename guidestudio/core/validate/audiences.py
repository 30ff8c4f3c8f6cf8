"""Audience rules: segments, conditions and the references a guide makes.

Conditions are checked for operators the evaluator does not know, for
regular expressions JavaScript would reject and for values the attribute
catalogue does not allow, all located back to the field the author wrote;
references to segments and themes must resolve.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from guidestudio.core import targeting
from guidestudio.core.model import Guide
from guidestudio.core.validate.catalogue import check_allowed_values
from guidestudio.core.validate.condition_sites import field_conditions
from guidestudio.core.validate.reporting import Context, FieldPath, Reporter, did_you_mean
from guidestudio.core.validate.values import regex_error, regex_hazard


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
    for here, _key, value in field_conditions(condition, path):
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



def _check_condition(r: Reporter, condition: Any, base: FieldPath) -> None:
    """Unknown operators and regular expressions JavaScript would reject."""
    if not isinstance(condition, Mapping):
        return
    known = targeting.known_operators()
    for where in targeting.unknown_operators(condition):
        op = where.rsplit(".", 1)[-1]
        path = _resolve_dotted(condition, where)
        r.add((*base, *path) if path is not None else base, "unknown-operator",
              f"unknown condition operator {op!r}{did_you_mean(op, set(known))}; this rule "
              f"would never match anyone. Use a GrowthBook operator such as $eq, $in, $gte "
              f"or $regex")
    for path, op, pattern in _regex_sites(condition, ()):
        if not isinstance(pattern, str):
            r.add((*base, *path), "regex", f"{op} needs a regular expression written as text")
            continue
        hazard = regex_hazard(pattern, op == "$regexi")
        if hazard:
            r.add((*base, *path), "regex-backtracking",
                  f"the regular expression {pattern!r} could freeze the product's page: {hazard}")
            continue
        error = regex_error(pattern, op == "$regexi")
        if error:
            r.add((*base, *path), "regex",
                  f"the regular expression {pattern!r} will not work in the product: {error}; "
                  f"rewrite it in JavaScript syntax (for case-insensitive matching use "
                  f"$regexi instead of (?i))")


def check_segment(ctx: Context, segment_id: str, r: Reporter, used: set[str] | None) -> None:
    segment = ctx.project.segments[segment_id]
    _check_condition(r, segment.condition, ("condition",))
    check_allowed_values(ctx, r, segment.condition, ("condition",))
    if used is not None and segment_id not in used:
        r.warn(("id",), "unused-segment",
               f"segment {segment_id!r} is not used by any guide; add it to a guide's "
               f"audience or delete it")


def _check_audience(ctx: Context, guide: Guide, r: Reporter) -> None:
    audience = guide.audience
    if audience is None:
        return
    for i, segment_id in enumerate(audience.segments):
        if segment_id not in ctx.project.segments:
            r.add(("audience", "segments", i), "unknown-segment",
                  ctx.missing_ref("segments", segment_id, "segment", ctx.project.segments))
    _check_condition(r, audience.conditions, ("audience", "conditions"))
    check_allowed_values(ctx, r, audience.conditions, ("audience", "conditions"))


def check_references(ctx: Context, guide: Guide, r: Reporter) -> None:
    if guide.theme is not None and guide.theme not in ctx.project.themes:
        r.add(("theme",), "unknown-theme",
              ctx.missing_ref("themes", guide.theme, "theme", ctx.project.themes))
    _check_audience(ctx, guide, r)


def named_segments(guide: Guide) -> list[str]:
    """The segments a guide's audience names (the text ones)."""
    if guide.audience is None:
        return []
    return [s for s in guide.audience.segments if isinstance(s, str)]


def used_segments(ctx: Context,
                  named: Callable[[str, Guide], Iterable[str]] | None = None
                  ) -> set[str] | None:
    """Segments some guide names; None if a guide file could not even be read.

    ``named`` gives the segments a guide names (``named_segments``, or what the
    incremental validator kept from when it last checked the guide).
    """
    used: set[str] = set()
    for guide_id, guide in ctx.project.guides.items():
        used.update(named(guide_id, guide) if named is not None else named_segments(guide))
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

