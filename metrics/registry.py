"""The metric registry: every KPI declared once, as data.

The CLI, the pages, the exports, the deck and docs/metrics.md all read these rows;
a test fails when a metric lacks a label, a target rule, its SQL or its line in the
docs. A metric's SQL returns a numerator and a denominator per unit (and month);
every grouping above that is a ratio of sums (compute.py), never a mean of rates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

SQL_DIR = Path(__file__).with_name("sql")


# ----------------------------------------------------------------------------- tiers


@dataclass(frozen=True)
class Tier:
    """A tier of government that handles dossiers, in force over a span of dates.

    Target rule: a tier is rated against its targets only for a period that lies
    wholly inside its validity. A period that merely overlaps it (2025 as a whole
    for the district tier, abolished on 30/06/2025) shows the tier's figures as
    history, without a rating; a period after it does not show the tier at all."""

    code: str
    label_vi: str
    label_en: str
    unit_noun_vi: str  # how its units are counted in sentences: "3/15 sở, ngành"
    unit_noun_en: str
    order: int
    valid_from: dt.date | None
    valid_to: dt.date | None  # None: still in force
    colour: str  # on paper (PDF, PPTX, light pages)
    colour_dark: str  # on the projector's dark slides
    spellings: tuple[str, ...]  # how exports write it (matched after fold())

    def overlaps(self, date_from: dt.date, date_to: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= date_to) and (
            self.valid_to is None or self.valid_to >= date_from
        )

    def rated_for(self, date_from: dt.date, date_to: dt.date) -> bool:
        """The target rule: rated only when in force over the whole period."""
        return (self.valid_from is None or self.valid_from <= date_from) and (
            self.valid_to is None or self.valid_to >= date_to
        )

    def label(self, lang: str = "vi") -> str:
        return self.label_vi if lang == "vi" else self.label_en

    def unit_noun(self, lang: str = "vi") -> str:
        return self.unit_noun_vi if lang == "vi" else self.unit_noun_en


# The end of the district tier: the Law on the Organisation of Local Government 2025
# leaves two tiers (province, commune) from 01/07/2025.
DISTRICT_TIER_END = dt.date(2025, 6, 30)

TIERS: tuple[Tier, ...] = (
    Tier(
        code="department",
        label_vi="Cấp sở",
        label_en="Department",
        unit_noun_vi="sở, ngành",
        unit_noun_en="departments",
        order=0,
        valid_from=None,
        valid_to=None,
        colour="#0072B2",
        colour_dark="#56B4E9",
        spellings=("Sở, ban, ngành", "Sở ban ngành", "Cấp sở", "Cấp tỉnh", "Sở", "Tỉnh", "department"),
    ),
    Tier(
        code="district",
        label_vi="Cấp huyện",
        label_en="District",
        unit_noun_vi="đơn vị cấp huyện",
        unit_noun_en="district units",
        order=1,
        valid_from=None,
        valid_to=DISTRICT_TIER_END,
        colour="#E69F00",
        colour_dark="#F5A623",
        spellings=("Cấp huyện", "Huyện", "district"),
    ),
    Tier(
        code="commune",
        label_vi="Cấp xã",
        label_en="Commune",
        unit_noun_vi="đơn vị cấp xã",
        unit_noun_en="commune units",
        order=2,
        valid_from=None,
        valid_to=None,
        colour="#009E73",
        colour_dark="#3DDC97",
        spellings=("Cấp xã", "Xã", "Phường", "Thị trấn", "Đặc khu", "commune"),
    ),
)
TIER_CODES: tuple[str, ...] = tuple(t.code for t in TIERS)
# The pseudo-tier of targets that apply to every tier (data/targets.csv).
ALL_TIERS = "all"


def tier(code: str) -> Tier:
    for t in TIERS:
        if t.code == code:
            return t
    raise KeyError(f"unknown tier {code!r}")


def tier_label(code: str | None, lang: str = "vi") -> str:
    """A tier's label; an unknown or missing tier is shown as it came."""
    if code in TIER_CODES:
        return tier(code).label(lang)  # type: ignore[arg-type]
    return "" if code is None else str(code)


def tier_order(code: str | None) -> int:
    return tier(code).order if code in TIER_CODES else len(TIERS)  # type: ignore[arg-type]


