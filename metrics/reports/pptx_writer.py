"""The conference deck as a PowerPoint file (16:9), typeset for the back of a hall:
nothing smaller than 18 pt, titles at 28 pt or more.

Charts are native PowerPoint charts, so the secretary can restyle them or change a label
the night before; every rate is also written as text in vi-VN form (`97,18%`), since a
chart's number format follows the viewer's locale. The written summary sits in the speaker
notes. Layout only: every figure and sentence comes from the Deck.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches, Pt

from metrics import vi_format as vf
from metrics.reports import pptx_lists
from metrics.reports import pptx_shapes as shapes
from metrics.reports.model import Deck
from metrics.reports.plan import SlideSpec, slide_plan
from metrics.reports.pptx_chart import line_chart
from metrics.reports.pptx_shapes import BOTTOM, MARGIN, TOP, H, W
from metrics.reports.style import (
    FONT_FAMILY,
    INK,
    MUTED,
    NAVY,
    PALE,
    SLIDE_MIN_PT,
    STATUS_COLOURS,
    TARGET_COLOUR,
    WHITE,
)
from metrics.reports.summary import summary_points

SOFT = "#D6E4F0"
GOLD = "#F0B429"


def _title_slide(prs: Any, deck: Deck, spec: SlideSpec, total: int) -> None:
    """Whose deck (issuing body, meeting), what (title, scope, period), how current the
    data is, and, when it is old or incomplete, one sentence that says so."""
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    shapes.rect(slide, 0, 0, W, H, NAVY)
    width = W - 2 * MARGIN
    if deck.owner:
        shapes.text(slide, MARGIN, Inches(0.35), width, Inches(0.45), deck.owner.upper(), 22, True, SOFT)
    title = shapes.text(slide, MARGIN, Inches(0.9), width, Inches(1.1), deck.title, 36, True, WHITE)
    title.name = "title"
    shapes.rect(slide, MARGIN, Inches(2.0), Inches(1.4), Inches(0.08), GOLD)
    if deck.meeting_text:
        shapes.text(slide, MARGIN, Inches(2.15), width, Inches(0.5), deck.meeting_text, 24, False, WHITE)
    shapes.text(slide, MARGIN, Inches(2.7), width, Inches(0.6), deck.scope_label, 32, True, GOLD)
    shapes.text(slide, MARGIN, Inches(3.3), width, Inches(0.5), deck.period_text, 26, False, WHITE)
    shapes.text(
        slide,
        MARGIN,
        Inches(3.85),
        width,
        Inches(0.4),
        f"{deck.data_as_of_text} · {vf.fmt_int(deck.dossiers_in_db)} hồ sơ trong cơ sở dữ liệu",
        SLIDE_MIN_PT,
        False,
        SOFT,
    )
    y = int(Inches(4.4))
    if deck.data_warning:
        box = shapes.rect(slide, MARGIN, y, width, Inches(1.2), "#5C3B00", line=GOLD)
        box.name = "data-warning"
        shapes.text(
            slide,
            MARGIN + Inches(0.15),
            y + Inches(0.08),
            width - Inches(0.3),
            Inches(1.05),
            deck.data_warning,
            20,
            True,
            "#FFE8A3",
        )
        y += Inches(1.35)
    if deck.target_source:
        text = f"Chỉ tiêu theo: {deck.target_source}"
        shapes.text(slide, MARGIN, y, width, Inches(0.8), text, SLIDE_MIN_PT, False, SOFT)
    shapes.text(
        slide,
        MARGIN,
        H - Inches(0.5),
        width,
        Inches(0.4),
        f"Lập lúc {vf.fmt_datetime(deck.generated_at)} từ hệ thống theo dõi chỉ số CCHC · 1/{total}",
        SLIDE_MIN_PT,
        False,
        "#AFC4D8",
    )
    if spec.notes:
        slide.notes_slide.notes_text_frame.text = spec.notes


def _empty_slide(prs: Any, deck: Deck, spec: SlideSpec, n: int, total: int) -> None:
    slide = shapes.frame(prs, deck, spec, n, total)
    shapes.text(
        slide, MARGIN, Inches(2.4), W - 2 * MARGIN, Inches(1.2), spec.title, 44, True, INK, align=PP_ALIGN.CENTER
    )
    shapes.text(
        slide,
        MARGIN,
        Inches(3.7),
        W - 2 * MARGIN,
        Inches(1.4),
        f"{deck.scope_label} không có hồ sơ nào được tiếp nhận hoặc giải quyết trong kỳ {deck.period_label}.\n"
        f"{deck.data_as_of_text}.",
        24,
        False,
        MUTED,
        align=PP_ALIGN.CENTER,
    )


def _kpi_slide(prs: Any, deck: Deck, spec: SlideSpec, n: int, total: int) -> None:
    """Cards (one per tier, the whole scope first) beside the 12-month trend, over a table
    of the same figures that can be read and copied as text."""
    kpi = spec.kpi
    assert kpi is not None
    slide = shapes.frame(prs, deck, spec, n, total)
    figures = [kpi.total, *kpi.tiers] if len(kpi.tiers) > 1 else [kpi.total]
    row_h = 0.45
    table_top = BOTTOM - Inches(row_h * (len(figures) + 1))
    card_w = Inches(4.2)
    gap = Inches(0.1)
    card_h = min(Inches(1.1), int((table_top - TOP - Inches(0.15) - gap * (len(figures) - 1)) / len(figures)))
    for i, tf in enumerate(figures):
        y = TOP + i * (card_h + gap)
        colour = STATUS_COLOURS.get(tf.status, MUTED)
        shapes.rect(slide, MARGIN, y, card_w, card_h, PALE)
        shapes.rect(slide, MARGIN, y, Inches(0.12), card_h, colour)
        shapes.text(slide, MARGIN + Inches(0.2), y, Inches(2.3), Inches(0.42), tf.label, SLIDE_MIN_PT, True, INK)
        shapes.text(
            slide,
            MARGIN + Inches(0.2),
            y + Inches(0.36),
            Inches(2.3),
            Inches(0.4),
            tf.status,
            SLIDE_MIN_PT,
            True,
            colour,
        )
        shapes.text(
            slide,
            MARGIN + Inches(2.3),
            y,
            Inches(1.85),
            card_h,
            tf.figure.rate_text,
            32,
            True,
            INK,
            align=PP_ALIGN.RIGHT,
            anchor=MSO_ANCHOR.MIDDLE,
        )
    colours: list[list[str | None]] = [
        [None, None, None, STATUS_COLOURS.get(tf.status), None, None, None] for tf in figures
    ]
    shapes.table(
        slide,
        MARGIN,
        table_top,
        W - 2 * MARGIN,
        ["Cấp", "Tỷ lệ", "Chỉ tiêu", "Đánh giá", f"So với {deck.previous_label or 'kỳ trước'}", "Tử số", "Mẫu số"],
        [tf.table_cells() for tf in figures],
        [2.0, 1.4, 1.3, 2.9, 2.1, 1.4, 1.4],
        row_h=row_h,
        colours=colours,
        right_from=1,
    )
    x = MARGIN + card_w + Inches(0.2)
    line_chart(slide, kpi, x, TOP - Inches(0.1), W - MARGIN - x, table_top - TOP - Inches(0.05))


def _late_slide(prs: Any, deck: Deck, spec: SlideSpec, n: int, total: int) -> None:
    slide = shapes.frame(prs, deck, spec, n, total)
    late = deck.late
    cards = [
        ("Tổng số hồ sơ trễ hạn", late.total),
        ("Đã giải quyết nhưng trễ hạn", late.resolved_late),
        ("Quá hạn, đang xử lý", late.open_overdue),
    ]
    for i, (label, value) in enumerate(cards):
        y = TOP + i * Inches(1.3)
        shapes.rect(slide, MARGIN, y, Inches(3.6), Inches(1.15), PALE)
        shapes.text(
            slide, MARGIN + Inches(0.15), y + Inches(0.03), Inches(3.3), Inches(0.4), label, SLIDE_MIN_PT, False, INK
        )
        shapes.text(
            slide,
            MARGIN + Inches(0.15),
            y + Inches(0.42),
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
        shapes.text(
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
    items = list(late.by_procedure[:5])
    data = CategoryChartData(number_format="#,##0")
    data.categories = [shapes.short(p.name, 38) for p in reversed(items)]
    data.add_series("Số hồ sơ trễ hạn", [p.dossiers for p in reversed(items)])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, x, TOP - Inches(0.1), width, Inches(3.3), data).chart
    chart.font.size = Pt(SLIDE_MIN_PT)
    chart.font.name = FONT_FAMILY
    chart.has_legend = False
    chart.has_title = False
    plot = chart.plots[0]
    plot.gap_width = 50
    series = plot.series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = shapes.rgb(TARGET_COLOUR)
    for i, p in enumerate(reversed(items)):
        dl = series.points[i].data_label
        dl.has_text_frame = True
        dl.text_frame.text = vf.fmt_int(p.dossiers)
        dl.text_frame.paragraphs[0].runs[0].font.size = Pt(SLIDE_MIN_PT)
        dl.position = XL_LABEL_POSITION.OUTSIDE_END
    chart.value_axis.visible = False
    chart.value_axis.has_major_gridlines = False
    rows = [[shapes.short(p.name, 40), vf.fmt_int(p.dossiers), vf.fmt_pct(p.share)] for p in late.by_unit[:3]]
    if rows and not deck.unit:
        shapes.table(
            slide,
            x,
            BOTTOM - Inches(0.45 * (len(rows) + 1)),
            width,
            ["Đơn vị có nhiều hồ sơ trễ hạn", "Số hồ sơ", "Tỷ trọng"],
            rows,
            [5.0, 1.4, 1.4],
            right_from=1,
        )


def _summary_slide(prs: Any, deck: Deck, spec: SlideSpec, n: int, total: int) -> None:
    slide = shapes.frame(prs, deck, spec, n, total)
    points = summary_points(deck)
    length = sum(len(s) for s in points)
    size = 24 if length < 500 else 22 if length < 650 else 20 if length < 800 else SLIDE_MIN_PT
    box = slide.shapes.add_textbox(MARGIN, TOP, W - 2 * MARGIN, BOTTOM - TOP)
    tf = box.text_frame
    tf.word_wrap = True
    for i, sentence in enumerate(points):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.space_after = Pt(14)
        run = p.add_run()
        run.text = "▪ " + sentence
        run.font.size = Pt(size)
        run.font.name = FONT_FAMILY
        run.font.color.rgb = shapes.rgb(INK)


RENDERERS = {
    "empty": _empty_slide,
    "kpi": _kpi_slide,
    "ranking": pptx_lists.ranking_slide,
    "below": pptx_lists.below_slide,
    "late": _late_slide,
    "budget": pptx_lists.table_slide,
    "scores": pptx_lists.table_slide,
    "bieu06": pptx_lists.bieu06_slide,
    "summary": _summary_slide,
}


def write_pptx(deck: Deck, out: str | Path | io.BytesIO) -> None:
    prs = Presentation()
    prs.slide_width, prs.slide_height = W, H
    core = prs.core_properties
    core.title = f"{deck.title} – {deck.scope_label} – {deck.period_label}"
    core.subject = deck.period_text
    core.author = deck.owner or "Hệ thống theo dõi chỉ số CCHC"
    plan = slide_plan(deck)
    for n, spec in enumerate(plan, start=1):
        if spec.kind == "title":
            _title_slide(prs, deck, spec, len(plan))
        else:
            RENDERERS[spec.kind](prs, deck, spec, n, len(plan))
    prs.save(out if isinstance(out, io.BytesIO) else str(out))
