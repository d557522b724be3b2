"""A large import is written once, into the database file, not a second time into its
write-ahead log: its rows go to the file as they stream in, and numbering them
afterwards (source_row) changes every row, which a logged commit would copy whole into
the log (ingest._CHECKPOINT_AT_COMMIT). The import leaves the database's own
checkpoint threshold as it found it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from metrics import db, ingest
from tests.conftest import prepare_db

# more than one of DuckDB's row groups (122 880 rows), which it writes to the file
# before the commit
ROWS = 130_000


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ckpt") / "so_theo_doi.csv"
    lines = ["Mã hồ sơ,Mã đơn vị,Cơ quan giải quyết,Ngày tiếp nhận,Ngày hẹn trả,Trạng thái"]
    lines += [
        f"CK-{i:07d},000.00.06.H56,Sở Tư pháp,{i % 28 + 1:02d}/03/2024 08:00,{i % 28 + 1:02d}/04/2024,Đang xử lý"
        for i in range(ROWS)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _wal_bytes(database: Path) -> int:
    wal = Path(str(database) + ".wal")
    return wal.stat().st_size if wal.exists() else 0


def test_a_large_import_leaves_its_rows_in_the_database_file_not_in_the_log(tmp_path, export):
    database = prepare_db(tmp_path / "ckpt.duckdb")
    con = db.connect(database)
    try:
        summary = ingest.import_file(con, export)

        assert summary.rows_accepted == ROWS
        # a logged commit of these rows writes megabytes; a checkpoint leaves at most
        # an empty log
        assert _wal_bytes(database) < 64 * 1024
        numbered = con.execute("SELECT min(source_row), max(source_row), count(DISTINCT source_row) FROM dossiers")
        assert numbered.fetchone() == (2, ROWS + 1, ROWS)
    finally:
        con.close()


def test_the_database_keeps_its_own_checkpoint_threshold_after_an_import(tmp_path, export):
    con = db.connect(prepare_db(tmp_path / "ckpt.duckdb"))
    try:
        con.execute("SET wal_autocheckpoint = '48MiB'")
        before = con.execute("SELECT current_setting('wal_autocheckpoint')").fetchone()

        ingest.import_file(con, export)

        assert con.cursor().execute("SELECT current_setting('wal_autocheckpoint')").fetchone() == before
    finally:
        con.close()
