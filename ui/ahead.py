"""Ahead of the clock (issue 13): the due-soon card and list with its worklist download,
the late budget (the units closest to their limit, a column of the ranking, the summary
sentence) and the official scores beside our 766 estimate on a unit's page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from metrics import compute, forecast, periods, registry, scores, worklist
from metrics.vi_format import lower_first
from ui import cards, data, fmt, linktable, markup, tables, urlstate
from ui.filters import Filters
from ui.heatgrid import text
from ui.i18n import lang, t, tier_label

VIEWS = ("late", "due_soon")
CLOSEST = 5  # units shown on the overview
DISAGREE_POINTS = 2.0  # official and estimated tiến độ further apart than this: say so
INDEX_LABELS = {scores.INDEX_766: "Bộ chỉ số 766"}


# ----------------------------------------------------------------------------- due soon


def due_soon_card(f: Filters) -> None:
    """Overview: how many dossiers fall due within two working days, and a link to them."""
    rows = data.due_soon(tier=f.tier, unit=f.unit, units=f.units)
    # title, count, caption and link in one st.html block (one element, not four; issue 14)
    with st.container(key="due_soon_card"):
        st.html(
            f'<div class="cchc-card" style="{cards.CARD}">'
            f"<div><b>{text(t('due_soon_title'))}</b></div><h3>{text(fmt.n(len(rows)))}</h3>"
            + markup.caption(t("due_soon_caption", days=compute.DUE_SOON_DAYS))
            + markup.link(markup.href("late", urlstate.link(late_view="due_soon")), t("due_soon_link"), arrow="⏰")
            + "</div>"
        )


def view_picker() -> str:
    """The late page's two lists, bound to the URL (?late_view=due_soon) so the overview's
    card can open the second one. Returns the one to show."""
    urlstate.seed("late_view", "late", valid=VIEWS)
    value = st.session_state["late_view"]
    urlstate.publish("late_view", None if value == "late" else value)
    # two links, not a segmented control, whose code was fetched on every load (issue 14)
    with st.container(key="late_view"):
        st.html(markup.url_choice(t("late_view"), "late_view", [(v, t(f"late_view_{v}")) for v in VIEWS], "late"))
    return value


def _table(rows: pd.DataFrame) -> pd.DataFrame:
    """Dates and day counts stay values (they sort as such), written vi-VN by tables.show."""
    shown = pd.DataFrame(
        {
            t("col_due"): pd.to_datetime(rows["due_at"], errors="coerce"),
            t("col_days_left"): pd.to_numeric(rows["working_days_left"], errors="coerce"),
            t("unit"): rows["unit_name"].fillna(rows["unit_code"]),
            t("col_dossier"): rows["dossier_code"],
            t("procedure"): rows["procedure_name"].fillna(""),
            t("col_supplement"): rows["supplement_pending"].map(lambda v: t("yes") if v else ""),
        }
    )
    return tables.formatted(shown, {t("col_due"): "date", t("col_days_left"): "int"})


def due_soon_view(f: Filters) -> None:
    """The late page's second list: soonest due first, then by unit, and the worklist."""
    urlstate.seed("soon_days", compute.DUE_SOON_DAYS, decode=int, valid=lambda v: 0 <= v <= 30)
    days = int(st.number_input(t("due_soon_days"), key="soon_days", min_value=0, max_value=30, step=1))
    urlstate.publish("soon_days", None if days == compute.DUE_SOON_DAYS else str(days))
    st.caption(t("due_soon_caption", days=days))
    rows = data.due_soon(days, f.tier, f.unit, f.units)
    if rows.empty:
        st.success(t("due_soon_none"), icon=":material/task_alt:")
        return
    st.markdown(f"**{t('due_soon_count', n=fmt.n(len(rows)))}**")
    tables.show(_table(rows), key="due_soon_table", height=min(38 + 35 * len(rows), 560))
    language = lang()
    st.download_button(
        t("download_worklist"),
        data=lambda: worklist.due_soon_xlsx(rows, days, language),
        file_name=f"ho-so-sap-qua-han_{dt.date.today():%Y%m%d}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="download_worklist",
        icon=":material/download:",
        on_click="ignore",
    )


# ----------------------------------------------------------------------------- late budget


SPANS = ("year", "quarter")


def _span(f: Filters) -> tuple[dt.date, dt.date, str]:
    """The year or quarter in progress that the filters' period ends in, and its name
    as a sentence says it ("năm 2026", "quý II/2026")."""
    year = f.date_to.year
    if st.session_state.get("budget_span") == "quarter":  # span_picker() has drawn it
        q = (f.date_to.month - 1) // 3 + 1
        first, last = periods.quarter_range(year, q)
        return first, last, lower_first(fmt.quarter(year, q)) if lang() == "vi" else fmt.quarter(year, q)
    return dt.date(year, 1, 1), dt.date(year, 12, 31), t("budget_period_year", year=year)


