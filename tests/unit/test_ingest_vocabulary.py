"""The field vocabulary of issue 9, one fact per test: headers in any case or without
accents, postal labels, statuses as words and portal codes, "not rated" words, procedure
codes with the national suffix, the date spellings of JSON APIs, and the places a JSON
export hides its list. Each value is read through the real importer (a small file in a
temporary directory, a real DuckDB file)."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest

from metrics import ingest
from metrics.record import canonical_column, is_personal, procedure_key
from tests.conftest import UNITS_CSV


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("MaHoSo", "dossier_code"),
        ("maHoSo", "dossier_code"),
        ("mahoso", "dossier_code"),
        ("ma_ho_so", "dossier_code"),
        ("Ma ho so", "dossier_code"),
        ("trangThaiHoSoId", "status"),
        ("HinhThuc", "channel"),
        ("ngayHenTra", "due_at"),
        ("NGAY_KET_THUC_XU_LY", "resolved_at"),
    ],
)
def test_a_header_matches_in_any_case_with_or_without_accents(header, column):
    assert canonical_column(header) == column


@pytest.mark.parametrize("header", ["Họ tên người nộp", "Số CCCD", "CMND", "Số điện thoại", "Địa chỉ", "Email"])
def test_personal_data_headers_are_recognised_as_such(header):
    assert is_personal(header) and canonical_column(header) is None


def test_a_procedure_code_with_the_national_suffix_joins_the_catalogue_key():
    assert procedure_key("1.001612.000.00.00.H22") == "1.001612"
    assert procedure_key("1.001612") == "1.001612"


def _import_records(tmp_path, records, name="x.json"):
    path = tmp_path / name
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    from metrics import db, reference

    con = db.connect(tmp_path / "v.duckdb")
    reference.load_csv(con, "units", UNITS_CSV)
    try:
        summary = ingest.import_file(con, path)
        rows = con.execute("SELECT dossier_code, channel, status, rating, received_at FROM dossiers").fetchall()
    finally:
        con.close()
    return summary, {r[0]: r[1:] for r in rows}


def _one(value_key, value, **extra):
    base = {"MaHoSo": "V-1", "TrangThaiHoSo": 4, "NgayTiepNhan": "04/03/2024", "KenhThucHien": 1, "DanhGia": None}
    return [{**base, value_key: value, **extra}]


@pytest.mark.parametrize(
    "label",
    [
        "Qua bưu chính công ích",
        "Nộp qua bưu chính công ích",
        "Dịch vụ bưu chính",
        "BCCI",
        "Qua buu chinh cong ich",
        "Gửi qua Bưu điện tỉnh",
        "3 - Bưu chính",
    ],
)
def test_postal_labels_seen_in_the_field_are_postal(tmp_path, label):
    summary, rows = _import_records(tmp_path, _one("KenhThucHien", label))
    assert summary.rows_quarantined == 0 and rows["V-1"][0] == "postal"


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("Đã trả kết quả", 10),
        ("Đang xử lý", 4),
        ("Chờ bổ sung", 5),
        ("Từ chối tiếp nhận", 3),
        ("interoperating", 4),
        ("posting", 9),
        ("DONE", 10),
        ("Da tra ket qua", 10),
        ("10 - Đã trả kết quả", 10),
        ("4. Đang xử lý", 4),
    ],
)
def test_statuses_written_as_words_or_portal_codes(tmp_path, word, status):
    summary, rows = _import_records(tmp_path, _one("TrangThaiHoSo", word))
    assert summary.rows_quarantined == 0 and rows["V-1"][1] == status


@pytest.mark.parametrize(
    ("label", "channel"),
    [("Nộp trực tiếp tại Bộ phận Một cửa", "direct"), ("Trực tuyến mức độ 4", "online"), ("2 - Trực tuyến", "online")],
)
def test_a_longer_channel_label_is_read_by_the_words_it_contains(tmp_path, label, channel):
    summary, rows = _import_records(tmp_path, _one("KenhThucHien", label))
    assert summary.rows_quarantined == 0 and rows["V-1"][0] == channel


def test_a_channel_no_word_explains_is_quarantined_not_guessed(tmp_path):
    summary, rows = _import_records(tmp_path, _one("KenhThucHien", "Fax"))
    assert summary.rows_quarantined == 1 and rows == {}


@pytest.mark.parametrize("word", ["Chưa đánh giá", "0", None])
def test_a_not_rated_word_is_no_rating_and_not_a_bad_row(tmp_path, word):
    summary, rows = _import_records(tmp_path, _one("DanhGia", word))
    assert summary.rows_quarantined == 0 and rows["V-1"][2] is None


@pytest.mark.parametrize(
    "value",
    [
        "/Date(1709514000000)/",
        "1709514000000",
        "2024/03/04 08:00",
        "20240304080000",
        "04/03/2024 8:00:00 SA",  # Vietnamese Windows locale: SA = AM
        "2024-03-04 08:00 AM",
    ],
)
def test_json_api_date_spellings_are_read_as_local_time(tmp_path, value):
    _, rows = _import_records(tmp_path, _one("NgayTiepNhan", value))
    assert rows["V-1"][3] == dt.datetime(2024, 3, 4, 8, 0)


def test_a_status_written_as_an_object_takes_its_id(tmp_path):
    _, rows = _import_records(tmp_path, _one("TrangThaiHoSo", {"Id": 10, "Ten": "Đã trả kết quả"}))
    assert rows["V-1"][1] == 10


def test_a_list_sent_as_a_json_string_inside_the_envelope_is_found(tmp_path):
    doc = {"success": True, "d": {"items": json.dumps(_one("KenhThucHien", 2), ensure_ascii=False)}}
    summary, rows = _import_records(tmp_path, doc)
    assert rows["V-1"][0] == "online"
    assert summary.report["parts"][0]["name"] == "$.d.items"


def test_json_lines_are_read_one_record_per_line(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in _one("MaHoSo", "V-1") + _one("MaHoSo", "V-2")), encoding="utf-8")
    con = duckdb.connect(str(tmp_path / "l.duckdb"))
    con.execute((ingest.SQL_DIR.parent / "schema.sql").read_text(encoding="utf-8"))
    try:
        assert ingest.import_file(con, path).rows_accepted == 2
    finally:
        con.close()


def test_a_header_repeated_on_every_printed_page_is_not_a_dossier(tmp_path):
    text = "Mã hồ sơ;Trạng thái;Ngày tiếp nhận\r\nP-1;Đang xử lý;01/03/2024\r\nMã hồ sơ;Trạng thái;Ngày tiếp nhận\r\nP-2;Đang xử lý;02/03/2024\r\n"
    path = tmp_path / "pages.csv"
    path.write_text(text, encoding="utf-8")
    con = duckdb.connect(str(tmp_path / "p.duckdb"))
    con.execute((ingest.SQL_DIR.parent / "schema.sql").read_text(encoding="utf-8"))
    try:
        s = ingest.import_file(con, path)
    finally:
        con.close()
    assert (s.rows_accepted, s.rows_quarantined, s.rows_skipped) == (2, 0, 1)


@pytest.mark.parametrize("value", ["04/03/2024 8:00:00 CH", "2024-03-04 08:00 PM"])
def test_an_afternoon_time_is_never_read_as_morning(tmp_path, value):
    _, rows = _import_records(tmp_path, _one("NgayTiepNhan", value))
    assert rows["V-1"][3] == dt.datetime(2024, 3, 4, 20, 0)


def test_a_csv_with_an_excel_sep_line_is_read(tmp_path):
    path = tmp_path / "sep.csv"
    path.write_text("sep=;\r\nMã hồ sơ;Trạng thái;Ngày tiếp nhận\r\nS-1;Đang xử lý;01/03/2024\r\n", encoding="utf-8")
    con = duckdb.connect(str(tmp_path / "s.duckdb"))
    con.execute((ingest.SQL_DIR.parent / "schema.sql").read_text(encoding="utf-8"))
    try:
        assert ingest.import_file(con, path).rows_accepted == 1
    finally:
        con.close()


def test_a_procedure_name_is_cleaned_even_where_the_catalogue_writes_it_the_same_unclean_way(tmp_path):
    """A name equal to its code's catalogue name skips the cleaning only when the
    catalogue's name is clean itself (normalize.sql): one with doubled spaces or NFD
    accents in the catalogue is still cleaned in the dossier."""
    import unicodedata

    from metrics import db

    nfd = unicodedata.normalize("NFD", "Đăng ký khai tử")
    con = db.connect(tmp_path / "v.duckdb")
    con.execute("DELETE FROM procedures")
    con.execute(
        "INSERT INTO procedures VALUES ('1.1', 'Cấp  phép', 'Xây dựng', 'full'), (?, ?, 'Hộ tịch', 'full'), "
        "('3.3', 'Đăng ký kết hôn', 'Hộ tịch', 'full')",
        ["2.2", nfd],
    )
    path = tmp_path / "x.csv"
    path.write_text(
        "Mã hồ sơ,Mã TTHC,Tên TTHC,Trạng thái,Ngày tiếp nhận\n"
        "A-1,1.1,Cấp  phép,Đã tiếp nhận,01/03/2024\n"
        f"A-2,2.2,{nfd},Đã tiếp nhận,01/03/2024\n"
        "A-3,3.3,Đăng ký kết hôn,Đã tiếp nhận,01/03/2024\n"
        "A-4,3.3, Đăng ký kết hôn,Đã tiếp nhận,01/03/2024\n",
        encoding="utf-8",
    )
    try:
        ingest.import_file(con, path)
        names = dict(con.execute("SELECT dossier_code, procedure_name FROM dossiers").fetchall())
    finally:
        con.close()
    assert names == {"A-1": "Cấp phép", "A-2": "Đăng ký khai tử", "A-3": "Đăng ký kết hôn", "A-4": "Đăng ký kết hôn"}
