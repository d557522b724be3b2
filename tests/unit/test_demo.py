"""The demo province: realistic canonical records, working-day due dates, and exports in
the four vendor shapes the importer has to take (docs/data-contract.md §4)."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from datetime import date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from metrics import demo
from metrics import workdays as wcal
from metrics.record import CANONICAL_COLUMNS, STATUSES
from metrics.registry import TIER_CODES as TIERS

SMALL = 3_000
MEDIUM = 20_000
TARGETS = {"department": 0.80, "district": 0.40, "commune": 0.30}
CODE_RE = re.compile(r"^(\d{3}\.\d{2}\.\d{2}\.H56)-(\d{6})-(\d{4,})$")


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    return demo.generate(SMALL, seed=11)


@pytest.fixture(scope="module")
def medium() -> pd.DataFrame:
    return demo.generate(MEDIUM, seed=42)


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory, small: pd.DataFrame) -> list[Path]:
    return demo.write_exports(small, tmp_path_factory.mktemp("exports"), seed=11)


def _bad_rows(df: pd.DataFrame) -> pd.Series:
    ended = df["resolved_at"].fillna(df["returned_at"])
    return (
        (df["resolved_at"] < df["received_at"])
        | (df["due_at"] < df["received_at"])
        | (df["status"].isin([9, 10]) & ended.isna())
    )


# --------------------------------------------------------------------------- calendar


def test_a_working_day_after_the_eve_of_tet_2024_is_the_day_after_the_break() -> None:
    # Tết Giáp Thìn: 08/02 to 14/02/2024 off; Wednesday 07/02 + 1 working day = 15/02.
    assert wcal.add_working_days(date(2024, 2, 7), 1) == date(2024, 2, 15)


def test_friday_plus_one_working_day_is_monday_and_keeps_the_time() -> None:
    assert wcal.add_working_days(datetime(2024, 3, 8, 9, 30), 1) == datetime(2024, 3, 11, 9, 30)


def test_a_start_on_a_holiday_rolls_forward_before_counting() -> None:
    # 30/04 and 01/05/2025 are holidays, 02/05 a bridged day: the desk reopens on 05/05.
    assert wcal.add_working_days(date(2025, 4, 30), 0) == date(2025, 5, 5)
    assert not wcal.is_working_day(date(2025, 9, 2))
    assert wcal.is_working_day(date(2025, 9, 3))


def test_working_days_between_counts_the_tet_break_out() -> None:
    # 01/02 to 29/02/2024: 21 weekdays minus 5 Tết weekdays.
    assert wcal.working_days_between(date(2024, 2, 1), date(2024, 3, 1)) == 16


def test_the_array_helper_agrees_with_numpy_busday_offset() -> None:
    rng = np.random.default_rng(0)
    days = np.datetime64("2023-12-01") + rng.integers(0, 700, 5_000).astype("timedelta64[D]")
    n = rng.integers(0, 40, 5_000)
    expected = np.busday_offset(days, n, roll="forward", busdaycal=wcal.business_calendar())
    assert (wcal.add_working_days_array(days, n) == expected).all()


def test_holidays_cover_every_year_from_2023_to_2026() -> None:
    years = {d.year for d, _ in wcal.load_holidays()}
    assert years == {2023, 2024, 2025, 2026}
    names = {name for _, name in wcal.load_holidays()}
    assert any("Giỗ Tổ" in n for n in names) and any("Quốc khánh" in n for n in names)


# --------------------------------------------------------------------------- catalogues


def test_units_catalogue_has_three_tiers_with_vietnamese_names() -> None:
    units = demo.load_units()
    assert list(units.columns) == ["unit_code", "unit_name", "tier"]
    counts = units["tier"].value_counts()
    assert 15 <= counts["department"] <= 20 and 10 <= counts["district"] <= 13 and 60 <= counts["commune"] <= 120
    assert units["unit_code"].is_unique
    assert units["unit_code"].str.fullmatch(r"\d{3}\.\d{2}\.\d{2}\.H56").all()
    assert "Sở Tư pháp" in set(units["unit_name"])


def test_procedures_catalogue_keeps_codes_as_text_and_marks_online_services() -> None:
    procs = demo.load_procedures()
    assert list(procs.columns) == ["procedure_code", "procedure_name", "field_name", "online_service"]
    assert procs["procedure_code"].is_unique
    assert procs["procedure_code"].str.fullmatch(r"\d\.\d{6}").all()
    assert set(procs["online_service"]) == {"full", "partial", "none"}
    birth = procs.set_index("procedure_code").loc["1.001193"]
    assert birth["procedure_name"] == "Thủ tục đăng ký khai sinh" and birth["field_name"] == "Hộ tịch"


# --------------------------------------------------------------------------- generation


def test_generation_is_deterministic_for_a_seed(small: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(small, demo.generate(SMALL, seed=11))
    other = demo.generate(SMALL, seed=12)
    assert not small["dossier_code"].equals(other["dossier_code"])


def test_records_have_the_canonical_columns_and_types(small: pd.DataFrame) -> None:
    assert tuple(small.columns) == CANONICAL_COLUMNS
    assert len(small) == SMALL
    for col in ("received_at", "due_at", "resolved_at", "returned_at", "apology_issued_at"):
        assert pd.api.types.is_datetime64_dtype(small[col])
    assert set(small["tier"].unique()) == set(TIERS)
    assert set(small["channel"].unique()) <= {"online", "direct", "postal"}


def test_dossier_codes_are_unique_and_name_agency_and_day(small: pd.DataFrame) -> None:
    codes = small["dossier_code"].astype(str)
    assert codes.is_unique
    parts = codes.str.extract(CODE_RE)
    assert parts.notna().all().all()
    assert (parts[0] == small["agency_code"].astype(str)).all()
    received = small["received_at"].notna()
    assert (parts.loc[received, 1] == small.loc[received, "received_at"].dt.strftime("%y%m%d")).all()


def test_records_are_sorted_by_receipt(small: pd.DataFrame) -> None:
    received = small["received_at"].dropna()
    assert received.is_monotonic_increasing


def test_due_dates_are_legal_working_days_after_receipt(medium: pd.DataFrame) -> None:
    legal = {code: days for code, _handlers, days, _w in demo.PROCEDURE_PLAN}
    rows = medium[medium["due_at"].notna() & ~_bad_rows(medium)]
    received = rows["received_at"].to_numpy().astype("datetime64[D]")
    due = rows["due_at"].to_numpy().astype("datetime64[D]")
    n = rows["procedure_code"].astype(str).map(legal).to_numpy()
    expected = np.busday_offset(received, n, roll="forward", busdaycal=wcal.business_calendar())
    assert (due == expected).all()
    assert np.is_busday(due, busdaycal=wcal.business_calendar()).all()


def test_online_shares_sit_near_tier_targets_with_units_on_both_sides(medium: pd.DataFrame) -> None:
    received = medium[~medium["status"].isin([1, 3])]
    online = received["channel"].astype(str) == "online"
    by_tier = online.groupby(received["tier"].astype(str)).mean()
    for tier, target in TARGETS.items():
        assert target - 0.03 <= by_tier[tier] <= target + 0.08, (tier, by_tier[tier])
    per_unit = online.groupby([received["tier"].astype(str), received["agency_code"].astype(str)]).agg(["mean", "size"])
    per_unit = per_unit[per_unit["size"] >= 40]
    for tier, target in TARGETS.items():
        rates = per_unit.loc[tier, "mean"]
        assert (rates > target + 0.05).any() and (rates < target - 0.05).any(), tier


def test_every_status_is_present_and_registered_dossiers_have_no_receipt(medium: pd.DataFrame) -> None:
    assert set(medium["status"].unique()) == set(STATUSES)
    registered = medium[medium["status"] == 1]
    assert registered["received_at"].isna().all() and (registered["channel"].astype(str) == "online").all()
    assert medium.loc[medium["status"] != 1, "received_at"].notna().all()
    assert medium.loc[medium["status"] == 3, "due_at"].isna().all()


def test_resolved_dossiers_are_mostly_on_time_with_some_units_worse(medium: pd.DataFrame) -> None:
    done = medium[medium["status"].isin([9, 10]) & ~_bad_rows(medium)]
    end = done["resolved_at"].fillna(done["returned_at"]).dt.normalize()
    on_time = done["due_at"].isna() | (end <= done["due_at"].dt.normalize())
    assert 0.96 <= on_time.mean() <= 0.995
    per_unit = on_time.groupby(done["agency_code"].astype(str)).agg(["mean", "size"])
    per_unit = per_unit[per_unit["size"] >= 100]
    assert (per_unit["mean"] < 0.96).any() and (per_unit["mean"] > 0.98).any()


def test_late_dossiers_come_with_and_without_apology_letters(medium: pd.DataFrame) -> None:
    done = medium[medium["status"].isin([9, 10]) & medium["due_at"].notna() & ~_bad_rows(medium)]
    end = done["resolved_at"].fillna(done["returned_at"]).dt.normalize()
    late = done[end > done["due_at"].dt.normalize()]
    with_letter = late["apology_issued_at"].notna()
    assert with_letter.any() and (~with_letter).any()
    issued = late.loc[with_letter]
    before_due = issued["apology_issued_at"].dt.normalize() <= issued["due_at"].dt.normalize()
    assert 0.5 <= before_due.mean() < 1.0
    on_time = done[end <= done["due_at"].dt.normalize()]
    assert on_time["apology_issued_at"].isna().all()


def test_supplements_ratings_and_open_dossiers_look_like_a_province(medium: pd.DataFrame) -> None:
    supplements = medium["supplement_count"]
    assert supplements.between(0, 3).all() and (supplements > 1).sum() > 0 and (supplements == 0).mean() > 0.85
    done = medium[medium["status"].isin([9, 10])]
    rated = done["rating"].dropna()
    assert 0.55 <= len(rated) / len(done) <= 0.75
    assert 0.92 <= (rated >= 4).mean() <= 0.98
    assert medium.loc[~medium["status"].isin([9, 10]), "rating"].isna().all()
    still_open = medium[medium["status"].isin([2, 4, 5, 6])]
    assert still_open["resolved_at"].isna().all()
    assert (still_open["due_at"] < pd.Timestamp("2025-06-30")).any()


def test_a_handful_of_records_break_each_data_quality_rule(medium: pd.DataFrame) -> None:
    resolved_before = (medium["resolved_at"] < medium["received_at"]).sum()
    due_before = (medium["due_at"] < medium["received_at"]).sum()
    no_end = (medium["status"].isin([9, 10]) & medium["resolved_at"].isna() & medium["returned_at"].isna()).sum()
    assert resolved_before >= 1 and due_before >= 1 and no_end >= 1
    assert resolved_before + due_before + no_end <= 0.002 * len(medium)


def test_volume_dips_after_tet(medium: pd.DataFrame) -> None:
    per_week = medium["received_at"].dt.to_period("W").value_counts()
    after_tet = per_week[pd.Period("2024-02-12", "W")]
    before_tet = per_week[pd.Period("2024-01-22", "W")]
    assert after_tet < 0.5 * before_tet


# --------------------------------------------------------------------------- exports


def _read_csv_rows(path: Path) -> tuple[str, list[dict[str, str]]]:
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        text = raw[3:].decode("utf-8")
        kind = "utf8"
    else:
        text = raw.decode("cp1258")
        kind = "cp1258"
    text = unicodedata.normalize("NFC", text)
    delimiter = ";" if kind == "utf8" else ","
    return kind, list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def _codes_in(path: Path) -> list[str]:
    if path.suffix == ".json":
        return [o["MaHoSo"] for o in json.loads(path.read_text(encoding="utf-8"))]
    if path.suffix == ".csv":
        _, rows = _read_csv_rows(path)
        return [r["Mã hồ sơ"] for r in rows]
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return [str(r[1]) for r in sheet if CODE_RE.match(str(r[1]))]


def test_exports_come_in_all_four_shapes_in_chronological_order(exports: list[Path]) -> None:
    names = [p.name for p in exports]
    assert all(p.exists() and p.stat().st_size > 0 for p in exports)
    assert names == sorted(names, key=lambda n: n[:7])
    assert {p.suffix for p in exports} == {".xlsx", ".csv", ".json"}
    kinds = {_read_csv_rows(p)[0] for p in exports if p.suffix == ".csv"}
    assert kinds == {"utf8", "cp1258"}
    assert len({n[:7] for n in names}) == 18  # January 2024 to June 2025


def test_every_dossier_reaches_some_export_and_the_latest_file_has_its_final_status(
    exports: list[Path], small: pd.DataFrame
) -> None:
    seen: dict[str, Path] = {}
    for path in exports:
        for code in _codes_in(path):
            seen[code] = path
    codes = set(small["dossier_code"].astype(str))
    assert codes <= set(seen)
    extra = set(seen) - codes
    assert extra and all(c.endswith(("-9901", "-9902")) for c in extra)  # rows meant for quarantine
    last_json = [p for p in exports if p.suffix == ".json"]
    statuses = {}
    for path in last_json:
        for o in json.loads(path.read_text(encoding="utf-8")):
            statuses[o["MaHoSo"]] = o["TrangThaiHoSo"]
    truth = small.set_index(small["dossier_code"].astype(str))["status"]
    assert all(truth[c] == s for c, s in statuses.items())


def test_monthly_exports_overlap_and_some_files_repeat_a_row(exports: list[Path]) -> None:
    appearances: dict[str, int] = {}
    duplicated_inside_a_file = False
    for path in exports:
        codes = _codes_in(path)
        if len(codes) != len(set(codes)):
            duplicated_inside_a_file = True
        for code in set(codes):
            appearances[code] = appearances.get(code, 0) + 1
    assert duplicated_inside_a_file
    assert any(n > 1 for n in appearances.values())


def test_district_csv_is_utf8_with_bom_semicolons_and_vietnamese_values(exports: list[Path]) -> None:
    path = next(p for p in exports if p.name.endswith("cap-huyen_mot-cua.csv"))
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    _, rows = _read_csv_rows(path)
    good = [r for r in rows if not r["Mã hồ sơ"].endswith(("-9901", "-9902"))]
    assert {r["Cấp"] for r in good} == {"Cấp huyện"}
    assert {r["Kênh tiếp nhận"] for r in good} <= {"Nộp trực tuyến", "Trực tiếp", "Qua bưu điện"}
    assert {r["Tình trạng"] for r in good} <= {name for name, _ in STATUSES.values()}
    assert all(re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}", r["Ngày tiếp nhận"]) for r in good)
    assert "Số điện thoại" in rows[0]  # personal data the importer must leave out


def test_windows_1258_file_decodes_to_the_catalogue_names(exports: list[Path]) -> None:
    path = next(p for p in exports if p.name.endswith("win1258.csv"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    _, rows = _read_csv_rows(path)
    units = demo.load_units().set_index("unit_code")["unit_name"]
    procs = demo.load_procedures().set_index("procedure_code")["procedure_name"]
    assert rows
    for r in rows:
        assert r["Cơ quan giải quyết"].strip() == units[r["Mã đơn vị"]]
        assert r["Tên TTHC"] == procs[r["Mã TTHC"]]


def test_cp1258_encoding_round_trips_every_vietnamese_letter() -> None:
    text = "Thủ tục đăng ký kết hôn; Ỹ ỹ Ặ ặ Ệ ệ Ợ ợ Ự ự Đ đ"
    assert unicodedata.normalize("NFC", demo.encode_cp1258(text).decode("cp1258")) == text


def test_sync_json_uses_the_national_shape(exports: list[Path]) -> None:
    path = next(p for p in exports if p.suffix == ".json")
    records = json.loads(path.read_text(encoding="utf-8"))
    first = records[0]
    for key in ("MaHoSo", "MaTTHC", "TenTTHC", "TenLinhVuc", "KenhThucHien", "NgayTiepNhan", "NgayHenTra",
                "NgayKetThucXuLy", "NgayTra", "TrangThaiHoSo", "DonViXuLy"):  # fmt: skip
        assert key in first
    units = demo.load_units().set_index("unit_code")["tier"]
    assert all(units[o["MaHoSo"].split("-")[0]] == "commune" for o in records)
    assert {o["KenhThucHien"] for o in records} <= {1, 2, 3}
    dated = [o["NgayTiepNhan"] for o in records if o["NgayTiepNhan"]]
    assert all(re.fullmatch(r"\d{14}", d) for d in dated)


def test_department_workbook_is_shaped_like_a_printed_report(exports: list[Path]) -> None:
    books = [p for p in exports if p.suffix == ".xlsx"]
    for path in books[:2]:  # January: dates as text; February: real Excel dates
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        first_cells = [str(r[0]) for r in sheet]
        assert first_cells[0] == "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"
        assert "SỔ THEO DÕI HỒ SƠ" in first_cells
        assert any(c.startswith("Từ ngày 01/") for c in first_cells)
        header_at = next(i for i, r in enumerate(sheet) if r[1] == "Số hồ sơ")
        assert sheet[header_at + 1][:3] == ["(1)", "(2)", "(3)"]
        assert "Số CCCD" in sheet[header_at]
        data = [r for r in sheet if CODE_RE.match(str(r[1]))]
        total = next(c for c in first_cells if c.startswith("Tổng cộng:"))
        assert total == f"Tổng cộng: {len(data):,} hồ sơ".replace(",", ".")
        flat = {str(c) for r in sheet for c in r}
        assert {"Người lập biểu", "Thủ trưởng đơn vị"} <= flat
        received = sheet[header_at].index("Ngày nhận hồ sơ")
        kinds = {type(r[received]) for r in data}
        assert kinds == ({str} if "_2024-01_" in f"_{path.name[:7]}_" else {datetime})


# --------------------------------------------------------------------------- benchmark files


def test_bench_csv_is_one_vendor_shaped_file_duckdb_can_read(tmp_path: Path) -> None:
    path = demo.write_bench_csv(tmp_path / "bench.csv", 2_000, seed=3)
    rel = duckdb.sql("SELECT * FROM read_csv(?, header = true, all_varchar = true)", params=[str(path)])
    assert rel.shape[0] == 2_000
    assert rel.columns[:3] == ["Mã hồ sơ", "Mã TTHC", "Tên TTHC"]
    statuses = {r[0] for r in duckdb.sql('SELECT DISTINCT "Trạng thái" FROM rel').fetchall()}
    assert statuses <= {name for name, _ in STATUSES.values()}


def test_bench_xlsx_is_report_shaped(tmp_path: Path) -> None:
    path = demo.write_bench_xlsx(tmp_path / "bench.xlsx", 500, seed=3)
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert sum(1 for r in sheet if CODE_RE.match(str(r[1]))) == 500
    assert any(str(r[0]) == "Tổng cộng: 500 hồ sơ" for r in sheet)


# --------------------------------------------------------------------------- whole demo


def test_build_demo_imports_every_export_without_losing_a_dossier(tmp_path: Path) -> None:
    pytest.importorskip("metrics.ingest")
    from metrics import db

    con = db.connect(tmp_path / "demo.duckdb")
    try:
        summaries = demo.build_demo(
            con, n_dossiers=SMALL, seed=11, out_dir=tmp_path / "exports", start=date(2024, 1, 1), end=date(2024, 3, 31)
        )
        assert len(summaries) == len(list((tmp_path / "exports").iterdir())) == 12
        stored = con.execute("SELECT count(*), count(DISTINCT dossier_code) FROM dossiers").fetchone()
        assert stored == (SMALL, SMALL)
        assert sum(s.rows_quarantined for s in summaries) == 2
    finally:
        con.close()
