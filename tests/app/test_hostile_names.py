"""Names that come from data or from a reader are shown as text, never as Markdown: a
unit named like a login link, a procedure carrying HTML, an uploaded file named like a
link. Every page is opened on a database holding them (AppTest), and every element that
Streamlit renders as Markdown is checked."""

from __future__ import annotations

import duckdb
import pytest

from tests.app import demo_db
from tests.app.test_pages import PAGES, assert_clean, open_app

LINK = "[Phiên hết hạn – bấm để đăng nhập lại](https://example.invalid)"
HTML = '<a href="https://example.invalid">**Đăng ký khai sinh**</a> :red[gấp] $x$'
UNIT = "000.00.06.H56"


@pytest.fixture(scope="module")
def hostile_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = demo_db.build(tmp_path_factory.mktemp("hostile") / "hostile.duckdb", 30_000)
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE units SET unit_name = $n WHERE unit_code = $u", {"n": LINK, "u": UNIT})
        con.execute("UPDATE dossiers SET agency_name = $n WHERE agency_code = $u", {"n": LINK, "u": UNIT})
        con.execute("UPDATE dossiers SET procedure_name = $n WHERE agency_code = $u", {"n": HTML, "u": UNIT})
        con.execute("UPDATE imports SET file_name = $n", {"n": LINK + ".xlsx"})
    return str(path)


def rendered(at) -> list[str]:
    """The source of every element Streamlit draws as Markdown."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption") for e in getattr(at, kind)]
    parts += [e.value for kind in ("info", "success", "warning", "error") for e in getattr(at, kind)]
    return [str(p) for p in parts]


def assert_only_text(at) -> None:
    for source in rendered(at):
        assert "](https://" not in source, source  # a live link
        assert "<a " not in source, source  # raw HTML
        assert ":red[" not in source, source  # a colour directive


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_hostile_names_as_text(hostile_path, monkeypatch, page):
    at = open_app(hostile_path, monkeypatch, page, period="year", year="2025")
    assert_clean(at)
    assert_only_text(at)


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/units.py", "pages/late.py", "pages/trends.py"])
def test_a_hostile_unit_s_own_views_name_it_as_text(hostile_path, monkeypatch, page):
    at = open_app(hostile_path, monkeypatch, page, unit=UNIT, period="year", year="2025")
    assert_clean(at)
    assert_only_text(at)
    # the name is there, escaped, so the check above had something to catch
    assert any("\\[Phiên hết hạn" in source for source in rendered(at))


def test_an_uploaded_file_s_name_is_reported_as_text(hostile_path, monkeypatch):
    at = open_app(hostile_path, monkeypatch, "pages/data.py")
    at.session_state["_import_results"] = [("ok", f"{LINK}.csv: đọc 3 dòng"), ("error", f"Không đọc được {LINK}.csv")]
    at.run()
    assert_clean_but_for_the_failed_file(at)
    assert_only_text(at)
    assert any("\\[Phiên hết hạn" in s.value for s in at.success)


def assert_clean_but_for_the_failed_file(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] and all("Không đọc được" in e.value for e in at.error)
