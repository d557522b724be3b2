"""The reference data as the KPI table reads it: the unit catalogue and the targets,
in one query (sql/kpi_reference.sql), and in Python the same spans and successors as
the views unit_spans and unit_catalogue (schema.sql), for the few hundred cube groups
(sql/kpi_cube.sql) to be attributed to their unit.

Why not join the views in the cube query: their aggregate and recursion over a
catalogue of a few hundred rows cost DuckDB 2-3 ms per query (its fixed cost of a
hash aggregate, a union and a join, measured), which at 200k dossiers was a fifth of
the whole KPI query. Read from the table on every call, never cached: an edited
reference file or a direct write to `units` shows on the next call.

The rules are those of the views, value for value:
- a code's name, tier and successor are those of its latest row (by valid_from, an
  open start first) that has one (arg_max skips NULLs); its span runs from its first
  start to its last end, open ends as far dates;
- the code holding a unit's dossiers today is reached by following successors, at
  most 64 steps (reference.py refuses cycles; the bound keeps a bad copy finite), and
  its tier is that code's own, when the catalogue has it."""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, NamedTuple

from metrics import registry

if TYPE_CHECKING:
    import duckdb

FIRST_DAY, LAST_DAY = dt.date(1, 1, 1), dt.date(9999, 12, 31)
MAX_CHAIN = 64  # schema.sql unit_catalogue: `c.depth < 64`


class Unit(NamedTuple):
    """One unit code of the catalogue (a row of the view unit_catalogue)."""

    name: str
    tier: str
    valid_from: dt.date
    valid_to: dt.date
    current_code: str
    current_tier: str | None


Units = dict[str, Unit]
# a row of the targets table: (metric, tier, valid_from, valid_to, target)
Target = tuple[str, str, dt.date, dt.date | None, float]


class Reference(NamedTuple):
    units: Units
    targets: list[Target]


@functools.cache
def _reference_sql() -> str:
    return (registry.SQL_DIR / "kpi_reference.sql").read_text(encoding="utf-8")


def load(con: duckdb.DuckDBPyConnection) -> Reference:
    """Every unit code of the catalogue, with its span and today's holder; the targets."""
    rows = con.cursor().execute(_reference_sql()).fetchall()
    targets: list[Target] = []
    # code -> [name, tier, successor, first start, last end], each of the first three
    # with the start of the row it came from (arg_max)
    spans: dict[str, list] = {}
    for kind, code, name, tier, valid_from, valid_to, successor, target in rows:
        if kind == "target":
            targets.append((code, tier, valid_from, valid_to, target))
            continue
        if code is None:
            continue  # a NULL code joins nothing in the views either
        start, end = valid_from or FIRST_DAY, valid_to or LAST_DAY
        s = spans.get(code)
        if s is None:
            spans[code] = [(name, start), (tier, start), (successor, start), start, end]
            continue
        for i, value in enumerate((name, tier, successor)):
            if value is not None and (s[i][0] is None or start > s[i][1]):
                s[i] = (value, start)
        s[3], s[4] = min(s[3], start), max(s[4], end)
    units: Units = {}
    for code, (name, tier, _successor, start, end) in spans.items():
        current = code
        for _ in range(MAX_CHAIN):
            held = spans.get(current)
            after = held[2][0] if held else None
            if after is None:
                break
            current = after
        holder = spans.get(current)
        units[code] = Unit(name[0], tier[0], start, end, current, holder[1][0] if holder else None)
    return Reference(units, targets)


def attribute(handled_by: str | None, file_tier: str | None, units: Units, view: str) -> tuple[str | None, str | None]:
    """(unit code, tier) a group of dossiers is counted under: that of dossiers_in(view)
    (schema.sql). 'as_was': the handling unit, with the catalogue's tier first;
    'successor': today's holder, with its tier, else the handling unit's, else the
    file's."""
    u = units.get(handled_by) if handled_by is not None else None
    if u is None:
        return handled_by, file_tier
    if view == registry.UNITS_SUCCESSOR:
        return u.current_code, u.tier if u.current_tier is None else u.current_tier
    return handled_by, u.tier


def exported_names(con: duckdb.DuckDBPyConnection, codes: list[str]) -> dict[str, str]:
    """The name the exports gave each of these codes (units the catalogue lacks)."""
    if not codes:
        return {}
    query = (
        "SELECT agency_code, any_value(agency_name) FROM dossiers WHERE agency_code IN "
        "(SELECT unnest($codes)) GROUP BY 1"
    )
    return dict(con.cursor().execute(query, {"codes": codes}).fetchall())
