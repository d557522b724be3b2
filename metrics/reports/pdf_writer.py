"""The conference report as an A4 PDF a chairman can sign off.

DejaVu Sans (shipped in data/fonts) carries every Vietnamese diacritic; charts are drawn
with fpdf2's own lines and rectangles, so no browser or image toolchain is needed. The
scope, the period and the data date are in the footer of every page, with the page number.
Layout only: every figure and sentence comes from the Deck.
"""

from __future__ import annotations

import io
from pathlib import Path

from metrics import vi_format as vf
from metrics.reports import pdf_layout as layout
from metrics.reports.figures import UnitRow
from metrics.reports.model import NO_DOSSIERS, Deck
from metrics.reports.pdf_chart import line_chart
from metrics.reports.pdf_layout import FONT, MARGIN, ReportPDF
from metrics.reports.plan import MAX_TABLE_ROWS, RANKED_ON_SLIDES, ranking_excerpt
from metrics.reports.style import (
    INK,
    MUTED,
    NAVY,
    STATUS_COLOURS,
    TARGET_COLOUR,
)
from metrics.views import MIN_DOSSIERS_TO_RANK


def _title_block(pdf: ReportPDF, deck: Deck) -> None:
    layout.set_colour(pdf, NAVY, "fill")
    pdf.rect(0, 0, pdf.w, 52, style="F")
    pdf.set_xy(MARGIN, 12)
    pdf.set_font(FONT, "", 10)
    layout.set_colour(pdf, "#D6E4F0")
    pdf.cell(0, 5, "BÁO CÁO", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 17)
    layout.set_colour(pdf, "#FFFFFF")
    pdf.multi_cell(0, 8, deck.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 13)
    layout.set_colour(pdf, "#F0B429")
    pdf.cell(0, 7, deck.scope_label, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    layout.set_colour(pdf, "#FFFFFF")
    pdf.cell(0, 6, f"Kỳ báo cáo: {deck.period_text}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(56)
    pdf.set_font(FONT, "", 9)
    layout.set_colour(pdf, MUTED)
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
    layout.heading(pdf, "1. Kết quả các chỉ số so với chỉ tiêu")
    rows: list[list[str]] = []
    colours: list[list[str | None]] = []
    for k in deck.kpis:
        figures = [k.total, *k.tiers] if len(k.tiers) > 1 else [k.total]
        for i, tf in enumerate(figures):
            rows.append([k.title if i == 0 else "", *tf.table_cells()])
            colours.append([None, None, None, None, STATUS_COLOURS.get(tf.status), None, None, None])
    layout.table(
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
    layout.para(pdf, "Cách tính: " + " ".join(notes), 7.5, MUTED)


def _charts(pdf: ReportPDF, deck: Deck) -> None:
    kpis = [k for k in deck.kpis if k.has_data]
    if not kpis:
        return
    layout.heading(pdf, "3. Diễn biến theo tháng", need=86)
    for k in kpis:
        if pdf.get_y() + 72 > pdf.h - 20:
            pdf.add_page()
        y = pdf.get_y()
        line_chart(pdf, k, MARGIN, y, pdf.w - 2 * MARGIN, 70)
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
    layout.table(
        pdf,
        ["Hạng", "+/−", "Đơn vị", "Tử số/Mẫu số", "Tỷ lệ", "Chỉ tiêu", "Chênh lệch", "Đánh giá"],
        rows,
        [11, 10, 54, 24, 17, 16, 26, 22],
        ["CENTER", "CENTER", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "LEFT"],
        size=8,
        colours=colours,
    )


def _ranking_note(pdf: ReportPDF, deck: Deck) -> None:
    layout.para(
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
        layout.heading(pdf, "Phụ lục 1. Xếp hạng đầy đủ các đơn vị", need=50)
    else:
        layout.heading(pdf, "4. Xếp hạng đơn vị", need=50)
    _ranking_note(pdf, deck)
    for r in shown:
        if pdf.get_y() + 30 > pdf.h - 20:
            pdf.add_page()
        layout.para(
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
        layout.heading(pdf, "Phụ lục 2. Danh sách đầy đủ đơn vị chưa đạt chỉ tiêu", need=40)
    else:
        layout.heading(pdf, "5. Đơn vị chưa đạt chỉ tiêu", need=40)
    if not deck.below_target:
        layout.para(pdf, "Không có đơn vị nào chưa đạt chỉ tiêu trong kỳ.", 10)
        return
    for k in deck.kpis:
        items = [b for b in deck.below_target if b.metric == k.metric]
        if not items:
            continue
        shown = items if full else items[:BODY_BELOW_ROWS]
        if pdf.get_y() + 30 > pdf.h - 20:
            pdf.add_page()
        layout.para(pdf, f"{k.title}: {vf.fmt_int(len(items))} đơn vị chưa đạt", 9.5, INK, True, "L")
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
        layout.table(
            pdf,
            ["Cấp", "Đơn vị", "Tỷ lệ", "Chỉ tiêu", "Chênh lệch", "Để đạt chỉ tiêu"],
            rows,
            [17, 58, 17, 15, 26, 47],
            ["LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT"],
            size=8,
        )


def _late(pdf: ReportPDF, deck: Deck) -> None:
    late = deck.late
    layout.heading(pdf, "6. Hồ sơ trễ hạn", need=60)
    layout.para(
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
    layout.set_colour(pdf, INK)
    pdf.cell(0, 6, "Thủ tục có nhiều hồ sơ trễ hạn nhất", new_x="LMARGIN", new_y="NEXT")
    for p in items:
        y = pdf.get_y()
        pdf.set_font(FONT, "", 7.5)
        layout.set_colour(pdf, INK)
        pdf.set_xy(MARGIN, y)
        name = p.name if pdf.get_string_width(p.name) < label_w - 2 else layout.fit(pdf, p.name, label_w - 2)
        pdf.cell(label_w, 5.5, name)
        layout.set_colour(pdf, TARGET_COLOUR, "fill")
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
    layout.table(
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
        layout.table(
            pdf,
            ["Đơn vị", "Số hồ sơ trễ", "Tỷ trọng", "Lũy kế"],
            rows,
            [114, 22, 22, 22],
            ["LEFT", "RIGHT", "RIGHT", "RIGHT"],
            size=8,
        )


def _summary(pdf: ReportPDF, deck: Deck, number: str) -> None:
    layout.heading(pdf, f"{number}. Tóm tắt kết quả", need=40)
    for s in deck.summary:
        layout.para(pdf, s, 10)
        pdf.ln(1.5)


def _signatures(pdf: ReportPDF, deck: Deck) -> None:
    if pdf.get_y() + 40 > pdf.h - 20:
        pdf.add_page()
    pdf.ln(6)
    half = (pdf.w - 2 * MARGIN) / 2
    y = pdf.get_y()
    pdf.set_font(FONT, "", 9)
    layout.set_colour(pdf, MUTED)
    pdf.set_xy(MARGIN + half, y)
    pdf.cell(
        half,
        5,
        f"Ngày {deck.generated_at.day:02d} tháng {deck.generated_at.month:02d} năm {deck.generated_at.year}",
        align="C",
    )
    pdf.set_font(FONT, "B", 10)
    layout.set_colour(pdf, INK)
    pdf.set_xy(MARGIN, y + 6)
    pdf.cell(half, 5, "NGƯỜI LẬP BÁO CÁO", align="C")
    pdf.set_xy(MARGIN + half, y + 6)
    pdf.cell(half, 5, "THỦ TRƯỞNG ĐƠN VỊ", align="C")
    pdf.set_font(FONT, "", 8.5)
    layout.set_colour(pdf, MUTED)
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
        layout.para(pdf, NO_DOSSIERS, 20, INK, True, "C")
        pdf.ln(3)
        for s in deck.summary:
            layout.para(pdf, s, 11, MUTED, False, "C")
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
