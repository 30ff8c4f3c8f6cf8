"""The fast YAML path (ryaml) and the precise one (PyYAML + our builder) must never disagree.

``yaml_io.load_data`` hands a text to ryaml only when it can vouch that the
result equals ``yaml_io.load``'s; these tests hold both parsers to one scalar
schema (YAML 1.2 core, with the documented deviations), check that our
canonical dumper's output reads back identically through both, and that texts
ryaml would read differently (anchors, tags, ``<<``, non-string keys, deep
nesting) take the precise path.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core import yaml_io
from app.core.problems import Problem
from app.core.project_io import read_source
from tests.conftest import REPO_ROOT

ryaml = pytest.importorskip("ryaml")


def same(a: Any, b: Any) -> bool:
    """Equal data with equal types all the way down: 1 is not 1.0 is not True; NaN equals NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    if isinstance(a, dict):
        return (len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
                and all(same(x, y) for x, y in zip(a.values(), b.values(), strict=True)))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def both(text: str) -> tuple[Any, Any]:
    """(what ryaml's path gives, or ``_SLOW``; what PyYAML's path gives)."""
    return yaml_io._fast_load(text), yaml_io.load(text)[0]


# Plain scalar -> what both parsers read. Where YAML 1.2 core says otherwise, the
# module docstring says why (leading zeros, signed/binary radix ints, 64-bit range).
SCALARS: list[tuple[str, Any]] = [
    # null
    ("~", None), ("null", None), ("Null", None), ("NULL", None), ("", None), ("nULL", "nULL"),
    # bool: only the YAML 1.2 spellings
    ("true", True), ("True", True), ("TRUE", True),
    ("false", False), ("False", False), ("FALSE", False),
    ("tRUE", "tRUE"), ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"), ("y", "y"),
    ("Yes", "Yes"), ("ON", "ON"),
    # int
    ("0", 0), ("-0", 0), ("+0", 0), ("17", 17), ("+17", 17), ("-17", -17),
    ("0o17", 15), ("0o0", 0), ("-0o7", -7), ("0x1F", 31), ("0x1f", 31), ("-0x1F", -31),
    ("+0x1F", 31), ("0b101", 5), ("-0b1", -1),
    ("18446744073709551615", 2**64 - 1), ("-9223372036854775808", -(2**63)),
    ("0xffffffffffffffff", 2**64 - 1),
    # strings that some YAML reads as numbers, dates or booleans
    ("017", "017"), ("-017", "-017"), ("+017", "+017"), ("00", "00"), ("-00", "-00"),
    ("0O17", "0O17"), ("0X1F", "0X1F"), ("0o", "0o"), ("0x", "0x"), ("0o8", "0o8"),
    ("0b2", "0b2"), ("0x_1", "0x_1"), ("1_000", "1_000"), ("1_000.5", "1_000.5"),
    ("1:30", "1:30"), ("12:30:00", "12:30:00"), ("2026-12-01", "2026-12-01"),
    ("2026-12-01T10:00:00Z", "2026-12-01T10:00:00Z"), ("inf", "inf"), ("nan", "nan"),
    ("NaN", "NaN"), ("Infinity", "Infinity"), ("-.nan", "-.nan"), ("+.nan", "+.nan"),
    (".iNF", ".iNF"), ("1e", "1e"), ("1e+", "1e+"), ("e3", "e3"), (".e3", ".e3"), (".", "."),
    ("+-1", "+-1"), ("0x+1", "0x+1"), ("=", "="), ("1-1", "1-1"),
    # float
    ("1.5", 1.5), (".5", 0.5), ("+.5", 0.5), ("-.5", -0.5), ("1.", 1.0), ("0.", 0.0),
    ("-0.", -0.0), ("-0.0", -0.0), ("1e3", 1000.0), ("1E3", 1000.0), ("1e+3", 1000.0),
    ("1e-3", 0.001), ("+1e3", 1000.0), ("1.5e3", 1500.0), (".5e3", 500.0), ("1.e3", 1000.0),
    ("1.0E+3", 1000.0), ("0e0", 0.0), ("01.5", 1.5), ("00.5", 0.5), ("017.", 17.0),
    ("01e3", 1000.0), ("1e03", 1000.0), ("1e-400", 0.0), ("4.9e-324", 5e-324),
    ("1.7976931348623157e308", 1.7976931348623157e308),
    (".inf", math.inf), (".Inf", math.inf), (".INF", math.inf), ("+.inf", math.inf),
    ("-.inf", -math.inf), ("-.Inf", -math.inf), (".nan", math.nan), (".NaN", math.nan),
    (".NAN", math.nan),
    # outside what a 64-bit int holds: decimal -> float, radix -> text, overflow -> text
    ("1e400", "1e400"), ("-1e400", "-1e400"), ("1e99999999999", "1e99999999999"),
    ("18446744073709551616", float(2**64)), ("-9223372036854775809", -float(2**63 + 1)),
    ("340282366920938463463374607431768211456", float(2**128)),
    ("123456789012345678901234567890", 1.2345678901234568e29),
    ("0x10000000000000000", "0x10000000000000000"), ("0x" + "F" * 40, "0x" + "F" * 40),
    ("0o2000000000000000000000", "0o2000000000000000000000"),
    ("9" * 400, "9" * 400), ("-" + "9" * 400, "-" + "9" * 400),
]
# Where ryaml raises instead (64..128-bit ints), so load() has the last word.
RYAML_REFUSES = {"18446744073709551616", "-9223372036854775809",
                 "123456789012345678901234567890", "0x10000000000000000",
                 "0o2000000000000000000000"}


