"""Asking the engine for the deck's look ahead (issue 13): compute.budget for the year or
quarter in progress at the deck's end, and the official scores (scores.official) beside
compute.score766 for the same period. Both take the deck's scope, tier, unit and view of
the units, so a unit reader's deck holds only their units here too."""

from __future__ import annotations

import datetime as dt
from typing import Any

from metrics import compute, forecast, periods, registry, scores
from metrics import vi_format as vf
from metrics.reports import cells
from metrics.reports.ahead import BudgetRow, BudgetSection, IndexRow, ScoreRow, ScoresSection
from metrics.reports.model import NO_TIER
from metrics.scope import Scope


def budget_span(date_from: dt.date, date_to: dt.date, as_of: dt.date) -> tuple[dt.date, dt.date, str] | None:
    """The period whose budget a deck shows: the quarter in progress at `as_of` for a
    quarterly deck, else (or once that quarter is over) the year; its name as a sentence
    says it ('quý III/2024', 'năm 2024'). None when the year is over too: a budget of a
    finished period would only restate its result."""
    year = date_to.year
    if periods.kind_of(date_from, date_to) == "quarter":
        q = (date_to.month - 1) // 3 + 1
        first, last = periods.quarter_range(year, q)
        if as_of < last:
            return first, last, vf.lower_first(vf.fmt_quarter(year, q))
    first, last = periods.year_range(year)
    return (first, last, f"năm {year}") if as_of < last else None


def budget_section(
    con: Any,
    date_from: dt.date,
    date_to: dt.date,
    data_as_of: dt.date | None,
    kw: dict[str, Any],
) -> BudgetSection | None:
    """Each unit's budget, seen from the deck's end (or the newest data, if earlier)."""
    as_of = min(date_to, data_as_of) if data_as_of else date_to
    span = budget_span(date_from, date_to, as_of)
    if span is None:
        return None
    first, last, name = span
    as_of = max(as_of, first - dt.timedelta(days=1))  # as compute.budget clamps it
    frame = compute.budget(
        con,
        first,
        last,
        as_of=as_of,
        on_time_definition=kw["on_time_definition"],
        by=("unit",),
        tier=kw["tier"],
        unit=kw["unit"],
        units=kw["units"],
        scope=kw["scope"],
    )
    recs = cells.records(frame)
    rows = tuple(
        BudgetRow(
            unit_code=str(r["unit_code"]),
            unit_name=str(r.get("unit_name") or r["unit_code"]),
            tier_label=_tier_label(r.get("tier")),
            rate=cells.as_float(r.get("rate")),
            target=cells.as_float(r.get("target")),
            resolved=cells.as_int(r.get("resolved")),
            expected_remaining=_int_or_none(r.get("expected_remaining")),
            basis=r.get("basis"),
            late_budget=_int_or_none(r.get("late_budget")),
            needed_on_time=_int_or_none(r.get("needed_on_time")),
            status=str(r.get("status")),
        )
        for r in recs
    )
    phrase = registry.metric("on_time_rate", kw["on_time_definition"]).definition_phrase_vi
    return BudgetSection(name, first, last, as_of, phrase, rows)


def _tier_label(value: Any) -> str:
    code = cells.tier_key(value)
    return registry.tier_label(code) if code else NO_TIER


def _int_or_none(value: Any) -> int | None:
    f = cells.as_float(value)
    return None if f is None else round(f)


def _code(row: dict[str, Any]) -> str | None:
    """A score's unit code; None for a province row (NULL comes back as None or NaN)."""
    return cells.tier_key(row.get("unit_code"))


def _score_period(frame: Any, year: int) -> tuple[int, int | None, int | None] | None:
    """The official 766 period a deck of `year` shows: the newest year up to it that has
    yearly totals, else its newest quarter or month."""
    totals = [r for r in cells.records(frame) if r["index_name"] == scores.INDEX_766 and r["component"] == scores.TOTAL]
    if not totals:
        return None
    past = [r for r in totals if int(r["year"]) <= year] or totals

    def key(r: dict[str, Any]) -> tuple[int, int, int, int]:
        q, m = _int_or_none(r.get("quarter")), _int_or_none(r.get("month"))
        yearly = q is None and m is None
        return (int(r["year"]), 1 if yearly else 0, q or 0, m or 0)

    best = max(past, key=key)
    return int(best["year"]), _int_or_none(best.get("quarter")), _int_or_none(best.get("month"))


