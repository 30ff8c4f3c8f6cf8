"""The fast YAML path (yaml_rs) and the precise one (PyYAML + our builder) must never disagree.

``yaml_io.load_data`` keeps yaml_rs's reading of a text only when it can vouch
that it equals ``yaml_io.load``'s; these tests hold both paths to one scalar
schema (YAML 1.2 core, with the documented deviations), check that our
canonical dumper's output reads back identically through both, and that texts
yaml_rs would read differently (anchors, tags, ``<<``, non-string keys, deep
nesting, numbers beyond our rules, characters and directives PyYAML refuses)
take the precise path.
"""

from __future__ import annotations

import math
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml
import yaml_rs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidestudio.core.files import yaml_io
from guidestudio.core.files.project_io import read_source
from guidestudio.core.problems import Problem
from tests.conftest import REPO_ROOT


def rs_loads(text: str) -> Any:
    """yaml_rs on its own, as the fast path calls it."""
    return yaml_rs.loads(text, parse_datetime=False)


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
    """(what yaml_rs's path gives, or ``_SLOW``; what PyYAML's path gives)."""
    return yaml_io._fast_load(text), yaml_io.load(text)[0]


# Plain scalar -> what both paths read. Where YAML 1.2 core says otherwise, the
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
# Where yaml_rs reads otherwise, or might, so the fast path leaves the text to load():
FAST_REFUSES = {
    # a leading zero or an upper-case radix prefix: ints to yaml_rs
    "017", "-017", "+017", "00", "-00", "0O17", "0X1F", "01.5", "00.5", "017.", "01e3",
    # "_" in a number: yaml_rs drops it
    "0x_1", "1_000", "1_000.5",
    # ints of any size to yaml_rs; 1e400 and .iNF infinite; .inf and .nan agree, but
    # every non-finite float is left to load() (the data cannot tell 1e400 from .inf)
    "18446744073709551616", "-9223372036854775809", "340282366920938463463374607431768211456",
    "123456789012345678901234567890", "0x10000000000000000", "0x" + "F" * 40,
    "0o2000000000000000000000", "9" * 400, "-" + "9" * 400,
    "1e400", "-1e400", "1e99999999999", ".iNF",
    ".inf", ".Inf", ".INF", "+.inf", "-.inf", "-.Inf", ".nan", ".NaN", ".NAN",
}


@pytest.mark.parametrize(("text", "expected"), SCALARS, ids=[repr(t)[:40] for t, _ in SCALARS])
def test_each_scalar_form_reads_the_same_in_both_paths(text: str, expected: Any) -> None:
    doc = f"k: {text}\n"
    fast, slow = both(doc)
    assert same(slow, {"k": expected}), slow
    if text in FAST_REFUSES:
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
    for value in (yaml_io.load_data(dumped), yaml_io.load(dumped)[0]):
        assert same(value, {"k": text}), dumped
    if text in WRITTEN_PLAIN_READ_AS_NUMBERS:
        assert yaml_io._fast_load(dumped) is yaml_io._SLOW
    else:
        assert same(rs_loads(dumped), {"k": text}), dumped


# Text the dumper writes plain (it always has: quoting them now would rewrite saved
# files) and yaml_rs reads as a number; the fast path leaves them to load().
WRITTEN_PLAIN_READ_AS_NUMBERS = {"0O17", "0X1F", ".iNF"}


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
    assert fast is yaml_io._SLOW  # not finite: load() has the last word
    assert same(slow, data) and same(yaml_io.load_data(text), data)
    finite = {k: v for k, v in data.items() if k not in ("inf", "ninf", "nan")}
    fast, slow = both(yaml_io.dump(finite))
    assert same(fast, finite) and same(slow, finite)


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
    # yaml_rs itself reads our files alike, except where the checks send them to load():
    # the dumper folds long or odd text at U+2028/U+2029, line breaks to PyYAML only.
    if yaml_io._fast_load(text) is not yaml_io._SLOW:
        assert same(rs_loads(text), value), text
    else:
        # The documented reasons only: a doubt, a non-finite float, a top-level string
        # holding "|" or ">" (which yaml_rs might take for a block scalar).
        top_level_block = type(value) is str and ("|" in text or ">" in text)
        assert (yaml_io._fast_doubts(text, text.encode()) or ".inf" in text or ".nan" in text
                or top_level_block), text


