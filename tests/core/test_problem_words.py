"""Problems as the window says them: names, labels and sentences, never ids and YAML keys.

One project written to disk with a mistake of nearly every kind the validator finds;
each of its problems is said by ``problem_words`` as the problems panel and the fields
show it. The validator's own words (for the CLI) keep the ids: the test checks both.
"""

from __future__ import annotations

import re
from pathlib import Path

from guidestudio.core.describe.problem_words import problem_words
from guidestudio.core.files.project_io import load_project
from guidestudio.core.validate import validate_project
from tests.core.test_validate import make

SETTINGS = """\
schema_version: 1
id: t
name: T
default_locale: en
locales: [en, ja]
timezone: Europe/Pariss
hash_attribute: " "
throttle: {min_minutes_between: 600, max_per_session: 5, max_per_day: 3}
attributes:
  - {key: plan, label: Plan, allowed: [free, pro]}
  - {key: plan, label: Plan again}
  - {key: seats, label: Seats, type: string, unit: seats}
"""


def guide_file(gid: str, name: str, kind: str, body: str, status: str = "live") -> str:
    return (f"schema_version: 1\nid: {gid}\nname: {name}\nkind: {kind}\nstatus: {status}\n"
            + body)


FILES = {
    "guidestudio.yaml": SETTINGS,
    "segments/pro-plan.yaml": "schema_version: 1\nid: pro-plan\nname: Pro plan\n"
                              "condition: {plan: pro}\n",
    "segments/free-plan.yaml": "schema_version: 1\nid: free-plan\nname: Free plan\n"
                               "condition: {plan: {$in: [free, gold]}, seats: {$gt: 5, $lt: 2}}\n",
    "guides/storage-full.yaml": guide_file("storage-full", "Storage almost full", "walkthrough", """\
audience: {segments: [free-plan, pro-plann]}
theme: acme-lite
trigger: {on: page_view, selector: "#upgrade"}
frequency: {stop_after: [goal_reached]}
experiment: {key: storage-test, coverage: 0}
variants:
  - key: a
    name: Loss aversion
    steps:
      - id: intro
        title: {en: Hello, jp: Konnichiwa}
        if_missing: skip
        wait_seconds: 5
        buttons:
          - {label: {en: Back, ja: 戻る}, action: back}
          - {label: {en: Other, ja: 他}, action: guide, guide: win-back}
      - id: intro
        title: {en: Second, ja: 二}
        layout: tooltip
        buttons:
          - {label: {en: Next, ja: 次}, action: next}
  - key: a
    name: Gain framing
    steps: []
"""),
    "guides/win-back.yaml": guide_file("win-back", "Win-back — we rebuilt sync", "modal", """\
experiment: {key: storage-test}
variants:
  - key: a
    steps:
      - title: {en: Back again, ja: また}
        buttons:
          - {label: {en: Go, ja: 行く}, action: guide, guide: storage-full}
          - {label: {en: Old, ja: 古い}, action: guide, guide: summer-sale}
          - {label: {en: Next, ja: 次}, action: next}
""", status="staged"),
    "segments/regex.yaml": "schema_version: 1\nid: regex\nname: Odd emails\n"
                           "condition: {email: {$regex: '(a+)+$'}, seats: {$foo: 1}}\n",
    "guides/nps.yaml": guide_file("nps", "NPS", "survey", """\
trigger: {on: click, selector: "##bad"}
schedule: {start: "2026-12-01", end: "2026-11-01"}
experiment: {key: nps-test, control_weight: 0.1}
variants:
  - key: control
    steps:
      - title: {en: Hi, ja: やあ}
        layout: modal
        image: {src: "https://cdn.example/x.png", alt: {en: A, ja: A}}
        buttons:
          - {label: {en: Go, ja: 行く}, action: url, url: "javascript:alert(1)"}
  - key: b
    steps:
      - title: {en: Hi, ja: やあ}
        survey: {type: nps, question: {en: How likely?, ja: どう?}}
"""),
    "guides/list.yaml": guide_file("list", "Getting started", "checklist", """\
variants:
  - key: a
    steps:
      - title: {en: Start, ja: 始め}
"""),
    "guides/summer-sale.yaml": guide_file("summer-sale", "Summer sale 2026", "modal", """\
variants:
  - key: a
    steps:
      - title: {en: Sale}
        buttons:
          - {label: {en: OK}, action: dismiss}
""", status="archived"),
}
#: Codes the project above must produce: the test says them all.
EXPECTED_CODES = {
    "unused-segment", "unknown-segment", "unknown-theme", "archived-guide", "guide-cycle",
    "duplicate-experiment", "duplicate-variant", "duplicate-step-id", "coverage-zero",
    "nav-button-single-step", "nav-button-nowhere", "no-finish-button", "missing-anchor",
    "wait-seconds-ignored", "no-steps", "trigger-field-ignored", "goal-missing",
    "missing-translation", "unknown-locale", "catalogue-duplicate", "not-allowed-value",
    "throttle", "unknown-timezone", "hash-attribute", "catalogue-unit", "regex-backtracking",
    "unknown-operator", "selector", "schedule-order", "reserved-variant-key", "field-ignored",
    "image-outside", "unsafe-url", "missing-survey", "no-checklist-items",
}
#: What a marketer should never read: a YAML key, a list index, an operator, a file name,
#: Python's quotes around an id.
KEYS = re.compile(r"\b[a-z]+_[a-z_]+\b|\w\[\d+\]|\$[a-z]+|\.yaml\b|'[\w-]+'")
#: The example's ids whose names differ: never shown bare in quotes.
IDS = ("pro-plan", "free-plan", "storage-full", "win-back", "summer-sale")


