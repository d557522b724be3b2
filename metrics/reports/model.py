"""The conference deck as data: which sections it has and which numbers each carries.

The PowerPoint, the PDF, the Excel workbook and the presentation page all lay out this one
object (built once from the engine by `metrics.reports.build`); none of them asks the
engine anything or turns a number into text by itself except through `metrics.vi_format`.
That is what keeps the projector, the paper handout and the spreadsheet from ever
disagreeing. Titles, definitions and nouns are the registry's, never written here again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from metrics import periods, registry
from metrics import vi_format as vf
from metrics.reports.ahead import BudgetSection, ScoresSection
from metrics.reports.bieu06 import Bieu06Row
from metrics.reports.config import ReportConfig
from metrics.reports.figures import BelowTarget, ChartLine, Series, TierFigure, UnitRow, fmt_target

NO_DOSSIERS = "Không có hồ sơ trong kỳ"
REPORT_TITLE = "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
NO_TIER = "Chưa xác định cấp"

# The metric the deck leads with and whose definition its header names ("Cách tính đúng
# hạn: …"); the report CLI's --on-time-definition chooses among its registry definitions.
ON_TIME = "on_time_rate"


@dataclass(frozen=True)
class KpiSection:
    metric: str
    definition: str
    title: str
    definition_note: str
    numerator_label: str
    denominator_label: str
    total: TierFigure
    tiers: tuple[TierFigure, ...]
    months: tuple[str, ...]
    month_labels: tuple[str, ...]
    series: tuple[Series, ...]

    @property
    def has_data(self) -> bool:
        return self.total.figure.denominator > 0 or any(t.figure.denominator > 0 for t in self.tiers)

    @property
    def shared_target(self) -> float | None:
        """The target when every tier has the same one (so one target line serves all)."""
        targets = {t for s in self.series for t in s.targets if t is not None}
        return targets.pop() if len(targets) == 1 else None

    def chart_lines(self) -> tuple[ChartLine, ...]:
        """The monthly chart every writer draws: a line per tier, then the target as
        one dashed line when all tiers share it, else one dashed line per tier."""
        lines = [ChartLine(s.label, tuple(s.rates), s.tier, False) for s in self.series]
        shared = self.shared_target
        if shared is not None:
            # over the months some tier was rated in, and only those
            values = tuple(
                shared if any(s.targets[i] is not None for s in self.series) else None for i in range(len(self.months))
            )
            lines.append(ChartLine(f"Chỉ tiêu {fmt_target(shared)}", values, None, True))
        else:
            lines += [
                ChartLine(f"Chỉ tiêu {s.label.lower()}", tuple(s.targets), s.tier, True)
                for s in self.series
                if any(t is not None for t in s.targets)
            ]
        return tuple(lines)


@dataclass(frozen=True)
class Ranking:
    metric: str
    metric_title: str
    tier: str
    tier_label: str
    rows: tuple[UnitRow, ...]

    @property
    def ranked(self) -> int:
        return sum(1 for r in self.rows if r.rank is not None)

    @property
    def below(self) -> tuple[UnitRow, ...]:
        return tuple(r for r in self.rows if r.figure.meets_target is False)


@dataclass(frozen=True)
class ParetoItem:
    key: str
    name: str
    dossiers: int
    share: float | None
    cumulative_share: float | None


@dataclass(frozen=True)
class LateSection:
    resolved_late: int
    open_overdue: int
    by_procedure: tuple[ParetoItem, ...]
    by_unit: tuple[ParetoItem, ...]

    @property
    def total(self) -> int:
        return self.resolved_late + self.open_overdue


@dataclass(frozen=True)
class Deck:
    title: str
    scope_label: str
    period_label: str
    date_from: dt.date
    date_to: dt.date
    data_as_of: dt.date | None
    dossiers_in_db: int
    generated_at: dt.datetime
    on_time_definition: str
    tier: str | None
    unit: str | None
    kpis: tuple[KpiSection, ...]
    rankings: tuple[Ranking, ...]
    below_target: tuple[BelowTarget, ...]
    late: LateSection
    summary: tuple[str, ...]
    previous_label: str | None = None
    late_rows: Any = None  # DataFrame of compute.late(), only when asked (the workbook)
    settings: ReportConfig = field(default_factory=ReportConfig)  # whose deck: data/report.toml
    target_source: str = ""  # the province's own plan its targets come from
    data_warning: str | None = None  # one sentence when the data is old or incomplete
    bieu06: tuple[Bieu06Row, ...] = ()  # the official table, Biểu 06/VPCP/KSTT
    budget: BudgetSection | None = None  # late budgets of the year/quarter in progress
    scores: ScoresSection | None = None  # official scores, only when some were imported

    @property
    def empty(self) -> bool:
        """No dossier received or resolved in the period and scope. (Dossiers still open
        from earlier periods do not make a period's deck: its rates would all be '—'.)"""
        return not any(k.has_data for k in self.kpis)

    @property
    def period_text(self) -> str:
        """'Quý III/2024 (01/07/2024 – 30/09/2024)'."""
        return f"{self.period_label} ({vf.fmt_date(self.date_from)} – {vf.fmt_date(self.date_to)})"

    @property
    def data_as_of_text(self) -> str:
        if self.data_as_of is None:
            return "Chưa có dữ liệu"
        return f"Dữ liệu đến ngày {vf.fmt_date(self.data_as_of)}"

    @property
    def owner(self) -> str:
        """Whose deck: the issuing body (else the province) from data/report.toml."""
        return self.settings.issuing_body or self.settings.province

    @property
    def footer_text(self) -> str:
        """Every slide's footer, short enough for one line at 18 pt: whose deck, the scope
        (unless the whole province), the period and the data date."""
        scope = "" if self.tier is None and self.unit is None else f" · {self.scope_label}"
        asof = f"dữ liệu đến {vf.fmt_date(self.data_as_of)}" if self.data_as_of else "chưa có dữ liệu"
        parts = [self.owner, f"{self.period_label}{scope}", asof]
        return " · ".join(p for p in parts if p)

    @property
    def meeting_text(self) -> str:
        """'Hội nghị … · 15/12/2026' for the title slide and the PDF's footer."""
        s = self.settings
        return " · ".join(p for p in (s.meeting_title, vf.fmt_date(s.meeting_date) if s.meeting_date else "") if p)

    @property
    def filters_text(self) -> str:
        try:
            phrase = registry.metric(ON_TIME, self.on_time_definition).definition_phrase_vi
        except KeyError:  # a definition the registry does not have is shown as it came
            phrase = self.on_time_definition
        parts = [f"Kỳ báo cáo: {self.period_text}", f"Phạm vi: {self.scope_label}"]
        parts.append("Cách tính đúng hạn: " + phrase)
        return " · ".join(parts)

    def kpi(self, metric: str) -> KpiSection | None:
        return next((k for k in self.kpis if k.metric == metric), None)

    def ranking(self, metric: str, tier: str) -> Ranking | None:
        return next((r for r in self.rankings if r.metric == metric and r.tier == tier), None)

    def strings(self) -> list[str]:
        """Every piece of Vietnamese text the deck carries (for the round-trip tests)."""
        out = [self.title, self.scope_label, self.period_label, self.period_text, self.data_as_of_text]
        out += [self.owner, self.meeting_text, self.target_source, self.data_warning or ""]
        out += [b.label for b in self.bieu06]
        out += list(self.summary)
        for k in self.kpis:
            out += [k.title, k.numerator_label, k.denominator_label, k.definition_note]
            out += [t.label for t in k.tiers] + [t.status for t in (k.total, *k.tiers)]
            out += list(k.month_labels)
        for r in self.rankings:
            out += [r.metric_title, r.tier_label] + [u.unit_name for u in r.rows]
        for b in self.below_target:
            out += [b.unit_name, b.needed_text]
        out += [p.name for p in self.late.by_procedure] + [p.name for p in self.late.by_unit]
        if self.budget is not None:
            out += [self.budget.period, self.budget.basis_text]
            out += [t for r in self.budget.rows for t in (r.unit_name, r.budget_text)]
        if self.scores is not None:
            out += [r.unit_name for r in self.scores.rows] + [i.name for i in self.scores.indices]
        return [s for s in out if s]


# ---------------------------------------------------------------------------------------
# Names as people say them
# ---------------------------------------------------------------------------------------


def month_label_short(month: str) -> str:
    """'2024-10' -> 'T10/2024' (chart axes have no room for 'Tháng 10/2024')."""
    return vf.fmt_month(month).replace("Tháng ", "T")


def period_label(date_from: dt.date, date_to: dt.date) -> str:
    return periods.label(date_from, date_to)


def comparison_label(date_from: dt.date, date_to: dt.date, prev_from: dt.date, prev_to: dt.date) -> str:
    """How the previous period is named after 'so với': 'quý II', 'tháng 9/2024', 'năm 2023'."""
    kind = periods.kind_of(prev_from, prev_to)
    y, m = prev_from.year, prev_from.month
    if kind == "quarter":
        return f"quý {vf.ROMAN_QUARTERS[(m - 1) // 3]}" + ("" if y == date_from.year else f"/{y}")
    if kind in ("month", "year", "ytd"):
        return vf.lower_first(periods.label(prev_from, prev_to))
    return f"kỳ trước ({vf.fmt_date(prev_from)} – {vf.fmt_date(prev_to)})"