def _period_dates(year: int, quarter: int | None, month: int | None) -> tuple[dt.date, dt.date, str]:
    if quarter is not None:
        first, last = periods.quarter_range(year, quarter)
        return first, last, vf.lower_first(vf.fmt_quarter(year, quarter))
    if month is not None:
        first, last = periods.month_range(year, month)
        return first, last, vf.lower_first(vf.fmt_month(f"{year:04d}-{month:02d}"))
    first, last = periods.year_range(year)
    return first, last, f"năm {year}"


def _tiers(con: Any, tier: str | None, unit: str | None, scope: Scope | None) -> tuple[dict[str, str | None], bool]:
    """Each unit's tier, and whether the deck shows only those units (a tier, a unit or
    a limited scope) rather than every unit of the province."""
    found = {
        str(r["unit_code"]): cells.tier_key(r.get("tier"))
        for r in cells.records(compute.unit_list(con, tier=tier, scope=scope))
        if not unit or str(r["unit_code"]) == str(unit)
    }
    return found, bool(tier or unit or (scope is not None and scope.is_limited))


def scores_section(con: Any, date_to: dt.date, kw: dict[str, Any]) -> ScoresSection | None:
    """The official 766 table of the period in force at the deck's year beside our estimate,
    and the province's other indices of that year. None when no official score was imported."""
    frame = scores.official(con)
    if frame.empty:
        return None
    tiers, limited = _tiers(con, kw["tier"], kw["unit"], kw["scope"])
    found = _score_period(frame, date_to.year)
    rows: tuple[ScoreRow, ...] = ()
    period = f"năm {date_to.year}"
    if found is not None:
        year, quarter, month = found
        first, last, period = _period_dates(year, quarter, month)
        est = compute.score766(
            con, first, last, by=("unit",), tier=kw["tier"], unit=kw["unit"], units=kw["units"], scope=kw["scope"]
        )
        ours = {str(r["unit_code"]): r for r in cells.records(est)}
        mine = [
            r
            for r in cells.records(frame)
            if r["index_name"] == scores.INDEX_766
            and _code(r) is not None
            and (int(r["year"]), _int_or_none(r.get("quarter")), _int_or_none(r.get("month"))) == found
            and (not limited or str(r["unit_code"]) in tiers)
        ]
        tdgq = {str(r["unit_code"]): cells.as_float(r["score"]) for r in mine if r["component"] == "TDGQ"}
        rows = tuple(
            sorted(
                (
                    ScoreRow(
                        unit_code=str(r["unit_code"]),
                        unit_name=str(r.get("unit_name") or r["unit_code"]),
                        tier=tiers.get(str(r["unit_code"])),
                        tier_label=_tier_label(tiers.get(str(r["unit_code"]))),
                        score=float(r["score"]),
                        rank=_int_or_none(r.get("rank")),
                        ranked_of=_int_or_none(r.get("ranked_of")),
                        rank_last_year=_int_or_none(r.get("rank_last_year")),
                        official_tien_do=tdgq.get(str(r["unit_code"])),
                        estimate_tien_do=cells.as_float(ours.get(str(r["unit_code"]), {}).get("tien_do_points")),
                        estimate_points=cells.as_float(ours.get(str(r["unit_code"]), {}).get("points")),
                        estimate_covered=cells.as_float(ours.get(str(r["unit_code"]), {}).get("points_covered")),
                    )
                    for r in mine
                    if r["component"] == scores.TOTAL
                ),
                key=lambda s: (registry.tier_order(s.tier), s.rank is None, s.rank or 0, s.unit_name),
            )
        )
    index_year = found[0] if found else date_to.year
    indices = tuple(
        IndexRow(
            index_name=str(r["index_name"]),
            year=int(r["year"]),
            name=str(r.get("unit_name") or ""),
            score=float(r["score"]),
            rank=_int_or_none(r.get("rank")),
            ranked_of=_int_or_none(r.get("ranked_of")),
            rank_last_year=_int_or_none(r.get("rank_last_year")),
            source=str(r.get("source") or ""),
        )
        for r in cells.records(frame)
        if r["index_name"] != scores.INDEX_766
        and _code(r) is None
        and r["component"] == scores.TOTAL
        and int(r["year"]) == index_year
    )
    if not rows and not indices:
        return None
    return ScoresSection(period, forecast.ESTIMATE_LABEL_VI, rows, indices)
