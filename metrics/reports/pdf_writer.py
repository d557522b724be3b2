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
from metrics.reports.figures import UnitRow, fmt_target
from metrics.reports.model import NO_DOSSIERS, Deck
from metrics.reports.pdf_ahead import ahead_sections
from metrics.reports.pdf_bieu06 import bieu06_section
from metrics.reports.pdf_chart import line_chart
from metrics.reports.pdf_layout import FONT, MARGIN, ReportPDF
from metrics.reports.plan import RANKED_ON_SLIDES, ranking_items
from metrics.reports.style import (
    BELOW_FILL,
    INK,
    MUTED,
    NAVY,
    PDF_BODY_PT,
    PDF_TABLE_PT,
    STATUS_COLOURS,
    TARGET_COLOUR,
)
from metrics.views import MIN_DOSSIERS_TO_RANK


def _title_block(pdf: ReportPDF, deck: Deck) -> None:
    """Whose report (issuing body, meeting), what and when, how current the data is, the
    sentence on old or incomplete data when there is one, and the plan the targets are from."""
    layout.set_colour(pdf, NAVY, "fill")
    pdf.rect(0, 0, pdf.w, 62, style="F")
    pdf.set_xy(MARGIN, 9)
    pdf.set_font(FONT, "B", 11)
    layout.set_colour(pdf, "#D6E4F0")
    pdf.multi_cell(0, 5.5, (deck.owner or "BÁO CÁO").upper(), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font(FONT, "B", 18)
    layout.set_colour(pdf, "#FFFFFF")
    pdf.multi_cell(0, 8.5, deck.title, new_x="LMARGIN", new_y="NEXT")
    if deck.meeting_text:
        pdf.set_font(FONT, "", 12)
        pdf.multi_cell(0, 6, deck.meeting_text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 14)
    layout.set_colour(pdf, "#F0B429")
    pdf.cell(0, 7.5, deck.scope_label, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 12)
    layout.set_colour(pdf, "#FFFFFF")
    pdf.cell(0, 6.5, f"Kỳ báo cáo: {deck.period_text}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(66)
    layout.para(
        pdf,
        f"{deck.data_as_of_text} · {vf.fmt_int(deck.dossiers_in_db)} hồ sơ trong cơ sở dữ liệu · "
        f"lập lúc {vf.fmt_datetime(deck.generated_at)}. {deck.filters_text}.",
        11,
        MUTED,
    )
    if deck.data_warning:
        pdf.ln(2)
        layout.warning_box(pdf, deck.data_warning)
    if deck.target_source:
        pdf.ln(1)
        layout.para(pdf, f"Chỉ tiêu theo: {deck.target_source}.", 11, MUTED)
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
        [33, 20, 17, 14, 32, 26, 19, 19],
        ["LEFT", "LEFT", "RIGHT", "RIGHT", "LEFT", "RIGHT", "RIGHT", "RIGHT"],
        colours=colours,
    )
    notes = [
        f"{k.title}: {k.numerator_label.lower()} / {k.denominator_label.lower()} ({k.definition_note})."
        for k in deck.kpis
    ]
    layout.para(pdf, "Cách tính: " + " ".join(notes), PDF_TABLE_PT + 1, MUTED)


def _charts(pdf: ReportPDF, deck: Deck) -> None:
    kpis = [k for k in deck.kpis if k.has_data]
    if not kpis:
        return
    layout.heading(pdf, "3. Diễn biến 12 tháng đến cuối kỳ", need=96)
    for k in kpis:
        if pdf.get_y() + 84 > pdf.h - 20:
            pdf.add_page()
        y = pdf.get_y()
        line_chart(pdf, k, MARGIN, y, pdf.w - 2 * MARGIN, 82)
        pdf.set_y(y + 86)


def _ranking_table(pdf: ReportPDF, deck: Deck, rows_in: tuple[UnitRow, ...]) -> None:
    """Every unit in ranking order, the target line where the ranked units cross their
    target, units below it tinted, history units labelled and unranked."""
    rows: list[list[str]] = []
    colours: list[list[str | None]] = []
    fills: list[str | None] = []
    targets = {u.figure.target for u in rows_in if u.rank is not None and u.figure.target is not None}
    line = f"▼ Chỉ tiêu {fmt_target(targets.pop())}" if len(targets) == 1 else "▼ Chỉ tiêu"
    for u in ranking_items(rows_in):
        if u is None:
            rows.append([f"{line}: các đơn vị dưới đường này chưa đạt"])
            colours.append([TARGET_COLOUR])
            fills.append("#FFF4E5")
            continue
        change = ""
        if u.rank is not None and u.previous_rank is not None:
            d = u.previous_rank - u.rank
            change = f"▲{d}" if d > 0 else f"▼{-d}" if d < 0 else "="
        name = u.unit_name + (" (ít hồ sơ)" if u.small else "")
        rows.append(
            [
                u.rank_text,
                change,
                name,
                u.figure.counts_text,
                u.figure.rate_text,
                u.figure.target_text,
                vf.fmt_pp(u.figure.gap) if u.figure.gap is not None else vf.DASH,
                u.figure.status,
            ]
        )
        colours.append([MUTED if u.history else None, *[None] * 6, STATUS_COLOURS.get(u.figure.status)])
        fills.append(BELOW_FILL if u.figure.meets_target is False else None)
    layout.table(
        pdf,
        ["Hạng", "+/−", "Đơn vị", "Tử số/Mẫu số", "Tỷ lệ", "Chỉ tiêu", "Chênh lệch", "Đánh giá"],
        rows,
        [14, 10, 46, 22, 21, 15, 28, 24],
        ["CENTER", "CENTER", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "LEFT"],
        size=PDF_TABLE_PT,
        colours=colours,
        fills=fills,
    )


def _ranking_note(pdf: ReportPDF, deck: Deck) -> None:
    layout.para(
        pdf,
        "Xếp hạng theo tỷ lệ trong từng cấp; đơn vị dưới đường chỉ tiêu chưa đạt (tô nền). Đơn vị có dưới "
        f"{vf.fmt_int(MIN_DOSSIERS_TO_RANK)} hồ sơ trong mẫu số được liệt kê nhưng không xếp hạng; đơn vị không "
        "còn hoạt động trong cả kỳ ghi “Lịch sử”, không xếp hạng. "
        f"Cột +/− so với xếp hạng {deck.previous_label or 'kỳ trước'}.",
        PDF_TABLE_PT + 1,
        MUTED,
    )


def _rankings(pdf: ReportPDF, deck: Deck) -> None:
    """Every unit of every tier, sorted, with the target line, for the metrics the slides
    rank (the workbook ranks every metric)."""
    shown = [r for m in RANKED_ON_SLIDES for r in deck.rankings if r.metric == m and r.rows]
    if not shown:
        return
    layout.heading(pdf, "4. Xếp hạng đơn vị", need=50)
    _ranking_note(pdf, deck)
    for r in shown:
        if pdf.get_y() + 30 > pdf.h - 20:
            pdf.add_page()
        layout.para(
            pdf,
            f"{r.metric_title} – {r.tier_label} ({r.ranked}/{len(r.rows)} đơn vị được xếp hạng)",
            12,
            INK,
            True,
            "L",
        )
        pdf.ln(1)
        _ranking_table(pdf, deck, r.rows)


BODY_BELOW_ROWS = 10


def _below(pdf: ReportPDF, deck: Deck, full: bool) -> None:
    """The body lists each metric's largest shortfalls; the appendix every unit below target."""
    if full:
        if len(deck.below_target) <= BODY_BELOW_ROWS * max(len(deck.kpis), 1):
            return
        pdf.add_page()
        layout.heading(pdf, "Phụ lục. Danh sách đầy đủ đơn vị chưa đạt chỉ tiêu", need=40)
    else:
        layout.heading(pdf, "5. Đơn vị chưa đạt chỉ tiêu", need=40)
    if not deck.below_target:
        layout.para(pdf, "Không có đơn vị nào chưa đạt chỉ tiêu trong kỳ.", PDF_BODY_PT)
        return
    for k in deck.kpis:
        items = [b for b in deck.below_target if b.metric == k.metric]
        if not items:
            continue
        shown = items if full else items[:BODY_BELOW_ROWS]
        if pdf.get_y() + 30 > pdf.h - 20:
            pdf.add_page()
        layout.para(pdf, f"{k.title}: {vf.fmt_int(len(items))} đơn vị chưa đạt", 12, INK, True, "L")
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
            rows.append(["", f"… và {vf.fmt_int(len(items) - len(shown))} đơn vị khác (xem Phụ lục)", "", "", "", ""])
        layout.table(
            pdf,
            ["Cấp", "Đơn vị", "Tỷ lệ", "Chỉ tiêu", "Chênh lệch", "Để đạt chỉ tiêu"],
            rows,
            [20, 52, 19, 16, 24, 49],
            ["LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT"],
            size=PDF_TABLE_PT,
        )


def _late(pdf: ReportPDF, deck: Deck) -> None:
    late = deck.late
    layout.heading(pdf, "6. Hồ sơ trễ hạn", need=60)
    layout.para(
        pdf,
        f"Tổng số hồ sơ trễ hạn: {vf.fmt_int(late.total)}, gồm {vf.fmt_int(late.resolved_late)} hồ sơ đã giải quyết "
        f"nhưng trễ hạn và {vf.fmt_int(late.open_overdue)} hồ sơ quá hạn đang xử lý (tính đến ngày "
        f"{vf.fmt_date(deck.date_to)}).",
        PDF_BODY_PT,
    )
    pdf.ln(1)
    if not late.by_procedure:
        return
    # Horizontal bars: the procedures behind most late dossiers.
    items = list(late.by_procedure[:8])
    top = max(p.dossiers for p in items) or 1
    label_w = 100.0
    bar_w = pdf.w - 2 * MARGIN - label_w - 30
    if pdf.get_y() + 7 * len(items) + 8 > pdf.h - 20:
        pdf.add_page()
    pdf.set_font(FONT, "B", 12)
    layout.set_colour(pdf, INK)
    pdf.cell(0, 7, "Thủ tục có nhiều hồ sơ trễ hạn nhất", new_x="LMARGIN", new_y="NEXT")
    for p in items:
        y = pdf.get_y()
        pdf.set_font(FONT, "", PDF_TABLE_PT)
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
        [24, 86, 24, 23, 23],
        ["LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"],
        size=PDF_TABLE_PT,
    )
    if late.by_unit:
        rows = [
            [p.name, vf.fmt_int(p.dossiers), vf.fmt_pct(p.share), vf.fmt_pct(p.cumulative_share)] for p in late.by_unit
        ]
        layout.table(
            pdf,
            ["Đơn vị", "Số hồ sơ trễ", "Tỷ trọng", "Lũy kế"],
            rows,
            [110, 24, 23, 23],
            ["LEFT", "RIGHT", "RIGHT", "RIGHT"],
            size=PDF_TABLE_PT,
        )


