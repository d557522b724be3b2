"""What the engine's commands (metrics.cli) and the report command (metrics.reports.cli)
read the same way: a date on the command line, and the options of every command that
opens the database. Its own module so that neither command module imports the other."""

from __future__ import annotations

import argparse
import datetime as dt


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ «{text}»: dùng dạng YYYY-MM-DD") from None


def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options every command that opens the database has."""
    p.add_argument("--db", help="tệp DuckDB (mặc định: $CCHC_DB hoặc data/cchc.duckdb)")
    p.add_argument(
        "--wait",
        type=float,
        default=None,
        help="số giây chờ khi tệp đang bị tiến trình khác giữ (mặc định: $CCHC_LOCK_WAIT hoặc 120)",
    )
    return p
