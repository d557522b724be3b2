"""The monthly chart of a KPI slide as a native PowerPoint line chart (editable the night
before): a line per tier and the target line(s) from `KpiSection.chart_lines`, the axis
the PDF and the slides use, and vi-VN labels written as text on the last points (a
chart's own number format follows the viewer's locale)."""

from __future__ import annotations

import itertools
from typing import Any

from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.util import Pt

from metrics import vi_format as vf
from metrics.reports import pptx_shapes as shapes
from metrics.reports.figures import chart_values
from metrics.reports.model import KpiSection
from metrics.reports.style import FONT_FAMILY, SLIDE_MIN_PT, TARGET_COLOUR, axis_bounds, tier_colour


def line_chart(slide: Any, kpi: KpiSection, x: int, y: int, w: int, h: int) -> Any:
    """The trend: each tier's line, each target line only over the months it was in force
    (a None value leaves a gap), with the last rate of each tier written as vi-VN text."""
    data = CategoryChartData(number_format="0.00%")
    data.categories = list(kpi.month_labels)
    lines = kpi.chart_lines()
    for line in lines:
        data.add_series(line.label, list(line.values))
    styles = [(TARGET_COLOUR if line.shared_target else tier_colour(line.tier), line.is_target) for line in lines]
    values = chart_values(lines)
    gframe = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, x, y, w, h, data)
    chart = gframe.chart
    # 18 pt like every other word on a projected slide; the slide's title says what it is
    chart.font.size = Pt(SLIDE_MIN_PT)
    chart.font.name = FONT_FAMILY
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(SLIDE_MIN_PT)
    chart.has_title = False
    chart.category_axis.tick_labels.font.size = Pt(SLIDE_MIN_PT)
    if values:
        lo, hi, step = axis_bounds(values)
        axis = chart.value_axis
        axis.minimum_scale = lo
        axis.maximum_scale = hi
        axis.major_unit = step
        axis.tick_labels.number_format = "0%"
        axis.tick_labels.number_format_is_linked = False
        axis.tick_labels.font.size = Pt(SLIDE_MIN_PT)
        axis.has_major_gridlines = True
        axis.major_gridlines.format.line.color.rgb = shapes.rgb("#DDDDDD")
    for series, (colour, dashed) in zip(chart.plots[0].series, styles, strict=False):
        series.smooth = False
        line = series.format.line
        line.color.rgb = shapes.rgb(colour)
        line.width = Pt(2.25 if not dashed else 2)
        if dashed:
            line.dash_style = MSO_LINE_DASH_STYLE.DASH
            series.marker.style = XL_MARKER_STYLE.NONE
            continue
        series.marker.style = XL_MARKER_STYLE.CIRCLE
        series.marker.size = 7
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = shapes.rgb(colour)
    # vi-VN labels as text on the rate points (a chart's own format follows the viewer's locale).
    # Labels go on the last point of each line, and only when they cannot collide.
    lasts = sorted(next((v for v in reversed(s.rates) if v is not None), -1.0) for s in kpi.series)
    if values and any(b - a < 0.12 * (hi - lo) for a, b in itertools.pairwise(lasts)):
        return chart
    for s_idx, s in enumerate(kpi.series):
        idxs = [i for i, v in enumerate(s.rates) if v is not None]
        if not idxs:
            continue
        for i in idxs[-1:]:  # the last rate only: twelve labels a line would bury the trend
            dl = chart.plots[0].series[s_idx].points[i].data_label
            dl.has_text_frame = True
            dl.text_frame.text = vf.fmt_pct(s.rates[i])
            dl.position = XL_LABEL_POSITION.ABOVE
            run = dl.text_frame.paragraphs[0].runs[0]
            run.font.size = Pt(SLIDE_MIN_PT)
            run.font.bold = True
            run.font.color.rgb = shapes.rgb(tier_colour(s.tier))
    return chart
