"""Opening the DuckDB file: where it lives, its schema, and the limits that keep a
10M-dossier import inside a few GB of memory."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from metrics import reference
from metrics.paths import db_path

SCHEMA_SQL = Path(__file__).with_name("schema.sql")

# DuckDB spills to disk past this; the import's peak stays under 3 GB at 10M rows.
MEMORY_LIMIT = os.environ.get("CCHC_MEMORY_LIMIT", "2GB")


def connect(path: str | os.PathLike[str] | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and on first use create) the database with the schema in place."""
    target = db_path(path)
    if read_only and not target.exists():
        read_only = False  # nothing to protect yet: create the empty schema
    target.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(target), read_only=read_only)
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    if not read_only:
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        reference.ensure_loaded(con)
    return con


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """Changes whenever an import lands or reference data changes: the cache key for the UI."""
    row = con.execute("SELECT coalesce(max(import_id), 0), count(*) FROM imports").fetchone()
    targets = con.execute("SELECT count(*), coalesce(sum(target), 0) FROM targets").fetchone()
    assert row is not None and targets is not None  # aggregates always return a row
    return f"{row[0]}-{row[1]}-{targets[0]}-{targets[1]}"
