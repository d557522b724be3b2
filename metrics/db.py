"""Opening the DuckDB file: where it lives, its schema, the limits that keep a
10M-dossier import inside a few GB of memory, and how processes take turns with it.

Why the turns: DuckDB lets one process at a time write a file, and while any process
holds it open (even read-only) no other process can write it. So the CLI (a nightly
import) waits a bounded time for the file, then says in Vietnamese why it cannot, and
the dashboard holds the file only while a query runs (`Shared`), never between reruns.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

# The engine itself, without the `duckdb` package's Python layer: `import duckdb`
# runs ~90 ms of CPU in its relation and expression builders and version lookup
# (python -X importtime, DuckDB 2.0.1), which opening a file and running SQL never
# use, and every CLI call would pay it. `duckdb` re-exports these very classes from
# _duckdb (duckdb.Error is _duckdb.Error), so callers may catch either name.
import _duckdb

from metrics import reference
from metrics.paths import db_path

if TYPE_CHECKING:
    import duckdb

SCHEMA_SQL = Path(__file__).with_name("schema.sql")

# DuckDB spills to disk past this (queries; an import runs under ingest.IMPORT_MEMORY_LIMIT).
MEMORY_LIMIT = os.environ.get("CCHC_MEMORY_LIMIT", "2GB")


def lock_wait() -> float:
    """Seconds an import waits for the file held by another process (CCHC_LOCK_WAIT)."""
    return float(os.environ.get("CCHC_LOCK_WAIT", "120"))


def read_wait() -> float:
    """Seconds a page load waits for an import to finish (CCHC_READ_WAIT)."""
    return float(os.environ.get("CCHC_READ_WAIT", "30"))


class DatabaseBusy(Exception):
    """Another process kept the file past the wait. The messages name no path: they may
    reach a dashboard reader."""

    def __init__(self, waited: float) -> None:
        self.message_vi = (
            f"Cơ sở dữ liệu đang được một tiến trình khác sử dụng (một lượt nhập dữ liệu hoặc bảng điều khiển) "
            f"và chưa được giải phóng sau {waited:g} giây. Không có gì được ghi. Hãy chạy lại sau ít phút, "
            f"hoặc tăng thời gian chờ bằng --wait / CCHC_LOCK_WAIT."
        )
        self.message_en = (
            f"The database is in use by another process (an import or the dashboard) and was not released "
            f"within {waited:g} seconds. Nothing was written. Run again in a few minutes, or wait longer "
            f"with --wait / CCHC_LOCK_WAIT."
        )
        super().__init__(self.message_en)


def _held_elsewhere(exc: _duckdb.Error) -> bool:
    """Another process holds the file, or this process holds it in the other mode
    (read-only vs read-write): both pass when the holder lets go."""
    text = str(exc).lower()
    return (isinstance(exc, _duckdb.IOException) and "lock" in text) or "different configuration" in text


def _open(target: Path, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, retried for `wait` seconds while another process holds the file."""
    deadline = time.monotonic() + wait
    pause = 0.05
    while True:
        try:
            con = _duckdb.connect(str(target), read_only=read_only)
            break
        except _duckdb.Error as exc:
            if not _held_elsewhere(exc):
                raise
            left = deadline - time.monotonic()
            if left <= 0:
                raise DatabaseBusy(wait) from None
            time.sleep(min(pause, left))
            pause = min(pause * 2, 0.5)
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    return con


