"""A hand-made deck with every kind of content (several tiers, a unit below target,
late dossiers, long Vietnamese names) so the writers can be checked without a database."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from metrics.reports.figures import BelowTarget, Figure, Series, TierFigure, UnitRow
from metrics.reports.model import (
    REPORT_TITLE,
    Deck,
    KpiSection,
    LateSection,
    ParetoItem,
    Ranking,
    comparison_label,
    month_label_short,
    period_label,
)
from metrics.reports.summary import summary_sentences


def fig(num: int, den: int, target: float | None) -> Figure:
    rate = num / den if den else None
    meets = None if rate is None or target is None else rate >= target
    return Figure(num, den, rate, target, meets)


def sample_deck(empty: bool = False) -> Deck:
    d0, d1 = dt.date(2024, 7, 1), dt.date(2024, 9, 30)
    months = ("2024-07", "2024-08", "2024-09")
    kpis = []
    rankings = []
    below = []
    if not empty:
        specs = {
            "on_time_rate": (
                "Tỷ lệ hồ sơ giải quyết đúng hạn",
                {"department": 0.97, "district": 0.97, "commune": 0.97},
            ),
            "online_rate": ("Tỷ lệ hồ sơ trực tuyến", {"department": 0.80, "district": 0.40, "commune": 0.30}),
            "satisfaction_rate": ("Mức độ hài lòng", {"department": 0.94, "district": 0.94, "commune": 0.94}),
        }
        base = {"department": (5400, 5520), "district": (3100, 3190), "commune": (2800, 2900)}
        for mi, (metric, (title, targets)) in enumerate(specs.items()):
            tiers = []
            series = []
            for ti, (tier, label) in enumerate(
                (("department", "Cấp sở"), ("district", "Cấp huyện"), ("commune", "Cấp xã"))
            ):
                num, den = base[tier]
                num = num - mi * 120 * (ti + 1)
                f = fig(num, den, targets[tier])
                tiers.append(TierFigure(tier, label, f, fig(num - 20, den, targets[tier])))
                rates = tuple(min(1.0, f.rate + (k - 1) * 0.01) for k in range(3))
                series.append(Series(tier, label, rates, (targets[tier],) * 3, (1, 2, 3), (4, 5, 6)))
            tn = sum(t.figure.numerator for t in tiers)
            td = sum(t.figure.denominator for t in tiers)
            total = TierFigure(
                None,
                "Toàn tỉnh",
                fig(tn, td, 0.97 if metric != "online_rate" else None),
                fig(tn - 50, td, 0.97 if metric != "online_rate" else None),
            )
            kpis.append(
                KpiSection(
                    metric,
                    "resolved",
                    title,
                    "hồ sơ đã giải quyết trong kỳ",
                    "Số hồ sơ đúng hạn",
                    "Số hồ sơ đã giải quyết",
                    total,
                    tuple(tiers),
                    months,
                    tuple(month_label_short(m) for m in months),
                    tuple(series),
                )
            )
            names = [
                "Sở Tư pháp",
                "Sở Kế hoạch và Đầu tư",
                "Sở Tài nguyên và Môi trường",
                "Sở Giao thông vận tải",
                "Sở Lao động - Thương binh và Xã hội",
                "Sở Xây dựng",
                "Sở Y tế",
                "Sở Giáo dục và Đào tạo",
            ]
            rows = [
                UnitRow(None, f"S{i:02d}", n, "department", fig(1000 - i * 9 - mi * 100, 1000, targets["department"]))
                for i, n in enumerate(names)
            ]
            rows.append(UnitRow(None, "S99", "Sở Ngoại vụ", "department", fig(3, 4, targets["department"])))
            fair = sorted((r for r in rows if r.figure.denominator >= 30), key=lambda r: -(r.figure.rate or 0))
            ranked = tuple(replace(r, rank=i) for i, r in enumerate(fair, 1)) + tuple(
                r for r in rows if r.figure.denominator < 30
            )
            rankings.append(Ranking(metric, title, "department", "Cấp sở", ranked))
            below += [
                BelowTarget(metric, title, r.tier, "Cấp sở", r.unit_code, r.unit_name, r.figure, r.small)
                for r in ranked
                if r.figure.meets_target is False
            ]
    late = LateSection(
        resolved_late=0 if empty else 407,
        open_overdue=0 if empty else 120,
        by_procedure=()
        if empty
        else (
            ParetoItem("1.001193", "Đăng ký khai sinh", 85, 0.161, 0.161),
            ParetoItem(
                "1.004227",
                "Cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
                60,
                0.114,
                0.275,
            ),
            ParetoItem("2.000889", "Cấp giấy phép xây dựng", 40, 0.076, 0.351),
        ),
        by_unit=() if empty else (ParetoItem("S07", "Sở Xây dựng", 90, 0.17, 0.17),),
    )
    deck = Deck(
        title=REPORT_TITLE,
        scope_label="Toàn tỉnh",
        period_label=period_label(d0, d1),
        date_from=d0,
        date_to=d1,
        data_as_of=dt.date(2024, 10, 3),
        dossiers_in_db=20000,
        generated_at=dt.datetime(2024, 10, 4, 8, 30),
        on_time_definition="resolved",
        tier=None,
        unit=None,
        kpis=tuple(kpis),
        rankings=tuple(rankings),
        below_target=tuple(below),
        late=late,
        summary=(),
        previous_label=comparison_label(d0, d1, dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
    )
    return replace(deck, summary=tuple(summary_sentences(deck)))
