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

from metrics import ingest_report, scores
from metrics.ingest_macros import RULES_VERSION, macros
from metrics.ingest_report import ImportSummary, file_hash
from metrics.readers import RawTable, UnreadableFile, no_rows, read

SQL_DIR = Path(__file__).with_name("sql")
SORT_CLAUSE = "ORDER BY r.received_v"  # store.sql: dossiers are stored in receipt order
SORT_ROW_LIMIT = 2_000_000

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
    # and DuckDB both release the GIL) and is checked before anything is written.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        hashing = pool.submit(file_hash, path)
        return _import(con, path, name, hashing, started)


def _import(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    name: str,
    hashing: concurrent.futures.Future[str],
    started: float,
) -> ImportSummary:
    con.execute(macros())
    con.execute("SET preserve_insertion_order = true")  # source_row follows the file
    raw = None
    try:
        try:
            raw = _read_and_normalise(con, path, name)
        except duckdb.Error as exc:
            raise _unreadable_from_db_error(name, exc) from exc
        counts = con.execute("SELECT count(*), count(*) FILTER (is_noise) FROM _staged").fetchone()
        assert counts is not None  # count(*) always returns a row
        rows_read, rows_skipped = counts
        if rows_read - rows_skipped == 0:
            raise no_rows(name)
        content_hash = hashing.result()
        if _already_imported(con, content_hash):
            return ImportSummary(file_name=name, already_imported=True)
        summary = ImportSummary(
            file_name=name,
            file_format=raw.file_format,
            rows_read=rows_read,
            rows_skipped=rows_skipped,
            columns_dropped=raw.dropped,
        )
        _store(con, name, content_hash, summary, started, raw)
        return summary
    finally:
        con.execute("SET preserve_insertion_order = false")
        _drop_temp(con)
        if raw:
            for f in raw.cleanup:
                f.unlink(missing_ok=True)


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


def _read_and_normalise(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> RawTable:
    raw = read(con, path, name)
    try:
        _normalise(con, raw)
    except duckdb.Error as exc:
        message = str(exc).lower()
        if not raw.file_format.startswith("csv") or not ("unicode" in message or "parallel" in message):
            raise
        # UTF-8 at the top but Windows-1258 further down, or a quoted cell spanning
        # lines (which DuckDB's parallel reader cannot split): read it again.
        encoding = "cp1258" if "unicode" in message else None
        for tmp in raw.cleanup:
            tmp.unlink(missing_ok=True)
        raw = read(con, path, name, encoding=encoding, parallel="parallel" not in message)
        _normalise(con, raw)
    return raw


def _normalise(con: duckdb.DuckDBPyConnection, raw: RawTable) -> None:
    create_parsed, create_staged = _statements((SQL_DIR / "normalize.sql").read_text(encoding="utf-8"))
    con.execute("SET disabled_optimizers = 'common_subexpressions'")
    try:
        con.execute(create_parsed)
    finally:
        con.execute("RESET disabled_optimizers")
    # a view cannot hold parameters: the first row number is an integer we computed
    con.execute(create_staged.replace("$first_row", str(int(raw.first_row))))


def _drop_temp(con: duckdb.DuckDBPyConnection) -> None:
    for name, kind in con.execute(
        "SELECT table_name, table_type FROM information_schema.tables "
        "WHERE table_catalog = 'temp' AND table_name IN ('_raw', '_parsed', '_staged', '_ok', '_accepted', '_source', '_superseded')"
    ).fetchall():
        con.execute(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} IF EXISTS {name}")


def _store(
    con: duckdb.DuckDBPyConnection,
    name: str,
    content_hash: str,
    summary: ImportSummary,
    started: float,
    raw: RawTable,
) -> None:
    con.execute("BEGIN TRANSACTION")
    try:
        import_id = _scalar(con, "SELECT coalesce(max(import_id), 0) + 1 FROM imports")
        create_ok, create_deduped = _statements((SQL_DIR / "accepted.sql").read_text(encoding="utf-8"))
        con.execute(create_ok)
        if _scalar(con, "SELECT count(*) > count(DISTINCT dossier_code) FROM _ok"):
            con.execute(create_deduped)
        else:
            con.execute("CREATE OR REPLACE TEMP VIEW _accepted AS SELECT * FROM _ok")
        store_sql = (SQL_DIR / "store.sql").read_text(encoding="utf-8")
        if summary.rows_read > SORT_ROW_LIMIT:
            # Past a few million rows the sort spills to disk and doubles the import;
            # such bulk exports come in date order already, so file order is kept.
            store_sql = store_sql.replace(SORT_CLAUSE, "")
        for statement in _statements(store_sql):
            values = {"import_id": import_id, "file_name": name, "as_of": raw.as_of}
            params = {k: v for k, v in values.items() if f"${k}" in statement}
            con.execute(statement, params or None)
        accepted_rows = _scalar(con, "SELECT count(*) FROM _accepted")
        summary.rows_superseded = _scalar(con, "SELECT count(*) FROM _superseded")
        summary.rows_quarantined = _scalar(con, "SELECT count(*) FROM quarantine WHERE import_id = ?", [import_id])
        summary.import_id = import_id
        summary.rows_accepted = accepted_rows - summary.rows_superseded
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
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> Any:
    """The one value of an aggregate query (which always returns a row)."""
    row = con.execute(sql, params).fetchone()
    assert row is not None
    return row[0]


def _statements(sql: str) -> list[str]:
    """Split a .sql file on the semicolons that end its statements."""
    return [s.strip() for s in sql.split(";\n") if s.strip() and not _only_comments(s)]


def _only_comments(s: str) -> bool:
    return all(not ln.strip() or ln.strip().startswith("--") for ln in s.splitlines())
