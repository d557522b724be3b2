"""Building the deck from the engine: one call per figure the conference outputs show,
asked once, then laid out by every writer (`metrics.reports.model` says what a deck is).

The figures are the engine's frames turned into plain values; titles, definitions and
tier labels come from the registry; the written summary is added last, read off the
finished deck (`metrics.reports.summary`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from metrics import compute, periods, registry, views
from metrics.reports import cells
from metrics.reports.figures import EMPTY_FIGURE, BelowTarget, Series, TierFigure, UnitRow
from metrics.reports.model import (
    NO_TIER,
    ON_TIME,
    REPORT_TITLE,
    Deck,
    KpiSection,
    LateSection,
    ParetoItem,
    Ranking,
    comparison_label,
    month_label_short,
    period_label,
)
from metrics.reports.summary import summary_sentences

# Conference order: the on-time rate is what provincial reports lead with.
METRIC_ORDER = (ON_TIME, "online_rate", "satisfaction_rate")

# The on-time definition a deck uses unless asked for another: the registry's default.
DEFAULT_ON_TIME = registry.metric(ON_TIME).definition


def _tier_name(tier: str | None) -> str:
    return registry.tier_label(tier) if tier else NO_TIER


def _metric_order(metric: str) -> int:
    return METRIC_ORDER.index(metric) if metric in METRIC_ORDER else 99


def _months_between(date_from: dt.date, date_to: dt.date) -> list[str]:
    out = []
    y, m = date_from.year, date_from.month
    while (y, m) <= (date_to.year, date_to.month):
        out.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _unit_rows(frame: Any, previous: Any) -> dict[str | None, list[UnitRow]]:
    """Units of one metric, ranked within their tier by the dashboard's rule
    (views.ranking: ties share a rank, units with few dossiers listed after, unranked)."""
    ranked = views.ranking(frame, previous)
    groups: dict[str | None, list[UnitRow]] = {}
    for r in cells.records(ranked):
        t = cells.tier_key(r.get("tier"))
        code = str(r.get("unit_code"))
        rank = cells.as_float(r.get("rank")) if bool(r.get("ranked")) else None
        prev = cells.as_float(r.get("prev_rank"))
        groups.setdefault(t, []).append(
            UnitRow(
                rank=None if rank is None else int(rank),
                unit_code=code,
                unit_name=str(r.get("unit_name") or code),
                tier=t or "",
                figure=cells.figure(r),
                previous_rank=None if prev is None else int(prev),
            )
        )
    return groups


def _kpi_section(
    metric: str,
    definition: str,
    scope_label: str,
    months: list[str],
    frames: dict[str, list[dict[str, Any]]],
) -> KpiSection:
    """One metric's section: the scope's figure, each tier's, and the monthly series."""

    def pick(name: str) -> list[dict[str, Any]]:
        return [r for r in frames[name] if r["metric"] == metric]

    m = registry.metric(metric, definition or None)
    totals, prev_totals = pick("total"), pick("prev_total")
    total = TierFigure(
        tier=None,
        label=scope_label,
        figure=cells.figure(totals[0]) if totals else EMPTY_FIGURE,
        previous=cells.figure(prev_totals[0]) if prev_totals else None,
    )
    prev_by_tier = {cells.tier_key(r.get("tier")): cells.figure(r) for r in pick("prev_tier")}
    tiers = [
        TierFigure(
            tier=cells.tier_key(r.get("tier")),
            label=_tier_name(cells.tier_key(r.get("tier"))),
            figure=cells.figure(r),
            previous=prev_by_tier.get(cells.tier_key(r.get("tier"))),
        )
        for r in pick("tier")
    ]
    tiers.sort(key=lambda t: registry.tier_order(t.tier))
    if (
        len(tiers) == 1
        and total.figure.target is None
        and (
            (tiers[0].figure.numerator, tiers[0].figure.denominator)
            == (total.figure.numerator, total.figure.denominator)
        )
    ):
        # A one-tier scope (a tier, a unit) is its tier: give it the tier's target.
        total = TierFigure(None, scope_label, tiers[0].figure, tiers[0].previous)
    by_tier_month: dict[str | None, dict[str, dict[str, Any]]] = {}
    for r in pick("month"):
        by_tier_month.setdefault(cells.tier_key(r.get("tier")), {})[str(r.get("month"))[:7]] = r
    series = []
    for t in tiers:
        by_month = by_tier_month.get(t.tier, {})
        figs = [cells.figure(by_month[month]) if month in by_month else None for month in months]
        series.append(
            Series(
                tier=t.tier,
                label=t.label,
                rates=tuple(f.rate if f else None for f in figs),
                targets=tuple((f.target if f and f.target is not None else t.figure.target) for f in figs),
                numerators=tuple(f.numerator if f else 0 for f in figs),
                denominators=tuple(f.denominator if f else 0 for f in figs),
            )
        )
    return KpiSection(
        metric=metric,
        definition=definition,
        title=m.label_vi,
        definition_note=m.definition_label_vi,
        numerator_label=m.numerator.label_vi,
        denominator_label=m.denominator.label_vi,
        total=total,
        tiers=tuple(tiers),
        months=tuple(months),
        month_labels=tuple(month_label_short(month) for month in months),
        series=tuple(series),
    )


