"""The conference figures as an Excel workbook: one sheet per view (the summary, KPIs by
tier, by unit, by month, the late dossiers), Vietnamese headers, real numbers with
percentage formats so the secretary can re-sort and re-chart, and the period and filters
written above every table. Text is escaped against formula injection (metrics.exports).
Layout only: every figure comes from the Deck.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from metrics import vi_format as vf
from metrics.exports import APOLOGY_LABELS, KIND_LABELS, LATE_COLUMNS, escape_formula
from metrics.record import CHANNEL_LABELS_VI
from metrics.registry import TIER_CODES, tier_label
from metrics.reports import bieu06, xlsx_ahead
from metrics.reports.figures import Figure
from metrics.reports.model import NO_DOSSIERS, ON_TIME, Deck
from metrics.views import MIN_DOSSIERS_TO_RANK

EXCEL_MAX_ROWS = 1_048_576


def _text(value: object) -> str:
    return str(escape_formula("" if value is None else str(value)))


class _Book:
    def __init__(self, target: Any) -> None:
        # A file streams row by row (constant memory, for long late lists); a buffer is
        # assembled in memory, which xlsxwriter requires for file-like targets.
        streaming = isinstance(target, str)
        self.wb = xlsxwriter.Workbook(
            target, {"constant_memory": streaming, "in_memory": not streaming, "remove_timezone": True}
        )
        add = self.wb.add_format
        self.title = add({"bold": True, "font_size": 14, "font_color": "#12355B"})
        self.label = add({"bold": True})
        self.head = add(
            {
                "bold": True,
                "bg_color": "#12355B",
                "font_color": "#FFFFFF",
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
            }
        )
        self.pct = add({"num_format": "0.00%"})
        self.pp = add({"num_format": "+0.00;-0.00;0.00"})
        self.int = add({"num_format": "#,##0"})
        self.date = add({"num_format": "dd/mm/yyyy"})
        self.datetime = add({"num_format": "dd/mm/yyyy hh:mm"})
        self.month = add({"num_format": "mm/yyyy"})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.status = {
            "Đạt": add({"font_color": "#1B7F3B", "bold": True}),
            "Sát ngưỡng": add({"font_color": "#9A6700", "bold": True}),
            "Chưa đạt": add({"font_color": "#B3261E", "bold": True}),
        }

    def sheet(self, name: str, deck: Deck, title: str) -> tuple[Any, int]:
        """A sheet with its title and the period and filters above the table."""
        ws = self.wb.add_worksheet(name[:31])
        ws.write_string(0, 0, _text(title), self.title)
        lines = [
            ("Cơ quan báo cáo", deck.owner),
            ("Kỳ báo cáo", deck.period_text),
            ("Phạm vi", deck.scope_label),
            ("Cấp", tier_label(deck.tier) if deck.tier else "Tất cả các cấp"),
            ("Đơn vị", deck.scope_label if deck.unit else "Tất cả đơn vị"),
            ("Cách tính đúng hạn", _on_time_label(deck)),
            ("Dữ liệu đến ngày", vf.fmt_date(deck.data_as_of)),
            ("Lập lúc", vf.fmt_datetime(deck.generated_at)),
            ("Chỉ tiêu theo", deck.target_source),
        ]
        if deck.data_warning:
            lines.append(("Lưu ý", deck.data_warning))
        for i, (label, value) in enumerate(lines, start=1):
            ws.write_string(i, 0, label, self.label)
            ws.write_string(i, 1, _text(value))
        return ws, len(lines) + 2

    def header(self, ws: Any, row: int, names: list[str], widths: list[int]) -> None:
        for c, (name, width) in enumerate(zip(names, widths, strict=True)):
            ws.write_string(row, c, name, self.head)
            ws.set_column(c, c, width)
        ws.set_row(row, 30)
        ws.freeze_panes(row + 1, 0)

    def number(self, ws: Any, r: int, c: int, value: float | int | None, fmt: Any) -> None:
        if value is None:
            ws.write_blank(r, c, None)
        else:
            ws.write_number(r, c, value, fmt)


def _on_time_label(deck: Deck) -> str:
    k = deck.kpi(ON_TIME)
    return k.definition_note if k else deck.on_time_definition


def _figure_cells(book: _Book, ws: Any, r: int, c: int, f: Figure) -> int:
    """Tử số, Mẫu số, Tỷ lệ, Chỉ tiêu, Chênh lệch (điểm %), Đánh giá: six cells."""
    book.number(ws, r, c, f.numerator, book.int)
    book.number(ws, r, c + 1, f.denominator, book.int)
    book.number(ws, r, c + 2, f.rate, book.pct)
    book.number(ws, r, c + 3, f.target, book.pct)
    book.number(ws, r, c + 4, None if f.gap is None else round(f.gap * 100, 10), book.pp)
    ws.write_string(r, c + 5, f.status, book.status.get(f.status))
    return c + 6


FIGURE_HEADERS = ["Tử số", "Mẫu số", "Tỷ lệ", "Chỉ tiêu", "Chênh lệch (điểm %)", "Đánh giá"]
FIGURE_WIDTHS = [11, 11, 10, 10, 12, 14]


def _summary_sheet(book: _Book, deck: Deck) -> None:
    ws, row = book.sheet("Tóm tắt", deck, f"{deck.title} – {deck.scope_label}")
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 120)
    ws.write_string(row, 0, "Tóm tắt kết quả", book.label)
    if deck.empty:
        ws.write_string(row + 1, 0, NO_DOSSIERS, book.label)
        row += 1
    for i, s in enumerate(deck.summary, start=row + 1):
        ws.write_string(i, 1, _text(s), book.wrap)


def _tier_sheet(book: _Book, deck: Deck) -> None:
    ws, row = book.sheet("Chỉ số theo cấp", deck, "Các chỉ số theo cấp so với chỉ tiêu")
    prev = deck.previous_label or "kỳ trước"
    names = [
        "Chỉ số",
        "Cách tính",
        "Phạm vi",
        *FIGURE_HEADERS,
        f"Tỷ lệ {prev}",
        "Thay đổi (điểm %)",
        "Hồ sơ có đánh giá",
        "Hồ sơ đã giải quyết",
        "Tỷ lệ phản hồi",
    ]
    book.header(ws, row, names, [34, 36, 16, *FIGURE_WIDTHS, 12, 12, 12, 12, 11])
    r = row
    for k in deck.kpis:
        for tf in [k.total, *k.tiers]:
            r += 1
            ws.write_string(r, 0, _text(k.title))
            ws.write_string(r, 1, _text(k.definition_note))
            ws.write_string(r, 2, _text(tf.label if tf.tier else f"{tf.label} (tất cả các cấp)"))
            c = _figure_cells(book, ws, r, 3, tf.figure)
            if tf.tier is None and tf.figure.target is None and tf.figure.rate is not None:
                ws.write_string(r, c - 1, tf.status)
            book.number(ws, r, c, tf.previous.rate if tf.previous else None, book.pct)
            book.number(ws, r, c + 1, None if tf.change is None else round(tf.change * 100, 10), book.pp)
            f = tf.figure
            book.number(ws, r, c + 2, f.coverage_numerator, book.int)
            book.number(ws, r, c + 3, f.coverage_denominator, book.int)
            book.number(ws, r, c + 4, f.coverage, book.pct)
    ws.autofilter(row, 0, max(r, row + 1), len(names) - 1)


def _unit_sheet(book: _Book, deck: Deck) -> None:
    ws, row = book.sheet("Theo đơn vị", deck, "Các chỉ số theo đơn vị, xếp hạng trong từng cấp")
    names = [
        "Chỉ số",
        "Cấp",
        "Hạng",
        "Hạng kỳ trước",
        "Mã đơn vị",
        "Đơn vị",
        *FIGURE_HEADERS,
        "Cần thêm để đạt (hồ sơ)",
        "Ghi chú",
    ]
    book.header(ws, row, names, [30, 11, 7, 9, 18, 40, *FIGURE_WIDTHS, 13, 30])
    r = row
    for rk in deck.rankings:
        for u in rk.rows:
            r += 1
            ws.write_string(r, 0, _text(rk.metric_title))
            ws.write_string(r, 1, _text(rk.tier_label))
            book.number(ws, r, 2, u.rank, book.int)
            book.number(ws, r, 3, u.previous_rank, book.int)
            ws.write_string(r, 4, _text(u.unit_code))
            ws.write_string(r, 5, _text(u.unit_name))
            c = _figure_cells(book, ws, r, 6, u.figure)
            book.number(ws, r, c, u.figure.needed(), book.int)
            if u.small:
                ws.write_string(r, c + 1, f"Dưới {vf.fmt_int(MIN_DOSSIERS_TO_RANK)} hồ sơ: không xếp hạng")
    ws.autofilter(row, 0, max(r, row + 1), len(names) - 1)


def _month_sheet(book: _Book, deck: Deck) -> None:
    ws, row = book.sheet("Theo tháng", deck, "Các chỉ số theo tháng và cấp")
    names = ["Chỉ số", "Cấp", "Tháng", "Tử số", "Mẫu số", "Tỷ lệ", "Chỉ tiêu"]
    book.header(ws, row, names, [34, 12, 10, 11, 11, 10, 10])
    r = row
    for k in deck.kpis:
        for s in k.series:
            for i, month in enumerate(k.months):
                r += 1
                ws.write_string(r, 0, _text(k.title))
                ws.write_string(r, 1, _text(s.label))
                ws.write_datetime(r, 2, dt.datetime(int(month[:4]), int(month[5:7]), 1), book.month)
                book.number(ws, r, 3, s.numerators[i] if s.numerators else None, book.int)
                book.number(ws, r, 4, s.denominators[i] if s.denominators else None, book.int)
                book.number(ws, r, 5, s.rates[i], book.pct)
                book.number(ws, r, 6, s.targets[i], book.pct)
    ws.autofilter(row, 0, max(r, row + 1), len(names) - 1)


def _late_sheet(book: _Book, deck: Deck) -> None:
    ws, row = book.sheet("Hồ sơ trễ hạn", deck, "Danh sách hồ sơ trễ hạn")
    late = deck.late
    ws.write_string(row - 1, 0, "Số hồ sơ trễ hạn", book.label)
    ws.write_string(
        row - 1,
        1,
        f"{vf.fmt_int(late.total)} (giải quyết trễ hạn: {vf.fmt_int(late.resolved_late)}; "
        f"quá hạn đang xử lý: {vf.fmt_int(late.open_overdue)})",
    )
    row += 1
    names = [vi for _c, vi, _en, _k in LATE_COLUMNS]
    widths = [24, 20, 10, 18, 34, 11, 12, 50, 20, 16, 16, 16, 16, 16, 22]
    book.header(ws, row, names, widths[: len(names)] + [16] * (len(names) - len(widths)))
    frame = deck.late_rows
    if frame is None or len(frame) == 0:
        ws.write_string(
            row + 1,
            0,
            "Không có hồ sơ trễ hạn trong kỳ."
            if frame is not None
            else "Danh sách chi tiết không được kèm theo bản này.",
        )
        return
    keep = min(len(frame), EXCEL_MAX_ROWS - row - 2)
    cols = [c for c, _vi, _en, _k in LATE_COLUMNS]
    kinds = [k for _c, _vi, _en, k in LATE_COLUMNS]
    data = frame.iloc[:keep]
    labels = {
        "kind": {k: v[0] for k, v in KIND_LABELS.items()},
        "apology": {k: v[0] for k, v in APOLOGY_LABELS.items()},
        "tier": {code: tier_label(code) for code in TIER_CODES},
        "channel": CHANNEL_LABELS_VI,
    }
    # Whole columns are converted once (labels, escaping, Python datetimes): a year's late
    # list is tens of thousands of rows, and per-cell pandas calls would dominate.
    columns: list[list[Any]] = []
    for col, kind in zip(cols, kinds, strict=True):
        if col not in data.columns:
            columns.append([None] * keep)
        elif kind == "datetime":
            stamps = pd.to_datetime(data[col], errors="coerce")
            columns.append([None if pd.isna(v) else v.to_pydatetime() for v in stamps])
        elif kind == "int":
            columns.append([None if pd.isna(v) else int(v) for v in data[col]])
        else:
            mapping = labels.get(col, {})
            columns.append(
                [
                    None if v is None or (not isinstance(v, str) and pd.isna(v)) else _text(mapping.get(v, v))
                    for v in data[col].tolist()
                ]
            )
    write_dt, write_num, write_str = ws.write_datetime, ws.write_number, ws.write_string
    for i in range(keep):
        r = row + 1 + i
        for c, kind in enumerate(kinds):
            value = columns[c][i]
            if value is None:
                continue
            if kind == "datetime":
                midnight = value.hour == 0 and value.minute == 0 and value.second == 0
                write_dt(r, c, value, book.date if midnight else book.datetime)
            elif kind == "int":
                write_num(r, c, value, book.int)
            else:
                write_str(r, c, value)
    ws.autofilter(row, 0, row + max(keep, 1), len(cols) - 1)


def _bieu06_sheet(book: _Book, deck: Deck) -> None:
    """Biểu 06 as the form is printed: 'Đơn vị' over two heading rows, the groups merged
    over their columns, the column numbers, then the total, each tier's subtotal (bold)
    and its units; counts and rates as real numbers."""
    ws, row = book.sheet("Biểu 06", deck, bieu06.TITLE)
    ws.write_string(row - 1, 0, _text(bieu06.LEGAL_NOTE), book.wrap)
    row += 1
    ncols = 1 + len(bieu06.COUNTS) + len(bieu06.RATES)
    ws.merge_range(row, 0, row + 1, 0, bieu06.UNIT_HEADING, book.head)
    c = 1
    for name, span in bieu06.GROUPS:
        ws.merge_range(row, c, row, c + span - 1, name, book.head)
        c += span
    for c, name in enumerate(bieu06.SUBHEADINGS, start=1):
        ws.write_string(row + 1, c, name, book.head)
    for c in range(ncols):
        ws.write_string(row + 2, c, f"({c + 1})", book.head)
    ws.set_column(0, 0, 44)
    ws.set_column(1, len(bieu06.COUNTS), 11)
    ws.set_column(len(bieu06.COUNTS) + 1, ncols - 1, 11)
    ws.set_row(row + 1, 45)
    ws.freeze_panes(row + 3, 1)
    bold = book.wb.add_format({"bold": True})
    bold_int = book.wb.add_format({"bold": True, "num_format": "#,##0"})
    bold_pct = book.wb.add_format({"bold": True, "num_format": "0.00%"})
    r = row + 2
    for b in deck.bieu06:
        r += 1
        strong = b.level != "unit"
        label = b.cells()[0]
        ws.write_string(r, 0, _text(label), bold if strong else None)
        for i, value in enumerate(b.counts, start=1):
            ws.write_number(r, i, value, bold_int if strong else book.int)
        for i, rate in enumerate(b.rates, start=1 + len(b.counts)):
            book.number(ws, r, i, rate, bold_pct if strong else book.pct)
    if not deck.bieu06:
        ws.write_string(r + 1, 0, "Không có hồ sơ trong kỳ.")


def write_xlsx(deck: Deck, out: str | Path | io.BytesIO) -> None:
    target: Any = out if isinstance(out, io.BytesIO) else str(out)
    book = _Book(target)
    book.wb.set_properties(
        {
            "title": f"{deck.title} – {deck.scope_label} – {deck.period_label}",
            "author": deck.owner or "Hệ thống theo dõi chỉ số CCHC",
        }
    )
    _summary_sheet(book, deck)
    _tier_sheet(book, deck)
    _unit_sheet(book, deck)
    _month_sheet(book, deck)
    _bieu06_sheet(book, deck)
    xlsx_ahead.budget_sheet(book, deck)
    xlsx_ahead.scores_sheet(book, deck)
    _late_sheet(book, deck)
    book.wb.close()
