"""Golden figures for issue 13, counted by hand: dossiers due soon across the Hùng Vương
and 30/04 holidays, late budgets (on track, exactly at target with no last year, already
failed, below but recoverable, zero volume, the province) and the 766 estimate.

The exports are written as real CSV files and imported through the CLI; every expected
number is worked out in the comment beside it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from metrics import forecast
from tests.conftest import prepare_db, run_cli, run_cli_json

HEADER = [
    "dossier_code",
    "agency_code",
    "agency_name",
    "tier",
    "channel",
    "received_at",
    "due_at",
    "resolved_at",
    "status",
    "supplement_count",
    "rating",
]
TP, KH, HM, BH = "000.00.06.H56", "000.00.12.H56", "000.30.31.H56", "000.31.32.H56"


def _write(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


def _imported(tmp: Path, rows: list[list[object]]) -> Path:
    db = prepare_db(tmp / "ahead.duckdb")
    run_cli("ingest", _write(tmp / "export.csv", rows), db=db, check=True)
    return db


# ----------------------------------------------------------------------------- due soon
# Friday 24/04/2026. Mon 27/04 is the day off for Giỗ Tổ Hùng Vương, Thu 30/04 and Fri
# 01/05 are holidays: the working days after Friday are Tue 28/04, Wed 29/04, Mon 04/05.


def _open(code: str, unit: str, received: str, due: str, status: int = 4, resolved: str = "") -> list[object]:
    return [code, unit, "UBND xã Hương Minh", "Cấp xã", "direct", received, due, resolved, status, 0, ""]


@pytest.fixture(scope="module")
def due_db(tmp_path_factory) -> Path:
    rows = [
        _open("DS-01", HM, "2026-04-20T08:00:00", "2026-04-24T17:00:00"),  # due on A: 0 days left
        _open("DS-02", HM, "2026-04-20T08:00:00", "2026-04-27T17:00:00"),  # due on the day off: 0
        _open("DS-03", HM, "2026-04-21T08:00:00", "2026-04-28T17:00:00"),  # Tue: 1
        _open("DS-04", HM, "2026-04-22T08:00:00", "2026-04-29T17:00:00"),  # Wed: 2
        _open("DS-05", HM, "2026-04-23T08:00:00", "2026-05-04T17:00:00"),  # Mon 04/05: 3
        _open("DS-06", HM, "2026-04-15T08:00:00", "2026-04-23T17:00:00"),  # already overdue
        _open("DS-07", HM, "2026-04-20T08:00:00", "2026-04-28T17:00:00", 10, "2026-04-23T10:00:00"),  # ended
        _open("DS-08", HM, "2026-04-21T08:00:00", "2026-04-28T17:00:00", 5),  # waits for papers: 1
        _open("DS-09", HM, "2026-04-24T16:00:00", "2026-04-28T17:00:00", 7),  # withdrawn
        _open("DS-10", HM, "2026-04-23T08:00:00", "2026-04-29T17:00:00", 3),  # refused at intake
        # Phường Bắc Hồng's data stops on Wed 22/04 (its data date): Thu 23, Fri 24 remain
        _open("DS-11", BH, "2026-04-22T08:00:00", "2026-04-24T17:00:00"),
    ]
    return _imported(tmp_path_factory.mktemp("due"), rows)


def _due(db: Path, *args: str) -> dict[str, int]:
    out = run_cli_json("due-soon", *args, db=db)
    return {r["dossier_code"]: r["working_days_left"] for r in out["rows"]}


def test_due_soon_counts_working_days_across_the_holidays(due_db):
    assert _due(due_db, "--as-of", "2026-04-24", "--unit", HM) == {
        "DS-01": 0,
        "DS-02": 0,
        "DS-03": 1,
        "DS-08": 1,
        "DS-04": 2,
    }


def test_more_days_reach_past_the_long_weekend(due_db):
    assert _due(due_db, "--as-of", "2026-04-24", "--unit", HM, "--days", "3")["DS-05"] == 3


def test_by_default_each_unit_is_seen_from_its_own_data_date(due_db):
    # Hương Minh's data date is Fri 24/04 (DS-09 received that day), Bắc Hồng's Wed 22/04
    out = run_cli_json("due-soon", db=due_db)
    rows = {r["dossier_code"]: r for r in out["rows"]}
    assert rows["DS-11"]["working_days_left"] == 2 and rows["DS-11"]["as_of"] == "2026-04-22"
    assert rows["DS-01"]["as_of"] == "2026-04-24"
    # sorted by due date, then unit: DS-11 (24/04, Bắc Hồng) after DS-01 (24/04, Hương Minh)
    assert [r["dossier_code"] for r in out["rows"]][:2] == ["DS-01", "DS-11"]


def test_a_pending_supplement_request_is_flagged(due_db):
    rows = run_cli_json("due-soon", "--as-of", "2026-04-24", db=due_db)["rows"]
    assert [r["dossier_code"] for r in rows if r["supplement_pending"]] == ["DS-08"]
    assert set(rows[0]) >= {"dossier_code", "unit_code", "due_at", "working_days_left", "unit_name"}


# ----------------------------------------------------------------------------- late budget


def _resolved(code: str, unit: str, year: int, on_time: bool, month: int = 1, **extra: object) -> list[object]:
    end_day = 15 if on_time else 25
    row = {
        "dossier_code": code,
        "agency_code": unit,
        "agency_name": unit,
        "tier": "Cấp xã" if unit not in (TP, KH) else "Cấp sở",
        "channel": extra.get("channel", "direct"),
        "received_at": f"{year}-{month:02d}-05T08:00:00",
        "due_at": f"{year}-{month:02d}-20T17:00:00",
        "resolved_at": f"{year}-{month:02d}-{end_day}T10:00:00",
        "status": 10,
        "supplement_count": extra.get("supplement_count", 0),
        "rating": extra.get("rating", ""),
    }
    return [row[h] for h in HEADER]


def _many(prefix: str, unit: str, year: int, n: int, late: int, month: int = 1) -> list[list[object]]:
    return [_resolved(f"{prefix}-{i:03d}", unit, year, i < n - late, month) for i in range(n)]


@pytest.fixture(scope="module")
def budget_db(tmp_path_factory) -> Path:
    rows: list[list[object]] = []
    # Sở Tư pháp: now R 100 / O 98; last year R1 80 (Jan), Q1 240 (June)
    rows += _many("TP6", TP, 2026, 100, 2) + _many("TP5", TP, 2025, 80, 0) + _many("TP5J", TP, 2025, 240, 0, 6)
    # Sở KH&ĐT: exactly at target, 97 / 100, nothing last year
    rows += _many("KH6", KH, 2026, 100, 3)
    # Hương Minh: already failed, 90 / 100; R1 100, Q1 10
    rows += _many("HM6", HM, 2026, 100, 10) + _many("HM5", HM, 2025, 100, 0) + _many("HM5J", HM, 2025, 10, 0, 6)
    # Bắc Hồng: below, 9 / 10; R1 10, Q1 300. Three online, two disliked, one of the
    # on-time ones asked twice for papers (late in the 766 sense).
    bh = [
        _resolved("BH6-0", BH, 2026, True, channel="online", rating=5),
        _resolved("BH6-1", BH, 2026, True, channel="online", rating=1),
        _resolved("BH6-2", BH, 2026, True, channel="online", rating=2),
        _resolved("BH6-3", BH, 2026, True, supplement_count=2),
        *[_resolved(f"BH6-{i}", BH, 2026, True) for i in range(4, 9)],
        _resolved("BH6-9", BH, 2026, False),
    ]
    rows += bh + _many("BH5", BH, 2025, 10, 0) + _many("BH5J", BH, 2025, 300, 0, 6)
    # X-ZERO (not in the catalogue, commune by its file): only last year, 5 + 5
    rows += _many("XZ5", "X-ZERO", 2025, 5, 0) + _many("XZ5J", "X-ZERO", 2025, 5, 0, 6)
    return _imported(tmp_path_factory.mktemp("budget"), rows)


def _budget(db: Path, *args: str) -> dict:
    out = run_cli_json("budget", "--from", "2026-01-01", "--to", "2026-12-31", "--as-of", "2026-03-31", *args, db=db)
    return {r["unit_code"]: r for r in out["rows"]}


def _fig(row: dict) -> tuple:
    keys = ("resolved", "on_time", "expected_remaining", "late_budget", "needed_on_time", "status")
    return tuple(row[k] for k in keys)


def test_a_unit_on_track_may_still_be_late_ten_times(budget_db):
    # E = round(240 × 100 / 80) = 300; floor(98 + 300 − 0.97 × 400) = floor(10) = 10
    row = _budget(budget_db)[TP]
    assert _fig(row) == (100, 98, 300, 10, 0, "on_track")
    assert (row["target"], row["basis"], row["resolved_last_year"], row["remaining_last_year"]) == (
        0.97,
        "last_year",
        80,
        240,
    )


def test_exactly_at_target_with_no_last_year_falls_back_to_this_years_pace(budget_db):
    # R1 = 0: E = round(100 × 275 / 90) = round(305,56) = 306 (275 days to 31/12, 90 since 01/01)
    # floor(97 + 306 − 0.97 × 406) = floor(9,18) = 9; needed ceil(0 / 0,03) = 0
    row = _budget(budget_db)[KH]
    assert _fig(row) == (100, 97, 306, 9, 0, "on_track")
    assert row["basis"] == "pace"


def test_a_unit_that_cannot_get_back_says_so_and_shows_no_negative_budget(budget_db):
    # E = round(10 × 100 / 100) = 10; floor(90 + 10 − 0.97 × 110) = floor(−6,7) < 0: null
    # needed = ceil((97 − 90) / 0,03) = ceil(233,3) = 234, more than the 10 still to come
    assert _fig(_budget(budget_db)[HM]) == (100, 90, 10, None, 234, "failed")


def test_a_unit_below_target_is_told_how_many_on_time_resolutions_bring_it_back(budget_db):
    # E = round(300 × 10 / 10) = 300; floor(9 + 300 − 0.97 × 310) = floor(8,3) = 8
    # needed = ceil((9,7 − 9) / 0,03) = ceil(23,3) = 24
    assert _fig(_budget(budget_db)[BH]) == (10, 9, 300, 8, 24, "below")


def test_zero_volume_is_no_data_never_a_budget_of_zero(budget_db):
    # R = 0, R1 = 5: E = round(5 × 0 / 5) = 0; nothing resolved, nothing expected
    assert _fig(_budget(budget_db)["X-ZERO"]) == (0, 0, 0, None, None, "no_data")


def test_the_province_budget_is_computed_from_its_sums(budget_db):
    # R 310, O 294, R1 195, Q1 555: E = round(555 × 310 / 195) = round(882,3) = 882
    # floor(294 + 882 − 0,97 × 1192) = floor(19,76) = 19; needed ceil((300,7 − 294) / 0,03) = 224
    out = run_cli_json(
        "budget", "--from", "2026-01-01", "--to", "2026-12-31", "--as-of", "2026-03-31", "--by", "all", db=budget_db
    )
    assert [_fig(r) for r in out["rows"]] == [(310, 294, 882, 19, 224, "below")]


def test_the_766_definition_uses_its_own_scope_and_on_time_count(budget_db):
    # Bắc Hồng in the 766 sense: 10 in scope, BH6-3 (two supplement requests) and BH6-9 late
    row = _budget(budget_db, "--on-time-definition", "766")[BH]
    assert (row["resolved"], row["on_time"]) == (10, 8)


# ----------------------------------------------------------------------------- 766 estimate


def test_the_766_estimate_of_a_unit_by_hand(budget_db):
    out = run_cli_json("score766", "--from", "2026-01-01", "--to", "2026-03-31", "--unit", BH, db=budget_db)
    (row,) = out["rows"]
    # tiến độ: 8 of 10 on time (766) × 20 = 16; online 3 / 10 = 30%: min(1, 0,3 / 0,5) × 6 = 3,6
    assert row["tien_do_points"] == pytest.approx(16.0)
    assert row["online_rate"] == pytest.approx(0.3) and row["online_points"] == pytest.approx(3.6)
    # form 5.4: 100% − (1 late / 10 + 2 disliked / 10) = 70%, a rate without points
    assert row["satisfaction_54_rate"] == pytest.approx(0.7)
    assert row["points"] == pytest.approx(19.6)
    assert (row["points_covered"], row["points_left_out"]) == (26.0, 74.0)
    assert row["covers"] == ["TDGQ", "CLGQ"]
    assert out["label"] == "ước tính — không thay thế điểm trên Cổng DVCQG"


def test_an_estimate_with_no_part_computed_has_no_points_not_zero():
    assert forecast.covered(None, None) == (0.0, None)
    assert forecast.satisfaction_54(0, 0, 0, 0) is None


def test_a_negative_number_of_working_days_is_refused_in_vietnamese(due_db):
    proc = run_cli("due-soon", "--days", "-1", db=due_db)
    assert proc.returncode == 2
    assert "số ngày làm việc không hợp lệ «-1»" in proc.stderr


def test_an_empty_due_soon_table_says_so_in_words(due_db):
    proc = run_cli("due-soon", "--as-of", "2026-06-01", "--format", "table", db=due_db, check=True)
    assert proc.stdout.strip() == "Không có hồ sơ nào sắp quá hạn (trong vòng 2 ngày làm việc)."
