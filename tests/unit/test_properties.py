"""Properties every KPI must keep, whatever the dossiers: a rate is a fraction in [0, 1]
or no value; a tier's rate is the ratio of its units' sums; the order of rows, splitting a
file in two, or importing it again changes nothing; and on well-formed data the engine
agrees with a naive row-by-row reading of docs/metrics.md (tests/golden/oracle.py).

Runs in-process through metrics.ingest.import_file / metrics.compute.kpis; examples are
few so the suite stays fast.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import GOLDEN, UNITS_CSV

sys.path.insert(0, str(GOLDEN))
import oracle

from metrics.record import CANONICAL_COLUMNS

FROM, TO = dt.date(2024, 3, 1), dt.date(2024, 4, 30)
UNITS = {
    "000.00.06.H56": ("Sở Tư pháp", "department"),
    "000.00.12.H56": ("Sở Kế hoạch và Đầu tư", "department"),
    "000.30.31.H56": ("UBND xã Hương Minh", "commune"),
    "000.31.32.H56": ("UBND phường Bắc Hồng", "commune"),
}
HEADER = list(CANONICAL_COLUMNS)
BASE = dt.datetime(2024, 2, 1, 8, 0)

PROPS = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
PROPS_TWO_DBS = settings(PROPS, max_examples=5)


@st.composite
def dossier_rows(draw):
    """One well-formed dossier (no quality-rule breaches): received before due and end,
    every ended status (7..10) has an end date, status 1 has no receipt."""
    status = draw(st.integers(1, 10))
    unit = draw(st.sampled_from(sorted(UNITS)))
    channel = draw(st.sampled_from(["online", "direct", "postal", ""]))
    received = (
        None if status == 1 else BASE + dt.timedelta(days=draw(st.integers(0, 110)), hours=draw(st.integers(0, 15)))
    )
    due = resolved = returned = None
    if received is not None and draw(st.booleans() | st.just(True)):
        due = received + dt.timedelta(days=draw(st.integers(0, 30)), hours=draw(st.integers(0, 8)))
    if received is not None and status >= 7:
        end = received + dt.timedelta(days=draw(st.integers(0, 40)), hours=draw(st.integers(0, 8)))
        if draw(st.booleans()):
            resolved = end
            if draw(st.booleans()):
                returned = end + dt.timedelta(days=draw(st.integers(0, 3)))
        else:
            returned = end
    rating = draw(st.none() | st.integers(1, 5))
    supplements = draw(st.integers(0, 3))
    return [unit, channel, received, due, resolved, returned, status, supplements, rating]


def _iso(x):
    return "" if x is None else x.isoformat(timespec="seconds")


def write_csv(path: Path, rows: list[list]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for code, (unit, channel, rec, due, res, ret, status, supp, rating) in rows:
            name, tier = UNITS[unit]
            w.writerow(
                [
                    code,
                    "1.001193",
                    "Đăng ký khai sinh",
                    "Hộ tịch",
                    unit,
                    name,
                    tier,
                    channel,
                    _iso(rec),
                    _iso(due),
                    _iso(res),
                    _iso(ret),
                    status,
                    supp,
                    "",
                    "" if rating is None else rating,
                ]
            )
    return path


def fresh_db(directory: Path):
    from metrics import db as mdb
    from metrics import reference

    con = mdb.connect(directory / "p.duckdb")
    reference.load_csv(con, "units", UNITS_CSV)
    return con


def import_files(con, *paths):
    from metrics import ingest

    return [ingest.import_file(con, p) for p in paths]


def kpi_table(con, by=("tier",), definition="resolved") -> dict:
    """{(metric, tier, unit_code, month): (numerator, denominator, rate)} over non-empty rows."""
    from metrics import compute

    frame = compute.kpis(con, FROM, TO, by=by, on_time_definition=definition)
    out = {}
    for r in frame.to_dict("records"):
        den = int(r["denominator"] or 0)
        if den == 0:
            continue
        rate = r["rate"]
        key = (r["metric"], _none(r.get("tier")), _none(r.get("unit_code")), _none(r.get("month")))
        out[key] = (int(r["numerator"]), den, None if _none(rate) is None else float(rate))
    return out


def _none(v):
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    try:
        import pandas as pd

        if v is pd.NA or v is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    return v


def numbered(rows):
    return [(f"P-{i:05d}", r) for i, r in enumerate(rows)]


rows_strategy = st.lists(dossier_rows(), min_size=1, max_size=40)


@PROPS
@given(rows=rows_strategy)
def test_every_rate_is_a_fraction_in_0_1_or_no_value(rows):
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        con = fresh_db(d)
        try:
            import_files(con, write_csv(d / "a.csv", numbered(rows)))
            from metrics import compute

            for by in [("unit",), ("month",)]:
                for definition in ("resolved", "766"):
                    frame = compute.kpis(con, FROM, TO, by=by, on_time_definition=definition)
                    for r in frame.to_dict("records"):
                        rate, den, num = _none(r["rate"]), int(r["denominator"] or 0), int(r["numerator"] or 0)
                        assert 0 <= num <= den, r
                        if den == 0:
                            assert rate is None, r
                        else:
                            assert 0.0 <= rate <= 1.0, r
        finally:
            con.close()


@PROPS
@given(rows=rows_strategy)
def test_a_tier_rate_is_the_sum_of_its_units_numerators_over_the_sum_of_their_denominators(rows):
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        con = fresh_db(d)
        try:
            import_files(con, write_csv(d / "a.csv", numbered(rows)))
            for definition in ("resolved", "766"):
                tiers = kpi_table(con, ("tier",), definition)
                units = kpi_table(con, ("unit",), definition)
                sums: dict = {}
                for (metric, _tier, unit, _m), (num, den, _r) in units.items():
                    tier = UNITS[unit][1]
                    n, dd = sums.get((metric, tier), (0, 0))
                    sums[(metric, tier)] = (n + num, dd + den)
                got = {(m, t): (num, den) for (m, t, _u, _mo), (num, den, _r) in tiers.items()}
                assert got == sums
                for num, den, rate in tiers.values():
                    assert rate == pytest.approx(num / den)
        finally:
            con.close()


@PROPS_TWO_DBS
@given(rows=rows_strategy, seed=st.integers(0, 2**16))
def test_shuffling_the_rows_of_the_export_changes_no_kpi(rows, seed):
    items = numbered(rows)
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    with tempfile.TemporaryDirectory() as d1, tempfile.TemporaryDirectory() as d2:
        a, b = fresh_db(Path(d1)), fresh_db(Path(d2))
        try:
            import_files(a, write_csv(Path(d1) / "x.csv", items))
            import_files(b, write_csv(Path(d2) / "y.csv", shuffled))
            for by in [("unit",), ("month",)]:
                for definition in ("resolved", "766"):
                    assert kpi_table(a, by, definition) == kpi_table(b, by, definition)
        finally:
            a.close()
            b.close()


@PROPS_TWO_DBS
@given(rows=st.lists(dossier_rows(), min_size=2, max_size=40), cut=st.floats(0.0, 1.0))
def test_splitting_a_file_in_two_changes_no_kpi(rows, cut):
    items = numbered(rows)
    k = max(1, min(len(items) - 1, int(len(items) * cut)))
    with tempfile.TemporaryDirectory() as d1, tempfile.TemporaryDirectory() as d2:
        a, b = fresh_db(Path(d1)), fresh_db(Path(d2))
        try:
            import_files(a, write_csv(Path(d1) / "whole.csv", items))
            import_files(b, write_csv(Path(d2) / "part1.csv", items[:k]), write_csv(Path(d2) / "part2.csv", items[k:]))
            for by in [("unit",), ("month",)]:
                for definition in ("resolved", "766"):
                    assert kpi_table(a, by, definition) == kpi_table(b, by, definition)
        finally:
            a.close()
            b.close()


@PROPS
@given(rows=rows_strategy)
def test_importing_the_same_export_twice_changes_nothing(rows):
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        con = fresh_db(d)
        try:
            path = write_csv(d / "a.csv", numbered(rows))
            import_files(con, path)
            once = {by: kpi_table(con, by) for by in [("tier",), ("unit",)]}
            counts = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("dossiers", "imports")]
            (second,) = import_files(con, path)
            assert second.already_imported is True
            assert [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("dossiers", "imports")] == counts
            assert {by: kpi_table(con, by) for by in [("tier",), ("unit",)]} == once
        finally:
            con.close()


@PROPS
@given(rows=rows_strategy)
def test_on_well_formed_data_the_engine_agrees_with_a_row_by_row_reading_of_the_rules(rows):
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        con = fresh_db(d)
        try:
            path = write_csv(d / "a.csv", numbered(rows))
            import_files(con, path)
            dossiers = oracle.load(path)
            for definition in ("resolved", "766"):
                want = {}
                for (metric, group), (num, den, _c, _cd) in oracle.kpis(dossiers, FROM, TO, "unit", definition).items():
                    if den:
                        want[(metric, group)] = (num, den)
                got = {
                    (m, u): (num, den)
                    for (m, _t, u, _mo), (num, den, _r) in kpi_table(con, ("unit",), definition).items()
                }
                assert got == want, definition
        finally:
            con.close()


def test_the_property_generator_writes_files_the_oracle_reads(tmp_path):
    """Sanity check of the test's own plumbing (runs without the engine)."""
    row = ["000.00.06.H56", "online", BASE, BASE + dt.timedelta(days=2), BASE + dt.timedelta(days=1), None, 10, 0, 5]
    (x,) = oracle.load(write_csv(tmp_path / "one.csv", numbered([row])))
    assert (x.status, x.channel, x.end, x.rating) == (10, "online", dt.date(2024, 2, 2), 5)
    duckdb.connect(":memory:").close()


