"""The monthly chart of a presentation slide: each tier's rates and the target line(s)
(`KpiSection.chart_lines`, the same lines the PDF and the PowerPoint draw), as an SVG
for a dark slide, embedded as a data-URI image with an HTML legend under it. No
JavaScript and no external asset, so a slide is one self-contained piece of HTML."""

from __future__ import annotations

import base64
import html
import itertools
import math
from typing import Any

from metrics import registry
from metrics import vi_format as vf
from metrics.reports.figures import chart_values
from metrics.reports.model import KpiSection
from metrics.reports.style import SLIDE_BG, SLIDE_FG, SLIDE_SOFT, SLIDE_TARGET, axis_bounds

# The chart fills about 60% of the slide's width, so an SVG unit is 0.06% of it: type at
# 34 units is 19 pt of a 13.333-inch slide (nothing on a projected slide under 18 pt).
W, H = 1000, 370
LEFT, RIGHT, TOP, BOTTOM = 120, 850, 20, 312
FONT = 34


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _lines(kpi: KpiSection) -> list[tuple[str, list[float | None], str, bool]]:
    """(label, values, colour, dashed) per line: a shared target line in the target
    colour, every other line in its tier's colour for the dark ground."""
    return [
        (
            c.label,
            list(c.values),
            SLIDE_TARGET
            if c.shared_target
            else (registry.tier(c.tier).colour_dark if c.tier in registry.TIER_CODES else SLIDE_FG),  # type: ignore[arg-type]
            c.is_target,
        )
        for c in kpi.chart_lines()
    ]


def _svg(kpi: KpiSection, lines: list[tuple[str, list[float | None], str, bool]], values: list[float]) -> str:
    lo, hi, step = axis_bounds(values)
    n = max(len(kpi.months), 1)
    slot = (RIGHT - LEFT) / n

    def x(i: int) -> float:
        return LEFT + slot * (i + 0.5)

    def y(v: float) -> float:
        return BOTTOM - (v - lo) / (hi - lo) * (BOTTOM - TOP)

    parts = [
        f'<svg viewBox="0 0 {W} {H}" width="{W}" height="{H}" xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, Arial, sans-serif" role="img" '
        f'aria-label="{_e(kpi.title)} theo tháng">'
    ]
    ticks = round((hi - lo) / step)
    for tick in range(ticks + 1):
        v = lo + tick * step
        parts.append(
            f'<line x1="{LEFT}" y1="{y(v):.1f}" x2="{RIGHT}" y2="{y(v):.1f}" stroke="#3A5068" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 12}" y="{y(v) + 11:.1f}" fill="{SLIDE_SOFT}" font-size="{FONT}" text-anchor="end">'
            f"{_e(vf.fmt_pct(v, 0))}</text>"
        )
    every = max(1, math.ceil(FONT * 5 / slot))  # a 'T10/2024' label is about 5 font sizes wide
    for i, label in enumerate(kpi.month_labels):
        if (n - 1 - i) % every == 0:  # the latest month always has its label
            parts.append(
                f'<text x="{x(i):.1f}" y="{BOTTOM + 45}" fill="{SLIDE_SOFT}" font-size="{FONT}" text-anchor="middle">'
                f"{_e(label)}</text>"
            )
    ends: list[list[Any]] = []
    for _label, vals, colour, dashed in lines:
        runs: list[list[str]] = [[]]
        for i, val in enumerate(vals):
            if val is None:
                runs.append([])
            else:
                runs[-1].append(f"{x(i):.1f},{y(val):.1f}")
        dash = ' stroke-dasharray="14 10"' if dashed else ""
        for run in runs:
            if len(run) > 1:
                parts.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    f'stroke-width="{4 if dashed else 5}"{dash}/>'
                )
        if not dashed:
            for i, val in enumerate(vals):
                if val is not None:
                    parts.append(f'<circle cx="{x(i):.1f}" cy="{y(val):.1f}" r="8" fill="{colour}"/>')
            last = max((i for i, val in enumerate(vals) if val is not None), default=None)
            if last is not None:
                end = vals[last]
                assert end is not None
                ends.append([y(end) + 12, x(last) + 16, vf.fmt_pct(end), colour])
    # Labels at the last point of each line, pushed apart so that they never overlap.
    ends.sort()
    for a, b in itertools.pairwise(ends):
        if b[0] - a[0] < FONT + 2:
            b[0] = a[0] + FONT + 2
    for ly, lx, text, colour in ends:
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" fill="{colour}" font-size="{FONT}" font-weight="700" '
            f'text-anchor="start" paint-order="stroke" stroke="{SLIDE_BG}" stroke-width="6">{_e(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def chart_html(kpi: KpiSection) -> str:
    """The chart as an <img> of a data-URI SVG (st.html sanitises inline <svg> away),
    then its legend; nothing when the section has no rate to draw."""
    lines = _lines(kpi)
    values = chart_values(kpi.chart_lines())
    if not values:
        return ""
    data = base64.b64encode(_svg(kpi, lines, values).encode("utf-8")).decode("ascii")
    legend = "".join(
        f'<span><i class="{"dash" if dashed else ""}" style="border-color:{colour}"></i>{_e(label)}</span>'
        for label, _v, colour, dashed in lines
    )
    return (
        f'<img alt="{_e(kpi.title)} theo tháng" style="width:100%;display:block" '
        f'src="data:image/svg+xml;base64,{data}"/><div class="cchc-legend">{legend}</div>'
    )
