"""Where the engine's files live: the repository's data/ folder and the DuckDB file.

Kept apart from db.py so that reference data, fonts and the database can all find
their files without importing each other."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_DB = DATA_DIR / "cchc.duckdb"


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--db wins, then the CCHC_DB environment variable, then data/cchc.duckdb."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("CCHC_DB")
    return Path(env) if env else DEFAULT_DB
