"""Reference data is the province's to edit: a changed targets file shows on the next
rerun of the running dashboard, and a broken one is refused with its row named while the
last good targets stay in force."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics import db as mdb
from metrics import reference
from metrics.paths import DATA_DIR

ENTRY = str(Path(__file__).resolve().parents[2] / "dashboard.py")


def _targets_shown(at: AppTest) -> str:
    # the cards write their target in their st.html block under the number (ui.cards.card_body)
    parts = [str(c.value) for c in at.caption] + [str(m.value) for m in at.markdown]
    return "\n".join(parts + [str(h.value) for h in at.get("html")])


@pytest.fixture
def edited_db(demo_path: str, tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "edit.duckdb"
    shutil.copy(demo_path, path)
    targets = tmp_path / "targets.csv"
    shutil.copy(DATA_DIR / "targets.csv", targets)
    con = mdb.connect(path)
    reference.load_csv(con, "targets", targets)
    con.close()
    return str(path), targets


def test_an_edited_target_shows_on_the_next_rerun(edited_db, monkeypatch):
    path, targets = edited_db
    monkeypatch.setenv("CCHC_DB", path)
    at = AppTest.from_file(ENTRY, default_timeout=120)
    at.run()
    at.run()  # a dashboard that has run before: the data version is kept until a file changes (ui.data)
    assert not at.exception
    assert "Chỉ tiêu 97%" in _targets_shown(at)
    text = targets.read_text(encoding="utf-8")
    targets.write_text(text.replace("on_time_rate,all,2024-01-01,,0.97", "on_time_rate,all,2024-01-01,,0.95"), "utf-8")
    at.run()
    assert not at.exception
    assert "Chỉ tiêu 95%" in _targets_shown(at) and "Chỉ tiêu 97%" not in _targets_shown(at)


def test_a_broken_edit_is_named_and_the_last_good_targets_stay(edited_db, monkeypatch):
    path, targets = edited_db
    monkeypatch.setenv("CCHC_DB", path)
    at = AppTest.from_file(ENTRY, default_timeout=120)
    at.run()
    text = targets.read_text(encoding="utf-8")
    targets.write_text(
        text.replace("on_time_rate,all,2024-01-01,,0.97", "on_time_rate,all,2024-01-01,2023-01-01,0.5"), "utf-8"
    )
    at.run()
    assert not at.exception
    errors = "\n".join(e.value for e in at.error)
    assert "targets.csv" in errors and "dòng" in errors
    assert "Chỉ tiêu 97%" in _targets_shown(at)
