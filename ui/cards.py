"""The recurring pieces of a page: the freshness banner, status badges (icon + word +
colour, never colour alone), KPI cards with their counts, the welcome page, the
empty-period sentence, and the guard that turns any failure into a sentence."""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import uuid
from collections.abc import Callable

import pandas as pd
import streamlit as st

from metrics import db, registry
from metrics.views import NEAR_MARGIN
from ui import auth, charts, data, fmt, markup, urlstate
from ui.i18n import lang, t, tier_label

log = logging.getLogger("cchc.dashboard")

# The banner turns amber when the newest dossier is older than this many days.
STALE_AFTER_DAYS = int(os.environ.get("CCHC_STALE_DAYS", "7"))

STATUS_STYLE = {
    "met": (":material/check_circle:", "green", "status_met"),
    "near": (":material/warning:", "orange", "status_near"),
    "below": (":material/cancel:", "red", "status_below"),
    "none": (":material/remove:", "gray", "status_none"),
    "no_target": (":material/remove:", "gray", "status_no_target"),
    "history": (":material/history:", "gray", "status_history"),
}
# plain symbols (not emoji) so they render in every font, including servers without emoji
STATUS_ICON_TEXT = {"met": "✓", "near": "⚠", "below": "✗", "none": "", "no_target": ""}


def status_text(status: str) -> str:
    """'✅ Đạt' for tables and exports, where a badge cannot go."""
    return f"{STATUS_ICON_TEXT.get(status, '')} {t(STATUS_STYLE.get(status, STATUS_STYLE['none'])[2])}".strip()


def metric_label(m: registry.Metric, short: bool = False) -> str:
    if short:
        return m.short_vi if lang() == "vi" else m.short_en
    return registry.label(m, lang())


def definition_label(m: registry.Metric) -> str:
    return m.definition_label_vi if lang() == "vi" else m.definition_label_en


def measure_label(measure: registry.Measure) -> str:
    return measure.label_vi if lang() == "vi" else measure.label_en


def freshness_banner() -> dict:
    """'Dữ liệu đến ngày dd/mm/yyyy · nhập lúc … · N hồ sơ', amber when stale. The date is
    the oldest data date among active units: one fresh commune does not make the whole
    province current."""
    facts = data.data_facts()
    oldest = facts.get("oldest_data_date")
    text = t(
        "freshness",
        latest=fmt.date(oldest),
        imported=fmt.datetime(facts.get("last_import_at")),
        dossiers=fmt.n(facts.get("dossiers", 0)),
    )
    behind = int(facts.get("units_behind") or 0)
    if behind:
        text += " · " + t("units_behind", n=fmt.n(behind), newest=fmt.date(facts.get("newest_data_date")))
    age = (dt.date.today() - oldest).days if oldest else None
    problem = data.reference_problem()
    urlstate.notice_here()  # a shared link's ignored values are named here (ui.urlstate)
    with st.container(key="freshness"):
        if problem:
            st.error(t("reference_problem", msg=problem), icon=":material/error:")
        if age is not None and age > STALE_AFTER_DAYS:
            st.warning(f"{text}  \n{t('stale', days=fmt.n(age))}", icon=":material/schedule:")
        else:
            st.caption(f":material/database: {text}")
    return facts


def card_html(
    row: pd.Series,
    m: registry.Metric,
    title: str,
    late_link: dict | None = None,
    note: str | None = None,
    late_note: str | None = None,
    css_class: str = "",
) -> str:
    """One rate with its status, target, gap, change, counts, year-to-date and sparkline,
    as one bordered block of HTML for st.html (ui.overview draws a row of them at once:
    one element per row of cards instead of a container and two elements per card)."""
    change = row.get("change")
    flat = not _missing(change) and abs(change) < 5e-5  # shows as 0,00: no arrow, no colour
    delta = None if _missing(change) else fmt.pp(0.0 if flat else change).replace("−", "-")
    head = metric_html(
        title,
        fmt.pct(row.get("rate")),
        delta,
        0 if flat or delta is None else (1 if change > 0 else -1),
        help_text=f"{measure_label(m.numerator)} / {measure_label(m.denominator)}",
    )
    target = row.get("target")
    first = [t("counts", num=fmt.n(row.get("numerator")), den=fmt.n(row.get("denominator")))]
    if not _missing(target):
        first.append(f"{t('target')} {fmt.pct(target, 0)} · {t('gap')} {fmt.pp(row.get('gap'))}")
    lines: list[str] = []
    if not _missing(row.get("ytd_rate")):
        ytd_status = row.get("ytd_status") or "none"
        word = f" {status_text(ytd_status)}" if ytd_status in ("met", "near", "below") else ""
        lines.append(
            f"{t('ytd')}: {fmt.pct(row.get('ytd_rate'))}{word} "
            f"({fmt.n(row.get('ytd_numerator'))}/{fmt.n(row.get('ytd_denominator'))})"
        )
    if getattr(m, "coverage_denominator", None) is not None and not _missing(row.get("coverage")):
        lines.append(
            t(
                "coverage",
                pct=fmt.pct(row.get("coverage"), 1),
                num=fmt.n(row.get("coverage_numerator")),
                den=fmt.n(row.get("coverage_denominator")),
            )
        )
    if note:
        lines.append(note)
    if late_note:
        lines.append(late_note)
    months, rates = row.get("spark_months") or [], row.get("spark_rates") or []
    spark = (
        charts.sparkline_html(months, rates, None if _missing(target) else target)
        if len([r for r in rates if r is not None]) >= 2
        else None
    )
    body = head + card_body(row.get("status", "none"), first, lines, spark)
    if late_link is not None and m.key == "on_time_rate" and row.get("status") in ("below", "near"):
        body += markup.link(markup.href("late", late_link), t("see_late"), css_class="cchc-latelink")
    cls = f"cchc-card {css_class}".strip()
    return f'<div class="{cls}" style="{CARD}">{body}</div>'


