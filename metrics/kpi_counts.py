"""The counts behind the KPI table: the cube query (sql/kpi_cube.sql), its groups
attributed to their units (kpi_units), and each metric's numerator and denominator at
its finest grain, per unit (and month), before any grouping (kpi_table groups them,
and adds rates, targets and history).

One scan of `dossiers` serves every additive metric (the cube); a metric that is not
additive reads its own SQL file over dossiers_in($units)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING

from metrics import kpi_units, registry
from metrics.registry import Metric
from metrics.scope import Scope
from metrics.scope import param as scope_param

if TYPE_CHECKING:
    import duckdb

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
MONTH_LINE = "-- by month"


@functools.cache
def cube_sql(by_month: bool) -> str:
    """sql/kpi_cube.sql; without months, less its month keys (the lines ending in
    MONTH_LINE). A constant file's own lines, never a value: values are bound."""
    text = sql(str(registry.SQL_DIR / "kpi_cube.sql"))
    if by_month:
        return text
    return "\n".join(line for line in text.splitlines() if not line.rstrip().endswith(MONTH_LINE))


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
    units = kpi_units.load(con).units if units is None else units
    view = params.get("units", registry.UNITS_AS_WAS)
    want_tier, want_unit, allowed = params.get("tier"), params.get("unit"), scope_param(scope)
    by_month = bool(params["by_month"])
    cur = con.cursor()
    found = cur.execute(cube_sql(by_month), {"date_from": params["date_from"], "date_to": params["date_to"]}).fetchall()
    keys = 4 if by_month else 2  # the handling code, the file's tier (and the two months)
    measures = [d[0] for d in cur.description or ()][keys:]
    cube: dict[tuple[object, ...], list[int]] = {}
    for row in found:
        handled_by, file_tier = row[0], row[1]
        received_month, end_month = (row[2], row[3]) if by_month else (None, None)
        counts = list(row[keys:])
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