def _summary(pdf: ReportPDF, deck: Deck, number: str) -> None:
    layout.heading(pdf, f"{number}. Tóm tắt kết quả", need=40)
    for s in deck.summary:
        layout.para(pdf, s, PDF_BODY_PT)
        pdf.ln(2)


def _signatures(pdf: ReportPDF, deck: Deck) -> None:
    if pdf.get_y() + 40 > pdf.h - 20:
        pdf.add_page()
    pdf.ln(6)
    half = (pdf.w - 2 * MARGIN) / 2
    y = pdf.get_y()
    pdf.set_font(FONT, "", 11)
    layout.set_colour(pdf, MUTED)
    pdf.set_xy(MARGIN + half, y)
    pdf.cell(
        half,
        5,
        f"Ngày {deck.generated_at.day:02d} tháng {deck.generated_at.month:02d} năm {deck.generated_at.year}",
        align="C",
    )
    pdf.set_font(FONT, "B", 12)
    layout.set_colour(pdf, INK)
    pdf.set_xy(MARGIN, y + 6)
    pdf.cell(half, 5, "NGƯỜI LẬP BÁO CÁO", align="C")
    pdf.set_xy(MARGIN + half, y + 6)
    pdf.cell(half, 5, "THỦ TRƯỞNG ĐƠN VỊ", align="C")
    pdf.set_font(FONT, "", 10)
    layout.set_colour(pdf, MUTED)
    pdf.set_xy(MARGIN, y + 12)
    pdf.cell(half, 5, "(Ký, ghi rõ họ tên)", align="C")
    pdf.set_xy(MARGIN + half, y + 12)
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
            layout.para(pdf, s, PDF_BODY_PT, MUTED, False, "C")
    else:
        _kpi_table(pdf, deck)
        _summary(pdf, deck, "2")
        _charts(pdf, deck)
        _rankings(pdf, deck)
        _below(pdf, deck, full=False)
        _late(pdf, deck)
        bieu06_section(pdf, deck, str(ahead_sections(pdf, deck, 7)))
        _signatures(pdf, deck)
        _below(pdf, deck, full=True)
    data = pdf.output()
    if isinstance(out, io.BytesIO):
        out.write(bytes(data))
    else:
        Path(out).write_bytes(bytes(data))
