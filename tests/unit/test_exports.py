"""The late-dossier exports open right in Excel and cannot carry a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd

from metrics import exports


def late_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dossier_code": ["000.00.06.H56-240101-0001", '=HYPERLINK("http://x")'],
            "kind": ["resolved_late", "open_overdue"],
            "days_late": [3, 12],
            "agency_code": ["000.00.06.H56", "000.00.07.H56"],
            "agency_name": ["Sở Tư pháp", "UBND xã Hương Minh"],
            "tier": ["department", "commune"],
            "procedure_code": ["1.000001", "2.000002"],
            "procedure_name": ["+Cấp phiếu lý lịch tư pháp", "@Đăng ký khai sinh"],
            "field_name": ["-Lý lịch tư pháp", "Hộ tịch"],
            "channel": ["online", "direct"],
            "received_at": [pd.Timestamp("2024-10-01 08:30"), pd.Timestamp("2024-10-02 09:00")],
            "due_at": [pd.Timestamp("2024-10-05"), pd.Timestamp("2024-10-10")],
            "end_at": [pd.Timestamp("2024-10-08"), pd.NaT],
            "apology_issued_at": [pd.Timestamp("2024-10-04"), pd.NaT],
            "apology": ["before_due", "none"],
        }
    )


def test_csv_starts_with_a_utf8_bom_and_has_vietnamese_headers():
    data = exports.late_csv(late_frame())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Mã hồ sơ", "Loại trễ hạn", "Số ngày trễ"]
    assert rows[1][1] == "Đã giải quyết quá hạn"
    assert rows[1][10] == "01/10/2024 08:30"
    assert rows[1][11] == "05/10/2024"


def test_csv_escapes_every_text_cell_that_starts_like_a_formula():
    rows = list(csv.reader(io.StringIO(exports.late_csv(late_frame()).decode("utf-8-sig"))))
    assert rows[2][0] == '\'=HYPERLINK("http://x")'
    assert rows[1][7] == "'+Cấp phiếu lý lịch tư pháp"
    assert rows[2][7] == "'@Đăng ký khai sinh"
    assert rows[1][8] == "'-Lý lịch tư pháp"
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@"))


def test_xlsx_has_filters_above_a_frozen_header_and_real_dates():
    data = exports.late_xlsx(late_frame(), filters=[("Kỳ", "Tháng 10/2024"), ("Cấp", "=evil")])
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0] == "Danh sách hồ sơ trễ hạn"
    assert values[1][:2] == ["Kỳ", "Tháng 10/2024"]
    assert values[2][:2] == ["Cấp", "=evil"]  # a text cell, never a formula
    assert ws.cell(3, 2).data_type == "s" and ws.cell(3, 2).quotePrefix
    header_row = next(i for i, v in enumerate(values) if v[0] == "Mã hồ sơ")
    assert ws.freeze_panes == f"A{header_row + 2}"
    first = values[header_row + 1]
    assert first[10] == dt.datetime(2024, 10, 1, 8, 30)
    assert ws.cell(header_row + 2, 12).number_format == "dd/mm/yyyy"
    assert first[2] == 3
    second = values[header_row + 2]
    # a text cell with Excel's hidden quote: it cannot run, and the reader sees no apostrophe
    assert second[0] == '=HYPERLINK("http://x")'
    assert ws.cell(header_row + 3, 1).data_type == "s" and ws.cell(header_row + 3, 1).quotePrefix
    assert not ws.cell(header_row + 2, 1).quotePrefix
    assert second[12] is None
    assert ws.auto_filter.ref is not None


def test_an_empty_list_still_writes_the_header():
    empty = late_frame().iloc[0:0]
    assert exports.late_csv(empty).decode("utf-8-sig").startswith("Mã hồ sơ,")
    ws = openpyxl.load_workbook(io.BytesIO(exports.late_xlsx(empty))).active
    assert any(row[0].value == "Mã hồ sơ" for row in ws.iter_rows())


def test_english_headers_on_request():
    assert exports.late_csv(late_frame(), lang="en").decode("utf-8-sig").startswith("Dossier code,")


def test_a_limited_scope_drops_other_units_rows_and_names_itself_in_the_xlsx():
    from metrics.scope import limited_to

    scope = limited_to(["000.00.07.H56"], {"000.00.07.H56": "UBND xã Hương Minh"})
    rows = list(csv.reader(io.StringIO(exports.late_csv(late_frame(), scope=scope).decode("utf-8-sig"))))
    assert [r[3] for r in rows[1:]] == ["000.00.07.H56"]
    ws = openpyxl.load_workbook(io.BytesIO(exports.late_xlsx(late_frame(), scope=scope))).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "Phạm vi của bạn: UBND xã Hương Minh" in values
    assert "000.00.06.H56" not in values


def test_the_cli_csv_escapes_formulas_as_the_web_downloads_do(tmp_path, capsys):
    import duckdb

    from metrics import cli
    from tests.app import demo_db

    path = demo_db.build(tmp_path / "cli.duckdb", 3_000)
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE dossiers SET procedure_name = '=HYPERLINK(\"https://example.invalid\")'")
    for command in (["late", "--limit", "20"], ["kpis", "--by", "unit"]):
        capsys.readouterr()
        args = [*command, "--db", str(path), "--from", "2024-01-01", "--to", "2025-06-30", "--format", "csv"]
        assert cli.main(args) == 0
        rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
        assert len(rows) > 1
        for row in rows:
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@")), cell
    late_rows = list(csv.reader(io.StringIO(_late_csv(path, capsys))))
    assert any(cell == '\'=HYPERLINK("https://example.invalid")' for row in late_rows for cell in row)


def _late_csv(path, capsys) -> str:
    from metrics import cli

    capsys.readouterr()
    cli.main(
        ["late", "--db", str(path), "--from", "2024-01-01", "--to", "2025-06-30", "--format", "csv", "--limit", "5"]
    )
    return capsys.readouterr().out
