"""Registry-driven queries: KPIs at any grouping, the late-dossier list, the
data-quality ledger and the facts a page header needs. Every function returns a
small DataFrame; raw dossier rows leave only through the paginated late list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from metrics import ingest_report, registry
from metrics.periods import month_range
from metrics.registry import Metric

SQL_DIR = Path(__file__).with_name("sql")
GROUPINGS = ("tier", "unit", "month")
KPI_COLUMNS = [
    "metric",
    "definition",
    "tier",
    "unit_code",
    "unit_name",
    "month",
    "numerator",
    "denominator",
    "rate",
    "target",
    "meets_target",
    "coverage_numerator",
    "coverage_denominator",
    "coverage",
    "unknown",  # dossiers of the group unknown for the metric (registry.Metric.unknown)
]


def _sql(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


def selected_metrics(on_time_definition: str = "resolved", online_definition: str = "default") -> list[Metric]:
    """One definition of each metric: the KPI set a report shows."""
    chosen = {"online_rate": online_definition, "on_time_rate": on_time_definition}
    return [registry.metric(key, chosen.get(key)) for key in registry.METRIC_KEYS]


def metric_rows(
    con: duckdb.DuckDBPyConnection,
    m: Metric,
    date_from: dt.date,
    date_to: dt.date,
    by_month: bool,
    tier: str | None = None,
    unit: str | None = None,
    cube: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Numerator and denominator of one metric per unit (and month): the finest
    grain. Cube metrics are read from `cube` (kpi_cube.sql) when given."""
    params = {"date_from": date_from, "date_to": date_to, "by_month": by_month, "tier": tier, "unit": unit}
    if not m.month_basis:
        frame = con.cursor().execute(m.sql_file.read_text(encoding="utf-8"), params).df()
        frame["coverage_numerator"] = pd.NA
        frame["coverage_denominator"] = pd.NA
        if "unknown" not in frame:
            frame["unknown"] = 0
        return frame
    if cube is None:
        cube = kpi_cube(con, params)
    month = cube[f"{m.month_basis}_month"]
    frame = pd.DataFrame(
        {
            "month": [f"{int(v) // 100:04d}-{int(v) % 100:02d}" if pd.notna(v) else None for v in month]
            if by_month
            else None,
            "tier": cube["tier"],
            "agency_code": cube["agency_code"],
            "numerator": cube[m.numerator.key],
            "denominator": cube[m.denominator.key],
            "coverage_numerator": cube[m.denominator.key] if m.coverage_denominator else pd.NA,
            "coverage_denominator": cube[m.coverage_denominator.key] if m.coverage_denominator else pd.NA,
            "unknown": cube[m.unknown.key] if m.unknown else 0,
        }
    )
    # A group with nothing in the denominator is absent from every grouping and output
    # (no "0%" and no empty row), unless some of its dossiers are unknown for the
    # metric: then it is shown with no rate and its "không rõ" count.
    counted = (frame["denominator"] > 0) | (frame["unknown"] > 0)
    if m.coverage_denominator:
        counted |= frame["coverage_denominator"] > 0
    return frame[counted]


def kpi_cube(con: duckdb.DuckDBPyConnection, params: dict[str, object]) -> pd.DataFrame:
    return con.cursor().execute(_sql("kpi_cube.sql"), params).df()


