"""Shared test plumbing: where the fixtures are, a fresh DuckDB file per test, and the
CLI run as a user runs it (a subprocess of `python -m metrics` from the repo root).

Every test database gets the fixture units catalogue (tests/fixtures/units.csv) loaded
with `metrics.reference.load_csv(con, "units", path)`, so tier lookups never depend on
whatever data/units.csv ships with the app.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden"
UNITS_CSV = FIXTURES / "units.csv"


def cli_env(db: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    # Never let a test touch data/cchc.duckdb, even if a command forgets --db.
    if db is not None:
        env["CCHC_DB"] = str(db)
    return env


def run_cli(
    *args: object, db: Path | None = None, timeout: float = 120, check: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run `python -m metrics ARGS [--db DB]` from the repo root, capturing text output."""
    cmd = [sys.executable, "-m", "metrics", *map(str, args)]
    if db is not None:
        cmd += ["--db", str(db)]
    proc = subprocess.run(
        cmd,
        cwd=ROOT,
        env=cli_env(db),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"{' '.join(cmd)} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        )
    return proc


def run_cli_json(*args: object, db: Path) -> dict:
    proc = run_cli(*args, "--format", "json", db=db, check=True)
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as exc:  # pragma: no cover - diagnostic
        raise AssertionError(f"not JSON on stdout: {exc}\n{proc.stdout[:2000]}") from exc


def prepare_db(path: Path) -> Path:
    """Create the schema and replace the units table with the fixture catalogue."""
    from metrics import db as mdb
    from metrics import reference

    con = mdb.connect(path)
    try:
        reference.load_csv(con, "units", UNITS_CSV)
    finally:
        con.close()
    return path


def table_counts(path: Path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("dossiers", "imports", "quarantine")
        }
    finally:
        con.close()


def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def dossier(path: Path, code: str) -> dict:
    """One stored dossier as a dict of column -> value (AssertionError if absent)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        cur = con.execute("SELECT * FROM dossiers WHERE dossier_code = ?", [code])
        cols = [d[0] for d in cur.description]
        rows = cur.fetchall()
    finally:
        con.close()
    assert len(rows) == 1, f"expected exactly one stored dossier {code!r}, found {len(rows)}"
    return dict(zip(cols, rows[0], strict=True))


_JSON_CACHE: dict = {}


def cached_cli_json(*args: object, db: Path) -> dict:
    """run_cli_json, memoised per database and arguments: for read-only queries that
    several test modules ask of the same session database."""
    key = (str(db), tuple(map(str, args)))
    if key not in _JSON_CACHE:
        _JSON_CACHE[key] = run_cli_json(*args, db=db)
    return _JSON_CACHE[key]


@pytest.fixture(scope="session")
def golden_db(tmp_path_factory) -> Path:
    """tests/golden/golden_dossiers.csv imported through the CLI; treat as read-only."""
    path = prepare_db(tmp_path_factory.mktemp("golden") / "golden.duckdb")
    run_cli("ingest", GOLDEN / "golden_dossiers.csv", db=path, check=True)
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A fresh database file with the schema and the fixture units catalogue."""
    return prepare_db(tmp_path / "test.duckdb")


@pytest.fixture
def fixture_path():
    def _p(name: str) -> Path:
        p = FIXTURES / name
        assert p.exists(), f"missing fixture {p}; run tests/fixtures/make_fixtures.py"
        return p

    return _p