def problems(tmp_path: Path):  # type: ignore[no-untyped-def]
    root = make(tmp_path, FILES)
    result = load_project(root)
    assert result.problems == [], [p.format() for p in result.problems]
    return result.project, validate_project(result.project, result.files)


def test_every_problem_is_said_in_the_forms_words(tmp_path: Path) -> None:
    project, found = problems(tmp_path)
    codes = {p.code for p in found}
    assert EXPECTED_CODES <= codes, EXPECTED_CODES - codes
    for problem in found:
        words = problem_words(project, problem)
        assert not KEYS.search(words), (problem.format(), words)
        for key in IDS:
            assert f"“{key}”" not in words, (problem.format(), words)
        assert not words[:1].islower(), words


def test_names_replace_ids_and_labels_replace_keys(tmp_path: Path) -> None:
    project, found = problems(tmp_path)
    said: dict[str, str] = {}
    for problem in found:  # a code's sentences, one a line
        said[problem.code] = "\n".join(filter(None, [said.get(problem.code),
                                                       problem_words(project, problem)]))
    assert said["unused-segment"].startswith("No guide uses it")
    assert "pro-plan" in next(p.message for p in found if p.code == "unused-segment")  # CLI
    assert "(did you mean “Pro plan”?)" in said["unknown-segment"]
    assert "“Summer sale 2026”, which is archived" in said["archived-guide"]
    assert "“Storage almost full” → “Win-back — we rebuilt sync”" in said["guide-cycle"]
    assert "“Wait up to” is only used when “If it's missing” is “Wait for it to appear”" \
        in said["wait-seconds-ignored"]
    assert "No Japanese text yet; add it" in said["missing-translation"].splitlines()
    assert said["unknown-locale"].startswith("“jp” is not one of the project's languages (English, Japanese)")
    assert "“Element clicked” is not used when “Show it” is “When a page opens”" \
        in said["trigger-field-ignored"]
    assert "“Go back a step” button on the first step" in said["nav-button-nowhere"]
    assert said["no-steps"].startswith("Variant “Gain framing” has no steps")
    assert "Plan is compared with" in said["not-allowed-value"]
    assert "Seats is more than 5 and Seats is less than 2" in "\n".join(said.values())
