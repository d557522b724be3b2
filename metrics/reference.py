"""Reference data shipped in data/: targets, the units catalogue and the procedures
catalogue. Targets are data (metric x tier x validity x value x legal source), never
constants in code; a province edits data/targets.csv or loads its own."""

from __future__ import annotations

from pathlib import Path

import duckdb

from metrics.paths import DATA_DIR

REFERENCE_FILES = {
    "targets": DATA_DIR / "targets.csv",
    "units": DATA_DIR / "units.csv",
    "procedures": DATA_DIR / "procedures.csv",
}


def load_csv(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> int:
    """Replace one reference table with the rows of a CSV whose header names its columns."""
    if table not in REFERENCE_FILES:
        raise ValueError(f"not a reference table: {table}")
    columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    select = ", ".join(f'"{c}"' for c in columns)
    con.execute("BEGIN")
    try:
        con.execute(f"DELETE FROM {table}")
        con.execute(
            f"INSERT INTO {table} SELECT {select} FROM read_csv(?, header=true, all_varchar=false, auto_detect=true)",
            [str(path)],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return _row_count(con, table)


def _row_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert row is not None  # count(*) always returns a row
    return int(row[0])


def ensure_loaded(con: duckdb.DuckDBPyConnection) -> None:
    """Fill empty reference tables from the shipped CSVs (a new database starts with
    the defaults; a province's own reference data, once loaded, is kept)."""
    for table, path in REFERENCE_FILES.items():
        if path.exists() and _row_count(con, table) == 0:
            load_csv(con, table, path)
