"""Views the dashboard pages need, derived only from `metrics.compute` result frames.

Pages must not do arithmetic; the engine computes rates. What is left in between, a
ranking with its change since the previous period, the status a chairman reads, how many
dossiers a unit lacked, a projection to the year end, lives here: pure functions over
small frames (tens to a few thousand rows), no SQL, no Streamlit, so the CLI, the
reports and the tests can use them too.

Every rate here is taken from the engine's `rate` column or re-derived as a ratio of
summed numerators and denominators, never as a mean of rates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from metrics import registry

# A rate below target by less than this many percentage points is "near" the target.
NEAR_MARGIN = 0.02
# Units with fewer dossiers in the denominator are shown but not ranked.
MIN_DOSSIERS_TO_RANK = 30


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def status(rate: float | None, target: float | None, margin: float = NEAR_MARGIN, history: bool = False) -> str:
    """'met' at or above target, 'near' less than `margin` below, 'below' further down;
    'none' without dossiers, 'no_target' when no target is in force, 'history' for a
    tier or unit not in force over the whole period (shown, never rated)."""
    if history:
        return "history"
    if rate is None or _missing(rate):
        return "none"
    if target is None or _missing(target):
        return "no_target"
    # compare in basis points of a percent to keep 0.97 == 97/100 exact
    if round(rate - target, 12) >= 0:
        return "met"
    if round(target - rate, 12) < margin:
        return "near"
    return "below"


def dossiers_needed(numerator: float, denominator: float, target: float | None) -> int | None:
    """How many more dossiers in the numerator the unit needed, the denominator unchanged:
    ceil(target × denominator − numerator), never negative."""
    if target is None or _missing(target) or _missing(denominator) or _missing(numerator) or denominator <= 0:
        return None
    missing = float(target) * float(denominator) - float(numerator)
    return max(0, math.ceil(round(missing, 9)))


def with_status(frame: pd.DataFrame, margin: float = NEAR_MARGIN) -> pd.DataFrame:
    """Adds `gap` (rate − target, a fraction; ×100 is percentage points) and `status`."""
    out = frame.copy()
    rate = pd.to_numeric(out["rate"], errors="coerce")
    target = pd.to_numeric(out["target"], errors="coerce")
    out["gap"] = rate - target
    history = out["history"].fillna(False).astype(bool) if "history" in out else pd.Series(False, index=out.index)
    out["status"] = [status(r, t, margin, h) for r, t, h in zip(rate, target, history, strict=True)]
    return out


def _key_cols(frame: pd.DataFrame, by: tuple[str, ...]) -> list[str]:
    cols = ["metric"]
    for dim, col in (("tier", "tier"), ("unit", "unit_code"), ("month", "month")):
        if dim in by and col in frame.columns:
            cols.append(col)
    return cols


def with_change(current: pd.DataFrame, previous: pd.DataFrame, by: tuple[str, ...] = ("tier",)) -> pd.DataFrame:
    """Adds `prev_rate` and `change` (a fraction; ×100 is percentage points)."""
    keys = _key_cols(current, by)
    out = with_status(current)
    if previous is None or previous.empty:
        out["prev_rate"] = float("nan")
    else:
        prev = previous[[*keys, "rate"]].rename(columns={"rate": "prev_rate"})
        out = out.merge(prev, on=keys, how="left")
    out["change"] = pd.to_numeric(out["rate"], errors="coerce") - pd.to_numeric(out["prev_rate"], errors="coerce")
    return out


def overview(
    current: pd.DataFrame,
    previous: pd.DataFrame,
    ytd: pd.DataFrame,
    monthly: pd.DataFrame,
    by: tuple[str, ...] = ("tier",),
) -> pd.DataFrame:
    """One row per metric (and tier): rate, target, gap, status, change from the previous
    period, the year-to-date rate and status, and the monthly series for a sparkline."""
    keys = _key_cols(current, by)
    out = with_change(current, previous, by)
    if ytd is not None and not ytd.empty:
        y = with_status(ytd)[[*keys, "rate", "numerator", "denominator", "status"]]
        y = y.rename(
            columns={
                "rate": "ytd_rate",
                "numerator": "ytd_numerator",
                "denominator": "ytd_denominator",
                "status": "ytd_status",
            }
        )
        out = out.merge(y, on=keys, how="left")
    else:
        for col in ("ytd_rate", "ytd_numerator", "ytd_denominator", "ytd_status"):
            out[col] = None
    spark = sparklines(monthly, keys)
    out["spark_months"] = [spark.get(_row_key(r, keys), ([], []))[0] for _, r in out.iterrows()]
    out["spark_rates"] = [spark.get(_row_key(r, keys), ([], []))[1] for _, r in out.iterrows()]
    return out


def _row_key(row: pd.Series, keys: list[str]) -> tuple:
    return tuple(None if _missing(row[k]) else row[k] for k in keys)


def sparklines(
    monthly: pd.DataFrame, keys: list[str] | None = None
) -> dict[tuple, tuple[list[str], list[float | None]]]:
    """{(metric, tier): (months, rates)} from a kpis frame grouped by month."""
    if monthly is None or monthly.empty:
        return {}
    keys = keys or ["metric", "tier"]
    keys = [k for k in keys if k in monthly.columns and k != "month"]
    result: dict[tuple, tuple[list[str], list[float | None]]] = {}
    frame = monthly.sort_values("month")
    for key, group in frame.groupby(keys, dropna=False, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        key = tuple(None if _missing(k) else k for k in key)
        rates = [None if _missing(r) else float(r) for r in group["rate"]]
        result[key] = (list(group["month"].astype(str)), rates)
    return result


def only(frame: pd.DataFrame, metric: str | None = None, tier: str | bool | None = False) -> pd.DataFrame:
    """The rows of one metric (and, unless tier is False, of one tier; None = whole scope)."""
    if frame is None or frame.empty:
        return frame
    mask = pd.Series(True, index=frame.index)
    if metric is not None:
        mask &= frame["metric"] == metric
    if tier is not False:
        mask &= frame["tier"].isna() if tier is None else frame["tier"] == tier
    return frame[mask].reset_index(drop=True)


def below_target(
    units: pd.DataFrame,
    margin: float = NEAR_MARGIN,
    metric: str | None = None,
    min_dossiers: int = MIN_DOSSIERS_TO_RANK,
) -> pd.DataFrame:
    """Units whose rate is under their target, worst gap first, with how many dossiers each
    needed to reach it. Units with fewer than `min_dossiers` come after the others
    (`small` = True), so that one late dossier out of one does not top the list."""
    if metric is not None:
        units = only(units, metric)
    if units is None or units.empty:
        return _empty_like(units, ["gap", "status", "needed", "small"])
    out = with_status(units, margin)
    out = out[out["status"].isin(["below", "near"])].copy()
    out["needed"] = [
        dossiers_needed(n, d, t) for n, d, t in zip(out["numerator"], out["denominator"], out["target"], strict=True)
    ]
    # a unit with 1 dossier out of 1 late is not the worst of the province: small units last
    out["small"] = pd.to_numeric(out["denominator"], errors="coerce").fillna(0) < min_dossiers
    return out.sort_values(["small", "gap", "denominator"], ascending=[True, True, False], kind="stable").reset_index(
        drop=True
    )


def _empty_like(frame: pd.DataFrame | None, extra: list[str]) -> pd.DataFrame:
    cols = list(frame.columns) if frame is not None else []
    return pd.DataFrame(columns=cols + [c for c in extra if c not in cols])


def ranking(
    current: pd.DataFrame,
    previous: pd.DataFrame | None = None,
    min_dossiers: int = MIN_DOSSIERS_TO_RANK,
) -> pd.DataFrame:
    """Rank units within their tier by rate (highest first; ties share a rank, the larger
    denominator listed first). Units with fewer than `min_dossiers` in the denominator are
    kept, marked `ranked=False` and listed after the ranked ones. `rank_change` > 0 means
    the unit moved up since the previous period (ranked there under the same rule)."""
    cols = ["rank", "ranked", "prev_rank", "rank_change", "gap", "status"]
    if current is None or current.empty:
        return _empty_like(current, cols)
    out = with_status(current)
    out = _rank(out, min_dossiers)
    if previous is not None and not previous.empty:
        prev = _rank(previous.copy(), min_dossiers)[["unit_code", "rank"]].rename(columns={"rank": "prev_rank"})
        out = out.merge(prev, on="unit_code", how="left")
    else:
        out["prev_rank"] = float("nan")
    out["rank_change"] = out["prev_rank"] - out["rank"]
    out = out.sort_values(
        ["tier", "ranked", "rank", "denominator", "unit_name"],
        ascending=[True, False, True, False, True],
        na_position="last",
        kind="stable",
    )
    return out.reset_index(drop=True)


def _rank(frame: pd.DataFrame, min_dossiers: int) -> pd.DataFrame:
    den = pd.to_numeric(frame["denominator"], errors="coerce").fillna(0)
    rate = pd.to_numeric(frame["rate"], errors="coerce")
    frame["ranked"] = (den >= min_dossiers) & rate.notna()
    frame["rank"] = float("nan")
    group_col = "tier" if "tier" in frame.columns else None
    ranked = frame[frame["ranked"]]
    if not ranked.empty:
        if group_col:
            ranks = ranked.groupby(group_col, dropna=False)["rate"].rank(method="min", ascending=False)
        else:
            ranks = ranked["rate"].rank(method="min", ascending=False)
        frame.loc[ranks.index, "rank"] = ranks
    return frame


def heatmap_frame(monthly_units: pd.DataFrame, months: list[str] | None = None) -> dict[str, object]:
    """Units × months for one metric: `z` rates (None where a unit had no dossiers),
    `num`/`den` for hover, rows sorted worst period rate first."""
    if monthly_units is None or monthly_units.empty:
        return {"units": [], "codes": [], "months": months or [], "z": [], "num": [], "den": []}
    frame = monthly_units.copy()
    frame["month"] = frame["month"].astype(str)
    months = months or sorted(frame["month"].unique())
    totals = frame.groupby(["unit_code", "unit_name"], dropna=False)[["numerator", "denominator"]].sum()
    totals["rate"] = totals["numerator"] / totals["denominator"].where(totals["denominator"] > 0)
    totals = totals.sort_values(["rate"], ascending=[True], na_position="last")
    pivots = {
        col: frame.pivot(index="unit_code", columns="month", values=col).reindex(columns=months)
        for col in ("numerator", "denominator", "rate")
    }
    z, num, den = [], [], []
    codes = [code for code, _ in totals.index]
    for code in codes:
        n_row = pivots["numerator"].loc[code] if code in pivots["numerator"].index else pd.Series(dtype=float)
        d_row = pivots["denominator"].loc[code] if code in pivots["denominator"].index else pd.Series(dtype=float)
        r_row = pivots["rate"].loc[code] if code in pivots["rate"].index else pd.Series(dtype=float)
        rates, ns, ds = [], [], []
        for m in months:
            n_v = n_row.get(m) if not n_row.empty else None
            d_v = d_row.get(m) if not d_row.empty else None
            r_v = r_row.get(m) if not r_row.empty else None
            rates.append(None if r_v is None or _missing(r_v) else float(r_v))
            ns.append(None if n_v is None or _missing(n_v) else int(n_v))
            ds.append(None if d_v is None or _missing(d_v) else int(d_v))
        z.append(rates)
        num.append(ns)
        den.append(ds)
    return {
        "units": [name for _, name in totals.index],
        "codes": codes,
        "months": months,
        "z": z,
        "num": num,
        "den": den,
    }


@dataclass(frozen=True)
class Projection:
    rate: float | None
    months_known: int
    months_left: int
    recent_rate: float | None
    recent_months: int
    basis_vi: str
    basis_en: str


def projection(monthly: pd.DataFrame, year: int, through_month: int, recent_months: int = 3) -> Projection:
    """Year-end rate if the months left keep the average monthly volume of this year so far
    and the pooled rate of the last `recent_months` months. `monthly` is one metric's
    kpis by month (one tier or the whole scope)."""
    from metrics.vi_format import fmt_int, fmt_pct

    frame = monthly.copy() if monthly is not None else pd.DataFrame(columns=["month"])
    frame["month"] = frame["month"].astype(str)
    frame = frame[frame["month"].str.startswith(f"{year}-")]
    frame = frame[frame["month"].str[5:7].astype(int) <= through_month] if not frame.empty else frame
    frame = frame.sort_values("month")
    den_total = float(frame["denominator"].sum()) if not frame.empty else 0.0
    if frame.empty or den_total <= 0:
        none = "Chưa đủ dữ liệu trong năm để dự báo."
        return Projection(None, 0, 12 - through_month, None, 0, none, "Not enough data this year.")
    num_total = float(frame["numerator"].sum())
    # a year or custom period may end past the newest data: project from the last month known
    through_month = min(through_month, int(frame["month"].iloc[-1][5:7]))
    known = through_month
    left = 12 - through_month
    per_month = den_total / known
    recent = frame.tail(recent_months)
    r_den = float(recent["denominator"].sum())
    recent_rate = float(recent["numerator"].sum()) / r_den if r_den > 0 else num_total / den_total
    projected = (num_total + left * per_month * recent_rate) / (den_total + left * per_month)
    if left == 0:
        vi = f"Cả năm đã có số liệu: tỷ lệ năm là {fmt_pct(projected)} ({fmt_int(num_total)}/{fmt_int(den_total)})."
        en = f"The whole year is known: {fmt_pct(projected, lang='en')}."
    else:
        vi = (
            f"Dự báo cả năm {fmt_pct(projected)}: lũy kế {known} tháng đầu năm "
            f"({fmt_int(num_total)}/{fmt_int(den_total)} hồ sơ), cộng {left} tháng còn lại, giả định mỗi tháng "
            f"có khoảng {fmt_int(per_month)} hồ sơ (trung bình các tháng đã qua) và tỷ lệ bằng "
            f"{len(recent)} tháng gần nhất ({fmt_pct(recent_rate)})."
        )
        en = (
            f"Projected year {fmt_pct(projected, lang='en')}: the first {known} months "
            f"({fmt_int(num_total, 'en')}/{fmt_int(den_total, 'en')} dossiers) plus {left} months left, "
            f"each assumed to have about {fmt_int(per_month, 'en')} dossiers (this year's monthly average) "
            f"at the rate of the last {len(recent)} months ({fmt_pct(recent_rate, lang='en')})."
        )
    return Projection(projected, known, left, recent_rate, len(recent), vi, en)


def same_months_last_year(monthly: pd.DataFrame, year: int) -> pd.DataFrame:
    """The previous year's rows of a monthly frame, relabelled onto this year's months so
    the two series share an axis."""
    if monthly is None or monthly.empty:
        return pd.DataFrame(columns=list(monthly.columns) if monthly is not None else ["month"])
    frame = monthly[monthly["month"].astype(str).str.startswith(f"{year - 1}-")].copy()
    frame["month"] = str(year) + frame["month"].astype(str).str[4:]
    return frame


def stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate view frames (whole scope first, then tiers), skipping empty ones."""
    frames = [f for f in frames if f is not None and not f.empty]
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True)


