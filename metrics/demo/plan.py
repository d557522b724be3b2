"""Unit traits and the (unit, procedure) pairs dossiers are drawn from, era by era.

An era is a span of the demo window in which the same units exist: one era for a
window wholly before or after the reform, two when the window spans 01/07/2025. Traits
(online propensity, lateness, satisfaction, size) belong to a unit and depend on the
seed only, never on the window or the number of dossiers, so a 3 000-row test sees the
same units above and below target as the 200 000-row demo.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.demo import catalogue as cat
from metrics.registry import TIER_CODES

# A day number past any window: the validity end of a unit that still exists.
OPEN_END = 1_000_000
_LAND_FIELD = "Đất đai"


@dataclass(frozen=True)
class Era:
    first: int  # day numbers since 1970, inclusive
    last: int
    pair_unit: np.ndarray  # index into the catalogue
    pair_proc: np.ndarray
    pair_p: np.ndarray
    unit_online: np.ndarray  # per catalogue unit: P(online) for a procedure offered online


@dataclass(frozen=True)
class Plan:
    units: pd.DataFrame
    procedures: pd.DataFrame
    unit_tier: np.ndarray  # index into TIER_CODES
    unit_from: np.ndarray  # day numbers
    unit_to: np.ndarray
    successor: np.ndarray  # catalogue index of the successor, -1 for none
    unit_late: np.ndarray
    unit_apology: np.ndarray
    unit_coverage: np.ndarray
    unit_satisfaction: np.ndarray
    proc_days: np.ndarray
    proc_capable: np.ndarray
    proc_land: np.ndarray
    eras: tuple[Era, ...]

    def era_of(self, day: np.ndarray) -> np.ndarray:
        starts = np.array([e.first for e in self.eras])
        return (np.searchsorted(starts, day, side="right") - 1).astype(np.int8)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _cohorts(units: pd.DataFrame) -> list[np.ndarray]:
    """Units of one tier created and ended together (e.g. the old communes, the new
    ones): each cohort gets its own units clearly above and below target."""
    keys = units["tier"] + "|" + units["valid_from"] + "|" + units["valid_to"]
    return [np.flatnonzero(keys.to_numpy() == k) for k in dict.fromkeys(keys)]


def _weights(units: pd.DataFrame, successor: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Relative size of each unit within its tier. A merged commune serves the people
    of the communes it replaced, so its size is theirs."""
    n = len(units)
    noise = rng.lognormal(0, 1, n)  # one draw per unit, scaled per tier below
    weight = np.ones(n)
    tiers, codes, names = units["tier"].to_numpy(), units["unit_code"].to_numpy(), units["unit_name"].to_numpy()
    merged = np.zeros(n, dtype=bool)
    merged[successor[(successor >= 0) & (tiers == cat.COMMUNE_TIER)]] = True
    for i in range(n):
        if tiers[i] == cat.PROVINCE_TIER:
            weight[i] = cat.DEPARTMENT_WEIGHTS.get(codes[i], 0.5) * noise[i] ** 0.1
        elif tiers[i] == cat.DISTRICT_TIER:
            weight[i] = cat.DISTRICT_SCALE.get(codes[i], 1.0) * noise[i] ** 0.3
        elif not merged[i]:
            scale = 1.6 if "phường" in names[i] else 1.3 if "thị trấn" in names[i] else 1.0
            weight[i] = scale * noise[i] ** 0.55
    for m in np.flatnonzero(merged):
        weight[m] = weight[(successor == m) & (tiers == cat.COMMUNE_TIER)].sum() * noise[m] ** 0.1
    return weight


def _tier_shares(districts_exist: bool) -> dict[str, float]:
    if districts_exist:
        return cat.TIER_SHARES
    moved = cat.TIER_SHARES[cat.DISTRICT_TIER]
    return {
        cat.PROVINCE_TIER: cat.TIER_SHARES[cat.PROVINCE_TIER] + moved * cat.DISTRICT_SHARE_TO_PROVINCE,
        cat.COMMUNE_TIER: cat.TIER_SHARES[cat.COMMUNE_TIER] + moved * (1 - cat.DISTRICT_SHARE_TO_PROVINCE),
    }


