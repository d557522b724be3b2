"""Plotly figures in the house style: Vietnamese separators (`12.553`, `97,81%`), a target
line on every rate chart, and the Okabe–Ito palette, which stays distinguishable for
colour-blind readers. Status is never told by colour alone: cards and tables carry the
icon and the word; charts label the target line in words."""

from __future__ import annotations

import html
from collections.abc import Sequence

import plotly.graph_objects as go
import streamlit as st

from metrics import registry
from ui import fmt
from ui.i18n import lang, t

# Okabe & Ito (2008), "Color Universal Design"
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILLION = "#D55E00"
SKY = "#56B4E9"
PURPLE = "#CC79A7"
TARGET = "#222222"
SERIES = (BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE)

PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def separators() -> str:
    """Plotly's (decimal, thousands) pair."""
    return ",." if lang() == "vi" else ".,"


def base_layout(fig: go.Figure, height: int = 320, title: str | None = None) -> go.Figure:
    fig.update_layout(
        separators=separators(),
        height=height,
        margin={"l": 8, "r": 8, "t": 40 if title else 12, "b": 8},
        title={"text": plain(title), "x": 0, "font": {"size": 15}} if title else None,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"namelength": -1},
        font={"family": "Source Sans, Arial, sans-serif"},
    )
    return fig


# vector-effect is not inherited: every stroked element keeps its width when the SVG stretches
_FIXED = 'vector-effect="non-scaling-stroke"'


def sparkline_svg(months: Sequence[str], rates: Sequence[float | None], target: float | None) -> str:
    """A 12-month line with the target dotted, as inline SVG: a dozen of them sit
    on the overview, and as Plotly charts they cost the browser the 4.7 MB Plotly bundle and
    a plot each (issue 14). Hovering a point gives its month and rate (an SVG <title>).
    Only numbers and formatted months go into the markup, never a name from data."""
    values = [r for r in rates if r is not None] + ([target] if target is not None else [])
    lo = min(values) if values else 0.0
    hi = max(values) if values else 1.0
    pad = max(0.01, (hi - lo) * 0.15)
    lo, hi = lo - pad, hi + pad
    width, height, steps = 100, 62, max(len(rates) - 1, 1)

    def xy(i: int, rate: float) -> tuple[float, float]:
        return 2 + i * (width - 4) / steps, 4 + (hi - rate) / (hi - lo) * (height - 8)

    runs: list[list[str]] = [[]]  # a month without data breaks the line (as connectgaps=False)
    dots: list[str] = []
    for i, (month, rate) in enumerate(zip(months, rates, strict=True)):
        if rate is None:
            runs.append([])
            continue
        x, y = xy(i, rate)
        runs[-1].append(f"{x:.2f},{y:.2f}")
        label = html.escape(f"{fmt.month(month)}: {fmt.pct(rate)}")
        # a zero-length round-capped stroke: a dot that stays round however the SVG stretches
        dots.append(f'<path d="M{x:.2f} {y:.2f}h0" {_FIXED}><title>{label}</title></path>')
    parts = [
        f'<svg viewBox="0 0 {width} {height}" preserveAspectRatio="none" width="100%" height="{height}" '
        'role="img" style="display:block;overflow:visible">'
    ]
    if target is not None:
        y = xy(0, target)[1]
        label = html.escape(f"{t('target')} {fmt.pct(target, 0)}")
        parts.append(
            f'<line x1="0" x2="{width}" y1="{y:.2f}" y2="{y:.2f}" stroke="{TARGET}" stroke-width="1" '
            f'stroke-dasharray="2 3" {_FIXED}><title>{label}</title></line>'
        )
    parts.append(f'<g fill="none" stroke="{BLUE}" stroke-width="2" stroke-linejoin="round">')
    parts += [f'<polyline points="{" ".join(run)}" {_FIXED}/>' for run in runs if len(run) > 1]
    parts.append(f'</g><g stroke="{BLUE}" stroke-width="5" stroke-linecap="round">')
    parts += dots
    parts.append("</g></svg>")
    return "".join(parts)