@pytest.mark.parametrize(("text", "expected"), SCALARS, ids=[repr(t)[:40] for t, _ in SCALARS])
def test_each_scalar_form_reads_the_same_in_both_paths(text: str, expected: Any) -> None:
    doc = f"k: {text}\n"
    fast, slow = both(doc)
    assert same(slow, {"k": expected}), slow
    if text in RYAML_REFUSES:
        assert fast is yaml_io._SLOW
    else:
        assert same(fast, {"k": expected}), fast
    assert same(yaml_io.load_data(doc), {"k": expected})
    if text:  # in a flow sequence, and as the whole document, too ("[]" is an empty list)
        assert same(yaml_io.load_data(f"k: [{text}]\n"), {"k": [expected]})
        assert same(yaml_io.load_data(text + "\n"), expected)


@pytest.mark.parametrize(("text", "expected"), [s for s in SCALARS if s[0] and s[0] != "."])
def test_each_scalar_form_as_a_key(text: str, expected: Any) -> None:
    """Non-string keys are left to load(); both paths still give the same mapping."""
    doc = f"{text}: v\n"
    assert same(yaml_io.load_data(doc), {expected: "v"})
    assert same(yaml_io.load(doc)[0], {expected: "v"})


@pytest.mark.parametrize(("text", "expected"), SCALARS, ids=[repr(t)[:40] for t, _ in SCALARS])
def test_strings_that_look_like_scalars_are_quoted_and_come_back(text: str,
                                                                 expected: Any) -> None:
    dumped = yaml_io.dump({"k": text})
    if not isinstance(expected, str):
        assert dumped != f"k: {text}\n", "must be quoted"
    for value in (yaml_io.load_data(dumped), yaml_io.load(dumped)[0], ryaml.loads(dumped)):
        assert same(value, {"k": text}), dumped


# YAML 1.1 readers (PyYAML's safe_load, many CI scripts) get the same strings back too,
# except 1.1 booleans and timestamps, which stay plain (see yaml_io's dumper comment).
PORTABLE = ["1_000", "017", "00", "12:30", "1:30:00", "0o17", "0x1F", "-0o7", "0b101", "1e3",
            "+.5", ".5", "1.", "1e400", "~", "null", "", "<<", "=", "true", "False", "17",
            "-0", ".inf", ".nan", "1.5", "0x" + "F" * 40, "9" * 30]