def kpis(
    con: duckdb.DuckDBPyConnection,
    date_from: dt.date,
    date_to: dt.date,
    by: Sequence[str] = ("tier",),
    on_time_definition: str = "resolved",
    online_definition: str = "default",
    tier: str | None = None,
    unit: str | None = None,
    metrics: Sequence[Metric] | None = None,
) -> pd.DataFrame:
    """One row per metric and group present in the data, with its target.
    Groups are ratios of sums of the units' numerators and denominators.
    A group (unit, tier, month) with a zero denominator is absent, in every grouping
    and so in every output format, unless it has dossiers unknown for the metric
    (`unknown` > 0): then it is present with no rate."""
    unknown = set(by) - set(GROUPINGS)
    if unknown:
        raise ValueError(f"unknown grouping {sorted(unknown)}; use {GROUPINGS}")
    chosen = list(metrics) if metrics is not None else selected_metrics(on_time_definition, online_definition)
    frames = []
    cube = None
    if any(m.month_basis for m in chosen):
        params = {"date_from": date_from, "date_to": date_to, "by_month": "month" in by, "tier": tier, "unit": unit}
        cube = kpi_cube(con, params)
    for m in chosen:
        fine = metric_rows(con, m, date_from, date_to, "month" in by, tier, unit, cube)
        keys = [{"tier": "tier", "unit": "agency_code", "month": "month"}[g] for g in GROUPINGS if g in by]
        if "unit" in by and "tier" not in keys:
            keys.insert(0, "tier")
        sums = ["numerator", "denominator", "coverage_numerator", "coverage_denominator", "unknown"]
        if fine.empty:
            continue
        fine[sums] = fine[sums].astype("Float64")
        if keys:
            grouped = fine.groupby(keys, dropna=False, sort=True)[sums].sum(min_count=1).reset_index()
        else:
            grouped = fine[sums].sum(min_count=1).to_frame().T
        grouped["metric"] = m.key
        grouped["definition"] = m.definition
        frames.append(grouped)
    if not frames:
        return pd.DataFrame(columns=KPI_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    out = out.rename(columns={"agency_code": "unit_code"})
    for col in ("tier", "unit_code", "month"):
        if col not in out:
            out[col] = None
    out["unit_name"] = out["unit_code"].map(_names_for(con, out["unit_code"])) if "unit" in by else None
    out["numerator"] = out["numerator"].fillna(0).astype("int64")
    out["denominator"] = out["denominator"].fillna(0).astype("int64")
    out["unknown"] = out["unknown"].fillna(0).astype("int64")
    out["rate"] = _ratio(out["numerator"], out["denominator"])
    out["coverage"] = _ratio(out["coverage_numerator"], out["coverage_denominator"])
    for col in ("coverage_numerator", "coverage_denominator"):
        out[col] = out[col].astype("Int64")
    _attach_targets(con, out, date_from, date_to)
    out = out[KPI_COLUMNS].astype(object).where(out[KPI_COLUMNS].notna(), None)
    order = {k: i for i, k in enumerate(registry.METRIC_KEYS)}
    out = out.assign(_m=out["metric"].map(order), _t=out["tier"].map(registry.tier_order)).sort_values(
        ["_m", "_t", "unit_code", "month"], na_position="first", kind="stable"
    )
    return out.drop(columns=["_m", "_t"]).reset_index(drop=True)


def _names_for(con: duckdb.DuckDBPyConnection, codes: pd.Series) -> dict[str, str]:
    """Catalogue names; for units the catalogue lacks, the name their exports gave
    (looked up only for those, so the common case costs no scan)."""
    names = dict(con.cursor().execute("SELECT unit_code, unit_name FROM units").fetchall())
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
    table = con.cursor().execute("SELECT metric, tier, valid_from, valid_to, target FROM targets").fetchall()

    def lookup(metric: str, tier: str | None, month: str | None) -> float | None:
        on = date_to
        if month:
            on = min(month_range(int(month[:4]), int(month[5:7]))[1], date_to)
        found = [
            (row_tier != "all", valid_from, target)
            for m, row_tier, valid_from, valid_to, target in table
            if m == metric and row_tier in (tier, "all") and valid_from <= on and (valid_to is None or valid_to >= on)
        ]
        return max(found)[2] if found else None

    found: dict[tuple[str, str | None, str | None], float | None] = {}
    for key in zip(out["metric"], out["tier"], out["month"], strict=True):
        if key not in found:  # a few dozen distinct keys behind thousands of unit rows
            found[key] = lookup(*key)
    out["target"] = [found[key] for key in zip(out["metric"], out["tier"], out["month"], strict=True)]
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


def _late_params(date_from: dt.date, date_to: dt.date, **filters: object) -> dict[str, object]:
    params: dict[str, object] = {
        "date_from": date_from,
        "date_to": date_to,
        "tier": None,
        "unit": None,
        "kind": None,
        "procedure": None,
        "field": None,
        "channel": None,
        "min_days": None,
        "max_days": None,
    }
    unknown = set(filters) - set(params)
    if unknown:
        raise ValueError(f"unknown late-list filter {sorted(unknown)}")
    params.update({k: v for k, v in filters.items() if v not in ("", [])})
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
    **filters: object,
) -> pd.DataFrame:
    """Late dossiers of the period (resolved late, open and overdue), one page of them."""
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")  # one snapshot: the row ids of step 1 hold in step 2
    try:
        ids = late_page_ids(
            cur, date_from, date_to, order_by=order_by, descending=descending, limit=limit, offset=offset, **filters
        )
        return late_rows(cur, ids, date_from, date_to, **filters)
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
        **_late_params(date_from, date_to, **filters),
        "limit": limit if limit is not None else 2**62,
        "offset": offset,
    }
    sql = (
        f"SELECT rid FROM ({_sql('late.sql')}) ORDER BY {LATE_ORDER[order_by]} {direction} NULLS LAST, "
        "dossier_code LIMIT $limit OFFSET $offset"
    )
    return [r[0] for r in cur.execute(sql, params).fetchall()]


