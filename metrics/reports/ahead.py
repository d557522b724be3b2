"""Ahead of the clock in the deck (issue 13), as plain data: the late budget of each unit
for the year (or quarter) in progress at the deck's end, and the official scores beside
our 766 estimate. Built by `metrics.reports.ahead_build`; laid out by every writer
through `metrics.reports.plan`. Every sentence is made here from these values, so the
slide, the handout and the summary word a budget the same way and never write a budget
that has no data behind it as 0."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from metrics import vi_format as vf
from metrics.reports.figures import fmt_target

# A budget with these statuses has a figure; no_data and no_target have none.
RATED = ("failed", "below", "on_track")
BASIS_VI = {
    "last_year": "theo cùng kỳ năm trước, nhân với mức tăng của năm nay",
    "pace": "theo nhịp năm nay (năm trước không có số liệu)",
}
NO_BUDGET_VI = {"no_data": "chưa có dữ liệu", "no_target": "không có chỉ tiêu"}
# The portal's tiến độ and ours further apart than this (points): the slide says so.
DISAGREE_POINTS = 2.0


@dataclass(frozen=True)
class BudgetRow:
    unit_code: str
    unit_name: str
    tier_label: str
    rate: float | None
    target: float | None
    resolved: int
    expected_remaining: int | None
    basis: str | None
    late_budget: int | None
    needed_on_time: int | None
    status: str  # forecast.Budget: no_data | no_target | on_track | below | failed

    @property
    def budget_text(self) -> str:
        """'còn được trễ 3', 'không còn đạt được trong kỳ · cần 12 hồ sơ đúng hạn để đạt lại';
        never a negative number, never 0 for no data."""
        if self.status not in RATED:
            return NO_BUDGET_VI.get(self.status, vf.DASH)
        needed = f"cần {vf.fmt_int(self.needed_on_time)} hồ sơ đúng hạn để đạt lại"
        if self.status == "failed":
            return "không còn đạt được trong kỳ" + (f" · {needed}" if self.needed_on_time else "")
        text = f"còn được trễ {vf.fmt_int(self.late_budget)}"
        return text + (f" · {needed}" if self.status == "below" and self.needed_on_time else "")

    @property
    def expected_text(self) -> str:
        if self.expected_remaining is None:
            return vf.DASH
        return f"{vf.fmt_int(self.expected_remaining)} hồ sơ"


@dataclass(frozen=True)
class BudgetSection:
    """The budgets of the units in the deck's scope over [date_from, date_to] (the year or
    quarter in progress at the deck's end), as of `as_of`; `period` as a sentence says it
    ('năm 2026', 'quý II/2026')."""

    period: str
    date_from: dt.date
    date_to: dt.date
    as_of: dt.date
    definition_phrase: str
    rows: tuple[BudgetRow, ...]

    @property
    def rated(self) -> tuple[BudgetRow, ...]:
        return tuple(r for r in self.rows if r.status in RATED)

    @property
    def closest(self) -> tuple[BudgetRow, ...]:
        """Units that cannot get back first, then the smallest budgets left."""
        return tuple(
            sorted(
                self.rated,
                key=lambda r: (r.status != "failed", r.late_budget if r.late_budget is not None else -1, r.unit_code),
            )
        )

    @property
    def failed(self) -> tuple[BudgetRow, ...]:
        return tuple(r for r in self.closest if r.status == "failed")

    @property
    def unrated(self) -> int:
        return len(self.rows) - len(self.rated)

    @property
    def target_text(self) -> str:
        targets = {r.target for r in self.rated if r.target is not None}
        return fmt_target(targets.pop()) if len(targets) == 1 else "chỉ tiêu"

    @property
    def basis_text(self) -> str:
        """How the volume still to come was estimated, in one line."""
        bases = [BASIS_VI[b] for b in BASIS_VI if any(r.basis == b for r in self.rated)]
        how = "; ".join(bases) or "không có số liệu để ước tính"
        return (
            f"Số hồ sơ còn về đến {vf.fmt_date(self.date_to)} ước tính {how}; "
            f"tính đến {vf.fmt_date(self.as_of)}, đúng hạn: {self.definition_phrase}."
        )

    def sentences(self) -> list[str]:
        """The summary's sentences: the reachable unit closest to its limit, and the units
        that can no longer reach the target this period. Nothing when no unit is rated."""
        out = []
        reachable = [r for r in self.closest if r.status != "failed" and r.late_budget is not None]
        if reachable:
            r = reachable[0]
            out.append(
                f"{r.unit_name} chỉ còn được phép trễ tối đa {vf.fmt_int(r.late_budget)} hồ sơ trong {self.period} "
                f"để giữ mức {fmt_target(r.target)}."
            )
        if self.failed:
            names = ", ".join(r.unit_name for r in self.failed[:3])
            more = len(self.failed) - 3
            if more > 0:
                names += f" và {more} đơn vị khác"
            out.append(
                f"{names} không còn đạt được mức {self.target_text} trong {self.period}, "
                "kể cả khi mọi hồ sơ còn lại đều đúng hạn."
            )
        return out


def score_text(score: float, rank: int | None, ranked_of: int | None) -> str:
    """'89,30 điểm, xếp thứ 12/13'."""
    text = f"{vf.fmt_number(score, 2)} điểm"
    if rank is not None and ranked_of is not None:
        text += f", xếp thứ {vf.fmt_int(rank)}/{vf.fmt_int(ranked_of)}"
    return text


def rank_change(rank: int | None, rank_last_year: int | None) -> str:
    """The move since the same score a year earlier: 'tăng 2 bậc', 'giảm 1 bậc'."""
    if rank is None or rank_last_year is None:
        return vf.DASH
    moved = rank_last_year - rank
    if moved > 0:
        return f"tăng {vf.fmt_int(moved)} bậc"
    if moved < 0:
        return f"giảm {vf.fmt_int(-moved)} bậc"
    return "giữ nguyên"


@dataclass(frozen=True)
class ScoreRow:
    """One unit's official 766 score beside our estimate of the same period."""

    unit_code: str
    unit_name: str
    tier: str | None
    tier_label: str
    score: float
    rank: int | None
    ranked_of: int | None
    rank_last_year: int | None
    official_tien_do: float | None  # the portal's TDGQ
    estimate_tien_do: float | None  # 20 × our 766 on-time rate
    estimate_points: float | None
    estimate_covered: float | None

    @property
    def score_text(self) -> str:
        return score_text(self.score, self.rank, self.ranked_of)

    @property
    def change_text(self) -> str:
        return rank_change(self.rank, self.rank_last_year)

    @property
    def estimate_text(self) -> str:
        if self.estimate_points is None or self.estimate_covered is None:
            return "chưa có dữ liệu"
        return f"{vf.fmt_number(self.estimate_points, 2)}/{vf.fmt_number(self.estimate_covered, 0)} điểm"

    @property
    def tien_do_text(self) -> str:
        def pts(v: float | None) -> str:
            return vf.DASH if v is None else vf.fmt_number(v, 2)

        return f"{pts(self.official_tien_do)} / {pts(self.estimate_tien_do)}"

    @property
    def gap(self) -> float | None:
        if self.official_tien_do is None or self.estimate_tien_do is None:
            return None
        return abs(self.official_tien_do - self.estimate_tien_do)

    @property
    def verdict_text(self) -> str:
        if self.gap is None:
            return "không so được"
        if self.gap > DISAGREE_POINTS:
            return f"lệch {vf.fmt_number(self.gap, 2)} điểm"
        return "khớp"


@dataclass(frozen=True)
class IndexRow:
    """A province row of another index (PAR INDEX, SIPAS)."""

    index_name: str
    year: int
    name: str
    score: float
    rank: int | None
    ranked_of: int | None
    rank_last_year: int | None
    source: str

    @property
    def score_text(self) -> str:
        return score_text(self.score, self.rank, self.ranked_of)

    @property
    def change_text(self) -> str:
        return rank_change(self.rank, self.rank_last_year)


@dataclass(frozen=True)
class ScoresSection:
    """The official scores in force for `period` (the newest imported up to the deck's
    year) and our estimate over the same dates, labelled as an estimate."""

    period: str
    estimate_label: str
    rows: tuple[ScoreRow, ...]
    indices: tuple[IndexRow, ...]

    @property
    def disagree(self) -> tuple[ScoreRow, ...]:
        return tuple(r for r in self.rows if r.gap is not None and r.gap > DISAGREE_POINTS)