def build_plan(seed: int, first: int, last: int) -> Plan:
    """The plan for the window [first, last] (day numbers)."""
    rng = np.random.default_rng([seed, 1])
    units, procs = cat.load_units(), cat.load_procedures()
    missing = {p[0] for p in cat.PROCEDURE_PLAN} - set(procs["procedure_code"])
    if missing:
        raise ValueError(f"procedures missing from {cat.PROCEDURES_CSV.name}: {sorted(missing)}")
    n_units = len(units)
    codes = units["unit_code"].to_numpy()
    index = {c: i for i, c in enumerate(codes)}
    successor = np.array([index.get(s, -1) for s in units["successor_code"]], dtype=np.int32)
    tier_idx = units["tier"].map({t: i for i, t in enumerate(TIER_CODES)}).to_numpy(np.int8)
    unit_from = cat.day_numbers(units["valid_from"], pd.Timestamp.min.date())
    unit_to = np.where(units["valid_to"] == "", OPEN_END, cat.day_numbers(units["valid_to"], pd.Timestamp.max.date()))

    weight = _weights(units, successor, rng)
    # Online propensity (logit scale): spread wide enough that some units are clearly
    # above and some clearly below the tier target.
    logit = rng.normal(0, 0.8, n_units)
    late = rng.uniform(0.003, 0.02, n_units)
    satisfaction = np.clip(rng.normal(0.962, 0.012, n_units), 0.9, 0.995)
    for members in _cohorts(units):
        high, low = rng.choice(members, 2, replace=False)
        logit[high] += 1.8
        logit[low] -= 1.8
        worse = rng.choice(members, max(2, len(members) // 10), replace=False)
        late[worse] = rng.uniform(0.05, 0.09, len(worse))
        unhappy = rng.choice(members, max(2, len(members) // 12), replace=False)
        satisfaction[unhappy] = rng.uniform(0.87, 0.93, len(unhappy))
    for code, bias in cat.DEPARTMENT_ONLINE_BIAS.items():
        logit[codes == code] = bias
    for code, rate in cat.DEPARTMENT_LATE.items():
        late[codes == code] = rate
    apology = rng.uniform(0.2, 0.9, n_units)
    coverage = rng.uniform(0.45, 0.85, n_units)

    days_by_code = {code: d for code, _h, d, _w in cat.PROCEDURE_PLAN}
    proc_capable = (procs["online_service"] != "none").to_numpy()
    # Eras split the window wherever a unit starts or ends.
    changes = sorted(
        {int(d) for d in unit_from if first < d <= last} | {int(d) + 1 for d in unit_to if first <= d < last}
    )
    starts = [first, *changes]
    ends = [s - 1 for s in changes] + [last]
    eras = tuple(
        _era(seed, units, procs, unit_from, unit_to, weight, logit, proc_capable, a, b)
        for a, b in zip(starts, ends, strict=True)
    )
    return Plan(
        units=units,
        procedures=procs,
        unit_tier=tier_idx,
        unit_from=unit_from,
        unit_to=unit_to,
        successor=successor,
        unit_late=late,
        unit_apology=apology,
        unit_coverage=coverage,
        unit_satisfaction=satisfaction,
        proc_days=np.array([days_by_code.get(c, 5) for c in procs["procedure_code"]], dtype=np.int32),
        proc_capable=proc_capable,
        proc_land=(procs["field_name"] == _LAND_FIELD).to_numpy(),
        eras=eras,
    )


def _era(
    seed: int,
    units: pd.DataFrame,
    procs: pd.DataFrame,
    unit_from: np.ndarray,
    unit_to: np.ndarray,
    weight: np.ndarray,
    logit: np.ndarray,
    proc_capable: np.ndarray,
    first: int,
    last: int,
) -> Era:
    """The pairs of one era with P(pair) = P(unit) * P(procedure | unit), and each
    tier's online propensities shifted so that its expected share hits ONLINE_LEVEL."""
    active = (unit_from <= first) & (unit_to >= last)
    tiers = units["tier"].to_numpy()
    districts_exist = bool((active & (tiers == cat.DISTRICT_TIER)).any())
    shares = _tier_shares(districts_exist)
    proc_index = {code: i for i, code in enumerate(procs["procedure_code"])}
    handled: dict[str, list[tuple[int, float]]] = {}
    for code, handlers, _days, w in cat.PROCEDURE_PLAN:
        for h in cat.handlers_in_force(handlers, code, districts_exist):
            handled.setdefault(h, []).append((proc_index[code], w))
    size = np.where(active, weight, 0.0)
    for t in shares:
        mask = tiers == t
        size[mask] *= shares[t] / size[mask].sum()
    pair_unit, pair_proc, pair_w = [], [], []
    codes = units["unit_code"].to_numpy()
    for i in np.flatnonzero(active):
        mine = handled.get(codes[i] if tiers[i] == cat.PROVINCE_TIER else tiers[i], [])
        if not mine:
            continue
        # The noise depends on the unit and the era's handlers only, not on the window.
        noise = np.random.default_rng([seed, 4, int(i), int(districts_exist)]).lognormal(0, 0.3, len(mine))
        ws = np.array([w for _, w in mine]) * noise
        for (p, _), w in zip(mine, ws / ws.sum() * size[i], strict=True):
            pair_unit.append(i)
            pair_proc.append(p)
            pair_w.append(w)
    pu = np.array(pair_unit, dtype=np.int32)
    pp = np.array(pair_proc, dtype=np.int32)
    pw = np.array(pair_w)
    pw /= pw.sum()
    online = np.zeros(len(units))
    for t in shares:
        sel = tiers[pu] == t
        p = pw[sel] * proc_capable[pp[sel]]
        lu = logit[pu[sel]]
        lo, hi = -12.0, 12.0
        for _ in range(60):
            mid = (lo + hi) / 2
            if (p * _sigmoid(lu + mid)).sum() / pw[sel].sum() < cat.ONLINE_LEVEL[t]:
                lo = mid
            else:
                hi = mid
        members = tiers == t
        online[members] = _sigmoid(logit[members] + (lo + hi) / 2)
    return Era(first, last, pu, pp, pw, online)
