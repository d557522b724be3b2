"""Registry-driven queries: KPIs at any grouping, the late-dossier list, the
data-quality ledger and the facts a page header needs. Every function returns a
small DataFrame; raw dossier rows leave only through the paginated late list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from metrics import forecast, ingest_report, kpi_counts, kpi_table, registry
from metrics.registry import Metric
from metrics.scope import Scope
from metrics.scope import param as scope_param

SQL_DIR = Path(__file__).with_name("sql")
GROUPINGS = kpi_table.GROUPINGS
KPI_COLUMNS = list(kpi_table.KPI_COLUMNS)


def _sql(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


def selected_metrics(
    on_time_definition: str = registry.ON_TIME_DEFAULT, online_definition: str = registry.ONLINE_DEFAULT
) -> list[Metric]:
    """One definition of each metric: the KPI set a report shows."""
    return kpi_table.selected_metrics(on_time_definition, online_definition)


def metric_rows(
    con: duckdb.DuckDBPyConnection,
    m: Metric,
    date_from: dt.date,
    date_to: dt.date,
    by_month: bool,
    tier: str | None = None,
    unit: str | None = None,
    units: str = registry.UNITS_AS_WAS,
    scope: Scope | None = None,
) -> pd.DataFrame:
    """Numerator and denominator of one metric per unit (and month): the finest
    grain (kpi_counts.fine_rows)."""
    params = kpi_counts.query_params(date_from, date_to, by_month, tier, unit, units)
    fine = kpi_counts.fine_rows(con, m, params, scope=scope)
    return pd.DataFrame(fine, columns=list(kpi_counts.FINE_COLUMNS))


def kpi_cube(con: duckdb.DuckDBPyConnection, params: dict[str, object], scope: Scope | None = None) -> pd.DataFrame:
    """kpi_counts.cube_rows as a DataFrame: every cube count per unit (and month)."""
    return pd.DataFrame(kpi_counts.cube_rows(con, params, scope))


def kpis(
    con: duckdb.DuckDBPyConnection,
    date_from: dt.date,
    date_to: dt.date,
    by: Sequence[str] = ("tier",),
    on_time_definition: str = registry.ON_TIME_DEFAULT,
    online_definition: str = registry.ONLINE_DEFAULT,
    tier: str | None = None,
    unit: str | None = None,
    metrics: Sequence[Metric] | None = None,
    units: str = registry.UNITS_AS_WAS,
    scope: Scope | None = None,
) -> pd.DataFrame:
    """One row per metric and group present in the data, with its target.
    Groups are ratios of sums of the units' numerators and denominators; with a
    limited scope, the ungrouped (province) row is the sum of the scope's units only.
    A group (unit, tier, month) with a zero denominator is absent, in every grouping
    and so in every output format, unless it has dossiers unknown for the metric
    (`unknown` > 0): then it is present with no rate.

    `units` is the view of the units (registry.UNIT_VIEWS): as they were (each
    dossier under the unit that handled it) or as they are now (under today's
    successor). A tier or unit that was not in force over the whole of a row's
    period is `history`: shown with its figures, never rated against a target.

    The rows are kpi_table.kpi_rows (no pandas on the way); every column is of
    dtype object, a missing value None."""
    rows = kpi_table.kpi_rows(
        con, date_from, date_to, by, on_time_definition, online_definition, tier, unit, metrics, units, scope
    )
    return pd.DataFrame([[r[c] for c in KPI_COLUMNS] for r in rows], columns=KPI_COLUMNS, dtype=object)


def _period_params(
    date_from: dt.date, date_to: dt.date, tier: str | None, unit: str | None, units: str, scope: Scope | None
) -> dict[str, object]:
    """The bound parameters every period query over `dossiers_in($units)` takes."""
    return {
        "date_from": date_from,
        "date_to": date_to,
        "tier": tier,
        "unit": unit,
        "units": registry.unit_view(units).code,
        "scope": scope_param(scope),
    }


def _mark_history(con: duckdb.DuckDBPyConnection, out: pd.DataFrame, date_from: dt.date, date_to: dt.date) -> None:
    """The target rule of registry.Tier, for tiers and for units: a tier or unit not in
    force over the whole of a row's period is history, and carries no target."""
    spans = {
        code: (start, end)
        for code, start, end in con.cursor()
        .execute("SELECT unit_code, valid_from, valid_to FROM unit_catalogue")
        .fetchall()
    }
    history = []
    for tier_code, unit_code, month in zip(out["tier"], out["unit_code"], out["month"], strict=True):
        p_from, p_to = kpi_table.row_period(month, date_from, date_to)
        gone = tier_code in registry.TIER_CODES and not registry.tier(tier_code).rated_for(p_from, p_to)
        if unit_code in spans:
            start, end = spans[unit_code]
            gone = gone or start > p_from or end < p_to
        history.append(gone)
    out["history"] = history
    out["target"] = out["target"].astype(object).where(~out["history"], None)
    out["meets_target"] = out["meets_target"].astype(object).where(~out["history"], None)


