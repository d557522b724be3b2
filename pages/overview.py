"""Tổng quan: every KPI of the period against its target, per tier, for the chairman."""

import streamlit as st

from metrics import compute, views
from ui import ahead, cards, filters, fmt, models, overview
from ui.i18n import t

f = filters.current()
st.title(t("overview_title"))
st.caption(f"{t('period_label', period=f.label)} · {fmt.text(f.scope_label)} · {t('ytd')}: {f.ytd_label}")

rows = models.overview(f)
if views.is_empty(rows):
    cards.empty_period(f.label)
else:
    chosen = compute.selected_metrics(f.on_time_def)
    below = models.below_target(f, tuple(m.key for m in chosen)) if not f.unit else {}
    if not f.unit:
        overview.phone_layout()
        overview.headline(rows, below, chosen, models.rated_units(f, tuple(m.key for m in chosen)))
        overview.units_behind(f)
    overview.kpi_rows(rows, chosen, f)
    overview.counts(rows, chosen)
    if not f.unit:
        overview.below_target(below, chosen)
        ahead.closest_to_limit(f)
# after the KPIs, so the chairman's rates stay first (and where they were on a phone)
ahead.due_soon_card(f)
