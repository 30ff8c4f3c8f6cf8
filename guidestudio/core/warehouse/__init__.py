"""SQL for the team's warehouse: the dialects we print, the one transpile step from the
DuckDB dialect our builders write in, tables inlined as ``VALUES``, and a local Spark runner.
Shared by every feature that hands SQL to a warehouse (results; audiences later)."""
