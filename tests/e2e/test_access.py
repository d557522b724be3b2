"""Who may see and do what, tested for real: `streamlit run` with Streamlit's own OIDC
login against a real OpenID Connect provider (oidc-provider-mock), signed in through
Chromium as each role of data/access.toml; and the refusal to serve the network without
a login. Few journeys, each one sign-in."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from tests.app import demo_db
from tests.e2e.conftest import ROOT
from tests.e2e.test_browser import IDLE, open_downloads, settle
from tests.streamlit_server import free_port

pytestmark = pytest.mark.e2e

MINE = "000.00.06.H56"  # the unit user's unit (Sở Tư pháp)
ACCESS = f"""
group_claim = "groups"
[emails]
"lanhdao@tinh.test" = "viewer"
"dulieu@tinh.test" = "data"
"chutich@tinh.test" = {{ role = "unit", units = ["{MINE}"] }}
[groups]
"cchc-quan-tri" = "admin"
"""
USERS = {
    "viewer": {"email": "lanhdao@tinh.test"},
    "data": {"email": "dulieu@tinh.test"},
    "unit": {"email": "chutich@tinh.test"},
    "admin": {"email": "quantri@tinh.test", "groups": ["cchc-quan-tri"]},  # by group, not e-mail
    "stranger": {"email": "nguoila@example.test"},
}


def start_streamlit(db: Path, log: Path, address: str, port: int, extra: list[str], env: dict[str, str]):
    out = open(log, "w")
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.port", str(port)),
            *("--server.headless", "true", "--server.address", address, "--server.fileWatcherType", "none"),
            *("--browser.gatherUsageStats", "false", *extra),
        ],
        cwd=ROOT,
        env={**os.environ, "CCHC_DB": str(db), "PYTHONUNBUFFERED": "1", **env},
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, out
        except OSError:
            time.sleep(0.25)
    raise TimeoutError("streamlit did not become healthy")


def stop(proc, out) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    out.close()


@dataclass(frozen=True)
class Sso:
    url: str
    log: Path


@pytest.fixture(scope="module")
def sso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sso]:
    """A dashboard behind a real OIDC provider; yields its URL (on localhost, the
    redirect URI's host, so the login cookie comes back)."""
    from oidc_provider_mock import User, run_server_in_thread

    tmp = tmp_path_factory.mktemp("sso")
    db = demo_db.build(tmp / "demo.duckdb", 20_000)
    users = [User(sub=role, claims=claims) for role, claims in USERS.items()]
    with run_server_in_thread(user_claims=users) as provider:
        port = free_port()
        secrets = tmp / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
            'cookie_secret = "a-test-cookie-secret-that-is-long-enough-0123456789"\n'
            'client_id = "cchc-test"\n'
            'client_secret = "cchc-test-secret"\n'
            f'server_metadata_url = "http://localhost:{provider.server_port}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        rules = tmp / "access.toml"
        rules.write_text(ACCESS, encoding="utf-8")
        proc, out = start_streamlit(
            db, tmp / "streamlit.log", "127.0.0.1", port, ["--secrets.files", str(secrets)], {"CCHC_ACCESS": str(rules)}
        )
        try:
            yield Sso(f"http://localhost:{port}", tmp / "streamlit.log")
        finally:
            stop(proc, out)


def sign_in(page, url: str, who: str) -> None:
    page.goto(url)
    page.locator(".st-key-login button").click()
    # the provider's own page: pick the user it knows under this subject
    page.locator(f'button[name="sub"][value="{who}"]').click()
    page.wait_for_url(re.compile(re.escape(url)))
    page.wait_for_selector(IDLE)


def body(page) -> str:
    return page.locator('[data-testid="stApp"]').inner_text()


def test_a_stranger_signs_in_and_sees_a_polite_refusal_and_nothing_else(sso, page):
    sign_in(page, sso.url, "stranger")
    settle(page, "chưa được cấp quyền")
    text = body(page)
    assert "nguoila@example.test" in text
    assert "Dữ liệu đến ngày" not in text and "%" not in text
    assert page.locator(".cchc-metric").count() == 0
    assert page.locator('[data-testid="stSidebar"]').count() == 0  # no page list, no filters
    assert "refused nguoila@example.test" in sso.log.read_text()


def test_a_unit_user_sees_only_their_unit_even_with_another_unit_in_the_url(sso, page):
    sign_in(page, sso.url, "unit")
    settle(page, "Phạm vi của bạn: Sở Tư pháp")
    assert "Toàn tỉnh" not in body(page)
    assert f"signed in chutich@tinh.test as unit of {MINE}" in sso.log.read_text()
    other = "000.00.07.H56"
    page.goto(f"{sso.url}/late?unit={other}&period=year&year=2025")
    settle(page, "hồ sơ trễ hạn")
    text = body(page)
    # the code they typed is named only in the notice that it was ignored; nothing of
    # that unit (its name, its rows) is shown
    assert "Phạm vi của bạn: Sở Tư pháp" in text and "Sở Xây dựng" not in text
    assert all(line.count(other) == 0 or "đang dùng" in line for line in text.splitlines())
    assert "unit=" + other not in page.url
    # the late list they take away holds their unit's dossiers only, and says whose
    open_downloads(page)
    with page.expect_download() as info:
        page.locator(".st-key-download_xlsx button").click()
    ws = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0] == "Mã hồ sơ")
    assert rows[header + 1 :] and {r[3] for r in rows[header + 1 :]} == {MINE}
    assert any(r[0] == "Phạm vi của bạn: Sở Tư pháp" for r in rows[:header])
    # their deck is scoped like every engine call: their unit, never the province
    page.goto(f"{sso.url}/presentation?period=year&year=2025")
    settle(page, "Phạm vi của bạn: Sở Tư pháp")
    assert "Toàn tỉnh" not in body(page)
    page.goto(f"{sso.url}/data")
    settle(page, "Sổ theo dõi chất lượng dữ liệu")
    text = body(page)
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    assert "Lịch sử nhập" not in text and ".duckdb" not in text


