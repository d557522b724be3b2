"""The door of the dashboard in AppTest: a network address without a login gets one
sentence and nothing else; the local user on loopback is the admin and sees the database
path and the import history on the Data page."""

from __future__ import annotations

import html
import re

import pytest
from streamlit import config

from tests.app.test_pages import PAGES, assert_clean, open_app


@pytest.fixture
def on_the_network():
    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    yield
    config.set_option("server.address", before)


def test_a_network_address_without_a_login_shows_one_sentence_and_no_data(demo_path, monkeypatch, on_the_network):
    at = open_app(demo_path, monkeypatch, unit="000.00.06.H56")
    assert not at.exception
    assert [e.value for e in at.error] and "chưa cấu hình đăng nhập" in at.error[0].value
    assert (
        len(at.error) == 1
        and not [m for m in at.markdown if "cchc-metric" in m.value]
        and not at.title
        and not at.dataframe
        and not at.caption
    )
    assert not at.sidebar.radio  # not even the language switch
    with pytest.raises(ValueError):  # and no page to go to
        at.switch_page(PAGES[1])


def test_the_local_user_on_loopback_is_the_admin(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, "pages/data.py")
    assert_clean(at)
    blocks = [h.value for h in at.get("html")]
    headings = [html.unescape(x) for b in blocks for x in re.findall(r"<h3>([^<]*)</h3>", b)]
    assert "Lịch sử nhập" in headings and "Dòng bị cách ly và lý do" in headings
    assert demo_path in [html.unescape(x) for b in blocks for x in re.findall(r"<code>([^<]*)</code>", b)]  # as code
