"""The benchmark's input files: the demo province's dossiers written as one large
vendor-shaped CSV, or as a report-shaped workbook (benchmarks/bench.py measures
importing them against the bare readers)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from metrics.demo.generate import generate
from metrics.demo.vendor_files import copy, select_sql, write_report_xlsx
from metrics.demo.vendor_shapes import labelled
from metrics.record import RATING_LABELS_VI, STATUSES
from metrics.registry import tier

_BENCH_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Mã hồ sơ", "dossier_code"),
    ("Mã TTHC", "procedure_code"),
    ("Tên TTHC", "procedure_name"),
    ("Lĩnh vực", "field_name"),
    ("Mã đơn vị", "agency_code"),
    ("Cơ quan giải quyết", "agency_name"),
    ("Cấp", "tier_vi"),
    ("Hình thức nộp", "channel_vi"),
    ("Ngày tiếp nhận", "strftime(received_at, '%d/%m/%Y %H:%M:%S')"),
    ("Ngày hẹn trả", "strftime(due_at, '%d/%m/%Y %H:%M:%S')"),
    ("Ngày kết thúc xử lý", "strftime(resolved_at, '%d/%m/%Y %H:%M:%S')"),
    ("Ngày trả kết quả", "strftime(returned_at, '%d/%m/%Y %H:%M:%S')"),
    ("Trạng thái", "status_vi"),
    ("Số lần bổ sung", "supplement_count"),
    ("Ngày xin lỗi", "strftime(apology_issued_at, '%d/%m/%Y %H:%M:%S')"),
    ("Mức độ hài lòng", "rating_vi"),
)


def _bench_labels(df: pd.DataFrame) -> pd.DataFrame:
    """Vietnamese labels as categoricals: renaming categories costs nothing per row."""
    out = df
    out["tier_vi"] = df["tier"].cat.rename_categories([tier(c).label_vi for c in df["tier"].cat.categories])
    out["channel_vi"] = df["channel"].cat.rename_categories(["Trực tuyến", "Trực tiếp", "Bưu chính công ích"])
    status_names = [STATUSES[k][0] for k in sorted(STATUSES)]
    out["status_vi"] = pd.Categorical.from_codes(df["status"].to_numpy().astype(np.int64) - 1, categories=status_names)
    rating = df["rating"].to_numpy(dtype=np.float64, na_value=np.nan)
    codes = np.where(np.isnan(rating), -1, rating - 1).astype(np.int64)
    out["rating_vi"] = pd.Categorical.from_codes(
        codes, categories=[RATING_LABELS_VI[k] for k in sorted(RATING_LABELS_VI)]
    )
    return out


def write_bench_csv(
    path: str | os.PathLike[str],
    n: int,
    seed: int = 42,
    delimiter: str = ",",
    df: pd.DataFrame | None = None,
) -> Path:
    """One large vendor-shaped CSV (UTF-8, Vietnamese headers and labels, dd/mm/yyyy
    HH:MM:SS dates) for the import benchmark; DuckDB formats and writes it in parallel."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    frame = _bench_labels(generate(n, seed) if df is None else df.copy())
    con = duckdb.connect()
    try:
        copy(con, frame, select_sql(_BENCH_COLUMNS), target, f"HEADER, DELIMITER '{delimiter}'")
    finally:
        con.close()
    return target


def write_bench_xlsx(path: str | os.PathLike[str], n: int = 100_000, seed: int = 42, excel_dates: bool = True) -> Path:
    """A report-shaped workbook of n dossiers for the Excel import benchmark."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    df = generate(n, seed)
    rows = labelled(df, "xlsx", np.random.default_rng([seed, 3]))
    first = df["received_at"].min()
    last = df["received_at"].max()
    con = duckdb.connect()
    try:
        write_report_xlsx(target, con, rows, (first.date(), last.date()), excel_dates=excel_dates)
    finally:
        con.close()
    return target
