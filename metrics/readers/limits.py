"""Caps that keep a hostile or absurd file from taking the machine down, checked before
anything is unpacked or parsed. A real export of a province's year (a few hundred
thousand dossiers) stays far below them; each cap is an environment variable, so a
province with bigger files raises it knowingly.

- CCHC_MAX_UNPACKED_MB (default 1024): what a workbook (a zip: .xlsx, .xlsm, .ods)
  unpacks to, summed over its members, read from the zip's own directory. A 12 MB
  "zip bomb" that unpacks to 3 GB is refused here without unpacking a byte.
- CCHC_MAX_CELLS (default 40 million): the cells its sheets declare (the `<dimension>`
  of each worksheet, read from the first bytes of the member).
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from metrics.readers.table import UnreadableFile
from metrics.vi_format import fmt_int

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def max_unpacked_bytes() -> int:
    return int(float(os.environ.get("CCHC_MAX_UNPACKED_MB", "1024")) * 1024 * 1024)


def max_cells() -> int:
    return int(float(os.environ.get("CCHC_MAX_CELLS", "40000000")))


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _declared_cells(book: zipfile.ZipFile) -> int:
    total = 0
    for info in book.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        with book.open(info) as member:
            head = member.read(4096)  # <dimension> comes first, after <sheetPr>
        m = _DIMENSION.search(head)
        if m and m.group(3):
            rows = int(m.group(4)) - int(m.group(2)) + 1
            cols = _column_number(m.group(3).decode()) - _column_number(m.group(1).decode()) + 1
            total += max(rows, 0) * max(cols, 0)
    return total


def check_workbook(path: Path, name: str) -> None:
    """Refuse a zipped workbook whose unpacked size or declared cells pass the caps."""
    if not zipfile.is_zipfile(path):
        return
    try:
        with zipfile.ZipFile(path) as book:
            unpacked = sum(info.file_size for info in book.infolist())
            cap = max_unpacked_bytes()
            if unpacked > cap:
                raise UnreadableFile(
                    f"Không nhập tệp «{name}»: bảng tính giải nén ra {fmt_int(unpacked // 2**20)} MB, vượt giới hạn "
                    f"{fmt_int(cap // 2**20)} MB (CCHC_MAX_UNPACKED_MB). Tệp có thể bị làm hỏng hoặc độc hại; "
                    "nếu là dữ liệu thật, hãy xuất theo từng tháng.",
                    f"Not importing '{name}': the workbook unpacks to {unpacked // 2**20:,} MB, over the "
                    f"{cap // 2**20:,} MB cap (CCHC_MAX_UNPACKED_MB). It may be damaged or hostile; "
                    "if it is real data, export it month by month.",
                )
            cells, cell_cap = _declared_cells(book), max_cells()
            if cells > cell_cap:
                raise UnreadableFile(
                    f"Không nhập tệp «{name}»: các trang tính khai báo {fmt_int(cells)} ô, vượt giới hạn "
                    f"{fmt_int(cell_cap)} ô (CCHC_MAX_CELLS). Hãy xuất theo từng tháng.",
                    f"Not importing '{name}': its sheets declare {cells:,} cells, over the {cell_cap:,} cap "
                    "(CCHC_MAX_CELLS). Export it month by month.",
                )
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFile(
            f"Không đọc được tệp «{name}»: tệp nén của bảng tính bị hỏng.",
            f"Cannot read '{name}': the workbook's zip is damaged.",
        ) from exc