PLAIN_ON_PURPOSE = ["on", "yes", "no", "off", "Yes", "2026-12-01", "2026-12-01T10:00:00Z"]


@pytest.mark.parametrize("text", PORTABLE)
def test_dumped_strings_read_back_as_strings_in_yaml_1_1(text: str) -> None:
    assert yaml.safe_load(yaml_io.dump({"k": text})) == {"k": text}


@pytest.mark.parametrize("text", PLAIN_ON_PURPOSE)
def test_yaml_1_1_booleans_and_dates_stay_plain(text: str) -> None:
    assert yaml_io.dump({text: text}) == f"{text}: {text}\n"


def test_typed_values_are_written_plain() -> None:
    data = {"i": 17, "n": -3, "b": True, "f": False, "z": None, "x": 1.5, "e": 1e16,
            "t": 1e-7, "inf": math.inf, "ninf": -math.inf, "nan": math.nan, "neg0": -0.0,
            "big": 2**64 - 1, "small": -(2**63)}
    text = yaml_io.dump(data)
    assert "i: 17\n" in text and "b: true\n" in text and "z: null\n" in text
    assert "e: 1.0e+16\n" in text and "nan: .nan\n" in text and "ninf: -.inf\n" in text
    assert "'" not in text and "!!" not in text
    fast, slow = both(text)
    assert same(fast, data) and same(slow, data)


# --- Hypothesis: canonical output reads back identically through both paths ------------

TRICKY = [
    "on", "yes", "no", "off", "y", "n", "Yes", "ON", "1_000", "017", "00", "0o7", "-0o7",
    "0x1F", "0b1", "1e3", "1E3", ".5", "+.5", "-.5", "1.", "~", "null", "Null", "NULL", "true",
    "False", "2026-12-01", "2026-12-01T10:00:00Z", "12:30", "1:30:00", "- x", "-", "a: b",
    "a:b", "#x", "x #y", "x#y", "'", '"', "''", "it's", '"quoted"', "&a", "*a", "!tag",
    "!!str", "a &b", "x: !y", "<<", "=", "?", "? x", ":", "[1]", "{a: 1}", "{{first_name}}",
    "|", ">", "%YAML 1.1", "---", "...", "--- x", "", " ", " lead", "trail ", "multi\nline",
    "multi\nline\n", "multi\n\nline\n\n", "\nlead", "tab\there", "\t", "ünïcödé", "日本語",
    "emoji 😀", "a\u2028b", "a\x85b", "\ufeffbom", "nul\x00", "del\x7f", "1.0e+16", ".inf",
    "-.inf", ".nan", "0", "-0", "1.", "inf", "NaN", "1e400", "9" * 25, "0x" + "f" * 20,
    "\\", "\\n", "@x", "`x", "%", "a, b", "[a", "a]", "x\r\ny", "x\ry", "\u00a0",
]
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**64 - 1),
    st.floats(),
    st.sampled_from(TRICKY),
    st.text(max_size=30),
)
_keys = st.one_of(st.sampled_from(TRICKY), st.text(max_size=20))
documents = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=documents)
def test_canonical_output_reads_back_identically_through_both_paths(value: Any) -> None:
    text = yaml_io.dump(value)
    assert same(yaml_io.load(text)[0], value), text
    assert same(yaml_io.load_data(text), value), text
    # ryaml itself, gate or not: our files must never depend on the fallback.
    assert same(ryaml.loads(text), value), text


@settings(max_examples=200, deadline=None)
@given(value=st.dictionaries(st.text(max_size=10), documents, max_size=5))
def test_guide_like_documents_take_the_fast_path(value: dict[str, Any]) -> None:
    """A mapping of string keys, as every project file is: ryaml reads it, no fallback,
    unless the text trips the (conservative) anchor/tag/merge-key/BOM check."""
    text = yaml_io.dump(value)
    fast = yaml_io._fast_load(text)
    if fast is yaml_io._SLOW:
        assert "<<" in text or "\ufeff" in text or yaml_io._may_have_anchor_or_tag(text), text
    else:
        assert same(fast, value), text


