"""Targeting conditions compiled to one SQL boolean per condition.

The SQL gives ``eval_condition``'s answer for every row it can decide, and
NULL for the rows it cannot (an opaque column, a numeric-looking string whose
``Number()`` SQL cannot compute exactly, a regex on a value with characters
outside the Basic Multilingual Plane…). The caller hands exactly those rows to
the Python evaluator, so the counts are the evaluator's, never an
approximation.

How it stays exact: every leaf is ``CASE WHEN <missing> THEN <the evaluator's
own answer for null> ELSE <SQL for a present value> END``, the answer for
null computed by calling the evaluator once; booleans are enumerated the same
way (true, false); objects are decided by the evaluator on a stand-in object
unless a literal compares their JSON. Only strings, numbers and lists get SQL
of their own, each operator following ``targeting.conditions`` line by line.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from guidestudio.core.audience_sql import sql_text as q
from guidestudio.core.audience_sql.regex_re2 import regex_sql
from guidestudio.core.audience_sql.shapes import (
    BOOL,
    FLOAT,
    INT,
    LIST,
    NONE,
    OBJ,
    OPAQUE,
    STR,
    Shape,
    Value,
)
from guidestudio.core.audience_sql.versions_sql import padded_version_sql
from guidestudio.core.targeting.conditions import (
    EMPTY_GROUPS,
    OPERATORS,
    as_condition,
    eval_unguarded,
    eval_value,
    is_operator_object,
)
from guidestudio.core.targeting.js_values import (
    ARRAY_TYPES,
    INHERITED_NAMES,
    is_index_key,
    js_number_string,
    js_string,
    js_to_number,
    js_truthy,
)
from guidestudio.core.targeting.versions import padded_version

_MAX_SAFE = 2**53
_NUMBER = (int, float)
# Number(string) in SQL: the JSON-style decimals DuckDB parses as JavaScript does,
# and the strings that are surely NaN (no digit, no "Infinity", something printable);
# anything else (" 5", "0x1f", "Infinity") is left to the evaluator.
_DECIMAL = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_UNDECIDABLE = q.UNKNOWN
NONE_VALUE = Value(Shape(NONE), "NULL", q.TRUE)
OPAQUE_VALUE = Value(Shape(OPAQUE), "NULL", q.FALSE)


def _is_number(v: Any) -> bool:
    return type(v) in _NUMBER or (isinstance(v, _NUMBER) and not isinstance(v, bool))


def _primitive(v: Any) -> Any:
    """JS ToPrimitive of a literal (what ``$lt`` compares)."""
    if isinstance(v, ARRAY_TYPES):
        return js_string(v)
    if isinstance(v, Mapping):
        return "[object Object]"
    return v


def _js_less_string_safe(text: str) -> bool:
    """Does SQL's (code point) order agree with JavaScript's (UTF-16 unit) order
    between ``text`` and any string? Yes when ``text`` has nothing at or above
    U+D800: the first difference then decides the same way in both."""
    return q.encodable(text) and all(ch < "\ud800" for ch in text)


class FewValues(Protocol):
    """A text column's distinct values when they are few (``engine.ValueCodes``),
    and a test of "the value is one of these" that costs one bit test per row."""

    def values(self, column_sql: str) -> list[str] | None: ...

    def member(self, column_sql: str, matching: list[str], if_null: bool) -> str: ...


class Compiler:
    """Compiles conditions against one table's attributes (``root``)."""

    def __init__(self, root: Value, saved_groups: Mapping[str, Any] | None = None,
                 distinct: FewValues | None = None,
                 share: Callable[[str], str] | None = None):
        self.root = root
        self.groups = saved_groups or EMPTY_GROUPS
        self._lambda = 0
        # A text column's distinct values, when few (``engine.ValueCodes``).
        self.distinct = distinct
        # Computes a costly leaf once for every condition of a run (``engine.SharedLeaves``):
        # the same regex in twenty guides runs once per row, not twenty times.
        self.share = share

    # --- conditions -------------------------------------------------------

    def condition(self, condition: Any, obj: Value | None = None) -> str:
        """``eval_condition(row, condition)`` as three-valued SQL."""
        if condition is None:
            return q.TRUE
        try:
            return self._condition(condition, obj or self.root)
        except RecursionError:
            return q.FALSE

    def _condition(self, condition: Any, obj: Value) -> str:
        if type(condition) is not dict:
            condition = as_condition(condition)
        parts: list[str] = []
        for key, value in condition.items():
            if key == "$and":
                parts.append(self._and(value, obj) if isinstance(value, ARRAY_TYPES) else q.TRUE)
            elif key == "$or":
                parts.append(self._or(value, obj))
            elif key == "$nor":
                parts.append(q.not_(self._or(value, obj)))
            elif key == "$not":
                parts.append(q.not_(self._condition(value, obj)))
            else:
                leaf = self.leaf(self.path(obj, key), value)
                if self.share is not None and obj is self.root and _worth_sharing(leaf):
                    leaf = self.share(leaf)  # reads no lambda variable: it can be a column
                parts.append(leaf)
            if parts[-1] == q.FALSE:
                return q.FALSE
        return q.and_(parts)

    def _and(self, subs: Any, obj: Value) -> str:
        return q.and_(self._condition(sub, obj) for sub in subs)

    def _or(self, subs: Any, obj: Value) -> str:
        if not isinstance(subs, ARRAY_TYPES) or not subs:
            return q.TRUE
        return q.or_(self._condition(sub, obj) for sub in subs)

    # --- paths ------------------------------------------------------------

    def path(self, obj: Value, path: str) -> Value:
        """The value at a dotted path, as ``targeting.paths.get_path`` reads it."""
        current = obj
        for part in path.split("."):
            current = self._step(current, part)
            if current.kind in (NONE, OPAQUE):
                return current
        return current

    @staticmethod
    def _step(current: Value, part: str) -> Value:
        kind = current.kind
        if kind == OBJ:
            if part in INHERITED_NAMES:
                return OPAQUE_VALUE  # own key or prototype's: the evaluator decides
            if current.members or not current.sql:
                return current.members.get(part, NONE_VALUE)
            shape = current.shape.field(part)
            if shape is None:
                return NONE_VALUE
            sql = f"struct_extract({current.sql}, {q.string(part)})"
            return Value(shape, sql, f"({sql} IS NULL)")
        if kind == LIST:
            assert current.shape.element is not None
            if part == "length":
                return Value(Shape(INT), f"array_length({current.sql})", current.missing)
            if is_index_key(part):
                sql = f"{current.sql}[{int(part) + 1}]"
                return Value(current.shape.element, sql, f"({sql} IS NULL)")
            return OPAQUE_VALUE if part in INHERITED_NAMES else NONE_VALUE
        if kind == OPAQUE:
            return OPAQUE_VALUE
        return NONE_VALUE  # a step through a string, number or boolean

    # --- one attribute against one condition value -------------------------

    def leaf(self, value: Value, condition: Any, insensitive: bool = False) -> str:
        """``eval_value(condition, actual)`` (or the operator dict in the
        evaluator's main loop, which means the same)."""
        if_missing = eval_value(condition, None, self.groups, insensitive)
        if value.kind == NONE:
            return q.boolean(if_missing)
        if value.kind == STR and self.distinct is not None and not _cheap(condition):
            values = self.distinct.values(value.sql)
            if values is not None:
                # Few distinct values: the evaluator itself decides each once (and
                # null), and a row's answer is one bit of its value's code word (an
                # IN list of a hundred countries costs twenty times as much per row).
                matching = [v for v in values
                            if eval_value(condition, v, self.groups, insensitive)]
                return self.distinct.member(value.sql, matching, if_missing)
        present = self.present(value, condition, insensitive)
        return q.unless_missing(value.missing, if_missing, present)

    def present(self, value: Value, condition: Any, insensitive: bool = False) -> str:
        """The leaf for a row where the attribute has a value."""
        kind = value.kind
        if kind == OPAQUE:
            return _UNDECIDABLE
        if kind == BOOL:
            if_true = eval_value(condition, True, self.groups, insensitive)
            if_false = eval_value(condition, False, self.groups, insensitive)
            if if_true != if_false:  # the value itself, or its negation (it is not null)
                return value.sql if if_true else q.not_(value.sql)
            return q.boolean(if_true)
        if kind == OBJ:
            if _compares_json(condition):
                return _UNDECIDABLE
            return q.boolean(eval_value(condition, {}, self.groups, insensitive))
        if kind == FLOAT and not value.exact:
            # NaN: the evaluator's answer; DuckDB would call NaN equal to itself.
            nan = q.boolean(eval_value(condition, math.nan, self.groups, insensitive))
            return q.case(f"isnan({value.sql})", nan, self._present(value, condition, insensitive))
        if kind == INT and not value.exact:
            return q.case(f"({value.sql} NOT BETWEEN -{_MAX_SAFE} AND {_MAX_SAFE})",
                          _UNDECIDABLE, self._present(value, condition, insensitive))
        return self._present(value, condition, insensitive)

    def _present(self, value: Value, condition: Any, insensitive: bool) -> str:
        t = type(condition)
        if t is dict or isinstance(condition, Mapping):
            condition = dict(condition)
            if is_operator_object(condition):
                parts = []
                for op, expected in condition.items():
                    if op not in OPERATORS:
                        return q.FALSE
                    parts.append(self.operator(value, op, expected))
                    if parts[-1] == q.FALSE:
                        return q.FALSE
                return q.and_(parts)
            return self._json_literal(value, condition)
        if isinstance(condition, ARRAY_TYPES):
            return self._json_literal(value, condition)
        if t is bool or isinstance(condition, bool):
            return q.boolean(bool(condition)) if value.kind == LIST else (
                self._truthy(value) if condition else q.not_(self._truthy(value)))
        if t is str or isinstance(condition, str):
            return self._equals_string(value, str.__str__(condition), insensitive)
        if _is_number(condition):
            return self._equals_number(value, js_to_number(condition))
        return q.FALSE  # null literal: a present value is not null

    def _json_literal(self, value: Value, literal: Any) -> str:
        """``JSON.stringify`` equality: a string's or number's JSON is never an
        array's or object's; a list's is left to the evaluator."""
        if value.kind == LIST:
            return _UNDECIDABLE
        return q.FALSE

    def _truthy(self, value: Value) -> str:
        kind = value.kind
        if kind == STR:
            return f"({value.sql} <> '')"
        if kind in (INT, FLOAT):
            return f"({value.sql} <> 0)"  # NaN is handled before (present)
        return q.TRUE  # lists (and objects) are truthy

    def _equals_string(self, value: Value, text: str, insensitive: bool) -> str:
        kind = value.kind
        if kind == STR:
            if not q.encodable(text):
                return q.FALSE
            if insensitive:
                return self._ascii_only(value, f"(lower({value.sql}) = {q.string(text.lower())})"
                                        if q.encodable(text.lower()) else q.FALSE)
            return f"({value.sql} = {q.string(text)})"
        if kind in (INT, FLOAT):
            if insensitive:
                text = text.lower()  # String(number) is lower case but for "Infinity"…
                return _UNDECIDABLE
            number = js_to_number(text)
            if number != number or js_number_string(number) != text:
                return q.FALSE  # no number prints as this text
            return f"({value.sql} = {q.number(number)})"
        if kind == LIST:
            element = value.shape.element
            if element is None or element.kind != STR or insensitive:
                return _UNDECIDABLE
            if not q.encodable(text):
                return q.FALSE
            # String(array) joins with ","; a null element would print as "".
            variable = self._variable()
            has_null = (f"list_contains(list_transform({value.sql}, lambda {variable}: "
                        f"{variable} IS NULL), TRUE)")
            return q.case(has_null, _UNDECIDABLE,
                          f"(array_to_string({value.sql}, ',') = {q.string(text)})")
        return _UNDECIDABLE

    def _js_number(self, value: Value) -> str:
        """``Number(value)`` as SQL: exact, NaN, or NULL where SQL cannot tell."""
        if value.kind in (INT, FLOAT):
            return f"CAST({value.sql} AS DOUBLE)"
        if value.kind == STR:
            x = value.sql
            return (f"(CASE WHEN regexp_full_match({x}, {q.string(_DECIMAL)}) "
                    f"THEN TRY_CAST({x} AS DOUBLE) "
                    f"WHEN NOT regexp_matches({x}, '[0-9]') AND strpos({x}, 'Infinity') = 0 "
                    f"AND regexp_matches({x}, '[!-~]') THEN CAST('NaN' AS DOUBLE) END)")
        return "CAST(NULL AS DOUBLE)"

    def _equals_number(self, value: Value, number: float | int) -> str:
        if number != number:
            return q.FALSE
        if value.kind == INT:
            if isinstance(number, float) and not number.is_integer():
                return q.FALSE
            if abs(number) > _MAX_SAFE:
                return _UNDECIDABLE
            return f"({value.sql} = {q.number(int(number))})"
        if value.kind == FLOAT:
            if isinstance(number, int) and abs(number) > _MAX_SAFE:
                return _UNDECIDABLE
            return f"({value.sql} = {q.number(number)})"
        return self._compare_number(self._js_number(value), "=", number)

    @staticmethod
    def _compare_number(n: str, op: str, number: float | int) -> str:
        """``n op number`` where a NaN ``n`` makes every comparison false (as JS)."""
        if number != number:
            return q.FALSE
        if isinstance(number, int) and abs(number) > _MAX_SAFE:
            return _UNDECIDABLE
        return f"(CASE WHEN isnan({n}) THEN FALSE ELSE {n} {op} {q.number(number)} END)"

    def _ascii_only(self, value: Value, test: str) -> str:
        """``test`` where the value is ASCII (Python's and SQL's lower() agree there)."""
        ascii_only = f"(octet_length(encode({value.sql})) = length({value.sql}))"
        return q.case(ascii_only, test, _UNDECIDABLE)

    # --- operators ----------------------------------------------------------

    def operator(self, value: Value, op: str, expected: Any) -> str:
        """``OPERATORS[op](actual, expected)`` for a present, typed value."""
        kind = value.kind
        if op in ("$eq", "$ne"):
            test = self._strict_equal(value, expected)
            return test if op == "$eq" else q.not_(test)
        if op in ("$lt", "$lte", "$gt", "$gte"):
            return self._relational(value, op, expected)
        if op == "$exists":
            return q.boolean(js_truthy(expected))
        if op == "$type":
            names = {STR: "string", INT: "number", FLOAT: "number", LIST: "array"}
            return q.boolean(names[kind] == expected)
        if op in ("$in", "$nin", "$ini", "$nini"):
            if not isinstance(expected, ARRAY_TYPES):
                return q.FALSE
            test = self._is_in(value, list(expected), op in ("$ini", "$nini"))
            return test if op in ("$in", "$ini") else q.not_(test)
        if op in ("$inGroup", "$notInGroup"):
            members = self.groups.get(expected if type(expected) is str else js_string(expected))
            test = self._is_in(value, list(members) if isinstance(members, ARRAY_TYPES) else [],
                               False)
            return test if op == "$inGroup" else q.not_(test)
        if op in ("$all", "$alli"):
            return self._all(value, expected, op == "$alli")
        if op == "$size":
            if kind != LIST:
                return q.FALSE
            return self.leaf(Value(Shape(INT), f"array_length({value.sql})", q.FALSE), expected)
        if op == "$elemMatch":
            return self._elem_match(value, expected)
        if op == "$not":
            return q.not_(self.present(value, expected))
        if op in ("$regex", "$regexi"):
            return self._regex(value, expected, op == "$regexi")
        return self._version(value, op, expected)

    def _strict_equal(self, value: Value, expected: Any) -> str:
        kind = value.kind
        if kind == STR:
            if type(expected) is not str or not q.encodable(expected):
                return q.FALSE
            return f"({value.sql} = {q.string(expected)})"
        if kind in (INT, FLOAT):
            if not _is_number(expected):
                return q.FALSE
            return self._equals_number(value, expected)
        return q.FALSE  # arrays compare by reference

    def _relational(self, value: Value, op: str, expected: Any) -> str:
        kind = value.kind
        other = _primitive(expected)
        sql_op = {"$lt": "<", "$lte": "<=", "$gt": ">", "$gte": ">="}[op]
        if kind == STR and type(other) is str:
            if not _js_less_string_safe(other):
                return _UNDECIDABLE
            return f"({value.sql} {sql_op} {q.string(other)})"
        if kind == LIST:
            return _UNDECIDABLE  # String(array) compared: rare, left to the evaluator
        number = js_to_number(other)
        if kind in (INT, FLOAT):
            if number != number:
                return q.FALSE
            if isinstance(number, int) and abs(number) > _MAX_SAFE:
                return _UNDECIDABLE
            return f"({value.sql} {sql_op} {q.number(number)})"
        return self._compare_number(self._js_number(value), sql_op, number)

    def _is_in(self, value: Value, expected: list[Any], folded: bool) -> str:
        """``is_in`` / ``is_in_folded``: the value, or any element of a list value."""
        if value.kind == LIST:
            assert value.shape.element is not None
            variable = self._variable()
            element = Value(value.shape.element, variable, f"({variable} IS NULL)")
            has_null = any(e is None for e in expected)
            test = q.case(element.missing, q.boolean(has_null),
                          self._includes(element, expected, folded))
            return q.any_of(value.sql, variable, test)
        return self._includes(value, expected, folded)

    def _includes(self, value: Value, expected: list[Any], folded: bool) -> str:
        """``Array.prototype.includes`` (strict) of a present value."""
        kind = value.kind
        if kind == BOOL:
            return q.case(value.sql, q.boolean(any(e is True for e in expected)),
                          q.boolean(any(e is False for e in expected)))
        if kind == FLOAT and not value.exact:
            nan = q.boolean(any(type(e) is float and e != e for e in expected))
            return q.case(f"isnan({value.sql})", nan, self._includes_number(value, expected))
        if kind == INT and not value.exact:
            return q.case(f"({value.sql} NOT BETWEEN -{_MAX_SAFE} AND {_MAX_SAFE})",
                          _UNDECIDABLE, self._includes_number(value, expected))
        if kind in (INT, FLOAT):
            return self._includes_number(value, expected)
        if kind == STR:
            texts = [e for e in expected if type(e) is str]
            if folded:
                lowered = sorted({t.lower() for t in texts if q.encodable(t.lower())})
                if not lowered:
                    return q.FALSE
                return self._ascii_only(
                    value, f"(lower({value.sql}) IN ({', '.join(map(q.string, lowered))}))")
            texts = sorted({t for t in texts if q.encodable(t)})
            if not texts:
                return q.FALSE
            return f"({value.sql} IN ({', '.join(map(q.string, texts))}))"
        if kind == OBJ or kind == LIST:
            return q.FALSE  # by reference
        return _UNDECIDABLE

    def _includes_number(self, value: Value, expected: list[Any]) -> str:
        numbers = [e for e in expected if _is_number(e) and e == e]
        if not numbers:
            return q.FALSE
        if any(isinstance(e, int) and abs(e) > _MAX_SAFE for e in numbers):
            return _UNDECIDABLE
        if value.kind == INT:
            numbers = [int(e) for e in numbers if float(e).is_integer()]
            if not numbers:
                return q.FALSE
        unique = sorted(set(numbers))
        return f"({value.sql} IN ({', '.join(map(q.number, unique))}))"

    def _all(self, value: Value, expected: Any, insensitive: bool) -> str:
        if not isinstance(expected, ARRAY_TYPES) or value.kind != LIST:
            return q.FALSE
        assert value.shape.element is not None
        parts = []
        for wanted in expected:
            variable = self._variable()
            element = Value(value.shape.element, variable, f"({variable} IS NULL)")
            parts.append(q.any_of(value.sql, variable, self.leaf(element, wanted, insensitive)))
        return q.and_(parts)

    def _elem_match(self, value: Value, expected: Any) -> str:
        if value.kind != LIST:
            return q.FALSE
        assert value.shape.element is not None
        variable = self._variable()
        element = Value(value.shape.element, variable, f"({variable} IS NULL)")
        # GrowthBook skips falsy elements: null, "", 0, NaN, false.
        truthy = q.and_([q.not_(element.missing), self._element_truthy(element)])
        if isinstance(expected, Mapping) and is_operator_object(expected):
            test = q.and_([truthy, self.present(element, expected)])
        elif element.kind == OBJ:
            test = q.and_([truthy, self.condition(expected, element)])
        elif element.kind in (STR, INT, FLOAT, BOOL):
            # A path into a string, number or boolean is null: the same answer
            # for every such element.
            try:
                constant = eval_unguarded("x", expected, self.groups)
            except RecursionError:
                constant = False
            test = q.and_([truthy, q.boolean(constant)])
        else:
            test = q.case(element.missing, q.FALSE, _UNDECIDABLE)
        return q.any_of(value.sql, variable, test)

    def _element_truthy(self, element: Value) -> str:
        kind = element.kind
        if kind == BOOL:
            return element.sql
        if kind == FLOAT:
            return f"(NOT isnan({element.sql}) AND {element.sql} <> 0)"
        if kind in (STR, INT):
            return self._truthy(element)
        if kind == OPAQUE:
            return _UNDECIDABLE
        return q.TRUE

    def _regex(self, value: Value, pattern: Any, insensitive: bool) -> str:
        if type(pattern) is not str:
            return q.FALSE
        kind = value.kind
        if kind == INT:
            text = Value(Shape(STR), f"CAST({value.sql} AS VARCHAR)", q.FALSE)
        elif kind == STR:
            text = value
        elif kind == FLOAT:
            return _UNDECIDABLE  # String(double) in SQL is not JavaScript's
        else:
            return _UNDECIDABLE
        return regex_sql(text.sql, pattern, insensitive)

    def _version(self, value: Value, op: str, expected: Any) -> str:
        kind = value.kind
        if kind == STR:
            padded = padded_version_sql(value.sql)
        elif kind == INT:
            padded = padded_version_sql(f"CAST({value.sql} AS VARCHAR)")
        elif kind == LIST:
            padded = q.string(padded_version([]))  # not a string or number: "0"
        else:
            return _UNDECIDABLE
        theirs = padded_version(expected)
        if op in ("$veq", "$vne"):
            if not q.encodable(theirs):
                return q.boolean(op == "$vne")
            test = f"({padded} = {q.string(theirs)})"
            return test if op == "$veq" else q.not_(test)
        if not _js_less_string_safe(theirs):
            return _UNDECIDABLE
        sql_op = {"$vgt": ">", "$vgte": ">=", "$vlt": "<", "$vlte": "<="}[op]
        return f"({padded} {sql_op} {q.string(theirs)})"

    def _variable(self) -> str:
        self._lambda += 1
        return f"e{self._lambda}"


_CHEAP_OPERATORS = frozenset(("$eq", "$ne", "$exists", "$type"))


def _cheap(condition: Any) -> bool:
    """Is the SQL for this leaf on a text column one comparison or none (``"pro"``,
    ``{"$ne": "free"}``)? Then the column's codes would not pay for their bit test."""
    if isinstance(condition, Mapping):
        return all(k in _CHEAP_OPERATORS and not isinstance(v, (Mapping, *ARRAY_TYPES))
                   for k, v in condition.items())
    return condition is None or type(condition) in (str, bool)


_COSTLY_SQL = ("regexp_", "list_transform(", "string_split", "array_to_string(")


def _worth_sharing(leaf_sql: str) -> bool:
    """A leaf whose SQL runs a regex or builds a list per row: worth one column."""
    return any(f in leaf_sql for f in _COSTLY_SQL)


def _compares_json(condition: Any) -> bool:
    """Does the value-level condition compare the value's JSON with a literal
    (a list, or an object that is not an operator object), here or under ``$not``?"""
    if isinstance(condition, ARRAY_TYPES):
        return True
    if isinstance(condition, Mapping):
        if not is_operator_object(condition):
            return True
        return any(op == "$not" and _compares_json(v) for op, v in condition.items())
    return False
