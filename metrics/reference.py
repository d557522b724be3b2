"""Reference data: targets, the units catalogue and the procedures catalogue.

They are the province's own, kept as CSV files it edits in Excel (data/*.csv by
default). Every connection checks each file's content hash and, when it changed,
validates it and loads it, so an edit takes effect on the next CLI call or dashboard
rerun with no rebuild and no re-import. A file that breaks a rule is refused with a
Vietnamese message naming its row, and the previous reference data stays in use.

What was loaded is stored (the last good copy, with its source path and hash, in
`reference_sources`); a read-only connection cannot write, so db.connect syncs
through a short read-write connection first (see db.connect).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import itertools
from pathlib import Path
from typing import TYPE_CHECKING

from metrics.paths import DATA_DIR
from metrics.registry import ALL_TIERS, METRIC_KEYS, TIER_CODES

if TYPE_CHECKING:
    import duckdb

REFERENCE_FILES = {
    "targets": DATA_DIR / "targets.csv",
    "units": DATA_DIR / "units.csv",
    "procedures": DATA_DIR / "procedures.csv",
}

# Columns each file must have, in the table's order; optional ones may be absent
# (a units file from before the 2025 reform has no validity columns).
COLUMNS: dict[str, tuple[str, ...]] = {
    "targets": ("metric", "tier", "valid_from", "valid_to", "target", "source"),
    "units": ("unit_code", "unit_name", "tier", "valid_from", "valid_to", "successor_code"),
    "procedures": ("procedure_code", "procedure_name", "field_name", "online_service"),
}
OPTIONAL = {"units": {"valid_from", "valid_to", "successor_code"}, "targets": {"valid_to"}}
DATE_COLUMNS = {"valid_from", "valid_to"}


class ReferenceDataError(Exception):
    """A reference file that breaks a rule: nothing of it is used."""

    def __init__(self, message_vi: str, message_en: str):
        super().__init__(message_en)
        self.message_vi = message_vi
        self.message_en = message_en


# The error of the last sync in this process, when a file was refused (db.connect).
problem: ReferenceDataError | None = None


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _date(text: str, where: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ReferenceDataError(
            f"{where}: ngày «{text}» không hợp lệ, dùng dạng YYYY-MM-DD", f"{where}: bad date {text!r}"
        ) from None


def read_rows(table: str, path: Path) -> list[tuple[object, ...]]:
    """The file's rows as table tuples, validated; ReferenceDataError names the first bad row."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            header = [h.strip() for h in reader.fieldnames or []]
            missing = [c for c in COLUMNS[table] if c not in header and c not in OPTIONAL.get(table, set())]
            if missing:
                raise ReferenceDataError(
                    f"Tệp {path.name} thiếu cột: {', '.join(missing)}", f"{path.name} lacks columns {missing}"
                )
            raw = [{(k or "").strip(): (v or "") for k, v in r.items()} for r in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReferenceDataError(f"Không đọc được tệp {path.name}: {exc}", f"cannot read {path.name}: {exc}") from None
    rows = []
    for line, r in enumerate(raw, start=2):  # line 1 is the header
        where = f"Tệp {path.name}, dòng {line}"
        values: list[object] = []
        for c in COLUMNS[table]:
            text = r.get(c, "").strip()
            values.append(_date(text, where) if c in DATE_COLUMNS else (text or None))
        row = dict(zip(COLUMNS[table], values, strict=True))
        _check_row(table, row, where)
        rows.append(tuple(row.values()))
    if table == "units":
        _check_units(rows, path.name)
    return rows


def _check_row(table: str, row: dict[str, object], where: str) -> None:
    def fail(vi: str, en: str) -> None:
        raise ReferenceDataError(f"{where}: {vi}", f"{where}: {en}")

    if table == "targets":
        if row["metric"] not in METRIC_KEYS:
            fail(f"chỉ số «{row['metric']}» không có", f"unknown metric {row['metric']!r}")
        if row["tier"] not in (*TIER_CODES, ALL_TIERS):
            fail(
                f"cấp «{row['tier']}» không có (dùng {', '.join((*TIER_CODES, ALL_TIERS))})",
                f"unknown tier {row['tier']!r}",
            )
        if row["valid_from"] is None:
            fail("thiếu ngày hiệu lực (valid_from)", "valid_from is empty")
        if row["valid_to"] is not None and row["valid_to"] < row["valid_from"]:  # type: ignore[operator]
            fail("ngày hết hiệu lực trước ngày có hiệu lực", "valid_to is before valid_from")
        try:
            value = float(str(row["target"]).replace(",", "."))
        except ValueError:
            value = -1.0
        if not 0 <= value <= 1:
            fail(f"chỉ tiêu «{row['target']}» phải là tỷ lệ từ 0 đến 1 (0.97)", "target must be a fraction 0..1")
        row["target"] = value
    elif table == "units":
        if not row["unit_code"] or not row["unit_name"]:
            fail("thiếu mã hoặc tên đơn vị", "unit code or name is empty")
        if row["tier"] not in TIER_CODES:
            fail(f"cấp «{row['tier']}» không có (dùng {', '.join(TIER_CODES)})", f"unknown tier {row['tier']!r}")
        if row["valid_from"] and row["valid_to"] and row["valid_to"] < row["valid_from"]:  # type: ignore[operator]
            fail("ngày hết hiệu lực trước ngày có hiệu lực", "valid_to is before valid_from")
    elif table == "procedures" and not row["procedure_code"]:
        fail("thiếu mã thủ tục", "procedure code is empty")


def _check_units(rows: list[tuple[object, ...]], name: str) -> None:
    """One code's validity rows must not overlap; successors must exist and lead
    somewhere (no cycle)."""
    low, high = dt.date.min, dt.date.max
    spans: dict[str, list[tuple[dt.date, dt.date, int]]] = {}
    successor: dict[str, str] = {}
    for line, (code, _name, _tier, vfrom, vto, succ) in enumerate(rows, start=2):
        spans.setdefault(str(code), []).append((vfrom or low, vto or high, line))  # type: ignore[arg-type]
        if succ:
            successor[str(code)] = str(succ)
    for code, span in spans.items():
        span.sort()
        for (_a, end, line_a), (start, _b, line_b) in itertools.pairwise(span):
            if start <= end:
                raise ReferenceDataError(
                    f"Tệp {name}, dòng {line_b}: mã {code} có thời gian hiệu lực chồng lên dòng {line_a}",
                    f"{name}, line {line_b}: validity of {code} overlaps line {line_a}",
                )
    lines = {str(r[0]): i for i, r in enumerate(rows, start=2)}
    for code, succ in successor.items():
        if succ not in spans:
            raise ReferenceDataError(
                f"Tệp {name}, dòng {lines[code]}: đơn vị kế thừa «{succ}» của {code} không có trong danh mục",
                f"{name}, line {lines[code]}: successor {succ!r} of {code} is not in the catalogue",
            )
        seen, at = {code}, succ
        while at in successor:
            at = successor[at]
            if at in seen:
                raise ReferenceDataError(
                    f"Tệp {name}, dòng {lines[code]}: chuỗi đơn vị kế thừa của {code} quay vòng",
                    f"{name}, line {lines[code]}: the successor chain of {code} is a cycle",
                )
            seen.add(at)


def _recorded(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    return {
        t: (p, h) for t, p, h in con.execute("SELECT table_name, path, content_hash FROM reference_sources").fetchall()
    }


def load_csv(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> int:
    """Make `path` the source of one reference table (validated, stored, recorded):
    later connections keep following that file and its edits."""
    if table not in REFERENCE_FILES:
        raise ValueError(f"not a reference table: {table}")
    path = Path(path).resolve()
    rows = read_rows(table, path)
    con.execute("BEGIN")
    try:
        con.execute(f"DELETE FROM {table}")
        if rows:
            con.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' for _ in COLUMNS[table])})", rows)
        con.execute("DELETE FROM reference_sources WHERE table_name = ?", [table])
        con.execute("INSERT INTO reference_sources VALUES (?, ?, ?, now())", [table, str(path), file_hash(path)])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(rows)


def _sources(con: duckdb.DuckDBPyConnection) -> list[tuple[str, Path, str]]:
    """(table, file, hash last loaded) for each reference table: the recorded source
    while it exists, else the shipped default."""
    recorded = _recorded(con)
    out = []
    for table, default in REFERENCE_FILES.items():
        path_text, known_hash = recorded.get(table, (str(default), ""))
        path = Path(path_text)
        if not path.exists():
            path = default
        if path.exists():
            out.append((table, path, known_hash))
    return out


def stale(con: duckdb.DuckDBPyConnection) -> bool:
    """True when a reference file changed since it was last loaded."""
    return any(file_hash(path) != known for _table, path, known in _sources(con))


def sync(con: duckdb.DuckDBPyConnection) -> None:
    """Bring every reference table up to date with its file (on a read-write
    connection). Raises ReferenceDataError for a file that breaks a rule, after the
    other tables are synced; the refused table keeps its last good copy."""
    error = None
    for table, path, known in _sources(con):
        if file_hash(path) == known:
            continue
        try:
            load_csv(con, table, path)
        except ReferenceDataError as exc:
            error = error or exc
    if error:
        raise error


def source_paths(con: duckdb.DuckDBPyConnection) -> list[Path]:
    """The reference files in force (what stale() and version() read): a caller that keys
    a cache on the data version can watch them for a change."""
    return [path for _table, path, _known in _sources(con)]


def version(con: duckdb.DuckDBPyConnection) -> str:
    """The hashes of the reference data in force: part of the dashboard's cache key."""
    return ".".join(known[:12] for _table, _path, known in _sources(con))
