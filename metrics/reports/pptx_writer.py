"""The conference deck as a PowerPoint file (16:9).

Charts are native PowerPoint charts, so the secretary can restyle them or change a label
the night before; every rate is also written as text in vi-VN form (`97,18%`), since a
chart's number format follows the viewer's locale. The written summary sits in the speaker
notes. Layout only: every figure and sentence comes from the Deck.
"""

from __future__ import annotations

import io
import itertools
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from metrics import vi_format as vf
from metrics.reports.figures import chart_values
from metrics.reports.model import Deck, KpiSection
from metrics.reports.plan import SlideSpec, slide_plan
from metrics.reports.style import (
    FONT_FAMILY,
    INK,
    MUTED,
    NAVY,
    PALE,
    STATUS_COLOURS,
    TARGET_COLOUR,
    WHITE,
    axis_bounds,
    tier_colour,
)
from metrics.reports.summary import summary_points

W, H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _text(
    slide: Any,
    x: int,
    y: int,
    w: int,
    h: int,
    text: str,
    size: int = 18,
    bold: bool = False,
    colour: str = INK,
    align: Any = PP_ALIGN.LEFT,
    anchor: Any = MSO_ANCHOR.TOP,
    wrap: bool = True,
) -> Any:
    box = slide.shapes.add_textbox(x, y, w, h)
    tf = box.text_frame
    tf.word_wrap = wrap
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = Inches(0.05)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = align
        run = p.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = FONT_FAMILY
        run.font.color.rgb = _rgb(colour)
    return box


def _rect(slide: Any, x: int, y: int, w: int, h: int, fill: str, line: str | None = None) -> Any:
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, x, y, w, h)
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(fill)
    if line:
        shape.line.color.rgb = _rgb(line)
        shape.line.width = Pt(1)
    else:
        shape.line.fill.background()
    shape.shadow.inherit = False
    return shape


def _frame(prs: Any, deck: Deck, spec: SlideSpec, number: int, total: int) -> Any:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _rect(slide, 0, 0, W, Inches(1.05), NAVY)
    _text(slide, MARGIN, Inches(0.12), W - 2 * MARGIN, Inches(0.55), spec.title, 28, True, WHITE)
    if spec.subtitle:
        _text(slide, MARGIN, Inches(0.62), W - 2 * MARGIN, Inches(0.4), spec.subtitle, 14, False, "#D6E4F0")
    _text(slide, MARGIN, H - Inches(0.42), W - Inches(2.2), Inches(0.35), deck.footer_text, 11, False, MUTED)
    _text(
        slide,
        W - Inches(1.6),
        H - Inches(0.42),
        Inches(1.1),
        Inches(0.35),
        f"{number}/{total}",
        11,
        False,
        MUTED,
        align=PP_ALIGN.RIGHT,
    )
    if spec.notes:
        slide.notes_slide.notes_text_frame.text = spec.notes
    return slide


def _table(
    slide: Any,
    x: int,
    y: int,
    w: int,
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    size: int = 14,
    row_h: float = 0.38,
    colours: list[list[str | None]] | None = None,
    right_from: int = 2,
) -> Any:
    shape = slide.shapes.add_table(len(rows) + 1, len(header), x, y, w, Inches(row_h * (len(rows) + 1)))
    table = shape.table
    total_w = sum(widths)
    for i, wd in enumerate(widths):
        table.columns[i].width = Emu(int(w * wd / total_w))
    for r in range(len(rows) + 1):
        table.rows[r].height = Inches(row_h)
    for c, label in enumerate(header):
        cell = table.cell(0, c)
        cell.fill.solid()
        cell.fill.fore_color.rgb = _rgb(NAVY)
        _cell_text(cell, label, size, True, WHITE, PP_ALIGN.RIGHT if c >= right_from else PP_ALIGN.LEFT)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(WHITE if r % 2 else PALE)
            colour = (colours[r - 1][c] if colours else None) or INK
            _cell_text(cell, value, size, False, colour, PP_ALIGN.RIGHT if c >= right_from else PP_ALIGN.LEFT)
    return table


