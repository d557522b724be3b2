"""A fresh server opens every page once before it answers anyone (ui.visitor, issue 14):
tested on a real `streamlit run dashboard.py`, through what the server logs, with no
browser. The visit goes through the same door as a reader: behind a login it sees the
sign-in page and nothing else, and a database it cannot read does not stop the server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.app import demo_db
from tests.e2e.conftest import ROOT
from tests.streamlit_server import StreamlitServer

pytestmark = pytest.mark.e2e

PAGES = ("/units", "/late", "/trends", "/data")


def serve_and_read_log(tmp_path: Path, env: dict[str, str], args: tuple[str, ...] = ()) -> str:
    """Start the dashboard, wait until it answers, stop it: what it logged until then."""
    log = tmp_path / "streamlit.log"
    server = StreamlitServer(ROOT / "dashboard.py", env, log, timeout=120, args=args)
    try:
        assert server.proc.poll() is None
    finally:
        server.stop()
    return log.read_text(encoding="utf-8")


def visit_line(text: str) -> str:
    lines = [line for line in text.splitlines() if "start-up visit done" in line]
    assert len(lines) == 1, text
    return lines[0]


def test_the_server_has_opened_every_page_once_when_it_first_answers(tmp_path):
    db = demo_db.build(tmp_path / "demo.duckdb", 20_000)
    line = visit_line(serve_and_read_log(tmp_path, {"CCHC_DB": str(db)}))
    assert re.search(r"done in [\d.]+ s: / [\d.]+ s", line), line  # the default page first
    for path in PAGES:
        assert f"{path} " in line, line
    assert "Traceback" not in (tmp_path / "streamlit.log").read_text(encoding="utf-8")


def test_a_server_whose_database_is_empty_still_starts_and_visits(tmp_path):
    db = demo_db.build_empty(tmp_path / "empty.duckdb")
    line = visit_line(serve_and_read_log(tmp_path, {"CCHC_DB": str(db)}))
    assert "/data " in line, line  # the page where a first file is imported


def test_a_server_whose_database_cannot_be_opened_still_starts(tmp_path):
    (tmp_path / "not-a-database.duckdb").write_bytes(b"this is not a DuckDB file\n" * 100)
    text = serve_and_read_log(tmp_path, {"CCHC_DB": str(tmp_path / "not-a-database.duckdb")})
    assert "cannot open the database" in text  # what a reader's page would log, once per page
    visit_line(text)


def test_behind_a_login_the_visit_sees_the_sign_in_page_and_no_figures(tmp_path):
    db = demo_db.build(tmp_path / "demo.duckdb", 20_000)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        'redirect_uri = "http://localhost:9/oauth2callback"\n'
        'cookie_secret = "a-test-cookie-secret-that-is-long-enough-0123456789"\n'
        'client_id = "cchc-test"\n'
        'client_secret = "cchc-test-secret"\n'
        'server_metadata_url = "http://localhost:9/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    line = visit_line(serve_and_read_log(tmp_path, {"CCHC_DB": str(db)}, ("--secrets.files", str(secrets))))
    # the run stopped at the gate, before the navigation: no other page was offered to it
    assert re.search(r"done in [\d.]+ s: / [\d.]+ s$", line), line
