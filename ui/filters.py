"""The global filters in the sidebar: period, tier, unit, on-time definition, language.
Each is keyed and travels in the URL as an ASCII code (see ui.urlstate), so any view can
be sent as a link. The pages read the resulting `Filters`, never the widgets."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import TypedDict

import streamlit as st

from metrics import periods, registry, views
from ui import data, fmt, markup, urlstate
from ui.heatgrid import text
from ui.i18n import labeller, lang, t, tier_label

KINDS = ("month", "quarter", "year", "custom")
ON_TIME_DEFS = registry.DEFINITIONS["on_time_rate"]
STATE_KEY = "_filters"


class EngineArgs(TypedDict):
    on_time_definition: str
    tier: str | None
    unit: str | None
    units: str


@dataclass(frozen=True)
class Filters:
    kind: str
    date_from: dt.date
    date_to: dt.date
    prev_from: dt.date
    prev_to: dt.date
    ytd_from: dt.date
    ytd_to: dt.date
    tier: str | None
    unit: str | None
    unit_name: str | None
    on_time_def: str
    units: str = registry.UNITS_AS_WAS

    @property
    def label(self) -> str:
        return fmt.period(self.date_from, self.date_to)

    @property
    def ytd_label(self) -> str:
        return f"{fmt.date(self.ytd_from)} – {fmt.date(self.ytd_to)}"

    @property
    def scope_label(self) -> str:
        """What the figures cover (plain text: escape it with fmt.text for Markdown)."""
        if self.unit:
            return self.unit_name or self.unit
        if self.tier:
            return tier_label(self.tier)
        return data.scope().label if data.reader_units() is not None else t("tier_all")

    def engine(self) -> EngineArgs:
        """Keyword arguments shared by the engine's KPI calls."""
        return {"on_time_definition": self.on_time_def, "tier": self.tier, "unit": self.unit, "units": self.units}

    def late_filters(self) -> dict[str, str | None]:
        # the late list follows the sidebar's on-time reading, like the cards beside it
        return {"tier": self.tier, "unit": self.unit, "units": self.units, "definition": self.on_time_def}


LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}


_LANG_SLOT = threading.local()


def language() -> None:
    """The language: from the URL (?lang=en) or the session, drawn first so every later
    label is in it. The switch is a link naming the other language, with this view's
    parameters: a button's code was fetched on every page load (issue 14)."""
    from ui import i18n

    i18n.use("vi")
    urlstate.seed("lang", "vi", valid=("vi", "en"))
    i18n.use(st.session_state["lang"])
    urlstate.publish("lang", None if st.session_state["lang"] == "vi" else st.session_state["lang"])
    with st.sidebar.container(key="lang_switch"):
        _LANG_SLOT.where = st.empty()
    language_link(st.session_state.get(urlstate.INCOMING, {}))


def language_link(params: dict[str, str] | None = None) -> None:
    """Write the switch with `params` (by default every value this run published): the
    entry script calls it again last, once the page has published its own."""
    where = getattr(_LANG_SLOT, "where", None)
    if where is None:
        return
    other = "en" if st.session_state["lang"] == "vi" else "vi"
    query = {k: v for k, v in (urlstate.published() if params is None else params).items() if k != "lang"}
    if other == "en":
        query["lang"] = "en"
    where.html(
        f'<a href="{text(markup.href("", query))}" title="Ngôn ngữ / Language" style="{markup.LINK}">'
        f"{_GLOBE} {text(LANG_NAMES[other])}</a>"
    )


# a globe drawn, not the 🌐 character: a machine without an emoji font (a kiosk, a
# projector's PC) showed an empty box in its place
_GLOBE = markup.icon(
    '<svg viewBox="0 0 16 16"><g fill="none" stroke="#1c6ec2" stroke-width="1.3">'
    '<circle cx="8" cy="8" r="6.5"/><ellipse cx="8" cy="8" rx="2.8" ry="6.5"/>'
    '<path d="M1.5 8h13M2.6 4.5h10.8M2.6 11.5h10.8"/></g></svg>',
    (14, 14),
)


def _months(first: dt.date, last: dt.date) -> list[str]:
    return list(reversed(periods.months_between(first, last)))


