"""A users table in Parquet like a product's export, for the audience-size tests.

The columns are the example project's attributes (plan, role, storage used, trial
days left, account age, app version, country), some missing per user, plus a
behaviour counter column; ``expected`` counts a condition on the same rows with the
Python evaluator, as the runtime decides it.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from guidestudio.core.eligibility import user_attributes
from guidestudio.core.targeting import eval_condition

PLANS = ["free", "trial", "pro", "business", None]
ROLES = ["owner", "admin", "member", None]
VERSIONS = ["2.4.1", "2.0.0", "1.9.3", "2.10.0", "3.0.0-beta", None]
COUNTRIES = ["GB", "JP", "US", "DE", "FR", None]


def users(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        user: dict[str, Any] = {"id": f"u-{i:06d}"}
        for key, values in (("plan", PLANS), ("role", ROLES), ("app_version", VERSIONS),
                            ("country", COUNTRIES)):
            value = rng.choice(values)
            if value is not None:
                user[key] = value
        if rng.random() < 0.9:
            user["storage_used_pct"] = rng.randint(0, 100)
        if user.get("plan") == "trial":
            user["trial_days_left"] = rng.randint(-3, 14)
        if rng.random() < 0.85:
            user["account"] = {"age_days": rng.randint(0, 900), "seats": rng.randint(1, 40)}
        if rng.random() < 0.7:
            user["events"] = {"login": {"days_since": rng.randint(0, 60)}}
        out.append(user)
    return out


def write_parquet(path: Path, rows: list[dict[str, Any]]) -> Path:
    """``rows`` as a Parquet file with typed columns (nested ones as STRUCTs)."""
    import duckdb

    lines = path.with_suffix(".jsonl")
    lines.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    con = duckdb.connect()
    try:
        con.execute(
            f"COPY (SELECT * FROM read_json('{lines}', format = 'newline_delimited', columns = "
            "{id: 'VARCHAR', plan: 'VARCHAR', role: 'VARCHAR', app_version: 'VARCHAR', "
            "country: 'VARCHAR', storage_used_pct: 'BIGINT', trial_days_left: 'BIGINT', "
            "account: 'STRUCT(age_days BIGINT, seats BIGINT)', "
            "events: 'STRUCT(login STRUCT(days_since BIGINT))'})) "
            f"TO '{path}' (FORMAT parquet)")
    finally:
        con.close()
    lines.unlink()
    return path


def expected(rows: list[dict[str, Any]], condition: Any, now_ms: float = 0) -> int:
    """How many of ``rows`` the runtime's evaluator puts in the audience."""
    return sum(1 for r in rows if eval_condition(user_attributes(r, None, now_ms, condition),
                                                 condition))
