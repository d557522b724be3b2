"""The one sentence a title slide says when its figures rest on old or incomplete data:
the oldest data date among active units more than STALE_DAYS before the period's end (or
before today, for a period still running), or units valid in the period whose data does
not reach its end (compute.coverage). A chairman must not read a partial "Toàn tỉnh" as
the whole province."""

from __future__ import annotations

import datetime as dt

from metrics import vi_format as vf

STALE_DAYS = 7


def data_warning(
    oldest_data_date: dt.date | None,
    units_valid: int,
    units_current: int,
    date_to: dt.date,
    today: dt.date,
) -> str | None:
    """'Lưu ý: …' in Vietnamese with the figures, or None when the data is current and
    complete for the period."""
    reference = min(date_to, today)
    stale = oldest_data_date is not None and (reference - oldest_data_date).days > STALE_DAYS
    partial = units_valid > 0 and units_current < units_valid
    if not stale and not partial:
        return None
    clauses = []
    if partial:
        clauses.append(f"chỉ {vf.fmt_int(units_current)}/{vf.fmt_int(units_valid)} đơn vị có dữ liệu đến hết kỳ")
    if stale and oldest_data_date is not None:
        days = (reference - oldest_data_date).days
        clauses.append(
            f"dữ liệu của đơn vị cập nhật chậm nhất chỉ đến ngày {vf.fmt_date(oldest_data_date)}, "
            f"{vf.fmt_int(days)} ngày trước ngày {vf.fmt_date(reference)}"
        )
    return "Lưu ý: " + " và ".join(clauses) + ", nên số liệu kỳ này chưa đầy đủ."
