"""The per-file import report: what was read from a file and what could not be.

Built by the importer inside the file's transaction, stored as one JSON document in
`import_reports`, printed by `python -m metrics ingest` and shown on the Dữ liệu page
(ui/import_report.py). Vietnamese first; the English strings sit beside them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import duckdb

from metrics import registry
from metrics.readers import RawTable
from metrics.readers.table import MAX_LISTED_COLUMNS
from metrics.record import COLUMN_LABELS_VI, KPI_NEEDS, is_personal
from metrics.vi_format import fmt_date, fmt_int

FORMAT_LABELS = {
    "csv": "CSV (UTF-8)",
    "csv-cp1258": "CSV (Windows-1258)",
    "csv-utf-16": "Văn bản Unicode (UTF-16)",
    "xlsx": "Excel (.xlsx)",
    "xls": "Excel 97-2003 (.xls)",
    "html": "Bảng HTML (lưu dưới tên .xls)",
    "spreadsheetml": "SpreadsheetML 2003 (XML)",
    "json": "JSON",
    "xml": "XML (danh sách bản ghi)",
    "parquet": "Parquet",
}


def _metric_label(key: str, definition: str | None) -> tuple[str, str]:
    """The metric's name, and "every definition" when all of them need the column."""
    m = registry.metric(key, definition)
    if definition is None and len(registry.DEFINITIONS[key]) > 1:
        return f"«{m.label_vi}» (mọi cách tính)", f"'{m.label_en}' (every definition)"
    return f"«{m.label_vi}»", f"'{m.label_en}'"


def unsupported(raw: RawTable) -> list[dict[str, Any]]:
    """The KPIs a file cannot support: a column one of them needs is missing from
    (some of) its lists. Those dossiers are "unknown" for that KPI."""
    out = []
    for column, key, definition in KPI_NEEDS:
        lacking = [p.name for p in raw.parts if column not in p.columns.values()]
        if not lacking:
            continue
        vi, en = _metric_label(key, definition)
        where = "" if len(lacking) == len(raw.parts) else f" (ở {', '.join(lacking)})"
        out.append(
            {
                "metric": key,
                "definition": definition,
                "column": column,
                "parts": lacking,
                "message_vi": f"Không tính được {vi}: tệp không có cột «{COLUMN_LABELS_VI[column]}»{where}; "
                "các hồ sơ này được tính là «không rõ», không tính vào mẫu số.",
                "message_en": f"Cannot compute {en}: the file has no '{COLUMN_LABELS_VI[column]}' column"
                f"{'' if not where else ' in ' + ', '.join(lacking)}; those dossiers count as unknown.",
            }
        )
    return out


def build(
    con: duckdb.DuckDBPyConnection, raw: RawTable, file_name: str, import_id: int, counts: dict[str, int]
) -> dict[str, Any]:
    reasons = con.execute(
        "SELECT regexp_replace(reason_vi, '[:;].*', '') AS reason, count(*) FROM quarantine "
        "WHERE import_id = ? GROUP BY 1 ORDER BY 2 DESC, 1",
        [import_id],
    ).fetchall()
    parts = []
    for p in raw.parts:
        listed = p.ignored[:MAX_LISTED_COLUMNS]
        personal = {h for h in listed if is_personal(h)}  # once per column, not per lookup
        parts.append(
            {
                "name": p.name,
                "header_row": p.header_row,
                "rows": p.rows or (counts["read"] if len(raw.parts) == 1 else 0),
                "columns": [{"source": s, "column": c, "label_vi": COLUMN_LABELS_VI[c]} for s, c in p.columns.items()],
                "ignored": [{"source": h, "personal": h in personal} for h in listed],
                "ignored_more": max(0, len(p.ignored) - MAX_LISTED_COLUMNS),
                "status_inferred": p.status_inferred,
            }
        )
    return {
        "import_id": import_id,
        "file_name": file_name,
        "file_format": raw.file_format,
        "as_of": raw.as_of.isoformat(sep=" ") if raw.as_of else None,
        "parts": parts,
        "skipped_parts": [{"name": n, "reason_vi": vi, "reason_en": en} for n, vi, en in raw.skipped],
        "unsupported": unsupported(raw),
        "notes": [{"vi": vi, "en": en} for vi, en in raw.notes],
        "rows": {**counts, "quarantined_by_reason": [{"reason_vi": r, "rows": n} for r, n in reasons]},
    }


def store(con: duckdb.DuckDBPyConnection, report: dict[str, Any]) -> None:
    con.execute(
        "INSERT INTO import_reports VALUES (?, ?)", [report["import_id"], json.dumps(report, ensure_ascii=False)]
    )


