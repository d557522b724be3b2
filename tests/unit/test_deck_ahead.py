"""The deck looks ahead (issue 13): a late-budget slide for the year in progress, the
written summary's sentence on the unit closest to its limit, and the official 766 and
PAR INDEX scores beside our estimate, in the PowerPoint, the PDF, the presentation page's
slides and the workbook; a unit reader's deck holds only their units on these slides.

The exports and score files are written as real CSV files and imported through the CLI;
the figures the outputs must carry are the engine's (compute.budget, compute.score766),
and the hand-computed ones are worked out beside them (as in tests/golden/test_ahead.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pptx.util import Pt
from pypdf import PdfReader

from metrics import compute, db
from metrics import scope as scopes
from metrics.reports import render_bytes
from metrics.reports.build import build_deck
from metrics.reports.html_writer import write_html
from metrics.reports.plan import slide_plan
from tests.conftest import prepare_db, run_cli

HEADER = ["dossier_code", "agency_code", "agency_name", "tier", "channel", "received_at", "due_at"]
HEADER += ["resolved_at", "status", "supplement_count", "rating"]
TP, KH, HM, BH = "000.00.06.H56", "000.00.12.H56", "000.30.31.H56", "000.31.32.H56"
NAMES = {TP: "Sở Tư pháp", KH: "Sở Kế hoạch và Đầu tư", HM: "UBND xã Hương Minh", BH: "UBND phường Bắc Hồng"}
# A quarterly deck whose quarter is over at its end: its budget is the year's, as of 31/03.
Q1_2026 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
YEAR_2026 = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
AS_OF = dt.date(2026, 3, 31)
PORTAL = "MA_DON_VI,TEN_DON_VI,NAM,CKMB,TDGQ,CLGQ,TTTT,MDHL,MDSH,TONG_SCORE,XEP_HANG,SO_DON_VI"


def _resolved(code: str, unit: str, year: int, on_time: bool, month: int = 1) -> list[object]:
    tier = "Cấp sở" if unit in (TP, KH) else "Cấp xã"
    day = 15 if on_time else 25
    ym = f"{year}-{month:02d}"
    received, due, ended = f"{ym}-05T08:00:00", f"{ym}-20T17:00:00", f"{ym}-{day}T10:00:00"
    return [code, unit, unit, tier, "direct", received, due, ended, 10, 0, ""]


def _many(prefix: str, unit: str, year: int, n: int, late: int, month: int = 1) -> list[list[object]]:
    return [_resolved(f"{prefix}-{i:03d}", unit, year, i < n - late, month) for i in range(n)]


def _write(path: Path, header: list[str] | str, rows: list[list[object]] | list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        if isinstance(header, str):
            f.write("\n".join([header, *map(str, rows)]) + "\n")
        else:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows)
    return path


@pytest.fixture(scope="module")
def ahead(tmp_path_factory) -> dict:
    """The decks of one database before and after the official scores are imported."""
    tmp = tmp_path_factory.mktemp("ahead")
    path = prepare_db(tmp / "ahead.duckdb")
    rows: list[list[object]] = []
    # Sở Tư pháp: R 100 / O 98 to 31/03; last year R1 80 (Jan), Q1 240 (June): budget 10
    rows += _many("TP6", TP, 2026, 100, 2) + _many("TP5", TP, 2025, 80, 0) + _many("TP5J", TP, 2025, 240, 0, 6)
    # Sở KH&ĐT: 97 / 100 exactly at target, nothing last year: pace, budget 9
    rows += _many("KH6", KH, 2026, 100, 3)
    # Hương Minh: 90 / 100, R1 100, Q1 10: cannot reach 97% this year, needs 234
    rows += _many("HM6", HM, 2026, 100, 10) + _many("HM5", HM, 2025, 100, 0) + _many("HM5J", HM, 2025, 10, 0, 6)
    # Bắc Hồng: 9 / 10, R1 10, Q1 300: below target, budget 8, needs 24: the closest
    rows += _many("BH6", BH, 2026, 10, 1) + _many("BH5", BH, 2025, 10, 0) + _many("BH5J", BH, 2025, 300, 0, 6)
    # X-ZERO: only last year, nothing this year and nothing expected: no budget at all
    rows += _many("XZ5", "X-ZERO", 2025, 5, 0) + _many("XZ5J", "X-ZERO", 2025, 5, 0, 6)
    # one open dossier received on 31/03 makes that the data date
    rows.append(["TP6-OPEN", TP, TP, "Cấp sở", "direct", "2026-03-31T08:00:00", "2026-04-10T17:00:00", "", 4, 0, ""])
    run_cli("ingest", _write(tmp / "export.csv", HEADER, rows), db=path, check=True)

    con = db.connect(path, read_only=True)
    before = build_deck(con, *Q1_2026)
    con.close()

    portal = [
        f"{TP},Sở Tư pháp,2024,15,18,10,8,16,20,85,2,2",
        f'{TP},Sở Tư pháp,2025,15,15,10,8,16,20,"89,30",1,2',  # tiến độ 15 vs our 20: lệch 5
        f"{KH},Sở Kế hoạch và Đầu tư,2025,15,18,10,8,16,20,87,2,2",  # no 2025 dossiers: không so được
        f'{HM},UBND xã Hương Minh,2025,15,"19,5",10,8,16,20,88,1,2',  # 19,5 vs 20: khớp
        f'{BH},UBND phường Bắc Hồng,2025,15,"19,9",10,8,16,20,80,2,2',
    ]
    par = [
        "PAR INDEX,2024,,Tỉnh Thử Nghiệm,85,14,34,Bộ Nội vụ",
        'PAR INDEX,2025,,Tỉnh Thử Nghiệm,"89,30",12,34,Bộ Nội vụ',
    ]
    run_cli("ingest", _write(tmp / "diem_766.csv", PORTAL, portal), db=path, check=True)
    run_cli(
        "ingest",
        _write(tmp / "chi_so.csv", "index,year,unit,province,score,rank,ranked_of,source", par),
        db=path,
        check=True,
    )
    con = db.connect(path, read_only=True)
    out = {
        "before": before,
        "deck": build_deck(con, *Q1_2026),
        "scoped": build_deck(con, *Q1_2026, scope=scopes.limited_to([BH, TP], NAMES)),
        "budget": {
            r["unit_code"]: r for r in compute.budget(con, *YEAR_2026, as_of=AS_OF, by=("unit",)).to_dict("records")
        },
        "estimate": {
            r["unit_code"]: r
            for r in compute.score766(con, dt.date(2025, 1, 1), dt.date(2025, 12, 31), by=("unit",)).to_dict("records")
        },
    }
    con.close()
    return out


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def _pptx_slides(deck) -> list[tuple[str, str]]:
    """Each slide's title and all its text (boxes and table cells), flattened."""
    prs = Presentation(io.BytesIO(render_bytes(deck, "pptx")))
    out = []
    for slide in prs.slides:
        texts, title = [], ""
        for shape in slide.shapes:
            if shape.name == "title":
                title = shape.text_frame.text
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [c.text for row in shape.table.rows for c in row.cells]
        out.append((_flat(title), _flat(" | ".join(texts))))
    return out