def _cell_text(cell: Any, text: str, size: int, bold: bool, colour: str, align: Any) -> None:
    cell.margin_left = cell.margin_right = Inches(0.06)
    cell.margin_top = cell.margin_bottom = Inches(0.02)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    tf = cell.text_frame
    tf.word_wrap = True
    p = tf.paragraphs[0]
    p.alignment = align
    run = p.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT_FAMILY
    run.font.color.rgb = _rgb(colour)


def _title_slide(prs: Any, deck: Deck, spec: SlideSpec, total: int) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _rect(slide, 0, 0, W, H, NAVY)
    _rect(slide, MARGIN, Inches(2.55), Inches(1.4), Inches(0.08), "#F0B429")
    _text(slide, MARGIN, Inches(1.2), W - 2 * MARGIN, Inches(1.3), deck.title, 40, True, WHITE)
    _text(slide, MARGIN, Inches(2.9), W - 2 * MARGIN, Inches(0.8), deck.scope_label, 32, True, "#F0B429")
    _text(slide, MARGIN, Inches(3.75), W - 2 * MARGIN, Inches(0.6), deck.period_text, 26, False, WHITE)
    _text(
        slide,
        MARGIN,
        Inches(4.5),
        W - 2 * MARGIN,
        Inches(0.5),
        f"{deck.data_as_of_text} · {vf.fmt_int(deck.dossiers_in_db)} hồ sơ trong cơ sở dữ liệu",
        18,
        False,
        "#D6E4F0",
    )
    _text(
        slide,
        MARGIN,
        H - Inches(0.8),
        W - 2 * MARGIN,
        Inches(0.4),
        f"Lập lúc {vf.fmt_datetime(deck.generated_at)} từ hệ thống theo dõi chỉ số CCHC",
        12,
        False,
        "#AFC4D8",
    )
    if spec.notes:
        slide.notes_slide.notes_text_frame.text = spec.notes


def _empty_slide(prs: Any, deck: Deck, spec: SlideSpec, n: int, total: int) -> None:
    slide = _frame(prs, deck, spec, n, total)
    _text(slide, MARGIN, Inches(2.4), W - 2 * MARGIN, Inches(1.2), spec.title, 44, True, INK, align=PP_ALIGN.CENTER)
    _text(
        slide,
        MARGIN,
        Inches(3.7),
        W - 2 * MARGIN,
        Inches(1.4),
        f"{deck.scope_label} không có hồ sơ nào được tiếp nhận hoặc giải quyết trong kỳ {deck.period_label}.\n"
        f"{deck.data_as_of_text}.",
        22,
        False,
        MUTED,
        align=PP_ALIGN.CENTER,
    )


def _kpi_slide(prs: Any, deck: Deck, spec: SlideSpec, n: int, total: int) -> None:
    kpi = spec.kpi
    assert kpi is not None
    slide = _frame(prs, deck, spec, n, total)
    figures = list(kpi.tiers) if len(kpi.tiers) > 1 else [kpi.total]
    if len(kpi.tiers) > 1:
        figures = [kpi.total, *kpi.tiers]
    # Big numbers: one card per tier (and the whole scope first when there are several).
    card_w = Inches(4.3)
    top = Inches(1.3)
    card_h = min(Inches(1.3), int((Inches(4.1) - Inches(0.12) * (len(figures) - 1)) / max(len(figures), 1)))
    for i, tf in enumerate(figures):
        y = top + i * (card_h + Inches(0.12))
        colour = STATUS_COLOURS.get(tf.status, MUTED)
        _rect(slide, MARGIN, y, card_w, card_h, PALE)
        _rect(slide, MARGIN, y, Inches(0.12), card_h, colour)
        _text(slide, MARGIN + Inches(0.2), y + Inches(0.04), Inches(2.0), Inches(0.4), tf.label, 15, True, INK)
        _text(
            slide,
            MARGIN + Inches(0.2),
            y + Inches(0.38),
            Inches(2.3),
            card_h - Inches(0.4),
            tf.figure.rate_text,
            36 if card_h >= Inches(1.0) else 30,
            True,
            INK,
            anchor=MSO_ANCHOR.MIDDLE,
        )
        _text(
            slide,
            MARGIN + Inches(2.45),
            y + Inches(0.08),
            Inches(1.8),
            card_h - Inches(0.1),
            (f"Chỉ tiêu {tf.figure.target_text}" if tf.figure.target is not None else "Chỉ tiêu theo cấp")
            + f"\n{tf.status if tf.figure.target is not None else ''}\n{tf.figure.counts_text} hồ sơ",
            12,
            False,
            INK,
            align=PP_ALIGN.RIGHT,
        )
        # Status word in its colour (the colour never stands alone).
        box = slide.shapes[-1].text_frame.paragraphs[1].runs[0]
        box.font.color.rgb = _rgb(colour)
        box.font.bold = True
    # The same figures as a table, so they can be read and copied as text.
    rows = []
    colours = []
    for tf in figures:
        rows.append(tf.table_cells())
        colours.append([None, None, None, STATUS_COLOURS.get(tf.status), None, None, None])
    _table(
        slide,
        MARGIN,
        Inches(5.55),
        W - 2 * MARGIN,
        [
            "Cấp",
            "Tỷ lệ",
            "Chỉ tiêu",
            "Đánh giá",
            f"So với {deck.previous_label or 'kỳ trước'}",
            kpi.numerator_label,
            kpi.denominator_label,
        ],
        rows,
        [1.6, 1.0, 0.9, 1.1, 1.6, 1.5, 1.5],
        size=11,
        row_h=0.27,
        colours=colours,
        right_from=1,
    )
    _line_chart(
        slide, kpi, MARGIN + card_w + Inches(0.3), Inches(1.2), W - 2 * MARGIN - card_w - Inches(0.3), Inches(4.2)
    )


