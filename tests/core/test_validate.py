"""Semantic validation: one test per rule, each on a small project written to disk.

Every test loads real YAML through the loader, so it also proves that the
Problem points at the right file, line and dotted field — what the problems
panel jumps to and what the CLI prints as ``file:line: field: message``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from textwrap import dedent

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidestudio.core import validate as validate_module
from guidestudio.core.files.project_io import ProjectFiles, load_project
from guidestudio.core.model import (
    Anchor,
    Audience,
    Button,
    Experiment,
    Guide,
    Project,
    Segment,
    Settings,
    Step,
    Trigger,
    Variant,
)
from guidestudio.core.problems import Problem
from guidestudio.core.validate import selector_error, validate_project
from tests.core.model_strategies import guides

SETTINGS = """\
schema_version: 1
id: t
name: T
default_locale: en
locales: [en]
"""

ONE_STEP = """\
variants:
  - key: a
    steps:
      - title: {en: Hello}
        buttons:
          - {label: {en: OK}, action: dismiss}
"""


def guide(body: str = ONE_STEP, gid: str = "g", kind: str = "modal", status: str = "live") -> str:
    """A guide file: the fixed header, then ``body`` (variants and any other fields)."""
    return (f"schema_version: 1\nid: {gid}\nname: Guide {gid}\nkind: {kind}\nstatus: {status}\n"
            + dedent(body))


def segment(sid: str, condition: str = "{plan: free}") -> str:
    return f"schema_version: 1\nid: {sid}\nname: Segment {sid}\ncondition: {condition}\n"


def make(root: Path, files: dict[str, str]) -> Path:
    """Write a project: ``guidestudio.yaml`` unless given, then every file."""
    files = {"guidestudio.yaml": SETTINGS, **files}
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def run(root: Path) -> list[Problem]:
    """Load (which must be clean: the test is about validation) and validate."""
    result = load_project(root)
    assert result.problems == [], [p.format() for p in result.problems]
    return validate_project(result.project, result.files)


def line_of(root: Path, rel: str, needle: str) -> int:
    """1-based line of the first line of ``rel`` containing ``needle``."""
    for number, line in enumerate((root / rel).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {rel}")


def only(problems: list[Problem], code: str) -> Problem:
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, [p.format() for p in problems]
    return found[0]


def expect(problem: Problem, root: Path, file: str, needle: str | int, field: str, *words: str,
           severity: str = "error") -> None:
    """Check a Problem's file, line (a line number, or text on that line), field and words."""
    assert problem.file == file
    line = needle if isinstance(needle, int) else line_of(root, file, needle)
    assert problem.line == line, problem.format()
    assert problem.field == field
    assert problem.severity == severity
    for word in words:
        assert word in problem.message, problem.message


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


# --- a clean project gives no problems -----------------------------------------------------


def test_a_complete_valid_project_has_no_problems(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "tour.png").write_bytes(b"\x89PNG")
    root = make(tmp_path, {
        "guidestudio.yaml": SETTINGS.replace("locales: [en]", "locales: [en, ja]")
        + "timezone: Europe/Paris\ntheme: light\nthrottle: {min_minutes_between: 30, "
          "max_per_session: 2, max_per_day: 3}\n",
        "themes/light.yaml": "schema_version: 1\nid: light\nname: Light\n",
        "segments/free-plan.yaml": segment("free-plan", "{plan: {$in: [free, trial]}, "
                                                        "email: {$regexi: '@acme\\.'}}"),
        "guides/tour.yaml": guide("""\
            theme: light
            audience: {segments: [free-plan], conditions: {age_days: {$lt: 7}}}
            trigger: {on: click, selector: "#start-tour", url: "/files/*"}
            schedule: {start: 2026-12-01T00:00:00Z, end: "2027-01-31 23:59", timezone: Asia/Tokyo}
            frequency: {stop_after: [goal_reached]}
            goal: {event: plan_upgraded}
            experiment: {key: tour-copy, control_weight: 0.1, coverage: 0.5}
            variants:
              - key: a
                weight: 2
                steps:
                  - id: one
                    layout: tooltip
                    title: {en: Files, ja: ファイル}
                    body: {en: "See [docs](https://acme.example/docs) or [help](/help)", ja: ヘルプ}
                    image: {src: assets/tour.png, alt: {en: Tour, ja: ツアー}}
                    anchor: {selector: "#files > .list li:nth-child(2)"}
                    if_missing: wait
                    wait_seconds: 5
                    buttons:
                      - {label: {en: Next, ja: 次へ}, action: next}
                  - id: two
                    layout: modal
                    title: {en: Done, ja: 完了}
                    buttons:
                      - {label: {en: Back, ja: 戻る}, action: back}
                      - {label: {en: Upgrade, ja: アップグレード}, action: url, url: "https://acme.example/billing"}
                      - {label: {en: Finish, ja: 完了}, action: complete}
              - key: b
                steps:
                  - layout: modal
                    title: {en: Files, ja: ファイル}
                    buttons:
                      - {label: {en: Next, ja: 次へ}, action: next}
                  - layout: modal
                    title: {en: Done, ja: 完了}
                    buttons:
                      - label: {en: Mail us, ja: メール}
                        action: url
                        url: "mailto:hi@acme.example"
                      - {label: {en: Other, ja: 他}, action: guide, guide: nps}
                      - {label: {en: Close, ja: 閉じる}, action: dismiss}
            """, gid="tour", kind="walkthrough"),
        "guides/nps.yaml": guide("""\
            variants:
              - key: a
                steps:
                  - survey: {question: {en: Recommend us?, ja: おすすめしますか?}}
            """, gid="nps", kind="survey"),
    })
    assert run(root) == []


