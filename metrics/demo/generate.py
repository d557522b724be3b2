"""Canonical dossier records for the demo province over its window.

The shape a real province shows: a dip at Tết, many small communes and a few large
departments, online shares near the tier targets with units clearly on both sides,
late dossiers with and without apology letters, supplements, withdrawals, ratings,
dossiers still open at the end, a few broken records for the data-quality ledger. When
the window spans the reform, dossiers received from 01/07/2025 go to the new units,
and a dossier an abolished unit had not finished by its last day is finished by its
successor: same dossier code (it names the unit that received it), successor agency.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from metrics import workdays as wcal
from metrics.demo import draws
from metrics.demo.plan import Plan, build_plan
from metrics.record import CANONICAL_COLUMNS, CHANNELS
from metrics.registry import TIER_CODES

# Channel codes inside the generator index record.CHANNELS: online, direct, postal.
ONLINE, DIRECT, POSTAL = 0, 1, 2
OPEN_STATUSES = (1, 2, 4, 5, 6)
WINDOW_MONTHS = 24


def window(today: date) -> tuple[date, date]:
    """The 24 full months before `today`: 2024-12-01..2026-11-30 for 2026-12-01."""
    end = today.replace(day=1) - timedelta(days=1)
    months = today.year * 12 + today.month - 1 - WINDOW_MONTHS
    return date(months // 12, months % 12 + 1, 1), end


def generate(
    n_dossiers: int = 200_000,
    seed: int = 42,
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """Canonical dossier records (record.CANONICAL_COLUMNS), sorted by receipt.

    Deterministic for a seed and a window (default: window(date.today())). Timestamps
    are local time, datetime64[us] with NaT for empty; low-cardinality text columns are
    categoricals; `rating` is nullable Int8. Data is as of the end of `end`: anything
    not finished by then is still open. Every unit that exists in the window receives a
    dossier on its last day in it, so each unit's data reaches the window's end (or its
    own end) and the dashboard opens current.
    """
    if n_dossiers <= 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CANONICAL_COLUMNS})
    if start is None or end is None:
        start, end = window(date.today())
    first, last = draws.day_number(start), draws.day_number(end)
    plan = build_plan(seed, first, last)
    rng = np.random.default_rng([seed, 0])
    n = n_dossiers

    calendar_days = np.arange(first, last + 1, dtype=np.int64)
    day = calendar_days[draws.sample(rng, draws.day_weights(calendar_days, start), n)].astype(np.int32)
    last_day = np.minimum(plan.unit_to, last)
    reserved_units = np.flatnonzero((plan.unit_from <= last) & (plan.unit_to >= first))[:n]
    reserved = np.zeros(n, dtype=bool)
    reserved[: len(reserved_units)] = True
    day[reserved] = last_day[reserved_units]
    era = plan.era_of(day)
    unit, proc = _draw_pairs(plan, rng, era, day, reserved_units)
    legal = plan.proc_days[proc]

    online_by_era = np.stack([e.unit_online for e in plan.eras])
    capable = plan.proc_capable[proc]
    channel = np.where(
        rng.random(n) < capable * online_by_era[era, unit], ONLINE, np.where(rng.random(n) < 0.025, POSTAL, DIRECT)
    ).astype(np.int8)
    # Desks are closed on weekends and holidays: only online dossiers arrive then. A
    # unit's last-day dossier on such a day came in online.
    closed = ~np.is_busday(day.astype("datetime64[D]"), busdaycal=wcal.business_calendar())
    channel[reserved & closed & capable] = ONLINE
    moved = closed & (channel != ONLINE)
    day[moved] = wcal.add_working_days_array(day[moved], 0).astype(np.int64)
    era_last = np.array([e.last for e in plan.eras])
    day = np.minimum(day, era_last[era]).astype(np.int32)  # never into the next era's units
    recv_sec = np.where(
        (channel == ONLINE) & (rng.random(n) < 0.35),
        rng.integers(6 * 3_600, 22 * 3_600, n),
        draws.office_seconds(rng, n),
    ).astype(np.int32)

    due_day = wcal.add_working_days_array(day, legal).astype(np.int64).astype(np.int32)
    due_sec = np.full(n, 17 * 3_600, dtype=np.int32)
    due_sec = np.where(due_day == day, np.maximum(due_sec, recv_sec + 60), due_sec).astype(np.int32)

    supplements = draws.sample(rng, [0.905, 0.072, 0.017, 0.006], n).astype(np.int16)
    late_p = plan.unit_late[unit] * np.where(supplements > 0, 1.8, 1.0) * np.where(legal == 0, 0.5, 1.0)
    late = rng.random(n) < late_p
    # An abolished unit's last-day dossier is one its desk finished on the spot, so
    # its own data reaches its last day (a handed-over dossier would carry it away).
    on_the_spot = reserved & (plan.unit_to[unit] < last)
    late &= ~on_the_spot
    used = np.minimum(np.floor((legal + 1) * rng.beta(1.4, 2.0, n)), legal).astype(np.int32)
    overrun = rng.geometric(0.3, n) + np.where(rng.random(n) < 0.08, rng.integers(5, 40, n), 0)
    resolved_day = np.where(
        late,
        wcal.add_working_days_array(due_day, overrun).astype(np.int64),
        wcal.add_working_days_array(day, np.where(on_the_spot, 0, used)).astype(np.int64),
    ).astype(np.int32)
    del used, overrun, late_p
    resolved_sec = draws.after(draws.office_seconds(rng, n), recv_sec, resolved_day == day, rng)
    lag = draws.sample(rng, [0.6, 0.25, 0.1, 0.05], n)
    lag[on_the_spot] = 0
    returned_day = wcal.add_working_days_array(resolved_day, lag).astype(np.int64).astype(np.int32)
    returned_sec = draws.after(draws.office_seconds(rng, n), resolved_sec, returned_day == resolved_day, rng)
    del lag

    # Status as of the end of the window.
    status = np.full(n, 10, dtype=np.int8)
    stuck = (rng.random(n) < 0.0015) & (due_day < last - 30) & ~on_the_spot
    open_ = (resolved_day > last) | stuck
    status[(returned_day > last) | ((rng.random(n) < 0.02) & ~on_the_spot)] = 9
    draw = rng.random(n)
    status[open_] = 4
    status[open_ & (supplements > 0) & (draw < 0.5)] = 5
    status[open_ & plan.proc_land[proc] & (draw >= 0.5) & (draw < 0.8)] = 6
    status[open_ & (day >= last - 4) & (draw >= 0.6)] = 2
    special = np.where(on_the_spot, 1.0, rng.random(n))
    # A last-day dossier keeps its receipt: it is what makes its unit's data current.
    registered = (special < 0.004) & (channel == ONLINE) & ~reserved
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
    # leave its end date empty (the metrics then treat it as ended).
    part_way = wcal.add_working_days_array(day, (legal // 2)).astype(np.int64)
    end_early_day = np.minimum(part_way, last).astype(np.int32)
    resolved_day = np.where(ended_early, end_early_day, resolved_day).astype(np.int32)
    resolved_sec = np.where(
        ended_early, draws.after(draws.office_seconds(rng, n), recv_sec, resolved_day == day, rng), resolved_sec
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
    apology_sec = draws.after(draws.office_seconds(rng, n), recv_sec, apology_day == day, rng)
    del apology_before, apology_after, before

    rated = resolved & (rng.random(n) < plan.unit_coverage[unit])
    satisfied = rng.random(n) < plan.unit_satisfaction[unit] - 0.25 * late
    happy = np.where(rng.random(n) < 0.65, 5, 4)
    unhappy = 3 - draws.sample(rng, [0.6, 0.3, 0.1], n)
    rating_values = np.where(satisfied, happy, unhappy).astype(np.int8)
    del happy, unhappy, satisfied

    # The last day anyone touched the dossier: its return for a returned one.
    touched = np.where(status == 10, returned_day, np.where(status == 3, day, resolved_day))
    finished = np.where(np.isin(status, OPEN_STATUSES), last + 1, touched)
    agency = _successors(plan, unit, np.minimum(finished, last + 1), last)

    received_at = draws.timestamps(day, recv_sec, has_received)
    due_at = draws.timestamps(due_day, due_sec, has_due)
    resolved_at = draws.timestamps(resolved_day, resolved_sec, has_resolved)
    returned_at = draws.timestamps(returned_day, returned_sec, has_returned)
    apology_at = draws.timestamps(apology_day, apology_sec, apologise)
    draws.break_a_few(rng, status, received_at, due_at, resolved_at, returned_at)

    order = np.lexsort((recv_sec, day))
    rating = pd.array(rating_values[order], dtype="Int8")
    rating[~rated[order]] = pd.NA
    units, procs = plan.units, plan.procedures
    agency, proc = agency[order], proc[order]
    frame = pd.DataFrame(
        {
            "dossier_code": _dossier_codes(plan, unit[order], day[order], first, last),
            "procedure_code": draws.categorical(procs["procedure_code"].tolist(), proc),
            "procedure_name": draws.categorical(procs["procedure_name"].tolist(), proc),
            "field_name": draws.categorical(procs["field_name"].tolist(), proc),
            "agency_code": draws.categorical(units["unit_code"].tolist(), agency),
            "agency_name": draws.categorical(units["unit_name"].tolist(), agency),
            "tier": pd.Categorical.from_codes(plan.unit_tier[agency], categories=list(TIER_CODES)),
            "channel": pd.Categorical.from_codes(channel[order], categories=list(CHANNELS)),
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


def _draw_pairs(
    plan: Plan, rng: np.random.Generator, era: np.ndarray, day: np.ndarray, reserved_units: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(unit, procedure) per dossier from its era's pairs; the first rows, one per unit
    (its last-day dossier), from that unit's own pairs, online-capable ones on a day
    the desk is closed."""
    n = len(day)
    unit = np.empty(n, dtype=np.int32)
    proc = np.empty(n, dtype=np.int32)
    for e, spec in enumerate(plan.eras):
        rows = np.flatnonzero(era == e)
        pair = draws.sample(rng, spec.pair_p, len(rows))
        unit[rows] = spec.pair_unit[pair]
        proc[rows] = spec.pair_proc[pair]
    closed = ~np.is_busday(day[: len(reserved_units)].astype("datetime64[D]"), busdaycal=wcal.business_calendar())
    for j, u in enumerate(reserved_units):
        spec = plan.eras[era[j]]
        mine = np.flatnonzero(spec.pair_unit == u)
        if closed[j] and plan.proc_capable[spec.pair_proc[mine]].any():
            mine = mine[plan.proc_capable[spec.pair_proc[mine]]]
        if len(mine):
            pick = mine[draws.sample(rng, spec.pair_p[mine], 1)[0]]
            unit[j], proc[j] = u, spec.pair_proc[pick]
    return unit, proc


