"""Biểu 06/VPCP/KSTT in the A4 report, on landscape pages as the printed form is: the
two-level heading (repeated on every page), the column numbers row officials cite, the
total, each tier's subtotal in bold followed by its units."""

from __future__ import annotations

from fpdf.fonts import FontFace

from metrics.reports import bieu06
from metrics.reports import pdf_layout as layout
from metrics.reports.model import Deck
from metrics.reports.pdf_layout import FONT, MARGIN, ReportPDF
from metrics.reports.style import INK, MUTED, NAVY, PALE, hex_to_rgb

SIZE = 9  # 14 columns across a landscape A4; still larger than the printed form's type


def bieu06_section(pdf: ReportPDF, deck: Deck, number: str) -> None:
    if not deck.bieu06:
        return
    pdf.add_page(orientation="L")
    layout.heading(pdf, f"{number}. {bieu06.TITLE}", need=60)
    layout.para(pdf, f"Kỳ báo cáo: {deck.period_text}. {bieu06.LEGAL_NOTE}", 10, MUTED)
    pdf.ln(1)
    width = pdf.w - 2 * MARGIN
    widths = [60.0] + [14.5] * len(bieu06.COUNTS) + [17.0] * len(bieu06.RATES)
    head = FontFace(family=FONT, emphasis="BOLD", color=hex_to_rgb("#FFFFFF"), fill_color=hex_to_rgb(NAVY))
    pdf.set_font(FONT, "", SIZE)
    layout.set_colour(pdf, "#B8C4D0", "draw")
    pdf.set_line_width(0.15)
    with pdf.table(
        col_widths=widths,
        width=width,
        headings_style=head,
        num_heading_rows=3,
        repeat_headings=1,
        line_height=SIZE * 0.5,
        text_align="RIGHT",
        padding=(0.8, 1.0),
        cell_fill_mode="NONE",
    ) as table:
        top = table.row()
        top.cell(bieu06.UNIT_HEADING, rowspan=2, align="LEFT", v_align="MIDDLE")
        for name, span in bieu06.GROUPS:
            top.cell(name, colspan=span, align="CENTER")
        subs = table.row()
        for name in bieu06.SUBHEADINGS:
            subs.cell(name, align="CENTER")
        numbers = table.row()
        for i in range(1, len(widths) + 1):
            numbers.cell(f"({i})", align="CENTER")
        for row in deck.bieu06:
            strong = row.level != "unit"
            fill = "#DCE6F0" if row.level == "total" else PALE if row.level == "tier" else "#FFFFFF"
            style = FontFace(
                color=hex_to_rgb(MUTED if row.history else INK),
                emphasis="BOLD" if strong else None,
                fill_color=hex_to_rgb(fill),
            )
            r = table.row()
            for j, value in enumerate(row.cells()):
                r.cell(value, style=style, align="LEFT" if j == 0 else "RIGHT")
    pdf.ln(2)
