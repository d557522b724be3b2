"""The look ahead in the workbook (issue 13): a sheet of every unit's late budget for the
year or quarter in progress, as real numbers with the basis of the estimate (a unit
without data has blank cells and says so, never 0), and a sheet of the official scores
beside our estimate when some were imported."""

from __future__ import annotations

from typing import Any

from metrics.exports import escape_formula
from metrics.reports import ahead_plan
from metrics.reports.ahead import BASIS_VI
from metrics.reports.model import Deck


def _text(value: object) -> str:
    """A cell's text with a leading '=' defused: names and sources come from users' files."""
    return str(escape_formula("" if value is None else str(value)))


BUDGET_SHEET = "Hạn mức trễ hạn"
SCORES_SHEET = "Điểm chính thức"
BUDGET_COLUMNS = [
    ("Mã đơn vị", 16),
    ("Đơn vị", 40),
    ("Cấp", 14),
    ("Chỉ tiêu", 10),
    ("Đã giải quyết đến nay", 14),
    ("Tỷ lệ đúng hạn đến nay", 14),
    ("Dự kiến còn về", 12),
    ("Cơ sở ước tính", 40),
    ("Được trễ thêm", 12),
    ("Cần thêm hồ sơ đúng hạn", 14),
    ("Nhận định", 50),
]


def budget_sheet(book: Any, deck: Deck) -> None:
    b = deck.budget
    if b is None:
        return
    ws, row = book.sheet(BUDGET_SHEET, deck, f"{ahead_plan.budget_title(b)} ({ahead_plan.budget_subtitle(b)})")
    ws.write_string(row - 1, 0, ahead_plan.budget_note(b), book.wrap)
    row += 1
    book.header(ws, row, [c for c, _ in BUDGET_COLUMNS], [w for _, w in BUDGET_COLUMNS])
    order = list(b.closest) + [r for r in b.rows if r not in b.rated]
    for i, r in enumerate(order, start=row + 1):
        ws.write_string(i, 0, _text(r.unit_code))
        ws.write_string(i, 1, _text(r.unit_name))
        ws.write_string(i, 2, r.tier_label)
        book.number(ws, i, 3, r.target, book.pct)
        ws.write_number(i, 4, r.resolved, book.int)
        book.number(ws, i, 5, r.rate, book.pct)
        book.number(ws, i, 6, r.expected_remaining, book.int)
        ws.write_string(i, 7, BASIS_VI.get(r.basis or "", ""))
        book.number(ws, i, 8, r.late_budget, book.int)
        book.number(ws, i, 9, r.needed_on_time if r.status in ("below", "failed") else None, book.int)
        ws.write_string(i, 10, r.budget_text)
    if not b.rows:
        ws.write_string(row + 1, 0, ahead_plan.NO_BUDGET + ".")


def scores_sheet(book: Any, deck: Deck) -> None:
    s = deck.scores
    if s is None:
        return
    ws, row = book.sheet(SCORES_SHEET, deck, f"Điểm Bộ chỉ số 766 trên Cổng DVCQG, {s.period}, và điểm ước tính")
    ws.write_string(row - 1, 0, ahead_plan.scores_note(s), book.wrap)
    row += 1
    header = ["Mã đơn vị", *ahead_plan.SCORE_HEADER, "Điểm", "Thứ hạng", "Số được xếp hạng", "Thứ hạng năm trước"]
    book.header(ws, row, header, [16, 40, 26, 16, 22, 14, 16, 10, 10, 12, 12])
    for i, (r, cells) in enumerate(zip(s.rows, ahead_plan.score_rows(s), strict=True), start=row + 1):
        ws.write_string(i, 0, _text(r.unit_code))
        for c, text in enumerate(cells, start=1):
            ws.write_string(i, c, _text(text))
        ws.write_number(i, 7, r.score)
        book.number(ws, i, 8, r.rank, book.int)
        book.number(ws, i, 9, r.ranked_of, book.int)
        book.number(ws, i, 10, r.rank_last_year, book.int)
    if s.indices:
        r0 = row + len(s.rows) + 2
        for c, name in enumerate(ahead_plan.INDEX_HEADER):
            ws.write_string(r0, c, name, book.head)
        for i, cells in enumerate(ahead_plan.index_rows(s), start=r0 + 1):
            for c, text in enumerate(cells):
                ws.write_string(i, c, _text(text))
