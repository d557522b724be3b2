"""Shapes one-stop systems really export beyond xlsx and CSV (issue 9): an HTML table
saved as .xls, SpreadsheetML 2003, several sheets in one workbook, JSON envelopes with the
list anywhere, the national sync body without a channel field, a register without a
status column, UTF-16 "Unicode text". Each imports to exactly the five dossiers a person
reading the file would read, with the field vocabulary (postal labels, statuses as words
and portal codes, procedure codes with the national suffix) mapped. Expected values are
written here by hand from tests/fixtures/make_fixtures.py's SHAPE_DOSSIERS."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest

from tests.conftest import FIXTURES, dossier, prepare_db, query, run_cli, run_cli_json

T = dt.datetime
CODE = "000.00.06.H56-2403{:02d}-01{:02d}"
FIVE = {
    CODE.format(4, 1): dict(
        procedure_code="1.001612",  # written 1.001612.000.00.00.H22: the catalogue key
        channel="postal",  # "Qua bưu chính công ích"
        status=10,
        supplement_count=0,
        rating=4,
        received_at=T(2024, 3, 4, 8),
        due_at=T(2024, 3, 14, 17),
        resolved_at=T(2024, 3, 12, 10),
        returned_at=T(2024, 3, 13, 9),
        tier="department",
    ),
    CODE.format(5, 2): dict(channel="online", status=9, supplement_count=1, rating=5, returned_at=None),
    CODE.format(6, 3): dict(procedure_code="2.000488", channel="postal", status=4, rating=None, resolved_at=None),
    CODE.format(7, 4): dict(channel="postal", status=5, supplement_count=2),  # "Dịch vụ bưu chính", "Chờ bổ sung"
    CODE.format(8, 5): dict(channel="direct", status=10, rating=5, resolved_at=T(2024, 3, 14, 11)),
}
SHAPES = [
    "html_table.xls",
    "spreadsheetml_2003.xls",
    "multi_sheet.xlsx",
    "api_result_envelope.json",
    "errors_data_envelope.json",
    "unicode_text_utf16.txt",
    "records_list.xml",
    "biff8.xls",
]


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Each fixture imported through the CLI into a database of its own."""
    out = {}
    for name in [*SHAPES, "sync_body.json", "register_without_status.csv"]:
        db = prepare_db(tmp_path_factory.mktemp("shape") / "s.duckdb")
        proc = run_cli("ingest", FIXTURES / name, db=db)
        assert proc.returncode == 0, proc.stderr
        out[name] = (db, proc.stdout)
    return out


def _report(db):
    from metrics import compute

    con = duckdb.connect(str(db), read_only=True)
    try:
        (import_id,) = con.execute("SELECT max(import_id) FROM imports").fetchone()
        return compute.import_report(con, import_id)
    finally:
        con.close()


@pytest.mark.parametrize("name", SHAPES)
def test_each_shape_imports_exactly_the_five_dossiers_with_the_values_written(imported, name):
    db, _ = imported[name]
    assert query(db, "SELECT count(*) FROM dossiers") == [(5,)]
    for code, expected in FIVE.items():
        got = dossier(db, code)
        assert {k: got[k] for k in expected} == expected, (name, code)


def test_the_sync_body_takes_portal_codes_and_counts_supplements_from_the_nested_list(imported):
    db, _ = imported["sync_body.json"]
    got = {r[0]: r[1:] for r in query(db, "SELECT dossier_code, status, supplement_count FROM dossiers")}
    # done, posting (resolved, sent by post), interoperating (liên thông: in progress), waiting, done
    assert [got[c] for c in FIVE] == [(10, 0), (9, 1), (4, 0), (5, 2), (10, 0)]


def test_a_sync_body_without_a_channel_field_gives_an_unknown_online_rate_not_zero(imported):
    db, stdout = imported["sync_body.json"]
    assert query(db, "SELECT count(*) FROM dossiers WHERE channel IS NULL") == [(5,)]
    out = run_cli_json("kpis", "--from", "2024-03-01", "--to", "2024-03-31", "--by", "all", db=db)
    (online,) = [r for r in out["rows"] if r["metric"] == "online_rate"]
    assert (online["denominator"], online["rate"], online["unknown"]) == (0, None, 5)
    assert "Không tính được «Tỷ lệ hồ sơ trực tuyến»" in stdout


