"""Issue 13 on the pages, through Streamlit's AppTest on the demo database: the overview's
due-soon card and its link, the late page's due-soon list, the ranking's late-budget
column, and a unit's official score beside our estimate."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from metrics import db as mdb
from metrics.ingest import import_file
from metrics.score_files import write_demo_scores
from tests.app.linktables import link_table
from tests.app.test_pages import assert_clean, open_app, texts

UNIT = "000.00.02.H56"


@pytest.fixture(scope="module")
def scored_path(demo_path: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the demo database with the demo's official scores imported."""
    path = tmp_path_factory.mktemp("scored") / "scored.duckdb"
    shutil.copy(demo_path, path)
    con = mdb.connect(path)
    for score_file in write_demo_scores(Path(path).parent / "scores"):
        import_file(con, score_file)
    con.close()
    return str(path)


def test_the_overview_has_a_due_soon_card_that_links_to_the_list(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch)
    assert_clean(at)
    assert "Sắp quá hạn" in texts(at)
    assert "Gần chạm giới hạn trễ hạn" in texts(at)


def test_the_late_page_opens_on_the_due_soon_list_from_its_link(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, "pages/late.py")
    at.query_params["late_view"] = "due_soon"
    at.run()
    assert_clean(at)
    assert "ngày làm việc" in texts(at)
    shown = at.dataframe[0].value
    assert list(shown.columns)[:2] == ["Hẹn trả", "Còn (ngày làm việc)"]
    left = [int(v) for v in shown["Còn (ngày làm việc)"]]
    assert left and max(left) <= 2


def test_the_ranking_shows_each_units_late_budget(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, "pages/units.py")
    assert_clean(at)
    table = link_table(at, "ranking_table")
    column = [c for c in table.headers if c.startswith("Được trễ thêm")]
    assert column, table.headers
    assert not any(str(v).startswith("-") for v in table.column(column[0]))


def test_a_unit_shows_its_official_score_and_rank_beside_our_estimate(scored_path, monkeypatch):
    at = open_app(scored_path, monkeypatch, "pages/units.py", unit=UNIT)
    assert_clean(at)
    page = texts(at)
    assert "Bộ chỉ số 766" in page and "điểm, xếp thứ" in page
    assert "so với năm 2024" in page
    assert "ước tính — không thay thế điểm trên Cổng DVCQG" in page


def test_the_budget_can_be_read_for_the_quarter_in_progress(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, "pages/units.py")
    at.query_params["budget_span"] = "quarter"
    at.run()
    assert_clean(at)
    table = link_table(at, "ranking_table")
    assert any(c == "Được trễ thêm (quý II/2025)" for c in table.headers), table.headers
