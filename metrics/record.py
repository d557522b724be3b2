"""The canonical dossier record and the vocabularies real exports use for it.

Every reader ends in these columns; every header and value seen in vendor exports
(docs/data-contract.md §4) is mapped here and nowhere else, so adding a vendor's spelling is a
one-line change.
"""

from __future__ import annotations

import re
import unicodedata

from metrics.registry import DEFINITION_766, TIERS

CANONICAL_COLUMNS: tuple[str, ...] = (
    "dossier_code",
    "procedure_code",
    "procedure_name",
    "field_name",
    "agency_code",
    "agency_name",
    "tier",
    "channel",
    "received_at",
    "due_at",
    "resolved_at",
    "returned_at",
    "status",
    "supplement_count",
    "apology_issued_at",
    "rating",
)

CHANNELS: tuple[str, ...] = ("online", "direct", "postal")
CHANNEL_LABELS_VI = {"online": "Trực tuyến", "direct": "Trực tiếp", "postal": "Bưu chính công ích"}

# code -> (Vietnamese name, national portal code)
STATUSES: dict[int, tuple[str, str]] = {
    1: ("Mới đăng ký", "receiving"),
    2: ("Được tiếp nhận", "new"),
    3: ("Không được tiếp nhận", "denied"),
    4: ("Đang xử lý", "processing"),
    5: ("Yêu cầu bổ sung giấy tờ", "waiting"),
    6: ("Yêu cầu thực hiện nghĩa vụ tài chính", "paying"),
    7: ("Công dân yêu cầu rút hồ sơ", "cancelled"),
    8: ("Dừng xử lý", "unresolved"),
    9: ("Đã xử lý xong", "releasing"),
    10: ("Đã trả kết quả", "done"),
}

RATING_LABELS_VI = {
    5: "Rất hài lòng",
    4: "Hài lòng",
    3: "Bình thường",
    2: "Không hài lòng",
    1: "Rất không hài lòng",
}


def fold(text: object) -> str:
    """Key for matching headers and vocabulary: NFC, case-folded, spaces collapsed."""
    s = unicodedata.normalize("NFC", str(text)).casefold()
    return re.sub(r"\s+", " ", s).strip()


def fold_accents(text: object) -> str:
    """fold() without the Vietnamese marks, for a search a reader types without them:
    'Hộ tịch' and 'ho tich' give the same key ('đ' is a letter of its own, not a d + mark)."""
    s = unicodedata.normalize("NFD", fold(text)).replace("đ", "d")
    return "".join(ch for ch in s if not unicodedata.combining(ch))


_HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    # PascalCase, camelCase, lower-case and accent-free spellings need no entry of their
    # own: loose_key() reduces "MaHoSo", "maHoSo", "ma_ho_so" and "Mã hồ sơ" to one key.
    "dossier_code": ("Mã hồ sơ", "Số hồ sơ", "Mã số hồ sơ", "MaHoSo", "SoHoSo", "dossier_code"),
    "procedure_code": ("Mã TTHC", "Mã thủ tục", "Mã thủ tục hành chính", "MaTTHC", "MaThuTuc", "procedure_code"),
    "procedure_name": (
        "Tên TTHC",
        "Tên thủ tục",
        "Tên thủ tục hành chính",
        "Thủ tục",
        "Thủ tục hành chính",
        "TenTTHC",
        "procedure_name",
    ),
    "field_name": ("Lĩnh vực", "Tên lĩnh vực", "TenLinhVuc", "field_name"),
    "agency_code": ("Mã đơn vị", "Mã cơ quan", "MaDonVi", "MaCoQuan", "MaDonViXuLy", "agency_code"),
    "agency_name": (
        "Cơ quan giải quyết",
        "Cơ quan chủ trì giải quyết",
        "Cơ quan thực hiện",
        "Đơn vị xử lý",
        "Đơn vị",
        "Tên đơn vị",
        "Tên cơ quan",
        "DonViXuLy",
        "agency_name",
    ),
    "tier": ("Cấp", "Cấp đơn vị", "Cấp thực hiện", "Cấp giải quyết", "tier"),
    "channel": (
        "Hình thức nộp",
        "Hình thức",
        "Hình thức nộp hồ sơ",
        "Kênh thực hiện",
        "Kênh tiếp nhận",
        "Kênh nộp",
        "Hình thức tiếp nhận",
        "KenhThucHien",
        "HinhThuc",
        "channel",
    ),
    "received_at": ("Ngày tiếp nhận", "Ngày nhận hồ sơ", "Ngày nhận", "NgayTiepNhan", "received_at"),
    "due_at": ("Ngày hẹn trả", "Ngày hẹn trả kết quả", "Hẹn trả", "Hạn xử lý", "NgayHenTra", "due_at"),
    "resolved_at": (
        "Ngày kết thúc xử lý",
        "Ngày có kết quả",
        "Ngày giải quyết xong",
        "Ngày hoàn thành",
        "Ngày xử lý xong",
        "NgayKetThucXuLy",
        "NgayCoKetQua",
        "resolved_at",
    ),
    "returned_at": ("Ngày trả kết quả", "Ngày trả", "NgayTra", "NgayTraKetQua", "returned_at"),
    "status": (
        "Trạng thái",
        "Trạng thái hồ sơ",
        "Tình trạng",
        "Tình trạng hồ sơ",
        "Trạng thái xử lý",
        "TrangThaiHoSo",
        "TrangThaiHoSoId",
        "TrangThaiId",
        "status",
    ),
    "supplement_count": ("Số lần bổ sung", "Số lần yêu cầu bổ sung", "SoLanBoSung", "supplement_count"),
    "apology_issued_at": (
        "Ngày xin lỗi",
        "Ngày ban hành văn bản xin lỗi",
        "Ngày phiếu xin lỗi",
        "NgayXinLoi",
        "apology_issued_at",
    ),
    "rating": ("Mức độ hài lòng", "Đánh giá", "Kết quả đánh giá", "MucDoHaiLong", "rating"),
}