def test_the_other_kpis_of_a_file_without_a_channel_are_still_computed(imported):
    db, _ = imported["sync_body.json"]
    out = run_cli_json("kpis", "--from", "2024-03-01", "--to", "2024-03-31", "--by", "all", db=db)
    (on_time,) = [r for r in out["rows"] if r["metric"] == "on_time_rate"]
    # three resolved in March; 0102 ended 11/03 after its 08/03 appointment
    assert (on_time["numerator"], on_time["denominator"], on_time["unknown"]) == (2, 3, 0)


def test_a_register_without_status_infers_it_from_the_dates_and_says_so(imported):
    db, stdout = imported["register_without_status.csv"]
    assert dossier(db, "000.30.31.H56-240401-0201")["status"] == 10  # has a result date
    assert dossier(db, "000.30.31.H56-240402-0202")["status"] == 4  # in progress
    report = _report(db)
    assert report["parts"][0]["status_inferred"] is True
    assert "trạng thái suy ra từ các ngày" in stdout


def test_the_report_names_the_kpis_a_file_cannot_support(imported):
    db, _ = imported["register_without_status.csv"]
    missing = {(u["metric"], u["definition"]) for u in _report(db)["unsupported"]}
    assert missing == {("online_rate", None), ("satisfaction_rate", None), ("on_time_rate", "766")}


def test_the_report_of_an_html_xls_names_tables_header_columns_and_personal_data(imported):
    db, stdout = imported["html_table.xls"]
    report = _report(db)
    assert report["file_format"] == "html"
    (part,) = report["parts"]
    assert (part["name"], part["header_row"]) == ("Bảng 2", 2)  # two-level header: its lower row
    mapped = {c["source"]: c["column"] for c in part["columns"]}
    assert mapped["Hình thức nộp"] == "channel" and mapped["Ngày tiếp nhận"] == "received_at"
    personal = {c["source"] for c in part["ignored"] if c["personal"]}
    assert personal == {"Họ tên người nộp", "Số CCCD"}
    assert [s["name"] for s in report["skipped_parts"]] == ["Bảng 1", "Bảng 3"]
    assert report["rows"] | {"quarantined_by_reason": []} == {
        "read": 7,
        "accepted": 5,
        "quarantined": 0,
        "duplicate": 0,
        "superseded": 0,
        "skipped": 2,  # the column-number row and the total row
        "quarantined_by_reason": [],
    }
    assert "Không lưu (dữ liệu cá nhân): Họ tên người nộp, Số CCCD" in stdout


@pytest.mark.parametrize(
    ("name", "read", "skipped"),
    [("multi_sheet.xlsx", ["Tuần 1", "Tuần 2"], ["Tổng hợp"]), ("spreadsheetml_2003.xls", ["Danh sách"], ["Tổng hợp"])],
)
def test_every_sheet_with_dossiers_is_read_and_the_others_are_named(imported, name, read, skipped):
    report = _report(imported[name][0])
    assert [p["name"] for p in report["parts"]] == read
    assert [s["name"] for s in report["skipped_parts"]] == skipped


def test_a_paged_api_export_whose_total_disagrees_is_reported(imported):
    db, stdout = imported["api_result_envelope.json"]
    report = _report(db)
    assert report["parts"][0]["name"] == "$.result.data"  # not the list of filters before it
    assert "tổng số 7 bản ghi nhưng chỉ chứa 5" in report["notes"][0]["vi"]
    assert "Lưu ý:" in stdout


def test_no_personal_value_from_the_new_shapes_is_stored(imported):
    for name, (db, _) in imported.items():
        con = duckdb.connect(str(db), read_only=True)
        try:
            for table in ("dossiers", "quarantine"):
                text = str(con.execute(f"SELECT * FROM {table}").fetchall())
                assert "Nguyễn Văn An" not in text and "042090001234" not in text, (name, table)
        finally:
            con.close()


# ------------------------------------------------------------------ re-import rules
def test_a_file_is_imported_again_when_the_database_no_longer_holds_its_rows(db):
    first = run_cli("ingest", FIXTURES / "html_table.xls", db=db, check=True)
    assert "nhận 5 hồ sơ" in first.stdout
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM dossiers")
    con.close()
    again = run_cli("ingest", FIXTURES / "html_table.xls", db=db, check=True)
    assert "đã nhập trước đây" not in again.stdout
    assert query(db, "SELECT count(*) FROM dossiers") == [(5,)]


