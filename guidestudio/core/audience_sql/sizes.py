"""Audience sizes for the editor: one audience counted on the user's users table.

The editor shows "≈ 1,234,567 users (12.3%) of 10,000,000 in users.parquet" beside the
sample profiles' matches. The number must be the one ``guidestudio simulate --users``
gives for that guide, so the question travels the same road: a one-guide bundle goes
through ``Simulation`` (the ``events`` counters the runtime adds to conditions that
read them, the experiment prepared as the runtime hashes) and ``engine.count`` counts
it exactly. What this module adds is what an editor needs around that: a cache key
(the table file's identity and the question as JSON, so an unchanged guide is not
counted twice) and every failure said in a marketer's words, with the technical line
kept for a tooltip.

No Qt here: the editor runs ``count_size`` on a worker thread and passes the DuckDB
connection it can interrupt.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidestudio.core.audience_sql.engine import count
from guidestudio.core.audience_sql.simulate_table import audiences_of
from guidestudio.core.audience_sql.tables import TableError, open_table
from guidestudio.core.simulate.simulation import Simulation
from guidestudio.core.targeting.js_values import js_string

#: The guide id of the one-guide bundle a question becomes (never shown).
_GUIDE_ID = "audience"

#: What counting found of each recent table's data (column facts, few-valued columns'
#: values), by ``table_identity``: the editor counts again after every pause in typing,
#: and an unchanged file need not be scanned for them again. A changed file is a new key.
_KNOWN: dict[tuple[str, str, int, int], dict[str, Any]] = {}
_KNOWN_TABLES = 4


def _known(spec: str) -> dict[str, Any]:
    identity = table_identity(spec)
    known = _KNOWN.pop(identity, None)
    if known is None:
        known = {}
        while len(_KNOWN) >= _KNOWN_TABLES:
            del _KNOWN[next(iter(_KNOWN))]
    _KNOWN[identity] = known  # the most recent last
    return known


@dataclass(frozen=True)
class SizeQuestion:
    """Whom to count: a condition (GrowthBook syntax, plain data) and, for a guide
    that runs an experiment, the bundle's ``experiment`` object (its variants split)."""

    condition: Any
    experiment: Mapping[str, Any] | None = None
    hash_attribute: str = "id"

    def key(self) -> str:
        """The question as JSON: equal keys, equal answers on the same table."""
        return json.dumps([self.condition, self.experiment, self.hash_attribute],
                          sort_keys=True, ensure_ascii=False, default=str)


@dataclass(frozen=True)
class AudienceSize:
    """One audience's size on one table."""

    users: int  # rows in the table
    matched: int  # in the audience
    table: str  # the table as the person knows it: the file name (and ``:table``)
    #: For an experiment: each variation's key (the control group's is ``control``)
    #: and how many of the audience it gets.
    arms: tuple[tuple[str, int], ...] = ()
    outside: int = 0  # in the audience but outside the experiment's coverage or namespace
    no_id: int = 0  # in the audience without a value to split on
    seconds: float = 0.0

    @property
    def share(self) -> float:
        return self.matched / self.users if self.users else 0.0