# --- references ------------------------------------------------------------------------------


def test_unknown_segment_suggests_the_closest(tmp_path: Path) -> None:
    root = make(tmp_path, {
        "segments/free-plan.yaml": segment("free-plan"),
        "guides/g.yaml": guide("audience: {segments: [free-plan, free-plna]}\n" + ONE_STEP),
    })
    problem = only(run(root), "unknown-segment")
    expect(problem, root, "guides/g.yaml", "audience", "audience.segments[1]",
           "'free-plna'", "did you mean 'free-plan'", "create segments/free-plna.yaml")


def test_segment_in_a_broken_file_is_named_as_broken_not_missing(tmp_path: Path) -> None:
    root = make(tmp_path, {
        "segments/pro.yaml": "schema_version: 1\nid: pro\nname: [oops\n",
        "guides/g.yaml": guide("audience: {segments: [pro]}\n" + ONE_STEP),
    })
    result = load_project(root)
    problem = only(validate_project(result.project, result.files), "unknown-segment")
    assert "segments/pro.yaml has errors" in problem.message


def test_unknown_theme_in_guide_and_in_settings(tmp_path: Path) -> None:
    root = make(tmp_path, {
        "guidestudio.yaml": SETTINGS + "theme: darkk\n",
        "themes/dark.yaml": "schema_version: 1\nid: dark\nname: Dark\n",
        "guides/g.yaml": guide("theme: lite\n" + ONE_STEP),
    })
    problems = [p for p in run(root) if p.code == "unknown-theme"]
    assert len(problems) == 2
    by_file = {p.file: p for p in problems}
    expect(by_file["guidestudio.yaml"], root, "guidestudio.yaml", "theme", "theme",
           "'darkk'", "did you mean 'dark'")
    expect(by_file["guides/g.yaml"], root, "guides/g.yaml", "theme:", "theme", "'lite'")


# --- conditions ------------------------------------------------------------------------------


def test_unknown_operator_in_guide_conditions_points_at_the_operator(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide(dedent("""\
        audience:
          conditions:
            $or:
              - {country: US}
              - account.plan:
                  $inn: [pro, team]
        """) + ONE_STEP)})
    problem = only(run(root), "unknown-operator")
    expect(problem, root, "guides/g.yaml", "$inn", "audience.conditions.$or[1].account.plan.$inn",
           "'$inn'", "did you mean '$in'", "never match")


def test_unknown_operator_in_segment_condition(tmp_path: Path) -> None:
    root = make(tmp_path, {
        "segments/s.yaml": "schema_version: 1\nid: s\nname: S\ncondition:\n"
                           "  seats:\n    $gtee: 5\n",
        "guides/g.yaml": guide("audience: {segments: [s]}\n" + ONE_STEP),
    })
    problem = only(run(root), "unknown-operator")
    expect(problem, root, "segments/s.yaml", "$gtee", "condition.seats.$gtee", "'$gtee'",
           "did you mean '$gte'")


def test_regex_that_javascript_rejects(tmp_path: Path) -> None:
    root = make(tmp_path, {
        "segments/s.yaml": "schema_version: 1\nid: s\nname: S\ncondition:\n"
                           "  email:\n    $regex: '(?i)@acme'\n",
        "guides/g.yaml": guide("audience:\n  segments: [s]\n  conditions:\n"
                               "    tags: {$elemMatch: {$regexi: '^vip'}}\n" + ONE_STEP),
    })
    problem = only(run(root), "regex")
    expect(problem, root, "segments/s.yaml", "$regex", "condition.email.$regex",
           "'(?i)@acme'", "$regexi")