def span_picker() -> None:
    """Year or quarter in progress, for the budgets of this page (?budget_span=quarter):
    two links, not a segmented control, whose code was fetched on every load (issue 14)."""
    span_seed()
    with st.container(key="budget_span"):
        st.html(span_links())


def span_seed() -> str:
    """The span chosen (the URL's, the session's, else the year), published to the URL."""
    urlstate.seed("budget_span", "year", valid=SPANS)
    chosen = st.session_state["budget_span"]
    urlstate.publish("budget_span", None if chosen == "year" else "quarter")
    return chosen


def span_links() -> str:
    return markup.url_choice(t("budget_span"), "budget_span", [(v, t(f"kind_{v}")) for v in SPANS], "year")


def _budgets(f: Filters) -> tuple[pd.DataFrame, str]:
    date_from, date_to, label = _span(f)
    frame = data.budget(date_from, date_to, on_time_definition=f.on_time_def, by=("unit",), tier=f.tier, units=f.units)
    return frame, label


def budget_text(row: pd.Series | dict[str, Any]) -> str:
    """One unit's budget in words; never a negative number, never 0 for no data."""
    status = row["status"]
    if status == "failed":
        return f"{t('budget_failed')} · {t('budget_needed', n=fmt.n(row['needed_on_time']))}"
    if status in ("no_data", "no_target"):
        return t(f"budget_{status}")
    text = t("budget_left", n=fmt.n(row["late_budget"]))
    if status == "below":
        text += f" · {t('budget_needed', n=fmt.n(row['needed_on_time']))}"
    return text


def budget_sentence(row: pd.Series, period: str) -> str:
    """'Xã A chỉ còn được phép trễ tối đa 3 hồ sơ trong năm 2026 để giữ mức 97%.'"""
    return t(
        "budget_sentence",
        unit=row["unit_name"] or row["unit_code"],
        n=fmt.n(row["late_budget"]),
        period=period,
        target=fmt.pct(row["target"], 0),
    )


def closest_to_limit(f: Filters) -> None:
    """Overview: the few units with the smallest budget left (those that cannot reach the
    target any more first), with the basis of the estimate."""
    st.subheader(t("budget_title"))
    span_picker()
    budgets, period = _budgets(f)
    rated = budgets[budgets["status"].isin(("failed", "below", "on_track"))]
    if rated.empty:
        st.caption(t("budget_no_data"))
        return
    first = rated.iloc[0]
    m = registry.metric("on_time_rate", f.on_time_def)
    # the caption, the sentence and the table go out as one Markdown block (issue 14)
    parts = [
        markup.caption(
            t(
                "budget_caption",
                period=period,
                target=fmt.pct(first["target"], 0),
                definition=m.definition_phrase_vi if lang() == "vi" else m.definition_label_en,
                as_of=fmt.date(first["as_of"]),
            )
        )
    ]
    order = rated.assign(
        _failed=rated["status"] != "failed", _left=rated["late_budget"].fillna(-1).astype(float)
    ).sort_values(["_failed", "_left", "unit_code"])
    top = order.head(CLOSEST)
    reachable = top[top["status"] != "failed"]
    if not reachable.empty:
        # a name from data goes in as text
        parts.append(f"<p>{text(budget_sentence(reachable.iloc[0], period))}</p>")
    # five fixed rows: an HTML table, no data grid for the browser to load (issue 14)
    parts.append(
        linktable.html(
            tables.formatted(
                pd.DataFrame(
                    {
                        t("unit"): top["unit_name"].fillna(top["unit_code"]),
                        t("tier"): top["tier"].map(tier_label),
                        t("rate"): pd.to_numeric(top["rate"], errors="coerce"),
                        t("budget_col", period=period): [budget_text(r) for _, r in top.iterrows()],
                        "": [
                            t(
                                "budget_expected",
                                n=fmt.n(r["expected_remaining"]),
                                basis=t(f"budget_basis_{r['basis']}"),
                            )
                            for _, r in top.iterrows()
                        ],
                    }
                ),
                {t("rate"): "pct"},
            ),
        )
    )
    st.html("".join(parts))


