"""The conference report as an A4 PDF a chairman can sign off.

DejaVu Sans (shipped in data/fonts) carries every Vietnamese diacritic; charts are drawn
with fpdf2's own lines and rectangles, so no browser or image toolchain is needed. The
scope, the period and the data date are in the footer of every page, with the page number.
Layout only: every figure and sentence comes from the Deck.
"""

from __future__ import annotations

import io
import itertools
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from metrics import vi_format as vf
from metrics.paths import DATA_DIR
from metrics.reports.figures import UnitRow, chart_values
from metrics.reports.model import NO_DOSSIERS, Deck, KpiSection
from metrics.reports.plan import MAX_TABLE_ROWS, RANKED_ON_SLIDES, ranking_excerpt
from metrics.reports.style import (
    INK,
    MUTED,
    NAVY,
    PALE,
    STATUS_COLOURS,
    TARGET_COLOUR,
    axis_bounds,
    hex_to_rgb,
    tier_colour,
)
from metrics.views import MIN_DOSSIERS_TO_RANK

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
        self.set_auto_page_break(True, margin=18)
        self.set_title(f"{deck.title} – {deck.scope_label} – {deck.period_label}")
        self.set_author("Hệ thống theo dõi chỉ số CCHC")
        self.set_creator("metrics report")

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 8)
        self.set_text_color(*hex_to_rgb(MUTED))
        self.set_xy(MARGIN, 8)
        self.cell(0, 5, f"{self.deck.title} · {self.deck.scope_label}", align="L")
        self.set_xy(MARGIN, 8)
        self.cell(0, 5, self.deck.period_label, align="R")
        self.set_draw_color(*hex_to_rgb("#C8D2DC"))
        self.line(MARGIN, 14, self.w - MARGIN, 14)
        self.set_y(18)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_draw_color(*hex_to_rgb("#C8D2DC"))
        self.line(MARGIN, self.get_y() - 1, self.w - MARGIN, self.get_y() - 1)
        self.set_font(FONT, "", 8)
        self.set_text_color(*hex_to_rgb(MUTED))
        deck = self.deck
        self.cell(0, 5, f"Kỳ báo cáo: {deck.period_text} · {deck.data_as_of_text}", align="L")
        self.set_x(MARGIN)
        self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="R")


def _colour(pdf: FPDF, hex_colour: str, what: str = "text") -> None:
    rgb = hex_to_rgb(hex_colour)
    {"text": pdf.set_text_color, "fill": pdf.set_fill_color, "draw": pdf.set_draw_color}[what](*rgb)


def _heading(pdf: ReportPDF, text: str, need: float = 40) -> None:
    if pdf.get_y() + need > pdf.h - 20:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FONT, "B", 12.5)
    _colour(pdf, NAVY)
    pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    _colour(pdf, NAVY, "draw")
    pdf.set_line_width(0.5)
    pdf.line(MARGIN, pdf.get_y(), MARGIN + 30, pdf.get_y())
    pdf.set_line_width(0.2)
    pdf.ln(2.5)
    _colour(pdf, INK)


def _para(pdf: ReportPDF, text: str, size: float = 10, colour: str = INK, bold: bool = False, align: str = "J") -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    _colour(pdf, colour)
    pdf.multi_cell(0, size * 0.5, text, align=align, new_x="LMARGIN", new_y="NEXT")


def _table(
    pdf: ReportPDF,
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    align: list[str],
    size: float = 8.5,
    colours: list[list[str | None]] | None = None,
) -> None:
    pdf.set_font(FONT, "", size)
    _colour(pdf, INK)
    _colour(pdf, "#B8C4D0", "draw")
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
            fill = hex_to_rgb(PALE if i % 2 else "#FFFFFF")
            r = table.row()
            for j, v in enumerate(values):
                c = colours[i][j] if colours else None
                style = FontFace(color=hex_to_rgb(c or INK), emphasis="BOLD" if c else None, fill_color=fill)
                r.cell(v, style=style)
    pdf.ln(2)


