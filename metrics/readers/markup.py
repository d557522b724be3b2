""".xls" files that are markup: an HTML <table> (what many one-stop systems save as
Excel) and SpreadsheetML 2003 XML. Both are parsed by the standard library's maintained
parsers, fed in chunks, into grids of cells; header finding, report furniture and
vocabulary then work exactly as for a workbook (excel.read_grids)."""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import duckdb

from metrics.readers.detect import bom_encoding, text_head
from metrics.readers.excel import Grid, read_grids
from metrics.readers.table import RawTable, not_spreadsheet

CHUNK = 1 << 20
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _html_encoding(path: Path) -> str:
    """The byte-order mark, else the <meta charset>, else UTF-8 unless the start of the
    file is not UTF-8 (then Windows-1258)."""
    with open(path, "rb") as fh:
        head = fh.read(CHUNK)
    bom = bom_encoding(head)
    if bom:
        return "utf-8-sig" if bom == "utf-8" else bom
    found = _META_CHARSET.search(text_head(head[:65536]))
    if found:
        try:
            return codecs.lookup(found.group(1).decode("ascii")).name
        except LookupError:
            pass
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1258"
    return "utf-8"


def _clean(parts: list[str]) -> str | None:
    text = " ".join("".join(parts).split())
    return text or None


class _Table:
    def __init__(self) -> None:
        self.rows: Grid = []
        self.row: list[object] | None = None
        self.cell: list[str] | None = None
        self.span = (1, 1)  # the open cell's (colspan, rowspan)
        self.down: dict[int, int] = {}  # column -> rows still covered by a rowspan above

    def _cover(self) -> None:
        """Leave blank the columns that a cell of a row above spans down into."""
        assert self.row is not None
        while self.down.get(len(self.row), 0) > 0:
            self.down[len(self.row)] -= 1
            self.row.append(None)

    def start_row(self) -> None:
        self.end_row()
        self.row = []

    def end_row(self) -> None:
        self.end_cell()
        if self.row is not None:
            for col, left in list(self.down.items()):
                if col >= len(self.row) and left > 0:
                    self.down[col] = left - 1
            self.rows.append(self.row)
            self.row = None

    def start_cell(self, colspan: int, rowspan: int) -> None:
        self.end_cell()
        if self.row is None:
            self.row = []
        self._cover()
        self.cell = []
        self.span = (colspan, rowspan)

    def end_cell(self) -> None:
        if self.cell is None or self.row is None:
            return
        colspan, rowspan = self.span
        start = len(self.row)
        self.row.append(_clean(self.cell))
        self.row.extend([None] * (colspan - 1))  # a merged cell's value sits in its first column
        if rowspan > 1:
            for col in range(start, start + colspan):
                self.down[col] = rowspan - 1
        self.cell = None


def _span(attrs: list[tuple[str, str | None]], key: str) -> int:
    value = dict(attrs).get(key)
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[_Table] = []
        self.done: list[Grid] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.open.append(_Table())
        elif not self.open:
            return
        elif tag == "tr":
            self.open[-1].start_row()
        elif tag in ("td", "th"):
            self.open[-1].start_cell(_span(attrs, "colspan"), _span(attrs, "rowspan"))
        elif tag == "br" and self.open[-1].cell is not None:
            self.open[-1].cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if not self.open:
            return
        if tag == "table":
            table = self.open.pop()
            table.end_row()
            self.done.append(table.rows)
        elif tag == "tr":
            self.open[-1].end_row()
        elif tag in ("td", "th"):
            self.open[-1].end_cell()

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1].cell is not None:
            self.open[-1].cell.append(data)


def read_html(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> RawTable:
    parser = _TableParser()
    try:
        with open(path, encoding=_html_encoding(path), errors="strict") as fh:
            while chunk := fh.read(CHUNK):
                parser.feed(chunk)
        parser.close()
    except (UnicodeDecodeError, LookupError, AssertionError) as exc:
        raise not_spreadsheet(name) from exc
    while parser.open:  # a table left open at the end of the file
        parser.handle_endtag("table")
    grids = [(f"Bảng {i}", rows) for i, rows in enumerate(parser.done, start=1) if rows]
    if not grids:
        raise not_spreadsheet(name)
    return read_grids(con, grids, name, "html")


# ---------------------------------------------------------------- SpreadsheetML 2003

_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"


def _attr(elem: ET.Element, name: str) -> str | None:
    """An ss: attribute; some writers leave the prefix off."""
    return elem.get(f"{_SS}{name}") or elem.get(name)


def _index(elem: ET.Element) -> int | None:
    value = _attr(elem, "Index")
    try:
        return int(value) if value else None
    except ValueError:
        return None


def read_spreadsheetml(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> RawTable:
    """Worksheets of <Row>s of <Cell>s. A cell's ss:Index jumps over skipped cells, a
    row's ss:Index over skipped rows; ss:MergeAcross=n covers n more columns (left blank,
    as calamine leaves a merged range). Rows are cleared once read: the tree never holds
    more than one row."""
    grids: list[tuple[str, Grid]] = []
    rows: Grid = []
    row: list[object] = []
    sheet = ""
    try:
        for event, elem in ET.iterparse(path, events=("start", "end")):
            tag = elem.tag
            if event == "start":
                if tag == f"{_SS}Worksheet":
                    sheet, rows = _attr(elem, "Name") or f"Sheet {len(grids) + 1}", []
                elif tag == f"{_SS}Row":
                    at = _index(elem)
                    rows.extend([] for _ in range(max(0, (at or 0) - 1 - len(rows))))
                    row = []
                continue
            if tag == f"{_SS}Cell":
                at = _index(elem)
                if at:
                    row.extend([None] * max(0, at - 1 - len(row)))
                data = elem.find(f"{_SS}Data")
                row.append(_clean(list(data.itertext())) if data is not None else None)
                row.extend([None] * _merge_across(elem))
            elif tag == f"{_SS}Row":
                rows.append(row)
                elem.clear()
            elif tag == f"{_SS}Worksheet":
                grids.append((sheet, rows))
                elem.clear()
    except ET.ParseError as exc:
        raise not_spreadsheet(name) from exc
    if not grids:
        raise not_spreadsheet(name)
    return read_grids(con, grids, name, "spreadsheetml")


def _merge_across(elem: ET.Element) -> int:
    try:
        return max(0, min(int(_attr(elem, "MergeAcross") or 0), 1000))
    except ValueError:
        return 0