def _quarter_of(month: str) -> str:
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def _parse_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def default_month_start(first: dt.date, last: dt.date) -> dt.date:
    """The first day of the month a view opens on: the latest full month that has dossiers
    (a gap in the data must not open the dashboard on an empty month), else the latest
    month that has any."""
    start, _end = periods.latest_full_month(last)
    if start < first.replace(day=1):  # less than a month of data: take the month we have
        return last.replace(day=1)
    candidate = start
    while candidate >= first.replace(day=1):
        if not views.is_empty(data.kpis(*periods.month_range(candidate.year, candidate.month), by=())):
            return candidate
        candidate = periods.shift_months(candidate, -1)
    return start


OPEN_KEY = "filters_open"


def sidebar(span: tuple[dt.date, dt.date]) -> Filters:
    """Draw the filters for data spanning `span` and return what they select.

    The widgets sit in an expander that draws them only once the reader opens it (and
    stays open for the rest of the session): a closed one costs the browser nothing,
    while seven selectors cost it about 0,45 s on every page load (issue 14). Closed or
    open, every value is seeded from the URL or the session and published back to the
    URL, so a link reopens the same view; a line above the expander says what is chosen."""
    first, last = span
    default_from = default_month_start(first, last)
    months = _months(first, last)
    default_month = f"{default_from:%Y-%m}"
    quarters = list(dict.fromkeys(_quarter_of(m) for m in months))
    years = sorted({int(m[:4]) for m in months}, reverse=True)

    summary = st.sidebar.empty()  # filled once the values are known, above the expander
    box = st.sidebar.expander(t("filters"), icon=":material/filter_list:", key=OPEN_KEY, on_change="rerun")
    draw = box.open

    urlstate.seed("period", "month", valid=KINDS)
    if draw:
        box.radio(
            t("period_kind"),
            KINDS,
            key="period",
            horizontal=True,
            format_func=labeller(KINDS, lambda k: t(f"kind_{k}")),
        )
    kind = st.session_state["period"]
    urlstate.publish("period", kind)
    if kind == "month":
        urlstate.seed("month", default_month, valid=months)
        if draw:
            box.selectbox(t("month"), months, key="month", format_func=labeller(months, fmt.month))
        y, m = int(st.session_state["month"][:4]), int(st.session_state["month"][5:7])
        date_from, date_to = periods.month_range(y, m)
        urlstate.publish("month", st.session_state["month"])
    elif kind == "quarter":
        urlstate.seed("quarter", _quarter_of(default_month), valid=quarters)
        if draw:
            box.selectbox(
                t("quarter"),
                quarters,
                key="quarter",
                format_func=labeller(quarters, lambda q: fmt.quarter(int(q[:4]), int(q[-1]))),
            )
        q = st.session_state["quarter"]
        date_from, date_to = periods.quarter_range(int(q[:4]), int(q[-1]))
        urlstate.publish("quarter", q)
    elif kind == "year":
        urlstate.seed("year", default_from.year, decode=int, valid=years)
        if draw:
            box.selectbox(t("year"), years, key="year")
        date_from, date_to = periods.year_range(int(st.session_state["year"]))
        urlstate.publish("year", str(st.session_state["year"]))
    else:
        default_to = periods.month_range(default_from.year, default_from.month)[1]
        urlstate.seed("from", default_from, decode=_parse_date, valid=lambda d: first <= d <= last)
        urlstate.seed("to", min(default_to, last), decode=_parse_date, valid=lambda d: first <= d <= last)
        if draw:
            c1, c2 = box.columns(2)
            c1.date_input(t("date_from"), key="from", min_value=first, max_value=last, format="DD/MM/YYYY")
            c2.date_input(t("date_to"), key="to", min_value=first, max_value=last, format="DD/MM/YYYY")
        date_from, date_to = st.session_state["from"], st.session_state["to"]
        if date_to < date_from:
            date_from, date_to = date_to, date_from
        urlstate.publish("from", date_from.isoformat())
        urlstate.publish("to", date_to.isoformat())
    prev_from, prev_to = periods.previous_period(date_from, date_to)
    if draw:
        box.caption(f"{t('ytd')}: {fmt.date(date_to.replace(month=1, day=1))} – {fmt.date(date_to)}")

    # only the tiers that existed in the period: no district after 30/06/2025
    tiers = ("", *(tier.code for tier in registry.tiers_overlapping(date_from, date_to)))
    urlstate.seed("tier", "", valid=tiers)
    if draw:
        box.selectbox(
            t("tier"),
            tiers,
            key="tier",
            format_func=labeller(tiers, lambda v: t("all_tiers") if not v else tier_label(v)),
        )
    tier = st.session_state["tier"] or None
    urlstate.publish("tier", tier)

    units = data.unit_list(tier)
    codes = ["", *list(units["unit_code"])]
    names = dict(zip(units["unit_code"], units["unit_name"], strict=True))
    urlstate.seed("unit", "", valid=codes)
    if draw:
        box.selectbox(
            t("unit"),
            codes,
            key="unit",
            format_func=labeller(codes, lambda c: t("all_units") if not c else f"{names.get(c, c)} · {c}"),
            help=t("unit_help"),
        )
    unit = st.session_state["unit"] or None
    urlstate.publish("unit", unit)

    urlstate.seed("ontime", registry.ON_TIME_DEFAULT, valid=ON_TIME_DEFS)
    if draw:
        box.radio(
            t("on_time_def"),
            ON_TIME_DEFS,
            key="ontime",
            format_func=labeller(ON_TIME_DEFS, lambda v: t(f"def_{v}")),
        )
    on_time = st.session_state["ontime"]
    urlstate.publish("ontime", None if on_time == registry.ON_TIME_DEFAULT else on_time)

    unit_views = registry.UNIT_VIEW_CODES
    urlstate.seed("unitview", registry.UNITS_AS_WAS, valid=unit_views)
    if draw:
        box.radio(
            t("units_view"),
            unit_views,
            key="unitview",
            format_func=labeller(unit_views, lambda v: registry.unit_view(v).label(lang())),
            help=t("units_view_help"),
        )
        box.caption(t("copy_link"))
    units_view = st.session_state["unitview"]
    urlstate.publish("unitview", None if units_view == registry.UNITS_AS_WAS else units_view)

    chosen = Filters(
        kind=kind,
        date_from=date_from,
        date_to=date_to,
        prev_from=prev_from,
        prev_to=prev_to,
        ytd_from=date_to.replace(month=1, day=1),
        ytd_to=date_to,
        tier=tier,
        unit=unit,
        unit_name=names.get(unit) if unit else None,
        on_time_def=on_time,
        units=units_view,
    )
    summary.caption(summary_line(chosen))
    return chosen


