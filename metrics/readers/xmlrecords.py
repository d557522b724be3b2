"""XML exports that are neither SpreadsheetML nor HTML: a list of record elements
(<DanhSachHoSo><HoSo><MaHoSo>…</MaHoSo>…</HoSo>…</DanhSachHoSo>), as SOAP services and
some sync jobs write them. The tree, parsed by the standard library, is turned into the
shape of a JSON document (leaf elements and attributes become fields, repeated elements
lists) and read like one (jsondoc.read_document): the most dossier-like list wins."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import duckdb

from metrics.readers.jsondoc import read_document
from metrics.readers.table import RawTable, not_spreadsheet


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _to_doc(elem: ET.Element) -> Any:
    children = list(elem)
    if not children:
        text = (elem.text or "").strip()
        if elem.attrib:
            return {_local(k): v for k, v in elem.attrib.items()} | ({"value": text} if text else {})
        return text or None
    tags = {_local(c.tag) for c in children}
    if len(children) > 1 and len(tags) == 1:  # a list: <DanhSachHoSo><HoSo/><HoSo/></DanhSachHoSo>
        return [_to_doc(c) for c in children]
    out: dict[str, Any] = {_local(k): v for k, v in elem.attrib.items()}
    for child in children:
        key, value = _local(child.tag), _to_doc(child)
        if key in out:
            out[key] = [*out[key], value] if isinstance(out[key], list) else [out[key], value]
        else:
            out[key] = value
    return out


def read_xml(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> RawTable:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise not_spreadsheet(name) from exc
    return read_document(con, {_local(root.tag): _to_doc(root)}, name, "xml")