class SizeError(Exception):
    """Why an audience cannot be counted, in the words of the person choosing it;
    ``detail`` keeps the technical line (for a tooltip)."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


def _split(spec: str) -> tuple[Path, str]:
    """(the file, the table inside a DuckDB database or "")."""
    path_text, sep, table = str(spec).partition(".duckdb:")
    if sep:
        return Path(path_text + ".duckdb"), table
    return Path(str(spec)), ""


def table_name(spec: str) -> str:
    """``users.parquet`` or ``warehouse.duckdb:users``: what the line says."""
    path, table = _split(spec)
    return f"{path.name}:{table}" if table else path.name


def table_identity(spec: str) -> tuple[str, str, int, int]:
    """(file, table, modification time in ns, size): a changed file is a new identity,
    so answers cached for the old one are not served. Raises ``SizeError`` when the
    file is gone."""
    path, table = _split(spec)
    try:
        stat = os.stat(path)
    except OSError:
        raise SizeError(f"{table_name(spec)} is not there any more (moved, renamed or on a "
                        "drive that is not connected?). Choose the user table again.",
                        f"{path}: no such file") from None
    return str(path.resolve()), table, stat.st_mtime_ns, stat.st_size


_COLUMN_TYPE = re.compile(r"column '(?P<column>.+)' has type (?P<type>\S+)")
_TYPE_WORDS = {"DATE": "dates", "TIMESTAMP": "dates and times", "TIME": "times",
               "DECIMAL": "decimal numbers", "MAP": "key-value maps", "BLOB": "binary data",
               "INTERVAL": "durations", "UUID": "UUIDs"}


def table_problem(spec: str, exc: TableError) -> SizeError:
    """``tables.open_table``'s refusal in the words of whoever chose the file."""
    name = table_name(spec)
    text = str(exc)
    found = _COLUMN_TYPE.search(text)
    if found is not None:
        kind = found["type"].split("(")[0].rstrip(",").upper()
        words = _TYPE_WORDS.get(kind.split(" ")[0], f"{kind} values")
        return SizeError(f"Can't count: the column “{found['column']}” in {name} holds "
                         f"{words}, which audience rules cannot read. Ask for it as text or "
                         "a number in the export.", text)
    if "no such" in text:
        return SizeError(f"{name} is not there any more (moved or renamed?). Choose the user "
                         "table again.", text)
    if "reads .parquet" in text:
        return SizeError(f"{name} is not a Parquet file or a DuckDB table; choose one of "
                         "those.", text)
    if "conflicts" in text:
        return SizeError(f"Can't count: two columns of {name} name the same attribute "
                         "(e.g. “plan” and “plan.name”).", text)
    return SizeError(f"Can't count: {name} could not be read as a table of users (is it a "
                     "complete Parquet export?).", text)


def query_problem(spec: str, exc: BaseException) -> SizeError:
    """A failure while counting, in words (DuckDB's first line kept as the detail)."""
    import duckdb

    name = table_name(spec)
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
    if isinstance(exc, duckdb.OutOfMemoryException | MemoryError):
        return SizeError(f"{name} is too large to count on this computer.", first)
    if isinstance(exc, duckdb.IOException | OSError):
        return SizeError(f"Can't count: {name} could not be read to the end (is it still "
                         "being written?).", first)
    return SizeError(f"Can't count this audience on {name}: a rule compares a column with a "
                     "value its data cannot be compared with.", first)


def count_size(spec: str, question: SizeQuestion, connection: Any = None,
               now_ms: float | None = None) -> AudienceSize:
    """``question`` counted on the table at ``spec`` (a Parquet file or
    ``file.duckdb:table``) with ``connection`` (a fresh one when None), exactly as
    ``simulate --users`` counts a guide. Raises ``SizeError``; a DuckDB interrupt
    (the editor cancelling a stale count) is passed on as DuckDB raised it."""
    import duckdb

    started = time.perf_counter()
    try:
        table = open_table(spec, connection)
    except TableError as exc:
        raise table_problem(spec, exc) from None
    now = time.time() * 1000 if now_ms is None else now_ms
    guide: dict[str, Any] = {"id": _GUIDE_ID, "audience": {"condition": question.condition},
                             "variants": [{"key": "a"}]}
    if question.experiment is not None:
        guide["experiment"] = dict(question.experiment)
    simulation = Simulation({"hash_attribute": question.hash_attribute, "guides": [guide]}, now)
    hash_attribute = js_string(simulation.context["hash_attribute"])
    try:
        users, (found,) = count(table, audiences_of(simulation, now), hash_attribute,
                                known=_known(spec))
    except duckdb.InterruptException:
        raise
    except TableError as exc:
        raise table_problem(spec, exc) from None
    except (duckdb.Error, OSError, MemoryError) as exc:
        raise query_problem(spec, exc) from None
    arms: tuple[tuple[str, int], ...] = ()
    experiment = simulation.plans[0].experiment
    if experiment is not None:
        arms = tuple((key, found.buckets.get(i, 0))
                     for i, key in enumerate(experiment.variations))
    return AudienceSize(users, found.matched, table_name(spec), arms,
                        outside=found.buckets.get(-1, 0) + found.buckets.get(-2, 0),
                        no_id=found.no_hash_value, seconds=time.perf_counter() - started)
