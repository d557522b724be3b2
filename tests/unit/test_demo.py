"""The demo province: the 24 months before a fixed `today`, realistic canonical records,
working-day due dates, the two-tier reform of 01/07/2025 inside the window, and exports
in the four vendor shapes the importer has to take."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from metrics import demo
from metrics import workdays as wcal
from metrics.demo import bench
from metrics.demo.catalogue import COMMUNE_TIER, DISTRICT_TIER, MOVED_TO_PROVINCE, PROCEDURE_PLAN, PROVINCE_TIER
from metrics.record import CANONICAL_COLUMNS, STATUSES
from metrics.registry import DISTRICT_TIER_END, TIER_CODES
from tests.conftest import run_cli

SMALL = 3_000
MEDIUM = 20_000
TODAY = date(2026, 12, 1)  # the window 2024-12-01..2026-11-30 spans the reform
BEFORE_REFORM = date(2025, 1, 1)  # the window 2023-01-01..2024-12-31 does not
WINDOW = demo.window(TODAY)
REFORM = pd.Timestamp(DISTRICT_TIER_END + timedelta(days=1))
# The province's plan: online by tier, on time and satisfaction for every tier.
ONLINE_TARGET = {PROVINCE_TIER: 0.80, DISTRICT_TIER: 0.40, COMMUNE_TIER: 0.30}
ON_TIME_TARGET, SATISFACTION_TARGET = 0.97, 0.94
CODE_RE = re.compile(r"^(\d{3}\.\d{2}\.\d{2}\.H56)-(\d{6})-(\d{4,})$")


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    return demo.generate(SMALL, 11, *WINDOW)


@pytest.fixture(scope="module")
def medium() -> pd.DataFrame:
    return demo.generate(MEDIUM, 42, *WINDOW)


@pytest.fixture(scope="module")
def medium_before_reform() -> pd.DataFrame:
    return demo.generate(MEDIUM, 42, *demo.window(BEFORE_REFORM))


@pytest.fixture(scope="module")
def units() -> pd.DataFrame:
    return demo.load_units().set_index("unit_code")


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


# --------------------------------------------------------------------------- window


def test_the_demo_covers_the_24_full_months_before_today() -> None:
    assert demo.window(date(2026, 12, 1)) == (date(2024, 12, 1), date(2026, 11, 30))
    assert demo.window(date(2026, 12, 15)) == (date(2024, 12, 1), date(2026, 11, 30))
    assert demo.window(date(2025, 1, 1)) == (date(2023, 1, 1), date(2024, 12, 31))
    assert demo.window(date(2026, 3, 31)) == (date(2024, 3, 1), date(2026, 2, 28))


# --------------------------------------------------------------------------- catalogues


def test_units_catalogue_holds_every_unit_with_its_validity_and_successor() -> None:
    units = demo.load_units()
    assert list(units.columns) == ["unit_code", "unit_name", "tier", "valid_from", "valid_to", "successor_code"]
    assert units["unit_code"].is_unique  # so no code has two overlapping validity rows
    assert units["unit_code"].str.fullmatch(r"\d{3}\.\d{2}\.\d{2}\.H56").all()
    for col in ("valid_from", "valid_to"):
        dated = units.loc[units[col] != "", col]
        assert dated.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    ended = units[units["valid_to"] != ""]
    assert (ended["valid_to"] >= ended["valid_from"]).all()
    counts = units["tier"].value_counts()
    assert 15 <= counts[PROVINCE_TIER] <= 20 and counts[DISTRICT_TIER] == 13
    assert "Sở Tư pháp" in set(units["unit_name"])


def test_every_successor_exists_and_no_chain_loops(units: pd.DataFrame) -> None:
    successor = units["successor_code"]
    assert set(successor[successor != ""]) <= set(units.index)
    for code in units.index:
        seen = {code}
        while successor[code]:
            code = successor[code]
            assert code not in seen, f"successor cycle through {code}"
            seen.add(code)
    # A successor takes over on the day after its predecessor ends.
    for code, row in units[successor != ""].iterrows():
        day_after = date.fromisoformat(row["valid_to"]) + timedelta(days=1)
        assert units.loc[row["successor_code"], "valid_from"] == day_after.isoformat(), code


def test_districts_end_on_30_06_2025_and_hand_over_to_the_ward_at_their_seat(units: pd.DataFrame) -> None:
    districts = units[units["tier"] == DISTRICT_TIER]
    assert (districts["valid_to"] == DISTRICT_TIER_END.isoformat()).all()
    seats = units.loc[districts["successor_code"]]
    assert (seats["tier"] == COMMUNE_TIER).all() and (seats["valid_from"] == "2025-07-01").all()
    assert seats.index.is_unique  # each district to its own seat


def test_old_communes_merge_in_small_groups_into_new_communes_with_new_codes(units: pd.DataFrame) -> None:
    communes = units[units["tier"] == COMMUNE_TIER]
    old = communes[communes["valid_to"] != ""]
    new = communes[communes["valid_from"] == "2025-07-01"]
    assert 80 <= len(old) <= 120 and len(old) + len(new) == len(communes)
    assert (old["valid_to"] == DISTRICT_TIER_END.isoformat()).all() and (new["valid_to"] == "").all()
    assert set(old["successor_code"]) == set(new.index)
    assert not set(new.index) & set(old.index)
    group_sizes = old["successor_code"].value_counts()
    assert group_sizes.between(2, 4).all() and group_sizes.median() <= 3
    # Names are not keys: a new commune may carry the name of an old one.
    assert set(new["unit_name"]) & set(old["unit_name"])


def test_procedures_catalogue_keeps_codes_as_text_and_marks_online_services() -> None:
    procs = demo.load_procedures()
    assert list(procs.columns) == ["procedure_code", "procedure_name", "field_name", "online_service"]
    assert procs["procedure_code"].is_unique
    assert procs["procedure_code"].str.fullmatch(r"\d\.\d{6}").all()
    assert set(procs["online_service"]) == {"full", "partial", "none"}
    birth = procs.set_index("procedure_code").loc["1.001193"]
    assert birth["procedure_name"] == "Thủ tục đăng ký khai sinh" and birth["field_name"] == "Hộ tịch"


# --------------------------------------------------------------------------- generation


def test_generation_is_deterministic_for_a_seed_and_a_window(small: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(small, demo.generate(SMALL, 11, *WINDOW))
    other = demo.generate(SMALL, 12, *WINDOW)
    assert not small["dossier_code"].equals(other["dossier_code"])


def test_records_have_the_canonical_columns_and_types(small: pd.DataFrame) -> None:
    assert tuple(small.columns) == CANONICAL_COLUMNS
    assert len(small) == SMALL
    for col in ("received_at", "due_at", "resolved_at", "returned_at", "apology_issued_at"):
        assert pd.api.types.is_datetime64_dtype(small[col])
    assert set(small["tier"].unique()) == set(TIER_CODES)
    assert set(small["channel"].unique()) <= {"online", "direct", "postal"}


def test_every_dossier_falls_inside_the_window(small: pd.DataFrame) -> None:
    received = small["received_at"].dropna()
    assert received.min() >= pd.Timestamp(WINDOW[0]) and received.max() < pd.Timestamp(WINDOW[1]) + pd.Timedelta(days=1)
    assert received.dt.date.max() == WINDOW[1]


def _receiver(df: pd.DataFrame) -> pd.Series:
    return df["dossier_code"].astype(str).str.split("-").str[0]


def test_dossier_codes_are_unique_and_name_the_receiving_unit_and_day(small: pd.DataFrame, units: pd.DataFrame) -> None:
    codes = small["dossier_code"].astype(str)
    assert codes.is_unique
    parts = codes.str.extract(CODE_RE)
    assert parts.notna().all().all()
    agency = small["agency_code"].astype(str)
    same = parts[0] == agency
    assert (units.loc[parts.loc[~same, 0], "successor_code"].to_numpy() == agency[~same].to_numpy()).all()
    received = small["received_at"].notna()
    assert (parts.loc[received, 1] == small.loc[received, "received_at"].dt.strftime("%y%m%d")).all()


def test_records_are_sorted_by_receipt(small: pd.DataFrame) -> None:
    received = small["received_at"].dropna()
    assert received.is_monotonic_increasing


def test_due_dates_are_legal_working_days_after_receipt(medium: pd.DataFrame) -> None:
    legal = {code: days for code, _handlers, days, _w in PROCEDURE_PLAN}
    rows = medium[medium["due_at"].notna() & ~_bad_rows(medium)]
    received = rows["received_at"].to_numpy().astype("datetime64[D]")
    due = rows["due_at"].to_numpy().astype("datetime64[D]")
    n = rows["procedure_code"].astype(str).map(legal).to_numpy()
    expected = np.busday_offset(received, n, roll="forward", busdaycal=wcal.business_calendar())
    assert (due == expected).all()
    assert np.is_busday(due, busdaycal=wcal.business_calendar()).all()


# --------------------------------------------------------------------------- the reform


def test_no_dossier_is_received_after_30_06_2025_by_a_district_or_an_old_commune(
    medium: pd.DataFrame, units: pd.DataFrame
) -> None:
    receiver = _receiver(medium)
    valid_to = units.loc[receiver, "valid_to"].to_numpy()
    after = (medium["received_at"] >= REFORM).to_numpy()
    assert (valid_to[after] == "").all()
    before = (medium["received_at"] < REFORM).to_numpy()
    assert (units.loc[receiver[before], "valid_from"] < "2025-07-01").all()
    assert not (medium.loc[after, "tier"].astype(str) == DISTRICT_TIER).any()
    assert (medium.loc[before, "tier"].astype(str) == DISTRICT_TIER).any()


def test_dossiers_an_abolished_unit_had_not_finished_are_finished_by_its_successor(
    medium: pd.DataFrame, units: pd.DataFrame
) -> None:
    receiver = _receiver(medium)
    handed = medium[receiver != medium["agency_code"].astype(str)]
    assert len(handed) >= 20
    assert (handed["received_at"].dropna() < REFORM).all()
    assert (
        handed["agency_code"].astype(str).to_numpy() == units.loc[_receiver(handed), "successor_code"].to_numpy()
    ).all()
    assert (handed["tier"].astype(str) == COMMUNE_TIER).all()
    # The successor resolved it, or at least returned the result.
    finished = handed[handed["status"].isin([9, 10])]
    last_touch = finished[["resolved_at", "returned_at"]].max(axis=1)
    assert len(finished) and (last_touch >= REFORM).all()
    by_district = units.loc[_receiver(handed), "tier"] == DISTRICT_TIER
    assert by_district.any() and (~by_district).any()
    # A dossier the old unit finished itself stays with it.
    kept = medium[
        (receiver == medium["agency_code"].astype(str)).to_numpy() & (medium["received_at"] < REFORM).to_numpy()
    ]
    old = units.loc[_receiver(kept), "valid_to"].to_numpy() != ""
    kept_old = kept[old & kept["status"].isin([9, 10]).to_numpy()]
    assert not (kept_old[["resolved_at", "returned_at"]].max(axis=1) >= REFORM).any()


def test_district_procedures_move_to_the_communes_and_a_few_to_the_province(medium: pd.DataFrame) -> None:
    district_only = {code for code, handlers, _d, _w in PROCEDURE_PLAN if handlers == (DISTRICT_TIER,)}
    after = medium[(medium["received_at"] >= REFORM) & medium["procedure_code"].astype(str).isin(district_only)]
    assert len(after) > 100
    moved = after["procedure_code"].astype(str).isin(MOVED_TO_PROVINCE)
    assert (after.loc[~moved, "tier"].astype(str) == COMMUNE_TIER).all()
    assert (after.loc[moved, "tier"].astype(str) == PROVINCE_TIER).all() and moved.any()


def test_a_window_before_the_reform_has_no_new_commune_and_no_hand_over(
    medium_before_reform: pd.DataFrame, units: pd.DataFrame
) -> None:
    df = medium_before_reform
    assert (_receiver(df) == df["agency_code"].astype(str)).all()
    assert (units.loc[df["agency_code"].astype(str), "valid_from"] < "2025-07-01").all()
    halves = df["received_at"] < pd.Timestamp("2024-01-01")
    for half in (halves, ~halves):
        assert set(df.loc[half, "tier"].astype(str)) == set(TIER_CODES)


def _halves(df: pd.DataFrame, window: tuple[date, date]) -> list[pd.Series]:
    middle = pd.Timestamp(date(window[0].year + 1, window[0].month, 1))
    return [df["received_at"] < middle, df["received_at"] >= middle]


def _unit_rates(ok: pd.Series, rows: pd.DataFrame) -> pd.DataFrame:
    per_unit = ok.groupby([rows["tier"].astype(str), rows["agency_code"].astype(str)]).agg(["mean", "size"])
    return per_unit[per_unit["size"] >= 30]


@pytest.mark.parametrize("which", ["medium", "medium_before_reform"])
def test_every_tier_lands_on_both_sides_of_each_target_in_each_half(which: str, request: pytest.FixtureRequest) -> None:
    df = request.getfixturevalue(which)
    window = WINDOW if which == "medium" else demo.window(BEFORE_REFORM)
    for half in _halves(df, window):
        received = df[half & ~df["status"].isin([1, 3])]
        online = _unit_rates(received["channel"].astype(str) == "online", received)
        done = df[half & df["status"].isin([9, 10]) & ~_bad_rows(df)]
        end = done["resolved_at"].fillna(done["returned_at"]).dt.normalize()
        on_time = _unit_rates(done["due_at"].isna() | (end <= done["due_at"].dt.normalize()), done)
        rated = done[done["rating"].notna()]
        satisfied = _unit_rates(rated["rating"] >= 4, rated)
        tiers = set(received["tier"].astype(str))
        for tier in tiers:
            share = (received["channel"].astype(str) == "online")[received["tier"].astype(str) == tier].mean()
            assert ONLINE_TARGET[tier] - 0.03 <= share <= ONLINE_TARGET[tier] + 0.08, (tier, share)
            for rates, target in (
                (online, ONLINE_TARGET[tier]),
                (on_time, ON_TIME_TARGET),
                (satisfied, SATISFACTION_TARGET),
            ):
                r = rates.loc[tier, "mean"]
                assert (r >= target).any() and (r < target).any(), (which, tier, target)


def test_every_unit_has_data_up_to_its_last_day_in_the_window_and_none_after(
    small: pd.DataFrame, units: pd.DataFrame
) -> None:
    end = WINDOW[1].isoformat()
    last_day = units["valid_to"].where((units["valid_to"] != "") & (units["valid_to"] < end), end)
    stamps = ["received_at", "due_at", "resolved_at", "returned_at", "apology_issued_at"]
    touched = small[stamps[:1] + stamps[2:]].max(axis=1).dt.date.astype(str)
    seen = touched.groupby(small["agency_code"].astype(str)).max()
    assert (seen.reindex(units.index) == last_day).all()


def test_open_dossiers_near_the_end_include_overdue_ones_and_ones_due_in_the_next_days(medium: pd.DataFrame) -> None:
    end = pd.Timestamp(WINDOW[1]) + pd.Timedelta(days=1)
    still_open = medium[medium["status"].isin([2, 4, 5, 6])]
    assert still_open["resolved_at"].isna().all()
    assert (still_open["due_at"] < end).sum() >= 10
    assert ((still_open["due_at"] >= end) & (still_open["due_at"] < end + pd.Timedelta(days=14))).sum() >= 10


# --------------------------------------------------------------------------- a province's texture


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


def test_a_handful_of_records_break_each_data_quality_rule(medium: pd.DataFrame) -> None:
    resolved_before = (medium["resolved_at"] < medium["received_at"]).sum()
    due_before = (medium["due_at"] < medium["received_at"]).sum()
    no_end = (medium["status"].isin([9, 10]) & medium["resolved_at"].isna() & medium["returned_at"].isna()).sum()
    assert resolved_before >= 1 and due_before >= 1 and no_end >= 1
    assert resolved_before + due_before + no_end <= 0.002 * len(medium)


def test_volume_dips_after_tet(medium: pd.DataFrame) -> None:
    per_week = medium["received_at"].dt.to_period("W").value_counts()
    # Tết Bính Ngọ: 17/02/2026, desks closed 14/02 to 22/02.
    before_tet = per_week[pd.Period("2026-02-02", "W")]
    tet_week = per_week[pd.Period("2026-02-16", "W")]
    after_tet = per_week[pd.Period("2026-02-23", "W")]
    assert tet_week < 0.2 * before_tet and after_tet < 0.8 * before_tet


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
    assert len({n[:7] for n in names}) == 24  # December 2024 to November 2026


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
    assert all(units[o["MaHoSo"].split("-")[0]] == COMMUNE_TIER for o in records)
    assert {o["KenhThucHien"] for o in records} <= {1, 2, 3}
    dated = [o["NgayTiepNhan"] for o in records if o["NgayTiepNhan"]]
    assert all(re.fullmatch(r"\d{14}", d) for d in dated)
    assert "MaDonVi" not in first  # before the reform, the code prefix names the unit


def test_sync_json_after_the_reform_names_each_units_code(exports: list[Path], units: pd.DataFrame) -> None:
    later = [p for p in exports if p.suffix == ".json" and p.name[:7] >= "2025-07"]
    records = [o for p in later for o in json.loads(p.read_text(encoding="utf-8"))]
    assert records and all(units.loc[o["MaDonVi"], "tier"] == COMMUNE_TIER for o in records)
    assert all(units.loc[o["MaDonVi"], "valid_to"] == "" for o in records)
    assert all(units.loc[o["MaDonVi"], "unit_name"] == o["DonViXuLy"] for o in records)


def _agencies_in(path: Path) -> dict[str, str]:
    """Dossier code -> the unit code the file gives it (its own column, or the code's prefix)."""
    if path.suffix == ".json":
        return {o["MaHoSo"]: o.get("MaDonVi") or o["MaHoSo"].split("-")[0] for o in json.loads(path.read_bytes())}
    if path.suffix == ".csv":
        return {r["Mã hồ sơ"]: r["Mã đơn vị"] for r in _read_csv_rows(path)[1]}
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return {str(r[1]): str(r[5]) for r in sheet if CODE_RE.match(str(r[1]))}


def test_a_handed_over_dossier_is_open_under_its_old_unit_then_finished_under_the_successor(
    exports: list[Path], small: pd.DataFrame, units: pd.DataFrame
) -> None:
    handed = small[_receiver(small) != small["agency_code"].astype(str)]
    assert len(handed)
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for path in exports:
        (before if path.name[:7] < "2025-07" else after).update(_agencies_in(path))
    for code, agency in zip(handed["dossier_code"].astype(str), handed["agency_code"].astype(str), strict=True):
        receiver = code.split("-")[0]
        assert before[code] == receiver and units.loc[receiver, "successor_code"] == agency
        assert after[code] == agency
    # Every post-reform file names only units that exist after the reform.
    assert all(units.loc[a, "valid_to"] == "" for a in after.values())


def test_department_workbook_is_shaped_like_a_printed_report(exports: list[Path]) -> None:
    books = [p for p in exports if p.suffix == ".xlsx"]
    for path in books[:2]:  # December: real Excel dates; January: dates as text
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
        assert kinds == ({datetime} if int(path.name[5:7]) % 2 == 0 else {str})


# --------------------------------------------------------------------------- benchmark files


def test_bench_csv_is_one_vendor_shaped_file_duckdb_can_read(tmp_path: Path) -> None:
    path = bench.write_bench_csv(tmp_path / "bench.csv", 2_000, seed=3)
    rel = duckdb.sql("SELECT * FROM read_csv(?, header = true, all_varchar = true)", params=[str(path)])
    assert rel.shape[0] == 2_000
    assert rel.columns[:3] == ["Mã hồ sơ", "Mã TTHC", "Tên TTHC"]
    statuses = {r[0] for r in duckdb.sql('SELECT DISTINCT "Trạng thái" FROM rel').fetchall()}
    assert statuses <= {name for name, _ in STATUSES.values()}


def test_bench_xlsx_is_report_shaped(tmp_path: Path) -> None:
    path = bench.write_bench_xlsx(tmp_path / "bench.xlsx", 500, seed=3)
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert sum(1 for r in sheet if CODE_RE.match(str(r[1]))) == 500
    assert any(str(r[0]) == "Tổng cộng: 500 hồ sơ" for r in sheet)


# --------------------------------------------------------------------------- whole demo


def test_the_demo_command_imports_every_export_without_losing_a_dossier(tmp_path: Path) -> None:
    target, exports = tmp_path / "demo.duckdb", tmp_path / "exports"
    run_cli("demo", "--dossiers", SMALL, "--seed", 11, "--today", TODAY, "--out", exports, db=target, check=True)
    con = duckdb.connect(str(target), read_only=True)
    try:
        files = [p for p in exports.rglob("*") if p.is_file()]  # the exports, then scores/
        assert len(files) == con.execute("SELECT count(*) FROM imports").fetchone()[0]
        indices = {r[0] for r in con.execute("SELECT DISTINCT index_name FROM official_scores").fetchall()}
        assert "766" in indices and len(indices) >= 2  # the portal's table and a PAR INDEX file
        stored = con.execute("SELECT count(*), count(DISTINCT dossier_code) FROM dossiers").fetchone()
        assert stored == (SMALL, SMALL)
        assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 2
        # The later export wins: a handed-over dossier is stored under its successor.
        handed = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE u.valid_from = '2025-07-01') FROM dossiers d "
            "JOIN read_csv(?, all_varchar = true) u ON u.unit_code = d.agency_code "
            "WHERE split_part(d.dossier_code, '-', 1) <> d.agency_code",
            [str(demo.catalogue.UNITS_CSV)],
        ).fetchone()
        assert handed[0] > 0 and handed[0] == handed[1]
        late_district = con.execute(
            "SELECT count(*) FROM dossiers WHERE tier = ? AND received_date > ?", [DISTRICT_TIER, DISTRICT_TIER_END]
        ).fetchone()[0]
        assert late_district == 0
        # Each unit's data reaches its last day: the window's end, or 30/06/2025.
        data_dates = dict(
            con.execute(
                "SELECT agency_code, max(greatest(received_at, resolved_at, returned_at))::DATE FROM dossiers GROUP BY 1"
            ).fetchall()
        )
    finally:
        con.close()
    units = demo.load_units().set_index("unit_code")
    expected = units["valid_to"].replace("", WINDOW[1].isoformat())
    assert {code: d.isoformat() for code, d in data_dates.items()} == expected.to_dict()


def test_a_demo_before_the_reform_imports_the_three_tiers_and_old_units_only(tmp_path: Path) -> None:
    from metrics import db

    con = db.connect(tmp_path / "demo.duckdb")
    try:
        summaries = demo.build_demo(con, tmp_path / "exports", n_dossiers=SMALL, seed=11, today=BEFORE_REFORM)
        assert sum(s.rows_quarantined for s in summaries) == 2
        # every month has all four export systems, then the 766 table and the PAR file
        assert len(summaries) == 24 * 4 + 2
        rows = con.execute(
            "SELECT tier, count(DISTINCT agency_code), max(received_date) FROM dossiers GROUP BY 1"
        ).fetchall()
        codes = {c for (c,) in con.execute("SELECT DISTINCT agency_code FROM dossiers").fetchall()}
    finally:
        con.close()
    assert {tier for tier, _n, _last in rows} == set(TIER_CODES)
    assert {last for _t, _n, last in rows} == {date(2024, 12, 31)}
    units = demo.load_units().set_index("unit_code")
    assert (units.loc[sorted(codes), "valid_from"] < "2025-07-01").all()
