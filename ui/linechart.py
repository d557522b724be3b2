"""Monthly rate lines as inline SVG: panels side by side (a tier or a metric each), the
target dashed and labelled in words, last year dashed, the projection dotted, a break
where a reform changed the set of units, and every point's month, rate and counts in its
hover (an SVG <title>).

Why not Plotly (issue 14): a Plotly chart makes the browser load and run the 4,7 MB
Plotly bundle (about 0,6 s of CPU on this machine) before the page is drawn; these
charts are a dozen points per line, which SVG draws at once. Status is never told by
colour alone: each series has its own dash and marker shape, and the legend names them.
Names (a unit's, from data) are escaped; the markup otherwise holds numbers and our own
words. Through st.html (which drops an inline SVG) each panel is an image with a hover
spot per point (ui.markup.picture); the legend's swatches are images too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from metrics import registry
from ui import fmt, markup
from ui.charts import SERIES, TARGET, Projection, Series
from ui.heatgrid import text as _esc  # HTML-escaped, and no Markdown character left
from ui.i18n import t

Panel = tuple[str, Series, float | None, Projection]  # title, series, target, projection

WIDTH = 420
LEFT, RIGHT, TOP, BOTTOM = 46, 8, 24, 22
DASHES = {"solid": "", "dash": "7 4", "dot": "2 3"}
FONT = 'font-family="Source Sans, Arial, sans-serif" font-size="11"'


def y_ticks(values: Sequence[float]) -> tuple[float, float, list[float], int]:
    """The axis range, its ticks at the largest round step (1, 2 or 5 × 10ⁿ) that gives
    at least four of them, and the decimals that keep every tick's label distinct
    (96,6% 96,8% 97,0%, never 97% 97% 97%)."""
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    pad = max(0.005, (hi - lo) * 0.1)
    lo, hi = lo - pad, (min(hi + pad, 1.0) if hi <= 1.0 else hi + pad)
    top = 10 ** math.ceil(math.log10(hi - lo))
    steps = [top * m / 10**k for k in range(6) for m in (1, 0.5, 0.2)]
    step = next(s for s in steps if math.floor(hi / s + 1e-9) - math.ceil(lo / s - 1e-9) + 1 >= 4)
    first = math.ceil(lo / step - 1e-9) * step
    ticks = [first + i * step for i in range(int((hi - first) / step + 1e-9) + 1)]
    percent_step = step * 100
    decimals = 0 if percent_step >= 1 - 1e-9 else 1 if percent_step >= 0.1 - 1e-9 else 2
    return lo, hi, ticks, decimals


def _marker(shape: int, x: float, y: float, colour: str, title: str | None = None) -> str:
    tip = f"<title>{_esc(title)}</title>" if title else ""
    if shape == 1:
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}">{tip}</rect>'
    if shape == 2:
        return f'<path d="M{x:.1f} {y - 4.5:.1f}l4.5 4.5l-4.5 4.5l-4.5-4.5z" fill="{colour}">{tip}</path>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">{tip}</circle>'


def _line(points: list[tuple[float, float] | None], colour: str, dash: str, width: float) -> str:
    """Polylines through the points; a None (a month without data) breaks the line."""
    runs: list[list[str]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(f"{point[0]:.1f},{point[1]:.1f}")
    dashed = f' stroke-dasharray="{DASHES[dash]}"' if DASHES.get(dash) else ""
    return "".join(
        f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="{width}"{dashed}/>'
        for run in runs
        if len(run) > 1
    )


def panel_svg(months: Sequence[str], panel: Panel, labels: Sequence[str], height: int, spots: list) -> str:
    """One panel: axes, target, reform breaks, the series and the projection. `spots`
    receives each point's place and hover words (ui.markup.picture)."""
    _title, series, target, projection = panel
    values = [r for _n, rates, *_ in series for r in rates if r is not None]
    values += [r for r in (projection[1] if projection else ()) if r is not None]
    lo, hi, ticks, decimals = y_ticks(values + ([target] if target is not None else []))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, height - TOP - BOTTOM
    slot = plot_w / max(len(months), 1)

    def x(i: int) -> float:
        return LEFT + (i + 0.5) * slot

    def y(rate: float) -> float:
        return TOP + (hi - rate) / (hi - lo) * plot_h

    parts = [f'<svg class="panel" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" style="display:block">']
    for tick in ticks:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e6e6e6"/>'
            f'<text x="{LEFT - 4}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="#555" {FONT}>'
            f"{fmt.pct(tick, decimals)}</text>"
        )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - 6}" text-anchor="middle" fill="#555" {FONT}>{_esc(label)}</text>'
        )
    index = {m: i for i, m in enumerate(months)}
    for month in registry.tier_change_months():
        if index.get(month, 0) > 0:  # the units on either side of a reform are not the same set
            bx = LEFT + index[month] * slot
            parts.append(
                f'<line class="reform" x1="{bx:.1f}" x2="{bx:.1f}" y1="{TOP - 8}" y2="{TOP + plot_h}" '
                f'stroke="#555" stroke-width="1.5" stroke-dasharray="5 3"/>'
                f'<text x="{bx:.1f}" y="{TOP - 11}" text-anchor="middle" fill="#555" {FONT}>'
                f"{_esc(t('reform_break'))}</text>"
            )
    if target is not None:
        words = f"{t('target')} {fmt.pct(target, 0)}"
        parts.append(
            f'<line class="target" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
            f'stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="6 4"><title>{_esc(words)}</title></line>'
            f'<text x="{LEFT + 2}" y="{y(target) - 4:.1f}" fill="{TARGET}" {FONT}>{_esc(words)}</text>'
        )
    for i, (name, rates, nums, dens, dash) in enumerate(series):
        colour = SERIES[i % len(SERIES)]
        points = [None if r is None else (x(j), y(r)) for j, r in enumerate(rates)]
        marks = []
        for j, (rate, num, den) in enumerate(zip(rates, nums, dens, strict=True)):
            if rate is None:
                continue
            counts = f" ({fmt.n(num)}/{fmt.n(den)})" if num is not None and den is not None else ""
            words = f"{labels[j]} · {name}: {fmt.pct(rate)}{counts}"
            marks.append(_marker(i % 3, x(j), y(rate), colour, words))
            spots.append((x(j), y(rate), words))
        parts.append(
            f'<g class="series" data-name="{_esc(name)}">'
            f"{_line(points, colour, dash, 2.5 if i == 0 else 1.8)}{''.join(marks)}</g>"
        )
    if projection is not None:
        p_months, p_rates = projection
        name = t("projection")
        points = [None if r is None else (x(index[m]), y(r)) for m, r in zip(p_months, p_rates, strict=True)]
        shown = [
            (p, f"{labels[index[m]]} · {name}: {fmt.pct(r)}")
            for m, r, p in zip(p_months, p_rates, points, strict=True)
            if p is not None and r is not None
        ]
        tips = [
            f'<circle cx="{p[0]:.1f}" cy="{p[1]:.1f}" r="2" fill="{SERIES[0]}"><title>{_esc(words)}</title></circle>'
            for p, words in shown
        ]
        spots += [(p[0], p[1], words) for p, words in shown]
        parts.append(
            f'<g class="series" data-name="{_esc(name)}">{_line(points, SERIES[0], "dot", 2)}{"".join(tips)}</g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _swatch(i: int, dash: str) -> str:
    """A series' line and marker for the legend, as an image (st.html)."""
    colour = SERIES[i % len(SERIES)]
    dashed = f' stroke-dasharray="{DASHES[dash]}"' if DASHES.get(dash) else ""
    mark = _marker(i % 3, 14, 6, colour) if dash != "dot" else ""
    svg = (
        f'<svg width="28" height="12" style="vertical-align:middle">'
        f'<line x1="0" x2="28" y1="6" y2="6" stroke="{colour}" stroke-width="2"{dashed}/>{mark}</svg>'
    )
    return markup.icon(svg, (28, 12))


Note = tuple[str, str]  # a note under a panel: its bold lead ("" for none) and its words


def panels_html(
    months: Sequence[str],
    panels: Sequence[Panel],
    height: int = 280,
    partial: str | None = None,
    legend: bool = True,
    notes: Sequence[Sequence[Note]] | None = None,
) -> str:
    """The panels side by side (stacked on a narrow screen), each under its title, and
    with `legend` every series named once under them. `partial` is the month whose data
    does not reach its end: its label is marked *. Each panel is an image with hover spots
    (ui.markup.picture), for st.html, which drops an inline SVG. `notes` are each panel's
    lines in small print under it, at its width."""
    one_year = len({str(m)[:4] for m in months}) == 1
    short = fmt.month_number if one_year else fmt.month_short
    labels = [short(m) + ("*" if m == partial else "") for m in months]

    def drawn(panel: Panel) -> str:
        spots: list[markup.Spot] = []
        svg = panel_svg(months, panel, labels, height, spots)
        return markup.picture(svg, (WIDTH, height), spots, f"{panel[0]}: " + "; ".join(s[2] for s in spots))

    def small_print(lines: Sequence[Note]) -> str:
        said = "<br>".join((f"<b>{_esc(lead)}:</b> " if lead else "") + _esc(words) for lead, words in lines)
        return f'<div class="cchc-notes" style="{markup.CAPTION};margin-top:4px">{said}</div>' if said else ""

    blocks = [
        f'<div style="flex:1 1 300px;min-width:0"><div style="font-weight:600;font-size:15px;margin-bottom:2px">'
        f"{_esc(title)}</div>{drawn((title, series, target, projection))}"
        f"{small_print(notes[i]) if notes else ''}</div>"
        for i, (title, series, target, projection) in enumerate(panels)
    ]
    out = f'<div class="cchc-lines" style="display:flex;flex-wrap:wrap;gap:8px 16px">{"".join(blocks)}</div>'
    if legend:
        named: dict[str, str] = {}
        for _title, series, _target, projection in panels:
            for i, (name, _r, _n, _d, dash) in enumerate(series):
                named.setdefault(name, _swatch(i, dash))
            if projection is not None:
                named.setdefault(t("projection"), _swatch(0, "dot"))
        items = "".join(
            f'<span class="legend" style="margin-right:16px;white-space:nowrap">{swatch} {_esc(name)}</span>'
            for name, swatch in named.items()
        )
        out += f'<div style="font-size:13px;margin-top:4px">{items}</div>'
    return out
