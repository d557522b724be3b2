"""How the A4 report draws: the page with its running header and footer (scope, period,
data date, page number on every page), headings, paragraphs and tables in DejaVu Sans,
which carries every Vietnamese diacritic (shipped in data/fonts)."""

from __future__ import annotations

from fpdf import FPDF
from fpdf.fonts import FontFace

from metrics.paths import DATA_DIR
from metrics.reports.model import Deck
from metrics.reports.style import INK, MUTED, NAVY, PALE, PDF_BODY_PT, PDF_TABLE_PT, hex_to_rgb

FONT = "DejaVu"
FONT_DIR = DATA_DIR / "fonts"
MARGIN = 15.0


class ReportPDF(FPDF):
    def __init__(self, deck: Deck) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.deck = deck
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN, 18, MARGIN)
        self.set_auto_page_break(True, margin=20)
        self.set_title(f"{deck.title} – {deck.scope_label} – {deck.period_label}")
        self.set_author("Hệ thống theo dõi chỉ số CCHC")
        self.set_creator("metrics report")

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 9)
        self.set_text_color(*hex_to_rgb(MUTED))
        self.set_xy(MARGIN, 8)
        self.cell(0, 5, f"{self.deck.owner or self.deck.title} · {self.deck.scope_label}", align="L")
        self.set_xy(MARGIN, 8)
        self.cell(0, 5, self.deck.period_label, align="R")
        self.set_draw_color(*hex_to_rgb("#C8D2DC"))
        self.line(MARGIN, 14, self.w - MARGIN, 14)
        self.set_y(18)

    def footer(self) -> None:
        """Whose report and for which meeting, the period, the data date, the page."""
        self.set_y(-15)
        self.set_draw_color(*hex_to_rgb("#C8D2DC"))
        self.line(MARGIN, self.get_y() - 1, self.w - MARGIN, self.get_y() - 1)
        self.set_font(FONT, "", 9)
        self.set_text_color(*hex_to_rgb(MUTED))
        deck = self.deck
        owner = " · ".join(p for p in (deck.owner, deck.meeting_text) if p)
        if owner:
            self.cell(0, 4.5, owner, align="L", new_x="LMARGIN", new_y="NEXT")
        self.cell(0, 4.5, f"Kỳ báo cáo: {deck.period_text} · {deck.data_as_of_text}", align="L")
        self.set_x(MARGIN)
        self.cell(0, 4.5, f"Trang {self.page_no()}/{{nb}}", align="R")


def set_colour(pdf: FPDF, hex_colour: str, what: str = "text") -> None:
    rgb = hex_to_rgb(hex_colour)
    {"text": pdf.set_text_color, "fill": pdf.set_fill_color, "draw": pdf.set_draw_color}[what](*rgb)


def heading(pdf: ReportPDF, text: str, need: float = 40) -> None:
    if pdf.get_y() + need > pdf.h - 20:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FONT, "B", 16)
    set_colour(pdf, NAVY)
    pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    set_colour(pdf, NAVY, "draw")
    pdf.set_line_width(0.5)
    pdf.line(MARGIN, pdf.get_y(), MARGIN + 30, pdf.get_y())
    pdf.set_line_width(0.2)
    pdf.ln(2.5)
    set_colour(pdf, INK)


def para(
    pdf: ReportPDF, text: str, size: float = PDF_BODY_PT, colour: str = INK, bold: bool = False, align: str = "J"
) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    set_colour(pdf, colour)
    pdf.multi_cell(0, size * 0.48, text, align=align, new_x="LMARGIN", new_y="NEXT")


def warning_box(pdf: ReportPDF, text: str) -> None:
    """The sentence on old or incomplete data, boxed in amber so that no reader misses it."""
    set_colour(pdf, "#FFF4E5", "fill")
    set_colour(pdf, "#B26A00", "draw")
    set_colour(pdf, "#5C3B00")
    pdf.set_font(FONT, "B", PDF_BODY_PT - 2)
    pdf.set_line_width(0.4)
    pdf.multi_cell(0, 6, text, border=1, fill=True, padding=3, new_x="LMARGIN", new_y="NEXT")
    pdf.set_line_width(0.2)
    set_colour(pdf, INK)


def table(
    pdf: ReportPDF,
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    align: list[str],
    size: float = PDF_TABLE_PT,
    colours: list[list[str | None]] | None = None,
    fills: list[str | None] | None = None,
) -> None:
    """A table with a navy heading repeated on each page. A row of one cell spans the
    whole width (the target line of a ranking); `fills` tint whole rows."""
    pdf.set_font(FONT, "", size)
    set_colour(pdf, INK)
    set_colour(pdf, "#B8C4D0", "draw")
    pdf.set_line_width(0.15)
    head = FontFace(family=FONT, emphasis="BOLD", color=hex_to_rgb("#FFFFFF"), fill_color=hex_to_rgb(NAVY))
    with pdf.table(
        col_widths=widths,
        text_align=tuple(align),
        headings_style=head,
        line_height=size * 0.52,
        cell_fill_mode="NONE",
        padding=(1.0, 1.2),
        repeat_headings=1,
        width=pdf.w - 2 * MARGIN,
    ) as table:
        hr = table.row()
        for h in header:
            hr.cell(h)
        for i, values in enumerate(rows):
            # Every cell states its own fill: fpdf2 otherwise carries the last fill colour
            # used (the heading's navy) into body rows.
            fill = hex_to_rgb((fills[i] if fills else None) or (PALE if i % 2 else "#FFFFFF"))
            r = table.row()
            for j, v in enumerate(values):
                c = colours[i][j] if colours else None
                style = FontFace(color=hex_to_rgb(c or INK), emphasis="BOLD" if c else None, fill_color=fill)
                span = len(header) if len(values) == 1 else 1
                r.cell(v, style=style, colspan=span)
    pdf.ln(2)


def fit(pdf: FPDF, text: str, width: float) -> str:
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"
