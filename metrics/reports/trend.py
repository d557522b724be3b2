"""The trend every KPI slide, the PDF and the workbook draw: the 12 months up to the
period's end (a yearly deck: its calendar year), one line per tier, and each tier's
target as a line over only the months that tier was in force and rated. The district
tier ended on 30/06/2025 (registry.DISTRICT_TIER_END): its line and its target stop
there, and a month after it shows nothing for it rather than a stale 40%."""

from __future__ import annotations

import datetime as dt
from typing import Any

from metrics import compute, periods, registry
from metrics.reports import cells
from metrics.reports.figures import Series

TREND_MONTHS = 12


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def window(date_from: dt.date, date_to: dt.date) -> tuple[dt.date, dt.date, list[str]]:
    """(first day, last day, 'yyyy-mm' months) of the trend: a yearly deck's own year;
    otherwise the 12 months ending with the period's last month, or the whole period when
    it is longer."""
    if periods.kind_of(date_from, date_to) == "year":
        start = date_from
    else:
        y, m = _add_months(date_to.year, date_to.month, -(TREND_MONTHS - 1))
        start = min(dt.date(y, m, 1), date_from.replace(day=1))
    months = []
    y, m = start.year, start.month
    while (y, m) <= (date_to.year, date_to.month):
        months.append(f"{y}-{m:02d}")
        y, m = _add_months(y, m, 1)
    return start, date_to, months


def _in_force(tier: str | None, first: dt.date, last: dt.date) -> bool:
    """The tier existed on at least one day of the month (its line may be drawn there)."""
    if tier not in registry.TIER_CODES:
        return True
    t = registry.tier(tier)  # type: ignore[arg-type]
    return (t.valid_from is None or t.valid_from <= last) and (t.valid_to is None or t.valid_to >= first)


def _rated(tier: str | None, first: dt.date, last: dt.date) -> bool:
    """The tier was in force over the whole month, so its target line is drawn there."""
    return tier in registry.TIER_CODES and registry.tier(tier).rated_for(first, last)  # type: ignore[arg-type]


def series_for(
    con: Any,
    metric: str,
    months: list[str],
    tiers: list[str | None],
    rows: list[dict[str, Any]],
    labels: dict[str | None, str],
) -> tuple[Series, ...]:
    """One Series per tier: the engine's monthly rate where the tier was in force, and the
    target in force on the month's last day where the tier was rated over the month."""
    by_tier_month: dict[str | None, dict[str, dict[str, Any]]] = {}
    for r in rows:
        if r["metric"] == metric:
            by_tier_month.setdefault(cells.tier_key(r.get("tier")), {})[str(r.get("month"))[:7]] = r
    out = []
    targets: dict[tuple[str | None, dt.date], float | None] = {}
    for tier in tiers:
        rates: list[float | None] = []
        tier_targets: list[float | None] = []
        nums: list[int] = []
        dens: list[int] = []
        for month in months:
            first, last = periods.month_range(int(month[:4]), int(month[5:7]))
            row = by_tier_month.get(tier, {}).get(month) if _in_force(tier, first, last) else None
            fig = cells.figure(row) if row else None
            rates.append(fig.rate if fig else None)
            nums.append(fig.numerator if fig else 0)
            dens.append(fig.denominator if fig else 0)
            if _rated(tier, first, last):
                if (tier, last) not in targets:
                    targets[(tier, last)] = compute.target_for(con, metric, tier, last)
                tier_targets.append(targets[(tier, last)])
            else:
                tier_targets.append(None)
        out.append(Series(tier, labels[tier], tuple(rates), tuple(tier_targets), tuple(nums), tuple(dens)))
    return tuple(out)
