"""Entry point of the dashboard: page setup, the language switch and the global filters
(bound to the URL), then the chosen page. `streamlit run dashboard.py`."""

from __future__ import annotations

from pathlib import Path

import duckdb
import streamlit as st

from ui import cards, data, filters, shell, urlstate
from ui.i18n import t

HERE = Path(__file__).resolve().parent

st.set_page_config(page_title="CCHC", page_icon=":material/fact_check:", layout="wide")
shell.enter()
data.begin_run()
urlstate.begin()
filters.language()

pages = [
    st.Page("pages/overview.py", title=t("page_overview"), icon=":material/dashboard:", default=True),
    st.Page("pages/units.py", title=t("page_units"), icon=":material/leaderboard:", url_path="units"),
    st.Page("pages/late.py", title=t("page_late"), icon=":material/schedule:", url_path="late"),
    st.Page("pages/trends.py", title=t("page_trends"), icon=":material/show_chart:", url_path="trends"),
    st.Page("pages/data.py", title=t("page_data"), icon=":material/upload_file:", url_path="data"),
]
if (HERE / "pages" / "presentation.py").exists():
    pages.append(
        st.Page(
            "pages/presentation.py", title=t("page_presentation"), icon=":material/slideshow:", url_path="presentation"
        )
    )
page = st.navigation(pages)

try:
    try:
        span = data.data_span()
    except duckdb.Error as exc:
        st.error(t("db_unavailable", db=data.db_path(), msg=str(exc).splitlines()[0]), icon=":material/error:")
        st.stop()
    if span is None:
        if page.url_path == "data":
            cards.guard(page.run)
        else:
            cards.welcome()
    else:
        filters.remember(filters.sidebar(span))
        cards.freshness_banner()
        cards.guard(page.run)
    urlstate.end()
finally:
    shell.leave()
