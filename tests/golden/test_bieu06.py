"""Biểu 06 (Circular 01/2020/TT-VPCP) for September 2025, counted by hand.

The catalogue (bieu06/units.csv): a department S-A; communes X-1, X-2 and X-3, the last
in force only from 10/09/2025. X-2's data stops on 12/09/2025. The export
(bieu06/export_2025_09.csv) holds, per dossier, the case the comment beside each figure
names; B-07 (withdrawn in P), B-08 (ended before P), B-09 (refused at intake), B-10
(received after P) and B-11 (due before received: a timeline breaker) are in no column.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import run_cli

HERE = Path(__file__).with_name("bieu06")
SEPTEMBER = (dt.date(2025, 9, 1), dt.date(2025, 9, 30))
COUNTS = (
    "carried_over",
    "new_online",
    "new_direct_postal",
    "received",
    "resolved_early",
    "resolved_on_due",
    "resolved_late",
    "resolved",
    "open_within_due",
    "open_overdue",
    "in_progress",
)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    from metrics import db, reference

    path = tmp_path_factory.mktemp("bieu06") / "bieu06.duckdb"
    c = db.connect(path)
    reference.load_csv(c, "units", HERE / "units.csv")
    c.close()
    run_cli("ingest", HERE / "export_2025_09.csv", db=path, check=True)
    c = db.connect(path, read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def table(con):
    from metrics import compute

    return compute.bieu06(con, *SEPTEMBER)


def _row(table, level: str, key: str | None = None) -> dict:
    col = "unit_code" if level == "unit" else "tier"
    rows = table[(table["level"] == level) & ((table[col] == key) if key else True)]
    assert len(rows) == 1, (level, key)
    return rows.iloc[0].to_dict()


def _counts(row: dict) -> tuple[int, ...]:
    return tuple(row[c] for c in COUNTS)


def test_the_department_row_counts_each_of_its_dossiers_once_in_the_right_column(table):
    # carried over: B-01, B-06; new online: B-04, B-05; new direct or postal: B-02, B-03;
    # early B-01; on due B-02 (on the day), B-04 (no due date); late B-03;
    # in progress within due B-05; overdue B-06 (finished 05/10, after P, due 20/09)
    assert _counts(_row(table, "unit", "S-A")) == (2, 2, 2, 6, 1, 2, 1, 4, 1, 1, 2)


def test_an_open_dossier_of_a_unit_whose_data_stops_is_judged_on_its_last_data_day(table):
    # X-2's data stops on 12/09: D-02 (due 20/09) is within due on that day, D-03 (due
    # 10/09) overdue; D-01 resolved late. Nothing is judged on a day nothing is known of.
    assert _counts(_row(table, "unit", "X-2")) == (0, 1, 2, 3, 0, 0, 1, 1, 1, 1, 2)


def test_a_dossier_finished_after_the_period_is_still_in_progress_at_its_end(table):
    # C-01 on due; C-02 carried over, open, due 25/09 < 30/09: overdue;
    # C-03 received 29/09, resolved 05/10 (after P), due 08/10: within due
    assert _counts(_row(table, "unit", "X-1")) == (1, 1, 1, 3, 0, 1, 0, 1, 1, 1, 2)


def test_a_unit_not_in_force_over_the_whole_period_is_history(table):
    x3 = _row(table, "unit", "X-3")
    assert _counts(x3) == (0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0)  # E-01 early
    assert x3["history"] is True
    assert _row(table, "unit", "X-1")["history"] is False


def test_tier_subtotals_and_the_total_are_sums_of_their_units(table):
    assert _counts(_row(table, "tier", "commune")) == (1, 3, 3, 7, 1, 1, 1, 3, 2, 2, 4)
    assert _counts(_row(table, "total")) == (3, 5, 5, 13, 2, 3, 2, 7, 3, 3, 6)


def test_the_rates_are_ratios_of_the_counts(table):
    total = _row(table, "total")
    assert total["on_time_rate"] == pytest.approx(5 / 7)
    assert total["online_share"] == pytest.approx(5 / 10)
    assert total["overdue_share"] == pytest.approx(3 / 6)
    assert _row(table, "unit", "X-2")["on_time_rate"] == 0.0


def test_the_rows_read_total_first_then_each_tier_before_its_units(table):
    assert list(zip(table["level"], table["unit_code"].fillna(table["tier"]), strict=True)) == [
        ("total", None),
        ("tier", "department"),
        ("unit", "S-A"),
        ("tier", "commune"),
        ("unit", "X-3"),  # UBND xã Ba, Hai, Một: by name
        ("unit", "X-2"),
        ("unit", "X-1"),
    ]


def test_late_columns_equal_the_late_list_and_resolved_equals_the_on_time_denominator(con, table):
    from metrics import compute

    total = _row(table, "total")
    assert total["resolved_late"] == compute.late_count(con, *SEPTEMBER, kind="resolved_late")
    assert total["open_overdue"] == compute.late_count(con, *SEPTEMBER, kind="open_overdue")
    on_time = compute.kpis(con, *SEPTEMBER, by=())
    row = on_time[on_time["metric"] == "on_time_rate"].iloc[0]
    assert (row["numerator"], row["denominator"]) == (
        total["resolved_early"] + total["resolved_on_due"],
        total["resolved"],
    )


def test_a_unit_and_a_tier_filter_narrow_the_table(con):
    from metrics import compute

    one = compute.bieu06(con, *SEPTEMBER, unit="X-1")
    assert set(one["level"]) == {"total", "tier", "unit"} and list(one["unit_code"].dropna()) == ["X-1"]
    communes = compute.bieu06(con, *SEPTEMBER, tier="commune")
    assert _row(communes, "total")["received"] == 7


def test_a_period_before_any_dossier_is_an_empty_table(con):
    from metrics import compute

    assert compute.bieu06(con, dt.date(2020, 1, 1), dt.date(2020, 1, 31)).empty


def test_open_dossiers_are_carried_over_into_a_later_period(con):
    from metrics import compute

    # B-05, B-10, C-02, D-02, D-03 never ended. Each is judged on its unit's last data day:
    # S-A's 05/10/2025 (B-05 due 10/10, B-10 due 12/10: within), X-1's 05/10/2025 (C-02
    # due 25/09: overdue), X-2's 12/09/2025 (D-02 due 20/09: within; D-03 due 10/09: overdue)
    later = _row(compute.bieu06(con, dt.date(2030, 1, 1), dt.date(2030, 1, 31)), "total")
    assert (later["carried_over"], later["in_progress"], later["received"]) == (5, 5, 5)
    assert (later["open_within_due"], later["open_overdue"]) == (3, 2)