def test_regex_that_javascript_reads_differently(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide(
        "audience:\n  conditions:\n    path: {$not: {$regex: '(?<=a+)b'}}\n" + ONE_STEP)})
    problem = only(run(root), "regex")
    expect(problem, root, "guides/g.yaml", "$regex", "audience.conditions.path.$not.$regex",
           "will not work")


# --- experiments and variants ----------------------------------------------------------------

TWO_VARIANTS = """\
variants:
  - key: a
    weight: {weight}
    steps:
      - title: {{en: A}}
  - key: {second}
    steps:
      - title: {{en: B}}
"""


@pytest.mark.parametrize("weight", ["0", "-1"])
def test_variant_weight_must_be_positive(tmp_path: Path, weight: str) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide(
        "experiment: {key: e}\n" + TWO_VARIANTS.format(weight=weight, second="b"))})
    problem = only(run(root), "variant-weight")
    expect(problem, root, "guides/g.yaml", "weight:", "variants[0].weight", "positive")


def test_duplicate_variant_keys(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide(
        "experiment: {key: e}\n" + TWO_VARIANTS.format(weight=1, second="a"))})
    problem = only(run(root), "duplicate-variant")
    second = line_of(root, "guides/g.yaml", "weight") + 3
    expect(problem, root, "guides/g.yaml", second, "variants[1].key", "'a'", "twice")


def test_experiment_without_variants(tmp_path: Path) -> None:
    # The schema stops a file with no variants; the editor's model can still get there.
    root = make(tmp_path, {"guides/g.yaml": guide("experiment: {key: e}\n" + ONE_STEP)})
    result = load_project(root)
    result.project.guides["g"].variants = []
    problems = validate_project(result.project, result.files)
    problem = only(problems, "experiment-no-variants")
    expect(problem, root, "guides/g.yaml", "experiment", "experiment", "no variants")
    assert "no-variants" in codes(problems)


def test_experiment_with_one_variant_and_no_control_is_a_warning(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide("experiment: {key: e}\n" + ONE_STEP)})
    problem = only(run(root), "experiment-single-arm")
    expect(problem, root, "guides/g.yaml", "experiment", "experiment", "nothing to compare",
           severity="warning")


@pytest.mark.parametrize("weight", ["1", "1.5", "-0.1"])
def test_control_weight_outside_zero_to_one(tmp_path: Path, weight: str) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide(
        f"experiment:\n  key: e\n  control_weight: {weight}\n"
        + TWO_VARIANTS.format(weight=1, second="b"))})
    problem = only(run(root), "control-weight")
    expect(problem, root, "guides/g.yaml", "control_weight", "experiment.control_weight",
           "less than 1", weight)


def test_coverage_zero_is_a_warning(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide(
        "experiment:\n  key: e\n  coverage: 0\n" + TWO_VARIANTS.format(weight=1, second="b"))})
    problem = only(run(root), "coverage-zero")
    expect(problem, root, "guides/g.yaml", "coverage", "experiment.coverage", "nobody",
           severity="warning")


def test_several_variants_without_experiment_is_a_warning(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide(TWO_VARIANTS.format(weight=1, second="b"))})
    problem = only(run(root), "variants-without-experiment")
    expect(problem, root, "guides/g.yaml", "variants:", "variants", "only the first variant",
           "'a'", severity="warning")


def test_variant_key_control_is_reserved_with_a_control_group(tmp_path: Path) -> None:
    body = TWO_VARIANTS.format(weight=1, second="control")
    root = make(tmp_path, {"guides/g.yaml": guide(
        "experiment: {key: e, control_weight: 0.2}\n" + body)})
    problem = only(run(root), "reserved-variant-key")
    expect(problem, root, "guides/g.yaml", "key: control", "variants[1].key", "reserved")
    # Without a control group the name is free.
    (root / "guides/g.yaml").write_text(guide("experiment: {key: e}\n" + body), encoding="utf-8")
    assert "reserved-variant-key" not in codes(run(root))


def test_experiment_namespace_range_must_not_be_empty(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide(
        "experiment: {key: e, namespace: [ns, 0.6, 0.4]}\n"
        + TWO_VARIANTS.format(weight=1, second="b"))})
    problem = only(run(root), "namespace-range")
    expect(problem, root, "guides/g.yaml", "namespace", "experiment.namespace", "no users")


