"""A database written by an older version opened read-only (the CLI's `kpis`, the
dashboard) gets today's schema first: a view the queries need is never missing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from metrics import compute, db


def _older_database(path: Path) -> None:
    """Today's schema with one view gone and no record of the schema's version: the
    shape of a file last written before that view existed."""
    db.connect(path).close()
    con = duckdb.connect(str(path))
    con.execute("DROP VIEW unit_catalogue")
    con.execute("DROP VIEW unit_spans")
    con.execute("DROP TABLE schema_version")
    con.close()


def test_a_read_only_connection_to_an_older_database_brings_its_schema_up_to_date(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    _older_database(path)
    con = db.connect(path, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM unit_spans").fetchone() is not None
        frame = compute.kpis(con, dt.date(2026, 1, 1), dt.date(2026, 11, 30), by=("unit",))
        assert frame.empty  # no dossiers: no rows, and above all no missing-view error
    finally:
        con.close()


def test_a_current_database_opens_read_only_without_a_write(tmp_path: Path) -> None:
    path = tmp_path / "current.duckdb"
    db.connect(path).close()
    before = path.stat().st_mtime_ns
    db.connect(path, read_only=True).close()
    assert path.stat().st_mtime_ns == before
