"""The KPI benchmark's floor (metrics/demo/bench_kpi.py) counts what the engine counts:
a floor that counted less would make compute.kpis look faster than it is. And the
`kpis` command runs without pandas, the start-up the benchmark measures."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import duckdb
import pytest

from metrics import db
from metrics.demo import bench_kpi
from tests.app import demo_db
from tests.conftest import ROOT, cli_env

GOLDEN_FROM, GOLDEN_TO = dt.date(2024, 3, 1), dt.date(2024, 4, 30)


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory):
    return demo_db.build(tmp_path_factory.mktemp("bench_kpi") / "demo.duckdb", 20_000)


def test_the_floor_gives_every_unit_the_engine_s_counts_on_the_golden_file(golden_db):
    con = duckdb.connect(str(golden_db), read_only=True)
    try:
        assert bench_kpi.check_same_counts(con, GOLDEN_FROM, GOLDEN_TO) > 0
    finally:
        con.close()


def test_the_floor_gives_every_unit_the_engine_s_counts_on_a_year_of_a_demo_province(demo_path):
    con = db.connect(demo_path, read_only=True)
    try:
        compared = bench_kpi.check_same_counts(con, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
        assert compared >= 3 * 10, "three metrics for many units"
    finally:
        con.close()


def test_a_floor_that_counted_otherwise_would_be_caught(golden_db, monkeypatch):
    """The check can fail: a floor that reads "satisfied" as rated 5 only differs."""
    wrong = bench_kpi.floor_sql().replace("rating >= 4", "rating >= 5")
    assert wrong != bench_kpi.floor_sql()
    monkeypatch.setattr(bench_kpi, "floor_sql", lambda: wrong)
    con = duckdb.connect(str(golden_db), read_only=True)
    try:
        with pytest.raises(AssertionError, match=r"floor != compute\.kpis"):
            bench_kpi.check_same_counts(con, GOLDEN_FROM, GOLDEN_TO)
    finally:
        con.close()


def test_measure_reports_both_sides_and_their_ratio(demo_path):
    result = bench_kpi.measure(demo_path, dt.date(2024, 1, 1), dt.date(2024, 12, 31), repeats=1)
    assert set(result) == {"kpi_s", "kpi_cpu_s", "floor_s", "floor_cpu_s", "ratio_wall", "ratio_cpu", "dossiers"}
    con = duckdb.connect(str(demo_path), read_only=True)
    try:
        assert result["dossiers"] == con.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    finally:
        con.close()
    assert result["ratio_wall"] == result["kpi_s"] / result["floor_s"]


def test_the_kpis_command_never_imports_pandas(golden_db):
    code = (
        "import sys\n"
        "from metrics import cli\n"
        f"cli.main(['kpis', '--db', {str(golden_db)!r}, '--from', '2024-03-01', '--to', '2024-04-30',"
        " '--by', 'unit', '--format', sys.argv[1]])\n"
        "heavy = sorted(m for m in ('pandas', 'numpy', 'pyarrow', 'plotly', 'streamlit') if m in sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    for fmt in ("json", "csv", "table"):
        proc = subprocess.run(
            [sys.executable, "-c", code, fmt], cwd=ROOT, env=cli_env(), capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stderr
        assert "Trực tuyến" in proc.stdout or "online_rate" in proc.stdout


def test_the_kpis_command_loads_the_duckdb_engine_but_not_the_duckdb_package(golden_db):
    """`import duckdb` runs ~90 ms of Python (its relation layer) that the command never
    uses; the engine's connection path imports the extension _duckdb alone."""
    code = (
        "import sys\n"
        "from metrics import cli\n"
        f"cli.main(['kpis', '--db', {str(golden_db)!r}, '--from', '2024-03-01', '--to', '2024-04-30', '--by', 'unit'])\n"
        "assert '_duckdb' in sys.modules\n"
        "assert 'duckdb' not in sys.modules, sorted(m for m in sys.modules if m.startswith('duckdb'))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=cli_env(), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "Trực tuyến" in proc.stdout or "online_rate" in proc.stdout
