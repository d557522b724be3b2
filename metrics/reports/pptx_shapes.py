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
from metrics.reports.style import FONT_FAMILY, INK, MUTED, NAVY, PALE, WHITE

W, H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)


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
    rect(slide, 0, 0, W, Inches(1.05), NAVY)
    text(slide, MARGIN, Inches(0.12), W - 2 * MARGIN, Inches(0.55), spec.title, 28, True, WHITE)
    if spec.subtitle:
        text(slide, MARGIN, Inches(0.62), W - 2 * MARGIN, Inches(0.4), spec.subtitle, 14, False, "#D6E4F0")
    text(slide, MARGIN, H - Inches(0.42), W - Inches(2.2), Inches(0.35), deck.footer_text, 11, False, MUTED)
    text(
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


def table(
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
        cell.fill.fore_color.rgb = rgb(NAVY)
        cell_text(cell, label, size, True, WHITE, PP_ALIGN.RIGHT if c >= right_from else PP_ALIGN.LEFT)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.fill.solid()
            cell.fill.fore_color.rgb = rgb(WHITE if r % 2 else PALE)
            colour = (colours[r - 1][c] if colours else None) or INK
            cell_text(cell, value, size, False, colour, PP_ALIGN.RIGHT if c >= right_from else PP_ALIGN.LEFT)
    return table


def cell_text(cell: Any, text: str, size: int, bold: bool, colour: str, align: Any) -> None:
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
    run.font.color.rgb = rgb(colour)


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
