"""metrics.vi_format bound to the language the reader chose, so pages never pass `lang`
around and never format a number themselves."""

from __future__ import annotations

import datetime as dt

from metrics import periods
from metrics import vi_format as vf
from ui.i18n import lang


def n(value: float | int | None) -> str:
    return vf.fmt_int(value, lang())


def num(value: float | int | None, decimals: int = 1) -> str:
    return vf.fmt_number(value, decimals, lang())


def pct(rate: float | None, decimals: int = 2) -> str:
    return vf.fmt_pct(rate, decimals, lang())


def pp(delta: float | None, decimals: int = 2, signed: bool = True) -> str:
    return vf.fmt_pp(delta, decimals, lang(), signed=signed)


def date(value: dt.date | dt.datetime | None) -> str:
    return vf.fmt_date(value)


def datetime(value: dt.datetime | None) -> str:
    return vf.fmt_datetime(value)


def month(value: str | dt.date) -> str:
    return vf.fmt_month(value, lang())


def month_short(value: str) -> str:
    """'2025-06' -> 'T6/25' (English '06/25'): axis ticks of a one-year chart."""
    y, m = int(str(value)[:4]), int(str(value)[5:7])
    return f"T{m}/{y % 100:02d}" if lang() == "vi" else f"{m:02d}/{y % 100:02d}"


def month_number(value: str) -> str:
    """'2025-06' -> 'T6' (English 'Jun'): ticks of a chart that covers one year."""
    m = int(str(value)[5:7])
    if lang() == "vi":
        return f"T{m}"
    return ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")[m - 1]


def quarter(year: int, q: int) -> str:
    text = vf.fmt_quarter(year, q)
    return text if lang() == "vi" else f"Q{q} {year}"


def period(date_from: dt.date, date_to: dt.date) -> str:
    """How a period reads in titles: 'Tháng 10/2024', 'Quý III/2024', 'Năm 2024', or a range."""
    return periods.label(date_from, date_to, lang())


# Characters Streamlit's Markdown gives a meaning to: CommonMark punctuation, its own
# `:icon:` / `:colour[...]` directives and `$` maths. `<` and `>` too (raw HTML, autolinks).
_MARKDOWN = set("\\`*_{}[]()#+-.!|<>~$:=&\"'")


def text(value: object) -> str:
    """A value from data or from a reader (a unit, file or procedure name) made safe to
    put in a caption, title, metric label or message: every Markdown character is
    escaped, so `[Bấm vào đây](https://…)` shows as those characters, never as a link."""
    raw = "" if value is None else str(value)
    return "".join("\\" + ch if ch in _MARKDOWN else ch for ch in raw.replace("\r", " ").replace("\n", " "))