def test_same_experiment_key_in_two_guides_is_a_warning(tmp_path: Path) -> None:
    body = "experiment: {key: shared}\n" + TWO_VARIANTS.format(weight=1, second="b")
    root = make(tmp_path, {"guides/a.yaml": guide(body, gid="a"),
                           "guides/b.yaml": guide(body, gid="b")})
    problem = only(run(root), "duplicate-experiment")
    expect(problem, root, "guides/b.yaml", "shared", "experiment.key", "guide 'a'",
           severity="warning")


# --- schedule and time zones -----------------------------------------------------------------


@pytest.mark.parametrize(("start", "end", "words"), [
    ("2027-01-31", "2026-12-01", "before it starts"),
    ("2026-12-01T10:00:00+01:00", "2026-12-01T09:00:00Z", "at the moment it starts"),
])
def test_schedule_must_end_after_it_starts(tmp_path: Path, start: str, end: str,
                                           words: str) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide(
        f"schedule:\n  start: '{start}'\n  end: '{end}'\n" + ONE_STEP)})
    problem = only(run(root), "schedule-order")
    expect(problem, root, "guides/g.yaml", "end:", "schedule.end", words, "never show")


def test_naive_schedule_times_use_the_schedule_time_zone(tmp_path: Path) -> None:
    # 09:00 in Tokyo is 00:00 UTC: the end (01:00 UTC) is after the start.
    root = make(tmp_path, {"guides/g.yaml": guide(
        "schedule:\n  start: '2026-12-01T09:00'\n  end: '2026-12-01T01:00:00Z'\n"
        "  timezone: Asia/Tokyo\n" + ONE_STEP)})
    assert "schedule-order" not in codes(run(root))


def test_unparseable_datetime(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide("schedule: {start: 2026-02-30}\n" + ONE_STEP)})
    problem = only(run(root), "datetime")
    expect(problem, root, "guides/g.yaml", "schedule", "schedule.start", "2026-02-30",
           "not a real date")


def test_unknown_time_zones(tmp_path: Path) -> None:
    root = make(tmp_path, {
        "guidestudio.yaml": SETTINGS + "timezone: europe/paris\n",
        "guides/g.yaml": guide("schedule:\n  start: 2026-12-01\n  timezone: Mars/Olympus\n"
                               + ONE_STEP),
    })
    problems = [p for p in run(root) if p.code == "unknown-timezone"]
    by_file = {p.file: p for p in problems}
    expect(by_file["guidestudio.yaml"], root, "guidestudio.yaml", "timezone", "timezone",
           "did you mean 'Europe/Paris'")
    expect(by_file["guides/g.yaml"], root, "guides/g.yaml", "Mars", "schedule.timezone",
           "'Mars/Olympus'", "not a time zone")


# --- links -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)",
                                 "data:text/html,<b>x</b>", "vbscript:x",
                                 "java\\tscript:alert(1)", "%6Aavascript:alert(1)"])
def test_unsafe_button_url(tmp_path: Path, url: str) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide(f"""\
        variants:
          - key: a
            steps:
              - title: {{en: Hi}}
                buttons:
                  - label: {{en: Go}}
                    action: url
                    url: "{url}"
        """)})
    problem = only(run(root), "unsafe-url")
    expect(problem, root, "guides/g.yaml", "url:", "variants[0].steps[0].buttons[0].url",
           "could run code", "https, http, mailto")


def test_unsafe_checklist_item_url(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide("""\
        variants:
          - key: a
            steps:
              - items:
                  - {id: one, label: {en: One}, event: one, url: /settings}
                  - {id: two, label: {en: Two}, event: two, url: "javascript:void(0)"}
        """, kind="checklist")})
    problem = only(run(root), "unsafe-url")
    expect(problem, root, "guides/g.yaml", "id: two", "variants[0].steps[0].items[1].url",
           "'javascript'")


@pytest.mark.parametrize("body", ["Read [this](javascript:alert(1))",
                                  "Read [this](java&#115;cript:alert(1))",
                                  "Read <javascript:alert(1)>",
                                  "Read [this][x]\\n\\n[x]: javascript:alert(1)",
                                  # What the compiler refuses, validation reports, however it
                                  # is encoded or wrapped (the first was once missed).
                                  "Read [this](javascript%3Aalert(1))",
                                  "Read [this](javascript&colon;alert(1))",
                                  "Read\\n> [this](\\n> javascript:alert(1))"])