def is_empty(frame: pd.DataFrame | None) -> bool:
    """True when the frame has no row with a dossier in its denominator."""
    if frame is None or frame.empty or "denominator" not in frame.columns:
        return True
    return not bool((pd.to_numeric(frame["denominator"], errors="coerce").fillna(0) > 0).any())


def tiers(frame: pd.DataFrame | None) -> list[str]:
    """The tiers present in a frame, in their usual order."""
    if frame is None or frame.empty or "tier" not in frame.columns:
        return []
    present = set(frame["tier"].dropna())
    return [t for t in registry.TIER_CODES if t in present]


def target_of(frame: pd.DataFrame | None) -> float | None:
    """The target of a one-metric, one-tier frame (the first one set)."""
    if frame is None or frame.empty:
        return None
    values = [v for v in frame["target"] if not _missing(v)]
    return float(values[0]) if values else None


def projection_series(p: Projection, year: int, last_rate: float | None) -> tuple[list[str], list[float | None]]:
    """The dotted line of a projection: from the last known month to December at the
    assumed monthly rate."""
    if p.rate is None or p.months_left <= 0:
        return [], []
    months = [f"{year}-{m:02d}" for m in range(p.months_known, 13)]
    return months, [last_rate] + [p.recent_rate] * (len(months) - 1)


def last_rate(monthly: pd.DataFrame) -> float | None:
    """The rate of the newest month in a monthly frame."""
    if monthly is None or monthly.empty:
        return None
    row = monthly.sort_values("month").iloc[-1]
    return None if _missing(row["rate"]) else float(row["rate"])
