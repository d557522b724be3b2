"""How long the conference outputs take for a province's full year: a generated
database of N dossiers received in one year (default 1,000,000), then the deck built from
the engine once and written as PPTX, PDF and XLSX. Prints JSON, then a table.

    .venv/bin/python benchmarks/bench_reports.py [--dossiers 1000000] [--db PATH] [--keep]

The issue's target: "a full-year deck for a province of 1M dossiers takes seconds, not
minutes". Each format is also timed end to end through `write_report` (what the CLI and
the download buttons run), which includes the engine's queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--db", help="reuse or create this database file")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs per step; the fastest is reported (the machine is shared, so the minimum is the least noisy figure)",
    )
    args = parser.parse_args(argv)

    from metrics import db
    from metrics.reports import render, write_report
    from metrics.reports.build import build_deck
    from metrics.reports.plan import slide_plan
    from tests.app.demo_db import build

    work = Path(tempfile.mkdtemp(prefix="bench_reports_"))
    path = Path(args.db) if args.db else work / "province.duckdb"
    t0 = time.perf_counter()
    if not path.exists():
        build(path, args.dossiers, start=YEAR[0], end=YEAR[1])
    setup = time.perf_counter() - t0

    con = db.connect(path, read_only=True)
    dossiers = con.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    results: dict[str, float] = {}

    def timed(name: str, fn: Callable[[], Any]) -> Any:
        best, value = float("inf"), None
        for _ in range(max(args.repeat, 1)):
            t = time.perf_counter()
            value = fn()
            best = min(best, time.perf_counter() - t)
        results[name] = best
        return value

    deck = timed("build_deck", lambda: build_deck(con, *YEAR))
    full = timed("build_deck_with_late_list", lambda: build_deck(con, *YEAR, include_late_rows=True))
    for fmt in ("pptx", "pdf"):
        timed(f"render_{fmt}", lambda fmt=fmt: render(deck, fmt, work / f"deck.{fmt}"))
    timed("render_xlsx", lambda: render(full, "xlsx", work / "deck.xlsx"))
    for fmt in ("pptx", "pdf", "xlsx"):
        timed(f"write_report_{fmt}", lambda fmt=fmt: write_report(con, *YEAR, fmt, work / f"report.{fmt}"))
    con.close()

    from pypdf import PdfReader

    facts = {
        "dossiers": dossiers,
        "period": f"{YEAR[0]}..{YEAR[1]}",
        "units": sum(len(r.rows) for r in deck.rankings if r.metric == "on_time_rate"),
        "late_dossiers": int(deck.late.total),
        "slides": len(slide_plan(deck)),
        "pdf_pages": len(PdfReader(str(work / "report.pdf")).pages),
        "sizes_kb": {fmt: round((work / f"report.{fmt}").stat().st_size / 1024) for fmt in ("pptx", "pdf", "xlsx")},
        "setup_seconds": round(setup, 2),
    }
    out = {
        "benchmark": "reports",
        **facts,
        "repeat": args.repeat,
        "seconds": {k: round(v, 3) for k, v in results.items()},
    }
    print(json.dumps(out, ensure_ascii=False, indent=1))
    print()
    print(f"{'step':<32}{'seconds':>10}")
    for k, v in results.items():
        print(f"{k:<32}{v:>10.3f}")
    print(
        f"\n{dossiers:,} dossiers · {facts['units']} units · {facts['late_dossiers']:,} late · "
        f"{facts['slides']} slides · {facts['pdf_pages']} PDF pages"
    )
    if not args.keep and not args.db:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    elif args.keep:
        print(f"files kept in {work}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
