"""The dashboard in a real browser: every page renders without an exception box, a
screenshot of each is kept in artifacts/screenshots/, and the analyst's journey
overview → unit → late dossiers → XLSX download works."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
PAGES = [("", "overview"), ("units", "units"), ("late", "late"), ("trends", "trends"), ("data", "data")]


def settle(page, text: str | None = None) -> None:
    """Wait for the script run to finish (and for `text`, when the run must have drawn it)."""
    if text:
        page.get_by_text(text, exact=False).first.wait_for()
    page.wait_for_selector(IDLE)
    page.wait_for_load_state("networkidle")
    page.wait_for_selector(IDLE)


def open_filters(page) -> None:
    """Open the sidebar's filters: closed, their selectors are not drawn (ui.filters)."""
    page.locator(".st-key-filters_open summary").click()
    page.locator(".st-key-tier").wait_for()
    settle(page)


def open_downloads(page) -> None:
    """Open the late list's downloads: closed, their buttons are not drawn (ui.late)."""
    page.locator(".st-key-late_downloads_open summary").click()
    page.locator(".st-key-download_xlsx button").wait_for()
    settle(page)


def assert_clean(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("mã lỗi", exact=False).count() == 0
    assert page.get_by_text("Traceback", exact=False).count() == 0


@pytest.mark.parametrize(("path", "name"), PAGES)
def test_every_page_renders_without_an_exception_box(server, page, shots, path, name):
    page.goto(f"{server.url}/{path}")
    settle(page, "Dữ liệu đến ngày")
    page.locator("h1").first.wait_for()
    settle(page)
    assert_clean(page)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def test_an_empty_database_opens_on_the_welcome_page(empty_server, page, shots):
    page.goto(empty_server.url)
    settle(page, "python -m metrics demo")
    assert_clean(page)
    page.screenshot(path=str(shots / "welcome_empty_database.png"), full_page=True)


def test_a_phone_sees_the_overview_stacked(server, browser, shots):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    pg = context.new_page()
    pg.goto(server.url)
    settle(pg, "Dữ liệu đến ngày")
    assert_clean(pg)
    pg.screenshot(path=str(shots / "overview_phone.png"), full_page=True)
    context.close()


def test_journey_overview_to_unit_to_late_dossiers_to_xlsx(server, page, shots):
    """The analyst's two clicks: a unit below target on the overview opens the unit; its
    late dossiers open the list; the list downloads as XLSX."""
    page.goto(server.url)
    settle(page, "Đơn vị chưa đạt chỉ tiêu")
    page.locator(".cchc-choice a", has_text="Đúng hạn").first.click()  # the metric's link (ui.markup.choice)
    page.wait_for_url("**below=on_time_rate**")
    settle(page, "Đơn vị chưa đạt chỉ tiêu")
    first = page.locator(".st-key-below_table_on_time_rate a[href^='units?']").first  # a unit's name
    first.wait_for()
    first.click()
    settle(page, "Đơn vị: ")
    assert "/units" in page.url and "unit=" in page.url
    unit = page.url.split("unit=")[1].split("&")[0]
    assert_clean(page)
    page.screenshot(path=str(shots / "unit_view.png"), full_page=True)
    page.get_by_role("link", name="Xem hồ sơ trễ hạn").last.click()
    settle(page, "hồ sơ trễ hạn ·")
    assert "/late" in page.url and f"unit={unit}" in page.url
    assert_clean(page)
    page.screenshot(path=str(shots / "late_for_unit.png"), full_page=True)
    open_downloads(page)
    with page.expect_download() as info:
        page.locator(".st-key-download_xlsx button").click()
    ws = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0] == "Mã hồ sơ")
    assert ws.freeze_panes == f"A{header + 2}"
    assert any(r[0] == "Đơn vị" and unit in str(r[1]) for r in rows[:header])
    body = rows[header + 1 :]
    assert body and all(r[3] == unit for r in body)
    assert all(isinstance(r[10], dt.datetime) for r in body)  # real dates, not text


def test_a_unit_is_found_by_typing_in_the_sidebar(server, page):
    page.goto(f"{server.url}/units")
    settle(page, "Xếp hạng đơn vị")
    open_filters(page)
    box = page.locator(".st-key-unit input")
    box.click()
    box.fill("Sở Tư pháp")
    page.get_by_role("option", name="Sở Tư pháp · 000.00.06.H56").click()
    settle(page, "Đơn vị: Sở Tư pháp")
    assert "unit=000.00.06.H56" in page.url
    assert_clean(page)


def test_uploading_an_export_on_the_data_page_imports_it(empty_server, page, shots):
    """Runs last on the empty database: afterwards it is no longer empty."""
    export = Path(__file__).resolve().parents[1] / "fixtures" / "export_2024_03.csv"
    page.goto(f"{empty_server.url}/data")
    settle(page, "Lịch sử nhập")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(export))
    page.get_by_text(export.name).first.wait_for()
    page.locator(".st-key-upload_submit button").click()
    settle(page, "export_2024_03.csv: đọc")
    assert_clean(page)
    assert page.get_by_text("Dữ liệu đến ngày", exact=False).count() >= 1  # the banner is back: data exists
    page.screenshot(path=str(shots / "data_after_upload.png"), full_page=True)


def test_a_copied_link_reopens_the_same_view(server, page):
    link = f"{server.url}/late?period=quarter&quarter=2025-Q1&tier=commune&kind=open_overdue&dmin=3"
    page.goto(link)
    settle(page, "hồ sơ trễ hạn ·")
    assert_clean(page)
    for part in ("period=quarter", "quarter=2025-Q1", "tier=commune", "kind=open_overdue", "dmin=3"):
        assert part in page.url
    assert page.locator('[data-testid="stSidebar"]').get_by_text("Quý I/2025").count() == 1  # said while closed
    open_filters(page)
    shown = page.locator(".st-key-quarter").inner_text() + page.locator(".st-key-quarter input").input_value()
    assert "Quý I/2025" in shown
    assert "Cấp xã" in page.locator(".st-key-tier").inner_text() + page.locator(".st-key-tier input").input_value()
    assert page.get_by_text("Kỳ: Quý I/2025 · Cấp xã").count() == 1
    # the global filters follow the reader to another page
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Xu hướng").click()
    settle(page, "Xu hướng theo tháng")
    assert "quarter=2025-Q1" in page.url and "tier=commune" in page.url and "kind=" not in page.url


def test_a_row_of_the_ranking_opens_its_unit(server, page):
    page.goto(f"{server.url}/units")
    settle(page, "Xếp hạng đơn vị")
    first = page.locator(".st-key-ranking_table a[href^='units?']").first  # the first unit's name
    first.wait_for()
    first.click()
    settle(page, "Đơn vị: ")
    assert "unit=" in page.url
    assert_clean(page)
    page.get_by_role("link", name="Về bảng xếp hạng").click()
    settle(page, "Xếp hạng đơn vị")
    assert "unit=" not in page.url
