"""The dashboard's only door to the engine: the database file held only while a page
run (or a query outside one) runs, the reader's scope passed to every engine call, and aggregate results cached on
the database's data version, so that an import (from the Data page or from the CLI)
shows on the next rerun and a rerun that changes nothing costs one small query.

Why the file is not kept open: DuckDB lets one process write a file, and no other
process can write it while this one holds it open, even read-only. A nightly
`python -m metrics ingest` must get in while the dashboard is up, so queries share a
read-only connection that the last running query closes (metrics.db.Shared), and a page
run keeps it for its queries from the first to its end (hold_run); the Data
page's upload waits for the running queries and writes alone. CCHC_READ_ONLY=1 opens
nothing read-write (a viewing deployment); the Data page then says to import with the CLI.

Why the scope is a cache argument: two readers with the same filters but different units
must never share a cached result, so the scope's unit codes are a visible (hashed)
argument of every cached call, and part of `version()`, which every other cache in ui/
is keyed on.

Raw dossier rows (the late list) are never cached: they are fetched a page at a time.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from metrics import compute, db, reference, registry
from metrics.scope import EVERYTHING, Scope, limited_to
from ui import auth

Units = tuple[str, ...] | None  # a scope as a cache key: None for the whole province


def read_only() -> bool:
    return os.environ.get("CCHC_READ_ONLY", "") in ("1", "true", "yes")


@st.cache_resource(show_spinner=False)
def _shared(path: str, read_only_mode: bool) -> db.Shared:
    return db.Shared(path, read_only=read_only_mode)


def db_path() -> str:
    """The database file: for the admin's eyes only (the Data page)."""
    return str(db.db_path())


def shared() -> db.Shared:
    return _shared(db_path(), read_only())


@contextmanager
def reading() -> Iterator[duckdb.DuckDBPyConnection]:
    """The file for the length of one query, or of the whole page run when the run holds
    it (hold_run); take cursors from the connection."""
    if getattr(_run, "holding", False):
        if getattr(_run, "held", None) is None:
            stack = ExitStack()
            _run.held = stack.enter_context(shared().reading())
            _run.stack = stack
        yield _run.held
        return
    with shared().reading() as connection:
        yield connection


def hold_run() -> None:
    """From the first query of this page run to release_run(), every query shares one open
    file. Opening it costs DuckDB ~40 ms of wall time (20 ms of CPU) each time the last
    query closed it, and a page of a fresh view makes 5-15 queries, each of which used to
    open it again (a unit's first view: 0,3 s of 0,85 s; issue 14). Between runs the file
    is free, as before, for a CLI import; an upload (import_file) lets go of it first."""
    _run.holding = True


def release_run() -> None:
    """End of the page run (dashboard.main, in a finally): the file is let go."""
    _run.holding = False
    stack, _run.stack, _run.held = getattr(_run, "stack", None), None, None
    if stack is not None:
        stack.close()


def con() -> duckdb.DuckDBPyConnection:
    """A read-only connection of its own, closed when dropped, for a caller that cannot
    use `reading()` (the presentation deck). Prefer `reading()`."""
    return db.connect(db_path(), read_only=True, wait=db.read_wait())


def reader_units() -> Units:
    """The reader's scope as a cache key (see auth.current)."""
    return auth.current().units


def _scope(scope_units: Units) -> Scope:
    return EVERYTHING if scope_units is None else Scope(units=scope_units)


_run = threading.local()


def begin_run() -> None:
    """Called by the entry script at the start of every run: the data version is read once
    per run, not once per cached call."""
    _run.version = None


@st.cache_resource(show_spinner=False)
def _versions() -> dict[str, tuple[tuple | None, str, tuple[str, ...]]]:
    """db path -> (stamp of its files when the version was read, the version, reference
    files). A resource beside the shared connection (_shared): cleared with it, so a new
    connection, which brings the schema and reference data up to date, reads afresh."""
    return {}