def late_rows(
    cur: duckdb.DuckDBPyConnection, ids: list[int], date_from: dt.date, date_to: dt.date, **filters: object
) -> pd.DataFrame:
    """The late-list rows with these ids, in the ids' order (`cur`: as late_page_ids)."""
    params = {**_late_params(date_from, date_to, **filters), "rids": ids}
    rows = cur.execute(f"SELECT * FROM ({_sql('late.sql')}) WHERE rid = ANY($rids)", params).df()
    order = {rid: i for i, rid in enumerate(ids)}
    rows = rows.sort_values("rid", key=lambda col: col.map(order)).drop(columns=["rid"])
    return rows.reset_index(drop=True)


def late_count(con: duckdb.DuckDBPyConnection, date_from: dt.date, date_to: dt.date, **filters: object) -> int:
    sql = f"SELECT count(*) FROM ({_sql('late.sql')})"
    return int(con.cursor().execute(sql, _late_params(date_from, date_to, **filters)).fetchone()[0])


def late_pareto(
    con: duckdb.DuckDBPyConnection,
    date_from: dt.date,
    date_to: dt.date,
    by: str = "procedure",
    limit: int = 20,
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
    params = _late_params(date_from, date_to, **filters)
    params["limit"] = limit
    return con.cursor().execute(sql, params).df()


# ------------------------------------------------------------------ data quality


def quality(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The data-quality ledger, rule by rule: records kept but excluded from the
    metrics they would corrupt, and rows quarantined at import, by reason."""
    return con.cursor().execute(_sql("quality.sql")).df().drop(columns=["ord"])


# ------------------------------------------------------------------ page facts


def freshness(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    row = (
        con.cursor()
        .execute(
            "SELECT max(received_date), max(end_date), count(*), (SELECT max(imported_at) FROM imports) FROM dossiers"
        )
        .fetchone()
    )
    return {"latest_received": row[0], "latest_end": row[1], "dossiers": int(row[2]), "last_import_at": row[3]}


def data_span(con: duckdb.DuckDBPyConnection) -> tuple[dt.date, dt.date] | None:
    row = (
        con.cursor()
        .execute("SELECT min(received_date), greatest(max(received_date), max(end_date)) FROM dossiers")
        .fetchone()
    )
    return None if row[0] is None else (row[0], row[1])


def unit_list(con: duckdb.DuckDBPyConnection, tier: str | None = None) -> pd.DataFrame:
    return (
        con.cursor()
        .execute(
            "SELECT d.agency_code AS unit_code, coalesce(any_value(u.unit_name), any_value(d.agency_name)) "
            "AS unit_name, any_value(d.tier) AS tier, count(*) AS dossiers "
            "FROM dossiers d LEFT JOIN units u ON u.unit_code = d.agency_code "
            "WHERE d.agency_code IS NOT NULL AND ($tier IS NULL OR d.tier = $tier) "
            "GROUP BY d.agency_code ORDER BY unit_name",
            {"tier": tier},
        )
        .df()
    )


def import_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.cursor().execute("SELECT * FROM imports ORDER BY import_id DESC").df()


def quarantine_rows(con: duckdb.DuckDBPyConnection, limit: int = 1000) -> pd.DataFrame:
    return (
        con.cursor()
        .execute(
            "SELECT q.import_id, q.file_name, q.source_row, q.reason_vi, q.reason_en, q.raw "
            "FROM quarantine q ORDER BY q.import_id DESC, q.source_row LIMIT $limit",
            {"limit": limit},
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


def import_report(con: duckdb.DuckDBPyConnection, import_id: int) -> dict[str, object] | None:
    """The per-file report of one import (metrics/ingest_report.py): lists read, header
    row, column mapping, columns ignored, KPIs the file cannot support, row counts."""
    return ingest_report.load(con.cursor(), import_id)
