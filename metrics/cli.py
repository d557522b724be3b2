"""`python -m metrics`: the engine's command line. Others script against it, so its
options, JSON fields and exit codes are a contract (see README).

Start-up is part of every scripted call: `kpis` runs on plain rows (kpi_table) and
prints them without pandas, and each other command imports what it needs (pandas,
the importer, the exports) inside its handler, so `python -m metrics kpis` loads
DuckDB and the engine's small modules only."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from metrics import argparse_vi, db, kpi_table, reference, registry
from metrics.cli_args import iso_date, with_db
from metrics.vi_format import fmt_date, fmt_int, fmt_number, fmt_pct

if TYPE_CHECKING:
    import pandas as pd

EXIT_UNREADABLE = 2
BY_CHOICES = {"all": (), "tier": ("tier",), "unit": ("unit",), "month": ("month",)}


def _working_days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"số ngày làm việc không hợp lệ «{text}»: dùng số nguyên từ 0 trở lên")
    return value


def _jsonable(value: object) -> object:
    if value is None:
        return None
    # pandas' missing values can only be here if pandas was imported (never for kpis)
    pd = sys.modules.get("pandas")
    if pd is not None and (value is pd.NA or value is pd.NaT):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.datetime):  # pandas.Timestamp too (NaT was handled above)
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def cmd_ingest(args: argparse.Namespace) -> int:
    from metrics.ingest import UnreadableFile, import_file

    con = db.connect(args.db, wait=args.wait)
    code = 0
    for name in args.files:
        try:
            summary = import_file(con, Path(name))
            print(summary.report_vi())
        except UnreadableFile as exc:
            print(f"Lỗi: {exc.message_vi}", file=sys.stderr)
            code = EXIT_UNREADABLE
    return code


Row = dict[str, Any]
# a table column: the row's value under that key, or a function of the row
TableColumn = str | Callable[[Row], object]


def _emit(
    columns: Sequence[str],
    rows: list[Row],
    fmt: str,
    envelope: dict[str, object],
    table_columns: dict[str, TableColumn],
) -> None:
    """One command's rows (dicts with the keys `columns`) as JSON (the envelope and the
    rows), CSV (text cells made inert) or a right-aligned table for a person (missing
    cells "—", one space between columns)."""
    from metrics.formula_safe import escape_formula

    if fmt == "json":
        records = [{c: _jsonable(r[c]) for c in columns} for r in rows]
        print(json.dumps({**envelope, "rows": records}, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        # pandas' rule, kept for the contract: a column of whole numbers with a gap is
        # written as decimals ("14.0"), as DataFrame.to_csv wrote it
        gapped = {
            c for c in columns if any(r[c] is None for r in rows) and all(r[c] is None or _whole(r[c]) for r in rows)
        }
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(columns)
        out.writerows(
            [float(r[c]) if c in gapped and r[c] is not None else escape_formula(r[c]) for c in columns] for r in rows
        )
    else:
        if not rows:
            print("Không có dữ liệu trong kỳ đã chọn.")
            return
        values = [[r[fn] if isinstance(fn, str) else fn(r) for r in rows] for fn in table_columns.values()]
        cells = [[title] + [_cell(v) for v in col] for title, col in zip(table_columns, values, strict=True)]
        # pandas' layout, kept: a column of whole numbers is one space wider
        widths = [max(map(len, col)) + all(_whole(v) for v in vals) for col, vals in zip(cells, values, strict=True)]
        for line in zip(*cells, strict=True):
            print(" ".join(v.rjust(w) for v, w in zip(line, widths, strict=True)))


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _cell(value: object) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _emit_frame(
    frame: pd.DataFrame, fmt: str, envelope: dict[str, object], table_columns: dict[str, TableColumn]
) -> None:
    """_emit for a DataFrame command. Its CSV stays pandas' own: how pandas writes a
    column of its dtypes (timestamps, decimals, a column of whole numbers with a gap) is
    part of the contract scripts read."""
    if fmt == "csv":
        from metrics import exports

        # the web downloads' rule: a cell that a spreadsheet would run as a formula is made inert
        exports.escape_frame(frame).to_csv(sys.stdout, index=False)
    else:
        _emit(list(frame.columns), frame.to_dict(orient="records"), fmt, envelope, table_columns)


def cmd_kpis(args: argparse.Namespace) -> int:
    con = db.connect(args.db, read_only=True, wait=args.wait)
    rows = kpi_table.kpi_rows(
        con,
        args.date_from,
        args.date_to,
        by=BY_CHOICES[args.by],
        on_time_definition=args.on_time_definition,
        online_definition=args.online_definition,
        tier=args.tier,
        unit=args.unit,
        units=args.units,
    )
    envelope = {
        "from": args.date_from.isoformat(),
        "to": args.date_to.isoformat(),
        "by": args.by,
        "units": args.units,
        "definitions": {
            "online_rate": args.online_definition,
            "on_time_rate": args.on_time_definition,
            "satisfaction_rate": registry.DEFAULT_DEFINITION["satisfaction_rate"],
        },
    }
    met = {True: "Đạt", False: "Chưa đạt"}
    _emit(
        kpi_table.KPI_COLUMNS,
        rows,
        args.format,
        envelope,
        {
            "Chỉ số": lambda r: registry.metric(r["metric"], r["definition"]).short_vi,
            "Cấp": lambda r: registry.tier_label(r["tier"]),
            "Đơn vị": "unit_name",
            "Tháng": "month",
            "Tử số": lambda r: fmt_int(r["numerator"]),
            "Mẫu số": lambda r: fmt_int(r["denominator"]),
            "Không rõ": lambda r: fmt_int(r["unknown"]),
            "Tỷ lệ": lambda r: fmt_pct(r["rate"]),
            "Chỉ tiêu": lambda r: fmt_pct(r["target"], 0),
            "Đạt": lambda r: "Lịch sử" if r["history"] else met.get(r["meets_target"], ""),
        },
    )
    return 0


def cmd_late(args: argparse.Namespace) -> int:
    from metrics import compute, exports

    con = db.connect(args.db, read_only=True, wait=args.wait)
    frame = compute.late(
        con,
        args.date_from,
        args.date_to,
        tier=args.tier,
        unit=args.unit,
        units=args.units,
        definition=args.on_time_definition,
        limit=args.limit,
    )
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
    _emit_frame(
        frame[columns],
        args.format,
        {"from": args.date_from.isoformat(), "to": args.date_to.isoformat()},
        {
            "Mã hồ sơ": "dossier_code",
            "Loại": lambda r: exports.KIND_LABELS[r["kind"]][0],
            "Số ngày trễ": "days_late",
            "Đơn vị": "agency_name",
            "Thủ tục": "procedure_name",
        },
    )
    return 0


def cmd_quality(args: argparse.Namespace) -> int:
    from metrics import compute

    con = db.connect(args.db, read_only=True, wait=args.wait)
    frame = compute.quality(con)
    _emit_frame(
        frame,
        args.format,
        {},
        {
            "Quy tắc": "rule",
            "Mô tả": "label_vi",
            "Số hồ sơ": lambda r: fmt_int(r["dossiers"]),
            "Loại khỏi": "excluded_from",
        },
    )
    return 0


def cmd_freshness(args: argparse.Namespace) -> int:
    from metrics import compute

    con = db.connect(args.db, read_only=True, wait=args.wait)
    frame = compute.freshness(con)
    as_of = frame["as_of"].dropna()
    envelope = {"as_of": as_of.iloc[0].isoformat() if not as_of.empty else None}
    states = {"current": "Cập nhật", "behind": "Chậm", "no_data": "Chưa có dữ liệu"}
    _emit_frame(
        frame.drop(columns=["as_of"]),
        args.format,
        envelope,
        {
            "Mã đơn vị": "unit_code",
            "Đơn vị": "unit_name",
            "Cấp": lambda r: registry.tier_label(r["tier"]),
            "Dữ liệu đến ngày": lambda r: fmt_date(r["data_date"]),
            "Hết hiệu lực": lambda r: fmt_date(r["valid_to"]),
            "Số hồ sơ": lambda r: fmt_int(r["dossiers"]),
            "Tình trạng": lambda r: states.get(r["state"]),
        },
    )
    return 0


def cmd_due_soon(args: argparse.Namespace) -> int:
    from metrics import compute

    con = db.connect(args.db, read_only=True, wait=args.wait)
    frame = compute.due_soon(con, as_of=args.as_of, days=args.days, tier=args.tier, unit=args.unit, units=args.units)
    columns = [
        "dossier_code",
        "unit_code",
        "unit_name",
        "procedure_code",
        "procedure_name",
        "received_at",
        "due_at",
        "as_of",
        "working_days_left",
        "supplement_pending",
    ]
    envelope = {"as_of": args.as_of.isoformat() if args.as_of else "data_date", "days": args.days}
    if frame.empty and args.format == "table":
        print(f"Không có hồ sơ nào sắp quá hạn (trong vòng {args.days} ngày làm việc).")
        return 0
    _emit_frame(
        frame[columns],
        args.format,
        envelope,
        {
            "Mã hồ sơ": "dossier_code",
            "Đơn vị": "unit_name",
            "Thủ tục": "procedure_name",
            "Hẹn trả": lambda r: fmt_date(r["due_at"]),
            "Còn (ngày làm việc)": "working_days_left",
            "Chờ bổ sung": lambda r: "Có" if r["supplement_pending"] else "",
        },
    )
    return 0


BUDGET_STATUS_VI = {
    "on_track": "Đang đạt",
    "below": "Dưới chỉ tiêu, còn gỡ được",
    "failed": "Không còn đạt được trong kỳ",
    "no_data": "Chưa có dữ liệu",
    "no_target": "Không có chỉ tiêu",
}


def cmd_budget(args: argparse.Namespace) -> int:
    from metrics import compute

    con = db.connect(args.db, read_only=True, wait=args.wait)
    frame = compute.budget(
        con,
        args.date_from,
        args.date_to,
        as_of=args.as_of,
        on_time_definition=args.on_time_definition,
        by=BY_CHOICES[args.by],
        tier=args.tier,
        unit=args.unit,
        units=args.units,
    )
    envelope = {
        "from": args.date_from.isoformat(),
        "to": args.date_to.isoformat(),
        "as_of": frame["as_of"].iloc[0].isoformat() if not frame.empty else None,
        "by": args.by,
        "on_time_definition": args.on_time_definition,
    }
    _emit_frame(
        frame,
        args.format,
        envelope,
        {
            "Cấp": lambda r: registry.tier_label(r["tier"]),
            "Đơn vị": "unit_name",
            "Đúng hạn": lambda r: fmt_int(r["on_time"]),
            "Đã giải quyết": lambda r: fmt_int(r["resolved"]),
            "Dự kiến còn": lambda r: fmt_int(r["expected_remaining"]),
            "Được trễ thêm": lambda r: fmt_int(r["late_budget"]),
            "Cần đúng hạn": lambda r: fmt_int(r["needed_on_time"]),
            "Tình trạng": lambda r: BUDGET_STATUS_VI.get(r["status"]),
        },
    )
    return 0


def cmd_score766(args: argparse.Namespace) -> int:
    from metrics import compute, forecast

    con = db.connect(args.db, read_only=True, wait=args.wait)
    frame = compute.score766(
        con, args.date_from, args.date_to, by=BY_CHOICES[args.by], tier=args.tier, unit=args.unit, units=args.units
    )
    envelope = {
        "from": args.date_from.isoformat(),
        "to": args.date_to.isoformat(),
        "by": args.by,
        "label": forecast.ESTIMATE_LABEL_VI,
        "online_points_note": forecast.ONLINE_WEIGHTS_NOTE_VI,
    }

    def points(col: str) -> Callable[[Row], str]:
        return lambda r: fmt_number(r[col], 2)

    _emit_frame(
        frame,
        args.format,
        envelope,
        {
            "Cấp": lambda r: registry.tier_label(r["tier"]),
            "Đơn vị": "unit_name",
            "Tiến độ (/20)": points("tien_do_points"),
            "Trực tuyến (/6)": points("online_points"),
            "Hài lòng 5.4": lambda r: fmt_pct(r["satisfaction_54_rate"]),
            "Điểm ước tính": points("points"),
            "Trên tổng": points("points_covered"),
            "Chưa tính": points("points_left_out"),
        },
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from metrics import demo

    target = db.db_path(args.db)
    con = db.connect(target, wait=args.wait)
    out_dir = Path(args.out) if args.out else target.parent / "demo_exports"
    summaries = demo.build_demo(con, out_dir, n_dossiers=args.dossiers, seed=args.seed, today=args.today)
    for s in summaries:
        print(s.line_vi())
    total = con.execute("SELECT count(*) FROM dossiers").fetchone()
    assert total is not None  # count(*) always returns a row
    print(f"Cơ sở dữ liệu demo: {target} · {fmt_int(total[0])} hồ sơ")
    return 0


def _default_definition(metric_key: str) -> str:
    return registry.metric(metric_key).definition


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every sub-command. `command`: the one asked for, if known; the
    report sub-command (whose import loads the deck builder and pandas, ~0.3 s) is
    left out when another engine sub-command was asked for."""
    parser = argparse.ArgumentParser(prog="python -m metrics", description="Chỉ số CCHC từ dữ liệu hồ sơ một cửa.")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_units(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--units",
            choices=registry.UNIT_VIEW_CODES,
            default=registry.UNITS_AS_WAS,
            help="as_was: đơn vị như thời điểm đó; successor: quy về đơn vị hiện nay",
        )

    def with_period(p: argparse.ArgumentParser) -> None:
        p.add_argument("--from", dest="date_from", type=iso_date, required=True, help="YYYY-MM-DD")
        p.add_argument("--to", dest="date_to", type=iso_date, required=True, help="YYYY-MM-DD")
        p.add_argument("--format", choices=("json", "csv", "table"), default="table")

    p = with_db(sub.add_parser("ingest", help="nhập tệp xuất từ hệ thống một cửa"))
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_ingest)

    p = with_db(sub.add_parser("kpis", help="các chỉ số trong kỳ"))
    with_period(p)
    p.add_argument("--by", choices=tuple(BY_CHOICES), default="tier")
    p.add_argument(
        "--on-time-definition",
        choices=registry.DEFINITIONS["on_time_rate"],
        default=_default_definition("on_time_rate"),
    )
    p.add_argument(
        "--online-definition", choices=registry.DEFINITIONS["online_rate"], default=_default_definition("online_rate")
    )
    p.add_argument("--tier", choices=registry.TIER_CODES)
    p.add_argument("--unit", help="mã đơn vị")
    with_units(p)
    p.set_defaults(func=cmd_kpis)

    p = with_db(sub.add_parser("late", help="danh sách hồ sơ trễ hạn"))
    with_period(p)
    p.add_argument("--tier", choices=registry.TIER_CODES)
    p.add_argument("--unit", help="mã đơn vị")
    p.add_argument("--limit", type=int, default=None)
    p.add_argument(
        "--on-time-definition",
        choices=registry.DEFINITIONS["on_time_rate"],
        default=_default_definition("on_time_rate"),
        help="766: hồ sơ không đúng hạn theo Bộ chỉ số 766 (gồm hồ sơ tồn, đang xử lý, bổ sung quá một lần)",
    )
    with_units(p)
    p.set_defaults(func=cmd_late)

    p = with_db(sub.add_parser("freshness", help="dữ liệu của từng đơn vị cập nhật đến ngày nào"))
    p.add_argument("--format", choices=("json", "csv", "table"), default="table")
    p.set_defaults(func=cmd_freshness)

    p = with_db(sub.add_parser("quality", help="sổ chất lượng dữ liệu"))
    p.add_argument("--format", choices=("json", "csv", "table"), default="table")
    p.set_defaults(func=cmd_quality)

    p = with_db(sub.add_parser("due-soon", help="hồ sơ sắp quá hạn (trong N ngày làm việc)"))
    p.add_argument("--as-of", dest="as_of", type=iso_date, help="YYYY-MM-DD (mặc định: ngày dữ liệu của từng đơn vị)")
    p.add_argument("--days", type=_working_days, default=registry.DUE_SOON_DAYS, help="số ngày làm việc còn lại tối đa")
    p.add_argument("--tier", choices=registry.TIER_CODES)
    p.add_argument("--unit", help="mã đơn vị")
    p.add_argument("--format", choices=("json", "csv", "table"), default="table")
    with_units(p)
    p.set_defaults(func=cmd_due_soon)

    p = with_db(sub.add_parser("budget", help="số hồ sơ còn được phép trễ để giữ chỉ tiêu đúng hạn"))
    with_period(p)
    p.add_argument("--as-of", dest="as_of", type=iso_date, help="YYYY-MM-DD (mặc định: ngày dữ liệu mới nhất)")
    p.add_argument(
        "--on-time-definition",
        choices=registry.DEFINITIONS["on_time_rate"],
        default=_default_definition("on_time_rate"),
    )
    p.add_argument("--by", choices=("unit", "tier", "all"), default="unit")
    p.add_argument("--tier", choices=registry.TIER_CODES)
    p.add_argument("--unit", help="mã đơn vị")
    with_units(p)
    p.set_defaults(func=cmd_budget)

    p = with_db(sub.add_parser("score766", help="điểm Bộ chỉ số 766 ước tính từ hồ sơ"))
    with_period(p)
    p.add_argument("--by", choices=("unit", "tier", "all"), default="unit")
    p.add_argument("--tier", choices=registry.TIER_CODES)
    p.add_argument("--unit", help="mã đơn vị")
    with_units(p)
    p.set_defaults(func=cmd_score766)

    p = with_db(sub.add_parser("demo", help="tạo dữ liệu demo của một tỉnh và nhập vào"))
    p.add_argument("--dossiers", type=int, default=200_000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--out", help="thư mục ghi các tệp xuất demo")
    p.add_argument(
        "--today",
        type=iso_date,
        default=None,
        help="YYYY-MM-DD: demo gồm 24 tháng trọn trước ngày này (mặc định: hôm nay)",
    )
    p.set_defaults(func=cmd_demo)

    if command in sub.choices and command != "report":
        return parser
    try:
        from metrics.reports.cli import add_report_parser
    except ImportError:  # the reports package is optional for the engine
        pass
    else:
        add_report_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    with argparse_vi.vietnamese():
        parser = build_parser(argv[0] if argv else None)
        args = parser.parse_args(argv)
        date_from, date_to = getattr(args, "date_from", None), getattr(args, "date_to", None)
        if date_from and date_to and date_from > date_to:
            build_parser().error(
                f"--from ({date_from:%d/%m/%Y}) sau --to ({date_to:%d/%m/%Y}): hãy đổi lại thứ tự hai ngày"
            )
    try:
        return int(args.func(args) or 0)
    except reference.ReferenceDataError as exc:
        print(f"Lỗi danh mục: {exc.message_vi}. Dữ liệu danh mục trước đó vẫn được giữ.", file=sys.stderr)
        return EXIT_UNREADABLE
    except db.DatabaseBusy as exc:
        print(f"Lỗi: {exc.message_vi}", file=sys.stderr)
        return EXIT_UNREADABLE
