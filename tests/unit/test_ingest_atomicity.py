"""An import is one transaction: a CLI ingest killed with SIGKILL half way leaves the
database exactly as it was (or, if the kill came after the commit, with the whole file).

The test measures how long a full import of a ~300k-row export takes on this machine,
then kills fresh runs at points inside that window: first as soon as the import visibly
starts writing (the .wal appears or the database file grows), then at fixed fractions of
the measured time. Every kill must leave one of the two whole states; at least one kill
must land while the import is running, so the test cannot pass vacuously.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FIXTURES, ROOT, cli_env, prepare_db, run_cli

ROWS = 300_000

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs Linux /proc")


@pytest.fixture(scope="module")
def big_export(tmp_path_factory) -> Path:
    """A vendor-shaped CSV (';', dd/mm/yyyy, Vietnamese vocabularies) of ROWS dossiers."""
    path = tmp_path_factory.mktemp("big") / "so_theo_doi_ca_nam.csv"
    units = [
        ("000.00.06.H56", "Sở Tư pháp", "Sở, ban, ngành"),
        ("000.30.31.H56", "UBND xã Hương Minh", "Cấp xã"),
        ("000.21.30.H56", "UBND huyện Vũ Quang", "Cấp huyện"),
    ]
    channels = ("Trực tuyến", "Trực tiếp", "Bưu chính công ích", "")
    statuses = ("Đã trả kết quả", "Đang xử lý", "Đã xử lý xong", "Được tiếp nhận")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(
            "Mã hồ sơ;Tên TTHC;Mã đơn vị;Cơ quan giải quyết;Cấp;Hình thức nộp;Ngày tiếp nhận;"
            "Ngày hẹn trả;Ngày kết thúc xử lý;Trạng thái;Mức độ hài lòng\n"
        )
        lines = []
        for i in range(ROWS):
            code, name, tier = units[i % 3]
            day, month = i % 28 + 1, i % 12 + 1
            st = statuses[i % 4]
            end = f"{min(day + 3, 28):02d}/{month:02d}/2024" if st in ("Đã trả kết quả", "Đã xử lý xong") else ""
            lines.append(
                f"BIG-{i:07d};Đăng ký khai sinh;{code};{name};{tier};{channels[i % 4]};"
                f"{day:02d}/{month:02d}/2024 08:00;{min(day + 5, 28):02d}/{month:02d}/2024;{end};{st};"
                f"{(i % 5) + 1 if end else ''}\n"
            )
        f.write("".join(lines))
    return path


@pytest.fixture(scope="module")
def baseline_db(tmp_path_factory) -> Path:
    path = prepare_db(tmp_path_factory.mktemp("base") / "base.duckdb")
    run_cli("ingest", FIXTURES / "canonical.csv", db=path, check=True)
    assert not Path(str(path) + ".wal").exists()
    return path


def _copy(src: Path, dst_dir: Path, name: str) -> Path:
    dst = dst_dir / name
    shutil.copyfile(src, dst)
    return dst


def _state(path: Path) -> tuple[int, int, int]:
    con = duckdb.connect(str(path))  # read-write: replays a WAL left by the killed process
    try:
        return tuple(
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("dossiers", "imports", "quarantine")
        )
    finally:
        con.close()


def _has_open(pid: int, path: Path) -> bool:
    target = str(path.resolve())
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}").startswith(target):
                    return True
            except OSError:
                continue
    except OSError:
        return False
    return False


def _start(db: Path, export: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "metrics", "ingest", str(export), "--db", str(db)],
        cwd=ROOT,
        env=cli_env(db),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_open(proc: subprocess.Popen, db: Path, timeout: float = 60) -> float | None:
    """Seconds until the process holds the database open, or None if it exited first."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc.poll() is not None:
            return None
        if _has_open(proc.pid, db):
            return time.monotonic() - t0
        time.sleep(0.005)
    raise AssertionError("the CLI never opened the database")


def _writing(db: Path, size0: int) -> bool:
    wal = Path(str(db) + ".wal")
    return (wal.exists() and wal.stat().st_size > 0) or db.stat().st_size != size0


def test_an_ingest_killed_half_way_leaves_the_database_as_it_was(big_export, baseline_db, tmp_path):
    before = _state(_copy(baseline_db, tmp_path, "probe.duckdb"))

    # 1. a full import, timed, gives the "after" state and the window to aim at
    full = _copy(baseline_db, tmp_path, "full.duckdb")
    size0 = full.stat().st_size
    t0 = time.monotonic()
    proc = _start(full, big_export)
    opened_after = _wait_open(proc, full)
    first_write = None
    while proc.poll() is None:
        if first_write is None and _writing(full, size0):
            first_write = time.monotonic() - t0
        time.sleep(0.002)
    assert proc.wait(timeout=300) == 0, "the full import must succeed for this test to mean anything"
    total = time.monotonic() - t0
    after = _state(full)
    assert after[0] == before[0] + ROWS, f"full import stored {after[0] - before[0]} of {ROWS} dossiers"
    start = first_write if first_write is not None else (opened_after or 0.0)
    window = max(total - start, 0.05)

    outcomes = []
    # 2. kill as soon as the import starts writing, then at fractions of the window;
    # the later plans run only while no kill has yet landed inside the import (before its commit).
    plans = [("first write", None), ("50%", 0.5), ("25%", 0.25), ("80%", 0.8)]
    for label, frac in plans:
        if any(o[1] and o[2] and o[5] == before for o in outcomes):
            break
        db = _copy(baseline_db, tmp_path, f"kill_{len(outcomes)}.duckdb")
        size0 = db.stat().st_size
        proc = _start(db, big_export)
        opened = _wait_open(proc, db)
        saw_write = False
        if frac is None:
            deadline = time.monotonic() + window * 2
            while proc.poll() is None and time.monotonic() < deadline:
                if _writing(db, size0):
                    saw_write = True
                    break
                time.sleep(0.002)
        else:
            # aim between the first write and the end of the measured full import
            time.sleep(max(0.0, start - (opened_after or 0.0)) + window * frac)
            saw_write = _writing(db, size0)
        alive = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        rc = proc.wait(timeout=30)
        state = _state(db)
        outcomes.append((label, opened is not None, alive, rc, saw_write, state))
        assert state in (before, after), (
            f"kill at {label}: database left half-imported {state}; before {before}, after {after}"
        )
    killed_inside = [o for o in outcomes if o[1] and o[2] and o[3] == -signal.SIGKILL]
    assert killed_inside, f"no kill landed while the import was running: {outcomes}"
    assert any(o[5] == before for o in killed_inside), f"every kill came after the commit: {outcomes}"
