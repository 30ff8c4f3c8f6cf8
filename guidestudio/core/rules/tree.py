"""A GrowthBook condition as a tree of groups and rows, and back, losslessly.

The visual rule builder edits this tree; the project stores the condition.
``to_condition(from_condition(c))`` returns ``c`` unchanged (same keys, same
order, same value types) for *every* condition, which is what lets a marketer
open any guide in the builder without the file changing under them:

* rows the builder can show (``Rule``) map one operator of one attribute;
  several operators on one attribute (``{$exists: true, $lte: 90}``) become
  adjacent rows that are merged back into one operator object;
* literal shorthands (``plan: free``) stay literal while their operator is kept;
* ``$and`` / ``$or`` / ``$nor`` / ``$not`` become groups ("all of", "any of",
  "none of"), and an object with several keys is an implicit "all of" group;
* anything else — unknown operators, ``$elemMatch`` with a sub-condition,
  ``$type``, literal arrays — is an ``Advanced`` node holding the original
  data verbatim: read-only in the builder, never lost.

Rows whose input the author got wrong carry an ``error`` and are left out of
the condition until fixed (the builder shows the problem instead).

The row editing helpers at the bottom (``set_attribute``, ``set_operator``,
``set_value``, ``set_type``) hold the rules for carrying a value across a change
of type or operator, so the Qt rows only display.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Union

from guidestudio.core.rules.types import (
    AttributeInfo,
    family,
    find_operator,
    from_operator,
    natural_type,
    operators_for,
    same_family,
    to_operator,
    value_kind,
)
from guidestudio.core.rules.values import (
    LIST_KINDS,
    default_value,
    format_list,
    format_scalar,
    format_value,
    parse_value,
    value_fits,
)

LOGICAL = {"$and": "all", "$or": "any", "$nor": "none"}
MODE_KEYS = {"all": "$and", "any": "$or", "none": "$nor"}
MODE_LABELS = {"all": "all of", "any": "any of", "none": "none of"}


@dataclass(eq=False)
class Rule:
    """One attribute / operator / value row (``op`` as in ``rule_types``)."""

    attribute: str = ""
    op: str = "$eq"
    value: Any = ""
    literal: bool = False  # written as ``attr: value`` rather than ``attr: {$eq: value}``
    type: str | None = None  # the type the author chose for an attribute profiles don't know
    error: str | None = None  # why the author's input was refused; the row is left out
    text: str | None = None  # the refused input, kept so the editor can show it again

    @property
    def complete(self) -> bool:
        return bool(self.attribute.strip()) and self.error is None


@dataclass(eq=False)
class Advanced:
    """A part of the condition the builder cannot edit, kept verbatim.
    ``key`` is the attribute or ``$`` key; None for a bare list element."""

    key: Any
    value: Any


@dataclass(eq=False)
class Group:
    """"all of" / "any of" / "none of" its children.

    An "all of" group is written as the keys of one object unless ``explicit``
    (it came from ``$and``); written inside another object it is always a
    ``$and`` list. A "none of" group read from ``$not`` stays ``$not`` while it
    has exactly one child (``use_not``)."""

    mode: str = "all"
    children: list[Node] = field(default_factory=list)
    explicit: bool = False
    use_not: bool = False


Node = Union[Rule, Advanced, Group]  # noqa: UP007 - used at runtime in isinstance checks


# --- condition -> tree ---------------------------------------------------------------


def is_operator_object(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and all(
        isinstance(k, str) and k.startswith("$") for k in value
    )


def from_condition(condition: dict[str, Any] | None) -> Group:
    """The tree for ``condition`` (``None`` is the empty condition: everyone).
    The tree owns a deep copy, so later edits never reach the caller's dict."""
    if condition is None:
        return Group()
    if not isinstance(condition, dict):
        return Group(children=[Advanced(None, copy.deepcopy(condition))])
    return _parse_object(copy.deepcopy(condition))


def _parse_object(obj: dict[str, Any]) -> Group:
    if len(obj) == 1:
        ((key, value),) = obj.items()
        group = _logical(key, value)
        if group is not None:
            return group
    return Group("all", [node for key, value in obj.items() for node in _parse_key(key, value)])


def _logical(key: Any, value: Any) -> Group | None:
    if key in LOGICAL and isinstance(value, list):
        return Group(LOGICAL[key], [_parse_element(e) for e in value], explicit=key == "$and")
    if key == "$not" and isinstance(value, dict):
        return Group("none", [_parse_element(value)], use_not=True)
    return None


def _parse_key(key: Any, value: Any) -> list[Node]:
    group = _logical(key, value)
    if group is not None:
        return [group]
    if key in LOGICAL or key == "$not":
        return [Advanced(key, value)]
    return _parse_attribute(key, value)


