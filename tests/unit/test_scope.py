"""The engine enforces the reader's scope: every public compute function, called with a
unit scope, returns nothing of another unit, and a limited province row is the sum of
the scope's own units."""

from __future__ import annotations

import datetime as dt
import inspect
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from metrics import compute, db, registry
from metrics.ingest import import_file
from metrics.scope import Scope, limited_to
from tests.app import demo_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FROM, TO = dt.date(2024, 1, 1), dt.date(2025, 6, 30)
# functions that read no unit's data: the metric list and the province's targets
NO_UNIT_DATA = {"selected_metrics", "target_for", "targets_in_force", "import_report"}  # a file's report: admins only


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    path = demo_db.build(tmp_path_factory.mktemp("scope") / "scope.duckdb", 6000)
    con = db.connect(path)
    import_file(con, FIXTURES / "bad_rows.csv")  # quarantined rows of a commune not in the demo
    return con


def busiest_units(con: duckdb.DuckDBPyConnection, n: int) -> list[str]:
    rows = con.execute("SELECT agency_code FROM dossiers GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT $n", {"n": n})
    return [r[0] for r in rows.fetchall()]


def codes_in(value: object) -> set[str]:
    """Every unit code a result carries, whatever its shape."""
    if isinstance(value, pd.DataFrame):
        found: set[str] = set()
        for col in ("unit_code", "agency_code"):
            if col in value:
                found |= {c for c in value[col].dropna()}
        if "key" in value and value.attrs.get("by") == "unit":
            found |= set(value["key"].dropna())
        if "raw" in value:
            found |= {json.loads(raw)["agency_code"] for raw in value["raw"]}
        return found
    return set()


def public_functions() -> dict[str, object]:
    return {
        name: fn
        for name, fn in vars(compute).items()
        if inspect.isfunction(fn) and not name.startswith("_") and fn.__module__ == compute.__name__
    }


def test_every_public_compute_function_that_reads_units_takes_a_scope():
    missing = {name for name, fn in public_functions().items() if "scope" not in inspect.signature(fn).parameters}
    assert missing == NO_UNIT_DATA


def calls(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, object]:
    """Each public function called with the scope (and with the widest arguments)."""
    on_time = registry.metric("on_time_rate", "766")
    online = registry.metric("online_rate", "online_capable")
    params = {"date_from": FROM, "date_to": TO, "by_month": True, "tier": None, "unit": None}
    ids = compute.late_page_ids(con.cursor(), FROM, TO, scope=scope)
    every_id = compute.late_page_ids(con.cursor(), FROM, TO)  # as if a request carried other units' ids
    pareto_units = compute.late_pareto(con, FROM, TO, by="unit", limit=1000, scope=scope)
    pareto_units.attrs["by"] = "unit"
    return {
        "kpis": compute.kpis(con, FROM, TO, by=("unit", "month"), scope=scope),
        "kpis_766": compute.kpis(con, FROM, TO, by=("unit",), on_time_definition="766", scope=scope),
        "kpis_online_capable": compute.kpis(
            con, FROM, TO, by=("unit",), online_definition="online_capable", scope=scope
        ),
        "metric_rows": compute.metric_rows(con, on_time, FROM, TO, True, scope=scope),
        "metric_rows_online": compute.metric_rows(con, online, FROM, TO, False, scope=scope),
        "kpi_cube": compute.kpi_cube(con, params, scope),
        "late": compute.late(con, FROM, TO, scope=scope),
        "late_page_ids": compute.late_rows(con.cursor(), ids, FROM, TO),
        "late_rows": compute.late_rows(con.cursor(), every_id, FROM, TO, scope=scope),
        "late_pareto": pareto_units,
        "unit_list": compute.unit_list(con, scope=scope),
        "quarantine_rows": compute.quarantine_rows(con, scope=scope),
    }


def test_a_unit_scope_returns_no_row_of_another_unit(con):
    mine = busiest_units(con, 2)
    scope = limited_to(mine)
    results = calls(con, scope)
    for name, result in results.items():
        assert codes_in(result) <= set(mine), name
    # and the scope is not simply empty: the unit's own rows come back
    for name in ("kpis", "kpi_cube", "late", "late_rows", "unit_list"):
        assert codes_in(results[name]) == set(mine), name


def test_the_same_calls_without_a_scope_do_return_other_units(con):
    """The check above can fail: unscoped, the same calls see the whole province."""
    results = calls(con, Scope())
    assert len(codes_in(results["kpis"])) > 2
    assert len(codes_in(results["late"])) > 2
    assert codes_in(results["quarantine_rows"]) == {"000.30.31.H56"}


def test_a_limited_province_row_is_the_scope_s_own_aggregate(con):
    mine = busiest_units(con, 2)
    scoped = compute.kpis(con, FROM, TO, by=(), scope=limited_to(mine))
    by_unit = compute.kpis(con, FROM, TO, by=("unit",))
    for metric, row in scoped.set_index("metric").iterrows():
        own = by_unit[(by_unit["metric"] == metric) & by_unit["unit_code"].isin(mine)]
        assert row["numerator"] == own["numerator"].sum()
        assert row["denominator"] == own["denominator"].sum()
    whole = compute.kpis(con, FROM, TO, by=())
    assert (whole["denominator"] > scoped["denominator"]).all()


def test_counts_and_facts_follow_the_scope(con):
    mine = busiest_units(con, 1)
    scope = limited_to(mine)
    (own,) = con.execute("SELECT count(*) FROM dossiers WHERE agency_code = $u", {"u": mine[0]}).fetchone()
    assert compute.data_facts(con, scope)["dossiers"] == own
    assert compute.late_count(con, FROM, TO, scope=scope) == len(compute.late(con, FROM, TO, scope=scope))
    first, _last = compute.data_span(con, scope)
    (own_first,) = con.execute(
        "SELECT min(received_date) FROM dossiers WHERE agency_code = $u", {"u": mine[0]}
    ).fetchone()
    assert first == own_first
    quality = compute.quality(con, scope).set_index("rule")["dossiers"]
    assert not any(rule.startswith("quarantined") for rule in quality.index)  # the bad rows are another unit's
    assert set(compute.import_history(con, scope)["file_name"]) == {"demo_fixture.sql"}


def test_a_scope_names_its_units_for_the_reader():
    scope = limited_to(["A1", "B2", "A1"], {"A1": "Xã A", "B2": "Xã B"})
    assert scope.units == ("A1", "B2")
    assert scope.label == "Phạm vi của bạn: Xã A, Xã B"
    assert scope.allows("A1") and not scope.allows("C3")
    assert Scope().allows("C3") and not Scope().is_limited
