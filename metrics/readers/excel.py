"""Workbooks (xlsx, xlsm, ods and genuine BIFF .xls) read by fastexcel, the Rust
calamine reader: every sheet arrives as Arrow text columns, with no Python object per
cell, and the header is sought in its first rows (table.sheet_part). Every sheet that
holds dossier rows is read; the others are named in the import report.

fastexcel reads every format python-calamine read here (the tests read each), so no
workbook needs python-calamine any more. Each cell arrives as the text calamine gives
it: a number without a needless ".0" (5, 123456789012), an Excel date as ISO text
("2024-03-01 08:15:00", "2024-03-01 00:00:00" for a date alone), which normalisation
parses to the same instant; an error cell (#N/A) is blank; TRUE reads "true".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path

import duckdb
import pyarrow as pa

from metrics.readers.limits import check_workbook
from metrics.readers.table import (
    Part,
    RawTable,
    UnreadableFile,
    grid_part,
    no_code_column,
    not_spreadsheet,
    register_arrow,
    sheet_part,
)

Grid = list[list[object]]
PartOf = Callable[[], tuple[Part, pa.Table]]


def read_parts(
    con: duckdb.DuckDBPyConnection, parts: Iterable[tuple[str, PartOf]], name: str, file_format: str
) -> RawTable:
    """Every grid (sheet, table) with a dossier header and rows under it becomes a part;
    `parts` gives each grid's name and how to make its part."""
    raw = RawTable(file_format, 1, rows_numbered=True)
    tables: list[pa.Table] = []
    first_error: UnreadableFile | None = None
    for sheet, part_of in parts:
        try:
            part, table = part_of()
        except UnreadableFile as exc:
            first_error = first_error or exc
            raw.skipped.append((sheet, exc.part_vi, exc.part_en))
            continue
        raw.parts.append(part)
        tables.append(table)
    if not tables:
        raise first_error or no_code_column(name)
    raw.first_row = raw.parts[0].header_row + 1 if raw.parts[0].header_row else 1
    register_arrow(con, tables)
    return raw


def read_grids(
    con: duckdb.DuckDBPyConnection, grids: Sequence[tuple[str, Sequence[Sequence[object]]]], name: str, file_format: str
) -> RawTable:
    """Grids of Python cells (HTML tables, SpreadsheetML worksheets: readers/markup.py)."""
    return read_parts(con, ((sheet, partial(grid_part, rows, name, sheet)) for sheet, rows in grids), name, file_format)


def _sheets(path: Path, name: str) -> Iterable[tuple[str, PartOf]]:
    """Each sheet, in order, as text columns with no header: every row from the first
    (skip_rows=0 keeps leading blank rows, so row numbers stay the file's). Loaded one
    at a time: a sheet's cells are freed once its part is sliced out."""
    import fastexcel

    try:
        # From the bytes, not the path: calamine picks the format by the file's
        # extension from a path, by its content from bytes (a workbook saved as .xls).
        book = fastexcel.read_excel(path.read_bytes())
        sheet_names: Sequence[str] = book.sheet_names
    except Exception as exc:  # calamine raises its own types for every corruption
        raise not_spreadsheet(name) from exc
    for index, sheet in enumerate(sheet_names):
        try:
            cells = book.load_sheet(index, header_row=None, skip_rows=0, dtypes="string").to_arrow()
        except Exception as exc:
            raise not_spreadsheet(name) from exc
        yield sheet, partial(sheet_part, cells, name, sheet)


def read_excel(con: duckdb.DuckDBPyConnection, path: Path, name: str, file_format: str = "xlsx") -> RawTable:
    check_workbook(path, name)  # before calamine unpacks anything: size and cell caps
    return read_parts(con, _sheets(path, name), name, file_format)
