"""CSV (and tab-separated "Unicode text") exports: the header is found in Python on the
first lines, the rows are read by DuckDB's CSV reader, which streams."""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import tempfile
from pathlib import Path

import duckdb

from metrics.readers import asof
from metrics.readers.detect import binary, bom_encoding
from metrics.readers.table import HEADER_SCAN_ROWS, Part, RawTable, find_header, flags, register_relation

SNIFF_BYTES = 1 << 20
# Control characters besides tab and line breaks: text that has them is not a table.
_MAX_CONTROL_SHARE = 0.01


def guess_encoding(path: Path) -> str:
    """The byte-order mark's encoding; else 'utf-8' unless the first megabyte is not
    UTF-8, then Windows-1258. A bad byte further down shows up as a DuckDB error, and
    the importer retries with Windows-1258 (ingest._import)."""
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    bom = bom_encoding(head)
    if bom:
        return bom
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1258"
    return "utf-8"


def _transcode_to_utf8(path: Path, encoding: str, name: str) -> Path:
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="cchc-")
    try:
        with open(path, encoding=encoding, newline="") as src, os.fdopen(fd, "w", encoding="utf-8", newline="") as dst:
            while chunk := src.read(SNIFF_BYTES):
                dst.write(chunk)
    except UnicodeDecodeError as exc:  # a byte the code page does not define: not text
        Path(tmp).unlink(missing_ok=True)
        raise binary(name) from exc
    return Path(tmp)


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:HEADER_SCAN_ROWS] if ln.strip()]
    best, best_score = ",", -1
    for delim in (";", ",", "\t", "|"):
        score = max((ln.count(delim) for ln in lines), default=0)
        if score > best_score:
            best, best_score = delim, score
    return best


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _looks_like_text(text: str) -> bool:
    return len(_CONTROL.findall(text)) <= _MAX_CONTROL_SHARE * max(len(text), 1)


def read_csv(
    con: duckdb.DuckDBPyConnection, path: Path, name: str, encoding: str | None = None, parallel: bool = True
) -> RawTable:
    encoding = encoding or guess_encoding(path)
    cleanup: list[Path] = []
    source = path
    if encoding not in ("utf-8",):
        source = _transcode_to_utf8(path, encoding, name)
        cleanup.append(source)
    try:
        with open(source, encoding="utf-8-sig", newline="") as fh:
            head = fh.read(SNIFF_BYTES)
        if not _looks_like_text(head):
            raise binary(name)
        delim = _sniff_delimiter(head)
        head_lines = head.splitlines(keepends=True)[:HEADER_SCAN_ROWS]
        head_rows = list(csv.reader(io.StringIO("".join(head_lines)), delimiter=delim))
        header_idx, mapped, names, ignored = find_header(head_rows, name)
        # Skip physical lines, not parsed rows, so a quoted newline in a title cell
        # cannot shift the data.
        rdr = csv.reader(io.StringIO("".join(head_lines)), delimiter=delim)
        for _ in range(header_idx + 1):
            next(rdr)
        skip_lines = rdr.line_num
    except (csv.Error, UnicodeDecodeError) as exc:
        for f in cleanup:
            f.unlink(missing_ok=True)
        raise binary(name) from exc
    except BaseException:
        for f in cleanup:
            f.unlink(missing_ok=True)
        raise
    width = max(len(head_rows[header_idx]), max(mapped.values()) + 1)
    columns = {f"c{i}": "VARCHAR" for i in range(width)}
    # An empty field reads as '' and only a field the row lacks as NULL (nullstr is a
    # character no export holds): a row cut short (a truncated file) is then seen, and
    # quarantined instead of overwriting good values with nothing.
    relation = con.sql(
        "SELECT * FROM read_csv(?, delim=?, header=false, skip=?, all_varchar=true, "
        "null_padding=true, quote='\"', escape='\"', strict_mode=false, nullstr='\x1f', "
        "auto_detect=false, columns=?, parallel=?)",
        params=[str(source), delim, skip_lines, columns, parallel],
    )
    register_relation(con, relation, mapped, short_rows=True)
    # rows: counted by the importer in SQL, so the file is not read twice
    part = Part("CSV", skip_lines, 0, names, ignored, flags(mapped)["status_inferred"])
    part.as_of = asof.from_cells(head_rows[:header_idx])
    fmt = "csv" if encoding == "utf-8" else f"csv-{encoding}"
    return RawTable(fmt, skip_lines + 1, [part], cleanup=cleanup)
