"""When an export was taken, if the file says so: an "exported at" line or field, the
signature date of a printed report ("…, ngày 05 tháng 04 năm 2024"), or the end of the
period in its title ("Từ ngày … đến ngày …"). Two exports that leave a dossier in the same
state rank are then ordered by it, not by the order they were imported (store.sql)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from metrics.record import loose_key

_DMY = r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\D+(\d{1,2})[:h](\d{2}))?"
# most explicit first
_PATTERNS = (
    re.compile(r"(?:ngày|thời gian|thời điểm)\s+(?:xuất|trích xuất|kết xuất|in|đồng bộ)\D*" + _DMY),
    re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})()()"),
    re.compile(r"đến\s+ngày\s+" + _DMY),
)
_FIELDS = {
    loose_key(k)
    for k in (
        "NgayXuat",
        "ThoiGianXuat",
        "NgayTrichXuat",
        "ThoiGianDongBo",
        "NgayDongBo",
        "exportedAt",
        "exportDate",
        "exportTime",
        "generatedAt",
        "syncTime",
    )
}


def _date(d: str, m: str, y: str, hh: str = "", mm: str = "") -> dt.datetime | None:
    try:
        return dt.datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0))
    except ValueError:
        return None


def from_cells(rows: Iterable[Sequence[object]]) -> dt.datetime | None:
    """The export date written in report text cells (titles, signature block)."""
    texts = [
        unicodedata.normalize("NFC", c).lower() for r in rows for c in r if isinstance(c, str) and "ngày" in c.lower()
    ]
    for pattern in _PATTERNS:
        for text in texts:
            found = pattern.search(text)
            if found and (when := _date(*found.groups(default=""))):
                return when
    return None


def from_grid(rows: Sequence[Sequence[object]], header_idx: int) -> dt.datetime | None:
    """Titles above the header and the footer under the last rows."""
    return from_cells([*rows[:header_idx], *rows[-12:]])


def _parse(value: Any) -> dt.datetime | None:
    text = str(value).strip()
    if re.fullmatch(r"\d{14}", text):
        return dt.datetime.strptime(text, "%Y%m%d%H%M%S")
    if re.fullmatch(r"1\d{12}", text):  # epoch milliseconds (UTC) -> local time
        return dt.datetime.fromtimestamp(int(text) / 1000, dt.UTC).replace(tzinfo=None) + dt.timedelta(hours=7)
    found = re.match(_DMY, text)
    if found:
        return _date(*found.groups(default=""))
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo:
        when = (when.astimezone(dt.UTC) + dt.timedelta(hours=7)).replace(tzinfo=None)
    return when


def from_fields(*scopes: Any) -> dt.datetime | None:
    """An export-time field of a JSON envelope."""
    for scope in scopes:
        if isinstance(scope, dict):
            for key, value in scope.items():
                if loose_key(key) in _FIELDS and value not in (None, "") and (when := _parse(value)):
                    return when
    return None