def tier_change_months() -> tuple[str, ...]:
    """The months ("2025-07") in which a tier began or ended: trends draw a break there,
    since figures on either side describe different sets of units."""
    changes = {t.valid_from for t in TIERS if t.valid_from} | {
        t.valid_to + dt.timedelta(days=1) for t in TIERS if t.valid_to
    }
    return tuple(sorted(f"{d:%Y-%m}" for d in changes))


def tiers_overlapping(date_from: dt.date, date_to: dt.date) -> tuple[Tier, ...]:
    """The tiers that existed at some time in the period, in display order."""
    return tuple(t for t in TIERS if t.overlaps(date_from, date_to))


# ----------------------------------------------------------------------------- unit views


@dataclass(frozen=True)
class UnitView:
    """How dossiers are attributed to units across mergers (data/units.csv successors)."""

    code: str
    label_vi: str
    label_en: str
    help_vi: str

    def label(self, lang: str = "vi") -> str:
        return self.label_vi if lang == "vi" else self.label_en


UNITS_AS_WAS = "as_was"
UNITS_SUCCESSOR = "successor"
UNIT_VIEWS: tuple[UnitView, ...] = (
    UnitView(
        UNITS_AS_WAS,
        "Đơn vị như thời điểm đó",
        "Units as they were",
        "Mỗi hồ sơ tính cho đơn vị đã tiếp nhận, giải quyết nó, với cấp của đơn vị lúc đó; đơn vị đã giải thể hiện là lịch sử.",
    ),
    UnitView(
        UNITS_SUCCESSOR,
        "Quy về đơn vị hiện nay",
        "Rolled up to today's units",
        "Mỗi hồ sơ tính cho đơn vị đang tồn tại đã kế thừa đơn vị cũ (theo cột successor_code), để so sánh được lịch sử.",
    ),
)
UNIT_VIEW_CODES: tuple[str, ...] = tuple(v.code for v in UNIT_VIEWS)


def unit_view(code: str) -> UnitView:
    for v in UNIT_VIEWS:
        if v.code == code:
            return v
    raise ValueError(f"unknown unit view {code!r}; use {UNIT_VIEW_CODES}")


# ----------------------------------------------------------------------------- metrics


@dataclass(frozen=True)
class Measure:
    key: str
    label_vi: str
    label_en: str


@dataclass(frozen=True)
class Metric:
    key: str
    definition: str
    label_vi: str
    label_en: str
    short_vi: str
    short_en: str
    numerator: Measure
    denominator: Measure
    definition_label_vi: str
    definition_label_en: str
    target_rule: str  # "by_tier" or "all": which rows of data/targets.csv apply
    legal_source: str
    default: bool = True
    direction: str = "higher_is_better"
    # Additive metrics are columns of sql/kpi_cube.sql (one scan for all of them),
    # grouped by the month of this date; the others have their own SQL file.
    month_basis: str | None = None  # "received" | "end"
    coverage_denominator: Measure | None = None  # satisfaction: rated / resolved
    # How the conference deck words the metric in sentences: one more unit of the
    # numerator ("cần thêm 14 hồ sơ đúng hạn"), what the counts are counted in
    # ("96/100 lượt đánh giá"), and the definition as a phrase for the deck's header
    # ("Cách tính đúng hạn: hồ sơ đã giải quyết trong kỳ").
    numerator_noun_vi: str = ""
    count_noun_vi: str = "hồ sơ"
    definition_phrase_vi: str = ""
    # Dossiers whose export lacked a column this metric needs (channel, due date,
    # rating, supplements): left out of the denominator and shown as "không rõ".
    # A cube column for cube metrics; the metric's own SQL returns `unknown` otherwise.
    unknown: Measure | None = None

    @property
    def sql_file(self) -> Path:
        if self.month_basis:
            return SQL_DIR / "kpi_cube.sql"
        return SQL_DIR / f"{self.key}_{self.definition}.sql"

    @property
    def id(self) -> str:
        return f"{self.key}:{self.definition}"


# The national real-time index's on-time definition (Decision 766/QĐ-TTg); the index
# itself (official scores, the 766 score estimate) goes by the same number.
DEFINITION_766 = "766"

