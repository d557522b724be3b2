"""vi-VN formatting of numbers, rates and dates, written by us so that the screen,
the CSV/XLSX exports and the PowerPoint deck print the same figure the same way,
whatever the browser's or the server's locale is."""

from __future__ import annotations

import datetime as dt
import math

DASH = "—"


def _group(digits: str, sep: str) -> str:
    out = []
    while len(digits) > 3:
        out.append(digits[-3:])
        digits = digits[:-3]
    out.append(digits)
    return sep.join(reversed(out))


def fmt_number(value: float | int | None, decimals: int = 0, lang: str = "vi") -> str:
    """12553 -> '12.553'; 97.814 with 2 decimals -> '97,81' (English: '12,553', '97.81')."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    thousands, point = (".", ",") if lang == "vi" else (",", ".")
    text = f"{abs(float(value)):.{decimals}f}"
    whole, _, frac = text.partition(".")
    sign = "-" if float(value) < 0 and float(text) != 0 else ""
    return sign + _group(whole, thousands) + (point + frac if frac else "")


def fmt_int(value: float | int | None, lang: str = "vi") -> str:
    return fmt_number(value, 0, lang)


def fmt_pct(rate: float | None, decimals: int = 2, lang: str = "vi") -> str:
    """A fraction as a percent: 0.97814 -> '97,81%'; no value -> '—'."""
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return DASH
    return fmt_number(rate * 100, decimals, lang) + "%"


def fmt_pp(delta: float | None, decimals: int = 2, lang: str = "vi", signed: bool = True) -> str:
    """A difference of two fractions in percentage points: 0.0042 -> '+0,42 điểm %'."""
    if delta is None or (isinstance(delta, float) and math.isnan(delta)):
        return DASH
    body = fmt_number(abs(delta) * 100, decimals, lang)
    sign = ("+" if delta > 0 else "−" if delta < 0 else "±") if signed else ""
    unit = "điểm %" if lang == "vi" else "pp"
    return f"{sign}{body} {unit}"


def fmt_date(value: dt.date | dt.datetime | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    try:
        return value.strftime("%d/%m/%Y")
    except (AttributeError, ValueError):  # NaT and friends
        return DASH


def fmt_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return DASH
    try:
        return value.strftime("%d/%m/%Y %H:%M")
    except (AttributeError, ValueError):
        return DASH


def fmt_month(month: str | dt.date, lang: str = "vi") -> str:
    """'2024-10' -> 'Tháng 10/2024' (English: '10/2024')."""
    if isinstance(month, (dt.date, dt.datetime)):
        y, m = month.year, month.month
    else:
        y, m = int(str(month)[:4]), int(str(month)[5:7])
    return f"Tháng {m}/{y}" if lang == "vi" else f"{m:02d}/{y}"


ROMAN_QUARTERS = ("I", "II", "III", "IV")


def fmt_quarter(year: int, quarter: int) -> str:
    return f"Quý {ROMAN_QUARTERS[quarter - 1]}/{year}"


def lower_first(text: str) -> str:
    """'Quý II/2024' -> 'quý II/2024': a title used inside a sentence."""
    return text[:1].lower() + text[1:] if text else text
