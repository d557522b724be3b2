"""Official scores (issue 13): the portal's 766 table and an indices CSV are recognised by
their columns and imported through `python -m metrics ingest`; an impossible row goes to
quarantine with its reason and every other row of the file is kept."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from metrics import scores
from metrics.score_files import write_demo_scores
from tests.conftest import FIXTURES, query, run_cli

TP, HM = "000.00.06.H56", "000.30.31.H56"
PORTAL_HEADER = "MA_DON_VI,TEN_DON_VI,NAM,CKMB,TDGQ,CLGQ,TTTT,MDHL,MDSH,TONG_SCORE,XEP_HANG,SO_DON_VI"


def _file(tmp: Path, name: str, lines: list[str]) -> Path:
    path = tmp / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _scores(db: Path) -> list[tuple]:
    return query(
        db, "SELECT index_name, component, year, unit_code, score, rank, ranked_of FROM official_scores ORDER BY ALL"
    )


def _reasons(db: Path) -> list[tuple]:
    return query(db, "SELECT source_row, reason_vi FROM quarantine ORDER BY source_row")


def test_the_portal_table_is_recognised_by_its_columns_and_a_dossier_export_is_not(tmp_path):
    table = _file(tmp_path, "bang_766.csv", [PORTAL_HEADER, f"{TP},Sở Tư pháp,2025,15,18,10,8,16,20,87,2,13"])
    assert scores.looks_like_scores(table)
    assert not scores.looks_like_scores(FIXTURES / "canonical.csv")
    assert not scores.looks_like_scores(FIXTURES / "national_sync.json")


def test_a_score_above_its_groups_maximum_is_quarantined_and_the_rest_kept(db, tmp_path):
    table = _file(
        tmp_path,
        "bang_766.csv",
        [
            PORTAL_HEADER,
            f'{TP},Sở Tư pháp,2025,"15,5",18,10,8,16,20,"87,50",2,13',
            f"{HM},UBND xã Hương Minh,2025,15,21,10,8,16,20,90,1,13",  # TDGQ 21 > 20
            "999.99,Sở Không Có,2025,15,18,10,8,16,20,87,3,13",  # unknown unit
            f"{HM},UBND xã Hương Minh,2025,15,18,10,8,16,20,87,14,13",  # rank 14 of 13
            f"{HM},UBND xã Hương Minh,năm ngoái,15,18,10,8,16,20,87,1,13",  # not a year
        ],
    )
    proc = run_cli("ingest", table, db=db)
    assert proc.returncode == 0, proc.stderr
    assert "cách ly 4 dòng lỗi" in proc.stdout
    stored = _scores(db)
    assert ("766", "TONG_SCORE", 2025, TP, 87.5, 2, 13) in stored
    assert ("766", "CKMB", 2025, TP, 15.5, None, None) in stored
    assert {row[3] for row in stored} == {TP}
    reasons = _reasons(db)
    assert [r[0] for r in reasons] == [3, 4, 5, 6]
    assert "TDGQ" in reasons[0][1] and "0–20" in reasons[0][1]
    assert "999.99" in reasons[1][1] and "danh mục" in reasons[1][1]
    assert "thứ hạng 14 lớn hơn số được xếp hạng 13" in reasons[2][1]
    assert "năm «năm ngoái»" in reasons[3][1]


def test_an_indices_file_takes_units_by_code_or_name_and_the_province(db, tmp_path):
    csv = _file(
        tmp_path,
        "chi_so.csv",
        [
            "index,year,unit,province,score,rank,ranked_of,source",
            f'PAR INDEX,2025,{TP},,"89,30",12,13,Bộ Nội vụ',
            "PAR INDEX,2025,UBND xã Hương Minh,,80,3,20,Sở Nội vụ",
            "SIPAS,2025,,Tỉnh Hà Tĩnh,85,7,34,Bộ Nội vụ",
            "PAR INDEX,2025,,Tỉnh Hà Tĩnh,101,7,34,Bộ Nội vụ",  # above 100
        ],
    )
    run_cli("ingest", csv, db=db, check=True)
    assert _scores(db) == [
        ("PAR INDEX", "TONG_SCORE", 2025, TP, 89.3, 12, 13),
        ("PAR INDEX", "TONG_SCORE", 2025, HM, 80.0, 3, 20),
        ("SIPAS", "TONG_SCORE", 2025, None, 85.0, 7, 34),
    ]
    assert len(_reasons(db)) == 1


def test_an_excel_table_with_a_title_above_its_header_is_read(db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["BẢNG XẾP HẠNG BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP"])
    ws.append([])
    ws.append(["Mã đơn vị", "Tên đơn vị", "Năm", "Quý", "CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH", "TONG_SCORE"])
    ws.append([TP, "Sở Tư pháp", 2026, 1, 16, 19, 11, 9, 17, 21, 93])
    path = tmp_path / "portal.xlsx"
    wb.save(path)
    run_cli("ingest", path, db=db, check=True)
    assert query(db, "SELECT quarter, score FROM official_scores WHERE component = 'TONG_SCORE'") == [(1, 93.0)]


def test_the_same_file_twice_adds_nothing(db, tmp_path):
    files = write_demo_scores(tmp_path / "demo")
    run_cli("ingest", *files, db=db, check=True)
    before = query(db, "SELECT count(*) FROM official_scores")
    again = run_cli("ingest", *files, db=db, check=True)
    assert "đã nhập trước đây" in again.stdout
    assert query(db, "SELECT count(*) FROM official_scores") == before


def test_the_shipped_demo_files_are_what_the_script_writes(tmp_path):
    for written in write_demo_scores(tmp_path):
        shipped = Path(scores.__file__).parents[1] / "data" / "demo_scores" / written.name
        assert written.read_text(encoding="utf-8") == shipped.read_text(encoding="utf-8")
