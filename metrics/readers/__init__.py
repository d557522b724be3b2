"""One reader per export shape, each ending in the same raw table.

The shape is decided by the file's content (readers/detect.py). A reader finds the
header itself (report-shaped exports put titles above it), maps vendor headers to
canonical columns, leaves every other column out (personal data never enters the
database) and registers `_raw` in DuckDB (readers/table.py). Parsing values is not
its job: that happens once, in SQL, for every shape (sql/normalize.sql).

Every failure of a parser (csv, json, html.parser, expat, calamine, DuckDB's CSV
sniffing, a recursion or memory limit) leaves here as the one UnreadableFile.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from metrics.readers.delimited import read_csv
from metrics.readers.detect import binary, detect_format
from metrics.readers.excel import read_excel
from metrics.readers.jsondoc import read_json
from metrics.readers.markup import read_html, read_spreadsheetml
from metrics.readers.table import Part, RawTable, UnreadableFile, no_rows, not_spreadsheet
from metrics.readers.xmlrecords import read_xml

__all__ = ["Part", "RawTable", "UnreadableFile", "detect_format", "no_rows", "read"]


def read_parquet(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> RawTable:
    from metrics.readers.table import map_header, no_code_column, register_relation

    rel = con.sql("SELECT * FROM read_parquet(?)", params=[str(path)])
    mapped, names, ignored = map_header(rel.columns)
    if "dossier_code" not in mapped:
        raise no_code_column(name)
    casts = ", ".join(f'CAST("{rel.columns[pos]}" AS VARCHAR) AS c{pos}' for pos in mapped.values())
    register_relation(con, con.sql(f"SELECT {casts} FROM read_parquet(?)", params=[str(path)]), mapped)
    return RawTable("parquet", 1, [Part("Parquet", 1, 0, names, ignored)])


def read(
    con: duckdb.DuckDBPyConnection, path: Path, name: str, encoding: str | None = None, parallel: bool = True
) -> RawTable:
    fmt = detect_format(path, name)
    try:
        if fmt == "csv":
            return read_csv(con, path, name, encoding, parallel)
        if fmt in ("xlsx", "xls"):
            return read_excel(con, path, name, fmt)
        if fmt == "html":
            return read_html(con, path, name)
        if fmt == "spreadsheetml":
            return read_spreadsheetml(con, path, name)
        if fmt == "json":
            return read_json(con, path, name)
        if fmt == "xml":
            return read_xml(con, path, name)
        return read_parquet(con, path, name)
    except UnreadableFile:
        raise
    except (csv.Error, UnicodeError, RecursionError, MemoryError, ValueError) as exc:
        raise binary(name) from exc
    except duckdb.Error as exc:
        raise not_spreadsheet(name) from exc
