"""Uploads reach the importer through a file on disk, copied in chunks: no whole-file
copy in memory, and a file past the size limit is refused before it is read."""

from __future__ import annotations

import tomllib
from pathlib import Path

import duckdb
import pytest
from streamlit.proto.Common_pb2 import FileURLs
from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec

from tests.unit.test_locking import export
from ui import datapage

ROOT = Path(__file__).resolve().parents[2]


def uploaded(path: Path) -> UploadedFile:
    return UploadedFile(UploadedFileRec("1", path.name, "text/csv", path.read_bytes()), FileURLs())


@pytest.fixture
def db_file(tmp_path, monkeypatch) -> Path:
    target = tmp_path / "uploads.duckdb"
    monkeypatch.setenv("CCHC_DB", str(target))
    return target


def dossiers(db_file: Path) -> int:
    with duckdb.connect(str(db_file), read_only=True) as con:
        return con.execute("SELECT count(*) FROM dossiers").fetchone()[0]


class ChunkedOnly(UploadedFile):
    """An upload that fails the test if it is read whole: getbuffer() on Streamlit's
    upload un-shares its bytes (a second copy of a 300 MB file), getvalue() and read()
    without a size hold one too."""

    reads: list[int]

    def getbuffer(self):
        raise AssertionError("getbuffer() copies the whole upload")

    def getvalue(self):
        raise AssertionError("getvalue() copies the whole upload")

    def read(self, size=-1):
        assert size is not None and 0 < size <= datapage.CHUNK, f"read({size}) holds the whole upload"
        self.reads.append(size)
        return super().read(size)


def test_an_upload_is_streamed_to_disk_in_chunks_and_imported(db_file, tmp_path):
    source = export(tmp_path / "big.csv", "U", 20_000)
    f = ChunkedOnly(UploadedFileRec("1", source.name, "text/csv", source.read_bytes()), FileURLs())
    f.reads = []
    results = datapage.run_imports([f])
    assert results[0][0] == "ok", results
    assert dossiers(db_file) == 20_000
    assert len(f.reads) > 1  # more than one chunk: it was copied piece by piece


def test_a_file_past_the_limit_is_refused_and_the_next_one_still_imported(db_file, tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_MAX_UPLOAD_MB", "1")
    big = uploaded(export(tmp_path / "big.csv", "B", 20_000))
    small = uploaded(export(tmp_path / "small.csv", "S", 10))
    assert big.size > 1 << 20
    results = datapage.run_imports([big, small])
    assert results[0] == ("error", "Tệp big.csv lớn hơn giới hạn 1 MB nên không được nhập.")
    assert results[1][0] == "ok"
    assert dossiers(db_file) == 10


def test_the_shipped_server_settings_are_the_safe_defaults():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert 100 <= config["server"]["maxUploadSize"] <= 500  # a year's export, not a gigabyte


def test_a_page_run_holds_the_database_once_and_lets_go_at_its_end(demo_path, monkeypatch):
    """Every query of a run shares one open file (ui.data.hold_run); at the run's end
    (release_run) it is let go, and a writer (a CLI import) gets in between two runs."""
    from ui import data

    monkeypatch.setenv("CCHC_DB", demo_path)
    data.begin_run()
    data.hold_run()
    try:
        with data.reading() as first:
            pass
        with data.reading() as second:
            assert second is first  # not opened again
        with pytest.raises(duckdb.Error):  # held read-only by this process meanwhile
            duckdb.connect(demo_path, read_only=False)
    finally:
        data.release_run()
    duckdb.connect(demo_path, read_only=False).close()


def test_the_data_version_is_read_again_only_when_the_files_change(demo_path, monkeypatch):
    """A run whose files are as the last run left them reuses the version it read (no
    open of the file); a write by another process (a CLI import) is seen on the next run."""
    from metrics import db as mdb
    from ui import data

    monkeypatch.setenv("CCHC_DB", demo_path)
    for _ in range(2):  # the process's first open brings the schema up to date: a write
        data.begin_run()
        before = data.version()
    data.begin_run()
    with monkeypatch.context() as m:
        m.setattr(mdb, "data_version", lambda _con: pytest.fail("the unchanged file was read again"))
        assert data.version() == before
    writer = duckdb.connect(demo_path, read_only=False)  # as a CLI import would, between two runs
    writer.execute("INSERT INTO imports SELECT * REPLACE (import_id + 1000 AS import_id) FROM imports LIMIT 1")
    writer.close()
    data.begin_run()
    assert data.version() != before
