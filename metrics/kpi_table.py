"""The KPI table as plain rows: one dict per metric and group, built from the counts
of kpi_counts (one cube query) and a few hundred lines of arithmetic in Python.

Why not pandas here: the table is a few hundred rows, so a DataFrame's fixed costs
(grouping, casting, `where`) outweighed the query itself, and the command line
(`python -m metrics kpis`) should not pay pandas' import time for it.
compute.kpis wraps these rows in a DataFrame for the pages; the CLI prints them
as they are. The rules (ratio of sums, absent empty groups, targets, history)
are those documented on compute.kpis."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from metrics import kpi_counts, kpi_units, registry
from metrics.kpi_counts import Row
from metrics.periods import month_range
from metrics.registry import Metric
from metrics.scope import Scope

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
SUMS = ("numerator", "denominator", "coverage_numerator", "coverage_denominator", "unknown")


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
    con: duckdb.DuckDBPyConnection,
    date_from: dt.date,
    date_to: dt.date,
    targets: list[kpi_units.Target] | None = None,
) -> Callable[[str, str | None, str | None], float | None]:
    """A function (metric, tier, month) -> the target in force on the last day of the
    row's period (the month's last day, clipped to the period, when grouped by month);
    a tier's own row beats 'all'. `targets`: the table's rows when already read
    (kpi_units.load), else read here."""
    if targets is None:
        targets = con.cursor().execute("SELECT metric, tier, valid_from, valid_to, target FROM targets").fetchall()
    found: dict[tuple[str, str | None, str | None], float | None] = {}

    def lookup(metric: str, tier: str | None, month: str | None) -> float | None:
        key = (metric, tier, month)
        if key not in found:  # a few dozen distinct keys behind thousands of unit rows
            on = row_period(month, date_from, date_to)[1]
            hits = [
                (row_tier != registry.ALL_TIERS, valid_from, target)
                for m, row_tier, valid_from, valid_to, target in targets
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
    params = kpi_counts.query_params(date_from, date_to, "month" in by, tier, unit, units)
    reference = kpi_units.load(con)
    catalogue = reference.units
    cube = kpi_counts.cube_rows(con, params, scope, catalogue) if any(m.month_basis for m in chosen) else None
    keys = [{"tier": "tier", "unit": "agency_code", "month": "month"}[g] for g in GROUPINGS if g in by]
    if "unit" in by and "tier" not in keys:
        keys.insert(0, "tier")
    out: list[Row] = []
    for m in chosen:
        fine = kpi_counts.fine_rows(con, m, params, cube, scope)
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
    target = target_lookup(con, date_from, date_to, reference.targets)
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