def _stamp(path: str, sources: tuple[str, ...]) -> tuple:
    """What the file system says of the database, its write-ahead log and the reference
    files: any write (an import here or by the CLI, a checkpoint, an edited reference
    file) changes a size, a modification time or an inode."""
    out: list[tuple] = []
    for name in (path, f"{path}.wal", *sources):
        try:
            s = os.stat(name)
            out.append((name, s.st_mtime_ns, s.st_size, s.st_ino))
        except OSError:
            out.append((name, None))
    return tuple(out)


def _data_version(path: str) -> str:
    """The database's data version, read from the file only when its files changed since
    the last read: opening the file costs ~40 ms of a page run whose figures are all
    cached (issue 14). The stamp is taken before the read, so a write during the read
    leaves a stamp that no longer matches and the next run reads again."""
    known = _versions().get(path)
    sources = known[2] if known else ()
    stamp = _stamp(path, sources)
    # a refused reference file is checked again on every run, as before, until it is fixed
    if known is not None and known[0] == stamp and reference.problem is None:
        return known[1]
    with reading() as connection:
        current = db.data_version(connection.cursor())
        found = tuple(str(p) for p in reference.source_paths(connection))
    # other reference files than the stamp watched: read again next time, then keep it
    _versions()[path] = (stamp if found == sources else None, current, found)
    return current


def version() -> str:
    """The cache key: which database, its data version and the reader's scope (read once
    per script run)."""
    cached = getattr(_run, "version", None)
    if cached is None:
        current = _data_version(db_path())
        scope_units = reader_units()
        cached = f"{db_path()}|{current}|{'*' if scope_units is None else ','.join(scope_units)}"
        _run.version = cached
    return cached


@st.cache_data(show_spinner=False, max_entries=64)
def _scope_of(v: str, scope_units: Units, lang_: str) -> Scope:
    if scope_units is None:
        return EVERYTHING
    with reading() as connection:
        listed = compute.unit_list(connection, scope=Scope(units=scope_units))
    return limited_to(scope_units, dict(zip(listed["unit_code"], listed["unit_name"], strict=True)), lang_)


def scope() -> Scope:
    """The reader's scope with its label ("Phạm vi của bạn: Xã A, Xã B")."""
    from ui.i18n import lang

    return _scope_of(version(), reader_units(), lang())


