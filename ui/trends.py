"""Monthly series per metric and tier: this year, the same months last year, the target
line and a projection to the year end with its basis in words."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from metrics import periods, registry, views
from ui import cards, fmt, linechart, markup
from ui.i18n import lang, t


def partial_month(newest: dt.date | None, year: int) -> str | None:
    """The month of `year` the data stops inside of ("2025-06" when the newest dossier is
    of 20/06/2025); None when the data reaches a month's last day or another year."""
    if newest is None or newest.year != year:
        return None
    last_day = periods.month_range(newest.year, newest.month)[1]
    return None if newest >= last_day else f"{newest:%Y-%m}"


def projecting(year: int, newest: dt.date | None, tier: str | None, unit_valid_to: dt.date | None) -> str | None:
    """Why no year-end projection is drawn, or None when one is: only the year still open
    (the newest data's year, not yet complete), and only for a tier and unit that exist
    at its end (an abolished unit has no year end to project to)."""
    if newest is None or year != newest.year or newest >= dt.date(year, 12, 31):
        return t("no_projection_closed", year=year)
    year_end = dt.date(year, 12, 31)
    if tier and tier not in {x.code for x in registry.tiers_overlapping(year_end, year_end)}:
        return t("no_projection_abolished")
    if unit_valid_to is not None and unit_valid_to < year_end:
        return t("no_projection_abolished")
    return None


def valid_to(units: pd.DataFrame, unit: str | None) -> dt.date | None:
    """The last valid day of an abolished unit (None for an active one or the whole view)."""
    if not unit or units.empty:
        return None
    rows = units[units["unit_code"] == unit]
    value = rows["valid_to"].iloc[0] if not rows.empty else None
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def panel(
    this_year: pd.DataFrame,
    last_year: pd.DataFrame,
    year: int,
    through_month: int,
    newest: dt.date | None = None,
    unit_valid_to: dt.date | None = None,
    tier: str | None = None,
) -> tuple[list, tuple | None, float | None, list[linechart.Note]]:
    """One tier's panel of a metric: the series (this year, the same months last year,
    with their counts), the projection line, the target, and the notes under it."""
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
    why_not = projecting(year, newest, tier, unit_valid_to)
    proj = views.projection(this_year, year, through_month)
    line = views.projection_series(proj, year, views.last_rate(this_year)) if why_not is None else ([], [])
    target = views.target_of(this_year) or views.target_of(last_year)
    notes = [(t("projection"), why_not or (proj.basis_vi if lang() == "vi" else proj.basis_en))]
    partial = partial_month(newest, year)
    if partial:
        notes.append(("", t("partial_month", month=fmt.month_number(partial), until=fmt.date(newest))))
    return series, (line if line[0] else None), target, notes


def chart_row(
    header: str, titles: list[str], panels: list[tuple], year: int, key: str, newest: dt.date | None = None
) -> None:
    """A metric's heading and its panels (a tier each) side by side in one st.html block
    (ui.linechart): each panel an image with a hover spot per point, its notes under it
    at its width. One block, no Markdown: the browser neither loads rehype-raw nor parses
    the SVG twice (issue 14)."""
    months = [f"{year}-{i:02d}" for i in range(1, 13)]
    chart = linechart.panels_html(
        months,
        [(title, series, target, line) for title, (series, line, target, _notes) in zip(titles, panels, strict=True)],
        height=260,
        partial=partial_month(newest, year),
        notes=[notes for _series, _line, _target, notes in panels],
    )
    with st.container(key=key):
        st.html(header + chart)


def metric_header(m: registry.Metric) -> str:
    """The metric's name as a heading and its definition in small print, as HTML."""
    return f"<h3>{markup.text(cards.metric_label(m))}</h3>{markup.caption(cards.definition_label(m))}"
