"""How the PowerPoint deck draws: text boxes, rectangles, tables and the frame every slide
shares (title band, subtitle, footer with the period and the slide number, speaker
notes). Sizes are for a 16:9 slide read from the back of a hall."""

from __future__ import annotations

from typing import Any

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from metrics.reports.model import Deck
from metrics.reports.plan import SlideSpec
from metrics.reports.style import FONT_FAMILY, INK, MUTED, NAVY, PALE, SLIDE_MIN_PT, SLIDE_TITLE_PT, WHITE

W, H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
# Where a slide's content may go: under the title band, above the footer.
TOP = Inches(1.35)
BOTTOM = H - Inches(0.55)


def rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def text(
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
        run.font.color.rgb = rgb(colour)
    return box


def rect(slide: Any, x: int, y: int, w: int, h: int, fill: str, line: str | None = None) -> Any:
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, x, y, w, h)
    shape.fill.solid()
    shape.fill.fore_color.rgb = rgb(fill)
    if line:
        shape.line.color.rgb = rgb(line)
        shape.line.width = Pt(1)
    else:
        shape.line.fill.background()
    shape.shadow.inherit = False
    return shape


def frame(prs: Any, deck: Deck, spec: SlideSpec, number: int, total: int) -> Any:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    rect(slide, 0, 0, W, Inches(1.2), NAVY)
    title = text(slide, MARGIN, Inches(0.08), W - 2 * MARGIN, Inches(0.6), spec.title, SLIDE_TITLE_PT, True, WHITE)
    title.name = "title"
    if spec.subtitle:
        text(slide, MARGIN, Inches(0.7), W - 2 * MARGIN, Inches(0.42), spec.subtitle, SLIDE_MIN_PT, False, "#D6E4F0")
    footer(slide, deck, number, total)
    if spec.notes:
        slide.notes_slide.notes_text_frame.text = spec.notes
    return slide


def footer(slide: Any, deck: Deck, number: int, total: int, colour: str = MUTED) -> None:
    """Whose deck, the period and the data date, and the slide's number: on every slide."""
    y = H - Inches(0.48)
    text(slide, MARGIN, y, W - Inches(2.3), Inches(0.4), deck.footer_text, SLIDE_MIN_PT, False, colour, wrap=False)
    text(
        slide,
        W - Inches(1.8),
        y,
        Inches(1.3),
        Inches(0.4),
        f"{number}/{total}",
        SLIDE_MIN_PT,
        False,
        colour,
        align=PP_ALIGN.RIGHT,
    )


def table(
    slide: Any,
    x: int,
    y: int,
    w: int,
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    size: int = SLIDE_MIN_PT,
    row_h: float = 0.45,
    colours: list[list[str | None]] | None = None,
    right_from: int = 2,
    fills: list[str | None] | None = None,
    bold_rows: set[int] | None = None,
) -> Any:
    """A table with a navy heading row. A row of one cell spans the whole width (a
    marker such as the target line); `fills` tint whole rows, `bold_rows` embolden them."""
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
        cell.fill.fore_color.rgb = rgb(NAVY)
        cell_text(cell, label, size, True, WHITE, PP_ALIGN.RIGHT if c >= right_from else PP_ALIGN.LEFT)
    for r, row in enumerate(rows, start=1):
        fill = (fills[r - 1] if fills else None) or (WHITE if r % 2 else PALE)
        if len(row) == 1 and len(header) > 1:
            table.cell(r, 0).merge(table.cell(r, len(header) - 1))
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.fill.solid()
            cell.fill.fore_color.rgb = rgb(fill)
            colour = (colours[r - 1][c] if colours else None) or INK
            align = PP_ALIGN.RIGHT if c >= right_from else PP_ALIGN.LEFT
            cell_text(cell, value, size, bool(bold_rows and (r - 1) in bold_rows), colour, align)
    return table


def cell_text(cell: Any, text: str, size: int, bold: bool, colour: str, align: Any, font: str = FONT_FAMILY) -> None:
    cell.margin_left = cell.margin_right = Inches(0.05)
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
    run.font.name = font
    run.font.color.rgb = rgb(colour)


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