def test_a_file_is_imported_again_when_the_import_rules_changed(db):
    run_cli("ingest", FIXTURES / "sync_body.json", db=db, check=True)
    con = duckdb.connect(str(db))
    con.execute("UPDATE imports SET rules_version = 'rules of an older release'")
    con.close()
    again = run_cli("ingest", FIXTURES / "sync_body.json", db=db, check=True)
    assert "đã nhập trước đây" not in again.stdout
    assert query(db, "SELECT count(*) FROM imports") == [(2,)]


def test_the_same_file_under_the_same_rules_is_still_already_imported(db):
    run_cli("ingest", FIXTURES / "sync_body.json", db=db, check=True)
    again = run_cli("ingest", FIXTURES / "sync_body.json", db=db, check=True)
    assert "đã nhập trước đây" in again.stdout


# ------------------------------------------------------------------ older export imported later
def _export(path, period_end: str, status: str):
    path.write_text(
        f"SỔ THEO DÕI HỒ SƠ\r\nTừ ngày 01/03/2024 đến ngày {period_end}\r\n"
        "Mã hồ sơ,Trạng thái,Ngày tiếp nhận,Ngày hẹn trả,Hình thức nộp\r\n"
        f"AS-1,{status},04/03/2024,20/04/2024,Trực tuyến\r\n",
        encoding="utf-8",
    )
    return path


def test_an_older_export_does_not_overwrite_a_newer_one_of_the_same_status_rank(db, tmp_path):
    april = _export(tmp_path / "t4.csv", "30/04/2024", "Chờ bổ sung")  # 5: paused for supplements
    march = _export(tmp_path / "t3.csv", "31/03/2024", "Đang xử lý")  # 4: the older state
    run_cli("ingest", april, db=db, check=True)
    proc = run_cli("ingest", march, db=db, check=True)
    assert dossier(db, "AS-1")["status"] == 5
    assert "cũ hơn dữ liệu đã có 1" in proc.stdout
    assert "Thời điểm xuất dữ liệu (theo tệp): 31/03/2024" in proc.stdout


def test_a_newer_export_imported_later_replaces_the_state(db, tmp_path):
    run_cli("ingest", _export(tmp_path / "t3.csv", "31/03/2024", "Đang xử lý"), db=db, check=True)
    run_cli("ingest", _export(tmp_path / "t4.csv", "30/04/2024", "Chờ bổ sung"), db=db, check=True)
    assert dossier(db, "AS-1")["status"] == 5


def test_the_kpi_table_shows_the_unknown_count_beside_the_denominator(imported):
    db, _ = imported["sync_body.json"]
    proc = run_cli("kpis", "--from", "2024-03-01", "--to", "2024-03-31", "--by", "all", db=db, check=True)
    header, *rows = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    assert "Không rõ" in header
    (online,) = [r for r in rows if r.lstrip().startswith("Trực tuyến")]
    # Trực tuyến | Cấp — | Đơn vị — | Tử số 0 | Mẫu số 0 | Không rõ 5 | Tỷ lệ — (never 0%)
    assert online.split()[4:8] == ["0", "0", "5", "—"], online


def test_a_quarantined_row_of_a_workbook_says_which_sheet_it_came_from(db, tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    mf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mf)
    header = ["Mã hồ sơ", "Trạng thái", "Ngày tiếp nhận"]
    book = tmp_path / "hai_thang.xlsx"
    mf.write_workbook(
        book,
        [
            ("Tháng 3", [header, ["Q-1", "Đang xử lý", "01/03/2024"], ["Q-2", "Chờ phê duyệt cấp trên", "02/03/2024"]]),
            ("Tháng 4", [header, ["Q-3", "Đang xử lý", "31/04/2024"]]),
        ],
    )
    run_cli("ingest", book, db=db, check=True)
    got = {json.loads(raw)["sheet"]: row for row, raw in query(db, "SELECT source_row, raw FROM quarantine")}
    assert got == {"Tháng 3": 3, "Tháng 4": 2}
