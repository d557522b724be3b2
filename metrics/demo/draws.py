"""The small vectorised draws the generator is built from: weighted indices, desk
hours, the intake calendar (working days, seasons, Tết), timestamps, and the few
records that break a data-quality rule. No Python object per row: 10M rows are drawn
this way for the import benchmark."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from metrics import workdays as wcal

# Mùng 1 Tết of each year: volume rises in the weeks before and sags just after.
TET_DAYS = (
    date(2023, 1, 22),
    date(2024, 2, 10),
    date(2025, 1, 29),
    date(2026, 2, 17),
    date(2027, 2, 6),
    date(2028, 1, 26),
)
DAY_SECONDS = 86_400


def sample(rng: np.random.Generator, p: np.ndarray | Sequence[float], n: int) -> np.ndarray:
    """Indices drawn with probabilities p (inverse CDF: one searchsorted, no Python loop)."""
    cdf = np.cumsum(np.asarray(p, dtype=float))
    cdf /= cdf[-1]
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(cdf) - 1).astype(np.int32)


def office_seconds(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds after midnight within desk hours, 07:30-11:30 and 13:30-17:00."""
    s = rng.integers(0, 27_000, n)
    return np.where(s < 14_400, 27_000 + s, 48_600 + (s - 14_400)).astype(np.int32)


def day_number(d: date) -> int:
    return int(np.datetime64(d, "D").astype(np.int64))


def day_weights(days: np.ndarray, first: date) -> np.ndarray:
    """Relative intake per calendar day: working days, a little on Saturdays (online),
    seasonal months, the rush before Tết and the lull after it, slow growth."""
    as_dates = days.astype("datetime64[D]")
    working = np.is_busday(as_dates, busdaycal=wcal.business_calendar())
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
    w = np.where(working, 1.0, np.where(weekday == 5, 0.08, 0.03))
    month = as_dates.astype("datetime64[M]").astype(np.int64) % 12
    w *= np.array([1.05, 0.9, 1.0, 1.0, 0.95, 1.0, 1.0, 1.05, 1.0, 1.0, 1.05, 1.15])[month]
    for tet in TET_DAYS:
        t = day_number(tet)
        w[(days >= t - 21) & (days < t - 3)] *= 1.3
        w[(days > t + 4) & (days <= t + 14)] *= 0.65
    w *= 1.0 + 0.06 * (days - day_number(first)) / 365.0
    return w


def timestamps(day: np.ndarray, seconds: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """datetime64[us] from day numbers and seconds after midnight; NaT where not valid."""
    us = (day.astype(np.int64) * DAY_SECONDS + seconds.astype(np.int64)) * 1_000_000
    out = us.view("datetime64[us]").copy()
    out[~valid] = np.datetime64("NaT")
    return out


def after(seconds: np.ndarray, earlier: np.ndarray, same_day: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Seconds that are not before `earlier` when both fall on the same day."""
    bumped = np.minimum(earlier.astype(np.int64) + rng.integers(300, 7_200, len(seconds)), DAY_SECONDS - 60)
    return np.where(same_day, np.maximum(seconds, bumped), seconds).astype(np.int32)


def categorical(values: Sequence[str], codes: np.ndarray) -> pd.Categorical:
    """A categorical column from per-index labels (labels may repeat, e.g. two procedures
    with the same name at two tiers) without building one Python string per row."""
    uniques, inverse = np.unique(np.asarray(values, dtype=object), return_inverse=True)
    return pd.Categorical.from_codes(inverse[codes], categories=list(uniques))


def break_a_few(
    rng: np.random.Generator,
    status: np.ndarray,
    received_at: np.ndarray,
    due_at: np.ndarray,
    resolved_at: np.ndarray,
    returned_at: np.ndarray,
) -> None:
    """About 0.05% of records break a data-quality rule, as real exports do: a result
    before the receipt, an appointment before the receipt, a 'returned' dossier with
    no end date. The ledger must count them; they are modified in place."""
    candidates = np.flatnonzero((status == 10) & ~np.isnat(received_at) & ~np.isnat(resolved_at) & ~np.isnat(due_at))
    n_bad = min(len(candidates), max(3, round(len(status) * 0.0005)))
    if n_bad == 0:
        return
    chosen = rng.choice(candidates, n_bad, replace=False)
    kinds = np.arange(n_bad) % 3
    one_day = np.timedelta64(DAY_SECONDS * 1_000_000, "us")
    a, b, c = chosen[kinds == 0], chosen[kinds == 1], chosen[kinds == 2]
    resolved_at[a] = received_at[a] - rng.integers(1, 6, len(a)) * one_day
    due_at[b] = received_at[b] - rng.integers(1, 10, len(b)) * one_day
    resolved_at[c] = np.datetime64("NaT")
    returned_at[c] = np.datetime64("NaT")
