"""Tables as people read them: vi-VN numbers and dates written by us (never the browser's
locale), status as icon + word, Vietnamese headers. Each builder takes an engine or
views frame and returns a display frame plus the column codes behind each row.

Numbers and dates stay numbers and dates in the frame, so a click on a header sorts them
as such (97,81% after 100%, 9 before 10, 02/01 after 31/12 of the year before); how each
is written is declared in `frame.attrs["formats"]` (a kind per column, picklable for the
cache) and applied by a pandas Styler in `show()`. Streamlit's NumberColumn formats
cannot do this: their printf formats write a decimal point and "localized" follows the
browser's locale, not vi-VN.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from metrics import exports
from ui import cards, fmt
from ui.i18n import lang, t, tier_label

LATE_PAGE_SIZE = 50

# how a kind of column is written; each gets NaN/None as "—" from the Styler's na_rep
FORMATS: dict[str, Callable[[Any], str]] = {
    "pct": lambda v: fmt.pct(v),
    "pct0": lambda v: fmt.pct(v, 0),
    "pp": lambda v: fmt.pp(v),
    "int": lambda v: fmt.n(v),
    "date": lambda v: fmt.date(pd.Timestamp(v)),
    "rank_change": lambda v: f"▲ {int(v)}" if v > 0 else f"▼ {-int(v)}" if v < 0 else "=",
}


def formatted(frame: pd.DataFrame, formats: dict[str, str]) -> pd.DataFrame:
    """Declare how the numeric/date columns of a display frame are written (see show())."""
    frame.attrs["formats"] = {**frame.attrs.get("formats", {}), **formats}
    return frame


def with_late_links(frame: pd.DataFrame, codes: list[str], params: dict[str, str]) -> pd.DataFrame:
    """A last column with a link per row to the late page, filtered to that row's unit and
    the view's period: one click from a unit to its late dossiers."""
    out = frame.copy()
    out[t("col_late_link")] = [f"late?{urlencode({**params, 'unit': code})}" for code in codes]
    out.attrs["links"] = t("col_late_link")
    return out


def _col(key: str) -> str:
    return t(key)


