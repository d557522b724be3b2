"""The analyst's late-dossier list: page-local filters bound to the URL, one page of rows
at a time (server-side sorting and paging), Pareto charts, CSV/XLSX downloads."""

from __future__ import annotations

import math
import re
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from metrics import exports, reference, registry
from metrics.compute import LATE_ORDER
from metrics.record import CHANNELS, fold_accents
from ui import bars, data, filters, fmt, linktable, markup, tables, urlstate
from ui.filters import Filters
from ui.heatgrid import text
from ui.i18n import labeller, lang, t, tier_label

KINDS = ("", "resolved_late", "open_overdue", "supplements")  # the last: the 766 reading only


def matches(query: str, label: str) -> bool:
    """'ho tich' finds 'Hộ tịch': every word typed, without marks or case, is in the label."""
    words = fold_accents(query).split()
    key = fold_accents(label)
    return all(w in key for w in words)


@st.cache_data(show_spinner=False)
def _catalogue_fields(path: str, mtime: float) -> list[str]:
    rows = reference.read_rows("procedures", Path(path))
    return sorted({str(r[2]) for r in rows if r[2]}, key=fold_accents)


def field_names() -> list[str]:
    """The fields of the procedure catalogue (the dossiers' Lĩnh vực come from it)."""
    path = reference.REFERENCE_FILES["procedures"]
    return _catalogue_fields(str(path), path.stat().st_mtime) if path.exists() else []


def _found(query: str, options: list[str], names: dict[str, str]) -> list[str]:
    return [o for o in options if o and (not query or matches(query, names.get(o, o)))]


def _take_single(key: str, options: list[str], names: dict[str, str]) -> None:
    """A search that finds exactly one entry selects it: typing 'ho tich' is enough."""
    found = _found(st.session_state.get(f"{key}_q") or "", options, names)
    if len(found) == 1:
        st.session_state[key] = found[0]


def _searchable(where, label: str, key: str, options: list[str], names: dict[str, str], placeholder: str) -> None:
    """A search box (accent-insensitive) above a selectbox whose options it narrows; the
    chosen value always stays among the options, so a search never changes the filter.
    With `where` None (the filters' expander is closed) only the value is read."""
    urlstate.seed(key, "", valid=lambda v: isinstance(v, str) and len(v) < 200)
    if where is None:
        return
    chosen = st.session_state[key]
    query = where.text_input(
        label, key=f"{key}_q", placeholder=placeholder, on_change=_take_single, args=(key, options, names)
    )
    shown = ["", *_found(query, options, names)]
    if chosen and chosen not in shown:
        shown.append(chosen)  # a linked value with no match now: kept, never dropped silently
    where.selectbox(
        t("search_results", n=fmt.n(len(shown) - 1)) if query else label,
        shown,
        key=key,
        label_visibility="visible" if query else "collapsed",
        format_func=labeller(shown, lambda c: t("all") if not c else names.get(c, c)),
    )


FILTERS_OPEN = "late_filters_open"


def filter_box():
    """The expander that holds the list's filters and order: its selectors are drawn only
    once the reader opens it (then for the session). Closed, the nine selectors cost the
    browser nothing on a load (issue 14); their values still come from and go to the URL.
    Returns the expander to draw into, or None while it is closed."""
    box = st.expander(t("late_filters"), icon=":material/filter_list:", key=FILTERS_OPEN, on_change="rerun")
    return box if box.open else None


def controls(box, procedures: pd.DataFrame) -> dict[str, object]:
    """The page's own filters; returns keyword arguments for compute.late and friends.
    The kind of lateness is always shown; the others are drawn in `box` (None: closed)."""
    urlstate.seed("kind", "", valid=KINDS)  # drawn as links by kind_links, once every value is published
    urlstate.seed("channel", "", valid=("", *CHANNELS))
    urlstate.seed("dmin", None, decode=int, valid=lambda v: v is None or 0 <= v <= 100000)
    urlstate.seed("dmax", None, decode=int, valid=lambda v: v is None or 0 <= v <= 100000)
    proc_names = {k: f"{n} · {k}" for k, n in zip(procedures["key"], procedures["name"], strict=True)}
    c2, c4, c5, c6 = (None, None, None, None)
    if box is not None:
        box.selectbox(
            t("channel"),
            ("", *CHANNELS),
            key="channel",
            format_func=labeller(("", *CHANNELS), lambda c: t(f"channel_{c}") if c else t("all")),
        )
        c2, c4 = box.columns(2)
        c5, c6 = box.columns(2)
    _searchable(c2, t("procedure"), "proc", list(procedures["key"]), proc_names, t("search_procedure"))
    _searchable(c4, t("field"), "field", field_names() if box is not None else [], {}, t("search_field"))
    if c5 is not None and c6 is not None:
        c5.number_input(t("min_days"), key="dmin", min_value=0, max_value=100000, step=1, value=None)
        c6.number_input(t("max_days"), key="dmax", min_value=0, max_value=100000, step=1, value=None)
    chosen = {
        "kind": st.session_state["kind"] or None,
        "procedure": st.session_state["proc"] or None,
        "field": (st.session_state["field"] or "").strip() or None,
        "channel": st.session_state["channel"] or None,
        "min_days": st.session_state["dmin"],
        "max_days": st.session_state["dmax"],
    }
    for key, url in (("kind", "kind"), ("procedure", "proc"), ("field", "field"), ("channel", "channel")):
        urlstate.publish(url, chosen[key])
    for key, url in (("min_days", "dmin"), ("max_days", "dmax")):
        urlstate.publish(url, None if chosen[key] is None else str(chosen[key]))
    return chosen