# --- structure: hand-written documents, compared across the two paths -------------------

SNIPPETS = [
    "a: 1\nb: [1, 2.5, x, true, null]\nc: {d: e, f: ~}\n",
    "z: 1\na: 2\nm: {z: 1, a: 2}\n",  # key order
    "a: >\n  folded\n  text\n\n  para\n",
    "a: |+\n  keep\n\n",
    "a: |-\n  strip\n",
    "a: |2\n   indented\n",
    "a: >-\n  x\n   y\n  z\n",
    "a: 'it''s'\nb: \"esc \\t \\u263A \\U0001F600 \\x41 \\N \\_ \\L \\P \\0 \\/\"\n",
    "a: \"multi\n  line\"\nb: plain\n  continued\n",
    "a: '\n  x\n\n  y'\n",
    "a: \"\\\n  x\"\n",
    "# comment\na: 1 # trailing\nb: x#y\n",
    "---\na: 1\n...\n",
    "%YAML 1.2\n---\na: yes\n",
    "%YAML 1.1\n---\na: yes\n",
    "a: 1\r\nb: 2\r\n",
    "? a\n: 1\n? b\n",
    "a:\n- 1\n- - 2\n  - 3\n- k: v\n  l: w\n",
    "a: [1, 2,]\nb: {c, d}\nc: [e: 1]\n",
    '{"a":1, "b": [true,false]}\n',
    "a:\nb:\n",
    "a: \t x\n",
    "- x\n- y\n",
    "x\n",
    "",
    "# only a comment\n",
    "~\n",
    "title: Q&A — Tom & Jerry!\nbody: Hello! Welcome & enjoy, it's free\n",
    "url: https://acme.example/a?b=c&d=e#top\n",
    "a: '{{first_name}}'\nb: '[learn more](https://x.example)'\n",
]


@pytest.mark.parametrize("text", SNIPPETS)
def test_hand_written_documents_read_the_same(text: str) -> None:
    fast, slow = both(text)
    assert fast is not yaml_io._SLOW, "expected the fast path"
    assert same(fast, slow), (fast, slow)


GATED = [
    "a: &x 1\n", "a: &x 1\nb: *x\n", "- &a [1]\n", "{a: &x 1}\n", '{"a":&x 1}\n',
    "&k a: 1\n", "a: !!str 1\n", "a: !foo x\n", "a: ! 12\n", "--- !!map\na: 1\n",
    "a:\n  - !x 1\n", "a: [!x 1]\n", "<<: {x: 1}\n", "a: <<\n",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
    "a:" + " " * 100 + "&x 1\n",  # a long run of blanks: assume the worst
    "\ufeffa: 1\n", "\ufeff--- x\n", "a: \ufeffx\n",  # BOMs: ryaml keeps what PyYAML skips
]


@pytest.mark.parametrize("text", GATED)
def test_anchors_tags_and_merge_keys_take_the_precise_path(text: str) -> None:
    assert yaml_io._fast_load(text) is yaml_io._SLOW


@pytest.mark.parametrize("text", [
    "a: Q&A\n", "a: Tom & Jerry\n", "a: Hello!\n", "a: 'Hi! ok'\n", "a: x!y &z\n",
    "a: '&amp; !important'\n", "a: Bonjour !\n",
])
def test_ampersands_and_exclamation_marks_in_prose_keep_the_fast_path(text: str) -> None:
    fast, slow = both(text)
    assert fast is not yaml_io._SLOW and same(fast, slow)


