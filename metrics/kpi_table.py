"""The KPI table as plain rows: one dict per metric and group, built from one cube
query (sql/kpi_cube.sql) and a few hundred lines of arithmetic in Python.

Why not pandas here: the table is a few hundred rows, so a DataFrame's fixed costs
(grouping, casting, `where`) outweighed the query itself, and the command line
(`python -m metrics kpis`) should not pay pandas' import time for it.
compute.kpis wraps these rows in a DataFrame for the pages; the CLI prints them
as they are. The rules (ratio of sums, absent empty groups, targets, history)
are those documented on compute.kpis."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from metrics import kpi_units, registry
from metrics.periods import month_range
from metrics.registry import Metric
from metrics.scope import Scope
from metrics.scope import param as scope_param

if TYPE_CHECKING:
    import duckdb

GROUPINGS = ("tier", "unit", "month")
KPI_COLUMNS = (
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
    "history",
    "unknown",  # dossiers of the group unknown for the metric (registry.Metric.unknown)
)
# The finest grain of one metric: per unit (and month), before any grouping.
FINE_COLUMNS = (
    "month",
    "tier",
    "agency_code",
    "numerator",
    "denominator",
    "coverage_numerator",
    "coverage_denominator",
    "unknown",
)
SUMS = ("numerator", "denominator", "coverage_numerator", "coverage_denominator", "unknown")

Row = dict[str, object]


@functools.cache
def sql(path: str) -> str:
    """An SQL file's text, read once per process."""
    with open(path, encoding="utf-8") as f:
        return f.read()


def _fetch(con: duckdb.DuckDBPyConnection, query: str, params: dict[str, object]) -> list[Row]:
    cur = con.cursor()
    rows = cur.execute(query, params).fetchall()
    names = [d[0] for d in cur.description or ()]
    return [dict(zip(names, r, strict=True)) for r in rows]


CUBE_KEYS = ("agency_code", "tier", "received_month", "end_month")
CUBE_PARAMS = ("date_from", "date_to", "by_month")


def cube_rows(
    con: duckdb.DuckDBPyConnection,
    params: dict[str, object],
    scope: Scope | None = None,
    units: kpi_units.Units | None = None,
) -> list[Row]:
    """Every cube count (sql/kpi_cube.sql) per unit (and month), one row per CUBE_KEYS:
    the query's groups attributed to their unit in the view params['units']
    (kpi_units.attribute), then kept when the attributed unit passes the tier, unit and
    scope filters, and summed where two groups land on one unit (a merger; a file tier
    the catalogue overrides)."""
    units = kpi_units.load(con) if units is None else units
    view = params.get("units", registry.UNITS_AS_WAS)
    want_tier, want_unit, allowed = params.get("tier"), params.get("unit"), scope_param(scope)
    cur = con.cursor()
    found = cur.execute(sql(str(registry.SQL_DIR / "kpi_cube.sql")), {k: params[k] for k in CUBE_PARAMS}).fetchall()
    measures = [d[0] for d in cur.description or ()][len(CUBE_KEYS) :]
    cube: dict[tuple[object, ...], list[int]] = {}
    for handled_by, file_tier, received_month, end_month, *counts in found:
        code, tier = kpi_units.attribute(handled_by, file_tier, units, str(view))
        # the SQL's `$x IS NULL OR x = $x`: a NULL tier or code passes no filter
        if want_tier is not None and tier != want_tier:
            continue
        if want_unit is not None and code != want_unit:
            continue
        if allowed is not None and code not in allowed:
            continue
        key = (code, tier, received_month, end_month)
        seen = cube.get(key)
        if seen is None:
            cube[key] = counts
        else:
            cube[key] = [a + b for a, b in zip(seen, counts, strict=True)]
    return [{**dict(zip(CUBE_KEYS, k, strict=True)), **dict(zip(measures, v, strict=True))} for k, v in cube.items()]


def _month(v: object) -> str | None:
    return None if v is None else f"{int(v) // 100:04d}-{int(v) % 100:02d}"  # type: ignore[call-overload]


