"""The dashboard's only door to the engine: one DuckDB connection per process, a cursor
per query, and aggregate results cached on the database's data version, so that an
import shows at once and a rerun that changes nothing costs no SQL.

Raw dossier rows (the late list) are never cached: they are fetched a page at a time.

Why one read-write connection rather than a read-only one: DuckDB lets one process hold
a writer; inside that process readers and the writer share MVCC snapshots. The Data
page imports through a cursor of the same connection, so an upload never has to close
the connection other sessions are reading from. Set CCHC_READ_ONLY=1 to open the file
read-only (a viewing deployment; several processes can then share the file) and the Data
page says to import with the CLI.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from metrics import compute, db, registry

_write_lock = threading.Lock()


def read_only() -> bool:
    return os.environ.get("CCHC_READ_ONLY", "") in ("1", "true", "yes")


def db_path() -> str:
    return str(db.db_path())


def connection() -> duckdb.DuckDBPyConnection:
    """The process's connection; take a cursor from it per query."""
    return _connection(db_path(), read_only())


@st.cache_resource(show_spinner=False)
def _connection(path: str, read_only_mode: bool) -> duckdb.DuckDBPyConnection:
    # a bad reference edit must not take the dashboard down: it shows the error
    # (reference_problem) and goes on with the last good copy
    return db.connect(path, read_only=read_only_mode, strict=False)


def reference_problem() -> str | None:
    """The Vietnamese message of a refused reference file, if any (metrics.reference)."""
    from metrics import reference

    return reference.problem.message_vi if reference.problem else None


def con() -> duckdb.DuckDBPyConnection:
    """A fresh cursor on the process's connection (cursors are cheap and thread-safe to use
    one per query, the connection object itself is not)."""
    return connection().cursor()


_run = threading.local()


def begin_run() -> None:
    """Called by the entry script at the start of every run: the data version is read once
    per run, not once per cached call."""
    _run.version = None


def version() -> str:
    """The cache key: which database, and its data version (read once per script run)."""
    cached = getattr(_run, "version", None)
    if cached is None:
        if not read_only():
            db.refresh_reference(connection())  # an edited data/*.csv shows on this rerun
        cached = f"{db_path()}|{db.data_version(con())}"
        _run.version = cached
    return cached


@st.cache_data(show_spinner=False, max_entries=256)
def _kpis(
    v: str,
    date_from: dt.date,
    date_to: dt.date,
    by: tuple[str, ...],
    on_time_definition: str,
    tier: str | None,
    unit: str | None,
    units: str,
) -> pd.DataFrame:
    return compute.kpis(
        con(),
        date_from,
        date_to,
        by=by,
        on_time_definition=on_time_definition,
        tier=tier,
        unit=unit,
        units=units,
    )


def kpis(
    date_from: dt.date,
    date_to: dt.date,
    by: tuple[str, ...] = ("tier",),
    on_time_definition: str = registry.ON_TIME_DEFAULT,
    tier: str | None = None,
    unit: str | None = None,
    units: str = registry.UNITS_AS_WAS,
) -> pd.DataFrame:
    return _kpis(version(), date_from, date_to, tuple(by), on_time_definition, tier, unit, units)


@st.cache_data(show_spinner=False, max_entries=128)
def _late_count(v: str, date_from: dt.date, date_to: dt.date, filters: tuple) -> int:
    return int(compute.late_count(con(), date_from, date_to, **dict(filters)))


def late_count(date_from: dt.date, date_to: dt.date, **filters: Any) -> int:
    return _late_count(version(), date_from, date_to, _freeze(filters))


@st.cache_data(show_spinner=False, max_entries=128)
def _late_pareto(v: str, date_from: dt.date, date_to: dt.date, by: str, limit: int, filters: tuple) -> pd.DataFrame:
    return compute.late_pareto(con(), date_from, date_to, by=by, limit=limit, **dict(filters))


def late_pareto(
    date_from: dt.date, date_to: dt.date, by: str = "procedure", limit: int = 20, **filters: Any
) -> pd.DataFrame:
    return _late_pareto(version(), date_from, date_to, by, limit, _freeze(filters))


@st.cache_data(show_spinner=False, max_entries=256)
def _late_page_ids(v: str, date_from: dt.date, date_to: dt.date, args: tuple) -> list[int]:
    return compute.late_page_ids(con().cursor(), date_from, date_to, **dict(args))


def late_page(date_from: dt.date, date_to: dt.date, **kwargs: Any) -> pd.DataFrame:
    """One page of late dossiers. Only the page's row ids are cached (per data
    version, so an import clears them); the rows themselves are read afresh and
    never stay in memory."""
    ids = _late_page_ids(version(), date_from, date_to, _freeze(kwargs))
    filters = {k: v for k, v in kwargs.items() if k not in ("order_by", "descending", "limit", "offset")}
    return compute.late_rows(con().cursor(), ids, date_from, date_to, **filters)


def late_export(date_from: dt.date, date_to: dt.date, writer, **filters: Any):
    """A callable for st.download_button: on click (in another thread) it fetches every late
    dossier matching filters and hands them to `writer` (metrics.exports). Nothing is
    fetched or kept until the reader asks."""
    connection_ = connection()

    def build() -> bytes:
        return writer(compute.late(connection_.cursor(), date_from, date_to, **filters))

    return build


