"""Audience warnings: conditions that can never be true, and guides that none
of the project's sample users would see.

Both are warnings, not errors: the project still exports, but a marketer who
wrote ``storage_used_pct: {$gt: 90, $lt: 50}`` or picked two segments that
exclude each other has a guide nobody will ever see, and would rather know
before the release than after a week of empty dashboards.

"Never true" is decided only where it is certain under the evaluator's
JavaScript semantics, never guessed: a clause that cannot pass for *any*
attribute value (``$in: []``), or clauses on one attribute, ANDed together,
that exclude each other — bounds that do not overlap, two different required
values, ``$exists: false`` with a test a missing value fails, ``$size: 0`` with
``$all``. Where a value is pinned (``$eq``, ``$exists: false``, a ``$size``) the
other clauses are simply evaluated against it with ``targeting``'s own
``eval_value``, so the verdict is the evaluator's, not a re-derivation.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from guidestudio.core import behaviour, eligibility, targeting
from guidestudio.core.files.project_io import ProjectFiles
from guidestudio.core.files.schemas import format_path
from guidestudio.core.model import Guide, Profile, Project
from guidestudio.core.problems import Problem
from guidestudio.core.targeting.conditions import EMPTY_GROUPS, eval_value, is_operator_object
from guidestudio.core.targeting.explain import display_value
from guidestudio.core.targeting.js_values import js_string_less

__all__ = ["ProfileSample", "audience_problems", "guide_findings", "never_true", "segment_findings"]

FieldPath = tuple[Any, ...]
_ARRAYS = (list, tuple)
_NUMBER_BOUNDS = {"$gt": (">", True), "$gte": (">=", False), "$lt": ("<", True),
                  "$lte": ("<=", False)}
_VERSION_BOUNDS = {"$vgt": (">", True), "$vgte": (">=", False), "$vlt": ("<", True),
                   "$vlte": ("<=", False)}
_ARRAY_OPS = ("$all", "$alli", "$size", "$elemMatch")


@dataclass(frozen=True)
class _Clause:
    """What one ANDed clause requires of one attribute."""

    path: str  # the attribute
    value: Any  # its condition: a literal or an operator object
    where: FieldPath  # field path of the clause in its file
    part: str  # "" for the condition analysed, else the segment it came from


@dataclass(frozen=True)
class Finding:
    """A condition that can never be true: why, and the clauses involved."""

    message: str
    clauses: tuple[_Clause, ...]
    branch: bool = False  # in one branch of an $or: that branch is dead, not the whole

    def lead(self, what: str) -> str:
        return "this $or branch can never be true" if self.branch else \
            f"{what} can never be true"


# ---------------------------------------------------------------------------
# Static analysis of one condition
# ---------------------------------------------------------------------------


def _is_operators(value: Any) -> bool:
    return type(value) is dict and is_operator_object(value)


def _is_number(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value)


def _contexts(condition: Any, where: FieldPath, part: str, branch: bool = False
              ) -> Iterator[tuple[list[_Clause], bool]]:
    """Every AND-context of a condition: the clauses that must all pass
    together. The top level (with its ``$and`` lists) is one; each ``$or``
    branch is another (a dead branch is worth a warning too). ``$not`` and
    ``$nor`` negate, so nothing under them is analysed."""
    clauses: list[_Clause] = []
    branches: list[tuple[Any, FieldPath]] = []
    _collect(condition, where, part, clauses, branches)
    yield clauses, branch
    for sub, sub_where in branches:
        yield from _contexts(sub, sub_where, part, True)


def _collect(condition: Any, where: FieldPath, part: str, clauses: list[_Clause],
             branches: list[tuple[Any, FieldPath]]) -> None:
    if type(condition) is not dict:
        return
    for key, value in condition.items():
        if type(key) is not str:
            continue
        if key == "$and" and isinstance(value, _ARRAYS):
            for i, sub in enumerate(value):
                _collect(sub, (*where, "$and", i), part, clauses, branches)
        elif key == "$or" and isinstance(value, _ARRAYS):
            branches.extend((sub, (*where, "$or", i)) for i, sub in enumerate(value))
        elif key in ("$not", "$nor", "$and", "$or"):
            continue
        else:
            clauses.append(_Clause(key, value, (*where, key), part))


def _alone(clause: _Clause) -> str | None:
    """Why one clause can never pass, whatever the attribute holds."""
    value = clause.value
    if not _is_operators(value):
        return None
    for op, expected in value.items():
        if op in ("$in", "$ini") and isinstance(expected, _ARRAYS) and not expected:
            return f"{clause.path} {op} [] matches nobody (the list is empty)"
        if op in ("$in", "$nin", "$ini", "$nini", "$all", "$alli") \
                and not isinstance(expected, _ARRAYS):
            return f"{clause.path} {op} needs a list, found {display_value(expected)}"
        if op == "$size" and type(expected) in (int, float) and type(expected) is not bool \
                and not (expected >= 0 and float(expected).is_integer()):
            return f"{clause.path} $size {display_value(expected)}: a list's length is a whole " \
                   f"number of at least 0"
    if value.get("$exists") is False and len(value) > 1:
        rest = {op: v for op, v in value.items() if op != "$exists"}
        if not eval_value(rest, None, EMPTY_GROUPS):
            tests = ", ".join(f"{op} {display_value(v)}" for op, v in rest.items())
            return f"{clause.path} $exists false, but a missing value never passes {tests}"
    return None


def _split(clause: _Clause) -> list[tuple[str, Any, _Clause]]:
    """(operator, expected, clause) for each operator; a literal is ``("", value)``."""
    if _is_operators(clause.value):
        return [(op, expected, clause) for op, expected in clause.value.items()]
    return [("", clause.value, clause)]


def _bounds_conflict(tests: list[tuple[str, Any, _Clause]], table: dict[str, tuple[str, bool]],
                     key: Any) -> Finding | None:
    """Lower and upper bounds that leave no room (``$gt 10`` with ``$lt 5``)."""
    lower: tuple[Any, bool, str, Any, _Clause] | None = None
    upper: tuple[Any, bool, str, Any, _Clause] | None = None
    for op, expected, clause in tests:
        if op not in table:
            continue
        bound = key(expected)
        if bound is None:
            continue
        sign, strict = table[op]
        entry = (bound, strict, op, expected, clause)
        if sign.startswith(">"):
            if lower is None or bound > lower[0] or (bound == lower[0] and strict):
                lower = entry
        elif upper is None or bound < upper[0] or (bound == upper[0] and strict):
            upper = entry
    if lower is None or upper is None:
        return None
    if lower[0] < upper[0] or (lower[0] == upper[0] and not lower[1] and not upper[1]):
        return None
    path = lower[4].path
    return Finding(f"{path} {lower[2]} {display_value(lower[3])} and {path} {upper[2]} "
                   f"{display_value(upper[3])} cannot both be true", (lower[4], upper[4]))


def _number_key(expected: Any) -> float | None:
    return expected if _is_number(expected) and type(expected) is not bool else None


def _version_key(expected: Any) -> Any:
    if isinstance(expected, str) or _number_key(expected) is not None:
        padded = targeting.padded_version(expected)
        return _Utf16(padded)
    return None


class _Utf16(str):
    """A padded version string ordered the way ``compare_versions`` orders them."""

    def __lt__(self, other: object) -> bool:
        return js_string_less(str(self), str(other))

    def __gt__(self, other: object) -> bool:
        return js_string_less(str(other), str(self))


def _pinned(tests: list[tuple[str, Any, _Clause]]) -> Finding | None:
    """A test that fixes the value (``$eq``, ``$exists: false``, a literal
    null), and another test that this value fails, as the evaluator says."""
    for i, (op, expected, clause) in enumerate(tests):
        if op == "$eq" and (expected is None or type(expected) in (str, int, float, bool)):
            value, how = expected, f"{clause.path} $eq {display_value(expected)}"
        elif op == "$exists" and expected is False:
            value, how = None, f"{clause.path} $exists false"
        elif op == "" and expected is None:
            value, how = None, f"{clause.path} = null"
        else:
            continue
        for j, (other_op, other_expected, other) in enumerate(tests):
            if j == i:
                continue
            test = {other_op: other_expected} if other_op else other_expected
            if not eval_value(test, value, EMPTY_GROUPS):
                shown = f"{other_op} {display_value(other_expected)}" if other_op \
                    else f"= {display_value(other_expected)}"
                return Finding(f"{how} and {other.path} {shown} cannot both be true",
                               (clause, other))
    return None


def _literals(tests: list[tuple[str, Any, _Clause]]) -> Finding | None:
    """Two literals that need different values: ``plan: free`` and ``plan: pro``
    (the attribute's text cannot be both), or two different numbers."""
    seen: dict[str, tuple[Any, _Clause]] = {}
    for op, expected, clause in tests:
        if op != "":
            continue
        kind = "text" if type(expected) is str else "number" if _number_key(expected) is not None \
            else None
        if kind is None:
            continue
        if kind in seen and seen[kind][0] != expected:
            first = seen[kind]
            return Finding(f"{clause.path} = {display_value(first[0])} and {clause.path} = "
                           f"{display_value(expected)} cannot both be true", (first[1], clause))
        seen.setdefault(kind, (expected, clause))
    return None


def _arrays(tests: list[tuple[str, Any, _Clause]]) -> Finding | None:
    """``$size: 0`` against ``$all`` of something or ``$elemMatch``; two sizes;
    a ``$type`` other than array against operators that need an array."""
    sizes = [(expected, clause) for op, expected, clause in tests
             if op == "$size" and _number_key(expected) is not None]
    for size, clause in sizes:
        for op, expected, other in tests:
            if op == "$size" and other is not clause and not eval_value(
                    expected, size, EMPTY_GROUPS):
                return Finding(f"{clause.path} $size {display_value(size)} and $size "
                               f"{display_value(expected)} cannot both be true", (clause, other))
            if size == 0 and ((op in ("$all", "$alli") and isinstance(expected, _ARRAYS)
                               and expected) or op == "$elemMatch"):
                return Finding(f"{clause.path} $size 0 (an empty list) and {op} "
                               f"{display_value(expected)} cannot both be true", (clause, other))
    types = [(expected, clause) for op, expected, clause in tests if op == "$type"]
    for wanted, clause in types:
        for op, expected, other in tests:
            if op == "$type" and expected != wanted:
                return Finding(f"{clause.path} $type {display_value(wanted)} and $type "
                               f"{display_value(expected)} cannot both be true", (clause, other))
            if op in _ARRAY_OPS and wanted != "array":
                return Finding(f"{clause.path} $type {display_value(wanted)} and {op} (which "
                               f"needs a list) cannot both be true", (clause, other))
    return None


def never_true(condition: Any, where: FieldPath = (), part: str = "",
               extra: list[_Clause] | None = None) -> list[Finding]:
    """Why ``condition`` (ANDed with ``extra`` clauses) can never be true, or
    why some ``$or`` branch of it cannot: one finding per clause or attribute."""
    findings: list[Finding] = []
    for clauses, branch in _contexts(condition, where, part):
        if extra and not branch:
            clauses = [*extra, *clauses]
        by_path: dict[str, list[_Clause]] = {}
        for clause in clauses:
            message = _alone(clause)
            if message is not None:
                findings.append(Finding(message, (clause,), branch))
                continue
            by_path.setdefault(clause.path, []).append(clause)
        for group in by_path.values():
            if len(group) == 1 and len(_split(group[0])) == 1:
                continue
            tests = [t for clause in group for t in _split(clause)]
            for check in (_pinned, _literals, _arrays):
                finding = check(tests)
                if finding is not None:
                    break
            else:
                finding = (_bounds_conflict(tests, _NUMBER_BOUNDS, _number_key)
                           or _bounds_conflict(tests, _VERSION_BOUNDS, _version_key))
            if finding is not None:
                findings.append(Finding(finding.message, finding.clauses, branch))
    return findings


# ---------------------------------------------------------------------------
# The project
# ---------------------------------------------------------------------------


def _problem(files: ProjectFiles, file: str, where: FieldPath, code: str,
             message: str) -> Problem:
    return Problem(file, files.locate(file, where), format_path(where), message, "warning", code)


def _segment_clauses(project: Project, segment_ids: list[str]) -> list[_Clause] | None:
    """The top-level clauses of the guide's segments (None: one is unknown,
    which the validator reports as an error already)."""
    out: list[_Clause] = []
    for segment_id in segment_ids:
        segment = project.segments.get(segment_id)
        if segment is None:
            return None
        clauses, _branch = next(_contexts(segment.condition, ("condition",), segment_id))
        out.extend(clauses)
    return out


def guide_findings(project: Project, guide: Guide, files: ProjectFiles) -> list[Problem]:
    """Warnings for a guide whose own conditions, or its segments together, can never be true."""
    file = files.file_of("guides", guide.id)
    audience = guide.audience
    if audience is None:
        return []
    own = audience.conditions or {}
    base = ("audience", "conditions")
    out = [_problem(files, file, f.clauses[-1].where, "never-true",
                    f"{f.lead('this condition')}: {f.message}")
           for f in never_true(own, base)]
    segment_clauses = _segment_clauses(project, list(audience.segments))
    if segment_clauses and (own or len(audience.segments) > 1):
        for finding in never_true(own, base, extra=segment_clauses):
            parts = {c.part for c in finding.clauses}
            if len(parts) < 2:
                continue  # inside one segment or the own conditions: reported there
            names = sorted(p for p in parts if p)
            sources = " and ".join(f"segment {n!r}" for n in names)
            if "" in parts:
                sources += " and this guide's conditions"
            own_clause = next((c for c in finding.clauses if c.part == ""), None)
            where = own_clause.where if own_clause else ("audience", "segments")
            out.append(_problem(files, file, where, "never-true",
                                f"the audience can never be true: {sources} exclude each "
                                f"other ({finding.message})"))
    return out


def segment_findings(project: Project, files: ProjectFiles, segment_id: str) -> list[Problem]:
    """Warnings for one segment whose condition (or an ``$or`` branch) can never be true."""
    file = files.file_of("segments", segment_id)
    return [_problem(files, file, f.clauses[-1].where, "never-true",
                     f"{f.lead('this segment')}: {f.message}")
            for f in never_true(project.segments[segment_id].condition, ("condition",))]


def _segment_findings(project: Project, files: ProjectFiles) -> list[Problem]:
    out = []
    for segment_id in sorted(project.segments):
        out.extend(segment_findings(project, files, segment_id))
    return out


def audience_condition(project: Project, guide: Guide) -> dict[str, Any] | None:
    """The bundle's ``audience.condition`` for ``guide`` (segments inlined
    before the guide's own conditions); None when a segment is unknown."""
    audience = guide.audience
    clauses: list[Any] = []
    for segment_id in audience.segments if audience else []:
        segment = project.segments.get(segment_id)
        if segment is None:
            return None
        if segment.condition:
            clauses.append(segment.condition)
    if audience and audience.conditions:
        clauses.append(audience.conditions)
    return {"$and": clauses} if clauses else {}


def profiles_now(profiles: list[Profile]) -> float:
    """The moment the sample profiles describe: noon UTC on the latest day any
    of them has an event (their ``days_since`` and ``last_7d`` were written
    for that day), so the warning does not come and go with the calendar;
    without events, now."""
    days = [day for p in profiles for counts in (p.events or {}).values()
            if isinstance(counts, dict) for day in counts
            if behaviour.day_ordinal(day) is not None]
    if not days:
        return dt.datetime.now(dt.UTC).timestamp() * 1000
    latest = max(days)
    return eligibility.parse_utc(latest + "T12:00:00Z") or 0.0


class ProfileSample:
    """The sample profiles, ready to be matched against many audiences.

    Matching a guide means building each profile's attributes (its own, plus
    the ``events`` the condition mentions) and evaluating the condition. The
    event names depend only on the condition, and the attributes only on the
    names, so both are computed once here rather than per guide and profile:
    names per segment (a guide's audience is its segments' conditions and its
    own), attributes per distinct set of names. ``eligibility`` still builds
    and ``targeting`` still evaluates them, so the verdict is the runtime's.

    The segment cache assumes segments do not change under it: whoever keeps a
    sample across edits calls ``forget_segments`` when one does.
    """

    def __init__(self, profiles: list[Profile]) -> None:
        self.profiles = profiles
        self.now = profiles_now(profiles)
        self._attrs: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        self._segment_names: dict[str, list[str]] = {}

    def forget_segments(self) -> None:
        self._segment_names.clear()

    def _names(self, project: Project, guide: Guide) -> tuple[str, ...]:
        """``mentioned_event_names(audience_condition(project, guide))``, from cached parts.

        That condition is ``{"$and": [segment conditions…, own conditions]}``
        and names are collected in order of appearance, so they are the
        segments' names, then the own conditions', without repeats.
        """
        names: list[str] = []
        audience = guide.audience
        for segment_id in audience.segments if audience else []:
            found = self._segment_names.get(segment_id)
            if found is None:
                condition = project.segments[segment_id].condition
                found = self._segment_names[segment_id] = \
                    behaviour.mentioned_event_names(condition)
            names.extend(found)
        if audience and audience.conditions:
            names.extend(behaviour.mentioned_event_names(audience.conditions))
        return tuple(dict.fromkeys(names))

    def _attributes(self, names: tuple[str, ...]) -> list[dict[str, Any]]:
        # Shared between guides: evaluating a condition never changes the attributes.
        found = self._attrs.get(names)
        if found is None:
            found = self._attrs[names] = [
                behaviour.attributes_with_event_names(
                    profile.attributes, {"events": profile.events}, self.now, names)
                for profile in self.profiles]
        return found

    def guide_problem(self, project: Project, files: ProjectFiles, guide_id: str,
                      guide: Guide) -> Problem | None:
        """The warning for a guide none of the profiles would see, else None.

        The caller skips archived guides and guides whose audience can never
        be true (they have their own warning).
        """
        condition = audience_condition(project, guide)
        if condition is None or not condition:
            return None
        for attrs in self._attributes(self._names(project, guide)):
            if targeting.eval_condition(attrs, condition):
                return None
        file = files.file_of("guides", guide_id)
        return _problem(
            files, file, ("audience",), "audience-matches-no-profile",
            f"none of the {len(self.profiles)} sample profiles in profiles.yaml is in this "
            f"guide's audience; check the segments and conditions, or add a profile of "
            f"someone who should see it")


def _profile_findings(project: Project, files: ProjectFiles, skip: set[str]) -> list[Problem]:
    profiles = project.profiles
    if not profiles:
        return []
    sample = ProfileSample(profiles)
    out = []
    for guide_id in sorted(project.guides):
        guide = project.guides[guide_id]
        if guide.status == "archived" or guide_id in skip:
            continue
        problem = sample.guide_problem(project, files, guide_id, guide)
        if problem is not None:
            out.append(problem)
    return out


def audience_problems(project: Project, files: ProjectFiles) -> list[Problem]:
    """Warnings about audiences: conditions (in segments and guides) that can
    never be true, and non-archived guides that match none of the sample
    profiles (only when the project has profiles)."""
    out = _segment_findings(project, files)
    flagged: set[str] = set()
    for guide_id in sorted(project.guides):
        guide = project.guides[guide_id]
        if guide.status == "archived":
            continue
        found = guide_findings(project, guide, files)
        if found:
            flagged.add(guide_id)
        out.extend(found)
    out.extend(_profile_findings(project, files, flagged))
    return out
