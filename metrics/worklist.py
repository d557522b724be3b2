"""The due-soon list as an officer's worklist (issue 13): one XLSX sheet per unit, soonest
first, so each one-stop desk gets its own page to work through. Engine side, beside
exports.py, whose rules it keeps: every text cell is written as text and made inert when
a spreadsheet would run it as a formula (exports.escape_formula)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pandas as pd

from metrics.exports import escape_formula
from metrics.vi_format import fmt_int

# (column, Vietnamese header, English header, kind)
COLUMNS: tuple[tuple[str, str, str, str], ...] = (
    ("dossier_code", "Mã hồ sơ", "Dossier code", "text"),
    ("procedure_name", "Tên TTHC", "Procedure", "text"),
    ("received_at", "Ngày tiếp nhận", "Received", "date"),
    ("due_at", "Ngày hẹn trả", "Due", "date"),
    ("working_days_left", "Còn lại (ngày làm việc)", "Working days left", "int"),
    ("supplement_pending", "Đang chờ bổ sung giấy tờ", "Waiting for papers", "flag"),
    ("", "Người xử lý / ghi chú", "Handled by / notes", "blank"),
)
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")


def _sheet_name(name: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\', unique ignoring case."""
    base = _SHEET_FORBIDDEN.sub(" ", name).strip()[:31] or "Đơn vị"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def due_soon_xlsx(frame: pd.DataFrame, days: int, lang: str = "vi") -> bytes:
    """compute.due_soon rows as a workbook: a sheet per unit, its title, the date the
    list is seen from, and the dossiers by due date."""
    import xlsxwriter

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
    title_fmt = wb.add_format({"bold": True, "font_size": 14})
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "bg_color": "#DDE7F0", "border": 1, "text_wrap": True, "valign": "top"})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    datetime_fmt = wb.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    vi = lang == "vi"
    taken: set[str] = set()
    if frame.empty:
        ws = wb.add_worksheet(_sheet_name("Sắp quá hạn" if vi else "Due soon", taken))
        ws.write_string(0, 0, "Không có hồ sơ sắp quá hạn." if vi else "No dossier is due soon.", bold)
    for (code, name), rows in frame.groupby(["unit_code", "unit_name"], sort=False, dropna=False):
        unit_name = str(name if isinstance(name, str) else code)
        ws = wb.add_worksheet(_sheet_name(unit_name, taken))
        heading = f"Hồ sơ sắp quá hạn — {unit_name}" if vi else f"Dossiers due soon — {unit_name}"
        ws.write_string(0, 0, str(escape_formula(heading)), title_fmt)
        as_of = ", ".join(sorted({d.strftime("%d/%m/%Y") for d in rows["as_of"] if isinstance(d, dt.date)}))
        facts = [
            ("Mã đơn vị" if vi else "Unit code", str(code)),
            ("Tính đến ngày" if vi else "As of", as_of),
            ("Hạn trong vòng" if vi else "Due within", f"{days} {'ngày làm việc' if vi else 'working days'}"),
            ("Số hồ sơ" if vi else "Dossiers", fmt_int(len(rows), lang)),
        ]
        for r, (label, value) in enumerate(facts, start=1):
            ws.write_string(r, 0, label, bold)
            ws.write_string(r, 1, str(escape_formula(value)))
        header_row = len(facts) + 2
        for c, (_col, head_vi, head_en, _kind) in enumerate(COLUMNS):
            ws.write_string(header_row, c, head_vi if vi else head_en, head)
        for r, rec in enumerate(rows.to_dict(orient="records"), start=header_row + 1):
            for c, (col, _vi, _en, kind) in enumerate(COLUMNS):
                value = rec.get(col)
                if kind == "blank" or value is None or (not isinstance(value, str) and pd.isna(value)):
                    continue
                if kind == "date":
                    ts = pd.Timestamp(value).to_pydatetime()
                    midnight = (ts.hour, ts.minute, ts.second) == (0, 0, 0)
                    ws.write_datetime(r, c, ts, date_fmt if midnight else datetime_fmt)
                elif kind == "int":
                    ws.write_number(r, c, int(value))
                elif kind == "flag":
                    ws.write_string(r, c, ("Có" if vi else "Yes") if value else "")
                else:
                    ws.write_string(r, c, str(escape_formula(str(value))))
        for c, width in enumerate((24, 50, 16, 16, 12, 14, 30)):
            ws.set_column(c, c, width)
        ws.freeze_panes(header_row + 1, 0)
    wb.close()
    return buffer.getvalue()
