"""Regexes that cannot hang (issue 13, item 5): the backtracking analysis, its messages, the
validator's and the exporter's refusal, and the time limit on the patterns it is approximate for."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from guidestudio.core.targeting import eval_condition, js_regex_error, js_regex_hazard
from guidestudio.core.targeting.js_regex import BoundedPattern, compile_js_regex
from guidestudio.core.targeting.js_regex_redos import MAX_PATTERN_UNITS, find_backtracking
from guidestudio.core.targeting.js_regex_translate import translate
from tests.conftest import REPO_ROOT
from tests.core.test_validate import ONE_STEP, expect, guide, make, only, run

ISSUE_PATTERN = r"^([a-zA-Z0-9_.+-]+)+@acme\.com$"
ISSUE_EMAIL = "a" * 28 + "@acme.co"  # a 28-character local part that almost matches


def kind(pattern: str) -> str | None:
    found = find_backtracking(translate(pattern, False).tree)
    return found.kind if found else None


@pytest.mark.parametrize(("pattern", "expected"), [
    (ISSUE_PATTERN, "nested"),
    (r"(a+)+$", "nested"),
    (r"^(a*)*$", "nested"),
    (r"^(a*b*)*$", "nested"),
    (r"^(a|a)*$", "overlap"),
    (r"^(a|aa)*$", "overlap"),
    (r"^(\w|\d)+$", "overlap"),
    (r"^(a|b|ab)*c$", "overlap"),
    (r"^(([a-z])+.)+[A-Z]([a-z])+$", "overlap"),
    (r"(?=(a+)+b)", "nested"),  # inside a lookahead
    (r"^\S+@\S+\.\S+$", "polynomial"),
    (r"^.*foo.*$", "polynomial"),
    (r"^\w+\s?\w+$", "polynomial"),
    (r"^a{1,100}a{1,100}$", "polynomial"),
])
def test_super_linear_patterns_are_found(pattern: str, expected: str) -> None:
    assert kind(pattern) == expected


@pytest.mark.parametrize("pattern", [
    r"@acme\.com$", r"@(acme|example)\.(com|org|net)$", r"^[a-m]", r"\.(edu|org)$", r"^\d+$",
    r"^(en|de)(-|$)", r"^[\w.+-]+@[\w-]+(\.[\w-]+)*$", r"^[^@\s]+@[^@\s]+\.[^@\s.]+$",
    r"^(\d+\.)*\d+$", r"^(\d{1,3}\.){3}\d{1,3}$", r"^\w+\s\w+$", r"\bfoo\b", r"^(a|ab)*c$",
    r".*foo.*",  # no anchor after the loops: the first way found is a match
    r"(a|a)*", r"x(a|a)*", r"^(a+)+",  # can match right where they are: nothing to retry
    r"^(?:[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*)@acme\.com$",
])
def test_linear_patterns_pass(pattern: str) -> None:
    assert kind(pattern) is None
    assert js_regex_hazard(pattern) is None


def test_the_issues_pattern_is_refused_with_how_to_rewrite_it() -> None:
    hazard = js_regex_hazard(ISSUE_PATTERN)
    assert hazard is not None
    assert "`([a-zA-Z0-9_.+-]+)+` repeats something that already repeats" in hazard
    assert "write `[a-zA-Z0-9_.+-]+` instead" in hazard
    assert js_regex_error(ISSUE_PATTERN) == hazard  # the clause fails, as for an invalid one
    started = time.perf_counter()
    assert eval_condition({"email": ISSUE_EMAIL}, {"email": {"$regex": ISSUE_PATTERN}}) is False
    assert time.perf_counter() - started < 0.05  # it took 40 s


def test_the_rewrite_it_suggests_is_linear_and_matches_the_same() -> None:
    rewritten = r"^[a-zA-Z0-9_.+-]+@acme\.com$"
    assert js_regex_hazard(rewritten) is None
    for email, hit in [("ada@acme.com", True), (ISSUE_EMAIL, False), ("a b@acme.com", False)]:
        assert eval_condition({"email": email}, {"email": {"$regex": rewritten}}) is hit


def test_polynomial_message_names_both_repetitions_and_the_fix() -> None:
    hazard = js_regex_hazard(r"^\S+@\S+\.\S+$")
    assert hazard is not None and "`\\S+` and `\\S+`" in hazard and "[^@]+@" in hazard


def test_case_insensitive_patterns_are_checked_on_their_folded_sets() -> None:
    # [a-z] and [A-Z] are disjoint, but not under $regexi
    assert js_regex_hazard(r"^([a-z]|[A-Z])+$") is None
    assert js_regex_hazard(r"^([a-z]|[A-Z])+$", insensitive=True) is not None


def test_length_limit() -> None:
    assert js_regex_hazard("a" * MAX_PATTERN_UNITS) is None
    hazard = js_regex_hazard("a" * (MAX_PATTERN_UNITS + 1))
    assert hazard is not None and f"at most {MAX_PATTERN_UNITS}" in hazard


def test_analysis_is_quick_on_the_longest_patterns() -> None:
    started = time.perf_counter()
    for pattern in ["(a|b)" * 60, "[a-z]+," * 37, "(x+y+)*" * 40, "(\\w{1,20}\\.)" * 25]:
        compile_js_regex(pattern[:MAX_PATTERN_UNITS], False)
    assert time.perf_counter() - started < 2


def test_patterns_the_analysis_is_approximate_for_run_with_a_time_limit() -> None:
    compiled = compile_js_regex(r"^(a)\1*b$", False)  # a backreference
    assert isinstance(compiled, BoundedPattern)
    assert compiled.search("aaab") is not None and compiled.search("aaac") is None
    assert isinstance(compile_js_regex(r"^\w+(?=\d*x)", False), BoundedPattern)
    assert isinstance(compile_js_regex(r"^\w+(?=x)", False), re.Pattern)  # exact: plain re


def test_a_pattern_that_runs_out_of_time_is_refused_from_then_on() -> None:
    """The safety net itself, on a catastrophic pattern given to it directly."""
    pattern = "^(a|a)+$"  # given to the safety net directly, past the analysis
    bounded = BoundedPattern(r"^(a|a)+\Z", pattern, False)
    started = time.perf_counter()
    assert bounded.search("a" * 30 + "!") is None
    assert time.perf_counter() - started < 0.5  # 20 ms, and a busy machine's slack
    assert bounded.hung and bounded.search("a") is None
    assert "took longer than 20 ms" in (js_regex_error(pattern) or "")


def test_bounded_engine_agrees_with_re_on_every_vector_pattern() -> None:
    """The regex module runs the same translated patterns as re, with the same answers."""
    import regex

    patterns: set[tuple[str, bool]] = set()
    subjects: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("$regex", "$regexi") and isinstance(value, str):
                    patterns.add((value, key == "$regexi"))
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
                if isinstance(value, str):
                    subjects.add(value)

    for file in ("tests/vectors/targeting.json", "tests/conformance/growthbook/cases.json"):
        data = json.loads((REPO_ROOT / file).read_text(encoding="utf-8"))
        walk(data)
    compared = 0
    for pattern, insensitive in patterns:
        try:
            python = translate(pattern, insensitive).python
            fast = re.compile(python)
        except Exception:  # noqa: BLE001 - patterns JS or re refuse are not run at all
            continue
        slow = regex.compile(python)
        for subject in subjects:
            assert (fast.search(subject) is None) == (slow.search(subject) is None), (
                pattern, subject)
            compared += 1
    assert compared > 1000


# --- validation and export ----------------------------------------------------------------------


def test_validation_rejects_the_pattern_where_it_is_written(tmp_path: Path) -> None:
    root = make(tmp_path, {
        "segments/s.yaml": "schema_version: 1\nid: s\nname: S\ncondition:\n"
                           f"  email:\n    $regex: '{ISSUE_PATTERN}'\n",
        "guides/g.yaml": guide("audience:\n  segments: [s]\n" + ONE_STEP),
    })
    problem = only(run(root), "regex-backtracking")
    expect(problem, root, "segments/s.yaml", "$regex", "condition.email.$regex",
           "could freeze the product's page", "[a-zA-Z0-9_.+-]+")


def test_validate_with_the_issues_sample_profile_takes_no_time(tmp_path: Path) -> None:
    """The issue: a sample profile whose e-mail has a 28-character local part made
    `guidestudio validate` take 40 s (the audience checks ran the pattern on it)."""
    project = make(tmp_path / "p", {
        "guides/g.yaml": guide(
            f"audience:\n  conditions:\n    email: {{$regex: '{ISSUE_PATTERN}'}}\n" + ONE_STEP),
        "profiles.yaml": "schema_version: 1\nprofiles:\n- id: long\n  name: Long\n"
                         f"  attributes:\n    id: u-1\n    email: {ISSUE_EMAIL}\n",
    })
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "guidestudio", "validate", str(project)],
                            capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)
    assert time.monotonic() - started < 15  # the process, Python's start included
    assert result.returncode == 1 and "could freeze" in result.stderr


def test_the_rule_builder_says_why() -> None:
    from guidestudio.core.rules.values import parse_value

    _value, hint = parse_value("regex", ISSUE_PATTERN)
    assert hint is not None and hint.startswith("this regular expression could freeze")


def test_export_refuses_it_and_writes_no_bundle(tmp_path: Path) -> None:
    project = make(tmp_path / "p", {"guides/g.yaml": guide(
        f"audience:\n  conditions:\n    email: {{$regex: '{ISSUE_PATTERN}'}}\n" + ONE_STEP)})
    out = tmp_path / "bundle.json"
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "guidestudio", "export", str(project),
                             "-o", str(out)], capture_output=True, text=True, timeout=120,
                            cwd=REPO_ROOT)
    assert result.returncode == 1, result.stderr
    assert "regex-backtracking" in result.stderr or "could freeze" in result.stderr
    assert not out.exists()
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "guidestudio", "validate", str(project)],
                            capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)
    assert result.returncode == 1 and time.monotonic() - started < 30
