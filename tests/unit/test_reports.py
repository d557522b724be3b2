"""The conference files, opened with their own libraries, carry the engine's figures to
the dossier, every Vietnamese string intact, and an honest short deck for an empty scope."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pptx.util import Emu
from pypdf import PdfReader

from metrics import compute, db, registry
from metrics.reports import write_report
from metrics.reports.build import build_deck
from metrics.reports.model import NO_DOSSIERS
from metrics.reports.pdf_layout import FONT_DIR
from metrics.reports.plan import slide_plan
from metrics.vi_format import fmt_date, fmt_int, fmt_pct
from tests.conftest import run_cli, run_cli_json

Q3 = (dt.date(2024, 7, 1), dt.date(2024, 9, 30))
EMPTY = (dt.date(2027, 1, 1), dt.date(2027, 3, 31))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    from tests.app.demo_db import build

    path = build(tmp_path_factory.mktemp("reports") / "demo.duckdb", 20_000)
    # A citizen-typed field that a spreadsheet would run as a formula, on a late dossier.
    con = db.connect(path)
    code = compute.late(con, *Q3, limit=1)["dossier_code"].iloc[0]
    con.execute('UPDATE dossiers SET procedure_name = \'=HYPERLINK("http://x","bấm")\' WHERE dossier_code = ?', [code])
    con.close()
    return path


@pytest.fixture(scope="module")
def files(demo, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("files")
    con = db.connect(demo, read_only=True)
    paths = {}
    for fmt in ("pptx", "pdf", "xlsx"):
        paths[fmt] = out / f"q3.{fmt}"
        write_report(con, *Q3, fmt, paths[fmt])
    con.close()
    return paths


@pytest.fixture(scope="module")
def deck(demo):
    con = db.connect(demo, read_only=True)
    d = build_deck(con, *Q3)
    con.close()
    return d


@pytest.fixture(scope="module")
def cli_kpis(demo) -> dict[str, list[dict]]:
    """What `python -m metrics kpis` prints for the same period: the reference."""
    return {
        by: run_cli_json("kpis", "--from", Q3[0], "--to", Q3[1], "--by", by, db=demo)["rows"] for by in ("all", "tier")
    }


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", _nfc(text)).strip()


# ------------------------------------------------------------------ PowerPoint


def _slides(path: Path) -> list[dict]:
    prs = Presentation(str(path))
    out = []
    for slide in prs.slides:
        texts, tables, charts = [], [], []
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                tables.append([[c.text for c in row.cells] for row in shape.table.rows])
            if shape.has_chart:
                charts.append(shape.chart)
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        out.append({"texts": texts, "tables": tables, "charts": charts, "notes": notes})
    return out


def test_the_deck_is_16_by_9(files):
    prs = Presentation(str(files["pptx"]))
    assert abs(Emu(prs.slide_width).inches / Emu(prs.slide_height).inches - 16 / 9) < 0.01


def test_each_kpi_slide_shows_the_engines_rates_per_tier_as_vi_text(files, cli_kpis):
    slides = _slides(files["pptx"])
    from metrics import registry

    for row in cli_kpis["tier"] + cli_kpis["all"]:
        title = registry.metric(row["metric"], row["definition"]).label_vi
        slide = next(s for s in slides if s["texts"] and s["texts"][1] == title)
        table = slide["tables"][0]
        label = {"department": "Cấp sở", "district": "Cấp huyện", "commune": "Cấp xã", None: "Toàn tỉnh"}[row["tier"]]
        line = next(r for r in table if r[0] == label)
        assert line[1] == fmt_pct(row["rate"]), (title, label)
        assert line[5] == fmt_int(row["numerator"])
        assert line[6] == fmt_int(row["denominator"])
        assert fmt_pct(row["rate"]) in " ".join(slide["texts"])  # the big number on its card


def test_the_trend_chart_is_a_native_chart_of_the_12_months_to_the_periods_end_with_the_target(files, demo):
    # Changed by issue 12: the chart was the period's 3 months; it is now the 12 months up
    # to the period's end (the demo's data starts in 01/2024: the months before it are empty).
    from pptx.enum.chart import XL_CHART_TYPE

    con = db.connect(demo, read_only=True)
    monthly = compute.kpis(con, dt.date(2023, 10, 1), Q3[1], by=("tier", "month"))
    con.close()
    slides = _slides(files["pptx"])
    kpi_slide = slides[1]
    chart = kpi_slide["charts"][0]
    assert chart.chart_type in (XL_CHART_TYPE.LINE, XL_CHART_TYPE.LINE_MARKERS)
    plot = chart.plots[0]
    series = {s.name: list(s.values) for s in plot.series}
    assert all(len(values) >= 12 for values in series.values())
    expected = monthly[(monthly["metric"] == "on_time_rate") & (monthly["tier"] == "commune")]
    by_month = dict(zip(expected["month"], expected["rate"], strict=True))
    months = [f"{y}-{m:02d}" for y, m in [(2023, 10), (2023, 11), (2023, 12)] + [(2024, m) for m in range(1, 10)]]
    assert series["Cấp xã"] == pytest.approx([by_month.get(m) for m in months], abs=1e-12)
    # the target is drawn over the months it was in force (targets.csv: from 01/01/2024)
    assert series["Chỉ tiêu 97%"] == pytest.approx([None] * 3 + [0.97] * 9)
    categories = list(plot.categories)
    assert categories[:1] == ["T10/2023"] and categories[-3:] == ["T7/2024", "T8/2024", "T9/2024"]


def test_the_written_summary_is_in_the_speaker_notes(files, deck):
    slides = _slides(files["pptx"])
    notes = _flat(slides[-1]["notes"])
    for sentence in deck.summary:
        assert _flat(sentence) in notes


def test_every_vietnamese_string_survives_the_powerpoint_round_trip(files, deck):
    slides = _slides(files["pptx"])
    text = _nfc(
        "\n".join(
            "\n".join(s["texts"]) + "\n" + "\n".join("\n".join(r) for t in s["tables"] for r in t) + "\n" + s["notes"]
            for s in slides
        )
    )
    assert "\ufffd" not in text and "?" not in text
    for expected in [
        deck.title,
        deck.scope_label,
        deck.period_text,
        deck.data_as_of_text,
        *deck.summary,
        *(k.title for k in deck.kpis),
        *(t.label for k in deck.kpis for t in k.tiers),
        *(b.unit_name for spec in slide_plan(deck) for b in spec.below),
        *(u.unit_name for spec in slide_plan(deck) for u in spec.units if u),
        "Chưa đạt",
        "Đạt",
    ]:
        assert _nfc(expected) in text, expected


# ------------------------------------------------------------------ PDF


def _pdf_pages(path: Path) -> list[str]:
    return [_nfc(p.extract_text()) for p in PdfReader(str(path)).pages]


def _pdf_body(path: Path, deck) -> str:
    """All pages' text without the running header and footer, so that a paragraph broken
    across a page reads whole."""
    lines = []
    for page in _pdf_pages(path):
        for line in page.splitlines():
            # the running header and the footer's first line name whose report it is (issue 12)
            if line.startswith(f"{deck.owner or deck.title} · ") or (
                line.startswith("Kỳ báo cáo:") and "Trang " in line
            ):
                continue
            lines.append(line)
    return _flat(" ".join(lines))


def test_the_pdf_kpi_table_carries_the_engines_rates_targets_and_counts(files, cli_kpis):
    text = _flat(_pdf_pages(files["pdf"])[0])
    for row in cli_kpis["tier"] + cli_kpis["all"]:
        cells = [fmt_pct(row["rate"]), fmt_int(row["numerator"]), fmt_int(row["denominator"])]
        for cell in cells:
            assert cell in text, (row["metric"], row["tier"], cell)
    assert "Chỉ tiêu" in text and "Đánh giá" in text


def test_every_pdf_page_has_the_period_the_data_date_and_its_number(files, deck):
    pages = _pdf_pages(files["pdf"])
    assert len(pages) >= 3
    for i, page in enumerate(pages, start=1):
        flat = _flat(page)
        assert deck.period_text in flat
        assert f"Dữ liệu đến ngày {fmt_date(deck.data_as_of)}" in flat
        assert f"Trang {i}/{len(pages)}" in flat


def test_the_pdf_has_the_ranking_the_late_summary_the_written_summary_and_signatures(files, deck):
    text = _pdf_body(files["pdf"], deck)
    for sentence in deck.summary:
        assert _flat(sentence) in text
    assert f"Tổng số hồ sơ trễ hạn: {fmt_int(deck.late.total)}" in text
    for heading in ("Xếp hạng đơn vị", "Đơn vị chưa đạt chỉ tiêu", "Hồ sơ trễ hạn", "THỦ TRƯỞNG ĐƠN VỊ"):
        assert heading in text
    ranking = deck.ranking("on_time_rate", "commune")
    assert ranking is not None and _flat(ranking.rows[0].unit_name) in text


def test_the_pdf_font_has_a_glyph_for_every_character_of_the_deck(deck):
    from fontTools.ttLib import TTFont

    chars = {c for s in deck.strings() for c in s if not c.isspace()}
    chars |= set("▲▼−–…“”·")
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        cmap = TTFont(str(FONT_DIR / name)).getBestCmap()
        missing = {c for c in chars if ord(c) not in cmap}
        assert not missing, (name, missing)


# ------------------------------------------------------------------ Excel


def test_the_workbook_has_one_sheet_per_view_with_the_period_on_top(files, deck):
    wb = load_workbook(files["xlsx"], read_only=True)
    # "Biểu 06" added by issue 12 (the official reporting table), "Hạn mức trễ hạn" by
    # issue 13 (the demo has no official scores, so no "Điểm chính thức" sheet)
    assert wb.sheetnames == [
        "Tóm tắt",
        "Chỉ số theo cấp",
        "Theo đơn vị",
        "Theo tháng",
        "Biểu 06",
        "Hạn mức trễ hạn",
        "Hồ sơ trễ hạn",
    ]
    for ws in wb.worksheets:
        top = {r[0]: r[1] for r in ws.iter_rows(min_row=2, max_row=8, max_col=2, values_only=True)}
        assert top["Kỳ báo cáo"] == deck.period_text
        assert top["Phạm vi"] == "Toàn tỉnh"
        assert top["Dữ liệu đến ngày"] == fmt_date(deck.data_as_of)


def _table(ws) -> tuple[list[str], list[tuple]]:
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r and r[0] in ("Chỉ số", "Mã hồ sơ"))
    return list(rows[start]), rows[start + 1 :]


def test_the_tier_sheet_has_real_numbers_equal_to_the_engine(files, cli_kpis):
    wb = load_workbook(files["xlsx"])
    ws = wb["Chỉ số theo cấp"]
    header, rows = _table(ws)
    col = {h: i for i, h in enumerate(header)}
    labels = {"department": "Cấp sở", "district": "Cấp huyện", "commune": "Cấp xã", None: "Toàn tỉnh (tất cả các cấp)"}
    from metrics import registry

    for ref in cli_kpis["tier"] + cli_kpis["all"]:
        title = registry.metric(ref["metric"], ref["definition"]).label_vi
        row = next(r for r in rows if r[col["Chỉ số"]] == title and r[col["Phạm vi"]] == labels[ref["tier"]])
        assert row[col["Tử số"]] == ref["numerator"]
        assert row[col["Mẫu số"]] == ref["denominator"]
        assert row[col["Tỷ lệ"]] == pytest.approx(ref["rate"], abs=1e-15)
        if ref["target"] is not None:
            assert row[col["Chỉ tiêu"]] == pytest.approx(ref["target"])
    first_rate = next(c for c in ws[_header_row(ws) + 1] if c.column == col["Tỷ lệ"] + 1)
    assert first_rate.number_format == "0.00%"


def _header_row(ws) -> int:
    for row in ws.iter_rows(min_row=1, max_row=20):
        if row[0].value == "Chỉ số":
            return row[0].row
    raise AssertionError("no header")


def test_the_unit_sheet_equals_the_engines_units(files, demo):
    con = db.connect(demo, read_only=True)
    units = compute.kpis(con, *Q3, by=("tier", "unit"))
    con.close()
    header, rows = _table(load_workbook(files["xlsx"], read_only=True)["Theo đơn vị"])
    col = {h: i for i, h in enumerate(header)}
    assert len(rows) == len(units)
    got = {(r[col["Mã đơn vị"]], r[col["Tử số"]], r[col["Mẫu số"]]) for r in rows}
    want = {
        (u, int(n), int(d))
        for u, n, d in zip(units["unit_code"], units["numerator"], units["denominator"], strict=True)
    }
    assert got == want


def test_the_late_sheet_lists_every_late_dossier_with_formulas_escaped(files, demo):
    con = db.connect(demo, read_only=True)
    expected = compute.late_count(con, *Q3)
    con.close()
    header, rows = _table(load_workbook(files["xlsx"], read_only=True)["Hồ sơ trễ hạn"])
    rows = [r for r in rows if r and r[0]]
    assert len(rows) == expected
    procedures = [r[header.index("Tên TTHC")] for r in rows]
    assert any(p.startswith("'=HYPERLINK") for p in procedures)
    assert not any(str(p).startswith(("=", "+", "@")) for p in procedures)
    assert isinstance(rows[0][header.index("Số ngày trễ")], int)
    assert isinstance(rows[0][header.index("Ngày hẹn trả")], dt.datetime)


# ------------------------------------------------------------------ empty scopes and the CLI


@pytest.mark.parametrize("fmt", ["pptx", "pdf", "xlsx"])
def test_an_empty_period_yields_a_short_honest_file(demo, tmp_path, fmt):
    con = db.connect(demo, read_only=True)
    out = tmp_path / f"empty.{fmt}"
    deck = write_report(con, *EMPTY, fmt, out)
    con.close()
    assert deck.empty
    if fmt == "pptx":
        slides = _slides(out)
        assert len(slides) == 2
        assert NO_DOSSIERS in "\n".join(slides[1]["texts"])
    elif fmt == "pdf":
        pages = _pdf_pages(out)
        assert len(pages) == 1 and NO_DOSSIERS in pages[0]
    else:
        ws = load_workbook(out, read_only=True)["Tóm tắt"]
        assert NO_DOSSIERS in [c for row in ws.iter_rows(values_only=True) for c in row]


def test_an_empty_database_yields_an_honest_deck(tmp_path):
    from tests.app.demo_db import build_empty

    path = build_empty(tmp_path / "empty.duckdb")
    con = db.connect(path, read_only=True)
    deck = write_report(con, *Q3, "pptx", tmp_path / "e.pptx")
    con.close()
    assert deck.empty and deck.summary[1] == "Cơ sở dữ liệu chưa có hồ sơ nào."


def test_a_tier_and_a_unit_scope_carry_their_own_figures(demo, tmp_path):
    con = db.connect(demo, read_only=True)
    deck = write_report(con, *Q3, "pptx", tmp_path / "xa.pptx", tier="commune")
    ref = compute.kpis(con, *Q3, by=(), tier="commune")
    rate = ref[ref["metric"] == "online_rate"]["rate"].iloc[0]
    kpi = deck.kpi("online_rate")
    assert kpi.total.figure.rate_text == fmt_pct(rate)
    assert kpi.total.figure.target == pytest.approx(0.30)  # the tier's own target
    unit = compute.unit_list(con, tier="district")["unit_code"].iloc[0]
    udeck = write_report(con, *Q3, "pdf", tmp_path / "unit.pdf", unit=unit)
    assert udeck.scope_label in _pdf_pages(tmp_path / "unit.pdf")[0]
    assert all(b.unit_code == unit for b in udeck.below_target)
    con.close()


def test_the_cli_writes_each_format_from_one_line(demo, tmp_path):
    for fmt in ("pptx", "pdf", "xlsx"):
        out = tmp_path / f"r.{fmt}"
        proc = run_cli("report", "--from", Q3[0], "--to", Q3[1], "--format", fmt, "-o", out, db=demo)
        assert proc.returncode == 0, proc.stderr
        assert out.stat().st_size > 1000
        assert "Đã ghi" in proc.stdout
    proc = run_cli("report", "--from", Q3[0], "--to", Q3[1], "-o", tmp_path / "r.docx", db=demo)
    assert proc.returncode == 2 and "pptx, pdf hoặc xlsx" in proc.stderr


def test_the_report_modules_never_import_streamlit():
    import subprocess
    import sys

    code = (
        "import sys; import metrics.reports, metrics.reports.build, metrics.reports.plan, "
        "metrics.reports.pptx_writer, metrics.reports.pdf_writer, metrics.reports.xlsx_writer, "
        "metrics.reports.html_writer, metrics.reports.cli, metrics.reports.summary; "
        "sys.exit(1 if 'streamlit' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2]).returncode == 0


def test_every_vietnamese_string_survives_the_workbook_round_trip(files, deck):
    wb = load_workbook(files["xlsx"], read_only=True)
    cells = {_nfc(str(c)) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c}
    for expected in [
        *deck.summary,
        *(k.title for k in deck.kpis),
        *(u.unit_name for r in deck.rankings for u in r.rows),
    ]:
        assert _nfc(expected) in cells, expected
    assert not any("\ufffd" in c for c in cells)


def test_the_summary_and_the_deck_model_never_ask_the_engine_or_a_writer():
    # The layers of metrics/reports import only the ones above them: the model and the
    # summary are plain data and sentences, so they can be tested without a database.
    import ast

    reports = Path(__file__).resolve().parents[2] / "metrics" / "reports"
    below = {"metrics.compute", "metrics.db", "metrics.reports.build", "metrics.reports.plan"}
    below |= {f"metrics.reports.{p.stem}" for p in reports.glob("*_writer.py")}
    for name in ("figures", "model", "summary", "ahead"):
        tree = ast.parse((reports / f"{name}.py").read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not imported & below, (name, imported & below)


@pytest.mark.parametrize("metric", registry.METRIC_KEYS)
def test_every_metric_gives_the_deck_its_words_from_the_registry(metric):
    # "cần thêm 14 hồ sơ đúng hạn", "(96/100 lượt đánh giá)", "Cách tính đúng hạn: …"
    from metrics.reports.figures import wording

    assert wording(metric).numerator_noun_vi and wording(metric).count_noun_vi
    assert all(m.definition_phrase_vi for m in registry.METRICS if m.key == metric)
