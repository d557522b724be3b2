"""The look ahead in the A4 report (issue 13): every unit's late budget for the year or
quarter in progress with the basis of the estimate, and the official scores beside our
766 estimate. The cells are the slides' own (`metrics.reports.ahead_plan`), unpaged."""

from __future__ import annotations

from metrics.reports import ahead_plan
from metrics.reports import pdf_layout as layout
from metrics.reports.model import Deck
from metrics.reports.pdf_layout import ReportPDF
from metrics.reports.style import MUTED, PDF_BODY_PT, PDF_TABLE_PT


def ahead_sections(pdf: ReportPDF, deck: Deck, number: int) -> int:
    """The budget and the scores sections, numbered from `number`; the next free number."""
    b = deck.budget
    if b is not None:
        layout.heading(pdf, f"{number}. {ahead_plan.budget_title(b)}", need=50)
        layout.para(pdf, ahead_plan.budget_subtitle(b) + ".", PDF_BODY_PT)
        rows = ahead_plan.budget_rows(b)
        if rows:
            layout.table(
                pdf,
                list(ahead_plan.BUDGET_HEADER),
                [list(r) for r in rows],
                [22, 48, 22, 60, 28],
                ["LEFT", "LEFT", "RIGHT", "LEFT", "RIGHT"],
                size=PDF_TABLE_PT,
            )
        else:
            layout.para(pdf, ahead_plan.NO_BUDGET + ".", PDF_BODY_PT)
        layout.para(pdf, ahead_plan.budget_note(b), PDF_TABLE_PT, MUTED)
        number += 1
    s = deck.scores
    if s is not None:
        layout.heading(pdf, f"{number}. Điểm chính thức và điểm ước tính", need=50)
        if s.rows:
            layout.para(pdf, f"Bộ chỉ số 766 trên Cổng DVCQG, {s.period}.", PDF_BODY_PT)
            layout.table(
                pdf,
                list(ahead_plan.SCORE_HEADER),
                [list(r) for r in ahead_plan.score_rows(s)],
                [45, 38, 25, 30, 25, 22],
                ["LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "LEFT"],
                size=PDF_TABLE_PT,
            )
            layout.para(pdf, ahead_plan.scores_note(s), PDF_TABLE_PT, MUTED)
        if s.indices:
            layout.para(pdf, ahead_plan.index_title(s) + ".", PDF_BODY_PT)
            layout.table(
                pdf,
                list(ahead_plan.INDEX_HEADER),
                [list(r) for r in ahead_plan.index_rows(s)],
                [24, 14, 32, 38, 26, 46],
                ["LEFT", "RIGHT", "LEFT", "LEFT", "LEFT", "LEFT"],
                size=PDF_TABLE_PT,
            )
        number += 1
    return number