@settings(max_examples=200, deadline=None)
@given(value=st.dictionaries(st.text(max_size=10), documents, max_size=5))
def test_guide_like_documents_take_the_fast_path(value: dict[str, Any]) -> None:
    """A mapping of string keys, as every project file is: yaml_rs reads it, no fallback,
    unless the text trips the (conservative) checks or holds a non-finite float."""
    text = yaml_io.dump(value)
    fast = yaml_io._fast_load(text)
    if fast is yaml_io._SLOW:
        assert yaml_io._fast_doubts(text, text.encode()) or ".inf" in text or ".nan" in text, text
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
    "---\na: 1\n",
    "--- x\n",
    "a: 1\r\nb: 2\r\n",
    "? a\n: 1\n? b\n",
    "a:\n- 1\n- - 2\n  - 3\n- k: v\n  l: w\n",
    "a: [1, 2,]\nb: {c, d}\nc: [e: 1]\n",
    '{"a":1, "b": [true,false]}\n',
    "a:\nb:\n",
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
    "\ufeffa: 1\n", "\ufeff--- x\n", "a: \ufeffx\n",  # BOMs: yaml_rs keeps what PyYAML skips
]
# yaml_rs reads these, where PyYAML refuses them or reads them otherwise (or might).
DOUBTFUL = [
    "a: |\n \t x\n", "a: \t x\n", "a:\tb\n",  # tabs: PyYAML refuses some in indentation
    "a: \x00\n", "a: x\x7fy\n", "a: x\x01\n", "a: x\x9fy\n",  # control characters
    "a: x\x85y\n", "a: x\u2028y\n", "a: x\u2029y\n",  # line breaks to PyYAML (YAML 1.1)
    "a: x\ufffe\n", "# \uffff\na: 1\n",
    "...\na: 1\n", "a: 1\n...\n", "---\na: 1\n...\n",  # document ends
    "%YAML 1.3\n---\na: 1\n", "%FOO bar\n---\na: 1\n", "%YAML 1.2\n---\na: yes\n",
    "a: 1\n---\nb: 2\n", "- a\n---\n- b\n", "---\n---\n",  # several documents
    "a: 017\n", "a: [017]\n", '{"a":017}\n', "017: a\n", "017\n", "- -017\n", "a: +00\n",
    "a: 0X1F\n", "a: 0xA_B\n", "a: 0x_A\n", "a: 1_000\n", "a: _1\n", "_1\n", "a: 1._5\n",
    "a: 1e_3\n", "a: -_1\n", "a: {b: 1_0}\n",
    "a: 1e400\n", "a: .iNF\n", "a: .nAn\n", "a: .inf\n", "a: " + "9" * 30 + "\n",
    "a: 0x" + "f" * 17 + "\n", "a: [" + "1" * 25 + "]\n",
    "? [a]\n: b\n", "[a, b]: c\n", "{a: 1}: b\n", ": v\n", "- : v\n", "{: v}\n",  # keys
    "1: a\n", "true: a\n", "null: a\n", "x: {3: e}\n",
    # block scalars: yaml_rs ends an empty one at the end of the text with a line break,
    # and one without a final line break too; it reads top-level ones starting in column 1
    "k: |\n", "k: |+\n", "k: >\n\n", "k: | # c\n", "- |\n", "k:\n  j: |\n  \n", "|\n",
    "k: |\n  x", "k: |\n  x\n  ", ">\nx y\n", "\n  |-\ntrue\n", "--- |\nx\n",
    # flow collections: entries PyYAML refuses
    "k: [a, |]\n", "k: [>]\n", "k: [:x]\n", "k: [?]\n", "[a:]\n", "{a:}\n", "k: [a:, b]\n",
]


