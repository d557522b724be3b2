"""The Units page: the ranking within a tier, the unit × month heatmap, and a unit's own
view (its KPIs, trends, procedures and late dossiers)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics import registry, views
from metrics.registry import TIER_CODES
from ui import ahead, bars, cards, filters, fmt, linechart, linktable, markup, overview, tables, urlstate
from ui.filters import Filters
from ui.heatgrid import text
from ui.i18n import t, tier_label


def metric_picker(chosen: list[registry.Metric]) -> registry.Metric:
    """The ranked metric, from the URL (?metric=…) or the session; drawn by `pickers`."""
    keys = [m.key for m in chosen]
    urlstate.seed("metric", "on_time_rate", valid=keys)
    urlstate.publish("metric", st.session_state["metric"])
    return chosen[keys.index(st.session_state["metric"])]


def _tier_options(tiers_present: list[str]) -> list[str]:
    return [tier for tier in TIER_CODES if tier in tiers_present] or list(TIER_CODES)


def tier_picker(f: Filters, tiers_present: list[str]) -> str | None:
    """The ranked tier (the sidebar's, else ?rank_tier=…); drawn by `pickers`."""
    if f.tier:
        return f.tier
    options = _tier_options(tiers_present)
    urlstate.seed("rank_tier", options[-1], valid=options)
    urlstate.publish("rank_tier", st.session_state["rank_tier"])
    return st.session_state["rank_tier"]


def pickers(chosen: list[registry.Metric], f: Filters, tiers_present: list[str]) -> str:
    """The metric and the tier to rank, as two rows of links (ui.markup.choice) in one
    block: two segmented controls fetched their code on every load (issue 14). Each link
    keeps every value the page published, so it opens the same view but for that choice."""
    rows = [markup.url_choice(t("metric"), "metric", [(m.key, cards.metric_label(m, short=True)) for m in chosen])]
    if not f.tier:
        options = [(tier, tier_label(tier)) for tier in _tier_options(tiers_present)]
        rows.append(markup.url_choice(t("tier"), "rank_tier", options))
    return "".join(rows)


def min_dossiers() -> int:
    """The fewest dossiers a ranked unit has. Its number box is drawn once the reader opens
    the expander that names the value (then for the session): a number input's code is
    fetched on every load otherwise (issue 14). The value travels in the URL either way."""
    value = int(urlstate.seed("min_n", views.MIN_DOSSIERS_TO_RANK, decode=int, valid=lambda v: 0 <= v <= 100000))
    box = st.expander(
        f"{t('min_dossiers')}: {fmt.n(value)}", icon=":material/tune:", key="min_n_open", on_change="rerun"
    )
    if box.open:
        box.number_input(t("min_dossiers"), key="min_n", min_value=0, max_value=100000, step=5)
    value = int(st.session_state["min_n"])
    urlstate.publish("min_n", None if value == views.MIN_DOSSIERS_TO_RANK else str(value))
    return value


def ranking(ranked: pd.DataFrame, shown: pd.DataFrame, tier: str, min_n: int) -> None:
    """The ranking as an HTML table (ui.linktable): a unit's name opens its view, the last
    column its late dossiers, a header re-orders the rows on the server. The budget's span
    links and the caption go in the same block (issue 14: one element, not three)."""
    caption = t("ranking_caption", n=fmt.n(min_n)) + " " + t("choose_tier_for_ranking", tier=tier_label(tier))
    codes = list(ranked["unit_code"])
    params = filters.view_params()
    table = tables.with_late_links(shown, codes, params)
    grid = linktable.html(
        table, {t("unit"): overview.unit_links(codes, params)}, linktable.sort_state(len(table.columns)), max_height=720
    )
    linktable.draw(ahead.span_links() + markup.caption(caption) + grid, key="ranking_table")


def heatmap(grid: str | None) -> None:
    """The unit × month grid (models.heatmap_html) under its title, or a sentence when it
    has no unit. An HTML table, not Plotly: a thousand labelled cells draw at once
    (ui.heatgrid); below the ranking, the browser lays it out only once it is scrolled
    near (content-visibility)."""
    title = f"<h3>{text(t('heatmap_title'))}</h3>"
    if grid is None:
        st.html(title + markup.caption(t("nothing_yet")))
        return
    linktable.draw(f'{title}<div style="{_LATER}">{grid}</div>', key="heatmap")


_LATER = "content-visibility:auto;contain-intrinsic-size:auto 1200px"


def unit_header(f: Filters) -> None:
    """The unit's name, and a link back to the ranking with the same filters (a link, not
    a button: a button's code was fetched on every load, issue 14)."""
    back = {k: v for k, v in filters.view_params().items() if k != "unit"}
    st.html(markup.link(markup.href("units", back), t("back_to_ranking"), arrow="←", css_class="cchc-back"))
    st.title(t("unit_view", name=fmt.text(f.unit_name or f.unit)))
    st.caption(f"{fmt.text(f.unit)} · {t('period_label', period=f.label)}")


def unit_trends(rows: pd.DataFrame, chosen: list[registry.Metric]) -> None:
    """The unit's last 12 months per metric, from the overview rows' monthly series: one
    block with a panel per metric under its title (ui.linechart: no Plotly to load)."""
    title = f"<h3>{text(t('unit_trend'))}</h3>"
    found, missing = [], []
    for m in chosen:
        mrows = views.only(rows, m.key)
        name = cards.metric_label(m, short=True)
        if mrows.empty or not mrows.iloc[0]["spark_months"]:
            missing.append(name)
            continue
        row = mrows.iloc[0]
        target = None if cards._missing(row["target"]) else row["target"]
        found.append((name, dict(zip(row["spark_months"], row["spark_rates"], strict=True)), target))
    if found:
        # the panels share one month axis: a month a metric lacks is a gap in its line
        months = sorted({month for _name, by_month, _target in found for month in by_month})
        blank = [None] * len(months)
        panels = [
            (name, [(name, [by_month.get(mo) for mo in months], blank, blank, "solid")], target, None)
            for name, by_month, target in found
        ]
    chart = linechart.panels_html(months, panels, height=240, legend=False) if found else ""
    with st.container(key="unit_trends"):
        st.html(title + chart + "".join(markup.caption(name + ": —") for name in missing))


def unit_late(pareto: pd.DataFrame, total: int, link: dict) -> None:
    """The unit's late dossiers: how many, on which procedures, and one click to the list
    (rows are fetched on the Late page only, a page at a time)."""
    # the title, the count, the link to the list and the procedures in one block (issue 14)
    parts = [
        f"<h3>{text(t('unit_late'))}</h3><p><b>{text(t('late_count', n=fmt.n(total)))}</b></p>",
        markup.link(markup.href("late", link), t("see_late")),
    ]
    if pareto.empty:
        parts.append(markup.caption(t("no_late")))
    else:
        parts.append(f"<p><b>{text(t('unit_procedures'))}</b></p>{bars.pareto(pareto)}")
    linktable.draw("".join(parts), key="unit_late")
