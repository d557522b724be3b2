"""Entry point of the dashboard: page setup, the language switch, who is reading (ui/auth:
a reader who may not read sees one sentence and nothing else), the global filters (bound
to the URL), then the chosen page. `streamlit run dashboard.py`.

This file has two roles. Streamlit runs it as `__main__` for every page run (`main()`).
`streamlit run` also finds the `st.App` below and serves the dashboard through it: the
server imports this file as a module, and the App's lifespan opens every page once before
the server answers anyone (ui.visitor), so that the first reader does not pay for a cold
process (issue 14)."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from ui import visitor

HERE = Path(__file__).resolve().parent
log = logging.getLogger("cchc.dashboard")


def main() -> None:
    # imported here, not above: the server imports this file before Streamlit's runtime
    # exists, and the modules' st.cache_data calls would each log a warning then
    import duckdb

    from metrics import db
    from ui import auth, cards, data, filters, shell, urlstate, warmup
    from ui.i18n import t

    st.set_page_config(page_title="CCHC", page_icon=":material/fact_check:", layout="wide")
    shell.enter()
    try:
        auth.refuse_unprotected_network()
        auth.gate()  # before anything else is drawn: a refused reader sees one sentence
        data.begin_run()
        data.hold_run()  # one open of the file for the whole run (released below)
        urlstate.begin()
        filters.language()
        auth.sidebar()

        pages = [
            st.Page("pages/overview.py", title=t("page_overview"), icon=":material/dashboard:", default=True),
            st.Page("pages/units.py", title=t("page_units"), icon=":material/leaderboard:", url_path="units"),
            st.Page("pages/late.py", title=t("page_late"), icon=":material/schedule:", url_path="late"),
            st.Page("pages/trends.py", title=t("page_trends"), icon=":material/show_chart:", url_path="trends"),
            st.Page("pages/data.py", title=t("page_data"), icon=":material/upload_file:", url_path="data"),
        ]
        # the deck takes the reader's scope like every engine call (ui.slides)
        if (HERE / "pages" / "presentation.py").exists():
            pages.append(
                st.Page(
                    "pages/presentation.py",
                    title=t("page_presentation"),
                    icon=":material/slideshow:",
                    url_path="presentation",
                )
            )
        page = st.navigation(pages)

        try:
            span = data.data_span()
        except db.DatabaseBusy:
            st.info(t("db_busy"), icon=":material/hourglass_top:")
            st.stop()
        except duckdb.Error:
            log.exception("cannot open the database %s", data.db_path())
            st.error(t("db_unavailable"), icon=":material/error:")
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
            warmup.after_first_page(filters.current())  # once per process: the next pages' figures
        filters.language_link()  # with every value the page published
        urlstate.end()
    finally:
        data.release_run()
        shell.leave()


if __name__ == "__main__":
    main()
else:  # imported by the server (`streamlit run dashboard.py`): serve this file
    app = st.App(__file__, lifespan=visitor.lifespan)