def summary_line(f: Filters) -> str:
    """What the filters select, in one line over the (maybe closed) expander: 'Tháng
    11/2026 · Tất cả các cấp · Tất cả đơn vị · Cách tính đúng hạn: …'."""
    scope = [t("all_tiers") if not f.tier else tier_label(f.tier)]
    scope.append(fmt.text(f"{f.unit_name or f.unit} · {f.unit}") if f.unit else t("all_units"))
    parts = [f"**{f.label}**", *scope, f"{t('on_time_def')}: {t(f'def_{f.on_time_def}')}"]
    if f.units != registry.UNITS_AS_WAS:
        parts.append(registry.unit_view(f.units).label(lang()))
    return "  \n".join(parts)


# the sidebar's URL keys: what a link to another page carries (a page's own keys stay behind)
GLOBAL_KEYS = ("lang", "period", "month", "quarter", "year", "from", "to", "tier", "unit", "ontime", "unitview")


def view_params() -> dict[str, str]:
    """This view's filters as URL parameters, without the current page's own ones."""
    return {k: v for k, v in urlstate.published().items() if k in GLOBAL_KEYS}


def current() -> Filters:
    """The filters the entry script resolved for this run (running it first if this page
    was started on its own, see ui.shell)."""
    from ui import shell

    shell.ensure_entry()
    return st.session_state[STATE_KEY]


def remember(filters: Filters) -> None:
    st.session_state[STATE_KEY] = filters


__all__ = ["Filters", "current", "lang", "language", "remember", "sidebar"]
