"""The conference deck as data: every figure, label and sentence that the PowerPoint,
the PDF, the Excel workbook and the presentation page show, built once from the engine.

The writers only lay this object out; none of them asks the engine anything or turns a
number into text by itself except through `metrics.vi_format`. That is what keeps the
projector, the paper handout and the spreadsheet from ever disagreeing.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from metrics import periods, registry, views
from metrics import vi_format as vf

NO_DOSSIERS = "Không có hồ sơ trong kỳ"
REPORT_TITLE = "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"

# Conference order: the on-time rate is what provincial reports lead with.
METRIC_ORDER = ("on_time_rate", "online_rate", "satisfaction_rate")

# A unit with fewer dossiers in the denominator than this is listed, marked, and not ranked
# (2 of 2 on time is not a better record than 970 of 1.000): the dashboard's rule.
MIN_DOSSIERS_TO_RANK = views.MIN_DOSSIERS_TO_RANK

# The dashboard's status words for views.status() codes; the colour never stands alone.
STATUS_WORDS = {
    "met": "Đạt",
    "near": "Sát ngưỡng",
    "below": "Chưa đạt",
    "no_target": "Chưa có chỉ tiêu",
    "none": "Không có hồ sơ",
}

# How a tier's units are counted in sentences ("3/15 sở, ngành").
TIER_UNIT_NOUN = {t.code: t.unit_noun_vi for t in registry.TIERS}

# What one more dossier in the numerator is called ("cần thêm 14 hồ sơ đúng hạn").
NUMERATOR_NOUN = {
    "on_time_rate": "hồ sơ đúng hạn",
    "online_rate": "hồ sơ trực tuyến",
    "satisfaction_rate": "đánh giá hài lòng",
}

DEFINITION_LABELS = {
    ("on_time_rate", "resolved"): "hồ sơ đã giải quyết trong kỳ",
    ("on_time_rate", "766"): "theo Quyết định 766/QĐ-TTg, gồm hồ sơ tồn kỳ trước và đang xử lý",
    ("online_rate", "default"): "hồ sơ tiếp nhận trong kỳ",
    ("online_rate", "online_capable"): "chỉ tính thủ tục có dịch vụ công trực tuyến",
    ("satisfaction_rate", "survey"): "trên các hồ sơ đã có đánh giá",
}

FALLBACK_TITLES = {
    "on_time_rate": "Tỷ lệ hồ sơ giải quyết đúng hạn",
    "online_rate": "Tỷ lệ hồ sơ trực tuyến",
    "satisfaction_rate": "Mức độ hài lòng",
}


def _num(value: Any) -> float | None:
    """A frame cell as a float, or None for NULL / NaN / pd.NA."""
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _int(value: Any) -> int:
    f = _num(value)
    return 0 if f is None else round(f)


def _bool(value: Any) -> bool | None:
    if value is None:
        return None
    try:
        if value != value:  # NaN
            return None
    except (TypeError, ValueError):
        return None
    try:
        return bool(value)
    except (TypeError, ValueError):  # pd.NA
        return None


def fmt_target(target: float | None) -> str:
    """A target as people write it: 97% rather than 97,00%, 97,5% when it has a fraction."""
    if target is None:
        return vf.DASH
    pct = round(target * 100, 6)
    if pct == int(pct):
        return vf.fmt_pct(target, 0)
    return vf.fmt_pct(target, 1 if round(pct, 1) == pct else 2)


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

    @property
    def gap(self) -> float | None:
        if self.rate is None or self.target is None:
            return None
        return self.rate - self.target

    @property
    def status(self) -> str:
        """'Đạt', 'Sát ngưỡng' (under target by less than the dashboard's margin),
        'Chưa đạt', or why there is no verdict."""
        return STATUS_WORDS[views.status(self.rate, self.target)]

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
        if self.tier is None and self.figure.rate is not None and self.figure.target is None:
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
class Series:
    """One line of a monthly chart: a tier's rates, and the target in force each month."""

    tier: str | None
    label: str
    rates: tuple[float | None, ...]
    targets: tuple[float | None, ...]
    numerators: tuple[int, ...] = ()
    denominators: tuple[int, ...] = ()


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
            lines.append(ChartLine(f"Chỉ tiêu {vf.fmt_pct(shared, 0)}", (shared,) * len(self.months), None, True))
        else:
            lines += [
                ChartLine(f"Chỉ tiêu {s.label.lower()}", tuple(s.targets), s.tier, True)
                for s in self.series
                if any(t is not None for t in s.targets)
            ]
        return tuple(lines)


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


@dataclass(frozen=True)
class UnitRow:
    rank: int | None  # None: too few dossiers to rank fairly
    unit_code: str
    unit_name: str
    tier: str
    figure: Figure
    previous_rank: int | None = None

    @property
    def small(self) -> bool:
        return self.rank is None


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

    @property
    def with_rate(self) -> int:
        return sum(1 for r in self.rows if r.figure.rate is not None)


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
        return f"cần thêm {vf.fmt_int(need)} {NUMERATOR_NOUN.get(self.metric, 'hồ sơ')}"


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
    def footer_text(self) -> str:
        return f"{self.scope_label} · {self.period_text} · {self.data_as_of_text}"

    @property
    def filters_text(self) -> str:
        parts = [f"Kỳ báo cáo: {self.period_text}", f"Phạm vi: {self.scope_label}"]
        parts.append(
            "Cách tính đúng hạn: "
            + DEFINITION_LABELS.get(("on_time_rate", self.on_time_definition), self.on_time_definition)
        )
        return " · ".join(parts)

    def kpi(self, metric: str) -> KpiSection | None:
        return next((k for k in self.kpis if k.metric == metric), None)

    def ranking(self, metric: str, tier: str) -> Ranking | None:
        return next((r for r in self.rankings if r.metric == metric and r.tier == tier), None)

    def strings(self) -> list[str]:
        """Every piece of Vietnamese text the deck carries (for the round-trip tests)."""
        out = [self.title, self.scope_label, self.period_label, self.period_text, self.data_as_of_text]
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
        return [s for s in out if s]


def tier_label(tier: str | None) -> str:
    if tier is None:
        return "Toàn phạm vi"
    return registry.tier_label(tier)


def month_label_short(month: str) -> str:
    """'2024-10' -> 'T10/2024' (chart axes have no room for 'Tháng 10/2024')."""
    return vf.fmt_month(month).replace("Tháng ", "T")


# ---------------------------------------------------------------------------------------
# Periods as people say them
# ---------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------
# Building the deck from the engine
# ---------------------------------------------------------------------------------------


def _figure(row: Any) -> Figure:
    get = row.get if hasattr(row, "get") else (lambda k, d=None: getattr(row, k, d))
    cov_den = _num(get("coverage_denominator"))
    return Figure(
        numerator=_int(get("numerator")),
        denominator=_int(get("denominator")),
        rate=_num(get("rate")),
        target=_num(get("target")),
        meets_target=_bool(get("meets_target")) if _num(get("rate")) is not None else None,
        coverage=_num(get("coverage")),
        coverage_numerator=None if cov_den is None else _int(get("coverage_numerator")),
        coverage_denominator=None if cov_den is None else int(cov_den),
    )


EMPTY_FIGURE = Figure(0, 0, None, None, None)


def _records(frame: Any) -> list[dict[str, Any]]:
    if frame is None or len(frame) == 0:
        return []
    return frame.to_dict("records")


def _tier_key(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value)
    return None if text in ("", "nan", "<NA>", "None") else text


def _tier_order(tier: str | None) -> int:
    return registry.tier_order(tier)


def _metric_info(metric: str, definition: str) -> dict[str, str]:
    """Labels from the registry, the one place they are written."""
    from metrics import registry

    try:
        m = registry.metric(metric, definition or None)
    except KeyError:
        return {
            "title": FALLBACK_TITLES.get(metric, metric),
            "numerator_label": "Tử số",
            "denominator_label": "Mẫu số",
            "definition_note": DEFINITION_LABELS.get((metric, definition), definition),
        }
    return {
        "title": m.label_vi,
        "numerator_label": m.numerator.label_vi,
        "denominator_label": m.denominator.label_vi,
        "definition_note": m.definition_label_vi,
    }


def _months_between(date_from: dt.date, date_to: dt.date) -> list[str]:
    out = []
    y, m = date_from.year, date_from.month
    while (y, m) <= (date_to.year, date_to.month):
        out.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _unit_rows(frame: Any, previous: Any) -> dict[str | None, list[UnitRow]]:
    """Units of one metric, ranked within their tier by the dashboard's rule
    (views.ranking: ties share a rank, units with few dossiers listed after, unranked)."""
    ranked = views.ranking(frame, previous)
    groups: dict[str | None, list[UnitRow]] = {}
    for r in _records(ranked):
        t = _tier_key(r.get("tier"))
        code = str(r.get("unit_code"))
        rank = _num(r.get("rank")) if bool(r.get("ranked")) else None
        prev = _num(r.get("prev_rank"))
        groups.setdefault(t, []).append(
            UnitRow(
                rank=None if rank is None else int(rank),
                unit_code=code,
                unit_name=str(r.get("unit_name") or code),
                tier=t or "",
                figure=_figure(r),
                previous_rank=None if prev is None else int(prev),
            )
        )
    return groups


def build_deck(
    con: Any,
    date_from: dt.date,
    date_to: dt.date,
    tier: str | None = None,
    unit: str | None = None,
    on_time_definition: str = "resolved",
    include_late_rows: bool = False,
    now: dt.datetime | None = None,
) -> Deck:
    """Ask the engine once for everything the conference outputs show."""
    from dataclasses import replace

    from metrics import compute, periods
    from metrics.summary import summary_sentences

    kw: dict[str, Any] = {"on_time_definition": on_time_definition, "tier": tier, "unit": unit}

    # The scope: a unit's name and tier come from the units list.
    unit_name = None
    unit_tier = None
    if unit:
        units = _records(compute.unit_list(con))
        match = next((u for u in units if str(u.get("unit_code")) == str(unit)), None)
        if match:
            unit_name = str(match.get("unit_name") or unit)
            unit_tier = _tier_key(match.get("tier"))
    scope_label = unit_name or (str(unit) if unit else ("Toàn tỉnh" if tier is None else tier_label(tier)))

    fresh = compute.data_facts(con) or {}
    as_of_candidates = [fresh.get("latest_received"), fresh.get("latest_end")]
    as_of_dates = [
        (v.date() if isinstance(v, dt.datetime) else v)
        for v in as_of_candidates
        if isinstance(v, (dt.date, dt.datetime))
    ]
    data_as_of = max(as_of_dates) if as_of_dates else None

    prev_from, prev_to = periods.previous_period(date_from, date_to)

    total_df = compute.kpis(con, date_from, date_to, by=(), **kw)
    tier_df = compute.kpis(con, date_from, date_to, by=("tier",), **kw)
    month_df = compute.kpis(con, date_from, date_to, by=("tier", "month"), **kw)
    prev_total_df = compute.kpis(con, prev_from, prev_to, by=(), **kw)
    prev_tier_df = compute.kpis(con, prev_from, prev_to, by=("tier",), **kw)
    # Rankings place a unit among its peers, so a unit's deck ranks its whole tier.
    rank_kw = dict(kw, unit=None, tier=unit_tier or tier) if unit else kw
    unit_df = compute.kpis(con, date_from, date_to, by=("tier", "unit"), **rank_kw)
    prev_unit_df = compute.kpis(con, prev_from, prev_to, by=("tier", "unit"), **rank_kw)

    metrics_present: list[tuple[str, str]] = []
    for r in _records(total_df) + _records(tier_df):
        key = (str(r["metric"]), str(r.get("definition") or ""))
        if key not in metrics_present:
            metrics_present.append(key)
    metrics_present.sort(key=lambda k: METRIC_ORDER.index(k[0]) if k[0] in METRIC_ORDER else 99)

    def pick(records: list[dict[str, Any]], metric: str) -> list[dict[str, Any]]:
        return [r for r in records if r["metric"] == metric]

    months = _months_between(date_from, date_to)
    sections: list[KpiSection] = []
    for metric, definition in metrics_present:
        info = _metric_info(metric, definition)
        totals = pick(_records(total_df), metric)
        prev_totals = pick(_records(prev_total_df), metric)
        total = TierFigure(
            tier=None,
            label=scope_label,
            figure=_figure(totals[0]) if totals else EMPTY_FIGURE,
            previous=_figure(prev_totals[0]) if prev_totals else None,
        )
        prev_by_tier = {_tier_key(r.get("tier")): _figure(r) for r in pick(_records(prev_tier_df), metric)}
        tiers = [
            TierFigure(
                tier=_tier_key(r.get("tier")),
                label=tier_label(_tier_key(r.get("tier"))) if _tier_key(r.get("tier")) else "Chưa xác định cấp",
                figure=_figure(r),
                previous=prev_by_tier.get(_tier_key(r.get("tier"))),
            )
            for r in pick(_records(tier_df), metric)
        ]
        tiers.sort(key=lambda t: _tier_order(t.tier))
        if (
            len(tiers) == 1
            and total.figure.target is None
            and (
                (tiers[0].figure.numerator, tiers[0].figure.denominator)
                == (total.figure.numerator, total.figure.denominator)
            )
        ):
            # A one-tier scope (a tier, a unit) is its tier: give it the tier's target.
            total = TierFigure(None, scope_label, tiers[0].figure, tiers[0].previous)
        by_tier_month: dict[str | None, dict[str, dict[str, Any]]] = {}
        for r in pick(_records(month_df), metric):
            by_tier_month.setdefault(_tier_key(r.get("tier")), {})[str(r.get("month"))[:7]] = r
        series = []
        for t in tiers:
            cells = by_tier_month.get(t.tier, {})
            figs = [_figure(cells[m]) if m in cells else None for m in months]
            series.append(
                Series(
                    tier=t.tier,
                    label=t.label,
                    rates=tuple(f.rate if f else None for f in figs),
                    targets=tuple((f.target if f and f.target is not None else t.figure.target) for f in figs),
                    numerators=tuple(f.numerator if f else 0 for f in figs),
                    denominators=tuple(f.denominator if f else 0 for f in figs),
                )
            )
        sections.append(
            KpiSection(
                metric=metric,
                definition=definition,
                title=info["title"],
                definition_note=info["definition_note"],
                numerator_label=info["numerator_label"],
                denominator_label=info["denominator_label"],
                total=total,
                tiers=tuple(tiers),
                months=tuple(months),
                month_labels=tuple(month_label_short(m) for m in months),
                series=tuple(series),
            )
        )

    titles = {s.metric: s.title for s in sections}
    rankings: list[Ranking] = []
    below: list[BelowTarget] = []
    for metric, _definition in metrics_present:
        cur = unit_df[unit_df["metric"] == metric] if len(unit_df) else unit_df
        prev = prev_unit_df[prev_unit_df["metric"] == metric] if len(prev_unit_df) else None
        groups = _unit_rows(cur, prev)
        for group_tier in sorted(groups, key=_tier_order):
            ranked = tuple(groups[group_tier])
            rankings.append(
                Ranking(
                    metric,
                    titles.get(metric, metric),
                    group_tier or "",
                    tier_label(group_tier) if group_tier else "Chưa xác định cấp",
                    ranked,
                )
            )
            for row in ranked:
                if row.figure.meets_target is False and (not unit or row.unit_code == str(unit)):
                    below.append(
                        BelowTarget(
                            metric=metric,
                            metric_title=titles.get(metric, metric),
                            tier=row.tier,
                            tier_label=tier_label(row.tier) if row.tier else "Chưa xác định cấp",
                            unit_code=row.unit_code,
                            unit_name=row.unit_name,
                            figure=row.figure,
                            small=row.small,
                        )
                    )
    below.sort(
        key=lambda b: (
            METRIC_ORDER.index(b.metric) if b.metric in METRIC_ORDER else 99,
            b.small,
            b.figure.gap if b.figure.gap is not None else 0.0,
        )
    )

    late_kw: dict[str, Any] = {"tier": tier, "unit": unit}

    def pareto(by: str) -> tuple[ParetoItem, ...]:
        return tuple(
            ParetoItem(
                key=str(r.get("key")),
                name=str(r.get("name") or r.get("key")),
                dossiers=_int(r.get("dossiers")),
                share=_num(r.get("share")),
                cumulative_share=_num(r.get("cumulative_share")),
            )
            for r in _records(compute.late_pareto(con, date_from, date_to, by=by, limit=10, **late_kw))
        )

    late = LateSection(
        resolved_late=int(compute.late_count(con, date_from, date_to, kind="resolved_late", **late_kw)),
        open_overdue=int(compute.late_count(con, date_from, date_to, kind="open_overdue", **late_kw)),
        by_procedure=pareto("procedure"),
        by_unit=pareto("unit"),
    )
    late_rows = compute.late(con, date_from, date_to, **late_kw) if include_late_rows else None

    deck = Deck(
        title=REPORT_TITLE,
        scope_label=scope_label,
        period_label=period_label(date_from, date_to),
        date_from=date_from,
        date_to=date_to,
        data_as_of=data_as_of,
        dossiers_in_db=_int(fresh.get("dossiers")),
        generated_at=now or dt.datetime.now(),
        on_time_definition=on_time_definition,
        tier=tier,
        unit=unit,
        kpis=tuple(sections),
        rankings=tuple(rankings),
        below_target=tuple(below),
        late=late,
        summary=(),
        previous_label=comparison_label(date_from, date_to, prev_from, prev_to),
        late_rows=late_rows,
    )
    return replace(deck, summary=tuple(summary_sentences(deck)))


# ---------------------------------------------------------------------------------------
# The slide sequence, shared by the PowerPoint writer and the presentation page
# ---------------------------------------------------------------------------------------

# Metrics whose unit ranking gets a slide of its own (satisfaction is in the tables).
RANKED_ON_SLIDES = ("on_time_rate", "online_rate")
MAX_TABLE_ROWS = 12


@dataclass(frozen=True)
class SlideSpec:
    kind: str  # title | empty | kpi | ranking | below | late | summary
    title: str
    subtitle: str = ""
    kpi: KpiSection | None = None
    ranking: Ranking | None = None
    units: tuple[UnitRow | None, ...] = ()  # None marks the "… N units more" gap
    below: tuple[BelowTarget, ...] = ()
    hidden: int = 0
    notes: str = ""


def ranking_excerpt(
    rows: tuple[UnitRow, ...], max_rows: int = MAX_TABLE_ROWS
) -> tuple[tuple[UnitRow | None, ...], int]:
    """All rows when they fit; else the best and the worst halves with a gap marker."""
    if len(rows) <= max_rows:
        return rows, 0
    head = (max_rows - 1) // 2
    tail = max_rows - 1 - head
    return (*rows[:head], None, *rows[-tail:]), len(rows) - head - tail


def slide_plan(deck: Deck, max_rows: int = MAX_TABLE_ROWS) -> list[SlideSpec]:
    from metrics.summary import paragraph_for, summary_text

    full = summary_text(deck)
    slides = [SlideSpec("title", deck.title, deck.scope_label, notes=full)]
    if deck.empty:
        slides.append(
            SlideSpec(
                "empty",
                NO_DOSSIERS,
                f"{deck.scope_label} · {deck.period_text}",
                notes=full,
            )
        )
        return slides
    for k in deck.kpis:
        if not k.has_data:
            continue
        slides.append(
            SlideSpec(
                "kpi",
                k.title,
                f"{deck.period_label} · {k.definition_note}",
                kpi=k,
                notes=paragraph_for(deck, k.metric) or "",
            )
        )
    for metric in RANKED_ON_SLIDES:
        for r in (r for r in deck.rankings if r.metric == metric):
            if len(r.rows) < 2:
                continue
            units, hidden = ranking_excerpt(r.rows, max_rows)
            sub = f"{r.tier_label} · {deck.period_label}"
            if hidden:
                sub += f" · {len(r.rows)} đơn vị, hiển thị nhóm đầu và nhóm cuối"
            if any(u.small for u in r.rows):
                sub += f" · “—”: dưới {MIN_DOSSIERS_TO_RANK} hồ sơ, không xếp hạng"
            slides.append(
                SlideSpec(
                    "ranking", f"Xếp hạng đơn vị: {_lower(r.metric_title)}", sub, ranking=r, units=units, hidden=hidden
                )
            )
    # Units below target: one slide per metric, the largest shortfalls first (units with
    # too few dossiers to rank after them); the full list is in the PDF and the workbook.
    any_below = False
    for k in deck.kpis:
        rows = tuple(b for b in deck.below_target if b.metric == k.metric)
        if not rows:
            continue
        any_below = True
        by_tier = ", ".join(
            f"{_lower(tier_label(t))} {sum(1 for b in rows if b.tier == t)}"
            for t in registry.TIER_CODES
            if any(b.tier == t for b in rows)
        )
        shown = rows if len(rows) <= max_rows else rows[: max_rows - 1]
        slides.append(
            SlideSpec(
                "below",
                f"Đơn vị chưa đạt: {_lower(k.title)}",
                f"{vf.fmt_int(len(rows))} đơn vị ({by_tier}) · thiếu hụt lớn nhất trước · {deck.period_label}",
                below=shown,
                hidden=len(rows) - len(shown),
            )
        )
    if not any_below:
        slides.append(
            SlideSpec("below", "Đơn vị chưa đạt chỉ tiêu", f"Mọi đơn vị đều đạt chỉ tiêu · {deck.period_label}")
        )
    slides.append(SlideSpec("late", "Hồ sơ trễ hạn và thủ tục có nhiều hồ sơ trễ", deck.period_label))
    slides.append(SlideSpec("summary", "Tóm tắt kết quả", deck.period_text, notes=full))
    return slides


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text
