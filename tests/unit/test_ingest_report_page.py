"""The Dữ liệu page shows, after an upload, the same per-file report the CLI prints:
driven through Streamlit's AppTest on a real database holding a real import."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import FIXTURES, run_cli


def _page(results):
    from ui import import_report

    import_report.render(results)


@pytest.fixture
def uploaded(db, monkeypatch):
    proc = run_cli("ingest", FIXTURES / "sync_body.json", db=db, check=True)
    monkeypatch.setenv("CCHC_DB", str(db))
    return proc.stdout.splitlines()[0]


def _run(line: str, lang: str = "vi") -> AppTest:
    at = AppTest.from_function(_page, args=([("ok", line)],), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_report_of_an_upload_warns_of_the_kpis_the_file_cannot_support(uploaded):
    at = _run(uploaded)
    warnings = [w.value for w in at.warning]
    assert any("Không tính được «Tỷ lệ hồ sơ trực tuyến»" in w for w in warnings), warnings
    assert at.expander and "sync_body.json" in at.expander[0].label


def test_the_report_names_the_columns_and_the_personal_data_left_out(uploaded):
    at = _run(uploaded)
    captions = "\n".join(c.value for c in at.caption)
    assert "Không lưu (dữ liệu cá nhân): HoTenNguoiNop" in captions
    mapping = at.dataframe[0].value
    assert "MaHoSo" in list(mapping.iloc[:, 0])


def test_the_report_follows_the_english_switch(uploaded):
    at = _run(uploaded, "en")
    assert any("Cannot compute" in w.value for w in at.warning)


def test_a_failed_upload_shows_no_report(uploaded):
    at = AppTest.from_function(_page, args=([("error", "x.csv: lỗi")],), default_timeout=60)
    at.run()
    assert not at.exception and not at.expander