def _names_for(con: duckdb.DuckDBPyConnection, codes: pd.Series) -> dict[str, str]:
    """Catalogue names; for units the catalogue lacks, the name their exports gave
    (looked up only for those, so the common case costs no scan)."""
    names = dict(con.cursor().execute("SELECT unit_code, unit_name FROM unit_catalogue").fetchall())
    missing = sorted({c for c in codes.dropna() if c not in names})
    if missing:
        names.update(
            con.cursor()
            .execute(
                "SELECT agency_code, any_value(agency_name) FROM dossiers WHERE agency_code IN "
                "(SELECT unnest($codes)) GROUP BY 1",
                {"codes": missing},
            )
            .fetchall()
        )
    return names


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    """num / den, None where den is 0 or missing: a rate with no dossiers has no value."""
    num = pd.to_numeric(num, errors="coerce").astype("float64")
    den = pd.to_numeric(den, errors="coerce").astype("float64")
    return (num / den).where(den > 0)


def _attach_targets(con: duckdb.DuckDBPyConnection, out: pd.DataFrame, date_from: dt.date, date_to: dt.date) -> None:
    """The target in force on the last day of each row's period (the month's last
    day, clipped to the period, when grouped by month); a tier's own row beats 'all'."""
    lookup = kpi_table.target_lookup(con, date_from, date_to)
    out["target"] = [lookup(*key) for key in zip(out["metric"], out["tier"], out["month"], strict=True)]
    out["meets_target"] = [
        None if r is None or t is None or pd.isna(r) or pd.isna(t) else bool(r >= t - 1e-12)
        for r, t in zip(out["rate"], out["target"], strict=True)
    ]


def target_for(con: duckdb.DuckDBPyConnection, metric_key: str, tier: str | None, on: dt.date) -> float | None:
    frame = pd.DataFrame({"metric": [metric_key], "tier": [tier], "month": [None], "rate": [None]})
    _attach_targets(con, frame, on, on)
    value = frame["target"].iloc[0]
    return None if value is None or pd.isna(value) else float(value)


# ------------------------------------------------------------------ late dossiers

LATE_ORDER = {
    "days_late": "days_late",
    "due_at": "due_at",
    "end_at": "end_at",
    "dossier_code": "dossier_code",
    "agency_name": "agency_name",
    "procedure_name": "procedure_name",
    "received_at": "received_at",
}


def _late_params(
    date_from: dt.date, date_to: dt.date, scope: Scope | None = None, **filters: object
) -> dict[str, object]:
    params: dict[str, object] = {
        "date_from": date_from,
        "date_to": date_to,
        "scope": scope_param(scope),
        "tier": None,
        "unit": None,
        "kind": None,
        "procedure": None,
        "field": None,
        "channel": None,
        "min_days": None,
        "max_days": None,
        "units": registry.UNITS_AS_WAS,
        # which on-time reading "late" follows: the provincial one, or the 766 index's
        # (carried-over and open dossiers, more than one supplement request)
        "definition": registry.ON_TIME_DEFAULT,
    }
    unknown = set(filters) - set(params)
    if unknown:
        raise ValueError(f"unknown late-list filter {sorted(unknown)}")
    params.update({k: v for k, v in filters.items() if v not in ("", [])})
    params["by_766"] = params.pop("definition") == registry.DEFINITION_766
    return params


def late(
    con: duckdb.DuckDBPyConnection,
    date_from: dt.date,
    date_to: dt.date,
    *,
    order_by: str = "days_late",
    descending: bool = True,
    limit: int | None = None,
    offset: int = 0,
    scope: Scope | None = None,
    **filters: object,
) -> pd.DataFrame:
    """Late dossiers of the period (resolved late, open and overdue), one page of them."""
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")  # one snapshot: the row ids of step 1 hold in step 2
    try:
        ids = late_page_ids(
            cur,
            date_from,
            date_to,
            order_by=order_by,
            descending=descending,
            limit=limit,
            offset=offset,
            scope=scope,
            **filters,
        )
        return late_rows(cur, ids, date_from, date_to, scope=scope, **filters)
    finally:
        cur.execute("COMMIT")