# ------------------------------------------------------------------ same dossiers, any vendor shape
STATUS_VI = {
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}
STATUS_PORTAL = {
    1: "receiving",
    2: "new",
    3: "denied",
    4: "processing",
    5: "waiting",
    6: "paying",
    7: "cancelled",
    8: "unresolved",
    9: "releasing",
    10: "done",
}
CHANNEL_VI = {"online": "Nộp trực tuyến", "direct": "Trực tiếp", "postal": "BCCI", "": ""}
TIER_VI = {"department": "Sở, ban, ngành", "commune": "Cấp xã"}
RATING_VI = {5: "Rất hài lòng", 4: "Hài lòng", 3: "Bình thường", 2: "Không hài lòng", 1: "Rất không hài lòng"}
VENDOR_HEADER = [
    "Số hồ sơ",
    "Mã đơn vị",
    "Đơn vị xử lý",
    "Cấp thực hiện",
    "Kênh tiếp nhận",
    "Ngày tiếp nhận",
    "Hẹn trả",
    "Ngày kết thúc xử lý",
    "Ngày trả",
    "Tình trạng",
    "Số lần yêu cầu bổ sung",
    "Đánh giá",
    "Họ tên người nộp",
]


def _vendor_rows(items, date_fmt, status_map):
    out = []
    for code, (unit, channel, rec, due, res, ret, status, supp, rating) in items:
        name, tier = UNITS[unit]
        out.append(
            [
                code,
                unit,
                name,
                TIER_VI[tier],
                CHANNEL_VI[channel],
                *(date_fmt(x) for x in (rec, due, res, ret)),
                status_map[status],
                str(supp),
                "" if rating is None else RATING_VI[rating],
                "Nguyễn Văn A",
            ]
        )
    return out


