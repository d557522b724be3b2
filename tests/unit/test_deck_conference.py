"""The conference deck a presenter can stand behind (issue 12): type a hall can read, the
12-month trend with each tier's target only while it was in force, whose deck it is, an
honest word when the data is old or partial, every unit ranked with the target line, and
the official Biểu 06 table in every output."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pptx.util import Pt
from pypdf import PdfReader

from metrics import compute, db
from metrics.reports import render_bytes
from metrics.reports.build import build_deck
from metrics.reports.config import ReportConfig, ReportConfigError, load
from metrics.reports.html_writer import write_html
from metrics.reports.plan import BIEU06_ROWS, RANKING_ROWS
from metrics.reports.style import CQW_PER_PT
from metrics.reports.warning import data_warning
from metrics.vi_format import fmt_int
from tests.conftest import run_cli

Q3 = (dt.date(2024, 7, 1), dt.date(2024, 9, 30))
H1_2025 = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
YEAR_2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
SETTINGS = ReportConfig(
    province="Tỉnh Thử Nghiệm (dữ liệu mô phỏng)",
    issuing_body="UBND tỉnh Thử Nghiệm (dữ liệu mô phỏng)",
    meeting_title="Hội nghị thử",
    meeting_date=dt.date(2026, 12, 15),
    target_source="Kế hoạch CCHC của tỉnh Thử Nghiệm (mô phỏng)",
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    from tests.app.demo_db import build

    return build(tmp_path_factory.mktemp("conference") / "demo.duckdb", 20_000)


@pytest.fixture(scope="module")
def decks(demo):
    con = db.connect(demo, read_only=True)
    out = {
        name: build_deck(con, *period, settings=SETTINGS, include_late_rows=False)
        for name, period in (("q3", Q3), ("h1", H1_2025), ("year", YEAR_2025))
    }
    con.close()
    return out


@pytest.fixture(scope="module")
def pptx(decks, tmp_path_factory):
    out = tmp_path_factory.mktemp("pptx")
    paths = {}
    for name in ("q3", "year"):
        paths[name] = out / f"{name}.pptx"
        paths[name].write_bytes(render_bytes(decks[name], "pptx"))
    return {name: Presentation(str(p)) for name, p in paths.items()}


def _frames(shape):
    if shape.has_text_frame:
        yield shape.text_frame
    if shape.has_table:
        for row in shape.table.rows:
            for cell in row.cells:
                yield cell.text_frame


def _runs(slide):
    for shape in slide.shapes:
        for tf in _frames(shape):
            for p in tf.paragraphs:
                yield from (r for r in p.runs if r.text.strip())
        if shape.has_chart:
            chart = shape.chart
            for plot in chart.plots:
                for series in plot.series:
                    for i in range(len(series.values)):
                        label = series.points[i].data_label
                        if label.has_text_frame:
                            for p in label.text_frame.paragraphs:
                                yield from (r for r in p.runs if r.text.strip())


def _text(slide) -> str:
    return " ".join(tf.text for shape in slide.shapes for tf in _frames(shape))


# ------------------------------------------------------------------ type a hall can read


@pytest.mark.parametrize("name", ["q3", "year"])
def test_no_run_on_a_slide_is_below_18_pt_and_every_title_is_28_pt_or_more(pptx, name):
    for n, slide in enumerate(pptx[name].slides, start=1):
        for run in _runs(slide):
            assert run.font.size is not None and run.font.size >= Pt(18), (n, run.text, run.font.size)
        titles = [s for s in slide.shapes if s.name == "title"]
        assert len(titles) == 1, n
        assert all(r.font.size >= Pt(28) for p in titles[0].text_frame.paragraphs for r in p.runs), n
        for shape in slide.shapes:
            if shape.has_chart:
                assert shape.chart.font.size >= Pt(18), n


def test_the_html_slides_use_no_type_below_18_pt_and_titles_of_28_pt(decks):
    min_cqw, title_cqw = 18 * CQW_PER_PT, 28 * CQW_PER_PT
    for slide in write_html(decks["q3"]):
        sizes = [float(v) for v in re.findall(r"font-size:\s*([\d.]+)cqw", slide.html)]
        assert sizes and min(sizes) >= min_cqw - 1e-9, slide.title
    css = write_html(decks["q3"])[1].html
    h1 = float(re.search(r"\.cchc-slide h1 \{ font-size: ([\d.]+)cqw", css).group(1))
    assert h1 >= title_cqw - 1e-9


# ------------------------------------------------------------------ the trend


def test_every_trend_has_at_least_12_points_per_series_and_a_target_series(pptx):
    from pptx.enum.chart import XL_CHART_TYPE

    charts = [
        sh.chart
        for slide in pptx["q3"].slides
        for sh in slide.shapes
        if sh.has_chart and sh.chart.chart_type in (XL_CHART_TYPE.LINE, XL_CHART_TYPE.LINE_MARKERS)
    ]
    assert len(charts) == 3
    for chart in charts:
        series = list(chart.plots[0].series)
        assert all(len(list(s.values)) >= 12 for s in series)
        assert any(s.name.startswith("Chỉ tiêu") for s in series)


def test_a_yearly_deck_draws_its_calendar_year_and_the_district_stops_at_06_2025(pptx, decks):
    kpi = decks["year"].kpi("online_rate")
    assert kpi.month_labels[0] == "T1/2025" and kpi.month_labels[-1] == "T12/2025"
    lines = {line.label: line.values for line in kpi.chart_lines()}
    assert lines["Chỉ tiêu cấp huyện"] == (0.4,) * 6 + (None,) * 6
    assert lines["Chỉ tiêu cấp xã"] == (0.3,) * 12
    assert all(v is None for v in lines["Cấp huyện"][6:]) and all(v is not None for v in lines["Cấp huyện"][:6])
    chart = next(
        sh.chart
        for slide in pptx["year"].slides
        for sh in slide.shapes
        if sh.has_chart and any(s.name == "Chỉ tiêu cấp huyện" for s in sh.chart.plots[0].series)
    )
    district = next(s for s in chart.plots[0].series if s.name == "Chỉ tiêu cấp huyện")
    assert list(district.values) == [0.4] * 6 + [None] * 6


# ------------------------------------------------------------------ whose deck


def test_the_title_slide_and_every_footer_say_whose_deck_it_is(pptx):
    slides = list(pptx["q3"].slides)
    title = _text(slides[0])
    for words in (SETTINGS.issuing_body.upper(), "Hội nghị thử · 15/12/2026", SETTINGS.target_source):
        assert words in title
    for n, slide in enumerate(slides[1:], start=2):
        assert SETTINGS.issuing_body in _text(slide), n


def test_the_deck_cites_the_provinces_own_plan_never_another_provinces(demo, decks):
    assert "Đồng Nai" not in " ".join(decks["q3"].strings())
    shipped = load()
    assert shipped.target_source and "Đồng Nai" not in shipped.target_source
    assert "mô phỏng" in shipped.province and "mô phỏng" in shipped.issuing_body


def test_the_pdf_and_the_workbook_carry_whose_deck_it_is(decks):
    pdf = PdfReader(io.BytesIO(render_bytes(decks["q3"], "pdf")))
    for page in pdf.pages:
        assert SETTINGS.issuing_body in " ".join(page.extract_text().split())
    wb = load_workbook(io.BytesIO(render_bytes(decks["q3"], "xlsx")), read_only=True)
    top = {r[0]: r[1] for r in wb["Tóm tắt"].iter_rows(min_row=2, max_row=12, max_col=2, values_only=True)}
    assert top["Cơ quan báo cáo"] == SETTINGS.issuing_body and top["Chỉ tiêu theo"] == SETTINGS.target_source


def test_a_report_toml_edit_shows_in_the_next_deck_and_a_broken_one_is_refused_in_vietnamese(tmp_path, demo):
    good = tmp_path / "report.toml"
    good.write_text('[province]\nname = "Tỉnh Mới"\nissuing_body = "UBND tỉnh Mới"\n', encoding="utf-8")
    assert load(good).owner_text == "UBND tỉnh Mới"
    bad = tmp_path / "bad.toml"
    bad.write_text('[meeting]\ndate = "15/12/2026"\n', encoding="utf-8")
    with pytest.raises(ReportConfigError, match="không phải ngày"):
        load(bad)
    broken = tmp_path / "broken.toml"
    broken.write_text("[province\nname = ", encoding="utf-8")
    env_before = os.environ.get("CCHC_REPORT_TOML")
    os.environ["CCHC_REPORT_TOML"] = str(broken)
    try:
        proc = run_cli("report", "--from", "2024-07-01", "--to", "2024-09-30", "-o", tmp_path / "x.pptx", db=demo)
    finally:
        if env_before is None:
            os.environ.pop("CCHC_REPORT_TOML")
        else:
            os.environ["CCHC_REPORT_TOML"] = env_before
    assert proc.returncode == 2 and "sai cú pháp TOML" in proc.stderr
    assert not (tmp_path / "x.pptx").exists()


# ------------------------------------------------------------------ old or partial data


def test_the_warning_says_in_one_sentence_how_old_and_how_partial_the_data_is():
    end, today = dt.date(2025, 9, 30), dt.date(2026, 12, 1)
    assert data_warning(dt.date(2025, 9, 28), 48, 48, end, today) is None
    stale = data_warning(dt.date(2025, 9, 12), 48, 48, end, today)
    assert stale == (
        "Lưu ý: dữ liệu của đơn vị cập nhật chậm nhất chỉ đến ngày 12/09/2025, 18 ngày trước ngày 30/09/2025, "
        "nên số liệu kỳ này chưa đầy đủ."
    )
    both = data_warning(dt.date(2025, 9, 12), 48, 45, end, today)
    assert both.startswith("Lưu ý: chỉ 45/48 đơn vị có dữ liệu đến hết kỳ và dữ liệu") and both.count(".") == 1
    # a period still running is measured against today, not its end
    assert data_warning(dt.date(2026, 11, 28), 10, 10, dt.date(2026, 12, 31), today) is None


def test_the_title_slide_carries_the_warning_when_coverage_is_partial(pptx, decks):
    # the fixture's dossiers stop on 30/06/2025, half a year before the period's end
    warning = decks["year"].data_warning
    assert warning and warning.startswith("Lưu ý:")
    assert warning in _text(next(iter(pptx["year"].slides)))


# ------------------------------------------------------------------ rankings


def test_the_ranking_slides_show_every_unit_sorted_with_the_target_line_and_below_units_tinted(pptx, decks):
    ranking = decks["q3"].ranking("on_time_rate", "commune")
    tables = [
        sh.table
        for slide in pptx["q3"].slides
        if "Xếp hạng đơn vị: tỷ lệ hồ sơ giải quyết đúng hạn" in _text(slide) and "Cấp xã" in _text(slide)
        for sh in slide.shapes
        if sh.has_table
    ]
    rows = [[c.text for c in row.cells] for t in tables for row in list(t.rows)[1:]]
    names = [r[1].removesuffix(" (ít hồ sơ)") for r in rows if not r[0].startswith("▼")]
    assert names == [u.unit_name for u in ranking.rows]  # every unit, in ranking order
    assert len(tables) == -(-(len(ranking.rows) + 1) // RANKING_ROWS)  # the target line is a row too
    line = [i for i, r in enumerate(rows) if r[0].startswith("▼ Chỉ tiêu 97%")]
    assert len(line) == 1
    ranked = [u for u in ranking.rows if u.rank is not None]
    above = sum(1 for u in ranked if u.figure.meets_target)
    assert line[0] == above  # the line sits where the ranked units cross the target


def test_history_units_are_labelled_and_never_ranked(decks):
    district = decks["year"].ranking("online_rate", "district")
    assert district.rows and all(u.history and u.rank is None and u.rank_text == "Lịch sử" for u in district.rows)
    assert all(u.figure.status == "Lịch sử" for u in district.rows)
    html = "".join(s.html for s in write_html(decks["year"]))
    assert "Lịch sử" in html


# ------------------------------------------------------------------ Biểu 06


def test_bieu06_is_on_slides_in_the_pdf_and_in_the_workbook_with_the_engines_figures(demo, decks, pptx):
    con = db.connect(demo, read_only=True)
    table = compute.bieu06(con, *Q3)
    con.close()
    total = table[table["level"] == "total"].iloc[0]
    b06_slides = [s for s in pptx["q3"].slides if "Biểu 06/VPCP/KSTT" in _text(s)]
    assert len(b06_slides) == -(-len(table) // BIEU06_ROWS)
    first = next(sh.table for sh in b06_slides[0].shapes if sh.has_table)
    assert first.cell(0, 1).text == "Số hồ sơ nhận giải quyết" and first.cell(1, 2).text == "Kỳ trước chuyển sang"
    assert [c.text for c in first.rows[2].cells][1:5] == [
        fmt_int(total[c]) for c in ("received", "carried_over", "new_online", "new_direct_postal")
    ]
    units_on_slides = sum(1 for s in b06_slides for sh in s.shapes if sh.has_table for _ in list(sh.table.rows)[2:])
    assert units_on_slides == len(table)

    pdf = PdfReader(io.BytesIO(render_bytes(decks["q3"], "pdf")))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "Biểu 06/VPCP/KSTT" in text and f"Tổng cộng (Toàn tỉnh) {fmt_int(total['received'])}" in text

    wb = load_workbook(io.BytesIO(render_bytes(decks["q3"], "xlsx")))
    ws = wb["Biểu 06"]
    header = next(r for r in ws.iter_rows() if r[0].value == "Đơn vị")
    row = next(r for r in ws.iter_rows(min_row=header[0].row) if str(r[0].value).startswith("Tổng cộng"))
    assert [c.value for c in row[1:12]] == [int(total[c]) for c in compute.BIEU06_COUNTS]
    assert row[12].value == pytest.approx(total["on_time_rate"])
