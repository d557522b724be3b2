"""Behaviour on bad input (issue 2): unreadable files are refused whole with a one-line
Vietnamese message and exit code 2; unreadable rows are quarantined with a reason while the
rest lands; re-imports change nothing; overlapping exports resolve to the later import;
an exact duplicate row inside a file counts once."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest

from tests.conftest import FIXTURES, dossier, prepare_db, query, run_cli, table_counts

VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I)
UNREADABLE = [
    "not_a_spreadsheet.xlsx",
    "truncated.xlsx",
    "no_dossier_code.csv",
    "empty.csv",
    "binary_named.csv",  # random bytes under a .csv name
    "unknown_encoding.csv",  # neither UTF-8 nor Windows-1258
    "deeply_nested.json",  # deeper than any parser's recursion limit
]


def _nonempty_lines(proc) -> list[str]:
    return [ln for ln in (proc.stdout + "\n" + proc.stderr).splitlines() if ln.strip()]


_BASELINE: dict = {}


def _baseline(db):
    """Turn `db` into a database that already holds one import (so 'nothing written' is
    not trivially true); the first call imports through the CLI, later calls copy it."""
    import shutil

    if "file" not in _BASELINE:
        proc = run_cli("ingest", FIXTURES / "canonical.csv", db=db)
        assert proc.returncode == 0, proc.stderr
        keep = db.parent / "baseline_copy.duckdb"
        shutil.copyfile(db, keep)
        _BASELINE["file"] = keep
    else:
        shutil.copyfile(_BASELINE["file"], db)
    return table_counts(db)


# ------------------------------------------------------------------ unreadable files
@pytest.mark.parametrize("name", UNREADABLE)
def test_an_unreadable_file_exits_2_with_one_vietnamese_line_and_writes_nothing(db, name):
    before = _baseline(db)
    proc = run_cli("ingest", FIXTURES / name, db=db)
    assert proc.returncode == 2, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    lines = _nonempty_lines(proc)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert len(lines) == 1, f"expected one line, got {lines}"
    assert VIETNAMESE.search(unicodedata.normalize("NFC", lines[0])), f"not Vietnamese: {lines[0]!r}"
    assert name in lines[0], "the message names the file"
    assert table_counts(db) == before


def test_a_header_only_csv_stores_no_dossier_and_does_not_crash(db):
    """Issue 2 lists 'empty' among unreadable files; a header with no rows may be refused
    (exit 2) or read as zero dossiers (exit 0) — either way nothing lands."""
    before = _baseline(db)
    proc = run_cli("ingest", FIXTURES / "header_only.csv", db=db)
    assert proc.returncode in (0, 2), proc.stderr
    assert "Traceback" not in proc.stderr
    assert table_counts(db)["dossiers"] == before["dossiers"]
    assert table_counts(db)["quarantine"] == before["quarantine"]


def test_one_unreadable_file_among_good_ones_exits_2_and_the_good_ones_still_land(db):
    proc = run_cli(
        "ingest",
        FIXTURES / "vendor_b_utf8_comma.csv",
        FIXTURES / "not_a_spreadsheet.xlsx",
        FIXTURES / "canonical.csv",
        db=db,
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert table_counts(db)["dossiers"] == 10 + 4
    assert table_counts(db)["imports"] == 2
    assert "Traceback" not in proc.stderr


def test_a_missing_file_is_refused_like_an_unreadable_one(db):
    before = table_counts(db)
    proc = run_cli("ingest", FIXTURES / "does_not_exist.csv", db=db)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert table_counts(db) == before


@pytest.mark.parametrize("name", ["not_a_spreadsheet.xlsx", "no_dossier_code.csv", "empty.csv"])
def test_the_python_api_raises_unreadable_file_with_both_messages(db, name):
    import duckdb

    from metrics import ingest

    con = duckdb.connect(str(db))
    try:
        with pytest.raises(ingest.UnreadableFile) as exc:
            ingest.import_file(con, FIXTURES / name)
        assert exc.value.message_vi and VIETNAMESE.search(exc.value.message_vi)
        assert exc.value.message_en
        assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 0
    finally:
        con.close()


# ------------------------------------------------------------------ bad rows
@pytest.fixture(scope="module")
def bad_rows_import(tmp_path_factory):
    """bad_rows.csv imported once through the CLI; the checks below only read it."""
    path = prepare_db(tmp_path_factory.mktemp("bad_rows") / "bad_rows.duckdb")
    return path, run_cli("ingest", FIXTURES / "bad_rows.csv", db=path)


def test_rows_with_a_bad_date_or_unknown_status_are_quarantined_and_the_rest_imported(bad_rows_import):
    db, proc = bad_rows_import
    assert proc.returncode == 0, "quarantined rows do not make the file unreadable\n" + proc.stderr
    codes = sorted(r[0] for r in query(db, "SELECT dossier_code FROM dossiers"))
    assert codes == ["BAD-0001", "BAD-0004", "BAD-0006"]
    q = query(db, "SELECT raw, reason_vi, reason_en FROM quarantine ORDER BY source_row")
    assert len(q) == 2, q
    raws = [json.loads(r[0]) for r in q]
    joined = [json.dumps(r, ensure_ascii=False) for r in raws]
    assert "BAD-0002" in joined[0] and "31/02/2024" in joined[0], joined
    assert "BAD-0003" in joined[1] and "Chờ phê duyệt cấp trên" in unicodedata.normalize("NFC", joined[1])
    for _, vi, en in q:
        assert vi.strip() and en.strip()
        assert VIETNAMESE.search(vi), vi


def test_quarantine_reasons_say_which_value_was_wrong(bad_rows_import):
    db, _ = bad_rows_import
    (date_reason,), (status_reason,) = query(db, "SELECT reason_en FROM quarantine ORDER BY source_row")
    assert re.search(r"date|received", date_reason, re.I), date_reason
    assert re.search(r"status", status_reason, re.I), status_reason


def test_quarantine_keeps_the_source_row_of_each_bad_row(bad_rows_import):
    db, _ = bad_rows_import
    rows = [r[0] for r in query(db, "SELECT source_row FROM quarantine ORDER BY source_row")]
    # data rows 2 and 3 of the file; lines 3 and 4 counting the header. Either numbering.
    assert rows in ([2, 3], [3, 4], [1, 2]), rows


def test_the_import_log_counts_read_accepted_quarantined_and_duplicate_rows(bad_rows_import):
    db, _ = bad_rows_import
    ((read, accepted, quarantined, duplicate),) = query(
        db, "SELECT rows_read, rows_accepted, rows_quarantined, rows_duplicate FROM imports"
    )
    assert (read, quarantined, duplicate) == (6, 2, 1)
    assert accepted == 3, "accepted = dossiers stored from this file (the duplicate counts once)"


def test_the_summary_line_says_how_many_rows_were_quarantined(bad_rows_import):
    _, proc = bad_rows_import
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip() and not ln.startswith(" ")]
    assert len(lines) == 1, lines
    assert re.search(r"\b2\b", lines[0]), lines[0]


def test_an_exact_duplicate_row_inside_one_file_counts_once(bad_rows_import):
    db, _ = bad_rows_import
    assert query(db, "SELECT count(*) FROM dossiers WHERE dossier_code = 'BAD-0001'") == [(1,)]


# ------------------------------------------------------------------ re-imports and overlaps
def test_importing_the_same_file_twice_changes_nothing_and_says_already_imported(db):
    first = run_cli("ingest", FIXTURES / "vendor_a_utf8_bom_semicolon.csv", db=db, check=True)
    before = table_counts(db)
    snapshot = query(db, "SELECT * FROM dossiers ORDER BY dossier_code")
    second = run_cli("ingest", FIXTURES / "vendor_a_utf8_bom_semicolon.csv", db=db)
    assert second.returncode == 0, second.stderr
    assert table_counts(db) == before
    assert query(db, "SELECT * FROM dossiers ORDER BY dossier_code") == snapshot
    line = unicodedata.normalize("NFC", second.stdout).casefold()
    assert re.search(r"đã\s+(được\s+)?nhập|already imported", line), second.stdout
    assert line != unicodedata.normalize("NFC", first.stdout).casefold()


def test_the_same_content_under_another_name_is_still_already_imported(db, tmp_path):
    copy = tmp_path / "ban_sao_thang_3.csv"
    copy.write_bytes((FIXTURES / "export_2024_03.csv").read_bytes())
    run_cli("ingest", FIXTURES / "export_2024_03.csv", db=db, check=True)
    before = table_counts(db)
    run_cli("ingest", copy, db=db, check=True)
    assert table_counts(db) == before


def test_the_python_api_reports_already_imported(db):
    import duckdb

    from metrics import ingest

    con = duckdb.connect(str(db))
    try:
        first = ingest.import_file(con, FIXTURES / "canonical.csv")
        second = ingest.import_file(con, FIXTURES / "canonical.csv")
    finally:
        con.close()
    assert first.already_imported is False and second.already_imported is True
    assert table_counts(db)["imports"] == 1


def test_overlapping_monthly_exports_keep_the_later_import_of_a_dossier(db):
    run_cli("ingest", FIXTURES / "export_2024_03.csv", db=db, check=True)
    run_cli("ingest", FIXTURES / "export_2024_04.csv", db=db, check=True)
    assert table_counts(db)["dossiers"] == 4
    ov1 = dossier(db, "OV-0001")
    assert ov1["status"] == 10
    assert ov1["resolved_at"] is not None and ov1["resolved_at"].date().isoformat() == "2024-04-02"
    assert ov1["rating"] == 4
    assert dossier(db, "OV-0002")["status"] == 10  # only in March: untouched


def test_an_older_export_imported_later_never_reopens_a_resolved_dossier(db):
    run_cli("ingest", FIXTURES / "export_2024_04.csv", db=db, check=True)
    proc = run_cli("ingest", FIXTURES / "export_2024_03.csv", db=db, check=True)
    assert table_counts(db)["dossiers"] == 4
    ov1 = dossier(db, "OV-0001")
    assert ov1["status"] == 10 and ov1["resolved_at"].date().isoformat() == "2024-04-02"
    assert "cũ hơn dữ liệu đã có 1" in proc.stdout, proc.stdout
    assert query(db, "SELECT rows_superseded FROM imports ORDER BY import_id") == [(0,), (1,)]


def test_overlapping_exports_given_in_one_command_are_imported_in_the_order_given(db):
    proc = run_cli("ingest", FIXTURES / "export_2024_03.csv", FIXTURES / "export_2024_04.csv", db=db, check=True)
    assert len([ln for ln in proc.stdout.splitlines() if ln.strip() and not ln.startswith(" ")]) == 2, proc.stdout
    assert dossier(db, "OV-0001")["status"] == 10