def connect(
    path: str | os.PathLike[str] | None = None,
    read_only: bool = False,
    strict: bool = True,
    wait: float | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open (and on first use create) the database with the schema in place and the
    reference data in step with its files (reference.py). While another process holds
    the file, retry for `wait` seconds (default lock_wait()), then raise DatabaseBusy.

    A reference file that breaks a rule raises ReferenceDataError when `strict` (the
    CLI exits 2); otherwise the error is kept in `reference.problem` and the last good
    copy stays in use (the dashboard shows it). A read-only connection cannot write,
    so when a file changed, or the database was written by an older schema, it first
    syncs through a short read-write connection; if another process holds the writer,
    it reads the last synced copy."""
    target = db_path(path)
    if read_only and not target.exists():
        read_only = False  # nothing to protect yet: create the empty schema
    target.parent.mkdir(parents=True, exist_ok=True)
    waited = lock_wait() if wait is None else wait
    con = _open(target, read_only, waited)
    if read_only:
        if not _needs_sync(con):
            return con
        con.close()
        try:
            _sync(_prepare(_open(target, False, 0)), strict).close()
        except (_duckdb.IOException, DatabaseBusy):
            pass  # another process is writing; it keeps the reference data in step
        return _open(target, True, waited)
    return _sync(_prepare(con), strict)


def _needs_sync(con: duckdb.DuckDBPyConnection) -> bool:
    """A read-only connection to a file written by another version of the schema (a
    view or macro the queries need may be missing) or with stale reference data."""
    try:
        row = con.execute("SELECT digest FROM schema_version").fetchone()
        return row is None or row[0] != _schema_digest() or reference.stale(con)
    except _duckdb.CatalogException:  # a database from before schema_version existed
        return True


@functools.cache
def _schema_digest() -> str:
    return hashlib.sha256(SCHEMA_SQL.read_bytes()).hexdigest()[:16]


def _prepare(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    # which schema the file now has: read-only connections check it (_needs_sync)
    con.execute("CREATE OR REPLACE TABLE schema_version AS SELECT ?::VARCHAR AS digest", [_schema_digest()])
    return con


def _sync(con: duckdb.DuckDBPyConnection, strict: bool) -> duckdb.DuckDBPyConnection:
    try:
        reference.sync(con)
        reference.problem = None
    except reference.ReferenceDataError as exc:
        reference.problem = exc
        if strict:
            con.close()
            raise
    return con


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """Changes whenever an import lands or reference data changes: the cache key for the UI."""
    row = con.execute("SELECT coalesce(max(import_id), 0), count(*) FROM imports").fetchone()
    assert row is not None  # an aggregate without GROUP BY always returns a row
    return f"{row[0]}-{row[1]}-{reference.version(con)}"


class Shared:
    """A long-running process's access to the file (the dashboard): queries share one
    read-only connection, opened by the first and closed by the last, so between reruns
    the file is free for a CLI import; an in-process writer (an upload) waits for the
    readers, holds the file alone, and is let in before readers that come after it.

    The schema and the reference data are brought up to date once per process, by a
    short read-write open, unless the process is a read-only deployment."""

    def __init__(self, path: str | os.PathLike[str] | None, read_only: bool = False) -> None:
        self.path = db_path(path)
        self.read_only = read_only
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0
        self._con: duckdb.DuckDBPyConnection | None = None
        self._prepared = read_only

    @contextmanager
    def reading(self, wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """The shared connection for the length of one query (take a cursor from it)."""
        waited = read_wait() if wait is None else wait
        with self._cond:
            if not self._cond.wait_for(lambda: not self._writing and not self._writers_waiting, timeout=waited):
                raise DatabaseBusy(waited)
            if self._con is None:
                if not self._prepared:
                    connect(self.path, read_only=False, strict=False, wait=waited).close()
                    self._prepared = True
                self._con = connect(self.path, read_only=True, strict=False, wait=waited)
            self._readers += 1
            con = self._con
        try:
            yield con
        finally:
            with self._cond:
                self._readers -= 1
                if self._readers == 0 and self._con is not None:
                    self._con.close()  # frees the file for other processes (and the cursors with it)
                    self._con = None
                self._cond.notify_all()

    @contextmanager
    def writing(self, wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection of its own, once no query of this process runs."""
        waited = lock_wait() if wait is None else wait
        with self._cond:
            self._writers_waiting += 1
            try:
                free = self._cond.wait_for(lambda: not self._writing and self._readers == 0, timeout=waited)
            finally:
                self._writers_waiting -= 1
            if not free:
                self._cond.notify_all()
                raise DatabaseBusy(waited)
            self._writing = True
        try:
            con = connect(self.path, read_only=False, strict=False, wait=waited)
            try:
                yield con
            finally:
                con.close()
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()
