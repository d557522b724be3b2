"""The PowerPoint slides that list units, at 18 pt for the back of a hall: a ranking page
(every unit, in order, with the target line and the units under it tinted), the units
below target, and a page of Biểu 06 under the form's two-level heading."""

from __future__ import annotations

from typing import Any

from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches

from metrics import vi_format as vf
from metrics.reports import bieu06
from metrics.reports import pptx_shapes as shapes
from metrics.reports.model import Deck
from metrics.reports.plan import SlideSpec
from metrics.reports.pptx_shapes import BOTTOM, MARGIN, TOP, W
from metrics.reports.style import (
    BELOW_FILL,
    INK,
    MUTED,
    NAVY,
    PALE,
    SLIDE_MIN_PT,
    STATUS_COLOURS,
    TARGET_COLOUR,
    WHITE,
)


def ranking_slide(prs: Any, deck: Deck, spec: SlideSpec, n: int, total: int) -> None:
    slide = shapes.frame(prs, deck, spec, n, total)
    rows: list[list[str]] = []
    colours: list[list[str | None]] = []
    fills: list[str | None] = []
    bold: set[int] = set()
    for u in spec.units:
        if u is None:
            bold.add(len(rows))
            rows.append([f"▼ {spec.target_text}: các đơn vị dưới đường này chưa đạt"])
            colours.append([TARGET_COLOUR])
            fills.append("#FFF4E5")
            continue
        name = u.unit_name + (" (ít hồ sơ)" if u.small else "")
        if deck.unit and u.unit_code == str(deck.unit):
            name = "► " + name
            bold.add(len(rows))
        gap = u.figure.gap
        rows.append(
            [
                u.rank_text,
                name,
                u.figure.counts_text,
                u.figure.rate_text,
                u.figure.target_text,
                vf.fmt_pp(gap) if gap is not None else vf.DASH,
                u.figure.status,
            ]
        )
        below = u.figure.meets_target is False
        colours.append([MUTED if u.history else None, *[None] * 5, STATUS_COLOURS.get(u.figure.status)])
        fills.append(BELOW_FILL if below else None)
    shapes.table(
        slide,
        MARGIN,
        TOP,
        W - 2 * MARGIN,
        ["Hạng", "Đơn vị", "Tử số/Mẫu số", "Tỷ lệ", "Chỉ tiêu", "Chênh lệch", "Đánh giá"],
        rows,
        [1.1, 4.5, 1.9, 1.25, 1.15, 1.45, 1.75],
        row_h=0.4,
        colours=colours,
        right_from=2,
        fills=fills,
        bold_rows=bold,
    )


def below_slide(prs: Any, deck: Deck, spec: SlideSpec, n: int, total: int) -> None:
    slide = shapes.frame(prs, deck, spec, n, total)
    if not spec.below:
        shapes.text(
            slide,
            MARGIN,
            Inches(2.8),
            W - 2 * MARGIN,
            Inches(1.2),
            spec.message,
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
        rows.append([f"… và {vf.fmt_int(spec.hidden)} đơn vị khác: xem các trang xếp hạng, báo cáo PDF và Excel"])
    shapes.table(
        slide,
        MARGIN,
        TOP,
        W - 2 * MARGIN,
        ["Cấp", "Đơn vị", "Tỷ lệ", "Chỉ tiêu", "Chênh lệch", "Để đạt chỉ tiêu"],
        rows,
        [1.3, 4.0, 1.2, 1.15, 1.5, 3.6],
        right_from=2,
    )


def bieu06_slide(prs: Any, deck: Deck, spec: SlideSpec, n: int, total: int) -> None:
    """One page of Biểu 06: 'Đơn vị' over both heading rows, then the groups (received,
    resolved, in progress, rates) over their columns, as the printed form has them."""
    slide = shapes.frame(prs, deck, spec, n, total)
    widths = [2.6] + [0.74] * len(bieu06.COUNTS) + [0.86] * len(bieu06.RATES)
    cols = len(widths)
    heading_h = [0.7, 1.1]
    row_h = 0.45
    shape = slide.shapes.add_table(
        len(spec.bieu06) + 2, cols, MARGIN, TOP, W - 2 * MARGIN, Inches(sum(heading_h) + row_h * len(spec.bieu06))
    )
    table = shape.table
    width = W - 2 * MARGIN
    for i, wd in enumerate(widths):
        table.columns[i].width = Emu(int(width * wd / sum(widths)))
    for r, h in enumerate(heading_h + [row_h] * len(spec.bieu06)):
        table.rows[r].height = Inches(h)
    for r in (0, 1):
        for c in range(cols):
            cell = table.cell(r, c)
            cell.fill.solid()
            cell.fill.fore_color.rgb = shapes.rgb(NAVY)
    table.cell(0, 0).merge(table.cell(1, 0))
    # A narrow face so that 13 columns of counts fit at 18 pt, as the printed form does.
    narrow = "Arial Narrow"
    shapes.cell_text(table.cell(0, 0), bieu06.UNIT_HEADING, SLIDE_MIN_PT, True, WHITE, PP_ALIGN.LEFT, narrow)
    c = 1
    for group, span in bieu06.GROUPS:
        table.cell(0, c).merge(table.cell(0, c + span - 1))
        shapes.cell_text(table.cell(0, c), group, SLIDE_MIN_PT, True, WHITE, PP_ALIGN.CENTER, narrow)
        c += span
    for c, sub in enumerate(bieu06.SUBHEADINGS, start=1):
        shapes.cell_text(table.cell(1, c), sub, SLIDE_MIN_PT, True, WHITE, PP_ALIGN.CENTER, narrow)
    for r, row in enumerate(spec.bieu06, start=2):
        strong = row.level != "unit"
        fill = "#DCE6F0" if row.level == "total" else PALE if row.level == "tier" else WHITE
        for c, value in enumerate(row.cells()):
            cell = table.cell(r, c)
            cell.fill.solid()
            cell.fill.fore_color.rgb = shapes.rgb(fill)
            colour = MUTED if row.history else INK
            align = PP_ALIGN.LEFT if c == 0 else PP_ALIGN.RIGHT
            shapes.cell_text(cell, value, SLIDE_MIN_PT, strong, colour, align, narrow)


def table_slide(prs: Any, deck: Deck, spec: SlideSpec, n: int, total: int) -> None:
    """A look-ahead slide (late budget, official scores): the plan's cells as a table at
    18 pt, the note under it; a slide with nothing to list says why."""
    slide = shapes.frame(prs, deck, spec, n, total)
    width = W - 2 * MARGIN
    if spec.message:
        shapes.text(
            slide, MARGIN, Inches(2.8), width, Inches(1.2), spec.message, 28, True, MUTED, align=PP_ALIGN.CENTER
        )
    else:
        shapes.table(slide, MARGIN, TOP, width, list(spec.header), [list(r) for r in spec.rows], list(spec.widths))
    if spec.note:
        # at the foot of the slide: a wrapped cell makes its row taller than planned
        y = BOTTOM - Inches(0.95)
        shapes.text(slide, MARGIN, y, width, BOTTOM - y, spec.note, SLIDE_MIN_PT, False, MUTED)
