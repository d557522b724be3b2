"""The canonical dossier record and the vocabularies real exports use for it.

Every reader ends in these columns; every header and value seen in vendor exports
(docs/data-contract.md §4) is mapped here and nowhere else, so adding a vendor's spelling is a
one-line change.
"""

from __future__ import annotations

import re
import unicodedata

from metrics.registry import TIERS

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
    "dossier_code": ("Mã hồ sơ", "Số hồ sơ", "MaHoSo", "dossier_code"),
    "procedure_code": ("Mã TTHC", "Mã thủ tục", "MaTTHC", "procedure_code"),
    "procedure_name": (
        "Tên TTHC",
        "Tên thủ tục",
        "Tên thủ tục hành chính",
        "Thủ tục",
        "TenTTHC",
        "procedure_name",
    ),
    "field_name": ("Lĩnh vực", "Tên lĩnh vực", "TenLinhVuc", "field_name"),
    "agency_code": ("Mã đơn vị", "Mã cơ quan", "MaDonVi", "agency_code"),
    "agency_name": (
        "Cơ quan giải quyết",
        "Cơ quan chủ trì giải quyết",
        "Đơn vị xử lý",
        "Đơn vị",
        "DonViXuLy",
        "agency_name",
    ),
    "tier": ("Cấp", "Cấp đơn vị", "Cấp thực hiện", "tier"),
    "channel": (
        "Hình thức nộp",
        "Kênh thực hiện",
        "Kênh tiếp nhận",
        "Hình thức tiếp nhận",
        "KenhThucHien",
        "channel",
    ),
    "received_at": ("Ngày tiếp nhận", "Ngày nhận hồ sơ", "Ngày nhận", "NgayTiepNhan", "received_at"),
    "due_at": ("Ngày hẹn trả", "Ngày hẹn trả kết quả", "Hẹn trả", "NgayHenTra", "due_at"),
    "resolved_at": (
        "Ngày kết thúc xử lý",
        "Ngày có kết quả",
        "Ngày giải quyết xong",
        "NgayKetThucXuLy",
        "resolved_at",
    ),
    "returned_at": ("Ngày trả kết quả", "Ngày trả", "NgayTra", "returned_at"),
    "status": ("Trạng thái", "Trạng thái hồ sơ", "Tình trạng", "TrangThaiHoSo", "status"),
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

HEADER_TO_COLUMN: dict[str, str] = {
    fold(header): column for column, headers in _HEADER_SYNONYMS.items() for header in headers
}


def canonical_column(header: object) -> str | None:
    """The canonical column a vendor header stands for, or None when it is not ours."""
    if header is None:
        return None
    return HEADER_TO_COLUMN.get(fold(header))


# Value vocabularies, keyed by fold(value). Numeric codes are matched as text too.
TIER_VALUES: dict[str, str] = {fold(v): t.code for t in TIERS for v in t.spellings}

CHANNEL_VALUES: dict[str, str] = {
    fold(v): k
    for k, vs in {
        "online": ("Trực tuyến", "Nộp trực tuyến", "Online", "2", "online"),
        "direct": ("Trực tiếp", "Nộp trực tiếp", "1", "direct"),
        "postal": ("Bưu chính công ích", "Qua bưu điện", "Bưu chính", "BCCI", "3", "postal"),
    }.items()
    for v in vs
}

STATUS_VALUES: dict[str, int] = {}
for _code, (_vi, _portal) in STATUSES.items():
    STATUS_VALUES[fold(_vi)] = _code
    STATUS_VALUES[fold(_portal)] = _code
    STATUS_VALUES[str(_code)] = _code

RATING_VALUES: dict[str, int] = {fold(v): k for k, v in RATING_LABELS_VI.items()}
RATING_VALUES.update({str(k): k for k in RATING_LABELS_VI})
