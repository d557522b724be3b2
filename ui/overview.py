"""The chairman's overview, drawn from `views.overview` rows: a row of KPI cards per
metric (whole scope, then each tier), the counts behind them, and the units below target."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from metrics import registry, views
from ui import cards, data, filters, fmt, linktable, markup, tables, urlstate
from ui.filters import Filters
from ui.heatgrid import text
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
        f"{t('coverage_behind_title')} ({fmt.n(len(behind))})",
        icon=":material/report:",
        key="coverage_behind",
        on_change="rerun",  # the table is built and sent only once the reader opens it (issue 14)
    ) as box:
        st.caption(t("coverage_behind_caption"))
        if box.open:
            tables.show(tables.freshness(behind), key="coverage_behind_table")


def late_note(row: pd.Series, m: registry.Metric, f: Filters) -> str | None:
    """On a 766 on-time card: its late count beside the late list's, and why they differ."""
    if m.key != "on_time_rate" or m.definition != registry.DEFINITION_766 or cards._missing(row.get("denominator")):
        return None
    n766 = int(row["denominator"]) - int(row["numerator"])
    tier = row.get("tier") if isinstance(row.get("tier"), str) else f.tier
    listed = data.late_count(
        f.date_from, f.date_to, **{**f.late_filters(), "tier": tier, "definition": registry.ON_TIME_DEFAULT}
    )
    return t("late_766_vs_list", n766=fmt.n(n766), nlist=fmt.n(listed))


# A phone (Streamlit stacks columns under 640 px) gets the chairman's view within two
# screens: the headline, each metric's whole-view card and the units below target. The
# tier cards, sparklines and definitions stay on wider screens (the counts table and the
# tier filter carry the tiers on a phone).
PHONE_CSS = """<style>
@media (max-width: 640px) {
  .cchc-tiercard, .cchc-spark, .cchc-metricdef, .cchc-carddetail,
  .cchc-cardbadge, .st-key-legend, .st-key-below_caption, .st-key-counts_expander,
  .st-key-coverage_behind, .cchc-card .cchc-metric-label {
    display: none !important; }
  .cchc-card .cchc-metric-value { font-size: 1.8rem !important; }
  .cchc-card .cchc-metric-desc { display: none; }
  .stMainBlockContainer { padding-top: 2.5rem; }
  .stMainBlockContainer h1 { font-size: 1.6rem; padding: 0.25rem 0; }
  .stMainBlockContainer h3 { font-size: 1.1rem; padding: 0.25rem 0; }
  .st-key-freshness p { font-size: 0.8rem; }
  .st-key-headline [data-testid="stHorizontalBlock"] { gap: 0; }
}
</style>"""


def phone_layout() -> None:
    st.html(PHONE_CSS)


def kpi_rows(rows: pd.DataFrame, chosen: list[registry.Metric], f: Filters) -> None:
    """A row of cards per metric (province, then tiers); a filtered view has one card per
    metric, so the metrics sit side by side instead. Each row (or the filtered view) is ONE
    st.html block: a heading, its definition and the cards, which wrap on a narrow screen
    (issue 14: the overview drew 36 elements in 15 columns for them)."""
    cards.legend()
    scope_note = None if f.unit else coverage_line(f)
    if f.unit or f.tier:
        columns = []
        for m in chosen:
            # the name and its definition over the metric's card
            parts = [f"<div><b>{text(cards.metric_label(m))}</b></div>", markup.caption(cards.definition_label(m))]
            for _, row in views.only(rows, m.key).iterrows():
                parts.append(
                    cards.card_html(
                        row,
                        m,
                        f.scope_label,
                        late_link=urlstate.link(tier=f.tier, unit=f.unit),
                        note=scope_note,
                        late_note=late_note(row, m, f),
                        css_class=f"cchc-card-{m.key}_{row.get('tier') or 'all'}",
                    )
                )
            columns.append(f'<div style="flex:1 1 13rem;min-width:0">{"".join(parts)}</div>')
        st.html(cards.cards_row(columns, "cchc-kpis"))
        return
    for m in chosen:
        mrows = views.only(rows, m.key)
        row_cards = []
        for _, row in mrows.iterrows():
            tier = row.get("tier")
            # a tier's card is marked, so a phone can leave it out (PHONE_CSS)
            row_cards.append(
                cards.card_html(
                    row,
                    m,
                    cards.tier_title(tier),
                    late_link=urlstate.link(tier=tier or f.tier, unit=f.unit),
                    note=None if tier else scope_note,
                    late_note=late_note(row, m, f),
                    css_class=f"cchc-card-{m.key}_{tier or 'all'}" + (" cchc-tiercard" if tier else ""),
                )
            )
        # the heading and its definition over the row; a phone leaves the definition out
        st.html(
            f"<h3>{text(cards.metric_label(m))}</h3>"
            + markup.caption(cards.definition_label(m), f"cchc-metricdef cchc-metricdef-{m.key}")
            + cards.cards_row(row_cards, f"cchc-kpis cchc-kpis-{m.key}")
        )


