"""The demo province's monthly exports, written as real provinces receive them.

`write_exports` splits the dossiers by month and export system (vendor_shapes) and
writes report-shaped Excel, UTF-8 and Windows-1258 CSV and national-sync JSON, with
overlapping months and duplicate rows. Across the reform, a dossier an abolished unit
had not finished appears twice: still open in its own month's file under the unit that
received it, and finished in a later file under the successor's code (same dossier
code). The importer keeps the later state.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import xlsxwriter

from metrics.demo import vendor_shapes as vs
from metrics.demo.catalogue import PROVINCE_VI, REFORM_DAY, load_units


def select_sql(columns: Sequence[tuple[str, str]], fmt: dict[str, str] | None = None) -> str:
    parts = []
    for header, expr in columns:
        if fmt is not None:
            expr = expr.format(**fmt)
        parts.append(f'{expr} AS "{header}"')
    return "SELECT " + ", ".join(parts) + " FROM frame"


def copy(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, select: str, target: Path, options: str) -> None:
    """Write a projection of `frame` with DuckDB's COPY (fast, quotes only when needed)."""
    con.register("frame", frame)
    try:
        # Paths are ours (out_dir), but a quote in a directory name must not break the COPY.
        con.execute(f"COPY ({select}) TO '{str(target).replace(chr(39), chr(39) * 2)}' ({options})")
    finally:
        con.unregister("frame")


def _vi_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def write_report_xlsx(
    path: Path,
    con: duckdb.DuckDBPyConnection,
    frame: pd.DataFrame,
    period: tuple[date, date],
    excel_dates: bool,
    unit_title: str = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
) -> None:
    """A printed-report workbook: titles, merged cells, header, column numbers, data,
    a total row and a signature block."""
    date_cols = ("received_at", "due_at", "resolved_at", "returned_at", "apology_issued_at")
    if excel_dates:
        fmt = {c: vs.XLSX_SERIAL.format(col=c) for c in date_cols}
    else:
        fmt = {
            c: (vs.XLSX_SHORT_DATE if c in ("due_at", "apology_issued_at") else vs.XLSX_TEXT_DATE).format(col=c)
            for c in date_cols
        }
    con.register("frame", frame)
    try:
        rows = con.execute(select_sql(vs.XLSX_COLUMNS, fmt)).fetchall()
    finally:
        con.unregister("frame")
    headers = [h for h, _ in vs.XLSX_COLUMNS]
    last_col = len(headers) - 1
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    ws = wb.add_worksheet("Sổ theo dõi")
    bold_center = wb.add_format({"bold": True, "align": "center", "valign": "vcenter"})
    title = wb.add_format({"bold": True, "align": "center", "font_size": 14})
    italic_center = wb.add_format({"italic": True, "align": "center"})
    header_fmt = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1})
    number_fmt = wb.add_format({"italic": True, "align": "center", "border": 1})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy hh:mm:ss"})
    day_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 28)
    ws.set_column(3, 3, 60)
    for i, (_h, expr) in enumerate(vs.XLSX_COLUMNS):
        if excel_dates and expr.startswith("{"):
            col_fmt = day_fmt if expr in ("{due_at}", "{apology_issued_at}") else date_fmt
            ws.set_column(i, i, 20, col_fmt)
    ws.merge_range(0, 0, 0, 5, f"ỦY BAN NHÂN DÂN TỈNH {PROVINCE_VI.upper()}", bold_center)
    ws.merge_range(0, 12, 0, last_col, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold_center)
    ws.merge_range(1, 0, 1, 5, unit_title, bold_center)
    ws.merge_range(1, 12, 1, last_col, "Độc lập - Tự do - Hạnh phúc", bold_center)
    ws.merge_range(3, 0, 3, last_col, "SỔ THEO DÕI HỒ SƠ", title)
    ws.merge_range(4, 0, 4, last_col, f"Từ ngày {period[0]:%d/%m/%Y} đến ngày {period[1]:%d/%m/%Y}", italic_center)
    ws.write_row(6, 0, headers, header_fmt)
    ws.write_row(7, 0, [f"({i + 1})" for i in range(len(headers))], number_fmt)
    r = 8
    for row in rows:
        ws.write_row(r, 0, row)
        r += 1
    ws.merge_range(r, 0, r, 5, f"Tổng cộng: {_vi_int(len(rows))} hồ sơ", wb.add_format({"bold": True}))
    signed = period[1] + pd.Timedelta(days=5)
    ws.merge_range(
        r + 2,
        last_col - 4,
        r + 2,
        last_col,
        f"{PROVINCE_VI}, ngày {signed:%d} tháng {signed:%m} năm {signed:%Y}",
        italic_center,
    )
    ws.merge_range(r + 3, 0, r + 3, 3, "Người lập biểu", bold_center)
    ws.merge_range(r + 3, last_col - 4, r + 3, last_col, "Thủ trưởng đơn vị", bold_center)
    ws.merge_range(r + 4, 0, r + 4, 3, "(Ký, ghi rõ họ tên)", italic_center)
    ws.merge_range(r + 4, last_col - 4, r + 4, last_col, "(Ký, ghi rõ họ tên, đóng dấu)", italic_center)
    ws.merge_range(r + 8, 0, r + 8, 3, "Nguyễn Thị Hoa", bold_center)
    ws.merge_range(r + 8, last_col - 4, r + 8, last_col, "Trần Văn Hùng", bold_center)
    wb.close()


