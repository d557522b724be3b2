"""Colours and type shared by the PowerPoint, the PDF and the presentation page, so the
three look like one report. Tier colours are Okabe–Ito (distinguishable for colour-blind
readers); a status colour is always paired with its word ("Đạt", "Chưa đạt")."""

from __future__ import annotations

from metrics import registry

FONT_FAMILY = "Arial"
NAVY = "#12355B"
INK = "#1A1A1A"
MUTED = "#5A6470"
PALE = "#EEF3F8"
WHITE = "#FFFFFF"
TARGET_COLOUR = "#D55E00"


STATUS_COLOURS = {
    "Đạt": "#1B7F3B",
    "Sát ngưỡng": "#9A6700",
    "Chưa đạt": "#B3261E",
    "Không có hồ sơ": "#5A6470",
    "Chưa có chỉ tiêu": "#5A6470",
    "Lịch sử": "#5A6470",
}
# A unit below target on a ranking: its row is tinted, as well as its status word.
BELOW_FILL = "#FBE3E1"

# Type on a projected slide (13.333 in wide, read from the back of a hall): nothing
# smaller than 18 pt, titles at least 28 pt. The HTML slides use the same sizes in
# container units: a point is 100/960 of the slide's width (960 pt = 13.333 in).
SLIDE_MIN_PT = 18
SLIDE_TITLE_PT = 28
CQW_PER_PT = 100 / 960


def cqw(points: float) -> str:
    """A slide type size in points as CSS container units ('1.88cqw' for 18 pt)."""
    return f"{points * CQW_PER_PT:.3f}cqw"


# The A4 report: body text 14 pt; tables and notes never below 10 pt.
PDF_BODY_PT = 14
PDF_TABLE_PT = 10


def tier_colour(tier: str | None) -> str:
    return registry.tier(tier).colour if tier in registry.TIER_CODES else "#333333"  # type: ignore[arg-type]


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def axis_bounds(values: list[float]) -> tuple[float, float, float]:
    """A value axis for rates that shows the differences that matter (96% against 97%)
    rather than 0–100%: (low, high, step), all fractions."""
    import math

    lo, hi = min(values), max(values)
    span = max(hi - lo, 0.02)
    step = 0.01 if span <= 0.06 else 0.02 if span <= 0.12 else 0.05 if span <= 0.3 else 0.1
    lo = max(0.0, math.floor((lo - step / 2) / step) * step)
    hi = min(1.0, math.ceil((hi + step / 2) / step) * step)
    return round(lo, 4), round(hi, 4), step


# The projector's slides (the presentation page): high contrast on a dark ground; tier
# colours stay Okabe–Ito hues, lightened for the dark (registry.Tier.colour_dark).
SLIDE_BG = "#0B1F33"
SLIDE_FG = "#FFFFFF"
SLIDE_SOFT = "#C9D6E3"
SLIDE_ACCENT = "#FFD166"
SLIDE_TARGET = "#FF6B6B"
# A status word on a slide: its colour and an icon, so the colour never stands alone.
SLIDE_STATUS = {
    "Đạt": ("#3DDC97", "✔"),
    "Sát ngưỡng": ("#FFD166", "▲"),
    "Chưa đạt": ("#FF6B6B", "✖"),
}
