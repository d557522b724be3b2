"""Opening the DuckDB file: where it lives, its schema, and the limits that keep a
10M-dossier import inside a few GB of memory."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_DB = DATA_DIR / "cchc.duckdb"
SCHEMA_SQL = Path(__file__).with_name("schema.sql")

# DuckDB spills to disk past this; the import's peak stays under 3 GB at 10M rows.
MEMORY_LIMIT = os.environ.get("CCHC_MEMORY_LIMIT", "2GB")


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--db wins, then the CCHC_DB environment variable, then data/cchc.duckdb."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("CCHC_DB")
    return Path(env) if env else DEFAULT_DB


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
        from metrics import reference

        reference.ensure_loaded(con)
    return con


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """Changes whenever an import lands or reference data changes: the cache key for the UI."""
    row = con.execute("SELECT coalesce(max(import_id), 0), count(*) FROM imports").fetchone()
    targets = con.execute("SELECT count(*), coalesce(sum(target), 0) FROM targets").fetchone()
    return f"{row[0]}-{row[1]}-{targets[0]}-{targets[1]}"
