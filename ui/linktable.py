"""A summary table as one HTML table whose rows are links (issue 14): the units below
target and the ranking of units, and one page of the late list.

Why not `st.dataframe`: its grid (about 1,6 MB of JavaScript: the grid, Arrow, moment,
numbro) is fetched and run on every load of a page that shows one, and it draws on a
canvas. These tables are read, not worked in, so the browser's own layout does: the
page then costs about what an empty page does.

What the grid did is kept:
- a click on a unit opens its view, and the late column opens its late dossiers: each is
  a link (a relative URL with the parameters the target page already reads), opened in
  the same tab;
- a header sorts by its column, as a link that puts the column and direction in the URL
  (`?rsort=3&rdesc=1`), so the order is made on the server and a copied link keeps it.
  Numbers and dates sort as values, text without accents or case, an empty value last;
- numbers and dates are written by `ui.tables.FORMATS` (vi-VN through metrics/vi_format),
  as the grid wrote them.

Names come from data and are written as text (ui.heatgrid.text), never markup.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from metrics.record import fold_accents
from ui import tables, urlstate
from ui.heatgrid import text
from ui.i18n import t

SORT, DESC = "rsort", "rdesc"


def sort_state(columns: int) -> tuple[int | None, bool]:
    """The column (by position, so a link works in either language) and direction the
    reader chose in a header, from the URL; published so every other link keeps it."""
    col = urlstate.seed(SORT, -1, decode=int, valid=lambda v: -1 <= v < columns)
    desc = urlstate.seed(DESC, False, decode=lambda v: v == "1", valid=(True, False))
    urlstate.publish(SORT, None if col < 0 else str(col))
    urlstate.publish(DESC, "1" if desc and col >= 0 else None)
    return (None if col < 0 else col), bool(desc)


def order(frame: pd.DataFrame, col: int | None, desc: bool) -> list[int]:
    """Row positions in the chosen order (the frame's own order when none is chosen):
    values as values, text by its letters without marks, missing values last."""
    positions = list(range(len(frame)))
    if col is None or col >= len(frame.columns):
        return positions
    name = frame.columns[col]
    values = list(frame[name])
    numeric = name in (frame.attrs.get("formats") or {})
    present = [i for i in positions if not tables.missing(values[i])]
    missing = [i for i in positions if tables.missing(values[i])]
    if numeric:
        present.sort(key=lambda i: pd.Timestamp(values[i]) if _is_date(values[i]) else float(values[i]), reverse=desc)
    else:
        present.sort(key=lambda i: fold_accents(str(values[i])), reverse=desc)
    return present + missing


def draw(markup: str, key: str) -> None:
    """A table (or any of our HTML) in a keyed container, through st.html: the browser
    sanitises it and sets it as it is. Through st.markdown the same HTML is parsed twice
    in JavaScript (Markdown, then the raw HTML) into one React element per node, which
    cost the overview more than half its script time in the browser (issue 14)."""
    with st.container(key=key):
        st.html(markup)


def html(
    frame: pd.DataFrame,
    links: dict[str, list[str]] | None = None,
    sort: tuple[int | None, bool] | None = None,
    max_height: int | None = None,
) -> str:
    """The frame as an HTML table. `links`: per column, a URL per row (the cell becomes
    that link); the late-link column of `tables.with_late_links` is drawn as a link too.
    `sort`: the current (column, descending) to make the headers sort links; None for a
    table that has no header links. The rows are drawn in the order given by `sort`.
    `max_height` (px): a longer table scrolls inside its box, under a header that stays."""
    links = dict(links or {})
    formats = frame.attrs.get("formats") or {}
    na = frame.attrs.get("na") or {}
    late = frame.attrs.get("links")
    col, desc = sort if sort is not None else (None, False)
    rows = order(frame, col, desc) if sort is not None else list(range(len(frame)))

    columns = {name: frame[name].tolist() for name in frame.columns}  # not .iloc per cell: 25 ms a table

    def cell(name: str, i: int) -> str:
        value = columns[name][i]
        if name == late:
            return f'<a href="{text(value)}" style="{_LINK}">{text(t("see_late_short"))}</a>'
        shown = tables.shown(name, value, formats, na)
        if name in links:
            return f'<a href="{text(links[name][i])}" style="{_LINK}">{text(shown)}</a>'
        return text(shown)

    head = "".join(
        _header(name, j, col, desc, name in formats, sort is not None) for j, name in enumerate(frame.columns)
    )
    body = "".join(
        "<tr>"
        + "".join(f'<td style="{_NUM if name in formats else _TEXT}">{cell(name, i)}</td>' for name in frame.columns)
        + "</tr>"
        for i in rows
    )
    box = f"overflow:auto;max-height:{max_height}px" if max_height else "overflow-x:auto"
    return (
        f'<div style="{box}"><table style="{_TABLE}"><thead style="{_THEAD}"><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _header(name: str, j: int, col: int | None, desc: bool, numeric: bool, sortable: bool) -> str:
    style = _HEAD_NUM if numeric else _HEAD
    if not sortable:
        return f'<th style="{style}">{text(name)}</th>'
    # the same column again turns the order round; another column starts ascending
    params = urlstate.link(**{SORT: str(j), DESC: "0" if col == j and desc else "1" if col == j else None})
    arrow = (" ↓" if desc else " ↑") if col == j else ""
    title = t("sort_by_column", column=name)
    return (
        f'<th style="{style}"><a href="?{text(urlencode(params))}" title="{text(title)}" '
        f'style="color:inherit;text-decoration:none">{text(name)}{arrow}</a></th>'
    )


def _is_date(value: object) -> bool:
    return isinstance(value, pd.Timestamp) or hasattr(value, "isoformat")


_TABLE = "border-collapse:collapse;font-size:14px;width:100%"
_THEAD = "position:sticky;top:0;background:var(--background-color, #fff)"
_HEAD = (
    "text-align:left;padding:4px 8px;white-space:nowrap;font-weight:600;border-bottom:2px solid rgba(128,128,128,0.4)"
)
_HEAD_NUM = _HEAD.replace("text-align:left", "text-align:right")
_LINE = "border-bottom:1px solid rgba(128,128,128,0.25);"
_TEXT = _LINE + "text-align:left;padding:4px 8px;white-space:nowrap"
_NUM = _LINE + "text-align:right;padding:4px 8px;white-space:nowrap"
_LINK = "color:#1c6ec2"
