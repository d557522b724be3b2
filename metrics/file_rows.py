"""Where each stored dossier is in its file (`source_row`, cited by quarantine and the
import report), now that DuckDB reads a CSV file on several threads: a bound on the
file's rows read beside its hash, the check that the INSERT keeps file order, and the
numbering of the stored rows from their order in `dossiers` (sql/source_row.sql).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from metrics.readers import RawTable

SOURCE_ROW_SQL = Path(__file__).with_name("sql") / "source_row.sql"


@dataclass
class Scan:
    content_hash: str  # ingest_report.file_hash of the file
    lines: int  # at least its number of lines: an upper bound on its CSV rows


def scan(path: Path) -> Scan:
    """The file's hash and a bound on its lines, read once. A CSV file has no more
    rows than lines; when every line under the header became a dossier, the importer
    knows without reading the file again that none was skipped or quarantined. Line
    ends are counted as LF plus CR minus CRLF, so a CRLF split between two blocks
    or an LF byte inside a UTF-16 character can only raise the bound. The bytes are
    counted by numpy: bytes.count took more CPU than the hash (0,6 s at 1M rows), and
    only a block with a CR (memchr) counts CRs."""
    digest = hashlib.sha256()
    lines = 0
    last = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 22):
            digest.update(chunk)
            lines += _line_ends(chunk)
            last = chunk
    if last and last[-1:] not in (b"\n", b"\r"):
        lines += 1  # a last line without a line end
    return Scan(digest.hexdigest(), lines)


def _line_ends(chunk: bytes) -> int:
    """LF plus CR minus CRLF in one block."""
    octets = np.frombuffer(chunk, dtype=np.uint8)
    lf = octets == 10
    ends = int(np.count_nonzero(lf))
    if b"\r" in chunk:
        cr = octets == 13
        ends += int(np.count_nonzero(cr)) - int(np.count_nonzero(cr[:-1] & lf[1:]))
    return ends


def inserts_in_file_order(con: duckdb.DuckDBPyConnection, insert: str, params: dict[str, object]) -> bool:
    """DuckDB plans the INSERT as a batch insert, which stores the rows of a parallel
    read in file order. It may plan a parallel insert that does not, though
    preserve_insertion_order is on: a long IN list in a macro, rewritten into a
    join, did (tests/unit/test_ingest_file_order.py). One thread also plans a plain
    insert. Then the rows are numbered as they stream instead (ingest._normalise_sql)."""
    row = con.execute("EXPLAIN (FORMAT json) " + insert, params).fetchone()
    assert row is not None
    return bool(json.loads(row[1])[0]["name"] == "BATCH_INSERT")


def number_rows(con: duckdb.DuckDBPyConnection, raw: RawTable, import_id: int, rest: bool) -> None:
    """Give the dossiers stored without their file row (source_row 0: CSV, see
    ingest._normalise_sql) that row, from their order in `dossiers`: file order, as the
    insert preserves insertion order. The rows of one INSERT in a transaction get
    consecutive rowids in that order; checked here, since a wrong source_row would
    send a user to the wrong line of the file. `rest`: some rows were not stored
    and `_rest` holds their rows (source_row.sql); else the k-th stored row is
    the file's k-th row under the header."""
    first_rowid, last_rowid, stored, unnumbered = con.execute(
        "SELECT min(rowid), max(rowid), count(*), count(*) FILTER (source_row = 0) FROM dossiers WHERE import_id = ?",
        [import_id],
    ).fetchone() or (None, None, 0, 0)
    if unnumbered == 0:
        return  # its reader numbered every row (a sheet, a JSON list)
    if unnumbered != stored or last_rowid - first_rowid + 1 != stored:
        raise RuntimeError(f"import {import_id}: stored rows not consecutive in file order; source_row unknown")
    values = {"import_id": import_id, "first_row": raw.first_row, "first_rowid": first_rowid}
    if rest:
        con.execute(SOURCE_ROW_SQL.read_text(encoding="utf-8"), values)
    else:
        con.execute(
            "UPDATE dossiers SET source_row = CAST(rowid - $first_rowid + $first_row AS INTEGER) "
            "WHERE import_id = $import_id",
            values,
        )