@st.cache_data(show_spinner=False, max_entries=256)
def _kpis(
    v: str,
    scope_units: Units,
    date_from: dt.date,
    date_to: dt.date,
    by: tuple[str, ...],
    on_time_definition: str,
    tier: str | None,
    unit: str | None,
    units: str,
) -> pd.DataFrame:
    with reading() as connection:
        return compute.kpis(
            connection,
            date_from,
            date_to,
            by=by,
            on_time_definition=on_time_definition,
            tier=tier,
            unit=unit,
            units=units,
            scope=_scope(scope_units),
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
    return _kpis(version(), reader_units(), date_from, date_to, tuple(by), on_time_definition, tier, unit, units)


@st.cache_data(show_spinner=False, max_entries=128)
def _late_count(v: str, scope_units: Units, date_from: dt.date, date_to: dt.date, filters: tuple) -> int:
    with reading() as connection:
        return int(compute.late_count(connection, date_from, date_to, scope=_scope(scope_units), **dict(filters)))


def late_count(date_from: dt.date, date_to: dt.date, **filters: Any) -> int:
    return _late_count(version(), reader_units(), date_from, date_to, _freeze(filters))


@st.cache_data(show_spinner=False, max_entries=128)
def _late_pareto(
    v: str, scope_units: Units, date_from: dt.date, date_to: dt.date, by: str, limit: int, filters: tuple
) -> pd.DataFrame:
    with reading() as connection:
        return compute.late_pareto(
            connection, date_from, date_to, by=by, limit=limit, scope=_scope(scope_units), **dict(filters)
        )


def late_pareto(
    date_from: dt.date, date_to: dt.date, by: str = "procedure", limit: int = 20, **filters: Any
) -> pd.DataFrame:
    return _late_pareto(version(), reader_units(), date_from, date_to, by, limit, _freeze(filters))


@st.cache_data(show_spinner=False, max_entries=256)
def _late_page_ids(v: str, scope_units: Units, date_from: dt.date, date_to: dt.date, args: tuple) -> list[int]:
    with reading() as connection:
        return compute.late_page_ids(connection.cursor(), date_from, date_to, scope=_scope(scope_units), **dict(args))


def late_page(date_from: dt.date, date_to: dt.date, **kwargs: Any) -> pd.DataFrame:
    """One page of late dossiers. Only the page's row ids are cached (per data
    version, so an import clears them); the rows themselves are read afresh, in the
    scope again, and never stay in memory."""
    ids = _late_page_ids(version(), reader_units(), date_from, date_to, _freeze(kwargs))
    filters = {k: v for k, v in kwargs.items() if k not in ("order_by", "descending", "limit", "offset")}
    with reading() as connection:
        return compute.late_rows(connection.cursor(), ids, date_from, date_to, scope=_scope(reader_units()), **filters)


def late_export(date_from: dt.date, date_to: dt.date, writer, **filters: Any):
    """A callable for st.download_button: on click (in another thread) it fetches every late
    dossier matching filters in the reader's scope and hands them to `writer`
    (metrics.exports, which takes the scope too). Nothing is fetched until asked."""
    reader_scope = scope()

    def build() -> bytes:
        with reading() as connection:
            rows = compute.late(connection.cursor(), date_from, date_to, scope=reader_scope, **filters)
        return writer(rows, scope=reader_scope)

    return build


@st.cache_data(show_spinner=False, max_entries=16)
def _data_facts(v: str, scope_units: Units) -> dict:
    with reading() as connection:
        return dict(compute.data_facts(connection, scope=_scope(scope_units)))


def data_facts() -> dict:
    """The freshness banner's facts (oldest data date among active units, ...)."""
    return _data_facts(version(), reader_units())


@st.cache_data(show_spinner=False, max_entries=16)
def _freshness(v: str, scope_units: Units) -> pd.DataFrame:
    with reading() as connection:
        return compute.freshness(connection, scope=_scope(scope_units))


def freshness() -> pd.DataFrame:
    """Each unit's data date and state."""
    return _freshness(version(), reader_units())


@st.cache_data(show_spinner=False, max_entries=64)
def _coverage(v: str, scope_units: Units, date_from: dt.date, date_to: dt.date, tier: str | None) -> dict:
    with reading() as connection:
        return compute.coverage(connection, date_from, date_to, tier, scope=_scope(scope_units))


def coverage(date_from: dt.date, date_to: dt.date, tier: str | None = None) -> dict:
    """Units valid in the period whose data reaches its end, and those behind."""
    return _coverage(version(), reader_units(), date_from, date_to, tier)


def reference_problem() -> str | None:
    """The Vietnamese message of a refused reference file, if any: the dashboard goes
    on with the last good copy and says so (metrics.reference)."""
    return reference.problem.message_vi if reference.problem else None


@st.cache_data(show_spinner=False, max_entries=16)
def _data_span(v: str, scope_units: Units) -> tuple[dt.date, dt.date] | None:
    with reading() as connection:
        return compute.data_span(connection, scope=_scope(scope_units))


def data_span() -> tuple[dt.date, dt.date] | None:
    return _data_span(version(), reader_units())


@st.cache_data(show_spinner=False, max_entries=16)
def _unit_list(v: str, scope_units: Units, tier: str | None) -> pd.DataFrame:
    with reading() as connection:
        return compute.unit_list(connection, tier=tier, scope=_scope(scope_units))


def unit_list(tier: str | None = None) -> pd.DataFrame:
    return _unit_list(version(), reader_units(), tier)


@st.cache_data(show_spinner=False, max_entries=8)
def _quality(v: str, scope_units: Units) -> pd.DataFrame:
    with reading() as connection:
        return compute.quality(connection, scope=_scope(scope_units))


def quality() -> pd.DataFrame:
    return _quality(version(), reader_units())


@st.cache_data(show_spinner=False, max_entries=8)
def _import_history(v: str, scope_units: Units) -> pd.DataFrame:
    with reading() as connection:
        return compute.import_history(connection, scope=_scope(scope_units))


def import_history() -> pd.DataFrame:
    return _import_history(version(), reader_units())


@st.cache_data(show_spinner=False, max_entries=8)
def _quarantine_rows(v: str, scope_units: Units, limit: int) -> pd.DataFrame:
    with reading() as connection:
        return compute.quarantine_rows(connection, limit=limit, scope=_scope(scope_units))


def quarantine_rows(limit: int = 1000) -> pd.DataFrame:
    return _quarantine_rows(version(), reader_units(), limit)


@st.cache_data(show_spinner=False, max_entries=8)
def _targets_in_force(v: str, on_date: dt.date) -> pd.DataFrame:
    with reading() as connection:
        return compute.targets_in_force(connection, on_date)


def targets_in_force(on_date: dt.date) -> pd.DataFrame:
    return _targets_in_force(version(), on_date)


def import_file(path: str, display_name: str | None = None):
    """Import one uploaded file through the engine's importer (the same one as the CLI),
    holding the file alone: this process's queries wait, a CLI import waits or is waited
    for (a bounded time, then db.DatabaseBusy)."""
    from metrics import ingest

    holding = getattr(_run, "holding", False)
    release_run()  # the writer waits for every reader, this run's own included
    try:
        with shared().writing() as connection:
            return ingest.import_file(connection, path, display_name=display_name)
    finally:
        begin_run()  # the version changed: the rest of this run must not reuse the old key
        _run.holding = holding


# ------------------------------------------------------------------ ahead of the clock (issue 13)


@st.cache_data(show_spinner=False, max_entries=32)
def _due_soon(v: str, scope_units: Units, days: int, tier: str | None, unit: str | None, units: str) -> pd.DataFrame:
    with reading() as connection:
        return compute.due_soon(connection, days=days, tier=tier, unit=unit, units=units, scope=_scope(scope_units))


def due_soon(
    days: int = compute.DUE_SOON_DAYS,
    tier: str | None = None,
    unit: str | None = None,
    units: str = registry.UNITS_AS_WAS,
) -> pd.DataFrame:
    """Open dossiers due within `days` working days of their unit's data date (a short list)."""
    return _due_soon(version(), reader_units(), days, tier, unit, units)


@st.cache_data(show_spinner=False, max_entries=32)
def _budget(v: str, scope_units: Units, date_from: dt.date, date_to: dt.date, args: tuple) -> pd.DataFrame:
    with reading() as connection:
        return compute.budget(connection, date_from, date_to, scope=_scope(scope_units), **dict(args))


def budget(date_from: dt.date, date_to: dt.date, **kwargs: Any) -> pd.DataFrame:
    """compute.budget, cached on the data version."""
    return _budget(version(), reader_units(), date_from, date_to, tuple(sorted(kwargs.items())))


@st.cache_data(show_spinner=False, max_entries=32)
def _score766(v: str, scope_units: Units, date_from: dt.date, date_to: dt.date, args: tuple) -> pd.DataFrame:
    with reading() as connection:
        return compute.score766(connection, date_from, date_to, scope=_scope(scope_units), **dict(args))


def score766(date_from: dt.date, date_to: dt.date, **kwargs: Any) -> pd.DataFrame:
    """compute.score766, cached on the data version."""
    return _score766(version(), reader_units(), date_from, date_to, tuple(sorted(kwargs.items())))


@st.cache_data(show_spinner=False, max_entries=32)
def _official_scores(v: str, scope_units: Units, unit: str | None) -> pd.DataFrame:
    from metrics import scores

    with reading() as connection:
        frame = scores.official(connection, unit)
    if scope_units is not None and "unit_code" in frame:
        # a unit user sees the official scores of their own units and the province's
        frame = frame[frame["unit_code"].isna() | frame["unit_code"].isin(scope_units)]
    return frame


def official_scores(unit: str | None = None) -> pd.DataFrame:
    """The imported official scores in force (metrics.scores.official)."""
    return _official_scores(version(), reader_units(), unit)


def _freeze(filters: dict[str, Any]) -> tuple:
    return tuple(sorted((k, v) for k, v in filters.items() if v is not None and v != ""))
