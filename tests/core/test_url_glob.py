"""URL globs in linear time (issue 13, item 5): same answers and captures as the regular
expression they used to be, without its backtracking."""

from __future__ import annotations

import random
import re
import time

from guidestudio.core.eligibility import match_url
from guidestudio.core.url_glob import compile_glob

_TOKEN = re.compile(r"/\*\*|\*\*|\*|:([A-Za-z_][A-Za-z0-9_]*)|[.+?^${}()|\[\]\\]")
_NOT_LINE_END = "[^\n\r\u2028\u2029]"


def backtracking_regex(pattern: str) -> re.Pattern[str]:
    """The glob as the regular expression it was compiled to before (the reference)."""
    pieces: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(pattern):
        pieces.append(re.escape(pattern[pos:m.start()]))
        token = m.group()
        if m.group(1):
            pieces.append("([^/]+)")
        elif token == "/**":
            pieces.append(f"(?:/{_NOT_LINE_END}*)?")
        elif token == "**":
            pieces.append(f"{_NOT_LINE_END}*")
        elif token == "*":
            pieces.append("[^/]*")
        else:
            pieces.append(re.escape(token))
        pos = m.end()
    pieces.append(re.escape(pattern[pos:]))
    return re.compile("".join(pieces))


def reference(pattern: str, text: str) -> dict[str, str] | None:
    names = [m.group(1) for m in _TOKEN.finditer(pattern) if m.group(1)]
    hit = backtracking_regex(pattern).fullmatch(text)
    return None if hit is None else {n: hit.group(i + 1) for i, n in enumerate(names)}


def test_eight_double_stars_against_forty_segments_take_milliseconds() -> None:
    url = "/" + "/".join(f"seg{i}" for i in range(40)) + "/x"
    pattern = "/**/a/**/b/**/c/**/d/**/e/**/f/**/g/**/h"  # took 6.3 s as a regex
    started = time.perf_counter()
    assert match_url(pattern, url) is None
    assert match_url(pattern.replace("/h", "/x"), url.replace("seg3", "a")) is None
    assert time.perf_counter() - started < 0.1
    hit = "/" + "/".join("abcdefgh") + "/x"
    assert match_url("/**/a/**/b/**/c/**/d/**/e/**/f/**/g/**/h/**", hit) == {}


def test_captures_are_the_regexs_on_random_globs_and_paths() -> None:
    rng = random.Random(13)
    pieces = ["/", "a", "b", "*", "**", "/**", ":x", ":y", ".", "-", "ab"]
    chars = "/ab.-\n"
    compared = 0
    for _ in range(3000):
        raw = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        numbered = iter(range(1, 7))  # distinct names, as a glob's must be
        pattern = re.sub(r":[xy]", lambda _m, n=numbered: f":p{next(n)}", raw)
        for _ in range(4):
            text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 10)))
            assert compile_glob(pattern).fullmatch(text) == reference(pattern, text), (
                pattern, text)
            compared += 1
    assert compared == 12000


def test_literal_globs_and_special_characters() -> None:
    assert compile_glob("/a.b").fullmatch("/a.b") == {}
    assert compile_glob("/a.b").fullmatch("/axb") is None
    assert compile_glob("/x(1)?").fullmatch("/x(1)?") == {}
    assert compile_glob("/:1").fullmatch("/:1") == {}  # not a name: literal