@pytest.mark.parametrize(("text", "expected"), [
    ("a: !!str 1\n", {"a": "1"}),
    ("a: !!int '3'\n", {"a": 3}),
    ("a: !!float '3'\n", {"a": 3.0}),
    ("a: !!float 1.5\n", {"a": 1.5}),
    ("a: !!bool 'true'\n", {"a": True}),
    ("a: !!null ''\n", {"a": None}),
    ("a: !!map {x: 1}\n", {"a": {"x": 1}}),
    ("a: !!seq [1]\n", {"a": [1]}),
    ("a: <<\n", {"a": "<<"}),
    ("a: =\n", {"a": "="}),
    ("a: &x 1\nb: *x\n", {"a": 1, "b": 1}),  # a scalar alias cannot blow up; allowed
])
def test_core_tags_are_honoured(text: str, expected: Any) -> None:
    assert same(yaml_io.load_data(text), expected)


@pytest.mark.parametrize(("text", "message"), [
    ("a: !!timestamp 2020-01-01\n", "unsupported tag"),
    ("a: !!binary aGk=\n", "unsupported tag"),
    ("a: !!set {x}\n", "unsupported tag"),
    ("a: !!omap [x: 1]\n", "unsupported tag"),
    ("a: !foo x\n", "unsupported tag"),
    ("a: !!bool yes\n", "not a boolean"),
    ("a: !!int 1.5\n", "not an integer"),
    ("a: !!int 1_000\n", "not an integer"),
    ("a: !!float x\n", "not a number"),
    ("a: !!null x\n", "not null"),
    ("<<: {x: 1}\n", "merge keys"),
    ("a: &x [1]\nb: *x\n", "aliases"),
])
def test_other_tags_merge_keys_and_collection_aliases_are_refused(text: str,
                                                                  message: str) -> None:
    with pytest.raises(yaml_io.YamlError, match=message) as caught:
        yaml_io.load_data(text)
    assert caught.value.line in (1, 2)


@pytest.mark.parametrize(("text", "line"), [
    ("a: 1\na: 2\n", 2),
    ("a: 1\n'a': 2\n", 2),
    ("1: a\n1.0: b\n", 2),  # ryaml would keep one key, silently (1 == 1.0)
    ("true: a\n1: b\n", 2),  # True == 1
    ("0: a\nfalse: b\n", 2),
    ("x:\n  1: a\n  0x1: b\n", 3),
    ("null: a\n~: b\n", 2),
])
def test_duplicate_keys_are_refused_with_their_line(text: str, line: int) -> None:
    with pytest.raises(yaml_io.YamlError, match="duplicate key") as caught:
        yaml_io.load_data(text)
    assert caught.value.line == line


def test_distinct_non_string_keys_are_kept() -> None:
    text = "2: a\ntrue: b\nnull: c\n1.5: d\nx: {3: e}\n"
    fast, slow = both(text)
    assert fast is yaml_io._SLOW  # non-string keys are left to load()
    assert same(yaml_io.load_data(text), {2: "a", True: "b", None: "c", 1.5: "d", "x": {3: "e"}})
    assert same(slow, yaml_io.load_data(text))


def _nested(depth: int) -> str:
    """A mapping holding ``depth`` - 1 nested flow sequences: ``depth`` levels in all."""
    return "a: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n"


def test_nesting_limit_is_the_same_in_both_paths() -> None:
    limit = yaml_io.MAX_DEPTH
    fast, slow = both(_nested(limit))
    assert fast is not yaml_io._SLOW and same(fast, slow)
    block = "".join("  " * i + f"k{i}:\n" for i in range(limit - 1)) + "  " * (limit - 1) + "k: v\n"
    fast, slow = both(block)
    assert fast is not yaml_io._SLOW and same(fast, slow)
    for text in (_nested(limit + 1), _nested(120), _nested(130)):  # ryaml itself stops at 128
        assert yaml_io._fast_load(text) is yaml_io._SLOW
        with pytest.raises(yaml_io.YamlError, match="nested too deeply"):
            yaml_io.load_data(text)