def late_page_ids(
    cur: duckdb.DuckDBPyConnection,
    date_from: dt.date,
    date_to: dt.date,
    *,
    order_by: str = "days_late",
    descending: bool = True,
    limit: int | None = None,
    offset: int = 0,
    scope: Scope | None = None,
    **filters: object,
) -> list[int]:
    """The row ids of one page of the late list, in order. Ranking reads only the
    columns the order needs; a page's details are then read by id (late_rows),
    which halves a page's cost at 10M dossiers. Ids hold until the next import.
    `cur` is a cursor of its own (con.cursor()): it may be inside a transaction."""
    if order_by not in LATE_ORDER:
        raise ValueError(f"cannot order by {order_by!r}")
    direction = "DESC" if descending else "ASC"
    params = {
        **_late_params(date_from, date_to, scope, **filters),
        "limit": limit if limit is not None else 2**62,
        "offset": offset,
    }
    sql = (
        f"SELECT rid FROM ({_sql('late.sql')}) ORDER BY {LATE_ORDER[order_by]} {direction} NULLS LAST, "
        "dossier_code LIMIT $limit OFFSET $offset"
    )
    return [r[0] for r in cur.execute(sql, params).fetchall()]


def late_rows(
    cur: duckdb.DuckDBPyConnection,
    ids: list[int],
    date_from: dt.date,
    date_to: dt.date,
    scope: Scope | None = None,
    **filters: object,
) -> pd.DataFrame:
    """The late-list rows with these ids, in the ids' order (`cur`: as late_page_ids).
    The scope is applied again: ids from outside it (an edited request) return nothing."""
    params = {**_late_params(date_from, date_to, scope, **filters), "rids": ids}
    rows = cur.execute(f"SELECT * FROM ({_sql('late.sql')}) WHERE rid = ANY($rids)", params).df()
    order = {rid: i for i, rid in enumerate(ids)}
    rows = rows.sort_values("rid", key=lambda col: col.map(order)).drop(columns=["rid"])
    return rows.reset_index(drop=True)


def late_count(
    con: duckdb.DuckDBPyConnection,
    date_from: dt.date,
    date_to: dt.date,
    scope: Scope | None = None,
    **filters: object,
) -> int:
    sql = f"SELECT count(*) FROM ({_sql('late.sql')})"
    row = con.cursor().execute(sql, _late_params(date_from, date_to, scope, **filters)).fetchone()
    assert row is not None  # count(*) always returns a row
    return int(row[0])


def late_pareto(
    con: duckdb.DuckDBPyConnection,
    date_from: dt.date,
    date_to: dt.date,
    by: str = "procedure",
    limit: int = 20,
    scope: Scope | None = None,
    **filters: object,
) -> pd.DataFrame:
    """Late dossiers by procedure or unit, most first, with the cumulative share:
    what to fix first."""
    key, name = {"procedure": ("procedure_code", "procedure_name"), "unit": ("agency_code", "agency_name")}[by]
    sql = (
        f"WITH l AS ({_sql('late.sql')}), g AS ("
        f"SELECT {key} AS key, any_value({name}) AS name, count(*) AS dossiers FROM l GROUP BY 1) "
        "SELECT key, name, dossiers, dossiers / sum(dossiers) OVER () AS share, "
        "sum(dossiers) OVER (ORDER BY dossiers DESC, key ROWS UNBOUNDED PRECEDING) "
        "/ sum(dossiers) OVER () AS cumulative_share "
        "FROM g ORDER BY dossiers DESC, key LIMIT $limit"
    )
    params = _late_params(date_from, date_to, scope, **filters)
    params["limit"] = limit
    return con.cursor().execute(sql, params).df()


# ------------------------------------------------------------------ data quality


def quality(con: duckdb.DuckDBPyConnection, scope: Scope | None = None) -> pd.DataFrame:
    """The data-quality ledger, rule by rule: records kept but excluded from the
    metrics they would corrupt, and rows quarantined at import, by reason."""
    return con.cursor().execute(_sql("quality.sql"), {"scope": scope_param(scope)}).df().drop(columns=["ord"])


# ------------------------------------------------------------------ page facts


SCOPED = "($scope IS NULL OR agency_code IN (SELECT unnest($scope)))"  # the reader's units (metrics/scope.py)


