"""Trình chiếu through AppTest: it opens on demo data and on an empty database, a link
reopens the slide it names, the buttons move through the deck, and the slide shown is the
deck's own."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

from streamlit.testing.v1 import AppTest

from tests.app.demo_db import QUIET_UNIT
from tests.app.test_pages import assert_clean, open_app, texts

PAGE = "pages/presentation.py"


def open_presentation(db: str, monkeypatch, **params: str) -> AppTest:
    """The page as a pasted link opens it: switched to, then the URL's parameters read."""
    at = open_app(db, monkeypatch, PAGE)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _slide_html(at: AppTest) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html") if "cchc-slide" in str(h.proto.body))


def test_the_presentation_opens_on_the_title_slide(demo_path, monkeypatch):
    at = open_presentation(demo_path, monkeypatch, period="quarter", quarter="2024-Q3")
    assert_clean(at)
    html = _slide_html(at)
    assert 'data-kind="title"' in html and "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in html
    assert "Quý III/2024 (01/07/2024 – 30/09/2024)" in html


def test_a_link_reopens_its_slide_and_next_moves_on(demo_path, monkeypatch):
    at = open_presentation(demo_path, monkeypatch, period="quarter", quarter="2024-Q3", slide="2")
    assert_clean(at)
    assert 'data-slide="2"' in _slide_html(at) and 'data-kind="kpi"' in _slide_html(at)
    at.button(key="slide_next").click().run()
    assert 'data-slide="3"' in _slide_html(at)
    at.button(key="slide_prev").click().run()
    assert 'data-slide="2"' in _slide_html(at)


def test_the_presentation_of_an_empty_database_shows_the_welcome_page(empty_path, monkeypatch):
    at = open_app(empty_path, monkeypatch, PAGE)
    assert_clean(at)
    assert "python -m metrics demo" in texts(at)


def test_an_empty_scope_is_a_short_honest_deck(demo_path, monkeypatch):
    # The quiet unit sends nothing in 2025: the default period (the latest month) is empty.
    at = open_presentation(demo_path, monkeypatch, unit=QUIET_UNIT, slide="2")
    assert_clean(at)
    html = _slide_html(at)
    assert 'data-kind="empty"' in html and "Không có hồ sơ trong kỳ" in html
    assert "2/2" in html


def test_the_presentation_controls_follow_the_english_switch(demo_path, monkeypatch):
    at = open_presentation(demo_path, monkeypatch, period="quarter", quarter="2024-Q3", lang="en")
    assert_clean(at)
    assert [title.value for title in at.title] == ["Presentation"]
    assert at.button(key="slide_next").label == "Next ▶"
    controls = next(h.value for h in at.get("html") if 'class="cchc-controls"' in h.value)
    assert re.search(r'role="switch"[^>]*>○ Full screen</a>', controls)  # a link through the URL now


def test_full_screen_and_auto_advance_are_links_that_keep_the_slide_shown(demo_path, monkeypatch):
    at = open_presentation(demo_path, monkeypatch, period="quarter", quarter="2024-Q3", slide="2")
    at.button(key="slide_next").click().run()  # the reader moves on: the links follow the slide
    controls = next(h.value for h in at.get("html") if 'class="cchc-controls"' in h.value)
    switches = dict((html.unescape(w), parse_qs(urlsplit(html.unescape(a)).query)) for a, w in _switches(controls))
    assert switches["○ Toàn màn hình"]["full"] == ["1"] and switches["○ Toàn màn hình"]["slide"] == ["3"]
    assert switches["○ Tự chuyển trang"]["auto"] == ["1"] and switches["○ Tự chuyển trang"]["quarter"] == ["2024-Q3"]
    auto = open_presentation(demo_path, monkeypatch, period="quarter", quarter="2024-Q3", auto="1", every="30")
    assert_clean(auto)
    controls = next(h.value for h in auto.get("html") if 'class="cchc-controls"' in h.value)
    assert "auto=" not in dict((w, a) for a, w in _switches(controls))["✓ Tự chuyển trang"]  # a click turns it off
    assert re.search(r'<a href="[^"]*every=30[^"]*"[^>]*aria-current="true">30</a>', controls)  # the interval shown


def _switches(controls: str) -> list[tuple[str, str]]:
    return [(a, w) for a, w in re.findall(r'<a href="([^"]*)"[^>]*role="switch"[^>]*>([^<]*)</a>', controls)]


def test_an_import_shows_at_once_in_the_presentation(tmp_path, monkeypatch):
    # The deck is cached on the data version; st.cache_data does not hash an argument whose
    # name starts with "_", and a version passed as `_v` kept the deck from before the import.
    from metrics import db, ingest
    from tests.conftest import FIXTURES, prepare_db

    path = prepare_db(tmp_path / "imports.duckdb")
    con = db.connect(path)
    ingest.import_file(con, FIXTURES / "export_2024_03.csv")
    con.close()
    at = open_presentation(str(path), monkeypatch, period="year", year="2024")
    assert_clean(at)
    before = _slide_html(at)
    assert "3 hồ sơ trong cơ sở dữ liệu" in before and "Dữ liệu đến ngày 28/03/2024" in before

    con = db.connect(path)  # the app's own connection is open: DuckDB shares the database in-process
    ingest.import_file(con, FIXTURES / "export_2024_04.csv")
    con.close()
    at.run()
    assert_clean(at)
    after = _slide_html(at)
    assert "4 hồ sơ trong cơ sở dữ liệu" in after and "Dữ liệu đến ngày 03/04/2024" in after


def test_the_url_follows_the_slide_shown(demo_path, monkeypatch):
    at = open_presentation(demo_path, monkeypatch, period="quarter", quarter="2024-Q3", slide="2")
    at.button(key="slide_next").click().run()
    at.button(key="slide_next").click().run()
    assert 'data-slide="4"' in _slide_html(at)
    assert at.query_params["slide"] == "4"


def test_a_broken_report_toml_stops_the_page_with_a_vietnamese_message(demo_path, monkeypatch, tmp_path):
    broken = tmp_path / "report.toml"
    broken.write_text("[province\n", encoding="utf-8")
    monkeypatch.setenv("CCHC_REPORT_TOML", str(broken))
    at = open_presentation(demo_path, monkeypatch, period="quarter", quarter="2024-Q3")
    assert not at.exception
    assert any("sai cú pháp TOML" in e.value for e in at.error)


def test_the_three_downloads_are_drawn_once_the_reader_opens_them(demo_path, monkeypatch):
    at = open_presentation(demo_path, monkeypatch, period="quarter", quarter="2024-Q3")
    assert_clean(at)
    assert not at.get("download_button")  # closed: the browser fetches no download button's code
    at.session_state["slides_downloads_open"] = True  # the reader opens them
    at.run()
    assert_clean(at)
    buttons = at.get("download_button")
    assert len(buttons) == 3
    assert [b.proto.label for b in buttons] == [
        "Tải PowerPoint (.pptx)",
        "Tải báo cáo PDF",
        "Tải bảng tính Excel (.xlsx)",
    ]