def test_nesting_bombs_that_slipped_past_the_old_guard_are_refused() -> None:
    """Quoted or commented brackets, and line breaks other than LF, used to hide the depth
    from the guard, and libyaml's composer then crashed the process: run it apart."""
    code = r"""
import sys
from app.core import yaml_io
bombs = {
    "quoted closers": "a: " + '[ "]", ' * 40000 + "]" * 40000,
    "commented closers": "a: " + "[ # ]\n" * 40000 + "]" * 40000,
    "lone CR": "# c\r" + "- " * 40000 + "x\n",
    "line separator": "# c\u2028" + "- " * 40000 + "x\n",
    "next line": "# c\x85" + "- " * 40000 + "x\n",
    "flat brackets": "a: " + "[" * 100000 + "]" * 100000 + "\n",
}
for name, text in bombs.items():
    for parse in (yaml_io.load_data, yaml_io.load):
        try:
            parse(text)
        except yaml_io.YamlError as exc:
            assert "nested too deeply" in exc.message, (name, exc.message)
        else:
            sys.exit(f"{name}: accepted")
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr[-2000:])
    assert done.stdout.strip() == "ok"


@pytest.mark.parametrize("text", [
    "a: [unclosed\n", "a: 1\n\tb: 2\n", "a: 1\n---\nb: 2\n", "a: b: c\n", "a: *nowhere\n",
    "a: \"\\ud800\"\n", "a: \x00\n", "a: - x\n", "a: \ud800\n", "? [a]\n: b\n", "{a: 1}: b\n",
])
def test_errors_are_pyyamls_with_a_line(text: str) -> None:
    with pytest.raises(yaml_io.YamlError) as fast_error:
        yaml_io.load_data(text)
    with pytest.raises(yaml_io.YamlError) as slow_error:
        yaml_io.load(text)
    assert fast_error.value.line is not None
    assert (fast_error.value.message, fast_error.value.line, fast_error.value.column) == (
        slow_error.value.message, slow_error.value.line, slow_error.value.column)


def test_without_ryaml_everything_goes_through_pyyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_io, "_ryaml", None)
    assert yaml_io._fast_load("a: 1\n") is yaml_io._SLOW
    assert same(yaml_io.load_data("a: 1_000\nb: 0o17\n"), {"a": "1_000", "b": 15})


# --- project_io: data from the fast path, lines from the precise one on demand ----------


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "g.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_read_source_parses_fast_and_locates_lazily(tmp_path: Path) -> None:
    root = _write(tmp_path, "id: g\nname: G\nvariants:\n  - key: a\n    steps: []\n")
    problems: list[Problem] = []
    source = read_source(root, "g.yaml", problems)
    assert source is not None and problems == []
    assert source._positions is None  # no positions until a problem needs a line
    held = source.data  # a caller may hold the fast path's copy...
    assert same(held, {"id": "g", "name": "G", "variants": [{"key": "a", "steps": []}]})
    assert source.positions.locate(source.data, ("variants", 0, "steps")) == (5, 5)
    assert source.positions.locate(held, ("variants", 0, "steps")) == (5, 5)  # ...still found
    assert source.positions.locate(held, ("name",)) == (2, 1)
    assert same(source.data, held)
    source.release()
    assert same(source.data, held)


@pytest.mark.parametrize(("text", "line", "message"), [
    ("id: g\nname: a\nname: b\n", 3, "duplicate key 'name' (first defined on line 2)"),
    ("id: g\na: &x [1]\nb: *x\n", 2, "aliases"),  # where the shared value was written
    ("id: g\n<<: {a: 1}\n", 2, "merge keys"),
    ("id: g\nwhen: !!timestamp 2020-01-01\n", 2, "unsupported tag"),
    ("id: g\n1: a\n1.0: b\n", 3, "duplicate key 1.0"),
])
def test_read_source_reports_what_the_fast_path_cannot_see_with_a_line(
        tmp_path: Path, text: str, line: int, message: str) -> None:
    problems: list[Problem] = []
    assert read_source(_write(tmp_path, text), "g.yaml", problems) is None
    assert len(problems) == 1 and problems[0].code == "yaml"
    assert problems[0].line == line and message in problems[0].message
