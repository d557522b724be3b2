"""What a page shows, computed once per data version and view: the engine's cached
results turned into `metrics.views` frames. Keyed on small arguments (the filters, a
metric, a tier), so a rerun that changes nothing costs one cache lookup per block instead
of re-running pandas over the results."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics import periods, views
from ui import data
from ui.filters import Filters


def _scopes(f: Filters) -> list[tuple[str, ...]]:
    """Whole province then each tier; a filtered view is grouped by tier too (one row), so
    that a tier's own target applies to it and to a unit of it."""
    return [("tier",)] if (f.tier or f.unit) else [(), ("tier",)]


@st.cache_data(max_entries=128, show_spinner=False)
def _overview(v: str, f: Filters) -> pd.DataFrame:
    spark_from = periods.shift_months(f.date_to.replace(day=1), -11)
    parts = []
    for by in _scopes(f):
        cur = data.kpis(f.date_from, f.date_to, by=by, **f.engine())
        prev = data.kpis(f.prev_from, f.prev_to, by=by, **f.engine())
        ytd = data.kpis(f.ytd_from, f.ytd_to, by=by, **f.engine())
        monthly = data.kpis(spark_from, f.date_to, by=(*by, "month"), **f.engine())
        parts.append(views.overview(cur, prev, ytd, monthly, by=by))
    return views.stack(parts)


def overview(f: Filters) -> pd.DataFrame:
    """KPI rows of the view: whole scope, then each tier (just the scope when filtered)."""
    return _overview(data.version(), f)


@st.cache_data(max_entries=128, show_spinner=False)
def _ranking(v: str, f: Filters, metric: str, tier: str, min_n: int) -> pd.DataFrame:
    cur = views.only(data.kpis(f.date_from, f.date_to, by=("unit",), **f.engine()), metric, tier)
    prev = views.only(data.kpis(f.prev_from, f.prev_to, by=("unit",), **f.engine()), metric, tier)
    return views.ranking(cur, prev, min_n)


def ranking(f: Filters, metric: str, tier: str, min_n: int) -> pd.DataFrame:
    return _ranking(data.version(), f, metric, tier, min_n)


@st.cache_data(max_entries=128, show_spinner=False)
def _ranking_display(v: str, f: Filters, metric: str, tier: str, min_n: int, lang_: str) -> pd.DataFrame:
    from ui import tables

    return tables.ranking(_ranking(v, f, metric, tier, min_n))


def ranking_display(f: Filters, metric: str, tier: str, min_n: int) -> pd.DataFrame:
    """The ranking as the table shows it (formatted, in the reader's language)."""
    from ui.i18n import lang

    return _ranking_display(data.version(), f, metric, tier, min_n, lang())


@st.cache_data(max_entries=128, show_spinner=False)
def _heatmap(v: str, f: Filters, metric: str, tier: str) -> dict:
    start = periods.shift_months(f.date_to.replace(day=1), -11)
    monthly = data.kpis(start, f.date_to, by=("unit", "month"), **f.engine())
    return views.heatmap_frame(views.only(monthly, metric, tier), periods.months_between(start, f.date_to))


def heatmap(f: Filters, metric: str, tier: str) -> dict:
    """The unit × month grid of one metric and tier (ui.heatgrid draws it)."""
    return _heatmap(data.version(), f, metric, tier)


@st.cache_data(max_entries=64, show_spinner=False)
def _heatmap_html(v: str, f: Filters, metric: str, tier: str, target: float | None, lang_: str) -> str:
    from ui import heatgrid

    return heatgrid.table(_heatmap(v, f, metric, tier), target)


def heatmap_html(f: Filters, metric: str, tier: str, target: float | None) -> str | None:
    """The grid as the page draws it, in the reader's language; None when no unit has a
    month. Kept per view: writing its ~1 000 labelled cells took 20 ms of every run."""
    from ui.i18n import lang

    if not heatmap(f, metric, tier)["units"]:
        return None
    return _heatmap_html(data.version(), f, metric, tier, target, lang())


@st.cache_data(max_entries=128, show_spinner=False)
def _below(v: str, f: Filters, metrics: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    units = data.kpis(f.date_from, f.date_to, by=("unit",), **f.engine())
    return {m: views.below_target(units, metric=m) for m in metrics}


@st.cache_data(max_entries=128, show_spinner=False)
def _below_display(v: str, f: Filters, metrics: tuple[str, ...], lang_: str) -> dict[str, tuple[pd.DataFrame, list]]:
    from ui import tables

    return {
        m: (tables.below_target(frame, m), list(frame["unit_code"]))
        for m, frame in _below(v, f, metrics).items()
        if not frame.empty
    }


def below_target(f: Filters, metrics: tuple[str, ...]) -> dict[str, tuple[pd.DataFrame, list]]:
    """Per metric: the units below target as a display table (worst first, with the
    dossiers each lacked) and the unit codes of its rows. Metrics with none are absent."""
    from ui.i18n import lang

    return _below_display(data.version(), f, metrics, lang())


@st.cache_data(max_entries=128, show_spinner=False)
def _rated(v: str, f: Filters, metrics: tuple[str, ...]) -> dict[str, int]:
    units = data.kpis(f.date_from, f.date_to, by=("unit",), **f.engine())
    out = {}
    for m in metrics:
        rows = views.only(units, m)
        if rows.empty:
            out[m] = 0
            continue
        rows = views.with_status(rows)
        enough = pd.to_numeric(rows["denominator"], errors="coerce").fillna(0) >= views.MIN_DOSSIERS_TO_RANK
        out[m] = int((rows["status"].isin(["met", "near", "below"]) & enough).sum())
    return out


def rated_units(f: Filters, metrics: tuple[str, ...]) -> dict[str, int]:
    """Per metric, how many units were rated this period: a target in force, not a
    history unit, and enough dossiers to judge. "Every unit met it" needs at least one."""
    return _rated(data.version(), f, metrics)