def _parse_attribute(key: Any, value: Any) -> list[Node]:
    if not isinstance(key, str) or not key.strip():
        return [Advanced(key, value)]  # a row needs an attribute name to edit
    if is_operator_object(value):
        rules: list[Node] = []
        for op, expected in value.items():
            found = from_operator(op, expected)
            if found is None:
                return [Advanced(key, value)]
            rules.append(Rule(key, found[0], found[1]))
        return rules
    if value is None:
        return [Rule(key, "missing", None, literal=True)]
    if type(value) in (str, int, float, bool):
        return [Rule(key, "$eq", value, literal=True)]
    return [Advanced(key, value)]


def _parse_element(element: Any) -> Node:
    if not isinstance(element, dict):
        return Advanced(None, element)
    if len(element) == 1:
        ((key, value),) = element.items()
        if key not in LOGICAL and key != "$not":  # an attribute: maybe a single row
            nodes = _parse_attribute(key, value)
            if len(nodes) == 1:
                return nodes[0]
    return _parse_object(element)


# --- tree -> condition ---------------------------------------------------------------


def emits(node: Node) -> bool:
    """Is the node written into the condition? Incomplete or refused rows are not."""
    return not isinstance(node, Rule) or node.complete


def rule_operand(rule: Rule) -> Any:
    """What a row writes under its attribute key."""
    if rule.literal and rule.op == "$eq":
        return rule.value
    if rule.literal and rule.op == "missing":
        return None
    op, expected = to_operator(rule.op, rule.value)
    return {op: expected}


def to_condition(group: Group) -> dict[str, Any]:
    """The GrowthBook condition for the tree (a fresh copy; left-out rows excluded)."""
    return copy.deepcopy(_group_object(group, in_object=False))


def node_condition(node: Node) -> Any:
    """What one node writes as a list element (a copy), e.g. to show an advanced row."""
    return copy.deepcopy(_element(node))


def _element(node: Node, in_object: bool = False) -> Any:
    if isinstance(node, Rule):
        return {node.attribute: rule_operand(node)}
    if isinstance(node, Advanced):
        return node.value if node.key is None else {node.key: node.value}
    return _group_object(node, in_object)


def _group_object(group: Group, in_object: bool) -> dict[str, Any]:
    kids = [c for c in group.children if emits(c)]
    if group.mode == "none":
        if group.use_not and len(kids) == 1:
            return {"$not": _element(kids[0])}
        return {"$nor": [_element(c) for c in kids]}
    if group.mode == "any":
        return {"$or": [_element(c) for c in kids]}
    if not group.explicit and not in_object:
        merged = _merge([_element(c, in_object=True) for c in kids])
        if merged is not None:
            return merged
    return {"$and": [_element(c) for c in kids]}


def _merge(parts: list[Any]) -> dict[str, Any] | None:
    """One object with every part's keys, or None when two parts need the same
    key (the group is then written as an explicit ``$and`` list instead)."""
    out: dict[str, Any] = {}
    for part in parts:
        if not isinstance(part, dict):
            return None
        for key, value in part.items():
            if key not in out:
                out[key] = value
                continue
            mine = out[key]
            if (not isinstance(key, str) or key in LOGICAL or key == "$not"
                    or not is_operator_object(mine)
                    or not is_operator_object(value) or mine.keys() & value.keys()):
                return None
            out[key] = {**mine, **value}
    return out


def new_rule() -> Rule:
    """A row just added: no attribute yet, and an empty value that is not
    written until the author types one."""
    return Rule(value="", error="enter a value", text="")


# --- what a row shows ----------------------------------------------------------------


def row_type(rule: Rule, info: AttributeInfo | None) -> str:
    """The type a row is shown as: the author's choice, else the attribute's
    inferred type, else what its operator and value imply — the first of these
    under which the row's operator exists and its value can be shown unchanged."""
    candidates = [t for t in (rule.type, info.type if info else None,
                              natural_type(rule.op, rule.value)) if t]
    candidates += [t for t in ("string", "number", "date", "list", "boolean", "version")
                   if t not in candidates]
    item_type = info.item_type if info else "string"
    for type_name in candidates:
        if find_operator(type_name, rule.op) is None:
            continue
        kind = value_kind(type_name, rule.op, item_type)
        if rule.error is not None or value_fits(kind, rule.value):
            return type_name
    return candidates[0]


_A_FAMILY = {"number": "a number", "text": "text", "boolean": "true/false", "list": "a list"}


