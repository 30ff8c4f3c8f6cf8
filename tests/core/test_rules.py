"""The rule builder's Qt-free half: condition <-> tree, types, operators, values."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guidestudio.core.files.project_io import load_project
from guidestudio.core.model import Profile
from guidestudio.core.rules.match import matching_profiles, profile_attributes
from guidestudio.core.rules.tree import (
    Advanced,
    Group,
    Rule,
    from_condition,
    new_rule,
    row_type,
    rule_warning,
    set_attribute,
    set_operator,
    set_type,
    set_value,
    to_condition,
)
from guidestudio.core.rules.types import (
    find_operator,
    from_operator,
    infer_attributes,
    operators_for,
    to_operator,
)
from guidestudio.core.rules.values import format_list, parse_list, parse_value
from guidestudio.core.targeting import eval_condition
from tests.conftest import EXAMPLE_PROJECT

NOW = int(dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC).timestamp() * 1000)


def same(a: Any, b: Any) -> bool:
    """Equal including key order and int/float/bool distinctions (Python's == is looser)."""
    return json.dumps(a) == json.dumps(b)


@pytest.fixture(scope="module")
def example() -> Any:
    return load_project(EXAMPLE_PROJECT).project


def example_conditions(project: Any) -> list[dict[str, Any]]:
    found = [s.condition for s in project.segments.values()]
    found += [g.audience.conditions for g in project.guides.values()
              if g.audience and g.audience.conditions is not None]
    return found


# --- round trip -----------------------------------------------------------------------


def test_every_example_condition_round_trips_and_is_fully_editable(example: Any) -> None:
    conditions = example_conditions(example)
    assert len(conditions) >= 10
    for condition in conditions:
        tree = from_condition(condition)
        assert same(to_condition(tree), condition)
        assert not any(isinstance(n, Advanced) for n in walk(tree)), condition


def walk(group: Group) -> list[Any]:
    out: list[Any] = []
    for child in group.children:
        out.append(child)
        if isinstance(child, Group):
            out.extend(walk(child))
    return out


def test_shapes_map_to_groups_and_rows() -> None:
    tree = from_condition({"plan": "free", "$or": [{"a": {"$gte": 1}}, {"b": 1, "c": 2}],
                           "$not": {"d": {"$exists": True}}})
    assert tree.mode == "all" and not tree.explicit
    plan, any_of, not_ = tree.children
    assert isinstance(plan, Rule) and plan.literal and plan.value == "free"
    assert isinstance(any_of, Group) and any_of.mode == "any"
    assert isinstance(any_of.children[1], Group) and len(any_of.children[1].children) == 2
    assert isinstance(not_, Group) and not_.mode == "none" and not_.use_not
    assert from_condition({"$and": [{"a": 1}]}).explicit
    assert from_condition({"$nor": []}).mode == "none"
    assert same(to_condition(from_condition(None)), {})


@pytest.mark.parametrize("condition", [
    {"tags": {"$elemMatch": {"name": "x", "n": {"$gt": 1}}}},
    {"plan": {"$foo": 1}},
    {"plan": {"$gte": 1, "$regx": "a"}},
    {"x": {"$type": "string"}},
    {"x": {"$not": {"$in": [1]}}},
    {"x": [1, 2]},
    {"x": {"a": 1}},
    {"x": {}},
    {"$or": [1, "a"]},
    {"$and": {"a": 1}},
    {"$not": 3},
    {"": 1},
    {"x": {"$in": "a"}},
    {"x": {"$exists": 1}},
    {"x": {"$size": {"$gt": 1}}},
    {"x": {"$eq": None}},
    {"x": {"$inGroup": "g"}},
])
def test_what_the_builder_cannot_edit_is_an_advanced_node_kept_verbatim(
        condition: dict[str, Any]) -> None:
    tree = from_condition(condition)
    assert any(isinstance(n, Advanced) for n in walk(tree))
    assert same(to_condition(tree), condition)


def test_rows_merge_back_into_one_operator_object_and_fall_back_to_and_on_clashes() -> None:
    tree = Group("all", [Rule("age", "$gte", 18), Rule("age", "$lt", 65)])
    assert same(to_condition(tree), {"age": {"$gte": 18, "$lt": 65}})
    clash = Group("all", [Rule("age", "$gte", 18), Rule("age", "$gte", 21)])
    written = to_condition(clash)
    assert same(written, {"$and": [{"age": {"$gte": 18}}, {"age": {"$gte": 21}}]})
    assert eval_condition({"age": 20}, written) is False
    two_any = Group("all", [Group("any", [Rule("a", "$eq", 1)]), Group("any", [])])
    assert "$and" in to_condition(two_any)


def test_unfinished_and_refused_rows_are_left_out() -> None:
    bad = Rule("email", "$regex", "")
    set_value(bad, "regex", "(?i)acme")
    assert bad.error and "regular expression" in bad.error
    tree = Group("all", [Rule("plan", "$eq", "free"), new_rule(), bad])
    assert same(to_condition(tree), {"plan": {"$eq": "free"}})


def test_a_not_group_with_more_children_becomes_nor() -> None:
    tree = from_condition({"$not": {"a": 1}})
    assert same(to_condition(tree), {"$not": {"a": 1}})
    tree.children.append(Rule("b", "$eq", 2))
    assert same(to_condition(tree), {"$nor": [{"a": 1}, {"b": {"$eq": 2}}]})


# --- Hypothesis: condition -> rows -> condition is the identity -------------------------

_names = st.sampled_from(["plan", "country", "account.age_days", "events.login.last_7d",
                          "app_version", "tags", "$groups", "a.b.c"])
_text = st.text(max_size=8)
_num = st.integers(-1000, 1000) | st.floats(allow_nan=False, allow_infinity=False, width=32)
_scalar = _text | _num
_supported_op = st.one_of(
    st.tuples(st.sampled_from(["$eq", "$ne"]), _scalar | st.booleans()),
    st.tuples(st.sampled_from(["$lt", "$lte", "$gt", "$gte"]), _scalar),
    st.tuples(st.sampled_from(["$in", "$nin", "$all"]), st.lists(_scalar, max_size=4)),
    st.tuples(st.sampled_from(["$ini", "$nini"]), st.lists(_text, max_size=4)),
    st.tuples(st.sampled_from(["$regex", "$regexi", "$veq", "$vne", "$vgt", "$vgte", "$vlt",
                               "$vlte"]), _text),
    st.tuples(st.just("$exists"), st.booleans()),
    st.tuples(st.just("$size"), st.integers(0, 20)),
    st.tuples(st.just("$elemMatch"), st.fixed_dictionaries({"$eq": _scalar})),
)
_operator_object = st.lists(_supported_op, min_size=1, max_size=3,
                            unique_by=lambda pair: pair[0]).map(dict)
_literal = _scalar | st.booleans() | st.none()
_advanced = st.sampled_from([{"$foo": 1}, {"$type": "string"}, [1, 2], {"k": "v"},
                             {"$elemMatch": {"n": {"$gt": 1}}}, {"$gte": 1, "$bad": 2}])


@st.composite
def _conditions(draw: st.DrawFn, supported_only: bool, depth: int = 0) -> dict[str, Any]:
    values = _operator_object | _literal
    if not supported_only:
        values = values | _advanced
    items = list(draw(st.dictionaries(_names, values, max_size=3)).items())
    if depth < 2:
        for key in draw(st.lists(st.sampled_from(["$and", "$or", "$nor", "$not"]),
                                 max_size=2, unique=True)):
            sub = _conditions(supported_only, depth + 1)
            items.append((key, draw(sub) if key == "$not" else draw(st.lists(sub, max_size=3))))
    return dict(draw(st.permutations(items)))


@settings(max_examples=150, deadline=None)
@given(_conditions(True))
def test_supported_conditions_round_trip_through_rows_unchanged(condition: dict) -> None:
    tree = from_condition(condition)
    assert not any(isinstance(n, Advanced) for n in walk(tree))
    assert same(to_condition(tree), condition)


@settings(max_examples=100, deadline=None)
@given(_conditions(False))
def test_any_condition_round_trips_with_advanced_rows(condition: dict) -> None:
    assert same(to_condition(from_condition(condition)), condition)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                        max_size=10).filter(lambda s: s.strip() == s and s), max_size=5))
