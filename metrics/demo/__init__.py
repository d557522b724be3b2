"""Demo data for one province, and the vendor-shaped exports it ships as.

The dashboard has to be shown, tested and benchmarked without real citizens' data, and
a demo that filled the tables directly would never exercise the importer. So the demo
covers the 24 full months before today (`window`), `generate` draws canonical dossier
records for them, `write_exports` splits those into the messy monthly exports a real
province receives, and `build_demo` imports the files through the same importer a
province uses. When the window spans 01/07/2025 the two-tier reform happens inside it
(catalogue.py). The benchmark's input files and runner live in bench.py.

Everything is vectorised (numpy, pyarrow, DuckDB): 10M rows are drawn without one
Python object per row, which the import benchmark needs.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from metrics.demo.catalogue import load_procedures, load_units
from metrics.demo.generate import generate, window
from metrics.demo.vendor_files import write_exports
from metrics.demo.vendor_shapes import encode_cp1258

if TYPE_CHECKING:
    from metrics.ingest import ImportSummary


def build_demo(
    con: duckdb.DuckDBPyConnection,
    out_dir: str | os.PathLike[str],
    n_dossiers: int = 200_000,
    seed: int = 42,
    today: date | None = None,
) -> list[ImportSummary]:
    """Generate the province for the window before `today` (default: the real today),
    write its exports into out_dir and import each one, oldest first, through the
    importer every real file goes through; then the units' official scores (the
    portal's 766 table and a PAR INDEX file), which a province imports the same way."""
    from metrics.ingest import import_file
    from metrics.score_files import write_demo_scores

    start, end = window(today or date.today())
    df = generate(n_dossiers, seed, start, end)
    paths = write_exports(df, Path(out_dir), seed)
    # the two years that ended before the window's end have official scores
    paths += write_demo_scores(Path(out_dir) / "scores", years=(end.year - 2, end.year - 1))
    return [import_file(con, p) for p in paths]


__all__ = [
    "build_demo",
    "encode_cp1258",
    "generate",
    "load_procedures",
    "load_units",
    "window",
    "write_exports",
]
