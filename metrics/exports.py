"""The late-dossier list as files people open in Excel: CSV (UTF-8 with a BOM, so Excel
reads the accents) and XLSX (Vietnamese headers, real dates, a frozen header, the filters
written above the table). Engine side, so the dashboard, the CLI and the reports write
the same file.

Every CSV text cell that begins with `=`, `+`, `-`, `@` (or a tab / carriage return) is
prefixed with an apostrophe: a dossier field typed as `=HYPERLINK(...)` by a citizen must
not run as a formula on an official's machine (CSV/formula injection). In XLSX every text
is written as a text cell (never a formula), and such a cell gets Excel's own hidden
quote prefix, so it stays text when edited and the reader sees no apostrophe.

Both writers take the reader's scope: rows of units outside it are dropped (the engine's
SQL already filtered them; a frame from elsewhere must not leak either).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Sequence

import pandas as pd

from metrics import registry
from metrics.formula_safe import escape_formula, is_formula_like
from metrics.record import CHANNEL_LABELS_VI
from metrics.scope import Scope

EXCEL_MAX_ROWS = 1_048_576

# (column, Vietnamese header, English header, kind)
LATE_COLUMNS: tuple[tuple[str, str, str, str], ...] = (
    ("dossier_code", "Mã hồ sơ", "Dossier code", "text"),
    ("kind", "Loại trễ hạn", "Kind", "text"),
    ("days_late", "Số ngày trễ", "Days late", "int"),
    ("agency_code", "Mã đơn vị", "Unit code", "text"),
    ("agency_name", "Cơ quan giải quyết", "Unit", "text"),
    ("tier", "Cấp", "Tier", "text"),
    ("procedure_code", "Mã TTHC", "Procedure code", "text"),
    ("procedure_name", "Tên TTHC", "Procedure", "text"),
    ("field_name", "Lĩnh vực", "Field", "text"),
    ("channel", "Kênh thực hiện", "Channel", "text"),
    ("received_at", "Ngày tiếp nhận", "Received", "datetime"),
    ("due_at", "Ngày hẹn trả", "Due", "datetime"),
    ("end_at", "Ngày kết thúc xử lý", "Ended", "datetime"),
    ("apology_issued_at", "Ngày xin lỗi", "Apology date", "datetime"),
    ("apology", "Thư xin lỗi", "Apology letter", "text"),
)

KIND_LABELS = {
    "resolved_late": ("Đã giải quyết quá hạn", "Resolved late"),
    "open_overdue": ("Đang xử lý quá hạn", "Open and overdue"),
    "supplements": ("Yêu cầu bổ sung quá một lần (766)", "More than one supplement request (766)"),
}
APOLOGY_LABELS = {
    "none": ("Chưa có", "None"),
    "before_due": ("Đã xin lỗi trước hạn", "Issued before the due date"),
    "after_due": ("Đã xin lỗi sau hạn", "Issued after the due date"),
}
CHANNEL_LABELS_EN = {"online": "Online", "direct": "In person", "postal": "Postal"}


def escape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell of a frame made inert for CSV (the CLI's `--format csv`)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].astype(object).map(escape_formula)
    return out


def in_scope(frame: pd.DataFrame, scope: Scope | None) -> pd.DataFrame:
    """Only the rows of the scope's units (all rows for the whole province)."""
    if scope is None or scope.units is None or "agency_code" not in frame.columns:
        return frame
    return frame[frame["agency_code"].isin(scope.units)]


def _labelled(frame: pd.DataFrame, lang: str, escape: bool = True) -> pd.DataFrame:
    """The late frame with codes turned into the words people read; text escaped for CSV."""
    i = 0 if lang == "vi" else 1
    out = pd.DataFrame(index=frame.index)
    channels = CHANNEL_LABELS_VI if lang == "vi" else CHANNEL_LABELS_EN
    for col, _vi, _en, kind in LATE_COLUMNS:
        if col not in frame.columns:
            out[col] = None
            continue
        series = frame[col]
        if col == "kind":
            series = series.map(lambda v: KIND_LABELS.get(v, (v, v))[i])
        elif col == "apology":
            series = series.map(lambda v: APOLOGY_LABELS.get(v, (v, v))[i])
        elif col == "tier":
            series = series.map(lambda v: registry.tier_label(v, lang) if v in registry.TIER_CODES else v)
        elif col == "channel":
            series = series.map(lambda v: channels.get(v, v))
        if kind == "datetime":
            series = pd.to_datetime(series, errors="coerce")
        elif kind == "text" and escape:
            series = series.astype(object).map(escape_formula)
        out[col] = series
    return out


def headers(lang: str = "vi") -> list[str]:
    return [vi if lang == "vi" else en for _c, vi, en, _k in LATE_COLUMNS]


def late_csv(frame: pd.DataFrame, lang: str = "vi", sep: str = ",", scope: Scope | None = None) -> bytes:
    """CSV with a UTF-8 BOM; dates as dd/mm/yyyy (hh:mm when there is a time)."""
    out = _labelled(in_scope(frame, scope), lang)
    for col, _vi, _en, kind in LATE_COLUMNS:
        if kind == "datetime":
            out[col] = out[col].map(_csv_datetime)
        elif kind == "int":
            out[col] = out[col].map(lambda v: "" if pd.isna(v) else str(int(v)))
    out.columns = headers(lang)
    return out.to_csv(index=False, sep=sep, lineterminator="\r\n").encode("utf-8-sig")