def _line_chart(slide: Any, kpi: KpiSection, x: int, y: int, w: int, h: int) -> Any:
    data = CategoryChartData(number_format="0.00%")
    data.categories = list(kpi.month_labels)
    lines = kpi.chart_lines()
    for line in lines:
        data.add_series(line.label, list(line.values))
    styles = [(TARGET_COLOUR if line.shared_target else tier_colour(line.tier), line.is_target) for line in lines]
    values = chart_values(lines)
    gframe = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, x, y, w, h, data)
    chart = gframe.chart
    chart.font.size = Pt(12)
    chart.font.name = FONT_FAMILY
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.has_title = True
    chart.chart_title.text_frame.text = "Diễn biến theo tháng và chỉ tiêu"
    chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
    if values:
        lo, hi, step = axis_bounds(values)
        axis = chart.value_axis
        axis.minimum_scale = lo
        axis.maximum_scale = hi
        axis.major_unit = step
        axis.tick_labels.number_format = "0%"
        axis.tick_labels.number_format_is_linked = False
        axis.has_major_gridlines = True
        axis.major_gridlines.format.line.color.rgb = _rgb("#DDDDDD")
    label_every = len(kpi.months) <= 4 and len(kpi.series) == 1
    for series, (colour, dashed) in zip(chart.plots[0].series, styles, strict=False):
        series.smooth = False
        line = series.format.line
        line.color.rgb = _rgb(colour)
        line.width = Pt(2.25 if not dashed else 2)
        if dashed:
            line.dash_style = MSO_LINE_DASH_STYLE.DASH
            series.marker.style = XL_MARKER_STYLE.NONE
            continue
        series.marker.style = XL_MARKER_STYLE.CIRCLE
        series.marker.size = 7
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = _rgb(colour)
    # vi-VN labels as text on the rate points (a chart's own format follows the viewer's locale).
    # Labels go on the last point of each line, and only when they cannot collide.
    lasts = sorted(next((v for v in reversed(s.rates) if v is not None), -1.0) for s in kpi.series)
    if values and any(b - a < 0.12 * (hi - lo) for a, b in itertools.pairwise(lasts)):
        return chart
    for s_idx, s in enumerate(kpi.series):
        idxs = [i for i, v in enumerate(s.rates) if v is not None]
        if not idxs:
            continue
        chosen = idxs if label_every else [idxs[-1]]
        for i in chosen:
            dl = chart.plots[0].series[s_idx].points[i].data_label
            dl.has_text_frame = True
            dl.text_frame.text = vf.fmt_pct(s.rates[i])
            dl.position = XL_LABEL_POSITION.ABOVE
            run = dl.text_frame.paragraphs[0].runs[0]
            run.font.size = Pt(11)
            run.font.bold = True
            run.font.color.rgb = _rgb(tier_colour(s.tier))
    return chart


