"""The conference deck as a PowerPoint file (16:9).

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
from metrics.reports import pptx_shapes as shapes
from metrics.reports.model import Deck
from metrics.reports.plan import SlideSpec, slide_plan
from metrics.reports.pptx_chart import line_chart
from metrics.reports.pptx_shapes import MARGIN, H, W
from metrics.reports.style import (
    FONT_FAMILY,
    INK,
    MUTED,
    NAVY,
    PALE,
    STATUS_COLOURS,
    TARGET_COLOUR,
    WHITE,
)
from metrics.reports.summary import summary_points


def _title_slide(prs: Any, deck: Deck, spec: SlideSpec, total: int) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    shapes.rect(slide, 0, 0, W, H, NAVY)
    shapes.rect(slide, MARGIN, Inches(2.55), Inches(1.4), Inches(0.08), "#F0B429")
    shapes.text(slide, MARGIN, Inches(1.2), W - 2 * MARGIN, Inches(1.3), deck.title, 40, True, WHITE)
    shapes.text(slide, MARGIN, Inches(2.9), W - 2 * MARGIN, Inches(0.8), deck.scope_label, 32, True, "#F0B429")
    shapes.text(slide, MARGIN, Inches(3.75), W - 2 * MARGIN, Inches(0.6), deck.period_text, 26, False, WHITE)
    shapes.text(
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
    shapes.text(
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
        22,
        False,
        MUTED,
        align=PP_ALIGN.CENTER,
    )


def _kpi_slide(prs: Any, deck: Deck, spec: SlideSpec, n: int, total: int) -> None:
    kpi = spec.kpi
    assert kpi is not None
    slide = shapes.frame(prs, deck, spec, n, total)
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
        shapes.rect(slide, MARGIN, y, card_w, card_h, PALE)
        shapes.rect(slide, MARGIN, y, Inches(0.12), card_h, colour)
        shapes.text(slide, MARGIN + Inches(0.2), y + Inches(0.04), Inches(2.0), Inches(0.4), tf.label, 15, True, INK)
        shapes.text(
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
        shapes.text(
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
        box.font.color.rgb = shapes.rgb(colour)
        box.font.bold = True
    # The same figures as a table, so they can be read and copied as text.
    rows = []
    colours = []
    for tf in figures:
        rows.append(tf.table_cells())
        colours.append([None, None, None, STATUS_COLOURS.get(tf.status), None, None, None])
    shapes.table(
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
    line_chart(
        slide, kpi, MARGIN + card_w + Inches(0.3), Inches(1.2), W - 2 * MARGIN - card_w - Inches(0.3), Inches(4.2)
    )


def _ranking_slide(prs: Any, deck: Deck, spec: SlideSpec, n: int, total: int) -> None:
    r = spec.ranking
    assert r is not None
    slide = shapes.frame(prs, deck, spec, n, total)
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
    shapes.table(
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
    slide = shapes.frame(prs, deck, spec, n, total)
    if not spec.below:
        shapes.text(
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
    shapes.table(
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
    slide = shapes.frame(prs, deck, spec, n, total)
    late = deck.late
    cards = [
        ("Tổng số hồ sơ trễ hạn", late.total),
        ("Đã giải quyết nhưng trễ hạn", late.resolved_late),
        ("Quá hạn, đang xử lý", late.open_overdue),
    ]
    for i, (label, value) in enumerate(cards):
        y = Inches(1.3) + i * Inches(1.25)
        shapes.rect(slide, MARGIN, y, Inches(3.6), Inches(1.1), PALE)
        shapes.text(slide, MARGIN + Inches(0.15), y + Inches(0.05), Inches(3.3), Inches(0.4), label, 15, False, INK)
        shapes.text(
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
    items = list(late.by_procedure[:8])
    data = CategoryChartData(number_format="#,##0")
    data.categories = [shapes.short(p.name, 60) for p in reversed(items)]
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
    series.format.fill.fore_color.rgb = shapes.rgb(TARGET_COLOUR)
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
        [shapes.short(p.name, 70), vf.fmt_int(p.dossiers), vf.fmt_pct(p.share), vf.fmt_pct(p.cumulative_share)]
        for p in late.by_unit[:4]
    ]
    if rows:
        shapes.table(
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
    slide = shapes.frame(prs, deck, spec, n, total)
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
        run.font.color.rgb = shapes.rgb(INK)


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