def _successors(plan: Plan, unit: np.ndarray, finished: np.ndarray, last: int) -> np.ndarray:
    """The unit that finishes each dossier: the one that received it, or, if that unit
    ended before the dossier did, its successor (following the chain)."""
    agency = unit.copy()
    for _ in range(len(plan.units)):
        moves = (plan.unit_to[agency] < np.minimum(finished, last)) & (plan.successor[agency] >= 0)
        if not moves.any():
            break
        agency[moves] = plan.successor[agency[moves]]
    return agency


def _dossier_codes(plan: Plan, unit: np.ndarray, day: np.ndarray, first: int, last: int) -> pd.arrays.ArrowStringArray:
    """<receiving unit code>-<yymmdd>-<sequence of that unit on that day>, vectorised:
    one label per calendar day (a few hundred), taken per row by index."""
    n = len(unit)
    n_days = last - first + 1
    key = unit.astype(np.int64) * n_days + (day - first)
    by_key = np.argsort(key, kind="stable")
    sorted_key = key[by_key]
    starts = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
    run_start = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    seq = np.empty(n, dtype=np.int64)
    seq[by_key] = np.arange(n) - run_start + 1
    day_text = pa.array([f"{d:%y%m%d}" for d in np.arange(first, last + 1).astype("datetime64[D]").astype(date)])
    codes = pc.binary_join_element_wise(
        pa.array(plan.units["unit_code"].tolist()).take(pa.array(unit)),
        day_text.take(pa.array(day - first)),
        pc.utf8_lpad(pc.cast(pa.array(seq), pa.string()), 4, "0"),
        "-",
    )
    return pd.array(codes, dtype="str")
