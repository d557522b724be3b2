"""Every page of the dashboard, driven through Streamlit's AppTest: it opens on demo data
and on an empty database, a URL with filters reopens the same view, and selecting a unit
reaches the unit's own view. No page may show an exception or the generic error box."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.demo_db import QUIET_UNIT
from tests.app.linktables import anchors, html_blocks, link_table, links, target

ENTRY = str(Path(__file__).resolve().parents[2] / "dashboard.py")
PAGES = ["pages/overview.py", "pages/units.py", "pages/late.py", "pages/trends.py", "pages/data.py"]


def open_app(
    db: str, monkeypatch: pytest.MonkeyPatch, page: str | None = None, filters_open: bool = False, **params: str
) -> AppTest:
    """The dashboard on `db` with `params` in its URL; `filters_open`: the reader has
    opened the sidebar's filters (closed, their widgets are not drawn, ui.filters)."""
    monkeypatch.setenv("CCHC_DB", db)
    at = AppTest.from_file(ENTRY, default_timeout=120)
    if filters_open:
        at.session_state["filters_open"] = True
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page and page != PAGES[0]:
        at.switch_page(page).run()
    return at


def open_link(db: str, monkeypatch: pytest.MonkeyPatch, page: str | None, params: dict[str, str]) -> AppTest:
    """What a click on a link does: a new session opens `page` with `params` in its URL
    (open_app opens the overview first, whose run leaves a page's own parameters out)."""
    monkeypatch.setenv("CCHC_DB", db)
    at = AppTest.from_file(ENTRY, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    (at.switch_page(page) if page else at).run()
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error], [e.value for e in at.error]


def texts(at: AppTest) -> str:
    parts = [x.value for x in at.title] + [x.value for x in at.markdown] + [x.value for x in at.caption]
    parts += [x.value for x in at.get("html")]  # the tables (ui.linktable.draw)
    parts += [x.value for x in at.info] + [x.value for x in at.success] + [x.value for x in at.subheader]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_without_exception_on_demo_data(demo_path, monkeypatch, page):
    at = open_app(demo_path, monkeypatch, page)
    assert_clean(at)
    assert at.title, "the page drew its title"
    assert "Dữ liệu đến ngày" in "\n".join([w.value for w in at.warning] + [c.value for c in at.caption])


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_on_an_empty_database(empty_path, monkeypatch, page):
    at = open_app(empty_path, monkeypatch, page)
    assert_clean(at)
    if page != "pages/data.py":
        assert "python -m metrics demo" in texts(at)


def test_overview_shows_each_rate_with_its_status_in_words_and_its_counts(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch)
    assert_clean(at)
    blocks = [h.value for h in at.get("html")]
    rates = [r for b in blocks for r in b.split('<div class="cchc-metric"')[1:]]
    assert len(rates) == 12  # 3 metrics × (province + 3 tiers), each card's rate drawn by ui.cards.metric_html
    badges = [b for block in blocks for b in block.split('class="cchc-badge"')[1:]]
    assert badges and all(any(word in b for word in ("Đạt", "Chưa đạt", "Sát ngưỡng", "Chưa có")) for b in badges)
    assert "hồ sơ" in texts(at)
    assert any(
        "cần thêm" in cell for row in link_table(at, f"below_table_{at.session_state['below']}").rows for cell in row
    )


def test_a_url_with_filters_reopens_the_same_view(demo_path, monkeypatch):
    params = {"period": "quarter", "quarter": "2025-Q1", "tier": "commune", "ontime": "766", "lang": "en"}
    at = open_app(demo_path, monkeypatch, filters_open=True, **params)
    assert_clean(at)
    assert at.radio(key="period").value == "quarter"
    assert at.selectbox(key="quarter").value == "2025-Q1"
    assert at.selectbox(key="tier").value == "commune"
    assert at.radio(key="ontime").value == "766"
    assert at.title[0].value == "KPI overview"
    assert {k: at.query_params[k] for k in params} in (params, {k: [v] for k, v in params.items()})


def test_a_late_list_url_reopens_with_its_page_filters(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, "pages/late.py")
    at.query_params["kind"] = "open_overdue"
    at.query_params["dmin"] = "3"
    at.run()
    assert_clean(at)
    assert at.session_state["kind"] == "open_overdue" and at.session_state["dmin"] == 3
    kinds = next(h.value for h in at.get("html") if 'class="cchc-choice"' in h.value and "kind=" in h.value)
    assert 'aria-current="true">Đang xử lý quá hạn<' in kinds  # the chosen kind is marked
    for _words, address in anchors(kinds):  # each kind keeps the other filters, from the first page
        _page, params = target(address, here="pages/late.py")
        assert params.get("dmin") == "3" and "page" not in params
    table = link_table(at, "late_table")
    assert set(table.column("Loại trễ hạn")) == {"Đang xử lý quá hạn"}
    assert len(table.rows) <= 50


