"""Colours and type shared by the PowerPoint, the PDF and the presentation page, so the
three look like one report. Tier colours are Okabe–Ito (distinguishable for colour-blind
readers); a status colour is always paired with its word ("Đạt", "Chưa đạt")."""

from __future__ import annotations

FONT_FAMILY = "Arial"
NAVY = "#12355B"
INK = "#1A1A1A"
MUTED = "#5A6470"
PALE = "#EEF3F8"
WHITE = "#FFFFFF"
TARGET_COLOUR = "#D55E00"

TIER_COLOURS = {"department": "#0072B2", "district": "#E69F00", "commune": "#009E73", None: "#333333"}

STATUS_COLOURS = {
    "Đạt": "#1B7F3B",
    "Chưa đạt": "#B3261E",
    "Không có hồ sơ": "#5A6470",
    "Chưa có chỉ tiêu": "#5A6470",
}


def tier_colour(tier: str | None) -> str:
    return TIER_COLOURS.get(tier, "#333333")


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)
