"""The deck's look-ahead slides (issue 13) as cells every writer lays out the same way:
the late budget of the year or quarter in progress (units that cannot get back first,
then the smallest budgets left), the official 766 table beside our estimate, and the
province's other indices. `metrics.reports.plan` places them after the late dossiers."""

from __future__ import annotations

from typing import Any

from metrics import vi_format as vf
from metrics.reports.ahead import DISAGREE_POINTS, BudgetRow, BudgetSection, ScoresSection
from metrics.reports.model import Deck

# Rows that fit on a projected slide at 18 pt under the heading, with the note below.
BUDGET_ROWS = 6
SCORE_ROWS = 6
NO_BUDGET = "Chưa có đơn vị nào đủ dữ liệu và chỉ tiêu để tính hạn mức trễ hạn"
BUDGET_HEADER = ("Cấp", "Đơn vị", "Tỷ lệ đến nay", "Được trễ thêm", "Dự kiến còn về")
SCORE_HEADER = ("Đơn vị", "Điểm chính thức", "So với năm trước", "Tiến độ: Cổng / ước tính", "Ước tính", "Nhận xét")
INDEX_HEADER = ("Chỉ số", "Năm", "Tỉnh", "Điểm, thứ hạng", "So với năm trước", "Nguồn")


def slides(deck: Deck) -> list[dict[str, Any]]:
    """The SlideSpec fields of each look-ahead slide, in order."""
    out = []
    if deck.budget is not None:
        out.append(_budget(deck.budget))
    if deck.scores is not None:
        out += _scores(deck.scores)
    return out


def budget_rows(b: BudgetSection) -> list[tuple[str, ...]]:
    """Every unit with a budget, those that cannot get back first, then the smallest left."""
    return [_budget_cells(r) for r in b.closest]


def _budget_cells(r: BudgetRow) -> tuple[str, ...]:
    return (r.tier_label, r.unit_name, vf.fmt_pct(r.rate), r.budget_text, r.expected_text)


def budget_title(b: BudgetSection) -> str:
    return f"Hạn mức trễ hạn {b.period}"


def budget_subtitle(b: BudgetSection) -> str:
    return f"Còn được trễ bao nhiêu hồ sơ để {b.period} vẫn đạt {b.target_text} · tính đến {vf.fmt_date(b.as_of)}"


def budget_note(b: BudgetSection) -> str:
    """The basis of the estimate, and how many units have no budget (never shown as 0)."""
    note = b.basis_text
    if b.unrated:
        note += f" {vf.fmt_int(b.unrated)} đơn vị chưa có dữ liệu hoặc chỉ tiêu: không tính hạn mức."
    return note


def score_rows(s: ScoresSection) -> list[tuple[str, ...]]:
    return [(r.unit_name, r.score_text, r.change_text, r.tien_do_text, r.estimate_text, r.verdict_text) for r in s.rows]


def index_rows(s: ScoresSection) -> list[tuple[str, ...]]:
    return [(i.index_name, str(i.year), i.name, i.score_text, i.change_text, i.source) for i in s.indices]


def index_title(s: ScoresSection) -> str:
    return f"Chỉ số {', '.join(dict.fromkeys(i.index_name for i in s.indices))} của tỉnh"


def scores_note(s: ScoresSection) -> str:
    """What the estimate covers and where it and the portal disagree."""
    disagree = ", ".join(r.unit_name for r in s.disagree[:3]) + (
        f" và {len(s.disagree) - 3} đơn vị khác" if len(s.disagree) > 3 else ""
    )
    return (
        f"Ước tính từ hồ sơ, chỉ các phần tính được (tiến độ 20 điểm, trực tuyến 6 điểm): {s.estimate_label}. "
        f"“Lệch” khi điểm tiến độ chênh quá {vf.fmt_int(DISAGREE_POINTS)} điểm"
        + (f": {disagree}." if disagree else "; không đơn vị nào lệch.")
    )


def _on_slide(b: BudgetSection) -> list[tuple[str, ...]]:
    """The slide's rows: the units closest to their limit (still able to reach the
    target), then those that cannot get back; each kind keeps some room when both exist."""
    reachable = [r for r in b.closest if r.status != "failed"]
    failed = list(b.failed)
    n_failed = min(len(failed), BUDGET_ROWS // 2 if reachable else BUDGET_ROWS)
    picked = reachable[: BUDGET_ROWS - n_failed] + failed[:n_failed]
    return [_budget_cells(r) for r in picked]


def _budget(b: BudgetSection) -> dict[str, Any]:
    shown = _on_slide(b)
    hidden = len(b.rated) - len(shown)
    if hidden:
        shown.append((f"… và {vf.fmt_int(hidden)} đơn vị khác: xem báo cáo PDF và bảng tính Excel",))
    note = budget_note(b)
    return {
        "kind": "budget",
        "title": budget_title(b),
        "subtitle": budget_subtitle(b),
        "header": BUDGET_HEADER,
        "rows": tuple(shown),
        "widths": (1.1, 3.7, 1.5, 5.0, 1.8),
        "hidden": hidden,
        "note": note,
        "message": "" if b.rated else NO_BUDGET,
        "notes": " ".join([*b.sentences(), b.basis_text]),
    }


def _scores(s: ScoresSection) -> list[dict[str, Any]]:
    """One slide per tier in rank order (a slide holds SCORE_ROWS units; the full table is
    in the PDF and the workbook), then the province's other indices."""
    out = []
    note = scores_note(s)
    groups: dict[str, list[tuple[str, ...]]] = {}
    for row, cells in zip(s.rows, score_rows(s), strict=True):
        groups.setdefault(row.tier_label, []).append(cells)
    for label, items in groups.items():
        shown = items[:SCORE_ROWS]
        hidden = len(items) - len(shown)
        if hidden:
            shown.append((f"… và {vf.fmt_int(hidden)} đơn vị khác: xem báo cáo PDF và bảng tính Excel",))
        out.append(
            {
                "kind": "scores",
                "title": "Điểm Bộ chỉ số 766: chính thức và ước tính",
                "subtitle": f"{label} · Cổng DVCQG, {s.period} · {vf.fmt_int(len(items))} đơn vị",
                "header": SCORE_HEADER,
                "rows": tuple(shown),
                "widths": (3.2, 2.9, 1.9, 2.0, 1.5, 1.5),
                "hidden": hidden,
                "note": note,
                "notes": note,
            }
        )
    if s.indices:
        out.append(
            {
                "kind": "scores",
                "title": index_title(s),
                "subtitle": "Điểm và thứ hạng chính thức đã nhập",
                "header": INDEX_HEADER,
                "rows": tuple(index_rows(s)),
                "widths": (1.6, 0.9, 2.2, 2.8, 2.0, 3.3),
                "note": "",
                "notes": "",
            }
        )
    return out