def _unit_rate_columns(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """The columns every unit table shows: unit, tier, rate against target, status."""
    return {
        _col("unit"): frame["unit_name"].fillna(frame["unit_code"]),
        _col("tier"): frame["tier"].map(tier_label),
        _col("rate"): pd.to_numeric(frame["rate"], errors="coerce"),
        _col("target"): pd.to_numeric(frame["target"], errors="coerce"),
        _col("gap"): pd.to_numeric(frame["gap"], errors="coerce"),
        _col("status"): frame["status"].map(cards.status_text),
    }


def _rate_formats() -> dict[str, str]:
    return {_col("rate"): "pct", _col("target"): "pct0", _col("gap"): "pp"}


def below_target(frame: pd.DataFrame, metric_key: str) -> pd.DataFrame:
    needed_key = f"needed_{metric_key}"
    needed_key = needed_key if needed_key in _strings() else "needed_generic"
    out = pd.DataFrame(
        {
            **_unit_rate_columns(frame),
            _col("col_counts"): [
                f"{fmt.n(n)}/{fmt.n(d)}" for n, d in zip(frame["numerator"], frame["denominator"], strict=True)
            ],
            _col("col_needed"): [t(needed_key, n=fmt.n(v)) if v is not None else "—" for v in frame["needed"]],
        }
    )
    return formatted(out, _rate_formats())


def _strings() -> dict:
    from ui.i18n import STRINGS

    return STRINGS


def ranking(frame: pd.DataFrame) -> pd.DataFrame:
    """Rank as a number (an unranked unit has none and reads "chưa xếp hạng"), so the
    column sorts 1, 2, …, 10 and not 1, 10, 2."""
    out = pd.DataFrame(
        {
            _col("rank"): [float(r["rank"]) if r["ranked"] else float("nan") for _, r in frame.iterrows()],
            **_unit_rate_columns(frame),
            _col("numerator"): pd.to_numeric(frame["numerator"], errors="coerce"),
            _col("denominator"): pd.to_numeric(frame["denominator"], errors="coerce"),
            _col("rank_change"): pd.to_numeric(frame["rank_change"], errors="coerce"),
        }
    )
    formats = {_col("rank"): "int", _col("numerator"): "int", _col("denominator"): "int"}
    out.attrs["na"] = {_col("rank"): t("not_ranked")}
    return formatted(out, {**_rate_formats(), **formats, _col("rank_change"): "rank_change"})


def late(frame: pd.DataFrame) -> pd.DataFrame:
    """One page of the late list with Vietnamese headers and dd/mm/yyyy dates (kept as
    dates, so they sort in time order)."""
    i = 0 if lang() == "vi" else 1
    out = {}
    formats = {}
    for col, vi, en, kind in exports.LATE_COLUMNS:
        if col in ("agency_code", "procedure_code", "tier", "apology_issued_at"):
            continue
        series = frame[col] if col in frame.columns else pd.Series([None] * len(frame))
        header = vi if i == 0 else en
        if col == "kind":
            series = series.map(lambda v: exports.KIND_LABELS.get(v, (v, v))[i])
        elif col == "apology":
            series = series.map(lambda v: exports.APOLOGY_LABELS.get(v, (v, v))[i])
        elif col == "channel":
            series = series.map(lambda v: t(f"channel_{v}") if v else "—")
        elif kind == "datetime":
            series = pd.to_datetime(series, errors="coerce")
            formats[header] = "date"
        elif kind == "int":
            series = pd.to_numeric(series, errors="coerce")
            formats[header] = "int"
        out[header] = list(series)
    return formatted(pd.DataFrame(out), formats)


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
    out = pd.DataFrame(
        {
            t("unit_code"): units["unit_code"],
            _col("unit"): units["unit_name"],
            _col("tier"): [cards.tier_title(v) if isinstance(v, str) else "—" for v in units["tier"]],
            t("data_date"): pd.to_datetime(units["data_date"], errors="coerce"),
            t("valid_to"): pd.to_datetime(units["valid_to"], errors="coerce"),
            t("successor"): [v if isinstance(v, str) else "" for v in units["successor_code"]],
            t("state"): [t(f"state_{s}") for s in units["state"]],
        }
    )
    return formatted(out, {t("data_date"): "date", t("valid_to"): "date"})


def styled(frame: pd.DataFrame):
    """The frame as Streamlit should draw it: the values stay numbers (numeric sorting),
    the text is ours (vi-VN, whatever the browser's locale)."""
    formats = frame.attrs.get("formats") or {}
    if not formats:
        return frame
    na = frame.attrs.get("na") or {}
    frame = frame.copy()
    shown: dict[str, dict[str, str]] = {}
    for col, kind in formats.items():
        if col in frame.columns and frame[col].isna().any():
            # Streamlit draws an empty cell as "None" whatever the Styler says: such a column
            # travels as keys that sort like its values, each written as its value would be
            keys = [_sort_key(v) for v in frame[col]]
            shown[col] = {
                k: (na.get(col, "—") if pd.isna(v) else FORMATS[kind](v)) for k, v in zip(keys, frame[col], strict=True)
            }
            frame[col] = keys
    styler = frame.style
    for col, kind in formats.items():
        if col in shown:
            styler = styler.format(shown[col].__getitem__, subset=[col])
        elif col in frame.columns:
            styler = styler.format(FORMATS[kind], subset=[col], na_rep=na.get(col, "—"))
    return styler


def _sort_key(value: object) -> str:
    """A text that sorts as the value does: missing first, then numbers or dates in order."""
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return ""
    if isinstance(value, pd.Timestamp | dt.date):
        return pd.Timestamp(value).isoformat()
    return f"{float(value) + 1e12:030.9f}"  # type: ignore[arg-type]  # non-negative, fixed width


def _column_config(frame: pd.DataFrame) -> dict | None:
    link = frame.attrs.get("links")
    if not link or link not in frame.columns:
        return None
    return {link: st.column_config.LinkColumn(link, display_text=t("see_late_short"), width="small")}


def missing(value: object) -> bool:
    """No value: None, NaN, NaT or pd.NA (a text is never missing)."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))  # type: ignore[call-overload]


def shown(col: str, value: object, formats: dict[str, str], na: dict[str, str]) -> object:
    """A cell as every table writes it: its column's format, or the column's word for a
    missing value ("—" unless `na` names another)."""
    if missing(value):
        return na.get(col, "—")
    return FORMATS[formats[col]](value) if col in formats else value


def show(frame: pd.DataFrame, key: str, height="auto"):
    """A read-only grid (sortable by its headers)."""
    data, config = styled(frame), _column_config(frame)
    return st.dataframe(data, key=key, hide_index=True, height=height, width="stretch", column_config=config)
