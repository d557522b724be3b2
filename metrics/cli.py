"""`python -m metrics`: the engine's command line. Others script against it, so its
options, JSON fields and exit codes are a contract (see README)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from metrics import compute, db, registry
from metrics.ingest import UnreadableFile, import_file
from metrics.vi_format import fmt_int, fmt_pct

EXIT_UNREADABLE = 2
BY_CHOICES = {"all": (), "tier": ("tier",), "unit": ("unit",), "month": ("month",)}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ «{text}»: dùng dạng YYYY-MM-DD") from None


def _jsonable(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.isoformat(sep=" ") if not pd.isna(value) else None
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [{k: _jsonable(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _emit(frame: pd.DataFrame, fmt: str, envelope: dict[str, object], table_columns: dict[str, object]) -> None:
    if fmt == "json":
        print(json.dumps({**envelope, "rows": _records(frame)}, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        frame.to_csv(sys.stdout, index=False)
    else:
        if frame.empty:
            print("Không có dữ liệu trong kỳ đã chọn.")
            return
        shown = pd.DataFrame({title: fn(frame) if callable(fn) else frame[fn] for title, fn in table_columns.items()})
        print(shown.fillna("—").to_string(index=False))


def cmd_ingest(args: argparse.Namespace) -> int:
    con = db.connect(args.db)
    code = 0
    for name in args.files:
        try:
            summary = import_file(con, Path(name))
            print(summary.report_vi())
        except UnreadableFile as exc:
            print(f"Lỗi: {exc.message_vi}", file=sys.stderr)
            code = EXIT_UNREADABLE
    return code


def cmd_kpis(args: argparse.Namespace) -> int:
    con = db.connect(args.db, read_only=True)
    frame = compute.kpis(
        con,
        args.date_from,
        args.date_to,
        by=BY_CHOICES[args.by],
        on_time_definition=args.on_time_definition,
        online_definition=args.online_definition,
        tier=args.tier,
        unit=args.unit,
    )
    envelope = {
        "from": args.date_from.isoformat(),
        "to": args.date_to.isoformat(),
        "by": args.by,
        "definitions": {
            "online_rate": args.online_definition,
            "on_time_rate": args.on_time_definition,
            "satisfaction_rate": "survey",
        },
    }
    _emit(
        frame,
        args.format,
        envelope,
        {
            "Chỉ số": lambda f: [
                registry.metric(k, d).short_vi for k, d in zip(f["metric"], f["definition"], strict=True)
            ],
            "Cấp": lambda f: f["tier"].map(registry.tier_label),
            "Đơn vị": "unit_name",
            "Tháng": "month",
            "Tử số": lambda f: f["numerator"].map(fmt_int),
            "Mẫu số": lambda f: f["denominator"].map(fmt_int),
            "Không rõ": lambda f: f["unknown"].map(fmt_int),
            "Tỷ lệ": lambda f: f["rate"].map(fmt_pct),
            "Chỉ tiêu": lambda f: f["target"].map(lambda t: fmt_pct(t, 0)),
            "Đạt": lambda f: f["meets_target"].map({True: "Đạt", False: "Chưa đạt"}),
        },
    )
    return 0


def cmd_late(args: argparse.Namespace) -> int:
    con = db.connect(args.db, read_only=True)
    frame = compute.late(con, args.date_from, args.date_to, tier=args.tier, unit=args.unit, limit=args.limit)
    columns = [
        "dossier_code",
        "kind",
        "days_late",
        "agency_code",
        "agency_name",
        "tier",
        "procedure_code",
        "procedure_name",
        "due_at",
        "end_at",
        "apology_issued_at",
    ]
    _emit(
        frame[columns],
        args.format,
        {"from": args.date_from.isoformat(), "to": args.date_to.isoformat()},
        {
            "Mã hồ sơ": "dossier_code",
            "Loại": lambda f: f["kind"].map({"resolved_late": "Giải quyết trễ", "open_overdue": "Quá hạn đang xử lý"}),
            "Số ngày trễ": "days_late",
            "Đơn vị": "agency_name",
            "Thủ tục": "procedure_name",
        },
    )
    return 0


def cmd_quality(args: argparse.Namespace) -> int:
    con = db.connect(args.db, read_only=True)
    frame = compute.quality(con)
    _emit(
        frame,
        args.format,
        {},
        {
            "Quy tắc": "rule",
            "Mô tả": "label_vi",
            "Số hồ sơ": lambda f: f["dossiers"].map(fmt_int),
            "Loại khỏi": "excluded_from",
        },
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from metrics import demo

    target = db.db_path(args.db)
    con = db.connect(target)
    out_dir = Path(args.out) if args.out else target.parent / "demo_exports"
    summaries = demo.build_demo(con, n_dossiers=args.dossiers, seed=args.seed, out_dir=out_dir)
    for s in summaries:
        print(s.line_vi())
    total = con.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    print(f"Cơ sở dữ liệu demo: {target} · {fmt_int(total)} hồ sơ")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from metrics import bench

    return bench.main(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m metrics", description="Chỉ số CCHC từ dữ liệu hồ sơ một cửa.")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", help="tệp DuckDB (mặc định: $CCHC_DB hoặc data/cchc.duckdb)")
        return p

    def with_period(p: argparse.ArgumentParser) -> None:
        p.add_argument("--from", dest="date_from", type=_date, required=True, help="YYYY-MM-DD")
        p.add_argument("--to", dest="date_to", type=_date, required=True, help="YYYY-MM-DD")
        p.add_argument("--format", choices=("json", "csv", "table"), default="table")

    p = with_db(sub.add_parser("ingest", help="nhập tệp xuất từ hệ thống một cửa"))
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_ingest)

    p = with_db(sub.add_parser("kpis", help="các chỉ số trong kỳ"))
    with_period(p)
    p.add_argument("--by", choices=tuple(BY_CHOICES), default="tier")
    p.add_argument("--on-time-definition", choices=("resolved", "766"), default="resolved")
    p.add_argument("--online-definition", choices=("default", "online_capable"), default="default")
    p.add_argument("--tier", choices=registry.TIER_CODES)
    p.add_argument("--unit", help="mã đơn vị")
    p.set_defaults(func=cmd_kpis)

    p = with_db(sub.add_parser("late", help="danh sách hồ sơ trễ hạn"))
    with_period(p)
    p.add_argument("--tier", choices=registry.TIER_CODES)
    p.add_argument("--unit", help="mã đơn vị")
    p.add_argument("--limit", type=int, default=None)
    p.set_defaults(func=cmd_late)

    p = with_db(sub.add_parser("quality", help="sổ chất lượng dữ liệu"))
    p.add_argument("--format", choices=("json", "csv", "table"), default="table")
    p.set_defaults(func=cmd_quality)

    p = with_db(sub.add_parser("demo", help="tạo dữ liệu demo của một tỉnh và nhập vào"))
    p.add_argument("--dossiers", type=int, default=200_000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--out", help="thư mục ghi các tệp xuất demo")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("bench", help="đo tốc độ nhập và truy vấn")
    p.add_argument("--dossiers", type=int, default=1_000_000)
    p.add_argument("--xlsx-dossiers", type=int, default=100_000)
    p.add_argument("--workdir", default=None)
    p.set_defaults(func=cmd_bench)

    try:
        from metrics.reports.cli import add_report_parser
    except ImportError:  # the reports package is optional for the engine
        pass
    else:
        add_report_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    date_from, date_to = getattr(args, "date_from", None), getattr(args, "date_to", None)
    if date_from and date_to and date_from > date_to:
        parser.error(f"--from ({date_from:%d/%m/%Y}) sau --to ({date_to:%d/%m/%Y}): hãy đổi lại thứ tự hai ngày")
    return int(args.func(args) or 0)