def test_unsafe_link_in_body_markdown(tmp_path: Path, body: str) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide(f"""\
        variants:
          - key: a
            steps:
              - title: {{en: Hi}}
                body:
                  en: "{body}"
        """)})
    problem = only(run(root), "unsafe-url")
    expect(problem, root, "guides/g.yaml", "en: \"Read", "variants[0].steps[0].body.en",
           "the 'javascript' scheme", "plain text")


def test_safe_links_are_fine(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide("""\
        variants:
          - key: a
            steps:
              - body:
                  en: "[a](https://x.example) [b](http://x.example) [c](mailto:a@b.c)"
                  ja: "[d](/p) [e](p#x) [f](?q=1) time: 10:30 &amp; more ![img](data:x)"
                buttons:
                  - {label: {en: Go}, action: url, url: "../billing?plan=pro"}
        """)})
    assert "unsafe-url" not in codes(run(root))


# --- images ----------------------------------------------------------------------------------


def _image_guide(src: str) -> str:
    return guide(f"""\
        variants:
          - key: a
            steps:
              - title: {{en: Hi}}
                image:
                  src: "{src}"
                  alt: {{en: Pic}}
        """)


@pytest.mark.parametrize(("src", "words"), [
    ("../secret.png", "outside the project"),
    ("assets/../../secret.png", "outside the project"),
    ("/etc/passwd", "absolute path"),
    ("C:\\\\Users\\\\me\\\\pic.png", "absolute path"),
    ("https://cdn.example/pic.png", "web address"),
])
def test_image_outside_the_project(tmp_path: Path, src: str, words: str) -> None:
    root = make(tmp_path / "p", {"guides/g.yaml": _image_guide(src)})
    problem = only(run(root), "image-outside")
    expect(problem, root, "guides/g.yaml", "src:", "variants[0].steps[0].image.src", words)


def test_image_symlink_pointing_outside(tmp_path: Path) -> None:
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"png")
    root = make(tmp_path / "p", {"guides/g.yaml": _image_guide("assets/pic.png")})
    (root / "assets").mkdir()
    os.symlink(outside, root / "assets" / "pic.png")
    problem = only(run(root), "image-outside")
    expect(problem, root, "guides/g.yaml", "src:", "variants[0].steps[0].image.src",
           "link to a file outside")


def test_image_that_does_not_exist(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": _image_guide("assets/nope.png")})
    problem = only(run(root), "image-missing")
    expect(problem, root, "guides/g.yaml", "src:", "variants[0].steps[0].image.src",
           "'assets/nope.png'", "does not exist")


def test_image_outside_assets_is_a_warning(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": _image_guide("pics/a.png")})
    (root / "pics").mkdir()
    (root / "pics" / "a.png").write_bytes(b"png")
    problem = only(run(root), "image-location")
    expect(problem, root, "guides/g.yaml", "src:", "variants[0].steps[0].image.src",
           "assets/", severity="warning")


# --- selectors and anchors -------------------------------------------------------------------


@pytest.mark.parametrize("selector", ["div >", "##storage", "[data-x", "a:contains('x')",
                                      "p::before"])
def test_invalid_anchor_selector(tmp_path: Path, selector: str) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide(f"""\
        variants:
          - key: a
            steps:
              - title: {{en: Hi}}
                anchor:
                  selector: "{selector}"
        """, kind="tooltip")})
    problem = only(run(root), "selector")
    expect(problem, root, "guides/g.yaml", "selector:", "variants[0].steps[0].anchor.selector",
           "anchor selector")


def test_invalid_click_trigger_selector(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide(
        "trigger:\n  on: click\n  selector: 'button[type=submit'\n" + ONE_STEP)})
    problem = only(run(root), "selector")
    expect(problem, root, "guides/g.yaml", "selector:", "trigger.selector", "not a valid CSS")


def test_selector_error_accepts_what_browsers_accept() -> None:
    for good in ["#a", ".b > c", "[data-x='1']", "li:nth-child(2n+1)", "a:not(.x)",
                 "main :is(h1, h2)", "input[type=checkbox]:checked"]:
        assert selector_error(good) is None, good


@pytest.mark.parametrize("kind", ["tooltip", "hotspot"])
def test_tooltip_and_hotspot_need_an_anchor(tmp_path: Path, kind: str) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide(kind=kind)})
    problem = only(run(root), "missing-anchor")
    expect(problem, root, "guides/g.yaml", "- title", "variants[0].steps[0].anchor",
           "no anchor", kind)