# Nested lists a JSON record may carry, and the canonical column their length gives
# when the record has no scalar value for it (one element per supplement request).
NESTED_LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "supplement_count": ("DanhSachHoSoBoSung", "DanhSachBoSung", "HoSoBoSung", "supplements"),
}

# Columns that hold personal data: never stored, and named as such in the import report.
PERSONAL_DATA_HINTS: tuple[str, ...] = (
    "Họ tên",
    "Họ và tên",
    "Người nộp",
    "Chủ hồ sơ",
    "Tên công dân",
    "CCCD",
    "CMND",
    "Căn cước",
    "Số định danh",
    "Số giấy tờ",
    "Điện thoại",
    "SĐT",
    "Địa chỉ",
    "Email",
    "Thư điện tử",
    "Ngày sinh",
    "Phone",
    "Mobile",
)


def loose_key(text: object) -> str:
    """Key that ignores case, accents, spaces and punctuation: "MaHoSo", "maHoSo",
    "ma_ho_so", "Ma ho so" and "Mã hồ sơ" are one key."""
    s = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[^0-9a-z]+", "", s)


def _loose_index(mapping: dict[str, tuple[str, ...]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for column, spellings in mapping.items():
        for spelling in spellings:
            key = loose_key(spelling)
            if index.setdefault(key, column) != column:  # a vocabulary edit made two words one
                raise ValueError(f"{spelling!r} is ambiguous between {index[key]} and {column}")
    return index


HEADER_TO_COLUMN: dict[str, str] = {
    fold(header): column for column, headers in _HEADER_SYNONYMS.items() for header in headers
}
HEADER_TO_COLUMN_LOOSE: dict[str, str] = _loose_index(_HEADER_SYNONYMS)
NESTED_LIST_TO_COLUMN: dict[str, str] = _loose_index(NESTED_LIST_COLUMNS)
_PERSONAL_KEYS = tuple(loose_key(h) for h in PERSONAL_DATA_HINTS)


def canonical_column(header: object) -> str | None:
    """The canonical column a vendor header stands for, or None when it is not ours."""
    if header is None:
        return None
    return HEADER_TO_COLUMN.get(fold(header)) or HEADER_TO_COLUMN_LOOSE.get(loose_key(header))


def is_personal(header: object) -> bool:
    key = loose_key(header)
    return any(hint in key for hint in _PERSONAL_KEYS)


def procedure_key(code: str) -> str:
    """The catalogue key of a procedure code: its first two dot-separated parts when it
    carries the national suffix ("1.001612.000.00.00.H22" -> "1.001612"). Mirrored in
    SQL by the `procedure_key` macro (metrics/ingest_macros.py)."""
    m = re.match(r"^(\d+\.\d+)\.", code)
    return m.group(1) if m else code


# Value vocabularies, keyed by fold(value). Numeric codes are matched as text too.
TIER_VALUES: dict[str, str] = {fold(v): t.code for t in TIERS for v in t.spellings}

_CHANNEL_SPELLINGS: dict[str, tuple[str, ...]] = {
    "online": (
        "Trực tuyến",
        "Nộp trực tuyến",
        "Nộp hồ sơ trực tuyến",
        "Dịch vụ công trực tuyến",
        "Trực tuyến toàn trình",
        "Trực tuyến một phần",
        "Toàn trình",
        "Một phần",
        "Qua mạng",
        "Online",
        "2",
        "online",
    ),
    "direct": ("Trực tiếp", "Nộp trực tiếp", "Tại quầy", "Trực tiếp tại bộ phận một cửa", "1", "direct"),
    # postal: in the online denominator, not its numerator
    "postal": (
        "Bưu chính công ích",
        "Qua bưu chính công ích",
        "Nộp qua bưu chính công ích",
        "Dịch vụ bưu chính",
        "Dịch vụ bưu chính công ích",
        "Qua bưu chính",
        "Qua bưu điện",
        "Bưu điện",
        "Bưu chính",
        "BCCI",
        "3",
        "postal",
    ),
}
CHANNEL_VALUES: dict[str, str] = {fold(v): k for k, vs in _CHANNEL_SPELLINGS.items() for v in vs}
# Words a longer channel label contains, tried in this order when no spelling matches
# ("Nộp trực tiếp tại Bộ phận Một cửa", "Trực tuyến mức độ 4"): postal first, since a
# postal label may also say how the post office sent it.
CHANNEL_WORDS: dict[str, tuple[str, ...]] = {
    "postal": ("bưu chính", "bưu điện", "bưu cục"),
    "online": ("trực tuyến", "online", "dịch vụ công", "qua mạng"),
    "direct": ("trực tiếp", "tại quầy", "một cửa"),
}

# Status words seen in exports beyond the national names and portal codes of STATUSES.
_STATUS_SPELLINGS: dict[int, tuple[str, ...]] = {
    1: ("Chờ tiếp nhận", "Đăng ký mới"),
    2: ("Đã tiếp nhận", "Mới tiếp nhận", "Tiếp nhận"),
    3: ("Từ chối tiếp nhận", "Không tiếp nhận", "Từ chối"),
    # interoperating: passed to another agency (liên thông), still being processed
    4: ("Đang giải quyết", "Đang thụ lý", "Liên thông", "Đang liên thông", "interoperating"),
    5: ("Chờ bổ sung", "Yêu cầu bổ sung", "Chờ bổ sung hồ sơ", "Tạm dừng chờ bổ sung", "Bổ sung hồ sơ"),
    6: ("Chờ thực hiện nghĩa vụ tài chính", "Chờ nộp phí", "Chờ thanh toán"),
    7: ("Rút hồ sơ", "Đã rút hồ sơ", "Đã hủy", "Hủy", "canceled"),
    8: ("Đã dừng xử lý", "Không giải quyết"),
    # posting: the result is on its way by post, so the dossier is resolved
    9: ("Đã giải quyết", "Đã xử lý", "Đã có kết quả", "Hoàn thành", "Đã hoàn thành", "Chờ trả kết quả", "posting"),
    10: ("Trả kết quả", "Đã trả", "Đã trả kết quả cho công dân"),
}
STATUS_VALUES: dict[str, int] = {}
for _code, (_vi, _portal) in STATUSES.items():
    for _word in (_vi, _portal, str(_code), *_STATUS_SPELLINGS[_code]):
        STATUS_VALUES[fold(_word)] = _code

# 0 stands for "not rated" words: no rating, and not a bad value either
RATING_VALUES: dict[str, int] = {fold(v): k for k, v in RATING_LABELS_VI.items()}
RATING_VALUES.update({str(k): k for k in RATING_LABELS_VI})
RATING_VALUES.update({fold(v): 0 for v in ("Chưa đánh giá", "Không đánh giá", "Không có đánh giá", "0")})


def loose_values(mapping: dict[str, object]) -> dict[str, object]:
    """The same vocabulary keyed by loose_key(): tried last, for spellings without
    accents or with other punctuation ("Truc tuyen", "Da tra ket qua")."""
    out: dict[str, object] = {}
    for k, v in mapping.items():
        if out.setdefault(loose_key(k), v) != v:  # two words of different meaning met
            raise ValueError(f"{k!r} is ambiguous once accents are dropped")
    return out


# How the import report names a canonical column (its first Vietnamese header).
COLUMN_LABELS_VI: dict[str, str] = {column: headers[0] for column, headers in _HEADER_SYNONYMS.items()}

# The column each KPI needs beyond receipt and status: without it the KPI is unknown
# for the file's dossiers. (column, metric key, definition or None for every definition)
KPI_NEEDS: tuple[tuple[str, str, str | None], ...] = (
    ("channel", "online_rate", None),
    ("due_at", "on_time_rate", None),
    ("rating", "satisfaction_rate", None),
    ("supplement_count", "on_time_rate", DEFINITION_766),
)
