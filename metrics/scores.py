"""Official scores users already have (issue 13): the national portal's Decision 766 table
per unit (CKMB, TDGQ, CLGQ, TTTT, MDHL, MDSH, TONG_SCORE, per year, quarter or month) and
a simple CSV of other indices (PAR INDEX, SIPAS: index, year, unit or province, score,
rank, number ranked, source). Recognised by their columns, so `python -m metrics ingest`
and the Data page take them like any export (ingest.import_file asks looks_like_scores).

A row that cannot be true (a score above its group's maximum, a rank beyond the number
ranked, a unit the catalogue does not know) goes to quarantine with its reason; every
other row of the file is kept. Stored append-only in `official_scores`."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from metrics import registry
from metrics.file_rows import file_hash
from metrics.forecast import GROUPS_766
from metrics.ingest_report import ImportSummary
from metrics.readers import UnreadableFile
from metrics.vi_format import fmt_int

SQL_DIR = Path(__file__).with_name("sql")
HEADER_SCAN_ROWS = 15  # portal exports put a title and a date line above the header
# A score table holds a few thousand rows at most; anything larger is a dossier export,
# which must not pay for opening a workbook twice.
MAX_BYTES = 5_000_000
SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
INDEX_766 = registry.DEFINITION_766
TOTAL = "TONG_SCORE"
INDEX_MAX = {"PAR INDEX": 100.0, "SIPAS": 100.0, "PAPI": 80.0}  # others: out of 100
DEFAULT_SOURCE = {INDEX_766: "Cổng Dịch vụ công quốc gia (Bộ chỉ số 766)", "index": "Tệp chỉ số nhập"}

# Folded header spellings (fold()) of each field.
ALIASES: dict[str, tuple[str, ...]] = {
    "unit_code": ("ma_don_vi", "ma_dv", "ma_co_quan", "unit_code", "ma_dvhc"),
    "unit_name": ("ten_don_vi", "don_vi", "co_quan", "ten_co_quan", "unit_name", "unit"),
    "province": ("tinh", "province", "tinh_thanh_pho", "tinh_thanh"),
    "year": ("nam", "year"),
    "quarter": ("quy", "quarter"),
    "month": ("thang", "month"),
    "rank": ("xep_hang", "hang", "thu_hang", "rank"),
    "ranked_of": ("so_xep_hang", "so_don_vi", "tong_so", "ranked_of", "number_ranked", "so_duoc_xep_hang"),
    "source": ("nguon", "source"),
    "index": ("chi_so", "ten_chi_so", "index", "index_name"),
    "score": ("diem", "score", "gia_tri", "diem_so"),
}


def fold(text: object) -> str:
    """'Mã đơn vị ' -> 'ma_don_vi': accents, case and punctuation do not matter."""
    s = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "D")
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")


@dataclass
class ScoreSummary(ImportSummary):
    kind: str = ""

    def line_vi(self) -> str:
        if self.already_imported:
            return super().line_vi()
        what = "bảng điểm Bộ chỉ số 766" if self.kind == INDEX_766 else "tệp chỉ số"
        return (
            f"{self.file_name}: {what}, đọc {fmt_int(self.rows_read)} dòng, nhận {fmt_int(self.rows_accepted)} "
            f"điểm, cách ly {fmt_int(self.rows_quarantined)} dòng lỗi."
        )

    def line_en(self) -> str:
        if self.already_imported:
            return super().line_en()
        return (
            f"{self.file_name}: official scores ({self.kind}), read {self.rows_read:,} rows, "
            f"accepted {self.rows_accepted:,} scores, quarantined {self.rows_quarantined:,}."
        )


# ----------------------------------------------------------------------------- reading


def _read_top(path: Path, nrows: int | None) -> pd.DataFrame:
    """The file's cells as text, without a header (it is found later)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return pd.read_excel(path, header=None, dtype=str, nrows=nrows, engine="calamine")
    last: Exception | None = None
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            return pd.read_csv(path, header=None, dtype=str, sep=None, engine="python", encoding=encoding, nrows=nrows)
        except UnicodeDecodeError as exc:
            last = exc
    raise ValueError(str(last))


def _field_columns(header: list[str]) -> dict[str, int]:
    folded = [fold(h) for h in header]
    found: dict[str, int] = {}
    for field, names in ALIASES.items():
        for i, h in enumerate(folded):
            if h in names and i not in found.values():
                found[field] = i
                break
    for code in GROUPS_766:
        if fold(code) in folded:
            found[code] = folded.index(fold(code))
    return found


def _kind(found: dict[str, int]) -> str | None:
    has_unit = "unit_code" in found or "unit_name" in found
    if all(code in found for code in GROUPS_766) and has_unit and "year" in found:
        return INDEX_766
    if {"index", "year", "score"} <= set(found) and (has_unit or "province" in found):
        return "index"
    return None


def _header(top: pd.DataFrame) -> tuple[int, dict[str, int], str] | None:
    for i in range(min(HEADER_SCAN_ROWS, len(top))):
        found = _field_columns(["" if pd.isna(v) else str(v) for v in top.iloc[i]])
        kind = _kind(found)
        if kind:
            return i, found, kind
    return None