def test_walkthrough_tooltip_step_needs_an_anchor(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide("""\
        variants:
          - key: a
            steps:
              - layout: modal
                buttons:
                  - {label: {en: Next}, action: next}
              - layout: tooltip
                buttons:
                  - {label: {en: Done}, action: complete}
        """, kind="walkthrough")})
    problem = only(run(root), "missing-anchor")
    expect(problem, root, "guides/g.yaml", "layout: tooltip", "variants[0].steps[1].anchor",
           "tooltip step")


# --- guide to guide ----------------------------------------------------------------------------


def _starts(target: str) -> str:
    return f"""\
        variants:
          - key: a
            steps:
              - title: {{en: Hi}}
                buttons:
                  - {{label: {{en: More}}, action: guide, guide: {target}}}
        """


def test_button_starting_a_missing_guide(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide(_starts("welcom")),
                           "guides/welcome.yaml": guide(gid="welcome")})
    problem = only(run(root), "unknown-guide")
    expect(problem, root, "guides/g.yaml", "action: guide",
           "variants[0].steps[0].buttons[0].guide", "'welcom'", "did you mean 'welcome'")


def test_button_starting_an_archived_guide_is_a_warning(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide(_starts("old")),
                           "guides/old.yaml": guide(gid="old", status="archived")})
    problem = only(run(root), "archived-guide")
    expect(problem, root, "guides/g.yaml", "action: guide",
           "variants[0].steps[0].buttons[0].guide", "'old'", "archived", severity="warning")


def test_guides_starting_each_other_in_a_loop(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/a.yaml": guide(_starts("b"), gid="a"),
                           "guides/b.yaml": guide(_starts("c"), gid="b"),
                           "guides/c.yaml": guide(_starts("a"), gid="c"),
                           "guides/d.yaml": guide(_starts("a"), gid="d")})
    problem = only(run(root), "guide-cycle")
    expect(problem, root, "guides/a.yaml", "action: guide",
           "variants[0].steps[0].buttons[0].guide", "a → b → c → a")


def test_guide_starting_itself(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/a.yaml": guide(_starts("a"), gid="a")})
    problem = only(run(root), "guide-cycle")
    assert "a → a" in problem.message


# --- translations ------------------------------------------------------------------------------


def test_missing_translation_lists_the_missing_locales(tmp_path: Path) -> None:
    root = make(tmp_path, {
        "guidestudio.yaml": SETTINGS.replace("[en]", "[en, ja, de]"),
        "guides/g.yaml": guide("""\
            variants:
              - key: a
                steps:
                  - title: {en: Hi, ja: こんにちは, de: Hallo}
                    body: {en: Text}
            """),
    })
    problem = only(run(root), "missing-translation")
    expect(problem, root, "guides/g.yaml", "body", "variants[0].steps[0].body", "ja, de",
           severity="warning")


def test_locale_not_in_the_project(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide("""\
        variants:
          - key: a
            steps:
              - title:
                  en: Hi
                  en-us: Hi there
        """)})
    problem = only(run(root), "unknown-locale")
    expect(problem, root, "guides/g.yaml", "en-us", "variants[0].steps[0].title.en-us",
           "'en-us'", "not one of the project's locales", severity="warning")


# --- steps -------------------------------------------------------------------------------------


def test_walkthrough_variant_without_steps(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide("variants:\n  - key: a\n    steps: []\n",
                                                  kind="walkthrough")})
    problem = only(run(root), "no-steps")
    expect(problem, root, "guides/g.yaml", "steps", "variants[0].steps", "no steps")


def test_walkthrough_with_one_step_is_a_warning(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide(kind="walkthrough")})
    problem = only(run(root), "single-step-walkthrough")
    expect(problem, root, "guides/g.yaml", "steps", "variants[0].steps", "single step",
           severity="warning")


def test_non_walkthrough_with_several_steps(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide("""\
        variants:
          - key: a
            steps:
              - title: {en: One}
              - title: {en: Two}
        """, kind="banner")})
    problem = only(run(root), "too-many-steps")
    expect(problem, root, "guides/g.yaml", "Two", "variants[0].steps[1]", "only walkthroughs")


def test_survey_without_a_question(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide(kind="survey")})
    problem = only(run(root), "missing-survey")
    expect(problem, root, "guides/g.yaml", "- title", "variants[0].steps[0].survey",
           "no question")


def test_checklist_without_items(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide(kind="checklist")})
    problem = only(run(root), "no-checklist-items")
    expect(problem, root, "guides/g.yaml", "- title", "variants[0].steps[0].items", "no items")


