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


def _open(target: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(target), read_only=read_only)
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    return con


def _needs_sync(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        return reference.stale(con)
    except duckdb.CatalogException:  # a database from before reference_sources existed
        return True


def connect(
    path: str | os.PathLike[str] | None = None, read_only: bool = False, strict: bool = True
) -> duckdb.DuckDBPyConnection:
    """Open (and on first use create) the database with the schema in place and the
    reference data in step with its files (reference.py).

    A reference file that breaks a rule raises ReferenceDataError when `strict` (the
    CLI exits 2); otherwise the error is kept in `reference.problem` and the last good
    copy stays in use (the dashboard shows it). A read-only connection cannot write,
    so when a file changed it first syncs through a short read-write connection; if
    another process holds the writer, it reads the last synced copy."""
    target = db_path(path)
    if read_only and not target.exists():
        read_only = False  # nothing to protect yet: create the empty schema
    target.parent.mkdir(parents=True, exist_ok=True)
    con = _open(target, read_only)
    if read_only:
        if not _needs_sync(con):
            return con
        con.close()
        try:
            _sync(_prepare(_open(target, False)), strict).close()
        except duckdb.IOException:
            pass  # another process is writing; it keeps the reference data in step
        return _open(target, True)
    return _sync(_prepare(con), strict)


def _prepare(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    return con


def _sync(con: duckdb.DuckDBPyConnection, strict: bool) -> duckdb.DuckDBPyConnection:
    try:
        reference.sync(con)
        reference.problem = None
    except reference.ReferenceDataError as exc:
        reference.problem = exc
        if strict:
            con.close()
            raise
    return con


def refresh_reference(con: duckdb.DuckDBPyConnection) -> None:
    """For a long-lived read-write connection (the dashboard): pick up edited
    reference files on the next rerun. Errors are kept in `reference.problem`."""
    if _needs_sync(con):
        _sync(con, strict=False)


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """Changes whenever an import lands or reference data changes: the cache key for the UI."""
    row = con.execute("SELECT coalesce(max(import_id), 0), count(*) FROM imports").fetchone()
    assert row is not None  # an aggregate without GROUP BY always returns a row
    return f"{row[0]}-{row[1]}-{reference.version(con)}"