def test_comma_lists_round_trip(items: list[str]) -> None:
    assert parse_list(format_list(items)) == items


# --- types, operators, values ---------------------------------------------------------


def test_types_are_inferred_from_the_sample_profiles(example: Any) -> None:
    infos = infer_attributes(example.profiles)
    assert infos["plan"].type == "string"
    assert infos["storage_used_pct"].type == "number"
    assert infos["account.age_days"].type == "number"
    assert infos["app_version"].type == "version"
    assert infos["events.login.last_7d"].type == "behaviour"
    assert infos["events.automation_created.days_since"].behaviour
    assert "free" in infos["plan"].examples
    extra = infer_attributes([Profile("p", {"beta": True, "tags": ["a", "b"], "scores": [1, 2],
                                            "signed_up": "2026-01-31", "mixed": "2.0.1"}),
                              Profile("q", {"mixed": "hello"})])
    assert (extra["beta"].type, extra["tags"].type, extra["signed_up"].type) == (
        "boolean", "list", "date")
    assert extra["scores"].item_type == "number"
    assert extra["mixed"].type == "string"


def test_operators_fit_each_type_with_human_labels() -> None:
    assert find_operator("number", "$gte").label == "is at least"
    assert {op.key for op in operators_for("version")} >= {"$veq", "$vne", "$vgt", "$vgte",
                                                            "$vlt", "$vlte"}
    assert [op.key for op in operators_for("date")][:4] == ["$lt", "$gt", "$lte", "$gte"]
    assert find_operator("list", "contains") and find_operator("list", "$size")
    assert find_operator("string", "$ini").label == "is one of (any case)"
    assert operators_for("behaviour") == operators_for("number")
    assert to_operator("contains", "x") == ("$elemMatch", {"$eq": "x"})
    assert from_operator("$elemMatch", {"$eq": "x"}) == ("contains", "x")
    assert to_operator("missing", None) == ("$exists", False)