def _pdf(deck) -> str:
    return _flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(render_bytes(deck, "pdf"))).pages))


def _sheet(deck, name: str) -> list[tuple]:
    wb = load_workbook(io.BytesIO(render_bytes(deck, "xlsx")), read_only=True)
    assert name in wb.sheetnames, wb.sheetnames
    return [r for r in wb[name].iter_rows(values_only=True)]


# ----------------------------------------------------------------------------- late budget


def test_the_deck_carries_the_engines_budgets_for_the_year_in_progress(ahead):
    b = ahead["deck"].budget
    assert b is not None and (b.period, b.date_from, b.date_to, b.as_of) == ("năm 2026", *YEAR_2026, AS_OF)
    engine = ahead["budget"]
    for row in b.rows:
        e = engine[row.unit_code]
        assert (row.late_budget, row.needed_on_time, row.expected_remaining, row.status) == (
            e["late_budget"],
            e["needed_on_time"],
            e["expected_remaining"],
            e["status"],
        )
    # worked out in tests/golden/test_ahead.py: 10, 9, failed (234), 8 below (24), no data
    assert {r.unit_code: r.late_budget for r in b.rows} == {TP: 10, KH: 9, HM: None, BH: 8, "X-ZERO": None}
    assert [r.unit_code for r in b.closest] == [HM, BH, KH, TP]


