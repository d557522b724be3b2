"""Đơn vị: the ranking of units within a tier and each unit's own view (?unit=CODE)."""

import streamlit as st

from metrics import compute, views
from ui import ahead, cards, data, filters, models, overview, units, urlstate
from ui.i18n import t

f = filters.current()
chosen = compute.selected_metrics(f.on_time_def)

if f.unit:
    units.unit_header(f)
    rows = models.overview(f)
    if views.is_empty(rows):
        cards.empty_period(f.label)
    else:
        overview.kpi_rows(rows, chosen, f)
    units.unit_trends(rows, chosen)
    ahead.official_panel(f)
    late_filters = f.late_filters()
    units.unit_late(
        data.late_pareto(f.date_from, f.date_to, by="procedure", limit=10, **late_filters),
        data.late_count(f.date_from, f.date_to, **late_filters),
        urlstate.link(),
    )
else:
    st.title(t("ranking_title"))
    choices = st.empty()  # the metric and tier links, written once the page's values are known
    m = units.metric_picker(chosen)
    tiers = views.tiers(data.kpis(f.date_from, f.date_to, by=("tier",), **f.engine()))
    tier = units.tier_picker(f, tiers)
    min_n = units.min_dossiers()
    choices.html(units.pickers(chosen, f, tiers))
    ranked = models.ranking(f, m.key, tier, min_n)
    if views.is_empty(ranked):
        cards.empty_period(f.label)
    else:
        units.ranking(ranked, ahead.with_budget(models.ranking_display(f, m.key, tier, min_n), ranked, f), tier, min_n)
        units.heatmap(models.heatmap_html(f, m.key, tier, views.target_of(ranked)))
