"""The workbook reader (readers/excel.py): every format calamine reads (xlsx, xlsm, ods,
BIFF .xls) arrives through fastexcel as Arrow text, and what is stored is what a person
reads in the sheet. Workbooks are written here with openpyxl/xlsxwriter, or by hand for
OpenDocument; expected values are written by hand."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import xlsxwriter
from openpyxl import Workbook

from metrics import db as mdb
from metrics import ingest
from metrics.demo.bench_xlsx import bare_fastexcel_code
from tests.conftest import FIXTURES, ROOT, dossier, prepare_db, query

T = dt.datetime
HEADER = ["STT", "Mã hồ sơ", "Trạng thái", "Ngày tiếp nhận", "Ngày hẹn trả", "Số lần bổ sung", "Hình thức nộp"]


def imported(db: Path, path: Path) -> ingest.ImportSummary:
    con = mdb.connect(db)
    try:
        return ingest.import_file(con, path)
    finally:
        con.close()


def report(db: Path) -> dict:
    ((text,),) = query(db, "SELECT report FROM import_reports")
    return json.loads(text)


def quarantined(db: Path) -> dict[int, tuple[dict, str]]:
    return {
        row: (json.loads(raw), why) for row, raw, why in query(db, "SELECT source_row, raw, reason_en FROM quarantine")
    }


def test_a_sheet_that_starts_lower_and_further_right_keeps_the_row_numbers_excel_shows(db, tmp_path):
    """Two blank rows and two blank columns before the title: a quarantined row is
    named by the row number Excel shows, and dates, counts and codes stored as Excel
    numbers read as a person reads them."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sổ"
    ws["C3"] = "SỔ THEO DÕI HỒ SƠ"
    for j, h in enumerate(HEADER, start=3):
        ws.cell(row=5, column=j, value=h)
    rows = [
        [1, 123456789012, "Đã trả kết quả", T(2024, 3, 1, 8, 15), dt.date(2024, 3, 11), 0, "Trực tuyến"],
        [2, "000.00.06.H56-240302-0002", "Đang xử lý", T(2024, 3, 2, 9, 30, 15), T(2024, 3, 12, 17), 2.0, "Trực tiếp"],
        [3, "000.00.06.H56-240303-0003", "Trạng thái lạ", T(2024, 3, 3, 10), None, 1, "Trực tiếp"],
    ]
    for i, r in enumerate(rows, start=6):
        for j, v in enumerate(r, start=3):
            ws.cell(row=i, column=j, value=v)
    book = tmp_path / "so.xlsx"
    wb.save(book)

    summary = imported(db, book)

    assert (summary.rows_read, summary.rows_accepted, summary.rows_quarantined) == (3, 2, 1)
    numeric = dossier(db, "123456789012")  # not "1.23456789012e+11"
    assert (numeric["received_at"], numeric["due_at"], numeric["supplement_count"], numeric["source_row"]) == (
        T(2024, 3, 1, 8, 15),
        T(2024, 3, 11),
        0,
        6,
    )
    second = dossier(db, "000.00.06.H56-240302-0002")
    assert (second["received_at"], second["supplement_count"], second["source_row"]) == (T(2024, 3, 2, 9, 30, 15), 2, 7)
    ((raw, why),) = quarantined(db).values()
    assert list(quarantined(db)) == [8]
    assert raw["dossier_code"] == "000.00.06.H56-240303-0003" and raw["supplement_count"] == "1"
    assert why == 'Unknown status: "Trạng thái lạ"'
    assert report(db)["parts"][0]["header_row"] == 5


def test_a_cell_holding_the_empty_string_is_blank(db, tmp_path):
    book = tmp_path / "rong.xlsx"
    wb = xlsxwriter.Workbook(str(book))
    ws = wb.add_worksheet("Danh sách")
    ws.write_row(0, 0, ["Mã hồ sơ", "Trạng thái", "Ngày tiếp nhận", "Mức độ hài lòng"])
    ws.write_row(1, 0, ["E-1", "Đang xử lý", "01/03/2024"])
    ws.write_string(1, 3, "")  # an empty string cell, not an empty cell
    wb.close()

    imported(db, book)

    assert query(db, "SELECT count(*) FROM quarantine") == [(0,)]
    assert dossier(db, "E-1")["rating"] is None


