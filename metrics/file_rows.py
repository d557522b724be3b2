"""Where each stored dossier is in its file (`source_row`, cited by quarantine and the
import report), now that DuckDB reads a CSV file on several threads: a bound on the
file's rows read beside its hash, the check that the INSERT keeps file order, and the
numbering of the stored rows from their order in `dossiers` (sql/source_row.sql).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from metrics.readers import RawTable

SOURCE_ROW_SQL = Path(__file__).with_name("sql") / "source_row.sql"
BLOCK = 1 << 22  # bytes read at a time


@dataclass
class Scan:
    content_hash: str  # file_hash of the file
    lines: int  # at least its number of lines: an upper bound on its CSV rows


def blocks(path: Path) -> Iterator[bytes]:
    """The file's bytes, a block at a time."""
    with open(path, "rb") as fh:
        while chunk := fh.read(BLOCK):
            yield chunk


def file_hash(path: Path) -> str:
    """The file's content hash (imports.content_hash): what "the same file" means."""
    digest = hashlib.sha256()
    for chunk in blocks(path):
        digest.update(chunk)
    return digest.hexdigest()


def scan(path: Path) -> Scan:
    """The file's hash (file_hash) and a bound on its lines, read once. A CSV file has
    no more rows than lines; when every line under the header became a dossier, the
    importer knows without reading the file again that none was skipped, quarantined
    or empty. Line ends are counted as LF plus CR minus CRLF, so a CRLF split between
    two blocks or an LF byte inside a UTF-16 character can only raise the bound. The
    bytes are counted by numpy (bytes.count took more CPU than the hash); only a block
    with a CR counts CRs. The blocks are read into one buffer: allocating a new 4 MB
    bytes object per block cost a fifth of the scan (0,07 s per million rows)."""
    digest = hashlib.sha256()
    lines = 0
    last = b"\n"  # the file's last byte (an empty file has no line)
    buffer = bytearray(BLOCK)
    with open(path, "rb", buffering=0) as fh:
        while size := fh.readinto(buffer):
            chunk = memoryview(buffer)[:size]
            digest.update(chunk)
            octets = np.frombuffer(buffer, dtype=np.uint8, count=size)
            lf = octets == 10
            lines += int(np.count_nonzero(lf))
            if buffer.find(b"\r", 0, size) >= 0:
                cr = octets == 13
                lines += int(np.count_nonzero(cr)) - int(np.count_nonzero(cr[:-1] & lf[1:]))
            last = bytes(chunk[-1:])
    if last not in (b"\n", b"\r"):
        lines += 1  # a last line without a line end
    return Scan(digest.hexdigest(), lines)


def blank_lines(path: Path) -> list[int]:
    """The numbers (from 1) of the file's empty lines (LF or CRLF alone). Read only when
    fewer rows were stored than the file has lines (ingest._rows_not_stored): looking
    for them in every block cost more than counting the lines."""
    newlines = 0
    blanks: list[int] = []
    tail = b"\n"  # the bytes before the block: the file's first line starts after a line end
    for chunk in blocks(path):
        octets = np.frombuffer(chunk, dtype=np.uint8)
        lf = octets == 10
        # an empty line: an LF after an LF, or a CR after an LF (then its LF)
        edge = tail + chunk[:2]  # an empty line across the blocks' border
        blank = b"\n\n" in edge or b"\n\r\n" in edge or bool((lf[1:] & lf[:-1]).any())
        if b"\r" in chunk:
            blank = blank or bool((lf[:-1] & (octets[1:] == 13)).any())
        if blank:
            blanks += _blank_lines(tail + chunk, len(tail), newlines)
        newlines, tail = newlines + int(np.count_nonzero(lf)), (tail + chunk[-2:])[-2:]
    return blanks


def _blank_lines(joined: bytes, start: int, newlines: int) -> list[int]:
    """The numbers of the empty lines (LF or CRLF alone) whose LF is in joined[start:],
    the block after the bytes before it, `newlines` LFs into the file. Line n is the
    one its n-th LF ends."""
    octets = np.frombuffer(joined, dtype=np.uint8)
    lf = np.flatnonzero(octets[start:] == 10) + start
    before = octets[lf - 1]
    empty = (before == 10) | ((before == 13) & (octets[np.maximum(lf - 2, 0)] == 10))
    return (newlines + np.flatnonzero(empty) + 1).tolist()


def skipped_blank_lines(raw: RawTable, path: Path) -> list[int]:
    """The empty lines under the header of the CSV text DuckDB reads (`path`, or the
    UTF-8 copy a file in another encoding is read through), which its reader skips
    without a row: each one moves the rows below it a line further down the file than
    their count says (sql/file_lines.sql)."""
    if not raw.file_format.startswith("csv"):
        return []
    return [n for n in blank_lines(raw.cleanup[0] if raw.cleanup else path) if n >= raw.first_row]


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
