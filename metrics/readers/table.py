"""What every reader shares: the raw table it ends in, the header search, and turning a
grid of cells (a sheet, an HTML table, a SpreadsheetML worksheet) into canonical columns.

`_raw` (registered in DuckDB) holds one VARCHAR per canonical column plus, per row:
`_row` (its row in the file, NULL when it follows from the file order), `k_channel`,
`k_due`, `k_rating`, `k_supplement` (whether the row's source had that column at all:
a KPI that needs a missing column is unknown for those dossiers, never 0%) and
`status_inferred` (a register without a status column: status follows from its dates).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from metrics.readers import asof
from metrics.record import CANONICAL_COLUMNS, canonical_column, is_personal

HEADER_SCAN_ROWS = 40

# canonical column whose absence makes a KPI unknown -> its flag column in `_raw`
KNOWN_FLAGS = {"channel": "k_channel", "due_at": "k_due", "rating": "k_rating", "supplement_count": "k_supplement"}
DATE_COLUMNS = ("received_at", "resolved_at", "returned_at")


class UnreadableFile(Exception):
    """A file that cannot be imported at all: nothing from it is written."""

    def __init__(self, message_vi: str, message_en: str, part_vi: str = "", part_en: str = ""):
        super().__init__(message_en)
        self.message_vi = message_vi
        self.message_en = message_en
        # the reason said of one sheet or table of a workbook that is skipped
        self.part_vi = part_vi or message_vi
        self.part_en = part_en or message_en


# How many ignored columns a summary or report names; past that it gives their count.
MAX_LISTED_COLUMNS = 200


@dataclass
class Part:
    """One list of dossiers inside a file: a sheet, an HTML table, a JSON list."""

    name: str
    header_row: int | None  # 1-based row of the header in the file or sheet (None: JSON keys)
    rows: int  # rows under the header, report furniture included
    columns: dict[str, str]  # source header -> canonical column
    ignored: list[str]  # source headers not stored
    status_inferred: bool = False
    as_of: dt.datetime | None = None  # when the export was taken, if it says (readers/asof.py)

    @property
    def personal(self) -> list[str]:
        return [h for h in self.ignored if is_personal(h)]


@dataclass
class RawTable:
    file_format: str
    first_row: int  # the file row (1-based, as a person counts) of the first data row
    parts: list[Part] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (part, reason vi, reason en)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (vi, en): e.g. a paged API's total
    cleanup: list[Path] = field(default_factory=list)  # temporary files to remove
    rows_numbered: bool = False  # every row carries its file row in `_row` (the Arrow readers)

    @property
    def as_of(self) -> dt.datetime | None:
        return max((p.as_of for p in self.parts if p.as_of), default=None)

    @property
    def dropped(self) -> list[str]:
        names = list(dict.fromkeys(h for p in self.parts for h in p.ignored))
        if len(names) > MAX_LISTED_COLUMNS:  # a hostile file with a million keys
            names = [*names[:MAX_LISTED_COLUMNS], f"… (+{len(names) - MAX_LISTED_COLUMNS})"]
        return names


def no_code_column(name: str) -> UnreadableFile:
    return UnreadableFile(
        f"Tệp «{name}» không có cột mã hồ sơ (Mã hồ sơ / Số hồ sơ / MaHoSo) trong "
        f"{HEADER_SCAN_ROWS} dòng đầu: hãy xuất lại danh sách hồ sơ có cột này.",
        f"File '{name}' has no dossier-code column (Mã hồ sơ / Số hồ sơ / MaHoSo) in its first "
        f"{HEADER_SCAN_ROWS} rows: export the dossier list again with that column.",
        f"không có cột mã hồ sơ trong {HEADER_SCAN_ROWS} dòng đầu (không phải danh sách hồ sơ)",
        f"no dossier-code column in its first {HEADER_SCAN_ROWS} rows (not a dossier list)",
    )


def no_rows(name: str) -> UnreadableFile:
    return UnreadableFile(
        f"Tệp «{name}» không có dòng hồ sơ nào dưới dòng tiêu đề: hãy kiểm tra kỳ xuất dữ liệu.",
        f"File '{name}' has no dossier rows under its header: check the export's period.",
        "không có dòng hồ sơ nào dưới dòng tiêu đề",
        "no dossier rows under its header",
    )


def not_spreadsheet(name: str) -> UnreadableFile:
    return UnreadableFile(
        f"Không đọc được tệp «{name}»: tệp không phải bảng tính hợp lệ hoặc đã bị hỏng. "
        "Hãy mở tệp bằng Excel, lưu lại dạng .xlsx hoặc .csv rồi nhập lại.",
        f"Cannot read '{name}': it is not a valid spreadsheet or it is damaged. "
        "Open it in Excel, save it as .xlsx or .csv and import it again.",
    )


def _label(cell: object) -> str:
    return " ".join(str(cell).split())


def map_header(cells: Sequence[object]) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """(canonical column -> position, source header -> canonical column, ignored headers)."""
    mapped: dict[str, int] = {}
    names: dict[str, str] = {}
    ignored: list[str] = []
    for i, cell in enumerate(cells):
        col = canonical_column(cell)
        if col and col not in mapped:
            mapped[col] = i
            names[_label(cell)] = col
        elif cell is not None and str(cell).strip():
            ignored.append(_label(cell))
    return mapped, names, ignored


def find_header(rows: Sequence[Sequence[object]], name: str) -> tuple[int, dict[str, int], dict[str, str], list[str]]:
    """The first row, among the first rows, that names a dossier-code column and
    at least two other canonical columns, as (index of its last row, mapping, names,
    ignored). A two-level header (a merged group cell such as "Ngày" above the
    sub-headers "Ngày tiếp nhận", "Ngày hẹn trả") is completed from the row below,
    and the data then starts under that row."""
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapped, names, ignored = map_header(row)
        if "dossier_code" in mapped and len(mapped) >= 3:
            last = i
            if i + 1 < len(rows):
                below, below_names, _ = map_header(rows[i + 1])
                for col, pos in below.items():
                    if col not in mapped and pos not in mapped.values():
                        mapped[col] = pos
                        names.update({h: c for h, c in below_names.items() if c == col})
                        group = _label(row[pos]) if pos < len(row) and row[pos] is not None else None
                        if group in ignored:  # the group cell was a label, not a column
                            ignored.remove(group)
                        last = i + 1
            return last, mapped, names, ignored
    raise no_code_column(name)


def cell_text(value: object) -> str | None:
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


def column_text(values: Sequence[object]) -> pa.Array:
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
    if main is str:  # a blank cell may come as ''
        bulk = pc.if_else(pc.equal(bulk, ""), pa.scalar(None, pa.string()), bulk)
    if not odd:
        return bulk
    mask = np.zeros(len(values), dtype=bool)
    mask[odd] = True
    return pc.replace_with_mask(bulk, pa.array(mask), pa.array([cell_text(values[i]) for i in odd], type=pa.string()))


def flags(mapped: Iterable[str]) -> dict[str, bool]:
    """The per-row knowledge columns of a source with these canonical columns."""
    present = set(mapped)
    out = {flag: col in present for col, flag in KNOWN_FLAGS.items()}
    out["status_inferred"] = "status" not in present and any(c in present for c in DATE_COLUMNS)
    return out


# The per-row columns are built from numpy buffers, not with pa.array(): that goes
# through pyarrow's pandas shim, which imports pandas (~0.3 s of CPU) on first use,
# and a workbook's import needs no pandas (readers/excel.py).


def _int64s(values: np.ndarray) -> pa.Array:
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])


def _same_flag(value: bool, n: int) -> pa.Array:
    bits = np.packbits(np.full(n, value, dtype=bool), bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), n, [None, pa.py_buffer(bits)])


def _same_text(text: str, n: int) -> pa.Array:
    data = text.encode("utf-8")
    offsets = np.arange(n + 1, dtype=np.int64) * len(data)
    return pa.Array.from_buffers(pa.large_string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data * n)])


def arrow_part(
    columns: dict[str, pa.Array], n: int, mapped: set[str], first_row: int | None, part: str | None = None
) -> pa.Table:
    """A part as the `_raw` columns: canonical text columns, its file rows, its name
    (a sheet of several: quarantined rows say which) and flags."""
    data: dict[str, pa.Array] = {}
    for col in CANONICAL_COLUMNS:
        data[col] = columns[col] if col in columns else pa.nulls(n, pa.string())
    rows = None if first_row is None else np.arange(first_row, first_row + n, dtype=np.int64)
    data["_row"] = pa.nulls(n, pa.int64()) if rows is None else _int64s(rows)
    data["_part"] = pa.nulls(n, pa.large_string()) if part is None else _same_text(part, n)
    data["_short"] = _same_flag(False, n)  # grids are padded by their reader
    for flag, value in flags(mapped).items():
        data[flag] = _same_flag(value, n)
    return pa.table(data)


def grid_part(rows: Sequence[Sequence[object]], name: str, part_name: str) -> tuple[Part, pa.Table]:
    """A grid of cells (header somewhere near the top) as a part; UnreadableFile when it
    holds no dossier header or no row under it."""
    header_idx, mapped, names, ignored = find_header(rows, name)
    data = rows[header_idx + 1 :]
    if not data:
        raise no_rows(name)
    width = max(max(map(len, data)), max(mapped.values()) + 1)
    padded = (r if len(r) == width else [*r, *[None] * (width - len(r))] for r in data)
    columns = list(zip(*padded, strict=True))
    texts = {col: column_text(columns[pos]) for col, pos in mapped.items()}
    part = Part(part_name, header_idx + 1, len(data), names, ignored, flags(mapped)["status_inferred"])
    part.as_of = asof.from_grid(rows, header_idx)
    return part, arrow_part(texts, len(data), set(mapped), header_idx + 2, part_name)


def _rows(cells: pa.RecordBatch) -> list[list[object]]:
    """A few rows of a sheet (its top or its foot) as Python lists."""
    return [list(row) for row in zip(*(column.to_pylist() for column in cells.columns), strict=True)]


def sheet_part(cells: pa.RecordBatch, name: str, part_name: str) -> tuple[Part, pa.Table]:
    """A sheet read as Arrow text columns (readers/excel.py) as a part, like grid_part:
    only the rows the header is sought in and the last rows (a signature date) become
    Python values; the data columns under the header are sliced, never copied per row."""
    head = _rows(cells.slice(0, HEADER_SCAN_ROWS + 1))  # +1: the lower row of a two-level header
    header_idx, mapped, names, ignored = find_header(head, name)
    n = cells.num_rows - header_idx - 1
    if n <= 0:
        raise no_rows(name)
    data = cells.slice(header_idx + 1)
    texts = {col: data.column(pos) for col, pos in mapped.items()}
    part = Part(part_name, header_idx + 1, n, names, ignored, flags(mapped)["status_inferred"])
    part.as_of = asof.from_cells([*head[:header_idx], *_rows(cells.slice(max(cells.num_rows - 12, 0)))])
    return part, arrow_part(texts, n, set(mapped), header_idx + 2, part_name)


def register_arrow(con: duckdb.DuckDBPyConnection, tables: list[pa.Table]) -> None:
    """`_raw` over Arrow parts. A cell holding the empty string (a workbook can) is
    blank, as in `register_relation`: DuckDB clears it as it scans, in bulk."""
    table = tables[0] if len(tables) == 1 else pa.concat_tables(tables)
    con.register("_source", con.from_arrow(table))
    blanks = ", ".join(f"nullif({c}, '') AS {c}" for c in CANONICAL_COLUMNS)
    con.execute(f"CREATE OR REPLACE TEMP VIEW _raw AS SELECT * REPLACE ({blanks}) FROM _source")


def register_relation(
    con: duckdb.DuckDBPyConnection, relation: duckdb.DuckDBPyRelation, mapped: dict[str, int], short_rows: bool = False
) -> None:
    """`_raw` over a DuckDB relation with columns c0..cN (CSV): it streams, and
    normalisation reads it once."""
    con.register("_source", relation)
    cols = [
        f"nullif(c{mapped[c]}, '') AS {c}" if c in mapped else f"CAST(NULL AS VARCHAR) AS {c}"
        for c in CANONICAL_COLUMNS
    ]
    # CSV (short_rows): the row has no field at all for its last mapped column, so it
    # was cut short (delimited.py); other relations (Parquet) have no such rows
    cols.append(f"c{max(mapped.values())} IS NULL AS _short" if short_rows else "false AS _short")
    cols.append("CAST(NULL AS BIGINT) AS _row")
    cols.append("CAST(NULL AS VARCHAR) AS _part")
    cols += [f"{str(v).lower()} AS {k}" for k, v in flags(mapped).items()]
    con.execute("CREATE OR REPLACE TEMP VIEW _raw AS SELECT " + ", ".join(cols) + " FROM _source")
