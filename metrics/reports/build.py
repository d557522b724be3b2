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
from metrics.reports import ahead_build, bieu06, cells, trend
from metrics.reports import config as report_config
from metrics.reports.figures import EMPTY_FIGURE, BelowTarget, TierFigure, UnitRow
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
from metrics.reports.warning import data_warning
from metrics.scope import Scope

# Conference order: the on-time rate is what provincial reports lead with.
METRIC_ORDER = (ON_TIME, "online_rate", "satisfaction_rate")

# The on-time definition a deck uses unless asked for another: the registry's default.
DEFAULT_ON_TIME = registry.metric(ON_TIME).definition


def _tier_name(tier: str | None) -> str:
    return registry.tier_label(tier) if tier else NO_TIER


def _metric_order(metric: str) -> int:
    return METRIC_ORDER.index(metric) if metric in METRIC_ORDER else 99


def _unit_rows(frame: Any, previous: Any) -> dict[str | None, list[UnitRow]]:
    """Units of one metric, ranked within their tier by the dashboard's rule
    (views.ranking: ties share a rank, units with few dossiers listed after, unranked).
    Units not in force over the whole period (history) are listed last and never ranked."""
    gone = frame["history"].astype(bool) if len(frame) else None
    ranked = views.ranking(frame[~gone] if gone is not None else frame, previous)
    history = frame[gone].sort_values(["tier", "unit_name"], kind="stable") if gone is not None else frame
    groups: dict[str | None, list[UnitRow]] = {}
    for r in cells.records(ranked) + cells.records(history):
        t = cells.tier_key(r.get("tier"))
        code = str(r.get("unit_code"))
        rank = cells.as_float(r.get("rank")) if bool(r.get("ranked")) and not r.get("history") else None
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
    con: Any,
    metric: str,
    definition: str,
    scope_label: str,
    months: list[str],
    frames: dict[str, list[dict[str, Any]]],
) -> KpiSection:
    """One metric's section: the scope's figure, each tier's, and the trend (trend.py)."""
    trend_rows = frames["trend"]

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
    tier_codes = {t.tier for t in tiers} | {
        cells.tier_key(r.get("tier"))
        for r in trend_rows
        if r["metric"] == metric and cells.as_int(r.get("denominator"))
    }
    ordered = sorted(tier_codes, key=registry.tier_order)
    series = trend.series_for(con, metric, months, ordered, trend_rows, {t: _tier_name(t) for t in ordered})
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


def _plan_source(con: Any, on: dt.date) -> str:
    """The targets' own source (data/targets.csv) when report.toml names no plan: the
    sources in force at the period's end, each once."""
    sources = [str(s) for s in compute.targets_in_force(con, on)["source"].dropna() if str(s).strip()]
    return "; ".join(dict.fromkeys(sources))


def _warning(
    con: Any,
    fresh: dict[str, Any],
    date_from: dt.date,
    date_to: dt.date,
    unit: str | None,
    tier: str | None,
    today: dt.date,
    scope: Scope | None = None,
) -> str | None:
    """The title slide's sentence on old or incomplete data (warning.py); a unit's deck
    counts that unit only."""
    cov = compute.coverage(con, date_from, date_to, tier=tier, scope=scope)
    valid, current = cells.as_int(cov.get("units_valid")), cells.as_int(cov.get("units_current"))
    if unit:
        late_codes = {str(r.get("unit_code")) for r in cells.records(cov.get("behind"))}
        valid, current = 1, 0 if str(unit) in late_codes else 1
    oldest = fresh.get("oldest_data_date")
    return data_warning(oldest if isinstance(oldest, dt.date) else None, valid, current, date_to, today)


def build_deck(
    con: Any,
    date_from: dt.date,
    date_to: dt.date,
    tier: str | None = None,
    unit: str | None = None,
    on_time_definition: str = DEFAULT_ON_TIME,
    include_late_rows: bool = False,
    now: dt.datetime | None = None,
    settings: report_config.ReportConfig | None = None,
    scope: Scope | None = None,
    units: str = registry.UNITS_AS_WAS,
) -> Deck:
    """Ask the engine once for everything the conference outputs show. `settings` say
    whose deck it is (default: data/report.toml, read now so an edit shows at once).
    `scope` limits every figure to the reader's units (a unit user's deck holds only
    theirs); `units` is the view of the units, as in compute.kpis."""
    settings = settings if settings is not None else report_config.load()
    now = now or dt.datetime.now()
    kw: dict[str, Any] = {
        "on_time_definition": on_time_definition,
        "tier": tier,
        "unit": unit,
        "units": units,
        "scope": scope,
    }

    # The scope: a unit's name and tier come from the units list.
    unit_name = None
    unit_tier = None
    if unit:
        match = next(
            (u for u in cells.records(compute.unit_list(con, scope=scope)) if str(u.get("unit_code")) == str(unit)),
            None,
        )
        if match:
            unit_name = str(match.get("unit_name") or unit)
            unit_tier = cells.tier_key(match.get("tier"))
    whole = scope.label if scope is not None and scope.is_limited and scope.label else "Toàn tỉnh"
    scope_label = unit_name or (str(unit) if unit else (whole if tier is None else registry.tier_label(tier)))
    fresh = compute.data_facts(con, scope) or {}
    prev_from, prev_to = periods.previous_period(date_from, date_to)
    trend_from, trend_to, months = trend.window(date_from, date_to)

    frames = {
        "total": cells.records(compute.kpis(con, date_from, date_to, by=(), **kw)),
        "tier": cells.records(compute.kpis(con, date_from, date_to, by=("tier",), **kw)),
        "trend": cells.records(compute.kpis(con, trend_from, trend_to, by=("tier", "month"), **kw)),
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

    sections = [
        _kpi_section(con, metric, definition, scope_label, months, frames) for metric, definition in metrics_present
    ]
    rankings, below = _rankings(sections, unit_df, prev_unit_df, unit)
    late_kw: dict[str, Any] = {"tier": tier, "unit": unit, "units": units, "scope": scope}
    data_as_of = _data_as_of(fresh)

    deck = Deck(
        title=REPORT_TITLE,
        scope_label=scope_label,
        period_label=period_label(date_from, date_to),
        date_from=date_from,
        date_to=date_to,
        data_as_of=data_as_of,
        dossiers_in_db=cells.as_int(fresh.get("dossiers")),
        generated_at=now,
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
        settings=settings,
        target_source=settings.target_source or _plan_source(con, date_to),
        data_warning=_warning(con, fresh, date_from, date_to, unit, unit_tier or tier, now.date(), scope),
        bieu06=bieu06.rows_from(
            compute.bieu06(con, date_from, date_to, tier=tier, unit=unit, units=units, scope=scope), scope_label
        ),
        budget=ahead_build.budget_section(con, date_from, date_to, data_as_of, kw),
        scores=ahead_build.scores_section(con, date_to, kw),
    )
    return replace(deck, summary=tuple(summary_sentences(deck)))
