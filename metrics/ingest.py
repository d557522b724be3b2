"""Import one export file: read it, normalise every value in SQL, quarantine the
rows that cannot be read, and replace older versions of the same dossiers, all
in one transaction so that a failed or killed import leaves the database as it was.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

import duckdb

from metrics import db, file_rows, ingest_report, scores
from metrics.ingest_macros import RULES_VERSION, macros
from metrics.ingest_report import ImportSummary
from metrics.readers import RawTable, UnreadableFile, no_rows, read

SQL_DIR = Path(__file__).with_name("sql")
# DuckDB's common-subexpression pass would lift the fallback lookups of the macros
# (NFC, accent stripping, regexes) out of their coalesce/CASE, so that every value
# paid for them instead of only the values that miss. It is off for the whole import.
_OPTIMIZERS_OFF = "common_subexpressions"
# Filter pushdown is also off for the one INSERT (store.sql): it would copy the
# parsing into the filter that keeps readable rows (is_noise, reason_vi are made
# of every parsed value) and parse each value twice. It stays on elsewhere: it
# turns the joins of accepted.sql and source_row.sql into hash joins.
_OPTIMIZERS_OFF_STORE = "common_subexpressions,filter_pushdown"
# DuckDB's memory during an import: the rows stream through, but the check for a code
# stored twice holds every code of the table; past this it spills to disk, so the
# import's peak stays flat (about 0.8 GB) at 10M rows.
IMPORT_MEMORY_LIMIT = os.environ.get("CCHC_IMPORT_MEMORY_LIMIT", "512MB")
# The import's COMMIT checkpoints instead of writing the write-ahead log. The rows went
# to the database file as they streamed in, but numbering them (file_rows.number_rows)
# changes every row, and a logged commit then copies every row into the log: 634 MB
# and 1,8-2,2 s of CPU at 5M rows, then a checkpoint on closing all the same. Past this
# threshold DuckDB checkpoints at the commit and skips the log
# (auto_checkpoint_skip_wal_threshold), writing only the changed column: 0,1 s. A
# checkpoint killed half way leaves the file as it was, as a killed import must.
_CHECKPOINT_AT_COMMIT = "1KB"

__all__ = ["ImportSummary", "UnreadableFile", "import_file"]


def _unreadable_from_db_error(name: str, exc: duckdb.Error) -> UnreadableFile:
    return UnreadableFile(
        f"Không đọc được tệp «{name}»: nội dung không đúng định dạng bảng (CSV/Excel/JSON). "
        "Hãy xuất lại tệp từ hệ thống một cửa.",
        f"Cannot read '{name}': its content is not a table (CSV/Excel/JSON): {exc}",
    )


def import_file(
    con: duckdb.DuckDBPyConnection, path: str | os.PathLike[str], display_name: str | None = None
) -> ImportSummary:
    """Import one export. Raises UnreadableFile (nothing written) when the file
    cannot be read at all; bad rows go to quarantine and the rest is imported."""
    path = Path(path)
    name = display_name or path.name
    started = time.perf_counter()
    if not path.exists():
        raise UnreadableFile(
            f"Không tìm thấy tệp «{name}»: hãy kiểm tra lại đường dẫn.",
            f"File '{name}' not found: check the path.",
        )
    if scores.looks_like_scores(path):  # the portal's 766 table or an indices file (issue 13)
        return scores.import_scores(con, path, display_name=name)
    # Hashing a multi-GB export takes seconds: it runs beside the parsing (hashlib
    # and DuckDB both release the GIL) and is checked before anything is committed.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        scanning = pool.submit(file_rows.scan, path)
        return _import(con, path, name, scanning, started)


def _import(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    name: str,
    scanning: concurrent.futures.Future[file_rows.Scan],
    started: float,
) -> ImportSummary:
    con.execute(macros())
    con.execute("SET preserve_insertion_order = true")  # source_row follows the file
    con.execute(f"SET memory_limit = '{IMPORT_MEMORY_LIMIT}'")
    con.execute(f"SET disabled_optimizers = '{_OPTIMIZERS_OFF}'")
    (wal_threshold,) = con.execute("SELECT current_setting('wal_autocheckpoint')").fetchone() or ("16MB",)
    con.execute(f"SET wal_autocheckpoint = '{_CHECKPOINT_AT_COMMIT}'")  # the database's, not the connection's
    raw = None
    try:
        raw = _read(con, path, name)
        try:
            return _store(con, path, name, scanning, started, raw)
        except _Retry as retry:
            # UTF-8 at the top but Windows-1258 further down, or a quoted cell spanning
            # lines (which DuckDB's parallel reader cannot split): read it again.
            for tmp in raw.cleanup:
                tmp.unlink(missing_ok=True)
            raw = _read(con, path, name, encoding=retry.encoding, parallel=retry.parallel)
            try:
                return _store(con, path, name, scanning, started, raw)
            except _Retry as again:
                raise _unreadable_from_db_error(name, again.error) from again.error
    finally:
        con.execute("RESET disabled_optimizers")
        con.execute(f"SET wal_autocheckpoint = '{wal_threshold}'")
        con.execute(f"SET memory_limit = '{db.MEMORY_LIMIT}'")  # every connection's (db._open)
        con.execute("SET preserve_insertion_order = false")
        _drop_temp(con)
        if raw:
            for f in raw.cleanup:
                f.unlink(missing_ok=True)


class _Retry(Exception):
    """Reading the CSV failed in a way another read may not: see _import."""

    def __init__(self, error: duckdb.Error, encoding: str | None, parallel: bool):
        super().__init__(str(error))
        self.error, self.encoding, self.parallel = error, encoding, parallel


def _read(
    con: duckdb.DuckDBPyConnection, path: Path, name: str, encoding: str | None = None, parallel: bool = True
) -> RawTable:
    try:
        raw = read(con, path, name, encoding=encoding, parallel=parallel)
    except duckdb.Error as exc:
        raise _unreadable_from_db_error(name, exc) from exc
    return raw


_CREATE_STAGED = "CREATE OR REPLACE TEMP VIEW _staged AS\n"


def _normalise_sql(raw: RawTable, numbered: bool) -> str:
    """`_staged` (normalize.sql). A row without the file row its reader gave (CSV)
    gets it from the file's count when `numbered` (one thread: the rows not stored),
    else 0, numbered once stored (file_rows.number_rows). A view cannot hold parameters: the
    first row number is an integer we computed."""
    (create_staged,) = _statements((SQL_DIR / "normalize.sql").read_text(encoding="utf-8"))
    count = f"row_number() OVER () + {int(raw.first_row) - 1}" if numbered else "0"
    return create_staged.replace("$row_number", count)


def _store_sql(raw: RawTable, numbered: bool) -> str:
    """store.sql reading `_staged`'s query in place of the view: a view is planned when
    it is created and again inside every statement that reads it, and planning the
    expanded macros is most of a small file's import (a third of a 1 000-row file's
    CPU). The view is created only for the quarantine pass."""
    (insert,) = _statements((SQL_DIR / "store.sql").read_text(encoding="utf-8"))
    view = _normalise_sql(raw, numbered)
    assert view.count(_CREATE_STAGED) == 1 and insert.count("FROM _staged ") == 1
    query = view.split(_CREATE_STAGED)[1]
    return insert.replace("FROM _staged ", "FROM (\n" + query + "\n) AS _staged ")


def _reading_error(exc: duckdb.Error, raw: RawTable, name: str) -> Exception:
    """A DuckDB error while the file's rows stream in: one the CSV reader may not hit
    on a second read (see _import), else the file cannot be read."""
    message = str(exc).lower()
    if raw.file_format.startswith("csv") and ("unicode" in message or "parallel" in message):
        return _Retry(exc, "cp1258" if "unicode" in message else None, "parallel" not in message)
    return _unreadable_from_db_error(name, exc)


def _all_rows_stored(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    raw: RawTable,
    stored: int,
    scanning: concurrent.futures.Future[file_rows.Scan],
) -> tuple[bool, list[int]]:
    """Whether every row of the file became a dossier, so it needs no second read for
    the rows that did not, and (CSV) the empty lines under the header, which DuckDB's
    reader skips without a row (file_rows.skipped_blank_lines). A CSV file is not
    counted again: when as many rows were stored as it has lines under its header,
    every one of them was a row; only otherwise are its empty lines looked for (a
    second read of the bytes). The other readers' tables are in memory and cheap to
    count."""
    if not raw.file_format.startswith("csv"):
        return bool(stored == _scalar(con, "SELECT count(*) FROM _raw")), []
    lines = scanning.result().lines - (raw.first_row - 1)
    if stored == lines:
        return True, []
    blanks = file_rows.skipped_blank_lines(raw, path)
    return stored == lines - len(blanks), blanks


def _stage_rows_not_stored(con: duckdb.DuckDBPyConnection, raw: RawTable, import_id: int) -> None:
    """Point `_staged` at the rows that were not stored, numbered, for the quarantine
    pass. When they can be told by their row number, it parses only them (a report's
    title, total and signature lines), not every row again. Only one list of rows
    numbered by its reader has one row per number (the sheets of a workbook each
    count from their own first row). Else (CSV) it reads every row again, counting."""
    staged = _normalise_sql(raw, numbered=True)
    if raw.rows_numbered and len(raw.parts) == 1:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _raw_rest AS SELECT * FROM _raw "
            "WHERE _row NOT IN (SELECT source_row FROM dossiers WHERE import_id = ?)",
            [import_id],
        )
        assert staged.count("FROM _raw AS r\n") == 1  # normalize.sql reads `_raw` once
        staged = staged.replace("FROM _raw AS r\n", "FROM _raw_rest AS r\n")
    con.execute(staged)


def _already_imported(con: duckdb.DuckDBPyConnection, content_hash: str) -> bool:
    """The same content was imported under the same rules and the database still holds
    every dossier that import stored. Otherwise (new rules, or its rows were deleted or
    replaced since) importing it again restores what it says."""
    row = con.execute(
        "SELECT 1 FROM imports i WHERE content_hash = $h AND rules_version = $v "
        "AND i.rows_accepted = (SELECT count(*) FROM dossiers d WHERE d.import_id = i.import_id)",
        {"h": content_hash, "v": RULES_VERSION},
    ).fetchone()
    return row is not None


def _drop_temp(con: duckdb.DuckDBPyConnection) -> None:
    for name, kind in con.execute(
        "SELECT table_name, table_type FROM information_schema.tables "
        "WHERE table_catalog = 'temp' AND table_name IN ('_raw', '_raw_rest', '_staged', '_rest', '_ranked', '_source')"
    ).fetchall():
        con.execute(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} IF EXISTS {name}")


def _run(con: duckdb.DuckDBPyConnection, file: str, values: dict[str, object]) -> None:
    for statement in _statements((SQL_DIR / file).read_text(encoding="utf-8")):
        params = {k: v for k, v in values.items() if f"${k}" in statement}
        con.execute(statement, params or None)


def _store(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    name: str,
    scanning: concurrent.futures.Future[file_rows.Scan],
    started: float,
    raw: RawTable,
) -> ImportSummary:
    """The file's rows into `dossiers` in one transaction: streamed in (store.sql),
    then, only when needed, the rows not stored read again (quarantine.sql) and the
    dossiers that are there twice resolved (accepted.sql)."""
    con.execute("BEGIN TRANSACTION")
    try:
        import_id = _scalar(con, "SELECT coalesce(max(import_id), 0) + 1 FROM imports")
        values = {"import_id": import_id, "file_name": name, "as_of": raw.as_of}
        try:
            insert = _store_sql(raw, numbered=False)
            params = {k: v for k, v in values.items() if f"${k}" in insert}
            con.execute(f"SET disabled_optimizers = '{_OPTIMIZERS_OFF_STORE}'")
            if not file_rows.inserts_in_file_order(con, insert, params):
                insert = _store_sql(raw, numbered=True)  # numbered as they stream, on one thread
            stored = _scalar(con, insert, params)
            con.execute(f"SET disabled_optimizers = '{_OPTIMIZERS_OFF}'")
            rows_read, rows_skipped = stored, 0
            all_stored, blanks = _all_rows_stored(con, path, raw, stored, scanning)
            if not all_stored:
                # every row is either stored or one of these (normalize.sql)
                _stage_rows_not_stored(con, raw, import_id)
                _run(con, "quarantine.sql", values)
                rest, rows_skipped = con.execute(
                    "SELECT count(*), count(*) FILTER (is_noise) FROM _rest"
                ).fetchone() or (0, 0)
                rows_read = stored + rest
            file_rows.number_rows(con, raw, import_id, rest=not all_stored)
            if blanks:  # rows below an empty line of a CSV file: cited by their line
                _run(con, "file_lines.sql", {"import_id": import_id, "blanks": blanks})
        except duckdb.Error as exc:
            raise _reading_error(exc, raw, name) from exc
        if rows_read - rows_skipped == 0:
            raise no_rows(name)
        content_hash = scanning.result().content_hash
        if _already_imported(con, content_hash):
            con.execute("ROLLBACK")
            return ImportSummary(file_name=name, already_imported=True)
        summary = ImportSummary(
            file_name=name,
            file_format=raw.file_format,
            rows_read=rows_read,
            rows_skipped=rows_skipped,
            columns_dropped=raw.dropped,
        )
        within_file, superseded = 0, 0
        if _scalar(con, "SELECT count(*) > count(DISTINCT dossier_code) FROM dossiers"):
            _run(con, "accepted.sql", values)
            within_file, superseded = con.execute(
                "SELECT coalesce(count(*) FILTER (is_new) - count(DISTINCT dossier_code), 0), "
                "count(*) FILTER (rank = 1 AND NOT is_new) FROM _ranked"
            ).fetchone() or (0, 0)
        _run(con, "data_dates.sql", values)
        accepted_rows = stored - within_file  # the file's newest row of each dossier
        summary.rows_superseded = superseded
        summary.rows_quarantined = _scalar(con, "SELECT count(*) FROM quarantine WHERE import_id = ?", [import_id])
        summary.import_id = import_id
        summary.rows_accepted = accepted_rows - superseded
        summary.rows_duplicate = summary.rows_read - summary.rows_skipped - summary.rows_quarantined - accepted_rows
        summary.seconds = time.perf_counter() - started
        counts = {
            "read": summary.rows_read,
            "accepted": summary.rows_accepted,
            "quarantined": summary.rows_quarantined,
            "duplicate": summary.rows_duplicate,
            "superseded": summary.rows_superseded,
            "skipped": summary.rows_skipped,
        }
        summary.report = ingest_report.build(con, raw, name, import_id, counts)
        ingest_report.store(con, summary.report)
        con.execute(
            "INSERT INTO imports (import_id, file_name, content_hash, file_format, rows_read, rows_accepted, "
            "rows_quarantined, rows_duplicate, rows_skipped, columns_dropped, imported_at, seconds, "
            "rules_version, rows_superseded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                import_id,
                name,
                content_hash,
                summary.file_format,
                summary.rows_read,
                summary.rows_accepted,
                summary.rows_quarantined,
                summary.rows_duplicate,
                summary.rows_skipped,
                "; ".join(summary.columns_dropped),
                dt.datetime.now(),
                summary.seconds,
                RULES_VERSION,
                summary.rows_superseded,
            ],
        )
        con.execute("COMMIT")
        return summary
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | dict[str, object] | None = None) -> Any:
    """The one value of an aggregate query (which always returns a row)."""
    row = con.execute(sql, params).fetchone()
    assert row is not None
    return row[0]


def _statements(sql: str) -> list[str]:
    """Split a .sql file on the semicolons that end its statements."""
    return [s.strip() for s in sql.split(";\n") if s.strip() and not _only_comments(s)]


def _only_comments(s: str) -> bool:
    return all(not ln.strip() or ln.strip().startswith("--") for ln in s.splitlines())
