"""The KPI rows of issue 14, measured against a floor: `compute.kpis` by unit
against the smallest hand-written SQL that gives the same counts, and the CLI's
start-up (`python -m metrics kpis` minus its query). `make bench` calls measure()
and cli_startup(); a unit test calls check_same_counts(), so the floor is known
to count what the engine counts (a floor that counted less would flatter us).

The floor reads `dossiers` alone: no unit catalogue, no targets, no names, no
months, no history, no pandas. It is what a person who knew the rules would
type for "every default KPI's numerator, denominator and unknown count per unit"."""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from metrics import db, registry

ROOT = Path(__file__).resolve().parents[2]

# Measures (registry keys) of the default metrics, in the floor's column order.
FLOOR_MEASURES = (
    "dossiers_online",
    "dossiers_received",
    "dossiers_received_unknown_channel",
    "dossiers_resolved_on_time",
    "dossiers_resolved",
    "dossiers_resolved_unknown_due",
    "dossiers_rated_satisfied",
    "dossiers_rated",
    "dossiers_resolved_unknown_rating",
)


def floor_sql() -> str:
    """Per agency_code: numerator, denominator and unknown count of every default
    metric (online_rate default, on_time_rate resolved, satisfaction_rate survey)
    over [$date_from, $date_to], in FLOOR_MEASURES order."""
    return """
SELECT
    agency_code,
    coalesce(count_if(status NOT IN (1, 3) AND received_date BETWEEN $date_from AND $date_to
                     AND channel = 'online'), 0) AS dossiers_online,
    coalesce(count_if(status NOT IN (1, 3) AND received_date BETWEEN $date_from AND $date_to
                     AND channel IS NOT NULL), 0) AS dossiers_received,
    coalesce(count_if(status NOT IN (1, 3) AND received_date BETWEEN $date_from AND $date_to
                     AND channel IS NULL), 0) AS dossiers_received_unknown_channel,
    coalesce(count_if(status IN (9, 10) AND end_date BETWEEN $date_from AND $date_to AND NOT bad_timeline
                     AND due_known IS NOT false AND (due_date IS NULL OR end_date <= due_date)), 0)
        AS dossiers_resolved_on_time,
    coalesce(count_if(status IN (9, 10) AND end_date BETWEEN $date_from AND $date_to AND NOT bad_timeline
                     AND due_known IS NOT false), 0) AS dossiers_resolved,
    coalesce(count_if(status IN (9, 10) AND end_date BETWEEN $date_from AND $date_to AND NOT bad_timeline
                     AND due_known IS false), 0) AS dossiers_resolved_unknown_due,
    coalesce(count_if(status IN (9, 10) AND end_date BETWEEN $date_from AND $date_to
                     AND rating >= 4), 0) AS dossiers_rated_satisfied,
    coalesce(count_if(status IN (9, 10) AND end_date BETWEEN $date_from AND $date_to
                     AND rating IS NOT NULL), 0) AS dossiers_rated,
    coalesce(count_if(status IN (9, 10) AND end_date BETWEEN $date_from AND $date_to
                     AND rating_known IS false), 0) AS dossiers_resolved_unknown_rating
FROM dossiers
WHERE received_date BETWEEN $date_from AND $date_to OR end_date BETWEEN $date_from AND $date_to
GROUP BY agency_code
"""


def _floor(con: duckdb.DuckDBPyConnection, date_from: dt.date, date_to: dt.date) -> list[tuple[object, ...]]:
    return con.cursor().execute(floor_sql(), {"date_from": date_from, "date_to": date_to}).fetchall()


def _kpis(con: duckdb.DuckDBPyConnection, date_from: dt.date, date_to: dt.date) -> object:
    from metrics import compute  # pandas: only when a measurement asks for it

    return compute.kpis(con, date_from, date_to, by=("unit",))


Counts = dict[tuple[str, str], tuple[int, int, int]]


def floor_counts(con: duckdb.DuckDBPyConnection, date_from: dt.date, date_to: dt.date) -> Counts:
    """(metric, unit) -> (numerator, denominator, unknown) from the floor, groups of
    nothing left out (as the engine leaves them out)."""
    out: Counts = {}
    for row in _floor(con, date_from, date_to):
        code, values = row[0], dict(zip(FLOOR_MEASURES, row[1:], strict=True))
        for key in registry.METRIC_KEYS:
            m = registry.metric(key)
            unknown = values[m.unknown.key] if m.unknown else 0
            counts = (int(values[m.numerator.key]), int(values[m.denominator.key]), int(unknown))  # type: ignore[call-overload]
            if any(counts):
                out[(m.key, str(code))] = counts
    return out


def kpi_counts(con: duckdb.DuckDBPyConnection, date_from: dt.date, date_to: dt.date) -> Counts:
    """The same from compute.kpis by unit (summed over a unit's tiers, if it had two)."""
    frame = _kpis(con, date_from, date_to)
    out: Counts = {}
    for r in frame.to_dict(orient="records"):  # type: ignore[attr-defined]
        key = (r["metric"], r["unit_code"])
        n, d, u = out.get(key, (0, 0, 0))
        out[key] = (n + r["numerator"], d + r["denominator"], u + r["unknown"])
    return {k: v for k, v in out.items() if any(v)}