def test_the_late_list_pages_are_links_that_keep_its_filters(demo_path, monkeypatch):
    at = open_link(demo_path, monkeypatch, "pages/late.py", {"period": "year", "year": "2025", "page": "2"})
    assert_clean(at)
    pager = html_blocks(at, "late_table")[0].split('<nav aria-label="Trang')[1]
    assert 'aria-current="true">2<' in pager
    numbers = {words: target(address, here="pages/late.py")[1] for words, address in anchors(pager)}
    assert "page" not in numbers["1"] and numbers["3"]["page"] == "3" and numbers["3"]["year"] == "2025"
    opened = open_link(demo_path, monkeypatch, "pages/late.py", numbers["3"])
    assert_clean(opened)
    assert "Trang 3/" in html_blocks(opened, "late_table")[0]


def test_a_unit_url_opens_the_units_own_view(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, "pages/units.py", filters_open=True, unit="000.00.06.H56")
    assert_clean(at)
    assert at.title[0].value == "Đơn vị: Sở Tư pháp"
    assert at.selectbox(key="unit").value == "000.00.06.H56"


def test_selecting_a_unit_reaches_its_view(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, "pages/units.py", filters_open=True)
    assert at.title[0].value == "Xếp hạng đơn vị"
    at.selectbox(key="unit").set_value("000.00.06.H56").run()
    assert_clean(at)
    assert at.title[0].value == "Đơn vị: Sở Tư pháp"
    assert at.query_params["unit"] in ("000.00.06.H56", ["000.00.06.H56"])
    back = next(address for words, address in links(at) if words == "← Về bảng xếp hạng")
    page, params = target(back)
    assert page == "pages/units.py" and "unit" not in params and params["period"] == "month"
    at = open_app(demo_path, monkeypatch, page, **params)  # the link opens the ranking anew
    assert_clean(at)
    assert at.title[0].value == "Xếp hạng đơn vị"


def test_an_empty_period_is_said_in_words(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, unit=QUIET_UNIT)
    assert_clean(at)
    assert "Không có hồ sơ nào" in texts(at)


@pytest.mark.parametrize("page", ["pages/late.py", "pages/trends.py"])
def test_the_english_switch_changes_the_words_not_the_figures(demo_path, monkeypatch, page):
    at = open_app(demo_path, monkeypatch, page, lang="en")
    assert_clean(at)
    assert at.title[0].value in ("Late dossiers", "Monthly trends")
    assert "Dữ liệu đến ngày" not in texts(at)


def test_closed_filters_draw_no_selector_yet_the_url_still_sets_the_view_and_a_line_says_it(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, period="quarter", quarter="2025-Q1", tier="commune")
    assert_clean(at)
    assert not at.sidebar.selectbox and not at.sidebar.radio  # nothing for the browser to fetch and draw
    assert "Quý I/2025" in at.title[0].value or "Quý I/2025" in texts(at)
    assert "**Quý I/2025**  \nCấp xã  \nTất cả đơn vị" in "\n".join(c.value for c in at.sidebar.caption)
    assert at.query_params["tier"] in ("commune", ["commune"])  # and the link still carries it
    at.session_state["filters_open"] = True  # the reader opens the filters: the selectors show the view
    at.run()
    assert_clean(at)
    assert at.selectbox(key="quarter").value == "2025-Q1" and at.selectbox(key="tier").value == "commune"
    at.selectbox(key="tier").set_value("").run()  # and change it
    assert_clean(at)
    assert "tier" not in at.query_params


def test_the_language_link_switches_to_english_and_back_keeping_the_view(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, period="quarter", quarter="2025-Q1")
    ((words, address),) = links(at, "lang_switch")
    assert words.endswith("English")
    page, params = target(address)
    assert params["lang"] == "en" and params["quarter"] == "2025-Q1"  # the same view, in English
    at = open_app(demo_path, monkeypatch, page, **params)  # the link opens the page anew
    assert_clean(at)
    assert at.title[0].value == "KPI overview" and at.query_params["lang"] in ("en", ["en"])
    ((words, address),) = links(at, "lang_switch")
    assert words.endswith("Tiếng Việt")
    page, params = target(address)
    assert "lang" not in params and params["quarter"] == "2025-Q1"
    at = open_app(demo_path, monkeypatch, page, **params)
    assert at.title[0].value == "Tổng quan chỉ số" and "lang" not in at.query_params


def test_the_ranking_s_metric_and_tier_links_reopen_it_for_that_choice(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, "pages/units.py")
    at.session_state["min_n"] = 7  # a reader's own minimum of dossiers
    at.run()
    assert_clean(at)
    choices = [h.value for h in at.get("html") if 'class="cchc-choice"' in h.value and "metric=" in h.value]
    metric_row, tier_row = choices[0].split("</nav>")[:2]
    assert metric_row.count('aria-current="true"') == 1 and tier_row.count('aria-current="true"') == 1
    for row, key in ((metric_row, "metric"), (tier_row, "rank_tier")):
        for _words, address in anchors(row):
            page, params = target(address, here="pages/units.py")
            assert params["min_n"] == "7"  # the rest of the view comes along
            opened = open_link(demo_path, monkeypatch, page, params)
            assert_clean(opened)
            assert opened.title[0].value == "Xếp hạng đơn vị" and opened.session_state[key] == params[key]
