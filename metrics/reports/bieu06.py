"""Biểu 06/VPCP/KSTT (Circular 01/2020/TT-VPCP) as the deck carries it: the engine's table
(`compute.bieu06`) as plain rows, and the form's two-level heading, which every writer
(PowerPoint, PDF, HTML slides, workbook) lays out the same way officials know it: the unit,
then received (total, carried over, new online, new direct and postal), resolved (total,
before due, on due, late), in progress (total, within due, overdue), and the rates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from metrics import registry
from metrics import vi_format as vf
from metrics.reports import cells
from metrics.reports.figures import HISTORY

TITLE = "Tình hình, kết quả giải quyết thủ tục hành chính (Biểu 06/VPCP/KSTT)"
SLIDE_TITLE = "Kết quả giải quyết TTHC (Biểu 06/VPCP/KSTT)"  # one line at 28 pt
LEGAL_NOTE = (
    "Theo mẫu Biểu 06/VPCP/KSTT, Thông tư 01/2020/TT-VPCP. Hồ sơ đang giải quyết được tính đến cuối kỳ "
    "(với đơn vị chưa có dữ liệu đến cuối kỳ: đến ngày dữ liệu cuối cùng của đơn vị). "
    "Không tính hồ sơ bị từ chối tiếp nhận, rút hoặc dừng xử lý trong kỳ."
)
# The engine's columns in the form's order (declared once, in the registry), then the rates.
COUNTS = registry.BIEU06_COUNTS
RATES = ("on_time_rate", "online_share")
# The two-level heading: (group, span) over the sub-headings below it. "Đơn vị" spans
# both levels.
UNIT_HEADING = "Đơn vị"
GROUPS = (
    ("Số hồ sơ nhận giải quyết", 4),
    ("Số hồ sơ đã giải quyết", 4),
    ("Số hồ sơ đang giải quyết", 3),
    ("Tỷ lệ (%)", 2),
)
SUBHEADINGS = (
    "Tổng số",
    "Kỳ trước chuyển sang",
    "Trực tuyến",
    "Trực tiếp, BCCI",
    "Tổng số",
    "Trước hạn",
    "Đúng hạn",
    "Quá hạn",
    "Tổng số",
    "Trong hạn",
    "Quá hạn",
    "Đúng hạn",
    "Trực tuyến",
)
ROMAN = ("I", "II", "III", "IV", "V", "VI")


@dataclass(frozen=True)
class Bieu06Row:
    level: str  # total | tier | unit
    tier: str | None
    unit_code: str | None
    label: str
    counts: tuple[int, ...]  # in COUNTS order
    rates: tuple[float | None, ...]  # in RATES order
    history: bool

    def value(self, column: str) -> int:
        return self.counts[COUNTS.index(column)]

    def cells(self) -> list[str]:
        """The row as printed: its label (a tier or unit no longer in force marked 'Lịch
        sử'), then every count and rate in vi-VN form."""
        label = f"{self.label} ({HISTORY.lower()})" if self.history else self.label
        return [label, *(vf.fmt_int(c) for c in self.counts), *(vf.fmt_pct(r) for r in self.rates)]


def rows_from(frame: Any, scope_label: str) -> tuple[Bieu06Row, ...]:
    """The engine's frame as rows, labelled as the form is read: the scope's total, each
    tier numbered I, II… with its subtotal, then its units."""
    out: list[Bieu06Row] = []
    tier_no = 0
    for r in cells.records(frame):
        level = str(r.get("level"))
        tier = cells.tier_key(r.get("tier"))
        if level == "total":
            label = f"Tổng cộng ({scope_label})"
        elif level == "tier":
            name = registry.tier_label(tier) if tier else "Chưa xác định cấp"
            label = f"{ROMAN[tier_no] if tier_no < len(ROMAN) else tier_no + 1}. {name}"
            tier_no += 1
        else:
            label = str(r.get("unit_name") or r.get("unit_code"))
        out.append(
            Bieu06Row(
                level=level,
                tier=tier,
                unit_code=None if r.get("unit_code") is None else str(r.get("unit_code")),
                label=label,
                counts=tuple(cells.as_int(r.get(c)) for c in COUNTS),
                rates=tuple(cells.as_float(r.get(c)) for c in RATES),
                history=bool(cells.as_bool(r.get("history"))),
            )
        )
    return tuple(out)
