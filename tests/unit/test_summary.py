"""The written summary says what the data says, in a provincial report's words, and no more."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pytest

from metrics import compute, db
from metrics.reports.build import build_deck
from metrics.reports.figures import Figure, TierFigure, UnitRow
from metrics.reports.model import KpiSection, LateSection, ParetoItem, Ranking, comparison_label, period_label
from metrics.reports.summary import paragraph_for, summary_points, summary_sentences
from metrics.vi_format import fmt_pct
from tests.unit.sample_deck import fig, sample_deck

Q3 = (dt.date(2024, 7, 1), dt.date(2024, 9, 30))


def _deck_with(kpis=(), rankings=(), late=None, **kw):
    base = sample_deck()
    late = late or LateSection(0, 0, (), ())
    deck = replace(base, kpis=tuple(kpis), rankings=tuple(rankings), below_target=(), late=late, summary=(), **kw)
    return replace(deck, summary=tuple(summary_sentences(deck)))


def _on_time(total: Figure, previous: Figure | None, tiers=()) -> KpiSection:
    return KpiSection(
        metric="on_time_rate",
        definition="resolved",
        title="Tỷ lệ hồ sơ giải quyết đúng hạn",
        definition_note="",
        numerator_label="",
        denominator_label="",
        total=TierFigure(None, "Toàn tỉnh", total, previous),
        tiers=tuple(tiers),
        months=(),
        month_labels=(),
        series=(),
    )


def test_the_lead_sentence_reads_like_a_provincial_report():
    deck = _deck_with([_on_time(fig(9681, 10000, 0.97), fig(9723, 10000, 0.97))])
    first = deck.summary[0]
    assert first.startswith(
        "Quý III/2024, tỷ lệ hồ sơ giải quyết đúng hạn đạt 96,81% (9.681/10.000 hồ sơ), "
        "giảm 0,42 điểm phần trăm so với quý II, thấp hơn chỉ tiêu 97%"
    )


def test_units_below_target_are_counted_and_named_worst_first():
    rows = [
        UnitRow(i + 1, f"S{i}", name, "department", fig(num, 1000, 0.97))
        for i, (name, num) in enumerate(
            [("Sở Tư pháp", 990), ("Sở Nội vụ", 975), ("Sở Y tế", 960), ("Sở Tài chính", 950), ("Sở Xây dựng", 940)]
        )
    ]
    ranking = Ranking("on_time_rate", "Tỷ lệ hồ sơ giải quyết đúng hạn", "department", "Cấp sở", tuple(rows))
    deck = _deck_with([_on_time(fig(4815, 5000, 0.97), None)], [ranking])
    assert (
        "3/5 sở, ngành chưa đạt chỉ tiêu 97%: Sở Xây dựng (94,00%), Sở Tài chính (95,00%), Sở Y tế (96,00%)"
        in (deck.summary[0])
    )
    assert "cao nhất là Sở Tư pháp (99,00%), thấp nhất là Sở Xây dựng (94,00%)" in deck.summary[0]


def test_all_units_meeting_the_target_is_said_as_a_count():
    rows = [UnitRow(i + 1, f"S{i}", f"Sở {i}", "department", fig(990, 1000, 0.97)) for i in range(4)]
    ranking = Ranking("on_time_rate", "x", "department", "Cấp sở", tuple(rows))
    deck = _deck_with([_on_time(fig(3960, 4000, 0.97), None)], [ranking])
    assert "4/4 sở, ngành đạt chỉ tiêu 97%" in deck.summary[0]


def test_no_comparison_is_claimed_without_a_previous_period():
    deck = _deck_with([_on_time(fig(9681, 10000, 0.97), None)])
    assert "so với" not in deck.summary[0]


def test_a_rate_without_dossiers_gets_no_sentence():
    deck = _deck_with([_on_time(Figure(0, 0, None, 0.97, None), None)], late=LateSection(0, 0, (), ()))
    assert deck.empty
    assert deck.summary[0] == "Quý III/2024 (Toàn tỉnh): không có hồ sơ trong kỳ."
    assert not any("đạt" in s for s in deck.summary)


def test_no_late_dossiers_is_said_plainly():
    deck = _deck_with([_on_time(fig(100, 100, 0.97), None)])
    assert deck.summary[-1] == "Không có hồ sơ trễ hạn trong kỳ."


def test_the_late_sentence_names_the_main_procedure_with_its_share():
    late = LateSection(407, 120, (ParetoItem("1.001193", "Đăng ký khai sinh", 85, 85 / 527, 85 / 527),), ())
    deck = _deck_with([_on_time(fig(100, 110, 0.97), None)], late=late)
    assert deck.summary[-1] == (
        "Trong kỳ có 407 hồ sơ giải quyết trễ hạn và 120 hồ sơ quá hạn đang xử lý; "
        "nhiều nhất ở thủ tục “Đăng ký khai sinh” (85 hồ sơ, 16,13%)."
    )


def test_a_unit_scope_speaks_of_the_unit_and_its_rank():
    rows = tuple(UnitRow(i + 1, f"S{i}", f"Sở {i}", "department", fig(1000 - i, 1000, 0.97)) for i in range(15))
    deck = _deck_with(
        [_on_time(fig(995, 1000, 0.97), None)],
        [Ranking("on_time_rate", "x", "department", "Cấp sở", rows)],
        unit="S5",
        scope_label="Sở 5",
    )
    assert "tỷ lệ hồ sơ giải quyết đúng hạn của Sở 5 đạt 99,50%" in deck.summary[0]
    assert "Sở 5 xếp thứ 6/15 sở, ngành" in deck.summary[0]
    assert "chưa đạt chỉ tiêu" not in deck.summary[0]


@pytest.mark.parametrize(
    ("d0", "d1", "label"),
    [
        (dt.date(2024, 10, 1), dt.date(2024, 10, 31), "Tháng 10/2024"),
        (dt.date(2024, 7, 1), dt.date(2024, 9, 30), "Quý III/2024"),
        (dt.date(2024, 1, 1), dt.date(2024, 12, 31), "Năm 2024"),
        (dt.date(2024, 1, 1), dt.date(2024, 9, 30), "9 tháng đầu năm 2024"),
        (dt.date(2024, 7, 5), dt.date(2024, 8, 20), "Từ 05/07/2024 đến 20/08/2024"),
    ],
)
def test_periods_are_named_as_reports_name_them(d0, d1, label):
    assert period_label(d0, d1) == label


def test_the_previous_period_is_named_after_so_voi():
    assert comparison_label(*Q3, dt.date(2024, 4, 1), dt.date(2024, 6, 30)) == "quý II"
    assert (
        comparison_label(dt.date(2024, 1, 1), dt.date(2024, 3, 31), dt.date(2023, 10, 1), dt.date(2023, 12, 31))
        == "quý IV/2023"
    )
    assert (
        comparison_label(dt.date(2024, 10, 1), dt.date(2024, 10, 31), dt.date(2024, 9, 1), dt.date(2024, 9, 30))
        == "tháng 9/2024"
    )
    assert (
        comparison_label(dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2023, 1, 1), dt.date(2023, 12, 31))
        == "năm 2023"
    )


# ------------------------------------------------------------------ against the engine


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    from tests.app.demo_db import build

    return build(tmp_path_factory.mktemp("summary") / "demo.duckdb", 20_000)


def test_every_percentage_in_the_summary_is_a_figure_the_engine_computed(demo):
    con = db.connect(demo, read_only=True)
    deck = build_deck(con, *Q3)
    figures = set()
    for by in ((), ("tier",), ("tier", "unit")):
        frame = compute.kpis(con, *Q3, by=by)
        figures |= {fmt_pct(r) for r in frame["rate"] if r is not None}
        figures |= {fmt_pct(t, 0) for t in frame["target"] if t is not None}
        figures |= {fmt_pct(c) for c in frame["coverage"] if c is not None}
    pareto = compute.late_pareto(con, *Q3, by="procedure", limit=1)
    figures |= {fmt_pct(s) for s in pareto["share"]}
    text = " ".join(deck.summary)
    quoted = set(re.findall(r"\d+(?:,\d+)?%", text))
    assert quoted, text
    assert quoted <= figures, quoted - figures
    con.close()


def test_the_summary_counts_the_units_below_target_as_the_engine_does(demo):
    con = db.connect(demo, read_only=True)
    deck = build_deck(con, *Q3)
    units = compute.kpis(con, *Q3, by=("tier", "unit"))
    ontime = units[(units["metric"] == "on_time_rate") & (units["tier"] == "commune")]
    below = int((ontime["meets_target"] == False).sum())  # noqa: E712 - object column of True/False/None
    rated = int(ontime["meets_target"].notna().sum())
    assert f"{below}/{rated} đơn vị cấp xã chưa đạt chỉ tiêu 97%" in deck.summary[0]
    con.close()


def test_each_metric_has_its_paragraph_for_the_speaker_notes(demo):
    con = db.connect(demo, read_only=True)
    deck = build_deck(con, *Q3)
    for k in deck.kpis:
        para = paragraph_for(deck, k.metric)
        assert para and k.total.figure.rate_text in para
    # one line per metric, the late dossiers, then the late budget's lines (issue 13)
    assert deck.budget is not None and deck.budget.sentences()
    points, budget = summary_points(deck), deck.budget.sentences()
    assert len(points) == len(deck.kpis) + 1 + len(budget)
    assert points[-len(budget) :] == budget
    con.close()


def test_an_empty_period_is_said_honestly(demo):
    con = db.connect(demo, read_only=True)
    deck = build_deck(con, dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    assert deck.empty
    assert deck.summary[0] == "Quý I/2027 (Toàn tỉnh): không có hồ sơ trong kỳ."
    assert "trước kỳ báo cáo" in deck.summary[1]
    con.close()
