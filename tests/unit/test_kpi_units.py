"""The KPI table attributes the cube's groups to units in Python (metrics/kpi_units.py)
with the rules of the SQL views (schema.sql: unit_spans, unit_catalogue, dossiers_in).
These tests hold the two side by side on a catalogue with every awkward case, so a
change to either is caught, and show that the catalogue is read afresh on every call."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from metrics import compute, db, kpi_counts, kpi_units, registry
from metrics.scope import limited_to

HIGH, MID, LOW = registry.TIER_CODES  # the three tiers, by rank
D = dt.date
# (code, name, tier, valid_from, valid_to, successor): written straight into `units`,
# as a test or tool may, so even what reference.py would refuse (a cycle) is here
CATALOGUE = [
    ("A", "A trước", MID, D(2020, 1, 1), D(2024, 12, 31), None),  # renamed and re-tiered
    ("A", "A sau", LOW, D(2025, 1, 1), None, None),
    ("B", "B", MID, None, D(2023, 12, 31), "C"),  # successor on its older row only
    ("B", "B mới", MID, D(2024, 1, 1), D(2025, 6, 30), None),
    ("C", "C", LOW, None, D(2025, 6, 30), "D"),  # a chain B -> C -> D
    ("D", "D", HIGH, None, None, None),
    ("F", "F", MID, None, D(2025, 6, 30), "ZZ"),  # a successor the catalogue lacks
    ("G", "G", LOW, None, None, "H"),  # a cycle: the views stop after 64 steps
    ("H", "H", MID, None, None, "G"),
    ("J", "J", LOW, D(2025, 7, 1), None, None),  # opened after the period's start
]
# dossiers: (handling code, the tier its file gave); X and Y are not in the catalogue
HANDLED = [("A", HIGH), ("A", LOW), ("B", None), ("C", LOW), ("D", HIGH), ("F", MID), ("G", LOW)]
HANDLED += [("H", MID), ("J", LOW), ("X", LOW), ("X", MID), ("Y", None), (None, LOW), ("ZZ", HIGH)]
FROM, TO = D(2025, 1, 1), D(2025, 12, 31)


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    con = db.connect(Path(tmp_path_factory.mktemp("kpi_units")) / "units.duckdb")
    con.execute("DELETE FROM units")
    con.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?)", CATALOGUE)
    rows = []
    for i, (code, tier) in enumerate(HANDLED * 3):
        day = D(2025, 1 + i % 12, 10)
        channel = ("online", "direct", None)[i % 3]
        rows.append((f"HS{i}", code, f"tên {code}", tier, channel, day, day + dt.timedelta(days=i % 5), i))
    con.executemany(
        "INSERT INTO dossiers (dossier_code, agency_code, agency_name, tier, channel, received_date, due_date, "
        "end_date, status, rating, bad_timeline, import_id, source_row) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 9, 5, false, 1, ?)",
        [(c, a, n, t, ch, r, r + dt.timedelta(days=3), d, s) for c, a, n, t, ch, r, d, s in rows],
    )
    return con


def test_the_catalogue_read_in_python_is_the_unit_catalogue_view_row_for_row(con):
    view = con.execute(
        "SELECT unit_code, unit_name, tier, valid_from, valid_to, current_code, current_tier FROM unit_catalogue"
    ).fetchall()
    assert {code: kpi_units.Unit(*rest) for code, *rest in view} == kpi_units.load(con).units


@pytest.mark.parametrize("view", registry.UNIT_VIEW_CODES)
@pytest.mark.parametrize("tier", [None, HIGH, MID, LOW])
@pytest.mark.parametrize("scope", [None, ("A", "D", "X"), ("ZZ", "Y")])
def test_the_cube_counts_each_unit_as_dossiers_in_does(con, view, tier, scope):
    params = kpi_counts.query_params(FROM, TO, False, tier, None, view)
    chosen = limited_to(scope) if scope else None
    ours = {(r["agency_code"], r["tier"]): r["dossiers_received"] for r in kpi_counts.cube_rows(con, params, chosen)}
    found = con.execute(
        "SELECT agency_code, tier, count(*) FILTER (channel IS NOT NULL) FROM dossiers_in($units) "
        "WHERE ($tier IS NULL OR tier = $tier) AND ($scope IS NULL OR list_contains($scope, agency_code)) "
        "GROUP BY ALL",
        {"units": view, "tier": tier, "scope": list(scope) if scope else None},
    ).fetchall()
    theirs = {(code, row_tier): n for code, row_tier, n in found}
    assert theirs or scope, "without a scope every tier has dossiers here"
    assert ours == theirs


def test_an_edit_to_the_catalogue_shows_on_the_next_call(con):
    """Nothing is cached between calls: a renamed unit is renamed in the very next table."""
    before = compute.kpis(con, FROM, TO, by=("unit",))
    assert set(before.loc[before["unit_code"] == "D", "unit_name"]) == {"D"}
    con.execute("UPDATE units SET unit_name = 'D đổi tên' WHERE unit_code = 'D'")
    try:
        after = compute.kpis(con, FROM, TO, by=("unit",))
        assert set(after.loc[after["unit_code"] == "D", "unit_name"]) == {"D đổi tên"}
    finally:
        con.execute("UPDATE units SET unit_name = 'D' WHERE unit_code = 'D'")