def _dmy(x):
    return "" if x is None else x.strftime("%d/%m/%Y %H:%M:%S")


def _utc_z(x):
    return "" if x is None else (x - dt.timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_vendor_shapes(d: Path, items) -> list[Path]:
    import importlib.util

    from tests.conftest import FIXTURES

    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    mf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mf)
    a = d / "vnpt.csv"  # UTF-8 BOM, ';', dd/mm/yyyy HH:MM:SS, Vietnamese status names
    mf.write_csv(a, VENDOR_HEADER, _vendor_rows(items, _dmy, STATUS_VI), delimiter=";", bom=True)
    b = d / "viettel.csv"  # Windows-1258, ',', UTC timestamps with Z, portal status codes
    buf = __import__("io").StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(VENDOR_HEADER)
    w.writerows(_vendor_rows(items, _utc_z, STATUS_PORTAL))
    b.write_bytes(mf.to_cp1258(buf.getvalue()))
    c = d / "so_theo_doi.xlsx"  # printed-report Excel with real dates
    rows = []
    for i, r in enumerate(_vendor_rows(items, lambda x: x, STATUS_VI), start=1):
        rows.append([i, *r])
    mf._report_xlsx(
        c,
        org="UBND TỈNH",
        title_period="Từ ngày 01/02/2024 đến ngày 31/05/2024",
        header=["STT", *VENDOR_HEADER],
        rows=rows,
        date_cols={6, 7, 8, 9},
        place="Hà Tĩnh",
    )
    return [a, b, c, *write_other_shapes(d, items, mf)]