def looks_like_scores(path: str | os.PathLike[str]) -> bool:
    """True when the file is a 766 score table or an indices CSV (by its columns). Reads
    only its first rows, so asking about a 10M-dossier export costs nothing."""
    p = Path(path)
    if p.suffix.lower() not in SUFFIXES or not p.is_file() or p.stat().st_size > MAX_BYTES:
        return False
    try:
        return _header(_read_top(p, HEADER_SCAN_ROWS)) is not None
    except Exception:  # not a table this module reads: the dossier importer decides
        return False


# ----------------------------------------------------------------------------- checking


class Refused(ValueError):
    """A row that cannot be stored: its reason in Vietnamese (str) and in English."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(vi)
        self.en = en


def _number(text: str | None) -> float | None:
    """'89,30' or '89.30' -> 89.3; empty -> None; ValueError if not a number."""
    if text is None or not text.strip():
        return None
    s = text.strip().replace(" ", "")
    if "," in s:
        s = s.replace(".", "").replace(",", ".")
    return float(s)


def _whole(text: str | None, low: int, high: int, what_vi: str) -> int | None:
    try:
        value = _number(text)
    except ValueError:
        raise Refused(f"{what_vi} «{text}» không phải là số", f"{what_vi} is not a number: {text}") from None
    if value is None:
        return None
    if value != int(value) or not low <= value <= high:
        raise Refused(f"{what_vi} «{text}» không hợp lệ", f"invalid {what_vi}: {text}")
    return int(value)


def _units(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, str], dict[str, str]]:
    """The catalogue by code and by folded name (names held by two units are left out)."""
    rows = con.cursor().execute("SELECT unit_code, unit_name FROM unit_catalogue").fetchall()
    by_code = {code: name for code, name in rows}
    by_name: dict[str, str] = {}
    seen: set[str] = set()
    for code, name in rows:
        key = fold(name)
        by_name.pop(key, None) if key in seen else by_name.setdefault(key, code)
        seen.add(key)
    return by_code, by_name


def _rows(cells: dict[str, str | None], kind: str, units: tuple[dict[str, str], dict[str, str]]) -> list[dict]:
    """The scores of one file row, or ValueError with the reason (in Vietnamese)."""
    by_code, by_name = units
    code, name = (cells.get("unit_code") or "").strip(), (cells.get("unit_name") or "").strip()
    province = (cells.get("province") or "").strip()
    if code or name:
        # a column may hold a code or a name ("unit"): try each value as both
        found = [v if v in by_code else by_name.get(fold(v)) for v in (code, name) if v]
        unit = next((u for u in found if u), None)
        if unit is None:
            raise Refused(
                f"đơn vị «{code or name}» không có trong danh mục đơn vị (data/units.csv)",
                f"unit {code or name!r} is not in the units catalogue",
            )
        unit_name: str | None = by_code[unit]
    elif province and kind == "index":
        unit, unit_name = None, province
    else:
        raise Refused("thiếu tên hoặc mã đơn vị", "no unit name or code")
    year = _whole(cells.get("year"), 2000, 2100, "năm")
    if year is None:
        raise Refused("thiếu năm", "no year")
    quarter = _whole(cells.get("quarter"), 1, 4, "quý")
    month = _whole(cells.get("month"), 1, 12, "tháng")
    rank = _whole(cells.get("rank"), 1, 100_000, "thứ hạng")
    ranked_of = _whole(cells.get("ranked_of"), 1, 100_000, "số đơn vị được xếp hạng")
    if rank is not None and ranked_of is not None and rank > ranked_of:
        raise Refused(
            f"thứ hạng {rank} lớn hơn số được xếp hạng {ranked_of}", f"rank {rank} beyond the {ranked_of} ranked"
        )
    if kind == INDEX_766:
        index, parts = INDEX_766, [(c, cells.get(c), GROUPS_766[c][1]) for c in GROUPS_766]
        source = cells.get("source") or DEFAULT_SOURCE[INDEX_766]
    else:
        index = (cells.get("index") or "").strip().upper().replace("_", " ")
        if not index:
            raise Refused("thiếu tên chỉ số", "no index name")
        parts = [(TOTAL, cells.get("score"), INDEX_MAX.get(index, 100.0))]
        source = cells.get("source") or DEFAULT_SOURCE["index"]
    out = []
    for component, text, maximum in parts:
        try:
            score = _number(text)
        except ValueError:
            raise Refused(f"điểm {component} «{text}» không phải là số", f"{component} is not a number") from None
        if score is None:
            continue
        if not 0 <= score <= maximum:
            raise Refused(
                f"điểm {component} = {text} ngoài khoảng 0–{maximum:g} của nhóm",
                f"{component} {text} outside its group's 0–{maximum:g}",
            )
        top = component == TOTAL
        out.append(
            {
                "index_name": index,
                "component": component,
                "year": year,
                "quarter": quarter,
                "month": month,
                "unit_code": unit,
                "unit_name": unit_name,
                "score": score,
                "max_score": maximum,
                "rank": rank if top else None,
                "ranked_of": ranked_of if top else None,
                "source": source.strip(),
            }
        )
    if not out:
        raise Refused("không có điểm nào", "no score")
    return out


# ----------------------------------------------------------------------------- importing


def import_scores(
    con: duckdb.DuckDBPyConnection, path: str | os.PathLike[str], display_name: str | None = None
) -> ScoreSummary:
    """Import a 766 table or an indices file: good rows into official_scores, bad rows
    into quarantine with their reason, one `imports` row; all in one transaction."""
    started = time.perf_counter()
    path = Path(path)
    name = display_name or path.name
    try:
        table = _read_top(path, None)
    except Exception as exc:
        raise UnreadableFile(
            f"Không đọc được tệp điểm «{name}»: hãy xuất lại tệp dạng CSV hoặc Excel.",
            f"Cannot read the score file '{name}': {exc}",
        ) from exc
    found = _header(table)
    if found is None:
        raise UnreadableFile(
            f"Tệp «{name}» không có các cột của bảng điểm 766 hoặc tệp chỉ số.",
            f"'{name}' has neither the 766 table's nor the indices file's columns.",
        )
    header_row, columns, kind = found
    content_hash = file_hash(path)
    if con.cursor().execute("SELECT 1 FROM imports WHERE content_hash = ?", [content_hash]).fetchall():
        return ScoreSummary(file_name=name, already_imported=True, kind=kind)
    units = _units(con)
    good: list[dict] = []
    bad: list[tuple[int, str, str, str]] = []
    body = table.iloc[header_row + 1 :]
    skipped = 0
    for offset, values in enumerate(body.itertuples(index=False, name=None)):
        cells = {f: (None if pd.isna(values[i]) else str(values[i])) for f, i in columns.items() if i < len(values)}
        if not any(v and v.strip() for v in cells.values()):
            skipped += 1  # blank line
            continue
        source_row = header_row + 2 + offset  # 1-based line of the file
        try:
            good.extend(_rows(cells, kind, units))
        except Refused as exc:
            raw = json.dumps({f: cells.get(f) for f in columns}, ensure_ascii=False)
            bad.append((source_row, raw, str(exc), exc.en))
    summary = ScoreSummary(
        file_name=name,
        file_format=f"scores_{kind}",
        rows_read=len(body),
        rows_accepted=len(good),
        rows_quarantined=len(bad),
        rows_skipped=skipped,
        kind=kind,
    )
    _store(con, name, content_hash, summary, good, bad, started)
    return summary


def _store(
    con: duckdb.DuckDBPyConnection,
    name: str,
    content_hash: str,
    summary: ScoreSummary,
    good: list[dict],
    bad: list[tuple[int, str, str, str]],
    started: float,
) -> None:
    cur = con.cursor()  # a cursor of its own: no unfinished result of the caller's stands in the way
    cur.execute("BEGIN TRANSACTION")
    try:
        # fetchall, not fetchone: an unfinished result would block register() below
        import_id = int(cur.execute("SELECT coalesce(max(import_id), 0) + 1 FROM imports").fetchall()[0][0])
        if good:
            frame = pd.DataFrame(good)
            frame.insert(0, "import_id", import_id)
            cur.register("_scores_in", frame)
            try:
                cur.execute(
                    "INSERT INTO official_scores SELECT import_id, index_name, component, year, quarter, month, "
                    "unit_code, unit_name, score, max_score, rank, ranked_of, source FROM _scores_in"
                )
            finally:
                cur.unregister("_scores_in")
        for source_row, raw, reason_vi, reason_en in bad:
            cur.execute(
                "INSERT INTO quarantine VALUES (?, ?, ?, ?, ?, ?)",
                [import_id, name, source_row, raw, f"Điểm chính thức: {reason_vi}", f"Official score: {reason_en}"],
            )
        summary.import_id = import_id
        summary.seconds = time.perf_counter() - started
        cur.execute(
            "INSERT INTO imports (import_id, file_name, content_hash, file_format, rows_read, rows_accepted, "
            "rows_quarantined, rows_duplicate, rows_skipped, columns_dropped, imported_at, seconds) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                import_id,
                name,
                content_hash,
                summary.file_format,
                summary.rows_read,
                summary.rows_accepted,
                summary.rows_quarantined,
                0,
                summary.rows_skipped,
                "",
                dt.datetime.now(),
                summary.seconds,
            ],
        )
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise


# ----------------------------------------------------------------------------- reading back


def official(con: duckdb.DuckDBPyConnection, unit: str | None = None) -> pd.DataFrame:
    """The scores in force (the newest import of each index, component, period and unit),
    with the rank a year earlier for the same index, component and period of the year."""
    sql = (SQL_DIR / "official_scores.sql").read_text(encoding="utf-8")
    return con.cursor().execute(sql, {"unit": unit}).df()
