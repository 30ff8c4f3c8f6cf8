"""The ReDoS time budget: random risky patterns (nested and overlapping repetitions) against
values built to make them backtrack. Each must be refused by validation, or run within the
budget in Python (``eval_condition``) and in V8 (``new RegExp(p).test(v)``, as the runtime
does): a pattern can cost milliseconds, never seconds."""

from __future__ import annotations

import json
import random
import subprocess
import time
from pathlib import Path

from guidestudio.core.targeting import eval_condition, js_regex_error
from tests.reliability.rows import Row

# An unanchored pattern is tried at every position of the value, which every backtracking
# engine pays (docs/targeting.md): the budgets hold for values of these lengths.
PYTHON_BUDGET_S = 0.1  # one evaluation, of a 200- or a 5,000-character value
V8_BUDGET_MS = 250  # one RegExp test, a 2,000-character value
ANALYSIS_BUDGET_S = 1.0
ATOMS = ["a", "b", "\\w", "\\d", ".", "[a-c]", "\\s", "[^@]", "@", "x", "[\\w.+-]", "a|b"]
QUANTIFIERS = ["+", "*", "?", "{1,3}", "{2,}", "+?"]
PUMPS = ["a", "b", "1", " ", "@", "x", "ab", "a1", "aa", "a ", "a@", ".a"]
_V8 = r"""
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = cases.map(([pattern, flags, subject]) => {
  const started = process.cpuUsage(); // CPU time: other processes on the machine do not count
  try { new RegExp(pattern, flags).test(subject); } catch (e) { /* refused by JS itself */ }
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1e3;
});
process.stdout.write(JSON.stringify(out));
"""


def _piece(rng: random.Random, depth: int) -> str:
    roll = rng.random()
    if depth >= 2 or roll < 0.35:
        atom = rng.choice(ATOMS)
        piece = f"(?:{atom})" if "|" in atom else atom
    elif roll < 0.65:
        piece = "(" + "".join(_piece(rng, depth + 1) for _ in range(rng.randint(1, 3))) + ")"
    else:
        options = ["".join(_piece(rng, depth + 1) for _ in range(rng.randint(1, 2)))
                   for _ in range(rng.randint(2, 3))]
        piece = "(" + "|".join(options) + ")"
    if rng.random() < 0.6:
        piece += rng.choice(QUANTIFIERS)
    return piece


def random_pattern(rng: random.Random) -> str:
    body = "".join(_piece(rng, 0) for _ in range(rng.randint(1, 3)))
    return ("^" if rng.random() < 0.6 else "") + body + ("$" if rng.random() < 0.7 else "")


def attacks(rng: random.Random, length: int) -> list[str]:
    """Values that almost match: a pump repeated, then a character that fails."""
    out = []
    for pump in rng.sample(PUMPS, 4):
        out.append(pump * (length // len(pump)) + rng.choice(["!", "\n", "@!", ""]))
    return out


def run(trials: int, seed: int) -> list[str]:
    import regex  # noqa: F401 - loaded once here, not inside the first timed evaluation

    rng = random.Random(seed)
    failures: list[str] = []
    accepted: list[tuple[str, str, str]] = []
    for _ in range(trials):
        pattern = random_pattern(rng)
        insensitive = rng.random() < 0.2
        started = time.thread_time()  # CPU time: a busy machine does not count against it
        refused = js_regex_error(pattern, insensitive) is not None
        spent = time.thread_time() - started
        if spent > ANALYSIS_BUDGET_S:
            failures.append(f"/{pattern}/: the analysis took {spent:.2f} s")
        op = "$regexi" if insensitive else "$regex"
        for subject in attacks(rng, 200) + attacks(rng, 5000):
            started = time.thread_time()
            eval_condition({"v": subject}, {"v": {op: pattern}})
            spent = time.thread_time() - started
            if spent > PYTHON_BUDGET_S:
                failures.append(f"/{pattern}/ on {subject[:12]!r}…: {spent * 1000:.0f} ms in "
                                f"Python")
                break
        if not refused:
            accepted += [(pattern, "i" if insensitive else "", s) for s in attacks(rng, 2000)]
    if accepted:
        failures += _v8_failures(accepted)
    return failures


def _v8_failures(cases: list[tuple[str, str, str]]) -> list[str]:
    """Run the accepted patterns as the runtime would, in V8: each test within the budget."""
    try:
        done = subprocess.run(["node", "-e", _V8], input=json.dumps(cases), capture_output=True,
                              text=True, timeout=60 + len(cases) * 0.5,
                              cwd=Path(__file__).parent)
    except subprocess.TimeoutExpired:
        return ["V8 did not finish the accepted patterns in time (one of them hangs)"]
    if done.returncode != 0:
        return [f"node failed: {done.stderr.strip()[:200]}"]
    failures, seen = [], set()
    for (pattern, flags, subject), ms in zip(cases, json.loads(done.stdout), strict=True):
        if ms > V8_BUDGET_MS and pattern not in seen:
            seen.add(pattern)
            failures.append(f"/{pattern}/{flags} on {subject[:12]!r}…: {ms:.0f} ms in V8")
    return failures


ROW = Row("ReDoS time budget (Python and V8)", quick=60, long=2000, run=run)
