"""Reporting periods: months, quarters, years and the period before each, so the
"change since last month/quarter/year" means the same thing everywhere."""

from __future__ import annotations

import calendar
import datetime as dt

from metrics import vi_format

Period = tuple[dt.date, dt.date]


def month_range(year: int, month: int) -> Period:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def quarter_range(year: int, quarter: int) -> Period:
    first = 3 * (quarter - 1) + 1
    return dt.date(year, first, 1), month_range(year, first + 2)[1]


def year_range(year: int) -> Period:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def kind_of(date_from: dt.date, date_to: dt.date) -> str:
    """'month', 'quarter', 'year', 'ytd' (1 January to a month's end) or 'days'."""
    if date_from.day == 1 and date_to == month_range(date_to.year, date_to.month)[1]:
        months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
        if months == 1:
            return "month"
        if months == 3 and date_from.month % 3 == 1:
            return "quarter"
        if months == 12 and date_from.month == 1:
            return "year"
        if date_from.month == 1 and date_from.year == date_to.year:
            return "ytd"
    return "days"


def shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def previous_period(date_from: dt.date, date_to: dt.date) -> Period:
    """The period of the same kind just before: previous month, quarter or year;
    for any other range, the same number of days ending the day before."""
    kind = kind_of(date_from, date_to)
    if kind in ("month", "quarter", "year"):
        months = {"month": 1, "quarter": 3, "year": 12}[kind]
        start = shift_months(date_from, -months)
        return start, date_from - dt.timedelta(days=1)
    length = date_to - date_from
    end = date_from - dt.timedelta(days=1)
    return end - length, end


def latest_full_month(last_date: dt.date) -> Period:
    """The latest month whose last day is on or before the newest data date."""
    start, end = month_range(last_date.year, last_date.month)
    if last_date >= end:
        return start, end
    prev = shift_months(start, -1)
    return month_range(prev.year, prev.month)


def months_between(date_from: dt.date, date_to: dt.date) -> list[str]:
    """'YYYY-MM' of every month the range touches."""
    out = []
    day = date_from.replace(day=1)
    while day <= date_to:
        out.append(f"{day.year:04d}-{day.month:02d}")
        day = shift_months(day, 1)
    return out


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def label(date_from: dt.date, date_to: dt.date, lang: str = "vi") -> str:
    """How a period reads in titles, everywhere (pages, deck, PDF, summary):
    'Tháng 10/2024', 'Quý III/2024', 'Năm 2024', '9 tháng đầu năm 2024' or a range."""
    kind = kind_of(date_from, date_to)
    y, m = date_from.year, date_from.month
    vi = lang == "vi"
    if kind == "month":
        return vi_format.fmt_month(date_from, lang)
    if kind == "quarter":
        q = (m - 1) // 3 + 1
        return vi_format.fmt_quarter(y, q) if vi else f"Q{q} {y}"
    if kind == "year":
        return f"Năm {y}" if vi else str(y)
    if kind == "ytd":
        return f"{date_to.month} tháng đầu năm {y}" if vi else f"Jan–{_MONTHS_EN[date_to.month - 1]} {y}"
    text = f"{date_from:%d/%m/%Y} – {date_to:%d/%m/%Y}"
    return f"Từ {date_from:%d/%m/%Y} đến {date_to:%d/%m/%Y}" if vi else text