def data_span(con: duckdb.DuckDBPyConnection, scope: Scope | None = None) -> tuple[dt.date, dt.date] | None:
    row = (
        con.cursor()
        .execute(
            f"SELECT min(received_date), greatest(max(received_date), max(end_date)) FROM dossiers WHERE {SCOPED}",
            {"scope": scope_param(scope)},
        )
        .fetchone()
    )
    assert row is not None  # an aggregate without GROUP BY always returns a row
    return None if row[0] is None else (row[0], row[1])


def unit_list(con: duckdb.DuckDBPyConnection, tier: str | None = None, scope: Scope | None = None) -> pd.DataFrame:
    return (
        con.cursor()
        .execute(
            "SELECT d.agency_code AS unit_code, coalesce(any_value(u.unit_name), any_value(d.agency_name)) "
            "AS unit_name, any_value(d.tier) AS tier, count(*) AS dossiers "
            "FROM dossiers d LEFT JOIN units u ON u.unit_code = d.agency_code "
            "WHERE d.agency_code IS NOT NULL AND ($tier IS NULL OR d.tier = $tier) "
            "AND ($scope IS NULL OR d.agency_code IN (SELECT unnest($scope))) "
            "GROUP BY d.agency_code ORDER BY unit_name",
            {"tier": tier, "scope": scope_param(scope)},
        )
        .df()
    )


def import_history(con: duckdb.DuckDBPyConnection, scope: Scope | None = None) -> pd.DataFrame:
    """Every import, newest first; with a limited scope, only the imports that brought
    dossiers of its units."""
    return (
        con.cursor()
        .execute(
            "SELECT * FROM imports WHERE $scope IS NULL OR import_id IN "
            f"(SELECT DISTINCT import_id FROM dossiers WHERE {SCOPED}) ORDER BY import_id DESC",
            {"scope": scope_param(scope)},
        )
        .df()
    )


def quarantine_rows(con: duckdb.DuckDBPyConnection, limit: int = 1000, scope: Scope | None = None) -> pd.DataFrame:
    """Quarantined rows, newest import first; a row belongs to the unit its raw values name."""
    return (
        con.cursor()
        .execute(
            "SELECT q.import_id, q.file_name, q.source_row, q.reason_vi, q.reason_en, q.raw "
            "FROM quarantine q WHERE $scope IS NULL OR json_extract_string(q.raw, '$.agency_code') "
            "IN (SELECT unnest($scope)) ORDER BY q.import_id DESC, q.source_row LIMIT $limit",
            {"limit": limit, "scope": scope_param(scope)},
        )
        .df()
    )


def targets_in_force(con: duckdb.DuckDBPyConnection, on_date: dt.date) -> pd.DataFrame:
    return (
        con.cursor()
        .execute(
            "SELECT metric, tier, valid_from, valid_to, target, source FROM targets "
            "WHERE valid_from <= $on AND (valid_to IS NULL OR valid_to >= $on) ORDER BY metric, tier",
            {"on": on_date},
        )
        .df()
    )


# ------------------------------------------------------------------ freshness and coverage

# A unit whose data stops at most this many days before the newest data anywhere is
# still current: a small commune may have nothing to record on a given day.
FRESHNESS_GRACE_DAYS = 3


def freshness(con: duckdb.DuckDBPyConnection, scope: Scope | None = None) -> pd.DataFrame:
    """One row per unit (catalogue or data): its validity, data date, dossier count
    and state: current, behind (its data stops short of the newest data anywhere, or
    of its last valid day) or no_data. `as_of` is that newest data date."""
    frame = (
        con.cursor()
        .execute(_sql("freshness.sql"), {"grace_days": FRESHNESS_GRACE_DAYS, "scope": scope_param(scope)})
        .df()
    )
    for col in ("valid_from", "valid_to", "data_date", "as_of", "expected_until"):
        frame[col] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in frame[col]]
    order = frame["tier"].map(registry.tier_order)
    return (
        frame.assign(_t=order).sort_values(["_t", "unit_code"], kind="stable").drop(columns="_t").reset_index(drop=True)
    )