def test_the_summary_names_the_unit_closest_to_its_limit_and_the_one_that_cannot_get_back(ahead):
    summary = ahead["deck"].summary
    assert "UBND phường Bắc Hồng chỉ còn được phép trễ tối đa 8 hồ sơ trong năm 2026 để giữ mức 97%." in summary
    assert any(s.startswith("UBND xã Hương Minh không còn đạt được mức 97% trong năm 2026") for s in summary)
    # X-ZERO has no data behind its budget: it is never written as 0
    assert not any("X-ZERO" in s for s in summary)


def test_the_powerpoint_has_the_budget_slide_with_the_basis_and_no_zero_for_no_data(ahead):
    slides = dict(_pptx_slides(ahead["deck"]))
    text = slides["Hạn mức trễ hạn năm 2026"]
    assert "UBND xã Hương Minh | 90,00% | không còn đạt được trong kỳ · cần 234 hồ sơ đúng hạn để đạt lại" in text
    assert "UBND phường Bắc Hồng | 90,00% | còn được trễ 8 · cần 24 hồ sơ đúng hạn để đạt lại | 300 hồ sơ" in text
    assert "Sở Tư pháp | 98,00% | còn được trễ 10 | 300 hồ sơ" in text
    assert "Sở Kế hoạch và Đầu tư | 97,00% | còn được trễ 9 | 306 hồ sơ" in text
    assert "ước tính theo cùng kỳ năm trước" in text and "theo nhịp năm nay" in text
    assert "tính đến 31/03/2026" in text
    assert "X-ZERO" not in text and "1 đơn vị chưa có dữ liệu hoặc chỉ tiêu" in text


def test_the_pdf_html_and_workbook_carry_the_same_budgets(ahead):
    deck = ahead["deck"]
    pdf = _pdf(deck)
    assert "Hạn mức trễ hạn năm 2026" in pdf and "còn được trễ 8 · cần 24 hồ sơ đúng hạn để đạt lại" in pdf
    html = {s.title: s.body for s in write_html(deck)}
    assert "còn được trễ 10" in html["Hạn mức trễ hạn năm 2026"]
    rows = {r[0]: r for r in _sheet(deck, "Hạn mức trễ hạn") if r and r[0] in (TP, KH, HM, BH, "X-ZERO")}
    # code, name, tier, target, resolved, rate, expected, basis, budget, needed, words
    assert rows[BH][3:7] + rows[BH][8:10] == (0.97, 10, 0.9, 300, 8, 24)
    assert rows[HM][8] is None and rows[HM][9] == 234
    assert rows["X-ZERO"][8] is None and rows["X-ZERO"][10] == "chưa có dữ liệu"


# ----------------------------------------------------------------------------- official scores


def test_without_official_scores_there_is_no_scores_slide_or_sheet(ahead):
    deck = ahead["before"]
    assert deck.scores is None
    assert not [s for s in slide_plan(deck) if s.kind == "scores"]
    assert "Điểm chính thức" not in load_workbook(io.BytesIO(render_bytes(deck, "xlsx")), read_only=True).sheetnames


