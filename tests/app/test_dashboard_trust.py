"""The dashboard a chairman trusts at a glance (issue 12): the headline says in words
whether the province meets each target and by how far, 'N đơn vị chưa đạt' opens exactly
the list it counts, and a unit's row leads to its late dossiers in one click."""

from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pandas as pd

from metrics import db, registry
from tests.app import demo_db
from tests.app.linktables import anchors, html_blocks, link_table, links, parse, target
from tests.app.test_pages import assert_clean, open_app, texts
from ui import i18n, late, overview, tables, trends
from ui.filters import Filters


def _metric(key: str) -> registry.Metric:
    return next(m for m in registry.METRICS if m.key == key)


def test_the_headline_says_how_far_the_province_is_from_its_target():
    i18n.use("vi")
    row = pd.Series({"rate": 0.953, "target": 0.97, "gap": -0.017, "status": "below"})
    assert overview.headline_sentence(row, _metric("on_time_rate")) == (
        "Đúng hạn 95,30%: chưa đạt chỉ tiêu 97%, thiếu 1,70 điểm %"
    )
    met = pd.Series({"rate": 0.975, "target": 0.97, "gap": 0.005, "status": "met"})
    assert "đạt chỉ tiêu 97%, vượt 0,50 điểm %" in overview.headline_sentence(met, _metric("on_time_rate"))


def test_a_near_rate_is_still_said_to_be_below_its_target():
    i18n.use("vi")
    row = pd.Series({"rate": 0.969, "target": 0.97, "gap": -0.001, "status": "near"})
    assert "chưa đạt chỉ tiêu 97%, thiếu 0,10 điểm %" in overview.headline_sentence(row, _metric("on_time_rate"))


def test_every_unit_met_is_never_said_when_no_unit_was_rated():
    i18n.use("vi")
    assert overview.units_sentence(0, 0) == "chưa đơn vị nào đủ điều kiện đánh giá"
    assert overview.units_sentence(0, 12) == "mọi đơn vị đều đạt"
    assert overview.units_sentence(3, 12).startswith("3 đơn vị chưa đạt")


def _headline(at) -> list[str]:
    """The headline's lines as a reader reads them (one st.html block, ui.overview.headline)."""
    block = html_blocks(at, "headline")[0]
    return [re.sub(r"<[^>]+>", " ", line) for line in block.split('<div class="cchc-headline ')[1:]]


def test_the_overview_headline_has_one_sentence_per_kpi(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch)
    assert_clean(at)
    headline = [h for h in _headline(at) if "chỉ tiêu" in h and ":" in h]
    assert len(headline) >= 3, headline
    assert any("chưa đạt chỉ tiêu" in h and "thiếu" in h for h in headline) or any("vượt" in h for h in headline)


def _below_links(at) -> dict[str, tuple[int, str]]:
    """Per metric, the headline's 'N đơn vị chưa đạt' link: the count it says and its address."""
    found = {}
    for words, address in links(at, "headline"):
        _page, params = target(address)
        found[params["below"]] = (int(words.split()[0].replace(".", "")), address)
    return found


def test_each_units_below_link_opens_exactly_the_list_it_counts(demo_path, monkeypatch):
    below = _below_links(open_app(demo_path, monkeypatch))
    assert below, "some metric has units below target in the demo"
    for metric, (counted, address) in below.items():
        assert address.endswith("#below")  # the page opens at the list
        page, params = target(address)
        at = open_app(demo_path, monkeypatch, page, **params)  # the link opens the page anew
        assert_clean(at)
        assert at.session_state["below"] == metric
        assert at.query_params["below"] in (metric, [metric])
        assert len(link_table(at, f"below_table_{metric}").rows) == counted
        assert _below_tables(at) == [f"below_table_{metric}"]


def test_the_metric_links_over_the_list_open_each_metric_s_list(demo_path, monkeypatch):
    first = open_app(demo_path, monkeypatch)
    block = next(b for b in html_blocks(first) if 'class="cchc-choice"' in b and "below=" in b)
    tabs = anchors(block)
    assert len(tabs) == 3 and block.count('aria-current="true"') == 1  # one link per metric, the open one marked
    for words, address in tabs:
        page, params = target(address)
        at = open_app(demo_path, monkeypatch, page, **params)
        assert_clean(at)
        metric = params["below"]
        assert at.session_state["below"] == metric
        counted = int(words.rsplit("(", 1)[1].rstrip(")").replace(".", ""))
        if counted:
            assert len(link_table(at, f"below_table_{metric}").rows) == counted


