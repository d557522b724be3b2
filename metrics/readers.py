"""One reader per export format, each ending in the same raw table.

A reader finds the header row itself (report-shaped exports put titles above it),
maps vendor headers to canonical columns, leaves every other column out (personal
data never enters the database) and registers `_raw` in DuckDB: `source_row` plus
one VARCHAR column per canonical column. Parsing values is not its job: that
happens once, in SQL, for every format (sql/normalize.sql).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from metrics.record import CANONICAL_COLUMNS, canonical_column

HEADER_SCAN_ROWS = 40
SNIFF_BYTES = 1 << 20


class UnreadableFile(Exception):
    """A file that cannot be imported at all: nothing from it is written."""

    def __init__(self, message_vi: str, message_en: str):
        super().__init__(message_en)
        self.message_vi = message_vi
        self.message_en = message_en


@dataclass
class RawTable:
    file_format: str
    first_row: int  # the file row (1-based, as a person counts) of the first data row
    dropped: list[str] = field(default_factory=list)  # source headers not stored
    cleanup: list[Path] = field(default_factory=list)  # temporary files to remove


def _no_code_column(name: str) -> UnreadableFile:
    return UnreadableFile(
        f"Tệp «{name}» không có cột mã hồ sơ (Mã hồ sơ / Số hồ sơ / MaHoSo) trong "
        f"{HEADER_SCAN_ROWS} dòng đầu: hãy xuất lại danh sách hồ sơ có cột này.",
        f"File '{name}' has no dossier-code column (Mã hồ sơ / Số hồ sơ / MaHoSo) in its first "
        f"{HEADER_SCAN_ROWS} rows: export the dossier list again with that column.",
    )


def no_rows(name: str) -> UnreadableFile:
    return UnreadableFile(
        f"Tệp «{name}» không có dòng hồ sơ nào dưới dòng tiêu đề: hãy kiểm tra kỳ xuất dữ liệu.",
        f"File '{name}' has no dossier rows under its header: check the export's period.",
    )


def detect_format(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not head:
        raise UnreadableFile(
            f"Tệp «{path.name}» rỗng (0 byte): hãy xuất lại danh sách hồ sơ từ hệ thống một cửa.",
            f"File '{path.name}' is empty (0 bytes): export the dossier list again.",
        )
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith(b"PAR1"):
        return "parquet"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"[", b"{"):
        return "json"
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".parquet"):
        raise _not_spreadsheet(path.name)
    return "csv"


def _not_spreadsheet(name: str) -> UnreadableFile:
    return UnreadableFile(
        f"Không đọc được tệp «{name}»: tệp không phải bảng tính hợp lệ hoặc đã bị hỏng. "
        "Hãy mở tệp bằng Excel, lưu lại dạng .xlsx hoặc .csv rồi nhập lại.",
        f"Cannot read '{name}': it is not a valid spreadsheet or it is damaged. "
        "Open it in Excel, save it as .xlsx or .csv and import it again.",
    )


def _map_header(cells: Sequence[object]) -> tuple[dict[str, int], list[str]]:
    mapped: dict[str, int] = {}
    dropped: list[str] = []
    for i, cell in enumerate(cells):
        col = canonical_column(cell)
        if col and col not in mapped:
            mapped[col] = i
        elif cell is not None and str(cell).strip():
            dropped.append(" ".join(str(cell).split()))
    return mapped, dropped


def find_header(rows: Sequence[Sequence[object]], name: str) -> tuple[int, dict[str, int], list[str]]:
    """The first row, among the first rows, that names a dossier-code column and
    at least two other canonical columns. A two-level header (a merged group
    cell above sub-headers) is completed from the row below."""
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapped, dropped = _map_header(row)
        if "dossier_code" in mapped and len(mapped) >= 3:
            if i + 1 < len(rows):
                below, _ = _map_header(rows[i + 1])
                for col, pos in below.items():
                    if col not in mapped and (pos >= len(row) or not str(row[pos] or "").strip()):
                        mapped[col] = pos
            return i, mapped, dropped
    raise _no_code_column(name)


# ---------------------------------------------------------------- CSV


def _guess_encoding(path: Path) -> str:
    """'utf-8' (with or without BOM) unless the first megabyte is not UTF-8, then
    Windows-1258. A bad byte further down shows up as a DuckDB error, and the
    importer retries with Windows-1258 (import_file)."""
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1258"
    return "utf-8"


def _transcode_to_utf8(path: Path, encoding: str) -> Path:
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="cchc-")
    with open(path, encoding=encoding, newline="") as src, os.fdopen(fd, "w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(SNIFF_BYTES):
            dst.write(chunk)
    return Path(tmp)


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:HEADER_SCAN_ROWS] if ln.strip()]
    best, best_score = ",", -1
    for delim in (";", ",", "\t", "|"):
        score = max((ln.count(delim) for ln in lines), default=0)
        if score > best_score:
            best, best_score = delim, score
    return best


def read_csv(
    con: duckdb.DuckDBPyConnection, path: Path, name: str, encoding: str | None = None, parallel: bool = True
) -> RawTable:
    encoding = encoding or _guess_encoding(path)
    cleanup: list[Path] = []
    source = path
    if encoding != "utf-8":
        source = _transcode_to_utf8(path, encoding)
        cleanup.append(source)
    with open(source, encoding="utf-8-sig", newline="") as fh:
        head = fh.read(SNIFF_BYTES)
    delim = _sniff_delimiter(head)
    head_lines = head.splitlines(keepends=True)[:HEADER_SCAN_ROWS]
    head_rows = list(csv.reader(io.StringIO("".join(head_lines)), delimiter=delim))
    header_idx, mapped, dropped = find_header(head_rows, name)
    # Skip physical lines, not parsed rows, so a quoted newline in a title cell
    # cannot shift the data.
    rdr = csv.reader(io.StringIO("".join(head_lines)), delimiter=delim)
    for _ in range(header_idx + 1):
        next(rdr)
    skip_lines = rdr.line_num
    width = max(len(head_rows[header_idx]), max(mapped.values()) + 1)
    names = [f"c{i}" for i in range(width)]
    relation = con.sql(
        "SELECT * FROM read_csv(?, delim=?, header=false, skip=?, all_varchar=true, "
        "null_padding=true, quote='\"', escape='\"', strict_mode=false, "
        "auto_detect=false, columns=?, parallel=?)",
        params=[
            str(source),
            delim,
            skip_lines,
            {n: "VARCHAR" for n in names},
            parallel,
        ],
    )
    _register_raw(con, relation, mapped)
    return RawTable("csv" if encoding == "utf-8" else "csv-cp1258", skip_lines + 1, dropped, cleanup)


def _register_raw(con: duckdb.DuckDBPyConnection, relation: duckdb.DuckDBPyRelation, mapped: dict[str, int]) -> None:
    """Create the `_raw` view: one VARCHAR per canonical column, NULL for the
    columns this export lacks. It streams: normalisation reads it once."""
    con.register("_source", relation)
    cols = [f"c{mapped[c]} AS {c}" if c in mapped else f"CAST(NULL AS VARCHAR) AS {c}" for c in CANONICAL_COLUMNS]
    con.execute("CREATE OR REPLACE TEMP VIEW _raw AS SELECT " + ", ".join(cols) + " FROM _source")


# ---------------------------------------------------------------- Excel


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    text = str(value)
    return text if text != "" else None


def _column_text(values: Sequence[object]) -> pa.Array:
    """One sheet column as text. The cells of the column's main type (text, numbers
    or dates) are converted by Arrow in bulk; the few others (blanks among dates, a
    column-number cell, a total) one by one and put back in place."""
    kinds = Counter(map(type, values))
    main = kinds.most_common(1)[0][0]
    if len(kinds) == 1:
        bulk = pc.cast(pa.array(values), pa.string())
        odd: list[int] = []
    else:
        bulk = pc.cast(pa.array([v if type(v) is main else None for v in values]), pa.string())
        odd = [i for i, v in enumerate(values) if type(v) is not main]
    if main is str:  # calamine gives blank cells as ''
        bulk = pc.if_else(pc.equal(bulk, ""), pa.scalar(None, pa.string()), bulk)
    if not odd:
        return bulk
    mask = np.zeros(len(values), dtype=bool)
    mask[odd] = True
    return pc.replace_with_mask(bulk, pa.array(mask), pa.array([_cell_text(values[i]) for i in odd], type=pa.string()))


def read_excel(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> RawTable:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = book.sheet_names
    except Exception as exc:  # calamine raises its own types for every corruption
        raise _not_spreadsheet(name) from exc
    last_error: UnreadableFile | None = None
    for sheet in sheets:
        try:
            rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except Exception as exc:
            raise _not_spreadsheet(name) from exc
        try:
            header_idx, mapped, dropped = find_header(rows, name)
        except UnreadableFile as exc:
            last_error = exc
            continue
        data = rows[header_idx + 1 :]
        if not data:
            raise no_rows(name)
        width = max(map(len, data))
        columns = list(zip(*(r if len(r) == width else [*r, *[""] * (width - len(r))] for r in data), strict=True))
        table = pa.table({f"c{pos}": _column_text(columns[pos]) for pos in mapped.values()})
        _register_raw(con, con.from_arrow(table), mapped)
        return RawTable("xlsx", header_idx + 2, dropped)
    raise last_error or _no_code_column(name)


# ---------------------------------------------------------------- JSON


def read_json(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> RawTable:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            doc = json.load(fh)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UnreadableFile(
            f"Không đọc được tệp JSON «{name}»: nội dung không đúng cú pháp JSON (có thể tệp bị cắt "
            "giữa chừng). Hãy tải lại tệp từ hệ thống.",
            f"Cannot read JSON file '{name}': it is not valid JSON (it may be truncated). Download it again.",
        ) from exc
    if isinstance(doc, dict):  # {"data": [...]} and similar envelopes
        lists = [v for v in doc.values() if isinstance(v, list)]
        doc = lists[0] if lists else [doc]
    records = [r for r in doc if isinstance(r, dict)]
    if not records:
        raise no_rows(name)
    keys: list[str] = []
    for r in records[:1000]:
        keys.extend(k for k in r if k not in keys)
    mapped, dropped = _map_header(keys)
    if "dossier_code" not in mapped:
        raise _no_code_column(name)
    columns = {
        f"c{pos}": pa.array([_cell_text(r.get(keys[pos])) for r in records], type=pa.string())
        for pos in mapped.values()
    }
    _register_raw(con, con.from_arrow(pa.table(columns)), mapped)
    return RawTable("json", 1, dropped)


# ---------------------------------------------------------------- Parquet


def read_parquet(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> RawTable:
    try:
        rel = con.sql("SELECT * FROM read_parquet(?)", params=[str(path)])
    except duckdb.Error as exc:
        raise _not_spreadsheet(name) from exc
    mapped, dropped = _map_header(rel.columns)
    if "dossier_code" not in mapped:
        raise _no_code_column(name)
    casts = ", ".join(f'CAST("{rel.columns[pos]}" AS VARCHAR) AS c{pos}' for pos in mapped.values())
    _register_raw(con, con.sql(f"SELECT {casts} FROM read_parquet(?)", params=[str(path)]), mapped)
    return RawTable("parquet", 1, dropped)


READERS = {
    "csv": read_csv,
    "xlsx": read_excel,
    "xls": read_excel,
    "json": read_json,
    "parquet": read_parquet,
}


def read(
    con: duckdb.DuckDBPyConnection, path: Path, name: str, encoding: str | None = None, parallel: bool = True
) -> RawTable:
    fmt = detect_format(path)
    if fmt == "csv":
        return read_csv(con, path, name, encoding, parallel)
    return READERS[fmt](con, path, name)
