"""How fast the dashboard's pages are against a big database, driven through AppTest.

For each page: the rerun that misses every cache (st.cache_data and the figure cache
cleared) against the time of the engine calls that rerun makes — replayed on their own
afterwards ("SQL s") and as timed inside the run ("SQL in run s") — and a rerun that hits
the cache. The issue's bar: uncached ≤ 1.4 × SQL, cached < 100 ms. The late page's cached
rerun still runs its one page query: raw rows are never cached.

    .venv/bin/python benchmarks/bench_pages.py --db /tmp/big.duckdb          # an existing DB
    .venv/bin/python benchmarks/bench_pages.py --dossiers 10000000 --db /tmp/big.duckdb

Prints one JSON document, then the same figures as a table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = [
    ("overview", "pages/overview.py", {}),
    ("units", "pages/units.py", {}),
    ("unit_view", "pages/units.py", {"unit": "000.00.06.H56"}),
    ("late", "pages/late.py", {}),
    ("trends", "pages/trends.py", {}),
    ("data", "pages/data.py", {}),
]


class Recorder:
    """Stands in for metrics.compute inside ui.data: times and records every engine call."""

    def __init__(self, compute) -> None:
        self._compute = compute
        self.calls: list[tuple[str, tuple, dict, float]] = []

    def __getattr__(self, name: str):
        target = getattr(self._compute, name)
        if not callable(target):
            return target

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return target(*args, **kwargs)
            finally:
                self.calls.append((name, args[1:], kwargs, time.perf_counter() - start))

        return timed


def replay(calls, connection) -> float:
    """The engine calls of one page run, made again directly: the SQL the page costs."""
    from metrics import compute

    start = time.perf_counter()
    for name, args, kwargs, _ in calls:
        getattr(compute, name)(connection.cursor(), *args, **kwargs)
    return time.perf_counter() - start


def measure(name: str, page: str, params: dict, repeats: int) -> dict:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from metrics import compute
    from ui import charts, data

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page != "pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    recorder = Recorder(compute)
    data.compute = recorder
    uncached, sql_inline, sql_replay, cached, queries = [], [], [], [], 0
    try:
        for _ in range(repeats):
            st.cache_data.clear()
            charts.clear_cache()  # figures are cached too: a cold rerun rebuilds them
            recorder.calls.clear()
            start = time.perf_counter()
            at.run()
            uncached.append(time.perf_counter() - start)
            assert not at.exception, [e.value for e in at.exception]
            calls = list(recorder.calls)
            queries = len(calls)
            sql_inline.append(sum(c[3] for c in calls))
            sql_replay.append(replay(calls, data.con()))
            start = time.perf_counter()
            at.run()
            cached.append(time.perf_counter() - start)
    finally:
        data.compute = compute
    med = statistics.median
    return {
        "page": name,
        "engine_calls": queries,
        "uncached_s": round(med(uncached), 4),
        "sql_replay_s": round(med(sql_replay), 4),
        "sql_inline_s": round(med(sql_inline), 4),
        "uncached_over_sql": round(med(uncached) / med(sql_replay), 3) if med(sql_replay) else None,
        "uncached_over_inline_sql": round(med(uncached) / med(sql_inline), 3) if med(sql_inline) else None,
        "cached_ms": round(med(cached) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database to read (built first with --dossiers)")
    parser.add_argument("--dossiers", type=int, default=0, help="build a synthetic database of this size first")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pages", nargs="*", default=[p[0] for p in PAGES])
    args = parser.parse_args()
    if args.dossiers:
        from tests.app import demo_db

        start = time.perf_counter()
        demo_db.build(args.db, args.dossiers)
        print(f"built {args.dossiers:,} dossiers in {time.perf_counter() - start:.1f}s", file=sys.stderr)
    os.environ["CCHC_DB"] = str(args.db)
    from streamlit import logger

    logger.set_log_level("error")  # AppTest outside a server warns on every cache
    import duckdb

    with duckdb.connect(str(args.db), read_only=True) as con:
        dossiers = con.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    results = [measure(n, p, q, args.repeats) for n, p, q in PAGES if n in args.pages]
    report = {"db": str(args.db), "dossiers": dossiers, "repeats": args.repeats, "pages": results}
    print(json.dumps(report, indent=2, ensure_ascii=False))
    header = (
        f"{'page':<10} {'calls':>5} {'uncached s':>11} {'SQL s':>8} {'ratio':>6} "
        f"{'SQL in run s':>13} {'ratio':>6} {'cached ms':>10}"
    )
    print(f"\n{dossiers:,} dossiers, median of {args.repeats}\n{header}\n{'-' * len(header)}")
    for r in results:
        print(
            f"{r['page']:<10} {r['engine_calls']:>5} {r['uncached_s']:>11.3f} {r['sql_replay_s']:>8.3f} "
            f"{r['uncached_over_sql'] or 0:>6.2f} {r['sql_inline_s']:>13.3f} "
            f"{r['uncached_over_inline_sql'] or 0:>6.2f} {r['cached_ms']:>10.1f}"
        )


if __name__ == "__main__":
    main()
