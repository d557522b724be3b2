"""Demo data for one province, and the vendor-shaped exports it ships as.

The dashboard has to be shown, tested and benchmarked without real citizens' data, and a
demo that filled the tables directly would never exercise the importer. So `generate`
draws canonical dossier records with the shape a real province shows (a dip at Tết, many
small communes and a few large departments, online shares near the tier targets with
units clearly on both sides, late dossiers with and without apology letters,
supplements, withdrawals, ratings, dossiers still open at the end, a few broken records
for the data-quality ledger), and `write_exports` splits them into the messy monthly
exports of docs/data-contract.md §4: report-shaped Excel, UTF-8 and Windows-1258 CSV, national-sync
JSON, with overlapping months and duplicate rows. `build_demo` then imports those files
through the same importer a province uses.

Everything is vectorised (numpy, pyarrow, DuckDB): 10M rows are drawn without one
Python object per row, which the import benchmark needs.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import xlsxwriter

from metrics import workdays as wcal
from metrics.record import CANONICAL_COLUMNS, CHANNELS, RATING_LABELS_VI, STATUSES
from metrics.registry import TIER_CODES as TIERS

if TYPE_CHECKING:
    from metrics.ingest import ImportSummary

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
UNITS_CSV = DATA_DIR / "units.csv"
PROCEDURES_CSV = DATA_DIR / "procedures.csv"
DEFAULT_OUT_DIR = DATA_DIR / "demo_exports"

PROVINCE_VI = "Hà Tĩnh"

# Share of all dossiers by tier: communes carry civil status and certification, the
# bulk of what citizens file; departments fewer but larger files.
TIER_SHARES = {"department": 0.30, "district": 0.25, "commune": 0.45}

# The province as a whole sits a little above its plan (80/40/30), so the dashboard
# shows a mix of units meeting and missing the target rather than everyone failing.
ONLINE_LEVEL = {"department": 0.82, "district": 0.43, "commune": 0.33}

# Relative volume of each department (unit code -> weight): land registration,
# driving licences, unemployment benefit and criminal records dominate a province.
DEPARTMENT_WEIGHTS: dict[str, float] = {
    "000.00.02.H56": 1.0,  # Sở Nội vụ
    "000.00.03.H56": 7.0,  # Sở Kế hoạch và Đầu tư
    "000.00.04.H56": 0.8,  # Sở Tài chính
    "000.00.05.H56": 2.5,  # Sở Công Thương
    "000.00.06.H56": 8.0,  # Sở Tư pháp
    "000.00.07.H56": 1.2,  # Sở Xây dựng
    "000.00.08.H56": 12.0,  # Sở Giao thông vận tải
    "000.00.09.H56": 18.0,  # Sở Tài nguyên và Môi trường
    "000.00.10.H56": 2.0,  # Sở Nông nghiệp và Phát triển nông thôn
    "000.00.11.H56": 9.0,  # Sở Lao động - Thương binh và Xã hội
    "000.00.12.H56": 0.6,  # Sở Văn hóa, Thể thao và Du lịch
    "000.00.13.H56": 0.3,  # Sở Khoa học và Công nghệ
    "000.00.14.H56": 1.5,  # Sở Giáo dục và Đào tạo
    "000.00.15.H56": 2.5,  # Sở Y tế
    "000.00.16.H56": 0.2,  # Sở Thông tin và Truyền thông
    "000.00.17.H56": 0.6,  # Ban Quản lý Khu kinh tế tỉnh
    "000.00.18.H56": 5.0,  # Công an tỉnh
    "000.00.19.H56": 0.15,  # Sở Ngoại vụ
}

# Departments whose online share is known to sit far from the average: business
# registration is almost entirely online, land registration mostly at the desk.
DEPARTMENT_ONLINE_BIAS: dict[str, float] = {
    "000.00.03.H56": 2.5,
    "000.00.09.H56": -1.6,
    "000.00.07.H56": -1.0,
    "000.00.18.H56": 1.0,
}
# ... and whose lateness does: land files are the classic late dossiers.
DEPARTMENT_LATE: dict[str, float] = {"000.00.09.H56": 0.06, "000.00.07.H56": 0.05}

# District scale: the provincial city and the industrial town are the busiest.
DISTRICT_SCALE: dict[str, float] = {
    "000.00.31.H56": 1.8,
    "000.00.33.H56": 1.4,
    "000.00.32.H56": 0.8,
    "000.00.36.H56": 0.6,
}

# Who handles each procedure, its legal processing time in working days (0: within the
# day) and its relative volume among the procedures of that handler. Handlers are a
# tier ("commune", "district") or a department's unit code.
PROCEDURE_PLAN: tuple[tuple[str, tuple[str, ...], int, float], ...] = (
    ("1.001193", ("commune",), 0, 10.0),
    ("1.000894", ("commune",), 1, 3.0),
    ("1.000656", ("commune",), 0, 4.0),
    ("1.004873", ("commune",), 3, 5.0),
    ("1.001022", ("commune",), 3, 0.5),
    ("1.000689", ("commune",), 3, 0.4),
    ("1.004884", ("commune",), 5, 0.6),
    ("1.004746", ("commune",), 5, 0.2),
    ("1.005461", ("commune",), 5, 0.2),
    ("1.004859", ("commune",), 3, 1.0),
    ("2.000635", ("commune",), 0, 6.0),
    ("1.001766", ("district",), 0, 1.0),
    ("2.000528", ("district",), 3, 0.3),
    ("2.000806", ("district",), 10, 0.3),
    ("2.000815", ("commune", "district"), 0, 20.0),
    ("2.000884", ("commune", "district"), 0, 5.0),
    ("2.001035", ("commune", "district"), 2, 3.0),
    ("2.000942", ("commune",), 2, 0.5),
    ("2.000908", ("district",), 0, 1.0),
    ("1.001699", ("commune",), 25, 0.6),
    ("1.001653", ("commune",), 5, 0.3),
    ("1.001776", ("district",), 20, 1.5),
    ("1.011606", ("commune",), 10, 0.3),
    ("1.010803", ("district",), 12, 0.3),
    ("1.001612", ("district",), 3, 5.0),
    ("2.000720", ("district",), 3, 2.0),
    ("1.001570", ("district",), 3, 0.6),
    ("1.001266", ("district",), 3, 0.6),
    ("2.000575", ("district",), 3, 0.2),
    ("1.013225", ("district",), 15, 4.0),
    ("1.013226", ("district",), 15, 0.3),
    ("1.013227", ("district",), 5, 0.2),
    ("1.012753", ("district", "000.00.09.H56"), 20, 3.0),
    ("1.004227", ("district", "000.00.09.H56"), 10, 8.0),
    ("1.002273", ("000.00.09.H56",), 7, 3.0),
    ("1.005095", ("district",), 3, 0.6),
    ("2.001417", ("000.00.06.H56",), 10, 10.0),
    ("2.000789", ("000.00.06.H56",), 10, 0.1),
    ("2.001610", ("000.00.03.H56",), 3, 1.0),
    ("2.002040", ("000.00.03.H56",), 3, 3.0),
    ("2.002041", ("000.00.03.H56",), 3, 1.5),
    ("2.002043", ("000.00.03.H56",), 3, 4.0),
    ("1.005137", ("000.00.03.H56",), 3, 1.5),
    ("1.009645", ("000.00.03.H56",), 35, 0.05),
    ("1.009789", ("000.00.09.H56",), 30, 0.05),
    ("1.004253", ("000.00.09.H56",), 30, 0.05),
    ("1.002809", ("000.00.08.H56",), 5, 10.0),
    ("1.002820", ("000.00.08.H56",), 10, 1.0),
    ("1.002856", ("000.00.08.H56",), 2, 2.0),
    ("1.002861", ("000.00.08.H56",), 5, 0.5),
    ("1.001978", ("000.00.11.H56",), 20, 8.0),
    ("1.000401", ("000.00.11.H56",), 2, 1.0),
    ("1.014199", ("000.00.11.H56", "000.00.17.H56"), 5, 0.5),
    ("1.004516", ("000.00.15.H56",), 20, 1.0),
    ("1.002952", ("000.00.15.H56",), 20, 0.6),
    ("1.003013", ("000.00.15.H56", "000.00.10.H56"), 15, 0.4),
    ("2.001914", ("000.00.14.H56",), 1, 1.0),
    ("1.005092", ("000.00.14.H56",), 5, 0.4),
    ("1.009974", ("000.00.07.H56",), 20, 0.3),
    ("1.009982", ("000.00.07.H56",), 20, 0.5),
    ("2.000221", ("000.00.13.H56",), 5, 0.1),
    ("1.000364", ("000.00.05.H56",), 15, 0.3),
    ("2.000033", ("000.00.05.H56",), 5, 3.0),
    ("1.003695", ("000.00.10.H56",), 1, 1.5),
    ("1.001009", ("000.00.12.H56",), 10, 0.2),
    ("1.009399", ("000.00.12.H56",), 5, 0.3),
    ("1.005410", ("000.00.04.H56",), 2, 1.0),
    ("1.000775", ("000.00.02.H56",), 20, 1.0),
    ("1.003918", ("000.00.02.H56",), 30, 0.1),
    ("1.004423", ("000.00.16.H56",), 10, 0.1),
    ("1.010946", ("000.00.17.H56",), 15, 0.2),
    ("2.002252", ("000.00.18.H56",), 8, 3.0),
    ("1.010584", ("000.00.18.H56",), 2, 2.0),
    ("1.010015", ("000.00.19.H56",), 10, 0.1),
)

# Mùng 1 Tết of each year: volume rises in the weeks before and sags just after.
TET_DAYS = (date(2023, 1, 22), date(2024, 2, 10), date(2025, 1, 29), date(2026, 2, 17))

# Channel codes inside the generator index record.CHANNELS: online, direct, postal.
_ONLINE, _DIRECT, _POSTAL = 0, 1, 2
_LAND_FIELD = "Đất đai"
_DAY_SECONDS = 86_400


# --------------------------------------------------------------------------- catalogues


def load_units(path: Path = UNITS_CSV) -> pd.DataFrame:
    """The units catalogue (unit_code, unit_name, tier), all text."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def load_procedures(path: Path = PROCEDURES_CSV) -> pd.DataFrame:
    """The procedures catalogue; read as text so codes like 1.000400 keep their zeros."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@dataclass(frozen=True)
class _Plan:
    """Unit traits and the (unit, procedure) pairs dossiers are drawn from."""

    units: pd.DataFrame
    procedures: pd.DataFrame
    unit_tier: np.ndarray  # index into TIERS
    unit_online: np.ndarray  # P(online) for a dossier of a procedure with an online service
    unit_late: np.ndarray
    unit_apology: np.ndarray
    unit_coverage: np.ndarray
    unit_satisfaction: np.ndarray
    pair_unit: np.ndarray
    pair_proc: np.ndarray
    pair_p: np.ndarray
    proc_days: np.ndarray
    proc_capable: np.ndarray
    proc_land: np.ndarray


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _build_plan(seed: int) -> _Plan:
    """Draw the unit-level traits. They depend on the seed only, not on the number of
    dossiers, so a 3 000-row test sees the same units above and below target as the
    200 000-row demo."""
    rng = np.random.default_rng([seed, 1])
    units = load_units()
    procs = load_procedures()
    plan_codes = [p[0] for p in PROCEDURE_PLAN]
    missing = set(plan_codes) - set(procs["procedure_code"])
    if missing:
        raise ValueError(f"procedures missing from {PROCEDURES_CSV.name}: {sorted(missing)}")
    proc_index = {code: i for i, code in enumerate(procs["procedure_code"])}
    n_units = len(units)
    tier_idx = units["tier"].map({t: i for i, t in enumerate(TIERS)}).to_numpy(np.int8)
    codes = units["unit_code"].to_numpy()
    names = units["unit_name"].to_numpy()

    # Volume of each unit, normalised within its tier then scaled to the tier share.
    weight = np.ones(n_units)
    for i, (code, name, tier) in enumerate(zip(codes, names, units["tier"], strict=True)):
        if tier == "department":
            weight[i] = DEPARTMENT_WEIGHTS.get(code, 0.5) * rng.lognormal(0, 0.1)
        elif tier == "district":
            weight[i] = DISTRICT_SCALE.get(code, 1.0) * rng.lognormal(0, 0.3)
        else:
            scale = 1.6 if "phường" in name else 1.3 if "thị trấn" in name else 1.0
            weight[i] = scale * rng.lognormal(0, 0.55)
    for t, tier in enumerate(TIERS):
        mask = tier_idx == t
        weight[mask] *= TIER_SHARES[tier] / weight[mask].sum()

    # Online propensity (logit scale): spread wide enough that some units are clearly
    # above and some clearly below the tier target.
    logit = rng.normal(0, 0.8, n_units)
    for t in range(len(TIERS)):
        members = np.flatnonzero(tier_idx == t)
        high, low = rng.choice(members, 2, replace=False)
        logit[high] += 1.8
        logit[low] -= 1.8
    for code, bias in DEPARTMENT_ONLINE_BIAS.items():
        logit[codes == code] = bias

    late = rng.uniform(0.003, 0.02, n_units)
    for t in range(len(TIERS)):
        members = np.flatnonzero(tier_idx == t)
        worse = rng.choice(members, max(2, len(members) // 10), replace=False)
        late[worse] = rng.uniform(0.05, 0.09, len(worse))
    for code, rate in DEPARTMENT_LATE.items():
        late[codes == code] = rate

    satisfaction = np.clip(rng.normal(0.962, 0.012, n_units), 0.9, 0.995)
    unhappy = rng.choice(n_units, max(2, n_units // 12), replace=False)
    satisfaction[unhappy] = rng.uniform(0.87, 0.93, len(unhappy))

    # Pairs (unit, procedure) with P(pair) = P(unit) * P(procedure | unit).
    handled: dict[str, list[tuple[int, float]]] = {}
    for code, handlers, _days, w in PROCEDURE_PLAN:
        for h in handlers:
            handled.setdefault(h, []).append((proc_index[code], w))
    pair_unit, pair_proc, pair_w = [], [], []
    for i, (code, tier) in enumerate(zip(codes, units["tier"], strict=True)):
        mine = handled.get(code if tier == "department" else tier, [])
        if not mine:
            continue
        ws = np.array([w for _, w in mine]) * rng.lognormal(0, 0.3, len(mine))
        ws = ws / ws.sum() * weight[i]
        for (p, _), w in zip(mine, ws, strict=True):
            pair_unit.append(i)
            pair_proc.append(p)
            pair_w.append(w)
    pair_unit_a = np.array(pair_unit, dtype=np.int32)
    pair_proc_a = np.array(pair_proc, dtype=np.int32)
    pair_p = np.array(pair_w)
    pair_p /= pair_p.sum()

    days_by_code = {code: d for code, _h, d, _w in PROCEDURE_PLAN}
    proc_days = np.array([days_by_code.get(c, 5) for c in procs["procedure_code"]], dtype=np.int32)
    proc_capable = (procs["online_service"] != "none").to_numpy()
    proc_land = (procs["field_name"] == _LAND_FIELD).to_numpy()

    # Shift each tier's logits so the expected online share over its dossiers hits
    # ONLINE_LEVEL; procedures without an online service can only come in direct.
    online = np.zeros(n_units)
    for t, tier in enumerate(TIERS):
        sel = tier_idx[pair_unit_a] == t
        p = pair_p[sel] * proc_capable[pair_proc_a[sel]]
        lu = logit[pair_unit_a[sel]]
        total = pair_p[sel].sum()
        lo, hi = -12.0, 12.0
        for _ in range(60):
            mid = (lo + hi) / 2
            if (p * _sigmoid(lu + mid)).sum() / total < ONLINE_LEVEL[tier]:
                lo = mid
            else:
                hi = mid
        members = tier_idx == t
        online[members] = _sigmoid(logit[members] + (lo + hi) / 2)

    return _Plan(
        units=units,
        procedures=procs,
        unit_tier=tier_idx,
        unit_online=online,
        unit_late=late,
        unit_apology=rng.uniform(0.2, 0.9, n_units),
        unit_coverage=rng.uniform(0.45, 0.85, n_units),
        unit_satisfaction=satisfaction,
        pair_unit=pair_unit_a,
        pair_proc=pair_proc_a,
        pair_p=pair_p,
        proc_days=proc_days,
        proc_capable=proc_capable,
        proc_land=proc_land,
    )


# --------------------------------------------------------------------------- generation


def _sample(rng: np.random.Generator, p: np.ndarray | Sequence[float], n: int) -> np.ndarray:
    """Indices drawn with probabilities p (inverse CDF: one searchsorted, no Python loop)."""
    cdf = np.cumsum(np.asarray(p, dtype=float))
    cdf /= cdf[-1]
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(cdf) - 1).astype(np.int32)


def _office_seconds(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds after midnight within desk hours, 07:30-11:30 and 13:30-17:00."""
    s = rng.integers(0, 27_000, n)
    return np.where(s < 14_400, 27_000 + s, 48_600 + (s - 14_400)).astype(np.int32)