def _write_csv(
    path: Path,
    con: duckdb.DuckDBPyConnection,
    frame: pd.DataFrame,
    columns: Sequence[tuple[str, str]],
    delimiter: str,
    encoding: str,
    nfd: bool = False,
    extra_lines: Sequence[str] = (),
) -> None:
    """CSV through DuckDB, then re-encoded: UTF-8 with BOM (optionally NFD text, as
    some Mac-built systems write), or Windows-1258."""
    fd, tmp_name = tempfile.mkstemp(suffix=".csv", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        copy(con, frame, select_sql(columns), tmp, f"HEADER, DELIMITER '{delimiter}'")
        text = tmp.read_text(encoding="utf-8")
    finally:
        tmp.unlink(missing_ok=True)
    if extra_lines:
        text = text + "".join(line + "\n" for line in extra_lines)
    if nfd:
        text = unicodedata.normalize("NFD", text)
    if encoding == "cp1258":
        data = vs.encode_cp1258(text)
    else:
        data = b"\xef\xbb\xbf" + text.encode("utf-8")
    path.write_bytes(data)


# Rows the importer must quarantine, per CSV vendor: (columns, delimiter, the date
# header to break, an impossible date in that vendor's format).
_BROKEN = {
    "csv_utf8": (vs.DISTRICT_COLUMNS, ";", "Ngày tiếp nhận", "31/02/{year} 08:15:00"),
    "csv_cp1258": (vs.COMMUNE_CSV_COLUMNS, ",", "Ngày nhận", "31/02/{year} 08:15"),
}


def _broken_lines(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, vendor: str, year: int) -> list[str]:
    """Two rows the importer must quarantine (a receipt on 31 February), built from
    real rows with new dossier codes so no good dossier is lost."""
    columns, delimiter, date_header, bad_date = _BROKEN[vendor]
    sample = frame.iloc[:2].copy()
    stems = sample["dossier_code"].astype(str).str.replace(r"-\d+$", "", regex=True)
    sample["dossier_code"] = stems + pd.Series(["-9901", "-9902"][: len(sample)], index=sample.index)
    con.register("frame", sample)
    try:
        rows = con.execute(select_sql(columns)).fetchall()
    finally:
        con.unregister("frame")
    headers = [h for h, _ in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    for row in rows:
        values = ["" if v is None else str(v) for v in row]
        values[headers.index(date_header)] = bad_date.format(year=year)
        writer.writerow(values)
    return buffer.getvalue().splitlines()


def _base_day(df: pd.DataFrame) -> np.ndarray:
    """The day a dossier belongs to: received, or for status 1 the date in its code."""
    received = df["received_at"].to_numpy().astype("datetime64[D]")
    missing = np.isnat(received)
    if missing.any():
        text = df.loc[missing, "dossier_code"].astype(str).str.extract(r"-(\d{6})-\d+$")[0]
        parsed = pd.to_datetime(text, format="%y%m%d").to_numpy().astype("datetime64[D]")
        received = received.copy()
        received[missing] = parsed
    return received


def _end_day(df: pd.DataFrame) -> np.ndarray:
    resolved = df["resolved_at"].to_numpy()
    returned = df["returned_at"].to_numpy()
    return np.where(np.isnat(resolved), returned, resolved).astype("datetime64[D]")


def _interim(rows: pd.DataFrame, month_end: np.ndarray) -> pd.DataFrame:
    """How a dossier looked in the export of its own month, before it ended: open,
    with no end dates or rating yet. A later export carries its final state."""
    out = rows.copy()
    status = out["status"].to_numpy()
    waiting = np.where(out["supplement_count"].to_numpy() > 0, 5, 4)
    out["status"] = np.where(np.isin(status, (1, 2)), status, waiting).astype(np.int8)
    for col in ("resolved_at", "returned_at"):
        out[col] = np.datetime64("NaT", "us")
    apology = out["apology_issued_at"].to_numpy()
    out["apology_issued_at"] = np.where(apology.astype("datetime64[D]") <= month_end, apology, np.datetime64("NaT"))
    out["rating"] = pd.Series(pd.NA, index=out.index, dtype="Int8")
    return out


def _as_received_by(rows: pd.DataFrame, receiver: np.ndarray) -> pd.DataFrame:
    """The rows under the unit that received them (the one their code names)."""
    units = load_units().set_index("unit_code")
    out = rows.copy()
    out["agency_code"] = receiver
    out["agency_name"] = units.loc[receiver, "unit_name"].to_numpy()
    out["tier"] = units.loc[receiver, "tier"].to_numpy()
    return out


def _emissions(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Every row every export will hold, with the month (`_month`) and system
    (`_vendor`) of the file it goes to.

    A dossier goes to the file of the month it was received in. Some dossiers received
    in a month's last week and ended in the next month are shown open in their own
    month's file and again, finished, in the next one. A dossier handed to a successor
    is shown open under the unit that received it, then finished under the successor
    in the file of the month it ended (the last month if it is still open)."""
    base_day = _base_day(frame)
    month = base_day.astype("datetime64[M]")
    month_end = (month + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")
    end_day = _end_day(frame)
    last_month = month.max()
    status = frame["status"].to_numpy()
    agency = frame["agency_code"].astype(str).to_numpy()
    receiver = frame["dossier_code"].astype(str).str.split("-", n=1).str[0].to_numpy()
    handed = receiver != agency
    # A unit's files stop when it does: no update in a month after its last day.
    units = load_units().set_index("unit_code")
    ends = units.loc[agency, "valid_to"].replace("", "9999-12-31").to_numpy().astype("datetime64[D]")
    carried = (
        (status >= 7)
        & ~np.isnat(end_day)
        & (end_day > month_end)
        & (base_day >= month_end - np.timedelta64(6, "D"))
        & (month < last_month)
        & (month + np.timedelta64(1, "M") <= ends.astype("datetime64[M]"))
        & (rng.random(len(frame)) < 0.4)
        & ~handed
    )
    tier = frame["tier"].astype(str).to_numpy()
    vendor = vs.vendor_of(tier, agency)
    # The successor's file of the month the dossier was last touched (returned, else
    # resolved), never before the successor exists; the last month if still open.
    returned = frame["returned_at"].to_numpy().astype("datetime64[D]")
    touched = np.where(np.isnat(returned), end_day, returned).astype("datetime64[M]")
    receiver_end = units.loc[receiver, "valid_to"].replace("", "9999-12-31").to_numpy().astype("datetime64[M]")
    handed_month = np.where(np.isnat(touched), last_month, np.maximum(touched, receiver_end + np.timedelta64(1, "M")))
    before = _as_received_by(_interim(frame[handed], month_end[handed]), receiver[handed])
    parts = [
        (frame[~carried & ~handed], month[~carried & ~handed], vendor[~carried & ~handed]),
        (_interim(frame[carried], month_end[carried]), month[carried], vendor[carried]),
        (frame[carried], month[carried] + np.timedelta64(1, "M"), vendor[carried]),
        (before, month[handed], vs.vendor_of(before["tier"].to_numpy(), receiver[handed])),
        (frame[handed], np.minimum(handed_month[handed], last_month), vendor[handed]),
    ]
    out = pd.concat([p.assign(_month=m, _vendor=v) for p, m, v in parts if len(p)], ignore_index=True)
    return out


def write_exports(df: pd.DataFrame, out_dir: str | os.PathLike[str], seed: int = 42) -> list[Path]:
    """Split the dossiers by month and export system and write them as real provinces
    receive them; returns the files in the order to import them (chronological).

    - departments: report-shaped .xlsx per month, real Excel dates in even months and
      dd/mm/yyyy text in odd months, with personal-data columns the importer must drop;
    - districts: UTF-8 CSV with BOM, ';', Vietnamese labels, NFD text in odd months;
    - communes of four (former) districts: Windows-1258 CSV with ',', numeric status
      and rating;
    - the other communes: national-sync JSON (MaHoSo, NgayTiepNhan as yyyyMMddHHmmss,
      and from 07/2025 MaDonVi).
    A few files hold an exact duplicate row, and the first district file (the first
    Windows-1258 file when the window has no districts) holds two rows the importer
    must quarantine.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if len(df) == 0:
        return []
    rng = np.random.default_rng([seed, 2])
    rows_all = _emissions(df.reset_index(drop=True), rng)
    emit_month = rows_all.pop("_month").to_numpy().astype("datetime64[M]")
    emit_vendor = rows_all.pop("_vendor").to_numpy()
    broken_vendor = "csv_utf8" if (emit_vendor == "csv_utf8").any() else "csv_cp1258"
    broken_done = False
    con = duckdb.connect()
    written: list[Path] = []
    try:
        for m in np.unique(emit_month):
            m_start = m.astype("datetime64[D]").astype(date)
            m_end = ((m + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")).astype(date)
            in_month = emit_month == m
            for v in vs.VENDORS:
                rows = rows_all[in_month & (emit_vendor == v)]
                if not len(rows):
                    continue
                if rng.random() < 0.35 and len(rows) > 2:
                    dup = rows.iloc[rng.choice(len(rows), 2, replace=False)]
                    rows = pd.concat([rows, dup], ignore_index=True)
                    rows = rows.iloc[
                        np.argsort(np.r_[np.arange(len(rows) - 2), rng.integers(0, len(rows) - 2, 2)], kind="stable")
                    ]
                labelled = vs.labelled(rows, v, rng).reset_index(drop=True)
                target = out / f"{m_start:%Y-%m}_{vs.VENDOR_FILE[v]}"
                extra: list[str] = []
                if v == broken_vendor and not broken_done:
                    extra, broken_done = _broken_lines(con, labelled, v, m_start.year), True
                if v == "xlsx":
                    write_report_xlsx(target, con, labelled, (m_start, m_end), excel_dates=m_start.month % 2 == 0)
                elif v == "csv_utf8":
                    nfd = m_start.month % 2 == 1
                    _write_csv(target, con, labelled, vs.DISTRICT_COLUMNS, ";", "utf-8", nfd=nfd, extra_lines=extra)
                elif v == "csv_cp1258":
                    _write_csv(target, con, labelled, vs.COMMUNE_CSV_COLUMNS, ",", "cp1258", extra_lines=extra)
                else:
                    columns = vs.JSON_COLUMNS + ((vs.JSON_UNIT_CODE,) if m_start >= REFORM_DAY else ())
                    copy(con, labelled, select_sql(columns), target, "FORMAT json, ARRAY true")
                written.append(target)
    finally:
        con.close()
    return written
