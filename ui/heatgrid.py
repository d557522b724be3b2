"""The units × months heatmap as an HTML table: the rate written in every cell (colour is
never the only cue), orange below the target and purple above (PuOr, safe for the
common colour-vision deficiencies), and each cell's counts on hover.

Why not Plotly (issue 14): a tier has a hundred units or more, so the grid has over a
thousand labelled cells; Plotly measures every label in the browser, and the units page
then also pays for loading the 4.7 MB Plotly bundle. A table is drawn by the browser's
own layout in a few milliseconds.

Names come from data: each is HTML-escaped, and the characters Markdown or Streamlit
would read as a link, a colour directive or LaTeX are written as character references,
so a unit named like a link shows as the characters it is.
"""

from __future__ import annotations

import html
import itertools

from ui import fmt
from ui.i18n import t

# PuOr, a diverging scale safe for the common colour-vision deficiencies: orange below
# the target, purple above, pale at the target itself.
DIVERGING: tuple[tuple[float, str], ...] = (
    (0.0, "#B35806"),
    (0.25, "#F1A340"),
    (0.5, "#F7F7F7"),
    (0.75, "#998EC3"),
    (1.0, "#542788"),
)
_MARKUP = str.maketrans({"[": "&#91;", "]": "&#93;", "$": "&#36;", ":": "&#58;", "*": "&#42;", "_": "&#95;"})


def text(value: object) -> str:
    """A value from data as table text, never markup."""
    return html.escape(str(value), quote=True).translate(_MARKUP)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


def colour(rate: float, low: float, high: float) -> str:
    """The PuOr colour of a rate on [low, high] (clamped), as Plotly's colorscale would."""
    share = 0.5 if high <= low else min(1.0, max(0.0, (rate - low) / (high - low)))
    for (s0, c0), (s1, c1) in itertools.pairwise(DIVERGING):
        if share <= s1:
            w = 0.0 if s1 == s0 else (share - s0) / (s1 - s0)
            a, b = _rgb(c0), _rgb(c1)
            return "#" + "".join(f"{round(x + (y - x) * w):02x}" for x, y in zip(a, b, strict=True))
    return DIVERGING[-1][1]


def _ink(background: str) -> str:
    r, g, b = _rgb(background)
    return "#ffffff" if 0.299 * r + 0.587 * g + 0.114 * b < 140 else "#222222"


def table(hm: dict, target: float | None) -> str:
    """The grid as one HTML table (ui.linktable.draw): rows are units, worst first."""
    mid = target if target is not None else 0.9
    spread = min(0.15, 1.0 - mid) if mid < 1.0 else 0.15
    low, high = mid - spread, mid + spread
    head = "".join(f'<th style="{_HEAD}">{text(fmt.month_short(m))}</th>' for m in hm["months"])
    rows = []
    for name, rates, nums, dens in zip(hm["units"], hm["z"], hm["num"], hm["den"], strict=True):
        cells = []
        for month, rate, n, d in zip(hm["months"], rates, nums, dens, strict=True):
            counts = f"{fmt.n(n) if n is not None else '—'}/{fmt.n(d) if d is not None else '—'}"
            if rate is None:
                tip = f"{name} · {fmt.month(month)}: — ({counts})"
                cells.append(f'<td style="{_CELL}background:#f0f0f0" title="{text(tip)}"></td>')
                continue
            fill = colour(rate, low, high)
            tip = f"{name} · {fmt.month(month)}: {fmt.pct(rate)} ({counts})"
            cells.append(
                f'<td style="{_CELL}background:{fill};color:{_ink(fill)}" title="{text(tip)}">{fmt.pct(rate, 1)}</td>'
            )
        label = name if len(name) <= 34 else name[:33] + "…"
        rows.append(f'<tr><th style="{_NAME}" title="{text(name)}">{text(label)}</th>{"".join(cells)}</tr>')
    scale = (
        f'<span style="background:{colour(low, low, high)};color:#fff;padding:0 6px">{fmt.pct(low, 0)}</span>'
        f'<span style="background:{colour(mid, low, high)};padding:0 6px">{fmt.pct(mid, 0)}</span>'
        f'<span style="background:{colour(high, low, high)};color:#fff;padding:0 6px">{fmt.pct(high, 0)}</span>'
    )
    legend = t("heatmap_legend", target=fmt.pct(target, 0) if target is not None else "—")
    return (
        f'<div style="overflow-x:auto"><table style="{_TABLE}"><thead><tr><th style="{_HEAD}"></th>{head}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table></div>"
        f'<p style="font-size:12px;margin-top:4px">{text(legend)} {scale}</p>'
    )


_TABLE = "border-collapse:separate;border-spacing:1px;font-size:12px;width:100%;border:none"
_HEAD = "font-weight:normal;text-align:center;padding:2px 4px;border:none;background:none;white-space:nowrap"
_NAME = "font-weight:normal;text-align:left;padding:2px 6px;border:none;background:none;white-space:nowrap"
_CELL = "text-align:center;padding:3px 2px;border:none;white-space:nowrap;"
