"""Files that try to hurt us, made for real on disk and imported through the CLI: each is
refused with exit 2 and a Vietnamese message naming it, or read without harm, and a
refused file writes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb

from tests.conftest import ROOT, cli_env, prepare_db

HEADER = "Mã hồ sơ,Trạng thái,Ngày tiếp nhận,Ngày hẹn trả,Mức độ hài lòng,Số lần bổ sung,Kênh thực hiện\n"


def ingest(db: Path, path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "metrics", "ingest", str(path), "--db", str(db)],
        cwd=ROOT,
        env={**cli_env(db), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def imports(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM imports").fetchone()[0]
    finally:
        con.close()


def assert_refused(proc: subprocess.CompletedProcess[str], name: str, db: Path) -> None:
    assert proc.returncode == 2, proc.stderr
    assert name in proc.stderr and "Traceback" not in proc.stderr
    assert imports(db) == 0


def _workbook(path: Path, sheet_xml: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return path


def test_a_zip_bomb_workbook_is_refused_before_anything_is_unpacked(tmp_path):
    db = prepare_db(tmp_path / "z.duckdb")
    # 40 MB of one byte deflates to a few dozen KB: the cap (here 5 MB) is read from
    # the zip's directory, so nothing is unpacked to find out
    bomb = _workbook(tmp_path / "bao-cao.xlsx", b"<worksheet>" + b"0" * 40_000_000 + b"</worksheet>")
    assert bomb.stat().st_size < 1_000_000
    proc = ingest(db, bomb, CCHC_MAX_UNPACKED_MB="5")
    assert_refused(proc, "bao-cao.xlsx", db)
    assert "giải nén" in proc.stderr


def test_a_workbook_declaring_more_cells_than_the_cap_is_refused(tmp_path):
    db = prepare_db(tmp_path / "c.duckdb")
    sheet = b'<worksheet><dimension ref="A1:Z2000000"/><sheetData/></worksheet>'  # 52 million cells
    proc = ingest(db, _workbook(tmp_path / "lon.xlsx", sheet))
    assert_refused(proc, "lon.xlsx", db)
    assert "ô" in proc.stderr


def test_json_nested_a_hundred_thousand_levels_is_refused(tmp_path):
    db = prepare_db(tmp_path / "n.duckdb")
    deep = tmp_path / "long-nhau.json"
    deep.write_text('{"data":' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    assert_refused(ingest(db, deep), "long-nhau.json", db)


def test_json_with_a_million_keys_is_read_in_linear_time(tmp_path):
    """The key scan used to be quadratic (a million keys never finished); the run's
    timeout is the check. The dossier is kept, the keys are reported as a count."""
    db = prepare_db(tmp_path / "k.duckdb")
    record = {f"k{i}": i for i in range(1_000_000)}
    record.update({"MaHoSo": "X-1", "TrangThaiHoSo": "4", "NgayTiepNhan": "20240301080000"})
    path = tmp_path / "nhieu-khoa.json"
    path.write_text(json.dumps({"data": [record]}), encoding="utf-8")
    proc = ingest(db, path)
    assert proc.returncode == 0, proc.stderr
    assert "cột khác" in proc.stdout and len(proc.stdout) < 20_000


def test_a_csv_with_a_fifty_megabyte_cell_is_refused(tmp_path):
    db = prepare_db(tmp_path / "b.duckdb")
    path = tmp_path / "o-lon.csv"
    path.write_text(HEADER + 'A-1,4,01/03/2024,05/03/2024,,0,"' + "x" * 50_000_000 + '"\n', encoding="utf-8")
    assert_refused(ingest(db, path), "o-lon.csv", db)


def test_a_truncated_export_never_overwrites_good_values(tmp_path):
    db = prepare_db(tmp_path / "t.duckdb")
    good = tmp_path / "du.csv"
    good.write_text(HEADER + "T-1,10,01/03/2024,05/03/2024,5,0,2\nT-2,10,01/03/2024,05/03/2024,4,1,1\n", "utf-8")
    cut = tmp_path / "bi-cat.csv"
    cut.write_text(HEADER + "T-1,10,01/03/2024,05/03/2024,5,0,2\nT-2,10,01/03/2024\n", "utf-8")
    assert ingest(db, good).returncode == 0
    proc = ingest(db, cut)
    assert proc.returncode == 0 and "cách ly 1 dòng" in proc.stdout
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            "SELECT rating, supplement_count, channel FROM dossiers WHERE dossier_code = 'T-2'"
        ).fetchone()
        reason = con.execute("SELECT reason_vi FROM quarantine").fetchone()[0]
    finally:
        con.close()
    assert row == (4, 1, "direct")
    assert "thiếu cột" in reason
    # the original, imported again, restores what the database should hold (not refused)
    again = ingest(db, good)
    assert again.returncode == 0 and "đã nhập trước đây" not in again.stdout


def test_an_empty_field_is_not_a_missing_one(tmp_path):
    db = prepare_db(tmp_path / "e.duckdb")
    path = tmp_path / "trong.csv"
    path.write_text(HEADER + "E-1,4,01/03/2024,05/03/2024,,0,\n", "utf-8")  # empty rating and channel
    proc = ingest(db, path)
    assert proc.returncode == 0 and "cách ly 0 dòng" in proc.stdout
