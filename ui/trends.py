"""Monthly series per metric and tier: this year, the same months last year, the target
line and a projection to the year end with its basis in words."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics import registry, views
from ui import cards, charts
from ui.i18n import lang, t


def chart(
    m: registry.Metric,
    scope_title: str,
    this_year: pd.DataFrame,
    last_year: pd.DataFrame,
    year: int,
    through_month: int,
    key: str,
) -> None:
    months = [f"{year}-{i:02d}" for i in range(1, 13)]
    series = []
    for name, frame, dash in (
        (t("this_year", year=year), this_year, "solid"),
        (t("last_year", year=year - 1), last_year, "dash"),
    ):
        by_month = {str(r["month"]): r for _, r in frame.iterrows()} if not frame.empty else {}
        series.append(
            (
                name,
                [by_month[mo]["rate"] if mo in by_month else None for mo in months],
                [by_month[mo]["numerator"] if mo in by_month else None for mo in months],
                [by_month[mo]["denominator"] if mo in by_month else None for mo in months],
                dash,
            )
        )
    proj = views.projection(this_year, year, through_month)
    line = views.projection_series(proj, year, views.last_rate(this_year))
    target = views.target_of(this_year) or views.target_of(last_year)
    fig = charts.trend(months, series, target, title=scope_title, projection=line if line[0] else None, height=320)
    charts.show(fig, key=key)
    basis = proj.basis_vi if lang() == "vi" else proj.basis_en
    st.caption(f"**{t('projection')}:** {basis}")


def metric_header(m: registry.Metric) -> None:
    st.subheader(cards.metric_label(m))
    st.caption(cards.definition_label(m))