def sort_controls(box) -> tuple[str, bool]:
    """The list's order, drawn in the filters' expander (`box`, None while closed)."""
    orders = tuple(LATE_ORDER)
    urlstate.seed("sort", "days_late", valid=orders)
    urlstate.seed("desc", True, decode=lambda v: v != "0", valid=(True, False))
    if box is not None:
        c1, c2 = box.columns([2, 1])
        c1.selectbox(t("sort_by"), orders, key="sort", format_func=labeller(orders, _order_label))
        c2.toggle(t("descending"), key="desc")
    urlstate.publish("sort", None if st.session_state["sort"] == "days_late" else st.session_state["sort"])
    urlstate.publish("desc", None if st.session_state["desc"] else "0")
    return st.session_state["sort"], bool(st.session_state["desc"])


def chosen_line(chosen: dict[str, object], procedure_name: str | None, order_by: str, descending: bool) -> str | None:
    """What the closed expander holds, when it is not the default: 'Đang lọc: Kênh: Trực
    tuyến · Lĩnh vực: Hộ tịch · Sắp xếp theo: Hạn trả ↑'."""
    parts = []
    if chosen["channel"]:
        parts.append(f"{t('channel')}: {t('channel_' + str(chosen['channel']))}")
    if chosen["procedure"]:
        parts.append(f"{t('procedure')}: {fmt.text(procedure_name or chosen['procedure'])}")
    if chosen["field"]:
        parts.append(f"{t('field')}: {fmt.text(chosen['field'])}")
    if chosen["min_days"] is not None or chosen["max_days"] is not None:
        parts.append(f"{t('days_late_range')}: {chosen['min_days'] or 0} – {chosen['max_days'] or '∞'}")
    if order_by != "days_late" or not descending:
        parts.append(f"{t('sort_by')}: {_order_label(order_by)} {'↓' if descending else '↑'}")
    return f"{t('late_filters_chosen')}: " + " · ".join(parts) if parts else None


def _order_label(col: str) -> str:
    for c, vi, en, _k in exports.LATE_COLUMNS:
        if c == col:
            return vi if lang() == "vi" else en
    return col


def pages(total: int) -> int:
    return max(1, math.ceil(total / tables.LATE_PAGE_SIZE))


def kind_links() -> str:
    """The kinds of lateness as links (a segmented control's code was fetched on every
    load, issue 14); each keeps the list's other filters and starts at its first page."""
    options = [(k, t(f"kind_{k}") if k else t("kind_all")) for k in KINDS]
    return markup.url_choice(t("kind"), "kind", options, "", page=None)


def page_number(total: int) -> int:
    n = pages(total)
    urlstate.seed("page", 1, decode=int, valid=lambda v: 1 <= v <= n)
    value = int(st.session_state["page"])
    urlstate.publish("page", None if value == 1 else str(value))
    return value


def page_links(total: int, page: int) -> str:
    """The pages of the list as links (st.pagination's code was fetched on every load):
    the first, the last, and three each side of this one."""
    n = pages(total)
    shown = sorted({1, n, *range(max(1, page - 3), min(n, page + 3) + 1)})
    options, last = [], 0
    for number in shown:
        if number > last + 1:
            options.append(("…", "…", ""))
        options.append(
            (str(number), fmt.n(number), markup.href("", urlstate.link(page=None if number == 1 else str(number))))
        )
        last = number
    return markup.choice(t("page_of", page=fmt.n(page), pages=fmt.n(n)), options, str(page))


def offset(page: int) -> int:
    return (page - 1) * tables.LATE_PAGE_SIZE


def definition_note() -> str:
    """Which reading of 'late' the list follows, and the way to the 766 figures, whose late
    count differs by design (domain: on_time_rate 766 includes carried-over dossiers)."""
    f = filters.current()
    by_766 = f.on_time_def == registry.DEFINITION_766
    # the same list in the other reading (the sidebar's on-time radio, in the URL)
    other = registry.ON_TIME_DEFAULT if by_766 else registry.DEFINITION_766
    return markup.caption(t("late_list_definition_766" if by_766 else "late_list_definition")) + markup.link(
        markup.href("late", {**filters.view_params(), "ontime": other}),
        t("see_resolved" if by_766 else "see_766"),
        arrow="⇄",
    )


