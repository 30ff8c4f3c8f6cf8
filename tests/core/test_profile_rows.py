"""Sample profiles as table rows and back: what the profiles editor shows and writes."""

from __future__ import annotations

import datetime as dt

from guidestudio.core.profile_rows import (
    build_events,
    convert,
    event_rows,
    flatten,
    free_attribute_name,
    free_id,
    kind_of,
    next_event_row,
    unflatten,
)


def test_flat_names_round_trip() -> None:
    attributes = {"plan": "free", "account": {"age_days": 3, "seats": 1}, "tags": ["a"]}
    rows = flatten(attributes)
    assert rows == [("plan", "free"), ("account.age_days", 3), ("account.seats", 1),
                    ("tags", ["a"])]
    assert unflatten(rows) == (attributes, None)
    assert unflatten([("plan", 1), ("plan.x", 2)])[1] is not None
    assert convert("93", "number") == 93 and convert(3, "string") == "3"
    assert convert("a, b", "string_list") == ["a", "b"] and convert(1, "bool") is True


def test_each_value_is_edited_as_its_kind() -> None:
    assert [kind_of(v) for v in (None, True, 3, 2.5, [1, 2], ["a"], [], "2026-11-02",
                                 "2026-13-40", "free")] == \
        ["none", "bool", "number", "number", "number_list", "string_list", "string_list",
         "date", "string", "string"]


def test_a_value_that_cannot_be_read_as_the_new_kind_gets_a_blank_one() -> None:
    assert convert("free", "number_list") == [] and convert("x", "none") is None
    assert convert("2026-11-02", "date") == "2026-11-02"
    assert convert("someday", "date") == dt.date.today().isoformat()
    assert convert(["a", "b"], "string") == "a, b"


def test_rows_that_cannot_be_written_say_why() -> None:
    assert "empty parts" in (unflatten([("account..seats", 1)])[1] or "")
    assert "two attributes" in (unflatten([("plan", 1), ("plan", 2)])[1] or "")
    assert "is a value" in (unflatten([("plan", 1), ("plan.tier", 2)])[1] or "")
    assert unflatten([("a.b", 1), ("a.c", 2)]) == ({"a": {"b": 1, "c": 2}}, None)
    assert flatten({"empty": {}}) == [("empty", {})]  # an empty group stays whole


def test_event_rows_round_trip_and_refuse_bad_names_and_days_twice() -> None:
    events = {"login": {"2026-11-02": 1, "2026-11-07": 3}, "report.exported": {"2026-11-01": 2}}
    rows = event_rows(events)
    assert rows == [("login", "2026-11-02", 1), ("login", "2026-11-07", 3),
                    ("report.exported", "2026-11-01", 2)]
    assert build_events(rows) == (events, None) and event_rows(None) == []
    assert "not an event name" in (build_events([("bad name", "2026-11-02", 1)])[1] or "")
    assert "name the event" in (build_events([("", "2026-11-02", 1)])[1] or "")
    assert "two counts" in (build_events([("login", "2026-11-02", 1),
                                          ("login", "2026-11-02", 2)])[1] or "")


def test_new_rows_and_profiles_get_free_names() -> None:
    assert free_attribute_name([]) == "attribute"
    assert free_attribute_name([("attribute", 1), ("attribute_2.x", 2)]) == "attribute_3"
    today = dt.date(2026, 11, 7)
    rows = [("login", "2026-11-07", 1), ("login", "2026-11-06", 2)]
    assert next_event_row(rows, today) == ("login", "2026-11-05", 1)
    assert next_event_row([], today) == ("login", "2026-11-07", 1)
    assert free_id({"user", "user-2"}, "user") == "user-3"
    assert free_id(set(), "Emma Copy!") == "emma-copy" and free_id(set(), "!!") == "user"
    assert len(free_id(set(), "x" * 80)) == 56