def test_a_viewer_sees_the_province_and_cannot_upload(sso, page):
    sign_in(page, sso.url, "viewer")
    settle(page, "Toàn tỉnh")
    page.locator(".cchc-metric").nth(3).wait_for()  # the province's cards and the tiers'
    assert "Phạm vi của bạn" not in body(page)
    page.goto(f"{sso.url}/data")
    settle(page, "Sổ theo dõi chất lượng dữ liệu")
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    assert "Lịch sử nhập" not in body(page)


def test_a_data_user_may_upload_but_sees_no_history_or_path(sso, page):
    sign_in(page, sso.url, "data")
    page.goto(f"{sso.url}/data")
    settle(page, "Sổ theo dõi chất lượng dữ liệu")
    assert page.locator('[data-testid="stFileUploader"]').count() == 1
    text = body(page)
    assert "Lịch sử nhập" not in text and "Dòng bị cách ly" not in text and ".duckdb" not in text


def test_an_admin_by_group_sees_history_quarantine_and_the_database_path(sso, page):
    sign_in(page, sso.url, "admin")
    page.goto(f"{sso.url}/data")
    settle(page, "Lịch sử nhập")
    text = body(page)
    assert "Dòng bị cách ly và lý do" in text and "demo.duckdb" in text
    assert page.locator('[data-testid="stFileUploader"]').count() == 1
    # signing out ends the session: the next visit asks to sign in again
    page.locator('[data-testid="stSidebar"] .st-key-logout button').click()
    page.wait_for_url(lambda url: not url.startswith(sso.url))  # to the provider's sign-out page
    page.goto(sso.url)
    page.locator(".st-key-login button").wait_for()


def test_the_network_is_refused_without_a_login(tmp_path, page):
    """`streamlit run` on 0.0.0.0 with no [auth]: one Vietnamese sentence, no data, logged."""
    db = demo_db.build(tmp_path / "demo.duckdb", 2_000)
    port = free_port()
    log = tmp_path / "streamlit.log"
    empty = tmp_path / "no_secrets.toml"
    empty.write_text("", encoding="utf-8")
    proc, out = start_streamlit(db, log, "0.0.0.0", port, ["--secrets.files", str(empty)], {})
    try:
        page.goto(f"http://127.0.0.1:{port}")
        settle(page, "chưa cấu hình đăng nhập")
        text = body(page)
        assert "Dữ liệu đến ngày" not in text and page.locator(".cchc-metric").count() == 0
        assert page.locator('[data-testid="stSidebar"]').count() == 0  # no page list, no language switch
    finally:
        stop(proc, out)
    assert "refusing to serve" in log.read_text()


def test_the_running_dashboard_lets_two_cli_imports_in_and_shows_their_rows_on_the_next_load(tmp_path, page):
    """A real `streamlit run` server, two CLI importers and page loads in Chromium
    during the imports: both imports succeed, no page shows an error, and the next load
    counts every row of both files."""
    from metrics.vi_format import fmt_int
    from tests.e2e.conftest import Server
    from tests.e2e.test_browser import assert_clean
    from tests.unit.test_locking import count, export, ingest

    db_file = demo_db.build(tmp_path / "shared.duckdb", 3_000)
    before = count(db_file)
    server = Server(db_file, tmp_path / "streamlit.log")
    try:
        page.goto(server.url)
        settle(page, f"{fmt_int(before)} hồ sơ")
        importers = [
            ingest(db_file, export(tmp_path / "a.csv", "A", 30_000), wait=120),
            ingest(db_file, export(tmp_path / "b.csv", "B", 20_000), wait=120),
        ]
        loads = 0
        while any(p.poll() is None for p in importers) or loads == 0:
            page.reload()
            settle(page)
            assert_clean(page)
            loads += 1
        for p in importers:
            _out, err = p.communicate(timeout=300)
            assert p.returncode == 0, err
        assert count(db_file) == before + 50_000
        page.reload()
        settle(page, f"{fmt_int(before + 50_000)} hồ sơ")
        assert_clean(page)
    finally:
        server.stop()