# st.container(border=True)'s look; a row of cards wraps on a narrow screen as columns stack
CARD = "border:1px solid rgba(128,128,128,0.3);border-radius:0.5rem;padding:1rem;flex:1 1 13rem;min-width:0"
ROW = "display:flex;flex-wrap:wrap;gap:1rem;align-items:stretch"


def cards_row(cards_html: list[str], css_class: str = "") -> str:
    cls = f' class="{css_class}"' if css_class else ""
    return f'<div{cls} style="{ROW}">{"".join(cards_html)}</div>'


# st.metric's look, written by us: its code (with numbro and sprintf) was fetched on every
# load of a page with a card, and each card was one element more (issue 14)
_DELTA = {  # direction -> (arrow, text colour, background)
    1: ("↑", "rgb(21, 130, 55)", "rgba(33, 195, 84, 0.1)"),
    -1: ("↓", "rgb(200, 30, 30)", "rgba(255, 43, 43, 0.09)"),
    0: ("", "inherit", "rgba(128, 128, 128, 0.12)"),
}


def metric_html(title: str, value: str, delta: str | None, direction: int, help_text: str) -> str:
    """A card's title, rate and change since the previous period, as st.metric drew them.
    The title may be a unit's name from data: written as text (ui.heatgrid.text); the
    measures behind the rate are its tooltip."""
    from ui.heatgrid import text

    parts = [
        f'<div class="cchc-metric-label" style="font-size:0.875rem" title="{text(help_text)}">{text(title)}'
        ' <span style="opacity:0.5;border:1px solid;border-radius:50%;font-size:0.65rem;padding:0 0.35em">?</span>'
        "</div>",
        f'<div class="cchc-metric-value" style="font-size:2.25rem;line-height:1.3">{text(value)}</div>',
    ]
    if delta is not None:
        arrow, ink, fill = _DELTA[direction]
        parts.append(
            '<div class="cchc-metric-delta" style="font-size:0.875rem;margin:0.2rem 0 0.4rem">'
            f'<span style="color:{ink};background:{fill};border-radius:0.5rem;padding:0.1rem 0.45rem">'
            f"{arrow} {text(delta)}</span>"
            f' <span class="cchc-metric-desc" style="opacity:0.6">{text(t("change_prev"))}</span></div>'
        )
    return f'<div class="cchc-metric" role="group">{"".join(parts)}</div>'


def card_body(status: str, first: list[str], lines: list[str], spark: str | None) -> str:
    """Everything of a card under its number: the status badge (icon + word + colour), the
    counts and target, the year-to-date and notes, and the sparkline. The parts a phone
    leaves out carry a class (ui.overview.PHONE_CSS); the texts are written as text; the
    sparkline holds only numbers (ui.charts)."""
    _icon, colour, word = STATUS_STYLE.get(status, STATUS_STYLE["none"])
    parts = [
        f'<div class="cchc-cardbadge" style="margin:0.25rem 0 0.5rem">'
        f"{markup.badge(STATUS_ICON_TEXT.get(status, ''), t(word), colour)}</div>",
        f'<div class="cchc-cap" style="{markup.CAPTION}">{"<br>".join(_text(x) for x in first)}</div>',
    ]
    if lines:
        parts.append(
            f'<div class="cchc-cap cchc-carddetail" style="{markup.CAPTION}">{"<br>".join(_text(x) for x in lines)}</div>'
        )
    if spark:
        parts.append(f'<div class="cchc-spark">{spark}</div>')
    return "\n".join(parts)


def _text(value: str) -> str:
    return html.escape(value, quote=False)


def legend() -> None:
    with st.container(key="legend"):
        st.caption(t("legend", margin=fmt.pp(NEAR_MARGIN, 0, signed=False)))


def welcome() -> None:
    st.title(t("app_title"))
    st.info(t("welcome_title"), icon=":material/waving_hand:")
    st.markdown(t("welcome_body"))
    if auth.current().is_admin:  # the path is for the administrator only
        st.caption(t("db_in_use", db=data.db_path()))
    st.page_link("pages/data.py", label=t("page_data"), icon=":material/upload:")


def empty_period(period_label: str) -> None:
    st.info(t("empty_period", period=period_label), icon=":material/event_busy:")


def guard(body: Callable[[], None]) -> None:
    """Run a page; anything it raises becomes a sentence with a reference, logged in full."""
    try:
        body()
    except db.DatabaseBusy:
        st.info(t("db_busy"), icon=":material/hourglass_top:")
    except Exception:
        ref = uuid.uuid4().hex[:8]
        log.exception("page failed (ref %s)", ref)
        st.error(t("error_generic", ref=ref), icon=":material/error:")


def tier_title(tier: str | None) -> str:
    """A tier's name; the row of all tiers is the province, or the reader's own units."""
    if tier:
        return tier_label(tier)
    return data.scope().label if data.reader_units() is not None else t("tier_all")


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA
