"""The other pages' default figures, computed in the background once a reader's first page
of this process is drawn, so that the reader's next page finds them in the cache (issue 14).

The server's start-up visit (ui.visitor) has already opened every page, but only as a
reader without a login: behind a login it warms no figure, and this is what warms the
first signed-in reader's scope, or the view a first reader opened by a link. (For the
default view without a login, every call below finds the visit's entry.) So the first
run of the process by a reader starts one daemon thread; it waits for the page to reach
the browser (the first page must not share the two cores with a warm-up while it is
being drawn), then makes the same cached calls, with the same arguments, as the pages
make for the view the reader opened. Each call holds the database only for its one
query (ui.data.reading), so a CLI import can get in between; a failure is logged and
ends the warm-up, never the reader's page.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable

from streamlit import runtime
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from metrics import periods
from ui import data, models, visitor
from ui.filters import Filters

log = logging.getLogger("cchc.warmup")
# how long the first page has to reach the browser before the warm-up takes a core
DELAY_S = 3.0
_started = threading.Lock()  # taken once per process, never released


def _overview(f: Filters) -> None:
    models.overview(f)
    data.due_soon(tier=f.tier, unit=f.unit, units=f.units)


def _units(f: Filters) -> None:
    data.kpis(f.date_from, f.date_to, by=("tier",), **f.engine())
    data.kpis(f.date_from, f.date_to, by=("unit",), **f.engine())
    data.kpis(f.prev_from, f.prev_to, by=("unit",), **f.engine())
    # the heatmap's twelve months (ui.models._heatmap)
    data.kpis(periods.shift_months(f.date_to.replace(day=1), -11), f.date_to, by=("unit", "month"), **f.engine())


def _trends(f: Filters) -> None:
    by = ("tier", "month")
    data.kpis(f.ytd_from, f.ytd_to, by=by, **f.engine())
    data.kpis(*periods.year_range(f.date_to.year - 1), by=by, **f.engine())
    data.freshness()


def _late(f: Filters) -> None:
    query = f.late_filters()  # the list's own filters start empty
    data.late_pareto(f.date_from, f.date_to, by="procedure", limit=500, **query)
    data.late_count(f.date_from, f.date_to, **query)
    data.late_pareto(f.date_from, f.date_to, by="procedure", limit=15, **query)
    if not f.unit:
        data.late_pareto(f.date_from, f.date_to, by="unit", limit=15, **query)


def _data_page(_f: Filters) -> None:
    data.quality()
    data.targets_in_force(dt.date.today())


STEPS: tuple[Callable[[Filters], None], ...] = (_overview, _units, _trends, _late, _data_page)


def _warm(f: Filters, path: str) -> None:
    time.sleep(DELAY_S)
    start = time.perf_counter()
    try:
        for step in STEPS:
            if data.db_path() != path:  # the deployment was pointed elsewhere meanwhile
                return
            data.begin_run()  # this thread's own data version, read afresh
            step(f)
    except Exception:
        log.warning("warm-up stopped; pages compute their figures when opened", exc_info=True)
        return
    log.info("warm-up done in %.1f s", time.perf_counter() - start)


def after_first_page(f: Filters) -> None:
    """Called at the end of every run of the entry script; starts the warm-up once per
    process. The thread carries the run's context: the reader's scope is read from it,
    so the cache keys are exactly the ones that reader's pages will ask for. Only under
    a real server: AppTest (a mock runtime) runs many databases in one process."""
    if not runtime.exists() or type(runtime.get_instance()) is not runtime.Runtime:
        return
    if visitor.is_headless():  # the start-up visit opens every page itself
        return
    if not _started.acquire(blocking=False):
        return
    thread = threading.Thread(target=_warm, args=(f, data.db_path()), name="cchc-warmup", daemon=True)
    add_script_run_ctx(thread, get_script_run_ctx())
    thread.start()
