"""``guidestudio simulate``: who would see each guide, and which variant.

The answer must be the runtime's (``docs/eligibility.md``) for a file of
100,000 users and 50 guides in a few seconds. ``eligibility.decide`` answers
for one user and one guide; evaluating it five million times in Python takes
minutes, so this package computes the *same* decisions set-at-a-time, reusing
the evaluator's own pieces rather than a second copy of the semantics:

* **Chunks and masks** (``audiences``). Users are streamed in chunks of a few
  thousand. For a chunk, an audience condition's value is a mask (an int with
  one byte per user); ``$and``/``$or``/``$nor``/``$not`` are ``&``, ``|`` and
  ``^``. Every guide's condition is one DAG, so a segment used by ten guides
  is one node computed once per chunk.
* **Distinct values** (``leaves``). A leaf (a path against an operator object
  or a literal) is evaluated with ``targeting``'s own operator functions once
  per *distinct* value of its path in the chunk, memoised across chunks
  (plans, countries, versions repeat), and spread back to users by
  ``itemgetter``.
* **Only what can change the answer** (``plans``, ``simulation``). The
  schedule is checked once per guide; users are hashed only when they passed
  the audience; the frequency and throttle checks run only for users with a
  stored history, the throttle once per user.
* **Hashing many ids at once** (``hashing``). FNV-1a over a batch of
  same-length ASCII ids runs one step for the whole batch inside one big int
  (see ``_fnv_lanes``).
* **Two processes** (``run``) for a large JSON Lines file, cut at a line
  boundary; counts add up, so the result does not depend on the split.

Users are read by ``readers``, one user is explained by ``explain_user``, and
``report`` lays the result out as a table, JSON or CSV.

``tests/core/test_eligibility.py`` holds this package to ``eligibility.decide``
and ``targeting.eval_condition`` on random conditions, users and histories.

This module only re-exports the API; the modules' own public names (the
pieces they share with each other, which the tests also reach for) are
imported from the module that defines them, and tunables such as
``run.PARALLEL_MIN_BYTES`` live, and are patched, in the module that reads
them.
"""

from __future__ import annotations

from guidestudio.core.simulate.audiences import compile_audience
from guidestudio.core.simulate.explain_user import ExplainResult, explain
from guidestudio.core.simulate.readers import (
    CHUNK,
    MISSING,
    InputError,
    UserFile,
    open_users,
    parse_csv_value,
    read_users,
)
from guidestudio.core.simulate.report import format_csv, format_json, format_table
from guidestudio.core.simulate.report import format_explain as format_explain
from guidestudio.core.simulate.results import GuideResult, SimulationResult
from guidestudio.core.simulate.run import copy_json as copy_json
from guidestudio.core.simulate.run import default_progress_stream, default_workers, simulate_users
from guidestudio.core.simulate.simulation import Simulation

__all__ = [
    "CHUNK",
    "ExplainResult",
    "GuideResult",
    "InputError",
    "MISSING",
    "Simulation",
    "SimulationResult",
    "UserFile",
    "compile_audience",
    "default_progress_stream",
    "default_workers",
    "explain",
    "format_csv",
    "format_json",
    "format_table",
    "open_users",
    "parse_csv_value",
    "read_users",
    "simulate_users",
]