def fine_rows(
    con: duckdb.DuckDBPyConnection,
    m: Metric,
    params: dict[str, object],
    cube: list[Row] | None = None,
    scope: Scope | None = None,
) -> list[Row]:
    """Numerator and denominator of one metric per unit (and month): the finest grain
    (FINE_COLUMNS). Cube metrics are read from `cube` (cube_rows) when given. A cube
    group with nothing in the denominator is left out (no "0%" and no empty row),
    unless some of its dossiers are unknown for the metric: then it stays, with its
    "không rõ" count."""
    if not m.month_basis:
        found = _fetch(con, sql(str(m.sql_file)), {**params, "scope": scope_param(scope)})
        return [
            {
                **{c: r.get(c) for c in ("month", "tier", "agency_code", "numerator", "denominator")},
                "coverage_numerator": None,
                "coverage_denominator": None,
                "unknown": r.get("unknown", 0),
            }
            for r in found
        ]
    if cube is None:
        cube = cube_rows(con, params, scope)
    by_month = bool(params["by_month"])
    basis = f"{m.month_basis}_month"
    num, den = m.numerator.key, m.denominator.key
    cov = m.coverage_denominator.key if m.coverage_denominator else None
    unk = m.unknown.key if m.unknown else None
    out = []
    for r in cube:
        unknown = r[unk] if unk else 0
        if not (r[den] > 0 or unknown > 0 or (cov and r[cov] > 0)):  # type: ignore[operator]
            continue
        out.append(
            {
                "month": _month(r[basis]) if by_month else None,
                "tier": r["tier"],
                "agency_code": r["agency_code"],
                "numerator": r[num],
                "denominator": r[den],
                "coverage_numerator": r[den] if cov else None,
                "coverage_denominator": r[cov] if cov else None,
                "unknown": unknown,
            }
        )
    return out


def _last(v: object) -> tuple[bool, object]:
    """Sort key: None after every value (pandas groupby, dropna=False)."""
    return (v is None, v if v is not None else "")


def _first(v: object) -> tuple[bool, object]:
    """Sort key: None before every value (sort_values, na_position='first')."""
    return (v is not None, v if v is not None else "")


def _grouped(fine: list[Row], keys: list[str]) -> list[Row]:
    """Sums of the fine rows by `keys`, in key order; a sum of nothing but None is None."""
    groups: dict[tuple[object, ...], Row] = {}
    for r in fine:
        k = tuple(r[c] for c in keys)
        g = groups.get(k)
        if g is None:
            groups[k] = {**dict(zip(keys, k, strict=True)), **{c: r[c] for c in SUMS}}
            continue
        for c in SUMS:
            if r[c] is not None:
                g[c] = r[c] if g[c] is None else g[c] + r[c]  # type: ignore[operator]
    return [groups[k] for k in sorted(groups, key=lambda k: [_last(v) for v in k])]


def row_period(month: str | None, date_from: dt.date, date_to: dt.date) -> tuple[dt.date, dt.date]:
    """The period a KPI row describes: its month clipped to the period, or the period."""
    if not month:
        return date_from, date_to
    first, last = month_range(int(month[:4]), int(month[5:7]))
    return max(first, date_from), min(last, date_to)


def _ratio(num: object, den: object) -> float | None:
    """num / den, None where den is 0 or missing: a rate with no dossiers has no value."""
    if num is None or den is None or den <= 0:  # type: ignore[operator]
        return None
    return num / den  # type: ignore[operator]


def target_lookup(
    con: duckdb.DuckDBPyConnection, date_from: dt.date, date_to: dt.date
) -> Callable[[str, str | None, str | None], float | None]:
    """A function (metric, tier, month) -> the target in force on the last day of the
    row's period (the month's last day, clipped to the period, when grouped by month);
    a tier's own row beats 'all'."""
    table = con.cursor().execute("SELECT metric, tier, valid_from, valid_to, target FROM targets").fetchall()
    found: dict[tuple[str, str | None, str | None], float | None] = {}

    def lookup(metric: str, tier: str | None, month: str | None) -> float | None:
        key = (metric, tier, month)
        if key not in found:  # a few dozen distinct keys behind thousands of unit rows
            on = row_period(month, date_from, date_to)[1]
            hits = [
                (row_tier != registry.ALL_TIERS, valid_from, target)
                for m, row_tier, valid_from, valid_to, target in table
                if m == metric
                and row_tier in (tier, registry.ALL_TIERS)
                and valid_from <= on
                and (valid_to is None or valid_to >= on)
            ]
            found[key] = max(hits)[2] if hits else None
        return found[key]

    return lookup


