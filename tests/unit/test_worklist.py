"""The due-soon worklist (issue 13): one sheet per unit, codes kept as text (leading zeros
and all), due dates as real dates, and a procedure name typed as a formula made inert."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd

from metrics import compute, worklist
from metrics import db as mdb
from tests.conftest import run_cli

HEADER = "dossier_code,procedure_name,agency_code,agency_name,tier,channel,received_at,due_at,status"


def test_the_worklist_has_a_sheet_per_unit_with_text_codes_and_inert_formulas(db, tmp_path):
    export = tmp_path / "export.csv"
    export.write_text(
        "\n".join(
            [
                HEADER,
                '000123,"=HYPERLINK(""http://x"")",000.30.31.H56,UBND xã Hương Minh,Cấp xã,direct,'
                "2026-04-20T08:00:00,2026-04-28T17:00:00,5",
                "KH-2,Đăng ký kết hôn,000.30.31.H56,UBND xã Hương Minh,Cấp xã,direct,"
                "2026-04-20T08:00:00,2026-04-24T00:00:00,4",
                "TP-1,Lý lịch tư pháp,000.00.06.H56,Sở Tư pháp,Cấp sở,online,2026-04-21T08:00:00,2026-04-29T17:00:00,4",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    run_cli("ingest", export, db=db, check=True)
    con = mdb.connect(db, read_only=True)
    frame = compute.due_soon(con, as_of=dt.date(2026, 4, 24))
    con.close()
    wb = openpyxl.load_workbook(io.BytesIO(worklist.due_soon_xlsx(frame, 2)))
    assert wb.sheetnames == ["UBND xã Hương Minh", "Sở Tư pháp"]  # by due date: 24/04 first
    rows = [[c.value for c in r] for r in wb["UBND xã Hương Minh"].iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0] == "Mã hồ sơ")
    body = rows[header + 1 :]
    assert [r[0] for r in body] == ["KH-2", "000123"]
    assert body[1][1] == '\'=HYPERLINK("http://x")'
    assert body[1][3] == dt.datetime(2026, 4, 28, 17, 0) and body[1][4] == 1 and body[1][5] == "Có"
    assert body[0][4] == 0 and body[0][5] in (None, "")


def test_an_empty_list_still_opens_and_says_so():
    empty = openpyxl.load_workbook(io.BytesIO(worklist.due_soon_xlsx(_empty(), 2)))
    assert empty.active["A1"].value == "Không có hồ sơ sắp quá hạn."


def test_long_and_forbidden_sheet_names_are_made_legal_and_unique():
    taken: set[str] = set()
    name = "UBND xã Hương Minh: bộ phận một cửa [cũ] / mới"
    first, second = worklist._sheet_name(name, taken), worklist._sheet_name(name, taken)
    assert len(first) <= 31 and len(second) <= 31 and first != second
    assert not set("[]:*?/\\'") & set(first + second)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=["dossier_code", "unit_code", "unit_name", "as_of", "due_at"])