def test_a_shared_link_to_a_metrics_below_list_opens_that_list(demo_path, monkeypatch):
    first = open_app(demo_path, monkeypatch)
    default = first.session_state["below"]
    other = next((m for m in _below_links(first) if m != default), default)
    at = open_app(demo_path, monkeypatch, below=other)
    assert_clean(at)
    assert at.session_state["below"] == other
    assert _below_tables(at) == [f"below_table_{other}"]


def _below_tables(at) -> list[str]:
    """The keys of the units-below-target tables drawn (one metric's at a time)."""
    return [n.key for n in at.main if (getattr(n, "key", None) or "").startswith("below_table_")]


def test_a_units_row_links_to_its_late_dossiers_for_the_same_period(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, "pages/units.py", period="quarter", quarter="2025-Q1")
    assert_clean(at)
    links = link_table(at, "ranking_table").column_links("Hồ sơ trễ hạn")
    assert links and all(link and link.startswith("late?") for link in links)
    first = parse_qs(urlsplit(links[0]).query)
    assert first["period"] == ["quarter"] and first["quarter"] == ["2025-Q1"]
    assert "metric" not in first and "min_n" not in first  # the ranking's own keys stay behind
    opened = open_app(demo_path, monkeypatch, "pages/late.py", filters_open=True, **{k: v[0] for k, v in first.items()})
    assert_clean(opened)
    assert opened.selectbox(key="unit").value == first["unit"][0]
    assert opened.radio(key="period").value == "quarter"


def test_numeric_columns_stay_numbers_and_read_in_vietnamese():
    i18n.use("vi")
    views_frame = pd.DataFrame(
        {
            "unit_code": ["A", "B", "C"],
            "unit_name": ["Xã A", "Xã B", "Xã C"],
            "tier": [None, None, None],
            "rate": [0.9781, 1.0, 0.95],
            "target": [0.97, 0.97, 0.97],
            "gap": [0.0081, 0.03, -0.02],
            "status": ["met", "met", "below"],
            "rank": [2, 1, 3],
            "ranked": [True, True, False],
            "numerator": [12553, 9, 10],
            "denominator": [12834, 9, 11],
            "rank_change": [1, 0, None],
        }
    )
    shown = tables.ranking(views_frame)
    assert list(shown.sort_values("Tỷ lệ")["Tỷ lệ"]) == [0.95, 0.9781, 1.0]
    assert list(shown.sort_values("Mẫu số").index) == [1, 2, 0]  # 9 < 11 < 12.834, not "11" < "12834" < "9"
    html = tables.styled(shown).to_html()
    assert "97,81%" in html and "12.553" in html and "100,00%" in html
    assert "Chưa xếp hạng" in html  # the unranked unit has no number, a word
    assert "0.9781" not in html


def _filters(kind: str, start: dt.date, end: dt.date, **kw: object) -> Filters:
    base = {"tier": None, "unit": None, "unit_name": None, "on_time_def": registry.ON_TIME_DEFAULT}
    return Filters(kind, start, end, start, end, start, end, **{**base, **kw})  # type: ignore[arg-type]


