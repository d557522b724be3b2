"""The conference outputs as people see them: the PDF's pages rendered to PNG with
pdftoppm (artifacts/report/), and the presentation page driven in Debian's Chromium, one
screenshot per slide (artifacts/presentation/). Keyboard navigation, auto-advance, the
full-screen link and a download are exercised on the way."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from metrics import db
from metrics.reports import write_report

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
Q3 = (dt.date(2024, 7, 1), dt.date(2024, 9, 30))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    from tests.app.demo_db import build

    return build(tmp_path_factory.mktemp("render") / "demo.duckdb", 60_000)


# The Streamlit server (on the 150k-dossier demo) and Chromium are the session fixtures of
# tests/e2e/conftest.py, shared with the dashboard's browser tests.


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_the_pdf_pages_render_to_png(demo):
    out = ARTIFACTS / "report"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("report-*.png"):
        old.unlink()
    con = db.connect(demo, read_only=True)
    for fmt in ("pdf", "pptx", "xlsx"):
        write_report(con, *Q3, fmt, out / f"bao-cao-quy-3-2024.{fmt}")
    write_report(con, dt.date(2027, 1, 1), dt.date(2027, 3, 31), "pdf", out / "bao-cao-ky-trong.pdf")
    con.close()
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", str(out / "bao-cao-quy-3-2024.pdf"), str(out / "report")],
        check=True,
        timeout=120,
    )
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(out / "bao-cao-ky-trong.pdf"), str(out / "report-empty")],
        check=True,
        timeout=60,
    )
    pages = sorted(out.glob("report-*.png"))
    assert len(pages) >= 4
    assert all(p.stat().st_size > 10_000 for p in pages)


def _settled(page) -> None:
    page.wait_for_selector("[data-test-script-state='notRunning']", timeout=60_000)
    page.wait_for_selector(".cchc-slide", timeout=60_000)
    page.wait_for_timeout(300)


def _slide_number(page) -> int:
    return int(page.get_attribute(".cchc-slide", "data-slide"))


def _slide_total(page) -> int:
    return int(page.inner_text(".cchc-slide .foot span:last-child").split("/")[1])


def test_every_slide_renders_full_screen_and_the_keyboard_moves_through_them(server, browser):
    out = ARTIFACTS / "presentation"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    page = browser.new_page(viewport={"width": 1600, "height": 900})
    page.goto(f"{server.url}/presentation?period=quarter&quarter=2024-Q3&full=1")
    _settled(page)
    assert _slide_number(page) == 1
    total = _slide_total(page)
    assert total >= 8
    for n in range(1, total + 1):
        assert _slide_number(page) == n
        assert page.locator("[data-testid='stException']").count() == 0
        page.screenshot(path=str(out / f"slide-{n:02d}.png"))
        if n < total:
            page.keyboard.press("ArrowRight")
            page.wait_for_function(f"document.querySelector('.cchc-slide').dataset.slide == '{n + 1}'", timeout=30_000)
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"document.querySelector('.cchc-slide').dataset.slide == '{total - 1}'", timeout=30_000)
    page.keyboard.press("Home")
    page.wait_for_function("document.querySelector('.cchc-slide').dataset.slide == '1'", timeout=30_000)
    page.close()


def test_a_link_reopens_a_slide_and_the_page_offers_the_three_downloads(server, browser):
    out = ARTIFACTS / "presentation"
    out.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
    page.goto(f"{server.url}/presentation?period=quarter&quarter=2024-Q3&slide=2")
    _settled(page)
    assert _slide_number(page) == 2
    page.locator(".st-key-slides_downloads_open summary").click()  # the buttons are drawn once it is opened
    page.locator(".st-key-download_xlsx button").wait_for(timeout=30_000)
    for fmt in ("pptx", "pdf", "xlsx"):
        assert page.locator(f".st-key-download_{fmt} button").count() == 1
    page.screenshot(path=str(out / "page-with-controls.png"))
    page.locator(".st-key-download_pptx").scroll_into_view_if_needed()
    page.screenshot(path=str(out / "page-downloads.png"))
    with page.expect_download(timeout=60_000) as info:
        page.locator(".st-key-download_pptx button").click()
    download = info.value
    assert download.suggested_filename == "bao-cao-cchc_2024-07-01_2024-09-30.pptx"
    path = download.path()
    assert path is not None and Path(path).stat().st_size > 10_000
    page.close()


def test_auto_advance_moves_on_by_itself_for_a_lobby_screen(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{server.url}/presentation?period=quarter&quarter=2024-Q3&full=1&auto=1&every=10")
    _settled(page)
    first = _slide_number(page)
    page.wait_for_function(f"document.querySelector('.cchc-slide').dataset.slide != '{first}'", timeout=25_000)
    page.close()


def test_stepping_through_the_talk_shows_each_next_slide_and_the_url_follows_it(server, browser):
    """Stepping through a talk: each key press shows the next slide, and the slide is in
    the URL. The time of each step (key press to new slide) is written to
    artifacts/presentation/next-slide-ms.txt and printed: a figure to read (the goal is
    < 300 ms warm), not a timed assertion on a shared machine."""
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server.url}/presentation?period=quarter&quarter=2024-Q3&full=1&slide=1")
    _settled(page)
    total = _slide_total(page)
    steps = min(total - 1, 20)
    timings = []
    for n in range(1, steps + 1):
        start = page.evaluate("performance.now()")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            f"document.querySelector('.cchc-slide').dataset.slide == '{n + 1}'", timeout=30_000, polling="raf"
        )
        timings.append(page.evaluate("performance.now()") - start)
        page.wait_for_function(f"location.search.includes('slide={n + 1}')", timeout=5_000)
    out = ARTIFACTS / "presentation"
    out.mkdir(parents=True, exist_ok=True)
    (out / "next-slide-ms.txt").write_text(" ".join(f"{t:.0f}" for t in timings) + "\n", encoding="utf-8")
    timings.sort()
    print(f"next slide, warm: median {timings[len(timings) // 2]:.0f} ms, max {timings[-1]:.0f} ms ({steps} steps)")
    assert len(timings) == steps
    page.close()