def test_duplicate_checklist_item_ids(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide("""\
        variants:
          - key: a
            steps:
              - items:
                  - {id: invite, label: {en: Invite}, event: invited}
                  - {id: invite, label: {en: Upload}, event: uploaded}
        """, kind="checklist")})
    problem = only(run(root), "duplicate-item-id")
    expect(problem, root, "guides/g.yaml", "Upload", "variants[0].steps[0].items[1].id",
           "'invite'", "twice")


def test_duplicate_step_ids(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide("""\
        variants:
          - key: a
            steps:
              - id: intro
                layout: modal
                buttons: [{label: {en: Next}, action: next}]
              - id: intro
                layout: modal
                buttons: [{label: {en: Done}, action: complete}]
        """, kind="walkthrough")})
    problem = only(run(root), "duplicate-step-id")
    second = line_of(root, "guides/g.yaml", "Done") - 2
    expect(problem, root, "guides/g.yaml", second, "variants[0].steps[1].id", "'intro'", "twice")


@pytest.mark.parametrize("action", ["next", "back"])
def test_next_and_back_on_a_single_step_guide(tmp_path: Path, action: str) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide(ONE_STEP.replace("dismiss", action))})
    problem = only(run(root), "nav-button-single-step")
    expect(problem, root, "guides/g.yaml", "action:", "variants[0].steps[0].buttons[0].action",
           f"'{action}'", "one step", severity="warning")


def test_walkthrough_last_step_without_finish_button(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide("""\
        variants:
          - key: a
            steps:
              - layout: modal
                buttons: [{label: {en: Next}, action: next}]
              - layout: modal
                buttons: [{label: {en: Docs}, action: url, url: "https://x.example"}]
        """, kind="walkthrough")})
    problem = only(run(root), "no-finish-button")
    expect(problem, root, "guides/g.yaml", "Docs", "variants[0].steps[1].buttons",
           "'complete'", severity="warning")


# --- triggers ------------------------------------------------------------------------------------


def test_trigger_field_that_does_not_fit_on(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide(
        "trigger:\n  on: event\n  event: opened\n  selector: '#x'\n" + ONE_STEP)})
    problem = only(run(root), "trigger-field-ignored")
    expect(problem, root, "guides/g.yaml", "selector", "trigger.selector", "'selector'",
           "on: event", "on: click", severity="warning")


def test_wait_seconds_without_if_missing_wait(tmp_path: Path) -> None:
    root = make(tmp_path, {"guides/g.yaml": guide("""\
        variants:
          - key: a
            steps:
              - title: {en: Hi}
                anchor: {selector: "#x"}
                if_missing: skip
                wait_seconds: 3
        """, kind="tooltip")})
    problem = only(run(root), "wait-seconds-ignored")
    expect(problem, root, "guides/g.yaml", "wait_seconds", "variants[0].steps[0].wait_seconds",
           "if_missing: wait", severity="warning")


# --- settings ----------------------------------------------------------------------------------


def test_default_locale_not_in_locales(tmp_path: Path) -> None:
    root = make(tmp_path, {"guidestudio.yaml": SETTINGS.replace("default_locale: en",
                                                                "default_locale: fr")})
    problem = only(run(root), "default-locale")
    expect(problem, root, "guidestudio.yaml", "default_locale", "default_locale", "'fr'",
           "not in locales")


def test_hash_attribute_blank(tmp_path: Path) -> None:
    root = make(tmp_path, {"guidestudio.yaml": SETTINGS + "hash_attribute: '  '\n"})
    problem = only(run(root), "hash-attribute")
    expect(problem, root, "guidestudio.yaml", "hash_attribute", "hash_attribute", "empty")


@pytest.mark.parametrize(("throttle", "needle", "words"), [
    ("{max_per_session: 5, max_per_day: 3}", "throttle", "session limit never applies"),
    ("{min_minutes_between: 720, max_per_day: 4}", "throttle", "never reached"),
])
def test_throttle_sanity(tmp_path: Path, throttle: str, needle: str, words: str) -> None:
    root = make(tmp_path, {"guidestudio.yaml": SETTINGS + f"throttle: {throttle}\n"})
    problem = only(run(root), "throttle")
    assert problem.file == "guidestudio.yaml"
    assert problem.line == line_of(root, "guidestudio.yaml", needle)
    assert problem.field.startswith("throttle.")
    assert problem.severity == "warning"
    assert words in problem.message


# --- segments ----------------------------------------------------------------------------------


def test_segment_no_guide_uses_is_a_warning(tmp_path: Path) -> None:
    root = make(tmp_path, {"segments/used.yaml": segment("used"),
                           "segments/lonely.yaml": segment("lonely"),
                           "guides/g.yaml": guide("audience: {segments: [used]}\n" + ONE_STEP)})
    problem = only(run(root), "unused-segment")
    expect(problem, root, "segments/lonely.yaml", "id:", "id", "'lonely'", "not used",
           severity="warning")


