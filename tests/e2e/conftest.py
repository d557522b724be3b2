"""A real `streamlit run dashboard.py` on a free port against a test database, and Debian's
Chromium driven by Playwright (no browser download: /usr/bin/chromium)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app import demo_db
from tests.streamlit_server import CHROMIUM, CHROMIUM_ARGS, StreamlitServer

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"


class Server(StreamlitServer):
    """The dashboard on a test database."""

    def __init__(self, db: Path, log: Path) -> None:
        super().__init__(ROOT / "dashboard.py", {"CCHC_DB": str(db)}, log, timeout=60)


@pytest.fixture(scope="session")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("e2e")
    srv = Server(demo_db.build(tmp / "demo.duckdb", 150_000), tmp / "streamlit.log")
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("e2e_empty")
    srv = Server(demo_db.build_empty(tmp / "empty.duckdb"), tmp / "streamlit.log")
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 2400}, locale="vi-VN", accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()
