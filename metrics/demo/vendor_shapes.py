"""The four export systems of the demo province and how each one writes a dossier:
its columns, its words for tier and channel, its file name, and the personal columns
the importer must drop. The expressions are constants of this module, never user input.

- departments: the provincial service centre's report-shaped Excel workbook;
- districts: a one-stop system writing UTF-8 CSV with ';';
- communes of four former districts: an older system writing Windows-1258 CSV;
- the other communes: the national portal's sync JSON.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from metrics.demo.catalogue import COMMUNE_TIER, DISTRICT_TIER, PROVINCE_TIER, PROVINCE_VI, load_units
from metrics.demo.generate import DIRECT
from metrics.record import RATING_LABELS_VI, STATUSES

XLSX_TEXT_DATE = "strftime({col}, '%d/%m/%Y %H:%M:%S')"
XLSX_SHORT_DATE = "strftime({col}, '%d/%m/%Y')"
XLSX_SERIAL = "epoch_us({col}) / 86400000000.0 + 25569"

XLSX_COLUMNS: tuple[tuple[str, str], ...] = (
    ("STT", "row_number() OVER ()"),
    ("Số hồ sơ", "dossier_code"),
    ("Mã thủ tục", "procedure_code"),
    ("Tên thủ tục hành chính", "procedure_name"),
    ("Lĩnh vực", "field_name"),
    ("Mã cơ quan", "agency_code"),
    ("Cơ quan chủ trì giải quyết", "agency_name"),
    ("Cấp thực hiện", "tier_vi"),
    ("Họ tên người nộp", "person_name"),
    ("Số CCCD", "person_id"),
    ("Số điện thoại", "person_phone"),
    ("Địa chỉ", "person_address"),
    ("Hình thức tiếp nhận", "channel_vi"),
    ("Ngày nhận hồ sơ", "{received_at}"),
    ("Ngày hẹn trả kết quả", "{due_at}"),
    ("Ngày có kết quả", "{resolved_at}"),
    ("Ngày trả kết quả", "{returned_at}"),
    ("Trạng thái hồ sơ", "status_vi"),
    ("Số lần yêu cầu bổ sung", "supplement_count"),
    ("Ngày ban hành văn bản xin lỗi", "{apology_issued_at}"),
    ("Kết quả đánh giá", "rating_vi"),
)

DISTRICT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Mã hồ sơ", "dossier_code"),
    ("Mã thủ tục", "procedure_code"),
    ("Tên thủ tục", "procedure_name"),
    ("Tên lĩnh vực", "field_name"),
    ("Mã đơn vị", "agency_code"),
    ("Đơn vị xử lý", "agency_name"),
    ("Cấp", "tier_vi"),
    ("Kênh tiếp nhận", "channel_vi"),
    ("Người nộp", "person_name"),
    ("Số điện thoại", "person_phone"),
    ("Ngày tiếp nhận", "strftime(received_at, '%d/%m/%Y %H:%M:%S')"),
    ("Ngày hẹn trả", "strftime(due_at, '%d/%m/%Y %H:%M:%S')"),
    ("Ngày giải quyết xong", "strftime(resolved_at, '%d/%m/%Y %H:%M:%S')"),
    ("Ngày trả", "strftime(returned_at, '%d/%m/%Y %H:%M:%S')"),
    ("Tình trạng", "status_vi"),
    ("Số lần bổ sung", "supplement_count"),
    ("Ngày xin lỗi", "strftime(apology_issued_at, '%d/%m/%Y %H:%M:%S')"),
    ("Đánh giá", "rating_vi"),
)

COMMUNE_CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Mã hồ sơ", "dossier_code"),
    ("Mã TTHC", "procedure_code"),
    ("Tên TTHC", "procedure_name"),
    ("Lĩnh vực", "field_name"),
    ("Mã đơn vị", "agency_code"),
    # Stray spaces around names, as hand-maintained commune systems leave them.
    ("Cơ quan giải quyết", "' ' || agency_name || ' '"),
    ("Cấp đơn vị", "tier_vi"),
    ("Hình thức nộp", "channel_vi"),
    ("Địa chỉ", "person_address"),
    ("Ngày nhận", "strftime(received_at, '%d/%m/%Y %H:%M')"),
    ("Hẹn trả", "strftime(due_at, '%d/%m/%Y')"),
    ("Ngày kết thúc xử lý", "strftime(resolved_at, '%d/%m/%Y %H:%M')"),
    ("Ngày trả kết quả", "strftime(returned_at, '%d/%m/%Y %H:%M')"),
    ("Trạng thái", "CAST(status AS VARCHAR)"),
    ("Số lần yêu cầu bổ sung", "supplement_count"),
    ("Ngày phiếu xin lỗi", "strftime(apology_issued_at, '%d/%m/%Y')"),
    ("Mức độ hài lòng", "CAST(rating AS VARCHAR)"),
)

SYNC_DATE = "strftime({col}, '%Y%m%d%H%M%S')"
JSON_COLUMNS: tuple[tuple[str, str], ...] = (
    ("MaHoSo", "dossier_code"),
    ("MaTTHC", "procedure_code"),
    ("TenTTHC", "procedure_name"),
    ("TenLinhVuc", "field_name"),
    ("KenhThucHien", "channel_code"),
    ("NgayTiepNhan", SYNC_DATE.format(col="received_at")),
    ("NgayHenTra", SYNC_DATE.format(col="due_at")),
    ("NgayKetThucXuLy", SYNC_DATE.format(col="resolved_at")),
    ("NgayTra", SYNC_DATE.format(col="returned_at")),
    ("TrangThaiHoSo", "CAST(status AS INTEGER)"),
    ("DonViXuLy", "agency_name"),
    ("SoLanBoSung", "CAST(supplement_count AS INTEGER)"),
    ("NgayXinLoi", SYNC_DATE.format(col="apology_issued_at")),
    ("MucDoHaiLong", "CAST(rating AS INTEGER)"),
    ("ChuHoSo", "person_name"),
    ("SoDienThoai", "person_phone"),
)

# Vocabulary each vendor uses for tier and channel.
# Since the reform, commune names repeat older ones (a new "xã Sơn Tây" replaced the
# old one), so the national sync carries the unit code as well.
JSON_UNIT_CODE = ("MaDonVi", "agency_code")

# Vocabulary each vendor uses for tier and channel.
VENDOR_TIER = {"xlsx": "Sở, ban, ngành", "csv_utf8": "Cấp huyện", "csv_cp1258": "Xã", "json": "Cấp xã"}
VENDOR_CHANNEL = {
    "xlsx": ("Trực tuyến", "Trực tiếp", "Bưu chính công ích"),
    "csv_utf8": ("Nộp trực tuyến", "Trực tiếp", "Qua bưu điện"),
    "csv_cp1258": ("Trực tuyến", "Trực tiếp", "BCCI"),
    "json": ("Trực tuyến", "Trực tiếp", "Bưu chính công ích"),
}
VENDOR_FILE = {
    "xlsx": "so-ban-nganh_trung-tam-hcc.xlsx",
    "csv_utf8": "cap-huyen_mot-cua.csv",
    "csv_cp1258": "cap-xa_win1258.csv",
    "json": "cap-xa_dong-bo-quoc-gia.json",
}
VENDORS = ("xlsx", "csv_utf8", "csv_cp1258", "json")
# Communes of these districts still run an older system exporting Windows-1258 CSV;
# the rest sync through the national portal.
CP1258_DISTRICTS = frozenset({"34", "35", "36", "37"})

_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
_MIDDLE = ("Văn", "Thị", "Đức", "Hữu", "Minh", "Thanh", "Ngọc", "Quang", "Xuân", "Thu", "Đình")
_GIVEN = (
    "An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Lan", "Linh", "Long",
    "Mai", "Nam", "Nga", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vinh", "Yến",
)  # fmt: skip
_HAMLETS = ("Thôn", "Xóm", "Tổ dân phố")


@lru_cache(maxsize=1)
def _commune_places() -> tuple[str, ...]:
    """Commune names without 'UBND', for applicants' addresses."""
    units = load_units()
    names = units.loc[units["tier"] == COMMUNE_TIER, "unit_name"].str.removeprefix("UBND ")
    return tuple(dict.fromkeys(names)) or (PROVINCE_VI,)