def coverage(
    con: duckdb.DuckDBPyConnection,
    date_from: dt.date,
    date_to: dt.date,
    tier: str | None = None,
    scope: Scope | None = None,
) -> dict[str, object]:
    """How many of the units valid in the period have data up to its end (or up to the
    newest data anywhere, for a period still running; or to their last valid day):
    a "Toàn tỉnh" figure computed from some units only must say so."""
    units = freshness(con, scope)
    if units.empty:
        return {"units_valid": 0, "units_current": 0, "behind": units}
    as_of = units["as_of"].iloc[0]
    end = date_to if pd.isna(as_of) else min(date_to, as_of)
    grace = dt.timedelta(days=FRESHNESS_GRACE_DAYS)
    valid = pd.Series(
        [
            (start is None or start <= date_to) and (stop is None or stop >= date_from)
            for start, stop in zip(units["valid_from"], units["valid_to"], strict=True)
        ],
        index=units.index,
    )
    if tier:
        valid &= units["tier"] == tier
    current = pd.Series(
        [
            data_date is not None and data_date >= min(end, stop or end) - grace
            for data_date, stop in zip(units["data_date"], units["valid_to"], strict=True)
        ],
        index=units.index,
    )
    in_period = units[valid]
    behind = in_period[~current[valid]].sort_values(["data_date", "unit_code"], na_position="first")
    return {
        "units_valid": int(valid.sum()),
        "units_current": int((valid & current).sum()),
        "until": end,
        "behind": behind.reset_index(drop=True),
    }


def data_facts(con: duckdb.DuckDBPyConnection, scope: Scope | None = None) -> dict[str, object]:
    """The freshness banner's facts: the oldest data date among active units (what the
    whole province is current to), the newest, the units behind, the last import."""
    units = freshness(con, scope)
    active = units[units["active"].fillna(False).astype(bool) & units["data_date"].notna()]
    newest = units["as_of"].dropna()
    row = (
        con.cursor()
        .execute(
            "SELECT count(*), (SELECT max(imported_at) FROM imports), max(received_date), max(end_date) "
            f"FROM dossiers WHERE {SCOPED}",
            {"scope": scope_param(scope)},
        )
        .fetchone()
    )
    assert row is not None  # an aggregate without GROUP BY always returns a row
    return {
        "latest_received": row[2],
        "latest_end": row[3],
        "oldest_data_date": None if active.empty else min(active["data_date"]),
        "newest_data_date": None if newest.empty else newest.iloc[0],
        "units_behind": int((active["state"] == "behind").sum()),
        "dossiers": int(row[0]),
        "last_import_at": row[1],
    }


# ------------------------------------------------------------------ ahead of the clock (issue 13)

DUE_SOON_DAYS = registry.DUE_SOON_DAYS


def due_soon(
    con: duckdb.DuckDBPyConnection,
    *,
    as_of: dt.date | None = None,
    days: int = DUE_SOON_DAYS,
    tier: str | None = None,
    unit: str | None = None,
    units: str = registry.UNITS_AS_WAS,
    scope: Scope | None = None,
) -> pd.DataFrame:
    """Open dossiers due within `days` working days of `as_of` (None: of their unit's data
    date), soonest first, then by unit: the week's worklist before anything is late."""
    if days < 0:
        raise ValueError("days must be 0 or more")
    cur = con.cursor()
    span = cur.execute("SELECT min(data_date), max(data_date) FROM unit_data_dates").fetchone()
    assert span is not None  # an aggregate without GROUP BY always returns a row
    first, last = (as_of, as_of) if as_of else span
    if first is None or last is None:
        first = last = dt.date.today()  # no data at all: an empty list, from the same SQL
    # 2n + 30 calendar days always hold n working days (workdays.add_working_days_array)
    cal_days, cal_rank = forecast.workday_calendar(first, last + dt.timedelta(days=2 * days + 30))
    params = {
        "as_of": as_of,
        "days": days,
        "tier": tier,
        "unit": unit,
        "units": registry.unit_view(units).code,
        "cal_days": cal_days,
        "cal_rank": cal_rank,
        "scope": scope_param(scope),
    }
    frame = cur.execute(_sql("due_soon.sql"), params).df()
    for col in ("due_date", "as_of"):
        frame[col] = [pd.Timestamp(v).date() for v in frame[col]]
    return frame


BUDGET_COLUMNS = [
    "tier",
    "unit_code",
    "unit_name",
    "definition",
    "as_of",
    "target",
    "resolved",
    "on_time",
    "rate",
    "resolved_last_year",
    "remaining_last_year",
    "expected_remaining",
    "basis",
    "late_budget",
    "needed_on_time",
    "status",
]


