"""The engine's KPIs, late list and quality ledger on the golden fixture equal the
tables computed by hand from docs/metrics.md (see NOTES.md for every dossier's reasons).

All figures are read from the CLI (`kpis/late --format json`, `quality`), the contract
others script against.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re

import pytest

from tests.conftest import GOLDEN, cached_cli_json, prepare_db, run_cli, run_cli_json

FROM, TO = "2024-03-01", "2024-04-30"
GROUP_FIELD = {"all": None, "tier": "tier", "unit": "unit_code", "month": "month"}
GROUP_FIELDS = ("tier", "unit_code", "month")

UNIT_NAMES = {
    "000.00.06.H56": ("Sở Tư pháp", "department"),
    "000.00.12.H56": ("Sở Kế hoạch và Đầu tư", "department"),
    "000.30.31.H56": ("UBND xã Hương Minh", "commune"),
    "000.31.32.H56": ("UBND phường Bắc Hồng", "commune"),
}


def _expected_rows() -> list[dict]:
    with open(GOLDEN / "expected_kpis.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


EXPECTED = _expected_rows()


def expected_for(by: str, definition: str) -> list[dict]:
    return [
        e
        for e in EXPECTED
        if e["by"] == by and (e["metric"] != "on_time_rate" or e["on_time_definition"] == definition)
    ]


def group_key(row: dict, by: str) -> str | None:
    field = GROUP_FIELD[by]
    return None if field is None else (row.get(field) or None)


# ------------------------------------------------------------------ databases
@pytest.fixture(scope="session")
def golden_extra_db(tmp_path_factory):
    path = prepare_db(tmp_path_factory.mktemp("golden_extra") / "golden_extra.duckdb")
    run_cli("ingest", GOLDEN / "golden_dossiers.csv", GOLDEN / "golden_quality_extra.csv", db=path, check=True)
    return path


@pytest.fixture(scope="session")
def kpis_json(golden_db):
    def get(by: str, definition: str) -> dict:
        return cached_cli_json(
            "kpis", "--from", FROM, "--to", TO, "--by", by, "--on-time-definition", definition, db=golden_db
        )

    return get


def find_row(out: dict, metric: str, by: str, key: str | None) -> dict | None:
    hits = [r for r in out["rows"] if r["metric"] == metric and group_key(r, by) == key]
    assert len(hits) <= 1, f"{len(hits)} rows for {metric} / {key}: {hits}"
    return hits[0] if hits else None


CASES = [(by, d) for by in ("all", "tier", "unit", "month") for d in ("resolved", "766")]


def _describe(e: dict) -> str:
    return f"{e['metric']}[{e['on_time_definition'] or '-'}] by {e['by']} {e['tier'] or ''}{e['unit_code'] or ''}{e['month'] or ''}"


# ------------------------------------------------------------------ hand tables are self-consistent
def test_golden_tables_are_consistent_with_a_naive_reading_of_domain_rules():
    """Guards the hand arithmetic: oracle.py, a row-by-row reading of §3, gives the same sums."""
    import oracle

    rows = oracle.load(GOLDEN / "golden_dossiers.csv")
    f, t = dt.date.fromisoformat(FROM), dt.date.fromisoformat(TO)
    for by, definition in CASES:
        got = oracle.kpis(rows, f, t, by, definition)
        exp = expected_for(by, definition)
        assert len(got) == len(exp)
        for e in exp:
            g = {"all": "", "tier": e["tier"], "unit": e["unit_code"], "month": e["month"]}[by]
            num, den, cnum, cden = got[(e["metric"], g)]
            assert (num, den) == (int(e["numerator"]), int(e["denominator"])), _describe(e)
            if e["coverage_denominator"]:
                assert (cnum, cden) == (int(e["coverage_numerator"]), int(e["coverage_denominator"]))
    limits = oracle.data_dates(rows)
    late = sorted((x.code, *oracle.late(x, f, t, limits)) for x in rows if oracle.late(x, f, t, limits))
    with open(GOLDEN / "expected_late.csv", encoding="utf-8") as fh:
        exp_late = sorted((r["dossier_code"], r["kind"], int(r["days_late"])) for r in csv.DictReader(fh))
    assert late == exp_late


# ------------------------------------------------------------------ KPI JSON
def test_kpis_json_has_the_contract_envelope(kpis_json):
    out = kpis_json("tier", "resolved")
    assert {"from", "to", "by", "definitions", "rows"} <= set(out)
    assert out["from"] == FROM and out["to"] == TO and out["by"] == "tier"
    for row in out["rows"]:
        missing = {
            "metric",
            "tier",
            "unit_code",
            "unit_name",
            "month",
            "numerator",
            "denominator",
            "rate",
            "target",
            "meets_target",
        } - set(row)
        assert not missing, f"row lacks {missing}: {row}"


@pytest.mark.parametrize("by,definition", [c for c in CASES if c != ("month", "766")])
def test_kpi_numerators_and_denominators_equal_the_hand_computed_table(kpis_json, by, definition):
    out = kpis_json(by, definition)
    problems = []
    for e in expected_for(by, definition):
        key = {"all": None, "tier": e["tier"], "unit": e["unit_code"], "month": e["month"]}[by]
        row = find_row(out, e["metric"], by, key)
        want = (int(e["numerator"]), int(e["denominator"]))
        got = None if row is None else (row["numerator"], row["denominator"])
        if got != want:
            problems.append(f"{_describe(e)}: expected {want[0]}/{want[1]}, got {got}")
    assert not problems, "\n".join(problems)


def test_on_time_766_by_month_treats_each_month_as_its_own_period(kpis_json):
    """NOTES.md choice 1: a dossier open across March and April is in both months."""
    test_kpi_numerators_and_denominators_equal_the_hand_computed_table(kpis_json, "month", "766")


@pytest.mark.parametrize("by,definition", CASES)
def test_every_rate_is_numerator_over_denominator_or_null_when_the_denominator_is_zero(kpis_json, by, definition):
    for row in kpis_json(by, definition)["rows"]:
        if row["denominator"] == 0:
            assert row["rate"] is None, f"zero denominator must give no rate: {row}"
            assert row["meets_target"] is None, row
        else:
            assert row["rate"] == pytest.approx(row["numerator"] / row["denominator"], abs=1e-9), row
            assert 0.0 <= row["rate"] <= 1.0


@pytest.mark.parametrize("by,definition", CASES)
def test_no_group_with_dossiers_in_a_denominator_is_missing_or_invented(kpis_json, by, definition):
    """Rows not in the hand table may exist only with a zero denominator."""
    out = kpis_json(by, definition)
    expected_keys = {
        (e["metric"], {"all": None, "tier": e["tier"], "unit": e["unit_code"], "month": e["month"]}[by])
        for e in expected_for(by, definition)
    }
    extra = [
        r
        for r in out["rows"]
        if r["metric"] in {"online_rate", "on_time_rate", "satisfaction_rate"}
        and (r["metric"], group_key(r, by)) not in expected_keys
        and r["denominator"] not in (0, None)
    ]
    assert not extra, f"unexpected non-empty rows: {extra}"


@pytest.mark.parametrize("by,definition", CASES)
def test_fields_that_do_not_apply_to_the_grouping_are_null(kpis_json, by, definition):
    applies = {"all": set(), "tier": {"tier"}, "unit": {"tier", "unit_code"}, "month": {"month"}}[by]
    for row in kpis_json(by, definition)["rows"]:
        for field in GROUP_FIELDS:
            if field not in applies:
                assert row.get(field) is None, f"{field} should be null when grouping by {by}: {row}"
        if by == "month":
            assert re.fullmatch(r"\d{4}-\d{2}", row["month"]), row


def test_unit_rows_carry_the_unit_name_and_its_tier(kpis_json):
    for row in kpis_json("unit", "resolved")["rows"]:
        name, tier = UNIT_NAMES[row["unit_code"]]
        assert row["unit_name"] == name, row
        assert row["tier"] == tier, row


@pytest.mark.parametrize("by,definition", CASES)
def test_targets_are_80_30_online_by_tier_97_on_time_94_satisfaction_and_meets_is_rate_at_least_target(
    kpis_json, by, definition
):
    """NOTES.md choice 2 (unit rows take their tier's online target; no tier, no online target)."""
    out = kpis_json(by, definition)
    problems = []
    for e in expected_for(by, definition):
        key = {"all": None, "tier": e["tier"], "unit": e["unit_code"], "month": e["month"]}[by]
        row = find_row(out, e["metric"], by, key)
        if row is None:
            continue  # reported by the numerator test
        want_target = float(e["target"]) if e["target"] else None
        want_meets = {"true": True, "false": False, "": None}[e["meets_target"]]
        got_target = row["target"]
        ok_target = (got_target is None and want_target is None) or (
            got_target is not None and want_target is not None and math.isclose(got_target, want_target)
        )
        if not ok_target or row["meets_target"] is not want_meets:
            problems.append(
                f"{_describe(e)}: expected target {want_target} meets {want_meets}, "
                f"got target {got_target} meets {row['meets_target']}"
            )
    assert not problems, "\n".join(problems)


def test_on_time_definition_changes_only_the_on_time_rows(kpis_json):
    a, b = kpis_json("tier", "resolved"), kpis_json("tier", "766")

    def others(out):
        return sorted(
            (r["metric"], r["tier"], r["numerator"], r["denominator"])
            for r in out["rows"]
            if r["metric"] != "on_time_rate"
        )

    assert others(a) == others(b)


def test_satisfaction_coverage_is_rated_over_resolved_when_reported(kpis_json):
    for by in ("all", "tier", "unit", "month"):
        out = kpis_json(by, "resolved")
        for e in expected_for(by, "resolved"):
            if e["metric"] != "satisfaction_rate":
                continue
            key = {"all": None, "tier": e["tier"], "unit": e["unit_code"], "month": e["month"]}[by]
            row = find_row(out, "satisfaction_rate", by, key)
            if row is None or "coverage_denominator" not in row:
                continue
            assert (row["coverage_numerator"], row["coverage_denominator"]) == (
                int(e["coverage_numerator"]),
                int(e["coverage_denominator"]),
            ), _describe(e)


def test_tier_figures_are_sums_of_their_units(kpis_json):
    units, tiers = kpis_json("unit", "resolved"), kpis_json("tier", "resolved")
    for t in tiers["rows"]:
        us = [u for u in units["rows"] if u["metric"] == t["metric"] and u["tier"] == t["tier"]]
        assert sum(u["numerator"] for u in us) == t["numerator"], t
        assert sum(u["denominator"] for u in us) == t["denominator"], t


def test_kpis_for_a_month_with_no_resolved_dossiers_show_no_rate_rather_than_zero(golden_db):
    """May 2024: department has resolved dossiers (GLD-16, 17) but nothing received;
    nobody rated anything."""
    out = run_cli_json("kpis", "--from", "2024-05-01", "--to", "2024-05-31", "--by", "tier", db=golden_db)
    for row in out["rows"]:
        if row["denominator"] == 0:
            assert row["rate"] is None and row["meets_target"] is None, row
    dep_online = [r for r in out["rows"] if r["metric"] == "online_rate" and r["tier"] == "department"]
    assert all(r["denominator"] == 0 and r["rate"] is None for r in dep_online), dep_online
    dep_on_time = [r for r in out["rows"] if r["metric"] == "on_time_rate" and r["tier"] == "department"]
    assert [(r["numerator"], r["denominator"]) for r in dep_on_time] == [(1, 2)], dep_on_time


# ------------------------------------------------------------------ late list
def _expected_late() -> list[dict]:
    with open(GOLDEN / "expected_late.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _late(db, *extra) -> list[dict]:
    return run_cli_json("late", "--from", FROM, "--to", TO, *extra, db=db)["rows"]


def test_late_list_has_the_hand_computed_dossiers_kinds_and_days_late(golden_db):
    got = sorted((r["dossier_code"], r["kind"], int(r["days_late"])) for r in _late(golden_db))
    want = sorted((e["dossier_code"], e["kind"], int(e["days_late"])) for e in _expected_late())
    missing, unexpected = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    assert not missing and not unexpected, f"missing {missing}\nunexpected {unexpected}"


def test_an_open_dossier_is_measured_to_its_units_data_date_and_no_further(golden_db, golden_extra_db):
    """GLD-27 (X1, due 05/02, still open): in the golden file X1's newest timestamp is
    15/04, so at 30/04 it is 70 days late; the extra file brings X1 data of 06/05, so
    it is then known to be open through 30/04: 85 days."""
    days = {db: {r["dossier_code"]: r["days_late"] for r in _late(db)}["GLD-27"] for db in (golden_db, golden_extra_db)}
    assert days == {golden_db: 70, golden_extra_db: 85}


def test_status_7_and_8_without_end_count_as_ended_for_open_overdue(golden_extra_db):
    codes = {r["dossier_code"] for r in _late(golden_extra_db)}
    assert "GLX-01" not in codes, "withdrawn (7) with no end date is ended, not open_overdue"
    assert "GLX-02" not in codes, "stopped (8) with no end date is ended, not open_overdue"


def test_late_rows_carry_unit_tier_and_the_due_and_end_dates(golden_extra_db):
    rows = {r["dossier_code"]: r for r in _late(golden_extra_db)}
    for e in _expected_late():
        r = rows.get(e["dossier_code"])
        if r is None:
            continue  # reported by the membership test
        assert r["agency_code"] == e["agency_code"], r
        assert r["tier"] == e["tier"], r
        assert str(r["due_at"])[:10] == e["due_date"], r
        if e["kind"] == "resolved_late" or e["end_date"]:
            assert str(r["end_at"])[:10] == e["end_date"], r
        else:
            assert r["end_at"] in (None, ""), r
        assert {"procedure_code", "procedure_name", "agency_name", "apology_issued_at"} <= set(r)


def test_late_list_filtered_by_tier_keeps_only_that_tier(golden_extra_db):
    got = sorted(r["dossier_code"] for r in _late(golden_extra_db, "--tier", "commune"))
    assert got == ["GLD-23", "GLD-25", "GLD-27", "GLD-29", "GLD-31"]


def test_late_list_filtered_by_unit_keeps_only_that_unit(golden_extra_db):
    got = sorted(r["dossier_code"] for r in _late(golden_extra_db, "--unit", "000.00.12.H56"))
    assert got == ["GLD-14", "GLD-15", "GLD-17"]


def test_apology_date_is_reported_on_late_dossiers(golden_extra_db):
    rows = {r["dossier_code"]: r for r in _late(golden_extra_db)}
    assert str(rows["GLD-23"]["apology_issued_at"])[:10] == "2024-04-14"
    assert str(rows["GLD-17"]["apology_issued_at"])[:10] == "2024-04-22"
    assert rows["GLD-25"]["apology_issued_at"] in (None, "")


# ------------------------------------------------------------------ quality ledger
_LEDGER: dict = {}


def _ledger(db) -> list[dict]:
    """The ledger as `quality --format json` prints it (the API's frame if the CLI has no
    JSON format: the issue only promises `quality [--db PATH]`)."""
    if db in _LEDGER:
        return _LEDGER[db]
    proc = run_cli("quality", "--format", "json", db=db)
    if proc.returncode == 0:
        rows = json.loads(proc.stdout)["rows"]
    else:
        import duckdb

        from metrics import compute

        con = duckdb.connect(str(db), read_only=True)
        try:
            rows = compute.quality(con).to_dict("records")
        finally:
            con.close()
    _LEDGER[db] = rows
    return rows


def _rule(ledger: list[dict], pattern: str) -> list[dict]:
    rx = re.compile(pattern, re.I)
    return [r for r in ledger if rx.search(f"{r['rule']} {r.get('label_en', '')}")]


def test_quality_ledger_counts_resolved_before_received(golden_extra_db):
    hits = _rule(_ledger(golden_extra_db), r"resolved.{0,20}before.{0,20}receiv")
    assert len(hits) == 1, _ledger(golden_extra_db)
    assert hits[0]["dossiers"] == 1, hits


def test_quality_ledger_counts_due_before_received(golden_extra_db):
    hits = _rule(_ledger(golden_extra_db), r"due.{0,20}before.{0,20}receiv")
    assert len(hits) == 1, _ledger(golden_extra_db)
    assert hits[0]["dossiers"] == 1, hits


def test_quality_ledger_counts_a_terminal_status_without_end_date(golden_extra_db):
    hits = _rule(_ledger(golden_extra_db), r"terminal|(no|without|missing)[ _]end")
    assert len(hits) == 1, _ledger(golden_extra_db)
    # GLX-04 (status 9, no end); GLX-01/02 (7/8 without end) too if the engine reads
    # "terminal" as statuses 7..10 — NOTES.md choice 4.
    assert hits[0]["dossiers"] in (1, 3), hits


def test_quality_ledger_of_the_clean_fixture_flags_nothing_on_timelines(golden_db):
    for pattern in (
        r"resolved.{0,20}before.{0,20}receiv",
        r"due.{0,20}before.{0,20}receiv",
        r"terminal|(no|without|missing)[ _]end",
    ):
        for r in _rule(_ledger(golden_db), pattern):
            assert r["dossiers"] == 0, r


def test_quality_command_prints_the_ledger_rule_by_rule(golden_extra_db):
    proc = run_cli("quality", db=golden_extra_db)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    assert len(lines) >= 3, proc.stdout


# ------------------------------------------------------------------ targets are data
@pytest.fixture(scope="session")
def changing_targets_db(tmp_path_factory):
    import duckdb

    from metrics import reference

    path = prepare_db(tmp_path_factory.mktemp("targets") / "targets.duckdb")
    con = duckdb.connect(str(path))
    try:
        reference.load_csv(con, "targets", GOLDEN / "targets_changing.csv")
    finally:
        con.close()
    run_cli("ingest", GOLDEN / "golden_dossiers.csv", db=path, check=True)
    return path


def _targets(db, date_to) -> dict:
    out = run_cli_json("kpis", "--from", FROM, "--to", date_to, "--by", "tier", db=db)
    return {(r["metric"], r["tier"]): (r["target"], r["meets_target"]) for r in out["rows"] if r["denominator"]}


def test_the_target_in_force_on_the_periods_last_day_applies(changing_targets_db):
    april = _targets(changing_targets_db, TO)
    march = _targets(changing_targets_db, "2024-03-31")
    assert april[("on_time_rate", "department")][0] == pytest.approx(0.99)
    assert march[("on_time_rate", "department")][0] == pytest.approx(0.95)


def test_targets_come_from_the_targets_table_not_from_code(changing_targets_db):
    t = _targets(changing_targets_db, TO)
    assert t[("online_rate", "department")] == (pytest.approx(0.85), False)  # 9/15 = 60%
    assert t[("online_rate", "commune")] == (pytest.approx(0.40), True)  # 4/10 = 40%: "at least" includes equal
    assert t[("satisfaction_rate", "department")] == (pytest.approx(0.70), True)  # 5/7 = 71.4%
    assert t[("satisfaction_rate", "commune")] == (pytest.approx(0.70), True)


def test_late_dossiers_say_whether_the_apology_letter_came_before_the_due_date(golden_extra_db):
    """Mẫu 04: GLD-02 apologised on its due date (16:00, due 17:00), GLD-23 and GLD-17 after
    the due date, GLD-25 never."""
    import duckdb

    from metrics import compute

    con = duckdb.connect(str(golden_extra_db), read_only=True)
    try:
        frame = compute.late(con, dt.date.fromisoformat(FROM), dt.date.fromisoformat(TO))
    finally:
        con.close()
    apology = dict(zip(frame["dossier_code"], frame["apology"], strict=True))
    assert apology["GLD-02"] == "before_due"
    assert apology["GLD-23"] == "after_due"
    assert apology["GLD-17"] == "after_due"
    assert apology["GLD-25"] == "none"


# ------------------------------------------------------------------ KPIs straight from a messy export
@pytest.fixture(scope="session")
def vendor_a_db(tmp_path_factory):
    from tests.conftest import FIXTURES

    path = prepare_db(tmp_path_factory.mktemp("vendor_a") / "vendor_a.duckdb")
    run_cli("ingest", FIXTURES / "vendor_a_utf8_bom_semicolon.csv", db=path, check=True)
    return path


def test_kpis_of_a_messy_vendor_export_use_local_dates_after_zone_conversion(vendor_a_db):
    """vendor_a: -0002 was received 2024-03-31T20:00:00Z = 01/04 local, so it is April's;
    -0003 ended 01/04 12:00 with due 01/04 00:00 (serials 45383.5 / 45383): same date, on time;
    -0005 ended 14/03, due 12/03: late. -0006 is denied (status 3): in nothing."""
    out = run_cli_json("kpis", "--from", FROM, "--to", TO, "--by", "month", db=vendor_a_db)
    got = {(r["metric"], r["month"]): (r["numerator"], r["denominator"]) for r in out["rows"] if r["denominator"]}
    assert got == {
        ("online_rate", "2024-03"): (2, 6),
        ("online_rate", "2024-04"): (0, 1),
        ("on_time_rate", "2024-03"): (1, 2),
        ("on_time_rate", "2024-04"): (1, 1),
        ("satisfaction_rate", "2024-03"): (1, 2),
        ("satisfaction_rate", "2024-04"): (1, 1),
    }


def test_late_list_of_a_messy_vendor_export(vendor_a_db):
    """-0002 (xã Hương Minh) is still open, due 10/04; but nothing of its unit is known
    after 01/04 (the unit's newest timestamp, its data date), so it is not overdue at
    30/04: an open dossier is measured only up to what its unit's data shows."""
    rows = run_cli_json("late", "--from", FROM, "--to", TO, db=vendor_a_db)["rows"]
    got = sorted((r["dossier_code"], r["kind"], r["days_late"]) for r in rows)
    assert got == [("000.21.30.H56-240305-0005", "resolved_late", 2)]


def test_a_unit_spelled_two_ways_is_still_one_unit(tmp_path):
    """Vendors spell the same agency differently; grouping is by unit_code."""
    header = "dossier_code,agency_code,agency_name,tier,channel,received_at,status\n"
    (tmp_path / "a.csv").write_text(
        header + "SP-1,000.00.06.H56,Sở Tư pháp,department,online,2024-03-04T08:00:00,4\n", encoding="utf-8"
    )
    (tmp_path / "b.csv").write_text(
        header + "SP-2,000.00.06.H56,SỞ TƯ PHÁP TỈNH HÀ TĨNH,department,direct,2024-03-05T08:00:00,4\n",
        encoding="utf-8",
    )
    db = prepare_db(tmp_path / "spell.duckdb")
    run_cli("ingest", tmp_path / "a.csv", tmp_path / "b.csv", db=db, check=True)
    out = run_cli_json("kpis", "--from", FROM, "--to", TO, "--by", "unit", db=db)
    online = [r for r in out["rows"] if r["metric"] == "online_rate"]
    assert [(r["unit_code"], r["numerator"], r["denominator"]) for r in online] == [("000.00.06.H56", 1, 2)]


# ------------------------------------------------------------------ other periods, same rules
OTHER_PERIODS = [
    ("2024-03-15", "2024-04-10"),  # partial months at both ends
    ("2024-02-29", "2024-03-01"),  # leap day to the first of March
    ("2024-04-30", "2024-04-30"),  # one day: the last of April
    ("2024-01-01", "2024-12-31"),  # the whole year
    ("2024-03-31", "2024-04-01"),  # across a month boundary
]


@pytest.mark.parametrize("date_from,date_to", OTHER_PERIODS)
def test_kpis_for_other_periods_agree_with_a_row_by_row_reading_of_the_rules(golden_db, date_from, date_to):
    """The hand-checked oracle, moved to periods whose edges fall on other dossiers."""
    import duckdb
    import oracle

    from metrics import compute

    f, t = dt.date.fromisoformat(date_from), dt.date.fromisoformat(date_to)
    rows = oracle.load(GOLDEN / "golden_dossiers.csv")
    con = duckdb.connect(str(golden_db), read_only=True)
    problems = []
    try:
        for by, field in (("all", None), ("tier", "tier"), ("unit", "unit_code"), ("month", "month")):
            for definition in ("resolved", "766"):
                frame = compute.kpis(con, f, t, by=() if by == "all" else (by,), on_time_definition=definition)
                got = {}
                for r in frame.to_dict("records"):
                    if r["denominator"]:
                        got[(r["metric"], r[field] if field else "")] = (int(r["numerator"]), int(r["denominator"]))
                want = {k: (v[0], v[1]) for k, v in oracle.kpis(rows, f, t, by, definition).items() if v[1]}
                if got != want:
                    problems.append(
                        f"by {by} [{definition}]: expected {sorted(want.items())}, got {sorted(got.items())}"
                    )
        frame = compute.late(con, f, t)
        got_late = sorted((r["dossier_code"], r["kind"], int(r["days_late"])) for r in frame.to_dict("records"))
        limits = oracle.data_dates(rows)
        want_late = sorted((x.code, *oracle.late(x, f, t, limits)) for x in rows if oracle.late(x, f, t, limits))
        if got_late != want_late:
            problems.append(f"late: expected {want_late}, got {got_late}")
    finally:
        con.close()
    assert not problems, "\n".join(problems)


def test_the_766_late_list_has_one_row_per_dossier_the_766_rate_counts_late(golden_db):
    """Carried-over and open dossiers, and more than one supplement request, are late under
    766: the list switched to that reading holds exactly the 766 rate's misses."""
    import duckdb

    from metrics import compute

    con = duckdb.connect(str(golden_db), read_only=True)
    try:
        f, t = dt.date.fromisoformat(FROM), dt.date.fromisoformat(TO)
        k = compute.kpis(con, f, t, by=("unit",), on_time_definition="766")
        misses = {
            r["unit_code"]: r["denominator"] - r["numerator"]
            for r in k[k["metric"] == "on_time_rate"].to_dict("records")
        }
        late = compute.late(con, f, t, definition="766")
        got = late.groupby("agency_code").size().to_dict()
        assert got == {u: n for u, n in misses.items() if n}
        assert set(late["kind"]) <= {"resolved_late", "open_overdue", "supplements"}
    finally:
        con.close()