def test_the_header_is_sought_in_the_first_40_rows_with_its_lower_row_below_them(db, tmp_path):
    """Row 40 holds the header and row 41 the sub-headers of a merged group: found. A
    sheet whose header is on row 41 is named in the report as not a dossier list."""
    wb = Workbook()
    low = wb.active
    low.title = "Dòng 40"
    for r in range(1, 40):
        low.cell(row=r, column=1, value=f"Ghi chú {r}")
    for j, h in enumerate(["Mã hồ sơ", "Trạng thái", "Hình thức nộp", "Ngày"], start=1):
        low.cell(row=40, column=j, value=h)
    low.cell(row=41, column=4, value="Ngày tiếp nhận")
    low.cell(row=41, column=5, value="Ngày hẹn trả")
    low.append(["H-40", "Đang xử lý", "Trực tuyến", T(2024, 3, 9, 8), T(2024, 3, 19, 17)])
    lower = wb.create_sheet("Dòng 41")
    for r in range(1, 41):
        lower.cell(row=r, column=1, value=f"Ghi chú {r}")
    lower.append(["Mã hồ sơ", "Trạng thái", "Ngày tiếp nhận"])
    lower.append(["H-41", "Đang xử lý", T(2024, 3, 9)])
    book = tmp_path / "sau.xlsx"
    wb.save(book)

    imported(db, book)

    got = dossier(db, "H-40")
    assert (got["received_at"], got["due_at"], got["source_row"]) == (T(2024, 3, 9, 8), T(2024, 3, 19, 17), 42)
    assert query(db, "SELECT count(*) FROM dossiers") == [(1,)]
    (part,) = report(db)["parts"]
    assert (part["name"], part["header_row"]) == ("Dòng 40", 41)
    assert [p["name"] for p in report(db)["skipped_parts"]] == ["Dòng 41"]


def _ods(path: Path, sheet: str, rows: list[list]) -> None:
    """A minimal OpenDocument spreadsheet: strings, floats and dates as LibreOffice
    writes them (office:value-type)."""

    def cell(v: object) -> str:
        if v is None:
            return "<table:table-cell/>"
        if isinstance(v, float | int):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        if isinstance(v, dt.date):
            iso = v.isoformat()
            return f'<table:table-cell office:value-type="date" office:date-value="{iso}"><text:p>{iso}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(map(cell, r)) + "</table:table-row>" for r in rows)
    ns = "urn:oasis:names:tc:opendocument:xmlns"
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{ns}:office:1.0" '
        f'xmlns:table="{ns}:table:1.0" xmlns:text="{ns}:text:1.0" office:version="1.2"><office:body>'
        f'<office:spreadsheet><table:table table:name="{escape(sheet)}">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="{ns}:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)


@pytest.mark.parametrize("name", ["so_theo_doi.ods", "so_theo_doi.xlsx"])
def test_an_opendocument_spreadsheet_imports_whatever_its_name(db, tmp_path, name):
    book = tmp_path / name
    _ods(
        book,
        "Danh sách",
        [
            ["SỔ THEO DÕI HỒ SƠ"],
            [],
            HEADER,
            [1, "O-1", "Đã trả kết quả", T(2024, 3, 1, 8, 15), dt.date(2024, 3, 11), 0, "Trực tuyến"],
            [2, 1234567, "Đang xử lý", "02/03/2024 09:00", None, 3, "Trực tiếp"],
            ["Tổng cộng: 2 hồ sơ"],
        ],
    )

    summary = imported(db, book)

    assert (summary.rows_read, summary.rows_skipped, summary.rows_accepted) == (3, 1, 2)
    first = dossier(db, "O-1")
    assert (first["received_at"], first["due_at"], first["source_row"]) == (T(2024, 3, 1, 8, 15), T(2024, 3, 11), 4)
    second = dossier(db, "1234567")
    assert (second["received_at"], second["supplement_count"], second["channel"]) == (T(2024, 3, 2, 9), 3, "direct")


def _as_xlsm(src: Path, target: Path) -> None:
    """The workbook as Excel saves it with macros: the macro-enabled content type and a
    VBA part."""
    with zipfile.ZipFile(src) as z_in, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z_out:
        for info in z_in.infolist():
            data = z_in.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            z_out.writestr(info, data)
        z_out.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(508))


def _stored(db: Path) -> list[tuple]:
    return query(db, "SELECT * EXCLUDE (import_id) FROM dossiers ORDER BY dossier_code")