def _csv_datetime(value: object) -> str:
    if value is None or pd.isna(value):
        return ""
    ts = pd.Timestamp(value)
    if ts.hour == 0 and ts.minute == 0 and ts.second == 0:
        return ts.strftime("%d/%m/%Y")
    return ts.strftime("%d/%m/%Y %H:%M")


def late_xlsx(
    frame: pd.DataFrame,
    filters: Sequence[tuple[str, str]] = (),
    title: str | None = None,
    lang: str = "vi",
    sheet_name: str | None = None,
    scope: Scope | None = None,
) -> bytes:
    """An .xlsx workbook: title, the filters as 'label | value' rows (the scope's label
    first when limited), then the table with a frozen, filterable header row; dates are
    Excel dates shown dd/mm/yyyy."""
    import xlsxwriter

    title = title or ("Danh sách hồ sơ trễ hạn" if lang == "vi" else "Late dossiers")
    sheet_name = sheet_name or ("Hồ sơ trễ hạn" if lang == "vi" else "Late dossiers")
    out = _labelled(in_scope(frame, scope), lang, escape=False)
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        # constant_memory streams rows to disk: a 500k-row list stays out of RAM
        wb = xlsxwriter.Workbook(path, {"constant_memory": True, "remove_timezone": True})
        ws = wb.add_worksheet(sheet_name[:31])
        bold = wb.add_format({"bold": True})
        title_fmt = wb.add_format({"bold": True, "font_size": 14})
        head = wb.add_format({"bold": True, "bg_color": "#DDE7F0", "border": 1, "text_wrap": True, "valign": "top"})
        date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
        datetime_fmt = wb.add_format({"num_format": "dd/mm/yyyy hh:mm"})
        # Excel's hidden apostrophe: the cell stays text even when edited, and shows none
        quoted = wb.add_format({"quote_prefix": True})
        quoted_bold = wb.add_format({"quote_prefix": True, "bold": True})
        row = 0
        ws.write_string(row, 0, title, title_fmt)
        row += 1
        stamp = dt.datetime.now().strftime("%d/%m/%Y %H:%M")
        lines = [
            *([(scope.label, "")] if scope is not None and scope.units is not None else []),
            *list(filters),
            ("Số hồ sơ" if lang == "vi" else "Dossiers", _int_text(len(out), lang)),
            ("Xuất lúc" if lang == "vi" else "Exported", stamp),
        ]
        for label, value in lines:
            ws.write_string(row, 0, str(label), quoted_bold if is_formula_like(str(label)) else bold)
            if str(value):
                ws.write_string(row, 1, str(value), quoted if is_formula_like(str(value)) else None)
            row += 1
        truncated = len(out) > EXCEL_MAX_ROWS - row - 2
        if truncated:
            keep = EXCEL_MAX_ROWS - row - 3
            note = (
                f"Chỉ ghi {_int_text(keep, lang)} dòng đầu (giới hạn của Excel); tải CSV để có đủ."
                if lang == "vi"
                else f"Only the first {keep:,} rows fit in Excel; download the CSV for all."
            )
            ws.write_string(row, 0, note, bold)
            row += 1
            out = out.iloc[:keep]
        row += 1
        header_row = row
        widths = []
        for c, name in enumerate(headers(lang)):
            ws.write_string(header_row, c, name, head)
            widths.append(max(10, min(60, len(name) + 2)))
        kinds = [k for _c, _vi, _en, k in LATE_COLUMNS]
        cols = [c for c, _vi, _en, _k in LATE_COLUMNS]
        for r, values in enumerate(out[cols].itertuples(index=False, name=None), start=header_row + 1):
            for c, (value, kind) in enumerate(zip(values, kinds, strict=True)):
                if value is None or (not isinstance(value, str) and pd.isna(value)):
                    continue
                if kind == "datetime":
                    ts = pd.Timestamp(value).to_pydatetime()
                    fmt = date_fmt if (ts.hour, ts.minute, ts.second) == (0, 0, 0) else datetime_fmt
                    ws.write_datetime(r, c, ts, fmt)
                elif kind == "int":
                    ws.write_number(r, c, int(value))
                else:
                    text = str(value)
                    ws.write_string(r, c, text, quoted if is_formula_like(text) else None)
                    if r < header_row + 200:
                        widths[c] = max(widths[c], min(60, len(text) + 2))
        for c, width in enumerate(widths):
            if kinds[c] == "datetime":
                width = max(width, 16)
            ws.set_column(c, c, width)
        ws.freeze_panes(header_row + 1, 0)
        ws.autofilter(header_row, 0, header_row + max(len(out), 1), len(cols) - 1)
        wb.close()
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.unlink(path)


def _int_text(value: int, lang: str) -> str:
    from metrics.vi_format import fmt_int

    return fmt_int(value, lang)