def with_budget(shown: pd.DataFrame, ranked: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The ranking's display frame with a column of each unit's late budget in the year (or
    quarter) in progress; its picker (span_links) is drawn in the ranking's block."""
    span_seed()
    budgets, period = _budgets(f)
    # records, not iterrows: a Series per unit cost 11 ms of every ranking run
    texts = {r["unit_code"]: budget_text(r) for r in budgets.to_dict("records")}
    out = shown.copy()
    out[t("budget_col", period=period)] = [texts.get(c, t("budget_no_data")) for c in ranked["unit_code"]]
    return out


# ----------------------------------------------------------------------------- official scores


def _rank_change(row: pd.Series) -> str | None:
    if pd.isna(row["rank"]) or pd.isna(row["rank_last_year"]):
        return None
    moved = int(row["rank_last_year"]) - int(row["rank"])
    year = int(row["year"]) - 1
    if moved > 0:
        return t("rank_up", n=moved, year=year)
    if moved < 0:
        return t("rank_down", n=-moved, year=year)
    return t("rank_same", year=year)


def _score_text(row: pd.Series) -> str:
    score = fmt.num(row["score"], 2)
    if pd.isna(row["rank"]) or pd.isna(row["ranked_of"]):
        return t("official_score_only", score=score)
    return t("official_score", score=score, rank=fmt.n(int(row["rank"])), of=fmt.n(int(row["ranked_of"])))


def _period_text(row: pd.Series) -> str:
    if not pd.isna(row["quarter"]):
        return fmt.quarter(int(row["year"]), int(row["quarter"]))
    if not pd.isna(row["month"]):
        return fmt.month(f"{int(row['year']):04d}-{int(row['month']):02d}")
    return t("budget_period_year", year=int(row["year"]))


def official_panel(f: Filters) -> None:
    """A unit's page: each official index's newest score and rank, its move since last
    year, and our 766 estimate for the same year beside it, saying where they disagree.
    The title, the scores and the estimate are one st.html block (issue 14)."""
    official = data.official_scores(f.unit)  # not `scores`: that is the module with INDEX_766
    totals = official[official["component"] == "TONG_SCORE"] if not official.empty else official
    year = (
        int(totals.loc[totals["index_name"] == scores.INDEX_766, "year"].max())
        if (totals["index_name"] == scores.INDEX_766).any()
        else f.date_to.year
    )
    parts = [f"<h3>{text(t('official_title'))}</h3>"]
    if totals.empty:
        parts.append(markup.caption(t("official_none")))
    for index_name, rows in totals.groupby("index_name", sort=False):
        row = rows.iloc[0]
        said = [_score_text(row), _rank_change(row)]
        label = INDEX_LABELS.get(str(index_name), str(index_name))
        # the score and its source; the source is a file's name: text
        parts.append(
            f"<p><b>{text(label)}</b> · {text(_period_text(row) + ': ' + '; '.join(p for p in said if p))}</p>"
            + markup.caption(str(row["source"]))
        )
    est = data.score766(dt.date(year, 1, 1), dt.date(year, 12, 31), by=("unit",), unit=f.unit, units=f.units)
    if est.empty or est.iloc[0]["points"] is None:
        parts.append(markup.caption(t("estimate_none", year=year)))
        st.html("".join(parts))
        return
    row = est.iloc[0]
    parts.append(
        "<p>"
        + text(
            t(
                "estimate_line",
                year=year,
                points=fmt.num(row["points"], 2),
                covered=fmt.num(row["points_covered"], 0),
                tien_do=fmt.num(row["tien_do_points"], 2),
                online=fmt.num(row["online_points"], 2),
                left=fmt.num(row["points_left_out"], 0),
                label=forecast.ESTIMATE_LABEL_VI if lang() == "vi" else forecast.ESTIMATE_LABEL_EN,
            )
        )
        + "</p>"
        + markup.caption(t("estimate_vendor"))
    )
    st.html("".join(parts))
    _compare(official, year, row)


def _compare(official: pd.DataFrame, year: int, row: pd.Series) -> None:
    """Where the official tiến độ score and ours disagree by more than DISAGREE_POINTS."""
    official = (
        official[
            (official["index_name"] == scores.INDEX_766)
            & (official["component"] == "TDGQ")
            & (official["year"] == year)
            & official["quarter"].isna()
            & official["month"].isna()
        ]
        if not official.empty
        else official
    )
    if official.empty or row["tien_do_points"] is None:
        return
    theirs, ours = float(official.iloc[0]["score"]), float(row["tien_do_points"])
    gap = abs(theirs - ours)
    verdict = t("verdict_agree") if gap <= DISAGREE_POINTS else t("verdict_disagree", d=fmt.num(gap, 2))
    said = t("estimate_compare", official=fmt.num(theirs, 2), ours=fmt.num(ours, 2), verdict=verdict)
    (st.info if gap <= DISAGREE_POINTS else st.warning)(said, icon=":material/compare_arrows:")