@pytest.mark.parametrize(
    ("fixture", "saved_as"),
    [
        ("report_excel_dates.xlsx", "so_theo_doi.xlsm"),  # macro-enabled
        ("report_excel_dates.xlsx", "so_theo_doi.xls"),  # a workbook saved under the old extension
        ("biff8.xls", "bao_cao.xlsx"),  # Excel 97-2003 under the new one
        ("multi_sheet.xlsx", "tai_ve"),  # no extension at all
    ],
)
def test_a_workbook_imports_the_same_dossiers_under_any_name(db, tmp_path, fixture, saved_as):
    """Content decides, never the name: the same workbook under another name (or as
    .xlsm) stores exactly what it stores under its own."""
    original = tmp_path / "goc" / fixture
    original.parent.mkdir()
    shutil.copy(FIXTURES / fixture, original)
    renamed = tmp_path / saved_as
    if saved_as.endswith(".xlsm"):
        _as_xlsm(original, renamed)
    else:
        shutil.copy(original, renamed)
    reference_db = prepare_db(tmp_path / "goc.duckdb")

    imported(reference_db, original)
    summary = imported(db, renamed)

    assert summary.rows_accepted > 0
    assert _stored(db) == _stored(reference_db)


def test_the_bare_baseline_reads_the_whole_sheet_and_prints_nothing(tmp_path):
    """metrics/demo/bench_xlsx.py: what the benchmark compares the import with."""
    scope: dict[str, object] = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(bare_fastexcel_code(str(FIXTURES / "report_excel_dates.xlsx")), scope)
    assert out.getvalue() == ""
    # rows 1-25: titles, the header, the column numbers, the dossiers, the total and signatures
    assert scope["rows"] == 25


def test_dossier_codes_stored_as_excel_numbers_keep_their_digits(db, tmp_path):
    """A column of codes that Excel turned into numbers: every code keeps its digits
    (the old per-column conversion wrote 1.23456789012e+11)."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã hồ sơ", "Trạng thái", "Ngày tiếp nhận"])
    ws.append([123456789012, "Đang xử lý", T(2024, 3, 1, 8)])
    ws.append([123456789013, "Đang xử lý", T(2024, 3, 2, 8)])
    book = tmp_path / "ma_so.xlsx"
    wb.save(book)

    imported(db, book)

    assert query(db, "SELECT dossier_code FROM dossiers ORDER BY 1") == [("123456789012",), ("123456789013",)]


def test_reading_a_workbook_never_imports_pandas():
    """pandas costs ~0.3 s of CPU to import; the workbook reader builds its Arrow
    columns without it (pyarrow's pa.array() would import it)."""
    code = (
        "import sys, duckdb\n"
        "from pathlib import Path\n"
        "from metrics.readers import read\n"
        f"raw = read(duckdb.connect(), Path({str(FIXTURES / 'multi_sheet.xlsx')!r}), 'x.xlsx')\n"
        "assert len(raw.parts) == 2\n"
        "print('pandas' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert proc.stdout.strip() == "False"


def test_a_report_shaped_sheet_quarantines_its_bad_rows_and_skips_its_furniture_by_row_number(db, tmp_path):
    """Only the rows not stored are parsed a second time (ingest._only_rows_not_stored):
    the column-number row, the total and the signature are skipped, each bad row is
    quarantined once under the row number Excel shows, and the good rows are stored."""
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ"
    for j, h in enumerate(HEADER, start=1):
        ws.cell(row=3, column=j, value=h)
        ws.cell(row=4, column=j, value=f"({j})")
    rows = [
        [1, "R-1", "Đã trả kết quả", "01/03/2024 08:00", "11/03/2024", 0, "Trực tuyến"],
        [2, "R-2", "Đang xử lý", "31/02/2024", "12/03/2024", 0, "Trực tiếp"],  # no 31 February
        [3, "R-3", "Đang xử lý", "03/03/2024", "13/03/2024", 1, "Trực tiếp"],
        [4, "R-4", "Trạng thái lạ", "04/03/2024", "14/03/2024", 0, "Trực tiếp"],
        [5, "R-4", "Trạng thái lạ", "04/03/2024", "14/03/2024", 0, "Trực tiếp"],
    ]
    for i, r in enumerate(rows, start=5):
        for j, v in enumerate(r, start=1):
            ws.cell(row=i, column=j, value=v)
    ws["A10"] = "Tổng cộng: 5 hồ sơ"
    ws["E12"] = "Người lập biểu"
    book = tmp_path / "bao_cao.xlsx"
    wb.save(book)

    summary = imported(db, book)

    assert sorted(r[0] for r in query(db, "SELECT dossier_code FROM dossiers")) == ["R-1", "R-3"]
    assert {row: why for row, (_raw, why) in quarantined(db).items()} == {
        6: 'Unreadable received date: "31/02/2024"',
        8: 'Unknown status: "Trạng thái lạ"',  # row 9 repeats it exactly: one problem
    }
    assert (summary.rows_accepted, summary.rows_quarantined) == (2, 2)
    assert summary.rows_skipped == 4  # the column numbers, the total, the blank line, the signature
    assert summary.rows_read == summary.rows_skipped + 5
