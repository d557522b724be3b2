"""The numbers of the conference deck: one rate with the counts behind it, a tier's row
of a KPI table, a unit's row of a ranking, and the lines of a monthly chart.

Every rate here is the engine's, never recomputed; these classes only say how the deck
words and compares it (status words, "cần thêm 14 hồ sơ đúng hạn"), through
`metrics.vi_format`, so the projector, the paper and the spreadsheet agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from metrics import registry, views
from metrics import vi_format as vf

# The dashboard's status words for views.status() codes; the colour never stands alone.
STATUS_WORDS = {
    "met": "Đạt",
    "near": "Sát ngưỡng",
    "below": "Chưa đạt",
    "no_target": "Chưa có chỉ tiêu",
    "none": "Không có hồ sơ",
    "history": "Lịch sử",
}
HISTORY = STATUS_WORDS["history"]


def fmt_target(target: float | None) -> str:
    """A target as people write it: 97% rather than 97,00%, 97,5% when it has a fraction."""
    if target is None:
        return vf.DASH
    pct = round(target * 100, 6)
    if pct == int(pct):
        return vf.fmt_pct(target, 0)
    return vf.fmt_pct(target, 1 if round(pct, 1) == pct else 2)


def wording(metric: str) -> registry.Metric:
    """The registry row whose nouns the deck's sentences use. Every definition of a metric
    counts the same things ("hồ sơ đúng hạn" under both on-time definitions), so the
    default definition speaks for all of them."""
    return registry.metric(metric)


@dataclass(frozen=True)
class Figure:
    """One rate with the counts behind it (the rate is the engine's, never recomputed)."""

    numerator: int
    denominator: int
    rate: float | None
    target: float | None
    meets_target: bool | None
    coverage: float | None = None  # satisfaction: rated ÷ resolved
    coverage_numerator: int | None = None
    coverage_denominator: int | None = None
    history: bool = False  # a tier or unit not in force over the whole period: never rated

    @property
    def gap(self) -> float | None:
        if self.rate is None or self.target is None:
            return None
        return self.rate - self.target

    @property
    def status(self) -> str:
        """'Đạt', 'Sát ngưỡng' (under target by less than the dashboard's margin),
        'Chưa đạt', or why there is no verdict ('Lịch sử' for a tier or unit gone)."""
        return STATUS_WORDS[views.status(self.rate, self.target, history=self.history)]

    @property
    def rate_text(self) -> str:
        return vf.fmt_pct(self.rate)

    @property
    def target_text(self) -> str:
        return fmt_target(self.target)

    @property
    def counts_text(self) -> str:
        return f"{vf.fmt_int(self.numerator)}/{vf.fmt_int(self.denominator)}"

    def needed(self) -> int | None:
        """Dossiers that would have had to move into the numerator to reach the target."""
        if self.rate is None or self.target is None or self.meets_target in (None, True):
            return None
        return views.dossiers_needed(self.numerator, self.denominator, self.target)


EMPTY_FIGURE = Figure(0, 0, None, None, None)


@dataclass(frozen=True)
class TierFigure:
    tier: str | None  # None: the whole scope
    label: str
    figure: Figure
    previous: Figure | None = None

    @property
    def status(self) -> str:
        """The figure's status; the whole scope of a metric whose target differs by tier
        has no target of its own, and says so instead of 'no target'."""
        if (
            self.tier is None
            and self.figure.rate is not None
            and self.figure.target is None
            and not self.figure.history
        ):
            return "Chỉ tiêu theo từng cấp"
        return self.figure.status

    @property
    def change(self) -> float | None:
        if self.previous is None or self.previous.rate is None or self.figure.rate is None:
            return None
        return self.figure.rate - self.previous.rate

    def table_cells(self) -> list[str]:
        """One row of a KPI table, as every writer prints it: scope, rate, target,
        status, change, numerator, denominator."""
        return [
            self.label,
            self.figure.rate_text,
            self.figure.target_text,
            self.status,
            vf.fmt_pp(self.change) if self.change is not None else vf.DASH,
            vf.fmt_int(self.figure.numerator),
            vf.fmt_int(self.figure.denominator),
        ]


@dataclass(frozen=True)
class UnitRow:
    rank: int | None  # None: too few dossiers to rank fairly
    unit_code: str
    unit_name: str
    tier: str
    figure: Figure
    previous_rank: int | None = None

    @property
    def history(self) -> bool:
        return self.figure.history

    @property
    def small(self) -> bool:
        """Listed without a rank for too few dossiers (a history unit is never ranked)."""
        return self.rank is None and not self.history

    @property
    def rank_text(self) -> str:
        if self.history:
            return HISTORY
        return str(self.rank) if self.rank is not None else vf.DASH


@dataclass(frozen=True)
class BelowTarget:
    metric: str
    metric_title: str
    tier: str
    tier_label: str
    unit_code: str
    unit_name: str
    figure: Figure
    small: bool

    @property
    def needed_text(self) -> str:
        need = self.figure.needed()
        if need is None:
            return vf.DASH
        return f"cần thêm {vf.fmt_int(need)} {wording(self.metric).numerator_noun_vi}"


@dataclass(frozen=True)
class Series:
    """One line of a monthly chart: a tier's rates, and the target in force each month."""

    tier: str | None
    label: str
    rates: tuple[float | None, ...]
    targets: tuple[float | None, ...]
    numerators: tuple[int, ...] = ()
    denominators: tuple[int, ...] = ()


@dataclass(frozen=True)
class ChartLine:
    label: str
    values: tuple[float | None, ...]
    tier: str | None  # whose colour it takes; a shared target line has none
    is_target: bool  # drawn dashed

    @property
    def shared_target(self) -> bool:
        return self.is_target and self.tier is None


def chart_values(lines: tuple[ChartLine, ...]) -> list[float]:
    """Every value on the chart, for its axis bounds."""
    return [v for line in lines for v in line.values if v is not None]
