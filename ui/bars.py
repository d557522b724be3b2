"""The Pareto of late dossiers as an HTML table: one row per procedure or unit, most
first, with its count written beside a bar and the cumulative share written beside it.

Why not Plotly (issue 14): two of these on the late page made the browser load the
4.7 MB Plotly bundle and measure every long Vietnamese name; a table shows the same
figures (every count and share in words, not only as lengths) and draws at once.
Names come from data and are written as text (ui.heatgrid.text).
"""

from __future__ import annotations

import pandas as pd

from ui import fmt
from ui.charts import BLUE, VERMILLION
from ui.heatgrid import text
from ui.i18n import t


def pareto(frame: pd.DataFrame) -> str:
    """frame: name, dossiers, cumulative_share (compute.late_pareto), most first."""
    counts = [int(d) for d in frame["dossiers"]]
    top = max(counts) if counts else 1
    rows = []
    for name, count, share in zip(frame["name"], counts, frame["cumulative_share"], strict=True):
        label = str(name) if len(str(name)) <= 60 else str(name)[:59] + "…"
        width = 100 * count / top if top else 0
        bar = f'<div style="background:{VERMILLION};height:12px;width:{width:.1f}%;min-width:2px"></div>'
        marker = (
            f'<div style="position:relative;height:4px;margin-top:2px;background:#eee">'
            f'<div style="position:absolute;left:0;top:0;height:4px;width:{100 * float(share):.1f}%;'
            f'background:{BLUE}"></div></div>'
        )
        rows.append(
            f'<tr><td style="{_NAME}" title="{text(name)}">{text(label)}</td>'
            f'<td style="{_BAR}">{bar}{marker}</td>'
            f'<td style="{_NUM}">{fmt.n(count)}</td>'
            f'<td style="{_NUM}color:{BLUE}">{fmt.pct(float(share), 1)}</td></tr>'
        )
    head = (
        f'<tr><th style="{_NAME}"></th><th style="{_BAR}"></th>'
        f'<th style="{_NUM}color:{VERMILLION}">{text(t("dossiers"))}</th>'
        f'<th style="{_NUM}color:{BLUE}">{text(t("cumulative_share"))}</th></tr>'
    )
    return f'<table style="{_TABLE}"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


_TABLE = "border-collapse:collapse;font-size:13px;width:100%;border:none"
_NAME = "text-align:left;padding:2px 6px 2px 0;border:none;font-weight:normal;width:45%"
_BAR = "padding:2px 6px;border:none;width:35%;vertical-align:middle"
_NUM = "text-align:right;padding:2px 0 2px 6px;border:none;font-weight:normal;white-space:nowrap;"
