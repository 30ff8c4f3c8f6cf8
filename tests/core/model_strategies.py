"""Hypothesis strategies that build valid model objects, shared by property tests."""

from __future__ import annotations

from hypothesis import strategies as st

from guidestudio.core.model import (
    Anchor,
    Audience,
    Button,
    ChecklistItem,
    Experiment,
    Frequency,
    Goal,
    Guide,
    Schedule,
    Segment,
    Step,
    Survey,
    Trigger,
    Variant,
)

ids = st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True)
keys = st.from_regex(r"[a-z][a-z0-9]{0,7}", fullmatch=True)
# Any text a marketer might type, including markup and YAML-significant characters.
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x85\u2028\u2029"),
    min_size=1,
    max_size=40,
) | st.sampled_from(["on", "yes", "no", "true", "null", "~", "2026-12-01", "1.0", "- x", "a: b",
                     "<script>x</script>", "{{7*7}}", "  lead", "multi\nline"])
locales = st.sampled_from(["en", "ja"])
localized = st.dictionaries(locales, texts, min_size=1, max_size=2)
scalars = st.one_of(st.integers(-1000, 1000), texts, st.booleans())
conditions = st.dictionaries(
    st.sampled_from(["plan", "country", "account.age_days", "role"]),
    scalars | st.fixed_dictionaries({"$in": st.lists(scalars, max_size=3)}),
    max_size=3,
)

buttons = st.builds(
    Button,
    label=localized,
    action=st.sampled_from(["next", "back", "dismiss", "complete"]),
    style=st.none() | st.sampled_from(["primary", "secondary", "link"]),
)
steps = st.builds(
    Step,
    id=st.none() | keys,
    title=st.none() | localized,
    body=st.none() | localized,
    anchor=st.none() | st.builds(Anchor, selector=st.sampled_from(["#a", ".b > c", "[data-x]"]),
                                 placement=st.none() | st.sampled_from(["top", "auto"])),
    if_missing=st.none() | st.sampled_from(["skip", "wait", "modal"]),
    buttons=st.lists(buttons, max_size=3),
    items=st.lists(st.builds(ChecklistItem, id=keys, label=localized, event=keys), max_size=2),
    survey=st.none() | st.builds(Survey, question=localized),
)
variants = st.builds(Variant, key=keys, steps=st.lists(steps, min_size=1, max_size=3),
                     weight=st.none() | st.integers(1, 10) | st.floats(0.1, 5.0).map(lambda x: round(x, 3)))
guides = st.builds(
    Guide,
    id=ids,
    name=texts,
    kind=st.sampled_from(["tooltip", "modal", "walkthrough", "banner", "hotspot", "checklist", "survey"]),
    status=st.sampled_from(["draft", "staged", "live", "archived"]),
    variants=st.lists(variants, min_size=1, max_size=3),
    description=st.none() | texts,
    priority=st.none() | st.integers(0, 1000),
    audience=st.none() | st.builds(Audience, segments=st.lists(ids, max_size=2, unique=True),
                                   conditions=st.none() | conditions),
    trigger=st.none() | st.builds(Trigger, on=st.just("page_view"), url=st.none() | st.just("/files/*")),
    schedule=st.none() | st.builds(Schedule, start=st.just("2026-12-01T00:00:00Z"),
                                   end=st.none() | st.just("2027-01-31")),
    frequency=st.none() | st.builds(Frequency, max_shows=st.none() | st.integers(1, 5),
                                    stop_after=st.lists(st.sampled_from(["dismissed", "completed"]),
                                                        unique=True)),
    goal=st.none() | st.builds(Goal, event=keys, within_days=st.none() | st.integers(1, 30)),
    experiment=st.none() | st.builds(Experiment, key=keys,
                                     control_weight=st.none() | st.sampled_from([0, 0.1, 0.5])),
)
segments = st.builds(Segment, id=ids, name=texts, condition=conditions,
                     description=st.none() | texts)