CHANNEL_CODE = {"online": 2, "direct": 1, "postal": 3, "": None}


def write_other_shapes(d: Path, items, mf) -> list[Path]:
    """The shapes of issue 9: an HTML table saved as .xls (two-level header), SpreadsheetML
    (blank cells skipped with ss:Index) after a summary sheet, a workbook with the dossiers
    split over two sheets, the national sync body (supplements as a nested list) and an
    API envelope with camelCase keys."""
    html = d / "bao_cao.xls"
    mf.write_html_xls(html, VENDOR_HEADER, _vendor_rows(items, _dmy, STATUS_VI), group=(5, 4, "Ngày"))
    typed = _vendor_rows(items, lambda x: x, STATUS_VI)
    ssml = d / "so_theo_doi_2003.xls"
    mf.write_spreadsheetml(ssml, [("Tổng hợp", mf.SUMMARY_SHEET), ("Danh sách", [VENDOR_HEADER, *typed])])
    book = d / "theo_thang.xlsx"
    half = len(typed) // 2
    mf.write_workbook(
        book,
        [
            ("Tổng hợp", mf.SUMMARY_SHEET),
            ("Tháng 1", [VENDOR_HEADER, *typed[:half]]),
            ("Tháng 2", [VENDOR_HEADER, *typed[half:]]),
        ],
    )
    sync = d / "dong_bo.json"
    mf.write_json(
        sync,
        {
            "service": "DongBoHoSoMC",
            "isUpdating": False,
            "data": [
                {
                    "MaHoSo": code, "KenhThucHien": CHANNEL_CODE[channel], "NgayTiepNhan": mf.ymdhms(rec),
                    "NgayHenTra": mf.ymdhms(due), "NgayKetThucXuLy": mf.ymdhms(res), "NgayTra": mf.ymdhms(ret),
                    "TrangThaiHoSo": status, "DanhSachHoSoBoSung": [{"LyDo": "Thiếu giấy tờ"}] * supp,
                    "MucDoHaiLong": rating,
                }
                for code, (unit, channel, rec, due, res, ret, status, supp, rating) in items
            ],
        },
    )  # fmt: skip
    wrapped = d / "api.json"
    mf.write_json(
        wrapped,
        {
            "error_code": 0,
            "result": {
                "total": len(items),
                "data": [
                    {
                        "maHoSo": code, "maDonVi": unit, "hinhThuc": CHANNEL_VI[channel],
                        "ngayTiepNhan": rec and rec.isoformat(), "ngayHenTra": due and due.isoformat(),
                        "ngayKetThucXuLy": res and res.isoformat(), "ngayTra": ret and ret.isoformat(),
                        "trangThaiHoSoId": status, "soLanBoSung": supp, "danhGia": RATING_VI.get(rating),
                    }
                    for code, (unit, channel, rec, due, res, ret, status, supp, rating) in items
                ],
            },
        },
    )  # fmt: skip
    return [html, ssml, book, sync, wrapped]


@settings(PROPS, max_examples=4)
@given(rows=st.lists(dossier_rows(), min_size=1, max_size=30))
def test_the_same_dossiers_in_any_vendor_shape_give_the_same_kpis(rows):
    """xlsx, xls-HTML, SpreadsheetML, CSV in UTF-8 and Windows-1258, the sync JSON, a
    wrapped JSON and a multi-sheet workbook: identical KPIs (and nothing unknown)."""
    from metrics import compute

    items = [(f"{r[0]}-2403-{i:05d}", r) for i, r in enumerate(rows)]
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        (d / "canon").mkdir()
        ref = fresh_db(d / "canon")
        try:
            import_files(ref, write_csv(d / "canon" / "c.csv", items))
            want = {defn: kpi_table(ref, ("unit",), defn) for defn in ("resolved", "766")}
        finally:
            ref.close()
        for path in write_vendor_shapes(d, items):
            sub = d / path.stem
            sub.mkdir()
            con = fresh_db(sub)
            try:
                (summary,) = import_files(con, path)
                assert summary.rows_quarantined == 0, path.name
                got = {defn: kpi_table(con, ("unit",), defn) for defn in ("resolved", "766")}
                unknown = sum(compute.kpis(con, FROM, TO, by=("unit",), on_time_definition="766")["unknown"])
            finally:
                con.close()
            assert got == want, path.name
            assert unknown == 0, path.name
