"""The engine's result frames read as plain values for the deck: a cell as a float, an
int or a bool whatever NULL it holds (None, NaN, pd.NA), a row as a Figure, a tier as
its code or None. The deck never carries a pandas value."""

from __future__ import annotations

import math
from typing import Any

from metrics.reports.figures import Figure


def as_float(value: Any) -> float | None:
    """A frame cell as a float, or None for NULL / NaN / pd.NA."""
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def as_int(value: Any) -> int:
    f = as_float(value)
    return 0 if f is None else round(f)


def as_bool(value: Any) -> bool | None:
    if value is None:
        return None
    try:
        if value != value:  # NaN
            return None
    except (TypeError, ValueError):
        return None
    try:
        return bool(value)
    except (TypeError, ValueError):  # pd.NA
        return None


def figure(row: dict[str, Any]) -> Figure:
    cov_den = as_float(row.get("coverage_denominator"))
    return Figure(
        numerator=as_int(row.get("numerator")),
        denominator=as_int(row.get("denominator")),
        rate=as_float(row.get("rate")),
        target=as_float(row.get("target")),
        meets_target=as_bool(row.get("meets_target")) if as_float(row.get("rate")) is not None else None,
        coverage=as_float(row.get("coverage")),
        coverage_numerator=None if cov_den is None else as_int(row.get("coverage_numerator")),
        coverage_denominator=None if cov_den is None else int(cov_den),
        history=bool(as_bool(row.get("history"))),
    )


def records(frame: Any) -> list[dict[str, Any]]:
    if frame is None or len(frame) == 0:
        return []
    rows: list[dict[str, Any]] = frame.to_dict("records")
    return rows


def tier_key(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value)
    return None if text in ("", "nan", "<NA>", "None") else text
