"""Golden figures across the two-tier reform of 01/07/2025, computed by hand.

The catalogue (reform/units.csv): a department S-TP; district H-A and communes X-B, X-C,
all ended 30/06/2025 with successor 30001 (a new commune from 01/07/2025); commune X-D
that goes on but whose data stops on 10/10/2025. Two exports: June's (RF-03 open under
H-A) and December's (RF-03 finished by 30001, the successor, under its code).

Every expected figure below is counted by hand from the two CSV files; the comment
beside it names the dossiers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli, run_cli_json

REFORM = Path(__file__).with_name("reform")


@pytest.fixture(scope="module")
def reform_db(tmp_path_factory) -> Path:
    from metrics import db as mdb
    from metrics import reference

    path = tmp_path_factory.mktemp("reform") / "reform.duckdb"
    con = mdb.connect(path)
    reference.load_csv(con, "units", REFORM / "units.csv")
    reference.load_csv(con, "targets", REFORM / "targets.csv")
    con.close()
    run_cli("ingest", REFORM / "export_2025_06.csv", REFORM / "export_2025_12.csv", db=path, check=True)
    return path


def _kpis(db: Path, date_from: str, date_to: str, *extra: str) -> dict:
    out = run_cli_json("kpis", "--from", date_from, "--to", date_to, *extra, db=db)
    return {(r["metric"], r["tier"], r["unit_code"]): r for r in out["rows"]}


def _figures(rows: dict, metric: str) -> dict:
    return {k[1:]: (r["numerator"], r["denominator"]) for k, r in rows.items() if k[0] == metric}


def test_after_the_reform_there_is_no_district_row(reform_db):
    rows = _kpis(reform_db, "2025-07-01", "2025-12-31")
    # online: S-TP RF-13; communes RF-07, RF-09 online of RF-07..09, 10, 11, 14, 15, 16
    assert _figures(rows, "online_rate") == {("department", None): (1, 1), ("commune", None): (2, 8)}
    # on time: RF-03 (by the successor), 04B, 08, 09, 10, 14, 16 on time; RF-07 late
    assert _figures(rows, "on_time_rate") == {("department", None): (1, 1), ("commune", None): (7, 8)}
    assert not any(r["history"] for r in rows.values())


def test_before_the_reform_the_district_is_rated_against_forty_percent(reform_db):
    rows = _kpis(reform_db, "2025-01-01", "2025-06-30")
    district = rows[("online_rate", "district", None)]
    # RF-01 online, RF-02 direct
    assert (district["numerator"], district["denominator"], district["target"]) == (1, 2, 0.40)
    assert district["meets_target"] is True and district["history"] is False
    # RF-03 (finished by 30001, stored under its code), 04, 04B, 05, 06: RF-03 and 06 online
    assert _figures(rows, "online_rate")[("commune", None)] == (2, 5)
    # RF-01 on time, RF-02 late (27/06 after 20/06)
    assert _figures(rows, "on_time_rate")[("district", None)] == (1, 2)


def test_for_2025_as_a_whole_the_district_is_history_without_a_rating(reform_db):
    rows = _kpis(reform_db, "2025-01-01", "2025-12-31")
    district = rows[("online_rate", "district", None)]
    assert (district["numerator"], district["denominator"]) == (1, 2)
    assert district["history"] is True
    assert district["target"] is None and district["meets_target"] is None
    commune = rows[("online_rate", "commune", None)]
    assert (commune["numerator"], commune["denominator"], commune["history"]) == (4, 13, False)


def test_the_successor_view_rolls_old_units_into_todays_and_keeps_the_totals(reform_db):
    was = _kpis(reform_db, "2025-01-01", "2025-12-31", "--by", "unit")
    now = _kpis(reform_db, "2025-01-01", "2025-12-31", "--by", "unit", "--units", "successor")
    assert {k[2] for k in now} == {"S-TP", "30001", "X-D", "99999"}
    # 30001 holds H-A, X-B and X-C: RF-01, 03, 06, 07, 09 online of 12
    assert _figures(now, "online_rate")[("commune", "30001")] == (5, 12)
    assert {k[2] for k in was} >= {"H-A", "X-B", "X-C"}
    for metric in ("online_rate", "on_time_rate"):
        totals = [
            run_cli_json(
                "kpis", "--from", "2025-01-01", "--to", "2025-12-31", "--by", "all", "--units", v, db=reform_db
            )
            for v in ("as_was", "successor")
        ]
        pairs = [{(r["numerator"], r["denominator"]) for r in t["rows"] if r["metric"] == metric} for t in totals]
        assert pairs[0] == pairs[1]
    assert _figures(_kpis(reform_db, "2025-01-01", "2025-12-31", "--units", "successor"), "online_rate") == {
        ("department", None): (2, 2),
        ("commune", None): (5, 15),
    }


def test_an_abolished_units_open_dossier_is_overdue_only_up_to_its_last_valid_day(reform_db):
    rows = run_cli_json("late", "--from", "2025-01-01", "--to", "2025-12-31", db=reform_db)["rows"]
    got = {r["dossier_code"]: (r["kind"], r["days_late"]) for r in rows}
    assert got == {
        "RF-02": ("resolved_late", 7),
        "RF-07": ("resolved_late", 5),
        # X-B ended 30/06 (its data reaches 02/07): due 20/06 -> 10 days, not 194
        "RF-05": ("open_overdue", 10),
        # RF-11 (X-D, due 20/10) is not overdue: X-D's data stops on 10/10
    }


def test_each_unit_has_a_data_date_and_a_state(reform_db):
    out = run_cli_json("freshness", db=reform_db)
    assert out["as_of"] == "2025-12-26"
    got = {r["unit_code"]: (r["data_date"], r["state"]) for r in out["rows"]}
    assert got == {
        "S-TP": ("2025-12-26", "current"),
        "H-A": ("2025-06-27", "current"),  # ended 30/06: current within the grace days
        "X-B": ("2025-07-02", "current"),
        "X-C": ("2025-09-04", "current"),
        "30001": ("2025-12-24", "current"),
        "X-D": ("2025-10-10", "behind"),
        "99999": ("2025-08-06", "behind"),
    }


def test_coverage_counts_the_units_valid_in_the_period_that_are_current(reform_db):
    import duckdb

    from metrics import compute

    con = duckdb.connect(str(reform_db), read_only=True)
    try:
        second = compute.coverage(con, _d("2025-07-01"), _d("2025-12-31"))
        first = compute.coverage(con, _d("2025-01-01"), _d("2025-06-30"))
        facts = compute.data_facts(con)
    finally:
        con.close()
    assert (second["units_valid"], second["units_current"]) == (4, 2)
    assert list(second["behind"]["unit_code"]) == ["99999", "X-D"]
    assert (first["units_valid"], first["units_current"]) == (6, 6)
    # the banner's date is the oldest among units still active, not the newest
    assert facts["oldest_data_date"] == _d("2025-08-06")
    assert facts["units_behind"] == 2


def test_unit_codes_outside_the_catalogue_or_its_validity_are_findings(reform_db):
    rows = {r["rule"]: r["dossiers"] for r in run_cli_json("quality", db=reform_db)["rows"]}
    assert rows["unit_not_in_catalogue"] == 1  # RF-14, counted under the commune tier its file gives
    assert rows["unit_not_valid_on_date"] == 1  # RF-16: X-C ended 30/06, received 03/09


def test_editing_a_target_changes_the_next_cli_call(reform_db, tmp_path):
    db = tmp_path / "edit.duckdb"
    shutil.copy(reform_db, db)
    targets = tmp_path / "targets.csv"
    shutil.copy(REFORM / "targets.csv", targets)
    from metrics import db as mdb
    from metrics import reference

    con = mdb.connect(db)
    reference.load_csv(con, "targets", targets)
    con.close()

    def commune_target() -> float:
        return _kpis(db, "2025-07-01", "2025-12-31")[("online_rate", "commune", None)]["target"]

    assert commune_target() == 0.30
    targets.write_text(
        targets.read_text(encoding="utf-8").replace("commune,2024-01-01,,0.30", "commune,2024-01-01,,0.25")
    )
    assert commune_target() == 0.25


@pytest.mark.parametrize(
    ("table", "edit", "words"),
    [
        ("targets", ("commune,2024-01-01,,0.30", "commune,2024-01-01,2023-12-31,0.30"), "dòng 4"),
        ("targets", ("commune,2024-01-01,,0.30", "huyen,2024-01-01,,0.30"), "cấp «huyen»"),
        (
            "units",
            ("X-D,UBND xã Đông,commune,,,", "X-D,UBND xã Đông,commune,,,\nX-D,UBND xã Đông 2,commune,2025-01-01,,"),
            "chồng",
        ),
        (
            "units",
            ("30001,UBND xã An Bình,commune,2025-07-01,,", "30001,UBND xã An Bình,commune,2025-07-01,,H-A"),
            "quay vòng",
        ),
        ("units", ("X-C,UBND xã Cát,commune,,2025-06-30,30001", "X-C,UBND xã Cát,commune,,2025-06-30,40404"), "40404"),
    ],
)
def test_a_bad_reference_edit_is_refused_by_row_and_the_previous_data_kept(reform_db, tmp_path, table, edit, words):
    import duckdb

    db = tmp_path / "bad.duckdb"
    shutil.copy(reform_db, db)
    source = tmp_path / f"{table}.csv"
    shutil.copy(REFORM / f"{table}.csv", source)
    from metrics import db as mdb
    from metrics import reference

    con = mdb.connect(db)
    reference.load_csv(con, table, source)
    before = con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
    con.close()
    source.write_text(source.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    proc = run_cli("kpis", "--from", "2025-07-01", "--to", "2025-12-31", db=db)
    assert proc.returncode == 2
    assert words in proc.stderr and source.name in proc.stderr
    assert "Traceback" not in proc.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() == before
    finally:
        con.close()


def _d(text: str):
    import datetime as dt

    return dt.date.fromisoformat(text)


def test_the_766_late_list_is_exactly_what_the_766_rate_counts_as_not_on_time(reform_db):
    import duckdb

    from metrics import compute

    con = duckdb.connect(str(reform_db), read_only=True)
    try:
        for date_from, date_to in (
            ("2025-01-01", "2025-06-30"),
            ("2025-07-01", "2025-12-31"),
            ("2025-01-01", "2025-12-31"),
        ):
            f, t = _d(date_from), _d(date_to)
            k = compute.kpis(con, f, t, by=(), on_time_definition="766")
            row = k[k["metric"] == "on_time_rate"].iloc[0]
            late = compute.late(con, f, t, definition="766")
            assert len(late) == row["denominator"] - row["numerator"], (date_from, date_to)
            assert compute.late_count(con, f, t, definition="766") == len(late)
        # the provincial reading is unchanged by the switch: RF-02, RF-07 and RF-05
        assert compute.late_count(con, _d("2025-01-01"), _d("2025-12-31")) == 3
    finally:
        con.close()