def rate_tickformat(values: Sequence[float]) -> str:
    """Enough decimals that no two ticks read the same: a range of 96,6%–97,4% ticked
    '.0%' shows 97% 97% 97%. Plotly puts about five ticks on an axis: each needs a step
    the format can tell apart."""
    span = (max(values) - min(values)) if values else 1.0
    if span >= 0.05:
        return ".0%"
    if span >= 0.005:
        return ".1%"
    return ".2%"


Series = Sequence[tuple[str, Sequence[float | None], Sequence[int | None], Sequence[int | None], str]]
Projection = tuple[Sequence[str], Sequence[float | None]] | None


def _add_trend(
    fig: go.Figure,
    months: Sequence[str],
    series: Series,
    target: float | None,
    projection: Projection,
    partial: str | None,
    col: int | None = None,
    legend: set[str] | None = None,
) -> None:
    """One panel of monthly rates: each series is (name, rates, numerators, denominators,
    dash). `col` is the panel's column in a figure of side-by-side panels (None: the
    whole figure). `legend` holds the names already in the legend: side-by-side panels
    name each series once (None: no legend at all)."""
    where = {"row": 1, "col": col} if col else {}
    one_year = len({str(m)[:4] for m in months}) == 1
    short = fmt.month_number if one_year else fmt.month_short

    def label(m: str) -> str:  # the month still running is marked, never read as a whole month
        return short(m) + "*" if m == partial else short(m)

    labels = [label(m) for m in months]

    def listed(name: str) -> dict:
        first = legend is not None and name not in legend
        if first and legend is not None:
            legend.add(name)
        return {"showlegend": first}

    for i, (name, rates, nums, dens, dash) in enumerate(series):
        custom = [[fmt.n(n), fmt.n(d)] for n, d in zip(nums, dens, strict=True)]
        fig.add_trace(
            go.Scatter(
                x=labels,
                y=list(rates),
                name=name,
                legendgroup=name,
                mode="lines+markers",
                line={"color": SERIES[i % len(SERIES)], "dash": dash, "width": 2.5 if i == 0 else 1.8},
                marker={"symbol": ("circle", "square", "diamond", "triangle-up")[i % 4], "size": 7},
                customdata=custom,
                hovertemplate="%{x}<br>" + name + ": %{y:.2%} (%{customdata[0]}/%{customdata[1]})<extra></extra>",
                **listed(name),
            ),
            **where,
        )
    if projection is not None:
        p_months, p_rates = projection
        fig.add_trace(
            go.Scatter(
                x=[label(m) for m in p_months],
                y=list(p_rates),
                name=t("projection"),
                legendgroup=t("projection"),
                mode="lines",
                line={"color": SERIES[0], "dash": "dot", "width": 2},
                hovertemplate="%{x}<br>" + t("projection") + ": %{y:.2%}<extra></extra>",
                **listed(t("projection")),
            ),
            **where,
        )
    if target is not None:
        fig.add_hline(
            y=target,
            line={"color": TARGET, "dash": "dash", "width": 1.5},
            annotation_text=f"{t('target')} {fmt.pct(target, 0)}",
            annotation_position="top left",
            annotation_font={"size": 11, "color": TARGET},
            **where,
        )
    months = list(months)
    for month in registry.tier_change_months():
        if month in months and months.index(month) > 0:
            # a visible break: the units on either side of a reform are not the same set
            fig.add_vline(
                x=months.index(month) - 0.5,
                line={"color": "#555555", "dash": "dash", "width": 1.5},
                annotation_text=t("reform_break"),
                annotation_position="top",
                **where,
            )
    values = [r for _n, rates, *_ in series for r in rates if r is not None]
    values += [r for r in (projection[1] if projection else ()) if r is not None]
    ticks = rate_tickformat(values + ([target] if target is not None else []))
    fig.update_yaxes(tickformat=ticks, title=None, rangemode="normal", **where)
    fig.update_xaxes(categoryorder="array", categoryarray=labels, title=None, **where)


def _legend_below(fig: go.Figure) -> go.Figure:
    # legend under the plot so it never covers the title or the target label
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0})
    return fig


