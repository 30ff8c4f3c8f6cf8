"""Audiences at scale: targeting conditions and variant assignment as SQL.

``compile.Compiler`` turns a condition into one three-valued SQL boolean
over a users table (``tables``), ``hashing_sql`` writes GrowthBook's FNV-1a
assignment in SQL, and ``engine.count`` runs both in DuckDB, deciding in
Python only the rows SQL leaves undecided (NULL), so the counts are exactly
``eval_condition``'s and ``choose_variation``'s. Qt-free; DuckDB is imported
only when a table is opened.
"""

from __future__ import annotations

from guidestudio.core.audience_sql.compile import Compiler
from guidestudio.core.audience_sql.engine import Audience, AudienceCount, count
from guidestudio.core.audience_sql.tables import TableError, UsersTable, open_table

__all__ = ["Audience", "AudienceCount", "Compiler", "TableError", "UsersTable", "count",
           "open_table"]