def _ranking_slide(prs: Any, deck: Deck, spec: SlideSpec, n: int, total: int) -> None:
    r = spec.ranking
    assert r is not None
    slide = _frame(prs, deck, spec, n, total)
    rows: list[list[str]] = []
    colours: list[list[str | None]] = []
    for u in spec.units:
        if u is None:
            rows.append(
                ["", f"… {vf.fmt_int(spec.hidden)} đơn vị ở giữa bảng (xem báo cáo PDF/Excel)", "", "", "", "", ""]
            )
            colours.append([None, MUTED, None, None, None, None, None])
            continue
        rank = str(u.rank) if u.rank is not None else "—"
        name = u.unit_name + (" (ít hồ sơ)" if u.small else "")
        if deck.unit and u.unit_code == str(deck.unit):
            name = "► " + name
        gap = u.figure.gap
        rows.append(
            [
                rank,
                name,
                u.figure.counts_text,
                u.figure.rate_text,
                u.figure.target_text,
                vf.fmt_pp(gap) if gap is not None else vf.DASH,
                u.figure.status,
            ]
        )
        colours.append([None, None, None, None, None, None, STATUS_COLOURS.get(u.figure.status)])
    _table(
        slide,
        MARGIN,
        Inches(1.3),
        W - 2 * MARGIN,
        ["Hạng", "Đơn vị", "Tử số/Mẫu số", "Tỷ lệ", "Chỉ tiêu", "Chênh lệch", "Đánh giá"],
        rows,
        [0.6, 4.6, 1.5, 1.0, 0.9, 1.3, 1.1],
        size=14,
        row_h=0.4,
        colours=colours,
        right_from=2,
    )


def _below_slide(prs: Any, deck: Deck, spec: SlideSpec, n: int, total: int) -> None:
    slide = _frame(prs, deck, spec, n, total)
    if not spec.below:
        _text(
            slide,
            MARGIN,
            Inches(2.8),
            W - 2 * MARGIN,
            Inches(1.2),
            "Không có đơn vị nào chưa đạt chỉ tiêu trong kỳ.",
            32,
            True,
            STATUS_COLOURS["Đạt"],
            align=PP_ALIGN.CENTER,
        )
        return
    rows = [
        [
            b.tier_label,
            b.unit_name + (" (ít hồ sơ)" if b.small else ""),
            b.figure.rate_text,
            b.figure.target_text,
            vf.fmt_pp(b.figure.gap),
            b.needed_text,
        ]
        for b in spec.below
    ]
    if spec.hidden:
        rows.append(["", f"… và {vf.fmt_int(spec.hidden)} đơn vị khác (xem báo cáo PDF/Excel)", "", "", "", ""])
    _table(
        slide,
        MARGIN,
        Inches(1.3),
        W - 2 * MARGIN,
        ["Cấp", "Đơn vị", "Tỷ lệ", "Chỉ tiêu", "Chênh lệch", "Để đạt chỉ tiêu"],
        rows,
        [1.1, 4.6, 1.1, 1.0, 1.5, 3.0],
        size=14,
        row_h=0.4,
        right_from=2,
    )