def _title_block(pdf: ReportPDF, deck: Deck) -> None:
    _colour(pdf, NAVY, "fill")
    pdf.rect(0, 0, pdf.w, 52, style="F")
    pdf.set_xy(MARGIN, 12)
    pdf.set_font(FONT, "", 10)
    _colour(pdf, "#D6E4F0")
    pdf.cell(0, 5, "BÁO CÁO", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 17)
    _colour(pdf, "#FFFFFF")
    pdf.multi_cell(0, 8, deck.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 13)
    _colour(pdf, "#F0B429")
    pdf.cell(0, 7, deck.scope_label, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    _colour(pdf, "#FFFFFF")
    pdf.cell(0, 6, f"Kỳ báo cáo: {deck.period_text}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(56)
    pdf.set_font(FONT, "", 9)
    _colour(pdf, MUTED)
    pdf.multi_cell(
        0,
        4.6,
        f"{deck.data_as_of_text} · {vf.fmt_int(deck.dossiers_in_db)} hồ sơ trong cơ sở dữ liệu · "
        f"lập lúc {vf.fmt_datetime(deck.generated_at)}\n{deck.filters_text}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)


def _kpi_table(pdf: ReportPDF, deck: Deck) -> None:
    _heading(pdf, "1. Kết quả các chỉ số so với chỉ tiêu")
    rows: list[list[str]] = []
    colours: list[list[str | None]] = []
    for k in deck.kpis:
        figures = [k.total, *k.tiers] if len(k.tiers) > 1 else [k.total]
        for i, tf in enumerate(figures):
            rows.append([k.title if i == 0 else "", *tf.table_cells()])
            colours.append([None, None, None, None, STATUS_COLOURS.get(tf.status), None, None, None])
    _table(
        pdf,
        [
            "Chỉ số",
            "Phạm vi",
            "Tỷ lệ",
            "Chỉ tiêu",
            "Đánh giá",
            f"So với {deck.previous_label or 'kỳ trước'}",
            "Tử số",
            "Mẫu số",
        ],
        rows,
        [31, 23, 17, 16, 24, 25, 22, 22],
        ["LEFT", "LEFT", "RIGHT", "RIGHT", "LEFT", "RIGHT", "RIGHT", "RIGHT"],
        colours=colours,
    )
    notes = [
        f"{k.title}: {k.numerator_label.lower()} / {k.denominator_label.lower()} ({k.definition_note})."
        for k in deck.kpis
    ]
    _para(pdf, "Cách tính: " + " ".join(notes), 7.5, MUTED)


def _line_chart(pdf: ReportPDF, kpi: KpiSection, x: float, y: float, w: float, h: float) -> None:
    """Monthly rates per tier with the target line(s) dashed, drawn with fpdf2 primitives."""
    pdf.set_font(FONT, "B", 9.5)
    _colour(pdf, INK)
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
    _colour(pdf, MUTED)
    pdf.set_line_width(0.1)
    ticks = round((hi - lo) / step)
    for t in range(ticks + 1):
        v = lo + t * step
        _colour(pdf, "#E2E6EA", "draw")
        pdf.line(left, ypos(v), right, ypos(v))
        pdf.set_xy(x, ypos(v) - 2)
        pdf.cell(left - x - 1, 4, vf.fmt_pct(v, 0), align="R")
    every = 1 if n <= 12 else 2
    for i, label in enumerate(kpi.month_labels):
        if i % every == 0:
            pdf.set_xy(xpos(i) - slot * every / 2, bottom + 1)
            pdf.cell(slot * every, 4, label, align="C")
    _colour(pdf, "#9AA5B1", "draw")
    pdf.line(left, bottom, right, bottom)
    end_labels: list[list[Any]] = []
    for _label, vals, colour, dashed in lines:
        _colour(pdf, colour, "draw")
        _colour(pdf, colour, "fill")
        pdf.set_line_width(0.45 if not dashed else 0.4)
        if dashed:
            pdf.set_dash_pattern(dash=1.6, gap=1.1)
        run: list[tuple[float, float]] = []
        for i, v in enumerate(vals):
            if v is None:
                if len(run) > 1:
                    pdf.polyline(run)
                run = []
                continue
            run.append((xpos(i), ypos(v)))
        if len(run) > 1:
            pdf.polyline(run)
        pdf.set_dash_pattern()
        if not dashed:
            for i, v in enumerate(vals):
                if v is not None:
                    pdf.circle(xpos(i), ypos(v), 0.8, style="F")
            last = max((i for i, v in enumerate(vals) if v is not None), default=None)
            if last is not None:
                end_labels.append([ypos(vals[last]) - 4.5, xpos(last), vf.fmt_pct(vals[last]), colour])
    # Labels at the last point of each line, pushed apart so that they never overlap.
    end_labels.sort()
    for a, b in itertools.pairwise(end_labels):
        if b[0] - a[0] < 3.2:
            b[0] = a[0] + 3.2
    pdf.set_font(FONT, "B", 6.5)
    for ly_, lx_, text, colour in end_labels:
        _colour(pdf, colour)
        pdf.set_xy(lx_ - 12, ly_)
        pdf.cell(24, 3, text, align="C")
    pdf.set_line_width(0.2)
    # Legend
    lx = left
    ly = y + h - legend_h
    pdf.set_font(FONT, "", 7)
    for label, _vals, colour, dashed in lines:
        _colour(pdf, colour, "draw")
        pdf.set_line_width(0.5)
        if dashed:
            pdf.set_dash_pattern(dash=1.2, gap=0.8)
        pdf.line(lx, ly + 2, lx + 6, ly + 2)
        pdf.set_dash_pattern()
        _colour(pdf, INK)
        width = pdf.get_string_width(label) + 3
        pdf.set_xy(lx + 7, ly)
        pdf.cell(width, 4, label)
        lx += 7 + width + 2
        if lx > right - 30:
            lx = left
            ly += 4
    pdf.set_line_width(0.2)
    _colour(pdf, INK)


def _charts(pdf: ReportPDF, deck: Deck) -> None:
    kpis = [k for k in deck.kpis if k.has_data]
    if not kpis:
        return
    _heading(pdf, "3. Diễn biến theo tháng", need=86)
    for k in kpis:
        if pdf.get_y() + 72 > pdf.h - 20:
            pdf.add_page()
        y = pdf.get_y()
        _line_chart(pdf, k, MARGIN, y, pdf.w - 2 * MARGIN, 70)
        pdf.set_y(y + 74)


def _ranking_table(pdf: ReportPDF, deck: Deck, units: tuple[UnitRow | None, ...], hidden: int = 0) -> None:
    rows: list[list[str]] = []
    colours: list[list[str | None]] = []
    for u in units:
        if u is None:
            rows.append(["", "", f"… {vf.fmt_int(hidden)} đơn vị ở giữa bảng (xem Phụ lục 1)", "", "", "", "", ""])
            colours.append([None, None, MUTED, None, None, None, None, None])
            continue
        change = ""
        if u.rank is not None and u.previous_rank is not None:
            d = u.previous_rank - u.rank
            change = f"▲{d}" if d > 0 else f"▼{-d}" if d < 0 else "="
        name = u.unit_name + (" (ít hồ sơ)" if u.small else "")
        rows.append(
            [
                str(u.rank) if u.rank is not None else "—",
                change,
                name,
                u.figure.counts_text,
                u.figure.rate_text,
                u.figure.target_text,
                vf.fmt_pp(u.figure.gap) if u.figure.gap is not None else vf.DASH,
                u.figure.status,
            ]
        )
        colours.append([None, None, None, None, None, None, None, STATUS_COLOURS.get(u.figure.status)])
    _table(
        pdf,
        ["Hạng", "+/−", "Đơn vị", "Tử số/Mẫu số", "Tỷ lệ", "Chỉ tiêu", "Chênh lệch", "Đánh giá"],
        rows,
        [11, 10, 54, 24, 17, 16, 26, 22],
        ["CENTER", "CENTER", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "LEFT"],
        size=8,
        colours=colours,
    )


def _ranking_note(pdf: ReportPDF, deck: Deck) -> None:
    _para(
        pdf,
        "Xếp hạng theo tỷ lệ trong từng cấp; đơn vị có dưới "
        f"{vf.fmt_int(MIN_DOSSIERS_TO_RANK)} hồ sơ trong mẫu số được liệt kê nhưng không xếp hạng. "
        f"Cột +/− so với xếp hạng {deck.previous_label or 'kỳ trước'}.",
        8,
        MUTED,
    )


def _rankings(pdf: ReportPDF, deck: Deck, full: bool) -> None:
    """The body shows each tier's best and worst units; the appendix every unit."""
    metrics = [k.metric for k in deck.kpis] if full else list(RANKED_ON_SLIDES)
    shown = [r for m in metrics for r in deck.rankings if r.metric == m and r.rows]
    if not shown:
        return
    if full:
        pdf.add_page()
        _heading(pdf, "Phụ lục 1. Xếp hạng đầy đủ các đơn vị", need=50)
    else:
        _heading(pdf, "4. Xếp hạng đơn vị", need=50)
    _ranking_note(pdf, deck)
    for r in shown:
        if pdf.get_y() + 30 > pdf.h - 20:
            pdf.add_page()
        _para(
            pdf,
            f"{r.metric_title} – {r.tier_label} ({r.ranked}/{len(r.rows)} đơn vị được xếp hạng)",
            9.5,
            INK,
            True,
            "L",
        )
        pdf.ln(1)
        units, hidden = (r.rows, 0) if full else ranking_excerpt(r.rows, MAX_TABLE_ROWS)
        _ranking_table(pdf, deck, units, hidden)


BODY_BELOW_ROWS = 10


def _below(pdf: ReportPDF, deck: Deck, full: bool) -> None:
    """The body lists each metric's largest shortfalls; the appendix every unit below target."""
    if full:
        if len(deck.below_target) <= BODY_BELOW_ROWS * max(len(deck.kpis), 1):
            return
        pdf.add_page()
        _heading(pdf, "Phụ lục 2. Danh sách đầy đủ đơn vị chưa đạt chỉ tiêu", need=40)
    else:
        _heading(pdf, "5. Đơn vị chưa đạt chỉ tiêu", need=40)
    if not deck.below_target:
        _para(pdf, "Không có đơn vị nào chưa đạt chỉ tiêu trong kỳ.", 10)
        return
    for k in deck.kpis:
        items = [b for b in deck.below_target if b.metric == k.metric]
        if not items:
            continue
        shown = items if full else items[:BODY_BELOW_ROWS]
        if pdf.get_y() + 30 > pdf.h - 20:
            pdf.add_page()
        _para(pdf, f"{k.title}: {vf.fmt_int(len(items))} đơn vị chưa đạt", 9.5, INK, True, "L")
        pdf.ln(1)
        rows = [
            [
                b.tier_label,
                b.unit_name + (" (ít hồ sơ)" if b.small else ""),
                b.figure.rate_text,
                b.figure.target_text,
                vf.fmt_pp(b.figure.gap),
                b.needed_text,
            ]
            for b in shown
        ]
        if len(shown) < len(items):
            rows.append(["", f"… và {vf.fmt_int(len(items) - len(shown))} đơn vị khác (xem Phụ lục 2)", "", "", "", ""])
        _table(
            pdf,
            ["Cấp", "Đơn vị", "Tỷ lệ", "Chỉ tiêu", "Chênh lệch", "Để đạt chỉ tiêu"],
            rows,
            [17, 58, 17, 15, 26, 47],
            ["LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT"],
            size=8,
        )


def _late(pdf: ReportPDF, deck: Deck) -> None:
    late = deck.late
    _heading(pdf, "6. Hồ sơ trễ hạn", need=60)
    _para(
        pdf,
        f"Tổng số hồ sơ trễ hạn: {vf.fmt_int(late.total)}, gồm {vf.fmt_int(late.resolved_late)} hồ sơ đã giải quyết "
        f"nhưng trễ hạn và {vf.fmt_int(late.open_overdue)} hồ sơ quá hạn đang xử lý (tính đến ngày "
        f"{vf.fmt_date(deck.date_to)}).",
        10,
    )
    pdf.ln(1)
    if not late.by_procedure:
        return
    # Horizontal bars: the procedures behind most late dossiers.
    items = list(late.by_procedure[:8])
    top = max(p.dossiers for p in items) or 1
    label_w = 92.0
    bar_w = pdf.w - 2 * MARGIN - label_w - 30
    if pdf.get_y() + 7 * len(items) + 8 > pdf.h - 20:
        pdf.add_page()
    pdf.set_font(FONT, "B", 9.5)
    _colour(pdf, INK)
    pdf.cell(0, 6, "Thủ tục có nhiều hồ sơ trễ hạn nhất", new_x="LMARGIN", new_y="NEXT")
    for p in items:
        y = pdf.get_y()
        pdf.set_font(FONT, "", 7.5)
        _colour(pdf, INK)
        pdf.set_xy(MARGIN, y)
        name = p.name if pdf.get_string_width(p.name) < label_w - 2 else _fit(pdf, p.name, label_w - 2)
        pdf.cell(label_w, 5.5, name)
        _colour(pdf, TARGET_COLOUR, "fill")
        pdf.rect(MARGIN + label_w, y + 1, max(bar_w * p.dossiers / top, 0.5), 3.8, style="F")
        pdf.set_xy(MARGIN + label_w + bar_w * p.dossiers / top + 1.5, y)
        share = f" ({vf.fmt_pct(p.share)})" if p.share is not None else ""
        pdf.cell(30, 5.5, f"{vf.fmt_int(p.dossiers)}{share}")
        pdf.set_y(y + 6.3)
    pdf.ln(3)
    rows = [
        [p.key, p.name, vf.fmt_int(p.dossiers), vf.fmt_pct(p.share), vf.fmt_pct(p.cumulative_share)]
        for p in late.by_procedure
    ]
    _table(
        pdf,
        ["Mã TTHC", "Thủ tục", "Số hồ sơ trễ", "Tỷ trọng", "Lũy kế"],
        rows,
        [22, 92, 22, 22, 22],
        ["LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"],
        size=8,
    )
    if late.by_unit:
        rows = [
            [p.name, vf.fmt_int(p.dossiers), vf.fmt_pct(p.share), vf.fmt_pct(p.cumulative_share)] for p in late.by_unit
        ]
        _table(
            pdf,
            ["Đơn vị", "Số hồ sơ trễ", "Tỷ trọng", "Lũy kế"],
            rows,
            [114, 22, 22, 22],
            ["LEFT", "RIGHT", "RIGHT", "RIGHT"],
            size=8,
        )


def _fit(pdf: FPDF, text: str, width: float) -> str:
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _summary(pdf: ReportPDF, deck: Deck, number: str) -> None:
    _heading(pdf, f"{number}. Tóm tắt kết quả", need=40)
    for s in deck.summary:
        _para(pdf, s, 10)
        pdf.ln(1.5)


def _signatures(pdf: ReportPDF, deck: Deck) -> None:
    if pdf.get_y() + 40 > pdf.h - 20:
        pdf.add_page()
    pdf.ln(6)
    half = (pdf.w - 2 * MARGIN) / 2
    y = pdf.get_y()
    pdf.set_font(FONT, "", 9)
    _colour(pdf, MUTED)
    pdf.set_xy(MARGIN + half, y)
    pdf.cell(
        half,
        5,
        f"Ngày {deck.generated_at.day:02d} tháng {deck.generated_at.month:02d} năm {deck.generated_at.year}",
        align="C",
    )
    pdf.set_font(FONT, "B", 10)
    _colour(pdf, INK)
    pdf.set_xy(MARGIN, y + 6)
    pdf.cell(half, 5, "NGƯỜI LẬP BÁO CÁO", align="C")
    pdf.set_xy(MARGIN + half, y + 6)
    pdf.cell(half, 5, "THỦ TRƯỞNG ĐƠN VỊ", align="C")
    pdf.set_font(FONT, "", 8.5)
    _colour(pdf, MUTED)
    pdf.set_xy(MARGIN, y + 11)
    pdf.cell(half, 5, "(Ký, ghi rõ họ tên)", align="C")
    pdf.set_xy(MARGIN + half, y + 11)
    pdf.cell(half, 5, "(Ký, ghi rõ họ tên, đóng dấu)", align="C")
    pdf.set_y(y + 40)


def write_pdf(deck: Deck, out: str | Path | io.BytesIO) -> None:
    pdf = ReportPDF(deck)
    pdf.add_page()
    _title_block(pdf, deck)
    if deck.empty:
        pdf.ln(10)
        _para(pdf, NO_DOSSIERS, 20, INK, True, "C")
        pdf.ln(3)
        for s in deck.summary:
            _para(pdf, s, 11, MUTED, False, "C")
    else:
        _kpi_table(pdf, deck)
        _summary(pdf, deck, "2")
        _charts(pdf, deck)
        _rankings(pdf, deck, full=False)
        _below(pdf, deck, full=False)
        _late(pdf, deck)
        _signatures(pdf, deck)
        _rankings(pdf, deck, full=True)
        _below(pdf, deck, full=True)
    data = pdf.output()
    if isinstance(out, io.BytesIO):
        out.write(bytes(data))
    else:
        Path(out).write_bytes(bytes(data))