def headline_sentence(row: pd.Series, m: registry.Metric) -> str:
    """'Tỷ lệ đúng hạn 95,30%: chưa đạt chỉ tiêu 97%, thiếu 1,70 điểm %': whether the whole
    view meets its target and by how far, in words (a 'near' rate is still below)."""
    name, rate, target = cards.metric_label(m, short=True), row.get("rate"), row.get("target")
    if cards._missing(rate):
        return t("headline_none", metric=name)
    if cards._missing(target):
        return t("headline_no_target", metric=name, rate=fmt.pct(rate))
    gap = fmt.pp(row.get("gap"), signed=False)
    key = "headline_met" if row.get("status") == "met" else "headline_below"
    return t(key, metric=name, rate=fmt.pct(rate), target=fmt.pct(target, 0), gap=gap)


def units_sentence(n_below: int, n_rated: int) -> str | None:
    """'N đơn vị chưa đạt', or 'mọi đơn vị đều đạt' only when some unit was rated at all."""
    if n_below:
        return t("units_below", n=fmt.n(n_below))
    return t("units_all_met") if n_rated else t("units_none_rated")


def headline(
    rows: pd.DataFrame,
    below: dict[str, tuple[pd.DataFrame, list]],
    chosen: list[registry.Metric],
    rated: dict[str, int],
) -> None:
    """One sentence per metric, first on the page (and on a phone): the rate of the whole
    view against its target, then how many units are below it, as a link that opens
    exactly that metric's list of units below target (`?below=KEY#below`). One st.html
    block: three rows of two columns and their buttons were ten elements (issue 14)."""
    params = filters.view_params()
    lines = []
    for m in chosen:
        mrows = views.only(rows, m.key)
        if mrows.empty:
            continue
        row = mrows.iloc[0]
        n_below = len(below[m.key][1]) if m.key in below else 0
        # the sentence says the status in words; the symbol (✓ ⚠ ✗) is for a glance
        icon = cards.STATUS_ICON_TEXT.get(row.get("status") or "none", "")
        sentence = f"{icon} {headline_sentence(row, m)}".strip()
        line = units_sentence(n_below, rated.get(m.key, 0)) or ""
        if n_below:
            address = markup.href("", {**params, BELOW_KEY: m.key}, anchor="below")
            units = f'<a href="{text(address)}" style="{markup.LINK}">{text(line)}</a>'
        else:
            units = f'<span style="{markup.CAPTION};margin:0">{text(line)}</span>'
        lines.append(
            f'<div class="cchc-headline cchc-headline-{m.key}" style="{_HEADLINE}">'
            f"<span>{text(sentence)}</span><span>{units}</span></div>"
        )
    with st.container(key="headline"):
        st.html("".join(lines))


_HEADLINE = "display:flex;flex-wrap:wrap;justify-content:space-between;gap:0.25rem 1rem;padding:0.3rem 0"
BELOW_KEY = "below"


def counts(rows: pd.DataFrame, chosen: list[registry.Metric]) -> None:
    # the cards carry each rate's counts; the full table is built only when opened (issue 14)
    with st.expander(t("show_counts"), icon=":material/table:", key="counts_expander", on_change="rerun") as box:
        if box.open:
            tables.show(tables.counts(rows, {m.key: m for m in chosen}), key="counts_table")


def below_target(below_by_metric: dict[str, tuple[pd.DataFrame, list]], chosen: list[registry.Metric]) -> None:
    """The units below target of one metric at a time: the metric travels in the URL
    (`?below=on_time_rate`), so the headline's 'N đơn vị chưa đạt' opens exactly its list."""
    st.subheader(t("below_title"), anchor="below")
    with st.container(key="below_caption"):
        st.caption(t("below_caption"))
    keys = [m.key for m in chosen]
    urlstate.seed(BELOW_KEY, next((k for k in keys if k in below_by_metric), keys[0]), valid=keys)
    params = filters.view_params()
    # the metrics as links (a segmented control's code was fetched on every load, issue 14)
    st.html(
        markup.choice(
            t("metric"),
            [
                (
                    k,
                    f"{cards.metric_label(chosen[keys.index(k)], short=True)} "
                    f"({fmt.n(len(below_by_metric[k][1])) if k in below_by_metric else 0})",
                    markup.href("", {**params, BELOW_KEY: k}, anchor="below"),
                )
                for k in keys
            ],
            st.session_state[BELOW_KEY],
        )
    )
    key = st.session_state[BELOW_KEY]
    urlstate.publish(BELOW_KEY, key)
    m = chosen[keys.index(key)]
    if key not in below_by_metric:
        st.success(t("none_below", metric=cards.metric_label(m)), icon=":material/check_circle:")
        return
    table, codes = below_by_metric[key]
    table = tables.with_late_links(table, codes, params)
    # an HTML table, not a grid (ui.linktable): a unit's name opens its view, the last
    # column its late dossiers, a header sorts
    with st.container(key=f"below_{key}"):
        linktable.draw(
            linktable.html(
                table, {t("unit"): unit_links(codes, params)}, linktable.sort_state(len(table.columns)), max_height=560
            ),
            key=f"below_table_{key}",
        )


def unit_links(codes: list[str], params: dict[str, str]) -> list[str]:
    """Per unit, the address of its own view (the Units page reads ?unit=CODE)."""
    return [f"units?{urlencode({**params, 'unit': code})}" for code in codes]