def test_an_export_file_is_named_after_its_period_and_unit():
    i18n.use("vi")
    nov = _filters("month", dt.date(2025, 11, 1), dt.date(2025, 11, 30), unit="X.1", unit_name="Xã Ân Phú")
    assert late.export_stem(nov, {}) == "ho-so-tre-han_2025-11_xa-an-phu"
    q1 = _filters("quarter", dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    stem = late.export_stem(q1, {"kind": "open_overdue", "field": "Hộ tịch"})
    assert stem == "ho-so-tre-han_2025-q1_dang-xu-ly-qua-han_ho-tich"
    assert stem.isascii()


def test_a_search_without_marks_finds_the_vietnamese_name():
    assert late.matches("ho tich", "Hộ tịch")
    assert late.matches("DAT dai", "Đất đai")
    assert late.matches("khai sinh", "Thủ tục đăng ký khai sinh · 1.001193")
    assert not late.matches("ho tich", "Đất đai")


def _late_filters_opened(demo_path, monkeypatch):
    """The late page after the reader opened its filters (closed, they are not drawn)."""
    at = open_app(demo_path, monkeypatch, "pages/late.py")
    at.session_state[late.FILTERS_OPEN] = True
    at.run()
    return at


def test_the_late_lists_filters_wait_closed_and_a_linked_filter_still_applies_and_is_named(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, "pages/late.py")
    for key, value in (("field", "Hộ tịch"), ("sort", "due_at"), ("desc", "0")):
        at.query_params[key] = value  # a link to the list, as the address bar brings it
    at.run()
    assert_clean(at)
    assert not at.text_input and not at.number_input  # nothing drawn until the reader opens them
    assert "Đang lọc: Lĩnh vực: Hộ tịch · Sắp xếp theo: Ngày hẹn trả ↑" in texts(at)
    table = link_table(at, "late_table")
    assert table.rows and set(table.column("Lĩnh vực")) == {"Hộ tịch"}
    due = [dt.datetime.strptime(d, "%d/%m/%Y") for d in table.column("Ngày hẹn trả")]
    assert due == sorted(due)
    assert at.query_params["sort"] in ("due_at", ["due_at"])  # and the link keeps them


def test_typing_a_field_without_marks_filters_the_late_list_to_it(demo_path, monkeypatch):
    at = _late_filters_opened(demo_path, monkeypatch)
    assert "Hộ tịch" in late.field_names()
    at.text_input(key="field_q").input("ho tich").run()
    assert_clean(at)
    assert at.session_state["field"] == "Hộ tịch"
    assert at.query_params["field"] in ("Hộ tịch", ["Hộ tịch"])
    table = link_table(at, "late_table")
    assert table.rows and set(table.column("Lĩnh vực")) == {"Hộ tịch"}


def test_typing_part_of_a_procedure_name_narrows_the_procedure_list(demo_path, monkeypatch):
    at = _late_filters_opened(demo_path, monkeypatch)
    everything = len(at.selectbox(key="proc").options)
    at.text_input(key="proc_q").input("dang ky").run()
    assert_clean(at)
    narrowed = at.selectbox(key="proc").options
    assert 1 < len(narrowed) < everything
    assert all("đăng ký" in o.lower() for o in narrowed[1:])


def test_a_link_with_an_unknown_unit_and_a_bad_month_says_what_it_ignored(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, filters_open=True, unit="KHONG.CO", month="2025-13", tier="commune")
    assert_clean(at)
    notice = " ".join(w.value for w in at.warning).replace("\\", "")  # Markdown escapes off
    assert "đã bỏ qua" in notice
    assert "đơn vị “KHONG.CO” (đang dùng: mặc định)" in notice
    assert "tháng “2025-13” (đang dùng: Tháng" in notice
    assert "cấp “" not in notice  # a good value is kept, not named
    assert at.selectbox(key="tier").value == "commune"


def test_a_good_link_shows_no_notice(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, "pages/late.py", period="quarter", quarter="2025-Q1", kind="open_overdue")
    assert_clean(at)
    assert not [w.value for w in at.warning if "bỏ qua" in w.value]


def test_a_bad_value_of_a_page_filter_is_named_too(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, "pages/late.py")
    at.query_params["kind"] = "mat-tich"
    at.query_params["dmin"] = "abc"
    at.run()
    assert_clean(at)
    notice = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "loại trễ hạn “mat-tich”" in notice and "“abc”" in notice


def test_the_766_card_says_why_its_late_count_differs_from_the_late_list(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, ontime="766")
    assert_clean(at)
    # in each card's one block under its number (ui.cards.card_body)
    notes = [h for h in html_blocks(at) if "Trễ theo chỉ số 766" in h]
    assert notes, "each 766 on-time card explains its late count"
    assert "theo cách tính “đã giải quyết trong kỳ”" in notes[0] and "hồ sơ tồn" in notes[0]
    plain = open_app(demo_path, monkeypatch)
    assert not [h for h in html_blocks(plain) if "Trễ theo chỉ số 766" in h]


def test_the_late_list_names_its_definition_and_links_to_the_766_figures(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, "pages/late.py")
    assert_clean(at)
    note = html_blocks(at, "late_table")[0]
    assert "“đã giải quyết trong kỳ”" in note
    found = [address for words, address in anchors(note) if "766" in words]
    assert found and target(found[0]) == ("pages/late.py", {"period": "month", "month": "2025-06", "ontime": "766"})


def test_the_late_list_switches_to_the_766_reading_with_the_sidebar(demo_path, monkeypatch):
    """Under 766 the list holds every dossier of the 766 scope that is not on time, so its
    total is the 766 card's late count; a link goes back to the provincial reading."""
    at = open_app(demo_path, monkeypatch, "pages/late.py", ontime="766")
    assert_clean(at)
    note = html_blocks(at, "late_table")[0]
    assert "Bộ chỉ số 766" in note
    found = [address for words, address in anchors(note) if "đã giải quyết" in words]
    assert found and target(found[0])[1]["ontime"] == "resolved"


def test_trend_ticks_carry_enough_decimals_never_to_repeat():
    from ui import fmt, linechart

    for values, decimals in (([0.966, 0.974], 1), ([0.9701, 0.9712], 1), ([0.80, 0.97], 0)):
        lo, hi, ticks, shown = linechart.y_ticks(values)
        assert shown >= decimals  # '.0%' on 96,6%–97,4% would read 97% 97% 97%
        assert 4 <= len(ticks) <= 9 and lo <= min(values) and max(values) <= hi
        labels = [fmt.pct(v, shown) for v in ticks]
        assert len(set(labels)) == len(labels), labels


def test_the_projection_is_drawn_only_for_the_open_year_and_units_that_live_to_its_end():
    i18n.use("vi")
    newest = dt.date(2025, 6, 20)
    assert trends.projecting(2025, newest, None, None) is None
    assert "không dự báo" in trends.projecting(2024, newest, None, None)
    assert "không dự báo" in trends.projecting(2025, dt.date(2025, 12, 31), None, None)
    assert "không còn" in trends.projecting(2025, newest, None, dt.date(2025, 6, 30))
    abolished = next(x for x in registry.TIERS if x.valid_to is not None)
    assert "không còn" in trends.projecting(abolished.valid_to.year, newest, abolished.code, None)


def test_the_month_the_data_stops_inside_is_partial():
    assert trends.partial_month(dt.date(2025, 6, 20), 2025) == "2025-06"
    assert trends.partial_month(dt.date(2025, 6, 30), 2025) is None
    assert trends.partial_month(dt.date(2025, 6, 20), 2024) is None


def test_a_closed_years_trends_carry_no_projection(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, "pages/trends.py")
    at.query_params["period"] = "year"
    at.query_params["year"] = "2024"
    at.run()
    assert_clean(at)
    blocks = [h.value for h in at.get("html") if 'class="cchc-lines"' in h.value]
    notes = [n for b in blocks for n in re.findall(r'<div class="cchc-notes"[^>]*>(.*?)</div>', b) if "Dự báo" in n]
    assert notes and all("không dự báo" in n for n in notes)
    assert blocks and not [b for b in blocks if 'data-name="Dự báo cuối năm"' in _drawn(b)]
    open_year = open_app(demo_path, monkeypatch, "pages/trends.py")  # 2025: the data's open year
    assert [h for h in open_year.get("html") if 'data-name="Dự báo cuối năm"' in _drawn(h.value)]


def _drawn(block: str) -> str:
    """The SVGs of a trend block, each drawn as an image (ui.markup.picture)."""
    sources = re.findall(r'<img src="data:image/svg\+xml,([^"]*)"', block)
    return "".join(unquote(html.unescape(src)) for src in sources)


def test_the_default_period_is_never_an_empty_month(tmp_path, monkeypatch):
    """Data up to 02/07/2025 but nothing in June: the view opens on May, not on June."""
    path = demo_db.build(tmp_path / "gap.duckdb", 3_000)
    con = db.connect(path)
    try:
        con.execute("DELETE FROM dossiers WHERE received_date >= '2025-06-01' OR end_date >= '2025-06-01'")
        con.execute("DELETE FROM dossiers WHERE end_date IS NULL")
        con.execute(
            "UPDATE dossiers SET received_date = DATE '2025-07-02', received_at = TIMESTAMP '2025-07-02 08:00' "
            "WHERE rowid = (SELECT min(rowid) FROM dossiers)"
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    at = open_app(str(path), monkeypatch, filters_open=True)
    assert_clean(at)
    assert at.selectbox(key="month").value == "2025-05"
    assert "Không có hồ sơ nào" not in texts(at)


def test_every_table_on_the_data_page_keeps_its_counts_and_dates_as_values(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, "pages/data.py")
    assert_clean(at)
    assert not at.dataframe  # the grids wait until the reader opens them
    targets = next(parse(h) for h in html_blocks(at) if h.startswith("<h3>Chỉ tiêu đang áp dụng</h3>"))
    assert targets.headers[:3] == ["Chỉ số", "Cấp", "Chỉ tiêu"]
    assert "97%" in targets.column("Chỉ tiêu")  # a short table is written out, vi-VN, as an HTML table
    for key in ("history_open", "quarantine_open", "freshness_open"):
        at.session_state[key] = True  # the reader opens them
    at.run()
    assert_clean(at)
    assert len(at.dataframe) >= 2  # each unit's data date, the import history (the demo quarantines nothing)
    frames = [d.value for d in at.dataframe]
    checked = 0
    for frame in frames:
        for col in ("Dòng đọc", "Số hồ sơ", "Dữ liệu đến ngày"):
            if col in frame.columns:
                # values (or keys that sort as them), never the text '01/01/2025' or '12.553'
                assert not frame[col].astype(str).str.contains(r"^\d{2}/\d{2}/\d{4}$|^\d{1,3}(?:\.\d{3})+$").any(), col
                checked += 1
    assert checked >= 1


def test_a_column_with_a_missing_value_still_sorts_as_its_numbers_and_never_reads_none():
    values = [12.5, None, -3.0, 100.0, 9.0]
    keys = [tables._sort_key(v) for v in values]
    assert sorted(keys) == [tables._sort_key(v) for v in (None, -3.0, 9.0, 12.5, 100.0)]
    i18n.use("vi")
    frame = tables.formatted(pd.DataFrame({"Mẫu số": values}), {"Mẫu số": "int"})
    html = tables.styled(frame).to_html()
    assert "None" not in html and "nan" not in html and "—" in html and "100" in html


def test_a_short_table_written_as_html_keeps_vi_vn_numbers_and_names_as_text():
    """The data page's short tables (quality rules, targets) are HTML tables (ui.linktable.html)."""
    from ui import linktable

    i18n.use("vi")
    frame = tables.formatted(
        pd.DataFrame({"Quy tắc": ["a | b [x](https://example.invalid) <b>c</b>", "c"], "Số hồ sơ": [12553, None]}),
        {"Số hồ sơ": "int"},
    )
    table = linktable.html(frame)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", table)
    assert "12.553" in cells[1] and "—" in cells[3]  # vi-VN, and a missing count in words
    assert "<b>" not in table and "&lt;b&gt;c&lt;/b&gt;" in cells[0]  # a name from data is text
    assert "<a " not in table  # no link was asked for


def test_the_rankings_minimum_waits_closed_names_its_value_and_a_linked_one_still_applies(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, "pages/units.py")
    assert_clean(at)
    assert not at.number_input  # drawn once the reader opens it
    assert [e.label for e in at.expander if e.label.startswith("Số hồ sơ tối thiểu")] == [
        "Số hồ sơ tối thiểu để xếp hạng: 30"
    ]
    ranked_at_30 = link_table(at, "ranking_table").column("Hạng")
    at.query_params["min_n"] = "0"
    at.run()
    assert_clean(at)
    assert "Số hồ sơ tối thiểu để xếp hạng: 0" in [e.label for e in at.expander]
    ranked_at_0 = link_table(at, "ranking_table").column("Hạng")
    unranked = [len([r for r in ranks if r.startswith("Chưa xếp hạng")]) for ranks in (ranked_at_0, ranked_at_30)]
    assert unranked[0] < unranked[1]  # fewer units left unranked for too few dossiers
    at.session_state["min_n_open"] = True  # the reader opens it: the number box is there
    at.run()
    assert at.number_input(key="min_n").value == 0