def _counts_by(
    con: duckdb.DuckDBPyConnection,
    m: Metric,
    date_from: dt.date,
    date_to: dt.date,
    keys: list[str],
    tier: str | None,
    unit: str | None,
    units: str,
    scope: Scope | None = None,
) -> pd.DataFrame:
    """A metric's numerator and denominator over a period, summed by `keys` (tier,
    agency_code); an empty period (to before from) counts nothing."""
    if date_to < date_from:
        return pd.DataFrame(columns=[*keys, "numerator", "denominator"])
    fine = metric_rows(con, m, date_from, date_to, False, tier, unit, units=units, scope=scope)
    fine = fine.astype({"numerator": "int64", "denominator": "int64"})
    if not keys:
        return pd.DataFrame(
            {"numerator": [int(fine["numerator"].sum())], "denominator": [int(fine["denominator"].sum())]}
        )
    return fine.groupby(keys, dropna=False)[["numerator", "denominator"]].sum().reset_index()


def _as_of_default(con: duckdb.DuckDBPyConnection, date_to: dt.date) -> dt.date:
    """The newest data date anywhere, not past the period's end."""
    row = con.cursor().execute("SELECT max(data_date) FROM unit_data_dates").fetchone()
    assert row is not None  # an aggregate without GROUP BY always returns a row
    return date_to if row[0] is None else min(date_to, row[0])


def budget(
    con: duckdb.DuckDBPyConnection,
    date_from: dt.date,
    date_to: dt.date,
    *,
    as_of: dt.date | None = None,
    on_time_definition: str = registry.ON_TIME_DEFAULT,
    by: Sequence[str] = ("unit",),
    tier: str | None = None,
    unit: str | None = None,
    units: str = registry.UNITS_AS_WAS,
    scope: Scope | None = None,
) -> pd.DataFrame:
    """The late budget of each unit (or tier, or the whole scope for by=()) for the period
    [date_from, date_to] as of `as_of` (None: the newest data date, not past date_to):
    how many more late dossiers still let the period end at the target, the on-time
    resolutions a unit below target needs, and the remaining volume estimated from the
    same months of last year (forecast.budget, docs/metrics.md)."""
    unknown = set(by) - {"tier", "unit"}
    if unknown:
        raise ValueError(f"unknown grouping {sorted(unknown)}; use tier, unit or none")
    m = registry.metric("on_time_rate", on_time_definition)
    a = as_of or _as_of_default(con, date_to)
    a = min(max(a, date_from - dt.timedelta(days=1)), date_to)
    keys = ["tier", "agency_code"] if "unit" in by else ["tier"] if "tier" in by else []
    periods = {
        "now": (date_from, a),
        "last": (forecast.year_before(date_from), forecast.year_before(a)),
        "rest": (forecast.year_before(a + dt.timedelta(days=1)), forecast.year_before(date_to)),
    }
    merged: pd.DataFrame | None = None
    for name, (p_from, p_to) in periods.items():
        part = _counts_by(con, m, p_from, p_to, keys, tier, unit, units, scope)
        part = part.rename(columns={"numerator": f"{name}_num", "denominator": f"{name}_den"})
        merged = (
            part
            if merged is None
            else (merged.merge(part, on=keys, how="outer") if keys else pd.concat([merged, part], axis=1))
        )
    assert merged is not None
    merged = merged.fillna({c: 0 for c in merged.columns if c.endswith(("_num", "_den"))})
    out = pd.DataFrame(
        {
            "tier": merged["tier"] if "tier" in merged else None,
            "unit_code": merged["agency_code"] if "agency_code" in merged else None,
            "metric": m.key,
            "month": None,
            "definition": m.definition,
            "as_of": a,
            "resolved": merged["now_den"].astype("int64"),
            "on_time": merged["now_num"].astype("int64"),
            "resolved_last_year": merged["last_den"].astype("int64"),
            "remaining_last_year": merged["rest_den"].astype("int64"),
        }
    )
    out["rate"] = _ratio(out["on_time"], out["resolved"])
    _attach_targets(con, out, date_from, date_to)
    _mark_history(con, out, date_from, date_to)
    figures = [
        forecast.budget(r, o, r1, q1, t, date_from, date_to, a)
        for r, o, r1, q1, t in zip(
            out["resolved"],
            out["on_time"],
            out["resolved_last_year"],
            out["remaining_last_year"],
            out["target"],
            strict=True,
        )
    ]
    for field in ("expected_remaining", "basis", "late_budget", "needed_on_time", "status"):
        out[field] = pd.Series([getattr(b, field) for b in figures], index=out.index, dtype=object)
    out["unit_name"] = out["unit_code"].map(_names_for(con, out["unit_code"])) if "unit" in by else None
    out = out[BUDGET_COLUMNS].astype(object).where(out[BUDGET_COLUMNS].notna(), None)
    return _in_order(out)