def test_the_scores_slide_puts_the_official_score_and_rank_beside_our_estimate(ahead):
    deck = ahead["deck"]
    est = ahead["estimate"]
    assert est[TP]["tien_do_points"] == 20.0 and est[HM]["tien_do_points"] == 20.0  # every 2025 dossier on time
    rows = {r.unit_code: r for r in deck.scores.rows}
    assert rows[TP].score_text == "89,30 điểm, xếp thứ 1/2"
    assert rows[TP].change_text == "tăng 1 bậc"
    assert rows[TP].estimate_tien_do == est[TP]["tien_do_points"]
    assert (rows[TP].verdict_text, rows[HM].verdict_text, rows[KH].verdict_text) == (
        "lệch 5,00 điểm",
        "khớp",
        "không so được",
    )
    slides = [text for title, text in _pptx_slides(deck) if title.startswith("Điểm Bộ chỉ số 766")]
    joined = " ".join(slides)
    assert "Sở Tư pháp | 89,30 điểm, xếp thứ 1/2 | tăng 1 bậc | 15,00 / 20,00" in joined
    assert "lệch 5,00 điểm" in joined and "không thay thế điểm trên Cổng DVCQG" in joined
    assert "điểm tiến độ chênh quá 2 điểm: Sở Tư pháp." in joined
    par = dict(_pptx_slides(deck))["Chỉ số PAR INDEX của tỉnh"]
    assert "Tỉnh Thử Nghiệm | 89,30 điểm, xếp thứ 12/34 | tăng 2 bậc" in par
    assert "89,30 điểm, xếp thứ 1/2" in _pdf(deck)
    html = " ".join(s.body for s in write_html(deck))
    assert "89,30 điểm, xếp thứ 12/34" in html and "lệch 5,00 điểm" in html
    sheet = [r for r in _sheet(deck, "Điểm chính thức") if r and r[0] == TP]
    assert sheet[0][7:11] == (89.3, 1, 2, 2)


# ----------------------------------------------------------------------------- scope


def test_a_unit_readers_deck_holds_only_their_units_on_these_slides(ahead):
    deck = ahead["scoped"]  # Bắc Hồng and Sở Tư pháp (whose data reaches 31/03)
    assert {r.unit_code for r in deck.budget.rows} == {BH, TP}
    assert {r.unit_code for r in deck.scores.rows} == {BH, TP}
    assert "UBND phường Bắc Hồng chỉ còn được phép trễ tối đa 8 hồ sơ trong năm 2026 để giữ mức 97%." in deck.summary
    mine, others = [NAMES[BH], NAMES[TP]], [NAMES[KH], NAMES[HM]]
    seen = 0
    for title, text in _pptx_slides(deck):
        if title.startswith(("Hạn mức trễ hạn", "Điểm Bộ chỉ số 766")):
            seen += 1
            assert any(name in text for name in mine)
            assert not any(name in text for name in others), (title, text)
    assert seen >= 2
    for sheet in ("Hạn mức trễ hạn", "Điểm chính thức"):
        cells = " ".join(str(c) for r in _sheet(deck, sheet) for c in r if c)
        assert all(name in cells for name in mine) and not any(name in cells for name in others)
    html = " ".join(s.body for s in write_html(deck) if s.title.startswith(("Hạn mức", "Điểm Bộ")))
    assert NAMES[BH] in html and not any(name in html for name in others)


def test_the_new_slides_keep_the_type_a_hall_can_read(ahead):
    # no run below 18 pt, titles at 28 pt or more (tests/unit/test_deck_conference.py)
    prs = Presentation(io.BytesIO(render_bytes(ahead["deck"], "pptx")))
    kinds = [s.kind for s in slide_plan(ahead["deck"])]
    checked = 0
    for kind, slide in zip(kinds, prs.slides, strict=True):
        if kind not in ("budget", "scores"):
            continue
        checked += 1
        for shape in slide.shapes:
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [c.text_frame for row in shape.table.rows for c in row.cells]
            for tf in frames:
                for run in (r for p in tf.paragraphs for r in p.runs if r.text.strip()):
                    least = Pt(28) if shape.name == "title" else Pt(18)
                    assert run.font.size is not None and run.font.size >= least, (kind, run.text)
    assert checked == 4  # the budget, the 766 table (a slide for each of two tiers), PAR INDEX