def test_segment_used_only_by_a_broken_guide_is_not_called_unused(tmp_path: Path) -> None:
    root = make(tmp_path, {"segments/s.yaml": segment("s"),
                           "guides/g.yaml": guide("audience: {segments: [s]}\npriority: high\n"
                                                  + ONE_STEP)})
    result = load_project(root)
    assert "guides/g.yaml" in result.files.broken
    assert "unused-segment" not in codes(validate_project(result.project, result.files))


# --- robustness ----------------------------------------------------------------------------------


def test_a_bug_in_a_rule_becomes_an_internal_problem(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    root = make(tmp_path, {"guides/bad.yaml": guide(gid="bad", kind="tooltip"),
                           "guides/good.yaml": guide(gid="good", kind="tooltip")})
    real = validate_module.check_trigger

    def explode(guide: Guide, r: object) -> None:
        if guide.id == "bad":
            raise KeyError("boom")
        real(guide, r)  # type: ignore[arg-type]

    monkeypatch.setattr(validate_module, "check_trigger", explode)
    problems = run(root)
    internal = only(problems, "internal")
    assert internal.file == "guides/bad.yaml"
    assert "'bad'" in internal.message and "KeyError" in internal.message
    assert "trigger" in internal.message
    # The other rules of that guide, and every other guide, were still checked.
    assert {p.file for p in problems if p.code == "missing-anchor"} == {"guides/bad.yaml",
                                                                        "guides/good.yaml"}
    assert "boom" in caplog.text


def test_validation_without_files_still_works() -> None:
    """The editor validates its in-memory model, which may have no files behind it yet."""
    project = Project(settings=Settings(id="t", name="T"))
    project.guides["g"] = Guide(id="g", name="G", kind="tooltip", variants=[
        Variant(key="a", steps=[Step(title={"en": "Hi"})])])
    problem = only(validate_project(project), "missing-anchor")
    assert problem.file == "guides/g.yaml" and problem.line is None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(guide_list=st.lists(guides, max_size=4, unique_by=lambda g: g.id))
def test_validation_never_fails_on_any_valid_model(guide_list: list[Guide]) -> None:
    project = Project(settings=Settings(id="t", name="T", locales=["en", "ja"]))
    project.guides = {g.id: g for g in guide_list}
    problems = validate_project(project, ProjectFiles())
    assert [p for p in problems if p.code == "internal"] == []
    assert all(p.message and p.code for p in problems)


def test_two_thousand_guides_validate_quickly() -> None:
    project = Project(settings=Settings(id="t", name="T", locales=["en", "ja"]))
    project.segments = {f"s{i}": Segment(id=f"s{i}", name="S",
                                         condition={"n": {"$regex": f"^{i % 50}"}})
                        for i in range(100)}
    for i in range(2000):
        steps = [Step(layout="tooltip", title={"en": "Hi", "ja": "やあ"},
                      body={"en": f"See [docs](https://x.example/{i}) at 10:30", "ja": "x"},
                      anchor=Anchor(selector=f"#item-{i % 300} > .label"),
                      buttons=[Button(label={"en": "Next", "ja": "次"}, action="next")])
                 for _ in range(3)]
        steps[-1].buttons = [Button(label={"en": "Go", "ja": "行"}, action="guide",
                                    guide=f"g{(i + 1) % 2000}")]
        project.guides[f"g{i}"] = Guide(
            id=f"g{i}", name="G", kind="walkthrough", status="live",
            audience=Audience(segments=[f"s{i % 100}"],
                              conditions={"plan": {"$in": ["pro"]}, "email": {"$regexi": "acme"}}),
            trigger=Trigger(on="click", selector=f".btn-{i % 100}"),
            experiment=Experiment(key=f"e{i}", control_weight=0.1),
            variants=[Variant(key="a", steps=steps), Variant(key="b", steps=steps)])
    # CPU time, not wall time: other work on a shared machine must not fail this. It guards
    # against work growing faster than the project (about 1 s here; a quadratic pass is
    # minutes); bench/export.py measures the speed itself.
    started = time.process_time()
    problems = validate_project(project, ProjectFiles())
    elapsed = time.process_time() - started
    assert elapsed < 4.0, elapsed
    # The guides start each other in one big ring: reported once, not 2,000 times.
    assert codes(problems).count("guide-cycle") == 1
    assert "internal" not in codes(problems)
