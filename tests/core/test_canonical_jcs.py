"""Our canonical JSON is RFC 8785 (JCS): byte for byte what the ``rfc8785`` package writes.

The bundle's checksum (and any signature over the same text) is computed over
``canonical_json.dumps``; if it is JCS, a verifier in any language can use its
own JCS library instead of re-implementing ours. ``rfc8785`` is a maintained,
independent implementation (Trail of Bits, after Rundgren's reference code), so
agreement here is evidence, not a restatement of our own reading of the RFC.

JCS is defined over I-JSON (RFC 7493): numbers are IEEE doubles and strings are
Unicode scalar values. The ``rfc8785`` package refuses the two things outside it
(integers beyond ±(2^53 − 1) and lone surrogates); for those we compare with the
double JCS would serialise, and keep JavaScript's escape for lone surrogates
(docs/bundle-format.md says so).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from hypothesis import example, given
from hypothesis import strategies as st

from guidestudio.core.bundle import canonical_json
from guidestudio.core.bundle.export import export_project
from tests.conftest import EXAMPLE_PROJECT

SAFE = 2**53 - 1

AWKWARD_NUMBERS: list[float | int] = [
    1e21, 1e20, 1.5e21, 999999999999999900000.0, -0.0, 0.0, 5e-324, -5e-324,
    0.1 + 0.2, 1e-6, 1e-7, 1.5e-7, 1 / 3, 1.7976931348623157e308, 2.0**53, 2.0**53 + 2,
    2.0**60, 9007199254740991, -9007199254740991, 123456789012345680000.0, 4.35, 0.000001,
    12, -7, 90.5, 1e16, 333333333.3333333,
]


def jcs(value: Any) -> str:
    return rfc8785.dumps(value).decode("utf-8")


def test_the_example_bundle_is_jcs(tmp_path: Path) -> None:
    result = export_project(EXAMPLE_PROJECT, tmp_path / "b.json")
    assert result.ok
    text = (tmp_path / "b.json").read_text(encoding="utf-8")
    bundle = json.loads(text)
    assert text == jcs(bundle) + "\n"
    # and the checksummed text (everything but the checksum) is JCS too:
    payload = {k: v for k, v in bundle.items() if k != "checksum"}
    assert canonical_json.dumps(payload) == jcs(payload)


def test_awkward_numbers_are_written_as_jcs_writes_them() -> None:
    ours = canonical_json.dumps(AWKWARD_NUMBERS)
    assert ours == jcs(AWKWARD_NUMBERS)
    assert ours.startswith("[1e+21,100000000000000000000,1.5e+21,999999999999999900000,0,0,"
                           "5e-324,-5e-324,0.30000000000000004,0.000001,1e-7,")


def test_non_bmp_keys_sort_by_utf16_code_units() -> None:
    # U+1F600 is D83D DE00 in UTF-16: before U+FFFF and U+E000, though after both by code point.
    value = {"\uffff": 1, "😀": 2, "\ue000": 3, "a": 4, "é": 5, "𐀀": 6}
    ours = canonical_json.dumps(value)
    assert ours == jcs(value)
    assert list(json.loads(ours)) == ["a", "é", "𐀀", "😀", "\ue000", "\uffff"]


def test_outside_i_json_we_write_what_jcs_writes_for_the_double() -> None:
    """rfc8785 refuses integers past 2^53 − 1; JCS reads every number as a double, so
    the bundle carries the double's text (as JavaScript's JSON.stringify does)."""
    for big in (2**53, 2**53 + 1, 2**60, -(2**64), 10**21):
        with pytest.raises(rfc8785.IntegerDomainError):
            rfc8785.dumps(big)
        assert canonical_json.dumps({"n": big}) == jcs({"n": float(big)})


# Strings: any Unicode scalar value (no lone surrogates: not I-JSON), non-BMP included.
_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
_keys = st.one_of(_text, st.text(st.characters(min_codepoint=0xE000, max_codepoint=0x1F6FF,
                                               exclude_categories=("Cs",)),
                                 min_size=1, max_size=4))
_numbers = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-SAFE, max_value=SAFE),
    st.integers(min_value=-(2**70), max_value=2**70).map(float),
    st.sampled_from(AWKWARD_NUMBERS),
    st.builds(lambda m, e: m * 10.0**e, st.integers(-999, 999), st.integers(-330, 308))
    .filter(math.isfinite),
)
_json = st.recursive(
    st.one_of(st.none(), st.booleans(), _numbers, _text),
    lambda inner: st.one_of(st.lists(inner, max_size=5),
                            st.dictionaries(_keys, inner, max_size=6)),
    max_leaves=30,
)


@given(_json)
def test_generated_values_are_jcs(value: Any) -> None:
    assert canonical_json.dumps(value) == jcs(value)


@given(st.dictionaries(_keys, _json, max_size=4), st.lists(_json, max_size=3))
@example({"\x7f": None}, [])  # JCS escapes only what JSON must: DEL stays raw in a key too
def test_generated_bundles_are_jcs_in_pieces_too(extra: dict[str, Any], guides: list[Any]) -> None:
    """The exporter writes through ``iter_dumps`` (a bundle in pieces); joined, it is JCS."""
    bundle = {"format": "guidestudio-bundle", "guides": guides, **extra}
    assert "".join(canonical_json.iter_dumps(bundle)) == jcs(bundle)