def _in_order(out: pd.DataFrame) -> pd.DataFrame:
    order = out["tier"].map(registry.tier_order)
    return (
        out.assign(_t=order).sort_values(["_t", "unit_code"], kind="stable").drop(columns="_t").reset_index(drop=True)
    )


SCORE766_COLUMNS = [
    "tier",
    "unit_code",
    "unit_name",
    "on_time_rate_766",
    "tien_do_points",
    "online_rate",
    "online_points",
    "satisfaction_54_rate",
    "points_covered",
    "points_left_out",
    "points",
    "covers",
    "label",
]


def score766(
    con: duckdb.DuckDBPyConnection,
    date_from: dt.date,
    date_to: dt.date,
    by: Sequence[str] = ("unit",),
    *,
    tier: str | None = None,
    unit: str | None = None,
    units: str = registry.UNITS_AS_WAS,
    scope: Scope | None = None,
) -> pd.DataFrame:
    """The parts of the Decision 766 score that dossiers support, per unit, tier or the
    whole scope (by=()): tiến độ (20 × the 766 on-time rate), the online part of Dịch vụ
    công trực tuyến (min(1, rate / 50%) × 6, one vendor's sub-weights) and satisfaction
    in form 5.4 (a rate, no points). Each row says which groups it covers and how many
    of the 100 points it leaves out; an estimate, never the portal's score."""
    unknown = set(by) - {"tier", "unit"}
    if unknown:
        raise ValueError(f"unknown grouping {sorted(unknown)}; use tier, unit or none")
    keys = ["tier", "agency_code"] if "unit" in by else ["tier"] if "tier" in by else []
    parts = {
        "tien_do": registry.metric("on_time_rate", registry.DEFINITION_766),
        "online": registry.metric("online_rate", registry.ONLINE_DEFAULT),
    }
    merged: pd.DataFrame | None = None
    for name, m in parts.items():
        part = _counts_by(con, m, date_from, date_to, keys, tier, unit, units, scope)
        part = part.rename(columns={"numerator": f"{name}_num", "denominator": f"{name}_den"})
        merged = (
            part
            if merged is None
            else (merged.merge(part, on=keys, how="outer") if keys else pd.concat([merged, part], axis=1))
        )
    params = _period_params(date_from, date_to, tier, unit, units, scope)
    sat = con.cursor().execute(_sql("satisfaction_54.sql"), params).df()
    sat = (
        sat.groupby(keys, dropna=False)[["resolved", "resolved_late", "resolved_all", "disliked"]].sum().reset_index()
        if keys
        else sat[["resolved", "resolved_late", "resolved_all", "disliked"]].sum().to_frame().T
    )
    assert merged is not None
    merged = merged.merge(sat, on=keys, how="outer") if keys else pd.concat([merged, sat], axis=1)
    merged = merged.fillna({c: 0 for c in merged.columns if c not in keys})
    rows = []
    for rec in merged.to_dict(orient="records"):
        on_time = forecast.rate(int(rec["tien_do_num"]), int(rec["tien_do_den"]))
        online = forecast.rate(int(rec["online_num"]), int(rec["online_den"]))
        tien_do_pts, online_pts = forecast.tien_do_points(on_time), forecast.online_points(online)
        points_covered, points = forecast.covered(tien_do_pts, online_pts)
        covers = [g for g, p in (("TDGQ", tien_do_pts), ("CLGQ", online_pts)) if p is not None]
        rows.append(
            {
                "tier": rec.get("tier"),
                "unit_code": rec.get("agency_code"),
                "on_time_rate_766": on_time,
                "tien_do_points": tien_do_pts,
                "online_rate": online,
                "online_points": online_pts,
                "satisfaction_54_rate": forecast.satisfaction_54(
                    int(rec["resolved"]), int(rec["resolved_late"]), int(rec["resolved_all"]), int(rec["disliked"])
                ),
                "points_covered": points_covered,
                "points_left_out": forecast.TOTAL_766 - points_covered,
                "points": points,
                "covers": covers,
                "label": forecast.ESTIMATE_LABEL_VI,
            }
        )
    out = pd.DataFrame(rows, columns=[c for c in SCORE766_COLUMNS if c != "unit_name"])
    out["unit_name"] = out["unit_code"].map(_names_for(con, out["unit_code"])) if "unit" in by else None
    out = out[SCORE766_COLUMNS].astype(object).where(out[SCORE766_COLUMNS].notna(), None)
    return _in_order(out)


# ------------------------------------------------------------------ Biểu 06 (Circular 01/2020)

