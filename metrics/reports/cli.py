"""`python -m metrics report`: the conference deck from one command line, for a monthly
cron job. The engine's CLI adds this sub-command with `add_report_parser(subparsers)`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from metrics import registry
from metrics.cli_args import iso_date, with_db
from metrics.reports import FORMATS
from metrics.reports.model import ON_TIME


def add_report_parser(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "report",
        help="báo cáo hội nghị CCHC: PowerPoint, PDF hoặc Excel",
        description="Lập bộ báo cáo hội nghị (trình chiếu PPTX, báo cáo PDF, bảng tính XLSX) cho một kỳ.",
    )
    p.add_argument("--from", dest="date_from", type=iso_date, required=True, help="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=iso_date, required=True, help="YYYY-MM-DD")
    p.add_argument("--tier", choices=registry.TIER_CODES, help="chỉ một cấp")
    p.add_argument("--unit", help="chỉ một đơn vị (mã đơn vị)")
    p.add_argument("--format", dest="report_format", choices=FORMATS, help="mặc định: theo đuôi tệp của -o")
    p.add_argument(
        "--on-time-definition",
        choices=registry.DEFINITIONS[ON_TIME],
        default=registry.metric(ON_TIME).definition,
    )
    p.add_argument("-o", "--output", required=True, help="tệp ghi ra, ví dụ bao-cao-quy-3.pptx")
    with_db(p)
    p.set_defaults(func=run_report)
    return p


def run_report(args: argparse.Namespace) -> int:
    from metrics import db
    from metrics.reports import write_report
    from metrics.vi_format import fmt_int

    out = Path(args.output)
    fmt = args.report_format or out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        print(f"Lỗi: không rõ định dạng «{fmt}»; dùng --format pptx, pdf hoặc xlsx.", file=sys.stderr)
        return 2
    if args.date_to < args.date_from:
        print("Lỗi: ngày kết thúc (--to) đứng trước ngày bắt đầu (--from).", file=sys.stderr)
        return 2
    if not db.db_path(args.db).exists():
        print(
            f"Lỗi: không có cơ sở dữ liệu {db.db_path(args.db)}; nhập dữ liệu bằng "
            "`python -m metrics ingest` hoặc tạo demo bằng `python -m metrics demo`.",
            file=sys.stderr,
        )
        return 2
    from metrics.reports.config import ReportConfigError
    from metrics.reports.config import load as load_settings

    try:
        settings = load_settings()
    except ReportConfigError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    con = db.connect(args.db, read_only=True, wait=args.wait)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        deck = write_report(
            con,
            args.date_from,
            args.date_to,
            fmt,
            out,
            tier=args.tier,
            unit=args.unit,
            on_time_definition=args.on_time_definition,
            settings=settings,
        )
    finally:
        con.close()
    state = "không có hồ sơ trong kỳ" if deck.empty else f"{fmt_int(len(deck.kpis))} chỉ số"
    print(f"Đã ghi {out} · {deck.scope_label} · {deck.period_text} · {state}")
    return 0
