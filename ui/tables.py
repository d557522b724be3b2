"""Tables as people read them: vi-VN numbers and dates written by us (never the browser's
locale), status as icon + word, Vietnamese headers. Each builder takes an engine or
views frame and returns a display frame plus the column codes behind each row."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics import exports
from ui import cards, fmt
from ui.i18n import lang, t, tier_label

LATE_PAGE_SIZE = 50


def _col(key: str) -> str:
    return t(key)


def _unit_rate_columns(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """The columns every unit table shows: unit, tier, rate against target, status."""
    return {
        _col("unit"): frame["unit_name"].fillna(frame["unit_code"]),
        _col("tier"): frame["tier"].map(tier_label),
        _col("rate"): frame["rate"].map(fmt.pct),
        _col("target"): frame["target"].map(lambda v: fmt.pct(v, 0)),
        _col("gap"): frame["gap"].map(fmt.pp),
        _col("status"): frame["status"].map(cards.status_text),
    }


def below_target(frame: pd.DataFrame, metric_key: str) -> pd.DataFrame:
    needed_key = f"needed_{metric_key}"
    needed_key = needed_key if needed_key in _strings() else "needed_generic"
    return pd.DataFrame(
        {
            **_unit_rate_columns(frame),
            _col("col_counts"): [
                f"{fmt.n(n)}/{fmt.n(d)}" for n, d in zip(frame["numerator"], frame["denominator"], strict=True)
            ],
            _col("col_needed"): [t(needed_key, n=fmt.n(v)) if v is not None else "—" for v in frame["needed"]],
        }
    )


def _strings() -> dict:
    from ui.i18n import STRINGS

    return STRINGS


def ranking(frame: pd.DataFrame) -> pd.DataFrame:
    def rank_text(row: pd.Series) -> str:
        return fmt.n(row["rank"]) if row["ranked"] else t("not_ranked")

    def change_text(v: float | None) -> str:
        if v is None or pd.isna(v):
            return "—"
        n = int(v)
        return f"▲ {n}" if n > 0 else f"▼ {-n}" if n < 0 else "="

    return pd.DataFrame(
        {
            _col("rank"): [rank_text(r) for _, r in frame.iterrows()],
            **_unit_rate_columns(frame),
            _col("numerator"): frame["numerator"].map(fmt.n),
            _col("denominator"): frame["denominator"].map(fmt.n),
            _col("rank_change"): frame["rank_change"].map(change_text),
        }
    )


def late(frame: pd.DataFrame) -> pd.DataFrame:
    """One page of the late list with Vietnamese headers and dd/mm/yyyy dates."""
    i = 0 if lang() == "vi" else 1
    out = {}
    for col, vi, en, kind in exports.LATE_COLUMNS:
        if col in ("agency_code", "procedure_code", "tier", "apology_issued_at"):
            continue
        series = frame[col] if col in frame.columns else pd.Series([None] * len(frame))
        if col == "kind":
            series = series.map(lambda v: exports.KIND_LABELS.get(v, (v, v))[i])
        elif col == "apology":
            series = series.map(lambda v: exports.APOLOGY_LABELS.get(v, (v, v))[i])
        elif col == "channel":
            series = series.map(lambda v: t(f"channel_{v}") if v else "—")
        elif kind == "datetime":
            series = series.map(lambda v: fmt.date(None if pd.isna(v) else pd.Timestamp(v)))
        elif kind == "int":
            series = series.map(fmt.n)
        out[vi if i == 0 else en] = list(series)
    return pd.DataFrame(out)


def counts(frame: pd.DataFrame, metrics_by_key: dict) -> pd.DataFrame:
    """The numbers behind every rate on a page, with the measures' own names."""
    rows = []
    for _, r in frame.iterrows():
        m = metrics_by_key[r["metric"]]
        rows.append(
            {
                _col("metric"): cards.metric_label(m, short=True),
                _col("tier"): cards.tier_title(r.get("tier")),
                _col("numerator"): f"{cards.measure_label(m.numerator)}: {fmt.n(r['numerator'])}",
                _col("denominator"): f"{cards.measure_label(m.denominator)}: {fmt.n(r['denominator'])}",
                _col("rate"): fmt.pct(r["rate"]),
                _col("target"): fmt.pct(r["target"], 0),
                _col("status"): cards.status_text(r.get("status") or "none"),
            }
        )
    return pd.DataFrame(rows)


def freshness(units: pd.DataFrame) -> pd.DataFrame:
    """compute.freshness rows as the reader sees them: unit, tier, data date, state."""
    return pd.DataFrame(
        {
            t("unit_code"): units["unit_code"],
            _col("unit"): units["unit_name"],
            _col("tier"): [cards.tier_title(v) if isinstance(v, str) else "—" for v in units["tier"]],
            t("data_date"): [fmt.date(v) for v in units["data_date"]],
            t("valid_to"): [fmt.date(v) for v in units["valid_to"]],
            t("successor"): [v if isinstance(v, str) else "" for v in units["successor_code"]],
            t("state"): [t(f"state_{s}") for s in units["state"]],
        }
    )


def show(frame: pd.DataFrame, key: str, select: bool = False, on_select=None, height="auto"):
    """A read-only table; with `select`, a single-row selection that reruns (or calls back)."""
    if select:
        return st.dataframe(
            frame,
            key=key,
            hide_index=True,
            on_select=on_select or "rerun",
            selection_mode="single-row",
            height=height,
            width="stretch",
        )
    return st.dataframe(frame, key=key, hide_index=True, height=height, width="stretch")
