"""A deliberately naive, row-by-row reading of docs/metrics.md in plain Python.

It exists only to check the hand-written expected tables (expected_kpis.csv,
expected_late.csv) for arithmetic slips: test_golden_tables_are_consistent.py asserts the
oracle and the hand tables agree. It never looks at the engine. Where §3 leaves a choice
open, the choice is stated in NOTES.md and coded here the same way.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Dossier:
    code: str
    unit: str
    tier: str
    channel: str
    status: int
    received: dt.date | None
    due: dt.date | None
    end: dt.date | None
    supplements: int
    rating: int | None
    latest: dt.date | None  # the newest of its received, resolved and returned dates


def _d(text: str) -> dt.date | None:
    return dt.datetime.fromisoformat(text).date() if text else None


def load(path: Path) -> list[Dossier]:
    out = []
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            resolved, returned = _d(r["resolved_at"]), _d(r["returned_at"])
            out.append(
                Dossier(
                    code=r["dossier_code"],
                    unit=r["agency_code"],
                    tier=r["tier"],
                    channel=r["channel"] or "direct",
                    status=int(r["status"]),
                    received=_d(r["received_at"]),
                    due=_d(r["due_at"]),
                    end=resolved if resolved else returned,
                    supplements=int(r["supplement_count"] or 0),
                    rating=int(r["rating"]) if r["rating"] else None,
                    latest=max((d for d in (_d(r["received_at"]), resolved, returned) if d), default=None),
                )
            )
    return out


def data_dates(rows: list[Dossier]) -> dict[str, dt.date]:
    """Each unit's data date: the newest date any of its dossiers shows. An open
    dossier is judged at min(period end, its unit's data date), never later."""
    out: dict[str, dt.date] = {}
    for x in rows:
        if x.latest and (x.unit not in out or x.latest > out[x.unit]):
            out[x.unit] = x.latest
    return out


def _as_of(x: Dossier, t: dt.date, limits: dict[str, dt.date] | None) -> dt.date:
    limit = (limits or {}).get(x.unit)
    return min(t, limit) if limit else t


def _in(d: dt.date | None, f: dt.date, t: dt.date) -> bool:
    return d is not None and f <= d <= t


def online(x: Dossier, f, t):
    den = x.status not in (1, 3) and _in(x.received, f, t)
    return den, den and x.channel == "online"


def on_time_resolved(x: Dossier, f, t):
    den = x.status in (9, 10) and _in(x.end, f, t)
    return den, den and (x.due is None or x.end <= x.due)


def satisfaction(x: Dossier, f, t):
    resolved = x.status in (9, 10) and _in(x.end, f, t)
    den = resolved and x.rating is not None
    return den, den and x.rating >= 4, resolved


def on_time_766(x: Dossier, f, t, limits=None):
    if x.status in (1, 3) or x.received is None or x.received > t:
        return False, False
    if not (_in(x.received, f, t) or x.end is None or x.end >= f):
        return False, False
    if x.supplements > 1:
        return True, False
    if x.due is None:
        return True, True
    if x.end is not None and x.end <= t:
        return True, x.end <= x.due
    return True, _as_of(x, t, limits) <= x.due


def late(x: Dossier, f, t, limits=None):
    if x.status in (9, 10) and _in(x.end, f, t) and x.due is not None and x.end > x.due:
        return "resolved_late", (x.end - x.due).days
    if x.status in (1, 3) or x.received is None or x.received > t:
        return None
    ended = (x.end is not None and x.end <= t) or (x.end is None and x.status in (7, 8))
    # ended after t: known open at t; never ended: known open only up to the data date
    at = t if x.end is not None else _as_of(x, t, limits)
    if not ended and x.due is not None and x.due < at:
        return "open_overdue", (at - x.due).days
    return None


def _months(f: dt.date, t: dt.date):
    y, m = f.year, f.month
    while (y, m) <= (t.year, t.month):
        first = dt.date(y, m, 1)
        nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
        yield f"{y:04d}-{m:02d}", max(first, f), min(nxt - dt.timedelta(days=1), t)
        y, m = nxt.year, nxt.month


def kpis(rows: list[Dossier], f: dt.date, t: dt.date, by: str, definition: str):
    """{(metric, group key): (numerator, denominator, cov_num, cov_den)}"""
    acc: dict = defaultdict(lambda: [0, 0, 0, 0])
    limits = data_dates(rows)

    def key(x: Dossier):
        return {"all": "", "tier": x.tier, "unit": x.unit}[by]

    if by == "month":
        for x in rows:
            for month, mf, mt in _months(f, t):
                _one(acc, x, mf, mt, month, definition, limits)
    else:
        for x in rows:
            _one(acc, x, f, t, key(x), definition, limits)
    return {k: tuple(v) for k, v in acc.items()}


def _one(acc, x, f, t, group, definition, limits):
    den, num = online(x, f, t)
    if den:
        acc[("online_rate", group)][0] += num
        acc[("online_rate", group)][1] += 1
    den, num = on_time_resolved(x, f, t) if definition == "resolved" else on_time_766(x, f, t, limits)
    if den:
        acc[("on_time_rate", group)][0] += num
        acc[("on_time_rate", group)][1] += 1
    den, num, resolved = satisfaction(x, f, t)
    if resolved:
        acc[("satisfaction_rate", group)][3] += 1
    if den:
        a = acc[("satisfaction_rate", group)]
        a[0] += num
        a[1] += 1
        a[2] += 1