BIEU06_COUNTS = registry.BIEU06_COUNTS
BIEU06_COLUMNS = [
    "level",
    "tier",
    "unit_code",
    "unit_name",
    *BIEU06_COUNTS,
    "on_time_rate",
    "online_share",
    "overdue_share",
    "history",
]


def bieu06(
    con: duckdb.DuckDBPyConnection,
    date_from: dt.date,
    date_to: dt.date,
    tier: str | None = None,
    unit: str | None = None,
    units: str = registry.UNITS_AS_WAS,
    scope: Scope | None = None,
) -> pd.DataFrame:
    """The official reporting table Biểu 06/VPCP/KSTT (Circular 01/2020/TT-VPCP) for the
    period P = [date_from, date_to]: one row per unit (`level` 'unit'), a subtotal per
    tier ('tier') and the scope's total ('total'), in that reading order: the total, then
    each tier's subtotal followed by its units by name.

    The table's dossiers: status not 1 or 3, a sound timeline (the quality ledger's
    breakers are left out), and either resolved in P (status 9 or 10, end in P) or still
    in progress at the end of P (received by `date_to`, not ended by it; a status 7 or 8
    without an end date counts as ended). Dossiers withdrawn or stopped in P are in
    neither. Hence received = resolved + in_progress.

    Received (Số hồ sơ nhận giải quyết) = carried_over + new_online + new_direct_postal:
      carried_over       Từ kỳ trước chuyển sang: received before date_from;
      new_online         Mới tiếp nhận trực tuyến: received in P, channel online;
      new_direct_postal  Mới tiếp nhận trực tiếp và qua dịch vụ bưu chính công ích:
                         received in P, any other channel.
    Resolved (Số hồ sơ đã giải quyết) = resolved_early + resolved_on_due + resolved_late
    (the on_time_rate `resolved` denominator; early + on due is its numerator):
      resolved_early     Trước hạn: end date before the due date;
      resolved_on_due    Đúng hạn: end date on the due date, or no due date;
      resolved_late      Quá hạn: end date after the due date (= late list's resolved_late).
    In progress at the end of P (Số hồ sơ đang giải quyết) = open_within_due + open_overdue,
    judged on date_to, or for a dossier with no end date on the last day its unit's data
    reaches (`data_limit`), whichever is earlier:
      open_within_due    Trong hạn: no due date, or due on or after that day;
      open_overdue       Quá hạn: due before that day (= late list's open_overdue).
    Rates (None when their denominator is 0):
      on_time_rate       (resolved_early + resolved_on_due) / resolved (on_time_rate `resolved`);
      online_share       new_online / (new_online + new_direct_postal);
      overdue_share      open_overdue / in_progress.
    `history`: the unit (or tier) was not in force over the whole of P: shown, never
    compared. `units` is the view of the units, as in kpis()."""
    params = _period_params(date_from, date_to, tier, unit, units, scope)
    out = con.cursor().execute(_sql("bieu06.sql"), params).df()
    for col in BIEU06_COUNTS:
        out[col] = out[col].fillna(0).astype("int64")
    out["on_time_rate"] = _ratio(out["resolved_early"] + out["resolved_on_due"], out["resolved"])
    out["online_share"] = _ratio(out["new_online"], out["new_online"] + out["new_direct_postal"])
    out["overdue_share"] = _ratio(out["open_overdue"], out["in_progress"])
    tier_gone = [t in registry.TIER_CODES and not registry.tier(t).rated_for(date_from, date_to) for t in out["tier"]]
    out["history"] = [
        lvl != "total" and (gone or (lvl == "unit" and bool(u)))
        for lvl, gone, u in zip(out["level"], tier_gone, out["unit_history"], strict=True)
    ]
    if out.empty:
        return pd.DataFrame(columns=BIEU06_COLUMNS)
    level_order = out["level"].map({"total": 0, "tier": 1, "unit": 2})
    out = out.assign(
        _l=level_order.where(level_order == 0, 1),
        _t=out["tier"].map(registry.tier_order),
        _u=(out["level"] == "unit").astype(int),
        _n=out["unit_name"].fillna("").str.casefold(),
    ).sort_values(["_l", "_t", "_u", "_n", "unit_code"], kind="stable")
    out = out[BIEU06_COLUMNS]
    return out.astype(object).where(out.notna(), None).reset_index(drop=True)


def import_report(con: duckdb.DuckDBPyConnection, import_id: int) -> dict[str, object] | None:
    """The per-file report of one import (metrics/ingest_report.py): lists read, header
    row, column mapping, columns ignored, KPIs the file cannot support, row counts."""
    return ingest_report.load(con.cursor(), import_id)