def _trend(
    months: Sequence[str],
    series: Series,
    target: float | None,
    title: str | None = None,
    projection: Projection = None,
    height: int = 360,
    partial: str | None = None,
) -> go.Figure:
    fig = go.Figure()
    _add_trend(fig, months, series, target, projection, partial, legend=set())
    return _legend_below(base_layout(fig, height, title))


def _trend_row(months: tuple, panels: tuple, height: int, partial: str | None, legend: bool) -> go.Figure:
    """Side-by-side panels (a tier each) in ONE figure: the browser draws one plot per
    metric instead of one per tier (issue 14). Each panel is (title, series, target,
    projection); the y axes stay separate, as each tier has its own range and target."""
    from plotly.subplots import make_subplots

    fig = make_subplots(
        rows=1,
        cols=len(panels),
        subplot_titles=[plain(title) for title, *_ in panels],
        horizontal_spacing=0.06 if len(panels) > 1 else 0.0,
    )
    named: set[str] | None = set() if legend else None
    for col, (_title, series, target, projection) in enumerate(panels, start=1):
        _add_trend(fig, months, series, target, projection, partial, col=col, legend=named)
    for i in range(len(panels)):  # make_subplots puts the titles first among the annotations
        # each title at its panel's left edge, above the reform label the break line carries
        axis = fig.layout["xaxis" if i == 0 else f"xaxis{i + 1}"]
        fig.layout.annotations[i].update(x=axis.domain[0], xanchor="left", yshift=22, font={"size": 15})
    base_layout(fig, height, None)
    fig.update_layout(margin={"l": 8, "r": 8, "t": 64, "b": 8})
    return _legend_below(fig)


# Building a plotly figure validates every property (10-25 ms each): figures are cached
# per language and input values, so a rerun that changes nothing rebuilds none of them.


@st.cache_resource(max_entries=512, show_spinner=False)
def _trend_cached(lang_: str, months: tuple, series: tuple, target, title, projection, height, partial) -> go.Figure:
    return _trend(months, series, target, title, projection, height, partial)


def _freeze(series: Series) -> tuple:
    return tuple((n, tuple(r), tuple(nu), tuple(d), dash) for n, r, nu, d, dash in series)


def _freeze_projection(projection: Projection) -> tuple | None:
    return (tuple(projection[0]), tuple(projection[1])) if projection else None


def trend(
    months: Sequence[str],
    series: Series,
    target: float | None,
    title: str | None = None,
    projection: Projection = None,
    height: int = 360,
    partial: str | None = None,
) -> go.Figure:
    """Monthly rates: each series is (name, rates, numerators, denominators, dash); the
    `partial` month ("2025-06") is the one whose data does not reach its end (marked *)."""
    return _trend_cached(
        lang(), tuple(months), _freeze(series), target, title, _freeze_projection(projection), height, partial
    )


@st.cache_resource(max_entries=256, show_spinner=False)
def _trend_row_cached(
    lang_: str, months: tuple, panels: tuple, height: int, partial: str | None, legend: bool
) -> go.Figure:
    return _trend_row(months, panels, height, partial, legend)


def trend_row(
    months: Sequence[str],
    panels: Sequence[tuple[str, Series, float | None, Projection]],
    height: int = 320,
    partial: str | None = None,
    legend: bool = True,
) -> go.Figure:
    """Panels side by side in one figure, each (title, series, target, projection); with
    `legend` every series is named once, under the panels."""
    frozen = tuple((title, _freeze(s), target, _freeze_projection(p)) for title, s, target, p in panels)
    return _trend_row_cached(lang(), tuple(months), frozen, height, partial, legend)


def clear_cache() -> None:
    for fn in (_trend_cached, _trend_row_cached):
        fn.clear()


def show(fig: go.Figure, key: str) -> None:
    st.plotly_chart(fig, key=key, config=PLOTLY_CONFIG, width="stretch")


def plain(text: object) -> str:
    """A name from data as plotly text: plotly draws `<a href>`, `<b>`… in labels, titles
    and hovers, so a unit named `<a href=…>` must arrive as the characters it is."""
    return html.escape(str(text), quote=False)
