"""The charts' house style: the Okabe–Ito palette, which stays distinguishable for
colour-blind readers, and the overview's sparklines. Status is never told by colour
alone: cards and tables carry the icon and the word; charts label the target line in
words. The monthly trend panels are in ui.linechart; no page draws with Plotly (issue 14)."""

from __future__ import annotations

import html
from collections.abc import Sequence

from ui import fmt, markup
from ui.i18n import t

# Okabe & Ito (2008), "Color Universal Design"
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILLION = "#D55E00"
SKY = "#56B4E9"
PURPLE = "#CC79A7"
TARGET = "#222222"
SERIES = (BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE)

# vector-effect is not inherited: every stroked element keeps its width when the SVG stretches
_FIXED = 'vector-effect="non-scaling-stroke"'


SPARK_SIZE = (100, 62)


def sparkline_html(months: Sequence[str], rates: Sequence[float | None], target: float | None) -> str:
    """The sparkline as a card shows it through st.html: the SVG as an image with a hover
    spot on each month (ui.markup.picture); its text alternative names every month."""
    spots: list[markup.Spot] = []
    svg = sparkline_svg(months, rates, target, spots)
    alt = "; ".join(tip for _x, _y, tip in spots)
    return markup.picture(svg, SPARK_SIZE, spots, alt, height=f"{SPARK_SIZE[1]}px")


def sparkline_svg(
    months: Sequence[str], rates: Sequence[float | None], target: float | None, spots: list | None = None
) -> str:
    """A 12-month line with the target dotted, as SVG: a dozen of them sit on the overview,
    and as Plotly charts they cost the browser the 4.7 MB Plotly bundle and a plot each
    (issue 14). Hovering a point gives its month and rate (an SVG <title>; `spots`, when
    given, receives each point's place and words). Only numbers and formatted months go
    into the markup, never a name from data."""
    values = [r for r in rates if r is not None] + ([target] if target is not None else [])
    lo = min(values) if values else 0.0
    hi = max(values) if values else 1.0
    pad = max(0.01, (hi - lo) * 0.15)
    lo, hi = lo - pad, hi + pad
    (width, height), steps = SPARK_SIZE, max(len(rates) - 1, 1)

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
        words = f"{fmt.month(month)}: {fmt.pct(rate)}"
        if spots is not None:
            spots.append((x, y, words))
        label = html.escape(words)
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


# a line: (name, rates, numerators, denominators, dash) per month; a projection: (months, rates)
Series = Sequence[tuple[str, Sequence[float | None], Sequence[int | None], Sequence[int | None], str]]
Projection = tuple[Sequence[str], Sequence[float | None]] | None
