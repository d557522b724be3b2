"""Which reader a file needs, decided by its content (magic bytes, byte-order mark,
leading markup, the first JSON character), never by its name: one-stop systems save
HTML tables and SpreadsheetML as ".xls", and JSON or binaries under any name."""

from __future__ import annotations

import codecs
from pathlib import Path

from metrics.readers.table import UnreadableFile

SNIFF_BYTES = 1 << 16
SPREADSHEETML_NS = b"urn:schemas-microsoft-com:office:spreadsheet"
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def bom_encoding(head: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def text_head(head: bytes) -> bytes:
    """The first bytes as ASCII-compatible text: a UTF-16 file is decoded first."""
    if bom_encoding(head) == "utf-16":
        return head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    return head.removeprefix(codecs.BOM_UTF8)


def binary(name: str) -> UnreadableFile:
    return UnreadableFile(
        f"Không đọc được tệp «{name}»: nội dung là dữ liệu nhị phân hoặc bảng mã không xác định, "
        "không phải bảng CSV/Excel/JSON. Hãy xuất lại tệp từ hệ thống một cửa.",
        f"Cannot read '{name}': its content is binary or in an unknown encoding, not a CSV/Excel/JSON "
        "table. Export it again from the one-stop system.",
    )


def detect_format(path: Path, name: str) -> str:
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if not head:
        raise UnreadableFile(
            f"Tệp «{name}» rỗng (0 byte): hãy xuất lại danh sách hồ sơ từ hệ thống một cửa.",
            f"File '{name}' is empty (0 bytes): export the dossier list again.",
        )
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"  # also .xlsm / .ods: calamine reads them all
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"  # genuine BIFF
    if head.startswith(b"PAR1"):
        return "parquet"
    text = text_head(head).lstrip(b" \t\r\n")
    if text[:1] in (b"[", b"{"):
        return "json"
    if text[:1] == b"<":
        lowered = text.lower()
        if SPREADSHEETML_NS in lowered and b"<workbook" in lowered:
            return "spreadsheetml"
        if any(tag in lowered for tag in (b"<table", b"<html", b"<!doctype html")):
            return "html"
        return "xml"  # a list of record elements (readers/xmlrecords.py)
    if bom_encoding(head) is None and b"\x00" in head:
        raise binary(name)
    return "csv"  # delimited text under any name; readers/delimited.py refuses what is not text
