"""Workbooks read by calamine (xlsx, xlsm, ods and genuine BIFF .xls): every sheet that
holds dossier rows is read; the others are named in the import report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import pyarrow as pa

from metrics.readers.limits import check_workbook
from metrics.readers.table import RawTable, UnreadableFile, grid_part, no_code_column, not_spreadsheet, register_arrow

Grid = list[list[object]]


def read_grids(
    con: duckdb.DuckDBPyConnection, grids: Sequence[tuple[str, Sequence[Sequence[object]]]], name: str, file_format: str
) -> RawTable:
    """Every grid (sheet, table) with a dossier header and rows under it becomes a part."""
    raw = RawTable(file_format, 1)
    tables: list[pa.Table] = []
    first_error: UnreadableFile | None = None
    for sheet, rows in grids:
        try:
            part, table = grid_part(rows, name, sheet)
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


def read_excel(con: duckdb.DuckDBPyConnection, path: Path, name: str, file_format: str = "xlsx") -> RawTable:
    from python_calamine import CalamineWorkbook

    check_workbook(path, name)  # before calamine unpacks anything: size and cell caps
    try:
        book = CalamineWorkbook.from_path(str(path))
        grids = [(sheet, book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)) for sheet in book.sheet_names]
    except Exception as exc:  # calamine raises its own types for every corruption
        raise not_spreadsheet(name) from exc
    return read_grids(con, grids, name, file_format)