def _rankings(
    sections: list[KpiSection], unit_df: Any, prev_unit_df: Any, unit: str | None
) -> tuple[list[Ranking], list[BelowTarget]]:
    """Each metric's units ranked within their tier, and the units below target (in a
    unit's deck, only that unit), the largest shortfalls first."""
    rankings: list[Ranking] = []
    below: list[BelowTarget] = []
    for s in sections:
        cur = unit_df[unit_df["metric"] == s.metric] if len(unit_df) else unit_df
        prev = prev_unit_df[prev_unit_df["metric"] == s.metric] if len(prev_unit_df) else None
        groups = _unit_rows(cur, prev)
        for group_tier in sorted(groups, key=registry.tier_order):
            ranked = tuple(groups[group_tier])
            rankings.append(Ranking(s.metric, s.title, group_tier or "", _tier_name(group_tier), ranked))
            below += [
                BelowTarget(
                    metric=s.metric,
                    metric_title=s.title,
                    tier=row.tier,
                    tier_label=_tier_name(row.tier),
                    unit_code=row.unit_code,
                    unit_name=row.unit_name,
                    figure=row.figure,
                    small=row.small,
                )
                for row in ranked
                if row.figure.meets_target is False and (not unit or row.unit_code == str(unit))
            ]
    below.sort(key=lambda b: (_metric_order(b.metric), b.small, b.figure.gap if b.figure.gap is not None else 0.0))
    return rankings, below


def _late(con: Any, date_from: dt.date, date_to: dt.date, late_kw: dict[str, Any]) -> LateSection:
    def pareto(by: str) -> tuple[ParetoItem, ...]:
        return tuple(
            ParetoItem(
                key=str(r.get("key")),
                name=str(r.get("name") or r.get("key")),
                dossiers=cells.as_int(r.get("dossiers")),
                share=cells.as_float(r.get("share")),
                cumulative_share=cells.as_float(r.get("cumulative_share")),
            )
            for r in cells.records(compute.late_pareto(con, date_from, date_to, by=by, limit=10, **late_kw))
        )

    return LateSection(
        resolved_late=int(compute.late_count(con, date_from, date_to, kind="resolved_late", **late_kw)),
        open_overdue=int(compute.late_count(con, date_from, date_to, kind="open_overdue", **late_kw)),
        by_procedure=pareto("procedure"),
        by_unit=pareto("unit"),
    )


def _data_as_of(fresh: dict[str, Any]) -> dt.date | None:
    dates = [
        (v.date() if isinstance(v, dt.datetime) else v)
        for v in (fresh.get("latest_received"), fresh.get("latest_end"))
        if isinstance(v, (dt.date, dt.datetime))
    ]
    return max(dates) if dates else None


def build_deck(
    con: Any,
    date_from: dt.date,
    date_to: dt.date,
    tier: str | None = None,
    unit: str | None = None,
    on_time_definition: str = DEFAULT_ON_TIME,
    include_late_rows: bool = False,
    now: dt.datetime | None = None,
) -> Deck:
    """Ask the engine once for everything the conference outputs show."""
    kw: dict[str, Any] = {"on_time_definition": on_time_definition, "tier": tier, "unit": unit}

    # The scope: a unit's name and tier come from the units list.
    unit_name = None
    unit_tier = None
    if unit:
        match = next((u for u in cells.records(compute.unit_list(con)) if str(u.get("unit_code")) == str(unit)), None)
        if match:
            unit_name = str(match.get("unit_name") or unit)
            unit_tier = cells.tier_key(match.get("tier"))
    scope_label = unit_name or (str(unit) if unit else ("Toàn tỉnh" if tier is None else registry.tier_label(tier)))
    fresh = compute.data_facts(con) or {}
    prev_from, prev_to = periods.previous_period(date_from, date_to)

    frames = {
        "total": cells.records(compute.kpis(con, date_from, date_to, by=(), **kw)),
        "tier": cells.records(compute.kpis(con, date_from, date_to, by=("tier",), **kw)),
        "month": cells.records(compute.kpis(con, date_from, date_to, by=("tier", "month"), **kw)),
        "prev_total": cells.records(compute.kpis(con, prev_from, prev_to, by=(), **kw)),
        "prev_tier": cells.records(compute.kpis(con, prev_from, prev_to, by=("tier",), **kw)),
    }
    # Rankings place a unit among its peers, so a unit's deck ranks its whole tier.
    rank_kw = dict(kw, unit=None, tier=unit_tier or tier) if unit else kw
    unit_df = compute.kpis(con, date_from, date_to, by=("tier", "unit"), **rank_kw)
    prev_unit_df = compute.kpis(con, prev_from, prev_to, by=("tier", "unit"), **rank_kw)

    metrics_present: list[tuple[str, str]] = []
    for r in frames["total"] + frames["tier"]:
        key = (str(r["metric"]), str(r.get("definition") or ""))
        if key not in metrics_present:
            metrics_present.append(key)
    metrics_present.sort(key=lambda k: _metric_order(k[0]))

    months = _months_between(date_from, date_to)
    sections = [_kpi_section(metric, definition, scope_label, months, frames) for metric, definition in metrics_present]
    rankings, below = _rankings(sections, unit_df, prev_unit_df, unit)
    late_kw: dict[str, Any] = {"tier": tier, "unit": unit}

    deck = Deck(
        title=REPORT_TITLE,
        scope_label=scope_label,
        period_label=period_label(date_from, date_to),
        date_from=date_from,
        date_to=date_to,
        data_as_of=_data_as_of(fresh),
        dossiers_in_db=cells.as_int(fresh.get("dossiers")),
        generated_at=now or dt.datetime.now(),
        on_time_definition=on_time_definition,
        tier=tier,
        unit=unit,
        kpis=tuple(sections),
        rankings=tuple(rankings),
        below_target=tuple(below),
        late=_late(con, date_from, date_to, late_kw),
        summary=(),
        previous_label=comparison_label(date_from, date_to, prev_from, prev_to),
        late_rows=compute.late(con, date_from, date_to, **late_kw) if include_late_rows else None,
    )
    return replace(deck, summary=tuple(summary_sentences(deck)))