def selected_metrics(
    on_time_definition: str = registry.ON_TIME_DEFAULT, online_definition: str = registry.ONLINE_DEFAULT
) -> list[Metric]:
    """One definition of each metric: the KPI set a report shows."""
    chosen = {"online_rate": online_definition, "on_time_rate": on_time_definition}
    return [registry.metric(key, chosen.get(key)) for key in registry.METRIC_KEYS]


def query_params(
    date_from: dt.date, date_to: dt.date, by_month: bool, tier: str | None, unit: str | None, units: str
) -> dict[str, object]:
    """The bound parameters of the cube and of each metric's own query (fine_rows)."""
    return {
        "date_from": date_from,
        "date_to": date_to,
        "by_month": by_month,
        "tier": tier,
        "unit": unit,
        "units": registry.unit_view(units).code,
    }


def kpi_rows(
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
) -> list[Row]:
    """compute.kpis as a list of dicts with the keys KPI_COLUMNS, in its order."""
    unknown = set(by) - set(GROUPINGS)
    if unknown:
        raise ValueError(f"unknown grouping {sorted(unknown)}; use {GROUPINGS}")
    chosen = list(metrics) if metrics is not None else selected_metrics(on_time_definition, online_definition)
    params = query_params(date_from, date_to, "month" in by, tier, unit, units)
    catalogue = kpi_units.load(con)
    cube = cube_rows(con, params, scope, catalogue) if any(m.month_basis for m in chosen) else None
    keys = [{"tier": "tier", "unit": "agency_code", "month": "month"}[g] for g in GROUPINGS if g in by]
    if "unit" in by and "tier" not in keys:
        keys.insert(0, "tier")
    out: list[Row] = []
    for m in chosen:
        fine = fine_rows(con, m, params, cube, scope)
        if not fine:
            continue
        for g in _grouped(fine, keys):
            out.append({"metric": m.key, "definition": m.definition, **g})
    if not out:
        return []
    names = {}
    if "unit" in by:
        codes = {str(r["agency_code"]) for r in out if r.get("agency_code") is not None}
        names = {code: catalogue[code].name for code in codes & catalogue.keys()}
        names.update(kpi_units.exported_names(con, sorted(codes - names.keys())))
    target = target_lookup(con, date_from, date_to)
    # the row's period and whether its tier was in force over it: a few dozen distinct
    # (tier, month) pairs behind hundreds of unit rows
    periods: dict[tuple[object, object], tuple[dt.date, dt.date, bool]] = {}
    rows = []
    for r in out:
        code, month, tier_code = r.get("agency_code"), r.get("month"), r.get("tier")
        num, den = r["numerator"] or 0, r["denominator"] or 0
        rate = _ratio(num, den)
        if (tier_code, month) not in periods:
            p_from, p_to = row_period(month, date_from, date_to)  # type: ignore[arg-type]
            tier_gone = tier_code in registry.TIER_CODES and not registry.tier(tier_code).rated_for(p_from, p_to)  # type: ignore[arg-type]
            periods[(tier_code, month)] = (p_from, p_to, tier_gone)
        p_from, p_to, gone = periods[(tier_code, month)]
        known = catalogue.get(code)  # type: ignore[call-overload]
        if known is not None:
            gone = gone or known.valid_from > p_from or known.valid_to < p_to
        t = None if gone else target(r["metric"], tier_code, month)  # type: ignore[arg-type]
        rows.append(
            {
                "metric": r["metric"],
                "definition": r["definition"],
                "tier": tier_code,
                "unit_code": code,
                "unit_name": names.get(str(code)) if code is not None else None,
                "month": month,
                "numerator": num,
                "denominator": den,
                "rate": rate,
                "target": t,
                "meets_target": None if rate is None or t is None else rate >= t - 1e-12,
                "coverage_numerator": r["coverage_numerator"],
                "coverage_denominator": r["coverage_denominator"],
                "coverage": _ratio(r["coverage_numerator"], r["coverage_denominator"]),
                "history": gone,
                "unknown": r["unknown"] or 0,
            }
        )
    order = {k: i for i, k in enumerate(registry.METRIC_KEYS)}
    tiers = {t: registry.tier_order(t) for t in {r["tier"] for r in rows}}  # type: ignore[arg-type]
    rows.sort(key=lambda r: (order[r["metric"]], tiers[r["tier"]], _first(r["unit_code"]), _first(r["month"])))  # type: ignore[index]
    return rows