def _late_slide(prs: Any, deck: Deck, spec: SlideSpec, n: int, total: int) -> None:
    slide = _frame(prs, deck, spec, n, total)
    late = deck.late
    cards = [
        ("Tổng số hồ sơ trễ hạn", late.total),
        ("Đã giải quyết nhưng trễ hạn", late.resolved_late),
        ("Quá hạn, đang xử lý", late.open_overdue),
    ]
    for i, (label, value) in enumerate(cards):
        y = Inches(1.3) + i * Inches(1.25)
        _rect(slide, MARGIN, y, Inches(3.6), Inches(1.1), PALE)
        _text(slide, MARGIN + Inches(0.15), y + Inches(0.05), Inches(3.3), Inches(0.4), label, 15, False, INK)
        _text(
            slide,
            MARGIN + Inches(0.15),
            y + Inches(0.4),
            Inches(3.3),
            Inches(0.65),
            vf.fmt_int(value),
            34,
            True,
            STATUS_COLOURS["Chưa đạt"] if value else STATUS_COLOURS["Đạt"],
        )
    x = MARGIN + Inches(3.9)
    width = W - x - MARGIN
    if not late.by_procedure:
        _text(
            slide,
            x,
            Inches(2.5),
            width,
            Inches(1.0),
            "Không có hồ sơ trễ hạn trong kỳ.",
            28,
            True,
            STATUS_COLOURS["Đạt"],
            align=PP_ALIGN.CENTER,
        )
        return
    items = list(late.by_procedure[:8])
    data = CategoryChartData(number_format="#,##0")
    data.categories = [_short(p.name, 60) for p in reversed(items)]
    data.add_series("Số hồ sơ trễ hạn", [p.dossiers for p in reversed(items)])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, x, Inches(1.2), width, Inches(3.6), data).chart
    chart.font.size = Pt(11)
    chart.font.name = FONT_FAMILY
    chart.has_legend = False
    chart.has_title = True
    chart.chart_title.text_frame.text = "Thủ tục có nhiều hồ sơ trễ hạn nhất"
    chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
    plot = chart.plots[0]
    plot.gap_width = 60
    series = plot.series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = _rgb(TARGET_COLOUR)
    for i, p in enumerate(reversed(items)):
        dl = series.points[i].data_label
        dl.has_text_frame = True
        share = f" ({vf.fmt_pct(p.share)})" if p.share is not None else ""
        dl.text_frame.text = f"{vf.fmt_int(p.dossiers)}{share}"
        dl.position = XL_LABEL_POSITION.OUTSIDE_END
    chart.value_axis.has_major_gridlines = False
    chart.value_axis.tick_labels.number_format = "#,##0"
    chart.value_axis.tick_labels.number_format_is_linked = False
    rows = [
        [_short(p.name, 70), vf.fmt_int(p.dossiers), vf.fmt_pct(p.share), vf.fmt_pct(p.cumulative_share)]
        for p in late.by_unit[:4]
    ]
    if rows:
        _table(
            slide,
            x,
            Inches(4.95),
            width,
            ["Đơn vị có nhiều hồ sơ trễ hạn", "Số hồ sơ", "Tỷ trọng", "Lũy kế"],
            rows,
            [5.0, 1.0, 1.0, 1.0],
            size=11,
            row_h=0.3,
            right_from=1,
        )


def _summary_slide(prs: Any, deck: Deck, spec: SlideSpec, n: int, total: int) -> None:
    slide = _frame(prs, deck, spec, n, total)
    points = summary_points(deck)
    length = sum(len(s) for s in points)
    size = 22 if length < 600 else 20 if length < 800 else 18 if length < 1000 else 16
    box = slide.shapes.add_textbox(MARGIN, Inches(1.4), W - 2 * MARGIN, Inches(5.5))
    tf = box.text_frame
    tf.word_wrap = True
    for i, sentence in enumerate(points):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.space_after = Pt(14)
        run = p.add_run()
        run.text = "▪ " + sentence
        run.font.size = Pt(size)
        run.font.name = FONT_FAMILY
        run.font.color.rgb = _rgb(INK)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


RENDERERS = {
    "empty": _empty_slide,
    "kpi": _kpi_slide,
    "ranking": _ranking_slide,
    "below": _below_slide,
    "late": _late_slide,
    "summary": _summary_slide,
}


def write_pptx(deck: Deck, out: str | Path | io.BytesIO) -> None:
    prs = Presentation()
    prs.slide_width, prs.slide_height = W, H
    core = prs.core_properties
    core.title = f"{deck.title} – {deck.scope_label} – {deck.period_label}"
    core.subject = deck.period_text
    core.author = "Hệ thống theo dõi chỉ số CCHC"
    plan = slide_plan(deck)
    for n, spec in enumerate(plan, start=1):
        if spec.kind == "title":
            _title_slide(prs, deck, spec, len(plan))
        else:
            RENDERERS[spec.kind](prs, deck, spec, n, len(plan))
    prs.save(out if isinstance(out, io.BytesIO) else str(out))
