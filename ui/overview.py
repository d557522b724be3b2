"""The chairman's overview, drawn from `views.overview` rows: a row of KPI cards per
metric (whole scope, then each tier), the counts behind them, and the units below target."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics import registry, views
from ui import cards, data, fmt, tables, urlstate
from ui.filters import Filters
from ui.i18n import t


def coverage_line(f: Filters) -> str | None:
    """'Độ phủ dữ liệu: 104/107 đơn vị có dữ liệu đến 30/11/2026': how much of the province
    a whole-scope figure is computed from."""
    cov = data.coverage(f.date_from, f.date_to, f.tier)
    if not cov["units_valid"]:
        return None
    return t(
        "data_coverage",
        current=fmt.n(cov["units_current"]),
        valid=fmt.n(cov["units_valid"]),
        until=fmt.date(cov["until"]),
    )


def units_behind(f: Filters) -> None:
    """The units whose data stops short of the period: named, with their dates."""
    behind = data.coverage(f.date_from, f.date_to, f.tier)["behind"]
    if behind.empty:
        return
    with st.expander(
        f"{t('coverage_behind_title')} ({fmt.n(len(behind))})", icon=":material/report:", key="coverage_behind"
    ):
        st.caption(t("coverage_behind_caption"))
        tables.show(tables.freshness(behind), key="coverage_behind_table")


def kpi_rows(rows: pd.DataFrame, chosen: list[registry.Metric], f: Filters) -> None:
    """A row of cards per metric (province, then tiers); a filtered view has one card per
    metric, so the metrics sit side by side instead."""
    cards.legend()
    scope_note = None if f.unit else coverage_line(f)
    if f.unit or f.tier:
        cols = st.columns(len(chosen))
        for col, m in zip(cols, chosen, strict=True):
            with col:
                st.markdown(f"**{cards.metric_label(m)}**")
                st.caption(cards.definition_label(m))
                for _, row in views.only(rows, m.key).iterrows():
                    link = urlstate.link(tier=f.tier, unit=f.unit)
                    cards.kpi_card(
                        row,
                        m,
                        f.scope_label,
                        key=f"{m.key}_{row.get('tier') or 'all'}",
                        late_link=link,
                        note=scope_note,
                    )
        return
    for m in chosen:
        st.subheader(cards.metric_label(m))
        st.caption(cards.definition_label(m))
        mrows = views.only(rows, m.key)
        cols = st.columns(max(len(mrows), 1))
        for col, (_, row) in zip(cols, mrows.iterrows(), strict=False):
            tier = row.get("tier")
            link = urlstate.link(tier=tier or f.tier, unit=f.unit)
            with col:
                cards.kpi_card(
                    row,
                    m,
                    cards.tier_title(tier),
                    key=f"{m.key}_{tier or 'all'}",
                    late_link=link,
                    note=None if tier else scope_note,
                )


def headline(rows: pd.DataFrame, below: dict[str, tuple[pd.DataFrame, list]], chosen: list[registry.Metric]) -> None:
    """One line per metric, first on the page (and on a phone): the rate of the whole
    view, its status in words, and how many units are below target."""
    cols = st.columns(len(chosen))
    for col, m in zip(cols, chosen, strict=True):
        mrows = views.only(rows, m.key)
        if mrows.empty:
            continue
        row = mrows.iloc[0]
        n_below = len(below[m.key][1]) if m.key in below else 0
        units_line = t("units_below", n=n_below) if n_below else t("units_all_met")
        col.markdown(
            f"**{cards.metric_label(m, short=True)}**: {fmt.pct(row.get('rate'))} "
            f"{cards.status_text(row.get('status') or 'none')}  \n[{units_line}](#below)"
        )


def counts(rows: pd.DataFrame, chosen: list[registry.Metric]) -> None:
    with st.expander(t("show_counts"), icon=":material/table:", key="counts_expander"):
        tables.show(tables.counts(rows, {m.key: m for m in chosen}), key="counts_table")


def below_target(below_by_metric: dict[str, tuple[pd.DataFrame, list]], chosen: list[registry.Metric]) -> None:
    st.subheader(t("below_title"), anchor="below")
    st.caption(t("below_caption"))
    tabs = st.tabs([cards.metric_label(m, short=True) for m in chosen], key="below_tabs")
    for tab, m in zip(tabs, chosen, strict=True):
        with tab:
            if m.key not in below_by_metric:
                st.success(t("none_below", metric=cards.metric_label(m)), icon=":material/check_circle:")
                continue
            table, codes = below_by_metric[m.key]
            event = tables.show(table, key=f"below_{m.key}", select=True)
            picked = event.selection.rows if event is not None else []
            if picked:
                st.switch_page("pages/units.py", query_params=urlstate.link(unit=codes[picked[0]]))
