"""The arithmetic of looking ahead (issue 13, docs/metrics.md): the working-day calendar
the due-soon SQL reads, the late budget of one unit or group, and the parts of the 766
score that dossiers support. Pure functions of counts and dates, so that the golden
tests can check them against hand-computed figures; compute.py runs the queries.

Counts are combined in exact fractions: 0.97 × 300 must be 291, not 290.99999999999997,
or a unit exactly at its target would lose one late dossier of its budget."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from metrics import workdays

# Every figure of the estimate carries this label: it is ours, not the portal's.
ESTIMATE_LABEL_VI = "ước tính — không thay thế điểm trên Cổng DVCQG"
ESTIMATE_LABEL_EN = "estimate — does not replace the score on the national portal"


# ----------------------------------------------------------------------------- calendar


def workday_calendar(first: dt.date, last: dt.date) -> tuple[list[dt.date], list[int]]:
    """Every day of [first, last] and the number of working days from `first` up to and
    including it. Working days left between A and a due date D is rank(D) - rank(A)."""
    span = np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1)
    working = np.is_busday(span, busdaycal=workdays.business_calendar())
    return [d.astype(dt.date) for d in span], np.cumsum(working).tolist()


# ----------------------------------------------------------------------------- late budget


def year_before(day: dt.date) -> dt.date:
    """The same day a year earlier; 29/02 becomes 28/02."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def round_half_up(x: Fraction) -> int:
    return math.floor(x + Fraction(1, 2))


def exact(target: float) -> Fraction:
    """A target as the decimal it was written as (0.97 is 97/100, not its binary float)."""
    return Fraction(repr(float(target)))


@dataclass(frozen=True)
class Budget:
    """One unit's or group's budget. `status`: no_data (nothing resolved and nothing
    expected: no budget can be stated), no_target, on_track (at or above target so far),
    below (below target, can still get back), failed (cannot reach the target this
    period even if every remaining dossier is on time)."""

    expected_remaining: int | None
    basis: str | None  # last_year (Q1 × R / R1) | pace (R × days left / days gone)
    late_budget: int | None
    needed_on_time: int | None
    status: str


def budget(
    resolved: int,
    on_time: int,
    resolved_last_year: int,
    remaining_last_year: int,
    target: float | None,
    date_from: dt.date,
    date_to: dt.date,
    as_of: dt.date,
) -> Budget:
    """The issue's formulas, to the letter:
    E = round-half-up(Q1 × R / R1) when R1 > 0, else round-half-up(R × (to − A) / (A − from + 1));
    late_budget = floor(O + E − t × (R + E)) when ≥ 0, else null;
    needed_on_time = max(0, ceil((t × R − O) / (1 − t)))."""
    r, o = resolved, on_time
    if resolved_last_year > 0:
        e: int | None = round_half_up(Fraction(remaining_last_year * r, resolved_last_year))
        basis: str | None = "last_year"
    elif (as_of - date_from).days + 1 > 0:
        days_left = max(0, (date_to - as_of).days)
        e = round_half_up(Fraction(r * days_left, (as_of - date_from).days + 1))
        basis = "pace"
    else:
        e, basis = None, None
    if e is None or r + e == 0:
        return Budget(e, basis, None, None, "no_data")
    if target is None:
        return Budget(e, basis, None, None, "no_target")
    t = exact(target)
    slack = math.floor(o + e - t * (r + e))
    late_budget = slack if slack >= 0 else None
    if t >= 1:
        needed = 0 if o >= r else None
    else:
        needed = max(0, math.ceil((t * r - o) / (1 - t)))
    if late_budget is None:
        status = "failed"
    elif o >= t * r:
        status = "on_track"
    else:
        status = "below"
    return Budget(e, basis, late_budget, needed, status)


# ----------------------------------------------------------------------------- 766 estimate

TIEN_DO_MAX = 20.0  # Tiến độ, kết quả giải quyết: the whole group
ONLINE_MAX = 6.0  # the online-dossier part of Dịch vụ công trực tuyến (12), one vendor's sub-weight
ONLINE_FULL_AT = 0.5
# The groups of Decision 766 (docs/metrics.md, "Điểm 766 ước tính") and their maxima, by the portal's column names.
GROUPS_766: dict[str, tuple[str, float]] = {
    "CKMB": ("Công khai, minh bạch", 18.0),
    "TDGQ": ("Tiến độ, kết quả giải quyết", 20.0),
    "CLGQ": ("Dịch vụ công trực tuyến", 12.0),
    "TTTT": ("Thanh toán trực tuyến", 10.0),
    "MDHL": ("Mức độ hài lòng", 18.0),
    "MDSH": ("Số hóa hồ sơ", 22.0),
    "TONG_SCORE": ("Tổng điểm", 100.0),
}
TOTAL_766 = 100.0


def rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator > 0 else None


def tien_do_points(on_time_rate_766: float | None) -> float | None:
    return None if on_time_rate_766 is None else TIEN_DO_MAX * on_time_rate_766


def online_points(online_rate: float | None) -> float | None:
    """min(1, rate / 0.5) × 6: full points at 50% online (a vendor's published sub-weights)."""
    return None if online_rate is None else min(1.0, online_rate / ONLINE_FULL_AT) * ONLINE_MAX


def satisfaction_54(resolved: int, late: int, resolved_all: int, disliked: int) -> float | None:
    """100% − (late rate + dislike rate), not below 0; unknown without resolved dossiers."""
    if resolved <= 0 or resolved_all <= 0:
        return None
    return max(0.0, 1.0 - late / resolved - disliked / resolved_all)


def covered(tien_do: float | None, online: float | None) -> tuple[float, float | None]:
    """(points_covered, points): the maxima of the parts computed and their points' sum;
    points is None when no part could be computed (never 0)."""
    parts = [(p, m) for p, m in ((tien_do, TIEN_DO_MAX), (online, ONLINE_MAX)) if p is not None]
    if not parts:
        return 0.0, None
    return sum(m for _p, m in parts), sum(p for p, _m in parts)


ONLINE_WEIGHTS_NOTE_VI = (
    "Điểm phần hồ sơ trực tuyến theo trọng số phụ do một nhà cung cấp công bố "
    "(tối đa 6 điểm, đủ điểm khi ≥ 50%), không phải trọng số chính thức"
)