@pytest.mark.parametrize(("kind", "raw", "value", "ok"), [
    ("number", "90", 90, True),
    ("number", "2.5", 2.5, True),
    ("number", "ninety", None, False),
    ("number", 90.0, 90, True),
    ("number_list", "1, 2.5", [1, 2.5], True),
    ("number_list", "1, two", None, False),
    ("string_list", 'JP, "a, b"', ["JP", "a, b"], True),
    ("string_list", " , ", None, False),
    ("regex", "@acme\\.example$", "@acme\\.example$", True),
    ("regex", "(?i)acme", None, False),
    ("regex", "(", None, False),
    ("version", "2.4.1", "2.4.1", True),
    ("version", "latest", None, False),
    ("date", "2026-12-01", "2026-12-01", True),
    ("date", "2026-02-30", None, False),
    ("date", "next week", None, False),
    ("count", "3", 3, True),
    ("count", "-1", None, False),
])
def test_values_are_parsed_or_refused_with_a_reason(kind: str, raw: Any, value: Any,
                                                    ok: bool) -> None:
    parsed, error = parse_value(kind, raw)
    assert (error is None) == ok, error
    if ok:
        assert same(parsed, value)
    else:
        assert error and len(error) > 10


def test_changing_attribute_type_carries_or_flags_the_value() -> None:
    infos = infer_attributes([Profile("p", {"country": "JP", "pct": 5, "v": "2.0.1"})])
    rule = Rule("country", "$eq", "90")
    set_attribute(rule, "pct", infos["country"], infos["pct"])
    assert (rule.op, rule.value, rule.error) == ("$eq", 90, None)
    rule = Rule("country", "$eq", "JP")
    set_attribute(rule, "pct", infos["country"], infos["pct"])
    assert rule.error and "not a number" in rule.error and rule.text == "JP"
    rule = Rule("country", "$regex", "^J")
    set_attribute(rule, "v", infos["country"], infos["v"])
    assert rule.op == "$veq" and rule.error  # "^J" is no version
    rule = Rule("country", "$eq", "JP")
    set_operator(rule, "$in", "string")
    assert rule.value == ["JP"] and not rule.literal
    set_operator(rule, "exists", "string")
    assert same(to_condition(Group("all", [rule])), {"country": {"$exists": True}})
    rule = Rule("flag", "$eq", "x")
    set_type(rule, "string", "boolean")
    assert rule.value is True


def test_row_type_follows_the_attribute_unless_the_value_disagrees(example: Any) -> None:
    infos = infer_attributes(example.profiles)
    good = Rule("storage_used_pct", "$gte", 90)
    assert row_type(good, infos["storage_used_pct"]) == "number"
    assert rule_warning(good, infos["storage_used_pct"], "number") is None
    odd = Rule("storage_used_pct", "$gte", "2026-01-01")
    shown = row_type(odd, infos["storage_used_pct"])
    assert shown == "date"
    assert "number" in (rule_warning(odd, infos["storage_used_pct"], shown) or "")
    assert row_type(Rule("x", "$vgt", "1.0"), None) == "version"
    bad_regex = Rule("email", "$regex", "(?i)x")
    assert "regular expression" in (rule_warning(bad_regex, None, "string") or "")


# --- sample-profile matching ----------------------------------------------------------


def test_profile_attributes_are_what_the_runtime_sees() -> None:
    events = {"login": {"2026-11-24": 1, "2026-11-18": 2, "2026-10-20": 4, "2026-08-01": 1}}
    profile = Profile("p", {"plan": "pro", "events": {"login": {"count": 99}}}, events=events)
    attrs = profile_attributes(profile, NOW, {"events.never.count": {"$eq": 0}})
    assert attrs["plan"] == "pro"
    assert attrs["events"]["login"]["count"] == 99  # the product's own value wins
    assert (attrs["events"]["login"]["last_7d"], attrs["events"]["login"]["last_30d"]) == (3, 3)
    assert attrs["events"]["login"]["days_since"] == 0
    assert attrs["events"]["never"] == {"count": 0, "last_7d": 0, "last_30d": 0}


def test_matching_uses_behaviour_attributes(example: Any) -> None:
    def ids(condition: dict[str, Any]) -> list[str]:
        return [p.id for p in matching_profiles(condition, example.profiles, NOW)]

    assert ids({"events.login.days_since": {"$gte": 21}}) == ["lucas-pro-inactive"]
    assert ids({"events.file_shared.last_30d": {"$gte": 5},
                "events.automation_created.count": {"$eq": 0}}) == ["marcus-pro-sharer"]
    assert ids({"plan": "free", "$or": [{"storage_used_pct": {"$gte": 90}},
                                        {"country": {"$in": ["JP", "DE"]}}]}) == [
        "emma-free-storage-full", "hostile-first-name"]
