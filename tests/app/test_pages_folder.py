"""Streamlit's legacy pages/ mode, pinned. ui/shell.py re-runs the entry script because a
folder named pages/ beside it makes Streamlit run a page's file on its own until
st.navigation has been called (see the ui/shell.py docstring). The first two tests watch
Streamlit on a two-page app of our own; when the first one fails, Streamlit has dropped
that mode: delete ui/shell.py and its calls. The last one shows that every page of the
dashboard, opened directly, still runs inside dashboard.py with its sidebar filters."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.test_pages import ENTRY, PAGES, assert_clean

ENTRY_SCRIPT = """
import streamlit as st
st.sidebar.markdown("entry script ran")
st.navigation([st.Page("{folder}/home.py", default=True), st.Page("{folder}/other.py", url_path="other")]).run()
"""


def two_page_app(root: Path, folder: str) -> str:
    (root / folder).mkdir()
    (root / folder / "home.py").write_text('import streamlit as st\nst.markdown("home page")\n', encoding="utf-8")
    (root / folder / "other.py").write_text('import streamlit as st\nst.markdown("other page")\n', encoding="utf-8")
    (root / "main.py").write_text(ENTRY_SCRIPT.format(folder=folder), encoding="utf-8")
    return str(root / "main.py")


def opened_directly(script: str, page: str) -> list[str]:
    at = AppTest.from_file(script, default_timeout=30)
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return [m.value for m in at.markdown]


def test_streamlit_still_runs_a_file_in_pages_without_its_entry_script(tmp_path):
    shown = opened_directly(two_page_app(tmp_path, "pages"), "pages/other.py")
    assert "other page" in shown
    assert "entry script ran" not in shown, (
        "Streamlit now runs the entry script even beside a pages/ folder: delete ui/shell.py and its calls"
    )


def test_the_same_app_with_its_pages_in_another_folder_always_runs_its_entry_script(tmp_path):
    shown = opened_directly(two_page_app(tmp_path, "screens"), "screens/other.py")
    assert {"entry script ran", "other page"} <= set(shown)


@pytest.mark.parametrize("page", PAGES)
def test_every_dashboard_page_opened_directly_runs_inside_the_entry_script(demo_path, monkeypatch, page):
    monkeypatch.setenv("CCHC_DB", demo_path)
    at = AppTest.from_file(ENTRY, default_timeout=120)
    at.switch_page(page).run()
    assert_clean(at)
    switch = [h.value for h in at.get_by_key("lang_switch").get("html")]  # type: ignore[union-attr]
    assert switch and "English" in switch[0] and at.sidebar.expander  # the language switch and the filters