_RECEIVED = Measure("dossiers_received", "Hồ sơ tiếp nhận", "Dossiers received")
_RESOLVED = Measure("dossiers_resolved", "Hồ sơ đã giải quyết", "Dossiers resolved")
_UNKNOWN_CHANNEL = Measure(
    "dossiers_received_unknown_channel",
    "Hồ sơ tiếp nhận không rõ kênh nộp (tệp thiếu cột kênh nộp)",
    "Received dossiers with unknown channel (no channel column)",
)

METRICS: tuple[Metric, ...] = (
    Metric(
        key="online_rate",
        definition="default",
        label_vi="Tỷ lệ hồ sơ trực tuyến",
        label_en="Online submission rate",
        short_vi="Trực tuyến",
        short_en="Online",
        numerator=Measure("dossiers_online", "Hồ sơ nộp trực tuyến", "Dossiers submitted online"),
        denominator=_RECEIVED,
        definition_label_vi="Trên tổng hồ sơ tiếp nhận",
        definition_label_en="Of all dossiers received",
        target_rule="by_tier",
        legal_source="Kế hoạch CCHC của tỉnh; Nghị định 42/2022/NĐ-CP về dịch vụ công trực tuyến",
        month_basis="received",
        numerator_noun_vi="hồ sơ trực tuyến",
        definition_phrase_vi="hồ sơ tiếp nhận trong kỳ",
        unknown=_UNKNOWN_CHANNEL,
    ),
    Metric(
        key="online_rate",
        definition="online_capable",
        label_vi="Tỷ lệ hồ sơ trực tuyến (TTHC có DVC trực tuyến)",
        label_en="Online submission rate (procedures offered online)",
        short_vi="Trực tuyến (có DVCTT)",
        short_en="Online (online-capable)",
        numerator=Measure("dossiers_online", "Hồ sơ nộp trực tuyến", "Dossiers submitted online"),
        denominator=Measure(
            "dossiers_received_online_capable",
            "Hồ sơ tiếp nhận của TTHC có DVC trực tuyến",
            "Dossiers received for procedures offered online",
        ),
        definition_label_vi="Chỉ tính TTHC có dịch vụ công trực tuyến (toàn trình, một phần)",
        definition_label_en="Only procedures offering an online service (full or partial)",
        target_rule="by_tier",
        legal_source="Nghị định 42/2022/NĐ-CP; Quyết định 766/QĐ-TTg",
        default=False,
        numerator_noun_vi="hồ sơ trực tuyến",
        definition_phrase_vi="chỉ tính thủ tục có dịch vụ công trực tuyến",
        unknown=_UNKNOWN_CHANNEL,
    ),
    Metric(
        key="on_time_rate",
        definition="resolved",
        label_vi="Tỷ lệ hồ sơ giải quyết đúng hạn",
        label_en="On-time resolution rate",
        short_vi="Đúng hạn",
        short_en="On time",
        numerator=Measure(
            "dossiers_resolved_on_time", "Hồ sơ giải quyết trước và đúng hạn", "Dossiers resolved on time"
        ),
        denominator=_RESOLVED,
        definition_label_vi="Trên hồ sơ đã giải quyết trong kỳ (báo cáo tỉnh)",
        definition_label_en="Of dossiers resolved in the period (provincial reports)",
        target_rule="all",
        legal_source="Thông tư 01/2020/TT-VPCP (Biểu 06/VPCP/KSTT); Kế hoạch CCHC của tỉnh",
        month_basis="end",
        numerator_noun_vi="hồ sơ đúng hạn",
        definition_phrase_vi="hồ sơ đã giải quyết trong kỳ",
        unknown=Measure(
            "dossiers_resolved_unknown_due",
            "Hồ sơ đã giải quyết không rõ hạn (tệp thiếu cột ngày hẹn trả)",
            "Resolved dossiers with unknown due date (no due-date column)",
        ),
    ),
    Metric(
        key="on_time_rate",
        definition=DEFINITION_766,
        label_vi="Tỷ lệ hồ sơ đúng hạn (Bộ chỉ số 766)",
        label_en="On-time rate (Decision 766 index)",
        short_vi="Đúng hạn (766)",
        short_en="On time (766)",
        numerator=Measure("dossiers_on_time_766", "Hồ sơ đúng hạn (766)", "Dossiers on time (766)"),
        denominator=Measure(
            "dossiers_in_scope_766",
            "Hồ sơ trong phạm vi (gồm tồn kỳ trước, đang xử lý)",
            "Dossiers in scope (incl. carried over and open)",
        ),
        definition_label_vi="Theo Quyết định 766/QĐ-TTg: gồm hồ sơ tồn và đang xử lý",
        definition_label_en="Per Decision 766/QĐ-TTg: includes carried-over and open dossiers",
        target_rule="all",
        legal_source="Quyết định 766/QĐ-TTg ngày 23/6/2022",
        default=False,
        numerator_noun_vi="hồ sơ đúng hạn",
        definition_phrase_vi="theo Quyết định 766/QĐ-TTg, gồm hồ sơ tồn kỳ trước và đang xử lý",
        unknown=Measure(
            "dossiers_unknown_766",
            "Hồ sơ không rõ đúng hạn (tệp thiếu cột ngày hẹn trả hoặc số lần bổ sung)",
            "Dossiers of unknown timeliness (no due-date or supplement column)",
        ),
    ),
    Metric(
        key="satisfaction_rate",
        definition="survey",
        label_vi="Mức độ hài lòng",
        label_en="Satisfaction rate",
        short_vi="Hài lòng",
        short_en="Satisfied",
        numerator=Measure(
            "dossiers_rated_satisfied", "Đánh giá hài lòng, rất hài lòng", "Rated satisfied or very satisfied"
        ),
        denominator=Measure("dossiers_rated", "Hồ sơ có đánh giá", "Dossiers rated"),
        definition_label_vi="Trên hồ sơ đã giải quyết có đánh giá",
        definition_label_en="Of resolved dossiers that were rated",
        target_rule="all",
        legal_source="Kế hoạch CCHC của tỉnh; Quyết định 766/QĐ-TTg",
        month_basis="end",
        coverage_denominator=Measure("dossiers_resolved_all", "Hồ sơ đã giải quyết", "Dossiers resolved"),
        numerator_noun_vi="đánh giá hài lòng",
        count_noun_vi="lượt đánh giá",
        definition_phrase_vi="trên các hồ sơ đã có đánh giá",
        unknown=Measure(
            "dossiers_resolved_unknown_rating",
            "Hồ sơ đã giải quyết không rõ đánh giá (tệp thiếu cột đánh giá)",
            "Resolved dossiers with unknown rating (no rating column)",
        ),
    ),
)