def check_same_counts(con: duckdb.DuckDBPyConnection, date_from: dt.date, date_to: dt.date) -> int:
    """Assert that the floor and compute.kpis give every unit the same counts;
    returns how many (metric, unit) groups were compared."""
    floor, kpis = floor_counts(con, date_from, date_to), kpi_counts(con, date_from, date_to)
    differ = {k: (floor.get(k), kpis.get(k)) for k in floor.keys() | kpis.keys() if floor.get(k) != kpis.get(k)}
    assert not differ, f"floor != compute.kpis for {len(differ)} groups, e.g. {sorted(differ.items())[:3]}"
    return len(floor)


def _timed(fn: Callable[[], object]) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def measure(db_path: str | os.PathLike[str], date_from: dt.date, date_to: dt.date, repeats: int = 5) -> dict:
    """compute.kpis by unit and the floor, in this process on one warm connection,
    alternating; medians of wall and CPU time (CPU: this process, all its threads)."""
    con = db.connect(db_path, read_only=True)
    try:
        runs: dict[str, list[tuple[float, float]]] = {"kpi": [], "floor": []}
        fns = {"kpi": lambda: _kpis(con, date_from, date_to), "floor": lambda: _floor(con, date_from, date_to)}
        for fn in fns.values():
            fn()  # warm: the file's pages, the pandas import, the SQL files read
        for _ in range(repeats):
            for name, fn in fns.items():
                runs[name].append(_timed(fn))
        row = con.execute("SELECT count(*) FROM dossiers").fetchone()
        dossiers = int(row[0]) if row else 0
    finally:
        con.close()
    med = {
        f"{n}_{k}": statistics.median(r[i] for r in rs) for n, rs in runs.items() for i, k in enumerate(("s", "cpu_s"))
    }
    return {
        **med,
        "ratio_wall": med["kpi_s"] / med["floor_s"],
        "ratio_cpu": med["kpi_cpu_s"] / med["floor_cpu_s"] if med["floor_cpu_s"] else float("nan"),
        "dossiers": dossiers,
    }


# The query alone, as the CLI runs it, in a child that has already imported all the
# CLI imports: a fresh connection and the same call; prints its wall and CPU time.
_QUERY_ONLY = textwrap.dedent(
    """
    import datetime as dt, json, sys, time
    sys.path.insert(0, {root!r})
    import metrics.cli
    from metrics import db, kpi_table
    t0, c0 = time.perf_counter(), time.process_time()
    con = db.connect({db!r}, read_only=True)
    kpi_table.kpi_rows(con, dt.date.fromisoformat({f!r}), dt.date.fromisoformat({t!r}), by=("unit",))
    con.close()
    print(json.dumps([time.perf_counter() - t0, time.process_time() - c0]))
    """
)


def cli_startup(db_path: str | os.PathLike[str], date_from: dt.date, date_to: dt.date, repeats: int = 5) -> dict:
    """`python -m metrics kpis --by unit --format json` in a child process, alternating
    with a child that times only the query (see _QUERY_ONLY); medians in seconds.
    startup_s = cli_s - query_s (and the same in CPU time): imports, argument parsing
    and printing."""
    path, f, t = str(db_path), date_from.isoformat(), date_to.isoformat()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cli = [sys.executable, "-m", "metrics", "kpis", "--db", path, "--from", f, "--to", t, "--by", "unit"]
    cli += ["--format", "json"]
    query = [sys.executable, "-c", _QUERY_ONLY.format(root=str(ROOT), db=path, f=f, t=t)]
    cli_s: list[float] = []
    cli_cpu: list[float] = []
    query_s: list[float] = []
    query_cpu: list[float] = []
    for _ in range(repeats):
        w, c = time.perf_counter(), _children_cpu()
        subprocess.run(cli, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        cli_s.append(time.perf_counter() - w)
        cli_cpu.append(_children_cpu() - c)
        done = subprocess.run(query, env=env, cwd=ROOT, check=True, capture_output=True, text=True)
        wall, cpu = json.loads(done.stdout)
        query_s.append(wall)
        query_cpu.append(cpu)
    med = statistics.median
    return {
        "cli_s": med(cli_s),
        "cli_cpu_s": med(cli_cpu),
        "query_s": med(query_s),
        "query_cpu_s": med(query_cpu),
        "startup_s": med(cli_s) - med(query_s),
        "startup_cpu_s": med(cli_cpu) - med(query_cpu),
    }


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished children of this process."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    """`python -m metrics.demo.bench_kpi DB FROM TO [REPEATS]`: both measurements as JSON."""
    args = sys.argv[1:] if argv is None else argv
    path, f, t = args[0], dt.date.fromisoformat(args[1]), dt.date.fromisoformat(args[2])
    repeats = int(args[3]) if len(args) > 3 else 5
    con = db.connect(path, read_only=True)
    try:
        compared = check_same_counts(con, f, t)
    finally:
        con.close()
    result = {"groups_compared": compared, **measure(path, f, t, repeats), **cli_startup(path, f, t, repeats)}
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