@st.cache_data(show_spinner=False, max_entries=16)
def _data_facts(v: str) -> dict:
    return dict(compute.data_facts(con()))


def data_facts() -> dict:
    """The freshness banner's facts (oldest data date among active units, ...)."""
    return _data_facts(version())


@st.cache_data(show_spinner=False, max_entries=16)
def _freshness(v: str) -> pd.DataFrame:
    return compute.freshness(con())


def freshness() -> pd.DataFrame:
    """Each unit's data date and state."""
    return _freshness(version())


@st.cache_data(show_spinner=False, max_entries=64)
def _coverage(v: str, date_from: dt.date, date_to: dt.date, tier: str | None) -> dict:
    return compute.coverage(con(), date_from, date_to, tier)


def coverage(date_from: dt.date, date_to: dt.date, tier: str | None = None) -> dict:
    """Units valid in the period whose data reaches its end, and those behind."""
    return _coverage(version(), date_from, date_to, tier)


@st.cache_data(show_spinner=False, max_entries=16)
def _data_span(v: str) -> tuple[dt.date, dt.date] | None:
    return compute.data_span(con())


def data_span() -> tuple[dt.date, dt.date] | None:
    return _data_span(version())


@st.cache_data(show_spinner=False, max_entries=16)
def _unit_list(v: str, tier: str | None) -> pd.DataFrame:
    return compute.unit_list(con(), tier=tier)


def unit_list(tier: str | None = None) -> pd.DataFrame:
    return _unit_list(version(), tier)


@st.cache_data(show_spinner=False, max_entries=8)
def _quality(v: str) -> pd.DataFrame:
    return compute.quality(con())


def quality() -> pd.DataFrame:
    return _quality(version())


@st.cache_data(show_spinner=False, max_entries=8)
def _import_history(v: str) -> pd.DataFrame:
    return compute.import_history(con())


def import_history() -> pd.DataFrame:
    return _import_history(version())


@st.cache_data(show_spinner=False, max_entries=8)
def _quarantine_rows(v: str, limit: int) -> pd.DataFrame:
    return compute.quarantine_rows(con(), limit=limit)


def quarantine_rows(limit: int = 1000) -> pd.DataFrame:
    return _quarantine_rows(version(), limit)


@st.cache_data(show_spinner=False, max_entries=8)
def _targets_in_force(v: str, on_date: dt.date) -> pd.DataFrame:
    return compute.targets_in_force(con(), on_date)


def targets_in_force(on_date: dt.date) -> pd.DataFrame:
    return _targets_in_force(version(), on_date)


def import_file(path: str, display_name: str | None = None):
    """Import one uploaded file through the engine's importer (the same one as the CLI).
    Imports are serialised within the process: DuckDB has a single writer."""
    from metrics import ingest

    with _write_lock:
        try:
            return ingest.import_file(con(), path, display_name=display_name)
        finally:
            begin_run()  # the version changed: the rest of this run must not reuse the old key


# ------------------------------------------------------------------ ahead of the clock (issue 13)


@st.cache_data(show_spinner=False, max_entries=32)
def _due_soon(v: str, days: int, tier: str | None, unit: str | None, units: str) -> pd.DataFrame:
    return compute.due_soon(con(), days=days, tier=tier, unit=unit, units=units)


def due_soon(
    days: int = compute.DUE_SOON_DAYS, tier: str | None = None, unit: str | None = None, units: str = "as_was"
) -> pd.DataFrame:
    """Open dossiers due within `days` working days of their unit's data date (a short list)."""
    return _due_soon(version(), days, tier, unit, units)


@st.cache_data(show_spinner=False, max_entries=32)
def _budget(v: str, date_from: dt.date, date_to: dt.date, args: tuple) -> pd.DataFrame:
    return compute.budget(con(), date_from, date_to, **dict(args))


def budget(date_from: dt.date, date_to: dt.date, **kwargs: Any) -> pd.DataFrame:
    """compute.budget, cached on the data version."""
    return _budget(version(), date_from, date_to, tuple(sorted(kwargs.items())))


@st.cache_data(show_spinner=False, max_entries=32)
def _score766(v: str, date_from: dt.date, date_to: dt.date, args: tuple) -> pd.DataFrame:
    return compute.score766(con(), date_from, date_to, **dict(args))


def score766(date_from: dt.date, date_to: dt.date, **kwargs: Any) -> pd.DataFrame:
    """compute.score766, cached on the data version."""
    return _score766(version(), date_from, date_to, tuple(sorted(kwargs.items())))


@st.cache_data(show_spinner=False, max_entries=32)
def _official_scores(v: str, unit: str | None) -> pd.DataFrame:
    from metrics import scores

    return scores.official(con(), unit)


def official_scores(unit: str | None = None) -> pd.DataFrame:
    """The imported official scores in force (metrics.scores.official)."""
    return _official_scores(version(), unit)


def _freeze(filters: dict[str, Any]) -> tuple:
    return tuple(sorted((k, v) for k, v in filters.items() if v is not None and v != ""))
