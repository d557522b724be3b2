"""The monthly chart of the PDF report, drawn with fpdf2's own lines (no browser or image
toolchain): a line per tier and the dashed target line(s) from `KpiSection.chart_lines`,
on the axis the slides and the PowerPoint use, with vi-VN labels at the last points."""

from __future__ import annotations

import itertools
from typing import Any

from metrics import vi_format as vf
from metrics.reports import pdf_layout as layout
from metrics.reports.figures import chart_values
from metrics.reports.model import KpiSection
from metrics.reports.pdf_layout import FONT, ReportPDF
from metrics.reports.style import INK, MUTED, TARGET_COLOUR, axis_bounds, tier_colour


def line_chart(pdf: ReportPDF, kpi: KpiSection, x: float, y: float, w: float, h: float) -> None:
    """Monthly rates per tier with the target line(s) dashed, drawn with fpdf2 primitives."""
    pdf.set_font(FONT, "B", 9.5)
    layout.set_colour(pdf, INK)
    pdf.set_xy(x, y)
    pdf.cell(w, 5, f"{kpi.title} theo tháng")
    top = y + 7
    legend_h = 6
    left = x + 12
    bottom = y + h - 8 - legend_h
    right = x + w - 4
    chart = kpi.chart_lines()
    lines = [
        (c.label, list(c.values), TARGET_COLOUR if c.shared_target else tier_colour(c.tier), c.is_target) for c in chart
    ]
    values = chart_values(chart)
    if not values:
        return
    lo, hi, step = axis_bounds(values)

    def ypos(v: float) -> float:
        return bottom - (v - lo) / (hi - lo) * (bottom - top)

    n = len(kpi.months)
    slot = (right - left) / max(n, 1)

    def xpos(i: int) -> float:
        return left + slot * (i + 0.5)

    pdf.set_font(FONT, "", 7)
    layout.set_colour(pdf, MUTED)
    pdf.set_line_width(0.1)
    ticks = round((hi - lo) / step)
    for t in range(ticks + 1):
        v = lo + t * step
        layout.set_colour(pdf, "#E2E6EA", "draw")
        pdf.line(left, ypos(v), right, ypos(v))
        pdf.set_xy(x, ypos(v) - 2)
        pdf.cell(left - x - 1, 4, vf.fmt_pct(v, 0), align="R")
    every = 1 if n <= 12 else 2
    for i, label in enumerate(kpi.month_labels):
        if i % every == 0:
            pdf.set_xy(xpos(i) - slot * every / 2, bottom + 1)
            pdf.cell(slot * every, 4, label, align="C")
    layout.set_colour(pdf, "#9AA5B1", "draw")
    pdf.line(left, bottom, right, bottom)
    end_labels: list[list[Any]] = []
    for _label, vals, colour, dashed in lines:
        layout.set_colour(pdf, colour, "draw")
        layout.set_colour(pdf, colour, "fill")
        pdf.set_line_width(0.45 if not dashed else 0.4)
        if dashed:
            pdf.set_dash_pattern(dash=1.6, gap=1.1)
        run: list[tuple[float, float]] = []
        for i, value in enumerate(vals):
            if value is None:
                if len(run) > 1:
                    pdf.polyline(run)
                run = []
                continue
            run.append((xpos(i), ypos(value)))
        if len(run) > 1:
            pdf.polyline(run)
        pdf.set_dash_pattern()
        if not dashed:
            for i, value in enumerate(vals):
                if value is not None:
                    pdf.circle(xpos(i), ypos(value), 0.8, style="F")
            last = max((i for i, value in enumerate(vals) if value is not None), default=None)
            last_value = vals[last] if last is not None else None
            if last is not None and last_value is not None:
                end_labels.append([ypos(last_value) - 4.5, xpos(last), vf.fmt_pct(last_value), colour])
    # Labels at the last point of each line, pushed apart so that they never overlap.
    end_labels.sort()
    for a, b in itertools.pairwise(end_labels):
        if b[0] - a[0] < 3.2:
            b[0] = a[0] + 3.2
    pdf.set_font(FONT, "B", 6.5)
    for ly_, lx_, text, colour in end_labels:
        layout.set_colour(pdf, colour)
        pdf.set_xy(lx_ - 12, ly_)
        pdf.cell(24, 3, text, align="C")
    pdf.set_line_width(0.2)
    # Legend
    lx = left
    ly = y + h - legend_h
    pdf.set_font(FONT, "", 7)
    for label, _vals, colour, dashed in lines:
        layout.set_colour(pdf, colour, "draw")
        pdf.set_line_width(0.5)
        if dashed:
            pdf.set_dash_pattern(dash=1.2, gap=0.8)
        pdf.line(lx, ly + 2, lx + 6, ly + 2)
        pdf.set_dash_pattern()
        layout.set_colour(pdf, INK)
        width = pdf.get_string_width(label) + 3
        pdf.set_xy(lx + 7, ly)
        pdf.cell(width, 4, label)
        lx += 7 + width + 2
        if lx > right - 30:
            lx = left
            ly += 4
    pdf.set_line_width(0.2)
    layout.set_colour(pdf, INK)
