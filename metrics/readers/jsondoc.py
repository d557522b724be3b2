"""JSON exports: the national sync body, API envelopes ({"data": [...]}, {"result":
{"data": [...], "total": N}}), bare arrays and JSON Lines. The list read is the one
whose objects look most like dossiers (most keys that name canonical columns), wherever
it sits in the document; keys match in any case (PascalCase, camelCase, lower-case)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from metrics.readers import asof
from metrics.readers.table import (
    Part,
    RawTable,
    UnreadableFile,
    arrow_part,
    cell_text,
    flags,
    no_code_column,
    no_rows,
    register_arrow,
)
from metrics.record import NESTED_LIST_TO_COLUMN, canonical_column, loose_key
from metrics.vi_format import fmt_int

SAMPLE = 200  # records whose keys decide the columns
MAX_DEPTH = 32
_TOTAL_KEYS = {
    loose_key(k)
    for k in (
        "total",
        "totalRecords",
        "totalCount",
        "totalItems",
        "totalElements",
        "recordsTotal",
        "TongSo",
        "TongSoHoSo",
    )
}


def _bad_json(name: str) -> UnreadableFile:
    return UnreadableFile(
        f"Không đọc được tệp JSON «{name}»: nội dung không đúng cú pháp JSON (có thể tệp bị cắt "
        "giữa chừng). Hãy tải lại tệp từ hệ thống.",
        f"Cannot read JSON file '{name}': it is not valid JSON (it may be truncated). Download it again.",
    )


def _load(path: Path, name: str) -> Any:
    encoding = "utf-16" if path.open("rb").read(2) in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    try:
        with open(path, encoding=encoding) as fh:
            text = fh.read()
    except UnicodeDecodeError as exc:
        raise _bad_json(name) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise _bad_json(name) from exc
    try:  # JSON Lines: one record per line
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise _bad_json(name) from exc


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    """A record's scalar fields, with the fields of nested objects (one level) and the
    length of the nested lists the vocabulary names (a supplement list)."""
    out: dict[str, Any] = {}
    counts: dict[str, tuple[str, int]] = {}
    for key, value in record.items():
        nested = NESTED_LIST_TO_COLUMN.get(loose_key(key))
        if nested:
            counts[nested] = (key, _count(value))
        elif isinstance(value, dict) and canonical_column(key):
            out[key] = _scalar(value)  # "TrangThaiHoSo": {"Id": 4, "Ten": "Đang xử lý"}
        elif isinstance(value, dict):
            for k, v in value.items():
                if not isinstance(v, (dict, list)):
                    out.setdefault(k, v)
        elif not isinstance(value, list):
            out[key] = value
    for column, (key, n) in counts.items():
        if not any(canonical_column(k) == column and v not in (None, "") for k, v in out.items()):
            out[f"={key}"] = n  # '=' marks a value counted from a nested list
    return out


def _count(value: Any) -> int:
    """Elements of a nested list: null or empty is none; an XML list of one element
    arrives as an object ({"HoSoBoSung": {...}})."""
    if value in (None, ""):
        return 0
    if isinstance(value, list):
        return len(value)
    if isinstance(value, dict) and len(value) == 1:
        inner = next(iter(value.values()))
        return _count(inner) if isinstance(inner, (list, dict)) else 1
    return 1


def _scalar(value: dict[str, Any]) -> Any:
    """The value of a column written as an object: its id/code if it has one, else its
    first scalar."""
    scalars = {loose_key(k): v for k, v in value.items() if not isinstance(v, (dict, list))}
    for key in ("id", "ma", "code", "value", "giatri"):
        if scalars.get(key) not in (None, ""):
            return scalars[key]
    return next(iter(scalars.values()), None)


def _key_column(key: str) -> str | None:
    return NESTED_LIST_TO_COLUMN.get(loose_key(key[1:])) if key.startswith("=") else canonical_column(key)


def _candidates(doc: Any) -> list[tuple[str, list[dict[str, Any]], dict[str, Any] | None]]:
    """Every list of objects in the document: (path, list, the object holding it)."""
    found = []
    stack: list[tuple[str, Any, dict[str, Any] | None, int]] = [("$", doc, None, 0)]
    while stack:
        where, node, holder, depth = stack.pop()
        if depth > MAX_DEPTH:
            continue
        if isinstance(node, list):
            records = [r for r in node if isinstance(r, dict)]
            if records:
                found.append((where, records, holder))
            stack.extend((f"{where}[{i}]", v, holder, depth + 1) for i, v in enumerate(node[:5]) if isinstance(v, dict))
        elif isinstance(node, dict):
            if node is not doc:
                found.append((where, [node], holder))  # a list of one record, as XML gives it
            for k, v in node.items():
                if isinstance(v, str) and v[:1] in ("[", "{"):  # {"data": "[{...}]"}: JSON inside a string
                    try:
                        v = json.loads(v)
                    except json.JSONDecodeError:
                        continue
                if isinstance(v, (dict, list)):
                    stack.append((f"{where}.{k}", v, node, depth + 1))
    if isinstance(doc, dict):
        found.append(("$", [doc], None))  # a single record
    return found


def _score(records: list[dict[str, Any]]) -> tuple[int, int]:
    columns = {_key_column(k) for r in records[:SAMPLE] for k in _flat(r)}
    if "dossier_code" not in columns:
        return (0, 0)
    return (len(columns - {None}), len(records))


def _paged_total(holder: dict[str, Any] | None, doc: Any, n: int) -> tuple[str, str] | None:
    for scope in (holder, doc):
        if not isinstance(scope, dict):
            continue
        for key, value in scope.items():
            if loose_key(key) in _TOTAL_KEYS and isinstance(value, int) and not isinstance(value, bool) and value != n:
                return (
                    f"Tệp ghi tổng số {fmt_int(value)} bản ghi nhưng chỉ chứa {fmt_int(n)}: có thể là một "
                    "trang của dữ liệu phân trang, hãy xuất đủ các trang.",
                    f"The file says {value:,} records in total but holds {n:,}: it may be one page of a "
                    "paged export; export every page.",
                )
    return None


def read_json(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> RawTable:
    try:
        doc = _load(path, name)
    except RecursionError as exc:
        raise _bad_json(name) from exc
    return read_document(con, doc, name, "json")


def read_document(con: duckdb.DuckDBPyConnection, doc: Any, name: str, file_format: str) -> RawTable:
    """A parsed document (JSON, or XML turned into the same shape): its most
    dossier-like list of records as `_raw`."""
    candidates = _candidates(doc)
    if not candidates:
        raise no_rows(name)
    scored = [(_score(records), where, records, holder) for where, records, holder in candidates]
    (score, _), where, records, holder = max(scored, key=lambda s: s[0])
    if score == 0:
        raise no_code_column(name)
    flat = [_flat(r) for r in records]
    keys = list(dict.fromkeys(k for r in flat[:SAMPLE] for k in r))
    names: dict[str, str] = {}
    ignored: list[str] = []
    keys_of: dict[str, list[str]] = {}  # a column's keys, scalar ones before a list count
    for key in sorted(keys, key=lambda k: k.startswith("=")):
        column = _key_column(key)
        if column and (key.startswith("=") or column not in keys_of):
            keys_of.setdefault(column, []).append(key)
            names[key[1:] + " (số phần tử)" if key.startswith("=") else key] = column
        else:
            ignored.append(key)
    columns = {
        col: pa.array(
            [cell_text(next((r[k] for k in ks if r.get(k) not in (None, "")), None)) for r in flat], pa.string()
        )
        for col, ks in keys_of.items()
    }
    raw = RawTable(file_format, 1, rows_numbered=True)
    raw.parts.append(Part(where, None, len(flat), names, ignored, flags(keys_of)["status_inferred"]))
    raw.parts[0].as_of = asof.from_fields(holder, doc)
    note = _paged_total(holder, doc, len(flat))
    if note:
        raw.notes.append(note)
    register_arrow(con, [arrow_part(columns, len(flat), set(keys_of), 1)])
    return raw