def _day_numbers(d: date) -> int:
    return int(np.datetime64(d, "D").astype(np.int64))


def _day_weights(days: np.ndarray, first: date) -> np.ndarray:
    """Relative intake per calendar day: working days, a little on Saturdays (online),
    seasonal months, the rush before Tết and the lull after it, slow growth."""
    as_dates = days.astype("datetime64[D]")
    working = np.is_busday(as_dates, busdaycal=wcal.business_calendar())
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
    w = np.where(working, 1.0, np.where(weekday == 5, 0.08, 0.03))
    month = as_dates.astype("datetime64[M]").astype(np.int64) % 12
    w *= np.array([1.05, 0.9, 1.0, 1.0, 0.95, 1.0, 1.0, 1.05, 1.0, 1.0, 1.05, 1.15])[month]
    for tet in TET_DAYS:
        t = _day_numbers(tet)
        w[(days >= t - 21) & (days < t - 3)] *= 1.3
        w[(days > t + 4) & (days <= t + 14)] *= 0.65
    w *= 1.0 + 0.06 * (days - _day_numbers(first)) / 365.0
    return w


def _timestamps(day: np.ndarray, seconds: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """datetime64[us] from day numbers and seconds after midnight; NaT where not valid."""
    us = (day.astype(np.int64) * _DAY_SECONDS + seconds.astype(np.int64)) * 1_000_000
    out = us.view("datetime64[us]").copy()
    out[~valid] = np.datetime64("NaT")
    return out


def _after(seconds: np.ndarray, earlier: np.ndarray, same_day: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Seconds that are not before `earlier` when both fall on the same day."""
    bumped = np.minimum(earlier.astype(np.int64) + rng.integers(300, 7_200, len(seconds)), _DAY_SECONDS - 60)
    return np.where(same_day, np.maximum(seconds, bumped), seconds).astype(np.int32)


def _categorical(values: Sequence[str], codes: np.ndarray) -> pd.Categorical:
    """A categorical column from per-index labels (labels may repeat, e.g. two procedures
    with the same name at two tiers) without building one Python string per row."""
    uniques, inverse = np.unique(np.asarray(values, dtype=object), return_inverse=True)
    return pd.Categorical.from_codes(inverse[codes], categories=list(uniques))


def generate(
    n_dossiers: int = 200_000,
    seed: int = 42,
    start: date = date(2024, 1, 1),
    end: date = date(2025, 6, 30),
) -> pd.DataFrame:
    """Canonical dossier records (record.CANONICAL_COLUMNS), sorted by receipt.

    Deterministic for a seed. Timestamps are local time, datetime64[us] with NaT for
    empty; low-cardinality text columns are categoricals; `rating` is nullable Int8.
    Data is as of the end of `end`: anything not finished by then is still open.
    """
    if n_dossiers <= 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CANONICAL_COLUMNS})
    plan = _build_plan(seed)
    rng = np.random.default_rng([seed, 0])
    n = n_dossiers
    first, last = _day_numbers(start), _day_numbers(end)

    pair = _sample(rng, plan.pair_p, n)
    unit = plan.pair_unit[pair]
    proc = plan.pair_proc[pair]
    del pair
    tier = plan.unit_tier[unit]
    legal = plan.proc_days[proc]

    calendar_days = np.arange(first, last + 1, dtype=np.int64)
    day = calendar_days[_sample(rng, _day_weights(calendar_days, start), n)].astype(np.int32)

    p_online = plan.proc_capable[proc] * plan.unit_online[unit]
    channel = np.where(rng.random(n) < p_online, _ONLINE, np.where(rng.random(n) < 0.025, _POSTAL, _DIRECT)).astype(
        np.int8
    )
    # Desks are closed on weekends and holidays: only online dossiers arrive then.
    closed = ~np.is_busday(day.astype("datetime64[D]"), busdaycal=wcal.business_calendar())
    moved = closed & (channel != _ONLINE)
    day[moved] = wcal.add_working_days_array(day[moved], 0).astype(np.int64)
    day = np.minimum(day, last).astype(np.int32)
    recv_sec = np.where(
        (channel == _ONLINE) & (rng.random(n) < 0.35),
        rng.integers(6 * 3_600, 22 * 3_600, n),
        _office_seconds(rng, n),
    ).astype(np.int32)

    due_day = wcal.add_working_days_array(day, legal).astype(np.int64).astype(np.int32)
    due_sec = np.full(n, 17 * 3_600, dtype=np.int32)
    due_sec = np.where(due_day == day, np.maximum(due_sec, recv_sec + 60), due_sec).astype(np.int32)

    supplements = _sample(rng, [0.905, 0.072, 0.017, 0.006], n).astype(np.int16)
    late_p = plan.unit_late[unit] * np.where(supplements > 0, 1.8, 1.0) * np.where(legal == 0, 0.5, 1.0)
    late = rng.random(n) < late_p
    used = np.minimum(np.floor((legal + 1) * rng.beta(1.4, 2.0, n)), legal).astype(np.int32)
    overrun = rng.geometric(0.3, n) + np.where(rng.random(n) < 0.08, rng.integers(5, 40, n), 0)
    resolved_day = np.where(
        late,
        wcal.add_working_days_array(due_day, overrun).astype(np.int64),
        wcal.add_working_days_array(day, used).astype(np.int64),
    ).astype(np.int32)
    del used, overrun, late_p
    resolved_sec = _after(_office_seconds(rng, n), recv_sec, resolved_day == day, rng)
    lag = _sample(rng, [0.6, 0.25, 0.1, 0.05], n)
    returned_day = wcal.add_working_days_array(resolved_day, lag).astype(np.int64).astype(np.int32)
    returned_sec = _after(_office_seconds(rng, n), resolved_sec, returned_day == resolved_day, rng)
    del lag

    # Status as of the end of the period.
    status = np.full(n, 10, dtype=np.int8)
    stuck = (rng.random(n) < 0.0015) & (due_day < last - 30)
    open_ = (resolved_day > last) | stuck
    status[(returned_day > last) | (rng.random(n) < 0.02)] = 9
    draw = rng.random(n)
    status[open_] = 4
    status[open_ & (supplements > 0) & (draw < 0.5)] = 5
    status[open_ & plan.proc_land[proc] & (draw >= 0.5) & (draw < 0.8)] = 6
    status[open_ & (day >= last - 4) & (draw >= 0.6)] = 2
    special = rng.random(n)
    registered = (special < 0.004) & (channel == _ONLINE)
    denied = (special >= 0.004) & (special < 0.008)
    withdrawn = (special >= 0.008) & (special < 0.016)
    stopped = (special >= 0.016) & (special < 0.019)
    status[registered] = 1
    status[denied] = 3
    status[withdrawn] = 7
    status[stopped] = 8
    del special, draw
    supplements[registered | denied] = 0

    resolved = (status == 9) | (status == 10)
    ended_early = withdrawn | stopped
    # A withdrawal or stop ends part-way through the legal time; a third of vendors
    # leave its end date empty (the metrics then treat it as ended, docs/metrics.md).
    part_way = wcal.add_working_days_array(day, (legal // 2)).astype(np.int64)
    end_early_day = np.minimum(part_way, last).astype(np.int32)
    resolved_day = np.where(ended_early, end_early_day, resolved_day).astype(np.int32)
    resolved_sec = np.where(
        ended_early, _after(_office_seconds(rng, n), recv_sec, resolved_day == day, rng), resolved_sec
    )
    # A few vendors fill only the return date of a returned dossier (end = returned_at).
    only_returned = (status == 10) & (rng.random(n) < 0.003)
    has_resolved = (resolved & ~only_returned) | (ended_early & (rng.random(n) < 0.7))
    has_returned = status == 10
    has_received = status != 1
    has_due = ~(registered | denied) & (rng.random(n) >= 0.001)

    # Apology letters (Mẫu 04) for late dossiers: most issued a day or two before the
    # due date, some only after it has passed.
    overdue_open = open_ & (due_day < last) & (status >= 4) & (status <= 6)
    apologise = ((late & resolved) | overdue_open) & (rng.random(n) < plan.unit_apology[unit])
    before = rng.random(n) < 0.75
    apology_before = np.maximum(wcal.add_working_days_array(due_day, -rng.integers(0, 3, n)).astype(np.int64), day)
    apology_after = np.minimum(
        wcal.add_working_days_array(due_day, rng.integers(1, 4, n)).astype(np.int64),
        np.where(resolved, resolved_day, last),
    )
    apology_day = np.where(before | overdue_open, apology_before, apology_after).astype(np.int32)
    apology_sec = _after(_office_seconds(rng, n), recv_sec, apology_day == day, rng)
    del apology_before, apology_after, before

    rated = resolved & (rng.random(n) < plan.unit_coverage[unit])
    satisfied = rng.random(n) < plan.unit_satisfaction[unit] - 0.25 * late
    happy = np.where(rng.random(n) < 0.65, 5, 4)
    unhappy = 3 - _sample(rng, [0.6, 0.3, 0.1], n)
    rating_values = np.where(satisfied, happy, unhappy).astype(np.int8)
    del happy, unhappy, satisfied

    received_at = _timestamps(day, recv_sec, has_received)
    due_at = _timestamps(due_day, due_sec, has_due)
    resolved_at = _timestamps(resolved_day, resolved_sec, has_resolved)
    returned_at = _timestamps(returned_day, returned_sec, has_returned)
    apology_at = _timestamps(apology_day, apology_sec, apologise)

    _break_a_few(rng, status, received_at, due_at, resolved_at, returned_at)

    # Chronological order, then a per-agency, per-day sequence for the dossier code.
    order = np.lexsort((recv_sec, day))
    unit, proc, tier, channel, day = unit[order], proc[order], tier[order], channel[order], day[order]
    n_days = last - first + 1
    key = unit.astype(np.int64) * n_days + (day - first)
    by_key = np.argsort(key, kind="stable")
    sorted_key = key[by_key]
    starts = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
    run_start = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    seq = np.empty(n, dtype=np.int64)
    seq[by_key] = np.arange(n) - run_start + 1
    del key, by_key, sorted_key, starts, run_start

    # One label per calendar day (a few hundred), taken per row by index.
    day_text = pa.array([f"{d:%y%m%d}" for d in np.arange(first, last + 1).astype("datetime64[D]").astype(date)])
    dossier_code = pc.binary_join_element_wise(
        pa.array(plan.units["unit_code"].tolist()).take(pa.array(unit)),
        day_text.take(pa.array(day - first)),
        pc.utf8_lpad(pc.cast(pa.array(seq), pa.string()), 4, "0"),
        "-",
    )
    procs, units = plan.procedures, plan.units
    rating = pd.array(rating_values[order], dtype="Int8")
    rating[~rated[order]] = pd.NA
    frame = pd.DataFrame(
        {
            "dossier_code": pd.array(dossier_code, dtype="str"),
            "procedure_code": _categorical(procs["procedure_code"].tolist(), proc),
            "procedure_name": _categorical(procs["procedure_name"].tolist(), proc),
            "field_name": _categorical(procs["field_name"].tolist(), proc),
            "agency_code": _categorical(units["unit_code"].tolist(), unit),
            "agency_name": _categorical(units["unit_name"].tolist(), unit),
            "tier": pd.Categorical.from_codes(tier, categories=list(TIERS)),
            "channel": pd.Categorical.from_codes(channel, categories=list(CHANNELS)),
            "received_at": received_at[order],
            "due_at": due_at[order],
            "resolved_at": resolved_at[order],
            "returned_at": returned_at[order],
            "status": status[order],
            "supplement_count": supplements[order],
            "apology_issued_at": apology_at[order],
            "rating": rating,
        }
    )
    return frame[list(CANONICAL_COLUMNS)]


def _break_a_few(
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
    one_day = np.timedelta64(_DAY_SECONDS * 1_000_000, "us")
    a, b, c = chosen[kinds == 0], chosen[kinds == 1], chosen[kinds == 2]
    resolved_at[a] = received_at[a] - rng.integers(1, 6, len(a)) * one_day
    due_at[b] = received_at[b] - rng.integers(1, 10, len(b)) * one_day
    resolved_at[c] = np.datetime64("NaT")
    returned_at[c] = np.datetime64("NaT")


# --------------------------------------------------------------------------- exports

_TS_TEXT = "%d/%m/%Y %H:%M:%S"

# Vendor shapes. Each is (file suffix, column headers -> SQL expression over a frame
# with the label columns added by _labelled). The expressions are constants of this
# module, never user input.
_XLSX_TEXT_DATE = "strftime({col}, '%d/%m/%Y %H:%M:%S')"
_XLSX_SHORT_DATE = "strftime({col}, '%d/%m/%Y')"
_XLSX_SERIAL = "epoch_us({col}) / 86400000000.0 + 25569"

_XLSX_COLUMNS: tuple[tuple[str, str], ...] = (
    ("STT", "row_number() OVER ()"),
    ("Số hồ sơ", "dossier_code"),
    ("Mã thủ tục", "procedure_code"),
    ("Tên thủ tục hành chính", "procedure_name"),
    ("Lĩnh vực", "field_name"),
    ("Mã cơ quan", "agency_code"),
    ("Cơ quan chủ trì giải quyết", "agency_name"),
    ("Cấp thực hiện", "tier_vi"),
    ("Họ tên người nộp", "person_name"),
    ("Số CCCD", "person_id"),
    ("Số điện thoại", "person_phone"),
    ("Địa chỉ", "person_address"),
    ("Hình thức tiếp nhận", "channel_vi"),
    ("Ngày nhận hồ sơ", "{received_at}"),
    ("Ngày hẹn trả kết quả", "{due_at}"),
    ("Ngày có kết quả", "{resolved_at}"),
    ("Ngày trả kết quả", "{returned_at}"),
    ("Trạng thái hồ sơ", "status_vi"),
    ("Số lần yêu cầu bổ sung", "supplement_count"),
    ("Ngày ban hành văn bản xin lỗi", "{apology_issued_at}"),
    ("Kết quả đánh giá", "rating_vi"),
)

_DISTRICT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Mã hồ sơ", "dossier_code"),
    ("Mã thủ tục", "procedure_code"),
    ("Tên thủ tục", "procedure_name"),
    ("Tên lĩnh vực", "field_name"),
    ("Mã đơn vị", "agency_code"),
    ("Đơn vị xử lý", "agency_name"),
    ("Cấp", "tier_vi"),
    ("Kênh tiếp nhận", "channel_vi"),
    ("Người nộp", "person_name"),
    ("Số điện thoại", "person_phone"),
    ("Ngày tiếp nhận", "strftime(received_at, '%d/%m/%Y %H:%M:%S')"),
    ("Ngày hẹn trả", "strftime(due_at, '%d/%m/%Y %H:%M:%S')"),
    ("Ngày giải quyết xong", "strftime(resolved_at, '%d/%m/%Y %H:%M:%S')"),
    ("Ngày trả", "strftime(returned_at, '%d/%m/%Y %H:%M:%S')"),
    ("Tình trạng", "status_vi"),
    ("Số lần bổ sung", "supplement_count"),
    ("Ngày xin lỗi", "strftime(apology_issued_at, '%d/%m/%Y %H:%M:%S')"),
    ("Đánh giá", "rating_vi"),
)

_COMMUNE_CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Mã hồ sơ", "dossier_code"),
    ("Mã TTHC", "procedure_code"),
    ("Tên TTHC", "procedure_name"),
    ("Lĩnh vực", "field_name"),
    ("Mã đơn vị", "agency_code"),
    # Stray spaces around names, as hand-maintained commune systems leave them.
    ("Cơ quan giải quyết", "' ' || agency_name || ' '"),
    ("Cấp đơn vị", "tier_vi"),
    ("Hình thức nộp", "channel_vi"),
    ("Địa chỉ", "person_address"),
    ("Ngày nhận", "strftime(received_at, '%d/%m/%Y %H:%M')"),
    ("Hẹn trả", "strftime(due_at, '%d/%m/%Y')"),
    ("Ngày kết thúc xử lý", "strftime(resolved_at, '%d/%m/%Y %H:%M')"),
    ("Ngày trả kết quả", "strftime(returned_at, '%d/%m/%Y %H:%M')"),
    ("Trạng thái", "CAST(status AS VARCHAR)"),
    ("Số lần yêu cầu bổ sung", "supplement_count"),
    ("Ngày phiếu xin lỗi", "strftime(apology_issued_at, '%d/%m/%Y')"),
    ("Mức độ hài lòng", "CAST(rating AS VARCHAR)"),
)

_SYNC_DATE = "strftime({col}, '%Y%m%d%H%M%S')"
_JSON_COLUMNS: tuple[tuple[str, str], ...] = (
    ("MaHoSo", "dossier_code"),
    ("MaTTHC", "procedure_code"),
    ("TenTTHC", "procedure_name"),
    ("TenLinhVuc", "field_name"),
    ("KenhThucHien", "channel_code"),
    ("NgayTiepNhan", _SYNC_DATE.format(col="received_at")),
    ("NgayHenTra", _SYNC_DATE.format(col="due_at")),
    ("NgayKetThucXuLy", _SYNC_DATE.format(col="resolved_at")),
    ("NgayTra", _SYNC_DATE.format(col="returned_at")),
    ("TrangThaiHoSo", "CAST(status AS INTEGER)"),
    ("DonViXuLy", "agency_name"),
    ("SoLanBoSung", "CAST(supplement_count AS INTEGER)"),
    ("NgayXinLoi", _SYNC_DATE.format(col="apology_issued_at")),
    ("MucDoHaiLong", "CAST(rating AS INTEGER)"),
    ("ChuHoSo", "person_name"),
    ("SoDienThoai", "person_phone"),
)

# Vocabulary each vendor uses for tier and channel (docs/data-contract.md §4).
_VENDOR_TIER = {"xlsx": "Sở, ban, ngành", "csv_utf8": "Cấp huyện", "csv_cp1258": "Xã", "json": "Cấp xã"}
_VENDOR_CHANNEL = {
    "xlsx": ("Trực tuyến", "Trực tiếp", "Bưu chính công ích"),
    "csv_utf8": ("Nộp trực tuyến", "Trực tiếp", "Qua bưu điện"),
    "csv_cp1258": ("Trực tuyến", "Trực tiếp", "BCCI"),
    "json": ("Trực tuyến", "Trực tiếp", "Bưu chính công ích"),
}
_VENDOR_FILE = {
    "xlsx": "so-ban-nganh_trung-tam-hcc.xlsx",
    "csv_utf8": "cap-huyen_mot-cua.csv",
    "csv_cp1258": "cap-xa_win1258.csv",
    "json": "cap-xa_dong-bo-quoc-gia.json",
}
_VENDORS = ("xlsx", "csv_utf8", "csv_cp1258", "json")
# Communes of these districts still run an older system exporting Windows-1258 CSV;
# the rest sync through the national portal.
_CP1258_DISTRICTS = frozenset({"34", "35", "36", "37"})

_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
_MIDDLE = ("Văn", "Thị", "Đức", "Hữu", "Minh", "Thanh", "Ngọc", "Quang", "Xuân", "Thu", "Đình")
_GIVEN = (
    "An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Lan", "Linh", "Long",
    "Mai", "Nam", "Nga", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vinh", "Yến",
)  # fmt: skip
_HAMLETS = ("Thôn", "Xóm", "Tổ dân phố")


@lru_cache(maxsize=1)
def _commune_places() -> tuple[str, ...]:
    """Commune names without 'UBND', for applicants' addresses."""
    units = load_units()
    names = units.loc[units["tier"] == "commune", "unit_name"].str.removeprefix("UBND ")
    return tuple(names) or (PROVINCE_VI,)


def _vendor_of(df: pd.DataFrame) -> np.ndarray:
    """Which export system each dossier comes out of, by its agency."""
    tier = df["tier"].to_numpy(dtype=object)
    agency = df["agency_code"].astype("category")
    # A commune code 000.DD.CC.H56 carries its district DD.
    district_part = np.array([str(c)[4:6] for c in agency.cat.categories], dtype=object)
    parent = district_part[agency.cat.codes.to_numpy()]
    cp1258 = np.isin(parent, list(_CP1258_DISTRICTS))
    return np.where(
        tier == "department", "xlsx", np.where(tier == "district", "csv_utf8", np.where(cp1258, "csv_cp1258", "json"))
    )


def _base_day(df: pd.DataFrame) -> np.ndarray:
    """The day a dossier belongs to: received, or for status 1 the date in its code."""
    received = df["received_at"].to_numpy().astype("datetime64[D]")
    missing = np.isnat(received)
    if missing.any():
        text = df.loc[missing, "dossier_code"].astype(str).str.extract(r"-(\d{6})-\d+$")[0]
        parsed = pd.to_datetime(text, format="%y%m%d").to_numpy().astype("datetime64[D]")
        received = received.copy()
        received[missing] = parsed
    return received


def _end_day(df: pd.DataFrame) -> np.ndarray:
    resolved = df["resolved_at"].to_numpy()
    returned = df["returned_at"].to_numpy()
    return np.where(np.isnat(resolved), returned, resolved).astype("datetime64[D]")


def _interim(rows: pd.DataFrame, month_end: np.datetime64) -> pd.DataFrame:
    """How a dossier looked in the export of its own month, before it ended: open,
    with no end dates or rating yet. The next month's export carries its final state."""
    out = rows.copy()
    status = np.where(out["supplement_count"].to_numpy() > 0, 5, 4).astype(np.int8)
    out["status"] = status
    for col in ("resolved_at", "returned_at"):
        out[col] = np.datetime64("NaT", "us")
    apology = out["apology_issued_at"].to_numpy()
    out["apology_issued_at"] = np.where(apology.astype("datetime64[D]") <= month_end, apology, np.datetime64("NaT"))
    out["rating"] = pd.Series(pd.NA, index=out.index, dtype="Int8")
    return out


def _labelled(frame: pd.DataFrame, vendor: str, rng: np.random.Generator) -> pd.DataFrame:
    """Add the vendor's Vietnamese labels and fake personal columns (which the importer
    must drop) as categoricals, vectorised."""
    out = frame.copy()
    n = len(out)
    out["tier_vi"] = _VENDOR_TIER[vendor]
    channel_codes = out["channel"].cat.codes.to_numpy()
    channel_labels = list(_VENDOR_CHANNEL[vendor])
    out["channel_vi"] = pd.Categorical.from_codes(channel_codes, categories=channel_labels)
    if vendor == "csv_cp1258":
        # Some commune clerks leave "direct" empty; docs/data-contract.md §4 reads empty as direct.
        blank = (channel_codes == _DIRECT) & (rng.random(n) < 0.3)
        out["channel_vi"] = out["channel_vi"].astype(object).where(~blank, None)
    out["channel_code"] = np.array([2, 1, 3], dtype=np.int8)[channel_codes]
    status_names = [STATUSES[k][0] for k in sorted(STATUSES)]
    out["status_vi"] = pd.Categorical.from_codes(out["status"].to_numpy().astype(np.int64) - 1, categories=status_names)
    rating = out["rating"].to_numpy(dtype=np.float64, na_value=np.nan)
    rating_codes = np.where(np.isnan(rating), -1, rating - 1).astype(np.int64)
    rating_names = [RATING_LABELS_VI[k] for k in sorted(RATING_LABELS_VI)]
    out["rating_vi"] = pd.Categorical.from_codes(rating_codes, categories=rating_names)

    surname = pa.array(_SURNAMES).take(pa.array(rng.integers(0, len(_SURNAMES), n)))
    middle = pa.array(_MIDDLE).take(pa.array(rng.integers(0, len(_MIDDLE), n)))
    given = pa.array(_GIVEN).take(pa.array(rng.integers(0, len(_GIVEN), n)))
    out["person_name"] = pd.array(pc.binary_join_element_wise(surname, middle, given, " "), dtype="str")
    # 042 is Hà Tĩnh's prefix in citizen ID numbers.
    out["person_id"] = pd.array(
        pc.binary_join_element_wise(
            pa.array(["042"] * n), pc.utf8_lpad(pc.cast(pa.array(rng.integers(0, 10**9, n)), pa.string()), 9, "0"), ""
        ),
        dtype="str",
    )
    out["person_phone"] = pd.array(
        pc.binary_join_element_wise(
            pa.array(["09"] * n), pc.utf8_lpad(pc.cast(pa.array(rng.integers(0, 10**8, n)), pa.string()), 8, "0"), ""
        ),
        dtype="str",
    )
    hamlet = pa.array(_HAMLETS).take(pa.array(rng.integers(0, len(_HAMLETS), n)))
    number = pc.cast(pa.array(rng.integers(1, 16, n)), pa.string())
    # Applicants live in the province's communes, whichever agency they file with.
    communes = _commune_places()
    place = pa.array(communes).take(pa.array(rng.integers(0, len(communes), n)))
    out["person_address"] = pd.array(
        pc.binary_join_element_wise(
            pc.binary_join_element_wise(hamlet, number, " "), place, pa.array([f"tỉnh {PROVINCE_VI}"] * n), ", "
        ),
        dtype="str",
    )
    return out


def _select_sql(columns: Sequence[tuple[str, str]], fmt: dict[str, str] | None = None) -> str:
    parts = []
    for header, expr in columns:
        if fmt is not None:
            expr = expr.format(**fmt)
        parts.append(f'{expr} AS "{header}"')
    return "SELECT " + ", ".join(parts) + " FROM frame"


def _copy(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, select: str, target: Path, options: str) -> None:
    """Write a projection of `frame` with DuckDB's COPY (fast, quotes only when needed)."""
    con.register("frame", frame)
    try:
        con.execute(f"COPY ({select}) TO '{_sql_path(target)}' ({options})")
    finally:
        con.unregister("frame")


def _sql_path(path: Path) -> str:
    # Paths are ours (out_dir), but a quote in a directory name must not break the COPY.
    return str(path).replace("'", "''")


def _cp1258_table() -> dict[int, str]:
    """Translation of NFC Vietnamese to the form Windows-1258 can encode: letters with
    circumflex, breve and horn precomposed, tone marks as combining characters."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    table: dict[int, str] = {}
    for cp in range(0x00C0, 0x1EFA):
        ch = chr(cp)
        try:
            ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        marks = "".join(c for c in decomposed if c in tones)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        candidate = base + marks
        try:
            candidate.encode("cp1258")
        except UnicodeEncodeError:
            continue
        table[cp] = candidate
    return table


_CP1258 = _cp1258_table()


def encode_cp1258(text: str) -> bytes:
    """Encode Vietnamese text as Windows-1258 (decomposed tones); anything the code
    page still cannot hold becomes '?', as legacy exporters do."""
    return unicodedata.normalize("NFC", text).translate(_CP1258).encode("cp1258", errors="replace")


def _vi_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _write_report_xlsx(
    path: Path,
    con: duckdb.DuckDBPyConnection,
    frame: pd.DataFrame,
    period: tuple[date, date],
    excel_dates: bool,
    unit_title: str = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
) -> None:
    """A printed-report workbook: titles, merged cells, header, column numbers, data,
    a total row and a signature block (docs/data-contract.md §4)."""
    date_cols = ("received_at", "due_at", "resolved_at", "returned_at", "apology_issued_at")
    if excel_dates:
        fmt = {c: _XLSX_SERIAL.format(col=c) for c in date_cols}
    else:
        fmt = {
            c: (_XLSX_SHORT_DATE if c in ("due_at", "apology_issued_at") else _XLSX_TEXT_DATE).format(col=c)
            for c in date_cols
        }
    con.register("frame", frame)
    try:
        rows = con.execute(_select_sql(_XLSX_COLUMNS, fmt)).fetchall()
    finally:
        con.unregister("frame")
    headers = [h for h, _ in _XLSX_COLUMNS]
    last_col = len(headers) - 1
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    ws = wb.add_worksheet("Sổ theo dõi")
    bold_center = wb.add_format({"bold": True, "align": "center", "valign": "vcenter"})
    title = wb.add_format({"bold": True, "align": "center", "font_size": 14})
    italic_center = wb.add_format({"italic": True, "align": "center"})
    header_fmt = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1})
    number_fmt = wb.add_format({"italic": True, "align": "center", "border": 1})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy hh:mm:ss"})
    day_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 28)
    ws.set_column(3, 3, 60)
    for i, (_h, expr) in enumerate(_XLSX_COLUMNS):
        if excel_dates and expr.startswith("{"):
            col_fmt = day_fmt if expr in ("{due_at}", "{apology_issued_at}") else date_fmt
            ws.set_column(i, i, 20, col_fmt)
    ws.merge_range(0, 0, 0, 5, f"ỦY BAN NHÂN DÂN TỈNH {PROVINCE_VI.upper()}", bold_center)
    ws.merge_range(0, 12, 0, last_col, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold_center)
    ws.merge_range(1, 0, 1, 5, unit_title, bold_center)
    ws.merge_range(1, 12, 1, last_col, "Độc lập - Tự do - Hạnh phúc", bold_center)
    ws.merge_range(3, 0, 3, last_col, "SỔ THEO DÕI HỒ SƠ", title)
    ws.merge_range(4, 0, 4, last_col, f"Từ ngày {period[0]:%d/%m/%Y} đến ngày {period[1]:%d/%m/%Y}", italic_center)
    ws.write_row(6, 0, headers, header_fmt)
    ws.write_row(7, 0, [f"({i + 1})" for i in range(len(headers))], number_fmt)
    r = 8
    for row in rows:
        ws.write_row(r, 0, row)
        r += 1
    ws.merge_range(r, 0, r, 5, f"Tổng cộng: {_vi_int(len(rows))} hồ sơ", wb.add_format({"bold": True}))
    signed = period[1] + pd.Timedelta(days=5)
    ws.merge_range(
        r + 2,
        last_col - 4,
        r + 2,
        last_col,
        f"{PROVINCE_VI}, ngày {signed:%d} tháng {signed:%m} năm {signed:%Y}",
        italic_center,
    )
    ws.merge_range(r + 3, 0, r + 3, 3, "Người lập biểu", bold_center)
    ws.merge_range(r + 3, last_col - 4, r + 3, last_col, "Thủ trưởng đơn vị", bold_center)
    ws.merge_range(r + 4, 0, r + 4, 3, "(Ký, ghi rõ họ tên)", italic_center)
    ws.merge_range(r + 4, last_col - 4, r + 4, last_col, "(Ký, ghi rõ họ tên, đóng dấu)", italic_center)
    ws.merge_range(r + 8, 0, r + 8, 3, "Nguyễn Thị Hoa", bold_center)
    ws.merge_range(r + 8, last_col - 4, r + 8, last_col, "Trần Văn Hùng", bold_center)
    wb.close()


def _write_csv(
    path: Path,
    con: duckdb.DuckDBPyConnection,
    frame: pd.DataFrame,
    columns: Sequence[tuple[str, str]],
    delimiter: str,
    encoding: str,
    nfd: bool = False,
    extra_lines: Sequence[str] = (),
) -> None:
    """CSV through DuckDB, then re-encoded: UTF-8 with BOM (optionally NFD text, as
    some Mac-built systems write), or Windows-1258."""
    fd, tmp_name = tempfile.mkstemp(suffix=".csv", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        _copy(con, frame, _select_sql(columns), tmp, f"HEADER, DELIMITER '{delimiter}'")
        text = tmp.read_text(encoding="utf-8")
    finally:
        tmp.unlink(missing_ok=True)
    if extra_lines:
        text = text + "".join(line + "\n" for line in extra_lines)
    if nfd:
        text = unicodedata.normalize("NFD", text)
    if encoding == "cp1258":
        data = encode_cp1258(text)
    else:
        data = b"\xef\xbb\xbf" + text.encode("utf-8")
    path.write_bytes(data)


def _broken_lines(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, columns: Sequence[tuple[str, str]]) -> list[str]:
    """Two rows the importer must quarantine (an impossible date, an unknown status),
    built from real rows with new dossier codes so no good dossier is lost."""
    if len(frame) == 0:
        return []
    sample = frame.iloc[:2].copy()
    stems = sample["dossier_code"].astype(str).str.replace(r"-\d+$", "", regex=True)
    sample["dossier_code"] = stems + pd.Series(["-9901", "-9902"][: len(sample)], index=sample.index)
    con.register("frame", sample)
    try:
        rows = con.execute(_select_sql(columns)).fetchall()
    finally:
        con.unregister("frame")
    headers = [h for h, _ in columns]
    lines = []
    for i, row in enumerate(rows):
        values = ["" if v is None else str(v) for v in row]
        if i == 0:
            values[headers.index("Ngày tiếp nhận")] = "31/02/2024 08:15:00"
        else:
            values[headers.index("Tình trạng")] = "Chờ phê duyệt"
        lines.append(";".join(values))
    return lines


def write_exports(df: pd.DataFrame, out_dir: str | os.PathLike[str], seed: int = 42) -> list[Path]:
    """Split the dossiers by month and export system and write them as real provinces
    receive them; returns the files in the order to import them (chronological).

    - departments: report-shaped .xlsx per month, real Excel dates in even months and
      dd/mm/yyyy text in odd months, with personal-data columns the importer must drop;
    - districts: UTF-8 CSV with BOM, ';', Vietnamese labels, NFD text in odd months;
    - communes of four districts: Windows-1258 CSV with ',', numeric status and rating;
    - the other communes: national-sync JSON (MaHoSo, NgayTiepNhan as yyyyMMddHHmmss, …).
    Each month's file repeats some dossiers of the previous month whose status changed
    (the earlier file shows them still open), a few files hold an exact duplicate row,
    and the first district file holds two rows the importer must quarantine.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([seed, 2])
    if len(df) == 0:
        return []
    frame = df.reset_index(drop=True)
    vendor = _vendor_of(frame)
    base_day = _base_day(frame)
    month = base_day.astype("datetime64[M]")
    end_day = _end_day(frame)
    month_end = (month + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")
    months = np.unique(month)
    last_month = months[-1]
    status = frame["status"].to_numpy()
    carried = (
        (status >= 7)
        & ~np.isnat(end_day)
        & (end_day > month_end)
        & (base_day >= month_end - np.timedelta64(6, "D"))
        & (month < last_month)
        & (rng.random(len(frame)) < 0.4)
    )

    con = duckdb.connect()
    written: list[Path] = []
    broken_done = False
    try:
        for m in months:
            m_start = m.astype("datetime64[D]").astype(date)
            m_end = ((m + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")).astype(date)
            prev = m - np.timedelta64(1, "M")
            in_month = month == m
            for v in _VENDORS:
                mine = vendor == v
                final = frame[in_month & mine & ~carried]
                interim = _interim(frame[in_month & mine & carried], np.datetime64(m_end))
                updated = frame[(month == prev) & mine & carried]
                parts = [p for p in (final, interim, updated) if len(p)]
                if not parts:
                    continue
                rows = pd.concat(parts, ignore_index=True)
                if rng.random() < 0.35 and len(rows) > 2:
                    dup = rows.iloc[rng.choice(len(rows), 2, replace=False)]
                    rows = pd.concat([rows, dup], ignore_index=True)
                    rows = rows.iloc[
                        np.argsort(np.r_[np.arange(len(rows) - 2), rng.integers(0, len(rows) - 2, 2)], kind="stable")
                    ]
                labelled = _labelled(rows, v, rng).reset_index(drop=True)
                target = out / f"{m_start:%Y-%m}_{_VENDOR_FILE[v]}"
                month_number = m_start.month
                if v == "xlsx":
                    _write_report_xlsx(target, con, labelled, (m_start, m_end), excel_dates=month_number % 2 == 0)
                elif v == "csv_utf8":
                    extra = [] if broken_done else _broken_lines(con, labelled, _DISTRICT_COLUMNS)
                    broken_done = True
                    _write_csv(
                        target,
                        con,
                        labelled,
                        _DISTRICT_COLUMNS,
                        ";",
                        "utf-8",
                        nfd=month_number % 2 == 1,
                        extra_lines=extra,
                    )
                elif v == "csv_cp1258":
                    _write_csv(target, con, labelled, _COMMUNE_CSV_COLUMNS, ",", "cp1258")
                else:
                    _copy(con, labelled, _select_sql(_JSON_COLUMNS), target, "FORMAT json, ARRAY true")
                written.append(target)
    finally:
        con.close()
    return written


# --------------------------------------------------------------------------- benchmark files

_BENCH_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Mã hồ sơ", "dossier_code"),
    ("Mã TTHC", "procedure_code"),
    ("Tên TTHC", "procedure_name"),
    ("Lĩnh vực", "field_name"),
    ("Mã đơn vị", "agency_code"),
    ("Cơ quan giải quyết", "agency_name"),
    ("Cấp", "tier_vi"),
    ("Hình thức nộp", "channel_vi"),
    ("Ngày tiếp nhận", "strftime(received_at, '%d/%m/%Y %H:%M:%S')"),
    ("Ngày hẹn trả", "strftime(due_at, '%d/%m/%Y %H:%M:%S')"),
    ("Ngày kết thúc xử lý", "strftime(resolved_at, '%d/%m/%Y %H:%M:%S')"),
    ("Ngày trả kết quả", "strftime(returned_at, '%d/%m/%Y %H:%M:%S')"),
    ("Trạng thái", "status_vi"),
    ("Số lần bổ sung", "supplement_count"),
    ("Ngày xin lỗi", "strftime(apology_issued_at, '%d/%m/%Y %H:%M:%S')"),
    ("Mức độ hài lòng", "rating_vi"),
)


def _bench_labels(df: pd.DataFrame) -> pd.DataFrame:
    """Vietnamese labels as categoricals: renaming categories costs nothing per row."""
    out = df
    out["tier_vi"] = df["tier"].cat.rename_categories(["Cấp sở", "Cấp huyện", "Cấp xã"])
    out["channel_vi"] = df["channel"].cat.rename_categories(["Trực tuyến", "Trực tiếp", "Bưu chính công ích"])
    status_names = [STATUSES[k][0] for k in sorted(STATUSES)]
    out["status_vi"] = pd.Categorical.from_codes(df["status"].to_numpy().astype(np.int64) - 1, categories=status_names)
    rating = df["rating"].to_numpy(dtype=np.float64, na_value=np.nan)
    codes = np.where(np.isnan(rating), -1, rating - 1).astype(np.int64)
    out["rating_vi"] = pd.Categorical.from_codes(
        codes, categories=[RATING_LABELS_VI[k] for k in sorted(RATING_LABELS_VI)]
    )
    return out


def write_bench_csv(
    path: str | os.PathLike[str],
    n: int,
    seed: int = 42,
    delimiter: str = ",",
    df: pd.DataFrame | None = None,
) -> Path:
    """One large vendor-shaped CSV (UTF-8, Vietnamese headers and labels, dd/mm/yyyy
    HH:MM:SS dates) for the import benchmark; DuckDB formats and writes it in parallel."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    frame = _bench_labels(generate(n, seed) if df is None else df.copy())
    con = duckdb.connect()
    try:
        _copy(con, frame, _select_sql(_BENCH_COLUMNS), target, f"HEADER, DELIMITER '{delimiter}'")
    finally:
        con.close()
    return target


def write_bench_xlsx(path: str | os.PathLike[str], n: int = 100_000, seed: int = 42, excel_dates: bool = True) -> Path:
    """A report-shaped workbook of n dossiers for the Excel import benchmark."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    df = generate(n, seed)
    labelled = _labelled(df, "xlsx", np.random.default_rng([seed, 3]))
    first = df["received_at"].min()
    last = df["received_at"].max()
    con = duckdb.connect()
    try:
        _write_report_xlsx(target, con, labelled, (first.date(), last.date()), excel_dates=excel_dates)
    finally:
        con.close()
    return target


# --------------------------------------------------------------------------- whole demo


def build_demo(
    con: duckdb.DuckDBPyConnection,
    n_dossiers: int = 200_000,
    seed: int = 42,
    out_dir: str | os.PathLike[str] | None = None,
    start: date = date(2024, 1, 1),
    end: date = date(2025, 6, 30),
) -> list[ImportSummary]:
    """Generate the province, write its exports and import each one, oldest first,
    through the importer every real file goes through."""
    from metrics.ingest import import_file

    df = generate(n_dossiers, seed, start, end)
    paths = write_exports(df, out_dir if out_dir is not None else DEFAULT_OUT_DIR, seed)
    return [import_file(con, p) for p in paths]


__all__ = [
    "build_demo",
    "encode_cp1258",
    "generate",
    "load_procedures",
    "load_units",
    "write_bench_csv",
    "write_bench_xlsx",
    "write_exports",
]