def vendor_of(tier: np.ndarray, agency_code: np.ndarray) -> np.ndarray:
    """Which export system a dossier comes out of, by its agency's tier and code. A
    commune code 000.DD.CC.H56 carries its (former) district DD, new communes too."""
    district_part = np.array([str(c)[4:6] for c in agency_code], dtype=object)
    cp1258 = np.isin(district_part, list(CP1258_DISTRICTS))
    return np.where(
        tier == PROVINCE_TIER,
        "xlsx",
        np.where(tier == DISTRICT_TIER, "csv_utf8", np.where(cp1258, "csv_cp1258", "json")),
    )


def labelled(frame: pd.DataFrame, vendor: str, rng: np.random.Generator) -> pd.DataFrame:
    """Add the vendor's Vietnamese labels and fake personal columns (which the importer
    must drop) as categoricals, vectorised."""
    out = frame.copy()
    n = len(out)
    out["tier_vi"] = VENDOR_TIER[vendor]
    channel_codes = out["channel"].cat.codes.to_numpy()
    channel_labels = list(VENDOR_CHANNEL[vendor])
    out["channel_vi"] = pd.Categorical.from_codes(channel_codes, categories=channel_labels)
    if vendor == "csv_cp1258":
        # Some commune clerks leave "direct" empty; the importer reads empty as direct.
        blank = (channel_codes == DIRECT) & (rng.random(n) < 0.3)
        out["channel_vi"] = out["channel_vi"].astype(object).where(~blank, None)
    out["channel_code"] = np.array([2, 1, 3], dtype=np.int8)[channel_codes]
    status_names = [STATUSES[k][0] for k in sorted(STATUSES)]
    out["status_vi"] = pd.Categorical.from_codes(out["status"].to_numpy().astype(np.int64) - 1, categories=status_names)
    rating = out["rating"].to_numpy(dtype=np.float64, na_value=np.nan)
    rating_codes = np.where(np.isnan(rating), -1, rating - 1).astype(np.int64)
    rating_names = [RATING_LABELS_VI[k] for k in sorted(RATING_LABELS_VI)]
    out["rating_vi"] = pd.Categorical.from_codes(rating_codes, categories=rating_names)

    surname = pa.array(_SURNAMES).take(pa.array(rng.integers(0, len(_SURNAMES), n)))
    middle = pa.array(_MIDDLE).take(pa.array(rng.integers(0, len(_MIDDLE), n)))
    given = pa.array(_GIVEN).take(pa.array(rng.integers(0, len(_GIVEN), n)))
    out["person_name"] = pd.array(pc.binary_join_element_wise(surname, middle, given, " "), dtype="str")
    # 042 is Hà Tĩnh's prefix in citizen ID numbers.
    out["person_id"] = pd.array(
        pc.binary_join_element_wise(
            pa.array(["042"] * n), pc.utf8_lpad(pc.cast(pa.array(rng.integers(0, 10**9, n)), pa.string()), 9, "0"), ""
        ),
        dtype="str",
    )
    out["person_phone"] = pd.array(
        pc.binary_join_element_wise(
            pa.array(["09"] * n), pc.utf8_lpad(pc.cast(pa.array(rng.integers(0, 10**8, n)), pa.string()), 8, "0"), ""
        ),
        dtype="str",
    )
    hamlet = pa.array(_HAMLETS).take(pa.array(rng.integers(0, len(_HAMLETS), n)))
    number = pc.cast(pa.array(rng.integers(1, 16, n)), pa.string())
    # Applicants live in the province's communes, whichever agency they file with.
    communes = _commune_places()
    place = pa.array(communes).take(pa.array(rng.integers(0, len(communes), n)))
    out["person_address"] = pd.array(
        pc.binary_join_element_wise(
            pc.binary_join_element_wise(hamlet, number, " "), place, pa.array([f"tỉnh {PROVINCE_VI}"] * n), ", "
        ),
        dtype="str",
    )
    return out


def _cp1258_table() -> dict[int, str]:
    """Translation of NFC Vietnamese to the form Windows-1258 can encode: letters with
    circumflex, breve and horn precomposed, tone marks as combining characters."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    table: dict[int, str] = {}
    for cp in range(0x00C0, 0x1EFA):
        ch = chr(cp)
        try:
            ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        marks = "".join(c for c in decomposed if c in tones)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        candidate = base + marks
        try:
            candidate.encode("cp1258")
        except UnicodeEncodeError:
            continue
        table[cp] = candidate
    return table


_CP1258 = _cp1258_table()


def encode_cp1258(text: str) -> bytes:
    """Encode Vietnamese text as Windows-1258 (decomposed tones); anything the code
    page still cannot hold becomes '?', as legacy exporters do."""
    return unicodedata.normalize("NFC", text).translate(_CP1258).encode("cp1258", errors="replace")