METRIC_KEYS: tuple[str, ...] = tuple(dict.fromkeys(m.key for m in METRICS))
DEFINITIONS: dict[str, tuple[str, ...]] = {
    key: tuple(m.definition for m in METRICS if m.key == key) for key in METRIC_KEYS
}


# Each metric's default definition: what a report shows unless asked for another.
DEFAULT_DEFINITION: dict[str, str] = {m.key: m.definition for m in METRICS if m.default}
ON_TIME_DEFAULT = DEFAULT_DEFINITION["on_time_rate"]
ONLINE_DEFAULT = DEFAULT_DEFINITION["online_rate"]


def metric(key: str, definition: str | None = None) -> Metric:
    """The metric `key` in `definition`, or its default definition."""
    for m in METRICS:
        if m.key == key and (m.definition == definition if definition else m.default):
            return m
    raise KeyError(f"unknown metric {key!r} definition {definition!r}")


def label(m: Metric, lang: str = "vi") -> str:
    return m.label_vi if lang == "vi" else m.label_en


# ----------------------------------------------------------------------------- ahead of the clock

# How many working days ahead the due-soon list looks by default (compute.due_soon,
# the CLI's due-soon --days, the pages' slider).
DUE_SOON_DAYS = 2


# ----------------------------------------------------------------------------- Biểu 06

# The count columns of the official report form Biểu 06/VPCP/KSTT (Circular 01/2020/TT-
# VPCP), in the form's order: the engine computes them (sql/bieu06.sql, compute.bieu06)
# and every deck writer lays them out in this order.
BIEU06_COUNTS: tuple[str, ...] = (
    "received",
    "carried_over",
    "new_online",
    "new_direct_postal",
    "resolved",
    "resolved_early",
    "resolved_on_due",
    "resolved_late",
    "in_progress",
    "open_within_due",
    "open_overdue",
)