def rule_warning(rule: Rule, info: AttributeInfo | None, type_name: str) -> str | None:
    """A problem with a row as loaded (kept as-is, so the file does not change
    just by being opened): a value of the wrong type, a bad regex, a bad date."""
    if rule.error is not None or rule.op in ("exists", "missing"):
        return None
    if info is not None and not same_family(info.type, type_name):
        shown = format_value(value_kind(type_name, rule.op), rule.value)
        return (f"{rule.attribute} is {_A_FAMILY[family(info.type)]} in the sample profiles, "
                f"but this rule compares it with {_A_FAMILY[family(type_name)]} ({shown!r}), "
                f"so it may not match as intended")
    kind = value_kind(type_name, rule.op, info.item_type if info else "string")
    if kind in ("regex", "regexi", "date", "version"):
        _, error = parse_value(kind, rule.value)
        return error
    if info is not None and info.allowed and rule.op in _VALUE_OPS:
        return _outside_allowed(rule, info)
    return None


# Operators comparing an attribute with one of its values (or a list of them).
_VALUE_OPS = frozenset({"$eq", "$ne", "$in", "$nin", "$ini", "$nini", "$all", "contains"})


def _outside_allowed(rule: Rule, info: AttributeInfo) -> str | None:
    """A value the catalogue says the product never sends (``Pro`` for ``pro``)."""
    folded = rule.op in ("$ini", "$nini")

    def norm(value: Any) -> Any:
        return (type(value), value.casefold() if folded and type(value) is str else value)

    allowed = {norm(v) for v in info.allowed}
    values = rule.value if isinstance(rule.value, list) else [rule.value]
    outside = [v for v in values if norm(v) not in allowed]
    if not outside:
        return None
    shown = format_list([format_scalar(v) for v in info.allowed])
    return (f"{format_scalar(outside[0])!r} is not one of the values of "
            f"{info.label or info.path} in the attribute catalogue ({shown})")


# --- editing a row -------------------------------------------------------------------


def _carry(rule: Rule, old_kind: str, new_kind: str) -> None:
    """Move the row's value into a new value kind, converting when it can
    (``"90"`` → 90, ``JP`` → ``[JP]``) and flagging it when it cannot."""
    if old_kind == new_kind:
        return
    if new_kind == "none":
        rule.value, rule.error, rule.text = None, None, None
        return
    if new_kind == "bool":
        rule.value = rule.value if type(rule.value) is bool else True
        rule.error = rule.text = None
        return
    if rule.error is not None:
        text = rule.text or ""
    elif old_kind == "none" or rule.value in ("", None, []):
        text = ""
    elif old_kind in LIST_KINDS and new_kind not in LIST_KINDS:
        text = format_scalar(rule.value[0]) if rule.value else ""
    else:
        text = format_value(old_kind, rule.value)
    if not text:
        rule.value, rule.text = default_value(new_kind), ""
        rule.error = None if new_kind in ("number", "count") else parse_value(new_kind, "")[1]
        return
    set_value(rule, new_kind, text)


def set_type(rule: Rule, old_type: str, new_type: str, item_type: str = "string",
             old_item_type: str = "string") -> None:
    """Show the row as ``new_type``: keep the operator when that type has it,
    else take the type's first operator; carry the value across."""
    old_kind = value_kind(old_type, rule.op, old_item_type)
    if find_operator(new_type, rule.op) is None:
        rule.op = operators_for(new_type)[0].key
        rule.literal = False
    _carry(rule, old_kind, value_kind(new_type, rule.op, item_type))


def set_attribute(rule: Rule, attribute: str, old: AttributeInfo | None,
                  new: AttributeInfo | None) -> None:
    """A new attribute: take its inferred type (an unknown attribute keeps the
    row's current type, which the author may then change)."""
    old_type = row_type(rule, old)
    rule.attribute = attribute
    if new is None:
        rule.type = rule.type or old_type
        return
    rule.type = None
    set_type(rule, old_type, new.type, new.item_type, old.item_type if old else "string")


def set_operator(rule: Rule, op: str, type_name: str, item_type: str = "string") -> None:
    old_kind = value_kind(type_name, rule.op, item_type)
    if op != rule.op:
        rule.literal = False
    rule.op = op
    _carry(rule, old_kind, value_kind(type_name, op, item_type))


def set_value(rule: Rule, kind: str, raw: Any) -> None:
    """The author entered ``raw`` in an editor of ``kind``: store it, or keep the
    refused input with the reason (the row is then left out)."""
    value, error = parse_value(kind, raw)
    if error is None:
        rule.value, rule.error, rule.text = value, None, None
    else:
        rule.error = error
        rule.text = raw if isinstance(raw, str) else format_scalar(raw)
