"""Hồ sơ trễ hạn: every late dossier of the period, filtered, paged on the server,
with Pareto charts and downloads, for analysts."""

import streamlit as st

from ui import ahead, data, filters, fmt, late
from ui.i18n import t

f = filters.current()
st.title(t("late_title"))
st.caption(f"{t('period_label', period=f.label)} · {fmt.text(f.scope_label)}")

if ahead.view_picker() == "due_soon":
    ahead.due_soon_view(f)
else:
    procedures = data.late_pareto(f.date_from, f.date_to, by="procedure", limit=500, **f.late_filters())
    box = late.filter_box()
    kinds = st.empty()  # the kinds of lateness, as links once the list's values are known
    chosen = late.controls(box, procedures)
    order_by, descending = late.sort_controls(box)
    kinds.html(late.kind_links())
    names = dict(zip(procedures["key"], procedures["name"], strict=True))
    procedure_name = names.get(chosen["procedure"])
    line = late.chosen_line(chosen, procedure_name, order_by, descending)
    if line:
        st.caption(line)
    query = {**f.late_filters(), **chosen}
    total = data.late_count(f.date_from, f.date_to, **query)
    if total == 0:
        st.info(t("no_late"), icon=":material/task_alt:")
    else:
        page = late.page_number(total)
        rows = data.late_page(
            f.date_from,
            f.date_to,
            order_by=order_by,
            descending=descending,
            limit=late.tables.LATE_PAGE_SIZE,
            offset=late.offset(page),
            **query,
        )
        late.table(rows, total, page)
        late.downloads(
            f, query, late.filter_lines(f, chosen, procedure_name), late.export_stem(f, chosen, procedure_name)
        )
        late.paretos(
            data.late_pareto(f.date_from, f.date_to, by="procedure", limit=15, **query),
            None if f.unit else data.late_pareto(f.date_from, f.date_to, by="unit", limit=15, **query),
        )
