"""Working-day arithmetic with Vietnamese public holidays.

Legal processing times (thời hạn giải quyết) are counted in working days: Monday to
Friday, minus the public holidays and compensatory days the Government announces each
year (data/holidays.csv). Due dates in the demo data, and any check that a due date is
plausible, must skip exactly those days, so the rule lives here once.

Two flavours: scalar helpers for a single date (tests, the CLI) and array helpers that
offset millions of dates at once through a precomputed working-day index, so the demo
generator never loops over rows in Python.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import numpy as np

from metrics.paths import DATA_DIR

HOLIDAYS_CSV = DATA_DIR / "holidays.csv"

# Saturdays worked in exchange for a bridged weekday (ngày làm bù) are ignored: the
# one-stop desks that open on Saturdays do so every week, and numpy's weekmask cannot
# express a single working Saturday. The bridged weekday itself is listed as a holiday.
WEEKMASK = "1111100"


def _stamp(path: str | None) -> tuple[str, int]:
    """The file and its modification time: the cache key, so that an edited
    data/holidays.csv takes effect in a running dashboard without a restart."""
    source = Path(path) if path else HOLIDAYS_CSV
    return str(source), source.stat().st_mtime_ns


def load_holidays(path: str | None = None) -> tuple[tuple[date, str], ...]:
    """(date, name) of every public holiday in the file, sorted by date."""
    return _load_holidays(*_stamp(path))


@lru_cache(maxsize=8)
def _load_holidays(source: str, _mtime: int) -> tuple[tuple[date, str], ...]:
    with open(source, encoding="utf-8", newline="") as f:
        rows = [(date.fromisoformat(r["date"]), r["name"]) for r in csv.DictReader(f)]
    return tuple(sorted(rows))


def business_calendar(path: str | None = None) -> np.busdaycalendar:
    """numpy's calendar of working days: Monday to Friday minus the holidays."""
    return _business_calendar(*_stamp(path))


@lru_cache(maxsize=8)
def _business_calendar(source: str, mtime: int) -> np.busdaycalendar:
    days = np.array([d for d, _ in _load_holidays(source, mtime)], dtype="datetime64[D]")
    return np.busdaycalendar(weekmask=WEEKMASK, holidays=days)


def is_working_day(day: date | datetime) -> bool:
    """True on a Monday to Friday that is not a public holiday."""
    d = day.date() if isinstance(day, datetime) else day
    return bool(np.is_busday(np.datetime64(d, "D"), busdaycal=business_calendar()))


def add_working_days(start: date | datetime, n: int) -> date | datetime:
    """The n-th working day after `start`, keeping a datetime's time of day.

    A start on a weekend or holiday first rolls forward to the next working day, as a
    one-stop desk counts from the day it could have received the dossier; n = 0 gives
    that day itself (procedures resolved "trong ngày"). Negative n counts backwards.
    """
    d = start.date() if isinstance(start, datetime) else start
    start_day = np.array([d], dtype="datetime64[D]")
    if n >= 0:
        moved = np.busday_offset(start_day, n, roll="forward", busdaycal=business_calendar())[0]
    else:
        moved = np.busday_offset(start_day, n, roll="backward", busdaycal=business_calendar())[0]
    result: date = moved.astype("datetime64[D]").astype(date)
    if isinstance(start, datetime):
        return datetime.combine(result, start.timetz())
    return result


def working_days_between(start: date, end: date) -> int:
    """Working days in [start, end): how many working days `end` lies after `start`."""
    return int(np.busday_count(np.datetime64(start, "D"), np.datetime64(end, "D"), busdaycal=business_calendar()))


def add_working_days_array(days: np.ndarray, n: np.ndarray | int) -> np.ndarray:
    """Vectorised add_working_days on datetime64[D] (or int days since 1970) arrays.

    Builds a table of every working day over the span the inputs can reach, then each
    result is one index lookup: O(rows) with no per-row Python. Same semantics as
    `add_working_days` for n >= 0 (roll forward, then count); for negative n the start
    is rolled forward too, which matches numpy for the working-day starts we use it on.
    """
    as_dates = np.asarray(days)
    if as_dates.dtype.kind == "M":
        day_numbers = as_dates.astype("datetime64[D]").astype(np.int64)
    else:
        day_numbers = as_dates.astype(np.int64)
    offsets = np.broadcast_to(np.asarray(n, dtype=np.int64), day_numbers.shape)
    if day_numbers.size == 0:
        return day_numbers.astype("datetime64[D]")
    reach = int(np.abs(offsets).max()) if offsets.size else 0
    # Nine-day Tết breaks plus weekends: 2n + 30 calendar days always hold n working days.
    lo = int(day_numbers.min()) - 2 * reach - 30
    hi = int(day_numbers.max()) + 2 * reach + 30
    span = np.arange(lo, hi + 1, dtype=np.int64)
    working = np.is_busday(span.astype("datetime64[D]"), busdaycal=business_calendar())
    working_days = span[working]
    # Index of the first working day on or after each calendar day (roll forward).
    first_on_or_after: np.ndarray = np.cumsum(working) - working
    idx = first_on_or_after[day_numbers - lo] + offsets
    return working_days[idx].astype("datetime64[D]")
