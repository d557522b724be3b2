"""Xu hướng: monthly series per metric and tier, the same months last year, the target
line and a projection to the year end."""

import streamlit as st

from metrics import compute, periods, views
from metrics.registry import TIER_CODES
from ui import cards, data, filters, fmt, trends
from ui.i18n import t

f = filters.current()
year = f.date_to.year
st.title(t("trends_title"))
st.caption(f"{t('this_year', year=year)} · {fmt.text(f.scope_label)}")

by = ("tier", "month")  # grouped by tier even when filtered: each tier has its own target
this_year = data.kpis(f.ytd_from, f.ytd_to, by=by, **f.engine())
last_year = data.kpis(*periods.year_range(year - 1), by=by, **f.engine())
scopes = [tier for tier in TIER_CODES if tier in views.tiers(this_year)]
newest = (data.data_span() or (None, None))[1]
unit_valid_to = trends.valid_to(data.freshness(), f.unit)

chosen = compute.selected_metrics(f.on_time_def)
if views.is_empty(this_year):
    cards.empty_period(t("this_year", year=year))
else:
    # a tab per metric, and only the open one is computed and drawn (on_change="rerun"):
    # the browser draws one figure, not three (issue 14)
    tabs = st.tabs([cards.metric_label(m) for m in chosen], key="trend_metric", on_change="rerun")
    for tab, m in zip(tabs, chosen, strict=True):
        if not tab.open:
            continue
        with tab:
            panels = [
                trends.panel(
                    views.only(this_year, m.key, tier),
                    views.same_months_last_year(views.only(last_year, m.key, tier), year),
                    year,
                    f.date_to.month,
                    newest=newest,
                    unit_valid_to=unit_valid_to,
                    tier=tier,
                )
                for tier in scopes
            ]
            titles = [f.scope_label if f.unit else cards.tier_title(tier) for tier in scopes]
            # the metric's tiers side by side in one figure
            trends.chart_row(trends.metric_header(m), titles, panels, year, key=f"trend_{m.key}", newest=newest)
