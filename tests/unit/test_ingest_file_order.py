"""Every dossier keeps the file row it came from, though DuckDB reads a CSV file on
several threads at once: the rows are stored in parallel and numbered afterwards from
their order in `dossiers` (file_rows.number_rows, sql/source_row.sql).

The exports here are about 12 MB: DuckDB's CSV reader splits a file into scan tasks of
a few megabytes, so with two threads the blocks are read side by side (a bare read of
such a file with preserve_insertion_order off comes back out of order). Each code says
the line it is written on, so the test knows every row's answer. Empty lines, which
DuckDB's reader skips without a row, move the rows below them down the file
(sql/file_lines.sql); some exports here have them.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from metrics import db, file_rows, ingest
from tests.conftest import prepare_db
from tests.fixtures.make_fixtures import to_cp1258

ROWS = 40_000
HEADER = (
    "Mã hồ sơ,Mã đơn vị,Cơ quan giải quyết,Cấp,Hình thức nộp,Ngày tiếp nhận,Ngày hẹn trả,"
    "Ngày kết thúc xử lý,Trạng thái,Ghi chú"
)
# an ignored column that makes the file big enough to be split among threads
NOTE = "ghi chú " * 30


def _dossier(code: str, i: int, received: str | None = None) -> str:
    day, month = i % 28 + 1, i % 12 + 1
    received = received or f"{day:02d}/{month:02d}/2024 08:00"
    return (
        f"{code},000.00.06.H56,Sở Tư pháp,Sở ban ngành,Trực tuyến,{received},"
        f"{min(day + 5, 28):02d}/{month:02d}/2024,{min(day + 3, 28):02d}/{month:02d}/2024,Đã trả kết quả,{NOTE}"
    )


def _export(path: Path, prefix: str, dirty: bool, blank: bool = False) -> tuple[dict[str, int], dict[str, int]]:
    """A report-shaped export (two title lines above the header). Returns the file row
    of every dossier and of every row that must go to quarantine, by code. `dirty`
    sprinkles in what is neither: totals, a header repeated on a new page, a signature
    block; and rows that cannot be read (a date that does not exist, a row cut short).
    `blank` puts empty lines between the rows, one or two at a time."""
    lines = ["BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ", "Kỳ báo cáo: năm 2024", HEADER]
    stored: dict[str, int] = {}
    quarantined: dict[str, int] = {}
    for i in range(ROWS):
        row = len(lines) + 1  # the file row this line is written on
        code = f"{prefix}-{row:07d}"
        if dirty and i % 1009 == 7:
            lines.append(_dossier(code, i, received="31/02/2024 08:00"))  # no such day
            quarantined[code] = row
        elif dirty and i % 2003 == 11:
            lines.append(f"{code},000.00.06.H56,Sở Tư pháp")  # cut short
            quarantined[code] = row
        else:
            lines.append(_dossier(code, i))
            stored[code] = row
        if dirty and i % 4999 == 100:
            lines.append("Tổng cộng,,,,,,,,,")
        if dirty and i % 15013 == 500:
            lines.append(HEADER)
        if blank and i % 997 == 3:
            lines += [""] * (1 + i % 2)
    if dirty:
        lines += ["", "Người lập biểu,,,,,,Thủ trưởng đơn vị,,,"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size > 10 * 2**20
    return stored, quarantined


@pytest.fixture
def con(tmp_path):
    connection = db.connect(prepare_db(tmp_path / "order.duckdb"))
    connection.execute("SET threads = 2")
    yield connection
    connection.close()


def _source_rows(con, import_id: int) -> dict[str, int]:
    return dict(
        con.execute("SELECT dossier_code, source_row FROM dossiers WHERE import_id = ?", [import_id]).fetchall()
    )


def _quarantine_rows(con, import_id: int) -> dict[str, int]:
    rows = con.execute("SELECT raw, source_row FROM quarantine WHERE import_id = ?", [import_id]).fetchall()
    return {json.loads(raw)["dossier_code"]: source_row for raw, source_row in rows}


@pytest.mark.parametrize(
    ("dirty", "blank"),
    [(False, False), (False, True), (True, False), (True, True)],
    ids=["every line a dossier", "dossiers and empty lines", "with noise and bad rows", "with all of them"],
)
def test_every_dossier_read_in_parallel_keeps_the_row_it_has_in_the_file(con, tmp_path, dirty, blank):
    path = tmp_path / "so_theo_doi.csv"
    stored, quarantined = _export(path, "HS", dirty, blank)

    summary = ingest.import_file(con, path)

    assert summary.rows_accepted == len(stored)
    assert _source_rows(con, summary.import_id) == stored
    assert _quarantine_rows(con, summary.import_id) == quarantined


def test_a_second_file_is_numbered_from_its_own_rows_not_from_those_already_stored(con, tmp_path):
    first, _ = _export(tmp_path / "thang_1.csv", "A", dirty=True)
    second, quarantined = _export(tmp_path / "thang_2.csv", "B", dirty=True)
    ingest.import_file(con, tmp_path / "thang_1.csv")

    summary = ingest.import_file(con, tmp_path / "thang_2.csv")

    assert _source_rows(con, summary.import_id) == second
    assert _quarantine_rows(con, summary.import_id) == quarantined
    assert _source_rows(con, summary.import_id - 1) == first


def test_on_one_thread_the_rows_are_numbered_as_they_stream(con, tmp_path):
    """One thread plans a plain insert, not a batch insert: the importer then numbers
    the rows as they stream (file_rows.inserts_in_file_order), with the same result."""
    con.execute("SET threads = 1")
    stored, quarantined = _export(tmp_path / "so_theo_doi.csv", "HS", dirty=True, blank=True)

    summary = ingest.import_file(con, tmp_path / "so_theo_doi.csv")

    assert _source_rows(con, summary.import_id) == stored
    assert _quarantine_rows(con, summary.import_id) == quarantined


@pytest.mark.parametrize(
    ("encoding", "newline"),
    [("utf-8", "\r\n"), ("cp1258", "\n"), ("utf-16", "\r\n")],
    ids=["Windows line ends", "Windows-1258", "UTF-16 (Excel's Unicode text)"],
)
def test_a_row_below_empty_lines_is_cited_by_its_line_whatever_the_encoding(con, tmp_path, encoding, newline):
    """The empty lines are found in the text DuckDB reads: a file in another encoding
    is read through a UTF-8 copy, with the same lines."""
    delimiter = "\t" if encoding == "utf-16" else ","
    lines = [HEADER, _dossier("HS-2", 1), "", _dossier("HS-4", 2), "", "", _dossier("HS-7", 3)]
    lines += [_dossier("HS-8", 4).replace("Đã trả kết quả", "Không rõ"), "", _dossier("HS-10", 5), ""]
    path = tmp_path / "so_theo_doi.csv"
    text = newline.join(line.replace(",", delimiter) for line in lines) + newline
    path.write_bytes(to_cp1258(text) if encoding == "cp1258" else text.encode(encoding))

    summary = ingest.import_file(con, path)

    assert _source_rows(con, summary.import_id) == {"HS-2": 2, "HS-4": 4, "HS-7": 7, "HS-10": 10}
    assert _quarantine_rows(con, summary.import_id) == {"HS-8": 8}


def test_the_scan_finds_every_empty_line_wherever_the_blocks_it_reads_end(tmp_path, monkeypatch):
    """file_rows.blank_lines reads a file a block at a time; an empty line (LF or CRLF
    alone) may straddle two blocks. Files of random line ends, read in blocks of 1 to 5
    bytes, against the lines Python splits; and the scan beside the hash never counts
    fewer lines than there are."""
    rng = random.Random(14)
    path = tmp_path / "lines.csv"
    for _ in range(2000):
        content = b"".join(rng.choice([b"a", b"\n", b"\r\n", b"bb", b"\r"]) for _ in range(rng.randint(0, 14)))
        path.write_bytes(content)
        monkeypatch.setattr(file_rows, "BLOCK", rng.randint(1, 5))
        expected = [n for n, line in enumerate(content.split(b"\n")[:-1], start=1) if line in (b"", b"\r")]

        assert file_rows.blank_lines(path) == expected, content
        assert file_rows.scan(path).lines >= len(content.splitlines()), content