def table(rows: pd.DataFrame, total: int, page: int) -> None:
    """The count, the page and the reading of 'late', one page of rows (sorted and paged
    on the server: sort_controls, page_number) and the links to the other pages, as ONE
    st.html block (issue 14). The rows are an HTML table, not a grid (ui.linktable)."""
    count = t("late_count", n=fmt.n(total))
    where = t("page_of", page=fmt.n(page), pages=fmt.n(pages(total)))
    parts = [f"<p><b>{text(count)}</b> · {text(where)}</p>", definition_note()]
    parts.append(linktable.html(tables.late(rows), max_height=560))
    if pages(total) > 1:
        parts.append(page_links(total, page))
    linktable.draw("".join(parts), key="late_table")


def filter_lines(f: Filters, chosen: dict[str, object], procedure_name: str | None) -> list[tuple[str, str]]:
    lines = [
        (t("period_kind"), f.label),
        (t("tier"), tier_label(f.tier) if f.tier else t("all_tiers")),
        (t("unit"), f"{f.unit_name} ({f.unit})" if f.unit else t("all_units")),
        (t("kind"), t(f"kind_{chosen['kind']}") if chosen["kind"] else t("kind_all")),
        (t("procedure"), str(procedure_name or chosen["procedure"] or t("all"))),
        (t("field"), str(chosen["field"] or t("all"))),
        (t("channel"), t(f"channel_{chosen['channel']}") if chosen["channel"] else t("all")),
    ]
    if chosen["min_days"] is not None or chosen["max_days"] is not None:
        lines.append((t("days_late_range"), f"{chosen['min_days'] or 0} – {chosen['max_days'] or '∞'}"))
    return lines


def slug(text: object) -> str:
    """'Xã Ân Phú' -> 'xa-an-phu': a file-name part every system and mail client keeps."""
    return re.sub(r"[^a-z0-9]+", "-", fold_accents(text)).strip("-")[:40].strip("-")


def period_slug(f: Filters) -> str:
    if f.kind == "month":
        return f"{f.date_from:%Y-%m}"
    if f.kind == "quarter":
        return f"{f.date_from.year}-q{(f.date_from.month - 1) // 3 + 1}"
    if f.kind == "year":
        return f"{f.date_from.year}"
    return f"{f.date_from:%Y%m%d}-{f.date_to:%Y%m%d}"


def export_stem(f: Filters, chosen: dict[str, object], procedure_name: str | None = None) -> str:
    """'ho-so-tre-han_2025-11_xa-abc': the file says which list it holds, not just a date."""
    parts = ["ho-so-tre-han", period_slug(f)]
    if f.unit:
        parts.append(slug(f.unit_name or f.unit))
    elif f.tier:
        parts.append(slug(tier_label(f.tier)))
    if chosen.get("kind"):
        parts.append(slug(t(f"kind_{chosen['kind']}")))
    for value in (procedure_name or chosen.get("procedure"), chosen.get("field")):
        if value:
            parts.append(slug(value))
    if chosen.get("channel"):
        parts.append(slug(t(f"channel_{chosen['channel']}")))
    return "_".join(p for p in parts if p)


DOWNLOADS_OPEN = "late_downloads_open"


def downloads(f: Filters, filters: dict[str, object], lines: list[tuple[str, str]], stem: str) -> None:
    """The list as CSV and Excel, in an expander that draws its two buttons once opened
    (then for the session): a download button's code was fetched on every load (issue 14)."""
    box = st.expander(t("downloads"), icon=":material/download:", key=DOWNLOADS_OPEN, on_change="rerun")
    if not box.open:
        return
    c1, c2 = box.columns(2)
    c1.download_button(
        t("download_csv"),
        data=data.late_export(f.date_from, f.date_to, partial(exports.late_csv, lang=lang()), **filters),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key="download_csv",
        icon=":material/download:",
        on_click="ignore",
    )
    c2.download_button(
        t("download_xlsx"),
        data=data.late_export(
            f.date_from, f.date_to, partial(exports.late_xlsx, filters=lines, lang=lang()), **filters
        ),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="download_xlsx",
        icon=":material/download:",
        on_click="ignore",
    )


def paretos(by_procedure: pd.DataFrame, by_unit: pd.DataFrame | None) -> None:
    """Pareto by procedure, and by unit unless the list is already one unit's: side by
    side (stacked on a narrow screen) in one st.html block."""
    tables_ = [(t("pareto_procedure"), by_procedure)]
    if by_unit is not None:
        tables_.append((t("pareto_unit"), by_unit))
    shown = [
        f'<div style="flex:1 1 22rem;min-width:0"><p><b>{text(title)}</b></p>{bars.pareto(frame)}</div>'
        for title, frame in tables_
        if not frame.empty
    ]
    if shown:
        linktable.draw(f'<div style="display:flex;flex-wrap:wrap;gap:1rem">{"".join(shown)}</div>', key="paretos")
