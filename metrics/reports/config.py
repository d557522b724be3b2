"""Whose deck it is: the province, the issuing body, the meeting and the province's own
target plan, read from an editable `data/report.toml` (stdlib tomllib) each time a deck is
built, so an edit shows in the next report without a restart.

A file that cannot be read is the province's mistake to fix, not a crash: the error says
in Vietnamese which file and what is wrong (the CLI prints it and exits 2).
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from metrics import vi_format as vf
from metrics.paths import DATA_DIR

REPORT_TOML = DATA_DIR / "report.toml"
# Another file for one run (a second province on the same machine, a test).
ENV_VAR = "CCHC_REPORT_TOML"


class ReportConfigError(ValueError):
    """data/report.toml cannot be read; the message is Vietnamese and names the file."""


@dataclass(frozen=True)
class ReportConfig:
    province: str = ""
    issuing_body: str = ""
    meeting_title: str = ""
    meeting_date: dt.date | None = None
    target_source: str = ""

    @property
    def owner_text(self) -> str:
        """'UBND tỉnh … · Hội nghị … · 15/12/2026': the footer's first words."""
        parts = [self.issuing_body or self.province, self.meeting_title]
        if self.meeting_date:
            parts.append(vf.fmt_date(self.meeting_date))
        return " · ".join(p for p in parts if p)


def _text(table: dict[str, object], key: str, path: Path, section: str) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise ReportConfigError(f"Tệp {path.name}: mục [{section}] {key} phải là một chuỗi trong dấu nháy kép.")
    return " ".join(value.split())


def _date(value: object, path: Path) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ReportConfigError(f"Tệp {path.name}: [meeting] date «{value}» không phải ngày; viết dạng 2026-12-15.")


def load(path: str | os.PathLike[str] | None = None) -> ReportConfig:
    """The report settings from `path` (default: $CCHC_REPORT_TOML, else data/report.toml).
    A missing file gives an empty config: a deck that names no one rather than a wrong one."""
    chosen = Path(path or os.environ.get(ENV_VAR) or REPORT_TOML)
    if not chosen.exists():
        return ReportConfig()
    try:
        data = tomllib.loads(chosen.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ReportConfigError(f"Tệp {chosen.name} không phải văn bản UTF-8; lưu lại với mã hoá UTF-8.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ReportConfigError(f"Tệp {chosen.name} sai cú pháp TOML ({exc}); sửa dòng đó rồi chạy lại.") from None
    sections = {}
    for name in ("province", "meeting", "targets"):
        table = data.get(name, {})
        if not isinstance(table, dict):
            raise ReportConfigError(f"Tệp {chosen.name}: [{name}] phải là một mục (bảng) TOML.")
        sections[name] = table
    return ReportConfig(
        province=_text(sections["province"], "name", chosen, "province"),
        issuing_body=_text(sections["province"], "issuing_body", chosen, "province"),
        meeting_title=_text(sections["meeting"], "title", chosen, "meeting"),
        meeting_date=_date(sections["meeting"].get("date"), chosen),
        target_source=_text(sections["targets"], "source", chosen, "targets"),
    )