def load(con: duckdb.DuckDBPyConnection, import_id: int) -> dict[str, Any] | None:
    row = con.execute("SELECT report FROM import_reports WHERE import_id = ?", [import_id]).fetchone()
    return None if row is None else json.loads(row[0])


def lines_vi(report: dict[str, Any]) -> list[str]:
    """The report as indented lines under the file's summary line."""
    out = [f"  Định dạng: {FORMAT_LABELS.get(report['file_format'], report['file_format'])}"]
    if report.get("as_of"):
        out.append(f"  Thời điểm xuất dữ liệu (theo tệp): {fmt_date(dt.date.fromisoformat(report['as_of'][:10]))}")
    for p in report["parts"]:
        where = f"dòng tiêu đề {p['header_row']}, " if p["header_row"] else ""
        inferred = "; trạng thái suy ra từ các ngày (không có cột trạng thái)" if p["status_inferred"] else ""
        out.append(f"  Đã đọc «{p['name']}»: {where}{fmt_int(p['rows'])} dòng{inferred}")
        out.append("    Cột: " + "; ".join(f"{c['source']} → {c['label_vi']}" for c in p["columns"]))
        personal = [c["source"] for c in p["ignored"] if c["personal"]]
        other = [c["source"] for c in p["ignored"] if not c["personal"]]
        if personal:
            out.append(f"    Không lưu (dữ liệu cá nhân): {', '.join(personal)}")
        more = p.get("ignored_more", 0)
        if other or more:
            tail = f" và {fmt_int(more)} cột khác" if more else ""
            out.append(f"    Không dùng: {', '.join(other)}{tail}")
    for s in report["skipped_parts"]:
        out.append(f"  Bỏ qua «{s['name']}»: {s['reason_vi']}")
    out.extend(f"  {u['message_vi']}" for u in report["unsupported"])
    out.extend(f"  Lưu ý: {n['vi']}" for n in report["notes"])
    r = report["rows"]
    by_reason = ", ".join(f"{q['reason_vi']}: {fmt_int(q['rows'])}" for q in r["quarantined_by_reason"])
    out.append(
        f"  Dòng: đọc {fmt_int(r['read'])}, nhận {fmt_int(r['accepted'])}, "
        f"cách ly {fmt_int(r['quarantined'])}{f' ({by_reason})' if by_reason else ''}, trùng {fmt_int(r['duplicate'])}, "
        f"cũ hơn dữ liệu đã có {fmt_int(r['superseded'])}, bỏ qua {fmt_int(r['skipped'])} dòng không phải hồ sơ"
    )
    return out


@dataclass
class ImportSummary:
    file_name: str
    file_format: str = ""
    already_imported: bool = False
    rows_read: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    rows_duplicate: int = 0
    rows_skipped: int = 0
    rows_superseded: int = 0
    columns_dropped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    import_id: int | None = None
    report: dict[str, Any] = field(default_factory=dict)

    def line_vi(self) -> str:
        if self.already_imported:
            return f"{self.file_name}: đã nhập trước đây (cùng nội dung), không thay đổi gì."
        parts = [
            f"{self.file_name}: đọc {fmt_int(self.rows_read)} dòng",
            f"nhận {fmt_int(self.rows_accepted)} hồ sơ",
            f"cách ly {fmt_int(self.rows_quarantined)} dòng lỗi",
            f"trùng {fmt_int(self.rows_duplicate)}",
            f"cũ hơn dữ liệu đã có {fmt_int(self.rows_superseded)}",
            f"bỏ qua {fmt_int(self.rows_skipped)} dòng không phải hồ sơ",
        ]
        line = ", ".join(parts)
        if self.columns_dropped:
            line += f"; không lưu các cột: {', '.join(self.columns_dropped)}"
        return line + "."

    def report_vi(self) -> str:
        """The summary line and, under it, the file's import report."""
        if not self.report:
            return self.line_vi()
        return "\n".join([self.line_vi(), *lines_vi(self.report)])

    def line_en(self) -> str:
        if self.already_imported:
            return f"{self.file_name}: already imported (same content), nothing changed."
        line = (
            f"{self.file_name}: read {self.rows_read:,} rows, accepted {self.rows_accepted:,} dossiers, "
            f"quarantined {self.rows_quarantined:,}, duplicates {self.rows_duplicate:,}, "
            f"superseded by a newer state {self.rows_superseded:,}, "
            f"skipped {self.rows_skipped:,} non-dossier rows"
        )
        if self.columns_dropped:
            line += f"; columns not stored: {', '.join(self.columns_dropped)}"
        return line + "."
