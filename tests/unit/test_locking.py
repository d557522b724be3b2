"""Working together on one DuckDB file, with real processes: a nightly CLI import while
the dashboard is up, two imports at once, and an import that cannot get the file.

DuckDB lets one process write a file and no other process write it while any holds it
open, so: the dashboard holds the file only while a query runs (metrics.db.Shared), an
import waits a bounded time for it (CCHC_LOCK_WAIT / --wait), and two imports take turns.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from metrics import db
from tests.app import demo_db

ROOT = Path(__file__).resolve().parents[2]
HEADER = (
    "Mã hồ sơ,Tên TTHC,Mã đơn vị,Cơ quan giải quyết,Cấp,Hình thức nộp,Ngày tiếp nhận,"
    "Ngày hẹn trả,Ngày kết thúc xử lý,Trạng thái,Mức độ hài lòng"
)


def export(path: Path, prefix: str, rows: int) -> Path:
    """An export of `rows` dossiers whose codes no other file shares."""
    lines = [HEADER]
    for i in range(rows):
        day = 1 + i % 28
        lines.append(
            f"{prefix}-{i:06d},Đăng ký khai sinh,000.31.32.H56,UBND phường Bắc Hồng,Cấp xã,Trực tuyến,"
            f"{day:02d}/03/2025,{day:02d}/04/2025,{day:02d}/03/2025,Đã trả kết quả,5"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ingest(db_file: Path, *files: Path, wait: float | None = None) -> subprocess.Popen:
    args = [sys.executable, "-m", "metrics", "ingest", "--db", str(db_file), *map(str, files)]
    if wait is not None:
        args += ["--wait", str(wait)]
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def count(db_file: Path) -> int:
    with duckdb.connect(str(db_file), read_only=True) as con:
        return con.execute("SELECT count(*) FROM dossiers").fetchone()[0]


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return demo_db.build(tmp_path / "shared.duckdb", 3_000)


def test_two_imports_at_once_take_turns_and_every_row_lands(db_file, tmp_path):
    before = count(db_file)
    first = ingest(db_file, export(tmp_path / "a.csv", "A", 40_000))
    second = ingest(db_file, export(tmp_path / "b.csv", "B", 30_000))
    results = [(*p.communicate(timeout=300), p.returncode) for p in (first, second)]
    for _out, err, code in results:
        assert code == 0, err
        assert "Traceback" not in err
    assert count(db_file) == before + 40_000 + 30_000


def test_a_cli_import_gets_in_between_the_dashboard_s_queries_and_the_next_query_sees_it(db_file, tmp_path):
    """The dashboard's way of reading (db.Shared, as ui/data.py uses it) in busy threads
    of this process, while two CLI processes import into the same file."""
    shared = db.Shared(db_file)
    before = count(db_file)
    seen: list[int] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def page_loads() -> None:
        while not stop.is_set():
            try:
                with shared.reading(wait=120) as con:
                    seen.append(con.cursor().execute("SELECT count(*) FROM dossiers").fetchone()[0])
            except BaseException as exc:  # collected and asserted below
                errors.append(exc)
                return
            time.sleep(0.02)

    readers = [threading.Thread(target=page_loads) for _ in range(3)]
    for r in readers:
        r.start()
    try:
        time.sleep(0.3)
        importers = [
            ingest(db_file, export(tmp_path / "a.csv", "A", 20_000), wait=120),
            ingest(db_file, export(tmp_path / "b.csv", "B", 20_000), wait=120),
        ]
        for p in importers:
            (
                _out,
                err,
            ) = p.communicate(timeout=300)
            assert p.returncode == 0, err
    finally:
        time.sleep(0.3)
        stop.set()
        for r in readers:
            r.join(timeout=60)
    assert not errors, errors
    assert seen[0] == before and seen[-1] == before + 40_000
    assert set(seen) <= {before, before + 20_000, before + 40_000}  # never a half-written import


def test_an_import_that_cannot_get_the_file_waits_then_says_why_in_vietnamese(db_file, tmp_path):
    before = count(db_file)
    holder = duckdb.connect(str(db_file))  # another process keeps the file (here: this one)
    try:
        started = time.monotonic()
        p = ingest(db_file, export(tmp_path / "a.csv", "A", 10), wait=1.5)
        _out, err = p.communicate(timeout=120)
        waited = time.monotonic() - started
    finally:
        holder.close()
    assert p.returncode == 2
    assert "Cơ sở dữ liệu đang được một tiến trình khác sử dụng" in err and "1.5 giây" in err
    assert "Traceback" not in err and str(db_file) not in err
    assert waited >= 1.5
    assert count(db_file) == before  # nothing written


def test_the_wait_comes_from_the_environment_when_not_given(db_file, tmp_path, monkeypatch):
    holder = duckdb.connect(str(db_file), read_only=True)  # a reader blocks a writer too
    try:
        env = {**os.environ, "CCHC_LOCK_WAIT": "0.5"}
        args = [
            sys.executable,
            "-m",
            "metrics",
            "ingest",
            "--db",
            str(db_file),
            str(export(tmp_path / "a.csv", "A", 5)),
        ]
        done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    finally:
        holder.close()
    assert done.returncode == 2 and "0.5 giây" in done.stderr


def another_process_can_write(db_file: Path) -> bool:
    code = f"from metrics import db\ndb.connect({str(db_file)!r}, wait=0.2).close()"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, timeout=60).returncode == 0


def test_the_dashboard_holds_the_file_only_while_a_query_runs(db_file):
    shared = db.Shared(db_file)
    with shared.reading() as con:
        con.cursor().execute("SELECT 1").fetchall()
        assert not another_process_can_write(db_file)  # a writer waits while a query runs…
    assert another_process_can_write(db_file)  # …and gets in as soon as it ends


def test_an_upload_waits_for_running_queries_and_later_queries_wait_for_it(db_file):
    shared = db.Shared(db_file)
    order: list[str] = []
    with shared.reading() as con:
        con.cursor().execute("SELECT 1").fetchall()

        def upload() -> None:
            with shared.writing(wait=30) as w:
                order.append("write")
                w.execute("CREATE TABLE IF NOT EXISTS _probe AS SELECT 1 AS x")

        writer = threading.Thread(target=upload)
        writer.start()
        time.sleep(0.3)
        order.append("query done")
    writer.join(timeout=30)
    with shared.reading() as con:
        assert con.cursor().execute("SELECT x FROM _probe").fetchone()[0] == 1
    assert order == ["query done", "write"]


def test_a_writer_in_the_dashboard_s_process_waits_for_its_own_read_only_connection(db_file):
    """The deck opens a read-only connection of its own (ui.data.con); an upload in the
    same process waits for it to be dropped instead of failing."""
    reader = db.connect(db_file, read_only=True)
    threading.Timer(0.5, reader.close).start()
    started = time.monotonic()
    db.connect(db_file, wait=30).close()
    assert time.monotonic() - started >= 0.4