@pytest.mark.parametrize("text", DOUBTFUL)
def test_texts_yaml_rs_reads_otherwise_take_the_precise_path(text: str) -> None:
    assert yaml_io._fast_load(text) is yaml_io._SLOW
    try:
        expected = yaml_io.load(text)[0]
    except yaml_io.YamlError as exc:
        with pytest.raises(yaml_io.YamlError) as caught:
            yaml_io.load_data(text)
        assert (caught.value.message, caught.value.line) == (exc.message, exc.line)
    else:
        assert same(yaml_io.load_data(text), expected)


@pytest.mark.parametrize("text", [
    "a: 12:30:05\n", "a: 2026-01-01T10:00:00Z\n", "id: seg-018\n", "a: first_name\n",
    "a: x_1\n", "a: 10\n", "a: [0, 1.5, -0.0, 0x1F, 0o17, 0b1]\n", "a: 2026-01-01\n",
    "a: '017'\n", 'a: "1_000"\n', "a: v1_000\n", "a: 1.0e+16\n", "a: 18446744073709551615\n",
    "a: |\n  x\nb: 1\n", "a: |\nb: 1\n", "a: >-\n  x\n\n", "a: Hi {{first_name|there}} > all\n",
    "a: [x, 'y:']\n", "a: {b: c, d: e}\n", 'a: {"b": 1}\n', "a: https://x.example/a?b=c\n",
])
def test_texts_that_only_look_doubtful_keep_the_fast_path(text: str) -> None:
    fast, slow = both(text)
    assert fast is not yaml_io._SLOW and same(fast, slow)


_NUMBERISH = st.text(alphabet="0123456789_.+-eExXoObBiInNfFaA", min_size=1, max_size=12)


@settings(max_examples=1500, deadline=None)
@given(token=_NUMBERISH, where=st.sampled_from(["k: {}\n", "{}\n", "k: [{}, x]\n",
                                                 '{{"k":{}}}\n', "{}: v\n", "- {}\n"]))
def test_number_like_tokens_read_the_same_or_take_the_precise_path(token: str,
                                                                    where: str) -> None:
    """yaml_rs's number rules are looser than ours; whatever the checks let through agrees."""
    text = where.format(token)
    fast = yaml_io._fast_load(text)
    if fast is yaml_io._SLOW:
        return
    try:
        slow = yaml_io.load(text)[0]
    except yaml_io.YamlError as exc:
        pytest.fail(f"{text!r}: the fast path read {fast!r}, load() refuses it: {exc.message}")
    assert same(fast, slow), (text, fast, slow)


@settings(max_examples=300, deadline=None)
@given(value=st.floats(allow_nan=False, allow_infinity=False))
def test_floats_round_the_same_in_both_paths(value: float) -> None:
    for text in (repr(value), f"{value:.17e}", f"{value:.25f}".rstrip("0"), f"{value:.3g}"):
        doc = f"k: {text}\n"
        fast, slow = both(doc)
        assert fast is yaml_io._SLOW or same(fast, slow), doc


def test_parallel_parsing_gives_the_same_data() -> None:
    """yaml_rs parses without the GIL; threads parsing at once must not mix anything up."""
    texts = [yaml_io.dump({"id": f"g{i}", "n": i, "body": {"en": "x" * i}}) for i in range(200)]
    expected = [yaml_io.load(text)[0] for text in texts]
    results: dict[int, list[Any]] = {}

    def work(k: int) -> None:
        results[k] = [yaml_io.load_data(text) for text in texts]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(results[k] == expected for k in range(4))


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
    ("1: a\n1.0: b\n", 2),  # one Python key (1 == 1.0): yaml_rs refuses it, load() names it
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
    for text in (_nested(limit + 1), _nested(120), _nested(1200)):
        assert yaml_io._fast_load(text) is yaml_io._SLOW
        with pytest.raises(yaml_io.YamlError, match="nested too deeply"):
            yaml_io.load_data(text)


def test_nesting_bombs_that_slipped_past_the_old_guard_are_refused() -> None:
    """Quoted or commented brackets, and line breaks other than LF, used to hide the depth
    from the guard, and libyaml's composer then crashed the process: run it apart."""
    code = r"""
import sys
from guidestudio.core.files import yaml_io
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


def test_without_yaml_rs_everything_goes_through_pyyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_io, "_yaml_rs", None)
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
